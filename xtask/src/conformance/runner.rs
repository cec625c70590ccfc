//! The runner binary's protocol: requests go in as JSON lines on stdin;
//! out come the checksums of the specs it was built from, then one answer
//! per request (see `runner_main.rs.txt`, the runner's own source).

use super::compare::Built;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::Path;
use std::process::{Command, Stdio};

/// The runner's `src/main.rs`.
pub const MAIN_RS: &str = include_str!("runner_main.rs.txt");

/// One request line.
#[derive(Debug, Serialize)]
pub struct Request<'a> {
    /// The library name of the generated crate, such as `google_storage_v1`.
    pub document: &'a str,
    /// The Discovery method id, or the OpenAPI `operationId`.
    pub method: &'a str,
    /// Parameter values keyed by Discovery name, or by `<in>:<name>` (OpenAPI).
    pub params: &'a Map<String, Value>,
    /// The request body, `null` for none.
    pub body: &'a Value,
    /// The body's media type (OpenAPI); `null` for Discovery vectors, and
    /// for OpenAPI vectors without a body.
    pub content_type: Option<&'a str>,
}

/// What the runner printed.
#[derive(Debug, PartialEq, Eq)]
pub struct Answers {
    /// The spec sha256 of each crate the runner was built with, by library name.
    pub checksums: BTreeMap<String, String>,
    /// One answer per request, in order.
    pub built: Vec<Built>,
}

/// The runner's first line.
#[derive(Deserialize)]
struct Greeting {
    documents: BTreeMap<String, String>,
}

/// Writes `requests` to `input`, runs `binary` on it, and reads its answers.
pub fn run(binary: &Path, input: &Path, requests: &[Request<'_>]) -> Result<Answers, String> {
    let mut lines = String::new();
    for request in requests {
        // Serializing maps and strings cannot fail.
        lines.push_str(&serde_json::to_string(request).unwrap_or_default());
        lines.push('\n');
    }
    fs::write(input, lines).map_err(|e| format!("writing {}: {e}", input.display()))?;
    let stdin = File::open(input).map_err(|e| format!("reading {}: {e}", input.display()))?;
    let output = Command::new(binary)
        .stdin(Stdio::from(stdin))
        .output()
        .map_err(|e| format!("running {}: {e}", binary.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} failed ({}):\n{}",
            binary.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    parse_output(&String::from_utf8_lossy(&output.stdout), requests.len())
}

/// Reads the runner's output, which must answer exactly `expected` requests.
pub fn parse_output(stdout: &str, expected: usize) -> Result<Answers, String> {
    let mut lines = stdout.lines();
    let greeting: Greeting = lines
        .next()
        .ok_or("the runner printed nothing")
        .and_then(|line| serde_json::from_str(line).map_err(|_| "the runner did not greet"))
        .map_err(|e| format!("{e}; is it the runner xtask wrote?"))?;
    let built = lines
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| format!("answer {}: {e}: {line}", i + 1))
        })
        .collect::<Result<Vec<Built>, String>>()?;
    if built.len() != expected {
        return Err(format!(
            "the runner answered {} requests out of {expected}",
            built.len()
        ));
    }
    Ok(Answers {
        checksums: greeting.documents,
        built,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_a_greeting_then_one_answer_per_request() {
        let stdout = concat!(
            r#"{"documents": {"google_x_v1": "abc"}}"#,
            "\n",
            r#"{"ok": {"method": "GET", "url": "https://x/v1", "headers": [["user-agent", "x/1"]], "body": null, "body_base64": false}}"#,
            "\n",
            r#"{"error": {"binding_parameter": "name", "parameter": "name", "message": "no"}}"#,
            "\n",
            r#"{"error": {"binding_parameter": null, "parameter": null, "message": "unknown"}}"#,
            "\n",
            r#"{"ok": {"method": "PUT", "url": "http://localhost/v1", "headers": [["content-type", "application/octet-stream"]], "body": "/w==", "body_base64": true}}"#,
            "\n",
            // What an older runner printed still reads.
            r#"{"ok": {"method": "GET", "url": "https://x/v1"}}"#,
            "\n",
        );
        let answers = parse_output(stdout, 5).unwrap();
        assert_eq!(answers.checksums["google_x_v1"], "abc");
        assert_eq!(
            answers.built,
            [
                Built::Ok {
                    method: "GET".into(),
                    url: "https://x/v1".into(),
                    headers: vec![("user-agent".into(), "x/1".into())],
                    body: None,
                    body_base64: false,
                },
                Built::Error {
                    binding_parameter: Some("name".into()),
                    parameter: Some("name".into()),
                    message: "no".into()
                },
                Built::Error {
                    binding_parameter: None,
                    parameter: None,
                    message: "unknown".into()
                },
                Built::Ok {
                    method: "PUT".into(),
                    url: "http://localhost/v1".into(),
                    headers: vec![("content-type".into(), "application/octet-stream".into())],
                    body: Some("/w==".into()),
                    body_base64: true,
                },
                Built::Ok {
                    method: "GET".into(),
                    url: "https://x/v1".into(),
                    headers: vec![],
                    body: None,
                    body_base64: false,
                },
            ]
        );
        let short = parse_output(stdout, 6).unwrap_err();
        assert!(short.contains("answered 5 requests out of 6"), "{short}");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse_output("", 0).unwrap_err().contains("printed nothing"));
        assert!(
            parse_output("hello\n", 0)
                .unwrap_err()
                .contains("did not greet")
        );
        let bad = parse_output("{\"documents\": {}}\n{\"maybe\": 1}\n", 1).unwrap_err();
        assert!(bad.starts_with("answer 1:"), "{bad}");
    }

    #[test]
    fn requests_are_single_json_lines() {
        let params: Map<String, Value> = serde_json::from_str(r#"{"a": ["x\ny"]}"#).unwrap();
        let request = Request {
            document: "google_x_v1",
            method: "x.a.get",
            params: &params,
            body: &Value::Null,
            content_type: None,
        };
        let line = serde_json::to_string(&request).unwrap();
        assert_eq!(
            line,
            r#"{"document":"google_x_v1","method":"x.a.get","params":{"a":["x\ny"]},"body":null,"content_type":null}"#
        );
        let params: Map<String, Value> =
            serde_json::from_str(r#"{"path:petId": 7, "header:api_key": "a+b"}"#).unwrap();
        let request = Request {
            document: "petstore",
            method: "uploadFile",
            params: &params,
            body: &Value::from("plain text é"),
            content_type: Some("application/octet-stream"),
        };
        let line = serde_json::to_string(&request).unwrap();
        assert_eq!(
            line,
            r#"{"document":"petstore","method":"uploadFile","params":{"header:api_key":"a+b","path:petId":7},"body":"plain text é","content_type":"application/octet-stream"}"#
        );
    }
}
