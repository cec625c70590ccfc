//! Lowering of resources and methods: accessors, call builders, positional
//! arguments, path bindings, bodies, scopes, paging and media.
//!
//! The document root is lowered like a resource: its methods become
//! methods of the `Client` itself, its resources the client's accessors.

use super::schemas::SchemaIndex;
use super::{CRATE_NAMES, EnumSite, Lowering, PRELUDE_TYPES, reserve_all};
use crate::discovery;
use crate::error::{Error, JsonPath};
use crate::ir::{
    Body, Download, HttpMethod, Location, Method, Paging, Parameter, Resource, Type, Upload,
};
use crate::naming::{Case, Namespace};
use crate::path_template::PathTemplate;
use std::collections::BTreeMap;

/// Names generated code gives the fields of every call builder.
pub(crate) const BUILDER_FIELDS: &[&str] = &["client", "request", "standard", "options"];

/// Names generated code gives the methods of every call builder.
pub(crate) const BUILDER_METHODS: &[&str] = &[
    "send",
    "into_future",
    "into_request",
    "dry_run",
    "clone",
    "pages",
    "items",
    "poller",
    "download",
    "upload",
    "upload_resumable",
    "SCOPES",
    "MAX_UPLOAD_BYTES",
    // Setters of OpenAPI calls: an optional body, a body's media type.
    "body",
    "content_type",
    "retry_policy",
    "idempotent",
    "attempt_timeout",
    "total_timeout",
];

/// What every method needs from the rest of the document.
pub(super) struct MethodContext<'a> {
    pub scope_variants: &'a BTreeMap<&'a str, &'a str>,
    pub schemas: &'a SchemaIndex,
    pub standard_names: &'a [&'a str],
}

