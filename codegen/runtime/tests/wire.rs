//! The runtime's 64-bit integer encodings (`wire`): decimal strings on the
//! wire, numbers in Rust.

use google_api_runtime::wire;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
struct Message {
    #[serde(default, with = "wire::int64", skip_serializing_if = "Option::is_none")]
    generation: Option<i64>,
    #[serde(default, with = "wire::int64", skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
    #[serde(
        default,
        with = "wire::int64_list",
        skip_serializing_if = "Option::is_none"
    )]
    ids: Option<Vec<u64>>,
    #[serde(
        default,
        with = "wire::int64_map",
        skip_serializing_if = "Option::is_none"
    )]
    counters: Option<BTreeMap<String, i64>>,
}

#[test]
fn sixty_four_bit_integers_are_written_as_strings() {
    let message = Message {
        generation: Some(i64::MIN),
        size: Some(u64::MAX),
        ids: Some(vec![9_007_199_254_740_993]),
        counters: Some(BTreeMap::from([("a".to_owned(), -1)])),
    };
    let json = serde_json::to_value(&message).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "generation": "-9223372036854775808",
            "size": "18446744073709551615",
            "ids": ["9007199254740993"],
            "counters": {"a": "-1"}
        })
    );
    assert_eq!(serde_json::from_value::<Message>(json).unwrap(), message);
}

#[test]
fn numbers_and_missing_or_null_fields_are_read_too() {
    let message: Message =
        serde_json::from_str(r#"{"generation": 7, "size": null, "ids": [1, "2"]}"#).unwrap();
    assert_eq!(
        message,
        Message {
            generation: Some(7),
            size: None,
            ids: Some(vec![1, 2]),
            counters: None
        }
    );
    assert_eq!(
        serde_json::from_str::<Message>("{}").unwrap(),
        Message::default()
    );
}

#[test]
fn values_that_are_not_integers_are_errors_naming_the_value() {
    for (json, words) in [
        (
            r#"{"generation": "12x"}"#,
            "\"12x\" is not a 64-bit integer",
        ),
        (r#"{"size": "-1"}"#, "\"-1\" is not a 64-bit integer"),
        (
            r#"{"generation": "9223372036854775808"}"#,
            "not a 64-bit integer",
        ),
        (r#"{"generation": true}"#, "expected a 64-bit integer"),
        (r#"{"ids": [1.5]}"#, "\"1.5\" is not a 64-bit integer"),
    ] {
        let err = serde_json::from_str::<Message>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains(words), "{json}: {err}");
    }
}
