//! The Train page's "Compare two runs" (`train::compare`): runs A and B, each on its own half of
//! the threads, trained in alternating chunks and frozen to checkpoints and resumed halfway (a
//! reload), take exactly the steps, losses and test accuracies of the single run of THE loop
//! for the same settings on all the threads (what the Train page's own run gives).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use convscope::backend::cpu::SimdBackend;
use convscope::train::checkpoint::{Checkpoint, TrainSettings};
use convscope::train::compare::{CompareSettings, Summary, threads_each};
use convscope::train::data::Mnist;
use convscope::train::parallel::InlinePool;
use convscope::train::run::TrainLoop;

/// The test digits `from..from + n` (real handwriting).
fn data(from: usize, n: usize) -> Mnist {
    let m = common::mnist("t10k");
    Mnist {
        images: m.images[from * 784..(from + n) * 784].to_vec(),
        labels: m.labels[from..from + n].to_vec(),
    }
}

fn on_threads(mut run: TrainLoop, threads: usize) -> TrainLoop {
    run.session.set_pool(Some(Box::new(InlinePool {
        backend: SimdBackend::new(),
        workers: threads - 1,
    })));
    assert_eq!(run.session.threads(), threads);
    run
}

/// Up to `steps` more steps of `run` (ending the epoch with the test if it ends), recording
/// each step's loss in `losses`.
fn chunk(run: &mut TrainLoop, train: &Mnist, test: &Mnist, steps: usize, losses: &mut Vec<f32>) {
    let mut left = steps;
    let chunk = pollster::block_on(run.chunk(train, |info| {
        losses.push(info.loss.expect("a CPU step's loss"));
        left -= 1;
        left > 0
    }))
    .expect("chunk");
    if chunk.epoch_done {
        pollster::block_on(run.end_epoch(&SimdBackend::new(), test, 50, |_| async {}))
            .expect("test");
    }
}

#[test]
fn each_compared_run_equals_the_single_run_of_its_settings() {
    let (train, test) = (data(0, 256), data(1000, 100));
    let total = 8;
    let mut settings = CompareSettings::default();
    settings.a.batch = 32;
    settings.a.epochs = 2;
    settings.b = TrainSettings {
        adam: true,
        lr: 0.001,
        ..settings.a
    };
    // The single runs, each on all the threads in chunks of 5 steps.
    let single = |s: TrainSettings| {
        let mut run = on_threads(TrainLoop::fresh(s), total);
        let mut losses = Vec::new();
        while !run.finished() {
            chunk(&mut run, &train, &test, 5, &mut losses);
        }
        (
            losses,
            run.accuracy.clone(),
            run.session.history.last().copied(),
        )
    };
    let (want_a, want_b) = (single(settings.side(false)), single(settings.side(true)));
    assert_eq!(want_a.0.len(), 16, "2 epochs of 8 batches");

    // Compared: half the threads each, alternating chunks of 3 steps, frozen and resumed from
    // checkpoint bytes after 5 chunks each.
    let half = threads_each(total);
    let mut runs = [false, true].map(|b| on_threads(TrainLoop::fresh(settings.side(b)), half));
    let mut losses = [Vec::new(), Vec::new()];
    for round in 0.. {
        if runs.iter().all(TrainLoop::finished) {
            break;
        }
        if round == 5 {
            runs = runs.map(|mut run| {
                let bytes = pollster::block_on(run.checkpoint())
                    .expect("checkpoint")
                    .to_bytes();
                let c = Checkpoint::from_bytes(&bytes).expect("read back");
                on_threads(TrainLoop::resume(&c), half)
            });
        }
        for (run, losses) in runs.iter_mut().zip(&mut losses) {
            if !run.finished() {
                chunk(run, &train, &test, 3, losses);
            }
        }
    }
    let [a, b] = &runs;
    assert_eq!(losses[0], want_a.0, "run A's losses, step by step");
    assert_eq!(losses[1], want_b.0, "run B's losses, step by step");
    assert_eq!(a.accuracy, want_a.1);
    assert_eq!(b.accuracy, want_b.1);
    assert_eq!(
        a.session.history.last().copied(),
        want_a.2,
        "the last loss shown"
    );
    assert_eq!(b.session.history.last().copied(), want_b.2);
    assert_ne!(losses[0], losses[1], "the runs differ");
    let summary = Summary::of(&a.accuracy, &b.accuracy).expect("both ran 2 epochs");
    assert_eq!(
        (summary.epochs, summary.a, summary.b),
        (2, a.accuracy[1].1, b.accuracy[1].1)
    );
}
