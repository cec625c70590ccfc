//! `google.rpc`'s status codes, and the typed error details Google's APIs
//! attach to an error body (`ErrorInfo`, `RetryInfo`, `QuotaFailure`,
//! `BadRequest`, `Help`).
//!
//! Details are read leniently from the JSON the service sent: a missing or
//! mistyped field reads as empty (or `None`), never as a failure, so a
//! service that fills in less than the proto describes still gives what it
//! did send.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// The `@type` of a `google.rpc.ErrorInfo` detail.
pub(crate) const ERROR_INFO: &str = "type.googleapis.com/google.rpc.ErrorInfo";
/// The `@type` of a `google.rpc.RetryInfo` detail.
pub(crate) const RETRY_INFO: &str = "type.googleapis.com/google.rpc.RetryInfo";
/// The `@type` of a `google.rpc.QuotaFailure` detail.
pub(crate) const QUOTA_FAILURE: &str = "type.googleapis.com/google.rpc.QuotaFailure";
/// The `@type` of a `google.rpc.BadRequest` detail.
pub(crate) const BAD_REQUEST: &str = "type.googleapis.com/google.rpc.BadRequest";
/// The `@type` of a `google.rpc.Help` detail.
pub(crate) const HELP: &str = "type.googleapis.com/google.rpc.Help";

/// A `google.rpc.Code`: the canonical error code of Google's APIs, such as
/// `NOT_FOUND`; see [`crate::ApiError::rpc_code`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// `OK`: not an error.
    Ok,
    /// `CANCELLED`: the operation was cancelled, typically by the caller.
    Cancelled,
    /// `UNKNOWN`: an error without enough information to say more.
    Unknown,
    /// `INVALID_ARGUMENT`: the request is wrong whatever the system's state.
    InvalidArgument,
    /// `DEADLINE_EXCEEDED`: the deadline passed before the operation completed.
    DeadlineExceeded,
    /// `NOT_FOUND`: a requested entity was not found.
    NotFound,
    /// `ALREADY_EXISTS`: the entity the request tried to create already exists.
    AlreadyExists,
    /// `PERMISSION_DENIED`: the caller may not do this.
    PermissionDenied,
    /// `RESOURCE_EXHAUSTED`: a quota or rate limit ran out.
    ResourceExhausted,
    /// `FAILED_PRECONDITION`: the system is not in a state that allows it.
    FailedPrecondition,
    /// `ABORTED`: a concurrency conflict, such as a failed transaction.
    Aborted,
    /// `OUT_OF_RANGE`: the operation went past the valid range.
    OutOfRange,
    /// `UNIMPLEMENTED`: the operation is not implemented or not enabled.
    Unimplemented,
    /// `INTERNAL`: the service broke an invariant of its own.
    Internal,
    /// `UNAVAILABLE`: the service is briefly unavailable; retrying may work.
    Unavailable,
    /// `DATA_LOSS`: unrecoverable data loss or corruption.
    DataLoss,
    /// `UNAUTHENTICATED`: the request has no valid credentials.
    Unauthenticated,
    /// A name this client does not know, as the service sent it.
    Other(String),
}

/// Every known code with its name, so the two directions cannot disagree.
static NAMES: [(Code, &str); 17] = [
    (Code::Ok, "OK"),
    (Code::Cancelled, "CANCELLED"),
    (Code::Unknown, "UNKNOWN"),
    (Code::InvalidArgument, "INVALID_ARGUMENT"),
    (Code::DeadlineExceeded, "DEADLINE_EXCEEDED"),
    (Code::NotFound, "NOT_FOUND"),
    (Code::AlreadyExists, "ALREADY_EXISTS"),
    (Code::PermissionDenied, "PERMISSION_DENIED"),
    (Code::ResourceExhausted, "RESOURCE_EXHAUSTED"),
    (Code::FailedPrecondition, "FAILED_PRECONDITION"),
    (Code::Aborted, "ABORTED"),
    (Code::OutOfRange, "OUT_OF_RANGE"),
    (Code::Unimplemented, "UNIMPLEMENTED"),
    (Code::Internal, "INTERNAL"),
    (Code::Unavailable, "UNAVAILABLE"),
    (Code::DataLoss, "DATA_LOSS"),
    (Code::Unauthenticated, "UNAUTHENTICATED"),
];

