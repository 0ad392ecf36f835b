//! The UI language: chosen by `?lang=en|zh`, else the saved choice, else the browser's
//! preference. An explicit choice (the switch or `?lang=`) is saved in `localStorage`.

use crate::i18n::{Lang, tr};
use crate::ui::platform;
use leptos::prelude::*;

const STORAGE_KEY: &str = "convscope.lang";

/// The current language, as context.
#[derive(Clone, Copy)]
pub struct LangState(pub RwSignal<Lang>);

impl LangState {
    /// Switches to `lang` and remembers the choice.
    pub fn choose(self, lang: Lang) {
        platform::save(STORAGE_KEY, lang.code());
        self.0.set(lang);
    }
}

/// Picks the starting language, provides it as context and keeps `<html lang>` in step.
pub fn provide() -> LangState {
    let from_query = platform::query_param("lang").and_then(|code| Lang::parse(&code));
    if let Some(lang) = from_query {
        platform::save(STORAGE_KEY, lang.code());
    }
    let initial = from_query
        .or_else(|| platform::load(STORAGE_KEY).and_then(|c| Lang::parse(&c)))
        .or_else(|| {
            platform::browser_languages()
                .iter()
                .find_map(|l| Lang::parse(l))
        })
        .unwrap_or_default();
    let state = LangState(RwSignal::new(initial));
    provide_context(state);
    Effect::new(move |_| {
        let lang = state.0.get();
        if let Some(root) = platform::root_element() {
            let _ = root.set_attribute("lang", lang.html_tag());
        }
    });
    state
}

/// The text of `key` in the current language, as a reactive closure for `view!`.
pub fn t(key: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = expect_context::<LangState>().0;
    move || tr(lang.get(), key)
}

/// The text of any key in the current language (tracks the language): one shared translator
/// for the widgets that pick their keys at run time (`tr(if max { "a" } else { "b" })`).
pub fn use_tr() -> impl Fn(&'static str) -> &'static str + Copy + Send + Sync + 'static {
    let lang = expect_context::<LangState>().0;
    move |key| tr(lang.get(), key)
}
