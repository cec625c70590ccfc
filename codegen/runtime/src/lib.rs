//! The runtime every generated Google API client shares: the HTTP client
//! and its retry loop, errors, credentials, path and query encoding, paging,
//! media, long-running operations and the value types of the wire format.
//!
//! A generated crate keeps only what is specific to its API (models, calls,
//! scopes, resource names) and re-exports these types, so
//! `google_drive_v3::Error` and `google_sheets_v4::Error` are one type, and
//! one [`TokenProvider`], one [`RetryPolicy`] and one error handler serve
//! every API an application uses.
//!
//! Layers, each using only those below it (no module imports one above):
//!
//! 1. values: `bytes`, `date`, `duration`, `timestamp`, `field_mask`,
//!    `enums`, `wire`; and `rpc` (status codes and error details);
//! 2. errors and policies: `error`, `retry`;
//! 3. encoding: `path`, `query`, `style`, `form`;
//! 4. the wire: `transport` (the seam to HTTP: [`Transport`], reqwest's
//!    behind it);
//! 5. credentials: `auth`, `oauth`;
//! 6. the client: `client`, then what builds on it: `media`, `pages`,
//!    `lro`, `calls`, `dispatch`.
//!
//! Modules marked hidden in the docs are for generated code, not for
//! applications: they may change in any release.

pub mod auth;
pub mod bytes;
#[doc(hidden)]
pub mod calls;
pub mod client;
pub mod date;
#[cfg(feature = "dispatch")]
pub mod dispatch;
pub mod duration;
pub mod enums;
pub mod error;
#[cfg(feature = "fake")]
pub mod fake;
pub mod field_mask;
#[doc(hidden)]
pub mod form;
pub mod lro;
pub mod media;
#[cfg(feature = "yup-oauth2")]
pub mod oauth;
pub mod pages;
#[doc(hidden)]
pub mod path;
#[doc(hidden)]
pub mod query;
pub mod retry;
pub mod rpc;
#[doc(hidden)]
pub mod style;
pub mod timestamp;
pub mod transport;
#[doc(hidden)]
pub mod wire;

pub use auth::{AccessToken, Credential, StaticToken, TokenError, TokenProvider};
pub use bytes::{Bytes, BytesError};
pub use client::{Client, ClientBuilder, Service};
pub use client::{DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_READ_IDLE_TIMEOUT};
pub use date::{Date, DateError};
pub use duration::{Duration, DurationError};
pub use enums::UnknownValue;
pub use error::{ApiError, ConfigError, DecodeError, Error, ErrorItem, MediaError};
pub use error::{HttpError, Result, TimeoutError, TimeoutKind};
pub use field_mask::FieldMask;
pub use lro::{Operation, OperationStyle, Poller, PollingPolicy};
pub use media::{Download, Media, RESUMABLE_CHUNK_BYTES, UploadSession};
#[cfg(feature = "yup-oauth2")]
pub use oauth::YupTokenProvider;
pub use pages::{Items, Pages};
pub use path::BindingError;
pub use retry::{RetryPolicy, RetryPolicyBuilder, is_idempotent};
pub use rpc::{BadRequest, Code, ErrorInfo, FieldViolation, Help, HelpLink};
pub use rpc::{QuotaFailure, QuotaViolation, RetryInfo};
pub use timestamp::{Timestamp, TimestampError};
pub use transport::{HttpRequest, HttpResponse, ReqwestTransport, Transport};
pub use transport::{TransportError, TransportErrorKind, same_origin_redirects};
// The yup-oauth2 this crate was built with, so applications name its keys
// and authenticators without pinning a matching version.
#[cfg(feature = "yup-oauth2")]
pub use yup_oauth2;

use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future: what calls and token providers return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
