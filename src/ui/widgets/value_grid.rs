//! A small grid of numbers (an input, a kernel, an output or a gradient) in the grids' shared look
//! ([`crate::ui::widgets::grid_look`]): cells coloured by value (gradients, and any signed values,
//! blue–paper–red; others grey) with a legend, framed in their role's colour (`class`: `input`,
//! `kernel`, `output`; gradients `grad`), and ringed where `mark` says: the grids of the
//! step-by-step explorers (backward, transposed convolution). Each cell's title holds its value
//! (`dx[1, 2] = 4`), for the cells too small for their numbers (style.css sizes the cells from a
//! box, "Explorers that fit one screen").

use crate::explain::receptive::{Palette, Scale};
use crate::ui::widgets::format::num;
use crate::ui::widgets::grid_look::{legend, shade};
use leptos::prelude::*;

/// The grids that hold gradients (by their `label`).
const GRADIENTS: [&str; 4] = ["dy", "dw", "dx", "grad"];

/// `values` in rows of `cols`; `label` names the grid for tests (`data-grid`).
pub fn value_grid(
    values: &[f32],
    cols: usize,
    class: &'static str,
    mark: impl Fn(usize) -> bool,
    label: &'static str,
) -> impl IntoView {
    value_grid_hiding(values, cols, class, mark, label, |_| false)
}

/// [`value_grid`] with the cells `hide` names printed as `?` (a quiz's asked-about cell), left
/// out of the colour scale and its legend.
pub fn value_grid_hiding(
    values: &[f32],
    cols: usize,
    class: &'static str,
    mark: impl Fn(usize) -> bool,
    label: &'static str,
    hide: impl Fn(usize) -> bool,
) -> impl IntoView {
    let gradient = GRADIENTS.contains(&label);
    // The legend's range leaves hidden cells out (it would give a hidden extreme away).
    let shown: Vec<f32> = (values.iter().enumerate())
        .filter(|(i, _)| !hide(*i))
        .map(|(_, v)| *v)
        .collect();
    let palette = if gradient {
        Palette::Diverging
    } else {
        Palette::for_values(&shown)
    };
    let scale = Scale::of(&shown, palette);
    let cells = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let ring = if mark(i) { " in-window" } else { "" };
            if hide(i) {
                return view! { <span class=format!("cell {class} quiz-hidden{ring}")>"?"</span> }
                    .into_any();
            }
            let (shaded, style) = shade(&scale, *v);
            // The exact value on hover where the cells are too small for their numbers.
            let title = format!("{label}[{}, {}] = {}", i / cols.max(1), i % cols.max(1), num(*v));
            view! { <span class=format!("cell {class} {shaded}{ring}") style=style title=title>{num(*v)}</span> }
                .into_any()
        })
        .collect_view();
    let role = if gradient { "grad" } else { class };
    view! {
        <div class="grid vgrid" style=format!("--cols: {cols}") data-grid=label data-role=role>{cells}</div>
        {legend(scale)}
    }
}
