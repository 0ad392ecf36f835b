//! Finite-difference checks of every backward op, on the reference and the SIMD backend: for a
//! random upstream gradient `r`, the loss `L = Σ y·r` has `∂L/∂input` equal to the op's
//! backward, and central differences `(L(v+ε) − L(v−ε)) / 2ε` must agree at sampled
//! coordinates. The same for whole models: the depth experiment's deep stacks
//! (`DeepStack::backward`, plain and residual), every parameter.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::Rng;
use convscope::backend::Backend;
use convscope::backend::cpu::{ReferenceBackend, SimdBackend};
use convscope::layers::{Conv2dParams, ConvTranspose2dParams, Pool2dParams};
use convscope::tensor::Tensor;

const EPS: f32 = 1e-2;

/// Runs `check` on the reference backend and on the SIMD backend.
fn on_both_backends(check: impl Fn(&dyn Backend)) {
    check(&ReferenceBackend);
    check(&SimdBackend::new());
}

fn dot(y: &Tensor, r: &Tensor) -> f64 {
    y.data()
        .iter()
        .zip(r.data())
        .map(|(a, b)| *a as f64 * *b as f64)
        .sum()
}

/// Checks `analytic` (∂L/∂v) against central differences of `loss` at up to 40 coordinates.
fn check(what: &str, v: &Tensor, analytic: &Tensor, loss: impl Fn(&Tensor) -> f64) {
    assert_eq!(v.shape(), analytic.shape(), "{what}: gradient shape");
    let step = (v.len() / 40).max(1);
    for i in (0..v.len()).step_by(step) {
        let mut plus = v.clone();
        plus.data_mut()[i] += EPS;
        let mut minus = v.clone();
        minus.data_mut()[i] -= EPS;
        let numeric = (loss(&plus) - loss(&minus)) / (2.0 * EPS as f64);
        let got = analytic.data()[i] as f64;
        assert!(
            (numeric - got).abs() <= 2e-3 + 2e-3 * got.abs(),
            "{what}[{i}]: analytic {got}, numeric {numeric}"
        );
    }
}

#[test]
fn conv2d_gradients() {
    on_both_backends(conv2d_gradients_on);
}

fn conv2d_gradients_on(be: &dyn Backend) {
    let cases = [
        Conv2dParams::new(2, 3, 3),
        Conv2dParams::new(3, 2, 3).stride(2).padding(1),
        Conv2dParams::new(4, 4, 3).dilation(2).padding(2).groups(2),
        Conv2dParams::new(2, 2, 2)
            .kernel_hw(2, 3)
            .stride(2)
            .bias(false),
    ];
    let mut rng = Rng::new(1);
    for p in cases {
        let x = rng.tensor(&[2, p.in_channels, 7, 6]);
        let w = rng.tensor(&p.weight_shape());
        let b = rng.tensor(&[p.out_channels]);
        let bias = p.bias.then_some(&b);
        let y = be.conv2d_forward(&x, &w, bias, &p).expect("forward");
        let r = rng.tensor(y.shape());
        let dx = be.conv2d_backward_input(&r, &w, &p, (7, 6)).expect("dx");
        check(&format!("{p:?} dx"), &x, &dx, |x| {
            dot(&be.conv2d_forward(x, &w, bias, &p).expect("f"), &r)
        });
        let dw = be.conv2d_backward_weight(&x, &r, &p).expect("dw");
        check(&format!("{p:?} dw"), &w, &dw, |w| {
            dot(&be.conv2d_forward(&x, w, bias, &p).expect("f"), &r)
        });
        if p.bias {
            let db = be.conv2d_backward_bias(&r).expect("db");
            check(&format!("{p:?} db"), &b, &db, |b| {
                dot(&be.conv2d_forward(&x, &w, Some(b), &p).expect("f"), &r)
            });
        }
    }
}

#[test]
fn conv_transpose2d_is_the_adjoint_of_conv2d() {
    on_both_backends(conv_transpose2d_is_the_adjoint_of_conv2d_on);
}

