//! The seam between the client and HTTP: the [`Transport`] trait that sends
//! one request and gives back its response, the request and response types
//! it speaks, and [`ReqwestTransport`], the default, over reqwest.
//!
//! Everything above this module (retries, credentials, errors, media) works
//! on [`HttpRequest`] and [`HttpResponse`] only, so an application can put
//! anything behind the client: the in-memory fake of its tests
//! (`fake`), a recording or logging layer around the default, another HTTP
//! library. reqwest's types appear only in [`ReqwestTransport::from_client`]
//! and [`same_origin_redirects`].

use super::BoxFuture;
use super::error::find_header;
pub use super::error::{TransportError, TransportErrorKind};
use bytes::Bytes;
use futures_core::Stream;
use std::borrow::Cow;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

/// Sends one HTTP request and gives back the response, whatever its
/// status: the client's only way to the network.
///
/// The client hands every attempt of every call to its transport, with the
/// credentials already added; retries, timeouts, status codes and errors
/// are the client's business, not the transport's. Set one with
/// `ClientBuilder::transport`; the default is [`ReqwestTransport`].
///
/// A transport that wraps another (to log, record or alter what passes) is
/// a `Transport` holding an `Arc<dyn Transport>` and calling it.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request`; an error only when no response came (the request
    /// could not be sent, the connection failed, it timed out).
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }
}

/// An HTTP request as a call sends it: every call's `dry_run` gives one
/// without sending anything, and a [`Transport`] receives one per attempt.
///
/// A dry run's request has no credentials: the token provider is only asked
/// when a call is sent. `Debug` shows the values of credential headers and
/// query parameters (`authorization`, API keys, cookies) as `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    method_id: &'static str,
    method: reqwest::Method,
    url: String,
    /// Names and values the client knows in advance (`user-agent`,
    /// `content-type: application/json`) are borrowed, not copied per call.
    headers: Vec<(HeaderText, HeaderText)>,
    /// Names of headers and query parameters whose values are secrets.
    sensitive: Vec<&'static str>,
    /// `Bytes`, so that each attempt of a call shares it (an upload's
    /// content is not copied per attempt).
    body: Option<Bytes>,
    timeout: Option<Duration>,
}

