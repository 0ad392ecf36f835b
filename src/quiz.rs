//! Classroom quizzes on the explorers: what a quiz address says and the right answers.
//!
//! A teacher's quiz is part of the widget's address, next to its state:
//! `index.html?conv={…}&quiz=size,value,params,rf&cell=0,0&lock=padding,stride#/embed/conv`.
//! `quiz=` names the questions (output size; one output value at `cell=row,column`; parameter
//! count; receptive-field size), `lock=` the controls the learner cannot change. The backward
//! explorer asks about gradients instead: the size of ∂L/∂X, one value of ∂L/∂X at `cell=`, one
//! value of ∂L/∂W at the kernel cell `wcell=row,column` (`quiz=…,dw`), the parameters and the
//! receptive field. Everything is
//! checked like the rest of a link: unknown names are dropped with a note, nothing panics.
//!
//! The right answers are worked out when the learner checks, from the widget's state as the
//! address holds it then (the explorers keep it there), by the core
//! ([`crate::explain::quiz`]); this module only picks the numbers out of the state.

use crate::embed::WidgetId;
use crate::error::ShapeError;
use crate::explain::quiz::{self as core_quiz, Grad, QuizAnswer};
use crate::explain::transpose::conv_transpose2d_steps;
use crate::explain::{conv2d_channel_sums, conv2d_steps, pool2d_steps};
use crate::layers::{Conv2dParams, Pool2dParams};
use crate::tensor::Tensor;
use crate::widget_state::presets::pool_channel;
use crate::widget_state::{
    BackwardState, CHANNELS_SIDE, ChannelsState, ConvState, POINTWISE_CIN, POINTWISE_PICTURE,
    POINTWISE_SIDE, POINTWISE_WEIGHTS, PointwiseState, PoolState, TransposeState, WidgetState,
    channels_input, channels_weights, parse as parse_state,
};

/// A question a quiz can ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Question {
    /// The output's height × width.
    Size,
    /// The output value at the quiz's cell (backward explorer: ∂L/∂X there).
    Value,
    /// The weight gradient ∂L/∂W at the quiz's kernel cell (backward explorer only).
    Dw,
    /// The layer's learnable parameters.
    Params,
    /// The receptive-field size of one output unit.
    Field,
}

impl Question {
    /// Every question, in the order a quiz asks them.
    pub const ALL: [Question; 5] = [
        Question::Size,
        Question::Value,
        Question::Dw,
        Question::Params,
        Question::Field,
    ];

    /// Its name in `quiz=`.
    pub fn slug(self) -> &'static str {
        match self {
            Question::Size => "size",
            Question::Value => "value",
            Question::Dw => "dw",
            Question::Params => "params",
            Question::Field => "rf",
        }
    }

    /// Its translation key on widget `w` (the question as the learner reads it; `{row}` and
    /// `{col}` stand for the asked cell).
    pub fn key(self, w: WidgetId) -> &'static str {
        self.keys(w).0
    }

    /// The translation key of its short name on widget `w` (the teacher's tick box).
    pub fn short_key(self, w: WidgetId) -> &'static str {
        self.keys(w).1
    }

    /// Its translation keys on widget `w`: the question, and its short name. (The backward
    /// explorer asks about ∂L/∂X where the others ask about the output.)
    fn keys(self, w: WidgetId) -> (&'static str, &'static str) {
        match self {
            Question::Size if w == WidgetId::Backward => ("quiz.q.dx_size", "quiz.t.dx_size"),
            Question::Value if w == WidgetId::Backward => ("quiz.q.dx", "quiz.t.dx"),
            Question::Size => ("quiz.q.size", "quiz.t.size"),
            Question::Value => ("quiz.q.value", "quiz.t.value"),
            Question::Dw => ("quiz.q.dw", "quiz.t.dw"),
            Question::Params => ("quiz.q.params", "quiz.t.params"),
            Question::Field => ("quiz.q.rf", "quiz.t.rf"),
        }
    }
}

