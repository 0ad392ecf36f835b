//! A 1×1 convolution, pixel by pixel: at each position the kernel is one weight per input
//! channel, so every output channel is a weighted sum of the *same pixel* across the channels
//! (here the red, green and blue of a tiny 4 × 4 picture). The spatial size never changes; only
//! the channel count does. Values, partial sums and the multiplication count come from the core
//! ([`conv2d_channel_sums`], [`Conv2dParams::mults`]). Above the numbers the same
//! convolution is drawn as volumes ([`VolumeView`]). In a classroom quiz the asked-about value
//! (output channel 0 at the quiz's pixel) prints `?` until answered ([`use_hidden`]).

use crate::explain::conv2d_channel_sums;
use crate::explain::window::input_window;
use crate::layers::Conv2dParams;
use crate::tensor::Tensor;
use crate::ui::state::lang::{t, use_tr};
use crate::ui::state::quiz_hide::{hide_comment, shape_hiding, use_hidden};
use crate::ui::url_state::{LinkNote, bind, fields};
use crate::ui::widgets::channel_slices::{row_fit, row_scale};
use crate::ui::widgets::format::{grouped, num, py_num, shape};
use crate::ui::widgets::grid_look::{legend, shade};
use crate::ui::widgets::stepping::{Player, Timeline};
use crate::ui::widgets::volume::{VolumeSpec, VolumeValues, VolumeView};
use crate::widget_state::{
    POINTWISE_CIN, POINTWISE_PICTURE, POINTWISE_SIDE, POINTWISE_WEIGHTS, PointwiseState,
};
use leptos::prelude::*;

const SIDE: usize = POINTWISE_SIDE;
const CIN: usize = POINTWISE_CIN;
const PICTURE: [f32; CIN * SIDE * SIDE] = POINTWISE_PICTURE;
const WEIGHTS: [f32; 4 * CIN] = POINTWISE_WEIGHTS;

const CHANNEL_KEYS: [&str; CIN] = ["pointwise.red", "pointwise.green", "pointwise.blue"];

