//! The client every call goes through: configuration, and the one place
//! that sends a request (retrying it under the call's policy, within its
//! timeouts, traced) and turns the response into a value or an error.
//!
//! The retry loop is generic over what one attempt does, so JSON calls,
//! downloads and uploads (`media.rs`) share it: [`Client::call_plan`] gives
//! a call's settings, [`Client::run_call`] its span and total timeout,
//! [`Client::retry_attempts`] the attempts of one request with the waits
//! between, and [`Client::attempt`] the span and timeout of one attempt.

// Methods that take a request or response by value return `async move`
// blocks rather than being `async fn`s: an `async fn` stores such an
// argument twice in its future (captured, then moved into a local), and
// these futures nest, so a call's future (boxed by `.await`) grew by each.
#![allow(clippy::manual_async_fn)]

use super::auth::{Credential, TokenProvider};
use super::error::{self, ConfigError, Error, Result, TimeoutError, TimeoutKind};
use super::query::Query;
use super::retry::{self, RetryPolicy};
use super::transport::{HeaderText, HttpResponse, ReqwestTransport, Transport};
pub use super::transport::{HttpRequest, same_origin_redirects};
use std::borrow::Cow;
use std::marker::PhantomData;

/// HTTP verbs, for the requests generated code builds.
#[doc(hidden)]
pub use reqwest::Method;
use serde::de::DeserializeOwned;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

use super::transport::{API_KEY_HEADER, QUOTA_PROJECT_HEADER, USER_AGENT};

/// The default limit on a response body: far above any JSON answer of a
/// Google API, low enough that a hostile server cannot exhaust memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// How long a download's stream may go without a byte unless the client or
/// the call says otherwise: see [`ClientBuilder::read_idle_timeout`].
pub const DEFAULT_READ_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// What a generated crate tells the runtime about its API.
#[derive(Debug)]
pub struct Service {
    /// The API's name and version, such as `dataportability:v1`.
    pub name: &'static str,
    /// The root URL calls go to unless [`ClientBuilder::endpoint`] says
    /// otherwise, ending in `/`.
    pub default_endpoint: &'static str,
    /// The prefix of every method path, after the endpoint.
    pub service_path: &'static str,
}

/// The client of one API that the runtime works with: every generated
/// crate's `Client` wraps one, made for its [`Service`] by a
/// [`ClientBuilder`]. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// A client type a [`ClientBuilder`] can build: the runtime's [`Client`],
/// or a generated crate's own, which wraps one.
pub trait FromClient: Sized {
    /// Wraps a client built for the type's service.
    #[doc(hidden)]
    fn from_client(client: Client) -> Self;
}

impl FromClient for Client {
    fn from_client(client: Client) -> Self {
        client
    }
}

