//! A training session that can run on the GPU or the CPU (SIMD) and move between them without
//! losing anything.
//!
//! - On the GPU, steps are queued one submission each; the loss is read back only when the
//!   caller records it (for a chart), and the weights and optimizer state are read back every
//!   `checkpoint_every` steps into a CPU checkpoint. The batches since that checkpoint are kept.
//! - If the device is lost or reports an error (out of memory, a command it rejected: see
//!   [`crate::backend::gpu::GpuContext`]'s error scopes), the session rebuilds the CPU state from
//!   the checkpoint and replays the kept batches with the SIMD backend (training is
//!   deterministic, so this reaches exactly the state of the last completed step, the failed GPU
//!   steps recomputed), then carries on on the CPU: no step, weight or chart point is lost. This
//!   is the only fall back; it counts in [`Session::fallbacks`] and keeps its reason in
//!   [`Session::gpu_error`], which the page shows.
//! - [`Session::use_cpu`] and [`Session::use_gpu`] switch backends at any time; the model and the
//!   optimizer state carry over.
//! - The lesson's Net, the residual and the Inception network train on either; a model without
//!   a GPU step (the depth experiment's stacks) stays on the CPU ([`Session::use_gpu`] says so).

use super::fit::train_step_model;
use super::gpu::GpuTrainer;
use super::optim::{OptState, Optimizer, OptimizerConfig};
use super::parallel::{self, ShardPool};
use crate::backend::Backend;
use crate::backend::cpu::SimdBackend;
use crate::backend::gpu::{GpuContext, GpuError};
use crate::error::ShapeError;
use crate::models::classifier::Classifier;
use crate::tensor::Tensor;
use std::rc::Rc;

/// Training on the CPU: the SIMD backend, the weights and the optimizer.
struct CpuEngine {
    backend: Box<dyn Backend>,
    net: Box<dyn Classifier>,
    opt: Box<dyn Optimizer>,
    last_loss: f32,
}

enum Engine {
    Cpu(Box<CpuEngine>),
    Gpu(Box<GpuTrainer>),
}

/// The backend a session trains on: WASM SIMD on the CPU, or WebGPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainBackend {
    /// The SIMD CPU backend (also the fallback when the GPU is lost).
    Simd,
    /// The WebGPU backend.
    WebGpu,
}

impl TrainBackend {
    /// The short name logs, tests and the page's `data-backend` use: `"simd"` or `"webgpu"`.
    pub fn name(self) -> &'static str {
        match self {
            TrainBackend::Simd => "simd",
            TrainBackend::WebGpu => "webgpu",
        }
    }
}

/// A training session (see the module docs).
pub struct Session {
    config: OptimizerConfig,
    engine: Engine,
    checkpoint: (Box<dyn Classifier>, OptState),
    replay: Vec<(Tensor, Vec<usize>)>,
    /// Steps between GPU checkpoints.
    pub checkpoint_every: usize,
    /// Completed steps.
    pub steps: u64,
    /// Recorded `(step, loss)` points, for the chart.
    pub history: Vec<(u64, f32)>,
    /// Times the GPU was lost or failed and the session carried on on the CPU.
    pub fallbacks: u32,
    /// Why the session last left the GPU without being asked (the device's error).
    pub gpu_error: Option<GpuError>,
    /// Workers that compute shards of each CPU step beside this one (data-parallel training,
    /// see [`super::parallel`]); none by default.
    pool: Option<Box<dyn ShardPool>>,
}

impl Session {
    /// Trains `net` (any model) on the CPU with the SIMD backend.
    pub fn cpu(net: Box<dyn Classifier>, config: OptimizerConfig) -> Self {
        Self::cpu_on(Box::new(SimdBackend::new()), net, config)
    }

    /// Trains `net` on the CPU with `backend` (the reference backend, for the CLI's
    /// `--backend reference`; a fall back from a GPU always uses SIMD).
    pub fn cpu_on(
        backend: Box<dyn Backend>,
        net: Box<dyn Classifier>,
        config: OptimizerConfig,
    ) -> Self {
        let engine = Engine::Cpu(Box::new(CpuEngine {
            backend,
            net: net.clone(),
            opt: config.build(None),
            last_loss: f32::NAN,
        }));
        Self::with_engine(net, config, engine)
    }

    /// Trains `net` on the GPU of `ctx` (on the CPU for a model without a GPU step).
    pub fn gpu(ctx: Rc<GpuContext>, net: Box<dyn Classifier>, config: OptimizerConfig) -> Self {
        if net.gpu_record().is_none() {
            return Self::cpu(net, config);
        }
        let engine = Engine::Gpu(Box::new(GpuTrainer::new(ctx, net.as_ref(), config)));
        Self::with_engine(net, config, engine)
    }

