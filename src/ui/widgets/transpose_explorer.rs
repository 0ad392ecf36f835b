//! `nn.ConvTranspose2d` value by value: each input value, in turn, scatters the kernel scaled by
//! itself into the output (stride spreads the copies apart, padding crops the output's edges,
//! output_padding adds a row and column at the far end, dilation spreads the taps). Beside it,
//! PyTorch's output-size formula with the numbers in, and the matching convolution's input
//! gradient for an upstream gradient equal to the input: the same numbers, because a transposed
//! convolution is that gradient. Every number from [`crate::explain::transpose`].

use crate::explain::transpose::{conv_transpose2d_steps, out_size_formula, pytorch_code};
use crate::ui::components::widget_head::WidgetHead;
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::state::quiz_hide::use_hidden;
use crate::ui::url_state::{bind, fields};
use crate::ui::widgets::format::num;
use crate::ui::widgets::stepping::{Player, Timeline};
use crate::ui::widgets::value_grid::{value_grid, value_grid_hiding};
use crate::widget_state::TransposeState;
use leptos::prelude::*;

/// `text` with what follows its last `marker` (the output size) as `?` when `hide`.
fn hide_answer(text: String, marker: &str, hide: bool) -> String {
    match text.rfind(marker) {
        Some(at) if hide => format!("{}?", &text[..at + marker.len()]),
        _ => text,
    }
}

