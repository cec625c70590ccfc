//! Signed spans of time (`format: google-duration` fields), in protobuf's
//! JSON form (`"3.5s"`): checked on the way in, kept exactly as sent so they
//! round-trip, and convertible to and from `std::time::Duration`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// A span of time, possibly negative, written as seconds with up to nine
/// decimal places and an `s` (`"3.5s"`, `"-0.000000001s"`, `"0s"`).
///
/// Two durations are equal when they are equally long, whatever the digits
/// they were written with: `"1.5s"` equals `"1.500s"`.
#[derive(Clone)]
pub struct Duration {
    text: String,
    seconds: i64,
    nanos: i32,
}

/// A string that is not a protobuf duration, or a span longer than 10,000
/// years either way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationError {
    input: String,
    reason: &'static str,
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not a duration such as \"3.5s\": {}",
            self.input, self.reason
        )
    }
}

impl std::error::Error for DurationError {}

/// Protobuf's limit: about 10,000 years, either way.
const MAX_SECONDS: i64 = 315_576_000_000;

const NANOS_PER_SECOND: i32 = 1_000_000_000;

/// How many characters of a bad input an error repeats.
const SHOWN_CHARS: usize = 64;

const TOO_LONG: &str = "more than 315576000000 seconds (10,000 years) either way";

impl Duration {
    /// Parses `[-]seconds[.fraction]s`, with 1 to 9 fraction digits.
    pub fn parse(text: &str) -> Result<Self, DurationError> {
        let fail = |reason| DurationError {
            input: shown(text),
            reason,
        };
        let Some(body) = text.strip_suffix('s') else {
            return Err(fail("expected seconds ending in `s`"));
        };
        let (negative, body) = match body.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        let (whole, fraction) = match body.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (body, None),
        };
        if whole.is_empty() || !whole.bytes().all(|c| c.is_ascii_digit()) {
            return Err(fail("expected digits before the `s` or `.`"));
        }
        let mut seconds = 0i64;
        for d in whole.bytes() {
            seconds = seconds * 10 + i64::from(d - b'0');
            // Checked digit by digit, so a long run of digits cannot overflow.
            if seconds > MAX_SECONDS {
                return Err(fail(TOO_LONG));
            }
        }
        let mut nanos = 0i32;
        if let Some(fraction) = fraction {
            let digits = fraction.len();
            if !(1..=9).contains(&digits) || !fraction.bytes().all(|c| c.is_ascii_digit()) {
                return Err(fail("expected 1 to 9 digits after `.`"));
            }
            for (i, d) in fraction.bytes().enumerate() {
                nanos += i32::from(d - b'0') * 10i32.pow(8 - i as u32);
            }
        }
        // Protobuf gives both parts the sign of the whole.
        if negative {
            seconds = -seconds;
            nanos = -nanos;
        }
        Ok(Self {
            text: text.to_owned(),
            seconds,
            nanos,
        })
    }

    /// The duration `seconds` plus `nanos` nanoseconds, written the way
    /// protobuf writes it: no fraction, or 3, 6 or 9 digits of one.
    ///
    /// As in protobuf, `nanos` is below one second in size and cannot have
    /// the opposite sign to a nonzero `seconds`: `-1.5s` is `(-1, -500_000_000)`.
    pub fn from_secs_nanos(seconds: i64, nanos: i32) -> Result<Self, DurationError> {
        let fail = |reason| DurationError {
            input: format!("{seconds} seconds and {nanos} nanoseconds"),
            reason,
        };
        if !(-MAX_SECONDS..=MAX_SECONDS).contains(&seconds) {
            return Err(fail(TOO_LONG));
        }
        if nanos.unsigned_abs() >= NANOS_PER_SECOND.unsigned_abs() {
            return Err(fail("nanoseconds make up a whole second or more"));
        }
        if (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0) {
            return Err(fail("seconds and nanoseconds have opposite signs"));
        }
        let sign = if seconds < 0 || nanos < 0 { "-" } else { "" };
        let mut text = format!("{sign}{}", seconds.unsigned_abs());
        let nanos_abs = nanos.unsigned_abs();
        if nanos_abs != 0 {
            let (width, fraction) = if nanos_abs % 1_000_000 == 0 {
                (3, nanos_abs / 1_000_000)
            } else if nanos_abs % 1_000 == 0 {
                (6, nanos_abs / 1_000)
            } else {
                (9, nanos_abs)
            };
            text.push_str(&format!(".{fraction:0width$}"));
        }
        text.push('s');
        Ok(Self {
            text,
            seconds,
            nanos,
        })
    }

    /// The duration as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The whole seconds, negative for a negative duration.
    pub fn seconds(&self) -> i64 {
        self.seconds
    }

    /// The fraction of a second in nanoseconds, with the sign of the whole
    /// duration (as protobuf has it): `-1.5s` has `-500_000_000`.
    pub fn nanos(&self) -> i32 {
        self.nanos
    }

    /// The same span as a `std::time::Duration`, or `None` when negative,
    /// since that type cannot be.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        let seconds = u64::try_from(self.seconds).ok()?;
        let nanos = u32::try_from(self.nanos).ok()?;
        Some(std::time::Duration::new(seconds, nanos))
    }

    /// The length in nanoseconds, which orders and compares durations.
    fn total_nanos(&self) -> i128 {
        i128::from(self.seconds) * i128::from(NANOS_PER_SECOND) + i128::from(self.nanos)
    }
}

/// Fails rather than saturating for spans over 10,000 years: quietly
/// shortening a span would change what a request asks for.
impl TryFrom<std::time::Duration> for Duration {
    type Error = DurationError;

    fn try_from(span: std::time::Duration) -> Result<Self, Self::Error> {
        let too_long = || DurationError {
            input: format!("{span:?}"),
            reason: TOO_LONG,
        };
        let seconds = i64::try_from(span.as_secs()).map_err(|_| too_long())?;
        // Below a billion, so it fits.
        let nanos = span.subsec_nanos() as i32;
        Self::from_secs_nanos(seconds, nanos).map_err(|_| too_long())
    }
}

impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Duration({})", self.text)
    }
}

impl PartialEq for Duration {
    fn eq(&self, other: &Self) -> bool {
        self.total_nanos() == other.total_nanos()
    }
}

impl Eq for Duration {}

impl Hash for Duration {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.total_nanos().hash(state);
    }
}

impl PartialOrd for Duration {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Duration {
    fn cmp(&self, other: &Self) -> Ordering {
        self.total_nanos().cmp(&other.total_nanos())
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The input as an error shows it: quoted, and cut short if long.
fn shown(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        None => format!("{text:?}"),
        Some((end, _)) => format!("{:?}... ({} bytes)", &text[..end], text.len()),
    }
}
