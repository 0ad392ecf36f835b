//! One image through each model on the SIMD backend (the drawing pad's answer), op by op:
//! `cargo run --release -p convscope-core --example one_image`.
use convscope_core::backend::cpu::SimdBackend;
use convscope_core::backend::profile::Profiled;
use convscope_core::models::classifier::{self, ModelKind};
use convscope_core::tensor::Tensor;
use std::time::Instant;

fn main() {
    let start = Instant::now();
    let now = move || start.elapsed().as_secs_f64();
    let simd = SimdBackend::new();
    let prof = Profiled::new(&simd, &now);
    let x = Tensor::from_fn(&[1, 1, 28, 28], |i| ((i * 7919) % 255) as f32 / 255.0 - 0.3);
    for kind in ModelKind::ALL {
        let model = kind.build(1);
        classifier::probabilities(model.as_ref(), &prof, &x).expect("warm-up");
        prof.take();
        let reps = 200;
        let t0 = now();
        for _ in 0..reps {
            classifier::probabilities(model.as_ref(), &prof, &x).expect("forward");
        }
        let total = (now() - t0) / reps as f64;
        let mut spent = prof.take();
        spent.sort_by(|a, b| b.1.total_cmp(&a.1));
        println!("{} — one image {:.1} µs", kind.name(), total * 1e6);
        for (op, secs, _) in spent.iter().take(6) {
            println!("  {op:<28} {:9.1} µs", secs / reps as f64 * 1e6);
        }
    }
}
