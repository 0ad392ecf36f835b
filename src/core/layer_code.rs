//! PyTorch layer code read back: the explorers' code boxes are editable, and typing or pasting
//! `nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1)` sets the explorer.
//!
//! How it works: [`find`] tokenizes the text (names with dots, whole numbers, strings, `True` /
//! `False` / `None`, brackets, commas, `=`), finds the first call of a layer it knows
//! (`nn.Conv2d`, `F.conv2d`, `nn.MaxPool2d`, `nn.AvgPool2d`, `F.max_pool2d`, `F.avg_pool2d`,
//! with or without `torch.` in front, anywhere in a snippet), and binds its arguments as Python
//! does: positional in PyTorch's order, then keywords; `(3, 3)` where the two are equal. What it
//! cannot take is a [`CodeError`] that names the argument; [`check`] then holds each number to the
//! range the explorer offers. Nothing here panics on any input (fuzzed in `tests/layer_code_fuzz.rs`).

use serde::Serialize;
use thiserror::Error;

/// Why a piece of code cannot set the explorer. `Display` is English; the app translates each
/// variant from its fields.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize)]
pub enum CodeError {
    /// No layer call in the text.
    #[error("no layer found: write nn.Conv2d(…), F.conv2d(…), nn.MaxPool2d(…) or nn.AvgPool2d(…)")]
    NoLayer,
    /// A call of a layer this explorer does not show.
    #[error(
        "{name} is not a layer this explorer shows: write nn.Conv2d, F.conv2d, nn.MaxPool2d or nn.AvgPool2d"
    )]
    UnknownLayer {
        /// The call as written.
        name: String,
    },
    /// The call's brackets or commas do not parse.
    #[error("{layer}: the arguments do not parse near character {at}: {expected}")]
    Syntax {
        /// The layer.
        layer: String,
        /// 1-based character position.
        at: usize,
        /// What was expected there.
        expected: Expected,
    },
    /// An argument the layer does not have.
    #[error("{layer} has no argument {name}")]
    UnknownArgument {
        /// The layer.
        layer: String,
        /// The argument as written.
        name: String,
    },
    /// An argument given twice (positionally and by name, or twice by name).
    #[error("{layer}: {name} is given twice")]
    Duplicate {
        /// The layer.
        layer: String,
        /// The argument.
        name: &'static str,
    },
    /// More positional arguments than the layer takes.
    #[error("{layer} takes at most {max} arguments by position")]
    TooManyArguments {
        /// The layer.
        layer: String,
        /// How many it takes.
        max: usize,
    },
    /// A positional argument after a keyword one.
    #[error("{layer}: an argument without a name follows a named one")]
    PositionalAfterKeyword {
        /// The layer.
        layer: String,
    },
    /// A required argument is missing.
    #[error("{layer} needs {name}")]
    Missing {
        /// The layer.
        layer: String,
        /// The argument.
        name: &'static str,
    },
    /// Not a whole number ≥ 0 (or a tuple of two equal ones) where one is needed.
    #[error("{name} must be a whole number from 0 up, or (n, n), but is {text}")]
    NotANumber {
        /// The argument.
        name: &'static str,
        /// What was written.
        text: String,
    },
    /// A tuple with two different numbers: the explorers show square kernels and steps.
    #[error("{name} = ({a}, {b}): this explorer takes the same number for height and width")]
    NotSquare {
        /// The argument.
        name: &'static str,
        /// The first number.
        a: u64,
        /// The second.
        b: u64,
    },
    /// A value the explorer does not show (e.g. `padding_mode='reflect'`, `ceil_mode=True`).
    #[error("{name} = {value} is not shown here: use {allowed}")]
    Unsupported {
        /// The argument.
        name: &'static str,
        /// What was written.
        value: String,
        /// What it takes.
        allowed: &'static str,
    },
    /// A number the explorer does not offer (it offers a few, not a range).
    #[error("{name} = {value}: this explorer takes {}", list(allowed))]
    NotOneOf {
        /// The argument.
        name: &'static str,
        /// The number.
        value: u64,
        /// What it offers.
        allowed: Vec<u64>,
    },
    /// A layer of another explorer (a pooling layer in the convolution explorer).
    #[error("this explorer shows {here}, not {layer}")]
    NotHere {
        /// The layer given.
        layer: Family,
        /// What this explorer shows.
        here: Family,
    },
    /// A number outside the explorer's range.
    #[error("{name} = {value}: this explorer takes {min} to {max}")]
    OutOfRange {
        /// The argument.
        name: &'static str,
        /// The number.
        value: u64,
        /// The smallest allowed.
        min: u64,
        /// The largest allowed.
        max: u64,
    },
}

