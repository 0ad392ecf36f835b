//! Data-parallel training (`train::parallel`): each step's batch split into the same 8 shards,
//! dealt to N threads, their gradients summed up a fixed tree over the shards, one optimizer step. For the three
//! models, with SGD and Adam, 100 steps (40 for the deeper nets) on 2, 3, 4 and 8 threads record
//! exactly the losses of the one-thread run (well within the 1e-5 relative asked), and a rerun
//! repeats them; the sharded step's first losses match the plain, unsharded step's to float
//! rounding. (The workers here are an in-process pool; the page's Web Workers run the same code
//! on the same shards.)
#![cfg(not(target_arch = "wasm32"))]

mod common;

use convscope::backend::cpu::SimdBackend;
use convscope::models::classifier::ModelKind;
use convscope::train::checkpoint::TrainSettings;
use convscope::train::data::Mnist;
use convscope::train::parallel::InlinePool;
use convscope::train::run::TrainLoop;

/// The first `n` test digits (real handwriting, so the loss stays far from 0).
fn data(n: usize) -> Mnist {
    let mut m = common::mnist("t10k");
    m.images.truncate(n * 784);
    m.labels.truncate(n);
    m
}

fn losses(settings: TrainSettings, workers: usize, steps: usize, train: &Mnist) -> Vec<f32> {
    let mut run = TrainLoop::fresh(settings);
    // 0 threads: the plain, unsharded step.
    if workers > 0 {
        run.session.set_pool(Some(Box::new(InlinePool {
            backend: SimdBackend::new(),
            workers: workers - 1,
        })));
    }
    assert_eq!(run.session.threads(), workers.max(1));
    let mut out = Vec::new();
    while out.len() < steps {
        let chunk = pollster::block_on(run.chunk(train, |info| {
            out.push(info.loss.expect("loss"));
            out.len() < steps
        }))
        .expect("chunk");
        if chunk.epoch_done {
            run.cursor = Default::default();
        }
    }
    out
}

#[test]
fn any_thread_count_trains_exactly_as_one_thread() {
    let train = data(320);
    for model in ModelKind::ALL {
        for adam in [false, true] {
            let steps = if model == ModelKind::Net { 100 } else { 40 };
            let settings = TrainSettings {
                model,
                adam,
                lr: if adam { 1e-3 } else { 0.01 },
                batch: if model == ModelKind::Net { 32 } else { 8 },
                epochs: 100,
                ..TrainSettings::default()
            };
            let one = losses(settings, 1, steps, &train);
            let plain = losses(settings, 0, steps, &train);
            for (step, (a, b)) in one.iter().zip(&plain).take(3).enumerate() {
                let rel = (a - b).abs() / b.abs();
                assert!(
                    rel <= 1e-6,
                    "{model:?} adam={adam} step {step}: sharded {a} vs plain {b}"
                );
            }
            for workers in [2, 3, 4, 8] {
                assert_eq!(
                    losses(settings, workers, steps, &train),
                    one,
                    "{model:?} adam={adam}: {workers} threads vs 1"
                );
            }
        }
    }
}
