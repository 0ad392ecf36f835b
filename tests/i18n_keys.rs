#![cfg(not(target_arch = "wasm32"))]
//! Every translation key that the source names exists in both languages.
//!
//! The UI asks for text with string-literal keys (`t("nav.menu")`, `tr(lang, "nav.home")`,
//! `"page.pooling.title"`). This test reads every `.rs` file under `src/`, picks out the string
//! literals shaped like keys (`area.name` with known areas), and checks each one in both tables,
//! reporting every missing key at once.

use convscope::i18n::{Lang, lookup};
use std::path::Path;

const AREAS: &[&str] = &[
    "app.",
    "nav.",
    "lang.",
    "theme.",
    "footer.",
    "backend.",
    "notfound.",
    "page.",
    "backward.",
    "channels.",
    "conv.",
    "cost.",
    "draw.",
    "images.",
    "inception.",
    "pool.",
    "shapes.",
    "train.",
    "predict.",
    "pointwise.",
    "link.",
    "lab.",
    "gallery.",
    "eval.",
    "maps.",
    "upload.",
    "builder.",
    "model.",
    "share.",
    "embed.",
    "depth.",
    "why.",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("en.rs") {
            out.push(path);
        }
    }
}

/// String literals of the form `"area.word[.word…]"`.
fn key_literals(source: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for piece in source.split('"').skip(1).step_by(2) {
        let looks_like_key = AREAS.iter().any(|a| piece.starts_with(a))
            && piece
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_')
            && !piece.ends_with('.');
        if looks_like_key {
            keys.push(piece.to_string());
        }
    }
    keys
}

#[test]
fn every_key_named_in_src_exists_in_both_languages() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut missing = Vec::new();
    let mut seen = 0;
    for file in &files {
        if file.ends_with("zh.rs") {
            continue;
        }
        let source = std::fs::read_to_string(file).expect("read source");
        for key in key_literals(&source) {
            seen += 1;
            for lang in Lang::ALL {
                if lookup(lang, &key).is_none() {
                    missing.push(format!("{}: {key} ({lang:?})", file.display()));
                }
            }
        }
    }
    assert!(seen > 20, "found only {seen} keys: is the scan broken?");
    assert!(
        missing.is_empty(),
        "missing translations:\n{}",
        missing.join("\n")
    );
}
