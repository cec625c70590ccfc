//! Error bodies in both of Google's forms against the fake server: the older
//! `errors[]` form of Drive, Gmail, YouTube and co. (its 403 rate limits are
//! retried, its spent quotas are not), `google.rpc` codes with and without a
//! `status`, the typed details, the response headers an error keeps, and the
//! `is_*` helpers.

mod fake;

use fake::{Access, FakeServer, JSON_CONTENT_TYPE};
use google_dataportability_v1::{
    ApiError, Client, Code, Error, ErrorItem, HttpError, RetryPolicy, StaticToken,
};
use serde_json::{Value, json};
use std::time::Duration;

const TOKEN: &str = "ya29.errors-test-token";
const GROUP: &str = "myactivity.search";
const JOB: &str = "job-1";

/// Waits of 1 ms, 2 ms, 4 ms, ...: retries cost nothing in time.
fn fast_policy() -> RetryPolicy {
    RetryPolicy::builder()
        .initial_delay(Duration::from_millis(1))
        .max_delay(Duration::from_secs(2))
        .jitter(false)
        .time_limit(None)
        .build()
        .expect("a valid policy")
}

fn client_with(server: &FakeServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .endpoint(server.endpoint())
        .token_provider(StaticToken::new(TOKEN).expect("a valid token"))
        .retry_policy(policy)
        .build()
        .expect("the client builds")
}

/// A fake with a job whose state a `GET` reads (so it succeeds once the
/// canned errors are used up), and a client that retries fast.
async fn setup() -> (FakeServer, Client) {
    let server = FakeServer::start().await;
    server.add_token(TOKEN, Access::OneTime, &[GROUP]);
    server.add_job(TOKEN, JOB, "IN_PROGRESS");
    let client = client_with(&server, fast_policy());
    (server, client)
}

/// Like [`setup`], with a client that never retries: for reading errors.
async fn setup_no_retry() -> (FakeServer, Client) {
    let (server, _) = setup().await;
    let client = client_with(&server, RetryPolicy::disabled());
    (server, client)
}

/// `getPortabilityArchiveState` of [`JOB`]: a `GET`, so retried by default.
async fn get_state(client: &Client) -> Result<(), Error> {
    client
        .archive_jobs()
        .get_portability_archive_state(format!("archiveJobs/{JOB}/portabilityArchiveState"))
        .await
        .map(drop)
}

/// An error body in the older form: `errors[]`, no `status`, no `details`.
fn classic_body(code: u16, message: &str, errors: Value) -> String {
    json!({"error": {"errors": errors, "code": code, "message": message}}).to_string()
}

/// One `errors[]` item as Drive, Gmail or YouTube send it.
fn item(domain: &str, reason: &str, message: &str) -> Value {
    json!({"domain": domain, "reason": reason, "message": message})
}

