//! Lowering: a parsed Discovery document becomes the IR.
//!
//! This is where the document's meaning is decided: which parameters the
//! caller sets, which Rust type every JSON value gets, how each path is
//! bound, and every identifier (through `naming`). Anything the generator
//! cannot express is an error naming the JSON path of the value at fault.

pub(crate) mod conventions;
pub mod limits;
pub(crate) mod methods;
pub(crate) mod names;
pub(crate) mod recursion;
mod schemas;

use crate::discovery::{self, Document};
use crate::error::{Error, JsonPath};
use crate::ir::{Api, Enum, EnumRef, Location, Parameter, Scope, Type, Variant};
use crate::naming::{Case, Namespace, NamingError};
use methods::MethodContext;
use std::collections::BTreeMap;

/// Standard parameters the generated client manages itself, so callers never
/// set them: the response format (`alt`, `callback`), credentials (sent as a
/// header by the token provider) and media upload protocol.
const CLIENT_MANAGED_PARAMS: &[&str] = &[
    "alt",
    "callback",
    "access_token",
    "oauth_token",
    "uploadType",
    "upload_protocol",
];

/// Prefix of Google's OAuth scope URLs, left out of `Scope` variant names.
pub(crate) const SCOPE_URL_PREFIX: &str = "https://www.googleapis.com/auth/";

/// Inherent methods of the runtime's `Client`, which resource accessors and
/// top-level methods must not shadow. `mod` is reserved too: a top-level
/// resource's module is a file under `src/resources/`, where `mod.rs` is taken.
pub(crate) const CLIENT_METHODS: &[&str] = &[
    "builder",
    "service",
    // Trait methods the emitted code calls on a client (`client.clone()`)
    // or reaches the runtime's client through (`Deref`): an inherent method
    // of the same name would shadow them.
    "clone",
    "deref",
    "endpoint",
    "polling_policy",
    "execute",
    "execute_without_response",
    "execute_with",
    "execute_bytes",
    "execute_text",
    "send_raw",
    "call_plan",
    "send_retried",
    "run_call",
    "run_call_with",
    "retry_attempts",
    "attempt",
    "dispatch",
    "dispatch_rebuilt",
    "with_token",
    "send_as_is",
    "add_credentials",
    "prepare",
    "read_success",
    "read_success_body",
    "read_limited",
    "read_body",
    "read_error",
    "read_error_of",
    "download",
    "upload_simple",
    "upload_resumable",
    "resume_upload",
    "open_session",
    "send_chunks",
    "send_chunk",
    "put_chunk",
    "mod",
];

/// Names of the prelude and of `std` types that emitted code writes
/// unqualified (`Option<T>`, `String`, `Vec<T>`, `Default::default()`): a
/// schema or call type with one of these names would shadow them.
pub(crate) const PRELUDE_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Into",
    "From",
    "Self",
    "AsRef",
    "IntoIterator",
    "Iterator",
    "Clone",
    "Send",
    "Sync",
];

/// Crates that emitted code names by path (`std::fmt`, `serde::Serialize`):
/// a module of the same name would shadow them, so no module gets one.
pub(crate) const CRATE_NAMES: &[&str] = &[
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "reqwest",
    "bytes",
    "futures_core",
];

/// Variant name of the catch-all that keeps unknown enum values.
pub const UNKNOWN_VARIANT: &str = "UnknownValue";

/// Parses `json` and lowers it. `file` names the spec in errors.
pub fn lower(file: &str, json: &str) -> Result<Api, Error> {
    let document = parse(file, json)?;
    Lowering {
        file,
        document: &document,
        nesting: limits::Nesting::default(),
    }
    .api()
}

/// Parses a Discovery document, reporting the JSON path of any type error.
pub fn parse(file: &str, json: &str) -> Result<Document, Error> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        Error::Parse {
            file: file.to_owned(),
            path,
            message: err.into_inner().to_string(),
        }
    })
}

