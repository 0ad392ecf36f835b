//! One function per op: each validates nothing (callers pass shapes the layer rules checked),
//! builds the op's uniform `Params`, binds its buffers and returns a [`Dispatch`] that is encoded
//! later, so a whole training step can go into one compute pass and one submission.

use super::context::GpuContext;
use super::params::*;
use super::tensor::GpuTensor;
use crate::layers::{Conv2dParams, Pool2dParams};
use wgpu::util::DeviceExt;

/// Invocations per workgroup of the 1-D shaders (`@workgroup_size(64)`).
const WORKGROUP: usize = 64;
/// WebGPU's default limit on workgroups per dimension.
const MAX_GROUPS: usize = 65_535;

/// A bound shader invocation, ready to encode (as often as wanted).
pub struct Dispatch {
    /// The shader's name.
    pub name: &'static str,
    pipeline: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
    /// The uniform buffer holding `Params`, rewritable between steps.
    pub uniform: wgpu::Buffer,
    workgroups: (u32, u32, u32),
}

/// Workgroups for `count` independent items, 64 per group, folded into two dimensions when
/// there are more than 65,535 groups (the shaders rebuild the index from `num_workgroups`).
pub fn groups_1d(count: usize, per_group: usize) -> (u32, u32, u32) {
    let groups = count.div_ceil(per_group).max(1);
    let x = groups.min(MAX_GROUPS);
    (x as u32, groups.div_ceil(x) as u32, 1)
}

impl GpuContext {
    /// Binds `params` at binding 0 and `buffers` at 1, 2, … of shader `name`.
    pub fn dispatch(
        &self,
        name: &'static str,
        params: &impl bytemuck::Pod,
        buffers: &[&wgpu::Buffer],
        workgroups: (u32, u32, u32),
    ) -> Dispatch {
        let pipeline = self.pipeline(name);
        let uniform = self
            .device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(name),
                contents: bytemuck::bytes_of(params),
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            });
        let mut entries = vec![wgpu::BindGroupEntry {
            binding: 0,
            resource: uniform.as_entire_binding(),
        }];
        for (i, buffer) in buffers.iter().enumerate() {
            entries.push(wgpu::BindGroupEntry {
                binding: i as u32 + 1,
                resource: buffer.as_entire_binding(),
            });
        }
        let bind_group = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some(name),
            layout: &pipeline.get_bind_group_layout(0),
            entries: &entries,
        });
        Dispatch {
            name,
            pipeline,
            bind_group,
            uniform,
            workgroups,
        }
    }

    /// Encodes `dispatches` in order into one compute pass and submits once. Returns at once:
    /// the GPU runs them in order; reading a result back waits for them.
    pub fn run(&self, dispatches: &[&Dispatch]) {
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("ops") });
        encode(&mut encoder, dispatches);
        self.submit(encoder);
    }

    /// A 4-byte buffer to bind where a shader declares an optional input (no bias).
    pub fn placeholder(&self) -> GpuTensor {
        GpuTensor::zeros(self, &[1])
    }
}

/// Records `dispatches` into one compute pass of `encoder`.
pub fn encode(encoder: &mut wgpu::CommandEncoder, dispatches: &[&Dispatch]) {
    let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
        label: Some("ops"),
        timestamp_writes: None,
    });
    for d in dispatches {
        pass.set_pipeline(&d.pipeline);
        pass.set_bind_group(0, &d.bind_group, &[]);
        pass.dispatch_workgroups(d.workgroups.0, d.workgroups.1, d.workgroups.2);
    }
}

fn u(v: usize) -> u32 {
    v as u32
}

