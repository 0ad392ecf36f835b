//! Single-precision matrix multiply, `C = A·B` or `C += A·B`, the engine of the SIMD backend.
//!
//! The classic packed algorithm (Goto; BLIS): B is copied in blocks of `KC × NC` into panels
//! `NR` columns wide, A in blocks of `MC × KC` into panels `MR` rows tall, and a micro-kernel
//! keeps an `MR × NR` tile of C in registers (8 vectors of 4 lanes) while it streams one packed
//! panel of each. Packing reads A and B through row and column strides, so transposed operands
//! cost nothing extra. Edges are zero-padded in the packed panels and clipped on store.

use super::f32x4::F32x4;

/// Rows of C per micro-kernel tile.
pub const MR: usize = 4;
/// Columns of C per micro-kernel tile (three vectors).
pub const NR: usize = 12;
const KC: usize = 256;
const MC: usize = 64;
const NC: usize = 2048;

/// A read-only matrix view: element `(i, j)` is `data[i · row_stride + j · col_stride]`.
#[derive(Clone, Copy)]
pub struct MatRef<'a> {
    /// The backing values.
    pub data: &'a [f32],
    /// Distance between rows.
    pub row_stride: usize,
    /// Distance between columns.
    pub col_stride: usize,
}

impl<'a> MatRef<'a> {
    /// A row-major `rows × cols` matrix.
    pub fn row_major(data: &'a [f32], cols: usize) -> Self {
        Self {
            data,
            row_stride: cols,
            col_stride: 1,
        }
    }

    /// The transpose of a row-major matrix with `cols` columns.
    pub fn transposed(data: &'a [f32], cols: usize) -> Self {
        Self {
            data,
            row_stride: 1,
            col_stride: cols,
        }
    }

    #[inline(always)]
    fn at(&self, i: usize, j: usize) -> f32 {
        self.data[i * self.row_stride + j * self.col_stride]
    }
}

/// Reusable packing buffers, so repeated calls allocate nothing.
#[derive(Default)]
pub struct GemmScratch {
    a: Vec<f32>,
    b: Vec<f32>,
}

/// `C[m × n] (row-major, row stride ldc) = A[m × k] · B[k × n]`, or `+=` when `accumulate`.
///
/// Panics if `c` is too short for `m` rows of stride `ldc` (a caller bug, not input data).
#[allow(clippy::too_many_arguments)]
pub fn gemm(
    m: usize,
    n: usize,
    k: usize,
    a: MatRef,
    b: MatRef,
    c: &mut [f32],
    ldc: usize,
    accumulate: bool,
    scratch: &mut GemmScratch,
) {
    if m == 0 || n == 0 {
        return;
    }
    assert!(c.len() >= (m - 1) * ldc + n, "gemm: C is too small");
    if k == 0 {
        if !accumulate {
            for i in 0..m {
                c[i * ldc..i * ldc + n].fill(0.0);
            }
        }
        return;
    }
    for jc in (0..n).step_by(NC) {
        let nc = NC.min(n - jc);
        for pc in (0..k).step_by(KC) {
            let kc = KC.min(k - pc);
            pack_b(&b, pc, kc, jc, nc, &mut scratch.b);
            let add = accumulate || pc > 0;
            for ic in (0..m).step_by(MC) {
                let mc = MC.min(m - ic);
                pack_a(&a, ic, mc, pc, kc, &mut scratch.a);
                for jr in (0..nc).step_by(NR) {
                    let b_panel = &scratch.b[jr * kc..(jr + NR) * kc];
                    for ir in (0..mc).step_by(MR) {
                        let a_panel = &scratch.a[ir * kc..(ir + MR) * kc];
                        let rows = MR.min(mc - ir);
                        let cols = NR.min(nc - jr);
                        let c_off = (ic + ir) * ldc + jc + jr;
                        micro_kernel(kc, a_panel, b_panel, &mut c[c_off..], ldc, rows, cols, add);
                    }
                }
            }
        }
    }
}

