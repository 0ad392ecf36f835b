//! The convolution explorer (one channel): a kernel slides over an editable input with padding,
//! stride and dilation; each position shows its products, their sum and the output cell it
//! fills. Every number comes from [`crate::explain::conv2d_steps`] (checked against the
//! reference backend); the output size from [`Conv2dParams`]; the PyTorch code from the core
//! ([`crate::pytorch::conv2d_code`]); the input and kernel presets from
//! [`crate::widget_state::presets`]. This file is the view. Each grid is drawn in the shared look
//! of [`crate::ui::widgets::grid_look`]: cells coloured by value with a legend, the window as an
//! outline that glides, a band to the output cell it makes. Hovering or focusing (tapping) an
//! output cell lights its window; an input cell, every output it feeds (the core's
//! [`Sliding`] mapping, padding, stride and dilation included).

use crate::explain::receptive::{Palette, Scale, Sliding};
use crate::explain::{conv2d_steps, kernel_preset_id, out_size_formula};
use crate::layer_code::{CodeError, Family, LayerCode, check};
use crate::layers::Conv2dParams;
use crate::pytorch::{conv2d_code, conv2d_layer};
use crate::tensor::Tensor;
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::state::quiz_hide::{hide_comment, use_hidden};
use crate::ui::url_state::{Field, LinkNote, bind, fields};
use crate::ui::widgets::code_editor::CodeEditor;
use crate::ui::widgets::format::num;
use crate::ui::widgets::grid_look::{Hover, WindowLink, density, legend, shade, window_box};
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
    // Hover mapping: the output cell hovered or focused, the (padded) input cell hovered or
    // focused; what they light comes from the core.
    let out_hover = Hover::new("data-row", "data-col");
    let in_hover = Hover::new("data-py", "data-px");
    let (hover_out, hover_in) = (out_hover.at, in_hover.at);
    let sliding = Memo::new(move |_| Sliding::from(&params.get()));
    // The taps ringed: the hovered output's window, else the current step's.
    let cur_taps = Memo::new(move |_| match hover_out.get() {
        Some((oy, ox)) => sliding.get().window(oy, ox),
        None => current().map_or(vec![], |s| s.taps.iter().map(|t| (t.py, t.px)).collect()),
    });
    let lit_in = Memo::new(move |_| {
        hover_out
            .get()
            .map_or(vec![], |(oy, ox)| sliding.get().window(oy, ox))
    });
    let lit_out = Memo::new(move |_| {
        let n = n.get();
        hover_in.get().map_or(vec![], |(py, px)| {
            sliding.get().fed_by(py, px, n, n).unwrap_or_default()
        })
    });
    // The window shown: the hovered output's, else the current step's.
    let shown_out = Signal::derive(move || {
        if hidden.get() {
            return None;
        }
        hover_out.get().or_else(|| current().map(|s| (s.oy, s.ox)))
    });
    let shown_span =
        Signal::derive(move || shown_out.get().map(|(oy, ox)| sliding.get().span(oy, ox)));
    let grids_ref = NodeRef::<leptos::html::Div>::new();

    let player = Player::new(step, Signal::derive(count));
    let (playing, speed_ms) = (player.playing, player.speed_ms);
    let go = move |to: usize| player.go(to);
    // While a prediction is pending, stepping would give the output size away; stepping from
    // an output cell moves the focus (and so the lit window) with it.
    let on_key = player.on_cell_key(
        move || hidden.get_untracked(),
        move |cell| {
            use wasm_bindgen::JsCast;
            if let Some(grid) = cell.parent_element()
                && let Ok(Some(next)) =
                    grid.query_selector(&format!("[data-i=\"{}\"]", step.get_untracked()))
                && let Ok(next) = next.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = next.focus();
            }
        },
    );

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

    // The padded input grid, coloured by value, with the current window marked and the hovered
    // output's window lit (classes follow the signals; the cells are rebuilt only for new values).
    let input_grid = move || {
        let (n, p) = (n.get(), padding.get());
        let side = n + 2 * p;
        let values = input.get();
        let scale = Scale::of(&values, Palette::for_values(&values));
        let cells = (0..side * side)
            .map(|i| {
                let (py, px) = (i / side, i % side);
                let inside = py >= p && py < p + n && px >= p && px < p + n;
                let base = if inside { "input" } else { "pad" };
                let idx = if inside { (py - p) * n + (px - p) } else { 0 };
                let value = values.get(idx).copied().unwrap_or(0.0);
                let (shaded, style) = if inside { shade(&scale, value) } else { (String::new(), String::new()) };
                let class = move || {
                    let ring = if cur_taps.with(|t| t.contains(&(py, px))) { " in-window" } else { "" };
                    let lit = if lit_in.with(|t| t.contains(&(py, px))) { " lit" } else { "" };
                    format!("cell {base} {shaded}{ring}{lit}")
                };
                if inside {
                    let (row, col) = (py - p, px - p);
                    let label = format!("x[{row}, {col}]");
                    let title = format!("{label} = {}", num(value));
                    if paint.get() {
                        return view! {
                            <button type="button" class=move || format!("{} paintable", class()) data-idx=idx
                                data-py=py data-px=px data-row=row data-col=col style=style.clone()
                                aria-label=title.clone() title=title
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
                            title=title
                            style=style
                            data-py=py data-px=px data-row=row data-col=col
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
                    view! { <span class=class aria-hidden="true" data-py=py data-px=px>"0"</span> }.into_any()
                }
            })
            .collect_view();
        view! {
            <div class=format!("grid vgrid{}", density(side)) style=format!("--cols: {side}") data-grid="input"
                on:pointerover=in_hover.over() on:pointerleave=in_hover.leave()
                on:focusin=in_hover.focus() on:focusout=in_hover.blur()>
                {cells}
                {window_box(shown_span, side, side)}
            </div>
            {legend(scale)}
        }
    };
    let kernel_grid = move || {
        let k = k.get();
        let weights = kernel.get();
        let scale = Scale::of(&weights, Palette::Diverging);
        let cells = (0..k * k)
            .map(|i| {
                let value = weights.get(i).copied().unwrap_or(0.0);
                let (shaded, style) = shade(&scale, value);
                let label = format!("w[{}, {}]", i / k, i % k);
                view! {
                    <input
                        class=format!("cell kernel {shaded}")
                        style=style
                        type="number"
                        step="any"
                        title=format!("{label} = {}", num(value))
                        aria-label=label
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
        view! {
            <div class="grid vgrid" style=format!("--cols: {k}") data-grid="kernel">{cells}</div>
            {legend(scale)}
        }
    };
    let answer = Signal::derive(move || out_hw.get().map(|(h, w)| vec![h, w]));
    // Output cells: filled up to the current step; one tab stop (the current cell), the arrow
    // keys move it; hovering, focusing or tapping a cell lights its window (tapping also steps
    // there); cells an input cell feeds are lit.
    let quiz_hidden = use_hidden();
    let output_grid = move || {
        if hidden.get() {
            return view! { <p class="predict-hidden">"?"</p> }.into_any();
        }
        let Some((_, ow)) = out_hw.get() else {
            return view! { <p class="conv-none">"—"</p> }.into_any();
        };
        let Ok(all) = steps.get() else {
            return view! { <p class="conv-none">"—"</p> }.into_any();
        };
        // The legend's range leaves a quiz's hidden cell out (it could be the extreme).
        let asked = quiz_hidden.get().cell;
        let values: Vec<f32> = (all.iter().filter(|st| asked != Some((st.oy, st.ox))))
            .map(|st| st.value)
            .collect();
        let scale = Scale::of(&values, Palette::for_values(&values));
        let cells = all
            .iter()
            .enumerate()
            .map(|(i, st)| {
                let (oy, ox, value) = (st.oy, st.ox, st.value);
                let (shaded, style) = shade(&scale, value);
                let class = move || {
                    let at = step.get();
                    let state = if i == at {
                        format!("current {shaded}")
                    } else if i < at {
                        shaded.clone()
                    } else {
                        "pending".to_string()
                    };
                    let lit = if lit_out.with(|o| o.contains(&(oy, ox))) {
                        " lit"
                    } else {
                        ""
                    };
                    let hovered = if hover_out.get() == Some((oy, ox)) {
                        " hovered"
                    } else {
                        ""
                    };
                    format!("cell output {state}{lit}{hovered}")
                };
                // In a quiz the asked-about cell stays "?" until answered.
                let asked = move || quiz_hidden.get().cell == Some((oy, ox));
                let text = move || {
                    if asked() {
                        "?".to_string()
                    } else if i <= step.get() {
                        num(value)
                    } else {
                        String::new()
                    }
                };
                let title = move || {
                    if i <= step.get() && !asked() {
                        format!("out[{oy}, {ox}] = {}", num(value))
                    } else {
                        format!("out[{oy}, {ox}]")
                    }
                };
                view! {
                    <span class=class style=style data-row=oy data-col=ox data-i=i
                        role="button" title=title aria-label=title
                        tabindex=move || if i == step.get() { "0" } else { "-1" }

                        on:click=move |_| go(i)>{text}</span>
                }
            })
            .collect_view();
        view! {
            <div class=format!("grid output-grid vgrid{}", density(ow)) style=format!("--cols: {ow}") data-grid="output"
                on:pointerover=out_hover.over() on:pointerleave=out_hover.leave()
                on:focusin=out_hover.focus() on:focusout=out_hover.blur()>{cells}</div>
            {legend(scale)}
        }
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
                if quiz_hidden.get().cell == Some((s.oy, s.ox)) {
                    "?".to_string()
                } else {
                    num(s.value)
                }
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
        if hidden.get() || quiz_hidden.get().size {
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
    // In a quiz the printed output shape and weight shape wait for their questions.
    let code = move || {
        let text = conv2d_code(
            n.get(),
            &input.get(),
            k.get(),
            &kernel.get(),
            bias.get(),
            &params.get(),
        );
        let q = quiz_hidden.get();
        let text = hide_comment(text, "print(output.shape)", q.size);
        hide_comment(text, "print(conv.weight.shape)", q.params)
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

    // The value under the pointer or focus, for cells too small for their numbers: an input
    // cell's, a padding cell's 0, or an output cell's once it is computed (a quiz's asked-about
    // cell stays "?").
    let hover_value = move || -> Option<String> {
        let (n, p) = (n.get(), padding.get());
        if let Some((py, px)) = hover_in.get() {
            let inside = (p..p + n).contains(&py) && (p..p + n).contains(&px);
            if !inside {
                return Some(tr("fit.pad_cell").to_string());
            }
            let v = input.with(|x| x.get((py - p) * n + (px - p)).copied().unwrap_or(0.0));
            return Some(format!("x[{}, {}] = {}", py - p, px - p, num(v)));
        }
        let (oy, ox) = hover_out.get().filter(|_| !hidden.get())?;
        let (i, v) = steps.with(|s| {
            let s = s.as_ref().ok()?;
            let i = s.iter().position(|st| (st.oy, st.ox) == (oy, ox))?;
            Some((i, s[i].value))
        })?;
        let known = i <= step.get() && quiz_hidden.get().cell != Some((oy, ox));
        let shown = if known { num(v) } else { "?".to_string() };
        Some(format!("out[{oy}, {ox}] = {shown}"))
    };
    // Grids too wide for one row (over 13 columns in all): on wide screens the kernel and the
    // output stack beside the input (style.css, "Explorers that fit one screen").
    let stacked = move || {
        let side = n.get() + 2 * padding.get();
        side + k.get() + out_hw.get().map_or(0, |(_, w)| w) > 13
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
            <div class="conv-grids" class:stacked=stacked role="group" tabindex="0" on:keydown=on_key aria-label=move || tr("conv.grids_label") node_ref=grids_ref>
                <WindowLink container=grids_ref window=shown_span output=shown_out/>
                <figure class="conv-input win-src" class:painting=move || paint.get()
                    on:pointerdown=on_pointer_down on:pointermove=on_pointer_move
                    on:pointerup=stop_painting on:pointercancel=stop_painting on:pointerleave=stop_painting>
                    <figcaption>{t("conv.input")}</figcaption>
                    {input_grid}
                </figure>
                <figure class="conv-kernel">
                    <figcaption>{t("conv.kernel")}</figcaption>
                    {kernel_grid}
                </figure>
                <figure class="conv-output win-dst">
                    <figcaption>{t("conv.output")}</figcaption>
                    {output_grid}
                </figure>
            </div>
            <p class="grid-status" aria-hidden="true">{move || hover_value().unwrap_or_default()}</p>
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
