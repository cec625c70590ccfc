//! Field masks (`format: google-fieldmask` fields): a list of field paths,
//! written as one comma-separated JSON string (`"name,labels.env"`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

/// The fields a request reads or updates, such as `"name,labels.env"`.
///
/// Paths are kept as written, in the API's JSON spelling (`displayName`,
/// not `display_name`), and in order. No path is empty or holds a comma:
/// empty paths (`"a,,b"`, a trailing `,`) are dropped, as protobuf's own
/// parser drops them, and a path given with commas is split at them. So
/// any mask written out reads back equal, and any text without empty
/// paths is written back exactly as it was read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldMask {
    paths: Vec<String>,
}

impl FieldMask {
    /// A mask of `paths`, each a dotted field path such as `labels.env`.
    pub fn new(paths: impl IntoIterator<Item = impl Into<String>>) -> Self {
        paths.into_iter().collect()
    }

    /// Reads a comma-separated list of paths; the empty string is the
    /// empty mask. Any text is a mask, so this cannot fail.
    pub fn parse(text: &str) -> Self {
        Self::new([text])
    }

    /// The paths, in order.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Whether the mask names no field.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

impl<P: Into<String>> FromIterator<P> for FieldMask {
    fn from_iter<I: IntoIterator<Item = P>>(paths: I) -> Self {
        let mut mask = Self::default();
        for path in paths {
            let path = path.into();
            if path.contains(',') {
                // Split, or the text written out would read back as more paths.
                let parts = path.split(',').filter(|p| !p.is_empty());
                mask.paths.extend(parts.map(str::to_owned));
            } else if !path.is_empty() {
                mask.paths.push(path);
            }
        }
        mask
    }
}

/// Never fails; see [`FieldMask::parse`].
impl FromStr for FieldMask {
    type Err = Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(text))
    }
}

/// The paths joined by commas, as the wire has them.
impl fmt::Display for FieldMask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, path) in self.paths.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(path)?;
        }
        Ok(())
    }
}

impl Serialize for FieldMask {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FieldMask {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Self::parse(&text))
    }
}
