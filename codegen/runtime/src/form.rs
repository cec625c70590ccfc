//! Request bodies other than JSON: `application/x-www-form-urlencoded` and
//! `multipart/form-data`, from the JSON value of the typed body.

use std::borrow::Cow;

use serde_json::Value;

use super::style::{Style, push_percent, query_pairs};

/// `application/x-www-form-urlencoded` text of the object `value` (as
/// `serde_json::to_value` of the typed body gives it).
///
/// Each property is laid out with the OpenAPI 3.1.1 defaults for form
/// bodies: an array repeats the name (`a=1&a=2`, style `form` with
/// explode), an object is one pair of its JSON text (its default content
/// type is `application/json`), unless `encodings` names the property with
/// a style and explode (its Encoding Object); the layouts are those of
/// query parameters (`style::push_query`). Values nested below that render
/// as compact JSON.
/// Names and values are encoded as the form format has it: a space as `+`,
/// every other byte outside `A-Z a-z 0-9 * - . _` as `%XX`; the `,` between
/// the items of a non-exploded value stays raw, and the separator of
/// `spaceDelimited` is a space too (`+`). `null` properties are left out.
///
/// # Errors
///
/// A `value` that is not an object has no form representation.
pub fn urlencoded(
    value: &Value,
    encodings: &[(&str, Style, bool)],
) -> Result<String, &'static str> {
    let Value::Object(members) = value else {
        return Err("a form body must be an object");
    };
    let mut out = String::new();
    for (name, member) in members {
        let encoding = encodings.iter().find(|(property, _, _)| property == name);
        // Without an Encoding Object saying otherwise, an object property
        // travels as its JSON text (OpenAPI 3.1.1: its default content type
        // is `application/json`); arrays repeat the name, as `form` does.
        if encoding.is_none() && member.is_object() {
            if !out.is_empty() {
                out.push('&');
            }
            encode_form(&mut out, name);
            out.push('=');
            encode_form(&mut out, &member.to_string());
            continue;
        }
        let (style, explode) =
            encoding.map_or((Style::Form, true), |&(_, style, explode)| (style, explode));
        for pair in query_pairs(name, member, style, explode) {
            if !out.is_empty() {
                out.push('&');
            }
            encode_form(&mut out, &pair.name);
            out.push('=');
            pair.encode_value(&mut out, encode_form);
        }
    }
    Ok(out)
}

/// Encodes `text` as `application/x-www-form-urlencoded` does (the WHATWG
/// URL standard's serializer): space as `+`, `A-Z a-z 0-9 * - . _` raw,
/// every other byte as `%XX`.
fn encode_form(out: &mut String, text: &str) {
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'*' | b'-' | b'.' | b'_') {
            out.push(char::from(byte));
        } else if byte == b' ' {
            out.push('+');
        } else {
            push_percent(out, byte);
        }
    }
}

/// One part of a multipart body: its header lines (each ending in CRLF) and
/// its content.
struct Part<'a> {
    headers: String,
    body: Cow<'a, [u8]>,
}

