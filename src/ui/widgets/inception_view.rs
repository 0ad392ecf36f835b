//! The Inception module: its four parallel branches with every layer's output shape and
//! multiplications, and the channel concatenation (`torch.cat(outputs, dim=1)`) that gives the
//! course's 88 channels. All figures from [`crate::models::inception::summary`].

use crate::models::inception::summary;
use crate::ui::state::lang::t;
use crate::ui::url_state::{LinkNote, bind};
use crate::ui::widgets::format::{grouped, shape};
use crate::widget_state::InceptionState;
use leptos::prelude::*;

/// The module view.
#[component]
pub fn InceptionView() -> impl IntoView {
    let d = InceptionState::default();
    let cin = RwSignal::new(d.cin);
    let hw = RwSignal::new(d.hw);
    let (state, link_notes) = bind(d, move || InceptionState {
        cin: cin.get(),
        hw: hw.get(),
    });
    cin.set(state.cin);
    hw.set(state.hw);
    let result =
        Memo::new(move |_| summary([1, cin.get(), hw.get(), hw.get()]).map_err(|e| e.to_string()));
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
    let out = move || result.with(|r| r.as_ref().map_or_else(|e| e.clone(), |s| shape(&s.output)));
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
            <p class="hint">{t("inception.note")}</p>
        </section>
    }
}
