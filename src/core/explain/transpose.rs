//! Transposed convolution value by value, for its explorer: each input value, in row-major
//! order, scatters the kernel scaled by itself into the output (`out[i·s − p + k·d] += x[i]·w[k]`
//! on each axis; taps that land in the cropped `padding` rows and columns are dropped, and
//! `output_padding` adds rows and columns at the far end). The last partial output equals the
//! reference backend's `conv_transpose2d`, and the same numbers are the input gradient of the
//! matching convolution ([`ConvTranspose2dParams::as_conv`]) for an upstream gradient equal
//! to the input: both come back, so the explorer can show them side by side.

use crate::backend::Backend;
use crate::backend::cpu::ReferenceBackend;
use crate::error::Result;
use crate::layers::ConvTranspose2dParams;
use crate::tensor::Tensor;

/// Where one input value's scaled kernel lands: `(output index, kernel index)` pairs.
pub type Scatter = Vec<(usize, usize)>;

/// A single-channel transposed convolution, step by step (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct TransposeSteps {
    /// Output `(height, width)`.
    pub out_hw: (usize, usize),
    /// For each input position: the output cells its taps land on.
    pub scatters: Vec<Scatter>,
    /// For each input position: the output after its scaled kernel was added.
    pub partials: Vec<Vec<f32>>,
    /// The reference backend's `conv_transpose2d` output `[oh, ow]`.
    pub output: Tensor,
    /// The reference backend's `conv2d_backward_input` of `as_conv()` with `dy = input`.
    pub as_gradient: Tensor,
}

/// PyTorch's output-size formula for a transposed convolution along one axis, filled in:
/// `(in − 1)·stride − 2·padding + dilation·(k − 1) + output_padding + 1 = out`.
pub fn out_size_formula(
    input: usize,
    k: usize,
    stride: usize,
    padding: usize,
    output_padding: usize,
    dilation: usize,
) -> String {
    let full =
        input.saturating_sub(1) * stride + dilation * k.saturating_sub(1) + output_padding + 1;
    let out = full
        .checked_sub(2 * padding)
        .filter(|o| *o > 0)
        .map_or_else(|| "—".to_string(), |o| o.to_string());
    format!(
        "({input} − 1)·{stride} − 2·{padding} + {dilation}·({k} − 1) + {output_padding} + 1 = {out}"
    )
}

/// The explorer's layer as PyTorch code, with its output shape for an `h × w` input.
pub fn pytorch_code(h: usize, w: usize, p: &ConvTranspose2dParams) -> String {
    let shape = p.out_hw(h, w).map_or_else(
        |_| "error".to_string(),
        |(oh, ow)| format!("torch.Size([1, 1, {oh}, {ow}])"),
    );
    format!(
        "import torch\n\nx = torch.arange(1., {n}).reshape(1, 1, {h}, {w})\n\
         up = torch.nn.ConvTranspose2d(1, 1, kernel_size={k}, stride={s}, padding={pad}, \
         output_padding={op}, dilation={d}, bias=False)\n\
         print(up(x).shape)  # {shape}",
        n = h * w + 1,
        k = p.kernel.0,
        s = p.stride.0,
        pad = p.padding.0,
        op = p.output_padding.0,
        d = p.dilation.0,
    )
}

