//! The GPU context: adapter, device, queue and a pipeline cache, natively (Vulkan, GL) and in
//! the browser (WebGPU). Creation is async; nothing here blocks on wasm.

use super::shaders;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use thiserror::Error;

/// Why the GPU backend could not start or run.
#[derive(Debug, Error)]
pub enum GpuError {
    /// No adapter (no WebGPU in this browser, or no driver natively).
    #[error("no GPU adapter: {0}")]
    NoAdapter(String),
    /// The adapter refused a device.
    #[error("the GPU refused a device: {0}")]
    Device(String),
    /// Reading a buffer back failed (often: the device was lost).
    #[error("reading GPU memory failed: {0}")]
    Readback(String),
    /// The device was lost (driver reset, GPU removed, tab in the background too long…).
    #[error("the GPU device was lost: {0}")]
    DeviceLost(String),
    /// A shape problem, found before anything was dispatched.
    #[error(transparent)]
    Shape(#[from] crate::error::ShapeError),
}

/// What the UI shows about the adapter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdapterSummary {
    /// The adapter's name ("llvmpipe (LLVM 15.0.6, 256 bits)", "SwiftShader Device", …).
    pub name: String,
    /// The API underneath ("Vulkan", "BrowserWebGpu", …).
    pub backend: String,
    /// A CPU implementation (lavapipe, SwiftShader): correct but slow, and the UI says so.
    pub is_software: bool,
}

/// Adapter, device, queue, and compiled pipelines by shader name.
pub struct GpuContext {
    /// The device.
    pub device: wgpu::Device,
    /// Its queue.
    pub queue: wgpu::Queue,
    /// About the adapter.
    pub adapter: AdapterSummary,
    pipelines: RefCell<HashMap<&'static str, wgpu::ComputePipeline>>,
    /// Why the device was lost, once it is (set by wgpu's callback or by
    /// [`GpuContext::simulate_device_loss`]).
    lost: Arc<Mutex<Option<String>>>,
}

impl GpuContext {
    /// Finds an adapter and opens a device with WebGPU's default limits (so the same shaders
    /// run in every browser).
    pub async fn new() -> Result<Self, GpuError> {
        let instance =
            wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::NoAdapter(e.to_string()))?;
        let info = adapter.get_info();
        let name_says_software = ["swiftshader", "llvmpipe", "lavapipe", "software"]
            .iter()
            .any(|s| {
                info.name.to_lowercase().contains(s) || info.driver.to_lowercase().contains(s)
            });
        let summary = AdapterSummary {
            name: if info.name.is_empty() {
                format!("{:?}", info.backend)
            } else {
                info.name.clone()
            },
            backend: format!("{:?}", info.backend),
            is_software: info.device_type == wgpu::DeviceType::Cpu || name_says_software,
        };
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("convscope"),
                required_limits: wgpu::Limits::default(),
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::Device(e.to_string()))?;
        let lost = Arc::new(Mutex::new(None));
        let flag = Arc::clone(&lost);
        device.set_device_lost_callback(move |reason, message| {
            if let Ok(mut lost) = flag.lock() {
                *lost = Some(format!("{reason:?}: {message}"));
            }
        });
        Ok(Self {
            device,
            queue,
            adapter: summary,
            pipelines: RefCell::new(HashMap::new()),
            lost,
        })
    }

    /// `Err(DeviceLost)` once the device is gone.
    pub fn check_alive(&self) -> Result<(), GpuError> {
        match self.lost.lock().map(|l| l.clone()) {
            Ok(None) => Ok(()),
            Ok(Some(why)) => Err(GpuError::DeviceLost(why)),
            Err(_) => Err(GpuError::DeviceLost("state poisoned".into())),
        }
    }

    /// Marks the device lost, as a driver reset would (for tests and the UI's "simulate").
    pub fn simulate_device_loss(&self) {
        if let Ok(mut lost) = self.lost.lock() {
            *lost = Some("simulated".into());
        }
    }

    /// The compute pipeline of shader `name` (entry point `main`), compiled on first use.
    ///
    /// Panics if `name` is not in [`shaders::SHADERS`]: a programming error, caught by tests.
    pub fn pipeline(&self, name: &'static str) -> wgpu::ComputePipeline {
        if let Some(p) = self.pipelines.borrow().get(name) {
            return p.clone();
        }
        let source = shaders::source(name).unwrap_or_else(|| panic!("no shader named {name}"));
        let module = self
            .device
            .create_shader_module(wgpu::ShaderModuleDescriptor {
                label: Some(name),
                source: wgpu::ShaderSource::Wgsl(source.into()),
            });
        let pipeline = self
            .device
            .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(name),
                layout: None,
                module: &module,
                entry_point: Some("main"),
                compilation_options: Default::default(),
                cache: None,
            });
        self.pipelines.borrow_mut().insert(name, pipeline.clone());
        pipeline
    }
}
