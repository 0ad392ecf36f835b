//! Step-by-step explanations of ops, for the explorers: every number a widget shows comes from
//! here (and so from the same shape rules and arithmetic as the backends), never from UI code.

pub mod network;
pub mod quiz;
pub mod receptive;
pub mod saliency;
pub mod transpose;
pub mod window;

use crate::backend::Backend;
use crate::backend::cpu::ReferenceBackend;
use crate::error::{Result, ShapeError};
use crate::layers::Conv2dParams;
use crate::tensor::Tensor;

/// One kernel tap at one output position.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tap {
    /// Kernel row and column.
    pub ky: usize,
    /// Kernel column.
    pub kx: usize,
    /// Row in the padded input (0 = the first padding row).
    pub py: usize,
    /// Column in the padded input.
    pub px: usize,
    /// Whether the tap falls on padding (a zero).
    pub in_padding: bool,
    /// The input value (0 on padding).
    pub x: f32,
    /// The kernel weight.
    pub w: f32,
    /// `x · w`.
    pub product: f32,
}

/// One output value of a single-channel convolution, with its window.
#[derive(Clone, Debug, PartialEq)]
pub struct ConvStep {
    /// Output row.
    pub oy: usize,
    /// Output column.
    pub ox: usize,
    /// The taps, in kernel order.
    pub taps: Vec<Tap>,
    /// The bias added (0 without bias).
    pub bias: f32,
    /// The output value: Σ products + bias (equal to the reference backend's output).
    pub value: f32,
}

/// A single-channel convolution explained output by output (row-major order), checked against
/// the reference backend.
///
/// # Shapes
/// `input` `[h, w]` values row-major, `kernel` `[kh, kw]`; `p` must have one input and one
/// output channel.
pub fn conv2d_steps(
    input: &Tensor,
    kernel: &Tensor,
    bias: Option<f32>,
    p: &Conv2dParams,
) -> Result<Vec<ConvStep>> {
    let [h, w] = input.dims2("explorer input")?;
    let [kh, kw] = kernel.dims2("explorer kernel")?;
    if p.in_channels != 1 || p.out_channels != 1 || (kh, kw) != p.kernel {
        return Err(ShapeError::Mismatch {
            what: "single-channel explorer".into(),
            expected: format!("Conv2d(1, 1, kernel_size=({kh}, {kw}))"),
            got: vec![p.in_channels, p.out_channels, p.kernel.0, p.kernel.1],
        });
    }
    let (oh, ow) = p.out_hw(h, w)?;
    let x4 = input.clone().reshape(&[1, 1, h, w])?;
    let w4 = kernel.clone().reshape(&[1, 1, kh, kw])?;
    let b = bias.map(|b| Tensor::new(&[1], vec![b])).transpose()?;
    let p = Conv2dParams {
        bias: bias.is_some(),
        ..*p
    };
    let y = ReferenceBackend.conv2d_forward(&x4, &w4, b.as_ref(), &p)?;
    let mut steps = Vec::with_capacity(oh * ow);
    for oy in 0..oh {
        for ox in 0..ow {
            let mut taps = Vec::with_capacity(kh * kw);
            for ky in 0..kh {
                for kx in 0..kw {
                    let py = oy * p.stride.0 + ky * p.dilation.0;
                    let px = ox * p.stride.1 + kx * p.dilation.1;
                    let inside = py >= p.padding.0
                        && py < p.padding.0 + h
                        && px >= p.padding.1
                        && px < p.padding.1 + w;
                    let x = if inside {
                        input.data()[(py - p.padding.0) * w + px - p.padding.1]
                    } else {
                        0.0
                    };
                    let wv = kernel.data()[ky * kw + kx];
                    taps.push(Tap {
                        ky,
                        kx,
                        py,
                        px,
                        in_padding: !inside,
                        x,
                        w: wv,
                        product: x * wv,
                    });
                }
            }
            steps.push(ConvStep {
                oy,
                ox,
                taps,
                bias: bias.unwrap_or(0.0),
                value: y.data()[oy * ow + ox],
            });
        }
    }
    Ok(steps)
}

