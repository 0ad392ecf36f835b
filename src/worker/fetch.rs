//! Fetching with progress, and the one MNIST loader, for the page and the worker alike (wasm32
//! only). Both call the global `fetch` (the window's on the page, the worker scope's in a
//! worker), so one function serves both: the Train page, the lab's test set, the depth rerun and
//! the worker's training data all load MNIST here.

use convscope_core::train::data::Mnist;
use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Fetches `url` (relative to the page, or to the worker's script beside it) and returns its
/// bytes, telling `progress` the fraction received (0–1) as the body streams in when the server
/// says how long it is; or a message saying what failed.
pub async fn fetch_bytes(url: &str, progress: impl Fn(f64)) -> Result<Vec<u8>, String> {
    let global = js_sys::global();
    let fetch: Function = Reflect::get(&global, &"fetch".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("this context has no fetch")?;
    let promise: js_sys::Promise = fetch
        .call1(&global, &JsValue::from_str(url))
        .map_err(|e| format!("cannot fetch {url}: {e:?}"))?
        .dyn_into()
        .map_err(|_| format!("cannot fetch {url}"))?;
    let response: web_sys::Response = JsFuture::from(promise)
        .await
        .map_err(|e| format!("cannot fetch {url}: {e:?}"))?
        .dyn_into()
        .map_err(|_| format!("{url}: not a response"))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let total = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|t| *t > 0.0);
    let Some(body) = response.body() else {
        return Ok(Vec::new());
    };
    let reader: web_sys::ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| format!("{url}: cannot read the body"))?;
    let mut out = Vec::with_capacity(total.unwrap_or(0.0) as usize);
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| format!("{url}: interrupted: {e:?}"))?;
        if Reflect::get(&chunk, &"done".into()).map_or(true, |d| d.is_truthy()) {
            break;
        }
        if let Ok(value) = Reflect::get(&chunk, &"value".into()) {
            out.extend(Uint8Array::new(&value).to_vec());
        }
        if let Some(t) = total {
            progress((out.len() as f64 / t).min(1.0));
        }
    }
    progress(1.0);
    Ok(out)
}

/// Loads one MNIST split (`"train"` or `"t10k"`) from `data/mnist/`, telling `progress` the
/// fraction of the images received (the labels are small).
pub async fn load_mnist(split: &str, progress: impl Fn(f64)) -> Result<Mnist, String> {
    let images = fetch_bytes(
        &format!("data/mnist/{split}-images-idx3-ubyte.gz"),
        progress,
    )
    .await?;
    let labels = fetch_bytes(&format!("data/mnist/{split}-labels-idx1-ubyte.gz"), |_| {}).await?;
    Mnist::parse(&images, &labels).map_err(|e| e.to_string())
}
