//! The layer-code reader never panics: a million inputs — random text over the characters code
//! uses, and valid layer calls with random edits (what typing and pasting do) — each give a
//! layer or an error, and a valid call gives back what it says.

use convscope::layer_code::{CodeError, LayerCode, find};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

const ALPHABET: &[u8] = b"nn.Conv2dMaxPoolAvgF.conv_max_poolavg(),=[]'\"# \n\\0123456789-+.eE_kernel_sizestridepaddingdilationgroupsbiasTrueFalseNonesame\xe4\xb8\xad";

const VALID: &[&str] = &[
    "nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1, dilation=1, groups=1, bias=True)",
    "conv = torch.nn.Conv2d(1, 1, kernel_size=(3, 3), stride=1, padding='same')",
    "F.conv2d(x, w, bias=None, stride=2, padding=1, dilation=2, groups=1)",
    "nn.MaxPool2d(2)",
    "nn.AvgPool2d(3, stride=1, padding=1)",
    "F.max_pool2d(x, kernel_size=(2, 2), stride=None)",
];

fn mutate(rng: &mut Pcg64, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..rng.random_range(1..6) {
        let at = rng.random_range(0..=bytes.len());
        match rng.random_range(0..5) {
            0 if at < bytes.len() => {
                bytes.remove(at);
            }
            1 => bytes.insert(at, ALPHABET[rng.random_range(0..ALPHABET.len())]),
            2 => {
                for _ in 0..rng.random_range(1..25) {
                    bytes.insert(at, b'0' + rng.random_range(0..10u8));
                }
            }
            3 => {
                // Nesting: brackets opened many times.
                for _ in 0..rng.random_range(1..40) {
                    bytes.insert(at, if rng.random() { b'(' } else { b'[' });
                }
            }
            _ if at < bytes.len() => bytes[at] = rng.random(),
            _ => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn a_million_inputs_never_panic() {
    let mut rng = Pcg64::seed_from_u64(7);
    let (mut layers, mut errors) = (0usize, 0usize);
    for i in 0..1_000_000 {
        let text = if i % 2 == 0 {
            let len = rng.random_range(0..80);
            let bytes: Vec<u8> = (0..len)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())])
                .collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            let valid = VALID[rng.random_range(0..VALID.len())];
            mutate(&mut rng, valid)
        };
        match find(&text) {
            Ok(LayerCode::Conv(_) | LayerCode::Pool(_)) => layers += 1,
            Err(e) => {
                // Every error has a message to show.
                assert!(!e.to_string().is_empty());
                errors += 1;
            }
        }
    }
    // Both outcomes are exercised.
    assert!(
        layers > 10_000 && errors > 10_000,
        "{layers} layers, {errors} errors"
    );
    for v in VALID {
        assert!(find(v).is_ok(), "{v}");
    }
    assert_eq!(find(""), Err(CodeError::NoLayer));
}