/// The backward pass of a single-channel convolution, position by position: after each output
/// position (row-major), the partial ∂L/∂W (`dY[o] · window`) and ∂L/∂X (`dY[o] · kernel`
/// scattered onto the window) accumulated so far. The last partials equal the reference
/// backend's gradients, which are returned too.
#[derive(Clone, Debug, PartialEq)]
pub struct BackwardSteps {
    /// ∂L/∂W after each position, `kh × kw` values each.
    pub dw_partials: Vec<Vec<f32>>,
    /// ∂L/∂X after each position, `h × w` values each.
    pub dx_partials: Vec<Vec<f32>>,
    /// The reference backend's ∂L/∂W `[kh, kw]`.
    pub dw: Tensor,
    /// The reference backend's ∂L/∂X `[h, w]`.
    pub dx: Tensor,
}

/// See [`BackwardSteps`]. `dy` is the upstream gradient, shaped like the output `[oh, ow]`.
pub fn conv2d_backward_steps(
    input: &Tensor,
    kernel: &Tensor,
    dy: &Tensor,
    p: &Conv2dParams,
) -> Result<BackwardSteps> {
    let steps = conv2d_steps(input, kernel, None, p)?;
    let [h, w] = input.dims2("explorer input")?;
    let [kh, kw] = kernel.dims2("explorer kernel")?;
    let (oh, ow) = p.out_hw(h, w)?;
    crate::tensor::expect_shape(dy, &[oh, ow], "upstream gradient")?;
    let (mut dw, mut dx) = (vec![0.0f32; kh * kw], vec![0.0f32; h * w]);
    let (mut dw_partials, mut dx_partials) = (
        Vec::with_capacity(steps.len()),
        Vec::with_capacity(steps.len()),
    );
    for (o, step) in steps.iter().enumerate() {
        let g = dy.data()[o];
        for t in step.taps.iter().filter(|t| !t.in_padding) {
            dw[t.ky * kw + t.kx] += g * t.x;
            dx[(t.py - p.padding.0) * w + t.px - p.padding.1] += g * t.w;
        }
        dw_partials.push(dw.clone());
        dx_partials.push(dx.clone());
    }
    let p1 = Conv2dParams { bias: false, ..*p };
    let x4 = input.clone().reshape(&[1, 1, h, w])?;
    let w4 = kernel.clone().reshape(&[1, 1, kh, kw])?;
    let dy4 = dy.clone().reshape(&[1, 1, oh, ow])?;
    let dw_ref = ReferenceBackend
        .conv2d_backward_weight(&x4, &dy4, &p1)?
        .reshape(&[kh, kw])?;
    let dx_ref = ReferenceBackend
        .conv2d_backward_input(&dy4, &w4, &p1, (h, w))?
        .reshape(&[h, w])?;
    Ok(BackwardSteps {
        dw_partials,
        dx_partials,
        dw: dw_ref,
        dx: dx_ref,
    })
}

/// One output value of a multi-channel convolution, as per-input-channel partial sums.
#[derive(Clone, Debug, PartialEq)]
pub struct ChannelSums {
    /// `(input channel, Σ x·w over the window in that channel)`, for the channels this output
    /// channel's group sees.
    pub partials: Vec<(usize, f32)>,
    /// The bias added.
    pub bias: f32,
    /// The output value (the reference backend's): Σ partials + bias.
    pub value: f32,
}

