//! Every WGSL shader against the CPU reference, natively through wgpu (on lavapipe, Mesa's CPU
//! Vulkan driver, where there is no GPU): `<op>_should_match_cpu_reference` on odd shapes
//! (stride, padding, dilation, groups, batch > 1, non-square), then 20 training steps of the
//! lesson's Net on the GPU and on the reference, whose losses must agree to relative 1e-4.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{Rng, assert_close};
use convscope::backend::Backend;
use convscope::backend::cpu::ReferenceBackend;
use convscope::backend::gpu::{GpuBackend, GpuContext};
use convscope::layers::{Conv2dParams, ConvTranspose2dParams, Pool2dParams};
use convscope::models::Net;
use convscope::train::fit::train_step;
use convscope::train::gpu::GpuTrainer;
use convscope::train::optim::OptimizerConfig;
use convscope::train::optim::{Adam, Optimizer, Sgd};
use std::rc::Rc;
use std::sync::{Mutex, MutexGuard, OnceLock};

/// One adapter for the whole file (creating devices is slow on lavapipe), used by one test at a
/// time. A missing adapter is a failure with instructions, not a skip: `make test` installs
/// lavapipe.
fn gpu() -> MutexGuard<'static, GpuBackend> {
    static GPU: OnceLock<Mutex<GpuBackend>> = OnceLock::new();
    GPU.get_or_init(|| {
        let backend = GpuBackend::new_blocking().unwrap_or_else(|e| {
            panic!("{e}: install a Vulkan driver (apt-get install mesa-vulkan-drivers libvulkan1)")
        });
        eprintln!("GPU adapter: {:?}", backend.ctx.adapter);
        Mutex::new(backend)
    })
    .lock()
    .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn conv_cases() -> Vec<(usize, usize, usize, Conv2dParams)> {
    vec![
        (2, 28, 28, Conv2dParams::new(1, 10, 5)),
        (3, 12, 12, Conv2dParams::new(10, 20, 5)),
        (2, 9, 13, Conv2dParams::new(3, 7, 3).stride(2).padding(1)),
        (2, 11, 10, Conv2dParams::new(5, 6, 3).dilation(2).padding(2)),
        (1, 10, 9, Conv2dParams::new(6, 9, 3).groups(3).stride(2)),
        (2, 7, 8, Conv2dParams::new(4, 4, 3).groups(4).padding(1)),
        (
            2,
            8,
            6,
            Conv2dParams::new(3, 5, 2)
                .kernel_hw(2, 5)
                .padding(1)
                .bias(false),
        ),
        (
            2,
            14,
            11,
            Conv2dParams {
                stride: (3, 2),
                padding: (2, 1),
                dilation: (2, 3),
                ..Conv2dParams::new(6, 9, 3).kernel_hw(3, 2).groups(3)
            },
        ),
    ]
}

#[test]
fn conv2d_should_match_cpu_reference() {
    let (gpu, cpu) = (&*gpu(), ReferenceBackend);
    let mut rng = Rng::new(11);
    for (n, h, w, p) in conv_cases() {
        let x = rng.tensor(&[n, p.in_channels, h, w]);
        let wt = rng.tensor(&p.weight_shape());
        let b = rng.tensor(&[p.out_channels]);
        let bias = p.bias.then_some(&b);
        let y = cpu.conv2d_forward(&x, &wt, bias, &p).expect("cpu");
        assert_close(
            &format!("{p:?} forward"),
            &gpu.conv2d_forward(&x, &wt, bias, &p).expect("gpu"),
            &y,
            1e-5,
            1e-5,
        );
        let dy = rng.tensor(y.shape());
        let want = cpu
            .conv2d_backward_input(&dy, &wt, &p, (h, w))
            .expect("cpu");
        assert_close(
            &format!("{p:?} dx"),
            &gpu.conv2d_backward_input(&dy, &wt, &p, (h, w))
                .expect("gpu"),
            &want,
            1e-5,
            1e-5,
        );
        let want = cpu.conv2d_backward_weight(&x, &dy, &p).expect("cpu");
        assert_close(
            &format!("{p:?} dw"),
            &gpu.conv2d_backward_weight(&x, &dy, &p).expect("gpu"),
            &want,
            1e-4,
            1e-5,
        );
        let want = cpu.conv2d_backward_bias(&dy).expect("cpu");
        assert_close(
            &format!("{p:?} db"),
            &gpu.conv2d_backward_bias(&dy).expect("gpu"),
            &want,
            1e-4,
            1e-5,
        );
    }
}

