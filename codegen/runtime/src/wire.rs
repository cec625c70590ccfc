//! JSON encodings that differ from serde's defaults: Google sends 64-bit
//! integers as decimal strings (a JSON number cannot hold them exactly in
//! JavaScript), while the Rust fields are `i64` and `u64`.
//!
//! Reading accepts a string or a number, so a server that sends either works.

use serde::{Deserialize, Deserializer, Serializer};
use std::collections::BTreeMap;
use std::fmt::Display;
use std::marker::PhantomData;
use std::str::FromStr;

/// The `deserialize` of one of the modules below as a
/// [`DeserializeSeed`](serde::de::DeserializeSeed), for a model's
/// `read_field` (`map.next_value_seed(wire::int64::Seed::new())`).
macro_rules! seed {
    ($value:ty) => {
        /// Reads what [`deserialize`] reads, as a seed.
        pub struct Seed<T>(PhantomData<T>);

        impl<T> Seed<T> {
            /// The seed; its value's type is inferred where it is used.
            pub const fn new() -> Self {
                Self(PhantomData)
            }
        }

        impl<T> Default for Seed<T> {
            fn default() -> Self {
                Self::new()
            }
        }

        impl<'de, T> serde::de::DeserializeSeed<'de> for Seed<T>
        where
            T: FromStr,
            T::Err: Display,
        {
            type Value = $value;

            fn deserialize<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<$value, D::Error> {
                deserialize(deserializer)
            }
        }
    };
}

fn parse<T: FromStr, E: serde::de::Error>(value: serde_json::Value) -> Result<T, E>
where
    T::Err: Display,
{
    let text = match value {
        serde_json::Value::String(text) => text,
        serde_json::Value::Number(number) => number.to_string(),
        other => {
            return Err(E::custom(format!(
                "expected a 64-bit integer, found {other}"
            )));
        }
    };
    text.parse()
        .map_err(|e| E::custom(format!("{text:?} is not a 64-bit integer: {e}")))
}

/// `Option<i64>` / `Option<u64>` as an optional decimal string.
pub mod int64 {
    use super::*;

    seed!(Option<T>);

    /// A set value as [`serialize`] writes it, for a model's `write_fields`.
    pub struct Text<'a, T>(pub &'a T);

    impl<T: Display> serde::Serialize for Text<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_str(self.0)
        }
    }

    /// Writes the value as a string.
    pub fn serialize<T: Display, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serde::Serialize::serialize(&Text(value), serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads a string or a number.
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        match Option::<serde_json::Value>::deserialize(deserializer)? {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(value) => parse(value).map(Some),
        }
    }
}

/// `Option<Vec<i64>>` / `Option<Vec<u64>>` as a list of decimal strings.
pub mod int64_list {
    use super::*;

    seed!(Option<Vec<T>>);

    /// A set list as [`serialize`] writes it, for a model's `write_fields`.
    pub struct Text<'a, T>(pub &'a Vec<T>);

    impl<T: Display> serde::Serialize for Text<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(self.0.iter().map(ToString::to_string))
        }
    }

    /// Writes each value as a string.
    pub fn serialize<T: Display, S: Serializer>(
        value: &Option<Vec<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(values) => serde::Serialize::serialize(&Text(values), serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads strings or numbers.
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        let Some(values) = Option::<Vec<serde_json::Value>>::deserialize(deserializer)? else {
            return Ok(None);
        };
        values
            .into_iter()
            .map(parse)
            .collect::<Result<_, _>>()
            .map(Some)
    }
}

/// `Option<BTreeMap<String, i64>>` (or `u64`) as a map of decimal strings.
pub mod int64_map {
    use super::*;

    seed!(Option<BTreeMap<String, T>>);

    /// A set map as [`serialize`] writes it, for a model's `write_fields`.
    pub struct Text<'a, T>(pub &'a BTreeMap<String, T>);

    impl<T: Display> serde::Serialize for Text<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_map(self.0.iter().map(|(k, v)| (k, v.to_string())))
        }
    }

    /// Writes each value as a string.
    pub fn serialize<T: Display, S: Serializer>(
        value: &Option<BTreeMap<String, T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(map) => serde::Serialize::serialize(&Text(map), serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads strings or numbers.
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<BTreeMap<String, T>>, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        let Some(map) = Option::<BTreeMap<String, serde_json::Value>>::deserialize(deserializer)?
        else {
            return Ok(None);
        };
        map.into_iter()
            .map(|(key, value)| parse(value).map(|value| (key, value)))
            .collect::<Result<_, D::Error>>()
            .map(Some)
    }
}