/// The whole multi-channel convolution (from the reference backend) and, for output channel
/// `oc` at `(oy, ox)`, its per-input-channel partial sums.
///
/// # Shapes
/// `x` `[1, cin, h, w]`, `weight` `[cout, cin / groups, kh, kw]`, `bias` `[cout]`.
pub fn conv2d_channel_sums(
    x: &Tensor,
    weight: &Tensor,
    bias: &Tensor,
    p: &Conv2dParams,
    (oc, oy, ox): (usize, usize, usize),
) -> Result<(Tensor, ChannelSums)> {
    let [_, _, h, w] = x.dims4("explorer input")?;
    let y = ReferenceBackend.conv2d_forward(
        x,
        weight,
        Some(bias),
        &Conv2dParams { bias: true, ..*p },
    )?;
    let [_, cout, oh, ow] = y.dims4("explorer output")?;
    if oc >= cout || oy >= oh || ox >= ow {
        return Err(ShapeError::Mismatch {
            what: "explorer position".into(),
            expected: format!("channel < {cout}, row < {oh}, column < {ow}"),
            got: vec![oc, oy, ox],
        });
    }
    let (cin_g, g) = (p.in_per_group(), oc / p.out_per_group());
    let partials = (0..cin_g)
        .map(|icg| {
            let ic = g * cin_g + icg;
            let mut sum = 0.0f32;
            for ky in 0..p.kernel.0 {
                for kx in 0..p.kernel.1 {
                    let iy = (oy * p.stride.0 + ky * p.dilation.0) as isize - p.padding.0 as isize;
                    let ix = (ox * p.stride.1 + kx * p.dilation.1) as isize - p.padding.1 as isize;
                    if iy >= 0 && ix >= 0 && (iy as usize) < h && (ix as usize) < w {
                        let xv = x.data()[(ic * h + iy as usize) * w + ix as usize];
                        sum += xv
                            * weight.data()
                                [((oc * cin_g + icg) * p.kernel.0 + ky) * p.kernel.1 + kx];
                    }
                }
            }
            (ic, sum)
        })
        .collect();
    let value = y.data()[(oc * oh + oy) * ow + ox];
    Ok((
        y,
        ChannelSums {
            partials,
            bias: bias.data()[oc],
            value,
        },
    ))
}

/// One window of a pooling layer.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolStep {
    /// Output row.
    pub oy: usize,
    /// Output column.
    pub ox: usize,
    /// The input cells `(row, column, value)` the window covers (padding skipped).
    pub cells: Vec<(usize, usize, f32)>,
    /// The pooled value (the reference backend's).
    pub value: f32,
    /// For max pooling, the `(row, column)` the maximum came from (PyTorch's index).
    pub argmax: Option<(usize, usize)>,
}

/// Max (`max = true`) or average pooling of one `[h, w]` channel, window by window.
pub fn pool2d_steps(
    input: &Tensor,
    p: &crate::layers::Pool2dParams,
    max: bool,
) -> Result<Vec<PoolStep>> {
    let [h, w] = input.dims2("pooling input")?;
    let x4 = input.clone().reshape(&[1, 1, h, w])?;
    let (y, argmax) = if max {
        let (y, a) = ReferenceBackend.max_pool2d_forward(&x4, p)?;
        (y, Some(a))
    } else {
        (ReferenceBackend.avg_pool2d_forward(&x4, p)?, None)
    };
    let [_, _, oh, ow] = y.dims4("pooling output")?;
    let mut steps = Vec::with_capacity(oh * ow);
    for oy in 0..oh {
        for ox in 0..ow {
            let mut cells = Vec::new();
            for ky in 0..p.kernel.0 {
                for kx in 0..p.kernel.1 {
                    let (iy, ix) = (
                        (oy * p.stride.0 + ky) as isize - p.padding.0 as isize,
                        (ox * p.stride.1 + kx) as isize - p.padding.1 as isize,
                    );
                    if iy >= 0 && ix >= 0 && (iy as usize) < h && (ix as usize) < w {
                        let (iy, ix) = (iy as usize, ix as usize);
                        cells.push((iy, ix, input.data()[iy * w + ix]));
                    }
                }
            }
            let i = oy * ow + ox;
            let argmax = argmax
                .as_ref()
                .map(|a| (a[i] as usize / w, a[i] as usize % w));
            steps.push(PoolStep {
                oy,
                ox,
                cells,
                value: y.data()[i],
                argmax,
            });
        }
    }
    Ok(steps)
}

/// ∂L/∂x of pooling one `[h, w]` channel, for the upstream gradient `dy` (`[oh, ow]`), from the
/// reference backend: max pooling routes each output's gradient to its window's argmax (where
/// windows overlap, the gradients add up); average pooling spreads it evenly over the window.
pub fn pool2d_backward(
    input: &Tensor,
    p: &crate::layers::Pool2dParams,
    max: bool,
    dy: &Tensor,
) -> Result<Tensor> {
    let [h, w] = input.dims2("pooling input")?;
    let x4 = input.clone().reshape(&[1, 1, h, w])?;
    let [oh, ow] = dy.dims2("pooling gradient")?;
    let dy4 = dy.clone().reshape(&[1, 1, oh, ow])?;
    let dx = if max {
        let (_, argmax) = ReferenceBackend.max_pool2d_forward(&x4, p)?;
        ReferenceBackend.max_pool2d_backward(&dy4, &argmax, p, [1, 1, h, w])?
    } else {
        ReferenceBackend.avg_pool2d_backward(&dy4, p, [1, 1, h, w])?
    };
    dx.reshape(&[h, w])
}

