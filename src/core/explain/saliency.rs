//! Why this answer: two maps of which pixels a model's answer rests on, for one image and any
//! class, for every model that has an input gradient (the lesson's Net, the residual and the
//! Inception nets).
//!
//! - **Saliency** ([`saliency`]): `∂ logit[class] / ∂x`, the gradient of the class's score with
//!   respect to each input pixel, from the model's own backward pass
//!   ([`Classifier::logit_input_gradient`]: a one-hot `∂/∂logits` taken back through every
//!   layer and through the first convolution to the image). Positive: brightening that pixel
//!   raises the score; negative: lowers it. The same numbers as PyTorch's
//!   `torch.autograd.grad(logits[0, c], x)` (`tests/why_golden.rs`).
//! - **Occlusion** ([`OcclusionPlan`], [`Occluded`]): a `patch × patch` square, moved by `stride`
//!   over the image, is set to the blank background (the normalised value of a 0 pixel,
//!   [`BLANK`]); every position is one image of a single batch, so one forward pass gives all
//!   of them. A position's value is the drop of p(class): p(class | the image) − p(class | the
//!   image with that square hidden), in probability (−1 … 1). The pixel map gives each pixel
//!   the mean drop of the squares that cover it (0 for a pixel no square covers), so squares
//!   that overlap blend smoothly. The probabilities of all ten classes are kept, so switching
//!   the class needs no new forward pass; the batch can also be run in parts
//!   ([`OcclusionPlan::batch`] over a range of positions) to keep a page responsive.

use crate::backend::Backend;
use crate::error::{Result, ShapeError};
use crate::models::classifier::{self, Classifier};
use crate::tensor::Tensor;
use crate::train::data::normalize;
use std::ops::Range;

/// The image side (MNIST: 28).
pub const SIDE: usize = 28;
/// The normalised value of a blank (0) pixel: what an occluding square is filled with.
pub fn blank() -> f32 {
    normalize(0)
}

/// Why the model answers what it does, by gradient: one class's saliency map.
#[derive(Clone, Debug, PartialEq)]
pub struct Saliency {
    /// The class whose score is explained.
    pub class: usize,
    /// The ten scores.
    pub logits: Vec<f32>,
    /// `∂ logit[class] / ∂x`, row-major 28 × 28.
    pub grad: Vec<f32>,
    /// The largest |value| of `grad` (the legend's range is ±this).
    pub max_abs: f32,
}

/// The saliency map of `class` for one image `x` `(1,1,28,28)`.
pub fn saliency(
    be: &dyn Backend,
    model: &dyn Classifier,
    x: &Tensor,
    class: usize,
) -> Result<Saliency> {
    check_image(x)?;
    let (logits, dx) = model.logit_input_gradient(be, x, class)?;
    let grad = dx.into_data();
    Ok(Saliency {
        class,
        logits: logits.into_data(),
        max_abs: max_abs(&grad),
        grad,
    })
}

/// Where the occluding squares go: `patch × patch` squares moved by `stride` over 28 × 28.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OcclusionPlan {
    /// The square's side in pixels.
    pub patch: usize,
    /// How far it moves between positions.
    pub stride: usize,
    /// Positions per row (and per column): `(28 − patch) / stride + 1`.
    pub side: usize,
}

impl OcclusionPlan {
    /// A plan for squares of `patch` (1 … 28) pixels moved by `stride` (≥ 1).
    pub fn new(patch: usize, stride: usize) -> Result<Self> {
        if patch == 0 || stride == 0 {
            return Err(ShapeError::Device(format!(
                "occlusion: patch {patch} and stride {stride} must be at least 1"
            )));
        }
        if patch > SIDE {
            return Err(ShapeError::Device(format!(
                "occlusion: patch {patch} is larger than the {SIDE}-pixel image"
            )));
        }
        Ok(OcclusionPlan {
            patch,
            stride,
            side: (SIDE - patch) / stride + 1,
        })
    }

    /// How many positions (images in the batch).
    pub fn positions(&self) -> usize {
        self.side * self.side
    }

    /// The top-left pixel `(row, column)` of position `i` (row-major over the positions).
    pub fn corner(&self, i: usize) -> (usize, usize) {
        ((i / self.side) * self.stride, (i % self.side) * self.stride)
    }