fn api(error: Error) -> ApiError {
    match error {
        Error::Api(e) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn http(error: Error) -> HttpError {
    match error {
        Error::Http(e) => e,
        other => panic!("expected Error::Http, got {other:?}"),
    }
}

/// Queues `failures` copies of a classic 403 with `reason` and returns the
/// outcome of one call and how many requests it took.
async fn call_after_403s(reason: &str, failures: usize) -> (Result<(), Error>, usize) {
    let (server, client) = setup().await;
    let body = classic_body(
        403,
        "Rate or quota",
        json!([item("usageLimits", reason, "Rate or quota")]),
    );
    for _ in 0..failures {
        server.respond_next(403, body.clone());
    }
    let result = get_state(&client).await;
    (result, server.request_count())
}

#[tokio::test]
async fn a_403_user_rate_limit_exceeded_is_retried_until_it_succeeds() {
    let (result, requests) = call_after_403s("userRateLimitExceeded", 2).await;
    result.expect("the third attempt succeeds");
    assert_eq!(requests, 3);
}

#[tokio::test]
async fn a_403_rate_limit_exceeded_is_retried_until_it_succeeds() {
    let (result, requests) = call_after_403s("rateLimitExceeded", 1).await;
    result.expect("the second attempt succeeds");
    assert_eq!(requests, 2);
}

#[tokio::test]
async fn a_403_quota_exceeded_is_final() {
    let (result, requests) = call_after_403s("quotaExceeded", 1).await;
    let error = result.expect_err("a spent quota is not retried");
    assert_eq!(requests, 1, "exactly one request");
    assert!(!error.is_retryable(), "{error:?}");
    assert_eq!(api(error).reason(), Some("quotaExceeded"));
}

#[tokio::test]
async fn a_403_daily_limit_exceeded_is_final() {
    let (result, requests) = call_after_403s("dailyLimitExceeded", 1).await;
    let error = result.expect_err("a spent daily quota is not retried");
    assert_eq!(requests, 1, "exactly one request");
    assert!(!error.is_retryable(), "{error:?}");
}

#[tokio::test]
async fn other_403s_are_final() {
    for reason in ["forbidden", "insufficientPermissions", "", "RATE_LIMIT"] {
        let (result, requests) = call_after_403s(reason, 1).await;
        let error = result.expect_err("a refusal is not retried");
        assert_eq!(requests, 1, "{reason:?}");
        assert!(!error.is_retryable(), "{reason:?}: {error:?}");
    }
    // The current form's 403, with no reason at all.
    let (server, client) = setup().await;
    server.respond_next(
        403,
        fake::error_body(403, "PERMISSION_DENIED", "No.", vec![]),
    );
    let error = get_state(&client).await.expect_err("a refusal is final");
    assert_eq!(server.request_count(), 1);
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn a_403_with_a_rate_limit_error_info_is_retried() {
    let (server, client) = setup().await;
    server.respond_next(
        403,
        fake::error_body(
            403,
            "PERMISSION_DENIED",
            "Slow down.",
            vec![fake::error_info("RATE_LIMIT_EXCEEDED", &[])],
        ),
    );
    get_state(&client)
        .await
        .expect("the second attempt succeeds");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_429_with_a_classic_rate_limit_reason_is_retried_and_a_quota_reason_is_not() {
    for (reason, retried) in [
        ("rateLimitExceeded", true),
        ("userRateLimitExceeded", true),
        ("quotaExceeded", false),
    ] {
        let (server, client) = setup().await;
        let body = classic_body(429, "Too many", json!([item("usageLimits", reason, "x")]));
        server.respond_next(429, body);
        let result = get_state(&client).await;
        assert_eq!(result.is_ok(), retried, "{reason}: {result:?}");
        assert_eq!(server.request_count(), 1 + usize::from(retried), "{reason}");
    }
    // No reason in either place: retried, as before.
    let (server, client) = setup().await;
    server.respond_next(429, classic_body(429, "Too many", json!([])));
    get_state(&client).await.expect("retried once");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn the_errors_items_are_readable_from_the_error() {
    let (server, client) = setup_no_retry().await;
    let body = classic_body(
        404,
        "File not found: 1x2y.",
        json!([
            {
                "domain": "global",
                "reason": "notFound",
                "message": "File not found: 1x2y.",
                "locationType": "parameter",
                "location": "fileId",
                "extendedHelp": "https://example.com/help",
            },
            {"domain": 7, "reason": null, "message": ["no"]},
            "not an object",
            {"reason": "second"},
        ]),
    );
    server.respond_next(404, body);
    let error = api(get_state(&client).await.expect_err("404"));
    let errors: &[ErrorItem] = error.errors();
    assert_eq!(errors.len(), 3, "{errors:?}");
    let first = &errors[0];
    assert_eq!(first.domain(), "global");
    assert_eq!(first.reason(), "notFound");
    assert_eq!(first.message(), "File not found: 1x2y.");
    assert_eq!(first.location(), "fileId");
    assert_eq!(first.location_type(), "parameter");
    // Mistyped fields read as empty; the item stays.
    let odd = &errors[1];
    assert_eq!(
        (odd.domain(), odd.reason(), odd.message(), odd.location()),
        ("", "", "", "")
    );
    assert_eq!(errors[2].reason(), "second");
    assert_eq!(error.status(), "", "the older form sends no status");
    assert_eq!(error.code(), 404);
}

#[tokio::test]
async fn an_errors_value_that_is_not_a_list_still_gives_an_api_error() {
    let (server, client) = setup_no_retry().await;
    let body = json!({"error": {"code": 400, "message": "Bad", "errors": "nope"}});
    server.respond_next(400, body.to_string());
    let error = api(get_state(&client).await.expect_err("400"));
    assert!(error.errors().is_empty());
    assert_eq!(error.reason(), None);
    assert_eq!(error.message(), "Bad");
}

#[tokio::test]
async fn reason_is_the_error_info_one_else_the_first_errors_item() {
    let (server, client) = setup_no_retry().await;
    let body = classic_body(
        403,
        "Quota",
        json!([
            item("youtube.quota", "quotaExceeded", "Quota"),
            item("global", "other", "x")
        ]),
    );
    server.respond_next(403, body);
    let error = api(get_state(&client).await.expect_err("403"));
    assert_eq!(error.reason(), Some("quotaExceeded"));
    assert_eq!(error.error_info(), None);
    let shown = error.to_string();
    assert_eq!(shown, "HTTP 403 (quotaExceeded): Quota");
    let shown = Error::Api(error).to_string();
    assert!(!shown.contains("retried"), "{shown}");

    // Both: the ErrorInfo wins.
    let body = json!({"error": {
        "code": 409,
        "message": "Exists",
        "status": "ALREADY_EXISTS",
        "errors": [item("global", "duplicate", "Exists")],
        "details": [fake::error_info("ALREADY_EXISTS_ONE_TIME", &[("job_id", "j-1")])],
    }});
    server.respond_next(409, body.to_string());
    let error = api(get_state(&client).await.expect_err("409"));
    assert_eq!(error.reason(), Some("ALREADY_EXISTS_ONE_TIME"));
    assert_eq!(error.errors()[0].reason(), "duplicate");

    // An empty ErrorInfo reason falls back too; an empty item reason is none.
    let body = json!({"error": {
        "code": 400,
        "message": "x",
        "errors": [item("global", "invalid", "x")],
        "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": ""}],
    }});
    server.respond_next(400, body.to_string());
    let error = api(get_state(&client).await.expect_err("400"));
    assert_eq!(error.reason(), Some("invalid"));
    server.respond_next(400, classic_body(400, "x", json!([item("g", "", "x")])));
    let error = api(get_state(&client).await.expect_err("400"));
    assert_eq!(error.reason(), None);
    assert_eq!(error.to_string(), "HTTP 400: x");
}

#[tokio::test]
async fn the_code_comes_from_status_else_from_the_http_status() {
    let (server, client) = setup_no_retry().await;
    let cases = [
        (404, Some("NOT_FOUND"), Code::NotFound),
        (400, Some("FAILED_PRECONDITION"), Code::FailedPrecondition),
        (409, Some("ALREADY_EXISTS"), Code::AlreadyExists),
        (
            400,
            Some("SOMETHING_NEW"),
            Code::Other("SOMETHING_NEW".into()),
        ),
        (404, None, Code::NotFound),
        (400, None, Code::InvalidArgument),
        (409, None, Code::Aborted),
        (403, None, Code::PermissionDenied),
        (429, None, Code::ResourceExhausted),
        (418, None, Code::Unknown),
    ];
    for (http_status, status, expected) in cases {
        let body = match status {
            Some(status) => fake::error_body(http_status, status, "m", vec![]),
            None => classic_body(http_status, "m", json!([item("global", "r", "m")])),
        };
        server.respond_next(http_status, body);
        let error = get_state(&client).await.expect_err("fails");
        assert_eq!(
            error.rpc_code(),
            Some(expected.clone()),
            "{http_status} {status:?}"
        );
        assert_eq!(api(error).rpc_code(), expected, "{http_status} {status:?}");
    }
    // Without an envelope, the HTTP status.
    server.respond_next_raw(404, "text/html", "<h1>Not Found</h1>");
    let error = get_state(&client).await.expect_err("404");
    assert_eq!(error.rpc_code(), Some(Code::NotFound));
    // No response, no code.
    let error = client
        .archive_jobs()
        .retry("not-a-job-name")
        .await
        .expect_err("refused before sending");
    assert_eq!(error.rpc_code(), None);
}

/// A 429 as Google's current APIs send it, with four kinds of detail.
fn quota_body() -> String {
    json!({"error": {
        "code": 429,
        "message": "Quota exceeded for quota metric 'Read requests' and limit \
                    'Read requests per minute per user' of service \
                    'dataportability.googleapis.com' for consumer 'project_number:123'.",
        "status": "RESOURCE_EXHAUSTED",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "RATE_LIMIT_EXCEEDED",
                "domain": "googleapis.com",
                "metadata": {
                    "service": "dataportability.googleapis.com",
                    "consumer": "projects/123",
                    "quota_limit_value": "60",
                    "not_text": 60,
                },
            },
            {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [{
                    "subject": "project:123",
                    "description": "Read requests per minute per user",
                }],
            },
            {
                "@type": "type.googleapis.com/google.rpc.Help",
                "links": [{
                    "description": "Request a higher quota limit.",
                    "url": "https://cloud.google.com/docs/quotas/help/request_increase",
                }],
            },
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.500s"},
        ],
    }})
    .to_string()
}

#[tokio::test]
async fn typed_details_decode_from_realistic_bodies() {
    let (server, client) = setup_no_retry().await;
    server.respond_next(429, quota_body());
    let error = api(get_state(&client).await.expect_err("429"));

    let info = error.error_info().expect("an ErrorInfo");
    assert_eq!(info.reason(), "RATE_LIMIT_EXCEEDED");
    assert_eq!(info.domain(), "googleapis.com");
    let metadata: Vec<(&str, &str)> = info
        .metadata()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        metadata,
        [
            ("consumer", "projects/123"),
            ("quota_limit_value", "60"),
            ("service", "dataportability.googleapis.com"),
        ],
        "a value that is not text is skipped"
    );

    let quota = error.quota_failure().expect("a QuotaFailure");
    assert_eq!(quota.violations().len(), 1);
    assert_eq!(quota.violations()[0].subject(), "project:123");
    assert_eq!(
        quota.violations()[0].description(),
        "Read requests per minute per user"
    );

    let help = error.help().expect("a Help");
    assert_eq!(help.links().len(), 1);
    assert_eq!(
        help.links()[0].description(),
        "Request a higher quota limit."
    );
    assert_eq!(
        help.links()[0].url(),
        "https://cloud.google.com/docs/quotas/help/request_increase"
    );

    let retry = error.retry_info().expect("a RetryInfo");
    assert_eq!(retry.retry_delay(), Some(Duration::from_millis(1500)));
    assert_eq!(error.retry_after(), Some(Duration::from_millis(1500)));
    assert_eq!(error.bad_request(), None);
    assert!(error.is_retryable());

    let body = json!({"error": {
        "code": 400,
        "message": "Request contains an invalid argument.",
        "status": "INVALID_ARGUMENT",
        "details": [{
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [
                {"field": "resources", "description": "At least one resource is required."},
                {"field": "end_time", "description": "Must be after start_time."},
            ],
        }],
    }});
    server.respond_next(400, body.to_string());
    let error = api(get_state(&client).await.expect_err("400"));
    let bad = error.bad_request().expect("a BadRequest");
    let fields: Vec<(&str, &str)> = bad
        .field_violations()
        .iter()
        .map(|v| (v.field(), v.description()))
        .collect();
    assert_eq!(
        fields,
        [
            ("resources", "At least one resource is required."),
            ("end_time", "Must be after start_time."),
        ]
    );
    assert_eq!(error.error_info(), None);
    assert_eq!(error.retry_info(), None);
    assert_eq!(error.quota_failure(), None);
    assert_eq!(error.help(), None);
}

