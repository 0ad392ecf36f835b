//! The multi-channel convolution explorer: an n-channel input, m kernels each an
//! `n/groups × k × k` stack, and for a chosen output value the partial sum from each input
//! channel, added (with the bias) into one output channel. Shapes are printed as (B, C, H, W).
//! Every number comes from [`crate::explain::conv2d_channel_sums`] (the reference backend).
//! Above the numbers the same convolution is drawn as volumes ([`VolumeView`]), its cells
//! coloured by value. The grids are drawn in the shared look ([`crate::ui::widgets::channel_slices`]):
//! each row (inputs with their padding, the kernel's slices, the outputs) coloured on one scale
//! with a legend; hovering or focusing an output value lights its window (the core's
//! [`Sliding`] taps) in every input channel its kernel reads, the window's outline glides
//! there (also when the kernel changes size: the input slices are kept) and a band links the
//! window on the first channel read to the value.
//!
//! In a classroom quiz nothing gives an unanswered question away ([`use_hidden`]): the asked
//! value (output channel 0 at the quiz's cell) prints `?` in its grid, its label and the sum;
//! a size question hides the output's height and width in the shapes line, the volumes and the
//! code box; a parameter question hides `weight.shape` there.

use crate::explain::conv2d_channel_sums;
use crate::explain::receptive::Sliding;
use crate::explain::window::input_window;
use crate::layer_code::{CodeError, Family, LayerCode, check, check_one_of};
use crate::layers::Conv2dParams;
use crate::pytorch::conv2d_layer;
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::state::quiz_hide::{hide_comment, shape_hiding, use_hidden};
use crate::ui::url_state::{Field, LinkNote, bind, fields};
use crate::ui::widgets::channel_slices::{
    Marks, half_row, input_slice, plain_slice, row_fit, row_scale,
};
use crate::ui::widgets::code_editor::CodeEditor;
use crate::ui::widgets::format::{num, py_num, shape};
use crate::ui::widgets::grid_look::{WindowLink, density, legend, shade};
use crate::ui::widgets::predict_first::PredictFirst;
use crate::ui::widgets::volume::{VolumeSpec, VolumeValues, VolumeView};
use crate::widget_state::{
    CHANNELS_SIDE as SIDE, ChannelsState, RGB_PICTURE, channels_input, channels_weights,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The picture the three channels make, as coloured squares.
fn rgb_preview() -> impl IntoView {
    let n = SIDE * SIDE;
    let cells = (0..n)
        .map(|i| {
            let c = |ch: usize| (RGB_PICTURE[ch * n + i] * 255.0 / 9.0).round() as u8;
            let style = format!("background: rgb({}, {}, {})", c(0), c(1), c(2));
            view! { <span class="cell swatch" style=style></span> }
        })
        .collect_view();
    view! { <div class="grid small" aria-hidden="true" style=format!("--cols: {SIDE}")>{cells}</div> }
}

/// The explorer.
#[component]
pub fn ChannelsExplorer() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    let d = ChannelsState::default();
    let hidden = RwSignal::new(false);
    // A quiz's unanswered figures.
    let quiz = use_hidden();
    let asked = move |oc: usize, oy: usize, ox: usize| oc == 0 && quiz.get().cell == Some((oy, ox));
    let (state, link_notes) = bind(d);
    let (cin, cout, k, padding, depthwise, pos, predict) =
        fields!(state: cin, cout, k, padding, depthwise, at, predict);

    let params = Memo::new(move |_| {
        let groups = if depthwise.get() { cin.get() } else { 1 };
        Conv2dParams::new(cin.get(), cout.get(), k.get())
            .padding(padding.get())
            .groups(groups)
    });
    // Three channels are a tiny RGB picture; other counts a pattern of small whole numbers.
    let x = Memo::new(move |_| channels_input(cin.get()));
    let result = Memo::new(move |_| {
        let p = params.get();
        p.validate()?;
        let (w, b) = channels_weights(&p);
        let (oc, oy, ox) = pos.get();
        let (oh, ow) = p.out_hw(SIDE, SIDE)?;
        let at = (oc.min(p.out_channels - 1), oy.min(oh - 1), ox.min(ow - 1));
        let (y, sums) = conv2d_channel_sums(&x.get(), &w, &b, &p, at)?;
        Ok::<_, crate::error::ShapeError>((w, y, sums, at))
    });
    let reset = move || pos.set((0, 0, 0));
    // The volumes drawn above the numbers (hidden, like the output, while a guess is asked).
    let volume = Signal::derive(move || {
        if hidden.get() {
            return None;
        }
        let p = params.get();
        result.with(|r| {
            r.as_ref().ok().map(|(w, y, _, (oc, oy, ox))| {
                let (group, cin_g) = (oc / p.out_per_group().max(1), p.in_per_group());
                let block = cin_g * p.kernel.0 * p.kernel.1;
                VolumeSpec {
                    input: (cin.get(), SIDE, SIDE),
                    rgb: cin.get() == 3,
                    used: group * cin_g..(group + 1) * cin_g,
                    window: Some(input_window(&p, (*oy, *ox))),
                    weight: p.weight_shape(),
                    chosen: Some(*oc),
                    output: (y.shape()[1], y.shape()[2], y.shape()[3]),
                    at: (*oy, *ox),
                    values: Some(VolumeValues {
                        input: x.with(|x| x.data().to_vec()),
                        kernel: w.data()[oc * block..(oc + 1) * block].to_vec(),
                        // A quiz's unanswered value is not coloured.
                        output: y
                            .data()
                            .iter()
                            .enumerate()
                            .map(|(i, &v)| {
                                let r = i % (y.shape()[2] * y.shape()[3]);
                                let oc = i / (y.shape()[2] * y.shape()[3]);
                                if asked(oc, r / y.shape()[3], r % y.shape()[3]) {
                                    f32::NAN
                                } else {
                                    v
                                }
                            })
                            .collect(),
                    }),
                }
            })
        })
    });

    // Hover mapping: the output value hovered or focused (its window is lit in every input
    // channel its kernel reads); the window shown is the hovered one, else the chosen one.
    let hover = RwSignal::new(None::<(usize, usize, usize)>);
    let chosen = move || result.with(|r| r.as_ref().ok().map(|r| r.3));
    let shown = Signal::derive(move || {
        if hidden.get() {
            return None;
        }
        hover.get().or_else(chosen)
    });
    let sliding = Memo::new(move |_| Sliding::from(&params.get()));
    // Whether input channel `c` is read by output channel `oc` (its group's channels).
    let reads = move |c: usize, oc: usize| {
        let p = params.get();
        c / p.in_per_group().max(1) == oc / p.out_per_group().max(1)
    };
    let taps_of = move |c: usize, at: Option<(usize, usize, usize)>| match at {
        Some((oc, oy, ox)) if reads(c, oc) => sliding.get().window(oy, ox),
        _ => vec![],
    };
    let marks = move |c: usize| Marks {
        taps: Memo::new(move |_| taps_of(c, shown.get())).into(),
        lit: Memo::new(move |_| taps_of(c, hover.get())).into(),
        span: Signal::derive(move || match shown.get() {
            Some((oc, oy, ox)) if reads(c, oc) => Some(sliding.get().span(oy, ox)),
            _ => None,
        }),
    };
    // The band runs from the window on the first channel read to the value it makes.
    let first_read = move |c: usize| {
        shown
            .get()
            .is_some_and(|(oc, _, _)| reads(c, oc) && (0..c).all(|b| !reads(b, oc)))
    };
    let link_window =
        Signal::derive(move || shown.get().map(|(_, oy, ox)| sliding.get().span(oy, ox)));
    let link_output = Signal::derive(move || shown.get().map(|(_, oy, ox)| (oy, ox)));
    let rows_ref = NodeRef::<leptos::html::Div>::new();
    // The input slices are drawn again only for new values or padding (not for a new kernel
    // size, so that the window glides to its new shape).
    let input_values = Memo::new(move |_| (x.get(), padding.get()));
    let inputs = move || {
        let (xs, pad) = input_values.get();
        let n_in = xs.shape()[1];
        let scale = row_scale(xs.data(), false);
        let slices = (0..n_in)
            .map(|c| {
                let values = &xs.data()[c * SIDE * SIDE..(c + 1) * SIDE * SIDE];
                let name = if n_in == 3 {
                    format!(
                        " ({})",
                        tr(["pointwise.red", "pointwise.green", "pointwise.blue"][c])
                    )
                } else {
                    String::new()
                };
                view! {
                    <figure class:win-src=move || first_read(c) data-channel=c>
                        <figcaption>{format!("{} {c}{name}", tr("channels.channel"))}</figcaption>
                        {input_slice(values, SIDE, pad, &scale, format!("input ch{c}"), marks(c))}
                    </figure>
                }
            })
            .collect_view();
        let preview = (n_in == 3).then(|| view! { <figure><figcaption>{t("channels.picture")}</figcaption>{rgb_preview()}</figure> });
        let fit = row_fit(
            n_in * (SIDE + 2 * pad) + if n_in == 3 { SIDE } else { 0 },
            n_in + usize::from(n_in == 3),
        );
        view! { <div class="channel-grids" style=fit>{preview}{slices}</div>{legend(scale)} }
    };
    let kernels = move || {
        result.with(|r| {
            r.as_ref().ok().map(|(w, _, _, (oc, _, _))| {
                let p = params.get();
                let (kh, kw, cin_g) = (p.kernel.0, p.kernel.1, p.in_per_group());
                let scale = row_scale(w.data(), true);
                let slices = (0..cin_g)
                    .map(|icg| {
                        let start = (oc * cin_g + icg) * kh * kw;
                        let values = &w.data()[start..start + kh * kw];
                        let ic = oc / p.out_per_group() * cin_g + icg;
                        let name = move |i: usize| format!("w[{oc}, {icg}, {}, {}]", i / kw, i % kw);
                        view! {
                            <figure>
                                <figcaption>{format!("w[{oc}, {icg}] ({} {ic})", tr("channels.channel"))}</figcaption>
                                {plain_slice(values, kw, &scale, "kernel", name)}
                            </figure>
                        }
                    })
                    .collect_view();
                view! { <div class="channel-grids" style=row_fit(cin_g * kw, cin_g)>{slices}</div>{legend(scale)} }
            })
        })
    };
    let answer = Signal::derive(move || {
        params
            .get()
            .output_shape([1, cin.get(), SIDE, SIDE])
            .ok()
            .map(|s| s[1..].to_vec())
    });
    // The arrow keys move the chosen output value (left and right run on into the neighbouring
    // output channel), and the focus follows it.
    // A move whose focus has not landed yet: a key pressed meanwhile moves on from there, not
    // from the cell that still has the focus.
    let pending = StoredValue::new(None::<(usize, usize, usize)>);
    let move_by_key = move |ev: &leptos::ev::KeyboardEvent,
                            cell: (usize, usize, usize),
                            (m, oh, ow): (usize, usize, usize)| {
        let (oc, oy, ox) = pending.get_value().unwrap_or(cell);
        let to = match ev.key().as_str() {
            "ArrowRight" if ox + 1 < ow => (oc, oy, ox + 1),
            "ArrowRight" if oc + 1 < m => (oc + 1, oy, 0),
            "ArrowLeft" if ox > 0 => (oc, oy, ox - 1),
            "ArrowLeft" if oc > 0 => (oc - 1, oy, ow - 1),
            "ArrowDown" if oy + 1 < oh => (oc, oy + 1, ox),
            "ArrowUp" if oy > 0 => (oc, oy - 1, ox),
            "ArrowRight" | "ArrowLeft" | "ArrowDown" | "ArrowUp" => (oc, oy, ox),
            _ => return,
        };
        ev.prevent_default();
        pos.set(to);
        pending.set_value(Some(to));
        // The cells are drawn again: focus the new one once they are.
        set_timeout(
            move || {
                pending.set_value(None);
                let selector = format!(
                    ".channels-explorer [data-at=\"{}-{}-{}\"]",
                    to.0, to.1, to.2
                );
                if let Some(el) = document()
                    .query_selector(&selector)
                    .ok()
                    .flatten()
                    .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = el.focus();
                }
            },
            std::time::Duration::ZERO,
        );
    };
    // The hovered or focused output value, from its `data-at` ("oc-oy-ox"); touch lights by
    // focus only (a tap focuses), as in the other explorers.
    let at_of = |ev: &web_sys::Event| -> Option<(usize, usize, usize)> {
        let el: web_sys::Element = ev.target()?.dyn_into().ok()?;
        let at = el.closest("[data-at]").ok()??.get_attribute("data-at")?;
        let mut it = at.split('-').filter_map(|v| v.parse().ok());
        Some((it.next()?, it.next()?, it.next()?))
    };
    let set_hover = move |v: Option<(usize, usize, usize)>| {
        if hover.get_untracked() != v {
            hover.set(v);
        }
    };
    let outputs = move || {
        if hidden.get() {
            return None;
        }
        result.with(|r| {
            r.as_ref().ok().map(|(_, y, _, (soc, soy, sox))| {
                let [_, m, oh, ow] = [y.shape()[0], y.shape()[1], y.shape()[2], y.shape()[3]];
                let (soc, soy, sox) = (*soc, *soy, *sox);
                // The legend's range leaves a quiz's unanswered value out.
                let seen: Vec<f32> = y
                    .data()
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        let (oc, r) = (i / (oh * ow), i % (oh * ow));
                        if asked(oc, r / ow, r % ow) { f32::NAN } else { v }
                    })
                    .collect();
                let scale = row_scale(&seen, false);
                let slices = (0..m)
                    .map(|oc| {
                        let cells = (0..oh * ow)
                            .map(|i| {
                                let v = y.data()[oc * oh * ow + i];
                                let selected = oc == soc && i == soy * ow + sox;
                                let (oy, ox) = (i / ow, i % ow);
                                // A quiz's unanswered value: no number, no colour, no value.
                                let hide = asked(oc, oy, ox);
                                let shown = if hide { "?".to_string() } else { num(v) };
                                let (shaded, style) = if hide { (String::new(), String::new()) } else { shade(&scale, v) };
                                let class = format!("cell output {shaded}{}", if selected { " current" } else { "" });
                                let label = format!("out[0, {oc}, {oy}, {ox}] = {shown}");
                                view! {
                                    <button type="button" class=move || format!("{class}{}", if hover.get() == Some((oc, oy, ox)) { " hovered" } else { "" })
                                        style=style data-at=format!("{oc}-{oy}-{ox}") data-row=oy data-col=ox data-value=(!hide).then(|| py_num(v))
                                        title=label.clone() aria-label=label
                                        on:keydown=move |ev| move_by_key(&ev, (oc, oy, ox), (m, oh, ow))
                                        on:click=move |_| pos.set((oc, oy, ox))>{shown.clone()}</button>
                                }
                            })
                            .collect_view();
                        view! {
                            <figure data-channel=oc class:win-dst=move || shown.get().is_some_and(|s| s.0 == oc)>
                                <figcaption><span class="oc-word">{format!("{} ", tr("channels.out_channel"))}</span>{oc}</figcaption>
                                <div class=format!("grid small vgrid{}", density(ow)) style=format!("--cols: {ow}") data-grid="output">{cells}</div>
                            </figure>
                        }
                    })
                    .collect_view();
                let (class, fit) = half_row(ow, m);
                view! {
                    <div class=class style=fit
                        on:pointerover=move |ev: web_sys::PointerEvent| if ev.pointer_type() != "touch" && let Some(at) = at_of(&ev) { set_hover(Some(at)) }
                        on:pointerleave=move |ev: web_sys::PointerEvent| if ev.pointer_type() != "touch" { set_hover(None) }
                        on:focusin=move |ev: web_sys::FocusEvent| set_hover(at_of(&ev))
                        on:focusout=move |_| set_hover(None)>{slices}</div>
                    {legend(scale)}
                }
            })
        })
        .map(IntoAny::into_any)
    };
    let sums = move || {
        result.with(|r| {
            r.as_ref().ok().map(|(_, _, s, (oc, oy, ox))| {
                let parts: Vec<String> = s
                    .partials
                    .iter()
                    .map(|(ic, v)| format!("{} ({} {ic})", num(*v), tr("channels.channel")))
                    .collect();
                format!(
                    "out[0, {oc}, {oy}, {ox}] = {} + {} {} = {}",
                    parts.join(" + "),
                    num(s.bias),
                    tr("channels.bias"),
                    if asked(*oc, *oy, *ox) {
                        "?".to_string()
                    } else {
                        num(s.value)
                    }
                )
            })
        })
    };
    let shapes = move || {
        let p = params.get();
        // An invalid combination is explained once, in the alert below.
        let q = quiz.get();
        let out = if hidden.get() {
            "(1, ?, ?, ?)".to_string()
        } else {
            p.output_shape([1, cin.get(), SIDE, SIDE])
                .map_or_else(|_| "—".to_string(), |s| shape_hiding(&s, q.size))
        };
        let weight = if q.params {
            "?".to_string()
        } else {
            shape(&p.weight_shape())
        };
        format!(
            "input {} → output {} · weight.shape {weight}",
            shape(&[1, cin.get(), SIDE, SIDE]),
            out,
        )
    };
    // The editable code line: a Conv2d with the channels, kernel, padding and groups this
    // explorer offers sets it.
    let apply_code = Callback::new(move |layer: LayerCode| -> Result<(), CodeError> {
        let LayerCode::Conv(c) = layer else {
            return Err(CodeError::NotHere {
                layer: layer.family(),
                here: Family::Conv,
            });
        };
        let n = check(
            "in_channels",
            c.in_channels.unwrap_or(cin.get_untracked() as u64),
            1,
            4,
        )?;
        let m = check_one_of(
            "out_channels",
            c.out_channels.unwrap_or(cout.get_untracked() as u64),
            &[1, 2, 3, 4, 6, 8],
        )?;
        let kv = check_one_of(
            "kernel_size",
            c.kernel.unwrap_or(k.get_untracked() as u64),
            &[1, 3, 5],
        )?;
        check("stride", c.stride, 1, 1)?;
        check("dilation", c.dilation, 1, 1)?;
        let pad = check("padding", c.padding.size(kv, 1), 0, 2)?;
        let g = check_one_of(
            "groups",
            c.groups,
            &if n == 1 { vec![1] } else { vec![1, n] },
        )?;
        cin.set(n as usize);
        cout.set(m as usize);
        k.set(kv as usize);
        padding.set(pad as usize);
        depthwise.set(g > 1);
        reset();
        Ok(())
    });
    let code_line = move || conv2d_layer(&params.get(), true);
    let code = move || {
        let p = params.get();
        let groups = if p.groups > 1 {
            format!(", groups={}", p.groups)
        } else {
            String::new()
        };
        let out = p
            .output_shape([1, p.in_channels, SIDE, SIDE])
            .map_or_else(|e| e.to_string(), |s| format!("torch.Size({s:?})"));
        let text = format!(
            "import torch\n\ninput = torch.randn(1, {}, {SIDE}, {SIDE})\nconv = torch.nn.Conv2d({}, {}, kernel_size={}, padding={}{groups})\noutput = conv(input)\nprint(input.shape)        # torch.Size([1, {}, {SIDE}, {SIDE}])\nprint(output.shape)       # {out}\nprint(conv.weight.shape)  # torch.Size({:?})",
            p.in_channels,
            p.in_channels,
            p.out_channels,
            p.kernel.0,
            p.padding.0,
            p.in_channels,
            p.weight_shape()
        );
        let q = quiz.get();
        let text = hide_comment(text, "print(output.shape)", q.size);
        hide_comment(text, "print(conv.weight.shape)", q.params)
    };
    let select = move |signal: Field<usize>,
                       values: &'static [usize],
                       class: &'static str,
                       key: &'static str,
                       control: &'static str| {
        let options = values.iter().map(|&v| view! { <option value=v.to_string() prop:selected=move || signal.get() == v>{v}</option> }).collect_view();
        view! {
            <label data-control=control>
                <span>{t(key)}</span>
                <select class=class on:change=move |ev| { signal.set(event_target_value(&ev).parse().unwrap_or(values[0])); reset(); }>{options}</select>
            </label>
        }
    };
    view! {
        <section class="widget channels-explorer" aria-labelledby="channels-heading">
            <h2 id="channels-heading">{t("channels.heading")}</h2>
            <div class="explorer-body"><div class="explorer-controls">
            <div class="controls-grid">
                {select(cin, &[1, 2, 3, 4], "channels-cin", "channels.cin", "cin")}
                {select(cout, &[1, 2, 3, 4, 6, 8], "channels-cout", "channels.cout", "cout")}
                {select(k, &[1, 3, 5], "channels-k", "channels.k", "k")}
                {select(padding, &[0, 1, 2], "channels-padding", "conv.padding", "padding")}
                <label class="checkbox" data-control="depthwise">
                    <input class="channels-depthwise" type="checkbox" prop:checked=move || depthwise.get()
                        on:change=move |ev| { depthwise.set(event_target_checked(&ev)); reset(); } />
                    <span>{t("channels.depthwise")}</span>
                </label>
            </div>
            <PredictFirst on=predict answer=answer names=&["C_out", "H_out", "W_out"] hidden=hidden/>
            <LinkNote notes=link_notes/>
            <p class="conv-formula"><code class="channels-shapes">{shapes}</code></p>
            </div><div class="explorer-visual">
            {move || result.with(|r| r.as_ref().err().map(|e| crate::i18n::core_errors::shape(lang.get(), e))).map(|e| view! { <p class="conv-error" role="alert">{e}</p> })}
            <VolumeView spec=volume/>
            <div class="channel-rows" node_ref=rows_ref>
                <div class="channel-row"><h3>{t("channels.inputs")}</h3>{inputs}</div>
                <div class="channel-row"><h3>{t("channels.kernel_stack")}</h3>{kernels}</div>
                <div class="channel-row"><h3>{t("channels.outputs")}</h3>{outputs}</div>
                <WindowLink container=rows_ref window=link_window output=link_output/>
            </div>
            <p class="channels-sums conv-narration" aria-live="polite">{move || if hidden.get() { None } else { sums() }}</p>
            </div></div>
            <p class="hint">{t("channels.hint")}</p>
            <details data-control="code" class="pytorch-code" class:hidden=move || hidden.get()>
                <summary>{t("conv.pytorch")}</summary>
                <pre><code class="channels-code">{code}</code></pre>
                <button type="button" class="copy" on:click=move |_| crate::ui::platform::copy_text(&code())>{t("conv.copy")}</button>
                <CodeEditor line=Signal::derive(code_line) apply=apply_code class="channels-code-edit"/>
            </details>
        </section>
    }
}
