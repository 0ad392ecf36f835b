//! Build a network layer by layer and see every shape — the lesson's "build and test layer by
//! layer". Each layer's output shape, parameters and multiplications come from the layers'
//! own shape rules; the walk stops at the first layer that does not fit, saying why and what
//! to change (the lesson's `Linear(320, 10)` that no longer fits another image size, a conv
//! whose `in_channels` disagree with the previous layer, a missing flatten).

use super::inception;
use crate::error::ShapeError;
use crate::layers::{Conv2dParams, LinearParams, Pool2dParams};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a layer does not fit where it is. The English text is `Display`; the app translates each
/// variant from its fields (`convscope::i18n::core_errors`).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum BuildError {
    /// A conv or pool after the flatten.
    #[error("{layer} needs a (B, C, H, W) input but gets {got:?}: put it before the flatten")]
    NeedsImage {
        /// The layer as code.
        layer: String,
        /// The shape it gets.
        got: Vec<usize>,
    },
    /// A conv whose in_channels disagree with the previous layer.
    #[error(
        "{layer} expects {expected} input channels but the previous layer gives {got}: set in_channels to {got}"
    )]
    Channels {
        /// The layer as code.
        layer: String,
        /// Its in_channels.
        expected: usize,
        /// The channels it gets.
        got: usize,
    },
    /// A Linear before any flatten.
    #[error("{layer} needs (B, features) but gets {got:?}: add a flatten before it")]
    NeedsFeatures {
        /// The layer as code.
        layer: String,
        /// The shape it gets.
        got: Vec<usize>,
    },
    /// A Linear whose in_features disagree with what arrives.
    #[error(
        "{layer} expects {expected} features but gets {got}: use nn.Linear({got}, {out}), \
         or change the layers before it (or the image size) so that {expected} arrive"
    )]
    Features {
        /// The layer as code.
        layer: String,
        /// Its in_features.
        expected: usize,
        /// Its out_features.
        out: usize,
        /// The features it gets.
        got: usize,
    },
    /// A shape rule of the layer itself (kernel too large, a zero, a count too large).
    #[error("{layer}: {error}")]
    Shape {
        /// The layer as code.
        layer: String,
        /// The rule it breaks.
        error: ShapeError,
    },
}

fn too_large(what: &'static str) -> ShapeError {
    ShapeError::TooLarge {
        what,
        limit: u64::MAX,
    }
}

/// One layer of the builder, with PyTorch's arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Layer {
    /// `nn.Conv2d(cin, cout, kernel_size=k, stride, padding)`.
    Conv {
        /// in_channels.
        cin: usize,
        /// out_channels.
        cout: usize,
        /// kernel_size.
        k: usize,
        /// stride.
        stride: usize,
        /// padding.
        padding: usize,
    },
    /// `nn.MaxPool2d(k)`.
    MaxPool {
        /// kernel_size (= stride).
        k: usize,
    },
    /// `nn.ReLU()`.
    Relu,
    /// `x.view(batch, -1)`.
    Flatten,
    /// `nn.Linear(fin, fout)`.
    Linear {
        /// in_features.
        fin: usize,
        /// out_features.
        fout: usize,
    },
    /// The course's `ResidualBlock(c)`: `relu(x + conv2(relu(conv1(x))))` with two 3 × 3,
    /// padding-1 convolutions of `c` channels; the shape passes through unchanged.
    Residual {
        /// Its channels (in = out).
        c: usize,
    },
    /// The course's `InceptionA(in_channels)`: four branches concatenated to 88 channels of the
    /// same height and width ([`crate::models::inception::branches`]).
    Inception {
        /// in_channels.
        cin: usize,
    },
}

impl Layer {
    /// `nn.Conv2d(cin, cout, kernel_size=k, stride, padding)`.
    pub const fn conv(cin: usize, cout: usize, k: usize, stride: usize, padding: usize) -> Layer {
        Layer::Conv {
            cin,
            cout,
            k,
            stride,
            padding,
        }
    }

