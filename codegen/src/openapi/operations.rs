//! OpenAPI operations to the IR's resources and methods.
//!
//! Grouping rule (deterministic, stated in the README):
//! - an `operationId` with dots (`dataportability.archiveJobs.retry`, as
//!   Google's conversions write them) is a method id: the last segment is
//!   the method, the others nested resources (but a first segment that is
//!   the API's name);
//! - otherwise the operation's first tag is its resource and the
//!   `operationId` its method;
//! - otherwise (no tag) it is a method of the client itself.
//!
//! An operation without `operationId` gets the id `<verb> <path>`.
//! Parameters of the path item and of the operation are merged (the
//! operation's win, by name and location). Parameters that every operation
//! takes from the same `components/parameters` entry become the API's
//! standard parameters, set on every call builder.

use super::Lowering;
use super::model::{MediaType, Operation, Parameter as SpecParameter, Schema};
use super::schemas::Named;
use crate::error::{Error, JsonPath};
use crate::ir::{
    self, Body, BodyEncoding, BodyMedia, EnumRef, ErrorBody, HttpMethod, Location, Method, Paging,
    ParamStyle, Parameter, PropertyEncoding, Resource, SchemaKind, Scope, SecurityScheme, Style,
    Type,
};
use crate::lower::methods::{BUILDER_FIELDS, BUILDER_METHODS};
use crate::lower::{CLIENT_METHODS, CRATE_NAMES, PRELUDE_TYPES, reserve_all};
use crate::naming::{Case, Namespace};
use crate::path_template::PathTemplate;
use std::collections::{BTreeMap, BTreeSet};

/// How deep a dotted `operationId` may nest its method in groups.
const MAX_GROUP_DEPTH: usize = 32;

/// Header parameters that are ignored: the three OpenAPI says to ignore, and
/// those the HTTP client writes itself (or, for `Cookie`, that cookie
/// parameters make).
const IGNORED_HEADERS: &[&str] = &[
    "accept",
    "content-type",
    "authorization",
    "cookie",
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
];

/// Whether `name` can be an HTTP header name (an RFC 9110 token).
pub(super) fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// What the operations lower to.
pub(super) struct Lowered {
    pub standard_params: Vec<Parameter>,
    pub schemas: Vec<ir::Schema>,
    pub resources: Vec<Resource>,
    pub methods: Vec<Method>,
}

/// One operation, gathered from its path item.
struct Op<'a> {
    id: String,
    verb: &'static str,
    path_key: &'a str,
    operation: &'a Operation,
    path: JsonPath,
    /// Resource segments (empty: a method of the client).
    resources: Vec<String>,
    /// The method's spec name.
    method: String,
    /// Merged parameters with their JSON paths, path item's first.
    params: Vec<(&'a SpecParameter, JsonPath)>,
}

/// Where a hoisted schema stands in its operation.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Request,
    Response,
    Error(String),
    Param(String, String),
}

/// A resource under construction: its methods (by spec name, to the
/// operation's index) and sub-resources.
#[derive(Default)]
struct Node {
    methods: BTreeMap<String, usize>,
    children: BTreeMap<String, Node>,
}

/// Members of one resource, keyed so that a method and a sub-resource of
/// one name get distinct identifiers.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Member {
    Method(String),
    Child(String),
    ParamEnum(String, String),
}

/// Everything methods need from the rest of the document.
struct Context<'a> {
    ops: &'a [Op<'a>],
    hoisted: &'a BTreeMap<(usize, Role), String>,
    schema_names: &'a BTreeMap<String, String>,
    schemas: &'a [ir::Schema],
    scopes: &'a [Scope],
    security_schemes: &'a [SecurityScheme],
    standard: &'a BTreeSet<(String, String)>,
    standard_names: Vec<String>,
}

impl<'d> Lowering<'d> {
    pub(super) fn operations(
        &self,
        api_name: &str,
        scopes: &[Scope],
        security_schemes: &[SecurityScheme],
    ) -> Result<Lowered, Error> {
        let ops = self.gather(api_name)?;
        // Types that bodies, responses and parameters declare inline become
        // named schemas, named after where they stand.
        let mut named: Vec<Named<'_>> = self
            .document
            .components
            .schemas
            .iter()
            .map(|(name, schema)| Named {
                spec_name: name.clone(),
                schema,
                path: JsonPath::root()
                    .join("components")
                    .join("schemas")
                    .join(name.as_str()),
            })
            .collect();
        let mut hoisted = BTreeMap::new();
        let mut taken: BTreeSet<String> = named.iter().map(|n| n.spec_name.clone()).collect();
        // Operations whose success responses have bodies of several
        // schemas return a union of them.
        let success_unions: BTreeMap<usize, Schema> = ops
            .iter()
            .enumerate()
            .filter_map(|(index, op)| success_union(op.operation).map(|u| (index, u)))
            .collect();
        for (index, op) in ops.iter().enumerate() {
            for (role, schema, path) in self.inline_schemas(op, success_unions.get(&index)) {
                if !self.declares(schema) {
                    continue;
                }
                let base = match &role {
                    Role::Request => format!("{} request", op.method),
                    Role::Response => format!("{} response", op.method),
                    Role::Error(status) => format!("{} error {status}", op.method),
                    Role::Param(_, name) => format!("{} {name}", op.method),
                };
                let mut name = base.clone();
                let mut n = 2;
                while !taken.insert(name.clone()) {
                    name = format!("{base} {n}");
                    n += 1;
                }
                hoisted.insert((index, role), name.clone());
                named.push(Named {
                    spec_name: name,
                    schema,
                    path,
                });
            }
        }
        let names = self.schema_names(&named)?;
        let mut schemas = self.named_schemas(&named, &names)?;
        crate::lower::recursion::box_cycles(&mut schemas).map_err(|cycle| {
            // A hoisted schema stands where the operation declares it.
            let path = named
                .iter()
                .find(|n| n.spec_name == cycle.spec_name)
                .map_or_else(
                    || {
                        JsonPath::root()
                            .join("components")
                            .join("schemas")
                            .join(cycle.spec_name.as_str())
                    },
                    |n| n.path.clone(),
                );
            self.spec_error(&path, cycle.message())
        })?;
        let standard = self.standard_keys(&ops);
        let mut context = Context {
            ops: &ops,
            hoisted: &hoisted,
            schema_names: &names.types,
            schemas: &schemas,
            scopes,
            security_schemes,
            standard: &standard,
            standard_names: Vec::new(),
        };
        let standard_params = self.standard_params(&ops, &context)?;
        context.standard_names = standard_params
            .iter()
            .map(|p| p.rust_name.trim_start_matches("r#").to_owned())
            .collect();
        let mut root = Node::default();
        for (index, op) in ops.iter().enumerate() {
            let mut node = &mut root;
            for segment in &op.resources {
                node = node.children.entry(segment.clone()).or_default();
            }
            if node.methods.insert(op.method.clone(), index).is_some() {
                return Err(self.spec_error(
                    &op.path.join("operationId"),
                    format!(
                        "a second operation with the method name `{}` in one group",
                        op.method
                    ),
                ));
            }
        }
        let (methods, resources) =
            self.group("the client", &root, CLIENT_METHODS, &[], &context)?;
        Ok(Lowered {
            standard_params,
            schemas,
            resources,
            methods,
        })
    }

