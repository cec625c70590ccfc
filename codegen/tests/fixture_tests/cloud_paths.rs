//! The crate generated from `codegen/tests/fixtures/cloud_paths.json`: the
//! exact URLs its calls build (by dry run, and once through a real HTTP
//! server on 127.0.0.1) for enum path parameters, patterns no binding
//! expresses, repeated path parameters and object query parameters.

mod server;

use fixture_cloud_paths::prelude::*;
use fixture_cloud_paths::resources::advertisers::{GetTargetingTargetingType, ListByStateState};
use fixture_cloud_paths::resources::items::ListByKindsKinds;
use fixture_cloud_paths::resources::map_types::LookupTileMapType;
use fixture_cloud_paths::{Client, Error};
use serde_json::{Value, json};
use server::{Reply, Server};
use std::collections::BTreeMap;

const ROOT: &str = "https://cloudpaths.example.com/";

fn client() -> Client {
    Client::builder().build().unwrap()
}

/// What a dry run of `call` gives: the URL after the root, or the error.
macro_rules! url {
    ($call:expr) => {
        $call.dry_run().map(|request| {
            let url = request.url();
            assert!(url.starts_with(ROOT), "{url}");
            url[ROOT.len()..].to_owned()
        })
    };
}

/// The parameter a refused call names, for a path value that cannot be sent.
fn refused(result: Result<String, Error>) -> String {
    match result {
        Err(Error::Binding(e)) => {
            assert!(e.to_string().contains(&format!("`{}`", e.parameter())), "{e}");
            e.parameter().to_owned()
        }
        other => panic!("expected a binding error, got {other:?}"),
    }
}

/// A value with every character that could end a segment, start a query
/// or fragment, or be read as an escape.
const NASTY: &str = "a?b#c%d e/é&f=g";

#[test]
fn enum_path_parameters_travel_as_their_wire_value() {
    let client = client();
    assert_eq!(
        url!(client.map_types().lookup_tile(LookupTileMapType::TreeIndex, 3)).unwrap(),
        "v1/mapTypes/TREE_INDEX/tiles/3"
    );
    assert_eq!(
        url!(
            client
                .advertisers()
                .get_targeting("adv 1", GetTargetingTargetingType::TargetingTypeAgeRange)
        )
        .unwrap(),
        "v1/advertisers/adv%201/targetingTypes/TARGETING_TYPE_AGE_RANGE"
    );
    assert_eq!(
        url!(client.advertisers().list_by_state(ListByStateState::Archived)).unwrap(),
        "v1/states/ARCHIVED/advertisers"
    );
    // A value the crate does not know is sent as given, encoded like any.
    assert_eq!(
        url!(client.map_types().lookup_tile(LookupTileMapType::from(NASTY), 1)).unwrap(),
        "v1/mapTypes/a%3Fb%23c%25d%20e%2F%C3%A9%26f%3Dg/tiles/1"
    );
    // `{+state}` without a pattern keeps `/` between encoded segments...
    assert_eq!(
        url!(client.advertisers().list_by_state(ListByStateState::from(NASTY))).unwrap(),
        "v1/states/a%3Fb%23c%25d%20e/%C3%A9%26f%3Dg/advertisers"
    );
    // ...and refuses segments that would change the route.
    for bad in ["..", ".", "", "a/../b", "a//b"] {
        let call = client.advertisers().list_by_state(ListByStateState::from(bad));
        assert_eq!(refused(url!(call)), "state", "{bad:?}");
    }
    // `{+targetingType}` with pattern `^[^/]+$` is one segment.
    let call = client
        .advertisers()
        .get_targeting("a", GetTargetingTargetingType::from("x/y"));
    assert_eq!(refused(url!(call)), "targetingType");
}

