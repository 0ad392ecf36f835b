//! `convscope train`: the lesson's training loop, with a progress bar, the loss every 300
//! batches, test accuracy after each epoch, and the weights saved as safetensors.

use super::args::Args;
use super::data::{backend, load_split};
use super::io;
use crate::models::classifier::{self, ModelKind};
use crate::train::checkpoint::TrainSettings;
use crate::train::optim::OptimizerConfig;
use crate::train::run::{Schedule, TrainLoop};
use crate::train::session::Session;
use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

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
    let lr: f32 = a.get("lr", 0.01)?;
    let momentum: f32 = a.get("momentum", 0.5)?;
    let weight_decay: f32 = a.get("weight-decay", 0.0)?;
    let adam = match a.opt("optimizer").unwrap_or("sgd") {
        "sgd" => false,
        "adam" => true,
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
    let settings = TrainSettings {
        lr,
        momentum,
        batch,
        adam,
        seed,
        epochs: epochs as u64,
        model: kind,
    };
    let config = match settings.optimizer() {
        OptimizerConfig::Sgd {
            lr,
            momentum,
            dampening,
            ..
        } => OptimizerConfig::Sgd {
            lr,
            momentum,
            dampening,
            weight_decay,
            nesterov: a.has("nesterov"),
        },
        OptimizerConfig::Adam {
            lr,
            beta1,
            beta2,
            eps,
            ..
        } => OptimizerConfig::Adam {
            lr,
            beta1,
            beta2,
            eps,
            weight_decay,
        },
    };
    let be_name = be.name();
    let session = Session::cpu_on(be, kind.build(seed), config);
    let mut run = TrainLoop::new(settings, session);
    run.schedule = schedule;
    run.augment_shift = shift;
    let params: usize = kind.param_count();
    writeln!(
        out,
        "training {} ({params} parameters) on {} images, {epochs} epochs, batch {batch}, {be_name} backend, seed {seed}",
        kind.name(),
        train.len(),
    )
    .map_err(io)?;
    let started = Instant::now();
    let mut images_seen = 0usize;
    let mut last_eval = None;
    let eval_be = backend(a.opt("backend"))?;
    while !run.finished() {
        // The loss every 300 batches (their mean), as the lesson's loop prints it.
        let mut running = 0.0f64;
        loop {
            let mut last = None;
            let chunk = pollster::block_on(run.chunk(&train, |info| {
                running += f64::from(info.loss.unwrap_or(f32::NAN));
                last = Some(*info);
                if !quiet && (info.batch % 20 == 0 || info.batch + 1 == info.batches) {
                    progress(
                        info.epoch + 1,
                        epochs,
                        info.batch + 1,
                        info.batches,
                        images_seen + info.images,
                        started,
                    );
                }
                images_seen += info.images;
                info.batch % 300 != 299
            }))
            .map_err(|e| e.to_string())?;
            if let Some(info) = last.filter(|i| i.batch % 300 == 299) {
                writeln!(
                    out,
                    "[{}, {:5}] loss: {:.3}",
                    info.epoch + 1,
                    info.batch + 1,
                    running / 300.0
                )
                .map_err(io)?;
                running = 0.0;
            }
            if chunk.epoch_done {
                break;
            }
        }
        let epoch_lr = run.schedule.lr(lr, run.cursor.epoch, settings.epochs);
        let (_, eval) =
            pollster::block_on(run.end_epoch(eval_be.as_ref(), &test, 1000, |_| async {}))
                .map_err(|e| e.to_string())?;
        if !quiet {
            eprint!("\r\x1b[2K");
        }
        writeln!(
            out,
            "epoch {}: lr {:.5}, test accuracy {:.2} % ({} / {}), test loss {:.4}",
            run.cursor.epoch,
            epoch_lr,
            eval.accuracy_percent(),
            eval.correct,
            eval.total,
            eval.loss
        )
        .map_err(io)?;
        last_eval = Some(eval);
    }
    let net = pollster::block_on(run.session.model()).map_err(|e| e.to_string())?;
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

fn progress(epoch: u64, epochs: usize, done: usize, total: usize, images: usize, started: Instant) {
    const WIDTH: usize = 30;
    let filled = WIDTH * done / total.max(1);
    let rate = images as f64 / started.elapsed().as_secs_f64().max(1e-9);
    eprint!(
        "\repoch {epoch}/{epochs} [{}{}] {done}/{total} batches, {rate:.0} images/s",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled)
    );
}
