//! Media: downloading a resource's content (`alt=media`) as a stream of
//! chunks, and uploading content in one request or in a resumable session.
//!
//! Uploads follow Google's media upload protocols: `uploadType=media` (the
//! content alone), `uploadType=multipart` (JSON metadata and content in one
//! `multipart/related` body) and `uploadType=resumable` (a session URL from
//! the first request, then the content in chunks, resuming where the
//! server says it stopped).
//!
//! Both survive failures: a resumable upload reads its source (memory, a
//! file, a stream, a reader) a chunk at a time and holds what the server
//! has not confirmed, so it can resend from any offset the server names,
//! and its session can be resumed after a restart; a download whose stream
//! breaks asks for the rest with `Range`, checking it is the same version.

use super::BoxFuture;
use super::client::{
    Attempt, CallPlan, Client, HttpRequest, Progress, Request, Security, wait_to_retry,
};
use super::error::{Error, MediaError, Result, TimeoutError, TimeoutKind};
use super::transport::{HttpResponse, TransportError, TransportErrorKind};
pub use super::upload_session::{SessionHook, UploadSession};
use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

/// Content to upload, with its MIME type: bytes in memory ([`Media::new`]),
/// a file ([`Media::from_file`]), or a stream or reader of known length
/// ([`Media::from_stream`], [`Media::from_reader`]).
///
/// `upload` (one request) takes content in memory only: its request is
/// sent, and maybe resent, whole. `upload_resumable` takes any source and
/// reads it a chunk at a time, holding in memory only the chunk the server
/// has not confirmed yet, so a file of any size uploads in bounded memory.
///
/// Not `Clone`: a stream or reader can be read once.
pub struct Media {
    source: Source,
    len: u64,
    content_type: String,
}

/// Where the content comes from.
enum Source {
    Memory(::bytes::Bytes),
    /// Read with `std::fs` on tokio's blocking threads; `None` while a read
    /// has it.
    File(Option<std::fs::File>),
    Stream(Pin<Box<dyn futures_core::Stream<Item = io::Result<::bytes::Bytes>> + Send>>),
    Reader(Pin<Box<dyn tokio::io::AsyncRead + Send>>),
}

impl Media {
    /// `data` of type `content_type`, such as `image/png`.
    pub fn new(data: impl Into<::bytes::Bytes>, content_type: impl Into<String>) -> Self {
        let data = data.into();
        Self {
            len: data.len() as u64,
            source: Source::Memory(data),
            content_type: content_type.into(),
        }
    }

    /// The file at `path`, of type `content_type`: its length is taken now,
    /// its content read chunk by chunk as a resumable upload sends it. The
    /// file must not change until the upload ends.
    pub fn from_file(
        path: impl AsRef<std::path::Path>,
        content_type: impl Into<String>,
    ) -> io::Result<Self> {
        // Opening and `stat` are quick local calls; the reads, which may be
        // large, run on the blocking threads.
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        Ok(Self {
            source: Source::File(Some(file)),
            len,
            content_type: content_type.into(),
        })
    }

    /// The `len` bytes that `stream` gives, of type `content_type`. A
    /// stream that ends before `len` bytes, or goes on after them, fails
    /// the upload.
    pub fn from_stream(
        len: u64,
        content_type: impl Into<String>,
        stream: impl futures_core::Stream<Item = io::Result<::bytes::Bytes>> + Send + 'static,
    ) -> Self {
        Self {
            source: Source::Stream(Box::pin(stream)),
            len,
            content_type: content_type.into(),
        }
    }

    /// The `len` bytes that `reader` gives, of type `content_type` (any
    /// `tokio::io::AsyncRead`: a `tokio::fs::File`, a socket, a pipe). A
    /// reader that ends before `len` bytes, or goes on after them, fails
    /// the upload.
    pub fn from_reader(
        len: u64,
        content_type: impl Into<String>,
        reader: impl tokio::io::AsyncRead + Send + 'static,
    ) -> Self {
        Self {
            source: Source::Reader(Box::pin(reader)),
            len,
            content_type: content_type.into(),
        }
    }

    /// The content, when it is in memory.
    pub fn data(&self) -> Option<&[u8]> {
        match &self.source {
            Source::Memory(data) => Some(data),
            _ => None,
        }
    }

    /// The content's length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the content is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The MIME type.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }
}

impl fmt::Debug for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match self.source {
            Source::Memory(_) => "memory",
            Source::File(_) => "file",
            Source::Stream(_) => "stream",
            Source::Reader(_) => "reader",
        };
        f.debug_struct("Media")
            .field("source", &source)
            .field("len", &self.len)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// What a method accepts, from its `mediaUpload` description.
#[doc(hidden)]
pub struct UploadLimits {
    /// MIME type ranges such as `image/*`; empty when any type is accepted.
    pub accept: &'static [&'static str],
    /// The largest upload in bytes.
    pub max_size: Option<u64>,
}

impl UploadLimits {
    fn check(&self, media: &Media) -> Result<()> {
        let fail = |message: String| Err(Error::Media(MediaError::new(message)));
        // It becomes a header line: a line break would forge headers.
        if media.content_type.is_empty() || media.content_type.chars().any(char::is_control) {
            return fail(format!(
                "content type {:?} is empty or has control characters",
                media.content_type
            ));
        }
        let size = media.len;
        if let Some(max) = self.max_size.filter(|max| size > *max) {
            return fail(format!(
                "the content is {size} bytes; this method accepts at most {max}"
            ));
        }
        if !self.accept.is_empty()
            && !self
                .accept
                .iter()
                .any(|r| mime_matches(r, &media.content_type))
        {
            return fail(format!(
                "content type {:?} is not accepted; expected one of {}",
                media.content_type,
                self.accept.join(", ")
            ));
        }
        Ok(())
    }
}

/// Whether `content_type` (parameters ignored) falls in `range` (`*/*`, `image/*`, `image/png`).
fn mime_matches(range: &str, content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    let (kind, subtype) = essence.split_once('/').unwrap_or((essence, ""));
    let (range_kind, range_subtype) = range.split_once('/').unwrap_or((range, ""));
    (range_kind == "*" || range_kind.eq_ignore_ascii_case(kind))
        && (range_subtype == "*" || range_subtype.eq_ignore_ascii_case(subtype))
}