fn conv_transpose2d_is_the_adjoint_of_conv2d_on(be: &dyn Backend) {
    // ⟨conv(x), y⟩ = ⟨x, conv_transpose(y)⟩ for the same weights.
    let mut rng = Rng::new(2);
    let mut t = ConvTranspose2dParams::new(3, 4, 3);
    t.stride = (2, 2);
    t.padding = (1, 1);
    t.bias = false;
    let conv = t.as_conv();
    let x = rng.tensor(&[2, 4, 9, 9]);
    let w = rng.tensor(&t.weight_shape());
    let cx = be.conv2d_forward(&x, &w, None, &conv).expect("conv");
    let y = rng.tensor(cx.shape());
    let ty = be
        .conv_transpose2d_forward(&y, &w, None, &t)
        .expect("transpose");
    assert_eq!(ty.shape(), x.shape());
    let (lhs, rhs) = (dot(&cx, &y), dot(&x, &ty));
    assert!(
        (lhs - rhs).abs() < 1e-3 * lhs.abs().max(1.0),
        "{lhs} vs {rhs}"
    );
}

#[test]
fn pooling_gradients() {
    on_both_backends(pooling_gradients_on);
}

fn pooling_gradients_on(be: &dyn Backend) {
    let mut rng = Rng::new(3);
    for p in [
        Pool2dParams::new(2),
        Pool2dParams::new(3).stride(2).padding(1),
    ] {
        // Distinct, well-separated values keep each max unique under ±ε.
        let mut x = Tensor::from_fn(&[2, 2, 7, 7], |i| ((i * 37) % 196) as f32 * 0.05);
        x.data_mut()
            .iter_mut()
            .for_each(|v| *v += rng.next_f32() * 0.001);
        let shape = [2, 2, 7, 7];
        let (y, argmax) = be.max_pool2d_forward(&x, &p).expect("max");
        let r = rng.tensor(y.shape());
        let dx = be
            .max_pool2d_backward(&r, &argmax, &p, shape)
            .expect("max backward");
        check("max_pool2d dx", &x, &dx, |x| {
            dot(&be.max_pool2d_forward(x, &p).expect("f").0, &r)
        });
        let y = be.avg_pool2d_forward(&x, &p).expect("avg");
        let r = rng.tensor(y.shape());
        let dx = be.avg_pool2d_backward(&r, &p, shape).expect("avg backward");
        check("avg_pool2d dx", &x, &dx, |x| {
            dot(&be.avg_pool2d_forward(x, &p).expect("f"), &r)
        });
    }
}

#[test]
fn relu_linear_add_concat_gradients() {
    on_both_backends(relu_linear_add_concat_gradients_on);
}

fn relu_linear_add_concat_gradients_on(be: &dyn Backend) {
    let mut rng = Rng::new(4);
    // ReLU, away from the kink.
    let x = Tensor::from_fn(&[3, 5], |i| {
        if i % 3 == 0 {
            -0.5 - i as f32 * 0.1
        } else {
            0.3 + i as f32 * 0.1
        }
    });
    let y = be.relu_forward(&x).expect("relu");
    let r = rng.tensor(y.shape());
    let dx = be.relu_backward(&r, &y).expect("relu backward");
    check("relu dx", &x, &dx, |x| {
        dot(&be.relu_forward(x).expect("relu"), &r)
    });
    // Linear.
    let (x, w, b) = (rng.tensor(&[4, 6]), rng.tensor(&[3, 6]), rng.tensor(&[3]));
    let r = rng.tensor(&[4, 3]);
    let f = |x: &Tensor, w: &Tensor, b: &Tensor| {
        dot(&be.linear_forward(x, w, Some(b)).expect("linear"), &r)
    };
    check(
        "linear dx",
        &x,
        &be.linear_backward_input(&r, &w).expect("dx"),
        |x| f(x, &w, &b),
    );
    check(
        "linear dw",
        &w,
        &be.linear_backward_weight(&x, &r).expect("dw"),
        |w| f(&x, w, &b),
    );
    check(
        "linear db",
        &b,
        &be.linear_backward_bias(&r).expect("db"),
        |b| f(&x, &w, b),
    );
    // Add: the gradient reaches both operands unchanged.
    let (a, c) = (rng.tensor(&[2, 3, 2, 2]), rng.tensor(&[2, 3, 2, 2]));
    let r = rng.tensor(&[2, 3, 2, 2]);
    check("add da", &a, &r, |a| {
        dot(&be.add_forward(a, &c).expect("add"), &r)
    });
    // Concatenation: the gradient splits back.
    let (p, q) = (rng.tensor(&[2, 2, 3, 3]), rng.tensor(&[2, 3, 3, 3]));
    let r = rng.tensor(&[2, 5, 3, 3]);
    let parts = be.concat_channels_backward(&r, &[2, 3]).expect("split");
    check("cat dp", &p, &parts[0], |p| {
        dot(&be.concat_channels_forward(&[p, &q]).expect("cat"), &r)
    });
    check("cat dq", &q, &parts[1], |q| {
        dot(&be.concat_channels_forward(&[&p, q]).expect("cat"), &r)
    });
}

