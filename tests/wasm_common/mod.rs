//! Cases shared by the wasm test files (Node and Chromium): the SIMD backend, compiled to
//! wasm32 with simd128, against the reference on odd shapes.

use convscope::backend::Backend;
use convscope::backend::cpu::{ReferenceBackend, SimdBackend};
use convscope::layers::{Conv2dParams, Pool2dParams};
use convscope::tensor::Tensor;

fn tensor(shape: &[usize], seed: usize) -> Tensor {
    Tensor::from_fn(shape, |i| {
        (((i + seed) as u64).wrapping_mul(2_654_435_761) % 2001) as f32 / 1000.0 - 1.0
    })
}

fn check(what: &str, got: &Tensor, want: &Tensor) {
    assert_eq!(got.shape(), want.shape(), "{what}");
    let err = got.max_abs_diff(want);
    let scale = want.data().iter().fold(1.0f32, |m, v| m.max(v.abs()));
    assert!(
        err <= 1e-5 * scale,
        "{what}: max abs err {err} (scale {scale})"
    );
}

/// Convolution forward and both gradients, linear and max pooling: SIMD equals reference.
pub fn simd_matches_reference() {
    let (reference, simd) = (ReferenceBackend, SimdBackend::new());
    let cases = [
        (2, 28, 28, Conv2dParams::new(1, 10, 5)),
        (2, 12, 12, Conv2dParams::new(10, 20, 5)),
        (2, 9, 13, Conv2dParams::new(3, 7, 3).stride(2).padding(1)),
        (2, 11, 10, Conv2dParams::new(5, 6, 3).dilation(2).padding(2)),
        (1, 10, 9, Conv2dParams::new(6, 9, 3).groups(3).stride(2)),
        (
            2,
            8,
            6,
            Conv2dParams::new(3, 5, 2)
                .kernel_hw(2, 5)
                .padding(1)
                .bias(false),
        ),
        (3, 6, 7, Conv2dParams::new(9, 13, 1)),
        // More than 256 taps: the forward's im2col + pack path rather than the packed im2col.
        (2, 5, 6, Conv2dParams::new(30, 4, 3).padding(1)),
    ];
    for (seed, (n, h, w, p)) in cases.into_iter().enumerate() {
        let x = tensor(&[n, p.in_channels, h, w], seed);
        let wt = tensor(&p.weight_shape(), seed + 1);
        let b = tensor(&[p.out_channels], seed + 2);
        let bias = p.bias.then_some(&b);
        let y = reference
            .conv2d_forward(&x, &wt, bias, &p)
            .expect("reference");
        check(
            &format!("{p:?} forward"),
            &simd.conv2d_forward(&x, &wt, bias, &p).expect("simd"),
            &y,
        );
        let dy = tensor(y.shape(), seed + 3);
        let want = reference
            .conv2d_backward_input(&dy, &wt, &p, (h, w))
            .expect("reference");
        check(
            &format!("{p:?} dx"),
            &simd
                .conv2d_backward_input(&dy, &wt, &p, (h, w))
                .expect("simd"),
            &want,
        );
        let want = reference
            .conv2d_backward_weight(&x, &dy, &p)
            .expect("reference");
        check(
            &format!("{p:?} dw"),
            &simd.conv2d_backward_weight(&x, &dy, &p).expect("simd"),
            &want,
        );
    }
    let (x, w, b) = (tensor(&[5, 33], 1), tensor(&[7, 33], 2), tensor(&[7], 3));
    check(
        "linear",
        &simd.linear_forward(&x, &w, Some(&b)).expect("simd"),
        &reference.linear_forward(&x, &w, Some(&b)).expect("ref"),
    );
    let x = tensor(&[2, 3, 9, 7], 4);
    let p = Pool2dParams::new(3).stride(2).padding(1);
    let (got, got_idx) = simd.max_pool2d_forward(&x, &p).expect("simd");
    let (want, want_idx) = reference.max_pool2d_forward(&x, &p).expect("reference");
    assert_eq!(got_idx, want_idx);
    check("max_pool2d", &got, &want);
}
