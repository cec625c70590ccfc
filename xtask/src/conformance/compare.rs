//! Whether a built request meets a vector's expectation.
//!
//! **Discovery vectors.** The path (after the document's `rootUrl`) must
//! match byte for byte, as sent; the query is compared decoded and as a
//! multiset, because clients may order parameters differently; `alt=json`
//! and `key` are left out on both sides, as the vectors leave them out.
//!
//! **OpenAPI vectors** are judged as `openapi-vectors/README.md` ("Comparing
//! a client fairly") says: the HTTP method exactly; the path relative to
//! the URL's origin (base path included) with hex digits in upper case, and
//! for `path-reserved` vectors with `%21 %24 %26 %27 %28 %29 %2A %2B %2C %3B
//! %3D %3A %40` decoded on both sides (never `%2F %3F %23 %25`); the origin
//! itself when the vector's server is absolute; the query as decoded pairs,
//! a multiset in which repeated names keep their relative order; every
//! expected header with its exact value (names case-insensitive), and no
//! `content-type` or `cookie` header when none is expected; the body as
//! parsed JSON for JSON media types (`application/json`, `+json`, with
//! parameters), as decoded pairs for `application/x-www-form-urlencoded`
//! (like the query), else as exact text; a refusal must name the missing
//! parameter. Query and form values that are JSON objects or arrays (nested
//! values, which both sides send as JSON text) are compared with their keys
//! sorted, and JSON numbers by value (`42` and `42.0` are equal).
//!
//! Where swagger-client's choice is debatable and ours follows the OpenAPI
//! specification instead, a vector with that `debatable` tag is judged
//! against what our rule builds, computed from the vector's own inputs by
//! one function per tag; [`DEBATABLE`] lists every tag with our stance.
//!
//! | tag | our stance | how the vector is judged |
//! | --- | --- | --- |
//! | `path-dot-segment` | differ: a `.`/`..` path value is refused | passes when building is refused naming that parameter |
//! | `form-array-no-encoding` | differ: OAS form defaults (style form, explode true): an array field repeats its name | expected form pairs computed from the vector's `body` |
//! | `form-object` | differ only through the body's arrays: an object field is its JSON text, as swagger-client sends it (OAS 3.1.1 too) | expected form pairs computed from the vector's `body`, which may hold arrays too |
//! | `form-nested` | differ: OAS form defaults: values below the first level are compact JSON text, one pair per array item | expected form pairs computed from the vector's `body` |
//! | `json-scalar-body` | differ: a JSON body is always valid JSON (`"Run"`, not `Run`) | expected body is the vector's `body` as JSON |
//! | `empty-array` | differ: an empty array is omitted in every style | recorded, minus the empty `name=` pairs (query, cookie, form) and empty headers of `[]` parameters |
//! | `label-no-explode` | differ: OAS table, `.a,b,c` (and `.R,100,G,200`) | recorded path with the label value's `.` separators turned into `,` |
//! | `delimited-object` | differ: OAS table, object items joined by the style's delimiter (` ` or `\|`) | recorded query with that pair's `,` separators turned into the delimiter the document declares |
//! | `deepobject-nested` | differ: qs style, `color[a][b]=1`; array properties repeat the name (`color[a]=1&color[a]=2`), array items that are objects or arrays are indexed (`color[a][0][b]=1`) | recorded query (or form) with that parameter's pairs recomputed from its value |
//! | `param-override` | differ: the operation-level definition wins (OAS) | as recorded: scalars serialize alike under either definition; a non-scalar value cannot be judged and fails |
//! | `path-reserved` | same (RFC 6570 encoding) | as recorded, sub-delims decoded on both sides |
//! | `ignored-header-required` | same: `Accept`, `Content-Type`, `Authorization` header parameters are neither required nor sent | as recorded |
//! | `delimited-explode` | same: exploded space/pipe-delimited arrays repeat the name | as recorded |
//! | `deepobject-no-explode` | same: `explode: false` is treated as `true` | as recorded |
//! | `deepobject-not-object` | same: a non-object value serializes like exploded form | as recorded |
//! | `nested-in-query`, `nested-in-path`, `nested-in-header` | same: nested items are compact JSON text | as recorded (JSON text compared with sorted keys) |
//! | `cookie-param` | same: RFC 6265-safe percent-encoding in one `Cookie` header | as recorded |
//! | `content-param` | same: a `content` parameter is its media type's text | as recorded |
//! | `schema-unsatisfied` | same: values are sent as given | as recorded |
//! | any other tag | same | as recorded |

use super::vectors::{
    Expectation, OpenApiExpectation, OpenApiOutcome, OpenApiRequest, RefusalKind,
};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// What the runner built for one vector.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Built {
    /// A request.
    Ok {
        /// `GET`, `POST`, ...
        method: String,
        /// The full URL, percent-encoded as sent.
        url: String,
        /// The headers, lower-case names, in the order they are sent.
        #[serde(default)]
        headers: Vec<(String, String)>,
        /// The body: its text, or its base64 when `body_base64`.
        #[serde(default)]
        body: Option<String>,
        /// Whether `body` is base64 (the body is not UTF-8).
        #[serde(default)]
        body_base64: bool,
    },
    /// Building was refused.
    Error {
        /// The path parameter whose value did not fit its pattern, when
        /// that is why.
        binding_parameter: Option<String>,
        /// The parameter the refusal is about (missing, or refused by the
        /// path encoder), by its wire name.
        #[serde(default)]
        parameter: Option<String>,
        /// The client's message.
        message: String,
    },
}

// ---------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------

/// Why `built` does not meet `expect`, or `None` when it does. `root_url`
/// is the document's, which every request URL must start with.
pub fn mismatch(root_url: &str, expect: &Expectation, built: &Built) -> Option<String> {
    match (expect, built) {
        (
            Expectation::Request {
                http_method,
                path,
                query,
            },
            Built::Ok { method, url, .. },
        ) => {
            let Some((built_path, built_query)) = split_url(root_url, url) else {
                return Some(format!("the URL is not under rootUrl {root_url}"));
            };
            let mut problems = Vec::new();
            if method != http_method {
                problems.push("HTTP method differs".to_owned());
            }
            if built_path != *path {
                problems.push("path differs".to_owned());
            }
            if let Some(difference) = query_difference(query, &decode_query(built_query)) {
                problems.push(difference);
            }
            (!problems.is_empty()).then(|| problems.join("; "))
        }
        (Expectation::Request { .. }, Built::Error { .. }) => {
            Some("building was refused".to_owned())
        }
        (
            Expectation::Refusal {
                error: RefusalKind::Pattern,
                param,
            },
            built,
        ) => match built {
            Built::Error {
                binding_parameter: Some(refused),
                ..
            } if refused == param => None,
            Built::Error {
                binding_parameter: Some(refused),
                ..
            } => Some(format!("refused for `{refused}` instead of `{param}`")),
            Built::Error {
                binding_parameter: None,
                ..
            } => Some(format!(
                "refused, but not because `{param}` does not fit its pattern"
            )),
            Built::Ok { .. } => Some(format!(
                "built, although `{param}` does not fit its pattern"
            )),
        },
    }
}

/// The expectation, as a failure line shows it.
pub fn describe_expectation(expect: &Expectation) -> String {
    match expect {
        Expectation::Request {
            http_method,
            path,
            query,
        } => format!("{http_method} {path} {}", describe_pairs(query)),
        Expectation::Refusal {
            error: RefusalKind::Pattern,
            param,
        } => format!("a refusal because `{param}` does not fit its pattern"),
    }
}

/// What was built, as a failure line of a Discovery vector shows it.
pub fn describe_built(built: &Built) -> String {
    match built {
        Built::Ok { method, url, .. } => format!("{method} {url}"),
        Built::Error {
            binding_parameter: Some(name),
            message,
            ..
        } => format!("a refusal for `{name}`: {message}"),
        Built::Error {
            binding_parameter: None,
            message,
            ..
        } => format!("a refusal: {message}"),
    }
}

/// The path (with its leading `/`) and raw query of `url`, or `None` when
/// it does not start with `root_url`.
pub fn split_url<'u>(root_url: &str, url: &'u str) -> Option<(&'u str, &'u str)> {
    // The root URL ends in `/`, which is also the path's first character.
    let root = root_url.strip_suffix('/').unwrap_or(root_url);
    let rest = url.strip_prefix(root)?;
    if !rest.starts_with('/') {
        return None;
    }
    Some(rest.split_once('?').unwrap_or((rest, "")))
}

/// The decoded name/value pairs of a raw query, in order.
pub fn decode_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

/// Decodes `%XX` escapes. `+` stays `+`: the generated clients encode a
/// space as `%20` and a plus as `%2B`. A `%` not followed by two hex digits
/// is kept as it is.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(byte) = bytes.get(i + 1..i + 3).and_then(hex_byte) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_byte(digits: &[u8]) -> Option<u8> {
    let text = std::str::from_utf8(digits).ok()?;
    u8::from_str_radix(text, 16).ok()
}

/// How the built query differs from the expected one as multisets, leaving
/// out `alt=json` and `key`; `None` when they are equal.
fn query_difference(expected: &[(String, String)], built: &[(String, String)]) -> Option<String> {
    let difference = multiset_difference(
        expected.iter().filter(is_significant),
        built.iter().filter(is_significant),
    )?;
    Some(format!("query differs: {difference}"))
}

/// `missing [..], unexpected [..]`: how `built` differs from `expected` as
/// multisets of pairs; `None` when they are equal.
fn multiset_difference<'p>(
    expected: impl Iterator<Item = &'p (String, String)>,
    built: impl Iterator<Item = &'p (String, String)>,
) -> Option<String> {
    // Count each pair: +1 per expected occurrence, -1 per built one.
    let mut balance: BTreeMap<&(String, String), i64> = BTreeMap::new();
    for pair in expected {
        *balance.entry(pair).or_default() += 1;
    }
    for pair in built {
        *balance.entry(pair).or_default() -= 1;
    }
    let mut missing = Vec::new();
    let mut unexpected = Vec::new();
    for (pair, count) in balance {
        let list = if count > 0 {
            &mut missing
        } else {
            &mut unexpected
        };
        for _ in 0..count.abs() {
            list.push(pair.clone());
        }
    }
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing {}", describe_pairs(&missing)));
    }
    if !unexpected.is_empty() {
        parts.push(format!("unexpected {}", describe_pairs(&unexpected)));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Whether a query pair takes part in the comparison.
fn is_significant((name, value): &&(String, String)) -> bool {
    !(name == "key" || (name == "alt" && value == "json"))
}

/// `[a="1", b="x y"]`: quoted, so separators inside values stay readable.
fn describe_pairs(pairs: &[(String, String)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}={value:?}"))
        .collect();
    format!("[{}]", items.join(", "))
}

// ---------------------------------------------------------------------------
// OpenAPI
// ---------------------------------------------------------------------------

/// One OpenAPI vector to judge: its inputs, what swagger-client built, and
/// what its file says about the document.
#[derive(Clone, Copy, Debug)]
pub struct Case<'a> {
    /// Parameter values by `<in>:<name>`.
    pub params: &'a Map<String, Value>,
    /// The body value; `null` for none.
    pub body: &'a Value,
    /// The body's media type, as the spec spells it.
    pub content_type: Option<&'a str>,
    /// What swagger-client built, with the vector's `debatable` tags.
    pub expect: &'a OpenApiExpectation,
    /// The `in:style:explode` combinations the document declares
    /// (`stats.specStyles` of the vector file).
    pub spec_styles: &'a BTreeSet<String>,
}

/// What our client must build for an OpenAPI vector: what swagger-client
/// built, changed by the rule of every `debatable` tag we differ on.
#[derive(Clone, Debug, PartialEq)]
pub enum Judged {
    /// Building must be refused, naming `parameter`.
    Refusal {
        /// The parameter's wire name (`username`, not `path:username`).
        parameter: String,
        /// Why, as a failure line says it.
        because: String,
    },
    /// A request.
    Request(Wanted),
}

