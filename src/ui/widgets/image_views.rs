//! The Images page's widgets: a raster digit beside a vector one under the same zoom (the
//! raster turns into a mosaic, the vector stays sharp), and the flattening a fully-connected
//! network does: pick a pixel and see where it and its four neighbours land in the 784-long
//! vector (left and right stay adjacent, up and down move 28 apart). Indices come from
//! [`crate::explain::flatten_neighbours`].

use crate::explain::{flatten_neighbours, zoom_window};
use crate::ui::components::widget_head::WidgetHead;
use crate::ui::state::lang::{t, use_tr};
use crate::ui::url_state::{Field, LinkNote, bind, fields};
use crate::widget_state::{FlattenState, RasterState};
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::Clamped;

/// MNIST test image 0 (a 7), 28 rows of hex bytes (MNIST: LeCun, Cortes, Burges; CC BY-SA 3.0).
const SEVEN: [&str; 28] = [
    "00000000000000000000000000000000000000000000000000000000",
    "00000000000000000000000000000000000000000000000000000000",
    "00000000000000000000000000000000000000000000000000000000",
    "00000000000000000000000000000000000000000000000000000000",
    "00000000000000000000000000000000000000000000000000000000",
    "00000000000000000000000000000000000000000000000000000000",
    "00000000000000000000000000000000000000000000000000000000",
    "00000000000054b99f973c2400000000000000000000000000000000",
    "000000000000defefefefef1c6c6c6c6c6c6c6c6aa34000000000000",
    "00000000000043724872a3e3fee1fefefefae5fefe8c000000000000",
    "000000000000000000000011420e4343433b15ecfe6a000000000000",
    "00000000000000000000000000000000000053fdd112000000000000",
    "000000000000000000000000000000000016e9ff5300000000000000",
    "000000000000000000000000000000000081feee2c00000000000000",
    "000000000000000000000000000000003bf9fe3e0000000000000000",
    "0000000000000000000000000000000085febb050000000000000000",
    "00000000000000000000000000000009cdf83a000000000000000000",
    "0000000000000000000000000000007efeb600000000000000000000",
    "00000000000000000000000000004bfbf03900000000000000000000",
    "0000000000000000000000000013ddfea60000000000000000000000",
    "00000000000000000000000003cbfedb230000000000000000000000",
    "00000000000000000000000026fefe4d000000000000000000000000",
    "00000000000000000000001fe0fe7301000000000000000000000000",
    "000000000000000000000085fefe3400000000000000000000000000",
    "000000000000000000003df2fefe3400000000000000000000000000",
    "0000000000000000000079fefedb2800000000000000000000000000",
    "0000000000000000000079fecf120000000000000000000000000000",
    "00000000000000000000000000000000000000000000000000000000",
];

/// A vector 7 in a 28 × 28 box: the same digit as a description, not pixels.
const SEVEN_PATH: &str = "M 6.5 8 L 20.5 8.6 L 19.8 11 L 12 26";

/// Where both views zoom in: a point on the right edge of the 7's diagonal stroke, in pixels
/// (at 16× the raster shows four blocks there, the vector a sharp slanted edge).
const FOCUS: (f64, f64) = (19.0, 14.0);

fn pixels() -> Vec<u8> {
    SEVEN
        .iter()
        .flat_map(|row| {
            (0..28).map(move |i| u8::from_str_radix(&row[2 * i..2 * i + 2], 16).unwrap_or(0))
        })
        .collect()
}

/// Raster versus vector under one zoom slider.
#[component]
pub fn RasterVector() -> impl IntoView {
    let (state, link_notes) = bind(RasterState::default());
    let zoom = Field::from(slice!(state.zoom));
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let Some(canvas) = canvas.get() else { return };
        let Some(ctx) = crate::ui::platform::context_2d(&canvas) else {
            return;
        };
        let rgba: Vec<u8> = pixels().iter().flat_map(|&v| [v, v, v, 255]).collect();
        if let Ok(data) =
            web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), 28, 28)
        {
            let _ = ctx.put_image_data(&data, 0.0, 0.0);
        }
    });
    // Both views show the same window of the image ([`zoom_window`]): the raster is scaled up
    // (its pixels become blocks), the vector view shrinks its view box (it is redrawn sharp).
    let window = move || zoom_window(28.0, FOCUS, zoom.get());
    let view_box = move || {
        let (x, y, side) = window();
        format!("{x} {y} {side} {side}")
    };
    let raster_style = move || {
        let (x, y, side) = window();
        format!(
            "transform-origin: 0 0; transform: scale({}) translate({:.4}%, {:.4}%)",
            28.0 / side,
            -x / 28.0 * 100.0,
            -y / 28.0 * 100.0
        )
    };
    view! {
        <section class="widget raster-vector" aria-labelledby="raster-heading">
            <h2 id="raster-heading">{t("images.raster_heading")}</h2>
            <LinkNote notes=link_notes/>
            <label class="zoom">
                <span>{t("images.zoom")}</span>
                <input class="zoom-slider" type="range" min="1" max="16" step="0.5"
                    prop:value=move || zoom.get().to_string()
                    on:input=move |ev| zoom.set(event_target_value(&ev).parse().unwrap_or(1.0)) />
                <output class="zoom-value">{move || format!("{}×", zoom.get())}</output>
            </label>
            <div class="raster-vector-views">
                <figure>
                    <div class="viewport">
                        <canvas class="raster" node_ref=canvas width="28" height="28" style=raster_style></canvas>
                    </div>
                    <figcaption>{t("images.raster_caption")}</figcaption>
                </figure>
                <figure>
                    <div class="viewport">
                        <svg class="vector" viewBox=view_box role="img" aria-label=t("images.vector_caption")>
                            <rect x="-100" y="-100" width="228" height="228" fill="#000"></rect>
                            <path d=SEVEN_PATH fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"></path>
                        </svg>
                    </div>
                    <figcaption>{t("images.vector_caption")}</figcaption>
                </figure>
            </div>
        </section>
    }
}

