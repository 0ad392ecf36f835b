//! Training settings and a checkpoint of a training run, so that the page can keep its training
//! in IndexedDB and a reload resumes where it stopped.
//!
//! A checkpoint holds the weights, the optimizer state, the position in the data (epoch and
//! next batch; the batches themselves follow from the seed) and the chart's history. Floats are
//! stored as their bit patterns, so the round trip is exact even for NaN (a diverged run is
//! restored as it was, not lost). Reading checks the format version and every shape, and says
//! what is wrong.

use super::optim::{OptState, OptimizerConfig};
use crate::models::classifier::{Classifier, ModelKind};
use serde::{Deserialize, Serialize};

/// What a learner can set for a training run (the lesson's values by default; a field left out
/// of a stored or linked copy takes its default).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainSettings {
    /// Learning rate.
    pub lr: f32,
    /// SGD momentum.
    pub momentum: f32,
    /// Images per batch.
    pub batch: usize,
    /// Adam instead of SGD.
    pub adam: bool,
    /// Seed of the initial weights and of the shuffling.
    pub seed: u64,
    /// Epochs to train before stopping.
    pub epochs: u64,
    /// The model trained (the Net in checkpoints written before there was a choice).
    pub model: ModelKind,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            lr: 0.01,
            momentum: 0.5,
            batch: 64,
            adam: false,
            seed: 1,
            epochs: 1,
            model: ModelKind::Net,
        }
    }
}

impl TrainSettings {
    /// The optimizer these settings describe (PyTorch's other defaults).
    pub fn optimizer(self) -> OptimizerConfig {
        if self.adam {
            OptimizerConfig::Adam {
                lr: self.lr,
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
                weight_decay: 0.0,
            }
        } else {
            OptimizerConfig::Sgd {
                lr: self.lr,
                momentum: self.momentum,
                dampening: 0.0,
                weight_decay: 0.0,
                nesterov: false,
            }
        }
    }

    /// Sets the field `name` (`lr`, `momentum`, `batch`, `seed` or `epochs`: the settings the
    /// panels' number fields edit) from the text typed in it, if that reads as a value in the
    /// field's range: a learning rate in (0, 1], a momentum in [0, 1), a batch of 1 to 512
    /// images, any seed, 1 to 100 epochs. Anything else keeps the old value.
    pub fn set_typed(&mut self, name: &str, text: &str) {
        fn read<T: std::str::FromStr>(text: &str, ok: impl Fn(&T) -> bool) -> Option<T> {
            text.parse().ok().filter(ok)
        }
        match name {
            "lr" => self.lr = read(text, |x| *x > 0.0 && *x <= 1.0).unwrap_or(self.lr),
            "momentum" => {
                self.momentum = read(text, |x| (0.0..1.0).contains(x)).unwrap_or(self.momentum)
            }
            "batch" => self.batch = read(text, |b| (1..=512).contains(b)).unwrap_or(self.batch),
            "seed" => self.seed = read(text, |_| true).unwrap_or(self.seed),
            "epochs" => self.epochs = read(text, |e| (1..=100).contains(e)).unwrap_or(self.epochs),
            _ => {}
        }
    }

    /// The shuffling seed of `epoch` (each epoch its own order, reproducible).
    pub fn epoch_seed(self, epoch: u64) -> u64 {
        self.seed.wrapping_mul(1000).wrapping_add(epoch)
    }
}

/// The format version written; others are refused.
pub const FORMAT: u32 = 1;

/// A training run, frozen (see the module docs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// [`FORMAT`].
    pub format: u32,
    /// The run's settings.
    pub settings: TrainSettings,
    /// Steps taken.
    pub steps: u64,
    /// The epoch in progress (0-based).
    pub epoch: u64,
    /// The next batch of that epoch.
    pub next_batch: usize,
    /// The parameters in the model's `state_dict` order, as f32 bit patterns.
    weights: Vec<Vec<u32>>,
    /// The optimizer's step count.
    opt_steps: u64,
    /// Its first buffers, as bit patterns.
    opt_a: Vec<Vec<u32>>,
    /// Its second buffers, as bit patterns.
    opt_b: Vec<Vec<u32>>,
    /// `(step, loss bits)` chart points.
    history: Vec<(u64, u32)>,
    /// `(step, test accuracy %)` chart points.
    pub accuracy: Vec<(u64, f64)>,
}

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn floats(v: &[u32]) -> Vec<f32> {
    v.iter().map(|&b| f32::from_bits(b)).collect()
}

