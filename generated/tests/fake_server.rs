//! The fake server on its own, spoken to with plain `reqwest`: the behaviour
//! the client tests rely on, including what the generated client never sends.
//!
//! Besides routing, tokens and validation, this covers what tests of client
//! robustness lean on: each injected fault as it looks on the wire, the job
//! state machine and its fake clock, the `initiate` limits of R12 in their
//! order, and the archives in fake storage (real ZIP files, checked here by
//! an independent reader and CRC-32; expiry and withdrawal).

mod fake;

use fake::{Access, FakeServer};
use serde_json::{Value, json};

const TOKEN: &str = "fake-server-token";

async fn setup() -> FakeServer {
    let server = FakeServer::start().await;
    server.add_token(TOKEN, Access::OneTime, &["myactivity.search"]);
    server
}

/// What came back: status, content type, `WWW-Authenticate`, and the body as JSON.
struct Answer {
    status: u16,
    content_type: Option<String>,
    www_authenticate: Option<String>,
    json: Value,
}

async fn send(
    server: &FakeServer,
    method: &str,
    path_and_query: &str,
    token: Option<&str>,
    body: &str,
) -> Answer {
    let url = format!(
        "{}{}",
        server.endpoint(),
        path_and_query.trim_start_matches('/')
    );
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a valid verb");
    let mut request = reqwest::Client::new()
        .request(method, url)
        .body(body.to_owned());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the fake answers");
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header(reqwest::header::CONTENT_TYPE);
    let www_authenticate = header(reqwest::header::WWW_AUTHENTICATE);
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        content_type,
        www_authenticate,
        json,
    }
}

fn assert_error(answer: &Answer, code: u16, status: &str) {
    assert_eq!(answer.status, code, "{}", answer.json);
    assert_eq!(answer.json["error"]["code"], code, "{}", answer.json);
    assert_eq!(answer.json["error"]["status"], status, "{}", answer.json);
    assert!(
        answer.json["error"]["message"].is_string(),
        "{}",
        answer.json
    );
    assert!(
        answer.json["error"]["details"].is_array(),
        "{}",
        answer.json
    );
    assert_eq!(
        answer.content_type.as_deref(),
        Some(fake::JSON_CONTENT_TYPE)
    );
}

#[tokio::test]
async fn unknown_paths_and_wrong_verbs_are_not_found() {
    let server = setup().await;
    let cases = [
        ("GET", "/v1/portabilityArchive:initiate"),
        ("PUT", "/v1/authorization:reset"),
        ("POST", "/v1/archiveJobs/1/portabilityArchiveState"),
        ("GET", "/v1/archiveJobs/1:retry"),
        ("POST", "/v1/archiveJobs/1:delete"),
        ("POST", "/v1/archiveJobs/:retry"),
        ("POST", "/v1/archiveJobs/1/2:retry"),
        ("POST", "/v2/accessType:check"),
        ("POST", "/v1/accessType:check/"),
        ("GET", "/"),
        // Malformed escapes and bytes that are not UTF-8 are simply not found.
        ("POST", "/v1/accessType%3"),
        ("POST", "/v1/accessType%zzcheck"),
        ("POST", "/v1/archiveJobs/%FF%FE:retry"),
    ];
    for (method, path) in cases {
        let answer = send(&server, method, path, Some(TOKEN), "{}").await;
        assert_error(&answer, 404, "NOT_FOUND");
    }
}

#[tokio::test]
async fn paths_are_percent_decoded_before_routing() {
    let server = setup().await;
    let answer = send(&server, "POST", "/v1/accessType%3Acheck", Some(TOKEN), "").await;
    assert_eq!(answer.status, 200, "{}", answer.json);
    assert_eq!(
        answer.content_type.as_deref(),
        Some(fake::JSON_CONTENT_TYPE)
    );
    assert_eq!(
        server.last_request().path,
        "/v1/accessType%3Acheck",
        "recorded as sent"
    );

    server.add_job(TOKEN, "a/b", "IN_PROGRESS");
    let answer = send(
        &server,
        "POST",
        "/v1/archiveJobs/a%2Fb%3Acancel",
        Some(TOKEN),
        "",
    )
    .await;
    assert_eq!(
        answer.status, 200,
        "an encoded `/` stays in the id: {}",
        answer.json
    );
    assert_eq!(server.state_of("a/b").as_deref(), Some("CANCELLED"));
}

