//! API diffs: what changed between two lowered APIs, in API terms, and what
//! each change does to users of the crate this project generates.
//!
//! The comparison runs on the IR, never on JSON text, so key order,
//! whitespace, `revision` and `etag` are never changes. Every change has a
//! stable identifier (a scope URL, a method id, `Schema.field`,
//! `method.id.parameter`, `Schema.field=VALUE`) and is classified as
//! breaking or not by the rules in [`rules`]; the report's semver bump
//! follows from them.

mod render;
pub mod rules;

use crate::ir::{Api, Enum, Method, Parameter, Schema, SchemaKind, Type};
use crate::path_template::{Expansion, PathPart};
use rules::Kind;
use std::collections::BTreeMap;

/// One difference between two APIs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// What kind of change it is.
    pub kind: Kind,
    /// The stable identifier of the changed item.
    pub item: String,
    /// What it was and what it is, for people.
    pub detail: String,
}

impl Change {
    /// Whether users of the generated crate must change their code (or
    /// will see their calls behave differently).
    pub fn breaking(&self) -> bool {
        self.kind.breaking()
    }
}

/// The version bump a change set needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Semver {
    /// Nothing changed.
    None,
    /// Only documentation changed.
    Patch,
    /// Additions that break no user.
    Minor,
    /// At least one breaking change.
    Major,
}

impl Semver {
    /// `none`, `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }
}

/// Every change between two APIs, sorted by kind then item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The API's name and version, such as `dataportability v1`.
    pub api: String,
    /// The old and new `revision`.
    pub revisions: (String, String),
    /// The changes, sorted.
    pub changes: Vec<Change>,
}

impl Report {
    /// The bump the changes need.
    pub fn semver(&self) -> Semver {
        self.changes
            .iter()
            .map(|c| match (c.breaking(), c.kind.documentation()) {
                (true, _) => Semver::Major,
                (false, true) => Semver::Patch,
                (false, false) => Semver::Minor,
            })
            .max()
            .unwrap_or(Semver::None)
    }

    /// The breaking changes.
    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.breaking())
    }

    /// The changes that break nobody and are not documentation only.
    pub fn additive(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| !c.breaking() && !c.kind.documentation())
    }

    /// The documentation-only changes.
    pub fn documentation(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.kind.documentation())
    }

    /// One line: how many changes of each sort, such as
    /// `1 breaking change, 2 non-breaking changes`.
    pub fn summary(&self) -> String {
        render::summary(
            self.breaking().count(),
            self.additive().count(),
            self.documentation().count(),
        )
    }
}

/// Compares two APIs.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut out = Changes::default();
    compare_api(old, new, &mut out);
    let mut changes = out.0;
    changes.sort();
    changes.dedup();
    Report {
        api: format!("{} {}", new.name, new.version),
        revisions: (old.revision.clone(), new.revision.clone()),
        changes,
    }
}

#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, kind: Kind, item: impl Into<String>, detail: impl Into<String>) {
        self.0.push(Change {
            kind,
            item: item.into(),
            detail: detail.into(),
        });
    }
}

fn compare_api(old: &Api, new: &Api, out: &mut Changes) {
    if old.root_url != new.root_url {
        out.push(
            Kind::BaseUrlChanged,
            "rootUrl",
            format!("`{}` → `{}`", old.root_url, new.root_url),
        );
    }
    if old.service_path != new.service_path {
        out.push(
            Kind::ServicePathChanged,
            "servicePath",
            format!("`{}` → `{}`", old.service_path, new.service_path),
        );
    }
    if old.description != new.description {
        out.push(
            Kind::DescriptionChanged,
            "description",
            "the API's description",
        );
    }
    // Scopes, by URL.
    let old_scopes: BTreeMap<&str, &crate::ir::Scope> =
        old.scopes.iter().map(|s| (s.url.as_str(), s)).collect();
    let new_scopes: BTreeMap<&str, &crate::ir::Scope> =
        new.scopes.iter().map(|s| (s.url.as_str(), s)).collect();
    for (url, scope) in &old_scopes {
        match new_scopes.get(url) {
            None => out.push(
                Kind::ScopeRemoved,
                *url,
                format!("`Scope::{}` is removed", scope.variant),
            ),
            Some(now) if now.variant != scope.variant => out.push(
                Kind::RenamedInRust,
                *url,
                format!("`Scope::{}` → `Scope::{}`", scope.variant, now.variant),
            ),
            Some(_) => {}
        }
    }
    for (url, scope) in &new_scopes {
        if !old_scopes.contains_key(url) {
            out.push(
                Kind::ScopeAdded,
                *url,
                format!("`Scope::{}`", scope.variant),
            );
        }
    }
    compare_resource_names(old, new, out);
    compare_parameters(
        "parameters",
        &old.standard_params,
        &new.standard_params,
        out,
    );
    // Schemas, inline ones included, by spec name.
    let old_schemas = schemas_by_name(&old.schemas);
    let new_schemas = schemas_by_name(&new.schemas);
    for (name, schema) in &old_schemas {
        match new_schemas.get(name) {
            None => out.push(
                Kind::SchemaRemoved,
                name.as_str(),
                format!("`{}` is removed", schema.rust_name),
            ),
            Some(now) => compare_schema(name, schema, now, out),
        }
    }
    for (name, schema) in &new_schemas {
        if !old_schemas.contains_key(name) {
            out.push(
                Kind::SchemaAdded,
                name.as_str(),
                format!("`{}`", schema.rust_name),
            );
        }
    }
    // Methods, by id.
    let old_methods = methods_by_id(old);
    let new_methods = methods_by_id(new);
    for (id, method) in &old_methods {
        match new_methods.get(id) {
            None => out.push(
                Kind::MethodRemoved,
                *id,
                format!("`{}` is removed", method.fn_name),
            ),
            Some(now) => compare_method(old, new, method, now, out),
        }
    }
    for (id, method) in &new_methods {
        if !old_methods.contains_key(id) {
            out.push(
                Kind::MethodAdded,
                *id,
                format!("`{} {}`", method.http_method.as_str(), method.path),
            );
        }
    }
}

