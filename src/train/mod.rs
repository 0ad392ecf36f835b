//! Training: MNIST data and batches, PyTorch's optimizers, and the lesson's training loop.

pub mod data;
pub mod fit;
pub mod optim;
