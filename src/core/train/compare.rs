//! Two training runs compared side by side (the Train page's "Compare two runs"): their
//! settings, how the CPU threads are shared between them, and the summary of their test
//! accuracies. Each run is an ordinary run of THE training loop ([`super::run::TrainLoop`]),
//! trained by its own compute worker on half the threads; a batch is always split into the
//! same shards ([`super::parallel`]), so run A gives exactly the numbers the Train page's single
//! run gives for the same settings, on any number of threads.

use super::checkpoint::TrainSettings;
use serde::{Deserialize, Serialize};

/// Run A's and run B's settings. They share one seed (the same initial weights and batch
/// order), so only what the learner changed differs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompareSettings {
    /// Run A.
    pub a: TrainSettings,
    /// Run B.
    pub b: TrainSettings,
}

impl Default for CompareSettings {
    /// The lesson's settings for A, the same with a learning rate ten times higher for B.
    fn default() -> Self {
        let a = TrainSettings::default();
        CompareSettings {
            a,
            b: TrainSettings { lr: 0.1, ..a },
        }
    }
}

impl CompareSettings {
    /// Run `b`'s settings if `b`, else run A's, with the shared seed (A's).
    pub fn side(self, b: bool) -> TrainSettings {
        if b {
            TrainSettings {
                seed: self.a.seed,
                ..self.b
            }
        } else {
            self.a
        }
    }
}

/// The threads each run's worker trains on, of the `total` the browser offers: half each (at
/// least one), so the two runs train at the same time at about the same speed.
pub fn threads_each(total: usize) -> usize {
    (total / 2).max(1)
}

/// The summary of two runs' test accuracies: the epochs both have finished, and each run's
/// accuracy (%) after that many epochs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Epochs both runs have done.
    pub epochs: usize,
    /// Run A's test accuracy (%) after them.
    pub a: f32,
    /// Run B's.
    pub b: f32,
}

impl Summary {
    /// From each run's `(step, accuracy %)` per epoch; `None` until both have finished one.
    pub fn of(a: &[(u64, f32)], b: &[(u64, f32)]) -> Option<Self> {
        let epochs = a.len().min(b.len());
        (epochs > 0).then(|| Summary {
            epochs,
            a: a[epochs - 1].1,
            b: b[epochs - 1].1,
        })
    }

    /// Whether B did at least as well as A.
    pub fn b_leads(self) -> bool {
        self.b >= self.a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b_shares_a_seed_and_differs_in_its_rate() {
        let mut s = CompareSettings::default();
        assert_eq!((s.a.lr, s.b.lr), (0.01, 0.1));
        s.b.seed = 9;
        assert_eq!(s.side(true).seed, s.a.seed);
        assert_eq!(s.side(false), s.a);
    }

    #[test]
    fn threads_are_halved() {
        assert_eq!([1, 2, 3, 8].map(threads_each), [1, 1, 1, 4]);
    }

    #[test]
    fn the_summary_takes_the_last_epoch_both_finished() {
        assert_eq!(Summary::of(&[(938, 95.2)], &[]), None);
        let s = Summary::of(&[(938, 95.2), (1876, 97.0)], &[(938, 97.9)]).unwrap();
        assert_eq!((s.epochs, s.a, s.b), (1, 95.2, 97.9));
        assert!(s.b_leads());
    }
}
