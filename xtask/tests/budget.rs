//! `cargo xtask budget --api` and `--memory` refuse wrong options before
//! building anything; nothing here builds or times a crate.

mod common;

use common::text;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

const SPEC: &str = r#"{
  "name": "tiny", "version": "v1", "rootUrl": "https://tiny.example.com/", "servicePath": "",
  "revision": "1",
  "schemas": {"Thing": {"id": "Thing", "type": "object", "properties": {"name": {"type": "string"}}}},
  "resources": {"things": {"methods": {"get": {
    "id": "tiny.things.get", "httpMethod": "GET", "path": "v1/{+name}",
    "parameterOrder": ["name"],
    "parameters": {"name": {"type": "string", "location": "path", "required": true}},
    "response": {"$ref": "Thing"}
  }}}}
}"#;

/// A scratch repository root holding one spec, and the spec's path.
fn scratch(name: &str) -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("xtask-budget-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("tiny.json");
    fs::write(&spec, SPEC).unwrap();
    (dir, spec)
}

fn budget(root: &Path, args: &[&str]) -> Output {
    let mut all = vec!["budget"];
    all.extend_from_slice(args);
    common::xtask_at(root, &all)
}

#[test]
fn a_feature_the_crate_lacks_is_named_with_those_it_has() {
    let (root, spec) = scratch("features");
    let output = budget(
        &root,
        &[
            "--api",
            spec.to_str().unwrap(),
            "--features",
            "projects",
            "--against",
            "none",
        ],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "google-tiny-v1 declares no feature projects; it declares: default, rustls-ring"
        ),
        "{stderr}"
    );
    // Nothing was built: the floor is written only once every API is fine.
    assert!(!root.join("target/budget-api/bin").exists());
}

#[test]
fn a_published_crate_without_a_known_call_is_refused() {
    let (root, spec) = scratch("against");
    let output = budget(
        &root,
        &[
            "--api",
            spec.to_str().unwrap(),
            "--against",
            "google-foo1@7",
        ],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no call is known for `google-foo1`"),
        "{stderr}"
    );
}

#[test]
fn options_of_one_mode_need_that_mode() {
    let (root, _) = scratch("modes");
    for args in [
        &["--only", "drive.v3"][..],
        &["--one-feature"],
        &["--features", "projects"],
        &["--against", "none"],
        &["--api", "drive.v3", "--memory"],
        &["--shared-runtime", "--memory"],
    ] {
        let output = budget(&root, args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
    }
}

#[test]
fn memory_without_the_corpus_says_so() {
    // The scratch root has no ../shared/corpus beside it.
    let (root, _) = scratch("memory");
    let output = budget(&root, &["--memory"]);
    let said = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(said.contains("is absent"), "{said}");
    let required = std::env::var("REQUIRE_CORPUS").is_ok_and(|v| v == "1");
    assert_eq!(output.status.success(), !required, "{said}");
}
