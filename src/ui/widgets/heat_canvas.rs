//! A small image drawn from numbers: a feature map, a kernel or a digit. Grey maps 0–1 to
//! black–white; the signed palette maps −scale…+scale to blue–white–orange, so positive and
//! negative weights read apart without relying on red/green. The canvas has the image's own
//! pixel size and CSS scales it up (pixelated). NaN marks a value not computed yet (grey).
//! [`HeatLegend`] draws a canvas's legend in the same colours.

use crate::ui::state::theme::{Theme, ThemeState};
use crate::ui::widgets::format::{num, py_num};
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::Clamped;

/// How values become colours.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Palette {
    /// 0 → black, 1 → white.
    Grey,
    /// −scale → blue, 0 → the page's surface (white, or dark in the dark theme), +scale → orange.
    Signed,
}

/// The signed palette's zero and its two ends, for the theme: on the dark page zero is the
/// dark surface (a map is not a white tile there) and the ends are lighter.
fn signed_colours(dark: bool) -> ([f32; 3], [f32; 3], [f32; 3]) {
    if dark {
        (
            [26.0, 31.0, 40.0],
            [90.0, 160.0, 235.0],
            [245.0, 140.0, 40.0],
        )
    } else {
        (
            [247.0, 247.0, 247.0],
            [33.0, 102.0, 172.0],
            [230.0, 97.0, 1.0],
        )
    }
}

fn colour(v: f32, palette: Palette, scale: f32, dark: bool) -> [u8; 4] {
    // Not a number: a value not computed yet (a map filling in), in a grey apart from zero.
    if v.is_nan() {
        return if dark {
            [44, 51, 64, 255]
        } else {
            [214, 219, 227, 255]
        };
    }
    match palette {
        Palette::Grey => {
            let g = (v.clamp(0.0, 1.0) * 255.0).round() as u8;
            [g, g, g, 255]
        }
        Palette::Signed => {
            let t = if scale > 0.0 {
                (v / scale).clamp(-1.0, 1.0)
            } else {
                0.0
            };
            let (zero, negative, positive) = signed_colours(dark);
            let (end, w) = if t < 0.0 {
                (negative, -t)
            } else {
                (positive, t)
            };
            let mix = |i: usize| (zero[i] + (end[i] - zero[i]) * w).round() as u8;
            [mix(0), mix(1), mix(2), 255]
        }
    }
}

/// Paints `values` (`width × height`, row-major) onto `canvas`.
pub fn paint(
    canvas: &web_sys::HtmlCanvasElement,
    values: &[f32],
    width: u32,
    height: u32,
    palette: Palette,
    scale: f32,
    dark: bool,
) {
    let Some(ctx) = crate::ui::platform::context_2d(canvas) else {
        return;
    };
    let n = (width * height) as usize;
    let rgba: Vec<u8> = (0..n)
        .flat_map(|i| colour(values.get(i).copied().unwrap_or(0.0), palette, scale, dark))
        .collect();
    if let Ok(data) =
        web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), width, height)
    {
        let _ = ctx.put_image_data(&data, 0.0, 0.0);
    }
}

/// The largest absolute value (at least a tiny positive number), for a signed palette's scale.
pub fn max_abs(values: &[f32]) -> f32 {
    values.iter().fold(1e-6f32, |m, v| m.max(v.abs()))
}

/// A canvas showing `values`.
#[component]
pub fn HeatCanvas(
    #[prop(into)] values: Signal<Vec<f32>>,
    width: u32,
    height: u32,
    #[prop(default = Palette::Grey)] palette: Palette,
    /// For the signed palette: the value drawn at full colour (default: the map's own max).
    #[prop(optional, into)]
    scale: Option<Signal<f32>>,
    #[prop(default = "heat")] class: &'static str,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let theme = use_context::<ThemeState>();
    Effect::new(move |_| {
        let Some(c) = canvas.get() else { return };
        let dark = palette == Palette::Signed && theme.is_some_and(|t| t.current() == Theme::Dark);
        values.with(|v| {
            let s = scale.map_or_else(|| max_abs(v), |s| s.get());
            paint(&c, v, width, height, palette, s, dark);
        });
    });
    view! { <canvas class=class node_ref=canvas width=width.to_string() height=height.to_string() aria-hidden="true"></canvas> }
}

/// A legend end: the lesson's numbers ([`num`]), three decimals for small ones.
fn end(v: f32) -> String {
    if v != 0.0 && v.abs() < 0.1 {
        format!("{v:.3}")
    } else {
        num(v)
    }
}

/// The legend of a [`HeatCanvas`]: its smallest and largest values (grey: 0 … 1; signed:
/// −scale … +scale) and, between them, a bar in the canvas's own colours for the theme (the
/// same [`colour`] that paints it). Its exact ends are in `data-lo` / `data-hi`.
#[component]
pub fn HeatLegend(palette: Palette, #[prop(into)] scale: Signal<f32>) -> impl IntoView {
    let theme = use_context::<ThemeState>();
    let ends = move || match palette {
        Palette::Grey => (0.0, 1.0),
        Palette::Signed => (-scale.get(), scale.get()),
    };
    let bar = move || {
        let dark = palette == Palette::Signed && theme.is_some_and(|t| t.current() == Theme::Dark);
        let (lo, hi) = ends();
        let s = scale.get();
        let stops: Vec<String> = [lo, (lo + hi) / 2.0, hi]
            .iter()
            .map(|&v| {
                let [r, g, b, _] = colour(v, palette, s, dark);
                format!("rgb({r}, {g}, {b})")
            })
            .collect();
        format!(
            "background: linear-gradient(to right, {})",
            stops.join(", ")
        )
    };
    view! {
        <div class="legend heat-legend" aria-hidden="true" data-lo=move || py_num(ends().0) data-hi=move || py_num(ends().1)>
            <span class="legend-lo">{move || end(ends().0)}</span>
            <span class="legend-bar" style=bar></span>
            <span class="legend-hi">{move || end(ends().1)}</span>
        </div>
    }
}
