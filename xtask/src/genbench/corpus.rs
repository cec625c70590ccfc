//! `cargo xtask genbench --corpus [DIR]`: generation throughput over a
//! folder of real documents, side by side with parsing the same JSON.
//!
//! Every document of the folder (`generate --all`'s choice of files) is
//! read into memory first; then, in one process, all of them are parsed
//! as JSON on every core, and all of them are generated into memory on
//! every core, as `generate --all` does before writing. Both are reported
//! in megabytes of input per second, and their ratio, which is what stays
//! comparable on a shared, noisy machine. The largest document is then
//! timed alone (its emitters on every core, as `generate FILE` runs it),
//! with its lowering apart from its emitting. Times are medians of `runs`.

use crate::generate::all;
use crate::spec::{self, Spec};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What one corpus run measured.
#[derive(Debug)]
pub struct CorpusBench {
    /// The folder.
    pub dir: PathBuf,
    /// Documents generated (and parsed), and their bytes.
    pub documents: usize,
    /// Their size in bytes.
    pub bytes: usize,
    /// Documents left out, with why (directory lists, refusals).
    pub left_out: Vec<String>,
    /// Threads used (the machine's cores).
    pub threads: usize,
    /// Median time to parse every document as JSON, on every core.
    pub parse: Duration,
    /// Median time to generate every crate in memory, on every core.
    pub generate: Duration,
    /// The generated files' total size in bytes.
    pub output_bytes: usize,
    /// The largest document alone.
    pub largest: Largest,
}

/// The largest document, generated alone.
#[derive(Debug)]
pub struct Largest {
    /// Its file.
    pub file: String,
    /// Its size in bytes.
    pub bytes: usize,
    /// Median time to parse it as JSON.
    pub parse: Duration,
    /// Median time to lower it (parsing included).
    pub lower: Duration,
    /// Median time to generate its crate in memory (lowering included).
    pub generate: Duration,
}

impl CorpusBench {
    /// The report, one fact per line.
    pub fn render(&self) -> String {
        let mb = self.bytes as f64 / 1e6;
        let rate = |time: Duration| mb / time.as_secs_f64().max(1e-9);
        let largest = &self.largest;
        let mut text = format!(
            "corpus: {} documents, {mb:.2} MB of JSON in {} ({} threads)\n\
             parse as JSON:   {:>8.3} s {:>8.1} MB/s\n\
             generate crates: {:>8.3} s {:>8.1} MB/s ({:.1} MB of output, in memory)\n\
             ratio generate / parse: {:.1}\n\
             largest: {} ({:.2} MB): parse {:.3} s, generate {:.3} s \
             (lower {:.3} s, emit {:.3} s), ratio {:.1}\n",
            self.documents,
            self.dir.display(),
            self.threads,
            self.parse.as_secs_f64(),
            rate(self.parse),
            self.generate.as_secs_f64(),
            rate(self.generate),
            self.output_bytes as f64 / 1e6,
            ratio(self.generate, self.parse),
            largest.file,
            largest.bytes as f64 / 1e6,
            largest.parse.as_secs_f64(),
            largest.generate.as_secs_f64(),
            largest.lower.as_secs_f64(),
            largest.generate.saturating_sub(largest.lower).as_secs_f64(),
            ratio(largest.generate, largest.parse),
        );
        for note in &self.left_out {
            text.push_str(&format!("left out: {note}\n"));
        }
        text
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

/// Why a corpus run could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The folder could not be listed.
    #[error("{path}: {source}")]
    List {
        /// The folder.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// No document of the folder could be generated.
    #[error("{0}: no document to generate")]
    Empty(String),
    /// A document that reads fine failed to generate.
    #[error(transparent)]
    Generate(#[from] codegen::Error),
}

/// Times parsing and generating every document of `dir`, `runs` times each.
pub fn run(dir: &Path, runs: usize) -> Result<CorpusBench, CorpusError> {
    let files = all::documents(dir).map_err(|source| CorpusError::List {
        path: dir.display().to_string(),
        source,
    })?;
    let mut specs: Vec<(Spec, codegen::CrateSettings)> = Vec::new();
    let mut left_out = Vec::new();
    for (file, read) in files
        .iter()
        .zip(crate::parallel::map(&files, |f| spec::read(f)))
    {
        match read {
            Ok(spec) => {
                let name = crate::generate::spec_crate_name(&spec);
                // Where the runtime is changes one line of Cargo.toml.
                let settings = crate::generate::settings(&spec, &name, true, "runtime".into());
                specs.push((spec, settings));
            }
            Err(error) => left_out.push(format!("{}: {error}", file.display())),
        }
    }
    let largest = specs
        .iter()
        .max_by_key(|(spec, _)| spec.json.len())
        .ok_or_else(|| CorpusError::Empty(dir.display().to_string()))?;
    let runs = runs.max(1);
    let mut parse = Vec::new();
    let mut generate = Vec::new();
    let mut output_bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let parsed = crate::parallel::map(&specs, |(spec, _)| {
            serde_json::from_str::<serde_json::Value>(&spec.json).is_ok()
        });
        parse.push(started.elapsed());
        debug_assert!(parsed.iter().all(|ok| *ok));
        let started = Instant::now();
        let crates =
            crate::parallel::map(&specs, |(spec, settings)| spec.generate(settings).map(size));
        generate.push(started.elapsed());
        output_bytes = 0;
        for bytes in crates {
            output_bytes += bytes?;
        }
    }
    let (spec, settings) = largest;
    let (mut one_parse, mut one_lower, mut one_generate) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let started = Instant::now();
        let _ = serde_json::from_str::<serde_json::Value>(&spec.json);
        one_parse.push(started.elapsed());
        let started = Instant::now();
        let api = spec.lower()?;
        one_lower.push(started.elapsed());
        drop(api);
        let started = Instant::now();
        let files = spec.generate(settings)?;
        one_generate.push(started.elapsed());
        drop(files);
    }
    Ok(CorpusBench {
        dir: dir.to_path_buf(),
        documents: specs.len(),
        bytes: specs.iter().map(|(spec, _)| spec.json.len()).sum(),
        left_out,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        parse: super::median(parse),
        generate: super::median(generate),
        output_bytes,
        largest: Largest {
            file: spec.file.clone(),
            bytes: spec.json.len(),
            parse: super::median(one_parse),
            lower: super::median(one_lower),
            generate: super::median(one_generate),
        },
    })
}

/// The total size of a crate's files.
fn size(files: codegen::Files) -> usize {
    files.values().map(String::len).sum()
}
