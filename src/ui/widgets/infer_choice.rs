//! Which backend answers the lab, and why (issue 14, item 4): the lab's inference worker times
//! WASM SIMD and WebGPU on the pad's single digit and, at the first evaluation, on an
//! evaluation chunk ([`crate::models::infer_choice`]); this line says which backend answers a workload, with
//! both timings and how many times faster, as the core measured them, or why WebGPU is not in
//! use. The pad's line also holds the learner's override (the faster one, or either backend).

use crate::models::infer_choice::{InferChoice, InferGpu, InferPreference, InferTiming};
use crate::ui::state::infer::Infer;
use crate::ui::state::lang::use_tr;
use leptos::prelude::*;

/// The lab's two workloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// The drawing pad's one digit.
    Pad,
    /// The 10,000-image evaluation, in chunks.
    Eval,
}

impl Workload {
    fn name(self) -> &'static str {
        match self {
            Workload::Pad => "pad",
            Workload::Eval => "eval",
        }
    }

    /// The workload's timing, once measured (the evaluation's at the first evaluation).
    fn timing(self, c: &InferChoice) -> Option<InferTiming> {
        match self {
            Workload::Pad => Some(c.pad),
            Workload::Eval => c.eval,
        }
    }
}

/// Milliseconds as the note shows them (two decimals under 10 ms).
fn ms(v: f64) -> String {
    if v < 10.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.1}")
    }
}

