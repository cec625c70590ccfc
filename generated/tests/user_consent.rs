//! A user's consent (feature `user-consent`) against a fake token endpoint
//! on 127.0.0.1: the installed flow end to end (the test plays the
//! browser), the web flow's exchange, PKCE, refresh-token providers, token
//! stores, and what never shows.

mod signin;

use google_dataportability_v1::{
    FileTokenStore, InstalledFlow, MemoryTokenStore, OAuthClient, Pkce, RefreshTokenProvider,
    Scope, StoredToken, TokenProvider, TokenStore, WebFlow,
};
use serde_json::json;
use signin::{
    CLIENT_ID, CLIENT_SECRET, CODE, FakeGoogle, ISSUED_REFRESH, REFRESH, TempDir,
    assert_error_shows_no_secret, assert_no_secret, form_pairs,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const SCOPES: [&str; 2] = [
    Scope::MyactivitySearch.as_str(),
    Scope::ChromeHistory.as_str(),
];
const AUTH_URI: &str = "https://accounts.example.test/o/oauth2/v2/auth";
const SCOPE_TEXT: &str = "https://www.googleapis.com/auth/dataportability.myactivity.search \
                          https://www.googleapis.com/auth/dataportability.chrome.history";

fn client(fake: &FakeGoogle) -> OAuthClient {
    OAuthClient::new(CLIENT_ID, CLIENT_SECRET)
        .auth_uri(AUTH_URI)
        .token_uri(fake.token_url())
}

/// The query of an authorization URL, once its endpoint is checked.
fn authorization_query(url: &str) -> Vec<(String, String)> {
    let (endpoint, query) = url.split_once('?').expect("the URL has a query");
    assert_eq!(endpoint, AUTH_URI);
    form_pairs(query)
}

fn get<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {pairs:?}"))
}