/// Convolution or pooling: which explorer a layer belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Family {
    /// `nn.Conv2d` / `F.conv2d`.
    Conv,
    /// `nn.MaxPool2d` / `nn.AvgPool2d`.
    Pool,
}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Family::Conv => "a convolution (nn.Conv2d)",
            Family::Pool => "pooling (nn.MaxPool2d or nn.AvgPool2d)",
        })
    }
}

impl LayerCode {
    /// Which explorer the layer belongs to.
    pub fn family(&self) -> Family {
        match self {
            LayerCode::Conv(_) => Family::Conv,
            LayerCode::Pool(_) => Family::Pool,
        }
    }
}

/// What the reader expected where the arguments stopped parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Expected {
    /// A value.
    Value,
    /// `,` or `)` after an argument.
    CommaOrParen,
    /// `,` or the bracket closing a tuple.
    CommaOrBracket,
    /// The bracket closing a call inside an argument.
    ClosingBracket,
    /// Tuples nested less deeply.
    FewerBrackets,
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Expected::Value => "a value",
            Expected::CommaOrParen => "a comma or ')'",
            Expected::CommaOrBracket => "a comma or a closing bracket",
            Expected::ClosingBracket => "a closing bracket",
            Expected::FewerBrackets => "fewer brackets",
        })
    }
}

/// A convolution as the code gives it; `None` where the code leaves it to the explorer
/// (`F.conv2d` takes its channels and kernel from tensors).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConvCode {
    /// in_channels.
    pub in_channels: Option<u64>,
    /// out_channels.
    pub out_channels: Option<u64>,
    /// kernel_size.
    pub kernel: Option<u64>,
    /// stride.
    pub stride: u64,
    /// padding (`'valid'` is 0; `'same'` is [`Padding::Same`]).
    pub padding: Padding,
    /// dilation.
    pub dilation: u64,
    /// groups.
    pub groups: u64,
    /// Whether there is a bias.
    pub bias: bool,
}

/// Padding as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Padding {
    /// A number of zeros on each side.
    Size(u64),
    /// `padding='same'`: as much as keeps the size at stride 1.
    Same,
}

impl Padding {
    /// The zeros on each side for a kernel of `kernel` with `dilation` (`'same'` pads
    /// `dilation·(kernel − 1) / 2`, as PyTorch does for odd spans).
    pub fn size(self, kernel: u64, dilation: u64) -> u64 {
        match self {
            Padding::Size(p) => p,
            Padding::Same => dilation.saturating_mul(kernel.saturating_sub(1)) / 2,
        }
    }
}

/// Max or average pooling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PoolKind {
    /// `nn.MaxPool2d`.
    Max,
    /// `nn.AvgPool2d`.
    Avg,
}

/// A pooling layer as the code gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PoolCode {
    /// Max or average.
    pub kind: PoolKind,
    /// kernel_size.
    pub kernel: u64,
    /// stride (PyTorch's default: the kernel size).
    pub stride: u64,
    /// padding.
    pub padding: u64,
    /// dilation (max pooling only; 1 otherwise).
    pub dilation: u64,
}

/// The layer found in the code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum LayerCode {
    /// A convolution.
    Conv(ConvCode),
    /// A pooling layer.
    Pool(PoolCode),
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Name(String),
    Int(u64),
    /// A number that is not a whole one ≥ 0 that fits (text kept for the message).
    BadNumber(String),
    Str(String),
    Punct(char),
}

fn tokenize(text: &str) -> Vec<(usize, Token)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c.is_whitespace() || c == '\\' {
            i += 1;
        } else if c.is_ascii_alphabetic() || c == '_' {
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            out.push((start, Token::Name(chars[start..i].iter().collect())));
        } else if c.is_ascii_digit()
            || ((c == '-' || c == '+' || c == '.')
                && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            i += 1;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '.' || chars[i] == '_')
            {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let token = text
                .replace('_', "")
                .parse::<u64>()
                .ok()
                .filter(|_| c.is_ascii_digit() || c == '+')
                .map_or(Token::BadNumber(text), Token::Int);
            out.push((start, token));
        } else if c == '\'' || c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != c && chars[i] != '\n' {
                i += 1;
            }
            out.push((
                start,
                Token::Str(chars[start + 1..i.min(chars.len())].iter().collect()),
            ));
            i += 1;
        } else {
            out.push((start, Token::Punct(c)));
            i += 1;
        }
    }
    out
}