impl Code {
    /// The code's name as Google's error body spells it, such as `NOT_FOUND`;
    /// for [`Code::Other`], the text the service sent.
    pub fn as_str(&self) -> &str {
        if let Self::Other(name) = self {
            return name;
        }
        NAMES
            .iter()
            .find(|(code, _)| code == self)
            .map_or("UNKNOWN", |(_, name)| name)
    }

    /// The code named `name` (`NOT_FOUND`); [`Code::Other`] for any other text.
    pub fn from_name(name: &str) -> Code {
        NAMES
            .iter()
            .find(|(_, known)| *known == name)
            .map_or_else(|| Code::Other(name.to_owned()), |(code, _)| code.clone())
    }

    /// The code with this number, as a `google.rpc.Status` carries it
    /// (a long-running operation's `error.code`): `NAMES` is in number order.
    pub fn from_number(number: i64) -> Code {
        usize::try_from(number)
            .ok()
            .and_then(|i| NAMES.get(i))
            .map_or_else(|| Code::Other(number.to_string()), |(code, _)| code.clone())
    }

    /// The HTTP status `google/rpc/code.proto` maps the code to (500 for
    /// a code it does not know).
    pub fn http_status(&self) -> u16 {
        match self {
            Code::Ok => 200,
            Code::Cancelled => 499,
            Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => 400,
            Code::DeadlineExceeded => 504,
            Code::NotFound => 404,
            Code::AlreadyExists | Code::Aborted => 409,
            Code::PermissionDenied => 403,
            Code::ResourceExhausted => 429,
            Code::Unimplemented => 501,
            Code::Unavailable => 503,
            Code::Unauthenticated => 401,
            Code::Unknown | Code::Internal | Code::DataLoss | Code::Other(_) => 500,
        }
    }

    /// The code an HTTP status stands for, for errors that name none.
    ///
    /// This inverts the "HTTP Mapping" that `google/rpc/code.proto` gives
    /// each code. Where two or three codes share a status, the general one
    /// is taken, as Google's own HTTP/JSON transport does (gax-java's
    /// `HttpJsonStatusCode`): 400 is `INVALID_ARGUMENT` (not
    /// `FAILED_PRECONDITION` or `OUT_OF_RANGE`), 409 is `ABORTED` (not
    /// `ALREADY_EXISTS`), 500 is `INTERNAL` (not `UNKNOWN` or `DATA_LOSS`).
    /// 502, which code.proto does not list, is `UNAVAILABLE` as in gRPC's
    /// own HTTP-to-status table. Any other status is `UNKNOWN`, the code
    /// code.proto gives "errors raised by APIs that do not return enough
    /// error information".
    pub fn from_http_status(status: u16) -> Code {
        match status {
            200 => Code::Ok,
            400 => Code::InvalidArgument,
            401 => Code::Unauthenticated,
            403 => Code::PermissionDenied,
            404 => Code::NotFound,
            409 => Code::Aborted,
            429 => Code::ResourceExhausted,
            499 => Code::Cancelled,
            500 => Code::Internal,
            501 => Code::Unimplemented,
            502 | 503 => Code::Unavailable,
            504 => Code::DeadlineExceeded,
            _ => Code::Unknown,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `google.rpc.ErrorInfo` detail: why the call failed, as a stable
/// machine-readable reason within a domain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorInfo {
    reason: String,
    domain: String,
    metadata: BTreeMap<String, String>,
}

impl ErrorInfo {
    pub(crate) fn from_json(value: &Value) -> Self {
        let metadata = match value.get("metadata") {
            // Metadata values are strings in the proto; anything else is skipped.
            Some(Value::Object(map)) => map
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect(),
            _ => BTreeMap::new(),
        };
        Self {
            reason: text(value, "reason"),
            domain: text(value, "domain"),
            metadata,
        }
    }

    /// The reason, such as `RATE_LIMIT_EXCEEDED`; empty if not sent.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The domain the reason belongs to, such as `googleapis.com`; empty if not sent.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The metadata, such as `service` or `consumer`, by key.
    pub fn metadata(&self) -> &BTreeMap<String, String> {
        &self.metadata
    }
}

/// A `google.rpc.RetryInfo` detail: how long to wait before retrying.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RetryInfo {
    retry_delay: Option<Duration>,
}

impl RetryInfo {
    pub(crate) fn from_json(value: &Value) -> Self {
        let retry_delay = value
            .get("retryDelay")
            .and_then(Value::as_str)
            .and_then(|text| super::duration::Duration::parse(text).ok()?.to_std());
        Self { retry_delay }
    }

