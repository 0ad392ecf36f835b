//! The weight gradient of a small stride-1 convolution, computed directly: no im2col.
//!
//! `dW[co][ci][kh][kw] = Σ_{n, r, c} dy[n][co][r][c] · x[n][ci][r + kh][c + kw]`. For one input
//! channel and kernel row, a block of up to 5 taps `kw` and two output channels keep 10 vector
//! accumulators in registers while the loop walks the output rows 4 columns at a time: each
//! step loads the two output-gradient vectors once and the input row at the block's 5 shifts
//! (overlapping unaligned loads), and makes 10 multiply-adds. Lanes are summed at the end, the
//! columns past the last full vector in scalar code.
//!
//! Against im2col + GEMM it skips writing `colᵀ` (one value per tap and position: as many
//! stores as the GEMM has multiply-adds per output channel), which dominates when there are few
//! output channels and taps, as in the lesson's Net (10 and 20 channels, 5 × 5 kernels).
//!
//! The forward pass of a layer with very few taps per output (a first layer: one input
//! channel, 5 × 5) is direct too ([`conv2d_forward`]): an output row's vectors (up to 6, 24
//! columns) stay in registers while each tap adds its weight times the input row at the tap's
//! shift, so there is no `col` matrix (25 copies of the image) to write and read back.

use super::f32x4::F32x4;
use crate::layers::Conv2dParams;

/// Taps a block takes at most (2 × 5 accumulators, with the 3 operands, fit in 16 registers).
const TAPS: usize = 5;

/// Whether [`conv2d_backward_weight`] computes this convolution's weight gradient: one group,
/// stride and dilation 1, no padding, and at most 256 values per `col` column (small layers,
/// where writing `colᵀ` costs about as much as the GEMM it feeds).
pub fn applies(p: &Conv2dParams) -> bool {
    p.groups == 1
        && p.stride == (1, 1)
        && p.dilation == (1, 1)
        && p.padding == (0, 0)
        && p.in_channels * p.kernel.0 * p.kernel.1 <= 256
}

/// `dw` (`[cout, cin, kh, kw]`, overwritten) from `x` (`xd = [n, cin, h, w]`) and `dy`
/// (`yd = [n, cout, h - kh + 1, w - kw + 1]`). The caller checks the shapes ([`applies`]).
pub fn conv2d_backward_weight(
    x: &[f32],
    xd: [usize; 4],
    dy: &[f32],
    yd: [usize; 4],
    kernel: (usize, usize),
    dw: &mut [f32],
) {
    let (kh_n, kw_n) = kernel;
    let (cin, cout) = (xd[1], yd[1]);
    if xd[0] == 0 || yd[2] == 0 || yd[3] == 0 {
        dw.fill(0.0);
        return;
    }
    let at = Shapes { xd, yd };
    for co0 in (0..cout).step_by(2) {
        // An odd last channel is paired with itself; its copy is dropped.
        let co1 = (co0 + 1).min(cout - 1);
        for ci in 0..cin {
            for kh in 0..kh_n {
                let mut kw0 = 0;
                while kw0 < kw_n {
                    let width = (kw_n - kw0).min(TAPS);
                    let spot = Spot {
                        co: [co0, co1],
                        ci,
                        kh,
                        kw0,
                    };
                    let sums = match width {
                        1 => widen(block::<1>(x, dy, &at, &spot)),
                        2 => widen(block::<2>(x, dy, &at, &spot)),
                        3 => widen(block::<3>(x, dy, &at, &spot)),
                        4 => widen(block::<4>(x, dy, &at, &spot)),
                        _ => block::<TAPS>(x, dy, &at, &spot),
                    };
                    for (o, co) in [co0, co1].into_iter().enumerate() {
                        let row = &mut dw[((co * cin + ci) * kh_n + kh) * kw_n + kw0..][..width];
                        row.copy_from_slice(&sums[o][..width]);
                    }
                    kw0 += width;
                }
            }
        }
    }
}

struct Shapes {
    xd: [usize; 4],
    yd: [usize; 4],
}

/// Which weights a block computes: two output channels, one input channel, one kernel row,
/// taps from `kw0`.
struct Spot {
    co: [usize; 2],
    ci: usize,
    kh: usize,
    kw0: usize,
}

