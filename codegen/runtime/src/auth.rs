//! Credentials: the token-provider trait the client asks before every call,
//! and a provider for a token the application already has.
//!
//! Tokens are secrets: they are sent only in the `Authorization` header
//! (marked sensitive), and `Debug` output shows `<redacted>` instead.

use super::BoxFuture;
pub use super::error::TokenError;
use std::fmt;
use std::sync::Arc;

/// An OAuth 2.0 access token, and the project its calls are billed to when
/// that is not the credential's own (the quota project).
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// Shared, so that handing a cached token to each call (a clone) copies
    /// nothing.
    token: Arc<str>,
    quota_project: Option<Arc<str>>,
}

impl AccessToken {
    /// Wraps a token, refusing one that is empty or could not travel in an
    /// HTTP header (control characters, non-ASCII, surrounding spaces).
    pub fn new(token: impl Into<String>) -> Result<Self, TokenError> {
        let token = token.into();
        if token.is_empty() {
            return Err(TokenError::new("the access token is empty"));
        }
        if token.trim() != token || !token.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
            // The token itself stays out of the message.
            return Err(TokenError::new(
                "the access token has characters an HTTP header cannot carry",
            ));
        }
        Ok(Self {
            token: token.into(),
            quota_project: None,
        })
    }

    /// The token itself, to put on the wire.
    pub fn secret(&self) -> &str {
        &self.token
    }

    /// The same token, with calls billed to `project` (sent as
    /// `x-goog-user-project`): what a credential file's `quota_project_id`
    /// asks for. An empty name means none.
    pub fn with_quota_project(mut self, project: impl Into<String>) -> Self {
        let project = project.into();
        self.quota_project = (!project.is_empty()).then(|| project.into());
        self
    }

    /// The project calls made with this token are billed to, if not the
    /// credential's own.
    pub fn quota_project(&self) -> Option<&str> {
        self.quota_project.as_deref()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A quota project is a project id, not a secret.
        match &self.quota_project {
            None => f.write_str("AccessToken(<redacted>)"),
            Some(project) => write!(f, "AccessToken(<redacted>, quota project {project:?})"),
        }
    }
}

/// Gives the client an access token before each call.
///
/// `scopes` are the scopes the method accepts; any one of them suffices.
/// A provider that mints tokens can ask for those the application chose;
/// one that holds a fixed token ignores them. Implementations cache and
/// refresh as they see fit.
pub trait TokenProvider: Send + Sync {
    /// A token for a call that accepts any one of `scopes`.
    fn token<'a>(&'a self, scopes: &'a [&'a str])
    -> BoxFuture<'a, Result<AccessToken, TokenError>>;

    /// A token for a call that accepts any one of `scopes`, if the provider
    /// has a valid one at hand (a fixed token, a cached one still fresh),
    /// else `None`, and the client asks [`token`](Self::token). The client
    /// asks this first, so a call with a token at hand needs no boxed
    /// future; the default has none at hand.
    fn token_now(&self, _scopes: &[&str]) -> Option<AccessToken> {
        None
    }

    /// The server refused `token` (HTTP 401: expired or revoked): forget
    /// it, so that the next [`token`](Self::token) gets a fresh one. The
    /// client calls it once before sending the refused request again.
    /// Providers of a fixed token keep the default, which does nothing.
    fn invalidate(&self, _token: &AccessToken) {}
}

/// The scopes an application chose for a provider, without repeats, in its
/// order (the order they are asked for in); none is an error, since a token
/// for no scope authorizes nothing.
#[cfg(any(feature = "yup-oauth2", feature = "adc", feature = "user-consent"))]
pub(crate) fn chosen_scopes(
    scopes: impl IntoIterator<Item = impl AsRef<str>>,
) -> Result<Vec<String>, TokenError> {
    let mut unique: Vec<String> = Vec::new();
    for scope in scopes {
        let scope = scope.as_ref();
        if !unique.iter().any(|s| s == scope) {
            unique.push(scope.to_owned());
        }
    }
    if unique.is_empty() {
        return Err(TokenError::new(
            "no OAuth scopes were chosen: a token needs at least one scope to authorize a call",
        ));
    }
    Ok(unique)
}

/// One provider shared by several clients (of one API or of several).
impl<T: TokenProvider + ?Sized> TokenProvider for std::sync::Arc<T> {
    fn token<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        (**self).token(scopes)
    }

    fn token_now(&self, scopes: &[&str]) -> Option<AccessToken> {
        (**self).token_now(scopes)
    }

    fn invalidate(&self, token: &AccessToken) {
        (**self).invalidate(token)
    }
}

/// A token the application obtained itself, used as is for every call.
#[derive(Clone)]
pub struct StaticToken {
    token: AccessToken,
}