    /// The wait the service asked for; `None` when it was missing, negative
    /// or not a protobuf duration (`"1.5s"`).
    pub fn retry_delay(&self) -> Option<Duration> {
        self.retry_delay
    }
}

/// A `google.rpc.QuotaFailure` detail: the quota checks that failed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuotaFailure {
    violations: Vec<QuotaViolation>,
}

impl QuotaFailure {
    pub(crate) fn from_json(value: &Value) -> Self {
        let violations = objects(value, "violations")
            .map(|v| QuotaViolation {
                subject: text(v, "subject"),
                description: text(v, "description"),
            })
            .collect();
        Self { violations }
    }

    /// The failed checks, in the order sent.
    pub fn violations(&self) -> &[QuotaViolation] {
        &self.violations
    }
}

/// One failed quota check of a [`QuotaFailure`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuotaViolation {
    subject: String,
    description: String,
}

impl QuotaViolation {
    /// What the quota applies to, such as `project:my-project`; empty if not sent.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// How the quota check failed, for people; empty if not sent.
    pub fn description(&self) -> &str {
        &self.description
    }
}

/// A `google.rpc.BadRequest` detail: the request fields that are wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BadRequest {
    field_violations: Vec<FieldViolation>,
}

impl BadRequest {
    pub(crate) fn from_json(value: &Value) -> Self {
        let field_violations = objects(value, "fieldViolations")
            .map(|v| FieldViolation {
                field: text(v, "field"),
                description: text(v, "description"),
            })
            .collect();
        Self { field_violations }
    }

    /// The wrong fields, in the order sent.
    pub fn field_violations(&self) -> &[FieldViolation] {
        &self.field_violations
    }
}

/// One wrong field of a [`BadRequest`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldViolation {
    field: String,
    description: String,
}

impl FieldViolation {
    /// The path to the field, such as `resources[0]`; empty if not sent.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What is wrong with it, for people; empty if not sent.
    pub fn description(&self) -> &str {
        &self.description
    }
}

/// A `google.rpc.Help` detail: links to documentation about the error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Help {
    links: Vec<HelpLink>,
}

impl Help {
    pub(crate) fn from_json(value: &Value) -> Self {
        let links = objects(value, "links")
            .map(|v| HelpLink {
                description: text(v, "description"),
                url: text(v, "url"),
            })
            .collect();
        Self { links }
    }

    /// The links, in the order sent.
    pub fn links(&self) -> &[HelpLink] {
        &self.links
    }
}

/// One link of a [`Help`] detail.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelpLink {
    description: String,
    url: String,
}

impl HelpLink {
    /// What the link leads to; empty if not sent.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The URL, as sent (not checked); empty if not sent.
    pub fn url(&self) -> &str {
        &self.url
    }
}

/// The string under `key`, or empty when it is missing or not a string.
pub(crate) fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The objects of the array under `key`; nothing when it is not an array,
/// and items that are not objects are skipped.
pub(crate) fn objects<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|item| item.is_object())
}