#[tokio::test]
async fn missing_unknown_and_revoked_tokens_are_unauthenticated() {
    let server = setup().await;
    for token in [None, Some("nobody")] {
        let answer = send(&server, "POST", "/v1/accessType:check", token, "{}").await;
        assert_error(&answer, 401, "UNAUTHENTICATED");
        assert!(
            answer
                .www_authenticate
                .as_deref()
                .is_some_and(|v| v.starts_with("Bearer")),
            "{:?}",
            answer.www_authenticate
        );
    }
    let answer = send(&server, "POST", "/v1/authorization:reset", Some(TOKEN), "").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json, json!({}));
    let answer = send(&server, "POST", "/v1/accessType:check", Some(TOKEN), "{}").await;
    assert_error(&answer, 401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_token_may_come_in_the_query() {
    let server = setup().await;
    let path = format!("/v1/accessType:check?access_token={TOKEN}");
    let answer = send(&server, "POST", &path, None, "").await;
    assert_eq!(answer.status, 200, "{}", answer.json);
    assert_eq!(
        answer.json,
        json!({"oneTimeResources": ["myactivity.search"]})
    );
}

#[tokio::test]
async fn a_token_without_groups_is_permission_denied() {
    let server = setup().await;
    server.add_token("empty", Access::OneTime, &[]);
    let answer = send(&server, "POST", "/v1/accessType:check", Some("empty"), "{}").await;
    assert_error(&answer, 403, "PERMISSION_DENIED");
    let reason = &answer.json["error"]["details"][0]["reason"];
    assert_eq!(reason, "ACCESS_TOKEN_SCOPE_INSUFFICIENT");
}

#[tokio::test]
async fn initiate_validates_its_body() {
    let server = setup().await;
    let bad_bodies = [
        "",
        "{}",
        "not json",
        "[]",
        r#"{"resources": []}"#,
        r#"{"resources": "myactivity.search"}"#,
        r#"{"resources": [1]}"#,
        r#"{"resources": ["myactivity.search"], "colour": "blue"}"#,
        r#"{"resources": ["myactivity.search"], "startTime": "yesterday"}"#,
        r#"{"resources": ["myactivity.search"], "startTime": "2025-02-01T00:00:00Z", "endTime": "2025-01-01T00:00:00Z"}"#,
    ];
    for body in bad_bodies {
        let answer = send(
            &server,
            "POST",
            "/v1/portabilityArchive:initiate",
            Some(TOKEN),
            body,
        )
        .await;
        assert_error(&answer, 400, "INVALID_ARGUMENT");
    }
    assert_eq!(server.request_count(), bad_bodies.len());

    // snake_case is accepted as well as camelCase.
    let body = r#"{"resources": ["myactivity.search"], "start_time": "2025-01-01T00:00:00Z"}"#;
    let answer = send(
        &server,
        "POST",
        "/v1/portabilityArchive:initiate",
        Some(TOKEN),
        body,
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.json);
    assert_eq!(answer.json["accessType"], "ACCESS_TYPE_ONE_TIME");
    let id = answer.json["archiveJobId"]
        .as_str()
        .expect("an id")
        .to_owned();
    let path = format!("/v1/archiveJobs/{id}/portabilityArchiveState");
    let answer = send(&server, "GET", &path, Some(TOKEN), "").await;
    assert_eq!(answer.json["startTime"], "2025-01-01T00:00:00Z");
    assert_eq!(answer.json["state"], "IN_PROGRESS");
    assert!(answer.json.get("urls").is_none(), "{}", answer.json);

    let body = r#"{"resources": ["youtube.music"]}"#;
    let answer = send(
        &server,
        "POST",
        "/v1/portabilityArchive:initiate",
        Some(TOKEN),
        body,
    )
    .await;
    assert_error(&answer, 403, "PERMISSION_DENIED");
    assert_eq!(
        answer.json["error"]["message"],
        "The requested resources are not authorized by the OAuth token."
    );
}

#[tokio::test]
async fn job_ids_are_opaque_and_unique() {
    let server = setup().await;
    let mut ids = std::collections::HashSet::new();
    for n in 0..20 {
        // A user of its own each time, so the export limits stay out of it.
        let token = format!("user-{n}");
        server.add_token(&token, Access::OneTime, &["myactivity.search"]);
        let body = r#"{"resources": ["myactivity.search"]}"#;
        let answer = send(
            &server,
            "POST",
            "/v1/portabilityArchive:initiate",
            Some(&token),
            body,
        )
        .await;
        let id = answer.json["archiveJobId"]
            .as_str()
            .expect("an id")
            .to_owned();
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()), "{id}");
        assert!(ids.insert(id), "ids repeat");
    }
}

#[tokio::test]
async fn a_failed_job_is_retried_at_most_three_times() {
    let server = setup().await;
    server.add_job(TOKEN, "first", "FAILED");
    let mut id = "first".to_owned();
    for _ in 0..3 {
        let path = format!("/v1/archiveJobs/{id}:retry");
        let answer = send(&server, "POST", &path, Some(TOKEN), "{}").await;
        assert_eq!(answer.status, 200, "{}", answer.json);
        id = answer.json["archiveJobId"]
            .as_str()
            .expect("an id")
            .to_owned();
        assert_eq!(server.state_of(&id).as_deref(), Some("IN_PROGRESS"));
        server.set_state(&id, "FAILED");
    }
    let path = format!("/v1/archiveJobs/{id}:retry");
    let answer = send(&server, "POST", &path, Some(TOKEN), "{}").await;
    assert_error(&answer, 400, "FAILED_PRECONDITION");
}

