//! Evaluate the lab's model on the 10,000 test digits in the page: accuracy, mean loss, the
//! confusion matrix and a gallery of the digits it gets wrong. The work is done in the lab's
//! inference worker, 250 images at a time with progress ([`lab_ask::evaluate`]); where the
//! worker cannot run, or dies mid-way, on this thread in the same chunks, yielding between them.
//! The figures come from the core's `Evaluator` (the same code as `convscope eval`). The predictions are kept
//! on the result (`data-predictions`, one digit per test image) so a test can compare them with
//! the command line's.

use crate::train::fit::Evaluation;
use crate::ui::state::infer::Infer;
use crate::ui::state::lab::Lab;
use crate::ui::state::lab_ask;
use crate::ui::state::lang::{t, use_tr};
use crate::ui::widgets::format::grouped;
use crate::ui::widgets::gallery::TestSetProgress;
use crate::ui::widgets::heat_canvas::HeatCanvas;
use crate::ui::widgets::infer_choice::{InferChoiceNote, Workload};
use crate::ui::widgets::infer_note::InferNote;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Misclassified digits shown.
const SHOW_WRONG: usize = 36;

/// The evaluation panel.
#[component]
pub fn EvalPanel() -> impl IntoView {
    let tr = use_tr();
    let lab = Lab::shipped();
    let running = RwSignal::new(None::<f64>);
    let result = RwSignal::new(None::<(Evaluation, u64)>);
    let error = RwSignal::new(None::<String>);
    // `?debug`: a button that stops the lab's worker (the test of a worker dying mid-run).
    let debug = crate::ui::platform::query_param("debug").is_some();
    let infer = Infer::get();
    let run = move |_| {
        if running.get_untracked().is_some() {
            return;
        }
        error.set(None);
        spawn_local(async move {
            let test = match lab.test_set().await {
                Ok(t) => t,
                Err(e) => {
                    error.try_set(Some(e));
                    return;
                }
            };
            if lab.model_untracked().is_none() {
                error.try_set(Some(tr("eval.no_model").to_string()));
                return;
            }
            let version = lab.version.get_untracked();
            running.try_set(Some(0.0));
            let progress = move |f: f64| _ = running.try_set(Some(f));
            match lab_ask::evaluate(lab, test, progress).await {
                Ok(evaluation) => _ = result.try_set(Some((evaluation, version))),
                Err(e) => _ = error.try_set(Some(e)),
            }
            running.try_set(None);
        });
    };
    let stale = move || result.with(|r| r.as_ref().is_some_and(|(_, v)| *v != lab.version.get()));
    let summary = move || {
        result.with(|r| {
            r.as_ref().map(|(e, _)| {
                format!(
                    "{} {:.2} % ({} / {}) · {} {:.4}",
                    tr("eval.accuracy"),
                    e.accuracy_percent(),
                    e.correct,
                    e.total,
                    tr("eval.loss"),
                    e.loss
                )
            })
        })
    };
    let matrix = move || {
        result.with(|r| {
            r.as_ref().map(|(e, _)| {
                let top = e.confusion.iter().flatten().copied().max().unwrap_or(1).max(1) as f64;
                let head = (0..10).map(|d| view! { <th scope="col">{d}</th> }).collect_view();
                let rows = e
                    .confusion
                    .iter()
                    .enumerate()
                    .map(|(truth, row)| {
                        let cells = row
                            .iter()
                            .enumerate()
                            .map(|(p, &count)| {
                                let share = (count as f64 / top).sqrt();
                                let style = if count == 0 {
                                    String::new()
                                } else if p == truth {
                                    format!("background: color-mix(in srgb, var(--input) {:.0}%, var(--surface))", 15.0 + 60.0 * share)
                                } else {
                                    format!("background: color-mix(in srgb, var(--output) {:.0}%, var(--surface))", 20.0 + 70.0 * share)
                                };
                                view! { <td style=style>{count}</td> }
                            })
                            .collect_view();
                        view! { <tr><th scope="row">{truth}</th>{cells}</tr> }
                    })
                    .collect_view();
                view! {
                    <div class="table-scroll">
                        <table class="confusion">
                            <caption>{t("eval.confusion")}</caption>
                            <thead><tr><th>{t("eval.true_pred")}</th>{head}</tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
            })
        })
    };
    let wrong = move || {
        let test = lab.test_set_now()?;
        result.with(|r| {
            r.as_ref().map(|(e, _)| {
                e.predictions
                    .iter()
                    .enumerate()
                    .filter(|&(i, &p)| test.labels[i] != p)
                    .take(SHOW_WRONG)
                    .map(|(i, &p)| {
                        let label = test.labels[i];
                        let pixels: Vec<f32> = test.image(i).iter().map(|&b| f32::from(b) / 255.0).collect();
                        view! {
                            <button type="button" class="tile wrong" data-index=i
                                aria-label=move || format!("{} #{i}: {} {label}, {} {p}", tr("draw.from_test"), tr("draw.label"), tr("gallery.predicted"))
                                on:click=move |_| lab.show_test_digit(i)>
                                <HeatCanvas values=pixels width=28 height=28/>
                                <span class="tile-label">{format!("{label} → {p}")}</span>
                            </button>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let predictions = move || {
        result.with(|r| {
            r.as_ref().map(|(e, _)| {
                e.predictions
                    .iter()
                    .map(|d| char::from(b'0' + d))
                    .collect::<String>()
            })
        })
    };
    view! {
        <section class="widget eval-panel" aria-labelledby="eval-heading">
            <h2 id="eval-heading">{t("eval.heading")}</h2>
            <p class="hint">{t("eval.hint")}</p>
            <button type="button" class="eval-run primary" prop:disabled=move || running.get().is_some() on:click=run>
                {t("eval.run")}
            </button>
            <Show when=move || debug>
                <button type="button" class="lab-kill-worker" on:click=move |_| infer.kill()>{t("infer.kill")}</button>
            </Show>
            <InferNote/>
            <InferChoiceNote workload=Workload::Eval/>
            <TestSetProgress/>
            {move || running.get().map(|f| view! {
                <div class="progress-line">
                    <span>{move || tr("eval.running")}</span>
                    <progress class="eval-progress" max="1" value=f.to_string()></progress>
                </div>
            })}
            {move || error.get().map(|e| view! { <p class="conv-error" role="alert">{e}</p> })}
            <div class="eval-result" data-predictions=predictions>
                <p class="eval-summary" role="status">{summary}</p>
                <Show when=stale>
                    <p class="hint eval-stale">{t("eval.stale")}</p>
                </Show>
                {matrix}
                <Show when=move || result.with(Option::is_some)>
                    <h3>{t("eval.wrong")}</h3>
                    // How many of the mistakes the tiles show, and of how many.
                    <p class="hint eval-wrong-count">{move || result.with(|r| r.as_ref().map(|(e, _)| {
                        let total = e.wrong();
                        let key = if total > SHOW_WRONG { "eval.wrong_shown" } else { "eval.wrong_all" };
                        tr(key)
                            .replace("{shown}", &total.min(SHOW_WRONG).to_string())
                            .replace("{total}", &grouped(total as u64))
                    }))}</p>
                </Show>
                <div class="tiles eval-wrong">{wrong}</div>
            </div>
        </section>
    }
}
