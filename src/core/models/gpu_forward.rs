//! A model's forward pass alone on the GPU, for inference (the drawing pad's answer, a gallery
//! page, the 10,000-image evaluation).
//!
//! The pass is recorded from the model's own forward on the GPU tape ([`Graph`], the
//! [`super::classifier::GpuRecord`] the training step uses too), with no loss and no backward:
//! a handful of dispatches (7 for the Net) in one submission, then the logits, 10 numbers per
//! image, are read back asynchronously. The weights stay in GPU memory; a new version of the
//! same model only rewrites them ([`GpuForward::set_weights`]). The dispatches and buffers are
//! built once per batch size (the pad's 1, the evaluation's chunk, the short last chunk) and
//! kept.
//!
//! Concurrency: [`GpuForward::logits`] writes the input, submits the pass and the copy of the
//! logits before its first await, so two requests in flight never see each other's values
//! (the queue orders them). GPU errors (validation, out of memory, a lost device) come back as
//! [`GpuError`], so the caller can fall back to the CPU and say why.

use super::classifier::{Classifier, no_gpu_step};
use crate::backend::gpu::graph::Graph;
use crate::backend::gpu::ops::Dispatch;
use crate::backend::gpu::tensor::read_words;
use crate::backend::gpu::{GpuContext, GpuError, GpuTensor};
use crate::tensor::Tensor;
use std::cell::RefCell;
use std::rc::Rc;

/// The buffers and dispatches of one batch size.
struct Pass {
    batch: usize,
    x: GpuTensor,
    logits: wgpu::Buffer,
    dispatches: Vec<Dispatch>,
    /// Kept alive for the dispatches' bind groups.
    _buffers: Vec<GpuTensor>,
}

/// A classifier's forward pass on the GPU (see the module docs).
pub struct GpuForward {
    ctx: Rc<GpuContext>,
    /// The model's structure (its weights are the GPU's).
    model: Box<dyn Classifier>,
    params: Vec<GpuTensor>,
    /// Built passes, most recently used first (at most [`KEPT`]).
    passes: RefCell<Vec<Pass>>,
}

/// Batch sizes whose passes are kept.
const KEPT: usize = 3;

impl GpuForward {
    /// Uploads `model`'s weights; `Err` for a model with no GPU forward.
    pub fn new(ctx: Rc<GpuContext>, model: &dyn Classifier) -> Result<Self, GpuError> {
        model.gpu_record().ok_or_else(no_gpu_step)?;
        let params = model
            .named()
            .iter()
            .map(|(_, t)| GpuTensor::upload(&ctx, t))
            .collect();
        Ok(GpuForward {
            ctx,
            model: model.boxed(),
            params,
            passes: RefCell::new(Vec::new()),
        })
    }

    /// The device.
    pub fn context(&self) -> &Rc<GpuContext> {
        &self.ctx
    }

    /// Whether `model` has this one's structure (same kind and parameter shapes), so its
    /// weights can replace these with [`GpuForward::set_weights`].
    pub fn fits(&self, model: &dyn Classifier) -> bool {
        let named = model.named();
        model.kind() == self.model.kind()
            && named.len() == self.params.len()
            && named
                .iter()
                .zip(&self.params)
                .all(|((_, t), g)| t.shape() == g.shape.as_slice())
    }

    /// Writes `model`'s weights over these (a model that [`GpuForward::fits`]).
    pub fn set_weights(&self, model: &dyn Classifier) {
        for ((_, t), g) in model.named().iter().zip(&self.params) {
            g.write(&self.ctx, t.data());
        }
    }

    /// The logits `[n, 10]` of `x` (`[n, 1, 28, 28]`, normalised).
    pub async fn logits(&self, x: &Tensor) -> Result<Tensor, GpuError> {
        self.ctx.check_alive()?;
        let batch = x.dims4("images")?[0];
        crate::tensor::expect_shape(x, &[batch, 1, 28, 28], "images")?;
        // Build if needed, write, run and start the copy with no await in between (see the
        // module docs); one error scope covers it all and is awaited after the readback.
        let scope = self.ctx.error_scope();
        let started = self.run(x, batch);
        let errors = scope.end();
        let buffer = started?;
        let words = read_words(&self.ctx, &buffer, batch * 10).await;
        if let Err(e) = errors.await {
            self.ctx.fail(e.clone());
            return Err(e);
        }
        Ok(Tensor::new(
            &[batch, 10],
            bytemuck::cast_slice(&words?).to_vec(),
        )?)
    }

    /// Writes `x` into the pass for `batch` (built if new) and submits it; the logits' buffer.
    fn run(&self, x: &Tensor, batch: usize) -> Result<wgpu::Buffer, GpuError> {
        let mut passes = self.passes.borrow_mut();
        let pass = match passes.iter().position(|p| p.batch == batch) {
            Some(at) => passes.remove(at),
            None => self.build(batch)?,
        };
        pass.x.write(&self.ctx, x.data());
        let all: Vec<&Dispatch> = pass.dispatches.iter().collect();
        self.ctx.run(&all);
        let buffer = pass.logits.clone();
        passes.insert(0, pass);
        passes.truncate(KEPT);
        Ok(buffer)
    }

    fn build(&self, batch: usize) -> Result<Pass, GpuError> {
        let x = GpuTensor::zeros(&self.ctx, &[batch, 1, 28, 28]);
        let (mut g, input) = Graph::new(&self.ctx, &self.params, &[], x);
        let logits = self
            .model
            .gpu_record()
            .ok_or_else(no_gpu_step)?
            .record(&mut g, input)?;
        let logits_buffer = g.tensor(logits).buffer.clone();
        let (dispatches, mut buffers) = g.into_parts();
        // The graph's first value is its input.
        let x = buffers.remove(0);
        Ok(Pass {
            batch,
            x,
            logits: logits_buffer,
            dispatches,
            _buffers: buffers,
        })
    }
}
