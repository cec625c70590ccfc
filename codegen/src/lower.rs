//! Lowering: a parsed Discovery document becomes the IR.
//!
//! This is where the document's meaning is decided: which parameters the
//! caller sets, which Rust type every JSON value gets, how each path is
//! bound, and every identifier (through `naming`). Anything the generator
//! cannot express is an error naming the JSON path of the value at fault.

use crate::discovery::{self, Document};
use crate::error::{Error, JsonPath};
use crate::ir::{
    Api, Body, Enum, EnumRef, Field, HttpMethod, Location, Method, Parameter, Resource, Schema,
    SchemaKind, Scope, Type, Variant,
};
use crate::naming::{Case, Namespace, NamingError};
use crate::path_template::PathTemplate;
use heck::ToSnakeCase;
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
const SCOPE_URL_PREFIX: &str = "https://www.googleapis.com/auth/";

/// Names generated code gives the fields of every call builder.
const BUILDER_FIELDS: &[&str] = &["client", "request", "standard"];

/// Names generated code gives the methods of every call builder.
const BUILDER_METHODS: &[&str] = &["send", "into_future", "into_request", "SCOPES"];

/// Inherent methods of the runtime's `Client`, which resource accessors must not shadow.
/// `mod` is reserved too: a top-level resource's module is a file under
/// `src/resources/`, where `mod.rs` is taken.
const CLIENT_METHODS: &[&str] = &["builder", "endpoint", "execute", "send_raw", "mod"];

/// Names of the prelude and of `std` types that emitted code writes
/// unqualified (`Option<T>`, `String`, `Vec<T>`, `Default::default()`): a
/// schema or call type with one of these names would shadow them.
const PRELUDE_TYPES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Default", "Into",
    "From", "Self",
];

/// Variant name of the catch-all that keeps unknown enum values.
pub const UNKNOWN_VARIANT: &str = "UnknownValue";

