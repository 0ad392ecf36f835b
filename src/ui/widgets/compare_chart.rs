//! The compared runs' charts: run A's and run B's points as two lines on one plotters chart
//! (on a `<canvas>`, plotters-canvas), in the colours of the panel's legend ([`COLOURS`]),
//! redrawn when either changes. The numbers are the runs' own recorded values (the panel's
//! table shows them too). The canvas carries each line's point count (`data-points-a`,
//! `data-points-b`) for the tests.

use crate::ui::state::theme::{Theme, ThemeState};
use crate::ui::widgets::loss_chart::{
    LABEL_PX, css_scale, grid_colour, resize_tick, surface_colours,
};
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

/// Run A's and run B's colours (blue and orange: told apart with any colour vision; the same
/// in both themes). style.css's `.compare-key-a` / `-b` use the same.
pub const COLOURS: [RGBColor; 2] = [RGBColor(37, 110, 230), RGBColor(235, 120, 20)];

/// Draws both runs' points; skipped when the canvas has no size (the table has the numbers).
fn draw(
    canvas: web_sys::HtmlCanvasElement,
    lines: [&[(u64, f32)]; 2],
    dark: bool,
    min_top: f32,
    bottom: f32,
    min_x: u64,
) -> Option<()> {
    let px = css_scale(&canvas);
    let size = |v: f64| (v * px).round() as u32;
    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    let (bg, fg) = surface_colours(dark);
    root.fill(&bg).ok()?;
    let all = || lines.iter().flat_map(|l| l.iter());
    let max_x = all().map(|p| p.0).fold(min_x, u64::max) as f32;
    let finite = || all().map(|p| p.1).filter(|v| v.is_finite());
    let top = finite().fold(min_top, f32::max);
    let percent = min_top >= 100.0;
    let top = if percent { top } else { top * 1.05 };
    let low = finite().fold(bottom, f32::min);
    let bottom = if percent && low < bottom {
        ((low - 5.0) / 10.0).floor().max(0.0) * 10.0
    } else {
        bottom
    };
    let mut chart = ChartBuilder::on(&root)
        .margin(size(8.0))
        .x_label_area_size(size(24.0))
        .y_label_area_size(size(40.0))
        .build_cartesian_2d(0f32..max_x, bottom..top)
        .ok()?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(grid_colour(dark))
        .axis_style(fg)
        .label_style(("sans-serif", LABEL_PX * px).into_font().color(&fg))
        .x_labels(6.min(max_x as usize + 1))
        .y_labels(5)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| {
            if percent {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            }
        })
        .draw()
        .ok()?;
    for (points, colour) in lines.into_iter().zip(COLOURS) {
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|&(s, l)| (s as f32, l)),
                colour.stroke_width(size(2.0)),
            ))
            .ok()?;
        if points.len() < 8 {
            chart
                .draw_series(
                    points
                        .iter()
                        .map(|&(s, l)| Circle::new((s as f32, l), size(4.0), colour.filled())),
                )
                .ok()?;
        }
    }
    root.present().ok()
}

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
    let canvas = NodeRef::<Canvas>::new();
    let theme = expect_context::<ThemeState>();
    let resized = resize_tick();
    Effect::new(move |_| {
        resized.track();
        let dark = theme.current() == Theme::Dark;
        a.with(|a| {
            b.with(|b| {
                if let Some(canvas) = canvas.get() {
                    draw(canvas, [a, b], dark, min_top, bottom, min_x);
                }
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
