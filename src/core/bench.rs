//! Benchmarks of the CPU backends, shared by the native CLI (`convscope bench`) and the wasm
//! build run in Node (`tests/bench_wasm.rs`): the same code, timed by a clock the caller passes.
//!
//! Workloads: (a) training the lesson's Net, batch 64, in images/s; (b) one-image forward
//! latency; (c) a large convolution, input 64×64×56×56, 64→64 channels, 3×3, padding 1, forward
//! and both gradients, in GFLOP/s (2 FLOPs per multiply-add); (d) this machine's single-core f32
//! SIMD peak, measured with independent multiply-add chains; (e) where the Net's training step
//! spends its time on the SIMD backend, op by op ([`Profiled`]), in µs per step. Figures are
//! medians of repeats (the profile: means over its steps).

use crate::backend::Backend;
use crate::backend::cpu::gemm::{GemmScratch, MatRef, gemm};
use crate::backend::cpu::{ReferenceBackend, SimdBackend};
use crate::backend::profile::Profiled;
use crate::layers::Conv2dParams;
use crate::models::Net;
use crate::models::classifier::Classifier;
use crate::models::classifier::ModelKind;
use crate::tensor::Tensor;
use crate::train::checkpoint::TrainSettings;
use crate::train::data::Mnist;
use crate::train::run::TrainLoop;
use crate::train::session::Session;
use serde::Serialize;

/// One measured figure.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// What was measured.
    pub workload: String,
    /// Which backend.
    pub backend: String,
    /// The figure.
    pub value: f64,
    /// Its unit ("images/s", "µs", "GFLOP/s").
    pub unit: String,
}

/// Bench settings.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Fewer repeats and a smaller big conv (for smoke tests).
    pub quick: bool,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Times `f` `repeats` times (after one warm-up) and returns the median seconds.
fn time(now: &dyn Fn() -> f64, repeats: usize, mut f: impl FnMut()) -> f64 {
    f();
    median(
        (0..repeats)
            .map(|_| {
                let t = now();
                f();
                now() - t
            })
            .collect(),
    )
}

fn synthetic_batch(n: usize) -> (Tensor, Vec<usize>) {
    let x = Tensor::from_fn(&[n, 1, 28, 28], |i| ((i * 7919) % 255) as f32 / 255.0 - 0.1);
    (x, (0..n).map(|i| i % 10).collect())
}

/// `n` synthetic digits for the training rows.
fn synthetic_digits(n: usize) -> Mnist {
    Mnist {
        images: (0..n * 784).map(|i| ((i * 7919) % 255) as u8).collect(),
        labels: (0..n).map(|i| (i % 10) as u8).collect(),
    }
}

/// One step of the training loop (a chunk of one step; a new epoch when one ends). On the CPU
/// the loop's futures are ready at once, so polling once runs them (also in Node, without an
/// executor).
fn one_step(run: &mut TrainLoop, data: &Mnist) {
    let ready = |f: std::pin::Pin<&mut dyn Future<Output = ()>>| {
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        assert!(f.poll(&mut cx).is_ready(), "a CPU step never waits");
    };
    let mut step = std::pin::pin!(async {
        let chunk = run.chunk(data, |_| false).await.expect("train step");
        if chunk.steps == 0 {
            run.cursor = Default::default();
            run.chunk(data, |_| false).await.expect("train step");
        }
    });
    ready(step.as_mut());
}

