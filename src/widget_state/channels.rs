//! The multi-channel explorer's state (`?channels=`).

use super::{WidgetState, clamp_usize, one_of};
use serde::{Deserialize, Serialize};

/// Everything the multi-channel explorer shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChannelsState {
    /// Input channels n (1–4); 3 shows an RGB picture.
    pub cin: usize,
    /// Kernels = output channels m (1, 2, 3, 4, 6 or 8).
    pub cout: usize,
    /// Kernel side (1, 3 or 5).
    pub k: usize,
    /// Padding (0–2).
    pub padding: usize,
    /// Depthwise: groups = n.
    pub depthwise: bool,
    /// The output value explained: (channel, row, column).
    pub at: (usize, usize, usize),
    /// "Predict first" mode.
    pub predict: bool,
}

impl Default for ChannelsState {
    fn default() -> Self {
        ChannelsState {
            cin: 3,
            cout: 2,
            k: 3,
            padding: 0,
            depthwise: false,
            at: (0, 0, 0),
            predict: false,
        }
    }
}

impl WidgetState for ChannelsState {
    const KEY: &'static str = "channels";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        clamp_usize("cin", &mut self.cin, 1, 4, notes);
        one_of("cout", &mut self.cout, &[1, 2, 3, 4, 6, 8], notes);
        one_of("k", &mut self.k, &[1, 3, 5], notes);
        clamp_usize("padding", &mut self.padding, 0, 2, notes);
        // The position is kept inside the output by the explorer.
        clamp_usize("at.0", &mut self.at.0, 0, 7, notes);
        clamp_usize("at.1", &mut self.at.1, 0, 15, notes);
        clamp_usize("at.2", &mut self.at.2, 0, 15, notes);
    }
}