#[tokio::test]
async fn canned_answers_are_used_once_each_in_order() {
    let server = setup().await;
    server.respond_next(
        503,
        fake::error_body(503, "UNAVAILABLE", "try later", vec![]),
    );
    server.respond_next_raw(999, "not a\nheader", "odd");
    let answer = send(&server, "POST", "/v1/accessType:check", Some(TOKEN), "{}").await;
    assert_error(&answer, 503, "UNAVAILABLE");
    // A nonsense status or content type is answered with a 500, not a panic.
    let answer = send(&server, "POST", "/v1/accessType:check", Some(TOKEN), "{}").await;
    assert_eq!(answer.status, 500);
    let answer = send(&server, "POST", "/v1/accessType:check", Some(TOKEN), "{}").await;
    assert_eq!(answer.status, 200, "back to normal: {}", answer.json);
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn requests_are_recorded_as_sent() {
    let server = setup().await;
    let path = "/v1/accessType:check?b=2&a=x%20y&a=z+w&flag";
    send(&server, "POST", path, Some(TOKEN), "{\"k\": 1}").await;
    let sent = server.last_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/accessType:check");
    assert_eq!(sent.query.as_deref(), Some("b=2&a=x%20y&a=z+w&flag"));
    let expected = [("b", "2"), ("a", "x y"), ("a", "z w"), ("flag", "")]
        .map(|(n, v)| (n.to_owned(), v.to_owned()));
    assert_eq!(sent.query_pairs(), expected);
    assert_eq!(sent.body_json(), Some(json!({"k": 1})));
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(sent.header("Authorization"), Some(bearer.as_str()));
}

// ---------------------------------------------------------------------------
// Helpers for the behaviour below

const SEARCH: &str = "myactivity.search";
const YOUTUBE: &str = "myactivity.youtube";
const HISTORY: &str = "chrome.history";
const BOOKMARKS: &str = "chrome.bookmarks";

/// A fake whose [`TOKEN`] holds two one-time and two time-based groups.
async fn setup_groups() -> FakeServer {
    let server = FakeServer::start().await;
    server.add_token(TOKEN, Access::OneTime, &[SEARCH, YOUTUBE]);
    server.add_token(TOKEN, Access::TimeBased, &[HISTORY, BOOKMARKS]);
    server
}

async fn initiate(server: &FakeServer, token: &str, body: Value) -> Answer {
    let path = "/v1/portabilityArchive:initiate";
    send(server, "POST", path, Some(token), &body.to_string()).await
}

/// Starts a job for `groups` and returns its id.
async fn start(server: &FakeServer, groups: &[&str]) -> String {
    let answer = initiate(server, TOKEN, json!({ "resources": groups })).await;
    assert_eq!(answer.status, 200, "{}", answer.json);
    answer.json["archiveJobId"]
        .as_str()
        .expect("an id")
        .to_owned()
}

async fn poll(server: &FakeServer, id: &str) -> Answer {
    let path = format!("/v1/archiveJobs/{id}/portabilityArchiveState");
    send(server, "GET", &path, Some(TOKEN), "").await
}

/// Polls until the job leaves IN_PROGRESS (at most 10 polls); the final answer.
async fn poll_until_done(server: &FakeServer, id: &str) -> Answer {
    for _ in 0..10 {
        let answer = poll(server, id).await;
        assert_eq!(answer.status, 200, "{}", answer.json);
        if answer.json["state"] != "IN_PROGRESS" {
            return answer;
        }
    }
    panic!("job {id} never finished");
}

/// The archive URLs of a COMPLETE state answer.
fn urls(answer: &Answer) -> Vec<String> {
    let urls = answer.json["urls"].as_array().expect("urls");
    urls.iter()
        .map(|u| u.as_str().expect("a URL").to_owned())
        .collect()
}

/// The ErrorInfo of an error answer: its reason and metadata.
fn error_info(answer: &Answer) -> (&Value, &Value) {
    let details = answer.json["error"]["details"].as_array().expect("details");
    let info = details
        .iter()
        .find(|d| d["@type"] == "type.googleapis.com/google.rpc.ErrorInfo")
        .unwrap_or_else(|| panic!("no ErrorInfo in {}", answer.json));
    assert_eq!(info["domain"], fake::ERROR_DOMAIN);
    (&info["reason"], &info["metadata"])
}

fn unix(text: &Value) -> i64 {
    let text = text.as_str().expect("a timestamp");
    google_dataportability_v1::Timestamp::parse(text)
        .unwrap_or_else(|e| panic!("{text:?}: {e}"))
        .unix_seconds()
}

/// A request straight through reqwest, keeping whatever error it gives.
async fn raw(server: &FakeServer, path: &str) -> reqwest::Result<reqwest::Response> {
    let url = format!("{}{}", server.endpoint(), path.trim_start_matches('/'));
    reqwest::Client::new()
        .post(url)
        .bearer_auth(TOKEN)
        .body("{}")
        .send()
        .await
}

fn io_error_kinds(error: &(dyn std::error::Error + 'static)) -> Vec<std::io::ErrorKind> {
    let mut kinds = Vec::new();
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            kinds.push(io.kind());
        }
        next = error.source();
    }
    kinds
}

const CHECK: &str = "/v1/accessType:check";

// ---------------------------------------------------------------------------
// Faults

#[tokio::test]
async fn a_connection_reset_gives_an_error_and_no_answer() {
    let server = setup().await;
    server.inject(fake::Fault::ConnectionReset);
    let error = raw(&server, CHECK)
        .await
        .expect_err("a reset connection has no response");
    assert!(
        io_error_kinds(&error).contains(&std::io::ErrorKind::ConnectionReset),
        "a TCP reset, not a clean close: {error:?}"
    );
    let sent = server.last_request();
    assert_eq!(sent.fault, Some(fake::Fault::ConnectionReset));
    assert_eq!(sent.path, CHECK);

    // The request never took effect: the same initiate afterwards starts
    // the job (rather than meeting the one "already in progress").
    server.inject(fake::Fault::ConnectionReset);
    let body = json!({"resources": ["myactivity.search"]});
    let path = "/v1/portabilityArchive:initiate";
    assert!(raw(&server, path).await.is_err());
    let answer = initiate(&server, TOKEN, body).await;
    assert_eq!(answer.status, 200, "{}", answer.json);
    assert_eq!(server.request_count(), 3);
    assert_eq!(server.pending_faults(), 0);
}

#[tokio::test]
async fn a_status_fault_answers_with_the_matching_envelope() {
    let server = setup().await;
    let cases = [
        (500, "INTERNAL"),
        (502, "UNAVAILABLE"),
        (503, "UNAVAILABLE"),
        (504, "DEADLINE_EXCEEDED"),
        (404, "NOT_FOUND"),
        // No HTTP status at all: a 500 rather than a panic.
        (42, "INTERNAL"),
    ];
    for (code, _) in cases {
        server.inject(fake::Fault::Status(code));
    }
    for (code, status) in cases {
        let answer = send(&server, "POST", CHECK, Some(TOKEN), "{}").await;
        let expected = if code == 42 { 500 } else { code };
        assert_error(&answer, expected, status);
        assert_eq!(server.last_request().fault, Some(fake::Fault::Status(code)));
    }
    let answer = send(&server, "POST", CHECK, Some(TOKEN), "{}").await;
    assert_eq!(answer.status, 200, "then back to normal: {}", answer.json);
    assert_eq!(server.last_request().fault, None);
}