/// The browser: GETs `url` and returns the status and the page.
async fn browse(url: &str) -> (u16, String) {
    let response = reqwest::get(url).await.expect("the listener answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[test]
fn pkce_matches_rfc_7636_appendix_b() {
    let pkce = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
    assert_eq!(
        pkce.challenge(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    assert_eq!(
        pkce.verifier(),
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    );

    // New verifiers: 43 characters of the allowed set, each different, each
    // with its own challenge.
    let (a, b) = (Pkce::new().unwrap(), Pkce::new().unwrap());
    assert_ne!(a.verifier(), b.verifier());
    for pkce in [&a, &b] {
        assert_eq!(pkce.verifier().len(), 43);
        assert!(
            pkce.verifier()
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'),
            "{}",
            pkce.verifier()
        );
        let again = Pkce::from_verifier(pkce.verifier()).unwrap();
        assert_eq!(again.challenge(), pkce.challenge());
        assert_eq!(pkce.challenge().len(), 43);
    }
    // RFC 7636: 43 to 128 unreserved characters.
    for bad in ["short", &"a".repeat(129), &format!("{}+", "a".repeat(43))] {
        assert!(Pkce::from_verifier(bad).is_err(), "{bad}");
    }
    assert!(Pkce::from_verifier("a".repeat(128)).is_ok());
    assert_no_secret(
        "Pkce's Debug",
        &format!(
            "{:?}",
            Pkce::from_verifier(format!("{}SECRET", "a".repeat(40))).unwrap()
        ),
    );
}

#[tokio::test]
async fn the_installed_flow_runs_end_to_end_through_the_loopback_redirect() {
    let fake = FakeGoogle::start().await;
    let flow = InstalledFlow::new(client(&fake), SCOPES).unwrap();
    let pending = flow.start().await.unwrap();
    let redirect_uri = pending.redirect_uri().to_owned();
    assert!(
        redirect_uri.starts_with("http://127.0.0.1:"),
        "{redirect_uri}"
    );
    assert!(redirect_uri.ends_with('/'), "{redirect_uri}");

    let query = authorization_query(pending.authorization_url());
    assert_eq!(get(&query, "response_type"), "code");
    assert_eq!(get(&query, "client_id"), CLIENT_ID);
    assert_eq!(get(&query, "redirect_uri"), redirect_uri);
    assert_eq!(get(&query, "scope"), SCOPE_TEXT);
    assert_eq!(get(&query, "code_challenge_method"), "S256");
    assert_eq!(get(&query, "access_type"), "offline");
    assert_eq!(get(&query, "prompt"), "consent");
    let state = get(&query, "state").to_owned();
    let challenge = get(&query, "code_challenge").to_owned();
    assert_eq!(state.len(), 43);
    assert!(
        query.iter().all(|(name, _)| name != "client_secret"),
        "the secret never goes to the browser"
    );

    let browser = tokio::spawn(async move {
        // A favicon request first, as browsers send: ignored.
        let (status, _) = browse(&format!("{redirect_uri}favicon.ico")).await;
        assert_eq!(status, 404);
        browse(&format!(
            "{redirect_uri}?state={state}&code={}&scope=ignored",
            CODE.replace('/', "%2F")
        ))
        .await
    });
    let provider = pending.finish().await.expect("signed in");
    let (status, page) = browser.await.unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("Signed in."), "{page}");

    let requests = fake.token_requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    let exchange = &requests[0];
    assert_eq!(exchange.field("grant_type"), Some("authorization_code"));
    assert_eq!(exchange.field("code"), Some(CODE));
    assert_eq!(exchange.field("client_id"), Some(CLIENT_ID));
    assert_eq!(exchange.field("client_secret"), Some(CLIENT_SECRET));
    assert_eq!(
        exchange.field("redirect_uri"),
        Some(get(&query, "redirect_uri"))
    );
    let verifier = exchange.field("code_verifier").expect("PKCE verifier sent");
    assert_eq!(
        Pkce::from_verifier(verifier).unwrap().challenge(),
        challenge
    );

    // The exchange's token is used first, with no refresh.
    assert_eq!(
        provider.token(&SCOPES).await.unwrap().secret(),
        FakeGoogle::token(1)
    );
    assert_eq!(fake.token_requests().len(), 1);
    assert_eq!(provider.refresh_token(), ISSUED_REFRESH);
    assert_eq!(
        provider.granted_scopes(),
        SCOPE_TEXT.split_whitespace().collect::<Vec<_>>()
    );
    let stored = provider.stored_token();
    assert_eq!(stored.refresh_token(), ISSUED_REFRESH);
    assert_eq!(stored.client_id(), Some(CLIENT_ID));
    assert_no_secret("the provider's Debug", &format!("{provider:?}"));
    assert_no_secret("the stored token's Debug", &format!("{stored:?}"));
}

#[tokio::test]
async fn a_redirect_with_another_state_fails_the_flow_and_nothing_is_exchanged() {
    let fake = FakeGoogle::start().await;
    let pending = InstalledFlow::new(client(&fake), SCOPES)
        .unwrap()
        .start()
        .await
        .unwrap();
    let redirect_uri = pending.redirect_uri().to_owned();
    let browser = tokio::spawn(async move {
        browse(&format!("{redirect_uri}?state=forged&code=4%2Fstolen")).await
    });
    let error = pending.finish().await.expect_err("the state is checked");
    assert!(
        error.to_string().contains("state does not match"),
        "{error}"
    );
    assert_eq!(browser.await.unwrap().0, 400);
    assert!(fake.token_requests().is_empty());
}

#[tokio::test]
async fn a_refused_consent_is_an_error_naming_the_reason() {
    let fake = FakeGoogle::start().await;
    let pending = InstalledFlow::new(client(&fake), SCOPES)
        .unwrap()
        .start()
        .await
        .unwrap();
    let state = get(&authorization_query(pending.authorization_url()), "state").to_owned();
    let redirect_uri = pending.redirect_uri().to_owned();
    let browser = tokio::spawn(async move {
        browse(&format!("{redirect_uri}?error=access_denied&state={state}")).await
    });
    let error = pending.finish().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "the user's consent was not given (access_denied)"
    );
    assert_eq!(browser.await.unwrap().0, 400);
    assert!(fake.token_requests().is_empty());
}

#[tokio::test]
async fn a_user_who_never_comes_back_ends_the_wait() {
    let fake = FakeGoogle::start().await;
    let pending = InstalledFlow::new(client(&fake), SCOPES)
        .unwrap()
        .timeout(Duration::from_millis(100))
        .start()
        .await
        .unwrap();
    let error = pending.finish().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "the user did not finish signing in within 100ms"
    );
}

#[tokio::test]
async fn sign_in_asks_once_then_uses_the_stored_refresh_token() {
    let fake = FakeGoogle::start().await;
    let dir = TempDir::new("sign-in");
    let store = FileTokenStore::new(dir.path().join("tokens/user.json"));
    let flow = InstalledFlow::new(client(&fake), SCOPES).unwrap();

    let browser = Arc::new(std::sync::Mutex::new(None));
    let opened = browser.clone();
    let provider = flow
        .sign_in(&store, move |url| {
            // The application shows the URL; here the "user" consents at once.
            let query = form_pairs(url.split_once('?').unwrap().1);
            let target = format!(
                "{}?code=4%2Fabc&state={}",
                get(&query, "redirect_uri"),
                get(&query, "state")
            );
            *opened.lock().unwrap() = Some(tokio::spawn(async move { browse(&target).await }));
        })
        .await
        .expect("signed in");
    let visit = browser.lock().unwrap().take().expect("the URL was given");
    assert_eq!(visit.await.unwrap().0, 200);
    assert_eq!(provider.refresh_token(), ISSUED_REFRESH);
    let stored = store.load().await.unwrap().expect("saved");
    assert_eq!(stored, provider.stored_token());

    // Next run: from the store, no browser, and the refresh token is used.
    let asked = AtomicBool::new(false);
    let again = flow
        .sign_in(&store, |_| asked.store(true, Ordering::SeqCst))
        .await
        .unwrap();
    assert!(!asked.load(Ordering::SeqCst), "no consent asked");
    assert_eq!(
        again.token(&SCOPES).await.unwrap().secret(),
        FakeGoogle::token(2)
    );
    let requests = fake.token_requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].field("grant_type"), Some("refresh_token"));
    assert_eq!(requests[1].field("refresh_token"), Some(ISSUED_REFRESH));
}

