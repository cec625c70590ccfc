//! `src/resources/`: a module per top-level resource with its accessor
//! type, one call builder per method, and nested resources as submodules.

use super::CrateSettings;
use super::docs::{doc, doc_paragraphs, doc_verbatim};
use super::enums;
use super::params::{append_to_query, setter, stored_type};
use super::types::{ident, rust_type};
use crate::ir::{Api, Method, Parameter, Resource, Type};
use crate::path_template::{Binding, BindingSegment, Expansion, PathPart};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `src/resources/mod.rs`: the module list and the accessors on `Client`.
pub fn emit_index(api: &Api) -> TokenStream {
    let modules = api.resources.iter().map(|r| {
        let module = ident(&r.module);
        let text = doc(&format!("Calls on the `{}` resource.", r.name));
        quote! { #text pub mod #module; }
    });
    let accessors = api.resources.iter().map(|r| {
        let module = ident(&r.module);
        let accessor = ident(&r.accessor);
        let type_name = ident(&r.type_name);
        let text = doc(&format!("Calls on the `{}` resource.", r.name));
        quote! {
            #text
            pub fn #accessor(&self) -> #module::#type_name<'_> {
                #module::#type_name::new(self)
            }
        }
    });
    quote! {
        //! The API's resources: one module each, reached from [`crate::Client`].

        #( #modules )*

        impl crate::Client {
            #( #accessors )*
        }
    }
}

/// `src/resources/<module>.rs` for one top-level resource.
pub fn emit_resource(api: &Api, settings: &CrateSettings, resource: &Resource) -> TokenStream {
    let chain = vec![resource.accessor.clone()];
    let items = resource_items(api, settings, resource, &chain);
    let text = format!(" Calls on the `{}` resource.", resource.name);
    quote! {
        #![doc = #text]
        #items
    }
}

/// The items of a resource's module. `chain` is the accessor path from the
/// client, for examples.
fn resource_items(
    api: &Api,
    settings: &CrateSettings,
    resource: &Resource,
    chain: &[String],
) -> TokenStream {
    let type_name = ident(&resource.type_name);
    let type_doc = doc(&format!(
        "The `{}` resource. Get it from the client with `{}`.",
        resource.name,
        chain
            .iter()
            .map(|a| format!(".{}()", a.trim_start_matches("r#")))
            .collect::<String>()
    ));
    let method_fns = resource
        .methods
        .iter()
        .map(|m| method_fn(api, settings, m, chain));
    let child_accessors = resource.resources.iter().map(|child| {
        let module = ident(&child.module);
        let accessor = ident(&child.accessor);
        let child_type = ident(&child.type_name);
        let text = doc(&format!("Calls on the nested `{}` resource.", child.name));
        quote! {
            #text
            pub fn #accessor(&self) -> #module::#child_type<'a> {
                #module::#child_type::new(self.client)
            }
        }
    });
    let builders = resource.methods.iter().map(|m| builder(api, resource, m));
    let children = resource.resources.iter().map(|child| {
        let module = ident(&child.module);
        let mut child_chain = chain.to_vec();
        child_chain.push(child.accessor.clone());
        let items = resource_items(api, settings, child, &child_chain);
        let text = doc(&format!("Calls on the `{}` resource.", child.name));
        quote! { #text pub mod #module { #items } }
    });
    quote! {
        #type_doc
        #[derive(Clone, Copy, Debug)]
        pub struct #type_name<'a> {
            client: &'a crate::Client,
        }

        impl<'a> #type_name<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            #( #method_fns )*
            #( #child_accessors )*
        }

        #( #builders )*
        #( #children )*
    }
}