impl StaticToken {
    /// Wraps `token`; see [`AccessToken::new`] for what is refused.
    pub fn new(token: impl Into<String>) -> Result<Self, TokenError> {
        Ok(Self {
            token: AccessToken::new(token)?,
        })
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticToken")
            .field("token", &self.token)
            .finish()
    }
}

impl TokenProvider for StaticToken {
    fn token<'a>(
        &'a self,
        _scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(std::future::ready(Ok(self.token.clone())))
    }

    fn token_now(&self, _scopes: &[&str]) -> Option<AccessToken> {
        Some(self.token.clone())
    }
}

/// A credential for one security scheme of the API other than OAuth scopes
/// (an API key, an HTTP bearer token or basic credentials), made by the
/// functions of the crate's `security` module and given to the client with
/// [`crate::ClientBuilder::credential`]. A call sends it when the method
/// accepts its scheme.
#[derive(Clone)]
pub struct Credential {
    scheme: &'static str,
    kind: CredentialKind,
}

#[derive(Clone)]
enum CredentialKind {
    ApiKey {
        place: KeyPlace,
        name: &'static str,
        value: String,
    },
    Bearer(AccessToken),
    Basic {
        user: String,
        password: String,
    },
}

/// Where an API key travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(hidden)]
pub enum KeyPlace {
    Header,
    Query,
    Cookie,
}

#[allow(dead_code)] // Each crate uses the constructors its schemes need.
impl Credential {
    /// An API key sent as `name` in `place`.
    #[doc(hidden)]
    pub fn api_key(
        scheme: &'static str,
        place: KeyPlace,
        name: &'static str,
        value: impl Into<String>,
    ) -> Result<Self, TokenError> {
        let value = value.into();
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
            return Err(TokenError::new(format!(
                "the API key for `{scheme}` is empty or has control characters"
            )));
        }
        Ok(Self {
            scheme,
            kind: CredentialKind::ApiKey { place, name, value },
        })
    }

    /// `Authorization: Bearer <token>`.
    #[doc(hidden)]
    pub fn bearer(scheme: &'static str, token: impl Into<String>) -> Result<Self, TokenError> {
        Ok(Self {
            scheme,
            kind: CredentialKind::Bearer(AccessToken::new(token)?),
        })
    }

    /// `Authorization: Basic <base64(user:password)>`.
    #[doc(hidden)]
    pub fn basic(
        scheme: &'static str,
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Result<Self, TokenError> {
        let user = user.into();
        if user.contains(':') {
            return Err(TokenError::new(format!(
                "the user name for `{scheme}` contains `:`, which basic credentials cannot carry"
            )));
        }
        Ok(Self {
            scheme,
            kind: CredentialKind::Basic {
                user,
                password: password.into(),
            },
        })
    }

    /// The security scheme it is for.
    pub fn scheme(&self) -> &'static str {
        self.scheme
    }

    /// Adds a query API key to `url`.
    #[doc(hidden)]
    pub fn add_to_url(&self, url: &mut String) {
        if let CredentialKind::ApiKey {
            place: KeyPlace::Query,
            name,
            value,
        } = &self.kind
        {
            url.push(if url.contains('?') { '&' } else { '?' });
            super::path::encode_segment(url, name);
            url.push('=');
            super::path::encode_segment(url, value);
        }
    }

    /// A cookie API key's `name=value` pair.
    #[doc(hidden)]
    pub fn cookie(&self) -> Option<String> {
        match &self.kind {
            CredentialKind::ApiKey {
                place: KeyPlace::Cookie,
                name,
                value,
            } => {
                let mut pair = String::new();
                super::path::encode_segment(&mut pair, name);
                pair.push('=');
                super::path::encode_segment(&mut pair, value);
                Some(pair)
            }
            _ => None,
        }
    }

    /// Adds a header API key, bearer token or basic credentials, marked
    /// sensitive, and a query API key's name as sensitive (its value is in
    /// the URL: see [`add_to_url`](Self::add_to_url)).
    #[doc(hidden)]
    pub fn add_to_request(&self, request: &mut super::transport::HttpRequest) {
        match &self.kind {
            CredentialKind::ApiKey {
                place: KeyPlace::Header,
                name,
                value,
            } => request.push_sensitive_header(name, value.clone()),
            CredentialKind::ApiKey {
                place: KeyPlace::Query,
                name,
                ..
            } => {
                self.add_to_url(request.url_mut());
                request.mark_sensitive(name);
            }
            CredentialKind::ApiKey { .. } => {}
            CredentialKind::Bearer(token) => {
                request.push_sensitive_header("authorization", format!("Bearer {}", token.secret()))
            }
            CredentialKind::Basic { user, password } => request.push_sensitive_header(
                "authorization",
                format!(
                    "Basic {}",
                    super::bytes::encode(format!("{user}:{password}").as_bytes())
                ),
            ),
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("scheme", &self.scheme)
            .field("secret", &"<redacted>")
            .finish()
    }
}
