//! `convscope train`: the lesson's training loop, with a progress bar, the loss every 300
//! batches, test accuracy after each epoch, and the weights saved as safetensors.

use super::args::Args;
use super::data::{backend, load_split};
use super::io;
use crate::models::classifier::{self, ModelKind};
use crate::train::fit::{evaluate, train_step_model};
use crate::train::optim::{Adam, Optimizer, Sgd};
use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

/// A learning-rate schedule, applied at the start of each epoch.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Schedule {
    None,
    /// Multiply by `gamma` every `every` epochs (`StepLR`).
    Step {
        every: usize,
        gamma: f32,
    },
    /// Cosine from the base rate to 0 over all epochs (`CosineAnnealingLR`).
    Cosine,
}

impl Schedule {
    fn parse(s: &str) -> Result<Self, String> {
        let bad =
            || format!("--schedule '{s}': use none, cosine or step:EVERY:GAMMA (e.g. step:3:0.5)");
        match s.split(':').collect::<Vec<_>>()[..] {
            ["none"] => Ok(Self::None),
            ["cosine"] => Ok(Self::Cosine),
            ["step", every, gamma] => Ok(Self::Step {
                every: every.parse().ok().filter(|&e| e > 0).ok_or_else(bad)?,
                gamma: gamma.parse().map_err(|_| bad())?,
            }),
            _ => Err(bad()),
        }
    }

    fn lr(self, base: f32, epoch: usize, epochs: usize) -> f32 {
        match self {
            Self::None => base,
            Self::Step { every, gamma } => base * gamma.powi((epoch / every) as i32),
            Self::Cosine => {
                base * 0.5 * (1.0 + (std::f32::consts::PI * epoch as f32 / epochs as f32).cos())
            }
        }
    }
}

