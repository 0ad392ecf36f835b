//! Tensors in GPU memory: upload, allocate, and read back (asynchronously: `map_async` and an
//! awaited channel; natively the device is polled to completion, in the browser never).

use super::context::{GpuContext, GpuError};
use crate::tensor::Tensor;
use wgpu::util::DeviceExt;

/// A storage buffer holding `f32` (or `u32`) values with a shape.
pub struct GpuTensor {
    /// The buffer (storage, copy source and destination).
    pub buffer: wgpu::Buffer,
    /// The shape.
    pub shape: Vec<usize>,
}

const USAGE: wgpu::BufferUsages = wgpu::BufferUsages::STORAGE
    .union(wgpu::BufferUsages::COPY_SRC)
    .union(wgpu::BufferUsages::COPY_DST);

/// Bytes for `len` values; never 0 (wgpu rejects empty bindings).
fn bytes_for(len: usize) -> u64 {
    (len.max(1) * 4) as u64
}

impl GpuTensor {
    /// Uploads a CPU tensor.
    pub fn upload(ctx: &GpuContext, t: &Tensor) -> Self {
        Self::from_words(ctx, t.shape(), bytemuck::cast_slice(t.data()))
    }

    /// Uploads `u32` values (indices, labels).
    pub fn upload_u32(ctx: &GpuContext, shape: &[usize], values: &[u32]) -> Self {
        Self::from_words(ctx, shape, bytemuck::cast_slice(values))
    }

    fn from_words(ctx: &GpuContext, shape: &[usize], bytes: &[u8]) -> Self {
        let contents = if bytes.is_empty() {
            &[0u8; 4][..]
        } else {
            bytes
        };
        let buffer = ctx
            .device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: None,
                contents,
                usage: USAGE,
            });
        Self {
            buffer,
            shape: shape.to_vec(),
        }
    }

    /// A zero-filled tensor of `shape`.
    pub fn zeros(ctx: &GpuContext, shape: &[usize]) -> Self {
        let buffer = ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: None,
            size: bytes_for(shape.iter().product()),
            usage: USAGE,
            mapped_at_creation: false,
        });
        Self {
            buffer,
            shape: shape.to_vec(),
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Overwrites the values (same length) through the queue.
    pub fn write(&self, ctx: &GpuContext, values: &[f32]) {
        ctx.write_buffer(&self.buffer, 0, bytemuck::cast_slice(values));
    }

    /// Reads the values back as a CPU tensor.
    pub async fn read(&self, ctx: &GpuContext) -> Result<Tensor, GpuError> {
        let words = read_words(ctx, &self.buffer, self.len()).await?;
        Ok(Tensor::new(
            &self.shape,
            bytemuck::cast_slice(&words).to_vec(),
        )?)
    }

    /// Reads the values back as `u32`.
    pub async fn read_u32(&self, ctx: &GpuContext) -> Result<Vec<u32>, GpuError> {
        read_words(ctx, &self.buffer, self.len()).await
    }
}

/// Copies the first `len` 4-byte words of `buffer` into a mappable buffer and reads them; an
/// error of the device while doing so (or one it had already recorded) is the result. The
/// error scope covers the copy, the submission and the mapping request, and is popped before
/// anything is awaited (so other tasks' scopes never interleave with it).
pub async fn read_words(
    ctx: &GpuContext,
    buffer: &wgpu::Buffer,
    len: usize,
) -> Result<Vec<u32>, GpuError> {
    ctx.check_alive()?;
    let size = bytes_for(len);
    let scope = ctx.error_scope();
    let staging = ctx.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("readback"),
        size,
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let mut encoder = ctx
        .device
        .create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("readback"),
        });
    encoder.copy_buffer_to_buffer(buffer, 0, &staging, 0, size);
    ctx.submit(encoder);
    let (tx, rx) = futures_channel::oneshot::channel();
    staging
        .slice(..)
        .map_async(wgpu::MapMode::Read, move |result| {
            let _ = tx.send(result);
        });
    let errors = scope.end();
    ctx.count_readback();
    #[cfg(not(target_arch = "wasm32"))]
    ctx.device
        .poll(wgpu::PollType::wait_indefinitely())
        .map_err(|e| GpuError::Readback(e.to_string()))?;
    let mapped = rx.await;
    // The device's own error says more than a failed mapping.
    errors.await?;
    mapped
        .map_err(|_| GpuError::Readback("the mapping was cancelled".into()))?
        .map_err(|e| GpuError::Readback(e.to_string()))?;
    let words = {
        let view = staging
            .slice(..)
            .get_mapped_range()
            .map_err(|e| GpuError::Readback(e.to_string()))?;
        bytemuck::cast_slice::<u8, u32>(&view)[..len].to_vec()
    };
    staging.unmap();
    Ok(words)
}