#[tokio::test]
async fn too_many_requests_is_a_rate_limit_with_the_given_retry_after() {
    let server = setup().await;
    let date = "Wed, 21 Oct 2015 07:28:00 GMT";
    for retry_after in [Some("7"), Some(date), None] {
        server.inject(fake::Fault::TooManyRequests {
            retry_after: retry_after.map(str::to_owned),
        });
        let response = raw(&server, CHECK).await.expect("an answer");
        assert_eq!(response.status(), 429);
        let header = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .map(|v| v.to_str().expect("text").to_owned());
        assert_eq!(header.as_deref(), retry_after, "sent exactly as given");
        let content_type = response.headers()[reqwest::header::CONTENT_TYPE].clone();
        assert_eq!(content_type, fake::JSON_CONTENT_TYPE);
        let json: Value =
            serde_json::from_slice(&response.bytes().await.expect("a body")).expect("the envelope");
        assert_eq!(json["error"]["code"], 429);
        assert_eq!(json["error"]["status"], "RESOURCE_EXHAUSTED");
        let answer = Answer {
            status: 429,
            content_type: None,
            www_authenticate: None,
            json,
        };
        assert_eq!(error_info(&answer).0, "RATE_LIMIT_EXCEEDED");
    }
}

#[tokio::test]
async fn a_truncated_body_fails_while_reading_and_the_request_took_effect() {
    let server = setup().await;
    server.inject(fake::Fault::TruncatedBody);
    let body = r#"{"resources": ["myactivity.search"]}"#;
    let url = format!("{}v1/portabilityArchive:initiate", server.endpoint());
    let response = reqwest::Client::new()
        .post(url)
        .bearer_auth(TOKEN)
        .body(body)
        .send()
        .await
        .expect("the head arrives");
    assert_eq!(response.status(), 200);
    let content_type = response.headers()[reqwest::header::CONTENT_TYPE].clone();
    assert_eq!(content_type, fake::JSON_CONTENT_TYPE);
    let announced = response.content_length().expect("a Content-Length");
    assert!(announced > 0);
    let error = response
        .bytes()
        .await
        .expect_err("the body ends before its announced length");
    assert!(error.is_body() || error.is_decode(), "{error:?}");
    assert_eq!(
        server.last_request().fault,
        Some(fake::Fault::TruncatedBody)
    );

    // The job was started before its answer was cut: the same request now
    // meets it.
    let answer = initiate(&server, TOKEN, serde_json::from_str(body).unwrap()).await;
    assert_error(&answer, 409, "ALREADY_EXISTS");
    let (_, metadata) = error_info(&answer);
    let id = metadata["job_id"].as_str().expect("the job's id");
    assert_eq!(server.state_of(id).as_deref(), Some("IN_PROGRESS"));
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_truncated_download_is_cut_too() {
    let server = setup_groups().await;
    server.set_polls_until_done(0);
    let id = start(&server, &[SEARCH]).await;
    let url = urls(&poll(&server, &id).await).remove(0);
    server.inject_for("/__storage/", fake::Fault::TruncatedBody);
    let response = reqwest::get(&url).await.expect("the head arrives");
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.is_err());
    let whole = reqwest::get(&url).await.unwrap().bytes().await.unwrap();
    assert!(!whole.is_empty());
}

#[tokio::test]
async fn non_json_is_an_html_page_with_status_200() {
    let server = setup().await;
    server.inject(fake::Fault::NonJson);
    let response = raw(&server, CHECK).await.expect("an answer");
    assert_eq!(response.status(), 200);
    let content_type = response.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let text = response.text().await.unwrap();
    assert!(text.starts_with("<html>"), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err());
}

#[tokio::test]
async fn a_delay_outlasts_a_client_timeout_and_otherwise_answers_late() {
    let server = setup().await;
    server.inject(fake::Fault::Delay(std::time::Duration::from_millis(1500)));
    let url = format!("{}v1/accessType:check", server.endpoint());
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_millis(200))
        .build()
        .unwrap();
    let error = client
        .post(&url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect_err("slower than the timeout");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(
        server.last_request().fault,
        Some(fake::Fault::Delay(std::time::Duration::from_millis(1500)))
    );

    let wait = std::time::Duration::from_millis(300);
    server.inject(fake::Fault::Delay(wait));
    let started = std::time::Instant::now();
    let answer = send(&server, "POST", CHECK, Some(TOKEN), "{}").await;
    assert!(started.elapsed() >= wait, "{:?}", started.elapsed());
    assert_eq!(answer.status, 200, "the normal answer: {}", answer.json);
    assert_eq!(answer.json["oneTimeResources"][0], "myactivity.search");
}

#[tokio::test]
async fn a_delayed_canned_answer_stays_canned() {
    let server = setup().await;
    server.respond_next(200, r#"{"canned": true}"#);
    server.inject(fake::Fault::Delay(std::time::Duration::from_millis(10)));
    let answer = send(&server, "POST", CHECK, Some(TOKEN), "{}").await;
    assert_eq!(answer.json, json!({"canned": true}));
}

#[tokio::test]
async fn faults_are_used_in_order_and_can_wait_for_a_path() {
    let server = setup().await;
    server.add_job(TOKEN, "j", "IN_PROGRESS");
    server.inject_for("portabilityArchiveState", fake::Fault::Status(503));
    server.inject(fake::Fault::Status(500));
    server.inject(fake::Fault::Status(502));
    server.respond_next(200, "{}");
    assert_eq!(server.pending_faults(), 3);

    // The first fault waits for its path; the first one that applies is used.
    let answer = send(&server, "POST", CHECK, Some(TOKEN), "{}").await;
    assert_error(&answer, 500, "INTERNAL");
    let state = "/v1/archiveJobs/j/portabilityArchiveState";
    let answer = send(&server, "GET", state, Some(TOKEN), "").await;
    assert_error(&answer, 503, "UNAVAILABLE");
    let answer = send(&server, "GET", state, Some(TOKEN), "").await;
    assert_error(&answer, 502, "UNAVAILABLE");
    assert_eq!(server.pending_faults(), 0);
    // The canned answer waited behind the faults.
    let answer = send(&server, "GET", state, Some(TOKEN), "").await;
    assert_eq!(answer.json, json!({}));
    let answer = send(&server, "GET", state, Some(TOKEN), "").await;
    assert_eq!(answer.json["state"], "IN_PROGRESS");

    let faults: Vec<_> = server.requests().into_iter().map(|r| r.fault).collect();
    let expected =
        [Some(500), Some(503), Some(502), None, None].map(|code| code.map(fake::Fault::Status));
    assert_eq!(faults, expected);
}

#[tokio::test]
async fn arrival_times_are_recorded() {
    let server = setup().await;
    send(&server, "POST", CHECK, Some(TOKEN), "{}").await;
    let gap = std::time::Duration::from_millis(120);
    tokio::time::sleep(gap).await;
    server.inject(fake::Fault::Status(503));
    send(&server, "POST", CHECK, Some(TOKEN), "{}").await;
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "faulted requests are recorded too");
    let between = requests[1].at.duration_since(requests[0].at);
    assert!(between >= gap, "{between:?}");
    assert!(between < gap * 20, "{between:?}");
}

