//! Data-parallel training steps: a batch split into shards, each shard's gradients computed by
//! its own worker (a Web Worker in the page), summed in a fixed order, and one optimizer step.
//!
//! A batch is always split into the same [`SHARDS`] contiguous shards (sizes differing by at
//! most one), whatever the number of threads, and the threads take contiguous groups of shards.
//! Each shard's result is the gradient of its *summed* loss (`n_s · g_s`); the sums are added
//! up a fixed binary tree over the shard indices (shards 0–1, 2–3, …, then 0–3, 4–7, then the
//! root), and the root divided by the batch's size is the mean loss's gradient. A thread sums
//! the tree's nodes that lie wholly in its group before it sends them ([`partial_sums`]: one
//! node for a group of 4 aligned shards, so a worker sends one gradient rather than four), and
//! the session adds the rest ([`combine`]). Every node is the same sum of the same leaves in the
//! same order wherever it is computed, so a step gives the same numbers, bit for bit, on 1
//! thread or 8: the thread count changes the speed, never the run. (Against the unsharded step,
//! which sums the batch in one go, it differs by float rounding only.)
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

/// The sum of a run of consecutive shards' results (one shard, or a node of the tree).
#[derive(Clone, Debug, PartialEq)]
pub struct ShardResult {
    /// Its first shard's index in the batch.
    pub first: usize,
    /// Shards it sums.
    pub shards: usize,
    /// Images in those shards.
    pub images: usize,
    /// The cross-entropy summed over its images.
    pub loss_sum: f32,
    /// Images classified right (before the update).
    pub correct: usize,
    /// The gradient of the summed loss, per parameter in `named` order.
    pub grads: Vec<Tensor>,
}

impl ShardResult {
    /// `self + other`, `other` being the run right after `self`'s.
    fn add(&self, other: &ShardResult) -> Result<ShardResult> {
        if other.grads.len() != self.grads.len() {
            return Err(ShapeError::Device(format!(
                "a worker returned {} gradients, not {}",
                other.grads.len(),
                self.grads.len()
            )));
        }
        let mut grads = self.grads.clone();
        for (sum, g) in grads.iter_mut().zip(&other.grads) {
            if sum.shape() != g.shape() {
                return Err(ShapeError::Mismatch {
                    what: "a worker's gradient".into(),
                    expected: format!("{:?}", sum.shape()),
                    got: g.shape().to_vec(),
                });
            }
            for (s, v) in sum.data_mut().iter_mut().zip(g.data()) {
                *s += v;
            }
        }
        Ok(ShardResult {
            first: self.first,
            shards: self.shards + other.shards,
            images: self.images + other.images,
            loss_sum: self.loss_sum + other.loss_sum,
            correct: self.correct + other.correct,
            grads,
        })
    }
}

/// A whole step's result, from [`combine`].
#[derive(Clone, Debug, PartialEq)]
pub struct StepResult {
    /// Images in the batch.
    pub images: usize,
    /// The batch's mean cross-entropy.
    pub loss: f32,
    /// Images classified right (before the update).
    pub correct: usize,
    /// The gradient of the mean loss, per parameter in `named` order.
    pub grads: Vec<Tensor>,
}

/// A shard of a batch: images `(n_s,1,28,28)` and their targets.
pub type Shard = (Tensor, Vec<usize>);

/// The future a pool returns: the sums of the shards it was given ([`ShardResult`]s), in order.
pub type PoolFuture = Pin<Box<dyn Future<Output = Result<Vec<ShardResult>>>>>;

