//! A small image drawn from numbers: a feature map, a kernel or a digit. Grey maps 0–1 to
//! black–white; the signed palette maps −scale…+scale to blue–white–orange, so positive and
//! negative weights read apart without relying on red/green. The canvas has the image's own
//! pixel size and CSS scales it up (pixelated).

use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::{Clamped, JsCast};

/// How values become colours.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Palette {
    /// 0 → black, 1 → white.
    Grey,
    /// −scale → blue, 0 → white, +scale → orange.
    Signed,
}

fn colour(v: f32, palette: Palette, scale: f32) -> [u8; 4] {
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
            let (end, w) = if t < 0.0 {
                ([33.0, 102.0, 172.0], -t)
            } else {
                ([230.0, 97.0, 1.0], t)
            };
            let mix = |e: f32| (247.0 + (e - 247.0) * w).round() as u8;
            [mix(end[0]), mix(end[1]), mix(end[2]), 255]
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
) {
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let n = (width * height) as usize;
    let rgba: Vec<u8> = (0..n)
        .flat_map(|i| colour(values.get(i).copied().unwrap_or(0.0), palette, scale))
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
    Effect::new(move |_| {
        let Some(c) = canvas.get() else { return };
        values.with(|v| {
            let s = scale.map_or_else(|| max_abs(v), |s| s.get());
            paint(&c, v, width, height, palette, s);
        });
    });
    view! { <canvas class=class node_ref=canvas width=width.to_string() height=height.to_string() aria-hidden="true"></canvas> }
}