    /// The layer's arguments by name, as the builder edits them ("in", "out", "k", "stride",
    /// "padding"): mutable, so one list serves editing and clamping.
    pub fn fields_mut(&mut self) -> Vec<(&'static str, &mut usize)> {
        match self {
            Layer::Conv {
                cin,
                cout,
                k,
                stride,
                padding,
            } => vec![
                ("in", cin),
                ("out", cout),
                ("k", k),
                ("stride", stride),
                ("padding", padding),
            ],
            Layer::MaxPool { k } => vec![("k", k)],
            Layer::Linear { fin, fout } => vec![("in", fin), ("out", fout)],
            Layer::Residual { c } => vec![("c", c)],
            Layer::Inception { cin } => vec![("in", cin)],
            Layer::Relu | Layer::Flatten => Vec::new(),
        }
    }

    /// The layer's arguments by name (see [`Layer::fields_mut`]).
    pub fn fields(&self) -> Vec<(&'static str, usize)> {
        let mut copy = *self;
        copy.fields_mut()
            .into_iter()
            .map(|(n, v)| (n, *v))
            .collect()
    }

    /// The layer as PyTorch code.
    pub fn code(&self) -> String {
        match *self {
            Layer::Conv {
                cin,
                cout,
                k,
                stride,
                padding,
            } => {
                let mut s = format!("nn.Conv2d({cin}, {cout}, kernel_size={k}");
                if stride != 1 {
                    s += &format!(", stride={stride}");
                }
                if padding != 0 {
                    s += &format!(", padding={padding}");
                }
                s + ")"
            }
            Layer::MaxPool { k } => format!("nn.MaxPool2d({k})"),
            Layer::Relu => "nn.ReLU()".into(),
            Layer::Flatten => "x.view(batch, -1)".into(),
            Layer::Linear { fin, fout } => format!("nn.Linear({fin}, {fout})"),
            Layer::Residual { c } => format!("ResidualBlock({c})"),
            Layer::Inception { cin } => format!("InceptionA(in_channels={cin})"),
        }
    }
}

/// One layer that fits: its output shape and cost.
#[derive(Clone, Debug, PartialEq)]
pub struct BuiltRow {
    /// The layer as PyTorch code.
    pub code: String,
    /// Output shape.
    pub output: Vec<usize>,
    /// Learnable parameters (u64: a learner can ask for huge layers).
    pub params: u64,
    /// Multiplications for the whole batch.
    pub mults: u64,
}

/// The walk through the layers.
#[derive(Clone, Debug, PartialEq)]
pub struct Built {
    /// The layers that fit, in order.
    pub rows: Vec<BuiltRow>,
    /// The first layer that does not fit: its index and the reason with the fix.
    pub error: Option<(usize, BuildError)>,
}

impl Built {
    /// Parameters of the layers that fit (`None` if the sum does not fit in u64).
    pub fn params(&self) -> Option<u64> {
        self.rows
            .iter()
            .try_fold(0u64, |acc, r| acc.checked_add(r.params))
    }
}

/// The lesson's Net as builder layers.
pub fn lesson_net() -> Vec<Layer> {
    vec![
        Layer::conv(1, 10, 5, 1, 0),
        Layer::MaxPool { k: 2 },
        Layer::Relu,
        Layer::conv(10, 20, 5, 1, 0),
        Layer::MaxPool { k: 2 },
        Layer::Relu,
        Layer::Flatten,
        Layer::Linear { fin: 320, fout: 10 },
    ]
}

/// The course's residual network as builder layers (`relu` before `mp`, as its forward has it).
pub fn lesson_resnet() -> Vec<Layer> {
    vec![
        Layer::conv(1, 16, 5, 1, 0),
        Layer::Relu,
        Layer::MaxPool { k: 2 },
        Layer::Residual { c: 16 },
        Layer::conv(16, 32, 5, 1, 0),
        Layer::Relu,
        Layer::MaxPool { k: 2 },
        Layer::Residual { c: 32 },
        Layer::Flatten,
        Layer::Linear { fin: 512, fout: 10 },
    ]
}

