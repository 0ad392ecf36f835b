//! Which compute backend the app uses. At start-up the app looks for WebGPU (the API, a secure
//! context, an adapter, a device), asynchronously; until then and whenever that fails it
//! computes with the WASM SIMD CPU backend, and the footer says which and why.

use crate::backend::gpu::{AdapterSummary, GpuContext, GpuError};
use crate::train::session::TrainBackend;
use crate::ui::platform;
use leptos::prelude::*;
use std::rc::Rc;

/// Why WebGPU is not in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoGpuReason {
    /// `navigator.gpu` is missing.
    Missing,
    /// The page is not a secure context.
    Insecure,
    /// `requestAdapter` found nothing.
    NoAdapter,
    /// `requestDevice` failed.
    Device,
    /// The device was lost while in use.
    Lost,
}

impl NoGpuReason {
    /// The translation key of the reason.
    pub fn key(self) -> &'static str {
        match self {
            NoGpuReason::Missing => "backend.reason.missing",
            NoGpuReason::Insecure => "backend.reason.insecure",
            NoGpuReason::NoAdapter => "backend.reason.no_adapter",
            NoGpuReason::Device => "backend.reason.device",
            NoGpuReason::Lost => "backend.reason.lost",
        }
    }
}

/// The translation key of a training backend's label ("WebGPU (GPU)", "WASM SIMD (CPU)").
pub fn train_backend_key(backend: TrainBackend) -> &'static str {
    match backend {
        TrainBackend::WebGpu => "train.backend_gpu",
        TrainBackend::Simd => "train.backend_cpu",
    }
}

/// The backend in use.
#[derive(Clone, Debug, PartialEq)]
pub enum BackendStatus {
    /// Still looking for WebGPU (the CPU serves meanwhile).
    Detecting,
    /// WebGPU, on this adapter.
    WebGpu(AdapterSummary),
    /// WASM SIMD on the CPU, for this reason.
    Simd(NoGpuReason),
}

/// The backend status and, once found, the GPU context, as context.
#[derive(Clone, Copy)]
pub struct BackendState {
    /// What the footer shows.
    pub status: RwSignal<BackendStatus>,
    /// The device, when WebGPU is in use (not `Send`: stored locally).
    pub gpu: StoredValue<Option<Rc<GpuContext>>, LocalStorage>,
}

/// Provides the state and starts looking for WebGPU.
pub fn provide() -> BackendState {
    let state = BackendState {
        status: RwSignal::new(BackendStatus::Detecting),
        gpu: StoredValue::new_local(None),
    };
    provide_context(state);
    if !platform::has_webgpu() {
        state.status.set(BackendStatus::Simd(NoGpuReason::Missing));
    } else if !platform::is_secure_context() {
        state.status.set(BackendStatus::Simd(NoGpuReason::Insecure));
    } else {
        wasm_bindgen_futures::spawn_local(async move {
            match GpuContext::new().await {
                Ok(ctx) => {
                    let mut adapter = ctx.adapter.clone();
                    if let Some((description, fallback)) = platform::webgpu_adapter_info().await {
                        if !description.is_empty() {
                            adapter.name = description;
                        }
                        adapter.is_software |= fallback;
                    }
                    state.status.set(BackendStatus::WebGpu(adapter));
                    state.gpu.set_value(Some(Rc::new(ctx)));
                }
                Err(e) => {
                    web_sys::console::info_1(&format!("convscope: using the CPU ({e})").into());
                    let reason = match e {
                        GpuError::Device(_) => NoGpuReason::Device,
                        _ => NoGpuReason::NoAdapter,
                    };
                    state.status.set(BackendStatus::Simd(reason));
                }
            }
        });
    }
    state
}
