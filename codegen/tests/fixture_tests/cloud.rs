//! The crate generated from `codegen/tests/fixtures/cloud.json`, run
//! against a real HTTP server on 127.0.0.1: long-running operations of
//! both shapes polled to the end (or to their error), item streams across
//! pages, and calls, pollers and streams moved into spawned tasks.

mod server;

use fixture_cloud::models::{CreateMetadata, Disk, Instance, Network};
use fixture_cloud::{Client, Error, PollingPolicy, RetryPolicy, StaticToken, TimeoutKind};
use server::{Reply, Server};
use std::future::IntoFuture;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

fn client(server: &Server) -> Client {
    Client::builder()
        .endpoint(&server.url)
        .token_provider(StaticToken::new("token-1").unwrap())
        .polling_policy(fast_polling())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// Polls a millisecond apart, so tests take no time.
fn fast_polling() -> PollingPolicy {
    RetryPolicy::polling_builder()
        .initial_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(2))
        .jitter(false)
        .build()
        .unwrap()
}

/// A server whose `n`-th poll (1-based) of any operation gets `poll(n)`;
/// any other request gets `start`.
fn operation_server(
    start: &'static str,
    poll: impl Fn(usize) -> String + Send + Sync + 'static,
) -> Server {
    let polls = Arc::new(AtomicUsize::new(0));
    Server::start(move |request, _| {
        if request.method == "GET" && request.path().contains("/operations/") {
            let n = polls.fetch_add(1, Ordering::SeqCst) + 1;
            Reply::json(200, &poll(n))
        } else {
            Reply::json(200, start)
        }
    })
}

#[tokio::test]
async fn a_google_operation_is_polled_by_name_until_done() {
    let server = operation_server(
        r#"{"name": "projects/p/locations/l/operations/op-1", "done": false}"#,
        |n| match n {
            1 | 2 => format!(
                r#"{{"name": "projects/p/locations/l/operations/op-1", "done": false,
                    "metadata": {{"@type": "type.googleapis.com/cloud.CreateMetadata", "progressPercent": {}}}}}"#,
                n * 40
            ),
            _ => r#"{"name": "projects/p/locations/l/operations/op-1", "done": true,
                    "metadata": {"@type": "type.googleapis.com/cloud.CreateMetadata", "progressPercent": 100},
                    "response": {"@type": "type.googleapis.com/cloud.Instance", "name": "projects/p/locations/l/instances/i", "tier": "gold"}}"#
                .to_owned(),
        },
    );
    let client = client(&server);
    let operation = client
        .projects()
        .locations()
        .instances()
        .create("projects/p/locations/l", Instance::new().set_tier("gold"))
        .instance_id("i")
        .poller()
        .until_done()
        .await
        .unwrap();
    assert_eq!(operation.done, Some(true));
    let instance: Instance = operation.response_as().unwrap();
    assert_eq!(instance.name.as_deref(), Some("projects/p/locations/l/instances/i"));
    assert_eq!(instance.tier.as_deref(), Some("gold"));
    let metadata: CreateMetadata = operation.metadata_as().unwrap();
    assert_eq!(metadata.progress_percent, Some(100));

    let received = server.received();
    assert_eq!(received.len(), 4, "the call, then three polls");
    assert_eq!(received[0].method, "POST");
    assert_eq!(received[0].path(), "/v1/projects/p/locations/l/instances");
    assert_eq!(received[0].query_value("instanceId").as_deref(), Some("i"));
    for poll in &received[1..] {
        assert_eq!(poll.method, "GET");
        assert_eq!(poll.path(), "/v1/projects/p/locations/l/operations/op-1");
        assert_eq!(poll.header("authorization"), Some("Bearer token-1"));
    }
}

