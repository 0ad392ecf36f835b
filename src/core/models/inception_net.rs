//! The course's Inception network for MNIST, trainable, with PyTorch's parameter names:
//!
//! ```python
//! class InceptionA(nn.Module):
//!     def __init__(self, in_channels):
//!         self.branch1x1 = nn.Conv2d(in_channels, 16, kernel_size=1)
//!         self.branch5x5_1 = nn.Conv2d(in_channels, 16, kernel_size=1)
//!         self.branch5x5_2 = nn.Conv2d(16, 24, kernel_size=5, padding=2)
//!         self.branch3x3_1 = nn.Conv2d(in_channels, 16, kernel_size=1)
//!         self.branch3x3_2 = nn.Conv2d(16, 24, kernel_size=3, padding=1)
//!         self.branch3x3_3 = nn.Conv2d(24, 24, kernel_size=3, padding=1)
//!         self.branch_pool = nn.Conv2d(in_channels, 24, kernel_size=1)
//!     def forward(self, x):
//!         b1 = self.branch1x1(x)
//!         b5 = self.branch5x5_2(self.branch5x5_1(x))
//!         b3 = self.branch3x3_3(self.branch3x3_2(self.branch3x3_1(x)))
//!         bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
//!         return torch.cat([b1, b5, b3, bp], dim=1)          # 16 + 24 + 24 + 24 = 88
//!
//! class Net(nn.Module):
//!     def __init__(self):
//!         self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
//!         self.conv2 = nn.Conv2d(88, 20, kernel_size=5)
//!         self.incep1 = InceptionA(in_channels=10)
//!         self.incep2 = InceptionA(in_channels=20)
//!         self.mp = nn.MaxPool2d(2)
//!         self.fc = nn.Linear(1408, 10)
//!     def forward(self, x):
//!         b = x.size(0)
//!         x = F.relu(self.mp(self.conv1(x)))
//!         x = self.incep1(x)
//!         x = F.relu(self.mp(self.conv2(x)))
//!         x = self.incep2(x)
//!         return self.fc(x.view(b, -1))
//! ```
//!
//! The backward pass splits the concatenation's gradient by branch and adds the four branches'
//! input gradients; it is checked against PyTorch's autograd (`tests/inception_golden.rs`).

use super::classifier::{FeatureMaps, GpuRecord, ModelKind, Trainable};
use super::inception;
use super::modules::{Conv, two_stage_named, two_stage_params_mut, uniform};
use crate::backend::Backend;
use crate::backend::gpu::graph::{Graph, Value};
use crate::error::Result;
use crate::layers::{Conv2dParams, LinearParams, Pool2dParams};
use crate::tensor::Tensor;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

/// The module's seven convolutions, in PyTorch's registration order.
#[derive(Clone, Debug, PartialEq)]
pub struct InceptionA {
    /// `branch1x1`, `branch5x5_1`, `branch5x5_2`, `branch3x3_1`, `branch3x3_2`, `branch3x3_3`,
    /// `branch_pool`.
    pub convs: [Conv; 7],
}

/// The module's convolution names.
pub const BRANCH_CONVS: [&str; 7] = [
    "branch1x1",
    "branch5x5_1",
    "branch5x5_2",
    "branch3x3_1",
    "branch3x3_2",
    "branch3x3_3",
    "branch_pool",
];

/// The output channels of the four branches.
pub const BRANCH_CHANNELS: [usize; 4] = [16, 24, 24, 24];

fn avg_pool() -> Pool2dParams {
    Pool2dParams::new(3).stride(1).padding(1)
}

/// What the module's forward pass keeps.
#[derive(Clone, Debug)]
pub struct InceptionActs {
    x: Tensor,
    /// branch5x5_1, branch3x3_1, branch3x3_2 outputs and the pooled input.
    mid: [Tensor; 4],
    /// The concatenated output `(B, 88, H, W)`.
    pub y: Tensor,
}

impl InceptionA {
    /// A module for `cin` input channels, initialised as PyTorch does. Its convolutions are
    /// the ones [`inception::branches`] describes (the description the Inception widget's
    /// shapes and costs come from), in registration order.
    pub fn new(rng: &mut Pcg64Mcg, cin: usize) -> Self {
        let specs: Vec<Conv2dParams> = inception::branches(cin)
            .into_iter()
            .flat_map(|b| b.layers)
            .filter_map(|l| match l {
                inception::Layer::Conv(p) => Some(p),
                inception::Layer::AvgPool(_) => None,
            })
            .collect();
        let convs: Vec<Conv> = specs.into_iter().map(|s| Conv::new(rng, s)).collect();
        InceptionA {
            convs: convs
                .try_into()
                .unwrap_or_else(|_| unreachable!("the module has seven convolutions")),
        }
    }

