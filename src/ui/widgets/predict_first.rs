//! "Predict first": while the switch is on, a widget hides its output (grid, shape, formula,
//! code, stepping) until the learner has typed the output's whole size and pressed Check. A
//! right guess shows the answer; a wrong one says so and leaves the question open for another
//! try; "Show the answer" reveals it on purpose. An incomplete guess reveals nothing. Changing a
//! setting hides the output again, so each new combination is a new question. The correct
//! answer is the core's (passed in by the widget).

use crate::ui::state::lang::{t, use_tr};
use crate::ui::url_state::Field;
use leptos::prelude::*;

/// What the last Check (or Show the answer) said; the sizes as text.
#[derive(Clone, Debug, PartialEq)]
enum Verdict {
    Right(String),
    /// The guess, which is not the answer (kept hidden).
    Wrong(String),
    /// Some size was missing or not a number.
    Incomplete,
    /// Shown on request.
    Revealed(String),
}

/// The switch, the question and the verdict. `hidden` is true while the widget must hide its
/// output; `answer` is `None` when the settings have no valid output (nothing to predict).
#[component]
pub fn PredictFirst(
    on: Field<bool>,
    answer: Signal<Option<Vec<usize>>>,
    names: &'static [&'static str],
    hidden: RwSignal<bool>,
) -> impl IntoView {
    let tr = use_tr();
    let guesses = StoredValue::new(
        names
            .iter()
            .map(|_| RwSignal::new(String::new()))
            .collect::<Vec<_>>(),
    );
    let verdict = RwSignal::new(None::<Verdict>);
    // A new combination (or switching the mode) asks again.
    Effect::new(move |_| {
        let hide = on.get() && answer.with(Option::is_some);
        hidden.set(hide);
        verdict.set(None);
        guesses.with_value(|gs| gs.iter().for_each(|g| g.set(String::new())));
    });
    let sizes = |v: &[usize]| {
        v.iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(" × ")
    };
    let check = move || {
        let Some(right) = answer.get_untracked() else {
            return;
        };
        let said: Option<Vec<usize>> = guesses.with_value(|gs| {
            gs.iter()
                .map(|g| g.get_untracked().trim().parse().ok())
                .collect()
        });
        // Nothing is revealed until every size is given.
        let Some(said) = said else {
            verdict.set(Some(Verdict::Incomplete));
            return;
        };
        if said == right {
            verdict.set(Some(Verdict::Right(sizes(&right))));
            hidden.set(false);
        } else {
            verdict.set(Some(Verdict::Wrong(sizes(&said))));
        }
    };
    let reveal = move || {
        if let Some(right) = answer.get_untracked() {
            verdict.set(Some(Verdict::Revealed(sizes(&right))));
            hidden.set(false);
        }
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
                    <button type="button" class="predict-reveal" on:click=move |_| reveal()>{t("predict.reveal")}</button>
                </div>
            </Show>
            {move || verdict.get().map(|v| {
                let (class, text) = match v {
                    Verdict::Right(s) => ("predict-verdict right", format!("{} {s}", tr("predict.right"))),
                    Verdict::Wrong(s) => ("predict-verdict wrong", format!("{} {s} {}", tr("predict.wrong"), tr("predict.try_again"))),
                    Verdict::Incomplete => ("predict-verdict incomplete", tr("predict.incomplete").to_string()),
                    Verdict::Revealed(s) => ("predict-verdict revealed", format!("{} {s}", tr("predict.answer"))),
                };
                view! { <p class=class role="status">{text}</p> }
            })}
        </div>
    }
}
