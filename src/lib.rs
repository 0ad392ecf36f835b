//! convscope: an interactive convolution lab that runs in the browser.
//!
//! One crate builds two ways. Natively it is the compute core, a command-line tool and the test
//! suite; compiled to `wasm32-unknown-unknown` (by Trunk) it is the Leptos single-page app.
//!
//! Layers, each using only those beneath it:
//! - [`tensor`] and [`layers`]: NCHW `f32` tensors and layer parameters with PyTorch's shape
//!   rules ([`layers::Conv2dParams`] is the one source of every convolution shape); no compute.
//! - [`backend`]: the [`backend::Backend`] trait (forward and backward per op), the CPU reference
//!   (the oracle) and the SIMD backend.
//! - [`explain`]: ops explained step by step for the explorers (every number they show).
//! - [`models`]: the lesson's `Net` (PyTorch names and init) and model summaries.
//! - [`formats`]: MNIST's IDX files and safetensors weights.
//! - [`preprocess`]: MNIST-style preprocessing of a drawn or uploaded digit.
//! - [`train`]: MNIST batches, PyTorch's optimizers, the training loop and evaluation.
//! - [`i18n`]: every visible string, in English and Simplified Chinese.
//! - [`pages`]: the routes of the app, in the lesson's order (URL-fragment routing, so the built
//!   site is plain static files).
//! - `ui` (wasm32 only): the Leptos app: state (language, theme, route), components and pages.
//! - `cli` (native only): the command-line tool.

pub mod backend;
pub mod bench;
pub mod embed;
pub mod error;
pub mod explain;
pub mod formats;
pub mod i18n;
pub mod layers;
pub mod models;
pub mod pages;
pub mod preprocess;
pub mod sample_digit;
pub mod tensor;
pub mod train;
pub mod widget_state;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(target_arch = "wasm32")]
pub mod ui;
