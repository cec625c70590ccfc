//! The one error type of every call, with the service's own error fields
//! when it sent Google's JSON error envelope.

use super::path::BindingError;
use super::rpc::{self, BadRequest, Code, ErrorInfo, Help, QuotaFailure, RetryInfo};
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
    Transport(TransportError),
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
    /// 504), a rate limit that an older API (Drive, Gmail, Calendar,
    /// YouTube, Storage, BigQuery) reports as 403, a connection that failed
    /// or broke, an attempt that timed out.
    ///
    /// A 403 or 429 is judged by its reasons: the `ErrorInfo` reason and
    /// the first `errors[]` item's. A 403 is retryable only when one of
    /// them is a rate limit (`rateLimitExceeded`, `userRateLimitExceeded`,
    /// or `RATE_LIMIT_EXCEEDED`), as Google's Python client does; a spent
    /// quota (`quotaExceeded`, `dailyLimitExceeded`) or a refusal is final.
    /// A 429 is retryable when it gives no reason or a rate-limit one; with
    /// other reasons (a spent quota, `RESOURCE_EXHAUSTED_ONE_TIME`) it stays
    /// until something else changes. Calls retry only idempotent requests
    /// by default, whatever this says; see [`crate::RetryPolicy`].
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(e) => e.is_retryable(),
            Self::Http(e) => retryable_status(e.status),
            // A request that could not be built or was redirected in a
            // loop fails the same way again; anything else (connect, reset,
            // a body cut off while read) is the network's.
            Self::Transport(e) => e.is_retryable(),
            Self::Timeout(e) => matches!(e.kind, TimeoutKind::Attempt | TimeoutKind::ReadIdle),
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
            _ => None,
        }
    }

    /// The `google.rpc.Code` of the response that failed the call: the
    /// envelope's `status`, or else the code its HTTP status stands for
    /// ([`Code::from_http_status`]), also for a response without Google's
    /// envelope. `None` when the call failed without a response.
    pub fn rpc_code(&self) -> Option<Code> {
        match self {
            Self::Api(e) => Some(e.rpc_code()),
            Self::Http(e) => Some(Code::from_http_status(e.status)),
            _ => None,
        }
    }

    /// Whether the service answered `NOT_FOUND`, or HTTP 404 without Google's envelope.
    pub fn is_not_found(&self) -> bool {
        self.rpc_code() == Some(Code::NotFound)
    }

    /// Whether the service answered `ALREADY_EXISTS`. A bare HTTP 409 is not
    /// enough: it stands for `ABORTED` as often (see [`Code::from_http_status`]).
    pub fn is_already_exists(&self) -> bool {
        self.rpc_code() == Some(Code::AlreadyExists)
    }

    /// Whether the service answered `PERMISSION_DENIED`, or HTTP 403 without
    /// Google's envelope. A 403 rate limit of an older API is one too (its
    /// status is 403); [`Error::is_retryable`] tells it apart.
    pub fn is_permission_denied(&self) -> bool {
        self.rpc_code() == Some(Code::PermissionDenied)
    }

    /// Whether the service answered `UNAUTHENTICATED`, or HTTP 401 without
    /// Google's envelope. A token the provider could not get is
    /// [`Error::Auth`] instead, since nothing was sent.
    pub fn is_unauthenticated(&self) -> bool {
        self.rpc_code() == Some(Code::Unauthenticated)
    }

    /// Whether the service answered `RESOURCE_EXHAUSTED` (a quota or rate
    /// limit), or HTTP 429 without Google's envelope.
    pub fn is_resource_exhausted(&self) -> bool {
        self.rpc_code() == Some(Code::ResourceExhausted)
    }

    /// Whether the service answered `FAILED_PRECONDITION`. Never for a
    /// response without Google's envelope: its 400 reads as `INVALID_ARGUMENT`.
    pub fn is_failed_precondition(&self) -> bool {
        self.rpc_code() == Some(Code::FailedPrecondition)
    }

    /// Whether the service answered `INVALID_ARGUMENT`, or HTTP 400 without
    /// a `status` saying otherwise. A path parameter refused before sending
    /// is [`Error::Binding`] instead.
    pub fn is_invalid_argument(&self) -> bool {
        self.rpc_code() == Some(Code::InvalidArgument)
    }

    /// The failure response's body read as `T`, such as the error schema a
    /// method documents for the status: `None` for other errors, or when
    /// the body is not a `T` (a Google error envelope is an [`ApiError`]).
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        match self {
            Self::Http(e) => e.body_as(),
            Self::Api(e) => serde_json::from_slice(&e.parts.raw).ok(),
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

/// An error the service reported in Google's envelope: the current form,
/// `{"error": {"code", "message", "status", "details"}}`, or the older one
/// of Drive, Gmail, Calendar, YouTube, Storage and BigQuery,
/// `{"error": {"code", "message", "errors": [{"domain", "reason", ...}]}}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    http_status: u16,
    code: i32,
    message: String,
    status: String,
    retry_after: Option<Duration>,
    /// Boxed because every `Result` of a call carries an [`Error`], whose
    /// size is that of its largest variant: this one.
    parts: Box<ApiErrorParts>,
}

