//! MNIST as the lesson loads it: `ToTensor()` (bytes / 255) then `Normalize((0.1307,), (0.3081,))`,
//! in batches, shuffled by a seeded generator (`DataLoader(shuffle=True)`).

use crate::formats::idx::{IdxError, parse_u8};
use crate::tensor::Tensor;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_pcg::Pcg64Mcg;

/// The lesson's normalisation mean.
pub const MNIST_MEAN: f32 = 0.1307;
/// The lesson's normalisation standard deviation.
pub const MNIST_STD: f32 = 0.3081;
/// Image side.
pub const SIDE: usize = 28;

/// Images and labels of one MNIST split.
#[derive(Clone, Debug)]
pub struct Mnist {
    /// `count × 28 × 28` grey bytes.
    pub images: Vec<u8>,
    /// `count` labels, 0 to 9.
    pub labels: Vec<u8>,
}

impl Mnist {
    /// Parses an images file and a labels file (IDX, gzipped or not) and checks they agree.
    pub fn parse(images: &[u8], labels: &[u8]) -> Result<Self, IdxError> {
        let img = parse_u8(images, "MNIST images")?;
        let lab = parse_u8(labels, "MNIST labels")?;
        if img.dims.len() != 3 || img.dims[1] != SIDE || img.dims[2] != SIDE {
            return Err(IdxError::Mismatch(format!(
                "MNIST images: dimensions {:?}, expected (count, 28, 28)",
                img.dims
            )));
        }
        if lab.dims.len() != 1 || lab.dims[0] != img.dims[0] {
            return Err(IdxError::Mismatch(format!(
                "{} images but labels of dimensions {:?}: the files are from different sets",
                img.dims[0], lab.dims
            )));
        }
        if let Some(bad) = lab.data.iter().find(|&&l| l > 9) {
            return Err(IdxError::Mismatch(format!(
                "MNIST labels: {bad} is not a digit"
            )));
        }
        Ok(Self {
            images: img.data,
            labels: lab.data,
        })
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Image `i`'s 784 bytes.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.images[i * SIDE * SIDE..(i + 1) * SIDE * SIDE]
    }

    /// The images at `indices` as a normalised `(B,1,28,28)` tensor, and their labels.
    pub fn batch(&self, indices: &[usize]) -> (Tensor, Vec<usize>) {
        let mut data = Vec::with_capacity(indices.len() * SIDE * SIDE);
        for &i in indices {
            data.extend(self.image(i).iter().map(|&p| normalize(p)));
        }
        let x = Tensor::new(&[indices.len(), 1, SIDE, SIDE], data).expect("784 values per image");
        (
            x,
            indices.iter().map(|&i| self.labels[i] as usize).collect(),
        )
    }

    /// Like [`Mnist::batch`], each image moved by a random whole number of pixels, up to
    /// `max_shift` in each direction (what comes in at the edge is blank paper): the data
    /// augmentation `--augment shift:N` of the command line. `seed` makes it reproducible.
    pub fn batch_shifted(
        &self,
        indices: &[usize],
        max_shift: usize,
        seed: u64,
    ) -> (Tensor, Vec<usize>) {
        use rand::Rng;
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let m = max_shift as i64;
        let mut data = Vec::with_capacity(indices.len() * SIDE * SIDE);
        for &i in indices {
            let (dy, dx) = (rng.random_range(-m..=m), rng.random_range(-m..=m));
            let image = self.image(i);
            for y in 0..SIDE as i64 {
                for x in 0..SIDE as i64 {
                    let (sy, sx) = (y - dy, x - dx);
                    let inside = (0..SIDE as i64).contains(&sy) && (0..SIDE as i64).contains(&sx);
                    let byte = if inside {
                        image[sy as usize * SIDE + sx as usize]
                    } else {
                        0
                    };
                    data.push(normalize(byte));
                }
            }
        }
        let x = Tensor::new(&[indices.len(), 1, SIDE, SIDE], data).expect("784 values per image");
        (
            x,
            indices.iter().map(|&i| self.labels[i] as usize).collect(),
        )
    }

