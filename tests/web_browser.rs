//! wasm tests that run in headless Chromium through chromedriver
//! (`cargo test --target wasm32-unknown-unknown --test web_browser`): the app mounts, shows the
//! home page, follows the URL fragment and switches language.
#![cfg(target_arch = "wasm32")]

use convscope::i18n::{Lang, tr};
use convscope::ui::App;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod wasm_common;

/// The SIMD backend compiled with simd128, run by Chromium's wasm engine, against the reference.
#[wasm_bindgen_test]
fn simd_backend_matches_reference_in_chromium() {
    wasm_common::simd_matches_reference();
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

fn text_of(selector: &str) -> String {
    document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|el| el.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn app_mounts_routes_and_switches_language() {
    let window = web_sys::window().expect("a window");
    window.local_storage().ok().flatten().map(|s| s.clear());
    window.location().set_hash("#/").expect("set hash");
    let host: web_sys::HtmlElement = document()
        .create_element("div")
        .expect("div")
        .dyn_into()
        .expect("an HTML element");
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    let _handle = leptos::mount::mount_to(host, App);
    TimeoutFuture::new(0).await;

    // The runner's Chromium may prefer either language; read it from <html lang>.
    let html_lang = document()
        .document_element()
        .and_then(|e| e.get_attribute("lang"));
    let lang = Lang::parse(html_lang.as_deref().unwrap_or("en")).expect("a known language");
    assert_eq!(text_of("main h1"), tr(lang, "page.home.title"));

    window
        .location()
        .set_hash("#/padding-stride")
        .expect("set hash");
    TimeoutFuture::new(50).await;
    assert_eq!(text_of("main h1"), tr(lang, "page.padding.title"));

    let button: web_sys::HtmlElement = document()
        .query_selector(".lang-button")
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into().ok())
        .expect("the language button");
    button.click();
    TimeoutFuture::new(0).await;
    assert_eq!(text_of("main h1"), tr(lang.other(), "page.padding.title"));
    let saved = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item("convscope.lang").ok().flatten());
    assert_eq!(saved.as_deref(), Some(lang.other().code()));
}

mod gpu_in_chromium {
    //! The WGSL shaders through the browser's WebGPU (SwiftShader in headless Chromium, launched
    //! with --enable-unsafe-webgpu by webdriver.json), against the CPU reference. Readback is
    //! asynchronous, as it must be in a page.

    use convscope::backend::Backend;
    use convscope::backend::cpu::ReferenceBackend;
    use convscope::backend::gpu::ops::{self, conv_params, pool_params};
    use convscope::backend::gpu::{GpuContext, GpuTensor};
    use convscope::layers::{Conv2dParams, Pool2dParams};
    use convscope::models::Net;
    use convscope::tensor::Tensor;
    use convscope::train::fit::train_step;
    use convscope::train::gpu::GpuTrainer;
    use convscope::train::optim::OptimizerConfig;
    use convscope::train::optim::Sgd;
    use std::rc::Rc;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn tensor(shape: &[usize], seed: u64) -> Tensor {
        Tensor::from_fn(shape, |i| {
            ((i as u64 + seed).wrapping_mul(2_654_435_761) % 2001) as f32 / 1000.0 - 1.0
        })
    }

    fn close(what: &str, got: &Tensor, want: &Tensor, tol: f32) {
        let err = got.max_abs_diff(want);
        assert!(err <= tol, "{what}: max abs err {err}");
    }

    async fn context() -> GpuContext {
        GpuContext::new()
            .await
            .expect("WebGPU in headless Chromium (launched with --enable-unsafe-webgpu)")
    }