/// `multipart/form-data` (RFC 7578) of the object `value` and the binary
/// `files`, given as (property name, file name, content type, bytes).
///
/// Each property of `value` is one part (a `null` one none): a scalar is a
/// text part (no `Content-Type`, which means `text/plain`), an array one
/// part per item under the property's name, an object (or an array item
/// that is an array or object) a JSON part with
/// `Content-Type: application/json`. A property that `files` also names is
/// left out of `value`'s parts: the file is its content. Then each file is
/// a part with its `filename` and `Content-Type`, in the order given.
///
/// Returns the `Content-Type` header value (`multipart/form-data;
/// boundary=...`) and the body. The boundary has a fixed length and is
/// derived from a hash of the parts, so the same request gives the same
/// bytes (tests and dry runs compare them); it occurs in no part.
///
/// # Errors
///
/// A `value` that is not an object; a name, file name or content type
/// holding CR or LF, which would end the part's header line.
pub fn multipart(
    value: &Value,
    files: &[(&str, &str, &str, &[u8])],
) -> Result<(String, Vec<u8>), &'static str> {
    let Value::Object(members) = value else {
        return Err("a multipart body must be an object");
    };
    let mut parts = Vec::new();
    for (name, member) in members {
        if files
            .iter()
            .any(|(file_property, ..)| file_property == name)
        {
            continue;
        }
        match member {
            Value::Null => {}
            Value::Array(items) => {
                for item in items.iter().filter(|item| !item.is_null()) {
                    parts.push(value_part(name, item)?);
                }
            }
            other => parts.push(value_part(name, other)?),
        }
    }
    for &(name, file_name, content_type, bytes) in files {
        let mut headers = disposition(name)?;
        headers.push_str("; filename=");
        quote(&mut headers, file_name)?;
        headers.push_str("\r\nContent-Type: ");
        if content_type.contains(['\r', '\n']) {
            return Err("a content type holds CR or LF");
        }
        headers.push_str(content_type);
        headers.push_str("\r\n");
        parts.push(Part {
            headers,
            body: Cow::Borrowed(bytes),
        });
    }

    let boundary = boundary(&parts);
    let mut body = Vec::new();
    for part in &parts {
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(part.headers.as_bytes());
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&part.body);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--");
    body.extend_from_slice(boundary.as_bytes());
    body.extend_from_slice(b"--\r\n");
    Ok((format!("multipart/form-data; boundary={boundary}"), body))
}

/// The part of one property value: text for a scalar, JSON otherwise.
fn value_part<'a>(name: &str, value: &'a Value) -> Result<Part<'a>, &'static str> {
    let mut headers = disposition(name)?;
    headers.push_str("\r\n");
    let body = match value {
        Value::String(text) => Cow::Borrowed(text.as_bytes()),
        Value::Array(_) | Value::Object(_) => {
            headers.push_str("Content-Type: application/json\r\n");
            Cow::Owned(value.to_string().into_bytes())
        }
        // Numbers and booleans: their JSON text is their text.
        scalar => Cow::Owned(scalar.to_string().into_bytes()),
    };
    Ok(Part { headers, body })
}

/// `Content-Disposition: form-data; name="..."`, without the line end.
fn disposition(name: &str) -> Result<String, &'static str> {
    let mut header = String::from("Content-Disposition: form-data; name=");
    quote(&mut header, name)?;
    Ok(header)
}

/// Appends `text` as a quoted string, `"` and `\` escaped with `\`.
fn quote(out: &mut String, text: &str) -> Result<(), &'static str> {
    if text.contains(['\r', '\n']) {
        return Err("a part name or file name holds CR or LF");
    }
    out.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    Ok(())
}

/// A boundary that occurs in no part: `form-boundary-` and 32 hex digits
/// from two FNV-1a hashes of the parts and a salt, the salt raised until
/// no part holds the candidate. Every candidate differs, so each byte
/// offset of the parts can rule out at most one, and the loop ends.
fn boundary(parts: &[Part<'_>]) -> String {
    for salt in 0u64.. {
        let hash = |lane: u8| {
            let mut state = Fnv1a::new();
            state.write(&salt.to_le_bytes());
            state.write(&[lane]);
            for part in parts {
                // Lengths first, so that moving bytes between parts changes
                // the hash.
                state.write(&(part.headers.len() as u64).to_le_bytes());
                state.write(part.headers.as_bytes());
                state.write(&(part.body.len() as u64).to_le_bytes());
                state.write(&part.body);
            }
            state.0
        };
        let candidate = format!("form-boundary-{:016x}{:016x}", hash(0), hash(1));
        let taken = parts.iter().any(|part| {
            contains(part.headers.as_bytes(), candidate.as_bytes())
                || contains(&part.body, candidate.as_bytes())
        });
        if !taken {
            return candidate;
        }
    }
    unreachable!("a boundary is found before the salt runs out")
}

/// Whether `needle` (not empty) occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window[0] == needle[0] && window == needle)
}

/// The 64-bit FNV-1a hash: std has no stable hash, and the boundary must
/// be the same in every build.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}
