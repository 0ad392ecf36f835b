//! The single-channel convolution explorer's state (`?conv=`).

use super::{WidgetState, clamp_usize, fit_values};
use serde::{Deserialize, Serialize};

/// The lesson's 5 × 5 input.
pub const LESSON_INPUT: [f32; 25] = [
    3., 4., 6., 5., 7., 2., 4., 6., 8., 2., 1., 6., 7., 8., 4., 9., 7., 4., 6., 2., 3., 7., 5., 4.,
    1.,
];

/// Everything the explorer shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConvState {
    /// Input side (3–16).
    pub n: usize,
    /// `n × n` input values, row-major.
    pub input: Vec<f32>,
    /// Kernel side (1–7).
    pub k: usize,
    /// `k × k` weights, row-major.
    pub kernel: Vec<f32>,
    /// Padding (0–3).
    pub padding: usize,
    /// Stride (1–4).
    pub stride: usize,
    /// Dilation (1–3).
    pub dilation: usize,
    /// The kernel position shown.
    pub step: usize,
    /// "Predict first": the output stays hidden until the learner has guessed its size.
    pub predict: bool,
    /// The bias added to every output (0: none).
    pub bias: f32,
}

impl Default for ConvState {
    fn default() -> Self {
        ConvState {
            n: 5,
            input: LESSON_INPUT.to_vec(),
            k: 3,
            kernel: (1..=9).map(|v| v as f32).collect(),
            padding: 0,
            stride: 1,
            dilation: 1,
            step: 0,
            predict: false,
            bias: 0.0,
        }
    }
}

impl WidgetState for ConvState {
    const KEY: &'static str = "conv";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        clamp_usize("n", &mut self.n, 3, 16, notes);
        clamp_usize("k", &mut self.k, 1, 7, notes);
        clamp_usize("padding", &mut self.padding, 0, 3, notes);
        clamp_usize("stride", &mut self.stride, 1, 4, notes);
        clamp_usize("dilation", &mut self.dilation, 1, 3, notes);
        fit_values("input", &mut self.input, self.n * self.n, 1e6, notes);
        fit_values("kernel", &mut self.kernel, self.k * self.k, 1e6, notes);
        // The step is kept in range by the explorer, which knows how many positions there are.
        clamp_usize("step", &mut self.step, 0, 4096, notes);
        let mut b = vec![self.bias];
        fit_values("bias", &mut b, 1, 1e6, notes);
        self.bias = b[0];
    }
}
