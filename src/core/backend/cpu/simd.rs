//! The SIMD backend: the fast CPU path (WASM simd128 in the browser).
//!
//! Convolution runs as im2col + [`gemm`]: images are taken in chunks whose `col` matrices sit
//! side by side (at most [`COL_BUDGET`] values), so a training batch of small images makes a few
//! large GEMMs rather than many small ones. Per chunk and group:
//! - forward: `out[cout_g × c·P] = W_g · col`, then scattered to NCHW with the bias (when `col`
//!   has at most one GEMM block of rows, im2col writes it in the GEMM's packed layout directly);
//! - input gradient: `dcol = W_gᵀ · dy_chunk`, then col2im onto each image;
//! - weight gradient: `dW_g += dy_chunk · colᵀ`, one GEMM block of 256 positions at a time, with
//!   `colᵀ` written by im2col straight in the GEMM's packed layout (no `col` matrix, no packing);
//!   for small stride-1 layers (at most 256 taps, no padding or groups, as in the lesson's Net)
//!   directly instead ([`super::direct`]), where writing `colᵀ` would cost as much as the GEMM.
//!
//! The linear layer is one GEMM each way. Max pooling, ReLU and the bias gradient use lean
//! loops (`fast_ops`); the rest (average pooling, concatenation, softmax) falls back to the
//! reference. Scratch buffers are reused across calls.

use super::direct;
use super::fast_ops;
use super::gemm::{GemmScratch, MatRef, PACKED_K_MAX, gemm, gemm_packed_b};
use super::im2col::{Geometry, col2im, im2col, im2col_packed, im2col_packed_t};
use super::reference;
use crate::backend::Backend;
use crate::error::Result;
use crate::layers::{Conv2dParams, Pool2dParams};
use crate::tensor::{Tensor, expect_shape};
use std::cell::RefCell;

/// Most values one chunk's `col` matrix may hold (1 MiB of `f32`).
pub const COL_BUDGET: usize = 1 << 18;

/// The SIMD CPU backend. Single-threaded (as in the browser); holds reusable scratch memory.
#[derive(Default)]
pub struct SimdBackend {
    scratch: RefCell<Scratch>,
}

#[derive(Default)]
struct Scratch {
    gemm: GemmScratch,
    /// im2col output, or the input-gradient columns.
    col: Vec<f32>,
    /// A chunk's output or output gradient as `[cout_g × c·P]`.
    rows: Vec<f32>,
}

impl SimdBackend {
    /// A backend with empty scratch buffers.
    pub fn new() -> Self {
        Self::default()
    }
}

/// Sizes shared by the three convolution passes.
struct Plan {
    xd: [usize; 4],
    yd: [usize; 4],
    geo: Geometry,
    cin_g: usize,
    cout_g: usize,
    /// Rows of `col`: `cin_g · kh · kw`.
    k: usize,
    plane_in: usize,
    plane_out: usize,
    /// Images per chunk.
    chunk: usize,
}

impl Plan {
    fn new(xd: [usize; 4], p: &Conv2dParams) -> Result<Self> {
        let yd = p.output_shape(xd)?;
        let k = p.in_per_group() * p.kernel.0 * p.kernel.1;
        let plane_out = yd[2] * yd[3];
        Ok(Self {
            xd,
            yd,
            geo: Geometry {
                in_hw: (xd[2], xd[3]),
                out_hw: (yd[2], yd[3]),
            },
            cin_g: p.in_per_group(),
            cout_g: p.out_per_group(),
            k,
            plane_in: xd[2] * xd[3],
            plane_out,
            chunk: (COL_BUDGET / (k * plane_out).max(1)).clamp(1, xd[0].max(1)),
        })
    }

    /// `(first image, images)` of each chunk.
    fn chunks(&self) -> impl Iterator<Item = (usize, usize)> + use<> {
        let (n, chunk) = (self.xd[0], self.chunk);
        (0..n).step_by(chunk).map(move |n0| (n0, chunk.min(n - n0)))
    }

