//! Which training backend is faster on this machine, found by timing (issue 14, item 4).
//!
//! Small nets often train faster on WASM SIMD across the CPU's cores than on a GPU, whose cost
//! per dispatch dominates at batch 64; a big GPU wins on bigger nets. No rule of thumb settles it
//! for a given browser, so on a run's first start the Train page times a few real steps on each
//! backend the browser offers and keeps the faster one:
//!
//! - a [`RateProbe`] watches a backend's step counter: it ignores everything up to the first
//!   step it sees move (the worker's start, the training set's download, the GPU's pipeline
//!   compilation), then measures the steps per second over at least [`MIN_MS`] and
//!   [`MIN_STEPS`] steps, so a chunk boundary cannot skew a short window;
//! - [`Choice::new`] compares the two rates (images per second) and picks the faster; on a tie
//!   the CPU, which leaves the GPU free for the page's drawing.
//!
//! The steps timed are the run's own first steps (no work is thrown away), so the run
//! continues on the chosen backend from the step the timing reached. The choice is kept per
//! model and thread count, so later starts take it without timing again.

use super::session::TrainBackend;
use serde::{Deserialize, Serialize};

/// The shortest window a rate is measured over, in milliseconds.
pub const MIN_MS: f64 = 1000.0;
/// The fewest steps a rate is measured over.
pub const MIN_STEPS: u64 = 4;

/// Measures one backend's training rate from `(time, steps)` observations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateProbe {
    /// The step count when the probe began (steps up to it are not this backend's).
    first_steps: u64,
    /// The first observation after the steps moved: the window's start.
    start: Option<(f64, u64)>,
    /// Images per step.
    batch: usize,
}

impl RateProbe {
    /// A probe for a run at `steps` completed steps, training `batch` images a step.
    pub fn new(steps: u64, batch: usize) -> Self {
        RateProbe {
            first_steps: steps,
            start: None,
            batch,
        }
    }

    /// Takes the step count at `now_ms`; returns the rate in images per second once the window
    /// is long enough, `None` until then.
    pub fn observe(&mut self, now_ms: f64, steps: u64) -> Option<f64> {
        let Some((t0, s0)) = self.start else {
            if steps > self.first_steps {
                self.start = Some((now_ms, steps));
            }
            return None;
        };
        let (ms, done) = (now_ms - t0, steps.saturating_sub(s0));
        (ms >= MIN_MS && done >= MIN_STEPS).then(|| (done * self.batch as u64) as f64 * 1000.0 / ms)
    }
}

/// The two backends' timed rates and the one chosen.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// WASM SIMD's images per second (on `threads` threads).
    pub simd: f64,
    /// WebGPU's images per second.
    pub gpu: f64,
    /// The CPU threads SIMD was timed on.
    pub threads: usize,
}

impl Choice {
    /// The timing of both backends.
    pub fn new(simd: f64, gpu: f64, threads: usize) -> Self {
        Choice { simd, gpu, threads }
    }

    /// The faster backend (the CPU on a tie or when a rate is not a number).
    pub fn pick(self) -> TrainBackend {
        if self.gpu > self.simd {
            TrainBackend::WebGpu
        } else {
            TrainBackend::Simd
        }
    }

    /// How many times faster the chosen backend is than the other (≥ 1).
    pub fn speedup(self) -> f64 {
        let (fast, slow) = match self.pick() {
            TrainBackend::WebGpu => (self.gpu, self.simd),
            TrainBackend::Simd => (self.simd, self.gpu),
        };
        if slow > 0.0 {
            fast / slow
        } else {
            f64::INFINITY
        }
    }

    /// The key a choice is kept under: per model and thread count.
    pub fn key(model: &str, threads: usize) -> String {
        format!("convscope-backend-{model}-{threads}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_skips_the_warm_up_and_waits_for_a_full_window() {
        let mut p = RateProbe::new(10, 64);
        // Loading, compiling: the steps do not move.
        assert_eq!(p.observe(0.0, 10), None);
        assert_eq!(p.observe(3000.0, 10), None);
        // The first step moved: the window starts here, not at 0 ms.
        assert_eq!(p.observe(3100.0, 12), None);
        // Long enough in time but too few steps.
        assert_eq!(p.observe(4200.0, 14), None);
        // 20 steps of 64 images in 1.6 s.
        let rate = p.observe(4700.0, 32).unwrap();
        assert!((rate - 800.0).abs() < 1e-9, "{rate}");
    }

    #[test]
    fn too_short_a_window_gives_no_rate() {
        let mut p = RateProbe::new(0, 64);
        p.observe(0.0, 1);
        assert_eq!(p.observe(999.0, 500), None);
        assert!(p.observe(1000.0, 500).is_some());
    }

    #[test]
    fn the_faster_backend_wins_and_a_tie_stays_on_the_cpu() {
        let c = Choice::new(5850.0, 1170.0, 2);
        assert_eq!(c.pick(), TrainBackend::Simd);
        assert!((c.speedup() - 5.0).abs() < 1e-12);
        let c = Choice::new(3000.0, 12000.0, 8);
        assert_eq!(c.pick(), TrainBackend::WebGpu);
        assert!((c.speedup() - 4.0).abs() < 1e-12);
        assert_eq!(Choice::new(100.0, 100.0, 1).pick(), TrainBackend::Simd);
        assert_eq!(Choice::new(100.0, f64::NAN, 1).pick(), TrainBackend::Simd);
        assert!(Choice::new(100.0, 0.0, 1).speedup().is_infinite());
    }

    #[test]
    fn a_choice_round_trips_as_json_under_a_per_model_key() {
        let c = Choice::new(5850.5, 1170.25, 2);
        let text = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Choice>(&text).unwrap(), c);
        assert_eq!(Choice::key("net", 2), "convscope-backend-net-2");
    }
}
