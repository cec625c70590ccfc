//! Application Default Credentials (feature `adc`) against a fake token
//! endpoint and metadata server on 127.0.0.1: which source wins, what each
//! sends, caching, `invalidate`, quota projects, and what never shows.
//!
//! The environment is given through `AdcSources`, never set on the process:
//! tests run in parallel, and the real metadata host is never asked.

mod signin;

use google_dataportability_v1::{
    AccessToken, AdcSource, AdcSources, ApplicationDefaultCredentials, CredentialKind, Scope,
    TokenProvider,
};
use serde_json::json;
use signin::{
    CLIENT_ID, CLIENT_SECRET, FakeGoogle, REFRESH, TempDir, assert_error_shows_no_secret,
    assert_no_secret, assert_shows_no_secret, authorized_user, closed_port, service_account,
};
use std::time::{Duration, Instant};

const SCOPES: [&str; 2] = [
    Scope::MyactivitySearch.as_str(),
    Scope::ChromeHistory.as_str(),
];

/// Sources with nothing but the fake's metadata server: no file named, an
/// empty gcloud folder.
fn sources(fake: &FakeGoogle, dir: &TempDir) -> AdcSources {
    AdcSources::new()
        .gcloud_config_dir(dir.path().join("gcloud"))
        .metadata_host(fake.host())
}

#[tokio::test]
async fn the_file_named_by_the_variable_wins_over_gcloud_and_the_metadata_server() {
    let fake = FakeGoogle::start().await;
    let dir = TempDir::new("env-wins");
    let named = dir.write_json("named.json", &authorized_user(&fake.token_url()));
    dir.write_json(
        "gcloud/application_default_credentials.json",
        &service_account(&fake.token_url()),
    );
    let adc = ApplicationDefaultCredentials::from_sources(
        &sources(&fake, &dir).credentials_file(&named),
        SCOPES,
    )
    .await
    .expect("the named file is used");
    assert_eq!(
        adc.source(),
        &AdcSource::EnvironmentFile {
            path: named.clone(),
            kind: CredentialKind::AuthorizedUser
        }
    );
    assert_eq!(
        adc.token(&SCOPES).await.unwrap().secret(),
        FakeGoogle::token(1)
    );
    let seen = fake.seen();
    assert_eq!(seen.len(), 1, "no metadata ping, one refresh: {seen:#?}");
    assert_eq!(seen[0].field("grant_type"), Some("refresh_token"));
}

#[tokio::test]
async fn gcloud_s_file_wins_over_the_metadata_server() {
    let fake = FakeGoogle::start().await;
    let dir = TempDir::new("gcloud-wins");
    let file = dir.write_json(
        "gcloud/application_default_credentials.json",
        &authorized_user(&fake.token_url()),
    );
    let adc = ApplicationDefaultCredentials::from_sources(&sources(&fake, &dir), SCOPES)
        .await
        .unwrap();
    assert_eq!(
        adc.source(),
        &AdcSource::GcloudFile {
            path: file,
            kind: CredentialKind::AuthorizedUser
        }
    );
    assert!(fake.seen().is_empty(), "the metadata server was not asked");
}

#[tokio::test]
async fn gcloud_s_folder_is_found_under_the_home_folder() {
    let fake = FakeGoogle::start().await;
    let home = TempDir::new("home");
    let file = home.write_json(
        ".config/gcloud/application_default_credentials.json",
        &authorized_user(&fake.token_url()),
    );
    let adc = ApplicationDefaultCredentials::from_sources(
        &AdcSources::new()
            .home_dir(home.path())
            .metadata_host(fake.host()),
        SCOPES,
    )
    .await
    .unwrap();
    assert_eq!(
        adc.source(),
        &AdcSource::GcloudFile {
            path: file,
            kind: CredentialKind::AuthorizedUser
        }
    );
}

