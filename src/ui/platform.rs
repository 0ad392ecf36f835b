//! Browser APIs that may be missing or may throw, wrapped so that the app degrades instead of
//! panicking: storage blocked by privacy settings, no WebGPU, no `matchMedia`.

use crate::formats::limits::{FileError, FileKind, check_picture, check_size};
use crate::i18n::{Lang, tr};
use wasm_bindgen::{JsCast, JsValue};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads `key` from `localStorage` (`None` if absent or storage is unavailable).
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Writes `key` to `localStorage`; a failure (quota, privacy mode) is logged, not fatal.
pub fn save(key: &str, value: &str) {
    let saved = storage().map(|s| s.set_item(key, value));
    if !matches!(saved, Some(Ok(()))) {
        web_sys::console::info_1(&JsValue::from_str(&format!(
            "convscope: could not save the setting '{key}' (storage unavailable)"
        )));
    }
}

/// The value of `name` in the page's query string (`?lang=zh`).
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// Whether this browser exposes WebGPU (`navigator.gpu`). Asks for no adapter.
pub fn has_webgpu() -> bool {
    web_sys::window()
        .map(|w| w.navigator())
        .and_then(|nav| js_sys::Reflect::get(&nav, &JsValue::from_str("gpu")).ok())
        .is_some_and(|gpu| !gpu.is_undefined() && !gpu.is_null())
}

/// Whether the page is a secure context (https or localhost), which WebGPU requires.
pub fn is_secure_context() -> bool {
    web_sys::window().is_some_and(|w| w.is_secure_context())
}

/// The `<html>` element.
pub fn root_element() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// The browser's preferred languages, most preferred first.
pub fn browser_languages() -> Vec<String> {
    web_sys::window()
        .map(|w| w.navigator().languages())
        .map(|list| list.iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default()
}

/// What the browser says about its WebGPU adapter: `(description, is_fallback_adapter)`, where
/// the description is built from `GPUAdapterInfo` (vendor, architecture, description), e.g.
/// "google swiftshader". wgpu's own adapter name is empty in browsers, so the UI asks here.
pub async fn webgpu_adapter_info() -> Option<(String, bool)> {
    let get =
        |target: &JsValue, key: &str| js_sys::Reflect::get(target, &JsValue::from_str(key)).ok();
    let gpu = get(&web_sys::window()?.navigator().into(), "gpu")?;
    let request: js_sys::Function = get(&gpu, "requestAdapter")?.dyn_into().ok()?;
    let promise: js_sys::Promise = request.call0(&gpu).ok()?.dyn_into().ok()?;
    let adapter = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    if adapter.is_null() || adapter.is_undefined() {
        return None;
    }
    let info = get(&adapter, "info")?;
    let text = |key: &str| {
        get(&info, key)
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let parts: Vec<String> = [text("vendor"), text("architecture"), text("description")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let fallback = get(&info, "isFallbackAdapter")
        .or_else(|| get(&adapter, "isFallbackAdapter"))
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    Some((parts.join(" "), fallback))
}

/// Fetches `url` (relative to the page) and returns its bytes, or a message saying what failed.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    convscope_worker::fetch::fetch_bytes(url, |_| {}).await
}

/// Offers `bytes` as a file download named `name`.
pub fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "not an anchor")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The file chosen in the `<input type="file">` that fired `ev`, if any; the input is cleared so
/// that choosing the same file again fires again.
pub fn chosen_file(ev: &web_sys::Event) -> Option<web_sys::File> {
    let input = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = input.files().and_then(|f| f.get(0));
    input.set_value("");
    file
}

/// Why a file the user chose was not read. A refused file changes nothing in the page.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadError {
    /// Refused by its size or dimensions before reading ([`FileError`]).
    Refused(FileError),
    /// The browser could not read it (moved, deleted, no permission); the browser's own words go
    /// to the console, the learner reads [`ReadError::message`].
    Unreadable {
        /// The file's name.
        name: String,
    },
    /// Not a picture this browser can decode.
    NotAPicture {
        /// The file's name.
        name: String,
    },
}

impl ReadError {
    /// The message for the page, in `lang`: names the file, the limit and what to do.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReadError::Refused(e) => crate::i18n::core_errors::file(lang, e),
            ReadError::Unreadable { name } => format!("{name}: {}", tr(lang, "file.unreadable")),
            ReadError::NotAPicture { name } => format!("{name}: {}", tr(lang, "upload.unreadable")),
        }
    }
}

/// The bytes of a file the user chose, after checking its size against `kind`'s limit (before
/// a byte is copied into wasm memory).
pub async fn read_file(file: &web_sys::File, kind: FileKind) -> Result<Vec<u8>, ReadError> {
    let name = file.name();
    check_size(&name, kind, file.size() as u64).map_err(ReadError::Refused)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| {
            leptos::logging::log!("convscope: cannot read {name}: {e:?}");
            ReadError::Unreadable { name: name.clone() }
        })?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Decodes a picture the user chose (any format the browser reads) into RGBA bytes, scaled
