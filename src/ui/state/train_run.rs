//! The app's training run: signals for the Train page's panel over the core's one training loop
//! ([`TrainLoop`]: epochs, seeded batches, evaluation at each epoch's end, checkpoints, the
//! backend switch and the fall back from a lost GPU). This module only drives it in chunks,
//! passes in the browser's clock and storage, and mirrors its state into signals.
//!
//! - The model is the one the settings name: the lesson's Net, the residual net or the Inception
//!   net, on either backend.
//! - The training set is fetched on demand (with progress) and decoded by the core's IDX reader.
//!   Chunks stop before they would pass ~40 ms (on WebGPU after 4 steps) and the loop yields to
//!   the browser between them.
//! - At the end of each epoch the model is evaluated on the 10,000 test digits (SIMD, in
//!   slices, yielding between them) for the accuracy chart; the run stops after the chosen
//!   number of epochs.
//! - Every ~2 s (and when paused) the weights go to the lab, so the drawing pad, the feature
//!   maps and the evaluation use the model being trained ([`Cadence`]).
//! - Every ~10 s, at each epoch's end and when paused, a [`Checkpoint`] is written to IndexedDB;
//!   on the next visit the panel restores it and training resumes from that step.
//! - The run belongs to the app, not to the panel: it keeps training while the learner is on
//!   another page, and the panel shows it again on return.
//! - If the GPU is lost (or the "simulate" button pretends so) or reports an error (out of
//!   memory, a rejected command), the session continues on the CPU from the last completed step;
//!   the panel says why and the footer says so.
//! - On WASM SIMD the run trains in the compute worker ([`TrainWorker`]: a leader Web Worker
//!   and its followers, `threads` in all, data-parallel), so the main thread only renders.
//!   On WebGPU too: the leader opens its own GPU device and drives it. Where a browser does not
//!   offer WebGPU to workers, the run trains on WebGPU from the main thread, and the panel says
//!   so; if the worker's GPU is lost, the run goes on on WASM SIMD in the workers.
//!   The run moves between the worker and the page through exact checkpoints: the worker sends
//!   one every ~2 s and when it pauses. If the worker cannot start or dies, the run goes on on
//!   the main thread from the last checkpoint, and the panel says why.
//! - The faster backend by default: where the browser offers WebGPU, a fresh run's first start
//!   times its own first steps on WASM SIMD (in the workers) and then on WebGPU
//!   ([`RateProbe`]), goes on on the faster ([`Choice`]) and says which and why. The choice is
//!   kept per model and thread count (`localStorage`), so later runs start on it at once; the
//!   learner's own pick under "Compute on" overrides it and nothing is timed.

use crate::backend::cpu::SimdBackend;
use crate::train::checkpoint::{Checkpoint, TrainSettings};
use crate::train::choice::{Choice, RateProbe};
use crate::train::data::Mnist;
use crate::train::parallel::InlinePool;
use crate::train::run::{Cadence, RateMeter, TrainLoop};
use crate::train::session::{Session, TrainBackend};
use crate::ui::idb;
use crate::ui::platform;
use crate::ui::state::backend::{BackendState, BackendStatus, NoGpuReason};
use crate::ui::state::lab::{Lab, ModelSource};
use crate::ui::state::run_view::{RunView, page_chunk};
use crate::ui::state::train_worker::{TrainWorker, WorkerSlot};
use convscope_worker::protocol::{FromLeader, MAX_THREADS, ToLeader};
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

/// Something the panel should tell about the compute worker.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerNote {
    /// The worker could not start or died: training runs on the main thread.
    Failed(String),
    /// WebGPU is not offered to the worker: training on WebGPU runs on the main thread.
    NoGpuInWorker(String),
    /// A follower stopped; the others carry its share.
    ThreadLost {
        /// Threads left.
        threads: usize,
        /// What happened.
        reason: String,
    },
}

