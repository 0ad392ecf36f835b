//! The network view's computations equal the model's forward pass.

use super::*;
use crate::backend::cpu::SimdBackend;
use crate::models::classifier::ModelKind;
use crate::sample_digit::SAMPLE_DIGIT;
use crate::train::data::normalize;

fn seven() -> Tensor {
    Tensor::new(
        &[1, 1, 28, 28],
        SAMPLE_DIGIT.iter().map(|&b| normalize(b)).collect(),
    )
    .unwrap()
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= 1e-5 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn every_cell_of_every_model_sums_to_its_value() {
    let x = seven();
    for kind in ModelKind::ALL {
        let model = kind.build(7);
        let t = trace(model.as_ref(), &x).unwrap();
        assert_eq!(t.columns[0].name, "input");
        assert_eq!(t.columns[1].name, "conv1");
        for (col, column) in t.columns.iter().enumerate() {
            let [ch, h, w] = column.shape;
            for c in 0..ch {
                for y in 0..h {
                    for xx in 0..w {
                        let v = column.at(c, y, xx).unwrap();
                        match t.cell(model.as_ref(), col, c, y, xx).unwrap() {
                            // Same order, same precision: equal, bit for bit.
                            Cell::Conv(cell) => {
                                assert_eq!(
                                    cell.sum.to_bits(),
                                    v.to_bits(),
                                    "{kind:?} {}",
                                    column.name
                                );
                                assert_eq!(cell.channels.len(), t.columns[col - 1].shape[0]);
                            }
                            Cell::Pool(cell) => assert_eq!(cell.value.to_bits(), v.to_bits()),
                            Cell::Input(p) => assert_eq!(p, v),
                            Cell::Block(conv, k) => {
                                assert!(conv.starts_with(&column.name), "{conv}");
                                assert!(k < ch);
                            }
                        }
                    }
                }
            }
        }
        // The columns are the forward pass's: the SIMD backend's maps agree within 1e-5.
        let simd = model.feature_maps(&SimdBackend::new(), &x).unwrap();
        for (layer, column) in simd.iter().zip(&t.columns[1..]) {
            assert_eq!(layer.name, column.name);
            for (a, b) in layer.maps.data().iter().zip(&column.values) {
                assert!(close(*a, *b), "{kind:?} {}: {a} vs {b}", column.name);
            }
        }
        // fc: each logit's sum equals the model's logit; the probabilities are its softmax.
        let logits = model.logits(&SimdBackend::new(), &x).unwrap();
        for class in 0..10 {
            let fc = t.fc(model.as_ref(), class).unwrap();
            assert_eq!(fc.sum.to_bits(), t.logits[class].to_bits());
            assert!(close(fc.sum, logits.data()[class]));
            assert_eq!(fc.inputs.len(), t.flat.len());
            assert_eq!(fc.products[3], fc.weights[3] * fc.inputs[3]);
        }
        assert!((t.probs.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(t.fc(model.as_ref(), 10).is_err());
        assert!(t.cell(model.as_ref(), 1, 99, 0, 0).is_err());
    }
}

#[test]
fn windows_cells_and_names_follow_pytorch() {
    let x = seven();
    let model = ModelKind::Net.build(7);
    let t = trace(model.as_ref(), &x).unwrap();
    let names: Vec<_> = t
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.shape))
        .collect();
    assert_eq!(
        names,
        [
            ("input", [1, 28, 28]),
            ("conv1", [10, 24, 24]),
            ("relu(pool(conv1))", [10, 12, 12]),
            ("conv2", [20, 8, 8]),
            ("relu(pool(conv2))", [20, 4, 4]),
        ]
    );
    assert_eq!(t.flat.len(), 320);
    let w = t.window(3, 2, 5).unwrap();
    assert_eq!((w.column, w.y0, w.x0, w.h, w.w), (2, 2, 5, 5, 5));
    let w = t.window(4, 1, 3).unwrap();
    assert_eq!((w.column, w.y0, w.x0, w.h, w.w), (3, 2, 6, 2, 2));
    assert_eq!(t.window(0, 0, 0), None);
    let Cell::Conv(cell) = t.cell(model.as_ref(), 3, 4, 2, 5).unwrap() else {
        panic!("conv2 is a convolution")
    };
    assert_eq!(cell.weight, "conv2.weight");
    assert_eq!(cell.channels.len(), 10);
    let tap = cell.channels[6].taps[7]; // ky 1, kx 2
    assert_eq!((tap.ky, tap.kx), (1, 2));
    assert_eq!(tap.x, t.columns[2].at(6, 3, 7).unwrap());
    let w2 = classifier::param(model.as_ref(), "conv2.weight").unwrap();
    assert_eq!(tap.w, w2.data()[((4 * 10 + 6) * 5 + 1) * 5 + 2]);
    let partials: f64 = cell.channels.iter().map(|c| c.partial as f64).sum();
    assert!((partials + cell.bias as f64 - cell.sum as f64).abs() < 1e-5);
    let Cell::Pool(p) = t.cell(model.as_ref(), 4, 0, 1, 3).unwrap() else {
        panic!("a pooling")
    };
    assert_eq!(p.cells.len(), 4);
    assert!(p.cells.iter().all(|c| c.2 <= p.max));
    assert_eq!(p.value, p.max.max(0.0));
}

/// The shipped Net on the built-in 7: the numbers the browser test checks on the page
/// (tests/e2e/network.test.mjs).
#[test]
fn shipped_net_golden_numbers() {
    let bytes = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../www/models/net.safetensors"
    ));
    let model = ModelKind::Net.load(bytes).unwrap();
    let t = trace(model.as_ref(), &seven()).unwrap();
    let show = |col: usize, c, y, x| t.columns[col].at(c, y, x).unwrap();
    // Shortest round-trip decimals (`{:?}`), so these comparisons are exact.
    assert_eq!(show(1, 3, 10, 12), 0.129998);
    assert_eq!(show(3, 5, 3, 4), -0.82932675);
    assert_eq!((t.logits[7], t.probs[7]), (19.371073, 0.999998));
    let Cell::Conv(c1) = t.cell(model.as_ref(), 1, 3, 10, 12).unwrap() else {
        panic!()
    };
    assert_eq!(c1.sum, show(1, 3, 10, 12));
    let Cell::Conv(c2) = t.cell(model.as_ref(), 3, 5, 3, 4).unwrap() else {
        panic!()
    };
    assert_eq!(c2.sum, show(3, 5, 3, 4));
    assert_eq!(t.fc(model.as_ref(), 7).unwrap().sum, t.logits[7]);
    let best = (0..10)
        .max_by(|&a, &b| t.probs[a].total_cmp(&t.probs[b]))
        .unwrap();
    assert_eq!(best, 7);
}

