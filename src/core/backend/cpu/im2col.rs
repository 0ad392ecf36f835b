//! im2col and col2im: the bridge between convolution and matrix multiply.
//!
//! For one image and one group, `im2col` writes the matrix `col[K × P]` with
//! `K = in_per_group · kh · kw` rows (one per kernel tap) and `P = out_h · out_w` columns (one
//! per output position): `col[(icg·kh + ky)·kw + kx, oy·out_w + ox] = x[ic, iy, ix]`, or 0 in the
//! padding. Then the convolution is `W_g[out_per_group × K] · col`. `col2im` is its adjoint: it
//! adds each column entry back onto the pixel it came from (the input gradient).
//!
//! Both take the row stride `ld` of `col`, so that several images can sit side by side in one
//! wide matrix (image `i` in columns `i·P .. (i+1)·P`) and share one large GEMM.
//! `im2col_packed` writes the same wide matrix in the GEMM's packed-B layout instead (panels of
//! `NR` columns), so that the forward pass skips the GEMM's own packing copy; `im2col_packed_t`
//! writes its transpose for a block of positions in that layout (the weight gradient's B).

use super::gemm::{self, NR};
use crate::layers::Conv2dParams;

/// Geometry shared by im2col and col2im.
#[derive(Clone, Copy, Debug)]
pub struct Geometry {
    /// Input `(h, w)`.
    pub in_hw: (usize, usize),
    /// Output `(h, w)`.
    pub out_hw: (usize, usize),
}

impl Geometry {
    /// `(h, w, out_w, output positions per image, taps per group)` for `p`.
    fn sizes(&self, p: &Conv2dParams) -> (usize, usize, usize, usize, usize) {
        let ((h, w), (oh, ow)) = (self.in_hw, self.out_hw);
        let taps = p.in_per_group() * p.kernel.0 * p.kernel.1;
        (h, w, ow, oh * ow, taps)
    }
}

/// The first output index `o` whose tap `k` lands inside the input, and one past the last.
fn valid_range(
    k: usize,
    stride: usize,
    padding: usize,
    dilation: usize,
    input: usize,
    output: usize,
) -> (usize, usize) {
    // i = o·s + k·d − p must satisfy 0 ≤ i < input.
    let offset = k * dilation;
    let lo = if offset >= padding {
        0
    } else {
        (padding - offset).div_ceil(stride)
    };
    let hi = if input + padding <= offset {
        0
    } else {
        (input + padding - offset).div_ceil(stride).min(output)
    };
    (lo.min(hi), hi)
}

/// Fills `col` (`K × P`, row stride `ld`) from `x_group` (the group's `in_per_group` input planes).
pub fn im2col(x_group: &[f32], p: &Conv2dParams, g: &Geometry, col: &mut [f32], ld: usize) {
    let (h, w) = g.in_hw;
    let (oh, ow) = g.out_hw;
    let plane = oh * ow;
    let mut row = 0;
    for icg in 0..p.in_per_group() {
        let x_plane = &x_group[icg * h * w..(icg + 1) * h * w];
        for ky in 0..p.kernel.0 {
            let (oy_lo, oy_hi) = valid_range(ky, p.stride.0, p.padding.0, p.dilation.0, h, oh);
            for kx in 0..p.kernel.1 {
                let (ox_lo, ox_hi) = valid_range(kx, p.stride.1, p.padding.1, p.dilation.1, w, ow);
                let dst = &mut col[row * ld..row * ld + plane];
                // Zero only what the padding covers: whole rows above and below the valid
                // range, and the ends of the valid rows.
                dst[..oy_lo * ow].fill(0.0);
                dst[oy_hi * ow..].fill(0.0);
                if ox_lo > 0 || ox_hi < ow {
                    for oy in oy_lo..oy_hi {
                        dst[oy * ow..oy * ow + ox_lo].fill(0.0);
                        dst[oy * ow + ox_hi..(oy + 1) * ow].fill(0.0);
                    }
                }
                for oy in oy_lo..oy_hi {
                    let iy = oy * p.stride.0 + ky * p.dilation.0 - p.padding.0;
                    let src_row = &x_plane[iy * w..(iy + 1) * w];
                    let dst_row = &mut dst[oy * ow..(oy + 1) * ow];
                    if p.stride.1 == 1 {
                        let ix0 = ox_lo + kx * p.dilation.1 - p.padding.1;
                        dst_row[ox_lo..ox_hi].copy_from_slice(&src_row[ix0..ix0 + (ox_hi - ox_lo)]);
                    } else {
                        for ox in ox_lo..ox_hi {
                            dst_row[ox] =
                                src_row[ox * p.stride.1 + kx * p.dilation.1 - p.padding.1];
                        }
                    }
                }
                row += 1;
            }
        }
    }
}

