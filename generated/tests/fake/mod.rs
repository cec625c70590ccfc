//! A fake Data Portability API for the tests: real HTTP/1.1 (hyper) on a loopback port.
//!
//! It follows section 6 of `shared/docs/data-portability-api.md` closely enough
//! for a client to be exercised end to end: the six routes, bearer tokens with
//! granted resource groups, the archive-job state machine, Google's JSON error
//! envelope, and a record of every request so tests can check what was sent.
//! Tests drive it through Rust methods on [`FakeServer`] (no control routes).
//!
//! Include it from a test file with `mod fake;`.

// Each test binary uses a different part of the fake.
#![allow(dead_code)]

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The content type of every JSON answer, as Google sends it.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=UTF-8";

/// The ErrorInfo `domain` of the fake's errors (Google's is not documented).
pub const ERROR_DOMAIN: &str = "dataportability.googleapis.com";

/// The most request-body bytes the fake reads, so a runaway client cannot
/// exhaust the test process's memory.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How often a FAILED job (counting from the job the user started) may be retried.
const MAX_RETRIES: u32 = 3;

/// How the user granted a resource group at consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// One export per group.
    OneTime,
    /// Repeated exports while the consent lasts.
    TimeBased,
}

impl Access {
    /// The `accessType` enum value on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Access::OneTime => "ACCESS_TYPE_ONE_TIME",
            Access::TimeBased => "ACCESS_TYPE_TIME_BASED",
        }
    }
}

/// One request as the fake received it, before any decoding.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// The HTTP verb, such as `POST`.
    pub method: String,
    /// The path exactly as sent, still percent-encoded.
    pub path: String,
    /// The query exactly as sent, without the `?`; `None` when there was no `?`.
    pub query: Option<String>,
    /// Header names (lowercase) and values, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The query's name-value pairs, percent-decoded (`+` is a space), in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query.as_deref().map(query_pairs).unwrap_or_default()
    }

    /// The body parsed as JSON; `None` when it is not JSON.
    pub fn body_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body as text (lossy), for assertion messages.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A running fake. It stops accepting connections when dropped.
pub struct FakeServer {
    endpoint: String,
    state: Arc<Mutex<State>>,
    accept_loop: JoinHandle<()>,
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

impl FakeServer {
    /// Binds 127.0.0.1 on an ephemeral port and starts serving.
    ///
    /// Must be called inside a Tokio runtime (such as `#[tokio::test]`).
    pub async fn start() -> FakeServer {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("the fake server could not bind 127.0.0.1");
        let address = listener
            .local_addr()
            .expect("the fake server's listener has no address");
        let endpoint = format!("http://{address}/");
        let state = Arc::new(Mutex::new(State::new(endpoint.clone())));
        let accept_loop = tokio::spawn(accept_connections(listener, Arc::clone(&state)));
        FakeServer {
            endpoint,
            state,
            accept_loop,
        }
    }

    /// The root URL to give the client: `http://127.0.0.1:PORT/`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Registers `token` for a user of its own, granting `groups` with `access`.
    ///
    /// Calling it again for the same token adds groups, so one token can hold
    /// one-time and time-based groups at once.
    pub fn add_token(&self, token: &str, access: Access, groups: &[&str]) {
        self.add_user_token(token, token, access, groups);
    }

    /// Registers `token` for `user` (jobs are visible to every token of their user).
    pub fn add_user_token(&self, user: &str, token: &str, access: Access, groups: &[&str]) {
        let mut state = self.lock();
        let grant = state
            .tokens
            .entry(token.to_owned())
            .or_insert_with(|| Grant {
                user: user.to_owned(),
                groups: Vec::new(),
                revoked: false,
            });
        for group in groups {
            grant.groups.retain(|(g, _)| g != group);
            grant.groups.push(((*group).to_owned(), access));
        }
    }

    /// Whether `token` was revoked (by `authorization.reset`).
    pub fn is_revoked(&self, token: &str) -> bool {
        self.lock().tokens.get(token).is_some_and(|g| g.revoked)
    }

