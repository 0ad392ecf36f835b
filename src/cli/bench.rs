//! `convscope bench`: the native half of `make bench` (the wasm half runs the same code in Node).

use super::args::Args;
use super::io;
use crate::bench::{Settings, run as run_bench, table};
use std::io::Write;
use std::time::Instant;

pub fn run(rest: &[String], out: &mut impl Write) -> Result<(), String> {
    let a = Args::parse(rest, &["json"], &["quick", "no-gpu", "gpu-only"])?;
    let start = Instant::now();
    let now = move || start.elapsed().as_secs_f64();
    let settings = Settings {
        quick: a.has("quick"),
    };
    // `--gpu-only`: just the GPU rows (for a machine lent with a GPU, where the CPU rows are
    // measured elsewhere).
    let mut rows = if a.has("gpu-only") {
        Vec::new()
    } else {
        run_bench(&now, settings)
    };
    if !a.has("no-gpu") {
        rows.extend(crate::bench::gpu_rows(&now, settings));
    }
    write!(out, "{}", table(&rows)).map_err(io)?;
    if let Some(path) = a.opt("json") {
        let json = serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?;
        std::fs::write(path, json).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    Ok(())
}
