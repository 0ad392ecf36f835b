//! The lab's questions, answered by the inference worker ([`super::infer`]) or, where it is
//! lost, on the main thread by the same core functions as before (in chunks that yield, for
//! the evaluation). Either way the numbers are the same.
//!
//! [`LabAnswer`] is the one classification of the lab's current input that the drawing pad, the
//! gallery's and the upload's result lines and "Why this answer?" all show: recomputed when the
//! input or the model changes, with at most one classification on its way at a time (see
//! [`provide`]). Its [`LabAnswer::settled`] is the input whose answer is in: the widgets that
//! explain an answer (feature maps, "Why this answer?") follow it instead of the input, so they
//! never compute for a drawing that a newer stroke replaced while its answer was on its way, and
//! they start only after the pad's answer is shown.

use crate::explain::saliency::{self, Saliency};
use crate::models::feature_maps::FeatureLayer;
use crate::tensor::Tensor;
use crate::train::data::Mnist;
use crate::train::fit::{Evaluation, Evaluator};
use crate::ui::state::infer::{Answer, Infer, Latest, floats, read_floats};
use crate::ui::state::lab::{Lab, LabInput, Origin};
use convscope_worker::infer_protocol::{FromInfer, ToInfer};
use gloo::timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;

/// How long an answered input must stay the lab's input before it settles, in ms. The
/// explaining widgets' requests and redraws then come after the pad's answer is on screen
/// instead of delaying it, and a stroke going on (a new input every frame, about 16 ms) settles
/// nothing: the worker does not compute saliency, maps and occlusion for drawings that are gone
/// a frame later, with the pad's next question waiting behind them.
pub const SETTLE_MS: u32 = 50;

/// Images per chunk of the evaluation (the page's and the worker's: the loss is summed per
/// chunk, so both use this one).
pub const EVAL_CHUNK: usize = 250;

/// The inference worker's answer to `request` about normalised images (`pixels`), or `None`
/// where there is no worker or it was lost meanwhile: then the caller computes on the page.
async fn ask_about(
    lab: Lab,
    request: impl FnOnce(u64) -> ToInfer,
    pixels: &[f32],
) -> Option<Answer> {
    let rx = Infer::get().ask(lab, request, Some(floats(pixels)), None)?;
    rx.await.ok()
}

/// The probabilities of `n` normalised 28 × 28 images (`n × 10`), or `None` without a model.
pub async fn probabilities(lab: Lab, pixels: Vec<f32>, n: usize) -> Option<Vec<f32>> {
    let request = |id| ToInfer::Classify { id, n };
    if let Some((FromInfer::Probs { .. }, Some(data))) = ask_about(lab, request, &pixels).await {
        return Some(read_floats(&data));
    }
    let x = Tensor::new(&[n, 1, 28, 28], pixels).ok()?;
    lab.predict_untracked(&x).map(Tensor::into_data)
}

/// The main layers' maps of one normalised image, or `None` without a model.
pub async fn feature_maps(lab: Lab, pixels: Vec<f32>) -> Option<Vec<FeatureLayer>> {
    let request = |id| ToInfer::Maps { id };
    if let Some((FromInfer::Maps { layers, .. }, Some(data))) =
        ask_about(lab, request, &pixels).await
    {
        let values = read_floats(&data);
        let mut at = 0;
        let mut out = Vec::with_capacity(layers.len());
        for l in layers {
            let n: usize = l.shape.iter().product();
            let maps = Tensor::new(&l.shape, values.get(at..at + n)?.to_vec()).ok()?;
            at += n;
            out.push(FeatureLayer {
                name: l.name,
                maps,
                made_by: l.made_by,
            });
        }
        return Some(out);
    }
    lab.feature_maps_untracked(&pixels)
}

/// The saliency map of `class` for one normalised image, or `None` without a model.
pub async fn saliency(lab: Lab, pixels: Vec<f32>, class: usize) -> Option<Saliency> {
    let request = |id| ToInfer::Saliency { id, class };
    if let Some((
        FromInfer::Saliency {
            class,
            max_abs_bits,
            ..
        },
        Some(data),
    )) = ask_about(lab, request, &pixels).await
    {
        let mut values = read_floats(&data);
        let grad = values.split_off(10.min(values.len()));
        return Some(Saliency {
            class,
            logits: values,
            grad,
            max_abs: f32::from_bits(max_abs_bits),
        });
    }
    let model = lab.model_untracked()?;
    let x = Tensor::new(&[1, 1, 28, 28], pixels).ok()?;
    lab.with_backend(|be| saliency::saliency(be, model.as_ref(), &x, class))
        .ok()
}

/// The lab's model on the 10,000 test digits (`test`, already loaded on the page for the
/// tiles), telling `progress` the fraction done. In the worker if it can; if the worker is lost
/// (before or during), on the main thread in chunks that yield.
pub async fn evaluate(
    lab: Lab,
    test: Rc<Mnist>,
    progress: impl Fn(f64) + Clone + 'static,
) -> Result<Evaluation, String> {
    let infer = Infer::get();
    let report = progress.clone();
    if let Some(rx) = infer.ask(
        lab,
        |id| ToInfer::Evaluate {
            id,
            chunk: EVAL_CHUNK,
        },
        None,
        Some(Box::new(report)),
    ) {
        match rx.await {
            Ok((FromInfer::Evaluated { figures, .. }, _)) => return Ok((*figures).into()),
            Ok((FromInfer::Failed { message, .. }, _)) => {
                leptos::logging::log!("convscope: evaluation in the worker failed: {message}")
            }
            _ => {}
        }
    }
    let net = lab.model_untracked().ok_or("no model")?;
    let mut evaluator = Evaluator::new();
    let n = test.len();
    progress(0.0);
    for start in (0..n).step_by(EVAL_CHUNK) {
        let indices: Vec<usize> = (start..(start + EVAL_CHUNK).min(n)).collect();
        lab.with_backend(|be| evaluator.add(be, &*net, &test, &indices))
            .map_err(|e| e.to_string())?;
        progress((start + indices.len()) as f64 / n as f64);
        TimeoutFuture::new(0).await;
    }
    Ok(evaluator.evaluation())
}

