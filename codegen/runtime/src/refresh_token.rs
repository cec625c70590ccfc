//! A user's tokens from a refresh token (cargo features `adc` and
//! `user-consent`): the OAuth client that asked for the user's consent, and
//! a [`TokenProvider`] that trades the refresh token for access tokens as
//! they expire.
//!
//! It is what gcloud's `authorized_user` credential file holds and what the
//! consent flows end with, so both features share it.

use super::BoxFuture;
use super::auth::{AccessToken, TokenError, TokenProvider};
use super::token_cache::{Fresh, TokenCache};
use super::token_endpoint::{GOOGLE_TOKEN_URI, http_client, post_form};
use std::fmt;
use std::sync::Arc;

/// Google's OAuth 2.0 authorization endpoint, where the browser asks the
/// user's consent.
pub(crate) const GOOGLE_AUTH_URI: &str = "https://accounts.google.com/o/oauth2/v2/auth";

/// An OAuth client, as registered in the Google Cloud console: its id, its
/// secret (installed applications have one too, which Google does not count
/// as confidential) and the endpoints it talks to.
#[derive(Clone)]
pub struct OAuthClient {
    client_id: String,
    client_secret: Option<String>,
    auth_uri: String,
    token_uri: String,
}

impl OAuthClient {
    /// A client with an id and a secret, on Google's endpoints.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        let secret = client_secret.into();
        Self {
            client_id: client_id.into(),
            client_secret: (!secret.is_empty()).then_some(secret),
            auth_uri: GOOGLE_AUTH_URI.to_owned(),
            token_uri: GOOGLE_TOKEN_URI.to_owned(),
        }
    }

    /// A client with no secret (a public client relying on PKCE alone).
    pub fn without_secret(client_id: impl Into<String>) -> Self {
        Self::new(client_id, "")
    }

    /// The client of a `client_secret_….json` file as the Cloud console
    /// downloads it: its `installed` or `web` object, with the endpoints
    /// it names.
    pub fn from_client_secrets_json(json: &[u8]) -> Result<Self, TokenError> {
        let value: serde_json::Value = serde_json::from_slice(json).map_err(|e| {
            // serde's message can quote the text; its position cannot.
            TokenError::new(format!(
                "the OAuth client file is not JSON (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        let client = value
            .get("installed")
            .or_else(|| value.get("web"))
            .ok_or_else(|| {
                TokenError::new(
                    "the OAuth client file has neither an `installed` nor a `web` client",
                )
            })?;
        let text = |name: &str| client.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        let client_id = text("client_id")
            .filter(|id| !id.is_empty())
            .ok_or_else(|| TokenError::new("the OAuth client file has no `client_id`"))?;
        let mut out = Self::new(client_id, text("client_secret").unwrap_or_default());
        if let Some(uri) = text("auth_uri") {
            out.auth_uri = uri;
        }
        if let Some(uri) = text("token_uri") {
            out.token_uri = uri;
        }
        Ok(out)
    }

    /// Where the browser asks the user's consent (Google's unless changed).
    pub fn auth_uri(mut self, uri: impl Into<String>) -> Self {
        self.auth_uri = uri.into();
        self
    }

    /// Where codes and refresh tokens are traded for tokens (Google's
    /// unless changed).
    pub fn token_uri(mut self, uri: impl Into<String>) -> Self {
        self.token_uri = uri.into();
        self
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Where users are sent to consent (Google's, unless set otherwise).
    pub fn authorization_endpoint(&self) -> &str {
        &self.auth_uri
    }

    pub(crate) fn token_endpoint(&self) -> &str {
        &self.token_uri
    }

    /// `client_id` and, if there is one, `client_secret`, as form fields.
    pub(crate) fn credentials(&self) -> Vec<(&'static str, &str)> {
        let mut pairs = vec![("client_id", self.client_id.as_str())];
        if let Some(secret) = &self.client_secret {
            pairs.push(("client_secret", secret.as_str()));
        }
        pairs
    }
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("auth_uri", &self.auth_uri)
            .field("token_uri", &self.token_uri)
            .finish()
    }
}

/// Access tokens of one user, from the refresh token their consent gave
/// the application (POST `grant_type=refresh_token` to the client's token
/// endpoint).
///
/// Tokens are cached and refreshed a minute before they expire; callers
/// that need one at the same time share one refresh. The scopes a call
/// accepts are not checked here: the token has the scopes the user granted.
/// Clones share the cache.
#[derive(Clone)]
pub struct RefreshTokenProvider {
    client: Arc<OAuthClient>,
    refresh_token: Arc<str>,
    granted: Arc<[String]>,
    quota_project: Option<Arc<str>>,
    http: reqwest::Client,
    cache: Arc<TokenCache>,
}

impl RefreshTokenProvider {
    /// Tokens for the user whose consent gave `refresh_token` to `client`.
    pub fn new(client: OAuthClient, refresh_token: impl Into<String>) -> Result<Self, TokenError> {
        let refresh_token: String = refresh_token.into();
        if refresh_token.trim().is_empty() {
            return Err(TokenError::new("the refresh token is empty"));
        }
        Ok(Self {
            client: Arc::new(client),
            refresh_token: refresh_token.into(),
            granted: Arc::new([]),
            quota_project: None,
            http: http_client()?,
            cache: Arc::default(),
        })
    }

    /// Bills calls to `project` (its tokens carry it; see
    /// [`AccessToken::quota_project`]).
    pub fn with_quota_project(mut self, project: impl Into<String>) -> Self {
        let project: String = project.into();
        self.quota_project = (!project.is_empty()).then(|| project.into());
        self
    }

    /// The scopes the user granted, when the consent that made the refresh
    /// token said (empty otherwise).
    pub fn granted_scopes(&self) -> &[String] {
        &self.granted
    }

    /// The refresh token, for the application to keep (a secret: store it
    /// as one).
    pub fn refresh_token(&self) -> &str {
        &self.refresh_token
    }

    /// The OAuth client the refresh token belongs to.
    pub fn client(&self) -> &OAuthClient {
        &self.client
    }

    #[cfg(feature = "user-consent")]
    pub(crate) fn with_granted(mut self, scopes: Vec<String>) -> Self {
        self.granted = scopes.into();
        self
    }

    /// Starts the cache with a token the consent already gave.
    #[cfg(feature = "user-consent")]
    pub(crate) fn seed(&self, token: AccessToken, lifetime: Option<std::time::Duration>) {
        self.cache.seed(Fresh { token, lifetime });
    }

    fn billed(&self, token: AccessToken) -> AccessToken {
        match &self.quota_project {
            Some(project) => token.with_quota_project(project.as_ref()),
            None => token,
        }
    }

    async fn refresh(&self) -> Result<Fresh, TokenError> {
        let mut pairs = vec![("grant_type", "refresh_token")];
        pairs.extend(self.client.credentials());
        pairs.push(("refresh_token", &self.refresh_token));
        let answer = post_form(&self.http, self.client.token_endpoint(), &pairs).await?;
        Ok(Fresh {
            token: AccessToken::new(answer.access_token)?,
            lifetime: answer.expires_in,
        })
    }
}

impl fmt::Debug for RefreshTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshTokenProvider")
            .field("client", &self.client)
            .field("refresh_token", &"<redacted>")
            .field("granted_scopes", &self.granted)
            .field("quota_project", &self.quota_project)
            .finish_non_exhaustive()
    }
}

impl TokenProvider for RefreshTokenProvider {
    fn token<'a>(
        &'a self,
        _scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        // The cache holds the plain token, shared by clones that may bill
        // different projects; each adds its own on the way out.
        Box::pin(async move { Ok(self.billed(self.cache.get(|| self.refresh()).await?)) })
    }

    fn token_now(&self, _scopes: &[&str]) -> Option<AccessToken> {
        self.cache.fresh().map(|token| self.billed(token))
    }

    fn invalidate(&self, token: &AccessToken) {
        self.cache.invalidate(token);
    }
}
