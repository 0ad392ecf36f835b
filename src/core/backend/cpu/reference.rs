//! The reference backend: every op as plain loops that a reader can check by eye against
//! PyTorch's definition. It is the oracle for every other backend, so it favours clarity over
//! speed and accumulates in `f64`.
//!
//! Index helpers name NCHW positions; the loops follow the definitions literally, e.g. for
//! convolution `y[n, oc, oy, ox] = b[oc] + Σ x[n, ic, oy·s − p + ky·d, ox·s − p + kx·d] · w[oc, icg, ky, kx]`.

use super::super::Backend;
use crate::error::{Result, ShapeError};
use crate::layers::{Conv2dParams, ConvTranspose2dParams, Pool2dParams};
use crate::tensor::{Tensor, expect_shape};

/// The reference backend (all of [`Backend`]'s defaults).
#[derive(Clone, Copy, Debug, Default)]
pub struct ReferenceBackend;

impl Backend for ReferenceBackend {
    fn name(&self) -> &'static str {
        "reference"
    }
}

/// Flat index of `[n, c, y, x]` in an NCHW tensor of dims `[_, cs, hs, ws]`.
fn at(d: [usize; 4], n: usize, c: usize, y: usize, x: usize) -> usize {
    ((n * d[1] + c) * d[2] + y) * d[3] + x
}

/// The input coordinate that output `o`, tap `k` reads: `o·stride − padding + k·dilation`,
/// or `None` when it falls in the padding.
fn tap(
    o: usize,
    k: usize,
    stride: usize,
    padding: usize,
    dilation: usize,
    size: usize,
) -> Option<usize> {
    let i = (o * stride + k * dilation).checked_sub(padding)?;
    (i < size).then_some(i)
}

fn check_conv(
    x_shape: [usize; 4],
    weight: &Tensor,
    bias: Option<&Tensor>,
    p: &Conv2dParams,
) -> Result<[usize; 4]> {
    let out = p.output_shape(x_shape)?;
    expect_shape(weight, &p.weight_shape(), "conv2d weight")?;
    if let Some(b) = bias {
        expect_shape(b, &[p.out_channels], "conv2d bias")?;
    }
    Ok(out)
}

/// `F.conv2d`. See [`Backend::conv2d_forward`].
pub fn conv2d_forward(
    x: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    p: &Conv2dParams,
) -> Result<Tensor> {
    let xd = x.dims4("conv2d input")?;
    let yd = check_conv(xd, weight, bias, p)?;
    let wd = p.weight_shape();
    let (xs, ws) = (x.data(), weight.data());
    let mut y = Tensor::zeros(&yd);
    let ys = y.data_mut();
    for n in 0..yd[0] {
        for oc in 0..yd[1] {
            let g = oc / p.out_per_group();
            for oy in 0..yd[2] {
                for ox in 0..yd[3] {
                    let mut sum = bias.map_or(0.0, |b| b.data()[oc] as f64);
                    for icg in 0..p.in_per_group() {
                        let ic = g * p.in_per_group() + icg;
                        for ky in 0..p.kernel.0 {
                            let Some(iy) =
                                tap(oy, ky, p.stride.0, p.padding.0, p.dilation.0, xd[2])
                            else {
                                continue;
                            };
                            for kx in 0..p.kernel.1 {
                                let Some(ix) =
                                    tap(ox, kx, p.stride.1, p.padding.1, p.dilation.1, xd[3])
                                else {
                                    continue;
                                };
                                sum += xs[at(xd, n, ic, iy, ix)] as f64
                                    * ws[at(wd, oc, icg, ky, kx)] as f64;
                            }
                        }
                    }
                    ys[at(yd, n, oc, oy, ox)] = sum as f32;
                }
            }
        }
    }
    Ok(y)
}

