//! The network view's zoom into one number: the computation that produced the picked cell,
//! every value from the core ([`NetworkTrace::cell`] and [`NetworkTrace::fc`]).
//!
//! - A convolution cell: per input channel its share Σ x·w (a button each); for the chosen
//!   channel the input window (input green), the kernel's weights (kernel yellow) and the
//!   products; then bias + Σ shares = the sum, shown beside the value in the map (output pink).
//!   The sum is the core's, computed in the forward pass's own order, so the two are equal.
//! - A pooling cell: the 2 × 2 window with its maximum marked, then the ReLU.
//! - A block's cell: the convolution that made its channel (the block's inside is the Deeper
//!   chapter's subject). An input pixel: its normalised value.
//! - A probability: the row of `fc.weight`, the flattened input and the products (a scrollable
//!   table), bias + Σ = the logit, and the softmax over the ten logits.
//!
//! Numbers in grids use the lesson's short form ([`num`]); sums and map values are written
//! exactly ([`py_num`]) and carried in `data-sum` / `data-value` for the browser test.

use crate::explain::Tap;
use crate::explain::network::{Cell, NetworkTrace};
use crate::ui::state::lab::Lab;
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::widgets::format::{num, py_num};
use leptos::prelude::*;

/// What the learner picked in the network view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// Cell `(c, y, x)` of column `col`.
    Map {
        /// The column (0 = the input).
        col: usize,
        /// Channel.
        c: usize,
        /// Row.
        y: usize,
        /// Column in the map.
        x: usize,
    },
    /// The probability of this class (fc's row).
    Prob(usize),
}

/// A `rows × cols` grid of numbers with a class per cell.
fn grid(class: &'static str, cols: usize, cells: Vec<(String, &'static str)>) -> AnyView {
    let cells = cells
        .into_iter()
        .map(|(v, extra)| view! { <span class=format!("nv-num {extra}")>{v}</span> })
        .collect_view();
    view! { <div class=format!("nv-grid {class}") style=format!("grid-template-columns:repeat({cols}, auto)")>{cells}</div> }.into_any()
}

fn taps_grid(class: &'static str, kw: usize, taps: &[Tap], f: impl Fn(&Tap) -> f32) -> AnyView {
    let cells = taps
        .iter()
        .map(|t| (num(f(t)), if t.in_padding { "pad" } else { "" }))
        .collect();
    grid(class, kw, cells)
}

/// The equality line: `sum = … ` beside the map's value.
fn equals(sum: f32, value: f32, lang: RwSignal<crate::i18n::Lang>) -> impl IntoView {
    let same = sum.to_bits() == value.to_bits();
    view! {
        <p class="nv-equals" data-sum=py_num(sum) data-value=py_num(value) data-equal=same.to_string()>
            {move || crate::i18n::tr(lang.get(), "net.sum")}" = "<strong class="nv-sum">{py_num(sum)}</strong>
            " · "{move || crate::i18n::tr(lang.get(), "net.in_map")}" "<strong class="nv-value">{py_num(value)}</strong>
            {same.then_some(" ✓")}
        </p>
    }
}

