//! The one training loop (`train::run::TrainLoop`), which the CLI and the Train page drive: it
//! takes the same steps as a plain hand-written loop over the seeded batches, whatever the chunk
//! sizes; a checkpoint taken mid-epoch resumes bit for bit; each epoch ends with the test
//! evaluation and the next epoch's own shuffle; the schedule sets each epoch's rate.
#![cfg(not(target_arch = "wasm32"))]

use convscope::backend::cpu::SimdBackend;
use convscope::models::classifier::{Classifier, ModelKind};
use convscope::train::checkpoint::{Checkpoint, TrainSettings};
use convscope::train::data::Mnist;
use convscope::train::fit::train_step_model;
use convscope::train::run::{Schedule, TrainLoop};

/// 200 synthetic digits (a bright stroke whose place depends on the label).
fn data(n: usize, salt: usize) -> Mnist {
    let labels: Vec<u8> = (0..n).map(|i| ((i * 7 + salt) % 10) as u8).collect();
    let mut images = vec![0u8; n * 784];
    for (i, &l) in labels.iter().enumerate() {
        for r in 4..24 {
            let c = 4 + 2 * l as usize;
            images[i * 784 + r * 28 + c] = 255;
            images[i * 784 + r * 28 + c + 1] = ((i * 31 + r) % 200) as u8;
        }
    }
    Mnist { images, labels }
}

fn settings() -> TrainSettings {
    TrainSettings {
        batch: 16,
        epochs: 2,
        seed: 7,
        ..TrainSettings::default()
    }
}

/// Runs `run` to the end, `chunk` steps at a time; returns the losses it recorded.
fn drive(run: &mut TrainLoop, train: &Mnist, test: &Mnist, chunk: usize) -> Vec<f32> {
    let mut losses = Vec::new();
    while !run.finished() {
        let mut n = 0;
        let done = pollster::block_on(run.chunk(train, |info| {
            losses.push(info.loss.expect("the CPU knows each loss"));
            n += 1;
            n < chunk
        }))
        .expect("chunk");
        if done.epoch_done {
            pollster::block_on(run.end_epoch(&SimdBackend::new(), test, 50, |_| async {}))
                .expect("epoch end");
        }
    }
    losses
}

fn same_weights(a: &dyn Classifier, b: &dyn Classifier) {
    for ((na, x), (nb, y)) in a.named().iter().zip(b.named()) {
        assert_eq!(na, &nb);
        assert_eq!(x.data(), y.data(), "{na} differs");
    }
}

#[test]
fn chunks_of_any_size_take_the_hand_written_loops_steps() {
    let (train, test) = (data(200, 0), data(60, 3));
    let s = settings();
    // By hand: each epoch shuffled with its own seed, SGD steps in order.
    let mut model = s.model.build(s.seed);
    let mut opt = s.optimizer().build(None);
    let mut want = Vec::new();
    for epoch in 0..s.epochs {
        for indices in train.batches(s.batch, Some(s.epoch_seed(epoch))) {
            let (x, y) = train.batch(&indices);
            let r = train_step_model(&SimdBackend::new(), model.as_mut(), opt.as_mut(), &x, &y)
                .expect("step");
            want.push(r.loss);
        }
    }
    for chunk in [1, 3, 1000] {
        let mut run = TrainLoop::fresh(s);
        let losses = drive(&mut run, &train, &test, chunk);
        assert_eq!(losses, want, "chunks of {chunk}");
        assert_eq!(run.steps(), want.len() as u64);
        assert_eq!(run.cursor.epoch, 2);
        assert_eq!(run.accuracy.len(), 2, "one test accuracy per epoch");
        let got = pollster::block_on(run.session.model()).expect("model");
        same_weights(got.as_ref(), model.as_ref());
    }
}

#[test]
fn a_checkpoint_mid_epoch_resumes_bit_for_bit() {
    let (train, test) = (data(200, 0), data(60, 3));
    for model in ModelKind::ALL {
        let s = TrainSettings {
            model,
            adam: model != ModelKind::Net,
            epochs: 1,
            batch: 32,
            ..settings()
        };
        let mut whole = TrainLoop::fresh(s);
        drive(&mut whole, &train, &test, 1000);

        let mut first = TrainLoop::fresh(s);
        let mut n = 0;
        pollster::block_on(first.chunk(&train, |_| {
            n += 1;
            n < 3
        }))
        .expect("three steps");
        let bytes = pollster::block_on(first.checkpoint())
            .expect("checkpoint")
            .to_bytes();
        let mut resumed = TrainLoop::resume(&Checkpoint::from_bytes(&bytes).expect("read back"));
        assert_eq!((resumed.steps(), resumed.cursor.next), (3, 3));
        drive(&mut resumed, &train, &test, 2);
        assert_eq!(resumed.steps(), whole.steps());
        assert_eq!(resumed.accuracy, whole.accuracy);
        let (a, b) = (
            pollster::block_on(resumed.session.model()).expect("model"),
            pollster::block_on(whole.session.model()).expect("model"),
        );
        same_weights(a.as_ref(), b.as_ref());
    }
}

#[test]
fn the_schedule_sets_each_epochs_rate() {
    let (train, test) = (data(64, 0), data(20, 3));
    let mut run = TrainLoop::fresh(TrainSettings {
        epochs: 3,
        lr: 0.1,
        ..settings()
    });
    run.schedule = Schedule::Step {
        every: 1,
        gamma: 0.5,
    };
    let mut plain = TrainLoop::fresh(TrainSettings {
        epochs: 3,
        lr: 0.1,
        ..settings()
    });
    drive(&mut run, &train, &test, 1000);
    drive(&mut plain, &train, &test, 1000);
    let (a, b) = (
        pollster::block_on(run.session.model()).expect("model"),
        pollster::block_on(plain.session.model()).expect("model"),
    );
    // Same first epoch, smaller later steps: the weights differ.
    assert_ne!(a.named()[0].1.data(), b.named()[0].1.data());
}
