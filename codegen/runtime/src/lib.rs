//! Support code for the generated calls: the HTTP client, errors, auth, and
//! the encoding of paths and queries.
//!
//! The generator copies this module unchanged into every crate it writes;
//! the only items it expects from the rest of the crate are `crate::Scope`,
//! `crate::DEFAULT_ENDPOINT`, `crate::SERVICE_PATH` and the cargo features
//! `dispatch`, `yup-oauth2`, `adc` and `user-consent`.

#[cfg(feature = "adc")]
pub mod adc;
pub mod auth;
pub mod bytes;
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
pub mod field_mask;
// Only crates of APIs with long-running operations use most of it.
#[allow(dead_code)]
pub mod lro;
// Only crates from OpenAPI specs with `multipart/form-data` or
// `application/x-www-form-urlencoded` request bodies use this module.
#[allow(dead_code)]
pub mod form;
pub mod media;
#[cfg(feature = "yup-oauth2")]
pub mod oauth;
pub mod pages;
pub mod path;
pub mod query;
#[cfg(any(feature = "adc", feature = "user-consent"))]
pub mod refresh_token;
pub mod retry;
pub mod rpc;
// Only crates from OpenAPI specs with parameters that have a `style` (path,
// query, header and cookie parameters) use this module.
#[allow(dead_code)]
pub mod style;
pub mod timestamp;
#[cfg(any(feature = "adc", feature = "user-consent"))]
pub(crate) mod token_cache;
#[cfg(any(feature = "adc", feature = "user-consent"))]
pub(crate) mod token_endpoint;
#[cfg(feature = "user-consent")]
pub mod token_store;
pub mod wire;

use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future: what calls and token providers return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
