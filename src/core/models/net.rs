//! The lesson's MNIST network, `Net`, with PyTorch's parameter names, shapes and initialisation.
//!
//! ```python
//! class Net(torch.nn.Module):
//!     def __init__(self):
//!         super().__init__()
//!         self.conv1 = torch.nn.Conv2d(1, 10, kernel_size=5)
//!         self.conv2 = torch.nn.Conv2d(10, 20, kernel_size=5)
//!         self.pooling = torch.nn.MaxPool2d(2)
//!         self.fc = torch.nn.Linear(320, 10)
//!     def forward(self, x):
//!         batch_size = x.size(0)
//!         x = F.relu(self.pooling(self.conv1(x)))
//!         x = F.relu(self.pooling(self.conv2(x)))
//!         x = x.view(batch_size, -1)
//!         return self.fc(x)
//! ```
//!
//! # Shapes
//! `(B,1,28,28)` → conv1 `(B,10,24,24)` → pool `(B,10,12,12)` → conv2 `(B,20,8,8)` → pool
//! `(B,20,4,4)` → flatten `(B,320)` → fc `(B,10)`; 260 + 5,020 + 3,210 = 8,490 parameters.

use super::classifier::{FeatureMaps, GpuRecord, ModelKind, Trainable};
use super::summary::{LayerRow, Summary};
use crate::backend::Backend;
use crate::backend::gpu::graph::{Graph, Value};
use crate::error::Result;
use crate::formats::weights::{self, WeightsError};
use crate::layers::{Conv2dParams, LinearParams, Pool2dParams};
use crate::tensor::Tensor;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// PyTorch's parameter names, in `state_dict` order.
pub const PARAM_NAMES: [&str; 6] = [
    "conv1.weight",
    "conv1.bias",
    "conv2.weight",
    "conv2.bias",
    "fc.weight",
    "fc.bias",
];

/// The lesson's network. Parameters are public so the UI can show (and edit) them.
#[derive(Clone, Debug, PartialEq)]
pub struct Net {
    /// `[10, 1, 5, 5]`
    pub conv1_weight: Tensor,
    /// `[10]`
    pub conv1_bias: Tensor,
    /// `[20, 10, 5, 5]`
    pub conv2_weight: Tensor,
    /// `[20]`
    pub conv2_bias: Tensor,
    /// `[10, 320]`
    pub fc_weight: Tensor,
    /// `[10]`
    pub fc_bias: Tensor,
}

/// Everything the forward pass keeps for the backward pass (and for the UI's layer views).
#[derive(Clone, Debug)]
pub struct Activations {
    /// The input `(B,1,28,28)`.
    pub input: Tensor,
    /// conv1's output `(B,10,24,24)`.
    pub conv1: Tensor,
    /// relu(pool(conv1)) `(B,10,12,12)`.
    pub relu1: Tensor,
    /// Where each pooled value came from.
    pub argmax1: Vec<u32>,
    /// conv2's output `(B,20,8,8)`.
    pub conv2: Tensor,
    /// relu(pool(conv2)) flattened `(B,320)`.
    pub flat: Tensor,
    /// Where each pooled value came from.
    pub argmax2: Vec<u32>,
    /// The ten scores per image `(B,10)`.
    pub logits: Tensor,
}

/// Gradients of every parameter, in [`PARAM_NAMES`] order.
pub type Gradients = [Tensor; 6];

impl Net {
    /// `conv1 = Conv2d(1, 10, kernel_size=5)`.
    pub fn conv1() -> Conv2dParams {
        Conv2dParams::new(1, 10, 5)
    }

    /// `conv2 = Conv2d(10, 20, kernel_size=5)`.
    pub fn conv2() -> Conv2dParams {
        Conv2dParams::new(10, 20, 5)
    }

    /// `pooling = MaxPool2d(2)`.
    pub fn pooling() -> Pool2dParams {
        Pool2dParams::new(2)
    }

    /// `fc = Linear(320, 10)`.
    pub fn fc() -> LinearParams {
        LinearParams::new(320, 10)
    }

    /// Parameter shapes, in [`PARAM_NAMES`] order.
    pub fn param_shapes() -> Vec<(&'static str, Vec<usize>)> {
        let shapes = [
            Self::conv1().weight_shape().to_vec(),
            vec![10],
            Self::conv2().weight_shape().to_vec(),
            vec![20],
            vec![10, 320],
            vec![10],
        ];
        PARAM_NAMES.into_iter().zip(shapes).collect()
    }

