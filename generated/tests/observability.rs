//! What the client tells `tracing`: a span per call and per attempt with the
//! method id, attempt number, status and duration, an event per retry, and
//! never the token or the request body.
//!
//! A small subscriber here writes every span, recorded field and event, from
//! every crate, as a line of text, so the test sees all a real subscriber would.

mod fake;

use fake::{Access, FakeServer, Fault};
use google_dataportability_v1::models::InitiatePortabilityArchiveRequest;
use google_dataportability_v1::prelude::*;
use google_dataportability_v1::{Client, RetryPolicy, StaticToken, Timestamp};
use std::fmt::{Debug, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const TOKEN: &str = "ya29.SECRET-tracing-token-0d9e";
/// A request-body value no log line may show.
const BODY_MARKER: &str = "2021-04-05T06:07:08.123456Z";

#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

impl Capture {
    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
}

/// Fields as `name=value` pairs.
struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={}", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = Fields(String::new());
        span.record(&mut fields);
        self.push(format!(
            "span#{id} {} {}{}",
            span.metadata().target(),
            span.metadata().name(),
            fields.0
        ));
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut fields = Fields(String::new());
        values.record(&mut fields);
        self.push(format!("record#{}{}", span.into_u64(), fields.0));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        self.push(format!(
            "event {} {}{}",
            event.metadata().level(),
            event.metadata().target(),
            fields.0
        ));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

async fn setup() -> (FakeServer, Client) {
    let server = FakeServer::start().await;
    server.add_token(TOKEN, Access::OneTime, &["myactivity.search"]);
    let policy = RetryPolicy::builder()
        .initial_delay(Duration::from_millis(10))
        .jitter(false)
        .build()
        .unwrap();
    let client = Client::builder()
        .endpoint(server.endpoint())
        .token_provider(StaticToken::new(TOKEN).unwrap())
        .retry_policy(policy)
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn a_retried_call_has_a_span_per_call_and_per_attempt() {
    let (server, client) = setup().await;
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    // Callsites remember whether anyone listened; ask them again.
    tracing::callsite::rebuild_interest_cache();
    server.inject(Fault::Status(503));
    server.add_job(TOKEN, "job-1", "IN_PROGRESS");
    client
        .archive_jobs()
        .get_portability_archive_state("archiveJobs/job-1/portabilityArchiveState")
        .await
        .expect("the retry succeeds");
    let lines = capture.lines();
    let text = lines.join("\n");
    let method = "method=dataportability.archiveJobs.getPortabilityArchiveState";
    let call = lines
        .iter()
        .find(|l| l.contains(" call ") && l.contains(method))
        .unwrap_or_else(|| panic!("no call span in\n{text}"));
    let call_id = call.split(' ').next().unwrap().trim_start_matches("span#");
    for field in ["attempts=2", "status=ok"] {
        assert!(
            lines.contains(&format!("record#{call_id} {field}")),
            "the call span records {field}:\n{text}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("record#{call_id} elapsed_ms="))),
        "the call span records its duration:\n{text}"
    );
    for attempt in [1, 2] {
        assert!(
            lines.iter().any(|l| l.contains(" attempt ")
                && l.contains(method)
                && l.ends_with(&format!("attempt={attempt}"))),
            "no span for attempt {attempt}:\n{text}"
        );
    }
    assert!(text.contains(" status=503"), "{text}");
    assert!(text.contains(" status=200"), "{text}");
    assert!(text.contains(" elapsed_ms="), "{text}");
    assert!(
        lines.iter().any(|l| l.starts_with("event INFO")
            && l.contains("retrying")
            && l.contains("delay_ms=10")),
        "the retry is an event with its wait:\n{text}"
    );
}

#[tokio::test]
async fn no_log_line_shows_the_token_or_the_request_body() {
    let (server, client) = setup().await;
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    tracing::callsite::rebuild_interest_cache();
    // A failure first, so error events are logged too.
    server.inject(Fault::Status(503));
    let request = InitiatePortabilityArchiveRequest::new()
        .set_resources(["myactivity.search"])
        .set_start_time(Timestamp::parse(BODY_MARKER).unwrap());
    client
        .portability_archive()
        .initiate(request)
        .idempotent(true)
        .await
        .expect("the retry succeeds");
    let lines = capture.lines();
    assert!(
        lines.iter().any(|l| l.contains("retrying")),
        "the test must see the client's own events: {lines:#?}"
    );
    for line in &lines {
        assert!(!line.contains(TOKEN), "the token leaked: {line}");
        assert!(!line.contains("SECRET"), "part of the token leaked: {line}");
        assert!(!line.contains(BODY_MARKER), "the body leaked: {line}");
        assert!(
            !line.contains("myactivity.search"),
            "the body leaked: {line}"
        );
    }
}
