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

/// The charts' grid colour for the theme: a faint line, lighter than the text.
pub fn grid_colour(dark: bool) -> RGBColor {
    if dark {
        RGBColor(52, 58, 72)
    } else {
        RGBColor(230, 233, 238)
    }
}

/// Chart labels' size in CSS pixels, whatever the canvas is scaled to.
pub const LABEL_PX: f64 = 13.0;

/// Canvas pixels per CSS pixel on `canvas` as laid out (1 when it is not): the charts multiply
/// their text and margins by it, so a 640-pixel chart shown 300 pixels wide on a phone keeps
/// labels of [`LABEL_PX`].
pub fn css_scale(canvas: &web_sys::HtmlCanvasElement) -> f64 {
    let shown = canvas.get_bounding_client_rect().width();
    if shown > 0.0 {
        f64::from(canvas.width()) / shown
    } else {
        1.0
    }
}

/// A signal that changes when the window is resized, so that a chart redraws at its new scale.
pub fn resize_tick() -> ReadSignal<u32> {
    let (tick, set_tick) = signal(0u32);
    let handle = window_event_listener(leptos::ev::resize, move |_| set_tick.update(|t| *t += 1));
    on_cleanup(move || handle.remove());
    tick
}

/// A chart's canvas, drawn by `draw(canvas, dark)` once it is in the page and again whenever
/// what `draw` reads changes, the theme changes or the window is resized (the labels keep their
/// CSS size at the new scale). Every plotters chart of the app is set up this way.
pub fn chart_canvas(draw: impl Fn(web_sys::HtmlCanvasElement, bool) + 'static) -> NodeRef<Canvas> {
    let canvas = NodeRef::<Canvas>::new();
    let theme = expect_context::<ThemeState>();
    let resized = resize_tick();
    Effect::new(move |_| {
        resized.track();
        let dark = theme.current() == Theme::Dark;
        if let Some(c) = canvas.get() {
            draw(c, dark);
        }
    });
    canvas
}

/// The single line's colour: the lesson's output pink.
const LINE: RGBColor = RGBColor(230, 73, 128);

/// Draws `lines` (each `(x, value)` points and its colour) on one chart on `canvas`: the y axis
/// from `bottom` (lower if a percentage chart has a point below it: a diverged run) to at least
/// `min_top` (100 or more: a percentage, not stretched), the x axis to at least `min_x`; dots
/// mark the points of a line with fewer than 8. Failures (a canvas of zero size) are skipped:
/// the numbers are also shown as text beside the chart.
pub fn draw_lines(
    canvas: web_sys::HtmlCanvasElement,
    lines: &[(&[(u64, f32)], RGBColor)],
    dark: bool,
    min_top: f32,
    bottom: f32,
    min_x: u64,
) -> Option<()> {
    let px = css_scale(&canvas);
    let size = |v: f64| (v * px).round() as u32;
    let backend = CanvasBackend::with_canvas_object(canvas)?;
    let root = backend.into_drawing_area();
    let (bg, fg) = surface_colours(dark);
    root.fill(&bg).ok()?;
    let all = || lines.iter().flat_map(|(points, _)| points.iter());
    let max_x = all().map(|p| p.0).fold(min_x, u64::max) as f32;
    let finite = || all().map(|p| p.1).filter(|v| v.is_finite());
    let percent = min_top >= 100.0;
    let top = finite().fold(min_top, f32::max);
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
    // Only the labelled grid lines, faint.
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
    for &(points, colour) in lines {
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
    let canvas = chart_canvas(move |canvas, dark| {
        history.with(|points| draw_lines(canvas, &[(points, LINE)], dark, min_top, bottom, min_x));
    });
    view! { <canvas class=class node_ref=canvas width="640" height="240" role="img" aria-label=label></canvas> }
}
