//! `cargo xtask <command>`: the project's commands.

use clap::{Parser, Subcommand};
use std::error::Error;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xtask::conformance::{self, Suite};
use xtask::output::CrateReport;
use xtask::regen::{self, Mode};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "The project's commands.")]
struct Cli {
    /// The repository to work on (default: the one this xtask belongs to).
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
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
    /// Generate a standalone crate from any Discovery document.
    ///
    /// Only Cargo.toml and src/ of DIR are written, swapped in whole; other
    /// files there stay. A rerun rewrites nothing when nothing changed.
    Generate {
        /// The Discovery document (JSON).
        spec: PathBuf,
        /// The folder to write the crate into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The package name [default: google-<name>-<version> from the document].
        #[arg(long, value_name = "NAME")]
        crate_name: Option<String>,
    },
    /// Check that the crate generated from SPEC builds the requests VECTORS expect.
    ///
    /// Prints one `FAIL` line per failed vector, then `N passed, M failed`;
    /// exits with 1 when any failed. Builds in a temporary folder, with
    /// compiled dependencies kept in target/generated-crates.
    Conformance {
        /// The Discovery document (JSON).
        spec: PathBuf,
        /// Its request vectors (see ../shared/corpus/vectors/README.md).
        vectors: PathBuf,
    },
}

type Outcome = Result<ExitCode, Box<dyn Error>>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(xtask::repository_root);
    let outcome = match cli.command {
        Command::Regen => regen(&root, Mode::Write),
        Command::Check => regen(&root, Mode::Check),
        Command::Budget { runs } => xtask::budget::run(&root, runs.max(1))
            .map(|report| {
                say(&report);
                ExitCode::SUCCESS
            })
            .map_err(Into::into),
        Command::Generate {
            spec,
            out,
            crate_name,
        } => generate(&spec, &out, crate_name.as_deref()),
        Command::Conformance { spec, vectors } => conformance(&root, spec, vectors),
    };
    outcome.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        ExitCode::FAILURE
    })
}

fn regen(root: &Path, mode: Mode) -> Outcome {
    let reports = regen::run(root, mode)?;
    let mut stale = false;
    for report in &reports {
        if report.is_fresh() {
            say(&format!("{}: up to date\n", report.output));
            continue;
        }
        stale = true;
        match mode {
            Mode::Write => say_written(&format!("{}: regenerated", report.output), report),
            Mode::Check => {
                say(&report.render_diff());
                eprintln!("{}: stale; run `cargo xtask regen`", report.output);
            }
        }
    }
    Ok(if mode == Mode::Check && stale {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn generate(spec: &Path, out: &Path, crate_name: Option<&str>) -> Outcome {
    let generated = xtask::generate::run(spec, out, crate_name)?;
    let headline = format!("{}: {}", out.display(), generated.crate_name);
    if generated.report.is_fresh() {
        say(&format!("{headline}: up to date\n"));
    } else {
        say_written(&format!("{headline}: generated"), &generated.report);
    }
    Ok(ExitCode::SUCCESS)
}

fn conformance(root: &Path, spec: PathBuf, vectors: PathBuf) -> Outcome {
    let work = std::env::temp_dir().join(format!("xtask-conformance-{}", std::process::id()));
    eprintln!(
        "generating and building in {} (a first run also compiles the dependencies)",
        work.display()
    );
    // On an error the folder stays, so the failed build can be inspected.
    let report = conformance::run(root, &work, &[Suite { spec, vectors }])?;
    let _ = std::fs::remove_dir_all(&work);
    say(&report.render());
    Ok(if report.failed() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `<headline> (N files changed)` and the files written and removed.
fn say_written(headline: &str, report: &CrateReport) {
    let count = report.changed.len() + report.removed.len();
    let mut text = format!("{headline} ({count} files changed)\n");
    for path in report.changed.keys() {
        text.push_str(&format!("  wrote {path}\n"));
    }
    for path in &report.removed {
        text.push_str(&format!("  removed {path}\n"));
    }
    say(&text);
}

/// Prints to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn say(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
