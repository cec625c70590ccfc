//! `cargo xtask <command>`: the project's commands.

use clap::{Parser, Subcommand};
use std::error::Error;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use xtask::conformance::{self, Suite};
use xtask::diff::{FailOn, Format};
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
    ///
    /// With --shared-runtime: a binary using two generated crates (Data
    /// Portability and the corpus's Google Tasks) built with one shared
    /// runtime against one with a copy of the runtime per crate.
    ///
    /// With --api: the crate of each corpus API (whole, or with the
    /// --features given) against the same floor and against the published
    /// google-apis-rs crate of the API; time and peak memory.
    ///
    /// With --memory: `cargo check` of the crate of every corpus document
    /// (dependencies built beforehand), time and the compiler's peak
    /// memory, sorted by memory; over 2 GB is flagged.
    Budget(BudgetArgs),
    /// Time calls through the generated client against the same calls
    /// written with reqwest alone, on a local HTTP server.
    ///
    /// Builds and runs the Data Portability crate's example `callbench` in
    /// release mode: per-call time of each side sequentially and with K
    /// calls in flight, the ratio (median of rounds) and heap allocations
    /// per call. Exits with 1 only when a call fails or the sides send
    /// different headers, never for slowness.
    Callbench {
        /// Calls per side, per mode, per round [default: 3000].
        #[arg(long, value_name = "N")]
        calls: Option<usize>,
        /// Calls in flight in the concurrent mode [default: 64].
        #[arg(long, value_name = "K")]
        in_flight: Option<usize>,
        /// Rounds; the median ratio is reported [default: 9].
        #[arg(long, value_name = "R")]
        rounds: Option<usize>,
        /// Count each side's instructions per call under valgrind's
        /// callgrind instead of timing them: a ratio the machine's load
        /// cannot move (needs valgrind; --calls and --rounds do not apply).
        #[arg(long, conflicts_with_all = ["calls", "rounds"])]
        instructions: bool,
    },
    /// Time generating a crate from a synthesized OpenAPI spec of SIZE MB,
    /// side by side with parsing the same JSON.
    ///
    /// With --scaling: generate two synthesized Discovery documents (an enum
    /// of near-colliding values, and many schemas with methods) each at two
    /// sizes, and print the size ratio, time ratio and growth exponent.
    ///
    /// With --corpus: generate every document of a folder (default
    /// ../shared/corpus/discovery) in memory on every core, side by side
    /// with parsing the same documents as JSON, in MB/s and as a ratio;
    /// then the largest document alone.
    ///
    /// Exits with 1 only when generation fails, never for slowness.
    Genbench {
        /// The spec's size in megabytes.
        #[arg(long, default_value_t = 4.0, conflicts_with_all = ["scaling", "corpus"])]
        size: f64,
        /// Runs of each; the median is reported (with --scaling, the best).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Measure how generation time grows with the document instead.
        #[arg(long, conflicts_with = "corpus")]
        scaling: bool,
        /// Measure generation throughput over every document of DIR instead
        /// [default: ../shared/corpus/discovery beside the repository].
        #[arg(long, value_name = "DIR", num_args = 0..=1)]
        corpus: Option<Option<PathBuf>>,
        /// With --scaling: values of the larger colliding enum (the smaller has half).
        #[arg(long, value_name = "N", default_value_t = 20_000, requires = "scaling")]
        enum_values: usize,
        /// With --scaling: schemas of the larger document (the smaller has half).
        #[arg(long, value_name = "M", default_value_t = 5_000, requires = "scaling")]
        schemas: usize,
    },
    /// Generate a standalone crate from a Discovery or OpenAPI document,
    /// or one from every document of a folder (--all).
    ///
    /// Only Cargo.toml and src/ of DIR (and vendor/google-api-runtime/ with
    /// --runtime vendor) are written, swapped in whole; other files there
    /// stay. A rerun rewrites nothing when nothing changed.
    ///
    /// With --all: every .json, .yaml and .yml file of the folder, side by
    /// side on every core, each into DIR/<crate-name>/; a document that
    /// fails is reported with its file and the rest go on (exit code 1 if
    /// any failed), a Discovery directory list is skipped; a closing line
    /// gives the count, MB of input, seconds and MB/s.
    #[command(
        override_usage = "cargo xtask generate [OPTIONS] --out <DIR> <SPEC>\n       \
                                cargo xtask generate [OPTIONS] --out <DIR> --all <FOLDER>"
    )]
    Generate {
        /// The Discovery document (JSON) or OpenAPI 3.0/3.1 document (JSON or YAML).
        #[arg(required_unless_present = "all")]
        spec: Option<PathBuf>,
        /// Generate every document of this folder instead, each into
        /// DIR/<crate-name>/.
        #[arg(long, value_name = "FOLDER", conflicts_with_all = ["spec", "crate_name"])]
        all: Option<PathBuf>,
        /// The folder to write the crate into (created if missing); with
        /// --all, the folder of the crates' folders.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The package name [default: google-<name>-<version> from the document].
        #[arg(long, value_name = "NAME")]
        crate_name: Option<String>,
        /// How the crate gets the shared runtime: `path`, a path dependency
        /// on this checkout's `codegen/runtime` (crates generated here then
        /// share one runtime build and its types); or `vendor`, a copy under
        /// the crate's `vendor/`, so the folder builds anywhere on its own.
        #[arg(long, value_enum, default_value_t = xtask::generate::Runtime::Path)]
        runtime: xtask::generate::Runtime,
    },
    /// Check that the crate generated from SPEC builds the requests VECTORS expect.
    ///
    /// Prints one `FAIL` line per failed vector, then `N passed, M failed`;
    /// exits with 1 when any failed. Builds in a temporary folder, with
    /// compiled dependencies kept in target/generated-crates.
    Conformance {
        /// The Discovery document (JSON) or OpenAPI 3.0/3.1 document (JSON or YAML).
        spec: PathBuf,
        /// Its request vectors, in either format (see
        /// ../shared/corpus/vectors/README.md and
        /// ../shared/corpus/openapi-vectors/README.md).
        vectors: PathBuf,
    },
    /// Report what changed in an API and the version bump it needs.
    ///
    /// Compares OLD with NEW, or with --since, every spec of specs/specs.yaml
    /// at a git revision with the working tree. Changes are classified as
    /// breaking, non-breaking or documentation; key order and whitespace are
    /// never changes. Exits with 1 when --fail-on matches, after the report.
    #[command(override_usage = "cargo xtask diff [OPTIONS] <OLD> <NEW>\n       \
                                cargo xtask diff [OPTIONS] --since <REV>")]
    Diff {
        /// The old spec (Discovery or OpenAPI).
        #[arg(required_unless_present = "since")]
        old: Option<PathBuf>,
        /// The new spec (Discovery or OpenAPI).
        #[arg(required_unless_present = "since")]
        new: Option<PathBuf>,
        /// Compare every spec of specs/specs.yaml at this git revision with the working tree.
        #[arg(long, value_name = "REV", conflicts_with_all = ["old", "new"])]
        since: Option<String>,
        /// How to print the report.
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
        /// Exit with 1 on breaking changes, or on any change (documentation included).
        #[arg(long, value_enum, value_name = "WHAT")]
        fail_on: Option<FailOn>,
    },
    /// Mutate the corpus documents and check the generator on each mutant.
    ///
    /// Mutates the documents of ../shared/corpus (discovery/*.json,
    /// openapi/**) structurally and byte by byte, runs the generator
    /// in-process on each mutant and checks that it neither panics nor
    /// hangs, that a refusal names the file and a JSON path in the
    /// document, and that every K-th accepted mutant's crate passes
    /// `cargo clippy --all-features -- -D warnings`. Prints counts per
    /// mutation class; each failure is minimized and saved. Exits with 1
    /// on any failure. The same --seed and --count make the same mutants.
    Fuzz {
        /// How many mutants.
        #[arg(long, default_value_t = 1000, value_name = "N")]
        count: u64,
        /// The random seed.
        #[arg(long, default_value_t = 1, value_name = "S")]
        seed: u64,
        /// Compile every K-th accepted mutant (0: none).
        #[arg(long, default_value_t = 100, value_name = "K")]
        compile_every: u64,
        /// Seconds a mutant may take to generate, per 256 KiB of document.
        #[arg(long, default_value_t = 10, value_name = "SECS")]
        timeout: u64,
        /// Save reproductions in codegen/tests/regressions/ (default: target/fuzz/failures/).
        #[arg(long)]
        save: bool,
        /// Seconds spent minimizing each failure, at most.
        #[arg(long, default_value_t = 120, value_name = "SECS")]
        minimize_secs: u64,
        /// Only this mutation class (repeatable).
        #[arg(long = "class", value_enum, value_name = "CLASS")]
        classes: Vec<xtask::fuzz::mutate::Class>,
        /// Run only mutant N of the pass (and compile it if accepted, unless --compile-every 0).
        #[arg(long, value_name = "N")]
        replay: Option<u64>,
        /// Virtual-memory limit of cargo and the compilers, in MiB (0: none).
        #[arg(long, default_value_t = 4096, value_name = "MIB")]
        compile_memory_mb: u64,
        /// Virtual-memory limit of the process running the generator, in MiB (0: none).
        #[arg(long, default_value_t = 4096, value_name = "MIB")]
        memory_mb: u64,
        /// Seconds one compile may take.
        #[arg(long, default_value_t = 600, value_name = "SECS")]
        compile_timeout: u64,
        /// The corpus folder [default: ../shared/corpus beside the repository].
        #[arg(long, value_name = "DIR")]
        corpus: Option<PathBuf>,
        /// Run the pass in this process rather than in a supervised child
        /// (a crash then ends it without a report).
        #[arg(long, hide = true)]
        in_process: bool,
        /// Judge one document as the fuzzer judges a mutant, compiling it
        /// if accepted (unless --compile-every 0); exits with 1 on a failure.
        #[arg(long, value_name = "FILE")]
        judge: Option<PathBuf>,
        /// The first mutant to run (where a supervised pass resumes).
        #[arg(long, default_value_t = 0, hide = true)]
        start: u64,
        /// Keep the report in FILE after every mutant (for the supervisor).
        #[arg(long, value_name = "FILE", hide = true)]
        progress: Option<PathBuf>,
    },
}

