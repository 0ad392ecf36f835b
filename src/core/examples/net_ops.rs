//! The Net's training step (batch 64, or the one given) on the SIMD backend, op by op, for profiling the kernels:
//! `cargo run --release -p convscope-core --example net_ops [steps] [batch]` (e.g. under `perf
//! record`; batch 8 is one shard of the page's data-parallel step).

use convscope_core::backend::cpu::SimdBackend;
use convscope_core::backend::profile::Profiled;
use convscope_core::models::Net;
use convscope_core::models::classifier::Classifier;
use convscope_core::tensor::Tensor;
use std::time::Instant;

fn main() {
    let steps: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let start = Instant::now();
    let now = move || start.elapsed().as_secs_f64();
    let simd = SimdBackend::new();
    let prof = Profiled::new(&simd, &now);
    let batch: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    let x = Tensor::from_fn(&[batch, 1, 28, 28], |i| {
        ((i * 7919) % 255) as f32 / 255.0 - 0.3
    });
    let targets: Vec<usize> = (0..batch).map(|i| i % 10).collect();
    let net = Net::new(1);
    net.logits_and_grads(&prof, &x, &targets).expect("warm-up");
    prof.take();
    let t0 = now();
    for _ in 0..steps {
        net.logits_and_grads(&prof, &x, &targets).expect("step");
    }
    let total = (now() - t0) / steps as f64;
    let mut spent = prof.take();
    spent.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (op, secs, _) in spent {
        println!("{op:<28} {:9.1} µs", secs / steps as f64 * 1e6);
    }
    println!(
        "{:<28} {:9.1} µs  ({:.0} images/s)",
        "step",
        total * 1e6,
        batch as f64 / total
    );
}
