//! Long-running operations: each starting call's `poller()`, and the
//! crate-internal functions (in `resources`) that fetch an operation by
//! name with the first `operations.get` whose path accepts it.

use super::docs::{code_list, doc};
use super::features::Features;
use super::types::{ident, rust_type};
use crate::ir::{Api, LongRunning, OperationPoller, Poll, PollArg, PollCall};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The call expression `poll_client.<accessors>.<fn>(<args>)`.
fn call_expression(call: &PollCall, operation: TokenStream) -> TokenStream {
    let accessors = call.accessors.iter().map(|a| ident(a));
    let function = ident(&call.fn_name);
    let args = call.args.iter().map(|arg| match arg {
        PollArg::OperationName => operation.clone(),
        PollArg::OperationId => quote!(crate::runtime::lro::operation_id(&operation)),
        PollArg::CallArgument(name) => {
            let local = captured(name);
            quote!(#local.clone())
        }
    });
    quote!(poll_client #( .#accessors() )* .#function( #( #args ),* ))
}

/// The local a starting call's argument is cloned into.
fn captured(name: &str) -> proc_macro2::Ident {
    format_ident!("arg_{}", name.trim_start_matches("r#"))
}

/// The by-name poll functions of `resources/mod.rs`.
pub fn poller_fns(api: &Api, features: &Features) -> TokenStream {
    let fns = api.operation_pollers.iter().map(|poller| {
        let cfg = features.poller_cfg(&poller.fn_name);
        let function = poller_fn(features, poller);
        quote!(#cfg #function)
    });
    quote!( #( #fns )* )
}

fn poller_fn(features: &Features, poller: &OperationPoller) -> TokenStream {
    let name = ident(&poller.fn_name);
    let operation = rust_type(&poller.operation);
    // The first call whose path accepts the name is the one. Each is
    // compiled with its resource, so a crate built with some resources'
    // features polls with the calls it has.
    let cfgs: Vec<TokenStream> = poller
        .calls
        .iter()
        .map(|call| features.chain_cfg(&call.accessors))
        .collect();
    // With every call's resource left out, the client goes unused.
    let unused = cfgs
        .iter()
        .all(|cfg| !cfg.is_empty())
        .then(|| quote!(let _ = poll_client;));
    let attempts = poller.calls.iter().zip(&cfgs).map(|(call, cfg)| {
        let call = call_expression(call, quote!(operation.clone()));
        quote! {
            #cfg
            {
                let call = #call;
                if call.dry_run().is_ok() {
                    return std::future::IntoFuture::into_future(call);
                }
            }
        }
    });
    let ids = code_list(poller.calls.iter().map(|c| c.method_id.as_str()), ", ");
    let tried = format!(
        "the path of {}",
        code_list(poller.calls.iter().map(|c| c.method_id.as_str()), " or ")
    );
    let text = doc(&format!(
        "Fetches the operation named `operation` with the first of {ids} whose path accepts it."
    ));
    quote! {
        #text
        pub(crate) fn #name(
            poll_client: &crate::Client,
            operation: String,
        ) -> crate::BoxFuture<'static, crate::Result<#operation>> {
            #( #attempts )*
            #unused
            crate::runtime::lro::unpollable(#tried, operation)
        }
    }
}

/// `poller()` on the call builder of a method that starts an operation.
pub fn poller_method(api: &Api, lro: &LongRunning) -> TokenStream {
    let operation = rust_type(&lro.operation);
    let (captures, poll, polled_with) = match &lro.poll {
        Poll::ByName => {
            let Some(poller) = api
                .operation_pollers
                .iter()
                .find(|p| p.operation == lro.operation)
            else {
                return quote!(compile_error!("a long-running operation without a poller"););
            };
            let function = ident(&poller.fn_name);
            let ids = code_list(poller.calls.iter().map(|c| c.method_id.as_str()), " or ");
            (
                Vec::new(),
                quote!(move |operation: String| crate::resources::#function(&poll_client, operation)),
                ids,
            )
        }
        Poll::InScope(call) => {
            // The starting call's arguments a poll needs (Compute's
            // project and zone), cloned before the call is sent.
            let captures = call
                .args
                .iter()
                .filter_map(|arg| match arg {
                    PollArg::CallArgument(name) => {
                        let field = ident(name);
                        let local = captured(name);
                        Some(quote!(let #local = self.#field.clone();))
                    }
                    _ => None,
                })
                .collect();
            let expression = call_expression(call, quote!(operation));
            (
                captures,
                quote! {
                    move |operation: String| -> crate::BoxFuture<'static, crate::Result<#operation>> {
                        std::future::IntoFuture::into_future(#expression)
                    }
                },
                format!("`{}`", call.method_id),
            )
        }
    };
    let text = doc(&format!(
        "Sends the call and follows the long-running operation it starts until it \
         is done: `.poller().until_done().await` gives the finished operation, or \
         its error as an [`crate::Error::Api`]. Polled with {polled_with}, waiting \
         between polls as the client's polling policy says (or the poller's own)."
    ));
    quote! {
        #text
        pub fn poller(self) -> crate::Poller<#operation> {
            let policy = self.client.polling_policy().clone();
            let poll_client = self.client.clone();
            #( #captures )*
            crate::Poller::new(policy, std::future::IntoFuture::into_future(self), #poll)
        }
    }
}