/// The questions a quiz on `w` can ask (none: `w` has no quizzes).
pub fn questions(w: WidgetId) -> &'static [Question] {
    match w {
        WidgetId::Conv | WidgetId::Padding | WidgetId::Pool | WidgetId::Channels => &[
            Question::Size,
            Question::Value,
            Question::Params,
            Question::Field,
        ],
        WidgetId::Transpose | WidgetId::Pointwise => {
            &[Question::Size, Question::Value, Question::Params]
        }
        WidgetId::Backward => &[
            Question::Size,
            Question::Value,
            Question::Dw,
            Question::Params,
            Question::Field,
        ],
        _ => &[],
    }
}

/// The controls of `w` a quiz can lock: (name in `lock=` and `data-control`, translation key
/// of its label).
pub fn lockable(w: WidgetId) -> &'static [(&'static str, &'static str)] {
    match w {
        WidgetId::Conv | WidgetId::Padding => &[
            ("size", "conv.input_size"),
            ("input", "conv.input_preset"),
            ("kernel-size", "conv.kernel_size"),
            ("kernel", "conv.kernel_preset"),
            ("bias", "conv.bias"),
            ("padding", "conv.padding"),
            ("stride", "conv.stride"),
            ("dilation", "conv.dilation"),
        ],
        WidgetId::Pool => &[
            ("mode", "pool.mode"),
            ("window", "pool.kernel"),
            ("stride", "pool.stride"),
            ("input", "pool.input"),
            ("channels", "pool.channels"),
        ],
        WidgetId::Channels => &[
            ("cin", "channels.cin"),
            ("cout", "channels.cout"),
            ("k", "channels.k"),
            ("padding", "conv.padding"),
            ("depthwise", "channels.depthwise"),
        ],
        WidgetId::Transpose => &[
            ("size", "transpose.size"),
            ("k", "conv.kernel_size"),
            ("kernel", "transpose.kernel_values"),
            ("stride", "conv.stride"),
            ("padding", "conv.padding"),
            ("output-padding", "transpose.output_padding"),
            ("dilation", "conv.dilation"),
        ],
        WidgetId::Pointwise => &[("cout", "channels.cout")],
        WidgetId::Backward => &[
            ("padding", "conv.padding"),
            ("stride", "conv.stride"),
            ("dy", "backward.dy_preset"),
        ],
        _ => &[],
    }
}

/// A quiz: its questions, locked controls and the cell the value question asks about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quiz {
    /// The questions, in [`Question::ALL`] order.
    pub questions: Vec<Question>,
    /// Locked controls (names from [`lockable`]).
    pub lock: Vec<&'static str>,
    /// The value question's output cell: (row, column).
    pub cell: (usize, usize),
    /// The ∂L/∂W question's kernel cell: (row, column).
    pub wcell: (usize, usize),
}

fn short(s: &str) -> String {
    s.chars().take(24).collect()
}

/// Reads a quiz from an address's `quiz=`, `lock=`, `cell=` and `wcell=`; `None` when there is
/// no quiz (no `quiz=`, or a widget without quizzes). Unknown names are dropped with a note; a
/// quiz that names no known question asks them all.
pub fn parse(
    w: WidgetId,
    quiz: Option<&str>,
    lock: Option<&str>,
    [cell, wcell]: [Option<&str>; 2],
) -> Option<(Quiz, Vec<String>)> {
    let quiz = quiz?;
    let offered = questions(w);
    if offered.is_empty() {
        return None;
    }
    let mut notes = Vec::new();
    let names = |text: &str| -> Vec<String> {
        text.split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(String::from)
            .collect()
    };
    let asked = names(quiz);
    for name in &asked {
        if !offered.iter().any(|q| q.slug() == name) {
            notes.push(format!("quiz {:?}: not a question here", short(name)));
        }
    }
    let mut qs: Vec<Question> = offered
        .iter()
        .copied()
        .filter(|q| asked.iter().any(|n| n == q.slug()))
        .collect();
    if qs.is_empty() {
        qs = offered.to_vec();
    }
    let mut locked = Vec::new();
    for name in names(lock.unwrap_or("")) {
        match lockable(w).iter().find(|(c, _)| *c == name) {
            Some((c, _)) if !locked.contains(c) => locked.push(*c),
            Some(_) => {}
            None => notes.push(format!("lock {:?}: not a control here", short(&name))),
        }
    }
    let mut read_cell = |name: &str, text: Option<&str>| {
        let text = text?;
        let parts: Vec<Option<usize>> = text.split(',').map(|p| p.trim().parse().ok()).collect();
        match parts.as_slice() {
            [Some(r), Some(c)] if *r < 64 && *c < 64 => Some((*r, *c)),
            _ => {
                notes.push(format!("{name} {:?} → 0,0", short(text)));
                None
            }
        }
    };
    let at = read_cell("cell", cell).unwrap_or((0, 0));
    let w_at = read_cell("wcell", wcell).unwrap_or((0, 0));
    Some((
        Quiz {
            questions: qs,
            lock: locked,
            cell: at,
            wcell: w_at,
        },
        notes,
    ))
}