/// im2col of `images` images straight into the GEMM's packed-B layout ([`gemm::packed_b_index`]):
/// column `j = i·P + oy·out_w + ox` of image `i`, in panels of [`NR`] columns, with the columns
/// past the last image zero. `x` starts at the first image's group planes; image `i`'s are at
/// `i · image_stride`. A panel whose columns lie in one output row (the usual case) copies
/// contiguous input runs per tap; other panels go column by column.
pub fn im2col_packed(
    x: &[f32],
    image_stride: usize,
    images: usize,
    p: &Conv2dParams,
    g: &Geometry,
    out: &mut Vec<f32>,
) {
    let (h, w, ow, plane, k) = g.sizes(p);
    let (kh, kw) = p.kernel;
    let n = images * plane;
    out.resize(gemm::packed_b_len(k, n), 0.0);
    if k == 0 || n == 0 {
        return;
    }
    let (sy, sx) = (p.stride.0 as isize, p.stride.1 as isize);
    let (dy, dx) = (p.dilation.0 as isize, p.dilation.1 as isize);
    let (py, px) = (p.padding.0 as isize, p.padding.1 as isize);
    let (hi, wi) = (h as isize, w as isize);
    for (q, panel) in out.chunks_exact_mut(NR * k).enumerate() {
        let j0 = q * NR;
        let cols = NR.min(n - j0);
        let (i0, r0) = (j0 / plane, j0 % plane);
        let (oy0, ox0) = (r0 / ow, r0 % ow);
        if cols == NR && ox0 + NR <= ow {
            // One output row: tap (icg, ky, kx) reads input row iy at ix0, ix0 + sx, …
            let img = &x[i0 * image_stride..];
            let y0 = oy0 as isize * sy - py;
            let x0 = ox0 as isize * sx - px;
            let mut taps = panel.chunks_exact_mut(NR);
            for icg in 0..p.in_per_group() {
                let x_plane = &img[icg * h * w..(icg + 1) * h * w];
                for ky in 0..kh {
                    let iy = y0 + ky as isize * dy;
                    let row = (0..hi)
                        .contains(&iy)
                        .then(|| &x_plane[iy as usize * w..(iy as usize + 1) * w]);
                    for kx in 0..kw {
                        let dst = taps.next().expect("k taps");
                        let Some(row) = row else {
                            dst.fill(0.0);
                            continue;
                        };
                        let ix0 = x0 + kx as isize * dx;
                        if sx == 1 && ix0 >= 0 && ix0 + NR as isize <= wi {
                            let ix0 = ix0 as usize;
                            dst.copy_from_slice(&row[ix0..ix0 + NR]);
                        } else {
                            for (s, d) in dst.iter_mut().enumerate() {
                                let ix = ix0 + s as isize * sx;
                                *d = if (0..wi).contains(&ix) {
                                    row[ix as usize]
                                } else {
                                    0.0
                                };
                            }
                        }
                    }
                }
            }
            continue;
        }
        // Columns across rows or images, or past the end: one column at a time.
        for s in 0..NR {
            let j = j0 + s;
            if j >= n {
                for t in 0..k {
                    panel[t * NR + s] = 0.0;
                }
                continue;
            }
            let (i, r) = (j / plane, j % plane);
            let img = &x[i * image_stride..];
            let y0 = (r / ow) as isize * sy - py;
            let x0 = (r % ow) as isize * sx - px;
            let mut t = 0;
            for icg in 0..p.in_per_group() {
                let x_plane = &img[icg * h * w..(icg + 1) * h * w];
                for ky in 0..kh {
                    let iy = y0 + ky as isize * dy;
                    for kx in 0..kw {
                        let ix = x0 + kx as isize * dx;
                        panel[t * NR + s] = if (0..hi).contains(&iy) && (0..wi).contains(&ix) {
                            x_plane[iy as usize * w + ix as usize]
                        } else {
                            0.0
                        };
                        t += 1;
                    }
                }
            }
        }
    }
}

