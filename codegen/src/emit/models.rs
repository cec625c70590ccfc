//! `src/models.rs`: one type per schema, with the enums its fields declare
//! in a module named after it.

use super::docs::doc;
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
    match &schema.kind {
        SchemaKind::Alias(ty) => {
            let docs = doc(&description);
            let ty = rust_type(ty);
            quote! { #docs pub type #name = #ty; }
        }
        SchemaKind::Struct { fields, enums } => {
            let docs = doc(&format!(
                "{description}\n\nBuild one with [`{0}::new`] and the `set_` methods.",
                schema.rust_name
            ));
            let declarations = fields.iter().map(field);
            let setters = fields.iter().map(|f| setter(&schema.rust_name, f));
            let module = if enums.is_empty() {
                quote!()
            } else {
                let module = ident(&schema.module);
                let module_doc = doc(&format!(
                    "Types used by the fields of [`{}`].",
                    schema.rust_name
                ));
                let enums = enums.iter().map(enums::emit);
                quote! {
                    #module_doc
                    pub mod #module {
                        #( #enums )*
                    }
                }
            };
            quote! {
                #docs
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

                #module
            }
        }
    }
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
    if field.deprecated {
        // Not `#[deprecated]`: serde's derived code would warn on every build.
        text.push_str("\n\n**Deprecated** by the API.");
    }
    if matches!(field.ty, Type::Timestamp) {
        text.push_str("\n\nAn RFC 3339 timestamp.");
    }
    let docs = doc(&text);
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
    quote! {
        #docs
        #[serde(rename = #wire, skip_serializing_if = "Option::is_none" #alias #wire_format)]
        pub #name: Option<#ty>,
    }
}

fn setter(type_name: &str, field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let bare = field.rust_name.trim_start_matches("r#");
    let setter = format_ident!("set_{}", bare);
    let docs = doc(&format!("Sets [`{type_name}::{bare}`]."));
    match &field.ty {
        Type::Array(item) => {
            let item = rust_type(item);
            quote! {
                #docs
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
                pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                    self.#name = Some(value.into());
                    self
                }
            }
        }
    }
}
