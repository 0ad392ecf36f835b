//! The pooling explorer: max or average pooling window by window on the lesson's 4 × 4 example
//! (or random inputs), with the argmax marked. Values, argmax and output size come from the core
//! ([`crate::explain::pool2d_steps`], [`Pool2dParams`]); pooling works within each channel, so
//! the channel count never changes. The inputs come from [`crate::widget_state::presets`], the
//! PyTorch code from the core ([`crate::pytorch::pool2d_code`]); this file is the view, in the
//! grids' shared look ([`crate::ui::widgets::grid_look`]): values as colour with a legend, the
//! window gliding; hovering, focusing or tapping an output lights its window in every channel,
//! an input cell the outputs it feeds (the core's [`Sliding`] mapping).

use crate::explain::receptive::{Palette, Scale, Sliding};
use crate::explain::{PoolStep, out_size_formula, pool2d_backward, pool2d_steps};
use crate::layer_code::{CodeError, Family, LayerCode, PoolKind, check};
use crate::layers::Pool2dParams;
use crate::pytorch::{pool2d_code, pool2d_layer};
use crate::tensor::Tensor;
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::state::quiz_hide::{hide_comment, use_hidden};
use crate::ui::url_state::{Field, LinkNote, bind, fields};
use crate::ui::widgets::code_editor::CodeEditor;
use crate::ui::widgets::format::{num, shape};
use crate::ui::widgets::grid_look::{Hover, density, legend, shade, window_box};
use crate::ui::widgets::predict_first::PredictFirst;
use crate::ui::widgets::stepping::{Player, Timeline};
use crate::widget_state::PoolState;
use crate::widget_state::pool::POOL_INPUTS;
use crate::widget_state::presets::{pool_channel, pool_input};
use leptos::prelude::*;

/// The upstream gradient shown in the backward view: 1, 2, 3, … so that each one can be
/// followed to where it lands.
fn upstream(oh: usize, ow: usize) -> Tensor {
    Tensor::from_fn(&[oh, ow], |i| (i + 1) as f32)
}

