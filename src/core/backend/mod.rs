//! Compute backends: one trait, a method per op, forward and backward.
//!
//! [`Backend`]'s methods default to the CPU reference ([`cpu::reference`]), the plain loops that
//! every other backend is tested against. A backend overrides what it does faster: the SIMD
//! backend ([`cpu::SimdBackend`]) overrides convolution and the linear layer; the WebGPU backend
//! overrides whatever it has shaders for.
//!
//! Gradients follow PyTorch: `*_backward_input` returns ∂L/∂input given ∂L/∂output (`dy`),
//! `*_backward_weight` returns ∂L/∂weight, `*_backward_bias` returns ∂L/∂bias.

pub mod cpu;
pub mod gpu;
pub mod profile;

use crate::error::Result;
use crate::layers::{Conv2dParams, ConvTranspose2dParams, Pool2dParams};
use crate::tensor::Tensor;
use cpu::reference as r;

/// A compute backend. Every method has the reference implementation as its default.
pub trait Backend {
    /// A short name for logs and the UI ("reference", "simd", "webgpu").
    fn name(&self) -> &'static str;

    /// `F.conv2d(x, weight, bias, stride, padding, dilation, groups)`.
    ///
    /// # Shapes
    /// - x: `[batch, in_channels, h, w]`
    /// - weight: `[out_channels, in_channels / groups, kernel_h, kernel_w]`
    /// - bias: `[out_channels]`
    /// - returns `[batch, out_channels, out_h, out_w]`
    fn conv2d_forward(
        &self,
        x: &Tensor,
        weight: &Tensor,
        bias: Option<&Tensor>,
        p: &Conv2dParams,
    ) -> Result<Tensor> {
        r::conv2d_forward(x, weight, bias, p)
    }

    /// ∂L/∂x of a convolution. `input_hw` is the input's `(h, w)`: with stride > 1 several input
    /// sizes give the same output size, so it cannot be inferred.
    ///
    /// # Shapes
    /// dy `[batch, out_channels, out_h, out_w]`, weight as in forward → `[batch, in_channels, h, w]`
    fn conv2d_backward_input(
        &self,
        dy: &Tensor,
        weight: &Tensor,
        p: &Conv2dParams,
        input_hw: (usize, usize),
    ) -> Result<Tensor> {
        r::conv2d_backward_input(dy, weight, p, input_hw)
    }

    /// ∂L/∂weight of a convolution.
    ///
    /// # Shapes
    /// x `[batch, in_channels, h, w]`, dy `[batch, out_channels, out_h, out_w]` →
    /// `[out_channels, in_channels / groups, kernel_h, kernel_w]`
    fn conv2d_backward_weight(&self, x: &Tensor, dy: &Tensor, p: &Conv2dParams) -> Result<Tensor> {
        r::conv2d_backward_weight(x, dy, p)
    }

    /// ∂L/∂bias of a convolution: `dy` summed over batch, height and width → `[out_channels]`.
    fn conv2d_backward_bias(&self, dy: &Tensor) -> Result<Tensor> {
        r::conv2d_backward_bias(dy)
    }

    /// `F.conv_transpose2d(x, weight, bias, stride, padding, output_padding, groups, dilation)`.
    ///
    /// # Shapes
    /// x `[batch, in_channels, h, w]`, weight `[in_channels, out_channels / groups, kh, kw]` →
    /// `[batch, out_channels, out_h, out_w]`
    fn conv_transpose2d_forward(
        &self,
        x: &Tensor,
        weight: &Tensor,
        bias: Option<&Tensor>,
        p: &ConvTranspose2dParams,
    ) -> Result<Tensor> {
        r::conv_transpose2d_forward(x, weight, bias, p)
    }

    /// `F.max_pool2d(x, …, return_indices=True)`: the maxima and, for each, its flat index in
    /// its input plane (`iy · w + ix`), as PyTorch returns them.
    fn max_pool2d_forward(&self, x: &Tensor, p: &Pool2dParams) -> Result<(Tensor, Vec<u32>)> {
        r::max_pool2d_forward(x, p)
    }