#[tokio::test]
async fn a_missing_file_named_by_the_variable_is_an_error_not_a_fallthrough() {
    let fake = FakeGoogle::start().await;
    let dir = TempDir::new("missing");
    dir.write_json(
        "gcloud/application_default_credentials.json",
        &authorized_user(&fake.token_url()),
    );
    let missing = dir.path().join("no-such-key.json");
    let error = ApplicationDefaultCredentials::from_sources(
        &sources(&fake, &dir).credentials_file(&missing),
        SCOPES,
    )
    .await
    .expect_err("a wrong path is reported");
    assert_eq!(
        error.to_string(),
        format!(
            "GOOGLE_APPLICATION_CREDENTIALS names {}, which does not exist",
            missing.display()
        )
    );
    assert!(fake.seen().is_empty());
}

#[tokio::test]
async fn the_metadata_server_is_asked_last_with_its_header_and_the_scopes() {
    let fake = FakeGoogle::start().await;
    let dir = TempDir::new("metadata");
    let adc = ApplicationDefaultCredentials::from_sources(&sources(&fake, &dir), SCOPES)
        .await
        .expect("the metadata server answers");
    assert_eq!(
        adc.source(),
        &AdcSource::MetadataServer { host: fake.host() }
    );
    assert_eq!(
        adc.source().to_string(),
        format!("the metadata server at {}", fake.host())
    );
    let token = adc.token(&SCOPES).await.unwrap();
    assert_eq!(token.secret(), FakeGoogle::token(1));
    assert_eq!(token.quota_project(), None);

    let seen = fake.seen();
    assert_eq!(seen.len(), 2, "a ping, then the token: {seen:#?}");
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("GET", "/")
    );
    let request = &seen[1];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        (
            "GET",
            "/computeMetadata/v1/instance/service-accounts/default/token"
        )
    );
    for ping_or_token in &seen {
        assert_eq!(ping_or_token.header("metadata-flavor"), Some("Google"));
    }
    assert_eq!(
        request.query("scopes"),
        Some(
            "https://www.googleapis.com/auth/dataportability.myactivity.search,\
             https://www.googleapis.com/auth/dataportability.chrome.history"
        )
    );
}

#[tokio::test]
async fn with_nothing_found_the_error_lists_every_place_tried_and_comes_quickly() {
    let dir = TempDir::new("nothing");
    let port = closed_port();
    let started = Instant::now();
    let error = ApplicationDefaultCredentials::from_sources(
        &AdcSources::new()
            .gcloud_config_dir(dir.path())
            .metadata_host(format!("127.0.0.1:{port}"))
            .metadata_timeout(Duration::from_millis(500)),
        SCOPES,
    )
    .await
    .expect_err("there are no credentials");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        error.to_string(),
        format!(
            "no Google credentials found; tried: GOOGLE_APPLICATION_CREDENTIALS (not set); \
             gcloud's file {} (not found); the metadata server at 127.0.0.1:{port} (could not \
             connect). Set GOOGLE_APPLICATION_CREDENTIALS to a credential file, or run `gcloud \
             auth application-default login`",
            dir.path()
                .join("application_default_credentials.json")
                .display()
        )
    );
}

#[tokio::test]
async fn a_server_that_is_not_a_metadata_server_is_not_trusted() {
    let fake = FakeGoogle::start().await;
    fake.not_a_metadata_server();
    let dir = TempDir::new("not-metadata");
    let error = ApplicationDefaultCredentials::from_sources(&sources(&fake, &dir), SCOPES)
        .await
        .expect_err("no Metadata-Flavor: Google");
    assert!(
        error
            .to_string()
            .contains("(something answered, but not a metadata server)"),
        "{error}"
    );
    assert_eq!(fake.seen().len(), 1, "only the ping");
}