struct Inner {
    transport: Arc<dyn Transport>,
    service: &'static Service,
    endpoint: String,
    auth: Option<Arc<dyn TokenProvider>>,
    credentials: Vec<Credential>,
    quota_project: Option<String>,
    api_key: Option<String>,
    retry: RetryPolicy,
    polling: RetryPolicy,
    attempt_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    read_idle_timeout: Duration,
    max_response_bytes: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.inner.service.name)
            .field("endpoint", &self.inner.endpoint)
            .field("authenticated", &self.inner.auth.is_some())
            .field("retry", &self.inner.retry)
            .field("attempt_timeout", &self.inner.attempt_timeout)
            .field("total_timeout", &self.inner.total_timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder of a client of `service`, starting from its default
    /// endpoint, no credentials, the default [`RetryPolicy`] and no
    /// timeouts.
    pub fn builder(service: &'static Service) -> ClientBuilder {
        ClientBuilder::new(service)
    }

    /// The API this client calls.
    pub fn service(&self) -> &'static Service {
        self.inner.service
    }

    /// How pollers of long-running operations wait between polls.
    #[doc(hidden)]
    pub fn polling_policy(&self) -> &RetryPolicy {
        &self.inner.polling
    }

    /// The root URL requests go to, ending in `/`.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// Sends a prepared request and decodes the JSON response.
    ///
    /// A call builder's `send` returns this future directly: it owns its
    /// client and the builder's `request` (an error binding it is returned
    /// when awaited), so nothing of the builder stays in the call's future.
    #[doc(hidden)]
    pub fn execute<T: DeserializeOwned>(
        self,
        request: Result<Request>,
    ) -> impl Future<Output = Result<T>> {
        self.execute_with(request, |method_id, bytes| decode_json(method_id, &bytes))
    }

    /// Sends a prepared request and returns the success body's bytes.
    #[allow(dead_code)] // Only crates with binary responses use it.
    #[doc(hidden)]
    pub fn execute_bytes(self, request: Result<Request>) -> impl Future<Output = Result<Vec<u8>>> {
        self.execute_with(request, |_, bytes| Ok(Vec::from(bytes)))
    }

    /// Sends a prepared request and returns the success body as text.
    #[allow(dead_code)] // Only crates with text responses use it.
    #[doc(hidden)]
    pub fn execute_text(self, request: Result<Request>) -> impl Future<Output = Result<String>> {
        self.execute_with(request, |method_id, bytes| {
            String::from_utf8(Vec::from(bytes)).map_err(|e| error::decode_text(method_id, e))
        })
    }

    /// Sends a prepared request whose success body the API does not describe,
    /// and ignores that body, whatever it is.
    #[doc(hidden)]
    pub fn execute_without_response(
        self,
        request: Result<Request>,
    ) -> impl Future<Output = Result<()>> {
        self.execute_with(request, |_, _| Ok(()))
    }

    /// What every `execute*` does: sends the builder's `request` (or
    /// returns the error that stopped it) and gives `finish` the method id
    /// and the success body.
    fn execute_with<T>(
        self,
        request: Result<Request>,
        finish: impl FnOnce(&'static str, ::bytes::Bytes) -> Result<T>,
    ) -> impl Future<Output = Result<T>> {
        // A block, not an `async fn`: see the `allow` at the top.
        async move {
            let Ok(built) = &request else {
                return Err(error_of(request));
            };
            let bytes = self.send_raw(built).await?;
            finish(built.method_id, bytes)
        }
    }

    /// Sends `request`, retrying failed attempts as its policy allows, all
    /// within its total timeout; the body of the successful response.
    async fn send_raw(&self, request: &Request) -> Result<::bytes::Bytes> {
        let plan = self.call_plan(request, None)?;
        // Each attempt prepares its own request rather than cloning one: the
        // same work, and the first attempt (nearly always the only one)
        // then copies nothing. A 401 resend prepares it afresh too.
        self.send_retried(&plan, |attempt| async move {
            let mut response = self
                .dispatch_rebuilt(
                    self.prepare(request),
                    Resend::Rebuild(|| self.prepare(request)),
                    request.scopes,
                    request.security,
                )
                .await?;
            attempt.record_status(&response);
            // Borrowed: a response moved into the reading future would be
            // stored twice in this one.
            self.read_success_body(&mut response).await
        })
        .await
    }

    /// How `request` retries and times out: its own settings over the
    /// client's. `safe_by_default` says whether it may be sent twice when
    /// the call does not say (`None`: as its HTTP method says).
    #[doc(hidden)]
    pub fn call_plan(&self, request: &Request, safe_by_default: Option<bool>) -> Result<CallPlan> {
        let options = &request.options;
        check_timeout("attempt_timeout", options.attempt_timeout)?;
        check_timeout("total_timeout", options.total_timeout)?;
        check_timeout("read_idle_timeout", options.read_idle_timeout)?;
        let idempotent = options.idempotent.unwrap_or_else(|| {
            safe_by_default.unwrap_or_else(|| retry::is_idempotent(request.http_method.as_str()))
        });
        Ok(CallPlan {
            method_id: request.method_id,
            policy: options
                .retry
                .clone()
                .unwrap_or_else(|| self.inner.retry.clone()),
            idempotent,
            attempt_timeout: options.attempt_timeout.or(self.inner.attempt_timeout),
            total_timeout: options.total_timeout.or(self.inner.total_timeout),
            read_idle_timeout: options
                .read_idle_timeout
                .unwrap_or(self.inner.read_idle_timeout),
        })
    }

    /// Runs a call whose attempts are all alike: `work` makes one, and
    /// failed ones are retried as `plan` allows, all within its total
    /// timeout (see [`run_call`](Self::run_call) and [`retry_attempts`](Self::retry_attempts)).
    #[doc(hidden)]
    pub async fn send_retried<T, F, Fut>(&self, plan: &CallPlan, work: F) -> Result<T>
    where
        F: FnMut(Attempt) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let progress = Progress::default();
        // The attempts' future is made where it is awaited, not passed in
        // made: a future handed to an `async fn` is stored twice (the
        // argument, and what is awaited), and each level doubled the call's
        // future (12 KB before, boxed by every `.await`).
        self.run_call_with(plan, &progress, || {
            self.retry_attempts(plan, &progress, plan.idempotent, work)
        })
        .await
    }

    /// Runs `work`, the whole of one call, in a `call` span and within the
    /// total timeout; `progress` is how far `work` got, for the span and
    /// for the error of a timeout (which drops `work` wherever it is).
    #[doc(hidden)]
    pub fn run_call<'a, T: 'a>(
        &'a self,
        plan: &'a CallPlan,
        progress: &'a Progress,
        work: impl Future<Output = Result<T>> + 'a,
    ) -> impl Future<Output = Result<T>> + 'a {
        self.run_call_with(plan, progress, move || work)
    }

    /// [`run_call`](Self::run_call) of the future `make` gives, made only
    /// where it is awaited (so it is not stored twice).
    async fn run_call_with<T, Fut>(
        &self,
        plan: &CallPlan,
        progress: &Progress,
        make: impl FnOnce() -> Fut,
    ) -> Result<T>
    where
        Fut: Future<Output = Result<T>>,
    {
        let span = tracing::info_span!(
            "call",
            method = plan.method_id,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        // Without a subscriber for the span and without a limit, the call
        // is the work itself: no clock, no wrapper polled on every wake.
        if span.is_disabled() && plan.total_timeout.is_none() {
            return make().await;
        }
        let started = Instant::now();
        let instrumented = || make().instrument(span.clone());
        let result = with_timeout(plan.total_timeout, instrumented, |limit| {
            Error::Timeout(TimeoutError::new(
                TimeoutKind::Total,
                limit,
                progress.attempts(),
                progress.last_error(),
            ))
        })
        .await;
        span.record("attempts", progress.attempts());
        span.record("elapsed_ms", millis(started.elapsed()));
        match &result {
            Ok(_) => span.record("status", "ok"),
            Err(error) => span.record("status", error.http_status().unwrap_or(0)),
        };
        result
    }

    /// Attempts of one request, with the waits between: `work` makes one,
    /// and a failure is tried again while the request is `safe` to repeat,
    /// the error is retryable and the policy gives a wait (its attempt and
    /// time limits counted from the first of these attempts).
    #[doc(hidden)]
    pub async fn retry_attempts<T, F, Fut>(
        &self,
        plan: &CallPlan,
        progress: &Progress,
        safe: bool,
        mut work: F,
    ) -> Result<T>
    where
        F: FnMut(Attempt) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let started = Instant::now();
        let mut tries = 1;
        loop {
            let error = match self.attempt(plan, progress, &mut work).await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            let Some(delay) = plan.retry_delay(&error, safe, tries, started) else {
                return Err(error);
            };
            wait_to_retry(progress, delay, &error).await;
            tries += 1;
        }
    }

    /// One attempt, in its own span, within the attempt timeout: `work`
    /// is given its number in the call, its span and its timeout.
    #[doc(hidden)]
    pub async fn attempt<T, F, Fut>(
        &self,
        plan: &CallPlan,
        progress: &Progress,
        work: F,
    ) -> Result<T>
    where
        F: FnOnce(Attempt) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let number = progress.start_attempt();
        let span = tracing::debug_span!(
            "attempt",
            method = plan.method_id,
            attempt = number,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let exchange = || {
            work(Attempt {
                number,
                span: span.clone(),
            })
        };
        // As for the call: nothing to time or record, only the work.
        if span.is_disabled() && plan.attempt_timeout.is_none() {
            return exchange().await;
        }
        let started = Instant::now();
        let result = with_timeout(plan.attempt_timeout, exchange, |after| {
            Error::Timeout(TimeoutError::new(TimeoutKind::Attempt, after, number, None))
        })
        .instrument(span.clone())
        .await;
        let elapsed_ms = millis(started.elapsed());
        span.record("elapsed_ms", elapsed_ms);
        let _entered = span.enter();
        match &result {
            Ok(_) => tracing::debug!(elapsed_ms, "attempt succeeded"),
            Err(error) => tracing::debug!(
                elapsed_ms,
                retryable = error.is_retryable(),
                error = %error,
                "attempt failed",
            ),
        }
        result
    }

    /// The HTTP request a call makes, without credentials: what
    /// [`dispatch`](Self::dispatch) sends, and what dry runs show.
    #[doc(hidden)]
    pub fn prepare(&self, request: &Request) -> HttpRequest {
        let inner = &*self.inner;
        let base = match request.base {
            Base::Service => inner.service.service_path,
            Base::Root => "",
        };
        let mut url = String::with_capacity(
            inner.endpoint.len() + request.prefix.len() + base.len() + request.path.len() + 64,
        );
        url.push_str(&inner.endpoint);
        url.push_str(request.prefix);
        url.push_str(base);
        url.push_str(&request.path);
        request.query.append_to(&mut url);
        // Room for the credentials `dispatch` adds (a token, a quota
        // project) without growing; fixed names and values are borrowed.
        let mut headers: Vec<(HeaderText, HeaderText)> =
            Vec::with_capacity(request.headers.len() + 4);
        headers.push((Cow::Borrowed("user-agent"), Cow::Borrowed(USER_AGENT)));
        for (name, value) in &request.headers {
            headers.push((Cow::Borrowed(*name), Cow::Owned(value.clone())));
        }
        if request.body.is_some() {
            headers.push((Cow::Borrowed("content-type"), request.content_type.clone()));
        }
        HttpRequest::new(
            request.method_id,
            request.http_method.clone(),
            url,
            headers,
            request.body.clone().map(::bytes::Bytes::from),
        )
    }

    /// Sends `request` once with the credentials the method accepts
    /// (`scopes` for the token provider, `security` for other schemes); any
    /// status is returned. Timeouts are the caller's: [`Client::attempt`]
    /// times the exchange, a download's stream its read-idle timeout.
    ///
    /// A `401` to a request that carried the token provider's token makes
    /// the provider forget that token, and the request is sent once more
    /// with a fresh one, whatever its verb: the server refused it before
    /// doing anything.
    #[doc(hidden)]
    pub fn dispatch(
        &self,
        request: HttpRequest,
        scopes: &'static [&'static str],
        security: Security,
    ) -> impl Future<Output = Result<HttpResponse>> {
        self.dispatch_rebuilt(
            request,
            Resend::<fn() -> HttpRequest>::Copy,
            scopes,
            security,
        )
    }

    /// [`dispatch`](Self::dispatch), with `resend` saying how to get the
    /// request again for the resend a `401` calls for: a copy kept before
    /// sending (when a token goes with it), or built anew only then.
    fn dispatch_rebuilt<F: FnOnce() -> HttpRequest>(
        &self,
        mut request: HttpRequest,
        resend: Resend<F>,
        scopes: &'static [&'static str],
        security: Security,
    ) -> impl Future<Output = Result<HttpResponse>> {
        async move {
            let inner = &*self.inner;
            // Credentials go only to the configured endpoint, never to another
            // host a response pointed at (an upload session URL, say).
            let own_endpoint = request.url().starts_with(&inner.endpoint);
            let token_wanted = own_endpoint && self.add_credentials(&mut request, security)?;
            let Some(auth) = inner.auth.as_ref().filter(|_| token_wanted) else {
                return self.send_as_is(request).await.map_err(Error::Transport);
            };
            let token = token_of(&**auth, scopes).await?;
            let copy = match resend {
                Resend::Copy => Ok(request.clone()),
                Resend::Rebuild(rebuild) => Err(rebuild),
            };
            {
                // In a block of its own, so that the future does not keep
                // room for this response while the resend is awaited.
                let response = self
                    .send_as_is(self.with_token(request, &token))
                    .await
                    .map_err(Error::Transport)?;
                if response.status() != 401 {
                    return Ok(response);
                }
            }
            auth.invalidate(&token);
            let fresh = token_of(&**auth, scopes).await?;
            tracing::debug!("the token was refused (401): sending again with a fresh one");
            let retry = match copy {
                Ok(copy) => copy,
                Err(rebuild) => {
                    let mut again = rebuild();
                    self.add_credentials(&mut again, security)?;
                    again
                }
            };
            self.send_as_is(self.with_token(retry, &fresh))
                .await
                .map_err(Error::Transport)
        }
    }

    /// `request` with `token` (and its quota project, unless the client
    /// sets one).
    fn with_token(
        &self,
        mut request: HttpRequest,
        token: &super::auth::AccessToken,
    ) -> HttpRequest {
        request.push_sensitive_header("authorization", bearer(token.secret()));
        if self.inner.quota_project.is_none() {
            if let Some(project) = token.quota_project() {
                request.push_header(QUOTA_PROJECT_HEADER, project.to_owned());
            }
        }
        request
    }

    /// Hands `request` to the transport, as it is: its future, awaited by
    /// the caller in place (no wrapper future of ours around it).
    fn send_as_is(
        &self,
        request: HttpRequest,
    ) -> super::BoxFuture<'_, std::result::Result<HttpResponse, super::transport::TransportError>>
    {
        self.inner.transport.send(request)
    }

    /// Adds to a request for the client's own endpoint the credentials the
    /// method accepts, other than the token provider's token; whether that
    /// token is wanted too.
    fn add_credentials(&self, request: &mut HttpRequest, security: Security) -> Result<bool> {
        let inner = &*self.inner;
        let mut token_wanted = false;
        let mut credentials: Vec<&Credential> = Vec::new();
        match security {
            // OAuth scopes only: the token provider, when there is one.
            None => token_wanted = inner.auth.is_some(),
            Some(alternatives) => {
                // The first set of schemes whose every credential the client
                // holds; a set that needs none means anonymous calls are fine.
                let held = |(scheme, token): &(&str, bool)| {
                    inner.credentials.iter().any(|c| c.scheme() == *scheme)
                        || (*token && inner.auth.is_some())
                };
                let chosen = alternatives
                    .iter()
                    .find(|set| !set.is_empty() && set.iter().all(held));
                for (scheme, _) in chosen.into_iter().flat_map(|set| set.iter()) {
                    // A credential held for the scheme, else the token provider's token.
                    match inner.credentials.iter().find(|c| c.scheme() == *scheme) {
                        Some(credential) => credentials.push(credential),
                        None => token_wanted = true,
                    }
                }
            }
        }
        let mut cookies: Vec<String> = Vec::new();
        if let Some(cookie) = request.header("cookie") {
            cookies.push(cookie.to_owned());
        }
        for credential in &credentials {
            credential.add_to_request(request);
            cookies.extend(credential.cookie());
        }
        if !cookies.is_empty() {
            let joined = cookies.join("; ");
            if !joined.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
                return Err(Error::Config(ConfigError::new(
                    "cookie",
                    "<redacted>",
                    "printable ASCII",
                )));
            }
            request.push_sensitive_header("cookie", joined);
        }
        if let Some(key) = &inner.api_key {
            request.push_sensitive_header(API_KEY_HEADER, key.clone());
        }
        if let Some(project) = &inner.quota_project {
            request.push_header(QUOTA_PROJECT_HEADER, project.clone());
        }
        Ok(token_wanted)
    }

    /// The body of a success response, or the error a failure status means.
    /// Either way the body is read only up to the client's limit.
    #[doc(hidden)]
    pub fn read_success(&self, response: HttpResponse) -> impl Future<Output = Result<Vec<u8>>> {
        let mut response = response;
        async move { self.read_success_body(&mut response).await.map(Vec::from) }
    }

    /// [`read_success`](Self::read_success) as shared bytes: a body that
    /// came in one chunk (a JSON answer, nearly always) is not copied. It
    /// borrows the response, so the caller's future holds it once.
    fn read_success_body<'a>(
        &'a self,
        response: &'a mut HttpResponse,
    ) -> impl Future<Output = Result<::bytes::Bytes>> + 'a {
        async move {
            if (200..300).contains(&response.status()) {
                self.read_body(response).await
            } else {
                // Boxed: the rare error's reading would otherwise make every
                // call's future larger.
                Err(Box::pin(self.read_error_of(response)).await)
            }
        }
    }

    /// The error a failure response means, from its status, headers
    /// (`Retry-After` among them) and body (read up to the client's limit).
    #[doc(hidden)]
    pub fn read_error(&self, response: HttpResponse) -> impl Future<Output = Error> {
        let mut response = response;
        async move { self.read_error_of(&mut response).await }
    }

    /// [`read_error`](Self::read_error) of a borrowed response.
    fn read_error_of<'a>(
        &'a self,
        response: &'a mut HttpResponse,
    ) -> impl Future<Output = Error> + 'a {
        async move {
            let status = response.status();
            let retry_after = retry_after(response);
            let headers = error::kept_headers(response.headers());
            match self.read_body(response).await {
                Ok(body) => error::from_status(status, retry_after, headers, &body),
                Err(error) => error,
            }
        }
    }

    /// A response body, refused once it grows past the client's limit.
    #[doc(hidden)]
    pub fn read_limited(&self, response: HttpResponse) -> impl Future<Output = Result<Vec<u8>>> {
        let mut response = response;
        async move { self.read_body(&mut response).await.map(Vec::from) }
    }

    /// [`read_limited`](Self::read_limited) as shared bytes: a body of one
    /// chunk is that chunk, not a copy. It borrows the response, so the
    /// caller's future holds it once.
    fn read_body<'a>(
        &'a self,
        response: &'a mut HttpResponse,
    ) -> impl Future<Output = Result<::bytes::Bytes>> + 'a {
        async move {
            let limit = self.inner.max_response_bytes;
            let too_large = |len: usize| len > limit;
            if response.content_length().is_some_and(|n| n > limit as u64) {
                return Err(Error::ResponseTooLarge { limit });
            }
            let Some(first) = response.chunk().await.map_err(Error::Transport)? else {
                return Ok(::bytes::Bytes::new());
            };
            if too_large(first.len()) {
                return Err(Error::ResponseTooLarge { limit });
            }
            let Some(second) = response.chunk().await.map_err(Error::Transport)? else {
                return Ok(first);
            };
            let mut bytes = Vec::with_capacity(first.len() + second.len());
            bytes.extend_from_slice(&first);
            let mut next = Some(second);
            while let Some(chunk) = next {
                if too_large(bytes.len() + chunk.len()) {
                    return Err(Error::ResponseTooLarge { limit });
                }
                bytes.extend_from_slice(&chunk);
                next = response.chunk().await.map_err(Error::Transport)?;
            }
            Ok(bytes.into())
        }
    }
}

