//! The OpenAPI front end: what each construct lowers to, errors that name
//! the file, the JSON path and (in YAML) the line, YAML and JSON forms of
//! one spec giving identical bytes, and Google's OpenAPI rendering of an API
//! lowering to the IR of its Discovery document except for what the
//! conversion loses.

mod common;

use codegen::ir::{Api, BodyEncoding, Location, SchemaKind, Style, Type};
use codegen::openapi::refs::{NoFiles, SpecReader};
use std::collections::BTreeMap;

fn lower(file: &str, text: &str) -> Result<Api, String> {
    codegen::lower_any(file, text, &NoFiles).map_err(|e| e.to_string())
}

fn shapes() -> Api {
    let file = common::fixture_file("openapi_shapes");
    let text = std::fs::read_to_string(common::repository_root().join(&file)).unwrap();
    codegen::lower_any(&file, &text, &common::FixtureFiles).unwrap()
}

/// Files held in memory, for specs spread over several files.
struct Files(BTreeMap<&'static str, &'static str>);

impl SpecReader for Files {
    fn read(&self, path: &str) -> Result<String, String> {
        self.0
            .get(path)
            .map(|text| (*text).to_owned())
            .ok_or_else(|| format!("no file `{path}`"))
    }
}

fn schema<'a>(api: &'a Api, rust_name: &str) -> &'a codegen::ir::Schema {
    api.schemas
        .iter()
        .find(|s| s.rust_name == rust_name)
        .unwrap_or_else(|| panic!("no schema {rust_name}"))
}

fn fields(schema: &codegen::ir::Schema) -> &[codegen::ir::Field] {
    match &schema.kind {
        SchemaKind::Struct { fields } => fields,
        other => panic!("{} is not a struct: {other:?}", schema.rust_name),
    }
}

#[test]
fn yaml_and_json_forms_of_one_spec_give_identical_bytes() {
    let file = common::fixture_file("openapi_shapes");
    let yaml = std::fs::read_to_string(common::repository_root().join(&file)).unwrap();
    let value: serde_json::Value = serde_yaml::from_str(&yaml).unwrap();
    let json = serde_json::to_string_pretty(&value).unwrap();
    let settings = common::settings("fixture-openapi-shapes", &file);
    let from_yaml = codegen::generate_with(&yaml, &settings, &common::FixtureFiles).unwrap();
    let from_json = codegen::generate_with(&json, &settings, &common::FixtureFiles).unwrap();
    assert_eq!(from_yaml, from_json);
}

#[test]
fn unions_are_tagged_by_their_discriminator_or_tried_in_order() {
    let api = shapes();
    let SchemaKind::Union {
        variants,
        discriminator,
    } = &schema(&api, "Pet").kind
    else {
        panic!("Pet is not a union");
    };
    assert_eq!(discriminator.as_deref(), Some("petType"));
    let tags: Vec<(&str, &[String])> = variants
        .iter()
        .map(|v| (v.rust_name.as_str(), v.tags.as_slice()))
        .collect();
    assert_eq!(
        tags,
        [
            ("Cat", &["cat".to_owned()][..]),
            ("Dog", &["dog".to_owned()][..])
        ]
    );
    // `toy: anyOf [string, Toy]` is a union declared in Dog's module.
    let dog = schema(&api, "Dog");
    let toy = dog.nested.iter().find(|s| s.rust_name == "Toy").unwrap();
    let SchemaKind::Union {
        variants,
        discriminator: None,
    } = &toy.kind
    else {
        panic!("dog::Toy is not an untagged union");
    };
    assert_eq!(variants[0].ty, Type::String);
    assert_eq!(variants[1].ty, Type::Named("Toy".into()));
    // `anyOf` of string enums and strings is one open enum.
    let size = fields(dog).iter().find(|f| f.wire_name == "size").unwrap();
    assert!(
        matches!(&size.ty, Type::Enum(e) if e.name == "Size"),
        "{:?}",
        size.ty
    );
}

#[test]
fn all_of_merges_and_scalars_follow_their_formats() {
    let api = shapes();
    let cat = fields(schema(&api, "Cat"));
    let ty = |name: &str| {
        cat.iter()
            .find(|f| f.wire_name == name)
            .unwrap_or_else(|| panic!("Cat has no {name}"))
    };
    // Animal's fields and Cat's own, in one struct.
    assert_eq!(ty("name").ty, Type::String);
    assert!(ty("name").description.contains("Required by the API"));
    assert_eq!(ty("lives").ty, Type::I32);
    assert_eq!(ty("born").ty, Type::Date);
    assert_eq!(ty("seen").ty, Type::Timestamp);
    assert_eq!(ty("photo").ty, Type::Bytes);
    assert_eq!(ty("weight").ty, Type::F32);
    assert!(ty("weight").description.contains("default is `1.5`"));
    // uuid, unknown formats and `[string, "null"]` stay strings.
    assert_eq!(ty("id").ty, Type::String);
    assert!(ty("id").read_only);
    assert!(ty("secret").description.contains("Sent in requests only"));
    assert!(ty("legacy").deprecated);
    assert_eq!(ty("odd").ty, Type::String);
    assert_eq!(ty("nickname").ty, Type::String);
    // `const` is a one-value open enum.
    assert!(matches!(&ty("kind").ty, Type::Enum(e) if e.definition.is_none()));
    assert_eq!(api.int64_encoding, codegen::ir::Int64Encoding::Number);
}

