//! Credentials: the token-provider trait the client asks before every call,
//! and a provider for a token the application already has.
//!
//! Tokens are secrets: they are sent only in the `Authorization` header
//! (marked sensitive), and `Debug` output shows `<redacted>` instead.

use super::BoxFuture;
use crate::Scope;
use std::fmt;

/// An OAuth 2.0 access token.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

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
        Ok(Self(token))
    }

    /// The token itself, to put on the wire.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
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
