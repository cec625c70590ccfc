//! Lowering of schemas: named types, objects and enums declared inline in
//! their fields, and the Rust type of every JSON value.
//!
//! A type declared inline lives in the module of the schema that declares
//! it, named after its field: `AclRule.scope` becomes
//! `models::acl_rule::Scope`, and its own inline types go one module deeper
//! (`models::acl_rule::scope::...`). Each field declares at most one type,
//! found by following arrays and maps down to the value they hold.

use super::{CRATE_NAMES, Lowering, PRELUDE_TYPES, reserve_all};
use crate::discovery;
use crate::error::{Error, JsonPath};
use crate::ir::{Enum, EnumRef, Field, Schema, SchemaKind, Type};
use crate::naming::{Case, Namespace};
use std::collections::BTreeMap;

/// What lowering needs to know about the named schemas while it walks methods.
pub(super) struct SchemaIndex {
    /// Rust type name of every named schema, by spec name.
    pub rust_names: BTreeMap<String, String>,
    /// Whether a named schema is an object without fields.
    pub empty: BTreeMap<String, bool>,
    /// The Rust field holding `nextPageToken`, for schemas that have a string one.
    pub next_page_token: BTreeMap<String, String>,
}

/// The kind of type a field declares inline, if any.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Declared {
    Enum,
    Object,
}

/// A type a value declares, already named.
struct Declaration<'a> {
    /// Spec-style name for messages, such as `AclRule.scope`.
    spec_name: String,
    /// The type's name in its module.
    type_name: &'a str,
    /// For objects, the module of the object's own inner types.
    module: Option<&'a str>,
    /// The description to use when the declaring schema has none of its own.
    fallback_description: &'a str,
}

/// Where inner types of one schema are collected while its fields are lowered.
#[derive(Default)]
struct Inner {
    enums: Vec<Enum>,
    nested: Vec<Schema>,
}

/// Whether a schema describes a JSON object (some documents leave out
/// `"type": "object"` when `properties` says as much).
fn is_object(schema: &discovery::Schema) -> bool {
    match schema.kind.as_deref() {
        Some("object") => true,
        None => {
            schema.reference.is_none()
                && (!schema.properties.is_empty() || schema.additional_properties.is_some())
        }
        _ => false,
    }
}

/// The type a value declares inline, following arrays and maps to their values.
fn declared(schema: &discovery::Schema) -> Option<Declared> {
    if schema.reference.is_some() {
        return None;
    }
    if is_object(schema) {
        return if schema.properties.is_empty() {
            schema.additional_properties.as_deref().and_then(declared)
        } else {
            Some(Declared::Object)
        };
    }
    match schema.kind.as_deref() {
        Some("array") => schema.items.as_deref().and_then(declared),
        Some("string") if schema.enum_values.is_some() => Some(Declared::Enum),
        _ => None,
    }
}

/// Whether `ty` has a 64-bit integer (sent as a string) anywhere inside.
fn contains_int64(ty: &Type) -> bool {
    match ty {
        Type::I64 | Type::U64 => true,
        Type::Array(inner) | Type::Map(inner) => contains_int64(inner),
        _ => false,
    }
}