#[test]
fn maps_recursion_and_hoisted_inline_types() {
    let api = shapes();
    let owner = fields(schema(&api, "Owner"));
    let rest = owner.iter().find(|f| f.flatten).expect("a flattened map");
    assert_eq!(rest.ty, Type::Map(Box::new(Type::I64)));
    assert!(matches!(
        schema(&api, "Labels").kind,
        SchemaKind::Alias(Type::Map(_))
    ));
    let toy = fields(schema(&api, "Toy"));
    assert!(toy.iter().find(|f| f.wire_name == "inner").unwrap().boxed);
    // A schema of another file, copied in (and recursive there too).
    let problem = fields(schema(&api, "Problem"));
    assert!(
        problem
            .iter()
            .find(|f| f.wire_name == "cause")
            .unwrap()
            .boxed
    );
    // The inline response object is named after its operation.
    let response = schema(&api, "CreatePetResponse");
    assert_eq!(fields(response).len(), 2);
    assert!(
        matches!(schema(&api, "Empty").kind, SchemaKind::Struct { ref fields } if fields.is_empty())
    );
}

#[test]
fn operations_group_by_tag_and_keep_paging_errors_and_servers() {
    let api = shapes();
    let pets = &api.resources[0];
    assert_eq!(
        (pets.name.as_str(), pets.accessor.as_str()),
        ("pets", "pets")
    );
    let list = pets.methods.iter().find(|m| m.id == "listPets").unwrap();
    assert_eq!(list.fn_name, "list_pets");
    assert!(
        list.paging.is_some(),
        "pageToken + nextPageToken is Google-style paging"
    );
    assert_eq!(list.errors.len(), 1);
    assert_eq!(list.errors[0].status, "default");
    assert_eq!(list.errors[0].ty, Type::Named("Problem".into()));
    let create = pets.methods.iter().find(|m| m.id == "createPet").unwrap();
    assert!(create.request.as_ref().unwrap().required);
    assert_eq!(
        create.response,
        Some(Type::Named("CreatePetResponse".into()))
    );
    // Success responses of two schemas: a union of them, in status order.
    let replace = pets.methods.iter().find(|m| m.id == "replacePet").unwrap();
    assert_eq!(
        replace.response,
        Some(Type::Named("ReplacePetResponse".into()))
    );
    let SchemaKind::Union { variants, .. } = &schema(&api, "ReplacePetResponse").kind else {
        panic!("ReplacePetResponse is not a union");
    };
    let shapes: Vec<&Type> = variants.iter().map(|v| &v.ty).collect();
    assert_eq!(
        shapes,
        [&Type::Named("Cat".into()), &Type::Named("Labels".into())]
    );
    assert_eq!(api.root_url, "https://eu.shapes.example.com/v1/");
    assert_eq!(api.servers[0].variables[0].values, ["eu", "us"]);
}

