//! Media: downloading a resource's content (`alt=media`) as a stream of
//! chunks, and uploading content in one request or in a resumable session.
//!
//! Uploads follow Google's media upload protocols: `uploadType=media` (the
//! content alone), `uploadType=multipart` (JSON metadata and content in one
//! `multipart/related` body) and `uploadType=resumable` (a session URL from
//! the first request, then the content in chunks, resuming where the
//! server says it stopped).

use super::client::{
    Attempt, CallPlan, Client, HttpRequest, Progress, Request, attempt_timeout_error, wait_to_retry,
};
use super::error::{Error, MediaError, Result};
use super::transport::HttpResponse;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// Content to upload, with its MIME type.
#[derive(Clone)]
pub struct Media {
    data: ::bytes::Bytes,
    content_type: String,
}

impl Media {
    /// `data` of type `content_type`, such as `image/png`.
    pub fn new(data: impl Into<::bytes::Bytes>, content_type: impl Into<String>) -> Self {
        Self {
            data: data.into(),
            content_type: content_type.into(),
        }
    }

    /// The content.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The MIME type.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }
}

impl fmt::Debug for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Media")
            .field("len", &self.data.len())
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
        let size = media.data.len() as u64;
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
    #[doc(hidden)]
    pub async fn upload_simple(
        &self,
        mut request: Request,
        limits: &UploadLimits,
        media: Media,
    ) -> Result<Vec<u8>> {
        limits.check(&media)?;
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
                let boundary = boundary_for(&json, &media.data);
                http.push_header(
                    "content-type",
                    format!("multipart/related; boundary={boundary}"),
                );
                http.set_body(multipart_body(&boundary, &json, &media));
            }
            None => {
                http.push_header("content-type", media.content_type.clone());
                http.set_body(media.data.clone());
            }
        }
        let request = &request;
        self.send_retried(&plan, |attempt| {
            // The body is `Bytes`: each attempt shares it, none copies it.
            let http = http.clone();
            async move {
                let response = self
                    .dispatch(http, request.scopes, request.security, None)
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
    /// previous one ended. The total timeout covers the whole upload.
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
            let session = self
                .open_session(&plan, &progress, &request, &media)
                .await?;
            let upload = Session {
                method_id: request.method_id,
                url: session.as_str(),
                scopes: request.scopes,
                media: &media,
            };
            self.send_chunks(&plan, &progress, &upload).await
        };
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
        start.push_header("x-upload-content-length", media.data.len().to_string());
        if request.body.is_none() {
            start.set_body(Vec::new());
        }
        let location = self
            .retry_attempts(plan, progress, plan.idempotent, |attempt| {
                let start = start.clone();
                async move {
                    let response = self
                        .dispatch(start, request.scopes, request.security, None)
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
    async fn send_chunks(
        &self,
        plan: &CallPlan,
        progress: &Progress,
        session: &Session<'_>,
    ) -> Result<Vec<u8>> {
        let total = session.media.data.len();
        let mut offset = 0;
        // Every chunk twice, and a few status queries, is as far as a
        // server that keeps moving the offset back is followed.
        let rounds = 2 * total.div_ceil(RESUMABLE_CHUNK_BYTES) + 8;
        for _ in 0..rounds {
            match self.send_chunk(plan, progress, session, offset).await? {
                Sent::Finished(body) => return Ok(body),
                Sent::Resume(received) => offset = received,
            }
        }
        Err(media_error(&format!(
            "the upload session did not finish after {rounds} answers asking for more \
             (at byte {offset} of {total})"
        )))
    }

    /// Sends the chunk at `offset` (with nothing left to send, asks the
    /// server to finish). After a retryable failure it waits as the policy
    /// says, then asks the server where it stands (`bytes */total`), again
    /// until it answers: the protocol's way to resume, safe whatever the
    /// verb, since the server keeps the content by offset.
    async fn send_chunk(
        &self,
        plan: &CallPlan,
        progress: &Progress,
        session: &Session<'_>,
        offset: usize,
    ) -> Result<Sent> {
        let started = Instant::now();
        let mut tries = 1;
        let mut chunk = session.chunk(offset);
        loop {
            let error = match self
                .attempt(plan, progress, |attempt| {
                    self.put_chunk(session, chunk.clone(), attempt)
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
            chunk = session.status_query();
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
        let response = self.dispatch(chunk, session.scopes, None, None).await?;
        attempt.record_status(&response);
        // 308 "Resume Incomplete": the server has a prefix of the content.
        if response.status() != 308 {
            return self.read_success(response).await.map(Sent::Finished);
        }
        let received = response
            .header("range")
            .and_then(received_bytes)
            .unwrap_or(0);
        self.read_limited(response).await?;
        let total = session.media.data.len();
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
    /// retried as the call's plan allows, within its total timeout; the
    /// attempt timeout is also given to reqwest, so it covers reading the
    /// stream, which the total timeout does not.
    #[doc(hidden)]
    pub async fn download(&self, request: Request) -> Result<Download> {
        let plan = self.call_plan(&request, None)?;
        let http = self.prepare(&request);
        let request = &request;
        self.send_retried(&plan, |attempt| {
            let http = http.clone();
            async move {
                let response = self
                    .dispatch(http, request.scopes, request.security, attempt.timeout)
                    .await;
                match response {
                    Ok(response) => {
                        attempt.record_status(&response);
                        if !(200..300).contains(&response.status()) {
                            let error = self.read_error(response).await;
                            return Err(attempt.timed_out(error));
                        }
                        Ok(Download::new(response, &attempt))
                    }
                    Err(error) => Err(attempt.timed_out(error)),
                }
            }
        })
        .await
    }
}

/// An open upload session and what goes into it.
struct Session<'a> {
    method_id: &'static str,
    url: &'a str,
    scopes: &'static [&'static str],
    media: &'a Media,
}

impl Session<'_> {
    /// The empty request that asks the server where it stands (and makes a
    /// server that has every byte finish): `Content-Range: bytes */TOTAL`.
    fn status_query(&self) -> HttpRequest {
        self.chunk(self.media.data.len())
    }

    /// The request that sends the content from `offset`; at the end of the
    /// content, the [status query](Self::status_query).
    fn chunk(&self, offset: usize) -> HttpRequest {
        let total = self.media.data.len();
        let (range, body) = if offset >= total {
            (format!("bytes */{total}"), ::bytes::Bytes::new())
        } else {
            let end = (offset + RESUMABLE_CHUNK_BYTES).min(total);
            // A slice of `Bytes` shares the content: nothing is copied.
            let body = self.media.data.slice(offset..end);
            (format!("bytes {offset}-{}/{total}", end - 1), body)
        };
        HttpRequest::new(
            self.method_id,
            reqwest::Method::PUT,
            self.url.to_owned(),
            vec![("content-range".to_owned(), range)],
            Some(body),
        )
    }
}

/// What a request to an upload session got.
enum Sent {
    /// The final response's body: the upload is complete.
    Finished(Vec<u8>),
    /// The server has this many bytes and wants the rest.
    Resume(usize),
}

fn media_error(message: &str) -> Error {
    Error::Media(MediaError::new(message))
}

/// How many bytes a `Range: bytes=0-N` header says the server has.
fn received_bytes(range: &str) -> Option<usize> {
    let last: usize = range.strip_prefix("bytes=0-")?.trim().parse().ok()?;
    last.checked_add(1)
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

fn multipart_body(boundary: &str, json: &[u8], media: &Media) -> Vec<u8> {
    let mut body = Vec::with_capacity(json.len() + media.data.len() + 256);
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(json);
    body.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Type: {}\r\n\r\n",
            media.content_type
        )
        .as_bytes(),
    );
    body.extend_from_slice(&media.data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// Downloaded content, read chunk by chunk: with [`Download::chunk`], as a
/// `futures_core::Stream` of chunks, or all at once with [`Download::bytes`].
///
/// The stream is not limited by the client's `max_response_bytes`. Reading
/// it is covered by the attempt timeout of the call (a chunk that comes too
/// late is [`Error::Timeout`]), not by its total timeout, which ends once
/// the response has arrived.
pub struct Download {
    content_type: Option<String>,
    content_length: Option<u64>,
    /// The attempt timeout and the attempt's number, for the error of a
    /// stream that outlives it.
    timeout: Option<Duration>,
    attempt: u32,
    /// The response whose body is the content; `None` once it has ended.
    response: Option<HttpResponse>,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl Download {
    /// The content of a success response, got by `attempt`.
    fn new(response: HttpResponse, attempt: &Attempt) -> Self {
        Self {
            content_type: response.header("content-type").map(str::to_owned),
            content_length: response.content_length(),
            timeout: attempt.timeout,
            attempt: attempt.number,
            response: Some(response),
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
        let Some(response) = self.response.as_mut() else {
            return Poll::Ready(None);
        };
        match response.poll_chunk(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
            Poll::Ready(None) => {
                self.response = None;
                Poll::Ready(None)
            }
            Poll::Ready(Some(Err(e))) => {
                self.response = None;
                let error = attempt_timeout_error(Error::Transport(e), self.timeout, self.attempt);
                Poll::Ready(Some(Err(error)))
            }
        }
    }
}

impl futures_core::Stream for Download {
    type Item = Result<::bytes::Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }
}