/// The course's Inception network as builder layers.
pub fn lesson_inception() -> Vec<Layer> {
    vec![
        Layer::conv(1, 10, 5, 1, 0),
        Layer::MaxPool { k: 2 },
        Layer::Relu,
        Layer::Inception { cin: 10 },
        Layer::conv(88, 20, 5, 1, 0),
        Layer::MaxPool { k: 2 },
        Layer::Relu,
        Layer::Inception { cin: 20 },
        Layer::Flatten,
        Layer::Linear {
            fin: 1408,
            fout: 10,
        },
    ]
}

/// The convolutions a conv layer or block is made of, in PyTorch's registration order, with
/// the channels it takes and puts out; `None` for layers without convolutions. Every
/// convolution of a block keeps the height and width (3 × 3 with padding 1, or the Inception
/// branches' "same" padding).
fn convolutions(layer: &Layer) -> Option<(Vec<Conv2dParams>, usize, usize)> {
    match *layer {
        Layer::Conv {
            cin,
            cout,
            k,
            stride,
            padding,
        } => Some((
            vec![
                Conv2dParams::new(cin, cout, k)
                    .stride(stride)
                    .padding(padding),
            ],
            cin,
            cout,
        )),
        Layer::Residual { c } => {
            let p = Conv2dParams::new(c, c, 3).padding(1);
            Some((vec![p, p], c, c))
        }
        Layer::Inception { cin } => {
            let branches = inception::branches(cin);
            let mut cout = 0usize;
            let mut convs = Vec::new();
            for branch in branches {
                for l in branch.layers {
                    if let inception::Layer::Conv(p) = l {
                        convs.push(p);
                    }
                }
                cout += convs.last().map_or(0, |p| p.out_channels);
            }
            Some((convs, cin, cout))
        }
        _ => None,
    }
}

/// A conv layer or block on `input`: its output shape, parameters and multiplications.
fn conv_step(
    (convs, cin, cout): (Vec<Conv2dParams>, usize, usize),
    code: String,
    input: [usize; 4],
    shape_error: &dyn Fn(ShapeError) -> BuildError,
) -> Result<BuiltRow, BuildError> {
    if input[1] != cin {
        return Err(BuildError::Channels {
            layer: code,
            expected: cin,
            got: input[1],
        });
    }
    let mut out = input;
    let (mut params, mut mults) = (0u64, 0u64);
    for p in &convs {
        let o = p
            .output_shape([input[0], p.in_channels, input[2], input[3]])
            .map_err(shape_error)?;
        out = [o[0], cout, o[2], o[3]];
        mults = p
            .mults(input[2], input[3])
            .map_err(shape_error)?
            .checked_mul(input[0] as u64)
            .and_then(|m| m.checked_add(mults))
            .ok_or_else(|| shape_error(too_large("the number of multiplications")))?;
        params = p
            .weight_shape()
            .iter()
            .try_fold(1u64, |acc, &d| acc.checked_mul(d as u64))
            .and_then(|w| w.checked_add(p.out_channels as u64))
            .and_then(|n| n.checked_add(params))
            .ok_or_else(|| shape_error(too_large("the number of parameters")))?;
    }
    Ok(BuiltRow {
        code,
        output: out.to_vec(),
        params,
        mults,
    })
}

