//! The chapter navigation: a sidebar on wide screens, a menu opened by the header's button on
//! narrow ones. Links are plain `<a href="#/…">`, so Tab and Enter, middle-click and "open in new
//! tab" all work; the current page is marked with `aria-current="page"`. Under a long page's
//! link sits its outline ([`OutlineList`]).

use crate::pages::Page;
use crate::ui::components::outline::{OutlineList, sections};
use crate::ui::state::lang::{LangState, t};
use crate::ui::state::route::RouteState;
use leptos::prelude::*;

/// The chapter list.
///
/// `menu_open`: whether the menu is shown on narrow screens; following a link closes it.
#[component]
pub fn Nav(menu_open: RwSignal<bool>) -> impl IntoView {
    let route = expect_context::<RouteState>().0;
    let lang = expect_context::<LangState>().0;
    let links = Page::ALL
        .into_iter()
        .map(|page| {
            let current = move || route.get() == Some(page);
            view! {
                <li>
                    <a
                        href=page.href()
                        class:current=current
                        aria-current=move || current().then_some("page")
                        on:click=move |_| menu_open.set(false)
                    >
                        {move || crate::i18n::tr(lang.get(), page.nav_key())}
                    </a>
                    // A long page's outline under its link ("On this page", wide screens).
                    {move || (current() && !sections(page).is_empty()).then(|| view! {
                        <div class="nav-outline" role="group" aria-label=t("outline.label")><OutlineList page=page/></div>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <nav id="chapters" class="chapters" class:open=move || menu_open.get() aria-label=t("nav.chapters")>
            <ol>{links}</ol>
        </nav>
    }
}