#[tokio::test]
async fn an_oversized_body_is_refused_and_recorded() {
    let server = setup().await;
    let body = "x".repeat(fake::MAX_BODY_BYTES + 1);
    let answer = send(&server, "POST", CHECK, Some(TOKEN), &body).await;
    assert_error(&answer, 400, "INVALID_ARGUMENT");
    let sent = server.last_request();
    assert!(sent.body.is_empty(), "the body is not kept");
    assert_eq!(sent.path, CHECK);
}

// ---------------------------------------------------------------------------
// The job state machine

#[tokio::test]
async fn a_job_runs_for_the_configured_polls_then_completes() {
    let server = setup_groups().await;
    let id = start(&server, &[SEARCH]).await;
    for n in 1..=fake::DEFAULT_POLLS_UNTIL_DONE {
        let answer = poll(&server, &id).await;
        assert_eq!(answer.json["state"], "IN_PROGRESS", "poll {n}");
        assert!(answer.json.get("urls").is_none(), "{}", answer.json);
    }
    let answer = poll(&server, &id).await;
    assert_eq!(answer.json["state"], "COMPLETE", "{}", answer.json);
    assert_eq!(urls(&answer).len(), fake::storage::PARTS as usize);
    assert_eq!(server.state_of(&id).as_deref(), Some("COMPLETE"));
    assert_eq!(
        poll(&server, &id).await.json["state"],
        "COMPLETE",
        "it stays"
    );

    server.set_polls_until_done(0);
    let id = start(&server, &[YOUTUBE]).await;
    assert_eq!(server.state_of(&id).as_deref(), Some("IN_PROGRESS"));
    assert_eq!(poll(&server, &id).await.json["state"], "COMPLETE");

    server.set_polls_until_done(5);
    let id = start(&server, &[HISTORY]).await;
    for _ in 0..5 {
        assert_eq!(poll(&server, &id).await.json["state"], "IN_PROGRESS");
    }
    assert_eq!(poll(&server, &id).await.json["state"], "COMPLETE");
}

#[tokio::test]
async fn polls_of_another_user_do_not_move_a_job() {
    let server = setup_groups().await;
    server.set_polls_until_done(0);
    server.add_token("other", Access::OneTime, &[SEARCH]);
    let id = start(&server, &[SEARCH]).await;
    let path = format!("/v1/archiveJobs/{id}/portabilityArchiveState");
    let answer = send(&server, "GET", &path, Some("other"), "").await;
    assert_error(&answer, 404, "NOT_FOUND");
    assert_eq!(server.state_of(&id).as_deref(), Some("IN_PROGRESS"));
}

#[tokio::test]
async fn the_next_job_with_a_group_can_be_made_to_fail() {
    let server = setup_groups().await;
    server.fail_next_job(SEARCH);
    let other = start(&server, &[HISTORY]).await;
    assert_eq!(
        poll_until_done(&server, &other).await.json["state"],
        "COMPLETE"
    );

    let id = start(&server, &[YOUTUBE, SEARCH]).await;
    let answer = poll_until_done(&server, &id).await;
    assert_eq!(answer.json["state"], "FAILED", "{}", answer.json);
    assert!(answer.json.get("urls").is_none());

    // Used up: the retry runs to COMPLETE.
    let path = format!("/v1/archiveJobs/{id}:retry");
    let answer = send(&server, "POST", &path, Some(TOKEN), "{}").await;
    let retried = answer.json["archiveJobId"]
        .as_str()
        .expect("an id")
        .to_owned();
    assert_eq!(
        poll_until_done(&server, &retried).await.json["state"],
        "COMPLETE"
    );
}

#[tokio::test]
async fn a_retry_can_fail_again_until_the_limit() {
    let server = setup_groups().await;
    server.set_polls_until_done(0);
    for _ in 0..=fake::MAX_RETRIES {
        server.fail_next_job(SEARCH);
    }
    let mut id = start(&server, &[SEARCH]).await;
    for _ in 0..fake::MAX_RETRIES {
        assert_eq!(poll(&server, &id).await.json["state"], "FAILED");
        let path = format!("/v1/archiveJobs/{id}:retry");
        let answer = send(&server, "POST", &path, Some(TOKEN), "{}").await;
        assert_eq!(answer.status, 200, "{}", answer.json);
        id = answer.json["archiveJobId"].as_str().unwrap().to_owned();
    }
    assert_eq!(poll(&server, &id).await.json["state"], "FAILED");
    let path = format!("/v1/archiveJobs/{id}:retry");
    let answer = send(&server, "POST", &path, Some(TOKEN), "{}").await;
    assert_error(&answer, 400, "FAILED_PRECONDITION");
}

#[tokio::test]
async fn a_state_set_by_the_test_is_pinned() {
    let server = setup_groups().await;
    server.set_polls_until_done(0);
    let id = start(&server, &[SEARCH]).await;
    server.set_state(&id, "IN_PROGRESS");
    for _ in 0..4 {
        assert_eq!(poll(&server, &id).await.json["state"], "IN_PROGRESS");
    }
    server.add_job(TOKEN, "added", "IN_PROGRESS");
    for _ in 0..4 {
        assert_eq!(poll(&server, "added").await.json["state"], "IN_PROGRESS");
    }
    // Cancel still works on a pinned job.
    let answer = send(
        &server,
        "POST",
        "/v1/archiveJobs/added:cancel",
        Some(TOKEN),
        "",
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.json);
    assert_eq!(server.state_of("added").as_deref(), Some("CANCELLED"));
}

