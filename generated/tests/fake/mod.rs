//! A fake Data Portability API for the tests: real HTTP/1.1 (hyper) on a loopback port.
//!
//! It follows section 6 of `shared/docs/data-portability-api.md` closely enough
//! for a client to be exercised end to end: the six routes, bearer tokens with
//! granted resource groups, the archive-job state machine, the `initiate`
//! limits, signed archive URLs served from fake storage, Google's JSON error
//! envelope, injected faults, and a record of every request so tests can check
//! what was sent. Tests drive it through Rust methods on [`FakeServer`] (no
//! control routes).
//!
//! Include it from a test file with `mod fake;`.
//!
//! # Time
//!
//! The fake has a clock of its own ([`FakeServer::now`]). It starts at the
//! real time of [`FakeServer::start`], cut to whole seconds, and then moves
//! only by [`FakeServer::advance_clock`], so tests about the 24-hour
//! cooldown, 6-hour URLs and 14-day archives run instantly and never flake.
//! Job `exportTime`s, cooldowns and URL signing times all read this clock.
//! [`RecordedRequest::at`] is the real monotonic time instead, for measuring
//! a client's backoff.
//!
//! # Jobs (R14, R15)
//!
//! A job made by `initiate` or `retry` is IN_PROGRESS for the first
//! [`FakeServer::set_polls_until_done`] polls of `getPortabilityArchiveState`
//! (2 unless set; the setting is read at each poll) and COMPLETE from the
//! next one on, or FAILED if [`FakeServer::fail_next_job`] picked it.
//! [`FakeServer::set_state`] and [`FakeServer::add_job`] pin a job: the
//! state machine leaves it alone from then on, so a test gets exactly the
//! state it set. `cancel` still works on a pinned IN_PROGRESS job.
//!
//! # `initiate` limits (R12)
//!
//! After validation (400) and the scope check (403), in this order:
//!
//! 1. An IN_PROGRESS job of the same user with the same set of groups and
//!    the same `startTime`/`endTime` text: 409 ALREADY_EXISTS, reason
//!    `ALREADY_EXISTS_ONE_TIME` or `_TIME_BASED` (the running job's access
//!    type), `metadata.job_id`.
//! 2. A group granted one-time that an earlier one-time job of the user
//!    exported (in any state) since the user's last `reset`: 429
//!    RESOURCE_EXHAUSTED, `RESOURCE_EXHAUSTED_ONE_TIME`, `previous_job_ids`.
//! 3. A group granted time-based that a time-based job of the user exported
//!    less than 24 fake hours ago: 429 RESOURCE_EXHAUSTED,
//!    `RESOURCE_EXHAUSTED_TIME_BASED`, `previous_job_ids` and
//!    `timestamp_after_24hrs` (with [`FakeServer::set_cooldown_as_failed_precondition`],
//!    400 FAILED_PRECONDITION with the same ErrorInfo, as Google's docs say).
//!
//! A job counts against the limit of its own access type: a one-time job
//! (one with any one-time group) uses up its one-time groups but starts no
//! cooldown for the time-based groups in it. A real consent is wholly
//! one-time or wholly time-based, so a mixed grant is the fake's invention
//! and this is its rule. Retries count against nothing. `reset` clears the
//! user's history (R27). [`FakeServer::set_export_limits`] turns all three
//! checks off, for tests that start many jobs.
//!
//! # Archives (R19–R21)
//!
//! COMPLETE jobs list [`storage::PARTS`] signed URLs on this same server;
//! see the `storage` module for what they serve and how they fail.
//!
//! # Faults
//!
//! [`FakeServer::inject`] queues a [`Fault`] for the next request;
//! [`FakeServer::inject_for`] for the next request whose raw path contains a
//! given text (such as `"portabilityArchiveState"` or `"/__storage/"`). Each
//! request takes the first queued fault that applies to it, so faults are
//! used once each, in order. A fault comes before a [`FakeServer::respond_next`]
//! answer, which stays queued; faults that "answer normally" (`Delay`,
//! `TruncatedBody`) use that canned answer if one is queued. Faulted
//! requests are recorded like any other, with the fault.

