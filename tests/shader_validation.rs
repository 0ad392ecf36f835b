//! Every WGSL file in `shaders/` parses and validates with naga (all validation flags, all
//! capabilities that WebGPU offers by default), and all failures are reported at once.
#![cfg(not(target_arch = "wasm32"))]

use naga::valid::{Capabilities, ValidationFlags, Validator};
use std::path::Path;

#[test]
fn every_wgsl_file_validates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("shaders");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read shaders/")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "wgsl"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for path in &files {
        let source = std::fs::read_to_string(path).expect("read shader");
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        match naga::front::wgsl::parse_str(&source) {
            Err(e) => failures.push(format!(
                "{name}: parse error:\n{}",
                e.emit_to_string(&source)
            )),
            Ok(module) => {
                let mut validator = Validator::new(ValidationFlags::all(), Capabilities::empty());
                if let Err(e) = validator.validate(&module) {
                    failures.push(format!("{name}: invalid:\n{}", e.emit_to_string(&source)));
                }
            }
        }
    }
    eprintln!("validated {} WGSL file(s) in shaders/", files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
