//! Reading and writing a generated model as a JSON object, property by
//! property: the one visitor and the one writer every model's `Deserialize`
//! and `Serialize` use, written once.
//!
//! serde's derive gives each struct a visitor of its own, and a field enum
//! with a visitor of its own again, that read sequences as well as maps,
//! count duplicates and track missing fields: about half of a generated
//! crate's compiled code, for behaviour JSON never needs; its `Serialize`
//! counts the fields to write before writing them. A model here only says
//! which field each property name fills and which are set
//! ([`ObjectFields`]).

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// A model read from a JSON object one property at a time.
pub trait ObjectFields: Default {
    /// The model's name, for errors.
    const NAME: &'static str;

    /// The property names the model's fields have, for the formats and
    /// containers that ask (serde's `flatten` then leaves them out of a
    /// catch-all map beside the model).
    const FIELDS: &'static [&'static str];

    /// Reads the value of property `key` from `map` into its field and says
    /// `true`, or reads nothing and says `false` when no field has that
    /// name (the caller then skips the value): reading the value exactly
    /// when saying `true` keeps the reader in step with the input.
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;

    /// Writes each field that is set, in order, as an entry of `map` (and
    /// each property of a map of other properties).
    fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// `T` from a JSON object: each property read into its field, properties
/// `T` does not know skipped, a repeated one read again (the last wins, as
/// in `serde_json::Value`); anything but an object is an error naming `T`.
pub fn deserialize<'de, T: ObjectFields, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    // As a struct, as serde's derive asks: JSON reads an object either way
    // (the visitor reads no sequence).
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor(PhantomData))
}

/// [`deserialize`] of a model that keeps every other property in a map of
/// its own, and so asks for them all (as a map). Which of the two a model
/// uses is chosen where it is generated: a choice made at run time would
/// compile both into every model.
pub fn deserialize_with_others<'de, T: ObjectFields, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// `T` as a JSON object: its set fields, in order (`None` ones left out).
pub fn serialize<T: ObjectFields, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    value.write_fields(&mut map)?;
    map.end()
}

/// `serde::Serialize` and `serde::Deserialize` for `$model` through
/// [`serialize`] and [`deserialize`]: what every generated model invokes
/// rather than writing the same impls out.
#[macro_export]
#[doc(hidden)]
macro_rules! object_serde {
    ($model:ty) => {
        $crate::object_serde!(@impls $model, deserialize);
    };
    // A model with a map of other properties.
    ($model:ty, others) => {
        $crate::object_serde!(@impls $model, deserialize_with_others);
    };
    // A model without fields: its `ObjectFields` too, which read and
    // write nothing.
    ($model:ident, empty) => {
        $crate::object_serde!(@impls $model, deserialize);

        impl $crate::object::ObjectFields for $model {
            const NAME: &'static str = stringify!($model);
            const FIELDS: &'static [&'static str] = &[];

            fn read_field<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                _key: &str,
                _map: &mut A,
            ) -> Result<bool, A::Error> {
                Ok(false)
            }

            fn write_fields<M: serde::ser::SerializeMap>(&self, _map: &mut M) -> Result<(), M::Error> {
                Ok(())
            }
        }
    };
    (@impls $model:ty, $read:ident) => {
        impl serde::Serialize for $model {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $crate::object::serialize(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $model {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::object::$read(deserializer)
            }
        }
    };
}

#[doc(hidden)]
pub use crate::object_serde;

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: ObjectFields> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = T::default();
        while let Some(Key(key)) = map.next_key()? {
            if !value.read_field(&key, &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(value)
    }
}