/// ∂L/∂x of `F.conv2d`: every `dy[n, oc, oy, ox] · w[oc, icg, ky, kx]` flows back to the input
/// pixel that forward read. See [`Backend::conv2d_backward_input`].
pub fn conv2d_backward_input(
    dy: &Tensor,
    weight: &Tensor,
    p: &Conv2dParams,
    input_hw: (usize, usize),
) -> Result<Tensor> {
    let dyd = dy.dims4("conv2d output gradient")?;
    let xd = [dyd[0], p.in_channels, input_hw.0, input_hw.1];
    let expected = check_conv(xd, weight, None, p)?;
    expect_shape(dy, &expected, "conv2d output gradient")?;
    let wd = p.weight_shape();
    let mut dx = vec![0.0f64; xd.iter().product()];
    let (dys, ws) = (dy.data(), weight.data());
    for n in 0..dyd[0] {
        for oc in 0..dyd[1] {
            let g = oc / p.out_per_group();
            for oy in 0..dyd[2] {
                for ox in 0..dyd[3] {
                    let grad = dys[at(dyd, n, oc, oy, ox)] as f64;
                    for icg in 0..p.in_per_group() {
                        let ic = g * p.in_per_group() + icg;
                        for ky in 0..p.kernel.0 {
                            let Some(iy) =
                                tap(oy, ky, p.stride.0, p.padding.0, p.dilation.0, xd[2])
                            else {
                                continue;
                            };
                            for kx in 0..p.kernel.1 {
                                let Some(ix) =
                                    tap(ox, kx, p.stride.1, p.padding.1, p.dilation.1, xd[3])
                                else {
                                    continue;
                                };
                                dx[at(xd, n, ic, iy, ix)] +=
                                    grad * ws[at(wd, oc, icg, ky, kx)] as f64;
                            }
                        }
                    }
                }
            }
        }
    }
    Tensor::new(&xd, dx.into_iter().map(|v| v as f32).collect())
}

/// ∂L/∂w of `F.conv2d`: `Σ_{n, oy, ox} dy[n, oc, oy, ox] · x[n, ic, iy, ix]`.
/// See [`Backend::conv2d_backward_weight`].
pub fn conv2d_backward_weight(x: &Tensor, dy: &Tensor, p: &Conv2dParams) -> Result<Tensor> {
    let xd = x.dims4("conv2d input")?;
    let yd = p.output_shape(xd)?;
    expect_shape(dy, &yd, "conv2d output gradient")?;
    let wd = p.weight_shape();
    let (xs, dys) = (x.data(), dy.data());
    let mut dw = Tensor::zeros(&wd);
    let dws = dw.data_mut();
    for oc in 0..wd[0] {
        let g = oc / p.out_per_group();
        for icg in 0..wd[1] {
            let ic = g * p.in_per_group() + icg;
            for ky in 0..wd[2] {
                for kx in 0..wd[3] {
                    let mut sum = 0.0f64;
                    for n in 0..yd[0] {
                        for oy in 0..yd[2] {
                            let Some(iy) =
                                tap(oy, ky, p.stride.0, p.padding.0, p.dilation.0, xd[2])
                            else {
                                continue;
                            };
                            for ox in 0..yd[3] {
                                let Some(ix) =
                                    tap(ox, kx, p.stride.1, p.padding.1, p.dilation.1, xd[3])
                                else {
                                    continue;
                                };
                                sum += dys[at(yd, n, oc, oy, ox)] as f64
                                    * xs[at(xd, n, ic, iy, ix)] as f64;
                            }
                        }
                    }
                    dws[at(wd, oc, icg, ky, kx)] = sum as f32;
                }
            }
        }
    }
    Ok(dw)
}

/// ∂L/∂b of a convolution: `dy` summed over batch, height and width.
pub fn conv2d_backward_bias(dy: &Tensor) -> Result<Tensor> {
    let d = dy.dims4("conv2d output gradient")?;
    let mut db = vec![0.0f64; d[1]];
    for n in 0..d[0] {
        for (c, sum) in db.iter_mut().enumerate() {
            let start = at(d, n, c, 0, 0);
            *sum += dy.data()[start..start + d[2] * d[3]]
                .iter()
                .map(|&v| v as f64)
                .sum::<f64>();
        }
    }
    Tensor::new(&[d[1]], db.into_iter().map(|v| v as f32).collect())
}

