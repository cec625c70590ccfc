//! Paging: a list call's pages as a stream, each request carrying the
//! `nextPageToken` of the page before it, until a page has none.

use super::BoxFuture;
use super::error::Result;
use std::collections::BTreeSet;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The pages of a list call, fetched one at a time as they are asked for:
/// with [`Pages::next`], or as a `futures_core::Stream`.
///
/// After an error the stream ends; start again from the failed page's token
/// to retry, with the call's `page_token`. A page whose `nextPageToken` was
/// already followed also ends the stream: following it again would fetch
/// the same pages forever.
pub struct Pages<T> {
    fetch: Box<dyn Fn(Option<String>) -> BoxFuture<'static, Result<T>> + Send + Sync>,
    next_token: fn(&T) -> Option<&str>,
    /// The token of the next page; `None` once the last page is in.
    pending: Option<Option<String>>,
    in_flight: Option<BoxFuture<'static, Result<T>>>,
    /// Every token followed so far.
    seen: BTreeSet<String>,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field(
                "finished",
                &(self.pending.is_none() && self.in_flight.is_none()),
            )
            .finish_non_exhaustive()
    }
}

impl<T> Pages<T> {
    /// Pages starting at `first_token` (`None`: the first page), fetched by
    /// `fetch`, followed through `next_token`.
    pub(crate) fn new(
        first_token: Option<String>,
        fetch: impl Fn(Option<String>) -> BoxFuture<'static, Result<T>> + Send + Sync + 'static,
        next_token: fn(&T) -> Option<&str>,
    ) -> Self {
        Self {
            fetch: Box::new(fetch),
            next_token,
            pending: Some(first_token),
            in_flight: None,
            seen: BTreeSet::new(),
        }
    }

    /// The next page, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<T>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        if self.in_flight.is_none() {
            let Some(token) = self.pending.take() else {
                return Poll::Ready(None);
            };
            if let Some(token) = &token {
                self.seen.insert(token.clone());
            }
            self.in_flight = Some((self.fetch)(token));
        }
        let Some(future) = self.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        self.in_flight = None;
        if let Ok(page) = &result {
            // An empty token means the same as none: this was the last page.
            self.pending = (self.next_token)(page)
                .filter(|t| !t.is_empty() && !self.seen.contains(*t))
                .map(|t| Some(t.to_owned()));
        }
        Poll::Ready(Some(result))
    }
}

impl<T> futures_core::Stream for Pages<T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}
