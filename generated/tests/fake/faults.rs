//! Injected faults, and the two pieces of plumbing that put them on the wire:
//! a response body that can break off halfway, and a connection wrapper that
//! can end in a TCP reset.

use hyper::body::{Body, Bytes, Frame, SizeHint};
use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// Something going wrong with one request, queued by
/// [`FakeServer::inject`](super::FakeServer::inject).
///
/// Faults that stand for the server never seeing the request
/// (`ConnectionReset`, `Status`, `TooManyRequests`, `NonJson`) leave the
/// fake's state alone. Faults that stand for an answer lost or slowed on its
/// way back (`TruncatedBody`, `Delay`) let the request take effect first, as
/// a real server would have: an `initiate` whose answer was cut off still
/// started its job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The connection is reset (TCP RST, by `SO_LINGER` 0) without a byte
    /// of response.
    ConnectionReset,
    /// This HTTP status with Google's error envelope and the matching
    /// `status` (`INTERNAL` for 500, `UNAVAILABLE` for 502 and 503, ...).
    /// A number that is no HTTP status, or below 200, becomes 500.
    Status(u16),
    /// 429 `RESOURCE_EXHAUSTED` with ErrorInfo reason `RATE_LIMIT_EXCEEDED`,
    /// and a `Retry-After` header holding exactly `retry_after` when given
    /// (delay seconds or an HTTP-date; text that cannot be a header value
    /// turns the answer into a plain 500).
    TooManyRequests { retry_after: Option<String> },
    /// The normal answer (with its status: 200 for a call that succeeds),
    /// but its body stops halfway although the `Content-Length` announced
    /// all of it; then the connection closes.
    TruncatedBody,
    /// 200 with an HTML page (`text/html`), as a captive portal or a
    /// misrouted proxy would answer.
    NonJson,
    /// The normal answer, sent only after this long: a server slower than
    /// the client's timeout.
    Delay(Duration),
}

/// The response body of the fake: all of its bytes, or some of them and
/// then an error (which makes hyper abort the connection mid-body).
pub struct FakeBody {
    data: Option<Bytes>,
    then_fail: bool,
    /// Whether the body already paused once before failing.
    paused: bool,
}

impl FakeBody {
    /// A complete body, with its exact length known.
    pub fn full(bytes: Bytes) -> FakeBody {
        FakeBody {
            data: Some(bytes),
            then_fail: false,
            paused: false,
        }
    }

    /// `part`, then a failure. Its length is left unknown on purpose: hyper
    /// then trusts the `Content-Length` header the reply sets (a known
    /// length that disagrees with the header would trip hyper's debug
    /// assertion).
    pub fn truncated(part: Bytes) -> FakeBody {
        FakeBody {
            data: Some(part),
            then_fail: true,
            paused: false,
        }
    }
}

impl Body for FakeBody {
    type Data = Bytes;
    type Error = Cut;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Cut>>> {
        let this = self.get_mut();
        if let Some(data) = this.data.take().filter(|data| !data.is_empty()) {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if this.then_fail && !this.paused {
            // hyper buffers the head and the data; failing right away would
            // drop them unsent. Pausing once makes it flush them first (it
            // flushes whenever the body is not ready), and the wake-up
            // brings it straight back here to fail.
            this.paused = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        if std::mem::take(&mut this.then_fail) {
            return Poll::Ready(Some(Err(Cut)));
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        !self.then_fail && self.data.as_ref().is_none_or(Bytes::is_empty)
    }

    fn size_hint(&self) -> SizeHint {
        match &self.data {
            _ if self.then_fail => SizeHint::default(),
            Some(data) => SizeHint::with_exact(data.len() as u64),
            None => SizeHint::with_exact(0),
        }
    }
}

/// Why a response stopped early: an injected fault, never a real failure.
#[derive(Debug)]
pub struct Cut;

impl fmt::Display for Cut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the fake server cut the response short on purpose")
    }
}

impl std::error::Error for Cut {}

/// An accepted connection that can be told to end with a reset.
///
/// hyper owns the stream while it serves, so the service cannot close the
/// socket itself. Instead it raises `reset` and fails; hyper then drops the
/// connection without writing anything, and this wrapper's `Drop` sets
/// `SO_LINGER` to zero first, which turns the close into a TCP RST.
pub struct Connection {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Connection {
    /// Wraps `stream`; raising `reset` makes the close a reset.
    pub fn new(stream: TcpStream, reset: Arc<AtomicBool>) -> Connection {
        Connection { stream, reset }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            // A zero linger never blocks: the kernel discards unsent data
            // and answers with RST. Should it fail, the client still sees
            // the connection close without a response.
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// The service's error when it wants the connection reset.
#[derive(Debug)]
pub struct ResetConnection;

impl fmt::Display for ResetConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the fake server resets this connection on purpose")
    }
}

impl std::error::Error for ResetConnection {}

/// The envelope `status` for an HTTP code, per `google.rpc.Code`'s mapping.
pub fn status_name(code: u16) -> &'static str {
    match code {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        500 => "INTERNAL",
        501 => "UNIMPLEMENTED",
        502 | 503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ if (400..=499).contains(&code) => "FAILED_PRECONDITION",
        _ => "UNKNOWN",
    }
}

/// A message like Google's for a fault status.
pub fn status_message(code: u16) -> &'static str {
    match code {
        500 => "Internal error encountered.",
        502 | 503 => "The service is currently unavailable.",
        504 => "The request timed out. Please try again.",
        _ => "The fake server was told to fail this request.",
    }
}
