//! The note a lab widget shows when the lab's inference worker is not used (it could not start,
//! or it died): the widget's numbers are then computed on the page's own thread, the same
//! numbers, but the page may pause while they are ([`crate::ui::state::infer`]).

use crate::ui::state::infer::Infer;
use crate::ui::state::lang::use_tr;
use leptos::prelude::*;

/// "The lab's compute worker stopped (…): …" while the worker is lost; nothing otherwise.
#[component]
pub fn InferNote() -> impl IntoView {
    let tr = use_tr();
    let infer = Infer::get();
    move || {
        infer.lost.get().map(|reason| {
            view! {
                <p class="infer-note" role="status">
                    {move || tr("infer.main_thread").replace("{reason}", &reason)}
                </p>
            }
        })
    }
}
