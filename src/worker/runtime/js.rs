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

/// Slices of `f32`s one after another as one typed array, each copied straight into it (no
/// gathering `Vec` first).
pub fn floats_from<'a>(parts: impl IntoIterator<Item = &'a [f32]> + Clone) -> JsValue {
    let total: usize = parts.clone().into_iter().map(<[f32]>::len).sum();
    let out = Float32Array::new_with_length(total as u32);
    let mut at = 0;
    for part in parts {
        let end = at + part.len() as u32;
        out.subarray(at, end).copy_from(part);
        at = end;
    }
    out.into()
}

/// A typed array's numbers.
pub fn read_floats(data: &JsValue) -> Vec<f32> {
    crate::envelope::floats_of(data)
}

/// A typed array's bytes.
pub fn read_bytes(data: &JsValue) -> Vec<u8> {
    crate::envelope::bytes_of(data)
}

/// Yields to the event loop, so messages waiting get handled: a message to itself through a
/// `MessageChannel`, not a zero timeout. Browsers clamp a timeout set from a timer's own task to
/// at least 4 ms once such timers nest five deep, which a loop that yields between chunks of work
/// always reaches: 4 ms lost per chunk. A message has no clamp, and the messages already queued
/// (a `pause` from the page) still run first.
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if !YIELD.with(|y| y.post(resolve.clone())) {
            let _ = scope().set_timeout_with_callback(&resolve);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Waits `ms` milliseconds (a timer: nothing runs meanwhile but other tasks).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

thread_local! {
    /// The channel [`yield_now`] posts through: one for the worker's life (a channel dropped
    /// with a message on its way could be collected before it arrives).
    static YIELD: Yielder = Yielder::new();
}

/// A `MessageChannel` whose messages resolve the waiting yields in order.
struct Yielder {
    channel: Option<web_sys::MessageChannel>,
    waiting: std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<js_sys::Function>>>,
    _on_message: Option<Closure<dyn FnMut()>>,
}

impl Yielder {
    fn new() -> Self {
        let waiting = std::rc::Rc::new(std::cell::RefCell::new(std::collections::VecDeque::<
            js_sys::Function,
        >::new()));
        let Ok(channel) = web_sys::MessageChannel::new() else {
            return Self {
                channel: None,
                waiting,
                _on_message: None,
            };
        };
        let queue = std::rc::Rc::clone(&waiting);
        let on_message = Closure::<dyn FnMut()>::new(move || {
            let next = queue.borrow_mut().pop_front();
            if let Some(resolve) = next {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
        });
        channel
            .port1()
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Self {
            channel: Some(channel),
            waiting,
            _on_message: Some(on_message),
        }
    }

    /// Queues `resolve` for the next message; false if there is no channel to post through.
    fn post(&self, resolve: js_sys::Function) -> bool {
        let Some(channel) = &self.channel else {
            return false;
        };
        self.waiting.borrow_mut().push_back(resolve);
        if channel.port2().post_message(&JsValue::UNDEFINED).is_ok() {
            return true;
        }
        self.waiting.borrow_mut().pop_back();
        false
    }
}