/// Where a pixel and its four neighbours land when an `h × w` image is flattened row by row
/// (`x.view(batch, -1)`): left and right stay next to it, up and down move `w` positions away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flattened {
    /// The pixel's index in the flat vector: `row · w + col`.
    pub index: usize,
    /// The neighbour above (`index − w`), if any.
    pub up: Option<usize>,
    /// The neighbour below (`index + w`).
    pub down: Option<usize>,
    /// The neighbour to the left (`index − 1`).
    pub left: Option<usize>,
    /// The neighbour to the right (`index + 1`).
    pub right: Option<usize>,
}

/// The flat indices of pixel `(row, col)` of an `h × w` image and of its neighbours.
pub fn flatten_neighbours(h: usize, w: usize, row: usize, col: usize) -> Flattened {
    let index = row * w + col;
    Flattened {
        index,
        up: (row > 0).then(|| index - w),
        down: (row + 1 < h).then(|| index + w),
        left: (col > 0).then(|| index - 1),
        right: (col + 1 < w).then(|| index + 1),
    }
}

/// What a `zoom`× view of a square image of side `side` shows when aimed at `focus` (in image
/// pixels): the square window `(left, top, width)`, `side / zoom` wide, centred on the focus but
/// kept inside the image (so 1× shows the whole image). Both of the raster-versus-vector views
/// show this window, so they zoom on the same place.
pub fn zoom_window(side: f64, focus: (f64, f64), zoom: f64) -> (f64, f64, f64) {
    let width = side / zoom.max(1.0);
    let start = |f: f64| (f - width / 2.0).clamp(0.0, side - width);
    (start(focus.0), start(focus.1), width)
}

/// PyTorch's output-size formula along one axis, with the numbers filled in:
/// `⌊(in + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1 = out`.
pub fn out_size_formula(
    input: usize,
    k: usize,
    stride: usize,
    padding: usize,
    dilation: usize,
) -> String {
    let numerator = (input + 2 * padding) as isize - (dilation * (k.max(1) - 1)) as isize - 1;
    let result = if numerator < 0 {
        "—".to_string()
    } else {
        (numerator as usize / stride.max(1) + 1).to_string()
    };
    format!("⌊({input} + 2·{padding} − {dilation}·({k} − 1) − 1) / {stride}⌋ + 1 = {result}")
}

/// The kernel presets of the convolution explorer, by id, in menu order.
pub const KERNEL_PRESETS: [&str; 7] = [
    "lesson", "identity", "box", "sharpen", "sobel_x", "sobel_y", "edge",
];

/// Sobel's separable factors at side `k`: (smoothing, derivative), as OpenCV's `Sobel` builds
/// them (binomial smoothing; the derivative is `[-1, 0, 1]` smoothed by `[1, 1]` k − 3 times).
fn sobel_factors(k: usize) -> Option<(&'static [f32], &'static [f32])> {
    match k {
        3 => Some((&[1., 2., 1.], &[-1., 0., 1.])),
        5 => Some((&[1., 4., 6., 4., 1.], &[-1., -2., 0., 2., 1.])),
        7 => Some((
            &[1., 6., 15., 20., 15., 6., 1.],
            &[-1., -4., -5., 0., 5., 4., 1.],
        )),
        _ => None,
    }
}

