//! The convolution explorer (one channel): a kernel slides over an editable input with padding,
//! stride and dilation; each position shows its products, their sum and the output cell it
//! fills. Every number comes from [`crate::explain::conv2d_steps`] (checked against the
//! reference backend); the output size from [`Conv2dParams`]; the PyTorch code from the core
//! ([`crate::pytorch::conv2d_code`]); the input and kernel presets from
//! [`crate::widget_state::presets`]. This file is the view. Colours follow the lesson: input green, kernel yellow, output pink (with text and
//! borders too, so they do not rely on colour alone).

use crate::explain::{ConvStep, conv2d_steps, kernel_preset_id, out_size_formula};
use crate::layer_code::{CodeError, Family, LayerCode, check};
use crate::layers::Conv2dParams;
use crate::pytorch::{conv2d_code, conv2d_layer};
use crate::tensor::Tensor;
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::url_state::{Field, LinkNote, bind, fields};
use crate::ui::widgets::code_editor::CodeEditor;
use crate::ui::widgets::format::num;
use crate::ui::widgets::predict_first::PredictFirst;
use crate::ui::widgets::stepping::{Player, Timeline};
use crate::widget_state::ConvState;
use crate::widget_state::presets::{conv_input, conv_kernel};
use leptos::prelude::*;

/// Kernel presets: (id, translation key).
const KERNELS: [(&str, &str); 7] = [
    ("lesson", "conv.kernel.lesson"),
    ("identity", "conv.kernel.identity"),
    ("box", "conv.kernel.box"),
    ("sharpen", "conv.kernel.sharpen"),
    ("sobel_x", "conv.kernel.sobel_x"),
    ("sobel_y", "conv.kernel.sobel_y"),
    ("edge", "conv.kernel.edge"),
];

/// Input presets: (id, translation key).
const INPUTS: [(&str, &str); 4] = [
    ("lesson", "conv.input.lesson"),
    ("random", "conv.input.random"),
    ("ramp", "conv.input.ramp"),
    ("mnist", "conv.input.mnist"),
];

/// The number in an edited grid cell: an emptied cell is 0 (so nothing looks empty while an old
/// value is still computed with); the field is rewritten with the value used.
fn cell_value(ev: &leptos::ev::Event, old: f32) -> f32 {
    use wasm_bindgen::JsCast;
    let text = event_target_value(ev);
    let v = match text.trim() {
        "" => 0.0,
        t => t
            .parse::<f32>()
            .ok()
            .filter(|v| v.is_finite())
            .unwrap_or(old),
    };
    if let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        el.set_value(&num(v));
    }
    v
}

