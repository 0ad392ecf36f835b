//! The web app (wasm32 only): a Leptos client-side-rendered single-page app.
//!
//! - `app`: the shell: skip link, header, chapter navigation, the routed page, footer.
//! - `state`: app-wide state provided as Leptos context: language, theme, route.
//! - `components`: one widget per file (header, navigation, footer, …).
//! - `pages`: one file per kind of page (home, chapter, not found).
//! - `widgets`: the lesson's interactive widgets, one per file.
//! - `platform`: small wrappers over browser APIs that may be missing or throw (storage, WebGPU).
//!
//! All text comes from [`crate::i18n`] through [`state::lang::t`].

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
pub fn mount() {
    console_error_panic_hook::set_once();
    platform::register_service_worker();
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if crate::embed::embed_slug(&hash).is_some() {
        leptos::mount::mount_to_body(embed_app::EmbedApp);
    } else {
        leptos::mount::mount_to_body(App);
    }
}
