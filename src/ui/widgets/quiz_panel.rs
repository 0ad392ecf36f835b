//! The learner's side of a classroom quiz (an address with `quiz=`, see [`crate::quiz`]): the
//! questions under the explorer, each with an answer field and a Check button; Check works the
//! right answer out from the explorer's state in the address at that moment (the core's
//! numbers), says right or wrong with the formula, and updates the score.
//!
//! Locked controls are disabled (marked "(locked)" and listed by name): their form fields get
//! `disabled`, re-applied every few hundred milliseconds in case the explorer redraws one.
//!
//! Inside an iframe the quiz tells the parent page how the learner does, and nothing else:
//! `{type: "convscope:event", event: "answered", correct: <bool>, question: "<size|value|dw|params|rf>"}`
//! after each checked answer, and once every question has an answer
//! `{type: "convscope:event", event: "completed", correct: <number right>, question: <count>}`.

use crate::embed::WidgetId;
use crate::explain::quiz::{QuizAnswer, check};
use crate::i18n::Lang;
use crate::quiz::{
    NoAnswer, Question, Quiz, answer, disabled_controls, lockable, outside_key, state_key,
};
use crate::ui::platform::query_param;
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::state::quiz_hide::QuizHide;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// What Check found.
#[derive(Clone, Debug, PartialEq)]
enum Verdict {
    Right(QuizAnswer),
    Wrong(QuizAnswer),
    Unreadable,
    None(NoAnswer),
}

/// Posts a quiz event to the parent page, only when the page is embedded.
fn post_event(event: &str, correct: wasm_bindgen::JsValue, question: wasm_bindgen::JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if parent == window {
        return;
    }
    let message = js_sys::Object::new();
    let set = |k: &str, v: &wasm_bindgen::JsValue| {
        let _ = js_sys::Reflect::set(&message, &k.into(), v);
    };
    set("type", &"convscope:event".into());
    set("event", &event.into());
    set("correct", &correct);
    set("question", &question);
    // Only whether answers were right leaves the page, so any parent may read it.
    let _ = parent.post_message(&message, "*");
}

/// Disables the form fields of the named controls, marks them `data-locked` and gives their
/// label text the word `mark` ("(locked)", shown by the stylesheet).
fn apply_locks(names: &[&'static str], mark: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    for name in names {
        let selector = format!(".embed-root [data-control~=\"{name}\"]");
        let Ok(query) = js_sys::Reflect::get(&doc, &"querySelectorAll".into()) else {
            continue;
        };
        let Ok(query) = query.dyn_into::<js_sys::Function>() else {
            continue;
        };
        let Ok(found) = query.call1(&doc, &selector.into()) else {
            continue;
        };
        for control in js_sys::Array::from(&found).iter() {
            let Ok(control) = control.dyn_into::<web_sys::Element>() else {
                continue;
            };
            let _ = control.set_attribute("data-locked", "");
            if let Ok(Some(label)) = control.query_selector("span") {
                let _ = label.set_attribute("data-locked-mark", mark);
            }
            let Ok(fields) = js_sys::Reflect::get(&control, &"querySelectorAll".into())
                .and_then(|f| f.dyn_into::<js_sys::Function>())
                .and_then(|f| f.call1(&control, &"input, select, textarea, button".into()))
            else {
                continue;
            };
            for field in js_sys::Array::from(&fields).iter() {
                if let Ok(field) = field.dyn_into::<web_sys::Element>()
                    && !field.has_attribute("disabled")
                {
                    let _ = field.set_attribute("disabled", "");
                }
            }
        }
    }
}

/// Keeps the named controls locked for as long as the page lives: locks them now and again
/// whenever the widget's DOM changes (an explorer that redraws a control, a language switch), as
/// a `MutationObserver` on the embed root reports it; nothing polls.
fn keep_locked(names: Vec<&'static str>, lang: RwSignal<Lang>) {
    if names.is_empty() {
        return;
    }
    let mark = move || crate::i18n::tr(lang.get_untracked(), "quiz.locked_mark");
    // Effects run once the view is in the document, so the embed root is there to observe.
    Effect::new(move |_| {
        apply_locks(&names, mark());
        let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(".embed-root").ok().flatten())
        else {
            return;
        };
        let names = names.clone();
        let callback = Closure::<dyn FnMut()>::new(move || apply_locks(&names, mark()));
        let Ok(observer) = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()) else {
            return;
        };
        let options = web_sys::MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        // A field whose `disabled` is taken off is locked again; locking only adds the
        // attribute where it is missing, so the observer settles after one more call.
        options.set_attributes(true);
        options.set_attribute_filter(&js_sys::Array::of1(&"disabled".into()));
        let _ = observer.observe_with_options(&root, &options);
        callback.forget();
    });
}