/// See [`TransposeSteps`]: `input` is `[h, w]`, `kernel` `[kh, kw]`; one channel, no bias.
pub fn conv_transpose2d_steps(
    input: &Tensor,
    kernel: &Tensor,
    p: &ConvTranspose2dParams,
) -> Result<TransposeSteps> {
    let [h, w] = input.dims2("transposed convolution input")?;
    let [kh, kw] = kernel.dims2("transposed convolution kernel")?;
    let p = ConvTranspose2dParams {
        in_channels: 1,
        out_channels: 1,
        kernel: (kh, kw),
        groups: 1,
        bias: false,
        ..*p
    };
    let (oh, ow) = p.out_hw(h, w)?;
    let mut out = vec![0.0f32; oh * ow];
    let (mut scatters, mut partials) = (Vec::with_capacity(h * w), Vec::with_capacity(h * w));
    // The output coordinate of input index `i` and kernel tap `k` on one axis, if not cropped.
    let place = |i: usize, k: usize, s: usize, d: usize, pad: usize, size: usize| {
        (i * s + k * d).checked_sub(pad).filter(|o| *o < size)
    };
    for iy in 0..h {
        for ix in 0..w {
            let v = input.data()[iy * w + ix];
            let mut scatter = Vec::new();
            for ky in 0..kh {
                let Some(oy) = place(iy, ky, p.stride.0, p.dilation.0, p.padding.0, oh) else {
                    continue;
                };
                for kx in 0..kw {
                    let Some(ox) = place(ix, kx, p.stride.1, p.dilation.1, p.padding.1, ow) else {
                        continue;
                    };
                    out[oy * ow + ox] += v * kernel.data()[ky * kw + kx];
                    scatter.push((oy * ow + ox, ky * kw + kx));
                }
            }
            scatters.push(scatter);
            partials.push(out.clone());
        }
    }
    let x4 = input.clone().reshape(&[1, 1, h, w])?;
    let w4 = kernel.clone().reshape(&[1, 1, kh, kw])?;
    let output = ReferenceBackend
        .conv_transpose2d_forward(&x4, &w4, None, &p)?
        .reshape(&[oh, ow])?;
    let as_gradient = ReferenceBackend
        .conv2d_backward_input(&x4, &w4, &p.as_conv(), (oh, ow))?
        .reshape(&[oh, ow])?;
    Ok(TransposeSteps {
        out_hw: (oh, ow),
        scatters,
        partials,
        output,
        as_gradient,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(k: usize, s: usize, p: usize, op: usize, d: usize) -> ConvTranspose2dParams {
        ConvTranspose2dParams {
            stride: (s, s),
            padding: (p, p),
            output_padding: (op, op),
            dilation: (d, d),
            ..ConvTranspose2dParams::new(1, 1, k)
        }
    }

    /// `F.conv_transpose2d(torch.tensor([[[[1., 2.], [3., 4.]]]]), torch.ones(1, 1, 2, 2),
    /// stride=2)` is each value copied into its own 2 × 2 block.
    #[test]
    fn stride_two_ones_kernel_makes_blocks() {
        let x = Tensor::new(&[2, 2], vec![1., 2., 3., 4.]).expect("x");
        let k = Tensor::new(&[2, 2], vec![1.; 4]).expect("k");
        let s = conv_transpose2d_steps(&x, &k, &params(2, 2, 0, 0, 1)).expect("steps");
        assert_eq!(s.out_hw, (4, 4));
        let want = [
            1., 1., 2., 2., 1., 1., 2., 2., 3., 3., 4., 4., 3., 3., 4., 4.,
        ];
        assert_eq!(s.output.data(), want);
        assert_eq!(s.partials.last().map(Vec::as_slice), Some(&want[..]));
        assert_eq!(s.scatters[1], [(2, 0), (3, 1), (6, 2), (7, 3)]);
    }

    /// `F.conv_transpose2d(torch.tensor([[[[1., 2.], [3., 4.]]]]),
    /// torch.tensor([[[[1., 2.], [3., 4.]]]]))` (stride 1): a full convolution.
    #[test]
    fn stride_one_is_a_full_convolution() {
        let x = Tensor::new(&[2, 2], vec![1., 2., 3., 4.]).expect("x");
        let s = conv_transpose2d_steps(&x, &x, &params(2, 1, 0, 0, 1)).expect("steps");
        assert_eq!(s.output.data(), [1., 4., 4., 6., 20., 16., 9., 24., 16.]);
    }

    /// Odd settings: every partial ends at the reference output, which is the matching
    /// convolution's input gradient; padding crops, output_padding adds a row and column.
    #[test]
    fn steps_equal_the_reference_and_the_gradient_on_odd_settings() {
        let x = Tensor::from_fn(&[3, 4], |i| (i as f32) - 5.0);
        let k = Tensor::from_fn(&[3, 3], |i| ((i * 7) % 5) as f32 - 2.0);
        for (s, p, op, d) in [
            (1, 0, 0, 1),
            (2, 1, 1, 1),
            (3, 2, 2, 1),
            (2, 0, 1, 2),
            (1, 1, 0, 2),
        ] {
            let prm = params(3, s, p, op, d);
            let st = conv_transpose2d_steps(&x, &k, &prm).expect("steps");
            assert_eq!(st.partials.len(), 12);
            assert_eq!(
                st.partials.last().map(Vec::as_slice),
                Some(st.output.data())
            );
            assert_eq!(st.as_gradient.data(), st.output.data(), "{prm:?}");
            let (oh, ow) = st.out_hw;
            assert_eq!(oh, (3 - 1) * s - 2 * p + d * 2 + op + 1);
            assert_eq!(ow, (4 - 1) * s - 2 * p + d * 2 + op + 1);
        }
        assert_eq!(
            out_size_formula(3, 3, 2, 1, 1, 1),
            "(3 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 6"
        );
        assert_eq!(
            out_size_formula(1, 1, 1, 1, 0, 1),
            "(1 − 1)·1 − 2·1 + 1·(1 − 1) + 0 + 1 = —"
        );
        assert!(pytorch_code(3, 4, &params(3, 2, 1, 1, 1)).contains(
            "ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1, output_padding=1, dilation=1, bias=False)\nprint(up(x).shape)  # torch.Size([1, 1, 6, 8])"
        ));
        // Padding that removes everything is the core's shape error, not a panic.
        assert!(conv_transpose2d_steps(&x, &k, &params(3, 1, 5, 0, 1)).is_err());
    }
}
