//! A user's consent (cargo feature `user-consent`): the OAuth 2.0
//! authorization-code flows that end with a refresh token for the user,
//! with PKCE (S256) and a checked `state` in both.
//!
//! - [`InstalledFlow`], for programs on the user's machine: a one-shot
//!   HTTP listener on `127.0.0.1` at a port the system picks receives the
//!   browser's redirect (Google's loopback flow). The application opens
//!   the browser at the URL it is given; nothing here launches one.
//! - [`WebFlow`], for a web server: the application sends the user to the
//!   URL, keeps the `state` and PKCE verifier in its session, and hands
//!   the redirect's query to [`WebFlow::finish`].
//!
//! Both ask for `access_type=offline` (a refresh token) and
//! `prompt=consent` (Google sends a refresh token only with a consent it
//! has just shown). Codes are exchanged with reqwest. SHA-256 and the
//! random verifier and state come from ring, the crypto provider the
//! default TLS feature (`rustls-ring`) already builds.

use super::auth::{AccessToken, TokenError, chosen_scopes as chosen};
use super::path::encode_segment;
use super::refresh_token::{OAuthClient, RefreshTokenProvider};
use super::token_endpoint::{http_client, is_error_code, post_form};
use super::token_store::TokenStore;
use std::fmt;
use std::net::Ipv4Addr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How long [`PendingConsent::finish`] waits for the browser unless told:
/// time for a person to read the consent screen and choose.
const CONSENT_TIMEOUT: Duration = Duration::from_secs(300);

/// How long one connection to the loopback listener may take to send its
/// request: browsers open connections they never use, and one of those must
/// not hold up the redirect.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The most of a request's head the listener reads: a redirect with a code
/// and a state is well under 2 KiB.
const MAX_REQUEST_BYTES: usize = 8 * 1024;

/// Random bytes in a PKCE verifier and a state: 256 bits, 43 characters.
const RANDOM_BYTES: usize = 32;

/// A PKCE pair (RFC 7636, method S256): the verifier stays with the
/// application until the code exchange; the challenge, its SHA-256, goes
/// in the authorization URL.
#[derive(Clone)]
pub struct Pkce {
    verifier: String,
    challenge: String,
}

impl Pkce {
    /// A new pair with a random 43-character verifier.
    pub fn new() -> Result<Self, TokenError> {
        Self::from_verifier(random_text()?)
    }

    /// The pair of a verifier the application kept (43 to 128 characters
    /// of `A-Z a-z 0-9 - . _ ~`, as RFC 7636 requires).
    pub fn from_verifier(verifier: impl Into<String>) -> Result<Self, TokenError> {
        let verifier = verifier.into();
        let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if !(43..=128).contains(&verifier.len()) || !verifier.bytes().all(allowed) {
            return Err(TokenError::new(
                "a PKCE verifier is 43 to 128 characters of A-Z a-z 0-9 - . _ ~",
            ));
        }
        let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
        Ok(Self {
            challenge: base64url(digest.as_ref()),
            verifier,
        })
    }

    /// The verifier (a secret until the exchange).
    pub fn verifier(&self) -> &str {
        &self.verifier
    }

    /// The S256 challenge: base64url, without padding, of the verifier's
    /// SHA-256.
    pub fn challenge(&self) -> &str {
        &self.challenge
    }
}

impl fmt::Debug for Pkce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkce")
            .field("verifier", &"<redacted>")
            .field("challenge", &self.challenge)
            .finish()
    }
}

/// The installed-application flow: consent in the user's browser, the
/// redirect received on `127.0.0.1`.
#[derive(Clone)]
pub struct InstalledFlow {
    client: OAuthClient,
    scopes: Vec<String>,
    timeout: Duration,
}