struct Lowering<'a> {
    file: &'a str,
    document: &'a Document,
    /// How deep the value being lowered is (see [`limits::MAX_NESTING`]).
    nesting: limits::Nesting,
}

impl Lowering<'_> {
    /// One more level of lists, maps and inline objects at `path`, for as
    /// long as the level lives; an error past the limit.
    fn enter(&self, path: &JsonPath) -> Result<limits::Level<'_>, Error> {
        self.nesting
            .enter()
            .map_err(|too_deep| self.spec_error(path, too_deep.message()))
    }

    fn spec_error(&self, path: &JsonPath, message: impl Into<String>) -> Error {
        Error::Spec {
            file: self.file.to_owned(),
            path: path.to_string(),
            message: message.into(),
        }
    }

    fn naming_error(&self, source: NamingError, path: &JsonPath) -> Error {
        Error::Naming {
            file: self.file.to_owned(),
            path: path.to_string(),
            source,
        }
    }

    fn api(&self) -> Result<Api, Error> {
        let doc = self.document;
        let scopes = self.scopes()?;
        let scope_variants: BTreeMap<&str, &str> = scopes
            .iter()
            .map(|s| (s.url.as_str(), s.variant.as_str()))
            .collect();
        let (mut schemas, index) = self.schemas()?;
        recursion::box_cycles(&mut schemas).map_err(|cycle| {
            self.spec_error(
                &JsonPath::root()
                    .join("schemas")
                    .join(cycle.spec_name.as_str()),
                cycle.message(),
            )
        })?;
        let standard_params = self.standard_params()?;
        let standard_names: Vec<&str> = standard_params
            .iter()
            // Namespaces compare bare names: `type`, not `r#type`.
            .map(|p| p.rust_name.trim_start_matches("r#"))
            .collect();
        let context = MethodContext {
            scope_variants: &scope_variants,
            schemas: &index,
            standard_names: &standard_names,
        };
        // The root is lowered like a resource whose methods are the client's.
        let root = self.group(
            "the client",
            &doc.methods,
            &doc.resources,
            &JsonPath::root(),
            CLIENT_METHODS,
            &[],
            &context,
        )?;
        let mut api = Api {
            name: doc.name.clone(),
            version: doc.version.clone(),
            title: doc.title.clone().unwrap_or_else(|| doc.name.clone()),
            description: doc.description.clone().unwrap_or_default(),
            revision: doc.revision.clone().unwrap_or_default(),
            documentation_link: doc.documentation_link.clone(),
            root_url: doc.root_url.clone(),
            service_path: doc.service_path.clone(),
            scopes,
            standard_params,
            schemas,
            resources: root.resources,
            methods: root.methods,
            resource_names: Vec::new(),
            servers: Vec::new(),
            security_schemes: Vec::new(),
            int64_encoding: crate::ir::Int64Encoding::String,
            operation_pollers: Vec::new(),
        };
        names::assign(&mut api);
        conventions::apply(&mut api);
        Ok(api)
    }

    fn scopes(&self) -> Result<Vec<Scope>, Error> {
        let Some(oauth2) = self.document.auth.as_ref().and_then(|a| a.oauth2.as_ref()) else {
            return Ok(Vec::new());
        };
        let variants = scope_variants(&self.document.name, oauth2.scopes.keys())
            .map_err(|e| self.naming_error(e, &JsonPath::root().join("auth")))?;
        Ok(oauth2
            .scopes
            .iter()
            .map(|(url, info)| Scope {
                url: url.clone(),
                description: info.description.clone().unwrap_or_default(),
                variant: variants[url].clone(),
            })
            .collect())
    }

    fn standard_params(&self) -> Result<Vec<Parameter>, Error> {
        let path = JsonPath::root().join("parameters");
        let kept: Vec<(&String, &discovery::Parameter)> = self
            .document
            .parameters
            .iter()
            .filter(|(name, _)| !CLIENT_MANAGED_PARAMS.contains(&name.as_str()))
            .collect();
        // Their setters are methods of every call builder.
        let names = reserve_all(
            reserve_all(
                Namespace::new(Case::Snake, "standard parameter"),
                methods::BUILDER_FIELDS,
            ),
            methods::BUILDER_METHODS,
        )
        .assign(kept.iter().map(|(name, _)| name.as_str()))
        .map_err(|e| self.naming_error(e, &path))?;
        let types = reserve_all(
            Namespace::new(Case::UpperCamel, "standard parameter enum"),
            PRELUDE_TYPES,
        )
        .assign(kept.iter().map(|(name, _)| name.as_str()))
        .map_err(|e| self.naming_error(e, &path))?;
        kept.into_iter()
            .map(|(name, param)| {
                let enum_site = EnumSite {
                    module: "params",
                    type_name: &types[name],
                };
                if param.kind == "object" {
                    return Err(self.spec_error(
                        &path.join(name.as_str()).join("type"),
                        "an `object` standard parameter is not supported yet",
                    ));
                }
                self.parameter(
                    name,
                    &names[name],
                    param,
                    &path.join(name.as_str()),
                    enum_site,
                )
            })
            .collect()
    }

    fn parameter(
        &self,
        wire_name: &str,
        rust_name: &str,
        param: &discovery::Parameter,
        path: &JsonPath,
        enum_site: EnumSite<'_>,
    ) -> Result<Parameter, Error> {
        let location = match param.location.as_str() {
            "path" => Location::Path,
            "query" => Location::Query,
            other => {
                return Err(self.spec_error(
                    &path.join("location"),
                    format!("expected `path` or `query`, found `{other}`"),
                ));
            }
        };
        let ty = match &param.enum_values {
            Some(values) => Type::Enum(EnumRef {
                module: enum_site.module.to_owned(),
                name: enum_site.type_name.to_owned(),
                definition: Some(Box::new(self.enumeration(
                    enum_site.type_name,
                    param.description.as_deref().unwrap_or_default(),
                    values,
                    param.enum_descriptions.as_deref(),
                    param.enum_deprecated.as_deref(),
                    path,
                )?)),
            }),
            None if param.kind == "object" => self.object_parameter(param, location, path)?,
            None => self.scalar(&param.kind, param.format.as_deref(), true, path)?,
        };
        Ok(Parameter {
            wire_name: wire_name.to_owned(),
            rust_name: rust_name.to_owned(),
            description: param.description.clone().unwrap_or_default(),
            location,
            ty,
            repeated: param.repeated.unwrap_or(false),
            default: param.default.clone(),
            // A path parameter's pattern lives on as its binding, so equal
            // templates in either spelling stay one IR; only one no binding
            // can express is kept, for the docs (the server checks it).
            pattern: param.pattern.clone().filter(|pattern| {
                location == Location::Query
                    || crate::path_template::binding_from_pattern(pattern).is_err()
            }),
            deprecated: param.deprecated.unwrap_or(false),
            // Set once every method is lowered (`names`): a name depends on
            // the bindings of the whole API.
            resource_name: None,
            style: None,
            content: None,
        })
    }

    /// The type of an `object` parameter (Discovery Engine's
    /// `dataConnector.mcp` `extensions`): a map, as free-form objects are in
    /// bodies (`BTreeMap<String, T>`), which the query carries as one
    /// dotted pair per leaf (runtime `Query::push_fields`). Its values are
    /// the scalar its `additionalProperties` names, or any JSON value
    /// (`serde_json::Value`) when that is `any`, absent, or not a scalar:
    /// every JSON value has a query form, and the server judges its shape.
    fn object_parameter(
        &self,
        param: &discovery::Parameter,
        location: Location,
        path: &JsonPath,
    ) -> Result<Type, Error> {
        if location != Location::Query {
            return Err(self.spec_error(
                &path.join("type"),
                "an `object` parameter is only supported in the query",
            ));
        }
        if !param.properties.is_empty() {
            return Err(self.spec_error(
                &path.join("properties"),
                "an `object` parameter with named `properties` is not supported yet",
            ));
        }
        let values = param.additional_properties.as_deref();
        let value = match values.and_then(|v| v.kind.as_deref().map(|k| (v, k))) {
            Some((values, kind @ ("string" | "integer" | "number" | "boolean")))
                if values.reference.is_none() =>
            {
                self.scalar(
                    kind,
                    values.format.as_deref(),
                    true,
                    &path.join("additionalProperties"),
                )?
            }
            _ => Type::Any,
        };
        Ok(Type::Map(Box::new(value)))
    }

    /// The Rust type of a JSON scalar, in a body or (`parameter`) a URL.
    fn scalar(
        &self,
        kind: &str,
        format: Option<&str>,
        parameter: bool,
        path: &JsonPath,
    ) -> Result<Type, Error> {
        Ok(match (kind, format) {
            ("string", Some("int64")) => Type::I64,
            ("string", Some("uint64")) => Type::U64,
            ("string", Some("google-datetime")) => Type::Timestamp,
            ("string", Some("google-duration")) => Type::Duration,
            ("string", Some("google-fieldmask")) => Type::FieldMask,
            ("string", Some("date")) => Type::Date,
            // In a URL, `date-time` and `byte` values are passed on as the
            // caller wrote them, as Google's own clients do: real calls put
            // values there that are not RFC 3339 (`date-time` predates
            // `google-datetime`) or that are already-encoded tokens.
            ("string", Some("date-time")) if !parameter => Type::Timestamp,
            ("string", Some("byte")) if !parameter => Type::Bytes,
            // Any newer format stays a string: still correct on the wire.
            ("string", _) => Type::String,
            ("boolean", _) => Type::Bool,
            ("integer", Some("uint32")) => Type::U32,
            ("integer", Some("int32") | None) => Type::I32,
            ("number", Some("float")) => Type::F32,
            ("number", Some("double") | None) => Type::F64,
            ("any", _) => Type::Any,
            _ => {
                let shown = format.map_or(String::new(), |f| format!(" with format `{f}`"));
                return Err(self.spec_error(
                    &path.join("type"),
                    format!(
                        "expected `string`, `integer`, `number`, `boolean` or `any`, found `{kind}`{shown}"
                    ),
                ));
            }
        })
    }

    fn enumeration(
        &self,
        rust_name: &str,
        description: &str,
        values: &[String],
        descriptions: Option<&[String]>,
        deprecated: Option<&[bool]>,
        path: &JsonPath,
    ) -> Result<Enum, Error> {
        if let Some(descriptions) = descriptions {
            if descriptions.len() != values.len() {
                return Err(self.spec_error(
                    &path.join("enumDescriptions"),
                    format!(
                        "expected one description per value ({}), found {}",
                        values.len(),
                        descriptions.len()
                    ),
                ));
            }
        }
        if let Some(deprecated) = deprecated {
            if deprecated.len() != values.len() {
                return Err(self.spec_error(
                    &path.join("enumDeprecated"),
                    format!(
                        "expected one flag per value ({}), found {}",
                        values.len(),
                        deprecated.len()
                    ),
                ));
            }
        }
        build_enum(rust_name, description, values, descriptions, deprecated)
            .map_err(|e| self.naming_error(e, &path.join("enum")))
    }
}

