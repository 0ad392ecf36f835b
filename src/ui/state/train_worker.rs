//! The page's end of the compute worker (`convscope-worker`, see its crate docs): starts the
//! leader worker on first use, sends it [`ToLeader`] messages and hands its [`FromLeader`]
//! replies (with their bytes) to a callback. The worker's script loads only now, so the app's
//! first download does not grow.

use convscope_worker::envelope;
use convscope_worker::protocol::{FromLeader, LOADER, ToLeader};
use js_sys::Uint8Array;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Where a run keeps its leader worker, once started.
pub type WorkerSlot = StoredValue<Option<Rc<TrainWorker>>, LocalStorage>;

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
                match envelope::open_as::<FromLeader>(&ev) {
                    Ok((m, data)) => on_message(m, data.map(|d| envelope::bytes_of(&d))),
                    Err(e) => leptos::logging::log!("convscope: unreadable worker message: {e}"),
                }
            });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            on_error(envelope::failure(&ev));
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

    /// The worker in `slot`, or else one started now (see [`TrainWorker::spawn`]) and kept
    /// there.
    pub fn get_or_spawn(
        slot: WorkerSlot,
        on_message: impl Fn(FromLeader, Option<Vec<u8>>) + 'static,
        on_error: impl Fn(String) + 'static,
    ) -> Result<Rc<Self>, String> {
        if let Some(w) = slot.get_value() {
            return Ok(w);
        }
        let w = Rc::new(Self::spawn(on_message, on_error)?);
        slot.set_value(Some(Rc::clone(&w)));
        Ok(w)
    }

    /// Sends `msg` (and `bytes`, moved with it).
    pub fn send(&self, msg: &ToLeader, bytes: Option<&[u8]>) -> Result<(), String> {
        let data = bytes.map(|b| JsValue::from(Uint8Array::from(b)));
        envelope::post_to(&self.worker, msg, data.as_ref())
    }
}

impl Drop for TrainWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