    /// A network initialised as PyTorch does by default: every weight and bias uniform in
    /// `±1/√fan_in` (`kaiming_uniform_(a=√5)` for weights), from a seeded generator.
    pub fn new(seed: u64) -> Self {
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let mut uniform = |shape: &[usize], fan_in: usize| {
            let bound = 1.0 / (fan_in as f32).sqrt();
            Tensor::from_fn(shape, |_| rng.random_range(-bound..bound))
        };
        Self {
            conv1_weight: uniform(&[10, 1, 5, 5], 25),
            conv1_bias: uniform(&[10], 25),
            conv2_weight: uniform(&[20, 10, 5, 5], 250),
            conv2_bias: uniform(&[20], 250),
            fc_weight: uniform(&[10, 320], 320),
            fc_bias: uniform(&[10], 320),
        }
    }

    /// The parameters, in [`PARAM_NAMES`] order.
    pub fn params(&self) -> [&Tensor; 6] {
        [
            &self.conv1_weight,
            &self.conv1_bias,
            &self.conv2_weight,
            &self.conv2_bias,
            &self.fc_weight,
            &self.fc_bias,
        ]
    }

    /// The parameters, mutable, in [`PARAM_NAMES`] order.
    pub fn params_mut(&mut self) -> [&mut Tensor; 6] {
        [
            &mut self.conv1_weight,
            &mut self.conv1_bias,
            &mut self.conv2_weight,
            &mut self.conv2_bias,
            &mut self.fc_weight,
            &mut self.fc_bias,
        ]
    }

    /// Runs the network on `x` `(B,1,28,28)`, keeping every activation.
    pub fn forward(&self, be: &dyn Backend, x: &Tensor) -> Result<Activations> {
        let conv1 = be.conv2d_forward(
            x,
            &self.conv1_weight,
            Some(&self.conv1_bias),
            &Self::conv1(),
        )?;
        let (pool1, argmax1) = be.max_pool2d_forward(&conv1, &Self::pooling())?;
        let relu1 = be.relu_forward(&pool1)?;
        let conv2 = be.conv2d_forward(
            &relu1,
            &self.conv2_weight,
            Some(&self.conv2_bias),
            &Self::conv2(),
        )?;
        let (pool2, argmax2) = be.max_pool2d_forward(&conv2, &Self::pooling())?;
        let batch = pool2.shape()[0];
        let flat = be
            .relu_forward(&pool2)?
            .reshape(&[batch, pool2.len() / batch.max(1)])?;
        Self::fc().output_shape(flat.shape())?;
        let logits = be.linear_forward(&flat, &self.fc_weight, Some(&self.fc_bias))?;
        Ok(Activations {
            input: x.clone(),
            conv1,
            relu1,
            argmax1,
            conv2,
            flat,
            argmax2,
            logits,
        })
    }

    /// Gradients of the loss with respect to every parameter, from `dlogits` = ∂L/∂logits.
    pub fn backward(
        &self,
        be: &dyn Backend,
        acts: &Activations,
        dlogits: &Tensor,
    ) -> Result<Gradients> {
        self.backward_to(be, acts, dlogits, false).map(|(g, _)| g)
    }

    /// The backward pass: every parameter's gradient and, when `input` is set, ∂L/∂x too (the
    /// saliency map; training leaves it out, so it costs training nothing).
    fn backward_to(
        &self,
        be: &dyn Backend,
        acts: &Activations,
        dlogits: &Tensor,
        input: bool,
    ) -> Result<(Gradients, Option<Tensor>)> {
        let d_fc_w = be.linear_backward_weight(&acts.flat, dlogits)?;
        let d_fc_b = be.linear_backward_bias(dlogits)?;
        let d_flat = be.linear_backward_input(dlogits, &self.fc_weight)?;
        let c2 = acts.conv2.dims4("conv2 output")?;
        let pooled2 = [c2[0], c2[1], c2[2] / 2, c2[3] / 2];
        let d_pool2 = be.relu_backward(&d_flat, &acts.flat)?.reshape(&pooled2)?;
        let d_conv2 = be.max_pool2d_backward(&d_pool2, &acts.argmax2, &Self::pooling(), c2)?;
        let d_c2_w = be.conv2d_backward_weight(&acts.relu1, &d_conv2, &Self::conv2())?;
        let d_c2_b = be.conv2d_backward_bias(&d_conv2)?;
        let r1 = acts.relu1.dims4("pool1 output")?;
        let d_relu1 =
            be.conv2d_backward_input(&d_conv2, &self.conv2_weight, &Self::conv2(), (r1[2], r1[3]))?;
        let d_pool1 = be.relu_backward(&d_relu1, &acts.relu1)?;
        let d_conv1 = be.max_pool2d_backward(
            &d_pool1,
            &acts.argmax1,
            &Self::pooling(),
            acts.conv1.dims4("conv1 output")?,
        )?;
        let d_c1_w = be.conv2d_backward_weight(&acts.input, &d_conv1, &Self::conv1())?;
        let d_c1_b = be.conv2d_backward_bias(&d_conv1)?;
        let d_x = if input {
            let [_, _, h, w] = acts.input.dims4("input")?;
            Some(be.conv2d_backward_input(&d_conv1, &self.conv1_weight, &Self::conv1(), (h, w))?)
        } else {
            None
        };
        Ok(([d_c1_w, d_c1_b, d_c2_w, d_c2_b, d_fc_w, d_fc_b], d_x))
    }

