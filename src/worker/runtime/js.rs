//! The browser APIs a worker uses: its scope, envelopes (posting and opening), fetching bytes
//! with progress, yielding to the event loop, the clock.

use crate::protocol::{DATA, MSG};
use js_sys::{Array, Float32Array, Object, Reflect, Uint8Array};
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

/// An envelope: `msg` as JSON and, if given, `data`'s buffer (moved with the message).
pub fn envelope(msg: &impl Serialize, data: Option<&JsValue>) -> (JsValue, Array) {
    let obj = Object::new();
    let text = serde_json::to_string(msg).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    let _ = Reflect::set(&obj, &MSG.into(), &text.into());
    let transfer = Array::new();
    if let Some(data) = data {
        let _ = Reflect::set(&obj, &DATA.into(), data);
        if let Ok(buffer) = Reflect::get(data, &"buffer".into()) {
            transfer.push(&buffer);
        }
    }
    (obj.into(), transfer)
}

/// Posts an envelope to the page (or the leader, in a follower).
pub fn post(msg: &impl Serialize, data: Option<&JsValue>) {
    let (value, transfer) = envelope(msg, data);
    if let Err(e) = scope().post_message_with_transfer(&value, &transfer) {
        web_sys::console::error_2(&"convscope-worker: cannot post".into(), &e);
    }
}

/// Posts an envelope to `worker`.
pub fn post_to(
    worker: &web_sys::Worker,
    msg: &impl Serialize,
    data: Option<&JsValue>,
) -> Result<(), String> {
    let (value, transfer) = envelope(msg, data);
    worker
        .post_message_with_transfer(&value, &transfer)
        .map_err(|e| format!("{e:?}"))
}

/// An envelope's JSON text and data.
pub fn open(ev: &web_sys::MessageEvent) -> (String, Option<JsValue>) {
    let data = ev.data();
    let msg = Reflect::get(&data, &MSG.into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default();
    let bulk = Reflect::get(&data, &DATA.into())
        .ok()
        .filter(|d| !d.is_undefined());
    (msg, bulk)
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