/// Everything the async loop and the handlers share.
#[derive(Clone, Copy)]
pub struct Run {
    /// The page's language, for the core's errors a failed run shows.
    lang: Option<RwSignal<crate::i18n::Lang>>,
    /// The run's figures (phase, steps, loss, charts, …), shared with the compared runs; the
    /// run dereferences to it.
    pub view: RunView,
    pub settings: RwSignal<TrainSettings>,
    pub want_gpu: RwSignal<bool>,
    pub on_backend: RwSignal<TrainBackend>,
    pub lost: RwSignal<bool>,
    /// Why the GPU was left (the device's error), once [`Run::lost`].
    pub gpu_error: RwSignal<Option<crate::backend::gpu::GpuError>>,
    /// While the training set loads: the fraction received.
    pub load_progress: RwSignal<Option<f64>>,
    /// Why checkpoints cannot be kept, if they cannot.
    pub storage_error: RwSignal<Option<String>>,
    /// True from a start (or a backend switch) until the loop has put the session back: while it
    /// is, start, reset and switch wait (no second loop, no fresh model over a paused one).
    pub busy: RwSignal<bool>,
    /// CPU threads to train on (the compute worker's leader and followers).
    pub threads: RwSignal<usize>,
    /// The threads the last steps ran on, while the run is in the compute worker.
    pub threads_used: RwSignal<Option<usize>>,
    /// Whether the run lives in the compute worker now.
    pub in_worker: RwSignal<bool>,
    /// What to tell about the worker (it failed, a thread was lost).
    pub worker_note: RwSignal<Option<WorkerNote>>,
    /// The timed choice of backend for this model and thread count, once timed.
    pub choice: RwSignal<Option<Choice>>,
    /// The backend being timed now, during a fresh run's first seconds.
    pub timing: RwSignal<Option<TrainBackend>>,
    /// Whether the learner picked the backend ("Compute on"): then nothing is timed.
    pub learner_chose: RwSignal<bool>,
    worker: WorkerSlot,
    worker_failed: StoredValue<bool>,
    /// The worker could not open a GPU device: WebGPU trains on the main thread.
    gpu_worker_failed: StoredValue<bool>,
    data: StoredValue<Option<Rc<Mnist>>, LocalStorage>,
    /// The core's loop, while no chunk holds it.
    looper: StoredValue<Option<TrainLoop>, LocalStorage>,
    /// A checkpoint restored on opening the page, resumed on the first start.
    pending: StoredValue<Option<Checkpoint>, LocalStorage>,
    backend: BackendState,
    lab: Lab,
}

impl std::ops::Deref for Run {
    type Target = RunView;

    fn deref(&self) -> &RunView {
        &self.view
    }
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
            lang: use_context::<crate::ui::state::lang::LangState>().map(|l| l.0),
            view: RunView::default(),
            settings: RwSignal::new(TrainSettings::default()),
            want_gpu: RwSignal::new(true),
            on_backend: RwSignal::new(TrainBackend::Simd),
            lost: RwSignal::new(false),
            gpu_error: RwSignal::new(None),
            load_progress: RwSignal::new(None),
            storage_error: RwSignal::new(None),
            busy: RwSignal::new(false),
            threads: RwSignal::new(platform::hardware_concurrency().clamp(1, MAX_THREADS)),
            threads_used: RwSignal::new(None),
            in_worker: RwSignal::new(false),
            worker_note: RwSignal::new(None),
            choice: RwSignal::new(None),
            timing: RwSignal::new(None),
            learner_chose: RwSignal::new(false),
            worker: StoredValue::new_local(None),
            worker_failed: StoredValue::new(false),
            gpu_worker_failed: StoredValue::new(false),
            data: StoredValue::new_local(None),
            looper: StoredValue::new_local(None),
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

