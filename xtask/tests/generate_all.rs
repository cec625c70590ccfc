//! `cargo xtask generate --all` end to end: one crate per document, the
//! same bytes as generating each alone, a failing document reported while
//! the others are written, a directory list skipped, a crate name two
//! documents share given to the first; and `genbench --corpus` on the same
//! kind of folder. With the corpus, every corpus document too.

mod common;

use common::{text, xtask_in};

use std::fs;
use std::path::{Path, PathBuf};

/// A small Discovery document named `name`, version `v1`.
fn spec(name: &str) -> String {
    format!(
        r#"{{
  "discoveryVersion": "v1", "name": "{name}", "version": "v1",
  "rootUrl": "https://{name}.example.com/", "servicePath": "", "revision": "1",
  "schemas": {{"Thing": {{"id": "Thing", "type": "object", "properties": {{"name": {{"type": "string"}}}}}}}},
  "resources": {{"things": {{"methods": {{"get": {{
    "id": "{name}.things.get", "httpMethod": "GET", "path": "v1/{{+name}}",
    "parameterOrder": ["name"],
    "parameters": {{"name": {{"type": "string", "location": "path", "required": true, "pattern": "^things/[^/]+$"}}}},
    "response": {{"$ref": "Thing"}}
  }}}}}}}}
}}"#
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("xtask-all-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("specs")).unwrap();
    dir
}

/// Every file under `dir`, relative, with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().display().to_string();
                found.push((relative, fs::read(&path).unwrap()));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn all_writes_each_crate_as_generate_alone_and_reports_failures() {
    let root = scratch("mixed");
    fs::write(root.join("specs/alpha.v1.json"), spec("alpha")).unwrap();
    fs::write(root.join("specs/beta.v1.json"), spec("beta")).unwrap();
    // The same crate name as alpha.v1.json, which sorts first and keeps it.
    fs::write(root.join("specs/alpha_v1.json"), spec("alpha")).unwrap();
    fs::write(
        root.join("specs/broken.json"),
        r#"{"discoveryVersion": "v1", "name": "#,
    )
    .unwrap();
    fs::write(
        root.join("specs/index.json"),
        r#"{"kind": "discovery#directoryList", "discoveryVersion": "v1", "items": []}"#,
    )
    .unwrap();
    fs::write(root.join("specs/notes.txt"), "not a document").unwrap();

    let run = xtask_in(&root, &["generate", "--all", "specs", "--out", "crates"]);
    let (stdout, stderr) = (text(&run.stdout), text(&run.stderr));
    assert_eq!(run.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.starts_with(
            "5 documents: 2 crates generated (0 already up to date), 1 skipped, 2 failed; "
        ) && stdout.contains(" MB in ")
            && stdout.trim_end().ends_with(" MB/s)"),
        "{stdout}"
    );
    assert!(
        stderr.contains("error: specs/broken.json: at `.`: not valid JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "error: specs/alpha_v1.json: its crate name google-alpha-v1 is that of specs/alpha.v1.json"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("skipped specs/index.json: a Discovery directory list"),
        "{stderr}"
    );
    let mut crates: Vec<String> = fs::read_dir(root.join("crates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    crates.sort();
    assert_eq!(crates, ["google-alpha-v1", "google-beta-v1"]);

    // Byte for byte what `generate` writes for each document alone.
    for (file, name) in [
        ("alpha.v1", "google-alpha-v1"),
        ("beta.v1", "google-beta-v1"),
    ] {
        let out = format!("alone/{name}");
        let spec = format!("specs/{file}.json");
        let alone = xtask_in(&root, &["generate", &spec, "--out", &out]);
        assert!(alone.status.success(), "{}", text(&alone.stderr));
        assert_eq!(
            tree(&root.join("crates").join(name)),
            tree(&root.join(&out)),
            "{name}"
        );
    }

    // A rerun rewrites nothing; --runtime vendor is passed on to each crate.
    fs::remove_file(root.join("specs/broken.json")).unwrap();
    fs::remove_file(root.join("specs/alpha_v1.json")).unwrap();
    let again = xtask_in(&root, &["generate", "--all", "specs", "--out", "crates"]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).contains("2 crates generated (2 already up to date)"),
        "{}",
        text(&again.stdout)
    );
    let vendored = xtask_in(
        &root,
        &[
            "generate",
            "--all",
            "specs",
            "--out",
            "vendored",
            "--runtime",
            "vendor",
        ],
    );
    assert!(vendored.status.success(), "{}", text(&vendored.stderr));
    assert!(
        root.join("vendored/google-beta-v1/vendor/google-api-runtime/Cargo.toml")
            .is_file()
    );

    // SPEC and --all exclude each other, as do --all and --crate-name.
    for args in [
        &[
            "generate",
            "specs/beta.v1.json",
            "--all",
            "specs",
            "--out",
            "x",
        ][..],
        &[
            "generate",
            "--all",
            "specs",
            "--crate-name",
            "x",
            "--out",
            "x",
        ],
        &["generate", "--out", "x"],
    ] {
        let refused = xtask_in(&root, args);
        assert_eq!(refused.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn genbench_corpus_reports_generation_beside_parsing() {
    let root = scratch("genbench");
    fs::write(root.join("specs/alpha.v1.json"), spec("alpha")).unwrap();
    fs::write(root.join("specs/beta.v1.json"), spec("beta")).unwrap();
    let run = xtask_in(&root, &["genbench", "--corpus", "specs", "--runs", "1"]);
    let report = text(&run.stdout);
    assert!(run.status.success(), "{}", text(&run.stderr));
    for line in [
        "corpus: 2 documents, ",
        "parse as JSON: ",
        "generate crates: ",
        "ratio generate / parse: ",
        "largest: specs/",
    ] {
        assert!(report.contains(line), "no `{line}` in {report}");
    }
    // Slowness is never a failure; --corpus takes no --size.
    let refused = xtask_in(&root, &["genbench", "--corpus", "--size", "1"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stdout));
}

/// Every corpus document generates with --all as it does alone; here the
/// check is that none fails and each crate folder has its manifest (the
/// byte-for-byte comparison is the small test's).
#[test]
fn all_generates_the_whole_corpus() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let documents = corpus.join("discovery");
    let root = scratch("corpus");
    let out = root.join("crates");
    let run = xtask_in(
        &root,
        &[
            "generate",
            "--all",
            documents.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let stdout = text(&run.stdout);
    assert!(run.status.success(), "{stdout}\n{}", text(&run.stderr));
    let count = fs::read_dir(&documents)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some("json".as_ref()))
        .count();
    assert!(
        stdout.starts_with(&format!("{count} documents: {count} crates generated")),
        "{stdout}"
    );
    assert_eq!(fs::read_dir(&out).unwrap().count(), count);
    for entry in fs::read_dir(&out).unwrap() {
        assert!(entry.unwrap().path().join("Cargo.toml").is_file());
    }
    let _ = fs::remove_dir_all(&root);
}