/// Runs every workload; `now` returns seconds.
pub fn run(now: &dyn Fn() -> f64, settings: Settings) -> Vec<Row> {
    let mut rows = Vec::new();
    let row = |workload: &str, backend: &str, value: f64, unit: &str| Row {
        workload: workload.into(),
        backend: backend.into(),
        value,
        unit: unit.into(),
    };
    let simd = SimdBackend::new();
    let reference = ReferenceBackend;
    let backends: [(&dyn Backend, usize); 2] = [
        (&simd, if settings.quick { 3 } else { 20 }),
        (&reference, 1),
    ];

    // (a) training, batch 64: the one training loop, a step per chunk, on synthetic digits.
    let data = synthetic_digits(64 * 8);
    let settings64 = TrainSettings {
        batch: 64,
        epochs: u64::MAX,
        ..TrainSettings::default()
    };
    let cpu_backends: [(Box<dyn Backend>, usize); 2] = [
        (
            Box::new(SimdBackend::new()),
            if settings.quick { 3 } else { 20 },
        ),
        (Box::new(ReferenceBackend), 1),
    ];
    for (be, repeats) in cpu_backends {
        let name = be.name();
        let session = Session::cpu_on(be, Box::new(Net::new(1)), settings64.optimizer());
        let mut run = TrainLoop::new(settings64, session);
        let secs = time(now, repeats, || one_step(&mut run, &data));
        rows.push(row("train Net, batch 64", name, 64.0 / secs, "images/s"));
    }

    // The deeper nets, with the SIMD backend (the reference would take minutes).
    for kind in [ModelKind::ResNet, ModelKind::Inception] {
        let mut run = TrainLoop::fresh(TrainSettings {
            model: kind,
            ..settings64
        });
        let secs = time(now, if settings.quick { 1 } else { 5 }, || {
            one_step(&mut run, &data)
        });
        rows.push(row(
            &format!("train {}, batch 64", kind.name()),
            simd.name(),
            64.0 / secs,
            "images/s",
        ));
    }

    // (e) the Net's step (batch 64), op by op, on the SIMD backend: where the time goes. The
    // optimizer's update is timed apart (it is not a backend op).
    {
        let prof = Profiled::new(&simd, now);
        let (x, targets) = synthetic_batch(64);
        let mut net = Net::new(1);
        let steps = if settings.quick { 3 } else { 30 };
        let mut grads = Vec::new();
        net.logits_and_grads(&prof, &x, &targets).expect("warm-up");
        prof.take();
        let t0 = now();
        for _ in 0..steps {
            grads = net.logits_and_grads(&prof, &x, &targets).expect("step").1;
        }
        let total = (now() - t0) / steps as f64;
        let mut opt = settings64.optimizer().build(None);
        let t1 = now();
        for _ in 0..steps {
            opt.step(&mut net.params_mut(), &grads);
        }
        let update = (now() - t1) / steps as f64;
        let mut spent = prof.take();
        spent.sort_by(|a, b| b.1.total_cmp(&a.1));
        let in_ops: f64 = spent.iter().map(|s| s.1).sum::<f64>() / steps as f64;
        for (op, secs, _) in spent {
            rows.push(row(
                &format!("Net step profile: {op}"),
                simd.name(),
                secs / steps as f64 * 1e6,
                "µs/step",
            ));
        }
        rows.push(row(
            "Net step profile: outside the ops",
            simd.name(),
            (total - in_ops).max(0.0) * 1e6,
            "µs/step",
        ));
        rows.push(row(
            "Net step profile: SGD update",
            simd.name(),
            update * 1e6,
            "µs/step",
        ));
    }

    // (b) one image, forward.
    let (x1, _) = synthetic_batch(1);
    let net = Net::new(1);
    for (be, repeats) in backends {
        let secs = time(now, repeats * 20, || {
            net.forward(be, &x1).expect("forward");
        });
        rows.push(row("one image forward", be.name(), secs * 1e6, "µs"));
    }
    // The lab's evaluation chunk (the inference worker times this workload on each backend).
    let (chunk, _) = synthetic_batch(crate::models::infer_choice::EVAL_IMAGES);
    let simd = crate::backend::cpu::SimdBackend::new();
    let secs = time(now, if settings.quick { 1 } else { 10 }, || {
        net.forward(&simd, &chunk).expect("forward");
    });
    rows.push(row(
        &format!(
            "forward {} images",
            crate::models::infer_choice::EVAL_IMAGES
        ),
        "simd",
        secs * 1e3,
        "ms",
    ));

    // (c) the big convolution (forward and both gradients), SIMD backend only: the reference
    // would take minutes.
    let batch = if settings.quick { 2 } else { 64 };
    let p = Conv2dParams::new(64, 64, 3).padding(1);
    let big = Tensor::from_fn(&[batch, 64, 56, 56], |i| ((i % 97) as f32 - 48.0) / 97.0);
    let w = Tensor::from_fn(&p.weight_shape(), |i| ((i % 13) as f32 - 6.0) / 50.0);
    let flops = 2.0 * p.mults(56, 56).expect("shape") as f64 * batch as f64;
    let repeats = if settings.quick { 1 } else { 3 };
    let dy = simd.conv2d_forward(&big, &w, None, &p).expect("forward");
    let fwd = time(now, repeats, || {
        simd.conv2d_forward(&big, &w, None, &p).expect("forward");
    });
    let bwd_in = time(now, repeats, || {
        simd.conv2d_backward_input(&dy, &w, &p, (56, 56))
            .expect("backward input");
    });
    let bwd_w = time(now, repeats, || {
        simd.conv2d_backward_weight(&big, &dy, &p)
            .expect("backward weight");
    });
    let label = format!("conv {batch}x64x56x56 3x3 p1");
    rows.push(row(
        &format!("{label} forward"),
        "simd",
        flops / fwd / 1e9,
        "GFLOP/s",
    ));
    rows.push(row(
        &format!("{label} input gradient"),
        "simd",
        flops / bwd_in / 1e9,
        "GFLOP/s",
    ));
    rows.push(row(
        &format!("{label} weight gradient"),
        "simd",
        flops / bwd_w / 1e9,
        "GFLOP/s",
    ));

    // A plain GEMM of the same size as one image of the big conv, for reference.
    let (m, n, k) = (64, 3136, 576);
    let a = vec![0.5f32; m * k];
    let b = vec![0.25f32; k * n];
    let mut c = vec![0.0f32; m * n];
    let mut scratch = GemmScratch::default();
    let secs = time(now, repeats * 5, || {
        gemm(
            m,
            n,
            k,
            MatRef::row_major(&a, k),
            MatRef::row_major(&b, n),
            &mut c,
            n,
            false,
            &mut scratch,
        );
    });
    rows.push(row(
        "gemm 64x3136x576",
        "simd",
        2.0 * (m * n * k) as f64 / secs / 1e9,
        "GFLOP/s",
    ));

    // (d) peak.
    rows.push(row(
        "f32x4 multiply-add peak",
        "simd",
        peak_gflops(now),
        "GFLOP/s",
    ));
    rows
}