impl HttpRequest {
    /// The id of the API method the request is for, such as
    /// `dataportability.archiveJobs.retry`; an upload's later requests
    /// (chunks, status queries) carry their call's.
    pub fn method_id(&self) -> &'static str {
        self.method_id
    }

    /// The HTTP verb, such as `POST`.
    pub fn method(&self) -> &str {
        self.method.as_str()
    }

    /// The full URL, percent-encoded as sent, query included.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL's path, without the query.
    pub fn path(&self) -> &str {
        let after_scheme = self.url.find("://").map_or(0, |at| at + 3);
        let rest = &self.url[after_scheme..];
        let path = rest.find('/').map_or("", |at| &rest[at..]);
        path.split(['?', '#']).next().unwrap_or(path)
    }

    /// The value of query parameter `name` (still percent-encoded), if any.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        let query = self.url.split_once('?')?.1;
        let query = query.split('#').next().unwrap_or(query);
        query
            .split('&')
            .find_map(|pair| match pair.split_once('=') {
                Some((n, value)) if n == name => Some(value),
                None if pair == name => Some(""),
                _ => None,
            })
    }

    /// The headers, in the order they are sent (lower-case names).
    pub fn headers(&self) -> &[(HeaderText, HeaderText)] {
        &self.headers
    }

    /// The value of header `name` (any case), if any.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The body, if the call has one.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The body as shared bytes, for transports that send it without a copy.
    pub fn body_bytes(&self) -> Option<&Bytes> {
        self.body.as_ref()
    }

    /// How long the transport should give the exchange, reading the body
    /// included, before failing it with [`TransportErrorKind::Timeout`].
    /// The client's own requests leave it `None`: it times attempts itself,
    /// and a download's stream by its read-idle timeout; a layer that
    /// builds requests of its own may set it.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Whether header or query parameter `name` carries a secret (a token,
    /// an API key, a cookie), which logs must not show.
    pub fn is_sensitive(&self, name: &str) -> bool {
        self.sensitive.iter().any(|s| s.eq_ignore_ascii_case(name))
    }

    #[doc(hidden)]
    pub fn new(
        method_id: &'static str,
        method: reqwest::Method,
        url: String,
        headers: Vec<(HeaderText, HeaderText)>,
        body: Option<Bytes>,
    ) -> Self {
        Self {
            method_id,
            method,
            url,
            headers,
            sensitive: Vec::new(),
            body,
            timeout: None,
        }
    }

    /// Sets header `name` (lower case), replacing any value it had.
    #[doc(hidden)]
    pub fn push_header(&mut self, name: &'static str, value: impl Into<HeaderText>) {
        self.headers.retain(|(n, _)| n != name);
        self.headers.push((Cow::Borrowed(name), value.into()));
    }

    /// Sets header `name` to a secret: shown redacted.
    #[doc(hidden)]
    pub fn push_sensitive_header(&mut self, name: &'static str, value: impl Into<HeaderText>) {
        self.push_header(name, value);
        self.mark_sensitive(name);
    }

    /// Marks a header or query parameter as carrying a secret.
    #[doc(hidden)]
    pub fn mark_sensitive(&mut self, name: &'static str) {
        if !self.is_sensitive(name) {
            self.sensitive.push(name);
        }
    }

    #[doc(hidden)]
    pub fn url_mut(&mut self) -> &mut String {
        &mut self.url
    }

    #[doc(hidden)]
    pub fn set_body(&mut self, body: impl Into<Bytes>) {
        self.body = Some(body.into());
    }

    #[doc(hidden)]
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }

    /// The URL with the values of sensitive query parameters replaced.
    fn redacted_url(&self) -> String {
        let Some((base, query)) = self.url.split_once('?') else {
            return self.url.clone();
        };
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _)) if name == "key" || self.is_sensitive(name) => {
                    format!("{name}=<redacted>")
                }
                _ => pair.to_owned(),
            })
            .collect();
        format!("{base}?{}", pairs.join("&"))
    }
}

impl fmt::Debug for HttpRequest {
    /// Shows the URL and headers with secrets redacted, and the body as
    /// text when it is UTF-8.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self
            .body
            .as_deref()
            .map(|b| String::from_utf8_lossy(b).into_owned());
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if self.is_sensitive(name) || is_credential_header(name) {
                    "<redacted>"
                } else {
                    value
                };
                (&**name, shown)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method_id", &self.method_id)
            .field("method", &self.method.as_str())
            .field("url", &self.redacted_url())
            .field("headers", &headers)
            .field("body", &body)
            .finish()
    }
}

/// The header that names the project billed for a call's quota.
pub(crate) const QUOTA_PROJECT_HEADER: &str = "x-goog-user-project";

/// The header that carries the client's API key (Google's, sent as a
/// header rather than `key=` so it stays out of URLs and their logs).
pub(crate) const API_KEY_HEADER: &str = "x-goog-api-key";

/// What the client sends as `user-agent`: the runtime's name and version.
pub(crate) const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A header's name or value in an [`HttpRequest`]: text the client knows
/// in advance is borrowed, the rest owned. It reads as a `str`.
pub type HeaderText = Cow<'static, str>;

/// Headers that carry credentials whoever set them, in lower case.
const CREDENTIAL_HEADERS: [&str; 4] = [
    "authorization",
    "cookie",
    API_KEY_HEADER,
    "proxy-authorization",
];

/// Whether header `name` carries credentials whoever set it.
fn is_credential_header(name: &str) -> bool {
    CREDENTIAL_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
}

/// A response body: chunks as they arrive.
type BodyStream = Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send>>;

/// An HTTP response as a [`Transport`] gives it back: status, headers, and
/// a body read chunk by chunk (or given whole).
pub struct HttpResponse {
    status: u16,
    headers: Headers,
    body: Body,
}