#[tokio::test]
async fn details_with_missing_or_mistyped_fields_read_as_empty() {
    let (server, client) = setup_no_retry().await;
    let rpc = |name: &str| format!("type.googleapis.com/google.rpc.{name}");
    let body = json!({"error": {
        "code": 400,
        "message": "odd",
        "details": [
            {"@type": rpc("ErrorInfo"), "reason": 3, "metadata": []},
            {"@type": rpc("RetryInfo"), "retryDelay": "99999999999999999999s"},
            {"@type": rpc("QuotaFailure"), "violations": {"subject": "x"}},
            {"@type": rpc("BadRequest"), "fieldViolations": [1, {}, null]},
            {"@type": rpc("Help")},
            "not an object",
        ],
    }});
    server.respond_next(400, body.to_string());
    let error = api(get_state(&client).await.expect_err("400"));
    let info = error.error_info().expect("present though empty");
    assert_eq!((info.reason(), info.domain()), ("", ""));
    assert!(info.metadata().is_empty());
    assert_eq!(error.reason(), None);
    assert_eq!(error.retry_info().expect("present").retry_delay(), None);
    assert_eq!(error.retry_after(), None);
    assert!(
        error
            .quota_failure()
            .expect("present")
            .violations()
            .is_empty()
    );
    let bad = error.bad_request().expect("present");
    assert_eq!(
        bad.field_violations().len(),
        1,
        "only the object is an item"
    );
    assert_eq!(bad.field_violations()[0].field(), "");
    assert!(error.help().expect("present").links().is_empty());

    for delay in ["-1s", "1.5", "abc"] {
        let body = json!({"error": {"code": 503, "message": "m", "details": [
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": delay},
        ]}});
        server.respond_next(503, body.to_string());
        let error = api(get_state(&client).await.expect_err("503"));
        assert_eq!(error.retry_info().unwrap().retry_delay(), None, "{delay}");
    }
}