/// `F.conv_transpose2d`: the input gradient of the convolution [`ConvTranspose2dParams::as_conv`]
/// (each input pixel scatters `x · w` over the output), plus bias.
pub fn conv_transpose2d_forward(
    x: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    p: &ConvTranspose2dParams,
) -> Result<Tensor> {
    let xd = x.dims4("conv_transpose2d input")?;
    if xd[1] != p.in_channels {
        return Err(ShapeError::Mismatch {
            what: "conv_transpose2d input".into(),
            expected: format!("(N, {}, H, W)", p.in_channels),
            got: xd.to_vec(),
        });
    }
    expect_shape(weight, &p.weight_shape(), "conv_transpose2d weight")?;
    let out_hw = p.out_hw(xd[2], xd[3])?;
    // The forward of the equivalent convolution maps out_hw back to the input size only if the
    // sizes agree; output_padding accounts for the rows that convolution would drop.
    let mut y = conv2d_backward_input(x, weight, &p.as_conv(), out_hw)?;
    if let Some(b) = bias {
        expect_shape(b, &[p.out_channels], "conv_transpose2d bias")?;
        let plane = out_hw.0 * out_hw.1;
        for (i, v) in y.data_mut().iter_mut().enumerate() {
            *v += b.data()[(i / plane) % p.out_channels];
        }
    }
    Ok(y)
}

/// `F.max_pool2d(…, return_indices=True)`. Padding counts as −∞; ties keep the first maximum in
/// row-major window order; NaN propagates (as in PyTorch).
pub fn max_pool2d_forward(x: &Tensor, p: &Pool2dParams) -> Result<(Tensor, Vec<u32>)> {
    let xd = x.dims4("max_pool2d input")?;
    let yd = p.output_shape(xd)?;
    let mut y = Tensor::zeros(&yd);
    let mut argmax = vec![0u32; y.len()];
    for n in 0..yd[0] {
        for c in 0..yd[1] {
            for oy in 0..yd[2] {
                for ox in 0..yd[3] {
                    let mut best = f32::NEG_INFINITY;
                    let mut best_at = 0usize;
                    let mut found = false;
                    for ky in 0..p.kernel.0 {
                        let Some(iy) = tap(oy, ky, p.stride.0, p.padding.0, 1, xd[2]) else {
                            continue;
                        };
                        for kx in 0..p.kernel.1 {
                            let Some(ix) = tap(ox, kx, p.stride.1, p.padding.1, 1, xd[3]) else {
                                continue;
                            };
                            let v = x.data()[at(xd, n, c, iy, ix)];
                            if !found || v > best || v.is_nan() {
                                best = v;
                                best_at = iy * xd[3] + ix;
                                found = true;
                                if v.is_nan() {
                                    break;
                                }
                            }
                        }
                    }
                    let o = at(yd, n, c, oy, ox);
                    y.data_mut()[o] = best;
                    argmax[o] = best_at as u32;
                }
            }
        }
    }
    Ok((y, argmax))
}

/// ∂L/∂x of max pooling: `dx[argmax] += dy`.
pub fn max_pool2d_backward(
    dy: &Tensor,
    argmax: &[u32],
    p: &Pool2dParams,
    input_shape: [usize; 4],
) -> Result<Tensor> {
    expect_shape(
        dy,
        &p.output_shape(input_shape)?,
        "max_pool2d output gradient",
    )?;
    let yd = dy.dims4("max_pool2d output gradient")?;
    let plane_in = input_shape[2] * input_shape[3];
    if argmax.len() != dy.len() || argmax.iter().any(|&i| i as usize >= plane_in) {
        return Err(ShapeError::Mismatch {
            what: "max_pool2d backward: indices".into(),
            expected: format!("{} indices below {plane_in}", dy.len()),
            got: vec![argmax.len()],
        });
    }
    let plane_out = yd[2] * yd[3];
    let mut dx = Tensor::zeros(&input_shape);
    for (o, (&g, &idx)) in dy.data().iter().zip(argmax).enumerate() {
        let nc = o / plane_out;
        dx.data_mut()[nc * plane_in + idx as usize] += g;
    }
    Ok(dx)
}

