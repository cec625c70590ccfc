//! `conformance::run` end to end: every corpus document's crate builds the
//! requests its vectors expect, and a wrong expectation is reported as one.
//!
//! All documents go through one workspace and one `cargo build`, as CI runs
//! them; the first run compiles the dependencies into `target/generated-crates`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use xtask::conformance::{self, Suite};

/// Vectors for the repository's own spec, two right and three wrong, so the
/// test fails if the harness passes everything.
const SYNTHETIC_VECTORS: &str = r#"{"vectors": [
  {"method": "dataportability.archiveJobs.retry",
   "params": {"name": "archiveJobs/id-1", "quotaUser": "a+b c&d=e"}, "body": {},
   "expect": {"httpMethod": "POST", "path": "/v1/archiveJobs/id-1:retry",
              "query": [["quotaUser", "a+b c&d=e"]]}},
  {"method": "dataportability.archiveJobs.getPortabilityArchiveState",
   "params": {"name": "archiveJobs/1/portabilityArchiveState"}, "body": null,
   "expect": {"httpMethod": "GET", "path": "/v1/archiveJobs/2/portabilityArchiveState", "query": []}},
  {"method": "dataportability.archiveJobs.retry",
   "params": {"name": "not-matching/archiveJobs/id-1"}, "body": {},
   "expect": {"error": "pattern", "param": "name"}},
  {"method": "dataportability.archiveJobs.cancel",
   "params": {"name": "archiveJobs/id-1"}, "body": {},
   "expect": {"error": "pattern", "param": "name"}},
  {"method": "dataportability.noSuchMethod", "params": {}, "body": null,
   "expect": {"httpMethod": "GET", "path": "/v1/nothing", "query": []}}
]}"#;

/// Every `vectors/<doc>.json` of the corpus with its `discovery/<doc>.json`.
fn corpus_suites(corpus: &Path) -> Vec<Suite> {
    let mut vector_files: Vec<PathBuf> = fs::read_dir(corpus.join("vectors"))
        .expect("the corpus has vectors")
        .map(|entry| entry.expect("a readable folder").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    vector_files.sort();
    vector_files
        .into_iter()
        .map(|vectors| {
            let spec = corpus
                .join("discovery")
                .join(vectors.file_name().expect("a file name"));
            assert!(spec.is_file(), "{} has no document", vectors.display());
            Suite { spec, vectors }
        })
        .collect()
}

#[test]
fn generated_crates_build_the_requests_of_their_vectors() {
    let root = common::repository_root();
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let synthetic = scratch.join("synthetic-vectors.json");
    fs::write(&synthetic, SYNTHETIC_VECTORS).unwrap();
    let mut suites = vec![Suite {
        spec: root.join("specs/dataportability.v1.json"),
        vectors: synthetic,
    }];
    let corpus = common::corpus_dir().map(|dir| corpus_suites(&dir));
    suites.extend(corpus.iter().flatten().cloned());

    let report = conformance::run(&root, &scratch.join("conformance"), &suites)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.documents.len(), suites.len());
    let (own, corpus_reports) = report.documents.split_first().unwrap();

    let failures: Vec<(usize, &str)> = own
        .failures
        .iter()
        .map(|f| (f.index, f.reason.as_str()))
        .collect();
    assert_eq!(own.passed, 2, "{}", report.render());
    assert_eq!(
        failures,
        [
            (1, "path differs"),
            (3, "built, although `name` does not fit its pattern"),
            (4, "building was refused"),
        ],
        "{}",
        report.render()
    );

    if let Some(corpus) = corpus {
        let failed: usize = corpus_reports.iter().map(|d| d.failures.len()).sum();
        let passed: usize = corpus_reports.iter().map(|d| d.passed).sum();
        let lines: Vec<String> = corpus_reports
            .iter()
            .flat_map(|d| {
                d.failures
                    .iter()
                    .map(move |f| format!("{}: {f}", d.vectors))
            })
            .collect();
        assert_eq!(
            failed,
            0,
            "{} corpus vectors failed:\n{}",
            failed,
            lines.join("\n")
        );
        assert!(passed > 0 && corpus_reports.len() == corpus.len());
        eprintln!("{} documents, {passed} vectors passed", corpus.len());
    }
}