// Each test binary uses a different part of the fake.
#![allow(dead_code)]

mod clock;
mod faults;
#[path = "../percent/mod.rs"]
mod percent;
pub mod storage;

pub use clock::rfc3339;
pub use faults::Fault;
pub use percent::percent_decode;

use faults::{Connection, FakeBody, ResetConnection};
use http_body_util::{BodyExt, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The content type of every JSON answer, as Google sends it.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=UTF-8";

/// The ErrorInfo `domain` of the fake's errors (Google's is not documented).
pub const ERROR_DOMAIN: &str = "dataportability.googleapis.com";

/// How long a time-based group rests between exports.
pub const COOLDOWN: Duration = Duration::from_secs(24 * 60 * 60);

/// How many polls a new job stays IN_PROGRESS, unless a test sets another number.
pub const DEFAULT_POLLS_UNTIL_DONE: u32 = 2;

/// The most request-body bytes the fake reads, so a runaway client cannot
/// exhaust the test process's memory.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How often a FAILED job (counting from the job the user started) may be retried.
pub const MAX_RETRIES: u32 = 3;

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

    /// The suffix of the ALREADY_EXISTS / RESOURCE_EXHAUSTED reasons.
    fn reason_suffix(self) -> &'static str {
        match self {
            Access::OneTime => "ONE_TIME",
            Access::TimeBased => "TIME_BASED",
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
    /// The body bytes (empty when the body was over [`MAX_BODY_BYTES`]).
    pub body: Vec<u8>,
    /// When the request's head arrived, on the real monotonic clock (not the
    /// fake one), so tests can measure the waits between a client's attempts.
    pub at: Instant,
    /// The fault injected into this request, if any.
    pub fault: Option<Fault>,
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

    /// Registers `token` for `user` (jobs, and the `initiate` limits, belong
    /// to the user, whichever of its tokens is used).
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
    /// The job is pinned (see the module docs) and counts against no limit.
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
        let now = guard.now();
        let mut job = Job::new(
            user,
            vec!["myactivity.search".to_owned()],
            Access::OneTime,
            now,
        );
        job.origin = id.to_owned();
        job.force(state, now);
        guard.jobs.insert(id.to_owned(), job);
    }

    /// Moves job `id` to `state`, any string at all (so tests can send states
    /// the client does not know), and pins it there: polls no longer move it.
    /// Panics when there is no such job.
    pub fn set_state(&self, id: &str, state: &str) {
        let mut guard = self.lock();
        let now = guard.now();
        match guard.jobs.get_mut(id) {
            Some(job) => job.force(state, now),
            None => panic!("set_state: no job {id:?}"),
        }
    }

    /// The state of job `id`, if it exists.
    pub fn state_of(&self, id: &str) -> Option<String> {
        self.lock().jobs.get(id).map(|job| job.state.clone())
    }

    /// How many polls a new or running job stays IN_PROGRESS before it ends.
    /// `0` ends a job at its first poll.
    pub fn set_polls_until_done(&self, polls: u32) {
        self.lock().polls_until_done = polls;
    }

    /// Makes the next job created (by `initiate` or `retry`) whose groups
    /// include `group` end FAILED instead of COMPLETE. Calls add up: two
    /// calls fail the next two such jobs.
    pub fn fail_next_job(&self, group: &str) {
        self.lock().fail_next.push(group.to_owned());
    }

    /// Turns the `initiate` limits of R12 (409, and the two 429s) on or off.
    /// They are on unless a test turns them off.
    pub fn set_export_limits(&self, enabled: bool) {
        self.lock().limits = enabled;
    }

    /// Answers a time-based export inside its cooldown with 400
    /// FAILED_PRECONDITION, as Google's docs say, instead of the 429
    /// RESOURCE_EXHAUSTED that clients observe (the default).
    pub fn set_cooldown_as_failed_precondition(&self, enabled: bool) {
        self.lock().cooldown_failed_precondition = enabled;
    }

    /// The fake clock's current time (see the module docs).
    pub fn now(&self) -> SystemTime {
        self.lock().now()
    }

    /// Moves the fake clock forward by `by`.
    pub fn advance_clock(&self, by: Duration) {
        let mut state = self.lock();
        state.clock_offset = state.clock_offset.saturating_add(by);
    }

    /// Queues `fault` for the next request, whatever its path.
    pub fn inject(&self, fault: Fault) {
        self.lock().faults.push_back((None, fault));
    }

    /// Queues `fault` for the next request whose path, as sent (still
    /// percent-encoded, without the query), contains `path_part`.
    pub fn inject_for(&self, path_part: &str, fault: Fault) {
        self.lock()
            .faults
            .push_back((Some(path_part.to_owned()), fault));
    }

    /// How many injected faults no request has used yet.
    pub fn pending_faults(&self) -> usize {
        self.lock().faults.len()
    }

    /// Answers the next request with `status` and a JSON `body`, whatever it is.
    /// Several calls queue several answers, used in order.
    pub fn respond_next(&self, status: u16, body: impl Into<Vec<u8>>) {
        self.respond_next_raw(status, JSON_CONTENT_TYPE, body);
    }

    /// Like [`FakeServer::respond_next`], with another content type (an HTML
    /// page from a proxy, say).
    pub fn respond_next_raw(&self, status: u16, content_type: &str, body: impl Into<Vec<u8>>) {
        self.lock()
            .canned
            .push_back(Reply::new(status, content_type, body.into()));
    }

    /// Like [`FakeServer::respond_next_raw`], with further headers (name,
    /// value), sent in this order after `Content-Type`.
    pub fn respond_next_with_headers(
        &self,
        status: u16,
        content_type: &str,
        headers: &[(&str, &str)],
        body: impl Into<Vec<u8>>,
    ) {
        let mut reply = Reply::new(status, content_type, body.into());
        reply.headers = headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        self.lock().canned.push_back(reply);
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

// ---------------------------------------------------------------------------
// State

struct State {
    endpoint: String,
    tokens: HashMap<String, Grant>,
    jobs: HashMap<String, Job>,
    /// Retries so far, by the id of the job the user started.
    retries: HashMap<String, u32>,
    /// What `initiate` exported, for the limits of R12; `reset` clears a
    /// user's entries.
    exports: Vec<Export>,
    canned: VecDeque<Reply>,
    /// Injected faults, each with the path text it waits for (if any).
    faults: VecDeque<(Option<String>, Fault)>,
    requests: Vec<RecordedRequest>,
    next_id: u64,
    clock_start: SystemTime,
    clock_offset: Duration,
    polls_until_done: u32,
    /// Groups whose next new job fails, oldest first.
    fail_next: Vec<String>,
    limits: bool,
    cooldown_failed_precondition: bool,
    /// The key of the archive URL signatures, random per server so a URL
    /// from one test never works against another.
    signing_key: u64,
}

struct Grant {
    user: String,
    groups: Vec<(String, Access)>,
    revoked: bool,
}

/// A group exported by a job that `initiate` started.
struct Export {
    user: String,
    group: String,
    job_id: String,
    /// The job's access type, which decides the limit the export counts
    /// against (see the module docs).
    access: Access,
    at: SystemTime,
}

struct Job {
    user: String,
    groups: Vec<String>,
    access: Access,
    state: String,
    start_time: Option<String>,
    /// The `endTime` asked for, kept apart from `export_time` so that
    /// "identical job" (R12) compares what was requested.
    end_time: Option<String>,
    export_time: String,
    /// The job the user started; retries count against it.
    origin: String,
    /// Polls answered while IN_PROGRESS.
    polls: u32,
    /// Set by `set_state`/`add_job`: the state machine leaves the job alone.
    pinned: bool,
    /// Ends FAILED rather than COMPLETE (`fail_next_job`).
    fails: bool,
    /// When the job became COMPLETE (fake clock): the archive's 14 days count from here.
    completed_at: Option<SystemTime>,
    /// The archives were withdrawn by `reset`.
    purged: bool,
}

impl Job {
    fn new(user: String, groups: Vec<String>, access: Access, now: SystemTime) -> Job {
        Job {
            user,
            groups,
            access,
            state: "IN_PROGRESS".to_owned(),
            start_time: None,
            end_time: None,
            export_time: rfc3339(now),
            origin: String::new(),
            polls: 0,
            pinned: false,
            fails: false,
            completed_at: None,
            purged: false,
        }
    }

    /// Moves the job to `state`, noting when it completed.
    fn enter(&mut self, state: &str, now: SystemTime) {
        if state == "COMPLETE" && self.state != "COMPLETE" {
            self.completed_at = Some(now);
        }
        state.clone_into(&mut self.state);
    }

    /// A state set by a test: entered and pinned.
    fn force(&mut self, state: &str, now: SystemTime) {
        self.enter(state, now);
        self.pinned = true;
    }

    /// One poll: the state machine of R14, for jobs not pinned.
    fn poll(&mut self, polls_until_done: u32, now: SystemTime) {
        if self.pinned || self.state != "IN_PROGRESS" {
            return;
        }
        self.polls = self.polls.saturating_add(1);
        if self.polls > polls_until_done {
            let end = if self.fails { "FAILED" } else { "COMPLETE" };
            self.enter(end, now);
        }
    }

    /// The groups as a set, for comparing requests.
    fn group_set(&self) -> Vec<&str> {
        group_set(&self.groups)
    }
}

fn group_set(groups: &[String]) -> Vec<&str> {
    let mut set: Vec<&str> = groups.iter().map(String::as_str).collect();
    set.sort_unstable();
    set.dedup();
    set
}

impl State {
    fn new(endpoint: String) -> State {
        State {
            endpoint,
            tokens: HashMap::new(),
            jobs: HashMap::new(),
            retries: HashMap::new(),
            exports: Vec::new(),
            canned: VecDeque::new(),
            faults: VecDeque::new(),
            requests: Vec::new(),
            next_id: 0,
            clock_start: clock::whole_seconds(SystemTime::now()),
            clock_offset: Duration::ZERO,
            polls_until_done: DEFAULT_POLLS_UNTIL_DONE,
            fail_next: Vec::new(),
            limits: true,
            cooldown_failed_precondition: false,
            signing_key: std::collections::hash_map::RandomState::new()
                .build_hasher()
                .finish(),
        }
    }

    /// The fake clock.
    fn now(&self) -> SystemTime {
        self.clock_start
            .checked_add(self.clock_offset)
            .unwrap_or(self.clock_start)
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

    /// A new IN_PROGRESS job, failing if `fail_next_job` asked for it.
    fn create_job(&mut self, user: String, groups: Vec<String>, access: Access) -> Job {
        let mut job = Job::new(user, groups, access, self.now());
        if let Some(i) = self.fail_next.iter().position(|g| job.groups.contains(g)) {
            self.fail_next.remove(i);
            job.fails = true;
        }
        job
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

    /// Takes the first queued fault meant for a request to `path`.
    fn take_fault(&mut self, path: &str) -> Option<Fault> {
        let i = self
            .faults
            .iter()
            .position(|(part, _)| part.as_deref().is_none_or(|part| path.contains(part)))?;
        self.faults.remove(i).map(|(_, fault)| fault)
    }
}

/// Locks the state. A test that panicked while holding the lock must not
/// take the other requests down with it, so poisoning is ignored.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
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
            // Raised by the service to end this connection with a reset.
            let reset = Arc::new(AtomicBool::new(false));
            let connection = Connection::new(stream, Arc::clone(&reset));
            let service =
                service_fn(move |request| handle(Arc::clone(&state), Arc::clone(&reset), request));
            // A client that hangs up mid-request is not the fake's problem,
            // and neither is a connection a fault broke on purpose.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(connection), service)
                .await;
        });
    }
}

