//! The messages between the page, the leader worker and its followers. Each is sent as an
//! envelope `{ msg: "<JSON>", data?: ArrayBuffer }`: the JSON says what it is, the buffer carries
//! bulk numbers or bytes (weights, checkpoints, shards, gradients) without a copy.

use convscope_core::models::classifier::ModelKind;
use convscope_core::train::checkpoint::TrainSettings;
use serde::{Deserialize, Serialize};

/// The script the page starts the leader from (`www/worker-loader.js`, beside the worker's
/// glue and wasm), relative to the page; the leader starts its followers from the same file.
pub const LOADER: &str = "worker-loader.js";

/// The most threads a run uses (the core's shard count: one shard group per thread at least).
pub const MAX_THREADS: usize = convscope_core::train::parallel::SHARDS;

/// The JSON half of an envelope's field names.
pub const MSG: &str = "msg";
/// The bulk half of an envelope's field names.
pub const DATA: &str = "data";

/// Page → leader.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToLeader {
    /// You lead (the first message a worker gets from the page).
    Lead,
    /// Train: from the checkpoint in the envelope's data if there is one, else from scratch
    /// with `settings`; `settings.epochs` is where to stop either way. If already training, it
    /// just goes on (a pause not yet taken is cancelled).
    Start {
        /// The run's settings.
        settings: TrainSettings,
        /// Threads to train on (1 to [`MAX_THREADS`]).
        threads: usize,
        /// Train on WebGPU from this worker (the worker's own device); a `NoGpu` answer if the
        /// worker cannot have one.
        #[serde(default)]
        gpu: bool,
    },
    /// Stop after the current chunk; a `Checkpoint` then `Paused` answer.
    Pause,
    /// Terminate one follower (the `?debug` page's test of a worker dying mid-run).
    KillFollower,
    /// Pretend the worker's GPU was lost (the `?debug` page's test of the fall back).
    LoseGpu,
}

/// Leader → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromLeader {
    /// The training set is loading: the fraction received, if known.
    Loading {
        /// 0 to 1.
        fraction: Option<f64>,
    },
    /// A chunk of steps is done.
    Progress {
        /// Completed steps.
        steps: u64,
        /// The current epoch (epochs done).
        epoch: u64,
        /// The last step's loss.
        loss: f32,
        /// Images per second over the chunk.
        images_per_s: f64,
        /// Threads the step ran on.
        threads: usize,
        /// Whether the steps ran on WebGPU (from this worker).
        #[serde(default)]
        gpu: bool,
        /// Chart points added since the last message…
        points: Vec<(u64, f32)>,
        /// …or the whole (thinned) history, when old points were dropped.
        history: Option<Vec<(u64, f32)>>,
    },
    /// The epoch's test evaluation: the fraction done.
    Evaluating {
        /// 0 to 1.
        fraction: f64,
    },
    /// An epoch ended: every epoch's `(step, test accuracy %)` so far.
    Epoch {
        /// The epochs done.
        epoch: u64,
        /// One point per epoch.
        accuracy: Vec<(u64, f32)>,
    },
    /// The current weights (safetensors in the data), for the lab's classifier.
    Weights {
        /// At this step.
        steps: u64,
        /// Of this model.
        model: ModelKind,
    },
    /// The run frozen (a checkpoint's bytes in the data), for IndexedDB and to resume anywhere.
    Checkpoint {
        /// At this step.
        steps: u64,
    },
    /// Paused as asked (after a `Checkpoint`).
    Paused,
    /// The chosen epochs are done (after a `Checkpoint`).
    Finished,
    /// A follower stopped; its shards are computed by the others now.
    ThreadLost {
        /// Threads left.
        threads: usize,
        /// What happened.
        reason: String,
    },
    /// WebGPU cannot be had in this worker (nothing was trained): the page trains on WebGPU
    /// from its own thread instead.
    NoGpu {
        /// Why.
        message: String,
    },
    /// The worker's GPU was lost or failed mid-run: the run goes on on WASM SIMD in the
    /// workers from the last completed step.
    GpuLost {
        /// The error's kind ([`convscope_core::backend::gpu::GpuError::tag`]).
        tag: String,
        /// Its details.
        detail: String,
    },
    /// Training stopped on an error.
    Failed {
        /// What went wrong.
        message: String,
    },
}

/// Leader → follower.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToFollower {
    /// You follow.
    Follow,
    /// Compute these shards' gradients. Data: the model's parameters (in `named` order), then
    /// each shard's images, as `f32`s.
    Shards {
        /// The model.
        model: ModelKind,
        /// The first shard's index in the batch (the sums sent back follow the batch's tree).
        first: usize,
        /// Images per shard.
        sizes: Vec<usize>,
        /// Every shard's targets, in order.
        targets: Vec<usize>,
    },
}

/// Follower → leader.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromFollower {
    /// The shards' results, as the sums of the batch's tree nodes that lie wholly in the group
    /// (`convscope_core::train::parallel::partial_sums`: one for 4 aligned shards). Data: each
    /// sum's gradients (in `named` order), as `f32`s.
    Results {
        /// Each sum's first shard.
        firsts: Vec<usize>,
        /// Shards in each sum.
        shards: Vec<usize>,
        /// Images in each sum.
        sizes: Vec<usize>,
        /// Each sum's summed loss.
        losses: Vec<f32>,
        /// Each sum's correct count.
        correct: Vec<usize>,
    },
    /// The shards could not be computed.
    Failed {
        /// Why.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_as_json() {
        let start = ToLeader::Start {
            settings: TrainSettings::default(),
            threads: 4,
            gpu: true,
        };
        let text = serde_json::to_string(&start).unwrap();
        assert!(text.contains(r#""type":"start""#));
        assert_eq!(serde_json::from_str::<ToLeader>(&text).unwrap(), start);
        let progress = FromLeader::Progress {
            steps: 3,
            epoch: 0,
            loss: 2.25,
            images_per_s: 5000.0,
            threads: 2,
            gpu: false,
            points: vec![(3, 2.25)],
            history: None,
        };
        let text = serde_json::to_string(&progress).unwrap();
        assert_eq!(serde_json::from_str::<FromLeader>(&text).unwrap(), progress);
        let results = FromFollower::Results {
            firsts: vec![4, 6],
            shards: vec![2, 1],
            sizes: vec![16, 8],
            losses: vec![36.5, 18.0],
            correct: vec![3, 1],
        };
        let text = serde_json::to_string(&results).unwrap();
        assert_eq!(
            serde_json::from_str::<FromFollower>(&text).unwrap(),
            results
        );
        // A page from before the WebGPU worker sends no `gpu`: it trains on the CPU.
        let old = r#"{"type":"start","settings":{},"threads":2}"#;
        assert!(matches!(
            serde_json::from_str::<ToLeader>(old).unwrap(),
            ToLeader::Start { gpu: false, .. }
        ));
    }
}