/// Generation allocates and frees millions of small tokens and syntax-tree
/// nodes across threads; mimalloc does that at a fraction of glibc's cost
/// (README "Generation speed").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The options of `cargo xtask budget`.
#[derive(clap::Args)]
struct BudgetArgs {
    /// Clean builds of each binary; the median is compared.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Measure what sharing one runtime saves two generated crates
    /// instead (skipped, with a note, without ../shared/corpus).
    #[arg(long, conflicts_with_all = ["api", "memory"])]
    shared_runtime: bool,
    /// Corpus APIs to measure (document stems such as drive.v3, or
    /// paths), comma-separated; all built in one alternating run.
    #[arg(
        long,
        value_name = "API,...",
        value_delimiter = ',',
        conflicts_with = "memory"
    )]
    api: Vec<String>,
    /// With --api: the published crate to build beside each API:
    /// `auto` (the known crate of the API, if any), `none`, `NAME` or
    /// `NAME@VERSION`.
    #[arg(long, value_name = "CRATE", default_value = "auto", requires = "api")]
    against: String,
    /// With --api: a feature selection of the generated crate, one
    /// binary each (repeatable): `default`, or features separated by
    /// commas, built without the default ones (`rustls-ring` added
    /// when no TLS feature is named), such as `--features projects`.
    #[arg(long, value_name = "FEATURES", requires = "api")]
    features: Vec<String>,
    /// Check every corpus crate and report the compiler's peak memory.
    #[arg(long)]
    memory: bool,
    /// With --memory: only these documents (stems, comma-separated).
    #[arg(
        long,
        value_name = "API,...",
        value_delimiter = ',',
        requires = "memory"
    )]
    only: Vec<String>,
    /// With --memory: also check each crate with `rustls-ring` and its
    /// biggest resource feature alone.
    #[arg(long, requires = "memory")]
    one_feature: bool,
}

