//! The network view: the lab's model (the Net, the residual net or the Inception net, with its
//! shipped weights unless trained or imported) drawn as columns of feature maps for the lab's
//! current digit: input → conv1 → relu(pool(conv1)) → … → flatten → fc → the ten probabilities.
//!
//! Every number comes from the core's [`network::trace`] (the model's forward pass on the
//! reference backend). Hovering or focusing a map cell lights it (output pink) and the window it
//! reads in the previous column (kernel yellow), with lines from the cell to each window; for a
//! convolution the window sits in every input channel. Clicking a cell (or Enter) opens the
//! computation that produced it ([`CellComputation`]); clicking a probability opens its fc row.
//! The input column shows the hovered unit's receptive field (a dashed square) and the status
//! line its size, from [`crate::explain::network::NetworkTrace::receptive_field`]. Each column
//! has a legend ([`HeatLegend`]: the input's grey 0 … 1, the others' signed scale, the column's
//! largest magnitude).
//!
//! Keyboard: each column is one tab stop; the arrows move the cell within a map (Left and Right
//! run on into the neighbouring maps, Page Up and Page Down change the map), Enter opens. The
//! strip scrolls sideways on a phone. Without a drawn or picked digit the view shows the built-in
//! test digit 0 (a 7), so it works at once.

use crate::explain::network::{self, ColumnKind, NetworkTrace};
use crate::tensor::Tensor;
use crate::train::data::{MNIST_MEAN, MNIST_STD, normalize};
use crate::ui::state::lab::{Lab, LabInput, Origin};
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::widgets::cell_computation::{CellComputation, Pick};
use crate::ui::widgets::format::{py_num, shape};
use crate::ui::widgets::heat_canvas::{HeatCanvas, HeatLegend, Palette, max_abs};
use crate::ui::widgets::model_picker::ModelPicker;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// The built-in digit (test digit 0, a 7), normalised.
fn sample_input() -> LabInput {
    LabInput {
        pixels: crate::sample_digit::SAMPLE_DIGIT
            .iter()
            .map(|&b| normalize(b))
            .collect(),
        origin: Origin::Test(0, 7),
    }
}

/// A column's layout: name, `[c, h, w]`, whether it is the input.
type Layout = Vec<(String, [usize; 3], bool)>;

/// Display size of one map, in CSS pixels (small maps get bigger cells, so a 4 × 4 map stays
/// clickable), and how many maps sit side by side in the column.
fn map_size(h: usize, channels: usize, input: bool) -> (usize, usize) {
    let cell = if input {
        4
    } else {
        (40 / h.max(1)).clamp(3, 10)
    };
    let size = h * cell;
    let rows = (460 / (size + 6)).max(1);
    (size, channels.div_ceil(rows))
}

/// The cell under a pointer event on a map of `h × w` cells.
fn cell_at(ev: &web_sys::MouseEvent, h: usize, w: usize) -> Option<(usize, usize)> {
    let el = ev.current_target()?.dyn_into::<web_sys::Element>().ok()?;
    let r = el.get_bounding_client_rect();
    if r.width() <= 0.0 || r.height() <= 0.0 {
        return None;
    }
    let fx = (f64::from(ev.client_x()) - r.left()) / r.width();
    let fy = (f64::from(ev.client_y()) - r.top()) / r.height();
    let at = |f: f64, n: usize| ((f * n as f64).floor().max(0.0) as usize).min(n - 1);
    Some((at(fy, h), at(fx, w)))
}

/// A box over part of a map, in percent of the map (`y0, x0` may be negative in padding).
fn overlay(
    class: &'static str,
    (y0, x0, bh, bw): (isize, isize, usize, usize),
    h: usize,
    w: usize,
) -> AnyView {
    let pct = |v: f64, n: usize| format!("{:.3}%", v * 100.0 / n as f64);
    let style = format!(
        "top:{};left:{};height:{};width:{}",
        pct(y0 as f64, h),
        pct(x0 as f64, w),
        pct(bh as f64, h),
        pct(bw as f64, w)
    );
    view! { <span class=class style=style aria-hidden="true"></span> }.into_any()
}

/// One line of the edges drawn on hover: `(x1, y1, x2, y2)` in the strip's pixels.
type Edge = (f64, f64, f64, f64);