impl InstalledFlow {
    /// A flow asking the user to grant `scopes` to `client` (an OAuth
    /// client of type "Desktop app").
    pub fn new(
        client: OAuthClient,
        scopes: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Result<Self, TokenError> {
        Ok(Self {
            client,
            scopes: chosen(scopes)?,
            timeout: CONSENT_TIMEOUT,
        })
    }

    /// How long to wait for the user (5 minutes unless set).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Starts listening for the redirect and makes the URL to open.
    pub async fn start(&self) -> Result<PendingConsent, TokenError> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(|e| TokenError::with_source("could not listen on 127.0.0.1", e))?;
        let port = listener
            .local_addr()
            .map_err(|e| TokenError::with_source("could not listen on 127.0.0.1", e))?
            .port();
        let redirect_uri = format!("http://127.0.0.1:{port}/");
        let pkce = Pkce::new()?;
        let state = random_text()?;
        let url = authorization_url(&self.client, &self.scopes, &redirect_uri, &state, &pkce);
        let (sender, receiver) = tokio::sync::mpsc::channel(1);
        let expected = state.clone();
        let listening = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    // Out of descriptors, most likely: let some close.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let (sender, expected) = (sender.clone(), expected.clone());
                tokio::spawn(async move {
                    if let Some(outcome) = serve(stream, &expected).await {
                        // Only the first redirect counts.
                        let _ = sender.try_send(outcome);
                    }
                });
            }
        });
        Ok(PendingConsent {
            url,
            redirect_uri,
            pkce,
            client: self.client.clone(),
            timeout: self.timeout,
            receiver,
            listening,
        })
    }

    /// The user's tokens: from `store` if it holds a refresh token of this
    /// client that covers the scopes, else by asking for consent (`open` is
    /// given the URL to show the user) and saving the new refresh token
    /// there.
    pub async fn sign_in(
        &self,
        store: &dyn TokenStore,
        open: impl FnOnce(&str),
    ) -> Result<RefreshTokenProvider, TokenError> {
        if let Some(stored) = store.load().await? {
            let same_client = stored
                .client_id()
                .is_none_or(|id| id == self.client.client_id());
            if same_client && self.scopes.iter().all(|s| stored.covers(s.as_str())) {
                return stored.provider(self.client.clone());
            }
        }
        let pending = self.start().await?;
        open(pending.authorization_url());
        let provider = pending.finish().await?;
        store.save(&provider.stored_token()).await?;
        Ok(provider)
    }
}

impl fmt::Debug for InstalledFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InstalledFlow")
            .field("client", &self.client)
            .field("scopes", &self.scopes)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// A consent under way: the listener waits for the browser's redirect.
/// Dropping it stops the listener.
pub struct PendingConsent {
    url: String,
    redirect_uri: String,
    pkce: Pkce,
    client: OAuthClient,
    timeout: Duration,
    receiver: tokio::sync::mpsc::Receiver<Result<String, TokenError>>,
    listening: tokio::task::JoinHandle<()>,
}

impl PendingConsent {
    /// The URL to open in the user's browser.
    pub fn authorization_url(&self) -> &str {
        &self.url
    }

    /// Where the browser will be sent back (`http://127.0.0.1:PORT/`).
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits for the redirect, checks its `state`, and exchanges its code
    /// for the user's tokens.
    pub async fn finish(mut self) -> Result<RefreshTokenProvider, TokenError> {
        let code = match tokio::time::timeout(self.timeout, self.receiver.recv()).await {
            Ok(Some(outcome)) => outcome?,
            Ok(None) => return Err(TokenError::new("the loopback listener stopped")),
            Err(_) => {
                return Err(TokenError::new(format!(
                    "the user did not finish signing in within {:?}",
                    self.timeout
                )));
            }
        };
        self.listening.abort();
        exchange(&self.client, &code, &self.redirect_uri, &self.pkce).await
    }
}

impl Drop for PendingConsent {
    fn drop(&mut self) {
        self.listening.abort();
    }
}

impl fmt::Debug for PendingConsent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL holds only public values (client id, challenge, state).
        f.debug_struct("PendingConsent")
            .field("authorization_url", &self.url)
            .field("pkce", &self.pkce)
            .finish_non_exhaustive()
    }
}

