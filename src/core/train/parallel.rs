//! Data-parallel training steps: a batch split into shards, each shard's gradients computed by
//! its own worker (a Web Worker in the page), summed in a fixed order, and one optimizer step.
//!
//! The gradient of the mean loss over a batch of `n` images split into shards of `n_s` images is
//! `Σ_s (n_s / n) · g_s`, where `g_s` is the gradient of shard `s`'s own mean loss. A batch is
//! always split into the same [`SHARDS`] contiguous shards (sizes differing by at most one),
//! whatever the number of threads; the threads take contiguous groups of shards, return each
//! shard's result, and the sum runs from shard 0 up. So a step gives the same numbers, bit for
//! bit, on 1 thread or 8: the thread count changes the speed, never the run. (Against the
//! unsharded step, which sums the batch in one go, it differs by float rounding only.)
//!
//! The first group runs where the session runs; the others go to a [`ShardPool`], which the
//! platform provides (the page's Web Workers) and tests fake in-process ([`InlinePool`]).

use crate::backend::Backend;
use crate::error::{Result, ShapeError};
use crate::models::classifier::Classifier;
use crate::tensor::Tensor;
use crate::train::fit::count_correct;
use std::future::Future;
use std::pin::Pin;

/// Shards per batch, whatever the number of threads (the most the page uses).
pub const SHARDS: usize = 8;

/// How `shards` shards are dealt to `threads` threads: contiguous groups, in order, their
/// sizes differing by at most one. Returns each thread's `(first shard, count)`.
pub fn groups(shards: usize, threads: usize) -> Vec<(usize, usize)> {
    let threads = threads.clamp(1, shards.max(1));
    let mut start = 0;
    (0..threads)
        .map(|t| {
            let count = shards / threads + usize::from(t < shards % threads);
            start += count;
            (start - count, count)
        })
        .collect()
}

/// One shard's result.
#[derive(Clone, Debug, PartialEq)]
pub struct ShardResult {
    /// Images in the shard.
    pub images: usize,
    /// The shard's mean cross-entropy.
    pub loss: f32,
    /// Images classified right (before the update).
    pub correct: usize,
    /// The gradient of the shard's mean loss, per parameter in `named` order.
    pub grads: Vec<Tensor>,
}

/// A shard of a batch: images `(n_s,1,28,28)` and their targets.
pub type Shard = (Tensor, Vec<usize>);

/// The future a pool returns: the results of the shards it was given, in their order.
pub type PoolFuture = Pin<Box<dyn Future<Output = Result<Vec<ShardResult>>>>>;

/// Computes shards' gradients elsewhere (other workers).
pub trait ShardPool {
    /// Its workers (0: the session's thread does every shard, still sharded).
    fn workers(&self) -> usize;
    /// Each shard's result for `model` (its current parameters), in the order given; the pool
    /// deals the shards to its workers in contiguous groups ([`groups`]). It must send the
    /// work before returning, so the workers compute while the caller does its own shards.
    fn grads(&mut self, model: &dyn Classifier, shards: Vec<Shard>) -> PoolFuture;
}

/// Splits a batch into `parts` contiguous shards whose sizes differ by at most one (fewer
/// shards if the batch is smaller).
pub fn split(x: &Tensor, targets: &[usize], parts: usize) -> Result<Vec<Shard>> {
    let n = targets.len();
    let per = x.len() / n.max(1);
    if x.shape().first() != Some(&n) {
        return Err(ShapeError::Mismatch {
            what: "a batch split into shards".into(),
            expected: format!("({n}, …) for {n} targets"),
            got: x.shape().to_vec(),
        });
    }
    let parts = parts.clamp(1, n.max(1));
    let mut shards = Vec::with_capacity(parts);
    let mut start = 0;
    for s in 0..parts {
        let size = n / parts + usize::from(s < n % parts);
        let mut shape = x.shape().to_vec();
        shape[0] = size;
        let data = x.data()[start * per..(start + size) * per].to_vec();
        shards.push((
            Tensor::new(&shape, data)?,
            targets[start..start + size].to_vec(),
        ));
        start += size;
    }
    Ok(shards)
}

/// One shard's gradients, computed here.
pub fn shard_grads(model: &dyn Classifier, be: &dyn Backend, shard: &Shard) -> Result<ShardResult> {
    let (x, targets) = shard;
    let (logits, grads) = model.logits_and_grads(be, x, targets)?;
    let log_probs = be.log_softmax_forward(&logits)?;
    Ok(ShardResult {
        images: targets.len(),
        loss: be.nll_loss_forward(&log_probs, targets)?,
        correct: count_correct(&logits, targets),
        grads,
    })
}