/// `F.avg_pool2d` with `count_include_pad=True`: each output is the window's sum over
/// `kernel_h · kernel_w`, padding counted as zeros.
pub fn avg_pool2d_forward(x: &Tensor, p: &Pool2dParams) -> Result<Tensor> {
    let xd = x.dims4("avg_pool2d input")?;
    let yd = p.output_shape(xd)?;
    let area = (p.kernel.0 * p.kernel.1) as f64;
    let mut y = Tensor::zeros(&yd);
    for n in 0..yd[0] {
        for c in 0..yd[1] {
            for oy in 0..yd[2] {
                for ox in 0..yd[3] {
                    let mut sum = 0.0f64;
                    for ky in 0..p.kernel.0 {
                        let Some(iy) = tap(oy, ky, p.stride.0, p.padding.0, 1, xd[2]) else {
                            continue;
                        };
                        for kx in 0..p.kernel.1 {
                            let Some(ix) = tap(ox, kx, p.stride.1, p.padding.1, 1, xd[3]) else {
                                continue;
                            };
                            sum += x.data()[at(xd, n, c, iy, ix)] as f64;
                        }
                    }
                    y.data_mut()[at(yd, n, c, oy, ox)] = (sum / area) as f32;
                }
            }
        }
    }
    Ok(y)
}

/// ∂L/∂x of average pooling: each `dy / (kernel_h · kernel_w)` spreads over its window.
pub fn avg_pool2d_backward(
    dy: &Tensor,
    p: &Pool2dParams,
    input_shape: [usize; 4],
) -> Result<Tensor> {
    let yd = dy.dims4("avg_pool2d output gradient")?;
    expect_shape(
        dy,
        &p.output_shape(input_shape)?,
        "avg_pool2d output gradient",
    )?;
    let xd = input_shape;
    let area = (p.kernel.0 * p.kernel.1) as f32;
    let mut dx = Tensor::zeros(&xd);
    for n in 0..yd[0] {
        for c in 0..yd[1] {
            for oy in 0..yd[2] {
                for ox in 0..yd[3] {
                    let g = dy.data()[at(yd, n, c, oy, ox)] / area;
                    for ky in 0..p.kernel.0 {
                        let Some(iy) = tap(oy, ky, p.stride.0, p.padding.0, 1, xd[2]) else {
                            continue;
                        };
                        for kx in 0..p.kernel.1 {
                            let Some(ix) = tap(ox, kx, p.stride.1, p.padding.1, 1, xd[3]) else {
                                continue;
                            };
                            dx.data_mut()[at(xd, n, c, iy, ix)] += g;
                        }
                    }
                }
            }
        }
    }
    Ok(dx)
}

/// `relu(x) = max(x, 0)`.
pub fn relu_forward(x: &Tensor) -> Tensor {
    Tensor::from_fn(x.shape(), |i| x.data()[i].max(0.0))
}

/// ∂L/∂x of ReLU from its output: `dy` where `y > 0`, else 0.
pub fn relu_backward(dy: &Tensor, y: &Tensor) -> Result<Tensor> {
    expect_shape(dy, y.shape(), "relu output gradient")?;
    Ok(Tensor::from_fn(y.shape(), |i| {
        if y.data()[i] > 0.0 { dy.data()[i] } else { 0.0 }
    }))
}

fn check_linear(x: &Tensor, weight: &Tensor) -> Result<([usize; 2], [usize; 2])> {
    let xd = x.dims2("linear input")?;
    let wd = weight.dims2("linear weight")?;
    if xd[1] != wd[1] {
        return Err(ShapeError::Mismatch {
            what: format!("Linear({}, {}) input", wd[1], wd[0]),
            expected: format!("(N, {})", wd[1]),
            got: xd.to_vec(),
        });
    }
    Ok((xd, wd))
}

