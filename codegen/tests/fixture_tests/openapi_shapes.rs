//! The crate generated from `codegen/tests/fixtures/openapi_shapes.yaml`:
//! its models read from JSON as the runtime's object visitor reads them,
//! a map of other properties beside named fields included.

use fixture_openapi_shapes::models::{Animal, Owner};
use std::collections::BTreeMap;

#[test]
fn named_properties_fill_fields_and_the_others_the_map() {
    let owner: Owner = serde_json::from_str(r#"{"a":1,"name":"Ann","b":2}"#).unwrap();
    assert_eq!(owner.name.as_deref(), Some("Ann"));
    // `name` went to its field, never into the map.
    assert_eq!(
        owner.additional_properties,
        BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)])
    );
    // And back, flattened again.
    let text = serde_json::to_value(&owner).unwrap();
    assert_eq!(text, serde_json::json!({"name": "Ann", "a": 1, "b": 2}));
    // Another property must fit the map's values.
    let error = serde_json::from_str::<Owner>(r#"{"a":"one"}"#).unwrap_err();
    assert!(error.to_string().contains("expected i64"), "{error}");
}

#[test]
fn unknown_properties_are_skipped_and_null_is_unset() {
    let animal: Animal = serde_json::from_str(
        r#"{"id":"7","name":null,"unknown":{"deep":[1,2,{"x":null}]},"born":"2020-02-29"}"#,
    )
    .unwrap();
    assert_eq!(animal.id.as_deref(), Some("7"));
    assert_eq!(animal.name, None);
    assert_eq!(animal.born.map(|d| d.to_string()).as_deref(), Some("2020-02-29"));
    // The same from a `serde_json::Value`, as unions and `dispatch` read.
    let value = serde_json::json!({"id": "7", "born": "2020-02-29"});
    let from_value: Animal = serde_json::from_value(value).unwrap();
    assert_eq!(from_value.id, animal.id);
    // Not an object: refused, naming the model.
    let error = serde_json::from_str::<Animal>(r#"["7"]"#).unwrap_err();
    assert!(error.to_string().contains("Animal"), "{error}");
}
