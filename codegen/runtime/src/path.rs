//! Path parameters: checking a value against its binding and
//! percent-encoding it, before any request is made; and the checked text
//! that every typed resource name in `names` holds ([`NameText`]).
//!
//! Every byte outside the unreserved set (`A-Z a-z 0-9 - . _ ~`) is encoded,
//! so no value can add a segment, a query or a fragment. Segments that are
//! empty, `.` or `..` are refused: URL normalisation would drop or collapse
//! them and the request would reach another route.

use std::fmt;

/// The shape a path value must have, such as `archiveJobs/*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binding {
    /// The shape as documented, for error messages.
    pub template: &'static str,
    /// The shape, segment by segment.
    pub segments: &'static [Segment],
}

/// One segment of a [`Binding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Exactly this text.
    Literal(&'static str),
    /// `*`: any one segment.
    Single,
    /// `**`: the rest of the value, any number of segments.
    Multi,
}

/// A path parameter value that the request cannot carry, or a text that is
/// not a resource name of the type it was parsed as.
#[derive(Clone, PartialEq, Eq)]
pub struct BindingError {
    /// What was checked: `path parameter` or `resource name`.
    subject: &'static str,
    parameter: &'static str,
    template: &'static str,
    value: String,
    reason: &'static str,
}

/// [`BindingError::subject`] of a call's path parameter.
const PATH_PARAMETER: &str = "path parameter";

/// [`BindingError::subject`] of a typed resource name.
const RESOURCE_NAME: &str = "resource name";

impl BindingError {
    /// The parameter's name in the API, such as `name`; for a resource name,
    /// its type, such as `ArchiveJobName`.
    pub fn parameter(&self) -> &str {
        self.parameter
    }

    /// The shape the value must have, such as `archiveJobs/*`.
    pub fn template(&self) -> &str {
        self.template
    }

    /// The value that was given.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl BindingError {
    /// An operation's name that no polling call enabled in the crate
    /// accepts; `calls` says which calls were tried.
    pub(crate) fn unpollable(calls: &'static str, name: String) -> Self {
        Self {
            subject: "operation name",
            parameter: "name",
            template: calls,
            value: name,
            reason: "fits none of the polling calls whose resource's cargo feature is on",
        }
    }
}

impl fmt::Display for BindingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} `{}` must match `{}`, but {:?} {}",
            self.subject, self.parameter, self.template, self.value, self.reason
        )
    }
}

impl fmt::Debug for BindingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for BindingError {}

/// Appends a `{x}` value: one segment, `/` included in the encoding,
/// checked against `binding` first when the parameter has a pattern.
pub fn push_simple(
    out: &mut String,
    parameter: &'static str,
    value: &str,
    binding: Option<&Binding>,
) -> Result<(), BindingError> {
    let error = |reason| BindingError {
        subject: PATH_PARAMETER,
        parameter,
        template: binding.map_or("*", |b| b.template),
        value: value.to_owned(),
        reason,
    };
    check_segment(value).map_err(error)?;
    if let Some(binding) = binding {
        if !fits_binding(binding.segments, value) {
            return Err(error("does not"));
        }
    }
    // As in `push_reserved`: one growth for the value and a `:verb`.
    out.reserve(value.len() + 16);
    encode_segment(out, value);
    Ok(())
}

/// Appends a `{+x}` value: segments kept apart by `/`, each encoded, the
/// whole checked against `binding` when there is one.
pub fn push_reserved(
    out: &mut String,
    parameter: &'static str,
    value: &str,
    binding: Option<&Binding>,
) -> Result<(), BindingError> {
    let error = |reason| BindingError {
        subject: PATH_PARAMETER,
        parameter,
        template: binding.map_or("**", |b| b.template),
        value: value.to_owned(),
        reason,
    };
    // `split` rather than a `Vec` of segments: no allocation.
    for segment in value.split('/') {
        check_segment(segment).map_err(error)?;
    }
    if let Some(binding) = binding {
        if !fits_binding(binding.segments, value) {
            return Err(error("does not"));
        }
    }
    // Room for the value unencoded and what usually follows it (a `:verb`),
    // so the path grows once rather than byte by byte.
    out.reserve(value.len() + 16);
    // Each `/` stays: the value's segments were checked above.
    encode_keeping(out, value, true);
    Ok(())
}

