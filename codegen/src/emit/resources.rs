//! `src/resources/`: a module per top-level resource with its accessor
//! type, one call builder per method, and nested resources as submodules.

use super::CrateSettings;
use super::calls::{builder, scope_list};
use super::docs::{code_list, deprecated_attribute, doc, doc_paragraphs, doc_verbatim, inner_doc};
use super::features::Features;
use super::types::{ident, rust_type};
use crate::ir::{Api, Location, Method, Parameter, Resource, Type};
use crate::path_template::{Binding, BindingSegment, Expansion};
use proc_macro2::TokenStream;
use quote::quote;

/// What a method function is defined on.
#[derive(Clone, Copy)]
enum Receiver {
    /// A resource type holding `client: &'a Client`.
    Resource,
    /// `Client` itself (methods outside any resource).
    Client,
}

/// `src/resources/mod.rs`: the module list, the accessors and top-level
/// methods on `Client`, and the call builders of those methods.
pub fn emit_index(api: &Api, settings: &CrateSettings, features: &Features) -> TokenStream {
    let modules = api.resources.iter().enumerate().map(|(i, r)| {
        let module = ident(&r.module);
        let cfg = features.resource_cfg(i);
        let text = doc(&format!(
            "Calls on the `{}` resource (cargo feature `{}`).",
            r.name, features.resources[i].name
        ));
        quote! { #text #cfg pub mod #module; }
    });
    let accessors = api.resources.iter().enumerate().map(|(i, r)| {
        let module = ident(&r.module);
        let accessor = ident(&r.accessor);
        let type_name = ident(&r.type_name);
        let cfg = features.resource_cfg(i);
        let text = doc(&format!(
            "Calls on the `{}` resource (cargo feature `{}`).",
            r.name, features.resources[i].name
        ));
        quote! {
            #text
            #cfg
            pub fn #accessor(&self) -> #module::#type_name<'_> {
                #module::#type_name::new(self)
            }
        }
    });
    let methods = api
        .methods
        .iter()
        .map(|m| method_fn(api, settings, m, &[], Receiver::Client));
    let builders = api.methods.iter().map(|m| {
        let made_by = format!("crate::Client::{}", m.fn_name.trim_start_matches("r#"));
        builder(api, &made_by, m)
    });
    let pollers = super::lro::poller_fns(api, features);
    quote! {
        //! The API's resources: one module each, reached from [`crate::Client`].

        #( #modules )*

        impl crate::Client {
            #( #accessors )*
            #( #methods )*
        }

        #( #builders )*

        #pollers
    }
}

/// Every resource's file: `src/resources/<module>.rs` for a top-level
/// resource, `src/resources/<module>/<child>.rs` for one nested in it, and
/// so on down; each with the accessor chain from the client.
pub fn resource_files(api: &Api) -> Vec<(String, &Resource, Vec<String>)> {
    fn walk<'a>(
        resources: &'a [Resource],
        folder: &str,
        chain: &[String],
        out: &mut Vec<(String, &'a Resource, Vec<String>)>,
    ) {
        for resource in resources {
            let module = resource.module.trim_start_matches("r#");
            let mut chain = chain.to_vec();
            chain.push(resource.accessor.clone());
            out.push((format!("{folder}/{module}.rs"), resource, chain.clone()));
            walk(
                &resource.resources,
                &format!("{folder}/{module}"),
                &chain,
                out,
            );
        }
    }
    let mut out = Vec::new();
    walk(&api.resources, "src/resources", &[], &mut out);
    out
}

