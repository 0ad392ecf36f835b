//! The Train page's two compared runs ("Compare two runs"): run A and run B, each an ordinary
//! run of the core's one training loop in a compute worker of its own ([`TrainWorker`]: a
//! leader and its followers) on half the CPU threads ([`threads_each`]), so both train at the
//! same time off the main thread. (Two leaders rather than one leader alternating chunks: each
//! run keeps its own worker state and checkpoints, and neither waits for the other.)
//!
//! - The settings are the core's [`CompareSettings`] (one seed for both), kept in the address
//!   by the panel (`?compare=`).
//! - Each worker sends a checkpoint every ~2 s, at each epoch's end and when it pauses; the run
//!   keeps the last one (to resume from) and writes it to IndexedDB under a key of its own
//!   (`compare-a`, `compare-b`; the Train page's own run uses `train-checkpoint`). On the next
//!   visit both are restored, paused, and Resume goes on from there.
//! - The runs belong to the app (like the Train page's run), so they go on while the learner
//!   visits other pages. They do not touch the lab's model.
//! - If a worker cannot start (its script is blocked) or dies mid-run, the panel says so and
//!   that run goes on on the page's own thread from its last checkpoint, in chunks that yield
//!   ([`here`]): no step is lost, the figures are the worker's, and it stays resumable.

mod here;

use crate::train::checkpoint::{Checkpoint, TrainSettings};
use crate::train::compare::{CompareSettings, threads_each};
use crate::train::run::TrainLoop;
use crate::ui::idb;
use crate::ui::platform;
use crate::ui::state::lab::Lab;
use crate::ui::state::run_view::RunView;
use crate::ui::state::train_run::Phase;
use crate::ui::state::train_worker::{TrainWorker, WorkerSlot};
use convscope_worker::protocol::{FromLeader, MAX_THREADS, ToLeader};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// One of the two runs.
#[derive(Clone, Copy)]
pub struct Side {
    /// Run B (else run A).
    pub b: bool,
    /// The run's figures (phase, steps, loss, charts, …), as the Train page's run has them;
    /// the side dereferences to it.
    pub view: RunView,
    /// Asked to pause, the worker not yet paused.
    pub pausing: RwSignal<bool>,
    /// Why the run's worker failed (it trains on the page's own thread since).
    pub worker_note: RwSignal<Option<String>>,
    worker: WorkerSlot,
    /// The last checkpoint's bytes: where a start goes on from.
    pending: StoredValue<Option<Vec<u8>>, LocalStorage>,
    /// The worker failed: the run trains on the page's thread from now on ([`here`]).
    on_page: StoredValue<bool>,
    /// The page's loop, while paused.
    looper: StoredValue<Option<TrainLoop>, LocalStorage>,
    /// The page's loop is running (or winding down).
    busy: StoredValue<bool>,
    /// Bumped by a reset: a loop of an earlier run stops and keeps nothing.
    generation: StoredValue<u64>,
    /// The settings of the last start (a run the worker left goes on with them).
    last: StoredValue<Option<TrainSettings>>,
    data: here::SharedData,
    lab: Lab,
}

impl Side {
    fn new(b: bool, data: here::SharedData) -> Self {
        Side {
            b,
            view: RunView::default(),
            pausing: RwSignal::new(false),
            worker_note: RwSignal::new(None),
            worker: StoredValue::new_local(None),
            pending: StoredValue::new_local(None),
            on_page: StoredValue::new(false),
            looper: StoredValue::new_local(None),
            busy: StoredValue::new(false),
            generation: StoredValue::new(0),
            last: StoredValue::new(None),
            data,
            lab: Lab::get(),
        }
    }