/// Each column's receptive field agrees with the builder's walk over the same net: the Net's
/// conv1 5 × 5, after its pool 6 × 6, conv2 14 × 14, after the second pool 16 × 16.
#[test]
fn receptive_fields_per_column() {
    use crate::models::builder::{lesson_inception, lesson_net, lesson_resnet};
    use crate::models::receptive::fields;
    let x = seven();
    let size = |t: &NetworkTrace, col| t.receptive_field(col).map(|f| f.size);
    let net = trace(ModelKind::Net.build(1).as_ref(), &x).unwrap();
    let names: Vec<&str> = net.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names[..5],
        [
            "input",
            "conv1",
            "relu(pool(conv1))",
            "conv2",
            "relu(pool(conv2))"
        ]
    );
    assert_eq!(
        (1..5).map(|c| size(&net, c)).collect::<Vec<_>>(),
        [Some(5), Some(6), Some(14), Some(16)]
    );
    assert_eq!(fields(&lesson_net())[3].map(|f| f.size), Some(14));
    // The deeper nets' last map column matches the builder's last field before the flatten.
    for (kind, layers) in [
        (ModelKind::ResNet, lesson_resnet()),
        (ModelKind::Inception, lesson_inception()),
    ] {
        let t = trace(kind.build(1).as_ref(), &x).unwrap();
        let last = t.columns.len() - 1;
        let builder = fields(&layers)[layers.len() - 3];
        assert_eq!(t.receptive_field(last), builder, "{kind:?}");
    }
    let f = net.receptive_field(3).unwrap();
    assert_eq!(f.window(3, 4, 28, 28), (6, 8, 20, 22));
}