/// What to do with a request, decided under the lock and carried out after it.
enum Plan {
    Answer(Reply),
    Truncate(Reply),
    Delay(Reply, Duration),
    Reset,
}

async fn handle(
    state: Arc<Mutex<State>>,
    reset: Arc<AtomicBool>,
    request: Request<Incoming>,
) -> Result<Response<FakeBody>, ResetConnection> {
    let at = Instant::now();
    let (parts, body) = request.into_parts();
    let body = Limited::new(body, MAX_BODY_BYTES).collect().await;
    let too_large = body.is_err();
    let mut recorded = RecordedRequest {
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
        body: body.map(|b| b.to_bytes().to_vec()).unwrap_or_default(),
        at,
        fault: None,
    };
    let plan = {
        let mut state = lock(&state);
        if too_large {
            state.requests.push(recorded);
            let message =
                format!("Request body larger than {MAX_BODY_BYTES} bytes, or unreadable.");
            Plan::Answer(Reply::error(400, "INVALID_ARGUMENT", &message, vec![]))
        } else {
            recorded.fault = state.take_fault(&recorded.path);
            state.requests.push(recorded.clone());
            plan(&mut state, &recorded)
        }
    };
    match plan {
        Plan::Answer(reply) => Ok(reply.into_response(false)),
        Plan::Truncate(reply) => Ok(reply.into_response(true)),
        Plan::Delay(reply, wait) => {
            tokio::time::sleep(wait).await;
            Ok(reply.into_response(false))
        }
        Plan::Reset => {
            reset.store(true, Ordering::SeqCst);
            Err(ResetConnection)
        }
    }
}