/// Parses `json` and lowers it. `file` names the spec in errors.
pub fn lower(file: &str, json: &str) -> Result<Api, Error> {
    let document = parse(file, json)?;
    Lowering {
        file,
        document: &document,
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
}

/// Everything lowering needs to know about the schemas while it walks methods.
struct SchemaIndex {
    rust_names: BTreeMap<String, String>,
    empty: BTreeMap<String, bool>,
}

impl Lowering<'_> {
    fn spec_error(&self, path: &JsonPath, message: impl Into<String>) -> Error {
        Error::Spec {
            file: self.file.to_owned(),
            path: path.to_string(),
            message: message.into(),
        }
    }

    fn naming_error(&self, source: NamingError) -> Error {
        Error::Naming {
            file: self.file.to_owned(),
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
        let (schemas, index) = self.schemas()?;
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
        if !doc.methods.is_empty() {
            return Err(self.spec_error(
                &JsonPath::root().join("methods"),
                "methods outside any resource are not supported yet",
            ));
        }
        let resources = self.resources(
            &doc.resources,
            &JsonPath::root().join("resources"),
            CLIENT_METHODS,
            &context,
        )?;
        Ok(Api {
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
            resources,
        })
    }

    fn scopes(&self) -> Result<Vec<Scope>, Error> {
        let Some(oauth2) = self.document.auth.as_ref().and_then(|a| a.oauth2.as_ref()) else {
            return Ok(Vec::new());
        };
        let api_prefix = format!("{}.", self.document.name);
        let short = |url: &str| -> String {
            let rest = url.strip_prefix(SCOPE_URL_PREFIX).unwrap_or(url);
            rest.strip_prefix(api_prefix.as_str())
                .unwrap_or(rest)
                .to_owned()
        };
        let shortened: Vec<(&String, String)> =
            oauth2.scopes.keys().map(|url| (url, short(url))).collect();
        let variants = Namespace::new(Case::UpperCamel, "OAuth scope")
            .assign_keyed(shortened.iter().map(|(url, s)| (*url, s.as_str())))
            .map_err(|e| self.naming_error(e))?;
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
        let names = Namespace::new(Case::Snake, "standard parameter")
            .reserve("client")
            .assign(kept.iter().map(|(name, _)| name.as_str()))
            .map_err(|e| self.naming_error(e))?;
        let types = reserve_all(
            Namespace::new(Case::UpperCamel, "standard parameter enum"),
            PRELUDE_TYPES,
        )
        .assign(kept.iter().map(|(name, _)| name.as_str()))
        .map_err(|e| self.naming_error(e))?;
        kept.into_iter()
            .map(|(name, param)| {
                let enum_site = EnumSite {
                    module: "params",
                    type_name: &types[name],
                };
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
                    path,
                )?)),
            }),
            None => self.scalar(&param.kind, param.format.as_deref(), path)?,
        };
        Ok(Parameter {
            wire_name: wire_name.to_owned(),
            rust_name: rust_name.to_owned(),
            description: param.description.clone().unwrap_or_default(),
            location,
            ty,
            repeated: param.repeated.unwrap_or(false),
            default: param.default.clone(),
            deprecated: param.deprecated.unwrap_or(false),
        })
    }

    /// The Rust type of a JSON scalar.
    fn scalar(&self, kind: &str, format: Option<&str>, path: &JsonPath) -> Result<Type, Error> {
        Ok(match (kind, format) {
            ("string", Some("int64")) => Type::I64,
            ("string", Some("uint64")) => Type::U64,
            ("string", Some("google-datetime" | "date-time")) => Type::Timestamp,
            // `byte`, `date`, `google-duration`, `google-fieldmask` and any
            // newer format stay strings: still correct on the wire.
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
        let names = Namespace::new(Case::UpperCamel, format!("value of enum {rust_name}"))
            .reserve(UNKNOWN_VARIANT)
            .assign(values.iter().map(String::as_str))
            .map_err(|e| self.naming_error(e))?;
        let mut seen = std::collections::BTreeSet::new();
        let mut variants = Vec::new();
        for (i, value) in values.iter().enumerate() {
            if !seen.insert(value) {
                continue; // A repeated value is one variant.
            }
            variants.push(Variant {
                wire_name: value.clone(),
                rust_name: names[value].clone(),
                description: descriptions
                    .and_then(|d| d.get(i))
                    .cloned()
                    .unwrap_or_default(),
            });
        }
        Ok(Enum {
            rust_name: rust_name.to_owned(),
            description: description.to_owned(),
            variants,
        })
    }

    fn schemas(&self) -> Result<(Vec<Schema>, SchemaIndex), Error> {
        let doc = self.document;
        let names = reserve_all(Namespace::new(Case::UpperCamel, "schema"), PRELUDE_TYPES)
            .assign(doc.schemas.keys().map(String::as_str))
            .map_err(|e| self.naming_error(e))?;
        let modules = Namespace::new(Case::Snake, "schema module")
            .assign(doc.schemas.keys().map(String::as_str))
            .map_err(|e| self.naming_error(e))?;
        let mut schemas = Vec::new();
        let mut empty = BTreeMap::new();
        for (name, schema) in &doc.schemas {
            let path = JsonPath::root().join("schemas").join(name.as_str());
            let lowered = self.schema(name, &names[name], &modules[name], schema, &names, &path)?;
            empty.insert(
                name.clone(),
                matches!(&lowered.kind, SchemaKind::Struct { fields, .. } if fields.is_empty()),
            );
            schemas.push(lowered);
        }
        Ok((
            schemas,
            SchemaIndex {
                rust_names: names,
                empty,
            },
        ))
    }

    fn schema(
        &self,
        name: &str,
        rust_name: &str,
        module: &str,
        schema: &discovery::Schema,
        names: &BTreeMap<String, String>,
        path: &JsonPath,
    ) -> Result<Schema, Error> {
        if schema.additional_properties.is_some() && !schema.properties.is_empty() {
            return Err(self.spec_error(
                path,
                "an object with both `properties` and `additionalProperties` is not supported yet",
            ));
        }
        let is_struct =
            schema.kind.as_deref() == Some("object") && schema.additional_properties.is_none();
        let kind = if is_struct {
            let field_names = Namespace::new(Case::Snake, format!("field of schema {name}"))
                .assign(schema.properties.keys().map(String::as_str))
                .map_err(|e| self.naming_error(e))?;
            let enum_names = reserve_all(
                Namespace::new(Case::UpperCamel, format!("enum in schema {name}")),
                PRELUDE_TYPES,
            )
            .assign(
                schema
                    .properties
                    .iter()
                    .filter(|(_, p)| enum_of_field(p).is_some())
                    .map(|(k, _)| k.as_str()),
            )
            .map_err(|e| self.naming_error(e))?;
            let mut fields = Vec::new();
            let mut enums = Vec::new();
            for (wire_name, property) in &schema.properties {
                let field_path = path.join("properties").join(wire_name.as_str());
                let ty = match enum_of_field(property) {
                    Some((values_schema, in_list)) => {
                        let type_name = &enum_names[wire_name];
                        let values_path = if in_list {
                            field_path.join("items")
                        } else {
                            field_path.clone()
                        };
                        enums.push(self.enumeration(
                            type_name,
                            property.description.as_deref().unwrap_or_default(),
                            values_schema.enum_values.as_deref().unwrap_or_default(),
                            values_schema.enum_descriptions.as_deref(),
                            &values_path,
                        )?);
                        let ty = Type::Enum(EnumRef {
                            module: format!("models::{module}"),
                            name: type_name.clone(),
                            definition: None,
                        });
                        if in_list {
                            Type::Array(Box::new(ty))
                        } else {
                            ty
                        }
                    }
                    None => self.schema_type(property, names, &field_path)?,
                };
                let int64_encodable = match &ty {
                    Type::Array(inner) | Type::Map(inner) => {
                        !contains_int64(inner) || matches!(**inner, Type::I64 | Type::U64)
                    }
                    _ => true,
                };
                if !int64_encodable {
                    return Err(self.spec_error(
                        &field_path,
                        "64-bit integers nested deeper than one list or map are not supported yet",
                    ));
                }
                // Google's servers accept snake_case names on input too.
                let snake = wire_name.to_snake_case();
                let alias = (snake != *wire_name && !schema.properties.contains_key(&snake))
                    .then_some(snake);
                fields.push(Field {
                    wire_name: wire_name.clone(),
                    rust_name: field_names[wire_name].clone(),
                    alias,
                    description: property.description.clone().unwrap_or_default(),
                    ty,
                    read_only: property.read_only.unwrap_or(false),
                    deprecated: property.deprecated.unwrap_or(false),
                });
            }
            SchemaKind::Struct { fields, enums }
        } else {
            let ty = self.schema_type(schema, names, path)?;
            if contains_int64(&ty) {
                return Err(self.spec_error(
                    path,
                    "a named schema that is (or holds) a 64-bit integer outside an object is not supported yet",
                ));
            }
            SchemaKind::Alias(ty)
        };
        Ok(Schema {
            name: name.to_owned(),
            rust_name: rust_name.to_owned(),
            module: module.to_owned(),
            description: schema.description.clone().unwrap_or_default(),
            kind,
        })
    }

    /// The Rust type of a field, array element or map value.
    fn schema_type(
        &self,
        schema: &discovery::Schema,
        names: &BTreeMap<String, String>,
        path: &JsonPath,
    ) -> Result<Type, Error> {
        if let Some(reference) = &schema.reference {
            return names
                .get(reference)
                .map(|rust_name| Type::Named(rust_name.clone()))
                .ok_or_else(|| {
                    self.spec_error(
                        &path.join("$ref"),
                        format!("no schema named `{reference}` in `schemas`"),
                    )
                });
        }
        let kind = schema
            .kind
            .as_deref()
            .ok_or_else(|| self.spec_error(path, "expected a `type` or a `$ref`"))?;
        match kind {
            "array" => {
                let items = schema.items.as_deref().ok_or_else(|| {
                    self.spec_error(&path.join("items"), "an array needs an `items` schema")
                })?;
                Ok(Type::Array(Box::new(self.schema_type(
                    items,
                    names,
                    &path.join("items"),
                )?)))
            }
            "object" => match &schema.additional_properties {
                Some(values) => Ok(Type::Map(Box::new(self.schema_type(
                    values,
                    names,
                    &path.join("additionalProperties"),
                )?))),
                None if schema.properties.is_empty() => Ok(Type::Any),
                None => Err(self.spec_error(
                    &path.join("properties"),
                    "objects declared inline (not as a named schema) are not supported yet",
                )),
            },
            "string" if schema.enum_values.is_some() => Err(self.spec_error(
                &path.join("enum"),
                "enums are only supported on fields of named schemas and on parameters",
            )),
            _ => self.scalar(kind, schema.format.as_deref(), path),
        }
    }

    fn resources(
        &self,
        resources: &BTreeMap<String, discovery::Resource>,
        path: &JsonPath,
        reserved_accessors: &[&str],
        context: &MethodContext<'_>,
    ) -> Result<Vec<Resource>, Error> {
        let mut accessors = Namespace::new(Case::Snake, format!("resource accessor at {path}"));
        for name in reserved_accessors {
            accessors = accessors.reserve(name);
        }
        let accessor_names = accessors
            .assign(resources.keys().map(String::as_str))
            .map_err(|e| self.naming_error(e))?;
        let type_names = reserve_all(
            Namespace::new(Case::UpperCamel, format!("resource type at {path}")),
            PRELUDE_TYPES,
        )
        .assign(resources.keys().map(String::as_str))
        .map_err(|e| self.naming_error(e))?;
        resources
            .iter()
            .map(|(name, resource)| {
                self.resource(
                    name,
                    &accessor_names[name],
                    &type_names[name],
                    resource,
                    &path.join(name.as_str()),
                    context,
                )
            })
            .collect()
    }

    fn resource(
        &self,
        name: &str,
        accessor: &str,
        type_name: &str,
        resource: &discovery::Resource,
        path: &JsonPath,
        context: &MethodContext<'_>,
    ) -> Result<Resource, Error> {
        // The resource's methods and its children's accessors share one
        // namespace: both are methods of the resource type.
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
        enum Member<'n> {
            Method(&'n str),
            Child(&'n str),
        }
        let items: Vec<(Member<'_>, &str)> = resource
            .methods
            .keys()
            .map(|m| (Member::Method(m), m.as_str()))
            .chain(
                resource
                    .resources
                    .keys()
                    .map(|r| (Member::Child(r), r.as_str())),
            )
            .collect();
        // `new` is the resource type's constructor.
        let members = Namespace::new(Case::Snake, format!("member of resource {name}"))
            .reserve("new")
            .assign_keyed(items.iter().cloned())
            .map_err(|e| self.naming_error(e))?;
        // Call builders and child resource types share the resource's module.
        let types = reserve_all(
            Namespace::new(Case::UpperCamel, format!("type in resource {name}")),
            PRELUDE_TYPES,
        )
        .reserve(type_name)
        .assign_keyed(items.iter().cloned())
        .map_err(|e| self.naming_error(e))?;
        let methods = resource
            .methods
            .iter()
            .map(|(method_name, method)| {
                self.method(
                    &members[&Member::Method(method_name)],
                    &types[&Member::Method(method_name)],
                    method,
                    &path.join("methods").join(method_name.as_str()),
                    context,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let children_path = path.join("resources");
        let resources = resource
            .resources
            .iter()
            .map(|(child_name, child)| {
                let key = Member::Child(child_name);
                self.resource(
                    child_name,
                    &members[&key],
                    &types[&key],
                    child,
                    &children_path.join(child_name.as_str()),
                    context,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Resource {
            name: name.to_owned(),
            // Accessors are distinct among siblings, so they name the modules too.
            module: accessor.to_owned(),
            accessor: accessor.to_owned(),
            type_name: type_name.to_owned(),
            methods,
            resources,
        })
    }

    fn method(
        &self,
        fn_name: &str,
        builder: &str,
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
        let mut template = PathTemplate::parse(&method.path)
            .map_err(|e| self.spec_error(&path.join("path"), e.0))?;
        template
            .resolve_bindings(
                |name| method.parameters.get(name).and_then(|p| p.pattern.clone()),
                method.flat_path.as_deref(),
            )
            .map_err(|e| self.spec_error(&path.join("path"), e.0))?;

        // Parameter names: the builder's own fields and methods and the
        // standard parameters' setters come first.
        let mut names = Namespace::new(Case::Snake, format!("parameter of method {}", method.id));
        for reserved in BUILDER_FIELDS
            .iter()
            .chain(BUILDER_METHODS)
            .chain(context.standard_names)
        {
            names = names.reserve(reserved);
        }
        let param_names = names
            .assign(method.parameters.keys().map(String::as_str))
            .map_err(|e| self.naming_error(e))?;
        let enum_names = Namespace::new(
            Case::UpperCamel,
            format!("parameter enum of method {}", method.id),
        )
        .reserve(builder)
        .assign(method.parameters.keys().map(|p| p.as_str()))
        .map_err(|e| self.naming_error(e))?;
        let params_path = path.join("parameters");
        let mut lowered = BTreeMap::new();
        for (name, param) in &method.parameters {
            let enum_type = format!("{builder}{}", enum_names[name]);
            let site = EnumSite {
                module: "",
                type_name: &enum_type,
            };
            let param_path = params_path.join(name.as_str());
            let p = self.parameter(name, &param_names[name], param, &param_path, site)?;
            if p.location == Location::Path && !param.required.unwrap_or(false) {
                return Err(self.spec_error(
                    &param_path.join("required"),
                    "a path parameter must be required",
                ));
            }
            if p.location == Location::Path && (p.repeated || matches!(p.ty, Type::Enum(_))) {
                return Err(self.spec_error(
                    &param_path,
                    "repeated or enum path parameters are not supported yet",
                ));
            }
            lowered.insert(name.as_str(), (p, param.required.unwrap_or(false)));
        }
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
        for (name, (p, _)) in &lowered {
            if p.location == Location::Path && !template.variables().any(|v| v.name == *name) {
                return Err(self.spec_error(
                    &params_path.join(*name),
                    "a path parameter that the path template does not use",
                ));
            }
        }
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
            .map(|r| {
                let rust = context
                    .schemas
                    .rust_names
                    .get(&r.reference)
                    .ok_or_else(|| {
                        self.spec_error(
                            &path.join("request").join("$ref"),
                            format!("no schema named `{}` in `schemas`", r.reference),
                        )
                    })?;
                Ok::<_, Error>(Body {
                    type_name: rust.clone(),
                    empty: context.schemas.empty[&r.reference],
                })
            })
            .transpose()?;
        let response = method
            .response
            .as_ref()
            .map(|r| {
                context
                    .schemas
                    .rust_names
                    .get(&r.reference)
                    .cloned()
                    .ok_or_else(|| {
                        self.spec_error(
                            &path.join("response").join("$ref"),
                            format!("no schema named `{}` in `schemas`", r.reference),
                        )
                    })
            })
            .transpose()?;
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
        })
    }
}

/// The schema holding a field's enum values, and whether the field is a
/// list of them (`{"type": "array", "items": {"type": "string", "enum": ...}}`).
fn enum_of_field(property: &discovery::Schema) -> Option<(&discovery::Schema, bool)> {
    let is_string_enum =
        |s: &discovery::Schema| s.kind.as_deref() == Some("string") && s.enum_values.is_some();
    if is_string_enum(property) {
        return Some((property, false));
    }
    match (&property.kind, &property.items) {
        (Some(kind), Some(items)) if kind == "array" && is_string_enum(items) => {
            Some((items, true))
        }
        _ => None,
    }
}

fn reserve_all(mut namespace: Namespace, names: &[&str]) -> Namespace {
    for name in names {
        namespace = namespace.reserve(name);
    }
    namespace
}

/// Whether `ty` has a 64-bit integer (sent as a string) anywhere inside.
fn contains_int64(ty: &Type) -> bool {
    match ty {
        Type::I64 | Type::U64 => true,
        Type::Array(inner) | Type::Map(inner) => contains_int64(inner),
        _ => false,
    }
}

/// Where an enum declared by a parameter is emitted.
#[derive(Clone, Copy)]
struct EnumSite<'a> {
    /// Module path under the crate root; empty for the method's own module.
    module: &'a str,
    type_name: &'a str,
}

struct MethodContext<'a> {
    scope_variants: &'a BTreeMap<&'a str, &'a str>,
    schemas: &'a SchemaIndex,
    standard_names: &'a [&'a str],
}
