//! The generated client against the fake server: what it sends, and how it reads what comes back.

mod fake;

use fake::{Access, FakeServer};
use google_dataportability_v1::models::InitiatePortabilityArchiveRequest;
use google_dataportability_v1::models::initiate_portability_archive_response::AccessType;
use google_dataportability_v1::models::portability_archive_state::State;
use google_dataportability_v1::params::Xgafv;
use google_dataportability_v1::prelude::*;
use google_dataportability_v1::{ApiError, Client, Error, StaticToken, Timestamp};
use serde_json::json;
use std::time::Duration;

/// The test token. Distinctive, so a leak into any output is easy to spot.
const TOKEN: &str = "ya29.SECRET-test-token-7f3a9c";

/// A one-time group and a time-based group granted to [`TOKEN`].
const ONE_TIME_GROUP: &str = "myactivity.search";
const TIME_BASED_GROUP: &str = "chrome.history";

fn client_for(server: &FakeServer, token: &str) -> Client {
    Client::builder()
        .endpoint(server.endpoint())
        .token_provider(StaticToken::new(token).expect("the test token is valid"))
        .build()
        .expect("the client builds")
}

/// A fake with [`TOKEN`] registered, and a client that uses it.
async fn setup() -> (FakeServer, Client) {
    let server = FakeServer::start().await;
    server.add_token(TOKEN, Access::OneTime, &[ONE_TIME_GROUP]);
    server.add_token(TOKEN, Access::TimeBased, &[TIME_BASED_GROUP]);
    let client = client_for(&server, TOKEN);
    (server, client)
}

/// Starts a job through the API and returns its id.
async fn start_job(client: &Client) -> String {
    let request = InitiatePortabilityArchiveRequest::new().set_resources([ONE_TIME_GROUP]);
    let response = client
        .portability_archive()
        .initiate(request)
        .await
        .expect("initiate succeeds");
    response.archive_job_id.expect("initiate returns a job id")
}

/// Checks that an error shows nothing of the token, then hands it back.
fn checked<T: std::fmt::Debug>(result: Result<T, Error>) -> Error {
    let error = result.expect_err("the call should fail");
    let display = error.to_string();
    let debug = format!("{error:?}");
    for text in [&display, &debug] {
        assert!(!text.contains(TOKEN), "the token leaked into {text:?}");
        assert!(
            !text.contains("SECRET"),
            "part of the token leaked into {text:?}"
        );
    }
    error
}

