//! Call builders: one struct per method holding its arguments, with setters
//! for optional parameters, `send` (and `.await`), `dry_run`, and where the
//! method supports them `pages`, `download`, `upload` and `upload_resumable`.

use super::docs::{code_list, doc};
use super::enums;
use super::params::{setter, stored_type};
use super::types::{ident, rust_type};
use crate::ir::{
    Api, BodyEncoding, BodyMedia, Location, Method, PageItems, Paging, Parameter, SecurityKind,
    Style, Type, Upload,
};
use crate::path_template::{BindingSegment, Expansion, PathPart, PathTemplate};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The call builder of one method. `made_by` is the Rust path of the
/// function that starts the call, for its documentation.
pub fn builder(api: &Api, made_by: &str, method: &Method) -> TokenStream {
    let builder = ident(&method.builder);
    let id = &method.id;
    let docs = doc(&format!(
        "A call to `{id}`, made by [`{made_by}`].\n\n\
         Set optional parameters with its methods, then `.await` it (or call \
         [`{}::send`]). Nothing is sent before that.",
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
        let ty = rust_type(&body.ty);
        if body.required {
            quote!(request: #ty,)
        } else {
            quote!(request: Option<#ty>,)
        }
    });
    let body_setters = method.request.as_ref().map(|body| {
        let mut out = TokenStream::new();
        if !body.required {
            let ty = rust_type(&body.ty);
            out.extend(quote! {
                /// Sets the request body, which the API does not require.
                pub fn body(mut self, body: impl Into<#ty>) -> Self {
                    self.request = Some(body.into());
                    self
                }
            });
        }
        let media = body.media_types();
        if media.len() > 1 {
            let list: Vec<String> = media.iter().map(|m| format!("- `{}`", m.content_type)).collect();
            let text = doc(&format!(
                "Sends the body as `content_type`, one of (the first is the default):\n\n{}\n\nAny other is refused when the call is built.",
                list.join("\n")
            ));
            out.extend(quote! {
                #text
                pub fn content_type(mut self, content_type: &'static str) -> Self {
                    self.options.content_type = Some(content_type);
                    self
                }
            });
        }
        out
    });
    let optional_setters = method.optional.iter().map(|p| {
        let name = ident(&p.rust_name);
        setter(p, quote!(self.#name))
    });
    // The standard parameters' setters are provided methods of one trait.
    let standard_params = (!api.standard_params.is_empty()).then(|| {
        quote! {
            impl crate::params::StandardParameters for #builder {
                fn standard_params(&mut self) -> &mut crate::params::StandardParams {
                    &mut self.standard
                }
            }
        }
    });
    let response = response_type(method);
    let sent = send_type(method);
    // `send` is not an `async fn`: its future would hold the builder for as
    // long as the call runs (an `async fn` keeps its arguments), and
    // `.await` boxes it; it returns the runtime's future, which holds the
    // client and the request only.
    let execute = match (&method.response, method.response_encoding) {
        // The body the API documents without a schema is the content:
        // streamed, as Google's clients return it raw.
        (None, _) if method.download.is_some() => quote! {
            let request = self.into_request();
            async move { client.download(request?).await }
        },
        (None, _) => quote!(client.execute_without_response(self.into_request())),
        (Some(_), BodyEncoding::Binary) => quote!(client.execute_bytes(self.into_request())),
        (Some(_), BodyEncoding::Text) => quote!(client.execute_text(self.into_request())),
        (Some(_), _) => quote!(client.execute(self.into_request())),
    };
    let request_statements = into_request(api, method);
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
    let common = common_items(method, &sent);
    let send_doc = doc(&send_docs(method));
    let pages = method.paging.as_ref().map(|paging| {
        let token = ident(&paging.token_field);
        let next = ident(&paging.next_token_field);
        let items = paging
            .items
            .as_ref()
            .map(|items| items_method(paging, items, &response));
        quote! {
            /// The pages of the list, each fetched when asked for: the
            /// first (or the one `page_token` names), then one per
            /// `nextPageToken`, until a page has none. A token the server
            /// repeats is an error, not an endless loop.
            pub fn pages(self) -> crate::Pages<#response> {
                let first = self.#token.clone();
                crate::Pages::new(
                    #id,
                    first,
                    move |token| {
                        let mut call = Clone::clone(&self);
                        call.#token = token;
                        Box::pin(call.send())
                    },
                    |page| page.#next.as_deref(),
                )
            }

            #items
        }
    });
    let poller = method
        .long_running
        .as_ref()
        .map(|lro| super::lro::poller_method(api, lro));
    let download = method.download.as_ref().map(|download| {
        let prefix = if download.use_download_service {
            "download/"
        } else {
            ""
        };
        let text = doc(&download_docs(method, prefix));
        quote! {
            #text
            pub async fn download(self) -> crate::Result<crate::Download> {
                let client = self.client.clone();
                let mut request = self.into_request()?;
                request.prefix = #prefix;
                request.query.push("alt", "media");
                client.download(request).await
            }
        }
    });
    let upload = method
        .upload
        .as_ref()
        .map(|upload| upload_methods(api, method, upload, &response));
    let deprecated_note = method.deprecated.then(|| {
        quote! {
            #[doc = ""]
            #[doc = " **Deprecated** by the API."]
        }
    });
    quote! {
        #docs
        #deprecated_note
        #[derive(Clone, Debug)]
        #[must_use = "a call does nothing until it is awaited"]
        pub struct #builder {
            client: crate::Client,
            #( #arg_fields )*
            #( #optional_fields )*
            #request_field
            standard: crate::params::StandardParams,
            options: crate::runtime::client::CallOptions,
        }

        impl #builder {
            #scopes_doc
            pub const SCOPES: &'static [&'static str] = #scopes_value;

            #( #optional_setters )*
            #body_setters

            #send_doc
            pub fn send(self) -> impl std::future::Future<Output = crate::Result<#sent>> + Send + 'static {
                let client = crate::runtime::Client::clone(&self.client);
                #execute
            }

            #pages
            #poller
            #download
            #upload

            /// Binds and encodes the path, collects the query and serializes the body.
            fn into_request(self) -> crate::Result<crate::runtime::client::Request> {
                #request_statements
            }
        }

        #common
        #standard_params

        #( #method_enums )*
    }
}

