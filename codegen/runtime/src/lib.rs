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
//! 1. values and their encodings: `bytes`, `date`, `duration`, `timestamp`,
//!    `field_mask`, `enums`, `wire`, `rpc` (status codes, error details),
//!    `path`, `query`, `style`, `form`;
//! 2. errors: `error` (every error type of the crate);
//! 3. policies and the wire: `retry`; `transport` (the seam to HTTP:
//!    [`Transport`], reqwest's behind it), `fake`;
//! 4. credentials: `auth`, then the providers: `token_cache`,
//!    `token_endpoint`, `refresh_token`, `token_store`, `oauth`, `adc`,
//!    `consent`;
//! 5. results: `pages`, `lro`, `dispatch`;
//! 6. the client: `client`, then what builds on it: `media`, `calls`.
//!
//! A test (`layers`) reads every module's imports and fails on one that
//! reaches up or sideways out of this order.
//!
//! Modules marked hidden in the docs are for generated code, not for
//! applications: they may change in any release.

#[cfg(feature = "adc")]
pub mod adc;
pub mod auth;
pub mod bytes;
#[doc(hidden)]
pub mod calls;
pub mod client;
#[cfg(feature = "user-consent")]
pub mod consent;
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
#[doc(hidden)]
pub mod object;
pub mod pages;
#[doc(hidden)]
pub mod path;
#[doc(hidden)]
pub mod query;
#[cfg(any(feature = "adc", feature = "user-consent"))]
pub mod refresh_token;
pub mod retry;
pub mod rpc;
#[doc(hidden)]
pub mod style;
pub mod timestamp;
#[cfg(any(feature = "adc", feature = "user-consent"))]
pub(crate) mod token_cache;
#[cfg(any(feature = "adc", feature = "user-consent"))]
pub(crate) mod token_endpoint;
#[cfg(feature = "user-consent")]
pub mod token_store;
pub mod transport;
pub mod upload_session;
#[doc(hidden)]
pub mod wire;

#[cfg(feature = "adc")]
pub use adc::{AdcSource, AdcSources, ApplicationDefaultCredentials, CredentialKind};
pub use auth::{AccessToken, Credential, StaticToken, TokenError, TokenProvider};
pub use bytes::{Bytes, BytesError};
pub use calls::CallBuilder;
pub use client::{Client, ClientBuilder, Service};
pub use client::{DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_READ_IDLE_TIMEOUT};
#[cfg(feature = "user-consent")]
pub use consent::{InstalledFlow, PendingConsent, Pkce, WebConsent, WebFlow};
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
#[cfg(any(feature = "adc", feature = "user-consent"))]
pub use refresh_token::{OAuthClient, RefreshTokenProvider};
pub use retry::{RetryPolicy, RetryPolicyBuilder, is_idempotent};
pub use rpc::{BadRequest, Code, ErrorInfo, FieldViolation, Help, HelpLink};
pub use rpc::{QuotaFailure, QuotaViolation, RetryInfo};
pub use timestamp::{Timestamp, TimestampError};
#[cfg(feature = "user-consent")]
pub use token_store::{FileTokenStore, MemoryTokenStore, StoredToken, TokenStore};
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

#[cfg(test)]
mod layers {
    //! The layering of the crate's modules, checked against their sources.

    /// Each module and its layer: a module may use only modules of lower
    /// layers, so no two modules use each other, however indirectly.
    const LAYERS: &[(&str, u8, &str)] = &[
        ("bytes", 0, include_str!("bytes.rs")),
        ("date", 0, include_str!("date.rs")),
        ("duration", 0, include_str!("duration.rs")),
        ("timestamp", 0, include_str!("timestamp.rs")),
        ("field_mask", 0, include_str!("field_mask.rs")),
        ("enums", 0, include_str!("enums.rs")),
        ("wire", 0, include_str!("wire.rs")),
        ("path", 0, include_str!("path.rs")),
        ("object", 0, include_str!("object.rs")),
        ("rpc", 1, include_str!("rpc.rs")),
        ("query", 1, include_str!("query.rs")),
        ("style", 2, include_str!("style.rs")),
        ("form", 3, include_str!("form.rs")),
        ("error", 4, include_str!("error.rs")),
        ("retry", 5, include_str!("retry.rs")),
        ("transport", 5, include_str!("transport.rs")),
        ("upload_session", 0, include_str!("upload_session.rs")),
        ("fake", 6, include_str!("fake.rs")),
        ("auth", 6, include_str!("auth.rs")),
        ("oauth", 7, include_str!("oauth.rs")),
        ("token_cache", 7, include_str!("token_cache.rs")),
        ("token_endpoint", 7, include_str!("token_endpoint.rs")),
        ("refresh_token", 8, include_str!("refresh_token.rs")),
        ("token_store", 9, include_str!("token_store.rs")),
        ("adc", 9, include_str!("adc.rs")),
        ("consent", 10, include_str!("consent.rs")),
        ("pages", 7, include_str!("pages.rs")),
        ("lro", 7, include_str!("lro.rs")),
        ("dispatch", 7, include_str!("dispatch.rs")),
        ("client", 11, include_str!("client.rs")),
        ("media", 12, include_str!("media.rs")),
        ("calls", 12, include_str!("calls.rs")),
    ];

    /// The crate modules `source` names (`super::x`, `crate::x`), outside
    /// comments.
    fn uses(source: &str) -> Vec<String> {
        let mut found = Vec::new();
        for line in source.lines() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for prefix in ["super::", "crate::"] {
                for (at, _) in code.match_indices(prefix) {
                    let name: String = code[at + prefix.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    // A lower-case name followed by `::` is a module.
                    if !name.is_empty() && code[at + prefix.len() + name.len()..].starts_with("::")
                    {
                        found.push(name);
                    }
                }
            }
        }
        found
    }

    #[test]
    fn no_module_uses_one_above_or_beside_it() {
        let layer = |name: &str| {
            LAYERS
                .iter()
                .find(|(n, _, _)| *n == name)
                .map(|(_, l, _)| *l)
        };
        for (module, own, source) in LAYERS {
            for used in uses(source) {
                if used == *module {
                    continue;
                }
                let Some(theirs) = layer(&used) else {
                    panic!("{module} uses `{used}`, which is in no layer");
                };
                assert!(
                    theirs < *own,
                    "{module} (layer {own}) uses {used} (layer {theirs})"
                );
            }
        }
    }

    #[test]
    fn every_module_has_a_layer() {
        let lib = include_str!("lib.rs");
        for line in lib.lines() {
            if let Some(name) = line
                .strip_prefix("pub mod ")
                .and_then(|l| l.strip_suffix(';'))
            {
                assert!(
                    LAYERS.iter().any(|(n, _, _)| *n == name),
                    "module {name} is in no layer"
                );
            }
        }
    }
}
