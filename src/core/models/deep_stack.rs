//! The lesson's "deeper is not always better", as an experiment: a stack of `depth` 3 × 3
//! convolutions, trained plain or with residual connections, everything else equal.
//!
//! ```text
//! (B,1,28,28) → conv 1→8 3×3 pad 1 → relu → max_pool 2 → (B,8,14,14)
//!             → depth/2 blocks of two conv 8→8 3×3 pad 1:
//!                   plain:     y = relu(conv2(relu(conv1(x))))
//!                   residual:  y = relu(x + conv2(relu(conv1(x))))
//!             → max_pool 2 → (B,8,7,7) → flatten 392 → fc → (B,10)
//! ```
//!
//! Both arms have the same layers, the same parameters (the same initial values, from the same
//! seed) and see the same batches; only the skip connections differ. With PyTorch's default
//! initialisation the plain stack's signal and gradients shrink layer by layer, so a deep plain
//! stack trains slowly; the residual one does not (`train::depth` measures it: each arm is a
//! `TrainLoop` over its stack, and [`GradientProbe`] reads the gradient reaching each block at
//! the points it records).

use super::classifier::{GradientProbe, Trainable};
use super::modules::{Conv, uniform};
use super::residual::{BlockActs, ResidualBlock};
use crate::backend::Backend;
use crate::error::Result;
use crate::layers::{Conv2dParams, Pool2dParams};
use crate::tensor::Tensor;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

/// Channels of the stack.
const C: usize = 8;

/// A deep stack of 3 × 3 convolutions, plain or residual (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct DeepStack {
    /// 1 → 8, 3 × 3, padding 1.
    pub stem: Conv,
    /// The blocks (two convolutions each).
    pub blocks: Vec<ResidualBlock>,
    /// Linear(392, 10) weight.
    pub fc_weight: Tensor,
    /// Its bias.
    pub fc_bias: Tensor,
}

/// What the forward pass keeps.
#[derive(Clone, Debug)]
pub struct StackActs {
    x: Tensor,
    stem_relu: Tensor,
    argmax1: Vec<u32>,
    blocks: Vec<BlockActs>,
    argmax2: Vec<u32>,
    flat: Tensor,
    /// The ten scores per image.
    pub logits: Tensor,
}

impl DeepStack {
    /// `depth` convolutions in the stack (rounded up to even), with or without skips; the
    /// parameters depend only on `depth` and `seed`.
    pub fn new(depth: usize, residual: bool, seed: u64) -> Self {
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let stem = Conv::new(&mut rng, Conv2dParams::new(1, C, 3).padding(1));
        let blocks = (0..depth.div_ceil(2))
            .map(|_| ResidualBlock::new(&mut rng, C, residual))
            .collect();
        let fc_weight = uniform(&mut rng, &[10, C * 49], C * 49);
        let fc_bias = uniform(&mut rng, &[10], C * 49);
        DeepStack {
            stem,
            blocks,
            fc_weight,
            fc_bias,
        }
    }

    fn pooling() -> Pool2dParams {
        Pool2dParams::new(2)
    }

    /// The forward pass.
    pub fn forward(&self, be: &dyn Backend, x: &Tensor) -> Result<StackActs> {
        let stem_relu = be.relu_forward(&self.stem.forward(be, x)?)?;
        let (mut y, argmax1) = be.max_pool2d_forward(&stem_relu, &Self::pooling())?;
        let mut blocks = Vec::with_capacity(self.blocks.len());
        for b in &self.blocks {
            let a = b.forward(be, &y)?;
            y = a.y.clone();
            blocks.push(a);
        }
        let (pooled, argmax2) = be.max_pool2d_forward(&y, &Self::pooling())?;
        let batch = x.shape()[0];
        let flat = pooled.reshape(&[batch, C * 49])?;
        let logits = be.linear_forward(&flat, &self.fc_weight, Some(&self.fc_bias))?;
        Ok(StackActs {
            x: x.clone(),
            stem_relu,
            argmax1,
            blocks,
            argmax2,
            flat,
            logits,
        })
    }

