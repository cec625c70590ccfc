//! `src/lib.rs`: crate documentation, the module tree, re-exports and the
//! record of the spec the crate was made from.

use super::CrateSettings;
use super::docs::{code_list, doc_lines, one_line};
use super::features::{Features, UNREFERENCED_MODELS};
use super::resources::call_expression;
use crate::ir::{Api, Method, SecurityKind, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// The crate root.
pub fn emit(api: &Api, settings: &CrateSettings, features: &Features) -> TokenStream {
    let docs = crate_docs(api, settings, features)
        .into_iter()
        .map(|line| quote!(#![doc = #line]));
    let endpoint = &api.root_url;
    let service_path = &api.service_path;
    let service_name = format!("{}:{}", one_line(&api.name), one_line(&api.version));
    let client_doc = format!(
        " A client of the {} ({}).",
        one_line(&api.title),
        one_line(&api.version)
    );
    let revision = &api.revision;
    let sha256 = &settings.spec_sha256;
    let revision_doc = format!(
        " The `revision` of the spec this crate was generated from ({}).",
        one_line(&settings.spec_file)
    );
    // Only APIs with resource-name templates have the module.
    let names = (!api.resource_names.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod names;
        }
    });
    let security = (!api.security_schemes.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod security;
        }
    });
    let servers = (!api.servers.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod servers;
        }
    });
    let standard_trait = (!api.standard_params.is_empty()).then(|| {
        quote!(
            pub use crate::params::StandardParameters;
        )
    });
    let prelude_doc = super::docs::doc(&format!(
        "The traits that give every call builder its shared setters, written once \
         rather than per builder: `use {}::prelude::*;` to set a call's retry policy \
         and timeouts{}.",
        settings.crate_name.replace('-', "_"),
        if api.standard_params.is_empty() {
            String::new()
        } else {
            format!(
                " and the standard parameters ({})",
                code_list(
                    api.standard_params
                        .iter()
                        .map(|p| p.rust_name.trim_start_matches("r#")),
                    ", "
                )
            )
        }
    ));
    quote! {
        #( #docs )*
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        // Items the API deprecates carry `#[deprecated]` for the crate's
        // users; the crate's own (de)serializers and calls still use them.
        #![allow(deprecated)]
        // Descriptions come from the spec's prose, written for the web.
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
        #![allow(clippy::tabs_in_doc_comments, clippy::doc_nested_refdefs)]
        #![allow(clippy::doc_suspicious_footnotes)]
        // Types have the spec's shape: lists and maps nested as deep as the
        // generator allows are one type, however complex clippy finds it.
        #![allow(clippy::type_complexity)]

        #[cfg(feature = "dispatch")]
        #[rustfmt::skip]
        pub mod dispatch;
        #[rustfmt::skip]
        pub mod models;
        #names
        #[rustfmt::skip]
        pub mod params;
        #[rustfmt::skip]
        pub mod resources;
        #[rustfmt::skip]
        mod scopes;
        #security
        #servers

        // The runtime every generated crate shares, under the name the
        // generated code uses for it.
        use google_api_runtime as runtime;

        pub use runtime::BoxFuture;
        /// An in-memory fake of this API for tests (feature `fake`).
        #[cfg(feature = "fake")]
        pub use runtime::fake;
        pub use runtime::{AccessToken, Credential, StaticToken, TokenError, TokenProvider};
        #[cfg(feature = "adc")]
        pub use runtime::{AdcSource, AdcSources, ApplicationDefaultCredentials, CredentialKind};
        pub use runtime::{ApiError, ConfigError, DecodeError, Error, ErrorItem, MediaError};
        pub use runtime::{BadRequest, Code, ErrorInfo, FieldViolation, Help, HelpLink};
        pub use runtime::{BindingError, FieldMask, UnknownValue};
        pub use runtime::{Bytes, BytesError, Date, DateError, Duration, DurationError};
        pub use runtime::{DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_READ_IDLE_TIMEOUT};
        pub use runtime::{Download, Media, RESUMABLE_CHUNK_BYTES, UploadSession};
        #[cfg(feature = "user-consent")]
        pub use runtime::{FileTokenStore, MemoryTokenStore, StoredToken, TokenStore};
        pub use runtime::{HttpError, Result, TimeoutError, TimeoutKind};
        pub use runtime::{HttpRequest, HttpResponse, ReqwestTransport, Transport};
        #[cfg(feature = "user-consent")]
        pub use runtime::{InstalledFlow, PendingConsent, Pkce, WebConsent, WebFlow};
        pub use runtime::{Items, Pages};
        #[cfg(any(feature = "adc", feature = "user-consent"))]
        pub use runtime::{OAuthClient, RefreshTokenProvider};
        pub use runtime::{Operation, OperationStyle, Poller, PollingPolicy};
        pub use runtime::{QuotaFailure, QuotaViolation, RetryInfo};
        pub use runtime::{RetryPolicy, RetryPolicyBuilder, is_idempotent};
        pub use runtime::{Timestamp, TimestampError};
        pub use runtime::{TransportError, TransportErrorKind, same_origin_redirects};
        #[cfg(feature = "yup-oauth2")]
        pub use runtime::{YupTokenProvider, yup_oauth2};
        pub use scopes::{Scope, UnknownScope};

        #prelude_doc
        pub mod prelude {
            #standard_trait
            pub use crate::runtime::CallBuilder;
        }

        #[doc = #client_doc]
        ///
        /// Cheap to clone; clones share connections. Everything that is not
        /// specific to this API (credentials, retries, timeouts, errors) is
        /// the shared runtime's, so one token provider, retry policy and
        /// error handler serve this crate and every other generated one.
        #[derive(Clone, Debug)]
        pub struct Client(runtime::Client);

        impl Client {
            /// A builder, starting from the service's default endpoint, no
            /// credentials, the default [`RetryPolicy`] and no timeouts.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(&SERVICE)
            }
        }

        impl runtime::client::FromClient for Client {
            fn from_client(client: runtime::Client) -> Self {
                Self(client)
            }
        }

        /// The runtime's client underneath: its endpoint, and what calls use.
        impl std::ops::Deref for Client {
            type Target = runtime::Client;

            fn deref(&self) -> &runtime::Client {
                &self.0
            }
        }

        /// Configures a [`Client`]: `Client::builder()` gives one.
        pub type ClientBuilder = runtime::ClientBuilder<Client>;

        /// This API as the shared runtime knows it: its name, default
        /// endpoint and service path.
        pub static SERVICE: runtime::Service = runtime::Service {
            name: #service_name,
            default_endpoint: DEFAULT_ENDPOINT,
            service_path: #service_path,
        };

        /// The service's root URL, used unless [`ClientBuilder::endpoint`] says otherwise.
        pub const DEFAULT_ENDPOINT: &str = #endpoint;

        #[doc = #revision_doc]
        pub const SPEC_REVISION: &str = #revision;

        /// The sha256 of the spec's bytes, so a checked-in crate can be matched to its spec.
        pub const SPEC_SHA256: &str = #sha256;
    }
}

