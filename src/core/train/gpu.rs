//! A whole training step of a model on the GPU: forward, cross-entropy, backward and the
//! optimizer update encoded into one compute pass and submitted once (26 dispatches for the
//! lesson's Net, a few hundred for the residual and Inception nets). The
//! weights, gradients, optimizer state and activations stay in GPU memory across steps; the
//! buffers and bind groups are built once per batch size and reused. Only what is displayed is
//! read back (the loss and correct count of the last step, the weights when asked), and only
//! when asked, asynchronously.
//!
//! The step is recorded from the model's forward pass on the GPU tape
//! ([`crate::backend::gpu::graph`], trait [`crate::models::classifier::GpuRecord`]), which
//! derives the backward pass.
//!
//! GPU errors: the uploads and each step run in an error scope (out of memory, validation,
//! internal), popped at once and awaited without blocking: [`GpuTrainer::step`] looks at the
//! scopes that have already answered (natively, all of them), and every readback
//! ([`GpuTrainer::last_stats`], [`GpuTrainer::model`], [`GpuTrainer::optimizer_state`]) awaits
//! the rest first. An error makes the context unusable ([`GpuContext::fail`]) and is returned
//! from then on; [`super::session::Session`] then falls back to the CPU and says why.

use super::optim::{OptState, OptimizerConfig};
use crate::backend::gpu::graph::Graph;
use crate::backend::gpu::ops::{self, Dispatch};
use crate::backend::gpu::params::{AdamParams, SgdParams};
use crate::backend::gpu::tensor::read_words;
use crate::backend::gpu::{GpuContext, GpuError, GpuTensor, ScopeResult};
use crate::models::classifier::{Classifier, no_gpu_step};
use crate::tensor::Tensor;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// What the last step measured (before its update).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepStats {
    /// Mean cross-entropy of the batch.
    pub loss: f32,
    /// Images classified right.
    pub correct: u32,
}

/// Per-batch-size buffers and the step's dispatches.
struct Step {
    batch: usize,
    x: GpuTensor,
    targets: GpuTensor,
    stats: GpuTensor,
    dispatches: Vec<Dispatch>,
    /// Kept alive for the dispatches' bind groups (and for debugging).
    _buffers: Vec<GpuTensor>,
}

/// Trains a `Net` (or a residual or Inception network) on the GPU.
pub struct GpuTrainer {
    ctx: Rc<GpuContext>,
    /// The model's structure (its weights are the GPU's, read back on demand).
    model: Box<dyn Classifier>,
    params: Vec<GpuTensor>,
    grads: Vec<GpuTensor>,
    /// SGD: momentum buffers; Adam: first moments.
    state_a: Vec<GpuTensor>,
    /// Adam: second moments (unused for SGD).
    state_b: Vec<GpuTensor>,
    optimizer: OptimizerConfig,
    opt_dispatches: Vec<Dispatch>,
    step: Option<Step>,
    /// The step built for the previous batch size (an epoch's short last batch alternates with
    /// the full ones, so neither is rebuilt every epoch).
    spare: Option<Step>,
    /// Completed optimizer steps.
    pub steps: u64,
    /// The device's submission and readback counts when this trainer was made.
    counts_at_start: (u64, u64),
    /// Error scopes ended but not yet answered (see the module docs).
    pending: Vec<ScopeResult>,
}

impl GpuTrainer {
    /// Uploads `net`'s weights and a fresh optimizer state.
    pub fn new(ctx: Rc<GpuContext>, net: &dyn Classifier, optimizer: OptimizerConfig) -> Self {
        Self::with_state(ctx, net, optimizer, OptState::default())
    }

    /// Uploads `net`'s weights and the optimizer `state` (as exported by any backend), to
    /// continue training where it stopped.
    pub fn with_state(
        ctx: Rc<GpuContext>,
        net: &dyn Classifier,
        optimizer: OptimizerConfig,
        state: OptState,
    ) -> Self {
        let named = net.named();
        let scope = ctx.error_scope();
        let params: Vec<GpuTensor> = named
            .iter()
            .map(|(_, t)| GpuTensor::upload(&ctx, t))
            .collect();
        let zeros = |ctx: &GpuContext| -> Vec<GpuTensor> {
            named
                .iter()
                .map(|(_, t)| GpuTensor::zeros(ctx, t.shape()))
                .collect()
        };
        let (grads, state_a, state_b) = (zeros(&ctx), zeros(&ctx), zeros(&ctx));
        for (gpu, cpu) in state_a
            .iter()
            .zip(&state.a)
            .chain(state_b.iter().zip(&state.b))
        {
            gpu.write(&ctx, cpu);
        }
        let mut trainer = Self {
            ctx,
            model: net.boxed(),
            params,
            grads,
            state_a,
            state_b,
            optimizer,
            opt_dispatches: Vec::new(),
            step: None,
            spare: None,
            steps: state.steps,
            counts_at_start: (0, 0),
            pending: Vec::new(),
        };
        trainer.opt_dispatches = trainer.build_optimizer();
        trainer.pending.push(scope.end());
        trainer.counts_at_start = (trainer.ctx.submissions(), trainer.ctx.readbacks());
        trainer
    }

