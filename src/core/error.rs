//! Errors of the compute core. Each message says what is wrong *and what to change*, because a
//! learner reads them on screen.

use thiserror::Error;

/// A shape or parameter problem found before any arithmetic runs.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
pub enum ShapeError {
    /// The (dilated) kernel does not fit in the padded input.
    #[error(
        "the {axis} kernel span {span} (kernel {kernel}, dilation {dilation}) is larger than the padded input \
         {padded} (input {input} + 2 × padding {padding}): use a smaller kernel or dilation, or more padding"
    )]
    KernelTooLarge {
        /// "height" or "width".
        axis: &'static str,
        /// dilation·(k−1)+1.
        span: usize,
        /// Kernel size on this axis.
        kernel: usize,
        /// Dilation on this axis.
        dilation: usize,
        /// Input size on this axis.
        input: usize,
        /// Padding on this axis.
        padding: usize,
        /// input + 2·padding.
        padded: usize,
    },
    /// Channels are not divisible by the number of groups.
    #[error(
        "{what} channels ({channels}) must be divisible by groups ({groups}): change the channels or the groups"
    )]
    GroupsDoNotDivide {
        /// "input" or "output".
        what: &'static str,
        /// The channel count.
        channels: usize,
        /// The group count.
        groups: usize,
    },
    /// A size or step that must be at least 1 is 0.
    #[error("{what} must be at least 1, got 0")]
    Zero {
        /// Which parameter.
        what: &'static str,
    },
    /// Padding too large for pooling (PyTorch: at most half the kernel).
    #[error(
        "pooling padding {padding} must be at most half the kernel size {kernel}: use padding ≤ {max}"
    )]
    PoolPaddingTooLarge {
        /// The padding.
        padding: usize,
        /// The kernel size.
        kernel: usize,
        /// kernel / 2.
        max: usize,
    },
    /// A tensor does not have the shape an operation needs.
    #[error("{what}: expected shape {expected}, got {got:?}")]
    Mismatch {
        /// What was being checked.
        what: String,
        /// The expected shape, in words such as "(N, 3, H, W)".
        expected: String,
        /// The actual shape.
        got: Vec<usize>,
    },
    /// A count (multiplications, features) does not fit in the integer that holds it.
    #[error(
        "{what} is too large to count (more than {limit}): use fewer channels, a smaller image or a smaller kernel"
    )]
    TooLarge {
        /// What was being counted.
        what: &'static str,
        /// The largest count that fits.
        limit: u64,
    },
    /// The compute device failed (a GPU readback, a lost device).
    #[error("the compute device failed: {0}")]
    Device(String),
    /// Data length does not match the shape.
    #[error("a tensor of shape {shape:?} needs {expected} values, got {got}")]
    DataLength {
        /// The shape.
        shape: Vec<usize>,
        /// Its element count.
        expected: usize,
        /// The data's length.
        got: usize,
    },
}

/// Results of the compute core.
pub type Result<T, E = ShapeError> = std::result::Result<T, E>;
