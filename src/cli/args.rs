//! A small `--flag value` parser for the CLI: every flag is named in the command's list, and an
//! unknown flag, a missing value or a bad number is an error that says so.

use std::collections::HashMap;
use std::str::FromStr;

/// Parsed flags of one command.
#[derive(Debug)]
pub struct Args {
    values: HashMap<String, String>,
}

impl Args {
    /// Parses `args` (after the command name). `flags` lists the flags that take a value,
    /// `switches` those that take none.
    pub fn parse(args: &[String], flags: &[&str], switches: &[&str]) -> Result<Self, String> {
        let mut values = HashMap::new();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let name = arg
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument '{arg}' (flags start with --)"))?;
            if switches.contains(&name) {
                values.insert(name.to_string(), "true".to_string());
            } else if flags.contains(&name) {
                let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
                values.insert(name.to_string(), value.clone());
            } else {
                let known: Vec<String> = flags
                    .iter()
                    .chain(switches)
                    .map(|f| format!("--{f}"))
                    .collect();
                return Err(format!(
                    "unknown flag --{name} (known: {})",
                    known.join(" ")
                ));
            }
        }
        Ok(Self { values })
    }

    /// The flag's value parsed as `T`, or `default`.
    pub fn get<T: FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.values.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: cannot read '{v}'")),
        }
    }

    /// The flag's value, if given.
    pub fn opt(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Whether a switch was given.
    pub fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_and_rejects() {
        let a = Args::parse(
            &strings(&["--epochs", "3", "--quiet"]),
            &["epochs"],
            &["quiet"],
        )
        .expect("ok");
        assert_eq!(a.get("epochs", 1usize), Ok(3));
        assert_eq!(a.get("lr", 0.5f32), Ok(0.5));
        assert!(a.has("quiet"));
        assert!(
            Args::parse(&strings(&["--nope"]), &["epochs"], &[])
                .unwrap_err()
                .contains("unknown flag --nope")
        );
        assert!(
            Args::parse(&strings(&["--epochs"]), &["epochs"], &[])
                .unwrap_err()
                .contains("needs a value")
        );
        let a = Args::parse(&strings(&["--epochs", "x"]), &["epochs"], &[]).expect("ok");
        assert!(
            a.get("epochs", 1usize)
                .unwrap_err()
                .contains("cannot read 'x'")
        );
    }
}
