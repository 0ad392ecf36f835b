//! CPU backends: the reference (plain loops, the oracle) and the SIMD backend (im2col + a
//! packed, register-blocked GEMM on 4-lane `f32` vectors: WASM simd128 in the browser, SSE
//! natively on x86-64, plain arrays elsewhere).

mod direct;
mod f32x4;
mod fast_ops;
pub mod gemm;
mod im2col;
pub mod reference;
mod simd;

pub use reference::ReferenceBackend;
pub use simd::SimdBackend;

/// A multiply-add loop for measuring the SIMD peak: 8 independent 4-lane accumulators,
/// `iters` rounds (the bench's figure (d)). Returns a sum so the work cannot be optimised away.
pub fn peak_kernel(iters: usize) -> f32 {
    use f32x4::F32x4;
    let a = F32x4::splat(std::hint::black_box(0.999_999));
    let b = F32x4::splat(std::hint::black_box(1e-7));
    let mut acc = [F32x4::splat(0.0); 8];
    for _ in 0..iters {
        for v in acc.iter_mut() {
            *v = v.mul_add(a, b);
        }
    }
    let mut out = [0.0f32; 4];
    let total = acc.iter().fold(0.0, |s, v| {
        // SAFETY: `out` holds 4 values.
        unsafe { v.store(out.as_mut_ptr()) };
        s + out.iter().sum::<f32>()
    });
    std::hint::black_box(total)
}