/// Packs `A[ic.., pc..]` (`mc × kc`) as panels of `MR` rows: panel-major, then `k`, then row.
fn pack_a(a: &MatRef, ic: usize, mc: usize, pc: usize, kc: usize, buf: &mut Vec<f32>) {
    let panels = mc.div_ceil(MR);
    buf.clear();
    buf.resize(panels * MR * kc, 0.0);
    for panel in 0..panels {
        let dst = &mut buf[panel * MR * kc..(panel + 1) * MR * kc];
        let rows = MR.min(mc - panel * MR);
        // Walk the source along its contiguous axis; the scattered writes stay in this panel.
        if a.col_stride == 1 {
            for r in 0..rows {
                let src = &a.data[(ic + panel * MR + r) * a.row_stride + pc..][..kc];
                for (p, &v) in src.iter().enumerate() {
                    dst[p * MR + r] = v;
                }
            }
        } else {
            for p in 0..kc {
                for r in 0..rows {
                    dst[p * MR + r] = a.at(ic + panel * MR + r, pc + p);
                }
            }
        }
    }
}

/// Packs `B[pc.., jc..]` (`kc × nc`) as panels of `NR` columns: panel-major, then `k`, then column.
fn pack_b(b: &MatRef, pc: usize, kc: usize, jc: usize, nc: usize, buf: &mut Vec<f32>) {
    let panels = nc.div_ceil(NR);
    buf.clear();
    buf.resize(panels * NR * kc, 0.0);
    for panel in 0..panels {
        let dst = &mut buf[panel * NR * kc..(panel + 1) * NR * kc];
        let cols = NR.min(nc - panel * NR);
        let j0 = jc + panel * NR;
        if b.col_stride == 1 && cols == NR {
            for p in 0..kc {
                let start = (pc + p) * b.row_stride + j0;
                dst[p * NR..(p + 1) * NR].copy_from_slice(&b.data[start..start + NR]);
            }
        } else if b.row_stride == 1 {
            for col in 0..cols {
                let src = &b.data[(j0 + col) * b.col_stride + pc..][..kc];
                for (p, &v) in src.iter().enumerate() {
                    dst[p * NR + col] = v;
                }
            }
        } else {
            for p in 0..kc {
                for col in 0..cols {
                    dst[p * NR + col] = b.at(pc + p, j0 + col);
                }
            }
        }
    }
}

