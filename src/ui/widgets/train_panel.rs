//! Train the lesson's Net in the page, on WebGPU or on WASM SIMD.
//!
//! The training set is fetched on demand (`data/mnist/…gz`, shipped with the app) and decoded by
//! the core's IDX reader. A [`Session`] runs the steps: on WebGPU one submission per step, with
//! the loss read back once per chunk; on the CPU with the SIMD backend. The loop runs chunks of
//! at most ~40 ms and yields to the browser between them, so the page never freezes. While
//! paused, the settings and the backend can be changed: the model and optimizer state carry
//! over. If the GPU is lost (or the "simulate" button pretends so), the session continues on
//! the CPU from the last completed step and the footer says so.

use crate::models::Net;
use crate::train::data::Mnist;
use crate::train::optim::OptimizerConfig;
use crate::train::session::Session;
use crate::ui::platform;
use crate::ui::state::backend::{BackendState, BackendStatus, NoGpuReason};
use crate::ui::state::lang::{LangState, t};
use crate::ui::widgets::loss_chart::LossChart;
use gloo::timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;

/// Where the panel is.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Idle,
    Loading,
    Running,
    Paused,
    Failed(String),
}

/// The epoch's shuffled batches and the next one to take.
#[derive(Clone, Default)]
struct Cursor {
    epoch: u64,
    batches: Vec<Vec<usize>>,
    next: usize,
}

/// The settings a learner can edit (the lesson's by default).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Settings {
    lr: f32,
    momentum: f32,
    batch: usize,
    adam: bool,
    seed: u64,
}

impl Settings {
    fn optimizer(self) -> OptimizerConfig {
        if self.adam {
            OptimizerConfig::Adam {
                lr: self.lr,
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
                weight_decay: 0.0,
            }
        } else {
            OptimizerConfig::Sgd {
                lr: self.lr,
                momentum: self.momentum,
                dampening: 0.0,
                weight_decay: 0.0,
                nesterov: false,
            }
        }
    }
}

/// Everything the async loop and the handlers share.
#[derive(Clone, Copy)]
struct Panel {
    phase: RwSignal<Phase>,
    settings: RwSignal<Settings>,
    want_gpu: RwSignal<bool>,
    on_backend: RwSignal<&'static str>,
    steps: RwSignal<u64>,
    epoch: RwSignal<u64>,
    loss: RwSignal<Option<f32>>,
    rate: RwSignal<Option<f64>>,
    lost: RwSignal<bool>,
    history: RwSignal<Vec<(u64, f32)>>,
    data: StoredValue<Option<Rc<Mnist>>, LocalStorage>,
    session: StoredValue<Option<Session>, LocalStorage>,
    cursor: StoredValue<Cursor, LocalStorage>,
    backend: BackendState,
}

impl Panel {
    fn gpu(self) -> Option<Rc<crate::backend::gpu::GpuContext>> {
        self.backend.gpu.get_value()
    }

    async fn load_data(self) -> Result<Rc<Mnist>, String> {
        if let Some(data) = self.data.get_value() {
            return Ok(data);
        }
        self.phase.set(Phase::Loading);
        let images = platform::fetch_bytes("data/mnist/train-images-idx3-ubyte.gz").await?;
        let labels = platform::fetch_bytes("data/mnist/train-labels-idx1-ubyte.gz").await?;
        let data = Rc::new(Mnist::parse(&images, &labels).map_err(|e| e.to_string())?);
        self.data.set_value(Some(Rc::clone(&data)));
        Ok(data)
    }

    fn new_session(self) -> Session {
        let settings = self.settings.get_untracked();
        let net = Net::new(settings.seed);
        match (self.want_gpu.get_untracked(), self.gpu()) {
            (true, Some(ctx)) => Session::gpu(ctx, net, settings.optimizer()),
            _ => Session::cpu(net, settings.optimizer()),
        }
    }

    /// Starts or resumes the loop.
    fn start(self) {
        if matches!(self.phase.get_untracked(), Phase::Running | Phase::Loading) {
            return;
        }
        spawn_local(async move {
            if let Err(e) = self.run().await {
                web_sys::console::error_1(&format!("convscope: training stopped: {e}").into());
                self.phase.set(Phase::Failed(e));
            }
        });
    }