/// The transpose of im2col for a block of output positions, in the GEMM's packed-B layout: the
/// weight gradient's `B = colᵀ` (positions × taps) for positions `j0 .. j0+kb` of the chunk
/// (position `j = i·P + oy·out_w + ox` of image `i`), as panels of [`NR`] taps, each `kb` rows of
/// `NR` values ([`gemm::packed_b_index`] with `k = kb`); taps past the last and the padding are
/// zero. `x` starts at the chunk's first image's group planes; image `i`'s are at
/// `i · image_stride`. It replaces im2col followed by the GEMM's own packing of `colᵀ` (one
/// write and one read of the whole `col` matrix fewer), output row by output row, tap by tap.
#[allow(clippy::too_many_arguments)]
pub fn im2col_packed_t(
    x: &[f32],
    image_stride: usize,
    p: &Conv2dParams,
    g: &Geometry,
    j0: usize,
    kb: usize,
    out: &mut Vec<f32>,
) {
    let (h, w, ow, plane, k) = g.sizes(p);
    let (kh, kw) = p.kernel;
    out.clear();
    out.resize(gemm::packed_b_len(kb, k), 0.0);
    if plane == 0 {
        return;
    }
    // Each tap's valid output columns, the same for every row.
    let cols: Vec<(usize, usize)> = (0..kw)
        .map(|kx| valid_range(kx, p.stride.1, p.padding.1, p.dilation.1, w, ow))
        .collect();
    let mut pos = 0;
    while pos < kb {
        let j = j0 + pos;
        let (i, r) = (j / plane, j % plane);
        let (oy, ox0) = (r / ow, r % ow);
        let len = (ow - ox0).min(kb - pos);
        let img = &x[i * image_stride..];
        let mut t = 0;
        for icg in 0..p.in_per_group() {
            let x_plane = &img[icg * h * w..(icg + 1) * h * w];
            for ky in 0..kh {
                let iy = (oy * p.stride.0 + ky * p.dilation.0) as isize - p.padding.0 as isize;
                if iy < 0 || iy >= h as isize {
                    t += kw; // padding rows: already zero
                    continue;
                }
                let row = &x_plane[iy as usize * w..(iy as usize + 1) * w];
                for (kx, &(lo, hi)) in cols.iter().enumerate() {
                    let (lo, hi) = (lo.max(ox0), hi.min(ox0 + len));
                    if lo < hi {
                        // Position pos + (ox − ox0) of tap t.
                        let panel = &mut out[(t / NR) * NR * kb..(t / NR + 1) * NR * kb];
                        let lane = t % NR;
                        let start = (pos + lo - ox0) * NR + lane;
                        let dst = panel[start..].iter_mut().step_by(NR);
                        if p.stride.1 == 1 {
                            let ix0 = lo + kx * p.dilation.1 - p.padding.1;
                            for (d, s) in dst.zip(&row[ix0..ix0 + (hi - lo)]) {
                                *d = *s;
                            }
                        } else {
                            for (d, ox) in dst.zip(lo..hi) {
                                *d = row[ox * p.stride.1 + kx * p.dilation.1 - p.padding.1];
                            }
                        }
                    }
                    t += 1;
                }
            }
        }
        pos += len;
    }
}

