//! Long-running operations: a call that starts work on the server returns
//! an operation at once, and a [`Poller`] asks for it again, with backoff,
//! until it is done.
//!
//! Two shapes are understood, both read through the operation's JSON so the
//! generated code only names the shape: Google's `google.longrunning.Operation`
//! (`name`, `done`, `error` as a `google.rpc.Status`, `metadata`,
//! `response`; google.aip.dev/151) and Compute Engine's own `Operation`
//! (`name`, `status: DONE`, `error.errors[]`, `httpErrorStatusCode`).

use super::BoxFuture;
use super::error::{self, Error, Result, TimeoutError, TimeoutKind};
use super::retry::RetryPolicy;
use super::rpc::Code;
use serde::de::DeserializeOwned;
use std::fmt;
use std::time::{Duration, Instant};

/// How a [`Poller`] waits between polls: a [`RetryPolicy`] whose delays
/// are the waits, whose attempt limit is the most polls and whose time
/// limit ends polling (with [`Error::Timeout`] of kind
/// [`TimeoutKind::Polling`]). [`RetryPolicy::polling`] is the default.
pub type PollingPolicy = RetryPolicy;

/// How an operation type says where it stands. Generated crates implement
/// it for each operation type their API returns (with
/// the runtime macro `operation_impls!`).
pub trait Operation: DeserializeOwned + serde::Serialize + Send + 'static {
    /// The shape of the operation.
    const STYLE: OperationStyle;
}

/// Which convention an operation type follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OperationStyle {
    /// `google.longrunning.Operation`: `done`, `error` (a `google.rpc.Status`),
    /// `metadata`, `response`.
    Google,
    /// Compute Engine's style: `status` is `DONE` when finished, failures
    /// are listed in `error.errors[]` with `httpErrorStatusCode`.
    Compute,
}

/// Where an operation stands, read off its JSON.
struct Reading {
    name: Option<String>,
    done: bool,
    failure: Option<Error>,
}

fn read<O: Operation>(operation: &O) -> Reading {
    // An operation serializes to an object; anything else reads as "not done".
    let value = serde_json::to_value(operation).unwrap_or_default();
    let name = value
        .get("name")
        .and_then(|n| n.as_str())
        .map(str::to_owned);
    match O::STYLE {
        OperationStyle::Google => Reading {
            name,
            done: value.get("done").and_then(|d| d.as_bool()) == Some(true),
            failure: value.get("error").and_then(status_error),
        },
        OperationStyle::Compute => Reading {
            name,
            done: value.get("status").and_then(|s| s.as_str()) == Some("DONE"),
            failure: compute_error(&value),
        },
    }
}

/// The error a `google.rpc.Status` stands for, as an [`Error::Api`] with
/// the HTTP status its code maps to (so `is_not_found()` and friends work).
/// A status whose code is 0 (`OK`) is no error.
fn status_error(status: &serde_json::Value) -> Option<Error> {
    // A status without a code is `UNKNOWN` (2), as the proto's default
    // would make an error that names no code.
    let code = Code::from_number(status.get("code").and_then(|c| c.as_i64()).unwrap_or(2));
    if code == Code::Ok {
        return None;
    }
    let (name, http) = (code.as_str(), code.http_status());
    let envelope = serde_json::json!({
        "error": {
            "code": http,
            "message": status.get("message").cloned().unwrap_or_default(),
            "status": name,
            "details": status.get("details").cloned().unwrap_or_else(|| serde_json::json!([])),
        }
    });
    Some(envelope_error(http, &envelope))
}

