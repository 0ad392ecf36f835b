//! `convscope eval`: accuracy, loss and the confusion matrix on the 10,000 test images;
//! `--predictions FILE` also writes the predicted digit of each test image, in order, as one line.

use super::args::Args;
use super::data::{backend, load_model, load_split};
use super::io;
use crate::models::classifier::ModelKind;
use crate::train::fit::evaluate;
use std::io::Write;

pub fn run(rest: &[String], out: &mut impl Write) -> Result<(), String> {
    let a = Args::parse(
        rest,
        &["model", "weights", "data", "backend", "predictions"],
        &[],
    )?;
    let kind = ModelKind::parse(a.opt("model").unwrap_or("net"))?;
    let net = load_model(kind, a.opt("weights"))?;
    let test = load_split(a.opt("data"), "t10k")?;
    let be = backend(a.opt("backend"))?;
    let eval = evaluate(be.as_ref(), net.as_ref(), &test, 1000).map_err(|e| e.to_string())?;
    if let Some(path) = a.opt("predictions") {
        let digits: String = eval
            .predictions
            .iter()
            .map(|d| char::from(b'0' + d))
            .collect();
        std::fs::write(path, digits + "\n")
            .map_err(|e| format!("cannot write the predictions to {path}: {e}"))?;
    }
    writeln!(
        out,
        "test accuracy: {:.2} % ({} / {}), mean loss {:.4}",
        eval.accuracy_percent(),
        eval.correct,
        eval.total,
        eval.loss
    )
    .map_err(io)?;
    writeln!(
        out,
        "confusion matrix (rows: true digit, columns: predicted):"
    )
    .map_err(io)?;
    writeln!(
        out,
        "      {}",
        (0..10).map(|d| format!("{d:>5}")).collect::<String>()
    )
    .map_err(io)?;
    for (digit, row) in eval.confusion.iter().enumerate() {
        writeln!(
            out,
            "{digit:>5} {}",
            row.iter().map(|c| format!("{c:>5}")).collect::<String>()
        )
        .map_err(io)?;
    }
    Ok(())
}