/// `ConvParams` for a convolution of `p` from input `xd` (NCHW) to output `yd`.
pub fn conv_params(p: &Conv2dParams, xd: [usize; 4], yd: [usize; 4], has_bias: bool) -> ConvParams {
    ConvParams {
        n: u(xd[0]),
        cin: u(xd[1]),
        h: u(xd[2]),
        w: u(xd[3]),
        cout: u(yd[1]),
        oh: u(yd[2]),
        ow: u(yd[3]),
        groups: u(p.groups),
        kh: u(p.kernel.0),
        kw: u(p.kernel.1),
        sh: u(p.stride.0),
        sw: u(p.stride.1),
        ph: u(p.padding.0),
        pw: u(p.padding.1),
        dh: u(p.dilation.0),
        dw: u(p.dilation.1),
        has_bias: u32::from(has_bias),
        _pad: [0; 3],
    }
}

/// `PoolParams` for pooling `p` from input `xd` to output `yd`.
pub fn pool_params(p: &Pool2dParams, xd: [usize; 4], yd: [usize; 4]) -> PoolParams {
    PoolParams {
        nc: u(xd[0] * xd[1]),
        h: u(xd[2]),
        w: u(xd[3]),
        oh: u(yd[2]),
        ow: u(yd[3]),
        kh: u(p.kernel.0),
        kw: u(p.kernel.1),
        sh: u(p.stride.0),
        sw: u(p.stride.1),
        ph: u(p.padding.0),
        pw: u(p.padding.1),
        _pad: 0,
    }
}

/// `y = conv2d(x, w) + b`.
pub fn conv2d_forward(
    ctx: &GpuContext,
    x: &GpuTensor,
    w: &GpuTensor,
    b: Option<&GpuTensor>,
    params: ConvParams,
    y: &GpuTensor,
) -> Dispatch {
    let placeholder = ctx.placeholder();
    let bias = b.unwrap_or(&placeholder);
    let groups = groups_1d(y.len(), WORKGROUP);
    ctx.dispatch(
        "conv2d_forward",
        &params,
        &[&x.buffer, &w.buffer, &bias.buffer, &y.buffer],
        groups,
    )
}

/// `dx = ∂L/∂x` (plus `bias` per input channel, for `conv_transpose2d`).
pub fn conv2d_backward_input(
    ctx: &GpuContext,
    dy: &GpuTensor,
    w: &GpuTensor,
    bias: Option<&GpuTensor>,
    params: ConvParams,
    dx: &GpuTensor,
) -> Dispatch {
    let placeholder = ctx.placeholder();
    let bias = bias.unwrap_or(&placeholder);
    let groups = groups_1d(dx.len(), WORKGROUP);
    ctx.dispatch(
        "conv2d_backward_input",
        &params,
        &[&dy.buffer, &w.buffer, &bias.buffer, &dx.buffer],
        groups,
    )
}

/// `dw = ∂L/∂weight`: one workgroup per weight value.
pub fn conv2d_backward_weight(
    ctx: &GpuContext,
    x: &GpuTensor,
    dy: &GpuTensor,
    params: ConvParams,
    dw: &GpuTensor,
) -> Dispatch {
    let groups = groups_1d(dw.len(), 1);
    ctx.dispatch(
        "conv2d_backward_weight",
        &params,
        &[&x.buffer, &dy.buffer, &dw.buffer],
        groups,
    )
}

/// `db[c] = Σ dy[b, c, plane]`: the conv bias gradient, or the linear one with `plane = 1`.
pub fn bias_grad(
    ctx: &GpuContext,
    dy: &GpuTensor,
    n: usize,
    c: usize,
    plane: usize,
    db: &GpuTensor,
) -> Dispatch {
    let params = PlaneParams {
        n: u(n),
        c: u(c),
        plane: u(plane),
        _pad: 0,
    };
    ctx.dispatch(
        "conv2d_backward_bias",
        &params,
        &[&dy.buffer, &db.buffer],
        (u(c), 1, 1),
    )
}