/// down so its longer side is at most `max_side`: `(rgba, width, height)`. The file's size and
/// its dimensions (known once its header is read) are checked first; the browser then scales
/// it while decoding (`createImageBitmap` with a resize), so a full-size copy never reaches
/// wasm memory.
pub async fn decode_image(
    file: &web_sys::File,
    max_side: u32,
) -> Result<(Vec<u8>, u32, u32), ReadError> {
    let name = file.name();
    check_size(&name, FileKind::Picture, file.size() as u64).map_err(ReadError::Refused)?;
    let not_a_picture = || ReadError::NotAPicture { name: name.clone() };
    let url = web_sys::Url::create_object_url_with_blob(file).map_err(|_| not_a_picture())?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| not_a_picture())?;
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        image.set_onload(Some(&resolve));
        image.set_onerror(Some(&reject));
    });
    image.set_src(&url);
    let result = wasm_bindgen_futures::JsFuture::from(loaded).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    result.map_err(|_| not_a_picture())?;
    let (w, h) = (image.natural_width(), image.natural_height());
    if w == 0 || h == 0 {
        return Err(not_a_picture());
    }
    check_picture(&name, w, h).map_err(ReadError::Refused)?;
    let scale = (max_side as f64 / w.max(h) as f64).min(1.0);
    let (sw, sh) = (
        ((w as f64 * scale).round() as u32).max(1),
        ((h as f64 * scale).round() as u32).max(1),
    );
    let fail = |what: &str| {
        leptos::logging::log!("convscope: decoding {name}: {what}");
        not_a_picture()
    };
    let window = web_sys::window().ok_or_else(|| fail("no window"))?;
    let options = web_sys::ImageBitmapOptions::new();
    options.set_resize_width(sw);
    options.set_resize_height(sh);
    options.set_resize_quality(web_sys::ResizeQuality::High);
    let bitmap: web_sys::ImageBitmap = wasm_bindgen_futures::JsFuture::from(
        window
            .create_image_bitmap_with_html_image_element_and_image_bitmap_options(&image, &options)
            .map_err(|e| fail(&format!("{e:?}")))?,
    )
    .await
    .map_err(|e| fail(&format!("{e:?}")))?
    .dyn_into()
    .map_err(|_| fail("not an ImageBitmap"))?;
    let document = window.document().ok_or_else(|| fail("no document"))?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|e| fail(&format!("{e:?}")))?
        .dyn_into()
        .map_err(|_| fail("not a canvas"))?;
    canvas.set_width(sw);
    canvas.set_height(sh);
    let ctx = context_2d(&canvas).ok_or_else(|| fail("no 2-D canvas"))?;
    ctx.draw_image_with_image_bitmap(&bitmap, 0.0, 0.0)
        .map_err(|e| fail(&format!("{e:?}")))?;
    bitmap.close();
    let data = ctx
        .get_image_data(0.0, 0.0, sw as f64, sh as f64)
        .map_err(|e| fail(&format!("{e:?}")))?;
    Ok((data.data().to_vec(), sw, sh))
}

/// A canvas's 2-D drawing context (`None` where the browser gives none).
pub fn context_2d(
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<web_sys::CanvasRenderingContext2d> {
    let context = canvas.get_context("2d").ok().flatten()?;
    context.dyn_into().ok()
}

/// The browser's logical processors (`navigator.hardwareConcurrency`; 1 if unknown).
pub fn hardware_concurrency() -> usize {
    web_sys::window()
        .map_or(1, |w| w.navigator().hardware_concurrency() as usize)
        .max(1)
}

/// Milliseconds since the page started (`performance.now()`).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Puts `text` on the clipboard (`navigator.clipboard.writeText`), where the browser allows it.
pub fn copy_text(text: &str) {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return;
    };
    let get =
        |target: &JsValue, key: &str| js_sys::Reflect::get(target, &JsValue::from_str(key)).ok();
    let Some(clipboard) = get(&navigator.into(), "clipboard").filter(|c| !c.is_undefined()) else {
        return;
    };
    if let Some(write) =
        get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = write.call1(&clipboard, &JsValue::from_str(text));
    }
}

/// Registers `sw.js` (the offline cache) where service workers exist (secure contexts).
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if !window.is_secure_context() {
        return;
    }
    let navigator: JsValue = window.navigator().into();
    let Ok(container) = js_sys::Reflect::get(&navigator, &"serviceWorker".into()) else {
        return;
    };
    if container.is_undefined() {
        return;
    }
    let register = js_sys::Reflect::get(&container, &"register".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(register) = register {
        // A failure (e.g. a server that does not serve sw.js) only costs offline use.
        if let Ok(promise) = register.call1(&container, &"sw.js".into())
            && let Ok(promise) = promise.dyn_into::<js_sys::Promise>()
        {
            let log = wasm_bindgen::closure::Closure::new(|e: JsValue| {
                leptos::logging::log!("convscope: no offline cache: {e:?}");
            });
            let _ = promise.catch(&log);
            log.forget();
        }
    }
}
