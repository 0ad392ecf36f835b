//! Which cells a sliding window links, for the explorers' hover mapping: the input cells an
//! output reads (its window; with dilation only the taps) and the outputs an input cell feeds
//! (padding, stride and dilation included), in padded-input coordinates (row 0 is the first
//! padding row). Also the colour scale of a grid of values ([`Scale`]): grey for images,
//! blue–white–red for signed values and gradients, with the levels the cells are drawn at.
//!
//! The rule, PyTorch's: output `(oy, ox)` reads padded cell `(oy·s + ky·d, ox·s + kx·d)` for
//! every tap `(ky, kx)`; so padded cell `(py, px)` feeds output `oy` when `py − ky·d = oy·s`
//! for some tap row `ky` (and the same for columns), with `oy` inside the output.

use crate::error::Result;
use crate::layers::{Conv2dParams, Pool2dParams};

/// A window sliding over a padded input (one axis pair): kernel, stride, padding, dilation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sliding {
    /// Kernel `(height, width)`.
    pub kernel: (usize, usize),
    /// Step `(vertical, horizontal)`.
    pub stride: (usize, usize),
    /// Padding `(top/bottom, left/right)`.
    pub padding: (usize, usize),
    /// Spacing of taps `(vertical, horizontal)`.
    pub dilation: (usize, usize),
}

impl From<&Conv2dParams> for Sliding {
    fn from(p: &Conv2dParams) -> Self {
        Sliding {
            kernel: p.kernel,
            stride: p.stride,
            padding: p.padding,
            dilation: p.dilation,
        }
    }
}

impl From<&Pool2dParams> for Sliding {
    fn from(p: &Pool2dParams) -> Self {
        Sliding {
            kernel: p.kernel,
            stride: p.stride,
            padding: p.padding,
            dilation: (1, 1),
        }
    }
}

/// Output positions along one axis that read padded position `pos`, for an output of `out`.
fn fed_1d(pos: usize, k: usize, s: usize, d: usize, out: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (0..k)
        .filter_map(|t| pos.checked_sub(t * d))
        .filter(|start| start % s == 0 && start / s < out)
        .map(|start| start / s)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

impl Sliding {
    /// Output `(height, width)` for an `h × w` input (PyTorch's formula; an error when the
    /// window does not fit).
    pub fn out_hw(&self, h: usize, w: usize) -> Result<(usize, usize)> {
        let mut c = Conv2dParams::new(1, 1, 1);
        c.kernel = self.kernel;
        c.stride = self.stride;
        c.padding = self.padding;
        c.dilation = self.dilation;
        c.out_hw(h, w)
    }

    /// The padded-input cells `(row, col)` output `(oy, ox)` reads, one per tap, in kernel order.
    pub fn window(&self, oy: usize, ox: usize) -> Vec<(usize, usize)> {
        let (kh, kw) = self.kernel;
        (0..kh * kw)
            .map(|i| {
                let (ky, kx) = (i / kw, i % kw);
                (
                    oy * self.stride.0 + ky * self.dilation.0,
                    ox * self.stride.1 + kx * self.dilation.1,
                )
            })
            .collect()
    }

    /// The padded rectangle the window of `(oy, ox)` spans: `(top, left, height, width)`.
    pub fn span(&self, oy: usize, ox: usize) -> (usize, usize, usize, usize) {
        let ext = |k: usize, d: usize| (k.max(1) - 1) * d + 1;
        (
            oy * self.stride.0,
            ox * self.stride.1,
            ext(self.kernel.0, self.dilation.0),
            ext(self.kernel.1, self.dilation.1),
        )
    }

    /// The outputs `(oy, ox)` (row-major) that read padded cell `(py, px)` of an `h × w`
    /// input; empty for a cell no tap lands on.
    pub fn fed_by(&self, py: usize, px: usize, h: usize, w: usize) -> Result<Vec<(usize, usize)>> {
        let (oh, ow) = self.out_hw(h, w)?;
        let rows = fed_1d(py, self.kernel.0, self.stride.0, self.dilation.0, oh);
        let cols = fed_1d(px, self.kernel.1, self.stride.1, self.dilation.1, ow);
        Ok(rows
            .iter()
            .flat_map(|&y| cols.iter().map(move |&x| (y, x)))
            .collect())
    }
}

/// How a grid's values become colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Palette {
    /// Grey ramp: the smallest value is paper, the largest ink (images, values ≥ 0).
    Grey,
    /// Blue (negative) – paper (0) – red (positive), symmetric around 0 (signed values,
    /// gradients).
    Diverging,
}

impl Palette {
    /// Grey for values that are all ≥ 0 (an image), diverging when any is negative.
    pub fn for_values(values: &[f32]) -> Palette {
        if values.iter().any(|v| *v < 0.0) {
            Palette::Diverging
        } else {
            Palette::Grey
        }
    }
}

/// The colour scale of one grid: its palette and its smallest and largest values (the legend).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// The palette.
    pub palette: Palette,
    /// The smallest value (the legend's left end).
    pub lo: f32,
    /// The largest value (the legend's right end).
    pub hi: f32,
}

