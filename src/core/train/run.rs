//! THE training loop: epochs over seeded batches, evaluation at each epoch's end, checkpoints,
//! pause and resume, a learning-rate schedule, and (through [`Session`]) the backend switch and
//! the fall back from a lost GPU. The command line, the Train page, the depth experiment's runner
//! ([`super::depth`]: one loop per arm, stepped in lock-step), the bench and the tests all drive
//! it; none keeps a loop of its own.
//!
//! It is platform-neutral: it never reads a clock, sleeps or writes storage. The caller drives it
//! in chunks and passes in what the platform has:
//! - [`TrainLoop::chunk`] runs steps until the caller's `keep_going` says stop (a time budget in
//!   the page, so the browser gets the thread back; a report every 300 batches in the CLI) or
//!   the epoch ends.
//! - [`TrainLoop::end_epoch`] evaluates the model on the test set in slices, awaiting the
//!   caller's `between` after each (the page yields to the browser there), records the accuracy
//!   and moves to the next epoch.
//! - [`TrainLoop::checkpoint`] freezes the run; the caller stores it where it can (IndexedDB in
//!   the page) and [`TrainLoop::resume`] continues from it, bit for bit. [`Cadence`] says when
//!   publishing the weights and saving are due, from times the caller reads.
//!
//! Batches: epoch `e` shuffles the training set with [`TrainSettings::epoch_seed`]`(e)`, so the
//! order follows from the settings alone and a checkpoint needs only the epoch and the next batch.

use super::checkpoint::{Checkpoint, RunState, TrainSettings};
use super::data::Mnist;
use super::fit::{Evaluation, Evaluator};
use super::session::Session;
use crate::backend::Backend;
use crate::error::ShapeError;
use crate::models::classifier::Classifier;
use crate::tensor::Tensor;
use std::future::Future;
use std::pin::pin;

/// Where a run is in its data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cursor {
    /// The current epoch (0-based; equal to the epochs done).
    pub epoch: u64,
    /// The epoch's shuffled batches (built on first use).
    batches: Vec<Vec<usize>>,
    /// The next batch of the epoch.
    pub next: usize,
}

impl Cursor {
    /// The images of the batch trained last in this epoch (`None` before its first step).
    pub fn last_batch(&self) -> Option<&[usize]> {
        let last = self.next.checked_sub(1)?;
        self.batches.get(last).map(Vec::as_slice)
    }
}

/// A learning-rate schedule, applied at the start of each epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Schedule {
    /// The base rate throughout.
    #[default]
    None,
    /// Multiply by `gamma` every `every` epochs (PyTorch's `StepLR`).
    Step {
        /// Epochs between decays.
        every: u64,
        /// The factor.
        gamma: f32,
    },
    /// Cosine from the base rate to 0 over all epochs (`CosineAnnealingLR`).
    Cosine,
}

impl Schedule {
    /// `none`, `cosine` or `step:EVERY:GAMMA`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad =
            || format!("--schedule '{s}': use none, cosine or step:EVERY:GAMMA (e.g. step:3:0.5)");
        match s.split(':').collect::<Vec<_>>()[..] {
            ["none"] => Ok(Self::None),
            ["cosine"] => Ok(Self::Cosine),
            ["step", every, gamma] => Ok(Self::Step {
                every: every.parse().ok().filter(|&e| e > 0).ok_or_else(bad)?,
                gamma: gamma.parse().map_err(|_| bad())?,
            }),
            _ => Err(bad()),
        }
    }

    /// The rate of `epoch` (0-based) of `epochs`, from the base rate.
    pub fn lr(self, base: f32, epoch: u64, epochs: u64) -> f32 {
        match self {
            Self::None => base,
            Self::Step { every, gamma } => base * gamma.powi((epoch / every) as i32),
            Self::Cosine => {
                base * 0.5 * (1.0 + (std::f32::consts::PI * epoch as f32 / epochs as f32).cos())
            }
        }
    }
}

/// One step, as [`TrainLoop::chunk`] reports it to `keep_going`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepInfo {
    /// The epoch (0-based).
    pub epoch: u64,
    /// The batch just trained (0-based) and the epoch's number of batches.
    pub batch: usize,
    /// Batches in the epoch.
    pub batches: usize,
    /// Images in the batch.
    pub images: usize,
    /// The batch's loss where it costs nothing to know (on the CPU); on the GPU it is read back
    /// only when recorded.
    pub loss: Option<f32>,
}