/// The quiz under widget `widget`.
#[component]
pub fn QuizPanel(widget: WidgetId, quiz: Quiz) -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    keep_locked(disabled_controls(widget, &quiz), lang);
    let count = quiz.questions.len();
    let results = RwSignal::new(vec![None::<bool>; count]);
    let completed = StoredValue::new(false);
    let hide = use_context::<QuizHide>();
    let (cell, wcell) = (quiz.cell, quiz.wcell);
    let items = quiz
        .questions
        .iter()
        .copied()
        .enumerate()
        .map(|(i, q)| {
            let typed = RwSignal::new(String::new());
            let verdict = RwSignal::new(None::<Verdict>);
            let run_check = move || {
                let json = query_param(state_key(widget));
                let at = if q == Question::Dw { wcell } else { cell };
                let v = match answer(widget, q, at, json.as_deref()) {
                    Err(e) => Verdict::None(e),
                    Ok(a) => match check(&a.expected, &typed.get_untracked()) {
                        None => Verdict::Unreadable,
                        Some(true) => Verdict::Right(a),
                        Some(false) => Verdict::Wrong(a),
                    },
                };
                let correct = match &v {
                    Verdict::Right(_) => Some(true),
                    Verdict::Wrong(_) => Some(false),
                    _ => None,
                };
                verdict.set(Some(v));
                if let Some(ok) = correct {
                    results.update(|r| r[i] = Some(ok));
                    if let Some(QuizHide(h)) = hide {
                        h.update(|h| h.reveal(q));
                    }
                    post_event("answered", ok.into(), q.slug().into());
                    let (answered, right) = results.with_untracked(|r| {
                        (
                            r.iter().all(Option::is_some),
                            r.iter().filter(|x| **x == Some(true)).count(),
                        )
                    });
                    if answered && !completed.get_value() {
                        completed.set_value(true);
                        post_event("completed", (right as u32).into(), (count as u32).into());
                    }
                }
            };
            let text = move || {
                let at = if q == Question::Dw { wcell } else { cell };
                tr(q.key(widget))
                    .replace("{row}", &at.0.to_string())
                    .replace("{col}", &at.1.to_string())
            };
            let feedback = move || {
                verdict.get().map(|v| {
                    let (result, line, working) = match v {
                        Verdict::Right(a) => ("right", tr("quiz.right").to_string(), Some(a.working)),
                        Verdict::Wrong(a) => (
                            "wrong",
                            tr("quiz.wrong").replace("{answer}", &a.shown()),
                            Some(a.working),
                        ),
                        Verdict::Unreadable => ("unreadable", tr("quiz.unreadable").to_string(), None),
                        Verdict::None(NoAnswer::Outside((r, c), (h, w))) => (
                            "none",
                            tr(outside_key(widget, q))
                                .replace("{row}", &r.to_string())
                                .replace("{col}", &c.to_string())
                                .replace("{h}", &h.to_string())
                                .replace("{w}", &w.to_string()),
                            None,
                        ),
                        Verdict::None(NoAnswer::Shape(e)) => (
                            "none",
                            format!("{} {}", tr("quiz.no_answer"), crate::i18n::core_errors::shape(lang.get(), &e)),
                            None,
                        ),
                    };
                    view! {
                        <span class="quiz-verdict" data-result=result>{line}</span>
                        {working.map(|w| view! { " "<span class="quiz-working">{move || tr("quiz.working")}" "<code>{w}</code></span> })}
                    }
                })
            };
            let input_id = format!("quiz-answer-{}", q.slug());
            view! {
                <li class="quiz-question" data-question=q.slug()>
                    <label for=input_id.clone()>{text}</label>
                    <div class="quiz-row">
                        <input id=input_id type="text" class="quiz-answer" autocomplete="off" spellcheck="false"
                            prop:value=move || typed.get()
                            on:input=move |ev| typed.set(event_target_value(&ev))
                            on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { run_check() } />
                        <button type="button" class="quiz-check" on:click=move |_| run_check()>{t("quiz.check")}</button>
                    </div>
                    <p class="quiz-feedback" aria-live="polite">{feedback}</p>
                </li>
            }
        })
        .collect_view();
    let score = move || {
        results.with(|r| {
            format!(
                "{} / {}",
                r.iter().filter(|x| **x == Some(true)).count(),
                r.len()
            )
        })
    };
    let all_answered = move || results.with(|r| r.iter().all(Option::is_some));
    let locked: Vec<&'static str> = lockable(widget)
        .iter()
        .filter(|(c, _)| quiz.lock.contains(c))
        .map(|(_, key)| *key)
        .collect();
    let locked_names =
        move || {
            locked.iter().map(|key| tr(key)).collect::<Vec<_>>().join(
                if lang.get().code() == "zh" {
                    "、"
                } else {
                    ", "
                },
            )
        };
    let any_locked = !quiz.lock.is_empty();
    view! {
        <section class="widget quiz-panel" aria-labelledby="quiz-heading">
            <h2 id="quiz-heading">{t("quiz.heading")}</h2>
            {any_locked.then(|| view! { <p class="quiz-locked-note">{t("quiz.locked")}" "{locked_names}</p> })}
            <p class="hint">{t("quiz.intro")}</p>
            <ol class="quiz-questions">{items}</ol>
            <p class="quiz-score" role="status">
                {t("quiz.score")}" "<strong class="quiz-score-value">{score}</strong>
                {move || all_answered().then(|| view! { " "<span class="quiz-done">{tr("quiz.done")}</span> })}
            </p>
        </section>
    }
}
