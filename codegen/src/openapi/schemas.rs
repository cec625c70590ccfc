//! OpenAPI schemas to IR types: named schemas (components, and types that
//! bodies, responses and parameters declare inline, hoisted under names of
//! where they stand), `allOf` merged into one object, `oneOf`/`anyOf` as
//! unions, `nullable` and `type: [.., "null"]` as the optional every field
//! already is, and formats to the IR's scalar types.

use super::Lowering;
use super::model::Schema;
use super::refs::schema_ref_name;
use crate::error::{Error, JsonPath};
use crate::ir::{self, Enum, EnumRef, Field, SchemaKind, Type, UnionVariant};
use crate::lower::{CRATE_NAMES, PRELUDE_TYPES, UNKNOWN_VARIANT, reserve_all};
use crate::naming::{Case, Namespace};
use std::collections::{BTreeMap, BTreeSet};

/// How deep `allOf` may nest before it is taken for a cycle.
const MAX_ALL_OF_DEPTH: usize = 64;

/// A named schema to lower: a component, or one hoisted from an operation.
pub(super) struct Named<'a> {
    /// Its spec name (the component key, or a name made from where it stands).
    pub spec_name: String,
    /// The schema.
    pub schema: &'a Schema,
    /// Where it stands, for errors.
    pub path: JsonPath,
}

/// Rust names of the named schemas, by spec name.
pub(super) struct SchemaNames {
    /// Type names.
    pub types: BTreeMap<String, String>,
    /// Module names.
    pub modules: BTreeMap<String, String>,
}

/// A type that a value declares, already named.
struct Declaration<'a> {
    spec_name: String,
    type_name: &'a str,
    module: &'a str,
    fallback_description: &'a str,
}

/// Inner types of one schema, collected while its fields are lowered.
#[derive(Default)]
struct Inner {
    enums: Vec<Enum>,
    nested: Vec<ir::Schema>,
}

/// What a value declares inline, if anything: the kind decides whether its
/// name goes in the enum or the object namespace.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Declared {
    Enum,
    Object,
}

/// An `allOf` merged into one schema.
fn merged_all_of(lowering: &Lowering<'_>, schema: &Schema, depth: usize) -> Option<Schema> {
    if schema.all_of.is_empty() || depth > MAX_ALL_OF_DEPTH {
        return None;
    }
    let mut out = Schema {
        description: schema.description.clone(),
        title: schema.title.clone(),
        deprecated: schema.deprecated,
        nullable: schema.nullable,
        read_only: schema.read_only,
        write_only: schema.write_only,
        ..Schema::default()
    };
    let own = Schema {
        all_of: Vec::new(),
        ..schema.clone()
    };
    let mut parts: Vec<Schema> = schema.all_of.clone();
    parts.push(own);
    for part in parts {
        let part = match part.reference.as_deref().and_then(schema_ref_name) {
            Some(name) => match lowering.component(&name) {
                Some(target) => {
                    merged_all_of(lowering, target, depth + 1).unwrap_or_else(|| target.clone())
                }
                None => part,
            },
            None => merged_all_of(lowering, &part, depth + 1).unwrap_or(part),
        };
        if out.types.is_empty() {
            out.types = part.types.clone();
        }
        if out.format.is_none() {
            out.format = part.format.clone();
        }
        if out.description.is_none() {
            out.description = part.description.clone();
        }
        for (name, property) in &part.properties {
            out.properties.insert(name.clone(), property.clone());
        }
        for name in &part.required {
            if !out.required.contains(name) {
                out.required.push(name.clone());
            }
        }
        if out.additional_properties.is_none() {
            out.additional_properties = part.additional_properties.clone();
        }
        if out.items.is_none() {
            out.items = part.items.clone();
        }
        if out.enum_values.is_none() {
            out.enum_values = part.enum_values.clone();
        }
        if out.discriminator.is_none() {
            out.discriminator = part.discriminator.clone();
        }
        out.one_of.extend(part.one_of.iter().cloned());
        out.any_of.extend(part.any_of.iter().cloned());
    }
    if out.types.is_empty() && !out.properties.is_empty() {
        out.types = vec!["object".to_owned()];
    }
    Some(out)
}

/// The members of a `oneOf`/`anyOf` that are not just `null`.
fn union_members(schema: &Schema) -> Vec<&Schema> {
    schema
        .one_of
        .iter()
        .chain(&schema.any_of)
        .filter(|member| !member.is_null_only())
        .collect()
}