#[test]
fn no_value_adds_a_segment_a_query_or_a_fragment_in_any_kind_of_variable() {
    let client = client();
    let encoded = "a%3Fb%23c%25d%20e%2F%C3%A9%26f%3Dg";
    // A simple variable without a pattern, and one whose pattern is no
    // binding (the server judges it).
    assert_eq!(
        url!(client.slots().get(NASTY, "reservations/r1/blocks/b1", NASTY)).unwrap(),
        format!("projects/{encoded}/reservations/r1/blocks/b1/slots/{encoded}")
    );
    assert_eq!(
        url!(client.folders().get_policy("folders/1", NASTY)).unwrap(),
        format!("folders/1/policies/{encoded}")
    );
    // A reserved variable bound by the flat path its pattern fell back to.
    assert_eq!(
        url!(client.slots().get("p", "reservations/r?1/blocks/b#2", "s")).unwrap(),
        "projects/p/reservations/r%3F1/blocks/b%232/slots/s"
    );
    // A reserved variable with no binding at all: segment by segment.
    assert_eq!(
        url!(client.documents().get(format!("x/{NASTY}"))).unwrap(),
        "v1/x/a%3Fb%23c%25d%20e/%C3%A9%26f%3Dg"
    );
    // Repeated variables: each value encoded, the commas between raw.
    assert_eq!(
        url!(client.items().batch_get([NASTY, "e,f"])).unwrap(),
        format!("v1/items/{encoded},e%2Cf:batchGet")
    );
    assert_eq!(
        url!(client.items().batch_check(["items/1", "items/a?b#c"])).unwrap(),
        "v1/items/1,items/a%3Fb%23c:batchCheck"
    );
    for url in [
        url!(client.documents().get(format!("x/{NASTY}"))).unwrap(),
        url!(client.items().batch_get([NASTY])).unwrap(),
    ] {
        assert!(!url.contains(['?', '#', ' ']), "{url}");
    }
}

#[test]
fn dot_and_empty_segments_are_refused_naming_the_parameter() {
    let client = client();
    for bad in ["", ".", "..", "a/../b", "../a", "a/.", "a//b", "a/"] {
        assert_eq!(refused(url!(client.documents().get(bad))), "name", "{bad:?}");
    }
    assert_eq!(
        refused(url!(client.slots().get("..", "reservations/r/blocks/b", "s"))),
        "project"
    );
    assert_eq!(
        refused(url!(client.slots().get("p", "reservations/r/blocks/b", "."))),
        "slot"
    );
    assert_eq!(
        refused(url!(client.slots().get("p", "reservations/../blocks/b", "s"))),
        "parentName"
    );
    assert_eq!(refused(url!(client.folders().get_policy("folders/1", ""))), "policy");
    assert_eq!(refused(url!(client.items().batch_get(["a", ".."]))), "ids");
    assert_eq!(refused(url!(client.items().batch_get(["a", ""]))), "ids");
    assert_eq!(refused(url!(client.items().batch_get(Vec::<String>::new()))), "ids");
    assert_eq!(
        refused(url!(client.items().list_by_kinds([ListByKindsKinds::from(".")], [1]))),
        "kinds"
    );
}

#[test]
fn patterns_that_are_no_binding_fall_back_to_the_flat_path_or_to_the_server() {
    let client = client();
    // `folders/[^/]+`, unanchored: read as anchored.
    assert_eq!(
        url!(client.folders().list_things("folders/12")).unwrap(),
        "folders/12/things"
    );
    for bad in ["projects/12", "folders/12/x", "x/folders/12"] {
        assert_eq!(refused(url!(client.folders().list_things(bad))), "folder", "{bad}");
    }
    // `folders/[0-9]{0,20}`: the flat path's `folders/*` is checked; the
    // digits are the server's to judge.
    assert_eq!(
        url!(client.folders().get_policy("folders/abc", "UPPER")).unwrap(),
        "folders/abc/policies/UPPER"
    );
    assert_eq!(
        refused(url!(client.folders().get_policy("organizations/1", "p"))),
        "folder"
    );
    // Groups and alternation: the flat path's `reservations/*/blocks/*`.
    assert_eq!(
        url!(client.slots().get("p", "reservations/r1/blocks/b1", "s1")).unwrap(),
        "projects/p/reservations/r1/blocks/b1/slots/s1"
    );
    assert_eq!(
        refused(url!(client.slots().get("p", "reservations/r1", "s1"))),
        "parentName"
    );
    // Nonsense and no flat path: anything a segment can carry is sent.
    assert_eq!(url!(client.documents().get("any/thing")).unwrap(), "v1/any/thing");
}

