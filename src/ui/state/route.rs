//! The current page, read from the URL fragment (`#/pooling`) and kept in step with it through
//! `hashchange`. `None` means the fragment names no page.

use crate::pages::Page;
use leptos::prelude::*;

/// The current route, as context.
#[derive(Clone, Copy)]
pub struct RouteState(pub ReadSignal<Option<Page>>);

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Starts following the URL fragment and provides the route as context.
pub fn provide() -> RouteState {
    let (route, set_route) = signal(Page::from_hash(&current_hash()));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        let hash = current_hash();
        // An embed address is a different app (the widget alone): load it as such.
        if crate::embed::embed_slug(&hash).is_some() {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
            return;
        }
        set_route.set(Page::from_hash(&hash));
    });
    // The app lives as long as the page: the listener is never removed.
    std::mem::forget(handle);
    let state = RouteState(route);
    provide_context(state);
    state
}
