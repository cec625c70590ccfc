//! What every generated call builder has in common, written once: its
//! per-call retry and timeout setters, `dry_run`, and `.await`.
//!
//! The generated code invokes [`call_builder_common!`] for each builder
//! instead of repeating the same items in full, which keeps crates with
//! thousands of methods small and quick to build; rustdoc shows the
//! methods on each builder all the same.

/// The shared methods of the call builder `$builder` (which has
/// `options: CallOptions` and `into_request`), whose `send` returns
/// `$response`; `$verb` and whether the verb is retried by default
/// (`retried`/`not_retried`) choose the words of `idempotent`'s docs.
#[macro_export]
#[doc(hidden)]
macro_rules! call_builder_common {
    ($builder:ident, $response:ty, $verb:literal, retried) => {
        $crate::call_builder_common!(@items $builder, $response,
            concat!("Says whether this call may be sent more than once. A `", $verb,
                    "` is retried by default; `false` stops that."));
    };
    ($builder:ident, $response:ty, $verb:literal, not_retried) => {
        $crate::call_builder_common!(@items $builder, $response,
            concat!("Says that this call may be sent more than once, so failed attempts are \
                     retried under the retry policy. A `", $verb, "` is not retried by default: \
                     a retry after an attempt that reached the service could do the work twice."));
    };
    (@items $builder:ident, $response:ty, $idempotent_doc:expr) => {
        impl $builder {
            /// Retries this call's failed attempts under `policy` instead of the client's.
            ///
            /// What is retried depends on how the call is sent: `send` (or
            /// `.await`) of a JSON call and `upload` resend the whole
            /// request; `download`, and `send` of a method whose body is
            /// its content, retry getting the response (up to headers with
            /// a success status) and, when the stream breaks, resume it
            /// from the byte reached (`Range`); `upload_resumable` retries
            /// its opening request and, after a chunk fails, asks the
            /// server where it stands and resumes, counting the policy's
            /// attempts and time limit afresh for each request.
            pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
                self.options.retry = Some(policy);
                self
            }

            #[doc = $idempotent_doc]
            ///
            /// It decides the retries of `send` (or `.await`), `upload` and
            /// `download`. `upload_resumable` opens its session whatever the
            /// verb (`false` stops retrying that opening request) and
            /// resumes failed chunks regardless: the server keeps the
            /// content by offset.
            pub fn idempotent(mut self, idempotent: bool) -> Self {
                self.options.idempotent = Some(idempotent);
                self
            }

            /// Fails an attempt of this call that takes longer than `timeout`
            /// (instead of the client's attempt timeout), with
            /// [`Error::Timeout`](crate::Error::Timeout); the attempt can
            /// then be retried.
            ///
            /// For `download`, and `send` of a method whose body is its
            /// content, it covers getting the response up to its headers
            /// (and each resumed request); reading the stream is timed by
            /// [`read_idle_timeout`](Self::read_idle_timeout). For
            /// `upload_resumable` it applies to each request: the opening
            /// one, each chunk, each status query.
            pub fn attempt_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.attempt_timeout = Some(timeout);
                self
            }

            /// Fails this call when it has not succeeded after `timeout`, retries
            /// and waits included (instead of the client's total timeout).
            ///
            /// For `download`, and `send` of a method whose body is its
            /// content, it ends once the response has arrived: reading the
            /// stream is not covered. For `upload_resumable` it covers the
            /// whole upload.
            pub fn total_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.total_timeout = Some(timeout);
                self
            }

            /// For `download`, and `send` of a method whose body is its
            /// content: how long the stream may go without a byte (instead
            /// of the client's read-idle timeout, 60 s by default) before
            /// the connection is taken for dead and the download resumes
            /// from the byte reached, under the retry policy. Other calls
            /// ignore it.
            pub fn read_idle_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.read_idle_timeout = Some(timeout);
                self
            }

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

#[doc(hidden)]
pub use crate::call_builder_common;