    /// Whether a run exists to resume (paused locally, or in the compute worker), untracked.
    pub fn has_session(self) -> bool {
        self.looper.with_value(Option::is_some)
            || (self.in_worker.get_untracked() && self.steps.get_untracked() > 0)
    }

    /// A core shape error in the page's language.
    fn shape_error(self, e: &crate::error::ShapeError) -> String {
        let lang = self
            .lang
            .map_or_else(Default::default, |l| l.get_untracked());
        crate::i18n::core_errors::shape(lang, e)
    }

    pub fn running(self) -> bool {
        matches!(self.phase.get(), Phase::Running | Phase::Loading)
    }

    /// Where the training computes, for the Train page and the footer: a short tag
    /// (`workers`, `gpu`, `main`) and the sentence in `lang`.
    pub fn where_runs(self, lang: crate::i18n::Lang) -> (&'static str, String) {
        let tr = |key| crate::i18n::tr(lang, key);
        let in_worker = self.in_worker.get();
        if in_worker && self.on_backend.get() == TrainBackend::WebGpu {
            ("gpu-worker", tr("train.where.gpu_worker").to_string())
        } else if let Some(n) = self.threads_used.get().filter(|_| in_worker) {
            (
                "workers",
                crate::i18n::tr_count(lang, "train.where.worker_one", "train.where.workers", n),
            )
        } else if self.on_backend.get() == TrainBackend::WebGpu {
            ("gpu", tr("train.where.gpu").to_string())
        } else {
            ("main", tr("train.where.main").to_string())
        }
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
        self.view.show(&c);
        self.lab.set_model(c.net(), ModelSource::Trained(c.steps));
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
        let loaded = convscope_worker::fetch::load_mnist("train", progress).await;
        self.load_progress.set(None);
        let data = Rc::new(loaded?);
        self.data.set_value(Some(Rc::clone(&data)));
        Ok(data)
    }

    /// The loop to run: the paused one, the restored checkpoint's, or a fresh one.
    fn take_loop(self) -> TrainLoop {
        if let Some(looper) = self.looper.try_update_value(Option::take).flatten() {
            return looper;
        }
        let mut looper = match self.pending.try_update_value(Option::take).flatten() {
            Some(c) => TrainLoop::resume(&c),
            None => TrainLoop::fresh(self.settings.get_untracked()),
        };
        // "One more epoch" after a finished run raises the epochs in the settings.
        looper.settings.epochs = self.settings.get_untracked().epochs;
        // The batch in the same shards as in the compute worker, so the numbers on this thread
        // are the worker's to the last bit.
        looper.session.set_pool(Some(Box::new(InlinePool {
            backend: SimdBackend::new(),
            workers: 0,
        })));
        if let (true, Some(ctx)) = (self.want_gpu.get_untracked(), self.gpu()) {
            // Every model the panel offers has a GPU step.
            let _ = looper.session.use_gpu(ctx);
        }
        looper
    }

    /// Starts or resumes the loop: on the learner's backend if they picked one; else on the
    /// faster one, timing both first on a fresh run if they have not been timed here.
    pub fn start(self) {
        if self.running() || self.busy.get_untracked() {
            return;
        }
        let fresh = self.phase.get_untracked() == Phase::Idle && self.steps.get_untracked() == 0;
        if !self.learner_chose.get_untracked() && self.gpu().is_some() {
            match self.kept_choice() {
                Some(choice) => {
                    self.choice.set(Some(choice));
                    if fresh {
                        self.want_gpu.set(choice.pick() == TrainBackend::WebGpu);
                    }
                }
                None if fresh => {
                    spawn_local(self.time_backends());
                    return;
                }
                None => {}
            }
        }
        self.start_now();
    }

    /// The choice timed earlier for the current model and thread count, if any.
    fn kept_choice(self) -> Option<Choice> {
        let key = Choice::key(
            self.settings.get_untracked().model.name(),
            self.threads.get_untracked(),
        );
        serde_json::from_str(&platform::load(&key)?).ok()
    }

