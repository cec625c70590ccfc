//! Fakes of Google's sign-in servers for the `adc` and `user-consent`
//! tests: an OAuth token endpoint and a metadata server, real HTTP/1.1
//! (hyper) on a loopback port, recording every request; temporary folders;
//! and the check that no secret shows in output.
//!
//! Every secret the tests use contains `SECRET`, so one search finds a
//! leak of any of them. Include it from a test file with `mod signin;`.

#![allow(dead_code)]

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
#[path = "../percent/mod.rs"]
mod percent;

use percent::percent_decode;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The prefix of every access token the fake mints: the n-th token (the
/// first is number 1) is this followed by `n`, so a test can tell a new
/// token from a cached one.
pub const MINTED: &str = "ya29.MINTED-SECRET-";
/// A refresh token.
pub const REFRESH: &str = "1//REFRESH-SECRET-91c2d";
/// A refresh token the fake hands out in a code exchange.
pub const ISSUED_REFRESH: &str = "1//ISSUED-SECRET-refresh-55e1";
/// An OAuth client secret.
pub const CLIENT_SECRET: &str = "GOCSPX-CLIENT-SECRET-4b7e";
/// An OAuth client id (not a secret).
pub const CLIENT_ID: &str = "1234-test.apps.googleusercontent.com";
/// An authorization code.
pub const CODE: &str = "4/CODE-SECRET-0a9f";

/// The test-only service-account key (its `token_uri` is replaced).
pub const KEY_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/test-only-service-account-key.json"
);

/// One request as the fake received it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// The form fields of the body, decoded.
    pub form: Vec<(String, String)>,
}

impl Seen {
    pub fn field(&self, name: &str) -> Option<&str> {
        find(&self.form, name)
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        find(&self.query, name)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        find(&self.headers, name)
    }

    /// The claims of the signed JWT in `assertion` (a service account's
    /// grant), once its header says RS256.
    pub fn claims(&self) -> Value {
        let assertion = self.field("assertion").expect("the grant has an assertion");
        let parts: Vec<&str> = assertion.split('.').collect();
        assert_eq!(parts.len(), 3, "a JWT is header.claims.signature");
        let header: Value = serde_json::from_slice(&base64url_decode(parts[0])).unwrap();
        assert_eq!(header["alg"], "RS256");
        serde_json::from_slice(&base64url_decode(parts[1])).expect("the claims are JSON")
    }
}

fn find<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// How the fake answers.
#[derive(Clone)]
struct Behaviour {
    /// `expires_in` of minted tokens.
    expires_in: u64,
    /// An error to answer token requests with instead.
    failure: Option<(u16, Value)>,
    /// Whether `GET /` says `Metadata-Flavor: Google`.
    metadata: bool,
    /// Whether a code exchange's answer carries a refresh token.
    issue_refresh_token: bool,
    /// How long to wait before answering a token request.
    delay: Duration,
}

/// A token endpoint (`POST /token`) and a metadata server (`GET /` and
/// `GET /computeMetadata/v1/instance/service-accounts/default/token`) on
/// one loopback port.
pub struct FakeGoogle {
    addr: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    behaviour: Arc<Mutex<Behaviour>>,
    minted: Arc<AtomicU64>,
    accept_loop: JoinHandle<()>,
}

impl Drop for FakeGoogle {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

impl FakeGoogle {
    pub async fn start() -> FakeGoogle {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let behaviour = Arc::new(Mutex::new(Behaviour {
            expires_in: 3600,
            failure: None,
            metadata: true,
            issue_refresh_token: true,
            delay: Duration::ZERO,
        }));
        let minted = Arc::new(AtomicU64::new(0));
        let (s, b, m) = (seen.clone(), behaviour.clone(), minted.clone());
        let accept_loop = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (s, b, m) = (s.clone(), b.clone(), m.clone());
                tokio::spawn(async move {
                    let service =
                        service_fn(move |request| answer(request, s.clone(), b.clone(), m.clone()));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        FakeGoogle {
            addr,
            seen,
            behaviour,
            minted,
            accept_loop,
        }
    }

    /// `http://127.0.0.1:PORT/token`.
    pub fn token_url(&self) -> String {
        format!("http://{}/token", self.addr)
    }

    /// `127.0.0.1:PORT`, as `GCE_METADATA_HOST` would say it.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The requests for tokens (not metadata pings).
    pub fn token_requests(&self) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.path != "/").collect()
    }

    /// The n-th token minted (from 1).
    pub fn token(n: u64) -> String {
        format!("{MINTED}{n}")
    }

    fn behaviour(&self) -> std::sync::MutexGuard<'_, Behaviour> {
        self.behaviour
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set_expires_in(&self, seconds: u64) {
        self.behaviour().expires_in = seconds;
    }

    /// Answers every later token request with `status` and `body`.
    pub fn fail_with(&self, status: u16, body: Value) {
        self.behaviour().failure = Some((status, body));
    }

    /// `GET /` answers without `Metadata-Flavor: Google`.
    pub fn not_a_metadata_server(&self) {
        self.behaviour().metadata = false;
    }

    pub fn withhold_refresh_token(&self) {
        self.behaviour().issue_refresh_token = false;
    }

