//! Replays Google's request vectors (`shared/corpus/vectors/dataportability.v1.json`,
//! made with Google's Python client) through the generated client and the fake server.
//!
//! The corpus lives outside the repository. Without it the test is skipped,
//! unless `REQUIRE_CORPUS=1` (as in CI), which makes a missing corpus a failure.

mod fake;

use fake::{Access, FakeServer};
use google_dataportability_v1::models::InitiatePortabilityArchiveRequest;
use google_dataportability_v1::params::Xgafv;
use google_dataportability_v1::prelude::*;
use google_dataportability_v1::{Client, Error, StaticToken};
use serde_json::{Map, Value, json};
use std::path::PathBuf;

const TOKEN: &str = "ya29.vector-token";

/// The parameters every method accepts, in discovery spelling.
const STANDARD_PARAMS: &[&str] = &["$.xgafv", "fields", "key", "prettyPrint", "quotaUser"];

fn corpus_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/vectors/dataportability.v1.json")
}

/// The vector file's text, or `None` when it is absent and not required.
fn read_corpus() -> Option<String> {
    let path = corpus_file();
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::env::var("REQUIRE_CORPUS").as_deref() == Ok("1") {
                panic!(
                    "REQUIRE_CORPUS=1 but the request vectors are missing: {} ({e})",
                    path.display()
                );
            }
            eprintln!(
                "note: skipping the request vectors: {} not found (set REQUIRE_CORPUS=1 to fail instead)",
                path.display()
            );
            None
        }
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

/// Sets the standard parameters found in `params` on a call builder.
macro_rules! with_standard_params {
    ($call:expr, $params:expr) => {{
        let mut call = $call;
        for (name, value) in $params {
            call = match name.as_str() {
                "$.xgafv" => call.xgafv(Xgafv::from(text(value).as_str())),
                "fields" => call.fields(text(value)),
                "key" => call.key(text(value)),
                "prettyPrint" => call.pretty_print(boolean(value)),
                "quotaUser" => call.quota_user(text(value)),
                _ => call, // Method parameters, taken care of by the caller.
            };
        }
        call
    }};
}

/// A parameter value as the text sent on the wire.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn boolean(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => s == "true",
        other => panic!("prettyPrint must be a boolean, got {other}"),
    }
}

/// Fails when a vector sets a parameter the method does not have.
fn check_known_params(method: &str, params: &Map<String, Value>, own: &[&str]) {
    for name in params.keys() {
        assert!(
            own.contains(&name.as_str()) || STANDARD_PARAMS.contains(&name.as_str()),
            "{method}: parameter {name:?} is not handled by this test"
        );
    }
}

fn name_param(method: &str, params: &Map<String, Value>) -> String {
    params
        .get("name")
        .map(text)
        .unwrap_or_else(|| panic!("{method}: the vector has no `name`"))
}

/// Makes the typed call for `method`; panics for a method this test does not know.
async fn call(
    client: &Client,
    method: &str,
    params: &Map<String, Value>,
    body: &Value,
) -> Result<(), Error> {
    match method {
        "dataportability.portabilityArchive.initiate" => {
            check_known_params(method, params, &[]);
            let request: InitiatePortabilityArchiveRequest = match body {
                Value::Null => InitiatePortabilityArchiveRequest::new(),
                body => serde_json::from_value(body.clone())
                    .unwrap_or_else(|e| panic!("{method}: unusable body {body}: {e}")),
            };
            let call = client.portability_archive().initiate(request);
            with_standard_params!(call, params).await.map(drop)
        }
        "dataportability.archiveJobs.getPortabilityArchiveState" => {
            check_known_params(method, params, &["name"]);
            let call = client
                .archive_jobs()
                .get_portability_archive_state(name_param(method, params));
            with_standard_params!(call, params).await.map(drop)
        }
        "dataportability.archiveJobs.retry" => {
            check_known_params(method, params, &["name"]);
            let call = client.archive_jobs().retry(name_param(method, params));
            with_standard_params!(call, params).await.map(drop)
        }
        "dataportability.archiveJobs.cancel" => {
            check_known_params(method, params, &["name"]);
            let call = client.archive_jobs().cancel(name_param(method, params));
            with_standard_params!(call, params).await.map(drop)
        }
        "dataportability.authorization.reset" => {
            check_known_params(method, params, &[]);
            let call = client.authorization().reset();
            with_standard_params!(call, params).await.map(drop)
        }
        "dataportability.accessType.check" => {
            check_known_params(method, params, &[]);
            let call = client.access_type().check();
            with_standard_params!(call, params).await.map(drop)
        }
        other => panic!("method {other:?} has vectors but no dispatch in this test"),
    }
}

