//! A widget's opening: its heading, the note on what a link had to adjust, and its hint.

use crate::ui::state::lang::t;
use crate::ui::url_state::LinkNote;
use leptos::prelude::*;

/// `<h2 id=id>` with the translated `heading`, the link note, then the translated `hint`.
#[component]
pub fn WidgetHead(
    id: &'static str,
    heading: &'static str,
    hint: &'static str,
    notes: RwSignal<Vec<String>>,
) -> impl IntoView {
    view! {
        <h2 id=id>{t(heading)}</h2>
        <LinkNote notes=notes/>
        <p class="hint">{t(hint)}</p>
    }
}
