//! Keeps a widget's state (a [`WidgetState`]) in the page URL's query string: read once when
//! the widget mounts (with notes on what a link had out of range), written back on every change
//! with `history.replaceState` (no navigation, no history entry), and removed when the widget
//! leaves the page so that another page's widget starts from its own defaults.

use crate::ui::platform::query_param;
use crate::ui::state::lang::{LangState, t};
use crate::widget_state::{WidgetState, parse, to_json};
use leptos::prelude::*;

/// Reads the widget's state from the URL (if a link carries one), then keeps the URL in step
/// with `snapshot`. Returns the state to start from and the notes to show.
pub fn bind<T: WidgetState + Send + Sync + 'static>(
    default: T,
    snapshot: impl Fn() -> T + Send + Sync + 'static,
) -> (T, RwSignal<Vec<String>>) {
    let (state, notes) = match query_param(T::KEY) {
        Some(text) => parse::<T>(&text),
        None => (default, Vec::new()),
    };
    if !notes.is_empty() {
        leptos::logging::log!(
            "convscope: link adjusted ({}): {}",
            T::KEY,
            notes.join("; ")
        );
    }
    Effect::new(move |_| {
        let json = to_json(&snapshot());
        edit_url(|params| params.set(T::KEY, &json));
    });
    on_cleanup(|| edit_url(|params| params.delete(T::KEY)));
    (state, RwSignal::new(notes))
}

/// The visible note on what a link had to have adjusted (nothing when it needed none).
#[component]
pub fn LinkNote(notes: RwSignal<Vec<String>>) -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    move || {
        let list = notes.get();
        (!list.is_empty()).then(|| {
            view! {
                <p class="link-note" role="status">
                    {t("conv.link_adjusted")}" "{list.join(", ")}
                    " "
                    <button type="button" class="link-note-close" aria-label=move || crate::i18n::tr(lang.get(), "link.dismiss") on:click=move |_| notes.set(Vec::new())>"×"</button>
                </p>
            }
        })
    }
}

/// Sets (`Some`) or removes (`None`) one query parameter of the page address, in place.
pub fn set_query(key: &str, value: Option<&str>) {
    edit_url(|params| match value {
        Some(v) => params.set(key, v),
        None => params.delete(key),
    });
}

fn edit_url(edit: impl FnOnce(&web_sys::UrlSearchParams)) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(href) = window.location().href() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&href) else {
        return;
    };
    edit(&url.search_params());
    if url.href() == href {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
}
