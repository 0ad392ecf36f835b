//! `convscope predict`: the ten probabilities for one image, a test-set index or a PNG file.

use super::args::Args;
use super::data::{load_net, load_split};
use super::io;
use crate::backend::cpu::SimdBackend;
use crate::formats::limits::{FileKind, check_size};
use crate::tensor::Tensor;
use crate::train::data::{SIDE, normalize};
use crate::train::fit::argmax;
use std::io::Write;

pub fn run(rest: &[String], out: &mut impl Write) -> Result<(), String> {
    let a = Args::parse(rest, &["index", "png", "weights", "data"], &["invert"])?;
    let (pixels, label) = match (a.opt("index"), a.opt("png")) {
        (Some(i), None) => {
            let test = load_split(a.opt("data"), "t10k")?;
            let i: usize = i
                .parse()
                .map_err(|_| format!("--index: cannot read '{i}'"))?;
            if i >= test.len() {
                return Err(format!(
                    "--index {i}: the test set has images 0 to {}",
                    test.len() - 1
                ));
            }
            (test.image(i).to_vec(), Some(test.labels[i]))
        }
        (None, Some(path)) => (read_png(path, a.has("invert"))?, None),
        _ => return Err("give exactly one of --index N or --png FILE".into()),
    };
    let net = load_net(a.opt("weights"))?;
    let x = Tensor::new(
        &[1, 1, SIDE, SIDE],
        pixels.iter().map(|&p| normalize(p)).collect(),
    )
    .map_err(|e| e.to_string())?;
    let probs = net
        .predict(&SimdBackend::new(), &x)
        .map_err(|e| e.to_string())?;
    for (digit, p) in probs.data().iter().enumerate() {
        writeln!(out, "{digit}: {p:.6}").map_err(io)?;
    }
    let best = argmax(probs.data());
    match label {
        Some(l) => writeln!(out, "prediction: {best} (label: {l})"),
        None => writeln!(out, "prediction: {best}"),
    }
    .map_err(io)
}

/// Reads a 28×28 PNG as grey bytes (RGB averaged, alpha over black).
///
/// The file's size and the header's dimensions are checked before any pixel is decoded: a
/// 20,000 × 20,000 PNG is refused from its header, without allocating its frame.
fn read_png(path: &str, invert: bool) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {path}: {e}"))?
        .len();
    check_size(path, FileKind::Picture, size).map_err(|e| e.to_string())?;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("{path}: not a PNG image ({e})"))?;
    let (width, height) = (reader.info().width, reader.info().height);
    if (width as usize, height as usize) != (SIDE, SIDE) {
        return Err(format!(
            "{path} is {width}×{height} pixels; MNIST digits are 28×28: resize it first"
        ));
    }
    let mut buf = vec![
        0;
        reader
            .output_buffer_size()
            .ok_or_else(|| format!("{path}: image too large"))?
    ];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("{path}: {e}"))?;
    if (info.width as usize, info.height as usize) != (SIDE, SIDE) {
        return Err(format!(
            "{path} is {}×{} pixels; MNIST digits are 28×28: resize it first",
            info.width, info.height
        ));
    }
    let channels = info.color_type.samples();
    let grey = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|px| {
            let v = match channels {
                1 => px[0] as u32,
                2 => px[0] as u32 * px[1] as u32 / 255,
                3 => (px[0] as u32 + px[1] as u32 + px[2] as u32) / 3,
                _ => (px[0] as u32 + px[1] as u32 + px[2] as u32) / 3 * px[3] as u32 / 255,
            } as u8;
            if invert { 255 - v } else { v }
        })
        .collect();
    Ok(grey)
}
