//! `cargo xtask diff` end to end: two files, or the manifest's specs since
//! a git revision in a scratch repository; the report, its formats and the
//! exit codes of `--fail-on`.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = "specs/dataportability.v1.json";

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("xtask-diff-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("specs")).unwrap();
    dir
}

/// The repository's spec, parsed.
fn spec() -> Value {
    let text = fs::read_to_string(xtask::repository_root().join(SPEC)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The spec without the first scope of `auth.oauth2.scopes`, in the list
/// and in every method.
fn without_a_scope(mut spec: Value) -> Value {
    let scopes = spec["auth"]["oauth2"]["scopes"].as_object_mut().unwrap();
    let url = scopes.keys().next().unwrap().clone();
    scopes.remove(&url);
    let mut resources = vec![&mut spec["resources"]];
    while let Some(resource) = resources.pop() {
        for (_, resource) in resource.as_object_mut().unwrap() {
            for (_, method) in resource["methods"].as_object_mut().into_iter().flatten() {
                let scopes = method["scopes"].as_array_mut().unwrap();
                assert!(scopes.iter().any(|s| *s == url), "every method has it");
                scopes.retain(|s| *s != url);
            }
            if resource.get("resources").is_some() {
                resources.push(&mut resource["resources"]);
            }
        }
    }
    spec
}

fn write(path: &Path, spec: &Value) {
    fs::write(path, serde_json::to_string_pretty(spec).unwrap()).unwrap();
}

/// JSON text with every object's keys in reverse order.
fn reversed(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .rev()
                .map(|(k, v)| format!("{}: {}", Value::from(k.as_str()), reversed(v)))
                .collect();
            format!("{{\n{}\n}}", entries.join(",\n"))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(reversed).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_removed_scope_is_a_major_change() {
    let dir = scratch("scope");
    let (old, new) = (dir.join("old.json"), dir.join("new.json"));
    write(&old, &spec());
    write(&new, &without_a_scope(spec()));
    let (old, new) = (path(&old), path(&new));

    let markdown = xtask(&["diff", old, new]);
    assert_eq!(
        markdown.status.code(),
        Some(0),
        "{}",
        text(&markdown.stderr)
    );
    let report = text(&markdown.stdout);
    assert!(report.contains("`scope_removed`"), "{report}");
    assert!(report.contains("**major**"), "{report}");

    let failed = xtask(&["diff", old, new, "--fail-on", "breaking"]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(text(&failed.stdout), report, "the report is printed anyway");

    let json = xtask(&["diff", "--format", "json", old, new]);
    assert_eq!(json.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    assert_eq!(json["semver"], "major");
    let changes = json["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "scope_removed" && c["breaking"] == true),
        "{json:#}"
    );
}

#[test]
fn reordered_keys_are_no_change() {
    let dir = scratch("reordered");
    let (old, new) = (dir.join("old.json"), dir.join("new.json"));
    write(&old, &spec());
    fs::write(&new, reversed(&spec())).unwrap();
    assert_ne!(fs::read(&old).unwrap(), fs::read(&new).unwrap());

    let output = xtask(&["diff", "--fail-on", "any", path(&old), path(&new)]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("no API changes"));
}

#[test]
fn a_description_edit_fails_only_on_any() {
    let dir = scratch("description");
    let (old, new) = (dir.join("old.json"), dir.join("new.json"));
    let mut edited = spec();
    edited["description"] = "Something else entirely.".into();
    write(&old, &spec());
    write(&new, &edited);
    let (old, new) = (path(&old), path(&new));

    let breaking = xtask(&["diff", old, new, "--fail-on", "breaking"]);
    assert_eq!(
        breaking.status.code(),
        Some(0),
        "{}",
        text(&breaking.stderr)
    );
    assert!(text(&breaking.stdout).contains("**patch**"));
    let any = xtask(&["diff", old, new, "--fail-on", "any"]);
    assert_eq!(any.status.code(), Some(1));
    assert!(text(&any.stdout).contains("`description_changed`"));
}

#[test]
fn a_malformed_spec_is_an_error_with_its_json_path() {
    let dir = scratch("malformed");
    let (good, bad) = (dir.join("good.json"), dir.join("bad.json"));
    let mut broken = spec();
    broken["resources"]["archiveJobs"]["methods"]["retry"]["httpMethod"] = 5.into();
    write(&good, &spec());
    write(&bad, &broken);

    for args in [[path(&good), path(&bad)], [path(&bad), path(&good)]] {
        let output = xtask(&["diff", args[0], args[1]]);
        assert_eq!(output.status.code(), Some(1));
        let stderr = text(&output.stderr);
        assert!(
            stderr.starts_with(&format!("error: {}: at ", path(&bad))),
            "{stderr}"
        );
        assert!(
            stderr.contains("resources.archiveJobs.methods.retry.httpMethod"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(output.stdout.is_empty());
    }
}

fn git(root: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.email=t@t", "-c", "user.name=t"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        text(&output.stderr)
    );
}

const TINY: &str = r#"{
  "name": "tiny", "version": "v1", "rootUrl": "https://tiny.example.com/", "servicePath": "",
  "revision": "1",
  "resources": {"things": {"methods": {
    "get": {"id": "tiny.things.get", "httpMethod": "GET", "path": "v1/things"}
  }}}
}"#;

#[test]
fn since_compares_each_spec_with_a_git_revision() {
    let root = scratch("since");
    let manifest = fs::read_to_string(xtask::repository_root().join("specs/specs.yaml")).unwrap();
    fs::write(root.join("specs/specs.yaml"), &manifest).unwrap();
    write(&root.join(SPEC), &spec());
    git(&root, &["init", "-q"]);
    git(&root, &["add", "."]);
    git(&root, &["commit", "-qm", "specs"]);
    let at = |args: &[&str]| {
        let mut all = vec!["--root", path(&root), "diff"];
        all.extend(args);
        xtask(&all)
    };

    let unchanged = at(&["--since", "HEAD", "--fail-on", "any"]);
    assert_eq!(
        unchanged.status.code(),
        Some(0),
        "{}",
        text(&unchanged.stderr)
    );
    assert!(text(&unchanged.stdout).contains("no API changes"));

    // A scope removed, and a new spec the revision does not have.
    write(&root.join(SPEC), &without_a_scope(spec()));
    fs::write(root.join("specs/tiny.json"), TINY).unwrap();
    fs::write(
        root.join("specs/specs.yaml"),
        format!("{manifest}  - spec: specs/tiny.json\n    crate: tiny\n    version: 0.1.0\n    output: tiny\n    source: a test\n"),
    )
    .unwrap();
    let changed = at(&["--since", "HEAD"]);
    assert_eq!(changed.status.code(), Some(0), "{}", text(&changed.stderr));
    let report = text(&changed.stdout);
    let sections: Vec<&str> = report.split("\n\n## ").collect();
    assert_eq!(sections.len(), 2, "{report}");
    assert!(sections[0].starts_with(&format!("## `{SPEC}`")), "{report}");
    assert!(sections[0].contains("`scope_removed`") && sections[0].contains("**major**"));
    assert!(
        sections[1].contains("**tiny v1**: new spec (absent at `HEAD`), 1 method"),
        "{report}"
    );
    assert_eq!(
        at(&["--since", "HEAD", "--fail-on", "breaking"])
            .status
            .code(),
        Some(1)
    );

    let json = at(&["--since", "HEAD", "--format", "json"]);
    let json: Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    assert_eq!(json["semver"], "major");
    assert_eq!(json["specs"][0]["spec"], SPEC);
    assert_eq!(json["specs"][0]["changes"][0]["kind"], "scope_removed");
    assert_eq!(json["specs"][1]["status"], "new");
    assert_eq!(json["specs"][1]["semver"], "minor");

    // Commit both, then delete the tiny spec: reported as deleted.
    git(&root, &["add", "."]);
    git(&root, &["commit", "-qm", "tiny"]);
    fs::remove_file(root.join("specs/tiny.json")).unwrap();
    let deleted = at(&["--since", "HEAD", "--fail-on", "breaking"]);
    assert_eq!(deleted.status.code(), Some(1));
    assert!(
        text(&deleted.stdout).contains("**tiny v1**: deleted since `HEAD` (it had 1 method)"),
        "{}",
        text(&deleted.stdout)
    );

    let unknown = at(&["--since", "no-such-rev"]);
    assert_eq!(unknown.status.code(), Some(1));
    let stderr = text(&unknown.stderr);
    assert!(
        stderr.starts_with("error: git cannot resolve `no-such-rev` to a commit")
            && stderr.contains("unknown revision"),
        "{stderr}"
    );
    assert!(unknown.stdout.is_empty());
}

/// Two OpenAPI specs in YAML compare like two Discovery documents: a new
/// operation is minor, a removed field and a required parameter are major.
#[test]
fn openapi_specs_are_diffed_in_api_terms() {
    let dir = scratch("openapi");
    let old = "openapi: 3.0.3\ninfo: {title: Shop, version: '1'}\nservers: [{url: 'https://shop.example.com'}]\n\
paths:\n  /items:\n    get:\n      operationId: items.list\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Item'}\n\
components:\n  schemas:\n    Item:\n      type: object\n      properties:\n        id: {type: string}\n        price: {type: integer, format: int64}\n";
    let new = old
        .replace(
            "        price: {type: integer, format: int64}\n",
            "",
        )
        .replace(
            "      operationId: items.list\n",
            "      operationId: items.list\n      parameters:\n        - {name: shop, in: query, required: true, schema: {type: string}}\n",
        )
        .replace(
            "components:\n",
            "  /items/{id}:\n    delete:\n      operationId: items.delete\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses: {'204': {description: gone}}\ncomponents:\n",
        );
    fs::write(dir.join("old.yaml"), old).unwrap();
    fs::write(dir.join("new.yaml"), new).unwrap();
    let output = xtask(&[
        "diff",
        path(&dir.join("old.yaml")),
        path(&dir.join("new.yaml")),
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["semver"], "major");
    let kinds: Vec<(String, String)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_owned(),
                c["item"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("method_added", "items.delete"),
        ("field_removed", "Item.price"),
        ("required_parameter_added", "items.list.shop"),
    ] {
        assert!(
            kinds
                .iter()
                .any(|(k, i)| k == expected.0 && i == expected.1),
            "{expected:?} in {kinds:?}"
        );
    }
}