/// The members of a resource (or of the document root), keyed so that a
/// method and a sub-resource with one spec name get distinct identifiers.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Member<'n> {
    Method(&'n str),
    Child(&'n str),
    /// An enum declared by a method's parameter: (method, parameter).
    ParamEnum(&'n str, &'n str),
}

/// A resource's methods and sub-resources, lowered.
pub(super) struct Group {
    pub methods: Vec<Method>,
    pub resources: Vec<Resource>,
}

impl Lowering<'_> {
    /// The methods and sub-resources of one resource, or of the root.
    ///
    /// `reserved_members` are taken on the type the members are methods of
    /// (the resource type, or `Client`); `reserved_types` in the module that
    /// holds the call builders.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn group(
        &self,
        label: &str,
        methods: &BTreeMap<String, discovery::Method>,
        resources: &BTreeMap<String, discovery::Resource>,
        path: &JsonPath,
        reserved_members: &[&str],
        reserved_types: &[&str],
        context: &MethodContext<'_>,
    ) -> Result<Group, Error> {
        let mut members: Vec<(Member<'_>, String)> = Vec::new();
        members.extend(methods.keys().map(|m| (Member::Method(m), m.clone())));
        members.extend(resources.keys().map(|r| (Member::Child(r), r.clone())));
        // Members that are resources name modules too.
        let functions = reserve_all(
            reserve_all(
                Namespace::new(Case::Snake, format!("member of {label}")),
                reserved_members,
            ),
            CRATE_NAMES,
        )
        .assign_keyed(members.iter().map(|(k, name)| (k.clone(), name.as_str())))
        .map_err(|e| self.naming_error(e, path))?;
        // Call builders, parameter enums and sub-resource types share the module.
        for (method_name, method) in methods {
            for (param_name, param) in &method.parameters {
                if param.enum_values.is_some() {
                    members.push((
                        Member::ParamEnum(method_name, param_name),
                        format!("{method_name} {param_name}"),
                    ));
                }
            }
        }
        let types = reserve_all(
            reserve_all(
                Namespace::new(Case::UpperCamel, format!("type in {label}")),
                PRELUDE_TYPES,
            ),
            reserved_types,
        )
        .assign_keyed(members.iter().map(|(k, name)| (k.clone(), name.as_str())))
        .map_err(|e| self.naming_error(e, path))?;

        let mut lowered_methods = Vec::new();
        for (method_name, method) in methods {
            let param_enums: BTreeMap<&str, &str> = method
                .parameters
                .keys()
                .filter_map(|p| {
                    types
                        .get(&Member::ParamEnum(method_name, p))
                        .map(|t| (p.as_str(), t.as_str()))
                })
                .collect();
            lowered_methods.push(self.method(
                &functions[&Member::Method(method_name)],
                &types[&Member::Method(method_name)],
                &param_enums,
                method,
                &path.join("methods").join(method_name.as_str()),
                context,
            )?);
        }
        let mut lowered_resources = Vec::new();
        for (child_name, child) in resources {
            let key = Member::Child(child_name);
            let accessor = &functions[&key];
            let type_name = &types[&key];
            let child_path = path.join("resources").join(child_name.as_str());
            // `new` is the resource type's constructor; the type itself
            // shares its module with the call builders.
            let group = self.group(
                &format!("resource {child_name}"),
                &child.methods,
                &child.resources,
                &child_path,
                &["new"],
                &[type_name.as_str()],
                context,
            )?;
            // A resource with no method at any depth offers nothing to
            // call: no accessor, no type (whose client would never be read).
            if group.methods.is_empty() && group.resources.is_empty() {
                continue;
            }
            lowered_resources.push(Resource {
                name: child_name.clone(),
                // Accessors are distinct among siblings, so they name the modules too.
                module: accessor.clone(),
                accessor: accessor.clone(),
                type_name: type_name.clone(),
                methods: group.methods,
                resources: group.resources,
            });
        }
        Ok(Group {
            methods: lowered_methods,
            resources: lowered_resources,
        })
    }

    fn method(
        &self,
        fn_name: &str,
        builder: &str,
        param_enums: &BTreeMap<&str, &str>,
        method: &discovery::Method,
        path: &JsonPath,
        context: &MethodContext<'_>,
    ) -> Result<Method, Error> {
        let http_method = match method.http_method.as_str() {
            "GET" => HttpMethod::Get,
            "POST" => HttpMethod::Post,
            "PUT" => HttpMethod::Put,
            "PATCH" => HttpMethod::Patch,
            "DELETE" => HttpMethod::Delete,
            other => {
                return Err(self.spec_error(
                    &path.join("httpMethod"),
                    format!("expected GET, POST, PUT, PATCH or DELETE, found `{other}`"),
                ));
            }
        };
        let pattern_of = |name: &str| method.parameters.get(name).and_then(|p| p.pattern.clone());
        let mut template = PathTemplate::parse(&method.path)
            .map_err(|e| self.spec_error(&path.join("path"), e.0))?;
        template
            .resolve_bindings(pattern_of, method.flat_path.as_deref())
            .map_err(|e| self.spec_error(&path.join("path"), e.0))?;

        // Parameter names: the builder's own fields and methods and the
        // standard parameters' setters come first.
        let params_path = path.join("parameters");
        let param_names = reserve_all(
            reserve_all(
                reserve_all(
                    Namespace::new(Case::Snake, format!("parameter of method {}", method.id)),
                    BUILDER_FIELDS,
                ),
                BUILDER_METHODS,
            ),
            context.standard_names,
        )
        .assign(method.parameters.keys().map(String::as_str))
        .map_err(|e| self.naming_error(e, &params_path))?;
        let mut lowered = BTreeMap::new();
        for (name, param) in &method.parameters {
            let site = EnumSite {
                module: "",
                type_name: param_enums.get(name.as_str()).copied().unwrap_or_default(),
            };
            let param_path = params_path.join(name.as_str());
            let p = self.parameter(name, &param_names[name], param, &param_path, site)?;
            if p.location == Location::Path && !param.required.unwrap_or(false) {
                return Err(self.spec_error(
                    &param_path.join("required"),
                    "a path parameter must be required",
                ));
            }
            lowered.insert(name.as_str(), (p, param.required.unwrap_or(false)));
        }
        self.check_path_parameters(&template, &lowered, path)?;
        let upload = self.upload(method, &lowered, path)?;

        // Positional arguments: `parameterOrder` first, then any other
        // required parameter by name.
        let mut args = Vec::new();
        for (i, name) in method.parameter_order.iter().enumerate() {
            match lowered.remove(name.as_str()) {
                Some((p, true)) => args.push(p),
                Some((p, false)) => {
                    lowered.insert(name.as_str(), (p, false));
                }
                None => {
                    return Err(self.spec_error(
                        &path.join("parameterOrder").join(i.to_string()),
                        format!("`{name}` is not a parameter of the method"),
                    ));
                }
            }
        }
        let mut optional = Vec::new();
        for (_, (p, required)) in lowered {
            if required {
                args.push(p);
            } else {
                optional.push(p);
            }
        }
        let request = method
            .request
            .as_ref()
            .map(|schema| {
                let ty = self.body_type(schema, &path.join("request"), context)?;
                let empty = schema
                    .reference
                    .as_ref()
                    .is_some_and(|r| context.schemas.empty.get(r).copied().unwrap_or(false));
                Ok::<_, Error>(Body {
                    ty,
                    empty,
                    media: Vec::new(),
                    required: true,
                })
            })
            .transpose()?;
        let response = method
            .response
            .as_ref()
            .map(|schema| self.body_type(schema, &path.join("response"), context))
            .transpose()?;
        let paging = self.paging(method, &optional, context);
        let mut scopes = Vec::new();
        for (i, url) in method.scopes.iter().enumerate() {
            let variant = context.scope_variants.get(url.as_str()).ok_or_else(|| {
                self.spec_error(
                    &path.join("scopes").join(i.to_string()),
                    format!("scope `{url}` is not declared in `auth.oauth2.scopes`"),
                )
            })?;
            scopes.push((url.as_str(), variant.to_string()));
        }
        scopes.sort();
        scopes.dedup();
        Ok(Method {
            id: method.id.clone(),
            fn_name: fn_name.to_owned(),
            builder: builder.to_owned(),
            description: method.description.clone().unwrap_or_default(),
            http_method,
            path: template,
            args,
            optional,
            request,
            response,
            scopes: scopes.into_iter().map(|(_, v)| v).collect(),
            deprecated: method.deprecated.unwrap_or(false),
            paging,
            security: None,
            response_encoding: crate::ir::BodyEncoding::Json,
            errors: Vec::new(),
            download: method
                .supports_media_download
                .unwrap_or(false)
                .then(|| Download {
                    use_download_service: method.use_media_download_service.unwrap_or(false),
                }),
            upload,
            long_running: None,
        })
    }

    /// Every variable of `template` is a path parameter, and every path
    /// parameter is used.
    fn check_path_parameters(
        &self,
        template: &PathTemplate,
        lowered: &BTreeMap<&str, (Parameter, bool)>,
        path: &JsonPath,
    ) -> Result<(), Error> {
        for variable in template.variables() {
            match lowered.get(variable.name.as_str()) {
                Some((p, _)) if p.location == Location::Path => {}
                _ => {
                    return Err(self.spec_error(
                        &path.join("path"),
                        format!(
                            "`{}` in the path is not a path parameter of the method",
                            variable.name
                        ),
                    ));
                }
            }
        }
        for (name, (p, _)) in lowered {
            if p.location == Location::Path && !template.variables().any(|v| v.name == *name) {
                return Err(self.spec_error(
                    &path.join("parameters").join(*name),
                    "a path parameter that the path template does not use",
                ));
            }
        }
        Ok(())
    }

    /// The type of a request or response body: a named schema, or a map or
    /// free-form object declared in place.
    fn body_type(
        &self,
        schema: &discovery::Schema,
        path: &JsonPath,
        context: &MethodContext<'_>,
    ) -> Result<Type, Error> {
        if let Some(reference) = &schema.reference {
            return context
                .schemas
                .rust_names
                .get(reference)
                .map(|rust| Type::Named(rust.clone()))
                .ok_or_else(|| {
                    self.spec_error(
                        &path.join("$ref"),
                        format!("no schema named `{reference}` in `schemas`"),
                    )
                });
        }
        let ty = self.detached_type(schema, &context.schemas.rust_names, path)?;
        if matches!(ty, Type::I64 | Type::U64)
            || matches!(&ty, Type::Array(t) | Type::Map(t) if matches!(**t, Type::I64 | Type::U64))
        {
            return Err(self.spec_error(
                path,
                "a body that is a 64-bit integer outside an object is not supported yet",
            ));
        }
        Ok(ty)
    }

    /// Paging, when the method has an optional `pageToken` string parameter
    /// and its response a `nextPageToken` string field.
    fn paging(
        &self,
        method: &discovery::Method,
        optional: &[Parameter],
        context: &MethodContext<'_>,
    ) -> Option<Paging> {
        let token = optional
            .iter()
            .find(|p| p.wire_name == "pageToken" && p.ty == Type::String && !p.repeated)?;
        let response = method.response.as_ref()?.reference.as_ref()?;
        let next = context.schemas.next_page_token.get(response)?;
        Some(Paging {
            token_field: token.rust_name.clone(),
            next_token_field: next.clone(),
            items: None,
            candidates: Vec::new(),
        })
    }

    /// The upload protocols of a method that supports media upload.
    fn upload(
        &self,
        method: &discovery::Method,
        lowered: &BTreeMap<&str, (Parameter, bool)>,
        path: &JsonPath,
    ) -> Result<Option<Upload>, Error> {
        if !method.supports_media_upload.unwrap_or(false) {
            return Ok(None);
        }
        let upload_path = path.join("mediaUpload");
        let Some(media) = &method.media_upload else {
            return Err(self.spec_error(
                &upload_path,
                "`supportsMediaUpload` needs a `mediaUpload` object with the upload paths",
            ));
        };
        let protocols_path = upload_path.join("protocols");
        let template = |protocol: &Option<discovery::MediaProtocol>, name: &str| {
            protocol
                .as_ref()
                .map(|p| {
                    let at = protocols_path.join(name).join("path");
                    let mut template =
                        PathTemplate::parse(&p.path).map_err(|e| self.spec_error(&at, e.0))?;
                    template
                        .resolve_bindings(
                            |n| method.parameters.get(n).and_then(|p| p.pattern.clone()),
                            None,
                        )
                        .map_err(|e| self.spec_error(&at, e.0))?;
                    self.check_path_parameters(&template, lowered, &protocols_path.join(name))?;
                    Ok::<_, Error>(template)
                })
                .transpose()
        };
        let simple_path = template(&media.protocols.simple, "simple")?;
        let resumable_path = template(&media.protocols.resumable, "resumable")?;
        if simple_path.is_none() && resumable_path.is_none() {
            return Err(self.spec_error(
                &protocols_path,
                "expected a `simple` or `resumable` upload protocol",
            ));
        }
        let max_size = media
            .max_size
            .as_deref()
            .map(|text| {
                parse_size(text).ok_or_else(|| {
                    self.spec_error(
                        &upload_path.join("maxSize"),
                        format!("expected a size such as `5TB` or `1048576`, found `{text}`"),
                    )
                })
            })
            .transpose()?;
        Ok(Some(Upload {
            simple_path,
            resumable_path,
            accept: media.accept.clone(),
            max_size,
        }))
    }
}

/// A size such as `5TB`, `10MB`, `512KB` or `2097152` (bytes), in bytes;
/// units are powers of 1024, as Google's own clients read them.
fn parse_size(text: &str) -> Option<u64> {
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let number: u64 = number.parse().ok()?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "KB" | "K" => 10,
        "MB" | "M" => 20,
        "GB" | "G" => 30,
        "TB" | "T" => 40,
        _ => return None,
    };
    number.checked_mul(1 << shift)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_use_binary_units() {
        assert_eq!(parse_size("2097152"), Some(2_097_152));
        assert_eq!(parse_size("10MB"), Some(10 << 20));
        assert_eq!(parse_size("5TB"), Some(5 << 40));
        assert_eq!(parse_size("1GB"), Some(1 << 30));
        assert_eq!(parse_size("5 PB"), None);
        assert_eq!(parse_size("MB"), None);
        assert_eq!(parse_size("99999999999TB"), None);
    }
}
