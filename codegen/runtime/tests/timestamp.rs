//! `Timestamp`: RFC 3339 parsing, equality by instant, and the conversions.

use google_api_runtime::Timestamp;
use std::collections::HashSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn ts(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e}"))
}

#[test]
fn valid_forms_parse_and_keep_their_text() {
    let valid = [
        "2025-07-25T10:00:00Z",
        "2025-07-25T10:00:00+02:00",
        "2025-07-25T10:00:00-07:30",
        "2025-07-25T10:00:00.5Z",
        "2025-07-25T10:00:00.123456789Z",
        "2025-07-25T10:00:00.000001+00:00",
        "2025-07-25t10:00:00z",
        "2024-02-29T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "2016-12-31T23:59:60Z", // a leap second
    ];
    for text in valid {
        let t = ts(text);
        assert_eq!(t.as_str(), text);
        assert_eq!(t.to_string(), text);
        assert_eq!(text.parse::<Timestamp>().as_ref(), Ok(&t));
    }
}

#[test]
fn known_instants() {
    let cases: [(&str, i64, u32); 8] = [
        ("1970-01-01T00:00:00Z", 0, 0),
        ("2000-02-29T12:00:00Z", 951_825_600, 0),
        ("0001-01-01T00:00:00Z", -62_135_596_800, 0),
        ("9999-12-31T23:59:59Z", 253_402_300_799, 0),
        ("1969-12-31T23:59:59Z", -1, 0),
        ("2025-07-25T10:00:00Z", 1_753_437_600, 0),
        ("1970-01-01T00:00:00.25Z", 0, 250_000_000),
        ("1970-01-01T01:00:00+01:00", 0, 0),
    ];
    for (text, seconds, nanos) in cases {
        let t = ts(text);
        assert_eq!(t.unix_seconds(), seconds, "{text}");
        assert_eq!(t.subsec_nanos(), nanos, "{text}");
    }
}

#[test]
fn fractions_past_nanoseconds_are_dropped() {
    let t = ts("2025-07-25T10:00:00.1234567891Z");
    assert_eq!(t.subsec_nanos(), 123_456_789);
    assert_eq!(
        t.as_str(),
        "2025-07-25T10:00:00.1234567891Z",
        "the text is kept"
    );
}

#[test]
fn invalid_forms_are_refused() {
    let invalid = [
        "2025-02-30T00:00:00Z",      // no 30 February
        "2023-02-29T00:00:00Z",      // not a leap year
        "1900-02-29T00:00:00Z",      // nor is 1900
        "2025-04-31T00:00:00Z",      // April has 30 days
        "2025-13-01T00:00:00Z",      // no month 13
        "2025-00-10T00:00:00Z",      // no month 0
        "2025-01-00T00:00:00Z",      // no day 0
        "0000-01-01T00:00:00Z",      // no year 0
        "2025-07-25T24:00:00Z",      // no hour 24
        "2025-07-25T10:60:00Z",      // no minute 60
        "2025-07-25T10:00:61Z",      // no second 61
        "2025-07-25T10:00:60Z",      // a leap second only ends a minute 59
        "2025-07-25T10:00:00",       // no offset
        "2025-07-25T10:00:00+0200",  // offset without a colon
        "2025-07-25T10:00:00+24:00", // no such offset
        "2025-07-25T10:00:00.Z",     // a dot without digits
        "2025-07-25T10:00:00ZZ",     // trailing text
        "2025-07-25T10:00:00Z ",     // trailing space
        "2025-07-25",                // a date only
        "2025-07-25X10:00:00Z",      // not a date-time separator
        "2025/07/25T10:00:00Z",
        "20250725T100000Z", // basic ISO 8601 is not RFC 3339
        "+2025-07-25T10:00:00Z",
        "0001-01-01T00:00:00+00:01", // before year 1 in UTC
        "9999-12-31T23:59:59-00:01", // after year 9999 in UTC
        "garbage",
        "",
        "２０２５-07-25T10:00:00Z",
    ];
    for text in invalid {
        let error = Timestamp::parse(text).expect_err(text);
        assert!(
            error.to_string().contains(&format!("{text:?}")),
            "the error names the input: {error}"
        );
        assert!(text.parse::<Timestamp>().is_err(), "{text:?}");
    }
}

#[test]
fn equal_instants_are_equal_whatever_the_offset() {
    let a = ts("2025-07-25T10:00:00Z");
    let b = ts("2025-07-25T12:00:00+02:00");
    let c = ts("2025-07-25T04:30:00-05:30");
    let d = ts("2025-07-25t10:00:00.000z");
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(a, d);
    assert_ne!(a.as_str(), b.as_str(), "each keeps its own text");
    let set: HashSet<Timestamp> = [a.clone(), b, c, d].into_iter().collect();
    assert_eq!(set.len(), 1, "hashing agrees with equality");

    let later = ts("2025-07-25T10:00:00.000000001Z");
    assert_ne!(a, later);
    assert!(a < later);
    assert!(
        ts("2025-07-25T11:00:00+02:00") < a,
        "09:00Z is before 10:00Z"
    );
}

