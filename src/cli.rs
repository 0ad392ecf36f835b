//! The native command-line tool: `cargo run --release --bin convscope -- <command>`.
//!
//! Commands print to the writer they are given, so tests capture the output. Unknown commands
//! name what is available and exit with status 2.

use crate::i18n::{Lang, tr};
use crate::pages::Page;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "convscope: an interactive convolution lab (native tools)

Usage: convscope <command>

Commands:
  pages      list the app's pages and their URLs (English and Chinese titles)
  version    print the version
  help       print this message";

/// Runs the command named by `args` and returns the process exit code.
pub fn run(args: &[String], out: &mut impl Write) -> ExitCode {
    let result = match args.first().map(String::as_str) {
        None | Some("help" | "--help" | "-h") => writeln!(out, "{USAGE}"),
        Some("version" | "--version" | "-V") => {
            writeln!(out, "convscope {}", env!("CARGO_PKG_VERSION"))
        }
        Some("pages") => list_pages(out),
        Some(other) => {
            eprintln!("convscope: unknown command '{other}'\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("convscope: cannot write output: {e}");
            ExitCode::FAILURE
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run_to_string(args: &[&str]) -> (ExitCode, String) {
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
    fn help_and_version() {
        assert!(run_to_string(&[]).1.contains("Commands:"));
        assert!(run_to_string(&["version"]).1.starts_with("convscope "));
    }
}