    /// Its IndexedDB key.
    fn key(self) -> &'static str {
        if self.b { "compare-b" } else { "compare-a" }
    }

    /// Training or loading.
    pub fn running(self) -> bool {
        matches!(self.phase.get(), Phase::Running | Phase::Loading)
    }

    fn running_untracked(self) -> bool {
        matches!(self.phase.get_untracked(), Phase::Running | Phase::Loading)
    }

    /// Shows a stored checkpoint and keeps it to resume from.
    fn show(self, c: &Checkpoint, bytes: Vec<u8>) {
        self.view.show(c);
        self.pending.set_value(Some(bytes));
    }

    /// Starts (or resumes) this run in its worker with `settings` on `threads`.
    fn start(self, settings: TrainSettings, threads: usize) {
        let done = self.phase.get_untracked() == Phase::Finished
            && self.epoch.get_untracked() >= settings.epochs;
        if self.running_untracked() || done {
            return;
        }
        self.last.set_value(Some(settings));
        if self.on_page.get_value() {
            return self.start_here(settings);
        }
        let spawned = TrainWorker::get_or_spawn(
            self.worker,
            move |msg, bytes| self.on_message(msg, bytes),
            move |reason| self.lost(reason),
        );
        let worker = match spawned {
            Ok(w) => w,
            Err(e) => {
                self.lost(e);
                return self.start_here(settings);
            }
        };
        self.phase.set(Phase::Running);
        self.pausing.set(false);
        let bytes = self.pending.get_value();
        if let Err(e) = worker.send(
            &ToLeader::Start {
                settings,
                threads,
                gpu: false,
            },
            bytes.as_deref(),
        ) {
            self.lost(e);
        }
    }

    /// Asks the worker to pause (it answers with a checkpoint, then `Paused`).
    fn pause(self) {
        if !self.running_untracked() {
            return;
        }
        if self.on_page.get_value() {
            // The page's loop stops after its chunk (and keeps a checkpoint).
            return self.phase.set(Phase::Paused);
        }
        match self.worker.get_value() {
            Some(w) => {
                self.pausing.set(true);
                if let Err(e) = w.send(&ToLeader::Pause, None) {
                    self.lost(e);
                }
            }
            None => self.phase.set(Phase::Paused),
        }
    }

    /// The worker failed to start or died: the panel says why, and from now on the run trains
    /// on the page's thread; if it was training, it goes on there from its last checkpoint
    /// (unless a pause was asked for: then it stands paused there).
    fn lost(self, reason: String) {
        leptos::logging::log!("convscope: a compared run's worker stopped: {reason}");
        self.worker.set_value(None);
        self.on_page.set_value(true);
        self.worker_note.set(Some(reason));
        let resume = self.running_untracked() && !self.pausing.get_untracked();
        self.pausing.set(false);
        if self.running_untracked() {
            self.phase.set(Phase::Paused);
        }
        if let (true, Some(settings)) = (resume, self.last.get_value()) {
            self.start_here(settings);
        }
    }

    fn on_message(self, msg: FromLeader, bytes: Option<Vec<u8>>) {
        match msg {
            FromLeader::Loading { .. } => self.phase.set(Phase::Loading),
            FromLeader::Progress {
                steps,
                epoch,
                loss,
                images_per_s,
                points,
                history,
                ..
            } => self
                .view
                .on_progress((steps, epoch, loss), images_per_s, points, history),
            FromLeader::Evaluating { fraction } => self.eval_progress.set(Some(fraction)),
            FromLeader::Epoch { epoch, accuracy } => self.view.on_epoch(epoch, accuracy),
            FromLeader::Checkpoint { steps } => {
                let Some(bytes) = bytes else { return };
                self.pending.set_value(Some(bytes.clone()));
                self.view.keep(self.key(), steps, bytes, |_| {});
            }
            FromLeader::Paused => {
                self.pausing.set(false);
                self.phase.set(Phase::Paused);
            }
            FromLeader::Finished => {
                self.pausing.set(false);
                self.phase.set(Phase::Finished);
            }
            FromLeader::Failed { message } => {
                self.pausing.set(false);
                self.phase.set(Phase::Failed(message));
            }
            // The compared runs leave the lab's model alone; a lost follower's shards are
            // computed by the others (the numbers do not change); they never ask for the GPU.
            FromLeader::Weights { .. }
            | FromLeader::ThreadLost { .. }
            | FromLeader::NoGpu { .. }
            | FromLeader::GpuLost { .. } => {}
        }
    }

    /// Forgets the run and its checkpoint (the worker stops).
    fn reset(self) {
        self.worker.set_value(None);
        self.pending.set_value(None);
        self.looper.set_value(None);
        self.generation.update_value(|g| *g += 1);
        self.pausing.set(false);
        self.view.clear(self.key());
    }
}

