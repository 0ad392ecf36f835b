//! The SIMD backend's versions of the cheap ops (max pooling, ReLU, bias gradient): the
//! reference's results (pooling and ReLU exactly; the bias sum to `f32` rounding) without its
//! per-element index arithmetic and `f64` accumulation. They run on every training step, so their overhead matters next to the GEMMs.

use crate::error::Result;
use crate::layers::Pool2dParams;
use crate::tensor::Tensor;

/// Max pooling with argmax; windows that reach into the padding skip those taps (the padding is
/// −∞). Ties keep the first maximum in row-major window order; the first NaN wins.
pub fn max_pool2d_forward(x: &Tensor, p: &Pool2dParams) -> Result<(Tensor, Vec<u32>)> {
    let xd = x.dims4("max_pool2d input")?;
    let yd = p.output_shape(xd)?;
    let (h, w) = (xd[2], xd[3]);
    let (oh, ow) = (yd[2], yd[3]);
    let mut y = vec![0.0f32; yd.iter().product()];
    let mut argmax = vec![0u32; y.len()];
    if p.kernel == (2, 2) && p.stride == (2, 2) && p.padding == (0, 0) {
        let planes = y
            .chunks_exact_mut(oh * ow)
            .zip(argmax.chunks_exact_mut(oh * ow));
        for (x_plane, (y_plane, a_plane)) in x.data().chunks_exact(h * w).zip(planes) {
            max_pool_2x2(x_plane, w, oh, ow, y_plane, a_plane);
        }
        return Ok((Tensor::new(&yd, y)?, argmax));
    }
    let planes = y
        .chunks_exact_mut(oh * ow)
        .zip(argmax.chunks_exact_mut(oh * ow));
    for (x_plane, (y_plane, a_plane)) in x.data().chunks_exact(h * w).zip(planes) {
        for oy in 0..oh {
            let y0 = (oy * p.stride.0) as isize - p.padding.0 as isize;
            let (ky_lo, ky_hi) = (
                y0.max(0) as usize,
                ((y0 + p.kernel.0 as isize) as usize).min(h),
            );
            for ox in 0..ow {
                let x0 = (ox * p.stride.1) as isize - p.padding.1 as isize;
                let (kx_lo, kx_hi) = (
                    x0.max(0) as usize,
                    ((x0 + p.kernel.1 as isize) as usize).min(w),
                );
                let mut best_at = ky_lo * w + kx_lo;
                let mut best = x_plane[best_at];
                'window: for iy in ky_lo..ky_hi {
                    let row = &x_plane[iy * w..iy * w + w];
                    for (ix, &v) in row.iter().enumerate().take(kx_hi).skip(kx_lo) {
                        if best.is_nan() {
                            break 'window;
                        }
                        if v > best || v.is_nan() {
                            best = v;
                            best_at = iy * w + ix;
                        }
                    }
                }
                y_plane[oy * ow + ox] = best;
                a_plane[oy * ow + ox] = best_at as u32;
            }
        }
    }
    Ok((Tensor::new(&yd, y)?, argmax))
}

/// `MaxPool2d(2)` on one plane (the lesson's pooling): the four taps of each window in
/// row-major order, first maximum kept, first NaN wins. Branch-free ([`pick`]): on real data the
/// winning tap is unpredictable, and mispredicted branches cost more than the comparisons.
fn max_pool_2x2(x: &[f32], w: usize, oh: usize, ow: usize, y: &mut [f32], argmax: &mut [u32]) {
    for oy in 0..oh {
        let (r0, r1) = (&x[2 * oy * w..][..2 * ow], &x[(2 * oy + 1) * w..][..2 * ow]);
        let (y_row, a_row) = (&mut y[oy * ow..][..ow], &mut argmax[oy * ow..][..ow]);
        let base = (2 * oy * w) as u32;
        let w = w as u32;
        let windows = r0.chunks_exact(2).zip(r1.chunks_exact(2));
        for (ox, ((t, b), (yv, av))) in windows.zip(y_row.iter_mut().zip(a_row)).enumerate() {
            let at = base + 2 * ox as u32;
            let (best, i) = pick(t[0], at, t[1], at + 1);
            let (best, i) = pick(best, i, b[0], at + w);
            let (best, i) = pick(best, i, b[1], at + w + 1);
            *yv = best;
            *av = i;
        }
    }
}