/// The size of each request of a resumable upload: a multiple of 256 KiB,
/// as the protocol requires of every chunk but the last.
pub const RESUMABLE_CHUNK_BYTES: usize = 8 * 1024 * 1024;

impl Client {
    /// Uploads in one request: the content alone, or with the JSON metadata
    /// of `request.body` as a `multipart/related` body. Retried like any
    /// call: only when it may be sent twice (its verb, or `.idempotent()`).
    ///
    /// Only content in memory: the request is built whole and may be sent
    /// again. A file or stream is refused before anything is sent, with an
    /// error that points to `upload_resumable`, which reads it in chunks.
    #[doc(hidden)]
    pub async fn upload_simple(
        &self,
        mut request: Request,
        limits: &UploadLimits,
        media: Media,
    ) -> Result<Vec<u8>> {
        limits.check(&media)?;
        let Source::Memory(data) = &media.source else {
            return Err(media_error(
                "`upload` sends the content in one request, from memory; this content is a \
                 file, stream or reader: use `upload_resumable`, which reads it chunk by chunk",
            ));
        };
        let metadata = request.body.take();
        let upload_type = if metadata.is_some() {
            "multipart"
        } else {
            "media"
        };
        request.query.push("uploadType", upload_type);
        let plan = self.call_plan(&request, None)?;
        let mut http = self.prepare(&request);
        match metadata {
            Some(json) => {
                let boundary = boundary_for(&json, data);
                http.push_header(
                    "content-type",
                    format!("multipart/related; boundary={boundary}"),
                );
                http.set_body(multipart_body(&boundary, &json, &media.content_type, data));
            }
            None => {
                http.push_header("content-type", media.content_type.clone());
                http.set_body(data.clone());
            }
        }
        let request = &request;
        self.send_retried(&plan, |attempt| {
            // The body is `Bytes`: each attempt shares it, none copies it.
            let http = http.clone();
            async move {
                let response = self
                    .dispatch(http, request.scopes, request.security)
                    .await?;
                attempt.record_status(&response);
                self.read_success(response).await
            }
        })
        .await
    }

    /// Uploads in a resumable session: the first request sends the metadata
    /// and gets the session URL, then the content goes in chunks of
    /// [`RESUMABLE_CHUNK_BYTES`], each resuming where the server says the
    /// previous one ended. The total timeout covers the whole upload. The
    /// call's session hook hears of the session when it opens and each
    /// time the server confirms bytes.
    #[doc(hidden)]
    pub async fn upload_resumable(
        &self,
        mut request: Request,
        limits: &UploadLimits,
        media: Media,
    ) -> Result<Vec<u8>> {
        limits.check(&media)?;
        request.query.push("uploadType", "resumable");
        // Opening a session stores nothing (an unused one expires), so it
        // may be sent twice whatever the verb, unless the call says not.
        let plan = self.call_plan(&request, Some(true))?;
        let progress = Progress::default();
        let upload = async {
            let url = self
                .open_session(&plan, &progress, &request, &media)
                .await?;
            let mut session = Session::new(&request, url, media);
            session.report(0);
            self.send_chunks(&plan, &progress, &mut session, Some(0))
                .await
        };
        self.run_call(&plan, &progress, upload).await
    }

