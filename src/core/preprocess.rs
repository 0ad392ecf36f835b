//! MNIST-style preprocessing of a drawn or photographed digit, as the MNIST images were made:
//! 1. crop to the bounding box of the ink;
//! 2. scale (area-averaged, so edges turn grey as in MNIST) so the longer side is 20 pixels,
//!    keeping the aspect ratio;
//! 3. place it in a 28 × 28 frame so that its centre of mass is at the centre;
//! 4. normalise with the lesson's mean 0.1307 and standard deviation 0.3081.
//!
//! Skipping these steps is why hand-drawn digits get misread: a digit drawn large, small or off
//! centre does not look like the training data. Every intermediate image is kept for the UI.

use crate::tensor::Tensor;
use crate::train::data::{SIDE, normalize};

/// A grey image, values in `[0, 1]` (1 = ink), row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Gray {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width × height` values.
    pub pixels: Vec<f32>,
}

impl Gray {
    fn at(&self, x: usize, y: usize) -> f32 {
        self.pixels[y * self.width + x]
    }
}

/// Each step of the preprocessing.
#[derive(Clone, Debug, PartialEq)]
pub struct Steps {
    /// Step 1: the ink's bounding box.
    pub cropped: Gray,
    /// Step 2: scaled so the longer side is 20 pixels.
    pub scaled: Gray,
    /// Step 3: 28 × 28, centre of mass at the centre.
    pub centered: Gray,
    /// Step 4: the network's input `[1, 1, 28, 28]`, normalised.
    pub input: Tensor,
}

/// Ink below this counts as background when finding the bounding box.
const INK: f32 = 0.05;

/// Runs the four steps on `image`; `None` when there is no ink.
pub fn mnist_style(image: &Gray) -> Option<Steps> {
    let cropped = crop(image)?;
    let scaled = scale_longer_side_to(&cropped, 20);
    let centered = center_of_mass_in_28(&scaled);
    let bytes: Vec<u8> = centered
        .pixels
        .iter()
        .map(|&v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
        .collect();
    let input = Tensor::new(
        &[1, 1, SIDE, SIDE],
        bytes.iter().map(|&b| normalize(b)).collect(),
    )
    .expect("784 values");
    Some(Steps {
        cropped,
        scaled,
        centered,
        input,
    })
}

fn crop(image: &Gray) -> Option<Gray> {
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for y in 0..image.height {
        for x in 0..image.width {
            if image.at(x, y) > INK {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x);
                y1 = y1.max(y);
            }
        }
    }
    if x0 == usize::MAX {
        return None;
    }
    let (width, height) = (x1 - x0 + 1, y1 - y0 + 1);
    let pixels = (0..height)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .map(|(x, y)| image.at(x0 + x, y0 + y))
        .collect();
    Some(Gray {
        width,
        height,
        pixels,
    })
}

/// Turns a photo or picture of a digit (RGBA bytes, `width × height`) into ink on black, as
/// MNIST's digits are: grey levels by luminance; inverted when the background (judged from the
/// border, the paper) is lighter than the digit; the background level subtracted and the rest
/// stretched to 0–1, with faint noise (under 25 % of the stretched range) cleared.
pub fn ink_from_picture(rgba: &[u8], width: usize, height: usize) -> Option<Gray> {
    if width == 0 || height == 0 || rgba.len() < width * height * 4 {
        return None;
    }
    let mut pixels: Vec<f32> = rgba
        .chunks_exact(4)
        .take(width * height)
        .map(|p| {
            // Transparent pixels count as paper (white).
            let a = f32::from(p[3]) / 255.0;
            let lum = (0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]))
                / 255.0;
            lum * a + (1.0 - a)
        })
        .collect();
    let mut border: Vec<f32> = (0..width)
        .flat_map(|x| [pixels[x], pixels[(height - 1) * width + x]])
        .chain((0..height).flat_map(|y| [pixels[y * width], pixels[y * width + width - 1]]))
        .collect();
    border.sort_by(f32::total_cmp);
    let mut background = border[border.len() / 2];
    if background > 0.5 {
        pixels.iter_mut().for_each(|v| *v = 1.0 - *v);
        background = 1.0 - background;
    }
    let top = pixels.iter().copied().fold(0.0f32, f32::max);
    if top - background < 0.1 {
        return None;
    }
    for v in &mut pixels {
        let s = ((*v - background) / (top - background)).clamp(0.0, 1.0);
        *v = if s < 0.25 { 0.0 } else { s };
    }
    Some(Gray {
        width,
        height,
        pixels,
    })
}