    /// ∂L/∂x of max pooling: each output's gradient goes to its argmax. `p` is the forward's
    /// pooling (as PyTorch's `max_pool2d_with_indices_backward` takes it): a GPU gathers each
    /// input's gradient from the windows that contain it.
    fn max_pool2d_backward(
        &self,
        dy: &Tensor,
        argmax: &[u32],
        p: &Pool2dParams,
        input_shape: [usize; 4],
    ) -> Result<Tensor> {
        r::max_pool2d_backward(dy, argmax, p, input_shape)
    }

    /// `F.avg_pool2d(x, …)` with PyTorch's defaults (`count_include_pad=True`).
    fn avg_pool2d_forward(&self, x: &Tensor, p: &Pool2dParams) -> Result<Tensor> {
        r::avg_pool2d_forward(x, p)
    }

    /// ∂L/∂x of average pooling.
    fn avg_pool2d_backward(
        &self,
        dy: &Tensor,
        p: &Pool2dParams,
        input_shape: [usize; 4],
    ) -> Result<Tensor> {
        r::avg_pool2d_backward(dy, p, input_shape)
    }

    /// `relu(x)`, any shape.
    fn relu_forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok(r::relu_forward(x))
    }

    /// ∂L/∂x of ReLU, from its output `y` (the gradient passes where `y > 0`).
    fn relu_backward(&self, dy: &Tensor, y: &Tensor) -> Result<Tensor> {
        r::relu_backward(dy, y)
    }

    /// `F.linear(x, weight, bias)` = `x · weightᵀ + bias`.
    ///
    /// # Shapes
    /// x `[batch, in_features]`, weight `[out_features, in_features]`, bias `[out_features]` →
    /// `[batch, out_features]`
    fn linear_forward(&self, x: &Tensor, weight: &Tensor, bias: Option<&Tensor>) -> Result<Tensor> {
        r::linear_forward(x, weight, bias)
    }

    /// ∂L/∂x of a linear layer: `dy · weight` → `[batch, in_features]`.
    fn linear_backward_input(&self, dy: &Tensor, weight: &Tensor) -> Result<Tensor> {
        r::linear_backward_input(dy, weight)
    }

    /// ∂L/∂weight of a linear layer: `dyᵀ · x` → `[out_features, in_features]`.
    fn linear_backward_weight(&self, x: &Tensor, dy: &Tensor) -> Result<Tensor> {
        r::linear_backward_weight(x, dy)
    }

    /// ∂L/∂bias of a linear layer: `dy` summed over the batch → `[out_features]`.
    fn linear_backward_bias(&self, dy: &Tensor) -> Result<Tensor> {
        r::linear_backward_bias(dy)
    }

    /// `a + b` (a residual connection); same shapes. Its backward passes `dy` to both inputs.
    fn add_forward(&self, a: &Tensor, b: &Tensor) -> Result<Tensor> {
        r::add_forward(a, b)
    }

    /// `torch.cat(parts, dim=1)` on NCHW tensors (an Inception module's output).
    fn concat_channels_forward(&self, parts: &[&Tensor]) -> Result<Tensor> {
        r::concat_channels_forward(parts)
    }

    /// The backward of [`Backend::concat_channels_forward`]: `dy` split back into parts of
    /// `channels[i]` channels each.
    fn concat_channels_backward(&self, dy: &Tensor, channels: &[usize]) -> Result<Vec<Tensor>> {
        r::concat_channels_backward(dy, channels)
    }

    /// `F.log_softmax(logits, dim=1)` on `[batch, classes]`.
    fn log_softmax_forward(&self, logits: &Tensor) -> Result<Tensor> {
        r::log_softmax_forward(logits)
    }

    /// `F.nll_loss(log_probs, targets)` (mean over the batch). With log-softmax this is
    /// `nn.CrossEntropyLoss`.
    fn nll_loss_forward(&self, log_probs: &Tensor, targets: &[usize]) -> Result<f32> {
        r::nll_loss_forward(log_probs, targets)
    }

    /// ∂(mean NLL of log-softmax)/∂logits, from the log-probabilities:
    /// `(softmax − one_hot(targets)) / batch`.
    fn log_softmax_nll_backward(&self, log_probs: &Tensor, targets: &[usize]) -> Result<Tensor> {
        r::log_softmax_nll_backward(log_probs, targets)
    }
}
