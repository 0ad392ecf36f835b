//! The backward pass of a convolution, position by position, on the lesson's 5 × 5 input and
//! 1…9 kernel: given an upstream gradient dY, each output position adds `dY · window` to ∂L/∂W
//! and scatters `dY · kernel` onto its window in ∂L/∂X (together: a full convolution of dY with
//! the flipped kernel). The partial sums and the final gradients come from
//! [`crate::explain::conv2d_backward_steps`]; the final ones equal the reference backend's.
//!
//! In a classroom quiz ([`crate::quiz`]) the asked-about cell of ∂L/∂X and of ∂L/∂W prints `?`
//! at every position (the partial sums would add up to it) and in the final ∂L/∂W line, until
//! answered ([`use_hidden`]).

use crate::explain::conv2d_backward_steps;
use crate::ui::components::widget_head::WidgetHead;
use crate::ui::state::lang::{t, use_tr};
use crate::ui::state::quiz_hide::use_hidden;
use crate::ui::url_state::{bind, fields};
use crate::ui::widgets::format::num;
use crate::ui::widgets::stepping::step_key;
use crate::ui::widgets::value_grid::{value_grid, value_grid_hiding};
use crate::widget_state::{BackwardState, LESSON_INPUT as INPUT};
use leptos::prelude::*;

