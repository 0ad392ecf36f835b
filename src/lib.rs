//! convscope: an interactive convolution lab that runs in the browser.
//!
//! Three crates. The compute core, [`convscope_core`] (`src/core/`), holds every number the app
//! shows: tensors, layers, backends (CPU reference, SIMD, WebGPU), models, training, the
//! explorers' steps and PyTorch code; it has no UI dependency. The compute worker,
//! `convscope-worker` (`src/worker/`), trains off the page's thread over the core. This crate is the app on top of it: compiled natively it is the command-line tool
//! (`cli`) and the test suite's entry point; compiled to `wasm32-unknown-unknown` by Trunk it is
//! the Leptos single-page app (`ui`).
//!
//! The core's modules are re-exported here under their own names (`convscope::backend`, …) so
//! the app, the tests and the CLI name them one way.
//!
//! Layers of the app, each using only those beneath it (and the core):
//! - [`i18n`]: every visible string, in English and Simplified Chinese.
//! - [`pages`]: the routes of the app, in the lesson's order (URL-fragment routing, so the built
//!   site is plain static files).
//! - [`widget_state`] and [`embed`]: each widget's state as a serde struct (clamped, fuzzed) and
//!   the explorers' presets; the embeddable widgets and the controls `hide=` can hide.
//! - `ui` (wasm32 only): the Leptos app: state (language, theme, route, backend, the MNIST lab,
//!   the training run), components, pages, widgets (with their registry) and `url_state` (a
//!   widget's state in the address).
//! - `cli` (native only): the command-line tool.

pub use convscope_core::{
    backend, bench, error, explain, formats, layer_code, layers, models, preprocess, pytorch,
    sample_digit, tensor, train,
};

pub mod embed;
pub mod i18n;
pub mod pages;
pub mod quiz;
pub mod widget_state;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(target_arch = "wasm32")]
pub mod ui;