/// How one call retries and times out: its own settings over the client's.
/// A download keeps a copy, to resume its stream under the same settings.
#[doc(hidden)]
#[derive(Clone)]
pub struct CallPlan {
    method_id: &'static str,
    policy: RetryPolicy,
    /// Whether the call's requests may be sent twice (uploads' chunks
    /// always may, whatever this says).
    pub idempotent: bool,
    attempt_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    /// How long a download's stream may go without a byte.
    pub read_idle_timeout: Duration,
}

impl CallPlan {
    /// The wait before trying again after `error` ended try `tries` of a
    /// request begun at `since`, or `None` to give up: only a request
    /// `safe` to repeat is, only after a retryable error, and only while
    /// the policy gives a wait (`Retry-After` as its floor).
    #[doc(hidden)]
    pub fn retry_delay(
        &self,
        error: &Error,
        safe: bool,
        tries: u32,
        since: Instant,
    ) -> Option<Duration> {
        if !(safe && error.is_retryable()) {
            return None;
        }
        self.policy
            .next_delay(tries, error.retry_after(), since.elapsed())
    }
}

/// One attempt, as [`Client::attempt`] hands it to the work that makes it.
#[doc(hidden)]
pub struct Attempt {
    /// Its number in the call, from 1.
    pub number: u32,
    span: tracing::Span,
}

