//! Channels as volumes: a convolution's input drawn as a stack of `n` channel slices, the chosen
//! kernel as an `n/groups × k × k` block, and the output as `m` slices, of which the chosen
//! kernel makes one (the many-channel explorer and the 1×1 view draw it above their numbers).
//!
//! How it is drawn: one small SVG per volume, in an oblique projection: a slice's rows run down,
//! its columns recede up and to the right (each cell a parallelogram), and the channels stand
//! side by side along the depth, joined by the block's edges. The colour roles are the
//! explorers': input (or red, green and blue for a picture), the window in the kernel's colour
//! on each slice the kernel reads, the kernel block, and the output slice it makes with the
//! chosen value. Given the values ([`VolumeValues`]), every cell is coloured by its value instead,
//! in the grids' palette (grey for images, blue–paper–red for signed values), the roles kept as
//! the window's outline, the chosen value's ring and the other slices faded (a value that is not
//! a number, such as a quiz's unanswered one, keeps its role's colour). Every shape printed
//! (`weight.shape` included) is the caller's, from the core. In a classroom quiz an unanswered
//! size question hides the output's height and width, and a parameter question `weight.shape`
//! ([`use_hidden`]).

use crate::explain::receptive::Scale;
use crate::explain::window::InputWindow;
use crate::ui::state::lang::use_tr;
use crate::ui::state::quiz_hide::{shape_hiding, use_hidden};
use crate::ui::widgets::channel_slices::row_scale;
use crate::ui::widgets::format::shape;
use crate::ui::widgets::grid_look::shade;
use leptos::prelude::*;

/// What to draw (all shapes from the core).
#[derive(Clone, Debug, PartialEq)]
pub struct VolumeSpec {
    /// Input `(channels, height, width)`.
    pub input: (usize, usize, usize),
    /// Whether the three input channels are a picture's red, green and blue.
    pub rgb: bool,
    /// The input channels the chosen kernel reads (its group's).
    pub used: std::ops::Range<usize>,
    /// The chosen output value's input window.
    pub window: Option<InputWindow>,
    /// `weight.shape`: `(m, n / groups, kh, kw)`.
    pub weight: [usize; 4],
    /// The chosen output channel (kernel); `None`: every kernel at once (the 1×1 view).
    pub chosen: Option<usize>,
    /// Output `(channels, height, width)`.
    pub output: (usize, usize, usize),
    /// The chosen output value's `(row, column)` (on every output slice the kernel makes).
    pub at: (usize, usize),
    /// The values, to colour the cells by (`None`: the role colours only).
    pub values: Option<VolumeValues>,
}

/// The numbers behind a drawing (row-major, slice by slice; a non-finite value, one not shown
/// yet, keeps its role colour).
#[derive(Clone, Debug, PartialEq)]
pub struct VolumeValues {
    /// The input, `n × h × w`.
    pub input: Vec<f32>,
    /// The kernel block drawn, `depth × kh × kw`.
    pub kernel: Vec<f32>,
    /// The output, `m × oh × ow`.
    pub output: Vec<f32>,
}

/// A cell's class and style: `role` alone, or coloured by `values[i]` on `scale` (the grids'
/// palette, [`shade`]).
fn paint(role: &str, values: Option<&(Vec<f32>, Scale)>, i: usize) -> (String, String) {
    match values.and_then(|(v, s)| Some((*v.get(i)?, s))) {
        Some((v, scale)) if v.is_finite() => {
            let (class, style) = shade(scale, v);
            (format!("{role} {class}"), style)
        }
        _ => (role.to_string(), String::new()),
    }
}

/// Pixels per cell row (a column is half as wide: it recedes); smaller when the three volumes
/// hold more than 12 slices in all, so that they still share one line at 1280 px.
fn unit(rows: usize, cols: usize, slices: usize) -> f64 {
    (72.0 / rows.max(cols).max(1) as f64).min(16.0) * (12.0 / slices.max(1) as f64).min(1.0)
}

