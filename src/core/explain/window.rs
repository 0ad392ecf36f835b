//! Where a convolution's output value reads its input: the window of one output position, in
//! input coordinates (negative rows or columns lie in the padding). The explorers' volume
//! drawings mark it on every input channel slice the chosen kernel reads.

use crate::layers::Conv2dParams;

/// The input window of one output position: its top-left corner (in input coordinates; negative
/// inside the padding) and its extent (the dilated kernel's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputWindow {
    /// First input row (negative inside the top padding).
    pub top: isize,
    /// First input column (negative inside the left padding).
    pub left: isize,
    /// Rows covered: `dilation · (kh − 1) + 1`.
    pub height: usize,
    /// Columns covered: `dilation · (kw − 1) + 1`.
    pub width: usize,
}

/// The window that output position `(oy, ox)` of a convolution with `p` reads.
pub fn input_window(p: &Conv2dParams, (oy, ox): (usize, usize)) -> InputWindow {
    let extent = |k: usize, d: usize| d * k.saturating_sub(1) + 1;
    InputWindow {
        top: (oy * p.stride.0) as isize - p.padding.0 as isize,
        left: (ox * p.stride.1) as isize - p.padding.1 as isize,
        height: extent(p.kernel.0, p.dilation.0),
        width: extent(p.kernel.1, p.dilation.1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_moves_by_the_stride_and_starts_in_the_padding() {
        let p = Conv2dParams::new(3, 4, 3).padding(1).stride(2);
        let w = input_window(&p, (0, 0));
        assert_eq!((w.top, w.left, w.height, w.width), (-1, -1, 3, 3));
        let w = input_window(&p, (1, 2));
        assert_eq!((w.top, w.left), (1, 3));
    }

    #[test]
    fn dilation_widens_the_window() {
        let p = Conv2dParams::new(1, 1, 3).dilation(2);
        let w = input_window(&p, (0, 0));
        assert_eq!((w.height, w.width), (5, 5));
    }
}
