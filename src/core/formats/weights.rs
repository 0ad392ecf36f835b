//! Weights as safetensors, with PyTorch's parameter names.
//!
//! A `state_dict` saved by `safetensors.torch.save_file(model.state_dict(), path)` loads
//! unchanged, and what convscope saves loads into the PyTorch model with
//! `model.load_state_dict(safetensors.torch.load_file(path))`. Loading checks every expected
//! name, shape and dtype and names the offending tensor on failure.

use crate::tensor::Tensor;
use safetensors::{Dtype, SafeTensors, tensor::TensorView};
use std::collections::HashMap;
use thiserror::Error;

/// Why weights could not be loaded or saved.
#[derive(Debug, Error, PartialEq)]
pub enum WeightsError {
    /// Not a safetensors file.
    #[error("not a valid safetensors file: {0}")]
    Format(String),
    /// An expected tensor is absent.
    #[error("tensor '{name}' is missing (the file has: {present})")]
    Missing {
        /// Its name.
        name: String,
        /// The names present.
        present: String,
    },
    /// A tensor the model does not have.
    #[error("unexpected tensor '{0}': this model has no parameter of that name")]
    Unexpected(String),
    /// Shape differs.
    #[error("tensor '{name}' has shape {got:?}, the model needs {expected:?}")]
    Shape {
        /// Its name.
        name: String,
        /// The model's shape.
        expected: Vec<usize>,
        /// The file's shape.
        got: Vec<usize>,
    },
    /// Not float32.
    #[error("tensor '{name}' is {dtype}, convscope needs F32 (save with .float())")]
    Dtype {
        /// Its name.
        name: String,
        /// Its dtype.
        dtype: String,
    },
}

/// Reads named `f32` tensors from safetensors bytes, checking each against `expected`
/// (`name → shape`). Every expected name must be present, and nothing else.
pub fn load(
    bytes: &[u8],
    expected: &[(&str, Vec<usize>)],
) -> Result<HashMap<String, Tensor>, WeightsError> {
    let st = SafeTensors::deserialize(bytes).map_err(|e| WeightsError::Format(e.to_string()))?;
    let mut names = st.names();
    names.sort();
    let present = names
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    for name in &names {
        if !expected.iter().any(|(n, _)| n == name) {
            return Err(WeightsError::Unexpected(name.to_string()));
        }
    }
    let mut out = HashMap::new();
    for (name, shape) in expected {
        let view = st.tensor(name).map_err(|_| WeightsError::Missing {
            name: name.to_string(),
            present: present.clone(),
        })?;
        if view.dtype() != Dtype::F32 {
            return Err(WeightsError::Dtype {
                name: name.to_string(),
                dtype: format!("{:?}", view.dtype()),
            });
        }
        if view.shape() != shape.as_slice() {
            return Err(WeightsError::Shape {
                name: name.to_string(),
                expected: shape.clone(),
                got: view.shape().to_vec(),
            });
        }
        let data = view
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let tensor = Tensor::new(shape, data).map_err(|e| WeightsError::Format(e.to_string()))?;
        out.insert(name.to_string(), tensor);
    }
    Ok(out)
}

/// The file's metadata (`__metadata__`), empty if it has none or is not safetensors.
pub fn metadata(bytes: &[u8]) -> HashMap<String, String> {
    SafeTensors::read_metadata(bytes)
        .ok()
        .and_then(|(_, m)| m.metadata().clone())
        .unwrap_or_default()
}

/// Serialises named tensors as safetensors (little-endian `F32`), with optional metadata.
pub fn save(
    tensors: &[(&str, &Tensor)],
    metadata: Option<HashMap<String, String>>,
) -> Result<Vec<u8>, WeightsError> {
    let bytes: Vec<Vec<u8>> = tensors
        .iter()
        .map(|(_, t)| t.data().iter().flat_map(|v| v.to_le_bytes()).collect())
        .collect();
    let views = tensors
        .iter()
        .zip(&bytes)
        .map(|((name, t), data)| {
            TensorView::new(Dtype::F32, t.shape().to_vec(), data)
                .map(|view| (name.to_string(), view))
                .map_err(|e| WeightsError::Format(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    safetensors::serialize(views, metadata).map_err(|e| WeightsError::Format(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected() -> Vec<(&'static str, Vec<usize>)> {
        vec![("a.weight", vec![2, 3]), ("a.bias", vec![2])]
    }

    #[test]
    fn round_trip() {
        let w = Tensor::from_fn(&[2, 3], |i| i as f32 * 0.5);
        let b = Tensor::from_fn(&[2], |i| -(i as f32));
        let bytes = save(&[("a.weight", &w), ("a.bias", &b)], None).expect("save");
        let loaded = load(&bytes, &expected()).expect("load");
        assert_eq!(loaded["a.weight"], w);
        assert_eq!(loaded["a.bias"], b);
    }

    #[test]
    fn errors_name_the_tensor() {
        let w = Tensor::zeros(&[3, 2]);
        let b = Tensor::zeros(&[2]);
        let bytes = save(&[("a.weight", &w), ("a.bias", &b)], None).expect("save");
        let err = load(&bytes, &expected()).unwrap_err().to_string();
        assert!(err.contains("'a.weight' has shape [3, 2]"), "{err}");
        let bytes = save(&[("a.weight", &Tensor::zeros(&[2, 3]))], None).expect("save");
        let err = load(&bytes, &expected()).unwrap_err().to_string();
        assert!(err.contains("'a.bias' is missing"), "{err}");
        let bytes = save(
            &[
                ("a.weight", &Tensor::zeros(&[2, 3])),
                ("a.bias", &b),
                ("extra", &b),
            ],
            None,
        )
        .expect("save");
        assert_eq!(
            load(&bytes, &expected()).unwrap_err(),
            WeightsError::Unexpected("extra".into())
        );
        assert!(matches!(
            load(b"nonsense", &expected()),
            Err(WeightsError::Format(_))
        ));
    }
}
