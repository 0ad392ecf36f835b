//! A small grid of numbers (an input, a kernel, an output or a gradient), its cells coloured by
//! role (`class`: `input`, `kernel`, `output`) and ringed where `mark` says: the grids of the
//! step-by-step explorers (backward, transposed convolution).

use crate::ui::widgets::format::num;
use leptos::prelude::*;

/// `values` in rows of `cols`; `label` names the grid for tests (`data-grid`).
pub fn value_grid(
    values: &[f32],
    cols: usize,
    class: &'static str,
    mark: impl Fn(usize) -> bool,
    label: &'static str,
) -> impl IntoView {
    let cells = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let ring = if mark(i) { " in-window" } else { "" };
            view! { <span class=format!("cell {class}{ring}")>{num(*v)}</span> }
        })
        .collect_view();
    view! { <div class="grid" style=format!("--cols: {cols}") data-grid=label>{cells}</div> }
}
