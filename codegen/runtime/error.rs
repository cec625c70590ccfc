//! The one error type of every call, with the service's own error fields
//! when it sent Google's JSON error envelope.

use super::auth::TokenError;
use super::media::MediaError;
use super::path::BindingError;
use serde::Deserialize;
use std::fmt;

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
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Binding(e) => write!(f, "invalid argument: {e}"),
            Self::Api(e) => write!(f, "the service refused the call: {e}"),
            Self::Http(e) => fmt::Display::fmt(e, f),
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
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Binding(e) => Some(e),
            Self::Api(_) | Self::Http(_) | Self::Config(_) | Self::ResponseTooLarge { .. } => None,
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

    fn error_info(&self) -> Option<&serde_json::Value> {
        self.details.iter().find(|d| {
            d.get("@type").and_then(|t| t.as_str())
                == Some("type.googleapis.com/google.rpc.ErrorInfo")
        })
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
        write!(f, ": {}", self.message)
    }
}

/// An error status without Google's envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpError {
    status: u16,
    body: String,
}

impl HttpError {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The start of the body, lossily decoded (at most [`BODY_EXCERPT_BYTES`] bytes).
    pub fn body(&self) -> &str {
        &self.body
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP {} without a Google error body: {:?}",
            self.status, self.body
        )
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

/// The error for a non-success response.
pub(crate) fn from_status(http_status: u16, body: &[u8]) -> Error {
    match serde_json::from_slice::<Envelope>(body) {
        Ok(Envelope { error }) => Error::Api(ApiError {
            http_status,
            code: error.code.unwrap_or(i32::from(http_status)),
            message: error.message,
            status: error.status,
            details: error.details,
        }),
        Err(_) => {
            let excerpt = &body[..body.len().min(BODY_EXCERPT_BYTES)];
            Error::Http(HttpError {
                status: http_status,
                body: String::from_utf8_lossy(excerpt).into_owned(),
            })
        }
    }
}

/// The error for a success response that does not decode.
pub(crate) fn decode(method: &'static str, source: serde_json::Error) -> Error {
    Error::Decode(DecodeError { method, source })
}