    /// Every operation with its id, group and merged parameters, in path order.
    fn gather(&self, api_name: &str) -> Result<Vec<Op<'d>>, Error> {
        let mut ops = Vec::new();
        let mut ids = BTreeMap::new();
        for (path_key, item) in &self.document.paths {
            let item_path = JsonPath::root().join("paths").join(path_key.as_str());
            for (verb, operation) in item.operations() {
                let op_path = item_path.join(verb);
                let id = operation
                    .operation_id
                    .clone()
                    .filter(|id| !id.trim().is_empty())
                    .unwrap_or_else(|| format!("{verb} {path_key}"));
                if let Some(first) = ids.insert(id.clone(), op_path.to_string()) {
                    return Err(self.spec_error(
                        &op_path.join("operationId"),
                        format!("`{id}` is also the id of `{first}`; operation ids must be unique"),
                    ));
                }
                let (resources, method) = if operation.operation_id.is_some() && id.contains('.') {
                    let mut segments: Vec<&str> = id.split('.').filter(|s| !s.is_empty()).collect();
                    // Each group is a module in a module: thousands of them
                    // overflow the stack (Google's deepest ids have 6).
                    if segments.len() > MAX_GROUP_DEPTH + 1 {
                        return Err(self.spec_error(
                            &op_path.join("operationId"),
                            format!(
                                "the operation id has {} dotted segments, which would nest its \
                                 method {} groups deep; at most {MAX_GROUP_DEPTH} are supported",
                                segments.len(),
                                segments.len() - 1
                            ),
                        ));
                    }
                    let method = segments.pop().unwrap_or(id.as_str()).to_owned();
                    // Google's ids start with the API's name.
                    if segments.len() > 1 && segments[0] == api_name {
                        segments.remove(0);
                    }
                    (segments.iter().map(|s| (*s).to_owned()).collect(), method)
                } else {
                    let resources = operation
                        .tags
                        .first()
                        .map(|t| vec![t.clone()])
                        .unwrap_or_default();
                    (resources, id.clone())
                };
                let mut params: Vec<(&SpecParameter, JsonPath)> = Vec::new();
                for (i, p) in item.parameters.iter().enumerate() {
                    params.push((p, item_path.join("parameters").join(i.to_string())));
                }
                for (i, p) in operation.parameters.iter().enumerate() {
                    let at = op_path.join("parameters").join(i.to_string());
                    // The operation's definition replaces the path item's.
                    params.retain(|(q, _)| !(q.name == p.name && q.location == p.location));
                    params.push((p, at));
                }
                ops.push(Op {
                    id,
                    verb,
                    path_key,
                    operation,
                    path: op_path,
                    resources,
                    method,
                    params,
                });
            }
        }
        Ok(ops)
    }

    /// The schemas of an operation that may declare types: body, success
    /// response, error responses, parameters.
    fn inline_schemas<'o>(
        &self,
        op: &'o Op<'d>,
        success_union: Option<&'o Schema>,
    ) -> Vec<(Role, &'o Schema, JsonPath)> {
        let mut out = Vec::new();
        if let Some(body) = &op.operation.request_body {
            if let Some((media, media_type)) = preferred_media(&body.content) {
                if let Some(schema) = &media_type.schema {
                    out.push((
                        Role::Request,
                        schema,
                        op.path
                            .join("requestBody")
                            .join("content")
                            .join(media)
                            .join("schema"),
                    ));
                }
            }
        }
        if let Some(union) = success_union {
            out.push((Role::Response, union, op.path.join("responses")));
        } else if let Some((status, response)) = success_response(op.operation) {
            if let Some((media, media_type)) = preferred_media(&response.content) {
                if let Some(schema) = &media_type.schema {
                    out.push((
                        Role::Response,
                        schema,
                        op.path
                            .join("responses")
                            .join(status)
                            .join("content")
                            .join(media)
                            .join("schema"),
                    ));
                }
            }
        }
        for (status, response) in &op.operation.responses {
            if is_success(status) {
                continue;
            }
            if let Some((media, media_type)) = preferred_media(&response.content) {
                if let Some(schema) = &media_type.schema {
                    out.push((
                        Role::Error(status.clone()),
                        schema,
                        op.path
                            .join("responses")
                            .join(status.as_str())
                            .join("content")
                            .join(media)
                            .join("schema"),
                    ));
                }
            }
        }
        for (param, path) in &op.params {
            let (Some(name), Some(location)) = (&param.name, &param.location) else {
                continue;
            };
            if let Some(schema) = &param.schema {
                // String enums are declared with the call; objects and
                // unions become models.
                if self.param_declares_model(schema) {
                    out.push((
                        Role::Param(location.clone(), name.clone()),
                        schema,
                        path.join("schema"),
                    ));
                }
            }
        }
        out
    }

    /// Whether a parameter's schema declares a type other than a string
    /// enum (which is declared beside the call, as Discovery's are).
    fn param_declares_model(&self, schema: &Schema) -> bool {
        let item = if schema.non_null_types() == ["array"] {
            schema.items.as_deref().unwrap_or(schema)
        } else {
            schema
        };
        self.declares(item) && enum_values(item).is_none()
    }

    /// Parameters every operation takes, optional and in the query, that
    /// come from the same `components/parameters` entry: the API's
    /// standard parameters.
    fn standard_keys(&self, ops: &[Op<'_>]) -> BTreeSet<(String, String)> {
        let Some(first) = ops.first() else {
            return BTreeSet::new();
        };
        let candidates = |op: &Op<'_>| -> BTreeSet<(String, String)> {
            op.params
                .iter()
                .filter(|(p, _)| {
                    p.location.as_deref() == Some("query")
                        && !p.required.unwrap_or(false)
                        && p.component.is_some()
                })
                .filter_map(|(p, _)| Some((p.component.clone()?, p.name.clone()?)))
                .collect()
        };
        let mut common = candidates(first);
        for op in &ops[1..] {
            let own = candidates(op);
            common.retain(|key| own.contains(key));
        }
        common
    }

    fn is_standard(&self, param: &SpecParameter, context: &Context<'_>) -> bool {
        match (&param.component, &param.name) {
            (Some(component), Some(name)) => context
                .standard
                .contains(&(component.clone(), name.clone())),
            _ => false,
        }
    }

    fn standard_params(
        &self,
        ops: &[Op<'_>],
        context: &Context<'_>,
    ) -> Result<Vec<Parameter>, Error> {
        let Some(first) = ops.first() else {
            return Ok(Vec::new());
        };
        let kept: Vec<(&SpecParameter, &JsonPath)> = first
            .params
            .iter()
            .filter(|(p, _)| self.is_standard(p, context))
            .map(|(p, path)| (*p, path))
            .collect();
        let wire: Vec<&str> = kept.iter().filter_map(|(p, _)| p.name.as_deref()).collect();
        let path = JsonPath::root().join("components").join("parameters");
        let names = reserve_all(
            reserve_all(
                Namespace::new(Case::Snake, "standard parameter"),
                BUILDER_FIELDS,
            ),
            BUILDER_METHODS,
        )
        .reserve("body")
        .assign(wire.iter().copied())
        .map_err(|e| self.naming_error(e, &path))?;
        let types = reserve_all(
            Namespace::new(Case::UpperCamel, "standard parameter enum"),
            PRELUDE_TYPES,
        )
        .assign(wire.iter().copied())
        .map_err(|e| self.naming_error(e, &path))?;
        let mut out = Vec::new();
        for (param, at) in kept {
            let name = param.name.clone().unwrap_or_default();
            let site = ("params", types[&name].as_str());
            out.push(self.parameter(param, &names[&name], at, site, None, context)?);
        }
        out.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
        Ok(out)
    }

    /// One group (the client, or a resource) and everything under it.
    fn group(
        &self,
        label: &str,
        node: &Node,
        reserved_members: &[&str],
        reserved_types: &[&str],
        context: &Context<'_>,
    ) -> Result<(Vec<Method>, Vec<Resource>), Error> {
        let path = JsonPath::root().join("paths");
        let mut members: Vec<(Member, String)> = Vec::new();
        members.extend(
            node.methods
                .keys()
                .map(|m| (Member::Method(m.clone()), m.clone())),
        );
        members.extend(
            node.children
                .keys()
                .map(|r| (Member::Child(r.clone()), r.clone())),
        );
        let functions = reserve_all(
            reserve_all(
                Namespace::new(Case::Snake, format!("member of {label}")),
                reserved_members,
            ),
            CRATE_NAMES,
        )
        .assign_keyed(members.iter().map(|(k, n)| (k.clone(), n.as_str())))
        .map_err(|e| self.naming_error(e, &path))?;
        for (method, index) in &node.methods {
            let op = &context.ops[*index];
            for (param, _) in &op.params {
                if self.is_standard(param, context) {
                    continue;
                }
                if let (Some(schema), Some(name)) = (&param.schema, &param.name) {
                    let item = if schema.non_null_types() == ["array"] {
                        schema.items.as_deref().unwrap_or(schema)
                    } else {
                        schema
                    };
                    if enum_values(item).is_some() {
                        members.push((
                            Member::ParamEnum(method.clone(), name.clone()),
                            format!("{method} {name}"),
                        ));
                    }
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
        .assign_keyed(members.iter().map(|(k, n)| (k.clone(), n.as_str())))
        .map_err(|e| self.naming_error(e, &path))?;
        let mut methods = Vec::new();
        for (method, index) in &node.methods {
            let key = Member::Method(method.clone());
            let param_enums: BTreeMap<String, String> = types
                .iter()
                .filter_map(|(k, v)| match k {
                    Member::ParamEnum(m, p) if m == method => Some((p.clone(), v.clone())),
                    _ => None,
                })
                .collect();
            methods.push(self.method(
                *index,
                &functions[&key],
                &types[&key],
                &param_enums,
                context,
            )?);
        }
        let mut resources = Vec::new();
        for (child, child_node) in &node.children {
            let key = Member::Child(child.clone());
            let type_name = &types[&key];
            let (child_methods, child_resources) = self.group(
                &format!("resource {child}"),
                child_node,
                &["new"],
                &[type_name.as_str()],
                context,
            )?;
            resources.push(Resource {
                name: child.clone(),
                module: functions[&key].clone(),
                accessor: functions[&key].clone(),
                type_name: type_name.clone(),
                methods: child_methods,
                resources: child_resources,
            });
        }
        Ok((methods, resources))
    }

    fn method(
        &self,
        index: usize,
        fn_name: &str,
        builder: &str,
        param_enums: &BTreeMap<String, String>,
        context: &Context<'_>,
    ) -> Result<Method, Error> {
        let op = &context.ops[index];
        let operation = op.operation;
        let http_method = match op.verb {
            "get" => HttpMethod::Get,
            "post" => HttpMethod::Post,
            "put" => HttpMethod::Put,
            "patch" => HttpMethod::Patch,
            "delete" => HttpMethod::Delete,
            "head" => HttpMethod::Head,
            "options" => HttpMethod::Options,
            _ => HttpMethod::Trace,
        };
        // Paths are relative to the server URL, which ends in `/`.
        let relative = op.path_key.strip_prefix('/').unwrap_or(op.path_key);
        let relative = relative.split(['?', '#']).next().unwrap_or_default();
        let template = PathTemplate::parse(relative)
            .map_err(|e| self.spec_error(&JsonPath::root().join("paths").join(op.path_key), e.0))?;
        for variable in template.variables() {
            if !matches!(
                variable.expansion,
                crate::path_template::Expansion::Simple(None)
            ) {
                return Err(self.spec_error(
                    &JsonPath::root().join("paths").join(op.path_key),
                    format!(
                        "`{{{}}}`: OpenAPI path templates name a parameter only",
                        variable.name
                    ),
                ));
            }
        }
        let own: Vec<(&SpecParameter, &JsonPath)> = op
            .params
            .iter()
            .filter(|(p, _)| !self.is_standard(p, context))
            .filter(|(p, _)| {
                !(p.location.as_deref() == Some("header")
                    && p.name.as_deref().is_some_and(|n| {
                        IGNORED_HEADERS.contains(&n.to_ascii_lowercase().as_str())
                    }))
            })
            .map(|(p, path)| (*p, path))
            .collect();
        let keyed: Vec<((String, String), &str)> = own
            .iter()
            .filter_map(|(p, _)| Some(((p.location.clone()?, p.name.clone()?), p.name.as_deref()?)))
            .collect();
        let mut reserved: Vec<&str> = BUILDER_FIELDS
            .iter()
            .chain(BUILDER_METHODS)
            .copied()
            .collect();
        reserved.extend(context.standard_names.iter().map(String::as_str));
        reserved.push("body");
        let names = reserve_all(
            Namespace::new(Case::Snake, format!("parameter of operation {}", op.id)),
            &reserved,
        )
        .assign_keyed(keyed.iter().map(|(k, n)| (k.clone(), *n)))
        .map_err(|e| self.naming_error(e, &op.path.join("parameters")))?;
        let mut path_args = Vec::new();
        let mut required_args = Vec::new();
        let mut optional = Vec::new();
        for (param, at) in &own {
            let (Some(name), Some(location)) = (&param.name, &param.location) else {
                let missing = if param.name.is_none() { "name" } else { "in" };
                return Err(self.spec_error(at, format!("a parameter needs `{missing}`")));
            };
            let key = (location.clone(), name.clone());
            let site = ("", param_enums.get(name).map_or("", String::as_str));
            let hoisted = context
                .hoisted
                .get(&(index, Role::Param(location.clone(), name.clone())));
            let lowered = self.parameter(param, &names[&key], at, site, hoisted, context)?;
            let required = param.required.unwrap_or(false) || lowered.location == Location::Path;
            if lowered.location == Location::Path {
                if !template.variables().any(|v| v.name == *name) {
                    return Err(
                        self.spec_error(at, "a path parameter that the path template does not use")
                    );
                }
                path_args.push(lowered);
            } else if required {
                required_args.push(lowered);
            } else {
                optional.push(lowered);
            }
        }
        for variable in template.variables() {
            if !path_args.iter().any(|p| p.wire_name == variable.name) {
                return Err(self.spec_error(
                    &JsonPath::root().join("paths").join(op.path_key),
                    format!(
                        "`{{{}}}` in the path is not a path parameter of `{}`",
                        variable.name, op.id
                    ),
                ));
            }
        }
        // Path parameters in path order, then the other required ones in spec order.
        let order: Vec<&str> = template.variables().map(|v| v.name.as_str()).collect();
        path_args.sort_by_key(|p| order.iter().position(|n| *n == p.wire_name));
        let mut args = path_args;
        args.extend(required_args);

        let request = match &operation.request_body {
            Some(body) => self.body(op, index, body, context)?,
            None => None,
        };
        let (response, response_encoding) = self.response(op, index, context)?;
        let errors = self.errors(op, index, context)?;
        let (scopes, security) = self.method_security(op, context)?;
        let paging = paging(&optional, response.as_ref(), context);
        let mut description = operation
            .description
            .clone()
            .or_else(|| operation.summary.clone())
            .unwrap_or_default();
        if let (Some(summary), Some(_)) = (&operation.summary, &operation.description) {
            if !description.starts_with(summary.as_str()) {
                description = format!("{summary}\n\n{description}");
            }
        }
        Ok(Method {
            id: op.id.clone(),
            fn_name: fn_name.to_owned(),
            builder: builder.to_owned(),
            description,
            http_method,
            path: template,
            args,
            optional,
            request,
            response,
            scopes,
            deprecated: operation.deprecated.unwrap_or(false),
            paging,
            security,
            response_encoding,
            errors,
            download: None,
            upload: None,
            long_running: None,
        })
    }

    /// A parameter. `site` is where an enum it declares lives (module,
    /// type name); `hoisted` the named schema its object type became.
    fn parameter(
        &self,
        param: &SpecParameter,
        rust_name: &str,
        path: &JsonPath,
        site: (&str, &str),
        hoisted: Option<&String>,
        context: &Context<'_>,
    ) -> Result<Parameter, Error> {
        let name = param.name.clone().unwrap_or_default();
        let location = match param.location.as_deref() {
            Some("path") => Location::Path,
            Some("query") => Location::Query,
            Some("header") => Location::Header,
            Some("cookie") => Location::Cookie,
            other => {
                return Err(self.spec_error(
                    &path.join("in"),
                    format!("expected `path`, `query`, `header` or `cookie`, found {other:?}"),
                ));
            }
        };
        if location == Location::Header && !is_header_name(&name) {
            return Err(self.spec_error(
                &path.join("name"),
                format!("`{name}` cannot be an HTTP header name (letters, digits and `!#$%&'*+-.^_`|~` only)"),
            ));
        }
        if location == Location::Path && param.required == Some(false) {
            return Err(
                self.spec_error(&path.join("required"), "a path parameter must be required")
            );
        }
        // `content` instead of `schema`: the value is sent as JSON text.
        let content_schema = param
            .content
            .as_ref()
            .and_then(|c| c.values().next())
            .and_then(|m| m.schema.as_ref());
        let schema = param.schema.as_ref().or(content_schema);
        let default_schema = Schema::default();
        let schema = schema.unwrap_or(&default_schema);
        let is_array = schema.non_null_types() == ["array"];
        let item = if is_array {
            schema.items.as_deref().unwrap_or(&default_schema)
        } else {
            schema
        };
        let item_path = if is_array {
            path.join("schema").join("items")
        } else {
            path.join("schema")
        };
        let (ty, repeated) = if let Some(hoisted) = hoisted {
            let ty = Type::Named(context.schema_names[hoisted].clone());
            (ty, false)
        } else if let Some(values) = enum_values(item) {
            let (module, type_name) = site;
            let definition = self.enumeration(
                type_name,
                param.description.as_deref().unwrap_or_default(),
                &values,
                &item_path,
            )?;
            (
                Type::Enum(EnumRef {
                    module: module.to_owned(),
                    name: type_name.to_owned(),
                    definition: Some(Box::new(definition)),
                }),
                is_array,
            )
        } else {
            let ty = self.param_scalar(item, &item_path, context)?;
            match ty {
                Some(ty) => (ty, is_array),
                // Objects and the like: serialized through their JSON value.
                None => (
                    self.complex_param_type(schema, &path.join("schema"), context)?,
                    false,
                ),
            }
        };
        let scalar_like = is_scalar(&ty, context);
        let as_content = content_schema.is_some() && param.schema.is_none();
        let content = as_content.then(|| {
            param
                .content
                .as_ref()
                .and_then(|c| c.keys().next().cloned())
                .unwrap_or_default()
        });
        let (ty, repeated) = if as_content {
            // The whole value is one piece of JSON text.
            let ty = self.complex_param_type(schema, &path.join("content"), context)?;
            let ty = if ty == Type::Any && scalar_like {
                self.param_scalar(schema, &path.join("content"), context)?
                    .unwrap_or(Type::Any)
            } else {
                ty
            };
            (ty, false)
        } else {
            (ty, repeated)
        };
        let style = if as_content {
            let default_style = match location {
                Location::Path | Location::Header => Style::Simple,
                Location::Query | Location::Cookie => Style::Form,
            };
            Some(ParamStyle {
                style: default_style,
                explode: false,
                allow_reserved: false,
            })
        } else {
            self.param_style(param, location, repeated, scalar_like, path)?
        };
        let mut description = param.description.clone().unwrap_or_default();
        if let Some(media) = &content {
            description = format!("{description}\n\nSent as `{media}` text.")
                .trim_start()
                .to_owned();
        }
        Ok(Parameter {
            wire_name: name,
            rust_name: rust_name.to_owned(),
            description,
            location,
            ty,
            repeated,
            default: schema.default.as_ref().map(|d| match d {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            }),
            pattern: None,
            deprecated: param.deprecated.unwrap_or(false) || schema.deprecated,
            resource_name: None,
            style,
            content,
        })
    }

    /// The type of a scalar parameter value, `None` when it is not one.
    fn param_scalar(
        &self,
        schema: &Schema,
        path: &JsonPath,
        context: &Context<'_>,
    ) -> Result<Option<Type>, Error> {
        if let Some(reference) = &schema.reference {
            let ty = self.named_type(reference, context.schema_names, path)?;
            return Ok(is_scalar(&ty, context).then_some(ty));
        }
        if !schema.all_of.is_empty()
            || !schema.one_of.is_empty()
            || !schema.any_of.is_empty()
            || !schema.properties.is_empty()
        {
            return Ok(None);
        }
        let types = schema.non_null_types();
        Ok(match types.as_slice() {
            // In URLs and headers, dates and bytes travel as the caller
            // wrote them (as in Discovery crates).
            ["string"] => Some(Type::String),
            [kind @ ("integer" | "number" | "boolean")] => {
                Some(self.scalar(kind, schema.format.as_deref(), path)?)
            }
            [] if schema.is_any() => Some(Type::String),
            _ => None,
        })
    }

    /// The type of an object, map or union parameter.
    fn complex_param_type(
        &self,
        schema: &Schema,
        path: &JsonPath,
        context: &Context<'_>,
    ) -> Result<Type, Error> {
        if let Some(reference) = &schema.reference {
            return self.named_type(reference, context.schema_names, path);
        }
        if schema.non_null_types() == ["array"] {
            let item = match schema.items.as_deref() {
                Some(item) => self.complex_param_type(item, &path.join("items"), context)?,
                None => Type::Any,
            };
            return Ok(Type::Array(Box::new(item)));
        }
        match &schema.additional_properties {
            Some(values) if schema.properties.is_empty() => {
                let value = self
                    .param_scalar(values, &path.join("additionalProperties"), context)?
                    .unwrap_or(Type::Any);
                Ok(Type::Map(Box::new(value)))
            }
            _ => Ok(Type::Any),
        }
    }

    /// `style`, `explode` and `allowReserved`, kept only where they differ
    /// from how the location serializes a value by default.
    fn param_style(
        &self,
        param: &SpecParameter,
        location: Location,
        repeated: bool,
        scalar: bool,
        path: &JsonPath,
    ) -> Result<Option<ParamStyle>, Error> {
        let default_style = match location {
            Location::Path | Location::Header => Style::Simple,
            Location::Query | Location::Cookie => Style::Form,
        };
        let style = match param.style.as_deref() {
            None => default_style,
            Some("matrix") => Style::Matrix,
            Some("label") => Style::Label,
            Some("simple") => Style::Simple,
            Some("form") => Style::Form,
            Some("spaceDelimited") => Style::SpaceDelimited,
            Some("pipeDelimited") => Style::PipeDelimited,
            Some("deepObject") => Style::DeepObject,
            Some(other) => {
                return Err(
                    self.spec_error(&path.join("style"), format!("unknown style `{other}`"))
                );
            }
        };
        let allowed = match location {
            Location::Path => matches!(style, Style::Matrix | Style::Label | Style::Simple),
            Location::Query => matches!(
                style,
                Style::Form | Style::SpaceDelimited | Style::PipeDelimited | Style::DeepObject
            ),
            Location::Header => style == Style::Simple,
            Location::Cookie => style == Style::Form,
        };
        if !allowed {
            return Err(self.spec_error(
                &path.join("style"),
                format!(
                    "style `{}` is not defined for `in: {}`",
                    param.style.as_deref().unwrap_or_default(),
                    param.location.as_deref().unwrap_or_default()
                ),
            ));
        }
        let explode = param.explode.unwrap_or(style == Style::Form);
        let allow_reserved = param.allow_reserved.unwrap_or(false) && location == Location::Query;
        let native = match location {
            Location::Path => style == Style::Simple && (scalar && !repeated),
            Location::Query => {
                style == Style::Form && scalar && !allow_reserved && (explode || !repeated)
            }
            // Headers and cookies always go through the style functions.
            Location::Header | Location::Cookie => false,
        };
        Ok((!native).then_some(ParamStyle {
            style,
            explode,
            allow_reserved,
        }))
    }

    fn body(
        &self,
        op: &Op<'_>,
        index: usize,
        body: &super::model::RequestBody,
        context: &Context<'_>,
    ) -> Result<Option<Body>, Error> {
        let path = op.path.join("requestBody");
        let Some((preferred, media_type)) = preferred_media(&body.content) else {
            if body.content.is_empty() {
                return Ok(None);
            }
            // Only media types this client cannot write (XML, say).
            return Err(self.spec_error(
                &path.join("content"),
                format!(
                    "no media type this generator can send (JSON, form, multipart, text or binary): {}",
                    body.content.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            ));
        };
        let encoding = encoding_of(preferred);
        let schema_path = path.join("content").join(preferred).join("schema");
        let ty = match context.hoisted.get(&(index, Role::Request)) {
            Some(name) => Type::Named(context.schema_names[name].clone()),
            None => self.body_type(media_type.schema.as_ref(), encoding, &schema_path, context)?,
        };
        // Other media types of the same schema are the caller's choice.
        let mut media = vec![BodyMedia {
            content_type: preferred.to_owned(),
            encoding,
            properties: self
                .property_encodings(media_type, &path.join("content").join(preferred))?,
        }];
        for (content_type, other) in &body.content {
            if content_type == preferred {
                continue;
            }
            let Some(other_encoding) = known_encoding(content_type) else {
                continue;
            };
            let same_schema = match (&other.schema, &media_type.schema) {
                (Some(a), Some(b)) => a.reference.is_some() && a.reference == b.reference,
                (None, None) => true,
                _ => false,
            };
            let fits = match other_encoding {
                BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
                    same_schema && !matches!(ty, Type::Binary | Type::String)
                }
                BodyEncoding::Binary => ty == Type::Binary,
                BodyEncoding::Text => ty == Type::String,
            };
            if fits {
                media.push(BodyMedia {
                    content_type: content_type.clone(),
                    encoding: other_encoding,
                    properties: self.property_encodings(
                        other,
                        &path.join("content").join(content_type.as_str()),
                    )?,
                });
            }
        }
        let empty = match &ty {
            Type::Named(name) => ir::find_schema(context.schemas, name).is_some_and(
                |s| matches!(&s.kind, SchemaKind::Struct { fields } if fields.is_empty()),
            ),
            _ => false,
        };
        let json_only = media.len() == 1 && media[0].content_type == "application/json";
        Ok(Some(Body {
            ty,
            empty,
            media: if json_only { Vec::new() } else { media },
            required: body.required.unwrap_or(false),
        }))
    }

    /// The Encoding Object of a form or multipart media type, by property.
    fn property_encodings(
        &self,
        media_type: &MediaType,
        path: &JsonPath,
    ) -> Result<Vec<PropertyEncoding>, Error> {
        let mut out = Vec::new();
        for (property, encoding) in &media_type.encoding {
            let at = path.join("encoding").join(property.as_str());
            let style = if encoding.style.is_some() || encoding.explode.is_some() {
                let style = match encoding.style.as_deref().unwrap_or("form") {
                    "form" => Style::Form,
                    "spaceDelimited" => Style::SpaceDelimited,
                    "pipeDelimited" => Style::PipeDelimited,
                    "deepObject" => Style::DeepObject,
                    other => {
                        return Err(self.spec_error(
                            &at.join("style"),
                            format!("expected `form`, `spaceDelimited`, `pipeDelimited` or `deepObject`, found `{other}`"),
                        ));
                    }
                };
                Some(ParamStyle {
                    style,
                    explode: encoding.explode.unwrap_or(style == Style::Form),
                    allow_reserved: false,
                })
            } else {
                None
            };
            // The first of a list (`image/png, image/jpeg`) is what is sent.
            let content_type = encoding
                .content_type
                .as_deref()
                .and_then(|c| c.split(',').next())
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty());
            out.push(PropertyEncoding {
                property: property.clone(),
                style,
                content_type,
            });
        }
        Ok(out)
    }

    /// The type of a body or response of one media type.
    fn body_type(
        &self,
        schema: Option<&Schema>,
        encoding: BodyEncoding,
        path: &JsonPath,
        context: &Context<'_>,
    ) -> Result<Type, Error> {
        match encoding {
            BodyEncoding::Binary => return Ok(Type::Binary),
            BodyEncoding::Text => return Ok(Type::String),
            _ => {}
        }
        let Some(schema) = schema else {
            return Ok(Type::Any);
        };
        if let Some(reference) = &schema.reference {
            return self.named_type(reference, context.schema_names, path);
        }
        let types = schema.non_null_types();
        Ok(match types.as_slice() {
            ["array"] => Type::Array(Box::new(match schema.items.as_deref() {
                Some(items) => {
                    self.body_type(Some(items), encoding, &path.join("items"), context)?
                }
                None => Type::Any,
            })),
            ["object"] | [] if schema.properties.is_empty() => {
                match &schema.additional_properties {
                    Some(values) if !values.is_any() => Type::Map(Box::new(self.body_type(
                        Some(values),
                        encoding,
                        &path.join("additionalProperties"),
                        context,
                    )?)),
                    Some(_) => Type::Map(Box::new(Type::Any)),
                    None => Type::Any,
                }
            }
            [kind] if *kind != "object" => self.scalar(kind, schema.format.as_deref(), path)?,
            _ => Type::Any,
        })
    }

    /// The success response's type and how it is read.
    fn response(
        &self,
        op: &Op<'_>,
        index: usize,
        context: &Context<'_>,
    ) -> Result<(Option<Type>, BodyEncoding), Error> {
        let Some((status, response)) = success_response(op.operation) else {
            return Ok((None, BodyEncoding::Json));
        };
        let Some((media, media_type)) = preferred_media(&response.content) else {
            return Ok((None, BodyEncoding::Json));
        };
        let encoding = match encoding_of(media) {
            BodyEncoding::Form | BodyEncoding::Multipart => return Ok((None, BodyEncoding::Json)),
            other => other,
        };
        let path = op
            .path
            .join("responses")
            .join(status)
            .join("content")
            .join(media)
            .join("schema");
        let ty = match context.hoisted.get(&(index, Role::Response)) {
            Some(name) => Type::Named(context.schema_names[name].clone()),
            None => self.body_type(media_type.schema.as_ref(), encoding, &path, context)?,
        };
        Ok((Some(ty), encoding))
    }

    /// Error responses with a JSON body.
    fn errors(
        &self,
        op: &Op<'_>,
        index: usize,
        context: &Context<'_>,
    ) -> Result<Vec<ErrorBody>, Error> {
        let mut out = Vec::new();
        for (status, response) in &op.operation.responses {
            if is_success(status) {
                continue;
            }
            let Some((media, media_type)) = preferred_media(&response.content) else {
                continue;
            };
            if encoding_of(media) != BodyEncoding::Json {
                continue;
            }
            let path = op
                .path
                .join("responses")
                .join(status.as_str())
                .join("content")
                .join(media)
                .join("schema");
            let ty = match context.hoisted.get(&(index, Role::Error(status.clone()))) {
                Some(name) => Type::Named(context.schema_names[name].clone()),
                None => self.body_type(
                    media_type.schema.as_ref(),
                    BodyEncoding::Json,
                    &path,
                    context,
                )?,
            };
            out.push(ErrorBody {
                status: status.clone(),
                description: response.description.clone().unwrap_or_default(),
                ty,
            });
        }
        Ok(out)
    }

    /// The scopes (of OAuth 2.0 requirements) and, for APIs with other
    /// schemes, the alternative sets of schemes.
    #[allow(clippy::type_complexity)]
    fn method_security(
        &self,
        op: &Op<'_>,
        context: &Context<'_>,
    ) -> Result<(Vec<String>, Option<Vec<Vec<String>>>), Error> {
        let (requirements, path) = match &op.operation.security {
            Some(requirements) => (requirements.as_slice(), op.path.join("security")),
            None => (
                self.document.security.as_deref().unwrap_or_default(),
                JsonPath::root().join("security"),
            ),
        };
        let schemes = &self.document.components.security_schemes;
        let mut scopes = BTreeSet::new();
        let mut alternatives = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let mut set = Vec::new();
            let mut usable = true;
            for (name, wanted) in requirement {
                let Some(scheme) = schemes.get(name) else {
                    return Err(self.spec_error(
                        &path.join(i.to_string()).join(name.as_str()),
                        format!("`{name}` is not a scheme of `components/securitySchemes`"),
                    ));
                };
                if scheme.kind == "oauth2" {
                    for scope in wanted {
                        if let Some(known) = context.scopes.iter().find(|s| s.url == *scope) {
                            scopes.insert((known.url.clone(), known.variant.clone()));
                        }
                    }
                }
                if context.security_schemes.iter().any(|s| s.name == *name) {
                    set.push(name.clone());
                } else if !context.security_schemes.is_empty() {
                    // A scheme this client cannot send: the set is unusable.
                    usable = false;
                }
            }
            if usable {
                set.sort();
                alternatives.push(set);
            }
        }
        let security = (!context.security_schemes.is_empty()).then_some(alternatives);
        Ok((scopes.into_iter().map(|(_, v)| v).collect(), security))
    }
}

/// Whether a scalar-like type (a string, number, boolean, enum, or a named
/// alias of one) can be written with `Display`.
fn is_scalar(ty: &Type, context: &Context<'_>) -> bool {
    match ty {
        Type::String
        | Type::Bool
        | Type::I32
        | Type::U32
        | Type::I64
        | Type::U64
        | Type::F32
        | Type::F64
        | Type::Enum(_) => true,
        Type::Named(name) => ir::find_schema(context.schemas, name).is_some_and(
            |s| matches!(&s.kind, SchemaKind::Alias(inner) if is_scalar(inner, context)),
        ),
        _ => false,
    }
}

/// The string values of a parameter's enum, when it has one of strings.
fn enum_values(schema: &Schema) -> Option<Vec<String>> {
    if schema.reference.is_some() {
        return None;
    }
    let types = schema.non_null_types();
    if !(types.is_empty() || types == ["string"]) {
        return None;
    }
    let values = schema.enum_values.as_ref()?;
    let strings: Option<Vec<String>> = values
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| v.as_str().map(str::to_owned))
        .collect();
    strings.filter(|s| !s.is_empty())
}