    async fn run(self) -> Result<(), String> {
        let data = self.load_data().await?;
        let mut session = match self.session.try_update_value(Option::take).flatten() {
            Some(session) => session,
            None => self.new_session(),
        };
        self.phase.set(Phase::Running);
        let mut cursor = self.cursor.get_value();
        let settings = self.settings.get_untracked();
        let result = async {
            while self.phase.get_untracked() == Phase::Running {
                let started = platform::now_ms();
                let mut images = 0usize;
                let mut chunk = 0;
                loop {
                    if cursor.next >= cursor.batches.len() {
                        if !cursor.batches.is_empty() {
                            cursor.epoch += 1;
                        }
                        cursor.batches = data.batches(
                            settings.batch,
                            Some(settings.seed.wrapping_mul(1000) + cursor.epoch),
                        );
                        cursor.next = 0;
                    }
                    let (x, y) = data.batch(&cursor.batches[cursor.next]);
                    cursor.next += 1;
                    images += y.len();
                    session.step(x, y).await.map_err(|e| e.to_string())?;
                    chunk += 1;
                    let on_gpu = session.backend_name() == "webgpu";
                    if platform::now_ms() - started > 40.0 || (on_gpu && chunk >= 4) {
                        break;
                    }
                }
                let loss = session.record_loss().await.map_err(|e| e.to_string())?;
                let elapsed_s = (platform::now_ms() - started) / 1000.0;
                self.loss.set(Some(loss));
                self.steps.set(session.steps);
                self.epoch.set(cursor.epoch);
                self.rate.set(Some(images as f64 / elapsed_s.max(1e-3)));
                self.history.update(|h| h.push((session.steps, loss)));
                self.note_backend(&session);
                TimeoutFuture::new(0).await;
            }
            Ok::<(), String>(())
        }
        .await;
        self.cursor.set_value(cursor);
        self.session.set_value(Some(session));
        if result.is_ok() && self.phase.get_untracked() == Phase::Running {
            self.phase.set(Phase::Paused);
        }
        result
    }

    fn note_backend(self, session: &Session) {
        let name = session.backend_name();
        self.on_backend.set(name);
        if session.fallbacks > 0 && !self.lost.get_untracked() {
            self.lost.set(true);
            self.want_gpu.set(false);
            self.backend
                .status
                .set(BackendStatus::Simd(NoGpuReason::Lost));
            self.backend.gpu.set_value(None);
        }
    }

    /// Moves a paused session to the chosen backend.
    fn switch(self, gpu: bool) {
        self.want_gpu.set(gpu);
        let Some(mut session) = self.session.try_update_value(Option::take).flatten() else {
            return;
        };
        spawn_local(async move {
            match (gpu, self.gpu()) {
                (true, Some(ctx)) => session.use_gpu(ctx),
                _ => {
                    if let Err(e) = session.use_cpu().await {
                        self.phase.set(Phase::Failed(e.to_string()));
                    }
                }
            }
            self.on_backend.set(session.backend_name());
            self.session.set_value(Some(session));
        });
    }

    fn reset(self) {
        self.session.set_value(None);
        self.cursor.set_value(Cursor::default());
        self.history.set(Vec::new());
        self.steps.set(0);
        self.epoch.set(0);
        self.loss.set(None);
        self.rate.set(None);
        self.phase.set(Phase::Idle);
    }
}