/// What a chunk did.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Chunk {
    /// Steps taken.
    pub steps: usize,
    /// Images trained on.
    pub images: usize,
    /// The last step's loss, recorded in the session's history (`None` if no step was taken).
    pub loss: Option<f32>,
    /// The epoch's batches are all done: call [`TrainLoop::end_epoch`] next.
    pub epoch_done: bool,
}

/// A training run (see the module docs).
pub struct TrainLoop {
    /// What the learner chose.
    pub settings: TrainSettings,
    /// The model, its optimizer and the backend it trains on.
    pub session: Session,
    /// The position in the data.
    pub cursor: Cursor,
    /// `(step, test accuracy %)` after each epoch.
    pub accuracy: Vec<(u64, f32)>,
    /// The learning-rate schedule (none by default).
    pub schedule: Schedule,
    /// Random shifts of up to this many pixels as augmentation (0: none).
    pub augment_shift: usize,
    /// Points kept in the chart's history: past this, every other old point goes.
    pub max_history: usize,
}

impl TrainLoop {
    /// A new run of `settings` on `session` (which holds the freshly built model).
    pub fn new(settings: TrainSettings, session: Session) -> Self {
        TrainLoop {
            settings,
            session,
            cursor: Cursor::default(),
            accuracy: Vec::new(),
            schedule: Schedule::None,
            augment_shift: 0,
            max_history: 2000,
        }
    }

    /// A new run of `settings` on the CPU (SIMD), from the model the settings' seed initialises.
    pub fn fresh(settings: TrainSettings) -> Self {
        let session = Session::cpu(settings.model.build(settings.seed), settings.optimizer());
        Self::new(settings, session)
    }

    /// The run frozen in `c`, on the CPU (SIMD): [`Session::use_gpu`] moves it to a GPU.
    pub fn resume(c: &Checkpoint) -> Self {
        let mut session = Session::resume(c.net(), c.opt_state(), c.settings.optimizer(), c.steps);
        session.history = c.history();
        TrainLoop {
            cursor: Cursor {
                epoch: c.epoch,
                batches: Vec::new(),
                next: c.next_batch,
            },
            accuracy: c.accuracy.iter().map(|&(s, a)| (s, a as f32)).collect(),
            ..Self::new(c.settings, session)
        }
    }

    /// Whether the chosen epochs are done.
    pub fn finished(&self) -> bool {
        self.cursor.epoch >= self.settings.epochs
    }

    /// Completed steps.
    pub fn steps(&self) -> u64 {
        self.session.steps
    }

    /// Trains on the epoch's next batches until `keep_going` (told of each step) returns false
    /// or the epoch's batches are done; then records the last step's loss.
    pub async fn chunk(
        &mut self,
        data: &Mnist,
        mut keep_going: impl FnMut(&StepInfo) -> bool,
    ) -> Result<Chunk, ShapeError> {
        let mut chunk = Chunk::default();
        if self.cursor.batches.is_empty() {
            let epoch = self.cursor.epoch;
            self.cursor.batches = data.batches(
                self.settings.batch.max(1),
                Some(self.settings.epoch_seed(epoch)),
            );
            let lr = self
                .schedule
                .lr(self.settings.lr, epoch, self.settings.epochs);
            self.session.set_lr(lr);
        }
        // The next batch, gathered while the step before it waited for its workers.
        let mut ready: Option<(Tensor, Vec<usize>)> = None;
        let (shift, seed) = (self.augment_shift, self.settings.seed);
        loop {
            if self.cursor.next >= self.cursor.batches.len() {
                chunk.epoch_done = true;
                break;
            }
            let (x, y) = match ready.take() {
                Some(batch) => batch,
                None => gather(data, &self.cursor, shift, seed, self.cursor.next),
            };
            let info = StepInfo {
                epoch: self.cursor.epoch,
                batch: self.cursor.next,
                batches: self.cursor.batches.len(),
                images: y.len(),
                loss: None,
            };
            let next = self.cursor.next + 1;
            let cursor = &self.cursor;
            let gather_next =
                || (next < cursor.batches.len()).then(|| gather(data, cursor, shift, seed, next));
            let (loss, gathered) = meanwhile(self.session.step(x, y), gather_next).await;
            ready = gathered.flatten();
            let loss = loss?;
            self.cursor.next += 1;
            chunk.steps += 1;
            chunk.images += info.images;
            if !keep_going(&StepInfo { loss, ..info }) {
                chunk.epoch_done = self.cursor.next >= self.cursor.batches.len();
                break;
            }
        }
        if chunk.steps > 0 {
            chunk.loss = Some(self.session.record_loss().await?);
            let h = &mut self.session.history;
            if h.len() > self.max_history {
                *h = h.iter().step_by(2).copied().collect();
            }
        }
        Ok(chunk)
    }

