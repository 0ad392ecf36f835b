//! Every op against golden values from PyTorch (tests/fixtures/golden.safetensors, written by
//! tests/fixtures/make_golden.py): forward outputs and every gradient, on both CPU backends,
//! within 1e-5 absolute error.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::assert_close;
use convscope::backend::Backend;
use convscope::backend::cpu::{ReferenceBackend, SimdBackend};
use convscope::layers::{Conv2dParams, ConvTranspose2dParams, Pool2dParams};
use convscope::tensor::Tensor;
use safetensors::SafeTensors;
use serde_json::Value;
use std::collections::BTreeMap;

const TOL: f32 = 1e-5;

struct Golden {
    bytes: Vec<u8>,
}

impl Golden {
    fn load() -> Self {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/golden.safetensors"
        );
        Self {
            bytes: std::fs::read(path).expect("read golden.safetensors"),
        }
    }

    fn cases(&self) -> BTreeMap<String, Value> {
        let (_, meta) = SafeTensors::read_metadata(&self.bytes).expect("header");
        meta.metadata()
            .as_ref()
            .expect("metadata")
            .iter()
            .filter(|(k, _)| *k != "torch_version")
            .map(|(k, v)| (k.clone(), serde_json::from_str(v).expect("case JSON")))
            .collect()
    }

    fn tensor(&self, case: &str, key: &str) -> Tensor {
        let st = SafeTensors::deserialize(&self.bytes).expect("safetensors");
        let view = st
            .tensor(&format!("{case}.{key}"))
            .unwrap_or_else(|e| panic!("{case}.{key}: {e}"));
        let data = view
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        Tensor::new(view.shape(), data).expect("shape")
    }

    fn has(&self, case: &str, key: &str) -> bool {
        SafeTensors::deserialize(&self.bytes)
            .expect("safetensors")
            .tensor(&format!("{case}.{key}"))
            .is_ok()
    }
}

fn pair(v: &Value, key: &str) -> (usize, usize) {
    let a = v[key].as_array().unwrap_or_else(|| panic!("{key}"));
    (
        a[0].as_u64().expect("int") as usize,
        a[1].as_u64().expect("int") as usize,
    )
}

fn backends() -> Vec<Box<dyn Backend>> {
    vec![Box::new(ReferenceBackend), Box::new(SimdBackend::new())]
}

fn conv_params(v: &Value) -> Conv2dParams {
    Conv2dParams {
        in_channels: v["in_channels"].as_u64().expect("in") as usize,
        out_channels: v["out_channels"].as_u64().expect("out") as usize,
        kernel: pair(v, "kernel"),
        stride: pair(v, "stride"),
        padding: pair(v, "padding"),
        dilation: pair(v, "dilation"),
        groups: v["groups"].as_u64().expect("groups") as usize,
        bias: v["bias"].as_bool().expect("bias"),
    }
}

#[test]
fn conv2d_forward_and_gradients_match_pytorch() {
    let g = Golden::load();
    let cases: Vec<_> = g
        .cases()
        .into_iter()
        .filter(|(_, v)| v["op"] == "conv2d")
        .collect();
    assert!(cases.len() >= 12, "only {} conv cases", cases.len());
    for backend in backends() {
        for (name, v) in &cases {
            let p = conv_params(v);
            let what = |t: &str| format!("{} {name} {t}", backend.name());
            let (x, w, dy) = (
                g.tensor(name, "x"),
                g.tensor(name, "w"),
                g.tensor(name, "dy"),
            );
            let b = p.bias.then(|| g.tensor(name, "b"));
            let y = backend
                .conv2d_forward(&x, &w, b.as_ref(), &p)
                .expect("forward");
            assert_close(&what("y"), &y, &g.tensor(name, "y"), TOL, 0.0);
            let hw = (x.shape()[2], x.shape()[3]);
            let dx = backend
                .conv2d_backward_input(&dy, &w, &p, hw)
                .expect("backward input");
            assert_close(&what("dx"), &dx, &g.tensor(name, "dx"), TOL, 0.0);
            let dw = backend
                .conv2d_backward_weight(&x, &dy, &p)
                .expect("backward weight");
            assert_close(&what("dw"), &dw, &g.tensor(name, "dw"), TOL, 0.0);
            if p.bias {
                let db = backend.conv2d_backward_bias(&dy).expect("backward bias");
                assert_close(&what("db"), &db, &g.tensor(name, "db"), TOL, 0.0);
            }
        }
    }
}

#[test]
fn conv_transpose2d_matches_pytorch() {
    let g = Golden::load();
    let cases: Vec<_> = g
        .cases()
        .into_iter()
        .filter(|(_, v)| v["op"] == "conv_transpose2d")
        .collect();
    assert!(!cases.is_empty(), "no conv_transpose2d cases");
    for (name, v) in cases {
        let c = conv_params(&v);
        let p = ConvTranspose2dParams {
            in_channels: c.in_channels,
            out_channels: c.out_channels,
            kernel: c.kernel,
            stride: c.stride,
            padding: c.padding,
            output_padding: pair(&v, "output_padding"),
            dilation: c.dilation,
            groups: c.groups,
            bias: true,
        };
        for backend in backends() {
            let (x, w, b) = (
                g.tensor(&name, "x"),
                g.tensor(&name, "w"),
                g.tensor(&name, "b"),
            );
            let y = backend
                .conv_transpose2d_forward(&x, &w, Some(&b), &p)
                .expect("forward");
            assert_close(
                &format!("{} {name} y", backend.name()),
                &y,
                &g.tensor(&name, "y"),
                TOL,
                TOL,
            );
        }
    }
}

