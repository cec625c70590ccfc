//! `cargo xtask fuzz`: mutates the corpus documents and checks the
//! generator's promises on every mutant: a document it cannot handle is
//! refused with an error naming the file and a JSON path (or line) in it,
//! never a panic or a hang, and what it accepts compiles.
//!
//! - Seeds are every document under `../shared/corpus/discovery/*.json`
//!   and `../shared/corpus/openapi/**` (JSON and YAML), read once.
//! - Mutant `i` of a run seeded with `S` has its own random stream
//!   ([`rng::Rng::for_mutant`]) and class `classes[i % classes.len()]`,
//!   so a pass is reproducible and `--replay i` makes mutant `i` alone.
//!   Its seed document is a Discovery document half of the time and an
//!   OpenAPI one the other half (the corpus has twice as many Discovery
//!   documents, and they are much larger), and within each format is drawn
//!   with probability proportional to 1/sqrt(size): small documents
//!   exercise the same code as large ones much faster (Vertex AI's 2 MB
//!   takes ~10 s in a debug build), yet every document is drawn.
//! - The generator runs in-process ([`guard`]) with panics caught and a
//!   time limit that grows with the document ([`Options::timeout`] per
//!   256 KiB, since generation time is linear in size); a hang stops this
//!   process, as its thread cannot be stopped. `cargo xtask fuzz` runs the
//!   pass in child processes ([`supervise`]), which reports a hang or a
//!   crash (a stack overflow aborts the process) and goes on after it.
//! - A refusal must be clear ([`clarity`]): the file, then a JSON path in
//!   the document. Bytes that are not UTF-8 never reach the generator,
//!   which takes text: they count as refused (reading them is an error
//!   naming the file, `xtask::spec::read`).
//! - Every `compile_every`-th accepted mutant is compiled ([`compile`]).
//! - A failure is minimized ([`minimize`]) while it keeps failing the same
//!   way (same panic location, same kind of unclear error, same first
//!   compile error), within [`Options::minimize`], and saved as
//!   `<kind>-<seed>-<index>.json|yaml` in `target/fuzz/failures/`, or with
//!   `--save` in `codegen/tests/regressions/`, whose every file the test
//!   suite runs (`codegen/tests/regressions.rs`): each must generate or be
//!   refused with a clear error, and the accepted ones must compile.

pub mod clarity;
pub mod compile;
pub mod guard;
pub mod minimize;
pub mod mutate;
pub mod rng;
mod supervise;
pub mod tree;

pub use supervise::supervise;

use crate::spec::Folder;
use codegen::{CrateSettings, Files};
use compile::Compiler;
use mutate::{Class, Mutant, Seed};
use rng::Rng;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How a pass runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// How many mutants.
    pub count: u64,
    /// The random seed: the same seed and count make the same mutants.
    pub seed: u64,
    /// Compile every K-th accepted mutant; 0 compiles none.
    pub compile_every: u64,
    /// The time limit per mutant, per 256 KiB of document (at least once).
    pub timeout: Duration,
    /// Save reproductions in `codegen/tests/regressions/` instead of
    /// `target/fuzz/failures/`.
    pub save: bool,
    /// The time spent minimizing each failure, at most.
    pub minimize: Duration,
    /// The mutation classes to use (all when empty).
    pub classes: Vec<Class>,
    /// Run only this mutant (compiled if accepted and `compile_every > 0`).
    pub replay: Option<u64>,
    /// The virtual-memory limit of cargo and the compilers, in MiB.
    pub compile_memory_mb: u64,
    /// The virtual-memory limit of the process that runs the generator
    /// when supervised, in MiB: a mutant that makes the generator allocate
    /// without bound kills that process (a crash) rather than the machine.
    pub memory_mb: u64,
    /// The time limit of one compile.
    pub compile_timeout: Duration,
    /// The corpus folder (default `../shared/corpus` beside the repository).
    pub corpus: Option<PathBuf>,
    /// The first mutant to run (a supervised pass resumes after a crash).
    pub start: u64,
    /// A file to keep the report in, rewritten after every mutant and
    /// read back when `start` is past 0, so the pass can go on in another
    /// process after this one dies.
    pub progress: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            count: 1000,
            seed: 1,
            compile_every: 100,
            timeout: Duration::from_secs(10),
            save: false,
            minimize: Duration::from_secs(120),
            classes: Vec::new(),
            replay: None,
            compile_memory_mb: 4096,
            memory_mb: 4096,
            compile_timeout: Duration::from_secs(600),
            corpus: None,
            start: 0,
            progress: None,
        }
    }
}

