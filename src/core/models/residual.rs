//! The course's residual network for MNIST, with PyTorch's parameter names:
//!
//! ```python
//! class ResidualBlock(nn.Module):
//!     def __init__(self, c):
//!         super().__init__()
//!         self.conv1 = nn.Conv2d(c, c, kernel_size=3, padding=1)
//!         self.conv2 = nn.Conv2d(c, c, kernel_size=3, padding=1)
//!     def forward(self, x):
//!         y = F.relu(self.conv1(x))
//!         y = self.conv2(y)
//!         return F.relu(x + y)
//!
//! class ResNet(nn.Module):
//!     def __init__(self):
//!         super().__init__()
//!         self.conv1 = nn.Conv2d(1, 16, kernel_size=5)
//!         self.conv2 = nn.Conv2d(16, 32, kernel_size=5)
//!         self.mp = nn.MaxPool2d(2)
//!         self.rblock1 = ResidualBlock(16)
//!         self.rblock2 = ResidualBlock(32)
//!         self.fc = nn.Linear(512, 10)
//!     def forward(self, x):
//!         b = x.size(0)
//!         x = self.mp(F.relu(self.conv1(x)))
//!         x = self.rblock1(x)
//!         x = self.mp(F.relu(self.conv2(x)))
//!         x = self.rblock2(x)
//!         return self.fc(x.view(b, -1))
//! ```
//!
//! The block's forward keeps what its backward needs; `skip = false` drops the `x +` (the
//! "plain" block), for the depth experiment and the residual widget. The backward pass is
//! written out by hand from the backend's ops and checked against PyTorch's autograd
//! (`tests/residual_golden.rs`).

use super::classifier::{FeatureMaps, GpuRecord, ModelKind, Trainable};
use super::modules::{Conv, two_stage_named, two_stage_params_mut, uniform};
use crate::backend::Backend;
use crate::backend::gpu::graph::{Graph, Value};
use crate::error::Result;
use crate::layers::{Conv2dParams, LinearParams, Pool2dParams};
use crate::tensor::Tensor;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

/// `y = relu(x + conv2(relu(conv1(x))))`, or without `x +` when `skip` is off.
#[derive(Clone, Debug, PartialEq)]
pub struct ResidualBlock {
    /// The first 3 × 3 convolution (c → c, padding 1).
    pub conv1: Conv,
    /// The second.
    pub conv2: Conv,
    /// Whether the skip connection is there.
    pub skip: bool,
}

/// What a block's forward pass keeps for its backward pass.
#[derive(Clone, Debug)]
pub struct BlockActs {
    /// The block's input.
    pub x: Tensor,
    /// relu(conv1(x)).
    pub h: Tensor,
    /// The block's output.
    pub y: Tensor,
}

/// A block's gradients: `(∂L/∂x, [conv1.weight, conv1.bias, conv2.weight, conv2.bias])`.
pub type BlockGrads = (Tensor, [Tensor; 4]);

impl ResidualBlock {
    /// A block for `c` channels, initialised as PyTorch does.
    pub fn new(rng: &mut Pcg64Mcg, c: usize, skip: bool) -> Self {
        let p = Conv2dParams::new(c, c, 3).padding(1);
        ResidualBlock {
            conv1: Conv::new(rng, p),
            conv2: Conv::new(rng, p),
            skip,
        }
    }

    /// The forward pass.
    pub fn forward(&self, be: &dyn Backend, x: &Tensor) -> Result<BlockActs> {
        let h = be.relu_forward(&self.conv1.forward(be, x)?)?;
        let f = self.conv2.forward(be, &h)?;
        let sum = if self.skip { be.add_forward(x, &f)? } else { f };
        Ok(BlockActs {
            x: x.clone(),
            h,
            y: be.relu_forward(&sum)?,
        })
    }

