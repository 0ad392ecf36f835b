//! "On this page": the outline of a long chapter (three widgets or more), a list of its widgets'
//! headings that jumps to each one.
//!
//! How it works: [`sections`] names, per page, the `id` of each widget's `<h2>` and its title's
//! translation key (the widgets keep their own headings; a browser test checks every entry finds
//! its heading). The outline is drawn twice from that list: under the current page's link in the
//! sidebar (sticky with it, wide screens), and as a collapsible `<details>` under the page's
//! introduction (narrow screens, where the sidebar is a menu); CSS shows one of them.
//!
//! The routes live in the URL fragment, so an entry is a link to its page (`#/mnist/gallery`,
//! which opens the page: "open in new tab" works) whose click jumps instead: it scrolls the widget to the top of the screen
//! (below the sticky header, by the widgets' `scroll-margin-top`; no smooth scrolling, so
//! `prefers-reduced-motion` has nothing to respect) and moves keyboard focus to its heading.
//! The address bar then shows the section's address (`#/mnist/gallery`, by `replaceState`: no
//! navigation), and a page opened at such an address jumps to that section once it has mounted.
//! The entry of the section being read is marked (`aria-current="location"`), from a scroll
//! listener that finds the last heading above the upper third of the screen.

use crate::pages::Page;
use crate::ui::state::lang::{t, use_tr};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The outline of `page`: `(heading id, title key)` per widget, in page order; empty for pages
/// of fewer than three widgets.
pub fn sections(page: Page) -> &'static [(&'static str, &'static str)] {
    match page {
        Page::Convolution => &[
            ("flatten-heading", "images.flatten_heading"),
            ("conv-heading", "conv.heading"),
            ("backward-heading", "backward.heading"),
            ("transpose-heading", "transpose.heading"),
        ],
        Page::Mnist => &[
            ("draw-heading", "draw.heading"),
            ("why-heading", "why.heading"),
            ("maps-heading", "maps.heading"),
            ("gallery-heading", "gallery.heading"),
            ("upload-heading", "upload.heading"),
            ("model-heading", "model.heading"),
            ("eval-heading", "eval.heading"),
            ("shapes-heading", "shapes.heading"),
            ("builder-heading", "builder.heading"),
        ],
        Page::Deeper => &[
            ("pointwise-heading", "pointwise.heading"),
            ("cost-heading", "cost.heading"),
            ("inception-heading", "inception.heading"),
            ("depth-heading", "depth.heading"),
        ],
        Page::Train => &[
            ("train-heading", "train.heading"),
            ("model-heading", "model.heading"),
            ("eval-heading", "eval.heading"),
            ("draw-heading", "draw.heading"),
            ("compare-heading", "compare.heading"),
        ],
        _ => &[],
    }
}

/// The address of a section: `#/<page>/<section>` (the route parser reads the page from it).
fn section_href(page: Page, id: &str) -> String {
    format!("{}/{}", page.href(), id.trim_end_matches("-heading"))
}

/// Puts `hash` in the address bar without a navigation (no `hashchange`: the page stays).
fn show_in_address(hash: &str) {
    let Ok(href) = window().location().href() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&href) else {
        return;
    };
    url.set_hash(hash);
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
}

/// On a page opened at a section's address (`#/mnist/gallery`), jumps to that section once
/// its widget has mounted (the widgets mount one per task: it looks again every 100 ms, for up
/// to ten seconds).
fn jump_on_open(page: Page) {
    let hash = window().location().hash().unwrap_or_default();
    let Some(&(id, _)) = sections(page)
        .iter()
        .find(|(id, _)| hash == section_href(page, id))
    else {
        return;
    };
    fn look(id: &'static str, tries: u32) {
        if document().get_element_by_id(id).is_some() {
            jump_to(id);
            hold(id);
        } else if tries > 0 {
            set_timeout(
                move || look(id, tries - 1),
                std::time::Duration::from_millis(100),
            );
        }
    }
    look(id, 100);
}

