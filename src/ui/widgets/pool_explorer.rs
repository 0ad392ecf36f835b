//! The pooling explorer: max or average pooling window by window on the lesson's 4 × 4 example
//! (or random inputs), with the argmax marked. Values, argmax and output size come from the core
//! ([`crate::explain::pool2d_steps`], [`Pool2dParams`]); pooling works within each channel, so
//! the channel count never changes.

use crate::explain::{PoolStep, out_size_formula, pool2d_steps};
use crate::layers::Pool2dParams;
use crate::tensor::Tensor;
use crate::ui::state::lang::{LangState, t};
use crate::ui::widgets::format::num;
use crate::ui::widgets::stepping::step_key;
use leptos::prelude::*;

/// The lesson's 4 × 4 input: MaxPool2d(2) gives [[4, 8], [9, 8]].
const LESSON: [f32; 16] = [
    3., 4., 6., 5., 2., 4., 6., 8., 1., 6., 7., 8., 9., 7., 4., 6.,
];

fn input_for(preset: &str) -> (usize, Vec<f32>) {
    let random = |n: usize, seed: u32| {
        let mut s = seed | 1;
        (0..n * n)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                (s % 10) as f32
            })
            .collect()
    };
    match preset {
        "random6" => (6, random(6, 0x9e37_79b9)),
        "random8" => (8, random(8, 0x85eb_ca6b)),
        _ => (4, LESSON.to_vec()),
    }
}