    /// Offset of image `n`, group `g`'s input planes.
    fn x_at(&self, n: usize, g: usize) -> usize {
        (n * self.xd[1] + g * self.cin_g) * self.plane_in
    }

    /// Offset of image `n`, group `g`'s output planes.
    fn y_at(&self, n: usize, g: usize) -> usize {
        (n * self.yd[1] + g * self.cout_g) * self.plane_out
    }

    /// im2col of images `n0 .. n0+c`, group `g`, side by side into `col` (`k × c·P`).
    fn im2col_chunk(
        &self,
        x: &[f32],
        p: &Conv2dParams,
        n0: usize,
        c: usize,
        g: usize,
        col: &mut Vec<f32>,
    ) {
        let cols = c * self.plane_out;
        col.resize(self.k * cols, 0.0);
        for i in 0..c {
            let x_group = &x[self.x_at(n0 + i, g)..][..self.cin_g * self.plane_in];
            im2col(x_group, p, &self.geo, &mut col[i * self.plane_out..], cols);
        }
    }

    /// Copies images `n0 .. n0+c`, group `g` of an output-shaped tensor into `rows`
    /// (`cout_g × c·P`).
    fn gather_rows(&self, y: &[f32], n0: usize, c: usize, g: usize, rows: &mut Vec<f32>) {
        let (plane, cols) = (self.plane_out, c * self.plane_out);
        rows.resize(self.cout_g * cols, 0.0);
        for i in 0..c {
            let src = &y[self.y_at(n0 + i, g)..][..self.cout_g * plane];
            for (oc, plane_src) in src.chunks_exact(plane).enumerate() {
                rows[oc * cols + i * plane..][..plane].copy_from_slice(plane_src);
            }
        }
    }
}