/// Max pooling with argmax.
pub fn max_pool2d_forward(
    ctx: &GpuContext,
    x: &GpuTensor,
    params: PoolParams,
    y: &GpuTensor,
    argmax: &GpuTensor,
) -> Dispatch {
    ctx.dispatch(
        "max_pool2d_forward",
        &params,
        &[&x.buffer, &y.buffer, &argmax.buffer],
        groups_1d(y.len(), WORKGROUP),
    )
}

/// Max pooling's input gradient.
pub fn max_pool2d_backward(
    ctx: &GpuContext,
    dy: &GpuTensor,
    argmax: &GpuTensor,
    params: PoolParams,
    dx: &GpuTensor,
) -> Dispatch {
    ctx.dispatch(
        "max_pool2d_backward",
        &params,
        &[&dy.buffer, &argmax.buffer, &dx.buffer],
        groups_1d(dx.len(), WORKGROUP),
    )
}

/// Average pooling.
pub fn avg_pool2d_forward(
    ctx: &GpuContext,
    x: &GpuTensor,
    params: PoolParams,
    y: &GpuTensor,
) -> Dispatch {
    ctx.dispatch(
        "avg_pool2d_forward",
        &params,
        &[&x.buffer, &y.buffer],
        groups_1d(y.len(), WORKGROUP),
    )
}

/// Average pooling's input gradient.
pub fn avg_pool2d_backward(
    ctx: &GpuContext,
    dy: &GpuTensor,
    params: PoolParams,
    dx: &GpuTensor,
) -> Dispatch {
    ctx.dispatch(
        "avg_pool2d_backward",
        &params,
        &[&dy.buffer, &dx.buffer],
        groups_1d(dx.len(), WORKGROUP),
    )
}

fn count(n: usize) -> CountParams {
    CountParams {
        count: u(n),
        _pad: [0; 3],
    }
}

/// `y = relu(x)`.
pub fn relu_forward(ctx: &GpuContext, x: &GpuTensor, y: &GpuTensor) -> Dispatch {
    ctx.dispatch(
        "relu_forward",
        &count(y.len()),
        &[&x.buffer, &y.buffer],
        groups_1d(y.len(), WORKGROUP),
    )
}

/// `dx = dy · [y > 0]`.
pub fn relu_backward(ctx: &GpuContext, dy: &GpuTensor, y: &GpuTensor, dx: &GpuTensor) -> Dispatch {
    ctx.dispatch(
        "relu_backward",
        &count(dx.len()),
        &[&dy.buffer, &y.buffer, &dx.buffer],
        groups_1d(dx.len(), WORKGROUP),
    )
}

/// `out = a + b`.
pub fn add(ctx: &GpuContext, a: &GpuTensor, b: &GpuTensor, out: &GpuTensor) -> Dispatch {
    ctx.dispatch(
        "add",
        &count(out.len()),
        &[&a.buffer, &b.buffer, &out.buffer],
        groups_1d(out.len(), WORKGROUP),
    )
}

/// Copies `channels` channels from `src` (starting at `src_c0`) to `dst` (at `dst_c0`); both
/// NCHW with `n` images of `plane` values per channel.
#[allow(clippy::too_many_arguments)]
pub fn channel_copy(
    ctx: &GpuContext,
    src: &GpuTensor,
    src_c0: usize,
    dst: &GpuTensor,
    dst_c0: usize,
    channels: usize,
    n: usize,
    plane: usize,
) -> Dispatch {
    let params = ChannelCopyParams {
        n: u(n),
        plane: u(plane),
        channels: u(channels),
        src_c: u(src.shape[1]),
        src_c0: u(src_c0),
        dst_c: u(dst.shape[1]),
        dst_c0: u(dst_c0),
        _pad: 0,
    };
    ctx.dispatch(
        "concat_channels",
        &params,
        &[&src.buffer, &dst.buffer],
        groups_1d(n * channels * plane, WORKGROUP),
    )
}

/// An operand of [`matmul`]: a tensor read as an `rows × cols` matrix through strides.
pub struct Operand<'a> {
    /// The values.
    pub tensor: &'a GpuTensor,
    /// Distance between rows.
    pub row_stride: usize,
    /// Distance between columns.
    pub col_stride: usize,
}