/// A response's headers: a list, or reqwest's map, turned into a list only
/// when [`HttpResponse::headers`] asks (errors, logs): a call that only
/// looks a header up copies none.
enum Headers {
    List(Vec<(String, String)>),
    Reqwest {
        map: reqwest::header::HeaderMap,
        list: OnceLock<Vec<(String, String)>>,
    },
}

impl Headers {
    fn list(&self) -> &[(String, String)] {
        match self {
            Self::List(list) => list,
            Self::Reqwest { map, list } => list.get_or_init(|| {
                map.iter()
                    .map(|(name, value)| {
                        (
                            name.as_str().to_owned(),
                            String::from_utf8_lossy(value.as_bytes()).into_owned(),
                        )
                    })
                    .collect()
            }),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        match self {
            Self::Reqwest { map, .. } => {
                // Text that is not UTF-8 reads as the list has it (lossily).
                match map.get(name).map(|v| std::str::from_utf8(v.as_bytes())) {
                    Some(Ok(value)) => Some(value),
                    Some(Err(_)) => find_header(self.list(), name),
                    None => None,
                }
            }
            Self::List(list) => find_header(list, name),
        }
    }

    fn list_mut(&mut self) -> &mut Vec<(String, String)> {
        if let Self::Reqwest { .. } = self {
            *self = Self::List(self.list().to_vec());
        }
        let Self::List(list) = self else {
            unreachable!("the headers were made a list above")
        };
        list
    }
}

enum Body {
    Whole(Option<Bytes>),
    Stream(BodyStream),
    /// reqwest's body, awaited in place by [`HttpResponse::chunk`] (no boxed
    /// future per chunk), polled through [`ReqwestBody`] otherwise.
    Reqwest(ReqwestBody),
}

impl HttpResponse {
    /// A response with `status`, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Headers::List(Vec::new()),
            body: Body::Whole(None),
        }
    }

    /// Adds a header (its name is kept in lower case).
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers
            .list_mut()
            .push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Sets the whole body.
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = Body::Whole(Some(body.into()));
        self
    }

    /// A JSON body, with its `content-type`.
    pub fn with_json(self, value: &serde_json::Value) -> Self {
        self.with_header("content-type", "application/json; charset=UTF-8")
            .with_body(value.to_string())
    }

    /// A body that arrives as the chunks `stream` gives (an error in it is
    /// a connection lost mid-body).
    pub fn with_stream(
        mut self,
        stream: impl Stream<Item = Result<Bytes, TransportError>> + Send + 'static,
    ) -> Self {
        self.body = Body::Stream(Box::pin(stream));
        self
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers (lower-case names), in the order received.
    pub fn headers(&self) -> &[(String, String)] {
        self.headers.list()
    }

    /// The value of header `name` (any case), if any.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// The body's length when known before reading it: a whole body's, or
    /// the `content-length` header's.
    pub fn content_length(&self) -> Option<u64> {
        match &self.body {
            Body::Whole(body) => Some(body.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Stream(_) | Body::Reqwest(_) => {
                let text = match &self.headers {
                    // By the constant name: looking up text parses it first.
                    Headers::Reqwest { map, .. } => map
                        .get(reqwest::header::CONTENT_LENGTH)
                        .and_then(|value| value.to_str().ok()),
                    Headers::List(list) => find_header(list, "content-length"),
                };
                text?.trim().parse().ok()
            }
        }
    }

    /// The next chunk of the body, or `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, TransportError> {
        if let Body::Reqwest(ReqwestBody::Idle(response)) = &mut self.body {
            // Awaited here, in this future: polling would box one per chunk.
            let chunk = response.chunk().await;
            if !matches!(chunk, Ok(Some(_))) {
                self.body = Body::Whole(None);
            }
            return chunk.map_err(from_reqwest);
        }
        std::future::poll_fn(|cx| self.poll_chunk(cx))
            .await
            .transpose()
    }

    /// Polls for the next chunk of the body.
    pub fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, TransportError>>> {
        match &mut self.body {
            Body::Whole(body) => Poll::Ready(body.take().filter(|b| !b.is_empty()).map(Ok)),
            Body::Stream(stream) => stream.as_mut().poll_next(cx),
            Body::Reqwest(body) => Pin::new(body).poll_next(cx),
        }
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers()
            .iter()
            .map(|(name, value)| {
                let secret = name == "set-cookie" || is_credential_header(name);
                (
                    name.as_str(),
                    if secret { "<redacted>" } else { value.as_str() },
                )
            })
            .collect();
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &headers)
            .finish_non_exhaustive()
    }
}