/// Appends a repeated parameter's values, joined by `,`: how RFC 6570
/// expands a list, and so what Google's Python client sends
/// (`googleapiclient/discovery.py` passes the list to `uritemplate.expand`,
/// whose `_string_expansion` joins the quoted values with `,`). Each value is
/// encoded as a `{x}` value (`reserved`: as a `{+x}` value, `/` kept), so a
/// `,` inside a value is `%2C` and only the separators are raw; each is
/// checked on its own against `binding`, as Python checks each against the
/// pattern. An empty list is refused: it would leave an empty segment.
#[allow(dead_code)] // Only crates with repeated path parameters use it.
pub fn push_list<S: AsRef<str>>(
    out: &mut String,
    parameter: &'static str,
    values: &[S],
    reserved: bool,
    binding: Option<&Binding>,
) -> Result<(), BindingError> {
    let mut text = String::new();
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        if reserved {
            push_reserved(&mut text, parameter, value.as_ref(), binding)?;
        } else {
            push_simple(&mut text, parameter, value.as_ref(), binding)?;
        }
    }
    if values.is_empty() {
        return Err(BindingError {
            subject: PATH_PARAMETER,
            parameter,
            template: binding.map_or(if reserved { "**" } else { "*" }, |b| b.template),
            value: String::new(),
            reason: "is an empty list, which would leave an empty segment",
        });
    }
    out.push_str(&text);
    Ok(())
}

fn check_segment(segment: &str) -> Result<(), &'static str> {
    match segment {
        "" => Err("has an empty segment"),
        "." | ".." => Err("has a `.` or `..` segment, which would change the request's path"),
        _ => Ok(()),
    }
}

/// Where each variable segment of `binding` (`*`, `**`) lies in `value`,
/// as byte ranges, or `None` when `value` does not have the binding's shape.
/// Segments are not checked here (see [`check_segment`]).
fn variable_spans(binding: &[Segment], value: &str) -> Option<Vec<(usize, usize)>> {
    let mut spans = Vec::new();
    walk_binding(binding, value, |span| spans.push(span)).then_some(spans)
}

/// Whether `value` has the shape of `binding`: [`variable_spans`] without
/// collecting them, for a call's path parameter, which needs only the answer.
fn fits_binding(binding: &[Segment], value: &str) -> bool {
    walk_binding(binding, value, |_| {})
}

/// Walks `value` along `binding`, telling `span` where each variable
/// segment lies; whether `value` has the binding's shape.
fn walk_binding(binding: &[Segment], value: &str, mut span: impl FnMut((usize, usize))) -> bool {
    // Start of the next segment; `value.len() + 1` once all are used up.
    let mut start = 0;
    for segment in binding {
        if start > value.len() {
            return false;
        }
        if *segment == Segment::Multi {
            // `**` takes the rest: one segment or more.
            span((start, value.len()));
            start = value.len() + 1;
            continue;
        }
        let end = value[start..].find('/').map_or(value.len(), |i| start + i);
        match segment {
            Segment::Literal(text) if *text != &value[start..end] => return false,
            Segment::Single => span((start, end)),
            _ => {}
        }
        start = end + 1;
    }
    start == value.len() + 1
}

/// Checks `value` against `binding` and gives the byte range of each of its
/// variable segments, in order: the one matcher behind every typed resource
/// name. `type_name` (such as `ArchiveJobName`) appears in errors.
#[doc(hidden)]
pub fn match_binding(
    binding: &Binding,
    type_name: &'static str,
    value: &str,
) -> Result<Vec<(usize, usize)>, BindingError> {
    let error = |reason| BindingError {
        subject: RESOURCE_NAME,
        parameter: type_name,
        template: binding.template,
        value: value.to_owned(),
        reason,
    };
    // The same rules as a path parameter's, so that every resource name can
    // be sent as one.
    for segment in value.split('/') {
        check_segment(segment).map_err(error)?;
    }
    variable_spans(binding.segments, value).ok_or_else(|| error("does not"))
}