#[test]
fn cross_entropy_gradient() {
    on_both_backends(cross_entropy_gradient_on);
}

fn cross_entropy_gradient_on(be: &dyn Backend) {
    let mut rng = Rng::new(5);
    let logits = Tensor::from_fn(&[4, 10], |_| rng.next_f32() * 3.0);
    let targets = [3, 0, 9, 4];
    let logp = be.log_softmax_forward(&logits).expect("log_softmax");
    let grad = be.log_softmax_nll_backward(&logp, &targets).expect("grad");
    check("cross-entropy dlogits", &logits, &grad, |z| {
        be.nll_loss_forward(&be.log_softmax_forward(z).expect("ls"), &targets)
            .expect("nll") as f64
    });
}

/// `DeepStack::backward` (plain and residual, 4 convolutions in blocks): every parameter's
/// gradient of `L = Σ logits·r` against central differences of the whole forward pass, at
/// sampled coordinates, on both CPU backends; one gradient per parameter, one magnitude per
/// block.
#[test]
fn deep_stack_gradients() {
    on_both_backends(deep_stack_gradients_on);
}

fn deep_stack_gradients_on(be: &dyn Backend) {
    use convscope::models::classifier::Trainable;
    use convscope::models::deep_stack::DeepStack;
    let mut rng = Rng::new(6);
    let x = rng.tensor(&[2, 1, 28, 28]);
    let r = rng.tensor(&[2, 10]);
    for residual in [false, true] {
        let stack = DeepStack::new(4, residual, 7);
        let acts = stack.forward(be, &x).expect("forward");
        let (grads, magnitudes) = stack.backward(be, &acts, &r).expect("backward");
        let names: Vec<String> = stack.parameters().into_iter().map(|(n, _)| n).collect();
        assert_eq!(grads.len(), names.len(), "one gradient per parameter");
        assert_eq!(
            magnitudes.len(),
            stack.blocks.len(),
            "one magnitude per block"
        );
        for (i, (name, grad)) in names.iter().zip(&grads).enumerate() {
            let param = stack.parameters()[i].1.clone();
            let loss = |v: &Tensor| {
                let mut s = stack.clone();
                *s.parameters_mut()[i] = v.clone();
                let acts = s.forward(be, &x).expect("forward");
                dot(DeepStack::logits_of(&acts), &r)
            };
            check_sampled(
                &format!("{} residual {residual}: {name}", be.name()),
                &param,
                grad,
                loss,
            );
        }
    }
}

/// Like [`check`] at 6 coordinates, for a whole network. Given the other parameters, the
/// network is piecewise linear in each one, with many ReLU and max-pooling kinks; a difference
/// that straddles a kink is off, one within a linear piece is exact up to rounding. So the
/// gradient must match one of the central, forward or backward differences at steps 1e-3,
/// 3e-4 or 1e-4 (a wrong gradient matches none).
fn check_sampled(what: &str, v: &Tensor, analytic: &Tensor, loss: impl Fn(&Tensor) -> f64) {
    assert_eq!(v.shape(), analytic.shape(), "{what}: gradient shape");
    let step = (v.len() / 6).max(1);
    for i in (0..v.len()).step_by(step) {
        let at = |h: f32| {
            let mut moved = v.clone();
            moved.data_mut()[i] += h;
            loss(&moved)
        };
        let here = loss(v);
        let got = analytic.data()[i] as f64;
        let mut estimates = Vec::new();
        for h in [1e-3f32, 3e-4, 1e-4] {
            let (plus, minus, h) = (at(h), at(-h), h as f64);
            estimates.extend([
                (plus - minus) / (2.0 * h),
                (plus - here) / h,
                (here - minus) / h,
            ]);
        }
        assert!(
            estimates
                .iter()
                .any(|n| (n - got).abs() <= 2e-3 + 2e-3 * got.abs()),
            "{what}[{i}]: analytic {got}, numeric {estimates:?}"
        );
    }
}
