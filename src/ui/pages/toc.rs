//! The table of contents: one card per chapter, a small picture of what it shows, its title
//! linked and its summary beside it. The pictures are plain SVG in the page's colours (input
//! green, kernel yellow, output pink), hidden from screen readers: the title says it all.

use crate::pages::Page;
use crate::ui::state::lang::t;
use leptos::prelude::*;

/// The chapter's small picture.
fn icon(page: Page) -> impl IntoView {
    let cells = |n: usize, size: f64, x0: f64, y0: f64, class: &'static str| {
        (0..n * n)
            .map(|i| {
                let (x, y) = (x0 + (i % n) as f64 * size, y0 + (i / n) as f64 * size);
                view! { <rect class=class x=x y=y width=size - 1.0 height=size - 1.0 rx="1"/> }
            })
            .collect_view()
    };
    let body = match page {
        Page::Images => view! {
            {cells(4, 9.0, 2.0, 2.0, "i-in")}
            <path class="i-line" d="M24 30 L32 6 L38 30"/>
        }
        .into_any(),
        Page::Convolution => view! {
            {cells(4, 7.0, 1.0, 5.0, "i-in")}
            <rect class="i-k" x="1" y="5" width="13" height="13" rx="1"/>
            {cells(2, 7.0, 26.0, 12.0, "i-out")}
        }
        .into_any(),
        Page::Channels => view! {
            <rect class="i-in" x="10" y="2" width="20" height="20" rx="2"/>
            <rect class="i-k" x="6" y="8" width="20" height="20" rx="2"/>
            <rect class="i-out" x="2" y="14" width="20" height="20" rx="2"/>
        }
        .into_any(),
        Page::PaddingStride => view! {
            <rect class="i-pad" x="2" y="2" width="36" height="36" rx="2"/>
            {cells(3, 9.0, 7.0, 7.0, "i-in")}
        }
        .into_any(),
        Page::Pooling => view! {
            {cells(2, 9.0, 2.0, 11.0, "i-in")}
            <path class="i-line" d="M22 20 H28"/>
            <rect class="i-out" x="29" y="15" width="9" height="9" rx="1"/>
        }
        .into_any(),
        Page::Mnist => view! {
            <path class="i-digit" d="M9 8 H31 L17 34"/>
        }
        .into_any(),
        Page::Deeper => view! {
            <path class="i-line" d="M4 20 H12 M12 20 C18 8 24 8 30 20 M12 20 C18 32 24 32 30 20 M30 20 H37"/>
            <rect class="i-k" x="16" y="16" width="8" height="8" rx="1"/>
        }
        .into_any(),
        Page::Train => view! {
            <path class="i-line" d="M4 6 C10 26 18 30 37 33"/>
            <path class="i-axis" d="M3 3 V37 H38"/>
        }
        .into_any(),
        Page::Home | Page::About => view! {
            <circle class="i-in" cx="20" cy="20" r="14"/>
        }
        .into_any(),
        Page::Network => view! {
            {cells(3, 6.0, 1.0, 11.0, "i-in")}
            {cells(2, 6.0, 21.0, 14.0, "i-k")}
            <rect class="i-out" x="34" y="17" width="5" height="5" rx="1"/>
        }
        .into_any(),
    };
    view! { <svg class="toc-icon" viewBox="0 0 40 40" aria-hidden="true" focusable="false">{body}</svg> }
}

/// The list of chapters, numbered in the lesson's order.
#[component]
pub fn Toc() -> impl IntoView {
    let items = Page::chapters()
        .map(|page| {
            view! {
                <li>
                    {icon(page)}
                    <a href=page.href()>{t(page.title_key())}</a>
                    <span class="toc-summary">{t(page.summary_key())}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="toc">{items}</ol> }
}
