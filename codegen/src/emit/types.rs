//! Rust type expressions for IR types, always as absolute paths so they
//! mean the same in every module they are emitted into.

use crate::ir::{EnumRef, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The Rust type of one value of `ty`.
pub fn rust_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::Bool => quote!(bool),
        Type::I32 => quote!(i32),
        Type::U32 => quote!(u32),
        Type::F32 => quote!(f32),
        Type::F64 => quote!(f64),
        Type::I64 => quote!(i64),
        Type::U64 => quote!(u64),
        Type::Timestamp => quote!(crate::Timestamp),
        Type::Date => quote!(crate::Date),
        Type::Duration => quote!(crate::Duration),
        Type::FieldMask => quote!(crate::FieldMask),
        Type::Bytes => quote!(crate::Bytes),
        Type::Any => quote!(serde_json::Value),
        Type::Binary => quote!(Vec<u8>),
        Type::Array(item) => {
            let item = rust_type(item);
            quote!(Vec<#item>)
        }
        Type::Map(value) => {
            let value = rust_type(value);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        Type::Named(path) => {
            let segments = path.split("::").map(ident);
            quote!(crate::models #(:: #segments)*)
        }
        Type::Enum(reference) => enum_path(reference),
    }
}

/// A type as documentation names it, such as `Vec<Pet>` or `String`.
pub fn describe(ty: &Type) -> String {
    match ty {
        Type::Named(path) => path.rsplit("::").next().unwrap_or(path).to_owned(),
        Type::Enum(reference) => reference.name.clone(),
        Type::Array(item) => format!("Vec<{}>", describe(item)),
        Type::Map(value) => format!("BTreeMap<String, {}>", describe(value)),
        other => rust_type(other)
            .to_string()
            .replace(" :: ", "::")
            .replace(" < ", "<")
            .replace(" >", ">"),
    }
}

/// The path of an enum type; a bare name when it lives beside its user.
pub fn enum_path(reference: &EnumRef) -> TokenStream {
    let name = ident(&reference.name);
    if reference.module.is_empty() {
        return quote!(#name);
    }
    let modules = reference.module.split("::").map(ident);
    quote!(crate #(:: #modules)* :: #name)
}

/// An identifier from an already-escaped name (`r#type` stays raw).
pub fn ident(name: &str) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => format_ident!("r#{}", raw),
        None => format_ident!("{}", name),
    }
}
