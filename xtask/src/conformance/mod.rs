//! `cargo xtask conformance`: generated crates build the requests that a
//! reference client builds, as recorded in request vector files: Google's
//! own client for Discovery documents, swagger-client for OpenAPI documents
//! (where we follow the OpenAPI specification instead on a few debatable
//! points, see [`compare::DEBATABLE`]). Suites of both formats go through
//! one run and one report.
//!
//! Every document's crate is generated into one throwaway cargo workspace
//! with one runner binary that depends on all of them ([`workspace`]), so
//! one `cargo build` covers any number of documents. The runner builds each
//! vector's request through its crate's `dispatch` feature, which calls the
//! typed methods, and prints what it built ([`runner`]); the comparison with
//! the vectors happens here, in Rust ([`compare`]).

pub mod compare;
pub mod runner;
pub mod vectors;
pub mod workspace;

use crate::spec::{self, Spec, SpecError};
use crate::{generate, parallel};
use codegen::Files;
use compare::Mismatch;
use std::collections::BTreeSet;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use vectors::{Expect, VectorFile, VectorsError};
use workspace::{Member, WorkspaceError};

/// A document and its request vectors.
#[derive(Clone, Debug)]
pub struct Suite {
    /// The Discovery or OpenAPI document.
    pub spec: PathBuf,
    /// Its vector file, in the Discovery or the OpenAPI vector format.
    pub vectors: PathBuf,
}

/// The outcome of every vector, by document.
#[derive(Debug, Default)]
pub struct Report {
    /// One entry per suite, in the order given.
    pub documents: Vec<DocumentReport>,
}

/// The outcome of one document's vectors.
#[derive(Debug)]
pub struct DocumentReport {
    /// The spec file.
    pub spec: String,
    /// The vector file.
    pub vectors: String,
    /// The package name the crate had in the workspace.
    pub crate_name: String,
    /// How many vectors passed.
    pub passed: usize,
    /// The vectors that did not.
    pub failures: Vec<Failure>,
}

/// A vector whose request was not built as expected.
#[derive(Debug)]
pub struct Failure {
    /// The vector's position in its file, from 0.
    pub index: usize,
    /// The Discovery method id, or the OpenAPI `operationId`.
    pub method: String,
    /// What differs.
    pub reason: String,
    /// The expectation, described.
    pub expected: String,
    /// What was built, described.
    pub built: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (vectors[{}]): {}; expected {}; built {}",
            self.method, self.index, self.reason, self.expected, self.built
        )
    }
}

impl Report {
    /// Vectors that passed, over all documents.
    pub fn passed(&self) -> usize {
        self.documents.iter().map(|d| d.passed).sum()
    }

    /// Vectors that failed, over all documents.
    pub fn failed(&self) -> usize {
        self.documents.iter().map(|d| d.failures.len()).sum()
    }

    /// `N passed, M failed`.
    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed(), self.failed())
    }

    /// One `FAIL` line per failure, then the summary line.
    pub fn render(&self) -> String {
        let mut text = String::new();
        for document in &self.documents {
            for failure in &document.failures {
                let _ = writeln!(text, "FAIL {}: {failure}", document.vectors);
            }
        }
        let _ = writeln!(text, "{}", self.summary());
        text
    }
}

/// Why a conformance run could not produce a report.
#[derive(Debug, thiserror::Error)]
pub enum ConformanceError {
    /// A spec could not be read or parsed.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// A vector file could not be read or parsed.
    #[error(transparent)]
    Vectors(#[from] VectorsError),
    /// A spec uses something the generator cannot express.
    #[error(transparent)]
    Generate(#[from] codegen::Error),
    /// The workspace could not be written or built.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// The runner failed, or printed something unexpected.
    #[error("the conformance runner: {0}")]
    Runner(String),
    /// The runner binary is not the one just built for these specs.
    #[error(
        "the runner's {crate_name} was not built from {spec}; did another conformance run replace it?"
    )]
    StaleRunner {
        /// The crate.
        crate_name: String,
        /// The spec it should have been built from.
        spec: String,
    },
}

/// A suite read and generated, ready to build.
struct Prepared {
    spec: Spec,
    vectors_file: String,
    vectors: VectorFile,
    crate_name: String,
    files: Files,
}

