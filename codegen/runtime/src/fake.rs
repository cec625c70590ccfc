//! An in-memory fake of any Google API (cargo feature `fake`), for the
//! tests of applications that use a generated client: a [`Transport`] that
//! answers each request by its method id (or its verb and path) with canned
//! JSON, an error or a network failure, and records every request it got.
//!
//! ```
//! # use google_api_runtime::fake::FakeTransport;
//! let fake = FakeTransport::new();
//! fake.on("dataportability.archiveJobs.retry")
//!     .json(200, serde_json::json!({"archiveJobId": "456"}));
//! // client = Client::builder().transport(fake.clone()).build()?;
//! // ... call the code under test, then look at fake.requests()
//! ```
//!
//! Nothing here opens a socket: the client's retries, timeouts, errors and
//! decoding all run as they do against the service.

use super::BoxFuture;
use super::transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

/// A transport that answers from canned responses and records requests.
/// Clones share the canned responses and the record.
#[derive(Clone, Default)]
pub struct FakeTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    routes: Vec<Route>,
    requests: Vec<HttpRequest>,
}

struct Route {
    matcher: Matcher,
    /// The answers still to give, in order; the last one is given again
    /// for every later request.
    answers: VecDeque<Answer>,
}

#[derive(Clone)]
enum Matcher {
    MethodId(String),
    Path { verb: String, path: String },
}

impl Matcher {
    fn matches(&self, request: &HttpRequest) -> bool {
        match self {
            Matcher::MethodId(id) => request.method_id() == id,
            Matcher::Path { verb, path } => {
                request.method().eq_ignore_ascii_case(verb) && request.path() == path
            }
        }
    }
}

#[derive(Clone)]
enum Answer {
    Response {
        status: u16,
        headers: Vec<(String, String)>,
        body: bytes::Bytes,
    },
    Failure(TransportErrorKind, String),
}

impl Answer {
    fn give(&self) -> Result<HttpResponse, TransportError> {
        match self {
            Answer::Response {
                status,
                headers,
                body,
            } => {
                let mut response = HttpResponse::new(*status);
                for (name, value) in headers {
                    response = response.with_header(name, value.clone());
                }
                Ok(response.with_body(body.clone()))
            }
            Answer::Failure(kind, message) => Err(TransportError::new(*kind, message.clone())),
        }
    }
}

impl FakeTransport {
    /// A fake with no canned responses: every request gets a `404` in
    /// Google's error format that names the method id, verb and path.
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers for requests of the API method `method_id` (such as
    /// `dataportability.archiveJobs.retry`, as [`HttpRequest::method_id`]
    /// gives it).
    #[must_use = "a route without answers answers nothing"]
    pub fn on(&self, method_id: &str) -> Answers<'_> {
        self.route(Matcher::MethodId(method_id.to_owned()))
    }

    /// Answers for requests with verb `verb` (`GET`, `POST`, ...) to the
    /// URL path `path` (percent-encoded, as sent; no query), such as
    /// `/v1/archiveJobs/123:retry`.
    #[must_use = "a route without answers answers nothing"]
    pub fn on_path(&self, verb: &str, path: &str) -> Answers<'_> {
        self.route(Matcher::Path {
            verb: verb.to_owned(),
            path: path.to_owned(),
        })
    }

    fn route(&self, matcher: Matcher) -> Answers<'_> {
        let mut state = self.lock();
        state.routes.push(Route {
            matcher,
            answers: VecDeque::new(),
        });
        Answers {
            fake: self,
            route: state.routes.len() - 1,
        }
    }

    /// Every request received so far, in order, with its credentials (see
    /// [`HttpRequest`]'s `Debug` for a form that hides them).
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.lock().requests.clone()
    }

    /// The requests received for the API method `method_id`.
    pub fn requests_for(&self, method_id: &str) -> Vec<HttpRequest> {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.method_id() == method_id)
            .cloned()
            .collect()
    }

    /// Forgets the requests received so far (the canned answers stay).
    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock loses nothing here.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn answer(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut state = self.lock();
        let route = state
            .routes
            .iter_mut()
            .rev()
            .find(|route| route.matcher.matches(&request) && !route.answers.is_empty());
        let answer = match route {
            Some(route) if route.answers.len() > 1 => route.answers.pop_front(),
            Some(route) => route.answers.front().cloned(),
            None => None,
        };
        let answer = answer.unwrap_or_else(|| not_found(&request));
        state.requests.push(request);
        answer.give()
    }
}

