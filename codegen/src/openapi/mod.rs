//! The OpenAPI 3.0/3.1 front end: a document (JSON or YAML, possibly
//! spread over several files) becomes the same IR a Discovery document
//! does, so every emitter and every feature of the generated crates works
//! alike for both.
//!
//! Pipeline: `refs` resolves every `$ref` but those naming component
//! schemas; `model` reads the result into typed objects (type errors name
//! their JSON path); `schemas` and `operations` lower them; `security`
//! turns security schemes and servers into scopes, credentials and the
//! default endpoint.

pub mod model;
mod operations;
pub mod refs;
mod schemas;
mod security;

use crate::error::{Error, JsonPath};
use crate::ir::{Api, Int64Encoding};
use crate::naming::NamingError;
use model::Document;
use serde_json::Value;

/// Lowers the OpenAPI document `value` (read from `file`; `reader` reads
/// the files its references name).
pub fn lower(file: &str, value: Value, reader: &dyn refs::SpecReader) -> Result<Api, Error> {
    let bundled = refs::bundle(file, value, reader)?;
    let document: Document = serde_path_to_error::deserialize(bundled).map_err(|err| {
        let path = err.path().to_string();
        Error::Parse {
            file: file.to_owned(),
            path,
            message: err.into_inner().to_string(),
        }
    })?;
    Lowering {
        file,
        document: &document,
        nesting: crate::lower::limits::Nesting::default(),
    }
    .api()
}

/// What names a crate before it is generated: the API's name, version and
/// default root URL, read without lowering the document.
#[derive(Debug)]
pub struct Identity {
    /// As `Api::name`.
    pub name: String,
    /// As `Api::version`.
    pub version: String,
    /// As `Api::root_url` (relative when the spec's server is).
    pub root_url: String,
}

/// The identity of the OpenAPI document `value`, as lowering would give it.
pub fn identity(value: &Value) -> Identity {
    let text = |pointer: &str| {
        value
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let name = api_name(&text("/info/x-serviceName"), &text("/info/title"));
    let mut root_url = text("/servers/0/url");
    if let Some(Value::Object(variables)) = value.pointer("/servers/0/variables") {
        for (variable, spec) in variables {
            let default = match spec.get("default") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => continue,
            };
            root_url = root_url.replace(&format!("{{{variable}}}"), &default);
        }
    }
    let mut root_url = root_url
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_owned();
    if !root_url.ends_with('/') {
        root_url.push('/');
    }
    Identity {
        name: if name.is_empty() {
            "api".to_owned()
        } else {
            name
        },
        version: text("/info/version"),
        root_url,
    }
}

struct Lowering<'a> {
    file: &'a str,
    document: &'a Document,
    /// How deep the value being lowered is (see
    /// [`crate::lower::limits::MAX_NESTING`]).
    nesting: crate::lower::limits::Nesting,
}

impl Lowering<'_> {
    /// One more level of lists, maps and inline objects at `path`, for as
    /// long as the level lives; an error past the limit.
    fn enter(&self, path: &JsonPath) -> Result<crate::lower::limits::Level<'_>, Error> {
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

    fn enumeration(
        &self,
        rust_name: &str,
        description: &str,
        values: &[String],
        path: &JsonPath,
    ) -> Result<crate::ir::Enum, Error> {
        crate::lower::build_enum(rust_name, description, values, None, None)
            .map_err(|e| self.naming_error(e, path))
    }

    fn api(&self) -> Result<Api, Error> {
        let doc = self.document;
        let info = &doc.info;
        let name = api_name(
            info.service_name.as_deref().unwrap_or_default(),
            &info.title,
        );
        let (servers, root_url) = self.servers()?;
        let scopes = self.scopes(&name)?;
        let security_schemes = self.security_schemes()?;
        let lowered = self.operations(&name, &scopes, &security_schemes)?;
        let mut api = Api {
            name,
            version: info.version.clone(),
            title: if info.title.trim().is_empty() {
                "API".to_owned()
            } else {
                info.title.clone()
            },
            description: info.description.clone().unwrap_or_default(),
            revision: String::new(),
            documentation_link: doc
                .external_docs
                .as_ref()
                .map(|d| d.url.clone())
                .filter(|url| !url.is_empty()),
            root_url,
            service_path: String::new(),
            scopes,
            standard_params: lowered.standard_params,
            schemas: lowered.schemas,
            resources: lowered.resources,
            methods: lowered.methods,
            resource_names: Vec::new(),
            servers,
            security_schemes,
            int64_encoding: Int64Encoding::Number,
            operation_pollers: Vec::new(),
        };
        crate::lower::names::assign(&mut api);
        crate::lower::conventions::apply(&mut api);
        Ok(api)
    }
}

/// The API's name: Google's `x-serviceName`, else its title as a slug,
/// else `api`.
fn api_name(service_name: &str, title: &str) -> String {
    let name = if service_name.trim().is_empty() {
        slug(title)
    } else {
        service_name.to_owned()
    };
    if name.is_empty() {
        "api".to_owned()
    } else {
        name
    }
}

/// A name for code from a title: lower-case words joined by `-`.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn titles_become_slugs() {
        assert_eq!(
            super::slug("Swagger Petstore - OpenAPI 3.0"),
            "swagger-petstore-openapi-3-0"
        );
        assert_eq!(super::slug("  "), "");
    }
}