#[tokio::test]
async fn export_time_is_the_initiate_time_on_the_fake_clock() {
    let server = setup_groups().await;
    let before = server.now();
    server.advance_clock(std::time::Duration::from_secs(3600));
    let id = start(&server, &[SEARCH]).await;
    let answer = poll(&server, &id).await;
    let export = unix(&answer.json["exportTime"]);
    let expected = before
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 3600;
    assert_eq!(export, expected, "{}", answer.json);
    assert_eq!(
        answer.json["exportTime"],
        fake::rfc3339(server.now()),
        "whole seconds, UTC"
    );
}

// ---------------------------------------------------------------------------
// initiate limits (R12)

#[tokio::test]
async fn an_identical_running_job_is_already_exists_with_its_id() {
    let server = setup_groups().await;
    let id = start(&server, &[SEARCH, YOUTUBE]).await;
    // The same groups in another order, repeated: still the same request.
    let again = json!({"resources": [YOUTUBE, SEARCH, YOUTUBE]});
    let answer = initiate(&server, TOKEN, again).await;
    assert_error(&answer, 409, "ALREADY_EXISTS");
    let (reason, metadata) = error_info(&answer);
    assert_eq!(reason, "ALREADY_EXISTS_ONE_TIME");
    assert_eq!(metadata["job_id"], id.as_str());

    let tb = start(&server, &[HISTORY]).await;
    let answer = initiate(&server, TOKEN, json!({"resources": [HISTORY]})).await;
    assert_error(&answer, 409, "ALREADY_EXISTS");
    let (reason, metadata) = error_info(&answer);
    assert_eq!(reason, "ALREADY_EXISTS_TIME_BASED");
    assert_eq!(metadata["job_id"], tb.as_str());

    // Another window is another request: then the one-time rule speaks.
    let windowed = json!({"resources": [SEARCH, YOUTUBE], "startTime": "2025-01-01T00:00:00Z"});
    let answer = initiate(&server, TOKEN, windowed).await;
    assert_error(&answer, 429, "RESOURCE_EXHAUSTED");
    assert_eq!(error_info(&answer).0, "RESOURCE_EXHAUSTED_ONE_TIME");
}

#[tokio::test]
async fn a_one_time_group_is_exported_once_until_reset() {
    let server = setup_groups().await;
    server.add_user_token(TOKEN, "second-token", Access::OneTime, &[SEARCH, YOUTUBE]);
    let first = start(&server, &[SEARCH]).await;
    poll_until_done(&server, &first).await;
    let second = start(&server, &[YOUTUBE]).await;
    server.set_state(&second, "CANCELLED");

    for resources in [json!([SEARCH]), json!([YOUTUBE, SEARCH])] {
        let answer = initiate(&server, TOKEN, json!({ "resources": resources })).await;
        assert_error(&answer, 429, "RESOURCE_EXHAUSTED");
        let (reason, metadata) = error_info(&answer);
        assert_eq!(reason, "RESOURCE_EXHAUSTED_ONE_TIME");
        let previous = metadata["previous_job_ids"].as_str().expect("ids");
        assert!(previous.split(',').any(|p| p == first), "{previous}");
    }
    let answer = initiate(&server, TOKEN, json!({ "resources": [YOUTUBE, SEARCH] })).await;
    let previous = error_info(&answer).1["previous_job_ids"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        previous,
        format!("{first},{second}"),
        "comma-separated, oldest first"
    );
    // The user's other token is held to the same limit.
    let answer = initiate(&server, "second-token", json!({ "resources": [SEARCH] })).await;
    assert_error(&answer, 429, "RESOURCE_EXHAUSTED");
    // Waiting does not help a one-time group.
    server.advance_clock(std::time::Duration::from_secs(30 * 24 * 3600));
    let answer = initiate(&server, TOKEN, json!({ "resources": [SEARCH] })).await;
    assert_error(&answer, 429, "RESOURCE_EXHAUSTED");

    let answer = send(&server, "POST", "/v1/authorization:reset", Some(TOKEN), "").await;
    assert_eq!(answer.status, 200);
    let answer = initiate(&server, "second-token", json!({ "resources": [SEARCH] })).await;
    assert_eq!(
        answer.status, 200,
        "reset cleared the exports: {}",
        answer.json
    );
}

#[tokio::test]
async fn a_time_based_group_rests_for_24_hours_of_fake_time() {
    let server = setup_groups().await;
    let first = start(&server, &[HISTORY]).await;
    poll_until_done(&server, &first).await;
    let initiated = server.now();
    server.advance_clock(std::time::Duration::from_secs(3600));

    let answer = initiate(&server, TOKEN, json!({ "resources": [HISTORY, BOOKMARKS] })).await;
    assert_error(&answer, 429, "RESOURCE_EXHAUSTED");
    let (reason, metadata) = error_info(&answer);
    assert_eq!(reason, "RESOURCE_EXHAUSTED_TIME_BASED");
    assert_eq!(metadata["previous_job_ids"], first.as_str());
    let after = &metadata["timestamp_after_24hrs"];
    let initiated_secs = initiated
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert_eq!(unix(after), initiated_secs + 24 * 3600, "{after}");
    let message = answer.json["error"]["message"].as_str().unwrap();
    assert!(message.contains(after.as_str().unwrap()), "{message}");

    // Another time-based group is free.
    let other = start(&server, &[BOOKMARKS]).await;
    server.set_state(&other, "COMPLETE");

    // The docs' variant: 400 FAILED_PRECONDITION, same details.
    server.set_cooldown_as_failed_precondition(true);
    let answer = initiate(&server, TOKEN, json!({ "resources": [HISTORY] })).await;
    assert_error(&answer, 400, "FAILED_PRECONDITION");
    assert_eq!(error_info(&answer).0, "RESOURCE_EXHAUSTED_TIME_BASED");
    server.set_cooldown_as_failed_precondition(false);

    // One second short of 24 hours: still resting; at 24 hours: free.
    server.advance_clock(std::time::Duration::from_secs(23 * 3600 - 1));
    let answer = initiate(&server, TOKEN, json!({ "resources": [HISTORY] })).await;
    assert_error(&answer, 429, "RESOURCE_EXHAUSTED");
    server.advance_clock(std::time::Duration::from_secs(1));
    start(&server, &[HISTORY]).await;
}