/// The quiz as query parameters: `quiz=size,value&cell=1,2&lock=padding` (`cell` only with a
/// value question, `wcell` only with a ∂L/∂W question, `lock` only when something is locked).
pub fn query(quiz: &Quiz) -> String {
    let slugs: Vec<&str> = quiz.questions.iter().map(|q| q.slug()).collect();
    let mut q = format!("quiz={}", slugs.join(","));
    if quiz.questions.contains(&Question::Value) {
        q.push_str(&format!("&cell={},{}", quiz.cell.0, quiz.cell.1));
    }
    if quiz.questions.contains(&Question::Dw) {
        q.push_str(&format!("&wcell={},{}", quiz.wcell.0, quiz.wcell.1));
    }
    if !quiz.lock.is_empty() {
        q.push_str(&format!("&lock={}", quiz.lock.join(",")));
    }
    q
}

/// The controls the learner's page disables: the locked ones, the conv explorer's painting
/// with its input, and the editable code line whenever anything is locked (typing code would
/// change a locked setting).
pub fn disabled_controls(w: WidgetId, quiz: &Quiz) -> Vec<&'static str> {
    let mut names = quiz.lock.clone();
    if matches!(w, WidgetId::Conv | WidgetId::Padding) && names.contains(&"input") {
        names.push("paint");
    }
    if !names.is_empty() {
        names.push("code");
    }
    names
}

/// The query key of `w`'s state.
pub fn state_key(w: WidgetId) -> &'static str {
    match w {
        WidgetId::Pool => PoolState::KEY,
        WidgetId::Channels => ChannelsState::KEY,
        WidgetId::Transpose => TransposeState::KEY,
        WidgetId::Pointwise => PointwiseState::KEY,
        WidgetId::Backward => BackwardState::KEY,
        _ => ConvState::KEY,
    }
}

/// Why a question has no answer for the widget as it is.
#[derive(Clone, Debug, PartialEq)]
pub enum NoAnswer {
    /// The settings give no output (the core's message).
    Shape(ShapeError),
    /// The quiz's cell is outside the output: (row, column) and the output's size.
    Outside((usize, usize), (usize, usize)),
}

/// The text key of the message for a cell outside the grid that question `q` of widget `w`
/// asks about (the text takes `{row}`, `{col}`, `{h}` and `{w}` from [`NoAnswer::Outside`]):
/// the output's, or in the backward explorer the input's (∂L/∂X) or the kernel's (∂L/∂W).
pub fn outside_key(w: WidgetId, q: Question) -> &'static str {
    match (w, q) {
        (WidgetId::Backward, Question::Dw) => "quiz.outside_dw",
        (WidgetId::Backward, _) => "quiz.outside_dx",
        _ => "quiz.outside",
    }
}

impl From<ShapeError> for NoAnswer {
    fn from(e: ShapeError) -> Self {
        NoAnswer::Shape(e)
    }
}

fn conv_state(w: WidgetId, json: Option<&str>) -> ConvState {
    match json {
        Some(text) => parse_state::<ConvState>(text).0,
        // The padding-and-stride widget's own defaults.
        None if w == WidgetId::Padding => ConvState {
            stride: 2,
            ..ConvState::default()
        },
        None => ConvState::default(),
    }
}

fn conv_params(s: &ConvState) -> Conv2dParams {
    Conv2dParams::new(1, 1, s.k)
        .padding(s.padding)
        .stride(s.stride)
        .dilation(s.dilation)
        .bias(false)
}

fn pool_params(s: &PoolState) -> Pool2dParams {
    Pool2dParams::new(s.kernel).stride(if s.stride == 0 { s.kernel } else { s.stride })
}

