//! Code that drives a widget: an editable one-line layer (`nn.Conv2d(…)`, `nn.MaxPool2d(…)`)
//! under the explorer's PyTorch code. Typing or pasting a layer (or a whole snippet) reads it
//! with the core's [`crate::layer_code::find`] and hands it to the widget's `apply`, which
//! checks each number against the widget's range ([`crate::layer_code::check`]) and sets the
//! widget; what cannot be taken is shown in the learner's language, naming the argument and the
//! allowed range. When the field is left, it shows the widget's own line again, so the
//! settings always write the code back.

use crate::i18n::core_errors;
use crate::layer_code::{CodeError, LayerCode, find};
use crate::ui::state::lang::{LangState, t, use_tr};
use leptos::prelude::*;

/// The editable layer line. `line` is the widget's current layer as code; `apply` sets the
/// widget from a layer or says why it cannot.
#[component]
pub fn CodeEditor(
    #[prop(into)] line: Signal<String>,
    apply: Callback<LayerCode, Result<(), CodeError>>,
    /// The CSS class of the field (tests and `hide=` find it by that).
    class: &'static str,
) -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    // What the learner is typing (until they leave the field), and why it does not fit.
    let draft = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<CodeError>);
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        let outcome = find(&text).and_then(|layer| apply.run(layer));
        draft.set(Some(text));
        error.set(outcome.err());
    };
    let on_blur = move |_| {
        if error.get_untracked().is_none() {
            draft.set(None);
        }
    };
    view! {
        <label class="code-editor">
            <span>{t("code.edit")}</span>
            <textarea class=class rows="2" spellcheck="false" autocomplete="off"
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=format!("{class}-error")
                prop:value=move || draft.get().unwrap_or_else(|| line.get())
                on:input=on_input on:blur=on_blur></textarea>
        </label>
        <p id=format!("{class}-error") class="code-error" role="status">
            {move || error.get().map(|e| core_errors::code(lang.get(), &e))}
        </p>
        <p class="hint code-hint">{move || tr("code.hint")}</p>
    }
}
