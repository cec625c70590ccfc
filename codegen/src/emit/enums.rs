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

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wire, )*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wire => Self::#variants, )*
                    other => Self::#unknown(crate::UnknownValue::new(other)),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}
