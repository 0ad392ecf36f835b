//! The compared runs' charts: run A's and run B's points as two lines on one plotters chart
//! (on a `<canvas>`, plotters-canvas), in the colours of the panel's legend ([`COLOURS`]),
//! redrawn when either changes. The numbers are the runs' own recorded values (the panel's
//! table shows them too). The canvas carries each line's point count (`data-points-a`,
//! `data-points-b`) for the tests.

use crate::ui::widgets::loss_chart::{chart_canvas, draw_lines};
use leptos::prelude::*;
use plotters::style::RGBColor;

/// Run A's and run B's colours (blue and orange: told apart with any colour vision; the same
/// in both themes). style.css's `.compare-key-a` / `-b` use the same.
pub const COLOURS: [RGBColor; 2] = [RGBColor(37, 110, 230), RGBColor(235, 120, 20)];

/// A chart of runs A's and B's `(x, value)` points; `label`: its accessible name. The y axis
/// starts at `bottom` and reaches at least `min_top` (100 or more: a percentage); the x axis
/// reaches at least `min_x`.
#[component]
pub fn PairChart(
    #[prop(into)] a: Signal<Vec<(u64, f32)>>,
    #[prop(into)] b: Signal<Vec<(u64, f32)>>,
    label: Signal<String>,
    #[prop(default = 0.5)] min_top: f32,
    #[prop(default = 0.0)] bottom: f32,
    #[prop(default = 10)] min_x: u64,
    class: &'static str,
) -> impl IntoView {
    let canvas = chart_canvas(move |canvas, dark| {
        a.with(|a| {
            b.with(|b| {
                let lines = [(a.as_slice(), COLOURS[0]), (b.as_slice(), COLOURS[1])];
                draw_lines(canvas, &lines, dark, min_top, bottom, min_x);
            })
        });
    });
    view! {
        <canvas
            class=class
            node_ref=canvas
            width="640"
            height="240"
            role="img"
            aria-label=label
            data-points-a=move || a.with(Vec::len)
            data-points-b=move || b.with(Vec::len)
        ></canvas>
    }
}
