//! "Why this answer?" against PyTorch (`tests/fixtures/make_why_golden.py`): for the shipped
//! weights of the three models (`www/models/*.safetensors`) and MNIST test digit 0, the
//! saliency map of every class (`torch.autograd.grad` of the logit with respect to the input)
//! and the occlusion drops of every class for squares of 4 and 8 pixels moved by 2, on both
//! CPU backends.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::assert_close;
use convscope::backend::Backend;
use convscope::backend::cpu::{ReferenceBackend, SimdBackend};
use convscope::explain::saliency::{OcclusionPlan, occlusion, saliency};
use convscope::models::classifier::ModelKind;
use convscope::tensor::Tensor;

/// Absolute part of the tolerance (the maps are O(0.1 … 1); PyTorch's float32 sums differ from
/// ours by a few ULPs).
const TOL: f32 = 2e-5;
/// Relative part.
const REL: f32 = 1e-4;

#[test]
fn saliency_and_occlusion_match_pytorch_for_the_shipped_models() {
    let g = common::fixture_tensors("why_golden.safetensors");
    let x = g["x"].clone();
    let test = common::mnist("t10k");
    let (digit, _) = test.batch(&[0]);
    assert_eq!(
        digit, x,
        "the fixture's digit is test digit 0 as the app normalises it"
    );
    let backends: [&dyn Backend; 2] = [&ReferenceBackend, &SimdBackend::new()];
    for kind in ModelKind::ALL {
        let name = kind.name();
        let bytes = std::fs::read(format!(
            "{}/www/models/{name}.safetensors",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("shipped weights");
        let model = kind.load(&bytes).expect("load");
        let want_sal = &g[&format!("{name}.saliency")];
        for be in backends {
            for class in 0..10 {
                let s = saliency(be, model.as_ref(), &x, class).expect("saliency");
                let got = Tensor::new(&[28, 28], s.grad).expect("shape");
                let want = Tensor::new(&[28, 28], want_sal.data()[class * 784..][..784].to_vec())
                    .expect("shape");
                assert_close(&format!("{name} saliency {class}"), &got, &want, TOL, REL);
                let logits = Tensor::new(&[1, 10], s.logits).expect("shape");
                assert_close(
                    &format!("{name} logits"),
                    &logits,
                    &g[&format!("{name}.logits")],
                    TOL,
                    REL,
                );
            }
            for patch in [4, 8] {
                let plan = OcclusionPlan::new(patch, 2).expect("plan");
                let occ = occlusion(be, model.as_ref(), &x, plan).expect("occlusion");
                let want = &g[&format!("{name}.occ{patch}")];
                let n = plan.positions();
                for class in 0..10 {
                    let got = Tensor::new(&[n], occ.drops(class)).expect("shape");
                    let w =
                        Tensor::new(&[n], want.data()[class * n..][..n].to_vec()).expect("shape");
                    assert_close(
                        &format!("{name} occlusion {patch} {class}"),
                        &got,
                        &w,
                        TOL,
                        REL,
                    );
                }
            }
        }
    }
}