    /// The images of positions `range`: copies of `x` `(1,1,28,28)`, each with its square
    /// blanked, as one batch `(range.len(),1,28,28)`.
    pub fn batch(&self, x: &Tensor, range: Range<usize>) -> Result<Tensor> {
        check_image(x)?;
        let range = range.start.min(self.positions())..range.end.min(self.positions());
        let image = x.data();
        let mut data = Vec::with_capacity(range.len() * SIDE * SIDE);
        for i in range.clone() {
            let start = data.len();
            data.extend_from_slice(image);
            let (y0, x0) = self.corner(i);
            for y in y0..y0 + self.patch {
                let row = start + y * SIDE;
                data[row + x0..row + x0 + self.patch].fill(blank());
            }
        }
        Tensor::new(&[range.len(), 1, SIDE, SIDE], data)
    }

    /// Each pixel's mean over the squares that cover it of a value per position
    /// (`per_position`, row-major, [`OcclusionPlan::positions`] long); 0 where none does.
    pub fn pixel_map(&self, per_position: &[f32]) -> Vec<f32> {
        let mut total = vec![0.0f32; SIDE * SIDE];
        let mut count = vec![0u32; SIDE * SIDE];
        for (i, &v) in per_position.iter().enumerate().take(self.positions()) {
            let (y0, x0) = self.corner(i);
            for y in y0..y0 + self.patch {
                for x in x0..x0 + self.patch {
                    total[y * SIDE + x] += v;
                    count[y * SIDE + x] += 1;
                }
            }
        }
        total
            .iter()
            .zip(&count)
            .map(|(&t, &c)| if c == 0 { 0.0 } else { t / c as f32 })
            .collect()
    }
}

/// The occlusion experiment's outcome: the ten probabilities of the image and of every
/// occluded copy, from which any class's drops follow.
#[derive(Clone, Debug, PartialEq)]
pub struct Occluded {
    /// Where the squares went.
    pub plan: OcclusionPlan,
    /// The image's ten probabilities.
    pub base: Vec<f32>,
    /// The ten probabilities of each occluded copy, `positions × 10`, row-major.
    pub probs: Vec<f32>,
}

impl Occluded {
    /// Gathers the probabilities: `base` (10) and `probs` (positions × 10).
    pub fn new(plan: OcclusionPlan, base: Vec<f32>, probs: Vec<f32>) -> Result<Self> {
        let classes = base.len();
        if classes == 0 || probs.len() != plan.positions() * classes {
            return Err(ShapeError::Device(format!(
                "occlusion: {} probabilities for {} positions of {classes} classes",
                probs.len(),
                plan.positions()
            )));
        }
        Ok(Occluded { plan, base, probs })
    }

    /// The drop of p(`class`) at each position (row-major, `side × side`).
    pub fn drops(&self, class: usize) -> Vec<f32> {
        let classes = self.base.len();
        let base = self.base.get(class).copied().unwrap_or(0.0);
        self.probs
            .chunks_exact(classes)
            .map(|p| base - p.get(class).copied().unwrap_or(0.0))
            .collect()
    }

    /// The drop of p(`class`) per pixel: the mean over the squares covering it (28 × 28).
    pub fn map(&self, class: usize) -> Vec<f32> {
        self.plan.pixel_map(&self.drops(class))
    }
}

/// Runs the whole occlusion experiment for one image `x` `(1,1,28,28)` in one batched forward
/// pass (plus one for the image itself).
pub fn occlusion(
    be: &dyn Backend,
    model: &dyn Classifier,
    x: &Tensor,
    plan: OcclusionPlan,
) -> Result<Occluded> {
    let base = classifier::probabilities(model, be, x)?.into_data();
    let batch = plan.batch(x, 0..plan.positions())?;
    let probs = classifier::probabilities(model, be, &batch)?.into_data();
    Occluded::new(plan, base, probs)
}

/// The largest |v| (0 for none).
pub fn max_abs(values: &[f32]) -> f32 {
    values.iter().fold(0.0f32, |m, v| m.max(v.abs()))
}