    /// Queue submissions on this trainer's device since the trainer was made (counted by
    /// [`GpuContext::submit`]: one per step, one per readback).
    pub fn submissions(&self) -> u64 {
        self.ctx.submissions() - self.counts_at_start.0
    }

    /// Readbacks on this trainer's device since the trainer was made.
    pub fn readbacks(&self) -> u64 {
        self.ctx.readbacks() - self.counts_at_start.1
    }

    /// Drops the scopes that have answered without error; the first error found fails the
    /// context and is returned. Never waits.
    fn poll_errors(&mut self) -> Result<(), GpuError> {
        let mut cx = Context::from_waker(Waker::noop());
        let mut first = None;
        self.pending
            .retain_mut(|scope| match scope.as_mut().poll(&mut cx) {
                Poll::Ready(result) => {
                    if let Err(e) = result {
                        first.get_or_insert(e);
                    }
                    false
                }
                Poll::Pending => true,
            });
        if let Some(e) = first {
            self.ctx.fail(e);
        }
        self.ctx.check_alive()
    }

    /// Awaits every ended error scope: `Err` if the device made an error in any step so far
    /// (or is lost).
    pub async fn errors(&mut self) -> Result<(), GpuError> {
        for scope in std::mem::take(&mut self.pending) {
            if let Err(e) = scope.await {
                self.ctx.fail(e);
            }
        }
        self.ctx.check_alive()
    }

    /// The context (shared with whoever else uses this device).
    pub fn context(&self) -> &Rc<GpuContext> {
        &self.ctx
    }

    /// Changes the learning rate from the next step on (for schedules).
    pub fn set_lr(&mut self, new_lr: f32) {
        match &mut self.optimizer {
            OptimizerConfig::Sgd { lr, .. } | OptimizerConfig::Adam { lr, .. } => *lr = new_lr,
        }
    }

    fn sgd_params(&self, count: usize) -> SgdParams {
        match self.optimizer {
            OptimizerConfig::Sgd {
                lr,
                momentum,
                dampening,
                weight_decay,
                nesterov,
            } => SgdParams {
                count: count as u32,
                nesterov: u32::from(nesterov),
                first: u32::from(self.steps == 0),
                _pad: 0,
                lr,
                momentum,
                dampening,
                weight_decay,
            },
            OptimizerConfig::Adam { .. } => SgdParams::default(),
        }
    }

    fn adam_params(&self, count: usize) -> AdamParams {
        match self.optimizer {
            OptimizerConfig::Adam {
                lr,
                beta1,
                beta2,
                eps,
                weight_decay,
            } => {
                let t = (self.steps + 1) as i32;
                AdamParams {
                    count: count as u32,
                    _pad0: [0; 3],
                    step_size: lr / (1.0 - beta1.powi(t)),
                    beta1,
                    beta2,
                    eps,
                    weight_decay,
                    bias2_sqrt: (1.0 - beta2.powi(t)).sqrt(),
                    _pad1: [0.0; 2],
                }
            }
            OptimizerConfig::Sgd { .. } => AdamParams::default(),
        }
    }

    fn build_optimizer(&self) -> Vec<Dispatch> {
        (0..self.params.len())
            .map(|i| {
                let (p, g, a, b) = (
                    &self.params[i],
                    &self.grads[i],
                    &self.state_a[i],
                    &self.state_b[i],
                );
                match self.optimizer {
                    OptimizerConfig::Sgd { .. } => {
                        ops::sgd(&self.ctx, p, g, a, self.sgd_params(p.len()))
                    }
                    OptimizerConfig::Adam { .. } => {
                        ops::adam(&self.ctx, p, g, a, b, self.adam_params(p.len()))
                    }
                }
            })
            .collect()
    }

