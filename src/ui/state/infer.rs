//! The lab's inference worker, page side: the lab's computations (a digit's probabilities, its
//! feature maps, a gallery page's answers, the 10,000-image evaluation) run in a Web Worker (the
//! compute worker's script in its `serve` role, [`convscope_worker::infer_protocol`]), started on
//! first use, so the main thread only renders.
//!
//! - Before each request the worker is sent the lab's model if it changed since the last one
//!   (safetensors bytes: the shipped weights, the ones being trained or an import).
//! - Each request has an id and a one-shot answer (the evaluation also reports progress); a
//!   widget keeps its latest ticket ([`Latest`]) and drops older answers (a newer stroke).
//! - Fallback: if the worker cannot start (its script blocked) or dies (an error, or the
//!   `?debug` kill), [`Infer::lost`] says why (the widgets show [`crate::ui::widgets::infer_note`]),
//!   pending requests end without an answer and every request from then on is computed on the
//!   main thread by the same core functions, as before the worker existed. The answers are the
//!   same numbers either way: the same core code on the same SIMD backend, and the numbers move
//!   as raw `f32`s.
//! - Backends: the worker times WASM SIMD and WebGPU on the pad's and the evaluation's
//!   workloads and says so unasked ([`FromInfer::Backends`], kept in [`Infer::choice`]); the
//!   learner's override ([`Infer::prefer`]) is sent to it, also when a new worker starts.

use crate::models::classifier::{self, ModelKind};
use crate::models::infer_choice::{InferChoice, InferPreference};
use crate::ui::state::lab::Lab;
use convscope_worker::envelope;
use convscope_worker::infer_protocol::{FromInfer, ToInfer};
use convscope_worker::protocol::LOADER;
use futures_channel::oneshot;
use js_sys::{Float32Array, Uint8Array};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// An answer: the message and its data.
pub type Answer = (FromInfer, Option<JsValue>);

/// A request waiting: its answer's sender and, for the evaluation, where progress goes.
struct Pending {
    done: oneshot::Sender<Answer>,
    progress: Option<Box<dyn Fn(f64)>>,
}

type PendingMap = Rc<RefCell<HashMap<u64, Pending>>>;

/// The running worker and its handlers (kept even once dead: a handler may be running).
struct Worker {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

#[derive(Default)]
struct Inner {
    worker: Option<Rc<Worker>>,
    dead: Vec<Rc<Worker>>,
    next_id: u64,
    /// The lab model version the worker holds.
    sent: Option<u64>,
    pending: PendingMap,
}

/// The lab's inference worker (see the module docs). Cheap to copy; provided once.
#[derive(Clone, Copy)]
pub struct Infer {
    inner: StoredValue<Inner, LocalStorage>,
    /// Why the worker is not used (it could not start, or it died): the lab computes on the
    /// page's own thread.
    pub lost: RwSignal<Option<String>>,
    /// The worker's timings of the backends and its GPU's state, once it has told them.
    pub choice: RwSignal<Option<InferChoice>>,
    /// Where the learner wants the answers computed.
    pub preference: RwSignal<InferPreference>,
}

/// Provides the inference worker (not started until first asked).
pub fn provide() -> Infer {
    let infer = Infer {
        inner: StoredValue::new_local(Inner::default()),
        lost: RwSignal::new(None),
        choice: RwSignal::new(None),
        preference: RwSignal::new(InferPreference::default()),
    };
    provide_context(infer);
    THE.with(|t| t.set(Some(infer)));
    infer
}

thread_local! {
    /// The one inference worker, for code that runs outside the component tree (a task
    /// spawned by a widget has no context to read).
    static THE: std::cell::Cell<Option<Infer>> = const { std::cell::Cell::new(None) };
}

/// A widget's latest request: answers to older tickets are dropped.
#[derive(Clone, Copy)]
pub struct Latest(StoredValue<u64>);

impl Latest {
    /// No request yet.
    pub fn new() -> Self {
        Latest(StoredValue::new(0))
    }

    /// A new ticket (older ones become stale).
    pub fn next(self) -> u64 {
        self.0.update_value(|t| *t += 1);
        self.0.get_value()
    }

    /// Whether `ticket` is still the latest.
    pub fn is(self, ticket: u64) -> bool {
        // False once the widget that asked is gone (its value disposed): nothing to show.
        self.0.try_get_value() == Some(ticket)
    }
}

impl Default for Latest {
    fn default() -> Self {
        Self::new()
    }
}

/// `f32`s as a typed array (moved with the message).
pub fn floats(values: &[f32]) -> JsValue {
    Float32Array::from(values).into()
}

/// A typed array's `f32`s.
pub fn read_floats(data: &JsValue) -> Vec<f32> {
    convscope_worker::envelope::floats_of(data)
}

impl Infer {
    /// The inference worker (from the context, or the one provided, in a spawned task).
    pub fn get() -> Infer {
        use_context::<Infer>()
            .or_else(|| THE.with(std::cell::Cell::get))
            .expect("the inference worker is provided with the app's shared state")
    }

    /// Whether requests go to the worker (not yet lost).
    pub fn in_worker(self) -> bool {
        self.lost.get_untracked().is_none()
    }