    /// The forward pass.
    pub fn forward(&self, be: &dyn Backend, x: &Tensor) -> Result<InceptionActs> {
        let c = &self.convs;
        let b1 = c[0].forward(be, x)?;
        let m5 = c[1].forward(be, x)?;
        let b5 = c[2].forward(be, &m5)?;
        let m3a = c[3].forward(be, x)?;
        let m3b = c[4].forward(be, &m3a)?;
        let b3 = c[5].forward(be, &m3b)?;
        let pooled = be.avg_pool2d_forward(x, &avg_pool())?;
        let bp = c[6].forward(be, &pooled)?;
        let y = be.concat_channels_forward(&[&b1, &b5, &b3, &bp])?;
        Ok(InceptionActs {
            x: x.clone(),
            mid: [m5, m3a, m3b, pooled],
            y,
        })
    }

    /// The backward pass from `dy`: `(∂L/∂x, the 14 gradients in [`InceptionA::named`] order)`.
    pub fn backward(
        &self,
        be: &dyn Backend,
        a: &InceptionActs,
        dy: &Tensor,
    ) -> Result<(Tensor, Vec<Tensor>)> {
        let c = &self.convs;
        let [m5, m3a, m3b, pooled] = &a.mid;
        let parts = be.concat_channels_backward(dy, &BRANCH_CHANNELS)?;
        let (dx1, w0, b0) = c[0].backward(be, &a.x, &parts[0])?;
        let (dm5, w2, b2) = c[2].backward(be, m5, &parts[1])?;
        let (dx5, w1, b1) = c[1].backward(be, &a.x, &dm5)?;
        let (dm3b, w5, b5) = c[5].backward(be, m3b, &parts[2])?;
        let (dm3a, w4, b4) = c[4].backward(be, m3a, &dm3b)?;
        let (dx3, w3, b3) = c[3].backward(be, &a.x, &dm3a)?;
        let (dpooled, w6, b6) = c[6].backward(be, pooled, &parts[3])?;
        let dxp = be.avg_pool2d_backward(&dpooled, &avg_pool(), a.x.dims4("inception input")?)?;
        let dx = be.add_forward(&be.add_forward(&dx1, &dx5)?, &be.add_forward(&dx3, &dxp)?)?;
        Ok((
            dx,
            vec![w0, b0, w1, b1, w2, b2, w3, b3, w4, b4, w5, b5, w6, b6],
        ))
    }

    /// Its parameters with PyTorch's names under `prefix`.
    pub fn named(&self, prefix: &str) -> Vec<(String, &Tensor)> {
        BRANCH_CONVS
            .iter()
            .zip(&self.convs)
            .flat_map(|(name, c)| {
                [
                    (format!("{prefix}.{name}.weight"), &c.weight),
                    (format!("{prefix}.{name}.bias"), &c.bias),
                ]
            })
            .collect()
    }

    fn params_mut(&mut self) -> Vec<&mut Tensor> {
        self.convs
            .iter_mut()
            .flat_map(|c| [&mut c.weight, &mut c.bias])
            .collect()
    }
}

/// The course's Inception network (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct InceptionNet {
    /// 1 → 10, 5 × 5.
    pub conv1: Conv,
    /// 88 → 20, 5 × 5.
    pub conv2: Conv,
    /// InceptionA(10).
    pub incep1: InceptionA,
    /// InceptionA(20).
    pub incep2: InceptionA,
    /// Linear(1408, 10): `[10, 1408]`.
    pub fc_weight: Tensor,
    /// `[10]`.
    pub fc_bias: Tensor,
}

/// What the network's forward pass keeps.
#[derive(Clone, Debug)]
pub struct InceptionNetActs {
    x: Tensor,
    r1: Tensor,
    c1_shape: [usize; 4],
    argmax1: Vec<u32>,
    i1: InceptionActs,
    r2: Tensor,
    c2_shape: [usize; 4],
    argmax2: Vec<u32>,
    i2: InceptionActs,
    flat: Tensor,
    /// The ten scores per image.
    pub logits: Tensor,
}

impl InceptionNet {
    fn pooling() -> Pool2dParams {
        Pool2dParams::new(2)
    }

