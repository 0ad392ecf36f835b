//! The training run behind the Train page's panel: the loop, the backend switch, the epoch's
//! test evaluation, publishing the weights to the lab and the IndexedDB checkpoint.
//!
//! - The model is the one the settings name: the lesson's Net, the residual net or the Inception
//!   net, on either backend.
//! - The training set is fetched on demand (with progress) and decoded by the core's IDX reader.
//!   A [`Session`] runs the steps: on WebGPU one submission per step, with the loss read back
//!   once per chunk; on the CPU with the SIMD backend. Chunks last at most ~40 ms and the loop
//!   yields to the browser between them, so the page never freezes.
//! - At the end of each epoch the model is evaluated on the 10,000 test digits (SIMD, in
//!   chunks) for the accuracy chart; the run stops after the chosen number of epochs.
//! - Every ~2 s (and when paused) the weights go to the lab, so the drawing pad, the feature
//!   maps and the evaluation use the model being trained.
//! - Every ~10 s, at each epoch's end and when paused, a [`Checkpoint`] is written to IndexedDB;
//!   on the next visit the panel restores it and training resumes from that step.
//! - The run belongs to the app, not to the panel: it keeps training while the learner is on
//!   another page, and the panel shows it again on return.
//! - If the GPU is lost (or the "simulate" button pretends so), the session continues on the
//!   CPU from the last completed step and the footer says so.

use crate::train::checkpoint::{Checkpoint, RunState, TrainSettings};
use crate::train::data::Mnist;
use crate::train::fit::Evaluator;
use crate::train::session::Session;
use crate::ui::idb;
use crate::ui::platform;
use crate::ui::state::backend::{BackendState, BackendStatus, NoGpuReason};
use crate::ui::state::lab::{Lab, ModelSource};
use gloo::timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;

/// The IndexedDB key of the checkpoint.
const CHECKPOINT_KEY: &str = "train-checkpoint";

/// Where the run is.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Nothing yet.
    Idle,
    /// Fetching the training set.
    Loading,
    /// Training.
    Running,
    /// Paused by the learner.
    Paused,
    /// The chosen epochs are done.
    Finished,
    /// Stopped by an error.
    Failed(String),
}

/// The epoch's shuffled batches and the next one to take.
#[derive(Clone, Default)]
pub struct Cursor {
    epoch: u64,
    batches: Vec<Vec<usize>>,
    next: usize,
}

/// Everything the async loop and the handlers share.
#[derive(Clone, Copy)]
pub struct Run {
    pub phase: RwSignal<Phase>,
    pub settings: RwSignal<TrainSettings>,
    pub want_gpu: RwSignal<bool>,
    pub on_backend: RwSignal<&'static str>,
    pub steps: RwSignal<u64>,
    pub epoch: RwSignal<u64>,
    pub loss: RwSignal<Option<f32>>,
    pub rate: RwSignal<Option<f64>>,
    pub lost: RwSignal<bool>,
    pub history: RwSignal<Vec<(u64, f32)>>,
    /// `(step, test accuracy %)` after each epoch.
    pub accuracy: RwSignal<Vec<(u64, f32)>>,
    /// While the training set loads: the fraction received.
    pub load_progress: RwSignal<Option<f64>>,
    /// While the epoch's test evaluation runs: the fraction done.
    pub eval_progress: RwSignal<Option<f64>>,
    /// The step of the last checkpoint written.
    pub saved_at: RwSignal<Option<u64>>,
    /// The step a checkpoint restored on opening the page.
    pub restored_at: RwSignal<Option<u64>>,
    /// Why checkpoints cannot be kept, if they cannot.
    pub storage_error: RwSignal<Option<String>>,
    /// True from a start (or a backend switch) until the loop has put the session back: while it
    /// is, start, reset and switch wait (no second loop, no fresh model over a paused one).
    pub busy: RwSignal<bool>,
    data: StoredValue<Option<Rc<Mnist>>, LocalStorage>,
    session: StoredValue<Option<Session>, LocalStorage>,
    cursor: StoredValue<Cursor, LocalStorage>,
    pending: StoredValue<Option<Checkpoint>, LocalStorage>,
    backend: BackendState,
    lab: Lab,
}

/// Provides the app's one training run (so training goes on while the learner visits other
/// pages, e.g. to draw digits for the model being trained), restoring a saved checkpoint.
pub fn provide() {
    provide_context(Run::new());
}

impl Run {
    /// The app's run.
    pub fn get() -> Self {
        expect_context::<Run>()
    }

