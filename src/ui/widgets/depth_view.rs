//! "Deeper is not always better", seen: the residual block drawn with its skip connection
//! (a toggle removes it), and the depth experiment — a plain stack and the same stack with
//! skips, N 3 × 3 convolutions each, trained side by side on the same batches from the same
//! weights. The page shows the run shipped with the app (`data/depth_run.json`, made by
//! `convscope depth --layers 2,4,8,16 --steps 300 --json …`) at once; "Run it here" repeats it
//! in the browser (SIMD, `train::depth::DepthRun`: the one training loop per arm, advanced
//! ~40 ms at a time, yielding to the page in between), with the gradient that reaches each
//! block shown at each recorded point.

use crate::backend::Backend;
use crate::backend::cpu::SimdBackend;
use crate::train::data::Mnist;
use crate::train::depth::{Arm, DepthRun, DepthSettings};
use crate::ui::platform;
use crate::ui::state::lang::{t, use_tr};
use crate::ui::url_state::{LinkNote, bind, fields};
use crate::ui::widgets::loss_chart::{
    LABEL_PX, chart_canvas, css_scale, grid_colour, surface_colours,
};
use crate::widget_state::DepthState;
use convscope_worker::fetch::load_mnist;
use gloo::timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::Deserialize;
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq, Deserialize)]
struct Shipped {
    steps: usize,
    batch: usize,
    every: usize,
    test_images: usize,
    seed: u64,
    runs: Vec<ShippedRun>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
struct ShippedRun {
    layers: usize,
    plain: Arm,
    residual: Arm,
}

fn draw(
    canvas: web_sys::HtmlCanvasElement,
    arms: &[Arm; 2],
    steps: usize,
    dark: bool,
) -> Option<()> {
    let px = css_scale(&canvas);
    let size = |v: f64| (v * px).round() as u32;
    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    let (bg, fg) = surface_colours(dark);
    root.fill(&bg).ok()?;
    let mut chart = ChartBuilder::on(&root)
        .margin(size(8.0))
        .x_label_area_size(size(24.0))
        .y_label_area_size(size(36.0))
        .build_cartesian_2d(0f32..steps.max(1) as f32, 0f32..2.5f32)
        .ok()?;
    chart
        .configure_mesh()
        .axis_style(fg)
        .light_line_style(TRANSPARENT)
        .bold_line_style(grid_colour(dark))
        .label_style(("sans-serif", LABEL_PX * px).into_font().color(&fg))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .draw()
        .ok()?;
    let pink = RGBColor(230, 73, 128);
    let green = RGBColor(47, 158, 68);
    for (arm, colour) in arms.iter().zip([pink, green]) {
        chart
            .draw_series(LineSeries::new(
                arm.train.iter().map(|&(s, l)| (s as f32, l)),
                colour.stroke_width(size(3.0)),
            ))
            .ok()?;
        chart
            .draw_series(LineSeries::new(
                arm.test.iter().map(|&(s, l)| (s as f32, l)),
                colour.stroke_width(size(1.0)),
            ))
            .ok()?;
        chart
            .draw_series(
                arm.test
                    .iter()
                    .map(|&(s, l)| Circle::new((s as f32, l), size(3.0), colour.filled())),
            )
            .ok()?;
    }
    root.present().ok()
}

/// The residual block and the depth experiment.
#[component]
pub fn DepthView() -> impl IntoView {
    let tr = use_tr();
    let shipped = RwSignal::new(None::<Result<Shipped, String>>);
    let (state, link_notes) = bind(DepthState::default());
    let (skip, depth) = fields!(state: skip, layers);
    let live = RwSignal::new(None::<([Arm; 2], [Vec<f32>; 2], usize)>);
    let running = RwSignal::new(false);
    let progress = RwSignal::new(None::<f64>);
    let data = StoredValue::new_local(None::<Rc<(Mnist, Mnist)>>);
    spawn_local(async move {
        let loaded = platform::fetch_bytes("data/depth_run.json")
            .await
            .and_then(|b| serde_json::from_slice::<Shipped>(&b).map_err(|e| e.to_string()));
        if let Err(e) = &loaded {
            web_sys::console::error_1(&format!("convscope: depth run: {e}").into());
        }
        shipped.set(Some(loaded));
    });
    let shown = Memo::new(move |_| {
        if let Some((arms, _, _)) = live.get() {
            return Some(arms);
        }
        let n = depth.get();
        shipped.with(|s| {
            s.as_ref()
                .and_then(|s| s.as_ref().ok())
                .and_then(|s| s.runs.iter().find(|r| r.layers == n))
                .map(|r| [r.plain.clone(), r.residual.clone()])
        })
    });
    let steps = move || {
        shipped.with(|s| {
            s.as_ref()
                .and_then(|s| s.as_ref().ok())
                .map_or(300, |s| s.steps)
        })
    };
    let canvas = chart_canvas(move |c, dark| {
        if let Some(arms) = shown.get() {
            draw(c, &arms, steps(), dark);
        }
    });
    let run_here = move |_| {
        let Some(Ok(s)) = shipped.get_untracked() else {
            return;
        };
        if running.get_untracked() {
            return;
        }
        running.set(true);
        let n = depth.get_untracked();
        spawn_local(async move {
            let loaded = match data.get_value() {
                Some(d) => Ok(d),
                None => {
                    async {
                        progress.set(Some(0.0));
                        let on = move |f: f64| progress.set(Some(f * 0.9));
                        let train = load_mnist("train", on).await?;
                        let test = load_mnist("t10k", |_| {}).await?;
                        let d = Rc::new((train, test));
                        data.set_value(Some(Rc::clone(&d)));
                        Ok::<_, String>(d)
                    }
                    .await
                }
            };
            let d = match loaded {
                Ok(d) => d,
                Err(e) => {
                    web_sys::console::error_1(&format!("convscope: depth data: {e}").into());
                    progress.set(None);
                    running.set(false);
                    return;
                }
            };
            let settings = DepthSettings {
                depth: n,
                steps: s.steps,
                batch: s.batch,
                every: s.every,
                test_n: s.test_images,
                seed: s.seed,
            };
            let simd = || Box::new(SimdBackend::new()) as Box<dyn Backend>;
            let mut r = DepthRun::new(settings, &d.0, &d.1, &simd);
            while !r.done() && running.get_untracked() {
                // The plain arm steps for ~20 ms, the residual arm as many steps: ~40 ms.
                let started = platform::now_ms();
                if let Err(e) = r
                    .advance(&d.0, || platform::now_ms() - started < 20.0)
                    .await
                {
                    web_sys::console::error_1(&format!("convscope: depth run: {e}").into());
                    running.set(false);
                    break;
                }
                progress.set(Some(r.step as f64 / s.steps.max(1) as f64));
                live.set(Some((r.arms(), r.magnitudes(), r.recorded)));
                TimeoutFuture::new(0).await;
            }
            progress.set(None);
            running.set(false);
        });
    };
    // A loss shows once the arm has one; the accuracy once the run has measured it (at its
    // end): never NaN or a 0 % that was not measured.
    let summary = move || {
        shown.get().map(|[p, r]| {
            let loss = |a: &Arm| {
                a.train
                    .last()
                    .map_or("–".to_string(), |x| format!("{:.3}", x.1))
            };
            let measured = !running.get() || live.with(Option::is_none);
            let acc = |a: &Arm| {
                if measured {
                    format!("{:.1} %", a.accuracy)
                } else {
                    "–".to_string()
                }
            };
            format!(
                "{} {} / {} · {} {} / {}",
                tr("depth.final_loss"),
                loss(&p),
                loss(&r),
                tr("depth.accuracy"),
                acc(&p),
                acc(&r)
            )
        })
    };
    let magnitudes = move || {
        // Measured at the recorded points: none before the first.
        live.get().filter(|(_, [plain, _], _)| !plain.is_empty()).map(|(_, [plain, res], step)| {
            let bars = |m: &[f32], class: &'static str| {
                let top = m.iter().chain(&res).chain(&plain).copied().fold(1e-12f32, f32::max);
                m.iter()
                    .enumerate()
                    .map(|(i, v)| {
                        // Log scale over six decades, so a gradient 1000× smaller still shows.
                        let w = ((v / top).max(1e-6).log10() + 6.0) / 6.0 * 100.0;
                        view! {
                            <li><span class="depth-block">{format!("{}", m.len() - i)}</span>
                                <span class="bar"><span class=format!("fill {class}") style=format!("width: {w:.1}%")></span></span>
                                <span class="pct">{format!("{v:.1e}")}</span></li>
                        }
                    })
                    .collect_view()
            };
            view! {
                <div class="depth-grads">
                    <p class="hint">{move || tr("depth.grads")}" ("{move || tr("depth.step")}" "{step}")"</p>
                    <div class="depth-grad-cols">
                        <figure><figcaption>{move || tr("depth.plain")}</figcaption><ol class="prob-bars depth-plain">{bars(&plain, "plain")}</ol></figure>
                        <figure><figcaption>{move || tr("depth.residual")}</figcaption><ol class="prob-bars depth-residual">{bars(&res, "residual")}</ol></figure>
                    </div>
                </div>
            }
        })
    };
    let depths = move || {
        shipped.with(|s| {
            s.as_ref().and_then(|s| s.as_ref().ok()).map_or_else(
                || vec![2, 4, 8, 16],
                |s| s.runs.iter().map(|r| r.layers).collect(),
            )
        })
    };
    view! {
        <section class="widget depth-view" aria-labelledby="depth-heading">
            <h2 id="depth-heading">{t("depth.heading")}</h2>
            <div class="residual-diagram" class:no-skip=move || !skip.get() role="img"
                aria-label=move || if skip.get() { tr("depth.formula_skip") } else { tr("depth.formula_plain") }>
                <span class="rd-node">"x (B, C, H, W)"</span>
                <span class="rd-arrow">"→"</span>
                <span class="rd-node conv">"conv 3×3"</span><span class="rd-arrow">"→"</span>
                <span class="rd-node">"relu"</span><span class="rd-arrow">"→"</span>
                <span class="rd-node conv">"conv 3×3"</span><span class="rd-arrow">"→"</span>
                <span class="rd-node add">{move || if skip.get() { "+ x" } else { "" }}</span>
                <span class="rd-arrow">"→"</span>
                <span class="rd-node">"relu → y (B, C, H, W)"</span>
            </div>
            <p class="conv-formula"><code class="depth-formula">{move || if skip.get() { "y = relu(x + conv2(relu(conv1(x))))" } else { "y = relu(conv2(relu(conv1(x))))" }}</code></p>
            <label class="checkbox">
                <input type="checkbox" class="depth-skip" prop:checked=move || skip.get() on:change=move |ev| skip.set(event_target_checked(&ev))/>
                <span>{t("depth.skip")}</span>
            </label>
            <p class="hint">{t("depth.hint")}</p>
            <LinkNote notes=link_notes/>
            <div class="controls-row">
                <label>
                    <span>{t("depth.layers")}</span>
                    <select class="depth-layers" prop:disabled=move || running.get()
                        on:change=move |ev| { depth.set(event_target_value(&ev).parse().unwrap_or(16)); live.set(None); }>
                        {move || depths().into_iter().map(|n| view! { <option value=n.to_string() prop:selected=move || depth.get() == n>{n}</option> }).collect_view()}
                    </select>
                </label>
                <button type="button" class="depth-run" on:click=move |ev| if running.get_untracked() { running.set(false) } else { run_here(ev) }>
                    {move || if running.get() { tr("depth.stop") } else { tr("depth.run") }}
                </button>
            </div>
            {move || progress.get().map(|f| view! { <div class="progress-line"><progress class="depth-progress" max="1" value=f.to_string()></progress></div> })}
            {move || shipped.get().and_then(Result::err).map(|e| view! { <p class="conv-error" role="alert">{e}</p> })}
            <p class="depth-source hint">{move || if live.get().is_some() { tr("depth.source_live") } else { tr("depth.source_shipped") }}</p>
            <canvas class="loss-chart depth-chart" node_ref=canvas width="640" height="260" role="img" aria-label=move || tr("depth.chart")></canvas>
            <p class="hint">{t("depth.legend")}</p>
            <p class="depth-summary" role="status">{summary}</p>
            {magnitudes}
        </section>
    }
}
