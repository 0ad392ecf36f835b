//! Draw a digit and watch the Net classify it as you draw.
//!
//! The canvas takes mouse, touch and pen through pointer events (`touch-action: none`, so
//! drawing never scrolls the page); strokes are kept for undo. After every stroke update the
//! canvas is read back, preprocessed as MNIST was made ([`crate::preprocess::mnist_style`]) and
//! classified by the shipped weights (fetched once from `models/net.safetensors`) on the SIMD
//! backend. The 28 × 28 input the network sees is shown beside the ten probabilities.

use crate::backend::cpu::SimdBackend;
use crate::models::Net;
use crate::preprocess::{Gray, mnist_style};
use crate::train::fit::argmax;
use crate::ui::platform;
use crate::ui::state::lang::{LangState, t};
use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
use wasm_bindgen::{Clamped, JsCast};

/// Canvas side in pixels (ten times MNIST's 28).
const SIDE: u32 = 280;
/// Stroke width: about 2 MNIST pixels once scaled, comfortable for a finger.
const STROKE: f64 = 22.0;

#[derive(Clone, Debug, PartialEq)]
enum Model {
    Loading,
    Ready,
    Failed(String),
}

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

/// Shows the network's 28 × 28 input on the preview canvas.
fn show_input(canvas: &web_sys::HtmlCanvasElement, image: &Gray) {
    let Some(ctx) = context(canvas) else { return };
    let rgba: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|&v| {
            let g = (v.clamp(0.0, 1.0) * 255.0) as u8;
            [g, g, g, 255]
        })
        .collect();
    if let Ok(data) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        Clamped(&rgba),
        image.width as u32,
        image.height as u32,
    ) {
        let _ = ctx.put_image_data(&data, 0.0, 0.0);
    }
}

/// The drawing pad with its live classification.
#[component]
pub fn DrawDigit() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = move |key| crate::i18n::tr(lang.get(), key);
    let pad = NodeRef::<Canvas>::new();
    let preview = NodeRef::<Canvas>::new();
    let strokes = StoredValue::new_local(Vec::<Vec<(f64, f64)>>::new());
    let drawing = StoredValue::new_local(false);
    let net = StoredValue::new_local(None::<Rc<Net>>);
    let backend = StoredValue::new_local(SimdBackend::new());
    let model = RwSignal::new(Model::Loading);
    let probs = RwSignal::new(None::<Vec<f32>>);

    spawn_local(async move {
        let loaded = platform::fetch_bytes("models/net.safetensors")
            .await
            .and_then(|bytes| Net::from_safetensors(&bytes).map_err(|e| e.to_string()));
        match loaded {
            Ok(n) => {
                net.set_value(Some(Rc::new(n)));
                model.set(Model::Ready);
            }
            Err(e) => {
                web_sys::console::error_1(
                    &format!("convscope: cannot load the weights: {e}").into(),
                );
                model.set(Model::Failed(e));
            }
        }
    });

    Effect::new(move |_| {
        if let Some(ctx) = pad.get().as_ref().and_then(context) {
            clear(&ctx);
        }
    });

    let classify = move || {
        let (Some(canvas), Some(net)) = (pad.get_untracked(), net.get_value()) else {
            return;
        };
        let Some(ctx) = context(&canvas) else { return };
        let Some(steps) = ink(&ctx).and_then(|g| mnist_style(&g)) else {
            probs.set(None);
            return;
        };
        if let Some(p) = preview.get_untracked() {
            show_input(&p, &steps.centered);
        }
        let result = backend.with_value(|be| net.predict(be, &steps.input));
        match result {
            Ok(p) => probs.set(Some(p.into_data())),
            Err(e) => web_sys::console::error_1(&format!("convscope: {e}").into()),
        }
    };
    let redraw = move || {
        if let Some(ctx) = pad.get_untracked().as_ref().and_then(context) {
            clear(&ctx);
            strokes.with_value(|all| all.iter().for_each(|s| draw_stroke(&ctx, s)));
        }
        if let Some(p) = preview.get_untracked().as_ref().and_then(context) {
            p.clear_rect(0.0, 0.0, 28.0, 28.0);
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
    let status = move || match (model.get(), guess()) {
        (Model::Loading, _) => tr("draw.loading").to_string(),
        (Model::Failed(e), _) => format!("{}: {e}", tr("draw.failed")),
        (Model::Ready, None) => tr("draw.empty").to_string(),
        (Model::Ready, Some(d)) => {
            let p = probs.get().map_or(0.0, |p| p[d]);
            format!("{} {d} ({:.1} %)", tr("draw.guess"), p * 100.0)
        }
    };
    let bars = move || {
        let p = probs.get().unwrap_or_else(|| vec![0.0; 10]);
        let best = guess();
        (0..10)
            .map(|d| {
                let pct = p[d] * 100.0;
                view! {
                    <li class:best=move || best == Some(d)>
                        <span class="digit">{d}</span>
                        <span class="bar"><span class="fill" style=format!("width: {pct:.1}%")></span></span>
                        <span class="pct">{format!("{pct:.1}")}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="widget draw-digit" aria-labelledby="draw-heading">
            <h2 id="draw-heading">{t("draw.heading")}</h2>
            <p class="hint">{t("draw.hint")}</p>
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
                    <p class="draw-guess" role="status" aria-live="polite" data-guess=move || guess().map(|d| d.to_string())>
                        {status}
                    </p>
                    <ol class="prob-bars" aria-label=move || tr("draw.probabilities")>{bars}</ol>
                    <figure class="draw-input">
                        <canvas class="draw-preview" node_ref=preview width="28" height="28"></canvas>
                        <figcaption>{t("draw.input_caption")}</figcaption>
                    </figure>
                </div>
            </div>
            <div class="button-row">
                <button class="draw-undo" type="button" on:click=undo>{t("draw.undo")}</button>
                <button class="draw-clear" type="button" on:click=clear_all>{t("draw.clear")}</button>
            </div>
        </section>
    }
}