#[tokio::test]
async fn next_reports_each_state_on_the_way() {
    let server = operation_server(
        r#"{"name": "projects/p/locations/l/operations/op-2", "done": false}"#,
        |n| {
            format!(
                r#"{{"name": "projects/p/locations/l/operations/op-2", "done": {}, "metadata": {{"progressPercent": {}}}}}"#,
                n == 3,
                n * 30
            )
        },
    );
    let client = client(&server);
    let mut poller = client
        .projects()
        .locations()
        .instances()
        .create("projects/p/locations/l", Instance::new())
        .poller();
    let mut progress = Vec::new();
    while let Some(state) = poller.next().await {
        let state = state.unwrap();
        progress.push(
            state
                .metadata_as::<CreateMetadata>()
                .ok()
                .and_then(|m| m.progress_percent),
        );
    }
    assert_eq!(progress, [None, Some(30), Some(60), Some(90)]);
    assert!(poller.next().await.is_none(), "a finished poller stays finished");
}

#[tokio::test]
async fn an_operation_that_fails_is_its_error() {
    let server = operation_server(
        r#"{"name": "projects/p/locations/l/operations/op-3", "done": false}"#,
        |_| {
            r#"{"name": "projects/p/locations/l/operations/op-3", "done": true,
                "error": {"code": 5, "message": "the zone is gone",
                          "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "ZONE_GONE", "domain": "cloud.example.com"}]}}"#
                .to_owned()
        },
    );
    let client = client(&server);
    let error = client
        .projects()
        .locations()
        .instances()
        .create("projects/p/locations/l", Instance::new())
        .poller()
        .until_done()
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected the operation's error as an API error, got {error:?}");
    };
    assert_eq!(api.status(), "NOT_FOUND");
    assert_eq!(api.http_status(), 404, "the HTTP status google.rpc maps NOT_FOUND to");
    assert_eq!(api.message(), "the zone is gone");
    assert_eq!(api.reason(), Some("ZONE_GONE"));
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn an_operation_is_polled_with_the_operations_get_whose_path_fits_its_name() {
    // `exports.start` may return names of either operations resource; this
    // one only fits the top-level `operations.get` (`v1/{+name}` with
    // pattern `^operations/.*$`), not the project one.
    let server = operation_server(r#"{"name": "operations/export-7", "done": false}"#, |_| {
        r#"{"name": "operations/export-7", "done": true, "response": {"name": "done"}}"#.to_owned()
    });
    let client = client(&server);
    let operation = client.exports().start().poller().until_done().await.unwrap();
    assert_eq!(operation.name.as_deref(), Some("operations/export-7"));
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].path(), "/v1/operations/export-7");
}

#[tokio::test]
async fn a_compute_operation_is_polled_in_the_calls_zone_until_done() {
    let server = operation_server(
        r#"{"name": "operation-123", "status": "PENDING", "zone": "https://cloud.example.com/compute/v1/projects/my-project/zones/europe-west1-b"}"#,
        |n| {
            let status = if n < 2 { "RUNNING" } else { "DONE" };
            format!(r#"{{"name": "operation-123", "status": "{status}", "targetLink": "disks/d"}}"#)
        },
    );
    let client = client(&server);
    let operation = client
        .disks()
        .insert("my-project", "europe-west1-b", Disk::new().set_name("d"))
        .poller()
        .until_done()
        .await
        .unwrap();
    assert_eq!(operation.target_link.as_deref(), Some("disks/d"));
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert_eq!(received[0].path(), "/compute/v1/projects/my-project/zones/europe-west1-b/disks");
    for poll in &received[1..] {
        assert_eq!(
            poll.path(),
            "/compute/v1/projects/my-project/zones/europe-west1-b/operations/operation-123"
        );
    }
}

#[tokio::test]
async fn a_global_compute_operation_is_polled_with_global_operations() {
    let server = operation_server(r#"{"name": "operation-9", "status": "RUNNING"}"#, |_| {
        r#"{"name": "operation-9", "status": "DONE"}"#.to_owned()
    });
    let client = client(&server);
    client
        .networks()
        .insert("my-project", Network::new().set_name("n"))
        .poller()
        .until_done()
        .await
        .unwrap();
    let received = server.received();
    assert_eq!(
        received[1].path(),
        "/compute/v1/projects/my-project/global/operations/operation-9"
    );
}

