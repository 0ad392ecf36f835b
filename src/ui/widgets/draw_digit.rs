//! Draw a digit and watch the lab's model (the Net, the residual net or the Inception net, picked
//! here) classify it as you draw.
//!
//! The canvas takes mouse, touch and pen through pointer events (`touch-action: none`, so
//! drawing never scrolls the page); strokes are kept for undo. After every stroke update the
//! canvas is read back, preprocessed as MNIST was made ([`crate::preprocess::mnist_style`]) and
//! becomes the lab's input ([`Lab`]); the lab's model (the shipped weights, the model being
//! trained in the page, or an imported one) classifies it on the SIMD backend, in the lab's
//! inference worker ([`crate::ui::state::lab_ask::LabAnswer`]; on this thread if it cannot run). A test digit
//! from the gallery or an uploaded picture shows here the same way. The 28 × 28 input the
//! network sees is shown beside the ten probabilities.

use crate::preprocess::{Gray, mnist_style};
use crate::train::fit::argmax;
use crate::ui::state::lab::{Lab, LabInput, ModelSource, Origin};
use crate::ui::state::lab_ask::LabAnswer;
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::state::train_run::Run;
use crate::ui::widgets::draw_steps::DrawSteps;
use crate::ui::widgets::format::exact;
use crate::ui::widgets::heat_canvas::HeatCanvas;
use crate::ui::widgets::infer_choice::{InferChoiceNote, Workload};
use crate::ui::widgets::infer_note::InferNote;
use crate::ui::widgets::model_picker::ModelPicker;
use crate::ui::widgets::prob_chart::ProbChart;
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Canvas side in pixels (ten times MNIST's 28).
const SIDE: u32 = 280;
/// Stroke width: about 2 MNIST pixels once scaled, comfortable for a finger.
const STROKE: f64 = 22.0;

/// The canvas's 2-D context, created with `willReadFrequently` (the pad is read back after every
/// stroke update).
fn context(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"willReadFrequently".into(), &true.into()).ok()?;
    canvas
        .get_context_with_context_options("2d", &options)
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

fn clear(ctx: &web_sys::CanvasRenderingContext2d) {
    ctx.set_fill_style_str("#000");
    ctx.fill_rect(0.0, 0.0, SIDE as f64, SIDE as f64);
}

fn draw_stroke(ctx: &web_sys::CanvasRenderingContext2d, stroke: &[(f64, f64)]) {
    ctx.set_stroke_style_str("#fff");
    ctx.set_fill_style_str("#fff");
    ctx.set_line_width(STROKE);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    if let [(x, y)] = stroke {
        ctx.begin_path();
        let _ = ctx.arc(*x, *y, STROKE / 2.0, 0.0, std::f64::consts::TAU);
        ctx.fill();
        return;
    }
    ctx.begin_path();
    for (i, &(x, y)) in stroke.iter().enumerate() {
        if i == 0 {
            ctx.move_to(x, y);
        } else {
            ctx.line_to(x, y);
        }
    }
    ctx.stroke();
}

/// The canvas's ink as a grey image (the red channel; strokes are white on black).
fn ink(ctx: &web_sys::CanvasRenderingContext2d) -> Option<Gray> {
    let data = ctx
        .get_image_data(0.0, 0.0, SIDE as f64, SIDE as f64)
        .ok()?
        .data();
    let pixels = data
        .chunks_exact(4)
        .map(|px| px[0] as f32 / 255.0)
        .collect();
    Some(Gray {
        width: SIDE as usize,
        height: SIDE as usize,
        pixels,
    })
}

/// The drawing pad with its live classification.
#[component]
pub fn DrawDigit() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    let pad = NodeRef::<Canvas>::new();
    let strokes = StoredValue::new_local(Vec::<Vec<(f64, f64)>>::new());
    let drawing = StoredValue::new_local(false);
    let lab = Lab::shipped();
    // The lab's answer for its input, computed in the inference worker (or, where it cannot
    // run, on this thread): see `state::lab_ask`.
    let answer = LabAnswer::get();
    let probs = answer.probs;

    Effect::new(move |_| {
        if let Some(ctx) = pad.get().as_ref().and_then(context) {
            clear(&ctx);
        }
    });

    // The drawing's preprocessing steps (crop, 20 × 20, centred 28 × 28), shown as small images.
    let shown = RwSignal::new(None::<[Gray; 3]>);
    let classify = move || {
        let Some(ctx) = pad.get_untracked().as_ref().and_then(context) else {
            return;
        };
        match ink(&ctx).and_then(|g| mnist_style(&g)) {
            Some(steps) => {
                let pixels = steps.input.into_data();
                // Nothing new (the button released where the last move drew): the answer
                // on its way, or shown, is already this drawing's; asking again would only
                // make the learner wait for a second, identical one.
                let same = lab.input.with_untracked(|i| {
                    i.as_ref()
                        .is_some_and(|i| i.origin == Origin::Drawing && i.pixels == pixels)
                });
                if same {
                    return;
                }
                shown.set(Some([steps.cropped, steps.scaled, steps.centered]));
                lab.input.set(Some(LabInput {
                    pixels,
                    origin: Origin::Drawing,
                }));
            }
            None => {
                shown.set(None);
                if lab.input.with_untracked(|i| {
                    matches!(
                        i,
                        Some(LabInput {
                            origin: Origin::Drawing,
                            ..
                        })
                    )
                }) {
                    lab.input.set(None);
                }
            }
        }
    };
    let redraw = move || {
        if let Some(ctx) = pad.get_untracked().as_ref().and_then(context) {
            clear(&ctx);
            strokes.with_value(|all| all.iter().for_each(|s| draw_stroke(&ctx, s)));
        }
        classify();
    };
    let point = move |ev: &web_sys::PointerEvent| -> Option<(f64, f64)> {
        let canvas = pad.get_untracked()?;
        let rect = canvas.get_bounding_client_rect();
        let scale = SIDE as f64 / rect.width().max(1.0);
        Some((
            (ev.client_x() as f64 - rect.left()) * scale,
            (ev.client_y() as f64 - rect.top()) * scale,
        ))
    };
    let down = move |ev: web_sys::PointerEvent| {
        ev.prevent_default();
        if let Some(canvas) = pad.get_untracked() {
            let _ = canvas.set_pointer_capture(ev.pointer_id());
        }
        let Some(p) = point(&ev) else { return };
        drawing.set_value(true);
        strokes.update_value(|all| all.push(vec![p]));
        if let Some(ctx) = pad.get_untracked().as_ref().and_then(context) {
            draw_stroke(&ctx, &[p]);
        }
        classify();
    };
    let moved = move |ev: web_sys::PointerEvent| {
        if !drawing.get_value() {
            return;
        }
        ev.prevent_default();
        let Some(p) = point(&ev) else { return };
        let mut segment = Vec::new();
        strokes.update_value(|all| {
            if let Some(stroke) = all.last_mut() {
                if let Some(&last) = stroke.last() {
                    segment = vec![last, p];
                }
                stroke.push(p);
            }
        });
        if let Some(ctx) = pad.get_untracked().as_ref().and_then(context) {
            draw_stroke(&ctx, &segment);
        }
        classify();
    };
    let up = move |_: web_sys::PointerEvent| {
        drawing.set_value(false);
        classify();
    };
    let undo = move |_| {
        strokes.update_value(|all| {
            all.pop();
        });
        redraw();
    };
    let clear_all = move |_| {
        strokes.update_value(Vec::clear);
        redraw();
    };

    let guess = move || probs.get().map(|p| argmax(&p));
    let status = move || match (lab.source.get(), guess()) {
        (ModelSource::Loading, _) => tr("draw.loading").to_string(),
        (ModelSource::Failed(e), _) => format!("{}: {e}", tr("draw.failed")),
        (_, None) => tr("draw.empty").to_string(),
        (_, Some(d)) => {
            let p = probs.get().map_or(0.0, |p| p[d]);
            format!("{} {d} ({:.1} %)", tr("draw.guess"), p * 100.0)
        }
    };
    let looking_at = move || {
        lab.input.with(|i| match i.as_ref().map(|i| &i.origin) {
            None | Some(Origin::Drawing) => tr("draw.from_drawing").to_string(),
            Some(Origin::Test(i, label)) => format!(
                "{} #{i} ({} {label})",
                tr("draw.from_test"),
                tr("draw.label")
            ),
            Some(Origin::Upload(name)) => format!("{} {name}", tr("draw.from_upload")),
        })
    };
    let model_name = move || lab.describe(lang.get());
    // While a run trains, the lab shows its model (it publishes its weights as it goes).
    let run = use_context::<Run>();
    let training = move || run.is_some_and(Run::running);
    let preview_pixels = Signal::derive(move || {
        lab.input
            .with(|i| i.as_ref().map_or_else(|| vec![0.0; 784], LabInput::grey))
    });
    // The probabilities as a list for screen readers: built once, its numbers follow the answer.
    let pct = move |d: usize| probs.with(|p| p.as_ref().map_or(0.0, |p| p[d] * 100.0));
    let bars = (0..10)
        .map(|d| {
            view! {
                <li class:best=move || guess() == Some(d)>
                    <span class="digit">{d}</span>
                    <span class="bar"><span class="fill" style=move || format!("width: {:.1}%", pct(d))></span></span>
                    <span class="pct">{move || format!("{:.1}", pct(d))}</span>
                </li>
            }
        })
        .collect_view();
    let is_drawing = move || {
        lab.input
            .with(|i| matches!(i.as_ref().map(|i| &i.origin), Some(Origin::Drawing)))
    };
    view! {
        <section class="widget draw-digit" aria-labelledby="draw-heading">
            <h2 id="draw-heading">{t("draw.heading")}</h2>
            <p class="hint">{t("draw.hint")}</p>
            <div class="draw-model-row" data-control="model">
                <ModelPicker class="lab-model" value=lab.kind on_pick=Callback::new(move |kind| lab.choose(kind)) disabled=Signal::derive(training)/>
                <Show when=training>
                    <p class="hint lab-model-locked">{t("lab.picker_locked")}</p>
                </Show>
            </div>
            <div class="draw-layout">
                <canvas
                    class="draw-pad"
                    node_ref=pad
                    width=SIDE.to_string()
                    height=SIDE.to_string()
                    aria-label=move || tr("draw.pad_label")
                    on:pointerdown=down
                    on:pointermove=moved
                    on:pointerup=up
                    on:pointercancel=up
                ></canvas>
                <div class="draw-result">
                    <p class="draw-source"><span class="draw-origin">{looking_at}</span>" · "<span class="draw-model">{model_name}</span></p>
                    // `data-guess` and the exact `data-probs` only once the answer is the current input's.
                    <p class="draw-guess" role="status" aria-live="polite"
                        data-guess=move || guess().filter(|_| !answer.pending.get()).map(|d| d.to_string())
                        data-probs=move || probs.get().filter(|_| !answer.pending.get()).map(|p| exact(&p))
                        data-answer=move || answer.answered.get().to_string()>
                        {status}
                    </p>
                    <Show when=move || matches!(lab.source.get(), ModelSource::Loading)>
                        <progress class="draw-loading" aria-label=move || tr("draw.loading")></progress>
                    </Show>
                    <ProbChart probs=probs label=Signal::derive(move || tr("draw.probabilities").to_string())/>
                    <ol class="prob-bars sr-only" aria-label=move || tr("draw.probabilities")>{bars}</ol>
                    <div class="draw-steps">
                        <DrawSteps steps=shown show=Signal::derive(is_drawing)/>
                        <figure class="draw-input">
                            <HeatCanvas values=preview_pixels width=28 height=28 class="draw-preview"/>
                            <figcaption>{t("draw.input_caption")}</figcaption>
                        </figure>
                    </div>
                </div>
            </div>
            <InferNote/>
            <InferChoiceNote workload=Workload::Pad/>
            <div class="button-row" data-control="buttons">
                <button class="draw-undo" type="button" on:click=undo>{t("draw.undo")}</button>
                <button class="draw-clear" type="button" on:click=clear_all>{t("draw.clear")}</button>
            </div>
        </section>
    }
}