fn check_image(x: &Tensor) -> Result<()> {
    if x.shape() != [1, 1, SIDE, SIDE] {
        return Err(ShapeError::Device(format!(
            "one 28 × 28 image (1,1,28,28) expected, got {:?}",
            x.shape()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cpu::ReferenceBackend;
    use crate::models::classifier::ModelKind;

    fn digit(seed: u64) -> Tensor {
        let mut s = seed;
        Tensor::from_fn(&[1, 1, SIDE, SIDE], |_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 0.5
        })
    }

    /// The saliency map is the derivative of the logit: central differences agree, for every
    /// model, to 0.1 % of the map's range (the models run in float32: steps of 2e-3 keep the
    /// rounding small and cross a ReLU or max-pool kink only rarely; measured: 2.7e-4 at worst).
    #[test]
    fn saliency_matches_finite_differences_for_every_model() {
        let be = ReferenceBackend;
        for kind in ModelKind::ALL {
            let model = kind.build(3);
            let x = digit(kind as u64 + 1);
            let class = 4;
            let s = saliency(&be, model.as_ref(), &x, class).expect("saliency");
            assert_eq!(s.grad.len(), SIDE * SIDE);
            assert!(s.max_abs > 0.0, "{kind:?}: a zero map");
            let logit = |x: &Tensor| model.logits(&be, x).expect("logits").data()[class];
            let h = 2e-3;
            let mut worst = 0.0f32;
            for &p in &[0usize, 29, 200, 407, 413, 555, 700, 783] {
                let mut plus = x.clone();
                plus.data_mut()[p] += h;
                let mut minus = x.clone();
                minus.data_mut()[p] -= h;
                let fd = (logit(&plus) - logit(&minus)) / (2.0 * h);
                worst = worst.max((fd - s.grad[p]).abs());
            }
            assert!(
                worst < 1e-3 * s.max_abs,
                "{kind:?}: worst finite-difference error {worst} (max |saliency| {})",
                s.max_abs
            );
        }
    }

    /// One batched forward pass gives the same drops as a loop over the squares, one image at a
    /// time; the pixel map is the mean of the covering squares.
    #[test]
    fn occlusion_matches_a_direct_loop() {
        let be = ReferenceBackend;
        let model = ModelKind::Net.build(5);
        let x = digit(9);
        let plan = OcclusionPlan::new(6, 4).expect("plan");
        assert_eq!(plan.side, 6);
        let occ = occlusion(&be, model.as_ref(), &x, plan).expect("occlusion");
        let class = 2;
        let base = classifier::probabilities(model.as_ref(), &be, &x)
            .expect("p")
            .data()[class];
        let drops = occ.drops(class);
        assert_eq!(drops.len(), plan.positions());
        for (i, drop) in drops.iter().enumerate() {
            let mut hidden = x.clone();
            let (y0, x0) = plan.corner(i);
            for y in y0..y0 + 6 {
                for c in x0..x0 + 6 {
                    hidden.data_mut()[y * SIDE + c] = blank();
                }
            }
            let p = classifier::probabilities(model.as_ref(), &be, &hidden)
                .expect("p")
                .data()[class];
            assert!((drop - (base - p)).abs() < 1e-6, "position {i}");
        }
        let map = occ.map(class);
        // Pixel (5, 5) lies in the squares at corners (0,0) and (4,4)… of rows/cols 0 and 1.
        let want = (drops[0] + drops[1] + drops[plan.side] + drops[plan.side + 1]) / 4.0;
        assert!((map[5 * SIDE + 5] - want).abs() < 1e-6);
        // Pixel (0, 0) only in the first; the last two rows/columns in none (24 + 4 = 28 …).
        assert_eq!(map[0], drops[0]);
        assert_eq!(plan.corner(plan.positions() - 1), (20, 20));
        assert_eq!(map[27 * SIDE + 27], 0.0);
    }

    #[test]
    fn bad_plans_and_shapes_are_errors() {
        assert!(OcclusionPlan::new(0, 1).is_err());
        assert!(OcclusionPlan::new(3, 0).is_err());
        assert!(OcclusionPlan::new(29, 1).is_err());
        assert_eq!(OcclusionPlan::new(28, 5).expect("plan").positions(), 1);
        let model = ModelKind::Net.build(0);
        let be = ReferenceBackend;
        assert!(saliency(&be, model.as_ref(), &Tensor::zeros(&[2, 1, 28, 28]), 0).is_err());
        assert!(saliency(&be, model.as_ref(), &Tensor::zeros(&[1, 1, 28, 28]), 10).is_err());
        let plan = OcclusionPlan::new(4, 4).expect("plan");
        assert!(Occluded::new(plan, vec![0.1; 10], vec![0.0; 5]).is_err());
    }
}