/// The file of one resource, reached from the client by `chain`.
pub fn emit_resource(
    api: &Api,
    settings: &CrateSettings,
    resource: &Resource,
    chain: &[String],
) -> TokenStream {
    let items = resource_items(api, settings, resource, chain);
    let docs = inner_doc(&format!("Calls on the `{}` resource.", resource.name));
    quote! {
        #docs
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
        .map(|m| method_fn(api, settings, m, chain, Receiver::Resource));
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
    let builders = resource.methods.iter().map(|m| {
        let made_by = format!(
            "{}::{}",
            resource.type_name,
            m.fn_name.trim_start_matches("r#")
        );
        builder(api, &made_by, m)
    });
    // Each nested resource is a file of its own (`emit::resource_files`),
    // so no file holds a whole API's worth of calls.
    let children = resource.resources.iter().map(|child| {
        let module = ident(&child.module);
        let text = doc(&format!("Calls on the `{}` resource.", child.name));
        // `projects.projects` is a module in its namesake; the spec's
        // structure is kept, so clippy's objection to that is silenced.
        let inception = (child.module == resource.module)
            .then(|| quote! { #[allow(clippy::module_inception)] });
        quote! { #text #inception pub mod #module; }
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

/// The paragraph on a list call's pages and items.
fn paging_docs(method: &Method) -> Option<String> {
    let paging = method.paging.as_ref()?;
    let builder = &method.builder;
    let lists = || code_list(paging.candidates.iter().map(String::as_str), ", ");
    Some(match &paging.items {
        Some(items) => format!(
            "# Paging\n\n[`{builder}::items`] streams the `{}` of every page; \
             [`{builder}::pages`] streams the pages themselves.",
            items.wire_name
        ),
        None if !paging.candidates.is_empty() => format!(
            "# Paging\n\n[`{builder}::pages`] streams the pages. The response has several \
             lists ({}), none of them clearly the items, so there is no item stream.",
            lists()
        ),
        None => format!("# Paging\n\n[`{builder}::pages`] streams the pages."),
    })
}

/// The function on the resource type (or the client) that starts a call.
fn method_fn(
    api: &Api,
    settings: &CrateSettings,
    method: &Method,
    chain: &[String],
    receiver: Receiver,
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
        // A styled (OpenAPI) value is laid out by its style instead.
        let each = if param.repeated && param.location == Location::Path && param.style.is_none() {
            text.push_str(" The values are joined by `,` in the path.");
            "Each value must"
        } else {
            "Must"
        };
        if let Some(shape) = binding_of(method, param).map(ToString::to_string) {
            if shape != "*" && shape != "**" {
                text.push_str(&format!(" {each} match `{shape}`."));
            }
        }
        // A pattern no binding expresses is left to the server, but said.
        if let (Location::Path, Some(pattern)) = (param.location, &param.pattern) {
            text.push_str(&format!(
                " {each} match the pattern {} (checked by the server).",
                code_span(pattern)
            ));
        }
        if let Some(name) = &param.resource_name {
            text.push_str(&format!(" Takes a [`crate::names::{name}`] or a string."));
        }
        arg_docs.push(text);
    }
    let request_init = match &method.request {
        Some(body) if !body.required => quote!(request: None,),
        Some(body) if !body.empty => {
            let ty = rust_type(&body.ty);
            arguments.push(quote!(request: #ty));
            arg_docs.push(match &body.ty {
                Type::Named(name) => {
                    format!("* `request`: the request body, [`crate::models::{name}`].")
                }
                _ => "* `request`: the request body.".to_owned(),
            });
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
    paragraphs.extend(paging_docs(method));
    if let Some(lro) = &method.long_running {
        let ty = super::types::rust_type(&lro.operation)
            .to_string()
            .replace(' ', "");
        paragraphs.push(format!(
            "# Long-running operation\n\nThe call returns an operation ([`{ty}`]) at \
             once; [`{}::poller`] polls it until it is done.",
            method.builder
        ));
    }
    if !method.errors.is_empty() {
        let lines: Vec<String> = method
            .errors
            .iter()
            .map(|e| {
                let ty = super::types::rust_type(&e.ty).to_string().replace(' ', "");
                let what = if e.description.trim().is_empty() {
                    String::new()
                } else {
                    format!(": {}", one_line(&e.description))
                };
                format!("- `{}`: `{ty}`{what}", e.status)
            })
            .collect();
        paragraphs.push(format!(
            "# Errors\n\nFailure responses the API documents, with the type their body \
             reads as through [`crate::Error::body_as`]:\n\n{}",
            lines.join("\n")
        ));
    }
    paragraphs.push(format!(
        "Optional parameters are set on the returned [`{}`]; `.await` it to send the call.",
        method.builder
    ));
    let docs = doc_paragraphs(&paragraphs);
    let example = doc_verbatim(&format!("\n{}", example(api, settings, method, chain)));
    let deprecated = deprecated_attribute(method.deprecated);
    // The builder owns a handle on the client (an `Arc`), so a call can be
    // sent from a spawned task without borrowing anything.
    let client = match receiver {
        Receiver::Resource => quote!(self.client.clone()),
        Receiver::Client => quote!(self.clone()),
    };
    quote! {
        #docs
        #example
        #deprecated
        #many
        pub fn #fn_name(&self, #( #arguments ),*) -> #builder {
            #builder {
                client: #client,
                #( #inits, )*
                #( #optional_inits )*
                #request_init
                standard: Default::default(),
                options: Default::default(),
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

/// `text` as inline Markdown code, whatever backticks it holds.
fn code_span(text: &str) -> String {
    let mut fence = "`".to_owned();
    while text.contains(fence.as_str()) {
        fence.push('`');
    }
    if fence.len() == 1 {
        format!("`{text}`")
    } else {
        format!("{fence} {text} {fence}")
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
    let scopes = scope_text(api, method);
    let Some(sets) = &method.security else {
        return scopes;
    };
    let alternatives: Vec<String> = sets
        .iter()
        .map(|set| {
            if set.is_empty() {
                "- no credential (anonymous calls are accepted)".to_owned()
            } else {
                let names: Vec<String> = set
                    .iter()
                    .map(
                        |name| match api.security_schemes.iter().find(|s| s.name == *name) {
                            Some(s)
                                if matches!(
                                    s.kind,
                                    crate::ir::SecurityKind::Bearer {
                                        token_provider: true
                                    }
                                ) =>
                            {
                                format!("`{name}` (a token from the token provider)")
                            }
                            Some(s) => format!(
                                "`{name}` ([`crate::security::{}`])",
                                s.fn_name.trim_start_matches("r#")
                            ),
                            None => format!("`{name}`"),
                        },
                    )
                    .collect();
                format!("- {}", names.join(" and "))
            }
        })
        .collect();
    if alternatives.is_empty() {
        return format!("{scopes}\n\nThe API states no credential for this method.");
    }
    format!(
        "{scopes}\n\nThe call sends the credentials of the first of these sets the client holds:\n\n{}",
        alternatives.join("\n")
    )
}

fn scope_text(api: &Api, method: &Method) -> String {
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
fn example(api: &Api, settings: &CrateSettings, method: &Method, chain: &[String]) -> String {
    let krate = settings.crate_name.replace('-', "_");
    let call = call_expression(api, &krate, method, chain);
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
pub(super) fn call_expression(api: &Api, krate: &str, method: &Method, chain: &[String]) -> String {
    let mut args: Vec<String> = method
        .args
        .iter()
        .map(|p| sample_argument(api, method, p, krate))
        .collect();
    if let Some(body) = method.request.as_ref().filter(|b| !b.empty && b.required) {
        args.push(match &body.ty {
            Type::Named(name) => format!("{krate}::models::{name}::default()"),
            _ => "Default::default()".to_owned(),
        });
    }
    let accessors: String = chain.iter().map(|a| format!(".{a}()")).collect();
    format!("client{accessors}.{}({})", method.fn_name, args.join(", "))
}

fn sample_argument(api: &Api, method: &Method, param: &Parameter, krate: &str) -> String {
    let sample = match (&param.ty, binding_of(method, param)) {
        (Type::String, Some(binding)) => format!("{:?}", sample_value(binding)),
        (Type::String, None) => format!("{:?}", format!("example-{}", param.wire_name)),
        (Type::Bool, _) => "true".to_owned(),
        (Type::I32 | Type::U32 | Type::I64 | Type::U64, _) => "1".to_owned(),
        (Type::F32 | Type::F64, _) => "1.0".to_owned(),
        (Type::Timestamp, _) => format!("\"2025-01-01T00:00:00Z\".parse::<{krate}::Timestamp>()?"),
        (Type::Date, _) => format!("\"2025-01-01\".parse::<{krate}::Date>()?"),
        (Type::Duration, _) => format!("\"3.5s\".parse::<{krate}::Duration>()?"),
        (Type::FieldMask, _) => format!("{krate}::FieldMask::new([\"name\"])"),
        (Type::Bytes, _) => format!("{krate}::Bytes::from(\"example\")"),
        // Parsing the first known value names its variant without spelling
        // out the enum's module path; a list takes the text itself (open
        // enums are `From<&str>`), as `parse` could not tell its type.
        (Type::Enum(reference), _) => {
            let first = reference
                .definition
                .as_ref()
                .and_then(|d| d.variants.first());
            let wire = first.map_or("", |v| v.wire_name.as_str());
            if param.repeated {
                format!("{wire:?}")
            } else {
                format!("{wire:?}.parse()?")
            }
        }
        // A named alias of an enum parses its first value too.
        (Type::Named(name), _) => match named_enum(api, name) {
            Some(first) => format!("{first:?}.parse()?"),
            None => "Default::default()".to_owned(),
        },
        // Everything else has a `Default`.
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
pub(super) fn sample_value(binding: &Binding) -> String {
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

/// The first value of the enum a named schema is an alias of, if it is one.
fn named_enum(api: &Api, name: &str) -> Option<String> {
    let schema = api.schema(name)?;
    let crate::ir::SchemaKind::Alias(Type::Enum(reference)) = &schema.kind else {
        return None;
    };
    let definition = schema
        .enums
        .iter()
        .find(|e| e.rust_name == reference.name)?;
    Some(definition.variants.first()?.wire_name.clone())
}
