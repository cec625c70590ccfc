//! Where an application keeps a user's refresh token between runs (cargo
//! feature `user-consent`): the [`TokenStore`] trait, and two stores, in
//! memory and in a JSON file.
//!
//! The application owns the storage: a refresh token is a long-lived
//! secret, and where it may live (a file, a database row, a keychain) is
//! the application's policy, not this crate's. The trait is async so a
//! store can be a network service.

use super::BoxFuture;
use super::auth::TokenError;
use super::refresh_token::{OAuthClient, RefreshTokenProvider};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// A user's refresh token and what is known of it: what a [`TokenStore`]
/// keeps.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredToken {
    refresh_token: String,
    /// The scopes the user granted, when the consent said.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    scopes: Vec<String>,
    /// The OAuth client the token belongs to: a token is useless with any
    /// other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
}

impl StoredToken {
    /// A refresh token, with nothing more known of it.
    pub fn new(refresh_token: impl Into<String>) -> Self {
        Self {
            refresh_token: refresh_token.into(),
            scopes: Vec::new(),
            client_id: None,
        }
    }

    /// The same, recording the scopes the user granted.
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The same, recording the OAuth client it belongs to.
    pub fn with_client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The refresh token (a secret).
    pub fn refresh_token(&self) -> &str {
        &self.refresh_token
    }

    /// The scopes the user granted, if known (empty otherwise).
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// The OAuth client's id, if known.
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }

    /// Whether the user granted `scope`, as far as is known: a token that
    /// records no scopes is taken to have them all.
    pub fn covers(&self, scope: &str) -> bool {
        self.scopes.is_empty() || self.scopes.iter().any(|s| s == scope)
    }

    /// A provider of access tokens from this refresh token and `client`,
    /// refused when the token records another client.
    pub fn provider(&self, client: OAuthClient) -> Result<RefreshTokenProvider, TokenError> {
        if let Some(id) = &self.client_id {
            if id != client.client_id() {
                return Err(TokenError::new(format!(
                    "the stored refresh token belongs to the OAuth client {id}, not {}",
                    client.client_id()
                )));
            }
        }
        Ok(
            RefreshTokenProvider::new(client, self.refresh_token.clone())?
                .with_granted(self.scopes.clone()),
        )
    }
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field("refresh_token", &"<redacted>")
            .field("scopes", &self.scopes)
            .field("client_id", &self.client_id)
            .finish()
    }
}

impl RefreshTokenProvider {
    /// What to keep to make this provider again in a later run.
    pub fn stored_token(&self) -> StoredToken {
        StoredToken::new(self.refresh_token())
            .with_scopes(self.granted_scopes().iter().cloned())
            .with_client_id(self.client().client_id())
    }
}

/// Storage for one user's refresh token, which the application controls.
pub trait TokenStore: Send + Sync {
    /// The stored token, or `None` when there is none yet.
    fn load(&self) -> BoxFuture<'_, Result<Option<StoredToken>, TokenError>>;

    /// Keeps `token`, replacing any earlier one.
    fn save<'a>(&'a self, token: &'a StoredToken) -> BoxFuture<'a, Result<(), TokenError>>;

    /// Forgets the token (after the user signed out, or it was revoked).
    fn clear(&self) -> BoxFuture<'_, Result<(), TokenError>>;
}

/// A store that keeps the token in memory, for one run (and for tests).
/// Clones share the token.
#[derive(Clone, Default)]
pub struct MemoryTokenStore {
    slot: Arc<Mutex<Option<StoredToken>>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<StoredToken>> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTokenStore")
            .field("holds_token", &self.slot().is_some())
            .finish()
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> BoxFuture<'_, Result<Option<StoredToken>, TokenError>> {
        Box::pin(std::future::ready(Ok(self.slot().clone())))
    }

    fn save<'a>(&'a self, token: &'a StoredToken) -> BoxFuture<'a, Result<(), TokenError>> {
        *self.slot() = Some(token.clone());
        Box::pin(std::future::ready(Ok(())))
    }

    fn clear(&self) -> BoxFuture<'_, Result<(), TokenError>> {
        *self.slot() = None;
        Box::pin(std::future::ready(Ok(())))
    }
}

/// A store that keeps the token in a JSON file.
///
/// The file is replaced atomically (written beside it, flushed to disk,
/// then renamed over it), so a crash never leaves half a token; on Unix it
/// is readable by its owner only (mode 0600) and a folder made for it is
/// 0700. On Windows it takes the folder's permissions: keep it in the
/// user's profile. The file is small, so it is read and written in place
/// rather than on a blocking thread.
#[derive(Clone, Debug)]
pub struct FileTokenStore {
    path: PathBuf,
}

/// Tells apart the temporary files of concurrent saves in one process.
static TEMPORARY: AtomicU64 = AtomicU64::new(0);

impl FileTokenStore {
    /// A store at `path` (which need not exist yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// Its file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn read(&self) -> Result<Option<StoredToken>, TokenError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(TokenError::with_source(
                    format!("could not read the token file {}", self.path.display()),
                    e,
                ));
            }
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            // serde's message can quote the file; its position cannot.
            TokenError::new(format!(
                "the token file {} is not a stored token (line {}, column {})",
                self.path.display(),
                e.line(),
                e.column()
            ))
        })
    }

    fn write(&self, token: &StoredToken) -> Result<(), TokenError> {
        let failed = |e: std::io::Error| {
            TokenError::with_source(
                format!("could not write the token file {}", self.path.display()),
                e,
            )
        };
        let mut text = serde_json::to_vec_pretty(token)
            .map_err(|e| TokenError::with_source("could not encode the token", e))?;
        text.push(b'\n');
        let dir = match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let name = self
            .path
            .file_name()
            .ok_or_else(|| {
                TokenError::new(format!(
                    "the token file {} names no file",
                    self.path.display()
                ))
            })?
            .to_string_lossy()
            .into_owned();
        private_dir(dir).map_err(failed)?;
        let temporary = dir.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            TEMPORARY.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut file = private_file(&temporary)?;
            file.write_all(&text)?;
            file.sync_all()?;
            drop(file);
            std::fs::rename(&temporary, &self.path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temporary);
            return Err(failed(e));
        }
        // The rename itself lasts once the folder is on disk; a platform
        // that cannot sync a folder has nothing more to offer.
        if let Ok(folder) = std::fs::File::open(dir) {
            let _ = folder.sync_all();
        }
        Ok(())
    }

    fn remove(&self) -> Result<(), TokenError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(TokenError::with_source(
                format!("could not remove the token file {}", self.path.display()),
                e,
            )),
        }
    }
}

impl TokenStore for FileTokenStore {
    fn load(&self) -> BoxFuture<'_, Result<Option<StoredToken>, TokenError>> {
        Box::pin(std::future::ready(self.read()))
    }

    fn save<'a>(&'a self, token: &'a StoredToken) -> BoxFuture<'a, Result<(), TokenError>> {
        Box::pin(std::future::ready(self.write(token)))
    }

    fn clear(&self) -> BoxFuture<'_, Result<(), TokenError>> {
        Box::pin(std::future::ready(self.remove()))
    }
}

/// A new file only its owner can read or write. `create_new` also refuses
/// to follow a link planted at the name.
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Makes `dir` and its missing parents, those it makes owner-only on Unix.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}
