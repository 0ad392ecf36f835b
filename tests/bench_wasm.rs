//! The benchmark compiled to wasm (simd128) and run in Node 20: `make bench` runs it with
//! `cargo test --release --target wasm32-unknown-unknown --test bench_wasm -- --nocapture`.
//! It prints the table and one `BENCH_JSON <json>` line for scripts/bench.sh to collect. Not part
//! of `make test` (it is a measurement, not a check).
#![cfg(target_arch = "wasm32")]

use convscope::bench::{Settings, run, table};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

#[wasm_bindgen_test]
fn bench_in_node() {
    let performance = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
        .expect("performance");
    let now_fn: js_sys::Function = js_sys::Reflect::get(&performance, &JsValue::from_str("now"))
        .expect("now")
        .dyn_into()
        .expect("a function");
    let now = || {
        now_fn
            .call0(&performance)
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
            / 1000.0
    };
    let quick = option_env!("CONVSCOPE_BENCH_QUICK").is_some();
    let rows = run(&now, Settings { quick });
    console_log!("{}", table(&rows));
    console_log!("BENCH_JSON {}", serde_json::to_string(&rows).expect("json"));
}