/// The larger, less used parts of an [`ApiError`].
#[derive(Clone, Debug, PartialEq)]
struct ApiErrorParts {
    details: Vec<serde_json::Value>,
    errors: Vec<ErrorItem>,
    headers: Vec<(String, String)>,
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

    /// The `google.rpc.Code` name, such as `FAILED_PRECONDITION`, as sent;
    /// empty if not sent (older APIs never send it). [`ApiError::rpc_code`]
    /// gives a code either way.
    pub fn status(&self) -> &str {
        &self.status
    }

    /// The `google.rpc.Code`: from `status` when the service sent one (an
    /// unknown name is [`Code::Other`]), else from the HTTP status
    /// ([`Code::from_http_status`]).
    pub fn rpc_code(&self) -> Code {
        if self.status.is_empty() {
            Code::from_http_status(self.http_status)
        } else {
            Code::from_name(&self.status)
        }
    }

    /// The `details` objects as sent, each with its `@type`.
    pub fn details(&self) -> &[serde_json::Value] {
        &self.parts.details
    }

    /// The items of the older envelope's `errors` list, in the order sent;
    /// empty for errors in the current form.
    pub fn errors(&self) -> &[ErrorItem] {
        &self.parts.errors
    }

    /// The response headers, with lower-case names, values of one name
    /// together; `set-cookie` values are replaced by `[redacted]`.
    pub fn headers(&self) -> &[(String, String)] {
        &self.parts.headers
    }

    /// The first value of the response header `name` (any case), such as
    /// `x-goog-request-id`.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.parts.headers, name)
    }

    /// Why the call failed, machine-readably: the `reason` of the first
    /// `google.rpc.ErrorInfo` detail, or else that of the first `errors`
    /// item (such as `userRateLimitExceeded`); `None` when neither was sent.
    pub fn reason(&self) -> Option<&str> {
        let given = |r: &&str| !r.is_empty();
        self.info_reason()
            .filter(given)
            .or_else(|| self.classic_reason().filter(given))
    }

    /// The `metadata` value under `key` of the first `google.rpc.ErrorInfo` detail.
    pub fn metadata(&self, key: &str) -> Option<&str> {
        self.detail(rpc::ERROR_INFO)?
            .get("metadata")?
            .get(key)?
            .as_str()
    }

    /// The `metadata` of the first `google.rpc.ErrorInfo` detail, in key order.
    pub fn metadata_entries(&self) -> Vec<(&str, &str)> {
        let Some(serde_json::Value::Object(map)) = self
            .detail(rpc::ERROR_INFO)
            .and_then(|info| info.get("metadata"))
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

    /// The first `google.rpc.ErrorInfo` detail.
    pub fn error_info(&self) -> Option<ErrorInfo> {
        self.detail(rpc::ERROR_INFO).map(ErrorInfo::from_json)
    }

    /// The first `google.rpc.RetryInfo` detail.
    pub fn retry_info(&self) -> Option<RetryInfo> {
        self.detail(rpc::RETRY_INFO).map(RetryInfo::from_json)
    }

    /// The first `google.rpc.QuotaFailure` detail.
    pub fn quota_failure(&self) -> Option<QuotaFailure> {
        self.detail(rpc::QUOTA_FAILURE).map(QuotaFailure::from_json)
    }

    /// The first `google.rpc.BadRequest` detail.
    pub fn bad_request(&self) -> Option<BadRequest> {
        self.detail(rpc::BAD_REQUEST).map(BadRequest::from_json)
    }

    /// The first `google.rpc.Help` detail.
    pub fn help(&self) -> Option<Help> {
        self.detail(rpc::HELP).map(Help::from_json)
    }

    /// How long the service asked to wait before trying again: its
    /// `Retry-After` header, or else its `google.rpc.RetryInfo` detail.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Whether trying again later might succeed; see [`Error::is_retryable`].
    pub fn is_retryable(&self) -> bool {
        match self.http_status {
            // Older APIs say "slow down" with a 403 and `rateLimitExceeded`
            // or `userRateLimitExceeded`, and refuse for good with a 403 and
            // another reason (google-api-python-client's
            // `_should_retry_response` reads `errors[0].reason` the same way).
            403 => self.rate_limited(),
            // Google marks rate limiting with `RATE_LIMIT_EXCEEDED`
            // (google.aip.dev/193), older APIs with the two reasons above;
            // other reasons of a 429 (a spent quota, a one-time allowance used)
            // do not go away by waiting a few seconds, whatever `Retry-After` a
            // proxy on the way added.
            429 => self.rate_limited() || self.reason().is_none(),
            status => retryable_status(status),
        }
    }

    /// Whether the service answered `NOT_FOUND` (or 404 without a `status`).
    pub fn is_not_found(&self) -> bool {
        self.rpc_code() == Code::NotFound
    }

    /// Whether the service answered `ALREADY_EXISTS`; a 409 without a
    /// `status` is not enough (see [`Code::from_http_status`]).
    pub fn is_already_exists(&self) -> bool {
        self.rpc_code() == Code::AlreadyExists
    }

    /// Whether the service answered `PERMISSION_DENIED` (or 403 without a
    /// `status`, which includes older APIs' 403 rate limits).
    pub fn is_permission_denied(&self) -> bool {
        self.rpc_code() == Code::PermissionDenied
    }

    /// Whether the service answered `UNAUTHENTICATED` (or 401 without a `status`).
    pub fn is_unauthenticated(&self) -> bool {
        self.rpc_code() == Code::Unauthenticated
    }

    /// Whether the service answered `RESOURCE_EXHAUSTED` (or 429 without a `status`).
    pub fn is_resource_exhausted(&self) -> bool {
        self.rpc_code() == Code::ResourceExhausted
    }

    /// Whether the service answered `FAILED_PRECONDITION`; a 400 without a
    /// `status` reads as `INVALID_ARGUMENT`.
    pub fn is_failed_precondition(&self) -> bool {
        self.rpc_code() == Code::FailedPrecondition
    }

    /// Whether the service answered `INVALID_ARGUMENT` (or 400 without a `status`).
    pub fn is_invalid_argument(&self) -> bool {
        self.rpc_code() == Code::InvalidArgument
    }

    /// Whether the ErrorInfo reason or the first `errors` item's is a rate
    /// limit. Both are asked because a service may send either, or both
    /// (and they need not agree).
    fn rate_limited(&self) -> bool {
        [self.info_reason(), self.classic_reason()]
            .into_iter()
            .flatten()
            .any(is_rate_limit_reason)
    }

    fn info_reason(&self) -> Option<&str> {
        self.detail(rpc::ERROR_INFO)?.get("reason")?.as_str()
    }

    fn classic_reason(&self) -> Option<&str> {
        self.parts.errors.first().map(ErrorItem::reason)
    }

    fn detail(&self, type_name: &str) -> Option<&serde_json::Value> {
        self.parts
            .details
            .iter()
            .find(|d| d.get("@type").and_then(|t| t.as_str()) == Some(type_name))
    }
}