/// The answer to a request no route matches.
fn not_found(request: &HttpRequest) -> Answer {
    let message = format!(
        "the fake has no answer for {} ({} {})",
        request.method_id(),
        request.method(),
        request.path()
    );
    error_answer(404, "NOT_FOUND", &message)
}

fn error_answer(status: u16, code: &str, message: &str) -> Answer {
    let body = serde_json::json!({
        "error": {"code": status, "message": message, "status": code}
    });
    Answer::Response {
        status,
        headers: vec![(
            "content-type".to_owned(),
            "application/json; charset=UTF-8".to_owned(),
        )],
        body: body.to_string().into(),
    }
}

impl Transport for FakeTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(std::future::ready(self.answer(request)))
    }
}

impl fmt::Debug for FakeTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("FakeTransport")
            .field("routes", &state.routes.len())
            .field("requests", &state.requests.len())
            .finish()
    }
}

/// The answers of one route, added in the order they are given: each
/// request takes the next, and the last is given again for every later
/// one. A later route for the same requests takes precedence.
pub struct Answers<'a> {
    fake: &'a FakeTransport,
    route: usize,
}

impl Answers<'_> {
    fn push(self, answer: Answer) -> Self {
        self.fake.lock().routes[self.route]
            .answers
            .push_back(answer);
        self
    }

    /// Answers with `status` and the JSON `body`.
    pub fn json(self, status: u16, body: serde_json::Value) -> Self {
        self.push(Answer::Response {
            status,
            headers: vec![(
                "content-type".to_owned(),
                "application/json; charset=UTF-8".to_owned(),
            )],
            body: body.to_string().into(),
        })
    }

    /// Answers with `status`, the headers and the raw `body`.
    pub fn raw(self, status: u16, headers: &[(&str, &str)], body: impl Into<bytes::Bytes>) -> Self {
        self.push(Answer::Response {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_ascii_lowercase(), (*v).to_owned()))
                .collect(),
            body: body.into(),
        })
    }

    /// Answers with Google's error envelope: HTTP `status`, the
    /// `google.rpc.Code` name `code` (such as `NOT_FOUND`) and `message`.
    pub fn error(self, status: u16, code: &str, message: &str) -> Self {
        self.push(error_answer(status, code, message))
    }

    /// Fails the request without a response, as the network would (a
    /// connection refused or reset, a timeout).
    pub fn fail(self, kind: TransportErrorKind, message: &str) -> Self {
        self.push(Answer::Failure(kind, message.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id: &'static str, verb: reqwest::Method, url: &str) -> HttpRequest {
        HttpRequest::new(id, verb, url.to_owned(), Vec::new(), None)
    }

    #[tokio::test]
    async fn answers_come_in_order_and_the_last_repeats() {
        let fake = FakeTransport::new();
        fake.on("a.b.get")
            .error(503, "UNAVAILABLE", "busy")
            .json(200, serde_json::json!({"n": 1}));
        let get = || request("a.b.get", reqwest::Method::GET, "https://h/v1/x");
        assert_eq!(fake.send(get()).await.unwrap().status(), 503);
        assert_eq!(fake.send(get()).await.unwrap().status(), 200);
        let mut again = fake.send(get()).await.unwrap();
        assert_eq!(
            again.chunk().await.unwrap().as_deref(),
            Some(&br#"{"n":1}"#[..])
        );
        assert_eq!(fake.requests_for("a.b.get").len(), 3);
    }

    #[tokio::test]
    async fn paths_match_without_the_query_and_unknown_requests_get_404() {
        let fake = FakeTransport::new();
        fake.on_path("POST", "/v1/jobs/1:retry")
            .fail(TransportErrorKind::Connection, "reset");
        let post = request(
            "x.y",
            reqwest::Method::POST,
            "https://h/v1/jobs/1:retry?alt=json",
        );
        let error = fake.send(post).await.unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Connection);
        let other = request("x.z", reqwest::Method::GET, "https://h/v1/other");
        let mut response = fake.send(other).await.unwrap();
        assert_eq!(response.status(), 404);
        let body = response.chunk().await.unwrap().unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("x.z (GET /v1/other)"), "{text}");
        assert_eq!(fake.requests().len(), 2);
    }
}
