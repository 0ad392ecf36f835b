//! The depth experiment's runner: a plain and a residual [`DeepStack`] of the same depth trained
//! side by side on the same batches (SGD lr 0.01, momentum 0.5), their training loss recorded
//! every few steps, their test loss and accuracy at the same points, and the mean gradient
//! reaching each block.
//!
//! It keeps no loop of its own: each arm is a [`TrainLoop`] over its stack (on the CPU), and the
//! runner steps the two in lock-step. The plain arm runs until the caller's `keep_going` says
//! stop or the next recording point is reached; the residual arm then takes as many steps. Both
//! loops have the same settings, so they shuffle the same batches ([`TrainSettings::epoch_seed`]
//! per epoch) and start from the same weights (the stacks' seed). At each recording point the
//! runner evaluates each arm on the test images and measures its blocks' gradients on the batch
//! just trained, with the weights after the step ([`GradientProbe`]); a run longer than an epoch
//! passes through the loop's own epoch end (which evaluates on the same test images).

use super::checkpoint::TrainSettings;
use super::data::Mnist;
use super::fit::evaluate;
use super::run::TrainLoop;
use super::session::Session;
use crate::backend::Backend;
use crate::error::{Result, ShapeError};
use crate::models::deep_stack::DeepStack;

/// One arm's record: `(step, mean training loss over the last `every` steps)` and the test
/// loss and accuracy at the end.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Arm {
    /// Plain or residual.
    pub residual: bool,
    /// `(step, mean training loss of the steps since the previous point)`.
    pub train: Vec<(usize, f32)>,
    /// `(step, test loss)` on the test images given.
    pub test: Vec<(usize, f32)>,
    /// Final test accuracy, in percent.
    pub accuracy: f64,
}

/// What the experiment runs: stacks of `depth` convolutions trained `steps` steps of `batch`
/// images, recorded every `every` steps and tested on the first `test_n` test images; `seed`
/// gives the stacks' weights and the loops' shuffles.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DepthSettings {
    /// Convolutions in each stack.
    pub depth: usize,
    /// Steps of each arm.
    pub steps: usize,
    /// Images per batch.
    pub batch: usize,
    /// Steps between recorded points.
    pub every: usize,
    /// Test images.
    pub test_n: usize,
    /// The seed.
    pub seed: u64,
}

/// One arm in progress: its loop and what it has recorded.
struct ArmRun {
    run: TrainLoop,
    record: Arm,
    /// Training losses since the last point.
    sum: f64,
    n: usize,
    /// Mean |∂L/∂input| of each block at the last point, top block first.
    magnitudes: Vec<f32>,
}

impl ArmRun {
    /// Up to `max` steps of the arm's loop (through the loop's epoch ends), fewer if
    /// `keep_going` says stop; returns the steps taken and the last batch trained.
    async fn steps(
        &mut self,
        be: &dyn Backend,
        train: &Mnist,
        test: &Mnist,
        max: usize,
        keep_going: &mut dyn FnMut() -> bool,
    ) -> Result<(usize, Vec<usize>)> {
        let (mut taken, mut last, mut stop) = (0, Vec::new(), false);
        let (sum, n) = (&mut self.sum, &mut self.n);
        while taken < max && !stop {
            let chunk = self
                .run
                .chunk(train, |info| {
                    *sum += f64::from(info.loss.unwrap_or(f32::NAN));
                    *n += 1;
                    taken += 1;
                    stop = !keep_going();
                    taken < max && !stop
                })
                .await?;
            if let Some(b) = self.run.cursor.last_batch() {
                last = b.to_vec();
            }
            if chunk.epoch_done {
                self.run
                    .end_epoch(be, test, test.len(), |_| async {})
                    .await?;
            }
            if chunk.steps == 0 {
                break;
            }
        }
        Ok((taken, last))
    }

    /// Records the point at `step`: the mean training loss since the last point, the test loss
    /// and accuracy, and the blocks' gradients on `batch`.
    async fn record(
        &mut self,
        be: &dyn Backend,
        step: usize,
        train: &Mnist,
        batch: &[usize],
        test: &Mnist,
    ) -> Result<()> {
        let model = self.run.session.model().await?;
        let eval = evaluate(be, model.as_ref(), test, test.len().max(1))?;
        self.record
            .train
            .push((step, (self.sum / self.n.max(1) as f64) as f32));
        self.record.test.push((step, eval.loss));
        self.record.accuracy = eval.accuracy_percent();
        (self.sum, self.n) = (0.0, 0);
        if !batch.is_empty() {
            let probe = model
                .gradient_probe()
                .ok_or_else(|| ShapeError::Device("not a deep stack".into()))?;
            let (x, y) = train.batch(batch);
            self.magnitudes = probe.block_gradients(be, &x, &y)?;
        }
        Ok(())
    }
}