/// A value as written: what an argument may be.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Int(u64),
    Tuple(Vec<Value>),
    Str(String),
    Bool(bool),
    None,
    /// A name (a tensor in `F.conv2d(x, w)`), a bad number, or anything else.
    Other(String),
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Int(n) => n.to_string(),
            Value::Tuple(v) => format!(
                "({})",
                v.iter().map(Value::text).collect::<Vec<_>>().join(", ")
            ),
            Value::Str(s) => format!("'{s}'"),
            Value::Bool(b) => if *b { "True" } else { "False" }.into(),
            Value::None => "None".into(),
            Value::Other(s) => s.clone(),
        }
    }
}

/// The layers known, their positional argument names and what each is.
struct Signature {
    names: &'static [&'static str],
    kind: Known,
}

#[derive(Clone, Copy, PartialEq)]
enum Known {
    Conv,
    FConv,
    MaxPool,
    AvgPool,
    FMaxPool,
    FAvgPool,
}

/// `F.avg_pool2d`'s arguments in order.
const AVG_POOL: [&str; 7] = [
    "input",
    "kernel_size",
    "stride",
    "padding",
    "ceil_mode",
    "count_include_pad",
    "divisor_override",
];

fn signature(callee: &str) -> Option<Signature> {
    let last = callee.rsplit('.').next().unwrap_or(callee);
    let prefix = callee.strip_suffix(last).unwrap_or("");
    let functional = matches!(
        prefix,
        "F." | "torch.nn.functional." | "nn.functional." | "torch."
    );
    let module = matches!(prefix, "" | "nn." | "torch.nn.");
    let (names, kind): (&'static [&'static str], Known) = match last {
        "Conv2d" if module => (
            &[
                "in_channels",
                "out_channels",
                "kernel_size",
                "stride",
                "padding",
                "dilation",
                "groups",
                "bias",
                "padding_mode",
                "device",
                "dtype",
            ],
            Known::Conv,
        ),
        "conv2d" if functional => (
            &[
                "input", "weight", "bias", "stride", "padding", "dilation", "groups",
            ],
            Known::FConv,
        ),
        "MaxPool2d" if module => (
            &[
                "kernel_size",
                "stride",
                "padding",
                "dilation",
                "return_indices",
                "ceil_mode",
            ],
            Known::MaxPool,
        ),
        // nn.AvgPool2d takes F.avg_pool2d's arguments without the input.
        "AvgPool2d" if module => (&AVG_POOL[1..], Known::AvgPool),
        "max_pool2d" if functional => (
            &[
                "input",
                "kernel_size",
                "stride",
                "padding",
                "dilation",
                "ceil_mode",
                "return_indices",
            ],
            Known::FMaxPool,
        ),
        "avg_pool2d" if functional => (&AVG_POOL, Known::FAvgPool),
        _ => return None,
    };
    Some(Signature { names, kind })
}

/// Whether a name looks like a layer call PyTorch has (`nn.Conv1d`, `F.relu`): one the reader
/// does not take is named in the error rather than skipped.
fn looks_like_layer(callee: &str) -> bool {
    ["nn.", "F.", "torch."]
        .iter()
        .any(|p| callee.starts_with(p))
}

