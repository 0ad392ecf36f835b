//! The lesson's training loop and evaluation, on any backend.
//!
//! ```python
//! for batch_idx, (inputs, target) in enumerate(train_loader):
//!     optimizer.zero_grad()
//!     loss = criterion(model(inputs), target)   # CrossEntropyLoss
//!     loss.backward()
//!     optimizer.step()
//!     if batch_idx % 300 == 299: print(running_loss / 300)
//! ```

use super::data::Mnist;
use super::optim::Optimizer;
use crate::backend::Backend;
use crate::error::Result;
use crate::models::Net;
use crate::models::classifier::Classifier;

/// What one training step produced.
#[derive(Clone, Copy, Debug)]
pub struct StepReport {
    /// Mean cross-entropy of the batch.
    pub loss: f32,
    /// How many of the batch were classified right (before the update).
    pub correct: usize,
}

/// One step: forward, cross-entropy, backward, optimizer update.
pub fn train_step(
    be: &dyn Backend,
    net: &mut Net,
    opt: &mut dyn Optimizer,
    x: &crate::tensor::Tensor,
    targets: &[usize],
) -> Result<StepReport> {
    let acts = net.forward(be, x)?;
    let log_probs = be.log_softmax_forward(&acts.logits)?;
    let loss = be.nll_loss_forward(&log_probs, targets)?;
    let dlogits = be.log_softmax_nll_backward(&log_probs, targets)?;
    let grads = net.backward(be, &acts, &dlogits)?;
    opt.step(&mut net.params_mut(), &grads);
    Ok(StepReport {
        loss,
        correct: count_correct(&acts.logits, targets),
    })
}

/// One step of any model (the residual or Inception network as well as the Net): forward,
/// cross-entropy, backward, optimizer update.
pub fn train_step_model(
    be: &dyn Backend,
    model: &mut dyn Classifier,
    opt: &mut dyn Optimizer,
    x: &crate::tensor::Tensor,
    targets: &[usize],
) -> Result<StepReport> {
    let (logits, grads) = model.logits_and_grads(be, x, targets)?;
    let log_probs = be.log_softmax_forward(&logits)?;
    let loss = be.nll_loss_forward(&log_probs, targets)?;
    opt.step(&mut model.params_mut(), &grads);
    Ok(StepReport {
        loss,
        correct: count_correct(&logits, targets),
    })
}

/// How many rows of `logits` have their largest value at the target.
pub fn count_correct(logits: &crate::tensor::Tensor, targets: &[usize]) -> usize {
    let k = logits.shape()[1];
    targets
        .iter()
        .enumerate()
        .filter(|&(row, &t)| argmax(&logits.data()[row * k..(row + 1) * k]) == t)
        .count()
}

/// Index of the largest value (the first, on ties).
pub fn argmax(values: &[f32]) -> usize {
    values
        .iter()
        .enumerate()
        .fold(0, |best, (i, &v)| if v > values[best] { i } else { best })
}

/// Accuracy and the confusion matrix (`[true][predicted]`) of `net` on `data`.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// Images classified right.
    pub correct: usize,
    /// Images seen.
    pub total: usize,
    /// Mean cross-entropy.
    pub loss: f32,
    /// `confusion[true][predicted]` counts.
    pub confusion: [[u32; 10]; 10],
    /// The predicted digit of every image seen, in the order seen.
    pub predictions: Vec<u8>,
}

impl Evaluation {
    /// Correct / total, in percent.
    pub fn accuracy_percent(&self) -> f64 {
        100.0 * self.correct as f64 / self.total.max(1) as f64
    }

    /// Images classified wrong.
    pub fn wrong(&self) -> usize {
        self.total - self.correct
    }
}

/// An evaluation fed batch by batch (so that a page can yield between batches).
#[derive(Clone, Debug)]
pub struct Evaluator {
    eval: Evaluation,
    loss_sum: f64,
}

