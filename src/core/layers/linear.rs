//! Fully-connected layer parameters (`nn.Linear`).

use crate::error::{Result, ShapeError};

/// `nn.Linear(in_features, out_features)`.
///
/// # Shapes
/// input `[batch, in_features]`, weight `[out_features, in_features]`, bias `[out_features]`,
/// output `[batch, out_features]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LinearParams {
    /// Input features.
    pub in_features: usize,
    /// Output features.
    pub out_features: usize,
    /// Whether there is a bias.
    pub bias: bool,
}

impl LinearParams {
    /// `Linear(in_features, out_features)` with bias.
    pub fn new(in_features: usize, out_features: usize) -> Self {
        Self {
            in_features,
            out_features,
            bias: true,
        }
    }

    /// Output shape for an input shape; the input must be `[batch, in_features]`. This is where
    /// a network fed the wrong image size breaks, so the message says how many features arrived.
    pub fn output_shape(&self, input: &[usize]) -> Result<[usize; 2]> {
        match *input {
            [n, f] if f == self.in_features => Ok([n, self.out_features]),
            _ => Err(ShapeError::Mismatch {
                what: format!("Linear({}, {}) input", self.in_features, self.out_features),
                expected: format!("(N, {})", self.in_features),
                got: input.to_vec(),
            }),
        }
    }

    /// Weights plus bias.
    pub fn param_count(&self) -> usize {
        self.in_features * self.out_features + if self.bias { self.out_features } else { 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_fc() {
        let fc = LinearParams::new(320, 10);
        assert_eq!(fc.param_count(), 3210);
        assert_eq!(fc.output_shape(&[64, 320]), Ok([64, 10]));
        let err = fc.output_shape(&[64, 500]).unwrap_err().to_string();
        assert!(err.contains("(N, 320)") && err.contains("500"), "{err}");
    }
}
