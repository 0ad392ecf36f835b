//! Training sessions move between the GPU (lavapipe here) and the CPU without losing anything:
//! a simulated device loss mid-training carries on with SIMD from the last completed step, and a
//! switch in either direction carries the model and optimizer state over.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{Rng, assert_close};
use convscope::backend::gpu::GpuContext;
use convscope::models::Net;
use convscope::models::classifier::Classifier;
use convscope::tensor::Tensor;
use convscope::train::optim::OptimizerConfig;
use convscope::train::session::Session;
use std::rc::Rc;

fn batches(n: usize) -> Vec<(Tensor, Vec<usize>)> {
    let mut rng = Rng::new(21);
    (0..n)
        .map(|s| {
            let targets: Vec<usize> = (0..8).map(|i| (i + s) % 10).collect();
            let x = Tensor::from_fn(&[8, 1, 28, 28], |i| {
                ((i % 784) as f32 * (targets[i / 784] + 1) as f32 * 0.013).cos()
                    + 0.1 * rng.next_f32()
            });
            (x, targets)
        })
        .collect()
}

fn gpu() -> Rc<GpuContext> {
    Rc::new(
        pollster::block_on(GpuContext::new()).expect("a GPU adapter (make test installs lavapipe)"),
    )
}

/// Runs `steps` batches, recording the loss after every step.
fn run(session: &mut Session, data: &[(Tensor, Vec<usize>)]) {
    for (x, t) in data {
        pollster::block_on(session.step(x.clone(), t.clone())).expect("step");
        pollster::block_on(session.record_loss()).expect("loss");
    }
}

fn assert_same_weights(a: &dyn Classifier, b: &dyn Classifier) {
    let (a, b) = (a.named(), b.named());
    assert_eq!(a.len(), b.len());
    for ((na, x), (nb, y)) in a.iter().zip(&b) {
        assert_eq!(na, nb);
        assert_close("weights", x, y, 2e-4, 1e-3);
    }
}

fn reference_run(
    config: OptimizerConfig,
    data: &[(Tensor, Vec<usize>)],
) -> (Box<dyn Classifier>, Vec<(u64, f32)>) {
    let mut cpu = Session::cpu(Box::new(Net::new(3)), config);
    run(&mut cpu, data);
    (pollster::block_on(cpu.model()).expect("net"), cpu.history)
}

#[test]
fn device_loss_mid_training_continues_on_simd_without_losing_a_step() {
    for config in [
        OptimizerConfig::lesson(),
        OptimizerConfig::Adam {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
        },
    ] {
        let data = batches(14);
        let ctx = gpu();
        let mut session = Session::gpu(Rc::clone(&ctx), Box::new(Net::new(3)), config);
        session.checkpoint_every = 4;
        run(&mut session, &data[..9]);
        assert_eq!(session.backend_name(), "webgpu");
        ctx.simulate_device_loss();
        run(&mut session, &data[9..]);
        assert_eq!(session.backend_name(), "simd");
        assert_eq!(session.fallbacks, 1);
        assert!(
            matches!(
                session.gpu_error,
                Some(convscope::backend::gpu::GpuError::DeviceLost(_))
            ),
            "the reason is kept"
        );
        assert_eq!(session.steps, 14);
        let (want_net, want_history) = reference_run(config, &data);
        assert_eq!(session.history.len(), 14, "every chart point kept");
        for ((step, loss), (want_step, want_loss)) in session.history.iter().zip(&want_history) {
            assert_eq!(step, want_step);
            assert!(
                (loss - want_loss).abs() <= 1e-4 * want_loss.abs().max(1.0),
                "step {step}: {loss} vs {want_loss}"
            );
        }
        assert_same_weights(
            pollster::block_on(session.model()).expect("net").as_ref(),
            want_net.as_ref(),
        );
    }
}

/// A GPU whose limits the step's buffers exceed (64 KiB storage bindings; the first
/// activation of a batch of 8 needs 180 KiB): the device's validation error becomes the
/// session's fall back, visible in `fallbacks` and `gpu_error`, and no step is lost. Before
/// error scopes, wgpu's uncaptured-error handler panicked here (and in a browser the steps
/// would have "succeeded" with garbage).
#[test]
fn a_gpu_validation_error_falls_back_visibly_without_losing_a_step() {
    use convscope::backend::gpu::{GpuError, wgpu};
    let limits = wgpu::Limits {
        max_storage_buffer_binding_size: 64 * 1024,
        ..wgpu::Limits::default()
    };
    let ctx = Rc::new(pollster::block_on(GpuContext::with_limits(limits)).expect("GPU"));
    let data = batches(6);
    let config = OptimizerConfig::lesson();
    let mut session = Session::gpu(Rc::clone(&ctx), Box::new(Net::new(3)), config);
    assert_eq!(session.backend_name(), "webgpu");
    run(&mut session, &data);
    assert_eq!(session.backend_name(), "simd");
    assert_eq!(session.fallbacks, 1);
    assert!(
        matches!(session.gpu_error, Some(GpuError::Validation(_))),
        "{:?}",
        session.gpu_error
    );
    assert!(
        ctx.check_alive().is_err(),
        "the failed context is not used again"
    );
    assert_eq!(session.steps, 6);
    let (want_net, want_history) = reference_run(config, &data);
    assert_eq!(session.history.len(), 6);
    for ((step, loss), (want_step, want_loss)) in session.history.iter().zip(&want_history) {
        assert_eq!(step, want_step);
        assert!(
            (loss - want_loss).abs() <= 1e-4,
            "step {step}: {loss} vs {want_loss}"
        );
    }
    assert_same_weights(
        pollster::block_on(session.model()).expect("net").as_ref(),
        want_net.as_ref(),
    );
}