    /// Asks the worker: sends the lab's model first if the worker does not hold it, then
    /// `request(id)` with `data`. `None` when the worker is lost or the model cannot be sent
    /// (the caller computes on the main thread); else the answer, `None` if the worker died
    /// before answering.
    pub fn ask(
        self,
        lab: Lab,
        request: impl FnOnce(u64) -> ToInfer,
        data: Option<JsValue>,
        progress: Option<Box<dyn Fn(f64)>>,
    ) -> Option<oneshot::Receiver<Answer>> {
        if !self.in_worker() {
            return None;
        }
        let worker = self.worker()?;
        let model = lab.model_untracked()?;
        let version = lab.version.get_untracked();
        if self.inner.with_value(|i| i.sent) != Some(version) {
            let kind: ModelKind = model.kind()?;
            let bytes = classifier::save(model.as_ref(), None).ok()?;
            if let Err(e) = send(
                &worker.worker,
                &ToInfer::Model { version, kind },
                Some(bytes_of(&bytes)),
            ) {
                self.die(e);
                return None;
            }
            self.inner.update_value(|i| i.sent = Some(version));
        }
        let (tx, rx) = oneshot::channel();
        let (id, pending) = self
            .inner
            .with_value(|i| (i.next_id + 1, Rc::clone(&i.pending)));
        self.inner.update_value(|i| i.next_id = id);
        pending
            .borrow_mut()
            .insert(id, Pending { done: tx, progress });
        if let Err(e) = send(&worker.worker, &request(id), data) {
            self.die(e);
            return None;
        }
        Some(rx)
    }

    /// Sets where the learner wants the answers computed (told to the worker if it runs).
    pub fn prefer(self, preference: InferPreference) {
        self.preference.set(preference);
        if let Some(w) = self.inner.with_value(|i| i.worker.clone())
            && let Err(e) = send(&w.worker, &ToInfer::Prefer { preference }, None)
        {
            self.die(e);
        }
    }

    /// Terminates the worker as if it had died (the `?debug` test of a worker dying
    /// mid-evaluation): what it was computing is computed on the main thread.
    pub fn kill(self) {
        self.die("the worker was terminated".into());
    }

    /// The worker, started on first use; `None` if it cannot start.
    fn worker(self) -> Option<Rc<Worker>> {
        if let Some(w) = self.inner.with_value(|i| i.worker.clone()) {
            return Some(w);
        }
        match self.spawn() {
            Ok(w) => {
                let w = Rc::new(w);
                self.inner.update_value(|i| i.worker = Some(Rc::clone(&w)));
                Some(w)
            }
            Err(e) => {
                self.die(e);
                None
            }
        }
    }

    fn spawn(self) -> Result<Worker, String> {
        let options = web_sys::WorkerOptions::new();
        options.set_name("convscope inference");
        let worker =
            web_sys::Worker::new_with_options(LOADER, &options).map_err(|e| format!("{e:?}"))?;
        let pending = self.inner.with_value(|i| Rc::clone(&i.pending));
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let Ok((answer, bulk)) = envelope::open_as::<FromInfer>(&ev) else {
                    leptos::logging::log!("convscope: unreadable inference answer");
                    return;
                };
                if let FromInfer::Backends { choice } = answer {
                    // Unasked; the page may be gone (then there is nobody to tell).
                    let _ = self.choice.try_set(Some(*choice));
                    return;
                }
                let id = answer.id();
                if let FromInfer::Progress { fraction, .. } = answer {
                    if let Some(report) =
                        pending.borrow().get(&id).and_then(|p| p.progress.as_ref())
                    {
                        report(fraction);
                    }
                    return;
                }
                let waiting = pending.borrow_mut().remove(&id);
                if let Some(p) = waiting {
                    let _ = p.done.send((answer, bulk));
                }
            });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            self.die(envelope::failure(&ev));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        send(&worker, &ToInfer::Serve, None)?;
        let preference = self.preference.get_untracked();
        if preference != InferPreference::default() {
            send(&worker, &ToInfer::Prefer { preference }, None)?;
        }
        Ok(Worker {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// The worker is gone: say why, stop it, and end its pending requests unanswered.
    fn die(self, reason: String) {
        leptos::logging::log!(
            "convscope: the inference worker is lost ({reason}); computing on the page"
        );
        let (worker, pending) = self
            .inner
            .with_value(|i| (i.worker.clone(), Rc::clone(&i.pending)));
        if let Some(w) = worker {
            w.worker.terminate();
            self.inner.update_value(|i| {
                i.worker = None;
                i.dead.push(w);
            });
        }
        // Dropping the senders ends every wait with no answer.
        let waiting: Vec<Pending> = pending.borrow_mut().drain().map(|(_, p)| p).collect();
        drop(waiting);
        self.choice.set(None);
        self.lost.set(Some(reason));
    }
}

fn bytes_of(bytes: &[u8]) -> JsValue {
    Uint8Array::from(bytes).into()
}

/// Posts an envelope (its data's buffer moved with it).
fn send(worker: &web_sys::Worker, msg: &ToInfer, data: Option<JsValue>) -> Result<(), String> {
    envelope::post_to(worker, msg, data.as_ref())
}
