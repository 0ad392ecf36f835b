//! What the CNN sees: for the lab's current input, the ten conv1 maps, the ten pooled maps, the
//! twenty conv2 maps and the twenty pooled maps that are flattened into the 320 features —
//! straight from the forward pass ([`crate::models::Net::forward`]'s activations). Hovering,
//! focusing or tapping a map shows the kernel that made it (conv2's kernels are 10 × 5 × 5:
//! one 5 × 5 slice per input map). Blue is negative, orange positive.

use crate::ui::state::lab::Lab;
use crate::ui::state::lang::{LangState, t};
use crate::ui::widgets::heat_canvas::{HeatCanvas, Palette, max_abs};
use leptos::prelude::*;

/// One row of maps: (name, translation key, channels, side, which conv made them).
const ROWS: [(&str, &str, usize, usize, usize); 4] = [
    ("conv1", "maps.conv1", 10, 24, 1),
    ("pool1", "maps.pool1", 10, 12, 1),
    ("conv2", "maps.conv2", 20, 8, 2),
    ("pool2", "maps.pool2", 20, 4, 2),
];

/// The feature maps of the current input.
#[component]
pub fn FeatureMaps() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = move |key| crate::i18n::tr(lang.get(), key);
    let lab = Lab::get();
    lab.load_shipped();
    let acts = Memo::new(move |_| {
        let pixels = lab.input.with(|i| i.as_ref().map(|i| i.pixels.clone()))?;
        let a = lab.activations(&pixels)?;
        Some([
            a.conv1.into_data(),
            a.relu1.into_data(),
            a.conv2.into_data(),
            a.flat.into_data(),
        ])
    });
    // The selected map: (row, channel).
    let selected = RwSignal::new((0usize, 0usize));
    let row_view = move |r: usize| {
        let (name, key, channels, side, _) = ROWS[r];
        let scale =
            Signal::derive(move || acts.with(|a| a.as_ref().map_or(1.0, |a| max_abs(&a[r]))));
        let maps = (0..channels)
            .map(|c| {
                let values = Signal::derive(move || {
                    acts.with(|a| {
                        a.as_ref().map_or_else(
                            || vec![0.0; side * side],
                            |a| a[r][c * side * side..(c + 1) * side * side].to_vec(),
                        )
                    })
                });
                let pick = move || selected.set((r, c));
                view! {
                    <button type="button" class="map" class:selected=move || selected.get() == (r, c)
                        aria-label=move || format!("{name} {} {c}", tr("maps.map"))
                        on:pointerenter=move |_| pick() on:focus=move |_| pick() on:click=move |_| pick()>
                        <HeatCanvas values=values width=side as u32 height=side as u32 palette=Palette::Signed scale=scale/>
                    </button>
                }
            })
            .collect_view();
        view! {
            <div class="map-row" data-layer=name>
                <h3>{t(key)}" "<code>{format!("(1, {channels}, {side}, {side})")}</code></h3>
                <div class="maps">{maps}</div>
            </div>
        }
    };
    let kernel = move || {
        let (r, c) = selected.get();
        let net = lab.net()?;
        let (name, _, _, _, conv) = ROWS[r];
        let (w, slices) = if conv == 1 {
            (net.conv1_weight.data()[c * 25..(c + 1) * 25].to_vec(), 1)
        } else {
            (net.conv2_weight.data()[c * 250..(c + 1) * 250].to_vec(), 10)
        };
        let scale = max_abs(&w);
        let grids = (0..slices)
            .map(|s| {
                let values = w[s * 25..(s + 1) * 25].to_vec();
                view! { <HeatCanvas values=values width=5 height=5 palette=Palette::Signed scale=scale class="kernel-map"/> }
            })
            .collect_view();
        let bias = if conv == 1 {
            net.conv1_bias.data()[c]
        } else {
            net.conv2_bias.data()[c]
        };
        Some(view! {
            <figure class="map-kernel" aria-live="polite">
                <figcaption>
                    {format!("{name} {} {c} ← conv{conv}.weight[{c}] {}, bias {bias:.3}", tr("maps.map"), if conv == 1 { "(1, 5, 5)" } else { "(10, 5, 5)" })}
                </figcaption>
                <div class="kernel-maps">{grids}</div>
            </figure>
        })
    };
    view! {
        <section class="widget feature-maps" aria-labelledby="maps-heading">
            <h2 id="maps-heading">{t("maps.heading")}</h2>
            <p class="hint">{t("maps.hint")}</p>
            <Show when=move || lab.input.with(Option::is_none)>
                <p class="maps-empty">{t("maps.empty")}</p>
            </Show>
            {(0..ROWS.len()).map(row_view).collect_view()}
            {kernel}
        </section>
    }
}
