//! What every generated call builder has in common, written once: its
//! per-call retry and timeout setters ([`CallBuilder`]), `dry_run`, and
//! `.await`.
//!
//! The generated code invokes [`call_builder_common!`] for each builder
//! instead of repeating the same items in full, which keeps crates with
//! thousands of methods small and quick to build.

use crate::client::CallOptions;
use crate::retry::RetryPolicy;
use std::time::Duration;

/// The items every call builder `$builder` (which has `client`,
/// `options: CallOptions` and `into_request`) has, whose `send` returns
/// `$response`: [`CallBuilder`], `dry_run` and `.await`.
#[macro_export]
#[doc(hidden)]
macro_rules! call_builder_common {
    ($builder:ident, $response:ty) => {
        impl $crate::CallBuilder for $builder {
            fn call_options(&mut self) -> &mut $crate::client::CallOptions {
                &mut self.options
            }
        }

        impl $builder {
            /// The HTTP request [`send`](Self::send) would make (method,
            /// URL, headers, body), built without sending anything and
            /// without asking for a token: for debugging and tests.
            pub fn dry_run(&self) -> $crate::Result<$crate::HttpRequest> {
                let request = Clone::clone(self).into_request()?;
                Ok(self.client.prepare(&request))
            }
        }

        impl std::future::IntoFuture for $builder {
            type Output = $crate::Result<$response>;
            type IntoFuture = $crate::BoxFuture<'static, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}

/// Per-call retry and timeout settings, which every call builder of every
/// generated crate has: `use <crate>::prelude::*;` brings them into scope.
///
/// They are written once here, as provided methods, rather than once per
/// builder: an API with thousands of methods type-checks them once.
pub trait CallBuilder: Sized {
    /// Where the builder keeps its settings.
    #[doc(hidden)]
    fn call_options(&mut self) -> &mut CallOptions;

    /// Retries this call's failed attempts under `policy` instead of the client's.
    ///
    /// What is retried depends on how the call is sent: `send` (or
    /// `.await`) of a JSON call and `upload` resend the whole request;
    /// `download`, and `send` of a method whose body is its content, retry
    /// getting the response (up to headers with a success status) and,
    /// when the stream breaks, resume it from the byte reached (`Range`);
    /// `upload_resumable` retries its opening request and, after a chunk
    /// fails, asks the server where it stands and resumes, counting the
    /// policy's attempts and time limit afresh for each request.
    fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.call_options().retry = Some(policy);
        self
    }

    /// Says whether this call may be sent more than once. Calls whose verb
    /// HTTP calls idempotent (`GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE`)
    /// are retried by default, and `false` stops that; others (`POST`,
    /// `PATCH`) are not, as a retry after an attempt that reached the
    /// service could do the work twice, and `true` allows it.
    ///
    /// It decides the retries of `send` (or `.await`), `upload` and
    /// `download`. `upload_resumable` opens its session whatever the verb
    /// (`false` stops retrying that opening request) and resumes failed
    /// chunks regardless: the server keeps the content by offset.
    fn idempotent(mut self, idempotent: bool) -> Self {
        self.call_options().idempotent = Some(idempotent);
        self
    }

    /// Fails an attempt of this call that takes longer than `timeout`
    /// (instead of the client's attempt timeout), with
    /// [`Error::Timeout`](crate::Error::Timeout); the attempt can then be
    /// retried.
    ///
    /// For `download`, and `send` of a method whose body is its content,
    /// it covers getting the response up to its headers (and each resumed
    /// request); reading the stream is timed by
    /// [`read_idle_timeout`](Self::read_idle_timeout). For
    /// `upload_resumable` it applies to each request: the opening one,
    /// each chunk, each status query.
    fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.call_options().attempt_timeout = Some(timeout);
        self
    }

    /// Fails this call when it has not succeeded after `timeout`, retries
    /// and waits included (instead of the client's total timeout).
    ///
    /// For `download`, and `send` of a method whose body is its content,
    /// it ends once the response has arrived: reading the stream is not
    /// covered. For `upload_resumable` it covers the whole upload.
    fn total_timeout(mut self, timeout: Duration) -> Self {
        self.call_options().total_timeout = Some(timeout);
        self
    }

    /// For `download`, and `send` of a method whose body is its content:
    /// how long the stream may go without a byte (instead of the client's
    /// read-idle timeout, 60 s by default) before the connection is taken
    /// for dead and the download resumes from the byte reached, under the
    /// retry policy. Other calls ignore it.
    fn read_idle_timeout(mut self, timeout: Duration) -> Self {
        self.call_options().read_idle_timeout = Some(timeout);
        self
    }
}

#[doc(hidden)]
pub use crate::call_builder_common;
