//! Application Default Credentials (cargo feature `adc`): the credentials
//! the environment provides, found in the order Google's own libraries
//! look for them.
//!
//! 1. The file named by `GOOGLE_APPLICATION_CREDENTIALS`. When the variable
//!    is set, that file is used or its failure is the error: a path that
//!    is wrong is a mistake to report, not a reason to pick some other
//!    identity (Google's Python, Go and Java libraries do the same). An
//!    empty variable counts as unset, as in Go's library.
//! 2. gcloud's file, `application_default_credentials.json` in
//!    `$CLOUDSDK_CONFIG`, else `%APPDATA%\gcloud` on Windows, else
//!    `~/.config/gcloud` (written by `gcloud auth application-default
//!    login`). A missing file is skipped; a broken one is an error.
//! 3. The metadata server of GCE, GKE, Cloud Run and App Engine
//!    (`GCE_METADATA_HOST`, else `metadata.google.internal`), asked first
//!    whether it is there, with a short timeout so that elsewhere the
//!    search ends quickly, with an error listing what was tried.
//!
//! A file is a `service_account` key (signed with RS256 by yup-oauth2, at
//! the key's `token_uri`) or `authorized_user` credentials (a refresh
//! token, refreshed here with reqwest). Workload identity federation
//! (`external_account`) needs a security-token exchange and one of several
//! credential sources (files, URLs, programs, AWS signing); it is refused
//! with an error saying so rather than half done.
//!
//! Everything read from the environment goes through [`AdcSources`], so
//! tests (and applications with their own configuration) pass explicit
//! values and never touch the process's environment.

use super::BoxFuture;
use super::auth::{AccessToken, TokenError, TokenProvider};
use super::path::encode_segment;
use super::refresh_token::{OAuthClient, RefreshTokenProvider};
use super::token_cache::{Fresh, TokenCache};
use super::token_endpoint::{GOOGLE_TOKEN_URI, is_error_code, read_answer};
use hyper_util::client::legacy::connect::Connect;
use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use yup_oauth2::authenticator::Authenticator;

/// The variable naming a credential file.
const CREDENTIALS_VARIABLE: &str = "GOOGLE_APPLICATION_CREDENTIALS";

/// gcloud's file name, in its configuration folder.
const GCLOUD_FILE: &str = "application_default_credentials.json";

/// The metadata server's host name on Google Cloud.
const METADATA_HOST: &str = "metadata.google.internal";

/// How long to wait for the metadata server to accept a connection. On
/// Google Cloud it is a link-local hop away and answers in milliseconds;
/// elsewhere the name does not resolve or nothing answers, and waiting
/// longer only delays the error.
const METADATA_TIMEOUT: Duration = Duration::from_secs(1);

/// Where to look for credentials: what `GOOGLE_APPLICATION_CREDENTIALS`,
/// gcloud's folder, `GCE_METADATA_HOST` and `GOOGLE_CLOUD_QUOTA_PROJECT`
/// say. [`from_env`](Self::from_env) reads them from the process's
/// environment; the setters give them explicitly.
#[derive(Clone, Debug)]
pub struct AdcSources {
    credentials_file: Option<PathBuf>,
    gcloud_config_dir: Option<PathBuf>,
    metadata_host: String,
    metadata_timeout: Duration,
    quota_project: Option<String>,
}

impl Default for AdcSources {
    fn default() -> Self {
        Self::new()
    }
}

impl AdcSources {
    /// No credential file, no gcloud folder: only the metadata server, at
    /// its usual host.
    pub fn new() -> Self {
        Self {
            credentials_file: None,
            gcloud_config_dir: None,
            metadata_host: METADATA_HOST.to_owned(),
            metadata_timeout: METADATA_TIMEOUT,
            quota_project: None,
        }
    }