    /// A network initialised as PyTorch does, from `seed` (in PyTorch's registration order).
    pub fn new(seed: u64) -> Self {
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let conv1 = Conv::new(&mut rng, Conv2dParams::new(1, 10, 5));
        let conv2 = Conv::new(&mut rng, Conv2dParams::new(88, 20, 5));
        let incep1 = InceptionA::new(&mut rng, 10);
        let incep2 = InceptionA::new(&mut rng, 20);
        let fc_weight = uniform(&mut rng, &[10, 1408], 1408);
        let fc_bias = uniform(&mut rng, &[10], 1408);
        InceptionNet {
            conv1,
            conv2,
            incep1,
            incep2,
            fc_weight,
            fc_bias,
        }
    }

    /// Learnable parameters in all.
    pub fn param_count(&self) -> usize {
        self.parameters().iter().map(|(_, t)| t.len()).sum()
    }

    /// The backward pass: every parameter's gradient (in [`InceptionNet::named`] order) and,
    /// when `input` is set, ∂L/∂x (the saliency map; training leaves it out).
    fn backward_to(
        &self,
        be: &dyn Backend,
        a: &InceptionNetActs,
        dlogits: &Tensor,
        input: bool,
    ) -> Result<(Vec<Tensor>, Option<Tensor>)> {
        let d_fc_w = be.linear_backward_weight(&a.flat, dlogits)?;
        let d_fc_b = be.linear_backward_bias(dlogits)?;
        let d_i2 = be
            .linear_backward_input(dlogits, &self.fc_weight)?
            .reshape(a.i2.y.shape())?;
        let (d_r2, g_i2) = self.incep2.backward(be, &a.i2, &d_i2)?;
        let d_p2 = be.relu_backward(&d_r2, &a.r2)?;
        let d_c2 =
            be.max_pool2d_backward(&d_p2, &a.argmax2, &InceptionNet::pooling(), a.c2_shape)?;
        let (d_i1, d_c2_w, d_c2_b) = self.conv2.backward(be, &a.i1.y, &d_c2)?;
        let (d_r1, g_i1) = self.incep1.backward(be, &a.i1, &d_i1)?;
        let d_p1 = be.relu_backward(&d_r1, &a.r1)?;
        let d_c1 =
            be.max_pool2d_backward(&d_p1, &a.argmax1, &InceptionNet::pooling(), a.c1_shape)?;
        let (d_c1_w, d_c1_b) = self.conv1.backward_params(be, &a.x, &d_c1)?;
        let d_x = if input {
            let [_, _, h, w] = a.x.dims4("input")?;
            Some(be.conv2d_backward_input(&d_c1, &self.conv1.weight, &self.conv1.params, (h, w))?)
        } else {
            None
        };
        let mut grads = vec![d_c1_w, d_c1_b, d_c2_w, d_c2_b];
        grads.extend(g_i1);
        grads.extend(g_i2);
        grads.push(d_fc_w);
        grads.push(d_fc_b);
        Ok((grads, d_x))
    }
}

impl Trainable for InceptionNet {
    type Acts = InceptionNetActs;
    /// The forward pass on `x` `(B,1,28,28)`.
    fn forward(&self, be: &dyn Backend, x: &Tensor) -> Result<InceptionNetActs> {
        let c1 = self.conv1.forward(be, x)?;
        let (p1, argmax1) = be.max_pool2d_forward(&c1, &InceptionNet::pooling())?;
        let r1 = be.relu_forward(&p1)?;
        let i1 = self.incep1.forward(be, &r1)?;
        let c2 = self.conv2.forward(be, &i1.y)?;
        let (p2, argmax2) = be.max_pool2d_forward(&c2, &InceptionNet::pooling())?;
        let r2 = be.relu_forward(&p2)?;
        let i2 = self.incep2.forward(be, &r2)?;
        let batch = x.shape()[0];
        let flat = i2.y.clone().reshape(&[batch, i2.y.len() / batch.max(1)])?;
        LinearParams::new(1408, 10).output_shape(flat.shape())?;
        let logits = be.linear_forward(&flat, &self.fc_weight, Some(&self.fc_bias))?;
        Ok(InceptionNetActs {
            x: x.clone(),
            r1,
            c1_shape: c1.dims4("conv1 output")?,
            argmax1,
            i1,
            r2,
            c2_shape: c2.dims4("conv2 output")?,
            argmax2,
            i2,
            flat,
            logits,
        })
    }