fn schemas_by_name(schemas: &[Schema]) -> BTreeMap<String, &Schema> {
    let mut out = BTreeMap::new();
    let mut pending: Vec<&Schema> = schemas.iter().collect();
    while let Some(schema) = pending.pop() {
        out.insert(schema.name.clone(), schema);
        pending.extend(&schema.nested);
    }
    out
}

fn methods_by_id(api: &Api) -> BTreeMap<&str, &Method> {
    api.all_methods()
        .into_iter()
        .map(|m| (m.id.as_str(), m))
        .collect()
}

/// A type as the API documents it, for comparison and messages.
fn describe(ty: &Type) -> String {
    match ty {
        Type::String => "string".into(),
        Type::Bool => "boolean".into(),
        Type::I32 => "int32".into(),
        Type::U32 => "uint32".into(),
        Type::F32 => "float".into(),
        Type::F64 => "double".into(),
        Type::I64 => "int64".into(),
        Type::U64 => "uint64".into(),
        Type::Timestamp => "timestamp".into(),
        Type::Date => "date".into(),
        Type::Duration => "duration".into(),
        Type::FieldMask => "field mask".into(),
        Type::Bytes => "bytes".into(),
        Type::Any => "any".into(),
        Type::Binary => "binary".into(),
        Type::Array(item) => format!("array of {}", describe(item)),
        Type::Map(value) => format!("map of {}", describe(value)),
        Type::Named(path) => path.rsplit("::").next().unwrap_or(path).to_owned(),
        // Values are compared one by one.
        Type::Enum(_) => "enum".into(),
    }
}

fn compare_schema(name: &str, old: &Schema, new: &Schema, out: &mut Changes) {
    if old.rust_name != new.rust_name {
        out.push(
            Kind::RenamedInRust,
            name,
            format!("`{}` → `{}`", old.rust_name, new.rust_name),
        );
    }
    if old.description != new.description {
        out.push(Kind::DescriptionChanged, name, "the schema's description");
    }
    if !old.deprecated && new.deprecated {
        out.push(Kind::SchemaDeprecated, name, "marked deprecated");
    }
    match (&old.kind, &new.kind) {
        (SchemaKind::Struct { fields: old_fields }, SchemaKind::Struct { fields: new_fields }) => {
            let before: BTreeMap<&str, _> = old_fields
                .iter()
                .map(|f| (f.wire_name.as_str(), f))
                .collect();
            let after: BTreeMap<&str, _> = new_fields
                .iter()
                .map(|f| (f.wire_name.as_str(), f))
                .collect();
            for (wire, field) in &before {
                let item = format!("{name}.{wire}");
                let Some(now) = after.get(wire) else {
                    out.push(
                        Kind::FieldRemoved,
                        item,
                        format!("`{}` is removed", field.rust_name),
                    );
                    continue;
                };
                if describe(&field.ty) != describe(&now.ty) {
                    out.push(
                        Kind::FieldTypeChanged,
                        item.clone(),
                        format!("{} → {}", describe(&field.ty), describe(&now.ty)),
                    );
                }
                if field.rust_name != now.rust_name {
                    out.push(
                        Kind::RenamedInRust,
                        item.clone(),
                        format!("`{}` → `{}`", field.rust_name, now.rust_name),
                    );
                }
                if !field.deprecated && now.deprecated {
                    out.push(Kind::FieldDeprecated, item.clone(), "marked deprecated");
                }
                if field.description != now.description {
                    out.push(
                        Kind::DescriptionChanged,
                        item.clone(),
                        "the field's description",
                    );
                }
                if let (Some(a), Some(b)) = (field_enum(old, &field.ty), field_enum(new, &now.ty)) {
                    compare_enum(&item, a, b, out);
                }
            }
            for (wire, field) in &after {
                if !before.contains_key(wire) {
                    out.push(
                        Kind::FieldAdded,
                        format!("{name}.{wire}"),
                        format!("`{}`: {}", field.rust_name, describe(&field.ty)),
                    );
                }
            }
        }
        (SchemaKind::Alias(a), SchemaKind::Alias(b)) if describe(a) == describe(b) => {}
        (a, b) => out.push(
            Kind::SchemaTypeChanged,
            name,
            format!("{} → {}", describe_kind(a), describe_kind(b)),
        ),
    }
}