    /// A new run with the lesson's settings; restores the saved checkpoint if there is one.
    fn new() -> Self {
        let run = Run {
            phase: RwSignal::new(Phase::Idle),
            settings: RwSignal::new(TrainSettings::default()),
            want_gpu: RwSignal::new(true),
            on_backend: RwSignal::new("simd"),
            steps: RwSignal::new(0),
            epoch: RwSignal::new(0),
            loss: RwSignal::new(None),
            rate: RwSignal::new(None),
            lost: RwSignal::new(false),
            history: RwSignal::new(Vec::new()),
            accuracy: RwSignal::new(Vec::new()),
            load_progress: RwSignal::new(None),
            eval_progress: RwSignal::new(None),
            saved_at: RwSignal::new(None),
            restored_at: RwSignal::new(None),
            storage_error: RwSignal::new(None),
            busy: RwSignal::new(false),
            data: StoredValue::new_local(None),
            session: StoredValue::new_local(None),
            cursor: StoredValue::new_local(Cursor::default()),
            pending: StoredValue::new_local(None),
            backend: expect_context::<BackendState>(),
            lab: Lab::get(),
        };
        spawn_local(async move { run.restore().await });
        run
    }

    pub fn gpu(self) -> Option<Rc<crate::backend::gpu::GpuContext>> {
        self.backend.gpu.get_value()
    }

    /// Whether a session exists (paused or running), untracked.
    pub fn has_session(self) -> bool {
        self.session.with_value(Option::is_some)
    }

    pub fn running(self) -> bool {
        matches!(self.phase.get(), Phase::Running | Phase::Loading)
    }

    /// [`Run::running`], without tracking.
    pub fn running_untracked(self) -> bool {
        matches!(self.phase.get_untracked(), Phase::Running | Phase::Loading)
    }

    /// Reads the checkpoint kept by an earlier visit, if any, and stands ready to resume it.
    async fn restore(self) {
        let bytes = match idb::get(CHECKPOINT_KEY).await {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return,
            Err(e) => {
                self.storage_error.set(Some(e));
                return;
            }
        };
        let c = match Checkpoint::from_bytes(&bytes) {
            Ok(c) => c,
            Err(e) => {
                leptos::logging::log!(
                    "convscope: the saved checkpoint is unreadable ({e}); starting afresh"
                );
                let _ = idb::delete(CHECKPOINT_KEY).await;
                return;
            }
        };
        if self.phase.get_untracked() != Phase::Idle {
            return;
        }
        self.settings.set(c.settings);
        self.steps.set(c.steps);
        self.epoch.set(c.epoch);
        let history = c.history();
        self.loss.set(history.last().map(|p| p.1));
        self.history.set(history);
        self.accuracy
            .set(c.accuracy.iter().map(|&(s, a)| (s, a as f32)).collect());
        self.cursor.set_value(Cursor {
            epoch: c.epoch,
            batches: Vec::new(),
            next: c.next_batch,
        });
        self.lab.set_net(c.net(), ModelSource::Trained(c.steps));
        let finished = c.epoch >= c.settings.epochs;
        self.restored_at.set(Some(c.steps));
        self.saved_at.set(Some(c.steps));
        self.pending.set_value(Some(c));
        self.phase.set(if finished {
            Phase::Finished
        } else {
            Phase::Paused
        });
    }

    async fn load_data(self) -> Result<Rc<Mnist>, String> {
        if let Some(data) = self.data.get_value() {
            return Ok(data);
        }
        self.phase.set(Phase::Loading);
        self.load_progress.set(Some(0.0));
        let progress = move |f: f64| self.load_progress.set(Some(f * 0.95));
        let loaded = async {
            let images = platform::fetch_bytes_with_progress(
                "data/mnist/train-images-idx3-ubyte.gz",
                progress,
            )
            .await?;
            let labels = platform::fetch_bytes("data/mnist/train-labels-idx1-ubyte.gz").await?;
            Mnist::parse(&images, &labels).map_err(|e| e.to_string())
        }
        .await;
        self.load_progress.set(None);
        let data = Rc::new(loaded?);
        self.data.set_value(Some(Rc::clone(&data)));
        Ok(data)
    }

    fn new_session(self) -> Session {
        let settings = self.settings.get_untracked();
        let mut session = match self.pending.try_update_value(Option::take).flatten() {
            Some(c) => Session::resume(c.net(), c.opt_state(), settings.optimizer(), c.steps),
            None => Session::cpu(settings.model.build(settings.seed), settings.optimizer()),
        };
        if let (true, Some(ctx)) = (self.want_gpu.get_untracked(), self.gpu()) {
            // Every model the panel offers has a GPU step.
            let _ = session.use_gpu(ctx);
        }
        session
    }

