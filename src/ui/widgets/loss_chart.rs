//! The training charts (loss per step, test accuracy per epoch): a plotters line chart drawn on
//! a `<canvas>` (plotters-canvas), redrawn whenever the points change. The numbers are the
//! session's recorded values.

use crate::ui::state::theme::{Theme, ThemeState};
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

/// The charts' background (the widget surface, style.css `--surface`) and text colours for the
/// theme, shared by every plotters chart so each redraw starts from a clean canvas.
pub fn surface_colours(dark: bool) -> (RGBColor, RGBColor) {
    if dark {
        (RGBColor(26, 31, 40), RGBColor(230, 233, 239))
    } else {
        (RGBColor(255, 255, 255), RGBColor(29, 35, 48))
    }
}

/// Draws `points` (`(step, loss)`) on `canvas`. Failures (a canvas of zero size) are skipped:
/// the numbers are also shown as text beside the chart.
fn draw(
    canvas: web_sys::HtmlCanvasElement,
    points: &[(u64, f32)],
    dark: bool,
    min_top: f32,
    bottom: f32,
    min_x: u64,
) -> Option<()> {
    let backend = CanvasBackend::with_canvas_object(canvas)?;
    let root = backend.into_drawing_area();
    let (bg, fg) = surface_colours(dark);
    let grid = if dark {
        RGBColor(60, 66, 80)
    } else {
        RGBColor(221, 225, 232)
    };
    root.fill(&bg).ok()?;
    let max_step = points.last().map_or(min_x, |p| p.0.max(min_x)) as f32;
    let top = points
        .iter()
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .fold(min_top, f32::max);
    let top = if min_top >= 100.0 { top } else { top * 1.05 };
    // A percentage chart starts at `bottom` unless a point lies lower (a diverged run).
    let low = points
        .iter()
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .fold(bottom, f32::min);
    let bottom = if min_top >= 100.0 && low < bottom {
        ((low - 5.0) / 10.0).floor().max(0.0) * 10.0
    } else {
        bottom
    };
    let mut chart = ChartBuilder::on(&root)
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(40)
        .build_cartesian_2d(0f32..max_step, bottom..top)
        .ok()?;
    chart
        .configure_mesh()
        .light_line_style(grid)
        .bold_line_style(grid)
        .axis_style(fg)
        .label_style(("sans-serif", 12).into_font().color(&fg))
        .x_labels(6.min(max_step as usize + 1))
        .y_labels(5)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| {
            if min_top >= 100.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            }
        })
        .draw()
        .ok()?;
    let line = RGBColor(230, 73, 128); // the lesson's output pink
    chart
        .draw_series(LineSeries::new(
            points.iter().map(|&(s, l)| (s as f32, l)),
            line.stroke_width(2),
        ))
        .ok()?;
    if points.len() < 8 {
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&(s, l)| Circle::new((s as f32, l), 4, line.filled())),
            )
            .ok()?;
    }
    root.present().ok()
}

/// A chart of `(x, value)` points (x: a step, or an epoch); `label`: its accessible name. The
/// y axis starts at `bottom` and reaches at least `min_top` (100 or more: a percentage, not
/// stretched); the x axis reaches at least `min_x`.
#[component]
pub fn LossChart(
    #[prop(into)] history: Signal<Vec<(u64, f32)>>,
    label: Signal<String>,
    #[prop(default = 0.5)] min_top: f32,
    #[prop(default = 0.0)] bottom: f32,
    #[prop(default = "loss-chart")] class: &'static str,
    #[prop(default = 10)] min_x: u64,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let theme = expect_context::<ThemeState>();
    Effect::new(move |_| {
        let points = history.get();
        let dark = theme.current() == Theme::Dark;
        if let Some(canvas) = canvas.get() {
            draw(canvas, &points, dark, min_top, bottom, min_x);
        }
    });
    view! { <canvas class=class node_ref=canvas width="640" height="240" role="img" aria-label=label></canvas> }
}