fn describe_kind(kind: &SchemaKind) -> String {
    match kind {
        SchemaKind::Struct { .. } => "object".into(),
        SchemaKind::Alias(ty) => describe(ty),
        SchemaKind::Union { variants, .. } => {
            let shapes: Vec<String> = variants.iter().map(|v| describe(&v.ty)).collect();
            format!("one of {}", shapes.join(", "))
        }
    }
}

/// The enum a field's type refers to, declared in its schema.
fn field_enum<'s>(schema: &'s Schema, ty: &Type) -> Option<&'s Enum> {
    match ty {
        Type::Enum(reference) => schema.enums.iter().find(|e| e.rust_name == reference.name),
        Type::Array(inner) | Type::Map(inner) => field_enum(schema, inner),
        _ => None,
    }
}

fn compare_enum(item: &str, old: &Enum, new: &Enum, out: &mut Changes) {
    let before: BTreeMap<&str, _> = old
        .variants
        .iter()
        .map(|v| (v.wire_name.as_str(), v))
        .collect();
    let after: BTreeMap<&str, _> = new
        .variants
        .iter()
        .map(|v| (v.wire_name.as_str(), v))
        .collect();
    for (value, variant) in &before {
        let id = format!("{item}={value}");
        match after.get(value) {
            None => out.push(
                Kind::EnumValueRemoved,
                id,
                format!("`{}::{}` is removed", old.rust_name, variant.rust_name),
            ),
            Some(now) => {
                if now.rust_name != variant.rust_name {
                    out.push(
                        Kind::RenamedInRust,
                        id.clone(),
                        format!("`{}` → `{}`", variant.rust_name, now.rust_name),
                    );
                }
                if !variant.deprecated && now.deprecated {
                    out.push(Kind::EnumValueDeprecated, id, "marked deprecated");
                }
            }
        }
    }
    for (value, variant) in &after {
        if !before.contains_key(value) {
            out.push(
                Kind::EnumValueAdded,
                format!("{item}={value}"),
                format!("`{}::{}`", new.rust_name, variant.rust_name),
            );
        }
    }
}

/// Typed resource names, by template (`names.projects/*/locations/*`): a
/// type that goes away or changes its name breaks code that names it.
fn compare_resource_names(old: &Api, new: &Api, out: &mut Changes) {
    let by_template = |api: &Api| -> BTreeMap<String, String> {
        api.resource_names
            .iter()
            .map(|n| (n.binding.to_string(), n.rust_name.clone()))
            .collect()
    };
    let (old_names, new_names) = (by_template(old), by_template(new));
    for (template, name) in &old_names {
        let item = format!("names.{template}");
        match new_names.get(template) {
            None => out.push(
                Kind::ResourceNameRemoved,
                item,
                format!("`names::{name}` is removed"),
            ),
            Some(now) if now != name => out.push(
                Kind::RenamedInRust,
                item,
                format!("`names::{name}` → `names::{now}`"),
            ),
            Some(_) => {}
        }
    }
    for (template, name) in &new_names {
        if !old_names.contains_key(template) {
            out.push(
                Kind::ResourceNameAdded,
                format!("names.{template}"),
                format!("`names::{name}`"),
            );
        }
    }
}