/// The explorer.
#[component]
pub fn PoolExplorer() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = move |key| crate::i18n::tr(lang.get(), key);
    let max = RwSignal::new(true);
    let kernel = RwSignal::new(2usize);
    // 0 means "the kernel size", PyTorch's default.
    let stride = RwSignal::new(0usize);
    let preset = RwSignal::new("lesson".to_string());
    let step = RwSignal::new(0usize);

    let params = Memo::new(move |_| {
        let k = kernel.get();
        let s = if stride.get() == 0 { k } else { stride.get() };
        Pool2dParams::new(k).stride(s)
    });
    let input = Memo::new(move |_| input_for(&preset.get()));
    let steps = Memo::new(move |_| {
        let (n, values) = input.get();
        let x = Tensor::new(&[n, n], values).map_err(|e| e.to_string())?;
        pool2d_steps(&x, &params.get(), max.get()).map_err(|e| e.to_string())
    });
    let count = move || steps.with(|s| s.as_ref().map_or(0, Vec::len));
    let current = move || steps.with(|s| s.as_ref().ok().and_then(|s| s.get(step.get()).cloned()));
    let go = move |to: usize| step.set(to.min(count().saturating_sub(1)));
    let reset = move || step.set(0);
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if let Some(to) = step_key(&ev, step.get_untracked()) {
            go(to);
        }
    };

    let input_grid = move || {
        let (n, values) = input.get();
        let cur: Option<PoolStep> = current();
        let cells = (0..n * n)
            .map(|i| {
                let (y, x) = (i / n, i % n);
                let in_window = cur
                    .as_ref()
                    .is_some_and(|s| s.cells.iter().any(|c| c.0 == y && c.1 == x));
                let is_max = cur.as_ref().and_then(|s| s.argmax) == Some((y, x));
                let class = format!(
                    "cell input {} {}",
                    if in_window { "in-window" } else { "" },
                    if is_max { "argmax" } else { "" }
                );
                view! { <span class=class data-row=y data-col=x>{num(values[i])}</span> }
            })
            .collect_view();
        view! { <div class="grid" style=format!("--cols: {n}")>{cells}</div> }
    };
    let output_grid =
        move || {
            let at = step.get();
            steps.with(|s| {
                s.as_ref().ok().map(|s| {
                let ow = s.iter().map(|st| st.ox + 1).max().unwrap_or(1);
                let cells = s
                    .iter()
                    .enumerate()
                    .map(|(i, st)| {
                        let class = if i == at { "cell output current" } else { "cell output" };
                        view! { <span class=class>{num(st.value)}</span> }
                    })
                    .collect_view();
                view! { <div class="grid output-grid" style=format!("--cols: {ow}")>{cells}</div> }
            })
            })
        };
    let narration = move || {
        current().map(|s| {
            let values: Vec<String> = s.cells.iter().map(|c| num(c.2)).collect();
            if max.get() {
                format!(
                    "out[{}, {}] = max({}) = {}",
                    s.oy,
                    s.ox,
                    values.join(", "),
                    num(s.value)
                )
            } else {
                format!(
                    "out[{}, {}] = ({}) / {} = {}",
                    s.oy,
                    s.ox,
                    values.join(" + "),
                    params.get().kernel.0 * params.get().kernel.1,
                    num(s.value)
                )
            }
        })
    };
    let formula = move || {
        let (n, _) = input.get();
        let p = params.get();
        format!(
            "H_out = W_out = {}",
            out_size_formula(n, p.kernel.0, p.stride.0, 0, 1)
        )
    };
    let code = move || {
        let (n, values) = input.get();
        let p = params.get();
        let layer = if max.get() { "MaxPool2d" } else { "AvgPool2d" };
        let stride_arg = if stride.get() == 0 {
            String::new()
        } else {
            format!(", stride={}", p.stride.0)
        };
        let out = p
            .output_shape([1, 1, n, n])
            .map_or_else(|e| e.to_string(), |s| format!("torch.Size({s:?})"));
        let list: Vec<String> = values.iter().map(|v| num(*v)).collect();
        format!(
            "import torch\n\ninput = torch.tensor([{}], dtype=torch.float32).view(1, 1, {n}, {n})\n\
             pooling = torch.nn.{layer}(kernel_size={}{stride_arg})\n\
             output = pooling(input)\n\
             print(output.shape)  # {out}\n\
             print(output)",
            list.join(", "),
            p.kernel.0
        )
    };
    let error = move || steps.with(|s| s.as_ref().err().cloned());

    view! {
        <section class="widget pool-explorer" aria-labelledby="pool-heading">
            <h2 id="pool-heading">{t("pool.heading")}</h2>
            <div class="controls-grid">
                <label>
                    <span>{t("pool.mode")}</span>
                    <select class="pool-mode" on:change=move |ev| { max.set(event_target_value(&ev) == "max"); reset(); }>
                        <option value="max">{t("pool.max")}</option>
                        <option value="avg">{t("pool.avg")}</option>
                    </select>
                </label>
                <label>
                    <span>{t("pool.kernel")}</span>
                    <select class="pool-kernel" on:change=move |ev| { kernel.set(event_target_value(&ev).parse().unwrap_or(2)); reset(); }>
                        <option value="2">"2 × 2"</option>
                        <option value="3">"3 × 3"</option>
                        <option value="4">"4 × 4"</option>
                    </select>
                </label>
                <label>
                    <span>{t("pool.stride")}</span>
                    <select class="pool-stride" on:change=move |ev| { stride.set(event_target_value(&ev).parse().unwrap_or(0)); reset(); }>
                        <option value="0">{t("pool.stride_default")}</option>
                        <option value="1">"1"</option>
                        <option value="2">"2"</option>
                        <option value="3">"3"</option>
                    </select>
                </label>
                <label>
                    <span>{t("pool.input")}</span>
                    <select class="pool-input" on:change=move |ev| { preset.set(event_target_value(&ev)); reset(); }>
                        <option value="lesson">{t("pool.input.lesson")}</option>
                        <option value="random6">{t("pool.input.random6")}</option>
                        <option value="random8">{t("pool.input.random8")}</option>
                    </select>
                </label>
            </div>
            <p class="conv-formula"><code>{formula}</code></p>
            {move || error().map(|e| view! { <p class="conv-error" role="alert">{e}</p> })}
            <div class="conv-grids" tabindex="0" on:keydown=on_key aria-label=move || tr("pool.grids_label")>
                <figure>
                    <figcaption>{t("pool.input_caption")}</figcaption>
                    {input_grid}
                </figure>
                <figure class="pool-output">
                    <figcaption>{t("pool.output_caption")}</figcaption>
                    {output_grid}
                </figure>
            </div>
            <div class="stepper">
                <button type="button" class="pool-back" aria-label=move || tr("conv.back") on:click=move |_| go(step.get_untracked().saturating_sub(1))>"◀"</button>
                <button type="button" class="pool-forward" aria-label=move || tr("conv.forward") on:click=move |_| go(step.get_untracked() + 1)>"▶"</button>
                <input
                    class="conv-timeline"
                    type="range"
                    min="0"
                    prop:max=move || count().saturating_sub(1).to_string()
                    prop:value=move || step.get().to_string()
                    aria-label=move || tr("conv.timeline")
                    on:input=move |ev| go(event_target_value(&ev).parse().unwrap_or(0))
                />
            </div>
            <p class="pool-narration conv-narration" aria-live="polite">{narration}</p>
            <p class="hint">{t("pool.channels_note")}</p>
            <details class="pytorch-code">
                <summary>{t("conv.pytorch")}</summary>
                <pre><code class="pool-code">{code}</code></pre>
                <button type="button" class="copy" on:click=move |_| crate::ui::platform::copy_text(&code())>{t("conv.copy")}</button>
            </details>
        </section>
    }
}
