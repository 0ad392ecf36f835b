//! Which backend answers the lab's inference, found by timing (issue 14, item 4, as the Train
//! page chooses its training backend: `train::choice`).
//!
//! The lab asks two kinds of question: the drawing pad's (one image, answered at every stroke)
//! and the evaluation's (the 10,000 test digits, in chunks). A GPU pays a fixed cost per
//! submission and readback that one image cannot hide, while a chunk of hundreds can, so the
//! two are timed apart, each a few times on WASM SIMD and, where the worker has WebGPU, on the
//! GPU (after a warm-up run that compiles the pipelines and builds the buffers), keeping the
//! medians ([`InferTiming`]): the pad's once a model of a kind arrives, the evaluation's when
//! the first evaluation of that kind is asked for (it costs a few chunks' time, which only an
//! evaluation should pay). Each workload then goes to its faster backend; an untimed
//! workload, a tie, or a GPU that failed stays on the CPU. A GPU run more than [`CLEARLY`]
//! times slower than the CPU's median ends its timing early (one such run settles it), and the
//! evaluation's GPU timing starts with a tenth of the chunk ([`PROBE_IMAGES`]): more images are
//! never less work, so if those alone take [`CLEARLY`] times the CPU's whole chunk, the GPU
//! cannot win and the full chunk is not run (a software WebGPU adapter, which runs on the same
//! CPU, would otherwise cost the first evaluation seconds). The learner may override the
//! choice ([`InferPreference`]).

use serde::{Deserialize, Serialize};

/// The pad's runs timed per backend, after one warm-up run.
pub const TIMED_RUNS: usize = 5;
/// An evaluation chunk's runs timed per backend, after one warm-up run.
pub const EVAL_RUNS: usize = 3;
/// Images in the timed evaluation chunk.
pub const EVAL_IMAGES: usize = 250;
/// A GPU run this many times slower than the CPU's median settles the choice.
pub const CLEARLY: f64 = 3.0;
/// Images of the evaluation's first, probing GPU run.
pub const PROBE_IMAGES: usize = EVAL_IMAGES / 10;

/// One workload's timing on each backend.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct InferTiming {
    /// Images per run (1: the drawing pad; [`EVAL_IMAGES`]: an evaluation chunk).
    pub images: usize,
    /// WASM SIMD's median milliseconds per run.
    pub simd_ms: f64,
    /// WebGPU's median milliseconds per run, readback included; `None` without a GPU.
    pub gpu_ms: Option<f64>,
    /// The images the GPU's timing ran on when fewer than `images` already settled it (those
    /// alone took [`CLEARLY`] times the CPU's whole run); `None` when it ran on `images`.
    #[serde(default)]
    pub gpu_images: Option<usize>,
}

impl InferTiming {
    /// Whether the GPU is faster (strictly: a tie stays on the CPU).
    pub fn gpu_faster(&self) -> bool {
        !self.probed() && matches!(self.gpu_ms, Some(g) if g.is_finite() && g < self.simd_ms)
    }

    /// Whether the GPU was timed on fewer images only (and found slower on those already).
    pub fn probed(&self) -> bool {
        self.gpu_images.is_some_and(|n| n < self.images)
    }

    /// How many times faster the faster backend is (≥ 1); `None` without a GPU timing of the
    /// same images.
    pub fn speedup(&self) -> Option<f64> {
        if self.probed() {
            return None;
        }
        let g = self.gpu_ms?;
        let (fast, slow) = if self.gpu_faster() {
            (g, self.simd_ms)
        } else {
            (self.simd_ms, g)
        };
        Some(if fast > 0.0 {
            slow / fast
        } else {
            f64::INFINITY
        })
    }
}

/// Where the learner wants the lab's answers computed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InferPreference {
    /// Each workload on its faster backend, by timing.
    #[default]
    Faster,
    /// Always WASM SIMD.
    Simd,
    /// WebGPU where the worker has it (else WASM SIMD).
    WebGpu,
}

/// The GPU as the inference worker sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", content = "detail", rename_all = "snake_case")]
pub enum InferGpu {
    /// Still opening the device (or timing).
    Opening,
    /// In use where faster: the adapter's name.
    Ready(String),
    /// No WebGPU in the worker: why.
    Unavailable(String),
    /// It failed while in use (its answers came from the CPU from then on): why.
    Failed(String),
}

