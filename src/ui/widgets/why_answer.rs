//! Why this answer? For the lab's current image (drawn, a test digit or an upload) and the lab's
//! model (the Net, the residual or the Inception net), two maps beside the digit for any of the
//! ten classes (the predicted one at first; buttons, or the arrow keys in the group):
//!
//! - the saliency map, `∂ logit[class] / ∂ pixel`, from the model's own backward pass
//!   ([`crate::explain::saliency::saliency`]; one backward pass, recomputed on every change);
//! - the occlusion map: squares of 4, 6 or 8 pixels moved by 2 are set to the blank background
//!   and the model is asked again; each pixel shows the mean drop of p(class) over the squares
//!   covering it ([`crate::explain::saliency::Occluded`]). The 121–169 occluded images run in
//!   parts of up to [`CHUNK`] images, one per task, each about [`PART_MS`] long, so no task is
//!   long and the drawing pad's questions never wait long behind one; a new drawing stops the
//!   pass (its answer is the pad's first). All ten classes' drops come from the same pass, so
//!   switching the class needs no new pass.
//!
//! Both are computed in the lab's inference worker ([`lab_ask`]; on the page's thread where it
//! cannot run), with the same core functions, so the numbers are the same either way. Both follow
//! the lab's settled input ([`LabAnswer::settled`]: the image whose answer is in), not the input
//! itself: while a stroke goes on they ask nothing, so the worker answers the drawing pad first,
//! a drawing replaced while its answer was on its way is never explained, and the occlusion pass
//! starts from that answer's probabilities (the unoccluded image's) instead of asking for them
//! again. The predicted class is that answer's too.
//!
//! Both use the diverging palette (blue negative, orange positive) scaled to the map's own
//! largest |value|, shown in the legends. The exact values are carried in `data-values` /
//! `data-drops` (and the times in `data-ms`) for the browser test, which compares them with
//! PyTorch's.

use crate::explain::saliency::{Occluded, OcclusionPlan, Saliency, max_abs};
use crate::tensor::Tensor;
use crate::train::fit::argmax;
use crate::ui::platform::now_ms;
use crate::ui::state::infer::Latest;
use crate::ui::state::lab::Lab;
use crate::ui::state::lab_ask::{self, LabAnswer};
use crate::ui::state::lang::{t, use_tr};
use crate::ui::url_state::{LinkNote, bind, fields};
use crate::ui::widgets::format::exact;
use crate::ui::widgets::heat_canvas::{HeatCanvas, Palette};
use crate::widget_state::WhyState;
use gloo::timers::future::TimeoutFuture;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// The squares' sides on offer.
const PATCHES: [usize; 3] = [4, 6, 8];
/// How far a square moves between positions.
const STRIDE: usize = 2;
/// Occluded images per forward pass (per task), at most: measured in the release build, 0.8–1 ms
/// per image for the residual and Inception nets on the test machine (0.07 ms for the Net).
const CHUNK: usize = 12;
/// The images of the first part, and the fewest of any (one image's part would be mostly
/// message passing); the next parts are sized from the time the last one took so that each
/// keeps the worker busy about [`PART_MS`]: a drawing pad's question that arrives meanwhile
/// waits about that long at most (12 images of the Inception net would make it wait 10 ms).
const FIRST_CHUNK: usize = 2;
/// The time a part aims at (message passing included), in ms.
const PART_MS: f64 = 4.0;

/// The finished occlusion pass: its probabilities, the time it took (compute only) and its
/// longest part, in ms.
#[derive(Clone, Debug, PartialEq)]
struct Pass {
    occ: Occluded,
    ms: f64,
    longest: f64,
}

/// A legend's end: two significant digits (a confident model's drops are hundredths of a
/// point, a gradient can be tenths).
fn two_digits(v: f32) -> String {
    if v <= 0.0 || !v.is_finite() {
        return "0".into();
    }
    let decimals = (1 - v.log10().floor() as i32).clamp(0, 8) as usize;
    format!("{v:.decimals$}")
}

/// The legend of a signed map: the colour ramp with its ends and zero, then the unit.
fn legend(
    range: impl Fn() -> String + Send + Sync + 'static + Copy,
    unit: impl Fn() -> &'static str + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="why-legend">
            <span class="why-ramp" aria-hidden="true"></span>
            <span class="why-ends">
                <span>{move || format!("−{}", range())}</span>
                <span>"0"</span>
                <span>{move || format!("+{}", range())}</span>
            </span>
            <span class="why-unit">{unit}</span>
        </div>
    }
}

