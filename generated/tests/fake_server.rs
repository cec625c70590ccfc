//! The fake server on its own, spoken to with plain `reqwest`: the behaviour
//! the client tests rely on, including what the generated client never sends.

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
    for _ in 0..20 {
        let body = r#"{"resources": ["myactivity.search"]}"#;
        let answer = send(
            &server,
            "POST",
            "/v1/portabilityArchive:initiate",
            Some(TOKEN),
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
