//! Layer parameters and shape rules, with no arithmetic.
//!
//! Every shape in convscope (what the UI draws, what the CPU and GPU backends allocate, the
//! uniforms sent to WGSL, generated PyTorch code) derives from these structs, so there is one
//! definition of "output size" in the whole program: PyTorch's.

pub mod conv;
pub mod linear;
pub mod pool;

pub use conv::{Conv2dParams, ConvTranspose2dParams};
pub use linear::LinearParams;
pub use pool::Pool2dParams;

use crate::error::{Result, ShapeError};

/// PyTorch's output size along one axis of a convolution or pooling:
/// `floor((input + 2·padding − dilation·(kernel−1) − 1) / stride) + 1`.
pub fn conv_out_size(
    axis: &'static str,
    input: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
    dilation: usize,
) -> Result<usize> {
    for (what, v) in [
        ("kernel size", kernel),
        ("stride", stride),
        ("dilation", dilation),
        ("input size", input),
    ] {
        if v == 0 {
            return Err(ShapeError::Zero { what });
        }
    }
    let span = dilation * (kernel - 1) + 1;
    let padded = input + 2 * padding;
    if span > padded {
        return Err(ShapeError::KernelTooLarge {
            axis,
            span,
            kernel,
            dilation,
            input,
            padding,
            padded,
        });
    }
    Ok((padded - span) / stride + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_sizes() {
        // 5×5 with 3×3 → 3; padding 1 → 5; stride 2 → 2.
        assert_eq!(conv_out_size("width", 5, 3, 1, 0, 1), Ok(3));
        assert_eq!(conv_out_size("width", 5, 3, 1, 1, 1), Ok(5));
        assert_eq!(conv_out_size("width", 5, 3, 2, 0, 1), Ok(2));
        // dilation 2 makes a 3-tap kernel span 5.
        assert_eq!(conv_out_size("width", 7, 3, 1, 0, 2), Ok(3));
    }

    #[test]
    fn too_large_kernel_says_what_to_change() {
        let err = conv_out_size("height", 4, 5, 1, 0, 1).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("height kernel span 5") && msg.contains("more padding"),
            "{msg}"
        );
        assert_eq!(conv_out_size("height", 4, 5, 1, 1, 1), Ok(2));
    }

    #[test]
    fn zero_is_rejected() {
        assert_eq!(
            conv_out_size("width", 5, 3, 0, 0, 1),
            Err(ShapeError::Zero { what: "stride" })
        );
    }
}
