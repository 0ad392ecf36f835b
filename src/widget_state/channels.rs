//! The multi-channel explorer's state (`?channels=`).

use super::{WidgetState, clamp_usize, one_of};
use crate::layers::Conv2dParams;
use crate::tensor::Tensor;
use serde::{Deserialize, Serialize};

/// The explorer's input side (small enough to show several channels at once).
pub const CHANNELS_SIDE: usize = 5;

/// A 5 × 5 RGB picture (0–9 per channel): a yellow sun in a blue sky above green hills.
#[rustfmt::skip]
pub const RGB_PICTURE: [f32; 3 * CHANNELS_SIDE * CHANNELS_SIDE] = [
    // red
    1., 1., 1., 9., 9.,  1., 1., 1., 9., 9.,  1., 1., 1., 1., 1.,  1., 2., 1., 1., 2.,  2., 2., 2., 2., 2.,
    // green
    3., 3., 3., 8., 8.,  3., 3., 3., 8., 8.,  3., 3., 3., 3., 3.,  3., 7., 3., 3., 7.,  7., 8., 7., 8., 7.,
    // blue
    8., 9., 8., 1., 1.,  9., 8., 9., 1., 1.,  8., 9., 8., 9., 8.,  8., 2., 9., 8., 2.,  1., 1., 2., 1., 1.,
];

/// The explorer's input `[1, cin, 5, 5]`: three channels are the RGB picture, other counts a
/// pattern of small whole numbers (the explorer and its quiz both use it).
pub fn channels_input(cin: usize) -> Tensor {
    const S: usize = CHANNELS_SIDE;
    match cin {
        3 => Tensor::new(&[1, 3, S, S], RGB_PICTURE.to_vec()).expect("picture shape"),
        c => Tensor::from_fn(&[1, c, S, S], |i| ((i * 5 + i / 25 * 3) % 9) as f32),
    }
}

/// The explorer's weights (small whole numbers −2…2) and biases (0, 1, 2, …) for `p`.
pub fn channels_weights(p: &Conv2dParams) -> (Tensor, Tensor) {
    let w = Tensor::from_fn(&p.weight_shape(), |j| ((j * 7) % 5) as f32 - 2.0);
    let b = Tensor::from_fn(&[p.out_channels], |i| i as f32);
    (w, b)
}

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
