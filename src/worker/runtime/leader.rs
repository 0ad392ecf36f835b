//! The leader: holds the core's training loop and the data, runs it in chunks of ~200 ms with
//! its followers ([`super::pool::Pool`]) as the session's shard pool, and tells the page what
//! happens. Between chunks it yields, so a `pause` from the page is seen at the next chunk.
//! Each chunk's progress costs the page a render (on a 2-core machine, time taken from the
//! workers), so five a second, not more.
//!
//! On WebGPU (`Start { gpu: true }`) the leader opens its own GPU device (WebGPU is offered to
//! dedicated workers) and the session trains on it, in chunks of a few steps; the page only
//! renders. If the worker cannot have a device it says so (`NoGpu`) and trains nothing; if the
//! device is lost mid-run the session goes on on WASM SIMD with the followers (`GpuLost`).

use super::js;
use super::pool::Pool;
use crate::protocol::{FromLeader, MAX_THREADS, ToLeader};
use convscope_core::backend::cpu::SimdBackend;
use convscope_core::backend::gpu::GpuContext;
use convscope_core::models::classifier;
use convscope_core::train::checkpoint::{Checkpoint, TrainSettings};
use convscope_core::train::data::Mnist;
use convscope_core::train::run::{Cadence, RateMeter, TrainLoop};
use convscope_core::train::session::TrainBackend;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// A CPU chunk's length: the page hears of progress this often.
const CHUNK_MS: f64 = 200.0;

/// What the message handler and the running loop share.
#[derive(Default)]
struct State {
    /// The loop, while no chunk holds it.
    looper: Option<TrainLoop>,
    running: bool,
    pause: bool,
    train: Option<Rc<Mnist>>,
    test: Option<Rc<Mnist>>,
    pool: Pool,
    /// This worker's GPU device, once opened.
    gpu: Option<Rc<GpuContext>>,
}

/// Replaces the first-message handler with the leader's.
pub fn install() {
    let state = Rc::new(RefCell::new(State::default()));
    let handler =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let (msg, data) = js::open(&ev);
            match serde_json::from_str::<ToLeader>(&msg) {
                Ok(ToLeader::Start {
                    settings,
                    threads,
                    gpu,
                }) => {
                    let checkpoint = data.as_ref().map(js::read_bytes);
                    {
                        // A pause not yet taken is cancelled; one that comes while the GPU
                        // device opens (below) is kept for the run.
                        let mut s = state.borrow_mut();
                        s.pause = false;
                        if s.running {
                            // Still in its last chunk after a pause: carry on.
                            return;
                        }
                    }
                    if gpu {
                        let state = Rc::clone(&state);
                        wasm_bindgen_futures::spawn_local(async move {
                            match open_gpu(&state).await {
                                Ok(ctx) => start(&state, settings, threads, checkpoint, Some(ctx)),
                                Err(message) => js::post(&FromLeader::NoGpu { message }, None),
                            }
                        });
                    } else {
                        start(&state, settings, threads, checkpoint, None);
                    }
                }
                Ok(ToLeader::Pause) => state.borrow_mut().pause = true,
                Ok(ToLeader::KillFollower) => state.borrow().pool.kill_one(),
                Ok(ToLeader::LoseGpu) => {
                    if let Some(ctx) = &state.borrow().gpu {
                        ctx.simulate_device_loss();
                    }
                }
                Ok(ToLeader::Lead) => {}
                Err(e) => web_sys::console::error_1(
                    &format!("convscope-worker: bad message {msg}: {e}").into(),
                ),
            }
        });
    js::scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
}

/// This worker's GPU device: the one opened before, or a new one.
async fn open_gpu(state: &Rc<RefCell<State>>) -> Result<Rc<GpuContext>, String> {
    if let Some(ctx) = state
        .borrow()
        .gpu
        .clone()
        .filter(|c| c.check_alive().is_ok())
    {
        return Ok(ctx);
    }
    let ctx = Rc::new(GpuContext::new().await.map_err(|e| e.to_string())?);
    state.borrow_mut().gpu = Some(Rc::clone(&ctx));
    Ok(ctx)
}

fn start(
    state: &Rc<RefCell<State>>,
    settings: TrainSettings,
    threads: usize,
    checkpoint: Option<Vec<u8>>,
    gpu: Option<Rc<GpuContext>>,
) {
    let mut s = state.borrow_mut();
    if s.running {
        return;
    }
    let mut looper = match checkpoint {
        Some(bytes) => match Checkpoint::from_bytes(&bytes) {
            Ok(c) => TrainLoop::resume(&c),
            Err(message) => {
                js::post(&FromLeader::Failed { message }, None);
                return;
            }
        },
        None => TrainLoop::fresh(settings),
    };
    looper.settings.epochs = settings.epochs;
    s.pool.resize(threads.clamp(1, MAX_THREADS) - 1);
    looper.session.set_pool(Some(Box::new(s.pool.clone())));
    if let Some(ctx) = gpu {
        looper.session.use_gpu(ctx);
    }
    s.looper = Some(looper);
    s.running = true;
    let state = Rc::clone(state);
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(message) = run(&state).await {
            js::post(&FromLeader::Failed { message }, None);
        }
        state.borrow_mut().running = false;
    });
}

/// A split of MNIST, fetched and decoded once.
async fn load(state: &Rc<RefCell<State>>, test: bool) -> Result<Rc<Mnist>, String> {
    let kept = if test {
        state.borrow().test.clone()
    } else {
        state.borrow().train.clone()
    };
    if let Some(data) = kept {
        return Ok(data);
    }
    let split = if test { "t10k" } else { "train" };
    let data = Rc::new(
        crate::fetch::load_mnist(split, |f| {
            if !test {
                js::post(
                    &FromLeader::Loading {
                        fraction: Some(f * 0.95),
                    },
                    None,
                );
            }
        })
        .await?,
    );
    let mut s = state.borrow_mut();
    if test {
        s.test = Some(Rc::clone(&data));
    } else {
        s.train = Some(Rc::clone(&data));
    }
    Ok(data)
}