fn channels_params(s: &ChannelsState) -> Conv2dParams {
    Conv2dParams::new(s.cin, s.cout, s.k)
        .padding(s.padding)
        .groups(if s.depthwise { s.cin } else { 1 })
}

/// The output cell the widget shows now (where a teacher's value question starts).
pub fn current_cell(w: WidgetId, json: Option<&str>) -> (usize, usize) {
    let at = |step: usize, out: Result<(usize, usize), ShapeError>| match out {
        Ok((oh, ow)) if oh * ow > 0 => {
            let step = step.min(oh * ow - 1);
            (step / ow, step % ow)
        }
        _ => (0, 0),
    };
    match w {
        WidgetId::Conv | WidgetId::Padding => {
            let s = conv_state(w, json);
            at(s.step, conv_params(&s).out_hw(s.n, s.n))
        }
        WidgetId::Pool => {
            let s = json.map_or_else(PoolState::default, |t| parse_state::<PoolState>(t).0);
            let (n, _) = pool_channel(&s.input, 0);
            at(s.step, pool_params(&s).out_hw(n, n))
        }
        WidgetId::Channels => {
            let s = json.map_or_else(ChannelsState::default, |t| {
                parse_state::<ChannelsState>(t).0
            });
            (s.at.1, s.at.2)
        }
        WidgetId::Pointwise => {
            let s = pointwise_state(json);
            at(s.step, s.params().out_hw(POINTWISE_SIDE, POINTWISE_SIDE))
        }
        _ => (0, 0),
    }
}

fn pointwise_state(json: Option<&str>) -> PointwiseState {
    json.map_or_else(PointwiseState::default, |t| {
        parse_state::<PointwiseState>(t).0
    })
}

/// The 1×1 explorer's answers: output size, the value of output channel 0 at `cell` (the
/// pixel's channels times the first kernel's weights), and the weights (no bias).
fn pointwise_answer(
    q: Question,
    cell: (usize, usize),
    json: Option<&str>,
) -> Result<QuizAnswer, NoAnswer> {
    let s = pointwise_state(json);
    let p = s.params();
    let n = POINTWISE_SIDE;
    Ok(match q {
        Question::Size => core_quiz::conv_size(n, n, &p)?,
        Question::Value => {
            let (oh, ow) = p.out_hw(n, n)?;
            let (r, c) = cell;
            if r >= oh || c >= ow {
                return Err(NoAnswer::Outside(cell, (oh, ow)));
            }
            let (x, w) = (PointwiseState::input_tensor(), s.weight_tensor());
            let bias = Tensor::zeros(&[p.out_channels]);
            let (_, sums) = conv2d_channel_sums(&x, &w, &bias, &p, (0, r, c))?;
            let pixel: Vec<f32> = (0..POINTWISE_CIN)
                .map(|ch| POINTWISE_PICTURE[ch * n * n + r * n + c])
                .collect();
            core_quiz::pointwise_value(&POINTWISE_WEIGHTS[..POINTWISE_CIN], &pixel, &sums)
        }
        // (Dw is not asked here.)
        Question::Params | Question::Field | Question::Dw => core_quiz::pointwise_params(&p),
    })
}

fn pick<T: Clone>(
    items: Vec<T>,
    (r, c): (usize, usize),
    (oh, ow): (usize, usize),
) -> Result<T, NoAnswer> {
    if r >= oh || c >= ow {
        return Err(NoAnswer::Outside((r, c), (oh, ow)));
    }
    items
        .get(r * ow + c)
        .cloned()
        .ok_or(NoAnswer::Outside((r, c), (oh, ow)))
}

/// The backward explorer's answers: the size of ∂L/∂X (the input's), ∂L/∂X at `cell` (an
/// input cell), ∂L/∂W at `cell` (a kernel cell), the layer's weights and its window's field.
fn backward_answer(
    q: Question,
    cell: (usize, usize),
    json: Option<&str>,
) -> Result<QuizAnswer, NoAnswer> {
    let s = json.map_or_else(BackwardState::default, |t| {
        parse_state::<BackwardState>(t).0
    });
    let p = s.params();
    let (x, k) = (
        BackwardState::input_tensor(),
        BackwardState::kernel_tensor(),
    );
    let dy = s.dy_tensor(p.out_hw(5, 5)?);
    Ok(match q {
        Question::Size => core_quiz::gradient_size("X", (5, 5)),
        Question::Value => core_quiz::backward_value(&x, &k, &dy, &p, Grad::Dx(cell.0, cell.1))?
            .ok_or(NoAnswer::Outside(cell, (5, 5)))?,
        Question::Dw => core_quiz::backward_value(&x, &k, &dy, &p, Grad::Dw(cell.0, cell.1))?
            .ok_or(NoAnswer::Outside(cell, (3, 3)))?,
        Question::Params => core_quiz::conv_params(&p),
        Question::Field => core_quiz::window_field(3, 1),
    })
}

