//! `cargo xtask callbench`: per-call overhead of the generated client
//! against the same calls written with reqwest alone, measured by the
//! Data Portability crate's example `callbench` (a local HTTP/1.1 server,
//! one tokio runtime, rounds alternating the two, allocations counted),
//! which this builds in release mode and runs, passing its output through.
//!
//! With `--instructions`, each side's instructions per call are counted
//! under valgrind's callgrind instead of timed: a count that another
//! process's load cannot move, for a shared, noisy machine.

use std::io;
use std::path::{Path, PathBuf};
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

/// Calls per mode of the two runs whose difference is counted: both at
/// least four times the calls in flight (64 by default), so the example's
/// warm-up calls (which both runs make) are the same number.
const INSTRUCTION_RUNS: [usize; 2] = [300, 900];

/// The example's calls in flight when not told.
const DEFAULT_IN_FLIGHT: usize = 64;

/// Refuses calls in flight whose warm-up would differ between the two
/// counted runs (the example warms up with `min(calls, 4 × in flight)`).
fn check_in_flight(in_flight: Option<usize>) -> Result<(), String> {
    let in_flight = in_flight.unwrap_or(DEFAULT_IN_FLIGHT);
    let most = INSTRUCTION_RUNS[0] / 4;
    if in_flight > most {
        return Err(format!(
            "--instructions counts at most {most} calls in flight, not {in_flight}: \
             more would warm up differently in its two runs"
        ));
    }
    Ok(())
}

/// Each side's instructions per call, counted by callgrind in the tasks
/// that make the calls (reqwest's connection task, the same on both
/// sides, and the local server are left out).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Instructions {
    /// Through the generated client.
    pub generated: f64,
    /// With reqwest alone.
    pub reqwest: f64,
}

impl Instructions {
    /// generated / reqwest.
    pub fn ratio(&self) -> f64 {
        self.generated / self.reqwest.max(1.0)
    }

    /// The figures as printed.
    pub fn render(&self) -> String {
        format!(
            "instructions per call in the calling task (callgrind): \
             generated {:.0}, reqwest {:.0}, ratio {:.3}\n",
            self.generated,
            self.reqwest,
            self.ratio()
        )
    }
}

/// Builds the example in release mode; the path of its executable.
fn build_example(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "build",
            "--release",
            "-p",
            "google-dataportability-v1",
            "--example",
            "callbench",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(root)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err("building the example `callbench` failed".to_owned());
    }
    example_executable(&String::from_utf8_lossy(&output.stdout))
        .ok_or_else(|| "cargo named no executable for the example `callbench`".to_owned())
}

/// The executable of the example `callbench` among cargo's JSON messages.
fn example_executable(messages: &str) -> Option<PathBuf> {
    messages.lines().find_map(|line| {
        let message: serde_json::Value = serde_json::from_str(line).ok()?;
        (message["reason"] == "compiler-artifact" && message["target"]["name"] == "callbench")
            .then(|| message["executable"].as_str().map(PathBuf::from))
            .flatten()
    })
}

/// The total instructions callgrind reports on `stderr` (`Collected : N`).
fn collected(stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|line| {
        let (_, count) = line.split_once("Collected :")?;
        count.trim().parse().ok()
    })
}

/// Instructions per call from two runs' totals: the calls of each run are
/// `calls` per mode, two modes; what both runs share (start-up, warm-up,
/// the other side's single calls) cancels out.
fn per_call(totals: [u64; 2], calls: [usize; 2]) -> f64 {
    let extra_calls = 2.0 * (calls[1] as f64 - calls[0] as f64);
    (totals[1] as f64 - totals[0] as f64) / extra_calls
}

/// Counts each side's instructions per call under callgrind (valgrind must
/// be installed): the example runs one side only (`CALLBENCH_ONLY`), one
/// round, at two numbers of calls, whose difference is counted.
pub fn instructions(root: &Path, in_flight: Option<usize>) -> Result<Instructions, String> {
    check_in_flight(in_flight)?;
    let valgrind = Command::new("valgrind").arg("--version").output();
    if !valgrind.is_ok_and(|o| o.status.success()) {
        return Err("valgrind is not installed: --instructions counts under its callgrind".into());
    }
    let executable = build_example(root)?;
    let count = |side: &str| -> Result<f64, String> {
        let mut totals = [0; 2];
        for (total, calls) in totals.iter_mut().zip(INSTRUCTION_RUNS) {
            let options = Options {
                calls: Some(calls),
                in_flight,
                rounds: Some(1),
            };
            eprintln!("callbench: counting {side}, {calls} calls per mode, under callgrind");
            let output = Command::new("valgrind")
                // Only what the calling tasks run (`drive` polls each
                // call): the server's work and the runtime's idling, which
                // vary with how valgrind schedules threads, stay out.
                .args([
                    "--tool=callgrind",
                    "--callgrind-out-file=/dev/null",
                    "--toggle-collect=callbench::drive::*",
                ])
                .arg(&executable)
                .args(options.args())
                .env("CALLBENCH_ONLY", side)
                .output()
                .map_err(|e| format!("cannot run valgrind: {e}"))?;
            let stderr = String::from_utf8_lossy(&output.stderr);
            if !output.status.success() {
                return Err(format!("the example failed under callgrind:\n{stderr}"));
            }
            *total = collected(&stderr)
                .ok_or_else(|| format!("callgrind reported no count:\n{stderr}"))?;
        }
        Ok(per_call(totals, INSTRUCTION_RUNS))
    };
    Ok(Instructions {
        generated: count("generated")?,
        reqwest: count("reqwest")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_per_call_are_the_difference_of_two_runs() {
        let stderr = "==1== Events    : Ir\n==1== Collected : 1200500\n==1==\n";
        assert_eq!(collected(stderr), Some(1_200_500));
        assert_eq!(collected("no count here"), None);
        // 600 more calls per mode, two modes: 1,200 calls for 60,000.
        assert_eq!(per_call([1_000_000, 1_060_000], [300, 900]), 50.0);
        let figures = Instructions {
            generated: 105.0,
            reqwest: 100.0,
        };
        assert!((figures.ratio() - 1.05).abs() < 1e-9);
        assert!(
            figures.render().contains("ratio 1.050"),
            "{}",
            figures.render()
        );
    }

    #[test]
    fn calls_in_flight_are_bounded_by_the_warm_up() {
        assert!(check_in_flight(None).is_ok());
        assert!(check_in_flight(Some(75)).is_ok());
        let refused = check_in_flight(Some(76)).unwrap_err();
        assert!(refused.contains("at most 75"), "{refused}");
    }

    #[test]
    fn the_example_is_found_among_cargo_messages() {
        let messages = [
            r#"{"reason":"compiler-artifact","target":{"name":"hyper"},"executable":null}"#,
            "not json",
            r#"{"reason":"compiler-artifact","target":{"name":"callbench"},"executable":"/t/release/examples/callbench"}"#,
            r#"{"reason":"build-finished","success":true}"#,
        ]
        .join("\n");
        assert_eq!(
            example_executable(&messages),
            Some(PathBuf::from("/t/release/examples/callbench"))
        );
        assert_eq!(
            example_executable(&messages[..messages.find("not").unwrap()]),
            None
        );
    }

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
