//! The GPU context: adapter, device, queue and a pipeline cache, natively (Vulkan, GL) and in
//! the browser (WebGPU). Creation is async; nothing here blocks on wasm.
//!
//! GPU errors become [`GpuError`]s, never silence and never a CPU result:
//! - Work that can fail on the device (buffers, bind groups, submissions) runs inside an
//!   [`ErrorScope`] ([`GpuContext::error_scope`]): wgpu's error scopes for out-of-memory,
//!   validation and internal errors, popped at once and awaited where the caller is async
//!   anyway (a readback; natively they are ready at once). Its error is what the op returns.
//! - An error outside any scope reaches the device's uncaptured-error handler, which records it;
//!   from then on [`GpuContext::check_alive`] returns it, as it does after a device loss.
//! - Every submission goes through [`GpuContext::submit`], which counts them
//!   ([`GpuContext::submissions`]; readbacks: [`GpuContext::readbacks`]).

use super::shaders;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use thiserror::Error;

/// Why the GPU backend could not start or run.
#[derive(Clone, Debug, Error)]
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
    /// The GPU rejected a command (a WebGPU validation error: a buffer or binding over the
    /// device's limits, a programming error).
    #[error("the GPU rejected a command: {0}")]
    Validation(String),
    /// The GPU ran out of memory.
    #[error("the GPU ran out of memory: {0}")]
    OutOfMemory(String),
    /// The GPU's implementation failed (an internal error).
    #[error("the GPU failed internally: {0}")]
    Internal(String),
    /// A shape problem, found before anything was dispatched.
    #[error(transparent)]
    Shape(#[from] crate::error::ShapeError),
}

impl GpuError {
    /// The error's kind and details as two strings, to cross a worker's message channel.
    pub fn to_tag(&self) -> (&'static str, String) {
        match self {
            GpuError::NoAdapter(d) => ("no_adapter", d.clone()),
            GpuError::Device(d) => ("device", d.clone()),
            GpuError::Readback(d) => ("readback", d.clone()),
            GpuError::DeviceLost(d) => ("lost", d.clone()),
            GpuError::Validation(d) => ("validation", d.clone()),
            GpuError::OutOfMemory(d) => ("out_of_memory", d.clone()),
            GpuError::Internal(d) => ("internal", d.clone()),
            GpuError::Shape(e) => ("internal", e.to_string()),
        }
    }

    /// The error [`GpuError::to_tag`] described (a shape error comes back as internal, with
    /// its text).
    pub fn from_tag(tag: &str, detail: String) -> Self {
        match tag {
            "no_adapter" => GpuError::NoAdapter(detail),
            "device" => GpuError::Device(detail),
            "readback" => GpuError::Readback(detail),
            "lost" => GpuError::DeviceLost(detail),
            "validation" => GpuError::Validation(detail),
            "out_of_memory" => GpuError::OutOfMemory(detail),
            _ => GpuError::Internal(detail),
        }
    }
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
    /// Its queue (submit through [`GpuContext::submit`], which counts).
    queue: wgpu::Queue,
    /// About the adapter.
    pub adapter: AdapterSummary,
    pipelines: RefCell<HashMap<&'static str, wgpu::ComputePipeline>>,
    /// Why the device can no longer be used, once it cannot: lost (set by wgpu's callback or by
    /// [`GpuContext::simulate_device_loss`]) or an error no scope caught.
    lost: Arc<Mutex<Option<GpuError>>>,
    queue_submissions: Cell<u64>,
    readbacks: Cell<u64>,
}

impl From<wgpu::Error> for GpuError {
    fn from(e: wgpu::Error) -> Self {
        match e {
            wgpu::Error::OutOfMemory { source } => GpuError::OutOfMemory(source.to_string()),
            wgpu::Error::Validation { description, .. } => GpuError::Validation(description),
            wgpu::Error::Internal { description, .. } => GpuError::Internal(description),
        }
    }
}

/// The result of an ended [`ErrorScope`], to await (natively it is ready at once).
pub type ScopeResult = Pin<Box<dyn Future<Output = Result<(), GpuError>>>>;

/// wgpu error scopes for out-of-memory, validation and internal errors, pushed together; see
/// the module docs. End it with [`ErrorScope::end`] (dropping it drops what it caught).
#[must_use = "end the scope to learn its errors"]
pub struct ErrorScope {
    /// In push order; popped in reverse.
    guards: Vec<wgpu::ErrorScopeGuard>,
}

