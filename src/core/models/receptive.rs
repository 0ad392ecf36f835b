//! Receptive fields: which square of the input image a unit of a layer's output depends on.
//!
//! Walking the layers from the input, each keeps three numbers (the usual recurrence, e.g.
//! Araujo et al., "Computing receptive fields of convolutional neural networks", Distill 2019):
//! - `size`: the side of the square a unit sees, in input pixels;
//! - `jump`: how far apart, in input pixels, two neighbouring units' squares start;
//! - `start`: where unit 0's square starts (negative when padding reaches past the edge).
//!
//! A `k × k` conv or pool with stride `s` and padding `p` gives `size + (k − 1)·jump`,
//! `jump·s` and `start − p·jump`. A `ResidualBlock` is two 3 × 3 convs with padding 1; an
//! `InceptionA` unit sees as far as its widest branch (the 5 × 5, or the two 3 × 3 in a row:
//! both add 4·jump). ReLU keeps the field; after a flatten every feature may depend on the
//! whole image, so flatten and Linear have none here.
//!
//! The lesson's Net: conv1 5 × 5, after the pool 6 × 6, conv2 (before pooling) 14 × 14, after
//! the second pool 16 × 16.

use super::builder::Layer;
use serde::Serialize;

/// A unit's receptive field (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Side of the square, in input pixels.
    pub size: usize,
    /// Input pixels between neighbouring units' squares.
    pub jump: usize,
    /// Where unit 0's square starts (row and column alike).
    pub start: isize,
}

impl Field {
    /// A pixel of the input itself.
    pub const INPUT: Field = Field {
        size: 1,
        jump: 1,
        start: 0,
    };

    fn grow(self, k: usize, stride: usize, padding: usize) -> Field {
        self.through_window(k, stride, padding, 1)
    }

    /// The field after a `k × k` window (conv or pool) with `stride`, `padding` and `dilation`:
    /// the window spans `dilation·(k − 1) + 1` of the units before it.
    ///
    /// Saturating: the builder allows layers whose fields pass any integer (4096-wide kernels
    /// with 4096 strides), and a saturated field is still "the whole image".
    pub fn through_window(self, k: usize, stride: usize, padding: usize, dilation: usize) -> Field {
        let reach = isize::try_from(padding.saturating_mul(self.jump)).unwrap_or(isize::MAX);
        let span = k.saturating_sub(1).saturating_mul(dilation);
        Field {
            size: self.size.saturating_add(span.saturating_mul(self.jump)),
            jump: self.jump.saturating_mul(stride),
            start: self.start.saturating_sub(reach),
        }
    }

    /// The field after the course's `ResidualBlock` (two 3 × 3 convs, padding 1).
    pub fn through_residual(self) -> Field {
        self.grow(3, 1, 1).grow(3, 1, 1)
    }

    /// The field after `InceptionA`: its widest branch (the 5 × 5, or two 3 × 3 in a row).
    pub fn through_inception(self) -> Field {
        self.grow(5, 1, 2)
    }

    /// The square unit `(y, x)` sees, clipped to an `h × w` input: `(top, left, bottom, right)`
    /// with bottom and right exclusive; empty when it lies wholly in the padding.
    pub fn window(&self, y: usize, x: usize, h: usize, w: usize) -> (usize, usize, usize, usize) {
        let clip = |from: isize, limit: usize| {
            from.clamp(0, isize::try_from(limit).unwrap_or(isize::MAX)) as usize
        };
        let at = |i: usize| {
            self.start
                .saturating_add(isize::try_from(i.saturating_mul(self.jump)).unwrap_or(isize::MAX))
        };
        let (top, left) = (at(y), at(x));
        let size = isize::try_from(self.size).unwrap_or(isize::MAX);
        (
            clip(top, h),
            clip(left, w),
            clip(top.saturating_add(size), h),
            clip(left.saturating_add(size), w),
        )
    }
}

/// The field after `layer`, from the field before it; `None` once the features are flat.
pub fn through(layer: &Layer, field: Option<Field>) -> Option<Field> {
    let f = field?;
    match *layer {
        Layer::Conv {
            k, stride, padding, ..
        } => Some(f.grow(k, stride, padding)),
        Layer::MaxPool { k } => Some(f.grow(k, k, 0)),
        Layer::Relu => Some(f),
        Layer::Residual { .. } => Some(f.through_residual()),
        Layer::Inception { .. } => Some(f.through_inception()),
        Layer::Flatten | Layer::Linear { .. } => None,
    }
}

/// The field after each layer, in order.
pub fn fields(layers: &[Layer]) -> Vec<Option<Field>> {
    layers
        .iter()
        .scan(Some(Field::INPUT), |f, layer| {
            *f = through(layer, *f);
            Some(*f)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::builder::{lesson_inception, lesson_net, lesson_resnet};

    fn sizes(layers: &[Layer]) -> Vec<Option<usize>> {
        fields(layers).iter().map(|f| f.map(|f| f.size)).collect()
    }

    #[test]
    fn the_lesson_nets_fields() {
        // conv1 5, pool 6, relu 6, conv2 14 (before pooling), pool 16, relu 16, flatten, fc.
        assert_eq!(
            sizes(&lesson_net()),
            [
                Some(5),
                Some(6),
                Some(6),
                Some(14),
                Some(16),
                Some(16),
                None,
                None
            ]
        );
        // conv1 5, relu, pool 6 (jump 2), rblock1 6 + 4·2, conv2 14 + 4·2, relu, pool 24
        // (jump 4), rblock2 24 + 4·4 = 40: wider than the 28 × 28 digit.
        assert_eq!(
            sizes(&lesson_resnet()),
            [
                Some(5),
                Some(5),
                Some(6),
                Some(14),
                Some(22),
                Some(22),
                Some(24),
                Some(40),
                None,
                None
            ]
        );
        assert_eq!(sizes(&lesson_inception())[3], Some(14));
        assert_eq!(sizes(&lesson_inception())[4], Some(22));
    }

    #[test]
    fn windows_follow_stride_and_padding() {
        let f = fields(&lesson_net())[3].expect("conv2");
        assert_eq!((f.size, f.jump, f.start), (14, 2, 0));
        // conv2 output (0, 0) sees rows and columns 0..14; (7, 7) sees 14..28.
        assert_eq!(f.window(0, 0, 28, 28), (0, 0, 14, 14));
        assert_eq!(f.window(7, 7, 28, 28), (14, 14, 28, 28));
        // A padded 3 × 3 conv: unit (0, 0) starts one pixel outside, clipped to the image.
        let padded = fields(&[Layer::conv(1, 1, 3, 2, 1)])[0].expect("conv");
        assert_eq!(padded.start, -1);
        assert_eq!(padded.window(0, 0, 5, 5), (0, 0, 2, 2));
        assert_eq!(padded.window(1, 2, 5, 5), (1, 3, 4, 5));
    }

    #[test]
    fn huge_layers_saturate_instead_of_wrapping() {
        let layers = vec![Layer::conv(1, 1, 4096, 4096, 4096); 64];
        let f = fields(&layers)[63].expect("a field");
        assert_eq!(
            (f.size, f.jump, f.start),
            (usize::MAX, usize::MAX, isize::MIN)
        );
        assert_eq!(f.window(3, 3, 28, 28), (0, 0, 28, 28));
    }
}
