//! One cached access token, refreshed before it expires by a single caller
//! while the others wait for it: what every minting provider shares.
//!
//! Two locks, each for its own reason: the token sits behind a plain mutex
//! held only to read or swap it, so [`TokenCache::invalidate`] (which is not
//! async) can always clear it; fetching is serialized by an async mutex, so
//! callers that find no fresh token wait for the one fetch in flight rather
//! than each asking the token endpoint.

use super::auth::{AccessToken, TokenError};
use std::future::Future;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long before its expiry a token is replaced: a call started just
/// before the deadline must not reach the server just after it.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// How long a token whose lifetime the endpoint did not say is reused.
/// Google always says (`expires_in`); this only bounds the damage of an
/// endpoint that does not.
const UNKNOWN_LIFETIME: Duration = Duration::from_secs(300);

/// A token just fetched, with the lifetime the endpoint gave it.
pub(crate) struct Fresh {
    pub(crate) token: AccessToken,
    pub(crate) lifetime: Option<Duration>,
}

struct Cached {
    token: AccessToken,
    /// When to fetch the next one (expiry less the margin).
    refresh_at: Instant,
}

/// A token shared by every clone of a provider.
#[derive(Default)]
pub(crate) struct TokenCache {
    slot: Mutex<Option<Cached>>,
    fetching: tokio::sync::Mutex<()>,
}

impl TokenCache {
    /// The cached token while it is fresh; else one from `fetch`, run by
    /// one caller at a time. A failure is not cached: the next call asks
    /// again.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<AccessToken, TokenError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Fresh, TokenError>>,
    {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let _gate = self.fetching.lock().await;
        // Whoever held the gate before may have fetched it.
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let fresh = fetch().await?;
        let lifetime = fresh.lifetime.unwrap_or(UNKNOWN_LIFETIME);
        // A lifetime within the margin is used once, never cached.
        let refresh_at = Instant::now() + lifetime.saturating_sub(REFRESH_MARGIN);
        *self.slot() = Some(Cached {
            token: fresh.token.clone(),
            refresh_at,
        });
        Ok(fresh.token)
    }

    /// Forgets `token` if it is the cached one (and not a newer one that
    /// another caller already fetched). Only the secret is compared: the
    /// caller may hold it with another quota project.
    pub(crate) fn invalidate(&self, token: &AccessToken) {
        let mut slot = self.slot();
        if slot
            .as_ref()
            .is_some_and(|c| c.token.secret() == token.secret())
        {
            *slot = None;
        }
    }

    /// Seeds the cache with a token obtained another way (the first token of
    /// a code exchange), so its first use costs no refresh.
    #[cfg(feature = "user-consent")]
    pub(crate) fn seed(&self, fresh: Fresh) {
        let lifetime = fresh.lifetime.unwrap_or(UNKNOWN_LIFETIME);
        *self.slot() = Some(Cached {
            token: fresh.token,
            refresh_at: Instant::now() + lifetime.saturating_sub(REFRESH_MARGIN),
        });
    }

    pub(crate) fn fresh(&self) -> Option<AccessToken> {
        self.slot()
            .as_ref()
            .filter(|c| Instant::now() < c.refresh_at)
            .map(|c| c.token.clone())
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Cached>> {
        // A panic while holding it cannot leave a half-written token.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