/// A square grey image (`src × src`, 0–255) area-averaged down to `side × side` and expressed
/// in whole steps `0..=levels` — e.g. an MNIST digit as a small explorer input whose values a
/// learner can read and multiply.
pub fn downsample_levels(pixels: &[u8], src: usize, side: usize, levels: u8) -> Vec<f32> {
    let image = Gray {
        width: src,
        height: src,
        pixels: pixels.iter().map(|&p| f32::from(p) / 255.0).collect(),
    };
    let small = scale_longer_side_to(&image, side.clamp(1, src.max(1)));
    small
        .pixels
        .iter()
        .map(|v| (v * f32::from(levels)).round())
        .collect()
}

/// Area-averaged resize: each output pixel is the mean of the source area it covers (with
/// fractional edges), which is how MNIST's anti-aliased grey edges arose.
fn scale_longer_side_to(image: &Gray, side: usize) -> Gray {
    let longer = image.width.max(image.height) as f32;
    let scale = side as f32 / longer;
    let width = ((image.width as f32 * scale).round() as usize).clamp(1, side);
    let height = ((image.height as f32 * scale).round() as usize).clamp(1, side);
    let (sx, sy) = (
        image.width as f32 / width as f32,
        image.height as f32 / height as f32,
    );
    let mut pixels = vec![0.0; width * height];
    for oy in 0..height {
        let (y_lo, y_hi) = (oy as f32 * sy, (oy + 1) as f32 * sy);
        for ox in 0..width {
            let (x_lo, x_hi) = (ox as f32 * sx, (ox + 1) as f32 * sx);
            let mut sum = 0.0;
            let mut area = 0.0;
            for y in y_lo.floor() as usize..(y_hi.ceil() as usize).min(image.height) {
                let wy = (y_hi.min(y as f32 + 1.0) - y_lo.max(y as f32)).max(0.0);
                for x in x_lo.floor() as usize..(x_hi.ceil() as usize).min(image.width) {
                    let wx = (x_hi.min(x as f32 + 1.0) - x_lo.max(x as f32)).max(0.0);
                    sum += image.at(x, y) * wx * wy;
                    area += wx * wy;
                }
            }
            pixels[oy * width + ox] = if area > 0.0 { sum / area } else { 0.0 };
        }
    }
    Gray {
        width,
        height,
        pixels,
    }
}

