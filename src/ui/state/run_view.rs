//! What a training run shows, and the code that fills it, shared by the Train page's run
//! ([`crate::ui::state::train_run::Run`]) and each of the two compared runs
//! ([`crate::ui::state::compare_run::Side`]).
//!
//! [`RunView`] holds a run's figures as signals (phase, steps, epoch, loss, rate, the loss and
//! accuracy histories, the epoch's test progress, the checkpoints' steps). Both run types embed
//! one and dereference to it, so the panels read `run.steps` either way. It is filled from
//! three places, each written once here:
//! - the compute worker's messages ([`RunView::on_progress`], [`RunView::on_epoch`],
//!   [`RunView::keep`] for its checkpoints);
//! - the page's own loop: [`page_chunk`] trains a chunk that keeps the page responsive,
//!   [`RunView::end_of_epoch`] evaluates the model on the 10,000 test
//!   digits in slices that yield, [`RunView::store`] writes its checkpoint. Both wait on the
//!   browser, and a run can be reset meanwhile (a compared run on the page's thread: Reset is
//!   offered as soon as it is paused, while its loop winds down): they take a `live` test and
//!   set nothing, and store nothing, once it says the run is gone;
//! - a checkpoint restored on opening the page ([`RunView::show`]); [`RunView::clear`] forgets
//!   it all.

use crate::backend::cpu::SimdBackend;
use crate::models::classifier::Classifier;
use crate::train::checkpoint::Checkpoint;
use crate::train::data::Mnist;
use crate::train::run::{Chunk, TrainLoop};
use crate::train::session::TrainBackend;
use crate::ui::idb;
use crate::ui::platform;
use crate::ui::state::lab::Lab;
use crate::ui::state::train_run::Phase;
use gloo::timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// One chunk of the page's own loop: steps until the next would pass ~40 ms (judging by the
/// steps so far), or 4 steps on WebGPU (it queues its work: time says little before the
/// readback). The caller yields to the browser before the next.
pub async fn page_chunk(looper: &mut TrainLoop, data: &Mnist) -> Result<Chunk, String> {
    let started = platform::now_ms();
    let on_gpu = looper.session.backend() == TrainBackend::WebGpu;
    let mut steps = 0.0;
    looper
        .chunk(data, |_| {
            steps += 1.0;
            let elapsed = platform::now_ms() - started;
            if on_gpu {
                steps < 4.0
            } else {
                elapsed + elapsed / steps < 40.0
            }
        })
        .await
        .map_err(|e| e.to_string())
}

/// A run's figures (see the module docs).
#[derive(Clone, Copy)]
pub struct RunView {
    pub phase: RwSignal<Phase>,
    pub steps: RwSignal<u64>,
    pub epoch: RwSignal<u64>,
    /// The last step's loss.
    pub loss: RwSignal<Option<f32>>,
    /// Images per second of the last chunk.
    pub rate: RwSignal<Option<f64>>,
    /// `(step, loss)` chart points.
    pub history: RwSignal<Vec<(u64, f32)>>,
    /// `(step, test accuracy %)` after each epoch.
    pub accuracy: RwSignal<Vec<(u64, f32)>>,
    /// While the epoch's test evaluation runs: the fraction done.
    pub eval_progress: RwSignal<Option<f64>>,
    /// The step of the last checkpoint stored.
    pub saved_at: RwSignal<Option<u64>>,
    /// The step a checkpoint restored on opening the page.
    pub restored_at: RwSignal<Option<u64>>,
}

impl Default for RunView {
    /// A run that has not started.
    fn default() -> Self {
        RunView {
            phase: RwSignal::new(Phase::Idle),
            steps: RwSignal::new(0),
            epoch: RwSignal::new(0),
            loss: RwSignal::new(None),
            rate: RwSignal::new(None),
            history: RwSignal::new(Vec::new()),
            accuracy: RwSignal::new(Vec::new()),
            eval_progress: RwSignal::new(None),
            saved_at: RwSignal::new(None),
            restored_at: RwSignal::new(None),
        }
    }
}

impl RunView {
    /// Shows a checkpoint's figures.
    pub fn show(self, c: &Checkpoint) {
        self.steps.set(c.steps);
        self.epoch.set(c.epoch);
        let history = c.history();
        self.loss.set(history.last().map(|p| p.1));
        self.history.set(history);
        self.accuracy
            .set(c.accuracy.iter().map(|&(s, a)| (s, a as f32)).collect());
    }

