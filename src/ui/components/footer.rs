//! The footer: which compute backend this browser offers, and the promise about numbers.

use crate::ui::platform;
use crate::ui::state::lang::t;
use leptos::prelude::*;

/// The page footer.
#[component]
pub fn Footer() -> impl IntoView {
    let backend_key = if platform::has_webgpu() {
        "backend.webgpu"
    } else {
        "backend.cpu"
    };
    let backend = if platform::has_webgpu() {
        "webgpu"
    } else {
        "cpu"
    };
    view! {
        <footer class="site-footer">
            <p>
                <span>{t("footer.backend")}</span>
                " "
                <strong class="backend" data-backend=backend>{t(backend_key)}</strong>
            </p>
            <p>{t("footer.reference")}</p>
        </footer>
    }
}