/// Computes shards' gradients elsewhere (other workers).
pub trait ShardPool {
    /// Its workers (0: the session's thread does every shard, still sharded).
    fn workers(&self) -> usize;
    /// The results of `shards` (the batch's shards from `first` on) for `model` (its current
    /// parameters), as [`partial_sums`] of contiguous groups, in order; the pool deals the
    /// shards to its workers in contiguous groups ([`groups`]). It must send the work before
    /// returning, so the workers compute while the caller does its own shards.
    fn grads(&mut self, model: &dyn Classifier, shards: Vec<Shard>, first: usize) -> PoolFuture;
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

/// Shard `index`'s result, computed here: its summed loss and that loss's gradient.
pub fn shard_grads(
    model: &dyn Classifier,
    be: &dyn Backend,
    shard: &Shard,
    index: usize,
) -> Result<ShardResult> {
    let (x, targets) = shard;
    let (logits, mut grads) = model.logits_and_grads(be, x, targets)?;
    let log_probs = be.log_softmax_forward(&logits)?;
    // The model gives the mean loss's gradient; the tree adds sums.
    let n = targets.len() as f32;
    for g in &mut grads {
        g.data_mut().iter_mut().for_each(|v| *v *= n);
    }
    Ok(ShardResult {
        first: index,
        shards: 1,
        images: targets.len(),
        loss_sum: n * be.nll_loss_forward(&log_probs, targets)?,
        correct: count_correct(&logits, targets),
        grads,
    })
}

/// The tree's nodes that lie wholly in shards `first..end`, largest first, in order: aligned
/// runs of 1, 2, 4, … shards (`(first shard, count)`).
pub fn tree_nodes(first: usize, end: usize) -> Vec<(usize, usize)> {
    let mut nodes = Vec::new();
    let mut lo = first;
    while lo < end {
        let mut size = 1;
        while lo.is_multiple_of(size * 2) && lo + size * 2 <= end {
            size *= 2;
        }
        nodes.push((lo, size));
        lo += size;
    }
    nodes
}

/// The sum of consecutive leaves (a tree node's: a power of two of them), halves first.
fn node_sum(leaves: &[ShardResult]) -> Result<ShardResult> {
    match leaves {
        [] => Err(ShapeError::Device("a step with no shards".into())),
        [one] => Ok(one.clone()),
        _ => {
            let (l, r) = leaves.split_at(leaves.len().div_ceil(2));
            node_sum(l)?.add(&node_sum(r)?)
        }
    }
}

/// The results of a group of shards (the batch's shards from `first` on) computed here on `be`:
/// each shard's, then [`partial_sums`].
pub fn group_sums(
    model: &dyn Classifier,
    be: &dyn Backend,
    shards: &[Shard],
    first: usize,
) -> Result<Vec<ShardResult>> {
    let leaves = shards
        .iter()
        .enumerate()
        .map(|(i, s)| shard_grads(model, be, s, first + i))
        .collect::<Result<Vec<_>>>()?;
    partial_sums(&leaves)
}

/// A group's results to send: the sums of the tree's nodes that lie wholly in it
/// ([`tree_nodes`]), from its shards' results (consecutive, in order).
pub fn partial_sums(leaves: &[ShardResult]) -> Result<Vec<ShardResult>> {
    let Some(first) = leaves.first().map(|l| l.first) else {
        return Ok(Vec::new());
    };
    tree_nodes(first, first + leaves.len())
        .into_iter()
        .map(|(lo, size)| node_sum(&leaves[lo - first..lo - first + size]))
        .collect()
}

/// The batch's loss, correct count and gradient from the sums covering its `total` shards:
/// up the tree, using a sum where one was sent ([`partial_sums`]) and adding its two halves
/// where none was, then divided by the batch's size.
pub fn combine(parts: &[ShardResult], total: usize) -> Result<StepResult> {
    let root = node(parts, 0, total.next_power_of_two().max(1), total)?
        .ok_or_else(|| ShapeError::Device("a step with no shards".into()))?;
    if root.shards != total {
        return Err(ShapeError::Device(format!(
            "a step summed {} of its {total} shards",
            root.shards
        )));
    }
    let inv = 1.0 / root.images as f32;
    let mut grads = root.grads;
    for g in &mut grads {
        g.data_mut().iter_mut().for_each(|v| *v *= inv);
    }
    Ok(StepResult {
        images: root.images,
        loss: root.loss_sum * inv,
        correct: root.correct,
        grads,
    })
}

/// The tree node over shards `lo..lo + size` (cut at `total`), if it holds any.
fn node(
    parts: &[ShardResult],
    lo: usize,
    size: usize,
    total: usize,
) -> Result<Option<ShardResult>> {
    let hi = (lo + size).min(total);
    if lo >= hi {
        return Ok(None);
    }
    if let Some(p) = parts.iter().find(|p| p.first == lo && p.shards == hi - lo) {
        return Ok(Some(p.clone()));
    }
    if size == 1 {
        return Err(ShapeError::Device(format!(
            "shard {lo} of a step is missing"
        )));
    }
    let left = node(parts, lo, size / 2, total)?;
    let right = node(parts, lo + size / 2, size / 2, total)?;
    Ok(match (left, right) {
        (Some(l), Some(r)) => Some(l.add(&r)?),
        (l, r) => l.or(r),
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
    fn grads(&mut self, model: &dyn Classifier, shards: Vec<Shard>, first: usize) -> PoolFuture {
        let results = group_sums(model, &self.backend, &shards, first);
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
    fn the_tree_nodes_of_a_group_are_aligned_runs() {
        assert_eq!(tree_nodes(0, 8), [(0, 8)]);
        assert_eq!(tree_nodes(4, 8), [(4, 4)]);
        assert_eq!(tree_nodes(3, 6), [(3, 1), (4, 2)]);
        assert_eq!(tree_nodes(0, 7), [(0, 4), (4, 2), (6, 1)]);
        assert_eq!(tree_nodes(5, 5), []);
    }

    fn leaves(net: &Net, x: &Tensor, t: &[usize], parts: usize) -> Vec<ShardResult> {
        split(x, t, parts)
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, s)| shard_grads(net, &ReferenceBackend, s, i).unwrap())
            .collect()
    }

    #[test]
    fn the_sum_of_shards_is_the_whole_batchs_gradient() {
        let net = Net::new(2);
        let x = Tensor::from_fn(&[6, 1, 28, 28], |i| ((i * 37) % 101) as f32 / 101.0);
        let t = vec![1, 7, 3, 3, 0, 9];
        let whole = combine(&leaves(&net, &x, &t, 1), 1).unwrap();
        for parts in [1, 2, 4, 5] {
            let sum = combine(&leaves(&net, &x, &t, parts), parts).unwrap();
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

    /// Whatever the threads' groups, and whichever sums they send, the step is the same to
    /// the bit, also for a shard count that is not a power of two.
    #[test]
    fn every_thread_count_gives_the_same_step_bit_for_bit() {
        let net = Net::new(3);
        let x = Tensor::from_fn(&[23, 1, 28, 28], |i| ((i * 53) % 97) as f32 / 97.0);
        let t: Vec<usize> = (0..23).map(|i| (i * 7) % 10).collect();
        for total in [SHARDS, 7, 3] {
            let all = leaves(&net, &x, &t, total);
            let one = combine(&all, total).unwrap();
            for threads in 1..=total {
                let mut parts = Vec::new();
                for (first, count) in groups(total, threads) {
                    parts.extend(partial_sums(&all[first..first + count]).unwrap());
                }
                assert!(parts.len() <= all.len());
                let got = combine(&parts, total).unwrap();
                assert_eq!(got, one, "{total} shards on {threads} threads");
            }
            let missing = combine(&all[1..], total).unwrap_err();
            assert!(missing.to_string().contains("shard 0"), "{missing}");
        }
    }
}
