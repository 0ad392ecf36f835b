//! Mounting in chunks: `<Later>` mounts its children in a task of their own, after the first
//! screen, so that no single task of the page's start-up blocks the main thread for long (a
//! phone's CPU spends hundreds of milliseconds on a chapter's widgets: building their DOM, their
//! first computation and the lazy compilation of the wasm code they run).
//!
//! How: each `<Later>` puts itself in one queue, in the order the page creates them (document
//! order); one `setTimeout(0)` task mounts the queue's first entry (Leptos renders it in that
//! task's microtasks), then schedules the next. Until then the place holds nothing (no element:
//! the keyboard order and the page's structure are those of the widgets once mounted). Leaving
//! the page before an entry's turn drops it (its signal is gone with the page).

use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::Duration;

thread_local! {
    /// The entries waiting for their task, first in first out.
    static QUEUE: RefCell<VecDeque<RwSignal<bool>>> = const { RefCell::new(VecDeque::new()) };
}

/// Mounts `children` in a later task of its own (see the module's documentation).
#[component]
pub fn Later(children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    let first = QUEUE.with_borrow_mut(|q| {
        q.push_back(ready);
        q.len() == 1
    });
    if first {
        schedule();
    }
    view! { <Show when=move || ready.get()>{children()}</Show> }
}

/// Mounts the queue's first entry in the next task, and so on until the queue is empty.
fn schedule() {
    set_timeout(
        || {
            // An entry of a page already left is disposed: skip it, it costs nothing.
            while let Some(entry) = QUEUE.with_borrow_mut(VecDeque::pop_front) {
                if entry.try_set(true).is_none() {
                    break;
                }
            }
            if !QUEUE.with_borrow(VecDeque::is_empty) {
                schedule();
            }
        },
        Duration::ZERO,
    );
}
