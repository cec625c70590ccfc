//! `src/models.rs`: one type per schema, with the enums its fields declare
//! in a module named after it.

use super::docs::{deprecated_attribute, doc};
use super::enums;
use super::types::{ident, rust_type};
use crate::ir::{Api, Field, Schema, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The models module.
pub fn emit(api: &Api) -> TokenStream {
    let schemas = api.schemas.iter().map(schema);
    quote! {
        //! Request and response bodies: one type per schema of the API.
        //!
        //! Every field is optional, because Google omits empty fields, and
        //! fields this version does not know are ignored on input.

        #( #schemas )*
    }
}

fn schema(schema: &Schema) -> TokenStream {
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
            let declarations = fields.iter().map(field);
            let setters = fields.iter().map(|f| setter(&schema.rust_name, f));
            quote! {
                #docs
                #deprecated
                #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
                #[non_exhaustive]
                pub struct #name {
                    #( #declarations )*
                }

                impl #name {
                    /// A value with every field unset.
                    pub fn new() -> Self {
                        Self::default()
                    }

                    #( #setters )*
                }
            }
        }
    };
    // Inner types (field enums, objects declared inline) live in a module
    // named after the schema, nested as deep as the declarations are.
    let module = if schema.enums.is_empty() && schema.nested.is_empty() {
        quote!()
    } else {
        let module = ident(&schema.module);
        let module_doc = doc(&format!("Types declared inside [`{}`].", schema.rust_name));
        let enums = schema.enums.iter().map(enums::emit);
        let nested = schema.nested.iter().map(self::schema);
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

fn field(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let ty = rust_type(&field.ty);
    let wire = &field.wire_name;
    let mut text = if field.description.trim().is_empty() {
        format!("The `{wire}` field.")
    } else {
        field.description.clone()
    };
    if field.read_only {
        text.push_str("\n\nSet by the server; ignored in requests.");
    }
    if let Some(format) = format_note(&field.ty) {
        text.push_str("\n\n");
        text.push_str(format);
    }
    let docs = doc(&text);
    let deprecated = deprecated_attribute(field.deprecated);
    let alias = field.alias.as_ref().map(|alias| quote!(, alias = #alias));
    // 64-bit integers travel as strings; `default` keeps a missing field `None`.
    let wire_format = match &field.ty {
        Type::I64 | Type::U64 => Some("crate::runtime::wire::int64"),
        Type::Array(item) if matches!(**item, Type::I64 | Type::U64) => {
            Some("crate::runtime::wire::int64_list")
        }
        Type::Map(value) if matches!(**value, Type::I64 | Type::U64) => {
            Some("crate::runtime::wire::int64_map")
        }
        _ => None,
    }
    .map(|module| quote!(, default, with = #module));
    let ty = if field.boxed { quote!(Box<#ty>) } else { ty };
    quote! {
        #docs
        #deprecated
        #[serde(rename = #wire, skip_serializing_if = "Option::is_none" #alias #wire_format)]
        pub #name: Option<#ty>,
    }
}

/// What a field's wire format means, for its documentation.
fn format_note(ty: &Type) -> Option<&'static str> {
    Some(match ty {
        Type::Timestamp => "An RFC 3339 timestamp.",
        Type::Date => "A calendar date, `YYYY-MM-DD`.",
        Type::Duration => "A duration in seconds, such as `3.5s`.",
        Type::FieldMask => "Field paths separated by commas, such as `name,labels`.",
        Type::Bytes => "Bytes, sent as base64.",
        Type::I64 | Type::U64 => "A 64-bit integer, sent as a decimal string.",
        _ => return None,
    })
}

fn setter(type_name: &str, field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let bare = field.rust_name.trim_start_matches("r#");
    let setter = format_ident!("set_{}", bare);
    let docs = doc(&format!("Sets [`{type_name}::{bare}`]."));
    let deprecated = deprecated_attribute(field.deprecated);
    if field.boxed {
        let ty = rust_type(&field.ty);
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
            let item = rust_type(item);
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
            let ty = rust_type(ty);
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
