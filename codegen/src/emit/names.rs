//! `src/names.rs`: one type per typed resource name of the API.
//!
//! Each type is a thin wrapper around the runtime's `NameText` (the text and
//! where its variables lie) plus its binding as a constant: parsing,
//! building and checking are one generic function in `runtime/path.rs`, so
//! an API with hundreds of templates stays small.

use super::docs::doc;
use super::features::{Features, gate_items};
use super::resources::sample_value;
use super::types::ident;
use crate::ir::{Api, ResourceName};
use crate::path_template::BindingSegment;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The module, or `None` when the API has no resource names.
pub fn emit(api: &Api, features: &Features) -> Option<TokenStream> {
    if api.resource_names.is_empty() {
        return None;
    }
    let users = users_by_name(api);
    let types = api.resource_names.iter().map(|name| {
        let users = users
            .get(name.rust_name.as_str())
            .map_or(&[][..], Vec::as_slice);
        gate_items(name_type(name, users), &features.name_cfg(&name.rust_name))
    });
    Some(quote! {
        //! Typed resource names: one type per path template of the API that
        //! has fixed and variable segments, such as `archiveJobs/*`.
        //!
        //! A value is checked when it is made (`new`, `parse`, deserializing),
        //! so it always fits its template. Calls whose path parameter has the
        //! template accept the type as well as a string; calls check strings
        //! against the same template before sending anything.

        // Unused when cargo features leave out every name.
        #[allow(unused_imports)]
        use crate::runtime::path::{Binding, NameText, Segment};

        #( #types )*
    })
}

/// The ids of the methods taking each resource name (by its Rust name),
/// sorted: one pass over the methods, not one per name (AI Platform has
/// hundreds of each).
fn users_by_name(api: &Api) -> BTreeMap<&str, Vec<&str>> {
    let mut users: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for method in api.all_methods() {
        let mut taken: Vec<&str> = method
            .args
            .iter()
            .filter_map(|arg| arg.resource_name.as_deref())
            .collect();
        taken.sort_unstable();
        taken.dedup();
        for name in taken {
            users.entry(name).or_default().push(method.id.as_str());
        }
    }
    for ids in users.values_mut() {
        ids.sort_unstable();
    }
    users
}

/// The type of `name`, whose doc lists `users`, the ids of the methods
/// taking it.
fn name_type(name: &ResourceName, users: &[&str]) -> TokenStream {
    let type_name = ident(&name.rust_name);
    let type_str = name.rust_name.as_str();
    let template = name.binding.to_string();
    let example = sample_value(&name.binding);
    let type_doc = doc(&format!(
        "The resource name `{template}`, such as `{example}`.\n\n\
         Make it with [`{type_str}::new`] from its parts, or parse the whole\n\
         text; either way it is checked. These calls take it (or a string)\n\
         for their path parameter of this shape:\n`{}`.",
        users.join("`, `")
    ));
    let segments = name.binding.0.iter().map(|segment| match segment {
        BindingSegment::Literal(text) => quote!(Segment::Literal(#text)),
        BindingSegment::Single => quote!(Segment::Single),
        BindingSegment::Multi => quote!(Segment::Multi),
    });
    let params: Vec<_> = name.accessors.iter().map(|a| ident(a)).collect();
    // Deep templates have many parts; each is still one positional argument.
    let many = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let pattern = name
        .binding
        .0
        .iter()
        .map(|segment| match segment {
            BindingSegment::Literal(text) => text.clone(),
            _ => "{}".to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/");
    let mut filled = pattern;
    for accessor in &name.accessors {
        filled = filled.replacen(
            "{}",
            &format!("{{{}}}", accessor.trim_start_matches("r#")),
            1,
        );
    }
    let multi = if name.binding.0.contains(&BindingSegment::Multi) {
        "; the `**` part may hold several, joined by `/`"
    } else {
        ""
    };
    let new_doc = doc(&format!(
        "`{filled}`, from its parts.\n\n\
         Each `*` part must be one segment: not empty, not `.` or `..`,\n\
         without `/`{multi}."
    ));
    let accessors = variables(name)
        .into_iter()
        .enumerate()
        .map(|(i, (accessor, text))| {
            let accessor = ident(accessor);
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            let text = doc(&text);
            quote! {
                #text
                pub fn #accessor(&self) -> &str {
                    self.0.part(#i)
                }
            }
        });
    quote! {
        #type_doc
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct #type_name(NameText);

        impl #type_name {
            const BINDING: Binding = Binding {
                template: #template,
                segments: &[ #( #segments ),* ],
            };

            #new_doc
            #many
            pub fn new(#( #params: impl Into<String> ),*) -> Result<Self, crate::BindingError> {
                NameText::build(&Self::BINDING, #type_str, &[ #( #params.into() ),* ]).map(Self)
            }

            /// The whole name.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }

            #( #accessors )*
        }

        impl std::str::FromStr for #type_name {
            type Err = crate::BindingError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                NameText::parse(&Self::BINDING, #type_str, text.to_owned()).map(Self)
            }
        }

        impl std::fmt::Display for #type_name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::fmt::Debug for #type_name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(#type_str).field(&self.as_str()).finish()
            }
        }

        impl AsRef<str> for #type_name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl From<#type_name> for String {
            fn from(name: #type_name) -> Self {
                name.0.into_string()
            }
        }

        impl From<&#type_name> for String {
            fn from(name: &#type_name) -> Self {
                name.as_str().to_owned()
            }
        }

        impl serde::Serialize for #type_name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #type_name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                NameText::deserialize(deserializer, &Self::BINDING, #type_str).map(Self)
            }
        }
    }
}

/// Each accessor with its documentation, in path order.
fn variables(name: &ResourceName) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    let segments = &name.binding.0;
    for (i, segment) in segments.iter().enumerate() {
        let what = match segment {
            BindingSegment::Literal(_) => continue,
            BindingSegment::Single => "The `*` segment",
            BindingSegment::Multi => "The `**` segments (one or more, joined by `/`)",
        };
        let text = match i.checked_sub(1).map(|j| &segments[j]) {
            Some(BindingSegment::Literal(literal)) => format!("{what} after `{literal}`."),
            _ => format!("{what} at position {} of the template.", i + 1),
        };
        out.push((name.accessors[out.len()].as_str(), text));
    }
    out
}
