//! The convolution explorer's whole state as one serde struct, carried in the page URL's query
//! string (`?conv={…}`), so that a link reproduces what is on screen. Values from a link are
//! clamped to what the explorer offers, and each adjustment is reported.

use serde::{Deserialize, Serialize};

/// Everything the explorer shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConvState {
    /// Input side (3–16).
    pub n: usize,
    /// `n × n` input values, row-major.
    pub input: Vec<f32>,
    /// Kernel side (1–7).
    pub k: usize,
    /// `k × k` weights, row-major.
    pub kernel: Vec<f32>,
    /// Padding (0–3).
    pub padding: usize,
    /// Stride (1–4).
    pub stride: usize,
    /// Dilation (1–3).
    pub dilation: usize,
    /// The kernel position shown.
    pub step: usize,
}

/// The query-string key.
pub const KEY: &str = "conv";

fn clamp_field(name: &str, value: usize, lo: usize, hi: usize, notes: &mut Vec<String>) -> usize {
    let v = value.clamp(lo, hi);
    if v != value {
        notes.push(format!("{name} {value} → {v}"));
    }
    v
}

fn fit(name: &str, values: &mut Vec<f32>, len: usize, notes: &mut Vec<String>) {
    if values.len() != len {
        notes.push(format!("{name}: {} values → {len}", values.len()));
        values.resize(len, 0.0);
    }
    if values.iter().any(|v| !v.is_finite()) {
        notes.push(format!("{name}: non-numbers → 0"));
        values
            .iter_mut()
            .filter(|v| !v.is_finite())
            .for_each(|v| *v = 0.0);
    }
}

impl ConvState {
    /// Parses a state from the URL's JSON, clamped; `None` if it is not one.
    pub fn from_json(json: &str) -> Option<(Self, Vec<String>)> {
        let mut s: ConvState = serde_json::from_str(json).ok()?;
        let mut notes = Vec::new();
        s.n = clamp_field("n", s.n, 3, 16, &mut notes);
        s.k = clamp_field("k", s.k, 1, 7, &mut notes);
        s.padding = clamp_field("padding", s.padding, 0, 3, &mut notes);
        s.stride = clamp_field("stride", s.stride, 1, 4, &mut notes);
        s.dilation = clamp_field("dilation", s.dilation, 1, 3, &mut notes);
        fit("input", &mut s.input, s.n * s.n, &mut notes);
        fit("kernel", &mut s.kernel, s.k * s.k, &mut notes);
        Some((s, notes))
    }

    /// The state as compact JSON for the URL.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Replaces the page URL's `conv` parameter (keeping the others and the `#/route`), without a
/// navigation or a history entry.
pub fn write_to_url(state: &ConvState) {
    edit_url(|params| params.set(KEY, &state.to_json()));
}

/// Removes the `conv` parameter (when the explorer leaves the page), so that another page's
/// explorer starts from its own defaults.
pub fn clear_url() {
    edit_url(|params| params.delete(KEY));
}

fn edit_url(edit: impl FnOnce(&web_sys::UrlSearchParams)) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(href) = window.location().href() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&href) else {
        return;
    };
    edit(&url.search_params());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
}
