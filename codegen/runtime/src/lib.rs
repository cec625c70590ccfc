//! Support code for the generated calls: the HTTP client, errors, auth, and
//! the encoding of paths and queries.
//!
//! The generator copies this module unchanged into every crate it writes;
//! the only items it expects from the rest of the crate are `crate::Scope`,
//! `crate::DEFAULT_ENDPOINT`, `crate::SERVICE_PATH` and the cargo features
//! `dispatch` and `yup-oauth2`.

pub mod auth;
pub mod bytes;
pub mod calls;
pub mod client;
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
pub mod retry;
pub mod rpc;
// Only crates from OpenAPI specs with parameters that have a `style` (path,
// query, header and cookie parameters) use this module.
#[allow(dead_code)]
pub mod style;
pub mod timestamp;
pub mod wire;

use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future: what calls and token providers return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