/// The training panel of the Train page.
#[component]
pub fn TrainPanel() -> impl IntoView {
    let backend = expect_context::<BackendState>();
    let lang = expect_context::<LangState>().0;
    let tr = move |key| crate::i18n::tr(lang.get(), key);
    let panel = Panel {
        phase: RwSignal::new(Phase::Idle),
        settings: RwSignal::new(Settings {
            lr: 0.01,
            momentum: 0.5,
            batch: 64,
            adam: false,
            seed: 1,
        }),
        want_gpu: RwSignal::new(true),
        on_backend: RwSignal::new("simd"),
        steps: RwSignal::new(0),
        epoch: RwSignal::new(0),
        loss: RwSignal::new(None),
        rate: RwSignal::new(None),
        lost: RwSignal::new(false),
        history: RwSignal::new(Vec::new()),
        data: StoredValue::new_local(None),
        session: StoredValue::new_local(None),
        cursor: StoredValue::new_local(Cursor::default()),
        backend,
    };
    let gpu_ready = move || matches!(backend.status.get(), BackendStatus::WebGpu(_));
    let running = move || matches!(panel.phase.get(), Phase::Running | Phase::Loading);
    let use_gpu = move || panel.want_gpu.get() && gpu_ready();
    // The optimizer's settings are fixed once training has started (Reset unlocks them).
    let locked = move || running() || panel.steps.get() > 0;
    let edit = move |f: fn(&mut Settings, &str), ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        panel.settings.update(|s| f(s, &value));
    };
    // Out-of-range or unreadable values keep the previous setting (the field shows it again).
    let set_lr = move |ev| {
        edit(
            |s, v| {
                s.lr = v
                    .parse::<f32>()
                    .ok()
                    .filter(|x| *x > 0.0 && *x <= 1.0)
                    .unwrap_or(s.lr)
            },
            ev,
        )
    };
    let set_momentum = move |ev| {
        edit(
            |s, v| {
                s.momentum = v
                    .parse::<f32>()
                    .ok()
                    .filter(|x| (0.0..1.0).contains(x))
                    .unwrap_or(s.momentum)
            },
            ev,
        )
    };
    let set_batch = move |ev| {
        edit(
            |s, v| {
                s.batch = v
                    .parse::<usize>()
                    .ok()
                    .filter(|b| (1..=512).contains(b))
                    .unwrap_or(s.batch)
            },
            ev,
        )
    };
    let start_label = move || {
        if running() {
            tr("train.pause")
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
        Phase::Failed(e) => format!("{}: {e}", tr("train.failed")),
    };
    let chart_label = Signal::derive(move || tr("train.chart").to_string());
    view! {
        <section class="widget train-panel" aria-labelledby="train-heading">
            <h2 id="train-heading">{t("train.heading")}</h2>
            <div class="controls-grid">
                <label>
                    <span>{t("train.backend")}</span>
                    <select
                        class="train-backend"
                        prop:disabled=running
                        on:change=move |ev| panel.switch(event_target_value(&ev) == "webgpu")
                    >
                        <option value="webgpu" prop:selected=use_gpu prop:disabled=move || !gpu_ready()>{t("train.backend_gpu")}</option>
                        <option value="simd" prop:selected=move || !use_gpu()>{t("train.backend_cpu")}</option>
                    </select>
                </label>
                <label>
                    <span>{t("train.optimizer")}</span>
                    <select
                        class="train-optimizer"
                        prop:disabled=locked
                        on:change=move |ev| edit(|s, v| s.adam = v == "adam", ev)
                    >
                        <option value="sgd">"SGD"</option>
                        <option value="adam">"Adam"</option>
                    </select>
                </label>
                <label>
                    <span>{t("train.lr")}</span>
                    <input
                        class="train-lr"
                        type="number"
                        min="0.0001"
                        max="1"
                        step="0.001"
                        prop:value=move || panel.settings.get().lr.to_string()
                        prop:disabled=locked
                        on:change=set_lr
                    />
                </label>
                <label>
                    <span>{t("train.momentum")}</span>
                    <input
                        class="train-momentum"
                        type="number"
                        min="0"
                        max="0.99"
                        step="0.05"
                        prop:value=move || panel.settings.get().momentum.to_string()
                        prop:disabled=locked
                        on:change=set_momentum
                    />
                </label>
                <label>
                    <span>{t("train.batch")}</span>
                    <input
                        class="train-batch"
                        type="number"
                        min="1"
                        max="512"
                        step="1"
                        prop:value=move || panel.settings.get().batch.to_string()
                        prop:disabled=running
                        on:change=set_batch
                    />
                </label>
            </div>
            <div class="button-row">
                <button
                    class="train-start primary"
                    type="button"
                    on:click=move |_| if running() { panel.phase.set(Phase::Paused) } else { panel.start() }
                >
                    {start_label}
                </button>
                <button class="train-reset" type="button" prop:disabled=running on:click=move |_| panel.reset()>
                    {t("train.reset")}
                </button>
                <Show when=move || panel.on_backend.get() == "webgpu" && running()>
                    <button
                        class="train-lose-gpu"
                        type="button"
                        on:click=move |_| if let Some(ctx) = panel.gpu() { ctx.simulate_device_loss() }
                    >
                        {t("train.simulate_loss")}
                    </button>
                </Show>
            </div>
            <p class="hint">{t("train.hint")}</p>
            <p class="train-status" role="status" aria-live="polite">{status}</p>
            <dl class="train-figures">
                <div><dt>{t("train.on")}</dt><dd class="train-on" data-backend=move || panel.on_backend.get()>
                    {move || if panel.on_backend.get() == "webgpu" { tr("train.backend_gpu") } else { tr("train.backend_cpu") }}
                </dd></div>
                <div><dt>{t("train.step")}</dt><dd class="train-steps">{move || panel.steps.get()}</dd></div>
                <div><dt>{t("train.epoch")}</dt><dd class="train-epoch">{move || panel.epoch.get() + 1}</dd></div>
                <div><dt>{t("train.loss")}</dt><dd class="train-loss">{move || panel.loss.get().map_or("–".to_string(), |l| format!("{l:.4}"))}</dd></div>
                <div><dt>{t("train.speed")}</dt><dd class="train-rate">{move || panel.rate.get().map_or("–".to_string(), |r| format!("{r:.0}"))}</dd></div>
            </dl>
            <Show when=move || panel.lost.get()>
                <p class="backend-notice train-lost" role="alert">{t("train.lost")}</p>
            </Show>
            <LossChart history=panel.history label=chart_label/>
        </section>
    }
}
