//! CPU backends: the reference (plain loops, the oracle) and the SIMD backend (im2col + a
//! packed, register-blocked GEMM on 4-lane `f32` vectors: WASM simd128 in the browser, SSE
//! natively on x86-64, plain arrays elsewhere).

mod f32x4;
pub mod gemm;
mod im2col;
pub mod reference;
mod simd;

pub use reference::ReferenceBackend;
pub use simd::SimdBackend;