    /// Gradients (in [`Classifier::named`] order) and the mean |gradient| reaching each block's
    /// input, from the top block down — how much learning signal each depth receives.
    pub fn backward(
        &self,
        be: &dyn Backend,
        a: &StackActs,
        dlogits: &Tensor,
    ) -> Result<(Vec<Tensor>, Vec<f32>)> {
        let d_fc_w = be.linear_backward_weight(&a.flat, dlogits)?;
        let d_fc_b = be.linear_backward_bias(dlogits)?;
        let batch = a.x.shape()[0];
        let d_pooled = be
            .linear_backward_input(dlogits, &self.fc_weight)?
            .reshape(&[batch, C, 7, 7])?;
        let mut dy =
            be.max_pool2d_backward(&d_pooled, &a.argmax2, &Self::pooling(), [batch, C, 14, 14])?;
        let mut block_grads = Vec::with_capacity(self.blocks.len());
        let mut magnitudes = Vec::with_capacity(self.blocks.len());
        for (b, acts) in self.blocks.iter().zip(&a.blocks).rev() {
            let (dx, g) = b.backward(be, acts, &dy)?;
            magnitudes
                .push(dx.data().iter().map(|v| v.abs()).sum::<f32>() / dx.len().max(1) as f32);
            block_grads.push(g);
            dy = dx;
        }
        let d_stem_relu =
            be.max_pool2d_backward(&dy, &a.argmax1, &Self::pooling(), [batch, C, 28, 28])?;
        let d_stem = be.relu_backward(&d_stem_relu, &a.stem_relu)?;
        let (_, d_w, d_b) = self.stem.backward(be, &a.x, &d_stem)?;
        let mut grads = vec![d_w, d_b];
        for g in block_grads.into_iter().rev() {
            grads.extend(g);
        }
        grads.push(d_fc_w);
        grads.push(d_fc_b);
        Ok((grads, magnitudes))
    }
}

impl Trainable for DeepStack {
    type Acts = StackActs;
    fn forward(&self, be: &dyn Backend, x: &Tensor) -> Result<StackActs> {
        DeepStack::forward(self, be, x)
    }
    fn logits_of(acts: &StackActs) -> &Tensor {
        &acts.logits
    }
    // The backward pass also returns each block's gradient magnitude; training needs only the
    // gradients.
    fn backward(
        &self,
        be: &dyn Backend,
        acts: &StackActs,
        dlogits: &Tensor,
    ) -> Result<Vec<Tensor>> {
        DeepStack::backward(self, be, acts, dlogits).map(|(grads, _)| grads)
    }
    fn as_gradient_probe(&self) -> Option<&dyn GradientProbe> {
        Some(self)
    }
    fn parameters(&self) -> Vec<(String, &Tensor)> {
        let mut v = vec![
            ("stem.weight".to_string(), &self.stem.weight),
            ("stem.bias".to_string(), &self.stem.bias),
        ];
        for (i, b) in self.blocks.iter().enumerate() {
            v.extend(b.named(&format!("blocks.{i}")));
        }
        v.push(("fc.weight".to_string(), &self.fc_weight));
        v.push(("fc.bias".to_string(), &self.fc_bias));
        v
    }
    fn parameters_mut(&mut self) -> Vec<&mut Tensor> {
        let mut v = vec![&mut self.stem.weight, &mut self.stem.bias];
        for b in &mut self.blocks {
            v.extend(b.params_mut());
        }
        v.push(&mut self.fc_weight);
        v.push(&mut self.fc_bias);
        v
    }
}

impl GradientProbe for DeepStack {
    // A measurement: forward, the loss gradient, backward; no update.
    fn block_gradients(&self, be: &dyn Backend, x: &Tensor, targets: &[usize]) -> Result<Vec<f32>> {
        let acts = DeepStack::forward(self, be, x)?;
        let log_probs = be.log_softmax_forward(&acts.logits)?;
        let dlogits = be.log_softmax_nll_backward(&log_probs, targets)?;
        Ok(DeepStack::backward(self, be, &acts, &dlogits)?.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cpu::ReferenceBackend;
    use crate::models::classifier::Classifier;

    #[test]
    fn both_arms_have_the_same_parameters_and_shapes() {
        let (plain, res) = (DeepStack::new(8, false, 3), DeepStack::new(8, true, 3));
        assert_eq!(plain.blocks.len(), 4);
        for ((n1, a), (n2, b)) in plain.named().iter().zip(res.named()) {
            assert_eq!((n1, a.data()), (&n2, b.data()));
        }
        let x = Tensor::from_fn(&[2, 1, 28, 28], |i| (i % 13) as f32 / 13.0);
        assert_eq!(
            plain.forward(&ReferenceBackend, &x).unwrap().logits.shape(),
            &[2, 10]
        );
    }
}