/// The next tap `(v, i)` against the best so far: taken if greater, or if it is the first NaN.
#[inline(always)]
fn pick(best: f32, at: u32, v: f32, i: u32) -> (f32, u32) {
    // `&` and `|` rather than `&&` and `||`: no branches.
    let take = (v > best) | (v.is_nan() & !best.is_nan());
    (if take { v } else { best }, if take { i } else { at })
}

/// `relu(x)`.
pub fn relu_forward(x: &Tensor) -> Tensor {
    let data = x
        .data()
        .iter()
        .map(|&v| if v > 0.0 { v } else { 0.0 })
        .collect();
    Tensor::new(x.shape(), data).expect("same shape")
}

/// `dy` where `y > 0`.
pub fn relu_backward(dy: &Tensor, y: &Tensor) -> Result<Tensor> {
    crate::tensor::expect_shape(dy, y.shape(), "relu output gradient")?;
    let data = dy
        .data()
        .iter()
        .zip(y.data())
        .map(|(&g, &v)| if v > 0.0 { g } else { 0.0 })
        .collect();
    Tensor::new(y.shape(), data)
}

/// `dy` summed over batch, height and width, per channel (in `f32`, plane by plane, each plane
/// in 8 interleaved partial sums so that the loop vectorises).
pub fn conv2d_backward_bias(dy: &Tensor) -> Result<Tensor> {
    let [_, c, h, w] = dy.dims4("conv2d output gradient")?;
    let mut db = vec![0.0f32; c];
    if h * w == 0 {
        return Tensor::new(&[c], db);
    }
    for (i, plane) in dy.data().chunks_exact(h * w).enumerate() {
        db[i % c] += lane_sum(plane);
    }
    Tensor::new(&[c], db)
}

/// The sum of `v` in 8 partial sums (lane `l` takes every value at an index ≡ `l` mod 8).
fn lane_sum(v: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let chunks = v.chunks_exact(8);
    let tail: f32 = chunks.remainder().iter().sum();
    for chunk in chunks {
        for (a, x) in acc.iter_mut().zip(chunk) {
            *a += x;
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// The max-pooling gradient: each output gradient added to the input pixel its window's
/// maximum came from (`argmax`, an index into the input plane), plane by plane. The same sums,
/// in the same order, as the reference.
pub fn max_pool2d_backward(
    dy: &Tensor,
    argmax: &[u32],
    p: &Pool2dParams,
    input_shape: [usize; 4],
) -> Result<Tensor> {
    crate::tensor::expect_shape(
        dy,
        &p.output_shape(input_shape)?,
        "max_pool2d output gradient",
    )?;
    let plane_in = input_shape[2] * input_shape[3];
    if argmax.len() != dy.len() || argmax.iter().any(|&i| i as usize >= plane_in) {
        // The reference reports the bad indices.
        return super::reference::max_pool2d_backward(dy, argmax, p, input_shape);
    }
    let mut dx = Tensor::zeros(&input_shape);
    let plane_out = dy.shape()[2] * dy.shape()[3];
    if plane_out == 0 || plane_in == 0 {
        return Ok(dx);
    }
    let planes = dy
        .data()
        .chunks_exact(plane_out)
        .zip(argmax.chunks_exact(plane_out));
    for (dx_plane, (g_plane, a_plane)) in dx.data_mut().chunks_exact_mut(plane_in).zip(planes) {
        for (&g, &at) in g_plane.iter().zip(a_plane) {
            dx_plane[at as usize] += g;
        }
    }
    Ok(dx)
}