/// A request our client must build.
#[derive(Clone, Debug, PartialEq)]
pub struct Wanted {
    /// The `scheme://authority` the URL must have (compared ignoring case)
    /// when the vector's server is absolute; `None` for relative servers.
    pub origin: Option<String>,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path from the origin, percent-encoded as sent.
    pub path: String,
    /// Whether sub-delimiters in the path are compared decoded (vectors
    /// tagged `path-reserved`).
    pub path_reserved: bool,
    /// The decoded query pairs.
    pub query: Vec<(String, String)>,
    /// Headers that must be sent with exactly these values (names compared
    /// ignoring case).
    pub headers: Vec<(String, String)>,
    /// The body, when one must be sent.
    pub body: Option<WantedBody>,
    /// The tags whose rule judged this request, for failure lines.
    pub ruled_by: Vec<&'static str>,
}

/// A body our client must send.
#[derive(Clone, Debug, PartialEq)]
pub enum WantedBody {
    /// JSON media types: compared parsed.
    Json(Value),
    /// `application/x-www-form-urlencoded`: compared as decoded pairs.
    Form(Vec<(String, String)>),
    /// Anything else: compared byte for byte.
    Text(String),
}

/// Why an OpenAPI vector failed, with both sides described.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// What differs.
    pub reason: String,
    /// What our client had to build.
    pub expected: String,
    /// What it built.
    pub built: String,
}

/// A rule that turns what swagger-client built into what our client must
/// build, from the vector's own inputs; an error says why it cannot.
pub type Rule = fn(&Case<'_>, &mut Judged) -> Result<(), String>;

/// A `debatable` tag of the OpenAPI vectors and our stance on it.
#[derive(Clone, Copy, Debug)]
pub struct Debatable {
    /// The tag.
    pub tag: &'static str,
    /// What our client does.
    pub stance: &'static str,
    /// How a vector with the tag is judged.
    pub judged: &'static str,
    /// Our rule, where we differ; `None`: the vector is judged as recorded.
    pub rule: Option<Rule>,
}

/// Every `debatable` tag of `openapi-vectors/README.md`, our stance and
/// how a vector with it is judged; rules apply in this order. A tag not
/// listed is judged as recorded.
pub const DEBATABLE: &[Debatable] = &[
    Debatable {
        tag: "path-dot-segment",
        stance: "differ: a path value `.` or `..` is refused (URL normalisation would change the route)",
        judged: "passes when building is refused naming that parameter",
        rule: Some(path_dot_segment),
    },
    Debatable {
        tag: "form-array-no-encoding",
        stance: "differ: form bodies use the OAS defaults (style form, explode true): an array field repeats its name",
        judged: "form pairs computed from the vector's `body`",
        rule: Some(form_array_no_encoding),
    },
    Debatable {
        tag: "form-object",
        stance: "differ only through the body's arrays: an object field is one pair of its JSON text, as swagger-client sends it (OpenAPI 3.1.1: its default content type is application/json)",
        judged: "form pairs computed from the vector's `body`",
        rule: Some(form_object),
    },
    Debatable {
        tag: "form-nested",
        stance: "differ: form bodies use the OAS defaults: values below the first level are compact JSON text, one pair per array item",
        judged: "form pairs computed from the vector's `body`",
        rule: Some(form_nested),
    },
    Debatable {
        tag: "json-scalar-body",
        stance: "differ: a JSON body is valid JSON (`\"Run\"`, not `Run`)",
        judged: "the body is the vector's `body` as JSON",
        rule: Some(json_scalar_body),
    },
    Debatable {
        tag: "deepobject-nested",
        stance: "differ: qs style (`color[a][b]=1`); an array property repeats the name (`color[a]=1&color[a]=2`), an object or array item is indexed (`color[a][0][b]=1`)",
        judged: "as recorded, with that parameter's (or form field's) `name[...]` pairs computed from its value",
        rule: Some(deepobject_nested),
    },
    Debatable {
        tag: "empty-array",
        stance: "differ: an empty array is omitted in every style",
        judged: "as recorded, without the empty `name=` pairs (query, form, cookie) and empty headers of `[]` values",
        rule: Some(empty_array),
    },
    Debatable {
        tag: "label-no-explode",
        stance: "differ: OAS table, label arrays and objects without explode are `.a,b,c` (`.R,100,G,200`)",
        judged: "as recorded, with the `.` between the label value's items turned into `,`",
        rule: Some(label_no_explode),
    },
    Debatable {
        tag: "delimited-object",
        stance: "differ: OAS table, spaceDelimited/pipeDelimited objects join their items with ` `/`|`",
        judged: "as recorded, with that pair's `,` turned into the delimiter the document declares (`stats.specStyles`); fails when it declares both",
        rule: Some(delimited_object),
    },
    Debatable {
        tag: "param-override",
        stance: "differ: the operation-level definition wins (OAS)",
        judged: "as recorded: scalar values serialize alike under either definition; a vector with an array or object value fails as not judgeable",
        rule: Some(param_override),
    },
    Debatable {
        tag: "path-reserved",
        stance: "same: path values use RFC 6570 simple expansion (sub-delimiters encoded)",
        judged: "as recorded, with sub-delimiters decoded on both sides",
        rule: None,
    },
    Debatable {
        tag: "ignored-header-required",
        stance: "same: `Accept`, `Content-Type` and `Authorization` header parameters are ignored: neither required nor sent",
        judged: "as recorded",
        rule: None,
    },
    Debatable {
        tag: "delimited-explode",
        stance: "same: exploded spaceDelimited/pipeDelimited arrays repeat the name (n/a in OAS)",
        judged: "as recorded",
        rule: None,
    },
    Debatable {
        tag: "deepobject-no-explode",
        stance: "same: deepObject with `explode: false` is treated as `explode: true` (undefined in OAS)",
        judged: "as recorded",
        rule: None,
    },
    Debatable {
        tag: "deepobject-not-object",
        stance: "same: a deepObject value that is not an object serializes like exploded form (n/a in OAS)",
        judged: "as recorded",
        rule: None,
    },
    Debatable {
        tag: "nested-in-query",
        stance: "same: nested items are compact JSON text (undefined in OAS)",
        judged: "as recorded (JSON text compared with sorted keys)",
        rule: None,
    },
    Debatable {
        tag: "nested-in-path",
        stance: "same: nested items are compact JSON text (undefined in OAS)",
        judged: "as recorded",
        rule: None,
    },
    Debatable {
        tag: "nested-in-header",
        stance: "same: nested items are compact JSON text (undefined in OAS)",
        judged: "as recorded",
        rule: None,
    },
    Debatable {
        tag: "cookie-param",
        stance: "same: cookie values percent-encoded (RFC 6265), all in one `Cookie` header",
        judged: "as recorded",
        rule: None,
    },
    Debatable {
        tag: "content-param",
        stance: "same: a parameter with `content` is sent as its media type's text (JSON)",
        judged: "as recorded",
        rule: None,
    },
    Debatable {
        tag: "schema-unsatisfied",
        stance: "same: values are sent as given, not validated",
        judged: "as recorded",
        rule: None,
    },
];

/// Judges what was built for an OpenAPI vector; `None` when it passes.
pub fn judge_openapi(case: &Case<'_>, built: &Built) -> Option<Mismatch> {
    let (reason, judged) = match expectation(case) {
        Ok(judged) => (openapi_mismatch(&judged, built)?, judged),
        Err(reason) => (reason, recorded(case)),
    };
    Some(Mismatch {
        reason,
        expected: describe_judged(&judged),
        built: describe_built_openapi(built),
    })
}

/// What our client must build for `case`: the recorded expectation, then
/// the rule of each of its tags in [`DEBATABLE`].
pub fn expectation(case: &Case<'_>) -> Result<Judged, String> {
    let mut judged = recorded(case);
    for debatable in DEBATABLE {
        let Some(rule) = debatable.rule else {
            continue;
        };
        if !case.expect.is_tagged(debatable.tag) {
            continue;
        }
        rule(case, &mut judged)
            .map_err(|e| format!("cannot judge by our rule for `{}`: {e}", debatable.tag))?;
        if let Judged::Request(wanted) = &mut judged {
            wanted.ruled_by.push(debatable.tag);
        }
    }
    Ok(judged)
}

/// What swagger-client built, as our client must build it when no rule applies.
fn recorded(case: &Case<'_>) -> Judged {
    match &case.expect.outcome {
        OpenApiOutcome::Refusal { param, .. } => Judged::Refusal {
            parameter: wire_name(param).to_owned(),
            because: format!("`{param}` is required and not given"),
        },
        OpenApiOutcome::Request(request) => Judged::Request(Wanted {
            origin: server_origin(&case.expect.server).map(str::to_owned),
            method: request.method.clone(),
            path: request.path.clone(),
            path_reserved: case.expect.is_tagged("path-reserved"),
            query: request.query.clone(),
            headers: request.headers.clone(),
            body: request
                .body
                .as_deref()
                .map(|text| recorded_body(case, request, text)),
            ruled_by: Vec::new(),
        }),
    }
}

/// The recorded body, typed by its media type (the vector's `contentType`,
/// else the recorded `Content-Type`).
fn recorded_body(case: &Case<'_>, request: &OpenApiRequest, text: &str) -> WantedBody {
    let media = case
        .content_type
        .or_else(|| header(&request.headers, "content-type"))
        .unwrap_or_default();
    if is_form(media) {
        return WantedBody::Form(request.form.clone().unwrap_or_else(|| decode_form(text)));
    }
    match serde_json::from_str(text) {
        Ok(value) if is_json(media) => WantedBody::Json(value),
        _ => WantedBody::Text(text.to_owned()),
    }
}

/// `name` of a `<in>:<name>` parameter key (the whole key when it has no `:`).
fn wire_name(key: &str) -> &str {
    key.split_once(':').map_or(key, |(_, name)| name)
}

/// The parameters given in location `location` (`path`, `query`, ...): wire name and value.
fn params_in<'c>(
    case: &Case<'c>,
    location: &'c str,
) -> impl Iterator<Item = (&'c str, &'c Value)> + 'c {
    case.params.iter().filter_map(move |(key, value)| {
        let (at, name) = key.split_once(':')?;
        (at == location).then_some((name, value))
    })
}

// --- The rules, one per tag where we differ --------------------------------

/// `path-dot-segment`: swagger-client sends a path value `.` or `..` raw
/// (`.` is unreserved), and every WHATWG URL parser then removes the
/// segment or climbs one up, even when written `%2E%2E`, so the request
/// reaches another route. Our clients refuse such values, as they refuse
/// empty, `.` and `..` segments everywhere: the vector passes when building
/// is refused naming that parameter.
fn path_dot_segment(case: &Case<'_>, judged: &mut Judged) -> Result<(), String> {
    let (name, value) = params_in(case, "path")
        .find_map(|(name, value)| {
            let value = value.as_str()?;
            matches!(value, "." | "..").then_some((name, value))
        })
        .ok_or("no path value is `.` or `..`")?;
    *judged = Judged::Refusal {
        parameter: name.to_owned(),
        because: format!("the path value {value:?} of `{name}` is a dot segment"),
    };
    Ok(())
}

/// `form-array-no-encoding`: swagger-client joins a form-body array with
/// commas (`tags=a,b`) when no Encoding Object says otherwise; OAS defaults
/// form bodies to style `form` with `explode: true`, which repeats the name
/// (`tags=a&tags=b`). We follow OAS: see [`oas_form_pairs`].
fn form_array_no_encoding(case: &Case<'_>, judged: &mut Judged) -> Result<(), String> {
    oas_form_body(case, judged)
}

/// `form-object`: swagger-client sends a form-body object field as JSON
/// text (`obj={"R":100}`) unless its encoding is deepObject, which is what
/// OpenAPI 3.1.1 says too (an object property's default content type is
/// `application/json`). We agree; the rule recomputes the pairs only
/// because such bodies often also hold arrays (see [`oas_form_pairs`]).
fn form_object(case: &Case<'_>, judged: &mut Judged) -> Result<(), String> {
    oas_form_body(case, judged)
}

/// `form-nested`: swagger-client sends a form-body array of objects as one
/// JSON text; with the OAS default (`explode: true`) each item is a pair of
/// its own, and OAS leaves deeper values undefined, which we send as
/// compact JSON text (as for nested query values). See [`oas_form_pairs`].
fn form_nested(case: &Case<'_>, judged: &mut Judged) -> Result<(), String> {
    oas_form_body(case, judged)
}

/// The form body of `judged` becomes [`oas_form_pairs`] of the vector's body.
fn oas_form_body(case: &Case<'_>, judged: &mut Judged) -> Result<(), String> {
    if let Judged::Request(wanted) = judged {
        wanted.body = Some(WantedBody::Form(oas_form_pairs(case.body)?));
    }
    Ok(())
}

