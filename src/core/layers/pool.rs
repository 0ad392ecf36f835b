//! Pooling parameters (`nn.MaxPool2d`, `nn.AvgPool2d`) and their shape rules.

use super::conv_out_size;
use crate::error::{Result, ShapeError};

/// The parameters of 2-D max or average pooling.
///
/// # Shapes
/// input `[batch, channels, h, w]` → output `[batch, channels, out_h, out_w]`: pooling works
/// within each channel, so the channel count never changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pool2dParams {
    /// Window `(height, width)`.
    pub kernel: (usize, usize),
    /// Step `(vertical, horizontal)`; PyTorch's default is the kernel size.
    pub stride: (usize, usize),
    /// Implicit padding (−∞ for max, 0 for average), at most half the kernel.
    pub padding: (usize, usize),
}

impl Pool2dParams {
    /// `MaxPool2d(k)` / `AvgPool2d(k)`: stride defaults to the kernel size, no padding.
    pub fn new(k: usize) -> Self {
        Self {
            kernel: (k, k),
            stride: (k, k),
            padding: (0, 0),
        }
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

    /// Output `(height, width)` for an input of `(height, width)`.
    pub fn out_hw(&self, h: usize, w: usize) -> Result<(usize, usize)> {
        for (p, k) in [
            (self.padding.0, self.kernel.0),
            (self.padding.1, self.kernel.1),
        ] {
            if p > k / 2 {
                return Err(ShapeError::PoolPaddingTooLarge {
                    padding: p,
                    kernel: k,
                    max: k / 2,
                });
            }
        }
        let oh = conv_out_size("height", h, self.kernel.0, self.stride.0, self.padding.0, 1)?;
        let ow = conv_out_size("width", w, self.kernel.1, self.stride.1, self.padding.1, 1)?;
        Ok((oh, ow))
    }

    /// Output shape for an NCHW input shape.
    pub fn output_shape(&self, input: [usize; 4]) -> Result<[usize; 4]> {
        let [n, c, h, w] = input;
        let (oh, ow) = self.out_hw(h, w)?;
        Ok([n, c, oh, ow])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_stride_is_kernel() {
        assert_eq!(
            Pool2dParams::new(2).output_shape([1, 10, 24, 24]),
            Ok([1, 10, 12, 12])
        );
        assert_eq!(Pool2dParams::new(2).out_hw(4, 4), Ok((2, 2)));
        assert_eq!(
            Pool2dParams::new(3).stride(1).padding(1).out_hw(5, 5),
            Ok((5, 5))
        );
    }

    #[test]
    fn padding_limit() {
        let err = Pool2dParams::new(2).padding(2).out_hw(8, 8).unwrap_err();
        assert!(err.to_string().contains("at most half"), "{err}");
    }
}
