//! A per-op profile of any backend: [`Profiled`] wraps a backend, times every op it runs with a
//! clock passed in (`performance.now()` in the browser, `Instant` natively) and sums the time
//! and calls per op. The bench uses it for the Net's training step, to show where a step's time
//! goes (`convscope bench`, and the wasm build in Node).

use super::Backend;
use crate::error::Result;
use crate::layers::{Conv2dParams, ConvTranspose2dParams, Pool2dParams};
use crate::tensor::Tensor;
use std::cell::RefCell;

/// A backend that times each op of the one it wraps.
pub struct Profiled<'a> {
    inner: &'a dyn Backend,
    now: &'a dyn Fn() -> f64,
    spent: RefCell<Vec<(&'static str, f64, u32)>>,
}

impl<'a> Profiled<'a> {
    /// Wraps `inner`; `now` returns seconds.
    pub fn new(inner: &'a dyn Backend, now: &'a dyn Fn() -> f64) -> Self {
        Profiled {
            inner,
            now,
            spent: RefCell::new(Vec::new()),
        }
    }

    /// `(op, seconds, calls)` for each op run so far, in first-call order; then starts afresh.
    pub fn take(&self) -> Vec<(&'static str, f64, u32)> {
        std::mem::take(&mut *self.spent.borrow_mut())
    }

    fn timed<T>(&self, op: &'static str, f: impl FnOnce(&dyn Backend) -> T) -> T {
        let start = (self.now)();
        let out = f(self.inner);
        let secs = (self.now)() - start;
        let mut spent = self.spent.borrow_mut();
        match spent.iter_mut().find(|(name, _, _)| *name == op) {
            Some(entry) => {
                entry.1 += secs;
                entry.2 += 1;
            }
            None => spent.push((op, secs, 1)),
        }
        out
    }
}

