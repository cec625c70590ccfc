//! Calendar dates (`format: date` fields), `YYYY-MM-DD` with no time of day
//! and no time zone, checked on the way in.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A day of the proleptic Gregorian calendar, years 1 to 9999, written
/// `YYYY-MM-DD` (`2025-07-25`).
///
/// Only that one spelling is read, so writing a date back gives the very
/// text it was read from. Dates order by year, then month, then day.
// Field order matters: the derived `Ord` compares year first.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// A string that is not a `YYYY-MM-DD` date, or a day no calendar has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateError {
    input: String,
    reason: &'static str,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not a YYYY-MM-DD date: {}",
            self.input, self.reason
        )
    }
}

impl std::error::Error for DateError {}

/// How many characters of a bad input an error repeats.
const SHOWN_CHARS: usize = 64;

impl Date {
    /// The date `year-month-day`, if there is such a day in years 1 to 9999.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        let fail = |reason| DateError {
            input: format!("\"{year:04}-{month:02}-{day:02}\""),
            reason,
        };
        if !(1..=9999).contains(&year) {
            return Err(fail("outside years 1 to 9999"));
        }
        if !(1..=12).contains(&month) {
            return Err(fail("no such month"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(fail("no such day in that month"));
        }
        Ok(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD`: exactly ten characters, zero-padded.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let b = text.as_bytes();
        let form = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !form {
            return Err(DateError {
                input: shown(text),
                reason: "expected the form YYYY-MM-DD",
            });
        }
        let number = |part: &[u8]| part.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
        // The month and day are at most 99, so they fit a u8.
        let (year, month, day) = (number(&b[0..4]), number(&b[5..7]), number(&b[8..10]));
        Self::new(year, month as u8, day as u8)
    }

    /// The year, 1 to 9999.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1 (January) to 12 (December).
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.day
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The input as an error shows it: quoted, and cut short if long.
fn shown(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        None => format!("{text:?}"),
        Some((end, _)) => format!("{:?}... ({} bytes)", &text[..end], text.len()),
    }
}
