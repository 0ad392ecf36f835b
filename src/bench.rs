//! Benchmarks of the CPU backends, shared by the native CLI (`convscope bench`) and the wasm
//! build run in Node (`tests/bench_wasm.rs`): the same code, timed by a clock the caller passes.
//!
//! Workloads: (a) training the lesson's Net, batch 64, in images/s; (b) one-image forward
//! latency; (c) a large convolution, input 64×64×56×56, 64→64 channels, 3×3, padding 1, forward
//! and both gradients, in GFLOP/s (2 FLOPs per multiply-add); (d) this machine's single-core f32
//! SIMD peak, measured with independent multiply-add chains. Figures are medians of repeats.

use crate::backend::Backend;
use crate::backend::cpu::gemm::{GemmScratch, MatRef, gemm};
use crate::backend::cpu::{ReferenceBackend, SimdBackend};
use crate::layers::Conv2dParams;
use crate::models::Net;
use crate::tensor::Tensor;
use crate::train::fit::train_step;
use crate::train::optim::Sgd;
use serde::Serialize;

/// One measured figure.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// What was measured.
    pub workload: String,
    /// Which backend.
    pub backend: String,
    /// The figure.
    pub value: f64,
    /// Its unit ("images/s", "µs", "GFLOP/s").
    pub unit: String,
}

/// Bench settings.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Fewer repeats and a smaller big conv (for smoke tests).
    pub quick: bool,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Times `f` `repeats` times (after one warm-up) and returns the median seconds.
fn time(now: &dyn Fn() -> f64, repeats: usize, mut f: impl FnMut()) -> f64 {
    f();
    median(
        (0..repeats)
            .map(|_| {
                let t = now();
                f();
                now() - t
            })
            .collect(),
    )
}

fn synthetic_batch(n: usize) -> (Tensor, Vec<usize>) {
    let x = Tensor::from_fn(&[n, 1, 28, 28], |i| ((i * 7919) % 255) as f32 / 255.0 - 0.1);
    (x, (0..n).map(|i| i % 10).collect())
}

/// Runs every workload; `now` returns seconds.
pub fn run(now: &dyn Fn() -> f64, settings: Settings) -> Vec<Row> {
    let mut rows = Vec::new();
    let row = |workload: &str, backend: &str, value: f64, unit: &str| Row {
        workload: workload.into(),
        backend: backend.into(),
        value,
        unit: unit.into(),
    };
    let simd = SimdBackend::new();
    let reference = ReferenceBackend;
    let backends: [(&dyn Backend, usize); 2] = [
        (&simd, if settings.quick { 3 } else { 20 }),
        (&reference, 1),
    ];

    // (a) training, batch 64.
    let (x, y) = synthetic_batch(64);
    for (be, repeats) in backends {
        let mut net = Net::new(1);
        let mut opt = Sgd::new(0.01, 0.5);
        let secs = time(now, repeats, || {
            train_step(be, &mut net, &mut opt, &x, &y).expect("train step");
        });
        rows.push(row(
            "train Net, batch 64",
            be.name(),
            64.0 / secs,
            "images/s",
        ));
    }

    // (b) one image, forward.
    let (x1, _) = synthetic_batch(1);
    let net = Net::new(1);
    for (be, repeats) in backends {
        let secs = time(now, repeats * 20, || {
            net.forward(be, &x1).expect("forward");
        });
        rows.push(row("one image forward", be.name(), secs * 1e6, "µs"));
    }

    // (c) the big convolution (forward and both gradients), SIMD backend only: the reference
    // would take minutes.
    let batch = if settings.quick { 2 } else { 64 };
    let p = Conv2dParams::new(64, 64, 3).padding(1);
    let big = Tensor::from_fn(&[batch, 64, 56, 56], |i| ((i % 97) as f32 - 48.0) / 97.0);
    let w = Tensor::from_fn(&p.weight_shape(), |i| ((i % 13) as f32 - 6.0) / 50.0);
    let flops = 2.0 * p.mults(56, 56).expect("shape") as f64 * batch as f64;
    let repeats = if settings.quick { 1 } else { 3 };
    let dy = simd.conv2d_forward(&big, &w, None, &p).expect("forward");
    let fwd = time(now, repeats, || {
        simd.conv2d_forward(&big, &w, None, &p).expect("forward");
    });
    let bwd_in = time(now, repeats, || {
        simd.conv2d_backward_input(&dy, &w, &p, (56, 56))
            .expect("backward input");
    });
    let bwd_w = time(now, repeats, || {
        simd.conv2d_backward_weight(&big, &dy, &p)
            .expect("backward weight");
    });
    let label = format!("conv {batch}x64x56x56 3x3 p1");
    rows.push(row(
        &format!("{label} forward"),
        "simd",
        flops / fwd / 1e9,
        "GFLOP/s",
    ));
    rows.push(row(
        &format!("{label} input gradient"),
        "simd",
        flops / bwd_in / 1e9,
        "GFLOP/s",
    ));
    rows.push(row(
        &format!("{label} weight gradient"),
        "simd",
        flops / bwd_w / 1e9,
        "GFLOP/s",
    ));

    // A plain GEMM of the same size as one image of the big conv, for reference.
    let (m, n, k) = (64, 3136, 576);
    let a = vec![0.5f32; m * k];
    let b = vec![0.25f32; k * n];
    let mut c = vec![0.0f32; m * n];
    let mut scratch = GemmScratch::default();
    let secs = time(now, repeats * 5, || {
        gemm(
            m,
            n,
            k,
            MatRef::row_major(&a, k),
            MatRef::row_major(&b, n),
            &mut c,
            n,
            false,
            &mut scratch,
        );
    });
    rows.push(row(
        "gemm 64x3136x576",
        "simd",
        2.0 * (m * n * k) as f64 / secs / 1e9,
        "GFLOP/s",
    ));

    // (d) peak.
    rows.push(row(
        "f32x4 multiply-add peak",
        "simd",
        peak_gflops(now),
        "GFLOP/s",
    ));
    rows
}

/// The single-core peak of 4-lane multiply-adds: 8 independent accumulator chains.
fn peak_gflops(now: &dyn Fn() -> f64) -> f64 {
    let iters = 20_000_000usize;
    let secs = time(now, 3, || {
        let sum = crate::backend::cpu::peak_kernel(iters);
        assert!(sum.is_finite());
    });
    (iters * 8 * 4 * 2) as f64 / secs / 1e9
}

/// The rows as an aligned text table.
pub fn table(rows: &[Row]) -> String {
    let mut out = format!(
        "{:<44} {:<10} {:>12} {}\n",
        "workload", "backend", "value", "unit"
    );
    for r in rows {
        out += &format!(
            "{:<44} {:<10} {:>12.2} {}\n",
            r.workload, r.backend, r.value, r.unit
        );
    }
    out
}
