//! Google's conventions found on the IR of either format: the items of
//! list calls (google.aip.dev/158) and long-running operations of Google's
//! and Compute Engine's shapes, with the calls that poll them.

mod common;

use codegen::ir::{Api, LongRunning, Method, OperationStyle, Poll, PollArg, PollCall, Type};
use serde_json::{Value, json};

const FIXTURE: &str = "codegen/tests/fixtures/cloud.json";

fn fixture() -> Value {
    let text = std::fs::read_to_string(common::repository_root().join(FIXTURE)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn lower(document: &Value) -> Api {
    codegen::lower::lower(FIXTURE, &document.to_string()).unwrap()
}

fn method<'a>(api: &'a Api, id: &str) -> &'a Method {
    api.all_methods()
        .into_iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("no method {id}"))
}

fn lro<'a>(api: &'a Api, id: &str) -> &'a LongRunning {
    method(api, id)
        .long_running
        .as_ref()
        .unwrap_or_else(|| panic!("{id} is not long-running"))
}

#[test]
fn the_one_list_beside_side_lists_is_the_items() {
    let api = lower(&fixture());
    let paging = method(&api, "cloud.projects.locations.instances.list")
        .paging
        .as_ref()
        .unwrap();
    let items = paging.items.as_ref().unwrap();
    assert_eq!(
        items.wire_name, "instances",
        "`unreachable` is never the items"
    );
    assert_eq!(items.ty, Type::Named("Instance".into()));
    assert!(!items.keyed);
    assert!(paging.candidates.is_empty());
}

#[test]
fn an_aggregated_list_has_keyed_items_and_ambiguous_lists_have_none() {
    let api = lower(&fixture());
    let aggregated = method(&api, "cloud.disks.aggregatedList")
        .paging
        .as_ref()
        .unwrap();
    let items = aggregated.items.as_ref().unwrap();
    assert_eq!(items.wire_name, "items");
    assert!(
        items.keyed,
        "a map of scopes is streamed as (scope, list) pairs"
    );
    assert_eq!(items.ty, Type::Named("DisksScopedList".into()));

    let search = method(&api, "cloud.projects.locations.instances.search")
        .paging
        .as_ref()
        .unwrap();
    assert!(search.items.is_none());
    assert_eq!(search.candidates, ["matches", "suggestions"]);
}

#[test]
fn among_several_lists_the_one_named_after_the_resource_is_the_items() {
    let mut document = fixture();
    document["schemas"]["ListInstancesResponse"]["properties"]["warningsByZone"] =
        json!({"type": "array", "items": {"type": "string"}});
    let api = lower(&document);
    let paging = method(&api, "cloud.projects.locations.instances.list")
        .paging
        .as_ref()
        .unwrap();
    assert_eq!(paging.items.as_ref().unwrap().wire_name, "instances");
    assert_eq!(paging.candidates, ["instances", "warningsByZone"]);
}

fn in_scope<'a>(api: &'a Api, id: &str) -> &'a PollCall {
    match &lro(api, id).poll {
        Poll::InScope(call) => call,
        Poll::ByName => panic!("{id} is polled by name"),
    }
}

#[test]
fn google_operations_are_polled_by_name_most_specific_path_first() {
    let api = lower(&fixture());
    let create = lro(&api, "cloud.projects.locations.instances.create");
    assert_eq!(create.style, OperationStyle::Google);
    assert_eq!(create.operation, Type::Named("Operation".into()));
    assert_eq!(create.poll, Poll::ByName);
    assert_eq!(lro(&api, "cloud.exports.start").poll, Poll::ByName);
    // One poller per operation type, shared by every method.
    assert_eq!(api.operation_pollers.len(), 1);
    let poller = &api.operation_pollers[0];
    assert_eq!(poller.fn_name, "poll_operation");
    let ids: Vec<&str> = poller.calls.iter().map(|p| p.method_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "cloud.projects.locations.operations.get",
            "cloud.operations.get"
        ]
    );
    assert_eq!(
        poller.calls[0].accessors,
        ["projects", "locations", "operations"]
    );
    assert_eq!(poller.calls[0].args, [PollArg::OperationName]);
}

#[test]
fn compute_operations_are_polled_in_the_scope_of_the_call() {
    let api = lower(&fixture());
    assert_eq!(
        lro(&api, "cloud.disks.insert").style,
        OperationStyle::Compute
    );
    let zonal = in_scope(&api, "cloud.disks.insert");
    assert_eq!(zonal.method_id, "cloud.zoneOperations.get");
    assert_eq!(
        zonal.args,
        [
            PollArg::CallArgument("project".into()),
            PollArg::CallArgument("zone".into()),
            PollArg::OperationId
        ]
    );
    let global = in_scope(&api, "cloud.networks.insert");
    assert_eq!(global.method_id, "cloud.globalOperations.get");
}