/// The reasons that mean "too many requests, slow down": the current
/// `ErrorInfo` one and the two of the older `errors[]` items.
fn is_rate_limit_reason(reason: &str) -> bool {
    [
        "RATE_LIMIT_EXCEEDED",
        "rateLimitExceeded",
        "userRateLimitExceeded",
    ]
    .iter()
    .any(|known| known.eq_ignore_ascii_case(reason))
}

/// One item of the older envelope's `errors` list:
/// `{"domain", "reason", "message", "location", "locationType"}`.
/// A field that is missing (or not a string) reads as empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorItem {
    domain: String,
    reason: String,
    message: String,
    location: String,
    location_type: String,
}

impl ErrorItem {
    /// The items of an `errors` value; none when it is not a list, and
    /// items that are not objects are skipped, so an odd list never turns
    /// the envelope into an [`HttpError`].
    fn list(errors: &serde_json::Value) -> Vec<ErrorItem> {
        let Some(items) = errors.as_array() else {
            return Vec::new();
        };
        items
            .iter()
            .filter(|item| item.is_object())
            .map(|item| ErrorItem {
                domain: rpc::text(item, "domain"),
                reason: rpc::text(item, "reason"),
                message: rpc::text(item, "message"),
                location: rpc::text(item, "location"),
                location_type: rpc::text(item, "locationType"),
            })
            .collect()
    }

