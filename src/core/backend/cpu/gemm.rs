//! Single-precision matrix multiply, `C = A·B` or `C += A·B`, the engine of the SIMD backend.
//!
//! The classic packed algorithm (Goto; BLIS): B is copied in blocks of `KC × NC` into panels
//! `NR` columns wide, A in blocks of `MC × KC` into panels `MR` rows tall, and a micro-kernel
//! keeps an `MR × NR` tile of C in registers (10 vectors of 4 lanes) while it streams one packed
//! panel of each. The 5 × 8 tile leaves room in 16 vector registers for the two B vectors, the
//! broadcast A value and the product (no spills on SSE or in V8's wasm code), and it divides the
//! lesson's Net's shapes (10 and 20 output channels, 250 taps, 576- and 64-pixel planes) with
//! little or no padding. Packing reads A and B through row and column strides, so transposed operands
//! cost nothing extra. Edges are zero-padded in the packed panels and clipped on store.

use super::f32x4::F32x4;

/// Rows of C per micro-kernel tile.
pub const MR: usize = 5;
/// Columns of C per micro-kernel tile (two vectors).
pub const NR: usize = 8;
const KC: usize = 256;
/// A multiple of `MR`, so that only the last block of rows has a partial panel.
const MC: usize = 60;
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
    run(m, n, k, a, BSource::Mat(b), c, ldc, accumulate, scratch);
}

/// Most rows of B (the shared dimension `k`) that [`gemm_packed_b`] takes: one `KC` block.
pub const PACKED_K_MAX: usize = KC;

/// Values a packed B of `k × n` holds: `⌈n / NR⌉` panels of `k × NR`.
pub fn packed_b_len(k: usize, n: usize) -> usize {
    n.div_ceil(NR) * NR * k
}

/// Where B's element `(p, j)` sits in a packed B with `k` rows (see [`gemm_packed_b`]).
#[inline(always)]
pub fn packed_b_index(k: usize, p: usize, j: usize) -> usize {
    (j / NR) * NR * k + p * NR + j % NR
}

/// [`gemm`] with B already packed by the caller: panels of [`NR`] columns one after the other,
/// each `k` rows of `NR` values (columns past `n` zero), as [`packed_b_index`] lays it out. The
/// convolution's im2col writes this layout directly, which saves the copy that packing would make.
/// `k` is at most [`PACKED_K_MAX`].
///
/// Panics if `k` is too large or `b` too short (a caller bug).
#[allow(clippy::too_many_arguments)]
pub fn gemm_packed_b(
    m: usize,
    n: usize,
    k: usize,
    a: MatRef,
    b: &[f32],
    c: &mut [f32],
    ldc: usize,
    accumulate: bool,
    scratch: &mut GemmScratch,
) {
    assert!(k <= KC, "gemm_packed_b: k = {k} is more than one block");
    assert!(
        b.len() >= packed_b_len(k, n),
        "gemm_packed_b: B is too short"
    );
    run(m, n, k, a, BSource::Packed(b), c, ldc, accumulate, scratch);
}

/// B as a matrix to pack, or already packed.
enum BSource<'a> {
    Mat(MatRef<'a>),
    Packed(&'a [f32]),
}

const _: () = assert!(NC.is_multiple_of(NR), "column blocks must start on a panel");

#[allow(clippy::too_many_arguments)]
fn run(
    m: usize,
    n: usize,
    k: usize,
    a: MatRef,
    b: BSource,
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
            let b_block: &[f32] = match &b {
                BSource::Mat(b) => {
                    pack_b(b, pc, kc, jc, nc, &mut scratch.b);
                    &scratch.b
                }
                // One k block (kc = k); block jc starts at panel jc / NR.
                BSource::Packed(packed) => &packed[jc * k..],
            };
            let add = accumulate || pc > 0;
            for ic in (0..m).step_by(MC) {
                let mc = MC.min(m - ic);
                pack_a(&a, ic, mc, pc, kc, &mut scratch.a);
                for jr in (0..nc).step_by(NR) {
                    let b_panel = &b_block[jr * kc..(jr + NR) * kc];
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
    // The 10 accumulators are named locals, not an array, so that they stay in registers even
    // where the loop is not unrolled (the browser build is optimised for size).
    let (mut c00, mut c01, mut c10, mut c11, mut c20) = (zero, zero, zero, zero, zero);
    let (mut c21, mut c30, mut c31, mut c40, mut c41) = (zero, zero, zero, zero, zero);
    const _: () = assert!(MR == 5 && NR == 8, "the kernel is written for a 5 × 8 tile");
    for p in 0..kc {
        // SAFETY: p·NR + 8 ≤ kc·NR ≤ b.len() and p·MR + 5 ≤ kc·MR ≤ a.len() (the assert above).
        let (b0, b1, [a0, a1, a2, a3, a4]) = unsafe {
            let (bp, ap) = (b.as_ptr().add(p * NR), a.as_ptr().add(p * MR));
            (
                F32x4::load(bp),
                F32x4::load(bp.add(4)),
                // One broadcast load each (gathering the five into an array first makes the
                // compiler stage them through the stack, which stalls the loop).
                [
                    F32x4::load_splat(ap),
                    F32x4::load_splat(ap.add(1)),
                    F32x4::load_splat(ap.add(2)),
                    F32x4::load_splat(ap.add(3)),
                    F32x4::load_splat(ap.add(4)),
                ],
            )
        };
        (c00, c01) = (c00.mul_add(a0, b0), c01.mul_add(a0, b1));
        (c10, c11) = (c10.mul_add(a1, b0), c11.mul_add(a1, b1));
        (c20, c21) = (c20.mul_add(a2, b0), c21.mul_add(a2, b1));
        (c30, c31) = (c30.mul_add(a3, b0), c31.mul_add(a3, b1));
        (c40, c41) = (c40.mul_add(a4, b0), c41.mul_add(a4, b1));
    }
    let acc = [[c00, c01], [c10, c11], [c20, c21], [c30, c31], [c40, c41]];
    if rows == MR && cols == NR {
        // A whole tile: straight from the registers into C, no staging copy.
        for (r, row) in acc.iter().enumerate() {
            let dst = &mut c[r * ldc..r * ldc + NR];
            // SAFETY: `dst` holds NR = 8 values, so offsets 0 and 4 each have 4.
            unsafe {
                let d = dst.as_mut_ptr();
                for (v, at) in row.iter().zip([0, 4]) {
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
        // SAFETY: tile has MR·NR values; r·NR + 8 ≤ MR·NR.
        unsafe {
            row[0].store(tile.as_mut_ptr().add(r * NR));
            row[1].store(tile.as_mut_ptr().add(r * NR + 4));
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
            // The Net's shapes: conv1's weight gradient, conv2's input gradient.
            (10, 25, 700),
            (250, 64, 20),
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
                if k <= PACKED_K_MAX {
                    let mut packed = vec![f32::NAN; packed_b_len(k, n)];
                    for j in 0..n.div_ceil(NR) * NR {
                        for p in 0..k {
                            packed[packed_b_index(k, p, j)] = if j < n { b.at(p, j) } else { 0.0 };
                        }
                    }
                    let mut c = vec![0.5; m * n];
                    gemm_packed_b(m, n, k, a, &packed, &mut c, n, false, &mut scratch);
                    let err = c
                        .iter()
                        .zip(&expected)
                        .map(|(x, y)| (x - y).abs())
                        .fold(0.0, f32::max);
                    assert!(err < 1e-4, "packed ({m},{n},{k}): max err {err}");
                }
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
