//! `scripts/setup.sh` on a machine without its prerequisites (issue 17, item 7): without Rust it
//! stops at once and says how to install it with rustup; with a Node.js older than 20 it says
//! which version is needed. Runs the real script with a PATH and HOME that lack the tools.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

fn setup(path: &str, home: &Path) -> (bool, String) {
    let out = Command::new("bash")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/setup.sh"))
        .env("PATH", path)
        .env("HOME", home)
        .output()
        .expect("run setup.sh");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("convscope-setup-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A fake command in `dir` that prints `output`.
fn fake(dir: &Path, name: &str, output: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\necho '{output}'\n")).expect("fake command");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn without_rust_setup_stops_and_says_to_use_rustup() {
    let home = scratch("no-rust");
    let (ok, out) = setup("/usr/bin:/bin", &home);
    assert!(!ok, "{out}");
    assert!(
        out.contains("Rust is missing") && out.contains("rustup"),
        "{out}"
    );
    assert!(!out.contains("command not found"), "{out}");
    std::fs::remove_dir_all(home).ok();
}

#[test]
fn an_old_node_is_named_with_the_version_needed() {
    let home = scratch("old-node");
    let bin = home.join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    fake(&bin, "rustup", "rustup 1.28.0");
    fake(&bin, "cargo", "cargo 1.95.0");
    fake(&bin, "node", "v18.19.0");
    fake(&bin, "npm", "9.2.0");
    // Debian's own tools (dpkg-query, sed) stay on the PATH, after the fakes.
    let (ok, out) = setup(&format!("{}:/usr/bin:/bin", bin.display()), &home);
    assert!(!ok, "{out}");
    assert!(
        out.contains("Node.js 20 or newer is needed (found v18.19.0)"),
        "{out}"
    );
    std::fs::remove_dir_all(home).ok();
}
