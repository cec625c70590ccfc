//! Calendar arithmetic for the fake clock: RFC 3339 text for the API, the
//! compact `X-Goog-Date` form for signed URLs, and MS-DOS dates for ZIP
//! entries.
//!
//! The fake writes these itself rather than through the crate's `Timestamp`,
//! so a bug there cannot hide behind a matching bug here.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Whole seconds since the Unix epoch (negative before it).
pub fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            // Round towards the past, so 0.5 s before the epoch is -1.
            let before = before.duration();
            let seconds = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            if before.subsec_nanos() > 0 {
                -seconds - 1
            } else {
                -seconds
            }
        }
    }
}

/// The time `seconds` after the Unix epoch.
pub fn from_unix_seconds(seconds: i64) -> SystemTime {
    let magnitude = Duration::from_secs(seconds.unsigned_abs());
    if seconds >= 0 {
        UNIX_EPOCH + magnitude
    } else {
        UNIX_EPOCH - magnitude
    }
}

/// `time` truncated to whole seconds.
pub fn whole_seconds(time: SystemTime) -> SystemTime {
    from_unix_seconds(unix_seconds(time))
}

/// The civil date and time of `seconds` in UTC: (year, month, day, hour,
/// minute, second). Howard Hinnant's `civil_from_days`.
fn civil(seconds: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Every value below is in range by construction; the casts cannot wrap.
    (
        year,
        month as u32,
        day as u32,
        (of_day / 3600) as u32,
        (of_day / 60 % 60) as u32,
        (of_day % 60) as u32,
    )
}

/// Days from 1970-01-01 to the given civil date (Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2025-06-01T10:00:00Z`: RFC 3339 in UTC, whole seconds, as Google writes
/// `timestamp_after_24hrs` and `exportTime`.
pub fn rfc3339(time: SystemTime) -> String {
    let (y, mo, d, h, mi, s) = civil(unix_seconds(time));
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `20250601T100000Z`: the `X-Goog-Date` form of a V4 signed URL.
pub fn goog_date(time: SystemTime) -> String {
    let (y, mo, d, h, mi, s) = civil(unix_seconds(time));
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

/// Reads an `X-Goog-Date` back; `None` unless it is exactly that form with
/// a real date and time.
pub fn parse_goog_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = bytes.get(range)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    let (year, month, day) = (number(0..4)?, number(4..6)?, number(6..8)?);
    let (hour, minute, second) = (number(9..11)?, number(11..13)?, number(13..15)?);
    if !(1..=12).contains(&month) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = days_from_civil(i64::from(year), month, day);
    // A day past the end of its month would roll over; refuse it instead.
    if day == 0 || civil(days * 86_400).2 != day {
        return None;
    }
    Some(days * 86_400 + i64::from(hour * 3600 + minute * 60 + second))
}

/// The MS-DOS (time, date) pair of a ZIP entry. DOS dates start in 1980, so
/// earlier times are written as 1980-01-01 00:00.
pub fn dos_date_time(time: SystemTime) -> (u16, u16) {
    let (y, mo, d, h, mi, s) = civil(unix_seconds(time));
    if !(1980..=2107).contains(&y) {
        return (0, (1 << 5) | 1);
    }
    // In range by the check above: the year offset fits in 7 bits.
    let year = (y - 1980) as u16;
    let dos_time = ((h as u16) << 11) | ((mi as u16) << 5) | ((s / 2) as u16);
    let dos_date = (year << 9) | ((mo as u16) << 5) | (d as u16);
    (dos_time, dos_date)
}
