//! A compared run on the page's own thread: where a run goes on when its compute worker cannot
//! start (its script is blocked) or dies mid-run.
//!
//! It is the same core loop ([`TrainLoop`]) the worker drives, with the same sharded step (all
//! shards on this thread, [`InlinePool`] with no workers), resumed from the run's last checkpoint
//! (the worker sends one every ~2 s and when it pauses), so no step is lost and the figures are
//! the worker's bit for bit. It trains in chunks that stop before ~40 ms and yields to
//! the browser between them (and between slices of the epoch's test), so the page stays
//! responsive with both runs here. Checkpoints go on as in the worker: every ~2 s, at each
//! epoch's end and on pausing, to the run's own IndexedDB key, so the run stays resumable.
//! The training set is fetched once for both runs.

use super::Side;
use crate::backend::cpu::SimdBackend;
use crate::train::checkpoint::{Checkpoint, TrainSettings};
use crate::train::data::Mnist;
use crate::train::parallel::InlinePool;
use crate::train::run::{Cadence, TrainLoop};
use crate::ui::platform;
use crate::ui::state::run_view::page_chunk;
use crate::ui::state::train_run::Phase;
use gloo::timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;

/// The training set both runs share on the page, and whether one of them is fetching it.
#[derive(Clone, Copy)]
pub(super) struct SharedData {
    data: StoredValue<Option<Rc<Mnist>>, LocalStorage>,
    loading: StoredValue<bool>,
}

impl SharedData {
    pub(super) fn new() -> Self {
        SharedData {
            data: StoredValue::new_local(None),
            loading: StoredValue::new(false),
        }
    }

    /// The training set, fetched on first use (a second caller waits for that download).
    async fn get(self) -> Result<Rc<Mnist>, String> {
        loop {
            if let Some(data) = self.data.get_value() {
                return Ok(data);
            }
            if !self.loading.get_value() {
                break;
            }
            TimeoutFuture::new(100).await;
        }
        self.loading.set_value(true);
        let loaded = convscope_worker::fetch::load_mnist("train", |_| {}).await;
        self.loading.set_value(false);
        let data = Rc::new(loaded?);
        self.data.set_value(Some(Rc::clone(&data)));
        Ok(data)
    }
}

impl Side {
    /// Starts (or resumes) the run on the page's thread with `settings`. While a loop is
    /// still winding down after a pause it only marks the run running, and that loop goes on.
    pub(super) fn start_here(self, settings: TrainSettings) {
        self.last.set_value(Some(settings));
        if self.busy.get_value() {
            self.phase.set(Phase::Running);
            return;
        }
        self.busy.set_value(true);
        self.phase.set(Phase::Loading);
        spawn_local(async move {
            if let Err(e) = self.run_here().await {
                web_sys::console::error_1(
                    &format!("convscope: a compared run stopped: {e}").into(),
                );
                self.phase.set(Phase::Failed(e));
            }
            self.busy.set_value(false);
        });
    }

    /// The loop to go on with: the paused one, the last checkpoint's, or a fresh one.
    fn take_loop(self, settings: TrainSettings) -> Result<TrainLoop, String> {
        let mut looper = match self.looper.try_update_value(Option::take).flatten() {
            Some(l) => l,
            None => match self.pending.get_value() {
                Some(bytes) => {
                    TrainLoop::resume(&Checkpoint::from_bytes(&bytes).map_err(|e| e.to_string())?)
                }
                None => TrainLoop::fresh(settings),
            },
        };
        // "One more epoch" raises the epochs.
        looper.settings.epochs = settings.epochs;
        // The worker's sharded step with no helpers: every shard here, summed in the same
        // order, so the numbers are the worker's bit for bit (see `parallel`).
        let pool = InlinePool {
            backend: SimdBackend::new(),
            workers: 0,
        };
        looper.session.set_pool(Some(Box::new(pool)));
        Ok(looper)
    }

    async fn run_here(self) -> Result<(), String> {
        let data = self.data.get().await?;
        if self.phase.get_untracked() == Phase::Loading {
            self.phase.set(Phase::Running);
        }
        // Again while the run was resumed meanwhile (or reset and started afresh).
        while self.phase.get_untracked() == Phase::Running {
            let generation = self.generation.get_value();
            let settings = self.last.get_value().unwrap_or_default();
            let mut looper = self.take_loop(settings)?;
            let result = self.chunks(&data, &mut looper, generation).await;
            self.save(&mut looper, generation).await;
            if !self.live(generation) {
                // Reset meanwhile: this run is gone, and it keeps nothing.
                continue;
            }
            self.looper.set_value(Some(looper));
            result?;
        }
        Ok(())
    }

    /// Whether the run is still the one of `generation` (not reset since).
    fn live(self, generation: u64) -> bool {
        self.generation.get_value() == generation
    }

    /// Trains until paused, reset or finished. A reset stops it at the next await, and from
    /// then on it sets no figure and stores nothing (Reset is offered as soon as the run is
    /// paused, while this loop may still be testing or storing).
    async fn chunks(
        self,
        data: &Mnist,
        looper: &mut TrainLoop,
        generation: u64,
    ) -> Result<(), String> {
        let mut cadence = Cadence::new(platform::now_ms());
        cadence.save_ms = 2000.0;
        let live = move || self.live(generation);
        while self.phase.get_untracked() == Phase::Running && live() {
            let started = platform::now_ms();
            let chunk = page_chunk(looper, data).await?;
            if !live() {
                break;
            }
            if let Some(loss) = chunk.loss {
                let elapsed_s = (platform::now_ms() - started) / 1000.0;
                self.steps.set(looper.steps());
                self.loss.set(Some(loss));
                self.rate
                    .set(Some(chunk.images as f64 / elapsed_s.max(1e-3)));
                self.history.set(looper.session.history.clone());
            }
            if chunk.epoch_done {
                self.view.end_of_epoch(looper, self.lab, live).await?;
                self.save(looper, generation).await;
                cadence.saved(platform::now_ms());
                if !live() {
                    break;
                }
                if looper.finished() {
                    self.phase.set(Phase::Finished);
                    break;
                }
            }
            if cadence.save_due(platform::now_ms()) {
                self.save(looper, generation).await;
            }
            TimeoutFuture::new(0).await;
        }
        Ok(())
    }

    /// Keeps the loop's checkpoint to resume from and writes it to IndexedDB (unless the run
    /// of `generation` was reset).
    async fn save(self, looper: &mut TrainLoop, generation: u64) {
        let live = move || self.live(generation);
        if let Some(bytes) = self.view.store(self.key(), looper, live, |_| {}).await {
            self.pending.set_value(Some(bytes));
        }
    }
}
