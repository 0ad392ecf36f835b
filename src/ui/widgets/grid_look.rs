//! The look shared by the explorers' grids (the "Visual language" section of the README):
//! cells coloured by value ([`shade`]: grey for images, blue–paper–red for signed values and
//! gradients, the levels from the core's [`Scale`]), a legend beside each grid ([`legend`]),
//! numbers hidden where the cells get small ([`density`]; each cell keeps its value in a title),
//! the kernel window as one outline that glides between positions ([`window_box`], a CSS
//! transition that `prefers-reduced-motion` turns off) and a band from that window to the output
//! cell it makes ([`WindowLink`], measured from the cells on the page; always 8 vertices, so that
//! it glides too when the window changes shape). The legend carries its exact ends (`data-lo`,
//! `data-hi`) and palette (`data-palette`) for the browser tests.

use crate::explain::receptive::{Palette, Scale};
use crate::ui::widgets::format::{num, py_num};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The palette's colours as `www/style.css` defines them (`--p-paper` = `--surface`, `--p-ink`,
/// `--p-neg`, `--p-pos`), light theme then dark: keep the two in step. They choose the text
/// colour of each cell (black or white, whichever has the contrast; both reach 4.5 : 1).
const PALETTES: [[[u8; 3]; 4]; 2] = [
    [
        [255, 255, 255],
        [0x1d, 0x23, 0x30],
        [0x18, 0x64, 0xab],
        [0xc9, 0x2a, 0x2a],
    ],
    [
        [0x1a, 0x1f, 0x28],
        [0xe6, 0xe9, 0xef],
        [0x1c, 0x7e, 0xd6],
        [0xe0, 0x31, 0x31],
    ],
];

/// Relative luminance (WCAG) of `end` mixed `pct` % into `paper`, as CSS `color-mix(in srgb)`.
fn luminance(paper: [u8; 3], end: [u8; 3], pct: f64) -> f64 {
    let lin = |c: f64| {
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let ch = |i: usize| lin((end[i] as f64 * pct + paper[i] as f64 * (1.0 - pct)) / 255.0);
    0.2126 * ch(0) + 0.7152 * ch(1) + 0.0722 * ch(2)
}

/// A cell's colour: its classes (`shaded shade-grey|shade-pos|shade-neg`; `wl` / `wd` where
/// its text is white in the light / dark theme) and its style (`--v`: how much of the palette's
/// end colour).
pub fn shade(scale: &Scale, v: f32) -> (String, String) {
    let level = scale.level(v);
    let (hue, end) = match scale.palette {
        Palette::Grey => ("shade-grey", 1),
        Palette::Diverging if level < 0.0 => ("shade-neg", 2),
        Palette::Diverging => ("shade-pos", 3),
    };
    let pct = (level.abs() * 100.0).round();
    let white = |theme: usize| {
        let p = PALETTES[theme];
        luminance(p[0], p[end], pct as f64 / 100.0) < 0.179
    };
    let wl = if white(0) { " wl" } else { "" };
    let wd = if white(1) { " wd" } else { "" };
    (format!("shaded {hue}{wl}{wd}"), format!("--v: {pct:.0}%"))
}

/// The CSS colour of a palette level (for the legend's gradient).
fn colour(palette: Palette, level: f32) -> String {
    let end = match palette {
        Palette::Grey => "var(--p-ink)",
        Palette::Diverging if level < 0.0 => "var(--p-neg)",
        Palette::Diverging => "var(--p-pos)",
    };
    format!(
        "color-mix(in srgb, {end} {:.0}%, var(--p-paper))",
        level.abs() * 100.0
    )
}

/// The legend of a grid: its smallest value, the colour bar, its largest value.
pub fn legend(scale: Scale) -> impl IntoView {
    let stops: Vec<String> = scale
        .stops()
        .iter()
        .map(|&(at, level)| format!("{} {:.0}%", colour(scale.palette, level), at * 100.0))
        .collect();
    let bar = format!(
        "background: linear-gradient(to right, {})",
        stops.join(", ")
    );
    view! {
        <div class="legend" aria-hidden="true" data-lo=py_num(scale.lo) data-hi=py_num(scale.hi)
            data-palette=if scale.palette == Palette::Grey { "grey" } else { "diverging" }>
            <span class="legend-lo">{num(scale.lo)}</span>
            <span class="legend-bar" style=bar></span>
            <span class="legend-hi">{num(scale.hi)}</span>
        </div>
    }
}

/// Hover and focus over a grid's cells, handled once on the grid (events bubble up from the
/// cells): the cell under the mouse or focused (a tap focuses) is read from its `row`/`col`
/// attributes into `at`. Touch lights cells by focus only, since a finger "leaves" a cell as
/// soon as it lifts.
#[derive(Clone, Copy)]
pub struct Hover {
    /// The cell hovered or focused.
    pub at: RwSignal<Option<(usize, usize)>>,
    row: &'static str,
    col: &'static str,
}

impl Hover {
    /// Cells marked by the attributes `row` and `col` (e.g. `data-row`, `data-col`).
    pub fn new(row: &'static str, col: &'static str) -> Self {
        Hover {
            at: RwSignal::new(None),
            row,
            col,
        }
    }

    fn set(self, v: Option<(usize, usize)>) {
        if self.at.get_untracked() != v {
            self.at.set(v);
        }
    }

    /// The cell an event's target is (or is in).
    fn cell(self, ev: &web_sys::Event) -> Option<(usize, usize)> {
        let el: web_sys::Element = ev.target()?.dyn_into().ok()?;
        let el = el.closest(&format!("[{}]", self.row)).ok()??;
        Some((
            el.get_attribute(self.row)?.parse().ok()?,
            el.get_attribute(self.col)?.parse().ok()?,
        ))
    }

    /// `pointerover` on the grid (the gaps between cells keep the last cell).
    pub fn over(self) -> impl Fn(web_sys::PointerEvent) + Copy + 'static {
        move |ev| {
            if ev.pointer_type() != "touch"
                && let Some(c) = self.cell(&ev)
            {
                self.set(Some(c));
            }
        }
    }

    /// `pointerleave` on the grid.
    pub fn leave(self) -> impl Fn(web_sys::PointerEvent) + Copy + 'static {
        move |ev| {
            if ev.pointer_type() != "touch" {
                self.set(None);
            }
        }
    }

    /// `focusin` on the grid.
    pub fn focus(self) -> impl Fn(web_sys::FocusEvent) + Copy + 'static {
        move |ev| self.set(self.cell(&ev))
    }

    /// `focusout` on the grid.
    pub fn blur(self) -> impl Fn(web_sys::FocusEvent) + Copy + 'static {
        move |_| self.set(None)
    }
}

