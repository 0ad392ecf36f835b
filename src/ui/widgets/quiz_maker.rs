//! The teacher's side of a classroom quiz, in a widget's "Embed / share" panel: tick the
//! questions (output size; one output value at a cell, starting from the one the explorer
//! shows; parameter count; receptive-field size; in the backward explorer the size and one
//! value of ∂L/∂X and one value of ∂L/∂W at a kernel cell) and the controls to lock, then copy the quiz
//! link or its iframe code.
//!
//! The quiz is the widget's embed address with the quiz added ([`crate::quiz::query`]): the
//! explorer's state as the page address has it (and `theme=` if set), `lang=`, and
//! `quiz=…&cell=…&lock=…`, with the fragment `#/embed/<widget>`. The address is read again
//! whenever the panel opens, a tick changes or a copy button is pressed.

use crate::embed::WidgetId;
use crate::quiz::{self, Question, Quiz, current_cell, lockable, questions, state_key};
use crate::ui::platform::{copy_text, query_param};
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::widgets::share_bar::{address, iframe_snippet};
use leptos::prelude::*;

/// Puts `item` in `list` if `ev`'s tick box is ticked, else takes it out (a tick box's
/// change).
fn toggle<T: PartialEq + Send + Sync + 'static>(
    list: RwSignal<Vec<T>>,
    item: T,
    ev: &leptos::ev::Event,
) {
    let on = event_target_checked(ev);
    list.update(|l| {
        l.retain(|x| *x != item);
        if on {
            l.push(item);
        }
    });
}

/// The quiz's embed address, or `None` with no question ticked.
fn quiz_src(widget: WidgetId, quiz: &Quiz, lang: &str) -> Option<String> {
    if quiz.questions.is_empty() {
        return None;
    }
    let (base, search) = address();
    let page = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    // The widget's own state and the theme; other widgets' states are no part of the quiz.
    let params = web_sys::UrlSearchParams::new().ok()?;
    for key in [state_key(widget), "theme"] {
        if let Some(value) = page.get(key) {
            params.set(key, &value);
        }
    }
    params.set("lang", lang);
    Some(format!(
        "{base}?{}&{}#/embed/{}",
        String::from(params.to_string()),
        quiz::query(quiz),
        widget.slug()
    ))
}

/// "Make a quiz" for widget `widget`.
#[component]
pub fn QuizMaker(widget: WidgetId) -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    let asked = RwSignal::new(vec![Question::Size]);
    let locked = RwSignal::new(Vec::<&'static str>::new());
    let row = RwSignal::new(0usize);
    let col = RwSignal::new(0usize);
    let wrow = RwSignal::new(0usize);
    let wcol = RwSignal::new(0usize);
    // Bumped to read the page address again (the explorer's state lives there).
    let fresh = RwSignal::new(0u32);
    let src = Memo::new(move |_| {
        fresh.track();
        let quiz = Quiz {
            questions: Question::ALL
                .into_iter()
                .filter(|q| asked.with(|a| a.contains(q)))
                .collect(),
            lock: lockable(widget)
                .iter()
                .map(|(c, _)| *c)
                .filter(|c| locked.with(|l| l.contains(c)))
                .collect(),
            cell: (row.get(), col.get()),
            wcell: (wrow.get(), wcol.get()),
        };
        quiz_src(widget, &quiz, lang.get().code())
    });
    let link = move || src.get().unwrap_or_default();
    let snippet = move || {
        src.get().map_or_else(String::new, |s| {
            let (base, _) = address();
            iframe_snippet(
                &base,
                &s,
                &format!("convscope quiz: {}", widget.slug()),
                widget.height() + 420,
            )
        })
    };
    let on_toggle = move |_| {
        let json = query_param(state_key(widget));
        let (r, c) = current_cell(widget, json.as_deref());
        row.set(r);
        col.set(c);
        fresh.update(|f| *f += 1);
    };
    let question_boxes = questions(widget)
        .iter()
        .copied()
        .map(|q| {
            view! {
                <label class="checkbox">
                    <input type="checkbox" class="quiz-ask" data-question=q.slug()
                        prop:checked=move || asked.with(|a| a.contains(&q))
                        on:change=move |ev| toggle(asked, q, &ev) />
                    <span>{move || tr(q.short_key(widget))}</span>
                </label>
            }
        })
        .collect_view();
    let lock_boxes = lockable(widget)
        .iter()
        .map(|&(control, key)| {
            view! {
                <label class="checkbox">
                    <input type="checkbox" class="quiz-lock" data-control-name=control
                        prop:checked=move || locked.with(|l| l.contains(&control))
                        on:change=move |ev| toggle(locked, control, &ev) />
                    <span>{move || tr(key)}</span>
                </label>
            }
        })
        .collect_view();
    let number = move |signal: RwSignal<usize>, class: &'static str, key: &'static str| {
        view! {
            <label>
                <span>{t(key)}</span>
                <input type="number" min="0" max="63" class=class prop:value=move || signal.get().to_string()
                    on:change=move |ev| signal.set(event_target_value(&ev).parse::<usize>().map_or(0, |v| v.min(63))) />
            </label>
        }
    };
    let has_value = move || asked.with(|a| a.contains(&Question::Value));
    let has_dw = move || asked.with(|a| a.contains(&Question::Dw));
    // The backward explorer's value question is about an input cell.
    let (row_key, col_key) = if widget == WidgetId::Backward {
        ("quiz.dx_row", "quiz.dx_col")
    } else {
        ("quiz.row", "quiz.col")
    };
    view! {
        <details class="quiz-maker" on:toggle=on_toggle>
            <summary>{t("quiz.make")}</summary>
            <p class="hint">{t("quiz.make_hint")}</p>
            <fieldset class="quiz-questions-pick">
                <legend>{t("quiz.ask")}</legend>
                {question_boxes}
            </fieldset>
            <div class="quiz-cell" class:hidden=move || !has_value()>
                {number(row, "quiz-cell-row", row_key)}
                {number(col, "quiz-cell-col", col_key)}
            </div>
            <div class="quiz-cell" class:hidden=move || !has_dw()>
                {number(wrow, "quiz-wcell-row", "quiz.dw_row")}
                {number(wcol, "quiz-wcell-col", "quiz.dw_col")}
            </div>
            <fieldset class="quiz-locks">
                <legend>{t("quiz.lock")}</legend>
                {lock_boxes}
            </fieldset>
            {move || src.get().is_none().then(|| view! { <p class="hint quiz-none" role="status">{tr("quiz.none")}</p> })}
            <label class="share-field">
                <span>{t("quiz.link")}</span>
                <input type="text" readonly class="quiz-link" prop:value=link/>
            </label>
            <button type="button" class="quiz-copy-link" prop:disabled=move || src.get().is_none()
                on:click=move |_| { fresh.update(|f| *f += 1); copy_text(&link()) }>{t("quiz.copy_link")}</button>
            <label class="share-field">
                <span>{t("quiz.snippet")}</span>
                <textarea readonly rows="3" class="quiz-snippet" prop:value=snippet></textarea>
            </label>
            <button type="button" class="quiz-copy-snippet" prop:disabled=move || src.get().is_none()
                on:click=move |_| { fresh.update(|f| *f += 1); copy_text(&snippet()) }>{t("quiz.copy_snippet")}</button>
        </details>
    }
}
