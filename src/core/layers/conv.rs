//! Convolution parameters (`nn.Conv2d`, `nn.ConvTranspose2d`) and their shape rules.

use super::conv_out_size;
use crate::error::{Result, ShapeError};

/// The parameters of a 2-D convolution, as `torch.nn.Conv2d` takes them.
///
/// # Shapes
/// - input: `[batch, in_channels, height, width]`
/// - weight: `[out_channels, in_channels / groups, kernel_h, kernel_w]`
/// - bias: `[out_channels]`
/// - output: `[batch, out_channels, out_h, out_w]` (see [`Conv2dParams::out_hw`])
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Conv2dParams {
    /// Input channels.
    pub in_channels: usize,
    /// Output channels (one kernel each).
    pub out_channels: usize,
    /// Kernel `(height, width)`.
    pub kernel: (usize, usize),
    /// Step `(vertical, horizontal)`.
    pub stride: (usize, usize),
    /// Rings of zeros `(top/bottom, left/right)`.
    pub padding: (usize, usize),
    /// Spacing of kernel taps `(vertical, horizontal)`.
    pub dilation: (usize, usize),
    /// Channel groups (1: every output sees every input channel).
    pub groups: usize,
    /// Whether there is a bias per output channel.
    pub bias: bool,
}

impl Conv2dParams {
    /// `Conv2d(in_channels, out_channels, kernel_size=k)` with PyTorch's defaults: stride 1,
    /// no padding, dilation 1, one group, bias on.
    pub fn new(in_channels: usize, out_channels: usize, k: usize) -> Self {
        Self {
            in_channels,
            out_channels,
            kernel: (k, k),
            stride: (1, 1),
            padding: (0, 0),
            dilation: (1, 1),
            groups: 1,
            bias: true,
        }
    }

    /// With a non-square kernel.
    pub fn kernel_hw(mut self, h: usize, w: usize) -> Self {
        self.kernel = (h, w);
        self
    }

    /// With the same stride on both axes.
    pub fn stride(mut self, s: usize) -> Self {
        self.stride = (s, s);
        self
    }

    /// With the same padding on both axes.
    pub fn padding(mut self, p: usize) -> Self {
        self.padding = (p, p);
        self
    }

    /// With the same dilation on both axes.
    pub fn dilation(mut self, d: usize) -> Self {
        self.dilation = (d, d);
        self
    }

    /// With `g` groups.
    pub fn groups(mut self, g: usize) -> Self {
        self.groups = g;
        self
    }

    /// With or without bias.
    pub fn bias(mut self, bias: bool) -> Self {
        self.bias = bias;
        self
    }

    /// Checks channel counts and groups (sizes that need no input).
    pub fn validate(&self) -> Result<()> {
        for (what, v) in [
            ("in_channels", self.in_channels),
            ("out_channels", self.out_channels),
            ("groups", self.groups),
        ] {
            if v == 0 {
                return Err(ShapeError::Zero { what });
            }
        }
        check_groups(self.in_channels, self.out_channels, self.groups)
    }

    /// Input channels per group (the weight's second dimension).
    pub fn in_per_group(&self) -> usize {
        self.in_channels / self.groups
    }

    /// Output channels per group.
    pub fn out_per_group(&self) -> usize {
        self.out_channels / self.groups
    }

    /// `[out_channels, in_channels / groups, kernel_h, kernel_w]`.
    pub fn weight_shape(&self) -> [usize; 4] {
        [
            self.out_channels,
            self.in_per_group(),
            self.kernel.0,
            self.kernel.1,
        ]
    }

    /// Output `(height, width)` for an input of `(height, width)`, by PyTorch's formula.
    pub fn out_hw(&self, h: usize, w: usize) -> Result<(usize, usize)> {
        self.validate()?;
        let oh = conv_out_size(
            "height",
            h,
            self.kernel.0,
            self.stride.0,
            self.padding.0,
            self.dilation.0,
        )?;
        let ow = conv_out_size(
            "width",
            w,
            self.kernel.1,
            self.stride.1,
            self.padding.1,
            self.dilation.1,
        )?;
        Ok((oh, ow))
    }

