//! A resumable upload's session as applications see it: its URL and the
//! bytes the server has confirmed ([`UploadSession`]), and the hook a call
//! reports it to. Below the client, which carries a call's hook.

use std::fmt;

/// Observes a resumable upload's session: called with it when it opens
/// and each time the server confirms bytes, so that an application can
/// keep the URL and resume the upload after a restart.
#[derive(Clone)]
#[doc(hidden)]
pub struct SessionHook(std::sync::Arc<dyn Fn(&UploadSession) + Send + Sync>);

impl SessionHook {
    /// A hook calling `hook`.
    pub fn new(hook: impl Fn(&UploadSession) + Send + Sync + 'static) -> Self {
        Self(std::sync::Arc::new(hook))
    }

    /// Tells the hook where the session stands.
    pub(crate) fn call(&self, session: &UploadSession) {
        (self.0)(session)
    }
}

impl fmt::Debug for SessionHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionHook")
    }
}

/// Where a resumable upload's session stands, as a call's
/// `on_upload_session` hook is told: its URL, to keep for
/// `resume_upload` after a restart, and the bytes the server has
/// confirmed.
///
/// The URL lets anyone who has it upload into the session, without
/// credentials: keep it as a secret. `Debug` hides its query.
#[derive(Clone, PartialEq, Eq)]
pub struct UploadSession {
    url: String,
    offset: u64,
    total: u64,
}

impl UploadSession {
    pub(crate) fn new(url: String, offset: u64, total: u64) -> Self {
        Self { url, offset, total }
    }

    /// The session URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bytes the server has confirmed, from the start of the content.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The content's length.
    pub fn total(&self) -> u64 {
        self.total
    }
}

impl fmt::Debug for UploadSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match self.url.split_once('?') {
            Some((base, _)) => format!("{base}?<redacted>"),
            None => self.url.clone(),
        };
        f.debug_struct("UploadSession")
            .field("url", &url)
            .field("offset", &self.offset)
            .field("total", &self.total)
            .finish()
    }
}
