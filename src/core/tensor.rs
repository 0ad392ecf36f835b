//! A dense `f32` tensor in row-major (for images: NCHW) order.
//!
//! Deliberately small: a shape and a flat `Vec<f32>`. Operations live in the backends, shape
//! rules in `layers`; this type only owns data and checks that it matches its shape.

use crate::error::{Result, ShapeError};

/// A dense `f32` tensor. Images are `[batch, channels, height, width]` (NCHW).
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    shape: Vec<usize>,
    data: Vec<f32>,
}

impl Tensor {
    /// A tensor of `shape` holding `data` (row-major). Fails if the lengths disagree.
    pub fn new(shape: &[usize], data: Vec<f32>) -> Result<Self> {
        let expected = shape.iter().product();
        if data.len() != expected {
            return Err(ShapeError::DataLength {
                shape: shape.to_vec(),
                expected,
                got: data.len(),
            });
        }
        Ok(Self {
            shape: shape.to_vec(),
            data,
        })
    }

    /// A tensor of zeros.
    pub fn zeros(shape: &[usize]) -> Self {
        Self {
            shape: shape.to_vec(),
            data: vec![0.0; shape.iter().product()],
        }
    }

    /// A tensor filled by `f(flat_index)`.
    pub fn from_fn(shape: &[usize], f: impl FnMut(usize) -> f32) -> Self {
        let len = shape.iter().product();
        Self {
            shape: shape.to_vec(),
            data: (0..len).map(f).collect(),
        }
    }

    /// The shape.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The values, row-major.
    pub fn data(&self) -> &[f32] {
        &self.data
    }

    /// The values, mutable.
    pub fn data_mut(&mut self) -> &mut [f32] {
        &mut self.data
    }

    /// Consumes the tensor, returning its values.
    pub fn into_data(self) -> Vec<f32> {
        self.data
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the tensor has no elements.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The same data under another shape with the same element count (`view`/`reshape`).
    pub fn reshape(mut self, shape: &[usize]) -> Result<Self> {
        let expected: usize = shape.iter().product();
        if expected != self.data.len() {
            return Err(ShapeError::DataLength {
                shape: shape.to_vec(),
                expected,
                got: self.data.len(),
            });
        }
        self.shape = shape.to_vec();
        Ok(self)
    }

    /// The four dimensions of an NCHW tensor, or an error naming `what`.
    pub fn dims4(&self, what: &str) -> Result<[usize; 4]> {
        match self.shape[..] {
            [n, c, h, w] => Ok([n, c, h, w]),
            _ => Err(ShapeError::Mismatch {
                what: what.to_string(),
                expected: "(N, C, H, W)".into(),
                got: self.shape.clone(),
            }),
        }
    }

    /// The two dimensions of a matrix, or an error naming `what`.
    pub fn dims2(&self, what: &str) -> Result<[usize; 2]> {
        match self.shape[..] {
            [r, c] => Ok([r, c]),
            _ => Err(ShapeError::Mismatch {
                what: what.to_string(),
                expected: "(rows, columns)".into(),
                got: self.shape.clone(),
            }),
        }
    }

    /// Largest absolute difference to `other` (shapes must match; `f32::INFINITY` if not).
    pub fn max_abs_diff(&self, other: &Tensor) -> f32 {
        if self.shape != other.shape {
            return f32::INFINITY;
        }
        self.data
            .iter()
            .zip(&other.data)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max)
    }
}

/// Checks that `t` has exactly `expected` shape; the error names `what`.
pub(crate) fn expect_shape(t: &Tensor, expected: &[usize], what: &str) -> Result<()> {
    if t.shape() == expected {
        Ok(())
    } else {
        Err(ShapeError::Mismatch {
            what: what.to_string(),
            expected: format!("{expected:?}"),
            got: t.shape().to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_checks_length() {
        assert!(Tensor::new(&[2, 3], vec![0.0; 6]).is_ok());
        let err = Tensor::new(&[2, 3], vec![0.0; 5]).unwrap_err();
        assert!(err.to_string().contains("needs 6 values, got 5"), "{err}");
    }

    #[test]
    fn reshape_keeps_data() {
        let t = Tensor::from_fn(&[2, 3], |i| i as f32)
            .reshape(&[3, 2])
            .expect("reshape");
        assert_eq!(t.shape(), &[3, 2]);
        assert_eq!(t.data()[5], 5.0);
        assert!(Tensor::zeros(&[2, 3]).reshape(&[4]).is_err());
    }
}