    /// Creates a job with id `id` in `state`, owned by the user of `token`, for
    /// tests that need a particular id (one with reserved characters, say).
    ///
    /// Panics when the token is unknown or the id is taken: a broken test.
    pub fn add_job(&self, token: &str, id: &str, state: &str) {
        let mut guard = self.lock();
        let user = match guard.tokens.get(token) {
            Some(grant) => grant.user.clone(),
            None => panic!("add_job: token {token:?} was never registered"),
        };
        assert!(
            !guard.jobs.contains_key(id),
            "add_job: job {id:?} already exists"
        );
        let mut job = Job::new(user, vec!["myactivity.search".to_owned()], Access::OneTime);
        job.state = state.to_owned();
        job.origin = id.to_owned();
        guard.jobs.insert(id.to_owned(), job);
    }

    /// Moves job `id` to `state`, any string at all (so tests can send states
    /// the client does not know). Panics when there is no such job.
    pub fn set_state(&self, id: &str, state: &str) {
        match self.lock().jobs.get_mut(id) {
            Some(job) => job.state = state.to_owned(),
            None => panic!("set_state: no job {id:?}"),
        }
    }

    /// The state of job `id`, if it exists.
    pub fn state_of(&self, id: &str) -> Option<String> {
        self.lock().jobs.get(id).map(|job| job.state.clone())
    }

    /// Answers the next request with `status` and a JSON `body`, whatever it is.
    /// Several calls queue several answers, used in order.
    pub fn respond_next(&self, status: u16, body: impl Into<Vec<u8>>) {
        self.respond_next_raw(status, JSON_CONTENT_TYPE, body);
    }

