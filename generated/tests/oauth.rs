//! `YupTokenProvider` (feature `yup-oauth2`, turned on for the crate's tests
//! by its dev-dependency on itself) against a local OAuth token endpoint and
//! the fake Data Portability server: what it asks for, what it sends, what
//! it caches, and what it never shows.
//!
//! Nothing here leaves 127.0.0.1: the service-account key under
//! `tests/fixtures/` is a throwaway made for these tests, and its
//! `token_uri` is pointed at the local endpoint before use.

mod fake;

use fake::{Access, FakeServer};
use google_dataportability_v1::yup_oauth2::{
    self, CustomHyperClientBuilder, ServiceAccountAuthenticator, ServiceAccountKey,
};
use google_dataportability_v1::{Client, Error, Scope, TokenProvider, YupTokenProvider};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{Value, json};
use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The token the local endpoint mints. Distinctive, so a leak into any
/// output is easy to spot.
const MINTED: &str = "ya29.MINTED-SECRET-token-5d1e08";

/// The test-only service-account key (its `token_uri` is replaced).
const KEY_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/test-only-service-account-key.json"
);

/// The grant type of a service account's signed JWT (RFC 7523).
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// One token request as the local endpoint received it.
#[derive(Clone, Debug)]
struct Grant {
    method: String,
    path: String,
    content_type: Option<String>,
    /// The form fields, decoded.
    form: Vec<(String, String)>,
}

impl Grant {
    fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The claims of the signed JWT in `assertion`.
    fn claims(&self) -> Value {
        let assertion = self.field("assertion").expect("the grant has an assertion");
        let parts: Vec<&str> = assertion.split('.').collect();
        assert_eq!(parts.len(), 3, "a JWT is header.claims.signature");
        let header: Value = serde_json::from_slice(&base64url(parts[0])).unwrap();
        assert_eq!(header["alg"], "RS256");
        serde_json::from_slice(&base64url(parts[1])).expect("the claims are JSON")
    }
}

/// A local OAuth token endpoint: records every request and answers with
/// [`MINTED`], or with the error set by [`TokenEndpoint::fail_with`].
struct TokenEndpoint {
    url: String,
    grants: Arc<Mutex<Vec<Grant>>>,
    error: Arc<Mutex<Option<(u16, Value)>>>,
    accept_loop: JoinHandle<()>,
}

impl Drop for TokenEndpoint {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

impl TokenEndpoint {
    async fn start() -> TokenEndpoint {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let url = format!("http://{}/token", listener.local_addr().unwrap());
        let grants = Arc::new(Mutex::new(Vec::new()));
        let error = Arc::new(Mutex::new(None));
        let (g, e) = (grants.clone(), error.clone());
        let accept_loop = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (g, e) = (g.clone(), e.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |request| answer(request, g.clone(), e.clone()));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        TokenEndpoint {
            url,
            grants,
            error,
            accept_loop,
        }
    }

    /// Answers every later request with `status` and the OAuth error `body`.
    fn fail_with(&self, status: u16, body: Value) {
        *self.error.lock().unwrap_or_else(PoisonError::into_inner) = Some((status, body));
    }

