//! The states of the smaller widgets: the backward view (`?backward=`), flattening
//! (`?flatten=`), raster versus vector (`?raster=`), the Inception module (`?inception=`), the
//! transposed convolution (`?transpose=`) and "Why this answer?" (`?why=`).

use super::{WidgetState, clamp_usize, one_of};
use serde::{Deserialize, Serialize};

/// The backward view of the convolution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackwardState {
    /// Padding (0–2).
    pub padding: usize,
    /// Stride (1–2).
    pub stride: usize,
    /// Upstream gradient of ones (`true`) or of mixed signs.
    pub ones: bool,
    /// The position shown.
    pub step: usize,
}

impl Default for BackwardState {
    fn default() -> Self {
        BackwardState {
            padding: 0,
            stride: 1,
            ones: true,
            step: 0,
        }
    }
}

impl BackwardState {
    /// The layer: `Conv2d(1, 1, 3, padding, stride, bias=False)` (the explorer and its quiz).
    pub fn params(&self) -> crate::layers::Conv2dParams {
        crate::layers::Conv2dParams::new(1, 1, 3)
            .padding(self.padding)
            .stride(self.stride)
            .bias(false)
    }

    /// The input: the lesson's 5 × 5.
    pub fn input_tensor() -> crate::tensor::Tensor {
        crate::tensor::Tensor::from_fn(&[5, 5], |i| super::LESSON_INPUT[i])
    }

    /// The kernel: 1, 2, …, 9.
    pub fn kernel_tensor() -> crate::tensor::Tensor {
        crate::tensor::Tensor::from_fn(&[3, 3], |i| (i + 1) as f32)
    }

    /// The upstream gradient dY for an `oh × ow` output: ones, or the mixed signs
    /// `((5·i) mod 3) − 1` row-major (−1, 1, 0, −1, …).
    pub fn dy_tensor(&self, (oh, ow): (usize, usize)) -> crate::tensor::Tensor {
        let ones = self.ones;
        crate::tensor::Tensor::from_fn(&[oh, ow], |i| {
            if ones {
                1.0
            } else {
                ((i * 5) % 3) as f32 - 1.0
            }
        })
    }
}

impl WidgetState for BackwardState {
    const KEY: &'static str = "backward";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        clamp_usize("padding", &mut self.padding, 0, 2, notes);
        clamp_usize("stride", &mut self.stride, 1, 2, notes);
        clamp_usize("step", &mut self.step, 0, 48, notes);
    }
}

/// The transposed-convolution explorer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TransposeState {
    /// Input height = width (2–4).
    pub input: usize,
    /// Kernel size (1–4).
    pub k: usize,
    /// Stride (1–3).
    pub stride: usize,
    /// Padding (0–3).
    pub padding: usize,
    /// Output padding (0–2).
    pub output_padding: usize,
    /// Dilation (1–2).
    pub dilation: usize,
    /// A kernel of ones (`true`) or the lesson's 1…k².
    pub ones: bool,
    /// The input value shown (row-major).
    pub step: usize,
}

impl Default for TransposeState {
    fn default() -> Self {
        TransposeState {
            input: 2,
            k: 2,
            stride: 2,
            padding: 0,
            output_padding: 0,
            dilation: 1,
            ones: false,
            step: 0,
        }
    }
}

impl TransposeState {
    /// The layer: `ConvTranspose2d(1, 1, k, stride, padding, output_padding, dilation,
    /// bias=False)` (the explorer and its quiz both use it).
    pub fn params(&self) -> crate::layers::ConvTranspose2dParams {
        crate::layers::ConvTranspose2dParams {
            stride: (self.stride, self.stride),
            padding: (self.padding, self.padding),
            output_padding: (self.output_padding, self.output_padding),
            dilation: (self.dilation, self.dilation),
            bias: false,
            ..crate::layers::ConvTranspose2dParams::new(1, 1, self.k)
        }
    }

    /// The input: `input × input` values 1, 2, 3, … (row-major).
    pub fn input_tensor(&self) -> crate::tensor::Tensor {
        crate::tensor::Tensor::from_fn(&[self.input, self.input], |i| (i + 1) as f32)
    }

    /// The kernel: `k × k` ones, or the lesson's 1, 2, 3, ….
    pub fn kernel_tensor(&self) -> crate::tensor::Tensor {
        let ones = self.ones;
        crate::tensor::Tensor::from_fn(
            &[self.k, self.k],
            |i| {
                if ones { 1.0 } else { (i + 1) as f32 }
            },
        )
    }
}

impl WidgetState for TransposeState {
    const KEY: &'static str = "transpose";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        clamp_usize("input", &mut self.input, 2, 4, notes);
        clamp_usize("k", &mut self.k, 1, 4, notes);
        clamp_usize("stride", &mut self.stride, 1, 3, notes);
        clamp_usize("padding", &mut self.padding, 0, 3, notes);
        clamp_usize("output_padding", &mut self.output_padding, 0, 2, notes);
        clamp_usize("dilation", &mut self.dilation, 1, 2, notes);
        clamp_usize("step", &mut self.step, 0, 15, notes);
    }
}

/// "Why this answer?": the class explained and the occlusion square's side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WhyState {
    /// The class (0–9) the maps explain; `None`: the model's prediction.
    pub class: Option<usize>,
    /// The occlusion square's side in pixels (4, 6 or 8).
    pub patch: usize,
}

impl Default for WhyState {
    fn default() -> Self {
        WhyState {
            class: None,
            patch: 4,
        }
    }
}

impl WidgetState for WhyState {
    const KEY: &'static str = "why";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        if let Some(c) = &mut self.class {
            clamp_usize("class", c, 0, 9, notes);
        }
        one_of("patch", &mut self.patch, &[4, 6, 8], notes);
    }
}

/// The flattening view: the pixel tracked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlattenState {
    /// Row (0–27).
    pub row: usize,
    /// Column (0–27).
    pub col: usize,
}

impl Default for FlattenState {
    fn default() -> Self {
        FlattenState { row: 10, col: 14 }
    }
}

impl WidgetState for FlattenState {
    const KEY: &'static str = "flatten";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        clamp_usize("row", &mut self.row, 0, 27, notes);
        clamp_usize("col", &mut self.col, 0, 27, notes);
    }
}

/// Raster versus vector: the zoom.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RasterState {
    /// Zoom factor (1–16).
    pub zoom: f64,
}

impl Default for RasterState {
    fn default() -> Self {
        RasterState { zoom: 1.0 }
    }
}

impl WidgetState for RasterState {
    const KEY: &'static str = "raster";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        let z = if self.zoom.is_finite() {
            self.zoom.clamp(1.0, 16.0)
        } else {
            1.0
        };
        if z != self.zoom {
            notes.push(format!("zoom {} → {z}", self.zoom));
            self.zoom = z;
        }
    }
}

/// The Inception module's input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InceptionState {
    /// Input channels (1–512).
    pub cin: usize,
    /// Height = width (1–256).
    pub hw: usize,
}

impl Default for InceptionState {
    fn default() -> Self {
        InceptionState { cin: 10, hw: 12 }
    }
}

impl WidgetState for InceptionState {
    const KEY: &'static str = "inception";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        clamp_usize("cin", &mut self.cin, 1, 512, notes);
        clamp_usize("hw", &mut self.hw, 1, 256, notes);
    }
}