/// `y[n, o] = b[o] + Σ_i x[n, i] · w[o, i]`.
pub fn linear_forward(x: &Tensor, weight: &Tensor, bias: Option<&Tensor>) -> Result<Tensor> {
    let (xd, wd) = check_linear(x, weight)?;
    if let Some(b) = bias {
        expect_shape(b, &[wd[0]], "linear bias")?;
    }
    let mut y = Tensor::zeros(&[xd[0], wd[0]]);
    for n in 0..xd[0] {
        for o in 0..wd[0] {
            let mut sum = bias.map_or(0.0, |b| b.data()[o] as f64);
            for i in 0..xd[1] {
                sum += x.data()[n * xd[1] + i] as f64 * weight.data()[o * wd[1] + i] as f64;
            }
            y.data_mut()[n * wd[0] + o] = sum as f32;
        }
    }
    Ok(y)
}

/// `dx[n, i] = Σ_o dy[n, o] · w[o, i]`.
pub fn linear_backward_input(dy: &Tensor, weight: &Tensor) -> Result<Tensor> {
    let dyd = dy.dims2("linear output gradient")?;
    let wd = weight.dims2("linear weight")?;
    expect_shape(dy, &[dyd[0], wd[0]], "linear output gradient")?;
    let mut dx = Tensor::zeros(&[dyd[0], wd[1]]);
    for n in 0..dyd[0] {
        for i in 0..wd[1] {
            let sum: f64 = (0..wd[0])
                .map(|o| dy.data()[n * wd[0] + o] as f64 * weight.data()[o * wd[1] + i] as f64)
                .sum();
            dx.data_mut()[n * wd[1] + i] = sum as f32;
        }
    }
    Ok(dx)
}

/// `dw[o, i] = Σ_n dy[n, o] · x[n, i]`.
pub fn linear_backward_weight(x: &Tensor, dy: &Tensor) -> Result<Tensor> {
    let xd = x.dims2("linear input")?;
    let dyd = dy.dims2("linear output gradient")?;
    expect_shape(dy, &[xd[0], dyd[1]], "linear output gradient")?;
    let mut dw = Tensor::zeros(&[dyd[1], xd[1]]);
    for o in 0..dyd[1] {
        for i in 0..xd[1] {
            let sum: f64 = (0..xd[0])
                .map(|n| dy.data()[n * dyd[1] + o] as f64 * x.data()[n * xd[1] + i] as f64)
                .sum();
            dw.data_mut()[o * xd[1] + i] = sum as f32;
        }
    }
    Ok(dw)
}

/// `db[o] = Σ_n dy[n, o]`.
pub fn linear_backward_bias(dy: &Tensor) -> Result<Tensor> {
    let d = dy.dims2("linear output gradient")?;
    Ok(Tensor::from_fn(&[d[1]], |o| {
        (0..d[0])
            .map(|n| dy.data()[n * d[1] + o] as f64)
            .sum::<f64>() as f32
    }))
}

/// `a + b`, same shapes.
pub fn add_forward(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    expect_shape(b, a.shape(), "add: second operand")?;
    Ok(Tensor::from_fn(a.shape(), |i| a.data()[i] + b.data()[i]))
}

/// The shape of `torch.cat(parts, dim=1)`: checks that every part is NCHW with the same N, H, W.
/// Shared by every backend's concatenation.
pub fn concat_shape(parts: &[&Tensor]) -> Result<[usize; 4]> {
    let first = parts.first().ok_or(ShapeError::Zero {
        what: "number of tensors to concatenate",
    })?;
    let [n, _, h, w] = first.dims4("cat input")?;
    let mut channels = 0;
    for part in parts {
        let d = part.dims4("cat input")?;
        if d[0] != n || d[2] != h || d[3] != w {
            return Err(ShapeError::Mismatch {
                what: "cat(dim=1): every part must share batch, height and width".into(),
                expected: format!("({n}, C, {h}, {w})"),
                got: d.to_vec(),
            });
        }
        channels += d[1];
    }
    Ok([n, channels, h, w])
}