/// The backward explorer.
#[component]
pub fn ConvBackward() -> impl IntoView {
    let tr = use_tr();
    let (state, link_notes) = bind(BackwardState::default());
    let (padding, stride, ones, step) = fields!(state: padding, stride, ones, step);
    // In a quiz: the asked-about ∂L/∂X and ∂L/∂W cells print "?" until answered.
    let hidden = use_hidden();
    let params = Memo::new(move |_| state.with(BackwardState::params));
    let out_hw = Memo::new(move |_| params.get().out_hw(5, 5).unwrap_or((1, 1)));
    let dy = Memo::new(move |_| state.with(|s| s.dy_tensor(out_hw.get())));
    let result = Memo::new(move |_| {
        let (x, w) = (
            BackwardState::input_tensor(),
            BackwardState::kernel_tensor(),
        );
        conv2d_backward_steps(&x, &w, &dy.get(), &params.get()).map_err(|e| e.to_string())
    });
    let count = move || result.with(|r| r.as_ref().map_or(0, |b| b.dw_partials.len()));
    let go = move |to: usize| step.set(to.min(count().saturating_sub(1)));
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if let Some(to) = step_key(&ev, step.get_untracked()) {
            go(to);
        }
    };
    let reset = move || step.set(0);
    // The window of the current position, in input coordinates.
    let window = move |iy: usize, ix: usize| {
        let p = params.get();
        let (_, ow) = out_hw.get();
        let (oy, ox) = (step.get() / ow, step.get() % ow);
        let (y0, x0) = (
            (oy * p.stride.0) as isize - p.padding.0 as isize,
            (ox * p.stride.1) as isize - p.padding.1 as isize,
        );
        let (iy, ix) = (iy as isize, ix as isize);
        iy >= y0 && iy < y0 + 3 && ix >= x0 && ix < x0 + 3
    };
    let grids = move || {
        result.with(|r| {
            r.as_ref().ok().map(|b| {
                let at = step.get().min(b.dw_partials.len().saturating_sub(1));
                let (_, ow) = out_hw.get();
                let dys = dy.get().data().to_vec();
                let h = hidden.get();
                let hide_dx = move |i: usize| h.cell.is_some_and(|(r, c)| r * 5 + c == i);
                let hide_dw = move |i: usize| h.wcell.is_some_and(|(r, c)| r * 3 + c == i);
                view! {
                    <figure><figcaption>{t("backward.dy")}</figcaption>{value_grid(&dys, ow, "output", |i| i == at, "dy")}</figure>
                    <figure><figcaption>{t("backward.x")}</figcaption>{value_grid(&INPUT, 5, "input", |i| window(i / 5, i % 5), "x")}</figure>
                    <figure><figcaption>{t("backward.dw")}</figcaption>{value_grid_hiding(&b.dw_partials[at], 3, "kernel", |_| false, "dw", hide_dw)}</figure>
                    <figure><figcaption>{t("backward.dx")}</figcaption>{value_grid_hiding(&b.dx_partials[at], 5, "input", |i| window(i / 5, i % 5), "dx", hide_dx)}</figure>
                }
                .into_any()
            })
        })
    };
    let narration = move || {
        let (_, ow) = out_hw.get();
        let at = step.get();
        let g = dy.with(|d| d.data().get(at).copied().unwrap_or(0.0));
        let window = tr("backward.window");
        format!(
            "dY[{}, {}] = {}: ∂L/∂W += {} · {window}, ∂L/∂X[{window}] += {} · W",
            at / ow,
            at % ow,
            num(g),
            num(g),
            num(g)
        )
    };
    // The final ∂L/∂W, its asked-about cell as "?" in a quiz.
    let final_dw = move || {
        let asked = hidden.get().wcell.map(|(r, c)| r * 3 + c);
        result.with(|r| {
            r.as_ref().ok().map(|b| {
                let values = b.dw.data().iter().enumerate();
                let shown = values.map(|(i, v)| {
                    if asked == Some(i) {
                        "?".to_string()
                    } else {
                        num(*v)
                    }
                });
                format!(
                    "{} {}",
                    tr("backward.final_dw"),
                    shown.collect::<Vec<_>>().join(", ")
                )
            })
        })
    };
    view! {
        <section class="widget conv-backward" aria-labelledby="backward-heading">
            <WidgetHead id="backward-heading" heading="backward.heading" hint="backward.hint" notes=link_notes/>
            <div class="explorer-body"><div class="explorer-controls">
            <div class="controls-grid">
                <label data-control="padding">
                    <span>{t("conv.padding")}</span>
                    <select class="backward-padding" on:change=move |ev| { padding.set(event_target_value(&ev).parse().unwrap_or(0)); reset(); }>
                        <option value="0" prop:selected=move || padding.get() == 0>"0"</option>
                        <option value="1" prop:selected=move || padding.get() == 1>"1"</option>
                        <option value="2" prop:selected=move || padding.get() == 2>"2"</option>
                    </select>
                </label>
                <label data-control="stride">
                    <span>{t("conv.stride")}</span>
                    <select class="backward-stride" on:change=move |ev| { stride.set(event_target_value(&ev).parse().unwrap_or(1)); reset(); }>
                        <option value="1" prop:selected=move || stride.get() == 1>"1"</option>
                        <option value="2" prop:selected=move || stride.get() == 2>"2"</option>
                    </select>
                </label>
                <label data-control="dy">
                    <span>{t("backward.dy_preset")}</span>
                    <select class="backward-dy" on:change=move |ev| { ones.set(event_target_value(&ev) == "ones"); reset(); }>
                        <option value="ones" prop:selected=move || ones.get()>{t("backward.ones")}</option>
                        <option value="mixed" prop:selected=move || !ones.get()>{t("backward.mixed")}</option>
                    </select>
                </label>
            </div>
            </div><div class="explorer-visual">
            <div class="conv-grids" role="group" tabindex="0" on:keydown=on_key aria-label=move || tr("conv.grids_label")>{grids}</div>
            <div class="stepper">
                <button type="button" class="backward-back" aria-label=move || tr("conv.back") on:click=move |_| go(step.get_untracked().saturating_sub(1))>"◀"</button>
                <button type="button" class="backward-forward" aria-label=move || tr("conv.forward") on:click=move |_| go(step.get_untracked() + 1)>"▶"</button>
                <button type="button" class="backward-last" aria-label=move || tr("conv.last") on:click=move |_| go(usize::MAX)>"»"</button>
                <input class="conv-timeline" type="range" min="0"
                    prop:max=move || count().saturating_sub(1).to_string()
                    prop:value=move || step.get().to_string()
                    aria-label=move || tr("conv.timeline")
                    on:input=move |ev| go(event_target_value(&ev).parse().unwrap_or(0)) />
            </div>
            <p class="backward-narration conv-narration" aria-live="polite">{narration}</p>
            </div></div>
            <p class="hint backward-final">
                {final_dw}
            </p>
        </section>
    }
}
