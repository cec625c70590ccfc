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
#[derive(Clone, Default)]
pub struct JsonPath(Vec<String>);

impl JsonPath {
    /// The document root.
    pub fn root() -> Self {
        Self::default()
    }

    /// This path extended by one key.
    pub fn join(&self, key: impl Into<String>) -> Self {
        let mut keys = self.0.clone();
        keys.push(key.into());
        Self(keys)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str(".");
        }
        f.write_str(&self.0.join("."))
    }
}
