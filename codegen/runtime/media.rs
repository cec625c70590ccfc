//! Media: downloading a resource's content (`alt=media`) as a stream of
//! chunks, and uploading content in one request or in a resumable session.
//!
//! Uploads follow Google's media upload protocols: `uploadType=media` (the
//! content alone), `uploadType=multipart` (JSON metadata and content in one
//! `multipart/related` body) and `uploadType=resumable` (a session URL from
//! the first request, then the content in chunks, resuming where the
//! server says it stopped).

use super::client::{Client, HttpRequest, Request};
use super::error::{Error, Result};
use crate::Scope;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

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

/// Content that cannot be uploaded to this method. Nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaError {
    message: String,
}

impl fmt::Display for MediaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MediaError {}

/// What a method accepts, from its `mediaUpload` description.
pub(crate) struct UploadLimits {
    /// MIME type ranges such as `image/*`; empty when any type is accepted.
    pub accept: &'static [&'static str],
    /// The largest upload in bytes.
    pub max_size: Option<u64>,
}

impl UploadLimits {
    fn check(&self, media: &Media) -> Result<()> {
        let fail = |message: String| Err(Error::Media(MediaError { message }));
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
    /// of `request.body` as a `multipart/related` body.
    pub(crate) async fn upload_simple(
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
                http.set_body(media.data.to_vec());
            }
        }
        let response = self.send_http(http, request.scopes, request.security).await?;
        self.read_success(response).await
    }

    /// Uploads in a resumable session: the first request sends the metadata
    /// and gets the session URL, then the content goes in chunks of
    /// [`RESUMABLE_CHUNK_BYTES`], each resuming where the server says the
    /// previous one ended.
    pub(crate) async fn upload_resumable(
        &self,
        mut request: Request,
        limits: &UploadLimits,
        media: Media,
    ) -> Result<Vec<u8>> {
        limits.check(&media)?;
        request.query.push("uploadType", "resumable");
        let mut start = self.prepare(&request);
        let start_url = start.url().to_owned();
        start.push_header("x-upload-content-type", media.content_type.clone());
        start.push_header("x-upload-content-length", media.data.len().to_string());
        if request.body.is_none() {
            start.set_body(Vec::new());
        }
        let response = self.send_http(start, request.scopes, request.security).await?;
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        self.read_success(response).await?;
        let session = location.ok_or_else(|| {
            Error::Media(MediaError {
                message: "the server started no upload session (no Location header)".to_owned(),
            })
        })?;
        // A relative `Location` is relative to the URL that answered.
        let session = reqwest::Url::parse(&start_url)
            .and_then(|base| base.join(&session))
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| {
                Error::Media(MediaError {
                    message: "the server's upload session URL is not an http(s) URL".to_owned(),
                })
            })?;
        self.send_chunks(session.as_str(), request.scopes, &media)
            .await
    }

    async fn send_chunks(
        &self,
        session: &str,
        scopes: &'static [Scope],
        media: &Media,
    ) -> Result<Vec<u8>> {
        let total = media.data.len();
        let mut offset = 0;
        // Every chunk twice, and a few status queries, is as far as a
        // server that keeps moving the offset back is followed.
        let rounds = 2 * total.div_ceil(RESUMABLE_CHUNK_BYTES) + 8;
        for _ in 0..rounds {
            let end = (offset + RESUMABLE_CHUNK_BYTES).min(total);
            // With nothing left to send, `*/total` asks the server to finish.
            let range = if offset == total {
                format!("bytes */{total}")
            } else {
                format!("bytes {offset}-{}/{total}", end - 1)
            };
            let chunk = HttpRequest::new(
                reqwest::Method::PUT,
                session.to_owned(),
                vec![("content-range".to_owned(), range)],
                Some(media.data.slice(offset..end).to_vec()),
            );
            let response = self.send_http(chunk, scopes, None).await?;
            // 308 "Resume Incomplete": the server has a prefix of the content.
            if response.status().as_u16() != 308 {
                return self.read_success(response).await;
            }
            let received = response
                .headers()
                .get(reqwest::header::RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(received_bytes)
                .unwrap_or(0);
            self.read_limited(response).await?;
            if received > total {
                return Err(Error::Media(MediaError {
                    message: format!("the server says it received {received} bytes of {total}"),
                }));
            }
            offset = received;
        }
        Err(Error::Media(MediaError {
            message: format!(
                "the upload session did not finish after {rounds} requests (at byte {offset} of {total})"
            ),
        }))
    }

    /// Sends a download request (`alt=media`) and returns the content as a
    /// stream, or the error its status means.
    pub(crate) async fn download(&self, mut request: Request) -> Result<Download> {
        request.query.push("alt", "media");
        let response = self
            .send_http(self.prepare(&request), request.scopes, request.security)
            .await?;
        if !response.status().is_success() {
            return Err(self.read_error(response).await);
        }
        Ok(Download {
            content_type: response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            content_length: response.content_length(),
            state: State::Idle(response),
        })
    }
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
pub struct Download {
    content_type: Option<String>,
    content_length: Option<u64>,
    state: State,
}

enum State {
    Idle(reqwest::Response),
    Reading(
        super::BoxFuture<'static, (reqwest::Response, reqwest::Result<Option<::bytes::Bytes>>)>,
    ),
    Done,
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
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Idle(mut response) => {
                    self.state = State::Reading(Box::pin(async move {
                        let chunk = response.chunk().await;
                        (response, chunk)
                    }));
                }
                State::Reading(mut future) => match future.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = State::Reading(future);
                        return Poll::Pending;
                    }
                    Poll::Ready((response, Ok(Some(chunk)))) => {
                        self.state = State::Idle(response);
                        return Poll::Ready(Some(Ok(chunk)));
                    }
                    Poll::Ready((_, Ok(None))) => return Poll::Ready(None),
                    Poll::Ready((_, Err(e))) => {
                        return Poll::Ready(Some(Err(super::client::transport(e))));
                    }
                },
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
