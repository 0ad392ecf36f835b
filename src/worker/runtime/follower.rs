//! A follower: computes the gradients of the shards its leader sends (with the parameters sent
//! alongside), sums them up the batch's tree as far as its group allows, and answers with the
//! sums. It keeps one model per kind, overwriting its parameters.

use super::js;
use crate::protocol::{FromFollower, ToFollower};
use convscope_core::backend::cpu::SimdBackend;
use convscope_core::models::classifier::{Classifier, ModelKind};
use convscope_core::tensor::Tensor;
use convscope_core::train::parallel::{ShardResult, group_sums};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Replaces the first-message handler with the follower's.
pub fn install() {
    let model: RefCell<Option<Box<dyn Classifier>>> = RefCell::new(None);
    let backend = SimdBackend::new();
    let handler =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let (msg, data) = js::open(&ev);
            let Ok(ToFollower::Shards {
                model: kind,
                first,
                sizes,
                targets,
            }) = serde_json::from_str::<ToFollower>(&msg)
            else {
                return;
            };
            let floats = data.as_ref().map(js::read_floats).unwrap_or_default();
            let mut model = model.borrow_mut();
            match compute(&mut model, &backend, kind, first, &sizes, &targets, &floats) {
                Ok(results) => {
                    // Every sum's gradients one after another.
                    let grads = results
                        .iter()
                        .flat_map(|r| r.grads.iter().map(|g| g.data()));
                    js::post(
                        &FromFollower::Results {
                            firsts: results.iter().map(|r| r.first).collect(),
                            shards: results.iter().map(|r| r.shards).collect(),
                            sizes: results.iter().map(|r| r.images).collect(),
                            losses: results.iter().map(|r| r.loss_sum).collect(),
                            correct: results.iter().map(|r| r.correct).collect(),
                        },
                        Some(&js::floats_from(grads)),
                    );
                }
                Err(message) => js::post(&FromFollower::Failed { message }, None),
            }
        });
    js::scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
}

/// The shards' sums (shards `first..`) for a model of `kind` with the parameters at the start
/// of `floats`.
fn compute(
    model: &mut Option<Box<dyn Classifier>>,
    be: &SimdBackend,
    kind: ModelKind,
    first: usize,
    sizes: &[usize],
    targets: &[usize],
    floats: &[f32],
) -> Result<Vec<ShardResult>, String> {
    if model.as_ref().and_then(|m| m.kind()) != Some(kind) {
        *model = Some(kind.build(0));
    }
    let model = model.as_mut().ok_or("no model")?;
    let mut at = 0;
    for p in model.params_mut() {
        let n = p.len();
        let values = floats.get(at..at + n).ok_or("too few parameters sent")?;
        p.data_mut().copy_from_slice(values);
        at += n;
    }
    let mut shards = Vec::with_capacity(sizes.len());
    let mut t = 0;
    for &size in sizes {
        let n = size * 784;
        let images = floats.get(at..at + n).ok_or("too few images sent")?;
        let x = Tensor::new(&[size, 1, 28, 28], images.to_vec()).map_err(|e| e.to_string())?;
        let y = targets
            .get(t..t + size)
            .ok_or("too few targets sent")?
            .to_vec();
        shards.push((x, y));
        at += n;
        t += size;
    }
    group_sums(model.as_ref(), be, &shards, first).map_err(|e| e.to_string())
}
