//! The SIMD backend: the fast CPU path (WASM simd128 in the browser).
//!
//! Convolution runs as im2col + [`gemm`] per image and group; its input gradient as
//! `Wᵀ · dy` + col2im; its weight gradient as `dy · colᵀ` accumulated over the batch. The linear
//! layer is one GEMM each way. Max pooling, ReLU and the bias gradient use lean loops
//! (`fast_ops`); the rest (average pooling, concatenation, softmax) falls back to the reference. Scratch buffers are reused across calls.

use super::fast_ops;
use super::gemm::{GemmScratch, MatRef, gemm};
use super::im2col::{Geometry, col2im, im2col};
use super::reference;
use crate::backend::Backend;
use crate::error::Result;
use crate::layers::{Conv2dParams, Pool2dParams};
use crate::tensor::{Tensor, expect_shape};
use std::cell::RefCell;

/// The SIMD CPU backend. Single-threaded (as in the browser); holds reusable scratch memory.
#[derive(Default)]
pub struct SimdBackend {
    scratch: RefCell<Scratch>,
}

#[derive(Default)]
struct Scratch {
    gemm: GemmScratch,
    col: Vec<f32>,
}

impl SimdBackend {
    /// A backend with empty scratch buffers.
    pub fn new() -> Self {
        Self::default()
    }
}

fn check(x_shape: [usize; 4], weight: &Tensor, p: &Conv2dParams) -> Result<([usize; 4], Geometry)> {
    let yd = p.output_shape(x_shape)?;
    expect_shape(weight, &p.weight_shape(), "conv2d weight")?;
    Ok((
        yd,
        Geometry {
            in_hw: (x_shape[2], x_shape[3]),
            out_hw: (yd[2], yd[3]),
        },
    ))
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
        let xd = x.dims4("conv2d input")?;
        let (yd, geo) = check(xd, weight, p)?;
        if let Some(b) = bias {
            expect_shape(b, &[p.out_channels], "conv2d bias")?;
        }
        let (cin_g, cout_g) = (p.in_per_group(), p.out_per_group());
        let k = cin_g * p.kernel.0 * p.kernel.1;
        let plane_in = xd[2] * xd[3];
        let plane_out = yd[2] * yd[3];
        let mut y = Tensor::zeros(&yd);
        let scratch = &mut *self.scratch.borrow_mut();
        scratch.col.resize(k * plane_out, 0.0);
        for n in 0..xd[0] {
            for g in 0..p.groups {
                let x_group = &x.data()[(n * xd[1] + g * cin_g) * plane_in..][..cin_g * plane_in];
                let one_by_one = p.kernel == (1, 1) && p.stride == (1, 1) && p.padding == (0, 0);
                let col: &[f32] = if one_by_one {
                    x_group // a 1×1 convolution's col matrix is the input itself
                } else {
                    im2col(x_group, p, &geo, &mut scratch.col);
                    &scratch.col
                };
                let w_group = &weight.data()[g * cout_g * k..(g + 1) * cout_g * k];
                let y_group =
                    &mut y.data_mut()[(n * yd[1] + g * cout_g) * plane_out..][..cout_g * plane_out];
                if let Some(b) = bias {
                    for (oc, chunk) in y_group.chunks_exact_mut(plane_out).enumerate() {
                        chunk.fill(b.data()[g * cout_g + oc]);
                    }
                }
                gemm(
                    cout_g,
                    plane_out,
                    k,
                    MatRef::row_major(w_group, k),
                    MatRef::row_major(col, plane_out),
                    y_group,
                    plane_out,
                    bias.is_some(),
                    &mut scratch.gemm,
                );
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
        let xd = [dyd[0], p.in_channels, input_hw.0, input_hw.1];
        let (yd, geo) = check(xd, weight, p)?;
        expect_shape(dy, &yd, "conv2d output gradient")?;
        let (cin_g, cout_g) = (p.in_per_group(), p.out_per_group());
        let k = cin_g * p.kernel.0 * p.kernel.1;
        let plane_in = xd[2] * xd[3];
        let plane_out = yd[2] * yd[3];
        let mut dx = Tensor::zeros(&xd);
        let scratch = &mut *self.scratch.borrow_mut();
        scratch.col.resize(k * plane_out, 0.0);
        let one_by_one = p.kernel == (1, 1) && p.stride == (1, 1) && p.padding == (0, 0);
        for n in 0..xd[0] {
            for g in 0..p.groups {
                let dy_group =
                    &dy.data()[(n * yd[1] + g * cout_g) * plane_out..][..cout_g * plane_out];
                let w_group = &weight.data()[g * cout_g * k..(g + 1) * cout_g * k];
                let dx_group =
                    &mut dx.data_mut()[(n * xd[1] + g * cin_g) * plane_in..][..cin_g * plane_in];
                let w_t = MatRef::transposed(w_group, k);
                let dy_m = MatRef::row_major(dy_group, plane_out);
                if one_by_one {
                    gemm(
                        k,
                        plane_out,
                        cout_g,
                        w_t,
                        dy_m,
                        dx_group,
                        plane_out,
                        false,
                        &mut scratch.gemm,
                    );
                } else {
                    gemm(
                        k,
                        plane_out,
                        cout_g,
                        w_t,
                        dy_m,
                        &mut scratch.col,
                        plane_out,
                        false,
                        &mut scratch.gemm,
                    );
                    col2im(&scratch.col, p, &geo, dx_group);
                }
            }
        }
        Ok(dx)
    }

    fn conv2d_backward_weight(&self, x: &Tensor, dy: &Tensor, p: &Conv2dParams) -> Result<Tensor> {
        let xd = x.dims4("conv2d input")?;
        let wd = p.weight_shape();
        let dw_shape = Tensor::zeros(&wd);
        let (yd, geo) = check(xd, &dw_shape, p)?;
        expect_shape(dy, &yd, "conv2d output gradient")?;
        let (cin_g, cout_g) = (p.in_per_group(), p.out_per_group());
        let k = cin_g * p.kernel.0 * p.kernel.1;
        let plane_in = xd[2] * xd[3];
        let plane_out = yd[2] * yd[3];
        let mut dw = dw_shape;
        let scratch = &mut *self.scratch.borrow_mut();
        scratch.col.resize(k * plane_out, 0.0);
        let one_by_one = p.kernel == (1, 1) && p.stride == (1, 1) && p.padding == (0, 0);
        for n in 0..xd[0] {
            for g in 0..p.groups {
                let x_group = &x.data()[(n * xd[1] + g * cin_g) * plane_in..][..cin_g * plane_in];
                let col: &[f32] = if one_by_one {
                    x_group
                } else {
                    im2col(x_group, p, &geo, &mut scratch.col);
                    &scratch.col
                };
                let dy_group =
                    &dy.data()[(n * yd[1] + g * cout_g) * plane_out..][..cout_g * plane_out];
                let dw_group = &mut dw.data_mut()[g * cout_g * k..(g + 1) * cout_g * k];
                gemm(
                    cout_g,
                    k,
                    plane_out,
                    MatRef::row_major(dy_group, plane_out),
                    MatRef::transposed(col, plane_out),
                    dw_group,
                    k,
                    n > 0,
                    &mut scratch.gemm,
                );
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

    fn relu_forward(&self, x: &Tensor) -> Tensor {
        fast_ops::relu_forward(x)
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
        gemm(
            n,
            o,
            i,
            MatRef::row_major(x.data(), i),
            MatRef::transposed(weight.data(), i),
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