/// Where a run stands, to freeze into a [`Checkpoint`].
pub struct RunState<'a> {
    /// The run's settings.
    pub settings: TrainSettings,
    /// Steps taken.
    pub steps: u64,
    /// The epoch in progress.
    pub epoch: u64,
    /// The next batch of that epoch.
    pub next_batch: usize,
    /// The weights.
    pub net: &'a dyn Classifier,
    /// The optimizer state.
    pub opt: &'a OptState,
    /// `(step, loss)` chart points.
    pub history: &'a [(u64, f32)],
    /// `(step, accuracy %)` chart points.
    pub accuracy: &'a [(u64, f64)],
}

impl Checkpoint {
    /// Freezes a run.
    pub fn new(run: RunState<'_>) -> Self {
        Checkpoint {
            format: FORMAT,
            settings: run.settings,
            steps: run.steps,
            epoch: run.epoch,
            next_batch: run.next_batch,
            weights: run
                .net
                .named()
                .iter()
                .map(|(_, t)| bits(t.data()))
                .collect(),
            opt_steps: run.opt.steps,
            opt_a: run.opt.a.iter().map(|v| bits(v)).collect(),
            opt_b: run.opt.b.iter().map(|v| bits(v)).collect(),
            history: run.history.iter().map(|&(s, l)| (s, l.to_bits())).collect(),
            accuracy: run.accuracy.to_vec(),
        }
    }

    /// The checkpoint as bytes (JSON).
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads a checkpoint, checking the version and every shape.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let c: Checkpoint = serde_json::from_slice(bytes)
            .map_err(|e| format!("not a convscope checkpoint: {e}"))?;
        if c.format != FORMAT {
            return Err(format!(
                "checkpoint format {} (this version reads {FORMAT})",
                c.format
            ));
        }
        let kind = c.settings.model;
        let sizes: Vec<usize> = kind.build(0).named().iter().map(|(_, t)| t.len()).collect();
        let fits = |name: &str, v: &[Vec<u32>], optional: bool| -> Result<(), String> {
            if optional && v.is_empty() {
                return Ok(());
            }
            let got: Vec<usize> = v.iter().map(Vec::len).collect();
            if got != sizes {
                return Err(format!(
                    "checkpoint {name}: sizes {got:?}, the {} network has {sizes:?}",
                    kind.name()
                ));
            }
            Ok(())
        };
        fits("weights", &c.weights, false)?;
        fits("optimizer buffers", &c.opt_a, true)?;
        fits("optimizer second moments", &c.opt_b, true)?;
        if c.settings.batch == 0 {
            return Err("checkpoint batch size 0".into());
        }
        Ok(c)
    }

    /// The model with its weights.
    pub fn net(&self) -> Box<dyn Classifier> {
        let mut net = self.settings.model.build(0);
        for (param, values) in net.params_mut().into_iter().zip(&self.weights) {
            param.data_mut().copy_from_slice(&floats(values));
        }
        net
    }

    /// The optimizer state.
    pub fn opt_state(&self) -> OptState {
        OptState {
            steps: self.opt_steps,
            a: self.opt_a.iter().map(|v| floats(v)).collect(),
            b: self.opt_b.iter().map(|v| floats(v)).collect(),
        }
    }

    /// The `(step, loss)` chart points.
    pub fn history(&self) -> Vec<(u64, f32)> {
        self.history
            .iter()
            .map(|&(s, b)| (s, f32::from_bits(b)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::TrainSettings;

    #[test]
    fn typed_settings_in_range_only() {
        let mut s = TrainSettings::default();
        for (name, text) in [
            ("lr", "0.1"),
            ("momentum", "0.9"),
            ("batch", "512"),
            ("seed", "7"),
            ("epochs", "3"),
        ] {
            s.set_typed(name, text);
        }
        let set = TrainSettings {
            lr: 0.1,
            momentum: 0.9,
            batch: 512,
            seed: 7,
            epochs: 3,
            ..TrainSettings::default()
        };
        assert_eq!(s, set);
        for (name, text) in [
            ("lr", "0"),
            ("lr", "1.5"),
            ("momentum", "1"),
            ("momentum", "-0.1"),
            ("batch", "0"),
            ("batch", "513"),
            ("seed", "-1"),
            ("epochs", "0"),
            ("epochs", "101"),
            ("epochs", "two"),
            ("model", "resnet"),
        ] {
            s.set_typed(name, text);
        }
        assert_eq!(s, set, "out of range or unreadable: unchanged");
        s.set_typed("lr", "1");
        assert_eq!(s.lr, 1.0);
    }
}