fn crate_docs(api: &Api, settings: &CrateSettings, features: &Features) -> Vec<String> {
    let krate = settings.crate_name.replace('-', "_");
    // Spec text outside descriptions stays on its line: a line break in a
    // title could otherwise start a code fence, and so a doctest.
    let mut text = format!(
        "# {} ({}): Rust client\n\n",
        one_line(&api.title),
        one_line(&api.version)
    );
    if !api.description.trim().is_empty() {
        // Spec prose: sanitized like every other description.
        let lines: Vec<String> = doc_lines(&api.description)
            .iter()
            .map(|l| l.trim_start().to_owned())
            .collect();
        text.push_str(&lines.join("\n"));
        text.push_str("\n\n");
    }
    if let Some(link) = &api.documentation_link {
        text.push_str(&format!("Service documentation: <{}>\n\n", one_line(link)));
    }
    text.push_str(&format!(
        "Generated by `{}` from `{}` (revision {}). Do not edit: change the spec and regenerate.\n\n",
        one_line(&settings.command),
        one_line(&settings.spec_file),
        one_line(&api.revision)
    ));
    text.push_str("## Example\n\n");
    text.push_str(&example(api, &krate));
    text.push_str(
        "\n\n## Layout\n\n\
         - [`Client`]: configuration (endpoint, credentials, timeout); one accessor per resource.\n\
         - [`resources`]: a module per resource, with one call builder per method. \
         Optional parameters are builder methods; `.await` sends the call.\n\
         - [`models`]: request and response bodies. Every field is optional; enums keep \
         values this version does not know.\n\
         - [`Scope`]: the OAuth scopes; each call lists those it accepts in its `SCOPES` constant.\n\
         - [`Error`]: binding errors (nothing sent), the service's error envelope, transport and decoding failures.\n",
    );
    if let Some(first) = api.resource_names.first() {
        text.push_str(&format!(
            "- [`names`]: typed resource names, such as `{}` for `{}`; calls take them \
             wherever they take a path parameter of that shape, as well as strings.\n",
            first.rust_name, first.binding
        ));
    }
    text.push_str(&features_section(features, &settings.crate_name));
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// "Cargo features": the resource features, and how to take only some.
fn features_section(features: &Features, crate_name: &str) -> String {
    let Some(first) = features.resources.first() else {
        return String::new();
    };
    let names = code_list(features.resources.iter().map(|f| f.name.as_str()), ", ");
    let unreferenced = if features.unreferenced_models {
        format!(
            " The models no method names (such as long-running operations' metadata and \
             results, which you decode with `response_as`) have a feature of their own, \
             `{UNREFERENCED_MODELS}`."
        )
    } else {
        String::new()
    };
    format!(
        "\n## Cargo features\n\n\
         Each top-level resource has a feature that compiles its calls and exactly the \
         models and resource names they reach: {names}.{unreferenced} All are on by default \
         (`all-resources`). To build only what you use, turn default features off and \
         name the resources, with a TLS feature:\n\n\
         ```toml\n\
         {crate_name} = {{ version = \"*\", default-features = false, features = [\"rustls-ring\", \"{}\"] }}\n\
         ```\n",
        first.name
    )
}

/// A runnable example of the first method, with error handling.
fn example(api: &Api, krate: &str) -> String {
    // The first method whose sample arguments need no conversion that could
    // fail: its call fits in an `async` block returning the crate's `Error`.
    let plain = |m: &&Method| m.args.iter().all(|p| p.ty == Type::String && !p.repeated);
    let top_level = api.methods.iter().find(plain).map(|m| (Vec::new(), m));
    let call = top_level
        .or_else(|| {
            api.resources.iter().find_map(|r| {
                r.methods
                    .iter()
                    .find(plain)
                    .map(|m| (vec![r.accessor.clone()], m))
            })
        })
        .map(|(chain, method)| {
            let call = call_expression(api, krate, method, &chain);
            if method.response.is_some() {
                format!("    let response = {call}.await?;\n    println!(\"{{response:?}}\");\n")
            } else {
                format!("    {call}.await?;\n")
            }
        })
        .unwrap_or_default();
    let mut setup = String::new();
    if api.root_url.starts_with('/') {
        // The spec names only a relative server: the example says where.
        setup.push_str(&format!(
            "\n    .endpoint(\"https://api.example.com{}\")",
            api.root_url
        ));
    }
    let credential = api.security_schemes.iter().find_map(|s| {
        let function = s.fn_name.trim_start_matches("r#");
        match &s.kind {
            SecurityKind::ApiKey { .. } => Some(format!("{function}(\"my-api-key\")")),
            SecurityKind::Bearer {
                token_provider: false,
            } => Some(format!("{function}(\"my-token\")")),
            SecurityKind::Basic => Some(format!("{function}(\"user\", \"password\")")),
            SecurityKind::Bearer {
                token_provider: true,
            } => None,
        }
    });
    let (imports, credential) = match credential {
        Some(call) => (
            "Client, Error".to_owned(),
            format!("\n    .credential({krate}::security::{call}?)"),
        ),
        None => (
            "Client, Error, StaticToken".to_owned(),
            "\n    .token_provider(StaticToken::new(\"ya29.an-access-token\")?)".to_owned(),
        ),
    };
    setup.push_str(&credential);
    format!(
        "```no_run\n\
         use {krate}::{{{imports}}};\n\
         \n\
         # async fn run() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = Client::builder(){setup}\n    .build()?;\n\
         let result = async {{\n{call}    Ok::<_, Error>(())\n}}.await;\n\
         match result {{\n    \
         Err(Error::Api(e)) => eprintln!(\"the service said {{}}: {{}}\", e.status(), e.message()),\n    \
         Err(e) => eprintln!(\"{{e}}\"),\n    \
         Ok(()) => {{}}\n\
         }}\n\
         # Ok(())\n\
         # }}\n\
         ```"
    )
}
