//! The pooling explorer's state (`?pool=`).

use super::{WidgetState, clamp_usize};
use serde::{Deserialize, Serialize};

/// Input presets the pooling explorer offers.
pub const POOL_INPUTS: [&str; 3] = ["lesson", "random6", "random8"];

/// Everything the pooling explorer shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PoolState {
    /// Max (`true`) or average pooling.
    pub max: bool,
    /// Window side (2–4).
    pub kernel: usize,
    /// Stride (1–3), or 0 for PyTorch's default (the window size).
    pub stride: usize,
    /// Input preset: one of [`POOL_INPUTS`].
    pub input: String,
    /// Channels (1–3): pooling works on each alone.
    pub channels: usize,
    /// The window position shown.
    pub step: usize,
    /// Show the backward pass (gradient routing).
    pub backward: bool,
    /// "Predict first" mode.
    pub predict: bool,
}

impl Default for PoolState {
    fn default() -> Self {
        PoolState {
            max: true,
            kernel: 2,
            stride: 0,
            input: "lesson".into(),
            channels: 1,
            step: 0,
            backward: false,
            predict: false,
        }
    }
}

impl WidgetState for PoolState {
    const KEY: &'static str = "pool";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        clamp_usize("kernel", &mut self.kernel, 2, 4, notes);
        clamp_usize("stride", &mut self.stride, 0, 3, notes);
        clamp_usize("channels", &mut self.channels, 1, 3, notes);
        clamp_usize("step", &mut self.step, 0, 64, notes);
        if !POOL_INPUTS.contains(&self.input.as_str()) {
            notes.push(format!("input {:?} → lesson", short(&self.input)));
            self.input = "lesson".into();
        }
    }
}

fn short(s: &str) -> String {
    s.chars().take(20).collect()
}