    /// What the process's environment says: `GOOGLE_APPLICATION_CREDENTIALS`,
    /// gcloud's folder (`CLOUDSDK_CONFIG`, else `%APPDATA%\gcloud` on
    /// Windows, else `$HOME/.config/gcloud`), `GCE_METADATA_HOST` and
    /// `GOOGLE_CLOUD_QUOTA_PROJECT`. Empty variables count as unset.
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let mut sources = Self::new();
        sources.credentials_file = var(CREDENTIALS_VARIABLE).map(PathBuf::from);
        sources.gcloud_config_dir = var("CLOUDSDK_CONFIG").map(PathBuf::from).or_else(|| {
            if cfg!(windows) {
                var("APPDATA").map(|dir| PathBuf::from(dir).join("gcloud"))
            } else {
                var("HOME").map(|home| Path::new(&home).join(".config").join("gcloud"))
            }
        });
        if let Some(host) = var("GCE_METADATA_HOST").and_then(|h| h.into_string().ok()) {
            sources.metadata_host = host;
        }
        sources.quota_project =
            var("GOOGLE_CLOUD_QUOTA_PROJECT").and_then(|p| p.into_string().ok());
        sources
    }

    /// The credential file, as `GOOGLE_APPLICATION_CREDENTIALS` names it.
    pub fn credentials_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.credentials_file = Some(path.into());
        self
    }

    /// gcloud's configuration folder, as `CLOUDSDK_CONFIG` names it.
    pub fn gcloud_config_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.gcloud_config_dir = Some(dir.into());
        self
    }

    /// The user's home folder: gcloud's folder is `.config/gcloud` in it
    /// (its place on Linux and macOS).
    pub fn home_dir(self, home: impl AsRef<Path>) -> Self {
        let dir = home.as_ref().join(".config").join("gcloud");
        self.gcloud_config_dir(dir)
    }

    /// The metadata server's `host` or `host:port`, as `GCE_METADATA_HOST`
    /// names it.
    pub fn metadata_host(mut self, host: impl Into<String>) -> Self {
        self.metadata_host = host.into();
        self
    }

    /// How long to wait for the metadata server to accept a connection
    /// (1 s unless set); its answer may take three times that.
    pub fn metadata_timeout(mut self, timeout: Duration) -> Self {
        self.metadata_timeout = timeout;
        self
    }

    /// The project calls are billed to, whatever the credentials say, as
    /// `GOOGLE_CLOUD_QUOTA_PROJECT` names it.
    pub fn quota_project(mut self, project: impl Into<String>) -> Self {
        self.quota_project = Some(project.into()).filter(|p| !p.is_empty());
        self
    }

    /// The gcloud file's path, if there is a folder to look in.
    fn gcloud_file(&self) -> Option<PathBuf> {
        self.gcloud_config_dir
            .as_ref()
            .map(|dir| dir.join(GCLOUD_FILE))
    }
}

/// Where the credentials were found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AdcSource {
    /// The file named by `GOOGLE_APPLICATION_CREDENTIALS`.
    EnvironmentFile {
        /// Its path.
        path: PathBuf,
        /// What it holds.
        kind: CredentialKind,
    },
    /// gcloud's `application_default_credentials.json`.
    GcloudFile {
        /// Its path.
        path: PathBuf,
        /// What it holds.
        kind: CredentialKind,
    },
    /// The metadata server.
    MetadataServer {
        /// Its host (and port, if given).
        host: String,
    },
}

/// What a credential file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialKind {
    /// A service account's private key (`"type": "service_account"`).
    ServiceAccount,
    /// A user's refresh token and OAuth client (`"type": "authorized_user"`).
    AuthorizedUser,
}

impl fmt::Display for AdcSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = |kind: &CredentialKind| match kind {
            CredentialKind::ServiceAccount => "a service-account key",
            CredentialKind::AuthorizedUser => "a user's refresh token",
        };
        match self {
            Self::EnvironmentFile { path, kind: k } => write!(
                f,
                "{} ({}, named by {CREDENTIALS_VARIABLE})",
                path.display(),
                kind(k)
            ),
            Self::GcloudFile { path, kind: k } => {
                write!(f, "gcloud's file {} ({})", path.display(), kind(k))
            }
            Self::MetadataServer { host } => write!(f, "the metadata server at {host}"),
        }
    }
}

/// A [`TokenProvider`] over the Application Default Credentials: found
/// once, when it is made, then asked for every call.
///
/// Tokens are cached and refreshed a minute before they expire; callers
/// that need one at the same time share one fetch. Clones share the cache.
#[derive(Clone)]
pub struct ApplicationDefaultCredentials {
    source: AdcSource,
    quota_project: Option<String>,
    provider: Arc<dyn TokenProvider>,
}