    fn grants(&self) -> Vec<Grant> {
        self.grants
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The test key, with `token_uri` pointing here.
    fn key(&self) -> ServiceAccountKey {
        let mut key =
            yup_oauth2::parse_service_account_key(std::fs::read(KEY_FILE).unwrap()).unwrap();
        key.token_uri = self.url.clone();
        key
    }

    /// A provider for `scopes` with the test key, over plain HTTP: the
    /// endpoint is local, so the tests need no root certificates.
    async fn provider(&self, scopes: &[Scope]) -> YupTokenProvider {
        let http = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .build::<_, String>(HttpConnector::new());
        let authenticator = ServiceAccountAuthenticator::with_client(
            self.key(),
            CustomHyperClientBuilder::from(http),
        )
        .build()
        .await
        .expect("the test key is a valid RSA key");
        YupTokenProvider::new(authenticator, scopes.iter().copied()).expect("scopes were chosen")
    }
}

async fn answer(
    request: Request<Incoming>,
    grants: Arc<Mutex<Vec<Grant>>>,
    error: Arc<Mutex<Option<(u16, Value)>>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (head, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    grants
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Grant {
            method: head.method.to_string(),
            path: head.uri.path().to_owned(),
            content_type: head
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            form: form_pairs(&String::from_utf8_lossy(&body)),
        });
    let failure = error.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let (status, body) = failure.unwrap_or_else(|| {
        (
            200,
            json!({"access_token": MINTED, "expires_in": 3600, "token_type": "Bearer"}),
        )
    });
    Ok(Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap())
}

/// `application/x-www-form-urlencoded` pairs, decoded.
fn form_pairs(body: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        let bytes = text.replace('+', " ").into_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).expect("valid percent-encoding"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("UTF-8 form field")
    };
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// Base64url, with or without `=` padding (yup-oauth2 pads).
fn base64url(text: &str) -> Vec<u8> {
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

fn client_for(server: &FakeServer, provider: YupTokenProvider) -> Client {
    Client::builder()
        .endpoint(server.endpoint())
        .token_provider(provider)
        .build()
        .expect("the client builds")
}

/// A line of the test key's private key, to look for in output that must
/// not contain it.
fn key_material() -> String {
    let key: Value = serde_json::from_slice(&std::fs::read(KEY_FILE).unwrap()).unwrap();
    key["private_key"]
        .as_str()
        .unwrap()
        .lines()
        .nth(5)
        .unwrap()
        .to_owned()
}

/// Fails if `text` shows the minted token or any part of the key.
fn assert_no_secret(what: &str, text: &str) {
    assert!(
        !text.contains(MINTED),
        "the token leaked into {what}: {text}"
    );
    assert!(
        !text.contains("SECRET"),
        "part of the token leaked into {what}: {text}"
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

#[tokio::test]
async fn a_call_carries_the_minted_token_and_the_next_call_reuses_it() {
    let endpoint = TokenEndpoint::start().await;
    let server = FakeServer::start().await;
    server.add_token(MINTED, Access::OneTime, &["myactivity.search"]);
    let provider = endpoint.provider(&[Scope::MyactivitySearch]).await;
    let client = client_for(&server, provider.clone());

    client
        .access_type()
        .check()
        .await
        .expect("the first call succeeds");
    client
        .access_type()
        .check()
        .await
        .expect("the second call succeeds");

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    let bearer = format!("Bearer {MINTED}");
    for request in &requests {
        assert_eq!(request.header("authorization"), Some(bearer.as_str()));
    }

    let grants = endpoint.grants();
    assert_eq!(grants.len(), 1, "the token is cached: {grants:#?}");
    let grant = &grants[0];
    assert_eq!(
        (grant.method.as_str(), grant.path.as_str()),
        ("POST", "/token")
    );
    assert_eq!(
        grant.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(grant.field("grant_type"), Some(JWT_BEARER));
    let claims = grant.claims();
    let key = endpoint.key();
    assert_eq!(
        claims["scope"],
        "https://www.googleapis.com/auth/dataportability.myactivity.search"
    );
    assert_eq!(claims["aud"], endpoint.url.as_str());
    assert_eq!(claims["iss"], key.client_email.as_str());
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert!(exp > iat && exp - iat <= 3600, "at most an hour: {claims}");

    assert_no_secret("the provider's Debug", &format!("{provider:?}"));
    assert_no_secret("the client's Debug", &format!("{client:?}"));
    assert_eq!(
        format!("{provider:?}"),
        "YupTokenProvider { scopes: [\"https://www.googleapis.com/auth/dataportability.myactivity.search\"], .. }"
    );
}

#[tokio::test]
async fn the_token_is_asked_for_exactly_the_chosen_scopes_in_their_order() {
    let endpoint = TokenEndpoint::start().await;
    // Repeats are dropped; the order is the caller's.
    let provider = endpoint
        .provider(&[
            Scope::MyactivitySearch,
            Scope::ChromeHistory,
            Scope::MyactivitySearch,
        ])
        .await;
    assert_eq!(
        provider.scopes(),
        [
            Scope::MyactivitySearch.as_str(),
            Scope::ChromeHistory.as_str()
        ]
    );

    // A method accepting only one of them still gets the token for both:
    // one cached token serves every call.
    let token = provider
        .token(&[Scope::ChromeHistory.as_str()])
        .await
        .unwrap();
    assert_eq!(token.secret(), MINTED);
    provider.token(Scope::URLS).await.unwrap();

    let grants = endpoint.grants();
    assert_eq!(grants.len(), 1, "{grants:#?}");
    assert_eq!(
        grants[0].claims()["scope"],
        "https://www.googleapis.com/auth/dataportability.myactivity.search \
         https://www.googleapis.com/auth/dataportability.chrome.history"
    );
}

#[tokio::test]
async fn a_method_that_accepts_none_of_the_chosen_scopes_fails_before_asking() {
    // Every Data Portability method accepts all 66 scopes, so the provider
    // is asked directly, as the client asks it, with a narrower list.
    let endpoint = TokenEndpoint::start().await;
    let provider = endpoint.provider(&[Scope::MyactivitySearch]).await;

    let error = provider
        .token(&[Scope::ChromeHistory.as_str()])
        .await
        .expect_err("the method accepts no chosen scope");
    assert_eq!(
        error.to_string(),
        "none of the chosen scopes \
         (https://www.googleapis.com/auth/dataportability.myactivity.search) \
         authorizes this method, which accepts \
         https://www.googleapis.com/auth/dataportability.chrome.history"
    );

    // A long list is named briefly.
    let many = &Scope::URLS[..10];
    assert!(!many.contains(&Scope::MyactivitySearch.as_str()));
    let message = provider.token(many).await.unwrap_err().to_string();
    assert!(
        message.ends_with(&format!(
            "which accepts any of {}, {}, {} and 7 more",
            many[0], many[1], many[2]
        )),
        "{message}"
    );

    assert!(endpoint.grants().is_empty(), "no token was asked for");
}

#[tokio::test]
async fn no_chosen_scope_is_an_error() {
    let endpoint = TokenEndpoint::start().await;
    let error =
        YupTokenProvider::from_service_account_key(endpoint.key(), [Scope::ChromeHistory; 0])
            .await
            .expect_err("no scopes");
    assert!(
        error.to_string().contains("no OAuth scopes were chosen"),
        "{error}"
    );
    assert!(endpoint.grants().is_empty());
}

#[tokio::test]
async fn a_refused_grant_is_an_auth_error_that_shows_no_secret() {
    let endpoint = TokenEndpoint::start().await;
    endpoint.fail_with(
        400,
        json!({"error": "invalid_grant", "error_description": "Invalid JWT Signature."}),
    );
    let server = FakeServer::start().await;
    let provider = endpoint.provider(&[Scope::MyactivitySearch]).await;
    let client = client_for(&server, provider);

    let error = client
        .access_type()
        .check()
        .await
        .expect_err("no token, no call");
    let Error::Auth(ref auth) = error else {
        panic!("expected Error::Auth, got {error:?}");
    };
    assert_eq!(
        auth.to_string(),
        "the OAuth token endpoint refused the request (invalid_grant)"
    );
    // The details stay reachable for diagnosis.
    let source = std::error::Error::source(auth).expect("yup-oauth2's error is the source");
    assert!(
        source.to_string().contains("Invalid JWT Signature."),
        "{source}"
    );

    let grants = endpoint.grants();
    assert!(!grants.is_empty());
    let assertion = grants[0].field("assertion").unwrap().to_owned();
    for (what, text) in [
        ("Display", error.to_string()),
        ("Debug", format!("{error:?}")),
    ] {
        assert_no_secret(what, &text);
        assert!(
            !text.contains(&assertion),
            "the signed JWT leaked into {what}"
        );
    }
    assert!(server.requests().is_empty(), "nothing reached the API");
}

#[tokio::test]
async fn a_key_file_gives_a_provider_and_an_unreadable_one_a_clear_error() {
    let endpoint = TokenEndpoint::start().await;
    let dir = std::env::temp_dir().join(format!("oauth-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("key.json");
    std::fs::write(&path, serde_json::to_vec(&endpoint.key()).unwrap()).unwrap();

    // yup-oauth2's default client, which speaks plain HTTP to this local
    // endpoint but loads the system's root certificates when it is built:
    // like any use of these constructors, this needs them installed.
    let provider = YupTokenProvider::from_service_account_key_file(&path, [Scope::ChromeHistory])
        .await
        .expect("the key file is read");
    let token = provider
        .token(&[Scope::ChromeHistory.as_str()])
        .await
        .unwrap();
    assert_eq!(token.secret(), MINTED);
    assert_eq!(endpoint.grants().len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();

    let error = YupTokenProvider::from_service_account_key_file(&path, [Scope::ChromeHistory])
        .await
        .expect_err("the file is gone");
    assert!(
        error
            .to_string()
            .starts_with("could not read the service-account key file "),
        "{error}"
    );
}

#[tokio::test]
async fn a_key_that_is_not_a_private_key_is_refused_without_showing_it() {
    let endpoint = TokenEndpoint::start().await;
    let mut key = endpoint.key();
    key.private_key =
        "-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5LVNFQ1JFVA==\n-----END PRIVATE KEY-----\n".into();
    let error = YupTokenProvider::from_service_account_key(key, [Scope::ChromeHistory])
        .await
        .expect_err("not a key");
    assert_eq!(
        error.to_string(),
        "could not set up the service-account authenticator \
         (its private key, or the system's root certificates)"
    );
    let debug = format!("{error:?}");
    assert!(!debug.contains("bm90LWEta2V5LVNFQ1JFVA"), "{debug}");
    assert!(endpoint.grants().is_empty());
}