    /// Times the run's first steps on WASM SIMD, then on WebGPU, and goes on on the faster one.
    /// A pause by the learner, a failure or a lost GPU ends the timing where it is; nothing is
    /// kept then, and the run stays on the backend it is on.
    async fn time_backends(self) {
        let settings = self.settings.get_untracked();
        let threads = self.threads.get_untracked();
        self.timing.set(Some(TrainBackend::Simd));
        self.want_gpu.set(false);
        self.start_now();
        let simd = self.time_rate(settings.batch).await;
        let simd_threads = self.threads_used.get_untracked().unwrap_or(1);
        let Some(simd) = simd else {
            self.timing.set(None);
            return;
        };
        self.timing.set(Some(TrainBackend::WebGpu));
        if !self.pause_and_wait().await {
            self.timing.set(None);
            return;
        }
        self.want_gpu.set(true);
        self.start_now();
        let gpu = self.time_rate(settings.batch).await;
        self.timing.set(None);
        let Some(gpu) = gpu.filter(|_| !self.lost.get_untracked()) else {
            return;
        };
        let choice = Choice::new(simd, gpu, simd_threads);
        leptos::logging::log!(
            "convscope: timed WASM SIMD ({simd_threads} threads) {simd:.0} images/s, WebGPU {gpu:.0} images/s"
        );
        if let Ok(json) = serde_json::to_string(&choice) {
            platform::save(&Choice::key(settings.model.name(), threads), &json);
        }
        self.choice.set(Some(choice));
        if choice.pick() == TrainBackend::Simd && self.pause_and_wait().await {
            self.want_gpu.set(false);
            self.start_now();
        }
    }

    /// The rate (images per second) of the steps the run makes now, over a short window once
    /// the first step is done; `None` if the run stops first.
    async fn time_rate(self, batch: usize) -> Option<f64> {
        let mut probe = RateProbe::new(self.steps.get_untracked(), batch);
        loop {
            TimeoutFuture::new(50).await;
            if !self.running_untracked() || self.lost.get_untracked() {
                return None;
            }
            if let Some(rate) = probe.observe(platform::now_ms(), self.steps.get_untracked()) {
                return Some(rate);
            }
        }
    }

    /// Pauses and waits until the run is paused; false if it stopped otherwise.
    async fn pause_and_wait(self) -> bool {
        self.pause();
        loop {
            TimeoutFuture::new(20).await;
            match self.phase.get_untracked() {
                Phase::Paused if !self.busy.get_untracked() => return true,
                Phase::Running | Phase::Loading | Phase::Paused => {}
                _ => return false,
            }
        }
    }