impl ApplicationDefaultCredentials {
    /// Credentials from the process's environment ([`AdcSources::from_env`])
    /// for `scopes` (a service account or the metadata server asks for
    /// those; a user's refresh token has the scopes the user granted).
    pub async fn new(
        scopes: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Result<Self, TokenError> {
        Self::from_sources(&AdcSources::from_env(), scopes).await
    }

    /// Credentials from `sources` for `scopes`. Fails when a named file is
    /// missing or broken, or, when there is no file, with an error listing
    /// every place tried.
    pub async fn from_sources(
        sources: &AdcSources,
        scopes: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Result<Self, TokenError> {
        let chosen = super::auth::chosen_scopes(scopes)?;
        let mut tried = Vec::new();
        let (source, (provider, file_project)) = if let Some(path) = &sources.credentials_file {
            let (kind, loaded) = load_file(path, &chosen).await.map_err(|e| {
                TokenError::new(format!(
                    "{CREDENTIALS_VARIABLE} names {}, which {e}",
                    path.display()
                ))
            })?;
            let path = path.clone();
            (AdcSource::EnvironmentFile { path, kind }, loaded)
        } else {
            tried.push(format!("{CREDENTIALS_VARIABLE} (not set)"));
            let gcloud = match sources.gcloud_file() {
                None => {
                    tried.push("gcloud's file (no folder to look in: no home folder)".to_owned());
                    None
                }
                Some(path) => match std::fs::metadata(&path) {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        tried.push(format!("gcloud's file {} (not found)", path.display()));
                        None
                    }
                    // There, or there but unreadable: an error of its own.
                    _ => Some(path),
                },
            };
            if let Some(path) = gcloud {
                let (kind, loaded) = load_file(&path, &chosen).await.map_err(|e| {
                    TokenError::new(format!("gcloud's file {}, which {e}", path.display()))
                })?;
                (AdcSource::GcloudFile { path, kind }, loaded)
            } else {
                let metadata = Metadata::new(sources, &chosen)?;
                if let Err(why) = metadata.ping().await {
                    tried.push(format!(
                        "the metadata server at {} ({why})",
                        sources.metadata_host
                    ));
                    return Err(TokenError::new(format!(
                        "no Google credentials found; tried: {}. Set {CREDENTIALS_VARIABLE} \
                         to a credential file, or run `gcloud auth application-default login`",
                        tried.join("; ")
                    )));
                }
                let host = sources.metadata_host.clone();
                let provider: Arc<dyn TokenProvider> = Arc::new(CachedSource::new(metadata));
                (AdcSource::MetadataServer { host }, (provider, None))
            }
        };
        // The environment's quota project wins over the file's, as in
        // Google's libraries.
        let quota_project = sources.quota_project.clone().or(file_project);
        let provider: Arc<dyn TokenProvider> = match &quota_project {
            Some(project) => Arc::new(Billed {
                inner: provider,
                project: project.clone(),
            }),
            None => provider,
        };
        Ok(Self {
            source,
            quota_project,
            provider,
        })
    }

    /// Where the credentials were found.
    pub fn source(&self) -> &AdcSource {
        &self.source
    }

    /// The project calls are billed to, if the environment or the file
    /// named one.
    pub fn quota_project(&self) -> Option<&str> {
        self.quota_project.as_deref()
    }
}

impl fmt::Debug for ApplicationDefaultCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The provider holds the key or the refresh token: not shown.
        f.debug_struct("ApplicationDefaultCredentials")
            .field("source", &self.source)
            .field("quota_project", &self.quota_project)
            .finish_non_exhaustive()
    }
}

impl TokenProvider for ApplicationDefaultCredentials {
    fn token<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        self.provider.token(scopes)
    }

    fn token_now(&self, scopes: &[&str]) -> Option<AccessToken> {
        self.provider.token_now(scopes)
    }

    fn invalidate(&self, token: &AccessToken) {
        self.provider.invalidate(token);
    }
}

/// A provider ready to use, and the quota project its file named.
type Loaded = (Arc<dyn TokenProvider>, Option<String>);

