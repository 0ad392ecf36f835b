//! The drawing pad's preprocessing keeps MNIST digits MNIST-like: test digits blown up to the
//! pad's 280 × 280 and put through `mnist_style` are still classified right by the shipped
//! weights (nearly as often as the originals).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use convscope::backend::cpu::SimdBackend;
use convscope::models::Net;
use convscope::preprocess::{Gray, mnist_style};
use convscope::train::data::Mnist;
use convscope::train::fit::argmax;

#[test]
fn upscaled_test_digits_survive_preprocessing() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/mnist");
    let read = |name: &str| std::fs::read(format!("{dir}/{name}")).expect("MNIST file");
    let test = Mnist::parse(
        &read("t10k-images-idx3-ubyte.gz"),
        &read("t10k-labels-idx1-ubyte.gz"),
    )
    .expect("MNIST");
    let weights = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/www/models/net.safetensors"
    ))
    .expect("weights");
    let net = Net::from_safetensors(&weights).expect("weights load");
    let be = SimdBackend::new();
    let (mut original, mut preprocessed) = (0, 0);
    let n = 500;
    for i in 0..n {
        let label = test.labels[i] as usize;
        let (x, _) = test.batch(&[i]);
        original += usize::from(argmax(net.predict(&be, &x).expect("predict").data()) == label);
        let img = test.image(i);
        let pixels = (0..280 * 280)
            .map(|k| img[(k / 280 / 10) * 28 + (k % 280) / 10] as f32 / 255.0)
            .collect();
        let steps = mnist_style(&Gray {
            width: 280,
            height: 280,
            pixels,
        })
        .expect("ink");
        preprocessed +=
            usize::from(argmax(net.predict(&be, &steps.input).expect("predict").data()) == label);
    }
    eprintln!(
        "first {n} test digits: {original} right as given, {preprocessed} right after the pad's preprocessing"
    );
    assert!(
        preprocessed as f64 >= 0.97 * n as f64,
        "{preprocessed} / {n}"
    );
}

#[test]
fn the_built_in_sample_digit_is_test_image_0() {
    let test = common::mnist("t10k");
    assert_eq!(test.image(0), &convscope::sample_digit::SAMPLE_DIGIT[..]);
    assert_eq!(test.labels[0], 7);
}
