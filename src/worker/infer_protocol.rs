//! The messages between the page and the **inference worker** (the same script as the training
//! worker, in another role): it holds the lab's current model and answers the lab's questions
//! (classify a digit or a batch, a digit's feature maps, a saliency map, the 10,000-image
//! evaluation), so the
//! page's main thread only renders. Envelopes as in [`crate::protocol`]: a JSON text and, for
//! bulk numbers, an `ArrayBuffer` moved with the message. Numbers travel as raw `f32`s (in the
//! data, or as bits), never through decimal text, so the answers are the very values the core
//! computes on the page's own thread.
//!
//! Every request carries an `id`; every answer repeats it, so the page drops the answers to
//! requests it no longer cares about (a newer stroke).
//!
//! Backends (issue 14, item 4): the worker opens WebGPU where it has it and times the pad's and
//! (at the first evaluation) the evaluation's workloads on each backend once per model kind
//! ([`convscope_core::models::infer_choice`]); it tells the page the timings and the choice in
//! [`FromInfer::Backends`] (unasked, id 0), again whenever the GPU fails, and honours the
//! learner's override ([`ToInfer::Prefer`]).

use convscope_core::models::classifier::ModelKind;
use convscope_core::models::infer_choice::{InferChoice, InferPreference};
use convscope_core::train::fit::Evaluation;
use serde::{Deserialize, Serialize};

/// Page → inference worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToInfer {
    /// You serve inference (the first message this role gets).
    Serve,
    /// The lab's model changed: safetensors bytes of a `kind` model in the data; `version`
    /// names it in later answers' bookkeeping.
    Model {
        /// The lab's model version.
        version: u64,
        /// Its kind.
        kind: ModelKind,
    },
    /// Probabilities for `n` normalised 28 × 28 images (`n × 784` `f32`s in the data).
    Classify {
        /// The request.
        id: u64,
        /// Images.
        n: usize,
    },
    /// The main layers' maps for one normalised image (784 `f32`s in the data).
    Maps {
        /// The request.
        id: u64,
    },
    /// The saliency map of `class` for one normalised image (784 `f32`s in the data).
    Saliency {
        /// The request.
        id: u64,
        /// The class explained.
        class: usize,
    },
    /// Evaluate on the 10,000 test digits (fetched by the worker, once), with progress.
    Evaluate {
        /// The request.
        id: u64,
        /// Images per chunk between progress messages.
        chunk: usize,
    },
    /// Where the learner wants the answers computed (from now on).
    Prefer {
        /// The learner's choice.
        preference: InferPreference,
    },
}

/// One layer of a digit's feature maps (its values follow in the answer's data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapLayer {
    /// The layer's name.
    pub name: String,
    /// `[channels, height, width]`.
    pub shape: Vec<usize>,
    /// `(first channel, convolution)` as in the core's `FeatureLayer`.
    pub made_by: Vec<(usize, String)>,
}

/// An evaluation's figures, exactly (the loss as its bits).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvalFigures {
    /// Right.
    pub correct: usize,
    /// Seen.
    pub total: usize,
    /// `f32::to_bits` of the mean loss.
    pub loss_bits: u32,
    /// `confusion[true][predicted]`.
    pub confusion: [[u32; 10]; 10],
    /// Every image's predicted digit.
    pub predictions: Vec<u8>,
}

impl From<Evaluation> for EvalFigures {
    fn from(e: Evaluation) -> Self {
        EvalFigures {
            correct: e.correct,
            total: e.total,
            loss_bits: e.loss.to_bits(),
            confusion: e.confusion,
            predictions: e.predictions,
        }
    }
}

impl From<EvalFigures> for Evaluation {
    fn from(f: EvalFigures) -> Self {
        Evaluation {
            correct: f.correct,
            total: f.total,
            loss: f32::from_bits(f.loss_bits),
            confusion: f.confusion,
            predictions: f.predictions,
        }
    }
}

