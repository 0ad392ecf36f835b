//! The envelope every message between the page and the workers travels in (wasm32 only):
//! `{ msg: "<JSON>", data?: typed array }` (field names [`MSG`] and [`DATA`]). [`seal`] makes
//! one (the data's `ArrayBuffer` is moved with the message, not copied) and [`post_to`] sends
//! it to a worker; [`open`] takes one apart again. Both sides use these: the workers
//! (`runtime::js`) and the page's ends of the training and inference workers, which also read
//! a worker's failure with [`failure`].

use crate::protocol::{DATA, MSG};
use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

/// An envelope: `msg` as JSON and, if given, `data`, with the list of buffers to transfer
/// (`data`'s buffer).
pub fn seal(msg: &impl Serialize, data: Option<&JsValue>) -> (JsValue, Array) {
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

/// An envelope's JSON text (empty if it has none) and its data, if any.
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

/// An envelope's message read as `T`, and its data.
pub fn open_as<T: DeserializeOwned>(
    ev: &web_sys::MessageEvent,
) -> Result<(T, Option<JsValue>), serde_json::Error> {
    let (msg, bulk) = open(ev);
    Ok((serde_json::from_str(&msg)?, bulk))
}

/// Posts an envelope to `worker` (`data`'s buffer moved with it).
pub fn post_to(
    worker: &web_sys::Worker,
    msg: &impl Serialize,
    data: Option<&JsValue>,
) -> Result<(), String> {
    let (value, transfer) = seal(msg, data);
    worker
        .post_message_with_transfer(&value, &transfer)
        .map_err(|e| format!("{e:?}"))
}

/// Why a worker failed, from its `error` event: the error's message, or, for a plain event,
/// that its script did not load.
pub fn failure(ev: &web_sys::Event) -> String {
    ev.dyn_ref::<web_sys::ErrorEvent>()
        .map_or_else(|| "its script did not load".to_string(), |e| e.message())
}

/// An envelope's data as `f32`s, copied once into this side's memory. (`new
/// Float32Array(data)` would first copy the typed array in JavaScript: a second copy of every
/// message's numbers, a few per cent of a training step for the gradients.)
pub fn floats_of(data: &JsValue) -> Vec<f32> {
    match data.dyn_ref::<js_sys::Float32Array>() {
        Some(array) => array.to_vec(),
        None => js_sys::Float32Array::new(data).to_vec(),
    }
}

/// An envelope's data as bytes, copied once (see [`floats_of`]).
pub fn bytes_of(data: &JsValue) -> Vec<u8> {
    match data.dyn_ref::<js_sys::Uint8Array>() {
        Some(array) => array.to_vec(),
        None => js_sys::Uint8Array::new(data).to_vec(),
    }
}