/// The batch's loss, correct count and gradient from its shards' (in shard order).
pub fn combine(results: &[ShardResult]) -> Result<ShardResult> {
    let n: usize = results.iter().map(|r| r.images).sum();
    let first = results
        .first()
        .ok_or_else(|| ShapeError::Device("a step with no shards".into()))?;
    if results.len() == 1 {
        return Ok(first.clone());
    }
    let mut grads: Vec<Tensor> = first
        .grads
        .iter()
        .map(|g| Tensor::zeros(g.shape()))
        .collect();
    let mut loss = 0.0f32;
    for r in results {
        if r.grads.len() != grads.len() {
            return Err(ShapeError::Device(format!(
                "a worker returned {} gradients, not {}",
                r.grads.len(),
                grads.len()
            )));
        }
        let w = r.images as f32 / n as f32;
        loss += w * r.loss;
        for (sum, g) in grads.iter_mut().zip(&r.grads) {
            if sum.shape() != g.shape() {
                return Err(ShapeError::Mismatch {
                    what: "a worker's gradient".into(),
                    expected: format!("{:?}", sum.shape()),
                    got: g.shape().to_vec(),
                });
            }
            for (s, v) in sum.data_mut().iter_mut().zip(g.data()) {
                *s += w * v;
            }
        }
    }
    Ok(ShardResult {
        images: n,
        loss,
        correct: results.iter().map(|r| r.correct).sum(),
        grads,
    })
}

/// A pool that computes its shards in this thread, one after another: for tests (the page's
/// pool runs them in Web Workers at the same time; the numbers are the same).
pub struct InlinePool<B: Backend> {
    /// The backend each shard uses.
    pub backend: B,
    /// The workers it pretends to have.
    pub workers: usize,
}

impl<B: Backend> ShardPool for InlinePool<B> {
    fn workers(&self) -> usize {
        self.workers
    }
    fn grads(&mut self, model: &dyn Classifier, shards: Vec<Shard>) -> PoolFuture {
        let results: Result<Vec<ShardResult>> = shards
            .iter()
            .map(|s| shard_grads(model, &self.backend, s))
            .collect();
        Box::pin(async move { results })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cpu::ReferenceBackend;
    use crate::models::Net;

    #[test]
    fn shards_cover_the_batch_in_order() {
        let x = Tensor::from_fn(&[7, 1, 2, 2], |i| i as f32);
        let t: Vec<usize> = (0..7).collect();
        let shards = split(&x, &t, 3).unwrap();
        let sizes: Vec<usize> = shards.iter().map(|s| s.1.len()).collect();
        assert_eq!(sizes, [3, 2, 2]);
        assert_eq!(shards[1].1, [3, 4]);
        assert_eq!(shards[1].0.data()[0], 12.0);
        assert_eq!(split(&x, &t, 20).unwrap().len(), 7);
    }

    #[test]
    fn threads_take_contiguous_groups_of_shards() {
        assert_eq!(groups(8, 1), [(0, 8)]);
        assert_eq!(groups(8, 3), [(0, 3), (3, 3), (6, 2)]);
        assert_eq!(groups(8, 20).len(), 8);
    }

    #[test]
    fn the_sum_of_shards_is_the_whole_batchs_gradient() {
        let net = Net::new(2);
        let x = Tensor::from_fn(&[6, 1, 28, 28], |i| ((i * 37) % 101) as f32 / 101.0);
        let t = vec![1, 7, 3, 3, 0, 9];
        let whole = shard_grads(&net, &ReferenceBackend, &(x.clone(), t.clone())).unwrap();
        for parts in [1, 2, 4] {
            let results: Vec<ShardResult> = split(&x, &t, parts)
                .unwrap()
                .iter()
                .map(|s| shard_grads(&net, &ReferenceBackend, s).unwrap())
                .collect();
            let sum = combine(&results).unwrap();
            assert_eq!(sum.correct, whole.correct);
            assert!((sum.loss - whole.loss).abs() <= 1e-6 * whole.loss.abs().max(1.0));
            for (a, b) in sum.grads.iter().zip(&whole.grads) {
                for (u, v) in a.data().iter().zip(b.data()) {
                    assert!(
                        (u - v).abs() <= 1e-6 + 1e-5 * v.abs(),
                        "{parts} shards: {u} vs {v}"
                    );
                }
            }
        }
    }
}