/// A property name, borrowed from the input when it holds no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(text)))
    }

    fn visit_str<E>(self, text: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(text.to_owned())))
    }

    fn visit_string<E>(self, text: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A model as the emitter writes it, without a map of other properties.
    #[derive(Debug, Default, PartialEq)]
    struct Job {
        id: Option<String>,
        tries: Option<u32>,
        inner: Option<Box<Job>>,
    }

    impl ObjectFields for Job {
        const NAME: &'static str = "Job";
        const FIELDS: &'static [&'static str] = &["id", "tries", "inner"];

        fn read_field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<bool, A::Error> {
            match key {
                "id" => self.id = map.next_value()?,
                "tries" => self.tries = map.next_value()?,
                "inner" => self.inner = map.next_value()?,
                _ => return Ok(false),
            }
            Ok(true)
        }

        fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            if let Some(value) = &self.id {
                map.serialize_entry("id", value)?;
            }
            if let Some(value) = &self.tries {
                map.serialize_entry("tries", value)?;
            }
            if let Some(value) = &self.inner {
                map.serialize_entry("inner", value)?;
            }
            Ok(())
        }
    }

    crate::object_serde!(Job);

    /// A model as the emitter writes it with a map of other properties.
    #[derive(Debug, Default, PartialEq)]
    struct Labels {
        name: Option<String>,
        rest: BTreeMap<String, i64>,
    }

    impl ObjectFields for Labels {
        const NAME: &'static str = "Labels";
        const FIELDS: &'static [&'static str] = &["name"];

        fn read_field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<bool, A::Error> {
            match key {
                "name" => self.name = map.next_value()?,
                _ => {
                    let value = map.next_value()?;
                    self.rest.insert(key.to_owned(), value);
                }
            }
            Ok(true)
        }

        fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            if let Some(value) = &self.name {
                map.serialize_entry("name", value)?;
            }
            for (key, value) in &self.rest {
                map.serialize_entry(key, value)?;
            }
            Ok(())
        }
    }

    crate::object_serde!(Labels, others);

    #[test]
    fn properties_fill_their_fields_and_unknown_ones_are_skipped() {
        let text = r#"{"id":"a\"b","unknown":{"deep":[1,{"x":null}]},"tries":3,
                       "inner":{"id":"c","inner":null}}"#;
        let job: Job = serde_json::from_str(text).unwrap();
        assert_eq!(
            job,
            Job {
                id: Some("a\"b".to_owned()),
                tries: Some(3),
                inner: Some(Box::new(Job {
                    id: Some("c".to_owned()),
                    ..Job::default()
                })),
            }
        );
        // The same from a `Value` (keys given as owned strings or borrowed).
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(Job::deserialize(&value).unwrap(), job);
        assert_eq!(serde_json::from_value::<Job>(value).unwrap(), job);
        // An escaped property name is still recognised.
        let escaped: Job = serde_json::from_str(r#"{"\u0069d":"e"}"#).unwrap();
        assert_eq!(escaped.id.as_deref(), Some("e"));
    }

    #[test]
    fn a_map_of_other_properties_gets_what_no_field_names() {
        let labels: Labels = serde_json::from_str(r#"{"a":1,"name":"n","b":2}"#).unwrap();
        assert_eq!(labels.name.as_deref(), Some("n"));
        assert_eq!(
            labels.rest,
            BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)])
        );
        let error = serde_json::from_str::<Labels>(r#"{"a":"x"}"#).unwrap_err();
        assert!(error.to_string().contains("expected i64"), "{error}");
    }

    #[test]
    fn set_fields_are_written_in_order_and_unset_ones_left_out() {
        let job = Job {
            id: Some("a".to_owned()),
            tries: None,
            inner: Some(Box::new(Job {
                tries: Some(2),
                ..Job::default()
            })),
        };
        assert_eq!(
            serde_json::to_string(&job).unwrap(),
            r#"{"id":"a","inner":{"tries":2}}"#
        );
        assert_eq!(serde_json::to_string(&Job::default()).unwrap(), "{}");
        let labels = Labels {
            name: Some("n".to_owned()),
            rest: BTreeMap::from([("b".to_owned(), 2), ("a".to_owned(), 1)]),
        };
        let text = serde_json::to_string(&labels).unwrap();
        assert_eq!(text, r#"{"name":"n","a":1,"b":2}"#);
        assert_eq!(serde_json::from_str::<Labels>(&text).unwrap(), labels);
    }

    /// A model without fields, as the emitter writes it.
    #[derive(Debug, Default, PartialEq)]
    struct Nothing {}

    crate::object_serde!(Nothing, empty);

    #[test]
    fn a_model_without_fields_skips_every_property_and_writes_none() {
        let read: Nothing = serde_json::from_str(r#"{"a":1,"b":{"c":[2]}}"#).unwrap();
        assert_eq!(read, Nothing {});
        assert_eq!(serde_json::to_string(&read).unwrap(), "{}");
        let error = serde_json::from_str::<Nothing>("[]").unwrap_err();
        assert!(
            error.to_string().contains("a JSON object (Nothing)"),
            "{error}"
        );
    }

    #[test]
    fn null_fields_are_unset_and_the_last_of_a_repeated_property_wins() {
        let job: Job = serde_json::from_str(r#"{"id":null,"tries":1,"tries":2}"#).unwrap();
        assert_eq!(job.id, None);
        assert_eq!(job.tries, Some(2));
    }

    #[test]
    fn a_value_of_the_wrong_type_is_an_error_naming_the_model_or_the_field_type() {
        let error = serde_json::from_str::<Job>("[1, 2]")
            .unwrap_err()
            .to_string();
        assert!(error.contains("a JSON object (Job)"), "{error}");
        let error = serde_json::from_str::<Job>(r#"{"tries":"three"}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("expected u32"), "{error}");
        assert!(error.contains("column"), "the position is kept: {error}");
        let error = serde_json::from_str::<Job>(r#"{"id":"a" "#).unwrap_err();
        assert!(error.is_eof() || error.is_syntax(), "{error}");
    }
}