/// The error of a finished Compute-style operation: its `error.errors[]`
/// as the classic `errors[]` list (each `code` as the `reason`), under its
/// `httpErrorStatusCode`. Some services of this style (GKE) put a
/// `google.rpc.Status` in `error` instead; that is read as one.
fn compute_error(operation: &serde_json::Value) -> Option<Error> {
    let error = operation.get("error")?;
    let Some(items) = error.get("errors").and_then(|e| e.as_array()) else {
        return status_error(error);
    };
    if items.is_empty() {
        return None;
    }
    let http = operation
        .get("httpErrorStatusCode")
        .and_then(|c| c.as_u64())
        .and_then(|c| u16::try_from(c).ok())
        .filter(|c| (400..600).contains(c))
        .unwrap_or(500);
    let errors: Vec<serde_json::Value> = items
        .iter()
        .map(|item| {
            serde_json::json!({
                "reason": item.get("code").cloned().unwrap_or_default(),
                "message": item.get("message").cloned().unwrap_or_default(),
                "location": item.get("location").cloned().unwrap_or_default(),
            })
        })
        .collect();
    let message = items[0]
        .get("message")
        .and_then(|m| m.as_str())
        .or_else(|| operation.get("httpErrorMessage")?.as_str())
        .unwrap_or("the operation failed");
    let envelope = serde_json::json!({
        "error": { "code": http, "message": message, "errors": errors }
    });
    Some(envelope_error(http, &envelope))
}

fn envelope_error(http: u16, envelope: &serde_json::Value) -> Error {
    let body = serde_json::to_vec(envelope).unwrap_or_default();
    error::from_status(http, None, Vec::new(), &body)
}

/// The answer of a generated by-name poller when no polling call whose
/// resource is compiled in accepts the operation's `name`: a
/// [`Error::Binding`] naming the calls (`calls`) and the name.
pub fn unpollable<O: Send + 'static>(
    calls: &'static str,
    name: String,
) -> BoxFuture<'static, Result<O>> {
    let error = Error::Binding(super::path::BindingError::unpollable(calls, name));
    Box::pin(std::future::ready(Err(error)))
}

/// The id of the operation named `name`: its last segment, which is what
/// poll methods that take the scope and the id apart want.
pub fn operation_id(name: &str) -> String {
    name.rsplit('/').next().unwrap_or(name).to_owned()
}

/// The `response` or `metadata` of a Google-style operation read as `T`
/// (its `@type` key left out). Generated `response_as`/`metadata_as` call it.
pub fn payload_as<O: Operation, T: DeserializeOwned>(
    operation: &O,
    key: &'static str,
) -> Result<T> {
    let what = match key {
        "response" => "google.longrunning.Operation.response",
        _ => "google.longrunning.Operation.metadata",
    };
    let invalid = |message: String| error::invalid_response(what, message);
    let value = serde_json::to_value(operation).map_err(Error::Encode)?;
    let mut payload = match value.get(key) {
        Some(payload) if !payload.is_null() => payload.clone(),
        _ => return Err(invalid(format!("the operation has no `{key}`"))),
    };
    if let Some(object) = payload.as_object_mut() {
        object.remove("@type");
    }
    serde_json::from_value(payload).map_err(|e| invalid(e.to_string()))
}

/// Implements [`Operation`] for a generated operation type and gives a
/// Google-style one `response_as` and `metadata_as`.
#[macro_export]
#[doc(hidden)]
macro_rules! operation_impls {
    ($operation:ty, Google) => {
        impl $crate::lro::Operation for $operation {
            const STYLE: $crate::lro::OperationStyle = $crate::lro::OperationStyle::Google;
        }

        impl $operation {
            /// The operation's `response` (set once it is done without
            /// error) read as `T`, such as the resource it created; an
            /// [`Error::Decode`](crate::Error::Decode) when there is none
            /// or it is not a `T`.
            pub fn response_as<T: serde::de::DeserializeOwned>(&self) -> $crate::Result<T> {
                $crate::lro::payload_as(self, "response")
            }

            /// The operation's `metadata` (progress the service reports)
            /// read as `T`; an [`Error::Decode`](crate::Error::Decode) when
            /// there is none or it is not a `T`.
            pub fn metadata_as<T: serde::de::DeserializeOwned>(&self) -> $crate::Result<T> {
                $crate::lro::payload_as(self, "metadata")
            }
        }
    };
    ($operation:ty, Compute) => {
        impl $crate::lro::Operation for $operation {
            const STYLE: $crate::lro::OperationStyle = $crate::lro::OperationStyle::Compute;
        }
    };
}

#[doc(hidden)]
pub use crate::operation_impls;