const PARAMS: &str = r#"
openapi: 3.0.3
info: {title: Params, version: "1"}
servers: [{url: /api}]
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: q, in: query, schema: {type: string}}
    get:
      operationId: items.get
      parameters:
        - {name: q, in: query, schema: {type: boolean}}
        - {name: tags, in: query, explode: false, schema: {type: array, items: {type: string}}}
        - {name: filter, in: query, style: deepObject, schema: {type: object, properties: {a: {type: string}}}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
        - {name: Accept, in: header, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: near, in: query, content: {application/json: {schema: {type: object, properties: {lat: {type: number}}}}}}
      responses:
        "200":
          description: ok
          content: {application/octet-stream: {schema: {type: string, format: binary}}}
    post:
      operationId: items.update
      requestBody:
        content:
          application/json: {schema: {$ref: '#/components/schemas/Item'}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Item'}}
          application/xml: {schema: {$ref: '#/components/schemas/Item'}}
      responses: {"204": {description: done}}
      security: []
components:
  schemas:
    Item: {type: object, properties: {n: {type: integer}}}
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
    oauth: {type: oauth2, flows: {implicit: {authorizationUrl: "https://x", scopes: {"read:items": Read}}}}
security:
  - key: []
  - oauth: ["read:items"]
"#;

#[test]
fn parameters_merge_styles_locations_and_bodies() {
    let api = lower("params.yaml", PARAMS).unwrap();
    // `items.get`: a dotted operation id is resource `items`, method `get`.
    let items = &api.resources[0];
    assert_eq!(items.name, "items");
    let get = items.methods.iter().find(|m| m.id == "items.get").unwrap();
    assert_eq!(
        get.args
            .iter()
            .map(|p| p.wire_name.as_str())
            .collect::<Vec<_>>(),
        ["id", "X-Trace"]
    );
    assert_eq!(get.args[1].location, Location::Header);
    let optional: BTreeMap<&str, &codegen::ir::Parameter> = get
        .optional
        .iter()
        .map(|p| (p.wire_name.as_str(), p))
        .collect();
    // The operation's `q` overrides the path item's.
    assert_eq!(optional["q"].ty, Type::Bool);
    assert!(
        !optional.contains_key("Accept"),
        "Accept is the client's to set"
    );
    let tags = optional["tags"];
    assert!(tags.repeated);
    assert_eq!(tags.style.unwrap().style, Style::Form);
    assert!(!tags.style.unwrap().explode);
    assert_eq!(optional["filter"].style.unwrap().style, Style::DeepObject);
    assert_eq!(optional["session"].location, Location::Cookie);
    // `content` instead of `schema`: the value's JSON text.
    assert_eq!(
        optional["near"].content.as_deref(),
        Some("application/json")
    );
    assert_eq!(optional["near"].style.unwrap().style, Style::Form);
    assert_eq!(get.response, Some(Type::Binary));
    assert_eq!(get.response_encoding, BodyEncoding::Binary);
    assert_eq!(get.scopes, ["ReadItems"]);
    assert_eq!(
        get.security.as_ref().unwrap(),
        &[vec!["key".to_owned()], vec!["oauth".to_owned()]]
    );
    assert_eq!(api.root_url, "/api/", "a relative server stays relative");

    let update = items
        .methods
        .iter()
        .find(|m| m.id == "items.update")
        .unwrap();
    let body = update.request.as_ref().unwrap();
    assert!(!body.required);
    let media: Vec<(&str, BodyEncoding)> = body
        .media
        .iter()
        .map(|m| (m.content_type.as_str(), m.encoding))
        .collect();
    // XML has no encoder here: the other two are the caller's choice.
    assert_eq!(
        media,
        [
            ("application/json", BodyEncoding::Json),
            ("application/x-www-form-urlencoded", BodyEncoding::Form)
        ]
    );
    assert_eq!(
        update.security.as_ref().unwrap(),
        &Vec::<Vec<String>>::new(),
        "`security: []`"
    );
}

#[test]
fn errors_name_the_file_the_path_and_the_line() {
    let missing = "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n";
    let error = lower("missing.yaml", missing).unwrap_err();
    assert_eq!(
        error,
        "missing.yaml:7: at `components.schemas.A.$ref`: the reference target `#/components/schemas/B` does not exist in this document"
    );

    let wrong_type = r#"{"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "query", "required": "yes"}], "responses": {}}}}}"#;
    let error = lower("wrong.json", wrong_type).unwrap_err();
    assert!(
        error.starts_with("wrong.json: at `paths./a.get.parameters[0].required`: invalid type: string \"yes\", expected a boolean"),
        "{error}"
    );

    let swagger = "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n";
    let error = lower("old.yaml", swagger).unwrap_err();
    assert!(
        error.starts_with("old.yaml:1: at `swagger`: this is a Swagger 2.0"),
        "{error}"
    );
    assert!(error.contains("OpenAPI 3.0.x or 3.1.x"), "{error}");

    // A reference cycle through two files, with no schema between.
    let files = Files(BTreeMap::from([
        ("a.yaml", "P:\n  $ref: 'b.yaml#/Q'\n"),
        ("b.yaml", "Q:\n  $ref: 'a.yaml#/P'\n"),
    ]));
    let spec = "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      parameters:\n        - $ref: 'a.yaml#/P'\n      responses: {}\n";
    let error = codegen::lower_any("cycle.yaml", spec, &files)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("cycle.yaml:7: at `paths./x.get.parameters.0.$ref`"),
        "{error}"
    );
    assert!(error.contains("a `$ref` cycle"), "{error}");

    // A reference to the whole document (`''`) from inside it loops through
    // itself: the error names the reference, not a path repeating itself
    // (found by `cargo xtask fuzz`).
    let whole = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: ''}\n";
    let error = lower("whole.yaml", whole).unwrap_err();
    assert!(
        error.starts_with(
            "whole.yaml:11: at `paths./x.get.responses.200.content.application/json.schema.$ref`: \
             `` refers back to itself"
        ),
        "{error}"
    );

    // A dotted operation id nests its method one group per dot: thousands
    // of dots overflowed the stack (found by `cargo xtask fuzz`).
    let deep = format!(
        "openapi: 3.0.0\ninfo: {{title: T, version: '1'}}\npaths:\n  /x:\n    get:\n      operationId: {}get\n      responses: {{}}\n",
        "a.".repeat(300)
    );
    let error = lower("deep.yaml", &deep).unwrap_err();
    assert!(
        error.starts_with(
            "deep.yaml:6: at `paths./x.get.operationId`: the operation id has 301 dotted segments"
        ),
        "{error}"
    );
    let fine = deep.replace(&"a.".repeat(300), &"a.".repeat(32));
    assert!(lower("fine.yaml", &fine).is_ok());

    let remote = "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'https://example.com/a.yaml#/A'}\n";
    let error = lower("remote.yaml", remote).unwrap_err();
    assert!(
        error.contains("remote reference") && error.contains("never downloads"),
        "{error}"
    );
}