/// The two arms trained side by side, a few steps at a time (so a page can yield between
/// calls of [`DepthRun::advance`]); [`run`] drives one to the end.
pub struct DepthRun {
    arms: [ArmRun; 2],
    be: Box<dyn Backend>,
    test: Mnist,
    settings: DepthSettings,
    /// Steps done (by each arm).
    pub step: usize,
    /// The step of the last recorded point.
    pub recorded: usize,
}

impl DepthRun {
    /// Ready to run `s` on `train`, testing on `test`'s first images; `backend` makes each arm's
    /// backend (and the one that evaluates).
    pub fn new(
        s: DepthSettings,
        train: &Mnist,
        test: &Mnist,
        backend: &dyn Fn() -> Box<dyn Backend>,
    ) -> Self {
        let test_n = s.test_n.min(test.len());
        let test = Mnist {
            images: test.images[..test_n * 784].to_vec(),
            labels: test.labels[..test_n].to_vec(),
        };
        let batches_per_epoch = train.len().div_ceil(s.batch.max(1)).max(1);
        let settings = TrainSettings {
            lr: 0.01,
            momentum: 0.5,
            batch: s.batch.max(1),
            adam: false,
            seed: s.seed,
            epochs: s.steps.div_ceil(batches_per_epoch) as u64,
            // Not read: the session holds the stack (the field names the lab's models).
            ..TrainSettings::default()
        };
        let arm = |residual| {
            let stack = DeepStack::new(s.depth, residual, s.seed);
            let session = Session::cpu_on(backend(), Box::new(stack), settings.optimizer());
            ArmRun {
                run: TrainLoop::new(settings, session),
                record: Arm {
                    residual,
                    train: Vec::new(),
                    test: Vec::new(),
                    accuracy: 0.0,
                },
                sum: 0.0,
                n: 0,
                magnitudes: Vec::new(),
            }
        };
        DepthRun {
            arms: [arm(false), arm(true)],
            be: backend(),
            test,
            settings: DepthSettings {
                every: s.every.max(1),
                ..s
            },
            step: 0,
            recorded: 0,
        }
    }

    /// Whether every step is done.
    pub fn done(&self) -> bool {
        self.step >= self.settings.steps
    }

    /// More steps of both arms: the plain arm's loop runs until `keep_going` (asked after each
    /// step) says stop or the next recording point, then the residual arm's takes as many; at a
    /// point, both are recorded. Returns the steps taken.
    pub async fn advance(
        &mut self,
        train: &Mnist,
        mut keep_going: impl FnMut() -> bool,
    ) -> Result<usize> {
        let every = self.settings.every;
        let max = (self.settings.steps - self.step.min(self.settings.steps))
            .min(every - self.step % every);
        if max == 0 {
            return Ok(0);
        }
        let be = self.be.as_ref();
        let [plain, residual] = &mut self.arms;
        let (taken, batch) = plain
            .steps(be, train, &self.test, max, &mut keep_going)
            .await?;
        residual
            .steps(be, train, &self.test, taken, &mut || true)
            .await?;
        self.step += taken;
        if self.step.is_multiple_of(every) || self.done() {
            for arm in &mut self.arms {
                arm.record(be, self.step, train, &batch, &self.test).await?;
            }
            self.recorded = self.step;
        }
        Ok(taken)
    }

    /// The records so far: plain, residual.
    pub fn arms(&self) -> [Arm; 2] {
        [self.arms[0].record.clone(), self.arms[1].record.clone()]
    }

    /// Mean |∂L/∂input| of each block at the last recorded point (step [`DepthRun::recorded`],
    /// top block first): plain, residual.
    pub fn magnitudes(&self) -> [Vec<f32>; 2] {
        [
            self.arms[0].magnitudes.clone(),
            self.arms[1].magnitudes.clone(),
        ]
    }
}