#[tokio::test]
async fn an_authorized_user_file_refreshes_with_its_client_and_bills_its_quota_project() {
    let fake = FakeGoogle::start().await;
    let dir = TempDir::new("authorized-user");
    let mut file = authorized_user(&fake.token_url());
    file["quota_project_id"] = json!("billing-project");
    let path = dir.write_json("user.json", &file);
    let adc = ApplicationDefaultCredentials::from_sources(
        &sources(&fake, &dir).credentials_file(&path),
        SCOPES,
    )
    .await
    .unwrap();
    assert_eq!(adc.quota_project(), Some("billing-project"));
    let token = adc.token(&SCOPES).await.unwrap();
    assert_eq!(token.quota_project(), Some("billing-project"));

    let requests = fake.token_requests();
    assert_eq!(requests.len(), 1);
    let refresh = &requests[0];
    assert_eq!(
        (refresh.method.as_str(), refresh.path.as_str()),
        ("POST", "/token")
    );
    assert_eq!(
        refresh.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let mut fields: Vec<(&str, &str)> = refresh
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

    // The environment's quota project wins over the file's.
    let adc = ApplicationDefaultCredentials::from_sources(
        &sources(&fake, &dir)
            .credentials_file(&path)
            .quota_project("override-project"),
        SCOPES,
    )
    .await
    .unwrap();
    assert_eq!(adc.quota_project(), Some("override-project"));
    let token = adc.token(&SCOPES).await.unwrap();
    assert_eq!(token.quota_project(), Some("override-project"));
}

#[tokio::test]
async fn a_service_account_key_is_signed_and_sent_to_its_token_uri() {
    let fake = FakeGoogle::start().await;
    let dir = TempDir::new("service-account");
    let key = service_account(&fake.token_url());
    let path = dir.write_json("key.json", &key);
    let adc = ApplicationDefaultCredentials::from_sources(
        &sources(&fake, &dir).credentials_file(&path),
        SCOPES,
    )
    .await
    .expect("the test key is a valid key");
    assert_eq!(
        adc.source(),
        &AdcSource::EnvironmentFile {
            path,
            kind: CredentialKind::ServiceAccount
        }
    );
    assert_eq!(
        adc.token(&SCOPES).await.unwrap().secret(),
        FakeGoogle::token(1)
    );
    assert_eq!(
        adc.token(&SCOPES).await.unwrap().secret(),
        FakeGoogle::token(1)
    );

    let requests = fake.token_requests();
    assert_eq!(requests.len(), 1, "cached: {requests:#?}");
    let grant = &requests[0];
    assert_eq!(grant.path, "/token");
    assert_eq!(
        grant.field("grant_type"),
        Some("urn:ietf:params:oauth:grant-type:jwt-bearer")
    );
    let claims = grant.claims();
    assert_eq!(claims["aud"], fake.token_url().as_str());
    assert_eq!(claims["iss"], key["client_email"]);
    assert_eq!(
        claims["scope"],
        "https://www.googleapis.com/auth/dataportability.myactivity.search \
         https://www.googleapis.com/auth/dataportability.chrome.history"
    );

    // A refused token is forgotten: the next call signs a new grant.
    let first = adc.token(&SCOPES).await.unwrap();
    adc.invalidate(&first);
    assert_eq!(
        adc.token(&SCOPES).await.unwrap().secret(),
        FakeGoogle::token(2)
    );
    assert_eq!(fake.token_requests().len(), 2);
}

#[tokio::test]
async fn tokens_are_cached_until_a_minute_before_they_expire() {
    let fake = FakeGoogle::start().await;
    let dir = TempDir::new("expiry");
    let adc = ApplicationDefaultCredentials::from_sources(&sources(&fake, &dir), SCOPES)
        .await
        .unwrap();
    adc.token(&SCOPES).await.unwrap();
    adc.token(&SCOPES).await.unwrap();
    assert_eq!(fake.token_requests().len(), 1, "an hour's token is reused");

    // A token that expires within the margin is used once, never reused.
    fake.set_expires_in(30);
    adc.invalidate(&adc.token(&SCOPES).await.unwrap());
    assert_eq!(
        adc.token(&SCOPES).await.unwrap().secret(),
        FakeGoogle::token(2)
    );
    assert_eq!(
        adc.token(&SCOPES).await.unwrap().secret(),
        FakeGoogle::token(3)
    );
    assert_eq!(fake.token_requests().len(), 3);
}

#[tokio::test]
async fn invalidate_forgets_only_the_refused_token() {
    let fake = FakeGoogle::start().await;
    let dir = TempDir::new("invalidate");
    let adc = ApplicationDefaultCredentials::from_sources(&sources(&fake, &dir), SCOPES)
        .await
        .unwrap();
    let first = adc.token(&SCOPES).await.unwrap();
    adc.invalidate(&first);
    let second = adc.token(&SCOPES).await.unwrap();
    assert_eq!(second.secret(), FakeGoogle::token(2));
    // A late 401 for the old token does not throw away the new one.
    adc.invalidate(&first);
    adc.invalidate(&AccessToken::new("ya29.unrelated").unwrap());
    assert_eq!(adc.token(&SCOPES).await.unwrap(), second);
    assert_eq!(fake.token_requests().len(), 2);
}

#[tokio::test]
async fn callers_at_the_same_time_share_one_fetch() {
    let fake = FakeGoogle::start().await;
    fake.set_delay(Duration::from_millis(200));
    let dir = TempDir::new("concurrent");
    let adc = ApplicationDefaultCredentials::from_sources(&sources(&fake, &dir), SCOPES)
        .await
        .unwrap();
    let callers: Vec<_> = (0..8)
        .map(|_| {
            let adc = adc.clone();
            tokio::spawn(async move { adc.token(&SCOPES).await.unwrap() })
        })
        .collect();
    for caller in callers {
        assert_eq!(caller.await.unwrap().secret(), FakeGoogle::token(1));
    }
    assert_eq!(fake.token_requests().len(), 1);
}

#[tokio::test]
async fn unsupported_and_broken_files_are_errors_that_name_the_file() {
    let fake = FakeGoogle::start().await;
    let dir = TempDir::new("unsupported");
    let cases = [
        (
            json!({"type": "external_account", "audience": "//iam.googleapis.com/x"}),
            "holds `external_account` credentials (workload identity federation), which this \
             crate does not support",
        ),
        (
            json!({"type": "impersonated_service_account"}),
            "holds credentials of type `impersonated_service_account`, which this crate does \
             not support",
        ),
        (json!({"client_id": CLIENT_ID}), "has no `type`"),
        (
            json!({"type": "authorized_user", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
            "is an authorized_user file without `refresh_token`",
        ),
        (
            json!({"type": "service_account", "private_key": {"SECRET": 1}, "client_email": "a@b", "token_uri": "x"}),
            "is not a complete service-account key (a field is not a string)",
        ),
    ];
    for (i, (file, expected)) in cases.iter().enumerate() {
        let path = dir.write_json(&format!("case{i}.json"), file);
        let error = ApplicationDefaultCredentials::from_sources(
            &sources(&fake, &dir).credentials_file(&path),
            SCOPES,
        )
        .await
        .expect_err("refused");
        let text = error.to_string();
        assert!(text.contains(&path.display().to_string()), "{text}");
        assert!(text.contains(expected), "{text}");
        assert_error_shows_no_secret("a file error", &error);
    }
    // Not JSON: told by position, never by quoting the text.
    let path = dir.path().join("broken.json");
    std::fs::write(&path, format!("{{\"refresh_token\": \"{REFRESH}\" oops")).unwrap();
    let error = ApplicationDefaultCredentials::from_sources(
        &sources(&fake, &dir).credentials_file(&path),
        SCOPES,
    )
    .await
    .unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("is not JSON (line 1, column 45)"),
        "{error}"
    );
    assert_error_shows_no_secret("a JSON error", &error);
}

#[tokio::test]
async fn no_secret_shows_in_any_output() {
    let fake = FakeGoogle::start().await;
    let dir = TempDir::new("secrets");
    let user = dir.write_json("user.json", &authorized_user(&fake.token_url()));
    let key = dir.write_json("key.json", &service_account(&fake.token_url()));
    for path in [&user, &key] {
        let sources = sources(&fake, &dir).credentials_file(path);
        let adc = ApplicationDefaultCredentials::from_sources(&sources, SCOPES)
            .await
            .unwrap();
        let token = adc.token(&SCOPES).await.unwrap();
        assert_no_secret("the token's Debug", &format!("{token:?}"));
        assert_no_secret("the provider's Debug", &format!("{adc:?}"));
        assert_no_secret("the sources' Debug", &format!("{sources:?}"));
        assert_shows_no_secret("the source", adc.source());
    }
    let adc = ApplicationDefaultCredentials::from_sources(&sources(&fake, &dir), SCOPES)
        .await
        .unwrap();
    assert_no_secret("the metadata provider's Debug", &format!("{adc:?}"));

    // A refusal whose free text echoes secrets: only its code is shown.
    fake.fail_with(
        400,
        json!({"error": "invalid_grant", "error_description": format!("bad {REFRESH}")}),
    );
    for path in [&user, &key] {
        let adc = ApplicationDefaultCredentials::from_sources(
            &sources(&fake, &dir).credentials_file(path),
            SCOPES,
        )
        .await
        .unwrap();
        let error = adc.token(&SCOPES).await.expect_err("refused");
        assert!(error.to_string().contains("invalid_grant"), "{error}");
        assert_error_shows_no_secret("a refusal", &error);
    }
    // An error code that is not one is not repeated either.
    fake.fail_with(400, json!({"error": REFRESH}));
    for path in [&key, &user] {
        let adc = ApplicationDefaultCredentials::from_sources(
            &sources(&fake, &dir).credentials_file(path),
            SCOPES,
        )
        .await
        .unwrap();
        let error = adc.token(&SCOPES).await.unwrap_err();
        assert!(
            error.to_string().starts_with("the OAuth token endpoint"),
            "{error}"
        );
        assert_error_shows_no_secret("a refusal with a strange code", &error);
    }
    let adc = ApplicationDefaultCredentials::from_sources(
        &sources(&fake, &dir).credentials_file(&user),
        SCOPES,
    )
    .await
    .unwrap();
    let error = adc.token(&SCOPES).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "the OAuth token endpoint {} refused the request: HTTP 400",
            fake.token_url()
        )
    );
    // A success whose token has the wrong type.
    fake.fail_with(200, json!({"access_token": 5, "refresh_token": REFRESH}));
    let error = adc.token(&SCOPES).await.unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("answered without an access token"),
        "{error}"
    );
    assert_error_shows_no_secret("a malformed answer", &error);
}

