//! The compute worker's relaxed-SIMD build: the same worker as `main.rs`, built with the core's
//! `relaxed` feature (`f32x4.relaxed_madd` in the CPU kernels) as `convscope-worker-relaxed.js`
//! + `_bg.wasm`. `www/worker-loader.js` starts it where the browser validates relaxed SIMD.

#[cfg(target_arch = "wasm32")]
fn main() {
    convscope_worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("convscope-worker-relaxed runs in a browser, as a Web Worker (see index.html)");
}