    /// The backward pass from `dy` = ∂L/∂y.
    pub fn backward(&self, be: &dyn Backend, a: &BlockActs, dy: &Tensor) -> Result<BlockGrads> {
        let d_sum = be.relu_backward(dy, &a.y)?;
        let (d_h, d_w2, d_b2) = self.conv2.backward(be, &a.h, &d_sum)?;
        let d_c1 = be.relu_backward(&d_h, &a.h)?;
        let (d_x_conv, d_w1, d_b1) = self.conv1.backward(be, &a.x, &d_c1)?;
        let d_x = if self.skip {
            be.add_forward(&d_x_conv, &d_sum)?
        } else {
            d_x_conv
        };
        Ok((d_x, [d_w1, d_b1, d_w2, d_b2]))
    }

    /// Its parameters, mutable, in [`ResidualBlock::named`] order.
    pub fn params_mut(&mut self) -> Vec<&mut Tensor> {
        vec![
            &mut self.conv1.weight,
            &mut self.conv1.bias,
            &mut self.conv2.weight,
            &mut self.conv2.bias,
        ]
    }

    /// Its parameters with PyTorch's names under `prefix`.
    pub fn named(&self, prefix: &str) -> Vec<(String, &Tensor)> {
        vec![
            (format!("{prefix}.conv1.weight"), &self.conv1.weight),
            (format!("{prefix}.conv1.bias"), &self.conv1.bias),
            (format!("{prefix}.conv2.weight"), &self.conv2.weight),
            (format!("{prefix}.conv2.bias"), &self.conv2.bias),
        ]
    }
}

/// The course's residual network (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct ResNet {
    /// 1 → 16, 5 × 5.
    pub conv1: Conv,
    /// 16 → 32, 5 × 5.
    pub conv2: Conv,
    /// ResidualBlock(16).
    pub rblock1: ResidualBlock,
    /// ResidualBlock(32).
    pub rblock2: ResidualBlock,
    /// Linear(512, 10): weight `[10, 512]`.
    pub fc_weight: Tensor,
    /// `[10]`.
    pub fc_bias: Tensor,
}

/// What the network's forward pass keeps.
#[derive(Clone, Debug)]
pub struct ResNetActs {
    x: Tensor,
    c1: Tensor,
    r1: Tensor,
    argmax1: Vec<u32>,
    b1: BlockActs,
    c2: Tensor,
    r2: Tensor,
    argmax2: Vec<u32>,
    b2: BlockActs,
    flat: Tensor,
    /// The ten scores per image.
    pub logits: Tensor,
}

impl ResNet {
    /// The parameter names, in `state_dict` order.
    pub const NAMES: [&'static str; 14] = [
        "conv1.weight",
        "conv1.bias",
        "conv2.weight",
        "conv2.bias",
        "rblock1.conv1.weight",
        "rblock1.conv1.bias",
        "rblock1.conv2.weight",
        "rblock1.conv2.bias",
        "rblock2.conv1.weight",
        "rblock2.conv1.bias",
        "rblock2.conv2.weight",
        "rblock2.conv2.bias",
        "fc.weight",
        "fc.bias",
    ];

    fn pooling() -> Pool2dParams {
        Pool2dParams::new(2)
    }

    /// A network initialised as PyTorch does, from `seed` (in the order PyTorch creates the
    /// layers: conv1, conv2, rblock1, rblock2, fc).
    pub fn new(seed: u64) -> Self {
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let conv1 = Conv::new(&mut rng, Conv2dParams::new(1, 16, 5));
        let conv2 = Conv::new(&mut rng, Conv2dParams::new(16, 32, 5));
        let rblock1 = ResidualBlock::new(&mut rng, 16, true);
        let rblock2 = ResidualBlock::new(&mut rng, 32, true);
        let fc_weight = uniform(&mut rng, &[10, 512], 512);
        let fc_bias = uniform(&mut rng, &[10], 512);
        ResNet {
            conv1,
            conv2,
            rblock1,
            rblock2,
            fc_weight,
            fc_bias,
        }
    }

