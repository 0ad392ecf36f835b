//! The network view's numbers: one model's whole forward pass for one 28 × 28 image, as columns
//! of maps (input → conv1 → relu(pool(conv1)) → … → flatten → fc → the ten probabilities), and
//! for any cell of any column the computation that produced it.
//!
//! The columns are the model's own [`FeatureMaps`](crate::models::classifier::FeatureMaps)
//! layers (so the layers' names and shapes are PyTorch's, and no model maths is repeated here),
//! computed on the [`ReferenceBackend`], preceded by the input image. Every layer reads the
//! column just before it. A column is one of:
//! - a convolution (`conv1`, `conv2`): its parameters are `<name>.weight` and `<name>.bias`;
//!   a cell's computation lists, per input channel, the window of the previous column (after
//!   padding) with the kernel's weights and the products, then the bias and the sum;
//! - a pooling (`relu(pool(convN))`): a cell's computation is its 2 × 2 window of the previous
//!   column, the maximum and the ReLU (the residual net applies the ReLU before the pooling, the
//!   others after; for a maximum both orders give the same value);
//! - a block (`rblock1`, `incep1`, …): its cell names the convolution that made it (the block's
//!   inside is another view's subject).
//!
//! The fc layer reads the last column flattened (`x.view(1, -1)`); an output's computation is
//! its row of `fc.weight`, the input vector, the products, the bias, the sum (the logit) and the
//! softmax over the ten logits.
//!
//! # Exactness
//! The reference backend sums a convolution or a linear output in `f64`, starting from the bias,
//! then over input channels, kernel rows and kernel columns (or over the inputs), and rounds
//! once to `f32`. The sums here are computed in the same order and the same precision, so a
//! cell's sum is *equal* (bit for bit) to the value in its column. The SIMD and GPU backends
//! (which the lab uses elsewhere) sum in other orders in `f32`: they agree with these columns
//! within 1e-5 relative (tested).

use super::Tap;
use crate::backend::Backend;
use crate::backend::cpu::ReferenceBackend;
use crate::error::{Result, ShapeError};
use crate::layers::{Conv2dParams, Pool2dParams};
use crate::models::classifier::{self, Classifier};
use crate::models::receptive::Field;
use crate::tensor::Tensor;

/// What a column is.
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnKind {
    /// The 28 × 28 input image.
    Input,
    /// A convolution with parameters `<name>.weight` and `<name>.bias`.
    Conv(Conv2dParams),
    /// Max pooling with this window (and stride), with the ReLU.
    Pool(Pool2dParams),
    /// A block; from each listed channel on, its maps were made by that convolution.
    Block(Vec<(usize, String)>),
}

/// One column of maps.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// PyTorch's name (`input`, `conv1`, `relu(pool(conv1))`, `rblock1`, …).
    pub name: String,
    /// `[channels, height, width]`.
    pub shape: [usize; 3],
    /// The maps, channel after channel, row-major.
    pub values: Vec<f32>,
    /// What made them.
    pub kind: ColumnKind,
}

impl Column {
    /// The value at `(channel, row, column)`.
    pub fn at(&self, c: usize, y: usize, x: usize) -> Option<f32> {
        let [ch, h, w] = self.shape;
        (c < ch && y < h && x < w).then(|| self.values[(c * h + y) * w + x])
    }

    /// One channel's map.
    pub fn map(&self, c: usize) -> &[f32] {
        let [_, h, w] = self.shape;
        self.values.get(c * h * w..(c + 1) * h * w).unwrap_or(&[])
    }
}

/// The whole forward pass of one image.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkTrace {
    /// The input, then the model's layers.
    pub columns: Vec<Column>,
    /// The fc layer's input: the last column flattened.
    pub flat: Vec<f32>,
    /// The ten logits (the fc layer's output).
    pub logits: Vec<f32>,
    /// The ten probabilities (softmax of the logits).
    pub probs: Vec<f32>,
}

/// The window of column `column` that a cell reads (rows and columns may start in padding).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// The column read.
    pub column: usize,
    /// First row (negative in the padding).
    pub y0: isize,
    /// First column.
    pub x0: isize,
    /// Rows covered.
    pub h: usize,
    /// Columns covered.
    pub w: usize,
}