/// Why a pass could not run (not a failure of the generator).
#[derive(Debug, thiserror::Error)]
pub enum FuzzError {
    /// The corpus is not there.
    #[error(
        "{0}: no corpus to fuzz; the fuzzer mutates the documents of ../shared/corpus \
         (discovery/*.json, openapi/**); give another folder with --corpus"
    )]
    NoCorpus(String),
    /// The corpus has no document.
    #[error("{0}: no Discovery or OpenAPI document found")]
    EmptyCorpus(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// The I/O error.
        source: io::Error,
    },
    /// Cargo failed before compiling the mutant (a dependency, the network,
    /// the memory limit on a dependency).
    #[error(
        "cargo failed in {dir} before compiling the mutant (try a higher --compile-memory-mb):\n{output}"
    )]
    Cargo {
        /// The workspace.
        dir: String,
        /// The end of its output.
        output: String,
    },
}

impl FuzzError {
    fn io(path: &Path) -> impl FnOnce(io::Error) -> Self + '_ {
        move |source| Self::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// A way the generator broke its promise.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// It panicked.
    Panic,
    /// It ran past the time limit.
    Hang,
    /// It killed the process (a stack overflow or an abort).
    Crash,
    /// It refused the document with an error that does not name the file
    /// and a JSON path in the document.
    Unclear,
    /// It emitted code that does not parse (`codegen::Error::Emit`).
    Internal,
    /// It accepted the document, and the crate does not compile cleanly.
    Compile,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 6] = [
        Kind::Panic,
        Kind::Hang,
        Kind::Crash,
        Kind::Unclear,
        Kind::Internal,
        Kind::Compile,
    ];

    /// The kind as reproductions are named (`panic-1-17.json`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Panic => "panic",
            Kind::Hang => "hang",
            Kind::Crash => "crash",
            Kind::Unclear => "unclear",
            Kind::Internal => "internal",
            Kind::Compile => "compile",
        }
    }
}

/// Counts of one mutation class.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Mutants made.
    pub mutants: u64,
    /// Draws that found nothing to change in any seed tried.
    pub skipped: u64,
    /// Mutants the generator accepted (without failing).
    pub accepted: u64,
    /// Mutants refused with a clear error.
    pub refused: u64,
    /// Accepted mutants compiled (including those that failed to).
    pub compiled: u64,
    /// Failures by kind.
    pub failures: BTreeMap<Kind, u64>,
}

impl Counts {
    /// All failures.
    pub fn failed(&self) -> u64 {
        self.failures.values().sum()
    }

    fn add(&mut self, other: &Counts) {
        self.mutants += other.mutants;
        self.skipped += other.skipped;
        self.accepted += other.accepted;
        self.refused += other.refused;
        self.compiled += other.compiled;
        for (kind, n) in &other.failures {
            *self.failures.entry(*kind).or_default() += n;
        }
    }
}

/// One failure, minimized and saved.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    /// What went wrong.
    pub kind: Kind,
    /// What identifies it among failures of its kind: the panic location,
    /// the error's shape, the first compile error.
    pub signature: String,
    /// The mutant's index in the pass.
    pub index: u64,
    /// Its mutation class.
    pub class: Class,
    /// Its seed document.
    pub seed_file: String,
    /// The panic, the error, or the compiler's first errors.
    pub message: String,
    /// The reproduction's file.
    pub saved: PathBuf,
    /// The mutant's size, and the reproduction's.
    pub bytes: (usize, usize),
    /// Whether an earlier mutant failed the same way (same kind, panic
    /// location, error or compile error); it was then not saved again.
    pub repeat: bool,
}

/// What a pass did.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// The random seed.
    pub seed: u64,
    /// Seed documents read.
    pub documents: usize,
    /// Counts per class.
    pub classes: BTreeMap<Class, Counts>,
    /// Every failure, in order.
    pub failures: Vec<Failure>,
    /// Why the pass stopped before its count, if it did.
    pub stopped: Option<String>,
    /// The mutant that hung, when the pass stopped for one.
    pub hung_at: Option<u64>,
    /// The next mutant to run: the count once the pass is done.
    pub next: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// How the pass is run again.
    pub command: String,
}

impl Report {
    /// All counts.
    pub fn total(&self) -> Counts {
        let mut total = Counts::default();
        for counts in self.classes.values() {
            total.add(counts);
        }
        total
    }