/// The classification of the lab's current input (see the module docs).
#[derive(Clone, Copy)]
pub struct LabAnswer {
    /// The ten probabilities (`None`: no input or no model yet).
    pub probs: RwSignal<Option<Vec<f32>>>,
    /// The origin of the image `probs` answer for.
    pub of: RwSignal<Option<Origin>>,
    /// Whether the answer for the current input is still on its way (`probs` is the last one).
    pub pending: RwSignal<bool>,
    /// How many answers have been shown (for the latency measurement: it changes with each).
    pub answered: RwSignal<u64>,
    /// The input whose answer is in, with that answer ([`Settled`]); `None` without an input or
    /// before its first answer. Set once `pending` has become false and the input then stayed
    /// for [`SETTLE_MS`] (so the pad's answer reaches the screen first, and a stroke going on
    /// settles nothing); never for an input that a newer one replaced.
    pub settled: RwSignal<Option<Settled>>,
}

/// An input and its answer: what the explaining widgets work on.
#[derive(Clone, Debug, PartialEq)]
pub struct Settled {
    /// The input (pixels and origin).
    pub input: LabInput,
    /// Its ten probabilities (`None` without a model).
    pub probs: Option<Vec<f32>>,
}

impl LabAnswer {
    /// The lab's answer from the context.
    pub fn get() -> LabAnswer {
        expect_context::<LabAnswer>()
    }
}

/// One classification to ask for: the input's ticket and the input.
type Ask = (u64, LabInput);

/// Provides the lab's answer, kept up to date with the lab's input and model.
///
/// At most one classification is on its way at a time. An input that arrives meanwhile (a
/// stroke goes on while the worker answers) waits, and only the newest waiting one is asked for
/// when the answer comes: so the worker never works through a queue of stale drawings, and the
/// answer to a stroke's last input comes at most one forward pass after it. An answer for an
/// older input is still shown (live feedback while drawing), with `pending` kept until the
/// current input's own answer is in; then `settled` follows (see [`LabAnswer::settled`]).
pub fn provide(lab: Lab) {
    let answer = LabAnswer {
        probs: RwSignal::new(None),
        of: RwSignal::new(None),
        pending: RwSignal::new(false),
        answered: RwSignal::new(0),
        settled: RwSignal::new(None),
    };
    provide_context(answer);
    let latest = Latest::new();
    let in_flight = StoredValue::new(false);
    let waiting = StoredValue::new(None::<Ask>);
    Effect::new(move |_| {
        lab.version.track();
        let input = lab.input.get();
        let ticket = latest.next();
        let Some(input) = input else {
            waiting.set_value(None);
            answer.probs.set(None);
            answer.of.set(None);
            answer.pending.set(false);
            answer.settled.set(None);
            return;
        };
        answer.pending.set(true);
        if in_flight.get_value() {
            waiting.set_value(Some((ticket, input)));
        } else {
            ask(lab, answer, latest, in_flight, waiting, (ticket, input));
        }
    });
}

/// Asks for one classification; when it comes, shows it and asks for the newest waiting input.
fn ask(
    lab: Lab,
    answer: LabAnswer,
    latest: Latest,
    in_flight: StoredValue<bool>,
    waiting: StoredValue<Option<Ask>>,
    (ticket, input): Ask,
) {
    in_flight.set_value(true);
    spawn_local(async move {
        let probs = probabilities(lab, input.pixels.clone(), 1).await;
        // The widgets may be gone by now (the page left): then there is nothing to show.
        let alive = answer.pending.try_get_untracked().is_some();
        let current = latest.is(ticket);
        // An older input's answer shows only while a newer input waits for its own (a stroke
        // going on); after a clear, nothing waits and the cleared answer stays cleared.
        let newer = waiting.try_with_value(Option::is_some).unwrap_or(false);
        if alive && (current || (newer && probs.is_some())) {
            answer.probs.set(probs.clone());
            answer.of.set(Some(input.origin.clone()));
            answer.pending.set(!current);
            answer.answered.update(|n| *n += 1);
        }
        if alive && current {
            settle(answer, latest, ticket, Settled { input, probs });
        }
        let _ = in_flight.try_set_value(false);
        let next = waiting.try_update_value(Option::take).flatten();
        if let Some(next) = next.filter(|_| alive) {
            ask(lab, answer, latest, in_flight, waiting, next);
        }
    });
}

/// Makes `settled` the current input's [`SETTLE_MS`] after its answer, unless a newer input
/// came meanwhile (see [`SETTLE_MS`]).
fn settle(answer: LabAnswer, latest: Latest, ticket: u64, settled: Settled) {
    spawn_local(async move {
        TimeoutFuture::new(SETTLE_MS).await;
        if latest.is(ticket) {
            let _ = answer.settled.try_set(Some(settled));
        }
    });
}