#[tokio::test]
async fn a_failed_compute_operation_is_an_api_error_with_its_errors() {
    let server = operation_server(r#"{"name": "operation-5", "status": "RUNNING"}"#, |_| {
        r#"{"name": "operation-5", "status": "DONE", "httpErrorStatusCode": 403,
            "httpErrorMessage": "FORBIDDEN",
            "error": {"errors": [{"code": "QUOTA_EXCEEDED", "message": "Quota 'DISKS_TOTAL_GB' exceeded.", "location": "sizeGb"}]}}"#
            .to_owned()
    });
    let client = client(&server);
    let error = client
        .disks()
        .insert("my-project", "z", Disk::new())
        .poller()
        .until_done()
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.http_status(), 403);
    assert_eq!(api.message(), "Quota 'DISKS_TOTAL_GB' exceeded.");
    assert_eq!(api.reason(), Some("QUOTA_EXCEEDED"), "the first error's code");
    assert_eq!(api.errors()[0].location(), "sizeGb");
    assert!(error.is_permission_denied());
    assert!(error.to_string().contains("DISKS_TOTAL_GB"), "{error}");
}

#[tokio::test]
async fn polling_gives_up_at_the_policy_time_limit() {
    let server = operation_server(
        r#"{"name": "projects/p/locations/l/operations/slow", "done": false}"#,
        |_| r#"{"name": "projects/p/locations/l/operations/slow", "done": false}"#.to_owned(),
    );
    let client = client(&server);
    let policy = RetryPolicy::polling_builder()
        .initial_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(5))
        .jitter(false)
        .time_limit(Some(Duration::from_millis(60)))
        .build()
        .unwrap();
    let error = client
        .projects()
        .locations()
        .instances()
        .create("projects/p/locations/l", Instance::new())
        .poller()
        .polling_policy(policy)
        .until_done()
        .await
        .unwrap_err();
    let Error::Timeout(timeout) = &error else {
        panic!("expected a polling timeout, got {error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Polling);
    assert!(error.to_string().contains("slow"), "{error}");
    // How many polls fit in the limit depends on the machine; at least
    // one does, and no more than the limit allows at 5 ms apart.
    let polls = server.received().len() - 1;
    assert!((1..=13).contains(&polls), "{polls} polls in 60 ms at 5 ms apart");
}

#[tokio::test]
async fn polling_stops_after_the_policy_attempts() {
    let server = operation_server(
        r#"{"name": "projects/p/locations/l/operations/o", "done": false}"#,
        |_| r#"{"name": "projects/p/locations/l/operations/o", "done": false}"#.to_owned(),
    );
    let policy = RetryPolicy::polling_builder()
        .initial_delay(Duration::from_millis(1))
        .jitter(false)
        .max_attempts(4)
        .build()
        .unwrap();
    let client = Client::builder()
        .endpoint(&server.url)
        .polling_policy(policy)
        .build()
        .unwrap();
    let error = client
        .projects()
        .locations()
        .instances()
        .create("projects/p/locations/l", Instance::new())
        .poller()
        .until_done()
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::Timeout(t) if t.kind() == TimeoutKind::Polling), "{error:?}");
    assert_eq!(server.received().len(), 1 + 3, "the call and three polls");
}