/// The widget (see the module docs).
#[component]
pub fn WhyAnswer() -> impl IntoView {
    let tr = use_tr();
    let lab = Lab::shipped();
    // Whether the lab has an image (the status line), and the settled one: the image whose
    // answer is in, with that answer (computed in the inference worker, shared with the pad).
    let has_input = Memo::new(move |_| lab.input.with(Option::is_some));
    let answer = LabAnswer::get();
    let settled = answer.settled;
    let predicted =
        Memo::new(move |_| settled.with(|s| s.as_ref()?.probs.as_ref().map(|p| argmax(p))));
    // The class the learner picked and the square size, in the URL (`?why={"class":3,…}`); the
    // class goes back to the prediction for a new image or model (not for the first image or
    // model, so that a link's class holds while the page loads).
    let (state, link_notes) = bind(WhyState::default());
    let (picked, patch) = fields!(state: class, patch);
    // (A new settled answer: a new image, or a new model's answer for the same one.)
    Effect::new(move |ready: Option<bool>| {
        settled.track();
        if ready == Some(true) {
            picked.set(None);
        }
        settled.with_untracked(|s| s.as_ref().is_some_and(|s| s.probs.is_some()))
    });
    let class = Memo::new(move |_| picked.get().or(predicted.get()).unwrap_or(0));
    // The saliency map, computed in the lab's inference worker (older answers dropped); the
    // time includes the message passing.
    let sal = RwSignal::new(None::<(Saliency, f64)>);
    let sal_latest = Latest::new();
    Effect::new(move |_| {
        let (p, c) = (
            settled.with(|s| s.as_ref().map(|s| s.input.pixels.clone())),
            class.get(),
        );
        let ticket = sal_latest.next();
        let Some(p) = p else {
            sal.set(None);
            return;
        };
        spawn_local(async move {
            let start = now_ms();
            let s = lab_ask::saliency(lab, p, c).await;
            if sal_latest.is(ticket) {
                let _ = sal.try_set(s.map(|s| (s, now_ms() - start)));
            }
        });
    });

    let pass = RwSignal::new(None::<Pass>);
    let progress = RwSignal::new(None::<f64>);
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        // The settled image and its probabilities (the unoccluded image's), from the lab's
        // model at the time of its answer (a new model's answer settles again).
        let image = settled.with(|s| {
            let s = s.as_ref()?;
            let x = Tensor::new(&[1, 1, 28, 28], s.input.pixels.clone()).ok()?;
            Some((x, s.probs.clone()?))
        });
        let p = patch.get();
        generation.update_value(|g| *g += 1);
        let run = generation.get_value();
        pass.set(None);
        let (Some((x, base)), Ok(plan)) = (image, OcclusionPlan::new(p, STRIDE)) else {
            progress.set(None);
            return;
        };
        progress.set(Some(0.0));
        spawn_local(async move {
            // Stopped by a newer image or model, and by a new input on its way (its own pass
            // follows once it settles): the worker answers the pad first.
            let current = move || {
                generation.try_get_value() == Some(run)
                    && answer.pending.try_get_untracked() == Some(false)
            };
            // In the lab's inference worker, with the lab's model.
            let forward = |batch: Tensor| {
                let n = batch.shape()[0];
                lab_ask::probabilities(lab, batch.into_data(), n)
            };
            let (mut ms, mut longest) = (0.0f64, 0.0f64);
            let n = plan.positions();
            let mut probs = Vec::with_capacity(n * base.len());
            let (mut first, mut size, mut per_image) = (0, FIRST_CHUNK, f64::INFINITY);
            while first < n {
                // One part per task: the page stays responsive, and a newer image cancels.
                TimeoutFuture::new(0).await;
                if !current() {
                    return;
                }
                let start = now_ms();
                // (A remainder too small for a part of its own joins this one.)
                let last = match first + size {
                    end if end + FIRST_CHUNK > n => n,
                    end => end,
                };
                let Ok(batch) = plan.batch(&x, first..last) else {
                    return;
                };
                let Some(part) = forward(batch).await else {
                    return;
                };
                if !current() {
                    return;
                }
                let took = now_ms() - start;
                (ms, longest) = (ms + took, longest.max(took));
                probs.extend(part);
                let _ = progress.try_set(Some(last as f64 / n as f64));
                // The quickest part so far says what an image costs (a slower one waited on
                // the page's thread, which the worker's part did not).
                per_image = per_image.min(took.max(0.01) / (last - first) as f64);
                (first, size) = (
                    last,
                    ((PART_MS / per_image) as usize).clamp(FIRST_CHUNK, CHUNK),
                );
            }
            if let Ok(occ) = Occluded::new(plan, base, probs) {
                let _ = pass.try_set(Some(Pass { occ, ms, longest }));
                let _ = progress.try_set(None);
            }
        });
    });
    let occ_map = Memo::new(move |_| {
        pass.with(|p| {
            p.as_ref().map(|p| {
                let c = class.get();
                let map = p.occ.map(c);
                (max_abs(&map), map, p.occ.drops(c))
            })
        })
    });

    // The class buttons: a radio group, the arrow keys move the choice and the focus.
    let group = NodeRef::<Div>::new();
    let keydown = move |ev: web_sys::KeyboardEvent| {
        let c = class.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" => (c + 1) % 10,
            "ArrowLeft" | "ArrowUp" => (c + 9) % 10,
            "Home" => 0,
            "End" => 9,
            _ => return,
        };
        ev.prevent_default();
        picked.set(Some(next));
        let button = group.get_untracked().and_then(|g| {
            g.query_selector(&format!("button[data-class=\"{next}\"]"))
                .ok()
                .flatten()
        });
        if let Some(b) = button.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = b.focus();
        }
    };
    let buttons = (0..10)
        .map(|d| {
            view! {
                <button type="button" role="radio" class="why-class" data-class=d.to_string()
                    class:predicted=move || predicted.get() == Some(d)
                    aria-checked=move || (class.get() == d).to_string()
                    tabindex=move || if class.get() == d { "0" } else { "-1" }
                    on:click=move |_| picked.set(Some(d))>
                    {d}
                </button>
            }
        })
        .collect_view();

    let digit = Signal::derive(move || {
        lab.input
            .with(|i| i.as_ref().map_or_else(|| vec![f32::NAN; 784], |i| i.grey()))
    });
    let sal_values = Signal::derive(move || {
        sal.with(|s| {
            s.as_ref()
                .map_or_else(|| vec![f32::NAN; 784], |(s, _)| s.grad.clone())
        })
    });
    let sal_scale =
        Signal::derive(move || sal.with(|s| s.as_ref().map_or(1.0, |(s, _)| s.max_abs)));
    let occ_values = Signal::derive(move || {
        occ_map.with(|m| {
            m.as_ref()
                .map_or_else(|| vec![f32::NAN; 784], |(_, map, _)| map.clone())
        })
    });
    let occ_scale = Signal::derive(move || occ_map.with(|m| m.as_ref().map_or(1.0, |m| m.0)));
    let sal_range = move || two_digits(sal_scale.get());
    let occ_range = move || two_digits(occ_scale.get() * 100.0);
    let predicted_text = move || {
        predicted
            .get()
            .map(|d| format!("{} {d}", tr("gallery.predicted")))
    };
    let patch_select = move |ev: web_sys::Event| {
        if let Ok(p) = event_target_value(&ev).parse::<usize>() {
            patch.set(p);
        }
    };
    let options = PATCHES
        .map(|p| {
            view! {
                <option value=p.to_string() prop:selected=move || patch.get() == p>
                    {format!("{p} × {p}")}
                </option>
            }
        })
        .collect_view();

    view! {
        <section class="widget why-answer" aria-labelledby="why-heading">
            <h2 id="why-heading">{t("why.heading")}</h2>
            <LinkNote notes=link_notes/>
            <p class="hint">{t("why.hint")}</p>
            // The maps keep their place (grey until there is a digit), so that the widgets
            // below do not move when a digit arrives.
            <div class="why-body">
                <div class="why-classes" role="radiogroup" node_ref=group
                    aria-label=move || tr("why.classes") on:keydown=keydown>
                    {buttons}
                </div>
                <p class="why-status" role="status" aria-live="polite">
                    {move || if !has_input.get() {
                        tr("why.empty").to_string()
                    } else {
                        format!(
                            "{} {}{}",
                            tr("why.explaining"),
                            class.get(),
                            predicted_text().map(|s| format!(" · {s}")).unwrap_or_default(),
                        )
                    }}
                </p>
                <div class="why-maps">
                    <figure class="why-digit">
                        <HeatCanvas values=digit width=28 height=28 class="why-canvas"/>
                        <figcaption>{t("why.digit")}</figcaption>
                    </figure>
                    <figure class="why-saliency" data-class=move || class.get().to_string()
                        data-values=move || sal.with(|s| s.as_ref().map(|(s, _)| exact(&s.grad)))
                        data-ms=move || sal.with(|s| s.as_ref().map(|(_, ms)| format!("{ms:.2}")))>
                        <HeatCanvas values=sal_values width=28 height=28 palette=Palette::Signed scale=sal_scale class="why-canvas"/>
                        <figcaption>{t("why.saliency")}</figcaption>
                        {legend(sal_range, t("why.logit_unit"))}
                    </figure>
                    <figure class="why-occlusion" data-class=move || class.get().to_string()
                        data-patch=move || patch.get().to_string() data-stride=STRIDE.to_string()
                        data-drops=move || occ_map.with(|m| m.as_ref().map(|(_, _, d)| exact(d)))
                        data-ms=move || pass.with(|p| p.as_ref().map(|p| format!("{:.1}", p.ms)))
                        data-longest=move || pass.with(|p| p.as_ref().map(|p| format!("{:.1}", p.longest)))
                        aria-busy=move || progress.get().is_some().to_string()>
                        <HeatCanvas values=occ_values width=28 height=28 palette=Palette::Signed scale=occ_scale class="why-canvas"/>
                        <figcaption>{t("why.occlusion")}</figcaption>
                        {legend(occ_range, t("why.points"))}
                        <Show when=move || progress.get().is_some()>
                            <progress class="why-progress" max="1" value=move || progress.get().unwrap_or(0.0)
                                aria-label=move || tr("why.computing")></progress>
                        </Show>
                    </figure>
                </div>
                <label class="why-patch" data-control="patch">
                    {t("why.patch")}" "
                    <select on:change=patch_select>{options}</select>
                </label>
                <p class="why-text">{t("why.saliency_text")}</p>
                <p class="why-text">{t("why.occlusion_text")}</p>
            </div>
        </section>
    }
}
