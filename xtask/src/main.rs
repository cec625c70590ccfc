//! `cargo xtask <command>`: the project's commands.

use clap::{Parser, Subcommand};
use std::io::Write as _;
use std::process::ExitCode;
use xtask::regen::{self, Mode};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "The project's commands.")]
struct Cli {
    /// The repository to work on (default: the one this xtask belongs to).
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate every crate listed in specs/specs.yaml.
    Regen,
    /// Fail with a diff when a generated crate is not what regen would write.
    Check,
    /// Measure the clean build time of a tiny binary using the generated
    /// crate against the same binary using only its dependencies.
    Budget {
        /// Clean builds of each binary; the median is compared.
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(xtask::repository_root);
    let mode = match cli.command {
        Command::Regen => Mode::Write,
        Command::Check => Mode::Check,
        Command::Budget { runs } => {
            return match xtask::budget::run(&root, runs.max(1)) {
                Ok(report) => {
                    say(&report);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            };
        }
    };
    let reports = match regen::run(&root, mode) {
        Ok(reports) => reports,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stale = false;
    for report in &reports {
        if report.is_fresh() {
            say(&format!("{}: up to date\n", report.output));
            continue;
        }
        stale = true;
        match mode {
            Mode::Write => {
                let count = report.changed.len() + report.removed.len();
                say(&format!(
                    "{}: regenerated ({count} files changed)\n",
                    report.output
                ));
                for path in report.changed.keys() {
                    say(&format!("  wrote {path}\n"));
                }
                for path in &report.removed {
                    say(&format!("  removed {path}\n"));
                }
            }
            Mode::Check => {
                say(&report.render_diff());
                eprintln!("{}: stale; run `cargo xtask regen`", report.output);
            }
        }
    }
    if mode == Mode::Check && stale {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn say(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