/// Adds `col` (`K × P`, row stride `ld`) back onto `dx_group` (the group's input-gradient planes): the adjoint
/// of [`im2col`].
pub fn col2im(col: &[f32], ld: usize, p: &Conv2dParams, g: &Geometry, dx_group: &mut [f32]) {
    let (h, w) = g.in_hw;
    let (oh, ow) = g.out_hw;
    let plane = oh * ow;
    let mut row = 0;
    for icg in 0..p.in_per_group() {
        let dx_plane = &mut dx_group[icg * h * w..(icg + 1) * h * w];
        for ky in 0..p.kernel.0 {
            let (oy_lo, oy_hi) = valid_range(ky, p.stride.0, p.padding.0, p.dilation.0, h, oh);
            for kx in 0..p.kernel.1 {
                let (ox_lo, ox_hi) = valid_range(kx, p.stride.1, p.padding.1, p.dilation.1, w, ow);
                let src = &col[row * ld..row * ld + plane];
                for oy in oy_lo..oy_hi {
                    let iy = oy * p.stride.0 + ky * p.dilation.0 - p.padding.0;
                    let dst_row = &mut dx_plane[iy * w..(iy + 1) * w];
                    let src_row = &src[oy * ow..(oy + 1) * ow];
                    if p.stride.1 == 1 {
                        // Contiguous on both sides: a plain slice add, which vectorises.
                        let ix0 = ox_lo + kx * p.dilation.1 - p.padding.1;
                        let dst = &mut dst_row[ix0..ix0 + (ox_hi - ox_lo)];
                        for (d, s) in dst.iter_mut().zip(&src_row[ox_lo..ox_hi]) {
                            *d += s;
                        }
                    } else {
                        for ox in ox_lo..ox_hi {
                            dst_row[ox * p.stride.1 + kx * p.dilation.1 - p.padding.1] +=
                                src_row[ox];
                        }
                    }
                }
                row += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_range_matches_brute_force() {
        for input in 1..7 {
            for k in 0..4 {
                for stride in 1..4 {
                    for padding in 0..3 {
                        for dilation in 1..3 {
                            let output = 9;
                            let ok: Vec<usize> = (0..output)
                                .filter(|&o| {
                                    let i = (o * stride + k * dilation) as isize - padding as isize;
                                    i >= 0 && (i as usize) < input
                                })
                                .collect();
                            let (lo, hi) = valid_range(k, stride, padding, dilation, input, output);
                            assert_eq!(
                                (lo..hi).collect::<Vec<_>>(),
                                ok,
                                "in {input} k {k} s {stride} p {padding} d {dilation}"
                            );
                        }
                    }
                }
            }
        }
    }

    /// `im2col_packed_t` against `im2col` read through the packed layout, on odd shapes:
    /// padding, stride, dilation, groups, blocks that start mid-row and cross images.
    #[test]
    fn packed_transpose_matches_im2col() {
        let shapes = [
            // (cin, groups, h, w, kernel, stride, padding, dilation)
            (1, 1, 28, 28, (5, 5), (1, 1), (0, 0), (1, 1)),
            (10, 1, 12, 12, (5, 5), (1, 1), (0, 0), (1, 1)),
            (3, 1, 7, 6, (3, 3), (1, 1), (1, 1), (1, 1)),
            (4, 2, 9, 8, (3, 2), (2, 1), (1, 0), (1, 2)),
            (2, 1, 6, 7, (1, 1), (1, 1), (0, 0), (1, 1)),
            (2, 1, 8, 8, (3, 3), (2, 2), (2, 1), (2, 1)),
        ];
        for (cin, groups, h, w, kernel, stride, padding, dilation) in shapes {
            let mut p = Conv2dParams::new(cin, 2 * groups, kernel.0).groups(groups);
            (p.kernel, p.stride, p.padding, p.dilation) = (kernel, stride, padding, dilation);
            let yd = p.output_shape([3, cin, h, w]).expect("shape");
            let g = Geometry {
                in_hw: (h, w),
                out_hw: (yd[2], yd[3]),
            };
            let plane = yd[2] * yd[3];
            let k = p.in_per_group() * kernel.0 * kernel.1;
            let images = 3;
            let x: Vec<f32> = (0..images * cin * h * w)
                .map(|i| ((i * 37) % 101) as f32 - 50.0)
                .collect();
            let image_stride = cin * h * w;
            // The reference: im2col of each image of group 1 (or 0), side by side.
            let group = groups - 1;
            let cols = images * plane;
            let mut col = vec![f32::NAN; k * cols];
            for i in 0..images {
                let at = i * image_stride + group * p.in_per_group() * h * w;
                let xg = &x[at..at + p.in_per_group() * h * w];
                im2col(xg, &p, &g, &mut col[i * plane..], cols);
            }
            let x_group = &x[group * p.in_per_group() * h * w..];
            for (j0, kb) in [
                (0, cols),
                (1, cols - 1),
                (plane + 3, 5.min(cols - plane - 3)),
            ] {
                let mut out = vec![f32::NAN; 3];
                im2col_packed_t(x_group, image_stride, &p, &g, j0, kb, &mut out);
                assert_eq!(out.len(), gemm::packed_b_len(kb, k));
                for t in 0..k.div_ceil(NR) * NR {
                    for pos in 0..kb {
                        let got = out[gemm::packed_b_index(kb, pos, t)];
                        let want = if t < k { col[t * cols + j0 + pos] } else { 0.0 };
                        assert_eq!(
                            got.to_bits(),
                            want.to_bits(),
                            "{p:?} j0 {j0} tap {t} pos {pos}"
                        );
                    }
                }
            }
        }
    }
}
