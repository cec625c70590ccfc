//! The generator's error type: every failure names the spec file and, where
//! there is one, the JSON path of the part of the document at fault.

use std::fmt;

/// A failure to turn a spec into a crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The document is not valid JSON, or a value has the wrong JSON type.
    #[error("{file}: at `{path}`: {message}")]
    Parse {
        /// The spec file, as the caller named it.
        file: String,
        /// Dotted JSON path of the offending value (`.` for the document root).
        path: String,
        /// What serde expected and found.
        message: String,
    },
    /// The document parsed, but says something the generator cannot express.
    #[error("{file}: at `{path}`: {message}")]
    Spec {
        /// The spec file, as the caller named it.
        file: String,
        /// Dotted JSON path of the offending value.
        path: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A spec name cannot become a Rust identifier.
    #[error("{file}: at `{path}`: {source}")]
    Naming {
        /// The spec file, as the caller named it.
        file: String,
        /// Dotted JSON path of the object holding the names.
        path: String,
        /// The collision.
        #[source]
        source: crate::naming::NamingError,
    },
    /// Emitted code did not parse as Rust: a bug in the generator, never in the spec.
    #[error("internal error: emitted `{file}` is not valid Rust: {message}")]
    Emit {
        /// The output file being emitted.
        file: String,
        /// The parser's message.
        message: String,
    },
}

impl Error {
    /// The error with the line of its JSON path in the YAML `text` added to
    /// its file name (`spec.yaml:42`), where the path can be found.
    pub fn with_line_from(self, text: &str) -> Self {
        let line = |path: &str| crate::yaml_lines::line_of(text, path);
        match self {
            Self::Parse {
                file,
                path,
                message,
            } => match line(&path) {
                Some(n) => Self::Parse {
                    file: format!("{file}:{n}"),
                    path,
                    message,
                },
                None => Self::Parse {
                    file,
                    path,
                    message,
                },
            },
            Self::Spec {
                file,
                path,
                message,
            } => match line(&path) {
                Some(n) => Self::Spec {
                    file: format!("{file}:{n}"),
                    path,
                    message,
                },
                None => Self::Spec {
                    file,
                    path,
                    message,
                },
            },
            Self::Naming { file, path, source } => match line(&path) {
                Some(n) => Self::Naming {
                    file: format!("{file}:{n}"),
                    path,
                    source,
                },
                None => Self::Naming { file, path, source },
            },
            other => other,
        }
    }
}

/// A JSON path being walked during lowering, rendered as `a.b.c`.
///
/// Lowering errors carry it so a maintainer can find the offending value in a
/// document of several megabytes.
///
/// Paths are made for every value lowered and printed only for errors, so
/// a path shares its parent instead of copying it: `join` costs one small
/// allocation whatever the depth.
#[derive(Clone, Default)]
pub struct JsonPath(Option<std::rc::Rc<Segment>>);

/// One key of a [`JsonPath`], below its parent's.
struct Segment {
    parent: JsonPath,
    key: String,
}

impl JsonPath {
    /// The document root.
    pub fn root() -> Self {
        Self::default()
    }

    /// This path extended by one key.
    pub fn join(&self, key: impl Into<String>) -> Self {
        Self(Some(std::rc::Rc::new(Segment {
            parent: self.clone(),
            key: key.into(),
        })))
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys = Vec::new();
        let mut at = &self.0;
        while let Some(segment) = at {
            keys.push(segment.key.as_str());
            at = &segment.parent.0;
        }
        if keys.is_empty() {
            return f.write_str(".");
        }
        keys.reverse();
        f.write_str(&keys.join("."))
    }
}