/// A server of instance pages: `a b` (token t1), an empty page (t2), `c`.
fn instance_pages() -> Server {
    Server::start(|request, _| {
        let body = match request.query_value("pageToken").as_deref() {
            None => r#"{"instances": [{"name": "a"}, {"name": "b"}], "unreachable": ["x"], "nextPageToken": "t1"}"#,
            Some("t1") => r#"{"nextPageToken": "t2"}"#,
            Some("t2") => r#"{"instances": [{"name": "c"}]}"#,
            Some(_) => return Reply::json(400, r#"{"error": {"code": 400, "message": "bad token"}}"#),
        };
        Reply::json(200, body)
    })
}

fn names(instances: Vec<Instance>) -> Vec<String> {
    instances.into_iter().map(|i| i.name.unwrap()).collect()
}

#[tokio::test]
async fn items_stream_the_list_across_pages() {
    let server = instance_pages();
    let client = client(&server);
    let mut items = client
        .projects()
        .locations()
        .instances()
        .list("projects/p/locations/l")
        .page_size(2)
        .items();
    let mut all = Vec::new();
    while let Some(item) = items.next().await {
        all.push(item.unwrap());
    }
    assert_eq!(names(all), ["a", "b", "c"], "the unreachable list is not items");
    assert!(items.next().await.is_none());
    let received = server.received();
    assert_eq!(received.len(), 3, "one request per page, the empty one included");
    assert!(received.iter().all(|r| r.query_value("pageSize").as_deref() == Some("2")));
}

#[tokio::test]
async fn a_repeated_page_token_is_an_error_not_a_silent_end() {
    // A broken server whose tokens go round in a circle: t1, t2, t1, ...
    let server = Server::start(|request, _| {
        let next = match request.query_value("pageToken").as_deref() {
            Some("t1") => "t2",
            _ => "t1",
        };
        Reply::json(200, &format!(r#"{{"instances": [{{"name": "i"}}], "nextPageToken": "{next}"}}"#))
    });
    let client = client(&server);
    let mut items = client.projects().locations().instances().list("projects/p/locations/l").items();
    let mut seen = 0;
    let error = loop {
        match items.next().await {
            Some(Ok(_)) => seen += 1,
            Some(Err(error)) => break error,
            None => panic!("the stream ended without an error after {seen} items"),
        }
        assert!(seen < 10, "the stream must end");
    };
    assert_eq!(seen, 2, "the pages for no token and t1; t2 then names t1 again");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(error.to_string().contains("\"t1\""), "{error}");
    assert!(items.next().await.is_none(), "the stream ends after the error");
}

#[tokio::test]
async fn aggregated_lists_stream_key_value_pairs() {
    let server = Server::start(|request, _| {
        let body = match request.query_value("pageToken").as_deref() {
            None => r#"{"items": {"zones/a": {"disks": [{"name": "d1"}]}, "zones/b": {}}, "unreachables": ["zones/c"], "nextPageToken": "n"}"#,
            _ => r#"{"items": {"zones/c": {"disks": [{"name": "d2"}]}}}"#,
        };
        Reply::json(200, body)
    });
    let client = client(&server);
    let mut items = client.disks().aggregated_list("my-project").items();
    let mut scopes = Vec::new();
    while let Some(item) = items.next().await {
        let (scope, list) = item.unwrap();
        let disks = list.disks.unwrap_or_default().len();
        scopes.push((scope, disks));
    }
    assert_eq!(
        scopes,
        [("zones/a".to_owned(), 1), ("zones/b".to_owned(), 0), ("zones/c".to_owned(), 1)]
    );
}

fn spawnable<T: Send + 'static>(value: T) -> T {
    value
}

#[tokio::test]
async fn calls_streams_and_pollers_move_into_spawned_tasks() {
    let server = instance_pages();
    let items = {
        // The client is dropped here: what was made from it does not borrow it.
        let client = client(&server);
        spawnable(client.projects().locations().instances().list("projects/p/locations/l").items())
    };
    let collected = tokio::spawn(async move {
        let mut items = items;
        let mut all = Vec::new();
        while let Some(item) = items.next().await {
            all.push(item.unwrap());
        }
        all
    })
    .await
    .unwrap();
    assert_eq!(names(collected), ["a", "b", "c"]);

    let server = operation_server(r#"{"name": "operations/x", "done": true}"#, |_| String::new());
    let client = client(&server);
    let call = spawnable(client.exports().start());
    let poller = spawnable(client.exports().start().poller());
    drop(client);
    let (sent, polled) = tokio::join!(tokio::spawn(call.into_future()), tokio::spawn(poller.until_done()));
    assert_eq!(sent.unwrap().unwrap().name.as_deref(), Some("operations/x"));
    assert_eq!(polled.unwrap().unwrap().done, Some(true));
}

#[test]
fn long_running_methods_say_so_in_their_docs() {
    let source = include_str!("../src/resources/disks.rs");
    assert!(source.contains("# Long-running operation"));
    assert!(source.contains("`cloud.zoneOperations.get`"));
}

/// A server that answers every request with `status` and a classic (v1)
/// error body of `reason`, counting the requests.
fn classic_error_server(status: u16, reason: &'static str) -> (Server, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let server = Server::start(move |_, _| {
        seen.fetch_add(1, Ordering::SeqCst);
        Reply::json(
            status,
            &format!(
                r#"{{"error": {{"code": {status}, "message": "Rate or quota: {reason}",
                    "errors": [{{"domain": "usageLimits", "reason": "{reason}", "message": "Rate or quota: {reason}",
                                 "location": "q", "locationType": "parameter"}}]}}}}"#
            ),
        )
        .with_header("x-goog-request-id", "req-7")
    });
    (server, count)
}

