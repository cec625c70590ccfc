//! `src/params.rs`: the standard parameters every method accepts, and the
//! enums that parameters declare.

use super::docs::{deprecated_attribute, doc};
use super::enums;
use super::types::{ident, rust_type};
use crate::ir::{Api, Parameter, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// Standard parameters whose values are credentials.
const SECRET_PARAMS: &[&str] = &["key", "access_token", "oauth_token"];

/// The params module.
pub fn emit(api: &Api) -> TokenStream {
    let fields = api.standard_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = stored_type(p);
        quote! { pub(crate) #name: #ty, }
    });
    let appends = api.standard_params.iter().map(append_to_query);
    let enums = api.standard_params.iter().filter_map(|p| match &p.ty {
        Type::Enum(reference) => reference.definition.as_deref().map(enums::emit),
        _ => None,
    });
    // Secrets (an API key) are redacted: call builders, which hold these
    // parameters, derive `Debug`.
    let debug_fields = api.standard_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let label = p.rust_name.trim_start_matches("r#");
        if SECRET_PARAMS.contains(&p.wire_name.as_str()) {
            quote! { .field(#label, &self.#name.as_ref().map(|_| "<redacted>")) }
        } else {
            quote! { .field(#label, &self.#name) }
        }
    });
    // Unused when the API has no standard parameter the caller may set.
    let query = if api.standard_params.is_empty() {
        quote!(_query)
    } else {
        quote!(query)
    };
    // An API without operations (only webhooks) builds no call, and one
    // whose calls all belong to resources builds none when cargo features
    // leave every resource out.
    let dead = api.methods.is_empty().then(|| quote!(#[allow(dead_code)]));
    // The setters, once for every call builder, as provided methods.
    let setters = api.standard_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        setter_with(p, quote!(self.standard_params().#name), quote!())
    });
    let setters_trait = (!api.standard_params.is_empty()).then(|| {
        quote! {
            /// The standard parameters, which every call of the API accepts:
            /// `use crate::prelude::*;` brings these setters into scope.
            ///
            /// They are written once here, as provided methods, rather than
            /// once per call builder.
            pub trait StandardParameters: Sized {
                /// Where the builder keeps them.
                #[doc(hidden)]
                fn standard_params(&mut self) -> &mut StandardParams;

                #( #setters )*
            }
        }
    });
    quote! {
        //! Parameters every method accepts, set through each call's builder.

        /// The standard parameters of one call.
        #dead
        #[derive(Clone, Default, PartialEq)]
        #[doc(hidden)]
        pub struct StandardParams {
            #( #fields )*
        }

        impl std::fmt::Debug for StandardParams {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("StandardParams") #( #debug_fields )* .finish()
            }
        }

        #dead
        impl StandardParams {
            /// Adds the parameters that were set to `query`.
            pub(crate) fn append_to(&self, #query: &mut crate::runtime::query::Query) {
                #( #appends )*
            }
        }

        #setters_trait

        #( #enums )*
    }
}

/// How an optional parameter is held until the request is built.
pub fn stored_type(param: &Parameter) -> TokenStream {
    let ty = rust_type(&param.ty);
    if param.repeated {
        quote!(Vec<#ty>)
    } else {
        quote!(Option<#ty>)
    }
}

/// The statement that adds an optional parameter held in `self.<field>` to `query`.
pub fn append_to_query(param: &Parameter) -> TokenStream {
    let name = ident(&param.rust_name);
    let wire = &param.wire_name;
    if param.repeated {
        quote! { for value in &self.#name { query.push(#wire, value); } }
    } else {
        quote! { if let Some(value) = &self.#name { query.push(#wire, value); } }
    }
}

/// A builder setter for an optional parameter stored at `place` (such as
/// `self.standard.fields`).
pub fn setter(param: &Parameter, place: TokenStream) -> TokenStream {
    setter_with(param, place, quote!(pub))
}

/// [`setter`] with the visibility `vis` (none, for a trait's provided method).
fn setter_with(param: &Parameter, place: TokenStream, vis: TokenStream) -> TokenStream {
    let name = ident(&param.rust_name);
    let wire = &param.wire_name;
    let mut text = if param.description.trim().is_empty() {
        format!("Sets the `{wire}` parameter.")
    } else {
        format!("{}\n\nSets the `{wire}` parameter.", param.description)
    };
    if let Some(default) = &param.default {
        text.push_str(&format!(" The server's default is `{default}`."));
    }
    if param.style.is_none() && matches!(param.ty, Type::Map(_) | Type::Any) {
        // The choice `Query::push_fields` makes, said where it is used.
        let each = if param.repeated { "Each" } else { "The" };
        text.push_str(&format!(
            "\n\n{each} object travels in the query as one pair per leaf value, \
             named by its path joined with `.` (`{wire}.a.b=1`); an array repeats \
             the name per item, as Google's HTTP transcoding reads a message in the query."
        ));
    }
    let docs = doc(&text);
    let docs = {
        let deprecated = deprecated_attribute(param.deprecated);
        quote!(#docs #deprecated)
    };
    let item = rust_type(&param.ty);
    match (&param.ty, param.repeated) {
        (_, true) => quote! {
            #docs
            #vis fn #name<I, V>(mut self, values: I) -> Self
            where
                I: IntoIterator<Item = V>,
                V: Into<#item>,
            {
                #place = values.into_iter().map(Into::into).collect();
                self
            }
        },
        (Type::String, false) => quote! {
            #docs
            #vis fn #name(mut self, value: impl Into<String>) -> Self {
                #place = Some(value.into());
                self
            }
        },
        (_, false) => quote! {
            #docs
            #vis fn #name(mut self, value: #item) -> Self {
                #place = Some(value);
                self
            }
        },
    }
}
