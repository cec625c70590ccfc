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
    let reversed = common::reversed_keys(&document);
    assert_ne!(reversed, document.to_string());
    let from_reversed = codegen::generate(&reversed, &common::settings("dp", SPEC)).unwrap();
    assert_eq!(from_reversed, generate(&document).unwrap());
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
            "# @generated "
        } else if path.ends_with(".json") {
            // JSON has no comments: the header is the first key.
            "{\n  \"@generated\": \""
        } else {
            "// @generated "
        };
        assert!(
            text.starts_with(&format!(
                "{header}by `cargo test -p codegen` from {SPEC}. Do not edit"
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
        (
            |d| {
                d["schemas"]["PortabilityArchiveState"]["properties"]["state"]["enumDeprecated"] =
                    json!([true])
            },
            "schemas.PortabilityArchiveState.properties.state.enumDeprecated",
            "one flag per value",
        ),
        // Things the generator does not support yet: named, never approximated.
        (
            |d| {
                d["schemas"]["Empty"]["properties"] = json!({"a": {"type": "string"}});
                d["schemas"]["Empty"]["additionalProperties"] = json!({"type": "string"});
            },
            "schemas.Empty",
            "both `properties` and `additionalProperties` is not supported yet",
        ),
        (
            |d| {
                d["schemas"]["PortabilityArchiveState"]["properties"]["sizes"] = json!({
                    "type": "array",
                    "items": {"type": "array", "items": {"type": "string", "format": "int64"}}
                })
            },
            "schemas.PortabilityArchiveState.properties.sizes",
            "64-bit integers nested deeper than one list or map are not supported yet",
        ),
        (
            |d| {
                retry(d)["response"] =
                    json!({"type": "object", "properties": {"id": {"type": "string"}}})
            },
            "resources.archiveJobs.methods.retry.response",
            "a type declared inline is only supported in a schema's fields",
        ),
        (
            |d| {
                d["schemas"]["Ping"] = json!({"$ref": "Pong"});
                d["schemas"]["Pong"] = json!({"$ref": "Ping"});
            },
            "schemas.Ping",
            "an alias of itself",
        ),
        (
            |d| retry(d)["parameters"]["name"]["repeated"] = json!(true),
            "resources.archiveJobs.methods.retry.parameters.name",
            "repeated or enum path parameters are not supported yet",
        ),
        (
            |d| retry(d)["supportsMediaUpload"] = json!(true),
            "resources.archiveJobs.methods.retry.mediaUpload",
            "needs a `mediaUpload` object",
        ),
        (
            |d| {
                retry(d)["supportsMediaUpload"] = json!(true);
                retry(d)["mediaUpload"] = json!({
                    "maxSize": "5PB",
                    "protocols": {"simple": {"path": "/upload/v1/{+name}:retry"}}
                });
            },
            "resources.archiveJobs.methods.retry.mediaUpload.maxSize",
            "`5PB`",
        ),
        (
            |d| {
                retry(d)["supportsMediaUpload"] = json!(true);
                retry(d)["mediaUpload"] =
                    json!({"protocols": {"simple": {"path": "/upload/v1/{other}"}}});
            },
            "resources.archiveJobs.methods.retry.mediaUpload.protocols.simple.path",
            "`other` in the path is not a path parameter",
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
    assert!(
        message.contains("at `schemas.Empty.properties`"),
        "the error names where the name is: {message}"
    );
}

/// The IR of the media fixture, which has one of everything.
fn media_api() -> codegen::ir::Api {
    let path = common::repository_root().join("codegen/tests/fixtures/media.json");
    codegen::lower::lower("media.json", &std::fs::read_to_string(path).unwrap()).unwrap()
}

fn schema<'a>(api: &'a codegen::ir::Api, name: &str) -> &'a codegen::ir::Schema {
    api.schemas.iter().find(|s| s.name == name).unwrap()
}

fn field<'a>(schema: &'a codegen::ir::Schema, wire: &str) -> &'a codegen::ir::Field {
    match &schema.kind {
        codegen::ir::SchemaKind::Struct { fields } => {
            fields.iter().find(|f| f.wire_name == wire).unwrap()
        }
        other => panic!("{} is not a struct: {other:?}", schema.name),
    }
}