#[tokio::test]
async fn an_api_error_keeps_the_response_headers_but_no_cookie() {
    let (server, client) = setup_no_retry().await;
    server.respond_next_with_headers(
        403,
        JSON_CONTENT_TYPE,
        &[
            ("X-Goog-Request-Id", "req-8d1e"),
            ("Set-Cookie", "SID=cookie-secret-41; Secure; HttpOnly"),
            ("x-multi", "one"),
            ("x-multi", "two"),
        ],
        classic_body(403, "No", json!([item("global", "forbidden", "No")])),
    );
    let error = get_state(&client).await.expect_err("403");
    let debug = format!("{error:?}");
    let shown = error.to_string();
    let error = api(error);
    let headers = error.headers();
    assert!(
        headers.contains(&("x-goog-request-id".to_owned(), "req-8d1e".to_owned())),
        "{headers:?}"
    );
    assert!(headers.contains(&("content-type".to_owned(), JSON_CONTENT_TYPE.to_owned())));
    assert_eq!(error.header("X-GOOG-REQUEST-ID"), Some("req-8d1e"));
    assert_eq!(error.header("set-cookie"), Some("[redacted]"));
    assert_eq!(error.header("absent"), None);
    let multi: Vec<&str> = headers
        .iter()
        .filter(|(n, _)| n == "x-multi")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(multi, ["one", "two"]);
    assert!(headers.iter().all(|(n, _)| *n == n.to_ascii_lowercase()));
    for text in [&debug, &shown, &format!("{headers:?}")] {
        assert!(!text.contains("cookie-secret"), "the cookie leaked: {text}");
    }
}

