//! The ten class probabilities as a plotters bar chart (the top guess in the lesson's output
//! pink, the others grey), redrawn whenever they change: at the next animation frame, once per
//! frame however often they change (a stroke's answers), so the drawing never runs in the task
//! that shows a new answer. The same numbers are also in a list for screen readers beside it.

use crate::ui::widgets::loss_chart::{
    LABEL_PX, chart_canvas, css_scale, grid_colour, surface_colours,
};
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

fn draw(canvas: web_sys::HtmlCanvasElement, probs: &[f32], dark: bool) -> Option<()> {
    let px = css_scale(&canvas);
    let size = |v: f64| (v * px).round() as u32;
    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    let (bg, fg) = surface_colours(dark);
    let other = if dark {
        RGBColor(90, 98, 115)
    } else {
        RGBColor(196, 201, 212)
    };
    root.fill(&bg).ok()?;
    let mut chart = ChartBuilder::on(&root)
        .margin(size(6.0))
        .x_label_area_size(size(22.0))
        .y_label_area_size(size(40.0))
        // Ten slots, 0 to 9 (a discrete range counts both ends).
        .build_cartesian_2d((0..9usize).into_segmented(), 0f64..100f64)
        .ok()?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(grid_colour(dark))
        .axis_style(fg)
        .y_labels(5)
        .y_label_formatter(&|v| format!("{v:.0}%"))
        .x_label_formatter(&|x| match x {
            // Ten digits, ten labels (the segmented axis also has a centre after the last bar).
            SegmentValue::CenterOf(d) if *d < probs.len() => d.to_string(),
            _ => String::new(),
        })
        .label_style(("sans-serif", LABEL_PX * px).into_font().color(&fg))
        .draw()
        .ok()?;
    let best = crate::train::fit::argmax(probs);
    let pink = RGBColor(230, 73, 128);
    chart
        .draw_series(probs.iter().enumerate().map(|(d, &p)| {
            let colour = if d == best { pink } else { other };
            Rectangle::new(
                [
                    (SegmentValue::Exact(d), 0.0),
                    (SegmentValue::Exact(d + 1), f64::from(p) * 100.0),
                ],
                colour.filled(),
            )
        }))
        .ok()?;
    root.present().ok()
}

/// The chart of `probs` (ten values summing to 1), or empty bars when there are none.
#[component]
pub fn ProbChart(
    #[prop(into)] probs: Signal<Option<Vec<f32>>>,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    // The drawing waiting for the next frame (the newest one; `None`: no frame asked for).
    let queued = StoredValue::new_local(None::<(web_sys::HtmlCanvasElement, Vec<f32>, bool)>);
    let canvas = chart_canvas(move |c, dark| {
        let p = probs.get().unwrap_or_else(|| vec![0.0; 10]);
        let asked = queued.with_value(Option::is_some);
        queued.set_value(Some((c, p, dark)));
        if !asked {
            request_animation_frame(move || {
                // (Nothing once the chart is gone.)
                if let Some((c, p, dark)) = queued.try_update_value(Option::take).flatten() {
                    draw(c, &p, dark);
                }
            });
        }
    });
    view! { <canvas class="prob-chart" node_ref=canvas width="360" height="180" role="img" aria-label=label></canvas> }
}
