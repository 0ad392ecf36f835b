//! Channel slices in the grids' shared look ([`crate::ui::widgets::grid_look`]), for the views
//! that show one grid per channel (the many-channel explorer, the 1×1 view): each cell coloured
//! by value on a scale shared by every slice of a row (so that channels compare; one legend per
//! row, [`row_scale`]), its number on top where cells are big enough ([`density`], [`row_fit`]), its exact
//! value in `data-value` (for the browser tests) and in its title.
//!
//! [`input_slice`] draws an input channel with its padding (dashed zeros), the shown window's
//! taps ringed, the hovered output's window lit and the window's outline gliding between
//! positions ([`window_box`]); the cells carry padded coordinates (`data-py`, `data-px`), as in
//! the convolution explorer, so that [`crate::ui::widgets::grid_look::WindowLink`] can draw its
//! band. [`plain_slice`] draws a kernel slice or a small output; which cells, windows and
//! colours come from the caller (the core's numbers and [`crate::explain::receptive`]).

use crate::explain::receptive::{Palette, Scale};
use crate::ui::widgets::format::{num, py_num};
use crate::ui::widgets::grid_look::{density, shade, window_box};
use leptos::prelude::*;

/// A window's padded span `(top, left, height, width)`.
pub type Span = (usize, usize, usize, usize);

/// The scale of a row of slices: grey when every value is ≥ 0 (an image), diverging otherwise;
/// `signed` forces diverging (weights, gradients).
pub fn row_scale(values: &[f32], signed: bool) -> Scale {
    let palette = if signed {
        Palette::Diverging
    } else {
        Palette::for_values(values)
    };
    Scale::of(values, palette)
}

/// The style of a row of `slices` slices holding `cols` columns of cells in all: on wide screens
/// the cells shrink so that the row fits one line (`www/style.css`, `.channel-grids`), and their
/// numbers give way to the colour alone where cells get too small for them.
pub fn row_fit(cols: usize, slices: usize) -> String {
    format!("--row-cols: {}; --slices: {}", cols.max(1), slices.max(1))
}

/// The class and style of a half-width row (the outputs) of `slices` slices `per_slice` columns
/// wide: over 12 columns in all, it takes two lines of slices on wide screens
/// (`.channel-grids.two-lines`, each slice captioned by its number alone), so that 8 outputs keep
/// cells big enough to see.
pub fn half_row(per_slice: usize, slices: usize) -> (&'static str, String) {
    if slices > 1 && per_slice * slices > 12 {
        let line = slices.div_ceil(2);
        ("channel-grids two-lines", row_fit(per_slice * line, line))
    } else {
        ("channel-grids", row_fit(per_slice * slices, slices))
    }
}

/// What an input slice shows: the taps ringed (padded cells), the cells lit by the hovered
/// output, the window's outline.
#[derive(Clone, Copy)]
pub struct Marks {
    /// The shown window's taps (empty on a channel the kernel does not read).
    pub taps: Signal<Vec<(usize, usize)>>,
    /// The hovered output's taps.
    pub lit: Signal<Vec<(usize, usize)>>,
    /// The outline's span.
    pub span: Signal<Option<Span>>,
}

/// One `n × n` input channel padded by `p`; `class` adds the channel's classes to every inside
/// cell (e.g. `input ch0`).
pub fn input_slice(
    values: &[f32],
    n: usize,
    p: usize,
    scale: &Scale,
    class: String,
    marks: Marks,
) -> impl IntoView {
    let side = n + 2 * p;
    let cells = (0..side * side)
        .map(|i| {
            let (py, px) = (i / side, i % side);
            let inside = py >= p && py < p + n && px >= p && px < p + n;
            let ring = move || {
                let ring = if marks.taps.with(|t| t.contains(&(py, px))) {
                    " in-window"
                } else {
                    ""
                };
                let lit = if marks.lit.with(|t| t.contains(&(py, px))) {
                    " lit"
                } else {
                    ""
                };
                format!("{ring}{lit}")
            };
            if !inside {
                return view! { <span class=move || format!("cell pad{}", ring()) aria-hidden="true" data-py=py data-px=px>"0"</span> }
                    .into_any();
            }
            let (row, col) = (py - p, px - p);
            let v = values[row * n + col];
            let (shaded, style) = shade(scale, v);
            let base = format!("cell {class} {shaded}");
            let title = format!("x[{row}, {col}] = {}", num(v));
            view! {
                <span class=move || format!("{base}{}", ring()) style=style title=title
                    data-py=py data-px=px data-value=py_num(v)>{num(v)}</span>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <div class=format!("grid small vgrid{}", density(side)) style=format!("--cols: {side}") data-grid="input">
            {cells}
            {window_box(marks.span, side, side)}
        </div>
    }
}

/// A grid of `values` in rows of `cols` (a kernel slice, say), coloured on `scale`; `role` is its
/// `data-grid` (`kernel`, `output`), `name(i)` each cell's title.
pub fn plain_slice(
    values: &[f32],
    cols: usize,
    scale: &Scale,
    role: &'static str,
    name: impl Fn(usize) -> String,
) -> impl IntoView {
    let cells = values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let (shaded, style) = shade(scale, v);
            view! {
                <span class=format!("cell {role} {shaded}") style=style title=format!("{} = {}", name(i), num(v))
                    data-value=py_num(v)>{num(v)}</span>
            }
        })
        .collect_view();
    view! { <div class=format!("grid small vgrid{}", density(cols)) style=format!("--cols: {cols}") data-grid=role>{cells}</div> }
}
