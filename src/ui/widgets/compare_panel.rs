//! "Compare two runs" on the Train page: run A's and run B's settings side by side (model,
//! optimizer, learning rate, batch size, epochs; one seed for both), one button to train both,
//! pause and resume them (and, once both are finished, train both one more epoch), Reset, each
//! run's figures in a small table (the legend's colours), both loss curves on one chart and both
//! test accuracies per epoch on another, and a summary line from the runs' own accuracies (the
//! core's [`Summary`]). The runs themselves (workers, checkpoints) are [`Compare`]; the settings
//! live in the address (`?compare=`).

use crate::models::classifier::ModelKind;
use crate::train::checkpoint::TrainSettings;
use crate::train::compare::{CompareSettings, Summary};
use crate::ui::state::compare_run::{Compare, Side};
use crate::ui::state::lang::{t, use_tr};
use crate::ui::state::train_run::Phase;
use crate::ui::url_state::{LinkNote, follow};
use crate::ui::widgets::compare_chart::PairChart;
use crate::ui::widgets::number_field::number_field;
use crate::widget_state::WidgetState;
use leptos::prelude::*;

/// Sets one field of run `b`'s (or A's) settings from an input's text, if it is in range.
fn edit(
    compare: Compare,
    b: bool,
    f: impl FnOnce(&mut TrainSettings, &str),
    ev: leptos::ev::Event,
) {
    let value = event_target_value(&ev);
    compare
        .settings
        .update(|s| f(if b { &mut s.b } else { &mut s.a }, &value));
}