/// Seconds per GPU training step, and the steps timed: after a warm-up step and its readback
/// (`after_warm_up` sees the trainer then), one timed step sizes the run to about
/// [`GPU_SECONDS`] (at least `min_steps`, at most 1000 steps, so a fast GPU is timed over many
/// steps and lavapipe over few), including the final loss readback.
#[cfg(not(target_arch = "wasm32"))]
fn time_gpu_steps(
    now: &dyn Fn() -> f64,
    trainer: &mut crate::train::gpu::GpuTrainer,
    x: &Tensor,
    y: &[usize],
    min_steps: usize,
    mut after_warm_up: impl FnMut(&crate::train::gpu::GpuTrainer),
) -> (f64, usize) {
    let step_and_read = |trainer: &mut crate::train::gpu::GpuTrainer| {
        trainer.step(x, y).expect("step");
        pollster::block_on(trainer.last_stats()).expect("readback");
    };
    step_and_read(trainer);
    let t = now();
    step_and_read(trainer);
    let one = (now() - t).max(1e-6);
    let steps = ((GPU_SECONDS / one) as usize).clamp(min_steps, 1000);
    after_warm_up(trainer);
    let t = now();
    for _ in 0..steps {
        trainer.step(x, y).expect("step");
    }
    pollster::block_on(trainer.last_stats()).expect("readback");
    ((now() - t) / steps as f64, steps)
}

/// About how long each GPU training row is timed for, in seconds.
#[cfg(not(target_arch = "wasm32"))]
const GPU_SECONDS: f64 = 0.5;

/// The single-core peak of 4-lane multiply-adds: 8 independent accumulator chains.
fn peak_gflops(now: &dyn Fn() -> f64) -> f64 {
    let iters = 20_000_000usize;
    let secs = time(now, 3, || {
        let sum = crate::backend::cpu::peak_kernel(iters);
        assert!(sum.is_finite());
    });
    (iters * 8 * 4 * 2) as f64 / secs / 1e9
}

/// The rows as an aligned text table.
pub fn table(rows: &[Row]) -> String {
    let mut out = format!(
        "{:<44} {:<10} {:>12} {}\n",
        "workload", "backend", "value", "unit"
    );
    for r in rows {
        out += &format!(
            "{:<44} {:<10} {:>12.2} {}\n",
            r.workload, r.backend, r.value, r.unit
        );
    }
    out
}