    /// Goes on with the resumable upload session at `session_url` (one an
    /// earlier upload of the same content opened, as its session hook
    /// told): asks the server where it stands (`Content-Range: bytes
    /// */TOTAL`), then sends the rest. `media` is the whole content from
    /// its first byte; what the server already has is skipped (a file is
    /// sought, a stream read past).
    #[doc(hidden)]
    pub async fn resume_upload(
        &self,
        request: Request,
        limits: &UploadLimits,
        session_url: &str,
        media: Media,
    ) -> Result<Vec<u8>> {
        limits.check(&media)?;
        let url = reqwest::Url::parse(session_url)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| media_error("the upload session URL is not an absolute http(s) URL"))?;
        let plan = self.call_plan(&request, Some(true))?;
        let progress = Progress::default();
        let mut session = Session::new(&request, url.into(), media);
        let upload = self.send_chunks(&plan, &progress, &mut session, None);
        self.run_call(&plan, &progress, upload).await
    }

    /// Opens the upload session, retried as the plan allows: its URL.
    async fn open_session(
        &self,
        plan: &CallPlan,
        progress: &Progress,
        request: &Request,
        media: &Media,
    ) -> Result<String> {
        let mut start = self.prepare(request);
        let start_url = start.url().to_owned();
        start.push_header("x-upload-content-type", media.content_type.clone());
        start.push_header("x-upload-content-length", media.len.to_string());
        if request.body.is_none() {
            start.set_body(Vec::new());
        }
        let location = self
            .retry_attempts(plan, progress, plan.idempotent, |attempt| {
                let start = start.clone();
                async move {
                    let response = self
                        .dispatch(start, request.scopes, request.security)
                        .await?;
                    attempt.record_status(&response);
                    let location = response.header("location").map(str::to_owned);
                    self.read_success(response).await?;
                    Ok(location)
                }
            })
            .await?;
        let session = location.ok_or_else(|| {
            media_error("the server started no upload session (no Location header)")
        })?;
        // A relative `Location` is relative to the URL that answered.
        reqwest::Url::parse(&start_url)
            .and_then(|base| base.join(&session))
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .map(String::from)
            .ok_or_else(|| media_error("the server's upload session URL is not an http(s) URL"))
    }

    /// Sends the content to the session, chunk after chunk from wherever
    /// the server says it stands, until it answers with the final response.
    /// `offset` is where to start, `None` to ask the server first.
    async fn send_chunks(
        &self,
        plan: &CallPlan,
        progress: &Progress,
        session: &mut Session<'_>,
        mut offset: Option<u64>,
    ) -> Result<Vec<u8>> {
        let total = session.content.total;
        // Every chunk twice, and a few status queries, is as far as a
        // server that keeps moving the offset back is followed.
        let rounds = 2 * total.div_ceil(RESUMABLE_CHUNK_BYTES as u64) + 8;
        for _ in 0..rounds {
            let request = match offset {
                None => session.status_query(),
                Some(offset) => session.chunk(offset).await?,
            };
            match self.send_chunk(plan, progress, session, request).await? {
                Sent::Finished(body) => return Ok(body),
                Sent::Resume(received) => {
                    session.report(received);
                    offset = Some(received);
                }
            }
        }
        Err(media_error(&format!(
            "the upload session did not finish after {rounds} answers asking for more \
             (at byte {} of {total})",
            offset.unwrap_or(0)
        )))
    }

    /// Sends `request` (a chunk, or a status query). After a retryable
    /// failure it waits as the policy says, then asks the server where it
    /// stands (`bytes */total`), again until it answers: the protocol's way
    /// to resume, safe whatever the verb, since the server keeps the
    /// content by offset.
    async fn send_chunk(
        &self,
        plan: &CallPlan,
        progress: &Progress,
        session: &Session<'_>,
        mut request: HttpRequest,
    ) -> Result<Sent> {
        let started = Instant::now();
        let mut tries = 1;
        loop {
            let error = match self
                .attempt(plan, progress, |attempt| {
                    self.put_chunk(session, request.clone(), attempt)
                })
                .await
            {
                Ok(sent) => return Ok(sent),
                Err(error) => error,
            };
            let Some(delay) = plan.retry_delay(&error, true, tries, started) else {
                return Err(error);
            };
            wait_to_retry(progress, delay, &error).await;
            request = session.status_query();
            tries += 1;
        }
    }

    /// One request to the session, and what its answer means.
    async fn put_chunk(
        &self,
        session: &Session<'_>,
        chunk: HttpRequest,
        attempt: Attempt,
    ) -> Result<Sent> {
        // The session URL is the server's: `dispatch` sends credentials
        // only if it is under the configured endpoint.
        let response = self.dispatch(chunk, session.scopes, None).await?;
        attempt.record_status(&response);
        // 308 "Resume Incomplete": the server has a prefix of the content.
        if response.status() != 308 {
            return self.read_success(response).await.map(Sent::Finished);
        }
        // No `Range`: the server has nothing yet.
        let received = match response.header("range") {
            None => 0,
            Some(range) => received_bytes(range).ok_or_else(|| {
                media_error(&format!(
                    "the server's Range header {range:?} is not bytes=0-N"
                ))
            })?,
        };
        self.read_limited(response).await?;
        let total = session.content.total;
        if received > total {
            return Err(media_error(&format!(
                "the server says it received {received} bytes of {total}"
            )));
        }
        Ok(Sent::Resume(received))
    }

    /// Sends a request for content as it is (the emitted call adds
    /// `alt=media` and the download prefix when it asks for the media) and
    /// returns the content as a stream, or the error its status means.
    ///
    /// Getting the response (up to headers with a success status) is
    /// retried as the call's plan allows, each attempt within the attempt
    /// timeout, all within the total timeout. Reading the stream is timed
    /// by the read-idle timeout; a stream that breaks resumes from the byte
    /// it reached (see [`Download`]).
    #[doc(hidden)]
    pub async fn download(&self, request: Request) -> Result<Download> {
        let plan = self.call_plan(&request, None)?;
        let http = self.prepare(&request);
        let progress = Progress::default();
        let http_ref = &http;
        let request_ref = &request;
        let attempts = self.retry_attempts(&plan, &progress, plan.idempotent, |attempt| {
            let http = http_ref.clone();
            async move {
                let response = self
                    .dispatch(http, request_ref.scopes, request_ref.security)
                    .await?;
                attempt.record_status(&response);
                if !(200..300).contains(&response.status()) {
                    return Err(self.read_error(response).await);
                }
                Ok(response)
            }
        });
        let response = self.run_call(&plan, &progress, attempts).await?;
        Ok(Download::new(Resumer {
            client: self.clone(),
            request: http,
            scopes: request.scopes,
            security: request.security,
            validators: Validators::of(&response),
            total: response.content_length(),
            response: Some(response),
            plan,
            progress,
            offset: 0,
            skip: 0,
            failures: 0,
            failing_since: Instant::now(),
        }))
    }
}

/// An open upload session and what goes into it.
struct Session<'a> {
    method_id: &'static str,
    url: String,
    scopes: &'static [&'static str],
    hook: Option<&'a SessionHook>,
    content: Content,
}

impl<'a> Session<'a> {
    fn new(request: &'a Request, url: String, media: Media) -> Self {
        Self {
            method_id: request.method_id,
            url,
            scopes: request.scopes,
            hook: request.options.on_upload_session.as_ref(),
            content: Content::new(media),
        }
    }

    /// Tells the hook that the server has `offset` bytes.
    fn report(&self, offset: u64) {
        if let Some(hook) = self.hook {
            hook.call(&UploadSession::new(
                self.url.clone(),
                offset,
                self.content.total,
            ));
        }
    }

    /// The empty request that asks the server where it stands (and makes a
    /// server that has every byte finish): `Content-Range: bytes */TOTAL`.
    fn status_query(&self) -> HttpRequest {
        self.put(
            format!("bytes */{}", self.content.total),
            ::bytes::Bytes::new(),
        )
    }

    /// The request that sends the content from `offset`; at the end of the
    /// content, the [status query](Self::status_query).
    async fn chunk(&mut self, offset: u64) -> Result<HttpRequest> {
        let total = self.content.total;
        if offset >= total {
            return Ok(self.status_query());
        }
        let body = self.content.chunk_at(offset).await?;
        let last = offset + body.len() as u64 - 1;
        Ok(self.put(format!("bytes {offset}-{last}/{total}"), body))
    }

    fn put(&self, range: String, body: ::bytes::Bytes) -> HttpRequest {
        HttpRequest::new(
            self.method_id,
            reqwest::Method::PUT,
            self.url.clone(),
            vec![("content-range".into(), range.into())],
            Some(body),
        )
    }
}