/// One run's settings.
#[component]
fn SideSettings(b: bool) -> impl IntoView {
    let compare = Compare::get();
    let tr = use_tr();
    let name = if b { "b" } else { "a" };
    let get = move || compare.settings.get().side(b);
    let locked = move || compare.started();
    let class = move |what: &str| format!("compare-{name}-{what}");
    // A number field of the run's settings (`what` names it), with its (min, max, step);
    // `show` writes the value; a change keeps the old value for anything out of range.
    let number = move |key: &'static str,
                       what: &'static str,
                       (min, max, step): (&'static str, &'static str, &'static str),
                       show: fn(&TrainSettings) -> String| {
        let value = move || show(&get());
        let change = move |ev| edit(compare, b, |s, v| s.set_typed(what, v), ev);
        number_field(
            key,
            class(what),
            (min, Some(max), step),
            value,
            locked,
            change,
        )
    };
    let model = move |ev| {
        edit(
            compare,
            b,
            |s, v| s.model = ModelKind::parse(v).unwrap_or(s.model),
            ev,
        )
    };
    view! {
        <fieldset class=format!("compare-side compare-side-{name}")>
            <legend>
                <span class=format!("compare-key compare-key-{name}") aria-hidden="true"></span>
                {move || tr(if b { "compare.run_b" } else { "compare.run_a" })}
            </legend>
            <label class="compare-model-row">
                <span>{t("compare.model")}</span>
                <select class=class("model") prop:disabled=locked on:change=model>
                    {ModelKind::ALL.into_iter().map(|kind| view! {
                        <option value=kind.name() prop:selected=move || get().model == kind>{move || tr(kind.key())}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>{t("train.optimizer")}</span>
                <select class=class("optimizer") prop:disabled=locked
                    on:change=move |ev| edit(compare, b, |s, v| s.adam = v == "adam", ev)>
                    <option value="sgd" prop:selected=move || !get().adam>"SGD"</option>
                    <option value="adam" prop:selected=move || get().adam>"Adam"</option>
                </select>
            </label>
            {number("train.lr", "lr", ("0.0001", "1", "0.001"), |s| s.lr.to_string())}
            {number("train.batch", "batch", ("1", "512", "1"), |s| s.batch.to_string())}
            {number("train.epochs", "epochs", ("1", "100", "1"), |s| s.epochs.to_string())}
        </fieldset>
    }
}

/// Says that a run's compute worker failed and the run goes on on the page's own thread.
fn worker_note(side: Side) -> impl IntoView {
    let tr = use_tr();
    let name = if side.b { "b" } else { "a" };
    move || {
        side.worker_note.get().map(|reason| {
            let run = tr(if side.b { "compare.run_b" } else { "compare.run_a" });
            let text = tr("compare.worker_failed")
                .replace("{run}", run)
                .replace("{reason}", &reason);
            view! { <p class=format!("backend-notice compare-worker-note compare-worker-note-{name}") role="alert">{text}</p> }
        })
    }
}

/// One run's row of figures.
#[component]
fn SideRow(side: Side) -> impl IntoView {
    let tr = use_tr();
    let name = if side.b { "b" } else { "a" };
    let class = move |what: &str| format!("compare-{what}-{name}");
    let status = move || match side.phase.get() {
        Phase::Idle => tr("train.idle").to_string(),
        Phase::Loading => tr("train.loading").to_string(),
        Phase::Running if side.eval_progress.get().is_some() => tr("train.evaluating").to_string(),
        Phase::Running => tr("train.running").to_string(),
        Phase::Paused => tr("train.paused").to_string(),
        Phase::Finished => tr("compare.finished").to_string(),
        Phase::Failed(e) => format!("{}: {e}", tr("train.failed")),
    };
    let accuracy = move || side.accuracy.get().last().map(|a| a.1);
    view! {
        <tr class=format!("compare-row-{name}")>
            <th scope="row">
                <span class=format!("compare-key compare-key-{name}") aria-hidden="true"></span>
                {move || tr(if side.b { "compare.run_b" } else { "compare.run_a" })}
            </th>
            <td class=class("status")>{status}</td>
            <td class=class("steps")>{move || side.steps.get()}</td>
            <td class=class("loss") data-value=move || side.loss.get().map(|l| l.to_string())>
                {move || side.loss.get().map_or("–".to_string(), |l| format!("{l:.4}"))}
            </td>
            <td class=class("accuracy") data-value=move || accuracy().map(|a| a.to_string())>
                {move || {
                    let all = side.accuracy.get();
                    if all.is_empty() {
                        "–".to_string()
                    } else {
                        all.iter().map(|a| format!("{:.2} %", a.1)).collect::<Vec<_>>().join(", ")
                    }
                }}
            </td>
            <td class=class("saved")>{move || side.saved_at.get().map_or("–".to_string(), |s| s.to_string())}</td>
        </tr>
    }
}

/// The "Compare two runs" panel of the Train page.
#[component]
pub fn ComparePanel() -> impl IntoView {
    let compare = Compare::get();
    let tr = use_tr();
    // A link's settings apply unless a run exists here already (then a note says so).
    let (linked, link_notes) = follow(compare.settings.get_untracked(), move || {
        compare.settings.get()
    });
    if crate::ui::platform::query_param(CompareSettings::KEY).is_some() {
        if compare.a.steps.get_untracked() > 0 || compare.b.steps.get_untracked() > 0 {
            link_notes.update(|n| n.push(tr("compare.link_kept").to_string()));
        } else {
            compare.settings.set(linked);
        }
    }
    let running = move || compare.running();
    let pausing = move || compare.sides().iter().any(|s| s.pausing.get());
    let start_label = move || {
        if running() {
            tr("train.pause")
        } else if compare.finished() {
            tr("compare.more")
        } else if compare.a.steps.get() > 0 || compare.b.steps.get() > 0 {
            tr("compare.resume")
        } else {
            tr("compare.start")
        }
    };
    let summary = move || {
        let s = Summary::of(&compare.a.accuracy.get(), &compare.b.accuracy.get())?;
        let (first, x, second, y) = if s.b_leads() {
            ("B", s.b, "A", s.a)
        } else {
            ("A", s.a, "B", s.b)
        };
        Some(
            tr("compare.summary")
                .replace("{first}", first)
                .replace("{x}", &format!("{x:.2}"))
                .replace("{second}", second)
                .replace("{y}", &format!("{y:.2}"))
                .replace("{n}", &s.epochs.to_string()),
        )
    };
    // Said until both runs are finished (then there is nothing to resume).
    let restored = move || {
        compare
            .sides()
            .iter()
            .any(|s| s.restored_at.get().is_some())
            && !compare.finished()
    };
    let loss_label = Signal::derive(move || tr("compare.loss_chart").to_string());
    let accuracy_label = Signal::derive(move || tr("compare.accuracy_chart").to_string());
    view! {
        <section class="widget compare-panel" aria-labelledby="compare-heading">
            <h2 id="compare-heading">{t("compare.heading")}</h2>
            <p class="hint">{t("compare.intro")}</p>
            <div class="compare-settings">
                <SideSettings b=false/>
                <SideSettings b=true/>
            </div>
            <label class="compare-seed-label">
                <span>{t("compare.seed")}</span>
                <input class="compare-seed" type="number" min="0" step="1"
                    prop:value=move || compare.settings.get().a.seed.to_string()
                    prop:disabled=move || compare.started()
                    on:change=move |ev| {
                        if let Ok(seed) = event_target_value(&ev).parse::<u64>() {
                            compare.settings.update(|s| { s.a.seed = seed; s.b.seed = seed; });
                        }
                    }/>
            </label>
            <div class="button-row">
                <button class="compare-start primary" type="button"
                    prop:disabled=pausing
                    on:click=move |_| if running() { compare.pause() } else { compare.start() }>
                    {start_label}
                </button>
                <button class="compare-reset" type="button" prop:disabled=move || running() || pausing()
                    on:click=move |_| compare.reset()>
                    {t("compare.reset")}
                </button>
            </div>
            <LinkNote notes=link_notes/>
            {worker_note(compare.a)}
            {worker_note(compare.b)}
            <Show when=restored>
                <p class="hint compare-restored">{t("compare.restored")}</p>
            </Show>
            <p class="compare-summary" role="status" aria-live="polite">{move || summary().unwrap_or_default()}</p>
            // Focusable, so that a table wider than a phone scrolls by keyboard too.
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="compare-heading">
                <table class="compare-table">
                    <thead><tr>
                        <th scope="col">{t("compare.run")}</th>
                        <th scope="col">{t("compare.status")}</th>
                        <th scope="col">{t("train.step")}</th>
                        <th scope="col">{t("train.loss")}</th>
                        <th scope="col">{t("compare.accuracy")}</th>
                        <th scope="col">{t("train.saved")}</th>
                    </tr></thead>
                    <tbody>
                        <SideRow side=compare.a/>
                        <SideRow side=compare.b/>
                    </tbody>
                </table>
            </div>
            <div class="train-charts">
                <figure>
                    <figcaption>{t("compare.loss_chart")}</figcaption>
                    <PairChart a=compare.a.history b=compare.b.history label=loss_label class="compare-loss-chart"/>
                </figure>
                <figure>
                    <figcaption>{t("compare.accuracy_chart")}</figcaption>
                    <PairChart a=compare.a.accuracy_by_epoch() b=compare.b.accuracy_by_epoch() label=accuracy_label min_top=100.0 bottom=80.0 min_x=1 class="compare-accuracy-chart"/>
                </figure>
            </div>
        </section>
    }
}