/// One input channel's share of a convolution cell.
#[derive(Clone, Debug, PartialEq)]
pub struct ChannelWindow {
    /// The input channel.
    pub channel: usize,
    /// Its taps in kernel order (padding taps are zeros and not summed).
    pub taps: Vec<Tap>,
    /// Σ of its products (in `f64`, rounded once): this channel's share of the sum.
    pub partial: f32,
}

/// How a convolution cell was computed.
#[derive(Clone, Debug, PartialEq)]
pub struct ConvCell {
    /// The weight's name, e.g. `conv2.weight`.
    pub weight: String,
    /// The kernel (output channel).
    pub kernel: usize,
    /// The window read, in the previous column.
    pub window: Window,
    /// Per input channel: the window, the weights and the products.
    pub channels: Vec<ChannelWindow>,
    /// The bias.
    pub bias: f32,
    /// bias + Σ products, summed as the reference backend does (see the module docs).
    pub sum: f32,
}

/// How a pooling cell was computed.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolCell {
    /// The window read, in the previous column.
    pub window: Window,
    /// The window's cells `(row, column, value)` in the previous column.
    pub cells: Vec<(usize, usize, f32)>,
    /// Where the maximum is.
    pub argmax: (usize, usize),
    /// The maximum.
    pub max: f32,
    /// `relu(max)`: the cell's value.
    pub value: f32,
}

/// How an fc output (a logit, and its probability) was computed.
#[derive(Clone, Debug, PartialEq)]
pub struct FcCell {
    /// The class (fc.weight's row).
    pub class: usize,
    /// The row of `fc.weight`.
    pub weights: Vec<f32>,
    /// The flattened input.
    pub inputs: Vec<f32>,
    /// `weights[i] · inputs[i]`.
    pub products: Vec<f32>,
    /// `fc.bias[class]`.
    pub bias: f32,
    /// The logit: bias + Σ products, summed as the reference backend does.
    pub sum: f32,
    /// The probability: `exp(logit) / Σ exp(logits)`.
    pub prob: f32,
}

/// A map cell's computation.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// A pixel of the input.
    Input(f32),
    /// A convolution output.
    Conv(ConvCell),
    /// A pooled value.
    Pool(PoolCell),
    /// A block's output: the convolution (and kernel) that made its channel.
    Block(String, usize),
}

fn bad(what: &str, expected: String, got: Vec<usize>) -> ShapeError {
    ShapeError::Mismatch {
        what: what.into(),
        expected,
        got,
    }
}

fn param<'a>(model: &'a dyn Classifier, name: &str) -> Result<&'a Tensor> {
    classifier::param(model, name).ok_or_else(|| bad(name, "a parameter".into(), vec![]))
}

/// The convolution that maps `prev` to `out`: the weight's shape gives the channels and the
/// kernel, the shapes give the padding (stride 1, as in every model here), checked.
fn conv_params(weight: &Tensor, prev: [usize; 3], out: [usize; 3]) -> Result<Conv2dParams> {
    let [cout, cin, k, _] = weight.dims4("network view kernel")?;
    let pad = (out[1] + k - 1).saturating_sub(prev[1]) / 2;
    let p = Conv2dParams {
        padding: (pad, pad),
        ..Conv2dParams::new(cin, cout, k)
    };
    if p.out_hw(prev[1], prev[2])? != (out[1], out[2]) || cin != prev[0] || cout != out[0] {
        return Err(bad(
            "network view convolution",
            format!("{p:?}"),
            out.to_vec(),
        ));
    }
    Ok(p)
}