#[tokio::test]
async fn an_http_error_keeps_the_response_headers_but_no_cookie() {
    let (server, client) = setup_no_retry().await;
    server.respond_next_with_headers(
        502,
        "text/html; charset=UTF-8",
        &[
            ("X-Goog-Request-Id", "req-lb-2"),
            ("set-cookie", "GCLB=lb-secret-9"),
        ],
        "<html><body>502 Bad Gateway</body></html>",
    );
    let error = get_state(&client).await.expect_err("502");
    assert!(!format!("{error:?}").contains("lb-secret"));
    let error = http(error);
    assert_eq!(error.status(), 502);
    assert_eq!(error.header("x-goog-request-id"), Some("req-lb-2"));
    assert_eq!(error.header("Set-Cookie"), Some("[redacted]"));
    assert_eq!(
        error.header("content-type"),
        Some("text/html; charset=UTF-8")
    );
    assert!(!format!("{:?}", error.headers()).contains("lb-secret"));
}

/// The names of the `is_*` helpers of `T` that hold for `value`.
macro_rules! helpers_of {
    ($type:ty, $value:expr) => {{
        let value: &$type = $value;
        let mut held = Vec::new();
        if value.is_not_found() {
            held.push("not_found");
        }
        if value.is_already_exists() {
            held.push("already_exists");
        }
        if value.is_permission_denied() {
            held.push("permission_denied");
        }
        if value.is_unauthenticated() {
            held.push("unauthenticated");
        }
        if value.is_resource_exhausted() {
            held.push("resource_exhausted");
        }
        if value.is_failed_precondition() {
            held.push("failed_precondition");
        }
        if value.is_invalid_argument() {
            held.push("invalid_argument");
        }
        held
    }};
}