type Outcome = Result<ExitCode, Box<dyn Error>>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(xtask::repository_root);
    let outcome = match cli.command {
        Command::Regen => regen(&root, Mode::Write),
        Command::Check => regen(&root, Mode::Check),
        Command::Budget(args) => budget(&root, args),
        Command::Callbench {
            in_flight,
            instructions: true,
            ..
        } => xtask::callbench::instructions(&root, in_flight)
            .map(|figures| {
                print!("{}", figures.render());
                ExitCode::SUCCESS
            })
            .map_err(Into::into),
        Command::Callbench {
            calls,
            in_flight,
            rounds,
            instructions: false,
        } => {
            let options = xtask::callbench::Options {
                calls,
                in_flight,
                rounds,
            };
            xtask::callbench::run(&root, &options)
                .map(|status| {
                    if status.success() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                })
                .map_err(Into::into)
        }
        Command::Genbench {
            scaling: true,
            runs,
            enum_values,
            schemas,
            ..
        } => {
            let sizes = xtask::genbench::scaling::Sizes {
                enum_values,
                schemas,
            };
            say(&xtask::genbench::scaling::Scaling::header(runs.max(1)));
            xtask::genbench::scaling::run(sizes, runs, |case| say(&case.render()))
                .map(|_| ExitCode::SUCCESS)
                .map_err(Into::into)
        }
        Command::Genbench {
            corpus: Some(dir),
            runs,
            ..
        } => {
            let dir = dir.unwrap_or_else(|| root.join("../shared/corpus/discovery"));
            xtask::genbench::corpus::run(&dir, runs)
                .map(|bench| {
                    say(&bench.render());
                    ExitCode::SUCCESS
                })
                .map_err(Into::into)
        }
        Command::Genbench { size, runs, .. } => xtask::genbench::run(size, runs)
            .map(|bench| {
                say(&bench.render());
                ExitCode::SUCCESS
            })
            .map_err(Into::into),
        Command::Generate {
            spec,
            all,
            out,
            crate_name,
            runtime,
        } => match (all, spec) {
            (Some(folder), _) => generate_all(&folder, &out, runtime),
            (None, Some(spec)) => generate(&spec, &out, crate_name.as_deref(), runtime),
            (None, None) => unreachable!("clap requires SPEC without --all"),
        },
        Command::Conformance { spec, vectors } => conformance(&root, spec, vectors),
        Command::Diff {
            old,
            new,
            since,
            format,
            fail_on,
        } => diff(&root, old.zip(new), since.as_deref(), format, fail_on),
        Command::Fuzz {
            count,
            seed,
            compile_every,
            timeout,
            save,
            minimize_secs,
            classes,
            replay,
            compile_memory_mb,
            memory_mb,
            compile_timeout,
            corpus,
            in_process,
            judge,
            start,
            progress,
        } => fuzz(
            &root,
            in_process,
            judge.as_deref(),
            &xtask::fuzz::Options {
                count,
                seed,
                compile_every,
                timeout: Duration::from_secs(timeout.max(1)),
                save,
                minimize: Duration::from_secs(minimize_secs),
                classes,
                replay,
                compile_memory_mb,
                memory_mb,
                compile_timeout: Duration::from_secs(compile_timeout.max(1)),
                corpus,
                start,
                progress,
            },
        ),
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
            Mode::Write => {
                say_written(&format!("{}: regenerated", report.output), report);
                if let Some(summary) = &report.api_summary {
                    say(&format!("  API: {summary}\n"));
                }
            }
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

fn budget(root: &Path, args: BudgetArgs) -> Outcome {
    use xtask::budget;
    let runs = args.runs.max(1);
    let report = if args.shared_runtime {
        budget::shared::run(root, runs)?
    } else if args.memory {
        let options = budget::memory::Options {
            only: args.only,
            one_feature: args.one_feature,
        };
        budget::memory::run(root, &options)?
    } else if !args.api.is_empty() {
        let options = budget::api::Options {
            apis: args.api,
            against: budget::published::Against::parse(&args.against)?,
            selections: args
                .features
                .iter()
                .map(|f| budget::features::Selection::parse(f))
                .collect::<Result<_, _>>()?,
            runs,
        };
        budget::api::run(root, &options)?
    } else {
        budget::run(root, runs)?
    };
    say(&report);
    Ok(ExitCode::SUCCESS)
}

fn generate(
    spec: &Path,
    out: &Path,
    crate_name: Option<&str>,
    runtime: xtask::generate::Runtime,
) -> Outcome {
    let generated = xtask::generate::run(spec, out, crate_name, runtime)?;
    let headline = format!("{}: {}", out.display(), generated.crate_name);
    if generated.report.is_fresh() {
        say(&format!("{headline}: up to date\n"));
    } else {
        say_written(&format!("{headline}: generated"), &generated.report);
    }
    Ok(ExitCode::SUCCESS)
}

/// Problems on stderr, in file order, then the closing line on stdout.
fn generate_all(folder: &Path, out: &Path, runtime: xtask::generate::Runtime) -> Outcome {
    let summary = xtask::generate::all::run(folder, out, runtime)?;
    eprint!("{}", summary.render_problems());
    say(&summary.render());
    Ok(if summary.failed() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
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

fn diff(
    root: &Path,
    files: Option<(PathBuf, PathBuf)>,
    since: Option<&str>,
    format: Format,
    fail_on: Option<FailOn>,
) -> Outcome {
    // clap requires either both files or --since, and never both.
    let report = match (files, since) {
        (_, Some(rev)) => xtask::diff::since(root, rev)?,
        (Some((old, new)), None) => xtask::diff::files(&old, &new)?,
        (None, None) => unreachable!("clap requires OLD and NEW without --since"),
    };
    say(&report.render(format));
    Ok(if report.fails(fail_on) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// A pass runs in child processes of this one (`--in-process`), which
/// report crashes and hangs the child cannot report itself and go on
/// after them.
fn fuzz(
    root: &Path,
    in_process: bool,
    judge: Option<&Path>,
    options: &xtask::fuzz::Options,
) -> Outcome {
    use xtask::fuzz;
    let failed = if let Some(file) = judge {
        let verdict = fuzz::judge_file(root, file, options)?;
        say(&format!("{}: {}\n", file.display(), verdict.text));
        verdict.failed
    } else if in_process {
        let report = fuzz::run(root, options, &mut std::io::stderr())?;
        // A supervised child leaves its report to the supervisor.
        if options.progress.is_none() {
            say(&report.render());
        }
        report.failed()
    } else {
        let exe = std::env::current_exe()?;
        let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
        match fuzz::supervise(root, options, &exe, &args, &mut std::io::stderr())? {
            Some(report) => {
                say(&report.render());
                report.failed()
            }
            None => true,
        }
    };
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
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
