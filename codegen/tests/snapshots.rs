//! Snapshot tests: the code emitted for each fixture spec, file by file.
//!
//! Run with `UPDATE_EXPECT=1` to accept a change; the diff of
//! `codegen/tests/snapshots/` then shows it in review. The runtime files are
//! left out: they are verbatim copies of `codegen/runtime/`.

mod common;

use std::path::Path;

#[test]
fn emitted_code_matches_the_snapshots() {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for name in common::fixture_names() {
        let files = common::generate_fixture(&name);
        let mut expected_paths = Vec::new();
        for (path, text) in &files {
            if path.starts_with("src/runtime/") {
                continue;
            }
            expected_paths.push(path.clone());
            let snapshot = snapshots.join(&name).join(path);
            if std::env::var("UPDATE_EXPECT").is_ok() {
                // expect-test writes the file but not its folder.
                std::fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
            }
            expect_test::expect_file![snapshot].assert_eq(text);
        }
        // A snapshot whose file is no longer emitted is stale.
        let mut on_disk = Vec::new();
        collect(&snapshots.join(&name), "", &mut on_disk);
        on_disk.sort();
        expected_paths.sort();
        if std::env::var("UPDATE_EXPECT").is_err() {
            assert_eq!(on_disk, expected_paths, "snapshot files of fixture {name}");
        }
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