    /// Learnable parameters in all.
    pub fn param_count(&self) -> usize {
        self.parameters().iter().map(|(_, t)| t.len()).sum()
    }

    /// The backward pass: every parameter's gradient (in [`ResNet::NAMES`] order) and, when
    /// `input` is set, ∂L/∂x (the saliency map; training leaves it out).
    fn backward_to(
        &self,
        be: &dyn Backend,
        a: &ResNetActs,
        dlogits: &Tensor,
        input: bool,
    ) -> Result<(Vec<Tensor>, Option<Tensor>)> {
        let d_fc_w = be.linear_backward_weight(&a.flat, dlogits)?;
        let d_fc_b = be.linear_backward_bias(dlogits)?;
        let d_flat = be.linear_backward_input(dlogits, &self.fc_weight)?;
        let d_b2y = d_flat.reshape(a.b2.y.shape())?;
        let (d_p2, g_b2) = self.rblock2.backward(be, &a.b2, &d_b2y)?;
        let d_r2 =
            be.max_pool2d_backward(&d_p2, &a.argmax2, &ResNet::pooling(), a.r2.dims4("relu2")?)?;
        let d_c2 = be.relu_backward(&d_r2, &a.r2)?;
        let (d_b1y, d_c2_w, d_c2_b) = self.conv2.backward(be, &a.b1.y, &d_c2)?;
        let (d_p1, g_b1) = self.rblock1.backward(be, &a.b1, &d_b1y)?;
        let d_r1 =
            be.max_pool2d_backward(&d_p1, &a.argmax1, &ResNet::pooling(), a.r1.dims4("relu1")?)?;
        let d_c1 = be.relu_backward(&d_r1, &a.r1)?;
        let (d_c1_w, d_c1_b) = self.conv1.backward_params(be, &a.x, &d_c1)?;
        let d_x = if input {
            let [_, _, h, w] = a.x.dims4("input")?;
            Some(be.conv2d_backward_input(&d_c1, &self.conv1.weight, &self.conv1.params, (h, w))?)
        } else {
            None
        };
        let _ = &a.c1;
        let _ = &a.c2;
        let mut grads = vec![d_c1_w, d_c1_b, d_c2_w, d_c2_b];
        grads.extend(g_b1);
        grads.extend(g_b2);
        grads.push(d_fc_w);
        grads.push(d_fc_b);
        Ok((grads, d_x))
    }
}

impl Trainable for ResNet {
    type Acts = ResNetActs;
    /// The forward pass on `x` `(B,1,28,28)`.
    fn forward(&self, be: &dyn Backend, x: &Tensor) -> Result<ResNetActs> {
        let c1 = self.conv1.forward(be, x)?;
        let (p1, argmax1) = be.max_pool2d_forward(&be.relu_forward(&c1)?, &ResNet::pooling())?;
        let b1 = self.rblock1.forward(be, &p1)?;
        let c2 = self.conv2.forward(be, &b1.y)?;
        let (p2, argmax2) = be.max_pool2d_forward(&be.relu_forward(&c2)?, &ResNet::pooling())?;
        let b2 = self.rblock2.forward(be, &p2)?;
        let batch = x.shape()[0];
        let flat = b2.y.clone().reshape(&[batch, b2.y.len() / batch.max(1)])?;
        LinearParams::new(512, 10).output_shape(flat.shape())?;
        let logits = be.linear_forward(&flat, &self.fc_weight, Some(&self.fc_bias))?;
        Ok(ResNetActs {
            x: x.clone(),
            r1: be.relu_forward(&c1)?,
            c1,
            argmax1,
            b1,
            r2: be.relu_forward(&c2)?,
            c2,
            argmax2,
            b2,
            flat,
            logits,
        })
    }

