//! Keeps a widget's state (a [`WidgetState`]) in the page URL's query string: read once when
//! the widget mounts (with notes on what a link had out of range), written back on every change
//! with `history.replaceState` (no navigation, no history entry), and removed when the widget
//! leaves the page so that another page's widget starts from its own defaults.
//!
//! A widget holds its whole state in one `RwSignal<State>` ([`bind`]) and reads and writes
//! single fields through [`Field`]s (`Field::from(slice!(state.kernel))`), so the URL state and
//! what the widget shows are one value, never copies kept in step.

use crate::ui::platform::query_param;
use crate::ui::state::lang::{LangState, t};
use crate::widget_state::{WidgetState, parse, to_json};
use leptos::prelude::*;

/// Reads the widget's state from the URL (if a link carries one) into one signal that the
/// widget reads and writes (per field through [`Field`]s), and keeps the URL in step with it.
/// Returns the state and the notes to show.
pub fn bind<T: WidgetState + Send + Sync + 'static>(
    default: T,
) -> (RwSignal<T>, RwSignal<Vec<String>>) {
    let (start, notes) = read_link(default);
    let state = RwSignal::new(start);
    write_link(move || state.with(to_json::<T>), T::KEY);
    (state, notes)
}

/// For a state that lives elsewhere (the Train page's settings in the run, the gallery's digit
/// in the lab): reads what a link carries (the caller decides whether to use it) and keeps the
/// URL in step with `snapshot`. Returns the link's state (or `default`) and the notes.
pub fn follow<T: WidgetState + Send + Sync + 'static>(
    default: T,
    snapshot: impl Fn() -> T + Send + Sync + 'static,
) -> (T, RwSignal<Vec<String>>) {
    let (start, notes) = read_link(default);
    write_link(move || to_json(&snapshot()), T::KEY);
    (start, notes)
}

/// The state a link carries (clamped, with notes), or `default` when it carries none.
fn read_link<T: WidgetState>(default: T) -> (T, RwSignal<Vec<String>>) {
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
    (state, RwSignal::new(notes))
}

/// Writes `json()` under `key` on every change; removes it when the widget leaves the page.
fn write_link(json: impl Fn() -> String + Send + Sync + 'static, key: &'static str) {
    Effect::new(move |_| {
        let json = json();
        edit_url(|params| params.set(key, &json));
    });
    on_cleanup(move || edit_url(|params| params.delete(key)));
}

/// [`Field`]s for several fields of a state signal at once, in order:
/// `let (kernel, stride) = fields!(state: kernel, stride);`.
macro_rules! fields {
    ($state:ident: $($field:ident),+ $(,)?) => {
        ($($crate::ui::url_state::Field::from(leptos::prelude::slice!($state.$field)),)+)
    };
}
pub(crate) use fields;

/// One field of a widget's state signal, read (memoised: it changes only when the field does)
/// and written like a signal of its own: `Field::from(slice!(state.kernel))`.
pub struct Field<T: Send + Sync + 'static> {
    value: Signal<T>,
    setter: SignalSetter<T>,
}

impl<T: Send + Sync + 'static> Clone for Field<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Field<T> {}

impl<T: Send + Sync + 'static> From<(Signal<T>, SignalSetter<T>)> for Field<T> {
    fn from((value, setter): (Signal<T>, SignalSetter<T>)) -> Self {
        Field { value, setter }
    }
}

impl<T: Clone + Send + Sync + 'static> Field<T> {
    /// The value (tracked).
    pub fn get(self) -> T {
        self.value.get()
    }

    /// The value, untracked.
    pub fn get_untracked(self) -> T {
        self.value.get_untracked()
    }

    /// Reads the value in place (tracked).
    pub fn with<R>(self, f: impl FnOnce(&T) -> R) -> R {
        self.value.with(f)
    }

    /// Reads the value in place, untracked.
    pub fn with_untracked<R>(self, f: impl FnOnce(&T) -> R) -> R {
        self.value.with_untracked(f)
    }

    /// Sets the field (and so the state and the URL).
    pub fn set(self, value: T) {
        self.setter.set(value);
    }

    /// Changes the field in place.
    pub fn update(self, f: impl FnOnce(&mut T)) {
        let mut value = self.get_untracked();
        f(&mut value);
        self.set(value);
    }
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