/// The function on the resource type that starts a call.
fn method_fn(
    api: &Api,
    settings: &CrateSettings,
    method: &Method,
    chain: &[String],
) -> TokenStream {
    let fn_name = ident(&method.fn_name);
    let builder = ident(&method.builder);
    let mut arguments = Vec::new();
    let mut inits = Vec::new();
    let mut arg_docs = Vec::new();
    for param in &method.args {
        let name = ident(&param.rust_name);
        let (arg, init) = argument(param);
        arguments.push(quote!(#name: #arg));
        inits.push(init);
        let mut text = format!(
            "* `{}`: {}",
            param.rust_name.trim_start_matches("r#"),
            one_line(&param.description)
        );
        if let Some(shape) = binding_of(method, param).map(ToString::to_string) {
            if shape != "*" && shape != "**" {
                text.push_str(&format!(" Must match `{shape}`."));
            }
        }
        arg_docs.push(text);
    }
    let request_init = match &method.request {
        Some(body) if !body.empty => {
            let ty = rust_type(&Type::Named(body.type_name.clone()));
            arguments.push(quote!(request: #ty));
            arg_docs.push(format!(
                "* `request`: the request body, [`crate::models::{}`].",
                body.type_name
            ));
            quote!(request,)
        }
        Some(_) => quote!(request: Default::default(),),
        None => quote!(),
    };
    let optional_inits = method.optional.iter().map(|p| {
        let name = ident(&p.rust_name);
        quote!(#name: Default::default(),)
    });
    let many = (arguments.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));

    let verb = method.http_method.as_str();
    let scope_text = scope_summary(api, method);
    let mut paragraphs = vec![
        if method.description.trim().is_empty() {
            format!("Calls `{}`.", method.id)
        } else {
            method.description.clone()
        },
        format!("`{verb} {}`", method.path),
    ];
    if method.deprecated {
        paragraphs.push("**Deprecated** by the API.".to_owned());
    }
    if !arg_docs.is_empty() {
        paragraphs.push(format!("# Arguments\n\n{}", arg_docs.join("\n")));
    }
    paragraphs.push(format!("# Authorization\n\n{scope_text}"));
    paragraphs.push(format!(
        "Optional parameters are set on the returned [`{}`]; `.await` it to send the call.",
        method.builder
    ));
    let docs = doc_paragraphs(&paragraphs);
    let example = doc_verbatim(&format!("\n{}", example(settings, method, chain)));
    quote! {
        #docs
        #example
        #many
        pub fn #fn_name(&self, #( #arguments ),*) -> #builder<'a> {
            #builder {
                client: self.client,
                #( #inits, )*
                #( #optional_inits )*
                #request_init
                standard: Default::default(),
            }
        }
    }
}

/// The parameter type of a positional argument and the field initializer
/// that stores it in the call builder.
fn argument(param: &Parameter) -> (TokenStream, TokenStream) {
    let name = ident(&param.rust_name);
    let item = rust_type(&param.ty);
    match (&param.ty, param.repeated) {
        (_, true) => (
            quote!(impl IntoIterator<Item = impl Into<#item>>),
            quote!(#name: #name.into_iter().map(Into::into).collect()),
        ),
        (Type::String, false) => (quote!(impl Into<String>), quote!(#name: #name.into())),
        (_, false) => (item, quote!(#name)),
    }
}

fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        "(no description)".to_owned()
    } else {
        joined
    }
}

fn scope_summary(api: &Api, method: &Method) -> String {
    match method.scopes.len() {
        0 => "The method needs no OAuth scope.".to_owned(),
        n if n <= 3 => {
            let urls = scope_list(api, method);
            format!(
                "Any one of these scopes (also in [`{}::SCOPES`]):\n\n{}",
                method.builder,
                urls.join("\n")
            )
        }
        n => format!(
            "Any one of the {n} scopes in [`{}::SCOPES`].",
            method.builder
        ),
    }
}

/// A `no_run` doctest that calls the method with sample arguments.
fn example(settings: &CrateSettings, method: &Method, chain: &[String]) -> String {
    let krate = settings.crate_name.replace('-', "_");
    let call = call_expression(&krate, method, chain);
    let (binding, use_result) = if method.response.is_some() {
        ("let response = ", "\nprintln!(\"{response:?}\");")
    } else {
        ("", "")
    };
    format!(
        "# Example\n\n```no_run\n\
         # async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
         {binding}{call}.await?;{use_result}\n\
         # Ok(())\n\
         # }}\n```"
    )
}

/// `client.<accessors>.<method>(<sample arguments>)`, without `.await`.
pub(super) fn call_expression(krate: &str, method: &Method, chain: &[String]) -> String {
    let mut args: Vec<String> = method
        .args
        .iter()
        .map(|p| sample_argument(method, p, krate))
        .collect();
    if let Some(body) = method.request.as_ref().filter(|b| !b.empty) {
        args.push(format!("{krate}::models::{}::new()", body.type_name));
    }
    let accessors: String = chain.iter().map(|a| format!(".{a}()")).collect();
    format!("client{accessors}.{}({})", method.fn_name, args.join(", "))
}

fn sample_argument(method: &Method, param: &Parameter, krate: &str) -> String {
    let sample = match (&param.ty, binding_of(method, param)) {
        (Type::String, Some(binding)) => format!("{:?}", sample_value(binding)),
        (Type::String, None) => format!("{:?}", format!("example-{}", param.wire_name)),
        (Type::Bool, _) => "true".to_owned(),
        (Type::I32 | Type::U32 | Type::I64 | Type::U64, _) => "1".to_owned(),
        (Type::F32 | Type::F64, _) => "1.0".to_owned(),
        (Type::Timestamp, _) => format!("\"2025-01-01T00:00:00Z\".parse::<{krate}::Timestamp>()?"),
        // Parsing the first known value names its variant without spelling
        // out the enum's module path.
        (Type::Enum(reference), _) => {
            let first = reference
                .definition
                .as_ref()
                .and_then(|d| d.variants.first());
            format!("{:?}.parse()?", first.map_or("", |v| v.wire_name.as_str()))
        }
        // Parameters are scalars; nothing else reaches here.
        _ => "Default::default()".to_owned(),
    };
    if param.repeated {
        format!("[{sample}]")
    } else {
        sample
    }
}

fn binding_of<'m>(method: &'m Method, param: &Parameter) -> Option<&'m Binding> {
    method.path.variables().find_map(|v| match &v.expansion {
        Expansion::Reserved(Some(binding)) if v.name == param.wire_name => Some(binding),
        _ => None,
    })
}

/// A value that fits `binding`, such as `archiveJobs/example-id`.
fn sample_value(binding: &Binding) -> String {
    binding
        .0
        .iter()
        .map(|segment| match segment {
            BindingSegment::Literal(text) => text.clone(),
            BindingSegment::Single => "example-id".to_owned(),
            BindingSegment::Multi => "example/path".to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The call builder of one method.
fn builder(api: &Api, resource: &Resource, method: &Method) -> TokenStream {
    let builder = ident(&method.builder);
    let type_name = &resource.type_name;
    let id = &method.id;
    let docs = doc(&format!(
        "A call to `{id}`, made by [`{type_name}::{}`].\n\n\
         Set optional parameters with its methods, then `.await` it (or call \
         [`{}::send`]). Nothing is sent before that.",
        method.fn_name.trim_start_matches("r#"),
        method.builder
    ));
    let (scopes_doc, scopes_value) = scopes_constant(api, method);
    let arg_fields = method.args.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = rust_type(&p.ty);
        if p.repeated {
            quote!(#name: Vec<#ty>,)
        } else {
            quote!(#name: #ty,)
        }
    });
    let optional_fields = method.optional.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = stored_type(p);
        quote!(#name: #ty,)
    });
    let request_field = method.request.as_ref().map(|body| {
        let ty = rust_type(&Type::Named(body.type_name.clone()));
        quote!(request: #ty,)
    });
    let optional_setters = method.optional.iter().map(|p| {
        let name = ident(&p.rust_name);
        setter(p, quote!(self.#name))
    });
    let standard_setters = api.standard_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        setter(p, quote!(self.standard.#name))
    });
    let response = match &method.response {
        Some(name) => rust_type(&Type::Named(name.clone())),
        None => quote!(()),
    };
    let execute = if method.response.is_some() {
        quote!(client.execute(request).await)
    } else {
        quote!(client.execute_without_response(request).await)
    };
    let request_statements = into_request(method);
    let method_enums = method
        .args
        .iter()
        .chain(&method.optional)
        .filter_map(|p| match &p.ty {
            Type::Enum(reference) if reference.module.is_empty() => {
                reference.definition.as_deref().map(enums::emit)
            }
            _ => None,
        });
    let send_doc = doc("Sends the call and returns the response body.\n\n\
         Path parameters are checked first: a value that does not fit its \
         template is an [`crate::Error::Binding`] and nothing is sent.");
    quote! {
        #docs
        #[derive(Clone, Debug)]
        #[must_use = "a call does nothing until it is awaited"]
        pub struct #builder<'a> {
            client: &'a crate::Client,
            #( #arg_fields )*
            #( #optional_fields )*
            #request_field
            standard: crate::params::StandardParams,
        }

        impl<'a> #builder<'a> {
            #scopes_doc
            pub const SCOPES: &'static [crate::Scope] = #scopes_value;

            #( #optional_setters )*
            #( #standard_setters )*

            #send_doc
            pub async fn send(self) -> crate::Result<#response> {
                let client = self.client;
                let request = self.into_request()?;
                #execute
            }

            /// Binds and encodes the path, collects the query and serializes the body.
            fn into_request(self) -> crate::Result<crate::runtime::client::Request> {
                #request_statements
            }
        }

        impl<'a> std::future::IntoFuture for #builder<'a> {
            type Output = crate::Result<#response>;
            type IntoFuture = crate::BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }

        #( #method_enums )*
    }
}

/// A Markdown list of the scope URLs a method accepts.
fn scope_list(api: &Api, method: &Method) -> Vec<String> {
    method
        .scopes
        .iter()
        .filter_map(|v| api.scopes.iter().find(|s| s.variant == *v))
        .map(|s| format!("- `{}`", s.url))
        .collect()
}

/// The docs and value of a call's `SCOPES` constant. A method that accepts
/// every scope of the API (as all Data Portability methods do) refers to
/// `Scope::ALL` instead of repeating the list.
fn scopes_constant(api: &Api, method: &Method) -> (TokenStream, TokenStream) {
    let all: Vec<&str> = api.scopes.iter().map(|s| s.variant.as_str()).collect();
    if !all.is_empty()
        && method
            .scopes
            .iter()
            .map(String::as_str)
            .eq(all.iter().copied())
    {
        let text = format!(
            "Any one of the API's {} scopes authorizes the call: this is [`crate::Scope::ALL`].",
            all.len()
        );
        return (doc(&text), quote!(crate::Scope::ALL));
    }
    let urls = scope_list(api, method);
    let text = if urls.is_empty() {
        "The method needs no OAuth scope.".to_owned()
    } else {
        format!(
            "Any one of these scopes authorizes the call:\n\n{}",
            urls.join("\n")
        )
    };
    let variants = method.scopes.iter().map(|v| ident(v));
    (doc(&text), quote!(&[ #( crate::Scope::#variants, )* ]))
}

/// The body of `into_request`: path, query, body, in that order.
fn into_request(method: &Method) -> TokenStream {
    let path_statements = method.path.parts.iter().map(|part| match part {
        PathPart::Literal(text) => quote! { path.push_str(#text); },
        PathPart::Variable(variable) => {
            let param = method
                .args
                .iter()
                .find(|p| p.wire_name == variable.name)
                .expect("lowering checked that every path variable is a positional argument");
            let name = ident(&param.rust_name);
            let wire = &param.wire_name;
            let value = if param.ty == Type::String {
                quote!(&self.#name)
            } else {
                quote!(&self.#name.to_string())
            };
            match &variable.expansion {
                Expansion::Simple => quote! {
                    crate::runtime::path::push_simple(&mut path, #wire, #value)?;
                },
                Expansion::Reserved(None) => quote! {
                    crate::runtime::path::push_reserved(&mut path, #wire, #value, None)?;
                },
                Expansion::Reserved(Some(binding)) => {
                    let template = binding.to_string();
                    let segments = binding.0.iter().map(|segment| match segment {
                        BindingSegment::Literal(text) => quote!(Segment::Literal(#text)),
                        BindingSegment::Single => quote!(Segment::Single),
                        BindingSegment::Multi => quote!(Segment::Multi),
                    });
                    let constant = format_ident!("{}", param.rust_name.trim_start_matches("r#").to_uppercase());
                    quote! {
                        {
                            use crate::runtime::path::{Binding, Segment};
                            const #constant: Binding = Binding {
                                template: #template,
                                segments: &[ #( #segments ),* ],
                            };
                            crate::runtime::path::push_reserved(&mut path, #wire, #value, Some(&#constant))?;
                        }
                    }
                }
            }
        }
    });
    let query_args = method
        .args
        .iter()
        .filter(|p| p.location == crate::ir::Location::Query)
        .map(|p| {
            let name = ident(&p.rust_name);
            let wire = &p.wire_name;
            if p.repeated {
                quote! { for value in &self.#name { query.push(#wire, value); } }
            } else {
                quote! { query.push(#wire, &self.#name); }
            }
        });
    let optional = method.optional.iter().map(append_to_query);
    let body = if method.request.is_some() {
        quote!(crate::runtime::client::json_body(&self.request)?)
    } else {
        quote!(None)
    };
    let id = &method.id;
    let verb = format_ident!("{}", method.http_method.as_str());
    quote! {
        let mut path = String::new();
        #( #path_statements )*
        let mut query = crate::runtime::query::Query::new();
        #( #query_args )*
        #( #optional )*
        self.standard.append_to(&mut query);
        Ok(crate::runtime::client::Request {
            method_id: #id,
            http_method: reqwest::Method::#verb,
            path,
            query,
            body: #body,
            scopes: Self::SCOPES,
        })
    }
}