/// An open enum of `values` (in order, repeats kept once), with a variant
/// name for each from `naming`; `descriptions` and `deprecated` run
/// parallel to `values` when given.
pub(crate) fn build_enum(
    rust_name: &str,
    description: &str,
    values: &[String],
    descriptions: Option<&[String]>,
    deprecated: Option<&[bool]>,
) -> Result<Enum, NamingError> {
    // A value with no letter or digit (`""`, `*`) still needs a variant:
    // it is named after its position.
    let spoken: Vec<(&str, String)> = values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let name = match crate::naming::bare(value, Case::UpperCamel) {
                Some(_) => value.clone(),
                None if value.is_empty() => "empty".to_owned(),
                None => format!("value {i}"),
            };
            (value.as_str(), name)
        })
        .collect();
    let names = Namespace::new(Case::UpperCamel, format!("value of enum {rust_name}"))
        .reserve(UNKNOWN_VARIANT)
        .assign_keyed(spoken.iter().map(|(value, name)| (*value, name.as_str())))?;
    let mut seen = std::collections::BTreeSet::new();
    let mut variants = Vec::new();
    for (i, value) in values.iter().enumerate() {
        if !seen.insert(value) {
            continue; // A repeated value is one variant.
        }
        variants.push(Variant {
            wire_name: value.clone(),
            rust_name: names[value.as_str()].clone(),
            description: descriptions
                .and_then(|d| d.get(i))
                .cloned()
                .unwrap_or_default(),
            deprecated: deprecated.and_then(|d| d.get(i)).copied().unwrap_or(false),
        });
    }
    Ok(Enum {
        rust_name: rust_name.to_owned(),
        description: description.to_owned(),
        variants,
    })
}

