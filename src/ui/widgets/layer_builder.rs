//! Build and test layer by layer, as the lesson advises: start from the lesson's Net or from
//! nothing, add Conv2d / MaxPool2d / ReLU / flatten / Linear layers, edit their arguments and
//! the image size, and see every layer's output shape, parameters and multiplications. The walk
//! stops at the first layer that does not fit, with the reason and what to change
//! ([`crate::models::builder::build`]).

use crate::models::builder::{Layer, build, lesson_net};
use crate::ui::state::lang::{LangState, t};
use crate::ui::url_state::{LinkNote, bind};
use crate::ui::widgets::format::{grouped, shape};
use crate::widget_state::{BUILDER_MAX_FIELD, BuilderState};
use leptos::prelude::*;

/// The builder.
#[component]
pub fn LayerBuilder() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = move |key| crate::i18n::tr(lang.get(), key);
    let side = RwSignal::new(BuilderState::default().side);
    let layers = RwSignal::new(lesson_net());
    // The image size and the layers live in the address (`?builder=`).
    let (state, link_notes) = bind(BuilderState::default(), move || BuilderState {
        side: side.get(),
        layers: layers.get(),
    });
    side.set(state.side);
    layers.set(state.layers);
    // Rows are keyed by (position, kind, generation): editing a field keeps its row (and the
    // keyboard focus); adding, removing or a preset builds the list anew.
    let generation = RwSignal::new(0u64);
    let built = Memo::new(move |_| build([1, 1, side.get(), side.get()], &layers.get()));
    // The shape after the last layer that fits: new layers start from it.
    let last_shape = move || {
        built.with(|b| {
            b.rows
                .last()
                .map_or(vec![1, 1, side.get(), side.get()], |r| r.output.clone())
        })
    };
    let add = move |kind: &'static str| {
        let s = last_shape();
        let layer = match kind {
            "conv" => Layer::Conv {
                cin: s.get(1).copied().unwrap_or(1),
                cout: 16,
                k: 3,
                stride: 1,
                padding: 0,
            },
            "pool" => Layer::MaxPool { k: 2 },
            "relu" => Layer::Relu,
            "flatten" => Layer::Flatten,
            _ => Layer::Linear {
                fin: s.iter().skip(1).product(),
                fout: 10,
            },
        };
        layers.update(|l| l.push(layer));
        generation.update(|g| *g += 1);
    };
    let field = move |i: usize,
                      name: &'static str,
                      get: fn(&Layer) -> usize,
                      set: fn(&mut Layer, usize)| {
        view! {
            <label class="builder-field">
                <span>{name}</span>
                <input type="number" min="0" max="4096" class=format!("builder-{name}")
                    prop:value=move || layers.with(|l| l.get(i).map_or(0, get)).to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                            layers.update(|l| if let Some(layer) = l.get_mut(i) { set(layer, v.min(BUILDER_MAX_FIELD)) });
                        }
                    }/>
            </label>
        }
    };
    let fields = move |i: usize, layer: Layer| {
        match layer {
        Layer::Conv { .. } => view! {
            {field(i, "in", |l| if let Layer::Conv { cin, .. } = l { *cin } else { 0 }, |l, v| if let Layer::Conv { cin, .. } = l { *cin = v })}
            {field(i, "out", |l| if let Layer::Conv { cout, .. } = l { *cout } else { 0 }, |l, v| if let Layer::Conv { cout, .. } = l { *cout = v })}
            {field(i, "k", |l| if let Layer::Conv { k, .. } = l { *k } else { 0 }, |l, v| if let Layer::Conv { k, .. } = l { *k = v })}
            {field(i, "stride", |l| if let Layer::Conv { stride, .. } = l { *stride } else { 0 }, |l, v| if let Layer::Conv { stride, .. } = l { *stride = v })}
            {field(i, "padding", |l| if let Layer::Conv { padding, .. } = l { *padding } else { 0 }, |l, v| if let Layer::Conv { padding, .. } = l { *padding = v })}
        }
        .into_any(),
        Layer::MaxPool { .. } => field(i, "k", |l| if let Layer::MaxPool { k } = l { *k } else { 0 }, |l, v| if let Layer::MaxPool { k } = l { *k = v }).into_any(),
        Layer::Linear { .. } => view! {
            {field(i, "in", |l| if let Layer::Linear { fin, .. } = l { *fin } else { 0 }, |l, v| if let Layer::Linear { fin, .. } = l { *fin = v })}
            {field(i, "out", |l| if let Layer::Linear { fout, .. } = l { *fout } else { 0 }, |l, v| if let Layer::Linear { fout, .. } = l { *fout = v })}
        }
        .into_any(),
        Layer::Relu | Layer::Flatten => ().into_any(),
    }
    };
    let kind = |l: &Layer| match l {
        Layer::Conv { .. } => 0u8,
        Layer::MaxPool { .. } => 1,
        Layer::Relu => 2,
        Layer::Flatten => 3,
        Layer::Linear { .. } => 4,
    };
    let row = move |i: usize, layer: Layer| {
        let status = move || {
            built.with(|b| match (b.rows.get(i), &b.error) {
                (Some(r), _) => (
                    format!(
                        "→ {} · {} {} · {} {}",
                        shape(&r.output),
                        grouped(r.params),
                        tr("builder.params"),
                        grouped(r.mults),
                        tr("builder.mults")
                    ),
                    "ok",
                ),
                (None, Some((at, why))) if *at == i => {
                    (crate::i18n::core_errors::build(lang.get(), why), "error")
                }
                _ => (tr("builder.not_reached").to_string(), "pending"),
            })
        };
        let code = move || layers.with(|l| l.get(i).map(Layer::code).unwrap_or_default());
        view! {
            <li class=move || format!("builder-row {}", status().1) data-index=i>
                <div class="builder-layer">
                    <code>{code}</code>
                    <div class="builder-fields">{fields(i, layer)}</div>
                    <button type="button" class="builder-remove" aria-label=move || format!("{} {}", tr("builder.remove"), code())
                        on:click=move |_| { layers.update(|l| { if i < l.len() { l.remove(i); } }); generation.update(|g| *g += 1); }>"×"</button>
                </div>
                <p class="builder-status" role=move || if status().1 == "error" { "alert" } else { "none" }>{move || status().0}</p>
            </li>
        }
    };
    let rows = move || {
        let g = generation.get();
        layers.with(|l| {
            l.iter()
                .enumerate()
                .map(|(i, layer)| (i, kind(layer), g, *layer))
                .collect::<Vec<_>>()
        })
    };
    let total = move || {
        built.with(|b| {
            let out = b.rows.last().map_or_else(
                || shape(&[1, 1, side.get(), side.get()]),
                |r| shape(&r.output),
            );
            format!(
                "{} {} · {} {} · {} {}",
                tr("builder.output"),
                out,
                b.params()
                    .map_or_else(|| tr("builder.too_large").to_string(), grouped),
                tr("builder.params"),
                b.rows.len(),
                tr("builder.layers_fit")
            )
        })
    };
    view! {
        <section class="widget layer-builder" aria-labelledby="builder-heading">
            <h2 id="builder-heading">{t("builder.heading")}</h2>
            <p class="hint">{t("builder.hint")}</p>
            <div class="controls-row">
                <label>
                    <span>{t("builder.side")}</span>
                    <input type="number" class="builder-side" min="1" max="512" prop:value=move || side.get().to_string()
                        on:change=move |ev| side.set(event_target_value(&ev).parse::<usize>().unwrap_or(28).clamp(1, 512))/>
                </label>
                <button type="button" class="builder-lesson" on:click=move |_| { layers.set(lesson_net()); generation.update(|g| *g += 1); }>{t("builder.lesson")}</button>
                <button type="button" class="builder-clear" on:click=move |_| { layers.set(Vec::new()); generation.update(|g| *g += 1); }>{t("builder.clear")}</button>
            </div>
            <LinkNote notes=link_notes/>
            <p class="builder-input"><code>{move || format!("x: {}", shape(&[1, 1, side.get(), side.get()]))}</code></p>
            <ol class="builder-layers">
                <For each=rows key=|(i, kind, g, _)| (*i, *kind, *g) children=move |(i, _, _, layer)| row(i, layer)/>
            </ol>
            <div class="button-row builder-add" role="group" aria-label=move || tr("builder.add")>
                <button type="button" class="builder-add-conv" on:click=move |_| add("conv")>"+ Conv2d"</button>
                <button type="button" class="builder-add-pool" on:click=move |_| add("pool")>"+ MaxPool2d"</button>
                <button type="button" class="builder-add-relu" on:click=move |_| add("relu")>"+ ReLU"</button>
                <button type="button" class="builder-add-flatten" on:click=move |_| add("flatten")>"+ flatten"</button>
                <button type="button" class="builder-add-linear" on:click=move |_| add("linear")>"+ Linear"</button>
            </div>
            <p class="builder-total" role="status">{total}</p>
        </section>
    }
}
