//! `src/security.rs`: one function per security scheme that is not an
//! OAuth scope (API keys, HTTP bearer and basic), making the credential the
//! client sends to methods that accept that scheme.

use super::docs::doc;
use super::types::ident;
use crate::ir::{Api, Location, SecurityKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The security module, when the API has schemes a client holds credentials for.
pub fn emit(api: &Api) -> Option<TokenStream> {
    if api.security_schemes.is_empty() {
        return None;
    }
    let functions = api.security_schemes.iter().filter_map(|scheme| {
        let name = ident(&scheme.fn_name);
        let spec_name = &scheme.name;
        let described = if scheme.description.trim().is_empty() {
            String::new()
        } else {
            format!("{}\n\n", scheme.description)
        };
        match &scheme.kind {
            SecurityKind::ApiKey { location, name: key } => {
                let (place, where_) = match location {
                    Location::Header => (quote!(Header), format!("the `{key}` header")),
                    Location::Cookie => (quote!(Cookie), format!("the `{key}` cookie")),
                    _ => (quote!(Query), format!("the `{key}` query parameter")),
                };
                let docs = doc(&format!(
                    "{described}The API key of scheme `{spec_name}`, sent in {where_} to the \
                     methods that accept it. Refused when empty or not printable ASCII."
                ));
                Some(quote! {
                    #docs
                    pub fn #name(key: impl Into<String>) -> Result<crate::Credential, crate::TokenError> {
                        crate::Credential::api_key(#spec_name, crate::runtime::auth::KeyPlace::#place, #key, key)
                    }
                })
            }
            SecurityKind::Bearer { token_provider: false } => {
                let docs = doc(&format!(
                    "{described}The bearer token of scheme `{spec_name}` (`Authorization: Bearer ...`), \
                     sent to the methods that accept it."
                ));
                Some(quote! {
                    #docs
                    pub fn #name(token: impl Into<String>) -> Result<crate::Credential, crate::TokenError> {
                        crate::Credential::bearer(#spec_name, token)
                    }
                })
            }
            SecurityKind::Basic => {
                let docs = doc(&format!(
                    "{described}The user and password of scheme `{spec_name}` \
                     (`Authorization: Basic ...`), sent to the methods that accept it."
                ));
                Some(quote! {
                    #docs
                    pub fn #name(user: impl Into<String>, password: impl Into<String>) -> Result<crate::Credential, crate::TokenError> {
                        crate::Credential::basic(#spec_name, user, password)
                    }
                })
            }
            // Tokens of OAuth 2.0 and OpenID Connect schemes come from the
            // client's token provider.
            SecurityKind::Bearer { token_provider: true } => None,
        }
    });
    let token_schemes: Vec<&str> = api
        .security_schemes
        .iter()
        .filter(|s| {
            matches!(
                s.kind,
                SecurityKind::Bearer {
                    token_provider: true
                }
            )
        })
        .map(|s| s.name.as_str())
        .collect();
    let token_note = if token_schemes.is_empty() {
        String::new()
    } else {
        format!(
            "\n//!\n//! Tokens of the OAuth 2.0 / OpenID Connect schemes (`{}`) come from the \
             client's token provider ([`crate::ClientBuilder::token_provider`]).",
            token_schemes.join("`, `")
        )
    };
    let module_doc = format!(
        "Credentials for the API's security schemes: give them to the client with\n\
         [`crate::ClientBuilder::credential`]. A call sends those of the first set of\n\
         schemes its method accepts that the client holds every credential of.{token_note}"
    );
    let module_doc = super::docs::comment_text(&module_doc);
    let module_docs = module_doc.lines().map(|line| {
        let line = format!(" {}", line.trim_start_matches("//!").trim_start());
        quote!(#![doc = #line])
    });
    Some(quote! {
        #( #module_docs )*

        #( #functions )*
    })
}
