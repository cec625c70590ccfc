//! `src/scopes.rs`: the `Scope` enum, one variant per OAuth scope URL.

use super::docs::doc;
use super::types::ident;
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

/// The scopes module.
pub fn emit(api: &Api) -> TokenStream {
    let variants: Vec<_> = api.scopes.iter().map(|s| ident(&s.variant)).collect();
    let urls: Vec<_> = api.scopes.iter().map(|s| s.url.as_str()).collect();
    let docs: Vec<_> = api
        .scopes
        .iter()
        .map(|s| {
            let description = if s.description.trim().is_empty() {
                String::new()
            } else {
                format!("{}\n\n", s.description)
            };
            doc(&format!("{description}`{}`", s.url))
        })
        .collect();
    let count = api.scopes.len();
    let parse = if api.scopes.is_empty() {
        quote!(Err(UnknownScope(url.to_owned())))
    } else {
        quote! {
            match url {
                #( #urls => Ok(Scope::#variants), )*
                other => Err(UnknownScope(other.to_owned())),
            }
        }
    };
    let enum_doc = doc(&format!(
        "The OAuth 2.0 scopes of the {} API ({count}).\n\n\
         Each method lists the scopes it accepts in its `SCOPES` constant; a token \
         with any one of them may call it. Serialized as the scope URL.",
        api.title
    ));
    let unknown_doc = doc(&format!(
        "A string that is not one of the {count} scope URLs of this API."
    ));
    quote! {
        //! OAuth 2.0 scopes.

        #enum_doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Scope {
            #( #docs #variants, )*
        }

        impl Scope {
            /// Every scope, in URL order.
            pub const ALL: &'static [Scope] = &[ #( Scope::#variants, )* ];

            /// The URL of every scope, in the order of [`Scope::ALL`]: what
            /// token providers are asked for.
            pub const URLS: &'static [&'static str] = &[ #( #urls, )* ];

            /// The scope URL.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #( Scope::#variants => #urls, )*
                }
            }
        }

        impl AsRef<str> for Scope {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for Scope {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for Scope {
            type Err = UnknownScope;

            fn from_str(url: &str) -> Result<Self, Self::Err> {
                #parse
            }
        }

        impl serde::Serialize for Scope {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for Scope {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let url = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                url.parse().map_err(serde::de::Error::custom)
            }
        }

        #unknown_doc
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct UnknownScope(String);

        impl UnknownScope {
            /// The string that was given.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for UnknownScope {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{:?} is not an OAuth scope of this API", self.0)
            }
        }

        impl std::error::Error for UnknownScope {}
    }
}