/// The pairs of a form body with OAS's defaults for every field: a scalar is
/// one pair; an array repeats the field's name, once per item (style
/// `form`, `explode: true`), items that are arrays or objects as compact
/// JSON text; an object is one pair of its JSON text (its default content
/// type is `application/json`); `null` and empty arrays give no pair.
pub fn oas_form_pairs(body: &Value) -> Result<Vec<(String, String)>, String> {
    let Value::Object(fields) = body else {
        return Err(format!("the form body {body} is not an object"));
    };
    let mut pairs = Vec::new();
    for (name, value) in fields {
        match value {
            Value::Null => {}
            Value::Array(items) => pairs.extend(
                items
                    .iter()
                    .filter(|item| !item.is_null())
                    .map(|item| (name.clone(), value_text(item))),
            ),
            // OpenAPI 3.1.1: without an Encoding Object, an object
            // field's content type is `application/json`.
            object @ Value::Object(_) => pairs.push((name.clone(), object.to_string())),
            scalar => pairs.push((name.clone(), value_text(scalar))),
        }
    }
    Ok(pairs)
}

/// `json-scalar-body`: swagger-client sends a JSON body that is a string
/// as the raw string (`Run`), which is not JSON at all; the media type says
/// JSON, so we send JSON (`"Run"`). The vector passes when the body parses
/// as the JSON value of the vector's `body`.
fn json_scalar_body(case: &Case<'_>, judged: &mut Judged) -> Result<(), String> {
    if !case.content_type.is_some_and(is_json) {
        return Err(format!(
            "the body's media type {:?} is not JSON",
            case.content_type
        ));
    }
    if let Judged::Request(wanted) = judged {
        wanted.body = Some(WantedBody::Json(case.body.clone()));
    }
    Ok(())
}

/// `deepobject-nested`: swagger-client sends a deepObject property that is
/// an object or array as one JSON text (`color[a]={"b":1}`). OAS leaves
/// nesting undefined; the servers that parse deepObject at all (qs, Rails,
/// PHP) expect brackets all the way down, so we send qs style, see
/// [`deep_object_pairs`]. The parameter's (or form field's) recorded
/// `name[...]` pairs are replaced by those computed from its value.
fn deepobject_nested(case: &Case<'_>, judged: &mut Judged) -> Result<(), String> {
    let Judged::Request(wanted) = judged else {
        return Ok(());
    };
    let mut changed = false;
    for (name, value) in params_in(case, "query") {
        changed |= replace_deep_object(name, value, &mut wanted.query);
    }
    if let (Some(WantedBody::Form(pairs)), Value::Object(fields)) = (&mut wanted.body, case.body) {
        for (name, value) in fields {
            changed |= replace_deep_object(name, value, pairs);
        }
    }
    if changed {
        Ok(())
    } else {
        Err("no object value has `name[...]` pairs in the recorded request".to_owned())
    }
}

/// Replaces the `name[...]` pairs in `pairs` by the [`deep_object_pairs`]
/// of `value`, when it is an object and there are any; whether it did.
fn replace_deep_object(name: &str, value: &Value, pairs: &mut Vec<(String, String)>) -> bool {
    let prefix = format!("{name}[");
    if !value.is_object() || !pairs.iter().any(|(n, _)| n.starts_with(&prefix)) {
        return false;
    }
    pairs.retain(|(n, _)| !n.starts_with(&prefix));
    deep_object_pairs(name, value, pairs);
    true
}

/// qs-style deepObject pairs of `value` under `prefix`: an object's
/// properties go one bracket deeper (`color[a][b]=1`); an array repeats
/// the name for each scalar item (`color[a]=1&color[a]=2`, as OAS reads
/// exploded arrays) and indexes items that are objects or arrays
/// (`color[a][0][b]=1`); `null` gives nothing.
pub fn deep_object_pairs(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(properties) => {
            for (property, value) in properties {
                deep_object_pairs(&format!("{prefix}[{property}]"), value, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                if item.is_object() || item.is_array() {
                    deep_object_pairs(&format!("{prefix}[{index}]"), item, out);
                } else if !item.is_null() {
                    out.push((prefix.to_owned(), value_text(item)));
                }
            }
        }
        scalar => out.push((prefix.to_owned(), value_text(scalar))),
    }
}

/// `empty-array`: swagger-client omits `[]` for exploded form, headers and
/// cookies, but sends `name=` for the non-exploded styles, which tells the
/// server "one empty item" rather than "none". RFC 6570, which OAS builds
/// on, treats an empty list as undefined, so we omit `[]` in every style:
/// the recorded `name=` pairs (query, cookie, form fields) and empty
/// header values of `[]` parameters are dropped.
fn empty_array(case: &Case<'_>, judged: &mut Judged) -> Result<(), String> {
    let Judged::Request(wanted) = judged else {
        return Ok(());
    };
    let is_empty_array = |value: &Value| value.as_array().is_some_and(Vec::is_empty);
    for (key, value) in case.params {
        if !is_empty_array(value) {
            continue;
        }
        match key.split_once(':') {
            Some(("query", name)) => wanted.query.retain(|(n, v)| !(n == name && v.is_empty())),
            Some(("header", name)) => wanted
                .headers
                .retain(|(n, v)| !(n.eq_ignore_ascii_case(name) && v.is_empty())),
            Some(("cookie", name)) => {
                let empty = format!("{name}=");
                for (header, value) in &mut wanted.headers {
                    if header.eq_ignore_ascii_case("cookie") {
                        let kept: Vec<&str> = value
                            .split(';')
                            .map(str::trim)
                            .filter(|piece| *piece != empty)
                            .collect();
                        *value = kept.join("; ");
                    }
                }
                wanted
                    .headers
                    .retain(|(n, v)| !(n.eq_ignore_ascii_case("cookie") && v.is_empty()));
            }
            _ => {}
        }
    }
    if let (Some(WantedBody::Form(pairs)), Value::Object(fields)) = (&mut wanted.body, case.body) {
        for (name, value) in fields {
            if is_empty_array(value) {
                pairs.retain(|(n, v)| !(n == name && v.is_empty()));
            }
        }
    }
    Ok(())
}

/// `label-no-explode`: swagger-client separates the items of a label array
/// or object without explode with `.` (`.blue.black`), as if exploded; the
/// OAS table (and RFC 6570 `{.x}`) separates them with `,`
/// (`.blue,black`), as we do. The label value is found in the recorded
/// path and its separators changed.
fn label_no_explode(case: &Case<'_>, judged: &mut Judged) -> Result<(), String> {
    let Judged::Request(wanted) = judged else {
        return Ok(());
    };
    let mut path = normalise_path(&wanted.path, false);
    let mut changed = false;
    for (_, value) in params_in(case, "path") {
        for items in item_orders(value) {
            let encoded: Vec<String> = items.iter().map(|item| encode_unreserved(item)).collect();
            let theirs = format!(".{}", encoded.join("."));
            if let Some(at) = path.find(&theirs) {
                path.replace_range(at..at + theirs.len(), &format!(".{}", encoded.join(",")));
                changed = true;
                break;
            }
        }
    }
    if !changed {
        return Err(
            "no array or object path value is label-expanded in the recorded path".to_owned(),
        );
    }
    wanted.path = path;
    Ok(())
}

/// `delimited-object`: swagger-client joins the items of a spaceDelimited
/// or pipeDelimited object with commas (`color=R,100,G,200`); the OAS table
/// joins them with the style's delimiter (`color=R%20100%20G%20200`,
/// `color=R%7C100%7CG%7C200`), as we do. The vector does not say which of
/// the two styles the parameter has, so the document's declared styles
/// (`stats.specStyles`) must: when it declares both, the vector cannot be
/// judged.
fn delimited_object(case: &Case<'_>, judged: &mut Judged) -> Result<(), String> {
    let Judged::Request(wanted) = judged else {
        return Ok(());
    };
    let space = case
        .spec_styles
        .iter()
        .any(|s| s.starts_with("query:spaceDelimited:"));
    let pipe = case
        .spec_styles
        .iter()
        .any(|s| s.starts_with("query:pipeDelimited:"));
    let delimiter = match (space, pipe) {
        (true, false) => " ",
        (false, true) => "|",
        (true, true) => {
            return Err("the document declares both spaceDelimited and pipeDelimited query parameters, and the vector does not say which this is".to_owned());
        }
        (false, false) => {
            return Err("the document declares no spaceDelimited or pipeDelimited query parameter (`stats.specStyles`)".to_owned());
        }
    };
    let mut changed = false;
    for (name, value) in params_in(case, "query") {
        if !value.is_object() {
            continue;
        }
        for items in item_orders(value) {
            let theirs = items.join(",");
            if let Some(pair) = wanted
                .query
                .iter_mut()
                .find(|(n, v)| n == name && *v == theirs)
            {
                pair.1 = items.join(delimiter);
                changed = true;
                break;
            }
        }
    }
    if changed {
        Ok(())
    } else {
        Err("no object query value is comma-joined in the recorded query".to_owned())
    }
}

/// `param-override`: when an operation redefines a path-level parameter,
/// swagger-client serializes it with the path-level definition; OAS says
/// the operation-level one wins, and so does our generator. Both
/// definitions serialize a scalar alike (`key=true` whether `key` is a
/// boolean or a string, style form either way), and the corpus vectors
/// (`param-overrides.json`: `key` boolean over string, values `true` and
/// `false`) give only scalars, so the recorded request is what we build.
/// An array or object value could serialize differently, and the vector
/// does not say which parameter is overridden: such a vector fails as not
/// judgeable rather than pass unchecked.
fn param_override(case: &Case<'_>, _judged: &mut Judged) -> Result<(), String> {
    match case
        .params
        .iter()
        .find(|(_, value)| value.is_array() || value.is_object())
    {
        Some((key, _)) => Err(format!(
            "`{key}` is not a scalar, so its serialization may depend on which definition wins"
        )),
        None => Ok(()),
    }
}

