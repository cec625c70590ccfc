//! Snapshot tests: the code emitted for each fixture spec and for a few of
//! Google's own documents (`../shared/corpus`), file by file.
//!
//! Run with `UPDATE_EXPECT=1` to accept a change; the diff of
//! `codegen/tests/snapshots/` then shows it in review. The runtime crate's
//! path in each `Cargo.toml` is shown as `<codegen/runtime>`: the tests
//! generate with this checkout's absolute path, which differs per clone.

mod common;

use codegen::Files;
use std::path::Path;

/// Corpus documents kept as golden snapshots: small, and between them top-level
/// methods (oauth2), a named array of inline objects (translate), paging and
/// inline objects in fields (tasks).
const CORPUS_SNAPSHOTS: &[&str] = &["oauth2.v2", "translate.v2", "tasks.v1"];

fn snapshots() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// Compares `files` with the snapshot folder `dir`, file by file.
fn assert_snapshot(dir: &Path, files: &Files) {
    let mut expected_paths = Vec::new();
    for (path, text) in files {
        // The API record is the IR as JSON.
        if path == codegen::API_RECORD {
            continue;
        }
        let runtime = common::repository_root().join("codegen/runtime");
        let text = &text.replace(&runtime.display().to_string(), "<codegen/runtime>");
        expected_paths.push(path.clone());
        let snapshot = dir.join(path);
        if std::env::var("UPDATE_EXPECT").is_ok() {
            // expect-test writes the file but not its folder.
            std::fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
        }
        expect_test::expect_file![snapshot].assert_eq(text);
    }
    // A snapshot whose file is no longer emitted is stale.
    let mut on_disk = Vec::new();
    collect(dir, "", &mut on_disk);
    on_disk.sort();
    expected_paths.sort();
    if std::env::var("UPDATE_EXPECT").is_err() {
        assert_eq!(
            on_disk,
            expected_paths,
            "snapshot files in {}",
            dir.display()
        );
    }
}

#[test]
fn emitted_code_matches_the_snapshots() {
    for name in common::fixture_names() {
        assert_snapshot(&snapshots().join(&name), &common::generate_fixture(&name));
    }
}

#[test]
fn code_emitted_for_google_documents_matches_the_golden_snapshots() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    for stem in CORPUS_SNAPSHOTS {
        let spec_file = format!("../shared/corpus/discovery/{stem}.json");
        let json = std::fs::read_to_string(corpus.join(format!("discovery/{stem}.json"))).unwrap();
        let settings = common::settings(&format!("google-{}", stem.replace('.', "-")), &spec_file);
        let files = codegen::generate(&json, &settings).unwrap_or_else(|e| panic!("{e}"));
        assert_snapshot(&snapshots().join("corpus").join(stem), &files);
    }
}

fn collect(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let entry = entry.unwrap();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().unwrap().is_dir() {
            collect(&entry.path(), &format!("{name}/"), out);
        } else {
            out.push(name);
        }
    }
}

#[test]
fn every_fixture_is_emitted_identically_twice() {
    for name in common::fixture_names() {
        assert_eq!(
            common::generate_fixture(&name),
            common::generate_fixture(&name),
            "{name}"
        );
    }
}