/// The default transport: reqwest, on rustls, with HTTP/2, following
/// redirects only on the same origin ([`same_origin_redirects`]).
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with its own connection pool, on the TLS the crate's
    /// features chose (`rustls-ring` by default; `rustls-aws-lc-rs` wins
    /// when both are on; `native-tls` when neither is). With no TLS feature
    /// it speaks plain HTTP only.
    pub fn new() -> Result<Self, TransportError> {
        #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
        {
            // reqwest's rustls asks for the process's default provider. Ring
            // becomes it only if the application installed none (an
            // application's choice stands; a race with another installer is
            // harmless: either provider is a sound one).
            if rustls::crypto::CryptoProvider::get_default().is_none() {
                let _ = rustls::crypto::ring::default_provider().install_default();
            }
        }
        let client = reqwest::Client::builder()
            .redirect(same_origin_redirects())
            .build()
            .map_err(from_reqwest)?;
        Ok(Self { client })
    }

    /// A transport over an existing reqwest client (its proxy, TLS and
    /// pool settings).
    ///
    /// Give it [`same_origin_redirects`] as its redirect policy (the
    /// default transport's): reqwest's own policy follows redirects to
    /// other hosts with every header but `Authorization` and `Cookie`, so
    /// an API key in another header would go there too.
    pub fn from_client(client: reqwest::Client) -> Self {
        Self { client }
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        // Built before the future is made, which then holds reqwest's alone.
        let built = to_reqwest(request);
        Box::pin(async move {
            let mut response = self.client.execute(built?).await.map_err(from_reqwest)?;
            Ok(HttpResponse {
                status: response.status().as_u16(),
                headers: Headers::Reqwest {
                    map: std::mem::take(response.headers_mut()),
                    list: OnceLock::new(),
                },
                body: Body::Reqwest(ReqwestBody::Idle(response)),
            })
        })
    }
}

/// `request` as reqwest's, made directly rather than through its
/// `RequestBuilder` (which parses each header's name from text and moves
/// the whole request at each setter): the names the client sends on every
/// call are constants, and no header is copied.
fn to_reqwest(mut request: HttpRequest) -> Result<reqwest::Request, TransportError> {
    let invalid = |what: String| TransportError::new(TransportErrorKind::Request, what);
    // The parse error alone: the URL's query may carry an API key.
    let url = reqwest::Url::parse(&request.url)
        .map_err(|e| invalid(format!("the request's URL is not valid: {e}")))?;
    if !url.has_host() {
        return Err(invalid("the request's URL has no host".to_owned()));
    }
    // Credentials in a URL (only ever one a server or a caller handed over:
    // the client's endpoint may not have them) are refused rather than
    // sent: reqwest's builder would have made them a `Basic` header, and
    // HTTP/2 would carry them in `:authority`.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "the request's URL carries a user name or password".to_owned(),
        ));
    }
    // Room for reqwest's own defaults (`accept`) too, without growing.
    let mut headers = reqwest::header::HeaderMap::with_capacity(request.headers.len() + 2);
    for (name, value) in std::mem::take(&mut request.headers) {
        let header_name = header_name(&name)
            .ok_or_else(|| invalid(format!("`{name}` is not a valid header name")))?;
        let mut value = header_value(value).map_err(|_| {
            invalid(format!(
                "the value of header `{name}` holds a control character"
            ))
        })?;
        if is_credential_header_name(&header_name) || request.is_sensitive(&name) {
            // Never shown by reqwest's or hyper's own logging.
            value.set_sensitive(true);
        }
        headers.append(header_name, value);
    }
    let mut built = reqwest::Request::new(request.method, url);
    *built.headers_mut() = headers;
    *built.body_mut() = request.body.map(reqwest::Body::from);
    if let Some(timeout) = request.timeout {
        // Only when set: reqwest keeps it in the request's extensions,
        // which allocate once touched.
        *built.timeout_mut() = Some(timeout);
    }
    Ok(built)
}