    fn logits_of(acts: &InceptionNetActs) -> &Tensor {
        &acts.logits
    }
    /// Gradients of every parameter (in [`InceptionNet::named`] order) from ∂L/∂logits.
    fn backward(
        &self,
        be: &dyn Backend,
        a: &InceptionNetActs,
        dlogits: &Tensor,
    ) -> Result<Vec<Tensor>> {
        self.backward_to(be, a, dlogits, false).map(|(g, _)| g)
    }
    fn backward_input(
        &self,
        be: &dyn Backend,
        a: &InceptionNetActs,
        dlogits: &Tensor,
    ) -> Result<Tensor> {
        let (_, d_x) = self.backward_to(be, a, dlogits, true)?;
        d_x.ok_or_else(|| unreachable!("asked for the input gradient"))
    }
    /// Every parameter with its PyTorch name, in `state_dict` order.
    fn parameters(&self) -> Vec<(String, &Tensor)> {
        two_stage_named(
            [&self.conv1, &self.conv2],
            [self.incep1.named("incep1"), self.incep2.named("incep2")],
            [&self.fc_weight, &self.fc_bias],
        )
    }

    /// Mutable parameters, in [`InceptionNet::named`] order.
    fn parameters_mut(&mut self) -> Vec<&mut Tensor> {
        two_stage_params_mut(
            [&mut self.conv1, &mut self.conv2],
            [self.incep1.params_mut(), self.incep2.params_mut()],
            [&mut self.fc_weight, &mut self.fc_bias],
        )
    }

    fn model_kind(&self) -> Option<ModelKind> {
        Some(ModelKind::Inception)
    }
    fn as_feature_maps(&self) -> Option<&dyn FeatureMaps> {
        Some(self)
    }
    fn as_gpu_record(&self) -> Option<&dyn GpuRecord> {
        Some(self)
    }
}

/// An Inception module, its 14 parameters from `w` on.
fn inception(g: &mut Graph, x: Value, w: usize, m: &InceptionA) -> Result<Value> {
    let c = &m.convs;
    let b1 = g.conv(x, w, c[0].params)?;
    let m5 = g.conv(x, w + 2, c[1].params)?;
    let b5 = g.conv(m5, w + 4, c[2].params)?;
    let m3 = g.conv(x, w + 6, c[3].params)?;
    let m3 = g.conv(m3, w + 8, c[4].params)?;
    let b3 = g.conv(m3, w + 10, c[5].params)?;
    let pooled = g.avg_pool(x, Pool2dParams::new(3).stride(1).padding(1))?;
    let bp = g.conv(pooled, w + 12, c[6].params)?;
    debug_assert_eq!(BRANCH_CHANNELS.len(), 4);
    Ok(g.concat(&[b1, b5, b3, bp]))
}

/// The Inception network's forward pass on the GPU tape (parameters in [`InceptionNet::named`]
/// order).
impl GpuRecord for InceptionNet {
    fn record(&self, g: &mut Graph, x: Value) -> Result<Value> {
        let m = self;
        let c = g.conv(x, 0, m.conv1.params)?;
        let p = g.max_pool(c, InceptionNet::pooling())?;
        let r = g.relu(p);
        let i = inception(g, r, 4, &m.incep1)?;
        let c = g.conv(i, 2, m.conv2.params)?;
        let p = g.max_pool(c, InceptionNet::pooling())?;
        let r = g.relu(p);
        let i = inception(g, r, 18, &m.incep2)?;
        Ok(g.linear(i, 32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cpu::ReferenceBackend;
    use crate::models::classifier::Classifier;

    #[test]
    fn shapes_and_parameter_count() {
        let net = InceptionNet::new(1);
        // Per module: three 1×1 convs to 16, 5×5 16→24, 3×3 16→24, 3×3 24→24, 1×1 to 24.
        let incep = |cin: usize| {
            3 * (cin * 16 + 16)
                + (16 * 24 * 25 + 24)
                + (16 * 24 * 9 + 24)
                + (24 * 24 * 9 + 24)
                + (cin * 24 + 24)
        };
        assert_eq!(
            net.param_count(),
            260 + 44_020 + incep(10) + incep(20) + 14_090
        );
        assert_eq!(net.named().len(), 4 + 14 + 14 + 2);
        let x = Tensor::from_fn(&[2, 1, 28, 28], |i| ((i % 89) as f32 / 89.0) - 0.5);
        let a = net.forward(&ReferenceBackend, &x).unwrap();
        assert_eq!(a.i1.y.shape(), &[2, 88, 12, 12]);
        assert_eq!(a.i2.y.shape(), &[2, 88, 4, 4]);
        assert_eq!(a.logits.shape(), &[2, 10]);
    }
}
