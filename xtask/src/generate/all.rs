//! `cargo xtask generate --all DIR --out OUTDIR`: one crate per document of
//! a folder, each into `OUTDIR/<crate-name>/`, documents generated side by
//! side on every core.
//!
//! Each crate is what `generate FILE --out OUTDIR/<crate-name>` writes
//! alone. A document that fails is reported with its file and error and
//! the others go on; a Discovery directory list (`index.json` beside
//! Google's documents) is skipped with a note, as it describes no API.
//! Crate names are settled before anything is written, so two documents
//! that make the same name (Google serves `admin.directory_v1.json` and
//! `admin.directoryv1.json`, the same document) never race for one
//! folder: the file that sorts first gets it, the later one is an error.

use super::{GenerateError, Runtime};
use crate::output::CrateReport;
use crate::spec::{self, Spec};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What happened to one document.
#[derive(Debug)]
pub enum Outcome {
    /// Its crate is in `OUTDIR/<crate_name>`.
    Generated {
        /// The package name, which is also the folder's name.
        crate_name: String,
        /// How the folder differed before writing (empty when it was fresh).
        report: CrateReport,
    },
    /// Not an API description; nothing was written.
    Skipped(String),
    /// The document could not be generated; the message names the file.
    Failed(String),
}

/// One document of the folder and its outcome.
#[derive(Debug)]
pub struct Document {
    /// The document's path.
    pub file: PathBuf,
    /// Its size in bytes (0 when it could not be read).
    pub bytes: u64,
    /// What became of it.
    pub outcome: Outcome,
}

/// What [`run`] did, document by document in file-name order.
#[derive(Debug)]
pub struct Summary {
    /// Every document of the folder.
    pub documents: Vec<Document>,
    /// Wall time of the whole run: reading, generating and writing.
    pub elapsed: Duration,
}

impl Summary {
    /// How many documents failed.
    pub fn failed(&self) -> usize {
        self.count(|outcome| matches!(outcome, Outcome::Failed(_)))
    }

    fn count(&self, which: impl Fn(&Outcome) -> bool) -> usize {
        self.documents.iter().filter(|d| which(&d.outcome)).count()
    }

    /// The bytes of every document read.
    pub fn input_bytes(&self) -> u64 {
        self.documents.iter().map(|d| d.bytes).sum()
    }

    /// A line per skipped or failed document (for stderr), in file order.
    pub fn render_problems(&self) -> String {
        let mut out = String::new();
        for document in &self.documents {
            match &document.outcome {
                Outcome::Skipped(why) => {
                    let _ = writeln!(out, "skipped {}: {why}", document.file.display());
                }
                Outcome::Failed(message) => {
                    let _ = writeln!(out, "error: {message}");
                }
                Outcome::Generated { .. } => {}
            }
        }
        out
    }

    /// The closing line: counts, megabytes of input, seconds and MB/s.
    pub fn render(&self) -> String {
        let generated = self.count(|o| matches!(o, Outcome::Generated { .. }));
        let fresh =
            self.count(|o| matches!(o, Outcome::Generated { report, .. } if report.is_fresh()));
        let skipped = self.count(|o| matches!(o, Outcome::Skipped(_)));
        let megabytes = self.input_bytes() as f64 / 1e6;
        let seconds = self.elapsed.as_secs_f64();
        format!(
            "{} documents: {generated} crates generated ({fresh} already up to date), \
             {skipped} skipped, {} failed; {megabytes:.1} MB in {seconds:.2} s ({:.1} MB/s)\n",
            self.documents.len(),
            self.failed(),
            megabytes / seconds.max(1e-9),
        )
    }
}

/// The documents of `dir`: its `.json`, `.yaml` and `.yml` files (not
/// those of folders inside it), sorted by name.
pub fn documents(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let is_spec = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "json" | "yaml" | "yml"));
        if is_spec && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Generates a crate from every document of `dir` into `out/<crate-name>/`.
