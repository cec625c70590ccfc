//! Request vector files (`shared/corpus/vectors/*.json`): what Google's own
//! client builds for a method call, one file per Discovery document.

use serde::Deserialize;
use serde_json::{Map, Value};
use std::path::Path;

/// A whole vector file.
#[derive(Debug, Deserialize)]
pub struct VectorFile {
    /// The vectors, in file order.
    pub vectors: Vec<Vector>,
}

/// One method call and the request it must build.
#[derive(Debug, Deserialize)]
pub struct Vector {
    /// The Discovery method id, such as `storage.objects.list`.
    pub method: String,
    /// Parameter values keyed by Discovery name.
    pub params: Map<String, Value>,
    /// The request body; `null` for none.
    #[serde(default)]
    pub body: Value,
    /// What building the call must give.
    pub expect: Expectation,
}

/// What building a call must give.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Expectation {
    /// The client refuses to build the request.
    Refusal {
        /// Why; only `"pattern"` is known.
        error: RefusalKind,
        /// The parameter whose value is refused.
        param: String,
    },
    /// A request.
    Request {
        /// `GET`, `POST`, ...
        #[serde(rename = "httpMethod")]
        http_method: String,
        /// The path after the root URL, with its leading `/`, percent-encoded as sent.
        path: String,
        /// The decoded query pairs, without `alt=json` and `key`.
        #[serde(default)]
        query: Vec<(String, String)>,
    },
}

/// Why a client must refuse to build a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RefusalKind {
    /// A path parameter's value does not match the parameter's `pattern`.
    Pattern,
}

/// Why a vector file could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct VectorsError {
    /// The file.
    pub file: String,
    /// What is wrong, with the JSON path where there is one.
    pub message: String,
}

/// Reads and parses the vector file at `path`.
pub fn load(path: &Path) -> Result<VectorFile, VectorsError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| VectorsError {
        file: file.clone(),
        message: e.to_string(),
    })?;
    parse(&file, &text)
}

/// Parses a vector file's text; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<VectorFile, VectorsError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        VectorsError {
            file: file.to_owned(),
            message: format!("at `{path}`: {}", e.into_inner()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_kinds_of_expectation_parse() {
        let file = parse(
            "v.json",
            r#"{"document": "x.v1.json", "vectors": [
              {"method": "x.a.get", "params": {"name": "a/1", "n": ["1", "2"]}, "body": null,
               "expect": {"httpMethod": "GET", "path": "/v1/a/1", "query": [["n", "1"], ["n", "2"]]}},
              {"method": "x.a.retry", "params": {"name": "nope"}, "body": {},
               "expect": {"error": "pattern", "param": "name"}}
            ]}"#,
        )
        .unwrap();
        assert_eq!(
            file.vectors[0].expect,
            Expectation::Request {
                http_method: "GET".into(),
                path: "/v1/a/1".into(),
                query: vec![("n".into(), "1".into()), ("n".into(), "2".into())],
            }
        );
        assert_eq!(
            file.vectors[1].expect,
            Expectation::Refusal {
                error: RefusalKind::Pattern,
                param: "name".into()
            }
        );
        assert_eq!(file.vectors[1].body, serde_json::json!({}));
    }

    #[test]
    fn a_malformed_file_names_the_json_path() {
        let err = parse(
            "v.json",
            r#"{"vectors": [{"method": "x", "params": [], "body": null, "expect": {}}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("v.json: at `vectors[0].params`"), "{err}");
    }
}