    /// The scope of the reason, such as `global` or `usageLimits`.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The reason, such as `userRateLimitExceeded`, `notFound` or `required`.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The message of this item, for people.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where in the request the error is, such as a parameter name.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// What [`ErrorItem::location`] names, such as `parameter` or `header`.
    pub fn location_type(&self) -> &str {
        &self.location_type
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
    headers: Vec<(String, String)>,
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

    /// The start of the body, lossily decoded (at most 1024 bytes; the whole
    /// body is read by [`body_as`](Self::body_as)).
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The wait its `Retry-After` header asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The response headers, with lower-case names, values of one name
    /// together; `set-cookie` values are replaced by `[redacted]`.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first value of the response header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
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
    /// A download's stream went without a byte for longer than the read-idle
    /// timeout: the connection is taken for dead, and the download resumes
    /// from the byte it reached when its retry policy allows.
    ReadIdle,
}

impl TimeoutError {
    #[doc(hidden)]
    pub fn new(
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
            TimeoutKind::ReadIdle => "read (no byte arrived)",
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
    #[doc(hidden)]
    pub fn new(setting: &'static str, value: &str, expected: &'static str) -> Self {
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
    /// Read leniently by [`ErrorItem::list`], whatever its shape.
    #[serde(default)]
    errors: serde_json::Value,
}

/// What an error keeps of a response's headers: every header, lower-case
/// names (as the HTTP library gives them), values read lossily.
///
/// `set-cookie` values are redacted: a session cookie is a credential,
/// errors end up in logs, `Debug` output and error reports, and this
/// client never sends cookies back, so nobody needs the value.
pub(crate) fn kept_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = if name.eq_ignore_ascii_case("set-cookie") {
                "[redacted]".to_owned()
            } else {
                value.clone()
            };
            (name.to_ascii_lowercase(), value)
        })
        .collect()
}

/// The value of header `name` (any case) in `headers`, if any.
pub(crate) fn find_header<'a, N: AsRef<str>, V: AsRef<str>>(
    headers: &'a [(N, V)],
    name: &str,
) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.as_ref().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_ref())
}

/// The error for a non-success response; `retry_after` is its
/// `Retry-After` header, already read, and `headers` what
/// [`kept_headers`] keeps of them.
pub(crate) fn from_status(
    http_status: u16,
    retry_after: Option<Duration>,
    headers: Vec<(String, String)>,
    body: &[u8],
) -> Error {
    match serde_json::from_slice::<Envelope>(body) {
        Ok(Envelope { error }) => {
            let mut api = ApiError {
                http_status,
                code: error.code.unwrap_or(i32::from(http_status)),
                message: error.message,
                status: error.status,
                retry_after,
                parts: Box::new(ApiErrorParts {
                    details: error.details,
                    errors: ErrorItem::list(&error.errors),
                    headers,
                    raw: body.to_vec(),
                }),
            };
            if api.retry_after.is_none() {
                api.retry_after = api.retry_info().and_then(|info| info.retry_delay());
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
                headers,
            })
        }
    }
}

/// The error for a success response that does not decode.
#[doc(hidden)]
pub fn decode(method: &'static str, source: serde_json::Error) -> Error {
    Error::Decode(DecodeError { method, source })
}

/// A success response that is not what `method` promises, for a reason
/// the JSON parser did not give (a repeated page token, say).
#[doc(hidden)]
pub fn invalid_response(method: &'static str, message: impl fmt::Display) -> Error {
    decode(
        method,
        <serde_json::Error as serde::de::Error>::custom(message),
    )
}

/// A text success body that is not UTF-8.
#[allow(dead_code)] // Only crates with text responses use it.
#[doc(hidden)]
pub fn decode_text(method: &'static str, source: std::string::FromUtf8Error) -> Error {
    invalid_response(
        method,
        format!("the response body is not UTF-8 text: {source}"),
    )
}

/// Content that cannot be uploaded to this method. Nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaError {
    message: String,
}

impl MediaError {
    #[doc(hidden)]
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for MediaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MediaError {}

/// A token provider's failure.
#[derive(Debug)]
pub struct TokenError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TokenError {
    /// An error with a message. It must not contain the token.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// An error caused by another one, such as a failed refresh request.
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// What kind of failure a [`TransportError`] is: it decides whether the
/// client tries again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, DNS, TLS handshake).
    Connect,
    /// The exchange took longer than the request's [`HttpRequest::timeout`](crate::HttpRequest::timeout).
    Timeout,
    /// The connection failed after the request was sent, or while the body
    /// was read (reset, cut short).
    Connection,
    /// The request could not be sent as it is (a malformed URL or header,
    /// a redirect loop): trying again fails the same way.
    Request,
}

/// A request that got no response, or a body cut off: the transport's
/// failure, with the underlying library's error as its source.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// An error of `kind`. The message must hold no secret (no token, no
    /// API key): errors end up in logs.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// The same, caused by `source` (kept for `source()`, not shown).
    pub fn with_source(
        kind: TransportErrorKind,
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            kind,
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// What kind of failure it is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether it is the request's timeout.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// Whether no connection could be made.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }

    /// Whether sending the request again may succeed.
    pub fn is_retryable(&self) -> bool {
        self.kind != TransportErrorKind::Request
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
