//! The inference role: holds the lab's model (sent by the page whenever it changes) and answers
//! the lab's requests ([`crate::infer_protocol`]) with the core's own functions on the SIMD
//! backend, the same ones the page would call: `classifier::probabilities`, the model's
//! `feature_maps`, `explain::saliency::saliency`, and the core's `Evaluator` fed in the page's chunks (so even the mean loss,
//! summed chunk by chunk, is the same to the bit). The evaluation yields between chunks, so a
//! drawing's request waiting behind it is answered within a chunk's time.
//!
//! WebGPU (issue 14, item 4): the worker opens a GPU device where it has `navigator.gpu`, and,
//! once per model kind, times the pad's single image and an evaluation chunk on WASM SIMD and
//! on the GPU ([`convscope_core::models::infer_choice`]); the page hears the timings
//! ([`FromInfer::Backends`]). A workload whose GPU timing won (or that the learner sent to the
//! GPU) runs as `models::gpu_forward`'s logits with the core's softmax, loss and counts on the
//! CPU. A GPU error ends its use: the request is answered on SIMD, and the page is told why.

use super::js;
use crate::infer_protocol::{FromInfer, MapLayer, ToInfer};
use convscope_core::backend::cpu::SimdBackend;
use convscope_core::backend::gpu::{GpuContext, GpuError};
use convscope_core::explain::saliency;
use convscope_core::models::classifier::{self, Classifier, ModelKind};
use convscope_core::models::gpu_forward::GpuForward;
use convscope_core::models::infer_choice::{
    self, EVAL_IMAGES, EVAL_RUNS, InferChoice, InferGpu, InferPreference, InferTiming,
    PROBE_IMAGES, TIMED_RUNS,
};
use convscope_core::tensor::Tensor;
use convscope_core::train::data::Mnist;
use convscope_core::train::fit::Evaluator;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The model and the test set, once here, and the GPU.
struct State {
    model: Option<Rc<dyn Classifier>>,
    /// The model's kind.
    kind: Option<ModelKind>,
    test: Option<Rc<Mnist>>,
    gpu: Gpu,
}

/// The GPU side of the worker.
struct Gpu {
    /// The device, once open (dropped when it fails).
    ctx: Option<Rc<GpuContext>>,
    /// What the page is told about it.
    status: InferGpu,
    /// The model's forward pass on it (rebuilt when the kind changes).
    forward: Option<Rc<GpuForward>>,
    /// The timings of `timed` models.
    choice: Option<InferChoice>,
    timed: Option<ModelKind>,
    /// A timing is under way.
    timing: bool,
    preference: InferPreference,
}