    #[wasm_bindgen_test]
    async fn conv_and_pool_shaders_match_the_reference_in_chromium() {
        let ctx = context().await;
        let p = Conv2dParams::new(6, 9, 3)
            .groups(3)
            .stride(2)
            .padding(1)
            .dilation(2);
        let (x, w, b) = (
            tensor(&[2, 6, 11, 9], 1),
            tensor(&p.weight_shape(), 2),
            tensor(&[9], 3),
        );
        let xd = [2, 6, 11, 9];
        let yd = p.output_shape(xd).expect("shape");
        let (gx, gw, gb) = (
            GpuTensor::upload(&ctx, &x),
            GpuTensor::upload(&ctx, &w),
            GpuTensor::upload(&ctx, &b),
        );
        let y = GpuTensor::zeros(&ctx, &yd);
        ctx.run(&[&ops::conv2d_forward(
            &ctx,
            &gx,
            &gw,
            Some(&gb),
            conv_params(&p, xd, yd, true),
            &y,
        )]);
        let want = ReferenceBackend
            .conv2d_forward(&x, &w, Some(&b), &p)
            .expect("cpu");
        close(
            "conv2d forward",
            &y.read(&ctx).await.expect("read"),
            &want,
            1e-5,
        );

        let dy = tensor(&yd, 4);
        let gdy = GpuTensor::upload(&ctx, &dy);
        let (dx, dw) = (
            GpuTensor::zeros(&ctx, &xd),
            GpuTensor::zeros(&ctx, &p.weight_shape()),
        );
        let params = conv_params(&p, xd, yd, false);
        ctx.run(&[
            &ops::conv2d_backward_input(&ctx, &gdy, &gw, None, params, &dx),
            &ops::conv2d_backward_weight(&ctx, &gx, &gdy, params, &dw),
        ]);
        let want = ReferenceBackend
            .conv2d_backward_input(&dy, &w, &p, (11, 9))
            .expect("cpu");
        close(
            "conv2d dx",
            &dx.read(&ctx).await.expect("read"),
            &want,
            1e-5,
        );
        let want = ReferenceBackend
            .conv2d_backward_weight(&x, &dy, &p)
            .expect("cpu");
        close(
            "conv2d dw",
            &dw.read(&ctx).await.expect("read"),
            &want,
            1e-4,
        );

        let pool = Pool2dParams::new(3).stride(2).padding(1);
        let pd = pool.output_shape(xd).expect("shape");
        let (py, pi) = (GpuTensor::zeros(&ctx, &pd), GpuTensor::zeros(&ctx, &pd));
        ctx.run(&[&ops::max_pool2d_forward(
            &ctx,
            &gx,
            pool_params(&pool, xd, pd),
            &py,
            &pi,
        )]);
        let (want, want_idx) = ReferenceBackend.max_pool2d_forward(&x, &pool).expect("cpu");
        close(
            "max_pool2d",
            &py.read(&ctx).await.expect("read"),
            &want,
            0.0,
        );
        assert_eq!(pi.read_u32(&ctx).await.expect("read"), want_idx);
    }

    #[wasm_bindgen_test]
    async fn elementwise_linear_pool_loss_shaders_match_the_reference_in_chromium() {
        use convscope::backend::gpu::ops::Operand;
        let ctx = context().await;
        let cpu = ReferenceBackend;
        let x = tensor(&[2, 3, 7, 6], 5);
        let gx = GpuTensor::upload(&ctx, &x);
        let (relu, dx, sum) = (
            GpuTensor::zeros(&ctx, x.shape()),
            GpuTensor::zeros(&ctx, x.shape()),
            GpuTensor::zeros(&ctx, x.shape()),
        );
        ctx.run(&[
            &ops::relu_forward(&ctx, &gx, &relu),
            &ops::relu_backward(&ctx, &gx, &relu, &dx),
            &ops::add(&ctx, &gx, &relu, &sum),
        ]);
        let want_relu = cpu.relu_forward(&x).expect("cpu");
        close(
            "relu",
            &relu.read(&ctx).await.expect("read"),
            &want_relu,
            0.0,
        );
        close(
            "relu backward",
            &dx.read(&ctx).await.expect("read"),
            &cpu.relu_backward(&x, &want_relu).expect("cpu"),
            0.0,
        );
        close(
            "add",
            &sum.read(&ctx).await.expect("read"),
            &cpu.add_forward(&x, &want_relu).expect("cpu"),
            0.0,
        );

        let pool = Pool2dParams::new(3).stride(2).padding(1);
        let pd = pool.output_shape([2, 3, 7, 6]).expect("shape");
        let (avg, davg) = (
            GpuTensor::zeros(&ctx, &pd),
            GpuTensor::zeros(&ctx, x.shape()),
        );
        let pp = pool_params(&pool, [2, 3, 7, 6], pd);
        ctx.run(&[
            &ops::avg_pool2d_forward(&ctx, &gx, pp, &avg),
            &ops::avg_pool2d_backward(&ctx, &avg, pp, &davg),
        ]);
        let want = cpu.avg_pool2d_forward(&x, &pool).expect("cpu");
        close(
            "avg_pool2d",
            &avg.read(&ctx).await.expect("read"),
            &want,
            1e-6,
        );
        let want = cpu
            .avg_pool2d_backward(&want, &pool, [2, 3, 7, 6])
            .expect("cpu");
        close(
            "avg_pool2d backward",
            &davg.read(&ctx).await.expect("read"),
            &want,
            1e-6,
        );

        let (a, w, b) = (tensor(&[5, 33], 6), tensor(&[7, 33], 7), tensor(&[7], 8));
        let (ga, gw, gb) = (
            GpuTensor::upload(&ctx, &a),
            GpuTensor::upload(&ctx, &w),
            GpuTensor::upload(&ctx, &b),
        );
        let y = GpuTensor::zeros(&ctx, &[5, 7]);
        ctx.run(&[&ops::matmul(
            &ctx,
            (5, 7, 33),
            Operand::row_major(&ga, 33),
            Operand::transposed(&gw, 33),
            Some(&gb),
            &y,
            false,
        )]);
        close(
            "linear (tiled matmul)",
            &y.read(&ctx).await.expect("read"),
            &cpu.linear_forward(&a, &w, Some(&b)).expect("cpu"),
            1e-5,
        );

        let logits = tensor(&[6, 10], 9);
        let targets = [3usize, 0, 9, 9, 5, 1];
        let t: Vec<u32> = targets.iter().map(|&t| t as u32).collect();
        let (gl, gt) = (
            GpuTensor::upload(&ctx, &logits),
            GpuTensor::upload_u32(&ctx, &[6], &t),
        );
        let (lp, dl, stats) = (
            GpuTensor::zeros(&ctx, &[6, 10]),
            GpuTensor::zeros(&ctx, &[6, 10]),
            GpuTensor::zeros(&ctx, &[2]),
        );
        ctx.run(&[&ops::softmax_cross_entropy(
            &ctx, &gl, &gt, &lp, &dl, &stats,
        )]);
        let want_lp = cpu.log_softmax_forward(&logits).expect("cpu");
        close(
            "log_softmax",
            &lp.read(&ctx).await.expect("read"),
            &want_lp,
            1e-5,
        );
        close(
            "dlogits",
            &dl.read(&ctx).await.expect("read"),
            &cpu.log_softmax_nll_backward(&want_lp, &targets)
                .expect("cpu"),
            1e-6,
        );
        let loss = stats.read(&ctx).await.expect("read").data()[0];
        assert!((loss - cpu.nll_loss_forward(&want_lp, &targets).expect("cpu")).abs() < 1e-5);

        let parts = [tensor(&[2, 2, 3, 3], 10), tensor(&[2, 3, 3, 3], 11)];
        let out = GpuTensor::zeros(&ctx, &[2, 5, 3, 3]);
        let up: Vec<GpuTensor> = parts.iter().map(|p| GpuTensor::upload(&ctx, p)).collect();
        ctx.run(&[
            &ops::channel_copy(&ctx, &up[0], 0, &out, 0, 2, 2, 9),
            &ops::channel_copy(&ctx, &up[1], 0, &out, 2, 3, 2, 9),
        ]);
        let want = cpu
            .concat_channels_forward(&[&parts[0], &parts[1]])
            .expect("cpu");
        close("concat", &out.read(&ctx).await.expect("read"), &want, 0.0);
    }

