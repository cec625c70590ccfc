//! The crates generated from the fixture specs, and from Google's own
//! Data Portability document in `../shared/corpus`, compile without
//! warnings and pass clippy.
//!
//! They are built together as one throwaway workspace under cargo's test
//! temporary folder, with the repository's `Cargo.lock` so dependency
//! versions match the ones already built for the main workspace.

mod common;

use codegen::Files;
use std::path::Path;
use std::process::Command;

fn write_crate(dir: &Path, files: &Files) {
    let _ = std::fs::remove_dir_all(dir.join("src"));
    for (path, text) in files {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }
}

#[test]
fn generated_crates_compile_without_warnings() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-crates");
    std::fs::create_dir_all(&root).unwrap();
    let mut members = Vec::new();
    for name in common::fixture_names() {
        write_crate(&root.join(&name), &common::generate_fixture(&name));
        members.push(name);
    }
    if let Some(corpus) = common::corpus_dir() {
        let spec = corpus.join("discovery/dataportability.v1.json");
        let json = std::fs::read_to_string(&spec).unwrap();
        let settings = common::settings(
            "corpus-dataportability-v1",
            "../shared/corpus/discovery/dataportability.v1.json",
        );
        let files = codegen::generate(&json, &settings).expect("Google's document generates");
        write_crate(&root.join("corpus-dataportability"), &files);
        members.push("corpus-dataportability".to_owned());
    }
    let quoted: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            quoted.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(
        common::repository_root().join("Cargo.lock"),
        root.join("Cargo.lock"),
    )
    .unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "generated crates in {} do not build cleanly:\n{}",
        root.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}