impl Attempt {
    /// Records the response's status on the attempt's span.
    #[doc(hidden)]
    pub fn record_status(&self, response: &HttpResponse) {
        self.span.record("status", response.status());
    }
}

/// Logs the retry and waits `delay`, noting `error` for a total timeout
/// that might pass while waiting.
#[doc(hidden)]
pub async fn wait_to_retry(progress: &Progress, delay: Duration, error: &Error) {
    progress.set_last_error(error);
    // The error's text has no token and no request body: see `Error`.
    tracing::info!(
        attempt = progress.attempts(),
        delay_ms = millis(delay),
        error = %error,
        "retrying",
    );
    tokio::time::sleep(delay).await;
}

/// How far the attempts of a call got, for the error of a total timeout
/// (which drops them mid-way).
#[derive(Default)]
#[doc(hidden)]
pub struct Progress {
    attempts: AtomicU32,
    last_error: std::sync::Mutex<Option<String>>,
}

impl Progress {
    /// Counts an attempt started; its number in the call.
    fn start_attempt(&self) -> u32 {
        self.attempts.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// The attempts started so far.
    pub(crate) fn attempts(&self) -> u32 {
        self.attempts.load(Ordering::Relaxed)
    }

    fn set_last_error(&self, error: &Error) {
        // A poisoned lock only loses this message, never the call.
        if let Ok(mut last) = self.last_error.lock() {
            *last = Some(error.to_string());
        }
    }

    fn last_error(&self) -> Option<String> {
        self.last_error.lock().ok()?.clone()
    }
}

/// How [`Client::dispatch_rebuilt`] gets a request again after a `401`.
enum Resend<F> {
    /// A copy made before sending it.
    Copy,
    /// The request built anew, only when needed.
    Rebuild(F),
}

/// A token from `auth`: one it has at hand, else one it fetches (a boxed
/// future), so a fixed or cached token costs no allocation.
async fn token_of(
    auth: &dyn TokenProvider,
    scopes: &'static [&'static str],
) -> Result<super::auth::AccessToken> {
    match auth.token_now(scopes) {
        Some(token) => Ok(token),
        None => auth.token(scopes).await.map_err(Error::Auth),
    }
}

