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
    retry(&mut document)["parameters"]["name"]["type"] = json!("array");
    let message = error_of(&document);
    assert!(
        message.contains("resources.archiveJobs.methods.retry.parameters.name.type"),
        "{message}"
    );
    assert!(
        message
            .contains("expected `string`, `integer`, `number`, `boolean` or `any`, found `array`"),
        "{message}"
    );
    // Objects travel in the query only.
    let mut document = spec();
    retry(&mut document)["parameters"]["name"]["type"] = json!("object");
    let message = error_of(&document);
    assert!(
        message.contains("at `resources.archiveJobs.methods.retry.parameters.name.type`")
            && message.contains("an `object` parameter is only supported in the query"),
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
            |d| {
                retry(d)["parameters"]["options"] = json!({
                    "type": "object", "location": "query",
                    "properties": {"a": {"type": "string"}}
                })
            },
            "resources.archiveJobs.methods.retry.parameters.options.properties",
            "an `object` parameter with named `properties` is not supported yet",
        ),
        (
            |d| d["parameters"]["options"] = json!({"type": "object", "location": "query"}),
            "parameters.options.type",
            "an `object` standard parameter is not supported yet",
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

#[test]
fn fields_are_read_by_their_wire_name_only() {
    // Google's responses are camelCase: a snake_case alias per field cost
    // derive code on every model and was never used. Fields whose names
    // share a snake_case form (found by `cargo xtask fuzz`) stay apart.
    let mut document = spec();
    document["schemas"]["Empty"]["properties"] = json!({
        "ProgressBytes": {"type": "string"},
        "progressBytes": {"type": "string"},
        "totalBytes": {"type": "string"}
    });
    let files = codegen::generate(&document.to_string(), &common::settings("t", SPEC)).unwrap();
    let models = &files["src/models.rs"];
    assert!(!models.contains("alias"), "{models}");
    for wire in ["ProgressBytes", "progressBytes", "totalBytes"] {
        // Read and written under that name and no other.
        assert_eq!(
            models.matches(&format!("\"{wire}\" =>")).count(),
            1,
            "{wire}"
        );
        assert!(
            models.contains(&format!("map.serialize_entry(\"{wire}\", value)")),
            "{wire}"
        );
    }
}

#[test]
fn resources_without_methods_at_any_depth_are_left_out() {
    // Found by `cargo xtask fuzz`: a resource whose `methods` is empty
    // became a type whose client was never read, and the crate failed
    // `clippy -D warnings` (dead code).
    let mut document = spec();
    document["resources"]["empty"] = json!({"methods": {}});
    document["resources"]["outer"] = json!({"resources": {"inner": {"methods": {}}}});
    let api = codegen::lower::lower(SPEC, &document.to_string()).unwrap();
    let names: Vec<&str> = api.resources.iter().map(|r| r.name.as_str()).collect();
    assert!(
        !names.contains(&"empty") && !names.contains(&"outer"),
        "{names:?}"
    );
    assert!(names.contains(&"archiveJobs"), "{names:?}");
}

#[test]
fn a_resource_in_its_namesake_allows_the_module_inception() {
    // Found by `cargo xtask fuzz`: `records.records` made a module `records`
    // in the module `records`, which `clippy -D warnings` refused.
    let mut document = spec();
    let methods = document["resources"]["archiveJobs"]["methods"].clone();
    document["resources"]["archiveJobs"]["resources"] =
        json!({"archiveJobs": {"methods": methods}});
    let files = generate(&document).unwrap();
    let module = &files["src/resources/archive_jobs.rs"];
    // The nested resource is a file of its own.
    assert!(files.contains_key("src/resources/archive_jobs/archive_jobs.rs"));
    let at = module
        .find("pub mod archive_jobs;")
        .expect("the nested module");
    assert!(
        module[..at]
            .trim_end()
            .ends_with("#[allow(clippy::module_inception)]"),
        "{}",
        &module[at.saturating_sub(200)..at]
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

/// A document with one `GET` method per `(name, path, pattern)`; each path
/// has one string path parameter `name`, with `pattern` when given.
fn paths_document(methods: &[(&str, &str, Option<&str>)]) -> Value {
    let mut lowered = serde_json::Map::new();
    for (name, path, pattern) in methods {
        let mut parameter = json!({"type": "string", "location": "path", "required": true});
        if let Some(pattern) = pattern {
            parameter["pattern"] = json!(pattern);
        }
        lowered.insert(
            (*name).to_owned(),
            json!({
                "id": format!("names.{name}"),
                "httpMethod": "GET",
                "path": path,
                "parameterOrder": ["name"],
                "parameters": {"name": parameter},
            }),
        );
    }
    json!({
        "name": "names",
        "version": "v1",
        "rootUrl": "https://names.example.com/",
        "servicePath": "",
        "resources": {"things": {"methods": lowered}},
    })
}

fn lower_value(document: &Value) -> codegen::ir::Api {
    codegen::lower::lower("names.json", &document.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

/// `(type, template, accessors)` of every resource name, in IR order.
fn resource_names(api: &codegen::ir::Api) -> Vec<(String, String, Vec<String>)> {
    api.resource_names
        .iter()
        .map(|n| {
            (
                n.rust_name.clone(),
                n.binding.to_string(),
                n.accessors.clone(),
            )
        })
        .collect()
}

/// The resource name each method's `name` parameter takes, by method.
fn taken_by(api: &codegen::ir::Api) -> Vec<(String, Option<String>)> {
    api.all_methods()
        .iter()
        .map(|m| (m.fn_name.clone(), m.args[0].resource_name.clone()))
        .collect()
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn the_data_portability_api_has_a_name_per_template_and_its_calls_take_them() {
    let api = codegen::lower::lower(SPEC, &spec().to_string()).unwrap();
    assert_eq!(
        resource_names(&api),
        [
            (
                "ArchiveJobName".into(),
                "archiveJobs/*".into(),
                owned(&["archive_job"])
            ),
            (
                "PortabilityArchiveStateName".into(),
                "archiveJobs/*/portabilityArchiveState".into(),
                owned(&["archive_job"])
            ),
        ]
    );
    let taken: Vec<(&str, Option<&str>)> = api
        .all_methods()
        .iter()
        .flat_map(|m| {
            m.args
                .iter()
                .map(|p| (m.id.as_str(), p.resource_name.as_deref()))
        })
        .collect();
    assert!(taken.contains(&("dataportability.archiveJobs.retry", Some("ArchiveJobName"))));
    assert!(taken.contains(&(
        "dataportability.archiveJobs.getPortabilityArchiveState",
        Some("PortabilityArchiveStateName")
    )));
    // The emitted module and the method docs point at the types.
    let files = generate(&spec()).unwrap();
    assert!(files["src/lib.rs"].contains("pub mod names;"));
    assert!(
        files["src/names.rs"].contains("pub struct ArchiveJobName(NameText);"),
        "{}",
        files["src/names.rs"]
    );
    assert!(
        files["src/resources/archive_jobs.rs"]
            .contains("Takes a [`crate::names::ArchiveJobName`] or a string.")
    );
}

#[test]
fn resource_names_come_from_bindings_of_any_api_deduplicated_and_sorted() {
    let document = paths_document(&[
        // One binding in both spellings, and twice: one type.
        ("getLocation", "v1/{name=projects/*/locations/*}", None),
        (
            "listLocations",
            "v1/{+name}/things",
            Some("^projects/[^/]+/locations/[^/]+$"),
        ),
        (
            "getKeyRing",
            "v1/{+name}",
            Some("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+$"),
        ),
        ("getPolicy", "v1/{name=policies/*}", None),
        ("getAddress", "v1/{name=regions/*/addresses/*}", None),
        ("getIndex", "v1/{name=indexes/*}", None),
        ("getSeries", "v1/{name=timeSeries/*}", None),
        ("getType", "v1/{name=types/*}", None),
        // A simple `{x}` whose pattern has literals gets a type too.
        ("getUser", "v1/users:lookup/{name}", Some("^users/[^/]+$")),
        // No literal, no variable, or no binding: no type.
        ("getAny", "v1/{name=**}", None),
        ("getOne", "v1/{name}", Some("^[^/]+$")),
        ("getGlobal", "v1/{name=projects/global}", None),
        ("getFree", "v1/{+name}", None),
    ]);
    let api = lower_value(&document);
    assert_eq!(
        resource_names(&api),
        [
            (
                "AddressName".into(),
                "regions/*/addresses/*".into(),
                owned(&["region", "address"])
            ),
            ("IndexName".into(), "indexes/*".into(), owned(&["index"])),
            (
                "KeyRingName".into(),
                "projects/*/locations/*/keyRings/*".into(),
                owned(&["project", "location", "key_ring"])
            ),
            (
                "LocationName".into(),
                "projects/*/locations/*".into(),
                owned(&["project", "location"])
            ),
            ("PolicyName".into(), "policies/*".into(), owned(&["policy"])),
            (
                "TimeSeriesName".into(),
                "timeSeries/*".into(),
                owned(&["time_series"])
            ),
            ("TypeName".into(), "types/*".into(), owned(&["r#type"])),
            ("UserName".into(), "users/*".into(), owned(&["user"])),
        ]
    );
    let taken = taken_by(&api);
    let of = |f: &str| taken.iter().find(|(n, _)| n == f).unwrap().1.clone();
    assert_eq!(of("get_location").as_deref(), Some("LocationName"));
    assert_eq!(of("list_locations").as_deref(), Some("LocationName"));
    assert_eq!(of("get_user").as_deref(), Some("UserName"));
    for untyped in ["get_any", "get_one", "get_global", "get_free"] {
        assert_eq!(of(untyped), None, "{untyped}");
    }
    // Neither key order nor the order of methods changes names or order.
    let reversed = common::reversed_keys(&document);
    let again = codegen::lower::lower("names.json", &reversed).unwrap();
    assert_eq!(again.resource_names, api.resource_names);
}

#[test]
fn templates_that_would_share_a_name_are_told_apart_by_more_literals() {
    let api = lower_value(&paths_document(&[
        ("a", "v1/{name=projects/*/locations/*}", None),
        ("b", "v1/{name=organizations/*/locations/*}", None),
        ("c", "v1/{name=projects/*/locations/*/keyRings/*}", None),
        ("d", "v1/{name=projects/*/keyRings/*}", None),
        ("e", "v1/{name=publishers/*/models/*}", None),
        (
            "f",
            "v1/{name=projects/*/locations/*/publishers/*/models/*}",
            None,
        ),
        ("g", "v1/{name=projects/*/locations/*/models/*}", None),
    ]));
    let names: Vec<(String, String)> = resource_names(&api)
        .into_iter()
        .map(|(name, template, _)| (template, name))
        .collect();
    let expected = [
        ("organizations/*/locations/*", "OrganizationLocationName"),
        ("projects/*/keyRings/*", "ProjectKeyRingName"),
        ("projects/*/locations/*", "ProjectLocationName"),
        ("projects/*/locations/*/keyRings/*", "LocationKeyRingName"),
        ("projects/*/locations/*/models/*", "LocationModelName"),
        (
            "projects/*/locations/*/publishers/*/models/*",
            "LocationPublisherModelName",
        ),
        ("publishers/*/models/*", "PublisherModelName"),
    ];
    let mut names = names;
    names.sort();
    assert_eq!(
        names,
        expected
            .iter()
            .map(|(t, n)| ((*t).to_owned(), (*n).to_owned()))
            .collect::<Vec<_>>()
    );
    // Every template keeps its own type: nothing is merged.
    let types: std::collections::BTreeSet<_> =
        api.resource_names.iter().map(|n| &n.rust_name).collect();
    assert_eq!(types.len(), api.resource_names.len());
}

#[test]
fn templates_with_the_same_literals_are_numbered_in_template_order() {
    // Firestore's three document templates have the same literals.
    let api = lower_value(&paths_document(&[
        (
            "a",
            "v1/{+name}",
            Some("^projects/[^/]+/databases/[^/]+/documents/[^/]+/.*$"),
        ),
        (
            "b",
            "v1/{+name}:list",
            Some("^projects/[^/]+/databases/[^/]+/documents$"),
        ),
        (
            "c",
            "v1/{+name}:create",
            Some("^projects/[^/]+/databases/[^/]+/documents/.*$"),
        ),
    ]));
    assert_eq!(
        resource_names(&api),
        [
            (
                "DocumentName".into(),
                "projects/*/databases/*/documents".into(),
                owned(&["project", "database"])
            ),
            // `*` sorts before `/`.
            (
                "DocumentName2".into(),
                "projects/*/databases/*/documents/**".into(),
                owned(&["project", "database", "document"])
            ),
            (
                "DocumentName3".into(),
                "projects/*/databases/*/documents/*/**".into(),
                owned(&["project", "database", "document", "path"])
            ),
        ]
    );
}

#[test]
fn accessors_are_distinct_escaped_and_never_shadow_the_types_methods() {
    let api = lower_value(&paths_document(&[
        ("a", "v1/{name=projects/*/projects/*}", None),
        ("b", "v1/{name=selves/*/news/*}", None),
        ("c", "v1/{name=clones/*/as_strs/*}", None),
    ]));
    let accessors: Vec<Vec<String>> = api
        .resource_names
        .iter()
        .map(|n| n.accessors.clone())
        .collect();
    assert!(
        accessors.contains(&owned(&["clone_2", "as_str_2"])),
        "{accessors:?}"
    );
    assert!(
        accessors.contains(&owned(&["project", "project_2"])),
        "{accessors:?}"
    );
    assert!(
        accessors.contains(&owned(&["self_", "news"])),
        "{accessors:?}"
    );
}

#[test]
fn api_records_from_before_resource_names_still_read() {
    let api = codegen::lower::lower(SPEC, &spec().to_string()).unwrap();
    let mut record = serde_json::to_value(&api).unwrap();
    record.as_object_mut().unwrap().remove("resource_names");
    let text = json!({"@generated": "old", "api": record}).to_string();
    let read = codegen::read_api_record(&text).unwrap();
    assert!(read.resource_names.is_empty());
    // Parameters without `resource_name` read as taking none.
    let mut stripped = serde_json::to_value(&api).unwrap();
    let text = stripped
        .to_string()
        .replace("\"resource_name\":", "\"x_ignored\":");
    stripped = serde_json::from_str(&text).unwrap();
    let read = codegen::read_api_record(&json!({"api": stripped}).to_string()).unwrap();
    assert!(
        read.all_methods()
            .iter()
            .all(|m| m.args.iter().all(|p| p.resource_name.is_none()))
    );
}

/// The IR of the cloud paths fixture: enum and repeated path parameters,
/// patterns no binding expresses, object query parameters.
fn cloud_paths_api() -> codegen::ir::Api {
    let path = common::repository_root().join(common::fixture_file("cloud_paths"));
    let text = std::fs::read_to_string(&path).unwrap();
    codegen::lower::lower("cloud_paths.json", &text).unwrap_or_else(|e| panic!("{e}"))
}

fn find_method<'a>(api: &'a codegen::ir::Api, id: &str) -> &'a codegen::ir::Method {
    api.all_methods()
        .into_iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("no method {id}"))
}

fn arg<'a>(method: &'a codegen::ir::Method, wire: &str) -> &'a codegen::ir::Parameter {
    method
        .args
        .iter()
        .chain(&method.optional)
        .find(|p| p.wire_name == wire)
        .unwrap_or_else(|| panic!("no parameter {wire}"))
}

#[test]
fn enum_path_parameters_are_typed_by_their_open_enum() {
    use codegen::ir::Type;
    let api = cloud_paths_api();
    for (id, wire, template) in [
        (
            "cloudpaths.mapTypes.lookupTile",
            "mapType",
            "v1/mapTypes/{mapType}/tiles/{zoom}",
        ),
        (
            "cloudpaths.advertisers.getTargeting",
            "targetingType",
            "v1/advertisers/{advertiserId=*}/targetingTypes/{targetingType=*}",
        ),
        (
            "cloudpaths.advertisers.listByState",
            "state",
            "v1/states/{+state}/advertisers",
        ),
    ] {
        let method = find_method(&api, id);
        assert_eq!(method.path.to_string(), template);
        let param = arg(method, wire);
        let Type::Enum(reference) = &param.ty else {
            panic!("{id}: {wire} is {:?}", param.ty);
        };
        assert!(reference.module.is_empty(), "declared with the call");
        assert!(reference.definition.is_some());
        assert!(param.resource_name.is_none(), "enums take no resource name");
    }
    let files = common::generate_fixture("cloud_paths");
    let advertisers = &files["src/resources/advertisers.rs"];
    assert!(
        advertisers.contains("targeting_type: GetTargetingTargetingType,"),
        "the argument is the enum"
    );
    assert!(
        advertisers.contains("self.targeting_type.as_str()"),
        "sent by wire value"
    );
}

#[test]
fn enum_path_parameters_are_accepted_from_openapi_too() {
    let spec = r#"
openapi: 3.0.3
info: {title: Maps, version: v1}
servers: [{url: "https://maps.example.com/"}]
paths:
  /mapTypes/{mapType}/tiles:
    get:
      operationId: lookupTile
      parameters:
        - {name: mapType, in: path, required: true, schema: {type: string, enum: [TREE, GRASS]}}
      responses: {"200": {description: ok}}
"#;
    let files = codegen::generate(spec, &common::settings("maps", "maps.yaml")).unwrap();
    let code = &files["src/resources/mod.rs"];
    assert!(code.contains("map_type: LookupTileMapType"), "{code}");
    assert!(code.contains("self.map_type.as_str()"), "{code}");
}

#[test]
fn patterns_no_binding_expresses_fall_back_and_reach_the_docs() {
    use codegen::path_template::Expansion;
    let api = cloud_paths_api();
    let cases = [
        // (method, parameter, canonical template, pattern kept for the docs)
        (
            "cloudpaths.folders.listThings",
            "folder",
            "{folder=folders/*}/things",
            None,
        ),
        (
            "cloudpaths.folders.getPolicy",
            "folder",
            "{folder=folders/*}/policies/{policy}",
            Some("folders/[0-9]{0,20}"),
        ),
        (
            "cloudpaths.folders.getPolicy",
            "policy",
            "{folder=folders/*}/policies/{policy}",
            Some("[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?"),
        ),
        (
            "cloudpaths.slots.get",
            "parentName",
            "projects/{project}/{parentName=reservations/*/blocks/*}/slots/{slot}",
            Some(
                "reservations/([a-z](?:[-a-z0-9]{0,61}[a-z0-9])?|[1-9][0-9]{0,19})/blocks/([a-z](?:[-a-z0-9]{0,61}[a-z0-9])?|[1-9][0-9]{0,19})",
            ),
        ),
        (
            "cloudpaths.documents.get",
            "name",
            "v1/{+name}",
            Some("^((unclosed[/"),
        ),
    ];
    for (id, wire, template, pattern) in cases {
        let method = find_method(&api, id);
        assert_eq!(method.path.to_string(), template, "{id}");
        assert_eq!(arg(method, wire).pattern.as_deref(), pattern, "{id} {wire}");
    }
    let documents = find_method(&api, "cloudpaths.documents.get");
    assert_eq!(
        documents.path.variables().next().unwrap().expansion,
        Expansion::Reserved(None),
        "no binding: the runtime encodes segment by segment"
    );
    // A pattern that is a binding lives on as the binding only.
    let targeting = find_method(&api, "cloudpaths.advertisers.getTargeting");
    assert_eq!(arg(targeting, "advertiserId").pattern, None);

    let files = common::generate_fixture("cloud_paths");
    let folders = &files["src/resources/folders.rs"];
    assert!(
        folders.contains(
            "* `folder`: (no description) Must match `folders/*`. Must match the pattern \
             `folders/[0-9]{0,20}` (checked by the server)."
        ),
        "{folders}"
    );
    let documents = &files["src/resources/documents.rs"];
    assert!(documents.contains("Must match the pattern `^((unclosed[/` (checked by the server)."));
    assert!(documents.contains("push_reserved(&mut path, \"name\", &self.name, None)"));
}

#[test]
fn an_unanchored_plain_pattern_lowers_like_its_anchored_and_flat_path_spellings() {
    let document = |path: &str, pattern: Option<&str>, flat: Option<&str>| {
        let mut document = paths_document(&[("get", path, pattern)]);
        if let Some(flat) = flat {
            document["resources"]["things"]["methods"]["get"]["flatPath"] = json!(flat);
        }
        lower_value(&document)
    };
    let unanchored = document("v1/{+name}", Some("folders/[^/]+"), None);
    let anchored = document("v1/{+name}", Some("^folders/[^/]+$"), None);
    let flat_only = document("v1/{+name}", None, Some("v1/folders/{foldersId}"));
    let transcoding = document("v1/{name=folders/*}", None, None);
    assert_eq!(unanchored, anchored);
    assert_eq!(unanchored, flat_only);
    assert_eq!(unanchored, transcoding);
    assert_eq!(
        unanchored.methods.len() + unanchored.resources[0].methods.len(),
        1
    );
}

#[test]
fn repeated_path_parameters_are_lists_joined_by_commas() {
    use codegen::ir::Type;
    let api = cloud_paths_api();
    let batch_get = find_method(&api, "cloudpaths.items.batchGet");
    let ids = arg(batch_get, "ids");
    assert!(ids.repeated && ids.ty == Type::String);
    let by_kinds = find_method(&api, "cloudpaths.items.listByKinds");
    assert!(matches!(arg(by_kinds, "kinds").ty, Type::Enum(_)));
    assert_eq!(arg(by_kinds, "sizes").ty, Type::I64);
    let check = find_method(&api, "cloudpaths.items.batchCheck");
    assert_eq!(check.path.to_string(), "v1/{names=items/*}:batchCheck");
    assert!(
        arg(check, "names").resource_name.is_none(),
        "a list is no name"
    );

    let files = common::generate_fixture("cloud_paths");
    let items = &files["src/resources/items.rs"];
    assert!(items.contains("ids: impl IntoIterator<Item = impl Into<String>>"));
    assert!(items.contains("push_list(&mut path, \"ids\", &self.ids, false, None)"));
    assert!(
        items
            .contains("The values are joined by `,` in the path. Each value must match `items/*`.")
    );
}

#[test]
fn object_query_parameters_are_maps_sent_as_dotted_pairs() {
    use codegen::ir::{Location, Type};
    let api = cloud_paths_api();
    let mcp = find_method(&api, "cloudpaths.connectors.mcp");
    let expect = [
        ("context", Type::Map(Box::new(Type::String)), false, true),
        ("config", Type::Map(Box::new(Type::Any)), false, false),
        ("extensions", Type::Map(Box::new(Type::Any)), true, false),
    ];
    for (wire, ty, repeated, required) in expect {
        let param = arg(mcp, wire);
        assert_eq!((&param.ty, param.repeated), (&ty, repeated), "{wire}");
        assert_eq!(param.location, Location::Query);
        assert_eq!(
            mcp.args.iter().any(|p| p.wire_name == wire),
            required,
            "{wire}"
        );
    }
    let files = common::generate_fixture("cloud_paths");
    let connectors = &files["src/resources/connectors.rs"];
    assert!(connectors.contains("query.push_fields(\"context\", &self.context)"));
    assert!(connectors.contains("for value in &self.extensions {"));
    assert!(connectors.contains(
        "Each object travels in the query as one pair per leaf value, named by its path joined with `.` (`extensions.a.b=1`)"
    ));
}

#[test]
fn a_discovery_directory_list_is_named_as_such() {
    let index = json!({
        "kind": "discovery#directoryList",
        "discoveryVersion": "v1",
        "items": [{"kind": "discovery#directoryItem", "name": "abc", "version": "v1"}]
    });
    let message = error_of(&index);
    assert!(
        message.starts_with(SPEC)
            && message.contains("at `kind`")
            && message.contains("is a Discovery directory list, not an API description"),
        "{message}"
    );
}