/// The network view's trace of `model` for one normalised image `x` `(1,1,28,28)`.
pub fn trace(model: &dyn Classifier, x: &Tensor) -> Result<NetworkTrace> {
    let be = ReferenceBackend;
    let [_, _, h, w] = x.dims4("network view input")?;
    let mut columns = vec![Column {
        name: "input".into(),
        shape: [1, h, w],
        values: x.data().to_vec(),
        kind: ColumnKind::Input,
    }];
    for layer in model.feature_maps(&be, x)? {
        let [c, lh, lw] = match *layer.maps.shape() {
            [c, h, w] => [c, h, w],
            _ => {
                return Err(bad(
                    &layer.name,
                    "(C, H, W)".into(),
                    layer.maps.shape().to_vec(),
                ));
            }
        };
        let prev = columns[columns.len() - 1].shape;
        let weight = classifier::param(model, &format!("{}.weight", layer.name));
        let kind = if let Some(weight) = weight {
            ColumnKind::Conv(conv_params(weight, prev, [c, lh, lw])?)
        } else if layer.name.starts_with("relu(pool(") && lh > 0 && prev[1] % lh == 0 {
            ColumnKind::Pool(Pool2dParams::new(prev[1] / lh))
        } else {
            ColumnKind::Block(layer.made_by.clone())
        };
        columns.push(Column {
            name: layer.name,
            shape: [c, lh, lw],
            values: layer.maps.into_data(),
            kind,
        });
    }
    let flat = columns[columns.len() - 1].values.clone();
    let logits = model.logits(&be, x)?.into_data();
    let probs = classifier::probabilities(model, &be, x)?.into_data();
    Ok(NetworkTrace {
        columns,
        flat,
        logits,
        probs,
    })
}

impl NetworkTrace {
    fn column(&self, i: usize) -> Result<&Column> {
        self.columns.get(i).ok_or_else(|| {
            bad(
                "network view column",
                format!("< {}", self.columns.len()),
                vec![i],
            )
        })
    }

    /// The window of the previous column that cell `(y, x)` of column `col` reads (`None` for
    /// the input and for blocks).
    pub fn window(&self, col: usize, y: usize, x: usize) -> Option<Window> {
        let column = self.columns.get(col)?;
        let (k, s, p) = match &column.kind {
            ColumnKind::Conv(p) => (p.kernel, p.stride, p.padding),
            ColumnKind::Pool(p) => (p.kernel, p.stride, p.padding),
            ColumnKind::Input | ColumnKind::Block(_) => return None,
        };
        Some(Window {
            column: col - 1,
            y0: (y * s.0) as isize - p.0 as isize,
            x0: (x * s.1) as isize - p.1 as isize,
            h: k.0,
            w: k.1,
        })
    }

    /// The receptive field on the input of a unit of column `col` ([`crate::models::receptive`]):
    /// each conv and pool column grows it by its window; a residual block by its two 3 × 3
    /// convs; an Inception block by its widest branch (a 1 × 1 branch's channels see less).
    pub fn receptive_field(&self, col: usize) -> Option<Field> {
        let mut f = Field::INPUT;
        for column in self.columns.get(1..=col)? {
            f = match &column.kind {
                ColumnKind::Input => f,
                ColumnKind::Conv(p) => {
                    f.through_window(p.kernel.0, p.stride.0, p.padding.0, p.dilation.0)
                }
                ColumnKind::Pool(p) => f.through_window(p.kernel.0, p.stride.0, p.padding.0, 1),
                ColumnKind::Block(_) if column.name.starts_with("rblock") => f.through_residual(),
                ColumnKind::Block(_) => f.through_inception(),
            };
        }
        Some(f)
    }

    /// The computation of cell `(c, y, x)` of column `col`.
    pub fn cell(
        &self,
        model: &dyn Classifier,
        col: usize,
        c: usize,
        y: usize,
        x: usize,
    ) -> Result<Cell> {
        let column = self.column(col)?;
        let [ch, h, w] = column.shape;
        let value = column.at(c, y, x).ok_or_else(|| {
            bad(
                "network view cell",
                format!("< ({ch}, {h}, {w})"),
                vec![c, y, x],
            )
        })?;
        let window = self.window(col, y, x);
        match (&column.kind, window) {
            (ColumnKind::Conv(p), Some(window)) => {
                self.conv_cell(model, col, p, c, window).map(Cell::Conv)
            }
            (ColumnKind::Pool(_), Some(window)) => Ok(Cell::Pool(self.pool_cell(c, window)?)),
            (ColumnKind::Block(made_by), _) => {
                let (first, conv) = made_by
                    .iter()
                    .rev()
                    .find(|(first, _)| *first <= c)
                    .ok_or_else(|| bad("network view block", "a convolution".into(), vec![c]))?;
                Ok(Cell::Block(conv.clone(), c - first))
            }
            _ => Ok(Cell::Input(value)),
        }
    }