#[tokio::test]
async fn a_one_time_job_starts_no_cooldown_for_its_time_based_groups() {
    let server = setup_groups().await;
    let mixed = initiate(&server, TOKEN, json!({ "resources": [SEARCH, HISTORY] })).await;
    assert_eq!(mixed.json["accessType"], "ACCESS_TYPE_ONE_TIME");
    let answer = initiate(&server, TOKEN, json!({ "resources": [HISTORY] })).await;
    assert_eq!(answer.status, 200, "{}", answer.json);
    assert_eq!(answer.json["accessType"], "ACCESS_TYPE_TIME_BASED");
}

#[tokio::test]
async fn the_rules_apply_in_order_and_can_be_turned_off() {
    let server = setup_groups().await;
    // Running and exported: the running job is named first (409), not the 429.
    let id = start(&server, &[SEARCH]).await;
    let answer = initiate(&server, TOKEN, json!({ "resources": [SEARCH] })).await;
    assert_error(&answer, 409, "ALREADY_EXISTS");
    // A bad body or an ungranted group is refused before any limit.
    let answer = initiate(&server, TOKEN, json!({ "resources": [SEARCH], "x": 1 })).await;
    assert_error(&answer, 400, "INVALID_ARGUMENT");
    let answer = initiate(
        &server,
        TOKEN,
        json!({ "resources": [SEARCH, "maps.reviews"] }),
    )
    .await;
    assert_error(&answer, 403, "PERMISSION_DENIED");
    // Once it has ended, the one-time rule.
    server.set_state(&id, "COMPLETE");
    let answer = initiate(&server, TOKEN, json!({ "resources": [SEARCH] })).await;
    assert_error(&answer, 429, "RESOURCE_EXHAUSTED");

    server.set_export_limits(false);
    for _ in 0..3 {
        start(&server, &[SEARCH]).await;
        start(&server, &[HISTORY]).await;
    }
    server.set_export_limits(true);
    let answer = initiate(&server, TOKEN, json!({ "resources": [HISTORY] })).await;
    assert_error(&answer, 409, "ALREADY_EXISTS");
}

// ---------------------------------------------------------------------------
// Archives (R19–R21)

/// CRC-32 (IEEE), table-driven: written apart from the fake's own.
fn crc32(data: &[u8]) -> u32 {
    let table: Vec<u32> = (0..256_u32)
        .map(|n| {
            (0..8).fold(n, |c, _| {
                if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                }
            })
        })
        .collect();
    !data.iter().fold(!0_u32, |crc, &byte| {
        table[((crc ^ u32::from(byte)) & 0xFF) as usize] ^ (crc >> 8)
    })
}

/// The entries (name, content) of a ZIP file, checking its structure on
/// the way: local headers, the central directory and its end record agree,
/// every entry is stored and its CRC-32 matches its content.
fn read_zip(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
    let u32_at =
        |i: usize| u32::from_le_bytes([zip[i], zip[i + 1], zip[i + 2], zip[i + 3]]) as usize;
    assert!(zip.starts_with(b"PK\x03\x04"), "a local file header first");
    assert!(zip.len() >= 22);
    let end = zip.len() - 22;
    assert_eq!(
        &zip[end..end + 4],
        b"PK\x05\x06",
        "the end record, no comment"
    );
    let count = u16_at(end + 10);
    assert_eq!(u16_at(end + 8), count, "one disk");
    let (size, offset) = (u32_at(end + 12), u32_at(end + 16));
    assert_eq!(
        offset + size,
        end,
        "the directory ends where the end record starts"
    );
    let mut entries = Vec::new();
    let mut at = offset;
    for _ in 0..count {
        assert_eq!(
            &zip[at..at + 4],
            b"PK\x01\x02",
            "a central directory header"
        );
        assert_eq!(u16_at(at + 10), 0, "stored");
        let crc = u32_at(at + 16);
        let (packed, unpacked) = (u32_at(at + 20), u32_at(at + 24));
        assert_eq!(packed, unpacked, "stored, so no size change");
        let (name_len, extra_len, comment_len) =
            (u16_at(at + 28), u16_at(at + 30), u16_at(at + 32));
        let local = u32_at(at + 42);
        let name = &zip[at + 46..at + 46 + name_len];
        at += 46 + name_len + extra_len + comment_len;

        assert_eq!(
            &zip[local..local + 4],
            b"PK\x03\x04",
            "the local header it points at"
        );
        assert_eq!(u16_at(local + 8), 0, "stored");
        assert_eq!(u32_at(local + 14), crc);
        assert_eq!(u32_at(local + 18), packed);
        let local_name_len = u16_at(local + 26);
        let data_start = local + 30 + local_name_len + u16_at(local + 28);
        assert_eq!(&zip[local + 30..local + 30 + local_name_len], name);
        let data = &zip[data_start..data_start + packed];
        assert_eq!(
            crc32(data) as usize,
            crc,
            "CRC of {:?}",
            String::from_utf8_lossy(name)
        );
        entries.push((
            String::from_utf8(name.to_vec()).expect("a UTF-8 name"),
            data.to_vec(),
        ));
    }
    assert_eq!(at, end, "nothing between the directory and its end");
    entries
}

/// Fetches an archive URL: status, content type, and body.
async fn download(url: &str) -> (u16, String, Vec<u8>) {
    let response = reqwest::get(url).await.expect("storage answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (
        status,
        content_type,
        response.bytes().await.unwrap().to_vec(),
    )
}

