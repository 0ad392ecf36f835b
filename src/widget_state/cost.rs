//! The 1×1-bottleneck cost calculator's state (`?cost=`).

use super::{WidgetState, clamp_usize};
use serde::{Deserialize, Serialize};

/// The calculator's inputs; the lesson's example is the default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CostState {
    /// Height = width (1–512).
    pub hw: usize,
    /// Input channels (1–2048).
    pub cin: usize,
    /// Output channels (1–2048).
    pub cout: usize,
    /// Kernel side (1–11).
    pub k: usize,
    /// Use a 1×1 bottleneck first.
    pub bottleneck: bool,
    /// Bottleneck channels (1–2048).
    pub b: usize,
}

impl Default for CostState {
    fn default() -> Self {
        CostState {
            hw: 28,
            cin: 192,
            cout: 32,
            k: 5,
            bottleneck: true,
            b: 16,
        }
    }
}

impl WidgetState for CostState {
    const KEY: &'static str = "cost";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        clamp_usize("hw", &mut self.hw, 1, 512, notes);
        clamp_usize("cin", &mut self.cin, 1, 2048, notes);
        clamp_usize("cout", &mut self.cout, 1, 2048, notes);
        clamp_usize("k", &mut self.k, 1, 11, notes);
        clamp_usize("b", &mut self.b, 1, 2048, notes);
    }
}
