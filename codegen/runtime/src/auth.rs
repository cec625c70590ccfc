//! Credentials: the token-provider trait the client asks before every call,
//! and a provider for a token the application already has.
//!
//! Tokens are secrets: they are sent only in the `Authorization` header
//! (marked sensitive), and `Debug` output shows `<redacted>` instead.

use super::BoxFuture;
use crate::Scope;
use std::fmt;

/// An OAuth 2.0 access token, and the project its calls are billed to when
/// that is not the credential's own (the quota project).
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    token: String,
    quota_project: Option<String>,
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
            token,
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
        self.quota_project = (!project.is_empty()).then_some(project);
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
    fn token<'a>(&'a self, scopes: &'a [Scope]) -> BoxFuture<'a, Result<AccessToken, TokenError>>;

    /// The server refused this token (HTTP 401): forget it, so the next
    /// [`token`](Self::token) call fetches a fresh one. Providers that cache
    /// tokens implement it; the default does nothing.
    fn invalidate(&self, _token: &AccessToken) {}
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
    fn token<'a>(&'a self, _scopes: &'a [Scope]) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(std::future::ready(Ok(self.token.clone())))
    }
}

/// A token provider's failure.
#[derive(Debug)]
pub struct TokenError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TokenError {
    /// An error with a message. It must not contain the token.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// An error caused by another one, such as a failed refresh request.
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
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
pub(crate) enum KeyPlace {
    Header,
    Query,
    Cookie,
}

#[allow(dead_code)] // Each crate uses the constructors its schemes need.
impl Credential {
    /// An API key sent as `name` in `place`.
    pub(crate) fn api_key(
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
    pub(crate) fn bearer(scheme: &'static str, token: impl Into<String>) -> Result<Self, TokenError> {
        Ok(Self {
            scheme,
            kind: CredentialKind::Bearer(AccessToken::new(token)?),
        })
    }

    /// `Authorization: Basic <base64(user:password)>`.
    pub(crate) fn basic(
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
    pub(crate) fn add_to_url(&self, url: &mut String) {
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
    pub(crate) fn cookie(&self) -> Option<String> {
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

    /// Adds a header API key, bearer token or basic credentials, marked sensitive.
    pub(crate) fn add_to_headers(
        &self,
        builder: reqwest::RequestBuilder,
    ) -> reqwest::RequestBuilder {
        match &self.kind {
            CredentialKind::ApiKey {
                place: KeyPlace::Header,
                name,
                value,
            } => match reqwest::header::HeaderValue::from_str(value) {
                Ok(mut header) => {
                    header.set_sensitive(true);
                    builder.header(*name, header)
                }
                // Refused when the credential was made.
                Err(_) => builder,
            },
            CredentialKind::ApiKey { .. } => builder,
            CredentialKind::Bearer(token) => builder.bearer_auth(token.secret()),
            CredentialKind::Basic { user, password } => builder.basic_auth(user, Some(password)),
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