    /// The test accuracies by epoch (1, 2, …), for the accuracy charts (their titles count
    /// epochs, not steps).
    pub fn accuracy_by_epoch(self) -> Signal<Vec<(u64, f32)>> {
        Signal::derive(move || {
            self.accuracy.with(|all| {
                let by_epoch = all.iter().enumerate();
                by_epoch.map(|(i, &(_, a))| (i as u64 + 1, a)).collect()
            })
        })
    }

    /// The worker's `Progress`: a chunk of steps is done (`points` are the chart points added
    /// since the last message, `history` the whole thinned history when old points were dropped).
    pub fn on_progress(
        self,
        (steps, epoch, loss): (u64, u64, f32),
        images_per_s: f64,
        points: Vec<(u64, f32)>,
        history: Option<Vec<(u64, f32)>>,
    ) {
        if self.phase.get_untracked() == Phase::Loading {
            self.phase.set(Phase::Running);
        }
        self.steps.set(steps);
        self.epoch.set(epoch);
        self.loss.set(Some(loss));
        self.rate.set(Some(images_per_s));
        match history {
            Some(h) => self.history.set(h),
            None => self.history.update(|h| h.extend(points)),
        }
    }

    /// The worker's `Epoch`: the epoch's test is done.
    pub fn on_epoch(self, epoch: u64, accuracy: Vec<(u64, f32)>) {
        self.eval_progress.set(None);
        self.epoch.set(epoch);
        self.accuracy.set(accuracy);
    }

    /// The page's loop at an epoch's end: tests the model on the lab's test set (on SIMD, in
    /// slices of 500 that yield to the browser) for the accuracy chart; the model tested. The
    /// figures change only while `live()` (see the module docs).
    pub async fn end_of_epoch(
        self,
        looper: &mut TrainLoop,
        lab: Lab,
        live: impl Fn() -> bool + Copy,
    ) -> Result<Box<dyn Classifier>, String> {
        let test = lab.test_set().await?;
        let progress = move |done| {
            if live() {
                self.eval_progress.set(Some(done));
            }
        };
        progress(0.0);
        let (net, _) = looper
            .end_epoch(&SimdBackend::new(), &test, 500, |done| {
                progress(done);
                TimeoutFuture::new(0)
            })
            .await
            .map_err(|e| e.to_string())?;
        if live() {
            self.on_epoch(looper.cursor.epoch, looper.accuracy.clone());
        }
        Ok(net)
    }

    /// Writes the page's loop's checkpoint to IndexedDB under `key` (unless it is the one
    /// stored last) and gives its bytes; `failed` hears why it could not (logged too). Nothing
    /// is stored, nor given, unless `live()` once the checkpoint is made (see the module docs).
    pub async fn store(
        self,
        key: &'static str,
        looper: &mut TrainLoop,
        live: impl Fn() -> bool,
        failed: impl Fn(String),
    ) -> Option<Vec<u8>> {
        let steps = looper.steps();
        if steps == 0 || self.saved_at.get_untracked() == Some(steps) {
            return None;
        }
        match looper.checkpoint().await {
            Ok(_) if !live() => None,
            Ok(c) => {
                let bytes = c.to_bytes();
                self.put(key, steps, &bytes, failed).await;
                live().then_some(bytes)
            }
            Err(e) => {
                leptos::logging::log!("convscope: cannot keep a checkpoint: {e}");
                failed(e.to_string());
                None
            }
        }
    }

    /// Writes the worker's checkpoint at `steps` to IndexedDB under `key`, in the background;
    /// `failed` hears why it could not.
    pub fn keep(
        self,
        key: &'static str,
        steps: u64,
        bytes: Vec<u8>,
        failed: impl Fn(String) + 'static,
    ) {
        spawn_local(async move { self.put(key, steps, &bytes, failed).await });
    }

    async fn put(self, key: &'static str, steps: u64, bytes: &[u8], failed: impl Fn(String)) {
        match idb::put(key, bytes).await {
            Ok(()) => self.saved_at.set(Some(steps)),
            Err(e) => {
                leptos::logging::log!("convscope: cannot keep a checkpoint: {e}");
                failed(e);
            }
        }
    }

    /// Back to a run that has not started; the checkpoint under `key` is deleted (and "saved
    /// at" shows "–" once it really is gone).
    pub fn clear(self, key: &'static str) {
        self.phase.set(Phase::Idle);
        self.steps.set(0);
        self.epoch.set(0);
        self.loss.set(None);
        self.rate.set(None);
        self.history.set(Vec::new());
        self.accuracy.set(Vec::new());
        self.eval_progress.set(None);
        self.restored_at.set(None);
        spawn_local(async move {
            if let Err(e) = idb::delete(key).await {
                leptos::logging::log!("convscope: cannot delete a checkpoint: {e}");
            }
            self.saved_at.set(None);
        });
    }
}
