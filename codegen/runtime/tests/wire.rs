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

/// The same message read as generated models read theirs: field by field
/// through `object`, the 64-bit fields through the modules' seeds.
#[derive(Debug, Default, PartialEq)]
struct ReadByField(Message);

impl google_api_runtime::object::ObjectFields for ReadByField {
    const NAME: &'static str = "ReadByField";
    const FIELDS: &'static [&'static str] = &["generation", "size", "ids", "counters"];

    fn read_field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        let message = &mut self.0;
        match key {
            "generation" => message.generation = map.next_value_seed(wire::int64::Seed::new())?,
            "size" => message.size = map.next_value_seed(wire::int64::Seed::new())?,
            "ids" => message.ids = map.next_value_seed(wire::int64_list::Seed::new())?,
            "counters" => message.counters = map.next_value_seed(wire::int64_map::Seed::new())?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn write_fields<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let message = &self.0;
        if let Some(value) = &message.generation {
            map.serialize_entry("generation", &wire::int64::Text(value))?;
        }
        if let Some(value) = &message.size {
            map.serialize_entry("size", &wire::int64::Text(value))?;
        }
        if let Some(value) = &message.ids {
            map.serialize_entry("ids", &wire::int64_list::Text(value))?;
        }
        if let Some(value) = &message.counters {
            map.serialize_entry("counters", &wire::int64_map::Text(value))?;
        }
        Ok(())
    }
}

#[test]
fn the_seeds_read_what_the_modules_read() {
    let text = r#"{"generation":"-5","size":18446744073709551615,"ids":["1",2],
                   "counters":{"a":"-1"},"other":true}"#;
    let expected: Message = serde_json::from_str(text).unwrap();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let read: ReadByField = google_api_runtime::object::deserialize(&mut deserializer).unwrap();
    assert_eq!(read.0, expected);
    assert_eq!(read.0.size, Some(u64::MAX));
    // Written back as the modules write it.
    let mut written = Vec::new();
    google_api_runtime::object::serialize(&read, &mut serde_json::Serializer::new(&mut written))
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&written).unwrap(),
        serde_json::to_value(&expected).unwrap()
    );
    let mut nulls = serde_json::Deserializer::from_str(r#"{"generation":null,"ids":null}"#);
    let read: ReadByField = google_api_runtime::object::deserialize(&mut nulls).unwrap();
    assert_eq!(read, ReadByField::default());
    let mut bad = serde_json::Deserializer::from_str(r#"{"size":"-1"}"#);
    let error = google_api_runtime::object::deserialize::<ReadByField, _>(&mut bad).unwrap_err();
    assert!(
        error.to_string().contains("\"-1\" is not a 64-bit integer"),
        "{error}"
    );
}
