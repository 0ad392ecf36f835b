//! The app shell: skip link, header, chapter navigation, the routed page and the footer. The page's
//! widgets and the footer mount in later tasks, one each ([`Later`]): the start-up has no long
//! task.
//!
//! After each navigation the new page's heading takes keyboard focus and the document title
//! follows the page, so keyboard and screen-reader users know where they are.

use crate::i18n::tr;
use crate::pages::Page;
use crate::ui::components::{footer::Footer, header::Header, later::Later, nav::Nav};
use crate::ui::pages::{chapter::Chapter, home::Home, not_found::NotFound};
use crate::ui::state::{self, lang::t};
use leptos::prelude::*;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let lang = state::provide_shared();
    let route = state::route::provide().0;
    let menu_open = RwSignal::new(false);

    // Escape closes the menu on narrow screens.
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            menu_open.set(false);
        }
    });
    std::mem::forget(escape);

    // Title: "<page> · convscope".
    Effect::new(move |_| {
        let lang = lang.0.get();
        let page_title = match route.get() {
            Some(Page::Home) => tr(lang, "app.tagline"),
            Some(page) => tr(lang, page.title_key()),
            None => tr(lang, "notfound.title"),
        };
        document().set_title(&format!("{page_title} · convscope"));
    });

    // Focus the new page's heading after a navigation (not on first load).
    Effect::new(move |previous: Option<Option<Page>>| {
        let current = route.get();
        if previous.is_some_and(|p| p != current) {
            request_animation_frame(focus_heading);
        }
        current
    });

    let skip_to_content = move |ev: leptos::ev::MouseEvent| {
        // The fragment holds the route, so the skip link moves focus instead of the URL.
        ev.prevent_default();
        focus_heading();
    };

    view! {
        // The skip link is the header's first child, so that all content sits in a landmark.
        <Header menu_open=menu_open>
            <a class="skip-link" href="#/" on:click=skip_to_content>{t("nav.skip")}</a>
        </Header>
        <div class="layout">
            <Nav menu_open=menu_open/>
            <main id="main">
                {move || match route.get() {
                    Some(Page::Home) => view! { <Home/> }.into_any(),
                    Some(page) => view! { <Chapter page=page/> }.into_any(),
                    None => view! { <NotFound/> }.into_any(),
                }}
            </main>
        </div>
        // The footer (below every widget) after the page's widgets: not part of the first screen.
        // In a closure so that it queues when the view is built, after the routed page's widgets.
        {|| view! { <Later><Footer/></Later> }}
    }
}

/// Moves keyboard focus to the page's `<h1>` and scrolls to the top.
fn focus_heading() {
    use wasm_bindgen::JsCast;
    if let Some(h1) = document()
        .query_selector("main h1")
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = h1.focus();
    }
    window().scroll_to_with_x_and_y(0.0, 0.0);
}
