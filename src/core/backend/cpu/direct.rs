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
