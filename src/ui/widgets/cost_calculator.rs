//! The cost of a convolution with and without a 1×1 bottleneck: multiplications and parameters
//! for a `k × k` convolution from `C_in` to `C_out` channels on an `H × W` map (padding `k // 2`,
//! so the size is kept), directly or through a 1×1 convolution to `b` channels first. The
//! lesson's example is the default: 192×28×28 → 32 with 5×5: 120,422,400 multiplications, or
//! 12,443,648 through 16 channels. Every figure comes from [`Conv2dParams::mults`] and
//! [`Conv2dParams::param_count`]; the bars are a plotters chart.

use crate::layers::Conv2dParams;
use crate::ui::state::lang::{t, use_tr};
use crate::ui::url_state::{Field, LinkNote, bind, fields};
use crate::ui::widgets::format::grouped;
use crate::ui::widgets::loss_chart::{
    LABEL_PX, chart_canvas, css_scale, grid_colour, surface_colours,
};
use crate::widget_state::CostState;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

/// Multiplications and parameters of one design.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Cost {
    mults: u64,
    params: usize,
}

fn direct(h: usize, w: usize, cin: usize, cout: usize, k: usize) -> Option<Cost> {
    let p = Conv2dParams::new(cin, cout, k).padding(k / 2).bias(false);
    Some(Cost {
        mults: p.mults(h, w).ok()?,
        params: p.param_count(),
    })
}

fn bottleneck(h: usize, w: usize, cin: usize, cout: usize, k: usize, b: usize) -> Option<Cost> {
    let one = Conv2dParams::new(cin, b, 1).bias(false);
    let big = Conv2dParams::new(b, cout, k).padding(k / 2).bias(false);
    Some(Cost {
        mults: one.mults(h, w).ok()? + big.mults(h, w).ok()?,
        params: one.param_count() + big.param_count(),
    })
}

fn draw(canvas: web_sys::HtmlCanvasElement, bars: &[(String, u64)], dark: bool) -> Option<()> {
    let px = css_scale(&canvas);
    let size = |v: f64| (v * px).round() as u32;
    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    let (bg, fg) = surface_colours(dark);
    root.fill(&bg).ok()?;
    let top = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1) as f64 * 1.15;
    let mut chart = ChartBuilder::on(&root)
        .margin(size(10.0))
        .x_label_area_size(size(24.0))
        .y_label_area_size(size(56.0))
        // One slot per bar when there are two (a discrete range counts both ends; one value
        // alone would be a range of no width).
        .build_cartesian_2d((0..bars.len().max(2) - 1).into_segmented(), 0f64..top)
        .ok()?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(grid_colour(dark))
        .axis_style(fg)
        .label_style(("sans-serif", LABEL_PX * px).into_font().color(&fg))
        .y_labels(4)
        .y_label_formatter(&|v| format!("{:.0}M", v / 1e6))
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => bars.get(*i).map(|b| b.0.clone()).unwrap_or_default(),
            _ => String::new(),
        })
        .draw()
        .ok()?;
    let colors = [RGBColor(230, 73, 128), RGBColor(47, 158, 68)];
    chart
        .draw_series(bars.iter().enumerate().map(|(i, b)| {
            let c = colors[i % 2];
            Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0.0),
                    (SegmentValue::Exact(i + 1), b.1 as f64),
                ],
                c.filled(),
            )
        }))
        .ok()?;
    root.present().ok()
}

