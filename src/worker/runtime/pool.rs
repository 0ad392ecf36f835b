//! The leader's followers as the core's [`ShardPool`]. Each step it deals the shards it gets to
//! its followers in contiguous groups (the same dealing as the core's), posts them the model's
//! parameters and their shards, and collects their results (the sums of the batch's tree nodes
//! that lie in each group) in order. A follower that fails (its
//! script did not load, it threw, or it was terminated) is dropped and its shards are computed
//! by the leader itself, so the step's numbers stay the same and nothing is lost.

use super::js;
use crate::protocol::{FromFollower, LOADER, ToFollower};
use convscope_core::backend::cpu::SimdBackend;
use convscope_core::error::ShapeError;
use convscope_core::models::classifier::Classifier;
use convscope_core::tensor::Tensor;
use convscope_core::train::parallel::{
    PoolFuture, Shard, ShardPool, ShardResult, group_sums, groups,
};
use futures_channel::oneshot;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

type Reply = Result<Vec<ShardResult>, String>;

type Pending = Rc<RefCell<Option<(oneshot::Sender<Reply>, Vec<Vec<usize>>)>>>;

/// One follower, the reply it owes, and why it died (if it did while idle).
struct Follower {
    worker: web_sys::Worker,
    pending: Pending,
    dead: Rc<RefCell<Option<String>>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Follower {
    fn spawn() -> Result<Self, String> {
        let options = web_sys::WorkerOptions::new();
        options.set_name("convscope follower");
        let worker = web_sys::Worker::new_with_options(LOADER, &options)
            .map_err(|e| format!("cannot start a worker: {e:?}"))?;
        let pending: Pending = Rc::new(RefCell::new(None));
        let dead = Rc::new(RefCell::new(None));
        let p = Rc::clone(&pending);
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let Some((tx, shapes)) = p.borrow_mut().take() else {
                    return;
                };
                let (msg, data) = js::open(&ev);
                let _ = tx.send(decode(&msg, data.as_ref(), &shapes));
            });
        let (p, d) = (Rc::clone(&pending), Rc::clone(&dead));
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            let reason = ev
                .dyn_ref::<web_sys::ErrorEvent>()
                .map_or_else(|| "the worker failed to load".to_string(), |e| e.message());
            match p.borrow_mut().take() {
                Some((tx, _)) => _ = tx.send(Err(reason)),
                None => *d.borrow_mut() = Some(reason),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        js::post_to(&worker, &ToFollower::Follow, None)?;
        Ok(Follower {
            worker,
            pending,
            dead,
            _on_message: on_message,
            _on_error: on_error,
        })
    }
}

/// A follower's results, split back into per-sum gradients of the model's shapes.
fn decode(msg: &str, data: Option<&JsValue>, shapes: &[Vec<usize>]) -> Reply {
    match serde_json::from_str::<FromFollower>(msg) {
        Ok(FromFollower::Results {
            firsts,
            shards,
            sizes,
            losses,
            correct,
        }) => {
            let floats = data.map(js::read_floats).unwrap_or_default();
            let mut at = 0;
            let mut out = Vec::with_capacity(sizes.len());
            let sums = firsts.into_iter().zip(shards).zip(sizes).zip(losses);
            for ((((first, shards), images), loss_sum), correct) in sums.zip(correct) {
                let mut grads = Vec::with_capacity(shapes.len());
                for shape in shapes {
                    let n: usize = shape.iter().product();
                    let values = floats
                        .get(at..at + n)
                        .ok_or("a follower sent too few gradients")?;
                    grads.push(Tensor::new(shape, values.to_vec()).map_err(|e| e.to_string())?);
                    at += n;
                }
                out.push(ShardResult {
                    first,
                    shards,
                    images,
                    loss_sum,
                    correct,
                    grads,
                });
            }
            Ok(out)
        }
        Ok(FromFollower::Failed { message }) => Err(message),
        Err(e) => Err(format!("an unreadable reply from a follower: {e}")),
    }
}

/// Shards `first..` computed here, as the sums a follower would have sent.
fn compute_here(
    model: &dyn Classifier,
    shards: &[Shard],
    first: usize,
) -> Result<Vec<ShardResult>, ShapeError> {
    group_sums(model, &SimdBackend::new(), shards, first)
}

/// Whether `results` are the sums of exactly shards `first..first + count`, in order.
fn covers(results: &[ShardResult], first: usize, count: usize) -> bool {
    let mut next = first;
    for r in results {
        if r.first != next {
            return false;
        }
        next += r.shards;
    }
    next == first + count
}

/// The followers, shared between the session (as its pool) and the leader (which sizes it).
#[derive(Clone, Default)]
pub struct Pool {
    followers: Rc<RefCell<Vec<Follower>>>,
    /// Why followers were lost since the leader last asked.
    lost: Rc<RefCell<Vec<String>>>,
}

