//! Light and dark themes. Until the user picks one, the theme follows the operating system
//! (`prefers-color-scheme`, live); the toggle's choice is saved in `localStorage`. The theme is
//! applied as `<html data-theme="light|dark">`, which the stylesheet's colour variables key on.

use crate::ui::platform;
use gloo::events::EventListener;
use leptos::prelude::*;

const STORAGE_KEY: &str = "convscope.theme";

/// A colour theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on a light background.
    Light,
    /// Light text on a dark background.
    Dark,
}

impl Theme {
    fn code(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn parse(code: &str) -> Option<Theme> {
        match code {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// The theme, as context: the user's saved choice, if any, and the OS preference.
#[derive(Clone, Copy)]
pub struct ThemeState {
    chosen: RwSignal<Option<Theme>>,
    os_dark: RwSignal<bool>,
}

impl ThemeState {
    /// The theme in effect.
    pub fn current(self) -> Theme {
        match (self.chosen.get(), self.os_dark.get()) {
            (Some(theme), _) => theme,
            (None, true) => Theme::Dark,
            (None, false) => Theme::Light,
        }
    }

    /// Switches to the other theme and remembers the choice.
    pub fn toggle(self) {
        let next = match self.current() {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        };
        platform::save(STORAGE_KEY, next.code());
        self.chosen.set(Some(next));
    }
}

/// Reads the saved theme and the OS preference, provides the state and applies it to `<html>`.
pub fn provide() -> ThemeState {
    let query = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
    let state = ThemeState {
        // A link's `theme=light|dark` (e.g. an embedded widget's) wins over the saved choice,
        // without being saved.
        chosen: RwSignal::new(
            platform::query_param("theme")
                .and_then(|c| Theme::parse(&c))
                .or_else(|| platform::load(STORAGE_KEY).and_then(|c| Theme::parse(&c))),
        ),
        os_dark: RwSignal::new(query.as_ref().is_some_and(|q| q.matches())),
    };
    if let Some(query) = query {
        let os_dark = state.os_dark;
        let target = query.clone();
        EventListener::new(&target, "change", move |_| os_dark.set(query.matches())).forget();
    }
    provide_context(state);
    Effect::new(move |_| {
        if let Some(root) = platform::root_element() {
            let _ = root.set_attribute("data-theme", state.current().code());
        }
    });
    state
}