/// The calculator.
#[component]
pub fn CostCalculator() -> impl IntoView {
    let tr = use_tr();
    let (state, link_notes) = bind(CostState::default());
    let (h, cin, cout, k, use_b, b) = fields!(state: hw, cin, cout, k, bottleneck, b);
    let direct_cost = Memo::new(move |_| direct(h.get(), h.get(), cin.get(), cout.get(), k.get()));
    let b_cost =
        Memo::new(move |_| bottleneck(h.get(), h.get(), cin.get(), cout.get(), k.get(), b.get()));
    let canvas = chart_canvas(move |c, dark| {
        let mut bars = vec![(
            tr("cost.direct").to_string(),
            direct_cost.get().map_or(0, |c| c.mults),
        )];
        if use_b.get() {
            bars.push((
                tr("cost.with_bottleneck").to_string(),
                b_cost.get().map_or(0, |c| c.mults),
            ));
        }
        draw(c, &bars, dark);
    });
    let refused = RwSignal::new(None::<(&'static str, usize, usize)>);
    let field = move |signal: Field<usize>,
                      lo: usize,
                      hi: usize,
                      class: &'static str,
                      key: &'static str,
                      control: &'static str| {
        view! {
            <label data-control=control>
                <span>{t(key)}</span>
                <input
                    class=class
                    type="number"
                    min=lo.to_string()
                    max=hi.to_string()
                    prop:value=move || signal.get().to_string()
                    on:change=move |ev| {
                        // Out of range or not a whole number: refused with a note, the field
                        // shows the value still computed with.
                        match event_target_value(&ev).trim().parse::<usize>() {
                            Ok(v) if (lo..=hi).contains(&v) => {
                                refused.set(None);
                                signal.set(v);
                            }
                            _ => {
                                refused.set(Some((key, lo, hi)));
                                if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                    el.set_value(&signal.get_untracked().to_string());
                                }
                            }
                        }
                    }
                />
            </label>
        }
    };
    // "n× fewer" when the bottleneck saves, "n× more" when it costs (a wide bottleneck).
    let ratio = move || match (direct_cost.get(), b_cost.get()) {
        (Some(d), Some(c)) if c.mults > 0 && d.mults > 0 => {
            let (key, r) = if c.mults <= d.mults {
                ("cost.ratio_fewer", d.mults as f64 / c.mults as f64)
            } else {
                ("cost.ratio_more", c.mults as f64 / d.mults as f64)
            };
            tr(key).replace("{ratio}", &format!("{r:.1}×"))
        }
        _ => "—".into(),
    };
    view! {
        <section class="widget cost-calculator" aria-labelledby="cost-heading">
            <h2 id="cost-heading">{t("cost.heading")}</h2>
            <div class="controls-grid">
                {field(h, 1, 512, "cost-hw", "cost.hw", "hw")}
                {field(cin, 1, 2048, "cost-cin", "cost.cin", "cin")}
                {field(cout, 1, 2048, "cost-cout", "cost.cout", "cout")}
                {field(k, 1, 11, "cost-k", "cost.k", "k")}
                <label class="checkbox" data-control="bottleneck">
                    <input class="cost-use-b" type="checkbox" prop:checked=move || use_b.get() on:change=move |ev| use_b.set(event_target_checked(&ev)) />
                    <span>{t("cost.use_bottleneck")}</span>
                </label>
                {field(b, 1, 2048, "cost-b", "cost.b", "b")}
            </div>
            {move || refused.get().map(|(key, lo, hi)| view! {
                <p class="cost-refused" role="alert">
                    {format!("{}: {}", tr(key), tr("cost.range").replace("{lo}", &lo.to_string()).replace("{hi}", &grouped(hi as u64)))}
                </p>
            })}
            <LinkNote notes=link_notes/>
            <table class="cost-table">
                <thead>
                    <tr><th scope="col"><span class="sr-only">{t("cost.design")}</span></th><th scope="col">{t("cost.mults")}</th><th scope="col">{t("cost.params")}</th></tr>
                </thead>
                <tbody>
                    <tr>
                        <th scope="row">{t("cost.direct")}</th>
                        <td class="cost-direct-mults">{move || direct_cost.get().map_or("—".into(), |c| grouped(c.mults))}</td>
                        <td class="cost-direct-params">{move || direct_cost.get().map_or("—".into(), |c| grouped(c.params as u64))}</td>
                    </tr>
                    <Show when=move || use_b.get()>
                        <tr>
                            <th scope="row">{t("cost.with_bottleneck")}</th>
                            <td class="cost-b-mults">{move || b_cost.get().map_or("—".into(), |c| grouped(c.mults))}</td>
                            <td class="cost-b-params">{move || b_cost.get().map_or("—".into(), |c| grouped(c.params as u64))}</td>
                        </tr>
                    </Show>
                </tbody>
            </table>
            <Show when=move || use_b.get()>
                <p class="cost-ratio"><strong>{ratio}</strong></p>
            </Show>
            <canvas data-control="chart" class="cost-chart" node_ref=canvas width="560" height="220" role="img" aria-label=move || tr("cost.chart")></canvas>
        </section>
    }
}