/// `Bearer TOKEN`, in a string of exactly its length: the transport then
/// takes it as a header value without copying or reallocating it.
fn bearer(secret: &str) -> String {
    const PREFIX: &str = "Bearer ";
    let mut value = String::with_capacity(PREFIX.len() + secret.len());
    value.push_str(PREFIX);
    value.push_str(secret);
    value
}

/// Whole milliseconds, for log fields.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The wait a response's `Retry-After` header asks for.
fn retry_after(response: &HttpResponse) -> Option<Duration> {
    retry::parse_retry_after(response.header("retry-after")?, SystemTime::now())
}

/// Runs the future `make` gives, or gives `on_timeout(after)` once `after`
/// has passed. The future is made here and awaited by the caller, so it is
/// stored once. The timer is boxed, made only when there is a limit:
/// inline (as in `tokio::time::Timeout`) its 112 bytes would be part of
/// every call's future, which `.await` boxes, timed or not, once per level
/// of timeout.
fn with_timeout<T, Fut, OnTimeout>(
    after: Option<Duration>,
    make: impl FnOnce() -> Fut,
    on_timeout: OnTimeout,
) -> Timed<Fut, OnTimeout>
where
    Fut: Future<Output = Result<T>>,
    OnTimeout: FnOnce(Duration) -> Error,
{
    Timed {
        work: make(),
        timer: after.map(|after| (Box::pin(tokio::time::sleep(after)), after)),
        on_timeout: Some(on_timeout),
    }
}