impl ErrorScope {
    /// Pops the scopes now and returns their first error, to await (work after this call is
    /// outside the scope even before the future is awaited).
    pub fn end(mut self) -> ScopeResult {
        let mut pops = Vec::new();
        while let Some(guard) = self.guards.pop() {
            pops.push(guard.pop());
        }
        Box::pin(async move {
            let mut first = None;
            for pop in pops {
                if let Some(e) = pop.await {
                    first.get_or_insert(GpuError::from(e));
                }
            }
            first.map_or(Ok(()), Err)
        })
    }
}

impl GpuContext {
    /// Finds an adapter and opens a device with WebGPU's default limits (so the same shaders
    /// run in every browser).
    pub async fn new() -> Result<Self, GpuError> {
        Self::with_limits(wgpu::Limits::default()).await
    }

    /// Like [`GpuContext::new`], with the device's `limits` (tests ask for small ones to make a
    /// real validation error, as a buffer over the limit of a smaller GPU would).
    pub async fn with_limits(limits: wgpu::Limits) -> Result<Self, GpuError> {
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
                required_limits: limits,
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::Device(e.to_string()))?;
        let lost = Arc::new(Mutex::new(None));
        let flag = Arc::clone(&lost);
        device.set_device_lost_callback(move |reason, message| {
            if let Ok(mut lost) = flag.lock() {
                lost.get_or_insert(GpuError::DeviceLost(format!("{reason:?}: {message}")));
            }
        });
        // An error no scope caught (natively wgpu would panic; in a browser it would only be
        // logged): the device's results can no longer be trusted.
        let flag = Arc::clone(&lost);
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
            if let Ok(mut lost) = flag.lock() {
                lost.get_or_insert(GpuError::from(e));
            }
        }));
        Ok(Self {
            device,
            queue,
            adapter: summary,
            pipelines: RefCell::new(HashMap::new()),
            lost,
            queue_submissions: Cell::new(0),
            readbacks: Cell::new(0),
        })
    }

    /// `Err` once the device is gone ([`GpuError::DeviceLost`]) or made an error no scope
    /// caught (that error).
    pub fn check_alive(&self) -> Result<(), GpuError> {
        match self.lost.lock().map(|l| l.clone()) {
            Ok(None) => Ok(()),
            Ok(Some(e)) => Err(e),
            Err(_) => Err(GpuError::DeviceLost("state poisoned".into())),
        }
    }

    /// Marks the device unusable with `e` (kept if it already is): after an error its
    /// results cannot be trusted, so every later [`GpuContext::check_alive`] fails.
    pub fn fail(&self, e: GpuError) {
        if let Ok(mut lost) = self.lost.lock() {
            lost.get_or_insert(e);
        }
    }

    /// Marks the device lost, as a driver reset would (for tests and the UI's "simulate").
    pub fn simulate_device_loss(&self) {
        self.fail(GpuError::DeviceLost("simulated".into()));
    }

    /// Pushes error scopes for out-of-memory, validation and internal errors (see the module
    /// docs).
    pub fn error_scope(&self) -> ErrorScope {
        ErrorScope {
            guards: [
                wgpu::ErrorFilter::OutOfMemory,
                wgpu::ErrorFilter::Validation,
                wgpu::ErrorFilter::Internal,
            ]
            .into_iter()
            .map(|f| self.device.push_error_scope(f))
            .collect(),
        }
    }

    /// Submits `encoder`'s commands: every queue submission goes through here and is counted.
    pub fn submit(&self, encoder: wgpu::CommandEncoder) {
        self.queue.submit([encoder.finish()]);
        self.queue_submissions.set(self.queue_submissions.get() + 1);
    }

    /// Queue submissions made on this device so far.
    pub fn submissions(&self) -> u64 {
        self.queue_submissions.get()
    }

    /// Readbacks (buffers mapped and read) made on this device so far.
    pub fn readbacks(&self) -> u64 {
        self.readbacks.get()
    }

    pub(crate) fn count_readback(&self) {
        self.readbacks.set(self.readbacks.get() + 1);
    }

    /// Writes `bytes` into `buffer` at `offset` through the queue (sent with the next submission).
    pub fn write_buffer(&self, buffer: &wgpu::Buffer, offset: u64, bytes: &[u8]) {
        self.queue.write_buffer(buffer, offset, bytes);
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

#[cfg(test)]
mod tests {
    use super::GpuError;

    #[test]
    fn a_gpu_error_crosses_a_message_channel_as_a_tag() {
        for e in [
            GpuError::NoAdapter("a".into()),
            GpuError::Device("b".into()),
            GpuError::Readback("c".into()),
            GpuError::DeviceLost("simulated".into()),
            GpuError::Validation("d".into()),
            GpuError::OutOfMemory("e".into()),
            GpuError::Internal("f".into()),
        ] {
            let (tag, detail) = e.to_tag();
            assert_eq!(GpuError::from_tag(tag, detail).to_string(), e.to_string());
        }
    }
}