/// The lab's inference choice: both workloads' timings and the GPU's state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InferChoice {
    /// The drawing pad's single image.
    pub pad: InferTiming,
    /// An evaluation chunk (once an evaluation has been asked for).
    pub eval: Option<InferTiming>,
    /// The GPU.
    pub gpu: InferGpu,
}

impl InferChoice {
    /// Whether `images` images at a time go to the GPU under `preference`.
    pub fn use_gpu(&self, images: usize, preference: InferPreference) -> bool {
        if !matches!(self.gpu, InferGpu::Ready(_)) {
            return false;
        }
        match preference {
            InferPreference::Simd => false,
            InferPreference::WebGpu => true,
            InferPreference::Faster if images <= 1 => self.pad.gpu_faster(),
            InferPreference::Faster => self.eval.is_some_and(|e| e.gpu_faster()),
        }
    }
}

/// The median of `samples` (the mean of the middle two for an even count); NaN when empty.
pub fn median(samples: &mut [f64]) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(pad: (f64, Option<f64>), eval: (f64, Option<f64>), gpu: InferGpu) -> InferChoice {
        InferChoice {
            pad: InferTiming {
                images: 1,
                simd_ms: pad.0,
                gpu_ms: pad.1,
                gpu_images: None,
            },
            eval: Some(InferTiming {
                images: EVAL_IMAGES,
                simd_ms: eval.0,
                gpu_ms: eval.1,
                gpu_images: None,
            }),
            gpu,
        }
    }

    #[test]
    fn each_workload_goes_to_its_faster_backend() {
        let c = choice(
            (0.05, Some(1.2)),
            (12.0, Some(3.0)),
            InferGpu::Ready("gpu".into()),
        );
        assert!(
            !c.use_gpu(1, InferPreference::Faster),
            "the pad stays on SIMD"
        );
        assert!(c.use_gpu(EVAL_IMAGES, InferPreference::Faster));
        assert!((c.pad.speedup().unwrap() - 24.0).abs() < 1e-9);
        assert!((c.eval.unwrap().speedup().unwrap() - 4.0).abs() < 1e-9);
        let untimed = InferChoice { eval: None, ..c };
        assert!(
            !untimed.use_gpu(EVAL_IMAGES, InferPreference::Faster),
            "not timed yet"
        );
        assert!(untimed.use_gpu(EVAL_IMAGES, InferPreference::WebGpu));
    }

    #[test]
    fn a_tie_a_missing_or_failed_gpu_stays_on_the_cpu() {
        let tie = choice(
            (1.0, Some(1.0)),
            (5.0, Some(5.0)),
            InferGpu::Ready("g".into()),
        );
        assert!(!tie.use_gpu(1, InferPreference::Faster));
        assert!(!tie.use_gpu(100, InferPreference::Faster));
        let none = choice((1.0, None), (5.0, None), InferGpu::Unavailable("no".into()));
        assert!(!none.use_gpu(100, InferPreference::WebGpu));
        assert_eq!(none.pad.speedup(), None);
        let failed = choice(
            (9.0, Some(1.0)),
            (9.0, Some(1.0)),
            InferGpu::Failed("lost".into()),
        );
        assert!(!failed.use_gpu(1, InferPreference::Faster));
    }

    #[test]
    fn a_probe_that_is_already_slower_settles_it_for_the_cpu() {
        let mut c = choice(
            (0.1, Some(10.0)),
            (12.0, Some(100.0)),
            InferGpu::Ready("sw".into()),
        );
        c.eval = c.eval.map(|e| InferTiming {
            gpu_images: Some(PROBE_IMAGES),
            ..e
        });
        let e = c.eval.unwrap();
        assert!(e.probed() && !e.gpu_faster() && e.speedup().is_none());
        assert!(!c.use_gpu(EVAL_IMAGES, InferPreference::Faster));
        // Even a faster-looking probe of fewer images never counts as the whole chunk's time.
        let fast = InferTiming {
            gpu_ms: Some(1.0),
            ..e
        };
        assert!(!fast.gpu_faster());
    }

    #[test]
    fn the_learner_overrides_the_timing() {
        let c = choice(
            (0.05, Some(1.2)),
            (12.0, Some(3.0)),
            InferGpu::Ready("g".into()),
        );
        assert!(c.use_gpu(1, InferPreference::WebGpu));
        assert!(!c.use_gpu(EVAL_IMAGES, InferPreference::Simd));
    }

    #[test]
    fn medians() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&mut []).is_nan());
    }
}
