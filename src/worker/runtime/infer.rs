//! The inference role: holds the lab's model (sent by the page whenever it changes) and answers
//! the lab's requests ([`crate::infer_protocol`]) with the core's own functions on the SIMD
//! backend, the same ones the page would call: `classifier::probabilities`, the model's
//! `feature_maps`, `explain::saliency::saliency`, and the core's `Evaluator` fed in the page's chunks (so even the mean loss,
//! summed chunk by chunk, is the same to the bit). The evaluation yields between chunks, so a
//! drawing's request waiting behind it is answered within a chunk's time.

use super::js;
use crate::infer_protocol::{FromInfer, MapLayer, ToInfer};
use convscope_core::backend::cpu::SimdBackend;
use convscope_core::explain::saliency;
use convscope_core::models::classifier::{self, Classifier};
use convscope_core::tensor::Tensor;
use convscope_core::train::data::Mnist;
use convscope_core::train::fit::Evaluator;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The model and the test set, once here.
#[derive(Default)]
struct State {
    model: Option<Rc<dyn Classifier>>,
    test: Option<Rc<Mnist>>,
}

/// Replaces the first-message handler with the inference worker's.
pub fn install() {
    let state = Rc::new(RefCell::new(State::default()));
    let handler =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let (msg, data) = js::open(&ev);
            match serde_json::from_str::<ToInfer>(&msg) {
                Ok(request) => handle(&state, request, data),
                Err(e) => web_sys::console::error_1(
                    &format!("convscope-worker: bad message {msg}: {e}").into(),
                ),
            }
        });
    js::scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
}

fn handle(state: &Rc<RefCell<State>>, request: ToInfer, data: Option<JsValue>) {
    let be = SimdBackend::new();
    let model = state.borrow().model.clone();
    let floats = || data.as_ref().map(js::read_floats).unwrap_or_default();
    match request {
        ToInfer::Serve => {}
        ToInfer::Model { kind, .. } => {
            let bytes = data.as_ref().map(js::read_bytes).unwrap_or_default();
            state.borrow_mut().model = kind.load(&bytes).ok().map(Rc::from);
        }
        ToInfer::Classify { id, n } => {
            let answer = model.ok_or_else(|| "no model".to_string()).and_then(|m| {
                let x = Tensor::new(&[n, 1, 28, 28], floats()).map_err(|e| e.to_string())?;
                classifier::probabilities(m.as_ref(), &be, &x).map_err(|e| e.to_string())
            });
            match answer {
                Ok(p) => js::post(&FromInfer::Probs { id }, Some(&js::floats(p.data()))),
                Err(message) => fail(id, message),
            }
        }
        ToInfer::Maps { id } => {
            let answer = model.ok_or_else(|| "no model".to_string()).and_then(|m| {
                let x = Tensor::new(&[1, 1, 28, 28], floats()).map_err(|e| e.to_string())?;
                m.feature_maps(&be, &x).map_err(|e| e.to_string())
            });
            match answer {
                Ok(layers) => {
                    let values = js::floats_from(layers.iter().map(|l| l.maps.data()));
                    let layers = layers
                        .into_iter()
                        .map(|l| MapLayer {
                            name: l.name,
                            shape: l.maps.shape().to_vec(),
                            made_by: l.made_by,
                        })
                        .collect();
                    js::post(&FromInfer::Maps { id, layers }, Some(&values));
                }
                Err(message) => fail(id, message),
            }
        }
        ToInfer::Saliency { id, class } => {
            let answer = model.ok_or_else(|| "no model".to_string()).and_then(|m| {
                let x = Tensor::new(&[1, 1, 28, 28], floats()).map_err(|e| e.to_string())?;
                saliency::saliency(&be, m.as_ref(), &x, class).map_err(|e| e.to_string())
            });
            match answer {
                Ok(s) => {
                    let values = js::floats_from([&s.logits[..], &s.grad[..]]);
                    js::post(
                        &FromInfer::Saliency {
                            id,
                            class: s.class,
                            max_abs_bits: s.max_abs.to_bits(),
                        },
                        Some(&values),
                    );
                }
                Err(message) => fail(id, message),
            }
        }
        ToInfer::Evaluate { id, chunk } => {
            let state = Rc::clone(state);
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(message) = evaluate(&state, model, id, chunk.max(1)).await {
                    fail(id, message);
                }
            });
        }
    }
}

fn fail(id: u64, message: impl Into<String>) {
    js::post(
        &FromInfer::Failed {
            id,
            message: message.into(),
        },
        None,
    );
}

async fn evaluate(
    state: &Rc<RefCell<State>>,
    model: Option<Rc<dyn Classifier>>,
    id: u64,
    chunk: usize,
) -> Result<(), String> {
    let model = model.ok_or("no model")?;
    let kept = state.borrow().test.clone();
    let test = match kept {
        Some(t) => t,
        None => {
            let t = Rc::new(crate::fetch::load_mnist("t10k", |_| {}).await?);
            state.borrow_mut().test = Some(Rc::clone(&t));
            t
        }
    };
    let be = SimdBackend::new();
    let mut evaluator = Evaluator::new();
    let n = test.len();
    for start in (0..n).step_by(chunk) {
        let indices: Vec<usize> = (start..(start + chunk).min(n)).collect();
        evaluator
            .add(&be, model.as_ref(), &test, &indices)
            .map_err(|e| e.to_string())?;
        let fraction = (start + indices.len()) as f64 / n as f64;
        js::post(&FromInfer::Progress { id, fraction }, None);
        js::yield_now().await;
    }
    js::post(
        &FromInfer::Evaluated {
            id,
            figures: Box::new(evaluator.evaluation().into()),
        },
        None,
    );
    Ok(())
}