/// The flattening of a 28 × 28 image into 784 numbers.
#[component]
pub fn Flattening() -> impl IntoView {
    let tr = use_tr();
    let (state, link_notes) = bind(FlattenState::default());
    let (row, col) = fields!(state: row, col);
    let flat = Memo::new(move |_| flatten_neighbours(28, 28, row.get(), col.get()));
    let digit = pixels();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let (r, c) = (row.get_untracked(), col.get_untracked());
        let moved = match ev.key().as_str() {
            "ArrowUp" => Some((r.saturating_sub(1), c)),
            "ArrowDown" => Some(((r + 1).min(27), c)),
            "ArrowLeft" => Some((r, c.saturating_sub(1))),
            "ArrowRight" => Some((r, (c + 1).min(27))),
            _ => None,
        };
        if let Some((r, c)) = moved {
            ev.prevent_default();
            row.set(r);
            col.set(c);
        }
    };
    let role_of = move |i: usize| {
        let f = flat.get();
        if i == f.index {
            "selected"
        } else if Some(i) == f.up || Some(i) == f.down {
            "vertical"
        } else if Some(i) == f.left || Some(i) == f.right {
            "horizontal"
        } else {
            ""
        }
    };
    let grid = {
        let digit = digit.clone();
        move || {
            (0..784)
                .map(|i| {
                    let v = digit[i];
                    let style = format!("background: rgb({v}, {v}, {v})");
                    view! {
                        <span class=move || format!("px {}", role_of(i)) style=style
                            on:click=move |_| { row.set(i / 28); col.set(i % 28); }></span>
                    }
                })
                .collect_view()
        }
    };
    // A window of the flat vector around the pixel: wide enough to show both vertical neighbours.
    let strip = move || {
        let f = flat.get();
        let lo = f.index.saturating_sub(30);
        let hi = (f.index + 31).min(784);
        (lo..hi)
            .map(|i| {
                let v = digit[i];
                view! {
                    <span class=move || format!("flat-cell {}", role_of(i)) data-index=i
                        style=format!("background: rgb({v}, {v}, {v})")></span>
                }
            })
            .collect_view()
    };
    let fmt = |v: Option<usize>| v.map_or("—".to_string(), |i| i.to_string());
    let explanation = move || {
        let f = flat.get();
        format!(
            "({}, {}) → {} · 28 + {} = {}.  {} {} / {}.  {} {} / {}.",
            row.get(),
            col.get(),
            row.get(),
            col.get(),
            f.index,
            tr("images.flat_horizontal"),
            fmt(f.left),
            fmt(f.right),
            tr("images.flat_vertical"),
            fmt(f.up),
            fmt(f.down)
        )
    };
    view! {
        <section class="widget flattening" aria-labelledby="flatten-heading">
            <WidgetHead id="flatten-heading" heading="images.flatten_heading" hint="images.flatten_hint" notes=link_notes/>
            <div class="flatten-layout">
                <div class="pixel-grid" role="group" tabindex="0" on:keydown=on_key aria-label=move || tr("images.grid_label")>{grid}</div>
                <div class="flatten-text">
                    <p class="flatten-explanation" aria-live="polite">{explanation}</p>
                    <p class="legend">
                        <span class="swatch selected"></span>{t("images.legend_pixel")}
                        <span class="swatch horizontal"></span>{t("images.legend_horizontal")}
                        <span class="swatch vertical"></span>{t("images.legend_vertical")}
                    </p>
                </div>
            </div>
            <div class="flat-strip" aria-hidden="true">{strip}</div>
            <p class="hint">{t("images.strip_caption")}</p>
        </section>
    }
}