impl Pool {
    /// Makes it `n` followers (starting or ending some). Returns the count reached.
    pub fn resize(&self, n: usize) -> usize {
        let mut followers = self.followers.borrow_mut();
        while followers.len() > n {
            if let Some(f) = followers.pop() {
                f.worker.terminate();
            }
        }
        while followers.len() < n {
            match Follower::spawn() {
                Ok(f) => followers.push(f),
                Err(e) => {
                    self.lost.borrow_mut().push(e);
                    break;
                }
            }
        }
        followers.len()
    }

    /// Terminates the last follower as if it had died (for the `?debug` test): a step in
    /// flight computes its shards itself; otherwise the next step finds it gone.
    pub fn kill_one(&self) {
        if let Some(f) = self.followers.borrow().last() {
            f.worker.terminate();
            match f.pending.borrow_mut().take() {
                Some((tx, _)) => _ = tx.send(Err("a worker was terminated".into())),
                None => *f.dead.borrow_mut() = Some("a worker was terminated".into()),
            }
        }
    }

    /// Drops the followers that died while idle.
    fn drop_dead(&self) {
        let mut lost = self.lost.borrow_mut();
        self.followers
            .borrow_mut()
            .retain(|f| match f.dead.borrow_mut().take() {
                Some(reason) => {
                    f.worker.terminate();
                    lost.push(reason);
                    false
                }
                None => true,
            });
    }

    /// Why followers were lost since the last call.
    pub fn take_lost(&self) -> Vec<String> {
        std::mem::take(&mut self.lost.borrow_mut())
    }
}

impl ShardPool for Pool {
    fn workers(&self) -> usize {
        self.followers.borrow().len()
    }

    fn grads(&mut self, model: &dyn Classifier, shards: Vec<Shard>, first: usize) -> PoolFuture {
        self.drop_dead();
        if shards.is_empty() || self.workers() == 0 {
            let results = compute_here(model, &shards, first);
            return Box::pin(async move { results });
        }
        let named = model.named();
        let shapes: Vec<Vec<usize>> = named.iter().map(|(_, t)| t.shape().to_vec()).collect();
        let params: Vec<&[f32]> = named.iter().map(|(_, t)| t.data()).collect();
        let kind = model.kind();
        let followers = self.followers.borrow();
        let mut waits = Vec::new();
        for (at, count) in groups(shards.len(), followers.len()) {
            let group: Vec<Shard> = shards[at..at + count].to_vec();
            let group_first = first + at;
            let (tx, rx) = oneshot::channel();
            let follower = &followers[waits.len()];
            let sent = kind
                .ok_or_else(|| "this model cannot train in a worker".to_string())
                .and_then(|kind| {
                    // The parameters, then the shards' images.
                    let data = js::floats_from(
                        params
                            .iter()
                            .copied()
                            .chain(group.iter().map(|(x, _)| x.data())),
                    );
                    *follower.pending.borrow_mut() = Some((tx, shapes.clone()));
                    js::post_to(
                        &follower.worker,
                        &ToFollower::Shards {
                            model: kind,
                            first: group_first,
                            sizes: group.iter().map(|(_, y)| y.len()).collect(),
                            targets: group.iter().flat_map(|(_, y)| y.iter().copied()).collect(),
                        },
                        Some(&data),
                    )
                });
            waits.push((
                rx,
                group,
                group_first,
                sent.err(),
                Rc::clone(&follower.pending),
            ));
        }
        drop(followers);
        let model = model.boxed();
        let pool = self.clone();
        Box::pin(async move {
            let mut out = Vec::new();
            let mut dead = Vec::new();
            for (rx, group, group_first, send_error, who) in waits {
                let reply = match send_error {
                    Some(e) => Err(e),
                    None => rx
                        .await
                        .unwrap_or_else(|_| Err("the worker went away".into())),
                };
                match reply {
                    Ok(results) if covers(&results, group_first, group.len()) => {
                        out.extend(results)
                    }
                    other => {
                        // Compute its shards here: the same numbers, a little later.
                        let reason = other.err().unwrap_or_else(|| "a short reply".into());
                        dead.push((who, reason));
                        out.extend(compute_here(model.as_ref(), &group, group_first)?);
                    }
                }
            }
            for (who, reason) in dead {
                pool.followers.borrow_mut().retain(|f| {
                    let gone = Rc::ptr_eq(&f.pending, &who);
                    if gone {
                        f.worker.terminate();
                    }
                    !gone
                });
                pool.lost.borrow_mut().push(reason);
            }
            Ok(out)
        })
    }
}