/// The header `name`: the ones the client sends on every call are
/// constants, others are parsed; `None` when `name` is not one.
fn header_name(name: &str) -> Option<reqwest::header::HeaderName> {
    use reqwest::header::{self, HeaderName};
    const API_KEY: HeaderName = HeaderName::from_static(API_KEY_HEADER);
    const QUOTA_PROJECT: HeaderName = HeaderName::from_static(QUOTA_PROJECT_HEADER);
    Some(match name {
        "user-agent" => header::USER_AGENT,
        "content-type" => header::CONTENT_TYPE,
        "authorization" => header::AUTHORIZATION,
        API_KEY_HEADER => API_KEY,
        QUOTA_PROJECT_HEADER => QUOTA_PROJECT,
        _ => return HeaderName::from_bytes(name.as_bytes()).ok(),
    })
}

/// [`is_credential_header`] of a parsed name, which is in lower case
/// already: compared as it is.
fn is_credential_header_name(name: &reqwest::header::HeaderName) -> bool {
    CREDENTIAL_HEADERS.contains(&name.as_str())
}

/// The header value `text`: the values the client sends on every call are
/// constants (checked once, at compile time), other borrowed text becomes a
/// static value and owned text moves in, uncopied; only borrowed text that
/// may not be a static value (bytes beyond ASCII) is copied.
fn header_value(
    text: HeaderText,
) -> Result<reqwest::header::HeaderValue, reqwest::header::InvalidHeaderValue> {
    use reqwest::header::HeaderValue;
    const AGENT: HeaderValue = HeaderValue::from_static(USER_AGENT);
    const JSON: HeaderValue = HeaderValue::from_static("application/json");
    match text {
        Cow::Borrowed(USER_AGENT) => Ok(AGENT),
        Cow::Borrowed("application/json") => Ok(JSON),
        Cow::Borrowed(text) if text.bytes().all(is_static_value_byte) => {
            Ok(HeaderValue::from_static(text))
        }
        Cow::Borrowed(text) => HeaderValue::from_str(text),
        Cow::Owned(text) => HeaderValue::try_from(text),
    }
}

/// Whether `byte` may stand in a `HeaderValue::from_static` (which panics
/// on any other): visible ASCII, space and tab.
fn is_static_value_byte(byte: u8) -> bool {
    (32..127).contains(&byte) || byte == b'\t'
}

/// A reqwest response's body as a stream, without reqwest's `stream`
/// feature (which would build tokio-util and futures-util for this alone).
enum ReqwestBody {
    Idle(reqwest::Response),
    Reading(BoxFuture<'static, (reqwest::Response, reqwest::Result<Option<Bytes>>)>),
    Done,
}

impl Stream for ReqwestBody {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(this, ReqwestBody::Done) {
                ReqwestBody::Done => return Poll::Ready(None),
                ReqwestBody::Idle(mut response) => {
                    *this = ReqwestBody::Reading(Box::pin(async move {
                        let chunk = response.chunk().await;
                        (response, chunk)
                    }));
                }
                ReqwestBody::Reading(mut future) => match future.as_mut().poll(cx) {
                    Poll::Pending => {
                        *this = ReqwestBody::Reading(future);
                        return Poll::Pending;
                    }
                    Poll::Ready((response, Ok(Some(chunk)))) => {
                        *this = ReqwestBody::Idle(response);
                        return Poll::Ready(Some(Ok(chunk)));
                    }
                    Poll::Ready((_, Ok(None))) => return Poll::Ready(None),
                    Poll::Ready((_, Err(e))) => return Poll::Ready(Some(Err(from_reqwest(e)))),
                },
            }
        }
    }
}

