//! wasm tests that run in Node 20 (`cargo test --target wasm32-unknown-unknown --test web_node`):
//! the platform-independent core compiled to wasm32 behaves as it does natively.
#![cfg(target_arch = "wasm32")]

use convscope::i18n::{Lang, lookup, tr};
use convscope::pages::Page;
use wasm_bindgen_test::wasm_bindgen_test;

mod wasm_common;

/// The SIMD backend compiled with simd128, run by Node's wasm engine, against the reference.
#[wasm_bindgen_test]
fn simd_backend_matches_reference_in_node() {
    wasm_common::simd_matches_reference();
}

#[wasm_bindgen_test]
fn routes_round_trip_in_wasm() {
    for page in Page::ALL {
        assert_eq!(Page::from_hash(&page.href()), Some(page));
    }
    assert_eq!(Page::from_hash("#/nope"), None);
}

#[wasm_bindgen_test]
fn every_page_is_translated_in_wasm() {
    for page in Page::ALL {
        for lang in Lang::ALL {
            assert!(
                lookup(lang, page.title_key()).is_some(),
                "{lang:?} {page:?}"
            );
        }
    }
    assert_eq!(tr(Lang::Zh, "page.pooling.title"), "池化");
}

/// .cargo/config.toml turns simd128 on for every wasm32 build; the CPU backend relies on it.
/// This runs real SIMD instructions, so it also shows that the runtime executes them.
#[cfg(target_feature = "simd128")]
#[wasm_bindgen_test]
fn simd128_runs() {
    use core::arch::wasm32::{f32x4, f32x4_extract_lane, f32x4_mul};
    let product = f32x4_mul(f32x4(1.0, 2.0, 3.0, 4.0), f32x4(0.5, 0.5, 2.0, 2.0));
    assert_eq!(f32x4_extract_lane::<3>(product), 8.0);
    assert_eq!(f32x4_extract_lane::<0>(product), 0.5);
}

#[cfg(not(target_feature = "simd128"))]
#[wasm_bindgen_test]
fn simd128_runs() {
    panic!("built without simd128: check .cargo/config.toml");
}