#[test]
fn system_time_round_trip() {
    for text in [
        "2025-07-25T10:00:00.123456789Z",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.5Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
    ] {
        let t = ts(text);
        let time = t.to_system_time().expect("representable on this platform");
        let back = Timestamp::try_from(time).expect("in range");
        assert_eq!(back, t, "{text}");
        assert_eq!(back.as_str(), text, "UTC text is rebuilt the same");
    }
    assert_eq!(
        ts("1970-01-01T00:00:00Z").to_system_time(),
        Some(UNIX_EPOCH)
    );
    assert_eq!(
        ts("1970-01-01T00:00:01.5Z").to_system_time(),
        Some(UNIX_EPOCH + Duration::from_millis(1500))
    );
    assert_eq!(
        ts("1969-12-31T23:59:59.75Z").to_system_time(),
        Some(UNIX_EPOCH - Duration::from_millis(250))
    );

    let now = SystemTime::now();
    let t = Timestamp::try_from(now).expect("now is in range");
    assert_eq!(t.to_system_time(), Some(now));
    assert_eq!(
        Timestamp::parse(t.as_str()).unwrap(),
        t,
        "its text parses back"
    );
}

#[test]
fn from_unix_writes_utc_text() {
    let cases: [(i64, u32, &str); 6] = [
        (0, 0, "1970-01-01T00:00:00Z"),
        (951_825_600, 0, "2000-02-29T12:00:00Z"),
        (-62_135_596_800, 0, "0001-01-01T00:00:00Z"),
        (
            253_402_300_799,
            999_999_999,
            "9999-12-31T23:59:59.999999999Z",
        ),
        (-1, 500_000_000, "1969-12-31T23:59:59.5Z"),
        (1_753_437_600, 120_000_000, "2025-07-25T10:00:00.12Z"),
    ];
    for (seconds, nanos, text) in cases {
        let t = Timestamp::from_unix(seconds, nanos).expect("in range");
        assert_eq!(t.as_str(), text);
        assert_eq!(t.unix_seconds(), seconds);
        assert_eq!(t.subsec_nanos(), nanos);
        assert_eq!(ts(text), t);
    }
    assert!(
        Timestamp::from_unix(-62_135_596_801, 0).is_err(),
        "before year 1"
    );
    assert!(
        Timestamp::from_unix(253_402_300_800, 0).is_err(),
        "after year 9999"
    );
    assert!(
        Timestamp::from_unix(0, 1_000_000_000).is_err(),
        "nanos out of range"
    );
    assert!(Timestamp::from_unix(i64::MIN, 0).is_err());
    assert!(Timestamp::from_unix(i64::MAX, 0).is_err());
}

#[test]
fn every_day_of_four_centuries_round_trips() {
    // 1600-03-01 to 2400-03-01 covers every leap-year rule twice.
    let start = ts("1600-03-01T00:00:00Z").unix_seconds();
    let end = ts("2400-03-01T00:00:00Z").unix_seconds();
    let mut seconds = start;
    let mut days = 0;
    while seconds <= end {
        let t = Timestamp::from_unix(seconds, 0).unwrap();
        assert_eq!(ts(t.as_str()).unix_seconds(), seconds, "{t:?}");
        seconds += 86_400;
        days += 1;
    }
    assert_eq!(
        days,
        2 * 146_097 + 1,
        "800 Gregorian years have 292194 days"
    );
}

#[test]
fn serde_round_trip_keeps_the_text() {
    for text in ["2025-07-25T12:00:00+02:00", "2025-07-25t10:00:00.50z"] {
        let t = ts(text);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        let back: Timestamp = serde_json::from_str(&json).unwrap();
        assert_eq!(back.as_str(), text);
        assert_eq!(back, t);
    }
    // Escaped JSON text is decoded before parsing.
    let back: Timestamp = serde_json::from_str("\"2025-07-25T10:00:00\\u005A\"").unwrap();
    assert_eq!(back.as_str(), "2025-07-25T10:00:00Z");

    for bad in ["\"2025-02-30T00:00:00Z\"", "\"\"", "12", "null", "{}"] {
        assert!(serde_json::from_str::<Timestamp>(bad).is_err(), "{bad}");
    }
}

#[test]
fn debug_shows_the_text() {
    assert_eq!(
        format!("{:?}", ts("2025-07-25T10:00:00Z")),
        "Timestamp(2025-07-25T10:00:00Z)"
    );
}
