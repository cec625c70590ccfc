//! The client every call goes through: configuration, and the one place
//! that sends a request (retrying it under the call's policy, within its
//! timeouts, traced) and turns the response into a value or an error.

use super::auth::{Credential, TokenProvider};
use super::error::{self, ConfigError, Error, Result, TimeoutError, TimeoutKind};
use super::query::Query;
use super::retry::{self, RetryPolicy};
use crate::Scope;
use serde::de::DeserializeOwned;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// The default limit on a response body: far above any JSON answer of a
/// Google API, low enough that a hostile server cannot exhaust memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A client of the API. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: String,
    auth: Option<Arc<dyn TokenProvider>>,
    credentials: Vec<Credential>,
    retry: RetryPolicy,
    polling: RetryPolicy,
    attempt_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    max_response_bytes: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("authenticated", &self.inner.auth.is_some())
            .field("retry", &self.inner.retry)
            .field("attempt_timeout", &self.inner.attempt_timeout)
            .field("total_timeout", &self.inner.total_timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder, starting from the service's default endpoint, no
    /// credentials, the default [`RetryPolicy`] and no timeouts.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            endpoint: crate::DEFAULT_ENDPOINT.to_owned(),
            auth: None,
            credentials: Vec::new(),
            http: None,
            retry: RetryPolicy::default(),
            polling: RetryPolicy::polling(),
            attempt_timeout: None,
            total_timeout: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// How pollers of long-running operations wait between polls.
    #[allow(dead_code)] // Only APIs with long-running operations use it.
    pub(crate) fn polling_policy(&self) -> &RetryPolicy {
        &self.inner.polling
    }

    /// The root URL requests go to, ending in `/`.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// Sends a prepared request and decodes the JSON response.
    pub(crate) async fn execute<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        let bytes = self.send_raw(&request).await?;
        decode_json(request.method_id, &bytes)
    }

    /// Sends a prepared request and returns the success body's bytes.
    #[allow(dead_code)] // Only crates with binary responses use it.
    pub(crate) async fn execute_bytes(&self, request: Request) -> Result<Vec<u8>> {
        self.send_raw(&request).await
    }

    /// Sends a prepared request and returns the success body as text.
    #[allow(dead_code)] // Only crates with text responses use it.
    pub(crate) async fn execute_text(&self, request: Request) -> Result<String> {
        let bytes = self.send_raw(&request).await?;
        String::from_utf8(bytes).map_err(|e| error::decode_text(request.method_id, e))
    }

    /// Sends a prepared request whose success body the API does not describe,
    /// and ignores that body, whatever it is.
    pub(crate) async fn execute_without_response(&self, request: Request) -> Result<()> {
        self.send_raw(&request).await.map(drop)
    }

    /// Sends `request`, retrying failed attempts as its policy allows, all
    /// within its total timeout; the body of the successful response.
    async fn send_raw(&self, request: &Request) -> Result<Vec<u8>> {
        let options = &request.options;
        check_timeout("attempt_timeout", options.attempt_timeout)?;
        check_timeout("total_timeout", options.total_timeout)?;
        let span = tracing::info_span!(
            "call",
            method = request.method_id,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let progress = Progress::default();
        let all_attempts = self.attempts(request, &progress).instrument(span.clone());
        let total = options.total_timeout.or(self.inner.total_timeout);
        let result = with_timeout(total, all_attempts, |limit| {
            Error::Timeout(TimeoutError::new(
                TimeoutKind::Total,
                limit,
                progress.attempts.load(Ordering::Relaxed),
                progress.last_error(),
            ))
        })
        .await;
        span.record("attempts", progress.attempts.load(Ordering::Relaxed));
        span.record("elapsed_ms", millis(started.elapsed()));
        match &result {
            Ok(_) => span.record("status", "ok"),
            Err(error) => span.record("status", error.http_status().unwrap_or(0)),
        };
        result
    }

    /// The attempts of one call, with the waits between; `progress` tells
    /// a total timeout how far they got.
    async fn attempts(&self, request: &Request, progress: &Progress) -> Result<Vec<u8>> {
        let options = &request.options;
        let policy = options.retry.as_ref().unwrap_or(&self.inner.retry);
        let idempotent = options
            .idempotent
            .unwrap_or_else(|| retry::is_idempotent(request.http_method.as_str()));
        let attempt_timeout = options.attempt_timeout.or(self.inner.attempt_timeout);
        let http = self.prepare(request);
        let started = Instant::now();
        let mut attempt = 1;
        loop {
            progress.attempts.store(attempt, Ordering::Relaxed);
            let error = match self
                .attempt(request, http.clone(), attempt, attempt_timeout)
                .await
            {
                Ok(bytes) => return Ok(bytes),
                Err(error) => error,
            };
            let delay = if idempotent && error.is_retryable() {
                policy.next_delay(attempt, error.retry_after(), started.elapsed())
            } else {
                None
            };
            let Some(delay) = delay else {
                return Err(error);
            };
            progress.set_last_error(&error);
            // The error's text has no token and no request body: see `Error`.
            tracing::info!(
                attempt,
                delay_ms = millis(delay),
                error = %error,
                "retrying",
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt, in its own span: send, read the body, within `timeout`.
    async fn attempt(
        &self,
        request: &Request,
        http: HttpRequest,
        attempt: u32,
        timeout: Option<Duration>,
    ) -> Result<Vec<u8>> {
        let span = tracing::debug_span!(
            "attempt",
            method = request.method_id,
            attempt,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let exchange = async {
            let response = self
                .dispatch(http, request.scopes, request.security, None)
                .await?;
            span.record("status", response.status().as_u16());
            self.read_success(response).await
        };
        let result = with_timeout(timeout, exchange, |after| {
            Error::Timeout(TimeoutError::new(
                TimeoutKind::Attempt,
                after,
                attempt,
                None,
            ))
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
    /// [`send_http`](Self::send_http) sends, and what dry runs show.
    pub(crate) fn prepare(&self, request: &Request) -> HttpRequest {
        let inner = &*self.inner;
        let base = match request.base {
            Base::Service => crate::SERVICE_PATH,
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
        let mut headers = vec![("user-agent".to_owned(), USER_AGENT.to_owned())];
        for (name, value) in &request.headers {
            headers.push(((*name).to_owned(), value.clone()));
        }
        if request.body.is_some() {
            headers.push(("content-type".to_owned(), request.content_type.to_string()));
        }
        HttpRequest {
            method: request.http_method.clone(),
            url,
            headers,
            body: request.body.clone(),
        }
    }

    /// Sends `request` with the credentials the method accepts (`scopes`
    /// for the token provider, `security` for other schemes), once, within
    /// the client's attempt timeout (which for downloads covers reading the
    /// stream). Any status is returned.
    pub(crate) async fn send_http(
        &self,
        request: HttpRequest,
        scopes: &'static [Scope],
        security: Security,
    ) -> Result<reqwest::Response> {
        self.dispatch(request, scopes, security, self.inner.attempt_timeout)
            .await
    }

    /// Sends `request` once; `timeout` is left to reqwest (the JSON calls
    /// time their attempts themselves, to report [`Error::Timeout`]).
    async fn dispatch(
        &self,
        request: HttpRequest,
        scopes: &'static [Scope],
        security: Security,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Response> {
        let inner = &*self.inner;
        // Credentials go only to the configured endpoint, never to another
        // host a response pointed at (an upload session URL, say).
        let own_endpoint = request.url.starts_with(&inner.endpoint);
        let mut token_wanted = false;
        let mut credentials: Vec<&Credential> = Vec::new();
        match security {
            _ if !own_endpoint => {}
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
        let mut url = request.url;
        for credential in &credentials {
            credential.add_to_url(&mut url);
        }
        let mut builder = inner.http.request(request.method, url.as_str());
        let mut cookies: Vec<String> = Vec::new();
        for (name, value) in &request.headers {
            if name == "cookie" {
                cookies.push(value.clone());
            } else {
                builder = builder.header(name.as_str(), value.as_str());
            }
        }
        for credential in &credentials {
            builder = credential.add_to_headers(builder);
            cookies.extend(credential.cookie());
        }
        if !cookies.is_empty() {
            let mut header = reqwest::header::HeaderValue::from_str(&cookies.join("; "))
                .map_err(|_| {
                    Error::Config(ConfigError::new("cookie", "<redacted>", "printable ASCII"))
                })?;
            header.set_sensitive(true);
            builder = builder.header(reqwest::header::COOKIE, header);
        }
        if token_wanted {
            if let Some(auth) = &inner.auth {
                let token = auth.token(scopes).await.map_err(Error::Auth)?;
                // `bearer_auth` marks the header sensitive, so it is never logged.
                builder = builder.bearer_auth(token.secret());
            }
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        builder.send().await.map_err(transport)
    }

    /// The body of a success response, or the error a failure status means.
    /// Either way the body is read only up to the client's limit.
    pub(crate) async fn read_success(&self, response: reqwest::Response) -> Result<Vec<u8>> {
        if response.status().is_success() {
            self.read_limited(response).await
        } else {
            Err(self.read_error(response).await)
        }
    }

    /// The error a failure response means, from its status, headers
    /// (`Retry-After` among them) and body (read up to the client's limit).
    pub(crate) async fn read_error(&self, response: reqwest::Response) -> Error {
        let status = response.status().as_u16();
        let retry_after = retry_after(&response);
        let headers = error::kept_headers(response.headers());
        match self.read_limited(response).await {
            Ok(body) => error::from_status(status, retry_after, headers, &body),
            Err(error) => error,
        }
    }

    /// A response body, refused once it grows past the client's limit.
    pub(crate) async fn read_limited(&self, mut response: reqwest::Response) -> Result<Vec<u8>> {
        let limit = self.inner.max_response_bytes;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(Error::ResponseTooLarge { limit });
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if bytes.len() + chunk.len() > limit {
                return Err(Error::ResponseTooLarge { limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

/// The redirect policy of the client's default `reqwest` client: redirects
/// are followed (up to 10) only while they stay on the same origin (scheme,
/// host and port), so credentials in any header never reach another host;
/// a redirect elsewhere is returned as the response it is.
pub fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let origin = attempt.previous().first().map(|url| url.origin());
        if attempt.previous().len() > 10 {
            attempt.error("more than 10 redirects")
        } else if origin.as_ref() == Some(&attempt.url().origin()) {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// How far the attempts of a call got, for the error of a total timeout
/// (which drops them mid-way).
#[derive(Default)]
struct Progress {
    attempts: AtomicU32,
    last_error: std::sync::Mutex<Option<String>>,
}

impl Progress {
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

/// Whole milliseconds, for log fields.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The wait a response's `Retry-After` header asks for.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?;
    retry::parse_retry_after(value.to_str().ok()?, SystemTime::now())
}

/// Runs `work`, or gives `on_timeout(after)` once `after` has passed.
async fn with_timeout<T>(
    after: Option<Duration>,
    work: impl Future<Output = Result<T>>,
    on_timeout: impl FnOnce(Duration) -> Error,
) -> Result<T> {
    match after {
        None => work.await,
        Some(after) => tokio::time::timeout(after, work)
            .await
            .unwrap_or_else(|_| Err(on_timeout(after))),
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
pub(crate) fn decode_json<T: DeserializeOwned>(method_id: &'static str, bytes: &[u8]) -> Result<T> {
    let body: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(body).map_err(|e| error::decode(method_id, e))
}

/// An HTTP request as a call would send it, for debugging: every call's
/// `dry_run` gives one without sending anything.
///
/// The `Authorization` header is not part of it: the token provider is
/// only asked when a call is sent.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    method: reqwest::Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl HttpRequest {
    /// The HTTP verb, such as `POST`.
    pub fn method(&self) -> &str {
        self.method.as_str()
    }

    /// The full URL, percent-encoded as sent, query included.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers, in the order they are sent (lower-case names).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The body, if the call has one.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    pub(crate) fn new(
        method: reqwest::Method,
        url: String,
        headers: Vec<(String, String)>,
        body: Option<Vec<u8>>,
    ) -> Self {
        Self {
            method,
            url,
            headers,
            body,
        }
    }

    pub(crate) fn push_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.retain(|(n, _)| n != name);
        self.headers.push((name.to_owned(), value.into()));
    }

    pub(crate) fn set_body(&mut self, body: Vec<u8>) {
        self.body = Some(body);
    }
}

impl fmt::Debug for HttpRequest {
    /// Shows the URL with an API key (`key=`) redacted, and the body as
    /// text when it is UTF-8.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self
            .body
            .as_deref()
            .map(|b| String::from_utf8_lossy(b).into_owned());
        f.debug_struct("HttpRequest")
            .field("method", &self.method.as_str())
            .field("url", &redact_key(&self.url))
            .field("headers", &self.headers)
            .field("body", &body)
            .finish()
    }
}

/// `url` with the value of any `key` query parameter replaced.
fn redact_key(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some(("key", _)) => "key=<redacted>".to_owned(),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

/// A transport error without the request's query string: the query may
/// carry an API key (`key=`), and errors end up in logs.
pub(crate) fn transport(mut error: reqwest::Error) -> Error {
    if let Some(url) = error.url_mut() {
        url.set_query(None);
    }
    Error::Transport(error)
}

/// A request ready to send: the path is bound and encoded, the body
/// serialized. No `Debug`: the query may hold an API key.
pub(crate) struct Request {
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
    pub scopes: &'static [Scope],
    /// The call's own retry and timeout settings.
    pub options: CallOptions,
}

/// The alternative sets of security schemes a method accepts, each scheme
/// named with whether the token provider serves it; `None` when the API
/// has OAuth scopes only.
pub(crate) type Security = Option<&'static [&'static [(&'static str, bool)]]>;

/// What a call sets for itself over the client's settings.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallOptions {
    /// Replaces the client's retry policy.
    pub retry: Option<RetryPolicy>,
    /// Says whether the call is safe to repeat, over its HTTP method's say.
    pub idempotent: Option<bool>,
    /// Replaces the client's attempt timeout.
    pub attempt_timeout: Option<Duration>,
    /// Replaces the client's total timeout.
    pub total_timeout: Option<Duration>,
    /// The media type the body is sent as, when the method offers several.
    pub content_type: Option<&'static str>,
}

/// What a request's path is relative to, after the endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Base {
    /// The service path: every JSON call.
    Service,
    /// The root URL itself: media uploads, whose paths are absolute.
    Root,
}

/// Serializes a request body.
pub(crate) fn json_body<T: serde::Serialize>(value: &T) -> Result<Option<Vec<u8>>> {
    serde_json::to_vec(value).map(Some).map_err(Error::Encode)
}

/// Configures a [`Client`].
#[must_use]
pub struct ClientBuilder {
    endpoint: String,
    auth: Option<Arc<dyn TokenProvider>>,
    credentials: Vec<Credential>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    polling: RetryPolicy,
    attempt_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    max_response_bytes: usize,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("authenticated", &self.auth.is_some())
            .field("retry", &self.retry)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("total_timeout", &self.total_timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
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
        self.credentials.retain(|c| c.scheme() != credential.scheme());
        self.credentials.push(credential);
        self
    }

    /// Uses an existing `reqwest` client (its proxy, TLS and pool settings).
    ///
    /// Give it [`same_origin_redirects`] as its redirect policy (the
    /// default client's): reqwest's own policy follows redirects to other
    /// hosts with every header but `Authorization` and `Cookie`, so an API
    /// key in another header would go there too.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
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
    /// reading the whole stream. No limit by default.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Fails a call that has not succeeded after `timeout`, attempts and
    /// waits between them included. No limit by default (the retry
    /// policy's time limit still ends retrying).
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// Fails a call whose response body is larger than `bytes`. Downloads
    /// (`download()`) are streamed and not limited by it.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client> {
        let endpoint = normalize_endpoint(&self.endpoint)?;
        check_timeout("attempt_timeout", self.attempt_timeout)?;
        check_timeout("total_timeout", self.total_timeout)?;
        if self.max_response_bytes == 0 {
            return Err(Error::Config(ConfigError::new(
                "max_response_bytes",
                "0",
                "at least 1",
            )));
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .redirect(same_origin_redirects())
                .build()
                .map_err(Error::Transport)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                endpoint,
                auth: self.auth,
                credentials: self.credentials,
                retry: self.retry,
                polling: self.polling,
                attempt_timeout: self.attempt_timeout,
                total_timeout: self.total_timeout,
                max_response_bytes: self.max_response_bytes,
            }),
        })
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
