//! `conformance::run` end to end: every corpus document's crate builds the
//! requests its vectors expect, Discovery (`vectors/` + `discovery/`) and
//! OpenAPI (`openapi-vectors/` + `openapi/`) alike, and a wrong expectation
//! is reported as one.
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

/// OpenAPI vectors for the corpus's `petstore.yaml`, three right and three
/// wrong, so the test fails if the harness passes every OpenAPI vector.
const SYNTHETIC_OPENAPI_VECTORS: &str = r#"{"openapi": "3.0.4", "vectors": [
{"operationId":"getUserByName","params":{"path:username":"a b"},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"method":"GET","path":"/api/v3/user/a%20b","query":[],"headers":{}}},
{"operationId":"getUserByName","params":{},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"error":"Required parameter username is not provided","param":"path:username"}},
{"operationId":"getUserByName","params":{"path:username":".."},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"method":"GET","path":"/api/v3/user/..","query":[],"headers":{}},"debatable":["path-dot-segment"]},
{"operationId":"getUserByName","params":{"path:username":"x"},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"method":"GET","path":"/api/v3/user/y","query":[],"headers":{}}},
{"operationId":"deletePet","params":{"header:api_key":"a","path:petId":7},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"method":"DELETE","path":"/api/v3/pet/7","query":[],"headers":{"api_key":"b"}}},
{"operationId":"getUserByName","params":{"path:username":"x"},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"error":"Required parameter username is not provided","param":"path:username"}}
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

/// Every `openapi-vectors/<stem>.json` of the corpus with its
/// `openapi/<stem>.yaml` or `openapi/<stem>.json`; `None`, with a printed
/// note, when the corpus has no OpenAPI part (a failure with
/// `REQUIRE_CORPUS=1`).
fn openapi_suites(corpus: &Path) -> Option<Vec<Suite>> {
    let (specs, vectors) = (corpus.join("openapi"), corpus.join("openapi-vectors"));
    if !(specs.is_dir() && vectors.is_dir()) {
        if std::env::var("REQUIRE_CORPUS").as_deref() == Ok("1") {
            panic!(
                "REQUIRE_CORPUS=1 but {} or {} is missing",
                specs.display(),
                vectors.display()
            );
        }
        eprintln!(
            "note: {} is absent; skipping the OpenAPI corpus",
            vectors.display()
        );
        return None;
    }
    let mut vector_files: Vec<PathBuf> = fs::read_dir(&vectors)
        .expect("a readable folder")
        .map(|entry| entry.expect("a readable folder").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    vector_files.sort();
    let suites = vector_files
        .into_iter()
        .map(|vectors| {
            let stem = vectors.file_stem().expect("a file name");
            let found: Vec<PathBuf> = ["yaml", "json"]
                .iter()
                .map(|extension| specs.join(format!("{}.{extension}", stem.to_string_lossy())))
                .filter(|spec| spec.is_file())
                .collect();
            let [spec] = &found[..] else {
                panic!(
                    "{} needs exactly one document {}.yaml or {}.json, found {found:?}",
                    vectors.display(),
                    stem.to_string_lossy(),
                    stem.to_string_lossy()
                );
            };
            Suite {
                spec: spec.clone(),
                vectors,
            }
        })
        .collect();
    Some(suites)
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
    let corpus_root = common::corpus_dir();
    let openapi = corpus_root.as_deref().and_then(openapi_suites);
    // The synthetic OpenAPI vectors need the corpus's petstore.yaml.
    let synthetic_openapi = openapi.as_ref().map(|_| {
        let vectors = scratch.join("synthetic-openapi-vectors.json");
        fs::write(&vectors, SYNTHETIC_OPENAPI_VECTORS).unwrap();
        let spec = corpus_root.as_ref().unwrap().join("openapi/petstore.yaml");
        Suite { spec, vectors }
    });
    suites.extend(synthetic_openapi.iter().cloned());
    // Discovery and OpenAPI documents, one run, one build.
    let corpus = corpus_root.as_deref().map(|dir| {
        let mut suites = corpus_suites(dir);
        suites.extend(openapi.iter().flatten().cloned());
        suites
    });
    suites.extend(corpus.iter().flatten().cloned());

    let report = conformance::run(&root, &scratch.join("conformance"), &suites)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.documents.len(), suites.len());
    let (own, mut corpus_reports) = report.documents.split_first().unwrap();

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

    if synthetic_openapi.is_some() {
        let (own, rest) = corpus_reports.split_first().unwrap();
        corpus_reports = rest;
        let failures: Vec<(usize, &str)> = own
            .failures
            .iter()
            .map(|f| (f.index, f.reason.as_str()))
            .collect();
        assert_eq!(own.passed, 3, "{}", report.render());
        assert_eq!(
            failures,
            [
                (3, "path differs"),
                (4, r#"header `api_key` is ["a"] instead of ["b"]"#),
                (
                    5,
                    "built, although `path:username` is required and not given"
                ),
            ],
            "{}",
            report.render()
        );
    }

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
        let openapi = openapi.map_or(0, |suites| suites.len());
        eprintln!(
            "{} documents ({} Discovery, {openapi} OpenAPI), {passed} vectors passed",
            corpus.len(),
            corpus.len() - openapi
        );
    }
}
