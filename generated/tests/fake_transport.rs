//! Faking the API in an application's own tests, the way this crate's users
//! do it: `fake::FakeTransport` (feature `fake`) behind the client, canned
//! answers by method id or path, and the requests it got checked afterwards;
//! a logging layer written on the same `Transport` seam; and what the client
//! adds to every request (quota project, API key, a fresh token after 401).

use google_dataportability_v1::fake::FakeTransport;
use google_dataportability_v1::prelude::*;
use google_dataportability_v1::{
    AccessToken, BoxFuture, Client, Error, HttpRequest, HttpResponse, RetryPolicy, Scope,
    StaticToken, TokenError, TokenProvider, Transport, TransportError, TransportErrorKind,
};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const RETRY: &str = "dataportability.archiveJobs.retry";

fn client(fake: &FakeTransport) -> Client {
    Client::builder()
        .transport(fake.clone())
        .token_provider(StaticToken::new("test-token").unwrap())
        .retry_policy(
            RetryPolicy::builder()
                .initial_delay(std::time::Duration::from_millis(1))
                .max_attempts(3)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn canned_json_by_method_id_and_the_requests_it_recorded() {
    let fake = FakeTransport::new();
    fake.on(RETRY).json(200, json!({"archiveJobId": "456"}));

    let retried = client(&fake)
        .archive_jobs()
        .retry("archiveJobs/123")
        .await
        .unwrap();
    assert_eq!(retried.archive_job_id.as_deref(), Some("456"));

    let sent = fake.requests_for(RETRY);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method(), "POST");
    assert_eq!(sent[0].path(), "/v1/archiveJobs/123:retry");
    assert_eq!(sent[0].header("authorization"), Some("Bearer test-token"));
    // What a test prints of a request hides the token.
    assert!(!format!("{:?}", sent[0]).contains("test-token"));
}

#[tokio::test]
async fn errors_and_network_failures_go_through_the_clients_retries() {
    let fake = FakeTransport::new();
    fake.on_path("POST", "/v1/archiveJobs/1:retry")
        .fail(TransportErrorKind::Connection, "connection reset")
        .error(503, "UNAVAILABLE", "try later")
        .json(200, json!({"archiveJobId": "2"}));
    let retried = client(&fake)
        .archive_jobs()
        .retry("archiveJobs/1")
        .idempotent(true)
        .await
        .unwrap();
    assert_eq!(retried.archive_job_id.as_deref(), Some("2"));
    assert_eq!(fake.requests().len(), 3, "two failures, then the answer");

    // A refusal is the API's error, as the service would give it.
    fake.on(RETRY).error(404, "NOT_FOUND", "no such job");
    let Err(Error::Api(error)) = client(&fake).archive_jobs().retry("archiveJobs/9").await else {
        panic!("expected the API's error");
    };
    assert_eq!((error.http_status(), error.message()), (404, "no such job"));
    assert!(Error::Api(error).is_not_found());
}

#[tokio::test]
async fn a_request_nothing_answers_is_a_404_that_names_it() {
    let fake = FakeTransport::new();
    let error = client(&fake)
        .archive_jobs()
        .retry("archiveJobs/7")
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("dataportability.archiveJobs.retry (POST /v1/archiveJobs/7:retry)"),
        "{text}"
    );
}

/// A logging layer on the transport seam: what an application writes to
/// see (or record) every exchange, around any other transport.
struct Logged {
    inner: Arc<dyn Transport>,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Transport for Logged {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let line = format!("{} {}", request.method(), request.url());
            let response = self.inner.send(request).await;
            let status = response.as_ref().map_or(0, |r| r.status());
            self.lines
                .lock()
                .unwrap()
                .push(format!("{line} -> {status}"));
            response
        })
    }
}

#[tokio::test]
async fn a_logging_layer_wraps_any_transport() {
    let fake = FakeTransport::new();
    fake.on(RETRY).json(200, json!({"archiveJobId": "5"}));
    let lines = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder()
        .transport(Logged {
            inner: Arc::new(fake.clone()),
            lines: lines.clone(),
        })
        .build()
        .unwrap();
    client.archive_jobs().retry("archiveJobs/4").await.unwrap();
    assert_eq!(
        *lines.lock().unwrap(),
        ["POST https://dataportability.googleapis.com/v1/archiveJobs/4:retry -> 200"]
    );
}

/// A provider that hands out numbered tokens and counts invalidations.
#[derive(Default)]
struct Rotating {
    issued: AtomicUsize,
    invalidated: Mutex<Vec<String>>,
}

impl TokenProvider for Rotating {
    fn token<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        assert_eq!(scopes, Scope::URLS, "the method's scopes, as URLs");
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let token = AccessToken::new(format!("token-{n}")).map(|t| t.with_quota_project("billed"));
        Box::pin(std::future::ready(token))
    }

    fn invalidate(&self, token: &AccessToken) {
        self.invalidated
            .lock()
            .unwrap()
            .push(token.secret().to_owned());
    }
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_sends_again_whatever_the_verb() {
    let fake = FakeTransport::new();
    fake.on(RETRY)
        .error(401, "UNAUTHENTICATED", "token expired")
        .json(200, json!({"archiveJobId": "8"}));
    let provider = Arc::new(Rotating::default());
    let client = Client::builder()
        .transport(fake.clone())
        .token_provider(provider.clone())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    // A POST, not retried by default: the 401 is not a retry but a refresh.
    let retried = client.archive_jobs().retry("archiveJobs/3").await.unwrap();
    assert_eq!(retried.archive_job_id.as_deref(), Some("8"));
    let sent = fake.requests();
    let tokens: Vec<_> = sent.iter().map(|r| r.header("authorization")).collect();
    assert_eq!(tokens, [Some("Bearer token-1"), Some("Bearer token-2")]);
    assert_eq!(*provider.invalidated.lock().unwrap(), ["token-1"]);
    // The token's quota project travels with it.
    assert_eq!(sent[1].header("x-goog-user-project"), Some("billed"));

    // Only once: a second 401 is the call's error.
    fake.on(RETRY).error(401, "UNAUTHENTICATED", "revoked");
    let error = client
        .archive_jobs()
        .retry("archiveJobs/3")
        .await
        .unwrap_err();
    assert_eq!(error.http_status(), Some(401));
    assert_eq!(fake.requests().len(), 4);
}

#[tokio::test]
async fn the_clients_quota_project_and_api_key_go_on_every_call() {
    let fake = FakeTransport::new();
    fake.on(RETRY).json(200, json!({}));
    let client = Client::builder()
        .transport(fake.clone())
        .token_provider(Rotating::default())
        .quota_project("my-project")
        .api_key("AIza-secret-key")
        .build()
        .unwrap();
    client.archive_jobs().retry("archiveJobs/1").await.unwrap();
    let sent = &fake.requests()[0];
    // The client's project wins over the token's.
    assert_eq!(sent.header("x-goog-user-project"), Some("my-project"));
    assert_eq!(sent.header("x-goog-api-key"), Some("AIza-secret-key"));
    assert!(!format!("{sent:?}").contains("AIza-secret-key"));
    assert!(!format!("{client:?}").contains("AIza-secret-key"));

    // A key that cannot be a header value is refused, without repeating it.
    let error = Client::builder()
        .api_key("bad key\n")
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("api_key") && !error.contains("bad key"),
        "{error}"
    );
}
