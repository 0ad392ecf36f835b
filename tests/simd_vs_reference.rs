//! The SIMD backend against the reference on odd shapes: stride, padding, dilation and groups
//! ≠ 1, non-square inputs and kernels, batch > 1, channel counts that are not multiples of the
//! vector width. (The same cases run as wasm in Node and Chromium: tests/web_node.rs.)
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{Rng, assert_close};
use convscope::backend::Backend;
use convscope::backend::cpu::{ReferenceBackend, SimdBackend};
use convscope::layers::Conv2dParams;

/// (batch, h, w, params)
fn cases() -> Vec<(usize, usize, usize, Conv2dParams)> {
    vec![
        (1, 5, 5, Conv2dParams::new(1, 1, 3)),
        (3, 28, 28, Conv2dParams::new(1, 10, 5)),
        (2, 12, 12, Conv2dParams::new(10, 20, 5)),
        (2, 9, 13, Conv2dParams::new(3, 7, 3).stride(2).padding(1)),
        (2, 11, 10, Conv2dParams::new(5, 6, 3).dilation(2).padding(2)),
        (1, 10, 9, Conv2dParams::new(6, 9, 3).groups(3).stride(2)),
        (2, 7, 8, Conv2dParams::new(4, 4, 3).groups(4).padding(1)),
        (
            2,
            8,
            6,
            Conv2dParams::new(3, 5, 2)
                .kernel_hw(2, 5)
                .padding(1)
                .bias(false),
        ),
        (2, 6, 7, Conv2dParams::new(9, 13, 1)),
        // The direct weight gradient's edges: a block of 5 taps and one of 2, an odd channel
        // count, output rows of 4 · 2 + 3 columns; and rows of one column.
        (3, 9, 17, Conv2dParams::new(3, 5, 1).kernel_hw(3, 7)),
        (2, 6, 4, Conv2dParams::new(2, 3, 1).kernel_hw(2, 4)),
        // The direct forward's row chunks: 6 vectors, then 2, then one scalar column.
        (
            2,
            4,
            35,
            Conv2dParams::new(2, 3, 1).kernel_hw(2, 3).bias(false),
        ),
        // More than 256 taps: the forward's im2col + pack path rather than the packed im2col.
        (2, 5, 6, Conv2dParams::new(30, 4, 3).padding(1)),
        (
            1,
            16,
            16,
            Conv2dParams::new(17, 33, 3)
                .padding(1)
                .stride(3)
                .dilation(2),
        ),
    ]
}

#[test]
fn conv2d_simd_matches_reference() {
    let (reference, simd) = (ReferenceBackend, SimdBackend::new());
    let mut rng = Rng::new(7);
    for (n, h, w, p) in cases() {
        let x = rng.tensor(&[n, p.in_channels, h, w]);
        let wt = rng.tensor(&p.weight_shape());
        let b = rng.tensor(&[p.out_channels]);
        let bias = p.bias.then_some(&b);
        let want = reference
            .conv2d_forward(&x, &wt, bias, &p)
            .expect("reference");
        let got = simd.conv2d_forward(&x, &wt, bias, &p).expect("simd");
        assert_close(&format!("{p:?} forward"), &got, &want, 1e-5, 1e-5);
        let dy = rng.tensor(want.shape());
        let want = reference
            .conv2d_backward_input(&dy, &wt, &p, (h, w))
            .expect("reference");
        let got = simd
            .conv2d_backward_input(&dy, &wt, &p, (h, w))
            .expect("simd");
        assert_close(&format!("{p:?} dx"), &got, &want, 1e-5, 1e-5);
        let want = reference
            .conv2d_backward_weight(&x, &dy, &p)
            .expect("reference");
        let got = simd.conv2d_backward_weight(&x, &dy, &p).expect("simd");
        assert_close(&format!("{p:?} dw"), &got, &want, 1e-4, 1e-5);
    }
}