/// `torch.cat(parts, dim=1)` on NCHW tensors with equal N, H, W.
pub fn concat_channels_forward(parts: &[&Tensor]) -> Result<Tensor> {
    let [n, channels, h, w] = concat_shape(parts)?;
    let plane = h * w;
    let mut out = Vec::with_capacity(n * channels * plane);
    for b in 0..n {
        for part in parts {
            let c = part.shape()[1];
            out.extend_from_slice(&part.data()[b * c * plane..(b + 1) * c * plane]);
        }
    }
    Tensor::new(&[n, channels, h, w], out)
}

/// Splits `dy` along channels into parts of `channels[i]` channels (the backward of cat).
pub fn concat_channels_backward(dy: &Tensor, channels: &[usize]) -> Result<Vec<Tensor>> {
    let [n, c, h, w] = dy.dims4("cat output gradient")?;
    if channels.iter().sum::<usize>() != c {
        return Err(ShapeError::Mismatch {
            what: format!("cat backward: parts of {channels:?} channels"),
            expected: format!("(N, {}, H, W)", channels.iter().sum::<usize>()),
            got: dy.shape().to_vec(),
        });
    }
    let plane = h * w;
    let mut parts: Vec<Vec<f32>> = channels
        .iter()
        .map(|&ci| Vec::with_capacity(n * ci * plane))
        .collect();
    for b in 0..n {
        let mut start = b * c * plane;
        for (part, &ci) in parts.iter_mut().zip(channels) {
            part.extend_from_slice(&dy.data()[start..start + ci * plane]);
            start += ci * plane;
        }
    }
    parts
        .into_iter()
        .zip(channels)
        .map(|(data, &ci)| Tensor::new(&[n, ci, h, w], data))
        .collect()
}

/// `log_softmax(z)_j = z_j − max(z) − log Σ_k exp(z_k − max(z))`, row by row.
pub fn log_softmax_forward(logits: &Tensor) -> Result<Tensor> {
    let [n, k] = logits.dims2("log_softmax input")?;
    let mut out = Tensor::zeros(&[n, k]);
    for row in 0..n {
        let z = &logits.data()[row * k..(row + 1) * k];
        let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
        let log_sum = z.iter().map(|&v| (v as f64 - max).exp()).sum::<f64>().ln();
        for (o, &v) in out.data_mut()[row * k..(row + 1) * k].iter_mut().zip(z) {
            *o = (v as f64 - max - log_sum) as f32;
        }
    }
    Ok(out)
}

fn check_targets(log_probs: &Tensor, targets: &[usize]) -> Result<[usize; 2]> {
    let [n, k] = log_probs.dims2("nll_loss input")?;
    if targets.len() != n {
        return Err(ShapeError::Mismatch {
            what: "nll_loss targets".into(),
            expected: format!("{n} targets, one per row"),
            got: vec![targets.len()],
        });
    }
    if let Some(&bad) = targets.iter().find(|&&t| t >= k) {
        return Err(ShapeError::Mismatch {
            what: format!("nll_loss: target {bad} is not a class"),
            expected: format!("targets in 0..{k}"),
            got: vec![bad],
        });
    }
    Ok([n, k])
}

/// `−mean_n log_probs[n, targets[n]]`.
pub fn nll_loss_forward(log_probs: &Tensor, targets: &[usize]) -> Result<f32> {
    let [n, k] = check_targets(log_probs, targets)?;
    let sum: f64 = targets
        .iter()
        .enumerate()
        .map(|(row, &t)| log_probs.data()[row * k + t] as f64)
        .sum();
    Ok((-sum / n as f64) as f32)
}

/// `(exp(log_probs) − one_hot(targets)) / batch`.
pub fn log_softmax_nll_backward(log_probs: &Tensor, targets: &[usize]) -> Result<Tensor> {
    let [n, k] = check_targets(log_probs, targets)?;
    let mut grad = Tensor::from_fn(&[n, k], |i| log_probs.data()[i].exp() / n as f32);
    for (row, &t) in targets.iter().enumerate() {
        grad.data_mut()[row * k + t] -= 1.0 / n as f32;
    }
    Ok(grad)
}
