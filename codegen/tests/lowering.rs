//! Lowering the project's Data Portability spec: equivalent spellings give
//! identical code, key order never matters, and bad documents give errors
//! that name the file and the JSON path.

mod common;

use serde_json::{Value, json};

const SPEC: &str = "specs/dataportability.v1.json";

fn spec() -> Value {
    let text = std::fs::read_to_string(common::repository_root().join(SPEC)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn generate(document: &Value) -> Result<codegen::Files, codegen::Error> {
    codegen::generate(&document.to_string(), &common::settings("dp", SPEC))
}

fn retry(document: &mut Value) -> &mut Value {
    &mut document["resources"]["archiveJobs"]["methods"]["retry"]
}

#[test]
fn retry_in_transcoding_and_discovery_form_emits_identical_code() {
    let transcoding = spec();
    // The spec must really use the transcoding form, or this test proves nothing.
    assert_eq!(
        transcoding["resources"]["archiveJobs"]["methods"]["retry"]["path"],
        "v1/{name=archiveJobs/*}:retry"
    );
    let mut discovery = transcoding.clone();
    let method = retry(&mut discovery);
    method["path"] = json!("v1/{+name}:retry");
    method["flatPath"] = json!("v1/archiveJobs/{archiveJobsId}:retry");
    method["parameters"]["name"]["pattern"] = json!("^archiveJobs/[^/]+$");
    assert_ne!(transcoding, discovery);
    assert_eq!(
        generate(&transcoding).unwrap(),
        generate(&discovery).unwrap()
    );
}

#[test]
fn key_order_does_not_change_the_output() {
    let document = spec();
    let reversed = write_with_reversed_keys(&document);
    assert_ne!(reversed, document.to_string());
    let from_reversed = codegen::generate(&reversed, &common::settings("dp", SPEC)).unwrap();
    assert_eq!(from_reversed, generate(&document).unwrap());
}

/// JSON text with every object's keys in reverse order.
fn write_with_reversed_keys(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .rev()
                .map(|(k, v)| {
                    format!(
                        "{}:{}",
                        Value::String(k.clone()),
                        write_with_reversed_keys(v)
                    )
                })
                .collect();
            format!("{{{}}}", entries.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(write_with_reversed_keys).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

#[test]
fn unknown_keys_are_ignored() {
    let mut document = spec();
    document["someNewKey"] = json!({"nested": true});
    retry(&mut document)["anotherNewKey"] = json!(1);
    document["schemas"]["Empty"]["x-extension"] = json!("v");
    assert_eq!(generate(&document).unwrap(), generate(&spec()).unwrap());
}

#[test]
fn the_generated_crate_has_what_the_issue_names() {
    let files = generate(&spec()).unwrap();
    let scopes = &files["src/scopes.rs"];
    assert_eq!(
        scopes.matches("Ok(Scope::").count(),
        66,
        "one FromStr arm per scope"
    );
    let archive_jobs = &files["src/resources/archive_jobs.rs"];
    assert!(archive_jobs.contains("`POST v1/{name=archiveJobs/*}:retry`"));
    assert!(archive_jobs.contains("template: \"archiveJobs/*\""));
    for (path, text) in &files {
        let header = if path.ends_with(".toml") {
            "# @generated"
        } else {
            "// @generated"
        };
        assert!(
            text.starts_with(&format!(
                "{header} by `cargo test -p codegen` from {SPEC}. Do not edit."
            )),
            "{path} lacks the header"
        );
    }
    let methods: usize = files
        .iter()
        .filter(|(p, _)| p.starts_with("src/resources/") && !p.ends_with("mod.rs"))
        .map(|(_, t)| t.matches("pub const SCOPES").count())
        .sum();
    assert_eq!(methods, 6, "six methods, each with its scopes");
}

fn error_of(document: &Value) -> String {
    match generate(document) {
        Ok(_) => panic!("the document should have been refused"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_wrong_json_type_names_the_file_and_path() {
    let mut document = spec();
    retry(&mut document)["parameters"]["name"]["type"] = json!(5);
    let message = error_of(&document);
    assert!(message.starts_with(SPEC), "{message}");
    assert!(
        message.contains("resources.archiveJobs.methods.retry.parameters.name.type"),
        "{message}"
    );
    assert!(message.contains("expected a string"), "{message}");
}

#[test]
fn an_unsupported_type_names_the_path_and_what_was_expected() {
    let mut document = spec();
    retry(&mut document)["parameters"]["name"]["type"] = json!("object");
    let message = error_of(&document);
    assert!(
        message.contains("resources.archiveJobs.methods.retry.parameters.name.type"),
        "{message}"
    );
    assert!(
        message
            .contains("expected `string`, `integer`, `number`, `boolean` or `any`, found `object`"),
        "{message}"
    );
}

#[test]
fn a_missing_field_names_the_object() {
    let mut document = spec();
    retry(&mut document)
        .as_object_mut()
        .unwrap()
        .remove("httpMethod");
    let message = error_of(&document);
    assert!(
        message.contains("resources.archiveJobs.methods.retry"),
        "{message}"
    );
    assert!(message.contains("missing field `httpMethod`"), "{message}");
}

#[test]
fn broken_json_names_the_file_and_position() {
    let err = codegen::generate("{\"name\": ", &common::settings("dp", SPEC)).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with(SPEC) && message.contains("line 1"),
        "{message}"
    );
}

#[test]
fn semantic_errors_name_the_json_path() {
    // How to break the spec, the JSON path the error must name, and words it must say.
    type Case = (fn(&mut Value), &'static str, &'static str);
    let cases: Vec<Case> = vec![
        (
            |d| retry(d)["path"] = json!("v1/{name=archiveJobs/*:retry"),
            "resources.archiveJobs.methods.retry.path",
            "unclosed",
        ),
        (
            |d| {
                d["resources"]["archiveJobs"]["methods"]["cancel"]["parameters"]["name"]["pattern"] =
                    json!("^archiveJobs/\\d+$")
            },
            "resources.archiveJobs.methods.cancel.path",
            "not supported",
        ),
        (
            |d| {
                retry(d)["path"] = json!("v1/{name=projects/*}:retry");
                retry(d)["parameters"]["name"]["pattern"] = json!("^archiveJobs/[^/]+$");
            },
            "resources.archiveJobs.methods.retry.path",
            "bound to `projects/*` in the path but its pattern means `archiveJobs/*`",
        ),
        (
            |d| {
                d["schemas"]["PortabilityArchiveState"]["properties"]["urls"]["items"] =
                    json!({"$ref": "Nope"})
            },
            "schemas.PortabilityArchiveState.properties.urls.items.$ref",
            "no schema named `Nope`",
        ),
        (
            |d| retry(d)["scopes"][3] = json!("https://example.com/unknown"),
            "resources.archiveJobs.methods.retry.scopes.3",
            "not declared",
        ),
        (
            |d| retry(d)["httpMethod"] = json!("BREW"),
            "resources.archiveJobs.methods.retry.httpMethod",
            "BREW",
        ),
        (
            |d| retry(d)["parameterOrder"] = json!(["nom"]),
            "resources.archiveJobs.methods.retry.parameterOrder.0",
            "`nom`",
        ),
        (
            |d| retry(d)["parameters"]["name"]["location"] = json!("header"),
            "resources.archiveJobs.methods.retry.parameters.name.location",
            "`header`",
        ),
        (
            |d| retry(d)["request"] = json!({"$ref": "Missing"}),
            "resources.archiveJobs.methods.retry.request.$ref",
            "Missing",
        ),
        (
            |d| {
                d["schemas"]["PortabilityArchiveState"]["properties"]["state"]["enumDescriptions"] =
                    json!(["one"])
            },
            "schemas.PortabilityArchiveState.properties.state.enumDescriptions",
            "one description per value",
        ),
    ];
    for (break_it, path, words) in cases {
        let mut document = spec();
        break_it(&mut document);
        let message = error_of(&document);
        assert!(message.starts_with(SPEC), "{message}");
        assert!(
            message.contains(&format!("at `{path}`")),
            "expected path {path} in: {message}"
        );
        assert!(message.contains(words), "expected {words:?} in: {message}");
    }
}

#[test]
fn a_name_that_cannot_be_an_identifier_is_an_error_not_a_panic() {
    let mut document = spec();
    document["schemas"]["Empty"]["properties"] = json!({"$": {"type": "string"}});
    let message = error_of(&document);
    assert!(
        message.contains("cannot make a Rust identifier from \"$\""),
        "{message}"
    );
}
