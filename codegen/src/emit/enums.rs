//! Open string enums: a variant per known value, plus `UnknownValue` that
//! keeps anything newer servers send.

use super::docs::{deprecated_attribute, doc};
use super::types::ident;
use crate::ir::Enum;
use crate::lower::UNKNOWN_VARIANT;
use proc_macro2::TokenStream;
use quote::quote;

/// The enum type and its conversions and serde impls.
pub fn emit(definition: &Enum) -> TokenStream {
    let name = ident(&definition.rust_name);
    let unknown = ident(UNKNOWN_VARIANT);
    let description = if definition.description.trim().is_empty() {
        format!("The values of `{}`.", definition.rust_name)
    } else {
        definition.description.clone()
    };
    let docs = doc(&format!(
        "{description}\n\nValues this version does not know are kept in \
         [`{}::{UNKNOWN_VARIANT}`], so newer servers never break this client.",
        definition.rust_name
    ));
    let variants: Vec<_> = definition
        .variants
        .iter()
        .map(|v| ident(&v.rust_name))
        .collect();
    let wire: Vec<_> = definition
        .variants
        .iter()
        .map(|v| v.wire_name.as_str())
        .collect();
    let variant_docs: Vec<_> = definition
        .variants
        .iter()
        .map(|v| {
            let shown = if v.wire_name.is_empty() {
                "The empty string".to_owned()
            } else {
                format!("`{}`", v.wire_name)
            };
            let text = if v.description.trim().is_empty() {
                shown
            } else {
                format!("{shown}: {}", v.description)
            };
            let docs = doc(&text);
            let deprecated = deprecated_attribute(v.deprecated);
            quote!(#docs #deprecated)
        })
        .collect();
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value this version of the crate does not know, kept as sent.
            #unknown(crate::UnknownValue),
        }

        crate::runtime::enums::open_enum_impls!(#name { #( #variants => #wire ),* });
    }
}
