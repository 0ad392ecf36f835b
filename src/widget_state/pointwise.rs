//! The 1×1-convolution animation's state (`?pointwise=`).

use super::{WidgetState, clamp_usize};
use serde::{Deserialize, Serialize};

/// Everything the 1×1 animation shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PointwiseState {
    /// Output channels (1–4).
    pub cout: usize,
    /// The pixel shown (row-major index into the 4 × 4 map).
    pub step: usize,
}

impl Default for PointwiseState {
    fn default() -> Self {
        PointwiseState { cout: 2, step: 0 }
    }
}

impl WidgetState for PointwiseState {
    const KEY: &'static str = "pointwise";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        clamp_usize("cout", &mut self.cout, 1, 4, notes);
        clamp_usize("step", &mut self.step, 0, 15, notes);
    }
}
