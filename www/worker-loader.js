// Starts convscope's compute worker (src/worker): its wasm-bindgen glue, then its wasm. Trunk
// builds both under fixed names; this file is copied beside them. Messages that arrive while
// the wasm loads are kept and handed to the worker's own handler once it has installed it.
const early = [];
self.onmessage = (event) => early.push(event);
importScripts("./convscope-worker.js");
wasm_bindgen({ module_or_path: "./convscope-worker_bg.wasm" }).then(() => {
  for (const event of early) self.onmessage(event);
});