fn compare_method(old_api: &Api, new_api: &Api, old: &Method, new: &Method, out: &mut Changes) {
    let id = old.id.as_str();
    if old.fn_name != new.fn_name {
        out.push(
            Kind::RenamedInRust,
            id,
            format!("`{}` → `{}`", old.fn_name, new.fn_name),
        );
    }
    if old.http_method != new.http_method {
        out.push(
            Kind::HttpMethodChanged,
            id,
            format!(
                "{} → {}",
                old.http_method.as_str(),
                new.http_method.as_str()
            ),
        );
    }
    // The path's literal shape, and each variable's binding apart.
    let shape = |m: &Method| {
        m.path
            .parts
            .iter()
            .map(|p| match p {
                PathPart::Literal(text) => text.clone(),
                PathPart::Variable(v) => match v.expansion {
                    Expansion::Simple(_) => format!("{{{}}}", v.name),
                    Expansion::Reserved(_) => format!("{{+{}}}", v.name),
                },
            })
            .collect::<String>()
    };
    if shape(old) != shape(new) {
        out.push(
            Kind::PathChanged,
            id,
            format!("`{}` → `{}`", old.path, new.path),
        );
    } else {
        for (a, b) in old.path.variables().zip(new.path.variables()) {
            if a.expansion != b.expansion {
                out.push(
                    Kind::ParameterPatternChanged,
                    format!("{id}.{}", a.name),
                    format!("`{}` → `{}`", old.path, new.path),
                );
            }
        }
    }
    if old.deprecated != new.deprecated && new.deprecated {
        out.push(Kind::MethodDeprecated, id, "marked deprecated");
    }
    if old.description != new.description {
        out.push(Kind::DescriptionChanged, id, "the method's description");
    }
    let body = |b: &Option<crate::ir::Body>| b.as_ref().map(|b| describe(&b.ty));
    if body(&old.request) != body(&new.request) {
        out.push(
            Kind::RequestChanged,
            id,
            format!(
                "{} → {}",
                shown(body(&old.request)),
                shown(body(&new.request))
            ),
        );
    }
    if sent(old) != sent(new) {
        out.push(
            Kind::ResponseChanged,
            id,
            format!("{} → {}", shown(sent(old)), shown(sent(new))),
        );
    }
    let urls = |api: &Api, m: &Method| -> Vec<String> {
        m.scopes
            .iter()
            .filter_map(|v| api.scopes.iter().find(|s| s.variant == *v))
            .map(|s| s.url.clone())
            .collect()
    };
    let (old_urls, new_urls) = (urls(old_api, old), urls(new_api, new));
    for url in &old_urls {
        if !new_urls.contains(url) {
            out.push(
                Kind::MethodScopeRemoved,
                format!("{id} {url}"),
                "no longer authorizes the call",
            );
        }
    }
    for url in &new_urls {
        if !old_urls.contains(url) {
            out.push(
                Kind::MethodScopeAdded,
                format!("{id} {url}"),
                "now authorizes the call too",
            );
        }
    }
    let features = [
        (
            old.paging.is_some(),
            new.paging.is_some(),
            Kind::PagingAdded,
            Kind::PagingRemoved,
            "`pages()`",
        ),
        (
            old.download.is_some(),
            new.download.is_some(),
            Kind::MediaDownloadAdded,
            Kind::MediaDownloadRemoved,
            "`download()`",
        ),
        (
            old.upload.is_some(),
            new.upload.is_some(),
            Kind::MediaUploadAdded,
            Kind::MediaUploadRemoved,
            "`upload()`",
        ),
    ];
    for (was, is, added, removed, what) in features {
        match (was, is) {
            (false, true) => out.push(added, id, what),
            (true, false) => out.push(removed, id, what),
            _ => {}
        }
    }
    compare_items(id, old, new, out);
    match (&old.long_running, &new.long_running) {
        (None, Some(_)) => out.push(Kind::LongRunningAdded, id, "`poller()`"),
        (Some(_), None) => out.push(Kind::LongRunningRemoved, id, "`poller()`"),
        _ => {}
    }
    let params = |m: &Method| -> Vec<(Parameter, bool)> {
        m.args
            .iter()
            .map(|p| (p.clone(), true))
            .chain(m.optional.iter().map(|p| (p.clone(), false)))
            .collect()
    };
    compare_method_parameters(id, &params(old), &params(new), out);
}

/// A list call's item stream: gained, lost, or now over another field
/// (which changes what `items()` yields).
fn compare_items(id: &str, old: &Method, new: &Method, out: &mut Changes) {
    let items = |m: &Method| {
        m.paging
            .as_ref()
            .and_then(|p| p.items.as_ref())
            .map(|i| (i.wire_name.clone(), i.ty.clone(), i.keyed))
    };
    match (items(old), items(new)) {
        (None, Some(_)) => out.push(Kind::ItemsAdded, id, "`items()`"),
        (Some(_), None) => out.push(Kind::ItemsRemoved, id, "`items()`"),
        (Some(was), Some(is)) if was != is => out.push(
            Kind::ItemsRemoved,
            id,
            format!("`items()` now streams `{}` instead of `{}`", is.0, was.0),
        ),
        _ => {}
    }
}

