//! Request vector files: what a reference client builds for method calls,
//! one file per document, in either of two formats told apart by their own
//! content:
//!
//! - Discovery (`shared/corpus/vectors/*.json`): what Google's own Python
//!   client builds; vectors name a `method` id.
//! - OpenAPI (`shared/corpus/openapi-vectors/*.json`): what swagger-client
//!   builds; the file header has an `openapi` key and vectors name an
//!   `operationId` (format in that folder's `README.md`).
//!
//! Both are read into one [`VectorFile`]; each vector keeps the expectation
//! of its own format ([`Expect`]), which [`super::compare`] judges.

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The format of a vector file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Google Discovery vectors (`method`, `expect.httpMethod`).
    Discovery,
    /// OpenAPI vectors (`operationId`, `expect.method`, headers and bodies).
    OpenApi,
}

/// A whole vector file.
#[derive(Debug)]
pub struct VectorFile {
    /// Which format the file is in.
    pub format: Format,
    /// The vectors, in file order.
    pub vectors: Vec<Vector>,
    /// OpenAPI files only: every `in:style:explode` combination the
    /// document declares (the keys of `stats.specStyles`), such as
    /// `query:form:explode`; empty for Discovery files.
    pub spec_styles: BTreeSet<String>,
}

/// One method call and what building it must give.
#[derive(Debug)]
pub struct Vector {
    /// The Discovery method id (`storage.objects.list`) or the OpenAPI
    /// `operationId`, exactly as the spec writes it.
    pub method: String,
    /// Parameter values: keyed by Discovery name, or by `<in>:<name>`
    /// (`path:username`, `query:tags`) for OpenAPI.
    pub params: Map<String, Value>,
    /// The request body; `null` for none.
    pub body: Value,
    /// OpenAPI only: the media type chosen from the operation's
    /// `requestBody.content`, as the spec spells it; `None` for no body and
    /// for every Discovery vector.
    pub content_type: Option<String>,
    /// What building the call must give.
    pub expect: Expect,
}

/// A vector's expectation, in its file's format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// A Discovery vector's.
    Discovery(Expectation),
    /// An OpenAPI vector's.
    OpenApi(OpenApiExpectation),
}

/// What building a call must give (Discovery).
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

/// Why a client must refuse to build a request (Discovery).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RefusalKind {
    /// A path parameter's value does not match the parameter's `pattern`.
    Pattern,
}

/// What swagger-client built for an OpenAPI vector, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenApiExpectation {
    /// The base URL swagger-client used, without a trailing `/`: absolute
    /// (`https://petstore3.swagger.io/api/v3`), a bare path for relative
    /// server URLs, or `""` when the document has no servers.
    pub server: String,
    /// The `debatable` tags: places where swagger-client's choice is
    /// debatable (see `compare::DEBATABLE`).
    pub debatable: Vec<String>,
    /// The request, or the refusal.
    pub outcome: OpenApiOutcome,
}

impl OpenApiExpectation {
    /// Whether the vector carries the `debatable` tag `tag`.
    pub fn is_tagged(&self, tag: &str) -> bool {
        self.debatable.iter().any(|t| t == tag)
    }
}

/// What building an OpenAPI call must give, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenApiOutcome {
    /// swagger-client refused: a required path parameter was not given.
    Refusal {
        /// swagger-client's message (`Required parameter username is not provided`).
        error: String,
        /// The parameter, as `<in>:<name>` (`path:username`).
        param: String,
    },
    /// A request.
    Request(OpenApiRequest),
}

/// The request swagger-client built for an OpenAPI vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenApiRequest {
    /// `GET`, `POST`, ... (upper case).
    pub method: String,
    /// The path relative to the server URL's origin (base path included),
    /// percent-encoded as sent.
    pub path: String,
    /// The decoded query pairs, in swagger-client's order.
    pub query: Vec<(String, String)>,
    /// Header parameters, `Content-Type` when a body is sent and `Cookie`
    /// for cookie parameters; names as the spec writes them, sorted.
    pub headers: Vec<(String, String)>,
    /// The body text as sent, when there is one.
    pub body: Option<String>,
    /// Form bodies: the body's pairs, decoded.
    pub form: Option<Vec<(String, String)>>,
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

/// Parses a vector file's text, in either format; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<VectorFile, VectorsError> {
    match format_of(text) {
        Format::Discovery => {
            let parsed: DiscoveryFile = deserialize(file, text)?;
            Ok(VectorFile {
                format: Format::Discovery,
                vectors: parsed.vectors.into_iter().map(Vector::from).collect(),
                spec_styles: BTreeSet::new(),
            })
        }
        Format::OpenApi => {
            let parsed: OpenApiFile = deserialize(file, text)?;
            Ok(VectorFile {
                format: Format::OpenApi,
                vectors: parsed.vectors.into_iter().map(Vector::from).collect(),
                spec_styles: parsed.stats.spec_styles.into_keys().collect(),
            })
        }
    }
}

