//! The browser APIs a worker uses: its scope, posting envelopes (made and opened by
//! [`crate::envelope`]), typed arrays, yielding to the event loop, the clock.

use crate::envelope::seal;
pub use crate::envelope::{open, post_to};
use js_sys::{Float32Array, Uint8Array};
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// This worker's global scope.
pub fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Milliseconds from the worker's time origin.
pub fn now_ms() -> f64 {
    scope().performance().map_or(0.0, |p| p.now())
}

/// Posts an envelope to the page (or the leader, in a follower).
pub fn post(msg: &impl Serialize, data: Option<&JsValue>) {
    let (value, transfer) = seal(msg, data);
    if let Err(e) = scope().post_message_with_transfer(&value, &transfer) {
        web_sys::console::error_2(&"convscope-worker: cannot post".into(), &e);
    }
}

/// `f32`s as a typed array (copied once, then moved with the message).
pub fn floats(values: &[f32]) -> JsValue {
    Float32Array::from(values).into()
}

/// Bytes as a typed array.
pub fn bytes(values: &[u8]) -> JsValue {
    Uint8Array::from(values).into()
}

/// A typed array's numbers.
pub fn read_floats(data: &JsValue) -> Vec<f32> {
    Float32Array::new(data).to_vec()
}

/// A typed array's bytes.
pub fn read_bytes(data: &JsValue) -> Vec<u8> {
    Uint8Array::new(data).to_vec()
}

/// Yields to the event loop (a zero timeout), so messages waiting get handled.
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback(&resolve);
    });
    let _ = JsFuture::from(promise).await;
}