    /// [`Run::start`] on the backend `want_gpu` names.
    fn start_now(self) {
        if self.running() || self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        if self.phase.get_untracked() == Phase::Finished {
            // One more epoch.
            let done = self.epoch.get_untracked();
            self.settings.update(|s| s.epochs = done + 1);
            self.looper
                .update_value(|l| _ = l.as_mut().map(|l| l.settings.epochs = done + 1));
        }
        let on_gpu = self.want_gpu.get_untracked() && self.gpu().is_some();
        if (!on_gpu || !self.gpu_worker_failed.get_value()) && self.start_in_worker(on_gpu) {
            return;
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

    /// Pauses after the current chunk (or, while the data loads, once it has loaded). In the
    /// worker the run pauses when the worker says so (after its checkpoint).
    pub fn pause(self) {
        if !matches!(self.phase.get_untracked(), Phase::Running | Phase::Loading) {
            return;
        }
        match self
            .worker
            .get_value()
            .filter(|_| self.in_worker.get_untracked())
        {
            Some(worker) => {
                self.busy.set(true);
                if let Err(e) = worker.send(&ToLeader::Pause, None) {
                    self.worker_lost(e);
                }
            }
            None => self.phase.set(Phase::Paused),
        }
    }

    /// Pretends the GPU in use was lost (the `?debug` page's test): the worker's device, or the
    /// page's own.
    pub fn simulate_gpu_loss(self) {
        match self
            .worker
            .get_value()
            .filter(|_| self.in_worker.get_untracked())
        {
            Some(worker) => _ = worker.send(&ToLeader::LoseGpu, None),
            None => {
                if let Some(ctx) = self.gpu() {
                    ctx.simulate_device_loss();
                }
            }
        }
    }

    /// Terminates one of the compute worker's threads mid-run (the `?debug` page's test).
    pub fn kill_worker_thread(self) {
        if let Some(worker) = self.worker.get_value() {
            let _ = worker.send(&ToLeader::KillFollower, None);
        }
    }

    /// The compute worker, started on first use (`None` if it cannot be).
    fn worker_handle(self) -> Option<Rc<TrainWorker>> {
        if self.worker_failed.get_value() {
            return None;
        }
        let spawned = TrainWorker::get_or_spawn(
            self.worker,
            move |msg, bytes| self.on_worker_message(msg, bytes),
            move |reason| self.worker_lost(reason),
        );
        match spawned {
            Ok(w) => Some(w),
            Err(e) => {
                self.worker_failed.set_value(true);
                self.worker_note.set(Some(WorkerNote::Failed(e)));
                None
            }
        }
    }

    /// Starts (or resumes) the run in the compute worker, on WebGPU if `gpu`; false if there is
    /// no worker.
    fn start_in_worker(self, gpu: bool) -> bool {
        let Some(worker) = self.worker_handle() else {
            return false;
        };
        self.phase.set(Phase::Running);
        self.in_worker.set(true);
        spawn_local(async move {
            // The state to go on from: the page's own loop (after training on the GPU) or the
            // last checkpoint (the worker's, or the one restored on opening the page).
            let bytes = match self.looper.try_update_value(Option::take).flatten() {
                Some(mut looper) => match looper.checkpoint().await {
                    Ok(c) => {
                        let bytes = c.to_bytes();
                        // Kept as the state to go on from, should the worker fail now.
                        self.pending.set_value(Some(c));
                        Some(bytes)
                    }
                    Err(e) => {
                        self.phase.set(Phase::Failed(self.shape_error(&e)));
                        self.busy.set(false);
                        return;
                    }
                },
                None => self
                    .pending
                    .with_value(|c| c.as_ref().map(Checkpoint::to_bytes)),
            };
            let start = ToLeader::Start {
                settings: self.settings.get_untracked(),
                threads: self.threads.get_untracked(),
                gpu,
            };
            if let Err(e) = worker.send(&start, bytes.as_deref()) {
                self.worker_lost(e);
                return;
            }
            self.busy.set(false);
        });
        true
    }

    /// Mirrors a message of the compute worker.
    fn on_worker_message(self, msg: FromLeader, bytes: Option<Vec<u8>>) {
        match msg {
            FromLeader::Loading { fraction } => {
                self.phase.set(Phase::Loading);
                self.load_progress.set(fraction);
            }
            FromLeader::Progress {
                steps,
                epoch,
                loss,
                images_per_s,
                threads,
                gpu,
                points,
                history,
            } => {
                self.load_progress.set(None);
                self.view
                    .on_progress((steps, epoch, loss), images_per_s, points, history);
                self.on_backend.set(if gpu {
                    TrainBackend::WebGpu
                } else {
                    TrainBackend::Simd
                });
                self.threads_used.set(Some(threads));
            }
            FromLeader::Evaluating { fraction } => self.eval_progress.set(Some(fraction)),
            FromLeader::Epoch { epoch, accuracy } => self.view.on_epoch(epoch, accuracy),
            FromLeader::Weights { steps, model } => match bytes.map(|b| model.load(&b)) {
                Some(Ok(net)) => self.lab.set_model(net, ModelSource::Trained(steps)),
                Some(Err(e)) => leptos::logging::log!("convscope: the worker's weights: {e}"),
                None => {}
            },
            FromLeader::Checkpoint { steps } => {
                let Some(bytes) = bytes else { return };
                match Checkpoint::from_bytes(&bytes) {
                    Ok(c) => self.pending.set_value(Some(c)),
                    Err(e) => {
                        leptos::logging::log!("convscope: the worker's checkpoint: {e}");
                        return;
                    }
                }
                let failed = move |e| self.storage_error.set(Some(e));
                self.view.keep(CHECKPOINT_KEY, steps, bytes, failed);
            }
            FromLeader::Paused => {
                self.phase.set(Phase::Paused);
                self.busy.set(false);
            }
            FromLeader::Finished => {
                self.phase.set(Phase::Finished);
                self.busy.set(false);
            }
            FromLeader::ThreadLost { threads, reason } => {
                self.threads_used.set(Some(threads));
                self.worker_note
                    .set(Some(WorkerNote::ThreadLost { threads, reason }));
            }
            FromLeader::NoGpu { message } => {
                // Train on WebGPU from the page's own thread, from the state sent.
                leptos::logging::log!("convscope: no WebGPU in the compute worker: {message}");
                self.gpu_worker_failed.set_value(true);
                self.worker_note
                    .set(Some(WorkerNote::NoGpuInWorker(message)));
                self.in_worker.set(false);
                self.threads_used.set(None);
                // Paused meanwhile (pause() marks the run busy until the answer): stay paused.
                let pausing = self.busy.get_untracked();
                self.busy.set(false);
                self.phase.set(Phase::Paused);
                if !pausing {
                    self.start();
                }
            }
            FromLeader::GpuLost { tag, detail } => {
                let why = crate::backend::gpu::GpuError::from_tag(&tag, detail);
                leptos::logging::log!("convscope: the worker left the GPU: {why}");
                self.gpu_error.set(Some(why));
                self.lost.set(true);
                self.want_gpu.set(false);
                self.on_backend.set(TrainBackend::Simd);
                self.backend
                    .status
                    .set(BackendStatus::Simd(NoGpuReason::Lost));
                self.backend.gpu.set_value(None);
            }
            FromLeader::Failed { message } => {
                web_sys::console::error_1(
                    &format!("convscope: training stopped: {message}").into(),
                );
                self.phase.set(Phase::Failed(message));
                self.busy.set(false);
            }
        }
    }

    /// The compute worker failed to start or died: from now on the run trains on the main
    /// thread, from the last checkpoint, if it was training.
    fn worker_lost(self, reason: String) {
        leptos::logging::log!("convscope: the compute worker stopped: {reason}");
        self.worker.set_value(None);
        self.worker_failed.set_value(true);
        self.worker_note.set(Some(WorkerNote::Failed(reason)));
        self.threads_used.set(None);
        let was_running = self.in_worker.get_untracked() && self.running_untracked();
        self.in_worker.set(false);
        self.busy.set(false);
        if was_running {
            self.phase.set(Phase::Paused);
            self.start();
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
        let mut looper = self.take_loop();
        self.in_worker.set(false);
        self.threads_used.set(None);
        self.phase.set(Phase::Running);
        let mut cadence = Cadence::new(platform::now_ms());
        let mut meter = RateMeter::default();
        let result = async {
            while self.phase.get_untracked() == Phase::Running {
                let started = platform::now_ms();
                let chunk = page_chunk(&mut looper, &data).await?;
                if let Some(loss) = chunk.loss {
                    self.loss.set(Some(loss));
                    self.steps.set(looper.steps());
                    self.rate
                        .set(Some(meter.add(started, platform::now_ms(), chunk.images)));
                    self.history.set(looper.session.history.clone());
                    self.note_backend(&looper.session);
                }
                if chunk.epoch_done {
                    self.end_of_epoch(&mut looper).await?;
                    self.save(&mut looper).await;
                    cadence.saved(platform::now_ms());
                    if looper.finished() {
                        self.phase.set(Phase::Finished);
                        break;
                    }
                }
                let now = platform::now_ms();
                if cadence.publish_due(now) {
                    self.publish(&mut looper.session).await;
                }
                if cadence.save_due(now) {
                    self.save(&mut looper).await;
                }
                TimeoutFuture::new(0).await;
            }
            Ok::<(), String>(())
        }
        .await;
        self.publish(&mut looper.session).await;
        self.save(&mut looper).await;
        self.looper.set_value(Some(looper));
        if result.is_ok() && self.phase.get_untracked() == Phase::Running {
            self.phase.set(Phase::Paused);
        }
        result
    }

    /// The epoch's test accuracy, for the chart (and the weights to the lab).
    async fn end_of_epoch(self, looper: &mut TrainLoop) -> Result<(), String> {
        // (The page's run cannot be reset while its loop runs: it is busy.)
        let net = self.view.end_of_epoch(looper, self.lab, || true).await?;
        self.lab
            .set_model(net, ModelSource::Trained(looper.steps()));
        Ok(())
    }

    /// Gives the current weights to the lab.
    async fn publish(self, session: &mut Session) {
        match session.model().await {
            Ok(net) => self.lab.set_model(net, ModelSource::Trained(session.steps)),
            Err(e) => leptos::logging::log!("convscope: cannot read the weights: {e}"),
        }
    }

    /// Writes the checkpoint to IndexedDB.
    async fn save(self, looper: &mut TrainLoop) {
        let failed = move |e| self.storage_error.set(Some(e));
        self.view
            .store(CHECKPOINT_KEY, looper, || true, failed)
            .await;
    }

    fn note_backend(self, session: &Session) {
        self.on_backend.set(session.backend());
        if session.fallbacks > 0 && !self.lost.get_untracked() {
            let why = session.gpu_error.clone();
            leptos::logging::log!("convscope: left the GPU: {why:?}");
            self.gpu_error.set(why);
            self.lost.set(true);
            self.want_gpu.set(false);
            self.backend
                .status
                .set(BackendStatus::Simd(NoGpuReason::Lost));
            self.backend.gpu.set_value(None);
        }
    }

    /// The learner's pick under "Compute on": it overrides the timed choice from now on.
    pub fn pick_backend(self, gpu: bool) {
        if self.busy.get_untracked() {
            return;
        }
        self.learner_chose.set(true);
        self.switch(gpu);
    }

    /// Moves a paused session to the chosen backend.
    fn switch(self, gpu: bool) {
        if self.busy.get_untracked() {
            return;
        }
        self.want_gpu.set(gpu);
        self.on_backend.set(if gpu && self.gpu().is_some() {
            TrainBackend::WebGpu
        } else {
            TrainBackend::Simd
        });
        let Some(mut looper) = self.looper.try_update_value(Option::take).flatten() else {
            return;
        };
        self.busy.set(true);
        spawn_local(async move {
            match (gpu, self.gpu()) {
                (true, Some(ctx)) => _ = looper.session.use_gpu(ctx),
                _ => {
                    if let Err(e) = looper.session.use_cpu().await {
                        self.phase.set(Phase::Failed(self.shape_error(&e)));
                    }
                }
            }
            self.on_backend.set(looper.session.backend());
            self.looper.set_value(Some(looper));
            self.busy.set(false);
        });
    }

    /// Forgets the run (and its checkpoint); the lab goes back to the shipped weights.
    pub fn reset(self) {
        if self.busy.get_untracked() {
            return;
        }
        self.looper.set_value(None);
        self.pending.set_value(None);
        self.in_worker.set(false);
        self.threads_used.set(None);
        self.view.clear(CHECKPOINT_KEY);
        self.lab.use_shipped();
    }
}
