//! The native command-line tool: `cargo run --release --bin convscope -- <command>`.
//!
//! Commands print to the writer they are given, so tests capture the output; errors come back
//! as messages and exit status 2 (bad usage) or 1 (a failure while running).

mod args;
mod bench;
mod data;
mod depth;
mod eval;
mod predict;
mod train;

use crate::i18n::{Lang, tr};
use crate::pages::Page;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "convscope: an interactive convolution lab (native tools)

Usage: convscope <command> [flags]

Commands:
  train      train the lesson's Net (or --model resnet|inception) on MNIST and save safetensors
             weights --epochs N (10) --batch N (64) --lr F (0.01) --momentum F (0.5) --nesterov
             --weight-decay F (0) --optimizer sgd|adam (sgd) --schedule none|step:EVERY:GAMMA|cosine
             --seed N (1) --backend simd|reference (simd) --data DIR --out FILE
             --limit N (train on the first N images only) --quiet
             --augment none|shift:N (move each training image by up to N pixels; none)
  eval       accuracy and confusion matrix on the 10,000 test images
             --model net|resnet|inception (net) --weights FILE (www/models/<model>.safetensors)
             --data DIR --backend simd|reference
             --predictions FILE (each test image's predicted digit, in order, on one line)
  predict    the ten class probabilities of one image
             --index N (a test-set image) | --png FILE (28x28, white digit on black; --invert for
             black on white) --weights FILE --data DIR
  summary    the Net's layers, shapes, parameters and multiplications
             --batch N (1) --height N (28) --width N (28)
  depth      plain vs residual stacks of N 3x3 convolutions trained side by side
             --layers 4,8,16 --steps N (300) --batch N (64) --every N (25) --test N (1000)
             --seed N (1) --json FILE
  bench      speed of the CPU backends and the GPU (see `make bench`) --json FILE --quick --no-gpu --gpu-only
  pages      list the app's pages and their URLs (English and Chinese titles)
  version    print the version
  help       print this message";

/// Runs the command named by `args` and returns the process exit code.
pub fn run(args: &[String], out: &mut impl Write) -> ExitCode {
    let rest = args.get(1..).unwrap_or(&[]);
    let result = match args.first().map(String::as_str) {
        None | Some("help" | "--help" | "-h") => {
            writeln!(out, "{USAGE}").map_err(|e| e.to_string())
        }
        Some("version" | "--version" | "-V") => {
            writeln!(out, "convscope {}", env!("CARGO_PKG_VERSION")).map_err(|e| e.to_string())
        }
        Some("pages") => list_pages(out).map_err(|e| e.to_string()),
        Some("summary") => summary(rest, out),
        Some("train") => train::run(rest, out),
        Some("eval") => eval::run(rest, out),
        Some("predict") => predict::run(rest, out),
        Some("bench") => bench::run(rest, out),
        Some("depth") => depth::run(rest, out),
        Some(other) => {
            eprintln!("convscope: unknown command '{other}'\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("convscope: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Maps an I/O error to the CLI's message type.
pub(crate) fn io(e: std::io::Error) -> String {
    format!("cannot write output: {e}")
}

fn list_pages(out: &mut impl Write) -> std::io::Result<()> {
    for page in Page::ALL {
        writeln!(
            out,
            "index.html{:<18} {} / {}",
            page.href(),
            tr(Lang::En, page.title_key()),
            tr(Lang::Zh, page.title_key())
        )?;
    }
    Ok(())
}

fn summary(rest: &[String], out: &mut impl Write) -> Result<(), String> {
    let a = args::Args::parse(rest, &["batch", "height", "width"], &[])?;
    let s = crate::models::Net::summary(
        a.get("batch", 1)?,
        a.get("height", 28)?,
        a.get("width", 28)?,
    );
    write!(out, "{}", s.to_table()).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn run_to_string(args: &[&str]) -> (ExitCode, String) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut out = Vec::new();
        let code = run(&args, &mut out);
        (code, String::from_utf8(out).expect("utf-8"))
    }

    #[test]
    fn pages_lists_every_route_in_both_languages() {
        let (code, out) = run_to_string(&["pages"]);
        assert_eq!(code, ExitCode::SUCCESS);
        assert_eq!(out.lines().count(), Page::ALL.len());
        assert!(
            out.contains("#/pooling") && out.contains("Pooling / 池化"),
            "{out}"
        );
    }

    #[test]
    fn unknown_command_fails_with_usage() {
        let (code, out) = run_to_string(&["frobnicate"]);
        assert_eq!(code, ExitCode::from(2));
        assert!(out.is_empty());
    }

    #[test]
    fn help_version_summary() {
        assert!(run_to_string(&[]).1.contains("Commands:"));
        assert!(run_to_string(&["version"]).1.starts_with("convscope "));
        let (code, out) = run_to_string(&["summary", "--batch", "64"]);
        assert_eq!(code, ExitCode::SUCCESS);
        assert!(
            out.contains("[64, 10, 24, 24]") && out.contains("8490"),
            "{out}"
        );
        let (_, out) = run_to_string(&["summary", "--height", "32", "--width", "32"]);
        assert!(out.contains("error at fc"), "{out}");
    }
}