/// What a method's `send` returns: its response type, or for a method
/// without one that serves content, the content's stream (`Download`), so
/// that gaining or losing download there is a change of `send`'s type.
fn sent(method: &Method) -> Option<String> {
    match (&method.response, &method.download) {
        (Some(ty), _) => Some(describe(ty)),
        (None, Some(_)) => Some("the content's stream (`Download`)".to_owned()),
        (None, None) => None,
    }
}

fn shown(value: Option<String>) -> String {
    value.unwrap_or_else(|| "none".to_owned())
}

fn compare_method_parameters(
    id: &str,
    old: &[(Parameter, bool)],
    new: &[(Parameter, bool)],
    out: &mut Changes,
) {
    let before: BTreeMap<&str, _> = old
        .iter()
        .map(|(p, r)| (p.wire_name.as_str(), (p, *r)))
        .collect();
    let after: BTreeMap<&str, _> = new
        .iter()
        .map(|(p, r)| (p.wire_name.as_str(), (p, *r)))
        .collect();
    for (wire, (param, required)) in &before {
        let item = format!("{id}.{wire}");
        let Some((now, now_required)) = after.get(wire) else {
            out.push(
                Kind::ParameterRemoved,
                item,
                format!("`{}` is removed", param.rust_name),
            );
            continue;
        };
        match (required, now_required) {
            (false, true) => out.push(
                Kind::ParameterMadeRequired,
                item.clone(),
                "now a positional argument",
            ),
            (true, false) => out.push(
                Kind::ParameterMadeOptional,
                item.clone(),
                "now a setter on the call",
            ),
            _ => {}
        }
        compare_parameter(&item, param, now, out);
    }
    for (wire, (param, required)) in &after {
        if !before.contains_key(wire) {
            let kind = if *required {
                Kind::RequiredParameterAdded
            } else {
                Kind::ParameterAdded
            };
            out.push(
                kind,
                format!("{id}.{wire}"),
                format!("`{}`: {}", param.rust_name, describe(&param.ty)),
            );
        }
    }
}

fn compare_parameters(prefix: &str, old: &[Parameter], new: &[Parameter], out: &mut Changes) {
    let old: Vec<(Parameter, bool)> = old.iter().map(|p| (p.clone(), false)).collect();
    let new: Vec<(Parameter, bool)> = new.iter().map(|p| (p.clone(), false)).collect();
    compare_method_parameters(prefix, &old, &new, out);
}

fn compare_parameter(item: &str, old: &Parameter, new: &Parameter, out: &mut Changes) {
    if old.rust_name != new.rust_name {
        out.push(
            Kind::RenamedInRust,
            item,
            format!("`{}` → `{}`", old.rust_name, new.rust_name),
        );
    }
    if describe(&old.ty) != describe(&new.ty) || old.repeated != new.repeated {
        let show = |p: &Parameter| {
            if p.repeated {
                format!("repeated {}", describe(&p.ty))
            } else {
                describe(&p.ty)
            }
        };
        out.push(
            Kind::ParameterTypeChanged,
            item,
            format!("{} → {}", show(old), show(new)),
        );
    }
    if old.location != new.location {
        out.push(
            Kind::ParameterLocationChanged,
            item,
            format!("{:?} → {:?}", old.location, new.location).to_lowercase(),
        );
    }
    // Path patterns show in the path's binding; this catches query ones.
    if old.pattern != new.pattern && old.location == crate::ir::Location::Query {
        out.push(
            Kind::ParameterPatternChanged,
            item,
            format!(
                "`{}` → `{}`",
                shown(old.pattern.clone()),
                shown(new.pattern.clone())
            ),
        );
    }
    if !old.deprecated && new.deprecated {
        out.push(Kind::ParameterDeprecated, item, "marked deprecated");
    }
    if old.description != new.description {
        out.push(
            Kind::DescriptionChanged,
            item,
            "the parameter's description",
        );
    }
    let definition = |p: &Parameter| match &p.ty {
        Type::Enum(reference) => reference.definition.as_deref().cloned(),
        _ => None,
    };
    if let (Some(a), Some(b)) = (definition(old), definition(new)) {
        compare_enum(item, &a, &b, out);
    }
}

pub use render::{to_json, to_markdown};