#[test]
fn linear_simd_matches_reference() {
    let (reference, simd) = (ReferenceBackend, SimdBackend::new());
    let mut rng = Rng::new(8);
    for (n, i, o) in [(1, 1, 1), (64, 320, 10), (3, 17, 9), (5, 8, 4)] {
        let (x, w, b) = (rng.tensor(&[n, i]), rng.tensor(&[o, i]), rng.tensor(&[o]));
        let dy = rng.tensor(&[n, o]);
        let pairs = [
            (
                simd.linear_forward(&x, &w, Some(&b)),
                reference.linear_forward(&x, &w, Some(&b)),
            ),
            (
                simd.linear_backward_input(&dy, &w),
                reference.linear_backward_input(&dy, &w),
            ),
            (
                simd.linear_backward_weight(&x, &dy),
                reference.linear_backward_weight(&x, &dy),
            ),
        ];
        for (k, (got, want)) in pairs.into_iter().enumerate() {
            assert_close(
                &format!("linear ({n},{i},{o}) #{k}"),
                &got.expect("simd"),
                &want.expect("reference"),
                1e-5,
                1e-5,
            );
        }
    }
}

#[test]
fn errors_are_typed_not_panics() {
    let simd = SimdBackend::new();
    let mut rng = Rng::new(9);
    let p = Conv2dParams::new(3, 4, 5);
    let x = rng.tensor(&[1, 3, 4, 4]);
    let err = simd
        .conv2d_forward(&x, &rng.tensor(&p.weight_shape()), None, &p)
        .unwrap_err();
    assert!(
        err.to_string().contains("larger than the padded input"),
        "{err}"
    );
    let err = simd
        .conv2d_forward(&x, &rng.tensor(&[4, 3, 3, 3]), None, &p.padding(2))
        .unwrap_err();
    assert!(err.to_string().contains("conv2d weight"), "{err}");
}

#[test]
fn max_pool_simd_matches_reference_with_ties_and_nan() {
    use convscope::layers::Pool2dParams;
    use convscope::tensor::Tensor;
    let (reference, simd) = (ReferenceBackend, SimdBackend::new());
    // Few distinct values (many ties), two NaNs, odd sizes.
    let mut x = Tensor::from_fn(&[2, 3, 9, 7], |i| ((i * 7) % 5) as f32 - 2.0);
    x.data_mut()[10] = f32::NAN;
    x.data_mut()[200] = f32::NAN;
    for p in [
        Pool2dParams::new(2),
        Pool2dParams::new(3).stride(2).padding(1),
        Pool2dParams::new(3).stride(1).padding(1),
    ] {
        let (want, want_idx) = reference.max_pool2d_forward(&x, &p).expect("reference");
        let (got, got_idx) = simd.max_pool2d_forward(&x, &p).expect("simd");
        assert_eq!(got_idx, want_idx, "{p:?}");
        let same = got
            .data()
            .iter()
            .zip(want.data())
            .all(|(a, b)| a == b || (a.is_nan() && b.is_nan()));
        assert!(same, "{p:?}");
    }
}

#[test]
fn bias_gradient_and_max_pool_backward_match_reference() {
    use convscope::layers::Pool2dParams;
    let (reference, simd) = (ReferenceBackend, SimdBackend::new());
    let mut rng = Rng::new(10);
    // Planes shorter than, equal to and longer than the 8 partial sums, with a remainder.
    for shape in [[2, 3, 1, 1], [1, 2, 2, 4], [3, 5, 7, 9], [64, 10, 24, 24]] {
        let dy = rng.tensor(&shape);
        let want = reference.conv2d_backward_bias(&dy).expect("reference");
        let got = simd.conv2d_backward_bias(&dy).expect("simd");
        assert_close(&format!("bias {shape:?}"), &got, &want, 1e-4, 1e-5);
    }
    for (shape, p) in [
        ([2, 3, 9, 7], Pool2dParams::new(2)),
        ([2, 3, 9, 7], Pool2dParams::new(3).stride(2).padding(1)),
        // Overlapping windows: one input pixel collects several gradients.
        ([1, 2, 6, 5], Pool2dParams::new(3).stride(1).padding(1)),
    ] {
        let x = rng.tensor(&shape);
        let (y, argmax) = simd.max_pool2d_forward(&x, &p).expect("forward");
        let dy = rng.tensor(y.shape());
        let want = reference
            .max_pool2d_backward(&dy, &argmax, &p, shape)
            .expect("reference");
        let got = simd
            .max_pool2d_backward(&dy, &argmax, &p, shape)
            .expect("simd");
        assert_eq!(got.data(), want.data(), "{p:?}");
        // A bad index is an error, not a panic.
        let mut bad = argmax.clone();
        bad[0] = u32::MAX;
        assert!(simd.max_pool2d_backward(&dy, &bad, &p, shape).is_err());
    }
}