    /// Whether anything failed.
    pub fn failed(&self) -> bool {
        !self.failures.is_empty() || self.stopped.is_some()
    }

    /// The report as a table and a list of failures.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let total = self.total();
        let _ = writeln!(
            out,
            "fuzz: seed {}, {} mutants of {} documents in {:.1} s ({})",
            self.seed,
            total.mutants,
            self.documents,
            self.elapsed.as_secs_f64(),
            self.command
        );
        let _ = writeln!(
            out,
            "{:<16} {:>7} {:>8} {:>7} {:>6} {:>8}  failures",
            "class", "mutants", "accepted", "refused", "failed", "compiled"
        );
        let row = |out: &mut String, name: &str, c: &Counts| {
            let failures: Vec<String> = c
                .failures
                .iter()
                .map(|(kind, n)| format!("{} {n}", kind.name()))
                .collect();
            let skipped = if c.skipped > 0 {
                format!(" ({} skipped: nothing to change)", c.skipped)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "{name:<16} {:>7} {:>8} {:>7} {:>6} {:>8}  {}{skipped}",
                c.mutants,
                c.accepted,
                c.refused,
                c.failed(),
                c.compiled,
                failures.join(", ")
            );
        };
        for (class, counts) in &self.classes {
            row(&mut out, class.name(), counts);
        }
        row(&mut out, "total", &total);
        let by_kind: Vec<String> = Kind::ALL
            .iter()
            .map(|k| {
                format!(
                    "{} {}",
                    k.name(),
                    total.failures.get(k).copied().unwrap_or(0)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "failures: {} ({})",
            self.failures.len(),
            by_kind.join(", ")
        );
        for failure in &self.failures {
            let _ = writeln!(
                out,
                "\n{} in mutant {} ({} of {}); replay: {} --replay {}",
                failure.kind.name(),
                failure.index,
                failure.class.name(),
                failure.seed_file,
                self.command,
                failure.index,
            );
            if failure.repeat {
                let first = failure.message.lines().next().unwrap_or_default();
                let _ = writeln!(out, "    {first}");
                continue;
            }
            for line in failure.message.lines().take(12) {
                let _ = writeln!(out, "    {line}");
            }
            let _ = writeln!(
                out,
                "  saved as {} ({} bytes, minimized from {})",
                failure.saved.display(),
                failure.bytes.1,
                failure.bytes.0
            );
        }
        if let Some(reason) = &self.stopped {
            let _ = writeln!(out, "\nstopped early: {reason}");
        }
        out
    }
}

/// A failure before minimizing: its kind, what must stay the same while
/// minimizing, and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Failed {
    kind: Kind,
    signature: String,
    message: String,
}

/// What the generator made of a mutant.
enum Outcome {
    Accepted(Files),
    Refused,
    Failed(Failed),
}

/// The pass's state: seeds, limits, the compiler.
struct Fuzzer<'a> {
    root: &'a Path,
    options: &'a Options,
    seeds: Vec<Arc<Seed>>,
    compiler: Option<Compiler>,
    /// Where the mutant being run is written first, so a crash (a stack
    /// overflow aborts the process) leaves its reproduction behind.
    in_flight: Option<PathBuf>,
    /// The mutant being judged (or minimized): its index and class.
    current: (u64, Class),
    /// Set when a worker thread is stuck: nothing more may run.
    stuck: bool,
    /// The last text judged, and its seed's file.
    last_text: String,
    last_seed: String,
    /// Failures seen, by kind and signature, with the first mutant's index
    /// and reproduction: a failure seen before is counted, not minimized
    /// and saved again.
    seen: BTreeMap<(Kind, String), (u64, PathBuf)>,
}

