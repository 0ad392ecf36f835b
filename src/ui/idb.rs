//! A tiny key → bytes store in IndexedDB (database `convscope`, object store `kv`), for the
//! training checkpoint. Every call is async (IndexedDB requests wrapped in promises) and
//! returns a message on failure — private windows and some embeds have no IndexedDB, and the
//! app then simply does not resume.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

const DB: &str = "convscope";
const STORE: &str = "kv";

/// Waits for a request: its result, or its error as text.
async fn done(request: &IdbRequest) -> Result<JsValue, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let req = request.clone();
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &req.result().unwrap_or(JsValue::UNDEFINED));
        });
        let req = request.clone();
        let fail = Closure::once_into_js(move |_: web_sys::Event| {
            let message = req
                .error()
                .ok()
                .flatten()
                .map_or("IndexedDB request failed".to_string(), |e| e.message());
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&message));
        });
        request.set_onsuccess(Some(ok.unchecked_ref()));
        request.set_onerror(Some(fail.unchecked_ref()));
    });
    JsFuture::from(promise)
        .await
        .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

/// Waits until a transaction has committed (a quota error, say, aborts it at commit time).
async fn committed(tx: &web_sys::IdbTransaction) -> Result<(), String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let fail = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = reject.call1(
                &JsValue::NULL,
                &JsValue::from_str("IndexedDB transaction aborted"),
            );
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onabort(Some(fail.unchecked_ref()));
    });
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(|e| format!("IndexedDB unavailable: {e:?}"))?
        .ok_or("IndexedDB unavailable")?;
    let request = factory.open_with_u32(DB, 1).map_err(|e| format!("{e:?}"))?;
    let upgrade = Closure::once_into_js({
        let request = request.clone();
        move |_: web_sys::Event| {
            if let Some(db) = request
                .result()
                .ok()
                .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
                && !db.object_store_names().contains(STORE)
            {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    done(&request)
        .await?
        .dyn_into::<IdbDatabase>()
        .map_err(|_| "IndexedDB: not a database".into())
}

/// Runs one read-write request on the store and waits until it has committed.
async fn write(
    request: impl FnOnce(&web_sys::IdbObjectStore) -> Result<IdbRequest, JsValue>,
) -> Result<(), String> {
    let db = open().await?;
    let result = async {
        let tx = db
            .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
            .map_err(|e| format!("{e:?}"))?;
        let store = tx.object_store(STORE).map_err(|e| format!("{e:?}"))?;
        let request = request(&store).map_err(|e| format!("{e:?}"))?;
        done(&request).await?;
        committed(&tx).await
    }
    .await;
    db.close();
    result
}

/// Stores `bytes` under `key`.
pub async fn put(key: &str, bytes: &[u8]) -> Result<(), String> {
    let value = js_sys::Uint8Array::from(bytes);
    write(|store| store.put_with_key(&value, &JsValue::from_str(key))).await
}

/// The bytes stored under `key`, if any.
pub async fn get(key: &str) -> Result<Option<Vec<u8>>, String> {
    let db = open().await?;
    let value = async {
        let tx = db
            .transaction_with_str(STORE)
            .map_err(|e| format!("{e:?}"))?;
        let store = tx.object_store(STORE).map_err(|e| format!("{e:?}"))?;
        let request = store
            .get(&JsValue::from_str(key))
            .map_err(|e| format!("{e:?}"))?;
        done(&request).await
    }
    .await;
    db.close();
    let value = value?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    Ok(Some(js_sys::Uint8Array::new(&value).to_vec()))
}

/// Removes `key`.
pub async fn delete(key: &str) -> Result<(), String> {
    write(|store| store.delete(&JsValue::from_str(key))).await
}