#[tokio::test]
async fn the_web_flow_builds_the_url_and_exchanges_the_code_at_the_app_s_redirect() {
    let fake = FakeGoogle::start().await;
    let redirect = "https://app.example.test/oauth/callback";
    let flow = WebFlow::new(client(&fake), SCOPES, redirect).unwrap();
    let consent = flow.start().unwrap();
    let query = authorization_query(consent.authorization_url());
    assert_eq!(get(&query, "redirect_uri"), redirect);
    assert_eq!(get(&query, "access_type"), "offline");
    assert_eq!(get(&query, "prompt"), "consent");
    assert_eq!(get(&query, "state"), consent.state());
    assert_eq!(
        get(&query, "code_challenge"),
        Pkce::from_verifier(consent.verifier()).unwrap().challenge()
    );
    assert_ne!(
        flow.start().unwrap().state(),
        consent.state(),
        "fresh each time"
    );

    // A forged redirect is refused before any exchange.
    let forged = flow
        .finish(
            "code=4%2Fstolen&state=forged",
            consent.state(),
            consent.verifier(),
        )
        .await
        .unwrap_err();
    assert!(
        forged.to_string().contains("state does not match"),
        "{forged}"
    );
    assert!(fake.token_requests().is_empty());

    let callback = format!(
        "state={}&code={}",
        consent.state(),
        CODE.replace('/', "%2F")
    );
    let provider = flow
        .finish(&callback, consent.state(), consent.verifier())
        .await
        .expect("exchanged");
    let requests = fake.token_requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].field("code"), Some(CODE));
    assert_eq!(requests[0].field("redirect_uri"), Some(redirect));
    assert_eq!(requests[0].field("code_verifier"), Some(consent.verifier()));
    assert_eq!(provider.refresh_token(), ISSUED_REFRESH);
    assert_no_secret("the web consent's Debug", &format!("{consent:?}"));
    assert_no_secret("the web flow's Debug", &format!("{flow:?}"));

    // No refresh token in the answer: nothing to keep, so an error.
    fake.withhold_refresh_token();
    let consent = flow.start().unwrap();
    let callback = format!("state={}&code=4%2Fnext", consent.state());
    let error = flow
        .finish(&callback, consent.state(), consent.verifier())
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("gave no refresh token"),
        "{error}"
    );
    assert_error_shows_no_secret("a missing refresh token", &error);
}