/// The explorer.
///
/// `padding` and `stride`: the starting values (no padding, as the chapter's text: 5 × 5 with
/// 3 × 3 gives 3 × 3; the Padding & stride page starts from the lesson's stride-2 example).
#[component]
pub fn ConvExplorer(
    #[prop(default = 0)] padding: usize,
    #[prop(default = 1)] stride: usize,
) -> impl IntoView {
    let (initial_padding, initial_stride) = (padding, stride);
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    let defaults = ConvState {
        padding: initial_padding.min(3),
        stride: initial_stride.clamp(1, 4),
        ..ConvState::default()
    };
    // The whole state lives in the URL (`?conv={…}`): a link's state replaces the defaults (what
    // had to be adjusted is shown), and every change is written back.
    let (state, link_notes) = bind(defaults.clone());
    let (n, input, k, kernel, padding, stride, dilation, step, bias, predict) =
        fields!(state: n, input, k, kernel, padding, stride, dilation, step, bias, predict);
    let hidden = RwSignal::new(false);
    let seed = RwSignal::new(1u32);
    // A link carries values only: name them after the preset they are, if any.
    let (input_name, kernel_name) = state.with_untracked(|s| {
        if *s == defaults {
            return (Some("lesson"), Some("lesson"));
        }
        let input_name = INPUTS
            .iter()
            .map(|&(id, _)| id)
            .filter(|&id| id != "random")
            .find(|id| conv_input(id, s.n, 0) == s.input);
        (input_name, kernel_preset_id(s.k, &s.kernel))
    });
    let input_id = RwSignal::new(input_name.unwrap_or_default().to_string());
    let kernel_id = RwSignal::new(kernel_name.unwrap_or_default().to_string());
    // Painting: with a brush value chosen, pressing or dragging over input cells sets them.
    let paint = RwSignal::new(false);
    let brush = RwSignal::new(9.0f32);
    let painting = RwSignal::new(false);

    let params = Memo::new(move |_| Conv2dParams {
        padding: (padding.get(), padding.get()),
        stride: (stride.get(), stride.get()),
        dilation: (dilation.get(), dilation.get()),
        ..Conv2dParams::new(1, 1, k.get()).bias(false)
    });
    let steps = Memo::new(move |_| {
        let (n, k) = (n.get(), k.get());
        let x = Tensor::new(&[n, n], input.get())?;
        let w = Tensor::new(&[k, k], kernel.get())?;
        conv2d_steps(&x, &w, Some(bias.get()), &params.get())
    });
    let out_hw = Memo::new(move |_| params.get().out_hw(n.get(), n.get()).ok());
    let count = move || steps.with(|s| s.as_ref().map_or(0, Vec::len));
    let current = move || steps.with(|s| s.as_ref().ok().and_then(|s| s.get(step.get()).cloned()));

    let player = Player::new(step, Signal::derive(count));
    let (playing, speed_ms) = (player.playing, player.speed_ms);
    let go = move |to: usize| player.go(to);
    let step_key = player.on_key();
    // While a prediction is pending, stepping would give the output size away.
    let on_key = move |ev| {
        if !hidden.get_untracked() {
            step_key(ev);
        }
    };

    // Controls.
    let set_n = move |ev| {
        let v: usize = event_target_value(&ev).parse().unwrap_or(5);
        n.set(v.clamp(3, 16));
        input.set(conv_input(
            &input_id.get_untracked(),
            n.get_untracked(),
            seed.get_untracked(),
        ));
        go(0);
    };
    let set_input_preset = move |ev| {
        input_id.set(event_target_value(&ev));
        seed.update(|s| *s += 1);
        input.set(conv_input(
            &input_id.get_untracked(),
            n.get_untracked(),
            seed.get_untracked(),
        ));
        go(0);
    };
    let set_bias = move |ev| {
        if let Ok(v) = event_target_value(&ev).parse::<f32>()
            && v.is_finite()
        {
            bias.set(v);
        }
    };
    // A new kernel size keeps the preset where it has a meaning at that size.
    let resize_k = move |v: usize| {
        k.set(v.clamp(1, 7));
        if crate::explain::kernel_preset(&kernel_id.get_untracked(), k.get_untracked()).is_none() {
            kernel_id.set("lesson".to_string());
        }
        kernel.set(conv_kernel(&kernel_id.get_untracked(), k.get_untracked()));
        go(0);
    };
    let set_k = move |ev| resize_k(event_target_value(&ev).parse().unwrap_or(3));
    // The editable code line: a Conv2d within the explorer's ranges sets it.
    let apply_code = Callback::new(move |layer: LayerCode| -> Result<(), CodeError> {
        let LayerCode::Conv(c) = layer else {
            return Err(CodeError::NotHere {
                layer: layer.family(),
                here: Family::Conv,
            });
        };
        check("in_channels", c.in_channels.unwrap_or(1), 1, 1)?;
        check("out_channels", c.out_channels.unwrap_or(1), 1, 1)?;
        check("groups", c.groups, 1, 1)?;
        let kv = check(
            "kernel_size",
            c.kernel.unwrap_or(k.get_untracked() as u64),
            1,
            7,
        )?;
        let s = check("stride", c.stride, 1, 4)?;
        let d = check("dilation", c.dilation, 1, 3)?;
        let pad = check("padding", c.padding.size(kv, d), 0, 3)?;
        if kv as usize != k.get_untracked() {
            resize_k(kv as usize);
        }
        stride.set(s as usize);
        dilation.set(d as usize);
        padding.set(pad as usize);
        if !c.bias {
            bias.set(0.0);
        }
        go(0);
        Ok(())
    });
    let code_line = move || conv2d_layer(&params.get(), bias.get() != 0.0);
    let set_kernel_preset = move |ev| {
        kernel_id.set(event_target_value(&ev));
        kernel.set(conv_kernel(&kernel_id.get_untracked(), k.get_untracked()));
        go(0);
    };
    let number_select = move |signal: Field<usize>,
                              lo: usize,
                              hi: usize,
                              class: &'static str,
                              key: &'static str,
                              control: &'static str| {
        let options = (lo..=hi)
            .map(|v| view! { <option value=v.to_string() prop:selected=move || signal.get() == v>{v}</option> })
            .collect_view();
        view! {
            <label data-control=control>
                <span>{t(key)}</span>
                <select class=class on:change=move |ev| { signal.set(event_target_value(&ev).parse().unwrap_or(lo)); go(0); }>
                    {options}
                </select>
            </label>
        }
    };

    // Painting sets a cell to the brush value; dragging paints every cell the pointer crosses
    // (found under the pointer, so touch drags work too).
    let set_cell = move |idx: usize| {
        let b = brush.get_untracked();
        if input.with_untracked(|x| x.get(idx).is_some_and(|&c| c != b)) {
            input_id.set(String::new());
            input.update(|x| x[idx] = b);
        }
    };
    let paint_under = move |ev: &web_sys::PointerEvent| {
        let idx = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.element_from_point(ev.client_x() as f32, ev.client_y() as f32))
            .and_then(|el| el.get_attribute("data-idx"))
            .and_then(|v| v.parse::<usize>().ok());
        if let Some(idx) = idx {
            set_cell(idx);
        }
    };
    let on_pointer_down = move |ev: web_sys::PointerEvent| {
        if paint.get_untracked() {
            ev.prevent_default();
            painting.set(true);
            paint_under(&ev);
        }
    };
    let on_pointer_move = move |ev: web_sys::PointerEvent| {
        if paint.get_untracked() && painting.get_untracked() {
            ev.prevent_default();
            paint_under(&ev);
        }
    };
    let stop_painting = move |_| painting.set(false);

    // The padded input grid, with the current window marked.
    let input_grid = move || {
        let (n, p) = (n.get(), padding.get());
        let side = n + 2 * p;
        let cur = current();
        let tap_at = move |py: usize, px: usize| {
            cur.as_ref()
                .and_then(|s: &ConvStep| s.taps.iter().find(|t| t.py == py && t.px == px).copied())
        };
        let cells = (0..side * side)
            .map(|i| {
                let (py, px) = (i / side, i % side);
                let inside = py >= p && py < p + n && px >= p && px < p + n;
                let tap = tap_at(py, px);
                let class = format!(
                    "cell {} {}",
                    if inside { "input" } else { "pad" },
                    if tap.is_some() { "in-window" } else { "" }
                );
                if inside {
                    let idx = (py - p) * n + (px - p);
                    let value = input.with(|v| v.get(idx).copied().unwrap_or(0.0));
                    let label = format!("x[{}, {}]", py - p, px - p);
                    if paint.get() {
                        return view! {
                            <button type="button" class=format!("{class} paintable") data-idx=idx
                                aria-label=format!("{label} = {}", num(value))
                                on:click=move |_| set_cell(idx)>{num(value)}</button>
                        }
                        .into_any();
                    }
                    view! {
                        <input
                            class=class
                            type="number"
                            step="any"
                            aria-label=label
                            prop:value=num(value)
                            on:change=move |ev| {
                                let v = cell_value(&ev, value);
                                input_id.set(String::new());
                                input.update(|x| if let Some(c) = x.get_mut(idx) { *c = v });
                            }
                        />
                    }
                    .into_any()
                } else {
                    view! { <span class=class aria-hidden="true">"0"</span> }.into_any()
                }
            })
            .collect_view();
        view! { <div class="grid" style=format!("--cols: {side}")>{cells}</div> }
    };
    let kernel_grid = move || {
        let k = k.get();
        let cells = (0..k * k)
            .map(|i| {
                let value = kernel.with(|w| w.get(i).copied().unwrap_or(0.0));
                view! {
                    <input
                        class="cell kernel"
                        type="number"
                        step="any"
                        aria-label=format!("w[{}, {}]", i / k, i % k)
                        prop:value=num(value)
                        on:change=move |ev| {
                            let v = cell_value(&ev, value);
                            kernel_id.set(String::new());
                            kernel.update(|w| if let Some(c) = w.get_mut(i) { *c = v });
                        }
                    />
                }
            })
            .collect_view();
        view! { <div class="grid" style=format!("--cols: {k}")>{cells}</div> }
    };
    let answer = Signal::derive(move || out_hw.get().map(|(h, w)| vec![h, w]));
    let output_grid = move || {
        if hidden.get() {
            return view! { <p class="predict-hidden">"?"</p> }.into_any();
        }
        let Some((_, ow)) = out_hw.get() else {
            return view! { <p class="conv-none">"—"</p> }.into_any();
        };
        let at = step.get();
        let cells = steps.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.iter()
                        .enumerate()
                        .map(|(i, st)| {
                            let class = if i == at {
                                "cell output current"
                            } else if i < at {
                                "cell output"
                            } else {
                                "cell output pending"
                            };
                            let text = if i <= at {
                                num(st.value)
                            } else {
                                String::new()
                            };
                            view! { <span class=class data-row=st.oy data-col=st.ox>{text}</span> }
                        })
                        .collect_view()
                })
                .ok()
        });
        view! { <div class="grid output-grid" style=format!("--cols: {ow}")>{cells}</div> }
            .into_any()
    };
    let narration = move || match current() {
        None => String::new(),
        Some(s) => {
            let terms: Vec<String> = s
                .taps
                .iter()
                .map(|t| format!("{}·{}", num(t.x), num(t.w)))
                .collect();
            let bias = if s.bias == 0.0 {
                String::new()
            } else {
                format!(" + {}", num(s.bias))
            };
            format!(
                "out[{}, {}] = {}{bias} = {}",
                s.oy,
                s.ox,
                terms.join(" + "),
                num(s.value)
            )
        }
    };
    let formula = move || {
        let (n, k, p, s, d) = (
            n.get(),
            k.get(),
            padding.get(),
            stride.get(),
            dilation.get(),
        );
        let f = format!("H_out = W_out = {}", out_size_formula(n, k, s, p, d));
        if hidden.get() {
            f.rsplit_once(" = ")
                .map_or(f.clone(), |(a, _)| format!("{a} = ?"))
        } else {
            f
        }
    };
    let error = move || {
        steps.with(|s| {
            s.as_ref()
                .err()
                .map(|e| crate::i18n::core_errors::shape(lang.get(), e))
        })
    };
    let code = move || {
        conv2d_code(
            n.get(),
            &input.get(),
            k.get(),
            &kernel.get(),
            bias.get(),
            &params.get(),
        )
    };
    let copy = move |_| crate::ui::platform::copy_text(&code());
    // The presets offered (kernels: those with a meaning at the current size), and "custom"
    // for values that are no preset (typed, painted, or from a link).
    let preset_options = move |list: &'static [(&'static str, &'static str)],
                               selected: RwSignal<String>,
                               kernels: bool| {
        move || {
            let custom = view! {
                <option value="" disabled prop:selected=move || selected.get().is_empty()>{move || tr("conv.preset.custom")}</option>
            };
            let offered = list
                .iter()
                .filter(|&&(id, _)| !kernels || crate::explain::kernel_preset(id, k.get()).is_some())
                .map(|&(id, key)| view! { <option value=id prop:selected=move || selected.get() == id>{move || tr(key)}</option> })
                .collect_view();
            (custom, offered)
        }
    };

    view! {
        <section class="widget conv-explorer" aria-labelledby="conv-heading">
            <h2 id="conv-heading">{t("conv.heading")}</h2>
            <div class="explorer-body"><div class="explorer-controls">
            <div class="controls-grid">
                <label data-control="size">
                    <span>{t("conv.input_size")}</span>
                    <select class="conv-n" on:change=set_n>
                        {(3..=16).map(|v| view! { <option value=v.to_string() prop:selected=move || n.get() == v>{format!("{v} × {v}")}</option> }).collect_view()}
                    </select>
                </label>
                <label data-control="input">
                    <span>{t("conv.input_preset")}</span>
                    <select class="conv-input-preset" on:change=set_input_preset>{preset_options(&INPUTS, input_id, false)}</select>
                </label>
                <label data-control="kernel-size">
                    <span>{t("conv.kernel_size")}</span>
                    <select class="conv-k" on:change=set_k>
                        {(1..=7).map(|v| view! { <option value=v.to_string() prop:selected=move || k.get() == v>{format!("{v} × {v}")}</option> }).collect_view()}
                    </select>
                </label>
                <label data-control="kernel">
                    <span>{t("conv.kernel_preset")}</span>
                    <select class="conv-kernel-preset" on:change=set_kernel_preset>{preset_options(&KERNELS, kernel_id, true)}</select>
                </label>
                <label data-control="bias">
                    <span>{t("conv.bias")}</span>
                    <input class="conv-bias" type="number" step="any" prop:value=move || bias.get().to_string()
                        on:change=set_bias />
                </label>
                {number_select(padding, 0, 3, "conv-padding", "conv.padding", "padding")}
                {number_select(stride, 1, 4, "conv-stride", "conv.stride", "stride")}
                {number_select(dilation, 1, 3, "conv-dilation", "conv.dilation", "dilation")}
            </div>
            <div class="controls-row" data-control="paint">
                <label class="checkbox">
                    <input type="checkbox" class="conv-paint" prop:checked=move || paint.get()
                        on:change=move |ev| paint.set(event_target_checked(&ev)) />
                    <span>{t("conv.paint")}</span>
                </label>
                <label>
                    <span>{t("conv.brush")}</span>
                    <select class="conv-brush" on:change=move |ev| brush.set(event_target_value(&ev).parse().unwrap_or(9.0))>
                        {(0..=9).rev().map(|v| view! { <option value=v.to_string() selected=v == 9>{v}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <PredictFirst on=predict answer=answer names=&["H_out", "W_out"] hidden=hidden/>
            </div><div class="explorer-visual">
            <p class="conv-formula"><code>{formula}</code></p>
            <LinkNote notes=link_notes/>
            {move || error().map(|e| view! { <p class="conv-error" role="alert">{tr("conv.no_output")}" "{e}</p> })}
            <div class="conv-grids" role="group" tabindex="0" on:keydown=on_key aria-label=move || tr("conv.grids_label")>
                <figure class="conv-input" class:painting=move || paint.get()
                    on:pointerdown=on_pointer_down on:pointermove=on_pointer_move
                    on:pointerup=stop_painting on:pointercancel=stop_painting on:pointerleave=stop_painting>
                    <figcaption>{t("conv.input")}</figcaption>
                    {input_grid}
                </figure>
                <figure class="conv-kernel">
                    <figcaption>{t("conv.kernel")}</figcaption>
                    {kernel_grid}
                </figure>
                <figure class="conv-output">
                    <figcaption>{t("conv.output")}</figcaption>
                    {output_grid}
                </figure>
            </div>
            <div class="stepper" data-control="player" class:hidden=move || hidden.get()>
                <button type="button" class="conv-first" aria-label=move || tr("conv.first") on:click=move |_| go(0)>"«"</button>
                <button type="button" class="conv-back" aria-label=move || tr("conv.back") on:click=move |_| go(step.get_untracked().saturating_sub(1))>"◀"</button>
                <button type="button" class="conv-play" on:click=move |_| player.toggle()>
                    {move || if playing.get() { tr("conv.pause") } else { tr("conv.play") }}
                </button>
                <button type="button" class="conv-forward" aria-label=move || tr("conv.forward") on:click=move |_| go(step.get_untracked() + 1)>"▶"</button>
                <button type="button" class="conv-last" aria-label=move || tr("conv.last") on:click=move |_| go(usize::MAX)>"»"</button>
                <Timeline player=player/>
                <label class="conv-speed">
                    <span>{t("conv.speed")}</span>
                    <select on:change=move |ev| speed_ms.set(event_target_value(&ev).parse().unwrap_or(700))>
                        <option value="1200">"0.5×"</option>
                        <option value="700" selected>"1×"</option>
                        <option value="250">"3×"</option>
                    </select>
                </label>
            </div>
            <p class="conv-narration" aria-live="polite">{move || if hidden.get() { String::new() } else { narration() }}</p>
            </div></div>
            <details data-control="code" class="pytorch-code" class:hidden=move || hidden.get()>
                <summary>{t("conv.pytorch")}</summary>
                <pre><code class="conv-code">{code}</code></pre>
                <button type="button" class="copy" on:click=copy>{t("conv.copy")}</button>
                <CodeEditor line=Signal::derive(code_line) apply=apply_code class="conv-code-edit"/>
            </details>
        </section>
    }
}