fn step(layer: &Layer, shape: &[usize]) -> Result<BuiltRow, BuildError> {
    let code = layer.code();
    let shape_error = |error: ShapeError| BuildError::Shape {
        layer: code.clone(),
        error,
    };
    let spatial = || -> Result<[usize; 4], BuildError> {
        match *shape {
            [n, c, h, w] => Ok([n, c, h, w]),
            _ => Err(BuildError::NeedsImage {
                layer: code.clone(),
                got: shape.to_vec(),
            }),
        }
    };
    if let Some(block) = convolutions(layer) {
        return conv_step(block, code.clone(), spatial()?, &shape_error);
    }
    match *layer {
        Layer::Conv { .. } | Layer::Residual { .. } | Layer::Inception { .. } => {
            unreachable!("convolutions() covers the conv layers and blocks")
        }
        Layer::MaxPool { k } => {
            let input = spatial()?;
            let out = Pool2dParams::new(k)
                .output_shape(input)
                .map_err(shape_error)?;
            Ok(BuiltRow {
                code,
                output: out.to_vec(),
                params: 0,
                mults: 0,
            })
        }
        Layer::Relu => Ok(BuiltRow {
            code,
            output: shape.to_vec(),
            params: 0,
            mults: 0,
        }),
        Layer::Flatten => {
            // In usize (the shape's own type: 32 bits on wasm32), checked.
            let features = shape[1..]
                .iter()
                .try_fold(1usize, |acc, &d| acc.checked_mul(d))
                .ok_or_else(|| shape_error(too_large("the number of features")))?;
            Ok(BuiltRow {
                code,
                output: vec![shape[0], features],
                params: 0,
                mults: 0,
            })
        }
        Layer::Linear { fin, fout } => {
            let features = match *shape {
                [_, f] => f,
                _ => {
                    return Err(BuildError::NeedsFeatures {
                        layer: code,
                        got: shape.to_vec(),
                    });
                }
            };
            if features != fin {
                return Err(BuildError::Features {
                    layer: code,
                    expected: fin,
                    out: fout,
                    got: features,
                });
            }
            let p = LinearParams::new(fin, fout);
            let out = p.output_shape(shape).map_err(shape_error)?;
            let params = (fin as u64)
                .checked_mul(fout as u64)
                .and_then(|w| w.checked_add(fout as u64))
                .ok_or_else(|| shape_error(too_large("the number of parameters")))?;
            let mults = (shape[0] as u64)
                .checked_mul(fin as u64)
                .and_then(|m| m.checked_mul(fout as u64))
                .ok_or_else(|| shape_error(too_large("the number of multiplications")))?;
            Ok(BuiltRow {
                code,
                output: out.to_vec(),
                params,
                mults,
            })
        }
    }
}

/// A kind of layer the builder can add.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayerKind {
    /// `nn.Conv2d`.
    Conv,
    /// `nn.MaxPool2d`.
    MaxPool,
    /// `nn.ReLU`.
    Relu,
    /// `x.view(batch, -1)`.
    Flatten,
    /// `nn.Linear`.
    Linear,
    /// The course's `ResidualBlock`.
    Residual,
    /// The course's `InceptionA`.
    Inception,
}

impl LayerKind {
    /// A new layer of this kind that fits an input of shape `input` where it can: a conv takes
    /// its channels, a Linear its features (16 and 10 out, a 3 × 3 kernel, a 2 × 2 pool).
    pub fn new_layer(self, input: &[usize]) -> Layer {
        match self {
            LayerKind::Conv => Layer::Conv {
                cin: input.get(1).copied().unwrap_or(1),
                cout: 16,
                k: 3,
                stride: 1,
                padding: 0,
            },
            LayerKind::MaxPool => Layer::MaxPool { k: 2 },
            LayerKind::Relu => Layer::Relu,
            LayerKind::Flatten => Layer::Flatten,
            LayerKind::Linear => Layer::Linear {
                fin: input
                    .iter()
                    .skip(1)
                    .try_fold(1usize, |acc, &d| acc.checked_mul(d))
                    .unwrap_or(0),
                fout: 10,
            },
            LayerKind::Residual => Layer::Residual {
                c: input.get(1).copied().unwrap_or(1),
            },
            LayerKind::Inception => Layer::Inception {
                cin: input.get(1).copied().unwrap_or(1),
            },
        }
    }
}

impl Built {
    /// Where the first flatten's features come from, if the walk got past it: the feature count
    /// and the `(C, H, W)` it flattens (the lesson's 320 = 20 × 4 × 4; 512 = 32 × 4 × 4 for the
    /// residual net, 1408 = 88 × 4 × 4 for the Inception net).
    pub fn flatten_origin(
        &self,
        input: [usize; 4],
        layers: &[Layer],
    ) -> Option<(usize, Vec<usize>)> {
        let at = layers.iter().position(|l| *l == Layer::Flatten)?;
        let features = *self.rows.get(at)?.output.get(1)?;
        Some((features, self.shape_at(input, at).split_off(1)))
    }

