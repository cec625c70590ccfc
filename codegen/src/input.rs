//! Reading a spec of any supported format: the text is parsed as JSON or
//! YAML, and the format is told apart by content, never by file name.

use crate::error::Error;
use serde_json::Value;

/// The formats the generator reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    /// A Google API Discovery document (`discoveryVersion` / `kind: discovery#restDescription`).
    Discovery,
    /// OpenAPI 3.0.x.
    OpenApi30,
    /// OpenAPI 3.1.x.
    OpenApi31,
}

impl Format {
    /// How the format is named in messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Discovery => "a Google Discovery document",
            Self::OpenApi30 => "an OpenAPI 3.0 document",
            Self::OpenApi31 => "an OpenAPI 3.1 document",
        }
    }
}

/// What every supported format is, for error messages.
pub const SUPPORTED: &str = "supported: Google Discovery documents (JSON) and OpenAPI 3.0.x or 3.1.x documents (JSON or YAML)";

/// A spec parsed into a JSON value, with its format.
#[derive(Debug)]
pub struct Parsed {
    /// The document.
    pub value: Value,
    /// What it is.
    pub format: Format,
    /// Whether the text was YAML (errors then also give lines).
    pub yaml: bool,
}

/// Whether `text` looks like JSON (its first non-blank character opens an
/// object): JSON is parsed as JSON, anything else as YAML.
pub fn is_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// Parses `text` (JSON or YAML) and tells its format. `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Parsed, Error> {
    let yaml = !is_json(text);
    let value = if yaml {
        parse_yaml(file, text)?
    } else {
        parse_json(file, text)?
    };
    let format = detect(file, &value)?;
    Ok(Parsed {
        value,
        format,
        yaml,
    })
}

/// Parses `text` as JSON or YAML, whatever it describes (a file another
/// spec refers to).
pub fn parse_any(file: &str, text: &str) -> Result<Value, Error> {
    if is_json(text) {
        parse_json(file, text)
    } else {
        parse_yaml(file, text)
    }
}

/// The format of a parsed document, or an error saying what it is instead.
pub fn detect(file: &str, value: &Value) -> Result<Format, Error> {
    let error = |path: &str, message: String| Error::Spec {
        file: file.to_owned(),
        path: path.to_owned(),
        message,
    };
    let Value::Object(root) = value else {
        return Err(error(
            ".",
            format!(
                "the document is a JSON {}, not an object; {SUPPORTED}",
                json_kind(value)
            ),
        ));
    };
    if let Some(version) = root.get("openapi") {
        let Some(version) = version.as_str() else {
            return Err(error(
                "openapi",
                format!(
                    "expected the OpenAPI version as a string such as \"3.1.0\", found a {}",
                    json_kind(version)
                ),
            ));
        };
        return match version.split('.').take(2).collect::<Vec<_>>()[..] {
            ["3", "0"] => Ok(Format::OpenApi30),
            ["3", "1"] => Ok(Format::OpenApi31),
            _ => Err(error(
                "openapi",
                format!("OpenAPI {version} is not supported; {SUPPORTED}"),
            )),
        };
    }
    if let Some(version) = root.get("swagger") {
        let shown = version
            .as_str()
            .map_or_else(|| version.to_string(), str::to_owned);
        return Err(error(
            "swagger",
            format!(
                "this is a Swagger {shown} (OpenAPI 2) document, which is not supported; \
                 convert it to OpenAPI 3 first (for example with swagger2openapi); {SUPPORTED}"
            ),
        ));
    }
    let discovery_kind =
        root.get("kind").and_then(Value::as_str) == Some("discovery#restDescription");
    if discovery_kind || root.contains_key("discoveryVersion") {
        return Ok(Format::Discovery);
    }
    // Older or hand-written Discovery documents may lack both markers but
    // still have the fields every one has.
    if root.contains_key("rootUrl")
        && (root.contains_key("resources") || root.contains_key("methods"))
    {
        return Ok(Format::Discovery);
    }
    Err(error(
        ".",
        format!(
            "not a Discovery document (no `discoveryVersion`) nor an OpenAPI document (no `openapi`); {SUPPORTED}"
        ),
    ))
}

