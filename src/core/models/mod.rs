//! Networks built from layers, run on any [`crate::backend::Backend`], with summaries for the UI.

pub mod builder;
pub mod classifier;
pub mod deep_stack;
pub mod feature_maps;
pub mod gpu_forward;
pub mod inception;
pub mod inception_net;
pub mod infer_choice;
pub mod modules;
pub mod net;
pub mod receptive;
pub mod residual;
pub mod summary;

pub use net::Net;