#[test]
fn conv_transpose2d_should_match_cpu_reference() {
    let (gpu, cpu) = (&*gpu(), ReferenceBackend);
    let mut rng = Rng::new(12);
    let mut p = ConvTranspose2dParams::new(4, 6, 3);
    p.stride = (2, 2);
    p.padding = (1, 1);
    p.output_padding = (1, 0);
    p.groups = 2;
    let x = rng.tensor(&[2, 4, 5, 6]);
    let (w, b) = (rng.tensor(&p.weight_shape()), rng.tensor(&[6]));
    let want = cpu
        .conv_transpose2d_forward(&x, &w, Some(&b), &p)
        .expect("cpu");
    assert_close(
        "conv_transpose2d",
        &gpu.conv_transpose2d_forward(&x, &w, Some(&b), &p)
            .expect("gpu"),
        &want,
        1e-5,
        1e-5,
    );
}

#[test]
fn pooling_should_match_cpu_reference() {
    let (gpu, cpu) = (&*gpu(), ReferenceBackend);
    let mut rng = Rng::new(13);
    let shape = [2, 3, 9, 7];
    let x = rng.tensor(&shape);
    for p in [
        Pool2dParams::new(2),
        Pool2dParams::new(3).stride(2).padding(1),
        Pool2dParams::new(3).stride(1).padding(1),
    ] {
        let (want, want_idx) = cpu.max_pool2d_forward(&x, &p).expect("cpu");
        let (got, got_idx) = gpu.max_pool2d_forward(&x, &p).expect("gpu");
        assert_eq!(got_idx, want_idx, "{p:?} argmax");
        assert_close(&format!("{p:?} max"), &got, &want, 0.0, 0.0);
        let dy = rng.tensor(want.shape());
        let want = cpu
            .max_pool2d_backward(&dy, &want_idx, &p, shape)
            .expect("cpu");
        assert_close(
            &format!("{p:?} max dx"),
            &gpu.max_pool2d_backward(&dy, &got_idx, &p, shape)
                .expect("gpu"),
            &want,
            1e-6,
            1e-6,
        );
        let want = cpu.avg_pool2d_forward(&x, &p).expect("cpu");
        assert_close(
            &format!("{p:?} avg"),
            &gpu.avg_pool2d_forward(&x, &p).expect("gpu"),
            &want,
            1e-6,
            1e-6,
        );
        let dy = rng.tensor(want.shape());
        let want = cpu.avg_pool2d_backward(&dy, &p, shape).expect("cpu");
        assert_close(
            &format!("{p:?} avg dx"),
            &gpu.avg_pool2d_backward(&dy, &p, shape).expect("gpu"),
            &want,
            1e-6,
            1e-6,
        );
    }
}