/// The checked text of a typed resource name and where its variable
/// segments lie: what every type in `names` wraps, so that each type adds
/// only its template, constructor and accessors.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NameText {
    text: String,
    /// Byte ranges of the variable segments; they follow from `text`, so
    /// equality and order are the text's.
    spans: Box<[(usize, usize)]>,
}

impl NameText {
    /// Checks a whole name, such as `archiveJobs/123`, against `binding`.
    pub fn parse(
        binding: &Binding,
        type_name: &'static str,
        text: String,
    ) -> Result<Self, BindingError> {
        let spans = match_binding(binding, type_name, &text)?.into_boxed_slice();
        Ok(Self { text, spans })
    }

    /// Builds a name from the values of its variable segments, in order,
    /// and checks it: a `*` value must be one segment, so that no value can
    /// move the others (`new("a/locations/b", "c")` is refused, not read as
    /// three parts).
    pub fn build(
        binding: &Binding,
        type_name: &'static str,
        parts: &[String],
    ) -> Result<Self, BindingError> {
        let mut text = String::new();
        let mut parts_iter = parts.iter();
        let mut one_segment_parts = true;
        for (i, segment) in binding.segments.iter().enumerate() {
            if i > 0 {
                text.push('/');
            }
            match segment {
                Segment::Literal(literal) => text.push_str(literal),
                Segment::Single | Segment::Multi => {
                    let part = parts_iter.next().map_or("", String::as_str);
                    one_segment_parts &= *segment == Segment::Multi || !part.contains('/');
                    text.push_str(part);
                }
            }
        }
        let reason = if parts_iter.next().is_some() {
            // Only a hand-made call can get here: generated constructors
            // pass one value per variable.
            Some("was built from more values than the template has variables")
        } else if !one_segment_parts {
            Some("has a `/` inside a part that must be one segment (`*`)")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(BindingError {
                subject: RESOURCE_NAME,
                parameter: type_name,
                template: binding.template,
                value: text,
                reason,
            });
        }
        Self::parse(binding, type_name, text)
    }

    /// The whole name.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value of variable segment `index` (in path order).
    pub fn part(&self, index: usize) -> &str {
        let (start, end) = self.spans[index];
        &self.text[start..end]
    }

    /// The whole name, without copying.
    pub fn into_string(self) -> String {
        self.text
    }

    /// Reads a name from a string, checking it as [`NameText::parse`] does.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
        binding: &Binding,
        type_name: &'static str,
    ) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(deserializer)?;
        Self::parse(binding, type_name, text).map_err(serde::de::Error::custom)
    }
}

/// Percent-encodes every byte outside the unreserved set.
pub fn encode_segment(out: &mut String, text: &str) {
    encode_keeping(out, text, false);
}

/// Appends `text` percent-encoded, keeping the unreserved bytes (and `/`
/// when `keep_slash`). Runs of kept bytes are appended as slices rather
/// than byte by byte: every kept byte is ASCII, so a run starts and ends on
/// character boundaries (an empty run, which may not, is skipped).
fn encode_keeping(out: &mut String, text: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let keep = |byte: u8| {
        byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && byte == b'/')
    };
    let mut run = 0;
    for (at, &byte) in text.as_bytes().iter().enumerate() {
        if keep(byte) {
            continue;
        }
        if at > run {
            out.push_str(&text[run..at]);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xF)]));
        run = at + 1;
    }
    out.push_str(&text[run..]);
}

/// The error of a path value that a parameter style cannot send (an empty
/// value, a `.` or `..` segment); `template` names the style.
#[allow(dead_code)] // Only crates with styled path parameters use it.
#[doc(hidden)]
pub fn style_error(
    parameter: &'static str,
    template: &'static str,
    value: &serde_json::Value,
    reason: &'static str,
) -> BindingError {
    BindingError {
        subject: PATH_PARAMETER,
        parameter,
        template,
        value: match value {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        },
        reason,
    }
}