/// The names of the `is_*` helpers that hold for `error`; for an
/// [`Error::Api`], also checks that its [`ApiError`] says the same.
fn helpers(error: &Error) -> Vec<&'static str> {
    let held = helpers_of!(Error, error);
    if let Error::Api(api) = error {
        assert_eq!(held, helpers_of!(ApiError, api), "{error:?}");
    }
    held
}

#[tokio::test]
async fn the_is_helpers_follow_the_code_on_api_and_http_errors() {
    let (server, client) = setup_no_retry().await;
    let current = |code, status| Some(fake::error_body(code, status, "m", vec![]));
    let classic = |code, reason| Some(classic_body(code, "m", json!([item("g", reason, "m")])));
    let cases: [(u16, Option<String>, &[&str]); 16] = [
        (404, current(404, "NOT_FOUND"), &["not_found"]),
        (409, current(409, "ALREADY_EXISTS"), &["already_exists"]),
        (409, current(409, "ABORTED"), &[]),
        (
            403,
            current(403, "PERMISSION_DENIED"),
            &["permission_denied"],
        ),
        (401, current(401, "UNAUTHENTICATED"), &["unauthenticated"]),
        (
            429,
            current(429, "RESOURCE_EXHAUSTED"),
            &["resource_exhausted"],
        ),
        (
            400,
            current(400, "FAILED_PRECONDITION"),
            &["failed_precondition"],
        ),
        (400, current(400, "INVALID_ARGUMENT"), &["invalid_argument"]),
        (400, current(400, "OUT_OF_RANGE"), &[]),
        // The older form: the HTTP status decides.
        (404, classic(404, "notFound"), &["not_found"]),
        (403, classic(403, "quotaExceeded"), &["permission_denied"]),
        // No envelope at all: the HTTP status, where it names one code.
        (404, None, &["not_found"]),
        (409, None, &[]),
        (401, None, &["unauthenticated"]),
        (400, None, &["invalid_argument"]),
        (500, None, &[]),
    ];
    for (status, body, expected) in cases {
        // A 401 makes the client send once more with a fresh token: the
        // server refuses that one too.
        let times = if status == 401 { 2 } else { 1 };
        for _ in 0..times {
            match &body {
                Some(body) => server.respond_next(status, body.clone()),
                None => server.respond_next_raw(status, "text/plain", "proxy says no"),
            }
        }
        let error = get_state(&client).await.expect_err("fails");
        assert_eq!(matches!(error, Error::Http(_)), body.is_none(), "{error:?}");
        assert_eq!(helpers(&error), expected, "{status} {body:?}");
    }
    // An error without a response is none of them, even a refused argument.
    let error = client
        .archive_jobs()
        .retry("not-a-job-name")
        .await
        .expect_err("refused before sending");
    assert!(matches!(error, Error::Binding(_)));
    assert!(helpers(&error).is_empty());
}
