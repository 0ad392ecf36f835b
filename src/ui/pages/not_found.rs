//! Shown when the URL fragment names no page: says so, and lists the chapters.

use crate::ui::pages::toc::Toc;
use crate::ui::state::lang::t;
use leptos::prelude::*;

/// The "page not found" page.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <article class="page page-not-found">
            <header class="page-intro">
                <h1 tabindex="-1">{t("notfound.title")}</h1>
                <p>{t("notfound.body")}</p>
            </header>
            <Toc/>
        </article>
    }
}
