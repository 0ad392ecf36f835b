//! One widget alone, for a course page's iframe: `index.html?<state>&lang=…&theme=…&hide=…#/embed/<widget>`.
//! The widget itself comes from the registry ([`crate::ui::widgets::registry`]).
//!
//! No header, navigation or footer; a transparent background; the widget's state, language and
//! theme from the address; `hide=` names controls to hide (so a teacher can fix a setting).
//! Whatever the address says, the widget renders: an unknown widget or control gives a small
//! note, never a blank frame. The frame's height is posted to the parent page whenever it
//! changes (`{type: "convscope:height", height}`), which `embed.js` uses to size the iframe.
//! With `quiz=` the address is a classroom quiz ([`crate::quiz`]): the quiz panel follows the
//! widget, with the controls `lock=` names disabled.

use crate::embed::{self, Embed};
use crate::ui::platform;
use crate::ui::state::quiz_hide::{Hidden, QuizHide};
use crate::ui::state::{self, lang::t};
use crate::ui::widgets::quiz_panel::QuizPanel;
use crate::ui::widgets::registry::widget_view;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// The stylesheet that hides the named controls (names come from a fixed list).
fn hide_css(e: &Embed) -> String {
    e.hide
        .iter()
        .map(|name| {
            if *name == "heading" {
                ".embed-root .widget > h2 { display: none !important; }".to_string()
            } else {
                format!(".embed-root [data-control~=\"{name}\"] {{ display: none !important; }}")
            }
        })
        .collect()
}

/// Posts the document's height to the parent page whenever it changes.
fn post_height_on_resize() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(parent) = window.parent() else { return };
    let Some(parent) = parent else { return };
    if parent == window {
        return;
    }
    let last = std::cell::Cell::new(0i32);
    let post = move || {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        // The widget's own extent (not the document's, which is never less than the frame), so
        // the frame shrinks as well as grows.
        let Some(root) = doc.query_selector(".embed-root").ok().flatten() else {
            return;
        };
        let scroll_y = web_sys::window()
            .and_then(|w| w.scroll_y().ok())
            .unwrap_or(0.0);
        let height = (root.get_bounding_client_rect().bottom() + scroll_y).ceil() as i32 + 8;
        if height != last.get() {
            last.set(height);
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"type".into(), &"convscope:height".into());
            let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
            // Only the height goes out, so any parent may read it.
            let _ = parent.post_message(&message, "*");
        }
    };
    post();
    let callback = Closure::<dyn FnMut()>::new(post);
    // The frame lives as long as the page: poll cheaply (layout changes from fonts, canvases and
    // toggles all show up), so the callback is never freed.
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
        callback.as_ref().unchecked_ref(),
        250,
    );
    callback.forget();
}

/// The embed page.
#[component]
pub fn EmbedApp() -> impl IntoView {
    state::provide_shared();
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let slug = embed::embed_slug(&hash).unwrap_or("").to_string();
    let mut e = embed::parse(&slug, platform::query_param("hide").as_deref());
    let quiz = crate::quiz::parse(
        e.widget,
        platform::query_param("quiz").as_deref(),
        platform::query_param("lock").as_deref(),
        [
            platform::query_param("cell").as_deref(),
            platform::query_param("wcell").as_deref(),
        ],
    )
    .map(|(quiz, notes)| {
        e.notes.extend(notes);
        quiz
    });
    if !e.notes.is_empty() {
        leptos::logging::log!("convscope embed: {}", e.notes.join("; "));
    }
    if let Some(root) = platform::root_element() {
        let _ = root.class_list().add_1("embed");
    }
    post_height_on_resize();
    // What the quiz asks about stays hidden in the explorer until answered.
    if let Some(q) = &quiz {
        provide_context(QuizHide(RwSignal::new(Hidden::of(q))));
    }
    let notes = e.notes.clone();
    view! {
        <style>{hide_css(&e)}</style>
        <div class="embed-root" role="main" data-widget=e.widget.slug()>
            {(!notes.is_empty()).then(|| view! { <p class="link-note embed-note" role="status">{t("embed.adjusted")}" "{notes.join(", ")}</p> })}
            {widget_view(e.widget)}
            {quiz.map(|quiz| view! { <QuizPanel widget=e.widget quiz=quiz/> })}
            <p class="embed-credit"><a href=format!("index.html#/{}", e.widget.page().slug()) target="_blank" rel="noopener">{t("embed.open")}</a></p>
        </div>
    }
}
