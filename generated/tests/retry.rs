//! Retries and timeouts against the fake server's injected faults: every
//! fault ends in the documented outcome, after the attempts and waits the
//! policy allows, with no panic.
//!
//! Delays are small and exact (jitter off), and the fake records when each
//! request arrived, so the waits the client took are measured, not assumed.

mod fake;

use fake::{Access, FakeServer, Fault};
use google_dataportability_v1::models::InitiatePortabilityArchiveRequest;
use google_dataportability_v1::prelude::*;
use google_dataportability_v1::{Client, Error, RetryPolicy, StaticToken, TimeoutKind};
use std::time::{Duration, SystemTime};

const TOKEN: &str = "ya29.SECRET-retry-token-51c0";
const GROUP: &str = "myactivity.search";
/// The group `initiate` asks for: another than [`JOB`]'s, so no 409.
const NEW_GROUP: &str = "myactivity.youtube";
const JOB: &str = "job-7";

/// Exact waits of 50 ms, 100 ms, 200 ms, ...; 5 attempts, no time limit.
fn fast_policy() -> RetryPolicy {
    RetryPolicy::builder()
        .initial_delay(Duration::from_millis(50))
        .max_delay(Duration::from_secs(3))
        .multiplier(2.0)
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

/// A fake with a running job, and a client with [`fast_policy`].
async fn setup() -> (FakeServer, Client) {
    let server = FakeServer::start().await;
    server.add_token(TOKEN, Access::OneTime, &[GROUP, NEW_GROUP]);
    server.add_job(TOKEN, JOB, "IN_PROGRESS");
    let client = client_with(&server, fast_policy());
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

/// `initiate`: a `POST`, so not retried unless the call says it may be.
fn initiate(
    client: &Client,
) -> google_dataportability_v1::resources::portability_archive::Initiate {
    client
        .portability_archive()
        .initiate(InitiatePortabilityArchiveRequest::new().set_resources([NEW_GROUP]))
}

/// The gaps between the arrivals of the recorded requests.
fn gaps(server: &FakeServer) -> Vec<Duration> {
    let times: Vec<_> = server.requests().iter().map(|r| r.at).collect();
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

fn assert_at_least(gaps: &[Duration], expected: &[u64]) {
    assert_eq!(gaps.len(), expected.len(), "gaps {gaps:?}");
    for (gap, ms) in gaps.iter().zip(expected) {
        assert!(
            *gap >= Duration::from_millis(*ms),
            "a wait of {gap:?} is shorter than the policy's {ms} ms (gaps {gaps:?})"
        );
    }
}

#[tokio::test]
async fn a_get_is_retried_on_503_and_500_with_exponential_waits() {
    let (server, client) = setup().await;
    server.inject(Fault::Status(503));
    server.inject(Fault::Status(500));
    get_state(&client)
        .await
        .expect("the third attempt succeeds");
    assert_eq!(server.request_count(), 3);
    assert_at_least(&gaps(&server), &[50, 100]);
}

#[tokio::test]
async fn the_attempt_limit_returns_the_last_error() {
    let (server, _) = setup().await;
    let policy = RetryPolicy::builder()
        .max_attempts(3)
        .initial_delay(Duration::from_millis(10))
        .jitter(false)
        .build()
        .unwrap();
    let client = client_with(&server, policy);
    for _ in 0..5 {
        server.inject(Fault::Status(503));
    }
    let error = get_state(&client).await.expect_err("every attempt fails");
    assert_eq!(server.request_count(), 3);
    assert_eq!(error.http_status(), Some(503));
    assert!(error.is_retryable(), "{error:?}");
    let Error::Api(api) = &error else {
        panic!("expected the service's envelope, got {error:?}")
    };
    assert_eq!(api.status(), "UNAVAILABLE");
}

#[tokio::test]
async fn a_post_is_not_retried_unless_the_call_opts_in() {
    let (server, client) = setup().await;
    server.inject(Fault::Status(503));
    let error = initiate(&client).await.expect_err("no retry for a POST");
    assert_eq!(error.http_status(), Some(503));
    assert_eq!(
        server.request_count(),
        1,
        "a POST must not be sent twice by default"
    );

    server.clear_requests();
    server.inject(Fault::Status(503));
    let response = initiate(&client)
        .idempotent(true)
        .await
        .expect("the opted-in retry succeeds");
    assert!(response.archive_job_id.is_some());
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_get_can_opt_out_of_retries() {
    let (server, client) = setup().await;
    server.inject(Fault::Status(503));
    let error = client
        .archive_jobs()
        .get_portability_archive_state(format!("archiveJobs/{JOB}/portabilityArchiveState"))
        .idempotent(false)
        .await
        .expect_err("no retry");
    assert_eq!(error.http_status(), Some(503));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_non_retryable_error_is_returned_at_once() {
    let (server, client) = setup().await;
    let error = client
        .archive_jobs()
        .get_portability_archive_state("archiveJobs/no-such-job/portabilityArchiveState")
        .await
        .expect_err("an unknown job");
    assert_eq!(error.http_status(), Some(404));
    assert!(!error.is_retryable());
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn retry_after_in_seconds_is_waited_for() {
    let (server, client) = setup().await;
    server.inject(Fault::TooManyRequests {
        retry_after: Some("1".to_owned()),
    });
    get_state(&client).await.expect("the retry succeeds");
    assert_eq!(server.request_count(), 2);
    // The policy alone would have waited 50 ms.
    assert_at_least(&gaps(&server), &[1000]);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_waited_for() {
    let (server, client) = setup().await;
    // Three seconds ahead, at the header's one-second precision: at least
    // 1 s after the first attempt even if that one was slow to arrive.
    let at = SystemTime::now() + Duration::from_secs(3);
    server.inject(Fault::TooManyRequests {
        retry_after: Some(http_date(at)),
    });
    get_state(&client).await.expect("the retry succeeds");
    assert_at_least(&gaps(&server), &[1000]);
}

#[tokio::test]
async fn a_retry_after_beyond_the_longest_wait_ends_the_retries() {
    let (server, client) = setup().await;
    server.inject(Fault::TooManyRequests {
        retry_after: Some("120".to_owned()),
    });
    let error = get_state(&client).await.expect_err("no two-minute wait");
    assert_eq!(server.request_count(), 1);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert!(
        error.to_string().contains("retry after 120s"),
        "the message says when to come back: {error}"
    );
}

#[tokio::test]
async fn a_429_for_a_spent_allowance_is_final() {
    let (server, client) = setup().await;
    let body = fake::error_body(
        429,
        "RESOURCE_EXHAUSTED",
        "Requested resources have already been exported.",
        vec![fake::error_info(
            "RESOURCE_EXHAUSTED_ONE_TIME",
            &[("previous_job_ids", "a,b")],
        )],
    );
    server.respond_next(429, body);
    let error = get_state(&client).await.expect_err("the canned 429");
    assert_eq!(server.request_count(), 1, "waiting cannot help");
    assert!(!error.is_retryable());
    let text = error.to_string();
    for part in [
        "429",
        "RESOURCE_EXHAUSTED",
        "RESOURCE_EXHAUSTED_ONE_TIME",
        "previous_job_ids=a,b",
    ] {
        assert!(text.contains(part), "{part:?} missing from {text:?}");
    }
}

#[tokio::test]
async fn a_rate_limit_429_without_retry_after_is_retried() {
    let (server, client) = setup().await;
    server.inject(Fault::TooManyRequests { retry_after: None });
    get_state(&client).await.expect("the retry succeeds");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_reset_connection_is_retried_for_a_get_only() {
    let (server, client) = setup().await;
    server.inject(Fault::ConnectionReset);
    get_state(&client).await.expect("the retry succeeds");
    assert_eq!(server.request_count(), 2);

    server.clear_requests();
    server.inject(Fault::ConnectionReset);
    let error = initiate(&client).await.expect_err("no retry for a POST");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.is_retryable(), "the caller may decide to retry");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_body_cut_off_on_the_wire_is_a_transport_error() {
    let (server, _) = setup().await;
    let client = client_with(&server, RetryPolicy::disabled());
    server.inject(Fault::TruncatedBody);
    let error = get_state(&client)
        .await
        .expect_err("the body is incomplete");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_truncated_json_body_is_a_decode_error_and_not_retried() {
    let (server, client) = setup().await;
    server.respond_next(200, r#"{"name": "archiveJobs/job-7/portabilityArch"#);
    let error = get_state(&client).await.expect_err("cut-off JSON");
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert_eq!(
        decode.method(),
        "dataportability.archiveJobs.getPortabilityArchiveState"
    );
    assert!(!error.is_retryable());
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_decode_error() {
    let (server, client) = setup().await;
    server.inject(Fault::NonJson);
    let error = get_state(&client)
        .await
        .expect_err("HTML is not the message");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_slow_server_is_an_attempt_timeout() {
    let (server, _) = setup().await;
    let client = client_with(&server, RetryPolicy::disabled());
    server.inject(Fault::Delay(Duration::from_secs(5)));
    let error = client
        .archive_jobs()
        .get_portability_archive_state(format!("archiveJobs/{JOB}/portabilityArchiveState"))
        .attempt_timeout(Duration::from_millis(200))
        .await
        .expect_err("the server is slower than the timeout");
    let Error::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}")
    };
    assert_eq!(timeout.kind(), TimeoutKind::Attempt);
    assert_eq!(timeout.after(), Duration::from_millis(200));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_timed_out_attempt_of_a_get_is_retried() {
    let (server, client) = setup().await;
    server.inject(Fault::Delay(Duration::from_secs(10)));
    client
        .archive_jobs()
        .get_portability_archive_state(format!("archiveJobs/{JOB}/portabilityArchiveState"))
        .attempt_timeout(Duration::from_secs(1))
        .await
        .expect("the second attempt is fast");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn the_total_timeout_covers_attempts_and_waits() {
    let (server, _) = setup().await;
    // Waits of 300 ms, then 6 s: the 2 s total ends during the second.
    let policy = RetryPolicy::builder()
        .initial_delay(Duration::from_millis(300))
        .multiplier(20.0)
        .max_delay(Duration::from_secs(10))
        .jitter(false)
        .time_limit(None)
        .build()
        .unwrap();
    let client = Client::builder()
        .endpoint(server.endpoint())
        .token_provider(StaticToken::new(TOKEN).unwrap())
        .retry_policy(policy)
        .total_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    for _ in 0..5 {
        server.inject(Fault::Status(503));
    }
    let error = get_state(&client).await.expect_err("out of time");
    let Error::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}")
    };
    assert_eq!(timeout.kind(), TimeoutKind::Total);
    assert_eq!(timeout.attempts(), 2);
    assert_eq!(server.request_count(), 2);
    assert!(!error.is_retryable());
    // What went wrong before time ran out is not lost.
    let last = timeout.last_error().expect("the last attempt's error");
    assert!(
        last.contains("503") && last.contains("UNAVAILABLE"),
        "{last}"
    );
    assert!(error.to_string().contains("UNAVAILABLE"), "{error}");
}

#[tokio::test]
async fn the_policy_time_limit_stops_retrying() {
    let (server, _) = setup().await;
    // Waits of 100 ms, then 2 s: the second would end past the 1 s limit.
    let policy = RetryPolicy::builder()
        .initial_delay(Duration::from_millis(100))
        .multiplier(20.0)
        .max_delay(Duration::from_secs(10))
        .jitter(false)
        .time_limit(Some(Duration::from_secs(1)))
        .build()
        .unwrap();
    let client = client_with(&server, policy);
    for _ in 0..5 {
        server.inject(Fault::Status(503));
    }
    let error = get_state(&client).await.expect_err("the limit is reached");
    assert_eq!(server.request_count(), 2);
    assert_eq!(error.http_status(), Some(503));
}

#[tokio::test]
async fn a_call_policy_replaces_the_client_policy() {
    let (server, _) = setup().await;
    let client = client_with(&server, RetryPolicy::disabled());
    server.inject(Fault::Status(503));
    client
        .archive_jobs()
        .get_portability_archive_state(format!("archiveJobs/{JOB}/portabilityArchiveState"))
        .retry_policy(fast_policy())
        .await
        .expect("the call's own policy retries");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn dropping_the_call_cancels_its_retries() {
    let (server, _) = setup().await;
    let policy = RetryPolicy::builder()
        .initial_delay(Duration::from_millis(300))
        .jitter(false)
        .build()
        .unwrap();
    let client = client_with(&server, policy);
    for _ in 0..5 {
        server.inject(Fault::Status(503));
    }
    let call = get_state(&client);
    // Drive the call until its first attempt has reached the server, then
    // drop it while it waits to retry.
    let first_attempt_seen = async {
        while server.request_count() == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    tokio::select! {
        outcome = call => panic!("the call ended early: {outcome:?}"),
        () = first_attempt_seen => {}
    }
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(
        server.request_count(),
        1,
        "a dropped call must not send anything more"
    );
}

#[tokio::test]
async fn zero_timeouts_on_a_call_are_config_errors_and_nothing_is_sent() {
    let (server, client) = setup().await;
    let error = initiate(&client)
        .attempt_timeout(Duration::ZERO)
        .await
        .expect_err("a zero timeout");
    assert!(
        matches!(&error, Error::Config(c) if c.setting() == "attempt_timeout"),
        "{error:?}"
    );
    let error = initiate(&client)
        .total_timeout(Duration::ZERO)
        .await
        .expect_err("a zero timeout");
    assert!(
        matches!(&error, Error::Config(c) if c.setting() == "total_timeout"),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn a_call_total_timeout_replaces_the_client_one() {
    let (server, client) = setup().await;
    server.inject(Fault::Delay(Duration::from_secs(10)));
    let error = client
        .archive_jobs()
        .get_portability_archive_state(format!("archiveJobs/{JOB}/portabilityArchiveState"))
        .total_timeout(Duration::from_millis(300))
        .await
        .expect_err("the call has 300 ms");
    assert!(
        matches!(&error, Error::Timeout(t) if t.kind() == TimeoutKind::Total),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_5xx_without_an_envelope_is_retried_and_said_to_be_retryable() {
    let (server, client) = setup().await;
    server.respond_next_raw(502, "text/html", "<html>Bad Gateway</html>");
    get_state(&client).await.expect("the retry succeeds");
    assert_eq!(server.request_count(), 2);

    let single = client_with(&server, RetryPolicy::disabled());
    for status in [408, 502, 504] {
        server.respond_next_raw(status, "text/plain", "try again");
        let error = get_state(&single).await.expect_err("the canned status");
        assert!(matches!(error, Error::Http(_)), "{error:?}");
        assert!(error.is_retryable(), "{status}");
        assert!(
            error.to_string().contains("may succeed if retried"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn retry_info_in_the_envelope_sets_the_wait() {
    let (server, client) = setup().await;
    let detail = serde_json::json!({
        "@type": "type.googleapis.com/google.rpc.RetryInfo",
        "retryDelay": "1.2s",
    });
    server.respond_next(
        503,
        fake::error_body(503, "UNAVAILABLE", "Busy.", vec![detail]),
    );
    get_state(&client).await.expect("the retry succeeds");
    assert_at_least(&gaps(&server), &[1200]);
}

#[tokio::test]
async fn hostile_retry_after_values_neither_panic_nor_stall() {
    let (server, client) = setup().await;
    // Far too long to wait for: returned at once, with the wait it asked.
    server.inject(Fault::TooManyRequests {
        retry_after: Some("9".repeat(40)),
    });
    let error = get_state(&client).await.expect_err("no endless wait");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(u64::MAX)));
    assert_eq!(server.request_count(), 1);
    // Unreadable or past: ignored, so the policy's own wait applies.
    for value in [
        "-1",
        "1.5",
        "soon",
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 99 Nov 1994 08:49:37 GMT",
    ] {
        server.clear_requests();
        server.inject(Fault::TooManyRequests {
            retry_after: Some(value.to_owned()),
        });
        get_state(&client).await.expect("the retry succeeds");
        assert_eq!(server.request_count(), 2, "{value}");
    }
}

/// `at` as an IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(at: SystemTime) -> String {
    let seconds = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let stamp = google_dataportability_v1::Timestamp::from_unix(seconds as i64, 0).unwrap();
    // "2026-11-29T12:00:00Z" → its parts.
    let text = stamp.as_str();
    let (year, month, day) = (&text[0..4], &text[5..7], &text[8..10]);
    let time = &text[11..19];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS[month.parse::<usize>().unwrap() - 1];
    let days = seconds / 86_400;
    // 1970-01-01 was a Thursday.
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let weekday = WEEKDAYS[(days % 7) as usize];
    format!("{weekday}, {day} {month} {year} {time} GMT")
}
