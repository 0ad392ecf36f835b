//! The drawing's preprocessing steps beside the pad: the crop, the 20-pixel scale and the
//! centred 28 × 28 image ([`crate::preprocess::mnist_style`]), numbered from 1.
//!
//! The three figures are built once while there is a drawing; each stroke update repaints their
//! canvases in place ([`paint`], the canvas resized only when the crop's size changes) instead
//! of building new elements, so a stroke costs the page no new layout (the drawing pad's answer
//! waits behind that work).

use crate::preprocess::Gray;
use crate::ui::state::lang::use_tr;
use crate::ui::widgets::heat_canvas::{Palette, paint};
use leptos::html::Canvas;
use leptos::prelude::*;

/// The steps' captions, in order.
const KEYS: [&str; 3] = [
    "upload.step_crop",
    "upload.step_scale",
    "upload.step_centre",
];

/// The three steps of `steps`, while `show` holds and there are steps.
#[component]
pub fn DrawSteps(
    #[prop(into)] steps: Signal<Option<[Gray; 3]>>,
    #[prop(into)] show: Signal<bool>,
) -> impl IntoView {
    let tr = use_tr();
    let figures = move || {
        KEYS.into_iter()
            .enumerate()
            .map(|(i, key)| {
                let canvas = NodeRef::<Canvas>::new();
                Effect::new(move |_| {
                    let Some(c) = canvas.get() else { return };
                    steps.with(|s| {
                        let Some(g) = s.as_ref().map(|s| &s[i]) else {
                            return;
                        };
                        let (w, h) = (g.width as u32, g.height as u32);
                        if c.width() != w {
                            c.set_width(w);
                        }
                        if c.height() != h {
                            c.set_height(h);
                        }
                        paint(&c, &g.pixels, w, h, Palette::Grey, 1.0, false);
                    });
                });
                view! {
                    <figure class="draw-step">
                        <canvas class="draw-step-canvas" node_ref=canvas aria-hidden="true"></canvas>
                        <figcaption>{move || format!("{}. {}", i + 1, tr(key))}</figcaption>
                    </figure>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || show.get() && steps.with(Option::is_some)>{figures}</Show>
    }
}
