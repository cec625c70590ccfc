//! The runtime's string-encoded value types (`Bytes`, `Date`, `Duration`,
//! `FieldMask`) and the order in which union shapes are tried.

use google_api_runtime::enums;
use google_api_runtime::{Bytes, Date, Duration, FieldMask};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// A small deterministic generator (xorshift64), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

// ---------------------------------------------------------------- Bytes

const RFC_4648: [(&str, &str); 7] = [
    ("", ""),
    ("f", "Zg=="),
    ("fo", "Zm8="),
    ("foo", "Zm9v"),
    ("foob", "Zm9vYg=="),
    ("fooba", "Zm9vYmE="),
    ("foobar", "Zm9vYmFy"),
];

#[test]
fn bytes_match_the_rfc_4648_test_vectors() {
    for (plain, encoded) in RFC_4648 {
        let bytes = Bytes::from(plain);
        assert_eq!(bytes.to_base64(), encoded, "{plain:?}");
        assert_eq!(bytes.to_string(), encoded, "{plain:?}");
        assert_eq!(Bytes::from_base64(encoded).unwrap(), bytes, "{encoded:?}");
        // Unpadded, as Google often sends it.
        let unpadded = encoded.trim_end_matches('=');
        assert_eq!(
            Bytes::from_base64(unpadded).unwrap().as_slice(),
            plain.as_bytes(),
            "{unpadded:?}"
        );
    }
}

#[test]
fn bytes_read_both_alphabets_and_write_the_standard_one() {
    let raw = [0xfb, 0xff, 0xbf, 0xfb, 0xff];
    let bytes = Bytes::new(raw);
    assert_eq!(bytes.to_base64(), "+/+/+/8=");
    for text in ["+/+/+/8=", "+/+/+/8", "-_-_-_8=", "-_-_-_8"] {
        assert_eq!(Bytes::from_base64(text).unwrap().as_slice(), raw, "{text}");
        assert_eq!(text.parse::<Bytes>().unwrap(), bytes, "{text}");
    }
}

#[test]
fn bytes_round_trip_every_length_and_value() {
    let mut rng = Rng(0x5eed_0001);
    for len in 0..200usize {
        let raw: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let bytes = Bytes::from(raw.clone());
        let text = bytes.to_base64();
        assert_eq!(text.len(), len.div_ceil(3) * 4);
        assert_eq!(Bytes::from_base64(&text).unwrap().into_vec(), raw);
        let url_safe: String = text
            .chars()
            .filter(|&c| c != '=')
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                c => c,
            })
            .collect();
        assert_eq!(Bytes::from_base64(&url_safe).unwrap(), bytes, "{url_safe}");
    }
    for byte in 0..=255u8 {
        let bytes = Bytes::from(&[byte][..]);
        assert_eq!(Bytes::from_base64(&bytes.to_base64()).unwrap(), bytes);
    }
}

#[test]
fn bytes_from_a_str_are_its_utf8_not_its_base64() {
    assert_eq!(Bytes::from("Zm9v").as_slice(), b"Zm9v");
    assert_eq!(Bytes::from("Zm9v".to_owned()).as_ref(), b"Zm9v");
    assert_eq!("Zm9v".parse::<Bytes>().unwrap().as_slice(), b"foo");
}

#[test]
fn bytes_behave_like_a_byte_slice() {
    let bytes = Bytes::new(*b"abc");
    assert_eq!(bytes.len(), 3);
    assert_eq!(&bytes[1..], b"bc");
    assert_eq!(Vec::from(bytes.clone()), b"abc");
    assert!(Bytes::default().is_empty());
    assert!(Bytes::from("abc") < Bytes::from("abd"));
    assert!(Bytes::from("ab") < Bytes::from("abc"));
    let set: HashSet<Bytes> = ["Zm9v", "Zm9v", "-_8"]
        .iter()
        .map(|t| Bytes::from_base64(t).unwrap())
        .collect();
    assert_eq!(set.len(), 2);
}