/// The answer to a request, given its fault.
fn plan(state: &mut State, request: &RecordedRequest) -> Plan {
    // A canned answer, else the fake's own: what "answer normally" means.
    let normal = |state: &mut State| match state.canned.pop_front() {
        Some(canned) => canned,
        None => respond(state, request),
    };
    match &request.fault {
        None => Plan::Answer(normal(state)),
        Some(Fault::ConnectionReset) => Plan::Reset,
        Some(Fault::Status(code)) => {
            // Only a final HTTP status can be sent; anything else is a 500.
            let code = if (200..=999).contains(code) {
                *code
            } else {
                500
            };
            let status = faults::status_name(code);
            Plan::Answer(Reply::error(
                code,
                status,
                faults::status_message(code),
                vec![],
            ))
        }
        Some(Fault::TooManyRequests { retry_after }) => {
            let mut reply = Reply::error(
                429,
                "RESOURCE_EXHAUSTED",
                "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' \
                 of service 'dataportability.googleapis.com'.",
                vec![error_info(
                    "RATE_LIMIT_EXCEEDED",
                    &[("service", "dataportability.googleapis.com")],
                )],
            );
            if let Some(retry_after) = retry_after {
                reply
                    .headers
                    .push(("retry-after".to_owned(), retry_after.clone()));
            }
            Plan::Answer(reply)
        }
        Some(Fault::TruncatedBody) => Plan::Truncate(normal(state)),
        Some(Fault::NonJson) => Plan::Answer(Reply::new(
            200,
            "text/html; charset=UTF-8",
            b"<html><head><title>Sign in</title></head>\
              <body><p>Please sign in to continue.</p></body></html>"
                .to_vec(),
        )),
        Some(Fault::Delay(wait)) => Plan::Delay(normal(state), *wait),
    }
}

