//! Classroom quizzes: the right answer to each question a teacher can ask about an explorer,
//! with its working (the formula with the numbers filled in), and the checking of what a
//! learner typed.
//!
//! Every answer comes from the same code the explorers use: output sizes from the layers'
//! shape rules ([`Conv2dParams::out_hw`], [`Pool2dParams::out_hw`]) written out with
//! [`out_size_formula`]; output values from [`ConvStep`] / [`PoolStep`] (the reference
//! backend's numbers); parameter counts from [`Conv2dParams::param_count`]; receptive fields
//! from [`Field::through_window`]. The workings are language-neutral formulas; the UI puts the
//! words around them.
//!
//! Learners type answers as they like: `5 × 5`, `5x5`, `5*5`, `5, 5`, `5` for a square, with
//! full-width digits and signs from a Chinese input method (`５×５`, `－３．５`). A value is
//! right within rounding to two decimals.

use super::transpose::{TransposeSteps, out_size_formula as transpose_formula};
use super::{ChannelSums, ConvStep, PoolStep, out_size_formula};
use crate::error::Result;
use crate::layers::{Conv2dParams, ConvTranspose2dParams, Pool2dParams};
use crate::models::receptive::Field;
use crate::tensor::Tensor;

/// What the right answer is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Expected {
    /// A height × width pair (an output size, a receptive field).
    Size(usize, usize),
    /// One number (a value, a count).
    Number(f64),
}

/// A question's right answer and how it is worked out.
#[derive(Clone, Debug, PartialEq)]
pub struct QuizAnswer {
    /// The answer.
    pub expected: Expected,
    /// The formula with the numbers, ending `= answer`.
    pub working: String,
}

impl QuizAnswer {
    /// The answer as the page writes it (`5 × 5`, `9`, `-3.5`).
    pub fn shown(&self) -> String {
        match self.expected {
            Expected::Size(h, w) => format!("{h} × {w}"),
            Expected::Number(v) => show(v as f32),
        }
    }
}