struct Parser<'a> {
    tokens: &'a [(usize, Token)],
    at: usize,
    layer: String,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(_, t)| t)
    }

    fn error(&self, expected: Expected) -> CodeError {
        let at = self
            .tokens
            .get(self.at)
            .or(self.tokens.last())
            .map_or(0, |(p, _)| *p);
        CodeError::Syntax {
            layer: self.layer.clone(),
            at: at + 1,
            expected,
        }
    }

    fn punct(&mut self, c: char) -> bool {
        if self.peek() == Some(&Token::Punct(c)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// One value; nesting is bounded by the text, and each level consumes a token.
    fn value(&mut self, depth: usize) -> Result<Value, CodeError> {
        if depth > 8 {
            return Err(self.error(Expected::FewerBrackets));
        }
        let token = self
            .peek()
            .cloned()
            .ok_or_else(|| self.error(Expected::Value))?;
        self.at += 1;
        Ok(match token {
            Token::Int(n) => Value::Int(n),
            Token::BadNumber(s) => Value::Other(s),
            Token::Str(s) => Value::Str(s),
            Token::Name(n) => match n.as_str() {
                "True" => Value::Bool(true),
                "False" => Value::Bool(false),
                "None" => Value::None,
                _ => {
                    // A call or index inside an argument (`torch.randn(1, 1, 5, 5)`): skip it.
                    if matches!(self.peek(), Some(Token::Punct('(' | '['))) {
                        self.skip_group()?;
                    }
                    Value::Other(n)
                }
            },
            Token::Punct(open @ ('(' | '[')) => {
                let close = if open == '(' { ')' } else { ']' };
                let mut items = Vec::new();
                while !self.punct(close) {
                    items.push(self.value(depth + 1)?);
                    if !self.punct(',') {
                        if self.punct(close) {
                            break;
                        }
                        return Err(self.error(Expected::CommaOrBracket));
                    }
                }
                Value::Tuple(items)
            }
            Token::Punct(_) => {
                self.at -= 1;
                return Err(self.error(Expected::Value));
            }
        })
    }

    fn skip_group(&mut self) -> Result<(), CodeError> {
        let mut depth = 0usize;
        while let Some(t) = self.peek().cloned() {
            self.at += 1;
            match t {
                Token::Punct('(' | '[') => depth += 1,
                Token::Punct(')' | ']') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(self.error(Expected::ClosingBracket))
    }

    /// The arguments after the opening bracket, up to the closing one.
    fn arguments(&mut self) -> Result<Vec<(Option<String>, Value)>, CodeError> {
        let mut args = Vec::new();
        while !self.punct(')') {
            let named = match (self.peek(), self.tokens.get(self.at + 1).map(|(_, t)| t)) {
                (Some(Token::Name(n)), Some(Token::Punct('='))) => {
                    let n = n.clone();
                    self.at += 2;
                    Some(n)
                }
                _ => None,
            };
            args.push((named, self.value(0)?));
            if !self.punct(',') {
                if self.punct(')') {
                    break;
                }
                return Err(self.error(Expected::CommaOrParen));
            }
        }
        Ok(args)
    }
}

/// Finds the first layer call in `text` and reads it.
pub fn find(text: &str) -> Result<LayerCode, CodeError> {
    let tokens = tokenize(text);
    let mut unknown = None;
    for (i, (_, token)) in tokens.iter().enumerate() {
        let Token::Name(callee) = token else { continue };
        if tokens.get(i + 1).map(|(_, t)| t) != Some(&Token::Punct('(')) {
            continue;
        }
        match signature(callee) {
            Some(sig) => {
                let mut p = Parser {
                    tokens: &tokens,
                    at: i + 2,
                    layer: callee.clone(),
                };
                let args = p.arguments()?;
                return bind(callee, &sig, args);
            }
            None if unknown.is_none() && looks_like_layer(callee) => unknown = Some(callee.clone()),
            None => {}
        }
    }
    Err(unknown.map_or(CodeError::NoLayer, |name| CodeError::UnknownLayer { name }))
}

/// The arguments by name, positional ones first.
fn bind(
    layer: &str,
    sig: &Signature,
    args: Vec<(Option<String>, Value)>,
) -> Result<LayerCode, CodeError> {
    let mut bound: Vec<Option<Value>> = vec![None; sig.names.len()];
    let mut seen_keyword = false;
    for (i, (name, value)) in args.into_iter().enumerate() {
        let slot = match name {
            None if seen_keyword => {
                return Err(CodeError::PositionalAfterKeyword {
                    layer: layer.into(),
                });
            }
            None if i >= sig.names.len() => {
                return Err(CodeError::TooManyArguments {
                    layer: layer.into(),
                    max: sig.names.len(),
                });
            }
            None => i,
            Some(n) => {
                seen_keyword = true;
                sig.names
                    .iter()
                    .position(|s| *s == n)
                    .ok_or(CodeError::UnknownArgument {
                        layer: layer.into(),
                        name: n,
                    })?
            }
        };
        if bound[slot].is_some() {
            return Err(CodeError::Duplicate {
                layer: layer.into(),
                name: sig.names[slot],
            });
        }
        bound[slot] = Some(value);
    }
    let get = |name: &str| {
        sig.names
            .iter()
            .position(|s| *s == name)
            .and_then(|i| bound[i].clone())
    };
    let missing = |name: &'static str| CodeError::Missing {
        layer: layer.into(),
        name,
    };
    let size = |name: &'static str, default: u64| -> Result<u64, CodeError> {
        get(name).map_or(Ok(default), |v| whole(name, &v))
    };
    let only = |name: &'static str, allowed: Value, text: &'static str| -> Result<(), CodeError> {
        match get(name) {
            Some(v) if v != allowed => Err(CodeError::Unsupported {
                name,
                value: v.text(),
                allowed: text,
            }),
            _ => Ok(()),
        }
    };
    match sig.kind {
        Known::Conv | Known::FConv => {
            let functional = sig.kind == Known::FConv;
            if functional {
                get("input").ok_or_else(|| missing("input"))?;
                get("weight").ok_or_else(|| missing("weight"))?;
            } else {
                only(
                    "padding_mode",
                    Value::Str("zeros".into()),
                    "padding_mode='zeros'",
                )?;
            }
            let required = |name: &'static str| -> Result<Option<u64>, CodeError> {
                if functional {
                    return Ok(None);
                }
                let v = get(name).ok_or_else(|| missing(name))?;
                whole(name, &v).map(Some)
            };
            let bias = match get("bias") {
                // nn.Conv2d has a bias unless told; F.conv2d only when given one.
                None => !functional,
                Some(Value::Bool(b)) => b,
                Some(Value::None) => false,
                Some(Value::Other(_)) if functional => true,
                Some(v) => {
                    return Err(CodeError::Unsupported {
                        name: "bias",
                        value: v.text(),
                        allowed: "True or False",
                    });
                }
            };
            let padding = match get("padding") {
                Some(Value::Str(s)) if s == "same" => Padding::Same,
                Some(Value::Str(s)) if s == "valid" => Padding::Size(0),
                Some(v) => Padding::Size(whole("padding", &v)?),
                None => Padding::Size(0),
            };
            let stride = size("stride", 1)?;
            if padding == Padding::Same && stride != 1 {
                return Err(CodeError::Unsupported {
                    name: "padding",
                    value: "'same'".into(),
                    allowed: "a number when stride is not 1 (PyTorch refuses 'same' with stride > 1)",
                });
            }
            Ok(LayerCode::Conv(ConvCode {
                in_channels: required("in_channels")?,
                out_channels: required("out_channels")?,
                kernel: required("kernel_size")?,
                stride,
                padding,
                dilation: size("dilation", 1)?,
                groups: size("groups", 1)?,
                bias,
            }))
        }
        Known::MaxPool | Known::AvgPool | Known::FMaxPool | Known::FAvgPool => {
            let max = matches!(sig.kind, Known::MaxPool | Known::FMaxPool);
            if matches!(sig.kind, Known::FMaxPool | Known::FAvgPool) {
                get("input").ok_or_else(|| missing("input"))?;
            }
            let kernel = whole(
                "kernel_size",
                &get("kernel_size").ok_or_else(|| missing("kernel_size"))?,
            )?;
            only("ceil_mode", Value::Bool(false), "ceil_mode=False")?;
            if !max {
                only(
                    "count_include_pad",
                    Value::Bool(true),
                    "count_include_pad=True",
                )?;
                only("divisor_override", Value::None, "divisor_override=None")?;
            }
            let stride = match get("stride") {
                None | Some(Value::None) => kernel,
                Some(v) => whole("stride", &v)?,
            };
            Ok(LayerCode::Pool(PoolCode {
                kind: if max { PoolKind::Max } else { PoolKind::Avg },
                kernel,
                stride,
                padding: size("padding", 0)?,
                dilation: if max { size("dilation", 1)? } else { 1 },
            }))
        }
    }
}

