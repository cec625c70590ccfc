//! The example program's own flow (`examples/export.rs`, compiled in here)
//! against the fake: initiate, poll with backoff, retry a failed job, and
//! the signed URLs at the end, which really download.

#[path = "../examples/export.rs"]
#[allow(dead_code)] // its `main` is the example's, not the test's
mod export;
mod fake;

use export::{ExportError, ExportOptions, export};
use fake::{Access, FakeServer, Fault};
use google_dataportability_v1::{Client, Error, RetryPolicy, StaticToken};
use std::time::Duration;

const TOKEN: &str = "ya29.SECRET-export-token-93b1";
const GROUP: &str = "myactivity.search";

async fn setup() -> (FakeServer, Client) {
    let server = FakeServer::start().await;
    server.add_token(TOKEN, Access::OneTime, &[GROUP, "chrome.history"]);
    let client = Client::builder()
        .endpoint(server.endpoint())
        .token_provider(StaticToken::new(TOKEN).unwrap())
        .retry_policy(
            RetryPolicy::builder()
                .initial_delay(Duration::from_millis(5))
                .jitter(false)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    (server, client)
}

/// Polls 10 ms apart, growing to 40 ms.
fn quick_options() -> ExportOptions {
    ExportOptions {
        poll_backoff: RetryPolicy::builder()
            .initial_delay(Duration::from_millis(10))
            .max_delay(Duration::from_millis(40))
            .jitter(false)
            .build()
            .unwrap(),
        max_polls: 20,
        max_job_retries: 3,
    }
}

/// `(verb, path)` of every request to the API (not to storage).
fn api_calls(server: &FakeServer) -> Vec<(String, String)> {
    server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/v1/"))
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect()
}

#[tokio::test]
async fn a_job_that_fails_once_is_retried_and_its_archive_downloads() {
    let (server, client) = setup().await;
    server.set_polls_until_done(2);
    server.fail_next_job(GROUP);
    let done = export(&client, &[GROUP.to_owned()], &quick_options())
        .await
        .expect("the export completes on the retry");
    assert_eq!(done.retries, 1);
    assert!(!done.urls.is_empty(), "a complete job lists its files");

    let calls = api_calls(&server);
    let first = calls
        .iter()
        .find_map(|(_, p)| p.strip_prefix("/v1/archiveJobs/"))
        .and_then(|rest| rest.split('/').next())
        .expect("the first job was polled")
        .to_owned();
    assert_ne!(first, done.job_id, "the retry made a new job");
    let state_of = |id: &str| {
        (
            "GET".to_owned(),
            format!("/v1/archiveJobs/{id}/portabilityArchiveState"),
        )
    };
    let expected: Vec<(String, String)> = [
        (
            "POST".to_owned(),
            "/v1/portabilityArchive:initiate".to_owned(),
        ),
        state_of(&first),
        state_of(&first),
        state_of(&first),
        ("POST".to_owned(), format!("/v1/archiveJobs/{first}:retry")),
        state_of(&done.job_id),
        state_of(&done.job_id),
        state_of(&done.job_id),
    ]
    .into();
    assert_eq!(calls, expected);

    // The polls wait as the backoff says: 10 ms, then 20 ms.
    let polls: Vec<_> = server
        .requests()
        .iter()
        .filter(|r| {
            r.path
                .ends_with(&format!("{first}/portabilityArchiveState"))
        })
        .map(|r| r.at)
        .collect();
    assert!(polls[1] - polls[0] >= Duration::from_millis(10));
    assert!(polls[2] - polls[1] >= Duration::from_millis(20));

    for url in &done.urls {
        let response = reqwest::get(url).await.expect("storage answers");
        assert_eq!(response.status(), 200, "{url}");
        let bytes = response.bytes().await.unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"), "a ZIP archive");
    }
}

#[tokio::test]
async fn a_job_that_keeps_failing_ends_after_the_retry_limit() {
    let (server, client) = setup().await;
    server.set_polls_until_done(0);
    for _ in 0..4 {
        server.fail_next_job(GROUP);
    }
    let options = ExportOptions {
        max_job_retries: 2,
        ..quick_options()
    };
    let error = export(&client, &[GROUP.to_owned()], &options)
        .await
        .expect_err("every job fails");
    let ExportError::Failed { retries, .. } = &error else {
        panic!("expected Failed, got {error:?}")
    };
    assert_eq!(*retries, 2);
    let retries_sent = api_calls(&server)
        .iter()
        .filter(|(_, p)| p.ends_with(":retry"))
        .count();
    assert_eq!(retries_sent, 2);
}

#[tokio::test]
async fn a_cancelled_job_ends_the_export() {
    let (server, client) = setup().await;
    server.set_polls_until_done(1_000);
    let flow = tokio::spawn({
        let client = client.clone();
        async move { export(&client, &[GROUP.to_owned()], &quick_options()).await }
    });
    // Cancel the job once it exists, through the API.
    let job = loop {
        let started = server
            .requests()
            .iter()
            .find_map(|r| r.path.strip_prefix("/v1/archiveJobs/").map(str::to_owned));
        if let Some(rest) = started {
            break rest.split('/').next().unwrap().to_owned();
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    client
        .archive_jobs()
        .cancel(format!("archiveJobs/{job}"))
        .await
        .expect("a running job can be cancelled");
    let error = flow.await.unwrap().expect_err("the job was cancelled");
    assert!(
        matches!(&error, ExportError::Cancelled { job_id } if *job_id == job),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_export_already_running_is_followed_not_failed() {
    let (server, client) = setup().await;
    server.set_polls_until_done(1);
    // The first initiate's answer is lost on the way back: the job exists.
    server.inject_for(":initiate", Fault::TruncatedBody);
    let lost = client
        .portability_archive()
        .initiate(
            google_dataportability_v1::models::InitiatePortabilityArchiveRequest::new()
                .set_resources([GROUP]),
        )
        .await
        .expect_err("the answer was cut off");
    assert!(matches!(lost, Error::Transport(_)), "{lost:?}");
    // The example's initiate gets 409 ALREADY_EXISTS and follows that job.
    let done = export(&client, &[GROUP.to_owned()], &quick_options())
        .await
        .expect("the running job completes");
    assert_eq!(done.retries, 0);
    let initiates = api_calls(&server)
        .iter()
        .filter(|(_, p)| p.ends_with(":initiate"))
        .count();
    assert_eq!(initiates, 2);
}

#[tokio::test]
async fn transient_failures_while_polling_are_retried_by_the_client() {
    let (server, client) = setup().await;
    server.set_polls_until_done(1);
    server.inject_for("portabilityArchiveState", Fault::Status(503));
    server.inject_for("portabilityArchiveState", Fault::ConnectionReset);
    let done = export(&client, &[GROUP.to_owned()], &quick_options())
        .await
        .expect("the blips are absorbed");
    assert_eq!(done.retries, 0);
    assert!(!done.urls.is_empty());
}

#[tokio::test]
async fn a_token_without_the_group_is_permission_denied() {
    let (_server, client) = setup().await;
    let error = export(&client, &["youtube.channel".to_owned()], &quick_options())
        .await
        .expect_err("the group was not granted");
    let ExportError::Api(Error::Api(api)) = &error else {
        panic!("expected the service's refusal, got {error:?}")
    };
    assert_eq!(api.http_status(), 403);
    assert_eq!(api.status(), "PERMISSION_DENIED");
}