impl Lowering<'_> {
    /// Every named schema, with the index methods need.
    pub(super) fn schemas(&self) -> Result<(Vec<Schema>, SchemaIndex), Error> {
        let doc = self.document;
        let root = JsonPath::root().join("schemas");
        let names = reserve_all(Namespace::new(Case::UpperCamel, "schema"), PRELUDE_TYPES)
            .assign(doc.schemas.keys().map(String::as_str))
            .map_err(|e| self.naming_error(e, &root))?;
        let modules = reserve_all(Namespace::new(Case::Snake, "schema module"), CRATE_NAMES)
            .assign(doc.schemas.keys().map(String::as_str))
            .map_err(|e| self.naming_error(e, &root))?;
        let mut schemas = Vec::new();
        let mut empty = BTreeMap::new();
        let mut next_page_token = BTreeMap::new();
        for (name, schema) in &doc.schemas {
            let path = root.join(name.as_str());
            let lowered = self.schema(
                name,
                &names[name],
                &modules[name],
                None,
                schema,
                &names,
                &path,
            )?;
            if let SchemaKind::Struct { fields } = &lowered.kind {
                empty.insert(name.clone(), fields.is_empty());
                if let Some(field) = fields
                    .iter()
                    .find(|f| f.wire_name == "nextPageToken" && f.ty == Type::String)
                {
                    next_page_token.insert(name.clone(), field.rust_name.clone());
                }
            } else {
                empty.insert(name.clone(), false);
            }
            schemas.push(lowered);
        }
        Ok((
            schemas,
            SchemaIndex {
                rust_names: names,
                empty,
                next_page_token,
            },
        ))
    }

    /// One schema; `parent_module` is the module path (under `models`) of
    /// the schema declaring it inline, if it is not a named schema.
    #[allow(clippy::too_many_arguments)]
    fn schema(
        &self,
        spec_name: &str,
        rust_name: &str,
        module: &str,
        parent_module: Option<&str>,
        schema: &discovery::Schema,
        names: &BTreeMap<String, String>,
        path: &JsonPath,
    ) -> Result<Schema, Error> {
        let module_path = match parent_module {
            Some(parent) => format!("{parent}::{module}"),
            None => module.to_owned(),
        };
        if schema.additional_properties.is_some() && !schema.properties.is_empty() {
            return Err(self.spec_error(
                path,
                "an object with both `properties` and `additionalProperties` is not supported yet",
            ));
        }
        let mut inner = Inner::default();
        let is_struct = is_object(schema) && schema.additional_properties.is_none();
        let kind = if is_struct {
            SchemaKind::Struct {
                fields: self.fields(spec_name, &module_path, schema, names, path, &mut inner)?,
            }
        } else {
            // A named array or map: the type its values declare, if any, is
            // called `Item` or `Value` in the schema's module.
            let (type_name, module) = match schema.kind.as_deref() {
                Some("array") => ("Item", "item"),
                _ => ("Value", "value"),
            };
            let declaration = Declaration {
                spec_name: format!("{spec_name}.{}", module),
                type_name,
                module: Some(module),
                fallback_description: schema.description.as_deref().unwrap_or_default(),
            };
            let ty = self.value_type(
                schema,
                names,
                path,
                &module_path,
                Some(&declaration),
                &mut inner,
            )?;
            if contains_int64(&ty) {
                return Err(self.spec_error(
                    path,
                    "a named schema that is (or holds) a 64-bit integer outside an object is not supported yet",
                ));
            }
            SchemaKind::Alias(ty)
        };
        Ok(Schema {
            name: spec_name.to_owned(),
            rust_name: rust_name.to_owned(),
            module: module.to_owned(),
            description: schema.description.clone().unwrap_or_default(),
            kind,
            enums: inner.enums,
            nested: inner.nested,
            deprecated: schema.deprecated.unwrap_or(false),
        })
    }

    /// The fields of an object schema, declaring their inline types in `inner`.
    fn fields(
        &self,
        spec_name: &str,
        module_path: &str,
        schema: &discovery::Schema,
        names: &BTreeMap<String, String>,
        path: &JsonPath,
        inner: &mut Inner,
    ) -> Result<Vec<Field>, Error> {
        let properties_path = path.join("properties");
        let field_names = Namespace::new(Case::Snake, format!("field of schema {spec_name}"))
            .assign(schema.properties.keys().map(String::as_str))
            .map_err(|e| self.naming_error(e, &properties_path))?;
        let declaring: Vec<(&str, Declared)> = schema
            .properties
            .iter()
            .filter_map(|(wire, property)| declared(property).map(|d| (wire.as_str(), d)))
            .collect();
        // Enums and objects declared by the fields share the schema's module.
        let type_names = reserve_all(
            Namespace::new(Case::UpperCamel, format!("type in schema {spec_name}")),
            PRELUDE_TYPES,
        )
        .assign(declaring.iter().map(|(wire, _)| *wire))
        .map_err(|e| self.naming_error(e, &properties_path))?;
        let module_names = reserve_all(
            Namespace::new(Case::Snake, format!("module in schema {spec_name}")),
            CRATE_NAMES,
        )
        .assign(
            declaring
                .iter()
                .filter(|(_, d)| *d == Declared::Object)
                .map(|(wire, _)| *wire),
        )
        .map_err(|e| self.naming_error(e, &properties_path))?;
        let mut fields = Vec::new();
        for (wire_name, property) in &schema.properties {
            let field_path = properties_path.join(wire_name.as_str());
            let declaration = type_names.get(wire_name).map(|type_name| Declaration {
                spec_name: format!("{spec_name}.{wire_name}"),
                type_name,
                module: module_names.get(wire_name).map(String::as_str),
                fallback_description: property.description.as_deref().unwrap_or_default(),
            });
            let ty = self.value_type(
                property,
                names,
                &field_path,
                module_path,
                declaration.as_ref(),
                inner,
            )?;
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
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name: field_names[wire_name].clone(),
                description: property.description.clone().unwrap_or_default(),
                ty,
                read_only: property.read_only.unwrap_or(false),
                deprecated: property.deprecated.unwrap_or(false),
                // Decided for all schemas at once, in `recursion`.
                boxed: false,
                flatten: false,
            });
        }
        Ok(fields)
    }

    /// The Rust type of a field, array element or map value. A type the
    /// value declares inline is named by `declaration` and added to `inner`.
    fn value_type(
        &self,
        schema: &discovery::Schema,
        names: &BTreeMap<String, String>,
        path: &JsonPath,
        module_path: &str,
        declaration: Option<&Declaration<'_>>,
        inner: &mut Inner,
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
        let declared_here = || {
            declaration.ok_or_else(|| {
                self.spec_error(
                    path,
                    "a type declared inline is only supported in a schema's fields, arrays and maps",
                )
            })
        };
        if is_object(schema) {
            // A map or an inline object is one level deeper; a free-form
            // object is a leaf (`serde_json::Value`), but counting it too
            // keeps the rule simple.
            let _level = self.enter(path)?;
            return match (&schema.additional_properties, schema.properties.is_empty()) {
                (Some(_), false) => Err(self.spec_error(
                    path,
                    "an object with both `properties` and `additionalProperties` is not supported yet",
                )),
                (Some(values), true) => Ok(Type::Map(Box::new(self.value_type(
                    values,
                    names,
                    &path.join("additionalProperties"),
                    module_path,
                    declaration,
                    inner,
                )?))),
                // A free-form object.
                (None, true) => Ok(Type::Any),
                (None, false) => {
                    let declaration = declared_here()?;
                    let module = declaration.module.unwrap_or("value");
                    let mut nested = self.schema(
                        &declaration.spec_name,
                        declaration.type_name,
                        module,
                        Some(module_path),
                        schema,
                        names,
                        path,
                    )?;
                    if nested.description.trim().is_empty() {
                        nested.description = declaration.fallback_description.to_owned();
                    }
                    inner.nested.push(nested);
                    Ok(Type::Named(format!(
                        "{module_path}::{}",
                        declaration.type_name
                    )))
                }
            };
        }
        let kind = schema
            .kind
            .as_deref()
            .ok_or_else(|| self.spec_error(path, "expected a `type` or a `$ref`"))?;
        match kind {
            "array" => {
                let _level = self.enter(path)?;
                let items = schema.items.as_deref().ok_or_else(|| {
                    self.spec_error(&path.join("items"), "an array needs an `items` schema")
                })?;
                Ok(Type::Array(Box::new(self.value_type(
                    items,
                    names,
                    &path.join("items"),
                    module_path,
                    declaration,
                    inner,
                )?)))
            }
            "string" if schema.enum_values.is_some() => {
                let declaration = declared_here()?;
                let description = schema
                    .description
                    .as_deref()
                    .filter(|d| !d.trim().is_empty())
                    .unwrap_or(declaration.fallback_description);
                inner.enums.push(self.enumeration(
                    declaration.type_name,
                    description,
                    schema.enum_values.as_deref().unwrap_or_default(),
                    schema.enum_descriptions.as_deref(),
                    schema.enum_deprecated.as_deref(),
                    path,
                )?);
                Ok(Type::Enum(EnumRef {
                    module: format!("models::{module_path}"),
                    name: declaration.type_name.to_owned(),
                    definition: None,
                }))
            }
            _ => self.scalar(kind, schema.format.as_deref(), false, path),
        }
    }
}

impl Lowering<'_> {
    /// The type of a value outside any schema (a method's inline request or
    /// response), which has nowhere to declare a type of its own.
    pub(super) fn detached_type(
        &self,
        schema: &discovery::Schema,
        names: &BTreeMap<String, String>,
        path: &JsonPath,
    ) -> Result<Type, Error> {
        self.value_type(schema, names, path, "", None, &mut Inner::default())
    }
}