/// The `k × k` weights (row-major) of a kernel preset, or `None` where the preset has no
/// textbook meaning at that size: identity and the Laplacian need a centre (odd `k`; the
/// Laplacian and sharpen at least 3), sharpen is the 3 × 3 `[0,-1,0; -1,5,-1; 0,-1,0]`, Sobel
/// exists at 3, 5 and 7 (`[-1,0,1; -2,0,2; -1,0,1]` at 3). "lesson" is 1…k², "box" 1/k².
pub fn kernel_preset(id: &str, k: usize) -> Option<Vec<f32>> {
    let c = k / 2;
    let at = |f: &dyn Fn(usize, usize) -> f32| (0..k * k).map(|i| f(i / k, i % k)).collect();
    let odd = k % 2 == 1;
    match id {
        "lesson" if k >= 1 => Some((1..=k * k).map(|v| v as f32).collect()),
        "identity" if odd => Some(at(&|y, x| f32::from(u8::from(y == c && x == c)))),
        "box" if k >= 1 => Some(at(&|_, _| 1.0 / (k * k) as f32)),
        "sharpen" if k == 3 => Some(vec![0., -1., 0., -1., 5., -1., 0., -1., 0.]),
        "sobel_x" => sobel_factors(k).map(|(s, d)| at(&|y, x| s[y] * d[x])),
        "sobel_y" => sobel_factors(k).map(|(s, d)| at(&|y, x| d[y] * s[x])),
        "edge" if odd && k >= 3 => Some(at(&|y, x| {
            if y == c && x == c {
                (k * k - 1) as f32
            } else {
                -1.0
            }
        })),
        _ => None,
    }
}

/// The first preset whose `k × k` weights are exactly `weights` (a shared link carries only
/// the weights; this gives them their name back).
pub fn kernel_preset_id(k: usize, weights: &[f32]) -> Option<&'static str> {
    KERNEL_PRESETS
        .into_iter()
        .find(|id| kernel_preset(id, k).is_some_and(|w| w == weights))
}

#[cfg(test)]
mod tests {
    #[test]
    fn zoom_window_is_centred_on_the_focus_and_stays_in_the_image() {
        assert_eq!(
            super::zoom_window(28.0, (19.0, 14.0), 1.0),
            (0.0, 0.0, 28.0)
        );
        assert_eq!(
            super::zoom_window(28.0, (19.0, 14.0), 16.0),
            (18.125, 13.125, 1.75)
        );
        // Near the edge the window stops at the image's border.
        assert_eq!(super::zoom_window(28.0, (27.0, 1.0), 4.0), (21.0, 0.0, 7.0));
    }

    use super::*;

    /// The lesson's 5 × 5 input and 1…9 kernel.
    fn lesson() -> (Tensor, Tensor) {
        let x = [
            3., 4., 6., 5., 7., 2., 4., 6., 8., 2., 1., 6., 7., 8., 4., 9., 7., 4., 6., 2., 3., 7.,
            5., 4., 1.,
        ];
        (
            Tensor::new(&[5, 5], x.to_vec()).expect("5x5"),
            Tensor::from_fn(&[3, 3], |i| (i + 1) as f32),
        )
    }

    #[test]
    fn the_lessons_example_with_padding_1() {
        // PyTorch: conv2d(input (1,1,5,5), weight 1..9 (1,1,3,3), padding=1) → first row
        // [91, 168, 224, 215, 127].
        let (x, k) = lesson();
        let steps = conv2d_steps(
            &x,
            &k,
            None,
            &Conv2dParams::new(1, 1, 3).padding(1).bias(false),
        )
        .expect("steps");
        assert_eq!(steps.len(), 25);
        let row: Vec<f32> = steps[..5].iter().map(|s| s.value).collect();
        assert_eq!(row, vec![91.0, 168.0, 224.0, 215.0, 127.0]);
        let first = &steps[0];
        assert_eq!(first.taps.iter().filter(|t| t.in_padding).count(), 5);
        assert_eq!(first.taps.iter().map(|t| t.product).sum::<f32>(), 91.0);
    }

    #[test]
    fn products_sum_to_the_reference_value_with_stride_and_dilation() {
        let (x, k) = lesson();
        for p in [
            Conv2dParams::new(1, 1, 3).stride(2),
            Conv2dParams::new(1, 1, 3).dilation(2).padding(2).stride(2),
        ] {
            for s in conv2d_steps(&x, &k, Some(0.5), &p).expect("steps") {
                let sum: f32 = s.taps.iter().map(|t| t.product).sum::<f32>() + s.bias;
                assert!(
                    (sum - s.value).abs() < 1e-4,
                    "{p:?} at ({}, {})",
                    s.oy,
                    s.ox
                );
            }
        }
    }

    #[test]
    fn no_valid_output_is_an_error() {
        let (x, _) = lesson();
        let k = Tensor::zeros(&[7, 7]);
        let err = conv2d_steps(&x, &k, None, &Conv2dParams::new(1, 1, 7)).unwrap_err();
        assert!(
            err.to_string().contains("larger than the padded input"),
            "{err}"
        );
    }