/// The web-server flow: the application's own server sends the user to
/// Google and receives the redirect at `redirect_uri`.
#[derive(Clone)]
pub struct WebFlow {
    client: OAuthClient,
    scopes: Vec<String>,
    redirect_uri: String,
}

impl WebFlow {
    /// A flow asking the user to grant `scopes` to `client` (of type "Web
    /// application"), redirecting to `redirect_uri`, which must be one the
    /// client lists.
    pub fn new(
        client: OAuthClient,
        scopes: impl IntoIterator<Item = impl AsRef<str>>,
        redirect_uri: impl Into<String>,
    ) -> Result<Self, TokenError> {
        Ok(Self {
            client,
            scopes: chosen(scopes)?,
            redirect_uri: redirect_uri.into(),
        })
    }

    /// A new consent: send the user to its URL, and keep its state and
    /// verifier (in the user's session) for [`finish`](Self::finish).
    pub fn start(&self) -> Result<WebConsent, TokenError> {
        let pkce = Pkce::new()?;
        let state = random_text()?;
        let url = authorization_url(
            &self.client,
            &self.scopes,
            &self.redirect_uri,
            &state,
            &pkce,
        );
        Ok(WebConsent { url, state, pkce })
    }

    /// Handles the redirect: `query` is its query string (after `?`),
    /// `state` and `verifier` what [`start`](Self::start) gave. Checks the
    /// state, and exchanges the code for the user's tokens.
    pub async fn finish(
        &self,
        query: &str,
        state: &str,
        verifier: &str,
    ) -> Result<RefreshTokenProvider, TokenError> {
        let pkce = Pkce::from_verifier(verifier)?;
        let code = callback_code(query, state)?;
        exchange(&self.client, &code, &self.redirect_uri, &pkce).await
    }
}

impl fmt::Debug for WebFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebFlow")
            .field("client", &self.client)
            .field("scopes", &self.scopes)
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

/// One user's consent under way in the web flow.
#[derive(Clone)]
pub struct WebConsent {
    url: String,
    state: String,
    pkce: Pkce,
}

impl WebConsent {
    /// Where to send the user's browser.
    pub fn authorization_url(&self) -> &str {
        &self.url
    }

    /// The `state` the redirect must carry back.
    pub fn state(&self) -> &str {
        &self.state
    }

    /// The PKCE verifier, to keep (server-side) until the exchange.
    pub fn verifier(&self) -> &str {
        self.pkce.verifier()
    }
}

impl fmt::Debug for WebConsent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebConsent")
            .field("authorization_url", &self.url)
            .field("pkce", &self.pkce)
            .finish_non_exhaustive()
    }
}

/// The URL of the consent screen.
fn authorization_url(
    client: &OAuthClient,
    scopes: &[String],
    redirect_uri: &str,
    state: &str,
    pkce: &Pkce,
) -> String {
    let scope = scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let mut url = client.authorization_endpoint().to_owned();
    let pairs = [
        ("response_type", "code"),
        ("client_id", client.client_id()),
        ("redirect_uri", redirect_uri),
        ("scope", &scope),
        ("state", state),
        ("code_challenge", pkce.challenge()),
        ("code_challenge_method", "S256"),
        ("access_type", "offline"),
        ("prompt", "consent"),
    ];
    for (i, (name, value)) in pairs.iter().enumerate() {
        url.push(if i == 0 && !url.contains('?') {
            '?'
        } else {
            '&'
        });
        encode_segment(&mut url, name);
        url.push('=');
        encode_segment(&mut url, value);
    }
    url
}

