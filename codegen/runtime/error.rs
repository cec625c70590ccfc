//! The one error type of every call, with the service's own error fields
//! when it sent Google's JSON error envelope.

use super::auth::TokenError;
use super::media::MediaError;
use super::path::BindingError;
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// The result of a call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A path parameter does not fit its template. Nothing was sent.
    Binding(BindingError),
    /// The service refused the call with Google's error envelope.
    Api(ApiError),
    /// The service answered with an error status but no Google error envelope
    /// (a proxy or load balancer, typically).
    Http(HttpError),
    /// The request could not be sent, or the response could not be read.
    Transport(reqwest::Error),
    /// The request body could not be serialized. Nothing was sent.
    Encode(serde_json::Error),
    /// The service answered with success, but the body is not the JSON the API describes.
    Decode(DecodeError),
    /// The token provider could not give a token. Nothing was sent.
    Auth(TokenError),
    /// The client was configured with a value it cannot use.
    Config(ConfigError),
    /// The response body was larger than the client's limit; it was not read to the end.
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// Content could not be uploaded: too large or of a type the method
    /// does not accept (nothing was sent), or the upload session failed.
    Media(MediaError),
    /// An attempt, or the whole call, took longer than its timeout.
    Timeout(TimeoutError),
}

impl Error {
    /// Whether trying the same call again later might succeed: a service
    /// that is overloaded or briefly down (HTTP 408, 429, 500, 502, 503,
    /// 504), a connection that failed or broke, an attempt that timed out.
    ///
    /// A 429 whose `ErrorInfo` reason is something other than a rate limit
    /// (`RATE_LIMIT_EXCEEDED`), such as a spent quota, is not: it stays
    /// until something else changes. Calls retry only idempotent requests
    /// by default, whatever this says; see [`crate::RetryPolicy`].
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(e) => e.is_retryable(),
            Self::Http(e) => retryable_status(e.status),
            // A request that could not be built or was redirected in a
            // loop fails the same way again; anything else (connect, reset,
            // a body cut off while read) is the network's.
            Self::Transport(e) => !(e.is_builder() || e.is_redirect()),
            Self::Timeout(e) => e.kind == TimeoutKind::Attempt,
            Self::Binding(_)
            | Self::Encode(_)
            | Self::Decode(_)
            | Self::Auth(_)
            | Self::Config(_)
            | Self::ResponseTooLarge { .. }
            | Self::Media(_) => false,
        }
    }

    /// How long the service asked the caller to wait before trying again
    /// (its `Retry-After` header or `google.rpc.RetryInfo` detail), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api(e) => e.retry_after,
            Self::Http(e) => e.retry_after,
            _ => None,
        }
    }

    /// The HTTP status of the response that failed the call, if there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Self::Api(e) => Some(e.http_status),
            Self::Http(e) => Some(e.status),
            Self::Transport(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The failure response's body read as `T`, such as the error schema a
    /// method documents for the status: `None` for other errors, or when
    /// the body is not a `T` (a Google error envelope is an [`ApiError`]).
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        match self {
            Self::Http(e) => e.body_as(),
            Self::Api(e) => serde_json::from_slice(&e.raw).ok(),
            _ => None,
        }
    }
}

/// Tells the reader of a message that waiting and trying again may work.
fn retry_hint(f: &mut fmt::Formatter<'_>, retryable: bool) -> fmt::Result {
    if retryable {
        f.write_str(" (the call may succeed if retried later)")?;
    }
    Ok(())
}

/// The statuses that usually mean "not now" rather than "not this".
fn retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Binding(e) => write!(f, "invalid argument: {e}"),
            Self::Api(e) => {
                write!(f, "the service refused the call: {e}")?;
                retry_hint(f, e.is_retryable())
            }
            Self::Http(e) => {
                fmt::Display::fmt(e, f)?;
                retry_hint(f, retryable_status(e.status))
            }
            Self::Transport(e) => write!(f, "transport error: {e}"),
            Self::Encode(e) => write!(f, "could not serialize the request body: {e}"),
            Self::Decode(e) => fmt::Display::fmt(e, f),
            Self::Auth(e) => write!(f, "could not get an access token: {e}"),
            Self::Config(e) => write!(f, "invalid client configuration: {e}"),
            Self::ResponseTooLarge { limit } => {
                write!(
                    f,
                    "the response body is larger than the limit of {limit} bytes"
                )
            }
            Self::Media(e) => write!(f, "media upload failed: {e}"),
            Self::Timeout(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Binding(e) => Some(e),
            Self::Api(_)
            | Self::Http(_)
            | Self::Config(_)
            | Self::ResponseTooLarge { .. }
            | Self::Timeout(_) => None,
            Self::Transport(e) => Some(e),
            Self::Encode(e) => Some(e),
            Self::Decode(e) => Some(&e.source),
            Self::Auth(e) => Some(e),
            Self::Media(e) => Some(e),
        }
    }
}