fn retrying_client(server: &Server) -> Client {
    Client::builder()
        .endpoint(&server.url)
        .retry_policy(
            RetryPolicy::builder()
                .initial_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(2))
                .max_attempts(3)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_403_user_rate_limit_is_retried_and_its_errors_are_readable() {
    let (server, count) = classic_error_server(403, "userRateLimitExceeded");
    let client = retrying_client(&server);
    let error = client.disks().list("p", "z").await.unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 3, "every attempt the policy allows");
    assert!(error.is_retryable());
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.reason(), Some("userRateLimitExceeded"));
    let item = &api.errors()[0];
    assert_eq!(
        (item.domain(), item.reason(), item.location(), item.location_type()),
        ("usageLimits", "userRateLimitExceeded", "q", "parameter")
    );
    assert_eq!(api.header("x-goog-request-id"), Some("req-7"));
}

#[tokio::test]
async fn a_403_quota_exceeded_is_final() {
    let (server, count) = classic_error_server(403, "quotaExceeded");
    let client = retrying_client(&server);
    let error = client.disks().list("p", "z").await.unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 1, "a spent quota is not retried");
    assert!(!error.is_retryable());
    assert!(matches!(&error, Error::Api(api) if api.reason() == Some("quotaExceeded")));
}

#[test]
fn a_64_bit_field_is_read_from_a_string_or_a_number_and_written_as_a_string() {
    for text in [r#"{"name":"d","sizeGb":"5"}"#, r#"{"name":"d","sizeGb":5}"#] {
        let disk: Disk = serde_json::from_str(text).unwrap();
        assert_eq!(disk.size_gb, Some(5), "{text}");
        assert_eq!(
            serde_json::to_value(&disk).unwrap(),
            serde_json::json!({"name": "d", "sizeGb": "5"})
        );
    }
    let unset: Disk = serde_json::from_str(r#"{"sizeGb":null}"#).unwrap();
    assert_eq!(unset.size_gb, None);
    let error = serde_json::from_str::<Disk>(r#"{"sizeGb":"five"}"#).unwrap_err();
    assert!(error.to_string().contains("not a 64-bit integer"), "{error}");
}

#[test]
fn a_model_flattened_into_an_application_type_leaves_its_properties_out_of_the_rest() {
    // The model names the properties it reads, as serde's derive did, so a
    // catch-all map beside it gets only the others.
    #[derive(serde::Deserialize)]
    struct Tagged {
        #[serde(flatten)]
        disk: Disk,
        #[serde(flatten)]
        rest: std::collections::BTreeMap<String, serde_json::Value>,
    }
    let tagged: Tagged =
        serde_json::from_str(r#"{"name":"d","sizeGb":"7","tag":"blue"}"#).unwrap();
    assert_eq!(tagged.disk.name.as_deref(), Some("d"));
    assert_eq!(tagged.disk.size_gb, Some(7));
    assert_eq!(
        tagged.rest.keys().collect::<Vec<_>>(),
        ["tag"],
        "the disk's properties are not the rest"
    );
}