    /// Like [`FakeServer::respond_next`], with another content type (an HTML
    /// page from a proxy, say).
    pub fn respond_next_raw(&self, status: u16, content_type: &str, body: impl Into<Vec<u8>>) {
        self.lock().canned.push_back(Reply {
            status,
            content_type: content_type.to_owned(),
            body: body.into(),
            www_authenticate: false,
        });
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// How many requests were received.
    pub fn request_count(&self) -> usize {
        self.lock().requests.len()
    }

    /// The most recent request. Panics when there was none.
    pub fn last_request(&self) -> RecordedRequest {
        self.lock()
            .requests
            .last()
            .cloned()
            .expect("the fake server received no request")
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

/// A Google error envelope, as text: `{"error": {"code", "message", "status", "details"}}`.
pub fn error_body(code: u16, status: &str, message: &str, details: Vec<Value>) -> String {
    json!({
        "error": {
            "code": code,
            "message": message,
            "status": status,
            "details": details,
        }
    })
    .to_string()
}

/// A `google.rpc.ErrorInfo` detail with `reason` and `metadata`.
pub fn error_info(reason: &str, metadata: &[(&str, &str)]) -> Value {
    let metadata: Map<String, Value> = metadata
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
        .collect();
    json!({
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": reason,
        "domain": ERROR_DOMAIN,
        "metadata": metadata,
    })
}

/// Percent-decodes `text`; `None` for a malformed escape or bytes that are not UTF-8.
pub fn percent_decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                out.push((hex_value(hex[0])? << 4) | hex_value(hex[1])?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Splits a raw query into decoded pairs; a part that does not decode is kept as sent.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| percent_decode(s, true).unwrap_or_else(|| s.to_owned());
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            (decode(name), decode(value))
        })
        .collect()
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// State

struct State {
    endpoint: String,
    tokens: HashMap<String, Grant>,
    jobs: HashMap<String, Job>,
    /// Retries so far, by the id of the job the user started.
    retries: HashMap<String, u32>,
    canned: VecDeque<Reply>,
    requests: Vec<RecordedRequest>,
    next_id: u64,
}

struct Grant {
    user: String,
    groups: Vec<(String, Access)>,
    revoked: bool,
}

struct Job {
    user: String,
    groups: Vec<String>,
    access: Access,
    state: String,
    start_time: Option<String>,
    export_time: String,
    /// The job the user started; retries count against it.
    origin: String,
}

impl Job {
    fn new(user: String, groups: Vec<String>, access: Access) -> Job {
        Job {
            user,
            groups,
            access,
            state: "IN_PROGRESS".to_owned(),
            start_time: None,
            export_time: now_rfc3339(),
            origin: String::new(),
        }
    }
}

impl State {
    fn new(endpoint: String) -> State {
        State {
            endpoint,
            tokens: HashMap::new(),
            jobs: HashMap::new(),
            retries: HashMap::new(),
            canned: VecDeque::new(),
            requests: Vec::new(),
            next_id: 0,
        }
    }

    /// An opaque, unique job id: a counter scrambled by a bijection
    /// (splitmix64), so ids look random but never repeat.
    fn new_job_id(&mut self) -> String {
        loop {
            self.next_id += 1;
            let mut z = self.next_id.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            let id = format!("{:016x}", z ^ (z >> 31));
            // Tests may have added jobs with ids of their own.
            if !self.jobs.contains_key(&id) {
                return id;
            }
        }
    }

    /// A job of `user`; another user's job is as good as absent (R10).
    fn job_of(&mut self, user: &str, id: &str) -> Result<&mut Job, Reply> {
        match self.jobs.get_mut(id) {
            Some(job) if job.user == user => Ok(job),
            _ => Err(Reply::error(
                404,
                "NOT_FOUND",
                &format!("Archive job {id:?} was not found."),
                vec![],
            )),
        }
    }
}

/// Locks the state. A test that panicked while holding the lock must not
/// take the other requests down with it, so poisoning is ignored.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

fn now_rfc3339() -> String {
    google_dataportability_v1::Timestamp::try_from(SystemTime::now())
        .map(|t| t.to_string())
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

// ---------------------------------------------------------------------------
// HTTP

async fn accept_connections(listener: TcpListener, state: Arc<Mutex<State>>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Transient (out of file descriptors, a reset during the
                // handshake): wait a little rather than spin or stop.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(Arc::clone(&state), request));
            // A client that hangs up mid-request is not the fake's problem.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    state: Arc<Mutex<State>>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let reply = Reply::error(400, "INVALID_ARGUMENT", "Unreadable request body.", vec![]);
            return Ok(reply.into_response());
        }
    };
    let recorded = RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect(),
        body: body.to_vec(),
    };
    let reply = {
        let mut state = lock(&state);
        state.requests.push(recorded.clone());
        match state.canned.pop_front() {
            Some(canned) => canned,
            None => respond(&mut state, &recorded),
        }
    };
    Ok(reply.into_response())
}

/// An answer, before it becomes a hyper response.
struct Reply {
    status: u16,
    content_type: String,
    body: Vec<u8>,
    www_authenticate: bool,
}

impl Reply {
    fn json(status: u16, body: &Value) -> Reply {
        Reply {
            status,
            content_type: JSON_CONTENT_TYPE.to_owned(),
            body: body.to_string().into_bytes(),
            www_authenticate: false,
        }
    }

    fn error(code: u16, status: &str, message: &str, details: Vec<Value>) -> Reply {
        Reply {
            status: code,
            content_type: JSON_CONTENT_TYPE.to_owned(),
            body: error_body(code, status, message, details).into_bytes(),
            www_authenticate: false,
        }
    }

