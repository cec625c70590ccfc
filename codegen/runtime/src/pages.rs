//! Paging: a list call's pages as a stream, each request carrying the
//! `nextPageToken` of the page before it, until a page has none; and the
//! items of those pages as a stream of their own.

use super::BoxFuture;
use super::error::{self, Result};
use std::collections::BTreeSet;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The pages of a list call, fetched one at a time as they are asked for:
/// with [`Pages::next`], or as a `futures_core::Stream`. `'static` and
/// `Send`: it owns its call, so it can be moved into a spawned task.
///
/// After an error the stream ends; start again from the failed page's token
/// to retry, with the call's `page_token`. A page whose `nextPageToken` was
/// already followed is an [`Error::Decode`](crate::Error::Decode) and ends
/// the stream: following it again would fetch the same pages forever.
pub struct Pages<T> {
    method: &'static str,
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
            .field("method", &self.method)
            .field(
                "finished",
                &(self.pending.is_none() && self.in_flight.is_none()),
            )
            .finish_non_exhaustive()
    }
}

impl<T> Pages<T> {
    /// Pages of the call to `method` starting at `first_token` (`None`:
    /// the first page), fetched by `fetch`, followed through `next_token`.
    #[doc(hidden)]
    pub fn new(
        method: &'static str,
        first_token: Option<String>,
        fetch: impl Fn(Option<String>) -> BoxFuture<'static, Result<T>> + Send + Sync + 'static,
        next_token: fn(&T) -> Option<&str>,
    ) -> Self {
        Self {
            method,
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
        let Ok(page) = &result else {
            return Poll::Ready(Some(result));
        };
        // An empty token means the same as none: this was the last page.
        match (self.next_token)(page).filter(|t| !t.is_empty()) {
            None => {}
            Some(token) if self.seen.contains(token) => {
                let message = format!(
                    "`nextPageToken` {token:?} repeats the token of an earlier page, \
                     so following it would fetch the same pages forever"
                );
                return Poll::Ready(Some(Err(error::invalid_response(self.method, message))));
            }
            Some(token) => self.pending = Some(Some(token.to_owned())),
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

/// The items of a list call across all its pages, fetched a page at a time
/// as they are asked for: with [`Items::next`], or as a
/// `futures_core::Stream`. Like [`Pages`], `'static` and `Send`, and it
/// ends after an error (a repeated page token among them).
pub struct Items<P, I> {
    pages: Pages<P>,
    take: fn(P) -> Vec<I>,
    buffered: std::vec::IntoIter<I>,
}

impl<P, I> fmt::Debug for Items<P, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<P, I> Items<P, I> {
    /// The items `take` finds in each of `pages`.
    #[doc(hidden)]
    pub fn new(pages: Pages<P>, take: fn(P) -> Vec<I>) -> Self {
        Self {
            pages,
            take,
            buffered: Vec::new().into_iter(),
        }
    }

    /// The next item, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<I>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<I>>> {
        loop {
            if let Some(item) = self.buffered.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            // Empty pages are skipped: a server may send one mid-list.
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => self.buffered = (self.take)(page).into_iter(),
            }
        }
    }
}

impl<P, I> futures_core::Stream for Items<P, I> {
    type Item = Result<I>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

// `Items` holds no self-references: moving it is fine whatever its items are.
impl<P, I> Unpin for Items<P, I> {}