/// Inference worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromInfer {
    /// Probabilities: `n × 10` `f32`s in the data.
    Probs {
        /// The request.
        id: u64,
    },
    /// Feature maps: every layer's values, in order, as `f32`s in the data.
    Maps {
        /// The request.
        id: u64,
        /// The layers.
        layers: Vec<MapLayer>,
    },
    /// A saliency map: the ten logits then the 784 gradients as `f32`s in the data.
    Saliency {
        /// The request.
        id: u64,
        /// The class explained.
        class: usize,
        /// `f32::to_bits` of the gradients' largest |value|.
        max_abs_bits: u32,
    },
    /// The evaluation's progress (0 to 1).
    Progress {
        /// The request.
        id: u64,
        /// Done.
        fraction: f64,
    },
    /// The evaluation's result.
    Evaluated {
        /// The request.
        id: u64,
        /// Its figures.
        figures: Box<EvalFigures>,
    },
    /// The backends' timings and the GPU's state (unasked: id 0).
    Backends {
        /// The timings and the choice.
        choice: Box<InferChoice>,
    },
    /// The request failed (no model yet, a bad model, the test set did not load).
    Failed {
        /// The request.
        id: u64,
        /// Why.
        message: String,
    },
}

impl FromInfer {
    /// The request this answers.
    pub fn id(&self) -> u64 {
        match self {
            FromInfer::Probs { id }
            | FromInfer::Maps { id, .. }
            | FromInfer::Saliency { id, .. }
            | FromInfer::Progress { id, .. }
            | FromInfer::Evaluated { id, .. }
            | FromInfer::Failed { id, .. } => *id,
            FromInfer::Backends { .. } => 0,
        }
    }

    /// Whether more messages follow for this request (only progress does).
    pub fn is_final(&self) -> bool {
        !matches!(self, FromInfer::Progress { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluation_round_trips_exactly() {
        let e = Evaluation {
            correct: 9,
            total: 10,
            loss: 0.123_456_79,
            confusion: [[1; 10]; 10],
            predictions: vec![3, 1, 4],
        };
        let text = serde_json::to_string(&FromInfer::Evaluated {
            id: 7,
            figures: Box::new(e.clone().into()),
        })
        .unwrap();
        let FromInfer::Evaluated { id, figures } = serde_json::from_str(&text).unwrap() else {
            panic!("not an evaluation");
        };
        assert_eq!(id, 7);
        let back: Evaluation = (*figures).into();
        assert_eq!(back.loss.to_bits(), e.loss.to_bits());
        assert_eq!(back.predictions, e.predictions);
        assert_eq!(back.confusion, e.confusion);
    }

    #[test]
    fn requests_are_tagged() {
        let text = serde_json::to_string(&ToInfer::Classify { id: 3, n: 1 }).unwrap();
        assert_eq!(text, r#"{"type":"classify","id":3,"n":1}"#);
        assert!(
            !FromInfer::Progress {
                id: 1,
                fraction: 0.5
            }
            .is_final()
        );
        assert!(FromInfer::Probs { id: 1 }.is_final());
        let text = serde_json::to_string(&ToInfer::Prefer {
            preference: InferPreference::WebGpu,
        })
        .unwrap();
        assert_eq!(text, r#"{"type":"prefer","preference":"web_gpu"}"#);
    }

    #[test]
    fn the_backends_message_round_trips() {
        use convscope_core::models::infer_choice::{InferGpu, InferTiming};
        let choice = InferChoice {
            pad: InferTiming {
                images: 1,
                simd_ms: 0.05,
                gpu_ms: Some(1.25),
                gpu_images: None,
            },
            eval: Some(InferTiming {
                images: 250,
                simd_ms: 12.5,
                gpu_ms: Some(40.0),
                gpu_images: Some(25),
            }),
            gpu: InferGpu::Unavailable("no navigator.gpu".into()),
        };
        let msg = FromInfer::Backends {
            choice: Box::new(choice),
        };
        let back: FromInfer = serde_json::from_str(&serde_json::to_string(&msg).unwrap()).unwrap();
        assert_eq!(back, msg);
        assert_eq!(back.id(), 0);
        assert!(back.is_final());
    }
}