    /// Starts or resumes the loop.
    pub fn start(self) {
        if self.running() || self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        if self.phase.get_untracked() == Phase::Finished {
            // One more epoch.
            self.settings
                .update(|s| s.epochs = self.cursor.with_value(|c| c.epoch) + 1);
        }
        spawn_local(async move {
            if let Err(e) = self.run().await {
                web_sys::console::error_1(&format!("convscope: training stopped: {e}").into());
                self.phase.set(Phase::Failed(e));
            }
            self.busy.set(false);
        });
    }

    /// Chooses the model to train, unless a run has started (Reset unlocks the choice).
    pub fn pick_model(self, kind: crate::models::classifier::ModelKind) {
        if self.phase.get_untracked() == Phase::Idle && self.steps.get_untracked() == 0 {
            self.settings.update(|s| s.model = kind);
        }
    }

    /// Pauses after the current chunk (or, while the data loads, once it has loaded).
    pub fn pause(self) {
        if matches!(self.phase.get_untracked(), Phase::Running | Phase::Loading) {
            self.phase.set(Phase::Paused);
        }
    }

    async fn run(self) -> Result<(), String> {
        let data = match self.data.get_value() {
            Some(data) => data,
            None => {
                let data = self.load_data().await?;
                if self.phase.get_untracked() == Phase::Paused {
                    // Paused while the data loaded.
                    return Ok(());
                }
                data
            }
        };
        let mut session = match self.session.try_update_value(Option::take).flatten() {
            Some(session) => session,
            None => self.new_session(),
        };
        self.phase.set(Phase::Running);
        let mut cursor = self.cursor.get_value();
        let settings = self.settings.get_untracked();
        let (mut published, mut saved) = (platform::now_ms(), platform::now_ms());
        let result = async {
            while self.phase.get_untracked() == Phase::Running {
                let started = platform::now_ms();
                let mut images = 0usize;
                let mut chunk = 0;
                let mut epoch_done = false;
                loop {
                    if cursor.batches.is_empty() {
                        cursor.batches =
                            data.batches(settings.batch, Some(settings.epoch_seed(cursor.epoch)));
                    }
                    if cursor.next >= cursor.batches.len() {
                        epoch_done = true;
                        break;
                    }
                    let (x, y) = data.batch(&cursor.batches[cursor.next]);
                    cursor.next += 1;
                    images += y.len();
                    session.step(x, y).await.map_err(|e| e.to_string())?;
                    chunk += 1;
                    let on_gpu = session.backend_name() == "webgpu";
                    if platform::now_ms() - started > 40.0 || (on_gpu && chunk >= 4) {
                        break;
                    }
                }
                if chunk > 0 {
                    let loss = session.record_loss().await.map_err(|e| e.to_string())?;
                    let elapsed_s = (platform::now_ms() - started) / 1000.0;
                    self.loss.set(Some(loss));
                    self.steps.set(session.steps);
                    self.rate.set(Some(images as f64 / elapsed_s.max(1e-3)));
                    self.history.update(|h| {
                        h.push((session.steps, loss));
                        // Keep the chart (and the checkpoint) small: past 2,000 points, every
                        // other old point goes.
                        if h.len() > 2000 {
                            *h = h.iter().step_by(2).copied().collect();
                        }
                    });
                    self.note_backend(&session);
                }
                if epoch_done {
                    self.end_of_epoch(&mut session).await?;
                    cursor.epoch += 1;
                    cursor.batches.clear();
                    cursor.next = 0;
                    self.epoch.set(cursor.epoch);
                    self.save(&mut session, &cursor).await;
                    saved = platform::now_ms();
                    if cursor.epoch >= settings.epochs {
                        self.phase.set(Phase::Finished);
                        break;
                    }
                }
                let now = platform::now_ms();
                if now - published > 2000.0 {
                    self.publish(&mut session).await;
                    published = now;
                }
                if now - saved > 10_000.0 {
                    self.save(&mut session, &cursor).await;
                    saved = now;
                }
                TimeoutFuture::new(0).await;
            }
            Ok::<(), String>(())
        }
        .await;
        self.publish(&mut session).await;
        self.save(&mut session, &cursor).await;
        self.cursor.set_value(cursor);
        self.session.set_value(Some(session));
        if result.is_ok() && self.phase.get_untracked() == Phase::Running {
            self.phase.set(Phase::Paused);
        }
        result
    }