fn parse_json(file: &str, text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::Parse {
        file: file.to_owned(),
        path: ".".to_owned(),
        message: format!("not valid JSON: {e}"),
    })
}

/// YAML to a JSON value: keys that are numbers or booleans (`200:` as a
/// response code) become their text; merge keys (`<<`) are applied.
fn parse_yaml(file: &str, text: &str) -> Result<Value, Error> {
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let at = e.location().map_or(String::new(), |l| {
            format!(" at line {}, column {}", l.line(), l.column())
        });
        Error::Parse {
            file: file.to_owned(),
            path: ".".to_owned(),
            message: format!("not valid YAML{at}: {e}"),
        }
    })?;
    yaml.apply_merge().map_err(|e| Error::Parse {
        file: file.to_owned(),
        path: ".".to_owned(),
        message: format!("a YAML merge key (`<<`) could not be applied: {e}"),
    })?;
    yaml_to_json(yaml, &mut Vec::new()).map_err(|(path, message)| Error::Parse {
        file: file.to_owned(),
        path: if path.is_empty() {
            ".".to_owned()
        } else {
            path.join(".")
        },
        message,
    })
}

fn yaml_to_json(
    value: serde_yaml::Value,
    path: &mut Vec<String>,
) -> Result<Value, (Vec<String>, String)> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| (path.clone(), format!("the number {n} has no JSON form")))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                path.push(i.to_string());
                out.push(yaml_to_json(item, path)?);
                path.pop();
            }
            Value::Array(out)
        }
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (key, item) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => {
                        return Err((
                            path.clone(),
                            format!("a mapping key must be a string, found {other:?}"),
                        ));
                    }
                };
                path.push(key.clone());
                let item = yaml_to_json(item, path)?;
                path.pop();
                out.insert(key, item);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, path)?,
    })
}

/// `object`, `array`, `string`, ... for messages.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format_of(text: &str) -> Result<Format, String> {
        parse("spec", text)
            .map(|p| p.format)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn formats_are_told_apart_by_content() {
        assert_eq!(
            format_of(r#"{"openapi": "3.0.3", "info": {}}"#),
            Ok(Format::OpenApi30)
        );
        assert_eq!(
            format_of("openapi: 3.1.0\ninfo: {}\n"),
            Ok(Format::OpenApi31)
        );
        assert_eq!(
            format_of(r#"{"kind": "discovery#restDescription", "discoveryVersion": "v1"}"#),
            Ok(Format::Discovery)
        );
        let swagger = format_of("swagger: '2.0'\ninfo: {}\n").unwrap_err();
        assert!(
            swagger.contains("Swagger 2.0") && swagger.contains("supported:"),
            "{swagger}"
        );
        let other = format_of(r#"{"hello": 1}"#).unwrap_err();
        assert!(other.contains("not a Discovery document"), "{other}");
        let newer = format_of("openapi: 4.0.0\n").unwrap_err();
        assert!(newer.contains("OpenAPI 4.0.0 is not supported"), "{newer}");
        let list = format_of("- a\n- b\n").unwrap_err();
        assert!(list.contains("JSON array"), "{list}");
    }

    #[test]
    fn yaml_keys_that_are_numbers_become_text() {
        let parsed = parse(
            "spec",
            "openapi: 3.0.0\nresponses:\n  200: {description: ok}\n",
        )
        .unwrap();
        assert_eq!(parsed.value["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn malformed_yaml_gives_its_line() {
        let error = parse("spec.yaml", "openapi: 3.0.0\ninfo: [\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("spec.yaml") && error.contains("line"),
            "{error}"
        );
    }
}
