//! The Net's two convolutions on the SIMD backend, pass by pass, at one shard of the page's
//! data-parallel step (8 images): `cargo run --release -p convscope-core --example conv_layers`.
use convscope_core::backend::Backend;
use convscope_core::backend::cpu::SimdBackend;
use convscope_core::layers::conv::Conv2dParams;
use convscope_core::tensor::Tensor;
use std::time::Instant;

fn t(label: &str, reps: usize, mut f: impl FnMut()) {
    f();
    let s = Instant::now();
    for _ in 0..reps {
        f();
    }
    println!(
        "{label:<32} {:8.1} µs",
        s.elapsed().as_secs_f64() / reps as f64 * 1e6
    );
}

fn main() {
    let be = SimdBackend::new();
    let n = 8;
    for (name, cin, cout, hw) in [("conv1", 1, 10, 28), ("conv2", 10, 20, 12)] {
        let p = Conv2dParams::new(cin, cout, 5);
        let x = Tensor::from_fn(&[n, cin, hw, hw], |i| {
            ((i * 7919) % 255) as f32 / 255.0 - 0.3
        });
        let w = Tensor::from_fn(&[cout, cin, 5, 5], |i| ((i * 31) % 17) as f32 / 17.0 - 0.5);
        let b = Tensor::zeros(&[cout]);
        let o = hw - 4;
        let dy = Tensor::from_fn(&[n, cout, o, o], |i| ((i * 13) % 11) as f32 / 11.0 - 0.5);
        t(&format!("{name} forward"), 2000, || {
            be.conv2d_forward(&x, &w, Some(&b), &p).unwrap();
        });
        t(&format!("{name} backward_weight"), 2000, || {
            be.conv2d_backward_weight(&x, &dy, &p).unwrap();
        });
        t(&format!("{name} backward_input"), 2000, || {
            be.conv2d_backward_input(&dy, &w, &p, (hw, hw)).unwrap();
        });
    }
}
