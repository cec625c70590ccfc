//! The catch-all of open enums: a value a newer server sent that this
//! version of the crate does not know.

use std::fmt;

/// An enum value this version of the crate does not know, kept as sent.
///
/// Every generated enum has an `UnknownValue(UnknownValue)` variant, so a
/// server that adds a value never breaks an older client. Only the crate
/// creates these: parsing a known value always gives its own variant.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps a value that matched none of the known ones.
    #[doc(hidden)]
    pub fn new(value: &str) -> Self {
        Self(value.to_owned())
    }

    /// The value as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// The conversions and serde impls of a generated open enum, whose last
/// variant is `UnknownValue(UnknownValue)`: one macro instead of the same
/// seven impls written out for every enum, so crates with thousands of
/// enums stay small and quick to build.
#[macro_export]
#[doc(hidden)]
macro_rules! open_enum_impls {
    ($name:ident { $($variant:ident => $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::UnknownValue(value) => value.as_str(),
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::UnknownValue($crate::UnknownValue::new(other)),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    };
}

#[doc(hidden)]
pub use crate::open_enum_impls;

/// The order in which to try the untagged shapes of a union for `value`:
/// for an object, the shapes that know most of its keys first (`known_keys`
/// holds each shape's field names; a shape that is no struct knows none),
/// ties in the spec's order; for anything else, the spec's order.
#[allow(dead_code)] // Only crates with unions use it.
#[doc(hidden)]
pub fn shape_order(value: &serde_json::Value, known_keys: &[&[&str]]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..known_keys.len()).collect();
    if let Some(object) = value.as_object() {
        let score = |keys: &[&str]| object.keys().filter(|k| keys.contains(&k.as_str())).count();
        // A stable sort keeps the spec's order among equals.
        order.sort_by_key(|&i| std::cmp::Reverse(score(known_keys[i])));
    }
    order
}