/// The [`ApiError`] of a failed call; anything else fails the test.
fn api_error<T: std::fmt::Debug>(result: Result<T, Error>) -> ApiError {
    match checked(result) {
        Error::Api(e) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn retry_of_a_failed_job_returns_the_new_job_and_sends_exactly_one_request() {
    let (server, client) = setup().await;
    let id = start_job(&client).await;
    server.set_state(&id, "FAILED");
    server.clear_requests();

    let response = client
        .archive_jobs()
        .retry(format!("archiveJobs/{id}"))
        .await
        .expect("retry succeeds");

    let new_id = response.archive_job_id.expect("retry returns a job id");
    assert_ne!(new_id, id, "a retry starts a new job");
    assert_eq!(server.state_of(&new_id).as_deref(), Some("IN_PROGRESS"));
    assert_eq!(
        server.state_of(&id).as_deref(),
        Some("FAILED"),
        "the failed job is kept"
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one call, one request: {requests:#?}");
    let sent = &requests[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, format!("/v1/archiveJobs/{id}:retry"));
    assert_eq!(sent.query, None, "no parameters were set");
    assert_eq!(sent.body_text(), "{}");
    assert_eq!(sent.header("content-type"), Some("application/json"));
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(sent.header("authorization"), Some(bearer.as_str()));
}

#[tokio::test]
async fn a_name_that_does_not_fit_its_template_fails_before_any_request() {
    let (server, client) = setup().await;
    let bad_names = [
        "jobs/1",
        "archiveJobs/a/b",
        "archiveJobs/..",
        "archiveJobs/.",
        "archiveJobs/",
        "archiveJobs",
        "/archiveJobs/a",
        "",
    ];
    for name in bad_names {
        let calls = [
            (
                "archiveJobs/*",
                checked(client.archive_jobs().retry(name).await),
            ),
            (
                "archiveJobs/*",
                checked(client.archive_jobs().cancel(name).await),
            ),
            (
                "archiveJobs/*/portabilityArchiveState",
                checked(
                    client
                        .archive_jobs()
                        .get_portability_archive_state(name)
                        .await,
                ),
            ),
        ];
        for (template, error) in calls {
            let message = error.to_string();
            let Error::Binding(binding) = &error else {
                panic!("{name:?}: expected Error::Binding, got {error:?}");
            };
            assert_eq!(binding.parameter(), "name");
            assert_eq!(binding.template(), template);
            assert_eq!(binding.value(), name);
            assert!(message.contains("`name`"), "{message}");
            assert!(message.contains(&format!("`{template}`")), "{message}");
            assert!(message.contains(&format!("{name:?}")), "{message}");
        }
    }
    // A state name is not a job name, and the other way round.
    let error = checked(
        client
            .archive_jobs()
            .retry("archiveJobs/1/portabilityArchiveState")
            .await,
    );
    assert!(matches!(error, Error::Binding(_)), "{error:?}");
    let error = checked(
        client
            .archive_jobs()
            .get_portability_archive_state("archiveJobs/1")
            .await,
    );
    assert!(matches!(error, Error::Binding(_)), "{error:?}");

    assert_eq!(server.request_count(), 0, "{:#?}", server.requests());
}

#[tokio::test]
async fn reserved_characters_in_a_name_are_percent_encoded() {
    let (server, client) = setup().await;
    server.add_job(TOKEN, "a?b#c", "FAILED");

    let response = client
        .archive_jobs()
        .retry("archiveJobs/a?b#c")
        .await
        .expect("the fake decodes the id and finds the job");
    assert!(response.archive_job_id.is_some());
    let sent = server.last_request();
    assert_eq!(sent.path, "/v1/archiveJobs/a%3Fb%23c:retry");
    assert_eq!(sent.query, None, "`?` in the id must not start a query");

    // Each id reaches the fake intact: the answer names the same job.
    let cases = [
        ("a b", "a%20b"),
        ("100%", "100%25"),
        ("x:y", "x%3Ay"),
        ("a+b", "a%2Bb"),
        ("a&b=c", "a%26b%3Dc"),
        ("é", "%C3%A9"),
        ("~._-", "~._-"),
        ("...", "..."),
    ];
    for (id, encoded) in cases {
        server.add_job(TOKEN, id, "IN_PROGRESS");
        let name = format!("archiveJobs/{id}/portabilityArchiveState");
        let state = client
            .archive_jobs()
            .get_portability_archive_state(name.clone())
            .await
            .unwrap_or_else(|e| panic!("{id:?}: {e}"));
        assert_eq!(state.name.as_deref(), Some(name.as_str()));
        assert_eq!(
            server.last_request().path,
            format!("/v1/archiveJobs/{encoded}/portabilityArchiveState")
        );
    }
}

#[tokio::test]
async fn an_error_envelope_becomes_an_api_error_with_its_error_info() {
    let (server, client) = setup().await;
    let message = "Requested resources were exported less than 24 hours ago; \
                   initiate another export after 2025-06-01T10:00:00Z.";
    server.respond_next(
        429,
        fake::error_body(
            429,
            "RESOURCE_EXHAUSTED",
            message,
            vec![fake::error_info(
                "RESOURCE_EXHAUSTED_TIME_BASED",
                &[
                    ("previous_job_ids", "id1,id2"),
                    ("timestamp_after_24hrs", "2025-06-01T10:00:00Z"),
                ],
            )],
        ),
    );
    let request = InitiatePortabilityArchiveRequest::new().set_resources([TIME_BASED_GROUP]);
    let error = api_error(client.portability_archive().initiate(request).await);

    assert_eq!(error.http_status(), 429);
    assert_eq!(error.code(), 429);
    assert_eq!(error.status(), "RESOURCE_EXHAUSTED");
    assert_eq!(error.message(), message);
    assert_eq!(error.reason(), Some("RESOURCE_EXHAUSTED_TIME_BASED"));
    assert_eq!(
        error.metadata("timestamp_after_24hrs"),
        Some("2025-06-01T10:00:00Z")
    );
    assert_eq!(error.metadata("previous_job_ids"), Some("id1,id2"));
    assert_eq!(error.metadata("absent"), None);
    assert_eq!(error.details().len(), 1);
    let shown = error.to_string();
    assert!(shown.contains("429"), "{shown}");
    assert!(shown.contains("RESOURCE_EXHAUSTED_TIME_BASED"), "{shown}");
}

#[tokio::test]
async fn an_envelope_with_extra_keys_and_other_details_still_parses() {
    let (server, client) = setup().await;
    // A legacy `errors` array, and a DebugInfo before the ErrorInfo.
    let body = json!({"error": {
        "code": 409,
        "message": "An identical job is already in progress.",
        "status": "ALREADY_EXISTS",
        "errors": [{"message": "dup", "domain": "global", "reason": "conflict"}],
        "details": [
            {"@type": "type.googleapis.com/google.rpc.DebugInfo", "detail": "x"},
            fake::error_info("ALREADY_EXISTS_ONE_TIME", &[("job_id", "j-1")]),
        ],
    }});
    server.respond_next(409, body.to_string());
    let request = InitiatePortabilityArchiveRequest::new().set_resources([ONE_TIME_GROUP]);
    let error = api_error(client.portability_archive().initiate(request).await);
    assert_eq!(error.status(), "ALREADY_EXISTS");
    assert_eq!(error.reason(), Some("ALREADY_EXISTS_ONE_TIME"));
    assert_eq!(error.metadata("job_id"), Some("j-1"));
    assert_eq!(error.details().len(), 2);
}

#[tokio::test]
async fn retry_of_a_job_that_did_not_fail_is_failed_precondition() {
    let (server, client) = setup().await;
    let id = start_job(&client).await;
    for state in ["IN_PROGRESS", "COMPLETE", "CANCELLED"] {
        server.set_state(&id, state);
        let error = api_error(
            client
                .archive_jobs()
                .retry(format!("archiveJobs/{id}"))
                .await,
        );
        assert_eq!(error.http_status(), 400, "{state}");
        assert_eq!(error.status(), "FAILED_PRECONDITION", "{state}");
        assert_eq!(
            server.state_of(&id).as_deref(),
            Some(state),
            "nothing changed"
        );
    }
}

#[tokio::test]
async fn an_unknown_job_is_not_found() {
    let (server, client) = setup().await;
    let name = "archiveJobs/no-such-job";
    let errors = [
        api_error(client.archive_jobs().retry(name).await),
        api_error(client.archive_jobs().cancel(name).await),
        api_error(
            client
                .archive_jobs()
                .get_portability_archive_state(format!("{name}/portabilityArchiveState"))
                .await,
        ),
    ];
    for error in errors {
        assert_eq!(error.http_status(), 404);
        assert_eq!(error.code(), 404);
        assert_eq!(error.status(), "NOT_FOUND");
    }

    // Another user's job is not found either.
    server.add_user_token(
        "mallory",
        "mallory-token",
        Access::OneTime,
        &[ONE_TIME_GROUP],
    );
    let id = start_job(&client).await;
    let intruder = client_for(&server, "mallory-token");
    let error = api_error(
        intruder
            .archive_jobs()
            .cancel(format!("archiveJobs/{id}"))
            .await,
    );
    assert_eq!(error.status(), "NOT_FOUND");
    assert_eq!(server.state_of(&id).as_deref(), Some("IN_PROGRESS"));
}

#[tokio::test]
async fn an_error_status_without_an_envelope_is_an_http_error() {
    let (server, client) = setup().await;
    server.respond_next_raw(
        502,
        "text/html; charset=UTF-8",
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
    );
    let error = checked(client.access_type().check().await);
    let Error::Http(http) = &error else {
        panic!("expected Error::Http, got {error:?}");
    };
    assert_eq!(http.status(), 502);
    assert!(http.body().contains("502 Bad Gateway"), "{}", http.body());
    assert!(error.to_string().contains("502"), "{error}");
}

#[tokio::test]
async fn a_success_status_with_a_body_that_is_not_the_message_is_a_decode_error() {
    let (server, client) = setup().await;
    let name = "archiveJobs/whatever";
    for body in ["<html>OK</html>", "{\"archiveJobId\": 5}", "[1, 2]"] {
        server.respond_next(200, body);
        let error = checked(client.archive_jobs().retry(name).await);
        let Error::Decode(decode) = &error else {
            panic!("{body}: expected Error::Decode, got {error:?}");
        };
        assert_eq!(decode.method(), "dataportability.archiveJobs.retry");
        assert!(
            error
                .to_string()
                .contains("dataportability.archiveJobs.retry"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn an_empty_success_body_is_an_empty_message() {
    let (server, client) = setup().await;
    let id = start_job(&client).await;
    server.respond_next(200, "");
    client
        .archive_jobs()
        .cancel(format!("archiveJobs/{id}"))
        .await
        .expect("an empty body decodes as {}");
    server.respond_next(204, "");
    client
        .authorization()
        .reset()
        .await
        .expect("204 is success too");
}

#[tokio::test]
async fn a_missing_or_unknown_token_is_unauthenticated() {
    let (server, _client) = setup().await;
    let anonymous = Client::builder()
        .endpoint(server.endpoint())
        .build()
        .expect("the client builds");
    let error = api_error(anonymous.access_type().check().await);
    assert_eq!(error.http_status(), 401);
    assert_eq!(error.status(), "UNAUTHENTICATED");
    assert_eq!(server.last_request().header("authorization"), None);

    let stranger = client_for(&server, "ya29.unknown");
    let error = api_error(stranger.access_type().check().await);
    assert_eq!(error.http_status(), 401);
    assert_eq!(error.status(), "UNAUTHENTICATED");
}

#[tokio::test]
async fn initiate_sends_resources_and_window_and_returns_the_job() {
    let (server, client) = setup().await;
    let start = Timestamp::parse("2025-01-01T00:00:00Z").unwrap();
    let end = Timestamp::parse("2025-06-30T23:59:59.5+02:00").unwrap();
    let request = InitiatePortabilityArchiveRequest::new()
        .set_resources([ONE_TIME_GROUP, TIME_BASED_GROUP])
        .set_start_time(start.clone())
        .set_end_time(end.clone());

    let response = client
        .portability_archive()
        .initiate(request)
        .await
        .expect("initiate succeeds");

    let id = response.archive_job_id.expect("a job id");
    assert!(!id.is_empty());
    // One one-time group makes the job one-time.
    assert_eq!(response.access_type, Some(AccessType::AccessTypeOneTime));
    let sent = server.last_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/portabilityArchive:initiate");
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(
        sent.body_json(),
        Some(json!({
            "resources": [ONE_TIME_GROUP, TIME_BASED_GROUP],
            "startTime": "2025-01-01T00:00:00Z",
            "endTime": "2025-06-30T23:59:59.5+02:00",
        })),
        "{}",
        sent.body_text()
    );

    // The window comes back in the job's state, as written.
    let state = client
        .archive_jobs()
        .get_portability_archive_state(format!("archiveJobs/{id}/portabilityArchiveState"))
        .await
        .expect("the state of the new job");
    assert_eq!(state.state, Some(State::InProgress));
    assert_eq!(state.urls, None, "no URLs before COMPLETE");
    assert_eq!(state.start_time, Some(start));
    assert_eq!(
        state.export_time.as_ref().map(Timestamp::as_str),
        Some(end.as_str())
    );

    // Time-based groups only: a time-based job.
    let request = InitiatePortabilityArchiveRequest::new().set_resources([TIME_BASED_GROUP]);
    let response = client
        .portability_archive()
        .initiate(request)
        .await
        .unwrap();
    assert_eq!(response.access_type, Some(AccessType::AccessTypeTimeBased));
}

#[tokio::test]
async fn initiate_of_groups_the_token_was_not_granted_is_permission_denied() {
    let (server, client) = setup().await;
    let request =
        InitiatePortabilityArchiveRequest::new().set_resources([ONE_TIME_GROUP, "youtube.music"]);
    let error = api_error(client.portability_archive().initiate(request).await);
    assert_eq!(error.http_status(), 403);
    assert_eq!(error.status(), "PERMISSION_DENIED");
    assert_eq!(
        error.message(),
        "The requested resources are not authorized by the OAuth token."
    );

    let error = api_error(
        client
            .portability_archive()
            .initiate(InitiatePortabilityArchiveRequest::new())
            .await,
    );
    assert_eq!(error.status(), "INVALID_ARGUMENT", "no resources");
    assert_eq!(server.last_request().body_text(), "{}");
}

#[tokio::test]
async fn a_complete_job_lists_its_archive_urls() {
    let (server, client) = setup().await;
    let id = start_job(&client).await;
    server.set_state(&id, "COMPLETE");
    let name = format!("archiveJobs/{id}/portabilityArchiveState");

    let state = client
        .archive_jobs()
        .get_portability_archive_state(name.clone())
        .await
        .expect("state");

    assert_eq!(state.state, Some(State::Complete));
    assert_eq!(state.name.as_deref(), Some(name.as_str()));
    let urls = state.urls.expect("urls when COMPLETE");
    assert_eq!(urls.len(), 2);
    assert!(
        urls.iter().all(|u| u.contains("X-Goog-Signature=")),
        "{urls:?}"
    );
    assert!(state.export_time.is_some());
    let sent = server.last_request();
    assert_eq!(sent.method, "GET");
    assert_eq!(sent.path, format!("/v1/{name}"));
    assert!(sent.body.is_empty(), "a GET has no body");
    assert_eq!(sent.header("content-type"), None);
}

#[tokio::test]
async fn an_unknown_state_is_kept_as_sent() {
    let (server, client) = setup().await;
    let id = start_job(&client).await;
    server.set_state(&id, "ARCHIVED");

    let response = client
        .archive_jobs()
        .get_portability_archive_state(format!("archiveJobs/{id}/portabilityArchiveState"))
        .await
        .expect("an unknown state is not an error");

    let state = response.state.clone().expect("a state");
    match &state {
        State::UnknownValue(value) => assert_eq!(value.as_str(), "ARCHIVED"),
        other => panic!("expected UnknownValue, got {other:?}"),
    }
    assert_eq!(state.as_str(), "ARCHIVED");
    assert_eq!(state.to_string(), "ARCHIVED");
    assert_eq!(State::from("ARCHIVED"), state);
    assert_eq!(
        State::from("COMPLETE"),
        State::Complete,
        "known values get their variant"
    );
    let written = serde_json::to_value(&response).unwrap();
    assert_eq!(
        written["state"], "ARCHIVED",
        "it serializes back as received"
    );
}

#[tokio::test]
async fn the_whole_lifecycle_initiate_fail_retry_complete() {
    let (server, client) = setup().await;
    let id = start_job(&client).await;
    let state_of = |id: &str| {
        let name = format!("archiveJobs/{id}/portabilityArchiveState");
        let client = client.clone();
        async move {
            client
                .archive_jobs()
                .get_portability_archive_state(name)
                .await
                .expect("state")
        }
    };
    assert_eq!(state_of(&id).await.state, Some(State::InProgress));
    server.set_state(&id, "FAILED");
    assert_eq!(state_of(&id).await.state, Some(State::Failed));
    let retried = client
        .archive_jobs()
        .retry(format!("archiveJobs/{id}"))
        .await
        .expect("retry")
        .archive_job_id
        .expect("new id");
    assert_eq!(state_of(&retried).await.state, Some(State::InProgress));
    server.set_state(&retried, "COMPLETE");
    let done = state_of(&retried).await;
    assert_eq!(done.state, Some(State::Complete));
    assert!(done.urls.is_some_and(|urls| !urls.is_empty()));
    assert_eq!(
        state_of(&id).await.state,
        Some(State::Failed),
        "the old job stays FAILED"
    );
}

#[tokio::test]
async fn cancel_stops_a_running_job_once() {
    let (server, client) = setup().await;
    let id = start_job(&client).await;
    let name = format!("archiveJobs/{id}");

    client
        .archive_jobs()
        .cancel(name.clone())
        .await
        .expect("cancel succeeds");

    assert_eq!(server.state_of(&id).as_deref(), Some("CANCELLED"));
    let sent = server.last_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, format!("/v1/archiveJobs/{id}:cancel"));
    assert_eq!(sent.body_text(), "{}");

    let error = api_error(client.archive_jobs().cancel(name).await);
    assert_eq!(error.http_status(), 400);
    assert_eq!(error.status(), "FAILED_PRECONDITION");
}

#[tokio::test]
async fn reset_revokes_the_token() {
    let (server, client) = setup().await;
    client
        .authorization()
        .reset()
        .await
        .expect("reset succeeds");

    let sent = server.last_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/authorization:reset");
    assert_eq!(sent.body_text(), "{}");
    assert!(server.is_revoked(TOKEN));

    let error = api_error(client.access_type().check().await);
    assert_eq!(error.http_status(), 401);
    assert_eq!(error.status(), "UNAUTHENTICATED");
}

#[tokio::test]
async fn check_splits_the_granted_groups_by_access_type() {
    let (server, client) = setup().await;
    let response = client.access_type().check().await.expect("check succeeds");

    assert_eq!(
        response.one_time_resources,
        Some(vec![ONE_TIME_GROUP.to_owned()])
    );
    assert_eq!(
        response.time_based_resources,
        Some(vec![TIME_BASED_GROUP.to_owned()])
    );
    let sent = server.last_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/accessType:check");
    assert_eq!(sent.body_text(), "{}");
}

#[tokio::test]
async fn standard_parameters_go_in_the_query() {
    let (server, client) = setup().await;
    let id = start_job(&client).await;
    server.set_state(&id, "FAILED");

    client
        .archive_jobs()
        .retry(format!("archiveJobs/{id}"))
        .fields("archiveJobId")
        .quota_user("u1")
        .pretty_print(false)
        .xgafv(Xgafv::V2)
        .await
        .expect("retry succeeds");

    let sent = server.last_request();
    assert_eq!(
        sent.path,
        format!("/v1/archiveJobs/{id}:retry"),
        "the query is not in the path"
    );
    let mut pairs = sent.query_pairs();
    pairs.sort();
    let expected = [
        ("$.xgafv", "2"),
        ("fields", "archiveJobId"),
        ("prettyPrint", "false"),
        ("quotaUser", "u1"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(pairs, expected, "raw query: {:?}", sent.query);

    // Values are encoded, so they cannot add parameters of their own.
    client
        .access_type()
        .check()
        .key("k 1&x=2")
        .fields("a,b/c")
        .await
        .expect("check succeeds");
    let sent = server.last_request();
    let raw = sent.query.clone().unwrap_or_default();
    assert!(!raw.contains("x=2"), "{raw}");
    let pairs = sent.query_pairs();
    assert!(
        pairs.contains(&("key".to_owned(), "k 1&x=2".to_owned())),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&("fields".to_owned(), "a,b/c".to_owned())),
        "{pairs:?}"
    );
    assert_eq!(pairs.len(), 2, "{pairs:?}");
}

#[tokio::test]
async fn the_token_never_shows_in_debug_output() {
    let (_server, client) = setup().await;
    let shown = format!("{client:?} {client:#?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(!shown.contains("SECRET"), "{shown}");

    let token = StaticToken::new(TOKEN).unwrap();
    let shown = format!("{token:?} {token:#?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");

    let builder = Client::builder().token_provider(StaticToken::new(TOKEN).unwrap());
    let shown = format!("{builder:?}");
    assert!(!shown.contains("SECRET"), "{shown}");

    // A call builder holds the client; it must not show the token either.
    let call = client.archive_jobs().retry("archiveJobs/1");
    let shown = format!("{call:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
}

#[tokio::test]
async fn an_endpoint_that_is_not_a_plain_http_url_is_a_config_error() {
    for endpoint in [
        "not a url",
        "ftp://x",
        "http://127.0.0.1:1/?a=b",
        "http://127.0.0.1:1/#top",
        "",
        "/v1/",
    ] {
        let result = Client::builder().endpoint(endpoint).build();
        let error = checked(result);
        let Error::Config(config) = &error else {
            panic!("{endpoint:?}: expected Error::Config, got {error:?}");
        };
        assert_eq!(config.setting(), "endpoint");
        assert!(
            error.to_string().contains(&format!("{endpoint:?}")),
            "{error}"
        );
    }
    for (builder, setting) in [
        (
            Client::builder().attempt_timeout(Duration::ZERO),
            "attempt_timeout",
        ),
        (
            Client::builder().total_timeout(Duration::ZERO),
            "total_timeout",
        ),
    ] {
        let error = checked(builder.build());
        assert!(
            matches!(&error, Error::Config(c) if c.setting() == setting),
            "{error:?}"
        );
    }
    let error = checked(Client::builder().max_response_bytes(0).build());
    assert!(
        matches!(&error, Error::Config(c) if c.setting() == "max_response_bytes"),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_endpoint_password_is_never_repeated_in_the_error() {
    let error = checked(
        Client::builder()
            .endpoint("http://user:hunter2@127.0.0.1/")
            .build(),
    );
    assert!(matches!(&error, Error::Config(_)), "{error:?}");
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("without credentials"), "{shown}");
    }
}

#[tokio::test]
async fn an_unparsable_endpoint_does_not_repeat_its_password() {
    let error = checked(
        Client::builder()
            .endpoint("https://u:hunter2@bad host/")
            .build(),
    );
    assert!(matches!(&error, Error::Config(_)), "{error:?}");
    assert!(!error.to_string().contains("hunter2"), "{error}");
    assert!(error.to_string().contains("<redacted>"), "{error}");
}

#[tokio::test]
async fn a_call_in_debug_output_hides_its_api_key() {
    let (_server, client) = setup().await;
    let call = client
        .archive_jobs()
        .retry("archiveJobs/1")
        .key("AIza-SECRET")
        .quota_user("u1");
    let shown = format!("{call:?}");
    assert!(!shown.contains("AIza-SECRET"), "{shown}");
    assert!(
        shown.contains("<redacted>") && shown.contains("u1"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_transport_error_does_not_repeat_the_api_key() {
    // Nothing listens on a port the OS just handed back.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .endpoint(format!("http://127.0.0.1:{port}/"))
        .build()
        .unwrap();
    let error = checked(client.access_type().check().key("MY-API-KEY").await);
    assert!(matches!(&error, Error::Transport(_)), "{error:?}");
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains("MY-API-KEY"), "{shown}");
        assert!(
            shown.contains("/v1/accessType:check"),
            "the URL is still there: {shown}"
        );
    }
}

#[tokio::test]
async fn an_endpoint_without_a_slash_or_with_a_path_is_joined_correctly() {
    let (server, _client) = setup().await;
    let bare = server.endpoint().trim_end_matches('/').to_owned();
    let client = Client::builder()
        .endpoint(bare.clone())
        .token_provider(StaticToken::new(TOKEN).unwrap())
        .build()
        .unwrap();
    assert_eq!(client.endpoint(), server.endpoint());
    client.access_type().check().await.expect("check succeeds");
    assert_eq!(server.last_request().path, "/v1/accessType:check");

    // A proxy prefix stays in front of the method path.
    let client = Client::builder()
        .endpoint(format!("{bare}/proxy"))
        .token_provider(StaticToken::new(TOKEN).unwrap())
        .build()
        .unwrap();
    let error = api_error(client.access_type().check().await);
    assert_eq!(error.status(), "NOT_FOUND", "the fake has no /proxy route");
    assert_eq!(server.last_request().path, "/proxy/v1/accessType:check");
}

#[tokio::test]
async fn a_response_over_the_limit_is_refused() {
    let (server, _client) = setup().await;
    let client = Client::builder()
        .endpoint(server.endpoint())
        .token_provider(StaticToken::new(TOKEN).unwrap())
        .max_response_bytes(16)
        .build()
        .unwrap();
    server.respond_next(
        200,
        format!("{{\"archiveJobId\": \"{}\"}}", "x".repeat(100)),
    );
    let error = checked(client.archive_jobs().retry("archiveJobs/1").await);
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 16 }),
        "{error:?}"
    );
}
