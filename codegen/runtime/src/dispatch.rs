//! Calls by method id with JSON parameters, for tools and conformance
//! tests (cargo feature `dispatch`): each value is converted to the typed
//! argument the generated call takes, so requests are built by the same
//! code as typed calls.

use super::error::Error;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::str::FromStr;

/// Why a call by method id could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum DispatchError {
    /// No method has this id.
    UnknownMethod(String),
    /// A parameter is missing, unknown, or not of its type.
    Param {
        /// The parameter's Discovery name.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// The typed call refused the arguments (a path value that does not
    /// fit its pattern, say) or could not serialize the body.
    Build(Error),
}

impl DispatchError {
    /// The name of the parameter a refusal is about: one missing, unknown
    /// or of the wrong type, or a path value its template refused.
    pub fn parameter(&self) -> Option<&str> {
        match self {
            Self::Param { name, .. } => Some(name),
            Self::Build(Error::Binding(e)) => Some(e.parameter()),
            _ => None,
        }
    }

    /// The Discovery name of the path parameter whose value does not fit
    /// its pattern, when that is why the call could not be built.
    pub fn binding_parameter(&self) -> Option<&str> {
        match self {
            Self::Build(Error::Binding(e)) => Some(e.parameter()),
            _ => None,
        }
    }
}

impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownMethod(id) => write!(f, "no method has the id {id:?}"),
            Self::Param { name, message } => write!(f, "parameter `{name}`: {message}"),
            Self::Build(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for DispatchError {}

/// A call's parameters, as JSON keyed by spec name.
pub struct Params {
    values: serde_json::Map<String, serde_json::Value>,
}

/// Locations a parameter name may be prefixed with (`query:tags`).
const LOCATIONS: &[&str] = &["path:", "query:", "header:", "cookie:"];

impl Params {
    /// Wraps `values`, refusing names the method does not have. A name may
    /// carry its location (`path:name`), as OpenAPI tools write them.
    pub fn new(
        values: &serde_json::Map<String, serde_json::Value>,
        known: &[&str],
    ) -> Result<Self, DispatchError> {
        let mut plain = serde_json::Map::new();
        for (key, value) in values {
            let name = LOCATIONS
                .iter()
                .find_map(|prefix| key.strip_prefix(prefix))
                .filter(|rest| known.contains(rest))
                .unwrap_or(key);
            if !known.contains(&name) {
                return Err(param_error(key, "the method has no such parameter"));
            }
            plain.insert(name.to_owned(), value.clone());
        }
        Ok(Self { values: plain })
    }

    /// A required parameter read from its JSON value (an object, say).
    pub fn required_json<T: DeserializeOwned>(&self, name: &str) -> Result<T, DispatchError> {
        self.optional_json(name)?
            .ok_or_else(|| param_error(name, "required, but not given"))
    }

    /// An optional parameter read from its JSON value; `null` is not given.
    pub fn optional_json<T: DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, DispatchError> {
        match self.values.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(value) => T::deserialize(value)
                .map(Some)
                .map_err(|e| param_error(name, &e.to_string())),
        }
    }

    /// A required repeated parameter whose values are JSON (objects): at
    /// least one value.
    #[allow(dead_code)] // Only crates with object query parameters use it.
    pub fn required_json_list<T: DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Vec<T>, DispatchError> {
        let values = self.json_list(name)?;
        if values.is_empty() {
            return Err(param_error(name, "required, but not given"));
        }
        Ok(values)
    }

    /// A repeated parameter whose values are JSON (objects): a JSON array
    /// of them, or one.
    #[allow(dead_code)] // Only crates with object query parameters use it.
    pub fn json_list<T: DeserializeOwned>(&self, name: &str) -> Result<Vec<T>, DispatchError> {
        let one = |value: &serde_json::Value| {
            T::deserialize(value).map_err(|e| param_error(name, &e.to_string()))
        };
        match self.values.get(name) {
            None | Some(serde_json::Value::Null) => Ok(Vec::new()),
            Some(serde_json::Value::Array(items)) => items.iter().map(one).collect(),
            Some(value) => Ok(vec![one(value)?]),
        }
    }

    /// A required parameter.
    pub fn required<T: FromStr>(&self, name: &str) -> Result<T, DispatchError>
    where
        T::Err: fmt::Display,
    {
        self.optional(name)?
            .ok_or_else(|| param_error(name, "required, but not given"))
    }

    /// An optional parameter; JSON `null` counts as not given.
    pub fn optional<T: FromStr>(&self, name: &str) -> Result<Option<T>, DispatchError>
    where
        T::Err: fmt::Display,
    {
        match self.values.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(value) => parse(name, value).map(Some),
        }
    }

    /// A required repeated parameter: at least one value.
    pub fn required_list<T: FromStr>(&self, name: &str) -> Result<Vec<T>, DispatchError>
    where
        T::Err: fmt::Display,
    {
        let values = self.list(name)?;
        if values.is_empty() {
            return Err(param_error(name, "required, but not given"));
        }
        Ok(values)
    }

    /// A repeated parameter: a JSON array, or one value.
    pub fn list<T: FromStr>(&self, name: &str) -> Result<Vec<T>, DispatchError>
    where
        T::Err: fmt::Display,
    {
        match self.values.get(name) {
            None | Some(serde_json::Value::Null) => Ok(Vec::new()),
            Some(serde_json::Value::Array(items)) => {
                items.iter().map(|item| parse(name, item)).collect()
            }
            Some(value) => Ok(vec![parse(name, value)?]),
        }
    }
}

