//! The GPU backend behind the synchronous [`Backend`] trait, natively: each op uploads its
//! inputs, dispatches its shader, and waits for the result (the device is polled to completion).
//! This is how every shader is tested against the CPU reference on lavapipe. Each op runs in an
//! error scope: a GPU error (validation, out of memory, a lost device) is the op's `Err`; no
//! op answers with a CPU result in its place. In the browser,
//! where nothing may block, the GPU is driven asynchronously instead
//! ([`crate::train::gpu::GpuTrainer`], [`super::GpuTensor::read`]).

use super::context::{GpuContext, GpuError};
use super::ops::{self, Operand, conv_params, pool_params};
use super::tensor::GpuTensor;
use crate::backend::Backend;
use crate::backend::cpu::reference;
use crate::error::{Result, ShapeError};
use crate::layers::{Conv2dParams, ConvTranspose2dParams, Pool2dParams};
use crate::tensor::{Tensor, expect_shape};

/// The GPU backend (native, blocking).
pub struct GpuBackend {
    /// The device and its pipelines.
    pub ctx: GpuContext,
}

impl GpuBackend {
    /// Opens the first suitable adapter, blocking until it is ready.
    pub fn new_blocking() -> Result<Self, GpuError> {
        Ok(Self {
            ctx: pollster::block_on(GpuContext::new())?,
        })
    }

    fn up(&self, t: &Tensor) -> GpuTensor {
        GpuTensor::upload(&self.ctx, t)
    }

    fn out(&self, shape: &[usize]) -> GpuTensor {
        GpuTensor::zeros(&self.ctx, shape)
    }

    /// Runs `op` inside an error scope (see [`GpuContext::error_scope`]): a GPU error during the op, or
    /// one the device had already recorded, is the op's result (never a CPU result instead).
    fn scoped<T>(&self, op: impl FnOnce() -> Result<T>) -> Result<T> {
        self.ctx.check_alive().map_err(device)?;
        let scope = self.ctx.error_scope();
        let result = op();
        pollster::block_on(scope.end()).map_err(device)?;
        result
    }

    fn run_and_read(&self, dispatch: ops::Dispatch, out: &GpuTensor) -> Result<Tensor> {
        self.scoped(|| {
            self.ctx.run(&[&dispatch]);
            pollster::block_on(out.read(&self.ctx)).map_err(device)
        })
    }
}

fn device(e: GpuError) -> ShapeError {
    match e {
        GpuError::Shape(s) => s,
        other => ShapeError::Device(other.to_string()),
    }
}

