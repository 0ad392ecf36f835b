//! The explorers' input and kernel presets: pure functions of a preset's id and size, so that a
//! link (which carries values) and a preset menu always agree on what a preset is.

use super::LESSON_INPUT;

/// The pooling explorer's 4 × 4 lesson input: MaxPool2d(2) gives [[4, 8], [9, 8]].
pub const POOL_LESSON: [f32; 16] = [
    3., 4., 6., 5., 2., 4., 6., 8., 1., 6., 7., 8., 9., 7., 4., 6.,
];

/// `len` digits 0–9 from an xorshift generator started at `state` (made odd), so that "random"
/// inputs are the same on every load and in every link.
pub fn random_digits(len: usize, state: u32) -> Vec<f32> {
    let mut s = state | 1;
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            (s % 10) as f32
        })
        .collect()
}

/// The convolution explorer's input preset `id` at side `n` (`seed` varies "random").
pub fn conv_input(id: &str, n: usize, seed: u32) -> Vec<f32> {
    match id {
        "ramp" => (0..n * n).map(|i| ((i / n + i % n) % 10) as f32).collect(),
        // A real MNIST digit (a 7), area-averaged to n × n and shown as ink levels 0–9.
        "mnist" => {
            crate::preprocess::downsample_levels(&crate::sample_digit::SAMPLE_DIGIT, 28, n, 9)
        }
        "random" => random_digits(
            n * n,
            seed.wrapping_mul(747_796_405).wrapping_add(2_891_336_453),
        ),
        _ if n == 5 => LESSON_INPUT.to_vec(),
        _ => (0..n * n).map(|i| LESSON_INPUT[i % 25]).collect(),
    }
}

/// A kernel preset's weights at side `k` (the core's table); the lesson's 1…k² where the preset
/// has no meaning at that size (the menu does not offer it there).
pub fn conv_kernel(id: &str, k: usize) -> Vec<f32> {
    crate::explain::kernel_preset(id, k).unwrap_or_else(|| (1..=k * k).map(|v| v as f32).collect())
}

/// The pooling explorer's input preset (one of [`super::pool::POOL_INPUTS`]): side and values.
pub fn pool_input(preset: &str) -> (usize, Vec<f32>) {
    match preset {
        "random6" => (6, random_digits(36, 0x9e37_79b9)),
        "random8" => (8, random_digits(64, 0x85eb_ca6b)),
        _ => (4, POOL_LESSON.to_vec()),
    }
}

/// Channel `c` of the pooling input: the preset in channel 0, other fixed digits in the rest.
pub fn pool_channel(preset: &str, c: usize) -> (usize, Vec<f32>) {
    let (n, values) = pool_input(preset);
    if c == 0 {
        return (n, values);
    }
    (
        n,
        random_digits(n * n, 0x2545_f491u32.wrapping_mul(c as u32 + 1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_have_their_sizes_and_digits() {
        assert_eq!(conv_input("lesson", 5, 1), LESSON_INPUT.to_vec());
        for id in ["lesson", "random", "ramp", "mnist"] {
            let v = conv_input(id, 7, 3);
            assert_eq!(v.len(), 49, "{id}");
            assert!(v.iter().all(|x| (0.0..=9.0).contains(x)), "{id}");
        }
        assert_eq!(pool_input("lesson"), (4, POOL_LESSON.to_vec()));
        assert_eq!(pool_channel("random8", 2).1.len(), 64);
        assert_ne!(pool_channel("lesson", 1).1, pool_channel("lesson", 2).1);
        assert_eq!(conv_kernel("lesson", 2), vec![1., 2., 3., 4.]);
    }
}