pin_project_lite::pin_project! {
    /// [`with_timeout`]'s future: `work`, unless its timer fires first.
    struct Timed<Fut, OnTimeout> {
        #[pin]
        work: Fut,
        timer: Option<(Pin<Box<tokio::time::Sleep>>, Duration)>,
        on_timeout: Option<OnTimeout>,
    }
}

impl<T, Fut, OnTimeout> Future for Timed<Fut, OnTimeout>
where
    Fut: Future<Output = Result<T>>,
    OnTimeout: FnOnce(Duration) -> Error,
{
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let this = self.project();
        // The work first: an answer ready when time runs out wins.
        if let Poll::Ready(result) = this.work.poll(cx) {
            return Poll::Ready(result);
        }
        if let Some((timer, after)) = this.timer {
            if timer.as_mut().poll(cx).is_ready() {
                if let Some(on_timeout) = this.on_timeout.take() {
                    return Poll::Ready(Err(on_timeout(*after)));
                }
            }
        }
        Poll::Pending
    }
}

/// The error that stopped a call builder making its request (a path
/// parameter that does not fit), once `let Ok(built) = &request` failed.
/// `execute_with` borrows the request where its future holds it rather
/// than move it out: a local would store it twice in the call's future,
/// which `.await` boxes.
fn error_of(built: Result<Request>) -> Error {
    match built {
        Err(error) => error,
        // Only called on an `Err`; an `Ok` has nothing to report.
        Ok(request) => Error::Config(ConfigError::new(
            "request",
            request.method_id,
            "a request that failed to build",
        )),
    }
}

/// A timeout of zero would fail every call: refused as a setting.
fn check_timeout(setting: &'static str, timeout: Option<Duration>) -> Result<()> {
    if timeout == Some(Duration::ZERO) {
        return Err(Error::Config(ConfigError::new(
            setting,
            "0s",
            "longer than zero",
        )));
    }
    Ok(())
}

/// Decodes a JSON success body; an empty one is an empty message.
#[doc(hidden)]
pub fn decode_json<T: DeserializeOwned>(method_id: &'static str, bytes: &[u8]) -> Result<T> {
    let body: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(body).map_err(|e| error::decode(method_id, e))
}

