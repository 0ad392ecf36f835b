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

/// The multiply-add the CPU kernels run: plain simd128 rounds the product first; the relaxed
/// build (`--features convscope-core/relaxed`, Node started with `--experimental-wasm-relaxed-simd`)
/// runs `f32x4.relaxed_madd`, which the engine may fuse (one rounding) or not, but always the
/// same way on one machine.
#[wasm_bindgen_test]
fn madd_is_relaxed_only_in_the_relaxed_build() {
    use convscope::backend::cpu::{RELAXED, madd_probe};
    let probe = madd_probe();
    wasm_bindgen_test::console_log!("relaxed build: {RELAXED}; madd probe {probe:e}");
    if RELAXED {
        assert!(probe == 0.0 || probe == 2f32.powi(-24), "{probe:e}");
        assert_eq!(madd_probe().to_bits(), probe.to_bits(), "deterministic");
    } else {
        assert_eq!(probe, 0.0, "simd128 is not fused");
    }
}

/// The sharded training step gives the same losses on 1, 2 and 8 workers, run after run (in
/// either worker build).
#[wasm_bindgen_test]
async fn parallel_training_is_deterministic_in_node() {
    wasm_common::parallel_training_is_deterministic().await;
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