impl Backend for Profiled<'_> {
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    fn conv2d_forward(
        &self,
        x: &Tensor,
        weight: &Tensor,
        bias: Option<&Tensor>,
        p: &Conv2dParams,
    ) -> Result<Tensor> {
        self.timed("conv2d_forward", |b| b.conv2d_forward(x, weight, bias, p))
    }
    fn conv2d_backward_input(
        &self,
        dy: &Tensor,
        weight: &Tensor,
        p: &Conv2dParams,
        input_hw: (usize, usize),
    ) -> Result<Tensor> {
        self.timed("conv2d_backward_input", |b| {
            b.conv2d_backward_input(dy, weight, p, input_hw)
        })
    }
    fn conv2d_backward_weight(&self, x: &Tensor, dy: &Tensor, p: &Conv2dParams) -> Result<Tensor> {
        self.timed("conv2d_backward_weight", |b| {
            b.conv2d_backward_weight(x, dy, p)
        })
    }
    fn conv2d_backward_bias(&self, dy: &Tensor) -> Result<Tensor> {
        self.timed("conv2d_backward_bias", |b| b.conv2d_backward_bias(dy))
    }
    fn conv_transpose2d_forward(
        &self,
        x: &Tensor,
        weight: &Tensor,
        bias: Option<&Tensor>,
        p: &ConvTranspose2dParams,
    ) -> Result<Tensor> {
        self.timed("conv_transpose2d_forward", |b| {
            b.conv_transpose2d_forward(x, weight, bias, p)
        })
    }
    fn max_pool2d_forward(&self, x: &Tensor, p: &Pool2dParams) -> Result<(Tensor, Vec<u32>)> {
        self.timed("max_pool2d_forward", |b| b.max_pool2d_forward(x, p))
    }
    fn max_pool2d_backward(
        &self,
        dy: &Tensor,
        argmax: &[u32],
        p: &Pool2dParams,
        input_shape: [usize; 4],
    ) -> Result<Tensor> {
        self.timed("max_pool2d_backward", |b| {
            b.max_pool2d_backward(dy, argmax, p, input_shape)
        })
    }
    fn avg_pool2d_forward(&self, x: &Tensor, p: &Pool2dParams) -> Result<Tensor> {
        self.timed("avg_pool2d_forward", |b| b.avg_pool2d_forward(x, p))
    }
    fn avg_pool2d_backward(
        &self,
        dy: &Tensor,
        p: &Pool2dParams,
        input_shape: [usize; 4],
    ) -> Result<Tensor> {
        self.timed("avg_pool2d_backward", |b| {
            b.avg_pool2d_backward(dy, p, input_shape)
        })
    }
    fn relu_forward(&self, x: &Tensor) -> Result<Tensor> {
        self.timed("relu_forward", |b| b.relu_forward(x))
    }
    fn relu_backward(&self, dy: &Tensor, y: &Tensor) -> Result<Tensor> {
        self.timed("relu_backward", |b| b.relu_backward(dy, y))
    }
    fn linear_forward(&self, x: &Tensor, weight: &Tensor, bias: Option<&Tensor>) -> Result<Tensor> {
        self.timed("linear_forward", |b| b.linear_forward(x, weight, bias))
    }
    fn linear_backward_input(&self, dy: &Tensor, weight: &Tensor) -> Result<Tensor> {
        self.timed("linear_backward_input", |b| {
            b.linear_backward_input(dy, weight)
        })
    }
    fn linear_backward_weight(&self, x: &Tensor, dy: &Tensor) -> Result<Tensor> {
        self.timed("linear_backward_weight", |b| {
            b.linear_backward_weight(x, dy)
        })
    }
    fn linear_backward_bias(&self, dy: &Tensor) -> Result<Tensor> {
        self.timed("linear_backward_bias", |b| b.linear_backward_bias(dy))
    }
    fn add_forward(&self, a: &Tensor, b2: &Tensor) -> Result<Tensor> {
        self.timed("add_forward", |b| b.add_forward(a, b2))
    }
    fn concat_channels_forward(&self, parts: &[&Tensor]) -> Result<Tensor> {
        self.timed("concat_channels_forward", |b| {
            b.concat_channels_forward(parts)
        })
    }
    fn concat_channels_backward(&self, dy: &Tensor, channels: &[usize]) -> Result<Vec<Tensor>> {
        self.timed("concat_channels_backward", |b| {
            b.concat_channels_backward(dy, channels)
        })
    }
    fn log_softmax_forward(&self, logits: &Tensor) -> Result<Tensor> {
        self.timed("log_softmax_forward", |b| b.log_softmax_forward(logits))
    }
    fn nll_loss_forward(&self, log_probs: &Tensor, targets: &[usize]) -> Result<f32> {
        self.timed("nll_loss_forward", |b| {
            b.nll_loss_forward(log_probs, targets)
        })
    }
    fn log_softmax_nll_backward(&self, log_probs: &Tensor, targets: &[usize]) -> Result<Tensor> {
        self.timed("log_softmax_nll_backward", |b| {
            b.log_softmax_nll_backward(log_probs, targets)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cpu::SimdBackend;
    use crate::models::Net;
    use crate::models::classifier::Classifier;
    use std::time::Instant;

    /// The profile of one Net step names each op the step runs, with the same numbers as the
    /// unwrapped backend (the wrapper only times).
    #[test]
    fn a_profiled_step_counts_each_op_and_computes_the_same() {
        let start = Instant::now();
        let now = move || start.elapsed().as_secs_f64();
        let simd = SimdBackend::new();
        let prof = Profiled::new(&simd, &now);
        let net = Net::new(1);
        let x = Tensor::from_fn(&[4, 1, 28, 28], |i| ((i * 7) % 11) as f32 / 11.0);
        let targets = [1, 2, 3, 4];
        let (logits, grads) = net.logits_and_grads(&prof, &x, &targets).expect("step");
        let (want_logits, want_grads) = net.logits_and_grads(&simd, &x, &targets).expect("step");
        assert_eq!(logits.data(), want_logits.data());
        assert_eq!(grads.len(), want_grads.len());
        let spent = prof.take();
        let calls = |op: &str| spent.iter().find(|s| s.0 == op).map_or(0, |s| s.2);
        assert_eq!(calls("conv2d_forward"), 2);
        assert_eq!(calls("conv2d_backward_weight"), 2);
        assert_eq!(calls("max_pool2d_forward"), 2);
        assert_eq!(calls("linear_forward"), 1);
        assert!(spent.iter().all(|s| s.1 >= 0.0));
        assert!(prof.take().is_empty());
    }
}
