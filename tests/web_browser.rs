//! wasm tests that run in headless Chromium through chromedriver
//! (`cargo test --target wasm32-unknown-unknown --test web_browser`): the app mounts, shows the
//! home page, follows the URL fragment and switches language.
#![cfg(target_arch = "wasm32")]

use convscope::i18n::{Lang, tr};
use convscope::ui::App;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod wasm_common;

/// The SIMD backend compiled with simd128, run by Chromium's wasm engine, against the reference.
#[wasm_bindgen_test]
fn simd_backend_matches_reference_in_chromium() {
    wasm_common::simd_matches_reference();
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

fn text_of(selector: &str) -> String {
    document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|el| el.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn app_mounts_routes_and_switches_language() {
    let window = web_sys::window().expect("a window");
    window.local_storage().ok().flatten().map(|s| s.clear());
    window.location().set_hash("#/").expect("set hash");
    let host: web_sys::HtmlElement = document()
        .create_element("div")
        .expect("div")
        .dyn_into()
        .expect("an HTML element");
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    let _handle = leptos::mount::mount_to(host, App);
    TimeoutFuture::new(0).await;

    // The runner's Chromium may prefer either language; read it from <html lang>.
    let html_lang = document()
        .document_element()
        .and_then(|e| e.get_attribute("lang"));
    let lang = Lang::parse(html_lang.as_deref().unwrap_or("en")).expect("a known language");
    assert_eq!(text_of("main h1"), tr(lang, "page.home.title"));

    window
        .location()
        .set_hash("#/padding-stride")
        .expect("set hash");
    TimeoutFuture::new(50).await;
    assert_eq!(text_of("main h1"), tr(lang, "page.padding.title"));

    let button: web_sys::HtmlElement = document()
        .query_selector(".lang-button")
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into().ok())
        .expect("the language button");
    button.click();
    TimeoutFuture::new(0).await;
    assert_eq!(text_of("main h1"), tr(lang.other(), "page.padding.title"));
    let saved = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item("convscope.lang").ok().flatten());
    assert_eq!(saved.as_deref(), Some(lang.other().code()));
}