/// Whether a response status is a success (`2XX` too).
fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// The success response whose body the call returns: the lowest `2xx`
/// status, then `2XX`.
fn success_response(operation: &Operation) -> Option<(&str, &super::model::Response)> {
    let mut successes: Vec<(&String, &super::model::Response)> = operation
        .responses
        .iter()
        .filter(|(status, _)| is_success(status))
        .collect();
    // `200` before `201` before `2XX`.
    successes.sort_by_key(|(status, _)| (status.contains(['X', 'x']), (*status).clone()));
    successes.first().map(|(s, r)| (s.as_str(), *r))
}

/// A `oneOf` of the JSON bodies of an operation's success responses, when
/// they have more than one schema (by reference; inline ones count apart),
/// in status order.
fn success_union(operation: &Operation) -> Option<Schema> {
    let mut statuses: Vec<(&String, &super::model::Response)> = operation
        .responses
        .iter()
        .filter(|(status, _)| is_success(status))
        .collect();
    statuses.sort_by_key(|(status, _)| (status.contains(['X', 'x']), (*status).clone()));
    let mut members: Vec<Schema> = Vec::new();
    let mut described = Vec::new();
    for (status, response) in statuses {
        let Some((media, media_type)) = preferred_media(&response.content) else {
            continue;
        };
        let Some(schema) = &media_type.schema else {
            continue;
        };
        if encoding_of(media) != BodyEncoding::Json {
            continue;
        }
        let seen =
            schema.reference.is_some() && members.iter().any(|m| m.reference == schema.reference);
        if !seen {
            members.push(schema.clone());
            described.push(format!("`{status}`"));
        }
    }
    (members.len() > 1).then(|| Schema {
        description: Some(format!(
            "The body of any of the success responses ({}), read as the shape it fits.",
            described.join(", ")
        )),
        one_of: members,
        ..Schema::default()
    })
}