/// Generates every suite's crate into one workspace in `work_dir`, builds
/// it once with the shared target folder under `root` (whose `Cargo.lock`
/// it uses), builds every vector's request, and compares.
pub fn run(root: &Path, work_dir: &Path, suites: &[Suite]) -> Result<Report, ConformanceError> {
    let prepared = prepare(suites)?;
    if prepared.is_empty() {
        return Ok(Report::default());
    }
    let members: Vec<Member<'_>> = prepared
        .iter()
        .map(|p| Member {
            crate_name: &p.crate_name,
            files: &p.files,
        })
        .collect();
    workspace::write(root, work_dir, &members)?;
    let binary = workspace::build(root, work_dir)?;

    let libraries: Vec<String> = prepared
        .iter()
        .map(|p| workspace::library_name(&p.crate_name))
        .collect();
    let requests: Vec<runner::Request<'_>> = prepared
        .iter()
        .zip(&libraries)
        .flat_map(|(p, library)| {
            p.vectors.vectors.iter().map(move |v| runner::Request {
                document: library,
                method: &v.method,
                params: &v.params,
                body: &v.body,
                content_type: v.content_type.as_deref(),
            })
        })
        .collect();
    let answers = runner::run(&binary, &work_dir.join("requests.jsonl"), &requests)
        .map_err(ConformanceError::Runner)?;
    for (p, library) in prepared.iter().zip(&libraries) {
        if answers.checksums.get(library) != Some(&p.spec.sha256) {
            return Err(ConformanceError::StaleRunner {
                crate_name: p.crate_name.clone(),
                spec: p.spec.file.clone(),
            });
        }
    }

    let mut built = answers.built.iter();
    let documents = prepared
        .iter()
        .map(|p| {
            let answers = built.by_ref().take(p.vectors.vectors.len());
            judge(p, answers)
        })
        .collect();
    Ok(Report { documents })
}

/// Reads every suite and generates its crate, before anything is written.
fn prepare(suites: &[Suite]) -> Result<Vec<Prepared>, ConformanceError> {
    let mut taken = BTreeSet::new();
    let mut read = Vec::with_capacity(suites.len());
    for suite in suites {
        let spec = spec::read(&suite.spec)?;
        let vectors = vectors::load(&suite.vectors)?;
        // Two suites may be two revisions of one document: each needs its
        // own package name in the workspace.
        let crate_name = unique_name(&mut taken, generate::spec_crate_name(&spec));
        read.push((suite, spec, vectors, crate_name));
    }
    let generated = parallel::map(&read, |(_, spec, _, crate_name)| {
        // As `generate` writes it, but a member of the runner's workspace.
        spec.generate(&generate::settings(
            spec,
            crate_name,
            false,
            generate::runtime_dir().display().to_string(),
        ))
    });
    read.into_iter()
        .zip(generated)
        .map(|((suite, spec, vectors, crate_name), files)| {
            Ok(Prepared {
                spec,
                vectors_file: suite.vectors.display().to_string(),
                vectors,
                crate_name,
                files: files?,
            })
        })
        .collect()
}

/// `base`, or `base-2`, `base-3`, ... when it is taken.
fn unique_name(taken: &mut BTreeSet<String>, base: String) -> String {
    let mut name = base.clone();
    let mut counter = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}-{counter}");
        counter += 1;
    }
    name
}

/// Compares one document's vectors with what was built for them.
fn judge<'a>(p: &Prepared, built: impl Iterator<Item = &'a compare::Built>) -> DocumentReport {
    let mut report = DocumentReport {
        spec: p.spec.file.clone(),
        vectors: p.vectors_file.clone(),
        crate_name: p.crate_name.clone(),
        passed: 0,
        failures: Vec::new(),
    };
    for (index, (vector, built)) in p.vectors.vectors.iter().zip(built).enumerate() {
        let mismatch = match &vector.expect {
            Expect::Discovery(expect) => {
                compare::mismatch(&p.spec.root_url, expect, built).map(|reason| Mismatch {
                    reason,
                    expected: compare::describe_expectation(expect),
                    built: compare::describe_built(built),
                })
            }
            Expect::OpenApi(expect) => {
                let case = compare::Case {
                    params: &vector.params,
                    body: &vector.body,
                    content_type: vector.content_type.as_deref(),
                    expect,
                    spec_styles: &p.vectors.spec_styles,
                };
                compare::judge_openapi(&case, built)
            }
        };
        match mismatch {
            None => report.passed += 1,
            Some(Mismatch {
                reason,
                expected,
                built,
            }) => report.failures.push(Failure {
                index,
                method: vector.method.clone(),
                reason,
                expected,
                built,
            }),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique_name(&mut taken, "google-a-v1".into()), "google-a-v1");
        assert_eq!(
            unique_name(&mut taken, "google-a-v1".into()),
            "google-a-v1-2"
        );
        assert_eq!(
            unique_name(&mut taken, "google-a-v1-2".into()),
            "google-a-v1-2-2"
        );
        assert_eq!(
            unique_name(&mut taken, "google-a-v1".into()),
            "google-a-v1-3"
        );
    }

    #[test]
    fn the_report_lists_failures_then_one_summary_line() {
        let document = |vectors: &str, passed, failures| DocumentReport {
            spec: "s.json".into(),
            vectors: vectors.into(),
            crate_name: "google-s-v1".into(),
            passed,
            failures,
        };
        let failure = Failure {
            index: 3,
            method: "s.things.get".into(),
            reason: "path differs".into(),
            expected: "GET /v1/a []".into(),
            built: "GET https://s/v1/b".into(),
        };
        let report = Report {
            documents: vec![
                document("a.json", 2, vec![failure]),
                document("b.json", 5, vec![]),
            ],
        };
        assert_eq!(report.summary(), "7 passed, 1 failed");
        assert_eq!(
            report.render(),
            "FAIL a.json: s.things.get (vectors[3]): path differs; expected GET /v1/a []; built GET https://s/v1/b\n7 passed, 1 failed\n"
        );
        assert_eq!(Report::default().render(), "0 passed, 0 failed\n");
    }
}
