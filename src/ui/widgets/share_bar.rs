//! "Embed / share" under every widget: a link that reproduces the widget as it is now (its
//! state is always in the page address), and an iframe snippet for a course page, with copy
//! buttons and how to hide controls. The snippet loads `embed.js`, which resizes the frame; without
//! it the frame keeps its sensible fixed height.

use crate::embed::WidgetId;
use crate::ui::platform::copy_text;
use crate::ui::state::lang::{LangState, t};
use crate::ui::widgets::quiz_maker::QuizMaker;
use leptos::prelude::*;

/// The page address without its fragment, and its query string.
pub fn address() -> (String, String) {
    let location = web_sys::window().map(|w| w.location());
    let href = location
        .as_ref()
        .and_then(|l| l.href().ok())
        .unwrap_or_default();
    let base = href
        .split('#')
        .next()
        .unwrap_or("")
        .split('?')
        .next()
        .unwrap_or("")
        .to_string();
    let search = location.and_then(|l| l.search().ok()).unwrap_or_default();
    (base, search)
}

/// The HTML a course page pastes: an iframe of `src` and the `embed.js` next to `base`.
pub fn iframe_snippet(base: &str, src: &str, title: &str, height: u32) -> String {
    let script = format!(
        "{}embed.js",
        base.rsplit_once('/')
            .map_or(String::new(), |(dir, _)| format!("{dir}/"))
    );
    format!(
        "<iframe src=\"{}\" title=\"{title}\" width=\"100%\" height=\"{height}\" style=\"border: 0\" loading=\"lazy\"></iframe>\n<script src=\"{script}\" defer></script>",
        src.replace('"', "&quot;"),
    )
}

/// The share/embed bar of widget `widget`.
#[component]
pub fn ShareBar(widget: WidgetId) -> impl IntoView {
    let lang = expect_context::<LangState>().0;
    let link = RwSignal::new(String::new());
    let snippet = RwSignal::new(String::new());
    let refresh = move || {
        let (base, search) = address();
        link.set(format!("{base}{search}#/{}", widget.page().slug()));
        let mut query = search.trim_start_matches('?').to_string();
        if !query.split('&').any(|p| p.starts_with("lang=")) {
            query = format!(
                "lang={}{}{}",
                lang.get_untracked().code(),
                if query.is_empty() { "" } else { "&" },
                query
            );
        }
        let src = format!("{base}?{query}#/embed/{}", widget.slug());
        snippet.set(iframe_snippet(
            &base,
            &src,
            &format!("convscope: {}", widget.slug()),
            widget.height(),
        ));
    };
    view! {
        <details class="share-bar" data-widget=widget.slug() on:toggle=move |_| refresh()>
            <summary>{t("share.summary")}</summary>
            {if widget.link_reproduces() {
                view! {
                    <label class="share-field">
                        <span>{t("share.link")}</span>
                        <input type="text" readonly class="share-link" prop:value=move || link.get()/>
                    </label>
                    <button type="button" class="share-copy-link" on:click=move |_| { refresh(); copy_text(&link.get_untracked()) }>{t("share.copy_link")}</button>
                }.into_any()
            } else {
                view! { <p class="hint share-no-link">{t("share.no_link")}</p> }.into_any()
            }}
            <label class="share-field">
                <span>{t("share.snippet")}</span>
                <textarea readonly rows="3" class="share-snippet" prop:value=move || snippet.get()></textarea>
            </label>
            <button type="button" class="share-copy-snippet" on:click=move |_| { refresh(); copy_text(&snippet.get_untracked()) }>{t("share.copy_snippet")}</button>
            <p class="hint">
                {t("share.hide_hint")}
                {(!widget.controls().is_empty()).then(|| view! { " "<code>{format!("hide={}", widget.controls().join(","))}</code> })}
            </p>
            {(!crate::quiz::questions(widget).is_empty()).then(|| view! { <QuizMaker widget=widget/> })}
        </details>
    }
}