    /// Indices `0..len` in batches of `batch_size`, shuffled with `seed` (None: in order). The
    /// last batch may be smaller, as with PyTorch's `DataLoader`.
    pub fn batches(&self, batch_size: usize, seed: Option<u64>) -> Vec<Vec<usize>> {
        let mut order: Vec<usize> = (0..self.len()).collect();
        if let Some(seed) = seed {
            order.shuffle(&mut Pcg64Mcg::seed_from_u64(seed));
        }
        order
            .chunks(batch_size.max(1))
            .map(<[usize]>::to_vec)
            .collect()
    }
}

/// `(byte / 255 − mean) / std`.
pub fn normalize(byte: u8) -> f32 {
    (byte as f32 / 255.0 - MNIST_MEAN) / MNIST_STD
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::idx::encode_u8;

    fn tiny() -> Mnist {
        let images = encode_u8(
            &[3, 28, 28],
            &(0..3 * 784).map(|i| (i % 256) as u8).collect::<Vec<_>>(),
        );
        let labels = encode_u8(&[3], &[7, 2, 1]);
        Mnist::parse(&images, &labels).expect("tiny set")
    }

    #[test]
    fn batches_cover_everything_once() {
        let m = tiny();
        let batches = m.batches(2, Some(9));
        assert_eq!(batches.iter().map(Vec::len).collect::<Vec<_>>(), vec![2, 1]);
        let mut all: Vec<_> = batches.concat();
        all.sort();
        assert_eq!(all, vec![0, 1, 2]);
        assert_eq!(m.batches(2, Some(9)), batches, "seeded");
        let (x, y) = m.batch(&[2, 0]);
        assert_eq!(x.shape(), &[2, 1, 28, 28]);
        assert_eq!(y, vec![1, 7]);
        assert!((x.data()[784] - normalize(0)).abs() < 1e-7);
    }

    #[test]
    fn batch_values_are_normalize_of_each_byte_exactly() {
        // The three images hold every byte value 0..=255.
        let m = tiny();
        let (x, _) = m.batch(&[0, 1, 2]);
        let bytes = (0..3).flat_map(|i| m.image(i).iter().copied());
        for (v, b) in x.data().iter().zip(bytes) {
            assert_eq!(v.to_bits(), normalize(b).to_bits(), "byte {b}");
        }
    }

    #[test]
    fn shifted_batches_move_the_ink_and_keep_the_labels() {
        let data = tiny();
        let (plain, labels) = data.batch(&[0, 1]);
        let (same, same_labels) = data.batch_shifted(&[0, 1], 0, 7);
        assert_eq!((plain.data(), &labels), (same.data(), &same_labels));
        let (a, _) = data.batch_shifted(&[0, 1], 2, 7);
        let (b, _) = data.batch_shifted(&[0, 1], 2, 7);
        assert_eq!(a.data(), b.data(), "the same seed, the same shifts");
        // No ink is created: every value is one of the image's or blank paper.
        let blank = normalize(0);
        for (v, img) in a.data().chunks(784).zip([data.image(0), data.image(1)]) {
            for &x in v {
                assert!(x == blank || img.iter().any(|&p| normalize(p) == x));
            }
        }
    }

    #[test]
    fn mismatched_files_are_reported() {
        let images = encode_u8(&[2, 28, 28], &[0; 2 * 784]);
        let labels = encode_u8(&[3], &[1, 2, 3]);
        let err = Mnist::parse(&images, &labels).unwrap_err().to_string();
        assert!(err.contains("2 images"), "{err}");
        let labels = encode_u8(&[2], &[1, 12]);
        assert!(
            Mnist::parse(&images, &labels)
                .unwrap_err()
                .to_string()
                .contains("12 is not a digit")
        );
    }
}