impl std::ops::Deref for Side {
    type Target = RunView;

    fn deref(&self) -> &RunView {
        &self.view
    }
}

/// The two compared runs and their settings.
#[derive(Clone, Copy)]
pub struct Compare {
    pub settings: RwSignal<CompareSettings>,
    pub a: Side,
    pub b: Side,
    /// True once the stored checkpoints have been looked for (a link's settings apply only
    /// when neither run exists).
    pub restored: RwSignal<bool>,
}

/// Provides the app's two compared runs, restoring their checkpoints.
pub fn provide() {
    let data = here::SharedData::new();
    let compare = Compare {
        settings: RwSignal::new(CompareSettings::default()),
        a: Side::new(false, data),
        b: Side::new(true, data),
        restored: RwSignal::new(false),
    };
    spawn_local(async move { compare.restore().await });
    provide_context(compare);
}

impl Compare {
    /// The app's compared runs.
    pub fn get() -> Self {
        expect_context::<Compare>()
    }

    /// Both sides, A first.
    pub fn sides(self) -> [Side; 2] {
        [self.a, self.b]
    }

    /// Whether either run trains (or loads).
    pub fn running(self) -> bool {
        self.a.running() || self.b.running()
    }

    /// Whether either run has taken a step (the settings are then fixed until Reset).
    pub fn started(self) -> bool {
        self.a.steps.get() > 0 || self.b.steps.get() > 0 || self.running()
    }

    /// Whether both runs have done their epochs.
    pub fn finished(self) -> bool {
        self.sides()
            .iter()
            .all(|s| s.phase.get() == Phase::Finished)
    }

    /// Reads the checkpoints kept by an earlier visit; each run stands paused at its step.
    async fn restore(self) {
        for side in self.sides() {
            let bytes = match idb::get(side.key()).await {
                Ok(Some(bytes)) => bytes,
                Ok(None) => continue,
                Err(e) => {
                    leptos::logging::log!("convscope: no stored compared runs: {e}");
                    break;
                }
            };
            let c = match Checkpoint::from_bytes(&bytes) {
                Ok(c) => c,
                Err(e) => {
                    leptos::logging::log!("convscope: an unreadable compared run ({e}); dropped");
                    let _ = idb::delete(side.key()).await;
                    continue;
                }
            };
            if side.phase.get_untracked() != Phase::Idle {
                continue;
            }
            self.settings.update(|s| {
                if side.b {
                    s.b = c.settings;
                } else {
                    s.a = c.settings;
                }
            });
            side.show(&c, bytes);
            side.restored_at.set(Some(c.steps));
            side.saved_at.set(Some(c.steps));
            side.phase.set(if c.epoch >= c.settings.epochs {
                Phase::Finished
            } else {
                Phase::Paused
            });
        }
        self.restored.set(true);
    }

    /// Starts or resumes both runs (a finished one stays finished); once both are finished,
    /// trains both one more epoch.
    pub fn start(self) {
        if self
            .sides()
            .iter()
            .all(|s| s.phase.get_untracked() == Phase::Finished)
        {
            self.settings.update(|s| {
                s.a.epochs = self.a.epoch.get_untracked() + 1;
                s.b.epochs = self.b.epoch.get_untracked() + 1;
            });
        }
        let threads = threads_each(platform::hardware_concurrency().clamp(1, MAX_THREADS));
        let settings = self.settings.get_untracked();
        for side in self.sides() {
            side.start(settings.side(side.b), threads);
        }
    }

    /// Pauses both runs.
    pub fn pause(self) {
        for side in self.sides() {
            side.pause();
        }
    }

    /// Forgets both runs and their checkpoints.
    pub fn reset(self) {
        for side in self.sides() {
            side.reset();
        }
    }
}
