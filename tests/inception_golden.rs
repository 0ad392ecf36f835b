//! The course's Inception network against PyTorch's autograd
//! (`tests/fixtures/make_inception_golden.py`): parameter names (in `state_dict` order) and
//! count, logits, loss and every parameter's gradient, on both CPU backends.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::assert_close;
use convscope::backend::Backend;
use convscope::backend::cpu::{ReferenceBackend, SimdBackend};
use convscope::models::classifier::{Classifier, Trainable};
use convscope::models::inception_net::InceptionNet;
use convscope::tensor::Tensor;
use safetensors::SafeTensors;
use std::collections::HashMap;

#[test]
fn inception_net_matches_pytorch() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/inception_golden.safetensors"
    ))
    .expect("fixture");
    let (_, meta) = SafeTensors::read_metadata(&bytes).expect("header");
    let torch_names: Vec<String> = meta
        .metadata()
        .as_ref()
        .and_then(|m| m.get("names"))
        .expect("names")
        .split(',')
        .map(String::from)
        .collect();
    let g: HashMap<String, Tensor> = common::fixture_tensors("inception_golden.safetensors");
    let take = |name: &str| {
        g.get(name)
            .unwrap_or_else(|| panic!("fixture has {name}"))
            .clone()
    };

    let mut net = InceptionNet::new(0);
    let names: Vec<String> = net.named().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, torch_names, "state_dict names and order");
    assert_eq!(net.param_count() as f32, take("param_count").data()[0]);
    for (name, param) in names.iter().zip(net.params_mut()) {
        let t = take(&format!("net.{name}"));
        assert_eq!(t.shape(), param.shape(), "{name}");
        *param = t;
    }
    let x = take("x");
    let targets: Vec<usize> = take("targets").data().iter().map(|&t| t as usize).collect();
    let backends: [&dyn Backend; 2] = [&ReferenceBackend, &SimdBackend::new()];
    for be in backends {
        let acts = net.forward(be, &x).expect("forward");
        assert_close("logits", &acts.logits, &take("logits"), 1e-5, 1e-5);
        let log_probs = be.log_softmax_forward(&acts.logits).expect("log_softmax");
        let loss = be.nll_loss_forward(&log_probs, &targets).expect("loss");
        assert!((loss - take("loss").data()[0]).abs() < 1e-5, "loss {loss}");
        let dlogits = be
            .log_softmax_nll_backward(&log_probs, &targets)
            .expect("dlogits");
        let grads = net.backward(be, &acts, &dlogits).expect("backward");
        assert_eq!(grads.len(), names.len());
        for (name, grad) in names.iter().zip(&grads) {
            // 1e-5 absolute, plus 1e-5 relative where PyTorch's float32 sums differ.
            assert_close(name, grad, &take(&format!("grad.{name}")), 1e-5, 1e-5);
        }
    }
}