/// After the jump, keeps the section at the top while the widgets above it finish drawing (the
/// lab's maps and pictures arrive later and make them taller), until the learner scrolls, taps
/// or types, or for five seconds.
fn hold(id: &'static str) {
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    /// What the learner does that ends the hold.
    const MOVES: [&str; 4] = ["wheel", "touchstart", "keydown", "pointerdown"];
    let Some(want) = section_widget(id).map(|w| w.get_bounding_client_rect().top()) else {
        return;
    };
    let moved = Rc::new(Cell::new(false));
    let flag = Rc::clone(&moved);
    let on = Rc::new(Closure::<dyn FnMut()>::new(move || flag.set(true)));
    for event in MOVES {
        let _ = window().add_event_listener_with_callback(event, (*on).as_ref().unchecked_ref());
    }
    fn again(
        id: &'static str,
        want: f64,
        moved: Rc<Cell<bool>>,
        on: Rc<Closure<dyn FnMut()>>,
        tries: u32,
    ) {
        if moved.get() || tries == 0 {
            // The hold ends: its listeners go (and the closure with the last `on`).
            for event in MOVES {
                let _ = window()
                    .remove_event_listener_with_callback(event, (*on).as_ref().unchecked_ref());
            }
            return;
        }
        if let Some(widget) = section_widget(id)
            && (widget.get_bounding_client_rect().top() - want).abs() > 2.0
        {
            widget.scroll_into_view();
        }
        set_timeout(
            move || again(id, want, moved, on, tries - 1),
            std::time::Duration::from_millis(100),
        );
    }
    again(id, want, moved, on, 50);
}

/// The widget whose heading has `id` (or the heading itself).
fn section_widget(id: &str) -> Option<web_sys::Element> {
    let heading = document().get_element_by_id(id)?;
    Some(heading.closest(".widget").ok().flatten().unwrap_or(heading))
}

/// Scrolls the widget whose heading has `id` to the top and focuses that heading.
fn jump_to(id: &str) {
    let (Some(heading), Some(widget)) = (document().get_element_by_id(id), section_widget(id))
    else {
        return;
    };
    widget.scroll_into_view();
    if let Ok(h) = heading.dyn_into::<web_sys::HtmlElement>() {
        if !h.has_attribute("tabindex") {
            let _ = h.set_attribute("tabindex", "-1");
        }
        let _ = h.focus();
    }
}

/// The index of the section being read: the last heading above the upper third of the screen.
fn current_section(ids: &[(&str, &str)]) -> Option<usize> {
    let line = window().inner_height().ok()?.as_f64()? / 3.0;
    ids.iter().enumerate().rev().find_map(|(i, (id, _))| {
        let el = document().get_element_by_id(id)?;
        let el = el.closest(".widget").ok().flatten().unwrap_or(el);
        (el.get_bounding_client_rect().top() <= line).then_some(i)
    })
}

/// The list of entries (`<ol>`), with the section being read marked.
#[component]
pub fn OutlineList(page: Page) -> impl IntoView {
    let tr = use_tr();
    let ids = sections(page);
    let current = RwSignal::new(None::<usize>);
    let listener = window_event_listener(leptos::ev::scroll, move |_| {
        let now = current_section(ids);
        if current.get_untracked() != now {
            current.set(now);
        }
    });
    on_cleanup(move || listener.remove());
    let items = ids
        .iter()
        .enumerate()
        .map(|(i, &(id, key))| {
            let on_click = move |ev: leptos::ev::MouseEvent| {
                // A plain click jumps; ctrl/shift/middle-click keep the link's own behaviour.
                if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
                    return;
                }
                ev.prevent_default();
                jump_to(id);
                current.set(Some(i));
                show_in_address(&section_href(page, id));
            };
            view! {
                <li>
                    <a href=section_href(page, id) data-section=id class:here=move || current.get() == Some(i)
                        aria-current=move || (current.get() == Some(i)).then_some("location")
                        on:click=on_click>{move || tr(key)}</a>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="outline-list">{items}</ol> }
}

/// The outline under a page's introduction: a collapsible "On this page" (narrow screens only;
/// wide screens show the sidebar's). It also makes a section's address jump to the section.
#[component]
pub fn PageOutline(page: Page) -> impl IntoView {
    jump_on_open(page);
    (!sections(page).is_empty()).then(|| {
        view! {
            <nav class="page-outline" aria-label=t("outline.label")>
                <details>
                    <summary>{t("outline.label")}</summary>
                    <OutlineList page=page/>
                </details>
            </nav>
        }
    })
}