/// The string values of an enum or const, when every value is a string
/// (`null` values are left out: every field is optional already).
fn string_values(schema: &Schema) -> Option<Vec<String>> {
    let values: Vec<&serde_json::Value> = match (&schema.enum_values, &schema.const_value) {
        (Some(values), _) => values.iter().filter(|v| !v.is_null()).collect(),
        (None, Some(value)) => vec![value],
        (None, None) => return None,
    };
    let types = schema.non_null_types();
    if !(types.is_empty() || types == ["string"]) || values.is_empty() {
        return None;
    }
    values
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Whether every member of a union is a string (an enum, a const or any
/// string): such a union is one open enum.
fn string_union_values(members: &[&Schema]) -> Option<Vec<String>> {
    let mut values = Vec::new();
    for member in members {
        if member.reference.is_some() {
            return None;
        }
        match string_values(member) {
            Some(more) => values.extend(more),
            None if member.non_null_types() == ["string"] && member.format.is_none() => {}
            None => return None,
        }
    }
    (!values.is_empty()).then_some(values)
}

impl Lowering<'_> {
    /// The schema that a `$ref` names, if it is a component.
    pub(super) fn component(&self, name: &str) -> Option<&Schema> {
        self.document.components.schemas.get(name)
    }

    /// What a value declares inline, following arrays and maps.
    fn declared(&self, schema: &Schema) -> Option<Declared> {
        if schema.reference.is_some() && schema.all_of.is_empty() {
            return None;
        }
        if let Some(merged) = merged_all_of(self, schema, 0) {
            // `allOf: [$ref]` with nothing of its own is that schema.
            if schema.all_of.len() == 1
                && schema.all_of[0].reference.is_some()
                && schema.properties.is_empty()
            {
                return None;
            }
            return self.declared(&merged);
        }
        let members = union_members(schema);
        if !members.is_empty() {
            if members.len() == 1 {
                return self.declared(members[0]);
            }
            return Some(if string_union_values(&members).is_some() {
                Declared::Enum
            } else {
                Declared::Object
            });
        }
        if string_values(schema).is_some() {
            return Some(Declared::Enum);
        }
        if !schema.properties.is_empty() {
            return Some(Declared::Object);
        }
        if let Some(items) = &schema.items {
            return self.declared(items);
        }
        if let Some(values) = &schema.additional_properties {
            return self.declared(values);
        }
        None
    }

    /// Whether a body, response or parameter schema declares a type that
    /// must be hoisted into a named schema.
    pub(super) fn declares(&self, schema: &Schema) -> bool {
        self.declared(schema).is_some()
    }

    /// Names every named schema: components first in the namespace, so a
    /// hoisted schema never takes a component's name.
    pub(super) fn schema_names(&self, named: &[Named<'_>]) -> Result<SchemaNames, Error> {
        let root = JsonPath::root().join("components").join("schemas");
        let keyed: Vec<(String, &str)> = named
            .iter()
            .map(|n| (n.spec_name.clone(), n.spec_name.as_str()))
            .collect();
        let types = reserve_all(Namespace::new(Case::UpperCamel, "schema"), PRELUDE_TYPES)
            .assign_keyed(keyed.iter().map(|(k, n)| (k.clone(), *n)))
            .map_err(|e| self.naming_error(e, &root))?;
        let modules = reserve_all(Namespace::new(Case::Snake, "schema module"), CRATE_NAMES)
            .assign_keyed(keyed.iter().map(|(k, n)| (k.clone(), *n)))
            .map_err(|e| self.naming_error(e, &root))?;
        Ok(SchemaNames { types, modules })
    }

    /// Every named schema, lowered, in spec-name order.
    pub(super) fn named_schemas(
        &self,
        named: &[Named<'_>],
        names: &SchemaNames,
    ) -> Result<Vec<ir::Schema>, Error> {
        let mut sorted: Vec<&Named<'_>> = named.iter().collect();
        sorted.sort_by(|a, b| a.spec_name.cmp(&b.spec_name));
        sorted
            .into_iter()
            .map(|n| {
                self.schema(
                    &n.spec_name,
                    &names.types[&n.spec_name],
                    &names.modules[&n.spec_name],
                    None,
                    n.schema,
                    &names.types,
                    &n.path,
                )
            })
            .collect()
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
        schema: &Schema,
        names: &BTreeMap<String, String>,
        path: &JsonPath,
    ) -> Result<ir::Schema, Error> {
        let module_path = match parent_module {
            Some(parent) => format!("{parent}::{module}"),
            None => module.to_owned(),
        };
        let merged = merged_all_of(self, schema, 0);
        let schema = merged.as_ref().unwrap_or(schema);
        let mut inner = Inner::default();
        let members = union_members(schema);
        let description = schema
            .description
            .clone()
            .or_else(|| schema.title.clone())
            .unwrap_or_default();
        let kind = if members.len() > 1 && string_union_values(&members).is_none() {
            self.union(
                spec_name,
                &module_path,
                schema,
                &members,
                names,
                path,
                &mut inner,
            )?
        } else if members.is_empty()
            && (!schema.properties.is_empty()
                // A named object without properties is an empty message
                // (as in Discovery documents), not any JSON value.
                || (schema.non_null_types() == ["object"] && schema.additional_properties.is_none()))
        {
            SchemaKind::Struct {
                fields: self.fields(spec_name, &module_path, schema, names, path, &mut inner)?,
            }
        } else {
            let (type_name, module) = if schema.non_null_types() == ["array"] {
                ("Item", "item")
            } else {
                ("Value", "value")
            };
            let declaration = Declaration {
                spec_name: format!("{spec_name}.{module}"),
                type_name,
                module,
                fallback_description: &description,
            };
            let ty = self.value_type(
                schema,
                names,
                path,
                &module_path,
                Some(&declaration),
                &mut inner,
            )?;
            SchemaKind::Alias(ty)
        };
        Ok(ir::Schema {
            name: spec_name.to_owned(),
            rust_name: rust_name.to_owned(),
            module: module.to_owned(),
            description,
            kind,
            enums: inner.enums,
            nested: inner.nested,
            deprecated: schema.deprecated,
        })
    }

    /// A `oneOf`/`anyOf` of several shapes.
    #[allow(clippy::too_many_arguments)]
    fn union(
        &self,
        spec_name: &str,
        module_path: &str,
        schema: &Schema,
        members: &[&Schema],
        names: &BTreeMap<String, String>,
        path: &JsonPath,
        inner: &mut Inner,
    ) -> Result<SchemaKind, Error> {
        let key = if schema.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        };
        let spoken: Vec<(usize, String)> = members
            .iter()
            .enumerate()
            .map(|(i, member)| (i, variant_name(member, i)))
            .collect();
        let variant_names = Namespace::new(Case::UpperCamel, format!("shape of {spec_name}"))
            .reserve(UNKNOWN_VARIANT)
            .assign_keyed(spoken.iter().map(|(i, n)| (*i, n.as_str())))
            .map_err(|e| self.naming_error(e, &path.join(key)))?;
        let declaring: Vec<usize> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| self.declares(m))
            .map(|(i, _)| i)
            .collect();
        let modules = reserve_all(
            Namespace::new(Case::Snake, format!("module in {spec_name}")),
            CRATE_NAMES,
        )
        .assign_keyed(declaring.iter().map(|i| (*i, spoken[*i].1.as_str())))
        .map_err(|e| self.naming_error(e, &path.join(key)))?;
        let discriminator = schema
            .discriminator
            .as_ref()
            .filter(|d| !d.property_name.is_empty());
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_path = path.join(key).join(i.to_string());
            let type_name = &variant_names[&i];
            let declaration = modules.get(&i).map(|module| Declaration {
                spec_name: format!("{spec_name}.{type_name}"),
                type_name,
                module,
                fallback_description: "",
            });
            let ty = self.value_type(
                member,
                names,
                &member_path,
                module_path,
                declaration.as_ref(),
                inner,
            )?;
            let tags = match (
                discriminator,
                member.reference.as_deref().and_then(schema_ref_name),
            ) {
                (Some(d), Some(target)) => {
                    let mut tags: Vec<String> = d
                        .mapping
                        .iter()
                        .filter(|(_, to)| {
                            schema_ref_name(to).as_deref() == Some(target.as_str())
                                || **to == target
                        })
                        .map(|(tag, _)| tag.clone())
                        .collect();
                    if tags.is_empty() {
                        tags.push(target);
                    }
                    tags
                }
                _ => Vec::new(),
            };
            variants.push(UnionVariant {
                rust_name: type_name.clone(),
                ty,
                tags,
                boxed: false,
            });
        }
        Ok(SchemaKind::Union {
            variants,
            discriminator: discriminator.map(|d| d.property_name.clone()),
        })
    }

    /// The fields of an object schema, declaring their inline types in `inner`.
    fn fields(
        &self,
        spec_name: &str,
        module_path: &str,
        schema: &Schema,
        names: &BTreeMap<String, String>,
        path: &JsonPath,
        inner: &mut Inner,
    ) -> Result<Vec<Field>, Error> {
        let properties_path = path.join("properties");
        // A map of further properties beside the named ones is one more
        // field, `additional_properties`, flattened on the wire.
        let extra = schema
            .additional_properties
            .as_deref()
            .map(|values| (values, "additionalProperties"));
        // A property name with no letter or digit (`""`, `$`) still needs a
        // field: it is named after its position.
        let spoken_fields: Vec<(Option<String>, String)> = schema
            .properties
            .keys()
            .enumerate()
            .map(|(i, k)| {
                let spoken = if crate::naming::bare(k, Case::Snake).is_some() {
                    k.clone()
                } else {
                    format!("field {i}")
                };
                (Some(k.clone()), spoken)
            })
            .chain(extra.map(|(_, n)| (None, n.to_owned())))
            .collect();
        let field_names = Namespace::new(Case::Snake, format!("field of schema {spec_name}"))
            .assign_keyed(spoken_fields.iter().map(|(k, n)| (k.clone(), n.as_str())))
            .map_err(|e| self.naming_error(e, &properties_path))?;
        let declaring: Vec<(Option<String>, Declared)> = schema
            .properties
            .iter()
            .filter_map(|(wire, property)| self.declared(property).map(|d| (Some(wire.clone()), d)))
            .chain(extra.and_then(|(values, _)| self.declared(values).map(|d| (None, d))))
            .collect();
        let spoken = |key: &Option<String>| {
            key.clone()
                .unwrap_or_else(|| "additionalProperties".to_owned())
        };
        let spoken_names: Vec<(Option<String>, String)> = declaring
            .iter()
            .map(|(k, _)| (k.clone(), spoken(k)))
            .collect();
        let type_names = reserve_all(
            Namespace::new(Case::UpperCamel, format!("type in schema {spec_name}")),
            PRELUDE_TYPES,
        )
        .assign_keyed(spoken_names.iter().map(|(k, n)| (k.clone(), n.as_str())))
        .map_err(|e| self.naming_error(e, &properties_path))?;
        let module_names = reserve_all(
            Namespace::new(Case::Snake, format!("module in schema {spec_name}")),
            CRATE_NAMES,
        )
        .assign_keyed(
            declaring
                .iter()
                .zip(&spoken_names)
                .filter(|((_, d), _)| *d == Declared::Object)
                .map(|(_, (k, n))| (k.clone(), n.as_str())),
        )
        .map_err(|e| self.naming_error(e, &properties_path))?;
        let mut fields = Vec::new();
        let required: BTreeSet<&str> = schema.required.iter().map(String::as_str).collect();
        for (wire_name, property) in &schema.properties {
            let key = Some(wire_name.clone());
            let field_path = properties_path.join(wire_name.as_str());
            let declaration = type_names.get(&key).map(|type_name| Declaration {
                spec_name: format!("{spec_name}.{wire_name}"),
                type_name,
                module: module_names.get(&key).map_or("value", String::as_str),
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
            let mut description = property
                .description
                .clone()
                .or_else(|| property.title.clone())
                .unwrap_or_default();
            if required.contains(wire_name.as_str()) {
                description = append_note(&description, "Required by the API.");
            }
            if property.write_only {
                description = append_note(
                    &description,
                    "Sent in requests only; the server never returns it.",
                );
            }
            if let Some(default) = &property.default {
                description = append_note(
                    &description,
                    &format!("The server's default is `{default}`."),
                );
            }
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name: field_names[&key].clone(),
                description,
                ty,
                read_only: property.read_only,
                deprecated: property.deprecated,
                boxed: false,
                flatten: false,
            });
        }
        if let Some((values, _)) = extra {
            let declaration = type_names.get(&None).map(|type_name| Declaration {
                spec_name: format!("{spec_name}.additionalProperties"),
                type_name,
                module: module_names.get(&None).map_or("value", String::as_str),
                fallback_description: "",
            });
            let value = self.value_type(
                values,
                names,
                &path.join("additionalProperties"),
                module_path,
                declaration.as_ref(),
                inner,
            )?;
            fields.push(Field {
                wire_name: String::new(),
                rust_name: field_names[&None].clone(),
                description: "Properties beyond the named ones, by name.".to_owned(),
                ty: Type::Map(Box::new(value)),
                read_only: false,
                deprecated: false,
                boxed: false,
                flatten: true,
            });
        }
        Ok(fields)
    }

    /// The Rust type of a field, item, map value or union member. A type
    /// the value declares inline is named by `declaration` and added to `inner`.
    fn value_type(
        &self,
        schema: &Schema,
        names: &BTreeMap<String, String>,
        path: &JsonPath,
        module_path: &str,
        declaration: Option<&Declaration<'_>>,
        inner: &mut Inner,
    ) -> Result<Type, Error> {
        if let Some(reference) = &schema.reference {
            // Sibling keys beside `$ref` (a description, `nullable`) do not
            // change the type; structural ones make it an `allOf`.
            if schema.properties.is_empty()
                && schema.all_of.is_empty()
                && union_members(schema).is_empty()
            {
                return self.named_type(reference, names, path);
            }
        }
        if schema.never {
            return Err(self.spec_error(path, "the schema `false` admits no value; a field or body of this type could never be sent"));
        }
        let declared_here = || {
            declaration.ok_or_else(|| {
                self.spec_error(
                    path,
                    "an inline type here has no place to be declared (it is neither a schema's field, item, map value or shape, nor a body, response or parameter)",
                )
            })
        };
        if let Some(reference) = &schema.reference {
            // `$ref` beside structural keys: merged like `allOf`.
            let mut wrapped = schema.clone();
            wrapped.reference = None;
            wrapped.all_of.insert(
                0,
                Schema {
                    reference: Some(reference.clone()),
                    ..Schema::default()
                },
            );
            return self.value_type(&wrapped, names, path, module_path, declaration, inner);
        }
        if !schema.all_of.is_empty() {
            let only_ref = (schema.all_of.len() == 1
                && schema.properties.is_empty()
                && union_members(schema).is_empty())
            .then(|| schema.all_of[0].reference.as_ref())
            .flatten();
            if let Some(reference) = only_ref {
                return self.named_type(reference, names, &path.join("allOf").join("0"));
            }
            let merged = merged_all_of(self, schema, 0).ok_or_else(|| {
                self.spec_error(
                    &path.join("allOf"),
                    "`allOf` nests deeper than 64 levels: a cycle of `allOf`s has no type",
                )
            })?;
            return self.value_type(&merged, names, path, module_path, declaration, inner);
        }
        let members = union_members(schema);
        if !members.is_empty() {
            if members.len() == 1 {
                return self.value_type(members[0], names, path, module_path, declaration, inner);
            }
            if let Some(values) = string_union_values(&members) {
                return self.declare_enum(schema, &values, path, module_path, declaration, inner);
            }
            let declaration = declared_here()?;
            let _level = self.enter(path)?;
            let module = declaration.module;
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
            return Ok(Type::Named(format!(
                "{module_path}::{}",
                declaration.type_name
            )));
        }
        if let Some(values) = string_values(schema) {
            return self.declare_enum(schema, &values, path, module_path, declaration, inner);
        }
        let types = schema.non_null_types();
        let object_like = types == ["object"]
            || (types.is_empty()
                && (!schema.properties.is_empty() || schema.additional_properties.is_some()));
        if object_like || !schema.properties.is_empty() {
            // A map or an inline object is one level deeper (a free-form
            // object too, which keeps the rule simple).
            let _level = self.enter(path)?;
            if schema.properties.is_empty() {
                return match &schema.additional_properties {
                    Some(values) if !values.is_any() => Ok(Type::Map(Box::new(self.value_type(
                        values,
                        names,
                        &path.join("additionalProperties"),
                        module_path,
                        declaration,
                        inner,
                    )?))),
                    Some(_) => Ok(Type::Map(Box::new(Type::Any))),
                    // A free-form object.
                    None => Ok(Type::Any),
                };
            }
            let declaration = declared_here()?;
            let mut nested = self.schema(
                &declaration.spec_name,
                declaration.type_name,
                declaration.module,
                Some(module_path),
                schema,
                names,
                path,
            )?;
            if nested.description.trim().is_empty() {
                nested.description = declaration.fallback_description.to_owned();
            }
            inner.nested.push(nested);
            return Ok(Type::Named(format!(
                "{module_path}::{}",
                declaration.type_name
            )));
        }
        match types.as_slice() {
            ["array"] => {
                let _level = self.enter(path)?;
                let Some(items) = &schema.items else {
                    // No `items`: any values.
                    return Ok(Type::Array(Box::new(Type::Any)));
                };
                Ok(Type::Array(Box::new(self.value_type(
                    items,
                    names,
                    &path.join("items"),
                    module_path,
                    declaration,
                    inner,
                )?)))
            }
            [kind] => self.scalar(kind, schema.format.as_deref(), path),
            // No type, or several: any JSON value.
            _ => Ok(Type::Any),
        }
    }

    /// A string enum (or `const`) declared where the value stands.
    fn declare_enum(
        &self,
        schema: &Schema,
        values: &[String],
        path: &JsonPath,
        module_path: &str,
        declaration: Option<&Declaration<'_>>,
        inner: &mut Inner,
    ) -> Result<Type, Error> {
        let Some(declaration) = declaration else {
            // Nowhere to declare it: the values stay strings.
            return Ok(Type::String);
        };
        let description = schema
            .description
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or(declaration.fallback_description);
        let key = if schema.const_value.is_some() && schema.enum_values.is_none() {
            "const"
        } else {
            "enum"
        };
        inner.enums.push(self.enumeration(
            declaration.type_name,
            description,
            values,
            &path.join(key),
        )?);
        // Module paths of declarations are relative to `models`.
        Ok(Type::Enum(EnumRef {
            module: format!("models::{module_path}"),
            name: declaration.type_name.to_owned(),
            definition: None,
        }))
    }

    /// The type a `$ref` names.
    pub(super) fn named_type(
        &self,
        reference: &str,
        names: &BTreeMap<String, String>,
        path: &JsonPath,
    ) -> Result<Type, Error> {
        let name = schema_ref_name(reference).ok_or_else(|| {
            self.spec_error(
                &path.join("$ref"),
                format!("`{reference}` is not a schema of `components/schemas`"),
            )
        })?;
        names
            .get(&name)
            .map(|rust| Type::Named(rust.clone()))
            .ok_or_else(|| {
                self.spec_error(
                    &path.join("$ref"),
                    format!("no schema named `{name}` in `components/schemas`"),
                )
            })
    }

    /// The Rust type of a JSON scalar.
    pub(super) fn scalar(
        &self,
        kind: &str,
        format: Option<&str>,
        path: &JsonPath,
    ) -> Result<Type, Error> {
        Ok(match (kind, format) {
            ("string", Some("date-time")) => Type::Timestamp,
            ("string", Some("date")) => Type::Date,
            ("string", Some("byte")) => Type::Bytes,
            ("string", Some("binary")) => Type::Binary,
            // `uuid`, `email`, `uri` and any format this generator does not
            // know stay strings: still correct on the wire.
            ("string", _) => Type::String,
            ("boolean", _) => Type::Bool,
            ("integer", Some("int32")) => Type::I32,
            ("integer", Some("uint32")) => Type::U32,
            ("integer", Some("uint64")) => Type::U64,
            // Without a format, an integer may be as large as JSON allows.
            ("integer", _) => Type::I64,
            ("number", Some("float")) => Type::F32,
            ("number", _) => Type::F64,
            ("null", _) => Type::Any,
            _ => {
                return Err(self.spec_error(
                    &path.join("type"),
                    format!("expected `string`, `integer`, `number`, `boolean`, `array`, `object` or `null`, found `{kind}`"),
                ));
            }
        })
    }
}

/// A union member's variant name: the schema it names, its title, or its type.
fn variant_name(member: &Schema, index: usize) -> String {
    if let Some(name) = member.reference.as_deref().and_then(schema_ref_name) {
        return name;
    }
    if let Some(title) = member
        .title
        .as_deref()
        .filter(|t| crate::naming::bare(t, Case::UpperCamel).is_some())
    {
        return title.to_owned();
    }
    let types = member.non_null_types();
    match (types.as_slice(), member.format.as_deref()) {
        (["string"], _) if string_values(member).is_some() => "Known".to_owned(),
        (["string"], Some(format)) => format.to_owned(),
        ([kind], _) => (*kind).to_owned(),
        _ if !member.properties.is_empty() => "Object".to_owned(),
        _ => format!("Variant {index}"),
    }
}

/// `text` with `note` as a paragraph of its own.
fn append_note(text: &str, note: &str) -> String {
    if text.trim().is_empty() {
        note.to_owned()
    } else {
        format!("{text}\n\n{note}")
    }
}