    /// The epoch's end: the model evaluated on `test` in slices of `slice` images (awaiting
    /// `between(fraction done)` after each), its accuracy recorded, the next epoch begun.
    /// Returns the evaluated model (current weights) and its evaluation.
    pub async fn end_epoch<F: Future<Output = ()>>(
        &mut self,
        be: &dyn Backend,
        test: &Mnist,
        slice: usize,
        mut between: impl FnMut(f64) -> F,
    ) -> Result<(Box<dyn Classifier>, Evaluation), ShapeError> {
        let model = self.session.model().await?;
        let mut evaluator = Evaluator::new();
        let n = test.len();
        for start in (0..n).step_by(slice.max(1)) {
            let indices: Vec<usize> = (start..(start + slice.max(1)).min(n)).collect();
            evaluator.add(be, model.as_ref(), test, &indices)?;
            between((start + indices.len()) as f64 / n as f64).await;
        }
        let evaluation = evaluator.evaluation();
        self.accuracy
            .push((self.session.steps, evaluation.accuracy_percent() as f32));
        self.cursor = Cursor {
            epoch: self.cursor.epoch + 1,
            batches: Vec::new(),
            next: 0,
        };
        Ok((model, evaluation))
    }

    /// The run frozen (weights read back from the GPU if it trains there).
    pub async fn checkpoint(&mut self) -> Result<Checkpoint, ShapeError> {
        let (net, opt) = self.session.state().await?;
        let accuracy: Vec<(u64, f64)> = self
            .accuracy
            .iter()
            .map(|&(s, a)| (s, f64::from(a)))
            .collect();
        Ok(Checkpoint::new(RunState {
            settings: self.settings,
            steps: self.session.steps,
            epoch: self.cursor.epoch,
            next_batch: self.cursor.next,
            net: net.as_ref(),
            opt: &opt,
            history: &self.session.history,
            accuracy: &accuracy,
        }))
    }
}

/// When the page publishes the weights to the lab and saves a checkpoint, from times (in ms)
/// the caller reads from its clock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cadence {
    /// Milliseconds between publishing the weights.
    pub publish_ms: f64,
    /// Milliseconds between checkpoints.
    pub save_ms: f64,
    last_publish: f64,
    last_save: f64,
}

impl Cadence {
    /// Every 2 s and every 10 s, counted from `now_ms`.
    pub fn new(now_ms: f64) -> Self {
        Cadence {
            publish_ms: 2000.0,
            save_ms: 10_000.0,
            last_publish: now_ms,
            last_save: now_ms,
        }
    }

    /// Whether publishing is due at `now_ms` (and if so, counts it as done).
    pub fn publish_due(&mut self, now_ms: f64) -> bool {
        let due = now_ms - self.last_publish > self.publish_ms;
        if due {
            self.last_publish = now_ms;
        }
        due
    }

    /// Whether saving is due at `now_ms` (and if so, counts it as done).
    pub fn save_due(&mut self, now_ms: f64) -> bool {
        let due = now_ms - self.last_save > self.save_ms;
        if due {
            self.last_save = now_ms;
        }
        due
    }

    /// A save made at `now_ms` outside the cadence (at an epoch's end).
    pub fn saved(&mut self, now_ms: f64) {
        self.last_save = now_ms;
    }
}

