//! How the widgets write numbers and shapes, in one place.

/// A value as the lesson prints it: integers without a decimal point, others to at most 2
/// decimals without trailing zeros (0.5, 0.25, 2.3).
pub fn num(v: f32) -> String {
    if v.fract() == 0.0 && v.abs() < 1e7 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" { "0".into() } else { s.to_string() }
    }
}

/// A value for generated PyTorch code (the core's, [`crate::pytorch::py_num`]).
pub use crate::pytorch::py_num;

/// Values as exact text (`f32`'s shortest round-trip form), comma-separated: what the widgets
/// put in `data-` attributes for the tests to compare with PyTorch.
pub fn exact(values: &[f32]) -> String {
    values
        .iter()
        .map(f32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A shape as PyTorch-style text: `(1, 10, 24, 24)`.
pub fn shape(s: &[usize]) -> String {
    format!(
        "({})",
        s.iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Thousands separated by commas: 120422400 → "120,422,400".
pub fn grouped(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
