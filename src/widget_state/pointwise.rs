//! The 1×1-convolution animation's state (`?pointwise=`), and its fixed picture and weights
//! (shared by the explorer and its quiz, [`crate::quiz`]).

use super::{WidgetState, clamp_usize};
use crate::layers::Conv2dParams;
use crate::tensor::Tensor;
use serde::{Deserialize, Serialize};

/// The picture's side.
pub const POINTWISE_SIDE: usize = 4;
/// Its channels (red, green, blue).
pub const POINTWISE_CIN: usize = 3;

/// A tiny RGB picture (0–9 per channel): a red square on a blue sky over green grass.
#[rustfmt::skip]
pub const POINTWISE_PICTURE: [f32; POINTWISE_CIN * POINTWISE_SIDE * POINTWISE_SIDE] = [
    // red
    1., 1., 1., 1.,  1., 9., 8., 1.,  1., 8., 9., 1.,  0., 0., 0., 0.,
    // green
    2., 2., 2., 2.,  2., 1., 1., 2.,  2., 1., 1., 2.,  7., 8., 7., 8.,
    // blue
    8., 9., 8., 9.,  8., 1., 1., 8.,  9., 1., 1., 9.,  1., 1., 2., 1.,
];

/// 1×1 weights (up to 4 output channels × 3 input channels): brightness, red minus green, …
#[rustfmt::skip]
pub const POINTWISE_WEIGHTS: [f32; 4 * POINTWISE_CIN] = [
    0.3, 0.6, 0.1,
    1.0, -1.0, 0.0,
    0.0, 0.5, -0.5,
    -1.0, 0.0, 1.0,
];

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

impl PointwiseState {
    /// The layer: `Conv2d(3, cout, kernel_size=1, bias=False)` (`cout` kept within 1–4).
    pub fn params(&self) -> Conv2dParams {
        Conv2dParams::new(POINTWISE_CIN, self.cout.clamp(1, 4), 1).bias(false)
    }

    /// The picture as a `[1, 3, 4, 4]` tensor.
    pub fn input_tensor() -> Tensor {
        Tensor::new(
            &[1, POINTWISE_CIN, POINTWISE_SIDE, POINTWISE_SIDE],
            POINTWISE_PICTURE.to_vec(),
        )
        .expect("picture shape")
    }

    /// The first `cout` kernels as a `[cout, 3, 1, 1]` tensor (`cout` kept within 1–4).
    pub fn weight_tensor(&self) -> Tensor {
        let m = self.cout.clamp(1, 4);
        Tensor::new(
            &[m, POINTWISE_CIN, 1, 1],
            POINTWISE_WEIGHTS[..m * POINTWISE_CIN].to_vec(),
        )
        .expect("weight shape")
    }
}

impl WidgetState for PointwiseState {
    const KEY: &'static str = "pointwise";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        clamp_usize("cout", &mut self.cout, 1, 4, notes);
        clamp_usize("step", &mut self.step, 0, 15, notes);
    }
}
