//! Links from an explanation to a trainable model: "classify digits with it" (the MNIST lab with
//! that model picked) and "train it" (the Train page with that model chosen, unless a run is
//! under way). The address carries the choice (`?model=inception#/train`), so the link works
//! when opened in a new tab or from an embedded widget (which opens the full app); inside the
//! app a click applies it at once, without reloading the page.

use crate::embed;
use crate::models::classifier::ModelKind;
use crate::ui::state::lab::Lab;
use crate::ui::state::lang::t;
use crate::ui::widgets::train_run::Run;
use leptos::prelude::*;

/// Makes `kind` the lab's model and, if no run has started, the model to train. While a run
/// trains, nothing changes: the lab shows the model being trained.
pub fn apply(kind: ModelKind) {
    let run = use_context::<Run>();
    if run.is_some_and(Run::running_untracked) {
        return;
    }
    if let Some(lab) = use_context::<Lab>() {
        lab.choose(kind);
    }
    if let Some(run) = run {
        run.pick_model(kind);
    }
}

/// The `model` the address asks for, if it names one.
pub fn from_address() -> Option<ModelKind> {
    crate::ui::platform::query_param("model").and_then(|m| ModelKind::parse(&m).ok())
}

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
            apply(kind);
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
