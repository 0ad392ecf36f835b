//! The CLI checks a file's size, and a PNG's dimensions, before reading or decoding it
//! (issue 17, item 1): a wrong path to a huge file is refused at once with the limit, and a
//! huge PNG is refused from its header without allocating its frame.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::Command;

fn convscope(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_convscope"))
        .args(args)
        .output()
        .expect("run convscope");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("convscope-limits-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A sparse file of `len` bytes: no disk is used, but its size is real.
fn sparse(path: &std::path::Path, len: u64) {
    std::fs::File::create(path)
        .and_then(|f| f.set_len(len))
        .expect("sparse file");
}

#[test]
fn huge_weights_and_mnist_files_are_refused_by_size_before_reading() {
    let dir = scratch("size");
    let weights = dir.join("movie.safetensors");
    sparse(&weights, 3 << 30);
    let (ok, err) = convscope(&["eval", "--weights", weights.to_str().expect("utf-8")]);
    assert!(!ok, "{err}");
    assert!(
        err.contains("movie.safetensors") && err.contains("at most 64.0 MB"),
        "{err}"
    );
    sparse(&dir.join("t10k-images-idx3-ubyte.gz"), 5 << 30);
    sparse(&dir.join("t10k-labels-idx1-ubyte.gz"), 10);
    let (ok, err) = convscope(&["eval", "--data", dir.to_str().expect("utf-8")]);
    assert!(!ok, "{err}");
    assert!(err.contains("at most 256.0 MB"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_huge_png_is_refused_from_its_header() {
    // A valid PNG signature and header for 20,000 × 20,000 grey pixels, then a few bytes of image data:
    // decoding would first allocate 400 MB; the header alone says it is not 28 × 28.
    let dir = scratch("png");
    let path = dir.join("huge.png");
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&20_000u32.to_be_bytes());
    ihdr.extend_from_slice(&20_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    bytes.extend_from_slice(&13u32.to_be_bytes());
    bytes.extend_from_slice(&ihdr);
    bytes.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    // The start of the image data (the decoder reads the header up to here).
    let idat = b"IDAT\x78\x9c\x00\x00\x00\xff\xff".to_vec();
    bytes.extend_from_slice(&(idat.len() as u32 - 4).to_be_bytes());
    bytes.extend_from_slice(&idat);
    bytes.extend_from_slice(&crc32(&idat).to_be_bytes());
    std::fs::write(&path, &bytes).expect("write png");
    let (ok, err) = convscope(&["predict", "--png", path.to_str().expect("utf-8")]);
    assert!(!ok, "{err}");
    assert!(
        err.contains("20000×20000 pixels") && err.contains("resize it first"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).ok();
}

/// PNG's CRC-32 (the chunk checksum), bit by bit.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
