//! Build and test layer by layer, as the lesson advises: start from the lesson's Net, the
//! residual or the Inception net, or from nothing; add Conv2d / MaxPool2d / ReLU / flatten /
//! Linear layers or the course's ResidualBlock and InceptionA blocks at the end or before any
//! layer, move layers up and down, edit their arguments and the image size, and see every
//! layer's output shape, parameters and multiplications. The walk
//! stops at the first layer that does not fit, with the reason and what to change
//! ([`crate::models::builder::build`]).

use crate::models::builder::{
    Layer, LayerKind, build, insert_layer, lesson_inception, lesson_net, lesson_resnet, move_layer,
};
use crate::models::receptive;
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::url_state::{LinkNote, bind, fields};
use crate::ui::widgets::format::{grouped, shape};
use crate::widget_state::{BUILDER_MAX_FIELD, BuilderState};
use leptos::prelude::*;

/// The builder.
#[component]
pub fn LayerBuilder() -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    // The image size and the layers live in the address (`?builder=`).
    let (state, link_notes) = bind(BuilderState::default());
    let (side, layers) = fields!(state: side, layers);
    // Rows are keyed by (position, kind, generation): editing a field keeps its row (and the
    // keyboard focus); adding, removing, moving or a preset builds the list anew.
    let generation = RwSignal::new(0u64);
    let built = Memo::new(move |_| build([1, 1, side.get(), side.get()], &layers.get()));
    // Each layer's receptive field on the input (none after a flatten).
    let receptive_fields = Memo::new(move |_| layers.with(|l| receptive::fields(l)));
    // Where new layers go: before the layer at this index, or at the end (`None`).
    let insert_at = RwSignal::new(None::<usize>);
    let list = NodeRef::<leptos::html::Ol>::new();
    let add = move |kind: LayerKind| {
        let input = [1, 1, side.get_untracked(), side.get_untracked()];
        let len = layers.with_untracked(Vec::len);
        let at = insert_at.get_untracked().unwrap_or(len).min(len);
        // A new layer starts from the shape that reaches its place.
        let layer = kind.new_layer(&built.with_untracked(|b| b.shape_at(input, at)));
        layers.update(|l| {
            insert_layer(l, at, layer);
        });
        // Keep inserting before the same layer: the next one goes after this one.
        if insert_at.get_untracked().is_some() {
            insert_at.set(Some(at + 1));
        }
        generation.update(|g| *g += 1);
    };
    // After the list is rebuilt, keyboard focus goes back to the row that moved (or to the
    // button that still works when it reached the top or the bottom).
    let refocus = move |row: usize, class: &'static str| {
        request_animation_frame(move || {
            use wasm_bindgen::JsCast;
            let Some(ol) = list.get_untracked() else {
                return;
            };
            let pick = |class: &str| {
                ol.query_selector(&format!(
                    ".builder-row[data-index='{row}'] .{class}:not([disabled])"
                ))
                .ok()
                .flatten()
            };
            let other = if class == "builder-up" {
                "builder-down"
            } else {
                "builder-up"
            };
            if let Some(button) = pick(class)
                .or_else(|| pick(other))
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = button.focus();
            }
        });
    };
    let shift = move |i: usize, up: bool| {
        let mut moved = None;
        layers.update(|l| moved = move_layer(l, i, up));
        if let Some(to) = moved {
            generation.update(|g| *g += 1);
            refocus(to, if up { "builder-up" } else { "builder-down" });
        }
    };
    let remove = move |i: usize| {
        layers.update(|l| {
            if i < l.len() {
                l.remove(i);
            }
        });
        let len = layers.with_untracked(Vec::len);
        insert_at.update(|at| {
            if let Some(p) = *at {
                *at = if p > i {
                    Some(p - 1)
                } else if p >= len {
                    None
                } else {
                    Some(p)
                };
            }
        });
        generation.update(|g| *g += 1);
    };
    // Each argument of a layer, by name, from the core's own list (`Layer::fields`).
    let field = move |i: usize, name: &'static str| {
        let get = move |l: &Layer| {
            l.fields()
                .into_iter()
                .find(|f| f.0 == name)
                .map_or(0, |f| f.1)
        };
        view! {
            <label class="builder-field">
                <span>{name}</span>
                <input type="number" min="0" max="4096" class=format!("builder-{name}")
                    prop:value=move || layers.with(|l| l.get(i).map_or(0, get)).to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                            layers.update(|l| {
                                if let Some((_, value)) = l.get_mut(i).and_then(|layer| {
                                    layer.fields_mut().into_iter().find(|f| f.0 == name)
                                }) {
                                    *value = v.min(BUILDER_MAX_FIELD);
                                }
                            });
                        }
                    }/>
            </label>
        }
    };
    let fields = move |i: usize, layer: Layer| {
        layer
            .fields()
            .into_iter()
            .map(|(name, _)| field(i, name))
            .collect_view()
    };
    let kind = |l: &Layer| match l {
        Layer::Conv { .. } => 0u8,
        Layer::MaxPool { .. } => 1,
        Layer::Relu => 2,
        Layer::Flatten => 3,
        Layer::Linear { .. } => 4,
        Layer::Residual { .. } => 5,
        Layer::Inception { .. } => 6,
    };
    let row = move |i: usize, layer: Layer| {
        let status = move || {
            built.with(|b| match (b.rows.get(i), &b.error) {
                (Some(r), _) => {
                    let field = receptive_fields
                        .with(|f| f.get(i).copied().flatten())
                        .map_or_else(String::new, |f| {
                            format!(" · {} {1} × {1}", tr("builder.field"), f.size)
                        });
                    (
                        format!(
                            "→ {} · {} {} · {} {}{field}",
                            shape(&r.output),
                            grouped(r.params),
                            tr("builder.params"),
                            grouped(r.mults),
                            tr("builder.mults")
                        ),
                        "ok",
                    )
                }
                (None, Some((at, why))) if *at == i => {
                    (crate::i18n::core_errors::build(lang.get(), why), "error")
                }
                _ => (tr("builder.not_reached").to_string(), "pending"),
            })
        };
        let code = move || layers.with(|l| l.get(i).map(Layer::code).unwrap_or_default());
        let last = move || layers.with(|l| i + 1 >= l.len());
        view! {
            <li class=move || format!("builder-row {}", status().1) data-index=i>
                <div class="builder-layer">
                    <code>{code}</code>
                    <div class="builder-fields">{fields(i, layer)}</div>
                    <div class="builder-row-buttons">
                        <button type="button" class="builder-up" disabled=i == 0
                            aria-label=move || format!("{} {}", tr("builder.move_up"), code()) title=move || tr("builder.move_up")
                            on:click=move |_| shift(i, true)>"↑"</button>
                        <button type="button" class="builder-down" disabled=last
                            aria-label=move || format!("{} {}", tr("builder.move_down"), code()) title=move || tr("builder.move_down")
                            on:click=move |_| shift(i, false)>"↓"</button>
                        <button type="button" class="builder-remove" aria-label=move || format!("{} {}", tr("builder.remove"), code())
                            title=move || tr("builder.remove") on:click=move |_| remove(i)>"×"</button>
                    </div>
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
    // Where the first Linear's in_features come from: "512 = 32 × 4 × 4".
    let flatten = move || {
        let input = [1, 1, side.get(), side.get()];
        layers.with(|l| {
            built.with(|b| {
                b.flatten_origin(input, l).map(|(n, from)| {
                    let dims: Vec<String> = from.iter().map(usize::to_string).collect();
                    tr("builder.flatten_from")
                        .replace("{n}", &n.to_string())
                        .replace("{dims}", &dims.join(" × "))
                })
            })
        })
    };
    let preset = move |l: Vec<Layer>| {
        layers.set(l);
        insert_at.set(None);
        generation.update(|g| *g += 1);
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
                <button type="button" class="builder-lesson" on:click=move |_| preset(lesson_net())>{t("builder.lesson")}</button>
                <button type="button" class="builder-resnet" on:click=move |_| preset(lesson_resnet())>{t("builder.resnet")}</button>
                <button type="button" class="builder-inception" on:click=move |_| preset(lesson_inception())>{t("builder.inception")}</button>
                <button type="button" class="builder-clear" on:click=move |_| preset(Vec::new())>{t("builder.clear")}</button>
            </div>
            <LinkNote notes=link_notes/>
            <p class="builder-input"><code>{move || format!("x: {}", shape(&[1, 1, side.get(), side.get()]))}</code></p>
            <ol class="builder-layers" node_ref=list>
                <For each=rows key=|(i, kind, g, _)| (*i, *kind, *g) children=move |(i, _, _, layer)| row(i, layer)/>
            </ol>
            <div class="button-row builder-add" role="group" aria-label=move || tr("builder.add")>
                <label class="builder-where">
                    <span>{t("builder.insert_at")}</span>
                    <select class="builder-at"
                        on:change=move |ev| insert_at.set(event_target_value(&ev).parse::<usize>().ok())>
                        <option value="end" prop:selected=move || insert_at.get().is_none()>{t("builder.at_end")}</option>
                        {move || {
                            layers.with(|l| {
                                l.iter()
                                    .enumerate()
                                    .map(|(i, layer)| {
                                        let text = tr("builder.before")
                                            .replace("{n}", &(i + 1).to_string())
                                            .replace("{code}", &layer.code());
                                        view! { <option value=i.to_string() prop:selected=move || insert_at.get() == Some(i)>{text}</option> }
                                    })
                                    .collect_view()
                            })
                        }}
                    </select>
                </label>
                <button type="button" class="builder-add-conv" on:click=move |_| add(LayerKind::Conv)>"+ Conv2d"</button>
                <button type="button" class="builder-add-pool" on:click=move |_| add(LayerKind::MaxPool)>"+ MaxPool2d"</button>
                <button type="button" class="builder-add-relu" on:click=move |_| add(LayerKind::Relu)>"+ ReLU"</button>
                <button type="button" class="builder-add-flatten" on:click=move |_| add(LayerKind::Flatten)>"+ flatten"</button>
                <button type="button" class="builder-add-linear" on:click=move |_| add(LayerKind::Linear)>"+ Linear"</button>
                <button type="button" class="builder-add-residual" on:click=move |_| add(LayerKind::Residual)>"+ ResidualBlock"</button>
                <button type="button" class="builder-add-inception" on:click=move |_| add(LayerKind::Inception)>"+ InceptionA"</button>
            </div>
            <p class="builder-total" role="status">{total}</p>
            <p class="builder-flatten">{flatten}</p>
        </section>
    }
}