/// A request body: the JSON given, or the empty message.
pub fn body<T: DeserializeOwned + Default>(
    value: Option<&serde_json::Value>,
) -> Result<T, DispatchError> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(T::default()),
        Some(value) => T::deserialize(value).map_err(|e| param_error("(body)", &e.to_string())),
    }
}

/// A raw body: a JSON string's text as bytes (or an array of byte values).
pub fn binary_body(value: Option<&serde_json::Value>) -> Result<Vec<u8>, DispatchError> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(Vec::new()),
        Some(serde_json::Value::String(text)) => Ok(text.clone().into_bytes()),
        Some(value) => {
            Vec::<u8>::deserialize(value).map_err(|e| param_error("(body)", &e.to_string()))
        }
    }
}

/// Refuses a body for a method that takes none (`empty_message`: one whose
/// body is always `{}`, which may be given as such).
pub fn no_body(
    value: Option<&serde_json::Value>,
    empty_message: bool,
) -> Result<(), DispatchError> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(()),
        Some(serde_json::Value::Object(map)) if empty_message && map.is_empty() => Ok(()),
        Some(_) => Err(param_error("(body)", "the method takes no request body")),
    }
}

fn parse<T: FromStr>(name: &str, value: &serde_json::Value) -> Result<T, DispatchError>
where
    T::Err: fmt::Display,
{
    // Values arrive as they would in a URL: strings, numbers, booleans.
    let text = match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Number(number) => number.to_string(),
        serde_json::Value::Bool(flag) => flag.to_string(),
        other => {
            return Err(param_error(
                name,
                &format!("expected a scalar, found {other}"),
            ));
        }
    };
    text.parse()
        .map_err(|e: T::Err| param_error(name, &format!("{text:?}: {e}")))
}

/// Refuses a content type other than `media`, the one media type of a
/// method's body (`None` takes it).
pub fn only_media_type(content_type: Option<&str>, media: &str) -> Result<(), DispatchError> {
    match content_type {
        Some(other) if other != media => Err(not_a_media_type(other)),
        _ => Ok(()),
    }
}

/// The error for a content type that is none of the body's media types.
pub fn not_a_media_type(content_type: &str) -> DispatchError {
    param_error(
        "(content type)",
        &format!("{content_type:?} is not a media type of the body"),
    )
}

fn param_error(name: &str, message: &str) -> DispatchError {
    DispatchError::Param {
        name: name.to_owned(),
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(result: Result<(), DispatchError>) -> (String, String) {
        match result {
            Err(DispatchError::Param { name, message }) => (name, message),
            other => panic!("expected a parameter error, got {other:?}"),
        }
    }

    #[test]
    fn a_body_of_one_media_type_takes_that_type_or_none() {
        assert!(only_media_type(None, "application/json").is_ok());
        assert!(only_media_type(Some("application/json"), "application/json").is_ok());
        assert_eq!(
            param(only_media_type(Some("text/plain"), "application/json")),
            (
                "(content type)".to_owned(),
                "\"text/plain\" is not a media type of the body".to_owned()
            )
        );
    }

    #[test]
    fn a_method_without_a_body_refuses_one() {
        assert!(no_body(None, false).is_ok());
        assert!(no_body(Some(&serde_json::Value::Null), false).is_ok());
        let empty = serde_json::json!({});
        assert!(no_body(Some(&empty), true).is_ok());
        assert_eq!(
            param(no_body(Some(&empty), false)).1,
            "the method takes no request body"
        );
    }
}