    /// Output shape for an NCHW input shape; checks the input's channel count.
    pub fn output_shape(&self, input: [usize; 4]) -> Result<[usize; 4]> {
        let [n, c, h, w] = input;
        if c != self.in_channels {
            return Err(ShapeError::Mismatch {
                what: "conv2d input".into(),
                expected: format!("(N, {}, H, W)", self.in_channels),
                got: input.to_vec(),
            });
        }
        let (oh, ow) = self.out_hw(h, w)?;
        Ok([n, self.out_channels, oh, ow])
    }

    /// Number of learnable parameters, counted in u64 (no wrap-around for huge layers on wasm32).
    pub fn param_count_u64(&self) -> u64 {
        self.weight_shape()
            .iter()
            .map(|&d| d as u64)
            .product::<u64>()
            + if self.bias {
                self.out_channels as u64
            } else {
                0
            }
    }

    /// Number of learnable parameters (weights plus bias).
    pub fn param_count(&self) -> usize {
        self.weight_shape().iter().product::<usize>()
            + if self.bias { self.out_channels } else { 0 }
    }

    /// Multiplications for one image of `(h, w)`: each output value takes
    /// `in_per_group · kernel_h · kernel_w` of them. Counted in u64 with checked arithmetic: a
    /// count that does not fit is [`ShapeError::TooLarge`], never a wrapped number.
    pub fn mults(&self, h: usize, w: usize) -> Result<u64> {
        let (oh, ow) = self.out_hw(h, w)?;
        [oh, ow, self.in_per_group(), self.kernel.0, self.kernel.1]
            .iter()
            .try_fold(self.out_channels as u64, |acc, &d| {
                acc.checked_mul(d as u64)
            })
            .ok_or(ShapeError::TooLarge {
                what: "the number of multiplications",
                limit: u64::MAX,
            })
    }
}

fn check_groups(in_channels: usize, out_channels: usize, groups: usize) -> Result<()> {
    if !in_channels.is_multiple_of(groups) {
        return Err(ShapeError::GroupsDoNotDivide {
            what: "input",
            channels: in_channels,
            groups,
        });
    }
    if !out_channels.is_multiple_of(groups) {
        return Err(ShapeError::GroupsDoNotDivide {
            what: "output",
            channels: out_channels,
            groups,
        });
    }
    Ok(())
}

/// The parameters of a transposed convolution, as `torch.nn.ConvTranspose2d` takes them.
///
/// # Shapes
/// - input: `[batch, in_channels, height, width]`
/// - weight: `[in_channels, out_channels / groups, kernel_h, kernel_w]`
/// - output: `[batch, out_channels, (h−1)·stride − 2·padding + dilation·(k−1) + output_padding + 1, …]`
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConvTranspose2dParams {
    /// Input channels.
    pub in_channels: usize,
    /// Output channels.
    pub out_channels: usize,
    /// Kernel `(height, width)`.
    pub kernel: (usize, usize),
    /// Stride `(vertical, horizontal)`.
    pub stride: (usize, usize),
    /// Padding removed from the output `(vertical, horizontal)`.
    pub padding: (usize, usize),
    /// Extra rows/columns added on one side of the output.
    pub output_padding: (usize, usize),
    /// Kernel tap spacing.
    pub dilation: (usize, usize),
    /// Channel groups.
    pub groups: usize,
    /// Whether there is a bias per output channel.
    pub bias: bool,
}

impl ConvTranspose2dParams {
    /// `ConvTranspose2d(in_channels, out_channels, kernel_size=k)` with PyTorch's defaults.
    pub fn new(in_channels: usize, out_channels: usize, k: usize) -> Self {
        Self {
            in_channels,
            out_channels,
            kernel: (k, k),
            stride: (1, 1),
            padding: (0, 0),
            output_padding: (0, 0),
            dilation: (1, 1),
            groups: 1,
            bias: true,
        }
    }

    /// `[in_channels, out_channels / groups, kernel_h, kernel_w]`.
    pub fn weight_shape(&self) -> [usize; 4] {
        [
            self.in_channels,
            self.out_channels / self.groups.max(1),
            self.kernel.0,
            self.kernel.1,
        ]
    }

