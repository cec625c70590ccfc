//! Tokens minted by `yup-oauth2` (cargo feature `yup-oauth2`): a
//! [`TokenProvider`] over any yup-oauth2 `Authenticator`, with shortcuts for
//! a service-account key.
//!
//! The application chooses its scopes once; every call asks for exactly
//! those, so yup-oauth2 keeps a single cached token and refreshes it before
//! it expires. A call to a method that accepts none of the chosen scopes
//! fails before anything is sent: a token the method would refuse only
//! trades a clear local error for a `403` from the service.
//!
//! Secrets: the provider holds no key and no token itself (yup-oauth2 does),
//! and neither its `Debug` nor its errors show them. yup-oauth2 itself logs
//! token requests and responses at `debug` level through the `log` crate;
//! keep the `yup_oauth2` target below `debug` wherever logs are kept.

use super::BoxFuture;
use super::auth::{AccessToken, TokenError, TokenProvider, chosen_scopes as chosen};
use hyper_util::client::legacy::connect::Connect;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use yup_oauth2::authenticator::Authenticator;

/// How many of a method's accepted scopes an error names before it
/// summarizes the rest: some methods accept dozens.
const SCOPES_SHOWN: usize = 3;

/// A [`TokenProvider`] that gets tokens from a yup-oauth2 `Authenticator`
/// for the scopes the application chose.
///
/// Give it to [`ClientBuilder::token_provider`](super::client::ClientBuilder::token_provider).
/// Clones share the authenticator and its cached tokens.
#[derive(Clone)]
pub struct YupTokenProvider {
    authenticator: Arc<dyn Mint>,
    scopes: Vec<String>,
}

impl YupTokenProvider {
    /// Tokens from `authenticator` (any flow, any HTTP client), always for
    /// exactly `scopes`. An empty list is refused: a token for no scope
    /// authorizes nothing.
    pub fn new<C>(
        authenticator: Authenticator<C>,
        scopes: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Result<Self, TokenError>
    where
        C: Connect + Clone + Send + Sync + 'static,
    {
        Ok(Self {
            scopes: chosen(scopes)?,
            authenticator: Arc::new(authenticator),
        })
    }

    /// Tokens for `scopes` from a service-account key, through yup-oauth2's
    /// default HTTPS client: rustls, trusting the system's root
    /// certificates, which it loads here. Fails when the private key cannot
    /// be read or no root certificate is found; for other trust settings or
    /// a proxy, build the `Authenticator` with your own client and use
    /// [`new`](Self::new).
    pub async fn from_service_account_key(
        key: yup_oauth2::ServiceAccountKey,
        scopes: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Result<Self, TokenError> {
        // Scopes first: a useless provider should not cost a key parse.
        let scopes = chosen(scopes)?;
        let authenticator = yup_oauth2::ServiceAccountAuthenticator::builder(key)
            .build()
            .await
            // yup-oauth2's messages here name what failed ("Error reading
            // key from PEM", "no native root CA certificates found"), never
            // the key.
            .map_err(|e| {
                TokenError::with_source(
                    "could not set up the service-account authenticator \
                     (its private key, or the system's root certificates)",
                    e,
                )
            })?;
        Self::new(authenticator, scopes)
    }

    /// Like [`from_service_account_key`](Self::from_service_account_key),
    /// reading the key from a JSON key file as the Cloud console downloads it.
    pub async fn from_service_account_key_file(
        path: impl AsRef<Path>,
        scopes: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Result<Self, TokenError> {
        let scopes = chosen(scopes)?;
        let path = path.as_ref();
        let key = yup_oauth2::read_service_account_key(path)
            .await
            .map_err(|e| {
                TokenError::with_source(
                    format!(
                        "could not read the service-account key file {}",
                        path.display()
                    ),
                    e,
                )
            })?;
        Self::from_service_account_key(key, scopes).await
    }

    /// The scopes every token is asked for.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }
}

impl fmt::Debug for YupTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The authenticator holds the key and the cached tokens: not shown.
        f.debug_struct("YupTokenProvider")
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl TokenProvider for YupTokenProvider {
    fn token<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(async move {
            // A method that lists no scopes says nothing to check against;
            // it gets the chosen scopes' token like every other call.
            if !scopes.is_empty() && !self.scopes.iter().any(|s| scopes.contains(&s.as_str())) {
                return Err(TokenError::new(format!(
                    "none of the chosen scopes ({}) authorizes this method, which accepts {}",
                    list(&self.scopes, self.scopes.len()),
                    accepted(scopes),
                )));
            }
            let token = self
                .authenticator
                .mint(&self.scopes)
                .await
                .map_err(|e| TokenError::with_source(failure(&e), e))?;
            match token.token() {
                Some(token) => AccessToken::new(token),
                None => Err(TokenError::new(
                    "the OAuth token endpoint answered without an access token",
                )),
            }
        })
    }
}

/// An `Authenticator` of any connector, behind one type: the provider's
/// type does not depend on the HTTP client the application chose.
trait Mint: Send + Sync {
    fn mint<'a>(
        &'a self,
        scopes: &'a [String],
    ) -> BoxFuture<'a, Result<yup_oauth2::AccessToken, yup_oauth2::Error>>;
}

impl<C> Mint for Authenticator<C>
where
    C: Connect + Clone + Send + Sync + 'static,
{
    fn mint<'a>(
        &'a self,
        scopes: &'a [String],
    ) -> BoxFuture<'a, Result<yup_oauth2::AccessToken, yup_oauth2::Error>> {
        Box::pin(self.token(scopes))
    }
}

/// A method's accepted scopes, briefly.
fn accepted(scopes: &[&str]) -> String {
    match scopes {
        [one] => (*one).to_owned(),
        _ => format!("any of {}", list(scopes, SCOPES_SHOWN)),
    }
}

/// Up to `shown` scope URLs, then how many more there are.
fn list(scopes: &[impl AsRef<str>], shown: usize) -> String {
    let mut text = scopes
        .iter()
        .take(shown)
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ");
    if scopes.len() > shown {
        text.push_str(&format!(" and {} more", scopes.len() - shown));
    }
    text
}

/// What went wrong, in words that hold no secret: the OAuth error code the
/// token endpoint sent (`invalid_grant`; not its free-text description), or
/// the kind of failure. The details stay in the source, for `Debug`.
pub(crate) fn failure(error: &yup_oauth2::Error) -> String {
    use yup_oauth2::Error as E;
    match error {
        E::AuthError(e) => format!(
            "the OAuth token endpoint refused the request ({})",
            e.error.as_str()
        ),
        E::HttpError(_) | E::HttpClientError(_) => {
            "could not reach the OAuth token endpoint".to_owned()
        }
        E::JSONError(_) | E::MissingAccessToken => {
            "the OAuth token endpoint's answer was not a token".to_owned()
        }
        _ => "could not get a token from yup-oauth2".to_owned(),
    }
}
