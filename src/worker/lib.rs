//! convscope's compute worker: training off the main thread, on every core.
//!
//! The page starts one **leader** worker (`worker-loader.js`). The leader holds the
//! core's training loop ([`convscope_core::train::run::TrainLoop`]) and the data, and starts up
//! to [`protocol::MAX_THREADS`]` − 1` **follower** workers of the same script. Each step's batch
//! is split into the core's fixed shards ([`convscope_core::train::parallel`]): the leader
//! computes the first group, each follower the next, the leader sums them in order and takes one
//! optimizer step, so the run is the same, bit for bit, on any number of threads.
//!
//! The main thread only renders: it sends [`protocol::ToLeader`] messages (start, with a
//! checkpoint to resume from; pause) and mirrors the [`protocol::FromLeader`] replies (progress,
//! the epoch's test accuracy, the weights every 2 s, checkpoints for IndexedDB) into signals.
//! Messages travel in envelopes (`envelope`, wasm32 only, used by the page too): a JSON text
//! and, for bulk data, an `ArrayBuffer` moved (not copied) with the message.
//!
//! - `infer_protocol`: the inference worker's messages (the lab's model, classify, feature
//!   maps, the evaluation), for a worker started in the `serve` role.
//! - `protocol`: the messages (also compiled natively, for the app and the tests).
//! - `runtime` (wasm32 only): the worker's side: `leader`, `follower`, `pool` (the followers as
//!   the core's `ShardPool`, which computes a lost follower's shards itself) and `js` (posting,
//!   fetching, yielding in a worker scope).

#[cfg(target_arch = "wasm32")]
pub mod envelope;
#[cfg(target_arch = "wasm32")]
pub mod fetch;
pub mod infer_protocol;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
mod runtime;

#[cfg(target_arch = "wasm32")]
pub use runtime::start;
