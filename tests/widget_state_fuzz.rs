//! The URL-state parser never panics: a million inputs — random bytes, and valid states with
//! random edits (the kind of damage a link suffers) — each give a state within range.

use convscope::train::checkpoint::TrainSettings;
use convscope::widget_state::{
    BackwardState, BuilderState, ChannelsState, ConvState, CostState, DepthState, FlattenState,
    GalleryState, InceptionState, PointwiseState, PoolState, RasterState, ShapesState,
    TransposeState, WhyState, WidgetState, parse, to_json,
};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

const ALPHABET: &[u8] =
    br#"{}[]:,"0123456789-.eE+ntrufalsekpadingstridechxyzConvMaxPoolReluFlattenLinear\ "#;

fn mutate(rng: &mut Pcg64, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..rng.random_range(1..6) {
        let at = rng.random_range(0..=bytes.len());
        match rng.random_range(0..4) {
            0 if at < bytes.len() => {
                bytes.remove(at);
            }
            1 => bytes.insert(at, ALPHABET[rng.random_range(0..ALPHABET.len())]),
            2 => {
                let digits = rng.random_range(1..12);
                for _ in 0..digits {
                    bytes.insert(at, b'0' + rng.random_range(0..10u8));
                }
            }
            _ if at < bytes.len() => bytes[at] = rng.random(),
            _ => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn hammer<T: WidgetState + std::fmt::Debug>(rng: &mut Pcg64, n: usize) {
    let valid = to_json(&T::default());
    for i in 0..n {
        let text = if i % 4 == 0 {
            let len = rng.random_range(0..64);
            (0..len)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect()
        } else {
            mutate(rng, &valid)
        };
        let (state, _notes) = parse::<T>(&text);
        // Clamping is idempotent: what comes out needs no further adjustment.
        let mut again = state.clone();
        let mut notes = Vec::new();
        again.clamp(&mut notes);
        assert!(
            notes.is_empty(),
            "{text:?} → {state:?} still needs {notes:?}"
        );
    }
}

#[test]
fn a_million_damaged_links_never_panic_and_stay_in_range() {
    let mut rng = Pcg64::seed_from_u64(7);
    hammer::<ConvState>(&mut rng, 200_000);
    hammer::<PoolState>(&mut rng, 200_000);
    hammer::<ChannelsState>(&mut rng, 200_000);
    hammer::<CostState>(&mut rng, 100_000);
    hammer::<PointwiseState>(&mut rng, 100_000);
    hammer::<BackwardState>(&mut rng, 50_000);
    hammer::<TransposeState>(&mut rng, 50_000);
    hammer::<WhyState>(&mut rng, 50_000);
    hammer::<FlattenState>(&mut rng, 50_000);
    hammer::<RasterState>(&mut rng, 50_000);
    hammer::<InceptionState>(&mut rng, 50_000);
    // The MNIST and training widgets' states (issue 17, item 6).
    hammer::<BuilderState>(&mut rng, 100_000);
    hammer::<ShapesState>(&mut rng, 25_000);
    hammer::<GalleryState>(&mut rng, 25_000);
    hammer::<DepthState>(&mut rng, 25_000);
    hammer::<TrainSettings>(&mut rng, 50_000);
}

#[test]
fn out_of_range_values_are_clamped_with_a_note() {
    let (s, notes) = parse::<ConvState>(r#"{"n":40,"stride":0,"input":[1,2]}"#);
    assert_eq!((s.n, s.stride, s.input.len()), (16, 1, 256));
    assert_eq!(
        notes,
        ["n 40 → 16", "stride 0 → 1", "input: 2 values → 256"]
    );
    let (s, notes) = parse::<CostState>(r#"{"k":40}"#);
    assert_eq!(s.k, 11);
    assert_eq!(notes, ["k 40 → 11"]);
}

#[test]
fn embed_addresses_never_panic() {
    use convscope::embed::{embed_slug, parse as parse_embed};
    let mut rng = Pcg64::seed_from_u64(8);
    for _ in 0..200_000 {
        let len = rng.random_range(0..40);
        let text: String = (0..len)
            .map(|_| {
                if rng.random_range(0..8) == 0 {
                    char::from_u32(rng.random_range(0..0x11_000)).unwrap_or('?')
                } else {
                    ALPHABET[rng.random_range(0..ALPHABET.len())] as char
                }
            })
            .collect();
        let hash = format!("#/embed/{text}");
        let slug = embed_slug(&hash).unwrap_or("");
        let e = parse_embed(slug, Some(&text));
        assert!(e.hide.len() <= 12);
    }
}
