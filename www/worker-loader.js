// Starts convscope's compute worker (src/worker): its wasm-bindgen glue, then its wasm. Trunk
// builds two copies of the worker under fixed names, and this file is copied beside them:
// - convscope-worker-relaxed(.js, _bg.wasm): the CPU kernels use WASM relaxed SIMD's fused
//   multiply-add (`f32x4.relaxed_madd`; the core's `relaxed` feature);
// - convscope-worker(.js, _bg.wasm): plain simd128, for browsers without relaxed SIMD.
// The relaxed copy is chosen when the browser validates a tiny module that uses relaxed_madd
// (the same bytes as RELAXED_PROBE in sw.js, which caches the copy this browser will use).
// Messages that arrive while the wasm loads are kept and handed to the worker's own handler
// once it has installed it.
const early = [];
self.onmessage = (event) => early.push(event);
// (module (func (param v128 v128 v128) (result v128)
//   local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd))
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32,
  2, 253, 133, 2, 11,
]);
let relaxed = false;
try {
  relaxed = WebAssembly.validate(RELAXED_PROBE);
} catch (e) {}
/** Which build runs here ("relaxed" or "simd128"), for the page's tests and the curious. */
self.convscopeWorkerBuild = relaxed ? "relaxed" : "simd128";
const name = relaxed ? "convscope-worker-relaxed" : "convscope-worker";
importScripts(`./${name}.js`);
wasm_bindgen({ module_or_path: `./${name}_bg.wasm` }).then(() => {
  for (const event of early) self.onmessage(event);
});