/// Trains the plain and the residual stack of `s` side by side to the end (see the module
/// docs): natively, where blocking on the loop is fine (the page drives [`DepthRun`] itself).
#[cfg(not(target_arch = "wasm32"))]
pub fn run(
    s: DepthSettings,
    train: &Mnist,
    test: &Mnist,
    backend: &dyn Fn() -> Box<dyn Backend>,
) -> Result<[Arm; 2]> {
    let mut r = DepthRun::new(s, train, test, backend);
    while !r.done() {
        pollster::block_on(r.advance(train, || true))?;
    }
    Ok(r.arms())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::backend::cpu::SimdBackend;
    use crate::models::classifier::{Classifier, GradientProbe};
    use crate::train::fit::train_step_model;
    use crate::train::optim::Sgd;

    /// `n` synthetic digits: a stroke whose column follows the label.
    fn data(n: usize, salt: usize) -> Mnist {
        let labels: Vec<u8> = (0..n).map(|i| ((i * 7 + salt) % 10) as u8).collect();
        let mut images = vec![0u8; n * 784];
        for (i, &l) in labels.iter().enumerate() {
            for r in 4..24 {
                images[i * 784 + r * 28 + 4 + 2 * l as usize] = 255;
            }
        }
        Mnist { images, labels }
    }

    fn simd() -> Box<dyn Backend> {
        Box::new(SimdBackend::new())
    }

    const S: DepthSettings = DepthSettings {
        depth: 4,
        steps: 13,
        batch: 8,
        every: 4,
        test_n: 12,
        seed: 3,
    };

    #[test]
    fn the_runner_takes_the_loops_steps_in_chunks_of_any_size() {
        // 40 images in batches of 8: 13 steps cross two epoch ends.
        let (train, test) = (data(40, 0), data(20, 5));
        let settings = TrainSettings {
            batch: S.batch,
            seed: S.seed,
            ..TrainSettings::default()
        };
        // What the one loop's step does, over each epoch's own shuffle.
        let batches: Vec<Vec<usize>> = (0..4)
            .flat_map(|e| train.batches(S.batch, Some(settings.epoch_seed(e))))
            .take(S.steps)
            .collect();
        let be = SimdBackend::new();
        let (test_x, test_y) = test.batch(&(0..S.test_n).collect::<Vec<_>>());
        for residual in [false, true] {
            let mut stack = DeepStack::new(S.depth, residual, S.seed);
            let mut opt = Sgd::new(0.01, 0.5);
            let (mut want_train, mut want_test, mut sum, mut n) = (vec![], vec![], 0.0, 0);
            for (i, b) in batches.iter().enumerate() {
                let (x, y) = train.batch(b);
                sum += f64::from(
                    train_step_model(&be, &mut stack, &mut opt, &x, &y)
                        .unwrap()
                        .loss,
                );
                n += 1;
                if (i + 1) % S.every == 0 || i + 1 == S.steps {
                    want_train.push((i + 1, (sum / n as f64) as f32));
                    let logits = stack.logits(&be, &test_x).unwrap();
                    let lp = be.log_softmax_forward(&logits).unwrap();
                    want_test.push((i + 1, be.nll_loss_forward(&lp, &test_y).unwrap()));
                    (sum, n) = (0.0, 0);
                }
            }
            let (x, y) = train.batch(&batches[S.steps - 1]);
            let want_grads = stack.block_gradients(&be, &x, &y).unwrap();
            for chunk in [1, 3, 100] {
                let mut r = DepthRun::new(S, &train, &test, &simd);
                while !r.done() {
                    let mut left = chunk;
                    pollster::block_on(r.advance(&train, || {
                        left -= 1;
                        left > 0
                    }))
                    .unwrap();
                }
                let arm = &r.arms()[usize::from(residual)];
                assert_eq!(arm.train, want_train, "chunk {chunk}, residual {residual}");
                assert_eq!(arm.test, want_test, "chunk {chunk}, residual {residual}");
                assert_eq!(r.magnitudes()[usize::from(residual)], want_grads);
                assert_eq!((r.step, r.recorded), (S.steps, S.steps));
            }
        }
    }

    #[test]
    fn both_arms_see_the_same_batches_and_start_from_the_same_weights() {
        let (train, test) = (data(40, 0), data(20, 5));
        let mut r = DepthRun::new(S, &train, &test, &simd);
        pollster::block_on(r.advance(&train, || true)).unwrap();
        let [plain, residual] = &r.arms;
        assert_eq!(plain.run.cursor, residual.run.cursor);
        assert_eq!(plain.run.steps(), 4);
        assert_eq!(residual.run.steps(), 4);
        assert_eq!(r.magnitudes()[0].len(), 2);
    }
}
