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
    pub(crate) fn new(value: &str) -> Self {
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