impl From<BindingError> for Error {
    fn from(e: BindingError) -> Self {
        Self::Binding(e)
    }
}

/// An error the service reported in Google's envelope,
/// `{"error": {"code", "message", "status", "details"}}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    http_status: u16,
    code: i32,
    message: String,
    status: String,
    details: Vec<serde_json::Value>,
    retry_after: Option<Duration>,
    raw: Vec<u8>,
}

impl ApiError {
    /// The HTTP status of the response.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// The envelope's `code` (the HTTP status, as Google sends it).
    pub fn code(&self) -> i32 {
        self.code
    }

    /// The service's message, for people.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `google.rpc.Code` name, such as `FAILED_PRECONDITION`; empty if not sent.
    pub fn status(&self) -> &str {
        &self.status
    }

    /// The `details` objects as sent, each with its `@type`.
    pub fn details(&self) -> &[serde_json::Value] {
        &self.details
    }

    /// The `reason` of the first `google.rpc.ErrorInfo` detail, if any.
    pub fn reason(&self) -> Option<&str> {
        self.error_info()?.get("reason")?.as_str()
    }

    /// The `metadata` value under `key` of the first `google.rpc.ErrorInfo` detail.
    pub fn metadata(&self, key: &str) -> Option<&str> {
        self.error_info()?.get("metadata")?.get(key)?.as_str()
    }

    /// The `metadata` of the first `google.rpc.ErrorInfo` detail, in key order.
    pub fn metadata_entries(&self) -> Vec<(&str, &str)> {
        let Some(serde_json::Value::Object(map)) =
            self.error_info().and_then(|info| info.get("metadata"))
        else {
            return Vec::new();
        };
        let mut entries: Vec<(&str, &str)> = map
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
            .collect();
        entries.sort_unstable();
        entries
    }

    /// How long the service asked to wait before trying again: its
    /// `Retry-After` header, or else its `google.rpc.RetryInfo` detail.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Whether trying again later might succeed; see [`Error::is_retryable`].
    pub fn is_retryable(&self) -> bool {
        if !retryable_status(self.http_status) {
            return false;
        }
        // Google marks rate limiting with this reason (google.aip.dev/193);
        // other reasons of a 429 (a spent quota, a one-time allowance used)
        // do not go away by waiting a few seconds, whatever `Retry-After` a
        // proxy on the way added.
        self.http_status != 429
            || self
                .reason()
                .is_none_or(|r| r.eq_ignore_ascii_case("RATE_LIMIT_EXCEEDED"))
    }

    fn detail(&self, type_name: &str) -> Option<&serde_json::Value> {
        self.details
            .iter()
            .find(|d| d.get("@type").and_then(|t| t.as_str()) == Some(type_name))
    }

    fn error_info(&self) -> Option<&serde_json::Value> {
        self.detail("type.googleapis.com/google.rpc.ErrorInfo")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.http_status)?;
        if !self.status.is_empty() {
            write!(f, " {}", self.status)?;
        }
        if let Some(reason) = self.reason() {
            write!(f, " ({reason})")?;
        }
        write!(f, ": {}", self.message)?;
        let metadata = self.metadata_entries();
        if !metadata.is_empty() {
            let pairs: Vec<String> = metadata.iter().map(|(k, v)| format!("{k}={v}")).collect();
            write!(f, " [{}]", pairs.join(", "))?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, "; retry after {}s", wait.as_secs_f64())?;
        }
        Ok(())
    }
}

/// An error status without Google's envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpError {
    status: u16,
    body: String,
    raw: Vec<u8>,
    retry_after: Option<Duration>,
}

impl HttpError {
    /// The whole response body read as `T`, such as the error schema the
    /// API documents for this status; `None` when it is not one.
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.raw).ok()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The start of the body, lossily decoded (at most [`BODY_EXCERPT_BYTES`] bytes).
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The wait its `Retry-After` header asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP {} without a Google error body: {:?}",
            self.status, self.body
        )?;
        if let Some(wait) = self.retry_after {
            write!(f, "; retry after {}s", wait.as_secs_f64())?;
        }
        Ok(())
    }
}