/// The computation panel for `pick` (nothing until a cell is picked).
#[component]
pub fn CellComputation(
    /// The network view's trace.
    trace: Memo<Option<NetworkTrace>>,
    /// The picked cell or probability.
    pick: RwSignal<Option<Pick>>,
) -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    let lab = Lab::get();
    // The input channel shown in full (the others as their shares); back to 0 on a new pick.
    let channel = RwSignal::new(0usize);
    Effect::new(move |_| {
        pick.track();
        channel.set(0);
    });
    let body = move || -> Option<AnyView> {
        let net = lab.model()?;
        let p = pick.get()?;
        trace.with(|t| {
            let t = t.as_ref()?;
            Some(match p {
                Pick::Prob(class) => {
                    let fc = t.fc(net.as_ref(), class).ok()?;
                    let rows = (0..fc.inputs.len())
                        .map(|i| view! {
                            <tr><td>{i}</td><td class="nv-in">{num(fc.inputs[i])}</td><td class="nv-k">{num(fc.weights[i])}</td><td>{num(fc.products[i])}</td></tr>
                        })
                        .collect_view();
                    let logits = t
                        .logits
                        .iter()
                        .enumerate()
                        .map(|(d, z)| format!("z{d} = {}", num(*z)))
                        .collect::<Vec<_>>()
                        .join(", ");
                    view! {
                        <h3><code>{format!("fc(x)[{class}] = fc.bias[{class}] + Σᵢ fc.weight[{class}, i] · x[i]")}</code></h3>
                        <p class="hint">{move || format!("{} {}", fc.inputs.len(), tr("net.fc_terms"))}</p>
                        <div class="nv-table-wrap" tabindex="0" role="region" aria-label=move || tr("net.fc_row")>
                            <table class="nv-table">
                                <thead><tr><th>"i"</th><th>"x[i]"</th><th>{format!("fc.weight[{class}, i]")}</th><th>"×"</th></tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                        <p>{format!("fc.bias[{class}] = {}", num(fc.bias))}</p>
                        {equals(fc.sum, t.logits[class], lang)}
                        <p class="nv-softmax" data-prob=py_num(fc.prob)>
                            {move || tr("net.softmax")}" "
                            <code>{format!("p{class} = exp(z{class}) / Σⱼ exp(zⱼ) = {}", py_num(fc.prob))}</code>
                            <br/><small>{logits}</small>
                        </p>
                    }
                    .into_any()
                }
                Pick::Map { col, c, y, x } => {
                    let column = t.columns.get(col)?;
                    let value = column.at(c, y, x)?;
                    let title = format!("{}[0, {c}, {y}, {x}]", column.name);
                    match t.cell(net.as_ref(), col, c, y, x).ok()? {
                        Cell::Conv(cell) => {
                            let kw = cell.channels.first().map_or(1, |ch| {
                                ch.taps.iter().map(|t| t.kx).max().unwrap_or(0) + 1
                            });
                            let prev = t.columns.get(cell.window.column).map(|c| c.name.clone()).unwrap_or_default();
                            let shares = cell
                                .channels
                                .iter()
                                .map(|ch| {
                                    let i = ch.channel;
                                    view! {
                                        <button type="button" class="nv-share" data-channel=i
                                            aria-pressed=move || (channel.get() == i).to_string()
                                            on:click=move |_| channel.set(i)>
                                            {format!("{i}: {}", num(ch.partial))}
                                        </button>
                                    }
                                })
                                .collect_view();
                            let detail = {
                                let cell = cell.clone();
                                let prev = prev.clone();
                                move || {
                                    let ch = cell.channels.get(channel.get())?.clone();
                                    let i = ch.channel;
                                    Some(view! {
                                        <div class="nv-windows">
                                            <figure><figcaption>{format!("{prev}[0, {i}] ")}{move || tr("net.window")}</figcaption>
                                                {taps_grid("nv-input", kw, &ch.taps, |t| t.x)}</figure>
                                            <figure><figcaption>{format!("{}[{}, {i}]", cell.weight, cell.kernel)}</figcaption>
                                                {taps_grid("nv-kernel", kw, &ch.taps, |t| t.w)}</figure>
                                            <figure><figcaption>{move || tr("net.products")}{format!(" Σ = {}", num(ch.partial))}</figcaption>
                                                {taps_grid("nv-products", kw, &ch.taps, |t| t.product)}</figure>
                                        </div>
                                    })
                                }
                            };
                            view! {
                                <h3><code>{title}</code></h3>
                                <p class="hint">{move || format!("{} {} · {}", cell.channels.len(), tr("net.channels_of"), prev)}</p>
                                <div class="nv-shares" role="group" aria-label=move || tr("net.shares")>{shares}</div>
                                {detail}
                                <p>{format!("{} = {}", cell.weight.replace("weight", "bias"), num(cell.bias))}</p>
                                {equals(cell.sum, value, lang)}
                            }
                            .into_any()
                        }
                        Cell::Pool(cell) => {
                            let cells = cell
                                .cells
                                .iter()
                                .map(|&(cy, cx, v)| (num(v), if (cy, cx) == cell.argmax { "argmax" } else { "" }))
                                .collect();
                            view! {
                                <h3><code>{title}</code></h3>
                                <div class="nv-windows"><figure><figcaption>{move || tr("net.window")}</figcaption>{grid("nv-input", cell.window.w, cells)}</figure></div>
                                <p>{format!("max = {} · relu(max) = ", num(cell.max))}</p>
                                {equals(cell.value, value, lang)}
                            }
                            .into_any()
                        }
                        Cell::Block(conv, k) => view! {
                            <h3><code>{title}</code>" = "{py_num(value)}</h3>
                            <p>{move || tr("net.block")}" "<code>{format!("{conv}.weight[{k}]")}</code></p>
                        }
                        .into_any(),
                        Cell::Input(v) => view! {
                            <h3><code>{title}</code>" = "{py_num(v)}</h3>
                            <p>{move || tr("net.pixel")}</p>
                        }
                        .into_any(),
                    }
                }
            })
        })
    };
    view! {
        <div class="nv-panel" aria-live="polite">
            {move || body().unwrap_or_else(|| view! { <p class="hint">{t("net.pick")}</p> }.into_any())}
        </div>
    }
}