#[test]
fn repeated_path_parameters_are_joined_by_commas() {
    let client = client();
    assert_eq!(
        url!(client.items().batch_get(["a", "b", "c"])).unwrap(),
        "v1/items/a,b,c:batchGet"
    );
    assert_eq!(url!(client.items().batch_get(["one"])).unwrap(), "v1/items/one:batchGet");
    assert_eq!(
        url!(client.items().list_by_kinds(
            [ListByKindsKinds::SmallThing, ListByKindsKinds::LargeThing],
            [1, -2]
        ))
        .unwrap(),
        "v1/kinds/SMALL_THING,LARGE_THING/sizes/1,-2/items"
    );
    // Each value of `{+names}` must match `items/*` on its own.
    assert_eq!(
        url!(client.items().batch_check(["items/1", "items/2"])).unwrap(),
        "v1/items/1,items/2:batchCheck"
    );
    assert_eq!(
        refused(url!(client.items().batch_check(["items/1", "jobs/2"]))),
        "names"
    );
    assert_eq!(refused(url!(client.items().batch_check(["items/1/x"]))), "names");
}

fn map(value: Value) -> BTreeMap<String, Value> {
    serde_json::from_value(value).unwrap()
}

#[test]
fn object_query_parameters_are_dotted_pairs_per_leaf() {
    let client = client();
    let context = BTreeMap::from([
        ("user".to_owned(), "a b".to_owned()),
        ("team".to_owned(), "x&y=z#".to_owned()),
    ]);
    let call = client
        .connectors()
        .mcp("projects/p/connectors/c", context.clone())
        .config(map(json!({"page": {"size": 10}, "tags": ["a", "b"], "on": true, "gone": null})))
        .extensions([
            map(json!({"@type": "type.googleapis.com/x.Y", "id": 1})),
            map(json!({"@type": "t2"})),
        ])
        .fields("name");
    assert_eq!(
        url!(call).unwrap(),
        "v1/projects/p/connectors/c/connector/mcp\
         ?context.team=x%26y%3Dz%23&context.user=a%20b\
         &config.on=true&config.page.size=10&config.tags=a&config.tags=b\
         &extensions.%40type=type.googleapis.com%2Fx.Y&extensions.id=1&extensions.%40type=t2\
         &fields=name"
    );
    // Unset and empty objects send nothing.
    let call = client
        .connectors()
        .mcp("projects/p/connectors/c", BTreeMap::new())
        .config(BTreeMap::new());
    assert_eq!(url!(call).unwrap(), "v1/projects/p/connectors/c/connector/mcp");
}

#[tokio::test]
async fn the_server_receives_the_path_and_query_as_built() {
    let server = Server::start(|_, _| Reply::json(200, r#"{"name": "n"}"#));
    let client = Client::builder().endpoint(&server.url).build().unwrap();
    let thing = client
        .items()
        .batch_get(["a/b", "c d"])
        .await
        .unwrap();
    assert_eq!(thing.name.as_deref(), Some("n"));
    client
        .connectors()
        .mcp("projects/p/connectors/c", BTreeMap::from([("k".to_owned(), "v".to_owned())]))
        .extensions([map(json!({"a": {"b": [1, 2]}}))])
        .await
        .unwrap();
    let received = server.received();
    assert_eq!(received[0].target, "/v1/items/a%2Fb,c%20d:batchGet");
    assert_eq!(received[1].path(), "/v1/projects/p/connectors/c/connector/mcp");
    assert_eq!(
        received[1].query(),
        [("context.k", "v"), ("extensions.a.b", "1"), ("extensions.a.b", "2")]
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
    );
}