#[tokio::test]
async fn a_stored_refresh_token_refreshes_caches_and_refetches_after_invalidate() {
    let fake = FakeGoogle::start().await;
    let provider = StoredToken::new(REFRESH)
        .provider(client(&fake))
        .unwrap()
        .with_quota_project("billing-project");
    let first = provider.token(&SCOPES).await.unwrap();
    assert_eq!(first.secret(), FakeGoogle::token(1));
    assert_eq!(first.quota_project(), Some("billing-project"));
    assert_eq!(provider.token(&SCOPES).await.unwrap(), first, "cached");
    // A clone billing no project shares the token, not the project.
    let unbilled = provider.clone().with_quota_project("");
    let shared = unbilled.token(&SCOPES).await.unwrap();
    assert_eq!(
        (shared.secret(), shared.quota_project()),
        (first.secret(), None)
    );

    let requests = fake.token_requests();
    assert_eq!(requests.len(), 1);
    let mut fields: Vec<(&str, &str)> = requests[0]
        .form
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("grant_type", "refresh_token"),
            ("refresh_token", REFRESH),
        ]
    );

    // Clones share the cache; a refused token is forgotten by all.
    let clone = provider.clone();
    clone.invalidate(&first);
    assert_eq!(
        provider.token(&SCOPES).await.unwrap().secret(),
        FakeGoogle::token(2)
    );
    assert_eq!(fake.token_requests().len(), 2);

    // A revoked refresh token: the error says what to do, and no secret.
    fake.fail_with(
        400,
        json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}),
    );
    provider.invalidate(&provider.token(&SCOPES).await.unwrap());
    let error = provider.token(&SCOPES).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "the OAuth token endpoint {} refused the request: HTTP 400, invalid_grant (the \
             refresh token was revoked or has expired, or the code was used or is stale: the \
             user must sign in again)",
            fake.token_url()
        )
    );
    assert_error_shows_no_secret("a refused refresh", &error);

    // A token of another client is refused before any request.
    let other = StoredToken::new(REFRESH).with_client_id("someone-else");
    let error = other.provider(client(&fake)).unwrap_err();
    assert!(error.to_string().contains("someone-else"), "{error}");
    assert!(RefreshTokenProvider::new(client(&fake), " ").is_err());
}

