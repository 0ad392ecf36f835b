//! Home: what convscope is, a live convolution (the first thing a visitor sees move), then the
//! table of contents with a small picture per chapter.

use crate::pages::Page;
use crate::ui::components::page_intro::PageIntro;
use crate::ui::pages::toc::Toc;
use crate::ui::state::lang::t;
use crate::ui::widgets::home_hero::HomeHero;
use leptos::prelude::*;

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <article class="page page-home">
            <PageIntro page=Page::Home/>
            <HomeHero/>
            <section aria-labelledby="toc-heading">
                <h2 id="toc-heading">{t("nav.chapters")}</h2>
                <Toc/>
            </section>
        </article>
    }
}
