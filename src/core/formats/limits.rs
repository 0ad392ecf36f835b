//! How large a file the app and the CLI accept, checked *before* a byte is read or a pixel is
//! decoded: a 2 GB file picked as weights by mistake is refused at once by its size, instead of
//! being copied into wasm memory (which never shrinks) and then failing to parse.
//!
//! The limits sit far above any real use (the shipped Inception weights are 0.4 MB, a 48
//! megapixel phone photo is 8000 × 6000); each refusal names the file, the limit and what to
//! do. The app translates [`FileError`] (`convscope::i18n::core_errors`).

use thiserror::Error;

/// Weights files (safetensors): the largest shipped model is 0.4 MB.
pub const MAX_WEIGHTS_BYTES: u64 = 64 << 20;
/// Picture files (any format the browser reads).
pub const MAX_PICTURE_BYTES: u64 = 32 << 20;
/// Pixels of a picture (100 megapixels).
pub const MAX_PICTURE_PIXELS: u64 = 100_000_000;
/// Width or height of a picture.
pub const MAX_PICTURE_SIDE: u32 = 20_000;
/// MNIST IDX files, gzipped or not (the training images are 47 MB unpacked).
pub const MAX_IDX_BYTES: u64 = 256 << 20;

/// What kind of file, for its limit and message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A safetensors weights file.
    Weights,
    /// A picture of a digit.
    Picture,
    /// An MNIST IDX file.
    Idx,
}

impl FileKind {
    /// Its name in messages ("weights", "picture", "MNIST").
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Weights => "weights",
            FileKind::Picture => "picture",
            FileKind::Idx => "MNIST",
        }
    }

    /// The largest accepted file, in bytes.
    pub fn max_bytes(self) -> u64 {
        match self {
            FileKind::Weights => MAX_WEIGHTS_BYTES,
            FileKind::Picture => MAX_PICTURE_BYTES,
            FileKind::Idx => MAX_IDX_BYTES,
        }
    }
}

/// A file refused before reading it.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum FileError {
    /// The file is larger than its kind's limit.
    #[error(
        "{name} is {} MB; convscope accepts {kind} files of at most {} MB \
         (far above any real one): choose the right file", mb(*.size), mb(*.limit), kind = .kind.name()
    )]
    TooLarge {
        /// The file's name.
        name: String,
        /// Which kind of file.
        kind: FileKind,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A picture with more pixels than the limit.
    #[error(
        "{name} is {width} × {height} pixels; convscope reads pictures of at most {max_side} pixels \
         a side and {max_pixels} pixels in all: scale it down first"
    )]
    TooManyPixels {
        /// The file's name.
        name: String,
        /// Its width.
        width: u32,
        /// Its height.
        height: u32,
        /// The largest side.
        max_side: u32,
        /// The most pixels.
        max_pixels: u64,
    },
}

/// Bytes as megabytes (2^20 bytes) with one decimal, as the messages show them.
pub fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / f64::from(1u32 << 20))
}

/// Checks a file's size against its kind's limit.
pub fn check_size(name: &str, kind: FileKind, size: u64) -> Result<(), FileError> {
    if size > kind.max_bytes() {
        return Err(FileError::TooLarge {
            name: name.to_string(),
            kind,
            size,
            limit: kind.max_bytes(),
        });
    }
    Ok(())
}

/// Checks a picture's dimensions (read from its header) before it is decoded.
pub fn check_picture(name: &str, width: u32, height: u32) -> Result<(), FileError> {
    if width > MAX_PICTURE_SIDE
        || height > MAX_PICTURE_SIDE
        || u64::from(width) * u64::from(height) > MAX_PICTURE_PIXELS
    {
        return Err(FileError::TooManyPixels {
            name: name.to_string(),
            width,
            height,
            max_side: MAX_PICTURE_SIDE,
            max_pixels: MAX_PICTURE_PIXELS,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_files_pass_and_huge_ones_are_refused_with_names_and_limits() {
        assert_eq!(
            check_size("net.safetensors", FileKind::Weights, 34_552),
            Ok(())
        );
        let e = check_size("movie.mkv", FileKind::Weights, 2 << 30).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("movie.mkv")
                && text.contains("at most 64.0 MB")
                && text.contains("2048.0 MB"),
            "{text}"
        );
        assert_eq!(check_picture("photo.jpg", 8000, 6000), Ok(()));
        assert!(check_picture("wide.png", 30_000, 10).is_err());
        assert!(check_picture("huge.png", 15_000, 15_000).is_err());
    }
}