impl Backend for GpuBackend {
    fn name(&self) -> &'static str {
        "webgpu"
    }

    fn conv2d_forward(
        &self,
        x: &Tensor,
        weight: &Tensor,
        bias: Option<&Tensor>,
        p: &Conv2dParams,
    ) -> Result<Tensor> {
        self.scoped(|| {
            let xd = x.dims4("conv2d input")?;
            let yd = p.output_shape(xd)?;
            expect_shape(weight, &p.weight_shape(), "conv2d weight")?;
            if let Some(b) = bias {
                expect_shape(b, &[p.out_channels], "conv2d bias")?;
            }
            let (gx, gw, gb, y) = (
                self.up(x),
                self.up(weight),
                bias.map(|b| self.up(b)),
                self.out(&yd),
            );
            let d = ops::conv2d_forward(
                &self.ctx,
                &gx,
                &gw,
                gb.as_ref(),
                conv_params(p, xd, yd, bias.is_some()),
                &y,
            );
            self.run_and_read(d, &y)
        })
    }

    fn conv2d_backward_input(
        &self,
        dy: &Tensor,
        weight: &Tensor,
        p: &Conv2dParams,
        input_hw: (usize, usize),
    ) -> Result<Tensor> {
        self.scoped(|| {
            let dyd = dy.dims4("conv2d output gradient")?;
            let xd = [dyd[0], p.in_channels, input_hw.0, input_hw.1];
            expect_shape(dy, &p.output_shape(xd)?, "conv2d output gradient")?;
            expect_shape(weight, &p.weight_shape(), "conv2d weight")?;
            let (gdy, gw, dx) = (self.up(dy), self.up(weight), self.out(&xd));
            let d = ops::conv2d_backward_input(
                &self.ctx,
                &gdy,
                &gw,
                None,
                conv_params(p, xd, dyd, false),
                &dx,
            );
            self.run_and_read(d, &dx)
        })
    }

    fn conv2d_backward_weight(&self, x: &Tensor, dy: &Tensor, p: &Conv2dParams) -> Result<Tensor> {
        self.scoped(|| {
            let xd = x.dims4("conv2d input")?;
            let yd = p.output_shape(xd)?;
            expect_shape(dy, &yd, "conv2d output gradient")?;
            let (gx, gdy, dw) = (self.up(x), self.up(dy), self.out(&p.weight_shape()));
            let d = ops::conv2d_backward_weight(
                &self.ctx,
                &gx,
                &gdy,
                conv_params(p, xd, yd, false),
                &dw,
            );
            self.run_and_read(d, &dw)
        })
    }

    fn conv2d_backward_bias(&self, dy: &Tensor) -> Result<Tensor> {
        self.scoped(|| {
            let [n, c, h, w] = dy.dims4("conv2d output gradient")?;
            let (gdy, db) = (self.up(dy), self.out(&[c]));
            let d = ops::bias_grad(&self.ctx, &gdy, n, c, h * w, &db);
            self.run_and_read(d, &db)
        })
    }

    fn conv_transpose2d_forward(
        &self,
        x: &Tensor,
        weight: &Tensor,
        bias: Option<&Tensor>,
        p: &ConvTranspose2dParams,
    ) -> Result<Tensor> {
        self.scoped(|| {
            // The input gradient of the equivalent convolution, plus bias: the same shader.
            let xd = x.dims4("conv_transpose2d input")?;
            if xd[1] != p.in_channels {
                return reference::conv_transpose2d_forward(x, weight, bias, p); // reports the mismatch
            }
            expect_shape(weight, &p.weight_shape(), "conv_transpose2d weight")?;
            if let Some(b) = bias {
                expect_shape(b, &[p.out_channels], "conv_transpose2d bias")?;
            }
            let (oh, ow) = p.out_hw(xd[2], xd[3])?;
            let yd = [xd[0], p.out_channels, oh, ow];
            let (gx, gw, gb, y) = (
                self.up(x),
                self.up(weight),
                bias.map(|b| self.up(b)),
                self.out(&yd),
            );
            let d = ops::conv2d_backward_input(
                &self.ctx,
                &gx,
                &gw,
                gb.as_ref(),
                conv_params(&p.as_conv(), yd, xd, bias.is_some()),
                &y,
            );
            self.run_and_read(d, &y)
        })
    }

    fn max_pool2d_forward(&self, x: &Tensor, p: &Pool2dParams) -> Result<(Tensor, Vec<u32>)> {
        self.scoped(|| {
            let xd = x.dims4("max_pool2d input")?;
            let yd = p.output_shape(xd)?;
            let (gx, y, argmax) = (self.up(x), self.out(&yd), self.out(&yd));
            self.ctx.run(&[&ops::max_pool2d_forward(
                &self.ctx,
                &gx,
                pool_params(p, xd, yd),
                &y,
                &argmax,
            )]);
            let values = pollster::block_on(y.read(&self.ctx)).map_err(device)?;
            let indices = pollster::block_on(argmax.read_u32(&self.ctx)).map_err(device)?;
            Ok((values, indices))
        })
    }

    fn max_pool2d_backward(
        &self,
        dy: &Tensor,
        argmax: &[u32],
        p: &Pool2dParams,
        input_shape: [usize; 4],
    ) -> Result<Tensor> {
        self.scoped(|| {
            let yd = p.output_shape(input_shape)?;
            expect_shape(dy, &yd, "max_pool2d output gradient")?;
            if argmax.len() != dy.len() {
                return reference::max_pool2d_backward(dy, argmax, p, input_shape); // reports the mismatch
            }
            let (gdy, gi, dx) = (
                self.up(dy),
                GpuTensor::upload_u32(&self.ctx, &yd, argmax),
                self.out(&input_shape),
            );
            self.run_and_read(
                ops::max_pool2d_backward(
                    &self.ctx,
                    &gdy,
                    &gi,
                    pool_params(p, input_shape, yd),
                    &dx,
                ),
                &dx,
            )
        })
    }

    fn avg_pool2d_forward(&self, x: &Tensor, p: &Pool2dParams) -> Result<Tensor> {
        self.scoped(|| {
            let xd = x.dims4("avg_pool2d input")?;
            let yd = p.output_shape(xd)?;
            let (gx, y) = (self.up(x), self.out(&yd));
            self.run_and_read(
                ops::avg_pool2d_forward(&self.ctx, &gx, pool_params(p, xd, yd), &y),
                &y,
            )
        })
    }

    fn avg_pool2d_backward(
        &self,
        dy: &Tensor,
        p: &Pool2dParams,
        input_shape: [usize; 4],
    ) -> Result<Tensor> {
        self.scoped(|| {
            let yd = p.output_shape(input_shape)?;
            expect_shape(dy, &yd, "avg_pool2d output gradient")?;
            let (gdy, dx) = (self.up(dy), self.out(&input_shape));
            self.run_and_read(
                ops::avg_pool2d_backward(&self.ctx, &gdy, pool_params(p, input_shape, yd), &dx),
                &dx,
            )
        })
    }

    fn relu_forward(&self, x: &Tensor) -> Result<Tensor> {
        self.scoped(|| {
            let (gx, y) = (self.up(x), self.out(x.shape()));
            self.run_and_read(ops::relu_forward(&self.ctx, &gx, &y), &y)
        })
    }

    fn relu_backward(&self, dy: &Tensor, y: &Tensor) -> Result<Tensor> {
        self.scoped(|| {
            expect_shape(dy, y.shape(), "relu output gradient")?;
            let (gdy, gy, dx) = (self.up(dy), self.up(y), self.out(y.shape()));
            self.run_and_read(ops::relu_backward(&self.ctx, &gdy, &gy, &dx), &dx)
        })
    }

    fn linear_forward(&self, x: &Tensor, weight: &Tensor, bias: Option<&Tensor>) -> Result<Tensor> {
        self.scoped(|| {
            let [n, i] = x.dims2("linear input")?;
            let [o, wi] = weight.dims2("linear weight")?;
            if wi != i {
                return reference::linear_forward(x, weight, bias);
            }
            if let Some(b) = bias {
                expect_shape(b, &[o], "linear bias")?;
            }
            let (gx, gw, gb, y) = (
                self.up(x),
                self.up(weight),
                bias.map(|b| self.up(b)),
                self.out(&[n, o]),
            );
            let d = ops::matmul(
                &self.ctx,
                (n, o, i),
                Operand::row_major(&gx, i),
                Operand::transposed(&gw, i),
                gb.as_ref(),
                &y,
                false,
            );
            self.run_and_read(d, &y)
        })
    }

    fn linear_backward_input(&self, dy: &Tensor, weight: &Tensor) -> Result<Tensor> {
        self.scoped(|| {
            let [n, o] = dy.dims2("linear output gradient")?;
            let [wo, i] = weight.dims2("linear weight")?;
            if wo != o {
                return reference::linear_backward_input(dy, weight);
            }
            let (gdy, gw, dx) = (self.up(dy), self.up(weight), self.out(&[n, i]));
            let d = ops::matmul(
                &self.ctx,
                (n, i, o),
                Operand::row_major(&gdy, o),
                Operand::row_major(&gw, i),
                None,
                &dx,
                false,
            );
            self.run_and_read(d, &dx)
        })
    }

    fn linear_backward_weight(&self, x: &Tensor, dy: &Tensor) -> Result<Tensor> {
        self.scoped(|| {
            let [n, i] = x.dims2("linear input")?;
            let [dn, o] = dy.dims2("linear output gradient")?;
            if dn != n {
                return reference::linear_backward_weight(x, dy);
            }
            let (gx, gdy, dw) = (self.up(x), self.up(dy), self.out(&[o, i]));
            let d = ops::matmul(
                &self.ctx,
                (o, i, n),
                Operand::transposed(&gdy, o),
                Operand::row_major(&gx, i),
                None,
                &dw,
                false,
            );
            self.run_and_read(d, &dw)
        })
    }

    fn linear_backward_bias(&self, dy: &Tensor) -> Result<Tensor> {
        self.scoped(|| {
            let [n, o] = dy.dims2("linear output gradient")?;
            let (gdy, db) = (self.up(dy), self.out(&[o]));
            self.run_and_read(ops::bias_grad(&self.ctx, &gdy, n, o, 1, &db), &db)
        })
    }

    fn add_forward(&self, a: &Tensor, b: &Tensor) -> Result<Tensor> {
        self.scoped(|| {
            expect_shape(b, a.shape(), "add: second operand")?;
            let (ga, gb, out) = (self.up(a), self.up(b), self.out(a.shape()));
            self.run_and_read(ops::add(&self.ctx, &ga, &gb, &out), &out)
        })
    }

    fn concat_channels_forward(&self, parts: &[&Tensor]) -> Result<Tensor> {
        self.scoped(|| {
            let shape = reference::concat_shape(parts)?;
            let out = self.out(&shape);
            let uploaded: Vec<GpuTensor> = parts.iter().map(|p| self.up(p)).collect();
            let mut c0 = 0;
            let dispatches: Vec<ops::Dispatch> = uploaded
                .iter()
                .map(|part| {
                    let d = ops::channel_copy(
                        &self.ctx,
                        part,
                        0,
                        &out,
                        c0,
                        part.shape[1],
                        shape[0],
                        shape[2] * shape[3],
                    );
                    c0 += part.shape[1];
                    d
                })
                .collect();
            self.ctx.run(&dispatches.iter().collect::<Vec<_>>());
            pollster::block_on(out.read(&self.ctx)).map_err(device)
        })
    }

    fn concat_channels_backward(&self, dy: &Tensor, channels: &[usize]) -> Result<Vec<Tensor>> {
        self.scoped(|| {
            let [n, c, h, w] = dy.dims4("cat output gradient")?;
            if channels.iter().sum::<usize>() != c {
                return reference::concat_channels_backward(dy, channels);
            }
            let gdy = self.up(dy);
            let mut c0 = 0;
            let mut parts = Vec::new();
            for &ci in channels {
                let part = self.out(&[n, ci, h, w]);
                self.ctx.run(&[&ops::channel_copy(
                    &self.ctx,
                    &gdy,
                    c0,
                    &part,
                    0,
                    ci,
                    n,
                    h * w,
                )]);
                parts.push(pollster::block_on(part.read(&self.ctx)).map_err(device)?);
                c0 += ci;
            }
            Ok(parts)
        })
    }
}

impl GpuBackend {
    /// Log-softmax, mean cross-entropy, its gradient and the correct count in one dispatch.
    pub fn softmax_cross_entropy(
        &self,
        logits: &Tensor,
        targets: &[usize],
    ) -> Result<(Tensor, f32, Tensor, f32)> {
        self.scoped(|| {
            let [n, k] = logits.dims2("cross-entropy logits")?;
            reference::nll_loss_forward(logits, targets)?; // checks the targets
            let t: Vec<u32> = targets.iter().map(|&t| t as u32).collect();
            let (gl, gt) = (self.up(logits), GpuTensor::upload_u32(&self.ctx, &[n], &t));
            let (lp, dl, stats) = (self.out(&[n, k]), self.out(&[n, k]), self.out(&[2]));
            self.ctx.run(&[&ops::softmax_cross_entropy(
                &self.ctx, &gl, &gt, &lp, &dl, &stats,
            )]);
            let read = |t: &GpuTensor| pollster::block_on(t.read(&self.ctx)).map_err(device);
            let s = read(&stats)?;
            Ok((read(&lp)?, s.data()[0], read(&dl)?, s.data()[1]))
        })
    }
}