    /// The epoch's test accuracy, for the chart (and the weights to the lab).
    async fn end_of_epoch(self, session: &mut Session) -> Result<(), String> {
        let net = session.model().await.map_err(|e| e.to_string())?;
        let test = self.lab.test_set().await?;
        self.eval_progress.set(Some(0.0));
        let mut evaluator = Evaluator::new();
        let n = test.len();
        for start in (0..n).step_by(500) {
            let indices: Vec<usize> = (start..(start + 500).min(n)).collect();
            self.lab
                .with_backend(|be| evaluator.add(be, net.as_ref(), &test, &indices))
                .map_err(|e| e.to_string())?;
            self.eval_progress
                .set(Some((start + indices.len()) as f64 / n as f64));
            TimeoutFuture::new(0).await;
        }
        self.eval_progress.set(None);
        let pct = evaluator.evaluation().accuracy_percent() as f32;
        self.accuracy.update(|a| a.push((session.steps, pct)));
        self.lab.set_net(net, ModelSource::Trained(session.steps));
        Ok(())
    }

    /// Gives the current weights to the lab.
    async fn publish(self, session: &mut Session) {
        match session.model().await {
            Ok(net) => self.lab.set_net(net, ModelSource::Trained(session.steps)),
            Err(e) => leptos::logging::log!("convscope: cannot read the weights: {e}"),
        }
    }

    /// Writes the checkpoint to IndexedDB.
    async fn save(self, session: &mut Session, cursor: &Cursor) {
        if session.steps == 0 || self.saved_at.get_untracked() == Some(session.steps) {
            return;
        }
        let (net, opt) = match session.state().await {
            Ok(state) => state,
            Err(e) => {
                self.storage_error.set(Some(e.to_string()));
                return;
            }
        };
        let history = self.history.get_untracked();
        let accuracy: Vec<(u64, f64)> = self
            .accuracy
            .get_untracked()
            .iter()
            .map(|&(s, a)| (s, f64::from(a)))
            .collect();
        let bytes = Checkpoint::new(RunState {
            settings: self.settings.get_untracked(),
            steps: session.steps,
            epoch: cursor.epoch,
            next_batch: cursor.next,
            net: net.as_ref(),
            opt: &opt,
            history: &history,
            accuracy: &accuracy,
        })
        .to_bytes();
        match idb::put(CHECKPOINT_KEY, &bytes).await {
            Ok(()) => self.saved_at.set(Some(session.steps)),
            Err(e) => {
                leptos::logging::log!("convscope: cannot keep a checkpoint: {e}");
                self.storage_error.set(Some(e));
            }
        }
    }

    fn note_backend(self, session: &Session) {
        let name = session.backend_name();
        self.on_backend.set(name);
        if session.fallbacks > 0 && !self.lost.get_untracked() {
            self.lost.set(true);
            self.want_gpu.set(false);
            self.backend
                .status
                .set(BackendStatus::Simd(NoGpuReason::Lost));
            self.backend.gpu.set_value(None);
        }
    }

    /// Moves a paused session to the chosen backend.
    pub fn switch(self, gpu: bool) {
        if self.busy.get_untracked() {
            return;
        }
        self.want_gpu.set(gpu);
        let Some(mut session) = self.session.try_update_value(Option::take).flatten() else {
            return;
        };
        self.busy.set(true);
        spawn_local(async move {
            match (gpu, self.gpu()) {
                (true, Some(ctx)) => _ = session.use_gpu(ctx),
                _ => {
                    if let Err(e) = session.use_cpu().await {
                        self.phase.set(Phase::Failed(e.to_string()));
                    }
                }
            }
            self.on_backend.set(session.backend_name());
            self.session.set_value(Some(session));
            self.busy.set(false);
        });
    }

    /// Forgets the run (and its checkpoint); the lab goes back to the shipped weights.
    pub fn reset(self) {
        if self.busy.get_untracked() {
            return;
        }
        self.session.set_value(None);
        self.pending.set_value(None);
        self.cursor.set_value(Cursor::default());
        self.history.set(Vec::new());
        self.accuracy.set(Vec::new());
        self.steps.set(0);
        self.epoch.set(0);
        self.loss.set(None);
        self.rate.set(None);
        self.restored_at.set(None);
        self.phase.set(Phase::Idle);
        self.lab.use_shipped();
        // "Checkpoint at step" shows "–" once the checkpoint is really gone.
        spawn_local(async move {
            if let Err(e) = idb::delete(CHECKPOINT_KEY).await {
                leptos::logging::log!("convscope: cannot delete the checkpoint: {e}");
            }
            self.saved_at.set(None);
        });
    }
}