/// A request ready to send: the path is bound and encoded, the body
/// serialized. No `Debug`: the query may hold an API key.
#[doc(hidden)]
pub struct Request {
    /// The method id, for error messages.
    pub method_id: &'static str,
    /// The HTTP verb.
    pub http_method: reqwest::Method,
    /// Text between the endpoint and the base path, such as `download/`.
    pub prefix: &'static str,
    /// What the path is relative to.
    pub base: Base,
    /// The path relative to the base, percent-encoded.
    pub path: String,
    /// The query parameters.
    pub query: Query,
    /// Header parameters, lower-case names (a `cookie` entry holds
    /// cookie pairs joined by `; `).
    pub headers: Vec<(&'static str, String)>,
    /// The body, if the method has one.
    pub body: Option<Vec<u8>>,
    /// The body's media type.
    pub content_type: std::borrow::Cow<'static, str>,
    /// The sets of security schemes the method accepts (`None`: OAuth
    /// scopes only, through the token provider).
    pub security: Security,
    /// The scopes the method accepts, for the token provider.
    pub scopes: &'static [&'static str],
    /// The call's own retry and timeout settings.
    pub options: CallOptions,
}

/// The alternative sets of security schemes a method accepts, each scheme
/// named with whether the token provider serves it; `None` when the API
/// has OAuth scopes only.
#[doc(hidden)]
pub type Security = Option<&'static [&'static [(&'static str, bool)]]>;

/// What a call sets for itself over the client's settings.
#[derive(Clone, Debug, Default)]
#[doc(hidden)]
pub struct CallOptions {
    /// Replaces the client's retry policy.
    pub retry: Option<RetryPolicy>,
    /// Says whether the call is safe to repeat, over its HTTP method's say.
    pub idempotent: Option<bool>,
    /// Replaces the client's attempt timeout.
    pub attempt_timeout: Option<Duration>,
    /// Replaces the client's total timeout.
    pub total_timeout: Option<Duration>,
    /// Replaces the client's read-idle timeout of downloads.
    pub read_idle_timeout: Option<Duration>,
    /// Told where a resumable upload's session stands.
    pub on_upload_session: Option<super::upload_session::SessionHook>,
    /// The media type the body is sent as, when the method offers several.
    pub content_type: Option<&'static str>,
}

/// What a request's path is relative to, after the endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(hidden)]
pub enum Base {
    /// The service path: every JSON call.
    Service,
    /// The root URL itself: media uploads, whose paths are absolute.
    Root,
}

/// Serializes a request body.
#[doc(hidden)]
pub fn json_body<T: serde::Serialize>(value: &T) -> Result<Option<Vec<u8>>> {
    serde_json::to_vec(value).map(Some).map_err(Error::Encode)
}

/// Configures a client: the runtime's [`Client`], or (the usual case) a
/// generated crate's, whose `ClientBuilder` is this type.
#[must_use]
pub struct ClientBuilder<C = Client> {
    service: &'static Service,
    client: PhantomData<fn() -> C>,
    endpoint: String,
    auth: Option<Arc<dyn TokenProvider>>,
    credentials: Vec<Credential>,
    transport: Option<Arc<dyn Transport>>,
    quota_project: Option<String>,
    api_key: Option<String>,
    retry: RetryPolicy,
    polling: RetryPolicy,
    attempt_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    read_idle_timeout: Duration,
    max_response_bytes: usize,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("service", &self.service.name)
            .field("endpoint", &self.endpoint)
            .field("authenticated", &self.auth.is_some())
            .field("retry", &self.retry)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("total_timeout", &self.total_timeout)
            .finish_non_exhaustive()
    }
}

impl<C: FromClient> ClientBuilder<C> {
    /// A builder of a client of `service`, starting from its default
    /// endpoint, no credentials, the default [`RetryPolicy`] and no
    /// timeouts.
    pub fn new(service: &'static Service) -> Self {
        Self {
            service,
            client: PhantomData,
            endpoint: service.default_endpoint.to_owned(),
            auth: None,
            credentials: Vec::new(),
            transport: None,
            quota_project: None,
            api_key: None,
            retry: RetryPolicy::default(),
            polling: RetryPolicy::polling(),
            attempt_timeout: None,
            total_timeout: None,
            read_idle_timeout: DEFAULT_READ_IDLE_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Sends requests to `url` instead of the service's default endpoint,
    /// such as a regional endpoint, a proxy, or a local fake in tests.
    /// `http://` and `https://` URLs without query or fragment are accepted.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = url.into();
        self
    }

    /// Authenticates every call with tokens from `provider`.
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.auth = Some(Arc::new(provider));
        self
    }

    /// Adds a credential (an API key, a bearer token, basic credentials)
    /// from the crate's `security` module; calls send it when their method
    /// accepts its scheme. A second credential for one scheme replaces the first.
    pub fn credential(mut self, credential: Credential) -> Self {
        self.credentials
            .retain(|c| c.scheme() != credential.scheme());
        self.credentials.push(credential);
        self
    }

    /// Sends every request through `transport` instead of the default
    /// [`ReqwestTransport`]: an in-memory fake in tests, a layer that logs
    /// or records what passes, another HTTP library, or reqwest with
    /// settings of the application's ([`ReqwestTransport::from_client`]).
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Bills calls' quota to `project` (header `x-goog-user-project`),
    /// over any quota project the token provider's tokens name. The
    /// credentials must be allowed to use the project
    /// (`serviceusage.services.use`).
    pub fn quota_project(mut self, project: impl Into<String>) -> Self {
        self.quota_project = Some(project.into());
        self
    }

    /// Sends `key` as the API key of every call to the endpoint (header
    /// `x-goog-api-key`): for APIs and methods that accept an API key,
    /// alone or beside a token.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// How calls retry failed attempts; see [`RetryPolicy`]. Each call can
    /// set its own. [`RetryPolicy::disabled`] makes one attempt per call.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How pollers of long-running operations (a call's `poller()`) wait
    /// between polls: the policy's delays are the waits, its attempt limit
    /// the most polls, its time limit the longest wait for an operation.
    /// [`RetryPolicy::polling`] by default; each poller can set its own.
    pub fn polling_policy(mut self, policy: RetryPolicy) -> Self {
        self.polling = policy;
        self
    }

    /// Fails an attempt whose response has not fully arrived after
    /// `timeout`; the attempt can then be retried. For downloads it covers
    /// getting the response, up to its headers (reading the stream is
    /// timed by [`read_idle_timeout`](Self::read_idle_timeout)); for
    /// resumable uploads, each request. No limit by default.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Fails a call that has not succeeded after `timeout`, attempts and
    /// waits between them included: for downloads, up to the response
    /// (not reading the stream); for resumable uploads, the whole upload.
    /// No limit by default (the retry policy's time limit still ends
    /// retrying).
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// How long a download's stream (`download()`, and `send()` of a method
    /// whose body is its content) may go without a byte before the
    /// connection is taken for dead: the download then resumes from the
    /// byte it reached (a `Range` request) under the call's retry policy,
    /// or fails with a [`TimeoutKind::ReadIdle`] timeout. Each call can
    /// set its own.
    ///
    /// [`DEFAULT_READ_IDLE_TIMEOUT`] (60 s) by default: a stream of any
    /// size at any speed keeps sending bytes, so only a dead or stuck
    /// connection goes quiet that long, while TCP alone may take many
    /// minutes to notice one. A timeout over the whole stream would
    /// instead fail large downloads on slow links.
    pub fn read_idle_timeout(mut self, timeout: Duration) -> Self {
        self.read_idle_timeout = timeout;
        self
    }

    /// Fails a call whose response body is larger than `bytes`. Downloads
    /// (`download()`, and `send()` of a method whose body is its content)
    /// are streamed and not limited by it.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<C> {
        let endpoint = normalize_endpoint(&self.endpoint)?;
        check_timeout("attempt_timeout", self.attempt_timeout)?;
        check_timeout("total_timeout", self.total_timeout)?;
        check_timeout("read_idle_timeout", Some(self.read_idle_timeout))?;
        if self.max_response_bytes == 0 {
            return Err(Error::Config(ConfigError::new(
                "max_response_bytes",
                "0",
                "at least 1",
            )));
        }
        for (setting, value) in [
            ("quota_project", &self.quota_project),
            ("api_key", &self.api_key),
        ] {
            if let Some(value) = value {
                if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
                    // An API key is a secret: never repeated in the error.
                    let shown = if setting == "api_key" {
                        "<redacted>"
                    } else {
                        value
                    };
                    return Err(Error::Config(ConfigError::new(
                        setting,
                        shown,
                        "a non-empty value of printable ASCII without spaces",
                    )));
                }
            }
        }
        let transport: Arc<dyn Transport> = match self.transport {
            Some(transport) => transport,
            None => Arc::new(ReqwestTransport::new().map_err(Error::Transport)?),
        };
        Ok(C::from_client(Client {
            inner: Arc::new(Inner {
                transport,
                service: self.service,
                endpoint,
                auth: self.auth,
                credentials: self.credentials,
                quota_project: self.quota_project,
                api_key: self.api_key,
                retry: self.retry,
                polling: self.polling,
                attempt_timeout: self.attempt_timeout,
                total_timeout: self.total_timeout,
                read_idle_timeout: self.read_idle_timeout,
                max_response_bytes: self.max_response_bytes,
            }),
        }))
    }
}