    fn into_response(self) -> Response<Full<Bytes>> {
        // A canned status or content type may be nonsense; never panic on it.
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut builder = Response::builder()
            .status(status)
            .header(hyper::header::CONTENT_TYPE, self.content_type);
        if self.www_authenticate {
            builder = builder.header(
                hyper::header::WWW_AUTHENTICATE,
                "Bearer realm=\"https://accounts.google.com/\"",
            );
        }
        builder
            .body(Full::new(Bytes::from(self.body)))
            .unwrap_or_else(|_| {
                let mut response = Response::new(Full::new(Bytes::from_static(b"{}")));
                *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                response
            })
    }
}

/// The six methods, with the job id already decoded.
#[derive(Debug, PartialEq, Eq)]
enum Route {
    Initiate,
    GetState(String),
    Retry(String),
    Cancel(String),
    Reset,
    Check,
}

impl Route {
    /// Matches a request to a method: each segment is percent-decoded first
    /// (`%3A` is `:`), and an encoded `/` stays inside its segment.
    fn parse(method: &str, raw_path: &str) -> Option<Route> {
        let segments = raw_path
            .strip_prefix('/')?
            .split('/')
            .map(|segment| percent_decode(segment, false))
            .collect::<Option<Vec<String>>>()?;
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        match (method, segments.as_slice()) {
            ("POST", ["v1", "portabilityArchive:initiate"]) => Some(Route::Initiate),
            ("POST", ["v1", "authorization:reset"]) => Some(Route::Reset),
            ("POST", ["v1", "accessType:check"]) => Some(Route::Check),
            ("GET", ["v1", "archiveJobs", id, "portabilityArchiveState"]) if !id.is_empty() => {
                Some(Route::GetState((*id).to_owned()))
            }
            ("POST", ["v1", "archiveJobs", last]) => {
                // The custom verb follows the last `:`; an id may hold `:` itself.
                let (id, verb) = last.rsplit_once(':')?;
                if id.is_empty() {
                    return None;
                }
                match verb {
                    "retry" => Some(Route::Retry(id.to_owned())),
                    "cancel" => Some(Route::Cancel(id.to_owned())),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// The fake's own answer to a request (no canned reply was queued).
fn respond(state: &mut State, request: &RecordedRequest) -> Reply {
    let Some(route) = Route::parse(&request.method, &request.path) else {
        let message = format!(
            "The requested URL {} was not found on this server (verb {}).",
            request.path, request.method
        );
        return Reply::error(404, "NOT_FOUND", &message, vec![]);
    };
    let token = match authenticate(state, request) {
        Ok(token) => token,
        Err(reply) => return reply,
    };
    match route {
        Route::Initiate => initiate(state, &token, &request.body),
        Route::GetState(id) => get_state(state, &token, &id),
        Route::Retry(id) => retry(state, &token, &id),
        Route::Cancel(id) => cancel(state, &token, &id),
        Route::Reset => reset(state, &token),
        Route::Check => check(state, &token),
    }
}

/// The token of a request: `Authorization: Bearer`, or `access_token` /
/// `oauth_token` in the query, as Google accepts (R5).
fn presented_token(request: &RecordedRequest) -> Option<String> {
    if let Some(value) = request.header("authorization") {
        let (scheme, token) = value.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned());
    }
    request
        .query_pairs()
        .into_iter()
        .find(|(name, _)| name == "access_token" || name == "oauth_token")
        .map(|(_, value)| value)
}

/// The caller's live token with at least one group, or the 401/403 to send.
fn authenticate(state: &State, request: &RecordedRequest) -> Result<String, Reply> {
    let unauthenticated = |details| {
        let mut reply = Reply::error(
            401,
            "UNAUTHENTICATED",
            "Request had invalid authentication credentials. Expected OAuth 2 access token, \
             login cookie or other valid authentication credential.",
            details,
        );
        reply.www_authenticate = true;
        reply
    };
    let Some(token) = presented_token(request) else {
        return Err(unauthenticated(vec![error_info(
            "CREDENTIALS_MISSING",
            &[],
        )]));
    };
    match state.tokens.get(&token) {
        Some(grant) if !grant.revoked && grant.groups.is_empty() => Err(Reply::error(
            403,
            "PERMISSION_DENIED",
            "Request had insufficient authentication scopes.",
            vec![error_info("ACCESS_TOKEN_SCOPE_INSUFFICIENT", &[])],
        )),
        Some(grant) if !grant.revoked => Ok(token),
        _ => Err(unauthenticated(vec![])),
    }
}

fn invalid_argument(message: &str) -> Reply {
    Reply::error(400, "INVALID_ARGUMENT", message, vec![])
}

fn failed_precondition(message: &str) -> Reply {
    Reply::error(400, "FAILED_PRECONDITION", message, vec![])
}

/// What `initiate` asked for, after validation.
struct InitiateBody {
    resources: Vec<String>,
    start_time: Option<String>,
    end_time: Option<String>,
}

/// Checks an `initiate` body (R11): only known fields (camelCase or
/// snake_case), a non-empty list of group names, RFC 3339 times in order.
fn parse_initiate_body(body: &[u8]) -> Result<InitiateBody, Reply> {
    // An empty body means an empty message (R31).
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(body)
            .map_err(|e| invalid_argument(&format!("Invalid JSON payload received. {e}")))?
    };
    let Value::Object(fields) = value else {
        return Err(invalid_argument(
            "Invalid JSON payload received. Expected an object.",
        ));
    };
    let mut parsed = InitiateBody {
        resources: Vec::new(),
        start_time: None,
        end_time: None,
    };
    for (name, value) in &fields {
        match name.as_str() {
            "resources" => parsed.resources = string_list(value)?,
            "startTime" | "start_time" => parsed.start_time = Some(timestamp(name, value)?),
            "endTime" | "end_time" => parsed.end_time = Some(timestamp(name, value)?),
            other => {
                return Err(invalid_argument(&format!(
                    "Invalid JSON payload received. Unknown name {other:?}: Cannot find field."
                )));
            }
        }
    }
    if parsed.resources.is_empty() {
        return Err(invalid_argument("At least one resource must be requested."));
    }
    if let (Some(start), Some(end)) = (&parsed.start_time, &parsed.end_time) {
        if parse_time(start) > parse_time(end) {
            return Err(invalid_argument("startTime must not be after endTime."));
        }
    }
    Ok(parsed)
}

fn string_list(value: &Value) -> Result<Vec<String>, Reply> {
    let invalid = || invalid_argument("Invalid value at 'resources': expected a list of strings.");
    let items = value.as_array().ok_or_else(invalid)?;
    items
        .iter()
        .map(|item| item.as_str().map(str::to_owned).ok_or_else(invalid))
        .collect()
}

fn timestamp(field: &str, value: &Value) -> Result<String, Reply> {
    match value.as_str() {
        Some(text) if parse_time(text).is_some() => Ok(text.to_owned()),
        _ => Err(invalid_argument(&format!(
            "Invalid value at '{field}': expected an RFC 3339 timestamp."
        ))),
    }
}

/// The crate's own parser: the timestamp tests check it independently.
fn parse_time(text: &str) -> Option<google_dataportability_v1::Timestamp> {
    google_dataportability_v1::Timestamp::parse(text).ok()
}

fn initiate(state: &mut State, token: &str, body: &[u8]) -> Reply {
    let body = match parse_initiate_body(body) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let Some(grant) = state.tokens.get(token) else {
        return Reply::error(401, "UNAUTHENTICATED", "Unknown token.", vec![]);
    };
    let mut access = Access::TimeBased;
    for resource in &body.resources {
        match grant.groups.iter().find(|(group, _)| group == resource) {
            // One one-time group makes the whole job one-time.
            Some((_, Access::OneTime)) => access = Access::OneTime,
            Some((_, Access::TimeBased)) => {}
            None => {
                return Reply::error(
                    403,
                    "PERMISSION_DENIED",
                    "The requested resources are not authorized by the OAuth token.",
                    vec![],
                );
            }
        }
    }
    let user = grant.user.clone();
    let id = state.new_job_id();
    let mut job = Job::new(user, body.resources, access);
    job.start_time = body.start_time;
    if let Some(end) = body.end_time {
        job.export_time = end;
    }
    job.origin = id.clone();
    state.jobs.insert(id.clone(), job);
    Reply::json(
        200,
        &json!({"archiveJobId": id, "accessType": access.as_str()}),
    )
}

fn user_of(state: &State, token: &str) -> String {
    state
        .tokens
        .get(token)
        .map(|grant| grant.user.clone())
        .unwrap_or_default()
}

fn get_state(state: &mut State, token: &str, id: &str) -> Reply {
    let user = user_of(state, token);
    let endpoint = state.endpoint.clone();
    let job = match state.job_of(&user, id) {
        Ok(job) => job,
        Err(reply) => return reply,
    };
    let mut body = Map::new();
    body.insert(
        "name".to_owned(),
        Value::from(format!("archiveJobs/{id}/portabilityArchiveState")),
    );
    body.insert("state".to_owned(), Value::from(job.state.as_str()));
    // Signed URLs exist only once the archive does (R17).
    if job.state == "COMPLETE" {
        body.insert("urls".to_owned(), Value::from(archive_urls(&endpoint, id)));
    }
    if let Some(start) = &job.start_time {
        body.insert("startTime".to_owned(), Value::from(start.as_str()));
    }
    body.insert(
        "exportTime".to_owned(),
        Value::from(job.export_time.as_str()),
    );
    Reply::json(200, &Value::Object(body))
}

/// Signed-looking URLs of the archive files. The fake does not serve them.
fn archive_urls(endpoint: &str, id: &str) -> Vec<String> {
    let mut encoded_id = String::new();
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded_id.push(char::from(byte));
        } else {
            encoded_id.push_str(&format!("%{byte:02X}"));
        }
    }
    (1..=2)
        .map(|n| {
            format!(
                "{endpoint}__storage/{encoded_id}/archive-{n}.zip\
                 ?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Expires=21600&X-Goog-Signature=0f{n}"
            )
        })
        .collect()
}

fn retry(state: &mut State, token: &str, id: &str) -> Reply {
    let user = user_of(state, token);
    let (groups, access, start_time, export_time, origin) = match state.job_of(&user, id) {
        Ok(job) if job.state == "FAILED" => (
            job.groups.clone(),
            job.access,
            job.start_time.clone(),
            job.export_time.clone(),
            job.origin.clone(),
        ),
        Ok(job) => {
            let message = format!(
                "Only a FAILED archive job can be retried; this one is {}.",
                job.state
            );
            return failed_precondition(&message);
        }
        Err(reply) => return reply,
    };
    let retries = state.retries.entry(origin.clone()).or_insert(0);
    if *retries >= MAX_RETRIES {
        return failed_precondition(
            "This archive job was already retried the maximum number of times.",
        );
    }
    *retries += 1;
    // The new job repeats the failed one; the failed job keeps its id and state (R22).
    let new_id = state.new_job_id();
    let mut job = Job::new(user, groups, access);
    job.start_time = start_time;
    job.export_time = export_time;
    job.origin = origin;
    state.jobs.insert(new_id.clone(), job);
    Reply::json(200, &json!({"archiveJobId": new_id}))
}

fn cancel(state: &mut State, token: &str, id: &str) -> Reply {
    let user = user_of(state, token);
    match state.job_of(&user, id) {
        Ok(job) if job.state == "IN_PROGRESS" => {
            job.state = "CANCELLED".to_owned();
            Reply::json(200, &json!({}))
        }
        Ok(job) => {
            let message = format!(
                "Only an IN_PROGRESS archive job can be cancelled; this one is {}.",
                job.state
            );
            failed_precondition(&message)
        }
        Err(reply) => reply,
    }
}

/// Revokes the calling token: later calls with it get 401 (R27).
fn reset(state: &mut State, token: &str) -> Reply {
    if let Some(grant) = state.tokens.get_mut(token) {
        grant.revoked = true;
    }
    Reply::json(200, &json!({}))
}

/// The token's groups by access type; empty lists are omitted, as in proto3 JSON (R28).
fn check(state: &State, token: &str) -> Reply {
    let groups = state
        .tokens
        .get(token)
        .map(|grant| grant.groups.as_slice())
        .unwrap_or_default();
    let of = |access: Access| -> Vec<&str> {
        groups
            .iter()
            .filter(|(_, a)| *a == access)
            .map(|(group, _)| group.as_str())
            .collect()
    };
    let mut body = Map::new();
    for (field, access) in [
        ("oneTimeResources", Access::OneTime),
        ("timeBasedResources", Access::TimeBased),
    ] {
        let list = of(access);
        if !list.is_empty() {
            body.insert(field.to_owned(), Value::from(list));
        }
    }
    Reply::json(200, &Value::Object(body))
}