/// How a media type's bodies are written, if this client can write them.
fn known_encoding(content_type: &str) -> Option<BodyEncoding> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    Some(match essence.as_str() {
        "application/json" => BodyEncoding::Json,
        e if e.ends_with("+json") || e == "text/json" || e == "*/*" => BodyEncoding::Json,
        "application/x-www-form-urlencoded" => BodyEncoding::Form,
        "multipart/form-data" | "multipart/mixed" => BodyEncoding::Multipart,
        e if e.starts_with("text/") && e != "text/xml" && e != "text/html" => BodyEncoding::Text,
        // XML (no serializer here) travels as the bytes the caller wrote.
        "application/xml" | "text/xml" | "text/html" => BodyEncoding::Binary,
        _ => BodyEncoding::Binary,
    })
}

fn encoding_of(content_type: &str) -> BodyEncoding {
    known_encoding(content_type).unwrap_or(BodyEncoding::Binary)
}

/// The media type a body or response is read as: JSON first, then form,
/// multipart, text and binary types, in spec order within each.
fn preferred_media(content: &BTreeMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    let rank = |encoding: BodyEncoding| match encoding {
        BodyEncoding::Json => 0,
        BodyEncoding::Form => 1,
        BodyEncoding::Multipart => 2,
        BodyEncoding::Text => 3,
        BodyEncoding::Binary => 4,
    };
    content
        .iter()
        .filter_map(|(ct, media)| known_encoding(ct).map(|e| (rank(e), ct.as_str(), media)))
        .min_by_key(|(rank, ct, _)| (*rank, ct.len(), *ct))
        .map(|(_, ct, media)| (ct, media))
}

/// Google-style paging: an optional `pageToken` string parameter and a
/// `nextPageToken` string field in the response.
fn paging(
    optional: &[Parameter],
    response: Option<&Type>,
    context: &Context<'_>,
) -> Option<Paging> {
    let token = optional.iter().find(|p| {
        p.wire_name == "pageToken" && p.ty == Type::String && !p.repeated && p.style.is_none()
    })?;
    let Some(Type::Named(name)) = response else {
        return None;
    };
    let schema = ir::find_schema(context.schemas, name)?;
    let SchemaKind::Struct { fields } = &schema.kind else {
        return None;
    };
    let next = fields
        .iter()
        .find(|f| f.wire_name == "nextPageToken" && f.ty == Type::String)?;
    Some(Paging {
        token_field: token.rust_name.clone(),
        next_token_field: next.rust_name.clone(),
        items: None,
        candidates: Vec::new(),
    })
}
