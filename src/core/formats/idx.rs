//! The IDX format of the MNIST files, plain or gzipped.
//!
//! An IDX file is a big-endian header, `00 00 <type> <ndims>`, then one `u32` size per
//! dimension, then the data. MNIST uses type `0x08` (unsigned bytes): images are 3-D
//! (count, rows, cols), labels 1-D. Anything else, a truncated file, or trailing garbage is an
//! [`IdxError`] that says what was found; nothing panics.

use flate2::read::GzDecoder;
use std::io::Read;
use thiserror::Error;

/// Why an IDX file could not be read.
#[derive(Debug, Error)]
pub enum IdxError {
    /// The gzip stream is corrupt or truncated.
    #[error("{what}: not a valid gzip stream ({source}); re-download the file")]
    Gzip {
        /// Which file.
        what: String,
        /// The decoder's error.
        source: std::io::Error,
    },
    /// The header is missing or wrong.
    #[error("{what}: {problem}")]
    Header {
        /// Which file.
        what: String,
        /// What is wrong.
        problem: String,
    },
    /// The data is shorter or longer than the header says.
    #[error(
        "{what}: the header promises {expected} bytes of data, the file has {got}; it is truncated or corrupt"
    )]
    Length {
        /// Which file.
        what: String,
        /// Bytes the header promises.
        expected: usize,
        /// Bytes present.
        got: usize,
    },
    /// Images and labels disagree.
    #[error("{0}")]
    Mismatch(String),
}

/// An IDX array of unsigned bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdxU8 {
    /// The dimensions.
    pub dims: Vec<usize>,
    /// The values, row-major.
    pub data: Vec<u8>,
}

/// Decompresses `bytes` if they start with the gzip magic number, else returns them as they are.
pub fn maybe_gunzip(bytes: &[u8], what: &str) -> Result<Vec<u8>, IdxError> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .map_err(|source| IdxError::Gzip {
                what: what.to_string(),
                source,
            })?;
        Ok(out)
    } else {
        Ok(bytes.to_vec())
    }
}

/// Parses an IDX file of unsigned bytes (gzipped or not). `what` names it in errors.
pub fn parse_u8(bytes: &[u8], what: &str) -> Result<IdxU8, IdxError> {
    let raw = maybe_gunzip(bytes, what)?;
    let header = |problem: String| IdxError::Header {
        what: what.to_string(),
        problem,
    };
    if raw.len() < 4 {
        return Err(header(format!("only {} bytes: not an IDX file", raw.len())));
    }
    if raw[0] != 0 || raw[1] != 0 {
        return Err(header(format!(
            "starts with {:02x} {:02x}, not 00 00: not an IDX file",
            raw[0], raw[1]
        )));
    }
    if raw[2] != 0x08 {
        return Err(header(format!(
            "data type 0x{:02x}; only unsigned bytes (0x08) are supported",
            raw[2]
        )));
    }
    let ndims = raw[3] as usize;
    if ndims == 0 || ndims > 4 {
        return Err(header(format!("{ndims} dimensions; expected 1 to 4")));
    }
    let data_start = 4 + 4 * ndims;
    if raw.len() < data_start {
        return Err(header(format!(
            "truncated header: {} bytes, need {data_start}",
            raw.len()
        )));
    }
    let dims: Vec<usize> = raw[4..data_start]
        .chunks_exact(4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .collect();
    let expected = dims
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| header(format!("dimensions {dims:?} overflow")))?;
    let got = raw.len() - data_start;
    if got != expected {
        return Err(IdxError::Length {
            what: what.to_string(),
            expected,
            got,
        });
    }
    Ok(IdxU8 {
        dims,
        data: raw[data_start..].to_vec(),
    })
}

/// Encodes `data` with `dims` as an (uncompressed) IDX file of unsigned bytes.
pub fn encode_u8(dims: &[usize], data: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 0x08, dims.len() as u8];
    for &d in dims {
        out.extend_from_slice(&(d as u32).to_be_bytes());
    }
    out.extend_from_slice(data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    #[test]
    fn round_trip_plain_and_gzipped() {
        let file = encode_u8(&[2, 2, 3], &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        let parsed = parse_u8(&file, "test").expect("plain");
        assert_eq!(parsed.dims, vec![2, 2, 3]);
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(&file).expect("gzip");
        let gz = gz.finish().expect("gzip");
        assert_eq!(parse_u8(&gz, "test").expect("gzipped"), parsed);
    }

    #[test]
    fn corrupt_files_give_clear_errors() {
        let file = encode_u8(&[3], &[1, 2, 3]);
        let err = parse_u8(&file[..6], "labels").unwrap_err().to_string();
        assert!(
            err.contains("labels") && err.contains("truncated header"),
            "{err}"
        );
        let err = parse_u8(&file[..file.len() - 1], "labels")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("promises 3 bytes") && err.contains("has 2"),
            "{err}"
        );
        let err = parse_u8(b"GIF89a", "images").unwrap_err().to_string();
        assert!(err.contains("not an IDX file"), "{err}");
        let err = parse_u8(&[0x1f, 0x8b, 8, 0, 1, 2], "images")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a valid gzip stream"), "{err}");
        let mut float = file.clone();
        float[2] = 0x0d;
        assert!(
            parse_u8(&float, "x")
                .unwrap_err()
                .to_string()
                .contains("0x0d")
        );
    }
}
