//! Query strings: name-value pairs in the order the call set them, each
//! value percent-encoded like a path segment.

use std::borrow::Cow;

use super::path::encode_segment;

/// The query parameters of one request. No `Debug`: values may be secrets.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Each pair's name as the API spells it (encoded at [`Query::append_to`])
    /// and its value already encoded. Values are encoded when pushed because
    /// only the pusher knows which characters are text and which are syntax:
    /// the `,` between items of a `form` array or the `/` an `allowReserved`
    /// parameter keeps (see `style.rs`).
    pairs: Vec<(Cow<'static, str>, String)>,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one pair; a repeated parameter is pushed once per value. Every
    /// byte of the value outside the unreserved set is percent-encoded.
    pub fn push(&mut self, name: &'static str, value: impl ToString) {
        let mut encoded = String::new();
        encode_segment(&mut encoded, &value.to_string());
        self.pairs.push((Cow::Borrowed(name), encoded));
    }

    /// Adds one pair whose value the caller has already percent-encoded;
    /// the name is encoded at [`Query::append_to`], like every name. The
    /// value must not hold a raw `&`, `=`, `+` or `#`, or it would end the
    /// pair, the query or change what the server reads.
    pub(crate) fn push_encoded(&mut self, name: Cow<'static, str>, encoded_value: String) {
        self.pairs.push((name, encoded_value));
    }

    /// Appends `?name=value&...` to `out`, or nothing when empty.
    pub fn append_to(&self, out: &mut String) {
        for (i, (name, value)) in self.pairs.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            encode_segment(out, name);
            out.push('=');
            out.push_str(value);
        }
    }
}