    fn logits_of(acts: &ResNetActs) -> &Tensor {
        &acts.logits
    }
    /// Gradients of every parameter (in [`ResNet::NAMES`] order) from ∂L/∂logits.
    fn backward(&self, be: &dyn Backend, a: &ResNetActs, dlogits: &Tensor) -> Result<Vec<Tensor>> {
        self.backward_to(be, a, dlogits, false).map(|(g, _)| g)
    }
    fn backward_input(&self, be: &dyn Backend, a: &ResNetActs, dlogits: &Tensor) -> Result<Tensor> {
        let (_, d_x) = self.backward_to(be, a, dlogits, true)?;
        d_x.ok_or_else(|| unreachable!("asked for the input gradient"))
    }
    /// Every parameter with its PyTorch name, in [`ResNet::NAMES`] order.
    fn parameters(&self) -> Vec<(String, &Tensor)> {
        two_stage_named(
            [&self.conv1, &self.conv2],
            [self.rblock1.named("rblock1"), self.rblock2.named("rblock2")],
            [&self.fc_weight, &self.fc_bias],
        )
    }

    /// Mutable parameters, in [`ResNet::NAMES`] order.
    fn parameters_mut(&mut self) -> Vec<&mut Tensor> {
        two_stage_params_mut(
            [&mut self.conv1, &mut self.conv2],
            [self.rblock1.params_mut(), self.rblock2.params_mut()],
            [&mut self.fc_weight, &mut self.fc_bias],
        )
    }

    fn model_kind(&self) -> Option<ModelKind> {
        Some(ModelKind::ResNet)
    }
    fn as_feature_maps(&self) -> Option<&dyn FeatureMaps> {
        Some(self)
    }
    fn as_gpu_record(&self) -> Option<&dyn GpuRecord> {
        Some(self)
    }
}

/// `relu(x + conv2(relu(conv1(x))))`, its parameters from `w` on.
fn residual_block(g: &mut Graph, x: Value, w: usize, b: &ResidualBlock) -> Result<Value> {
    let h = g.conv(x, w, b.conv1.params)?;
    let h = g.relu(h);
    let f = g.conv(h, w + 2, b.conv2.params)?;
    let sum = if b.skip { g.add(x, f) } else { f };
    Ok(g.relu(sum))
}

/// The residual network's forward pass on the GPU tape (parameters in [`ResNet::named`] order).
impl GpuRecord for ResNet {
    fn record(&self, g: &mut Graph, x: Value) -> Result<Value> {
        let m = self;
        let c = g.conv(x, 0, m.conv1.params)?;
        let r = g.relu(c);
        let p = g.max_pool(r, ResNet::pooling())?;
        let b = residual_block(g, p, 4, &m.rblock1)?;
        let c = g.conv(b, 2, m.conv2.params)?;
        let r = g.relu(c);
        let p = g.max_pool(r, ResNet::pooling())?;
        let b = residual_block(g, p, 8, &m.rblock2)?;
        Ok(g.linear(b, 12))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cpu::ReferenceBackend;
    use crate::models::classifier::Classifier;

    #[test]
    fn shapes_and_parameter_count_match_pytorch() {
        let net = ResNet::new(1);
        // conv1 416 + conv2 12,832 + rblock1 2·2,320 + rblock2 2·9,248 + fc 5,130.
        assert_eq!(net.param_count(), 416 + 12_832 + 4_640 + 18_496 + 5_130);
        let names: Vec<String> = net.named().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ResNet::NAMES);
        let x = Tensor::from_fn(&[2, 1, 28, 28], |i| ((i % 97) as f32 / 97.0) - 0.5);
        let a = net.forward(&ReferenceBackend, &x).unwrap();
        assert_eq!(a.logits.shape(), &[2, 10]);
        assert_eq!(a.b1.y.shape(), &[2, 16, 12, 12]);
        assert_eq!(a.b2.y.shape(), &[2, 32, 4, 4]);
    }
}