/// The items of an array, or the `key, value, ...` items of an object in
/// each order its keys could have been sent in (objects of up to
/// [`MAX_ORDERED_KEYS`] keys), as text; nothing for scalars and empty values.
fn item_orders(value: &Value) -> Vec<Vec<String>> {
    match value {
        Value::Array(items) if !items.is_empty() => vec![items.iter().map(value_text).collect()],
        Value::Object(properties)
            if !properties.is_empty() && properties.len() <= MAX_ORDERED_KEYS =>
        {
            let entries: Vec<(&String, &Value)> = properties.iter().collect();
            permutations(entries.len())
                .into_iter()
                .map(|order| {
                    order
                        .into_iter()
                        .flat_map(|i| [entries[i].0.clone(), value_text(entries[i].1)])
                        .collect()
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Objects with more keys are not searched for in every order (7! orders).
const MAX_ORDERED_KEYS: usize = 6;

/// Every order of `0..n`.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut all = Vec::new();
    for shorter in permutations(n - 1) {
        for at in 0..=shorter.len() {
            let mut order = shorter.clone();
            order.insert(at, n - 1);
            all.push(order);
        }
    }
    all
}

// --- Comparing --------------------------------------------------------------

/// Why `built` is not what `judged` wants, or `None` when it is.
pub fn openapi_mismatch(judged: &Judged, built: &Built) -> Option<String> {
    match (judged, built) {
        (
            Judged::Refusal { parameter, .. },
            Built::Error {
                binding_parameter,
                parameter: named,
                ..
            },
        ) => {
            let names = [named.as_deref(), binding_parameter.as_deref()];
            if names.contains(&Some(parameter.as_str())) {
                return None;
            }
            Some(match names.into_iter().flatten().next() {
                Some(other) => format!("refused for `{other}` instead of `{parameter}`"),
                None => format!("refused, but not naming `{parameter}`"),
            })
        }
        (Judged::Refusal { because, .. }, Built::Ok { .. }) => {
            Some(format!("built, although {because}"))
        }
        (Judged::Request(_), Built::Error { .. }) => Some("building was refused".to_owned()),
        (
            Judged::Request(wanted),
            Built::Ok {
                method,
                url,
                headers,
                body,
                body_base64,
            },
        ) => {
            let mut problems = Vec::new();
            let (origin, path, query) = split_origin(url);
            if let Some(expected) = wanted
                .origin
                .as_ref()
                .filter(|expected| !origin.eq_ignore_ascii_case(expected))
            {
                problems.push(format!(
                    "origin differs: {origin:?} instead of {expected:?}"
                ));
            }
            if *method != wanted.method {
                problems.push("HTTP method differs".to_owned());
            }
            if normalise_path(path, wanted.path_reserved)
                != normalise_path(&wanted.path, wanted.path_reserved)
            {
                problems.push("path differs".to_owned());
            }
            if let Some(difference) = ordered_pairs_difference(&wanted.query, &decode_query(query))
            {
                problems.push(format!("query differs: {difference}"));
            }
            problems.extend(header_problems(&wanted.headers, headers));
            match body_bytes(body.as_deref(), *body_base64) {
                Ok(bytes) => problems.extend(body_problem(wanted.body.as_ref(), bytes.as_deref())),
                Err(problem) => problems.push(problem),
            }
            (!problems.is_empty()).then(|| problems.join("; "))
        }
    }
}

/// The origin (`scheme://authority`, empty for a relative URL), the path
/// (`/` when empty) and the raw query of `url`; a fragment is dropped.
pub fn split_origin(url: &str) -> (&str, &str, &str) {
    let url = url.split_once('#').map_or(url, |(before, _)| before);
    let end = match url.find("://") {
        Some(at) => url[at + 3..]
            .find(['/', '?'])
            .map_or(url.len(), |i| at + 3 + i),
        None => 0,
    };
    let (origin, rest) = url.split_at(end);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    (origin, if path.is_empty() { "/" } else { path }, query)
}

/// The origin of an absolute server URL; `None` for relative ones and `""`.
fn server_origin(server: &str) -> Option<&str> {
    server.contains("://").then(|| split_origin(server).0)
}

/// Characters RFC 3986 allows raw in a path segment that RFC 6570 (and so
/// OAS) encodes; `path-reserved` vectors compare them decoded.
const PATH_SUB_DELIMS: &[u8] = b"!$&'()*+,;=:@";

/// `path` with the hex digits of its escapes in upper case and, when
/// `decode_sub_delims`, `! $ & ' ( ) * + , ; = : @` decoded. `%2F %3F %23 %25` are
/// never decoded.
pub fn normalise_path(path: &str, decode_sub_delims: bool) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes[i] {
            b'%' => bytes.get(i + 1..i + 3).and_then(strict_hex_byte),
            _ => None,
        };
        if let Some(byte) = escaped {
            if decode_sub_delims && PATH_SUB_DELIMS.contains(&byte) {
                out.push(byte);
            } else {
                out.extend_from_slice(format!("%{byte:02X}").as_bytes());
            }
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Two hex digits, and nothing else, as a byte.
fn strict_hex_byte(digits: &[u8]) -> Option<u8> {
    let [high, low] = digits else {
        return None;
    };
    let value = |digit: u8| char::from(digit).to_digit(16);
    u8::try_from(value(*high)? * 16 + value(*low)?).ok()
}

/// `text` with every byte outside `A-Z a-z 0-9 - . _ ~` percent-encoded
/// (upper-case hex), as RFC 6570 simple expansion encodes a value.
fn encode_unreserved(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A value as a parameter sends it: a string as it is, anything else as
/// compact JSON (numbers and booleans as JSON writes them).
fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The pairs of an `application/x-www-form-urlencoded` text, decoded (`+`
/// is a space).
pub fn decode_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |part: &str| percent_decode(&part.replace('+', " "));
            (decode(name), decode(value))
        })
        .collect()
}

/// How `built` differs from `expected` as a multiset of pairs in which
/// repeated names keep their relative order; `None` when it does not.
/// Values that are JSON objects or arrays are compared with sorted keys.
fn ordered_pairs_difference(
    expected: &[(String, String)],
    built: &[(String, String)],
) -> Option<String> {
    let canonical = |pairs: &[(String, String)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| (name.clone(), canonical_text(value)))
            .collect()
    };
    let (expected, built) = (canonical(expected), canonical(built));
    if let Some(difference) = multiset_difference(expected.iter(), built.iter()) {
        return Some(difference);
    }
    let mut seen = BTreeSet::new();
    for (name, _) in &expected {
        if !seen.insert(name) {
            continue;
        }
        let values = |pairs: &[(String, String)]| -> Vec<String> {
            pairs
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, value)| value.clone())
                .collect()
        };
        let (wanted, sent) = (values(&expected), values(&built));
        if wanted != sent {
            return Some(format!(
                "the values of `{name}` come in another order: expected {wanted:?}, built {sent:?}"
            ));
        }
    }
    None
}

/// `value`, or its canonical JSON when it is a JSON object or array.
fn canonical_text(value: &str) -> String {
    if !value.starts_with(['{', '[']) {
        return value.to_owned();
    }
    match serde_json::from_str::<Value>(value) {
        Ok(json) => canonical_json(&json),
        Err(_) => value.to_owned(),
    }
}

/// Compact JSON with object keys sorted and integral numbers without a fraction.
fn canonical_json(value: &Value) -> String {
    match value {
        Value::Object(properties) => {
            let mut entries: Vec<(&String, &Value)> = properties.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let items: Vec<String> = entries
                .into_iter()
                .map(|(key, value)| {
                    format!("{}:{}", Value::from(key.as_str()), canonical_json(value))
                })
                .collect();
            format!("{{{}}}", items.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical_json).collect();
            format!("[{}]", items.join(","))
        }
        Value::Number(number) => match number.as_f64() {
            Some(float) if number.is_f64() && float.fract() == 0.0 && float.abs() < 9.0e15 => {
                format!("{float:.0}")
            }
            _ => number.to_string(),
        },
        other => other.to_string(),
    }
}

/// Whether two JSON values are equal, numbers compared by value.
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            x.as_f64() == y.as_f64()
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, x)| y.get(key).is_some_and(|y| json_equal(x, y)))
        }
        _ => a == b,
    }
}

/// The value of header `name` in `headers` (names compared ignoring case).
fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// Each expected header must be sent once with exactly its value; a
/// `content-type` or `cookie` header must not be sent unless expected.
fn header_problems(expected: &[(String, String)], sent: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, value) in expected {
        let values: Vec<&str> = sent
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect();
        match values[..] {
            [one] if one == value.as_str() => {}
            [] => problems.push(format!("header `{name}` is missing")),
            _ => problems.push(format!(
                "header `{name}` is {values:?} instead of [{value:?}]"
            )),
        }
    }
    for name in ["content-type", "cookie"] {
        if header(expected, name).is_none() && header(sent, name).is_some() {
            problems.push(format!("header `{name}` is sent although none is expected"));
        }
    }
    problems
}

/// The body's bytes, decoding the runner's base64.
fn body_bytes(body: Option<&str>, base64: bool) -> Result<Option<Vec<u8>>, String> {
    match body {
        None => Ok(None),
        Some(text) if base64 => decode_base64(text)
            .map(Some)
            .ok_or_else(|| "the runner's body is not base64".to_owned()),
        Some(text) => Ok(Some(text.as_bytes().to_vec())),
    }
}

/// Why the sent body is not the wanted one, or `None`. No body and an
/// empty body are the same.
fn body_problem(expected: Option<&WantedBody>, sent: Option<&[u8]>) -> Option<String> {
    let sent = sent.filter(|bytes| !bytes.is_empty());
    let problem = match (expected, sent) {
        (None, None) => return None,
        (None, Some(_)) => "a body is sent although none is expected",
        (Some(WantedBody::Text(text)), None) if text.is_empty() => return None,
        (Some(_), None) => "no body is sent",
        (Some(WantedBody::Json(wanted)), Some(bytes)) => {
            match serde_json::from_slice::<Value>(bytes) {
                Ok(got) if json_equal(wanted, &got) => return None,
                Ok(_) => "JSON body differs",
                Err(_) => "the body is not JSON",
            }
        }
        (Some(WantedBody::Form(wanted)), Some(bytes)) => {
            let got = decode_form(&String::from_utf8_lossy(bytes));
            return ordered_pairs_difference(wanted, &got)
                .map(|difference| format!("form body differs: {difference}"));
        }
        (Some(WantedBody::Text(text)), Some(bytes)) if bytes == text.as_bytes() => return None,
        (Some(WantedBody::Text(_)), Some(_)) => "body differs",
    };
    Some(problem.to_owned())
}

/// Decodes standard base64 (padding optional); `None` when it is not base64.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        Some(u32::from(v))
    };
    let text = text.trim_end_matches('=').as_bytes();
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.chunks(4) {
        let mut bits = 0;
        for (i, &c) in chunk.iter().enumerate() {
            bits |= value(c)? << (18 - 6 * i);
        }
        out.extend_from_slice(&bits.to_be_bytes()[1..chunk.len()]);
    }
    Some(out)
}

/// Whether a media type is JSON: `application/json` or `*/*+json`, with
/// any parameters.
pub fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether a media type is `application/x-www-form-urlencoded`.
pub fn is_form(media_type: &str) -> bool {
    essence(media_type) == "application/x-www-form-urlencoded"
}

/// A media type without parameters, lower case.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// What our client had to build, as a failure line shows it.
pub fn describe_judged(judged: &Judged) -> String {
    match judged {
        Judged::Refusal { parameter, because } => {
            format!("a refusal naming `{parameter}` ({because})")
        }
        Judged::Request(wanted) => {
            let mut text = format!(
                "{} {}{} {}",
                wanted.method,
                wanted.origin.as_deref().unwrap_or_default(),
                wanted.path,
                describe_pairs(&wanted.query)
            );
            if !wanted.headers.is_empty() {
                text.push_str(&format!(" headers {}", describe_pairs(&wanted.headers)));
            }
            match &wanted.body {
                None => {}
                Some(WantedBody::Json(value)) => text.push_str(&format!(" JSON body {value}")),
                Some(WantedBody::Form(pairs)) => {
                    text.push_str(&format!(" form body {}", describe_pairs(pairs)));
                }
                Some(WantedBody::Text(body)) => text.push_str(&format!(" body {body:?}")),
            }
            if !wanted.ruled_by.is_empty() {
                text.push_str(&format!(
                    " (by our rule for {})",
                    wanted.ruled_by.join(", ")
                ));
            }
            text
        }
    }
}

