//! A page's heading and introduction, from the page's translation keys.

use crate::pages::Page;
use crate::ui::state::lang::t;
use leptos::prelude::*;

/// The `<h1>` and the introductory paragraphs of `page`. The heading takes focus after
/// navigation (it has `tabindex="-1"`), so keyboard and screen-reader users land on it.
#[component]
pub fn PageIntro(page: Page) -> impl IntoView {
    let paragraphs = page
        .intro_keys()
        .iter()
        .map(|&key| view! { <p>{t(key)}</p> })
        .collect_view();
    view! {
        <header class="page-intro">
            <h1 tabindex="-1">{t(page.title_key())}</h1>
            <div class="intro">{paragraphs}</div>
        </header>
    }
}
