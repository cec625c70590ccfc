//! Helpers shared by the generator's integration tests.

#![allow(dead_code)] // Each test binary uses a different subset.

use codegen::{CrateSettings, Files};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The fixture specs under `codegen/tests/fixtures` (Discovery JSON,
/// OpenAPI JSON or YAML), by name, in name order.
pub fn fixture_names() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The spec file of fixture `name`, relative to the repository root.
pub fn fixture_file(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let extension = if dir.join(format!("{name}.yaml")).is_file() {
        "yaml"
    } else {
        "json"
    };
    format!("codegen/tests/fixtures/{name}.{extension}")
}

/// Reads files a fixture's `$ref`s name, from the fixtures folder.
pub struct FixtureFiles;

impl codegen::openapi::refs::SpecReader for FixtureFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(path);
        std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))
    }
}

/// Settings for a test crate generated from `spec_file`.
pub fn settings(crate_name: &str, spec_file: &str) -> CrateSettings {
    CrateSettings {
        crate_name: crate_name.to_owned(),
        version: "0.0.0".to_owned(),
        spec_file: spec_file.to_owned(),
        spec_sha256: "0".repeat(64),
        source: "a test fixture".to_owned(),
        command: "cargo test -p codegen".to_owned(),
        dev_dependencies: BTreeMap::new(),
        test_features: Vec::new(),
        runtime_path: repository_root()
            .join("codegen/runtime")
            .display()
            .to_string(),
        standalone: false,
    }
}

/// Generates the crate of fixture `name`.
pub fn generate_fixture(name: &str) -> Files {
    let spec_file = fixture_file(name);
    let text = std::fs::read_to_string(repository_root().join(&spec_file)).unwrap();
    codegen::generate_with(
        &text,
        &settings(&format!("fixture-{name}"), &spec_file),
        &FixtureFiles,
    )
    .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// `../shared/corpus`, or `None` with a printed note where it is absent.
/// With `REQUIRE_CORPUS=1` (as CI sets) absence is a failure instead.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = repository_root().join("../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("REQUIRE_CORPUS").as_deref() == Ok("1") {
        panic!("REQUIRE_CORPUS=1 but {} is missing", dir.display());
    }
    eprintln!(
        "note: {} is absent; skipping the corpus test",
        dir.display()
    );
    None
}

/// The target folder shared by every throwaway workspace of generated
/// crates (the compile test here, xtask's conformance test), so their
/// dependencies are built once.
pub fn generated_crates_target() -> PathBuf {
    repository_root().join("target/generated-crates")
}

/// JSON text with every object's keys in reverse order: the same document
/// to any reader that does not depend on key order.
pub fn reversed_keys(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .rev()
                .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), reversed_keys(v)))
                .collect();
            format!("{{{}}}", entries.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(reversed_keys).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

/// The folder of hostile and minimized documents (`tests/regressions`).
pub fn regressions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions")
}

/// Every document of `tests/regressions`, whatever its name or content,
/// in name order; only the folder's `README.md` is not one.
pub fn regression_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(regressions_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

/// What a regression document is called in its crate's headers and its
/// errors: its path, followed by a newline, a carriage return, a tab, a
/// NUL, DEL and a direction control, since a caller may pass any file
/// name and none may break the comments it is written in.
pub fn regression_spec_file(path: &Path) -> String {
    format!(
        "codegen/tests/regressions/{}\n\r\t\0\u{7f}\u{202e}",
        path.file_name().unwrap().to_string_lossy()
    )
}

/// The package name of a regression document's crate: `regression-` and
/// the file name, every character but ASCII letters and digits a `-`.
pub fn regression_crate_name(path: &Path) -> String {
    let name: String = path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("regression-{name}")
}

/// Reads files a regression document's `$ref`s name, from its folder, as
/// `xtask` reads them (bytes that are not UTF-8 are an error).
pub struct RegressionFiles;

impl codegen::openapi::refs::SpecReader for RegressionFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let file = regressions_dir().join(path);
        let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        codegen::input::decode(&file.display().to_string(), bytes).map_err(|e| e.to_string())
    }
}

/// Generates the crate of a regression document, from its bytes as
/// `cargo xtask generate` reads them.
///
/// It runs on a thread with a 32 MB stack: tests are debug builds, whose
/// frames are several times those of the release binary, which runs on
/// an 8 MB main thread. A document the generator's depth limits let
/// through must not overflow the release binary's stack; this gives the
/// debug build as much room. A panic is passed on to the caller.
pub fn generate_regression(path: &Path) -> Result<Files, codegen::Error> {
    let path = path.to_owned();
    let run = move || {
        let spec_file = regression_spec_file(&path);
        let text = codegen::input::decode(&spec_file, std::fs::read(&path).unwrap())?;
        let settings = settings(&regression_crate_name(&path), &spec_file);
        codegen::generate_with(&text, &settings, &RegressionFiles)
    };
    std::thread::Builder::new()
        .stack_size(32 << 20)
        .spawn(run)
        .unwrap()
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