/// Trades `code` for tokens; the answer must hold a refresh token.
async fn exchange(
    client: &OAuthClient,
    code: &str,
    redirect_uri: &str,
    pkce: &Pkce,
) -> Result<RefreshTokenProvider, TokenError> {
    let http = http_client()?;
    let mut pairs = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", pkce.verifier()),
    ];
    pairs.extend(client.credentials());
    let answer = post_form(&http, client.token_endpoint(), &pairs).await?;
    let refresh_token = answer.refresh_token.ok_or_else(|| {
        TokenError::new(
            "the OAuth token endpoint gave no refresh token (was the consent asked with \
             access_type=offline and prompt=consent?)",
        )
    })?;
    let granted = answer
        .scope
        .map(|s| s.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    let provider = RefreshTokenProvider::new(client.clone(), refresh_token)?.with_granted(granted);
    provider.seed(AccessToken::new(answer.access_token)?, answer.expires_in);
    Ok(provider)
}

/// The code of a redirect's query, once its `state` is checked; an error
/// the authorization server sent (`access_denied`) as an error.
fn callback_code(query: &str, expected_state: &str) -> Result<String, TokenError> {
    let pairs = query_pairs(query);
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    // Checked first: a redirect that is not ours says nothing to trust.
    if !get("state").is_some_and(|state| same(state, expected_state)) {
        return Err(TokenError::new(
            "the sign-in redirect's state does not match the one sent: it answers another \
             sign-in, or was forged",
        ));
    }
    if let Some(error) = get("error") {
        let error = if is_error_code(error) {
            error
        } else {
            "unknown"
        };
        return Err(TokenError::new(format!(
            "the user's consent was not given ({error})"
        )));
    }
    match get("code") {
        Some(code) if !code.is_empty() => Ok(code.to_owned()),
        _ => Err(TokenError::new("the sign-in redirect has no code")),
    }
}

/// Equality that takes as long for every mismatch, so a forger cannot
/// learn the state a byte at a time.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Answers one connection to the loopback listener. `None` for a request
/// that is not a redirect (a favicon, a preconnect that sends nothing):
/// the flow goes on waiting.
async fn serve(mut stream: TcpStream, expected_state: &str) -> Option<Result<String, TokenError>> {
    let head = tokio::time::timeout(REQUEST_TIMEOUT, read_head(&mut stream))
        .await
        .ok()??;
    let line = head.lines().next()?;
    let mut words = line.split(' ');
    let (method, target) = (words.next()?, words.next()?);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let is_redirect = method == "GET"
        && path == "/"
        && query_pairs(query)
            .iter()
            .any(|(n, _)| matches!(n.as_str(), "code" | "error" | "state"));
    if !is_redirect {
        respond(&mut stream, "404 Not Found", "Not found.").await;
        return None;
    }
    let outcome = callback_code(query, expected_state);
    let (status, text) = match &outcome {
        Ok(_) => (
            "200 OK",
            "Signed in. You can close this window and return to the application.",
        ),
        Err(_) => (
            "400 Bad Request",
            "Sign-in did not complete. Return to the application for details.",
        ),
    };
    respond(&mut stream, status, text).await;
    Some(outcome)
}

/// Reads a request's head (up to the blank line), or `None` if it is cut
/// short, too long or not text.
async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 || head.len() + read > MAX_REQUEST_BYTES {
            return None;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    String::from_utf8(head).ok()
}

/// A small page for the browser.
async fn respond(stream: &mut TcpStream, status: &str, text: &str) {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign-in</title></head>\
         <body><p>{text}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\n\
         content-length: {}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    // The browser may be gone; the outcome stands either way.
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// The pairs of a query string, decoded (`+` as a space).
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// 256 random bits as base64url text (43 characters).
fn random_text() -> Result<String, TokenError> {
    let mut bytes = [0u8; RANDOM_BYTES];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .map_err(|_| TokenError::new("the system's random number generator failed"))?;
    Ok(base64url(&bytes))
}

/// Base64url without padding (RFC 4648 section 5), as PKCE and states
/// use it: the runtime's own base64, in the URL-safe alphabet.
fn base64url(bytes: &[u8]) -> String {
    super::bytes::encode(bytes)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc_4648() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"foob"), "Zm9vYg");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn percent_decoding_keeps_what_is_not_an_escape() {
        assert_eq!(percent_decode("a%2Fb+c"), "a/b c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