impl Scale {
    /// The scale of `values` (non-finite values ignored; 0 … 0 when there are none).
    pub fn of(values: &[f32], palette: Palette) -> Scale {
        let finite = values.iter().copied().filter(|v| v.is_finite());
        let lo = finite.clone().fold(f32::INFINITY, f32::min);
        let hi = finite.fold(f32::NEG_INFINITY, f32::max);
        if lo > hi {
            return Scale {
                palette,
                lo: 0.0,
                hi: 0.0,
            };
        }
        Scale { palette, lo, hi }
    }

    /// The colour level of `v`: grey 0 (paper) … 1 (ink) from `lo` to `hi`; diverging −1 (full
    /// blue) … 0 (paper) … 1 (full red), `v` over the largest magnitude.
    pub fn level(&self, v: f32) -> f32 {
        let l = match self.palette {
            Palette::Grey if self.hi > self.lo => (v - self.lo) / (self.hi - self.lo),
            Palette::Grey => 0.0,
            Palette::Diverging => {
                let m = self.lo.abs().max(self.hi.abs());
                if m > 0.0 { v / m } else { 0.0 }
            }
        };
        if l.is_finite() {
            l.clamp(-1.0, 1.0)
        } else {
            0.0
        }
    }

    /// The legend's colour stops, left to right: `(position 0…1, level)`; a diverging scale
    /// that crosses 0 has a stop at 0.
    pub fn stops(&self) -> Vec<(f32, f32)> {
        let mut v = vec![(0.0, self.level(self.lo))];
        if self.palette == Palette::Diverging && self.lo < 0.0 && self.hi > 0.0 {
            v.push((-self.lo / (self.hi - self.lo), 0.0));
        }
        v.push((1.0, self.level(self.hi)));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PyTorch's rule written out by brute force: every output's window, inverted.
    fn brute_fed(s: &Sliding, py: usize, px: usize, h: usize, w: usize) -> Vec<(usize, usize)> {
        let (oh, ow) = s.out_hw(h, w).unwrap();
        let mut v = vec![];
        for oy in 0..oh {
            for ox in 0..ow {
                if s.window(oy, ox).contains(&(py, px)) {
                    v.push((oy, ox));
                }
            }
        }
        v
    }

    fn conv(k: usize, s: usize, p: usize, d: usize) -> Sliding {
        Sliding {
            kernel: (k, k),
            stride: (s, s),
            padding: (p, p),
            dilation: (d, d),
        }
    }

    #[test]
    fn stride_2_padding_1_dilation_2_on_7x7() {
        let s = conv(3, 2, 1, 2);
        assert_eq!(s.out_hw(7, 7).unwrap(), (3, 3));
        // Output (0, 1) reads padded rows 0, 2, 4 and columns 2, 4, 6 (row 0 is padding).
        assert_eq!(
            s.window(0, 1),
            vec![
                (0, 2),
                (0, 4),
                (0, 6),
                (2, 2),
                (2, 4),
                (2, 6),
                (4, 2),
                (4, 4),
                (4, 6)
            ]
        );
        assert_eq!(s.span(0, 1), (0, 2, 5, 5));
        // Input x[3, 3] is padded (4, 4): taps 2, 1, 0 land there from outputs 0, 1, 2.
        assert_eq!(s.fed_by(4, 4, 7, 7).unwrap().len(), 9);
        // x[1, 1] = padded (2, 2): outputs 0 and 1 on each axis.
        assert_eq!(
            s.fed_by(2, 2, 7, 7).unwrap(),
            vec![(0, 0), (0, 1), (1, 0), (1, 1)]
        );
        // x[2, 2] = padded (3, 3): odd, and every tap of stride 2 · dilation 2 is even.
        assert!(s.fed_by(3, 3, 7, 7).unwrap().is_empty());
    }

    #[test]
    fn fed_by_inverts_window_for_every_setting() {
        for k in 1..=4 {
            for st in 1..=3 {
                for p in 0..=2 {
                    for d in 1..=3 {
                        let s = conv(k, st, p, d);
                        let n = 7;
                        if s.out_hw(n, n).is_err() {
                            continue;
                        }
                        let side = n + 2 * p;
                        for py in 0..side {
                            for px in 0..side {
                                assert_eq!(
                                    s.fed_by(py, px, n, n).unwrap(),
                                    brute_fed(&s, py, px, n, n),
                                    "k{k} s{st} p{p} d{d} at ({py}, {px})"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn scales_and_stops() {
        let g = Scale::of(&[0.0, 4.5, 9.0], Palette::Grey);
        assert_eq!((g.lo, g.hi), (0.0, 9.0));
        assert_eq!(g.level(4.5), 0.5);
        assert_eq!(g.stops(), vec![(0.0, 0.0), (1.0, 1.0)]);
        let v = [-2.0, 1.0, 4.0];
        assert_eq!(Palette::for_values(&v), Palette::Diverging);
        let d = Scale::of(&v, Palette::Diverging);
        assert_eq!(
            (d.level(-2.0), d.level(0.0), d.level(4.0)),
            (-0.5, 0.0, 1.0)
        );
        assert_eq!(d.stops(), vec![(0.0, -0.5), (1.0 / 3.0, 0.0), (1.0, 1.0)]);
        let flat = Scale::of(&[3.0, 3.0], Palette::Grey);
        assert_eq!(flat.level(3.0), 0.0);
        assert_eq!(Scale::of(&[], Palette::Diverging).level(1.0), 0.0);
        assert_eq!(Scale::of(&[f32::NAN, 1.0], Palette::Grey).lo, 1.0);
    }
}
