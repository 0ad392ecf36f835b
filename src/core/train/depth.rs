//! The depth experiment's runner: a plain and a residual [`DeepStack`] of the same depth trained
//! side by side on the same batches (SGD), their training loss recorded every few steps and their
//! test loss and accuracy at the end, with the mean gradient reaching each block.

use super::data::Mnist;
use super::fit::count_correct;
use super::optim::{Optimizer, Sgd};
use crate::backend::Backend;
use crate::error::Result;
use crate::models::classifier::Classifier;
use crate::models::deep_stack::DeepStack;
use crate::tensor::Tensor;

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

/// One arm in progress.
struct ArmState {
    net: DeepStack,
    opt: Sgd,
    record: Arm,
    sum: f64,
    n: usize,
    /// Mean |∂L/∂input| of each block at the last step, top block first.
    magnitudes: Vec<f32>,
}

/// The two arms trained side by side, a few steps at a time (so a page can yield between
/// chunks); [`run`] drives one to the end.
pub struct DepthRun {
    arms: [ArmState; 2],
    batches: Vec<Vec<usize>>,
    test_x: Tensor,
    test_y: Vec<usize>,
    every: usize,
    /// Steps done.
    pub step: usize,
}

impl DepthRun {
    /// Ready to train stacks of `depth` convolutions for `steps` steps of `batch` images of
    /// `train` (SGD lr 0.01, momentum 0.5, as in the lesson), measuring every `every` steps and
    /// testing on the first `test_n` images of `test`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        train: &Mnist,
        test: &Mnist,
        depth: usize,
        steps: usize,
        batch: usize,
        every: usize,
        test_n: usize,
        seed: u64,
    ) -> Self {
        let test_idx: Vec<usize> = (0..test_n.min(test.len())).collect();
        let (test_x, test_y) = test.batch(&test_idx);
        let batches = train
            .batches(batch.max(1), Some(seed))
            .into_iter()
            .cycle()
            .take(steps)
            .collect();
        let arm = |residual| ArmState {
            net: DeepStack::new(depth, residual, seed),
            opt: Sgd::new(0.01, 0.5),
            record: Arm {
                residual,
                train: Vec::new(),
                test: Vec::new(),
                accuracy: 0.0,
            },
            sum: 0.0,
            n: 0,
            magnitudes: Vec::new(),
        };
        DepthRun {
            arms: [arm(false), arm(true)],
            batches,
            test_x,
            test_y,
            every: every.max(1),
            step: 0,
        }
    }

    /// Whether every step is done.
    pub fn done(&self) -> bool {
        self.step >= self.batches.len()
    }

    /// Up to `n` more steps of both arms.
    pub fn advance(&mut self, be: &dyn Backend, train: &Mnist, n: usize) -> Result<()> {
        for _ in 0..n {
            let Some(indices) = self.batches.get(self.step) else {
                break;
            };
            let (x, y) = train.batch(indices);
            self.step += 1;
            let last = self.step == self.batches.len();
            for arm in &mut self.arms {
                let acts = arm.net.forward(be, &x)?;
                let lp = be.log_softmax_forward(&acts.logits)?;
                arm.sum += f64::from(be.nll_loss_forward(&lp, &y)?);
                arm.n += 1;
                let d = be.log_softmax_nll_backward(&lp, &y)?;
                let (grads, magnitudes) = arm.net.backward(be, &acts, &d)?;
                arm.opt.step(&mut arm.net.params_mut(), &grads);
                arm.magnitudes = magnitudes;
                if self.step.is_multiple_of(self.every) || last {
                    arm.record
                        .train
                        .push((self.step, (arm.sum / arm.n as f64) as f32));
                    let logits = arm.net.logits(be, &self.test_x)?;
                    let lp = be.log_softmax_forward(&logits)?;
                    arm.record
                        .test
                        .push((self.step, be.nll_loss_forward(&lp, &self.test_y)?));
                    arm.record.accuracy = 100.0 * count_correct(&logits, &self.test_y) as f64
                        / self.test_y.len().max(1) as f64;
                    arm.sum = 0.0;
                    arm.n = 0;
                }
            }
        }
        Ok(())
    }

    /// The records so far: plain, residual.
    pub fn arms(&self) -> [Arm; 2] {
        [self.arms[0].record.clone(), self.arms[1].record.clone()]
    }

    /// Mean |∂L/∂input| of each block at the last step (top block first): plain, residual.
    pub fn magnitudes(&self) -> [Vec<f32>; 2] {
        [
            self.arms[0].magnitudes.clone(),
            self.arms[1].magnitudes.clone(),
        ]
    }
}

/// Trains the plain and the residual stack of `depth` convolutions side by side: the same
/// seed, batches (`batch` images, SGD lr 0.01 momentum 0.5 as in the lesson) and `steps`,
/// recording the training loss every `every` steps and the test loss on `test_n` test images
/// at the same points.
#[allow(clippy::too_many_arguments)]
pub fn run(
    be: &dyn Backend,
    train: &Mnist,
    test: &Mnist,
    depth: usize,
    steps: usize,
    batch: usize,
    every: usize,
    test_n: usize,
    seed: u64,
) -> Result<[Arm; 2]> {
    let mut r = DepthRun::new(train, test, depth, steps, batch, every, test_n, seed);
    r.advance(be, train, steps)?;
    Ok(r.arms())
}
