//! Path parameters: checking a value against its binding and
//! percent-encoding it, before any request is made.
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

/// A path parameter value that the request cannot carry.
#[derive(Clone, PartialEq, Eq)]
pub struct BindingError {
    parameter: &'static str,
    template: &'static str,
    value: String,
    reason: &'static str,
}

impl BindingError {
    /// The parameter's name in the API, such as `name`.
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

impl fmt::Display for BindingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "path parameter `{}` must match `{}`, but {:?} {}",
            self.parameter, self.template, self.value, self.reason
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
        parameter,
        template: binding.map_or("*", |b| b.template),
        value: value.to_owned(),
        reason,
    };
    check_segment(value).map_err(error)?;
    if let Some(binding) = binding {
        let segments: Vec<&str> = value.split('/').collect();
        if !matches(binding.segments, &segments) {
            return Err(error("does not"));
        }
    }
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
        parameter,
        template: binding.map_or("**", |b| b.template),
        value: value.to_owned(),
        reason,
    };
    let segments: Vec<&str> = value.split('/').collect();
    for segment in &segments {
        check_segment(segment).map_err(error)?;
    }
    if let Some(binding) = binding {
        if !matches(binding.segments, &segments) {
            return Err(error("does not"));
        }
    }
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        encode_segment(out, segment);
    }
    Ok(())
}

fn check_segment(segment: &str) -> Result<(), &'static str> {
    match segment {
        "" => Err("has an empty segment"),
        "." | ".." => Err("has a `.` or `..` segment, which would change the request's path"),
        _ => Ok(()),
    }
}

fn matches(binding: &[Segment], value: &[&str]) -> bool {
    match (binding.split_first(), value.split_first()) {
        (None, None) => true,
        (Some((Segment::Multi, _)), _) => !value.is_empty(),
        (Some((Segment::Single, rest)), Some((_, value_rest))) => matches(rest, value_rest),
        (Some((Segment::Literal(text), rest)), Some((segment, value_rest))) => {
            text == segment && matches(rest, value_rest)
        }
        _ => false,
    }
}

/// Percent-encodes every byte outside the unreserved set.
pub fn encode_segment(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0xF)] as char);
        }
    }
}