/// A 200 body the method could really return, so the client's decoding is exercised too.
fn plausible_response(method: &str, params: &Map<String, Value>) -> Value {
    match method {
        "dataportability.portabilityArchive.initiate" => {
            json!({"archiveJobId": "0f3c9a", "accessType": "ACCESS_TYPE_ONE_TIME"})
        }
        "dataportability.archiveJobs.getPortabilityArchiveState" => json!({
            "name": params.get("name").map(text).unwrap_or_default(),
            "state": "IN_PROGRESS",
            "exportTime": "2025-07-25T10:00:00Z",
        }),
        "dataportability.archiveJobs.retry" => json!({"archiveJobId": "0f3c9b"}),
        "dataportability.accessType.check" => {
            json!({"oneTimeResources": ["myactivity.search"]})
        }
        _ => json!({}),
    }
}

/// Sorted pairs, so two queries compare as multisets.
fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

/// The vector's expected query pairs.
fn expected_query(label: &str, expect: &Value) -> Vec<(String, String)> {
    let pairs = expect["query"]
        .as_array()
        .unwrap_or_else(|| panic!("{label}: `expect.query` is not a list"));
    pairs
        .iter()
        .map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([name, value]) => (text(name), text(value)),
            _ => panic!("{label}: query pair {pair} is not [name, value]"),
        })
        .collect()
}

/// Runs one vector against `server`.
async fn check_vector(server: &FakeServer, client: &Client, label: &str, vector: &Value) {
    let method = vector["method"]
        .as_str()
        .unwrap_or_else(|| panic!("{label}: no `method`"));
    let empty = Map::new();
    let params = vector["params"].as_object().unwrap_or(&empty);
    let body = &vector["body"];
    let expect = &vector["expect"];
    let before = server.request_count();

    if expect["error"] == "pattern" {
        let param = expect["param"]
            .as_str()
            .unwrap_or_else(|| panic!("{label}: no `expect.param`"));
        let result = call(client, method, params, body).await;
        match result {
            Err(Error::Binding(e)) => assert_eq!(e.parameter(), param, "{label}"),
            other => panic!("{label}: expected Error::Binding for `{param}`, got {other:?}"),
        }
        assert_eq!(
            server.request_count(),
            before,
            "{label}: a request was sent for a value that does not match its pattern"
        );
        return;
    }
    if let Some(error) = expect.get("error") {
        panic!("{label}: unknown expected error {error}");
    }

    server.respond_next(200, plausible_response(method, params).to_string());
    let result = call(client, method, params, body).await;
    assert!(result.is_ok(), "{label}: the call failed: {result:?}");
    assert_eq!(server.request_count(), before + 1, "{label}: one request");
    let sent = server.last_request();
    assert_eq!(
        Some(sent.method.as_str()),
        expect["httpMethod"].as_str(),
        "{label}: HTTP method"
    );
    assert_eq!(
        Some(sent.path.as_str()),
        expect["path"].as_str(),
        "{label}: path as sent"
    );
    // `alt=json` and `key` are left out of the vectors.
    let query: Vec<(String, String)> = sent
        .query_pairs()
        .into_iter()
        .filter(|(name, value)| !(name == "alt" && value == "json") && name != "key")
        .collect();
    assert_eq!(
        sorted(query),
        sorted(expected_query(label, expect)),
        "{label}: query (raw {:?})",
        sent.query
    );
    // A method with a request body sends it as JSON; one without sends none.
    match body {
        Value::Null => assert!(
            sent.body.is_empty(),
            "{label}: unexpected body {}",
            sent.body_text()
        ),
        expected => assert_eq!(
            sent.body_json().as_ref(),
            Some(expected),
            "{label}: body {}",
            sent.body_text()
        ),
    }
}

#[tokio::test]
async fn request_vectors_match_googles_python_client() {
    let Some(text) = read_corpus() else {
        return;
    };
    let document: Value = serde_json::from_str(&text).expect("the vector file is JSON");
    let vectors = document["vectors"]
        .as_array()
        .expect("the vector file has a `vectors` list");
    assert!(!vectors.is_empty(), "the vector file has no vectors");

    let server = FakeServer::start().await;
    server.add_token(
        TOKEN,
        Access::TimeBased,
        &["myactivity.search", "chrome.history"],
    );
    let client = Client::builder()
        .endpoint(server.endpoint())
        .token_provider(StaticToken::new(TOKEN).unwrap())
        .build()
        .unwrap();

    for (i, vector) in vectors.iter().enumerate() {
        let label = format!("vector {i} ({})", vector["method"]);
        check_vector(&server, &client, &label, vector).await;
    }
    println!("{} vectors passed", vectors.len());
}