/// Reads a credential file. The error completes "… names PATH, which …".
async fn load_file(path: &Path, scopes: &[String]) -> Result<(CredentialKind, Loaded), String> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".to_owned(),
        _ => format!("could not be read: {e}"),
    })?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        // serde's message can quote the file; its position cannot.
        format!("is not JSON (line {}, column {})", e.line(), e.column())
    })?;
    let text = |name: &str| json.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    let quota_project = text("quota_project_id").filter(|p| !p.is_empty());
    match text("type").as_deref() {
        Some("service_account") => {
            let key: yup_oauth2::ServiceAccountKey = serde_json::from_value(json).map_err(|e| {
                format!(
                    "is not a complete service-account key ({})",
                    field_problem(&e)
                )
            })?;
            let authenticator = yup_oauth2::ServiceAccountAuthenticator::builder(key)
                .build()
                .await
                // Its messages name what failed, never the key.
                .map_err(|e| {
                    format!(
                        "could not be used: its private key is unreadable, or the system has \
                         no root certificates ({e})"
                    )
                })?;
            let provider = CachedSource::new(ServiceAccount {
                authenticator: Box::new(authenticator),
                scopes: scopes.to_vec(),
            });
            Ok((
                CredentialKind::ServiceAccount,
                (Arc::new(provider) as Arc<dyn TokenProvider>, quota_project),
            ))
        }
        Some("authorized_user") => {
            let field = |name: &str| {
                text(name)
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| format!("is an authorized_user file without `{name}`"))
            };
            let client = OAuthClient::new(field("client_id")?, field("client_secret")?)
                .token_uri(text("token_uri").unwrap_or_else(|| GOOGLE_TOKEN_URI.to_owned()));
            let provider = RefreshTokenProvider::new(client, field("refresh_token")?)
                .map_err(|e| format!("could not be used: {e}"))?;
            Ok((
                CredentialKind::AuthorizedUser,
                (Arc::new(provider) as Arc<dyn TokenProvider>, quota_project),
            ))
        }
        Some("external_account") => Err("holds `external_account` credentials (workload \
             identity federation), which this crate does not support: use a service-account \
             key, gcloud's user credentials or the metadata server"
            .to_owned()),
        Some(other) => Err(format!(
            "holds credentials of type `{}`, which this crate does not support (it reads \
             `service_account` and `authorized_user`)",
            other.escape_debug()
        )),
        None => Err("has no `type`: it is not a Google credential file".to_owned()),
    }
}

/// What is wrong with a field, without quoting its value (serde's
/// "invalid type" messages do).
fn field_problem(error: &serde_json::Error) -> String {
    let text = error.to_string();
    if text.starts_with("missing field") {
        text
    } else {
        "a field is not a string".to_owned()
    }
}

/// Where a [`CachedSource`] gets a token when its cache has none fresh: a
/// provider that mints tokens itself, for every scope it was made with.
pub(crate) trait TokenSource: Send + Sync {
    /// A new token and its lifetime.
    fn fetch(&self) -> impl Future<Output = Result<Fresh, TokenError>> + Send + '_;
}

/// A [`TokenSource`] behind a [`TokenCache`]: the token provider of every
/// source that needs nothing more (the scopes it is asked for were fixed
/// when it was made).
pub(crate) struct CachedSource<S> {
    pub(crate) source: S,
    cache: TokenCache,
}

impl<S> CachedSource<S> {
    pub(crate) fn new(source: S) -> Self {
        Self {
            source,
            cache: TokenCache::default(),
        }
    }
}

impl<S: TokenSource> TokenProvider for CachedSource<S> {
    fn token<'a>(
        &'a self,
        _scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(self.cache.get(|| self.source.fetch()))
    }

    fn token_now(&self, _scopes: &[&str]) -> Option<AccessToken> {
        self.cache.fresh()
    }

    fn invalidate(&self, token: &AccessToken) {
        self.cache.invalidate(token);
    }
}

/// A service account, signed by yup-oauth2 at the key's `token_uri`.
struct ServiceAccount<C>
where
    C: Connect + Clone + Send + Sync + 'static,
{
    authenticator: Box<Authenticator<C>>,
    scopes: Vec<String>,
}