#[test]
fn elementwise_linear_concat_should_match_cpu_reference() {
    let (gpu, cpu) = (&*gpu(), ReferenceBackend);
    let mut rng = Rng::new(14);
    let x = rng.tensor(&[3, 4, 5, 6]);
    let y = cpu.relu_forward(&x).expect("cpu");
    assert_close("relu", &gpu.relu_forward(&x).expect("gpu"), &y, 0.0, 0.0);
    let dy = rng.tensor(x.shape());
    assert_close(
        "relu dx",
        &gpu.relu_backward(&dy, &y).expect("gpu"),
        &cpu.relu_backward(&dy, &y).expect("cpu"),
        0.0,
        0.0,
    );
    assert_close(
        "add",
        &gpu.add_forward(&x, &dy).expect("gpu"),
        &cpu.add_forward(&x, &dy).expect("cpu"),
        0.0,
        0.0,
    );
    for (n, i, o) in [(5, 33, 7), (64, 320, 10), (1, 17, 40)] {
        let (x, w, b, dy) = (
            rng.tensor(&[n, i]),
            rng.tensor(&[o, i]),
            rng.tensor(&[o]),
            rng.tensor(&[n, o]),
        );
        let what = |s: &str| format!("linear ({n},{i},{o}) {s}");
        assert_close(
            &what("y"),
            &gpu.linear_forward(&x, &w, Some(&b)).expect("gpu"),
            &cpu.linear_forward(&x, &w, Some(&b)).expect("cpu"),
            1e-5,
            1e-5,
        );
        assert_close(
            &what("dx"),
            &gpu.linear_backward_input(&dy, &w).expect("gpu"),
            &cpu.linear_backward_input(&dy, &w).expect("cpu"),
            1e-5,
            1e-5,
        );
        assert_close(
            &what("dw"),
            &gpu.linear_backward_weight(&x, &dy).expect("gpu"),
            &cpu.linear_backward_weight(&x, &dy).expect("cpu"),
            1e-5,
            1e-5,
        );
        assert_close(
            &what("db"),
            &gpu.linear_backward_bias(&dy).expect("gpu"),
            &cpu.linear_backward_bias(&dy).expect("cpu"),
            1e-5,
            1e-5,
        );
    }
    let (a, b, c) = (
        rng.tensor(&[2, 16, 3, 3]),
        rng.tensor(&[2, 24, 3, 3]),
        rng.tensor(&[2, 24, 3, 3]),
    );
    let want = cpu.concat_channels_forward(&[&a, &b, &c]).expect("cpu");
    assert_close(
        "cat",
        &gpu.concat_channels_forward(&[&a, &b, &c]).expect("gpu"),
        &want,
        0.0,
        0.0,
    );
    let parts = gpu
        .concat_channels_backward(&want, &[16, 24, 24])
        .expect("gpu");
    for (got, want) in parts.iter().zip([&a, &b, &c]) {
        assert_close("cat backward", got, want, 0.0, 0.0);
    }
}

#[test]
fn softmax_cross_entropy_should_match_cpu_reference() {
    let (gpu, cpu) = (&*gpu(), ReferenceBackend);
    let mut rng = Rng::new(15);
    let logits = convscope::tensor::Tensor::from_fn(&[70, 10], |_| rng.next_f32() * 4.0);
    let targets: Vec<usize> = (0..70).map(|i| (i * 7) % 10).collect();
    let (log_probs, loss, dlogits, correct) =
        gpu.softmax_cross_entropy(&logits, &targets).expect("gpu");
    let want_lp = cpu.log_softmax_forward(&logits).expect("cpu");
    assert_close("log_softmax", &log_probs, &want_lp, 1e-5, 1e-5);
    let want_loss = cpu.nll_loss_forward(&want_lp, &targets).expect("cpu");
    assert!(
        (loss - want_loss).abs() <= 1e-5 * want_loss.abs().max(1.0),
        "{loss} vs {want_loss}"
    );
    assert_close(
        "dlogits",
        &dlogits,
        &cpu.log_softmax_nll_backward(&want_lp, &targets)
            .expect("cpu"),
        1e-6,
        1e-5,
    );
    let want_correct = convscope::train::fit::count_correct(&logits, &targets);
    assert_eq!(correct as usize, want_correct);
}

fn synthetic_batches(steps: usize, batch: usize) -> Vec<(convscope::tensor::Tensor, Vec<usize>)> {
    let mut rng = Rng::new(16);
    (0..steps)
        .map(|_| {
            let targets: Vec<usize> = (0..batch).map(|i| (i * 3 + 1) % 10).collect();
            let x = convscope::tensor::Tensor::from_fn(&[batch, 1, 28, 28], |i| {
                let digit = targets[i / 784] as f32;
                ((i % 784) as f32 * (digit + 1.0) * 0.01).sin() + 0.1 * rng.next_f32()
            });
            (x, targets)
        })
        .collect()
}

