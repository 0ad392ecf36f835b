//! Finding and loading MNIST and weights for the CLI.

use crate::backend::Backend;
use crate::backend::cpu::{ReferenceBackend, SimdBackend};
use crate::formats::limits::{FileKind, check_size};
use crate::models::Net;
use crate::models::classifier::{Classifier, ModelKind};
use crate::train::data::Mnist;
use std::path::{Path, PathBuf};

/// The MNIST folder shipped with the app.
pub const DEFAULT_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/mnist");
/// The shipped weights.
pub const DEFAULT_WEIGHTS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/www/models/net.safetensors");

/// Reads a file after checking its size against `kind`'s limit (a wrong path to a huge file
/// is refused before it is read).
pub fn read(path: &Path, kind: FileKind) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .len();
    check_size(&path.display().to_string(), kind, size).map_err(|e| e.to_string())?;
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Loads one split ("train" or "t10k") from `dir`.
pub fn load_split(dir: Option<&str>, split: &str) -> Result<Mnist, String> {
    let dir = PathBuf::from(dir.unwrap_or(DEFAULT_DATA));
    let images = read(
        &dir.join(format!("{split}-images-idx3-ubyte.gz")),
        FileKind::Idx,
    )?;
    let labels = read(
        &dir.join(format!("{split}-labels-idx1-ubyte.gz")),
        FileKind::Idx,
    )?;
    Mnist::parse(&images, &labels).map_err(|e| e.to_string())
}

/// The shipped weights of a model kind.
pub fn default_weights(kind: ModelKind) -> String {
    format!(
        "{}/www/models/{}.safetensors",
        env!("CARGO_MANIFEST_DIR"),
        kind.name()
    )
}

/// Loads a model of `kind` from a safetensors file (the shipped one by default).
pub fn load_model(kind: ModelKind, path: Option<&str>) -> Result<Box<dyn Classifier>, String> {
    let path = PathBuf::from(path.map_or_else(|| default_weights(kind), String::from));
    kind.load(&read(&path, FileKind::Weights)?)
        .map_err(|e| format!("{} ({} model): {e}", path.display(), kind.name()))
}

/// Loads a Net from a safetensors file.
pub fn load_net(path: Option<&str>) -> Result<Net, String> {
    let path = PathBuf::from(path.unwrap_or(DEFAULT_WEIGHTS));
    Net::from_safetensors(&read(&path, FileKind::Weights)?)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The backend named on the command line.
pub fn backend(name: Option<&str>) -> Result<Box<dyn Backend>, String> {
    match name.unwrap_or("simd") {
        "simd" => Ok(Box::new(SimdBackend::new())),
        "reference" => Ok(Box::new(ReferenceBackend)),
        other => Err(format!("unknown backend '{other}' (simd or reference)")),
    }
}
