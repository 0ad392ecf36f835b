//! Home: what convscope is, then the table of contents.

use crate::pages::Page;
use crate::ui::components::page_intro::PageIntro;
use crate::ui::pages::toc::Toc;
use crate::ui::state::lang::t;
use leptos::prelude::*;

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <article class="page page-home">
            <PageIntro page=Page::Home/>
            <section aria-labelledby="toc-heading">
                <h2 id="toc-heading">{t("nav.chapters")}</h2>
                <Toc/>
            </section>
        </article>
    }
}