    /// Class probabilities (softmax of the logits) for each image.
    pub fn predict(&self, be: &dyn Backend, x: &Tensor) -> Result<Tensor> {
        let logits = self.forward(be, x)?.logits;
        let mut probs = be.log_softmax_forward(&logits)?;
        probs.data_mut().iter_mut().for_each(|v| *v = v.exp());
        Ok(probs)
    }

    /// The layers, shapes, parameters and multiplications for a batch of `(h, w)` images.
    /// For a size other than 28×28 the summary stops at `fc` with the reason.
    pub fn summary(batch: usize, h: usize, w: usize) -> Summary {
        let mut s = Summary {
            input: vec![batch, 1, h, w],
            rows: Vec::new(),
            error: None,
        };
        let mut shape = [batch, 1, h, w];
        let convs = [
            ("conv1", Self::conv1(), "Conv2d(1, 10, kernel_size=5)"),
            ("conv2", Self::conv2(), "Conv2d(10, 20, kernel_size=5)"),
        ];
        for (i, (name, conv, text)) in convs.into_iter().enumerate() {
            let step = conv.output_shape(shape).and_then(|out| {
                let mults = conv.mults(shape[2], shape[3])? * batch as u64;
                Ok((out, mults))
            });
            let (out, mults) = match step {
                Ok(v) => v,
                Err(e) => {
                    s.error = Some((name.to_string(), e));
                    return s;
                }
            };
            s.rows.push(LayerRow {
                name: name.into(),
                layer: text.into(),
                output: out.to_vec(),
                params: conv.param_count(),
                mults,
            });
            match Self::pooling().output_shape(out) {
                Ok(pooled) => shape = pooled,
                Err(e) => {
                    s.error = Some(("pooling".into(), e));
                    return s;
                }
            }
            s.rows.push(LayerRow {
                name: "pooling".into(),
                layer: "MaxPool2d(2)".into(),
                output: shape.to_vec(),
                params: 0,
                mults: 0,
            });
            s.rows.push(LayerRow {
                name: format!("relu{}", i + 1),
                layer: "ReLU".into(),
                output: shape.to_vec(),
                params: 0,
                mults: 0,
            });
        }
        let flat = vec![batch, shape[1] * shape[2] * shape[3]];
        s.rows.push(LayerRow {
            name: "flatten".into(),
            layer: "x.view(batch_size, -1)".into(),
            output: flat.clone(),
            params: 0,
            mults: 0,
        });
        let fc = Self::fc();
        match fc.output_shape(&flat) {
            Ok(out) => s.rows.push(LayerRow {
                name: "fc".into(),
                layer: "Linear(320, 10)".into(),
                output: out.to_vec(),
                params: fc.param_count(),
                mults: (batch * fc.in_features * fc.out_features) as u64,
            }),
            Err(e) => s.error = Some(("fc".into(), e)),
        }
        s
    }

    /// Loads a PyTorch `state_dict` saved as safetensors.
    pub fn from_safetensors(bytes: &[u8]) -> Result<Self, WeightsError> {
        let mut t = weights::load(bytes, &Self::param_shapes())?;
        let mut take = |name: &str| {
            t.remove(name).ok_or_else(|| WeightsError::Missing {
                name: name.into(),
                present: String::new(),
            })
        };
        Ok(Self {
            conv1_weight: take("conv1.weight")?,
            conv1_bias: take("conv1.bias")?,
            conv2_weight: take("conv2.weight")?,
            conv2_bias: take("conv2.bias")?,
            fc_weight: take("fc.weight")?,
            fc_bias: take("fc.bias")?,
        })
    }

