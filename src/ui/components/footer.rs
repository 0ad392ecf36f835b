//! The footer: the compute backend in use (WebGPU with the adapter's name, marked "software,
//! slow" for a CPU implementation such as SwiftShader; or WASM SIMD, with why WebGPU is not in
//! use), where the work runs (classifying and evaluating on this page's thread; training, once
//! started, in the worker threads, on the GPU or on the page's thread), and the promise about
//! numbers.

use crate::ui::state::backend::{BackendState, BackendStatus};
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::state::train_run::Run;
use leptos::prelude::*;

/// The page footer.
#[component]
pub fn Footer() -> impl IntoView {
    let status = expect_context::<BackendState>().status;
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    let kind = move || match status.get() {
        BackendStatus::Detecting => "detecting",
        BackendStatus::WebGpu(_) => "webgpu",
        BackendStatus::Simd(_) => "simd",
    };
    let label = move || match status.get() {
        BackendStatus::Detecting => format!("{} ({})", tr("backend.simd"), tr("backend.detecting")),
        BackendStatus::WebGpu(adapter) if adapter.is_software => {
            format!(
                "{} · {} ({})",
                tr("backend.webgpu"),
                adapter.name,
                tr("backend.software")
            )
        }
        BackendStatus::WebGpu(adapter) => format!("{} · {}", tr("backend.webgpu"), adapter.name),
        BackendStatus::Simd(_) => tr("backend.simd").to_string(),
    };
    let notice = move || match status.get() {
        BackendStatus::Simd(reason) => Some(view! {
            <p class="backend-notice" role="status">
                {format!("{}: {}. {}", tr("backend.why_no_webgpu"), tr(reason.key()), tr("backend.fallback_note"))}
            </p>
        }),
        _ => None,
    };
    // Where the work runs: the lab's classifying and evaluating on the page; training, once a
    // run has started, where the run computes.
    let run = use_context::<Run>();
    let where_text = move || {
        let mut text = tr("footer.where_lab").to_string();
        if let Some(run) = run.filter(|r| r.running() || r.steps.get() > 0) {
            text = format!(
                "{text} {} {}",
                tr("footer.where_training"),
                run.where_runs(lang.get()).1
            );
        }
        text
    };
    view! {
        <footer class="site-footer">
            <p aria-live="polite">
                <span>{t("footer.backend")}</span>
                " "
                <strong class="backend" data-backend=kind>{label}</strong>
            </p>
            {notice}
            <p class="footer-where">{where_text}</p>
            <p>{t("footer.reference")}</p>
        </footer>
    }
}
