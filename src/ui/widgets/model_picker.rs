//! The model picker: the lesson's Net, the residual net or the Inception net, each with its
//! parameter count (from the core's model). The MNIST lab uses it to choose the model that
//! classifies, shows feature maps and is exported; the Train page to choose the model to train.

use crate::models::classifier::ModelKind;
use crate::ui::state::lang::{LangState, t};
use crate::ui::widgets::format::grouped;
use leptos::prelude::*;

/// A labelled select of the three models.
#[component]
pub fn ModelPicker(
    /// The model shown as chosen.
    #[prop(into)]
    value: Signal<ModelKind>,
    /// Called with the model the learner picks.
    on_pick: Callback<ModelKind>,
    /// Whether the choice is locked.
    #[prop(into, optional)]
    disabled: Signal<bool>,
    /// The select's class (for tests and styling).
    class: &'static str,
) -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let options = ModelKind::ALL
        .into_iter()
        .map(|kind| {
            view! {
                <option value=kind.name() prop:selected=move || value.get() == kind>
                    {move || crate::i18n::tr(lang.get(), kind.key())}
                </option>
            }
        })
        .collect_view();
    // The chosen model's size, under the select (short option labels fit a phone).
    let counts = ModelKind::ALL.map(|k| (k, grouped(k.param_count() as u64)));
    let params = move || {
        let kind = value.get();
        let n = counts
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, n)| n.clone());
        format!(
            "{} {}",
            n.unwrap_or_default(),
            crate::i18n::tr(lang.get(), "model.params")
        )
    };
    view! {
        <label class="model-picker">
            <span>{t("model.pick")}</span>
            <select
                class=class
                prop:disabled=move || disabled.get()
                on:change=move |ev| {
                    if let Ok(kind) = ModelKind::parse(&event_target_value(&ev)) {
                        on_pick.run(kind);
                    }
                }
            >
                {options}
            </select>
            <small class="model-params">{params}</small>
        </label>
    }
}