    /// Builds the buffers and dispatches for batches of `batch` images.
    fn build_step(&self, batch: usize) -> Result<Step, GpuError> {
        let ctx = &*self.ctx;
        let x = GpuTensor::zeros(ctx, &[batch, 1, 28, 28]);
        let (targets, stats) = (GpuTensor::zeros(ctx, &[batch]), GpuTensor::zeros(ctx, &[2]));
        let (mut g, input) = Graph::new(ctx, &self.params, &self.grads, x);
        let logits = self
            .model
            .gpu_record()
            .ok_or_else(no_gpu_step)?
            .record(&mut g, input)?;
        let (log_probs, dlogits) = (g.value(&[batch, 10]), g.value(&[batch, 10]));
        let d = ops::softmax_cross_entropy(
            ctx,
            g.tensor(logits),
            &targets,
            g.tensor(log_probs),
            g.tensor(dlogits),
            &stats,
        );
        g.push(d);
        g.backward(logits, dlogits);
        let (dispatches, mut buffers) = g.into_parts();
        // The graph's first value is its input.
        let x = buffers.remove(0);
        Ok(Step {
            batch,
            x,
            targets,
            stats,
            dispatches,
            _buffers: buffers,
        })
    }

    /// Number of dispatches in one step (forward, loss, backward, update).
    pub fn dispatches_per_step(&self) -> usize {
        self.step.as_ref().map_or(0, |s| s.dispatches.len()) + self.opt_dispatches.len()
    }

    /// Queues one training step on `x` (`[batch, 1, 28, 28]`, normalised) and `targets`: one
    /// submission; returns without waiting for the GPU.
    pub fn step(&mut self, x: &Tensor, targets: &[usize]) -> Result<(), GpuError> {
        self.poll_errors()?;
        let batch = x.dims4("training batch")?[0];
        crate::tensor::expect_shape(x, &[batch, 1, 28, 28], "training batch")?;
        if targets.len() != batch || targets.iter().any(|&t| t > 9) {
            return Err(crate::error::ShapeError::Mismatch {
                what: "training targets (digits 0 to 9, one per image)".into(),
                expected: format!("{batch} targets"),
                got: vec![targets.len()],
            }
            .into());
        }
        let scope = self.ctx.error_scope();
        if self.step.as_ref().is_none_or(|s| s.batch != batch) {
            let next = match self.spare.take() {
                Some(s) if s.batch == batch => s,
                _ => match self.build_step(batch) {
                    Ok(s) => s,
                    Err(e) => {
                        self.pending.push(scope.end());
                        return Err(e);
                    }
                },
            };
            self.spare = self.step.replace(next);
        }
        let step = self.step.as_ref().expect("built above");
        step.x.write(&self.ctx, x.data());
        let t: Vec<u32> = targets.iter().map(|&t| t as u32).collect();
        self.ctx
            .write_buffer(&step.targets.buffer, 0, bytemuck::cast_slice(&t));
        for (d, p) in self.opt_dispatches.iter().zip(&self.params) {
            let bytes = match self.optimizer {
                OptimizerConfig::Sgd { .. } => {
                    bytemuck::bytes_of(&self.sgd_params(p.len())).to_vec()
                }
                OptimizerConfig::Adam { .. } => {
                    bytemuck::bytes_of(&self.adam_params(p.len())).to_vec()
                }
            };
            self.ctx.write_buffer(&d.uniform, 0, &bytes);
        }
        let all: Vec<&Dispatch> = step.dispatches.iter().chain(&self.opt_dispatches).collect();
        self.ctx.run(&all);
        self.pending.push(scope.end());
        self.steps += 1;
        Ok(())
    }

    /// The loss and correct count of the last step (reads 8 bytes back).
    pub async fn last_stats(&mut self) -> Result<StepStats, GpuError> {
        self.errors().await?;
        let step = self
            .step
            .as_ref()
            .ok_or_else(|| GpuError::Readback("no step has run yet".into()))?;
        let words = read_words(&self.ctx, &step.stats.buffer, 2).await?;
        Ok(StepStats {
            loss: f32::from_bits(words[0]),
            correct: f32::from_bits(words[1]) as u32,
        })
    }

    /// The optimizer's state, read back (to continue on another backend).
    pub async fn optimizer_state(&mut self) -> Result<OptState, GpuError> {
        self.errors().await?;
        let mut state = OptState {
            steps: self.steps,
            a: Vec::new(),
            b: Vec::new(),
        };
        let adam = matches!(self.optimizer, OptimizerConfig::Adam { .. });
        if self.steps > 0 {
            for t in &self.state_a {
                state.a.push(t.read(&self.ctx).await?.into_data());
            }
            if adam {
                for t in &self.state_b {
                    state.b.push(t.read(&self.ctx).await?.into_data());
                }
            }
        }
        Ok(state)
    }

    /// The current weights, read back into a CPU model (for saving, or to continue on the CPU).
    pub async fn model(&mut self) -> Result<Box<dyn Classifier>, GpuError> {
        self.errors().await?;
        let mut model = self.model.boxed();
        for (param, gpu) in model.params_mut().into_iter().zip(&self.params) {
            *param = gpu.read(&self.ctx).await?;
        }
        Ok(model)
    }
}
