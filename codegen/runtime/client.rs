//! The client every call goes through: configuration, and the one place
//! that sends a request and turns the response into a value or an error.

use super::auth::TokenProvider;
use super::error::{self, ConfigError, Error, Result};
use super::query::Query;
use crate::Scope;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

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
    timeout: Option<Duration>,
    max_response_bytes: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("authenticated", &self.inner.auth.is_some())
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder, starting from the service's default endpoint and no credentials.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            endpoint: crate::DEFAULT_ENDPOINT.to_owned(),
            auth: None,
            http: None,
            timeout: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// The root URL requests go to, ending in `/`.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// Sends a prepared request and decodes the JSON response.
    pub(crate) async fn execute<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        let bytes = self.send_raw(&request).await?;
        let body: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}" // An empty success body is an empty message.
        } else {
            &bytes
        };
        serde_json::from_slice(body).map_err(|e| error::decode(request.method_id, e))
    }

    /// Sends a prepared request whose success body the API does not describe,
    /// and ignores that body, whatever it is.
    pub(crate) async fn execute_without_response(&self, request: Request) -> Result<()> {
        self.send_raw(&request).await.map(drop)
    }

    async fn send_raw(&self, request: &Request) -> Result<Vec<u8>> {
        let inner = &*self.inner;
        let mut url = String::with_capacity(
            inner.endpoint.len() + crate::SERVICE_PATH.len() + request.path.len() + 64,
        );
        url.push_str(&inner.endpoint);
        url.push_str(crate::SERVICE_PATH);
        url.push_str(&request.path);
        request.query.append_to(&mut url);

        let mut builder = inner
            .http
            .request(request.http_method.clone(), url)
            .header(reqwest::header::USER_AGENT, USER_AGENT);
        if let Some(auth) = &inner.auth {
            let token = auth.token(request.scopes).await.map_err(Error::Auth)?;
            // `bearer_auth` marks the header sensitive, so it is never logged.
            builder = builder.bearer_auth(token.secret());
        }
        if let Some(body) = &request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        if let Some(timeout) = inner.timeout {
            builder = builder.timeout(timeout);
        }
        let mut response = builder.send().await.map_err(transport)?;
        let status = response.status();
        let limit = inner.max_response_bytes;
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
        if status.is_success() {
            Ok(bytes)
        } else {
            Err(error::from_status(status.as_u16(), &bytes))
        }
    }
}

/// A transport error without the request's query string: the query may
/// carry an API key (`key=`), and errors end up in logs.
fn transport(mut error: reqwest::Error) -> Error {
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
    /// The path relative to the service path, percent-encoded.
    pub path: String,
    /// The query parameters.
    pub query: Query,
    /// The JSON body, if the method has one.
    pub body: Option<Vec<u8>>,
    /// The scopes the method accepts, for the token provider.
    pub scopes: &'static [Scope],
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
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    max_response_bytes: usize,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("authenticated", &self.auth.is_some())
            .field("timeout", &self.timeout)
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

    /// Uses an existing `reqwest` client (its proxy, TLS and pool settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Fails a call whose response has not fully arrived after `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Fails a call whose response body is larger than `bytes`.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client> {
        let endpoint = normalize_endpoint(&self.endpoint)?;
        if self.timeout == Some(Duration::ZERO) {
            return Err(Error::Config(ConfigError::new(
                "timeout",
                "0s",
                "longer than zero",
            )));
        }
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
                .build()
                .map_err(Error::Transport)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                endpoint,
                auth: self.auth,
                timeout: self.timeout,
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
