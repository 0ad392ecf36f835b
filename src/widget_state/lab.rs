//! The states of the MNIST and training widgets, so that their share links reproduce them:
//! the shapes table (`?shapes=`), the layer builder (`?builder=`), the gallery (`?gallery=`),
//! the depth experiment (`?depth=`) and the training settings (`?train=`, the core's
//! `TrainSettings`). The chosen model
//! has its own `?model=`.

use super::{WidgetState, clamp_usize, one_of};
use crate::models::builder::{Layer, lesson_net};
use crate::train::checkpoint::TrainSettings;
use serde::{Deserialize, Serialize};

/// The shapes table: the input side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShapesState {
    /// Input height = width (12–64).
    pub side: usize,
}

impl Default for ShapesState {
    fn default() -> Self {
        ShapesState { side: 28 }
    }
}

impl WidgetState for ShapesState {
    const KEY: &'static str = "shapes";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        clamp_usize("side", &mut self.side, 12, 64, notes);
    }
}

/// The most layers a builder link carries.
pub const BUILDER_MAX_LAYERS: usize = 32;
/// The largest value of a builder field (channels, kernel, stride, padding, features).
pub const BUILDER_MAX_FIELD: usize = 4096;

/// The layer builder: the image side and the layers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BuilderState {
    /// Image height = width (1–512).
    pub side: usize,
    /// The layers, in order.
    pub layers: Vec<Layer>,
}

impl Default for BuilderState {
    fn default() -> Self {
        BuilderState {
            side: 28,
            layers: lesson_net(),
        }
    }
}

impl WidgetState for BuilderState {
    const KEY: &'static str = "builder";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        clamp_usize("side", &mut self.side, 1, 512, notes);
        if self.layers.len() > BUILDER_MAX_LAYERS {
            notes.push(format!(
                "layers: {} → {BUILDER_MAX_LAYERS}",
                self.layers.len()
            ));
            self.layers.truncate(BUILDER_MAX_LAYERS);
        }
        for layer in &mut self.layers {
            let linear = matches!(layer, Layer::Linear { .. });
            for (name, value) in layer.fields_mut() {
                // A Linear's in_features can be as large as a flatten gives.
                let max = if linear && name == "in" {
                    1 << 30
                } else {
                    BUILDER_MAX_FIELD
                };
                clamp_usize(name, value, 0, max, notes);
            }
        }
    }
}

/// The gallery of test digits: the page shown (40 digits a page) and the digit picked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GalleryState {
    /// The page (0–249).
    pub page: usize,
    /// The test digit classified, if one was picked (0–9999).
    pub digit: Option<usize>,
}

/// Digits on a gallery page.
pub const GALLERY_PER_PAGE: usize = 40;
/// The test set's size.
pub const TEST_DIGITS: usize = 10_000;

impl WidgetState for GalleryState {
    const KEY: &'static str = "gallery";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        let last = TEST_DIGITS.div_ceil(GALLERY_PER_PAGE) - 1;
        clamp_usize("page", &mut self.page, 0, last, notes);
        if let Some(d) = &mut self.digit {
            clamp_usize("digit", d, 0, TEST_DIGITS - 1, notes);
        }
    }
}

/// The depth experiment: the skip connection and the depth shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DepthState {
    /// The residual block's skip connection on.
    pub skip: bool,
    /// Convolutions in each stack (2, 4, 8 or 16).
    pub layers: usize,
}

impl Default for DepthState {
    fn default() -> Self {
        DepthState {
            skip: true,
            layers: 16,
        }
    }
}

impl WidgetState for DepthState {
    const KEY: &'static str = "depth";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        one_of("layers", &mut self.layers, &[16, 2, 4, 8], notes);
    }
}

/// The training settings (the optimizer's, the model's and the run's length) are their own
/// link state: the core's [`TrainSettings`].
impl WidgetState for TrainSettings {
    const KEY: &'static str = "train";

    fn clamp(&mut self, notes: &mut Vec<String>) {
        let d = TrainSettings::default();
        if !(self.lr > 0.0 && self.lr <= 1.0) {
            notes.push(format!("lr {} → {}", self.lr, d.lr));
            self.lr = d.lr;
        }
        if !(0.0..1.0).contains(&self.momentum) {
            notes.push(format!("momentum {} → {}", self.momentum, d.momentum));
            self.momentum = d.momentum;
        }
        clamp_usize("batch", &mut self.batch, 1, 512, notes);
        if !(1..=100).contains(&self.epochs) {
            let e = self.epochs.clamp(1, 100);
            notes.push(format!("epochs {} → {e}", self.epochs));
            self.epochs = e;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::classifier::ModelKind;
    use crate::widget_state::{parse, to_json};

    #[test]
    fn each_state_round_trips_through_its_link() {
        let builder = BuilderState {
            side: 32,
            layers: vec![
                Layer::Relu,
                Layer::Flatten,
                Layer::Linear {
                    fin: 1024,
                    fout: 10,
                },
            ],
        };
        assert_eq!(parse::<BuilderState>(&to_json(&builder)), (builder, vec![]));
        let gallery = GalleryState {
            page: 3,
            digit: Some(125),
        };
        assert_eq!(parse::<GalleryState>(&to_json(&gallery)), (gallery, vec![]));
        let train = TrainSettings {
            lr: 0.05,
            adam: true,
            model: ModelKind::ResNet,
            ..TrainSettings::default()
        };
        assert_eq!(parse::<TrainSettings>(&to_json(&train)), (train, vec![]));
        let (depth, notes) = parse::<DepthState>(r#"{"skip":false,"layers":5}"#);
        assert_eq!((depth.skip, depth.layers), (false, 16));
        assert_eq!(notes, ["layers 5 → 16"]);
        let (train, notes) = parse::<TrainSettings>(r#"{"lr":-1,"batch":0}"#);
        assert_eq!((train.lr, train.batch), (0.01, 1));
        assert_eq!(notes.len(), 2);
    }
}