/// Runs a pass over the corpus beside `root`, telling progress to `log`.
pub fn run(root: &Path, options: &Options, log: &mut dyn Write) -> Result<Report, FuzzError> {
    let started = Instant::now();
    let (corpus, label) = match &options.corpus {
        Some(dir) => (dir.clone(), dir.display().to_string()),
        None => (root.join("../shared/corpus"), "../shared/corpus".to_owned()),
    };
    if !corpus.is_dir() {
        return Err(FuzzError::NoCorpus(corpus.display().to_string()));
    }
    let seeds = load_seeds(&corpus, &label, log)?;
    if seeds.is_empty() {
        return Err(FuzzError::EmptyCorpus(corpus.display().to_string()));
    }
    let fuzz_dir = root.join("target/fuzz");
    std::fs::create_dir_all(&fuzz_dir).map_err(FuzzError::io(&fuzz_dir))?;
    let compiler = if options.compile_every > 0 {
        Some(Compiler::new(
            root,
            options.compile_memory_mb,
            options.compile_timeout,
        )?)
    } else {
        None
    };
    // Beside the progress file when supervised (each pass has its own
    // folder), else in `target/fuzz`.
    let in_flight = options
        .progress
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(&fuzz_dir)
        .join("in-flight");
    let mut fuzzer = Fuzzer {
        root,
        options,
        seeds: seeds.into_iter().map(Arc::new).collect(),
        compiler,
        in_flight: Some(in_flight.clone()),
        current: (0, Class::DeleteKey),
        stuck: false,
        last_text: String::new(),
        last_seed: String::new(),
        seen: BTreeMap::new(),
    };
    let classes: Vec<Class> = if options.classes.is_empty() {
        Class::ALL.to_vec()
    } else {
        let mut classes = options.classes.clone();
        classes.sort();
        classes.dedup();
        classes
    };
    let fresh = Report {
        seed: options.seed,
        documents: fuzzer.seeds.len(),
        classes: classes.iter().map(|c| (*c, Counts::default())).collect(),
        failures: Vec::new(),
        stopped: None,
        hung_at: None,
        next: options.start,
        elapsed: Duration::ZERO,
        command: command_line(options, &classes),
    };
    // Going on where another process stopped: its counts and failures.
    let mut report = match &options.progress {
        Some(file) if options.start > 0 => std::fs::read_to_string(file)
            .ok()
            .and_then(|text| serde_json::from_str::<Report>(&text).ok())
            .unwrap_or(fresh),
        _ => fresh,
    };
    for failure in report.failures.iter().filter(|f| !f.repeat) {
        fuzzer.seen.insert(
            (failure.kind, failure.signature.clone()),
            (failure.index, failure.saved.clone()),
        );
    }
    let _quiet = guard::Quiet::new();
    let indices = match options.replay {
        Some(index) => index.max(options.start)..index + 1,
        None => options.start..options.count,
    };
    let total = indices.end.saturating_sub(indices.start);
    let mut last_note = Instant::now();
    write_progress(options, &report, started)?;
    for (done, index) in indices.enumerate() {
        let class = classes[(index % classes.len() as u64) as usize];
        fuzzer.one(index, class, &mut report, log)?;
        report.next = index + 1;
        if fuzzer.stuck {
            if !report
                .failures
                .iter()
                .any(|f| f.index == index && f.kind == Kind::Hang)
            {
                // A smaller version, tried while minimizing, hung.
                let saved = save(root, options, Kind::Hang, index, &fuzzer.last_text)?;
                *report
                    .classes
                    .entry(class)
                    .or_default()
                    .failures
                    .entry(Kind::Hang)
                    .or_default() += 1;
                report.failures.push(Failure {
                    kind: Kind::Hang,
                    signature: String::new(),
                    index,
                    class,
                    seed_file: fuzzer.last_seed.clone(),
                    message: "a smaller version of this mutant, tried while minimizing \
                              another failure, ran past its time limit"
                        .to_owned(),
                    bytes: (fuzzer.last_text.len(), fuzzer.last_text.len()),
                    saved,
                    repeat: false,
                });
            }
            report.hung_at = Some(index);
            report.stopped = Some(format!(
                "mutant {index} ran past its time limit, and its thread cannot be stopped"
            ));
            write_progress(options, &report, started)?;
            break;
        }
        write_progress(options, &report, started)?;
        if last_note.elapsed() > Duration::from_secs(15) || done as u64 + 1 == total {
            last_note = Instant::now();
            let _ = writeln!(
                log,
                "fuzz: {}/{total} mutants, {} failures, {:.0} s",
                done + 1,
                report.failures.len(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    if !fuzzer.stuck {
        for extension in ["json", "yaml", "txt"] {
            let _ = std::fs::remove_file(in_flight.with_extension(extension));
        }
    }
    report.elapsed += started.elapsed();
    Ok(report)
}

/// Writes the report so far to the progress file, if there is one; its
/// time is the time so far.
fn write_progress(options: &Options, report: &Report, started: Instant) -> Result<(), FuzzError> {
    let Some(file) = &options.progress else {
        return Ok(());
    };
    let mut snapshot = serde_json::to_value(report).unwrap_or_default();
    if let Ok(elapsed) = serde_json::to_value(report.elapsed + started.elapsed()) {
        snapshot["elapsed"] = elapsed;
    }
    // Written aside and renamed, so a crash never leaves half a file.
    let partial = file.with_extension("partial");
    std::fs::write(&partial, snapshot.to_string()).map_err(FuzzError::io(&partial))?;
    std::fs::rename(&partial, file).map_err(FuzzError::io(file))
}

/// The command that runs this pass again.
pub(crate) fn command_line(options: &Options, classes: &[Class]) -> String {
    let mut command = format!(
        "cargo xtask fuzz --seed {} --count {} --compile-every {}",
        options.seed, options.count, options.compile_every
    );
    if classes.len() < Class::ALL.len() {
        for class in classes {
            let _ = write!(command, " --class {}", class.name());
        }
    }
    if let Some(corpus) = &options.corpus {
        let _ = write!(command, " --corpus {}", corpus.display());
    }
    command
}

/// Every Discovery and OpenAPI document of the corpus, in path order.
fn load_seeds(corpus: &Path, label: &str, log: &mut dyn Write) -> Result<Vec<Seed>, FuzzError> {
    let mut files = Vec::new();
    let discovery = corpus.join("discovery");
    if discovery.is_dir() {
        for entry in std::fs::read_dir(&discovery).map_err(FuzzError::io(&discovery))? {
            let path = entry.map_err(FuzzError::io(&discovery))?.path();
            if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    let openapi = corpus.join("openapi");
    if openapi.is_dir() {
        collect_specs(&openapi, &mut files)?;
    }
    files.sort();
    let mut seeds = Vec::new();
    for path in files {
        let relative = path.strip_prefix(corpus).unwrap_or(&path);
        let file = format!("{label}/{}", relative.display());
        let text = std::fs::read_to_string(&path).map_err(FuzzError::io(&path))?;
        match Seed::parse(file, path.clone(), text) {
            Ok(seed) => seeds.push(seed),
            // A file other documents refer to, not a spec of its own.
            Err(e) => {
                let _ = writeln!(log, "fuzz: not a seed: {e}");
            }
        }
    }
    Ok(seeds)
}

fn collect_specs(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), FuzzError> {
    for entry in std::fs::read_dir(dir).map_err(FuzzError::io(dir))? {
        let path = entry.map_err(FuzzError::io(dir))?.path();
        if path.is_dir() {
            collect_specs(&path, files)?;
        } else if path
            .extension()
            .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
        {
            files.push(path);
        }
    }
    Ok(())
}

/// How likely each seed is drawn: half for each format, and within a
/// format in proportion to 1/sqrt(size).
fn seed_weights(seeds: &[Arc<Seed>]) -> Vec<f64> {
    let discovery = |s: &Seed| s.format == codegen::input::Format::Discovery;
    let raw = |s: &Seed| 1.0 / (s.text.len().max(1) as f64).sqrt();
    let family_total = |d: bool| -> f64 {
        seeds
            .iter()
            .filter(|s| discovery(s) == d)
            .map(|s| raw(s))
            .sum()
    };
    let (discovery_total, openapi_total) = (family_total(true), family_total(false));
    seeds
        .iter()
        .map(|s| {
            let total = if discovery(s) {
                discovery_total
            } else {
                openapi_total
            };
            raw(s) / total
        })
        .collect()
}

/// An error message without its file, path, quoted parts and numbers:
/// what stays the same while the document shrinks.
fn message_shape(message: &str) -> String {
    let what = message.split_once("`: ").map_or(message, |(_, what)| what);
    let mut shape = String::new();
    let mut quoted = false;
    for c in what.chars() {
        match c {
            '`' => quoted = !quoted,
            _ if quoted || c.is_ascii_digit() => {}
            _ => shape.push(c),
        }
    }
    shape
}

/// The settings of a mutant's crate.
fn settings(seed: &Seed, text: &str) -> CrateSettings {
    CrateSettings {
        crate_name: compile::CRATE.to_owned(),
        version: "0.0.0".to_owned(),
        spec_file: seed.file.clone(),
        spec_sha256: crate::regen::sha256_hex(text.as_bytes()),
        source: "a mutant made by cargo xtask fuzz".to_owned(),
        command: "cargo xtask fuzz".to_owned(),
        dev_dependencies: BTreeMap::new(),
        test_features: Vec::new(),
        runtime_path: crate::generate::runtime_dir().display().to_string(),
        standalone: false,
    }
}

impl Fuzzer<'_> {
    /// Makes, runs and judges mutant `index`.
    fn one(
        &mut self,
        index: u64,
        class: Class,
        report: &mut Report,
        log: &mut dyn Write,
    ) -> Result<(), FuzzError> {
        self.current = (index, class);
        let mut rng = Rng::for_mutant(self.options.seed, index);
        let weights = seed_weights(&self.seeds);
        let made = (0..16).find_map(|_| {
            let seed = &self.seeds[rng.weighted(&weights)];
            mutate::mutate(seed, class, &mut rng).map(|m| (seed.clone(), m))
        });
        let accepted_before: u64 = report.classes.values().map(|c| c.accepted).sum();
        let counts = report.classes.entry(class).or_default();
        let Some((seed, mutant)) = made else {
            counts.skipped += 1;
            return Ok(());
        };
        counts.mutants += 1;
        let text = match mutant {
            Mutant::Text(text) => text,
            // The generator takes text: reading (`xtask::spec::read`, as
            // `cargo xtask generate` reads) must refuse other bytes first,
            // naming the file.
            Mutant::Bytes(bytes) => {
                let file = self.root.join("target/fuzz/not-utf8.json");
                std::fs::write(&file, &bytes).map_err(FuzzError::io(&file))?;
                let outcome = crate::spec::read(&file)
                    .map(drop)
                    .map_err(|e| e.to_string());
                let _ = std::fs::remove_file(&file);
                match outcome {
                    Err(message) if message.starts_with(&file.display().to_string()) => {
                        counts.refused += 1;
                        return Ok(());
                    }
                    other => {
                        let message = match other {
                            Ok(()) => "bytes that are not UTF-8 were read as a spec".to_owned(),
                            Err(message) => {
                                format!("reading them failed without naming the file: {message}")
                            }
                        };
                        let failed = Failed {
                            kind: Kind::Unclear,
                            signature: "not UTF-8".to_owned(),
                            message,
                        };
                        *counts.failures.entry(failed.kind).or_default() += 1;
                        let saved = self.save(&failed, index, &String::from_utf8_lossy(&bytes))?;
                        report.failures.push(Failure {
                            kind: failed.kind,
                            signature: failed.signature,
                            index,
                            class,
                            seed_file: seed.file.clone(),
                            message: failed.message,
                            saved,
                            bytes: (bytes.len(), bytes.len()),
                            repeat: false,
                        });
                        return Ok(());
                    }
                }
            }
        };
        let failed = match self.judge(&seed, &text, index) {
            Outcome::Refused => {
                counts.refused += 1;
                return Ok(());
            }
            Outcome::Accepted(files) => {
                counts.accepted += 1;
                let accepted = accepted_before + 1;
                let due = match self.options.replay {
                    Some(_) => self.options.compile_every > 0,
                    None => {
                        self.options.compile_every > 0 && accepted % self.options.compile_every == 0
                    }
                };
                if !due {
                    return Ok(());
                }
                counts.compiled += 1;
                let _ = writeln!(
                    log,
                    "fuzz: compiling mutant {index} ({} of {})",
                    class.name(),
                    seed.file
                );
                match self.compile(&files)? {
                    None => return Ok(()),
                    Some(failed) => failed,
                }
            }
            Outcome::Failed(failed) => failed,
        };
        *counts.failures.entry(failed.kind).or_default() += 1;
        let _ = writeln!(
            log,
            "fuzz: mutant {index} ({} of {}): {}: {}",
            class.name(),
            seed.file,
            failed.kind.name(),
            failed.message.lines().next().unwrap_or_default()
        );
        let key = (failed.kind, failed.signature.clone());
        if let Some((first, saved)) = self.seen.get(&key) {
            report.failures.push(Failure {
                kind: failed.kind,
                signature: failed.signature.clone(),
                index,
                class,
                seed_file: seed.file.clone(),
                message: format!("the same failure as mutant {first}: {}", failed.message),
                saved: saved.clone(),
                bytes: (text.len(), 0),
                repeat: true,
            });
            return Ok(());
        }
        let minimized = if failed.kind == Kind::Hang {
            text.clone()
        } else {
            let _ = writeln!(
                log,
                "fuzz: minimizing (at most {} s)",
                self.options.minimize.as_secs()
            );
            self.minimize(&seed, &text, &failed)
        };
        let saved = self.save(&failed, index, &minimized)?;
        self.seen.insert(key, (index, saved.clone()));
        report.failures.push(Failure {
            kind: failed.kind,
            signature: failed.signature.clone(),
            index,
            class,
            seed_file: seed.file.clone(),
            message: failed.message,
            saved,
            bytes: (text.len(), minimized.len()),
            repeat: false,
        });
        Ok(())
    }

    /// Runs the generator on `text` (a mutant of `seed`) and judges it.
    fn judge(&mut self, seed: &Arc<Seed>, text: &str, index: u64) -> Outcome {
        if self.stuck {
            return Outcome::Refused;
        }
        self.note_in_flight(seed, text);
        text.clone_into(&mut self.last_text);
        seed.file.clone_into(&mut self.last_seed);
        // Generation time grows with size: the limit does too.
        let units = (text.len().max(seed.text.len()) / (256 * 1024)).max(1) as u32;
        let limit = self.options.timeout * units;
        let job_seed = seed.clone();
        let job_text = text.to_owned();
        let finished = guard::run(&format!("fuzz mutant {index}"), limit, move || {
            let settings = settings(&job_seed, &job_text);
            codegen::generate_with(&job_text, &settings, &Folder::of(&job_seed.path))
        });
        match finished {
            guard::Finished::Done(Ok(files)) => Outcome::Accepted(files),
            guard::Finished::Done(Err(codegen::Error::Emit { file, message })) => {
                Outcome::Failed(Failed {
                    kind: Kind::Internal,
                    signature: file.clone(),
                    message: format!(
                        "internal error: emitted `{file}` is not valid Rust: {message}"
                    ),
                })
            }
            guard::Finished::Done(Err(error)) => {
                let message = error.to_string();
                let document = codegen::input::parse_any(&seed.file, text).ok();
                match clarity::unclear(&message, &seed.file, document.as_ref()) {
                    None => Outcome::Refused,
                    Some(reason) => Outcome::Failed(Failed {
                        kind: Kind::Unclear,
                        signature: format!("{reason}: {}", message_shape(&message)),
                        message: format!("the error {reason}: {message}"),
                    }),
                }
            }
            guard::Finished::Panicked(panic) => Outcome::Failed(Failed {
                kind: Kind::Panic,
                signature: if panic.location.is_empty() {
                    panic.message.clone()
                } else {
                    panic.location.clone()
                },
                message: format!("panicked at {}: {}", panic.location, panic.message),
            }),
            guard::Finished::TimedOut => {
                self.stuck = true;
                Outcome::Failed(Failed {
                    kind: Kind::Hang,
                    signature: String::new(),
                    message: format!("still generating after {} s", limit.as_secs()),
                })
            }
        }
    }

    /// Leaves the text about to run, and which mutant it comes from, where
    /// [`supervise`] finds them if the process dies.
    fn note_in_flight(&self, seed: &Seed, text: &str) {
        let Some(in_flight) = &self.in_flight else {
            return;
        };
        let (extension, other) = if codegen::input::is_json(text) {
            ("json", "yaml")
        } else {
            ("yaml", "json")
        };
        let file = in_flight.with_extension(extension);
        let _ = std::fs::remove_file(in_flight.with_extension(other));
        let _ = std::fs::write(&file, text);
        let (index, class) = self.current;
        let _ = std::fs::write(
            in_flight.with_extension("txt"),
            format!(
                "{index}\t{}\t{}\t{}\n",
                class.name(),
                seed.file,
                file.display()
            ),
        );
    }

    /// Compiles an accepted mutant's crate.
    fn compile(&mut self, files: &Files) -> Result<Option<Failed>, FuzzError> {
        let Some(compiler) = &self.compiler else {
            return Ok(None);
        };
        Ok(compiler.check(files)?.map(|failure| Failed {
            kind: Kind::Compile,
            signature: failure.signature,
            message: failure.diagnostics,
        }))
    }

    /// The smallest text found that fails as `failed` did.
    fn minimize(&mut self, seed: &Arc<Seed>, text: &str, failed: &Failed) -> String {
        let deadline = Instant::now() + self.options.minimize;
        let mut test = |candidate: &str| -> bool {
            if self.stuck {
                return false;
            }
            match self.judge(seed, candidate, u64::MAX) {
                Outcome::Failed(again) => {
                    again.kind == failed.kind && again.signature == failed.signature
                }
                Outcome::Accepted(files) if failed.kind == Kind::Compile => {
                    matches!(self.compile(&files), Ok(Some(again)) if again.signature == failed.signature)
                }
                _ => false,
            }
        };
        shrink(text, deadline, &mut test)
    }

    /// Saves a reproduction and returns its path.
    fn save(&self, failed: &Failed, index: u64, text: &str) -> Result<PathBuf, FuzzError> {
        save(self.root, self.options, failed.kind, index, text)
    }
}

/// The smallest text found, from `text` (which fails), that `test` says
/// still fails: on the parsed document when its JSON or YAML form still
/// fails, else line by line.
pub(crate) fn shrink(text: &str, deadline: Instant, test: &mut dyn FnMut(&str) -> bool) -> String {
    let yaml = !codegen::input::is_json(text);
    if let Ok(value) = codegen::input::parse_any("mutant", text) {
        let rendered = mutate::render(&value, yaml);
        if test(&rendered) {
            let mut on_value = |v: &serde_json::Value| test(&mutate::render(v, yaml));
            let mut budget = minimize::Budget::new(&mut on_value, deadline);
            return mutate::render(&minimize::value(value, &mut budget), yaml);
        }
    }
    let mut budget = minimize::Budget::new(test, deadline);
    minimize::lines(text, &mut budget)
}

/// Saves a reproduction as `<kind>-<seed>-<index>.json|yaml` and returns
/// its path.
pub(crate) fn save(
    root: &Path,
    options: &Options,
    kind: Kind,
    index: u64,
    text: &str,
) -> Result<PathBuf, FuzzError> {
    let dir = if options.save {
        root.join("codegen/tests/regressions")
    } else {
        root.join("target/fuzz/failures")
    };
    std::fs::create_dir_all(&dir).map_err(FuzzError::io(&dir))?;
    let extension = if codegen::input::is_json(text) {
        "json"
    } else {
        "yaml"
    };
    let path = dir.join(format!(
        "{}-{}-{index}.{extension}",
        kind.name(),
        options.seed
    ));
    std::fs::write(&path, text).map_err(FuzzError::io(&path))?;
    Ok(path)
}

/// What the generator made of one document ([`judge_file`]).
#[derive(Debug)]
pub struct Verdict {
    /// Whether the generator broke a promise on it.
    pub failed: bool,
    /// What happened, in a line or a few.
    pub text: String,
}

/// Judges the document at `path` as the fuzzer judges a mutant, and
/// compiles its crate if it is accepted and `compile_every` is not 0:
/// `cargo xtask fuzz --judge FILE` (a regression file, say), which
/// [`supervise`] runs in a child process (with `--compile-every 0`) to tell
/// whether a smaller document still crashes.
pub fn judge_file(root: &Path, path: &Path, options: &Options) -> Result<Verdict, FuzzError> {
    let bytes = std::fs::read(path).map_err(FuzzError::io(path))?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(Verdict {
            failed: false,
            text: "refused: not UTF-8".to_owned(),
        });
    };
    let seed = Arc::new(Seed {
        file: path.display().to_string(),
        path: path.to_owned(),
        yaml: !codegen::input::is_json(&text),
        text: text.clone(),
        value: serde_json::Value::Null,
        format: codegen::input::Format::Discovery,
    });
    let compiler = if options.compile_every > 0 {
        Some(Compiler::new(
            root,
            options.compile_memory_mb,
            options.compile_timeout,
        )?)
    } else {
        None
    };
    let mut fuzzer = Fuzzer {
        root,
        options,
        seeds: Vec::new(),
        compiler,
        in_flight: None,
        current: (0, Class::DeleteKey),
        stuck: false,
        last_text: String::new(),
        last_seed: String::new(),
        seen: BTreeMap::new(),
    };
    let _quiet = guard::Quiet::new();
    Ok(match fuzzer.judge(&seed, &text, 0) {
        Outcome::Accepted(files) => match fuzzer.compile(&files)? {
            None if fuzzer.compiler.is_some() => Verdict {
                failed: false,
                text: "accepted, and the crate compiles".to_owned(),
            },
            None => Verdict {
                failed: false,
                text: "accepted".to_owned(),
            },
            Some(failed) => Verdict {
                failed: true,
                text: format!(
                    "accepted, and the crate does not compile: {}",
                    failed.message
                ),
            },
        },
        Outcome::Refused => Verdict {
            failed: false,
            text: "refused with a clear error".to_owned(),
        },
        Outcome::Failed(failed) => Verdict {
            failed: true,
            text: format!("{}: {}", failed.kind.name(), failed.message),
        },
    })
}