/// Fails only when `dir` cannot be listed; a document's failure is its
/// [`Outcome`].
pub fn run(dir: &Path, out: &Path, runtime: Runtime) -> Result<Summary, GenerateError> {
    let started = Instant::now();
    let files = documents(dir).map_err(|source| GenerateError::ReadOutput {
        path: dir.display().to_string(),
        source,
    })?;
    // Reading parses each document for its name; the documents stay in
    // memory (their text, about their size) until generated.
    let read: Vec<(u64, Result<Spec, Outcome>)> = crate::parallel::map(&files, |file| {
        let bytes = std::fs::metadata(file).map_or(0, |m| m.len());
        (bytes, read(file))
    });
    let mut taken: BTreeMap<String, &Path> = BTreeMap::new();
    let mut work: Vec<(usize, Spec, String)> = Vec::new();
    let mut outcomes: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut sizes = Vec::with_capacity(files.len());
    for (index, (file, (bytes, result))) in files.iter().zip(read).enumerate() {
        sizes.push(bytes);
        let spec = match result {
            Ok(spec) => spec,
            Err(outcome) => {
                outcomes.insert(index, outcome);
                continue;
            }
        };
        let name = super::spec_crate_name(&spec);
        if let Err(reason) = super::check_crate_name(&name) {
            let error = GenerateError::CrateName {
                name,
                reason: format!(
                    "{reason} (made from {}'s name and version; generate it alone with --crate-name)",
                    spec.file
                ),
            };
            outcomes.insert(index, failed(&spec.file, &error));
            continue;
        }
        if let Some(first) = taken.get(&name) {
            let message = format!(
                "{}: its crate name {name} is that of {}, generated into {}; \
                 generate this one alone with --crate-name",
                spec.file,
                first.display(),
                out.join(&name).display()
            );
            outcomes.insert(index, Outcome::Failed(message));
            continue;
        }
        taken.insert(name.clone(), file);
        work.push((index, spec, name));
    }
    // The largest documents first, so the run does not end on one of them
    // while the other cores have nothing left to do.
    work.sort_by_key(|(_, spec, _)| std::cmp::Reverse(spec.json.len()));
    let generated = crate::parallel::map(&work, |(_, spec, name)| {
        match super::generate_spec(spec, &out.join(name), name, runtime) {
            Ok(report) => Outcome::Generated {
                crate_name: name.clone(),
                report,
            },
            Err(error) => failed(&spec.file, &error),
        }
    });
    for ((index, _, _), outcome) in work.iter().zip(generated) {
        outcomes.insert(*index, outcome);
    }
    let documents = files
        .into_iter()
        .zip(sizes)
        .zip(outcomes.into_values())
        .map(|((file, bytes), outcome)| Document {
            file,
            bytes,
            outcome,
        })
        .collect();
    Ok(Summary {
        documents,
        elapsed: started.elapsed(),
    })
}

/// Reads one document; a directory list is skipped, anything else that
/// cannot be read is a failure.
fn read(file: &Path) -> Result<Spec, Outcome> {
    spec::read(file).map_err(|error| {
        if let spec::SpecError::Parse(codegen::Error::Spec { path, message, .. }) = &error {
            if path == "kind" && message.contains(DIRECTORY_LIST) {
                return Outcome::Skipped(format!("{DIRECTORY_LIST}, not an API description"));
            }
        }
        failed(&file.display().to_string(), &error)
    })
}

/// What the generator's refusal of a Discovery directory list says it is.
const DIRECTORY_LIST: &str = "a Discovery directory list";

/// A failure, its message starting with the file (errors from reading and
/// generating name it already; the others are given it).
fn failed(file: &str, error: &dyn std::error::Error) -> Outcome {
    let message = error.to_string();
    if message.starts_with(file) {
        Outcome::Failed(message)
    } else {
        Outcome::Failed(format!("{file}: {message}"))
    }
}