fn widen<const W: usize>(s: [[f32; W]; 2]) -> [[f32; TAPS]; 2] {
    let mut out = [[0.0; TAPS]; 2];
    for (o, s) in out.iter_mut().zip(s) {
        o[..W].copy_from_slice(&s);
    }
    out
}

fn hsum(v: F32x4) -> f32 {
    let mut o = [0.0f32; 4];
    // SAFETY: `o` holds 4 values.
    unsafe { v.store(o.as_mut_ptr()) };
    (o[0] + o[1]) + (o[2] + o[3])
}

/// `W` taps of two output channels' gradients, summed over images and positions.
///
/// Rows are short (8 columns in the Net's second layer), so the per-row work is pointer
/// arithmetic only: the shapes were checked once by the caller.
#[inline(always)]
fn block<const W: usize>(x: &[f32], dy: &[f32], at: &Shapes, s: &Spot) -> [[f32; W]; 2] {
    let [n_img, cin, h, w] = at.xd;
    let [_, cout, oh, ow] = at.yd;
    let vecs = ow / 4 * 4;
    let zero = F32x4::splat(0.0);
    let (mut a0, mut a1) = ([zero; W], [zero; W]);
    let (mut t0, mut t1) = ([0.0f32; W], [0.0f32; W]);
    for n in 0..n_img {
        // The first rows this image reads: the input row at the block's first tap, and the two
        // channels' output-gradient rows.
        let x_at = ((n * cin + s.ci) * h + s.kh) * w + s.kw0;
        let d0_at = (n * cout + s.co[0]) * oh * ow;
        let d1_at = (n * cout + s.co[1]) * oh * ow;
        // The last values read: row oh - 1 at column ow + W - 2, and at column ow - 1.
        assert!(x_at + (oh - 1) * w + ow + W - 1 <= x.len());
        assert!(d0_at.max(d1_at) + oh * ow <= dy.len());
        for r in 0..oh {
            // SAFETY: the asserts above bound every offset: for r < oh, c + 3 < ow and
            // k < W, x_at + r·w + c + k + 3 < x_at + (oh − 1)·w + ow + W − 1 ≤ x.len(), and
            // d_at + r·ow + c + 3 < d_at + oh·ow ≤ dy.len().
            unsafe {
                let xr = x.as_ptr().add(x_at + r * w);
                let d0 = dy.as_ptr().add(d0_at + r * ow);
                let d1 = dy.as_ptr().add(d1_at + r * ow);
                let mut c = 0;
                while c < vecs {
                    let g0 = F32x4::load(d0.add(c));
                    let g1 = F32x4::load(d1.add(c));
                    for k in 0..W {
                        let xv = F32x4::load(xr.add(c + k));
                        a0[k] = a0[k].mul_add(g0, xv);
                        a1[k] = a1[k].mul_add(g1, xv);
                    }
                    c += 4;
                }
                for c in vecs..ow {
                    let (g0, g1) = (*d0.add(c), *d1.add(c));
                    for k in 0..W {
                        let xv = *xr.add(c + k);
                        t0[k] += g0 * xv;
                        t1[k] += g1 * xv;
                    }
                }
            }
        }
    }
    let mut out = [[0.0; W]; 2];
    for k in 0..W {
        out[0][k] = hsum(a0[k]) + t0[k];
        out[1][k] = hsum(a1[k]) + t1[k];
    }
    out
}

/// Whether [`conv2d_forward`] computes this convolution: as [`applies`], with at most 32 taps
/// per output (one input channel and a kernel up to 5 × 5 or so: a first layer).
pub fn applies_forward(p: &Conv2dParams) -> bool {
    applies(p) && p.in_channels * p.kernel.0 * p.kernel.1 <= 32
}

/// Output vectors a row chunk keeps in registers at most.
const ROW_VECS: usize = 6;