/// A whole number, or a tuple of two equal ones.
fn whole(name: &'static str, v: &Value) -> Result<u64, CodeError> {
    match v {
        Value::Int(n) => Ok(*n),
        Value::Tuple(items) => match items.as_slice() {
            [Value::Int(a), Value::Int(b)] if a == b => Ok(*a),
            [Value::Int(a), Value::Int(b)] => Err(CodeError::NotSquare { name, a: *a, b: *b }),
            _ => Err(CodeError::NotANumber {
                name,
                text: v.text(),
            }),
        },
        _ => Err(CodeError::NotANumber {
            name,
            text: v.text(),
        }),
    }
}

/// "1, 2, 3 or 8".
pub fn list(values: &[u64]) -> String {
    let text: Vec<String> = values.iter().map(u64::to_string).collect();
    match text.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => text.join(""),
    }
}

/// Holds `value` of argument `name` to one of `allowed`.
pub fn check_one_of(name: &'static str, value: u64, allowed: &[u64]) -> Result<u64, CodeError> {
    if allowed.contains(&value) {
        Ok(value)
    } else {
        Err(CodeError::NotOneOf {
            name,
            value,
            allowed: allowed.to_vec(),
        })
    }
}

/// Holds `value` of argument `name` to `min..=max`.
pub fn check(name: &'static str, value: u64, min: u64, max: u64) -> Result<u64, CodeError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(CodeError::OutOfRange {
            name,
            value,
            min,
            max,
        })
    }
}

#[cfg(test)]
mod tests;