    #[wasm_bindgen_test]
    async fn a_lost_device_continues_on_simd_in_chromium() {
        use convscope::train::session::Session;
        let ctx = Rc::new(context().await);
        let mut session = Session::gpu(
            Rc::clone(&ctx),
            Box::new(Net::new(4)),
            OptimizerConfig::lesson(),
        );
        session.checkpoint_every = 3;
        let mut reference = Session::cpu(Box::new(Net::new(4)), OptimizerConfig::lesson());
        for step in 0..8u64 {
            if step == 5 {
                ctx.simulate_device_loss();
            }
            let x = tensor(&[4, 1, 28, 28], step * 17);
            let targets: Vec<usize> = (0..4).map(|i| (i * 3 + step as usize) % 10).collect();
            session
                .step(x.clone(), targets.clone())
                .await
                .expect("step");
            reference.step(x, targets).await.expect("reference step");
            let (got, want) = (
                session.record_loss().await.expect("loss"),
                reference.record_loss().await.expect("loss"),
            );
            assert!(
                (got - want).abs() <= 1e-4 * want.abs().max(1.0),
                "step {step}: {got} vs {want}"
            );
        }
        assert_eq!(
            (
                session.backend_name(),
                session.fallbacks,
                session.history.len()
            ),
            ("simd", 1, 8)
        );
    }

    #[wasm_bindgen_test]
    async fn training_steps_match_the_reference_in_chromium() {
        let ctx = Rc::new(context().await);
        let net = Net::new(9);
        let mut gpu = GpuTrainer::new(ctx, &net, OptimizerConfig::lesson());
        let (mut cpu_net, mut opt) = (net, Sgd::new(0.01, 0.5));
        for step in 0..5u64 {
            let x = tensor(&[8, 1, 28, 28], step * 31);
            let targets: Vec<usize> = (0..8).map(|i| (i + step as usize) % 10).collect();
            gpu.step(&x, &targets).expect("gpu step");
            let stats = gpu.last_stats().await.expect("stats");
            let cpu = train_step(&ReferenceBackend, &mut cpu_net, &mut opt, &x, &targets)
                .expect("cpu step");
            let rel = (stats.loss - cpu.loss).abs() / cpu.loss;
            assert!(rel <= 1e-4, "step {step}: {} vs {}", stats.loss, cpu.loss);
        }
    }
}
