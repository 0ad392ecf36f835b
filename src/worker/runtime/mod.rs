//! The worker's side (wasm32 only). [`start`] waits for the first message: `lead` (from the
//! page) makes this worker the leader, `follow` (from a leader) a follower,
//! `serve` (from the page's lab) the inference worker ([`crate::infer_protocol`]).

mod follower;
mod infer;
mod js;
mod leader;
mod pool;

use crate::infer_protocol::ToInfer;
use crate::protocol::{ToFollower, ToLeader};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Installs the panic hook and waits for the first message, which says this worker's role.
pub fn start() {
    console_error_panic_hook::set_once();
    let scope = js::scope();
    let first =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let (msg, _) = js::open(&ev);
            if serde_json::from_str::<ToLeader>(&msg).ok() == Some(ToLeader::Lead) {
                leader::install();
            } else if serde_json::from_str::<ToFollower>(&msg).ok() == Some(ToFollower::Follow) {
                follower::install();
            } else if serde_json::from_str::<ToInfer>(&msg).ok() == Some(ToInfer::Serve) {
                infer::install();
            } else {
                web_sys::console::error_1(
                    &format!("convscope-worker: unexpected first message {msg}").into(),
                );
            }
        });
    scope.set_onmessage(Some(first.as_ref().unchecked_ref()));
    // The role's own handler replaces this one; until then it must live.
    first.forget();
}
