//! The lesson's "deeper is not always better", deterministically: trained side by side on the
//! same MNIST batches from the same initial weights, a plain stack of 16 3 × 3 convolutions is
//! still at chance after a few dozen steps while the same stack with residual connections has
//! learned; and the plain stack's gradient fades layer by layer while the residual one's does
//! not. No timing is involved: fixed seeds, fixed steps.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::mnist;
use convscope::backend::Backend;
use convscope::backend::cpu::SimdBackend;
use convscope::models::classifier::GradientProbe;
use convscope::models::deep_stack::DeepStack;
use convscope::train::depth::{self, DepthSettings};

#[test]
fn a_deep_plain_stack_trains_worse_than_the_same_stack_with_skips() {
    let (train, test) = (mnist("train"), mnist("t10k"));
    let settings = DepthSettings {
        depth: 16,
        steps: 60,
        batch: 32,
        every: 20,
        test_n: 200,
        seed: 1,
    };
    let simd = || Box::new(SimdBackend::new()) as Box<dyn Backend>;
    let [plain, residual] = depth::run(settings, &train, &test, &simd).expect("run");
    let last = |arm: &depth::Arm| arm.train.last().expect("points").1;
    assert!(
        last(&plain) > 2.2 && last(&residual) < last(&plain) - 0.5,
        "plain {:?}\nresidual {:?}",
        plain.train,
        residual.train
    );
    assert!(residual.accuracy > plain.accuracy + 20.0);
}

#[test]
fn gradients_fade_through_a_plain_stack_and_survive_with_skips() {
    let train = mnist("t10k");
    let be = SimdBackend::new();
    let (x, y) = train.batch(&(0..16).collect::<Vec<_>>());
    let magnitudes = |residual: bool| {
        DeepStack::new(16, residual, 1)
            .block_gradients(&be, &x, &y)
            .expect("probe")
    };
    // Mean |∂L/∂input| of each block, from the top block (next to the loss) to the bottom.
    let (plain, res) = (magnitudes(false), magnitudes(true));
    let ratio = |m: &[f32]| m[m.len() - 1] / m[0];
    assert!(ratio(&plain) < 1e-3, "plain: {plain:?}");
    assert!(ratio(&res) > 0.1, "residual: {res:?}");
}