/// The right answer to `q` for widget `w` in the state `json` (the address's text under
/// [`state_key`]; `None`: the widget's defaults), with `cell` for the value question (the
/// quiz's `wcell` for the ∂L/∂W question).
pub fn answer(
    w: WidgetId,
    q: Question,
    cell: (usize, usize),
    json: Option<&str>,
) -> Result<QuizAnswer, NoAnswer> {
    match w {
        WidgetId::Pointwise => pointwise_answer(q, cell, json),
        WidgetId::Backward => backward_answer(q, cell, json),
        WidgetId::Conv | WidgetId::Padding => {
            let s = conv_state(w, json);
            let p = conv_params(&s);
            Ok(match q {
                Question::Size => core_quiz::conv_size(s.n, s.n, &p)?,
                Question::Value => {
                    let x = Tensor::new(&[s.n, s.n], s.input.clone())?;
                    let k = Tensor::new(&[s.k, s.k], s.kernel.clone())?;
                    let steps = conv2d_steps(&x, &k, Some(s.bias), &p)?;
                    core_quiz::conv_value(&pick(steps, cell, p.out_hw(s.n, s.n)?)?)
                }
                // (Dw is not asked here.)
                Question::Params | Question::Dw => core_quiz::conv_params(&p.bias(s.bias != 0.0)),
                Question::Field => core_quiz::window_field(s.k, s.dilation),
            })
        }
        WidgetId::Pool => {
            let s = json.map_or_else(PoolState::default, |t| parse_state::<PoolState>(t).0);
            let p = pool_params(&s);
            let (n, values) = pool_channel(&s.input, 0);
            Ok(match q {
                Question::Size => core_quiz::pool_size(n, n, &p)?,
                Question::Value => {
                    let x = Tensor::new(&[n, n], values)?;
                    let steps = pool2d_steps(&x, &p, s.max)?;
                    core_quiz::pool_value(&pick(steps, cell, p.out_hw(n, n)?)?, s.max)
                }
                Question::Params | Question::Dw => core_quiz::pool_params(),
                Question::Field => core_quiz::window_field(s.kernel, 1),
            })
        }
        WidgetId::Transpose => {
            let s = json.map_or_else(TransposeState::default, |t| {
                parse_state::<TransposeState>(t).0
            });
            let p = s.params();
            let n = s.input;
            Ok(match q {
                Question::Size => core_quiz::transpose_size(n, n, &p)?,
                Question::Value => {
                    let (x, k) = (s.input_tensor(), s.kernel_tensor());
                    let steps = conv_transpose2d_steps(&x, &k, &p)?;
                    let (oh, ow) = steps.out_hw;
                    let (r, c) = cell;
                    if r >= oh || c >= ow {
                        return Err(NoAnswer::Outside(cell, (oh, ow)));
                    }
                    core_quiz::transpose_value(&steps, &x, &k, r * ow + c)
                        .ok_or(NoAnswer::Outside(cell, (oh, ow)))?
                }
                Question::Params | Question::Field | Question::Dw => {
                    core_quiz::transpose_params(&p)
                }
            })
        }
        _ => {
            let s = json.map_or_else(ChannelsState::default, |t| {
                parse_state::<ChannelsState>(t).0
            });
            let p = channels_params(&s);
            p.validate()?;
            Ok(match q {
                Question::Size => core_quiz::conv_size(CHANNELS_SIDE, CHANNELS_SIDE, &p)?,
                Question::Value => {
                    // Output channel 0 at the quiz's cell, on the explorer's own input.
                    let (oh, ow) = p.out_hw(CHANNELS_SIDE, CHANNELS_SIDE)?;
                    if cell.0 >= oh || cell.1 >= ow {
                        return Err(NoAnswer::Outside(cell, (oh, ow)));
                    }
                    let (w, b) = channels_weights(&p);
                    let x = channels_input(s.cin);
                    let (_, sums) = conv2d_channel_sums(&x, &w, &b, &p, (0, cell.0, cell.1))?;
                    core_quiz::channels_value(&sums)
                }
                Question::Params | Question::Dw => core_quiz::conv_params(&p),
                Question::Field => core_quiz::window_field(s.k, 1),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::quiz::Expected;

    #[test]
    fn a_quiz_address_round_trips_and_bad_names_are_noted() {
        let (q, notes) = parse(
            WidgetId::Conv,
            Some("rf,size,bogus,value"),
            Some("stride,padding,stride,zzz"),
            [Some("1,2"), None],
        )
        .unwrap();
        assert_eq!(
            q.questions,
            [Question::Size, Question::Value, Question::Field]
        );
        assert_eq!(q.lock, ["stride", "padding"]);
        assert_eq!(q.cell, (1, 2));
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(query(&q), "quiz=size,value,rf&cell=1,2&lock=stride,padding");
        let (back, notes) = parse(
            WidgetId::Conv,
            Some("size,value,rf"),
            Some("stride,padding"),
            [Some("1,2"), None],
        )
        .unwrap();
        assert_eq!(back, q);
        assert!(notes.is_empty());
        assert_eq!(
            disabled_controls(WidgetId::Conv, &q),
            ["stride", "padding", "code"]
        );
        assert!(parse(WidgetId::Draw, Some("size"), None, [None, None]).is_none());
        assert!(parse(WidgetId::Conv, None, Some("padding"), [None, None]).is_none());
        let (all, notes) = parse(WidgetId::Pool, Some(""), None, [Some("x"), None]).unwrap();
        assert_eq!(all.questions, questions(WidgetId::Pool));
        assert_eq!(notes, [r#"cell "x" → 0,0"#]);
    }

    #[test]
    fn nothing_panics() {
        let pieces = [
            "size",
            "value",
            ",",
            "rf",
            "params",
            "9",
            "-1",
            "é",
            " ",
            "lock",
            "99999999999999999999",
        ];
        let mut seed = 7u64;
        for _ in 0..5000 {
            let mut text = String::new();
            for _ in 0..(seed % 6) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            for w in WidgetId::ALL {
                let _ = parse(w, Some(&text), Some(&text), [Some(&text), Some(&text)]);
                for q in Question::ALL {
                    let _ = answer(w, q, (seed as usize % 9, 0), Some(&text));
                }
            }
        }
    }

    /// The lesson's 5 × 5 input and 1…9 kernel with padding 1, as the explorer writes it.
    #[test]
    fn the_lessons_padded_convolution() {
        let json = r#"{"n":5,"input":[3,4,6,5,7,2,4,6,8,2,1,6,7,8,4,9,7,4,6,2,3,7,5,4,1],"k":3,"kernel":[1,2,3,4,5,6,7,8,9],"padding":1,"stride":1,"dilation":1,"step":7,"predict":false,"bias":0.0}"#;
        let a = |q, cell| answer(WidgetId::Conv, q, cell, Some(json)).unwrap();
        assert_eq!(a(Question::Size, (0, 0)).expected, Expected::Size(5, 5));
        assert_eq!(a(Question::Value, (0, 0)).expected, Expected::Number(91.0));
        assert_eq!(a(Question::Value, (1, 2)).expected, Expected::Number(295.0));
        assert_eq!(a(Question::Params, (0, 0)).working, "1·1·3·3 = 9");
        assert_eq!(a(Question::Field, (0, 0)).shown(), "3 × 3");
        assert_eq!(current_cell(WidgetId::Conv, Some(json)), (1, 2));
        assert_eq!(
            answer(WidgetId::Conv, Question::Value, (5, 0), Some(json)),
            Err(NoAnswer::Outside((5, 0), (5, 5)))
        );
        // No state in the address: the padding widget's own defaults (stride 2): 2 × 2.
        assert_eq!(
            answer(WidgetId::Padding, Question::Size, (0, 0), None)
                .unwrap()
                .expected,
            Expected::Size(2, 2)
        );
    }

    /// The transposed-convolution explorer: 3 × 3 input and kernel 1…9, stride 2, padding 1,
    /// output_padding 1 (PyTorch: a 6 × 6 output whose (1, 1) value is 40; 9 weights).
    #[test]
    fn transposed_convolution() {
        let json = r#"{"input":3,"k":3,"stride":2,"padding":1,"output_padding":1,"dilation":1,"ones":false,"step":0}"#;
        let a = |q, cell| answer(WidgetId::Transpose, q, cell, Some(json));
        assert_eq!(
            a(Question::Size, (0, 0)).unwrap().expected,
            Expected::Size(6, 6)
        );
        assert_eq!(
            a(Question::Value, (1, 1)).unwrap().expected,
            Expected::Number(40.0)
        );
        assert_eq!(
            a(Question::Value, (5, 3)).unwrap().expected,
            Expected::Number(135.0)
        );
        assert_eq!(a(Question::Params, (0, 0)).unwrap().shown(), "9");
        assert_eq!(
            a(Question::Value, (6, 0)),
            Err(NoAnswer::Outside((6, 0), (6, 6)))
        );
        let (q, notes) = parse(
            WidgetId::Transpose,
            Some("size,value,params,rf"),
            Some("output-padding,stride"),
            [Some("1,1"), None],
        )
        .unwrap();
        assert_eq!(
            q.questions,
            [Question::Size, Question::Value, Question::Params]
        );
        assert_eq!(q.lock, ["output-padding", "stride"]);
        assert_eq!(notes.len(), 1, "{notes:?}");
        // No state in the address: the explorer's defaults (2 × 2 input, kernel 2, stride 2).
        assert_eq!(
            answer(WidgetId::Transpose, Question::Size, (0, 0), None)
                .unwrap()
                .expected,
            Expected::Size(4, 4)
        );
    }

    /// The 1×1 explorer with 3 output channels (PyTorch: Conv2d(3, 3, 1, bias=False) on its
    /// picture gives [1, 3, 4, 4]; out[0, 0, 1, 1] = 3.4, out[0, 0, 3, 2] = 4.4; 9 weights).
    #[test]
    fn pointwise() {
        let json = r#"{"cout":3,"step":5}"#;
        let a = |q, cell| answer(WidgetId::Pointwise, q, cell, Some(json));
        assert_eq!(
            a(Question::Size, (0, 0)).unwrap().expected,
            Expected::Size(4, 4)
        );
        assert_eq!(
            a(Question::Value, (1, 1)).unwrap().working,
            "0.3·9 + 0.6·1 + 0.1·1 = 3.4"
        );
        assert_eq!(
            a(Question::Value, (3, 2)).unwrap().working,
            "0.3·0 + 0.6·7 + 0.1·2 = 4.4"
        );
        assert_eq!(a(Question::Params, (0, 0)).unwrap().working, "3·3 = 9");
        assert_eq!(
            a(Question::Value, (4, 0)),
            Err(NoAnswer::Outside((4, 0), (4, 4)))
        );
        assert_eq!(current_cell(WidgetId::Pointwise, Some(json)), (1, 1));
        // No state: the explorer's defaults (2 output channels, first pixel).
        assert_eq!(
            answer(WidgetId::Pointwise, Question::Params, (0, 0), None)
                .unwrap()
                .shown(),
            "6"
        );
        let (q, notes) = parse(
            WidgetId::Pointwise,
            Some("value,rf"),
            Some("cout,k"),
            [None, None],
        )
        .unwrap();
        assert_eq!(q.questions, [Question::Value]);
        assert_eq!(q.lock, ["cout"]);
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    /// The backward explorer with padding 1, stride 2 and the mixed upstream gradient (golden
    /// from PyTorch, tests/fixtures/make_backward_quiz.py: x.grad[1, 3] = 12, w.grad[1, 0] = 17).
    #[test]
    fn backward() {
        let json = r#"{"padding":1,"stride":2,"ones":false,"step":4}"#;
        let a = |q, cell| answer(WidgetId::Backward, q, cell, Some(json));
        let size = a(Question::Size, (0, 0)).unwrap();
        assert_eq!(size.expected, Expected::Size(5, 5));
        assert_eq!(
            a(Question::Value, (1, 3)).unwrap().working,
            "1·9 + 0·7 + 1·3 + 0·1 = 12"
        );
        assert_eq!(
            a(Question::Dw, (1, 0)).unwrap().working,
            "1·4 + 0·5 + 1·6 + 0·8 + 1·7 + 0·4 = 17"
        );
        assert_eq!(a(Question::Params, (0, 0)).unwrap().working, "1·1·3·3 = 9");
        assert_eq!(a(Question::Field, (0, 0)).unwrap().shown(), "3 × 3");
        assert_eq!(
            a(Question::Dw, (3, 0)),
            Err(NoAnswer::Outside((3, 0), (3, 3)))
        );
        assert_eq!(
            a(Question::Value, (5, 0)),
            Err(NoAnswer::Outside((5, 0), (5, 5)))
        );
        // The message names the grid: the input for ∂L/∂X, the kernel for ∂L/∂W.
        assert_eq!(
            outside_key(WidgetId::Backward, Question::Value),
            "quiz.outside_dx"
        );
        assert_eq!(
            outside_key(WidgetId::Backward, Question::Dw),
            "quiz.outside_dw"
        );
        assert_eq!(outside_key(WidgetId::Conv, Question::Value), "quiz.outside");
        // Defaults (padding 0, stride 1, dY of ones): ∂L/∂X[2, 2] = 45.
        assert_eq!(
            answer(WidgetId::Backward, Question::Value, (2, 2), None)
                .unwrap()
                .expected,
            Expected::Number(45.0)
        );
        let (q, notes) = parse(
            WidgetId::Backward,
            Some("dw,value,bogus"),
            Some("dy,stride,k"),
            [Some("1,3"), Some("1,0")],
        )
        .unwrap();
        assert_eq!(q.questions, [Question::Value, Question::Dw]);
        assert_eq!(q.lock, ["dy", "stride"]);
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(query(&q), "quiz=value,dw&cell=1,3&wcell=1,0&lock=dy,stride");
        assert_eq!(state_key(WidgetId::Backward), "backward");
        assert_eq!(Question::Value.key(WidgetId::Backward), "quiz.q.dx");
        assert_eq!(Question::Value.key(WidgetId::Conv), "quiz.q.value");
        assert_eq!(
            Question::Size.short_key(WidgetId::Backward),
            "quiz.t.dx_size"
        );
        assert_eq!(Question::Size.short_key(WidgetId::Conv), "quiz.t.size");
    }

    #[test]
    fn pooling_and_channels() {
        let a = |w, q, json: Option<&str>| answer(w, q, (1, 0), json).unwrap();
        assert_eq!(
            a(WidgetId::Pool, Question::Value, None).working,
            "max(1, 0, 9, 4) = 9".replace("1, 0, 9, 4", &{
                let (_, v) = pool_channel("lesson", 0);
                format!("{}, {}, {}, {}", v[8], v[9], v[12], v[13])
            })
        );
        assert_eq!(
            a(WidgetId::Pool, Question::Value, None).expected,
            Expected::Number(9.0)
        );
        assert_eq!(a(WidgetId::Pool, Question::Params, None).shown(), "0");
        assert_eq!(
            a(WidgetId::Pool, Question::Field, Some(r#"{"kernel":3}"#)).shown(),
            "3 × 3"
        );
        assert_eq!(
            a(WidgetId::Channels, Question::Params, None).working,
            "2·3·3·3 + 2 = 56"
        );
        assert_eq!(a(WidgetId::Channels, Question::Size, None).shown(), "3 × 3");
        // Output channel 0 at (1, 0) of Conv2d(3, 2, 3) on the RGB picture (PyTorch: F.conv2d gives 1 + 3 − 5 + 0 = −1).
        let v = a(WidgetId::Channels, Question::Value, None);
        assert_eq!(v.working, "1 + 3 + -5 + 0 = -1");
        assert_eq!(v.expected, Expected::Number(-1.0));
        let depthwise = r#"{"cin":4,"cout":8,"k":3,"padding":1,"depthwise":true}"#;
        assert_eq!(
            a(WidgetId::Channels, Question::Params, Some(depthwise)).working,
            "8·1·3·3 + 8 = 80"
        );
    }
}