/// The transposed-convolution explorer.
#[component]
pub fn TransposeExplorer() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    let (state, link_notes) = bind(TransposeState::default());
    // In a quiz: the asked-about output cell and output size print "?" until answered.
    let hidden = use_hidden();
    let (step,) = fields!(state: step);
    let params = Memo::new(move |_| state.with(TransposeState::params));
    let side = Memo::new(move |_| state.with(|s| s.input));
    let input = Memo::new(move |_| state.with(TransposeState::input_tensor));
    let kernel = Memo::new(move |_| state.with(TransposeState::kernel_tensor));
    let result = Memo::new(move |_| {
        conv_transpose2d_steps(&input.get(), &kernel.get(), &params.get())
            .map_err(|e| crate::i18n::core_errors::shape(lang.get(), &e))
    });
    let count = move || result.with(|r| r.as_ref().map_or(1, |s| s.partials.len()));
    let player = Player::new(step, Signal::derive(count));
    let at = move || step.get().min(count().saturating_sub(1));
    let set = move |f: fn(&mut TransposeState, usize), v: usize| {
        state.update(|s| f(s, v));
        player.go(0);
    };
    let grids = move || {
        result.with(|r| match r {
            Err(e) => view! { <p class="conv-error" role="alert">{e.clone()}</p> }.into_any(),
            Ok(s) => {
                let i = at();
                let n = side.get();
                let (_, ow) = s.out_hw;
                let k = kernel.with(|k| k.data().to_vec());
                let kk = state.with(|s| s.k);
                let x = input.with(|x| x.data().to_vec());
                let scatter = &s.scatters[i];
                let hit = |o: usize| scatter.iter().any(|(c, _)| *c == o);
                let used = |tap: usize| scatter.iter().any(|(_, kt)| *kt == tap);
                let same = s.as_gradient.data() == s.output.data();
                let asked = hidden.get().cell.map(|(r, c)| r * ow + c);
                let hide = move |o: usize| asked == Some(o);
                view! {
                    <figure><figcaption>{t("transpose.input")}</figcaption>{value_grid(&x, n, "input", |c| c == i, "x")}</figure>
                    <figure><figcaption>{t("transpose.kernel")}</figcaption>{value_grid(&k, kk, "kernel", used, "w")}</figure>
                    <figure><figcaption>{t("transpose.output")}</figcaption>{value_grid_hiding(&s.partials[i], ow, "output", hit, "out", hide)}</figure>
                    <figure class="transpose-gradient">
                        <figcaption>{t("transpose.gradient")}</figcaption>
                        {value_grid_hiding(s.as_gradient.data(), ow, "output", |_| false, "grad", hide)}
                        <p class="hint transpose-same">{if same { t("transpose.same") } else { t("transpose.differ") }}</p>
                    </figure>
                }
                .into_any()
            }
        })
    };
    let narration = move || {
        let n = side.get();
        let i = at();
        let v = (i + 1) as f32;
        tr("transpose.narration")
            .replace("{y}", &(i / n).to_string())
            .replace("{x}", &(i % n).to_string())
            .replace("{v}", &num(v))
    };
    let formula = move || {
        let (n, p) = (side.get(), params.get());
        let text = out_size_formula(
            n,
            p.kernel.0,
            p.stride.0,
            p.padding.0,
            p.output_padding.0,
            p.dilation.0,
        );
        hide_answer(text, "= ", hidden.get().size)
    };
    let code = move || {
        let text = pytorch_code(side.get(), side.get(), &params.get());
        hide_answer(text, "# ", hidden.get().size)
    };
    let select = move |label: &'static str,
                       class: &'static str,
                       control: &'static str,
                       options: std::ops::RangeInclusive<usize>,
                       get: fn(&TransposeState) -> usize,
                       put: fn(&mut TransposeState, usize)| {
        let options = options
            .map(|v| view! { <option value=v.to_string() prop:selected=move || state.with(get) == v>{v.to_string()}</option> })
            .collect_view();
        view! {
            <label data-control=control>
                <span>{t(label)}</span>
                <select class=class on:change=move |ev| set(put, event_target_value(&ev).parse().unwrap_or(1))>{options}</select>
            </label>
        }
    };
    view! {
        <section class="widget transpose-explorer" aria-labelledby="transpose-heading">
            <WidgetHead id="transpose-heading" heading="transpose.heading" hint="transpose.hint" notes=link_notes/>
            <div class="explorer-body"><div class="explorer-controls">
            <div class="controls-grid">
                {select("transpose.size", "transpose-size", "size", 2..=4, |s| s.input, |s, v| s.input = v)}
                {select("conv.kernel_size", "transpose-k", "k", 1..=4, |s| s.k, |s, v| s.k = v)}
                {select("conv.stride", "transpose-stride", "stride", 1..=3, |s| s.stride, |s, v| s.stride = v)}
                {select("conv.padding", "transpose-padding", "padding", 0..=3, |s| s.padding, |s, v| s.padding = v)}
                {select("transpose.output_padding", "transpose-output-padding", "output-padding", 0..=2, |s| s.output_padding, |s, v| s.output_padding = v)}
                {select("conv.dilation", "transpose-dilation", "dilation", 1..=2, |s| s.dilation, |s, v| s.dilation = v)}
                <label data-control="kernel">
                    <span>{t("transpose.kernel_values")}</span>
                    <select class="transpose-ones" on:change=move |ev| set(|s, v| s.ones = v == 1, usize::from(event_target_value(&ev) == "ones"))>
                        <option value="lesson" prop:selected=move || !state.with(|s| s.ones)>{t("transpose.lesson")}</option>
                        <option value="ones" prop:selected=move || state.with(|s| s.ones)>{t("transpose.ones")}</option>
                    </select>
                </label>
            </div>
            <p class="transpose-formula"><span>{t("transpose.formula")}</span>" "<code>{formula}</code></p>
            </div><div class="explorer-visual">
            <div class="conv-grids" role="group" tabindex="0" on:keydown=player.on_key() aria-label=move || tr("transpose.grids_label")>{grids}</div>
            <div class="stepper">
                <button type="button" class="transpose-back" aria-label=move || tr("conv.back") on:click=move |_| player.go(step.get_untracked().saturating_sub(1))>"◀"</button>
                <button type="button" class="transpose-play" on:click=move |_| player.toggle()>
                    {move || tr(if player.playing.get() { "conv.pause" } else { "conv.play" })}
                </button>
                <button type="button" class="transpose-forward" aria-label=move || tr("conv.forward") on:click=move |_| player.go(step.get_untracked() + 1)>"▶"</button>
                <button type="button" class="transpose-last" aria-label=move || tr("conv.last") on:click=move |_| player.go(usize::MAX)>"»"</button>
                <Timeline player=player/>
            </div>
            <p class="transpose-narration conv-narration" aria-live="polite">{narration}</p>
            </div></div>
            <details class="pytorch-code" open>
                <summary>{t("conv.pytorch")}</summary>
                <pre tabindex="0"><code class="transpose-code">{code}</code></pre>
            </details>
        </section>
    }
}