#[tokio::test]
async fn the_file_store_round_trips_atomically_with_owner_only_permissions() {
    let dir = TempDir::new("store");
    let path = dir.path().join("nested/folder/token.json");
    let store = FileTokenStore::new(&path);
    assert_eq!(store.load().await.unwrap(), None, "nothing stored yet");

    let token = StoredToken::new(REFRESH)
        .with_scopes(SCOPE_TEXT.split_whitespace())
        .with_client_id(CLIENT_ID);
    store.save(&token).await.unwrap();
    assert_eq!(store.load().await.unwrap(), Some(token.clone()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        let folder = std::fs::metadata(path.parent().unwrap()).unwrap();
        assert_eq!(folder.permissions().mode() & 0o777, 0o700);
    }

    // Replaced whole, and nothing left beside it.
    let newer = StoredToken::new("1//NEWER-SECRET");
    store.save(&newer).await.unwrap();
    assert_eq!(store.load().await.unwrap(), Some(newer));
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["token.json"]);
    let on_disk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_disk, json!({"refresh_token": "1//NEWER-SECRET"}));

    store.clear().await.unwrap();
    assert_eq!(store.load().await.unwrap(), None);
    store.clear().await.expect("clearing twice is fine");

    // A broken file: an error naming it, quoting nothing.
    std::fs::write(&path, format!("{{\"refresh_token\": \"{REFRESH}\",")).unwrap();
    let error = store.load().await.unwrap_err();
    assert!(
        error.to_string().contains("is not a stored token"),
        "{error}"
    );
    assert_error_shows_no_secret("a broken token file", &error);
    assert_no_secret("the file store's Debug", &format!("{store:?}"));

    // The memory store: the same contract.
    let memory = MemoryTokenStore::new();
    assert_eq!(memory.load().await.unwrap(), None);
    memory.save(&token).await.unwrap();
    assert_eq!(memory.clone().load().await.unwrap(), Some(token));
    assert_no_secret("the memory store's Debug", &format!("{memory:?}"));
    memory.clear().await.unwrap();
    assert_eq!(memory.load().await.unwrap(), None);
}

#[test]
fn client_secrets_files_are_read_and_never_shown() {
    let file = json!({"installed": {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "auth_uri": AUTH_URI,
        "token_uri": "https://token.example.test/token",
        "redirect_uris": ["http://localhost"],
    }});
    let client = OAuthClient::from_client_secrets_json(file.to_string().as_bytes()).unwrap();
    assert_eq!(client.client_id(), CLIENT_ID);
    let shown = format!("{client:?}");
    assert_no_secret("the client's Debug", &shown);
    assert!(
        shown.contains("https://token.example.test/token"),
        "{shown}"
    );

    let web = json!({"web": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}});
    assert!(OAuthClient::from_client_secrets_json(web.to_string().as_bytes()).is_ok());
    for bad in [
        json!({"other": {}}).to_string(),
        json!({"installed": {"client_secret": CLIENT_SECRET}}).to_string(),
        format!("{{\"installed\": {{\"client_secret\": \"{CLIENT_SECRET}\""),
    ] {
        let error = OAuthClient::from_client_secrets_json(bad.as_bytes()).unwrap_err();
        assert_error_shows_no_secret("a client file error", &error);
    }
}

#[tokio::test]
async fn no_flow_shows_a_secret() {
    let fake = FakeGoogle::start().await;
    let flow = InstalledFlow::new(client(&fake), SCOPES).unwrap();
    assert_no_secret("the installed flow's Debug", &format!("{flow:?}"));
    let pending = flow.start().await.unwrap();
    assert_no_secret("the pending consent's Debug", &format!("{pending:?}"));
    assert_no_secret("the authorization URL", pending.authorization_url());

    // An exchange refused with free text that echoes the code: not shown.
    fake.fail_with(
        400,
        json!({"error": "invalid_grant", "error_description": format!("bad code {CODE}")}),
    );
    let web = WebFlow::new(client(&fake), SCOPES, "https://app.example.test/cb").unwrap();
    let consent = web.start().unwrap();
    let callback = format!(
        "state={}&code={}",
        consent.state(),
        CODE.replace('/', "%2F")
    );
    let error = web
        .finish(&callback, consent.state(), consent.verifier())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("invalid_grant"), "{error}");
    assert_error_shows_no_secret("a refused exchange", &error);
}