/// The `Scope` variant of each scope URL: the URL without Google's prefix
/// and the API's name (`dataportability.myactivity.youtube` →
/// `MyactivityYoutube`), collisions numbered.
pub(crate) fn scope_variants<'u>(
    api_name: &str,
    urls: impl IntoIterator<Item = &'u String>,
) -> Result<BTreeMap<&'u String, String>, NamingError> {
    let api_prefix = format!("{api_name}.");
    let shortened: Vec<(&String, String)> = urls
        .into_iter()
        .map(|url| {
            let rest = url.strip_prefix(SCOPE_URL_PREFIX).unwrap_or(url);
            (
                url,
                rest.strip_prefix(api_prefix.as_str())
                    .unwrap_or(rest)
                    .to_owned(),
            )
        })
        .collect();
    Namespace::new(Case::UpperCamel, "OAuth scope")
        .assign_keyed(shortened.iter().map(|(url, s)| (*url, s.as_str())))
}

pub(crate) fn reserve_all(mut namespace: Namespace, names: &[&str]) -> Namespace {
    for name in names {
        namespace = namespace.reserve(name);
    }
    namespace
}

/// Where an enum declared by a parameter is emitted.
#[derive(Clone, Copy)]
struct EnumSite<'a> {
    /// Module path under the crate root; empty for the method's own module.
    module: &'a str,
    type_name: &'a str,
}

#[cfg(test)]
mod tests {
    use super::CLIENT_METHODS;

    /// Every method of the runtime's `Client`, read from its source: a
    /// top-level API method or resource accessor of the same name would
    /// clash with it, so each must be reserved.
    #[test]
    fn every_client_method_of_the_runtime_is_reserved() {
        let sources = [
            include_str!("../../runtime/src/client.rs"),
            include_str!("../../runtime/src/media.rs"),
        ];
        let mut found = Vec::new();
        for source in sources {
            let file = syn::parse_file(source).unwrap();
            for item in file.items {
                let syn::Item::Impl(block) = item else {
                    continue;
                };
                let syn::Type::Path(path) = &*block.self_ty else {
                    continue;
                };
                if block.trait_.is_some() || !path.path.is_ident("Client") {
                    continue;
                }
                for member in block.items {
                    if let syn::ImplItem::Fn(function) = member {
                        found.push(function.sig.ident.to_string());
                    }
                }
            }
        }
        assert!(found.len() > 5, "the runtime's Client methods were found");
        for name in found {
            assert!(
                CLIENT_METHODS.contains(&name.as_str()),
                "`{name}` is not reserved"
            );
        }
    }
}