async fn post_checkpoint(looper: &mut TrainLoop) {
    match looper.checkpoint().await {
        Ok(c) => js::post(
            &FromLeader::Checkpoint {
                steps: looper.steps(),
            },
            Some(&js::bytes(&c.to_bytes())),
        ),
        Err(e) => js::post(
            &FromLeader::Failed {
                message: e.to_string(),
            },
            None,
        ),
    }
}

async fn post_weights(looper: &mut TrainLoop) {
    let model = looper.session.model().await;
    match model.map(|m| classifier::save(m.as_ref(), None).map_err(|e| e.to_string())) {
        Ok(Ok(bytes)) => js::post(
            &FromLeader::Weights {
                steps: looper.steps(),
                model: looper.settings.model,
            },
            Some(&js::bytes(&bytes)),
        ),
        Ok(Err(message)) => js::post(&FromLeader::Failed { message }, None),
        Err(e) => js::post(
            &FromLeader::Failed {
                message: e.to_string(),
            },
            None,
        ),
    }
}

async fn run(state: &Rc<RefCell<State>>) -> Result<(), String> {
    if state.borrow().train.is_none() {
        js::post(
            &FromLeader::Loading {
                fraction: Some(0.0),
            },
            None,
        );
    }
    let train = load(state, false).await?;
    let mut looper = state.borrow_mut().looper.take().ok_or("no run to train")?;
    let pool = state.borrow().pool.clone();
    // A checkpoint every 2 s (not 10): if this worker dies, the page resumes from the last one.
    let mut cadence = Cadence::new(js::now_ms());
    cadence.save_ms = 2000.0;
    let mut meter = RateMeter::default();
    let mut sent = looper.session.history.last().copied();
    let mut sent_len = looper.session.history.len();
    let mut fallbacks = looper.session.fallbacks;
    // GPU steps per chunk: up to 4, fewer when a step takes long (a slow or software GPU), so
    // a chunk, and so the wait for a pause, stays under about 2 s.
    let mut gpu_chunk = 4.0_f64;
    let result = async {
        while !state.borrow().pause {
            let started = js::now_ms();
            let on_gpu = looper.session.backend() == TrainBackend::WebGpu;
            let mut steps = 0.0;
            let chunk = looper
                .chunk(&train, |_| {
                    steps += 1.0;
                    let elapsed = js::now_ms() - started;
                    // The GPU queues its steps: time says little before the readback.
                    if on_gpu {
                        steps < gpu_chunk
                    } else {
                        elapsed + elapsed / steps < CHUNK_MS
                    }
                })
                .await
                .map_err(|e| e.to_string())?;
            if on_gpu && steps > 0.0 {
                let per_step = (js::now_ms() - started) / steps;
                gpu_chunk = (2000.0 / per_step).floor().clamp(1.0, 4.0);
            }
            if let Some(loss) = chunk.loss {
                let history = &looper.session.history;
                let appended = sent_len <= history.len()
                    && sent_len.checked_sub(1).map(|i| history[i]) == sent;
                js::post(
                    &FromLeader::Progress {
                        steps: looper.steps(),
                        epoch: looper.cursor.epoch,
                        loss,
                        images_per_s: meter.add(started, js::now_ms(), chunk.images),
                        threads: looper.session.threads(),
                        gpu: looper.session.backend() == TrainBackend::WebGpu,
                        points: if appended {
                            history[sent_len..].to_vec()
                        } else {
                            Vec::new()
                        },
                        history: (!appended).then(|| history.clone()),
                    },
                    None,
                );
                sent = history.last().copied();
                sent_len = history.len();
            }
            if looper.session.fallbacks > fallbacks {
                fallbacks = looper.session.fallbacks;
                let (tag, detail) = looper
                    .session
                    .gpu_error
                    .as_ref()
                    .map_or(("lost", String::new()), |e| e.to_tag());
                js::post(
                    &FromLeader::GpuLost {
                        tag: tag.to_string(),
                        detail,
                    },
                    None,
                );
            }
            for reason in pool.take_lost() {
                js::post(
                    &FromLeader::ThreadLost {
                        threads: looper.session.threads(),
                        reason,
                    },
                    None,
                );
            }
            if chunk.epoch_done {
                let test = load(state, true).await?;
                let (_, _) = looper
                    .end_epoch(&SimdBackend::new(), &test, 1000, |fraction| {
                        js::post(&FromLeader::Evaluating { fraction }, None);
                        js::yield_now()
                    })
                    .await
                    .map_err(|e| e.to_string())?;
                js::post(
                    &FromLeader::Epoch {
                        epoch: looper.cursor.epoch,
                        accuracy: looper.accuracy.clone(),
                    },
                    None,
                );
                post_weights(&mut looper).await;
                post_checkpoint(&mut looper).await;
                cadence.saved(js::now_ms());
                if looper.finished() {
                    js::post(&FromLeader::Finished, None);
                    return Ok(());
                }
            }
            let now = js::now_ms();
            if cadence.publish_due(now) {
                post_weights(&mut looper).await;
            }
            if cadence.save_due(now) {
                post_checkpoint(&mut looper).await;
            }
            js::yield_now().await;
        }
        post_weights(&mut looper).await;
        post_checkpoint(&mut looper).await;
        js::post(&FromLeader::Paused, None);
        Ok::<(), String>(())
    }
    .await;
    state.borrow_mut().looper = Some(looper);
    result
}