    #[test]
    fn the_lessons_pooling_example() {
        // MaxPool2d(2) on [3,4,6,5; 2,4,6,8; 1,6,7,8; 9,7,4,6] gives [[4,8],[9,8]].
        let x = Tensor::new(
            &[4, 4],
            vec![
                3., 4., 6., 5., 2., 4., 6., 8., 1., 6., 7., 8., 9., 7., 4., 6.,
            ],
        )
        .expect("4x4");
        let steps = pool2d_steps(&x, &crate::layers::Pool2dParams::new(2), true).expect("steps");
        assert_eq!(
            steps.iter().map(|s| s.value).collect::<Vec<_>>(),
            vec![4.0, 8.0, 9.0, 8.0]
        );
        assert_eq!(steps[0].argmax, Some((0, 1)));
        assert_eq!(steps[2].argmax, Some((3, 0)));
        let avg = pool2d_steps(&x, &crate::layers::Pool2dParams::new(2), false).expect("steps");
        assert_eq!(avg[0].value, 3.25);
    }

    #[test]
    fn vertical_neighbours_are_28_apart() {
        let f = flatten_neighbours(28, 28, 10, 5);
        assert_eq!(f.index, 285);
        assert_eq!(
            (f.up, f.down, f.left, f.right),
            (Some(257), Some(313), Some(284), Some(286))
        );
        let corner = flatten_neighbours(28, 28, 0, 27);
        assert_eq!((corner.up, corner.right), (None, None));
    }

    #[test]
    fn channel_partials_add_up_to_the_output() {
        // Conv2d(4, 4, 3, groups=2) on a 5×5 input: output 2 sees input channels 2 and 3.
        let p = Conv2dParams::new(4, 4, 3).groups(2).padding(1);
        let x = Tensor::from_fn(&[1, 4, 5, 5], |i| (i % 7) as f32 - 3.0);
        let w = Tensor::from_fn(&p.weight_shape(), |i| (i % 5) as f32 * 0.5 - 1.0);
        let b = Tensor::from_fn(&[4], |i| i as f32);
        let (y, sums) = conv2d_channel_sums(&x, &w, &b, &p, (2, 1, 3)).expect("sums");
        assert_eq!(y.shape(), &[1, 4, 5, 5]);
        assert_eq!(
            sums.partials.iter().map(|p| p.0).collect::<Vec<_>>(),
            vec![2, 3]
        );
        let total: f32 = sums.partials.iter().map(|p| p.1).sum::<f32>() + sums.bias;
        assert!((total - sums.value).abs() < 1e-4);
    }

    #[test]
    fn backward_partials_end_at_the_reference_gradients() {
        let (x, k) = lesson();
        for p in [
            Conv2dParams::new(1, 1, 3).padding(1).bias(false),
            Conv2dParams::new(1, 1, 3).stride(2).dilation(1).bias(false),
        ] {
            let (oh, ow) = p.out_hw(5, 5).expect("size");
            let dy = Tensor::from_fn(&[oh, ow], |i| (i % 3) as f32 - 1.0);
            let b = conv2d_backward_steps(&x, &k, &dy, &p).expect("steps");
            assert_eq!(b.dw_partials.len(), oh * ow);
            assert_eq!(b.dw_partials.last().expect("last"), &b.dw.data().to_vec());
            assert_eq!(b.dx_partials.last().expect("last"), &b.dx.data().to_vec());
        }
    }

    #[test]
    fn formula_text() {
        assert_eq!(
            out_size_formula(5, 3, 2, 0, 1),
            "⌊(5 + 2·0 − 1·(3 − 1) − 1) / 2⌋ + 1 = 2"
        );
        assert_eq!(
            out_size_formula(3, 5, 1, 0, 1),
            "⌊(3 + 2·0 − 1·(5 − 1) − 1) / 1⌋ + 1 = —"
        );
    }

