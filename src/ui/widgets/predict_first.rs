//! "Predict first": while the switch is on, a widget hides its output (grid, shape, formula,
//! code) until the learner has typed the output's size and pressed Check; the answer then
//! shows with a right/wrong message. Changing a setting hides the output again, so each new
//! combination is a new question. The correct answer is the core's (passed in by the widget).

use crate::ui::state::lang::{LangState, t};
use leptos::prelude::*;

/// The switch, the question and the verdict. `hidden` is true while the widget must hide its
/// output; `answer` is `None` when the settings have no valid output (nothing to predict).
#[component]
pub fn PredictFirst(
    on: RwSignal<bool>,
    answer: Signal<Option<Vec<usize>>>,
    names: &'static [&'static str],
    hidden: RwSignal<bool>,
) -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = move |key| crate::i18n::tr(lang.get(), key);
    let guesses = StoredValue::new(
        names
            .iter()
            .map(|_| RwSignal::new(String::new()))
            .collect::<Vec<_>>(),
    );
    let verdict = RwSignal::new(None::<(bool, String)>);
    // A new combination (or switching the mode) asks again.
    Effect::new(move |_| {
        let hide = on.get() && answer.with(Option::is_some);
        hidden.set(hide);
        verdict.set(None);
        guesses.with_value(|gs| gs.iter().for_each(|g| g.set(String::new())));
    });
    let check = move || {
        let Some(right) = answer.get_untracked() else {
            return;
        };
        let said: Vec<Option<usize>> = guesses.with_value(|gs| {
            gs.iter()
                .map(|g| g.get_untracked().trim().parse().ok())
                .collect()
        });
        let said_text = said
            .iter()
            .map(|v| v.map_or("?".to_string(), |v| v.to_string()))
            .collect::<Vec<_>>()
            .join(" × ");
        let right_text = right
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(" × ");
        let ok = said.iter().zip(&right).all(|(s, r)| *s == Some(*r));
        verdict.set(Some((
            ok,
            if ok {
                right_text
            } else {
                format!("{said_text} → {right_text}")
            },
        )));
        hidden.set(false);
    };
    let fields = move || {
        guesses.get_value()
        .into_iter()
        .zip(names)
        .map(|(g, &name)| {
            view! {
                <label class="predict-field">
                    <span>{name}</span>
                    <input type="number" min="0" inputmode="numeric" class="predict-input"
                        prop:value=move || g.get()
                        on:input=move |ev| g.set(event_target_value(&ev))
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" { check() } />
                </label>
            }
        })
        .collect_view()
    };
    view! {
        <div class="predict-first" data-control="predict">
            <label class="checkbox">
                <input type="checkbox" class="predict-toggle" prop:checked=move || on.get()
                    on:change=move |ev| on.set(event_target_checked(&ev)) />
                <span>{t("predict.toggle")}</span>
            </label>
            <Show when=move || hidden.get()>
                <div class="predict-question" role="group" aria-label=move || tr("predict.question")>
                    <span>{t("predict.question")}</span>
                    {fields()}
                    <button type="button" class="predict-check" on:click=move |_| check()>{t("predict.check")}</button>
                </div>
            </Show>
            {move || verdict.get().map(|(ok, text)| view! {
                <p class=if ok { "predict-verdict right" } else { "predict-verdict wrong" } role="status">
                    {if ok { tr("predict.right") } else { tr("predict.wrong") }}" "{text}
                </p>
            })}
        </div>
    }
}
