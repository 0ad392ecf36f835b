//! A 4-lane `f32` vector: WASM simd128 on wasm32, SSE on x86-64, a plain array elsewhere. The
//! SIMD backend's kernels are written once against this type, so the browser and native builds
//! run the same algorithm.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;

    /// Four `f32` lanes.
    #[derive(Clone, Copy)]
    pub struct F32x4(v128);

    impl F32x4 {
        #[inline(always)]
        pub fn splat(v: f32) -> Self {
            Self(f32x4_splat(v))
        }
        /// # Safety
        /// `ptr` must be valid for reading 4 `f32`s (any alignment).
        #[inline(always)]
        pub unsafe fn load(ptr: *const f32) -> Self {
            // SAFETY: the caller guarantees 16 readable bytes; v128_load allows any alignment.
            Self(unsafe { v128_load(ptr.cast()) })
        }
        /// Four copies of `*ptr`.
        ///
        /// # Safety
        /// `ptr` must be valid for reading one `f32`.
        #[inline(always)]
        pub unsafe fn load_splat(ptr: *const f32) -> Self {
            // SAFETY: the caller guarantees 4 readable bytes.
            Self(unsafe { v128_load32_splat(ptr.cast()) })
        }
        /// # Safety
        /// `ptr` must be valid for writing 4 `f32`s (any alignment).
        #[inline(always)]
        pub unsafe fn store(self, ptr: *mut f32) {
            // SAFETY: the caller guarantees 16 writable bytes.
            unsafe { v128_store(ptr.cast(), self.0) }
        }
        /// `self + a · b`.
        #[inline(always)]
        pub fn mul_add(self, a: Self, b: Self) -> Self {
            Self(f32x4_add(self.0, f32x4_mul(a.0, b.0)))
        }
        /// `self + a`.
        #[inline(always)]
        pub fn add(self, a: Self) -> Self {
            Self(f32x4_add(self.0, a.0))
        }
    }
}

#[cfg(all(target_arch = "x86_64", not(target_arch = "wasm32")))]
mod imp {
    use core::arch::x86_64::*;

    /// Four `f32` lanes.
    #[derive(Clone, Copy)]
    pub struct F32x4(__m128);

    // SSE is part of the x86-64 baseline, so these intrinsics are always available.
    impl F32x4 {
        #[inline(always)]
        pub fn splat(v: f32) -> Self {
            // SAFETY: SSE is part of the x86-64 baseline.
            Self(unsafe { _mm_set1_ps(v) })
        }
        /// # Safety
        /// `ptr` must be valid for reading 4 `f32`s (any alignment).
        #[inline(always)]
        pub unsafe fn load(ptr: *const f32) -> Self {
            // SAFETY: the caller guarantees 16 readable bytes; loadu allows any alignment.
            Self(unsafe { _mm_loadu_ps(ptr) })
        }
        /// Four copies of `*ptr`.
        ///
        /// # Safety
        /// `ptr` must be valid for reading one `f32`.
        #[inline(always)]
        pub unsafe fn load_splat(ptr: *const f32) -> Self {
            // SAFETY: the caller guarantees 4 readable bytes.
            Self(unsafe { _mm_load1_ps(ptr) })
        }
        /// # Safety
        /// `ptr` must be valid for writing 4 `f32`s (any alignment).
        #[inline(always)]
        pub unsafe fn store(self, ptr: *mut f32) {
            // SAFETY: the caller guarantees 16 writable bytes.
            unsafe { _mm_storeu_ps(ptr, self.0) }
        }
        #[inline(always)]
        pub fn mul_add(self, a: Self, b: Self) -> Self {
            // SAFETY: SSE is part of the x86-64 baseline.
            Self(unsafe { _mm_add_ps(self.0, _mm_mul_ps(a.0, b.0)) })
        }
        #[inline(always)]
        pub fn add(self, a: Self) -> Self {
            // SAFETY: SSE is part of the x86-64 baseline.
            Self(unsafe { _mm_add_ps(self.0, a.0) })
        }
    }
}

#[cfg(not(any(
    all(target_arch = "wasm32", target_feature = "simd128"),
    target_arch = "x86_64"
)))]
mod imp {
    /// Four `f32` lanes (portable fallback).
    #[derive(Clone, Copy)]
    pub struct F32x4([f32; 4]);

    impl F32x4 {
        #[inline(always)]
        pub fn splat(v: f32) -> Self {
            Self([v; 4])
        }
        /// # Safety
        /// `ptr` must be valid for reading 4 `f32`s.
        #[inline(always)]
        pub unsafe fn load(ptr: *const f32) -> Self {
            // SAFETY: the caller guarantees 4 readable values.
            Self(unsafe { ptr.cast::<[f32; 4]>().read_unaligned() })
        }
        /// Four copies of `*ptr`.
        ///
        /// # Safety
        /// `ptr` must be valid for reading one `f32`.
        #[inline(always)]
        pub unsafe fn load_splat(ptr: *const f32) -> Self {
            // SAFETY: the caller guarantees one readable value.
            Self([unsafe { *ptr }; 4])
        }
        /// # Safety
        /// `ptr` must be valid for writing 4 `f32`s.
        #[inline(always)]
        pub unsafe fn store(self, ptr: *mut f32) {
            // SAFETY: the caller guarantees 4 writable values.
            unsafe { ptr.cast::<[f32; 4]>().write_unaligned(self.0) }
        }
        #[inline(always)]
        pub fn mul_add(self, a: Self, b: Self) -> Self {
            Self(core::array::from_fn(|i| self.0[i] + a.0[i] * b.0[i]))
        }
        #[inline(always)]
        pub fn add(self, a: Self) -> Self {
            Self(core::array::from_fn(|i| self.0[i] + a.0[i]))
        }
    }
}

pub use imp::F32x4;