/// An answer, before it becomes a hyper response.
struct Reply {
    status: u16,
    content_type: String,
    body: Vec<u8>,
    /// Further headers (name, value), such as `WWW-Authenticate`.
    headers: Vec<(String, String)>,
}

impl Reply {
    fn new(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type: content_type.to_owned(),
            body,
            headers: Vec::new(),
        }
    }

    fn json(status: u16, body: &Value) -> Reply {
        Reply::new(status, JSON_CONTENT_TYPE, body.to_string().into_bytes())
    }

    /// The §3 envelope; every API error goes through here (R29, R30).
    fn error(code: u16, status: &str, message: &str, details: Vec<Value>) -> Reply {
        let body = error_body(code, status, message, details);
        Reply::new(code, JSON_CONTENT_TYPE, body.into_bytes())
    }

    /// The response; with `truncate`, `Content-Length` announces the whole
    /// body but only the first half is sent before the connection breaks.
    fn into_response(self, truncate: bool) -> Response<FakeBody> {
        // A canned status, content type or header may be nonsense; never
        // panic on it, answer a plain 500 instead.
        let fallback = || {
            let mut response = Response::new(FakeBody::full(Bytes::from_static(b"{}")));
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
        };
        // hyper cannot send a 1xx as the final answer either.
        let status = match StatusCode::from_u16(self.status) {
            Ok(status) if !status.is_informational() => status,
            _ => return fallback(),
        };
        let mut builder = Response::builder()
            .status(status)
            .header(hyper::header::CONTENT_TYPE, self.content_type);
        for (name, value) in self.headers {
            builder = builder.header(name, value);
        }
        let body = if truncate {
            // Announce at least one byte more than is sent, even for an
            // empty body.
            let announced = self.body.len().max(1);
            builder = builder.header(hyper::header::CONTENT_LENGTH, announced);
            let sent = self.body.len() / 2;
            let mut part = self.body;
            part.truncate(sent);
            FakeBody::truncated(Bytes::from(part))
        } else {
            FakeBody::full(Bytes::from(self.body))
        };
        builder.body(body).unwrap_or_else(|_| fallback())
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
    // Signed archive URLs carry their own credential; no token is needed.
    if request.path.starts_with(storage::PREFIX) {
        return storage::serve(state, request);
    }
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
        reply.headers.push((
            "www-authenticate".to_owned(),
            "Bearer realm=\"https://accounts.google.com/\"".to_owned(),
        ));
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
    let mut granted = Vec::new();
    for resource in &body.resources {
        match grant.groups.iter().find(|(group, _)| group == resource) {
            Some((group, group_access)) => {
                // One one-time group makes the whole job one-time.
                if *group_access == Access::OneTime {
                    access = Access::OneTime;
                }
                granted.push((group.clone(), *group_access));
            }
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
    if state.limits {
        if let Err(reply) = check_limits(state, &user, &body, &granted) {
            return reply;
        }
    }
    let id = state.new_job_id();
    let mut job = state.create_job(user.clone(), body.resources, access);
    job.start_time = body.start_time;
    job.end_time = body.end_time.clone();
    if let Some(end) = body.end_time {
        job.export_time = end;
    }
    job.origin = id.clone();
    let now = state.now();
    for group in job.group_set() {
        state.exports.push(Export {
            user: user.clone(),
            group: group.to_owned(),
            job_id: id.clone(),
            access,
            at: now,
        });
    }
    state.jobs.insert(id.clone(), job);
    Reply::json(
        200,
        &json!({"archiveJobId": id, "accessType": access.as_str()}),
    )
}

/// The three `initiate` rules of R12, in their order (see the module docs).
fn check_limits(
    state: &State,
    user: &str,
    body: &InitiateBody,
    granted: &[(String, Access)],
) -> Result<(), Reply> {
    // 1. The same request is still running: point at that job, as Google does,
    //    so a client whose first answer was lost can find it.
    let wanted = group_set(&body.resources);
    let running = state.jobs.iter().find(|(_, job)| {
        job.user == user
            && job.state == "IN_PROGRESS"
            && job.group_set() == wanted
            && job.start_time == body.start_time
            && job.end_time == body.end_time
    });
    if let Some((id, job)) = running {
        let reason = format!("ALREADY_EXISTS_{}", job.access.reason_suffix());
        return Err(Reply::error(
            409,
            "ALREADY_EXISTS",
            &format!("An identical archive job ({id}) is already in progress."),
            vec![error_info(&reason, &[("job_id", id)])],
        ));
    }

    // The earlier exports of the requested groups granted with `access`.
    let previous = |access: Access| -> Vec<&Export> {
        state
            .exports
            .iter()
            .filter(|export| {
                export.user == user
                    && export.access == access
                    && granted
                        .iter()
                        .any(|(group, a)| *a == access && *group == export.group)
            })
            .collect()
    };
    let ids = |exports: &[&Export]| -> String {
        let mut ids: Vec<&str> = Vec::new();
        for export in exports {
            if !ids.contains(&export.job_id.as_str()) {
                ids.push(&export.job_id);
            }
        }
        ids.join(",")
    };

    // 2. A one-time group already exported since the last reset.
    let used = previous(Access::OneTime);
    if !used.is_empty() {
        return Err(Reply::error(
            429,
            "RESOURCE_EXHAUSTED",
            "Requested resources have already been exported under one-time access. \
             Reset the authorization and ask for consent again to export them again.",
            vec![error_info(
                "RESOURCE_EXHAUSTED_ONE_TIME",
                &[("previous_job_ids", &ids(&used))],
            )],
        ));
    }

    // 3. A time-based group exported less than 24 hours ago (fake clock).
    let now = state.now();
    let recent: Vec<&Export> = previous(Access::TimeBased)
        .into_iter()
        .filter(|export| {
            export
                .at
                .checked_add(COOLDOWN)
                .is_some_and(|free| now < free)
        })
        .collect();
    if let Some(free) = recent
        .iter()
        .filter_map(|e| e.at.checked_add(COOLDOWN))
        .max()
    {
        let after = rfc3339(free);
        let message = format!(
            "Requested resources were exported less than 24 hours ago; \
             initiate another export after {after}."
        );
        let details = vec![error_info(
            "RESOURCE_EXHAUSTED_TIME_BASED",
            &[
                ("previous_job_ids", &ids(&recent)),
                ("timestamp_after_24hrs", &after),
            ],
        )];
        return Err(if state.cooldown_failed_precondition {
            Reply::error(400, "FAILED_PRECONDITION", &message, details)
        } else {
            Reply::error(429, "RESOURCE_EXHAUSTED", &message, details)
        });
    }
    Ok(())
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
    let (now, key, polls_until_done) = (state.now(), state.signing_key, state.polls_until_done);
    let job = match state.job_of(&user, id) {
        Ok(job) => job,
        Err(reply) => return reply,
    };
    job.poll(polls_until_done, now);
    let mut body = Map::new();
    body.insert(
        "name".to_owned(),
        Value::from(format!("archiveJobs/{id}/portabilityArchiveState")),
    );
    body.insert("state".to_owned(), Value::from(job.state.as_str()));
    // Signed URLs exist only once the archive does (R17).
    if job.state == "COMPLETE" {
        let urls = storage::signed_urls(&endpoint, key, id, now);
        body.insert("urls".to_owned(), Value::from(urls));
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

fn retry(state: &mut State, token: &str, id: &str) -> Reply {
    let user = user_of(state, token);
    let (groups, access, start_time, end_time, export_time, origin) = match state.job_of(&user, id)
    {
        Ok(job) if job.state == "FAILED" => (
            job.groups.clone(),
            job.access,
            job.start_time.clone(),
            job.end_time.clone(),
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
    let mut job = state.create_job(user, groups, access);
    job.start_time = start_time;
    job.end_time = end_time;
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

/// Revokes the calling token (later calls with it get 401), forgets the
/// user's exports so a new consent may export again, and withdraws the
/// user's archives (R27).
fn reset(state: &mut State, token: &str) -> Reply {
    let user = user_of(state, token);
    if let Some(grant) = state.tokens.get_mut(token) {
        grant.revoked = true;
    }
    state.exports.retain(|export| export.user != user);
    for job in state.jobs.values_mut().filter(|job| job.user == user) {
        job.purged = true;
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