/// The content of a resumable upload, read chunk by chunk. Whatever has
/// been read but not confirmed by the server is held, so that a chunk the
/// server kept only part of (or none of) can be sent again from the byte
/// it asks for; bytes are released once the server confirms them.
struct Content {
    source: Source,
    total: u64,
    /// Bytes read and not yet confirmed: those from `held_from` on.
    held: ::bytes::Bytes,
    held_from: u64,
    /// Whether the source was checked to end at `total`.
    checked_end: bool,
    /// The part of a stream's item not read yet.
    unread: ::bytes::Bytes,
}

/// The most read from a stream or reader at once, before it is appended
/// to the chunk being assembled.
const READ_BYTES: usize = 1024 * 1024;

impl Content {
    fn new(media: Media) -> Self {
        Self {
            source: media.source,
            total: media.len,
            held: ::bytes::Bytes::new(),
            held_from: 0,
            checked_end: false,
            unread: ::bytes::Bytes::new(),
        }
    }

    /// The chunk from `offset` (below `total`): up to
    /// [`RESUMABLE_CHUNK_BYTES`]. Bytes before `offset` are the server's
    /// and are released.
    async fn chunk_at(&mut self, offset: u64) -> Result<::bytes::Bytes> {
        let end = (offset + RESUMABLE_CHUNK_BYTES as u64).min(self.total);
        let want = (end - offset) as usize;
        if let Source::Memory(data) = &self.source {
            // A slice of `Bytes` shares the content: nothing is copied.
            return Ok(data.slice(offset as usize..end as usize));
        }
        let read_to = self.held_from + self.held.len() as u64;
        if offset < self.held_from {
            // The server lost bytes it had confirmed: a file can be read
            // again; a stream's bytes are gone.
            if !matches!(self.source, Source::File(_)) {
                return Err(media_error(&format!(
                    "the server asks for the content from byte {offset}, but it had confirmed \
                     bytes up to {} and a stream cannot be read again",
                    self.held_from
                )));
            }
            self.seek_file(offset).await?;
        } else if offset >= read_to {
            // Resuming a session: what the server has is skipped.
            self.held = ::bytes::Bytes::new();
            self.held_from = read_to;
            self.skip(offset - read_to).await?;
        } else {
            self.held = self.held.slice((offset - self.held_from) as usize..);
            self.held_from = offset;
        }
        if self.held.len() < want {
            let mut chunk = ::bytes::BytesMut::with_capacity(want);
            chunk.extend_from_slice(&self.held);
            while chunk.len() < want {
                let more = self.read(want - chunk.len()).await?;
                if more.is_empty() {
                    return Err(media_error(&format!(
                        "the content ended after {} bytes, short of the length it was given ({})",
                        offset + chunk.len() as u64,
                        self.total
                    )));
                }
                chunk.extend_from_slice(&more);
            }
            self.held = chunk.freeze();
        }
        if end == self.total && !self.checked_end {
            // A source longer than it said would upload a truncated copy.
            if !self.read(1).await?.is_empty() {
                return Err(media_error(&format!(
                    "the content goes on past the length it was given ({})",
                    self.total
                )));
            }
            self.checked_end = true;
        }
        Ok(self.held.slice(..want))
    }

    /// Reads and drops `count` bytes (a file is sought instead).
    async fn skip(&mut self, count: u64) -> Result<()> {
        if matches!(self.source, Source::File(_)) {
            return self.seek_file(self.held_from + count).await;
        }
        let mut left = count;
        while left > 0 {
            let read = self.read(left.min(READ_BYTES as u64) as usize).await?;
            if read.is_empty() {
                return Err(media_error(&format!(
                    "the content ended before byte {}, where the upload resumes",
                    self.held_from + count
                )));
            }
            left -= read.len() as u64;
        }
        self.held_from += count;
        Ok(())
    }

    /// Positions a file source at `offset`, dropping what is held.
    async fn seek_file(&mut self, offset: u64) -> Result<()> {
        use std::io::Seek;
        self.blocking_file(move |file| file.seek(io::SeekFrom::Start(offset)).map(drop))
            .await?;
        self.held = ::bytes::Bytes::new();
        self.held_from = offset;
        Ok(())
    }

    /// Runs `work` on the file source on tokio's blocking threads, so that
    /// a slow disk or network file system never stalls the async threads.
    async fn blocking_file<T: Send + 'static>(
        &mut self,
        work: impl FnOnce(&mut std::fs::File) -> io::Result<T> + Send + 'static,
    ) -> Result<T> {
        let Source::File(slot) = &mut self.source else {
            unreachable!("only called for a file source");
        };
        let mut file = slot
            .take()
            .ok_or_else(|| media_error("the file to upload was lost by an earlier failed read"))?;
        let (file, result) = tokio::task::spawn_blocking(move || {
            let result = work(&mut file);
            (file, result)
        })
        .await
        .map_err(|e| media_error(&format!("reading the file to upload failed: {e}")))?;
        *slot = Some(file);
        result.map_err(|e| media_error(&format!("reading the content to upload failed: {e}")))
    }

    /// Up to `max` (more than zero) next bytes of the source; empty at its end.
    async fn read(&mut self, max: usize) -> Result<::bytes::Bytes> {
        let read_error =
            |e: io::Error| media_error(&format!("reading the content to upload failed: {e}"));
        match &mut self.source {
            Source::Memory(_) => unreachable!("memory is sliced, not read"),
            Source::File(_) => {
                self.blocking_file(move |file| {
                    use std::io::Read;
                    let mut buffer = vec![0; max];
                    let mut filled = 0;
                    // `read` may return less than asked: fill the chunk.
                    while filled < max {
                        match file.read(&mut buffer[filled..]) {
                            Ok(0) => break,
                            Ok(n) => filled += n,
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                            Err(e) => return Err(e),
                        }
                    }
                    buffer.truncate(filled);
                    Ok(::bytes::Bytes::from(buffer))
                })
                .await
            }
            Source::Stream(stream) => {
                // An empty item is not the end: only `None` is.
                while self.unread.is_empty() {
                    let item = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await;
                    match item {
                        None => return Ok(::bytes::Bytes::new()),
                        Some(Err(e)) => return Err(read_error(e)),
                        Some(Ok(bytes)) => self.unread = bytes,
                    }
                }
                // An item may be larger than asked for: the rest waits.
                let take = max.min(self.unread.len());
                Ok(self.unread.split_to(take))
            }
            Source::Reader(reader) => {
                let mut buffer = vec![0; max.min(READ_BYTES)];
                let filled = std::future::poll_fn(|cx| {
                    let mut read = tokio::io::ReadBuf::new(&mut buffer);
                    match reader.as_mut().poll_read(cx, &mut read) {
                        Poll::Ready(Ok(())) => Poll::Ready(Ok(read.filled().len())),
                        Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                        Poll::Pending => Poll::Pending,
                    }
                })
                .await
                .map_err(read_error)?;
                buffer.truncate(filled);
                Ok(::bytes::Bytes::from(buffer))
            }
        }
    }
}