impl<C> TokenSource for ServiceAccount<C>
where
    C: Connect + Clone + Send + Sync + 'static,
{
    async fn fetch(&self) -> Result<Fresh, TokenError> {
        // This cache decides when to refresh (and forgets a refused
        // token), so yup-oauth2's own cache is bypassed.
        let token = self
            .authenticator
            .force_refreshed_token(&self.scopes)
            .await
            .map_err(service_account_error)?;
        let lifetime = token.expiration_time().map(|at| {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            Duration::from_secs(
                u64::try_from(at.unix_timestamp())
                    .unwrap_or(0)
                    .saturating_sub(now),
            )
        });
        let token = token.token().ok_or_else(|| {
            TokenError::new("the OAuth token endpoint answered without an access token")
        })?;
        Ok(Fresh {
            token: AccessToken::new(token)?,
            lifetime,
        })
    }
}

/// yup-oauth2's failure in words that hold no secret. Only a transport
/// failure keeps its error as the source: a refusal's would show the
/// server's free text, which may echo what was sent, and a JSON error's can
/// quote the answer, token included.
fn service_account_error(error: yup_oauth2::Error) -> TokenError {
    use yup_oauth2::Error as E;
    let message = match &error {
        // A code that is not one (yup-oauth2 keeps any text) is not repeated.
        E::AuthError(refusal) if !is_error_code(refusal.error.as_str()) => {
            "the OAuth token endpoint refused the request".to_owned()
        }
        _ => super::oauth::failure(&error),
    };
    match error {
        E::HttpError(_) | E::HttpClientError(_) | E::LowLevelError(_) => {
            TokenError::with_source(message, error)
        }
        _ => TokenError::new(message),
    }
}

/// The metadata server's token for the instance's default service account.
struct Metadata {
    http: reqwest::Client,
    host: String,
    token_url: String,
}

impl Metadata {
    fn new(sources: &AdcSources, scopes: &[String]) -> Result<Self, TokenError> {
        let http = reqwest::Client::builder()
            .connect_timeout(sources.metadata_timeout)
            .timeout(sources.metadata_timeout * 3)
            // The server is a local hop: never through a proxy, never
            // redirected.
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| {
                TokenError::with_source(
                    "could not set up the HTTP client for the metadata server",
                    e,
                )
            })?;
        let host = sources.metadata_host.clone();
        let mut token_url = format!(
            "http://{host}/computeMetadata/v1/instance/service-accounts/default/token?scopes="
        );
        for (i, scope) in scopes.iter().enumerate() {
            if i > 0 {
                token_url.push(',');
            }
            encode_segment(&mut token_url, scope.as_str());
        }
        Ok(Self {
            http,
            host,
            token_url,
        })
    }

    /// Whether a metadata server answers at the host, as Google's
    /// libraries tell: it says `Metadata-Flavor: Google`.
    async fn ping(&self) -> Result<(), String> {
        let response = self
            .http
            .get(format!("http://{}/", self.host))
            .header("metadata-flavor", "Google")
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    "no answer in time".to_owned()
                } else if e.is_connect() {
                    "could not connect".to_owned()
                } else {
                    "no answer".to_owned()
                }
            })?;
        let flavor = response
            .headers()
            .get("metadata-flavor")
            .and_then(|v| v.to_str().ok());
        if flavor == Some("Google") {
            Ok(())
        } else {
            Err("something answered, but not a metadata server".to_owned())
        }
    }
}

impl TokenSource for Metadata {
    async fn fetch(&self) -> Result<Fresh, TokenError> {
        let who = format!("the metadata server at {}", self.host);
        let response = self
            .http
            .get(&self.token_url)
            .header("metadata-flavor", "Google")
            .send()
            .await
            .map_err(|e| TokenError::with_source(format!("could not reach {who}"), e))?;
        let answer = read_answer(response, &who).await?;
        Ok(Fresh {
            token: AccessToken::new(answer.access_token)?,
            lifetime: answer.expires_in,
        })
    }
}

/// Tokens of `inner`, billed to `project`.
struct Billed {
    inner: Arc<dyn TokenProvider>,
    project: String,
}

impl TokenProvider for Billed {
    fn token<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(async move {
            let token = self.inner.token(scopes).await?;
            Ok(token.with_quota_project(self.project.as_str()))
        })
    }

    fn token_now(&self, scopes: &[&str]) -> Option<AccessToken> {
        let token = self.inner.token_now(scopes)?;
        Some(token.with_quota_project(self.project.as_str()))
    }

    fn invalidate(&self, token: &AccessToken) {
        self.inner.invalidate(token);
    }
}