#[test]
fn bytes_debug_shows_the_length_and_a_prefix() {
    assert_eq!(
        format!("{:?}", Bytes::from("foo")),
        "Bytes(3 bytes: 666f6f)"
    );
    assert_eq!(format!("{:?}", Bytes::default()), "Bytes(0 bytes: )");
    let long = format!("{:?}", Bytes::new(vec![0xab; 1000]));
    assert_eq!(long, format!("Bytes(1000 bytes: {}...)", "ab".repeat(32)));
}

#[test]
fn bytes_reject_bad_base64_naming_the_fault() {
    for (text, words) in [
        ("Zm9v!", "'!' at byte 4 is not a base64 character"),
        ("Zm9vé", "'é' at byte 4 is not a base64 character"),
        ("Zm=v", "'=' at byte 2"),
        ("Zm9 v", "' ' at byte 3"),
        ("Zm9v\n", "'\\n' at byte 4"),
        ("Z", "leave one over"),
        ("Zm9vY", "leave one over"),
        ("Zg=", "padding"),
        ("Zg===", "padding"),
        ("Z===", "padding"),
        ("=", "padding"),
        ("====", "padding"),
    ] {
        let err = Bytes::from_base64(text).unwrap_err().to_string();
        assert!(err.contains(words), "{text:?}: {err}");
        assert!(err.contains("is not base64"), "{text:?}: {err}");
    }
}

#[test]
fn bytes_errors_do_not_repeat_huge_inputs() {
    let text = format!("{}!", "A".repeat(10_000));
    let err = Bytes::from_base64(&text).unwrap_err().to_string();
    assert!(err.len() < 200, "{err}");
    assert!(err.contains("... (10001 bytes)"), "{err}");
    assert!(err.contains("'!' at byte 10000"), "{err}");
}

