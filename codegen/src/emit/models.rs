//! `src/models.rs`: one type per schema, with the enums its fields declare
//! in a module named after it.

use super::docs::{deprecated_attribute, doc};
use super::enums;
use super::features::{Features, gate_items};
use super::types::{ident, rust_type};
use crate::ir::{Api, Field, Int64Encoding, Schema, SchemaKind, Type, UnionVariant};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The models module.
pub fn emit(api: &Api, features: &Features) -> TokenStream {
    let int64_as_string = api.int64_encoding == Int64Encoding::String;
    let schemas = api.schemas.iter().map(|s| {
        gate_items(
            schema(api, s, int64_as_string),
            &features.schema_cfg(&s.rust_name),
        )
    });
    let operations = operation_impls(api, features);
    quote! {
        //! Request and response bodies: one type per schema of the API.
        //!
        //! Every field is optional, because services leave out empty fields,
        //! and fields this version does not know are ignored on input.

        // A schema's inner types live in a module named after it, which may
        // share the name of a type's own module one level up.
        #![allow(clippy::module_inception)]

        #( #schemas )*

        #( #operations )*
    }
}

/// The runtime's operation impls for each type that long-running methods
/// return, once per type.
fn operation_impls(api: &Api, features: &Features) -> Vec<TokenStream> {
    let mut seen = std::collections::BTreeMap::new();
    for lro in api
        .all_methods()
        .into_iter()
        .filter_map(|m| m.long_running.as_ref())
    {
        if let Type::Named(name) = &lro.operation {
            seen.entry(name.clone()).or_insert(lro.style);
        }
    }
    seen.into_iter()
        .map(|(name, style)| {
            // Named relative to `models`, where the invocation stands.
            let segments = name.split("::").map(ident);
            let ty = quote!(#( #segments )::*);
            let style = format_ident!("{}", format!("{style:?}"));
            // Gated as the schema that owns the type.
            let cfg = features.named_cfg(&name);
            quote!(#cfg crate::runtime::lro::operation_impls!(#ty, #style);)
        })
        .collect()
}

fn schema(api: &Api, schema: &Schema, int64_as_string: bool) -> TokenStream {
    let name = ident(&schema.rust_name);
    let description = if schema.description.trim().is_empty() {
        format!("The `{}` schema.", schema.name)
    } else {
        schema.description.clone()
    };
    let deprecated = deprecated_attribute(schema.deprecated);
    let item = match &schema.kind {
        SchemaKind::Alias(ty) => {
            let docs = doc(&description);
            let ty = rust_type(ty);
            quote! { #docs #deprecated pub type #name = #ty; }
        }
        SchemaKind::Struct { fields } => {
            let docs = doc(&format!(
                "{description}\n\nBuild one with [`{0}::new`] and the `set_` methods.",
                schema.rust_name
            ));
            let declarations = fields.iter().map(|f| field(f, int64_as_string));
            let setters = fields.iter().map(|f| setter(&schema.rust_name, f));
            let wire = object_fields(&schema.rust_name, fields, int64_as_string);
            quote! {
                #docs
                #deprecated
                #[derive(Clone, Debug, Default, PartialEq)]
                #[non_exhaustive]
                pub struct #name {
                    #( #declarations )*
                }

                #wire

                impl #name {
                    /// A value with every field unset.
                    pub fn new() -> Self {
                        Self::default()
                    }

                    #( #setters )*
                }
            }
        }
        SchemaKind::Union {
            variants,
            discriminator,
        } => union(
            api,
            schema,
            &description,
            variants,
            discriminator.as_deref(),
        ),
    };
    // Inner types (field enums, objects declared inline) live in a module
    // named after the schema, nested as deep as the declarations are.
    let module = if schema.enums.is_empty() && schema.nested.is_empty() {
        quote!()
    } else {
        let module = ident(&schema.module);
        let module_doc = doc(&format!("Types declared inside [`{}`].", schema.rust_name));
        let enums = schema.enums.iter().map(enums::emit);
        let nested = schema
            .nested
            .iter()
            .map(|s| self::schema(api, s, int64_as_string));
        quote! {
            #module_doc
            pub mod #module {
                #( #enums )*
                #( #nested )*
            }
        }
    };
    quote! { #item #module }
}

/// A `oneOf`/`anyOf`: an enum serialized as the variant's own value,
/// read by tag when there is a discriminator, else by trying each shape in
/// order; a value of no known shape is kept in `UnknownValue`.
fn union(
    api: &Api,
    schema: &Schema,
    description: &str,
    variants: &[UnionVariant],
    discriminator: Option<&str>,
) -> TokenStream {
    let name = ident(&schema.rust_name);
    let deprecated = deprecated_attribute(schema.deprecated);
    let how = match discriminator {
        Some(property) => {
            format!("The `{property}` property of the value says which shape it has.")
        }
        None => {
            "A value is read as the first of these shapes that fits it, in this order.".to_owned()
        }
    };
    let docs = doc(&format!("{description}\n\n{how}"));
    let held = |variant: &UnionVariant| {
        let ty = rust_type(&variant.ty);
        if variant.boxed { quote!(Box<#ty>) } else { ty }
    };
    let declarations = variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let ty = held(variant);
        let text = if variant.tags.is_empty() {
            format!("A value of type `{}`.", super::types::describe(&variant.ty))
        } else {
            format!(
                "A value whose `{}` is `{}`.",
                discriminator.unwrap_or_default(),
                variant.tags.join("` or `")
            )
        };
        let docs = doc(&text);
        quote! { #docs #variant_name(#ty), }
    });
    // Shapes named by a tag value are looked up by it; the others (all of
    // them without a discriminator) are tried in order.
    let tagged: Vec<&UnionVariant> = match discriminator {
        Some(_) => variants.iter().filter(|v| !v.tags.is_empty()).collect(),
        None => Vec::new(),
    };
    let by_tag = discriminator
        .filter(|_| !tagged.is_empty())
        .map(|property| {
            let arms = tagged.iter().map(|variant| {
                let variant_name = ident(&variant.rust_name);
                let tags = &variant.tags;
                let ty = held(variant);
                quote! {
                    Some(#( #tags )|*) => {
                        return <#ty as serde::Deserialize>::deserialize(&value)
                            .map(Self::#variant_name)
                            .map_err(serde::de::Error::custom);
                    }
                }
            });
            quote! {
                #[allow(clippy::single_match)]
                match value.get(#property).and_then(serde_json::Value::as_str) {
                    #( #arms )*
                    _ => {}
                }
            }
        });
    // Every field is optional, so an object fits any struct shape: the
    // shapes that know most of the value's keys are tried first.
    let untagged: Vec<&UnionVariant> = variants
        .iter()
        .filter(|v| discriminator.is_none() || v.tags.is_empty())
        .collect();
    let known_keys = untagged.iter().map(|variant| {
        let keys = struct_fields(api, &variant.ty);
        quote!(&[ #( #keys ),* ])
    });
    let arms = untagged.iter().enumerate().map(|(index, variant)| {
        let variant_name = ident(&variant.rust_name);
        let ty = held(variant);
        quote! {
            #index => {
                if let Ok(inner) = <#ty as serde::Deserialize>::deserialize(&value) {
                    return Ok(Self::#variant_name(inner));
                }
            }
        }
    });
    let tries = (!untagged.is_empty()).then(|| {
        quote! {
            for index in crate::runtime::enums::shape_order(&value, &[ #( #known_keys ),* ]) {
                #[allow(clippy::single_match)]
                match index {
                    #( #arms )*
                    _ => {}
                }
            }
        }
    });
    let reads = quote! { #by_tag #tries };
    quote! {
        #docs
        #deprecated
        #[derive(Clone, Debug, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        // The shapes are the spec's; boxing the large ones would cost every
        // value an allocation.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #declarations )*
            /// A value of none of the known shapes, kept as it was sent.
            UnknownValue(serde_json::Value),
        }

        impl Default for #name {
            /// `null`, of no known shape.
            fn default() -> Self {
                Self::UnknownValue(serde_json::Value::Null)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #reads
                Ok(Self::UnknownValue(value))
            }
        }
    }
}

/// A struct's `Serialize` and `Deserialize`: the runtime's object writer
/// and visitor, told which field each property is (`object::ObjectFields`),
/// rather than serde's derives, which compile a visitor, a field enum and a
/// counting writer per struct.
fn object_fields(type_name: &str, fields: &[Field], int64_as_string: bool) -> TokenStream {
    let name = ident(type_name);
    let named: Vec<&Field> = fields.iter().filter(|f| !f.flatten).collect();
    let arms = named.iter().map(|field| {
        let member = ident(&field.rust_name);
        let wire = &field.wire_name;
        let read = match WireFormat::of(&field.ty, int64_as_string) {
            Some(format) => {
                let module = format.module();
                quote!(map.next_value_seed(#module::Seed::new())?)
            }
            None => quote!(map.next_value()?),
        };
        quote! { #wire => self.#member = #read, }
    });
    // Written in declaration order, the map of other properties where it
    // stands, as serde's derive wrote them.
    let writes = fields.iter().map(|field| {
        let member = ident(&field.rust_name);
        if field.flatten {
            return quote! {
                for (key, value) in &self.#member {
                    map.serialize_entry(key, value)?;
                }
            };
        }
        let wire = &field.wire_name;
        let value = match WireFormat::of(&field.ty, int64_as_string) {
            Some(format) => {
                let module = format.module();
                quote!(&#module::Text(value))
            }
            None => quote!(value),
        };
        quote! {
            if let Some(value) = &self.#member {
                map.serialize_entry(#wire, #value)?;
            }
        }
    });
    if fields.is_empty() {
        return quote!(crate::runtime::object::object_serde!(#name, empty););
    }
    // Properties no field is named for fill the flattened map, if any (and
    // such a model asks for every property as a map).
    let flattened = fields
        .iter()
        .find(|f| f.flatten)
        .map(|f| ident(&f.rust_name));
    let insert_other = flattened.as_ref().map(|member| {
        quote! {
            let value = map.next_value()?;
            self.#member.insert(key.to_owned(), value);
        }
    });
    let impls = match flattened {
        Some(_) => quote!(crate::runtime::object::object_serde!(#name, others);),
        None => quote!(crate::runtime::object::object_serde!(#name);),
    };
    let wires = named.iter().map(|f| &f.wire_name);
    let read_body = match (&insert_other, named.is_empty()) {
        // Only the map: every property is another (no single-arm `match`).
        (Some(insert), true) => quote! {
            #insert
            Ok(true)
        },
        (Some(insert), false) => quote! {
            match key {
                #( #arms )*
                _ => { #insert }
            }
            Ok(true)
        },
        (None, _) => quote! {
            match key {
                #( #arms )*
                _ => return Ok(false),
            }
            Ok(true)
        },
    };
    quote! {
        #impls

        impl crate::runtime::object::ObjectFields for #name {
            const NAME: &'static str = #type_name;
            const FIELDS: &'static [&'static str] = &[ #( #wires ),* ];

            fn read_field<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> Result<bool, A::Error> {
                #read_body
            }

            fn write_fields<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                #( #writes )*
                Ok(())
            }
        }
    }
}

/// How a field whose 64-bit integers travel as decimal strings is read and
/// written: the runtime's `wire` module for its shape.
#[derive(Clone, Copy)]
enum WireFormat {
    Int64,
    Int64List,
    Int64Map,
}

impl WireFormat {
    /// The format of a field of type `ty`, if it needs one.
    fn of(ty: &Type, int64_as_string: bool) -> Option<Self> {
        match ty {
            _ if !int64_as_string => None,
            Type::I64 | Type::U64 => Some(Self::Int64),
            Type::Array(item) if matches!(**item, Type::I64 | Type::U64) => Some(Self::Int64List),
            Type::Map(value) if matches!(**value, Type::I64 | Type::U64) => Some(Self::Int64Map),
            _ => None,
        }
    }

    fn module_name(self) -> &'static str {
        match self {
            Self::Int64 => "int64",
            Self::Int64List => "int64_list",
            Self::Int64Map => "int64_map",
        }
    }

    /// The module's path in the generated crate.
    fn module(self) -> TokenStream {
        let name = format_ident!("{}", self.module_name());
        quote!(crate::runtime::wire::#name)
    }
}

fn field(field: &Field, int64_as_string: bool) -> TokenStream {
    let name = ident(&field.rust_name);
    let ty = field_type(&field.ty);
    let wire = &field.wire_name;
    let mut text = if field.description.trim().is_empty() {
        format!("The `{wire}` field.")
    } else {
        field.description.clone()
    };
    if field.read_only {
        text.push_str("\n\nSet by the server; ignored in requests.");
    }
    if let Some(format) = format_note(&field.ty, int64_as_string) {
        text.push_str("\n\n");
        text.push_str(format);
    }
    let docs = doc(&text);
    let deprecated = deprecated_attribute(field.deprecated);
    // Its name on the wire and its format are `object_fields`'s.
    let ty = if field.boxed { quote!(Box<#ty>) } else { ty };
    if field.flatten {
        return quote! {
            #docs
            #deprecated
            pub #name: #ty,
        };
    }
    quote! {
        #docs
        #deprecated
        pub #name: Option<#ty>,
    }
}

/// What a field's wire format means, for its documentation.
fn format_note(ty: &Type, int64_as_string: bool) -> Option<&'static str> {
    Some(match ty {
        Type::Timestamp => "An RFC 3339 timestamp.",
        Type::Date => "A calendar date, `YYYY-MM-DD`.",
        Type::Duration => "A duration in seconds, such as `3.5s`.",
        Type::FieldMask => "Field paths separated by commas, such as `name,labels`.",
        Type::Bytes => "Bytes, sent as base64.",
        Type::I64 | Type::U64 if int64_as_string => "A 64-bit integer, sent as a decimal string.",
        Type::Binary => {
            "Raw bytes, sent as base64 in JSON bodies and as a file part in multipart ones."
        }
        _ => return None,
    })
}

fn setter(type_name: &str, field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let bare = field.rust_name.trim_start_matches("r#");
    // `_1_clicks` (a name that began with a digit) gives `set_1_clicks`;
    // no other field's name starts with a digit, so setters stay distinct.
    let digits_first = bare
        .strip_prefix('_')
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    let setter = format_ident!("set_{}", digits_first.unwrap_or(bare));
    let docs = doc(&format!("Sets [`{type_name}::{bare}`]."));
    let deprecated = deprecated_attribute(field.deprecated);
    if field.flatten {
        let ty = field_type(&field.ty);
        return quote! {
            #docs
            #deprecated
            pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                self.#name = value.into();
                self
            }
        };
    }
    if field.boxed {
        let ty = field_type(&field.ty);
        return quote! {
            #docs
            #deprecated
            pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                self.#name = Some(Box::new(value.into()));
                self
            }
        };
    }
    match &field.ty {
        Type::Array(item) => {
            let item = field_type(item);
            quote! {
                #docs
                #deprecated
                pub fn #setter<I, V>(mut self, values: I) -> Self
                where
                    I: IntoIterator<Item = V>,
                    V: Into<#item>,
                {
                    self.#name = Some(values.into_iter().map(Into::into).collect());
                    self
                }
            }
        }
        ty => {
            let ty = field_type(ty);
            quote! {
                #docs
                #deprecated
                pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                    self.#name = Some(value.into());
                    self
                }
            }
        }
    }
}

/// The wire names of the fields of the struct `ty` names (empty for any
/// other type), to tell union shapes apart by the keys a value has.
fn struct_fields<'a>(api: &'a Api, ty: &Type) -> Vec<&'a str> {
    let Type::Named(path) = ty else {
        return Vec::new();
    };
    match api.schema(path).map(|s| &s.kind) {
        Some(SchemaKind::Struct { fields }) => fields
            .iter()
            .filter(|f| !f.flatten)
            .map(|f| f.wire_name.as_str())
            .collect(),
        _ => Vec::new(),
    }
}

/// The Rust type of a field: raw bytes are [`crate::Bytes`] there (base64
/// in JSON), not a list of numbers; everything else as everywhere.
fn field_type(ty: &Type) -> TokenStream {
    match ty {
        Type::Binary => quote!(crate::Bytes),
        Type::Array(item) => {
            let item = field_type(item);
            quote!(Vec<#item>)
        }
        Type::Map(value) => {
            let value = field_type(value);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        other => rust_type(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(wire: &str, rust: &str, ty: Type, flatten: bool) -> Field {
        Field {
            wire_name: wire.to_owned(),
            rust_name: rust.to_owned(),
            description: String::new(),
            ty,
            read_only: false,
            deprecated: false,
            boxed: false,
            flatten,
        }
    }

    /// The `read_field` body emitted for `fields`, as text without spaces.
    fn read_field_body(fields: &[Field]) -> String {
        object_fields("Model", fields, true)
            .to_string()
            .replace(' ', "")
    }

    #[test]
    fn each_shape_of_model_reads_its_properties_without_a_needless_match() {
        let map = Type::Map(Box::new(Type::I64));
        // Only a map of other properties: every property goes in, no `match`.
        let only_map = read_field_body(&[field("", "rest", map.clone(), true)]);
        assert!(!only_map.contains("matchkey"), "{only_map}");
        assert!(
            only_map.contains("self.rest.insert(key.to_owned(),value)"),
            "{only_map}"
        );
        assert!(
            only_map.contains("object_serde!(Model,others)"),
            "{only_map}"
        );
        assert!(
            only_map.contains("constFIELDS:&'static[&'staticstr]=&[]"),
            "{only_map}"
        );
        // Named fields and a map: the others go in the map.
        let both = read_field_body(&[
            field("size", "size", Type::I64, false),
            field("", "rest", map, true),
        ]);
        assert!(
            both.contains(
                "\"size\"=>self.size=map.next_value_seed(crate::runtime::wire::int64::Seed::new())?"
            ),
            "{both}"
        );
        assert!(
            both.contains("_=>{letvalue=map.next_value()?;self.rest.insert"),
            "{both}"
        );
        // Named fields only: the model names them, others are skipped.
        let named = read_field_body(&[field("a", "a", Type::String, false)]);
        assert!(named.contains("=&[\"a\"]"), "{named}");
        assert!(named.contains("object_serde!(Model);"), "{named}");
        assert!(named.contains("_=>returnOk(false)"), "{named}");
        // No field at all: the runtime's macro writes the whole impl.
        let empty = read_field_body(&[]);
        assert_eq!(empty, "crate::runtime::object::object_serde!(Model,empty);");
    }

    #[test]
    fn set_fields_are_written_in_declaration_order_the_map_where_it_stands() {
        let map = Type::Map(Box::new(Type::I64));
        let body = read_field_body(&[
            field("a", "a", Type::String, false),
            field("", "rest", map, true),
            field("size", "size", Type::I64, false),
        ]);
        let write = &body[body.find("fnwrite_fields").unwrap()..];
        let a = write.find("ifletSome(value)=&self.a{map.serialize_entry(\"a\",value)?;}");
        let rest = write.find("for(key,value)in&self.rest{map.serialize_entry(key,value)?;}");
        let size = write.find(
            "ifletSome(value)=&self.size{map.serialize_entry(\"size\",&crate::runtime::wire::int64::Text(value))?;}",
        );
        assert!(a < rest && rest < size && a.is_some(), "{write}");
    }
}
