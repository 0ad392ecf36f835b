//! Training: MNIST data and batches, PyTorch's optimizers, the lesson's training loop on the CPU
//! (`fit`) and on the GPU (`gpu`), and a session that moves between them (`session`).

pub mod checkpoint;
pub mod compare;
pub mod data;
pub mod depth;
pub mod fit;
pub mod gpu;
pub mod optim;
pub mod parallel;
pub mod run;
pub mod session;