fn train_on_both(config: OptimizerConfig, cpu_opt: Box<dyn Optimizer>) {
    let ctx = Rc::new(pollster::block_on(GpuContext::new()).expect("GPU"));
    train_on_both_for(&ctx, 20, config, cpu_opt);
}

/// `steps` steps of the Net on the GPU of `ctx` and on the reference with `cpu_opt`.
fn train_on_both_for(
    ctx: &Rc<GpuContext>,
    steps: u64,
    config: OptimizerConfig,
    mut cpu_opt: Box<dyn Optimizer>,
) {
    let net = Net::new(5);
    let mut gpu_trainer = GpuTrainer::new(Rc::clone(ctx), &net, config);
    let mut cpu_net = net.clone();
    for (step, (x, targets)) in synthetic_batches(steps as usize, 16)
        .into_iter()
        .enumerate()
    {
        gpu_trainer.step(&x, &targets).expect("gpu step");
        let gpu_stats = pollster::block_on(gpu_trainer.last_stats()).expect("stats");
        let cpu = train_step(
            &ReferenceBackend,
            &mut cpu_net,
            cpu_opt.as_mut(),
            &x,
            &targets,
        )
        .expect("cpu step");
        let rel = (gpu_stats.loss - cpu.loss).abs() / cpu.loss.abs().max(1e-6);
        assert!(
            rel <= 1e-4,
            "step {step}: GPU loss {} vs CPU {} (rel {rel:e})",
            gpu_stats.loss,
            cpu.loss
        );
        assert_eq!(
            gpu_stats.correct as usize, cpu.correct,
            "step {step}: correct count"
        );
    }
    assert_eq!(gpu_trainer.dispatches_per_step(), 26);
    assert_eq!(gpu_trainer.steps, steps);
    // One submission per step plus one per readback of the displayed loss, counted by the
    // context's one wrapper around `queue.submit`.
    assert_eq!(gpu_trainer.submissions(), 2 * steps);
    assert_eq!(gpu_trainer.readbacks(), steps);
    let gpu_net = pollster::block_on(gpu_trainer.model()).expect("weights");
    let (gpu_params, cpu_params) = (gpu_net.named(), cpu_net.params());
    assert_eq!(gpu_params.len(), cpu_params.len());
    for ((_, g), c) in gpu_params.iter().zip(cpu_params) {
        assert_close("weights after 20 steps", g, c, 1e-4, 1e-3);
    }
}

#[test]
fn twenty_sgd_steps_on_gpu_match_the_reference() {
    train_on_both(OptimizerConfig::lesson(), Box::new(Sgd::new(0.01, 0.5)));
}

#[test]
fn twenty_adam_steps_on_gpu_match_the_reference() {
    let config = OptimizerConfig::Adam {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weight_decay: 0.0,
    };
    train_on_both(config, Box::new(Adam::new(1e-3)));
}