/// One stack of `slices` slices of `rows × cols` cells; `class(s, r, c)` colours a cell (its
/// class and style) and
/// `window(s)` outlines a window `(top, left, bottom, right)` (in cells) on slice `s`.
fn stack(
    slices: usize,
    (rows, cols): (usize, usize),
    u: f64,
    class: impl Fn(usize, usize, usize) -> (String, String),
    window: impl Fn(usize) -> Option<(usize, usize, usize, usize)>,
) -> impl IntoView {
    let a = u * 0.5;
    let pitch = cols as f64 * a + u * 0.7;
    let point = |s: usize, r: usize, c: usize| {
        let x = 1.0 + s as f64 * pitch + c as f64 * a;
        let y = 1.0 + cols as f64 * a + r as f64 * u - c as f64 * a;
        format!("{x:.1},{y:.1}")
    };
    let quad = move |s: usize, (r0, c0, r1, c1): (usize, usize, usize, usize)| {
        format!(
            "{} {} {} {}",
            point(s, r0, c0),
            point(s, r0, c1),
            point(s, r1, c1),
            point(s, r1, c0)
        )
    };
    let width = 2.0 + (slices.max(1) - 1) as f64 * pitch + cols as f64 * a;
    let height = 2.0 + cols as f64 * a + rows as f64 * u;
    // The block's edges: the corners of the first slice joined to those of the last.
    let last = slices.max(1) - 1;
    let edges = [(0, 0), (0, cols), (rows, cols), (rows, 0)]
        .into_iter()
        .map(|(r, c)| {
            view! { <polyline class="volume-edge" points=format!("{} {}", point(0, r, c), point(last, r, c))/> }
        })
        .collect_view();
    let slices_view = (0..slices)
        .map(|s| {
            let cells = (0..rows * cols)
                .map(|i| {
                    let (r, c) = (i / cols, i % cols);
                    let (class, style) = class(s, r, c);
                    view! { <polygon class=class style=style points=quad(s, (r, c, r + 1, c + 1))/> }
                })
                .collect_view();
            let outline =
                window(s).map(|w| view! { <polygon class="volume-window" points=quad(s, w)/> });
            view! {
                <g class="volume-slice" data-slice=s>
                    {cells}
                    <polygon class="volume-frame" points=quad(s, (0, 0, rows, cols))/>
                    {outline}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="volume-svg" aria-hidden="true" width=format!("{width:.0}") height=format!("{height:.0}")
            viewBox=format!("0 0 {width:.1} {height:.1}")>
            {edges}
            {slices_view}
        </svg>
    }
}

/// The three volumes, side by side: input ⊛ kernel block = output.
#[component]
pub fn VolumeView(spec: Signal<Option<VolumeSpec>>) -> impl IntoView {
    let tr = use_tr();
    let quiz = use_hidden();
    move || {
        let q = quiz.get();
        spec.get().map(|v| {
            let (n, h, w) = v.input;
            let [m, depth, kh, kw] = v.weight;
            let (_, oh, ow) = v.output;
            let u = unit(h, w, n + depth + m);
            // The window, clipped to the input (the padding holds no cells).
            let win = v.window.map(|win| {
                let clip = |x: isize, max: usize| x.clamp(0, max as isize) as usize;
                (
                    clip(win.top, h),
                    clip(win.left, w),
                    clip(win.top + win.height as isize, h),
                    clip(win.left + win.width as isize, w),
                )
            });
            let used = v.used.clone();
            let in_window = move |r: usize, c: usize| {
                win.is_some_and(|(t, l, b, rt)| r >= t && r < b && c >= l && c < rt)
            };
            let rgb = v.rgb;
            let used_for_class = used.clone();
            // Each volume on its own scale (the grids' below use the same ones).
            let scaled = |values: &[f32], signed: bool| (values.to_vec(), row_scale(values, signed));
            let (vin, vk, vout) = match &v.values {
                Some(vals) => (
                    Some(scaled(&vals.input, false)),
                    Some(scaled(&vals.kernel, true)),
                    Some(scaled(&vals.output, false)),
                ),
                None => (None, None, None),
            };
            let input = stack(
                n,
                (h, w),
                u,
                move |s, r, c| {
                    let role = match (used_for_class.contains(&s) && in_window(r, c), rgb, s) {
                        (true, _, _) => "volume-cell in-window",
                        (false, true, 0) => "volume-cell red",
                        (false, true, 1) => "volume-cell green",
                        (false, true, _) => "volume-cell blue",
                        _ => "volume-cell input",
                    };
                    paint(role, vin.as_ref(), (s * h + r) * w + c)
                },
                move |s| used.contains(&s).then_some(win).flatten(),
            );
            let kernel = stack(
                depth,
                (kh, kw),
                u,
                move |s, r, c| paint("volume-cell kernel", vk.as_ref(), (s * kh + r) * kw + c),
                |_| None,
            );
            let (chosen, at) = (v.chosen, v.at);
            let output = stack(
                m,
                (oh, ow),
                u,
                move |s, r, c| {
                    let role = if chosen.is_some_and(|oc| oc != s) {
                        "volume-cell output other"
                    } else if (r, c) == at {
                        "volume-cell output current"
                    } else {
                        "volume-cell output"
                    };
                    paint(role, vout.as_ref(), (s * oh + r) * ow + c)
                },
                |_| None,
            );
            let fill = |key: &'static str, pairs: &[(&str, usize)]| {
                pairs
                    .iter()
                    .fold(tr(key).to_string(), |s, (k, v)| s.replace(k, &v.to_string()))
            };
            view! {
                <div class="volume" role="group" aria-label=move || tr("volume.label")>
                    <figure class="volume-input">
                        {input}
                        <figcaption>{fill("volume.input", &[("{n}", n)])}<br/><code>{shape(&[1, n, h, w])}</code></figcaption>
                    </figure>
                    <span class="volume-op" aria-hidden="true">"⊛"</span>
                    <figure class="volume-kernel">
                        {kernel}
                        <figcaption>
                            {match chosen {
                                Some(oc) => fill("volume.kernel", &[("{oc}", oc), ("{d}", depth), ("{kh}", kh), ("{kw}", kw)]),
                                None => fill("volume.kernel_each", &[("{m}", m), ("{d}", depth), ("{kh}", kh), ("{kw}", kw)]),
                            }}<br/>
                            <code class="volume-weight-shape">{format!("weight.shape = {}", if q.params { "?".to_string() } else { shape(&v.weight) })}</code>
                        </figcaption>
                    </figure>
                    <span class="volume-op" aria-hidden="true">"="</span>
                    <figure class="volume-output">
                        {output}
                        <figcaption>{match chosen {
                            Some(oc) => fill("volume.output", &[("{m}", m), ("{oc}", oc)]),
                            None => fill("volume.output_each", &[("{m}", m)]),
                        }}<br/><code>{shape_hiding(&[1, m, oh, ow], q.size)}</code></figcaption>
                    </figure>
                </div>
            }
        })
    }
}