/// What Google's OpenAPI conversion of Data Portability v1beta loses or
/// adds against its Discovery document (each explained in the README).
#[test]
fn discovery_and_openapi_renderings_of_data_portability_lower_alike() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let discovery =
        std::fs::read_to_string(corpus.join("history/dataportability.v1beta/20240221.json"))
            .unwrap();
    let openapi =
        std::fs::read_to_string(corpus.join("openapi/dataportability.v1beta.yaml")).unwrap();
    let from_discovery = lower("discovery.json", &discovery).unwrap();
    let from_openapi = lower("openapi.yaml", &openapi).unwrap();

    // The differences `xtask diff` reports, pinned.
    let report = codegen::diff::diff(&from_discovery, &from_openapi);
    let changes: Vec<String> = report
        .changes
        .iter()
        .map(|c| format!("{} {}", c.kind.as_str(), c.item))
        .collect();
    assert_eq!(
        changes,
        [
            // `{+name}` with its pattern became `{name}`: no binding...
            "path_changed dataportability.archiveJobs.getPortabilityArchiveState",
            "path_changed dataportability.archiveJobs.retry",
            // Discovery's client-managed parameters are ordinary ones in OpenAPI.
            "parameter_added parameters.access_token",
            "parameter_added parameters.alt",
            "parameter_added parameters.callback",
            "parameter_added parameters.oauth_token",
            "parameter_added parameters.uploadType",
            "parameter_added parameters.upload_protocol",
            // ...and so no typed resource names.
            "resource_name_removed names.archiveJobs/*",
            "resource_name_removed names.archiveJobs/*/portabilityArchiveState",
        ]
    );

    // Everything else is the same IR, once the known losses are applied to
    // the Discovery side and the OpenAPI side's additions are removed.
    let mut expected = from_discovery.clone();
    let mut actual = from_openapi.clone();
    expected.revision.clear(); // OpenAPI has no revision.
    expected.resource_names.clear();
    for schema in &mut expected.schemas {
        for e in &mut schema.enums {
            for v in &mut e.variants {
                v.description.clear(); // Enum descriptions are not converted.
            }
        }
    }
    for p in &mut expected.standard_params {
        p.default = None; // Parameter defaults are not converted.
        if let Type::Enum(e) = &mut p.ty {
            for v in &mut e.definition.as_mut().unwrap().variants {
                v.description.clear();
            }
        }
    }
    let managed = [
        "access_token",
        "alt",
        "callback",
        "oauth_token",
        "uploadType",
        "upload_protocol",
    ];
    actual
        .standard_params
        .retain(|p| !managed.contains(&p.wire_name.as_str()));
    actual.servers.clear();
    actual.int64_encoding = expected.int64_encoding;
    for (e, a) in expected.resources.iter_mut().zip(&mut actual.resources) {
        for (em, am) in e.methods.iter_mut().zip(&mut a.methods) {
            em.path = am.path.clone();
            for p in &mut em.args {
                p.resource_name = None;
            }
            // The conversion does not mark request bodies required.
            if let (Some(eb), Some(ab)) = (&mut em.request, &am.request) {
                assert!(!ab.required);
                eb.required = false;
            }
        }
    }
    let expected = serde_json::to_value(&expected).unwrap();
    let actual = serde_json::to_value(&actual).unwrap();
    let mut differences = Vec::new();
    differ("", &expected, &actual, &mut differences);
    assert!(differences.is_empty(), "{differences:#?}");
}

/// The JSON paths where two values differ.
fn differ(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let at = format!("{path}.{key}");
                match (x.get(key), y.get(key)) {
                    (Some(u), Some(v)) => differ(&at, u, v, out),
                    (u, v) => out.push(format!("{at}: {u:?} vs {v:?}")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                differ(&format!("{path}[{i}]"), u, v, out);
            }
        }
        _ if a == b => {}
        _ => out.push(format!("{path}: {a} vs {b}")),
    }
}
