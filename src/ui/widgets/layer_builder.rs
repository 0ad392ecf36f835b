//! Build and test layer by layer, as the lesson advises: start from the lesson's Net or from
//! nothing, add Conv2d / MaxPool2d / ReLU / flatten / Linear layers, edit their arguments and
//! the image size, and see every layer's output shape, parameters and multiplications. The walk
//! stops at the first layer that does not fit, with the reason and what to change
//! ([`crate::models::builder::build`]).

use crate::models::builder::{Layer, build, lesson_net};
use crate::ui::state::lang::{LangState, t};
use crate::ui::widgets::format::{grouped, shape};
use leptos::prelude::*;

/// The builder.
#[component]
pub fn LayerBuilder() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = move |key| crate::i18n::tr(lang.get(), key);
    let side = RwSignal::new(28usize);
    let layers = RwSignal::new(lesson_net());
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
    };
    let field = move |i: usize, name: &'static str, value: usize, set: fn(&mut Layer, usize)| {
        view! {
            <label class="builder-field">
                <span>{name}</span>
                <input type="number" min="0" max="4096" class=format!("builder-{name}")
                    prop:value=value.to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                            layers.update(|l| if let Some(layer) = l.get_mut(i) { set(layer, v.min(4096)) });
                        }
                    }/>
            </label>
        }
    };
    let fields = move |i: usize, layer: Layer| {
        match layer {
        Layer::Conv { cin, cout, k, stride, padding } => view! {
            {field(i, "in", cin, |l, v| if let Layer::Conv { cin, .. } = l { *cin = v })}
            {field(i, "out", cout, |l, v| if let Layer::Conv { cout, .. } = l { *cout = v })}
            {field(i, "k", k, |l, v| if let Layer::Conv { k, .. } = l { *k = v })}
            {field(i, "stride", stride, |l, v| if let Layer::Conv { stride, .. } = l { *stride = v })}
            {field(i, "padding", padding, |l, v| if let Layer::Conv { padding, .. } = l { *padding = v })}
        }
        .into_any(),
        Layer::MaxPool { k } => field(i, "k", k, |l, v| if let Layer::MaxPool { k } = l { *k = v }).into_any(),
        Layer::Linear { fin, fout } => view! {
            {field(i, "in", fin, |l, v| if let Layer::Linear { fin, .. } = l { *fin = v })}
            {field(i, "out", fout, |l, v| if let Layer::Linear { fout, .. } = l { *fout = v })}
        }
        .into_any(),
        Layer::Relu | Layer::Flatten => ().into_any(),
    }
    };
    let rows = move || {
        let list = layers.get();
        let b = built.get();
        list.iter()
            .enumerate()
            .map(|(i, &layer)| {
                let (status, class) = match (b.rows.get(i), &b.error) {
                    (Some(r), _) => (
                        format!("→ {} · {} {} · {} {}", shape(&r.output), grouped(r.params as u64), tr("builder.params"), grouped(r.mults), tr("builder.mults")),
                        "builder-row ok",
                    ),
                    (None, Some((at, why))) if *at == i => (why.clone(), "builder-row error"),
                    _ => (tr("builder.not_reached").to_string(), "builder-row pending"),
                };
                view! {
                    <li class=class data-index=i>
                        <div class="builder-layer">
                            <code>{layer.code()}</code>
                            <div class="builder-fields">{fields(i, layer)}</div>
                            <button type="button" class="builder-remove" aria-label=move || format!("{} {}", tr("builder.remove"), layer.code())
                                on:click=move |_| layers.update(|l| { if i < l.len() { l.remove(i); } })>"×"</button>
                        </div>
                        <p class="builder-status" role=if class.ends_with("error") { "alert" } else { "none" }>{status}</p>
                    </li>
                }
            })
            .collect_view()
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
                grouped(b.params() as u64),
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
                <button type="button" class="builder-lesson" on:click=move |_| layers.set(lesson_net())>{t("builder.lesson")}</button>
                <button type="button" class="builder-clear" on:click=move |_| layers.set(Vec::new())>{t("builder.clear")}</button>
            </div>
            <p class="builder-input"><code>{move || format!("x: {}", shape(&[1, 1, side.get(), side.get()]))}</code></p>
            <ol class="builder-layers">{rows}</ol>
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