impl<'a> Operand<'a> {
    /// A row-major matrix with `cols` columns.
    pub fn row_major(tensor: &'a GpuTensor, cols: usize) -> Self {
        Self {
            tensor,
            row_stride: cols,
            col_stride: 1,
        }
    }

    /// The transpose of a row-major matrix with `cols` columns.
    pub fn transposed(tensor: &'a GpuTensor, cols: usize) -> Self {
        Self {
            tensor,
            row_stride: 1,
            col_stride: cols,
        }
    }
}

/// `C[m × n] = A · B (+ bias) (+ C)`.
#[allow(clippy::too_many_arguments)]
pub fn matmul(
    ctx: &GpuContext,
    (m, n, k): (usize, usize, usize),
    a: Operand,
    b: Operand,
    bias: Option<&GpuTensor>,
    c: &GpuTensor,
    accumulate: bool,
) -> Dispatch {
    let params = MatmulParams {
        m: u(m),
        n: u(n),
        k: u(k),
        has_bias: u32::from(bias.is_some()),
        a_rs: u(a.row_stride),
        a_cs: u(a.col_stride),
        b_rs: u(b.row_stride),
        b_cs: u(b.col_stride),
        accumulate: u32::from(accumulate),
        _pad: [0; 3],
    };
    let placeholder = ctx.placeholder();
    let bias = bias.unwrap_or(&placeholder);
    let groups = (u(n.div_ceil(16).max(1)), u(m.div_ceil(16).max(1)), 1);
    ctx.dispatch(
        "matmul",
        &params,
        &[&a.tensor.buffer, &b.tensor.buffer, &bias.buffer, &c.buffer],
        groups,
    )
}

/// Log-softmax, mean cross-entropy, its gradient and the correct count (`stats = [loss, correct]`).
pub fn softmax_cross_entropy(
    ctx: &GpuContext,
    logits: &GpuTensor,
    targets: &GpuTensor,
    log_probs: &GpuTensor,
    dlogits: &GpuTensor,
    stats: &GpuTensor,
) -> Dispatch {
    let params = RowsParams {
        n: u(logits.shape[0]),
        k: u(logits.shape[1]),
        _pad: [0; 2],
    };
    let buffers = [
        &logits.buffer,
        &targets.buffer,
        &log_probs.buffer,
        &dlogits.buffer,
        &stats.buffer,
    ];
    ctx.dispatch("softmax_cross_entropy", &params, &buffers, (1, 1, 1))
}

/// One SGD update of `param` from `grad`, with momentum buffer `buf`.
pub fn sgd(
    ctx: &GpuContext,
    param: &GpuTensor,
    grad: &GpuTensor,
    buf: &GpuTensor,
    params: SgdParams,
) -> Dispatch {
    ctx.dispatch(
        "sgd",
        &params,
        &[&param.buffer, &grad.buffer, &buf.buffer],
        groups_1d(param.len(), WORKGROUP),
    )
}

/// One Adam update of `param` from `grad`, with moment buffers `m` and `v`.
pub fn adam(
    ctx: &GpuContext,
    param: &GpuTensor,
    grad: &GpuTensor,
    m: &GpuTensor,
    v: &GpuTensor,
    params: AdamParams,
) -> Dispatch {
    ctx.dispatch(
        "adam",
        &params,
        &[&param.buffer, &grad.buffer, &m.buffer, &v.buffer],
        groups_1d(param.len(), WORKGROUP),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_fold_into_two_dimensions() {
        assert_eq!(groups_1d(0, 64), (1, 1, 1));
        assert_eq!(groups_1d(130, 64), (3, 1, 1));
        let (x, y, _) = groups_1d(64 * 70_000, 64);
        assert_eq!(x, 65_535);
        assert!(x as usize * y as usize >= 70_000);
    }
}