    /// Output `(height, width)` for an input of `(height, width)`.
    pub fn out_hw(&self, h: usize, w: usize) -> Result<(usize, usize)> {
        if self.groups == 0 {
            return Err(ShapeError::Zero { what: "groups" });
        }
        check_groups(self.in_channels, self.out_channels, self.groups)?;
        let axis = |name: &'static str,
                    i: usize,
                    k: usize,
                    s: usize,
                    p: usize,
                    op: usize,
                    d: usize| {
            for (what, v) in [
                ("kernel size", k),
                ("stride", s),
                ("dilation", d),
                ("input size", i),
            ] {
                if v == 0 {
                    return Err(ShapeError::Zero { what });
                }
            }
            let full = (i - 1) * s + d * (k - 1) + op + 1;
            if 2 * p >= full {
                return Err(ShapeError::Mismatch {
                    what: format!("conv_transpose2d {name}: padding {p} removes the whole output"),
                    expected: format!("padding < {}", full.div_ceil(2)),
                    got: vec![i],
                });
            }
            if op >= s && op >= d {
                return Err(ShapeError::Mismatch {
                    what: format!(
                        "conv_transpose2d {name}: output_padding must be smaller than stride or dilation"
                    ),
                    expected: format!("output_padding < {}", s.max(d)),
                    got: vec![op],
                });
            }
            Ok(full - 2 * p)
        };
        let oh = axis(
            "height",
            h,
            self.kernel.0,
            self.stride.0,
            self.padding.0,
            self.output_padding.0,
            self.dilation.0,
        )?;
        let ow = axis(
            "width",
            w,
            self.kernel.1,
            self.stride.1,
            self.padding.1,
            self.output_padding.1,
            self.dilation.1,
        )?;
        Ok((oh, ow))
    }

    /// The convolution whose input gradient this transposed convolution computes: same kernel,
    /// stride, padding, dilation and groups, with the channel roles swapped.
    pub fn as_conv(&self) -> Conv2dParams {
        Conv2dParams {
            in_channels: self.out_channels,
            out_channels: self.in_channels,
            kernel: self.kernel,
            stride: self.stride,
            padding: self.padding,
            dilation: self.dilation,
            groups: self.groups,
            bias: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_example_conv2d_5_10_3() {
        // Conv2d(5, 10, kernel_size=3) on (1, 5, 100, 100) → (1, 10, 98, 98); weight (10, 5, 3, 3).
        let p = Conv2dParams::new(5, 10, 3);
        assert_eq!(p.output_shape([1, 5, 100, 100]), Ok([1, 10, 98, 98]));
        assert_eq!(p.weight_shape(), [10, 5, 3, 3]);
    }

    #[test]
    fn lesson_net_parameter_counts() {
        assert_eq!(Conv2dParams::new(1, 10, 5).param_count(), 260);
        assert_eq!(Conv2dParams::new(10, 20, 5).param_count(), 5020);
    }

    #[test]
    fn lesson_inception_cost() {
        // 5×5 conv 192→32 at 28×28 (padding 2): 120,422,400 multiplications.
        assert_eq!(
            Conv2dParams::new(192, 32, 5).padding(2).mults(28, 28),
            Ok(120_422_400)
        );
        // With a 1×1 to 16 first: 2,408,448 + 10,035,200.
        assert_eq!(Conv2dParams::new(192, 16, 1).mults(28, 28), Ok(2_408_448));
        assert_eq!(
            Conv2dParams::new(16, 32, 5).padding(2).mults(28, 28),
            Ok(10_035_200)
        );
    }

    #[test]
    fn groups_must_divide() {
        let err = Conv2dParams::new(6, 4, 3).groups(4).validate().unwrap_err();
        assert!(
            err.to_string()
                .contains("input channels (6) must be divisible by groups (4)"),
            "{err}"
        );
    }

    #[test]
    fn wrong_input_channels() {
        let err = Conv2dParams::new(3, 4, 3)
            .output_shape([1, 2, 8, 8])
            .unwrap_err();
        assert!(err.to_string().contains("(N, 3, H, W)"), "{err}");
    }

    #[test]
    fn transpose_sizes() {
        // ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1) on 5×5 → 10×10.
        let mut p = ConvTranspose2dParams::new(4, 2, 3);
        p.stride = (2, 2);
        p.padding = (1, 1);
        p.output_padding = (1, 1);
        assert_eq!(p.out_hw(5, 5), Ok((10, 10)));
        assert_eq!(p.weight_shape(), [4, 2, 3, 3]);
    }
}