pub fn run(rest: &[String], out: &mut impl Write) -> Result<(), String> {
    let a = Args::parse(
        rest,
        &[
            "model",
            "epochs",
            "batch",
            "lr",
            "momentum",
            "weight-decay",
            "optimizer",
            "schedule",
            "seed",
            "backend",
            "data",
            "out",
            "limit",
            "augment",
        ],
        &["nesterov", "quiet"],
    )?;
    let epochs: usize = a.get("epochs", 10)?;
    let batch: usize = a.get("batch", 64)?;
    let base_lr: f32 = a.get("lr", 0.01)?;
    let seed: u64 = a.get("seed", 1)?;
    let schedule = Schedule::parse(a.opt("schedule").unwrap_or("none"))?;
    let shift: usize = match a.opt("augment") {
        None | Some("none") => 0,
        Some(s) => s
            .strip_prefix("shift:")
            .and_then(|n| n.parse().ok())
            .filter(|n| (1..=8).contains(n))
            .ok_or_else(|| format!("--augment '{s}': use none or shift:N with N from 1 to 8"))?,
    };
    let quiet = a.has("quiet");
    if batch == 0 || epochs == 0 {
        return Err("--batch and --epochs must be at least 1".into());
    }
    let mut opt: Box<dyn Optimizer> = match a.opt("optimizer").unwrap_or("sgd") {
        "sgd" => {
            let mut sgd = Sgd::new(base_lr, a.get("momentum", 0.5)?);
            sgd.weight_decay = a.get("weight-decay", 0.0)?;
            sgd.nesterov = a.has("nesterov");
            Box::new(sgd)
        }
        "adam" => {
            let mut adam = Adam::new(base_lr);
            adam.weight_decay = a.get("weight-decay", 0.0)?;
            Box::new(adam)
        }
        other => return Err(format!("unknown optimizer '{other}' (sgd or adam)")),
    };
    let be = backend(a.opt("backend"))?;
    let mut train = load_split(a.opt("data"), "train")?;
    if let Some(limit) = a.opt("limit") {
        let n: usize = limit
            .parse()
            .map_err(|_| format!("--limit: cannot read '{limit}'"))?;
        train.images.truncate(n * 784);
        train.labels.truncate(n);
    }
    let test = load_split(a.opt("data"), "t10k")?;
    let kind = ModelKind::parse(a.opt("model").unwrap_or("net"))?;
    let mut net = kind.build(seed);
    let params: usize = net.named().iter().map(|(_, t)| t.len()).sum();
    writeln!(
        out,
        "training {} ({params} parameters) on {} images, {epochs} epochs, batch {batch}, {} backend, seed {seed}",
        kind.name(),
        train.len(),
        be.name()
    )
    .map_err(io)?;
    let started = Instant::now();
    let mut images_seen = 0usize;
    let mut last_eval = None;
    for epoch in 0..epochs {
        opt.set_lr(schedule.lr(base_lr, epoch, epochs));
        let batches = train.batches(
            batch,
            Some(seed.wrapping_mul(1000).wrapping_add(epoch as u64)),
        );
        let mut running = 0.0f64;
        for (i, indices) in batches.iter().enumerate() {
            let (x, y) = if shift > 0 {
                let batch_seed = seed ^ ((epoch as u64) << 32) ^ i as u64;
                train.batch_shifted(indices, shift, batch_seed)
            } else {
                train.batch(indices)
            };
            let report = train_step_model(be.as_ref(), net.as_mut(), opt.as_mut(), &x, &y)
                .map_err(|e| e.to_string())?;
            images_seen += y.len();
            running += report.loss as f64;
            if i % 300 == 299 {
                writeln!(
                    out,
                    "[{}, {:5}] loss: {:.3}",
                    epoch + 1,
                    i + 1,
                    running / 300.0
                )
                .map_err(io)?;
                running = 0.0;
            }
            if !quiet && (i % 20 == 0 || i + 1 == batches.len()) {
                progress(
                    epoch + 1,
                    epochs,
                    i + 1,
                    batches.len(),
                    images_seen,
                    started,
                );
            }
        }
        let eval = evaluate(be.as_ref(), net.as_ref(), &test, 1000).map_err(|e| e.to_string())?;
        if !quiet {
            eprint!("\r\x1b[2K");
        }
        writeln!(
            out,
            "epoch {}: lr {:.5}, test accuracy {:.2} % ({} / {}), test loss {:.4}",
            epoch + 1,
            opt.lr(),
            eval.accuracy_percent(),
            eval.correct,
            eval.total,
            eval.loss
        )
        .map_err(io)?;
        last_eval = Some(eval);
    }
    let secs = started.elapsed().as_secs_f64();
    writeln!(
        out,
        "trained {images_seen} images in {secs:.1} s ({:.0} images/s including evaluation)",
        images_seen as f64 / secs
    )
    .map_err(io)?;
    if let Some(path) = a.opt("out") {
        let mut meta = HashMap::new();
        meta.insert("format".to_string(), "pt".to_string());
        meta.insert(
            "trained_by".to_string(),
            format!("convscope train {}", rest.join(" ")),
        );
        if let Some(eval) = &last_eval {
            meta.insert(
                "test_accuracy".to_string(),
                format!("{:.2}", eval.accuracy_percent()),
            );
        }
        let bytes = classifier::save(net.as_ref(), Some(meta)).map_err(|e| e.to_string())?;
        std::fs::write(path, bytes).map_err(|e| format!("cannot write {path}: {e}"))?;
        writeln!(out, "saved {path}").map_err(io)?;
    }
    Ok(())
}

fn progress(
    epoch: usize,
    epochs: usize,
    done: usize,
    total: usize,
    images: usize,
    started: Instant,
) {
    const WIDTH: usize = 30;
    let filled = WIDTH * done / total.max(1);
    let rate = images as f64 / started.elapsed().as_secs_f64().max(1e-9);
    eprint!(
        "\repoch {epoch}/{epochs} [{}{}] {done}/{total} batches, {rate:.0} images/s",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        assert_eq!(Schedule::parse("none"), Ok(Schedule::None));
        let step = Schedule::parse("step:2:0.5").expect("step");
        assert_eq!(step.lr(0.1, 0, 6), 0.1);
        assert_eq!(step.lr(0.1, 3, 6), 0.05);
        assert!((Schedule::Cosine.lr(0.1, 5, 10) - 0.05).abs() < 1e-6);
        assert!(Schedule::parse("step:0:1").is_err());
        assert!(
            Schedule::parse("linear")
                .unwrap_err()
                .contains("step:EVERY:GAMMA")
        );
    }
}
