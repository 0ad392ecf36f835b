//! What the CNN sees: for the lab's current input, the maps of the model's main layers, straight
//! from its forward pass ([`crate::models::feature_maps`]), computed in the lab's inference
//! worker ([`lab_ask::feature_maps`]). For the lesson's Net: the ten conv1
//! maps, the ten pooled maps, the twenty conv2 maps and the twenty pooled maps that are
//! flattened into the 320 features; the residual and Inception nets add their blocks' maps
//! (`rblock1`, or `incep1`'s 88 = 16 + 24 + 24 + 24 channels). Hovering, focusing or tapping a
//! map shows the kernel that made it (one k × k slice per input map) and its bias, in a figure that
//! sticks to the foot of the screen while the maps are in view (on a phone they run far below the
//! fold; www/style.css `.map-kernel`). Blue is negative, orange positive.

use crate::models::classifier;
use crate::models::feature_maps::FeatureLayer;
use crate::ui::state::infer::Latest;
use crate::ui::state::lab::Lab;
use crate::ui::state::lab_ask;
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::widgets::heat_canvas::{HeatCanvas, Palette, max_abs};
use crate::ui::widgets::infer_note::InferNote;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The feature maps of the current input.
#[component]
pub fn FeatureMaps() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    let lab = Lab::shipped();
    // The maps, computed in the lab's inference worker (or on this thread where it cannot run),
    // for the lab's settled input (`LabAnswer::settled`: the input whose answer is in, so the
    // worker answers the drawing pad first, and a stroke's moves never ask for maps that are
    // at once out of date) or, without one, for a blank image (only its layout is used then;
    // asked again when the model changes). Answers to an older input or model are dropped.
    let answer = RwSignal::new(None::<(Vec<FeatureLayer>, bool)>);
    let latest = Latest::new();
    let settled = lab_ask::LabAnswer::get().settled;
    Effect::new(move |_| {
        let pixels = settled.with(|s| s.as_ref().map(|s| s.input.pixels.clone()));
        if pixels.is_none() {
            lab.version.track();
        }
        let ticket = latest.next();
        let has_input = pixels.is_some();
        let pixels = pixels.unwrap_or_else(|| vec![0.0; 784]);
        spawn_local(async move {
            let maps = lab_ask::feature_maps(lab, pixels).await;
            if latest.is(ticket) {
                answer.try_set(maps.map(|m| (m, has_input)));
            }
        });
    });
    let layers = Memo::new(move |_| {
        answer.with(|a| {
            a.as_ref()
                .filter(|(_, input)| *input)
                .map(|(m, _)| m.clone())
        })
    });
    // The layers' names and shapes: the rows are rebuilt only when the model's layout changes.
    let layout = Memo::new(move |_| {
        answer.with(|a| {
            a.as_ref().map(|(layers, _)| {
                layers
                    .iter()
                    .map(|l| (l.name.clone(), l.maps.shape().to_vec()))
                    .collect::<Vec<_>>()
            })
        })
    });
    // The selected map: (row, channel); back to the first map when the layout changes (another
    // model has other rows and channels).
    let selected = RwSignal::new((0usize, 0usize));
    Effect::new(move |_| {
        layout.track();
        selected.set((0, 0));
    });
    let row_view = move |r: usize, name: String, shape: Vec<usize>| {
        let (channels, h, w) = (shape[0], shape[1], shape[2]);
        let scale = Signal::derive(move || {
            layers.with(|l| {
                l.as_ref()
                    .and_then(|l| l.get(r))
                    .map_or(1.0, |l| max_abs(l.maps.data()))
            })
        });
        let maps = (0..channels)
            .map(|c| {
                let values = Signal::derive(move || {
                    // Read with checks: while the model changes, a row of the old layout may
                    // meet the new model's maps for a moment.
                    layers.with(|l| {
                        l.as_ref()
                            .and_then(|l| l.get(r))
                            .and_then(|l| l.maps.data().get(c * h * w..(c + 1) * h * w))
                            .map_or_else(|| vec![0.0; h * w], <[f32]>::to_vec)
                    })
                });
                let pick = move || selected.set((r, c));
                let label = name.clone();
                view! {
                    <button type="button" class="map" class:selected=move || selected.get() == (r, c)
                        aria-label=move || format!("{label} {} {c}", tr("maps.map"))
                        on:pointerenter=move |_| pick() on:focus=move |_| pick() on:click=move |_| pick()>
                        <HeatCanvas values=values width=w as u32 height=h as u32 palette=Palette::Signed scale=scale/>
                    </button>
                }
            })
            .collect_view();
        view! {
            <div class="map-row" data-layer=name.clone()>
                <h3><code>{name.clone()}</code>" "{format!("{channels} ")}{t("maps.maps")}" "<code>{format!("(1, {channels}, {h}, {w})")}</code></h3>
                <div class="maps">{maps}</div>
            </div>
        }
    };
    let rows = move || {
        layout.get().map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(r, (name, shape))| row_view(r, name, shape))
                .collect_view()
        })
    };
    let kernel = move || {
        let (r, c) = selected.get();
        let net = lab.model()?;
        let layer: FeatureLayer = layers.with(|l| l.as_ref()?.get(r).cloned())?;
        let (conv, k) = layer.conv_of(c)?;
        let w = classifier::param(net.as_ref(), &format!("{conv}.weight"))?;
        let b = classifier::param(net.as_ref(), &format!("{conv}.bias"))?;
        let [_, cin, kh, kw] = w.dims4("kernel").ok()?;
        let size = cin * kh * kw;
        let values = w.data().get(k * size..(k + 1) * size)?.to_vec();
        let scale = max_abs(&values);
        let grids = (0..cin)
            .map(|s| {
                let slice = values[s * kh * kw..(s + 1) * kh * kw].to_vec();
                view! { <HeatCanvas values=slice width=kw as u32 height=kh as u32 palette=Palette::Signed scale=scale class="kernel-map"/> }
            })
            .collect_view();
        let bias = *b.data().get(k)?;
        Some(view! {
            <figure class="map-kernel" aria-live="polite">
                <figcaption>
                    {format!("{} {} {c} ← {conv}.weight[{k}] ({cin}, {kh}, {kw}), bias {bias:.3}", layer.name, tr("maps.map"))}
                </figcaption>
                <div class="kernel-maps">{grids}</div>
            </figure>
        })
    };
    view! {
        <section class="widget feature-maps" aria-labelledby="maps-heading">
            <h2 id="maps-heading">{t("maps.heading")}</h2>
            <p class="hint">{t("maps.hint")}</p>
            <p class="maps-model">{move || lab.describe(lang.get())}</p>
            <Show when=move || lab.input.with(Option::is_none)>
                <p class="maps-empty">{t("maps.empty")}</p>
            </Show>
            <InferNote/>
            {rows}
            {kernel}
        </section>
    }
}
