//! The Train page's line about the timed choice of backend (issue 14, item 4): while a fresh
//! run's first steps are timed, which backend is being timed; then which one won, with both
//! rates and how many times faster, as [`crate::train::choice::Choice`] computed them. Hidden
//! once the learner picks the backend themself, and where there is no GPU to choose.

use crate::train::session::TrainBackend;
use crate::ui::state::backend::train_backend_key;
use crate::ui::state::lang::use_tr;
use crate::ui::state::train_run::Run;
use crate::ui::widgets::format::grouped;
use leptos::prelude::*;

/// The timing's status line, under "where the compute runs".
#[component]
pub fn BackendChoiceNote() -> impl IntoView {
    let tr = use_tr();
    let run = Run::get();
    let text = move || {
        if let Some(now) = run.timing.get() {
            return Some((
                "timing",
                tr("train.timing").replace("{backend}", tr(train_backend_key(now))),
            ));
        }
        let choice = run.choice.get().filter(|_| !run.learner_chose.get())?;
        let (fast, slow) = match choice.pick() {
            TrainBackend::WebGpu => (choice.gpu, choice.simd),
            TrainBackend::Simd => (choice.simd, choice.gpu),
        };
        let other = match choice.pick() {
            TrainBackend::WebGpu => TrainBackend::Simd,
            TrainBackend::Simd => TrainBackend::WebGpu,
        };
        Some((
            choice.pick().name(),
            tr("train.chose")
                .replace("{fast_name}", tr(train_backend_key(choice.pick())))
                .replace("{slow_name}", tr(train_backend_key(other)))
                .replace("{fast}", &grouped(fast.round() as u64))
                .replace("{slow}", &grouped(slow.round() as u64))
                .replace("{n}", &choice.threads.to_string())
                .replace("{x}", &format!("{:.1}", choice.speedup())),
        ))
    };
    view! {
        {move || text().map(|(state, line)| {
            let choice = run.choice.get();
            view! {
                <p
                    class="hint train-choice"
                    data-state=state
                    data-simd=choice.map(|c| format!("{:.0}", c.simd))
                    data-gpu=choice.map(|c| format!("{:.0}", c.gpu))
                    role="status"
                >
                    {line}
                </p>
            }
        })}
    }
}
