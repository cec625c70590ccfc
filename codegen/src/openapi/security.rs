//! Servers, OAuth scopes and the other security schemes of an OpenAPI
//! document.
//!
//! OAuth 2.0 scopes (of every flow of every `oauth2` scheme, by name)
//! become the `Scope` enum, as Discovery scopes do. An API whose schemes
//! are all OAuth 2.0 or OpenID Connect is called like a Google API: a token
//! provider gives every call its token. Any other scheme (API keys, HTTP
//! bearer and basic) is a typed credential the client holds; then every
//! scheme is listed and each method says which sets of them it accepts.

use super::Lowering;
use crate::error::{Error, JsonPath};
use crate::ir::{Location, Scope, SecurityKind, SecurityScheme, Server, ServerVariable};
use crate::naming::{Case, Namespace};
use std::collections::BTreeMap;

impl Lowering<'_> {
    /// The servers, and the default root URL: the first server with its
    /// variables at their defaults, ending in `/` (relative when the spec's
    /// is: the client then needs an endpoint).
    pub(super) fn servers(&self) -> Result<(Vec<Server>, String), Error> {
        let path = JsonPath::root().join("servers");
        let mut servers = Vec::new();
        for (i, server) in self.document.servers.iter().enumerate() {
            let at = path.join(i.to_string());
            let mut variables = Vec::new();
            for (name, variable) in &server.variables {
                let text = |value: &serde_json::Value| match value {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let default = variable.default.as_ref().map(text).ok_or_else(|| {
                    self.spec_error(
                        &at.join("variables").join(name.as_str()).join("default"),
                        "a server variable needs a `default`",
                    )
                })?;
                variables.push(ServerVariable {
                    name: name.clone(),
                    default,
                    values: variable.values.iter().flatten().map(text).collect(),
                    description: variable.description.clone().unwrap_or_default(),
                });
            }
            // Variables in the order the URL uses them.
            variables.sort_by_key(|v| {
                server
                    .url
                    .find(&format!("{{{}}}", v.name))
                    .unwrap_or(usize::MAX)
            });
            servers.push(Server {
                url: server.url.clone(),
                description: server.description.clone().unwrap_or_default(),
                variables,
            });
        }
        let root = match servers.first() {
            Some(server) => {
                let mut url = server.url.clone();
                for variable in &server.variables {
                    url = url.replace(&format!("{{{}}}", variable.name), &variable.default);
                }
                if url.contains('{') || url.contains('}') {
                    return Err(self.spec_error(
                        &path.join("0").join("url"),
                        format!("`{url}` uses a variable that `variables` does not define"),
                    ));
                }
                // A query or fragment has no place in a base URL (clients drop them).
                let url = url.split(['?', '#']).next().unwrap_or_default().to_owned();
                if url.ends_with('/') {
                    url
                } else {
                    format!("{url}/")
                }
            }
            None => "/".to_owned(),
        };
        Ok((servers, root))
    }

    /// Every OAuth 2.0 scope of the document, sorted by name.
    pub(super) fn scopes(&self, api_name: &str) -> Result<Vec<Scope>, Error> {
        let mut described: BTreeMap<&str, &str> = BTreeMap::new();
        for scheme in self.document.components.security_schemes.values() {
            if scheme.kind != "oauth2" {
                continue;
            }
            for flow in scheme.flows.values() {
                for (scope, description) in &flow.scopes {
                    described
                        .entry(scope.as_str())
                        .or_insert(description.as_str());
                }
            }
        }
        let urls: Vec<String> = described.keys().map(|url| (*url).to_owned()).collect();
        let variants = crate::lower::scope_variants(api_name, &urls).map_err(|e| {
            self.naming_error(
                e,
                &JsonPath::root().join("components").join("securitySchemes"),
            )
        })?;
        Ok(described
            .iter()
            .map(|(url, description)| Scope {
                url: (*url).to_owned(),
                description: (*description).to_owned(),
                variant: variants[&(*url).to_owned()].clone(),
            })
            .collect())
    }

    /// The schemes a client holds credentials for; empty when every scheme
    /// is OAuth 2.0 or OpenID Connect (the token provider serves them).
    /// Schemes the generator cannot send (mutual TLS, HTTP digest, ...) are
    /// left out: methods that need one of them alone are sent without it.
    pub(super) fn security_schemes(&self) -> Result<Vec<SecurityScheme>, Error> {
        let path = JsonPath::root().join("components").join("securitySchemes");
        let schemes = &self.document.components.security_schemes;
        let token_only = schemes
            .values()
            .all(|s| matches!(s.kind.as_str(), "oauth2" | "openIdConnect"));
        if token_only {
            return Ok(Vec::new());
        }
        let fn_names = Namespace::new(Case::Snake, "security scheme")
            .reserve("credential")
            .assign(schemes.keys().map(String::as_str))
            .map_err(|e| self.naming_error(e, &path))?;
        let mut out = Vec::new();
        for (name, scheme) in schemes {
            let at = path.join(name.as_str());
            let kind = match scheme.kind.as_str() {
                "apiKey" => {
                    let location = match scheme.location.as_deref() {
                        Some("header") => Location::Header,
                        Some("query") => Location::Query,
                        Some("cookie") => Location::Cookie,
                        other => {
                            return Err(self.spec_error(
                                &at.join("in"),
                                format!("expected `header`, `query` or `cookie`, found {other:?}"),
                            ));
                        }
                    };
                    let param = scheme.name.clone().filter(|n| !n.is_empty()).ok_or_else(|| {
                        self.spec_error(&at.join("name"), "an `apiKey` scheme needs the `name` of its header, parameter or cookie")
                    })?;
                    if location == Location::Header && !super::operations::is_header_name(&param) {
                        return Err(self.spec_error(
                            &at.join("name"),
                            format!("`{param}` cannot be an HTTP header name"),
                        ));
                    }
                    SecurityKind::ApiKey {
                        location,
                        name: param,
                    }
                }
                "http" => match scheme
                    .scheme
                    .as_deref()
                    .map(str::to_ascii_lowercase)
                    .as_deref()
                {
                    Some("bearer") => SecurityKind::Bearer {
                        token_provider: false,
                    },
                    Some("basic") => SecurityKind::Basic,
                    _ => continue,
                },
                "oauth2" | "openIdConnect" => SecurityKind::Bearer {
                    token_provider: true,
                },
                _ => continue,
            };
            out.push(SecurityScheme {
                name: name.clone(),
                fn_name: fn_names[name].clone(),
                description: scheme.description.clone().unwrap_or_default(),
                kind,
            });
        }
        Ok(out)
    }
}
