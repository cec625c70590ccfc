//! Binary data (`format: byte` fields): raw bytes in Rust, a base64 string
//! on the wire, with the codec written here rather than pulled in.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

/// Bytes sent as a base64 JSON string.
///
/// Written with the standard alphabet and `=` padding; read in either the
/// standard or the URL-safe alphabet, padded or not, since Google sends
/// all four. The bytes are kept, not the text: two spellings of the same
/// bytes are equal and are written back the standard way.
///
/// Its `Display` and `FromStr` are the base64 text (what a query string
/// carries), whereas `From<&str>` takes the string's own UTF-8 bytes.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bytes(Vec<u8>);

/// A string that is not base64.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BytesError {
    input: String,
    reason: String,
}

impl fmt::Display for BytesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not base64: {}", self.input, self.reason)
    }
}

impl std::error::Error for BytesError {}

/// How many characters of a bad input an error repeats: byte fields can be
/// megabytes, and an error message is no place for them.
const SHOWN_CHARS: usize = 64;

/// How many leading bytes `Debug` shows, for the same reason.
const DEBUG_BYTES: usize = 32;

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

impl Bytes {
    /// Wraps raw bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    /// Decodes base64 in the standard (`+/`) or URL-safe (`-_`) alphabet,
    /// with or without `=` padding.
    pub fn from_base64(text: &str) -> Result<Self, BytesError> {
        decode(text).map(Self)
    }

    /// Encodes as base64 in the standard alphabet, with `=` padding.
    pub fn to_base64(&self) -> String {
        encode(&self.0)
    }

    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, without copying them.
    pub fn into_vec(self) -> Vec<u8> {
        self.0
    }
}

/// Standard base64 with padding (RFC 4648 section 4): the wire form of
/// `Bytes`, and basic credentials' and PKCE's encoding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        // Three bytes make four 6-bit digits; a short last chunk is padded
        // with zero bits and its missing digits written as `=`.
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let group = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let digit = (group >> (18 - 6 * i)) & 0x3f;
                out.push(char::from(STANDARD[digit as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn decode(text: &str) -> Result<Vec<u8>, BytesError> {
    let fail = |reason: String| BytesError {
        input: shown(text),
        reason,
    };
    let b = text.as_bytes();
    let padding = b.iter().rev().take_while(|&&c| c == b'=').count();
    if padding > 0 && (padding > 2 || b.len() % 4 != 0) {
        return Err(fail(format!(
            "{padding} `=` at the end of {} characters; padding fills the last group of 4, with 1 or 2",
            b.len()
        )));
    }
    let body = &b[..b.len() - padding];
    for (i, &c) in body.iter().enumerate() {
        if digit(c).is_none() {
            // Every earlier byte is ASCII, so `i` starts a character.
            let bad = text[i..].chars().next().unwrap_or_default();
            return Err(fail(format!(
                "{bad:?} at byte {i} is not a base64 character"
            )));
        }
    }
    // A lone last digit holds 6 bits, too few for a byte: the text was cut.
    if body.len() % 4 == 1 {
        return Err(fail(format!(
            "{} characters leave one over, 6 bits that make no whole byte",
            body.len()
        )));
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    let (mut bits, mut count) = (0u32, 0u32);
    for &c in body {
        // At most 14 bits are ever pending, so 16 are kept.
        bits = ((bits << 6) | u32::from(digit(c).unwrap_or_default())) & 0xffff;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    // Bits left over at the end are not checked to be zero: most decoders
    // accept them, and they carry no data.
    Ok(out)
}

/// The value of one base64 digit in either alphabet.
fn digit(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// The input as an error shows it: quoted, and cut short if long.
fn shown(text: &str) -> String {
    let mut chars = text.char_indices();
    match chars.nth(SHOWN_CHARS) {
        None => format!("{text:?}"),
        Some((end, _)) => format!("{:?}... ({} bytes)", &text[..end], text.len()),
    }
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl From<&[u8]> for Bytes {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

/// The string's UTF-8 bytes; use [`Bytes::from_base64`] to decode base64.
impl From<&str> for Bytes {
    fn from(text: &str) -> Self {
        Self(text.as_bytes().to_vec())
    }
}

/// The string's UTF-8 bytes; use [`Bytes::from_base64`] to decode base64.
impl From<String> for Bytes {
    fn from(text: String) -> Self {
        Self(text.into_bytes())
    }
}

impl From<Bytes> for Vec<u8> {
    fn from(bytes: Bytes) -> Self {
        bytes.0
    }
}

/// Decodes base64, like [`Bytes::from_base64`].
impl FromStr for Bytes {
    type Err = BytesError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::from_base64(text)
    }
}

/// Writes standard, padded base64, like [`Bytes::to_base64`].
impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&encode(&self.0))
    }
}

/// The length and the first 32 bytes in hex: a field can hold a whole file,
/// which would drown a log line.
impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bytes({} bytes: ", self.0.len())?;
        for byte in self.0.iter().take(DEBUG_BYTES) {
            write!(f, "{byte:02x}")?;
        }
        if self.0.len() > DEBUG_BYTES {
            f.write_str("...")?;
        }
        f.write_str(")")
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Self::from_base64(&text).map_err(serde::de::Error::custom)
    }
}
