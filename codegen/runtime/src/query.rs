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
    #[doc(hidden)]
    pub fn push_encoded(&mut self, name: Cow<'static, str>, encoded_value: String) {
        self.pairs.push((name, encoded_value));
    }

    /// Adds an object parameter the way Google's HTTP transcoding reads a
    /// message-typed query parameter: one pair per leaf value, named by
    /// the path to it joined with `.` (`options.page.size=10`); an array
    /// repeats its name once per item (`options.tag=a&options.tag=b`);
    /// `null` and empty objects add nothing. Google's Python client sends
    /// such a parameter as Python's `str()` of a dict, which no server
    /// reads, so it is no convention to follow. A key holding a `.` cannot
    /// be told apart from nesting; names and values are percent-encoded
    /// like every other pair.
    #[allow(dead_code)] // Only crates with object query parameters use it.
    pub fn push_fields<T: serde::Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        fn leaves(query: &mut Query, name: Cow<'static, str>, value: &serde_json::Value) {
            use serde_json::Value;
            let text = match value {
                Value::Null => return,
                Value::String(text) => text.clone(),
                Value::Bool(_) | Value::Number(_) => value.to_string(),
                Value::Array(items) => {
                    for item in items {
                        leaves(query, name.clone(), item);
                    }
                    return;
                }
                Value::Object(fields) => {
                    for (key, field) in fields {
                        leaves(query, Cow::Owned(format!("{name}.{key}")), field);
                    }
                    return;
                }
            };
            let mut encoded = String::new();
            encode_segment(&mut encoded, &text);
            query.push_encoded(name, encoded);
        }
        leaves(self, Cow::Borrowed(name), &serde_json::to_value(value)?);
        Ok(())
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
