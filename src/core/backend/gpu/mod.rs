//! The WebGPU backend: every op as a WGSL compute shader (`shaders/`), run through wgpu on
//! WebGPU in the browser and on Vulkan or GL natively (lavapipe, a CPU Vulkan driver, in tests).
//!
//! - `context`: adapter, device, queue, pipeline cache; async creation.
//! - `params`: `#[repr(C)]` mirrors of each shader's uniform `Params`.
//! - `shaders`: the WGSL sources, compiled in.
//! - `tensor`: tensors in GPU memory; asynchronous readback.
//! - `ops`: one function per op, returning a bound [`ops::Dispatch`].
//! - `graph`: the recording tape: a model's forward pass recorded once, its backward derived,
//!   replayed as one submission per training step.
//! - `backend` (native only): the synchronous [`crate::backend::Backend`] trait over all of it,
//!   used to test each shader against the CPU reference.
//!
//! A whole training step of any model on the GPU is `train::gpu::GpuTrainer`.

#[cfg(not(target_arch = "wasm32"))]
mod backend;
mod context;
pub mod graph;
pub mod ops;
pub mod params;
pub mod shaders;
pub(crate) mod tensor;

#[cfg(not(target_arch = "wasm32"))]
pub use backend::GpuBackend;
pub use context::{AdapterSummary, ErrorScope, GpuContext, GpuError, ScopeResult};
pub use tensor::GpuTensor;
/// The wgpu this backend is built on (for [`GpuContext::with_limits`]' limits).
pub use wgpu;