/// The explorer.
#[component]
pub fn PoolExplorer() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    // A stride of 0 means "the kernel size", PyTorch's default.
    let (state, link_notes) = bind(PoolState::default());
    let (max, kernel, stride, preset, channels, step, backward, predict) =
        fields!(state: max, kernel, stride, input, channels, step, backward, predict);
    let hidden = RwSignal::new(false);
    // A quiz's asked-about figures ([`crate::ui::state::quiz_hide`]).
    let quiz_hidden = use_hidden();

    let params = Memo::new(move |_| {
        let k = kernel.get();
        let s = if stride.get() == 0 { k } else { stride.get() };
        Pool2dParams::new(k).stride(s)
    });
    // Per channel: the input, its windows and (backward) the input gradient.
    type Channel = (usize, Vec<f32>, Vec<PoolStep>, Option<Tensor>);
    let result = Memo::new(move |_| {
        (0..channels.get())
            .map(|c| {
                let (n, values) = pool_channel(&preset.get(), c);
                let x = Tensor::new(&[n, n], values.clone())?;
                let steps = pool2d_steps(&x, &params.get(), max.get())?;
                let dx = if backward.get() {
                    let (oh, ow) = params.get().out_hw(n, n)?;
                    Some(pool2d_backward(
                        &x,
                        &params.get(),
                        max.get(),
                        &upstream(oh, ow),
                    )?)
                } else {
                    None
                };
                Ok::<Channel, crate::error::ShapeError>((n, values, steps, dx))
            })
            .collect::<Result<Vec<_>, crate::error::ShapeError>>()
    });
    let out_hw = Memo::new(move |_| {
        let (n, _) = pool_input(&preset.get());
        params.get().out_hw(n, n).ok()
    });
    let count = move || {
        result.with(|r| {
            r.as_ref()
                .ok()
                .and_then(|c| c.first())
                .map_or(0, |c| c.2.len())
        })
    };
    let player = Player::new(step, Signal::derive(count));
    let go = move |to: usize| player.go(to);
    let reset = move || player.go(0);
    // While a prediction is pending, stepping would give the output size away; stepping from
    // an output cell keeps the focus on the current one (the grids are redrawn for the new
    // step, so after the next frame).
    let on_key = player.on_cell_key(
        move || hidden.get_untracked(),
        |cell| {
            let Some(grids) = cell.closest(".pool-grids").ok().flatten() else {
                return;
            };
            request_animation_frame(move || {
                use wasm_bindgen::JsCast;
                if let Ok(Some(el)) = grids.query_selector(".pool-output .cell.current")
                    && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
                {
                    let _ = el.focus();
                }
            });
        },
    );
    // Hover mapping (the same windows in every channel).
    let out_hover = Hover::new("data-row", "data-col");
    let in_hover = Hover::new("data-py", "data-px");
    let (hover_out, hover_in) = (out_hover.at, in_hover.at);
    let sliding = Memo::new(move |_| Sliding::from(&params.get()));
    let lit_in = Memo::new(move |_| {
        hover_out
            .get()
            .map_or(vec![], |(oy, ox)| sliding.get().window(oy, ox))
    });
    let lit_out = Memo::new(move |_| {
        let (n, _) = pool_input(&preset.get());
        hover_in.get().map_or(vec![], |(y, x)| {
            sliding.get().fed_by(y, x, n, n).unwrap_or_default()
        })
    });

    let grid_for = move |c: usize| {
        let at = step.get();
        result.with(|r| {
            let (n, values, steps, dx) = r.as_ref().ok()?.get(c)?.clone();
            let cur = steps.get(at).cloned();
            let scale = Scale::of(&values, Palette::for_values(&values));
            let cells = (0..n * n)
                .map(|i| {
                    let (y, x) = (i / n, i % n);
                    let in_window = cur
                        .as_ref()
                        .is_some_and(|s| s.cells.iter().any(|c| c.0 == y && c.1 == x));
                    let is_max = cur.as_ref().and_then(|s| s.argmax) == Some((y, x));
                    let (shaded, style) = shade(&scale, values[i]);
                    let class = move || {
                        let lit = if lit_in.with(|l| l.contains(&(y, x))) { " lit" } else { "" };
                        format!(
                            "cell input {shaded} {} {}{lit}",
                            // While an output is hovered, its window (lit) is the one shown.
                            if in_window && hover_out.with(Option::is_none) { "in-window" } else { "" },
                            if is_max { "argmax" } else { "" }
                        )
                    };
                    let title = format!("x[{y}, {x}] = {}", num(values[i]));
                    view! { <span class=class style=style data-row=y data-col=x data-py=y data-px=x title=title
 tabindex="-1">{num(values[i])}</span> }
                })
                .collect_view();
            let (oh, ow) = out_hw.get()?;
            let at_out = cur.as_ref().map(|s| (s.oy, s.ox));
            let span = Signal::derive(move || {
                if hidden.get() {
                    return None;
                }
                let (oy, ox) = hover_out.get().or(at_out)?;
                Some(sliding.get().span(oy, ox))
            });
            let outs = if hidden.get() {
                view! { <p class="predict-hidden">"?"</p> }.into_any()
            } else {
                // The legend's range leaves a quiz's hidden cell out (it could be the extreme).
                let asked = quiz_hidden.get().cell;
                let out_values: Vec<f32> = (steps.iter().filter(|st| asked != Some((st.oy, st.ox))))
                    .map(|st| st.value)
                    .collect();
                let out_scale = Scale::of(&out_values, Palette::for_values(&out_values));
                let cells = steps
                    .iter()
                    .enumerate()
                    .map(|(i, st)| {
                        let (oy, ox) = (st.oy, st.ox);
                        let (shaded, style) = shade(&out_scale, st.value);
                        let class = move || {
                            let lit = if lit_out.with(|l| l.contains(&(oy, ox))) { " lit" } else { "" };
                            let hovered = if hover_out.get() == Some((oy, ox)) { " hovered" } else { "" };
                            format!("cell output {shaded}{}{lit}{hovered}", if i == at { " current" } else { "" })
                        };
                        // In a quiz the asked-about cell stays "?" until answered.
                        let shown = if quiz_hidden.get().cell == Some((oy, ox)) { "?".to_string() } else { num(st.value) };
                        let title = format!("out[{oy}, {ox}] = {shown}");
                        view! { <span class=class style=style data-row=oy data-col=ox data-i=i role="button"
                            title=title.clone() aria-label=title tabindex=if i == at { "0" } else { "-1" }
                            on:click=move |_| go(i)>{shown}</span> }
                    })
                    .collect_view();
                view! {
                    <div class=format!("grid output-grid vgrid{}", density(ow)) style=format!("--cols: {ow}") data-grid="output"
                        on:pointerover=out_hover.over() on:pointerleave=out_hover.leave()
                        on:focusin=out_hover.focus() on:focusout=out_hover.blur()>{cells}</div>
                    {legend(out_scale)}
                }.into_any()
            };
            let grads = dx.map(|dx| {
                let up = upstream(oh, ow);
                let up_scale = Scale::of(up.data(), Palette::Diverging);
                let up_cells = up.data().iter().enumerate().map(|(i, v)| {
                    let (shaded, style) = shade(&up_scale, *v);
                    let class = if i == at { format!("cell grad {shaded} current") } else { format!("cell grad {shaded}") };
                    view! { <span class=class style=style>{num(*v)}</span> }
                }).collect_view();
                let dx_scale = Scale::of(dx.data(), Palette::Diverging);
                let dx_cells = dx.data().iter().enumerate().map(|(i, v)| {
                    let (y, x) = (i / n, i % n);
                    let hit = cur.as_ref().is_some_and(|s| if max.get_untracked() { s.argmax == Some((y, x)) } else { s.cells.iter().any(|c| c.0 == y && c.1 == x) });
                    let (shaded, style) = shade(&dx_scale, *v);
                    let class = format!("cell grad {shaded} {}", if hit { "in-window" } else { "" });
                    view! { <span class=class style=style>{num(*v)}</span> }
                }).collect_view();
                view! {
                    <figure class="pool-upstream"><figcaption>{t("pool.upstream")}</figcaption>
                        <div class="grid vgrid" style=format!("--cols: {ow}") data-grid="grad">{up_cells}</div>{legend(up_scale)}</figure>
                    <figure class="pool-dx"><figcaption>{t("pool.dx")}</figcaption>
                        <div class=format!("grid vgrid{}", density(n)) style=format!("--cols: {n}") data-grid="dx">{dx_cells}</div>{legend(dx_scale)}</figure>
                }
            });
            Some(view! {
                <div class="pool-channel" data-channel=c>
                    <figure>
                        <figcaption>{move || format!("{} — {} {c}", tr(if max.get() { "pool.input_caption" } else { "pool.input_caption_avg" }), tr("channels.channel"))}</figcaption>
                        <div class=format!("grid vgrid{}", density(n)) style=format!("--cols: {n}") data-grid="input"
                            on:pointerover=in_hover.over() on:pointerleave=in_hover.leave()
                            on:focusin=in_hover.focus() on:focusout=in_hover.blur()>
                            {cells}
                            {window_box(span, n, n)}
                        </div>
                        {legend(scale)}
                    </figure>
                    <figure class="pool-output">
                        <figcaption>{t("pool.output_caption")}</figcaption>
                        {outs}
                    </figure>
                    {grads}
                </div>
            })
        })
    };
    let answer = Signal::derive(move || out_hw.get().map(|(h, w)| vec![channels.get(), h, w]));
    let current = move || {
        result.with(|r| {
            r.as_ref()
                .ok()
                .and_then(|c| c.first())
                .and_then(|c| c.2.get(step.get()).cloned())
        })
    };
    let narration = move || {
        current().map(|s| {
            let values: Vec<String> = s.cells.iter().map(|c| num(c.2)).collect();
            let g = num((step.get() + 1) as f32);
            let back = match (backward.get(), s.argmax) {
                (false, _) => String::new(),
                (true, Some((y, x))) => format!("; ∂L/∂out = {g} → ∂L/∂x[{y}, {x}]"),
                (true, None) => {
                    format!("; ∂L/∂out = {g} → {g} / {} ", s.cells.len()) + tr("pool.each_cell")
                }
            };
            // In a quiz the asked-about value waits for its answer.
            let value = if quiz_hidden.get().cell == Some((s.oy, s.ox)) {
                "?".to_string()
            } else {
                num(s.value)
            };
            let text = if max.get() {
                format!(
                    "out[{}, {}] = max({}) = {value}",
                    s.oy,
                    s.ox,
                    values.join(", "),
                )
            } else {
                format!(
                    "out[{}, {}] = ({}) / {} = {}",
                    s.oy,
                    s.ox,
                    values.join(" + "),
                    params.get().kernel.0 * params.get().kernel.1,
                    value
                )
            };
            text + &back
        })
    };
    let formula = move || {
        let (n, _) = pool_input(&preset.get());
        let hide_size = quiz_hidden.get().size;
        let p = params.get();
        let f = format!(
            "H_out = W_out = {}",
            out_size_formula(n, p.kernel.0, p.stride.0, 0, 1)
        );
        let f = match f.rsplit_once(" = ") {
            Some((a, _)) if hide_size => format!("{a} = ?"),
            _ => f,
        };
        let shapes = match out_hw.get() {
            Some((h, w)) if !hidden.get() && !hide_size => format!(
                " · {} → {}",
                shape(&[1, channels.get(), n, n]),
                shape(&[1, channels.get(), h, w])
            ),
            _ => String::new(),
        };
        if hidden.get() {
            f.rsplit_once(" = ")
                .map_or(f.clone(), |(a, _)| format!("{a} = ?"))
        } else {
            f + &shapes
        }
    };
    let code = move || {
        let c = channels.get();
        let (n, _) = pool_input(&preset.get());
        let values: Vec<f32> = (0..c)
            .flat_map(|ch| pool_channel(&preset.get(), ch).1)
            .collect();
        let p = params.get();
        let text = pool2d_code(
            c,
            n,
            &values,
            max.get(),
            &p,
            stride.get() == 0,
            backward.get(),
        );
        hide_comment(text, "print(output.shape)", quiz_hidden.get().size)
    };
    // The editable code line: a MaxPool2d or AvgPool2d within the explorer's ranges sets it
    // (a stride equal to the window is PyTorch's default).
    let apply_code = Callback::new(move |layer: LayerCode| -> Result<(), CodeError> {
        let LayerCode::Pool(q) = layer else {
            return Err(CodeError::NotHere {
                layer: layer.family(),
                here: Family::Pool,
            });
        };
        let kv = check("kernel_size", q.kernel, 2, 4)?;
        let s = if q.stride == kv {
            0
        } else {
            check("stride", q.stride, 1, 3)?
        };
        check("padding", q.padding, 0, 0)?;
        check("dilation", q.dilation, 1, 1)?;
        max.set(q.kind == PoolKind::Max);
        kernel.set(kv as usize);
        stride.set(s as usize);
        reset();
        Ok(())
    });
    let code_line = move || {
        let s = stride.get();
        pool2d_layer(max.get(), kernel.get(), (s != 0).then_some(s))
    };
    let error = move || {
        result.with(|s| {
            s.as_ref()
                .err()
                .map(|e| crate::i18n::core_errors::shape(lang.get(), e))
        })
    };

    let select = move |signal: Field<usize>,
                       options: Vec<(usize, String)>,
                       class: &'static str,
                       key: &'static str,
                       control: &'static str| {
        let options = options
            .into_iter()
            .map(|(v, text)| view! { <option value=v.to_string() prop:selected=move || signal.get() == v>{text}</option> })
            .collect_view();
        view! {
            <label data-control=control>
                <span>{t(key)}</span>
                <select class=class on:change=move |ev| { signal.set(event_target_value(&ev).parse().unwrap_or(0)); reset(); }>{options}</select>
            </label>
        }
    };
    let sizes = |lo: usize, hi: usize| {
        (lo..=hi)
            .map(|v| (v, format!("{v} × {v}")))
            .collect::<Vec<_>>()
    };
    let channel_grids = move || (0..channels.get()).map(grid_for).collect_view();

    view! {
        <section class="widget pool-explorer" aria-labelledby="pool-heading">
            <h2 id="pool-heading">{t("pool.heading")}</h2>
            <div class="explorer-body"><div class="explorer-controls">
            <div class="controls-grid">
                <label data-control="mode">
                    <span>{t("pool.mode")}</span>
                    <select class="pool-mode" on:change=move |ev| { max.set(event_target_value(&ev) == "max"); reset(); }>
                        <option value="max" prop:selected=move || max.get()>{t("pool.max")}</option>
                        <option value="avg" prop:selected=move || !max.get()>{t("pool.avg")}</option>
                    </select>
                </label>
                {select(kernel, sizes(2, 4), "pool-kernel", "pool.kernel", "window")}
                <label data-control="stride">
                    <span>{t("pool.stride")}</span>
                    <select class="pool-stride" on:change=move |ev| { stride.set(event_target_value(&ev).parse().unwrap_or(0)); reset(); }>
                        <option value="0" prop:selected=move || stride.get() == 0>{t("pool.stride_default")}</option>
                        {(1..=3).map(|v| view! { <option value=v.to_string() prop:selected=move || stride.get() == v>{v}</option> }).collect_view()}
                    </select>
                </label>
                <label data-control="input">
                    <span>{t("pool.input")}</span>
                    <select class="pool-input" on:change=move |ev| { preset.set(event_target_value(&ev)); reset(); }>
                        {POOL_INPUTS.iter().map(|&id| {
                            let key = match id { "random6" => "pool.input.random6", "random8" => "pool.input.random8", _ => "pool.input.lesson" };
                            view! { <option value=id prop:selected=move || preset.get() == id>{move || tr(key)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                {select(channels, (1..=3).map(|v| (v, v.to_string())).collect(), "pool-channels", "pool.channels", "channels")}
                <label class="checkbox" data-control="backward">
                    <input type="checkbox" class="pool-backward" prop:checked=move || backward.get()
                        on:change=move |ev| backward.set(event_target_checked(&ev)) />
                    <span>{t("pool.backward")}</span>
                </label>
            </div>
            <PredictFirst on=predict answer=answer names=&["C", "H_out", "W_out"] hidden=hidden/>
            <LinkNote notes=link_notes/>
            // Beside the grids on wide screens, so that three channels and their gradients fit.
            <p class="conv-formula"><code>{formula}</code></p>
            </div><div class="explorer-visual">
            {move || error().map(|e| view! { <p class="conv-error" role="alert">{e}</p> })}
            <div class="conv-grids pool-grids" data-channels=move || channels.get() data-backward=move || backward.get().to_string() role="group" tabindex="0" on:keydown=on_key aria-label=move || tr("pool.grids_label")>
                {channel_grids}
            </div>
            <div class="stepper" data-control="player" class:hidden=move || hidden.get()>
                <button type="button" class="pool-back" aria-label=move || tr("conv.back") on:click=move |_| go(step.get_untracked().saturating_sub(1))>"◀"</button>
                <button type="button" class="pool-play" on:click=move |_| player.toggle()>
                    {move || if player.playing.get() { tr("conv.pause") } else { tr("conv.play") }}
                </button>
                <button type="button" class="pool-forward" aria-label=move || tr("conv.forward") on:click=move |_| go(step.get_untracked() + 1)>"▶"</button>
                <Timeline player=player/>
            </div>
            <p class="pool-narration conv-narration" aria-live="polite">{move || if hidden.get() { None } else { narration() }}</p>
            {move || backward.get().then(|| view! { <p class="hint pool-backward-note">{if max.get() { tr("pool.backward_max") } else { tr("pool.backward_avg") }}</p> })}
            </div></div>
            <p class="hint">{t("pool.channels_note")}</p>
            <details data-control="code" class="pytorch-code" class:hidden=move || hidden.get()>
                <summary>{t("conv.pytorch")}</summary>
                <pre><code class="pool-code">{code}</code></pre>
                <button type="button" class="copy" on:click=move |_| crate::ui::platform::copy_text(&code())>{t("conv.copy")}</button>
                <CodeEditor line=Signal::derive(code_line) apply=apply_code class="pool-code-edit"/>
            </details>
        </section>
    }
}
