//! The page's end of the compute worker (`convscope-worker`, see its crate docs): starts the
//! leader worker on first use, sends it [`ToLeader`] messages and hands its [`FromLeader`]
//! replies (with their bytes) to a callback. The worker's script loads only now, so the app's
//! first download does not grow.

use convscope_worker::protocol::{DATA, FromLeader, LOADER, MSG, ToLeader};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The leader worker and its handlers.
pub struct TrainWorker {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl TrainWorker {
    /// Starts the leader. `on_message` gets each reply (and its bytes); `on_error` why the
    /// worker failed (its script did not load, or it died).
    pub fn spawn(
        on_message: impl Fn(FromLeader, Option<Vec<u8>>) + 'static,
        on_error: impl Fn(String) + 'static,
    ) -> Result<Self, String> {
        let options = web_sys::WorkerOptions::new();
        options.set_name("convscope leader");
        let worker =
            web_sys::Worker::new_with_options(LOADER, &options).map_err(|e| format!("{e:?}"))?;
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let data = ev.data();
                let msg = Reflect::get(&data, &MSG.into())
                    .ok()
                    .and_then(|m| m.as_string())
                    .unwrap_or_default();
                let bytes = Reflect::get(&data, &DATA.into())
                    .ok()
                    .filter(|d| !d.is_undefined())
                    .map(|d| Uint8Array::new(&d).to_vec());
                match serde_json::from_str::<FromLeader>(&msg) {
                    Ok(m) => on_message(m, bytes),
                    Err(e) => leptos::logging::log!("convscope: unreadable worker message: {e}"),
                }
            });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            let reason = ev
                .dyn_ref::<web_sys::ErrorEvent>()
                .map_or_else(|| "its script did not load".to_string(), |e| e.message());
            on_error(reason);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let this = TrainWorker {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        };
        this.send(&ToLeader::Lead, None)?;
        Ok(this)
    }

    /// Sends `msg` (and `bytes`, moved with it).
    pub fn send(&self, msg: &ToLeader, bytes: Option<&[u8]>) -> Result<(), String> {
        let obj = Object::new();
        let text = serde_json::to_string(msg).map_err(|e| e.to_string())?;
        let _ = Reflect::set(&obj, &MSG.into(), &text.into());
        let transfer = Array::new();
        if let Some(bytes) = bytes {
            let array = Uint8Array::from(bytes);
            transfer.push(&array.buffer());
            let _ = Reflect::set(&obj, &DATA.into(), &array);
        }
        self.worker
            .post_message_with_transfer(&obj, &transfer)
            .map_err(|e| format!("{e:?}"))
    }
}

impl Drop for TrainWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
