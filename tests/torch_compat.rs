//! Weights move between PyTorch and convscope unchanged, both ways (fixtures from
//! tests/fixtures/make_torch_compat.py):
//! - a `state_dict` PyTorch saved with `safetensors.torch.save_file` loads into convscope's `Net`
//!   and gives PyTorch's logits;
//! - weights convscope's CLI saved load into PyTorch's `Net` (strict), and PyTorch's logits
//!   from them equal convscope's.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::assert_close;
use convscope::backend::Backend;
use convscope::backend::cpu::{ReferenceBackend, SimdBackend};
use convscope::models::Net;
use convscope::tensor::Tensor;
use safetensors::SafeTensors;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn tensor(bytes: &[u8], name: &str) -> Tensor {
    let st = SafeTensors::deserialize(bytes).expect("safetensors");
    let view = st.tensor(name).expect("tensor");
    let data = view
        .data()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Tensor::new(view.shape(), data).expect("shape")
}

#[test]
fn pytorch_state_dict_loads_and_matches() {
    let compat = fixture("torch_compat.safetensors");
    let net = Net::from_safetensors(&fixture("torch_net.safetensors"))
        .expect("PyTorch's state_dict loads");
    let x = tensor(&compat, "input");
    let want = tensor(&compat, "torch_net_logits");
    let backends: [&dyn Backend; 2] = [&ReferenceBackend, &SimdBackend::new()];
    for be in backends {
        let logits = net.forward(be, &x).expect("forward").logits;
        assert_close(&format!("{} logits", be.name()), &logits, &want, 1e-5, 1e-5);
    }
}

#[test]
fn convscope_weights_load_into_pytorch() {
    let compat = fixture("torch_compat.safetensors");
    let net = Net::from_safetensors(&fixture("convscope_net.safetensors")).expect("our file loads");
    let logits = net
        .forward(&SimdBackend::new(), &tensor(&compat, "input"))
        .expect("forward")
        .logits;
    assert_close(
        "logits vs PyTorch's from our weights",
        &logits,
        &tensor(&compat, "convscope_net_logits"),
        1e-5,
        1e-5,
    );
    // Saving again reproduces the same tensors under the same names.
    let again = Net::from_safetensors(&net.to_safetensors(None).expect("save")).expect("reload");
    assert_eq!(again, net);
}