impl Default for Evaluator {
    fn default() -> Self {
        Self::new()
    }
}

impl Evaluator {
    /// Nothing seen yet.
    pub fn new() -> Self {
        Evaluator {
            eval: Evaluation {
                correct: 0,
                total: 0,
                loss: 0.0,
                confusion: [[0; 10]; 10],
                predictions: Vec::new(),
            },
            loss_sum: 0.0,
        }
    }

    /// Classifies the images `indices` of `data` and counts them.
    pub fn add(
        &mut self,
        be: &dyn Backend,
        model: &dyn Classifier,
        data: &Mnist,
        indices: &[usize],
    ) -> Result<()> {
        let (x, targets) = data.batch(indices);
        let logits = model.logits(be, &x)?;
        self.add_logits(be, &logits, &targets)
    }

    /// Counts images whose logits `[n, 10]` were computed elsewhere (on the GPU), with their
    /// `targets`; the loss and argmax are the core's, on `be`.
    pub fn add_logits(
        &mut self,
        be: &dyn Backend,
        logits: &crate::tensor::Tensor,
        targets: &[usize],
    ) -> Result<()> {
        let log_probs = be.log_softmax_forward(logits)?;
        self.loss_sum += be.nll_loss_forward(&log_probs, targets)? as f64 * targets.len() as f64;
        for (row, &t) in targets.iter().enumerate() {
            let predicted = argmax(&logits.data()[row * 10..(row + 1) * 10]);
            self.eval.confusion[t][predicted] += 1;
            self.eval.correct += usize::from(predicted == t);
            self.eval.predictions.push(predicted as u8);
        }
        self.eval.total += targets.len();
        Ok(())
    }

    /// The figures so far.
    pub fn evaluation(&self) -> Evaluation {
        Evaluation {
            loss: (self.loss_sum / self.eval.total.max(1) as f64) as f32,
            ..self.eval.clone()
        }
    }
}

/// Evaluates `net` on all of `data`, in order, in batches of `batch_size`.
pub fn evaluate(
    be: &dyn Backend,
    net: &dyn Classifier,
    data: &Mnist,
    batch_size: usize,
) -> Result<Evaluation> {
    let mut evaluator = Evaluator::new();
    for indices in data.batches(batch_size, None) {
        evaluator.add(be, net, data, &indices)?;
    }
    Ok(evaluator.evaluation())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cpu::SimdBackend;
    use crate::formats::idx::encode_u8;
    use crate::train::optim::Sgd;

    #[test]
    fn argmax_takes_the_first_maximum() {
        assert_eq!(argmax(&[0.0, 3.0, 3.0, 1.0]), 1);
    }

    #[test]
    fn a_few_steps_reduce_the_loss_on_a_fixed_batch() {
        // Two synthetic "digits": a vertical and a horizontal bar.
        let mut images = vec![0u8; 8 * 784];
        for i in 0..8 {
            for k in 4..24 {
                let px = if i % 2 == 0 { k * 28 + 14 } else { 14 * 28 + k };
                images[i * 784 + px] = 255;
            }
        }
        let labels: Vec<u8> = (0..8).map(|i| (i % 2) as u8).collect();
        let data = Mnist::parse(&encode_u8(&[8, 28, 28], &images), &encode_u8(&[8], &labels))
            .expect("data");
        let (x, y) = data.batch(&(0..8).collect::<Vec<_>>());
        let be = SimdBackend::new();
        let mut net = Net::new(0);
        let mut opt = Sgd::new(0.05, 0.5);
        let first = train_step(&be, &mut net, &mut opt, &x, &y)
            .expect("step")
            .loss;
        let mut last = first;
        for _ in 0..20 {
            last = train_step(&be, &mut net, &mut opt, &x, &y)
                .expect("step")
                .loss;
        }
        assert!(last < first * 0.5, "loss {first} → {last}");
        assert_eq!(evaluate(&be, &net, &data, 3).expect("eval").correct, 8);
    }
}