/// What was built for an OpenAPI vector, as a failure line shows it:
/// headers other than `user-agent`, and the body.
pub fn describe_built_openapi(built: &Built) -> String {
    match built {
        Built::Ok {
            method,
            url,
            headers,
            body,
            body_base64,
        } => {
            let mut text = format!("{method} {url}");
            let shown: Vec<(String, String)> = headers
                .iter()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("user-agent"))
                .cloned()
                .collect();
            if !shown.is_empty() {
                text.push_str(&format!(" headers {}", describe_pairs(&shown)));
            }
            match body {
                Some(body) if *body_base64 => text.push_str(&format!(" body (base64) {body}")),
                Some(body) => text.push_str(&format!(" body {body:?}")),
                None => {}
            }
            text
        }
        Built::Error {
            binding_parameter,
            parameter,
            message,
        } => match parameter.as_deref().or(binding_parameter.as_deref()) {
            Some(name) => format!("a refusal for `{name}`: {message}"),
            None => format!("a refusal: {message}"),
        },
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "https://storage.googleapis.com/";

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn request(method: &str, path: &str, query: &[(&str, &str)]) -> Expectation {
        Expectation::Request {
            http_method: method.to_owned(),
            path: path.to_owned(),
            query: pairs(query),
        }
    }

    fn ok(method: &str, url: &str) -> Built {
        Built::Ok {
            method: method.to_owned(),
            url: url.to_owned(),
            headers: vec![("user-agent".to_owned(), "x/1".to_owned())],
            body: None,
            body_base64: false,
        }
    }

    fn refused(param: Option<&str>) -> Built {
        Built::Error {
            binding_parameter: param.map(str::to_owned),
            parameter: None,
            message: "no".to_owned(),
        }
    }

    fn refusal(param: &str) -> Expectation {
        Expectation::Refusal {
            error: RefusalKind::Pattern,
            param: param.to_owned(),
        }
    }

    #[test]
    fn urls_split_after_the_root_url() {
        let url = "https://storage.googleapis.com/storage/v1/b/a%2Fb/o?x=1&y=%3F";
        assert_eq!(
            split_url(ROOT, url),
            Some(("/storage/v1/b/a%2Fb/o", "x=1&y=%3F"))
        );
        assert_eq!(
            split_url("https://h.example/", "https://h.example/v1"),
            Some(("/v1", ""))
        );
        // A root URL without its final slash works the same.
        assert_eq!(
            split_url("https://h.example", "https://h.example/v1?a"),
            Some(("/v1", "a"))
        );
        assert_eq!(split_url(ROOT, "https://other.example/storage/v1"), None);
        assert_eq!(
            split_url("https://h.example/", "https://h.examplex/v1"),
            None
        );
    }

    #[test]
    fn query_values_are_percent_decoded_and_plus_is_kept() {
        assert_eq!(
            decode_query("a=caf%C3%A9&b=1+1&c=%2B&d=%25zz&e&f=%E2%82%AC%20x&=v&&"),
            pairs(&[
                ("a", "café"),
                ("b", "1+1"),
                ("c", "+"),
                ("d", "%zz"),
                ("e", ""),
                ("f", "€ x"),
                ("", "v"),
            ])
        );
        // Escapes are decoded once, and a trailing `%` is kept.
        assert_eq!(percent_decode("a%252Fb%"), "a%2Fb%");
        assert_eq!(percent_decode("%4"), "%4");
    }

    #[test]
    fn a_matching_request_passes_whatever_the_query_order() {
        let expect = request(
            "GET",
            "/storage/v1/b/x/o",
            &[("p", "1"), ("p", "2"), ("q", "a&b")],
        );
        let url = "https://storage.googleapis.com/storage/v1/b/x/o?q=a%26b&alt=json&p=2&key=k&p=1";
        assert_eq!(mismatch(ROOT, &expect, &ok("GET", url)), None);
    }

    #[test]
    fn the_query_is_a_multiset() {
        let expect = request("GET", "/v", &[("p", "1"), ("p", "1")]);
        let once = mismatch(
            ROOT,
            &expect,
            &ok("GET", "https://storage.googleapis.com/v?p=1"),
        );
        assert_eq!(once.as_deref(), Some(r#"query differs: missing [p="1"]"#));
        let thrice = mismatch(
            ROOT,
            &expect,
            &ok(
                "GET",
                "https://storage.googleapis.com/v?p=1&p=1&p=1&alt=media",
            ),
        );
        assert_eq!(
            thrice.as_deref(),
            Some(r#"query differs: unexpected [alt="media", p="1"]"#)
        );
    }

    #[test]
    fn method_and_path_are_compared_exactly() {
        let expect = request("POST", "/storage/v1/b/a%2Fb", &[]);
        let url = "https://storage.googleapis.com/storage/v1/b/a/b";
        assert_eq!(
            mismatch(ROOT, &expect, &ok("GET", url)).as_deref(),
            Some("HTTP method differs; path differs")
        );
        // Decoding would hide a wrongly encoded path: it is compared as sent.
        let url = "https://storage.googleapis.com/storage/v1/b/a%2fb";
        assert_eq!(
            mismatch(ROOT, &expect, &ok("POST", url)).as_deref(),
            Some("path differs")
        );
        let elsewhere = mismatch(ROOT, &expect, &ok("POST", "https://example.com/storage/v1"));
        assert!(elsewhere.unwrap().contains("not under rootUrl"));
    }

    #[test]
    fn refusals_must_name_the_expected_parameter() {
        let expect = refusal("name");
        assert_eq!(mismatch(ROOT, &expect, &refused(Some("name"))), None);
        assert_eq!(
            mismatch(ROOT, &expect, &refused(Some("parent"))).as_deref(),
            Some("refused for `parent` instead of `name`")
        );
        assert!(
            mismatch(ROOT, &expect, &refused(None))
                .unwrap()
                .contains("not because `name`")
        );
        assert!(
            mismatch(
                ROOT,
                &expect,
                &ok("GET", "https://storage.googleapis.com/v")
            )
            .unwrap()
            .starts_with("built, although")
        );
        let wanted = request("GET", "/v", &[]);
        assert_eq!(
            mismatch(ROOT, &wanted, &refused(Some("name"))).as_deref(),
            Some("building was refused")
        );
    }

    #[test]
    fn descriptions_show_both_sides() {
        assert_eq!(
            describe_expectation(&request("GET", "/v", &[("a", "x,y")])),
            r#"GET /v [a="x,y"]"#
        );
        assert_eq!(
            describe_expectation(&refusal("name")),
            "a refusal because `name` does not fit its pattern"
        );
        assert_eq!(
            describe_built(&ok("GET", "https://h/v?a=1")),
            "GET https://h/v?a=1"
        );
        assert_eq!(
            describe_built(&refused(Some("name"))),
            "a refusal for `name`: no"
        );
    }
}

/// OpenAPI judging, on vector lines copied from `openapi-vectors/*.json`
/// (and, for tags the corpus does not use yet, lines written like them).
#[cfg(test)]
mod openapi_tests {
    use super::*;
    use crate::conformance::vectors::{self, Expect, Vector};

    /// The vector of one line, in a file declaring `styles`.
    fn vector(line: &str, styles: &[&str]) -> (Vector, BTreeSet<String>) {
        let styles: Vec<String> = styles.iter().map(|s| format!("\"{s}\": 1")).collect();
        let text = format!(
            r#"{{"openapi": "3.0.0", "stats": {{"specStyles": {{{}}}}}, "vectors": [{line}]}}"#,
            styles.join(", ")
        );
        let mut file = vectors::parse("test.json", &text).unwrap();
        (file.vectors.remove(0), file.spec_styles)
    }

    fn with_case<R>(line: &str, styles: &[&str], f: impl FnOnce(&Case<'_>) -> R) -> R {
        let (vector, spec_styles) = vector(line, styles);
        let Expect::OpenApi(expect) = &vector.expect else {
            panic!("an OpenAPI vector");
        };
        f(&Case {
            params: &vector.params,
            body: &vector.body,
            content_type: vector.content_type.as_deref(),
            expect,
            spec_styles: &spec_styles,
        })
    }

    /// The failure reason of `built` for the vector `line`, `None` when it passes.
    fn judge(line: &str, built: &Built) -> Option<String> {
        judge_in(line, &[], built)
    }

    fn judge_in(line: &str, styles: &[&str], built: &Built) -> Option<String> {
        with_case(line, styles, |case| {
            judge_openapi(case, built).map(|mismatch| mismatch.reason)
        })
    }

    fn wanted(line: &str, styles: &[&str]) -> Result<Judged, String> {
        with_case(line, styles, expectation)
    }

    fn ok(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Built {
        let mut all = vec![("user-agent".to_owned(), "google-x/0.1.0".to_owned())];
        all.extend(
            headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
        );
        Built::Ok {
            method: method.to_owned(),
            url: url.to_owned(),
            headers: all,
            body: body.map(str::to_owned),
            body_base64: false,
        }
    }

    fn get(url: &str) -> Built {
        ok("GET", url, &[], None)
    }

    fn refused(parameter: Option<&str>, binding_parameter: Option<&str>) -> Built {
        Built::Error {
            binding_parameter: binding_parameter.map(str::to_owned),
            parameter: parameter.map(str::to_owned),
            message: "no".to_owned(),
        }
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    const PETSTORE_GET_USER: &str = r#"{"operationId":"getUserByName","params":{"path:username":"x"},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"method":"GET","path":"/api/v3/user/x","query":[],"headers":{}}}"#;
    const PETSTORE_REFUSAL: &str = r#"{"operationId":"getUserByName","params":{},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"error":"Required parameter username is not provided","param":"path:username"}}"#;

    #[test]
    fn a_plain_request_passes_and_the_origin_counts_when_the_server_is_absolute() {
        assert_eq!(
            judge(
                PETSTORE_GET_USER,
                &get("https://petstore3.swagger.io/api/v3/user/x")
            ),
            None
        );
        // Scheme and host compare ignoring case.
        assert_eq!(
            judge(
                PETSTORE_GET_USER,
                &get("HTTPS://Petstore3.Swagger.io/api/v3/user/x")
            ),
            None
        );
        assert_eq!(
            judge(PETSTORE_GET_USER, &get("http://localhost/api/v3/user/x")).as_deref(),
            Some(r#"origin differs: "http://localhost" instead of "https://petstore3.swagger.io""#)
        );
        // The base path is part of the path.
        assert_eq!(
            judge(
                PETSTORE_GET_USER,
                &get("https://petstore3.swagger.io/user/x")
            )
            .as_deref(),
            Some("path differs")
        );
        assert_eq!(
            judge(
                PETSTORE_GET_USER,
                &ok(
                    "DELETE",
                    "https://petstore3.swagger.io/api/v3/user/x",
                    &[],
                    None
                )
            )
            .as_deref(),
            Some("HTTP method differs")
        );
        assert_eq!(
            judge(PETSTORE_GET_USER, &refused(Some("username"), None)).as_deref(),
            Some("building was refused")
        );
    }

    #[test]
    fn relative_servers_take_any_origin() {
        // link-example.yaml has no servers.
        let line = r#"{"operationId":"getRepository","params":{"path:username":"id-1","path:slug":"café"},"body":null,"contentType":null,"server":"","expect":{"method":"GET","path":"/2.0/repositories/id-1/caf%C3%A9","query":[],"headers":{}}}"#;
        assert_eq!(
            judge(
                line,
                &get("http://localhost/2.0/repositories/id-1/caf%c3%a9")
            ),
            None
        );
        assert_eq!(
            judge(line, &get("http://localhost/2.0/repositories/id-1/café")).as_deref(),
            Some("path differs")
        );
    }

    #[test]
    fn refusals_must_name_the_missing_parameter() {
        assert_eq!(
            judge(PETSTORE_REFUSAL, &refused(Some("username"), None)),
            None
        );
        // A refusal by the path encoder names it as its binding parameter.
        assert_eq!(
            judge(PETSTORE_REFUSAL, &refused(None, Some("username"))),
            None
        );
        assert_eq!(
            judge(PETSTORE_REFUSAL, &refused(Some("petId"), None)).as_deref(),
            Some("refused for `petId` instead of `username`")
        );
        assert_eq!(
            judge(PETSTORE_REFUSAL, &refused(None, None)).as_deref(),
            Some("refused, but not naming `username`")
        );
        assert_eq!(
            judge(
                PETSTORE_REFUSAL,
                &get("https://petstore3.swagger.io/api/v3/user/")
            )
            .as_deref(),
            Some("built, although `path:username` is required and not given")
        );
        // dataportability.v1beta and uspto refusals, as copied.
        let retry = r#"{"operationId":"dataportability.archiveJobs.retry","params":{},"body":{},"contentType":"application/json","server":"https://dataportability.googleapis.com","expect":{"error":"Required parameter name is not provided","param":"path:name"}}"#;
        assert_eq!(judge(retry, &refused(Some("name"), None)), None);
        let search = r#"{"operationId":"perform-search","params":{"path:dataset":"plain"},"body":{"criteria":"id-1","rows":42},"contentType":"application/x-www-form-urlencoded","server":"https://developer.uspto.gov/ds-api","expect":{"error":"Required parameter version is not provided","param":"path:version"}}"#;
        assert_eq!(judge(search, &refused(Some("version"), None)), None);
        let failure = with_case(PETSTORE_REFUSAL, &[], |case| {
            judge_openapi(case, &refused(None, None)).unwrap()
        });
        assert_eq!(
            failure.expected,
            "a refusal naming `username` (`path:username` is required and not given)"
        );
        assert_eq!(failure.built, "a refusal: no");
    }

    #[test]
    fn path_reserved_vectors_compare_sub_delimiters_decoded() {
        let line = r#"{"operationId":"list-searchable-fields","params":{"path:dataset":"a:b@c","path:version":"x"},"body":null,"contentType":null,"server":"https://developer.uspto.gov/ds-api","expect":{"method":"GET","path":"/ds-api/a%3Ab%40c/x/fields","query":[],"headers":{}},"debatable":["path-reserved"]}"#;
        let base = "https://developer.uspto.gov/ds-api";
        for path in ["a%3Ab%40c", "a:b@c", "a%3ab@c"] {
            assert_eq!(
                judge(line, &get(&format!("{base}/{path}/x/fields"))),
                None,
                "{path}"
            );
        }
        let line = r#"{"operationId":"getUserByName","params":{"path:username":"!$'()*"},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"method":"GET","path":"/api/v3/user/%21%24%27%28%29%2A","query":[],"headers":{}},"debatable":["path-reserved"]}"#;
        assert_eq!(
            judge(
                line,
                &get("https://petstore3.swagger.io/api/v3/user/!$'()*")
            ),
            None
        );
        // `/ ? # %` are never decoded.
        let line = r#"{"operationId":"list-searchable-fields","params":{"path:dataset":"a b/c?d#e%f&g=h+i é","path:version":"%2F"},"body":null,"contentType":null,"server":"https://developer.uspto.gov/ds-api","expect":{"method":"GET","path":"/ds-api/a%20b%2Fc%3Fd%23e%25f%26g%3Dh%2Bi%20%C3%A9/%252F/fields","query":[],"headers":{}},"debatable":["path-reserved"]}"#;
        assert_eq!(
            judge(
                line,
                &get(&format!(
                    "{base}/a%20b%2Fc%3Fd%23e%25f&g=h+i%20%C3%A9/%252F/fields"
                ))
            ),
            None
        );
        for wrong in [
            "a%20b/c%3Fd%23e%25f%26g%3Dh%2Bi%20%C3%A9/%252F",
            "a%20b%2Fc?d%23e%25f%26g%3Dh%2Bi%20%C3%A9/%252F",
            "a%20b%2Fc%3Fd%23e%25f%26g%3Dh%2Bi%20%C3%A9/%2F",
        ] {
            let reason = judge(line, &get(&format!("{base}/{wrong}/fields"))).unwrap();
            assert!(reason.starts_with("path differs"), "{wrong}: {reason}");
        }
        // Untagged vectors normalise hex digits only.
        let line = r#"{"operationId":"getRepository","params":{"path:username":"id-1","path:slug":"a&b"},"body":null,"contentType":null,"server":"","expect":{"method":"GET","path":"/2.0/repositories/id-1/a%26b","query":[],"headers":{}}}"#;
        assert_eq!(
            judge(line, &get("http://localhost/2.0/repositories/id-1/a&b")).as_deref(),
            Some("path differs")
        );
    }

    #[test]
    fn paths_normalise_hex_and_only_sub_delimiters() {
        assert_eq!(normalise_path("/a%2fb%3a%zz%4", false), "/a%2Fb%3A%zz%4");
        assert_eq!(
            normalise_path("/%21%24%26%27%28%29%2A%2B%2C%3B%3D%3A%40", true),
            "/!$&'()*+,;=:@"
        );
        assert_eq!(
            normalise_path("/%2f%3F%23%25%20%C3%A9", true),
            "/%2F%3F%23%25%20%C3%A9"
        );
        assert_eq!(
            split_origin("https://h.example:8080/v1/x?a=1#f"),
            ("https://h.example:8080", "/v1/x", "a=1")
        );
        assert_eq!(
            split_origin("http://localhost?x"),
            ("http://localhost", "/", "x")
        );
        assert_eq!(split_origin("/v1?x"), ("", "/v1", "x"));
        assert_eq!(
            server_origin("https://h.example/api/v3"),
            Some("https://h.example")
        );
        assert_eq!(server_origin("/api/v3"), None);
        assert_eq!(server_origin(""), None);
    }

    #[test]
    fn the_query_is_a_multiset_in_which_repeated_names_keep_their_order() {
        // kgsearch.v1: `key` and `alt` are ordinary parameters here.
        let line = r#"{"operationId":"kgsearch.entities.search","params":{"query:alt":"proto","query:callback":"x|y","query:fields":"h#i","query:key":"a b/c?d#e%f&g=h+i é","query:oauth_token":"plain","query:prettyPrint":true,"query:upload_protocol":"q?r","query:indent":false,"query:languages":["abc123","plain"],"query:prefix":true,"query:query":"!$'()*","query:types":["x/y","q?r","q?r"]},"body":null,"contentType":null,"server":"https://kgsearch.googleapis.com","expect":{"method":"GET","path":"/v1/entities:search","query":[["indent","false"],["languages","abc123"],["languages","plain"],["prefix","true"],["query","!$'()*"],["types","x/y"],["types","q?r"],["types","q?r"],["alt","proto"],["callback","x|y"],["fields","h#i"],["key","a b/c?d#e%f&g=h+i é"],["oauth_token","plain"],["prettyPrint","true"],["upload_protocol","q?r"]],"headers":{}}}"#;
        let url =
            |query: &str| format!("https://kgsearch.googleapis.com/v1/entities:search?{query}");
        let reordered = "alt=proto&callback=x%7Cy&fields=h%23i&key=a%20b%2Fc%3Fd%23e%25f%26g%3Dh%2Bi%20%C3%A9&oauth_token=plain&prettyPrint=true&upload_protocol=q%3Fr&indent=false&languages=abc123&prefix=true&languages=plain&query=%21%24%27%28%29%2A&types=x%2Fy&types=q%3Fr&types=q%3Fr";
        assert_eq!(judge(line, &get(&url(reordered))), None);
        let swapped = reordered
            .replace("languages=abc123", "languages=TMP")
            .replace("languages=plain", "languages=abc123")
            .replace("languages=TMP", "languages=plain");
        assert_eq!(
            judge(line, &get(&url(&swapped))).as_deref(),
            Some(
                r#"query differs: the values of `languages` come in another order: expected ["abc123", "plain"], built ["plain", "abc123"]"#
            )
        );
        let without_key = reordered.replace("&key=a%20b%2Fc%3Fd%23e%25f%26g%3Dh%2Bi%20%C3%A9", "");
        assert_eq!(
            judge(line, &get(&url(&without_key))).as_deref(),
            Some(r#"query differs: missing [key="a b/c?d#e%f&g=h+i é"]"#)
        );
        let with_alt_json = format!("{reordered}&alt=json");
        assert_eq!(
            judge(line, &get(&url(&with_alt_json))).as_deref(),
            Some(r#"query differs: unexpected [alt="json"]"#)
        );
    }

    #[test]
    fn headers_are_exact_values_under_case_insensitive_names() {
        // petstore deletePet with its `api_key` header parameter.
        let line = r#"{"operationId":"deletePet","params":{"header:api_key":"a+b","path:petId":-3},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"method":"DELETE","path":"/api/v3/pet/-3","query":[],"headers":{"api_key":"a+b"}}}"#;
        let url = "https://petstore3.swagger.io/api/v3/pet/-3";
        let delete = |headers: &[(&str, &str)]| ok("DELETE", url, headers, None);
        assert_eq!(judge(line, &delete(&[("api_key", "a+b")])), None);
        assert_eq!(judge(line, &delete(&[("API_KEY", "a+b")])), None);
        assert_eq!(
            judge(line, &delete(&[("api_key", "a%2Bb")])).as_deref(),
            Some(r#"header `api_key` is ["a%2Bb"] instead of ["a+b"]"#)
        );
        assert_eq!(
            judge(line, &delete(&[])).as_deref(),
            Some("header `api_key` is missing")
        );
        assert_eq!(
            judge(line, &delete(&[("api_key", "a+b"), ("api_key", "a+b")])).as_deref(),
            Some(r#"header `api_key` is ["a+b", "a+b"] instead of ["a+b"]"#)
        );
        assert_eq!(
            judge(
                line,
                &delete(&[
                    ("api_key", "a+b"),
                    ("content-type", "application/json"),
                    ("cookie", "a=1")
                ])
            )
            .as_deref(),
            Some(
                "header `content-type` is sent although none is expected; header `cookie` is sent although none is expected"
            )
        );
        // Other headers (`user-agent`, `accept`, `x-goog-api-client`) are free.
        assert_eq!(
            judge(line, &delete(&[("api_key", "a+b"), ("accept", "*/*")])),
            None
        );
        // buildomat's lower-case header parameter.
        let line = r#"{"operationId":"header-arg","params":{"header:accept-language":"en"},"body":null,"contentType":null,"server":"","expect":{"method":"GET","path":"/v1/header-arg","query":[],"headers":{"accept-language":"en"}}}"#;
        assert_eq!(
            judge(
                line,
                &ok(
                    "GET",
                    "http://localhost/v1/header-arg",
                    &[("accept-language", "en")],
                    None
                )
            ),
            None
        );
    }

    #[test]
    fn ignored_header_parameters_are_judged_as_recorded() {
        // keeper: a required `Authorization` header parameter, never given, never sent.
        let line = r#"{"operationId":"ping","params":{},"body":null,"contentType":null,"server":"","expect":{"method":"GET","path":"/ping","query":[],"headers":{}},"debatable":["ignored-header-required"]}"#;
        assert_eq!(judge(line, &get("http://localhost/ping")), None);
        assert_eq!(
            judge(line, &refused(Some("Authorization"), None)).as_deref(),
            Some("building was refused")
        );
        assert!(matches!(wanted(line, &[]), Ok(Judged::Request(w)) if w.ruled_by.is_empty()));
    }

    #[test]
    fn json_bodies_compare_parsed() {
        // buildomat, with a charset parameter on the media type.
        let line = r#"{"operationId":"worker_task_append","params":{"path:task":"50%"},"body":{"payload":"héllo \"w\" \\ /","stream":"tab\there","time":"2024-01-02T03:04:05Z"},"contentType":"application/json; charset=utf-8","server":"","expect":{"method":"POST","path":"/v1/worker/task/50%25/append","query":[],"headers":{"Content-Type":"application/json; charset=utf-8"},"body":"{\"payload\":\"héllo \\\"w\\\" \\\\ /\",\"stream\":\"tab\\there\",\"time\":\"2024-01-02T03:04:05Z\"}"}}"#;
        let url = "http://localhost/v1/worker/task/50%25/append";
        let post = |content_type: &str, body: &str| {
            ok("POST", url, &[("content-type", content_type)], Some(body))
        };
        let json = "application/json; charset=utf-8";
        let reordered = r#"{ "time": "2024-01-02T03:04:05Z", "stream": "tab\u0009here", "payload": "h\u00e9llo \"w\" \\ \/" }"#;
        assert_eq!(judge(line, &post(json, reordered)), None);
        assert_eq!(
            judge(line, &post("application/json", reordered)).as_deref(),
            Some(
                r#"header `Content-Type` is ["application/json"] instead of ["application/json; charset=utf-8"]"#
            )
        );
        assert_eq!(
            judge(
                line,
                &post(
                    json,
                    r#"{"payload":"x","stream":"tab\there","time":"2024-01-02T03:04:05Z"}"#
                )
            )
            .as_deref(),
            Some("JSON body differs")
        );
        assert_eq!(
            judge(line, &post(json, "payload=x")).as_deref(),
            Some("the body is not JSON")
        );
        assert_eq!(
            judge(line, &ok("POST", url, &[("content-type", json)], None)).as_deref(),
            Some("no body is sent")
        );
        // Numbers compare by value; dataportability.v1beta's `{}` body.
        assert!(json_equal(
            &serde_json::json!({"a": [42, -3]}),
            &serde_json::json!({"a": [42.0, -3.0]})
        ));
        assert!(!json_equal(
            &serde_json::json!({"a": 1}),
            &serde_json::json!({"a": 1, "b": null})
        ));
        let line = r#"{"operationId":"dataportability.archiveJobs.retry","params":{"path:name":"x"},"body":{},"contentType":"application/json","server":"https://dataportability.googleapis.com","expect":{"method":"POST","path":"/v1beta/x:retry","query":[],"headers":{"Content-Type":"application/json"},"body":"{}"}}"#;
        let retry = |body| {
            ok(
                "POST",
                "https://dataportability.googleapis.com/v1beta/x:retry",
                &[("content-type", "application/json")],
                body,
            )
        };
        assert_eq!(judge(line, &retry(Some("{}"))), None);
        assert_eq!(
            judge(line, &retry(Some("[]"))).as_deref(),
            Some("JSON body differs")
        );
        // A body where none is expected.
        assert_eq!(
            judge(
                PETSTORE_GET_USER,
                &ok(
                    "GET",
                    "https://petstore3.swagger.io/api/v3/user/x",
                    &[],
                    Some("{}")
                )
            )
            .as_deref(),
            Some("a body is sent although none is expected")
        );
        assert_eq!(
            judge(
                PETSTORE_GET_USER,
                &ok(
                    "GET",
                    "https://petstore3.swagger.io/api/v3/user/x",
                    &[],
                    Some("")
                )
            ),
            None
        );
    }

    #[test]
    fn media_types_are_recognised_by_their_essence() {
        for json in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/problem+json",
        ] {
            assert!(is_json(json), "{json}");
        }
        for other in ["text/json5", "application/jsonl", "text/plain"] {
            assert!(!is_json(other), "{other}");
        }
        assert!(is_form("application/x-www-form-urlencoded; charset=UTF-8"));
        assert!(!is_form("multipart/form-data"));
    }

    #[test]
    fn form_bodies_compare_as_decoded_pairs() {
        // uspto perform-search, untagged: judged as recorded.
        let line = r#"{"operationId":"perform-search","params":{"path:version":"~-._","path:dataset":"semi;colon,comma"},"body":{"criteria":"q?r"},"contentType":"application/x-www-form-urlencoded","server":"https://developer.uspto.gov/ds-api","expect":{"method":"POST","path":"/ds-api/semi%3Bcolon%2Ccomma/~-._/records","query":[],"headers":{"Content-Type":"application/x-www-form-urlencoded"},"body":"criteria=q%3Fr","form":[["criteria","q?r"]]},"debatable":["path-reserved"]}"#;
        let url = "https://developer.uspto.gov/ds-api/semi;colon,comma/~-._/records";
        let post = |body: &str| {
            ok(
                "POST",
                url,
                &[("content-type", "application/x-www-form-urlencoded")],
                Some(body),
            )
        };
        assert_eq!(judge(line, &post("criteria=q?r")), None);
        assert_eq!(judge(line, &post("criteria=q%3fr")), None);
        assert_eq!(
            judge(line, &post("criteria=q%3Fr&start=0")).as_deref(),
            Some(r#"form body differs: unexpected [start="0"]"#)
        );
        let line = r#"{"operationId":"perform-search","params":{"path:version":"plain","path:dataset":"plain"},"body":{"criteria":"id-1","rows":42},"contentType":"application/x-www-form-urlencoded","server":"https://developer.uspto.gov/ds-api","expect":{"method":"POST","path":"/ds-api/plain/plain/records","query":[],"headers":{"Content-Type":"application/x-www-form-urlencoded"},"body":"criteria=id-1&rows=42","form":[["criteria","id-1"],["rows","42"]]}}"#;
        let url = "https://developer.uspto.gov/ds-api/plain/plain/records";
        let post = |body: &str| {
            ok(
                "POST",
                url,
                &[("content-type", "application/x-www-form-urlencoded")],
                Some(body),
            )
        };
        assert_eq!(judge(line, &post("rows=42&criteria=id-1")), None);
        // `+` is a space in a form body.
        assert_eq!(
            decode_form("a=x+y%2B&b&c=%C3%A9"),
            pairs(&[("a", "x y+"), ("b", ""), ("c", "é")])
        );
    }

    #[test]
    fn other_bodies_compare_as_exact_bytes() {
        // petstore uploadFile, buildomat upload chunk: octet-stream text.
        let line = r#"{"operationId":"uploadFile","params":{"path:petId":7},"body":"plain text é","contentType":"application/octet-stream","server":"https://petstore3.swagger.io/api/v3","expect":{"method":"POST","path":"/api/v3/pet/7/uploadImage","query":[],"headers":{"Content-Type":"application/octet-stream"},"body":"plain text é"}}"#;
        let url = "https://petstore3.swagger.io/api/v3/pet/7/uploadImage";
        let octets = [("content-type", "application/octet-stream")];
        assert_eq!(
            judge(line, &ok("POST", url, &octets, Some("plain text é"))),
            None
        );
        assert_eq!(
            judge(line, &ok("POST", url, &octets, Some("\"plain text é\""))).as_deref(),
            Some("body differs")
        );
        // A body that is not UTF-8 comes as base64: "plain text é" in Latin-1 is not it.
        let base64 = |body: &str| Built::Ok {
            method: "POST".into(),
            url: url.into(),
            headers: pairs(&octets),
            body: Some(body.into()),
            body_base64: true,
        };
        assert_eq!(
            judge(line, &base64("cGxhaW4gdGV4dCDp")).as_deref(),
            Some("body differs")
        );
        assert_eq!(judge(line, &base64("cGxhaW4gdGV4dCDDqQ==")), None);
        assert_eq!(
            judge(line, &base64("**")).as_deref(),
            Some("the runner's body is not base64")
        );
        assert_eq!(decode_base64("aGk").unwrap(), b"hi");
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("a"), None);
    }

    #[test]
    fn dot_segments_must_be_refused() {
        // link-example and petstore: swagger-client sends `..` raw.
        let line = r#"{"operationId":"getUserByName","params":{"path:username":".."},"body":null,"contentType":null,"server":"","expect":{"method":"GET","path":"/2.0/users/..","query":[],"headers":{}},"debatable":["path-dot-segment"]}"#;
        assert_eq!(judge(line, &refused(Some("username"), None)), None);
        assert_eq!(judge(line, &refused(None, Some("username"))), None);
        assert_eq!(
            judge(line, &get("http://localhost/2.0/users/..")).as_deref(),
            Some(r#"built, although the path value ".." of `username` is a dot segment"#)
        );
        assert_eq!(
            judge(line, &get("http://localhost/2.0/users/%2E%2E")).as_deref(),
            Some(r#"built, although the path value ".." of `username` is a dot segment"#)
        );
        let line = r#"{"operationId":"deleteUser","params":{"path:username":".."},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"method":"DELETE","path":"/api/v3/user/..","query":[],"headers":{}},"debatable":["path-dot-segment"]}"#;
        assert_eq!(judge(line, &refused(Some("username"), None)), None);
        assert_eq!(
            judge(line, &refused(Some("petId"), None)).as_deref(),
            Some("refused for `petId` instead of `username`")
        );
    }

    /// petstore updatePet, tagged with all three form tags.
    const UPDATE_PET_FORM: &str = r#"{"operationId":"updatePet","params":{},"body":{"name":"a+b","category":{},"photoUrls":["café","a+b","q?r"],"tags":[{"name":"x/y"},{"id":7},{}]},"contentType":"application/x-www-form-urlencoded","server":"https://petstore3.swagger.io/api/v3","expect":{"method":"PUT","path":"/api/v3/pet","query":[],"headers":{"Content-Type":"application/x-www-form-urlencoded"},"body":"name=a%2Bb&category=%7B%7D&photoUrls=caf%C3%A9,a%2Bb,q%3Fr&tags=%5B%7B%22name%22%3A%22x%2Fy%22%7D%2C%7B%22id%22%3A7%7D%2C%7B%7D%5D","form":[["name","a+b"],["category","{}"],["photoUrls","café,a+b,q?r"],["tags","[{\"name\":\"x/y\"},{\"id\":7},{}]"]]},"debatable":["form-array-no-encoding","form-nested","form-object"]}"#;

    #[test]
    fn form_bodies_follow_the_oas_defaults() {
        let Ok(Judged::Request(wanted)) = wanted(UPDATE_PET_FORM, &[]) else {
            panic!("a request");
        };
        let Some(WantedBody::Form(form)) = &wanted.body else {
            panic!("a form body");
        };
        let mut form = form.clone();
        form.sort();
        assert_eq!(
            form,
            pairs(&[
                ("category", "{}"),
                ("name", "a+b"),
                ("photoUrls", "a+b"),
                ("photoUrls", "café"),
                ("photoUrls", "q?r"),
                ("tags", "{\"id\":7}"),
                ("tags", "{\"name\":\"x/y\"}"),
                ("tags", "{}"),
            ])
        );
        assert_eq!(
            wanted.ruled_by,
            ["form-array-no-encoding", "form-object", "form-nested"]
        );
        let url = "https://petstore3.swagger.io/api/v3/pet";
        let put = |body: &str| {
            ok(
                "PUT",
                url,
                &[("content-type", "application/x-www-form-urlencoded")],
                Some(body),
            )
        };
        let ours = "category=%7B%7D&name=a%2Bb&photoUrls=caf%C3%A9&photoUrls=a%2Bb&photoUrls=q%3Fr&tags=%7B%22name%22%3A%22x%2Fy%22%7D&tags=%7B%22id%22%3A7%7D&tags=%7B%7D";
        assert_eq!(judge(UPDATE_PET_FORM, &put(ours)), None);
        // What swagger-client sent fails.
        let theirs = "name=a%2Bb&category=%7B%7D&photoUrls=caf%C3%A9,a%2Bb,q%3Fr&tags=%5B%7B%22name%22%3A%22x%2Fy%22%7D%2C%7B%22id%22%3A7%7D%2C%7B%7D%5D";
        let reason = judge(UPDATE_PET_FORM, &put(theirs)).unwrap();
        assert!(
            reason.starts_with("form body differs: missing ["),
            "{reason}"
        );
        // Array items keep their order.
        let swapped = "category=%7B%7D&name=a%2Bb&photoUrls=a%2Bb&photoUrls=caf%C3%A9&photoUrls=q%3Fr&tags=%7B%22name%22%3A%22x%2Fy%22%7D&tags=%7B%22id%22%3A7%7D&tags=%7B%7D";
        assert!(
            judge(UPDATE_PET_FORM, &put(swapped))
                .unwrap()
                .contains("the values of `photoUrls` come in another order")
        );
        // The failure line says which rules judged it.
        let failure = with_case(UPDATE_PET_FORM, &[], |case| {
            judge_openapi(case, &put(theirs)).unwrap()
        });
        assert!(
            failure
                .expected
                .ends_with("(by our rule for form-array-no-encoding, form-object, form-nested)"),
            "{}",
            failure.expected
        );

        // petstore addPet, tagged form-array-no-encoding only.
        let line = r#"{"operationId":"addPet","params":{},"body":{"name":"id-1","photoUrls":["x","A-Z_0.9"]},"contentType":"application/x-www-form-urlencoded","server":"https://petstore3.swagger.io/api/v3","expect":{"method":"POST","path":"/api/v3/pet","query":[],"headers":{"Content-Type":"application/x-www-form-urlencoded"},"body":"name=id-1&photoUrls=x,A-Z_0.9","form":[["name","id-1"],["photoUrls","x,A-Z_0.9"]]},"debatable":["form-array-no-encoding"]}"#;
        let post = |body: &str| {
            ok(
                "POST",
                url,
                &[("content-type", "application/x-www-form-urlencoded")],
                Some(body),
            )
        };
        assert_eq!(
            judge(line, &post("name=id-1&photoUrls=x&photoUrls=A-Z_0.9")),
            None
        );
        assert!(judge(line, &post("name=id-1&photoUrls=x,A-Z_0.9")).is_some());
        // An object field is one pair of its JSON text.
        let body =
            serde_json::json!({"obj": {"R": 100, "G": {"x": [1]}}, "n": null, "e": [], "s": "1.0"});
        let mut pairs_ = oas_form_pairs(&body).unwrap();
        pairs_.sort();
        assert_eq!(
            pairs_,
            pairs(&[("obj", "{\"G\":{\"x\":[1]},\"R\":100}"), ("s", "1.0")])
        );
        assert!(oas_form_pairs(&serde_json::json!("x")).is_err());
    }

    #[test]
    fn nested_json_text_compares_with_sorted_keys() {
        let line = r#"{"operationId":"addPet","params":{},"body":{"name":"x","tags":[{"id":1,"name":"a"}]},"contentType":"application/x-www-form-urlencoded","server":"","expect":{"method":"POST","path":"/pet","query":[],"headers":{"Content-Type":"application/x-www-form-urlencoded"},"body":"","form":[]},"debatable":["form-nested"]}"#;
        let post = |body: &str| {
            ok(
                "POST",
                "http://localhost/pet",
                &[("content-type", "application/x-www-form-urlencoded")],
                Some(body),
            )
        };
        assert_eq!(
            judge(
                line,
                &post("name=x&tags=%7B%22name%22%3A%22a%22%2C%22id%22%3A1.0%7D")
            ),
            None
        );
        assert_eq!(canonical_text("[x]"), "[x]");
        assert_eq!(
            canonical_text(r#"{"b":1,"a":[2.0,{"d":0,"c":1.5}]}"#),
            r#"{"a":[2,{"c":1.5,"d":0}],"b":1}"#
        );
    }

    #[test]
    fn json_string_bodies_are_sent_as_json() {
        let line = r#"{"operationId":"run","params":{},"body":"Run","contentType":"application/json","server":"","expect":{"method":"POST","path":"/run","query":[],"headers":{"Content-Type":"application/json"},"body":"Run"},"debatable":["json-scalar-body"]}"#;
        let post = |body: &str| {
            ok(
                "POST",
                "http://localhost/run",
                &[("content-type", "application/json")],
                Some(body),
            )
        };
        assert_eq!(judge(line, &post("\"Run\"")), None);
        assert_eq!(
            judge(line, &post("Run")).as_deref(),
            Some("the body is not JSON")
        );
        // Numbers were valid JSON already and stay as they are.
        let line = line
            .replace(
                r#""body":"Run","contentType""#,
                r#""body":42,"contentType""#,
            )
            .replace(r#""body":"Run"}"#, r#""body":"42"}"#);
        assert_eq!(judge(&line, &post("42")), None);
    }

    #[test]
    fn empty_arrays_are_omitted_in_every_style() {
        // petstore-expanded findPets and kgsearch: swagger-client omits them too.
        let line = r#"{"operationId":"findPets","params":{"query:tags":[],"query:limit":0},"body":null,"contentType":null,"server":"https://petstore.swagger.io/v2","expect":{"method":"GET","path":"/v2/pets","query":[["limit","0"]],"headers":{}},"debatable":["empty-array"]}"#;
        assert_eq!(
            judge(line, &get("https://petstore.swagger.io/v2/pets?limit=0")),
            None
        );
        assert_eq!(
            judge(
                line,
                &get("https://petstore.swagger.io/v2/pets?limit=0&tags=")
            )
            .as_deref(),
            Some(r#"query differs: unexpected [tags=""]"#)
        );
        let line = r#"{"operationId":"kgsearch.entities.search","params":{"query:access_token":"q?r","query:callback":"x","query:oauth_token":"a+b","query:quotaUser":"a&b=c","query:ids":["h#i","[x]"],"query:languages":[],"query:query":"日本","query:types":["plain"]},"body":null,"contentType":null,"server":"https://kgsearch.googleapis.com","expect":{"method":"GET","path":"/v1/entities:search","query":[["ids","h#i"],["ids","[x]"],["query","日本"],["types","plain"],["access_token","q?r"],["callback","x"],["oauth_token","a+b"],["quotaUser","a&b=c"]],"headers":{}},"debatable":["empty-array"]}"#;
        let url = "https://kgsearch.googleapis.com/v1/entities:search?ids=h%23i&ids=%5Bx%5D&query=%E6%97%A5%E6%9C%AC&types=plain&access_token=q%3Fr&callback=x&oauth_token=a%2Bb&quotaUser=a%26b%3Dc";
        assert_eq!(judge(line, &get(url)), None);
        // Non-exploded styles: swagger-client sends `name=`, we send nothing.
        let line = r#"{"operationId":"list","params":{"query:ids":[],"header:X-Ids":[],"cookie:c":[],"cookie:d":"1"},"body":null,"contentType":null,"server":"","expect":{"method":"GET","path":"/list","query":[["ids",""]],"headers":{"X-Ids":"","Cookie":"c=; d=1"}},"debatable":["empty-array","cookie-param"]}"#;
        assert_eq!(
            judge(
                line,
                &ok("GET", "http://localhost/list", &[("cookie", "d=1")], None)
            ),
            None
        );
        let Ok(Judged::Request(wanted)) = wanted(line, &[]) else {
            panic!("a request");
        };
        assert_eq!(wanted.query, []);
        assert_eq!(wanted.headers, pairs(&[("Cookie", "d=1")]));
        let line = line
            .replace(r#""cookie:d":"1""#, r#""cookie:d":[]"#)
            .replace("c=; d=1", "c=; d=");
        let Ok(Judged::Request(wanted)) = self::wanted(&line, &[]) else {
            panic!("a request");
        };
        assert_eq!(wanted.headers, []);
        assert_eq!(
            judge(
                &line,
                &ok("GET", "http://localhost/list", &[("cookie", "")], None)
            )
            .as_deref(),
            Some("header `cookie` is sent although none is expected")
        );
    }

    #[test]
    fn param_overrides_are_judged_as_recorded_for_scalars() {
        // param-overrides.yaml: `key` is a boolean (operation) over a string (path item).
        let line = r#"{"operationId":"key.get","params":{"query:key":true,"query:uniqueKey":"A-Z_0.9"},"body":null,"contentType":null,"server":"","expect":{"method":"GET","path":"/key","query":[["key","true"],["uniqueKey","A-Z_0.9"]],"headers":{}},"debatable":["param-override"]}"#;
        assert_eq!(
            judge(
                line,
                &get("http://localhost/key?uniqueKey=A-Z_0.9&key=true")
            ),
            None
        );
        assert_eq!(
            judge(line, &get("http://localhost/key?uniqueKey=A-Z_0.9&key=1")).as_deref(),
            Some(r#"query differs: missing [key="true"], unexpected [key="1"]"#)
        );
        let line = r#"{"operationId":"key.get","params":{"query:key":false,"query:uniqueKey":"p,q"},"body":null,"contentType":null,"server":"","expect":{"method":"GET","path":"/key","query":[["key","false"],["uniqueKey","p,q"]],"headers":{}},"debatable":["param-override"]}"#;
        assert_eq!(
            judge(line, &get("http://localhost/key?key=false&uniqueKey=p%2Cq")),
            None
        );
        let array = line.replace(r#""query:key":false"#, r#""query:key":["a","b"]"#);
        assert_eq!(
            judge(
                &array,
                &get("http://localhost/key?key=false&uniqueKey=p%2Cq")
            )
            .as_deref(),
            Some(
                "cannot judge by our rule for `param-override`: `query:key` is not a scalar, so its serialization may depend on which definition wins"
            )
        );
    }

    #[test]
    fn label_arrays_and_objects_use_commas() {
        let line = r#"{"operationId":"color","params":{"path:color":["blue","a b"]},"body":null,"contentType":null,"server":"","expect":{"method":"GET","path":"/colors/.blue.a%20b/x","query":[],"headers":{}},"debatable":["label-no-explode"]}"#;
        assert_eq!(
            judge(line, &get("http://localhost/colors/.blue,a%20b/x")),
            None
        );
        assert_eq!(
            judge(line, &get("http://localhost/colors/.blue.a%20b/x")).as_deref(),
            Some("path differs")
        );
        // Object keys: in whatever order swagger-client sent them.
        let line = r#"{"operationId":"color","params":{"path:color":{"R":100,"G":200,"B":150}},"body":null,"contentType":null,"server":"","expect":{"method":"GET","path":"/colors/.R.100.G.200.B.150","query":[],"headers":{}},"debatable":["label-no-explode"]}"#;
        assert_eq!(
            judge(line, &get("http://localhost/colors/.R,100,G,200,B,150")),
            None
        );
        let missing = line.replace(".R.100.G.200.B.150", ".R.1");
        assert!(
            judge(&missing, &get("http://localhost/colors/.R,1"))
                .unwrap()
                .starts_with("cannot judge by our rule for `label-no-explode`")
        );
    }

    #[test]
    fn delimited_objects_use_the_declared_delimiter() {
        let line = r#"{"operationId":"color","params":{"query:color":{"R":100,"G":200}},"body":null,"contentType":null,"server":"","expect":{"method":"GET","path":"/colors","query":[["color","R,100,G,200"]],"headers":{}},"debatable":["delimited-object"]}"#;
        let space = ["query:spaceDelimited:no-explode"];
        let pipe = ["query:pipeDelimited:no-explode", "query:form:explode"];
        assert_eq!(
            judge_in(
                line,
                &space,
                &get("http://localhost/colors?color=R%20100%20G%20200")
            ),
            None
        );
        assert_eq!(
            judge_in(
                line,
                &pipe,
                &get("http://localhost/colors?color=R%7C100%7CG%7C200")
            ),
            None
        );
        assert_eq!(
            judge_in(
                line,
                &pipe,
                &get("http://localhost/colors?color=R|100|G|200")
            ),
            None
        );
        assert!(
            judge_in(
                line,
                &pipe,
                &get("http://localhost/colors?color=R,100,G,200")
            )
            .unwrap()
            .starts_with("query differs")
        );
        let both = [
            "query:spaceDelimited:no-explode",
            "query:pipeDelimited:no-explode",
        ];
        assert!(
            judge_in(
                line,
                &both,
                &get("http://localhost/colors?color=R%20100%20G%20200")
            )
            .unwrap()
            .contains("declares both")
        );
    }

    #[test]
    fn nested_deep_objects_go_qs_style() {
        let line = r#"{"operationId":"find","params":{"query:filter":{"a":{"b":1},"c":[1,2],"d":"x","e":[{"f":true}]}},"body":null,"contentType":null,"server":"","expect":{"method":"GET","path":"/find","query":[["filter[a]","{\"b\":1}"],["filter[c]","[1,2]"],["filter[d]","x"],["filter[e]","[{\"f\":true}]"]],"headers":{}},"debatable":["deepobject-nested"]}"#;
        let Ok(Judged::Request(wanted)) = wanted(line, &[]) else {
            panic!("a request");
        };
        assert_eq!(
            wanted.query,
            pairs(&[
                ("filter[a][b]", "1"),
                ("filter[c]", "1"),
                ("filter[c]", "2"),
                ("filter[d]", "x"),
                ("filter[e][0][f]", "true"),
            ])
        );
        let url = "http://localhost/find?filter%5Bd%5D=x&filter%5Ba%5D%5Bb%5D=1&filter%5Bc%5D=1&filter%5Bc%5D=2&filter%5Be%5D%5B0%5D%5Bf%5D=true";
        assert_eq!(judge(line, &get(url)), None);
        let theirs = "http://localhost/find?filter%5Ba%5D=%7B%22b%22%3A1%7D&filter%5Bc%5D=%5B1%2C2%5D&filter%5Bd%5D=x&filter%5Be%5D=%5B%7B%22f%22%3Atrue%7D%5D";
        assert!(judge(line, &get(theirs)).is_some());
    }

    #[test]
    fn every_readme_tag_has_one_stance() {
        let tags: Vec<&str> = DEBATABLE.iter().map(|d| d.tag).collect();
        let unique: BTreeSet<&str> = tags.iter().copied().collect();
        assert_eq!(unique.len(), tags.len(), "a tag is listed twice");
        for tag in [
            "path-reserved",
            "path-dot-segment",
            "empty-array",
            "delimited-explode",
            "delimited-object",
            "label-no-explode",
            "deepobject-nested",
            "deepobject-no-explode",
            "deepobject-not-object",
            "nested-in-query",
            "nested-in-path",
            "nested-in-header",
            "ignored-header-required",
            "cookie-param",
            "param-override",
            "json-scalar-body",
            "form-array-no-encoding",
            "form-object",
            "form-nested",
            "schema-unsatisfied",
            "content-param",
        ] {
            assert!(unique.contains(tag), "{tag} has no stance");
        }
        for debatable in DEBATABLE {
            assert_eq!(
                debatable.rule.is_some(),
                debatable.stance.starts_with("differ"),
                "{}",
                debatable.tag
            );
        }
        // A tag nobody knows is judged as recorded.
        let line = PETSTORE_GET_USER.replace(
            r#""headers":{}}}"#,
            r#""headers":{}},"debatable":["brand-new"]}"#,
        );
        assert_eq!(
            judge(&line, &get("https://petstore3.swagger.io/api/v3/user/x")),
            None
        );
    }

    #[test]
    fn describing_both_sides() {
        let line = r#"{"operationId":"deletePet","params":{"header:api_key":"a+b","path:petId":-3},"body":null,"contentType":null,"server":"https://petstore3.swagger.io/api/v3","expect":{"method":"DELETE","path":"/api/v3/pet/-3","query":[],"headers":{"api_key":"a+b"}}}"#;
        let built = ok(
            "DELETE",
            "https://petstore3.swagger.io/api/v3/pet/-3?x=1",
            &[("api_key", "a b")],
            Some("{}"),
        );
        let failure = with_case(line, &[], |case| judge_openapi(case, &built).unwrap());
        assert_eq!(
            failure,
            Mismatch {
                reason: r#"query differs: unexpected [x="1"]; header `api_key` is ["a b"] instead of ["a+b"]; a body is sent although none is expected"#.into(),
                expected: r#"DELETE https://petstore3.swagger.io/api/v3/pet/-3 [] headers [api_key="a+b"]"#.into(),
                built: r#"DELETE https://petstore3.swagger.io/api/v3/pet/-3?x=1 headers [api_key="a b"] body "{}""#.into(),
            }
        );
    }
}
