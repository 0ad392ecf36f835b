//! The compute worker's entry point: Trunk builds this binary as a Web Worker
//! (`convscope-worker.js` + `_bg.wasm`, started through `www/worker-loader.js`).
//! Everything it does is in the library ([`convscope_worker::start`]).

#[cfg(target_arch = "wasm32")]
fn main() {
    convscope_worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("convscope-worker runs in a browser, as a Web Worker (see index.html)");
}