    #[test]
    fn pooling_gradient_goes_to_the_argmax_or_spreads_evenly() {
        use crate::layers::Pool2dParams;
        let x = Tensor::new(
            &[4, 4],
            vec![
                3., 4., 6., 5., 2., 4., 6., 8., 1., 6., 7., 8., 9., 7., 4., 6.,
            ],
        )
        .unwrap();
        let dy = Tensor::new(&[2, 2], vec![1., 2., 3., 4.]).unwrap();
        let p = Pool2dParams::new(2);
        // Max [[4,8],[9,8]]: argmaxes (0,1), (1,3), (3,0), (2,3) — PyTorch's first maximum.
        let dx = pool2d_backward(&x, &p, true, &dy).unwrap();
        let mut want = [0.0; 16];
        want[1] = 1.;
        want[7] = 2.;
        want[12] = 3.;
        want[11] = 4.;
        assert_eq!(dx.data(), &want[..]);
        let dx = pool2d_backward(&x, &p, false, &dy).unwrap();
        assert_eq!(dx.data()[0], 0.25);
        assert_eq!(dx.data()[15], 1.0);
        assert_eq!(dx.data().iter().sum::<f32>(), 10.0);
    }
    #[test]
    fn kernel_presets_are_the_textbook_kernels() {
        #[rustfmt::skip]
        let sobel_x3 = vec![-1., 0., 1., -2., 0., 2., -1., 0., 1.];
        #[rustfmt::skip]
        let sobel_y3 = vec![-1., -2., -1., 0., 0., 0., 1., 2., 1.];
        assert_eq!(kernel_preset("sobel_x", 3), Some(sobel_x3));
        assert_eq!(kernel_preset("sobel_y", 3), Some(sobel_y3));
        // OpenCV's 5 × 5 Sobel (cv2.getDerivKernels(1, 0, 5)): [1,4,6,4,1]ᵀ · [-1,-2,0,2,1].
        #[rustfmt::skip]
        let sobel_x5 = vec![
            -1., -2., 0., 2., 1.,
            -4., -8., 0., 8., 4.,
            -6., -12., 0., 12., 6.,
            -4., -8., 0., 8., 4.,
            -1., -2., 0., 2., 1.,
        ];
        assert_eq!(kernel_preset("sobel_x", 5), Some(sobel_x5.clone()));
        let sobel_y5: Vec<f32> = (0..25).map(|i| sobel_x5[(i % 5) * 5 + i / 5]).collect();
        assert_eq!(kernel_preset("sobel_y", 5), Some(sobel_y5));
        let sobel_x7 = kernel_preset("sobel_x", 7).unwrap();
        assert_eq!(&sobel_x7[21..28], &[-20., -80., -100., 0., 100., 80., 20.]);
        assert_eq!(
            kernel_preset("sharpen", 3),
            Some(vec![0., -1., 0., -1., 5., -1., 0., -1., 0.])
        );
        assert_eq!(
            kernel_preset("edge", 3),
            Some(vec![-1., -1., -1., -1., 8., -1., -1., -1., -1.])
        );
        assert_eq!(
            kernel_preset("identity", 3),
            Some(vec![0., 0., 0., 0., 1., 0., 0., 0., 0.])
        );
        assert_eq!(kernel_preset("box", 2), Some(vec![0.25; 4]));
        assert_eq!(
            kernel_preset("lesson", 3),
            Some((1..=9).map(|v| v as f32).collect())
        );
        // Sizes where a preset means nothing are not offered.
        for k in [1, 2, 4, 6] {
            for id in ["sobel_x", "sobel_y", "sharpen", "edge"] {
                assert_eq!(kernel_preset(id, k), None, "{id} at {k}");
            }
        }
        for k in [2, 4, 6] {
            assert_eq!(kernel_preset("identity", k), None);
        }
        for k in [5, 7] {
            assert_eq!(kernel_preset("sharpen", k), None);
        }
        // Every offered preset: the right size; derivative kernels sum to 0.
        for k in 1..=7 {
            for id in KERNEL_PRESETS {
                if let Some(w) = kernel_preset(id, k) {
                    assert_eq!(w.len(), k * k);
                    if id.starts_with("sobel") || id == "edge" {
                        assert_eq!(w.iter().sum::<f32>(), 0.0, "{id} at {k}");
                    }
                }
            }
        }
        let sharpen = kernel_preset("sharpen", 3).unwrap();
        assert_eq!(kernel_preset_id(3, &sharpen), Some("sharpen"));
        assert_eq!(kernel_preset_id(3, &[9.0; 9]), None);
    }
}