/// What a request to an upload session got.
enum Sent {
    /// The final response's body: the upload is complete.
    Finished(Vec<u8>),
    /// The server has this many bytes and wants the rest.
    Resume(u64),
}

fn media_error(message: &str) -> Error {
    Error::Media(MediaError::new(message))
}

/// How many bytes a `Range: bytes=0-N` header says the server has.
fn received_bytes(range: &str) -> Option<u64> {
    let last: u64 = range.trim().strip_prefix("bytes=0-")?.trim().parse().ok()?;
    last.checked_add(1)
}

/// The first byte, last byte and total (`None` for `*`) of a
/// `Content-Range: bytes FIRST-LAST/TOTAL` header.
fn content_range(header: &str) -> Option<(u64, u64, Option<u64>)> {
    let (range, total) = header.trim().strip_prefix("bytes ")?.split_once('/')?;
    let (first, last) = range.split_once('-')?;
    let (first, last): (u64, u64) = (first.trim().parse().ok()?, last.trim().parse().ok()?);
    let total = match total.trim() {
        "*" => None,
        n => Some(n.parse().ok()?),
    };
    (first <= last && total.is_none_or(|t| last < t)).then_some((first, last, total))
}

/// A boundary that occurs in neither part.
fn boundary_for(json: &[u8], data: &[u8]) -> String {
    let contains =
        |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
    (0u64..)
        .map(|n| format!("google_api_rust_boundary_{n}"))
        .find(|b| !contains(json, b.as_bytes()) && !contains(data, b.as_bytes()))
        .unwrap_or_default()
}

fn multipart_body(boundary: &str, json: &[u8], content_type: &str, data: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(json.len() + data.len() + 256);
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(json);
    body.extend_from_slice(
        format!("\r\n--{boundary}\r\nContent-Type: {content_type}\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// Downloaded content, read chunk by chunk: with [`Download::chunk`], as a
/// `futures_core::Stream` of chunks, or all at once with [`Download::bytes`].
///
/// A stream that breaks (the connection reset, cut short, or silent for
/// longer than the read-idle timeout) resumes: the client asks again for
/// the content from the byte it reached (`Range: bytes=N-`, with
/// `If-Range` naming the version it was reading), under the call's retry
/// policy, and the chunks go on as if nothing happened. A server that
/// answers with the whole content instead has the bytes already given
/// skipped. A version that changed meanwhile (another `ETag` or
/// `Last-Modified`) is an [`Error::Media`], never a mix of two versions.
/// The policy's attempts and time limit count the failures in a row
/// without a byte between them.
///
/// The stream is not limited by the client's `max_response_bytes`, nor by
/// the call's total timeout, which ends once the first response has
/// arrived; each resumed request is within the attempt timeout.
pub struct Download {
    content_type: Option<String>,
    content_length: Option<u64>,
    /// What reads and resumes the stream; `None` once it has ended or
    /// while `reading` has it.
    resumer: Option<Box<Resumer>>,
    reading: Option<Reading>,
}

/// A read under way: it gives the resumer back with the chunk.
type Reading = BoxFuture<'static, (Box<Resumer>, Option<Result<::bytes::Bytes>>)>;

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl Download {
    fn new(resumer: Resumer) -> Self {
        let response = resumer.response.as_ref();
        Self {
            content_type: response
                .and_then(|r| r.header("content-type"))
                .map(str::to_owned),
            content_length: resumer.total,
            resumer: Some(Box::new(resumer)),
            reading: None,
        }
    }

    /// The content's MIME type, as the server sent it.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The content's length, when the server said it up front.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The next chunk, or `None` at the end.
    pub async fn chunk(&mut self) -> Result<Option<::bytes::Bytes>> {
        std::future::poll_fn(|cx| self.poll_chunk(cx))
            .await
            .transpose()
    }

    /// The whole content. It is held in memory: for large content, read
    /// chunks instead.
    pub async fn bytes(mut self) -> Result<Vec<u8>> {
        let mut all = Vec::with_capacity(self.content_length.unwrap_or(0).min(1 << 24) as usize);
        while let Some(chunk) = self.chunk().await? {
            all.extend_from_slice(&chunk);
        }
        Ok(all)
    }

    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<::bytes::Bytes>>> {
        if self.reading.is_none() {
            let Some(mut resumer) = self.resumer.take() else {
                return Poll::Ready(None);
            };
            self.reading = Some(Box::pin(async move {
                let item = resumer.next().await;
                (resumer, item)
            }));
        }
        let Some(reading) = self.reading.as_mut() else {
            return Poll::Ready(None);
        };
        let (resumer, item) = std::task::ready!(reading.as_mut().poll(cx));
        self.reading = None;
        // After the end or an error the stream stays finished.
        if matches!(item, Some(Ok(_))) {
            self.resumer = Some(resumer);
        }
        Poll::Ready(item)
    }
}

impl futures_core::Stream for Download {
    type Item = Result<::bytes::Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }
}

/// The version of the content a download reads, to check that a resumed
/// request reads the same one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Validators {
    etag: Option<String>,
    last_modified: Option<String>,
}

impl Validators {
    fn of(response: &HttpResponse) -> Self {
        Self {
            etag: response.header("etag").map(str::to_owned),
            last_modified: response.header("last-modified").map(str::to_owned),
        }
    }

    /// The `If-Range` value: a strong `ETag` (the header takes no weak
    /// one), else `Last-Modified`.
    fn if_range(&self) -> Option<&str> {
        self.etag
            .as_deref()
            .filter(|etag| !etag.starts_with("W/"))
            .or(self.last_modified.as_deref())
    }

    /// How `other`, a resumed response's, differs from these, if it does:
    /// only validators both responses carry are compared.
    fn changed(&self, other: &Validators) -> Option<String> {
        let differs = |ours: &Option<String>, theirs: &Option<String>| match (ours, theirs) {
            (Some(a), Some(b)) if a != b => Some(format!("{a} became {b}")),
            _ => None,
        };
        differs(&self.etag, &other.etag)
            .map(|d| format!("its ETag {d}"))
            .or_else(|| {
                differs(&self.last_modified, &other.last_modified)
                    .map(|d| format!("its Last-Modified {d}"))
            })
    }
}

/// Reads a download's stream and, when it breaks, asks for the rest.
struct Resumer {
    client: Client,
    /// The first request, without credentials (`dispatch` adds them).
    request: HttpRequest,
    scopes: &'static [&'static str],
    security: Security,
    plan: CallPlan,
    progress: Progress,
    /// The body being read; `None` after it broke.
    response: Option<HttpResponse>,
    validators: Validators,
    /// The content's length, when known.
    total: Option<u64>,
    /// The bytes given to the reader so far.
    offset: u64,
    /// Bytes of the current body to drop: a whole-content answer to a
    /// `Range` request.
    skip: u64,
    /// Failures in a row without a byte between them, and since when.
    failures: u32,
    failing_since: Instant,
}

