//! Each widget's whole state as one serde struct, so that a page URL's query string
//! (`?conv={…}`, `?pool={…}`) reproduces what the learner sees.
//!
//! A link can come from anywhere (a teacher's course page, a typo), so reading one never fails
//! hard: fields left out take the widget's defaults (`#[serde(default)]`), values out of range
//! are clamped, and every adjustment is returned as a short note the widget shows. Text that is
//! not a state at all gives the defaults and one note saying so. Nothing here panics, whatever
//! the input (a property test feeds it random strings).

mod channels;
mod compare;
mod conv;
mod cost;
mod lab;
mod pointwise;
pub mod pool;
pub mod presets;
mod small;

pub use channels::{CHANNELS_SIDE, ChannelsState, RGB_PICTURE, channels_input, channels_weights};
pub use conv::{ConvState, LESSON_INPUT};
pub use cost::CostState;
pub use lab::{
    BUILDER_MAX_FIELD, BUILDER_MAX_LAYERS, BuilderState, DepthState, GALLERY_PER_PAGE,
    GalleryState, ShapesState, TEST_DIGITS,
};
pub use pointwise::{
    POINTWISE_CIN, POINTWISE_PICTURE, POINTWISE_SIDE, POINTWISE_WEIGHTS, PointwiseState,
};
pub use pool::PoolState;
pub use small::{
    BackwardState, FlattenState, InceptionState, RasterState, TransposeState, WhyState,
};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A widget state that lives in the URL under [`WidgetState::KEY`].
pub trait WidgetState: Serialize + DeserializeOwned + Default + Clone + PartialEq {
    /// The query-string key.
    const KEY: &'static str;
    /// Brings every field into the range the widget offers, noting each change.
    fn clamp(&mut self, notes: &mut Vec<String>);
}

/// Reads a state from a link's text: the state (clamped) and the notes on what was adjusted.
pub fn parse<T: WidgetState>(text: &str) -> (T, Vec<String>) {
    match serde_json::from_str::<T>(text) {
        Ok(mut state) => {
            let mut notes = Vec::new();
            state.clamp(&mut notes);
            (state, notes)
        }
        Err(e) => (
            T::default(),
            vec![format!(
                "{}: {} → {}",
                T::KEY,
                short(&e.to_string()),
                "defaults"
            )],
        ),
    }
}

/// The state as compact JSON for the URL.
pub fn to_json<T: WidgetState>(state: &T) -> String {
    serde_json::to_string(state).unwrap_or_default()
}

fn short(message: &str) -> String {
    message.chars().take(80).collect()
}

/// Clamps `value` into `lo..=hi`, noting a change.
pub fn clamp_usize(name: &str, value: &mut usize, lo: usize, hi: usize, notes: &mut Vec<String>) {
    let v = (*value).clamp(lo, hi);
    if v != *value {
        notes.push(format!("{name} {value} → {v}"));
        *value = v;
    }
}

/// Replaces a value not among `allowed` by the first allowed one, noting it.
pub fn one_of(name: &str, value: &mut usize, allowed: &[usize], notes: &mut Vec<String>) {
    if !allowed.contains(value) {
        let v = allowed[0];
        notes.push(format!("{name} {value} → {v}"));
        *value = v;
    }
}

/// Makes `values` exactly `len` long (padding with zeros) and replaces non-numbers and values
/// beyond ±`limit` (ranges a grid can show), noting each kind of change once.
pub fn fit_values(
    name: &str,
    values: &mut Vec<f32>,
    len: usize,
    limit: f32,
    notes: &mut Vec<String>,
) {
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
    if values.iter().any(|v| v.abs() > limit) {
        notes.push(format!("{name}: values beyond ±{limit} clamped"));
        values.iter_mut().for_each(|v| *v = v.clamp(-limit, limit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_gives_defaults_and_a_note() {
        let (s, notes): (PoolState, _) = parse("{not json");
        assert_eq!(s, PoolState::default());
        assert_eq!(notes.len(), 1);
        assert!(notes[0].starts_with("pool: "), "{notes:?}");
    }

    #[test]
    fn missing_fields_take_defaults() {
        let (s, notes): (PoolState, _) = parse(r#"{"kernel":3}"#);
        assert_eq!(s.kernel, 3);
        assert!(s.max);
        assert!(notes.is_empty());
    }

    #[test]
    fn every_state_round_trips() {
        fn check<T: WidgetState + std::fmt::Debug>() {
            let s = T::default();
            let (back, notes) = parse::<T>(&to_json(&s));
            assert_eq!(back, s, "{}", T::KEY);
            assert!(notes.is_empty(), "{}: {notes:?}", T::KEY);
        }
        check::<ConvState>();
        check::<PoolState>();
        check::<ChannelsState>();
        check::<CostState>();
        check::<PointwiseState>();
        check::<BackwardState>();
        check::<FlattenState>();
        check::<RasterState>();
        check::<InceptionState>();
        check::<TransposeState>();
        check::<WhyState>();
    }
}