#[test]
fn fields_that_close_a_cycle_are_boxed_and_no_others() {
    let api = media_api();
    let boxed = |s: &str, f: &str| field(schema(&api, s), f).boxed;
    assert!(boxed("Person", "manager"), "a struct holding itself");
    assert!(
        boxed("Tree", "root") && boxed("Node", "subtree"),
        "mutual recursion"
    );
    assert!(!boxed("File", "children"), "a Vec is already indirect");
    assert!(!boxed("File", "owner"), "File is not reachable from Person");
    assert!(!boxed("About", "user"));
}

#[test]
fn inline_objects_and_enums_are_declared_in_their_schemas_module() {
    use codegen::ir::Type;
    let api = media_api();
    let file = schema(&api, "File");
    assert_eq!(
        field(file, "location").ty,
        Type::Named("file::Location".into())
    );
    assert_eq!(
        field(file, "metadata").ty,
        Type::Map(Box::new(Type::Named("file::Metadata".into())))
    );
    let location = file
        .nested
        .iter()
        .find(|s| s.rust_name == "Location")
        .unwrap();
    assert_eq!(
        field(location, "replicas").ty,
        Type::Array(Box::new(Type::Named("file::location::Replicas".into())))
    );
    let tier = &location.enums[0];
    assert_eq!(tier.rust_name, "Tier");
    assert_eq!(
        tier.variants
            .iter()
            .map(|v| v.deprecated)
            .collect::<Vec<_>>(),
        [false, false, true]
    );
    // Values without letters or digits still get a variant each.
    let state = file.enums.iter().find(|e| e.rust_name == "State").unwrap();
    let names: Vec<&str> = state
        .variants
        .iter()
        .map(|v| v.rust_name.as_str())
        .collect();
    assert_eq!(names, ["Empty", "Active", "Value2"]);
}

#[test]
fn string_formats_map_to_their_types_in_bodies_and_urls() {
    use codegen::ir::Type;
    let api = media_api();
    let file = schema(&api, "File");
    let types: Vec<(&str, Type)> = vec![
        ("size", Type::I64),
        ("checksum", Type::Bytes),
        ("retention", Type::Duration),
        ("expires", Type::Date),
        ("updateMask", Type::FieldMask),
        ("created", Type::Timestamp),
    ];
    for (wire, ty) in types {
        assert_eq!(field(file, wire).ty, ty, "{wire}");
    }
    let list = &api.resources[0]
        .methods
        .iter()
        .find(|m| m.fn_name == "list")
        .unwrap();
    let modified = list
        .optional
        .iter()
        .find(|p| p.wire_name == "modifiedAfter")
        .unwrap();
    assert_eq!(modified.ty, Type::Timestamp);
}

#[test]
fn methods_know_their_paging_media_and_place() {
    let api = media_api();
    assert_eq!(api.methods.len(), 1, "`about` is a method of the client");
    assert_eq!(api.methods[0].id, "media.about");
    let files = &api.resources[0];
    let method = |name: &str| files.methods.iter().find(|m| m.fn_name == name).unwrap();
    let paging = method("list").paging.as_ref().unwrap();
    assert_eq!(
        (
            paging.token_field.as_str(),
            paging.next_token_field.as_str()
        ),
        ("page_token", "next_page_token")
    );
    assert!(method("get").paging.is_none());
    assert!(
        method("get")
            .download
            .as_ref()
            .unwrap()
            .use_download_service
    );
    let upload = method("insert").upload.as_ref().unwrap();
    assert_eq!(upload.max_size, Some(10 << 20));
    assert_eq!(upload.accept, ["text/*", "application/octet-stream"]);
    assert_eq!(
        upload.simple_path.as_ref().unwrap().to_string(),
        "/upload/media/v1/files"
    );
    assert!(method("touch").deprecated);
    // `fileId` of `get` has the pattern `^[^/]+$`: checked although `{fileId}` is simple.
    let get_path = &method("get").path;
    assert!(matches!(
        &get_path.variables().next().unwrap().expansion,
        codegen::path_template::Expansion::Simple(Some(_))
    ));
    assert!(matches!(
        &method("delete").path.variables().next().unwrap().expansion,
        codegen::path_template::Expansion::Simple(None)
    ));
}