/// A number as the explorers print it: whole numbers without a point, others to at most four
/// decimals.
pub fn show(v: f32) -> String {
    if v.fract() == 0.0 && v.abs() < 1e9 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The answer `oh × ow`, worked as the formula per axis (`rows`, `cols`; once when alike).
fn size_answer((oh, ow): (usize, usize), rows: String, cols: String) -> QuizAnswer {
    let working = if rows == cols {
        rows
    } else {
        format!("{rows}; {cols}")
    };
    QuizAnswer {
        expected: Expected::Size(oh, ow),
        working,
    }
}

/// The output size of a `h × w` input through a convolution (the formula per axis; once when
/// both axes are alike).
pub fn conv_size(h: usize, w: usize, p: &Conv2dParams) -> Result<QuizAnswer> {
    let rows = out_size_formula(h, p.kernel.0, p.stride.0, p.padding.0, p.dilation.0);
    let cols = out_size_formula(w, p.kernel.1, p.stride.1, p.padding.1, p.dilation.1);
    Ok(size_answer(p.out_hw(h, w)?, rows, cols))
}

/// The output size of a `h × w` input through pooling.
pub fn pool_size(h: usize, w: usize, p: &Pool2dParams) -> Result<QuizAnswer> {
    let rows = out_size_formula(h, p.kernel.0, p.stride.0, p.padding.0, 1);
    let cols = out_size_formula(w, p.kernel.1, p.stride.1, p.padding.1, 1);
    Ok(size_answer(p.out_hw(h, w)?, rows, cols))
}

/// The answer `value`, worked as `t + t + … = value`; a non-zero `bias` is the last term.
fn sum_answer(mut terms: Vec<String>, bias: Option<f32>, value: f32) -> QuizAnswer {
    terms.extend(bias.filter(|&b| b != 0.0).map(show));
    QuizAnswer {
        expected: Expected::Number(value as f64),
        working: format!("{} = {}", terms.join(" + "), show(value)),
    }
}

/// One convolution output: `x·w + x·w + … (+ bias) = value` (taps on padding count as 0·w).
pub fn conv_value(step: &ConvStep) -> QuizAnswer {
    let terms = step.taps.iter();
    let terms = terms.map(|t| format!("{}·{}", show(t.x), show(t.w)));
    sum_answer(terms.collect(), Some(step.bias), step.value)
}

/// One many-channel convolution output: each input channel's window sum, then the bias,
/// `s₀ + s₁ + … + bias = value` (the sums and value are the reference backend's).
pub fn channels_value(sums: &ChannelSums) -> QuizAnswer {
    let mut terms: Vec<String> = sums.partials.iter().map(|(_, s)| show(*s)).collect();
    // The bias is named even when 0: the explorer's sum shows it.
    terms.push(show(sums.bias));
    sum_answer(terms, None, sums.value)
}

/// One pooling output: `max(a, b, …) = value` or `(a + b + …) / n = value`.
pub fn pool_value(step: &PoolStep, max: bool) -> QuizAnswer {
    let values: Vec<String> = step.cells.iter().map(|c| show(c.2)).collect();
    let working = if max {
        format!("max({}) = {}", values.join(", "), show(step.value))
    } else {
        format!(
            "({}) / {} = {}",
            values.join(" + "),
            values.len(),
            show(step.value)
        )
    };
    QuizAnswer {
        expected: Expected::Number(step.value as f64),
        working,
    }
}

/// A convolution's learnable parameters, worked as `weights (+ C_out) = count`: `weights` is
/// the weights' count written as a product, one bias per output channel follows where the layer
/// has them, and the count is [`Conv2dParams::param_count`].
fn params_answer(p: &Conv2dParams, weights: String) -> QuizAnswer {
    let bias = if p.bias {
        format!(" + {}", p.weight_shape()[0])
    } else {
        String::new()
    };
    let count = p.param_count();
    QuizAnswer {
        expected: Expected::Number(count as f64),
        working: format!("{weights}{bias} = {count}"),
    }
}

/// A convolution's learnable parameters: `C_out·(C_in / groups)·k_h·k_w (+ C_out) = count`.
pub fn conv_params(p: &Conv2dParams) -> QuizAnswer {
    let [o, i, kh, kw] = p.weight_shape();
    params_answer(p, format!("{o}·{i}·{kh}·{kw}"))
}

/// Pooling has no learnable parameters.
pub fn pool_params() -> QuizAnswer {
    QuizAnswer {
        expected: Expected::Number(0.0),
        working: "0".into(),
    }
}

/// The receptive field of one output unit of a single `k × k` window layer on its input:
/// `1 + dilation·(k − 1) = size`, per axis.
pub fn window_field(k: usize, dilation: usize) -> QuizAnswer {
    let f = Field::INPUT.through_window(k, 1, 0, dilation);
    QuizAnswer {
        expected: Expected::Size(f.size, f.size),
        working: format!("1 + {dilation}·({k} − 1) = {}", f.size),
    }
}

/// The output size of a `h × w` input through a transposed convolution, by PyTorch's formula
/// `(in − 1)·stride − 2·padding + dilation·(k − 1) + output_padding + 1` per axis.
pub fn transpose_size(h: usize, w: usize, p: &ConvTranspose2dParams) -> Result<QuizAnswer> {
    let axis = |i: usize, a: usize| {
        let pick = |t: (usize, usize)| if a == 0 { t.0 } else { t.1 };
        transpose_formula(
            i,
            pick(p.kernel),
            pick(p.stride),
            pick(p.padding),
            pick(p.output_padding),
            pick(p.dilation),
        )
    };
    Ok(size_answer(p.out_hw(h, w)?, axis(h, 0), axis(w, 1)))
}

/// One transposed-convolution output (row-major index `o`): the sum of every input value's
/// scaled kernel tap that lands there, `x·w + x·w + … = value` (`0` when none lands); the value
/// is the reference backend's. `None` when `o` is outside the output.
pub fn transpose_value(
    steps: &TransposeSteps,
    input: &Tensor,
    kernel: &Tensor,
    o: usize,
) -> Option<QuizAnswer> {
    let value = *steps.output.data().get(o)?;
    let terms: Vec<String> = steps
        .scatters
        .iter()
        .enumerate()
        .flat_map(|(i, scatter)| {
            scatter
                .iter()
                .filter(move |(at, _)| *at == o)
                .map(move |(_, k)| (i, *k))
        })
        .map(|(i, k)| format!("{}·{}", show(input.data()[i]), show(kernel.data()[k])))
        .collect();
    let sum = if terms.is_empty() {
        "0".to_string()
    } else {
        terms.join(" + ")
    };
    Some(QuizAnswer {
        expected: Expected::Number(value as f64),
        working: format!("{sum} = {}", show(value)),
    })
}

/// A transposed convolution's learnable parameters: its weight is
/// `C_in·(C_out / groups)·k_h·k_w` (note: in before out, unlike `Conv2d`), plus `C_out` biases.
pub fn transpose_params(p: &ConvTranspose2dParams) -> QuizAnswer {
    let [i, o, kh, kw] = p.weight_shape();
    let (bias, extra) = if p.bias {
        (format!(" + {}", p.out_channels), p.out_channels)
    } else {
        (String::new(), 0)
    };
    let count = i * o * kh * kw + extra;
    QuizAnswer {
        expected: Expected::Number(count as f64),
        working: format!("{i}·{o}·{kh}·{kw}{bias} = {count}"),
    }
}

/// One 1×1-convolution output: the pixel's value in each input channel times that channel's
/// weight, `w·x + w·x + … (+ bias) = value` (`weights` and `pixel` per input channel; the value
/// is the reference backend's, from `sums`).
pub fn pointwise_value(weights: &[f32], pixel: &[f32], sums: &ChannelSums) -> QuizAnswer {
    let terms = weights.iter().zip(pixel);
    let terms = terms.map(|(w, x)| format!("{}·{}", show(*w), show(*x)));
    sum_answer(terms.collect(), Some(sums.bias), sums.value)
}

/// A 1×1 convolution's learnable parameters: one weight per (output, input) channel pair and
/// one bias per output channel, `m·n (+ m) = count` (the count is [`Conv2dParams::param_count`]).
pub fn pointwise_params(p: &Conv2dParams) -> QuizAnswer {
    let [m, n, _, _] = p.weight_shape();
    params_answer(p, format!("{m}·{n}"))
}

/// The size of a gradient: it has the shape of what it is the gradient of,
/// `shape(∂L/∂X) = shape(X) = h × w` (`of` names it, e.g. `X`).
pub fn gradient_size(of: &str, (h, w): (usize, usize)) -> QuizAnswer {
    QuizAnswer {
        expected: Expected::Size(h, w),
        working: format!("shape(∂L/∂{of}) = shape({of}) = {h} × {w}"),
    }
}

/// Which gradient a backward question asks about, at which cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Grad {
    /// ∂L/∂X at an input cell `(r, c)`: every output position whose window covers the cell
    /// adds its upstream gradient times the weight that touched it, `dY·w + dY·w + … = value`
    /// (`0` when no window covers it).
    Dx(usize, usize),
    /// ∂L/∂W at a kernel cell `(r, c)`: every output position adds its upstream gradient times
    /// the input value under that weight, `dY·x + dY·x + … = value`.
    Dw(usize, usize),
}