/// "WebGPU answers: …" for `workload`, once the worker has timed the backends.
#[component]
pub fn InferChoiceNote(workload: Workload) -> impl IntoView {
    let tr = use_tr();
    let infer = Infer::get();
    // Computed once per change of the choice, the preference or the language, and read by the
    // summary, the data attributes and the body.
    let line = Memo::new(move |_| {
        let c = infer.choice.get()?;
        let t = workload.timing(&c)?;
        let preference = infer.preference.get();
        let on_gpu = c.use_gpu(t.images, preference);
        let backend = tr(if on_gpu {
            "train.backend_gpu"
        } else {
            "train.backend_cpu"
        });
        let work = if t.images == 1 {
            tr("infer.one_digit").to_string()
        } else {
            tr("infer.digits").replace("{n}", &t.images.to_string())
        };
        let text = match (&c.gpu, t.gpu_ms, t.speedup()) {
            (InferGpu::Ready(_), Some(gpu), None) if t.probed() => tr("infer.timed_probe")
                .replace("{work}", &work)
                .replace("{simd}", &ms(t.simd_ms))
                .replace("{part}", &t.gpu_images.unwrap_or(0).to_string())
                .replace("{gpu}", &ms(gpu)),
            (InferGpu::Ready(_), Some(gpu), Some(x)) => tr("infer.timed")
                .replace("{work}", &work)
                .replace("{simd}", &ms(t.simd_ms))
                .replace("{gpu}", &ms(gpu))
                .replace("{x}", &format!("{x:.1}"))
                .replace(
                    "{fast}",
                    tr(if t.gpu_faster() {
                        "train.backend_gpu"
                    } else {
                        "train.backend_cpu"
                    }),
                ),
            (InferGpu::Failed(why), ..) => tr("infer.gpu_failed")
                .replace("{work}", &work)
                .replace("{simd}", &ms(t.simd_ms))
                .replace("{reason}", why),
            (InferGpu::Unavailable(why), ..) => tr("infer.no_gpu")
                .replace("{work}", &work)
                .replace("{simd}", &ms(t.simd_ms))
                .replace("{reason}", why),
            _ => tr("infer.simd_only")
                .replace("{work}", &work)
                .replace("{simd}", &ms(t.simd_ms)),
        };
        // "As you chose" only where the learner's pick is what answers (not a GPU that failed).
        let as_chosen = match preference {
            InferPreference::Faster => false,
            InferPreference::Simd => !on_gpu,
            InferPreference::WebGpu => on_gpu,
        };
        let chosen = if as_chosen {
            "infer.answers_chosen"
        } else {
            "infer.answers"
        };
        let text = tr(chosen)
            .replace("{backend}", backend)
            .replace("{detail}", &text);
        Some((text, on_gpu, t))
    });
    let gpu_ready = move || {
        infer
            .choice
            .with(|c| matches!(c, Some(c) if matches!(c.gpu, InferGpu::Ready(_))))
    };
    let pick = move |ev: web_sys::Event| {
        let preference = match event_target_value(&ev).as_str() {
            "simd" => InferPreference::Simd,
            "webgpu" => InferPreference::WebGpu,
            _ => InferPreference::Faster,
        };
        infer.prefer(preference);
    };
    let option = move |value: &'static str, key: &'static str, p: InferPreference| {
        view! {
            <option value=value prop:selected=move || infer.preference.get() == p>{move || tr(key)}</option>
        }
    };
    // The bars, the sentence and (on the pad) the learner's pick.
    let body = move |text: String, on_gpu: bool, t: InferTiming| {
        view! {
            {t.gpu_ms.filter(|_| !t.probed()).map(|gpu| bars(t.simd_ms, gpu, on_gpu))}
            <p class="hint" role="status">{text}</p>
            <Show when=move || workload == Workload::Pad && gpu_ready()>
                <label class="infer-prefer-row">
                    <span>{move || tr("infer.prefer")}</span>
                    <select class="infer-prefer" on:change=pick>
                        {option("faster", "infer.prefer_faster", InferPreference::Faster)}
                        {option("simd", "train.backend_cpu", InferPreference::Simd)}
                        {option("webgpu", "train.backend_gpu", InferPreference::WebGpu)}
                    </select>
                </label>
            </Show>
        }
    };
    let backend = move || match line.get() {
        Some((_, true, _)) => "webgpu",
        _ => "simd",
    };
    let simd = move || line.get().map(|(_, _, t)| format!("{:.3}", t.simd_ms));
    let gpu = move || {
        line.get()
            .and_then(|(_, _, t)| t.gpu_ms.map(|g| format!("{g:.3}")))
    };
    if workload == Workload::Pad {
        // Always there, one line high until opened: the timing arrives after the page is laid
        // out, and must not push what is below it down.
        let summary = move || {
            let name = if backend() == "webgpu" {
                "train.backend_gpu"
            } else {
                "train.backend_cpu"
            };
            tr("infer.summary").replace("{backend}", tr(name))
        };
        view! {
            <details class="infer-choice" data-workload=workload.name() data-backend=backend
                data-simd=simd data-gpu=gpu>
                <summary>{summary}</summary>
                {move || match line.get() {
                    Some((text, on_gpu, t)) => body(text, on_gpu, t).into_any(),
                    None => view! { <p class="hint">{tr("infer.untimed")}</p> }.into_any(),
                }}
            </details>
        }
        .into_any()
    } else {
        view! {
            {move || line.get().map(|(text, on_gpu, t)| view! {
                <div class="infer-choice" data-workload=workload.name() data-backend=backend
                    data-simd=simd data-gpu=gpu>
                    {body(text, on_gpu, t)}
                </div>
            })}
        }
        .into_any()
    }
}

/// The two timings as bars on one scale (the longer fills the row), the answering backend's
/// in the accent colour: the picture before the sentence. Hidden from screen readers, which
/// read the sentence.
fn bars(simd_ms: f64, gpu_ms: f64, on_gpu: bool) -> impl IntoView {
    let longest = simd_ms.max(gpu_ms).max(1e-9);
    let row = move |name: &'static str, v: f64, chosen: bool| {
        let width = format!("width: {:.1}%", (100.0 * v / longest).max(0.5));
        view! {
            <span class="infer-bar-name">{name}</span>
            <span class="infer-bar-track"><span class="infer-bar" class:chosen=chosen style=width></span></span>
            <span class="infer-bar-ms">{format!("{} ms", ms(v))}</span>
        }
    };
    view! {
        <div class="infer-bars" aria-hidden="true">
            {row("WASM SIMD", simd_ms, !on_gpu)}
            {row("WebGPU", gpu_ms, on_gpu)}
        </div>
    }
}