/// `items()`: the list's items across pages.
fn items_method(paging: &Paging, items: &PageItems, response: &TokenStream) -> TokenStream {
    let field = ident(&items.field);
    let item = rust_type(&items.ty);
    let wire = &items.wire_name;
    let value = if items.boxed {
        quote!(page.#field.map(|list| *list))
    } else {
        quote!(page.#field)
    };
    let (item, take, shape) = if items.keyed {
        (
            quote!((String, #item)),
            quote!(#value.map(|map| map.into_iter().collect()).unwrap_or_default()),
            "each a `(key, value)` pair of the `{wire}` map",
        )
    } else {
        (
            quote!(#item),
            quote!(#value.unwrap_or_default()),
            "the `{wire}` list",
        )
    };
    let chosen = if paging.candidates.is_empty() {
        String::new()
    } else {
        format!(
            " The response has several lists ({}); `{wire}` is taken as the items \
             because of its name (google.aip.dev/158).",
            code_list(paging.candidates.iter().map(String::as_str), ", ")
        )
    };
    let text = doc(&format!(
        "The items of every page, {}, fetched a page at a time as they are asked for \
         (see [`pages`](Self::pages)).{chosen}",
        shape.replace("{wire}", wire)
    ));
    quote! {
        #text
        pub fn items(self) -> crate::Items<#response, #item> {
            crate::Items::new(self.pages(), |page| #take)
        }
    }
}

/// The invocation of the runtime macro that gives the builder its per-call
/// retry and timeout setters, `dry_run` and `IntoFuture`.
fn common_items(method: &Method, response: &TokenStream) -> TokenStream {
    let builder = ident(&method.builder);
    quote! {
        crate::runtime::calls::call_builder_common!(#builder, #response);
    }
}

/// The Rust type a call returns.
fn response_type(method: &Method) -> TokenStream {
    match &method.response {
        Some(ty) => rust_type(ty),
        None => quote!(()),
    }
}

/// The Rust type `send` (and `.await`) returns: the response body's type,
/// or for a method that has no response schema but serves content, the
/// content as a stream.
fn send_type(method: &Method) -> TokenStream {
    match (&method.response, &method.download) {
        (None, Some(_)) => quote!(crate::Download),
        _ => response_type(method),
    }
}

/// What retries and timeouts mean for a call whose attempt ends once the
/// response has arrived and whose content is then streamed.
const STREAM_TIMING: &str = "Getting the response (up to headers with a \
     success status) is retried under the call's retry policy when the call \
     is idempotent (its verb, such as `GET`, or `.idempotent(true)`), and \
     runs within the total timeout; the attempt timeout covers each attempt \
     and also reading the stream, which the total timeout does not. The \
     stream is not limited by the client's `max_response_bytes`.";

/// The docs of `send`.
fn send_docs(method: &Method) -> String {
    let checked = "Path parameters are checked first: a value that does not fit its \
         template is an [`crate::Error::Binding`] and nothing is sent.";
    if method.response.is_some() || method.download.is_none() {
        return format!("Sends the call when awaited and returns the response body.\n\n{checked}");
    }
    format!(
        "Sends the call when awaited and returns the response body as a stream of chunks. \
         The API declares no response schema for this method but serves \
         content, so the body is the content itself: streamed, never read \
         into memory here, never dropped. The request is the plain call, \
         without `alt=media`, as Google's clients send it; \
         [`download`](Self::download) asks for the media with `alt=media` \
         instead.\n\n{STREAM_TIMING}\n\n{checked}"
    )
}

/// The docs of `download`; `prefix` is the download service's, if any.
fn download_docs(method: &Method, prefix: &str) -> String {
    let service = if prefix.is_empty() {
        String::new()
    } else {
        format!(", sent to the download service (`{prefix}` before the service path)")
    };
    let send = if method.response.is_some() {
        "[`send`](Self::send) returns the JSON description instead."
    } else {
        "[`send`](Self::send) streams the body of the plain call instead."
    };
    format!(
        "Downloads the content itself as a stream of chunks: the call with \
         `alt=media`{service}, as Google's `*_media` calls make it. \
         {send}\n\n{STREAM_TIMING}"
    )
}

/// `upload` and `upload_resumable`, for the protocols the method has.
fn upload_methods(
    api: &Api,
    method: &Method,
    upload: &Upload,
    response: &TokenStream,
) -> TokenStream {
    let accept = &upload.accept;
    let max_size = match upload.max_size {
        Some(max) => quote!(Some(#max)),
        None => quote!(None),
    };
    let decode = if method.response.is_some() {
        quote!(crate::runtime::client::decode_json(method_id, &bytes))
    } else {
        quote! {
            let _ = (method_id, bytes);
            Ok(())
        }
    };
    let metadata = if method.request.is_some() {
        "The call's request body travels with the content as its metadata."
    } else {
        "The method takes no metadata: only the content is sent."
    };
    let accepted = if accept.is_empty() {
        "Any content type is accepted.".to_owned()
    } else {
        format!("Accepted content types: `{}`.", accept.join("`, `"))
    };
    let max_doc = match upload.max_size {
        Some(max) => format!("The largest upload: {max} bytes."),
        None => "The API sets no size limit.".to_owned(),
    };
    let mut out = quote! {
        /// The largest upload this method accepts, in bytes, when the API says.
        pub const MAX_UPLOAD_BYTES: Option<u64> = #max_size;

        const UPLOAD_LIMITS: crate::runtime::media::UploadLimits =
            crate::runtime::media::UploadLimits {
                accept: &[ #( #accept ),* ],
                max_size: #max_size,
            };
    };
    let variants = [
        (
            upload.simple_path.as_ref(),
            "upload",
            "upload_simple",
            "Uploads `media` in one request and returns the response body.\n\n\
             It is retried like any call: under the call's retry policy, \
             only when the call is idempotent (its verb, or \
             `.idempotent(true)`); each attempt within the attempt timeout, \
             all of them within the total timeout. The content is shared \
             between attempts, not copied.\n\n\
             The content must be in memory ([`crate::Media::new`]): a file, \
             stream or reader is refused, since the request would be built \
             whole; `upload_resumable` reads those chunk by chunk.",
        ),
        // Google's clients open resumable sessions at the simple upload
        // path (`/upload/...?uploadType=resumable`); the document's own
        // resumable path (`/resumable/upload/...`) is a legacy route, used
        // only when there is no simple one.
        (
            upload.resumable_path.as_ref().and(
                upload
                    .simple_path
                    .as_ref()
                    .or(upload.resumable_path.as_ref()),
            ),
            "upload_resumable",
            "upload_resumable",
            "Uploads `media` in a resumable session: a first request opens \
             it, then the content goes in chunks, each resuming where the \
             server says the last one ended. Use it for large content.\n\n\
             Opening the session stores nothing, so its request is retried \
             under the call's retry policy whatever the verb, unless the \
             call says `.idempotent(false)`. A chunk that fails with a \
             retryable error is not resent blindly: after the policy's wait \
             the client asks the server where it stands (`Content-Range: \
             bytes */TOTAL`, an empty body) and resumes from there, as \
             Google's resumable protocol prescribes. Each request (the \
             opening one, each chunk) counts the policy's attempts and time \
             limit afresh. The attempt timeout applies to each request; the \
             total timeout to the whole upload.\n\n\
             Any [`crate::Media`] source goes: in memory, a file, a stream or \
             reader; it is read a chunk at a time, holding only what the \
             server has not confirmed. \
             [`on_upload_session`](Self::on_upload_session) tells the \
             session's URL, to [resume](Self::resume_upload) the upload \
             after a restart.",
        ),
    ];
    for (template, name, runtime_fn, summary) in variants {
        let Some(template) = template else { continue };
        let name = format_ident!("{name}");
        let runtime_fn = format_ident!("{runtime_fn}");
        let verb = method.http_method.as_str();
        let text = doc(&format!(
            "{summary}\n\n{metadata} {accepted} {max_doc} Content outside \
             these limits is refused before anything is sent.\n\n`{verb} {template}`"
        ));
        let path = path_block(api, method, template, true);
        out.extend(quote! {
            #text
            pub async fn #name(self, media: crate::Media) -> crate::Result<#response> {
                let client = self.client.clone();
                let path = #path;
                let mut request = self.into_request()?;
                request.base = crate::runtime::client::Base::Root;
                request.path = path;
                let method_id = request.method_id;
                let bytes = client.#runtime_fn(request, &Self::UPLOAD_LIMITS, media).await?;
                #decode
            }
        });
    }
    if upload.resumable_path.is_some() {
        out.extend(quote! {
            /// Goes on with a resumable upload after a restart: asks the
            /// session at `session_url` (as
            /// [`on_upload_session`](Self::on_upload_session) told it) where
            /// it stands (`Content-Range: bytes */TOTAL`), then sends the rest
            /// of `media`, which must be the same content from its first
            /// byte (a file is sought past what the server has, a stream read
            /// past it). The call's parameters and body are not sent again:
            /// the session has them. Retries and timeouts are
            /// `upload_resumable`'s; a session that expired is the server's
            /// error (`404`/`410`): start a new upload.
            pub async fn resume_upload(
                self,
                session_url: &str,
                media: crate::Media,
            ) -> crate::Result<#response> {
                let client = self.client.clone();
                let request = self.into_request()?;
                let method_id = request.method_id;
                let bytes = client
                    .resume_upload(request, &Self::UPLOAD_LIMITS, session_url, media)
                    .await?;
                #decode
            }

            /// Calls `hook` with the session of
            /// [`upload_resumable`](Self::upload_resumable) or
            /// [`resume_upload`](Self::resume_upload) when it opens and each
            /// time the server confirms bytes: its URL (keep it to resume
            /// after a restart; it is a secret: it lets anyone upload into
            /// the session) and the bytes the server has.
            pub fn on_upload_session(
                mut self,
                hook: impl Fn(&crate::UploadSession) + Send + Sync + 'static,
            ) -> Self {
                self.options.on_upload_session =
                    Some(crate::runtime::media::SessionHook::new(hook));
                self
            }
        });
    }
    out
}

/// A Markdown list of the scope URLs a method accepts.
pub fn scope_list(api: &Api, method: &Method) -> Vec<String> {
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
            "The URLs of the scopes that authorize the call, any one of them: all the API's {}, [`crate::Scope::URLS`].",
            all.len()
        );
        return (doc(&text), quote!(crate::Scope::URLS));
    }
    let urls = scope_list(api, method);
    let text = if urls.is_empty() {
        "The method needs no OAuth scope.".to_owned()
    } else {
        format!(
            "The URLs of the scopes that authorize the call, any one of them:\n\n{}",
            urls.join("\n")
        )
    };
    let urls = method
        .scopes
        .iter()
        .filter_map(|v| api.scopes.iter().find(|s| s.variant == *v))
        .map(|s| s.url.as_str());
    (doc(&text), quote!(&[ #( #urls, )* ]))
}

/// A block expression that binds and encodes `template` with the call's
/// arguments, evaluating to the path (`?` on a value that does not fit).
/// `absolute` templates (upload paths) lose their leading `/`: the client's
/// endpoint ends in one.
fn path_block(api: &Api, method: &Method, template: &PathTemplate, absolute: bool) -> TokenStream {
    let statements = template.parts.iter().enumerate().map(|(i, part)| match part {
        PathPart::Literal(text) => {
            let text = if absolute && i == 0 {
                text.trim_start_matches('/')
            } else {
                text.as_str()
            };
            // One character is a `char` push (clippy::single_char_add_str).
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => quote! { path.push(#c); },
                _ => quote! { path.push_str(#text); },
            }
        }
        PathPart::Variable(variable) => {
            // Lowering checked that every path variable is a positional argument.
            let Some(param) = method.args.iter().find(|p| p.wire_name == variable.name) else {
                return quote!(compile_error!("path variable without an argument");)
            };
            let name = ident(&param.rust_name);
            let wire = &param.wire_name;
            if let Some(style) = &param.style {
                let style_name = style_path(style.style);
                let style_text = format!("{:?}", style.style).to_lowercase();
                let explode = style.explode;
                let value = if param.content.is_some() {
                    quote!(serde_json::Value::String(serde_json::to_string(&self.#name).map_err(crate::Error::Encode)?))
                } else {
                    quote!(serde_json::to_value(&self.#name).map_err(crate::Error::Encode)?)
                };
                return quote! {
                    {
                        let value = #value;
                        crate::runtime::style::push_path(&mut path, #wire, &value, #style_name, #explode)
                            .map_err(|reason| crate::Error::Binding(crate::runtime::path::style_error(#wire, #style_text, &value, reason)))?;
                    }
                };
            }
            let (push, binding) = match &variable.expansion {
                Expansion::Simple(binding) => (quote!(push_simple), binding.as_ref()),
                Expansion::Reserved(binding) => (quote!(push_reserved), binding.as_ref()),
            };
            // Enums travel as their wire value; a repeated parameter as its
            // values' texts, which `push_list` joins with `,`.
            let (push, value) = if param.repeated {
                let reserved = matches!(variable.expansion, Expansion::Reserved(_));
                let values = match text_kind(api, &param.ty) {
                    TextKind::Str => quote!(&self.#name),
                    TextKind::AsStr => {
                        quote!(&self.#name.iter().map(|v| v.as_str()).collect::<Vec<_>>())
                    }
                    TextKind::Display => {
                        quote!(&self.#name.iter().map(ToString::to_string).collect::<Vec<_>>())
                    }
                };
                (quote!(push_list), quote!(#values, #reserved))
            } else {
                let value = match text_kind(api, &param.ty) {
                    TextKind::Str => quote!(&self.#name),
                    TextKind::AsStr => quote!(self.#name.as_str()),
                    TextKind::Display => quote!(&self.#name.to_string()),
                };
                (push, value)
            };
            match binding {
                None => quote! {
                    crate::runtime::path::#push(&mut path, #wire, #value, None)?;
                },
                Some(binding) => {
                    let template = binding.to_string();
                    let segments = binding.0.iter().map(|segment| match segment {
                        BindingSegment::Literal(text) => quote!(Segment::Literal(#text)),
                        BindingSegment::Single => quote!(Segment::Single),
                        BindingSegment::Multi => quote!(Segment::Multi),
                    });
                    quote! {
                        {
                            use crate::runtime::path::{Binding, Segment};
                            const BINDING: Binding = Binding {
                                template: #template,
                                segments: &[ #( #segments ),* ],
                            };
                            crate::runtime::path::#push(&mut path, #wire, #value, Some(&BINDING))?;
                        }
                    }
                }
            }
        }
    });
    if template.parts.is_empty() {
        return quote!(String::new());
    }
    let capacity = proc_macro2::Literal::usize_unsuffixed(path_capacity(template));
    quote! {
        {
            let mut path = String::with_capacity(#capacity);
            #( #statements )*
            path
        }
    }
}

/// Room for a path of `template`: its literals and a typical value of each
/// variable (a resource name's few segments), so that building it usually
/// allocates once rather than growing at each variable.
fn path_capacity(template: &PathTemplate) -> usize {
    /// Bytes expected of one variable's value, encoded.
    const TYPICAL_VALUE: usize = 32;
    template
        .parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text.len(),
            PathPart::Variable(_) => TYPICAL_VALUE,
        })
        .sum()
}

/// The runtime's `Style` variant for a style.
fn style_path(style: Style) -> TokenStream {
    let variant = format_ident!("{}", format!("{style:?}"));
    quote!(crate::runtime::style::Style::#variant)
}

/// The statements that add a parameter whose value is `value` (an
/// expression of a reference) to `query`, `headers` or `cookies`.
fn add_param(param: &Parameter, value: TokenStream) -> TokenStream {
    let wire = &param.wire_name;
    let to_json = if param.content.is_some() {
        // A `content` parameter: the value's JSON text, as one string.
        quote!(serde_json::Value::String(serde_json::to_string(#value).map_err(crate::Error::Encode)?))
    } else {
        quote!(serde_json::to_value(#value).map_err(crate::Error::Encode)?)
    };
    match (param.location, &param.style) {
        // An object: one dotted pair per leaf, as Google's HTTP transcoding
        // reads a message-typed query parameter (runtime `push_fields`).
        (Location::Query, None) if matches!(param.ty, Type::Map(_) | Type::Any) => {
            if param.repeated {
                quote! {
                    for value in #value {
                        query.push_fields(#wire, value).map_err(crate::Error::Encode)?;
                    }
                }
            } else {
                quote! { query.push_fields(#wire, #value).map_err(crate::Error::Encode)?; }
            }
        }
        (Location::Query, None) => {
            if param.repeated {
                quote! { for value in #value { query.push(#wire, value); } }
            } else {
                quote! { query.push(#wire, #value); }
            }
        }
        (Location::Query, Some(style)) => {
            let style_name = style_path(style.style);
            let explode = style.explode;
            let reserved = style.allow_reserved;
            quote! {
                crate::runtime::style::push_query(&mut query, #wire, &#to_json, #style_name, #explode, #reserved);
            }
        }
        (Location::Header, style) => {
            let explode = style.is_some_and(|s| s.explode);
            let name = wire.to_ascii_lowercase();
            quote! {
                if let Some(text) = crate::runtime::style::header_value(&#to_json, #explode)
                    .map_err(|reason| crate::Error::Config(crate::ConfigError::new(#wire, "<header value>", reason)))?
                {
                    headers.push((#name, text));
                }
            }
        }
        (Location::Cookie, style) => {
            let explode = style.is_none_or(|s| s.explode);
            quote! {
                cookies.extend(crate::runtime::style::cookie_pairs(#wire, &#to_json, #explode));
            }
        }
        // Path parameters are bound in the path.
        (Location::Path, _) => quote!(),
    }
}

/// The body of `into_request`: path, query, headers, body, in that order.
fn into_request(api: &Api, method: &Method) -> TokenStream {
    let path = path_block(api, method, &method.path, false);
    let required = method
        .args
        .iter()
        .filter(|p| p.location != Location::Path)
        .map(|p| {
            let name = ident(&p.rust_name);
            let copy = matches!(
                p.ty,
                Type::Bool | Type::I32 | Type::U32 | Type::I64 | Type::U64 | Type::F32 | Type::F64
            );
            // Copy values go by value (clippy: needless borrows).
            if copy && !p.repeated {
                add_param(p, quote!(self.#name))
            } else {
                add_param(p, quote!(&self.#name))
            }
        });
    let optional = method.optional.iter().map(|p| {
        let name = ident(&p.rust_name);
        if p.repeated && p.location == Location::Query && p.style.is_none() {
            // Pushes nothing for an empty list by itself.
            add_param(p, quote!(&self.#name))
        } else if p.repeated {
            let add = add_param(p, quote!(&self.#name));
            quote! { if !self.#name.is_empty() { #add } }
        } else {
            let add = add_param(p, quote!(value));
            quote! { if let Some(value) = &self.#name { #add } }
        }
    });
    let uses_headers = method
        .args
        .iter()
        .chain(&method.optional)
        .any(|p| matches!(p.location, Location::Header | Location::Cookie));
    let uses_cookies = method
        .args
        .iter()
        .chain(&method.optional)
        .any(|p| p.location == Location::Cookie);
    let (headers_decl, headers_field) = if uses_headers {
        (
            quote!(let mut headers: Vec<(&'static str, String)> = Vec::new();),
            quote!(headers,),
        )
    } else {
        (quote!(), quote!(headers: Vec::new(),))
    };
    let cookies_decl = uses_cookies.then(|| quote!(let mut cookies: Vec<String> = Vec::new();));
    let cookies_join = uses_cookies.then(|| {
        quote! {
            if !cookies.is_empty() {
                headers.push(("cookie", cookies.join("; ")));
            }
        }
    });
    let (body, content_type) = match &method.request {
        Some(body) => {
            let media = body.media_types();
            let default_type = media[0].content_type.as_str();
            let encode_arms = media.iter().map(|m| {
                let content_type = m.content_type.as_str();
                let encode = encode_body(api, &body.ty, m);
                quote! { #content_type => #encode, }
            });
            let allowed: Vec<&str> = media.iter().map(|m| m.content_type.as_str()).collect();
            let choose = quote! {
                let content_type: &'static str = self.options.content_type.unwrap_or(#default_type);
            };
            let value = if body.required {
                quote!(Some(&self.request))
            } else {
                quote!(self.request.as_ref())
            };
            let allowed = allowed.join(", ");
            let body_expr = quote! {
                match #value {
                    None => (None, std::borrow::Cow::Borrowed(content_type)),
                    Some(value) => match content_type {
                        #( #encode_arms )*
                        other => {
                            return Err(crate::Error::Config(crate::ConfigError::new(
                                "content_type",
                                other,
                                #allowed,
                            )));
                        }
                    },
                }
            };
            let single = media.len() == 1 && media[0].encoding != BodyEncoding::Multipart;
            if single && body.required && media[0].encoding == BodyEncoding::Json {
                (
                    quote!(let body = crate::runtime::client::json_body(&self.request)?;),
                    quote!(content_type: std::borrow::Cow::Borrowed(#default_type)),
                )
            } else if single && body.required {
                // One media type: no choice to make.
                let bytes = encode_bytes(&media[0]);
                (
                    quote! {
                        let value = &self.request;
                        let body = Some(#bytes);
                    },
                    quote!(content_type: std::borrow::Cow::Borrowed(#default_type)),
                )
            } else {
                (
                    quote! { #choose let (body, content_type) = #body_expr; },
                    quote!(content_type),
                )
            }
        }
        None => (
            quote!(),
            quote!(content_type: std::borrow::Cow::Borrowed("application/json")),
        ),
    };
    let body_field = if method.request.is_some() {
        quote!(body,)
    } else {
        quote!(body: None,)
    };
    let security = match &method.security {
        None => quote!(None),
        Some(sets) => {
            let sets = sets.iter().map(|set| {
                let entries = set.iter().map(|scheme| {
                    // Bearer schemes take the token provider's tokens when the
                    // client holds no fixed token for them.
                    let token = api.security_schemes.iter().any(|s| {
                        s.name == *scheme && matches!(s.kind, SecurityKind::Bearer { .. })
                    });
                    quote!((#scheme, #token))
                });
                quote!(&[ #( #entries ),* ])
            });
            quote!(Some(&[ #( #sets ),* ]))
        }
    };
    let id = &method.id;
    let verb = format_ident!("{}", method.http_method.as_str());
    quote! {
        let path = #path;
        let mut query = crate::runtime::query::Query::new();
        #headers_decl
        #cookies_decl
        #( #required )*
        #( #optional )*
        #cookies_join
        self.standard.append_to(&mut query);
        #body
        Ok(crate::runtime::client::Request {
            method_id: #id,
            http_method: crate::runtime::client::Method::#verb,
            prefix: "",
            base: crate::runtime::client::Base::Service,
            path,
            query,
            #headers_field
            #body_field
            #content_type,
            security: #security,
            scopes: Self::SCOPES,
            options: self.options,
        })
    }
}

/// The expression that encodes `value` (a reference to the body) as
/// `encoding`, giving the bytes and the `Content-Type`.
fn encode_body(api: &Api, body_type: &Type, media: &BodyMedia) -> TokenStream {
    if media.encoding == BodyEncoding::Multipart {
        // Raw-bytes properties are file parts, not JSON text, of the
        // content type the Encoding Object gives.
        let files = binary_fields(api, body_type)
            .into_iter()
            .map(|(wire, field, many)| {
                let field = ident(&field);
                let content_type = media
                    .properties
                    .iter()
                    .find(|p| p.property == wire)
                    .and_then(|p| p.content_type.clone())
                    .unwrap_or_else(|| "application/octet-stream".to_owned());
                if many {
                    quote! {
                        for bytes in value.#field.iter().flatten() {
                            files.push((#wire, #wire, #content_type, bytes.as_slice()));
                        }
                    }
                } else {
                    quote! {
                        if let Some(bytes) = &value.#field {
                            files.push((#wire, #wire, #content_type, bytes.as_slice()));
                        }
                    }
                }
            });
        return quote! {
            {
                #[allow(unused_mut)]
                let mut files: Vec<(&str, &str, &str, &[u8])> = Vec::new();
                #( #files )*
                let (content_type, bytes) = crate::runtime::form::multipart(&serde_json::to_value(value).map_err(crate::Error::Encode)?, &files)
                    .map_err(|reason| crate::Error::Config(crate::ConfigError::new("body", "<multipart body>", reason)))?;
                (Some(bytes), std::borrow::Cow::Owned(content_type))
            }
        };
    }
    let bytes = encode_bytes(media);
    quote!((Some(#bytes), std::borrow::Cow::Borrowed(content_type)))
}

/// The expression that encodes `value` (a reference to the body) as the
/// bytes of `encoding` (not multipart, whose content type is made with them).
fn encode_bytes(media: &BodyMedia) -> TokenStream {
    // Form properties the Encoding Object gives a style.
    let styled = media.properties.iter().filter_map(|p| {
        let style = p.style?;
        let property = &p.property;
        let name = style_path(style.style);
        let explode = style.explode;
        Some(quote!((#property, #name, #explode)))
    });
    match media.encoding {
        BodyEncoding::Json => quote!(serde_json::to_vec(value).map_err(crate::Error::Encode)?),
        BodyEncoding::Form => quote! {
            crate::runtime::form::urlencoded(&serde_json::to_value(value).map_err(crate::Error::Encode)?, &[ #( #styled ),* ])
                .map_err(|reason| crate::Error::Config(crate::ConfigError::new("body", "<form body>", reason)))?
                .into_bytes()
        },
        BodyEncoding::Multipart => {
            quote!(compile_error!("multipart bodies carry their content type"))
        }
        BodyEncoding::Binary => quote!(AsRef::<[u8]>::as_ref(value).to_vec()),
        BodyEncoding::Text => quote!(value.to_string().into_bytes()),
    }
}

/// How a path value of some type becomes text.
enum TextKind {
    /// It is a `String` already.
    Str,
    /// An enum: `as_str()`.
    AsStr,
    /// Anything else: `to_string()`.
    Display,
}

/// How a value of `ty` (following named aliases) becomes path text.
fn text_kind(api: &Api, ty: &Type) -> TextKind {
    match ty {
        Type::String => TextKind::Str,
        Type::Enum(_) => TextKind::AsStr,
        Type::Named(name) => match api.schema(name).map(|s| &s.kind) {
            Some(crate::ir::SchemaKind::Alias(inner)) => text_kind(api, inner),
            _ => TextKind::Display,
        },
        _ => TextKind::Display,
    }
}

/// The (wire name, field name, whether a list) of each raw-bytes field (or
/// list of them) of a struct body.
fn binary_fields(api: &Api, ty: &Type) -> Vec<(String, String, bool)> {
    let Type::Named(name) = ty else {
        return Vec::new();
    };
    let Some(crate::ir::SchemaKind::Struct { fields }) = api.schema(name).map(|s| &s.kind) else {
        return Vec::new();
    };
    let list_of_bytes = Type::Array(Box::new(Type::Binary));
    fields
        .iter()
        .filter(|f| (f.ty == Type::Binary || f.ty == list_of_bytes) && !f.boxed && !f.flatten)
        .map(|f| {
            (
                f.wire_name.clone(),
                f.rust_name.clone(),
                f.ty == list_of_bytes,
            )
        })
        .collect()
}