    fn conv_cell(
        &self,
        model: &dyn Classifier,
        col: usize,
        p: &Conv2dParams,
        oc: usize,
        window: Window,
    ) -> Result<ConvCell> {
        let name = &self.columns[col].name;
        let weight = param(model, &format!("{name}.weight"))?;
        let bias = param(model, &format!("{name}.bias"))?.data()[oc];
        let input = &self.columns[window.column];
        let [cin, h, w] = input.shape;
        let (kh, kw) = p.kernel;
        // The reference backend's order and precision: f64 from the bias, channel, row, column.
        let mut acc = bias as f64;
        let channels = (0..cin)
            .map(|ic| {
                let mut taps = Vec::with_capacity(kh * kw);
                let mut partial = 0f64;
                for ky in 0..kh {
                    for kx in 0..kw {
                        let iy = window.y0 + (ky * p.dilation.0) as isize;
                        let ix = window.x0 + (kx * p.dilation.1) as isize;
                        let inside = iy >= 0 && ix >= 0 && (iy as usize) < h && (ix as usize) < w;
                        let xv = if inside {
                            input.values[(ic * h + iy as usize) * w + ix as usize]
                        } else {
                            0.0
                        };
                        let wv = weight.data()[((oc * cin + ic) * kh + ky) * kw + kx];
                        if inside {
                            acc += xv as f64 * wv as f64;
                            partial += xv as f64 * wv as f64;
                        }
                        taps.push(Tap {
                            ky,
                            kx,
                            py: (iy + p.padding.0 as isize) as usize,
                            px: (ix + p.padding.1 as isize) as usize,
                            in_padding: !inside,
                            x: xv,
                            w: wv,
                            product: xv * wv,
                        });
                    }
                }
                ChannelWindow {
                    channel: ic,
                    taps,
                    partial: partial as f32,
                }
            })
            .collect();
        Ok(ConvCell {
            weight: format!("{name}.weight"),
            kernel: oc,
            window,
            channels,
            bias,
            sum: acc as f32,
        })
    }

    fn pool_cell(&self, c: usize, window: Window) -> Result<PoolCell> {
        let input = &self.columns[window.column];
        let [_, h, w] = input.shape;
        let mut cells = Vec::with_capacity(window.h * window.w);
        let mut best: Option<(usize, usize, f32)> = None;
        for dy in 0..window.h {
            for dx in 0..window.w {
                let (iy, ix) = (window.y0 + dy as isize, window.x0 + dx as isize);
                if iy < 0 || ix < 0 || iy as usize >= h || ix as usize >= w {
                    continue;
                }
                let (iy, ix) = (iy as usize, ix as usize);
                let v = input.values[(c * h + iy) * w + ix];
                cells.push((iy, ix, v));
                // PyTorch's rule: the first maximum in row-major order (NaN wins).
                if best.is_none_or(|(_, _, b)| v > b || v.is_nan()) {
                    best = Some((iy, ix, v));
                }
            }
        }
        let (ay, ax, max) =
            best.ok_or_else(|| bad("network view pooling", "a window".into(), vec![c]))?;
        let value = ReferenceBackend
            .relu_forward(&Tensor::new(&[1], vec![max])?)?
            .data()[0];
        Ok(PoolCell {
            window,
            cells,
            argmax: (ay, ax),
            max,
            value,
        })
    }

    /// The computation of fc output `class`: the logit and its probability.
    pub fn fc(&self, model: &dyn Classifier, class: usize) -> Result<FcCell> {
        let weight = param(model, "fc.weight")?;
        let [out, n] = weight.dims2("fc.weight")?;
        if class >= out || n != self.flat.len() {
            return Err(bad(
                "network view fc",
                format!("class < {out}, {n} inputs"),
                vec![class, self.flat.len()],
            ));
        }
        let weights = weight.data()[class * n..(class + 1) * n].to_vec();
        let bias = param(model, "fc.bias")?.data()[class];
        let mut acc = bias as f64;
        let products = weights
            .iter()
            .zip(&self.flat)
            .map(|(w, x)| {
                acc += *x as f64 * *w as f64;
                w * x
            })
            .collect();
        Ok(FcCell {
            class,
            weights,
            inputs: self.flat.clone(),
            products,
            bias,
            sum: acc as f32,
            prob: self.probs[class],
        })
    }
}

#[cfg(test)]
mod tests;