/// `y` (`yd = [n, cout, h - kh + 1, w - kw + 1]`, overwritten) `= x ⋆ weight + bias`, for `x`
/// (`xd = [n, cin, h, w]`) and `weight` (`[cout, cin, kh, kw]`).
pub fn conv2d_forward(
    x: &[f32],
    xd: [usize; 4],
    weight: &[f32],
    bias: Option<&[f32]>,
    yd: [usize; 4],
    kernel: (usize, usize),
    y: &mut [f32],
) {
    let [n_img, cout, oh, ow] = yd;
    let [_, cin, h, w] = xd;
    let taps = cin * kernel.0 * kernel.1;
    assert!(x.len() >= n_img * cin * h * w && y.len() >= n_img * cout * oh * ow);
    assert!(weight.len() >= cout * taps && oh + kernel.0 - 1 <= h && ow + kernel.1 - 1 <= w);
    for n in 0..n_img {
        for co in 0..cout {
            let b = bias.map_or(0.0, |b| b[co]);
            let wk = &weight[co * taps..(co + 1) * taps];
            for r in 0..oh {
                let out = &mut y[((n * cout + co) * oh + r) * ow..][..ow];
                let row = Row {
                    x,
                    xd,
                    n,
                    r,
                    kernel,
                };
                let mut c = 0;
                while c + 4 <= ow {
                    let vecs = ((ow - c) / 4).min(ROW_VECS);
                    match vecs {
                        1 => row_chunk::<1>(&row, wk, b, c, out),
                        2 => row_chunk::<2>(&row, wk, b, c, out),
                        3 => row_chunk::<3>(&row, wk, b, c, out),
                        4 => row_chunk::<4>(&row, wk, b, c, out),
                        5 => row_chunk::<5>(&row, wk, b, c, out),
                        _ => row_chunk::<ROW_VECS>(&row, wk, b, c, out),
                    }
                    c += 4 * vecs;
                }
                for (c, o) in out.iter_mut().enumerate().skip(c) {
                    *o = row.scalar(wk, b, c);
                }
            }
        }
    }
}

/// One output row's inputs.
struct Row<'a> {
    x: &'a [f32],
    xd: [usize; 4],
    n: usize,
    r: usize,
    kernel: (usize, usize),
}

impl Row<'_> {
    /// Where input row `r + kh` of channel `ci` starts.
    fn at(&self, ci: usize, kh: usize) -> usize {
        let [_, cin, h, w] = self.xd;
        ((self.n * cin + ci) * h + self.r + kh) * w
    }

    /// Output column `c`, in scalar code (the columns past the last full vector).
    fn scalar(&self, wk: &[f32], b: f32, c: usize) -> f32 {
        let (kh_n, kw_n) = self.kernel;
        let mut sum = 0.0;
        for ci in 0..self.xd[1] {
            for kh in 0..kh_n {
                let xr = &self.x[self.at(ci, kh) + c..][..kw_n];
                let wr = &wk[(ci * kh_n + kh) * kw_n..][..kw_n];
                for (xv, wv) in xr.iter().zip(wr) {
                    sum += wv * xv;
                }
            }
        }
        sum + b
    }
}

/// Output columns `c0..c0 + 4V` of one row, in `V` vector accumulators.
#[inline(always)]
fn row_chunk<const V: usize>(row: &Row, wk: &[f32], b: f32, c0: usize, out: &mut [f32]) {
    let (kh_n, kw_n) = row.kernel;
    let mut acc = [F32x4::splat(b); V];
    let mut t = 0;
    for ci in 0..row.xd[1] {
        for kh in 0..kh_n {
            // The input row from this chunk's first column, as far as its last tap reads.
            let xr = &row.x[row.at(ci, kh) + c0..][..4 * V + kw_n - 1];
            for kw in 0..kw_n {
                let wv = F32x4::splat(wk[t]);
                t += 1;
                for (v, a) in acc.iter_mut().enumerate() {
                    // SAFETY: kw + 4v + 3 < kw_n - 1 + 4V = xr.len().
                    let xv = unsafe { F32x4::load(xr.as_ptr().add(kw + 4 * v)) };
                    *a = a.mul_add(wv, xv);
                }
            }
        }
    }
    let dst = &mut out[c0..c0 + 4 * V];
    for (v, a) in acc.iter().enumerate() {
        // SAFETY: dst holds 4V values, so offset 4v has 4.
        unsafe { a.store(dst.as_mut_ptr().add(4 * v)) };
    }
}
