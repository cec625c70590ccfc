//! Query strings: name-value pairs in the order the call set them, each
//! value percent-encoded like a path segment.

use super::path::encode_segment;

/// The query parameters of one request. No `Debug`: values may be secrets.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(&'static str, String)>,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one pair; a repeated parameter is pushed once per value.
    pub fn push(&mut self, name: &'static str, value: impl ToString) {
        self.pairs.push((name, value.to_string()));
    }

    /// The pairs, in order.
    pub fn pairs(&self) -> &[(&'static str, String)] {
        &self.pairs
    }

    /// Appends `?name=value&...` to `out`, or nothing when empty.
    pub fn append_to(&self, out: &mut String) {
        for (i, (name, value)) in self.pairs.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            encode_segment(out, name);
            out.push('=');
            encode_segment(out, value);
        }
    }
}