/// Pastes `image` into a 28 × 28 frame so its centre of mass is as near the centre as the frame
/// allows.
fn center_of_mass_in_28(image: &Gray) -> Gray {
    let (mut mass, mut mx, mut my) = (0.0f32, 0.0f32, 0.0f32);
    for y in 0..image.height {
        for x in 0..image.width {
            let v = image.at(x, y);
            mass += v;
            mx += v * (x as f32 + 0.5);
            my += v * (y as f32 + 0.5);
        }
    }
    let (cx, cy) = if mass > 0.0 {
        (mx / mass, my / mass)
    } else {
        (image.width as f32 / 2.0, image.height as f32 / 2.0)
    };
    let place = |c: f32, size: usize| {
        ((SIDE as f32 / 2.0 - c).round() as isize).clamp(0, (SIDE - size) as isize) as usize
    };
    let (left, top) = (place(cx, image.width), place(cy, image.height));
    let mut pixels = vec![0.0; SIDE * SIDE];
    for y in 0..image.height {
        for x in 0..image.width {
            pixels[(top + y) * SIDE + left + x] = image.at(x, y);
        }
    }
    Gray {
        width: SIDE,
        height: SIDE,
        pixels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canvas_with(f: impl Fn(usize, usize) -> bool) -> Gray {
        let (width, height) = (280, 280);
        let pixels = (0..width * height)
            .map(|i| if f(i % width, i / width) { 1.0 } else { 0.0 })
            .collect();
        Gray {
            width,
            height,
            pixels,
        }
    }

    #[test]
    fn blank_is_none() {
        assert!(mnist_style(&canvas_with(|_, _| false)).is_none());
    }

    #[test]
    fn an_off_centre_bar_ends_up_20_tall_and_centred() {
        // A vertical bar 30 px wide and 150 px tall in the top-left corner.
        let steps = mnist_style(&canvas_with(|x, y| {
            (20..50).contains(&x) && (10..160).contains(&y)
        }))
        .expect("ink");
        assert_eq!((steps.cropped.width, steps.cropped.height), (30, 150));
        assert_eq!((steps.scaled.width, steps.scaled.height), (4, 20));
        let c = &steps.centered;
        let (mut mass, mut mx, mut my) = (0.0, 0.0, 0.0);
        for y in 0..28 {
            for x in 0..28 {
                let v = c.pixels[y * 28 + x];
                mass += v;
                mx += v * (x as f32 + 0.5);
                my += v * (y as f32 + 0.5);
            }
        }
        assert!(
            (mx / mass - 14.0).abs() <= 0.5 && (my / mass - 14.0).abs() <= 0.5,
            "{} {}",
            mx / mass,
            my / mass
        );
        assert_eq!(steps.input.shape(), &[1, 1, 28, 28]);
    }

    #[test]
    fn area_averaging_makes_grey_edges() {
        // Scaling 30 → 20, each output pixel covers 1.5 source pixels: 2 px of ink fill the first
        // output pixel and a third of the second.
        let img = Gray {
            width: 30,
            height: 30,
            pixels: (0..900)
                .map(|i| if i % 30 < 2 { 1.0 } else { 0.0 })
                .collect(),
        };
        let scaled = scale_longer_side_to(&img, 20);
        let row: Vec<f32> = scaled.pixels[..3].to_vec();
        assert!(
            (row[0] - 1.0).abs() < 1e-6 && (row[1] - 1.0 / 3.0).abs() < 1e-6 && row[2] == 0.0,
            "{row:?}"
        );
    }

    #[test]
    fn a_digit_downsampled_to_whole_levels() {
        use crate::sample_digit::SAMPLE_DIGIT;
        // 28 → 14: every output pixel is the mean of a 2 × 2 block, rounded to 0..=9.
        let small = downsample_levels(&SAMPLE_DIGIT, 28, 14, 9);
        assert_eq!(small.len(), 196);
        for (i, v) in small.iter().enumerate() {
            let (y, x) = (i / 14 * 2, i % 14 * 2);
            let sum: f32 = [(0, 0), (0, 1), (1, 0), (1, 1)]
                .iter()
                .map(|(dy, dx)| f32::from(SAMPLE_DIGIT[(y + dy) * 28 + x + dx]))
                .sum();
            assert_eq!(*v, (sum / 4.0 / 255.0 * 9.0).round(), "pixel {i}");
        }
        let seven = downsample_levels(&SAMPLE_DIGIT, 28, 7, 9);
        assert!(seven.iter().any(|&v| v >= 5.0) && seven.iter().all(|&v| (0.0..=9.0).contains(&v)));
    }

    #[test]
    fn a_dark_digit_on_light_paper_becomes_ink_on_black() {
        // 40 × 30 grey paper (200) with a dark vertical bar (30) and a little noise (190).
        let (w, h) = (40, 30);
        let mut rgba = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let v = if (18..22).contains(&x) && (5..25).contains(&y) {
                    30
                } else if (x + y) % 7 == 0 {
                    190
                } else {
                    200
                };
                rgba.extend_from_slice(&[v, v, v, 255]);
            }
        }
        let g = ink_from_picture(&rgba, w, h).expect("ink");
        assert_eq!(g.at(20, 10), 1.0);
        assert_eq!(g.at(3, 3), 0.0);
        assert_eq!(g.at(0, 7), 0.0, "noise cleared");
        let steps = mnist_style(&g).expect("a digit");
        assert_eq!(steps.input.shape(), &[1, 1, 28, 28]);
        // A blank picture has no digit.
        assert!(ink_from_picture(&[255; 16 * 4], 4, 4).is_none());
        assert!(ink_from_picture(&[0; 3], 4, 4).is_none());
    }
}
