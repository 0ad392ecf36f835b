//! Helpers shared by the native test files: seeded random tensors, a tolerance check that
//! prints the first mismatches, and the PyTorch golden fixture.
#![allow(dead_code)]

use convscope::tensor::Tensor;

/// A small deterministic generator (xorshift) for test data in [-1, 1).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_f32(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        ((self.0 >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }

    pub fn tensor(&mut self, shape: &[usize]) -> Tensor {
        Tensor::from_fn(shape, |_| self.next_f32())
    }
}

/// Asserts `|got − want| ≤ tol + |want|·rel` everywhere, listing the first mismatches.
pub fn assert_close(what: &str, got: &Tensor, want: &Tensor, tol: f32, rel: f32) {
    assert_eq!(got.shape(), want.shape(), "{what}: shape");
    let bad: Vec<String> = got
        .data()
        .iter()
        .zip(want.data())
        .enumerate()
        // NaN fails too: `is_close` is false for it.
        .filter(|(_, (g, w))| !is_close(**g, **w, tol, rel))
        .take(5)
        .map(|(i, (g, w))| format!("[{i}] got {g}, want {w}"))
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: max abs err {} > {tol}; first: {}",
        got.max_abs_diff(want),
        bad.join("; ")
    );
}

fn is_close(got: f32, want: f32, tol: f32, rel: f32) -> bool {
    (got - want).abs() <= tol + want.abs() * rel
}

/// Every tensor of a safetensors fixture in `tests/fixtures/`, as f32 tensors by name.
pub fn fixture_tensors(name: &str) -> std::collections::HashMap<String, Tensor> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let st = safetensors::SafeTensors::deserialize(&bytes).expect("safetensors");
    st.tensors()
        .into_iter()
        .map(|(name, view)| {
            let data = view
                .data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            (
                name.clone(),
                Tensor::new(view.shape(), data).expect("shape"),
            )
        })
        .collect()
}

/// One split of the shipped MNIST ("train" or "t10k").
pub fn mnist(split: &str) -> convscope::train::data::Mnist {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/mnist");
    let read = |name: String| std::fs::read(format!("{dir}/{name}")).expect("MNIST file");
    convscope::train::data::Mnist::parse(
        &read(format!("{split}-images-idx3-ubyte.gz")),
        &read(format!("{split}-labels-idx1-ubyte.gz")),
    )
    .expect("MNIST")
}