/// A success response whose body is not what the API describes.
#[derive(Debug)]
pub struct DecodeError {
    method: &'static str,
    source: serde_json::Error,
}

impl DecodeError {
    /// The id of the method called, such as `dataportability.archiveJobs.retry`.
    pub fn method(&self) -> &str {
        self.method
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response to {} is not valid: {}",
            self.method, self.source
        )
    }
}

/// A call that ran out of time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeoutError {
    kind: TimeoutKind,
    after: Duration,
    attempts: u32,
    last_error: Option<String>,
}

/// Which timeout a call ran into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// One attempt took longer than the attempt timeout.
    Attempt,
    /// The call, retries and waits included, took longer than the total timeout.
    Total,
    /// A long-running operation was not done within its polling policy's limits.
    Polling,
}

impl TimeoutError {
    pub(crate) fn new(
        kind: TimeoutKind,
        after: Duration,
        attempts: u32,
        last_error: Option<String>,
    ) -> Self {
        Self {
            kind,
            after,
            attempts,
            last_error,
        }
    }

    /// For a total timeout that passed while waiting to retry: the message
    /// of the error that made the last attempt fail.
    pub fn last_error(&self) -> Option<&str> {
        self.last_error.as_deref()
    }

    /// Which timeout it was.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The timeout that passed.
    pub fn after(&self) -> Duration {
        self.after
    }

    /// The attempts started before it passed.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let which = match self.kind {
            TimeoutKind::Attempt => "attempt",
            TimeoutKind::Total => "call",
            TimeoutKind::Polling => "polling",
        };
        write!(
            f,
            "the {which} timed out after {:?} ({} attempt{} made)",
            self.after,
            self.attempts,
            if self.attempts == 1 { "" } else { "s" }
        )?;
        if let Some(last) = &self.last_error {
            write!(f, "; the last attempt failed: {last}")?;
        }
        Ok(())
    }
}

/// A client setting that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    setting: &'static str,
    value: String,
    expected: &'static str,
}

impl ConfigError {
    pub(crate) fn new(setting: &'static str, value: &str, expected: &'static str) -> Self {
        Self {
            setting,
            value: value.to_owned(),
            expected,
        }
    }

    /// The setting, such as `endpoint`.
    pub fn setting(&self) -> &str {
        self.setting
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` must be {}, got {:?}",
            self.setting, self.expected, self.value
        )
    }
}

/// How much of an unexpected error body is kept in [`HttpError`].
pub const BODY_EXCERPT_BYTES: usize = 1024;

#[derive(Deserialize)]
struct Envelope {
    error: EnvelopeBody,
}

#[derive(Deserialize)]
struct EnvelopeBody {
    #[serde(default)]
    code: Option<i32>,
    #[serde(default)]
    message: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    details: Vec<serde_json::Value>,
}

/// The error for a non-success response; `retry_after` is its
/// `Retry-After` header, already read.
pub(crate) fn from_status(http_status: u16, retry_after: Option<Duration>, body: &[u8]) -> Error {
    match serde_json::from_slice::<Envelope>(body) {
        Ok(Envelope { error }) => {
            let mut api = ApiError {
                http_status,
                code: error.code.unwrap_or(i32::from(http_status)),
                message: error.message,
                status: error.status,
                details: error.details,
                retry_after,
                raw: body.to_vec(),
            };
            if api.retry_after.is_none() {
                api.retry_after = api
                    .detail("type.googleapis.com/google.rpc.RetryInfo")
                    .and_then(|info| info.get("retryDelay")?.as_str())
                    .and_then(|text| super::duration::Duration::parse(text).ok()?.to_std());
            }
            Error::Api(api)
        }
        Err(_) => {
            let excerpt = &body[..body.len().min(BODY_EXCERPT_BYTES)];
            Error::Http(HttpError {
                status: http_status,
                body: String::from_utf8_lossy(excerpt).into_owned(),
                raw: body.to_vec(),
                retry_after,
            })
        }
    }
}

/// The error for a success response that does not decode.
pub(crate) fn decode(method: &'static str, source: serde_json::Error) -> Error {
    Error::Decode(DecodeError { method, source })
}

/// A text success body that is not UTF-8.
#[allow(dead_code)] // Only crates with text responses use it.
pub(crate) fn decode_text(method: &'static str, source: std::string::FromUtf8Error) -> Error {
    let source = <serde_json::Error as serde::de::Error>::custom(format!(
        "the response body is not UTF-8 text: {source}"
    ));
    Error::Decode(DecodeError { method, source })
}