#[test]
fn bytes_are_lenient_about_unused_trailing_bits() {
    // `Zm9=` and `Zm8=` differ only in bits that make no byte.
    assert_eq!(Bytes::from_base64("Zm9=").unwrap().as_slice(), b"fo");
    assert_eq!(Bytes::from_base64("Zh").unwrap().as_slice(), b"f");
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Blob {
    data: Bytes,
}

#[test]
fn bytes_are_a_base64_json_string() {
    let blob = Blob {
        data: Bytes::from("foobar"),
    };
    let json = serde_json::to_string(&blob).unwrap();
    assert_eq!(json, r#"{"data":"Zm9vYmFy"}"#);
    assert_eq!(serde_json::from_str::<Blob>(&json).unwrap(), blob);
    // An escaped string arrives owned, not borrowed.
    let escaped: Blob = serde_json::from_str(r#"{"data":"Zm9vYg\u003d\u003d"}"#).unwrap();
    assert_eq!(escaped.data.as_slice(), b"foob");
    let err = serde_json::from_str::<Blob>(r#"{"data":"Zm9v!"}"#).unwrap_err();
    assert!(err.to_string().contains("'!' at byte 4"), "{err}");
    assert!(serde_json::from_str::<Blob>(r#"{"data":[1,2]}"#).is_err());
}

// ---------------------------------------------------------------- Date

#[test]
fn dates_round_trip_and_expose_their_parts() {
    let date = Date::parse("2025-07-05").unwrap();
    assert_eq!((date.year(), date.month(), date.day()), (2025, 7, 5));
    assert_eq!(date.to_string(), "2025-07-05");
    assert_eq!(format!("{date:?}"), "Date(2025-07-05)");
    assert_eq!(Date::new(2025, 7, 5).unwrap(), date);
    assert_eq!(
        "0001-01-01".parse::<Date>().unwrap().to_string(),
        "0001-01-01"
    );
    assert_eq!(Date::new(1, 1, 1).unwrap().to_string(), "0001-01-01");
}

#[test]
fn dates_know_leap_years() {
    for ok in [
        "2024-02-29",
        "2000-02-29",
        "1600-02-29",
        "0004-02-29",
        "9996-02-29",
    ] {
        assert!(Date::parse(ok).is_ok(), "{ok}");
    }
    for bad in [
        "2023-02-29",
        "1900-02-29",
        "2100-02-29",
        "0001-02-29",
        "2024-02-30",
    ] {
        let err = Date::parse(bad).unwrap_err().to_string();
        assert!(err.contains("no such day"), "{bad}: {err}");
    }
}

#[test]
fn years_1_to_9999_hold_3652059_days() {
    // 24 whole 400-year cycles of 146,097 days, then 399 years of 145,731.
    let mut days = 0;
    for year in 0..=10_000u16 {
        for month in 0..=13 {
            for day in 0..=32 {
                if let Ok(date) = Date::new(year, month, day) {
                    days += 1;
                    if day == 1 && month == 1 && year % 37 == 0 {
                        assert_eq!(Date::parse(&date.to_string()).unwrap(), date);
                    }
                }
            }
        }
    }
    assert_eq!(days, 3_652_059);
}

#[test]
fn dates_reject_other_forms_and_impossible_days() {
    for (text, words) in [
        ("0000-01-01", "outside years 1 to 9999"),
        ("2024-00-10", "no such month"),
        ("2024-13-01", "no such month"),
        ("2024-01-00", "no such day"),
        ("2024-04-31", "no such day"),
        ("2024-12-32", "no such day"),
        ("2024-2-29", "expected the form YYYY-MM-DD"),
        ("2024-02-29T00:00:00Z", "expected the form"),
        (" 2024-02-29", "expected the form"),
        ("+024-02-29", "expected the form"),
        ("2024/02/29", "expected the form"),
        ("2024-02-2é", "expected the form"),
        ("", "expected the form"),
    ] {
        let err = Date::parse(text).unwrap_err().to_string();
        assert!(err.contains(words), "{text:?}: {err}");
        assert!(err.contains("is not a YYYY-MM-DD date"), "{text:?}: {err}");
    }
    let err = Date::new(10_000, 1, 1).unwrap_err().to_string();
    assert!(err.contains("\"10000-01-01\""), "{err}");
    assert!(err.contains("outside years 1 to 9999"), "{err}");
}

#[test]
fn dates_order_by_value() {
    let mut dates: Vec<Date> = ["2024-01-01", "2023-12-31", "0999-12-31", "2024-01-02"]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
    dates.sort();
    let sorted: Vec<String> = dates.iter().map(Date::to_string).collect();
    assert_eq!(
        sorted,
        ["0999-12-31", "2023-12-31", "2024-01-01", "2024-01-02"]
    );
}

#[test]
fn dates_are_json_strings() {
    let date: Date = serde_json::from_str("\"2024-02-29\"").unwrap();
    assert_eq!(serde_json::to_string(&date).unwrap(), "\"2024-02-29\"");
    let err = serde_json::from_str::<Date>("\"2023-02-29\"").unwrap_err();
    assert!(err.to_string().contains("no such day"), "{err}");
    assert!(serde_json::from_str::<Date>("20240229").is_err());
}

// ---------------------------------------------------------------- Duration

#[test]
fn durations_parse_into_seconds_and_same_signed_nanos() {
    for (text, seconds, nanos) in [
        ("0s", 0, 0),
        ("-0s", 0, 0),
        ("3.5s", 3, 500_000_000),
        ("1.000000001s", 1, 1),
        ("-1.5s", -1, -500_000_000),
        ("-0.000000001s", 0, -1),
        ("-0.5s", 0, -500_000_000),
        ("007s", 7, 0),
        ("315576000000s", 315_576_000_000, 0),
        ("-315576000000.999999999s", -315_576_000_000, -999_999_999),
    ] {
        let duration = Duration::parse(text).unwrap();
        assert_eq!(
            (duration.seconds(), duration.nanos()),
            (seconds, nanos),
            "{text}"
        );
        assert_eq!(duration.to_string(), text);
        assert_eq!(duration.as_str(), text);
    }
}

#[test]
fn durations_compare_by_length_not_spelling() {
    let a: Duration = "1.5s".parse().unwrap();
    let b: Duration = "1.500s".parse().unwrap();
    let c: Duration = "1.500000000s".parse().unwrap();
    assert_eq!(a, b);
    assert_eq!(b, c);
    assert_eq!(b.to_string(), "1.500s");
    assert_eq!(
        Duration::parse("-0s").unwrap(),
        Duration::parse("0s").unwrap()
    );
    assert_ne!(a, Duration::parse("-1.5s").unwrap());
    let set: HashSet<Duration> = [a, b, c].into_iter().collect();
    assert_eq!(set.len(), 1);

    let ascending = [
        "-315576000000s",
        "-1.5s",
        "-1s",
        "-0.999999999s",
        "-0.5s",
        "0s",
        "0.000000001s",
        "0.5s",
        "1s",
        "1.5s",
        "315576000000.999999999s",
    ];
    for pair in ascending.windows(2) {
        let (low, high) = (
            Duration::parse(pair[0]).unwrap(),
            Duration::parse(pair[1]).unwrap(),
        );
        assert!(low < high, "{low:?} < {high:?}");
        assert!(high > low, "{high:?} > {low:?}");
    }
}

#[test]
fn durations_from_parts_are_written_as_protobuf_writes_them() {
    for (seconds, nanos, text) in [
        (0, 0, "0s"),
        (3, 500_000_000, "3.500s"),
        (1, 10_000_000, "1.010s"),
        (1, 1_000, "1.000001s"),
        (1, 1_100, "1.000001100s"),
        (1, 1, "1.000000001s"),
        (-1, -500_000_000, "-1.500s"),
        (0, -1, "-0.000000001s"),
        (0, -500_000_000, "-0.500s"),
        (-315_576_000_000, 0, "-315576000000s"),
    ] {
        let duration = Duration::from_secs_nanos(seconds, nanos).unwrap();
        assert_eq!(duration.to_string(), text);
        assert_eq!(Duration::parse(text).unwrap(), duration);
        assert_eq!((duration.seconds(), duration.nanos()), (seconds, nanos));
    }
}

#[test]
fn durations_out_of_range_or_mixed_sign_are_rejected() {
    for (seconds, nanos, words) in [
        (1, -1, "opposite signs"),
        (-1, 1, "opposite signs"),
        (0, 1_000_000_000, "whole second"),
        (0, -1_000_000_000, "whole second"),
        (0, i32::MIN, "whole second"),
        (315_576_000_001, 0, "10,000 years"),
        (i64::MIN, 0, "10,000 years"),
    ] {
        let err = Duration::from_secs_nanos(seconds, nanos)
            .unwrap_err()
            .to_string();
        assert!(err.contains(words), "({seconds}, {nanos}): {err}");
    }
}

#[test]
fn durations_reject_other_text() {
    for (text, words) in [
        ("", "ending in `s`"),
        ("1", "ending in `s`"),
        ("1.5S", "ending in `s`"),
        ("1 s", "expected digits"),
        ("s", "expected digits"),
        ("-s", "expected digits"),
        ("--1s", "expected digits"),
        ("+1s", "expected digits"),
        (".5s", "expected digits"),
        ("1e3s", "expected digits"),
        ("1.s", "1 to 9 digits"),
        ("1.0000000001s", "1 to 9 digits"),
        ("1.5.5s", "1 to 9 digits"),
        ("1.-5s", "1 to 9 digits"),
        ("315576000001s", "10,000 years"),
        ("-315576000001s", "10,000 years"),
        ("99999999999999999999999999999999s", "10,000 years"),
    ] {
        let err = Duration::parse(text).unwrap_err().to_string();
        assert!(err.contains(words), "{text:?}: {err}");
        assert!(
            err.contains(&format!("{text:?} is not a duration")),
            "{err}"
        );
    }
}

#[test]
fn durations_convert_to_and_from_std() {
    let std_span = std::time::Duration::from_millis(1500);
    let duration = Duration::try_from(std_span).unwrap();
    assert_eq!(duration.to_string(), "1.500s");
    assert_eq!(duration.to_std(), Some(std_span));
    assert_eq!(
        Duration::parse("0s").unwrap().to_std(),
        Some(std::time::Duration::ZERO)
    );
    assert_eq!(Duration::parse("-0.5s").unwrap().to_std(), None);
    assert_eq!(Duration::parse("-2s").unwrap().to_std(), None);
    let limit = std::time::Duration::from_secs(315_576_000_000);
    assert!(Duration::try_from(limit).is_ok());
    let err = Duration::try_from(limit + std::time::Duration::from_secs(1)).unwrap_err();
    assert!(err.to_string().contains("10,000 years"), "{err}");
    assert!(Duration::try_from(std::time::Duration::MAX).is_err());
}

#[test]
fn durations_from_random_parts_read_back_the_same() {
    let mut rng = Rng(0x5eed_0002);
    for _ in 0..20_000 {
        let magnitude = match rng.below(3) {
            0 => rng.below(10) as i64,
            1 => rng.below(100_000) as i64,
            _ => rng.below(315_576_000_001) as i64,
        };
        let fraction = match rng.below(4) {
            0 => 0,
            1 => rng.below(1000) as i32 * 1_000_000,
            2 => rng.below(1_000_000) as i32 * 1_000,
            _ => rng.below(1_000_000_000) as i32,
        };
        let (seconds, nanos) = if rng.below(2) == 0 {
            (magnitude, fraction)
        } else {
            (-magnitude, -fraction)
        };
        let duration = Duration::from_secs_nanos(seconds, nanos).unwrap();
        let again = Duration::parse(duration.as_str()).unwrap();
        assert_eq!(
            (again.seconds(), again.nanos()),
            (seconds, nanos),
            "{duration}"
        );
        let expected_std = (seconds >= 0 && nanos >= 0)
            .then(|| std::time::Duration::new(seconds as u64, nanos as u32));
        assert_eq!(again.to_std(), expected_std, "{duration}");
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Timeout {
    timeout: Duration,
}

#[test]
fn durations_are_json_strings_kept_as_sent() {
    let json = r#"{"timeout":"1.50s"}"#;
    let value: Timeout = serde_json::from_str(json).unwrap();
    assert_eq!(
        value.timeout,
        Duration::from_secs_nanos(1, 500_000_000).unwrap()
    );
    assert_eq!(serde_json::to_string(&value).unwrap(), json);
    let err = serde_json::from_str::<Timeout>(r#"{"timeout":"1.5"}"#).unwrap_err();
    assert!(err.to_string().contains("ending in `s`"), "{err}");
    assert!(serde_json::from_str::<Timeout>(r#"{"timeout":1.5}"#).is_err());
}

// ---------------------------------------------------------------- FieldMask

#[test]
fn field_masks_round_trip_exactly() {
    for text in ["a.b,c", "displayName", "labels.env,name,a.b.c", ""] {
        let mask: FieldMask = text.parse().unwrap();
        assert_eq!(mask.to_string(), text);
        assert_eq!(FieldMask::parse(text), mask);
    }
    let mask = FieldMask::parse("a.b,c");
    assert_eq!(mask.paths(), ["a.b", "c"]);
    assert!(!mask.is_empty());
}

#[test]
fn field_masks_drop_empty_paths_and_split_commas() {
    assert!(FieldMask::parse("").is_empty());
    assert_eq!(FieldMask::parse("").paths(), [] as [&str; 0]);
    assert_eq!(FieldMask::parse("a,,b").paths(), ["a", "b"]);
    assert_eq!(FieldMask::parse(",a,").paths(), ["a"]);
    assert!(FieldMask::parse(",,,").is_empty());
    // Kept as written: no trimming, no case conversion.
    assert_eq!(
        FieldMask::parse("a, displayName").paths(),
        ["a", " displayName"]
    );
    let built = FieldMask::new(["a,b", "", "c.d"]);
    assert_eq!(built.paths(), ["a", "b", "c.d"]);
    assert_eq!(built, FieldMask::parse(&built.to_string()));
    let collected: FieldMask = vec!["x".to_owned(), "y.z".to_owned()].into_iter().collect();
    assert_eq!(collected.to_string(), "x,y.z");
    assert_eq!(FieldMask::default(), FieldMask::new(Vec::<String>::new()));
    let set: HashSet<FieldMask> = ["a,b", "a,,b", "b,a"]
        .iter()
        .map(|t| FieldMask::parse(t))
        .collect();
    assert_eq!(set.len(), 2);
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Update {
    #[serde(rename = "updateMask")]
    update_mask: FieldMask,
}

#[test]
fn field_masks_are_one_json_string() {
    let json = r#"{"updateMask":"displayName,labels.env"}"#;
    let value: Update = serde_json::from_str(json).unwrap();
    assert_eq!(value.update_mask.paths(), ["displayName", "labels.env"]);
    assert_eq!(serde_json::to_string(&value).unwrap(), json);
    assert_eq!(
        serde_json::to_string(&FieldMask::default()).unwrap(),
        "\"\""
    );
    assert!(serde_json::from_str::<Update>(r#"{"updateMask":["a"]}"#).is_err());
}

// ---------------------------------------------------------------- All

/// Runs every parser on `text`: each must answer, and what it accepts must
/// write back to text that reads as the same value.
fn parse_all(text: &str) {
    match Bytes::from_base64(text) {
        Ok(bytes) => assert_eq!(Bytes::from_base64(&bytes.to_base64()).unwrap(), bytes),
        Err(err) => assert!(err.to_string().len() < 400, "{text:?}"),
    }
    match Date::parse(text) {
        Ok(date) => assert_eq!(date.to_string(), text),
        Err(err) => assert!(err.to_string().len() < 400, "{text:?}"),
    }
    match Duration::parse(text) {
        Ok(duration) => {
            assert_eq!(duration.to_string(), text);
            let canonical = Duration::from_secs_nanos(duration.seconds(), duration.nanos());
            assert_eq!(canonical.unwrap(), duration, "{text:?}");
        }
        Err(err) => assert!(err.to_string().len() < 400, "{text:?}"),
    }
    let mask = FieldMask::parse(text);
    assert_eq!(FieldMask::parse(&mask.to_string()), mask, "{text:?}");
}

#[test]
fn every_short_string_is_answered_without_panicking() {
    // Every string of one or two Latin-1 characters.
    for a in 0..=255u8 {
        parse_all(&char::from(a).to_string());
        for b in 0..=255u8 {
            parse_all(&[char::from(a), char::from(b)].iter().collect::<String>());
        }
    }
    // Every string of up to four characters that matter to some parser.
    let alphabet: Vec<char> = "09-.s=+/_,Zaé ".chars().collect();
    let mut strings = vec![String::new()];
    for _ in 0..4 {
        let mut longer = Vec::new();
        for text in &strings {
            parse_all(text);
            for &c in &alphabet {
                longer.push(format!("{text}{c}"));
            }
        }
        strings = longer;
    }
    strings.iter().for_each(|text| parse_all(text));
}

#[test]
fn random_strings_are_answered_without_panicking() {
    let alphabet: Vec<char> = "0123456789-.s=+/_,:TZAaQz é\u{0}\u{10ffff}"
        .chars()
        .collect();
    let mut rng = Rng(0x5eed_0003);
    for _ in 0..50_000 {
        let len = rng.below(40) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
            .collect();
        parse_all(&text);
    }
    // Near-misses of valid values, one character changed.
    for valid in [
        "2024-02-29",
        "-315576000000.999999999s",
        "Zm9vYmE=",
        "a.b,c",
    ] {
        for i in 0..valid.len() {
            for c in ['0', '9', '-', '.', 's', '=', 'x', 'é'] {
                let mut text = valid.to_owned();
                text.replace_range(i..=i, &c.to_string());
                parse_all(&text);
            }
        }
    }
}

/// Untagged union shapes: an object tries the struct shapes that know most
/// of its keys first (every field being optional, any struct would accept
/// it), ties and non-objects in the spec's order.
#[test]
fn union_shapes_are_tried_by_the_keys_they_know() {
    let person: &[&str] = &["name", "born"];
    let company: &[&str] = &["legalName", "vat", "name"];
    let text: &[&str] = &[];
    let shapes = [person, company, text];
    let order = |json: &str| enums::shape_order(&serde_json::from_str(json).unwrap(), &shapes);
    assert_eq!(order(r#"{"legalName": "ACME", "vat": "x"}"#), [1, 0, 2]);
    assert_eq!(order(r#"{"name": "Ann", "born": "1990"}"#), [0, 1, 2]);
    assert_eq!(
        order(r#"{"name": "tie"}"#),
        [0, 1, 2],
        "a tie keeps the spec's order"
    );
    assert_eq!(order(r#""a string""#), [0, 1, 2]);
}