#[test]
fn pooling_matches_pytorch() {
    let g = Golden::load();
    let cases: Vec<_> = g
        .cases()
        .into_iter()
        .filter(|(_, v)| v["op"].as_str().is_some_and(|s| s.ends_with("pool2d")))
        .collect();
    assert!(cases.len() >= 6);
    for backend in backends() {
        for (name, v) in &cases {
            let p = Pool2dParams {
                kernel: pair(v, "kernel"),
                stride: pair(v, "stride"),
                padding: pair(v, "padding"),
            };
            let (x, dy) = (g.tensor(name, "x"), g.tensor(name, "dy"));
            let shape = x.dims4("x").expect("4-D");
            let what = |t: &str| format!("{} {name} {t}", backend.name());
            let (y, dx) = if v["op"] == "max_pool2d" {
                let (y, argmax) = backend.max_pool2d_forward(&x, &p).expect("forward");
                let want: Vec<u32> = g
                    .tensor(name, "argmax")
                    .data()
                    .iter()
                    .map(|&i| i as u32)
                    .collect();
                assert_eq!(argmax, want, "{}", what("argmax"));
                (
                    y,
                    backend
                        .max_pool2d_backward(&dy, &argmax, &p, shape)
                        .expect("backward"),
                )
            } else {
                let y = backend.avg_pool2d_forward(&x, &p).expect("forward");
                (
                    y,
                    backend
                        .avg_pool2d_backward(&dy, &p, shape)
                        .expect("backward"),
                )
            };
            assert_close(&what("y"), &y, &g.tensor(name, "y"), TOL, 0.0);
            assert_close(&what("dx"), &dx, &g.tensor(name, "dx"), TOL, 0.0);
        }
    }
}

#[test]
fn lesson_max_pool_example() {
    // MaxPool2d(2) on [3,4,6,5; 2,4,6,8; 1,6,7,8; 9,7,4,6] gives [[4,8],[9,8]].
    let g = Golden::load();
    let y = g.tensor("maxpool_lesson", "y");
    assert_eq!(y.data(), &[4.0, 8.0, 9.0, 8.0]);
    let (ours, _) = ReferenceBackend
        .max_pool2d_forward(&g.tensor("maxpool_lesson", "x"), &Pool2dParams::new(2))
        .expect("pool");
    assert_eq!(ours.data(), &[4.0, 8.0, 9.0, 8.0]);
}

#[test]
fn linear_matches_pytorch() {
    let g = Golden::load();
    let cases: Vec<_> = g
        .cases()
        .into_iter()
        .filter(|(_, v)| v["op"] == "linear")
        .collect();
    assert!(!cases.is_empty(), "no linear cases");
    for (name, _) in cases {
        for backend in backends() {
            let what = |t: &str| format!("{} {name} {t}", backend.name());
            let (x, w, b, dy) = (
                g.tensor(&name, "x"),
                g.tensor(&name, "w"),
                g.tensor(&name, "b"),
                g.tensor(&name, "dy"),
            );
            assert_close(
                &what("y"),
                &backend.linear_forward(&x, &w, Some(&b)).expect("fwd"),
                &g.tensor(&name, "y"),
                TOL,
                TOL,
            );
            assert_close(
                &what("dx"),
                &backend.linear_backward_input(&dy, &w).expect("dx"),
                &g.tensor(&name, "dx"),
                TOL,
                TOL,
            );
            assert_close(
                &what("dw"),
                &backend.linear_backward_weight(&x, &dy).expect("dw"),
                &g.tensor(&name, "dw"),
                TOL,
                TOL,
            );
            assert_close(
                &what("db"),
                &backend.linear_backward_bias(&dy).expect("db"),
                &g.tensor(&name, "db"),
                TOL,
                TOL,
            );
        }
    }
    assert!(g.has("linear_net_fc", "w"));
}

#[test]
fn cross_entropy_matches_pytorch() {
    let g = Golden::load();
    let logits = g.tensor("cross_entropy", "logits");
    let targets: Vec<usize> = g
        .tensor("cross_entropy", "targets")
        .data()
        .iter()
        .map(|&t| t as usize)
        .collect();
    for backend in backends() {
        let logp = backend.log_softmax_forward(&logits).expect("log_softmax");
        assert_close(
            "log_softmax",
            &logp,
            &g.tensor("cross_entropy", "log_probs"),
            TOL,
            0.0,
        );
        let loss = backend.nll_loss_forward(&logp, &targets).expect("nll");
        let want = g.tensor("cross_entropy", "loss").data()[0];
        assert!((loss - want).abs() <= TOL, "loss {loss} vs {want}");
        let grad = backend
            .log_softmax_nll_backward(&logp, &targets)
            .expect("grad");
        assert_close(
            "dlogits",
            &grad,
            &g.tensor("cross_entropy", "dlogits"),
            TOL,
            0.0,
        );
    }
}
