//! `convscope depth`: the lesson's "deeper is not always better" measured — a plain stack and a
//! residual stack of N 3 × 3 convolutions trained side by side on the same batches, for each N
//! given, printing training and test loss as they go (and writing them as JSON for the page).

use super::args::Args;
use super::data::{backend, load_split};
use super::io;
use crate::train::depth::{self, DepthSettings};
use std::io::Write;

pub fn run(rest: &[String], out: &mut impl Write) -> Result<(), String> {
    let a = Args::parse(
        rest,
        &[
            "layers", "steps", "batch", "every", "test", "seed", "backend", "data", "json",
        ],
        &[],
    )?;
    let layers: Vec<usize> = a
        .opt("layers")
        .unwrap_or("4,8,16")
        .split(',')
        .map(|s| {
            s.trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (2..=64).contains(n))
        })
        .collect::<Option<_>>()
        .ok_or("--layers: even numbers from 2 to 64, separated by commas (e.g. 4,8,16)")?;
    let steps: usize = a.get("steps", 300)?;
    let batch: usize = a.get("batch", 64)?;
    let every: usize = a.get("every", 25)?;
    let test_n: usize = a.get("test", 1000)?;
    let seed: u64 = a.get("seed", 1)?;
    if steps == 0 || batch == 0 || every == 0 {
        return Err("--steps, --batch and --every must be at least 1".into());
    }
    let name = a.opt("backend");
    backend(name)?;
    let make = || backend(name).expect("checked above");
    let train = load_split(a.opt("data"), "train")?;
    let test = load_split(a.opt("data"), "t10k")?;
    let mut runs = Vec::new();
    for &n in &layers {
        let started = std::time::Instant::now();
        let settings = DepthSettings {
            depth: n,
            steps,
            batch,
            every,
            test_n,
            seed,
        };
        let [plain, residual] =
            depth::run(settings, &train, &test, &make).map_err(|e| e.to_string())?;
        writeln!(
            out,
            "{n} layers ({:.1} s): step, train loss plain / residual, test loss plain / residual",
            started.elapsed().as_secs_f64()
        )
        .map_err(io)?;
        for ((s, tp), ((_, tr), ((_, vp), (_, vr)))) in plain.train.iter().zip(
            residual
                .train
                .iter()
                .zip(plain.test.iter().zip(&residual.test)),
        ) {
            writeln!(out, "  {s:5}  {tp:.4} / {tr:.4}   {vp:.4} / {vr:.4}").map_err(io)?;
        }
        writeln!(
            out,
            "  test accuracy ({test_n} images): plain {:.1} %, residual {:.1} %",
            plain.accuracy, residual.accuracy
        )
        .map_err(io)?;
        runs.push(serde_json::json!({ "layers": n, "plain": plain, "residual": residual }));
    }
    if let Some(path) = a.opt("json") {
        let doc = serde_json::json!({
            "made_by": format!("convscope depth {}", rest.join(" ")),
            "steps": steps, "batch": batch, "every": every, "test_images": test_n, "seed": seed,
            "runs": runs,
        });
        std::fs::write(path, serde_json::to_vec_pretty(&doc).unwrap_or_default())
            .map_err(|e| format!("cannot write {path}: {e}"))?;
        writeln!(out, "saved {path}").map_err(io)?;
    }
    Ok(())
}
