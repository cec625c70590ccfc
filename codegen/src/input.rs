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
}

/// Whether `text` looks like JSON (its first non-blank character opens an
/// object): JSON is parsed as JSON, anything else as YAML.
pub fn is_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// A spec's bytes as text. Specs are UTF-8: bytes that are not are an
/// error giving the line and column where they start and the JSON path of
/// the value they stand in (as far as the text before them shows it).
pub fn decode(file: &str, bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|error| not_utf8(file, error.as_bytes(), error.utf8_error()))
}

/// The error for `bytes`, which `error` says are UTF-8 only up to a point.
fn not_utf8(file: &str, bytes: &[u8], error: std::str::Utf8Error) -> Error {
    let offset = error.valid_up_to();
    // Valid by definition: the decoder stopped after it.
    let before = std::str::from_utf8(bytes.get(..offset).unwrap_or_default()).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    let path = if is_json(before) {
        crate::json_position::path_at_end(before)
    } else {
        crate::yaml_lines::path_at_end(before)
    };
    // The invalid sequence (or what is left of a cut-off one, at the end).
    let rest = bytes.get(offset..).unwrap_or_default();
    let bad = rest
        .get(..error.error_len().unwrap_or(rest.len()).min(4))
        .unwrap_or_default();
    let shown: Vec<String> = bad.iter().map(|b| format!("0x{b:02X}")).collect();
    let (noun, verb) = if shown.len() > 1 {
        ("bytes", "are")
    } else {
        ("byte", "is")
    };
    Error::Parse {
        file: format!("{file}:{line}"),
        path,
        message: format!(
            "not UTF-8 text: {noun} {} at line {line}, column {column} (byte offset {offset}) \
             {verb} not valid UTF-8; a spec must be UTF-8",
            shown.join(" ")
        ),
    }
}

/// Parses `text` (JSON or YAML) and tells its format. `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Parsed, Error> {
    let value = parse_any(file, text)?;
    let format = detect(file, &value)?;
    Ok(Parsed { value, format })
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
    // The Discovery service's list of APIs (`index.json` in Google's
    // client libraries) has `discoveryVersion` too, but describes no API.
    if root.get("kind").and_then(Value::as_str) == Some("discovery#directoryList") {
        return Err(error(
            "kind",
            "this is a Discovery directory list, not an API description: generate from \
             one of the documents it lists (`items[].discoveryRestUrl`)"
                .to_owned(),
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
/// response code) become their text; merge keys (`<<`) are applied;
/// integers beyond 64 bits (`minimum: -9223372036854776000`, as real specs
/// write) become floating-point numbers instead of failing; tags are
/// dropped.
fn parse_yaml(file: &str, text: &str) -> Result<Value, Error> {
    serde_yaml::from_str::<FromYaml>(text)
        .map(|v| v.0)
        .map_err(|e| {
            let at = e.location().map_or(String::new(), |l| {
                format!(" at line {}, column {}", l.line(), l.column())
            });
            Error::Parse {
                file: file.to_owned(),
                path: ".".to_owned(),
                message: format!("not valid YAML{at}: {e}"),
            }
        })
}

/// A JSON value read from YAML (see [`parse_yaml`]).
struct FromYaml(Value);

impl<'de> serde::Deserialize<'de> for FromYaml {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor).map(FromYaml)
    }
}

struct YamlVisitor;

impl<'de> serde::de::Visitor<'de> for YamlVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(FromYaml(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        let mut merged: Vec<Value> = Vec::new();
        while let Some(YamlKey(key)) = map.next_key()? {
            let FromYaml(value) = map.next_value()?;
            if key == "<<" {
                // Merged later: the mapping's own keys win.
                merged.push(value);
            } else {
                out.insert(key, value);
            }
        }
        for source in merged {
            let sources = match source {
                Value::Array(items) => items,
                other => vec![other],
            };
            for source in sources {
                if let Value::Object(entries) = source {
                    for (key, value) in entries {
                        out.entry(key).or_insert(value);
                    }
                }
            }
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!Tag value`): the value, without its tag.
        use serde::de::VariantAccess;
        let (_, variant): (serde::de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant::<FromYaml>().map(|v| v.0)
    }
}

/// A JSON number from a float; one JSON cannot hold (NaN, infinity) is `null`.
fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// A mapping key as text: strings, and numbers or booleans as written.
struct YamlKey(String);

impl<'de> serde::Deserialize<'de> for YamlKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = String;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, number or boolean as a mapping key")
            }

            fn visit_str<E>(self, v: &str) -> Result<String, E> {
                Ok(v.to_owned())
            }

            fn visit_bool<E>(self, v: bool) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_i64<E>(self, v: i64) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_u64<E>(self, v: u64) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_i128<E>(self, v: i128) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_u128<E>(self, v: u128) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_f64<E>(self, v: f64) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_unit<E>(self) -> Result<String, E> {
                Ok("null".to_owned())
            }
        }
        deserializer.deserialize_any(KeyVisitor).map(YamlKey)
    }
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
        let directory = format_of(
            r#"{"kind": "discovery#directoryList", "discoveryVersion": "v1", "items": []}"#,
        )
        .unwrap_err();
        assert!(
            directory.contains("at `kind`")
                && directory.contains("is a Discovery directory list, not an API description"),
            "{directory}"
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
    fn yaml_merge_keys_huge_integers_and_tags_are_read() {
        let text = "base: &b {a: 1, b: 2}\nderived:\n  <<: *b\n  b: 3\nhuge: -9223372036854776000\ntagged: !x 5\n";
        let value = parse("spec", text).map(|p| p.value);
        // Not an OpenAPI document: read it without telling the format.
        let value = value.unwrap_or_else(|_| parse_any("spec", text).unwrap());
        assert_eq!(value["derived"], serde_json::json!({"a": 1, "b": 3}));
        assert_eq!(value["huge"].as_f64(), Some(-9.223372036854776e18));
        assert_eq!(value["tagged"], 5);
    }

    #[test]
    fn bytes_that_are_not_utf8_give_line_column_and_path() {
        let json = b"{\n  \"schemas\": {\"A\": {\"description\": \"caf\xE9\"}}}".to_vec();
        let error = decode("spec.json", json).unwrap_err().to_string();
        assert_eq!(
            error,
            "spec.json:2: at `schemas.A.description`: not UTF-8 text: byte 0xE9 at line 2, \
             column 40 (byte offset 41) is not valid UTF-8; a spec must be UTF-8"
        );
        let yaml = b"openapi: 3.0.0\ninfo:\n  title: \xFF\n".to_vec();
        let error = decode("spec.yaml", yaml).unwrap_err().to_string();
        assert!(
            error.starts_with(
                "spec.yaml:3: at `info.title`: not UTF-8 text: byte 0xFF at line 3, column 10"
            ),
            "{error}"
        );
        assert_eq!(decode("spec", b"{}".to_vec()).unwrap(), "{}");
        // A character cut off at the end: what is left of it is shown.
        let cut = decode("spec.json", b"{\"a\": \"\xE2\x82".to_vec()).unwrap_err();
        assert!(
            cut.to_string().ends_with(
                "at `a`: not UTF-8 text: bytes 0xE2 0x82 at line 1, column 8 (byte offset 7) \
                 are not valid UTF-8; a spec must be UTF-8"
            ),
            "{cut}"
        );
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