/// The class that hides a grid's numbers on screens too narrow for them (cells under ~20 px):
/// up to 9 columns always show them; 10–13 from 36 rem wide; 14 and more from 64 rem.
pub fn density(cols: usize) -> &'static str {
    match cols {
        0..=9 => "",
        10..=13 => " dense-m",
        _ => " dense-l",
    }
}

/// The kernel window's outline over a grid of `rows × cols` cells: `span` is its
/// `(top, left, height, width)` in cells; it moves with a transition.
pub fn window_box(
    span: Signal<Option<(usize, usize, usize, usize)>>,
    rows: usize,
    cols: usize,
) -> impl IntoView {
    let style = move || match span.get() {
        Some((t, l, h, w)) => {
            format!("--rows: {rows}; --cols: {cols}; --top: {t}; --left: {l}; --h: {h}; --w: {w}")
        }
        None => "display: none".to_string(),
    };
    view! { <div class="win-box" aria-hidden="true" style=style></div> }
}

/// Vertices in every band's path: the hull of two rectangles has at most 8, and a path with
/// always the same commands can be interpolated, so a band whose shape changes (a new kernel
/// size or dilation) glides to it instead of jumping.
const BAND_POINTS: usize = 8;

/// The smallest convex polygon around `points` (monotone chain), as an SVG path of exactly
/// [`BAND_POINTS`] vertices (the last one repeated where the hull has fewer).
fn hull_path(mut points: Vec<(f64, f64)>) -> String {
    points.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut hull: Vec<(f64, f64)> = Vec::new();
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &(f64, f64)>> = if pass == 0 {
            Box::new(points.iter())
        } else {
            Box::new(points.iter().rev())
        };
        for &p in iter {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0
            {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull.truncate(BAND_POINTS);
    while let Some(&last) = hull.last()
        && hull.len() < BAND_POINTS
    {
        hull.push(last);
    }
    let mut d = String::new();
    for (i, (x, y)) in hull.iter().enumerate() {
        d.push_str(&format!("{}{x:.1} {y:.1} ", if i == 0 { "M" } else { "L" }));
    }
    d + "Z"
}

/// The four corners of `el` relative to `origin`.
fn corners(el: &web_sys::Element, origin: &web_sys::DomRect) -> Vec<(f64, f64)> {
    let r = el.get_bounding_client_rect();
    let (l, t) = (r.left() - origin.left(), r.top() - origin.top());
    let (rr, b) = (l + r.width(), t + r.height());
    vec![(l, t), (rr, t), (l, b), (rr, b)]
}

/// A band from the window to the output cell it makes, drawn over `container` (positioned):
/// `window` is the padded span `(top, left, height, width)` of cells marked `data-py`/`data-px`
/// inside `.win-src`, `output` the `(row, col)` of a cell marked `data-row`/`data-col` inside
/// `.win-dst`. Measured after each change and on resize.
#[component]
pub fn WindowLink(
    container: NodeRef<Div>,
    window: Signal<Option<(usize, usize, usize, usize)>>,
    output: Signal<Option<(usize, usize)>>,
) -> impl IntoView {
    let path = RwSignal::new(String::new());
    let resized = RwSignal::new(0u32);
    let handle = window_event_listener(leptos::ev::resize, move |_| resized.update(|r| *r += 1));
    on_cleanup(move || handle.remove());
    Effect::new(move |_| {
        resized.track();
        let (w, o) = (window.get(), output.get());
        request_animation_frame(move || {
            let found = (|| {
                let root: web_sys::Element = container.get_untracked()?.unchecked_into();
                let (t, l, h, wd) = w?;
                let (oy, ox) = o?;
                let origin = root.get_bounding_client_rect();
                let q = |sel: String| root.query_selector(&sel).ok().flatten();
                let a = q(format!(".win-src [data-py=\"{t}\"][data-px=\"{l}\"]"))?;
                let b = q(format!(
                    ".win-src [data-py=\"{}\"][data-px=\"{}\"]",
                    t + h - 1,
                    l + wd - 1
                ))?;
                let c = q(format!(".win-dst [data-row=\"{oy}\"][data-col=\"{ox}\"]"))?;
                let (ca, cb) = (corners(&a, &origin), corners(&b, &origin));
                let mut pts = vec![ca[0], cb[3], (cb[3].0, ca[0].1), (ca[0].0, cb[3].1)];
                pts.extend(corners(&c, &origin));
                Some(hull_path(pts))
            })();
            let _ = path.try_set(found.unwrap_or_default());
        });
    });
    view! {
        <svg class="win-link" aria-hidden="true">
            <path style=move || path.with(|d| if d.is_empty() { "d: none".to_string() } else { format!("d: path('{d}')") })></path>
        </svg>
    }
}