/// End to end: ADC's user credentials (a fake token endpoint on
/// 127.0.0.1) behind the client; the API (the in-memory fake) refuses the
/// first token with 401, so the provider refreshes at the token endpoint
/// and the call goes once more, with the file's quota project.
#[tokio::test]
async fn a_401_makes_the_client_refresh_adc_credentials_and_send_once_more() {
    use google_dataportability_v1::Client;
    use google_dataportability_v1::fake::FakeTransport;

    let fake = FakeGoogle::start().await;
    let dir = TempDir::new("adc-401");
    let mut file = authorized_user(&fake.token_url());
    file["quota_project_id"] = json!("billing-project");
    let named = dir.write_json("user.json", &file);
    let adc = ApplicationDefaultCredentials::from_sources(
        &sources(&fake, &dir).credentials_file(&named),
        Scope::URLS,
    )
    .await
    .unwrap();
    let api = FakeTransport::new();
    api.on("dataportability.archiveJobs.retry")
        .error(
            401,
            "UNAUTHENTICATED",
            "Request had invalid authentication credentials.",
        )
        .json(200, json!({"archiveJobId": "9"}));
    let client = Client::builder()
        .transport(api.clone())
        .token_provider(adc)
        .build()
        .unwrap();

    let retried = client.archive_jobs().retry("archiveJobs/1").await.unwrap();
    assert_eq!(retried.archive_job_id.as_deref(), Some("9"));
    let sent = api.requests();
    let bearer = |n: u64| format!("Bearer {}", FakeGoogle::token(n));
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].header("authorization"), Some(bearer(1).as_str()));
    assert_eq!(sent[1].header("authorization"), Some(bearer(2).as_str()));
    for request in &sent {
        assert_eq!(
            request.header("x-goog-user-project"),
            Some("billing-project")
        );
        assert_no_secret("a request's Debug", &format!("{request:?}"));
    }
    assert_eq!(fake.token_requests().len(), 2, "one refresh per token");
}