    fn with_engine(net: Box<dyn Classifier>, config: OptimizerConfig, engine: Engine) -> Self {
        Self {
            config,
            engine,
            checkpoint: (net, OptState::default()),
            replay: Vec::new(),
            checkpoint_every: 50,
            steps: 0,
            history: Vec::new(),
            fallbacks: 0,
            gpu_error: None,
            pool: None,
        }
    }

    /// Which backend the session trains on now.
    pub fn backend(&self) -> TrainBackend {
        match self.engine {
            Engine::Cpu(_) => TrainBackend::Simd,
            Engine::Gpu(_) => TrainBackend::WebGpu,
        }
    }

    /// `"webgpu"` or `"simd"` ([`TrainBackend::name`]).
    pub fn backend_name(&self) -> &'static str {
        self.backend().name()
    }

    /// Trains data-parallel on the CPU: each batch in [`parallel::SHARDS`] shards, this thread
    /// computing the first group and `pool`'s workers the others, summed in order, one optimizer
    /// step (the same numbers for any number of workers, 0 included); `None`: the plain step.
    /// The GPU ignores it.
    pub fn set_pool(&mut self, pool: Option<Box<dyn ShardPool>>) {
        self.pool = pool;
    }

    /// Threads a CPU step runs on: this one and the pool's workers.
    pub fn threads(&self) -> usize {
        1 + self.pool.as_ref().map_or(0, |p| p.workers())
    }

    /// Changes the learning rate from the next step on (for schedules), on either backend and
    /// for any later switch.
    pub fn set_lr(&mut self, lr: f32) {
        match &mut self.config {
            OptimizerConfig::Sgd { lr: l, .. } | OptimizerConfig::Adam { lr: l, .. } => *l = lr,
        }
        match &mut self.engine {
            Engine::Cpu(cpu) => cpu.opt.set_lr(lr),
            Engine::Gpu(trainer) => trainer.set_lr(lr),
        }
    }

    /// One training step on `x` (`[batch, 1, 28, 28]`) and `targets`. Returns the batch's loss
    /// on the CPU, where it is known at once; on the GPU it is read back only by
    /// [`Session::record_loss`].
    pub async fn step(
        &mut self,
        x: Tensor,
        targets: Vec<usize>,
    ) -> Result<Option<f32>, ShapeError> {
        if let Engine::Gpu(trainer) = &mut self.engine {
            match trainer.step(&x, &targets) {
                Ok(()) => {
                    self.steps += 1;
                    self.replay.push((x, targets));
                    if self.replay.len() < self.checkpoint_every {
                        return Ok(None);
                    }
                    // The checkpoint's readback also reports any error of the steps since.
                    match self.checkpoint_from_gpu().await {
                        Ok(()) => return Ok(None),
                        Err(GpuError::Shape(e)) => return Err(e),
                        Err(e) => {
                            // The replay covers this step too.
                            self.fall_back_to_cpu(e)?;
                            return Ok(Some(self.cpu_loss()));
                        }
                    }
                }
                Err(GpuError::Shape(e)) => return Err(e),
                Err(e) => self.fall_back_to_cpu(e)?,
            }
        }
        let Engine::Cpu(cpu) = &mut self.engine else {
            unreachable!("the GPU case returned or fell back above")
        };
        cpu.last_loss = match self.pool.as_mut() {
            None => {
                train_step_model(
                    cpu.backend.as_ref(),
                    cpu.net.as_mut(),
                    cpu.opt.as_mut(),
                    &x,
                    &targets,
                )?
                .loss
            }
            Some(pool) => {
                // The same shards whatever the thread count (see `parallel`): this thread
                // takes the first group, the pool's workers the rest.
                let mut shards = parallel::split(&x, &targets, parallel::SHARDS)?;
                let (_, mine) = parallel::groups(shards.len(), 1 + pool.workers())[0];
                let total = shards.len();
                let rest = shards.split_off(mine);
                let others = pool.grads(cpu.net.as_ref(), rest, mine);
                let (net, be) = (cpu.net.as_ref(), cpu.backend.as_ref());
                let mut results = parallel::group_sums(net, be, &shards, 0)?;
                results.extend(others.await?);
                let step = parallel::combine(&results, total)?;
                cpu.opt.step(&mut cpu.net.params_mut(), &step.grads);
                step.loss
            }
        };
        self.steps += 1;
        Ok(Some(cpu.last_loss))
    }

    /// Reads the last step's loss (one small readback on the GPU) and adds it to the history.
    pub async fn record_loss(&mut self) -> Result<f32, ShapeError> {
        let loss = match &mut self.engine {
            Engine::Gpu(trainer) => match trainer.last_stats().await {
                Ok(stats) => Ok(stats.loss),
                Err(GpuError::Shape(e)) => return Err(e),
                Err(e) => Err(e),
            },
            Engine::Cpu(cpu) => Ok(cpu.last_loss),
        };
        let loss = match loss {
            Ok(loss) => loss,
            Err(e) => {
                self.fall_back_to_cpu(e)?;
                self.cpu_loss()
            }
        };
        self.history.push((self.steps, loss));
        Ok(loss)
    }

    /// The current model.
    pub async fn model(&mut self) -> Result<Box<dyn Classifier>, ShapeError> {
        if let Engine::Gpu(trainer) = &mut self.engine {
            match trainer.model().await {
                Ok(net) => return Ok(net),
                Err(e) => self.fall_back_to_cpu(e)?,
            }
        }
        match &self.engine {
            Engine::Cpu(cpu) => Ok(cpu.net.clone()),
            Engine::Gpu(_) => unreachable!("fell back to the CPU"),
        }
    }

    /// Continues a run from its weights and optimizer state (`steps` already taken), on the CPU;
    /// [`Session::use_gpu`] moves it to a GPU.
    pub fn resume(
        net: Box<dyn Classifier>,
        state: OptState,
        config: OptimizerConfig,
        steps: u64,
    ) -> Self {
        let engine = Engine::Cpu(Box::new(CpuEngine {
            backend: Box::new(SimdBackend::new()),
            net: net.clone(),
            opt: config.build(Some(state.clone())),
            last_loss: f32::NAN,
        }));
        let mut session = Self::with_engine(net, config, engine);
        session.checkpoint.1 = state;
        session.steps = steps;
        session
    }

    /// The weights and the optimizer state now (read back when training on the GPU).
    pub async fn state(&mut self) -> Result<(Box<dyn Classifier>, OptState), ShapeError> {
        if matches!(self.engine, Engine::Gpu(_))
            && let Err(e) = self.checkpoint_from_gpu().await
        {
            self.fall_back_to_cpu(e)?;
        }
        match &self.engine {
            Engine::Cpu(cpu) => Ok((cpu.net.clone(), cpu.opt.export_state())),
            Engine::Gpu(_) => Ok(self.checkpoint.clone()),
        }
    }

    /// Continues on the CPU (SIMD) from the current state.
    pub async fn use_cpu(&mut self) -> Result<(), ShapeError> {
        if matches!(self.engine, Engine::Gpu(_)) {
            // A clean switch reads the live state; if that fails, the replay covers it.
            if let Err(e) = self.checkpoint_from_gpu().await {
                self.fall_back_to_cpu(e)?;
                return Ok(());
            }
            let (net, state) = self.checkpoint.clone();
            self.engine = Engine::Cpu(Box::new(CpuEngine {
                backend: Box::new(SimdBackend::new()),
                net,
                opt: self.config.build(Some(state)),
                last_loss: f32::NAN,
            }));
        }
        Ok(())
    }

    /// Continues on the GPU of `ctx` from the current state. Returns false (and stays on the
    /// CPU) for a model the WebGPU trainer does not run.
    pub fn use_gpu(&mut self, ctx: Rc<GpuContext>) -> bool {
        if let Engine::Cpu(cpu) = &self.engine {
            if cpu.net.gpu_record().is_none() {
                return false;
            }
            let state = cpu.opt.export_state();
            let trainer = GpuTrainer::with_state(ctx, cpu.net.as_ref(), self.config, state.clone());
            self.checkpoint = (cpu.net.clone(), state);
            self.replay.clear();
            self.engine = Engine::Gpu(Box::new(trainer));
        }
        true
    }

    /// Reads the GPU's weights and optimizer state into the CPU checkpoint.
    async fn checkpoint_from_gpu(&mut self) -> Result<(), GpuError> {
        if let Engine::Gpu(trainer) = &mut self.engine {
            let net = trainer.model().await?;
            let state = trainer.optimizer_state().await?;
            self.checkpoint = (net, state);
            self.replay.clear();
        }
        Ok(())
    }

    /// The last CPU step's loss (after a fall back: the last replayed step's).
    fn cpu_loss(&self) -> f32 {
        match &self.engine {
            Engine::Cpu(cpu) => cpu.last_loss,
            Engine::Gpu(_) => unreachable!("called on the CPU"),
        }
    }

    /// The GPU is gone or failed (`why`): rebuild the CPU state from the checkpoint and replay
    /// the kept batches.
    fn fall_back_to_cpu(&mut self, why: GpuError) -> Result<(), ShapeError> {
        self.gpu_error = Some(why);
        let (mut net, state) = self.checkpoint.clone();
        let mut opt = self.config.build(Some(state));
        let backend: Box<dyn Backend> = Box::new(SimdBackend::new());
        let mut last_loss = f32::NAN;
        for (x, targets) in &self.replay {
            last_loss =
                train_step_model(backend.as_ref(), net.as_mut(), opt.as_mut(), x, targets)?.loss;
        }
        self.replay.clear();
        self.fallbacks += 1;
        self.engine = Engine::Cpu(Box::new(CpuEngine {
            backend,
            net,
            opt,
            last_loss,
        }));
        Ok(())
    }
}