/// Submissions are counted where they happen: a session step on the GPU is one submission,
/// recording its loss one more (a readback).
#[test]
fn a_gpu_session_step_is_one_submission() {
    let ctx = gpu();
    let data = batches(5);
    let mut session = Session::gpu(
        Rc::clone(&ctx),
        Box::new(Net::new(3)),
        OptimizerConfig::lesson(),
    );
    let before = ctx.submissions();
    for (x, t) in &data {
        pollster::block_on(session.step(x.clone(), t.clone())).expect("step");
    }
    assert_eq!(ctx.submissions() - before, 5);
    pollster::block_on(session.record_loss()).expect("loss");
    assert_eq!(ctx.submissions() - before, 6);
    assert_eq!(session.backend_name(), "webgpu");
}

#[test]
fn switching_backends_carries_the_model_and_optimizer_over() {
    let data = batches(15);
    let config = OptimizerConfig::lesson();
    let mut session = Session::cpu(Box::new(Net::new(3)), config);
    run(&mut session, &data[..5]);
    session.use_gpu(gpu());
    assert_eq!(session.backend_name(), "webgpu");
    run(&mut session, &data[5..10]);
    pollster::block_on(session.use_cpu()).expect("to the CPU");
    assert_eq!(session.backend_name(), "simd");
    assert_eq!(session.fallbacks, 0);
    run(&mut session, &data[10..]);
    let (want_net, want_history) = reference_run(config, &data);
    assert_same_weights(
        pollster::block_on(session.model()).expect("net").as_ref(),
        want_net.as_ref(),
    );
    let last = session.history.last().expect("history").1;
    assert!(
        (last - want_history[14].1).abs() < 1e-4,
        "{last} vs {}",
        want_history[14].1
    );
}

/// A checkpoint written to bytes and read back resumes the run exactly: 3 steps, checkpoint,
/// 2 more = 5 steps straight, bit for bit (SGD with momentum and Adam, whose state must carry),
/// for each of the three models.
#[test]
fn a_checkpoint_resumes_the_run_bit_for_bit() {
    use convscope::models::classifier::ModelKind;
    use convscope::train::checkpoint::{Checkpoint, RunState, TrainSettings};
    let data = batches(5);
    for model in ModelKind::ALL {
        for adam in [false, true] {
            let settings = TrainSettings {
                adam,
                lr: 0.005,
                model,
                ..TrainSettings::default()
            };
            let mut straight = Session::cpu(model.build(3), settings.optimizer());
            run(&mut straight, &data);
            let mut first = Session::cpu(model.build(3), settings.optimizer());
            run(&mut first, &data[..3]);
            let (net, opt) = pollster::block_on(first.state()).expect("state");
            let bytes = Checkpoint::new(RunState {
                settings,
                steps: first.steps,
                epoch: 0,
                next_batch: 3,
                net: net.as_ref(),
                opt: &opt,
                history: &first.history,
                accuracy: &[(3, 12.5)],
            })
            .to_bytes();
            let c = Checkpoint::from_bytes(&bytes).expect("read back");
            assert_eq!(
                (c.steps, c.next_batch, c.accuracy.clone(), c.settings.model),
                (3, 3, vec![(3, 12.5)], model)
            );
            assert_eq!(c.history(), first.history);
            let mut resumed =
                Session::resume(c.net(), c.opt_state(), c.settings.optimizer(), c.steps);
            run(&mut resumed, &data[3..]);
            let (a, b) = (
                pollster::block_on(straight.model()).expect("model"),
                pollster::block_on(resumed.model()).expect("model"),
            );
            assert_eq!(b.kind(), Some(model));
            for ((n, x), (_, y)) in a.named().iter().zip(b.named()) {
                assert_eq!(x.data(), y.data(), "{model:?} adam {adam}: {n}");
            }
            assert_eq!(resumed.steps, 5);
        }
    }
}

/// A checkpoint written before the model picker (no `model` field) is the Net's; a checkpoint
/// whose weights do not fit its model is refused with the reason.
#[test]
fn checkpoints_name_their_model() {
    use convscope::models::classifier::ModelKind;
    use convscope::train::checkpoint::{Checkpoint, RunState, TrainSettings};
    let net = Net::new(1);
    let bytes = Checkpoint::new(RunState {
        settings: TrainSettings::default(),
        steps: 1,
        epoch: 0,
        next_batch: 1,
        net: &net,
        opt: &Default::default(),
        history: &[],
        accuracy: &[],
    })
    .to_bytes();
    let text = String::from_utf8(bytes).unwrap();
    let old = text.replace(",\"model\":\"net\"", "");
    assert_ne!(old, text);
    assert_eq!(
        Checkpoint::from_bytes(old.as_bytes())
            .unwrap()
            .settings
            .model,
        ModelKind::Net
    );
    let wrong = text.replace("\"model\":\"net\"", "\"model\":\"resnet\"");
    let err = Checkpoint::from_bytes(wrong.as_bytes()).unwrap_err();
    assert!(err.contains("the resnet network has"), "{err}");
}

#[test]
fn a_damaged_checkpoint_is_refused_with_the_reason() {
    use convscope::train::checkpoint::Checkpoint;
    assert!(
        Checkpoint::from_bytes(b"{}")
            .unwrap_err()
            .starts_with("not a convscope checkpoint")
    );
    assert!(Checkpoint::from_bytes(b"\x00\x01").is_err());
}
