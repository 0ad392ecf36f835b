//! Building blocks shared by the deeper models: a convolution module (weight, bias, parameters)
//! with its forward and backward passes, and PyTorch's default initialisation.

use crate::backend::Backend;
use crate::error::Result;
use crate::layers::Conv2dParams;
use crate::tensor::Tensor;
use rand::Rng;
use rand_pcg::Pcg64Mcg;

/// A convolution's weight and bias.
#[derive(Clone, Debug, PartialEq)]
pub struct Conv {
    /// `[out, in, k, k]`.
    pub weight: Tensor,
    /// `[out]`.
    pub bias: Tensor,
    /// Its parameters (stride, padding, …).
    pub params: Conv2dParams,
}

/// PyTorch's default initialisation: uniform in `±1/√fan_in` for weight and bias.
pub fn uniform(rng: &mut Pcg64Mcg, shape: &[usize], fan_in: usize) -> Tensor {
    let bound = 1.0 / (fan_in as f32).sqrt();
    Tensor::from_fn(shape, |_| rng.random_range(-bound..bound))
}

impl Conv {
    /// A convolution initialised as PyTorch does.
    pub fn new(rng: &mut Pcg64Mcg, params: Conv2dParams) -> Self {
        let shape = params.weight_shape();
        let fan_in = shape[1] * shape[2] * shape[3];
        Conv {
            weight: uniform(rng, &shape, fan_in),
            bias: uniform(rng, &[params.out_channels], fan_in),
            params,
        }
    }

    pub fn forward(&self, be: &dyn Backend, x: &Tensor) -> Result<Tensor> {
        be.conv2d_forward(x, &self.weight, Some(&self.bias), &self.params)
    }

    /// `(∂L/∂x, ∂L/∂weight, ∂L/∂bias)` for the input `x` and the output gradient `dy`.
    pub fn backward(
        &self,
        be: &dyn Backend,
        x: &Tensor,
        dy: &Tensor,
    ) -> Result<(Tensor, Tensor, Tensor)> {
        let [_, _, h, w] = x.dims4("conv input")?;
        Ok((
            be.conv2d_backward_input(dy, &self.weight, &self.params, (h, w))?,
            be.conv2d_backward_weight(x, dy, &self.params)?,
            be.conv2d_backward_bias(dy)?,
        ))
    }

    /// `(∂L/∂weight, ∂L/∂bias)` only: for a first layer, whose input needs no gradient in
    /// training.
    pub fn backward_params(
        &self,
        be: &dyn Backend,
        x: &Tensor,
        dy: &Tensor,
    ) -> Result<(Tensor, Tensor)> {
        Ok((
            be.conv2d_backward_weight(x, dy, &self.params)?,
            be.conv2d_backward_bias(dy)?,
        ))
    }
}

/// The deeper nets' parameters in `state_dict` order (conv1, conv2, the two blocks, already named
/// under their prefixes, then fc), as both the residual and the Inception net register them.
pub fn two_stage_named<'a>(
    convs: [&'a Conv; 2],
    blocks: [Vec<(String, &'a Tensor)>; 2],
    fc: [&'a Tensor; 2],
) -> Vec<(String, &'a Tensor)> {
    let mut v = Vec::new();
    for (name, c) in ["conv1", "conv2"].into_iter().zip(convs) {
        v.push((format!("{name}.weight"), &c.weight));
        v.push((format!("{name}.bias"), &c.bias));
    }
    v.extend(blocks.into_iter().flatten());
    v.push(("fc.weight".to_string(), fc[0]));
    v.push(("fc.bias".to_string(), fc[1]));
    v
}

/// The same parameters, mutable, in the same order.
pub fn two_stage_params_mut<'a>(
    convs: [&'a mut Conv; 2],
    blocks: [Vec<&'a mut Tensor>; 2],
    fc: [&'a mut Tensor; 2],
) -> Vec<&'a mut Tensor> {
    let mut v = Vec::new();
    for c in convs {
        v.extend([&mut c.weight, &mut c.bias]);
    }
    v.extend(blocks.into_iter().flatten());
    v.extend(fc);
    v
}
