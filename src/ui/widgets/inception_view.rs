//! The Inception module: its four parallel branches with every layer's output shape and
//! multiplications, and the channel concatenation (`torch.cat(outputs, dim=1)`) that gives the
//! course's 88 channels, the module's total cost, and where the module sits in the trainable
//! Inception net (`incep1` = InceptionA(10) on 12 × 12 maps, `incep2` = InceptionA(20) on 4 × 4),
//! with links to classify with that net in the MNIST lab and to train it. All figures come from
//! [`crate::models::inception::summary`], whose layer list is the one the trainable net's
//! modules are built from.

use crate::models::classifier::ModelKind;
use crate::models::inception::summary;
use crate::ui::state::lang::t;
use crate::ui::url_state::{LinkNote, bind, fields};
use crate::ui::widgets::format::{grouped, shape};
use crate::ui::widgets::model_link::ModelLink;
use crate::widget_state::InceptionState;
use leptos::prelude::*;

/// The module view.
#[component]
pub fn InceptionView() -> impl IntoView {
    let lang = expect_context::<crate::ui::state::lang::LangState>().0;
    let (state, link_notes) = bind(InceptionState::default());
    let (cin, hw) = fields!(state: cin, hw);
    let result = Memo::new(move |_| summary([1, cin.get(), hw.get(), hw.get()]));
    let branches = move || {
        result.with(|r| {
            r.as_ref().ok().map(|s| {
                s.branches
                    .iter()
                    .map(|(name, rows)| {
                        let layers = rows
                            .iter()
                            .map(|row| view! { <li><code>{row.layer.clone()}</code><span class="shape">{shape(&row.output)}</span></li> })
                            .collect_view();
                        let total: u64 = rows.iter().map(|r| r.mults).sum();
                        view! {
                            <div class="branch" data-branch=name.clone()>
                                <h3>{name.clone()}</h3>
                                <ol>{layers}</ol>
                                <p class="branch-cost">{grouped(total)}" "{t("inception.mults")}</p>
                            </div>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let out = move || {
        result.with(|r| {
            r.as_ref().map_or_else(
                |e| crate::i18n::core_errors::shape(lang.get(), e),
                |s| shape(&s.output),
            )
        })
    };
    let total = move || {
        result.with(|r| {
            r.as_ref()
                .map(|s| {
                    grouped(
                        s.branches
                            .iter()
                            .flat_map(|(_, rows)| rows)
                            .map(|r| r.mults)
                            .sum(),
                    )
                })
                .unwrap_or_default()
        })
    };
    // The module's two places in the trainable net.
    let preset = move |c: usize, side: usize| {
        move |_| {
            cin.set(c);
            hw.set(side);
        }
    };
    view! {
        <section class="widget inception-view" aria-labelledby="inception-heading">
            <h2 id="inception-heading">{t("inception.heading")}</h2>
            <LinkNote notes=link_notes/>
            <div class="controls-grid">
                <label>
                    <span>{t("inception.cin")}</span>
                    <input class="inception-cin" type="number" min="1" max="512" prop:value=move || cin.get().to_string()
                        on:change=move |ev| cin.set(event_target_value(&ev).parse::<usize>().unwrap_or(10).clamp(1, 512)) />
                </label>
                <label>
                    <span>{t("inception.hw")}</span>
                    <input class="inception-hw" type="number" min="1" max="256" prop:value=move || hw.get().to_string()
                        on:change=move |ev| hw.set(event_target_value(&ev).parse::<usize>().unwrap_or(12).clamp(1, 256)) />
                </label>
            </div>
            <p><code>{move || format!("x: {}", shape(&[1, cin.get(), hw.get(), hw.get()]))}</code></p>
            <div class="branches">{branches}</div>
            <p class="inception-out">
                {t("inception.cat")}" "<code class="inception-output">{out}</code>
            </p>
            <p class="inception-total">{t("inception.total")}" "<strong class="inception-total-mults">{total}</strong>" "{t("inception.mults")}</p>
            <div class="inception-in-net">
                <p>{t("inception.in_net")}</p>
                <div class="button-row">
                    <button type="button" class="inception-incep1" on:click=preset(10, 12)>"incep1 = InceptionA(10), 12 × 12"</button>
                    <button type="button" class="inception-incep2" on:click=preset(20, 4)>"incep2 = InceptionA(20), 4 × 4"</button>
                </div>
                <ModelLink kind=ModelKind::Inception/>
            </div>
            <p class="hint">{t("inception.note")}</p>
        </section>
    }
}