/// The lines from the hovered cell to each window box, measured in the strip.
fn measure_edges(strip: &web_sys::HtmlElement) -> Vec<Edge> {
    let origin = strip.get_bounding_client_rect();
    let (ox, oy) = (
        origin.left() - f64::from(strip.scroll_left()),
        origin.top() - f64::from(strip.scroll_top()),
    );
    let rect = |sel: &str| -> Vec<web_sys::DomRect> {
        strip
            .query_selector_all(sel)
            .map(|list| {
                (0..list.length())
                    .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
                    .map(|e| e.get_bounding_client_rect())
                    .collect()
            })
            .unwrap_or_default()
    };
    let Some(cell) = rect(".nv-cursor").into_iter().next() else {
        return Vec::new();
    };
    let (cx, cy) = (cell.left() - ox, cell.top() + cell.height() / 2.0 - oy);
    rect(".nv-window")
        .into_iter()
        .map(|w| (w.right() - ox, w.top() + w.height() / 2.0 - oy, cx, cy))
        .collect()
}

/// The network view.
#[component]
pub fn NetworkView() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    let lab = Lab::shipped();
    let input = Memo::new(move |_| lab.input.get().unwrap_or_else(sample_input));
    let trace = Memo::new(move |_| {
        let net = lab.model()?;
        let x = input
            .with(|i| Tensor::new(&[1, 1, 28, 28], i.pixels.clone()))
            .ok()?;
        network::trace(net.as_ref(), &x).ok()
    });
    let layout = Memo::new(move |_| {
        trace.with(|t| {
            t.as_ref().map(|t| {
                t.columns
                    .iter()
                    .map(|c| (c.name.clone(), c.shape, c.kind == ColumnKind::Input))
                    .collect::<Layout>()
            })
        })
    });
    let hover = RwSignal::new(None::<(usize, usize, usize, usize)>);
    let pick = RwSignal::new(None::<Pick>);
    // Another model or digit: the cells picked before may not exist any more.
    Effect::new(move |_| {
        layout.track();
        hover.set(None);
        pick.set(None);
    });
    let window = Memo::new(move |_| {
        let (col, _, y, x) = hover.get()?;
        trace.with(|t| t.as_ref()?.window(col, y, x))
    });
    let strip = NodeRef::<Div>::new();
    let edges = RwSignal::new(Vec::<Edge>::new());
    Effect::new(move |_| {
        hover.track();
        let Some(el) = strip.get() else { return };
        let el: web_sys::HtmlElement = el.into();
        edges.set(measure_edges(&el));
    });
    let column_view = move |col: usize, name: String, [ch, h, w]: [usize; 3], is_input: bool| {
        let (size, across) = map_size(h, ch, is_input);
        let scale = Signal::derive(move || {
            trace.with(|t| {
                t.as_ref()
                    .and_then(|t| t.columns.get(col))
                    .map_or(1.0, |c| max_abs(&c.values))
            })
        });
        let maps = (0..ch)
            .map(|c| {
                let values = Signal::derive(move || {
                    trace.with(|t| {
                        let map = t.as_ref().and_then(|t| t.columns.get(col)).map(|k| k.map(c));
                        match map {
                            Some(m) if m.len() == h * w && is_input => {
                                m.iter().map(|v| v * MNIST_STD + MNIST_MEAN).collect()
                            }
                            Some(m) if m.len() == h * w => m.to_vec(),
                            _ => vec![0.0; h * w],
                        }
                    })
                });
                let boxes = move || {
                    let mut out = Vec::new();
                    if let Some(win) = window.get()
                        && win.column == col
                        && hover.with(|h| h.is_some_and(|(hc, hch, _, _)| {
                            // A convolution reads every input channel; pooling its own.
                            let conv = trace.with(|t| {
                                t.as_ref().is_some_and(|t| matches!(t.columns[hc].kind, ColumnKind::Conv(_)))
                            });
                            conv || hch == c
                        }))
                    {
                        out.push(overlay("nv-window", (win.y0, win.x0, win.h, win.w), h, w));
                    }
                    if let Some((hc, hch, y, x)) = hover.get()
                        && hc == col
                        && hch == c
                    {
                        out.push(overlay("nv-cursor", (y as isize, x as isize, 1, 1), h, w));
                    }
                    // On the input: the hovered unit's receptive field (from the core).
                    if is_input
                        && let Some((hc, _, y, x)) = hover.get()
                        && hc > 0
                        && let Some(f) = trace.with(|t| t.as_ref()?.receptive_field(hc))
                    {
                        let (top, left, bottom, right) = f.window(y, x, h, w);
                        out.push(overlay(
                            "nv-field",
                            (top as isize, left as isize, bottom - top, right - left),
                            h,
                            w,
                        ));
                    }
                    if let Some(Pick::Map { col: pc, c: pch, y, x }) = pick.get()
                        && pc == col
                        && pch == c
                    {
                        out.push(overlay("nv-picked", (y as isize, x as isize, 1, 1), h, w));
                    }
                    out
                };
                let palette = if is_input { Palette::Grey } else { Palette::Signed };
                view! {
                    <div class="nv-map" data-channel=c style=format!("width:{size}px;height:{size}px")
                        on:pointermove=move |ev| {
                            if let Some((y, x)) = cell_at(&ev, h, w) {
                                hover.set(Some((col, c, y, x)));
                            }
                        }
                        on:click=move |ev: leptos::ev::MouseEvent| {
                            if let Some((y, x)) = cell_at(&ev, h, w) {
                                hover.set(Some((col, c, y, x)));
                                pick.set(Some(Pick::Map { col, c, y, x }));
                            }
                        }>
                        <HeatCanvas values=values width=w as u32 height=h as u32 palette=palette scale=scale/>
                        {boxes}
                    </div>
                }
            })
            .collect_view();
        let on_key = move |ev: leptos::ev::KeyboardEvent| {
            let (c, y, x) = match hover.get_untracked() {
                Some((hc, c, y, x)) if hc == col => (c, y, x),
                _ => (0, 0, 0),
            };
            let next = match ev.key().as_str() {
                "ArrowRight" if x + 1 < w => (c, y, x + 1),
                "ArrowRight" if c + 1 < ch => (c + 1, y, 0),
                "ArrowLeft" if x > 0 => (c, y, x - 1),
                "ArrowLeft" if c > 0 => (c - 1, y, w - 1),
                "ArrowDown" if y + 1 < h => (c, y + 1, x),
                "ArrowUp" if y > 0 => (c, y - 1, x),
                "PageDown" if c + 1 < ch => (c + 1, y, x),
                "PageUp" if c > 0 => (c - 1, y, x),
                "Enter" | " " => {
                    ev.prevent_default();
                    pick.set(Some(Pick::Map { col, c, y, x }));
                    return;
                }
                "ArrowRight" | "ArrowLeft" | "ArrowDown" | "ArrowUp" | "PageDown" | "PageUp" => {
                    (c, y, x)
                }
                _ => return,
            };
            ev.prevent_default();
            hover.set(Some((col, next.0, next.1, next.2)));
        };
        let aria = {
            let name = name.clone();
            move || format!("{name} {} — {}", shape(&[1, ch, h, w]), tr("net.keys"))
        };
        view! {
            <div class="nv-column" data-col=col data-layer=name.clone() role="group" tabindex="0"
                aria-label=aria on:keydown=on_key
                on:focus=move |_| if hover.get_untracked().is_none_or(|h| h.0 != col) { hover.set(Some((col, 0, 0, 0))) }>
                <h3><code>{name.clone()}</code><small>{shape(&[1, ch, h, w])}</small></h3>
                <div class="nv-maps" style=format!("grid-template-columns:repeat({across}, {size}px)")>{maps}</div>
                <HeatLegend palette=if is_input { Palette::Grey } else { Palette::Signed } scale=scale/>
            </div>
        }
    };
    // The hovered or focused cell and its value, under the strip (read out as it moves).
    let status = move || {
        let (col, c, y, x) = hover.get()?;
        trace.with(|t| {
            let column = t.as_ref()?.columns.get(col)?;
            let field = t
                .as_ref()?
                .receptive_field(col)
                .filter(|_| col > 0)
                .map_or_else(String::new, |f| {
                    format!(" · {} {1} × {1}", tr("net.field"), f.size)
                });
            Some(format!(
                "{}[{c}, {y}, {x}] = {}{field}",
                column.name,
                py_num(column.at(c, y, x)?)
            ))
        })
    };
    let columns = move || {
        layout.get().map(|cols| {
            cols.into_iter()
                .enumerate()
                .map(|(i, (name, s, is_input))| column_view(i, name, s, is_input))
                .collect_view()
        })
    };
    let flat = Signal::derive(move || {
        trace.with(|t| t.as_ref().map(|t| t.flat.clone()).unwrap_or_default())
    });
    let flat_len = move || flat.with(Vec::len);
    let flat_scale = Signal::derive(move || flat.with(|f| max_abs(f)));
    let flat_view = move || {
        let n = flat_len();
        (n > 0).then(|| view! {
            <div class="nv-column nv-flat" data-layer="flatten">
                <h3><code>"flatten"</code><small>{shape(&[1, n])}</small></h3>
                <HeatCanvas values=flat width=1 height=n as u32 palette=Palette::Signed scale=flat_scale class="nv-flat-strip"/>
                <HeatLegend palette=Palette::Signed scale=flat_scale/>
            </div>
        })
    };
    let probs = move || {
        trace
            .with(|t| t.as_ref().map(|t: &NetworkTrace| t.probs.clone()))
            .map(|p| {
                p.into_iter()
                    .enumerate()
                    .map(|(d, v)| {
                        let width = format!("width:{:.1}%", v * 100.0);
                        view! {
                            <button type="button" class="nv-prob" data-class=d
                                class:picked=move || pick.get() == Some(Pick::Prob(d))
                                on:click=move |_| pick.set(Some(Pick::Prob(d)))>
                                // The accessible name is the visible text after "Probability of".
                                <span class="sr-only">{move || tr("net.prob_of")}" "</span>
                                <span class="nv-digit">{d}</span>
                                <span class="nv-bar"><span style=width.clone()></span></span>
                                <span class="nv-p">{format!("{:.2} %", v * 100.0)}</span>
                            </button>
                        }
                    })
                    .collect_view()
            })
    };
    let test_index = RwSignal::new(0usize);
    let show_test = move |_| {
        let i = test_index.get_untracked();
        spawn_local(async move {
            if lab.test_set().await.is_ok() {
                lab.show_test_digit(i);
            }
        });
    };
    let origin = move || match input.with(|i| i.origin.clone()) {
        Origin::Test(i, label) if lab.input.with(Option::is_none) => {
            format!(
                "{} #{i} ({} {label}) · {}",
                tr("draw.from_test"),
                tr("draw.label"),
                tr("net.builtin")
            )
        }
        Origin::Test(i, label) => format!(
            "{} #{i} ({} {label})",
            tr("draw.from_test"),
            tr("draw.label")
        ),
        Origin::Drawing => tr("net.drawn").to_string(),
        Origin::Upload(name) => format!("{} {name}", tr("draw.from_upload")),
    };
    view! {
        <section class="widget network-view" aria-labelledby="net-heading">
            <h2 id="net-heading">{t("net.heading")}</h2>
            <div class="nv-controls">
                <div data-control="model">
                    <ModelPicker value=lab.kind on_pick=Callback::new(move |k| lab.choose(k)) class="nv-model"/>
                </div>
                <div class="nv-digit-picker" data-control="digit">
                    <button type="button" class="nv-sample" on:click=move |_| lab.input.set(Some(sample_input()))>{t("net.sample")}</button>
                    <label>
                        <span>{t("net.test_digit")}</span>
                        <input type="number" class="nv-test-index" min="0" max="9999" prop:value=move || test_index.get().to_string()
                            on:change=move |ev| test_index.set(event_target_value(&ev).parse::<usize>().unwrap_or(0).min(9999))/>
                    </label>
                    <button type="button" class="nv-show-test" on:click=show_test>{t("net.show_test")}</button>
                </div>
                <p class="nv-origin">{origin}" · "{move || lab.describe(lang.get())}</p>
            </div>
            <div class="nv-strip" node_ref=strip on:pointerleave=move |_| hover.set(None)>
                {columns}
                {flat_view}
                <div class="nv-column nv-probs" data-layer="fc">
                    <h3><code>"softmax(fc(x))"</code><small>{shape(&[1, 10])}</small></h3>
                    {probs}
                </div>
                <svg class="nv-edges" aria-hidden="true">
                    {move || edges.get().into_iter().map(|(x1, y1, x2, y2)| view! {
                        <line x1=x1.to_string() y1=y1.to_string() x2=x2.to_string() y2=y2.to_string()></line>
                    }).collect_view()}
                </svg>
            </div>
            <p class="nv-status" aria-live="polite">{status}</p>
            <p class="hint">{t("net.hint")}</p>
            <CellComputation trace=trace pick=pick/>
        </section>
    }
}