/// OpenAPI when the header has an `openapi` key or a vector has an
/// `operationId`; Discovery otherwise, and for text that is not a vector
/// file at all, so that its error is the one Discovery files always gave.
fn format_of(text: &str) -> Format {
    #[derive(Deserialize)]
    struct Probe {
        openapi: Option<IgnoredAny>,
        #[serde(default)]
        vectors: Vec<ProbeVector>,
    }
    #[derive(Deserialize)]
    struct ProbeVector {
        #[serde(rename = "operationId")]
        operation_id: Option<IgnoredAny>,
    }
    match serde_json::from_str::<Probe>(text) {
        Ok(probe)
            if probe.openapi.is_some()
                || probe.vectors.iter().any(|v| v.operation_id.is_some()) =>
        {
            Format::OpenApi
        }
        _ => Format::Discovery,
    }
}

/// Deserializes `text`, naming the JSON path of what is wrong.
fn deserialize<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, VectorsError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        VectorsError {
            file: file.to_owned(),
            message: format!("at `{path}`: {}", e.into_inner()),
        }
    })
}

/// A Discovery vector file, as written.
#[derive(Deserialize)]
struct DiscoveryFile {
    vectors: Vec<DiscoveryVector>,
}

/// A Discovery vector, as written.
#[derive(Deserialize)]
struct DiscoveryVector {
    method: String,
    params: Map<String, Value>,
    #[serde(default)]
    body: Value,
    expect: Expectation,
}

impl From<DiscoveryVector> for Vector {
    fn from(v: DiscoveryVector) -> Self {
        Self {
            method: v.method,
            params: v.params,
            body: v.body,
            content_type: None,
            expect: Expect::Discovery(v.expect),
        }
    }
}

/// An OpenAPI vector file, as written; header keys other than `stats`
/// and `vectors` are informative.
#[derive(Deserialize)]
struct OpenApiFile {
    #[serde(default)]
    stats: OpenApiStats,
    vectors: Vec<OpenApiVector>,
}

#[derive(Default, Deserialize)]
struct OpenApiStats {
    #[serde(rename = "specStyles", default)]
    spec_styles: BTreeMap<String, IgnoredAny>,
}

/// An OpenAPI vector, as written.
#[derive(Deserialize)]
struct OpenApiVector {
    #[serde(rename = "operationId")]
    operation_id: String,
    params: Map<String, Value>,
    #[serde(default)]
    body: Value,
    #[serde(rename = "contentType", default)]
    content_type: Option<String>,
    #[serde(default)]
    server: String,
    expect: RawOpenApiOutcome,
    #[serde(default)]
    debatable: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawOpenApiOutcome {
    Refusal {
        error: String,
        param: String,
    },
    Request {
        method: String,
        path: String,
        #[serde(default)]
        query: Vec<(String, String)>,
        #[serde(default)]
        headers: BTreeMap<String, String>,
        #[serde(default)]
        body: Option<String>,
        #[serde(default)]
        form: Option<Vec<(String, String)>>,
    },
}

impl From<OpenApiVector> for Vector {
    fn from(v: OpenApiVector) -> Self {
        let outcome = match v.expect {
            RawOpenApiOutcome::Refusal { error, param } => OpenApiOutcome::Refusal { error, param },
            RawOpenApiOutcome::Request {
                method,
                path,
                query,
                headers,
                body,
                form,
            } => OpenApiOutcome::Request(OpenApiRequest {
                method,
                path,
                query,
                headers: headers.into_iter().collect(),
                body,
                form,
            }),
        };
        Self {
            method: v.operation_id,
            params: v.params,
            body: v.body,
            content_type: v.content_type,
            expect: Expect::OpenApi(OpenApiExpectation {
                server: v.server,
                debatable: v.debatable,
                outcome,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        assert_eq!(file.format, Format::Discovery);
        assert_eq!(
            file.vectors[0].expect,
            Expect::Discovery(Expectation::Request {
                http_method: "GET".into(),
                path: "/v1/a/1".into(),
                query: vec![("n".into(), "1".into()), ("n".into(), "2".into())],
            })
        );
        assert_eq!(
            file.vectors[1].expect,
            Expect::Discovery(Expectation::Refusal {
                error: RefusalKind::Pattern,
                param: "name".into()
            })
        );
        assert_eq!(file.vectors[1].body, json!({}));
        assert_eq!(file.vectors[1].content_type, None);
        assert!(file.spec_styles.is_empty());
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
        // Text that is no vector file at all gets the error it always got.
        let err = parse("v.json", "{\"vectors\": 3}").unwrap_err().to_string();
        assert!(
            err.starts_with("v.json: at `vectors`: invalid type"),
            "{err}"
        );
        let err = parse("v.json", "[").unwrap_err().to_string();
        assert!(err.starts_with("v.json: at `.`: EOF"), "{err}");
    }

    /// Lines copied from `openapi-vectors/petstore.json`, under a shortened header.
    const PETSTORE: &str = r#"{
 "document": "petstore.yaml", "openapi": "3.0.4", "perOp": 5,
 "stats": {"operations": 19, "specStyles": {"query:form:explode": 7, "path:simple:no-explode": 9, "header:simple:no-explode": 1}},
 "vectors": [
{"operationId":"addPet","params":{},"body":{"name":"id-1","photoUrls":["x","A-Z_0.9"]},"contentType":"application/x-www-form-urlencoded","server":"https://petstore3.swagger.io/api/v3","expect":{"method":"POST","path":"/api/v3/pet","query":[],"headers":{"Content-Type":"application/x-www-form-urlencoded"},"body":"name=id-1&photoUrls=x,A-Z_0.9","form":[["name","id-1"],["photoUrls","x,A-Z_0.9"]]},"debatable":["form-array-no-encoding"]},
{"operationId":"getUserByName","params":{},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"error":"Required parameter username is not provided","param":"path:username"}},
{"operationId":"deletePet","params":{"header:api_key":"a+b","path:petId":-3},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"method":"DELETE","path":"/api/v3/pet/-3","query":[],"headers":{"api_key":"a+b"}}}
 ]
}"#;