impl Resumer {
    /// The next chunk; `None` at the end.
    async fn next(&mut self) -> Option<Result<::bytes::Bytes>> {
        loop {
            let error = if self.response.is_some() {
                match self.read().await {
                    Ok(Some(chunk)) => return Some(Ok(chunk)),
                    Ok(None) => return None,
                    Err(error) => error,
                }
            } else {
                match self.reopen().await {
                    Ok(()) => continue,
                    Err(error) => error,
                }
            };
            self.response = None;
            self.failures += 1;
            if self.failures == 1 {
                self.failing_since = Instant::now();
            }
            let delay = self.plan.retry_delay(
                &error,
                self.plan.idempotent,
                self.failures,
                self.failing_since,
            );
            let Some(delay) = delay else {
                return Some(Err(error));
            };
            tracing::debug!(offset = self.offset, "the download broke: resuming");
            wait_to_retry(&self.progress, delay, &error).await;
        }
    }

    /// The next chunk of the current body, bytes to skip dropped; `None`
    /// at the end of the content. A body that ends short of the length is
    /// a broken connection.
    async fn read(&mut self) -> Result<Option<::bytes::Bytes>> {
        let idle = self.plan.read_idle_timeout;
        loop {
            let Some(response) = self.response.as_mut() else {
                return Ok(None);
            };
            let chunk = tokio::time::timeout(idle, response.chunk())
                .await
                .map_err(|_| {
                    Error::Timeout(TimeoutError::new(
                        TimeoutKind::ReadIdle,
                        idle,
                        self.progress.attempts().max(1),
                        None,
                    ))
                })?
                .map_err(Error::Transport)?;
            let Some(mut chunk) = chunk else {
                if self.total.is_some_and(|total| self.offset < total) {
                    return Err(Error::Transport(TransportError::new(
                        TransportErrorKind::Connection,
                        format!(
                            "the body ended after {} of {} bytes",
                            self.offset,
                            self.total.unwrap_or(0)
                        ),
                    )));
                }
                self.response = None;
                return Ok(None);
            };
            let skipped = self.skip.min(chunk.len() as u64);
            self.skip -= skipped;
            let chunk = chunk.split_off(skipped as usize);
            if chunk.is_empty() {
                continue;
            }
            self.offset += chunk.len() as u64;
            self.failures = 0;
            return Ok(Some(chunk));
        }
    }

    /// Asks for the content from `offset`, within the attempt timeout, and
    /// checks that the answer goes on with the same version from there.
    async fn reopen(&mut self) -> Result<()> {
        let mut request = self.request.clone();
        if self.offset > 0 {
            request.push_header("range", format!("bytes={}-", self.offset));
            if let Some(validator) = self.validators.if_range() {
                request.push_header("if-range", validator.to_owned());
            }
        }
        let (client, scopes, security) = (&self.client, self.scopes, self.security);
        let response = client
            .attempt(&self.plan, &self.progress, |attempt| async move {
                let response = client.dispatch(request, scopes, security).await?;
                attempt.record_status(&response);
                if !(200..300).contains(&response.status()) {
                    return Err(client.read_error(response).await);
                }
                Ok(response)
            })
            .await?;
        self.accept(response)
    }

