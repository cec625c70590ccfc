//! `src/dispatch.rs` (cargo feature `dispatch`): calls by method id with
//! JSON parameters, each made through the method's typed call, so tools and
//! conformance tests build requests with exactly the code users run.

use super::features::Features;
use super::types::{ident, rust_type};
use crate::ir::{Api, Method, Parameter, Resource, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The dispatch module.
pub fn emit(api: &Api, features: &Features) -> TokenStream {
    let mut methods: Vec<(&Method, Vec<String>, String)> = Vec::new();
    for method in &api.methods {
        methods.push((method, Vec::new(), "resources".to_owned()));
    }
    collect(&api.resources, &[], "resources", &mut methods);
    // Each method's top-level resource's cargo feature gates its arm.
    let cfg_of = |chain: &[String]| features.chain_cfg(chain);
    methods.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    // Two methods with one id would make the `match` ambiguous; keep the first.
    methods.dedup_by(|a, b| a.0.id == b.0.id);
    let ids = methods.iter().map(|(m, chain, _)| {
        let id = m.id.as_str();
        let cfg = cfg_of(chain);
        quote!(#cfg #id)
    });
    // Arms whose resource's feature is off leave arguments unread and the
    // `match` with its last arm only.
    let gated = methods
        .iter()
        .any(|(_, chain, _)| !cfg_of(chain).is_empty());
    // An API without operations (only webhooks, say) reads no argument.
    let unused = (methods.is_empty() || gated)
        .then(|| quote!(let _ = (client, params, body, content_type);));
    let single = gated.then(|| quote!(#[allow(clippy::match_single_binding)]));
    // Each method is a function of its own: one `match` holding every
    // call's code would be a single function of tens of thousands of lines
    // for the biggest APIs, which the compiler checks in one piece (most
    // of AI Platform's peak memory).
    let mut taken = std::collections::BTreeSet::new();
    let functions: Vec<syn::Ident> = methods
        .iter()
        .map(|(method, _, module)| {
            let mut parts: Vec<&str> = module
                .split("::")
                .skip(1)
                .map(|m| m.trim_start_matches("r#"))
                .collect();
            parts.push(method.fn_name.trim_start_matches("r#"));
            // Private names, unique within the file: a clash (`a_b::c`
            // and `a::b_c`) takes the lowest free number. The prefix keeps
            // a keyword (`match`, a method's raw name) from being one.
            let base = format!("call_{}", parts.join("_"));
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}_{n}");
                n += 1;
            }
            format_ident!("{}", name)
        })
        .collect();
    let arms = methods
        .iter()
        .zip(&functions)
        .map(|((method, chain, _), function)| {
            let id = &method.id;
            let cfg = cfg_of(chain);
            quote! { #cfg #id => #function(client, params, body, content_type), }
        });
    let bodies = methods
        .iter()
        .zip(&functions)
        .map(|((method, chain, module), function)| {
            let cfg = cfg_of(chain);
            let call = dispatch_call(api, method, chain, module);
            quote! {
                #cfg
                fn #function(
                    client: &crate::Client,
                    params: &serde_json::Map<String, serde_json::Value>,
                    body: Option<&serde_json::Value>,
                    content_type: Option<&str>,
                ) -> Result<crate::HttpRequest, DispatchError> {
                    #call
                }
            }
        });
    let standard = with_standard(api);
    let matching = if methods.is_empty() {
        quote!(Err(DispatchError::UnknownMethod(method_id.to_owned())))
    } else {
        quote! {
            match method_id {
                #( #arms )*
                _ => Err(DispatchError::UnknownMethod(method_id.to_owned())),
            }
        }
    };
    quote! {
        //! Calls by method id with JSON parameters (cargo feature `dispatch`).
        //!
        //! Each call is built by the method's typed call, so a request made
        //! here is the one the typed API makes.

        pub use crate::runtime::dispatch::DispatchError;
        // The setters every call builder shares; unused when cargo
        // features leave out every resource.
        #[allow(unused_imports)]
        use crate::prelude::*;

        /// Every method id, sorted: of the resources whose cargo features are on.
        pub const METHOD_IDS: &[&str] = &[ #( #ids ),* ];

        /// Builds, without sending, the request of the method with
        /// Discovery id `method_id`.
        ///
        /// `params` are keyed by Discovery name, with values as in a URL:
        /// strings, numbers, booleans (64-bit integers as decimal strings),
        /// repeated parameters as arrays, objects as JSON; a name may be
        /// written `<in>:<name>` (`query:tags`) as OpenAPI tools do. `body`
        /// is the request body as JSON; `None` sends the empty message (or
        /// none, when the body is optional). `content_type` chooses among
        /// the body's media types.
        #single
        pub fn request(
            client: &crate::Client,
            method_id: &str,
            params: &serde_json::Map<String, serde_json::Value>,
            body: Option<&serde_json::Value>,
            content_type: Option<&str>,
        ) -> Result<crate::HttpRequest, DispatchError> {
            #unused
            #matching
        }

        #standard

        #( #bodies )*
    }
}

/// `with_standard`: the standard parameters read from `params` and set on
/// any call, once for all of them (nothing when the API has none).
fn with_standard(api: &Api) -> TokenStream {
    if api.standard_params.is_empty() {
        return TokenStream::new();
    }
    let setters = api.standard_params.iter().map(|p| param_setter(api, p, ""));
    quote! {
        /// Sets the standard parameters `params` holds on `call`.
        #[allow(dead_code)]
        fn with_standard<C: crate::params::StandardParameters>(
            mut call: C,
            params: &crate::runtime::dispatch::Params,
        ) -> Result<C, DispatchError> {
            #( #setters )*
            Ok(call)
        }
    }
}

/// Every method under `resources`, with its accessor chain and the module
/// path of its call builder.
fn collect<'a>(
    resources: &'a [Resource],
    chain: &[String],
    module: &str,
    out: &mut Vec<(&'a Method, Vec<String>, String)>,
) {
    for resource in resources {
        let mut chain = chain.to_vec();
        chain.push(resource.accessor.clone());
        let module = format!("{module}::{}", resource.module);
        for method in &resource.methods {
            out.push((method, chain.clone(), module.clone()));
        }
        collect(&resource.resources, &chain, &module, out);
    }
}

/// The type a parameter's value is parsed as, by absolute path.
fn param_type(param: &Parameter, module: &str) -> TokenStream {
    match &param.ty {
        // Enums declared by a method live in its call builder's module.
        Type::Enum(reference) if reference.module.is_empty() => {
            let name = ident(&reference.name);
            let segments = module.split("::").map(ident);
            quote!(crate #(:: #segments)* :: #name)
        }
        ty => rust_type(ty),
    }
}

fn dispatch_call(api: &Api, method: &Method, chain: &[String], module: &str) -> TokenStream {
    let known: Vec<&str> = method
        .args
        .iter()
        .chain(&method.optional)
        .chain(&api.standard_params)
        .map(|p| p.wire_name.as_str())
        .collect();
    let mut arguments: Vec<TokenStream> = method
        .args
        .iter()
        .map(|p| {
            let wire = &p.wire_name;
            let ty = param_type(p, module);
            if from_json(api, p) {
                quote!(params.required_json::<#ty>(#wire)?)
            } else if p.repeated && json_items(p) {
                quote!(params.required_json_list::<#ty>(#wire)?)
            } else if p.repeated {
                quote!(params.required_list::<#ty>(#wire)?)
            } else {
                quote!(params.required::<#ty>(#wire)?)
            }
        })
        .collect();
    let media: Vec<String> = method
        .request
        .as_ref()
        .map(|b| {
            b.media_types()
                .into_iter()
                .map(|m| m.content_type)
                .collect()
        })
        .unwrap_or_default();
    let content_type_arms = media
        .iter()
        .map(|ct| quote!(Some(#ct) => call.content_type(#ct),));
    let default_type = media.first().cloned().unwrap_or_default();
    let choose_content_type = if media.len() > 1 {
        quote! {
            call = match content_type {
                None => call,
                #( #content_type_arms )*
                Some(other) => return Err(crate::runtime::dispatch::not_a_media_type(other)),
            };
        }
    } else {
        quote!(crate::runtime::dispatch::only_media_type(content_type, #default_type)?;)
    };
    let mut optional_body = quote!();
    let body_check = match &method.request {
        Some(body) if !body.required => {
            let reader = body_reader(&body.ty);
            optional_body = quote! {
                if let Some(value) = body.filter(|b| !b.is_null()) {
                    call = call.body(#reader(Some(value))?);
                }
            };
            quote!()
        }
        Some(body) if !body.empty => {
            let reader = body_reader(&body.ty);
            arguments.push(quote!(#reader(body)?));
            quote!()
        }
        Some(_) => quote!(crate::runtime::dispatch::no_body(body, true)?;),
        None => quote! {
            crate::runtime::dispatch::no_body(body, false)?;
            let _ = content_type;
        },
    };
    let choose_content_type = if method.request.is_some() {
        choose_content_type
    } else {
        quote!()
    };
    let setters = method.optional.iter().map(|p| param_setter(api, p, module));
    // The standard parameters are read by one function for every call.
    let standard =
        (!api.standard_params.is_empty()).then(|| quote!(call = with_standard(call, &params)?;));
    let accessors = chain.iter().map(|a| ident(a));
    let function = ident(&method.fn_name);
    // Unknown names are refused even when the method reads none.
    let check = if known.is_empty() {
        quote!(crate::runtime::dispatch::Params::new(params, &[])?;)
    } else {
        quote!(let params = crate::runtime::dispatch::Params::new(params, &[ #( #known ),* ])?;)
    };
    quote! {
        #body_check
        #check
        #[allow(unused_mut)]
        let mut call = client #( .#accessors() )* .#function( #( #arguments ),* );
        #( #setters )*
        #standard
        #optional_body
        #choose_content_type
        call.dry_run().map_err(DispatchError::Build)
    }
}

/// The statements that read the optional parameter `p` from `params` and
/// set it on `call`. `module` is where the method's own enums live.
fn param_setter(api: &Api, p: &Parameter, module: &str) -> TokenStream {
    let wire = &p.wire_name;
    let setter = ident(&p.rust_name);
    let ty = param_type(p, module);
    if from_json(api, p) {
        quote! {
            if let Some(value) = params.optional_json::<#ty>(#wire)? {
                call = call.#setter(value);
            }
        }
    } else if p.repeated && json_items(p) {
        quote! {
            let values = params.json_list::<#ty>(#wire)?;
            if !values.is_empty() {
                call = call.#setter(values);
            }
        }
    } else if p.repeated {
        quote! {
            let values = params.list::<#ty>(#wire)?;
            if !values.is_empty() {
                call = call.#setter(values);
            }
        }
    } else {
        quote! {
            if let Some(value) = params.optional::<#ty>(#wire)? {
                call = call.#setter(value);
            }
        }
    }
}

/// Whether a parameter's value is read from its JSON (objects, maps,
/// unions) rather than parsed from text.
fn from_json(api: &Api, param: &Parameter) -> bool {
    if param.repeated {
        return false;
    }
    match &param.ty {
        Type::Any | Type::Map(_) | Type::Array(_) => true,
        Type::Named(name) => !api.schema(name).is_some_and(|s| {
            matches!(&s.kind, SchemaKind::Alias(inner) if !matches!(inner, Type::Any | Type::Map(_) | Type::Array(_) | Type::Named(_)))
        }),
        _ => false,
    }
}

/// Whether a repeated parameter's values are read from JSON (objects).
fn json_items(param: &Parameter) -> bool {
    param.repeated && matches!(param.ty, Type::Any | Type::Map(_))
}

/// The runtime function that reads a body of type `ty` from JSON: raw
/// bytes come as a JSON string of their text.
fn body_reader(ty: &Type) -> TokenStream {
    if *ty == Type::Binary {
        quote!(crate::runtime::dispatch::binary_body)
    } else {
        let ty = rust_type(ty);
        quote!(crate::runtime::dispatch::body::<#ty>)
    }
}