/// `raw` with anything between `://` and `@` hidden, for URLs too broken to parse.
fn redact_user_info(raw: &str) -> String {
    match (raw.find("://"), raw.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end + 3 => {
            format!("{}<redacted>{}", &raw[..scheme_end + 3], &raw[at..])
        }
        _ => raw.to_owned(),
    }
}

/// An absolute `http(s)` URL without query or fragment, ending in `/`.
fn normalize_endpoint(raw: &str) -> Result<String> {
    const EXPECTED: &str =
        "an absolute http:// or https:// URL without credentials, query or fragment";
    let invalid = |shown: &str| Error::Config(ConfigError::new("endpoint", shown, EXPECTED));
    if raw.starts_with('/') {
        // The spec names only a relative server: the application says where.
        return Err(Error::Config(ConfigError::new(
            "endpoint",
            raw,
            "an absolute http:// or https:// URL: the API's spec names only this relative \
             server, so set the host with `ClientBuilder::endpoint`",
        )));
    }
    let url = reqwest::Url::parse(raw).map_err(|_| invalid(&redact_user_info(raw)))?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if !plain {
        if url.password().is_none() {
            return Err(invalid(raw));
        }
        // Never repeat a password back into logs.
        let mut shown = url.clone();
        let _ = shown.set_password(Some("<redacted>"));
        return Err(invalid(shown.as_str()));
    }
    let mut endpoint = url.to_string();
    if !endpoint.ends_with('/') {
        endpoint.push('/');
    }
    Ok(endpoint)
}
