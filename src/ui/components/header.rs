//! The top bar: the app's name (a link home), the menu button (narrow screens only), the
//! language switch and the theme toggle. Every control is a real `<button>`, so it works with
//! the keyboard and a screen reader as well as with a finger or a mouse.

use crate::pages::Page;
use crate::ui::state::lang::{LangState, t};
use crate::ui::state::theme::{Theme, ThemeState};
use leptos::prelude::*;

/// The top bar.
///
/// `menu_open`: whether the chapter menu is shown on narrow screens; the menu button toggles it.
/// `children`: put first in the bar (the skip link, so that it sits inside a landmark).
#[component]
pub fn Header(menu_open: RwSignal<bool>, children: Children) -> impl IntoView {
    let lang = expect_context::<LangState>();
    let theme = expect_context::<ThemeState>();
    let theme_label = move || {
        let lang = lang.0.get();
        let key = match theme.current() {
            Theme::Light => "theme.to_dark_label",
            Theme::Dark => "theme.to_light_label",
        };
        crate::i18n::tr(lang, key)
    };
    let theme_text = move || {
        let key = match theme.current() {
            Theme::Light => "theme.to_dark",
            Theme::Dark => "theme.to_light",
        };
        crate::i18n::tr(lang.0.get(), key)
    };
    view! {
        <header class="topbar">
            {children()}
            <a class="brand" href=Page::Home.href()>
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">{t("app.name")}</span>
                <span class="brand-tagline">{t("app.tagline")}</span>
            </a>
            <div class="controls">
                <button
                    class="menu-button"
                    type="button"
                    aria-controls="chapters"
                    aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                >
                    <span class="menu-icon" aria-hidden="true"></span>
                    <span class="button-label">{t("nav.menu")}</span>
                </button>
                <button
                    class="lang-button"
                    type="button"
                    aria-label=t("lang.toggle_label")
                    lang=move || lang.0.get().other().html_tag()
                    on:click=move |_| lang.choose(lang.0.get_untracked().other())
                >
                    {t("lang.toggle")}
                </button>
                <button
                    class="theme-button"
                    type="button"
                    aria-label=theme_label
                    on:click=move |_| theme.toggle()
                >
                    <span class="theme-icon" aria-hidden="true"></span>
                    <span class="button-label">{theme_text}</span>
                </button>
            </div>
        </header>
    }
}