#[test]
fn google_operations_without_a_by_name_get_are_polled_in_scope() {
    // As Storage's `buckets.operations.get(bucket, operationId)` and App
    // Engine's `apps.operations.get(appsId, operationsId)` are.
    let mut document = fixture();
    let resources = document["resources"].as_object_mut().unwrap();
    resources.remove("operations");
    resources.remove("projects");
    resources.insert(
        "buckets".into(),
        json!({
            "methods": {
                "relocate": {
                    "id": "cloud.buckets.relocate", "path": "b/{bucket}/relocate", "httpMethod": "POST",
                    "parameters": {"bucket": {"type": "string", "location": "path", "required": true}},
                    "parameterOrder": ["bucket"], "response": {"$ref": "Operation"}
                }
            },
            "resources": {"operations": {"methods": {"get": {
                "id": "cloud.buckets.operations.get", "path": "b/{bucket}/operations/{operationId}", "httpMethod": "GET",
                "parameters": {
                    "bucket": {"type": "string", "location": "path", "required": true},
                    "operationId": {"type": "string", "location": "path", "required": true}
                },
                "parameterOrder": ["bucket", "operationId"], "response": {"$ref": "Operation"}
            }}}}
        }),
    );
    let api = lower(&document);
    let call = in_scope(&api, "cloud.buckets.relocate");
    assert_eq!(call.accessors, ["buckets", "operations"]);
    assert_eq!(
        call.args,
        [PollArg::CallArgument("bucket".into()), PollArg::OperationId]
    );
    assert!(api.operation_pollers.is_empty());
}

#[test]
fn no_poll_method_means_no_poller_and_polls_start_nothing() {
    let api = lower(&fixture());
    assert!(
        method(&api, "cloud.operations.get").long_running.is_none(),
        "fetching an operation starts none"
    );
    assert!(method(&api, "cloud.disks.list").long_running.is_none());

    let mut document = fixture();
    let resources = document["resources"].as_object_mut().unwrap();
    resources.remove("zoneOperations");
    resources.remove("globalOperations");
    let api = lower(&document);
    assert!(
        method(&api, "cloud.disks.insert").long_running.is_none(),
        "without a way to poll, a Compute operation is a plain response"
    );
    assert!(
        method(&api, "cloud.projects.locations.instances.create")
            .long_running
            .is_some()
    );
}

#[test]
fn openapi_specs_get_the_same_conventions() {
    let spec = r##"
openapi: 3.0.3
info: {title: Ops, version: v1}
servers: [{url: "https://ops.example.com/"}]
paths:
  /v1/{name}:
    get:
      operationId: operations.get
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Operation"}}}}
  /v1/things:
    post:
      operationId: things.create
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Operation"}}}}
    get:
      operationId: things.list
      parameters:
        - {name: pageToken, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/ThingList"}}}}
components:
  schemas:
    Operation:
      type: object
      properties:
        name: {type: string}
        done: {type: boolean}
        error: {type: object, properties: {code: {type: integer}, message: {type: string}}}
        response: {type: object, additionalProperties: true}
    ThingList:
      type: object
      properties:
        things: {type: array, items: {type: string}}
        nextPageToken: {type: string}
"##;
    let api = codegen::lower_any("ops.yaml", spec, &codegen::openapi::refs::NoFiles).unwrap();
    let create = lro(&api, "things.create");
    assert_eq!(create.style, OperationStyle::Google);
    assert_eq!(create.poll, Poll::ByName);
    assert_eq!(
        api.operation_pollers[0].calls[0].method_id,
        "operations.get"
    );
    let items = method(&api, "things.list")
        .paging
        .as_ref()
        .unwrap()
        .items
        .as_ref()
        .unwrap();
    assert_eq!(items.wire_name, "things");
    assert_eq!(items.ty, Type::String);
}

/// The (kind, item, breaking) of every change between two lowerings.
fn changes(old: &Api, new: &Api) -> Vec<(String, String, bool)> {
    codegen::diff::diff(old, new)
        .changes
        .into_iter()
        .map(|c| (c.kind.as_str().to_owned(), c.item, c.kind.breaking()))
        .collect()
}

#[test]
fn losing_a_poller_or_an_item_stream_is_a_breaking_change() {
    let old = lower(&fixture());
    let mut document = fixture();
    let resources = document["resources"].as_object_mut().unwrap();
    resources.remove("zoneOperations");
    resources.remove("globalOperations");
    // Two lists, neither named after the resource: no items any more.
    let properties = document["schemas"]["ListInstancesResponse"]["properties"]
        .as_object_mut()
        .unwrap();
    let instances = properties.remove("instances").unwrap();
    properties.insert("machines".into(), instances);
    properties.insert(
        "others".into(),
        json!({"type": "array", "items": {"type": "string"}}),
    );
    let new = lower(&document);
    let found = changes(&old, &new);
    for expected in [
        ("long_running_removed", "cloud.disks.insert"),
        ("items_removed", "cloud.projects.locations.instances.list"),
    ] {
        assert!(
            found
                .iter()
                .any(|(k, i, breaking)| (k.as_str(), i.as_str()) == expected && *breaking),
            "{expected:?} not among {found:?}"
        );
    }
    let back = changes(&new, &old);
    for expected in [
        ("long_running_added", "cloud.disks.insert"),
        ("items_added", "cloud.projects.locations.instances.list"),
    ] {
        assert!(
            back.iter()
                .any(|(k, i, breaking)| (k.as_str(), i.as_str()) == expected && !*breaking),
            "{expected:?} not among {back:?}"
        );
    }
}
