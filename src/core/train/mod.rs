//! Training: MNIST data and batches, PyTorch's optimizers, the lesson's training step on the CPU
//! (`fit`) and on the GPU (`gpu`), a session that moves between them (`session`), THE training
//! loop over sessions (`run`), the timed choice of backend (`choice`), checkpoints, data-parallel shards (`parallel`) and the depth
//! experiment's runner (`depth`: one `run::TrainLoop` per arm).

pub mod checkpoint;
pub mod choice;
pub mod compare;
pub mod data;
pub mod depth;
pub mod fit;
pub mod gpu;
pub mod optim;
pub mod parallel;
pub mod run;
pub mod session;