/// Replaces the first-message handler with the inference worker's.
pub fn install() {
    let state = Rc::new(RefCell::new(State {
        model: None,
        kind: None,
        test: None,
        gpu: Gpu {
            ctx: None,
            status: InferGpu::Opening,
            forward: None,
            choice: None,
            timed: None,
            timing: false,
            preference: InferPreference::default(),
        },
    }));
    let opening = Rc::clone(&state);
    wasm_bindgen_futures::spawn_local(async move { open_gpu(&opening).await });
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
            let model: Option<Rc<dyn Classifier>> = kind.load(&bytes).ok().map(Rc::from);
            {
                let mut s = state.borrow_mut();
                let keep = match (&s.gpu.forward, &model) {
                    (Some(f), Some(m)) if f.fits(m.as_ref()) => {
                        f.set_weights(m.as_ref());
                        true
                    }
                    _ => false,
                };
                if !keep {
                    s.gpu.forward = None;
                }
                s.model = model;
                s.kind = Some(kind);
            }
            time_if_new(state);
        }
        ToInfer::Prefer { preference } => state.borrow_mut().gpu.preference = preference,
        ToInfer::Classify { id, n } => {
            let x = model.ok_or_else(|| "no model".to_string()).and_then(|m| {
                let x = Tensor::new(&[n, 1, 28, 28], floats()).map_err(|e| e.to_string())?;
                Ok((m, x))
            });
            let (m, x) = match x {
                Ok(mx) => mx,
                Err(message) => return fail(id, message),
            };
            if let Some(forward) = gpu_for(state, n) {
                let state = Rc::clone(state);
                wasm_bindgen_futures::spawn_local(async move {
                    let logits = forward.logits(&x).await;
                    let answer = match logits {
                        Ok(l) => classifier::probabilities_of(&SimdBackend::new(), &l),
                        Err(e) => {
                            gpu_failed(&state, &e);
                            classifier::probabilities(m.as_ref(), &SimdBackend::new(), &x)
                        }
                    };
                    answer_probs(id, answer.map_err(|e| e.to_string()));
                });
            } else {
                let answer = classifier::probabilities(m.as_ref(), &be, &x);
                answer_probs(id, answer.map_err(|e| e.to_string()));
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

fn answer_probs(id: u64, answer: Result<Tensor, String>) {
    match answer {
        Ok(p) => js::post(&FromInfer::Probs { id }, Some(&js::floats(p.data()))),
        Err(message) => fail(id, message),
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
    time_eval(state, &model).await;
    let be = SimdBackend::new();
    let mut evaluator = Evaluator::new();
    let n = test.len();
    for start in (0..n).step_by(chunk) {
        let indices: Vec<usize> = (start..(start + chunk).min(n)).collect();
        let mut done = false;
        if let Some(forward) = gpu_for(state, indices.len()) {
            let (x, targets) = test.batch(&indices);
            match forward.logits(&x).await {
                Ok(logits) => {
                    evaluator
                        .add_logits(&be, &logits, &targets)
                        .map_err(|e| e.to_string())?;
                    done = true;
                }
                Err(e) => gpu_failed(state, &e),
            }
        }
        if !done {
            evaluator
                .add(&be, model.as_ref(), &test, &indices)
                .map_err(|e| e.to_string())?;
        }
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

/// The GPU forward pass for a request of `images` images, if the choice sends it there.
fn gpu_for(state: &Rc<RefCell<State>>, images: usize) -> Option<Rc<GpuForward>> {
    let s = state.borrow();
    let g = &s.gpu;
    let to_gpu = g
        .choice
        .as_ref()
        .filter(|_| g.timed == s.kind)
        .is_some_and(|c| c.use_gpu(images, g.preference));
    g.forward.clone().filter(|_| to_gpu)
}

/// Opens the worker's GPU device (or learns why there is none), then times the model if one
/// is here.
async fn open_gpu(state: &Rc<RefCell<State>>) {
    let has_api = js_sys::Reflect::get(&js::scope().navigator(), &"gpu".into())
        .is_ok_and(|g| !g.is_undefined() && !g.is_null());
    let status = if !has_api {
        Err("navigator.gpu is missing in this worker".to_string())
    } else {
        GpuContext::new()
            .await
            .map(Rc::new)
            .map_err(|e| e.to_string())
    };
    {
        let mut s = state.borrow_mut();
        match status {
            Ok(ctx) => {
                s.gpu.status = InferGpu::Ready(ctx.adapter.name.clone());
                s.gpu.ctx = Some(ctx);
            }
            Err(why) => s.gpu.status = InferGpu::Unavailable(why),
        }
    }
    time_if_new(state);
}

/// Starts timing the pad's workload if the model's kind has not been timed (once the GPU is
/// known).
fn time_if_new(state: &Rc<RefCell<State>>) {
    {
        let mut s = state.borrow_mut();
        let untimed = s.kind.is_some() && s.gpu.timed != s.kind;
        if s.gpu.timing || !untimed || s.model.is_none() || s.gpu.status == InferGpu::Opening {
            return;
        }
        s.gpu.timing = true;
    }
    let state = Rc::clone(state);
    wasm_bindgen_futures::spawn_local(async move {
        let kind = state.borrow().kind;
        let choice = time_pad(&state).await;
        let again = {
            let mut s = state.borrow_mut();
            s.gpu.timing = false;
            if let Some(c) = choice.clone() {
                s.gpu.choice = Some(c);
                s.gpu.timed = kind;
            }
            s.kind != kind
        };
        if let Some(c) = choice {
            tell(c);
        }
        if again {
            time_if_new(&state);
        }
    });
}

/// Tells the page the timings and the GPU's state.
fn tell(choice: InferChoice) {
    js::post(
        &FromInfer::Backends {
            choice: Box::new(choice),
        },
        None,
    );
}

/// A test pattern of `n` images (the timing does not depend on the values).
fn pattern(n: usize) -> Tensor {
    Tensor::from_fn(&[n, 1, 28, 28], |i| ((i * 7919) % 255) as f32 / 255.0 - 0.4)
}

/// The median milliseconds of `runs` runs of `run` after a warm-up one, yielding between runs
/// (so a stroke's request is answered meanwhile); stops early once a run takes more than
/// `give_up_ms` (one such run settles the choice).
async fn time_runs<F, R>(runs: usize, give_up_ms: f64, mut run: F) -> Result<f64, GpuError>
where
    F: FnMut() -> R,
    R: std::future::Future<Output = Result<(), GpuError>>,
{
    let mut samples = Vec::with_capacity(runs);
    for i in 0..=runs {
        let t = js::now_ms();
        run().await?;
        let ms = js::now_ms() - t;
        js::yield_now().await;
        if i > 0 {
            samples.push(ms);
            if ms > give_up_ms {
                break;
            }
        }
    }
    Ok(infer_choice::median(&mut samples))
}

/// [`time_runs`] of `model`'s logits of `x` on WASM SIMD.
async fn time_simd(model: &dyn Classifier, x: &Tensor, runs: usize) -> f64 {
    let be = SimdBackend::new();
    let timed = time_runs(runs, f64::INFINITY, || {
        let _ = model.logits(&be, x);
        std::future::ready(Ok(()))
    });
    timed.await.unwrap_or(f64::NAN)
}

/// [`time_runs`] of the GPU's logits of `x` (readback included), settled once a run is
/// [`infer_choice::CLEARLY`] times slower than `simd_ms`.
async fn time_gpu(
    forward: &GpuForward,
    x: &Tensor,
    runs: usize,
    simd_ms: f64,
) -> Result<f64, GpuError> {
    time_runs(runs, infer_choice::CLEARLY * simd_ms, || async {
        forward.logits(x).await.map(drop)
    })
    .await
}

/// Times the pad's single image on SIMD and, where open, on the GPU (whose forward pass is
/// kept for the answers). `None` without a model.
async fn time_pad(state: &Rc<RefCell<State>>) -> Option<InferChoice> {
    let (model, ctx) = {
        let s = state.borrow();
        (s.model.clone()?, s.gpu.ctx.clone())
    };
    let one = pattern(1);
    let simd_ms = time_simd(model.as_ref(), &one, TIMED_RUNS).await;
    let mut gpu_ms = None;
    if let Some(ctx) = ctx {
        let timed = async {
            let forward = Rc::new(GpuForward::new(ctx, model.as_ref())?);
            let ms = time_gpu(&forward, &one, TIMED_RUNS, simd_ms).await?;
            Ok::<_, GpuError>((forward, ms))
        };
        match timed.await {
            Ok((forward, ms)) => {
                let mut s = state.borrow_mut();
                // The model may have changed meanwhile: its weights, or its kind.
                match &s.model {
                    Some(m) if forward.fits(m.as_ref()) => {
                        forward.set_weights(m.as_ref());
                        s.gpu.forward = Some(forward);
                    }
                    _ => s.gpu.forward = None,
                }
                gpu_ms = Some(ms);
            }
            Err(e) => gpu_failed(state, &e),
        }
    }
    let gpu = state.borrow().gpu.status.clone();
    Some(InferChoice {
        pad: InferTiming {
            images: 1,
            simd_ms,
            gpu_ms,
            gpu_images: None,
        },
        eval: None,
        gpu,
    })
}

/// Before an evaluation: waits for the pad's timing (at most [`TIMING_WAIT_MS`]: a GPU that
/// never answers must not hold the evaluation up), then times an evaluation chunk on SIMD and,
/// where the GPU is in use, on it, if this model kind's evaluation is untimed.
async fn time_eval(state: &Rc<RefCell<State>>, model: &Rc<dyn Classifier>) {
    let since = js::now_ms();
    while state.borrow().gpu.timing {
        if js::now_ms() - since > TIMING_WAIT_MS {
            return;
        }
        js::sleep_ms(20).await;
    }
    let (kind, forward) = {
        let s = state.borrow();
        let untimed =
            s.gpu.timed == s.kind && s.gpu.choice.as_ref().is_some_and(|c| c.eval.is_none());
        if !untimed {
            return;
        }
        (s.kind, s.gpu.forward.clone())
    };
    let chunk = pattern(EVAL_IMAGES);
    // Without a GPU there is nothing to choose: one run gives the evaluation's scale.
    let runs = if forward.is_some() { EVAL_RUNS } else { 1 };
    let simd_ms = time_simd(model.as_ref(), &chunk, runs).await;
    let (mut gpu_ms, mut gpu_images) = (None, None);
    if let Some(forward) = forward {
        // The pad's timing compiled the pipelines: the probe needs no warm-up.
        let probe = async {
            let t = js::now_ms();
            forward.logits(&pattern(PROBE_IMAGES)).await?;
            let probe_ms = js::now_ms() - t;
            if probe_ms > infer_choice::CLEARLY * simd_ms {
                return Ok((probe_ms, Some(PROBE_IMAGES)));
            }
            Ok::<_, GpuError>((time_gpu(&forward, &chunk, EVAL_RUNS, simd_ms).await?, None))
        };
        match probe.await {
            Ok((ms, images)) => (gpu_ms, gpu_images) = (Some(ms), images),
            Err(e) => gpu_failed(state, &e),
        }
    }
    let choice = {
        let mut s = state.borrow_mut();
        if s.kind != kind {
            return;
        }
        let gpu = s.gpu.status.clone();
        s.gpu.choice.as_mut().map(|c| {
            c.eval = Some(InferTiming {
                images: EVAL_IMAGES,
                simd_ms,
                gpu_ms,
                gpu_images,
            });
            c.gpu = gpu;
            c.clone()
        })
    };
    if let Some(c) = choice {
        tell(c);
    }
}

/// The longest an evaluation waits for the pad's timing to end, in milliseconds (then it runs
/// on WASM SIMD, untimed).
const TIMING_WAIT_MS: f64 = 5000.0;

/// The GPU failed: its use ends (the requests go to SIMD), and the page is told why.
fn gpu_failed(state: &Rc<RefCell<State>>, e: &GpuError) {
    let why = e.to_string();
    web_sys::console::warn_1(
        &format!("convscope-worker: the GPU failed ({why}); answering on WASM SIMD").into(),
    );
    let choice = {
        let mut s = state.borrow_mut();
        s.gpu.ctx = None;
        s.gpu.forward = None;
        s.gpu.status = InferGpu::Failed(why.clone());
        s.gpu.choice.as_mut().map(|c| {
            c.gpu = InferGpu::Failed(why);
            c.clone()
        })
    };
    if let Some(c) = choice {
        tell(c);
    }
}