impl Backend for SimdBackend {
    fn name(&self) -> &'static str {
        "simd"
    }

    fn conv2d_forward(
        &self,
        x: &Tensor,
        weight: &Tensor,
        bias: Option<&Tensor>,
        p: &Conv2dParams,
    ) -> Result<Tensor> {
        let plan = Plan::new(x.dims4("conv2d input")?, p)?;
        expect_shape(weight, &p.weight_shape(), "conv2d weight")?;
        if let Some(b) = bias {
            expect_shape(b, &[p.out_channels], "conv2d bias")?;
        }
        let mut y = Tensor::zeros(&plan.yd);
        if direct::applies_forward(p) {
            let (xs, w, b) = (x.data(), weight.data(), bias.map(Tensor::data));
            direct::conv2d_forward(xs, plan.xd, w, b, plan.yd, p.kernel, y.data_mut());
            return Ok(y);
        }
        let scratch = &mut *self.scratch.borrow_mut();
        let (k, plane) = (plan.k, plan.plane_out);
        for (n0, c) in plan.chunks() {
            let cols = c * plane;
            for g in 0..p.groups {
                let w_group =
                    MatRef::row_major(&weight.data()[g * plan.cout_g * k..][..plan.cout_g * k], k);
                scratch.rows.resize(plan.cout_g * cols, 0.0);
                if k <= PACKED_K_MAX {
                    // im2col straight into the GEMM's packed layout: no second copy.
                    let x_chunk = &x.data()[plan.x_at(n0, g)..];
                    let image_stride = plan.xd[1] * plan.plane_in;
                    im2col_packed(x_chunk, image_stride, c, p, &plan.geo, &mut scratch.col);
                    gemm_packed_b(
                        plan.cout_g,
                        cols,
                        k,
                        w_group,
                        &scratch.col,
                        &mut scratch.rows,
                        cols,
                        false,
                        &mut scratch.gemm,
                    );
                } else {
                    plan.im2col_chunk(x.data(), p, n0, c, g, &mut scratch.col);
                    let col = MatRef::row_major(&scratch.col, cols);
                    gemm(
                        plan.cout_g,
                        cols,
                        k,
                        w_group,
                        col,
                        &mut scratch.rows,
                        cols,
                        false,
                        &mut scratch.gemm,
                    );
                }
                for i in 0..c {
                    let y_group = &mut y.data_mut()[plan.y_at(n0 + i, g)..][..plan.cout_g * plane];
                    for (oc, dst) in y_group.chunks_exact_mut(plane).enumerate() {
                        let src = &scratch.rows[oc * cols + i * plane..][..plane];
                        let b = bias.map_or(0.0, |b| b.data()[g * plan.cout_g + oc]);
                        for (d, s) in dst.iter_mut().zip(src) {
                            *d = s + b;
                        }
                    }
                }
            }
        }
        Ok(y)
    }

    fn conv2d_backward_input(
        &self,
        dy: &Tensor,
        weight: &Tensor,
        p: &Conv2dParams,
        input_hw: (usize, usize),
    ) -> Result<Tensor> {
        let dyd = dy.dims4("conv2d output gradient")?;
        let plan = Plan::new([dyd[0], p.in_channels, input_hw.0, input_hw.1], p)?;
        expect_shape(weight, &p.weight_shape(), "conv2d weight")?;
        expect_shape(dy, &plan.yd, "conv2d output gradient")?;
        let mut dx = Tensor::zeros(&plan.xd);
        let scratch = &mut *self.scratch.borrow_mut();
        let k = plan.k;
        for (n0, c) in plan.chunks() {
            let cols = c * plan.plane_out;
            for g in 0..p.groups {
                plan.gather_rows(dy.data(), n0, c, g, &mut scratch.rows);
                let w_t =
                    MatRef::transposed(&weight.data()[g * plan.cout_g * k..][..plan.cout_g * k], k);
                scratch.col.resize(k * cols, 0.0);
                let dy_rows = MatRef::row_major(&scratch.rows, cols);
                gemm(
                    k,
                    cols,
                    plan.cout_g,
                    w_t,
                    dy_rows,
                    &mut scratch.col,
                    cols,
                    false,
                    &mut scratch.gemm,
                );
                for i in 0..c {
                    let at = plan.x_at(n0 + i, g);
                    let dx_group = &mut dx.data_mut()[at..][..plan.cin_g * plan.plane_in];
                    col2im(
                        &scratch.col[i * plan.plane_out..],
                        cols,
                        p,
                        &plan.geo,
                        dx_group,
                    );
                }
            }
        }
        Ok(dx)
    }

    fn conv2d_backward_weight(&self, x: &Tensor, dy: &Tensor, p: &Conv2dParams) -> Result<Tensor> {
        let plan = Plan::new(x.dims4("conv2d input")?, p)?;
        expect_shape(dy, &plan.yd, "conv2d output gradient")?;
        let mut dw = Tensor::zeros(&p.weight_shape());
        if direct::applies(p) {
            let (x, dy) = (x.data(), dy.data());
            direct::conv2d_backward_weight(x, plan.xd, dy, plan.yd, p.kernel, dw.data_mut());
            return Ok(dw);
        }
        let scratch = &mut *self.scratch.borrow_mut();
        let k = plan.k;
        let image_stride = plan.xd[1] * plan.plane_in;
        for (n0, c) in plan.chunks() {
            let cols = c * plan.plane_out;
            for g in 0..p.groups {
                plan.gather_rows(dy.data(), n0, c, g, &mut scratch.rows);
                let dw_group = &mut dw.data_mut()[g * plan.cout_g * k..][..plan.cout_g * k];
                let x_chunk = &x.data()[plan.x_at(n0, g)..];
                // One GEMM block of positions at a time: colᵀ for the block, packed by im2col.
                for pb in (0..cols).step_by(PACKED_K_MAX) {
                    let kb = PACKED_K_MAX.min(cols - pb);
                    im2col_packed_t(
                        x_chunk,
                        image_stride,
                        p,
                        &plan.geo,
                        pb,
                        kb,
                        &mut scratch.col,
                    );
                    let dy_block = MatRef {
                        data: &scratch.rows[pb..],
                        row_stride: cols,
                        col_stride: 1,
                    };
                    gemm_packed_b(
                        plan.cout_g,
                        k,
                        kb,
                        dy_block,
                        &scratch.col,
                        dw_group,
                        k,
                        n0 > 0 || pb > 0,
                        &mut scratch.gemm,
                    );
                }
            }
        }
        Ok(dw)
    }

    fn conv2d_backward_bias(&self, dy: &Tensor) -> Result<Tensor> {
        fast_ops::conv2d_backward_bias(dy)
    }

    fn max_pool2d_forward(&self, x: &Tensor, p: &Pool2dParams) -> Result<(Tensor, Vec<u32>)> {
        fast_ops::max_pool2d_forward(x, p)
    }

    fn max_pool2d_backward(
        &self,
        dy: &Tensor,
        argmax: &[u32],
        p: &Pool2dParams,
        input_shape: [usize; 4],
    ) -> Result<Tensor> {
        fast_ops::max_pool2d_backward(dy, argmax, p, input_shape)
    }

    fn relu_forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok(fast_ops::relu_forward(x))
    }

    fn relu_backward(&self, dy: &Tensor, y: &Tensor) -> Result<Tensor> {
        fast_ops::relu_backward(dy, y)
    }

    fn linear_forward(&self, x: &Tensor, weight: &Tensor, bias: Option<&Tensor>) -> Result<Tensor> {
        let [n, i] = x.dims2("linear input")?;
        let [o, wi] = weight.dims2("linear weight")?;
        if wi != i {
            return reference::linear_forward(x, weight, bias); // reports the mismatch
        }
        let mut y = match bias {
            Some(b) => {
                expect_shape(b, &[o], "linear bias")?;
                Tensor::from_fn(&[n, o], |idx| b.data()[idx % o])
            }
            None => Tensor::zeros(&[n, o]),
        };
        let scratch = &mut *self.scratch.borrow_mut();
        let (a, b) = (
            MatRef::row_major(x.data(), i),
            MatRef::transposed(weight.data(), i),
        );
        gemm(
            n,
            o,
            i,
            a,
            b,
            y.data_mut(),
            o,
            bias.is_some(),
            &mut scratch.gemm,
        );
        Ok(y)
    }

    fn linear_backward_input(&self, dy: &Tensor, weight: &Tensor) -> Result<Tensor> {
        let [n, o] = dy.dims2("linear output gradient")?;
        let [wo, i] = weight.dims2("linear weight")?;
        if wo != o {
            return reference::linear_backward_input(dy, weight);
        }
        let mut dx = Tensor::zeros(&[n, i]);
        let scratch = &mut *self.scratch.borrow_mut();
        let (a, b) = (
            MatRef::row_major(dy.data(), o),
            MatRef::row_major(weight.data(), i),
        );
        gemm(n, i, o, a, b, dx.data_mut(), i, false, &mut scratch.gemm);
        Ok(dx)
    }

    fn linear_backward_weight(&self, x: &Tensor, dy: &Tensor) -> Result<Tensor> {
        let [n, i] = x.dims2("linear input")?;
        let [dn, o] = dy.dims2("linear output gradient")?;
        if dn != n {
            return reference::linear_backward_weight(x, dy);
        }
        let mut dw = Tensor::zeros(&[o, i]);
        let scratch = &mut *self.scratch.borrow_mut();
        let (a, b) = (
            MatRef::transposed(dy.data(), o),
            MatRef::row_major(x.data(), i),
        );
        gemm(o, i, n, a, b, dw.data_mut(), i, false, &mut scratch.gemm);
        Ok(dw)
    }
}