/// The residual and Inception networks' GPU steps (recorded from their forward pass by
/// `train::gpu_graph`) follow the SIMD backend's: the loss and correct count of every step, then
/// every weight, for SGD with momentum and Adam, with a short batch among full ones.
#[test]
fn the_deeper_nets_train_on_the_gpu_as_on_the_cpu() {
    use convscope::models::classifier::ModelKind;
    use convscope::train::fit::train_step_model;
    let ctx = Rc::new(pollster::block_on(GpuContext::new()).expect("GPU"));
    let adam = OptimizerConfig::Adam {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weight_decay: 0.0,
    };
    for kind in [ModelKind::ResNet, ModelKind::Inception] {
        for config in [OptimizerConfig::lesson(), adam] {
            let start = kind.build(5);
            let mut gpu = GpuTrainer::new(Rc::clone(&ctx), start.as_ref(), config);
            let mut cpu_model = start.clone();
            let mut cpu_opt = config.build(None);
            let be = convscope::backend::cpu::SimdBackend::new();
            // A short batch between full ones, as at an epoch's end: the trainer switches steps.
            let mut batches = synthetic_batches(2, 6);
            batches.extend(synthetic_batches(1, 3));
            batches.extend(synthetic_batches(1, 6));
            for (step, (x, targets)) in batches.into_iter().enumerate() {
                gpu.step(&x, &targets).expect("gpu step");
                let stats = pollster::block_on(gpu.last_stats()).expect("stats");
                let cpu = train_step_model(&be, cpu_model.as_mut(), cpu_opt.as_mut(), &x, &targets)
                    .expect("cpu step");
                let rel = (stats.loss - cpu.loss).abs() / cpu.loss.abs().max(1e-6);
                assert!(
                    rel <= 1e-4,
                    "{kind:?} step {step}: GPU loss {} vs CPU {}",
                    stats.loss,
                    cpu.loss
                );
                assert_eq!(stats.correct as usize, cpu.correct, "{kind:?} step {step}");
            }
            let back = pollster::block_on(gpu.model()).expect("weights");
            assert_eq!(back.kind(), Some(kind));
            for ((name, g), (_, c)) in back.named().iter().zip(cpu_model.named()) {
                assert_close(&format!("{kind:?} {name}"), g, c, 1e-4, 1e-3);
            }
        }
    }
}

/// `torch.optim.SGD`'s other paths on the GPU (the `sgd` shader) against the reference
/// optimizer: Nesterov momentum with weight decay, dampening, weight decay without momentum.
#[test]
fn sgd_nesterov_weight_decay_and_dampening_on_gpu_match_the_reference() {
    let sgd = |momentum, dampening, weight_decay, nesterov| OptimizerConfig::Sgd {
        lr: 0.02,
        momentum,
        dampening,
        weight_decay,
        nesterov,
    };
    let ctx = Rc::new(pollster::block_on(GpuContext::new()).expect("GPU"));
    for config in [
        sgd(0.9, 0.0, 0.01, true),
        sgd(0.8, 0.3, 0.0, false),
        sgd(0.0, 0.0, 0.05, false),
    ] {
        train_on_both_for(&ctx, 8, config, config.build(None));
    }
}

/// Adam with weight decay (the `adam` shader's L2 term) against the reference optimizer.
#[test]
fn adam_with_weight_decay_on_gpu_matches_the_reference() {
    let config = OptimizerConfig::Adam {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weight_decay: 0.05,
    };
    let ctx = Rc::new(pollster::block_on(GpuContext::new()).expect("GPU"));
    train_on_both_for(&ctx, 8, config, config.build(None));
}

/// Every queue submission is counted where it happens (`GpuContext::submit`): a backend op is
/// one submission for its dispatch and one for its readback.
#[test]
fn each_backend_op_is_one_submission_and_one_readback() {
    let gpu = gpu();
    let x = Rng::new(3).tensor(&[2, 3, 5, 5]);
    let (s0, r0) = (gpu.ctx.submissions(), gpu.ctx.readbacks());
    gpu.relu_forward(&x).expect("relu");
    assert_eq!(
        (gpu.ctx.submissions() - s0, gpu.ctx.readbacks() - r0),
        (2, 1)
    );
    gpu.max_pool2d_forward(&x, &Pool2dParams::new(2))
        .expect("pool");
    // Values and indices: one dispatch, two readbacks.
    assert_eq!(
        (gpu.ctx.submissions() - s0, gpu.ctx.readbacks() - r0),
        (5, 3)
    );
}

