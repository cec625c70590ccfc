//! `src/servers.rs`: the servers an OpenAPI spec names, each a function
//! giving its URL (with its variables, typed where the spec lists their
//! values) to pass to `ClientBuilder::endpoint`.

use super::docs::doc;
use super::enums;
use super::types::ident;
use crate::ir::{Api, Enum, Variant};
use crate::naming::{Case, Namespace};
use proc_macro2::TokenStream;
use quote::quote;

/// The servers module, when the spec names servers.
pub fn emit(api: &Api) -> Option<TokenStream> {
    if api.servers.is_empty() {
        return None;
    }
    let spoken: Vec<(usize, String)> = api
        .servers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let described = s.description.trim();
            let usable = crate::naming::bare(described, Case::Snake).is_some_and(|b| b.len() <= 40);
            (
                i,
                if usable {
                    described.to_owned()
                } else {
                    format!("server {i}")
                },
            )
        })
        .collect();
    // Names cannot fail: every candidate has letters.
    let fn_names = Namespace::new(Case::Snake, "server")
        .reserve("default")
        .assign_keyed(spoken.iter().map(|(i, n)| (*i, n.as_str())))
        .unwrap_or_default();
    let mut items = Vec::new();
    let mut types = Namespace::new(Case::UpperCamel, "server variable").reserve("String");
    for (i, server) in api.servers.iter().enumerate() {
        let Some(fn_name) = fn_names.get(&i) else {
            continue;
        };
        let name = ident(fn_name);
        let mut params = Vec::new();
        let mut replaces = Vec::new();
        let mut arg_docs = Vec::new();
        for variable in &server.variables {
            let arg = crate::naming::bare(&variable.name, Case::Snake)
                .map(|b| crate::naming::escape(&b))
                .unwrap_or_else(|| format!("var_{}", params.len()));
            let arg_ident = ident(&arg);
            let placeholder = format!("{{{}}}", variable.name);
            if variable.values.is_empty() {
                params.push(quote!(#arg_ident: &str));
                replaces.push(quote!(url = url.replace(#placeholder, #arg_ident);));
            } else {
                let wanted = format!("{fn_name} {}", variable.name);
                let Ok(assigned) = types.assign([wanted.as_str()]) else {
                    continue;
                };
                let type_name = assigned[&wanted].clone();
                types = types.reserve(&type_name);
                let definition = Enum {
                    rust_name: type_name.clone(),
                    description: if variable.description.is_empty() {
                        format!("The values of `{}` in `{}`.", variable.name, server.url)
                    } else {
                        variable.description.clone()
                    },
                    variants: variant_names(&variable.values),
                };
                items.push(enums::emit(&definition));
                let ty = ident(&type_name);
                params.push(quote!(#arg_ident: #ty));
                replaces.push(quote!(url = url.replace(#placeholder, #arg_ident.as_str());));
            }
            arg_docs.push(format!(
                "* `{arg}`: {} (default `{}`)",
                if variable.description.is_empty() {
                    "the `".to_owned() + &variable.name + "` variable"
                } else {
                    variable.description.clone()
                },
                variable.default
            ));
        }
        let mut text = format!("`{}`", server.url);
        if !server.description.trim().is_empty() {
            text = format!("{}\n\n{text}", server.description);
        }
        if !arg_docs.is_empty() {
            text.push_str(&format!("\n\n{}", arg_docs.join("\n")));
        }
        text.push_str("\n\nThe URL, ending in `/`, for [`crate::ClientBuilder::endpoint`].");
        let docs = doc(&text);
        let url = &server.url;
        let mutable = (!replaces.is_empty()).then(|| quote!(mut));
        items.push(quote! {
            #docs
            pub fn #name(#( #params ),*) -> String {
                let #mutable url = String::from(#url);
                #( #replaces )*
                if url.ends_with('/') { url } else { url + "/" }
            }
        });
    }
    Some(quote! {
        //! The servers the API's spec names. The first, with its variables at
        //! their defaults, is [`crate::DEFAULT_ENDPOINT`].

        #( #items )*
    })
}

fn variant_names(values: &[String]) -> Vec<Variant> {
    let names = Namespace::new(Case::UpperCamel, "server variable value")
        .reserve(crate::lower::UNKNOWN_VARIANT)
        .assign(values.iter().map(String::as_str))
        .unwrap_or_default();
    let mut seen = std::collections::BTreeSet::new();
    values
        .iter()
        .filter(|v| seen.insert(v.as_str()))
        .filter_map(|v| {
            Some(Variant {
                wire_name: v.clone(),
                rust_name: names.get(v)?.clone(),
                description: String::new(),
                deprecated: false,
            })
        })
        .collect()
}
