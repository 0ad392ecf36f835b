//! File formats: MNIST's IDX files (optionally gzipped) and weights as safetensors with
//! PyTorch's parameter names.

pub mod idx;
pub mod limits;
pub mod weights;