/// One value of a single-channel convolution's input or weight gradient (see [`Grad`]), the
/// terms in output order (taps on padding add nothing and are left out); the value is the
/// reference backend's. `None` when the cell is outside the input (∂L/∂X) or the kernel (∂L/∂W).
///
/// # Shapes
/// As [`super::conv2d_backward_steps`]: `input` `[h, w]`, `kernel` `[kh, kw]`, `dy` `[oh, ow]`.
pub fn backward_value(
    input: &Tensor,
    kernel: &Tensor,
    dy: &Tensor,
    p: &Conv2dParams,
    grad: Grad,
) -> Result<Option<QuizAnswer>> {
    let ((r, c), [h, w]) = match grad {
        Grad::Dx(r, c) => ((r, c), input.dims2("explorer input")?),
        Grad::Dw(r, c) => ((r, c), kernel.dims2("explorer kernel")?),
    };
    if r >= h || c >= w {
        return Ok(None);
    }
    let back = super::conv2d_backward_steps(input, kernel, dy, p)?;
    let steps = super::conv2d_steps(input, kernel, None, p)?;
    let (pr, pc) = (r + p.padding.0, c + p.padding.1);
    let dx = matches!(grad, Grad::Dx(..));
    let terms: Vec<String> = steps
        .iter()
        .zip(dy.data())
        .flat_map(|(step, g)| {
            let g = *g;
            step.taps
                .iter()
                .filter(move |t| {
                    let hit = if dx {
                        t.py == pr && t.px == pc
                    } else {
                        t.ky == r && t.kx == c
                    };
                    !t.in_padding && hit
                })
                .map(move |t| format!("{}·{}", show(g), show(if dx { t.w } else { t.x })))
        })
        .collect();
    let values = if dx { &back.dx } else { &back.dw };
    Ok(Some(gradient_sum(terms, values.data()[r * w + c])))
}