/// One `MR × NR` tile: `C (+)= Apanel · Bpanel`, clipped to `rows × cols`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn micro_kernel(
    kc: usize,
    a: &[f32],
    b: &[f32],
    c: &mut [f32],
    ldc: usize,
    rows: usize,
    cols: usize,
    accumulate: bool,
) {
    assert!(a.len() >= kc * MR && b.len() >= kc * NR);
    let zero = F32x4::splat(0.0);
    // The 12 accumulators are named locals, not an array, so that they stay in registers even
    // where the loop is not unrolled (the browser build is optimised for size).
    let (mut c00, mut c01, mut c02) = (zero, zero, zero);
    let (mut c10, mut c11, mut c12) = (zero, zero, zero);
    let (mut c20, mut c21, mut c22) = (zero, zero, zero);
    let (mut c30, mut c31, mut c32) = (zero, zero, zero);
    const _: () = assert!(
        MR == 4 && NR == 12,
        "the kernel is written for a 4 × 12 tile"
    );
    for p in 0..kc {
        // SAFETY: p·NR + 12 ≤ kc·NR ≤ b.len() and p·MR + 4 ≤ kc·MR ≤ a.len() (the assert above).
        let (b0, b1, b2, [a0, a1, a2, a3]) = unsafe {
            let (bp, ap) = (b.as_ptr().add(p * NR), a.as_ptr().add(p * MR));
            (
                F32x4::load(bp),
                F32x4::load(bp.add(4)),
                F32x4::load(bp.add(8)),
                [*ap, *ap.add(1), *ap.add(2), *ap.add(3)].map(F32x4::splat),
            )
        };
        (c00, c01, c02) = (
            c00.mul_add(a0, b0),
            c01.mul_add(a0, b1),
            c02.mul_add(a0, b2),
        );
        (c10, c11, c12) = (
            c10.mul_add(a1, b0),
            c11.mul_add(a1, b1),
            c12.mul_add(a1, b2),
        );
        (c20, c21, c22) = (
            c20.mul_add(a2, b0),
            c21.mul_add(a2, b1),
            c22.mul_add(a2, b2),
        );
        (c30, c31, c32) = (
            c30.mul_add(a3, b0),
            c31.mul_add(a3, b1),
            c32.mul_add(a3, b2),
        );
    }
    let acc = [
        [c00, c01, c02],
        [c10, c11, c12],
        [c20, c21, c22],
        [c30, c31, c32],
    ];
    if rows == MR && cols == NR {
        // A whole tile: straight from the registers into C, no staging copy.
        for (r, row) in acc.iter().enumerate() {
            let dst = &mut c[r * ldc..r * ldc + NR];
            // SAFETY: `dst` holds NR = 12 values, so offsets 0, 4 and 8 each have 4.
            unsafe {
                let d = dst.as_mut_ptr();
                for (v, at) in row.iter().zip([0, 4, 8]) {
                    let v = if accumulate {
                        v.add(F32x4::load(d.add(at)))
                    } else {
                        *v
                    };
                    v.store(d.add(at));
                }
            }
        }
        return;
    }
    let mut tile = [0.0f32; MR * NR];
    for (r, row) in acc.iter().enumerate() {
        // SAFETY: tile has MR·NR values; r·NR + 12 ≤ MR·NR.
        unsafe {
            row[0].store(tile.as_mut_ptr().add(r * NR));
            row[1].store(tile.as_mut_ptr().add(r * NR + 4));
            row[2].store(tile.as_mut_ptr().add(r * NR + 8));
        }
    }
    for r in 0..rows {
        let dst = &mut c[r * ldc..r * ldc + cols];
        let src = &tile[r * NR..r * NR + cols];
        if accumulate {
            for (d, s) in dst.iter_mut().zip(src) {
                *d += s;
            }
        } else {
            for (d, s) in dst.iter_mut().zip(src) {
                *d = *s;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(m: usize, n: usize, k: usize, a: &MatRef, b: &MatRef) -> Vec<f32> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k)
                    .map(|p| a.at(i, p) as f64 * b.at(p, j) as f64)
                    .sum::<f64>() as f32;
            }
        }
        c
    }

    fn values(len: usize, seed: u32) -> Vec<f32> {
        (0..len)
            .map(|i| {
                ((i as u32).wrapping_mul(2_654_435_761).wrapping_add(seed) % 1000) as f32 / 500.0
                    - 1.0
            })
            .collect()
    }

    #[test]
    fn matches_naive_on_odd_sizes_and_layouts() {
        let mut scratch = GemmScratch::default();
        for &(m, n, k) in &[
            (1, 1, 1),
            (3, 5, 7),
            (4, 8, 256),
            (13, 17, 300),
            (65, 9, 2),
            (70, 2100, 3),
        ] {
            let a_data = values(m * k, 1);
            let b_data = values(k * n, 2);
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = if ta {
                    MatRef::transposed(&a_data, m)
                } else {
                    MatRef::row_major(&a_data, k)
                };
                let b = if tb {
                    MatRef::transposed(&b_data, k)
                } else {
                    MatRef::row_major(&b_data, n)
                };
                let expected = naive(m, n, k, &a, &b);
                let mut c = vec![0.5; m * n];
                gemm(m, n, k, a, b, &mut c, n, false, &mut scratch);
                let err = c
                    .iter()
                    .zip(&expected)
                    .map(|(x, y)| (x - y).abs())
                    .fold(0.0, f32::max);
                assert!(err < 1e-4, "({m},{n},{k}) ta={ta} tb={tb}: max err {err}");
                gemm(m, n, k, a, b, &mut c, n, true, &mut scratch);
                let err = c
                    .iter()
                    .zip(&expected)
                    .map(|(x, y)| (x - 2.0 * y).abs())
                    .fold(0.0, f32::max);
                assert!(err < 2e-4, "accumulate ({m},{n},{k}): max err {err}");
            }
        }
    }
}