/// The widget.
#[component]
pub fn Pointwise() -> impl IntoView {
    let tr = use_tr();
    let (state, link_notes) = bind(PointwiseState::default());
    let (cout, step) = fields!(state: cout, step);
    // In a quiz, output channel 0 at the asked-about pixel prints "?" until answered.
    let hidden = use_hidden();
    let asked = move || hidden.get().cell.map(|(r, c)| r * SIDE + c);
    let player = Player::new(step, Signal::derive(|| SIDE * SIDE));

    let params = Memo::new(move |_| Conv2dParams::new(CIN, cout.get(), 1).bias(false));
    let x = Tensor::new(&[1, CIN, SIDE, SIDE], PICTURE.to_vec()).expect("picture shape");
    let x = StoredValue::new(x);
    let weight = Memo::new(move |_| {
        let m = cout.get();
        Tensor::new(&[m, CIN, 1, 1], WEIGHTS[..m * CIN].to_vec()).expect("weight shape")
    });
    // For the current pixel: the whole output and, per output channel, the per-channel terms.
    let result = Memo::new(move |_| {
        let (p, w, s) = (params.get(), weight.get(), step.get());
        let (oy, ox) = (s / SIDE, s % SIDE);
        let bias = Tensor::zeros(&[p.out_channels]);
        let mut y = None;
        let mut sums = Vec::new();
        for oc in 0..p.out_channels {
            let (out, cs) = x
                .with_value(|x| conv2d_channel_sums(x, &w, &bias, &p, (oc, oy, ox)))
                .map_err(|e| e.to_string())?;
            y = Some(out);
            sums.push(cs);
        }
        Ok::<_, String>((y, sums))
    });

    // The volumes: every kernel a 3 × 1 × 1 block on the current pixel.
    let volume = Signal::derive(move || {
        let (p, s) = (params.get(), step.get());
        let (oy, ox) = (s / SIDE, s % SIDE);
        let (oh, ow) = p.out_hw(SIDE, SIDE).ok()?;
        Some(VolumeSpec {
            input: (CIN, SIDE, SIDE),
            rgb: true,
            used: 0..CIN,
            window: Some(input_window(&p, (oy, ox))),
            weight: p.weight_shape(),
            chosen: None,
            output: (p.out_channels, oh, ow),
            at: (oy, ox),
            // The outputs so far (the asked-about value of a quiz not among them).
            values: result.with(|r| {
                let y = r.as_ref().ok()?.0.as_ref()?;
                let output = (0..p.out_channels * SIDE * SIDE)
                    .map(|i| {
                        let (o, j) = (i / (SIDE * SIDE), i % (SIDE * SIDE));
                        let shown = j <= s && !(o == 0 && asked() == Some(j));
                        if shown { y.data()[i] } else { f32::NAN }
                    })
                    .collect();
                Some(VolumeValues {
                    input: PICTURE.to_vec(),
                    kernel: weight.with(|w| w.data().to_vec()),
                    output,
                })
            }),
        })
    });
    // The input channels on one grey scale (one legend), the current pixel ringed.
    let input_grids = move || {
        let s = step.get();
        let scale = row_scale(&PICTURE, false);
        let slices = (0..CIN)
            .map(|c| {
                let values = &PICTURE[c * SIDE * SIDE..(c + 1) * SIDE * SIDE];
                let cells = (0..SIDE * SIDE)
                    .map(|i| {
                        let v = values[i];
                        let (shaded, style) = shade(&scale, v);
                        let class = format!("cell input ch{c} {shaded}{}", if i == s { " in-window" } else { "" });
                        let title = format!("x[{c}, {}, {}] = {}", i / SIDE, i % SIDE, num(v));
                        view! { <span class=class style=style title=title data-value=py_num(v)>{num(v)}</span> }
                    })
                    .collect_view();
                view! {
                    <figure>
                        <figcaption>{move || format!("{} (c = {c})", tr(CHANNEL_KEYS[c]))}</figcaption>
                        <div class="grid small vgrid" style=format!("--cols: {SIDE}") data-grid="input">{cells}</div>
                    </figure>
                }
            })
            .collect_view();
        view! { <div class="channel-grids" style=row_fit(CIN * SIDE, CIN)>{slices}</div>{legend(scale)} }
    };
    // The weights, one row per kernel, on a diverging scale.
    let weight_table = move || {
        let w = weight.get();
        let scale = row_scale(w.data(), true);
        let rows = (0..cout.get())
            .map(|o| {
                let cells = (0..CIN)
                    .map(|c| {
                        let v = w.data()[o * CIN + c];
                        let (shaded, style) = shade(&scale, v);
                        view! { <td class=format!("kernel-cell {shaded}") style=style data-value=py_num(v)>{num(v)}</td> }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{format!("w[{o}]")}</th>{cells}</tr> }
            })
            .collect_view();
        view! {
            <table class="pointwise-weights">
                <thead><tr><th scope="col"><span class="sr-only">{move || tr("pointwise.kernel_col")}</span></th>{(0..CIN).map(|c| view! { <th scope="col">{move || tr(CHANNEL_KEYS[c])}</th> }).collect_view()}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {legend(scale)}
        }
    };
    // The outputs filled up to the current pixel, on one scale over every output channel (the
    // asked-about value of a quiz stays "?" and uncoloured until answered).
    let output_grids = move || {
        let s = step.get();
        result.with(|r| {
            r.as_ref().ok().and_then(|(y, _)| y.clone()).map(|y| {
                // The legend does not give the asked-about value away either.
                let shown: Vec<f32> = y.data().iter().enumerate().filter(|&(i, _)| asked() != Some(i)).map(|(_, &v)| v).collect();
                let scale = row_scale(&shown, false);
                let slices = (0..cout.get())
                    .map(|o| {
                        let cells = (0..SIDE * SIDE)
                            .map(|i| {
                                let v = y.data()[o * SIDE * SIDE + i];
                                if i > s {
                                    return view! { <span class="cell output pending"></span> }.into_any();
                                }
                                if o == 0 && asked() == Some(i) {
                                    return view! { <span class=format!("cell output quiz-hidden{}", if i == s { " current" } else { "" })>"?"</span> }.into_any();
                                }
                                let (shaded, style) = shade(&scale, v);
                                let class = format!("cell output {shaded}{}", if i == s { " current" } else { "" });
                                let title = format!("out[{o}, {}, {}] = {}", i / SIDE, i % SIDE, num(v));
                                view! { <span class=class style=style title=title data-value=py_num(v)>{num(v)}</span> }.into_any()
                            })
                            .collect_view();
                        view! {
                            <figure>
                                <figcaption>{move || format!("{} {o}", tr("channels.out_channel"))}</figcaption>
                                <div class="grid small vgrid pointwise-out" style=format!("--cols: {SIDE}") data-grid="output">{cells}</div>
                            </figure>
                        }
                    })
                    .collect_view();
                view! { <div class="channel-grids" style=row_fit(cout.get() * SIDE, cout.get())>{slices}</div>{legend(scale)} }
            })
        })
    };
    let narration = move || {
        let s = step.get();
        let (oy, ox) = (s / SIDE, s % SIDE);
        result.with(|r| match r {
            Err(e) => e.clone(),
            Ok((_, sums)) => {
                let w = weight.get();
                sums.iter()
                    .enumerate()
                    .map(|(o, cs)| {
                        let terms: Vec<String> = (0..CIN)
                            .map(|c| {
                                format!(
                                    "{}·{}",
                                    num(w.data()[o * CIN + c]),
                                    num(PICTURE[c * SIDE * SIDE + s])
                                )
                            })
                            .collect();
                        let value = if o == 0 && asked() == Some(s) {
                            "?".into()
                        } else {
                            num(cs.value)
                        };
                        format!("out[{o}, {oy}, {ox}] = {} = {value}", terms.join(" + "))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        })
    };
    // "96 multiplications = 16 pixels × 6 per pixel (3 channels × 2 kernels)": the totals from
    // the core's count, per pixel = the count on a 1 × 1 map.
    let cost = move || {
        let p = params.get();
        let mults = p.mults(SIDE, SIDE).unwrap_or(0);
        let per_pixel = p.mults(1, 1).unwrap_or(0);
        // In a quiz: the output's height and width wait for the size question, the count (its
        // per-pixel figure is the weights') for the parameter question.
        let q = hidden.get();
        let out = p
            .output_shape([1, CIN, SIDE, SIDE])
            .map_or_else(|_| "—".into(), |s| shape_hiding(&s, q.size));
        if q.params {
            return format!(
                "{} {} → {}",
                tr("pointwise.shapes"),
                shape(&[1, CIN, SIDE, SIDE]),
                out
            );
        }
        let count = tr("pointwise.count")
            .replace("{mults}", &grouped(mults))
            .replace("{pixels}", &(SIDE * SIDE).to_string())
            .replace("{per_pixel}", &grouped(per_pixel))
            .replace("{cin}", &CIN.to_string())
            .replace("{cout}", &p.out_channels.to_string());
        format!(
            "{} {} → {} · {count}",
            tr("pointwise.shapes"),
            shape(&[1, CIN, SIDE, SIDE]),
            out,
        )
    };
    let code = move || {
        let p = params.get();
        let m = p.out_channels;
        let list = |v: &[f32]| v.iter().map(|x| py_num(*x)).collect::<Vec<_>>().join(", ");
        let out = p
            .output_shape([1, CIN, SIDE, SIDE])
            .map_or_else(|e| e.to_string(), |s| format!("torch.Size({s:?})"));
        let text = format!(
            "import torch\n\nx = torch.tensor([{}], dtype=torch.float32).view(1, {CIN}, {SIDE}, {SIDE})  # red, green, blue\n\
             conv = torch.nn.Conv2d({CIN}, {m}, kernel_size=1, bias=False)\n\
             conv.weight.data = torch.tensor([{}], dtype=torch.float32).view({m}, {CIN}, 1, 1)\n\
             out = conv(x)\n\
             print(out.shape)  # {out}\n\
             print(out)",
            list(&PICTURE),
            list(&WEIGHTS[..m * CIN]),
        );
        hide_comment(text, "print(out.shape)", hidden.get().size)
    };
    view! {
        <section class="widget pointwise" aria-labelledby="pointwise-heading">
            <h2 id="pointwise-heading">{t("pointwise.heading")}</h2>
            // The introduction sits in the controls' column (beside the visual on wide screens).
            <div class="explorer-body"><div class="explorer-controls">
            <p class="pointwise-intro">{t("pointwise.intro")}</p>
            <div class="controls-grid">
                <label data-control="cout">
                    <span>{t("channels.cout")}</span>
                    <select class="pointwise-cout" on:change=move |ev| { cout.set(event_target_value(&ev).parse().unwrap_or(2)); player.go(0); }>
                        {(1..=4).map(|v| view! { <option value=v.to_string() prop:selected=move || cout.get() == v>{v}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <LinkNote notes=link_notes/>
            <p class="conv-formula"><code class="pointwise-cost">{cost}</code></p>
            // The step's sums beside the visual (under the controls), so that four kernels fit.
            <p class="pointwise-narration conv-narration" aria-live="polite">{narration}</p>
            </div><div class="explorer-visual">
            <VolumeView spec=volume/>
            <div class="conv-grids" role="group" tabindex="0" on:keydown=player.on_key() aria-label=move || tr("pointwise.grids_label")>
                <div class="channel-row"><h3>{t("channels.inputs")}</h3>{input_grids}</div>
                <div class="channel-row"><h3>{t("pointwise.weights")}</h3>{weight_table}</div>
                <div class="channel-row"><h3>{t("channels.outputs")}</h3>{output_grids}</div>
            </div>
            <div class="stepper" data-control="player">
                <button type="button" class="pointwise-back" aria-label=move || tr("conv.back") on:click=move |_| player.go(step.get_untracked().saturating_sub(1))>"◀"</button>
                <button type="button" class="pointwise-play" on:click=move |_| player.toggle()>
                    {move || if player.playing.get() { tr("conv.pause") } else { tr("conv.play") }}
                </button>
                <button type="button" class="pointwise-forward" aria-label=move || tr("conv.forward") on:click=move |_| player.go(step.get_untracked() + 1)>"▶"</button>
                <Timeline player=player label="pointwise.timeline"/>
            </div>
            </div></div>
            <details data-control="code" class="pytorch-code">
                <summary>{t("conv.pytorch")}</summary>
                <pre><code class="pointwise-code">{code}</code></pre>
                <button type="button" class="copy" on:click=move |_| crate::ui::platform::copy_text(&code())>{t("conv.copy")}</button>
            </details>
        </section>
    }
}