/// `t + t + … = value`, or `0 = value` with no terms.
fn gradient_sum(terms: Vec<String>, value: f32) -> QuizAnswer {
    if terms.is_empty() {
        return QuizAnswer {
            expected: Expected::Number(value as f64),
            working: format!("0 = {}", show(value)),
        };
    }
    sum_answer(terms, None, value)
}

/// Full-width digits, point and signs (Chinese input methods) as ASCII; `×`, `x`, `*`, `,`,
/// `，`, `乘` and spaces as one separator.
fn normalise(typed: &str) -> String {
    typed
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '－' | '−' | '—' => '-',
            '＋' => '+',
            '×' | 'x' | 'X' | '*' | '＊' | ',' | '，' | '乘' | '、' => ' ',
            c => c,
        })
        .collect()
}

/// Whether `typed` is the right answer: `None` when it is no answer at all (empty, not a
/// number, or not a size where a size is asked).
pub fn check(expected: &Expected, typed: &str) -> Option<bool> {
    let text = normalise(typed);
    let numbers: Vec<f64> = text
        .split_whitespace()
        .map(|s| s.parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect::<Option<Vec<_>>>()?;
    match (*expected, numbers.as_slice()) {
        (Expected::Size(h, w), &[a]) => Some(a == h as f64 && a == w as f64),
        (Expected::Size(h, w), &[a, b]) => Some(a == h as f64 && b == w as f64),
        (Expected::Number(v), &[a]) => Some((a - v).abs() <= 0.005 + 1e-6 * v.abs()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::{conv2d_steps, pool2d_steps};
    use crate::tensor::Tensor;

    const LESSON: [f32; 25] = [
        3., 4., 6., 5., 7., 2., 4., 6., 8., 2., 1., 6., 7., 8., 4., 9., 7., 4., 6., 2., 3., 7., 5.,
        4., 1.,
    ];

    /// The lesson's 5 × 5 input, the kernel 1…9, padding 1: a 5 × 5 output.
    #[test]
    fn the_lessons_padded_convolution() {
        let p = Conv2dParams::new(1, 1, 3).padding(1).bias(false);
        let size = conv_size(5, 5, &p).unwrap();
        assert_eq!(size.expected, Expected::Size(5, 5));
        assert_eq!(size.working, "⌊(5 + 2·1 − 1·(3 − 1) − 1) / 1⌋ + 1 = 5");
        let x = Tensor::new(&[5, 5], LESSON.to_vec()).unwrap();
        let w = Tensor::new(&[3, 3], (1..=9).map(|v| v as f32).collect()).unwrap();
        let steps = conv2d_steps(&x, &w, Some(0.0), &p).unwrap();
        // Top-left: the window's first row and column are padding.
        let v = conv_value(&steps[0]);
        assert_eq!(v.expected, Expected::Number(91.0));
        assert_eq!(
            v.working,
            "0·1 + 0·2 + 0·3 + 0·4 + 3·5 + 4·6 + 0·7 + 2·8 + 4·9 = 91"
        );
        // Row 1, column 2 (the inside): 4·1 + 6·2 + 5·3 + 4·4 + 6·5 + 8·6 + 6·7 + 7·8 + 8·9.
        assert_eq!(conv_value(&steps[7]).expected, Expected::Number(295.0));
        let params = conv_params(&p);
        assert_eq!(params.expected, Expected::Number(9.0));
        assert_eq!(params.working, "1·1·3·3 = 9");
        assert_eq!(
            conv_params(&p.bias(true)).working,
            "1·1·3·3 + 1 = 10".to_string()
        );
        assert_eq!(window_field(3, 1).expected, Expected::Size(3, 3));
        assert_eq!(window_field(3, 2).working, "1 + 2·(3 − 1) = 5");
    }

    #[test]
    fn stride_two_and_channels() {
        let p = Conv2dParams::new(1, 1, 3).padding(1).stride(2);
        assert_eq!(conv_size(5, 5, &p).unwrap().expected, Expected::Size(3, 3));
        let p = Conv2dParams::new(3, 2, 3);
        assert_eq!(conv_params(&p).working, "2·3·3·3 + 2 = 56");
        let p = Conv2dParams::new(4, 8, 3).groups(4);
        assert_eq!(conv_params(&p).working, "8·1·3·3 + 8 = 80");
        assert!(conv_size(2, 2, &Conv2dParams::new(1, 1, 5)).is_err());
    }

    #[test]
    fn pooling_the_lessons_four_by_four() {
        let x = Tensor::new(
            &[4, 4],
            vec![
                1., 3., 2., 9., 5., 4., 7., 1., 8., 2., 6., 5., 3., 0., 4., 8.,
            ],
        )
        .unwrap();
        let p = Pool2dParams::new(2);
        assert_eq!(pool_size(4, 4, &p).unwrap().expected, Expected::Size(2, 2));
        assert_eq!(
            pool_size(4, 4, &p).unwrap().working,
            "⌊(4 + 2·0 − 1·(2 − 1) − 1) / 2⌋ + 1 = 2"
        );
        let max = pool2d_steps(&x, &p, true).unwrap();
        let v = pool_value(&max[1], true);
        assert_eq!(v.expected, Expected::Number(9.0));
        assert_eq!(v.working, "max(2, 9, 7, 1) = 9");
        let avg = pool2d_steps(&x, &p, false).unwrap();
        assert_eq!(
            pool_value(&avg[0], false).working,
            "(1 + 3 + 5 + 4) / 4 = 3.25"
        );
        assert_eq!(pool_params().expected, Expected::Number(0.0));
    }

    /// Golden from PyTorch (`tests/fixtures`-style check with torch 2: `ConvTranspose2d(1, 1, 3,
    /// stride=2, padding=1, output_padding=1, bias=False)`, input and weight `arange(1, 10)`).
    #[test]
    fn transposed_convolution_answers_match_pytorch() {
        use crate::explain::transpose::conv_transpose2d_steps;
        let p = ConvTranspose2dParams {
            stride: (2, 2),
            padding: (1, 1),
            output_padding: (1, 1),
            bias: false,
            ..ConvTranspose2dParams::new(1, 1, 3)
        };
        let size = transpose_size(3, 3, &p).unwrap();
        assert_eq!(size.expected, Expected::Size(6, 6));
        assert_eq!(size.working, "(3 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 6");
        let x = Tensor::from_fn(&[3, 3], |i| (i + 1) as f32);
        let steps = conv_transpose2d_steps(&x, &x, &p).unwrap();
        let at = |r: usize, c: usize| transpose_value(&steps, &x, &x, r * 6 + c).unwrap();
        assert_eq!(at(1, 1).expected, Expected::Number(40.0));
        assert_eq!(at(1, 1).working, "1·9 + 2·7 + 4·3 + 5·1 = 40");
        assert_eq!(at(5, 5).expected, Expected::Number(81.0));
        assert_eq!(at(3, 3).expected, Expected::Number(120.0));
        assert!(transpose_value(&steps, &x, &x, 36).is_none());
        assert_eq!(transpose_params(&p).working, "1·1·3·3 = 9");
        let wide = ConvTranspose2dParams::new(3, 8, 3);
        assert_eq!(transpose_params(&wide).working, "3·8·3·3 + 8 = 224");
    }

    /// A 1×1 convolution, Conv2d(3, 3, 1, bias=False), on a 4 × 4 RGB picture (golden from
    /// PyTorch: shape [1, 3, 4, 4]; out[0, 0, 1, 1] = 0.3·9 + 0.6·1 + 0.1·1 = 3.4; 9 weights,
    /// 12 parameters with bias).
    #[test]
    fn pointwise_answers_match_pytorch() {
        use crate::explain::conv2d_channel_sums;
        let x = Tensor::new(
            &[1, 3, 2, 2],
            vec![1., 9., 0., 1., 2., 1., 7., 1., 8., 1., 2., 9.],
        )
        .unwrap();
        let weights = [0.3, 0.6, 0.1, 1., -1., 0., 0., 0.5, -0.5];
        let w = Tensor::new(&[3, 3, 1, 1], weights.to_vec()).unwrap();
        let p = Conv2dParams::new(3, 3, 1).bias(false);
        let (_, sums) = conv2d_channel_sums(&x, &w, &Tensor::zeros(&[3]), &p, (0, 0, 1)).unwrap();
        let a = pointwise_value(&weights[..3], &[9., 1., 1.], &sums);
        assert_eq!(a.working, "0.3·9 + 0.6·1 + 0.1·1 = 3.4");
        let Expected::Number(v) = a.expected else {
            panic!("a number")
        };
        assert!((v - 3.4).abs() < 1e-5, "{v}");
        assert_eq!(check(&a.expected, "3.4"), Some(true));
        let (_, sums) = conv2d_channel_sums(&x, &w, &Tensor::zeros(&[3]), &p, (1, 1, 0)).unwrap();
        assert_eq!(
            pointwise_value(&weights[3..6], &[0., 7., 2.], &sums).working,
            "1·0 + -1·7 + 0·2 = -7"
        );
        assert_eq!(pointwise_params(&p).working, "3·3 = 9");
        assert_eq!(pointwise_params(&p.bias(true)).working, "3·3 + 3 = 12");
        assert_eq!(conv_size(4, 4, &p).unwrap().expected, Expected::Size(4, 4));
    }

    /// Golden from PyTorch (tests/fixtures/make_backward_quiz.py): the lesson's 5 × 5 input, weight
    /// 1…9, `F.conv2d(x, w, padding=1, stride=2)`, upstream gradient [-1, 1, 0, -1, 1, 0, -1, 1,
    /// 0]: x.grad[1, 3] = 12, x.grad[0, 0] = -5, w.grad[1, 0] = 17; with padding 0, stride 1 and
    /// a gradient of ones x.grad[2, 2] = 45 and w.grad[0, 0] = 39.
    #[test]
    fn backward_answers_match_pytorch() {
        let x = Tensor::new(&[5, 5], LESSON.to_vec()).unwrap();
        let w = Tensor::from_fn(&[3, 3], |i| (i + 1) as f32);
        let p = Conv2dParams::new(1, 1, 3).padding(1).stride(2).bias(false);
        let dy = Tensor::new(&[3, 3], vec![-1., 1., 0., -1., 1., 0., -1., 1., 0.]).unwrap();
        let dx = |r, c| {
            backward_value(&x, &w, &dy, &p, Grad::Dx(r, c))
                .unwrap()
                .unwrap()
        };
        assert_eq!(dx(1, 3).expected, Expected::Number(12.0));
        assert_eq!(dx(1, 3).working, "1·9 + 0·7 + 1·3 + 0·1 = 12");
        assert_eq!(dx(0, 0).working, "-1·5 = -5");
        let dw = backward_value(&x, &w, &dy, &p, Grad::Dw(1, 0))
            .unwrap()
            .unwrap();
        assert_eq!(dw.expected, Expected::Number(17.0));
        assert_eq!(dw.working, "1·4 + 0·5 + 1·6 + 0·8 + 1·7 + 0·4 = 17");
        assert!(
            backward_value(&x, &w, &dy, &p, Grad::Dx(5, 0))
                .unwrap()
                .is_none()
        );
        assert!(
            backward_value(&x, &w, &dy, &p, Grad::Dw(0, 3))
                .unwrap()
                .is_none()
        );
        let p = Conv2dParams::new(1, 1, 3).bias(false);
        let ones = Tensor::from_fn(&[3, 3], |_| 1.0);
        for (grad, value, working) in [
            (
                Grad::Dx(2, 2),
                45.0,
                "1·9 + 1·8 + 1·7 + 1·6 + 1·5 + 1·4 + 1·3 + 1·2 + 1·1 = 45",
            ),
            (
                Grad::Dw(0, 0),
                39.0,
                "1·3 + 1·4 + 1·6 + 1·2 + 1·4 + 1·6 + 1·1 + 1·6 + 1·7 = 39",
            ),
        ] {
            let a = backward_value(&x, &w, &ones, &p, grad).unwrap().unwrap();
            assert_eq!(a.expected, Expected::Number(value), "{grad:?}");
            assert_eq!(a.working, working, "{grad:?}");
        }
        assert_eq!(
            gradient_size("X", (5, 5)).working,
            "shape(∂L/∂X) = shape(X) = 5 × 5"
        );
    }

    #[test]
    fn typed_answers() {
        let size = Expected::Size(5, 5);
        for ok in [
            "5 × 5", "5x5", "5*5", " 5 ,5 ", "5", "５×５", "5乘5", "5.0 x 5",
        ] {
            assert_eq!(check(&size, ok), Some(true), "{ok}");
        }
        assert_eq!(check(&size, "3 × 3"), Some(false));
        assert_eq!(check(&Expected::Size(2, 3), "2 × 3"), Some(true));
        assert_eq!(check(&Expected::Size(2, 3), "3 × 2"), Some(false));
        assert_eq!(check(&Expected::Size(2, 3), "2"), Some(false));
        for none in ["", "five", "5 × 5 × 5", "NaN", "inf"] {
            assert_eq!(check(&size, none), None, "{none}");
        }
        let v = Expected::Number(3.25);
        assert_eq!(check(&v, "3.25"), Some(true));
        assert_eq!(check(&v, "３．２５"), Some(true));
        assert_eq!(check(&v, "3.254"), Some(true));
        assert_eq!(check(&v, "3.3"), Some(false));
        assert_eq!(check(&Expected::Number(-3.5), "－３．５"), Some(true));
        assert_eq!(check(&v, "3 4"), None);
        assert_eq!(show(3.25), "3.25");
        assert_eq!(show(-12.0), "-12");
        assert_eq!(show(1.0 / 3.0), "0.3333");
    }
}