/// Polls a long-running operation until it is done. Made by a call's
/// `poller()`; `'static` and `Send`, so it can be moved into a spawned task.
///
/// [`until_done`](Self::until_done) waits for the end;
/// [`next`](Self::next) gives each state on the way, for progress reports.
/// Between polls it waits as its [`PollingPolicy`] says (the client's,
/// or the one set with [`polling_policy`](Self::polling_policy)); each poll
/// is an ordinary call, retried under the client's retry policy.
#[must_use = "a poller does nothing until it is awaited"]
pub struct Poller<O> {
    state: State<O>,
    poll: PollFn<O>,
    policy: PollingPolicy,
    started: Option<Instant>,
    polls: u32,
}

type PollFn<O> = Box<dyn Fn(String) -> BoxFuture<'static, Result<O>> + Send + Sync>;

enum State<O> {
    /// The call that starts the operation, not sent yet.
    Start(BoxFuture<'static, Result<O>>),
    /// Not done; the next poll asks for this name.
    Pending(String),
    /// Done, failed, or given up.
    Finished,
}

impl<O> fmt::Debug for Poller<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Start(_) => "not started",
            State::Pending(_) => "pending",
            State::Finished => "finished",
        };
        f.debug_struct("Poller")
            .field("state", &state)
            .field("polls", &self.polls)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl<O: Operation> Poller<O> {
    /// A poller whose first step is `start` (the call that starts the
    /// operation), then `poll(name)` until done, waiting as `policy` says.
    #[doc(hidden)]
    pub fn new(
        policy: PollingPolicy,
        start: BoxFuture<'static, Result<O>>,
        poll: impl Fn(String) -> BoxFuture<'static, Result<O>> + Send + Sync + 'static,
    ) -> Self {
        Self {
            state: State::Start(start),
            poll: Box::new(poll),
            policy,
            started: None,
            polls: 0,
        }
    }

    /// Waits between polls as `policy` says instead of the client's polling policy.
    pub fn polling_policy(mut self, policy: PollingPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The operation's next state: first the one the call returned, then
    /// one per poll, until it is done (`None` after that). A done operation
    /// that failed is its error, as an [`Error::Api`]. Dropping the future
    /// half-way ends the poller.
    pub async fn next(&mut self) -> Option<Result<O>> {
        let result = match std::mem::replace(&mut self.state, State::Finished) {
            State::Finished => return None,
            State::Start(start) => {
                self.started = Some(Instant::now());
                start.await
            }
            State::Pending(name) => {
                self.polls += 1;
                let elapsed = self.started.map(|s| s.elapsed()).unwrap_or_default();
                let Some(delay) = self.policy.next_delay(self.polls, None, elapsed) else {
                    return Some(Err(self.gave_up(&name, elapsed)));
                };
                tokio::time::sleep(delay).await;
                (self.poll)(name).await
            }
        };
        let operation = match result {
            Ok(operation) => operation,
            Err(error) => return Some(Err(error)),
        };
        let reading = read(&operation);
        if reading.done {
            return Some(reading.failure.map_or(Ok(operation), Err));
        }
        match reading.name {
            Some(name) if !name.is_empty() => self.state = State::Pending(name),
            _ => {
                return Some(Err(error::invalid_response(
                    "google.longrunning.Operation",
                    "the operation is not done and has no `name` to poll it by",
                )));
            }
        }
        Some(Ok(operation))
    }

    /// Waits until the operation is done: the final operation (read its
    /// result with `response_as`, where the type has it), or the
    /// operation's error as an [`Error::Api`], or the error of a call or
    /// poll that failed.
    pub async fn until_done(mut self) -> Result<O> {
        let mut last = None;
        while let Some(step) = self.next().await {
            last = Some(step?);
        }
        last.ok_or_else(|| {
            error::invalid_response(
                "google.longrunning.Operation",
                "the poller was already finished",
            )
        })
    }

    fn gave_up(&self, name: &str, elapsed: Duration) -> Error {
        Error::Timeout(TimeoutError::new(
            TimeoutKind::Polling,
            elapsed,
            self.polls,
            Some(format!(
                "operation `{name}` was not done after {} polls",
                self.polls.saturating_sub(1)
            )),
        ))
    }
}