/// The GPU rows (native only; the adapter is whatever wgpu finds, lavapipe on a machine without
/// a GPU): training steps at batch 64 and 256, the big convolution's three passes (batch 1, so
/// lavapipe finishes), and the submissions and readbacks per training step. Empty, with a note on
/// stderr, when there is no adapter.
#[cfg(not(target_arch = "wasm32"))]
pub fn gpu_rows(now: &dyn Fn() -> f64, settings: Settings) -> Vec<Row> {
    use crate::backend::gpu::ops::{self, conv_params};
    use crate::backend::gpu::{GpuContext, GpuTensor};
    use crate::train::gpu::GpuTrainer;
    use crate::train::optim::OptimizerConfig;
    use std::rc::Rc;

    let ctx = match pollster::block_on(GpuContext::new()) {
        Ok(ctx) => Rc::new(ctx),
        Err(e) => {
            eprintln!("bench: no GPU rows ({e})");
            return Vec::new();
        }
    };
    let backend = "webgpu";
    let row = |workload: String, value: f64, unit: &str| Row {
        workload,
        backend: backend.into(),
        value,
        unit: unit.into(),
    };
    let mut rows = Vec::new();
    eprintln!("bench: GPU adapter {:?}", ctx.adapter);
    let steps = if settings.quick { 1 } else { 5 };
    // The deeper nets' recorded steps, batch 64.
    let (x, y) = synthetic_batch(64);
    for kind in [ModelKind::ResNet, ModelKind::Inception] {
        let model = kind.build(1);
        let mut trainer =
            GpuTrainer::new(Rc::clone(&ctx), model.as_ref(), OptimizerConfig::lesson());
        let (secs, _) = time_gpu_steps(now, &mut trainer, &x, &y, steps, |_| {});
        rows.push(row(
            format!("train {}, batch 64", kind.name()),
            64.0 / secs,
            "images/s",
        ));
        rows.push(row(
            format!("dispatches per {} training step", kind.name()),
            trainer.dispatches_per_step() as f64,
            "count",
        ));
    }
    for batch in [64, 256] {
        let (x, y) = synthetic_batch(batch);
        let mut trainer = GpuTrainer::new(Rc::clone(&ctx), &Net::new(1), OptimizerConfig::lesson());
        let mut counts = (0, 0);
        let (secs, timed) = time_gpu_steps(now, &mut trainer, &x, &y, steps, |t: &GpuTrainer| {
            counts = (t.submissions(), t.readbacks())
        });
        let (submissions, readbacks) = counts;
        rows.push(row(
            format!("train Net, batch {batch}"),
            batch as f64 / secs,
            "images/s",
        ));
        if batch == 64 {
            let per_step = |total: u64, before: u64| (total - before) as f64 / timed as f64;
            rows.push(row(
                "queue submissions per training step".into(),
                per_step(trainer.submissions() - 1, submissions),
                "count",
            ));
            rows.push(row(
                "readbacks per training step".into(),
                per_step(trainer.readbacks() - 1, readbacks),
                "count",
            ));
            rows.push(row(
                "dispatches per training step".into(),
                trainer.dispatches_per_step() as f64,
                "count",
            ));
        }
    }
    // The lab's inference on the GPU: one image (the pad) and an evaluation chunk, readback
    // included (`models::gpu_forward`).
    let forward = crate::models::gpu_forward::GpuForward::new(Rc::clone(&ctx), &Net::new(1))
        .expect("the Net has a GPU forward");
    let images = crate::models::infer_choice::EVAL_IMAGES;
    for (n, repeats, name, scale, unit) in [
        (1, 50, "one image forward".to_string(), 1e6, "µs"),
        (images, 10, format!("forward {images} images"), 1e3, "ms"),
    ] {
        let (x, _) = synthetic_batch(n);
        let secs = time(now, if settings.quick { 1 } else { repeats }, || {
            pollster::block_on(forward.logits(&x)).expect("GPU forward");
        });
        rows.push(row(name, secs * scale, unit));
    }
    let p = Conv2dParams::new(64, 64, 3).padding(1);
    let xd = [1, 64, 56, 56];
    let yd = p.output_shape(xd).expect("shape");
    let x = GpuTensor::upload(
        &ctx,
        &Tensor::from_fn(&xd, |i| ((i % 97) as f32 - 48.0) / 97.0),
    );
    let w = GpuTensor::upload(
        &ctx,
        &Tensor::from_fn(&p.weight_shape(), |i| ((i % 13) as f32 - 6.0) / 50.0),
    );
    let (y, dx, dw) = (
        GpuTensor::zeros(&ctx, &yd),
        GpuTensor::zeros(&ctx, &xd),
        GpuTensor::zeros(&ctx, &p.weight_shape()),
    );
    let params = conv_params(&p, xd, yd, false);
    let flops = 2.0 * p.mults(56, 56).expect("shape") as f64;
    let passes = [
        (
            "forward",
            ops::conv2d_forward(&ctx, &x, &w, None, params, &y),
            &y,
        ),
        (
            "input gradient",
            ops::conv2d_backward_input(&ctx, &y, &w, None, params, &dx),
            &dx,
        ),
        (
            "weight gradient",
            ops::conv2d_backward_weight(&ctx, &x, &y, params, &dw),
            &dw,
        ),
    ];
    for (name, dispatch, out) in passes {
        let secs = time(now, if settings.quick { 1 } else { 2 }, || {
            ctx.run(&[&dispatch]);
            pollster::block_on(crate::backend::gpu::tensor::read_words(
                &ctx,
                &out.buffer,
                1,
            ))
            .expect("sync");
        });
        rows.push(row(
            format!("conv 1x64x56x56 3x3 p1 {name}"),
            flops / secs / 1e9,
            "GFLOP/s",
        ));
    }
    rows
}