/// A GPU op the device rejects (here a binding over the device's storage-binding limit, as on
/// a GPU with smaller limits) returns the device's error: no CPU result in its place, no panic.
/// The context stays usable for ops within its limits.
#[test]
fn a_rejected_gpu_op_returns_the_gpu_error_not_a_cpu_result() {
    use convscope::backend::gpu::wgpu;
    let limits = wgpu::Limits {
        max_storage_buffer_binding_size: 1024,
        ..wgpu::Limits::default()
    };
    let backend = GpuBackend {
        ctx: pollster::block_on(GpuContext::with_limits(limits)).expect("GPU"),
    };
    let big = Rng::new(4).tensor(&[2, 300]); // 2,400 bytes > 1,024
    let err = backend
        .relu_forward(&big)
        .expect_err("a relu over the device's limits must fail");
    let text = err.to_string();
    assert!(text.contains("the GPU rejected a command"), "{text}");
    assert!(
        backend.add_forward(&big, &big).is_err(),
        "every op reports the device's error"
    );
    let small = Rng::new(5).tensor(&[2, 30]);
    assert_close(
        "relu within the limits",
        &backend.relu_forward(&small).expect("within the limits"),
        &ReferenceBackend.relu_forward(&small).expect("cpu"),
        0.0,
        0.0,
    );
}

/// The forward pass alone on the GPU (`models::gpu_forward`, the lab's inference on WebGPU):
/// every model's logits match the CPU's at the pad's batch of 1 and at odd batch sizes (the
/// evaluation's short last chunk), passes built for several sizes stay right when reused, and
/// new weights of the same model replace the old ones; the evaluation counts GPU logits as it
/// counts the CPU's.
#[test]
fn the_forward_pass_alone_on_the_gpu_matches_the_cpu() {
    use convscope::models::classifier::{self, ModelKind};
    use convscope::models::gpu_forward::GpuForward;
    use convscope::train::fit::Evaluator;
    let ctx = Rc::new(pollster::block_on(GpuContext::new()).expect("GPU"));
    let be = convscope::backend::cpu::SimdBackend::new();
    for kind in [ModelKind::Net, ModelKind::ResNet, ModelKind::Inception] {
        let model = kind.build(3);
        let gpu = GpuForward::new(Rc::clone(&ctx), model.as_ref()).expect("a GPU forward");
        for batch in [1, 5, 1, 3] {
            let (x, _) = &synthetic_batches(1, batch)[0];
            let got = pollster::block_on(gpu.logits(x)).expect("GPU logits");
            let want = model.logits(&be, x).expect("CPU logits");
            assert_close(&format!("{kind:?} batch {batch}"), &got, &want, 1e-4, 1e-3);
        }
    }
    // New weights of the same model; another model does not fit.
    let (first, second) = (ModelKind::Net.build(1), ModelKind::Net.build(2));
    let gpu = GpuForward::new(Rc::clone(&ctx), first.as_ref()).expect("a GPU forward");
    assert!(gpu.fits(second.as_ref()));
    assert!(!gpu.fits(ModelKind::ResNet.build(1).as_ref()));
    gpu.set_weights(second.as_ref());
    let (x, targets) = &synthetic_batches(1, 7)[0];
    let logits = pollster::block_on(gpu.logits(x)).expect("GPU logits");
    assert_close(
        "the new weights",
        &logits,
        &second.logits(&be, x).expect("CPU"),
        1e-4,
        1e-3,
    );
    let probs = classifier::probabilities_of(&be, &logits).expect("softmax");
    let want = classifier::probabilities(second.as_ref(), &be, x).expect("CPU probabilities");
    assert_close("probabilities", &probs, &want, 1e-5, 1e-3);
    let (mut on_gpu, mut on_cpu) = (Evaluator::new(), Evaluator::new());
    on_gpu.add_logits(&be, &logits, targets).expect("count");
    on_cpu
        .add_logits(&be, &second.logits(&be, x).expect("CPU"), targets)
        .expect("count");
    let (g, c) = (on_gpu.evaluation(), on_cpu.evaluation());
    assert_eq!(
        (g.correct, g.total, g.predictions),
        (c.correct, c.total, c.predictions)
    );
    assert!((g.loss - c.loss).abs() <= 1e-4 * c.loss.abs().max(1.0));
}
