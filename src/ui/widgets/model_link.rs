//! Links from an explanation to a trainable model: "classify digits with it" (the MNIST lab with
//! that model picked) and "train it" (the Train page with that model chosen, unless a run is
//! under way). The address carries the choice (`?model=inception#/train`), so the link works
//! when opened in a new tab or from an embedded widget (which opens the full app); inside the
//! app a click applies it at once, without reloading the page.

use crate::embed;
use crate::models::classifier::ModelKind;
use crate::ui::state::choose_model;
use crate::ui::state::lang::t;
use leptos::prelude::*;

/// The two links for `kind`.
#[component]
pub fn ModelLink(kind: ModelKind) -> impl IntoView {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let embedded = embed::embed_slug(&hash).is_some();
    let link = move |page: &'static str, key: &'static str, class: &'static str| {
        let href = format!("index.html?model={}#/{page}", kind.name());
        let go = move |ev: leptos::ev::MouseEvent| {
            if embedded {
                return;
            }
            ev.prevent_default();
            choose_model(kind);
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash(&format!("/{page}"));
            }
        };
        view! {
            <a class=class href=href target=embedded.then_some("_blank") rel=embedded.then_some("noopener") on:click=go>
                {t(key)}
            </a>
        }
    };
    view! {
        <p class="model-links">
            {link("mnist", "link.classify_with", "model-link-lab")}
            " · "
            {link("train", "link.train_it", "model-link-train")}
        </p>
    }
}
