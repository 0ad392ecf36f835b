//! The web app (wasm32 only): a Leptos client-side-rendered single-page app.
//!
//! - `app`: the shell: skip link, header, chapter navigation, the routed page, footer.
//! - `state`: app-wide state provided as Leptos context: language, theme, route, backend, the
//!   MNIST lab, the training run. It never imports `widgets`.
//! - `components`: one widget per file (header, navigation, footer, …).
//! - `pages`: one file per kind of page (home, chapter, not found).
//! - `widgets`: the lesson's interactive widgets, one per file, and `widgets::registry`, which
//!   says which widget each embeddable id shows (for the chapter and embed pages).
//! - `url_state`: a widget's state in the page address (one `RwSignal<State>`, read and written
//!   per field through `Field`s).
//! - `platform`: small wrappers over browser APIs that may be missing or throw (storage, WebGPU).
//!
//! All text comes from [`crate::i18n`] through [`state::lang::t`] (a fixed key) or
//! [`state::lang::use_tr`] (a key chosen at run time).

mod app;
mod components;
pub mod embed_app;
pub mod idb;
mod pages;
pub mod platform;
pub mod state;
pub mod url_state;
mod widgets;

pub use app::App;

/// Installs the panic hook (panics become console errors with a Rust backtrace), registers the
/// offline service worker and mounts the app on `<body>` — or, for an embed address
/// (`#/embed/<widget>`), that widget alone.
///
/// index.html paints a first screen (`#boot`) while the wasm loads and sets
/// `window.convscopeBoot`, a promise settled once that screen has been painted (3 s at most):
/// the app waits for it, so that the first screen is what a visitor sees first even on
/// a fast connection, then removes it and mounts in the same task (no blank frame between). That
/// task is not the one that instantiated the wasm (a `setTimeout` apart), and the page's widgets
/// mount in tasks of their own after it (`components::later`): no long task at start-up.
pub fn mount() {
    use wasm_bindgen::JsCast;
    console_error_panic_hook::set_once();
    platform::register_service_worker();
    let boot = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"convscopeBoot".into()).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    match boot {
        Some(painted) => wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(painted).await;
            leptos::prelude::set_timeout(mount_now, std::time::Duration::ZERO);
        }),
        None => mount_now(),
    }
}

fn mount_now() {
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if crate::embed::embed_slug(&hash).is_some() {
        leptos::mount::mount_to_body(embed_app::EmbedApp);
    } else {
        leptos::mount::mount_to_body(App);
    }
}