    /// The shape that reaches position `at` (the input of the layer there, or of a layer
    /// inserted there): the input for 0, else the output of the layer before, or of the last
    /// layer that fits when the walk stopped earlier.
    pub fn shape_at(&self, input: [usize; 4], at: usize) -> Vec<usize> {
        match at.checked_sub(1) {
            None => input.to_vec(),
            Some(before) => self
                .rows
                .get(before)
                .or(self.rows.last())
                .map_or_else(|| input.to_vec(), |r| r.output.clone()),
        }
    }
}

/// Inserts `layer` before position `at` (at the end when `at` is past it); returns where it went.
pub fn insert_layer(layers: &mut Vec<Layer>, at: usize, layer: Layer) -> usize {
    let at = at.min(layers.len());
    layers.insert(at, layer);
    at
}

/// Moves the layer at `from` one place up (`up`) or down; returns its new position, or `None`
/// when it cannot move (already first or last, or no such layer).
pub fn move_layer(layers: &mut [Layer], from: usize, up: bool) -> Option<usize> {
    let to = if up {
        from.checked_sub(1)?
    } else {
        from.checked_add(1)?
    };
    if from >= layers.len() || to >= layers.len() {
        return None;
    }
    layers.swap(from, to);
    Some(to)
}

/// Walks `layers` from an input of shape `input`, stopping at the first that does not fit.
pub fn build(input: [usize; 4], layers: &[Layer]) -> Built {
    let mut shape = input.to_vec();
    let mut rows = Vec::new();
    for (i, layer) in layers.iter().enumerate() {
        match step(layer, &shape) {
            Ok(row) => {
                shape = row.output.clone();
                rows.push(row);
            }
            Err(e) => {
                return Built {
                    rows,
                    error: Some((i, e)),
                };
            }
        }
    }
    Built { rows, error: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flatten_inserted_before_the_linear_fixes_the_net() {
        // The lesson's Net without its flatten: the Linear asks for one before it.
        let mut layers = lesson_net();
        layers.remove(6);
        let input = [1, 1, 28, 28];
        let b = build(input, &layers);
        let (at, why) = b.error.clone().expect("an error");
        assert_eq!(at, 6);
        assert!(matches!(why, BuildError::NeedsFeatures { .. }), "{why}");
        assert_eq!(b.shape_at(input, at), [1, 20, 4, 4]);
        let new = LayerKind::Flatten.new_layer(&b.shape_at(input, at));
        assert_eq!(insert_layer(&mut layers, at, new), 6);
        assert_eq!(layers, lesson_net());
        assert_eq!(build(input, &layers).error, None);
        // Past the end means at the end.
        assert_eq!(insert_layer(&mut layers, 99, Layer::Relu), 8);
        assert_eq!(layers.last(), Some(&Layer::Relu));
    }

    #[test]
    fn layers_move_up_and_down_within_the_list() {
        let mut layers = vec![Layer::Relu, Layer::Flatten, Layer::MaxPool { k: 2 }];
        assert_eq!(move_layer(&mut layers, 0, true), None);
        assert_eq!(move_layer(&mut layers, 2, false), None);
        assert_eq!(move_layer(&mut layers, 7, true), None);
        assert_eq!(move_layer(&mut layers, 2, true), Some(1));
        assert_eq!(
            layers,
            [Layer::Relu, Layer::MaxPool { k: 2 }, Layer::Flatten]
        );
        assert_eq!(move_layer(&mut layers, 0, false), Some(1));
        assert_eq!(
            layers,
            [Layer::MaxPool { k: 2 }, Layer::Relu, Layer::Flatten]
        );
        // A pool moved after the flatten no longer fits, and the walk says so.
        let mut net = lesson_net();
        assert_eq!(move_layer(&mut net, 6, true), Some(5));
        assert_eq!(move_layer(&mut net, 5, true), Some(4));
        let (at, why) = build([1, 1, 28, 28], &net).error.expect("an error");
        assert_eq!(at, 5);
        assert!(matches!(why, BuildError::NeedsImage { .. }), "{why}");
    }

    #[test]
    fn new_layers_fit_the_shape_where_they_go() {
        let b = build([1, 1, 28, 28], &lesson_net());
        let input = [1, 1, 28, 28];
        assert_eq!(
            LayerKind::Conv.new_layer(&b.shape_at(input, 3)),
            Layer::Conv {
                cin: 10,
                cout: 16,
                k: 3,
                stride: 1,
                padding: 0
            }
        );
        assert_eq!(
            LayerKind::Linear.new_layer(&b.shape_at(input, 6)),
            Layer::Linear { fin: 320, fout: 10 }
        );
        assert_eq!(b.shape_at(input, 0), [1, 1, 28, 28]);
        assert_eq!(b.shape_at(input, 8), [1, 10]);
        assert_eq!(b.shape_at(input, 50), [1, 10]);
    }

    #[test]
    fn the_lesson_net_has_8490_parameters_and_its_shapes() {
        let b = build([1, 1, 28, 28], &lesson_net());
        assert_eq!(b.error, None);
        assert_eq!(b.params(), Some(8490));
        let shapes: Vec<Vec<usize>> = b.rows.iter().map(|r| r.output.clone()).collect();
        assert_eq!(shapes[0], [1, 10, 24, 24]);
        assert_eq!(shapes[4], [1, 20, 4, 4]);
        assert_eq!(shapes[6], [1, 320]);
        assert_eq!(shapes[7], [1, 10]);
        // Multiplications: conv1 24·24·10·25, conv2 8·8·20·250, fc 3200.
        assert_eq!(b.rows[0].mults, 144_000);
        assert_eq!(b.rows[3].mults, 320_000);
        assert_eq!(b.rows[7].mults, 3_200);
    }

    /// The deeper nets' blocks count what the trained models hold: 41,514 and 97,298
    /// parameters, and the fc inputs 512 = 32 × 4 × 4 and 1408 = 88 × 4 × 4.
    #[test]
    fn the_deeper_nets_as_layers_match_the_models() {
        use crate::models::classifier::ModelKind;
        let input = [1, 1, 28, 28];
        for (layers, kind, flat, from) in [
            (lesson_net(), ModelKind::Net, 320, vec![20, 4, 4]),
            (lesson_resnet(), ModelKind::ResNet, 512, vec![32, 4, 4]),
            (
                lesson_inception(),
                ModelKind::Inception,
                1408,
                vec![88, 4, 4],
            ),
        ] {
            let b = build(input, &layers);
            assert_eq!(b.error, None, "{kind:?}");
            assert_eq!(b.params(), Some(kind.param_count() as u64), "{kind:?}");
            assert_eq!(
                b.flatten_origin(input, &layers),
                Some((flat, from)),
                "{kind:?}"
            );
            assert_eq!(b.rows.last().map(|r| r.output.clone()), Some(vec![1, 10]));
        }
        let r = build(input, &lesson_resnet());
        // conv1 24·24·16·25; rblock1 two 16→16 3 × 3 on 12 × 12; rblock2 two 32→32 on 4 × 4.
        assert_eq!(r.rows[0].mults, 230_400);
        assert_eq!(r.rows[3].mults, 2 * 12 * 12 * 16 * 16 * 9);
        assert_eq!(r.rows[3].output, [1, 16, 12, 12]);
        assert_eq!(r.rows[7].mults, 2 * 4 * 4 * 32 * 32 * 9);
        let i = build(input, &lesson_inception());
        assert_eq!(i.rows[3].output, [1, 88, 12, 12]);
        // The module's own summary (the Inception widget's numbers) agrees.
        let m = inception::summary([1, 10, 12, 12]).expect("summary");
        let sum: u64 = m
            .branches
            .iter()
            .flat_map(|(_, rows)| rows)
            .map(|r| r.mults)
            .sum();
        assert_eq!(i.rows[3].mults, sum);
        // A block whose channels disagree says so.
        let (at, why) = build(input, &[Layer::Residual { c: 4 }])
            .error
            .expect("an error");
        assert_eq!(at, 0);
        assert!(why.to_string().contains("set in_channels to 1"), "{why}");
        assert_eq!(
            LayerKind::Inception.new_layer(&[1, 20, 4, 4]),
            Layer::Inception { cin: 20 }
        );
    }

    #[test]
    fn another_image_size_breaks_the_linear_layer_with_the_fix() {
        let b = build([1, 1, 32, 32], &lesson_net());
        let (at, why) = b.error.expect("an error");
        let why = why.to_string();
        assert_eq!(at, 7);
        assert!(
            why.contains("expects 320 features but gets 500") && why.contains("nn.Linear(500, 10)"),
            "{why}"
        );
    }

    #[test]
    fn channel_and_flatten_mistakes_are_explained() {
        let mut layers = lesson_net();
        layers[3] = Layer::conv(16, 20, 5, 1, 0);
        let (at, why) = build([1, 1, 28, 28], &layers).error.expect("an error");
        let why = why.to_string();
        assert_eq!(at, 3);
        assert!(why.contains("set in_channels to 10"), "{why}");
        let (at, why) = build([1, 1, 28, 28], &[Layer::Linear { fin: 784, fout: 10 }])
            .error
            .expect("an error");
        let why = why.to_string();
        assert_eq!(at, 0);
        assert!(why.contains("add a flatten"), "{why}");
        let (_, why) = build([1, 1, 4, 4], &[Layer::conv(1, 1, 5, 1, 0)])
            .error
            .expect("an error");
        let why = why.to_string();
        assert!(why.contains("larger than the padded input"), "{why}");
    }

    #[test]
    fn huge_layers_are_counted_without_wrapping() {
        let b = build([1, 4096, 64, 64], &[Layer::conv(4096, 4096, 64, 1, 0)]);
        assert_eq!(b.error, None);
        assert_eq!(b.rows[0].params, 4096u64 * 4096 * 64 * 64 + 4096);
        assert_eq!(b.rows[0].mults, 4096u64 * 4096 * 64 * 64);
    }

    /// The builder's own limits (4096 channels, kernel and padding, a 512 image) reach counts
    /// past u64: they are "too large", never a wrapped number (a wrap panicked in this debug
    /// test and showed a wrong count in the release build).
    #[test]
    fn counts_past_u64_are_too_large_not_wrapped() {
        let b = build(
            [1, 4096, 512, 512],
            &[Layer::conv(4096, 4096, 4096, 1, 4096)],
        );
        let (at, why) = b.error.expect("too large");
        assert_eq!(at, 0);
        assert!(
            matches!(
                why,
                BuildError::Shape {
                    error: ShapeError::TooLarge { .. },
                    ..
                }
            ),
            "{why}"
        );
        assert!(why.to_string().contains("too large"), "{why}");
        // A linear layer whose multiplications overflow with a big batch.
        let b = build(
            [usize::MAX / 2, 1, 1, 1],
            &[Layer::Flatten, Layer::Linear { fin: 1, fout: 4096 }],
        );
        assert!(b.error.is_some_and(|(at, _)| at == 1));
    }

    /// On wasm32 a flatten of 4096 × 1000 × 1000 wraps a 32-bit usize; natively it does not,
    /// so this checks the arithmetic with the largest native shape that overflows.
    #[test]
    fn a_flatten_that_overflows_usize_is_too_large() {
        let b = build([1, usize::MAX / 2, 3, 1], &[Layer::Flatten]);
        let (at, why) = b.error.expect("too large");
        assert_eq!(at, 0);
        assert!(
            why.to_string()
                .contains("the number of features is too large"),
            "{why}"
        );
    }
}