    /// Takes `response` as the rest of the content from `offset`, or says
    /// why it is not.
    fn accept(&mut self, response: HttpResponse) -> Result<()> {
        let validators = Validators::of(&response);
        if self.offset == 0 {
            // Nothing was given yet: any version will do.
            self.validators = validators;
            self.total = response.content_length();
            self.response = Some(response);
            return Ok(());
        }
        if let Some(change) = self.validators.changed(&validators) {
            return Err(media_error(&format!(
                "the content changed on the server while it was downloaded ({change}) after \
                 {} bytes: download it again",
                self.offset
            )));
        }
        match response.status() {
            206 => {
                let range = response.header("content-range").and_then(content_range);
                let Some((first, _, total)) = range else {
                    return Err(media_error(
                        "the server resumed the download without a valid Content-Range",
                    ));
                };
                if first != self.offset {
                    return Err(media_error(&format!(
                        "the server resumed the download at byte {first}, not {}",
                        self.offset
                    )));
                }
                if let (Some(ours), Some(theirs)) = (self.total, total) {
                    if ours != theirs {
                        return Err(media_error(&format!(
                            "the content changed on the server while it was downloaded (its \
                             length {ours} became {theirs})"
                        )));
                    }
                }
                self.skip = 0;
            }
            200 => {
                // The whole content again (a server without ranges, or an
                // `If-Range` it found stale without a validator to show).
                let length = response.content_length();
                if let (Some(ours), Some(theirs)) = (self.total, length) {
                    if ours != theirs {
                        return Err(media_error(&format!(
                            "the content changed on the server while it was downloaded (its \
                             length {ours} became {theirs})"
                        )));
                    }
                }
                self.skip = self.offset;
            }
            status => {
                return Err(media_error(&format!(
                    "the server answered a resumed download with status {status}"
                )));
            }
        }
        self.response = Some(response);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{Base, CallOptions, Service};
    use crate::query::Query;
    use crate::retry::RetryPolicy;
    use crate::transport::Transport;
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    #[test]
    fn range_headers_are_parsed_strictly() {
        assert_eq!(received_bytes("bytes=0-999"), Some(1000));
        assert_eq!(received_bytes(" bytes=0-0 "), Some(1));
        assert_eq!(
            received_bytes("bytes=5-9"),
            None,
            "the server's part starts at 0"
        );
        assert_eq!(received_bytes("bytes=0-x"), None);
        assert_eq!(
            content_range("bytes 100-199/200"),
            Some((100, 199, Some(200)))
        );
        assert_eq!(content_range("bytes 100-199/*"), Some((100, 199, None)));
        assert_eq!(content_range("bytes 100-200/200"), None, "past the end");
        assert_eq!(content_range("bytes 9-1/20"), None);
        assert_eq!(content_range("bytes */200"), None);
    }

    #[test]
    fn if_range_prefers_a_strong_etag_and_changes_compare_what_both_have() {
        let v = |etag: Option<&str>, modified: Option<&str>| Validators {
            etag: etag.map(str::to_owned),
            last_modified: modified.map(str::to_owned),
        };
        let date = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(v(Some("\"a\""), Some(date)).if_range(), Some("\"a\""));
        assert_eq!(v(Some("W/\"a\""), Some(date)).if_range(), Some(date));
        assert_eq!(v(Some("W/\"a\""), None).if_range(), None);
        let ours = v(Some("\"a\""), Some(date));
        assert_eq!(ours.changed(&v(Some("\"a\""), None)), None);
        assert_eq!(ours.changed(&v(None, None)), None);
        assert!(
            ours.changed(&v(Some("\"b\""), Some(date)))
                .unwrap()
                .contains("ETag")
        );
        assert!(
            ours.changed(&v(None, Some("x")))
                .unwrap()
                .contains("Last-Modified")
        );
    }

    /// A stream that gives `content` in items of `item` bytes.
    fn stream_of(content: &[u8], item: usize) -> Media {
        let items: VecDeque<io::Result<::bytes::Bytes>> = content
            .chunks(item)
            .map(|c| Ok(::bytes::Bytes::copy_from_slice(c)))
            .collect();
        Media::from_stream(
            content.len() as u64,
            "application/octet-stream",
            Items(items),
        )
    }

    struct Items(VecDeque<io::Result<::bytes::Bytes>>);

    impl futures_core::Stream for Items {
        type Item = io::Result<::bytes::Bytes>;
        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.get_mut().0.pop_front())
        }
    }

    fn content(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i % 251) as u8).collect()
    }

    #[tokio::test]
    async fn a_streamed_chunk_is_held_until_confirmed_and_resent_from_any_offset_in_it() {
        let total = RESUMABLE_CHUNK_BYTES + 5000;
        let data = content(total);
        let mut source = Content::new(stream_of(&data, 300_000));
        let first = source.chunk_at(0).await.unwrap();
        assert_eq!(first.len(), RESUMABLE_CHUNK_BYTES);
        assert_eq!(first, data[..RESUMABLE_CHUNK_BYTES]);
        // The server kept 1000 bytes of it: the rest is sent again, with
        // the next bytes of the stream after it.
        let again = source.chunk_at(1000).await.unwrap();
        assert_eq!(again, data[1000..1000 + RESUMABLE_CHUNK_BYTES]);
        // Nothing was confirmed by the failed request: the same again.
        assert_eq!(source.chunk_at(1000).await.unwrap(), again);
        let last = source
            .chunk_at(1000 + RESUMABLE_CHUNK_BYTES as u64)
            .await
            .unwrap();
        assert_eq!(last, data[1000 + RESUMABLE_CHUNK_BYTES..]);
        // Bytes confirmed earlier are released: a stream cannot go back.
        let err = source.chunk_at(0).await.unwrap_err();
        assert!(err.to_string().contains("cannot be read again"), "{err}");
    }

    #[tokio::test]
    async fn a_stream_shorter_or_longer_than_its_length_fails_the_upload() {
        let data = content(1000);
        let short = Media::from_stream(
            2000,
            "a/b",
            Items(VecDeque::from([Ok(data.clone().into())])),
        );
        let err = Content::new(short).chunk_at(0).await.unwrap_err();
        assert!(err.to_string().contains("ended after 1000 bytes"), "{err}");
        let long = Media::from_stream(500, "a/b", Items(VecDeque::from([Ok(data.into())])));
        let err = Content::new(long).chunk_at(0).await.unwrap_err();
        assert!(err.to_string().contains("goes on past"), "{err}");
        let failing = Media::from_stream(
            10,
            "a/b",
            Items(VecDeque::from([Err(io::Error::other("disk gone"))])),
        );
        let err = Content::new(failing).chunk_at(0).await.unwrap_err();
        assert!(err.to_string().contains("disk gone"), "{err}");
    }

    #[tokio::test]
    async fn resuming_skips_what_the_server_has_in_a_reader_and_a_file() {
        let data = content(10_000);
        let reader = Media::from_reader(10_000, "a/b", std::io::Cursor::new(data.clone()));
        let mut source = Content::new(reader);
        assert_eq!(source.chunk_at(7000).await.unwrap(), data[7000..]);
        let path = std::env::temp_dir().join(format!("media-test-{}", std::process::id()));
        std::fs::write(&path, &data).unwrap();
        let file = Media::from_file(&path, "a/b").unwrap();
        assert_eq!((file.len(), file.data()), (10_000, None));
        let mut source = Content::new(file);
        assert_eq!(source.chunk_at(7000).await.unwrap(), data[7000..]);
        // A file can go back, even before bytes the server confirmed.
        assert_eq!(source.chunk_at(10).await.unwrap(), data[10..]);
        std::fs::remove_file(&path).unwrap();
    }

    /// A transport that answers with the responses it is given, in turn,
    /// and records the requests.
    #[derive(Clone, Default)]
    struct Script {
        answers: Arc<Mutex<VecDeque<HttpResponse>>>,
        requests: Arc<Mutex<Vec<HttpRequest>>>,
    }

    impl Transport for Script {
        fn send(
            &self,
            request: HttpRequest,
        ) -> BoxFuture<'_, std::result::Result<HttpResponse, TransportError>> {
            self.requests.lock().unwrap().push(request);
            let answer = self.answers.lock().unwrap().pop_front();
            Box::pin(async move { Ok(answer.unwrap_or_else(|| HttpResponse::new(500))) })
        }
    }

    static SERVICE: Service = Service {
        name: "test:v1",
        default_endpoint: "https://h.example/",
        service_path: "v1/",
    };

    fn get(retry: RetryPolicy) -> Request {
        Request {
            method_id: "test.get",
            http_method: reqwest::Method::GET,
            prefix: "",
            base: Base::Service,
            path: "o".to_owned(),
            query: Query::new(),
            headers: Vec::new(),
            body: None,
            content_type: "application/json".into(),
            security: None,
            scopes: &[],
            options: CallOptions {
                retry: Some(retry),
                ..CallOptions::default()
            },
        }
    }

    /// A body of `chunks` that then fails as a reset connection.
    fn broken(
        chunks: &[&'static [u8]],
    ) -> impl futures_core::Stream<Item = std::result::Result<::bytes::Bytes, TransportError>>
    + Send
    + 'static {
        let mut items: VecDeque<_> = chunks
            .iter()
            .map(|c| Ok(::bytes::Bytes::from_static(c)))
            .collect();
        items.push_back(Err(TransportError::new(
            TransportErrorKind::Connection,
            "reset",
        )));
        Broken(items)
    }

    struct Broken(VecDeque<std::result::Result<::bytes::Bytes, TransportError>>);

    impl futures_core::Stream for Broken {
        type Item = std::result::Result<::bytes::Bytes, TransportError>;
        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.get_mut().0.pop_front())
        }
    }

    fn fast() -> RetryPolicy {
        RetryPolicy::builder()
            .max_attempts(3)
            .initial_delay(Duration::from_millis(1))
            .max_delay(Duration::from_millis(1))
            .jitter(false)
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn a_broken_download_resumes_with_range_and_if_range() {
        let script = Script::default();
        script.answers.lock().unwrap().extend([
            HttpResponse::new(200)
                .with_header("etag", "\"v1\"")
                .with_header("content-length", "10")
                .with_stream(broken(&[b"0123", b"45"])),
            HttpResponse::new(206)
                .with_header("etag", "\"v1\"")
                .with_header("content-range", "bytes 6-9/10")
                .with_body("6789"),
        ]);
        let client = Client::builder(&SERVICE)
            .transport(script.clone())
            .build()
            .unwrap();
        let download = client.download(get(fast())).await.unwrap();
        assert_eq!(download.bytes().await.unwrap(), b"0123456789");
        let requests = script.requests.lock().unwrap();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].header("range"), None);
        assert_eq!(requests[1].header("range"), Some("bytes=6-"));
        assert_eq!(requests[1].header("if-range"), Some("\"v1\""));
    }

    #[tokio::test]
    async fn a_resumed_download_skips_a_whole_answer_and_refuses_a_new_version() {
        let first = || {
            HttpResponse::new(200)
                .with_header("etag", "\"v1\"")
                .with_stream(broken(&[b"0123"]))
        };
        let script = Script::default();
        script.answers.lock().unwrap().extend([
            first(),
            HttpResponse::new(200)
                .with_header("etag", "\"v1\"")
                .with_body("0123456789"),
        ]);
        let client = Client::builder(&SERVICE)
            .transport(script.clone())
            .build()
            .unwrap();
        let download = client.download(get(fast())).await.unwrap();
        assert_eq!(download.bytes().await.unwrap(), b"0123456789");
        script.answers.lock().unwrap().extend([
            first(),
            HttpResponse::new(200)
                .with_header("etag", "\"v2\"")
                .with_body("abcdefghij"),
        ]);
        let mut download = client.download(get(fast())).await.unwrap();
        assert_eq!(
            download.chunk().await.unwrap().as_deref(),
            Some(&b"0123"[..])
        );
        let err = download.chunk().await.unwrap_err();
        assert!(
            matches!(err, Error::Media(_)) && err.to_string().contains("changed"),
            "{err}"
        );
        assert!(
            download.chunk().await.unwrap().is_none(),
            "a failed stream stays finished"
        );
        // Without retries, the broken stream is the error.
        script.answers.lock().unwrap().extend([first()]);
        let err = client
            .download(get(RetryPolicy::disabled()))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{err}");
    }

    #[test]
    fn an_upload_session_hides_its_query_from_debug() {
        let session =
            UploadSession::new("https://h.example/upload?upload_id=SECRET".to_owned(), 5, 9);
        let shown = format!("{session:?}");
        assert!(
            !shown.contains("SECRET") && shown.contains("offset: 5"),
            "{shown}"
        );
        assert_eq!(session.url(), "https://h.example/upload?upload_id=SECRET");
    }

    #[test]
    fn a_read_idle_timeout_of_zero_is_refused() {
        let err = Client::builder(&SERVICE)
            .read_idle_timeout(Duration::ZERO)
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("read_idle_timeout"), "{err}");
    }
}
