//! Train the lesson's Net, the residual net or the Inception net in the page, on WebGPU or on
//! WASM SIMD: the model and the settings (the lesson's by default,
//! editable), start/pause/reset, the backend switch while paused, live figures, the
//! loss and test-accuracy charts and progress bars. The run itself (loop, checkpoints, the
//! epoch's evaluation) is [`Run`].

use crate::train::checkpoint::TrainSettings;
use crate::train::session::TrainBackend;
use crate::ui::state::backend::{BackendState, BackendStatus, train_backend_key};
use crate::ui::state::lang::{LangState, t, use_tr};
use crate::ui::state::train_run::{Phase, Run, WorkerNote};
use crate::ui::url_state::{LinkNote, follow};
use crate::ui::widgets::backend_choice::BackendChoiceNote;
use crate::ui::widgets::loss_chart::LossChart;
use crate::ui::widgets::model_picker::ModelPicker;
use crate::ui::widgets::number_field::number_field;
use crate::widget_state::WidgetState;
use convscope_worker::protocol::MAX_THREADS;
use leptos::prelude::*;

/// The training panel of the Train page.
#[component]
pub fn TrainPanel() -> impl IntoView {
    let backend = expect_context::<BackendState>();
    let lang = expect_context::<LangState>().0;
    let tr = use_tr();
    let panel = Run::get();
    // Test hooks (losing the GPU, terminating a worker thread) only with `?debug` in the address.
    let debug = crate::ui::platform::query_param("debug").is_some();
    let gpu_ready = move || matches!(backend.status.get(), BackendStatus::WebGpu(_));
    let running = move || panel.running();
    let use_gpu = move || panel.want_gpu.get() && gpu_ready();
    // Without a session yet (or after Reset), "Compute on" names the backend a start would
    // use; from then on the session's own. The select and the figure show the same one.
    Effect::new(move |_| {
        let want = use_gpu();
        panel.steps.track();
        if !panel.running() && !panel.busy.get() && !panel.has_session() {
            panel.on_backend.set(if want {
                TrainBackend::WebGpu
            } else {
                TrainBackend::Simd
            });
        }
    });
    // The settings live in the address (`?train=`): a link sets them, unless a run has already
    // started here (its settings stay, and a note says so).
    let (state, link_notes) = follow(panel.settings.get_untracked(), move || panel.settings.get());
    if crate::ui::platform::query_param(TrainSettings::KEY).is_some() {
        if panel.steps.get_untracked() > 0 || panel.running_untracked() {
            link_notes.update(|n| n.push(tr("train.link_kept").to_string()));
        } else {
            panel.settings.set(state);
            crate::ui::state::choose_model(state.model);
        }
    }
    // The optimizer's settings are fixed once training has started (Reset unlocks them).
    let locked = move || running() || panel.steps.get() > 0;
    // Out-of-range or unreadable values keep the previous setting (the field shows it again).
    let set = move |name: &'static str| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            panel.settings.update(|s| s.set_typed(name, &value));
        }
    };
    // Reset asks first when there is a run to lose; starting again withdraws the question.
    let asking = RwSignal::new(false);
    Effect::new(move |_| {
        if running() {
            asking.set(false);
        }
    });
    // The question takes the focus (the Reset button is disabled meanwhile), on "Keep it".
    let keep = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = keep.get() {
            let _ = button.focus();
        }
    });
    let ask_or_reset = move || {
        if panel.steps.get_untracked() == 0 {
            panel.reset();
        } else {
            asking.set(true);
        }
    };
    // Paused, but the loop is still finishing its chunk and saving.
    let pausing = move || panel.busy.get() && !running();
    let start_label = move || {
        if running() {
            tr("train.pause")
        } else if panel.phase.get() == Phase::Finished {
            tr("train.more")
        } else if panel.steps.get() > 0 {
            tr("train.resume")
        } else {
            tr("train.start")
        }
    };
    let status = move || match panel.phase.get() {
        Phase::Idle => tr("train.idle").to_string(),
        Phase::Loading => tr("train.loading").to_string(),
        Phase::Running => tr("train.running").to_string(),
        Phase::Paused => tr("train.paused").to_string(),
        Phase::Finished => format!(
            "{} {}",
            tr("train.finished"),
            panel
                .accuracy
                .get()
                .last()
                .map_or(String::new(), |a| format!("{:.2} %", a.1))
        ),
        Phase::Failed(e) => format!("{}: {e}", tr("train.failed")),
    };
    // Where the compute runs, in words: ("workers" | "gpu" | "main", text).
    let where_runs = move || panel.where_runs(lang.get());
    let chart_label = Signal::derive(move || tr("train.chart").to_string());
    let accuracy_label = Signal::derive(move || tr("train.accuracy_chart").to_string());
    // The accuracy is recorded after each epoch: its chart counts epochs (1, 2, …), as its
    // title says, not steps.
    let accuracy_by_epoch = panel.accuracy_by_epoch();
    let time_left = move || {
        let (s, rate) = (panel.settings.get(), panel.rate.get()?);
        let done = panel.steps.get() as f64 * s.batch as f64;
        let left = (s.epochs as f64 * 60_000.0 - done).max(0.0) / rate.max(1.0);
        running().then(|| format!("{:.0}:{:02.0}", (left / 60.0).floor(), left % 60.0))
    };
    view! {
        <section class="widget train-panel" aria-labelledby="train-heading">
            <h2 id="train-heading">{t("train.heading")}</h2>
            <div class="controls-grid">
                <ModelPicker
                    class="train-model"
                    value=Signal::derive(move || panel.settings.get().model)
                    on_pick=Callback::new(move |kind| panel.settings.update(|s| s.model = kind))
                    disabled=Signal::derive(locked)
                />
                <label>
                    <span>{t("train.backend")}</span>
                    <select
                        class="train-backend"
                        prop:disabled=move || running() || panel.busy.get()
                        on:change=move |ev| panel.pick_backend(event_target_value(&ev) == TrainBackend::WebGpu.name())
                    >
                        <option value=TrainBackend::WebGpu.name() prop:selected=move || panel.on_backend.get() == TrainBackend::WebGpu prop:disabled=move || !gpu_ready()>{t(train_backend_key(TrainBackend::WebGpu))}</option>
                        <option value=TrainBackend::Simd.name() prop:selected=move || panel.on_backend.get() == TrainBackend::Simd>{t(train_backend_key(TrainBackend::Simd))}</option>
                    </select>
                </label>
                <label>
                    <span>{t("train.threads")}</span>
                    <select
                        class="train-threads"
                        prop:disabled=move || running() || panel.busy.get() || (use_gpu() && panel.learner_chose.get())
                        on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                                panel.threads.set(n.clamp(1, MAX_THREADS));
                            }
                        }
                    >
                        {(1..=MAX_THREADS)
                            .map(|n| view! {
                                <option value=n.to_string() prop:selected=move || panel.threads.get() == n>{n.to_string()}</option>
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    <span>{t("train.optimizer")}</span>
                    <select
                        class="train-optimizer"
                        prop:disabled=locked
                        on:change=move |ev| { let adam = event_target_value(&ev) == "adam"; panel.settings.update(|s| s.adam = adam) }
                    >
                        <option value="sgd" prop:selected=move || !panel.settings.get().adam>"SGD"</option>
                        <option value="adam" prop:selected=move || panel.settings.get().adam>"Adam"</option>
                    </select>
                </label>
                {number_field("train.lr", "train-lr".into(), ("0.0001", Some("1"), "0.001"), move || panel.settings.get().lr.to_string(), locked, set("lr"))}
                {number_field("train.momentum", "train-momentum".into(), ("0", Some("0.99"), "0.05"), move || panel.settings.get().momentum.to_string(), locked, set("momentum"))}
                {number_field("train.seed", "train-seed".into(), ("0", None, "1"), move || panel.settings.get().seed.to_string(), locked, set("seed"))}
                {number_field("train.epochs", "train-epochs".into(), ("1", Some("100"), "1"), move || panel.settings.get().epochs.to_string(), running, set("epochs"))}
                {number_field("train.batch", "train-batch".into(), ("1", Some("512"), "1"), move || panel.settings.get().batch.to_string(), locked, set("batch"))}
            </div>
            <div class="button-row">
                <button
                    class="train-start primary"
                    prop:disabled=pausing
                    type="button"
                    on:click=move |_| if running() { panel.pause() } else { panel.start() }
                >
                    {start_label}
                </button>
                <button class="train-reset" type="button" prop:disabled=move || running() || panel.busy.get() || asking.get()
                    on:click=move |_| ask_or_reset()>
                    {t("train.reset")}
                </button>
                // A test hook, not for learners: only with `?debug` in the address, once the run
                // has made a step on the GPU.
                <Show when=move || debug && panel.on_backend.get() == TrainBackend::WebGpu && running() && (panel.steps.get() > 0)>
                    <button
                        class="train-lose-gpu"
                        type="button"
                        on:click=move |_| panel.simulate_gpu_loss()
                    >
                        {t("train.simulate_loss")}
                    </button>
                </Show>
            </div>
            // Reset discards a run: asked first, in the page (nothing blocks the training loop).
            <Show when=move || asking.get()>
                <div class="train-reset-ask" role="alertdialog" aria-labelledby="train-reset-question">
                    <p id="train-reset-question">{move || tr("train.reset_ask").replace("{step}", &panel.steps.get().to_string())}</p>
                    <div class="button-row">
                        <button class="train-reset-confirm" type="button" on:click=move |_| { asking.set(false); panel.reset() }>{t("train.reset_confirm")}</button>
                        <button class="train-reset-cancel" type="button" node_ref=keep on:click=move |_| asking.set(false)>{t("train.reset_cancel")}</button>
                    </div>
                </div>
            </Show>
            <p class="hint">{t("train.hint")}</p>
            <LinkNote notes=link_notes/>
            <p class="train-status" role="status" aria-live="polite">{status}</p>
            {move || panel.load_progress.get().map(|f| view! {
                <div class="progress-line">
                    <span>{move || tr("train.loading")}</span>
                    <progress class="train-load-progress" max="1" value=f.to_string()></progress>
                    <span>{format!("{:.0} %", f * 100.0)}</span>
                </div>
            })}
            {move || panel.eval_progress.get().map(|f| view! {
                <div class="progress-line">
                    <span>{move || tr("train.evaluating")}</span>
                    <progress class="train-eval-progress" max="1" value=f.to_string()></progress>
                </div>
            })}
            {move || panel.restored_at.get().map(|s| view! { <p class="hint train-restored">{move || tr("train.restored")}" "{s}</p> })}
            {move || panel.storage_error.get().map(|e| view! { <p class="hint train-storage">{move || tr("train.no_storage")}" ("{e.clone()}")"</p> })}
            <dl class="train-figures">
                <div><dt>{t("train.on")}</dt><dd class="train-on" data-backend=move || panel.on_backend.get().name()>
                    {move || tr(train_backend_key(panel.on_backend.get()))}
                </dd></div>
                <div><dt>{t("train.step")}</dt><dd class="train-steps">{move || panel.steps.get()}</dd></div>
                <div><dt>{t("train.epoch")}</dt><dd class="train-epoch">{move || (panel.epoch.get() + 1).min(panel.settings.get().epochs.max(1))}</dd></div>
                <div><dt>{t("train.loss")}</dt><dd class="train-loss" data-value=move || panel.loss.get().map(|l| l.to_string())>{move || panel.loss.get().map_or("–".to_string(), |l| format!("{l:.4}"))}</dd></div>
                <div><dt>{t("train.speed")}</dt><dd class="train-rate">{move || panel.rate.get().filter(|_| running()).map_or("–".to_string(), |r| format!("{r:.0}"))}</dd></div>
                <div><dt>{t("train.time_left")}</dt><dd class="train-time-left">{move || time_left().unwrap_or_else(|| "–".into())}</dd></div>
                <div><dt>{t("train.test_accuracy")}</dt><dd class="train-accuracy" data-value=move || panel.accuracy.get().last().map(|a| a.1.to_string())>{move || panel.accuracy.get().last().map_or("–".to_string(), |a| format!("{:.2} %", a.1))}</dd></div>
                <div><dt>{t("train.saved")}</dt><dd class="train-saved">{move || panel.saved_at.get().map_or("–".to_string(), |s| s.to_string())}</dd></div>
            </dl>
            <p class="hint train-where" data-where=move || where_runs().0>{move || where_runs().1}</p>
            <BackendChoiceNote/>
            {move || panel.worker_note.get().map(|note| {
                let text = match note {
                    WorkerNote::Failed(reason) => tr("train.worker_failed").replace("{reason}", &reason),
                    WorkerNote::NoGpuInWorker(reason) => tr("train.no_gpu_in_worker").replace("{reason}", &reason),
                    WorkerNote::ThreadLost { threads, reason } => {
                        crate::i18n::tr_count(lang.get(), "train.thread_lost_one", "train.thread_lost", threads)
                            .replace("{reason}", &reason)
                    }
                };
                view! { <p class="backend-notice train-worker-note" role="alert">{text}</p> }
            })}
            <Show when=move || debug && panel.in_worker.get() && running()>
                <button class="train-kill-thread" type="button" on:click=move |_| panel.kill_worker_thread()>
                    {t("train.kill_thread")}
                </button>
            </Show>
            <Show when=move || panel.lost.get()>
                <p class="backend-notice train-lost" role="alert">
                    {move || tr("train.lost").replace("{reason}", &panel.gpu_error.get().map_or_else(String::new, |e| crate::i18n::core_errors::gpu(lang.get(), &e)))}
                </p>
            </Show>
            <div class="train-charts">
                <figure>
                    <figcaption>{t("train.chart")}</figcaption>
                    <LossChart history=panel.history label=chart_label/>
                </figure>
                <figure>
                    <figcaption>{t("train.accuracy_chart")}</figcaption>
                    <LossChart history=accuracy_by_epoch label=accuracy_label min_top=100.0 bottom=80.0 min_x=1 class="accuracy-chart"/>
                </figure>
            </div>
        </section>
    }
}
