//! convscope-core: the compute core of convscope, with no UI in it (no leptos, no DOM), so the
//! same code runs in the command-line tool, the tests, the page and a Web Worker.
//!
//! Layers, each using only those beneath it:
//! - [`error`], [`tensor`], [`layers`], [`formats`]: errors, NCHW `f32` tensors, layer parameters
//!   with PyTorch's shape rules ([`layers::Conv2dParams`] is the one source of every convolution
//!   shape), MNIST's IDX files and safetensors weights; no compute.
//! - [`backend`]: the [`backend::Backend`] trait (forward and backward per op), the CPU reference
//!   (the oracle), the SIMD backend and the WebGPU backend (`backend::gpu`: context, shader
//!   params, one function per op).
//! - [`explain`], [`pytorch`] and [`preprocess`]: ops explained step by step for the explorers
//!   (every number they show), the PyTorch code they show, and MNIST-style preprocessing of a
//!   drawn or uploaded digit.
//! - [`layer_code`]: PyTorch layer code (`nn.Conv2d(…)`) read back into an explorer's settings
//!   (the other way from [`pytorch`]).
//! - [`models`]: the lesson's `Net`, the course's residual and Inception nets and the depth
//!   experiment's stacks (PyTorch names and init, forward and backward), model summaries, the
//!   layer builder.
//! - [`train`]: MNIST batches, PyTorch's optimizers, training steps on the CPU and the GPU,
//!   sessions, THE training loop (`train::run`, which the CLI, the Train page, the depth
//!   experiment's runner, the bench and the tests drive), checkpoints and evaluation.
//!   `models` never imports `train` (`scripts/check_layers.sh`).
//! - [`bench`]: the benchmark shared by the CLI and the wasm build run in Node.
//!
//! The browser build compiles this crate at opt-level 3 (`Cargo.toml`, profile `wasm-release`)
//! while the UI crate above it is optimised for size.

pub mod backend;
pub mod bench;
pub mod error;
pub mod explain;
pub mod formats;
pub mod layer_code;
pub mod layers;
pub mod models;
pub mod preprocess;
pub mod pytorch;
pub mod sample_digit;
pub mod tensor;
pub mod train;
