//! The table of contents: one line per chapter, its title linked, its summary beside it.

use crate::pages::Page;
use crate::ui::state::lang::t;
use leptos::prelude::*;

/// The list of chapters, numbered in the lesson's order.
#[component]
pub fn Toc() -> impl IntoView {
    let items = Page::chapters()
        .map(|page| {
            view! {
                <li>
                    <a href=page.href()>{t(page.title_key())}</a>
                    <span class="toc-summary">{t(page.summary_key())}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="toc">{items}</ol> }
}
