//! The crate generated from `codegen/tests/fixtures/media.json`, run
//! against a real HTTP server on 127.0.0.1: paging, media download (and the
//! streamed body of a method without a response schema), simple and
//! resumable upload with their retries and timeouts, upload limits, dry
//! runs, media that survives failures (downloads resumed with `Range`
//! after a reset, a stall or a 503; uploads from files and readers resumed
//! after resets and partial confirmations, and after a restart from their
//! session URL), top-level methods, methods without a response body, and the wire
//! formats of its models.

mod server;

use fixture_media::prelude::*;
use fixture_media::models::{File, FileList, Person};
use fixture_media::{
    Client, Error, Media, RESUMABLE_CHUNK_BYTES, RetryPolicy, StaticToken, TimeoutKind,
};
use server::{Received, Reply, Server};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn client(server: &Server) -> Client {
    Client::builder()
        .endpoint(&server.url)
        .token_provider(StaticToken::new("token-1").unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn pages_follow_next_page_token_until_it_is_absent() {
    let server = Server::start(|request, _| {
        let body = match request.query_value("pageToken").as_deref() {
            None => r#"{"files": [{"name": "a"}], "nextPageToken": "t1"}"#,
            Some("t1") => r#"{"files": [{"name": "b"}], "nextPageToken": "t2"}"#,
            Some("t2") => r#"{"files": [{"name": "c"}], "nextPageToken": ""}"#,
            Some(_) => return Reply::json(400, r#"{"error": {"code": 400, "message": "bad token"}}"#),
        };
        Reply::json(200, body)
    });
    let client = client(&server);
    let mut pages = client.files().list().page_size(1).tags(["x", "y"]).pages();
    let mut names = Vec::new();
    while let Some(page) = pages.next().await {
        let page: FileList = page.unwrap();
        names.extend(page.files.unwrap().into_iter().map(|f| f.name.unwrap()));
    }
    assert_eq!(names, ["a", "b", "c"]);
    assert!(pages.next().await.is_none(), "a finished stream stays finished");
    let received = server.received();
    assert_eq!(received.len(), 3);
    for (request, token) in received.iter().zip([None, Some("t1"), Some("t2")]) {
        assert_eq!(request.path(), "/media/v1/files");
        assert_eq!(request.query_value("pageToken").as_deref(), token);
        assert_eq!(request.query_value("pageSize").as_deref(), Some("1"));
        let tags: Vec<_> = request.query().into_iter().filter(|(n, _)| n == "tags").collect();
        assert_eq!(tags.len(), 2, "repeated parameters are sent once per value");
    }
}

#[tokio::test]
async fn a_next_page_token_that_repeats_is_an_error() {
    // A broken server whose tokens go round in a circle: t1, t2, t1, ...
    let server = Server::start(|request, _| {
        let next = match request.query_value("pageToken").as_deref() {
            Some("t1") => "t2",
            _ => "t1",
        };
        Reply::json(200, &format!(r#"{{"nextPageToken": "{next}"}}"#))
    });
    let client = client(&server);
    let mut pages = client.files().list().pages();
    let mut count = 0;
    let error = loop {
        match pages.next().await {
            Some(Ok(_)) => count += 1,
            Some(Err(error)) => break error,
            None => panic!("a repeated token must be an error, not a silent end"),
        }
        assert!(count < 10, "the stream must end");
    };
    assert_eq!(count, 2, "pages for none and t1; t2's page names t1 again");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_the_error() {
    let server = Server::start(|request, _| match request.query_value("pageToken") {
        None => Reply::json(200, r#"{"nextPageToken": "t1"}"#),
        Some(_) => Reply::json(503, r#"{"error": {"code": 503, "message": "try later", "status": "UNAVAILABLE"}}"#),
    });
    let client = client(&server);
    // One attempt per page: the default policy would wait out its retries.
    let mut pages = client
        .files()
        .list()
        .retry_policy(RetryPolicy::disabled())
        .pages();
    assert!(pages.next().await.unwrap().is_ok());
    match pages.next().await {
        Some(Err(Error::Api(e))) => assert_eq!(e.status(), "UNAVAILABLE"),
        other => panic!("expected the service's error, got {other:?}"),
    }
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn download_streams_the_content_from_the_download_service() {
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let served = content.clone();
    let server = Server::start(move |_, _| Reply {
        status: 200,
        headers: vec![("content-type".into(), "application/octet-stream".into())],
        body: served.clone(),
    });
    let client = client(&server);
    let download = client.files().get("report.bin").download().await.unwrap();
    assert_eq!(download.content_type(), Some("application/octet-stream"));
    assert_eq!(download.content_length(), Some(content.len() as u64));
    assert_eq!(download.bytes().await.unwrap(), content);
    let request = &server.received()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path(), "/download/media/v1/files/report.bin");
    assert_eq!(request.query_value("alt").as_deref(), Some("media"));
    assert_eq!(request.header("authorization"), Some("Bearer token-1"));
}

#[tokio::test]
async fn a_refused_download_is_the_services_error() {
    let server = Server::start(|_, _| {
        Reply::json(404, r#"{"error": {"code": 404, "message": "no such file", "status": "NOT_FOUND"}}"#)
    });
    match client(&server).files().get("gone").download().await {
        Err(Error::Api(e)) => assert_eq!((e.http_status(), e.status()), (404, "NOT_FOUND")),
        other => panic!("expected NOT_FOUND, got {other:?}"),
    }
}

#[tokio::test]
async fn simple_upload_sends_metadata_and_content_as_multipart() {
    let server = Server::start(|_, _| Reply::json(200, r#"{"name": "notes.txt", "size": "5"}"#));
    let file = client(&server)
        .files()
        .insert("inbox", File::new().set_name("notes.txt"))
        .upload(Media::new(&b"hello"[..], "text/plain"))
        .await
        .unwrap();
    assert_eq!(file.size, Some(5));
    let request = &server.received()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path(), "/upload/media/v1/files");
    assert_eq!(request.query_value("uploadType").as_deref(), Some("multipart"));
    assert_eq!(request.query_value("folder").as_deref(), Some("inbox"));
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/related; boundary=")
        .expect("a multipart/related body");
    let body = String::from_utf8(request.body.clone()).unwrap();
    let expected = format!(
        "--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{{\"name\":\"notes.txt\"}}\r\n\
         --{boundary}\r\nContent-Type: text/plain\r\n\r\nhello\r\n--{boundary}--\r\n"
    );
    assert_eq!(body, expected);
}

#[tokio::test]
async fn resumable_upload_resumes_where_the_server_says_it_stopped() {
    let total = RESUMABLE_CHUNK_BYTES + 1000;
    let content: Vec<u8> = (0..total).map(|i| (i % 253) as u8).collect();
    let stored = std::sync::Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
    let kept = stored.clone();
    let server = Server::start(move |request, base| {
        if request.method == "POST" {
            return Reply::json(200, "").with_header("location", &format!("{base}session/1"));
        }
        // Keep only the first 1000 bytes of the first chunk, as a server
        // that lost the rest would, and ask for the remainder.
        let range = request.header("content-range").unwrap().to_owned();
        let start: usize = range["bytes ".len()..].split('-').next().unwrap().parse().unwrap();
        let mut stored = kept.lock().unwrap();
        assert_eq!(start, stored.len(), "each chunk starts where the server stopped");
        let keep = if stored.is_empty() { 1000 } else { request.body.len() };
        stored.extend_from_slice(&request.body[..keep]);
        if stored.len() < total {
            Reply {
                status: 308,
                headers: vec![("range".into(), format!("bytes=0-{}", stored.len() - 1))],
                body: Vec::new(),
            }
        } else {
            Reply::json(200, &format!(r#"{{"name": "big.bin", "size": "{total}"}}"#))
        }
    });
    let file = client(&server)
        .files()
        .insert("inbox", File::new().set_name("big.bin"))
        .upload_resumable(Media::new(content.clone(), "application/octet-stream"))
        .await
        .unwrap();
    assert_eq!(file.size, Some(total as i64));
    assert_eq!(*stored.lock().unwrap(), content);
    let received = server.received();
    let start = &received[0];
    // Sessions open at the upload path, as Google's own clients do.
    assert_eq!(start.path(), "/upload/media/v1/files");
    assert_eq!(start.query_value("uploadType").as_deref(), Some("resumable"));
    assert_eq!(start.header("x-upload-content-type"), Some("application/octet-stream"));
    assert_eq!(start.header("x-upload-content-length"), Some(total.to_string().as_str()));
    assert_eq!(start.body, br#"{"name":"big.bin"}"#);
    let chunks: Vec<&Received> = received[1..].iter().collect();
    assert!(chunks.len() >= 2);
    assert!(chunks.iter().all(|c| c.method == "PUT" && c.path() == "/session/1"));
    assert_eq!(chunks[0].header("content-range"), Some(format!("bytes 0-{}/{total}", RESUMABLE_CHUNK_BYTES - 1).as_str()));
    assert_eq!(chunks[1].header("content-range").unwrap(), format!("bytes 1000-{}/{total}", 1000 + RESUMABLE_CHUNK_BYTES - 1));
}

#[tokio::test]
async fn a_session_that_has_every_byte_is_asked_to_finish() {
    let server = Server::start(|request, _| match request.method.as_str() {
        // A relative session URL is relative to the upload URL.
        "POST" => Reply::json(200, "").with_header("location", "/session/2"),
        _ if request.header("content-range") == Some("bytes 0-9/10") => Reply {
            status: 308,
            headers: vec![("range".into(), "bytes=0-9".into())],
            body: Vec::new(),
        },
        _ => Reply::json(200, r#"{"name": "done"}"#),
    });
    let file = client(&server)
        .files()
        .insert("inbox", File::new())
        .upload_resumable(Media::new(&b"0123456789"[..], "text/plain"))
        .await
        .unwrap();
    assert_eq!(file.name.as_deref(), Some("done"));
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert_eq!(received[1].path(), "/session/2");
    assert_eq!(received[2].header("content-range"), Some("bytes */10"));
    assert!(received[2].body.is_empty());
}

#[tokio::test]
async fn uploads_outside_the_methods_limits_are_refused_before_sending() {
    let server = Server::start(|_, _| Reply::json(200, "{}"));
    let client = client(&server);
    let too_large = vec![0u8; 10 * 1024 * 1024 + 1];
    let err = client
        .files()
        .insert("inbox", File::new())
        .upload(Media::new(too_large, "application/octet-stream"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Media(_)), "{err}");
    assert!(err.to_string().contains("10485760"), "{err}");
    let err = client
        .files()
        .insert("inbox", File::new())
        .upload_resumable(Media::new(&b"png"[..], "image/png"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("image/png"), "{err}");
    let err = client
        .files()
        .insert("inbox", File::new())
        .upload(Media::new(&b"x"[..], "text/plain\r\nX-Forged: 1"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("control characters"), "{err}");
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn top_level_methods_are_called_on_the_client() {
    let server = Server::start(|_, _| {
        Reply::json(200, r#"{"user": {"email": "a@example.com"}, "quotaBytes": "18446744073709551615"}"#)
    });
    let about = client(&server).about().await.unwrap();
    assert_eq!(about.quota_bytes, Some(u64::MAX));
    assert_eq!(about.user.unwrap().email.as_deref(), Some("a@example.com"));
    assert_eq!(server.received()[0].path(), "/media/v1/about");
}

#[tokio::test]
async fn a_method_without_a_response_schema_ignores_the_body() {
    let server = Server::start(|_, _| Reply::json(204, ""));
    client(&server).files().delete("old").await.unwrap();
    let request = &server.received()[0];
    assert_eq!((request.method.as_str(), request.path()), ("DELETE", "/media/v1/files/old"));
}

#[test]
fn dry_run_shows_the_request_without_sending_it() {
    let client = Client::builder().endpoint("http://127.0.0.1:9/").build().unwrap();
    let request = client
        .files()
        .insert("in box", File::new().set_name("n"))
        .key("secret-key")
        .dry_run()
        .unwrap();
    assert_eq!(request.method(), "POST");
    assert_eq!(
        request.url(),
        "http://127.0.0.1:9/media/v1/files?folder=in%20box&key=secret-key"
    );
    assert_eq!(request.body(), Some(&br#"{"name":"n"}"#[..]));
    assert!(request.headers().iter().any(|(n, v)| n == "content-type" && v == "application/json"));
    assert!(request.headers().iter().all(|(n, _)| n != "authorization"));
    let shown = format!("{request:?}");
    assert!(!shown.contains("secret-key") && shown.contains("key=<redacted>"), "{shown}");
    // A path value that does not fit its pattern is refused, as `send` would.
    let err = client.files().get("a/b").dry_run().unwrap_err();
    match err {
        Error::Binding(e) => assert_eq!(e.parameter(), "fileId"),
        other => panic!("expected a binding error, got {other:?}"),
    }
}

#[test]
fn models_carry_every_wire_format_and_recursive_types() {
    let json = r#"{
        "name": "f", "size": "9007199254740993", "checksum": "aGk=",
        "retention": "3.5s", "expires": "2025-02-28", "updateMask": "name,owner.email",
        "created": "2025-01-01T00:00:00Z",
        "owner": {"email": "a", "manager": {"email": "b", "manager": {"email": "c"}}},
        "children": [{"name": "g"}],
        "location": {"tier": "ARCHIVE", "replicas": [{"zone": "z1", "primary": true}]},
        "metadata": {"k": {"value": "v", "public": false}},
        "state": ""
    }"#;
    let file: File = serde_json::from_str(json).unwrap();
    assert_eq!(file.size, Some(9_007_199_254_740_993));
    assert_eq!(file.checksum.as_deref(), Some(&b"hi"[..]));
    assert_eq!(file.retention.as_ref().map(|d| (d.seconds(), d.nanos())), Some((3, 500_000_000)));
    assert_eq!(file.expires.map(|d| (d.year(), d.month(), d.day())), Some((2025, 2, 28)));
    assert_eq!(file.update_mask.as_ref().unwrap().paths(), ["name", "owner.email"]);
    let owner: &Person = file.owner.as_ref().unwrap();
    let grand = owner.manager.as_ref().unwrap().manager.as_ref().unwrap();
    assert_eq!(grand.email.as_deref(), Some("c"));
    let location = file.location.as_ref().unwrap();
    assert_eq!(location.tier, Some(fixture_media::models::file::location::Tier::Archive));
    assert_eq!(location.replicas.as_ref().unwrap()[0].primary, Some(true));
    assert_eq!(file.metadata.as_ref().unwrap()["k"].value.as_deref(), Some("v"));
    assert_eq!(file.state, Some(fixture_media::models::file::State::Empty));
    // Written back, every value keeps its wire form.
    let back: serde_json::Value = serde_json::to_value(&file).unwrap();
    let original: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(back, original);
    // Setters box recursive values themselves.
    let person = Person::new().set_email("x").set_manager(Person::new().set_email("y"));
    assert_eq!(person.manager.unwrap().email.as_deref(), Some("y"));
}

const UNAVAILABLE: &str = r#"{"error": {"code": 503, "message": "try later", "status": "UNAVAILABLE"}}"#;

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// A policy of up to `max_attempts` attempts whose waits are a millisecond
/// or two, so that retries cost the tests nothing.
fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::builder()
        .max_attempts(max_attempts)
        .initial_delay(ms(1))
        .max_delay(ms(2))
        .jitter(false)
        .build()
        .unwrap()
}

/// Content of `len` bytes that shows where each byte came from.
fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

fn octets(body: Vec<u8>) -> Reply {
    Reply {
        status: 200,
        headers: vec![("content-type".into(), "application/octet-stream".into())],
        body,
    }
}

/// A handler that answers the first `failures` requests with `failure()`
/// and the rest with `success()`, and the count of requests it got.
fn failing_first(
    failures: usize,
    failure: impl Fn() -> Reply + Send + Sync + 'static,
    success: impl Fn() -> Reply + Send + Sync + 'static,
) -> (Server, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let server = Server::start(move |_, _| {
        if seen.fetch_add(1, Ordering::SeqCst) < failures {
            failure()
        } else {
            success()
        }
    });
    (server, count)
}

fn timeout_kind(error: &Error) -> Option<TimeoutKind> {
    match error {
        Error::Timeout(e) => Some(e.kind()),
        _ => None,
    }
}

#[tokio::test]
async fn a_download_whose_first_attempt_gets_503_is_retried_under_the_calls_policy() {
    let (server, count) = failing_first(1, || Reply::json(503, UNAVAILABLE), || octets(b"content".to_vec()));
    let download = client(&server)
        .files()
        .get("a.bin")
        .retry_policy(fast_retries(3))
        .download()
        .await
        .unwrap();
    assert_eq!(download.bytes().await.unwrap(), b"content");
    assert_eq!(count.load(Ordering::SeqCst), 2, "one failed attempt, one retry");
    for request in server.received() {
        assert_eq!(request.path(), "/download/media/v1/files/a.bin");
        assert_eq!(request.query_value("alt").as_deref(), Some("media"));
    }
    // The call's own policy is the one that applies: no retries, one request.
    let (server, count) = failing_first(1, || Reply::json(503, UNAVAILABLE), || octets(Vec::new()));
    let err = client(&server)
        .files()
        .get("a.bin")
        .retry_policy(RetryPolicy::disabled())
        .download()
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(503), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_download_attempt_that_stalls_times_out_under_the_calls_attempt_timeout() {
    // The server holds its first answer for a second.
    let stall = || {
        std::thread::sleep(ms(1000));
        octets(b"late".to_vec())
    };
    let (server, _) = failing_first(1, stall, || octets(b"prompt".to_vec()));
    let err = client(&server)
        .files()
        .get("a.bin")
        .attempt_timeout(ms(100))
        .retry_policy(RetryPolicy::disabled())
        .download()
        .await
        .unwrap_err();
    assert_eq!(timeout_kind(&err), Some(TimeoutKind::Attempt), "{err}");
    // A timed-out attempt is retried like any retryable failure.
    let (server, count) = failing_first(1, stall, || octets(b"prompt".to_vec()));
    let download = client(&server)
        .files()
        .get("a.bin")
        .attempt_timeout(ms(100))
        .retry_policy(fast_retries(2))
        .download()
        .await
        .unwrap();
    assert_eq!(download.bytes().await.unwrap(), b"prompt");
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_attempt_timeout_of_a_download_ends_with_its_headers() {
    // A pause mid-body longer than the attempt timeout, shorter than the
    // read-idle timeout: a slow stream, not a dead one.
    let body = content(1000);
    let served = body.clone();
    let server = Server::start(move |_, _| octets(served.clone()).pause_after(10, ms(400)));
    let download = client(&server)
        .files()
        .get("a.bin")
        .attempt_timeout(ms(200))
        .read_idle_timeout(ms(5000))
        .download()
        .await
        .expect("the head arrives in time");
    assert_eq!(download.bytes().await.unwrap(), body);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn the_total_timeout_of_a_download_ends_its_retries_but_not_its_stream() {
    // Retries that never end but for the total timeout.
    let endless = RetryPolicy::builder()
        .max_attempts(1000)
        .initial_delay(ms(20))
        .max_delay(ms(20))
        .time_limit(None)
        .build()
        .unwrap();
    let server = Server::start(|_, _| Reply::json(503, UNAVAILABLE));
    let err = client(&server)
        .files()
        .get("a.bin")
        .retry_policy(endless)
        .total_timeout(ms(150))
        .download()
        .await
        .unwrap_err();
    let Error::Timeout(timeout) = &err else {
        panic!("expected a total timeout, got {err}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Total);
    assert!(timeout.attempts() > 1, "{err}");
    assert!(timeout.last_error().is_some_and(|e| e.contains("503")), "{err}");
    // Once the response is there, reading the stream is not timed by it.
    let body = content(1000);
    let served = body.clone();
    let server = Server::start(move |_, _| octets(served.clone()).pause_after(10, ms(300)));
    let download = client(&server)
        .files()
        .get("a.bin")
        .total_timeout(ms(100))
        .download()
        .await
        .unwrap();
    assert_eq!(download.bytes().await.unwrap(), body);
}

#[tokio::test]
async fn a_simple_upload_is_retried_after_503_only_when_it_says_it_is_idempotent() {
    let upload = |server: &Server, idempotent: Option<bool>| {
        let mut call = client(server)
            .files()
            .insert("inbox", File::new().set_name("notes.txt"))
            .retry_policy(fast_retries(3));
        if let Some(idempotent) = idempotent {
            call = call.idempotent(idempotent);
        }
        call.upload(Media::new(&b"hello"[..], "text/plain"))
    };
    let ok = || Reply::json(200, r#"{"name": "notes.txt"}"#);
    // A POST that reached the service is not sent twice by default.
    let (server, count) = failing_first(1, || Reply::json(503, UNAVAILABLE), ok);
    let err = upload(&server, None).await.unwrap_err();
    assert_eq!(err.http_status(), Some(503), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
    let (server, count) = failing_first(1, || Reply::json(503, UNAVAILABLE), ok);
    let file = upload(&server, Some(true)).await.unwrap();
    assert_eq!(file.name.as_deref(), Some("notes.txt"));
    assert_eq!(count.load(Ordering::SeqCst), 2);
    let received = server.received();
    assert_eq!(received[0].body, received[1].body, "the retry sends the same body");
    assert!(String::from_utf8_lossy(&received[1].body).contains("hello"));
}

/// A resumable upload server that keeps what it is sent, by offset: the
/// first chunk gets `first_chunk(request)` after the server kept its first
/// 1000 bytes (as if the rest were lost); status queries are answered from
/// what it has. It records each request's `Content-Range` as it arrives.
struct ResumableServer {
    server: Server,
    stored: Arc<Mutex<Vec<u8>>>,
    ranges: Arc<Mutex<Vec<String>>>,
}

impl ResumableServer {
    fn start(total: usize, first_chunk: impl Fn() -> Reply + Send + Sync + 'static) -> Self {
        let stored = Arc::new(Mutex::new(Vec::<u8>::new()));
        let ranges = Arc::new(Mutex::new(Vec::<String>::new()));
        let (kept, seen) = (stored.clone(), ranges.clone());
        let server = Server::start(move |request, base| {
            if request.method == "POST" {
                return Reply::json(200, "").with_header("location", &format!("{base}session/9"));
            }
            let range = request.header("content-range").unwrap_or_default().to_owned();
            let first = {
                let mut seen = seen.lock().unwrap();
                seen.push(range.clone());
                seen.len() == 1
            };
            let mut stored = kept.lock().unwrap();
            if first {
                stored.extend_from_slice(&request.body[..1000]);
                drop(stored);
                return first_chunk();
            }
            if let Some(rest) = range.strip_prefix("bytes ").filter(|r| !r.starts_with('*')) {
                let start: usize = rest.split('-').next().unwrap().parse().unwrap();
                assert_eq!(start, stored.len(), "the client resumes where the server stands");
                stored.extend_from_slice(&request.body);
            }
            if stored.len() < total {
                Reply {
                    status: 308,
                    headers: vec![("range".into(), format!("bytes=0-{}", stored.len() - 1))],
                    body: Vec::new(),
                }
            } else {
                Reply::json(200, &format!(r#"{{"name": "big.bin", "size": "{total}"}}"#))
            }
        });
        Self { server, stored, ranges }
    }

    fn ranges(&self) -> Vec<String> {
        self.ranges.lock().unwrap().clone()
    }
}

#[tokio::test]
async fn a_resumable_chunk_that_gets_503_asks_where_the_server_stands_and_resumes() {
    let total = 5000;
    let body = content(total);
    let upload = ResumableServer::start(total, || Reply::json(503, UNAVAILABLE));
    let file = client(&upload.server)
        .files()
        .insert("inbox", File::new().set_name("big.bin"))
        .retry_policy(fast_retries(3))
        .upload_resumable(Media::new(body.clone(), "application/octet-stream"))
        .await
        .unwrap();
    assert_eq!(file.size, Some(total as i64));
    assert_eq!(*upload.stored.lock().unwrap(), body);
    assert_eq!(
        upload.ranges(),
        ["bytes 0-4999/5000", "bytes */5000", "bytes 1000-4999/5000"],
        "the chunk, the status query, the rest from where the server stood"
    );
    let received = upload.server.received();
    let query = received.iter().find(|r| r.header("content-range") == Some("bytes */5000")).unwrap();
    assert_eq!((query.method.as_str(), query.path()), ("PUT", "/session/9"));
    assert!(query.body.is_empty(), "a status query has no body");
}

#[tokio::test]
async fn a_resumable_chunk_that_outlives_the_attempt_timeout_is_resumed() {
    let total = 5000;
    let body = content(total);
    let stall = || {
        std::thread::sleep(ms(1000));
        Reply::json(200, "{}")
    };
    let upload = ResumableServer::start(total, stall);
    let file = client(&upload.server)
        .files()
        .insert("inbox", File::new().set_name("big.bin"))
        .retry_policy(fast_retries(3))
        .attempt_timeout(ms(150))
        .upload_resumable(Media::new(body.clone(), "application/octet-stream"))
        .await
        .unwrap();
    assert_eq!(file.name.as_deref(), Some("big.bin"));
    assert_eq!(*upload.stored.lock().unwrap(), body);
    assert_eq!(
        upload.ranges(),
        ["bytes 0-4999/5000", "bytes */5000", "bytes 1000-4999/5000"]
    );
    // Without retries, the stalled chunk is the call's error.
    let upload = ResumableServer::start(total, stall);
    let err = client(&upload.server)
        .files()
        .insert("inbox", File::new())
        .retry_policy(RetryPolicy::disabled())
        .attempt_timeout(ms(150))
        .upload_resumable(Media::new(body, "application/octet-stream"))
        .await
        .unwrap_err();
    assert_eq!(timeout_kind(&err), Some(TimeoutKind::Attempt), "{err}");
}

#[tokio::test]
async fn a_resumable_upload_runs_within_its_total_timeout() {
    let endless = RetryPolicy::builder()
        .max_attempts(1000)
        .initial_delay(ms(20))
        .max_delay(ms(20))
        .time_limit(None)
        .build()
        .unwrap();
    // A session whose every chunk and status query fails.
    let server = Server::start(|request, base| match request.method.as_str() {
        "POST" => Reply::json(200, "").with_header("location", &format!("{base}session/1")),
        _ => Reply::json(503, UNAVAILABLE),
    });
    let started = std::time::Instant::now();
    let err = client(&server)
        .files()
        .insert("inbox", File::new())
        .retry_policy(endless)
        .total_timeout(ms(200))
        .upload_resumable(Media::new(content(5000), "application/octet-stream"))
        .await
        .unwrap_err();
    assert_eq!(timeout_kind(&err), Some(TimeoutKind::Total), "{err}");
    assert!(started.elapsed() < ms(2000));
    let received = server.received();
    assert!(received.len() > 3, "the session opened, then chunk and queries retried");
    assert!(received[2..].iter().all(|r| r.header("content-range") == Some("bytes */5000")));
}

#[tokio::test]
async fn a_method_without_a_response_schema_that_serves_content_streams_it_from_send() {
    let body = content(200_000);
    let served = body.clone();
    let server = Server::start(move |_, _| octets(served.clone()));
    // Far below the content's size: a stream is not held to it.
    let client = Client::builder()
        .endpoint(&server.url)
        .token_provider(StaticToken::new("token-1").unwrap())
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let mut download = client.files().export("doc 1", "text/plain").await.unwrap();
    assert_eq!(download.content_type(), Some("application/octet-stream"));
    let mut read = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = download.chunk().await.unwrap() {
        read.extend_from_slice(&chunk);
        chunks += 1;
    }
    assert_eq!(read, body);
    assert!(chunks > 1, "read through the stream, chunk by chunk");
    // The plain call, as Google's clients send it: no `alt`, no `download/`.
    let request = &server.received()[0];
    assert_eq!((request.method.as_str(), request.path()), ("GET", "/media/v1/files/doc%201/export"));
    assert_eq!(request.query_value("mimeType").as_deref(), Some("text%2Fplain"));
    assert_eq!(request.query_value("alt"), None);
    // `download()` asks for the media, from the download service.
    let media = client.files().export("doc 1", "text/plain").download().await.unwrap();
    assert_eq!(media.bytes().await.unwrap(), body);
    let request = &server.received()[1];
    assert_eq!(request.path(), "/download/media/v1/files/doc%201/export");
    assert_eq!(request.query_value("alt").as_deref(), Some("media"));
    // A dry run shows what `send` sends.
    let dry = client.files().export("doc 1", "text/plain").dry_run().unwrap();
    assert_eq!(dry.url(), format!("{}media/v1/files/doc%201/export?mimeType=text%2Fplain", server.url));
}

/// A server of `body` under ETag `"v1"` that cuts the first answer after
/// `cut` bytes, and answers the rest as `resume(request, body)` says.
fn cut_once(
    body: Vec<u8>,
    cut: usize,
    resume: impl Fn(&Received, &[u8]) -> Reply + Send + Sync + 'static,
) -> (Server, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let server = Server::start(move |request, _| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            octets(body.clone()).with_header("etag", "\"v1\"").cut_after(cut)
        } else {
            resume(request, &body)
        }
    });
    (server, count)
}

/// The answer of a server that serves ranges: 206 from the asked offset.
fn partial(request: &Received, body: &[u8], etag: &str) -> Reply {
    let from: usize = request
        .header("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse().ok())
        .expect("a resumed download asks for bytes=N-");
    Reply {
        status: 206,
        headers: vec![
            ("etag".into(), etag.into()),
            ("content-range".into(), format!("bytes {from}-{}/{}", body.len() - 1, body.len())),
        ],
        body: body[from..].to_vec(),
    }
}

#[tokio::test]
async fn a_download_cut_mid_body_resumes_with_a_range_request_answered_206() {
    let body = content(300_000);
    let (server, count) = cut_once(body.clone(), 100_000, |r, b| partial(r, b, "\"v1\""));
    let download = client(&server)
        .files()
        .get("a.bin")
        .retry_policy(fast_retries(3))
        .download()
        .await
        .unwrap();
    assert_eq!(download.content_length(), Some(300_000));
    assert_eq!(download.bytes().await.unwrap(), body);
    assert_eq!(count.load(Ordering::SeqCst), 2);
    let resumed = &server.received()[1];
    let from: usize = resumed.header("range").unwrap()["bytes=".len()..].trim_end_matches('-').parse().unwrap();
    assert!(from > 0 && from <= 100_000, "resumed from the byte reached: {from}");
    assert_eq!(resumed.header("if-range"), Some("\"v1\""), "only the same version");
    assert_eq!(resumed.path(), "/download/media/v1/files/a.bin");
    assert_eq!(resumed.query_value("alt").as_deref(), Some("media"));
    assert_eq!(resumed.header("authorization"), Some("Bearer token-1"));
}

#[tokio::test]
async fn a_resumed_download_answered_with_the_whole_content_skips_what_was_read() {
    let body = content(300_000);
    // A server that ignores `Range`: the whole content again, same ETag.
    let (server, _) = cut_once(body.clone(), 100_000, |_, b| {
        octets(b.to_vec()).with_header("etag", "\"v1\"")
    });
    let download = client(&server)
        .files()
        .get("a.bin")
        .retry_policy(fast_retries(3))
        .download()
        .await
        .unwrap();
    assert_eq!(download.bytes().await.unwrap(), body);
}

#[tokio::test]
async fn a_download_whose_content_changed_meanwhile_is_an_error_not_a_mix() {
    let body = content(300_000);
    // `If-Range` no longer matches: the new version, whole, with its ETag.
    let (server, _) = cut_once(body.clone(), 100_000, |_, _| {
        octets(content(300_000).into_iter().rev().collect()).with_header("etag", "\"v2\"")
    });
    let err = client(&server)
        .files()
        .get("a.bin")
        .retry_policy(fast_retries(3))
        .download()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Media(_)), "{err}");
    assert!(err.to_string().contains("\"v1\" became \"v2\""), "{err}");
    // The same from a server that answers 206 for a changed version.
    let (server, _) = cut_once(body, 100_000, |r, b| partial(r, b, "\"v2\""));
    let err = client(&server)
        .files()
        .get("a.bin")
        .retry_policy(fast_retries(3))
        .download()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("changed"), "{err}");
}

#[tokio::test]
async fn a_resumed_download_retries_a_503_under_the_calls_policy() {
    let body = content(300_000);
    let resumes = Arc::new(AtomicUsize::new(0));
    let seen = resumes.clone();
    let (server, count) = cut_once(body.clone(), 100_000, move |r, b| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::json(503, UNAVAILABLE)
        } else {
            partial(r, b, "\"v1\"")
        }
    });
    let download = client(&server)
        .files()
        .get("a.bin")
        .retry_policy(fast_retries(3))
        .download()
        .await
        .unwrap();
    assert_eq!(download.bytes().await.unwrap(), body);
    assert_eq!(count.load(Ordering::SeqCst), 3, "cut, 503, 206");
    // Without retries the cut is the error.
    let (server, _) = cut_once(content(300_000), 100_000, |r, b| partial(r, b, "\"v1\""));
    let err = client(&server)
        .files()
        .get("a.bin")
        .retry_policy(RetryPolicy::disabled())
        .download()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err}");
}

#[tokio::test]
async fn a_download_that_stalls_mid_body_resumes_after_the_read_idle_timeout() {
    let body = content(300_000);
    let served = body.clone();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let server = Server::start(move |request, _| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            octets(served.clone()).with_header("etag", "\"v1\"").pause_after(50_000, ms(1500))
        } else {
            partial(request, &served, "\"v1\"")
        }
    });
    let download = client(&server)
        .files()
        .get("a.bin")
        .retry_policy(fast_retries(3))
        .read_idle_timeout(ms(200))
        .download()
        .await
        .unwrap();
    assert_eq!(download.bytes().await.unwrap(), body);
    assert_eq!(count.load(Ordering::SeqCst), 2);
    // Without retries, the stall is a read-idle timeout.
    let server = Server::start(|_, _| octets(content(1000)).pause_after(10, ms(1500)));
    let err = client(&server)
        .files()
        .get("a.bin")
        .retry_policy(RetryPolicy::disabled())
        .read_idle_timeout(ms(200))
        .download()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap_err();
    assert_eq!(timeout_kind(&err), Some(TimeoutKind::ReadIdle), "{err}");
}

/// A file holding `body`, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, body: &[u8]) -> Self {
        let path = std::env::temp_dir().join(format!("fixture-media-{}-{name}", std::process::id()));
        std::fs::write(&path, body).unwrap();
        Self(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[tokio::test]
async fn a_resumable_upload_from_a_file_survives_a_connection_reset() {
    let total = 5000;
    let body = content(total);
    let file = TempFile::new("reset", &body);
    let upload = ResumableServer::start(total, Reply::reset);
    let file = client(&upload.server)
        .files()
        .insert("inbox", File::new().set_name("big.bin"))
        .retry_policy(fast_retries(3))
        .upload_resumable(Media::from_file(&file.0, "application/octet-stream").unwrap())
        .await
        .unwrap();
    assert_eq!(file.size, Some(total as i64));
    assert_eq!(*upload.stored.lock().unwrap(), body);
    assert_eq!(upload.ranges(), ["bytes 0-4999/5000", "bytes */5000", "bytes 1000-4999/5000"]);
}

#[tokio::test]
async fn a_resumable_upload_from_a_reader_resends_the_part_of_a_chunk_the_server_did_not_keep() {
    let total = RESUMABLE_CHUNK_BYTES + 1000;
    let body = content(total);
    // The first chunk: the server keeps 1000 bytes and says so.
    let upload = ResumableServer::start(total, || Reply {
        status: 308,
        headers: vec![("range".into(), "bytes=0-999".into())],
        body: Vec::new(),
    });
    let media = Media::from_reader(total as u64, "application/octet-stream", std::io::Cursor::new(body.clone()));
    let file = client(&upload.server)
        .files()
        .insert("inbox", File::new().set_name("big.bin"))
        .upload_resumable(media)
        .await
        .unwrap();
    assert_eq!(file.size, Some(total as i64));
    assert_eq!(*upload.stored.lock().unwrap(), body);
    // The second chunk: the 1000 bytes kept are not sent again; the rest
    // of the first chunk, held since, and the stream's last 1000 bytes.
    assert_eq!(
        upload.ranges(),
        [
            format!("bytes 0-{}/{total}", RESUMABLE_CHUNK_BYTES - 1),
            format!("bytes 1000-{}/{total}", total - 1),
        ]
    );
}

#[tokio::test]
async fn an_upload_resumes_from_its_session_url_after_a_restart() {
    let total = 5000;
    let body = content(total);
    let file = TempFile::new("restart", &body);
    // The first process: its only chunk fails, and it gives up.
    let upload = ResumableServer::start(total, || Reply::json(503, UNAVAILABLE));
    let sessions = Arc::new(Mutex::new(Vec::new()));
    let seen = sessions.clone();
    let err = client(&upload.server)
        .files()
        .insert("inbox", File::new().set_name("big.bin"))
        .retry_policy(RetryPolicy::disabled())
        .on_upload_session(move |s| seen.lock().unwrap().push((s.url().to_owned(), s.offset(), s.total())))
        .upload_resumable(Media::from_file(&file.0, "application/octet-stream").unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(503), "{err}");
    let url = format!("{}session/9", upload.server.url);
    assert_eq!(*sessions.lock().unwrap(), [(url.clone(), 0, 5000)]);
    // The next process: a new client, the URL it kept, the same file.
    let resumed = Arc::new(Mutex::new(Vec::new()));
    let seen = resumed.clone();
    let done = client(&upload.server)
        .files()
        .insert("inbox", File::new())
        .on_upload_session(move |s| seen.lock().unwrap().push(s.offset()))
        .resume_upload(&url, Media::from_file(&file.0, "application/octet-stream").unwrap())
        .await
        .unwrap();
    assert_eq!(done.size, Some(total as i64));
    assert_eq!(*upload.stored.lock().unwrap(), body);
    assert_eq!(upload.ranges(), ["bytes 0-4999/5000", "bytes */5000", "bytes 1000-4999/5000"]);
    assert_eq!(*resumed.lock().unwrap(), [1000], "told where the server stood");
    let received = upload.server.received();
    assert_eq!(received.iter().filter(|r| r.method == "POST").count(), 1, "no second session");
    // A session URL that is not one is refused before anything is sent.
    let err = client(&upload.server)
        .files()
        .insert("inbox", File::new())
        .resume_upload("session/9", Media::new(body, "application/octet-stream"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Media(_)), "{err}");
}

#[tokio::test]
async fn a_simple_upload_of_a_file_is_refused_pointing_to_upload_resumable() {
    let server = Server::start(|_, _| Reply::json(200, "{}"));
    let file = TempFile::new("simple", b"hello");
    let err = client(&server)
        .files()
        .insert("inbox", File::new())
        .upload(Media::from_file(&file.0, "text/plain").unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Media(_)), "{err}");
    assert!(err.to_string().contains("upload_resumable"), "{err}");
    assert!(server.received().is_empty());
}
