//! Data Portability on a user's behalf: sign the user in with the
//! installed-application flow (feature `user-consent`), keep their refresh
//! token in a JSON file so later runs need no browser, then start an export
//! of their search activity.
//!
//! ```text
//! cargo run -p google-dataportability-v1 --features user-consent \
//!     --example user_consent -- client_secret.json [token.json]
//! ```
//!
//! `client_secret.json` is the OAuth client (type "Desktop app") as the
//! Cloud console downloads it. The token file (default
//! `dataportability-token.json`) is written with owner-only permissions;
//! delete it to sign in again.

use google_dataportability_v1::models::InitiatePortabilityArchiveRequest;
use google_dataportability_v1::{
    Client, Error, FileTokenStore, InstalledFlow, OAuthClient, Scope, TokenStore,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let secrets = args
        .next()
        .ok_or("usage: user_consent CLIENT_SECRET_JSON [TOKEN_FILE]")?;
    let store = FileTokenStore::new(
        args.next()
            .unwrap_or_else(|| "dataportability-token.json".to_owned()),
    );
    let oauth = OAuthClient::from_client_secrets_json(&std::fs::read(&secrets)?)?;

    // From the token file if it is there; else the user consents in the
    // browser (we print the URL: opening it is the application's choice).
    let flow = InstalledFlow::new(oauth, [Scope::MyactivitySearch])?;
    let user = flow
        .sign_in(&store, |url| {
            eprintln!("Open this address in your browser to sign in:\n\n    {url}\n");
        })
        .await?;

    let client = Client::builder().token_provider(user).build()?;
    let request = InitiatePortabilityArchiveRequest::new().set_resources(["myactivity.search"]);
    match client.portability_archive().initiate(request).await {
        Ok(job) => println!("started export job {:?}", job.archive_job_id),
        // The refresh token was revoked (or the consent expired): forget it,
        // so the next run asks again.
        Err(Error::Auth(e)) => {
            store.clear().await?;
            return Err(format!("{e}; run again to sign in").into());
        }
        Err(Error::Api(e)) => eprintln!("{} {}: {}", e.http_status(), e.status(), e.message()),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
