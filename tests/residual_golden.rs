//! The residual network and block against PyTorch's autograd
//! (`tests/fixtures/make_residual_golden.py`): logits, loss and every parameter's gradient of
//! the course's ResNet, and a block's output and gradients with and without its skip
//! connection, on both CPU backends.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::assert_close;
use convscope::backend::Backend;
use convscope::backend::cpu::{ReferenceBackend, SimdBackend};
use convscope::models::classifier::{Classifier, Trainable};
use convscope::models::modules::Conv;
use convscope::models::residual::{ResNet, ResidualBlock};
use convscope::tensor::Tensor;
use std::collections::HashMap;

/// Absolute tolerance, as for the single ops (`golden_pytorch.rs`).
const TOL: f32 = 1e-5;
/// Relative part: PyTorch's own float32 sums differ by about this much from exact ones.
const REL: f32 = 1e-5;

fn golden() -> HashMap<String, Tensor> {
    common::fixture_tensors("residual_golden.safetensors")
}

fn take(g: &HashMap<String, Tensor>, name: &str) -> Tensor {
    g.get(name)
        .unwrap_or_else(|| panic!("fixture has {name}"))
        .clone()
}

fn block_from(g: &HashMap<String, Tensor>, prefix: &str, c: usize, skip: bool) -> ResidualBlock {
    let mut rng = rand::SeedableRng::seed_from_u64(0);
    let mut b = ResidualBlock::new(&mut rng, c, skip);
    let set = |conv: &mut Conv, name: &str| {
        conv.weight = take(g, &format!("{prefix}{name}.weight"));
        conv.bias = take(g, &format!("{prefix}{name}.bias"));
    };
    set(&mut b.conv1, "conv1");
    set(&mut b.conv2, "conv2");
    b
}

#[test]
fn resnet_logits_loss_and_gradients_match_pytorch() {
    let g = golden();
    let mut net = ResNet::new(0);
    for (name, param) in ResNet::NAMES.iter().zip(net.params_mut()) {
        *param = take(&g, &format!("net.{name}"));
    }
    let x = take(&g, "x");
    let targets: Vec<usize> = take(&g, "targets")
        .data()
        .iter()
        .map(|&t| t as usize)
        .collect();
    let backends: [&dyn Backend; 2] = [&ReferenceBackend, &SimdBackend::new()];
    for be in backends {
        let acts = net.forward(be, &x).expect("forward");
        assert_close("logits", &acts.logits, &take(&g, "logits"), TOL, REL);
        let log_probs = be.log_softmax_forward(&acts.logits).expect("log_softmax");
        let loss = be.nll_loss_forward(&log_probs, &targets).expect("loss");
        assert!(
            (loss - take(&g, "loss").data()[0]).abs() < 1e-5,
            "loss {loss}"
        );
        let dlogits = be
            .log_softmax_nll_backward(&log_probs, &targets)
            .expect("dlogits");
        let grads = net.backward(be, &acts, &dlogits).expect("backward");
        assert_eq!(
            grads.len(),
            ResNet::NAMES.len(),
            "one gradient per parameter"
        );
        for (name, grad) in ResNet::NAMES.iter().zip(&grads) {
            assert_close(name, grad, &take(&g, &format!("grad.{name}")), TOL, REL);
        }
    }
}

#[test]
fn a_block_with_and_without_its_skip_matches_pytorch() {
    let g = golden();
    for (tag, skip) in [("block", true), ("plain", false)] {
        let block = block_from(&g, &format!("{tag}."), 4, skip);
        let x = take(&g, &format!("{tag}.x"));
        let dy = take(&g, &format!("{tag}.dy"));
        let backends: [&dyn Backend; 2] = [&ReferenceBackend, &SimdBackend::new()];
        for be in backends {
            let acts = block.forward(be, &x).expect("forward");
            assert_close(
                &format!("{tag} y"),
                &acts.y,
                &take(&g, &format!("{tag}.y")),
                TOL,
                REL,
            );
            let (dx, grads) = block.backward(be, &acts, &dy).expect("backward");
            assert_close(
                &format!("{tag} dx"),
                &dx,
                &take(&g, &format!("{tag}.dx")),
                TOL,
                REL,
            );
            let names = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"];
            assert_eq!(
                grads.len(),
                names.len(),
                "{tag}: one gradient per parameter"
            );
            for (name, grad) in names.iter().zip(&grads) {
                assert_close(
                    name,
                    grad,
                    &take(&g, &format!("{tag}.grad.{name}")),
                    TOL,
                    REL,
                );
            }
        }
    }
}