    pub fn set_delay(&self, delay: Duration) {
        self.behaviour().delay = delay;
    }
}

async fn answer(
    request: Request<Incoming>,
    seen: Arc<Mutex<Vec<Seen>>>,
    behaviour: Arc<Mutex<Behaviour>>,
    minted: Arc<AtomicU64>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (head, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let record = Seen {
        method: head.method.to_string(),
        path: head.uri.path().to_owned(),
        query: form_pairs(head.uri.query().unwrap_or("")),
        headers: head
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect(),
        form: form_pairs(&String::from_utf8_lossy(&body)),
    };
    seen.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(record.clone());
    let behaviour = behaviour
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let json_response = |status: u16, body: Value| {
        Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .header("metadata-flavor", "Google")
            .body(Full::new(Bytes::from(body.to_string())))
            .unwrap()
    };
    let metadata_token = "/computeMetadata/v1/instance/service-accounts/default/token";
    let (method, path) = (record.method.as_str(), record.path.as_str());
    if (method, path) == ("GET", "/") {
        let mut response = Response::builder().status(200);
        if behaviour.metadata {
            response = response.header("metadata-flavor", "Google");
        }
        return Ok(response
            .body(Full::new(Bytes::from_static(b"computeMetadata/\n")))
            .unwrap());
    }
    let from_metadata = (method, path) == ("GET", metadata_token);
    if !from_metadata && (method, path) != ("POST", "/token") {
        return Ok(json_response(404, json!({"error": "not_found"})));
    }
    if from_metadata && record.header("metadata-flavor") != Some("Google") {
        return Ok(json_response(403, json!({"error": "missing_flavor"})));
    }
    tokio::time::sleep(behaviour.delay).await;
    if let Some((status, body)) = behaviour.failure {
        return Ok(json_response(status, body));
    }
    let n = minted.fetch_add(1, Ordering::SeqCst) + 1;
    let mut body = json!({
        "access_token": FakeGoogle::token(n),
        "expires_in": behaviour.expires_in,
        "token_type": "Bearer",
    });
    if record.field("grant_type") == Some("authorization_code") {
        if behaviour.issue_refresh_token {
            body["refresh_token"] = json!(ISSUED_REFRESH);
        }
        body["scope"] = json!(
            "https://www.googleapis.com/auth/dataportability.myactivity.search \
             https://www.googleapis.com/auth/dataportability.chrome.history"
        );
    }
    Ok(json_response(200, body))
}

/// `application/x-www-form-urlencoded` pairs, decoded.
pub fn form_pairs(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (form_decode(name), form_decode(value))
        })
        .collect()
}

/// A form field's name or value, decoded (`+` is a space).
fn form_decode(text: &str) -> String {
    percent_decode(text, true).expect("a form field percent-encoded as UTF-8")
}

/// Base64url, with or without `=` padding.
pub fn base64url_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text.trim_end_matches('=').bytes() {
        let value = ALPHABET
            .iter()
            .position(|&a| a == c)
            .expect("a base64url character") as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

/// A folder under the system's temporary folder, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "gdp-signin-{}-{}-{label}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `value` as JSON to `name` in the folder; returns its path.
    pub fn write_json(&self, name: &str, value: &Value) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// gcloud's `authorized_user` file, refreshing at `token_uri`.
pub fn authorized_user(token_uri: &str) -> Value {
    json!({
        "type": "authorized_user",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH,
        "token_uri": token_uri,
    })
}

/// The test-only service-account key, with `token_uri` pointing at `token_uri`.
pub fn service_account(token_uri: &str) -> Value {
    let mut key: Value = serde_json::from_slice(&std::fs::read(KEY_FILE).unwrap()).unwrap();
    key["token_uri"] = json!(token_uri);
    key
}

/// A line of the test key's private key.
pub fn key_material() -> String {
    let key: Value = serde_json::from_slice(&std::fs::read(KEY_FILE).unwrap()).unwrap();
    key["private_key"]
        .as_str()
        .unwrap()
        .lines()
        .nth(5)
        .unwrap()
        .to_owned()
}

/// Fails if `text` shows any secret of the tests.
pub fn assert_no_secret(what: &str, text: &str) {
    assert!(
        !text.contains("SECRET"),
        "a secret leaked into {what}: {text}"
    );
    assert!(
        !text.contains("PRIVATE KEY"),
        "the key leaked into {what}: {text}"
    );
    assert!(
        !text.contains(&key_material()),
        "the key leaked into {what}: {text}"
    );
}

/// Fails if `value`'s `Debug` or `Display` shows a secret.
pub fn assert_shows_no_secret(what: &str, value: &(impl std::fmt::Debug + std::fmt::Display)) {
    assert_no_secret(what, &format!("{value:?}"));
    assert_no_secret(what, &format!("{value:#?}"));
    assert_no_secret(what, &format!("{value}"));
}

/// An error's whole chain, `Display` and `Debug`.
pub fn assert_error_shows_no_secret(what: &str, error: &(dyn std::error::Error + 'static)) {
    assert_no_secret(what, &format!("{error:?}"));
    let mut next = Some(error);
    while let Some(e) = next {
        assert_no_secret(what, &e.to_string());
        next = e.source();
    }
}

/// A loopback port where nothing listens (bound, then let go).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
