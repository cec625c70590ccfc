//! `cargo xtask callbench`: per-call overhead of the generated client
//! against the same calls written with reqwest alone, measured by the
//! Data Portability crate's example `callbench` (a local HTTP/1.1 server,
//! one tokio runtime, rounds alternating the two, allocations counted),
//! which this builds in release mode and runs, passing its output through.

use std::io;
use std::path::Path;
use std::process::{Command, ExitStatus};

/// What to measure; `None` leaves the example's default.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Calls per side, per mode, per round.
    pub calls: Option<usize>,
    /// Calls in flight in the concurrent mode.
    pub in_flight: Option<usize>,
    /// Rounds, whose median ratio is reported.
    pub rounds: Option<usize>,
}

impl Options {
    /// The example's own arguments.
    pub fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        for (flag, value) in [
            ("--calls", self.calls),
            ("--in-flight", self.in_flight),
            ("--rounds", self.rounds),
        ] {
            if let Some(value) = value {
                args.push(flag.to_owned());
                args.push(value.to_string());
            }
        }
        args
    }
}

/// The cargo command that builds and runs the benchmark in `root`, in
/// release mode: debug builds would measure the optimizer's absence.
pub fn command(root: &Path, options: &Options) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "google-dataportability-v1",
            "--example",
            "callbench",
            "--",
        ])
        .args(options.args())
        .current_dir(root);
    command
}

/// Runs the benchmark with its output on this process's; its exit status
/// (a failure when a call failed or the two sides sent different headers,
/// never for slowness).
pub fn run(root: &Path, options: &Options) -> io::Result<ExitStatus> {
    command(root, options).status()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_given_settings_are_passed_on() {
        assert!(Options::default().args().is_empty());
        let options = Options {
            calls: Some(10),
            in_flight: None,
            rounds: Some(3),
        };
        assert_eq!(options.args(), ["--calls", "10", "--rounds", "3"]);
        let command = command(Path::new("."), &options);
        let args: Vec<_> = command.get_args().map(|a| a.to_string_lossy()).collect();
        assert_eq!(
            args[args.len() - 5..],
            ["--", "--calls", "10", "--rounds", "3"]
        );
        assert!(args.iter().any(|a| a == "--release"));
    }
}