    /// Saves the parameters as safetensors with PyTorch's names (and optional metadata).
    pub fn to_safetensors(
        &self,
        metadata: Option<std::collections::HashMap<String, String>>,
    ) -> Result<Vec<u8>, WeightsError> {
        let named: Vec<(&str, &Tensor)> = PARAM_NAMES.into_iter().zip(self.params()).collect();
        weights::save(&named, metadata)
    }
}

impl Trainable for Net {
    type Acts = Activations;
    fn forward(&self, be: &dyn Backend, x: &Tensor) -> Result<Activations> {
        Net::forward(self, be, x)
    }
    fn logits_of(acts: &Activations) -> &Tensor {
        &acts.logits
    }
    fn backward(
        &self,
        be: &dyn Backend,
        acts: &Activations,
        dlogits: &Tensor,
    ) -> Result<Vec<Tensor>> {
        Net::backward(self, be, acts, dlogits).map(Vec::from)
    }
    fn backward_input(
        &self,
        be: &dyn Backend,
        acts: &Activations,
        dlogits: &Tensor,
    ) -> Result<Tensor> {
        let (_, d_x) = self.backward_to(be, acts, dlogits, true)?;
        d_x.ok_or_else(|| unreachable!("asked for the input gradient"))
    }
    fn parameters(&self) -> Vec<(String, &Tensor)> {
        PARAM_NAMES
            .iter()
            .map(|n| n.to_string())
            .zip(self.params())
            .collect()
    }
    fn parameters_mut(&mut self) -> Vec<&mut Tensor> {
        Net::params_mut(self).into()
    }
    fn model_kind(&self) -> Option<ModelKind> {
        Some(ModelKind::Net)
    }
    fn as_feature_maps(&self) -> Option<&dyn FeatureMaps> {
        Some(self)
    }
    fn as_gpu_record(&self) -> Option<&dyn GpuRecord> {
        Some(self)
    }
}

/// The forward pass on the GPU tape: `relu(pool(conv1))`, `relu(pool(conv2))`, flatten, fc
/// (parameters in [`PARAM_NAMES`] order), 7 dispatches forward and 11 backward.
impl GpuRecord for Net {
    fn record(&self, g: &mut Graph, x: Value) -> Result<Value> {
        let c = g.conv(x, 0, Self::conv1())?;
        let p = g.max_pool(c, Self::pooling())?;
        let r = g.relu(p);
        let c = g.conv(r, 2, Self::conv2())?;
        let p = g.max_pool(c, Self::pooling())?;
        let r = g.relu(p);
        Ok(g.linear(r, 4))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cpu::ReferenceBackend;

    #[test]
    fn lesson_summary() {
        let s = Net::summary(64, 28, 28);
        assert_eq!(s.error, None);
        assert_eq!(s.total_params(), 8490);
        let shapes: Vec<_> = s.rows.iter().map(|r| r.output.clone()).collect();
        assert_eq!(shapes[0], vec![64, 10, 24, 24]);
        assert_eq!(shapes[3], vec![64, 20, 8, 8]);
        assert_eq!(shapes[6], vec![64, 320]);
        assert_eq!(shapes[7], vec![64, 10]);
    }

    #[test]
    fn wrong_image_size_breaks_at_fc() {
        let s = Net::summary(1, 32, 32);
        let (layer, err) = s.error.expect("an error");
        assert_eq!(layer, "fc");
        assert!(
            err.to_string().contains("(N, 320)") && err.to_string().contains("500"),
            "{err}"
        );
        let s = Net::summary(1, 12, 12);
        assert_eq!(s.error.expect("an error").0, "conv2");
    }

    #[test]
    fn init_is_seeded_and_bounded() {
        let (a, b) = (Net::new(1), Net::new(1));
        assert_eq!(a, b);
        assert_ne!(a, Net::new(2));
        assert!(
            a.fc_weight
                .data()
                .iter()
                .all(|v| v.abs() <= 1.0 / 320f32.sqrt())
        );
        assert!(a.conv1_weight.data().iter().all(|v| v.abs() <= 0.2));
    }

    #[test]
    fn forward_shapes_and_safetensors_round_trip() {
        let net = Net::new(3);
        let x = Tensor::from_fn(&[2, 1, 28, 28], |i| (i % 7) as f32 * 0.1);
        let acts = net.forward(&ReferenceBackend, &x).expect("forward");
        assert_eq!(acts.logits.shape(), &[2, 10]);
        let bytes = net.to_safetensors(None).expect("save");
        assert_eq!(Net::from_safetensors(&bytes).expect("load"), net);
    }
}