/// Checks a Cloud Storage XML error and its `<Code>`.
fn assert_storage_error(answer: &(u16, String, Vec<u8>), status: u16, code: &str) {
    let text = String::from_utf8_lossy(&answer.2);
    assert_eq!(answer.0, status, "{text}");
    assert!(answer.1.starts_with("application/xml"), "{}", answer.1);
    assert!(
        text.contains(&format!("<Error><Code>{code}</Code>")),
        "{text}"
    );
}

/// A COMPLETE job of `groups` and its freshly signed URLs.
async fn completed(server: &FakeServer, groups: &[&str]) -> (String, Vec<String>) {
    server.set_polls_until_done(0);
    let id = start(server, groups).await;
    let answer = poll(server, &id).await;
    assert_eq!(answer.json["state"], "COMPLETE");
    (id, urls(&answer))
}

#[test]
fn the_test_crc_is_the_standard_one() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32(b""), 0);
}

#[tokio::test]
async fn a_complete_job_serves_valid_zip_archives() {
    let server = setup_groups().await;
    let (id, urls) = completed(&server, &[SEARCH, YOUTUBE]).await;
    assert_eq!(urls.len(), 2);
    for (n, url) in urls.iter().enumerate() {
        assert!(
            url.starts_with(server.endpoint()),
            "on the same server: {url}"
        );
        for param in ["X-Goog-Signature=", "X-Goog-Expires=21600", "X-Goog-Date="] {
            assert!(url.contains(param), "{url}");
        }
        let (status, content_type, body) = download(url).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        assert_eq!(content_type, "application/zip");
        let entries = read_zip(&body);
        let names: Vec<&str> = entries.iter().map(|(name, _)| name.as_str()).collect();
        let part = n + 1;
        assert_eq!(
            names,
            [
                format!("Portability/{SEARCH}/part-{part}.json"),
                format!("Portability/{YOUTUBE}/part-{part}.json")
            ]
        );
        for (_, content) in &entries {
            let json: Value = serde_json::from_slice(content).expect("JSON inside");
            assert_eq!(json["archiveJobId"], id.as_str());
            assert_eq!(json["part"], part);
        }
    }
    // No token needed: the signature is the credential.
    let sent = server.last_request();
    assert_eq!(sent.header("authorization"), None);
}

#[tokio::test]
async fn an_archive_url_expires_six_hours_after_signing() {
    let server = setup_groups().await;
    let (id, urls) = completed(&server, &[SEARCH]).await;
    server.advance_clock(fake::storage::URL_LIFETIME - std::time::Duration::from_secs(1));
    assert_eq!(download(&urls[0]).await.0, 200, "still valid");
    server.advance_clock(std::time::Duration::from_secs(1));
    let answer = download(&urls[0]).await;
    assert_storage_error(&answer, 400, "ExpiredToken");
    // A new poll signs new URLs.
    let fresh = self::urls(&poll(&server, &id).await);
    assert_ne!(fresh, urls);
    assert_eq!(download(&fresh[0]).await.0, 200);
}

#[tokio::test]
async fn an_edited_or_unsigned_archive_url_is_refused() {
    let server = setup_groups().await;
    let (_, urls) = completed(&server, &[SEARCH]).await;
    let url = &urls[0];
    let signature = url.split("X-Goog-Signature=").nth(1).unwrap();
    let flipped = if signature.starts_with('0') { "1" } else { "0" };
    let edits = [
        url.replace("X-Goog-Signature=", &format!("X-Goog-Signature={flipped}")),
        url.replace("X-Goog-Expires=21600", "X-Goog-Expires=604800"),
        url.replace("archive-1.zip", "archive-2.zip"),
        url.replace("dataportability-archives", "other-bucket"),
    ];
    for edited in &edits {
        assert_ne!(edited, url);
        assert_storage_error(&download(edited).await, 403, "SignatureDoesNotMatch");
    }
    let unsigned = url.split('?').next().unwrap();
    assert_storage_error(&download(unsigned).await, 403, "AccessDenied");
    // Hostile paths get an XML error, not a panic.
    for path in [
        "__storage/",
        "__storage/a/%FF/b",
        "__storage/a/%zz/b?X-Goog-Date=1&X-Goog-Expires=x&X-Goog-Signature=y",
    ] {
        let (status, content_type, _) = download(&format!("{}{path}", server.endpoint())).await;
        assert!(status == 403 || status == 404, "{path}: {status}");
        assert!(content_type.starts_with("application/xml"), "{path}");
    }
    let response = reqwest::Client::new().delete(url).send().await.unwrap();
    assert_eq!(response.status(), 405);
}

#[tokio::test]
async fn archives_are_gone_after_fourteen_days() {
    let server = setup_groups().await;
    let (id, _) = completed(&server, &[SEARCH]).await;
    server.advance_clock(fake::storage::DATA_LIFETIME - std::time::Duration::from_secs(1));
    let url = urls(&poll(&server, &id).await).remove(0);
    assert_eq!(download(&url).await.0, 200, "the last second");
    server.advance_clock(std::time::Duration::from_secs(1));
    let url = urls(&poll(&server, &id).await).remove(0);
    assert_storage_error(&download(&url).await, 404, "NoSuchKey");
}

#[tokio::test]
async fn reset_withdraws_the_archives() {
    let server = setup_groups().await;
    let (_, urls) = completed(&server, &[SEARCH]).await;
    assert_eq!(download(&urls[0]).await.0, 200);
    let answer = send(&server, "POST", "/v1/authorization:reset", Some(TOKEN), "").await;
    assert_eq!(answer.status, 200);
    assert_storage_error(&download(&urls[0]).await, 404, "NoSuchKey");
}

#[tokio::test]
async fn only_a_complete_job_has_archives() {
    let server = setup_groups().await;
    let (id, urls) = completed(&server, &[SEARCH]).await;
    server.set_state(&id, "FAILED");
    assert_storage_error(&download(&urls[0]).await, 404, "NoSuchKey");
    server.set_state(&id, "COMPLETE");
    assert_eq!(download(&urls[0]).await.0, 200);
}
