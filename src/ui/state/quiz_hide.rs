//! What a classroom quiz keeps hidden until it is answered, so the explorer does not give the
//! answer away: the output cell a value question asks about, and the output size / parameter
//! figures where a question asks for them.
//!
//! The embed page provides a [`QuizHide`] context when its address is a quiz
//! ([`crate::quiz`]); the quiz panel clears each flag once its question is answered (right or
//! wrong), and the explorers read it ([`use_hidden`]) to print
//! `?` instead of the number. Outside a quiz there is no context and nothing is hidden. Stepping
//! is untouched: only the printed figures change.

use crate::quiz::{Question, Quiz};
use leptos::prelude::*;

/// The figures still hidden.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hidden {
    /// The output size (a size question is unanswered).
    pub size: bool,
    /// The output cell (row, column) of an unanswered value question.
    pub cell: Option<(usize, usize)>,
    /// The parameter count (a parameter question is unanswered).
    pub params: bool,
    /// The kernel cell (row, column) of an unanswered ∂L/∂W question (backward explorer).
    pub wcell: Option<(usize, usize)>,
}

impl Hidden {
    /// Everything `quiz` asks about, hidden.
    pub fn of(quiz: &Quiz) -> Self {
        let asks = |q| quiz.questions.contains(&q);
        Hidden {
            size: asks(Question::Size),
            cell: asks(Question::Value).then_some(quiz.cell),
            params: asks(Question::Params),
            wcell: asks(Question::Dw).then_some(quiz.wcell),
        }
    }

    /// `q` was answered: its figure may show.
    pub fn reveal(&mut self, q: Question) {
        match q {
            Question::Size => self.size = false,
            Question::Value => self.cell = None,
            Question::Params => self.params = false,
            Question::Dw => self.wcell = None,
            Question::Field => {}
        }
    }
}

/// The context: what is hidden now.
#[derive(Clone, Copy)]
pub struct QuizHide(pub RwSignal<Hidden>);

/// `code` with the comment after `# ` on every line that starts with `line` as `?` when `hide`
/// (a PyTorch code box's printed shape, e.g. `print(output.shape)  # ?`).
pub fn hide_comment(code: String, line: &str, hide: bool) -> String {
    if !hide {
        return code;
    }
    let lines = code.lines().map(|l| match l.split_once("# ") {
        Some((head, _)) if l.starts_with(line) => format!("{head}# ?"),
        _ => l.to_string(),
    });
    lines.collect::<Vec<_>>().join("\n")
}

/// A tensor shape `(1, C, H, W)` as the explorers print it, with `H` and `W` as `?` when
/// `hide_hw` (an unanswered size question).
pub fn shape_hiding(s: &[usize], hide_hw: bool) -> String {
    let n = s.len();
    let parts: Vec<String> = s
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if hide_hw && i + 2 >= n {
                "?".to_string()
            } else {
                v.to_string()
            }
        })
        .collect();
    format!("({})", parts.join(", "))
}

/// What is hidden, for a widget to read (call once while building it; the signal is
/// tracked where read). Outside a quiz: nothing, always.
pub fn use_hidden() -> Signal<Hidden> {
    match use_context::<QuizHide>() {
        Some(h) => h.0.into(),
        None => Signal::stored(Hidden::default()),
    }
}