/// The training speed the page shows: images per second over the chunks that ended in the last
/// [`RateMeter::WINDOW_MS`], from the first of them starting to the last ending, so the time
/// between chunks (yielding, checkpoints, the weights sent to the lab) counts too and one slow
/// or fast chunk does not make the figure jump.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RateMeter {
    /// `(start ms, end ms, images)` of the chunks in the window.
    chunks: std::collections::VecDeque<(f64, f64, usize)>,
}

impl RateMeter {
    /// The window, in milliseconds.
    pub const WINDOW_MS: f64 = 2000.0;

    /// Records a chunk of `images` that ran from `start_ms` to `end_ms`; returns the rate.
    pub fn add(&mut self, start_ms: f64, end_ms: f64, images: usize) -> f64 {
        self.chunks.push_back((start_ms, end_ms, images));
        while self
            .chunks
            .front()
            .is_some_and(|c| c.1 < end_ms - Self::WINDOW_MS && self.chunks.len() > 1)
        {
            self.chunks.pop_front();
        }
        let images: usize = self.chunks.iter().map(|c| c.2).sum();
        let from = self.chunks.front().map_or(start_ms, |c| c.0);
        images as f64 * 1000.0 / (end_ms - from).max(1e-3)
    }

    /// Forgets the chunks (after a pause: the time paused is not training time).
    pub fn clear(&mut self) {
        self.chunks.clear();
    }
}

/// Batch `index` of the cursor's epoch (shifted when the run augments).
fn gather(
    data: &Mnist,
    cursor: &Cursor,
    shift: usize,
    seed: u64,
    index: usize,
) -> (Tensor, Vec<usize>) {
    let indices = &cursor.batches[index];
    if shift > 0 {
        let batch_seed = seed ^ (cursor.epoch << 32) ^ index as u64;
        data.batch_shifted(indices, shift, batch_seed)
    } else {
        data.batch(indices)
    }
}

/// Awaits `fut`, running `side` once while it waits (for its workers), the first time it does;
/// never if `fut` is done at once (no workers: nothing to overlap, and the side's result might
/// not be used). So a step's workers compute while this thread gathers the next batch, which
/// the step after it would otherwise wait for.
async fn meanwhile<T, U>(fut: impl Future<Output = T>, side: impl FnOnce() -> U) -> (T, Option<U>) {
    let mut fut = pin!(fut);
    let mut side = Some(side);
    let mut out = None;
    let t = std::future::poll_fn(|cx| {
        let poll = fut.as_mut().poll(cx);
        if poll.is_pending()
            && let Some(f) = side.take()
        {
            out = Some(f());
        }
        poll
    })
    .await;
    (t, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_meter_counts_the_gaps_and_forgets_old_chunks() {
        let mut m = RateMeter::default();
        // 64 images in 10 ms: 6,400 images/s.
        assert!((m.add(0.0, 10.0, 64) - 6400.0).abs() < 1e-9);
        // A second chunk after a 10 ms gap: 128 images in 30 ms.
        assert!((m.add(20.0, 30.0, 64) - 128.0 * 1000.0 / 30.0).abs() < 1e-9);
        // Far later: the first two chunks fall out of the window.
        assert!((m.add(5000.0, 5100.0, 640) - 6400.0).abs() < 1e-9);
        m.clear();
        assert!((m.add(0.0, 1000.0, 64) - 64.0).abs() < 1e-9);
    }

    #[test]
    fn schedules() {
        assert_eq!(Schedule::parse("none"), Ok(Schedule::None));
        let step = Schedule::parse("step:2:0.5").expect("step");
        assert_eq!(step.lr(0.1, 0, 6), 0.1);
        assert_eq!(step.lr(0.1, 3, 6), 0.05);
        assert!((Schedule::Cosine.lr(0.1, 5, 10) - 0.05).abs() < 1e-6);
        assert!(Schedule::parse("step:0:1").is_err());
        assert!(
            Schedule::parse("linear")
                .unwrap_err()
                .contains("step:EVERY:GAMMA")
        );
    }

    #[test]
    fn cadence_counts_from_the_last_time() {
        let mut c = Cadence::new(0.0);
        assert!(!c.publish_due(1000.0));
        assert!(c.publish_due(2500.0));
        assert!(!c.publish_due(3000.0));
        c.saved(9000.0);
        assert!(!c.save_due(12_000.0));
        assert!(c.save_due(19_500.0));
    }
}