/// reqwest's error as the runtime's, without the URL's query (it may carry
/// an API key, `key=`) or user name and password: errors end up in logs.
fn from_reqwest(mut error: reqwest::Error) -> TransportError {
    if let Some(url) = error.url_mut() {
        url.set_query(None);
        // Cannot fail on a URL with a host, which every request's has.
        let _ = url.set_username("");
        let _ = url.set_password(None);
    }
    let kind = if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_builder() || error.is_redirect() {
        TransportErrorKind::Request
    } else {
        TransportErrorKind::Connection
    };
    TransportError::with_source(kind, error.to_string(), error)
}

/// The redirect policy of the default transport: redirects are followed
/// (up to 10) only while they stay on the same origin (scheme, host and
/// port), so credentials in any header never reach another host; a
/// redirect elsewhere is returned as the response it is.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str) -> HttpRequest {
        HttpRequest::new(
            "a.b.c",
            reqwest::Method::GET,
            url.to_owned(),
            Vec::new(),
            None,
        )
    }

    #[test]
    fn the_path_and_query_are_read_off_the_url() {
        let r = request("https://h.example/v1/a%2Fb:retry?x=1&key=k&flag#f");
        assert_eq!(r.path(), "/v1/a%2Fb:retry");
        assert_eq!(r.query_param("x"), Some("1"));
        assert_eq!(r.query_param("flag"), Some(""));
        assert_eq!(r.query_param("y"), None);
        assert_eq!(request("http://h.example").path(), "");
    }

    #[test]
    fn debug_redacts_credentials_in_headers_and_query() {
        let mut r = request("https://h.example/v1/x?key=SECRET1&api_token=SECRET2&page=2");
        r.mark_sensitive("api_token");
        r.push_header("authorization", "Bearer SECRET3");
        r.push_sensitive_header("x-api-key", "SECRET4");
        r.push_header("accept", "application/json");
        let shown = format!("{r:?}");
        for secret in ["SECRET1", "SECRET2", "SECRET3", "SECRET4"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(
            shown.contains("page=2") && shown.contains("application/json"),
            "{shown}"
        );
        // The transport still gets the values.
        assert_eq!(r.header("X-Api-Key"), Some("SECRET4"));
    }

    #[test]
    fn reqwest_gets_every_header_with_credentials_marked_sensitive() {
        let mut r = request("https://h.example/v1/x?page=2");
        r.push_header("user-agent", USER_AGENT);
        r.push_header("content-type", "application/json");
        r.push_header("authorization", "Bearer T");
        r.push_header(API_KEY_HEADER, "K".to_owned());
        r.push_header(QUOTA_PROJECT_HEADER, "p".to_owned());
        r.push_sensitive_header("x-custom-secret", "S");
        r.push_header("X-Trace", "static text");
        r.push_header("x-odd", "line\nbreak");
        let Err(error) = to_reqwest(r.clone()) else {
            panic!("a value with a line break was taken");
        };
        assert!(error.to_string().contains("`x-odd`"), "{error}");
        r.push_header("x-odd", "cafe".to_owned());
        let built = to_reqwest(r).expect("a valid request");
        assert_eq!(built.url().as_str(), "https://h.example/v1/x?page=2");
        let shown: Vec<(&str, &str, bool)> = built
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str(), v.to_str().unwrap(), v.is_sensitive()))
            .collect();
        assert_eq!(
            shown,
            [
                ("user-agent", USER_AGENT, false),
                ("content-type", "application/json", false),
                ("authorization", "Bearer T", true),
                ("x-goog-api-key", "K", true),
                ("x-goog-user-project", "p", false),
                ("x-custom-secret", "S", true),
                ("x-trace", "static text", false),
                ("x-odd", "cafe", false),
            ]
        );
        // No timeout unless the request sets one.
        assert_eq!(built.timeout(), None);
    }

    #[test]
    fn a_request_reqwest_cannot_take_is_refused_without_its_query() {
        for (url, expected) in [
            ("https://h.example:99999/v1?key=SECRET", "URL is not valid"),
            ("mailto:someone?key=SECRET", "no host"),
        ] {
            let error = to_reqwest(request(url)).expect_err(url);
            assert_eq!(error.kind(), TransportErrorKind::Request, "{url}");
            assert!(error.to_string().contains(expected), "{url}: {error}");
            assert!(!error.to_string().contains("SECRET"), "{url}: {error}");
        }
        let mut r = request("https://h.example/");
        r.push_header("bad name", "v");
        let error = to_reqwest(r).expect_err("a bad header name");
        assert!(error.to_string().contains("`bad name`"), "{error}");
        let mut timed = request("https://h.example/");
        timed.set_timeout(Some(Duration::from_secs(3)));
        assert_eq!(
            to_reqwest(timed).expect("a request").timeout(),
            Some(&Duration::from_secs(3))
        );
    }

    #[test]
    fn every_credential_header_is_sensitive_whatever_its_case_and_repeats_stay() {
        let headers = [
            ("Authorization", "a"),
            ("COOKIE", "c"),
            ("X-Goog-Api-Key", "k"),
            ("proxy-authorization", "p"),
            ("x-dup", "1"),
            ("x-dup", "2"),
        ]
        .map(|(n, v)| (Cow::Borrowed(n), Cow::Borrowed(v)));
        let r = HttpRequest::new(
            "a.b.c",
            reqwest::Method::GET,
            "https://h.example/".to_owned(),
            headers.to_vec(),
            None,
        );
        let built = to_reqwest(r).expect("a valid request");
        for name in CREDENTIAL_HEADERS {
            let value = built.headers().get(name).expect(name);
            assert!(value.is_sensitive(), "{name}");
        }
        let repeated: Vec<_> = built.headers().get_all("x-dup").iter().collect();
        assert_eq!(repeated, ["1", "2"]);
        assert!(!repeated[0].is_sensitive());
    }

    #[test]
    fn a_url_with_a_user_name_or_password_is_refused_without_them() {
        for url in [
            "https://user:SECRET@h.example/v1",
            "https://SECRET@h.example/v1",
            "https://:SECRET@h.example/v1",
        ] {
            let error = to_reqwest(request(url)).expect_err(url);
            assert_eq!(error.kind(), TransportErrorKind::Request, "{url}");
            assert!(
                error.to_string().contains("user name or password"),
                "{error}"
            );
            assert!(!error.to_string().contains("SECRET"), "{url}: {error}");
        }
    }

    #[tokio::test]
    async fn a_reqwest_error_shows_neither_the_query_nor_user_info() {
        // Sent past `to_reqwest`, as a redirect's would be: nothing listens
        // on port 1, so the connection fails and the error names the URL.
        let url = reqwest::Url::parse("http://user:SECRET1@127.0.0.1:1/v1?key=SECRET2").unwrap();
        let transport = ReqwestTransport::new().expect("the default transport");
        let error = transport
            .client
            .execute(reqwest::Request::new(reqwest::Method::GET, url))
            .await
            .expect_err("nothing listens on port 1");
        let shown = from_reqwest(error);
        assert_eq!(shown.kind(), TransportErrorKind::Connect, "{shown}");
        let text = format!("{shown} {shown:?}");
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("127.0.0.1:1"), "{text}");
    }

    #[test]
    fn the_default_transport_builds_on_the_chosen_tls() {
        // With `rustls-no-provider` underneath (feature `rustls-ring`),
        // reqwest panics when no crypto provider is installed.
        ReqwestTransport::new().expect("the default transport");
        #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }

    #[tokio::test]
    async fn a_whole_body_is_one_chunk_and_an_empty_one_none() {
        let mut response = HttpResponse::new(200).with_body("abc");
        assert_eq!(response.content_length(), Some(3));
        assert_eq!(
            response.chunk().await.unwrap().as_deref(),
            Some(&b"abc"[..])
        );
        assert_eq!(response.chunk().await.unwrap(), None);
        let mut empty = HttpResponse::new(204);
        assert_eq!(empty.chunk().await.unwrap(), None);
    }
}