    #[test]
    fn openapi_files_are_told_apart_by_their_content() {
        let file = parse("petstore.json", PETSTORE).unwrap();
        assert_eq!(file.format, Format::OpenApi);
        assert_eq!(
            file.spec_styles.iter().collect::<Vec<_>>(),
            [
                "header:simple:no-explode",
                "path:simple:no-explode",
                "query:form:explode"
            ]
        );
        let [form, refusal, header] = &file.vectors[..] else {
            panic!("three vectors");
        };
        assert_eq!(form.method, "addPet");
        assert_eq!(
            form.content_type.as_deref(),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            form.body,
            json!({"name": "id-1", "photoUrls": ["x", "A-Z_0.9"]})
        );
        let Expect::OpenApi(expect) = &form.expect else {
            panic!("an OpenAPI expectation");
        };
        assert_eq!(expect.server, "https://petstore3.swagger.io/api/v3");
        assert!(expect.is_tagged("form-array-no-encoding"));
        assert!(!expect.is_tagged("form-object"));
        assert_eq!(
            expect.outcome,
            OpenApiOutcome::Request(OpenApiRequest {
                method: "POST".into(),
                path: "/api/v3/pet".into(),
                query: vec![],
                headers: vec![(
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded".into()
                )],
                body: Some("name=id-1&photoUrls=x,A-Z_0.9".into()),
                form: Some(vec![
                    ("name".into(), "id-1".into()),
                    ("photoUrls".into(), "x,A-Z_0.9".into())
                ]),
            })
        );
        assert_eq!(
            refusal.expect,
            Expect::OpenApi(OpenApiExpectation {
                server: "https://petstore3.swagger.io/api/v3".into(),
                debatable: vec![],
                outcome: OpenApiOutcome::Refusal {
                    error: "Required parameter username is not provided".into(),
                    param: "path:username".into(),
                },
            })
        );
        assert_eq!(header.params["path:petId"], json!(-3));
        let Expect::OpenApi(OpenApiExpectation {
            outcome: OpenApiOutcome::Request(request),
            ..
        }) = &header.expect
        else {
            panic!("a request");
        };
        assert_eq!(request.headers, [("api_key".into(), "a+b".into())]);
        assert_eq!(request.body, None);
        assert_eq!(request.form, None);
    }

    #[test]
    fn a_vector_with_an_operation_id_is_openapi_even_without_the_header() {
        let file = parse(
            "v.json",
            r#"{"vectors": [{"operationId":"task_get","params":{"path:Task":"id-1"},"body":null,"contentType":null,"server":"","expect":{"method":"GET","path":"/v1/task/id-1","query":[],"headers":{}}}]}"#,
        )
        .unwrap();
        assert_eq!(file.format, Format::OpenApi);
        assert_eq!(file.vectors[0].method, "task_get");
    }

    #[test]
    fn a_malformed_openapi_file_names_the_json_path() {
        let err = parse(
            "o.json",
            r#"{"openapi": "3.0.0", "vectors": [
              {"operationId": "a", "params": {}, "body": null, "contentType": null, "server": "",
               "expect": {"method": "GET", "path": "/", "query": [], "headers": {}}},
              {"operationId": "b", "params": {}, "body": null, "contentType": 3, "server": "",
               "expect": {"method": "GET", "path": "/", "query": [], "headers": {}}}
            ]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("o.json: at `vectors[1].contentType`"),
            "{err}"
        );
        let err = parse(
            "o.json",
            r#"{"openapi": "3.0.0", "vectors": [{"params": {}, "expect": {"method": "GET", "path": "/"}}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("o.json: at `vectors[0]`: missing field `operationId`"),
            "{err}"
        );
    }
}
