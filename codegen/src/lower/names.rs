//! Typed resource names: one type in `names` per distinct path binding that
//! has both literal and variable segments (`archiveJobs/*`,
//! `projects/*/locations/*`), whatever the API.
//!
//! A type is named after its binding's literals, singular, plus `Name`:
//! the last literal alone (`LocationName`) unless another binding would get
//! the same name, in which case every binding of the clash takes one more
//! literal from the left (`ProjectLocationName`, `OrganizationLocationName`)
//! until they differ. Bindings whose literals are all the same
//! (Firestore's `…/documents`, `…/documents/**` and `…/documents/*/**`)
//! cannot be told apart that way; they are kept apart like any other clash
//! in `naming` (the template that sorts first keeps the name, the others get
//! the lowest free number), so two templates never share a type.

use super::PRELUDE_TYPES;
use crate::ir::{Api, Method, Resource, ResourceName, Type};
use crate::naming::{self, Case, Namespace};
use crate::path_template::{Binding, BindingSegment, Expansion};
use std::collections::BTreeMap;

/// Methods of every resource-name type and of the traits it implements:
/// an accessor of one of these names would shadow it.
const TYPE_METHODS: &[&str] = &[
    "new",
    "as_str",
    "as_ref",
    "borrow",
    "clone",
    "clone_from",
    "to_string",
    "to_owned",
    "fmt",
    "from_str",
    "parse",
    "from",
    "into",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "lt",
    "le",
    "gt",
    "ge",
    "max",
    "min",
    "clamp",
    "hash",
    "serialize",
    "deserialize",
    "type_id",
];

/// Items `names.rs` imports, which no type there may be called (names end
/// in `Name`, so none can today; reserved so that stays true).
const MODULE_ITEMS: &[&str] = &["Binding", "NameText", "Segment"];

/// Whether generated code in `names.rs` already uses `name`.
fn taken(name: &str) -> bool {
    PRELUDE_TYPES.contains(&name) || MODULE_ITEMS.contains(&name)
}

/// Accessor names of variables with no literal before them.
const SINGLE_FALLBACK: &str = "segment";
const MULTI_FALLBACK: &str = "path";

/// Collects the API's resource names into `api.resource_names` and records
/// on every path parameter the type it accepts.
pub(crate) fn assign(api: &mut Api) {
    let bindings = collect(api);
    let names = type_names(&bindings);
    let mut resource_names: Vec<ResourceName> = names
        .iter()
        .map(|(binding, name)| ResourceName {
            rust_name: name.clone(),
            binding: binding.clone(),
            accessors: accessors(binding, name),
        })
        .collect();
    resource_names.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    api.resource_names = resource_names;
    for_each_method(&mut api.methods, &mut api.resources, &mut |method| {
        let typed: Vec<(String, String)> = method
            .path
            .variables()
            .filter_map(|v| {
                let binding = typed_binding(method, &v.name)?;
                Some((v.name.clone(), names.get(binding)?.clone()))
            })
            .collect();
        for (wire_name, rust_name) in typed {
            if let Some(param) = method.args.iter_mut().find(|p| p.wire_name == wire_name) {
                param.resource_name = Some(rust_name);
            }
        }
    });
}

/// Every binding that gets a type, with its name words (one per literal
/// that can be spelled as an identifier, singular, in path order).
fn collect(api: &Api) -> BTreeMap<Binding, Vec<String>> {
    let mut out = BTreeMap::new();
    for method in api.all_methods() {
        for variable in method.path.variables() {
            let Some(binding) = typed_binding(method, &variable.name) else {
                continue;
            };
            if out.contains_key(binding) {
                continue;
            }
            if !literals_fit(binding) {
                continue;
            }
            let words: Vec<String> = binding
                .0
                .iter()
                .filter_map(|segment| match segment {
                    BindingSegment::Literal(text) => {
                        naming::bare(&naming::singular(text), Case::UpperCamel)
                    }
                    _ => None,
                })
                .collect();
            let variable_segments = binding
                .0
                .iter()
                .any(|s| !matches!(s, BindingSegment::Literal(_)));
            // `*` alone, or `**`, says nothing a string does not; a binding
            // of literals only has one value and no parts to check.
            if !words.is_empty() && variable_segments {
                out.insert(binding.clone(), words);
            }
        }
    }
    out
}

/// Whether every literal of `binding` makes words within the identifier
/// limit, in both cases (a type name's word and an accessor). A binding
/// with a longer literal gets no type: its calls take strings, as calls
/// on a binding without literals do.
fn literals_fit(binding: &Binding) -> bool {
    binding.0.iter().all(|segment| match segment {
        BindingSegment::Literal(text) => {
            let word = naming::singular(text);
            [Case::UpperCamel, Case::Snake].into_iter().all(|case| {
                naming::bare(&word, case).is_none_or(|b| b.len() <= naming::MAX_IDENTIFIER_LEN)
            })
        }
        _ => true,
    })
}

/// The binding of path parameter `name` of `method`, when its value is a
/// plain string a resource name can stand for.
fn typed_binding<'m>(method: &'m Method, name: &str) -> Option<&'m Binding> {
    let variable = method.path.variables().find(|v| v.name == name)?;
    let (Expansion::Reserved(Some(binding)) | Expansion::Simple(Some(binding))) =
        &variable.expansion
    else {
        return None;
    };
    // Calls take `impl Into<String>` only for single string arguments.
    method
        .args
        .iter()
        .any(|p| p.wire_name == name && p.ty == Type::String && !p.repeated)
        .then_some(binding)
}

/// A distinct type name for every binding.
fn type_names(bindings: &BTreeMap<Binding, Vec<String>>) -> BTreeMap<Binding, String> {
    // How many of its words (from the right) each binding's name uses.
    let mut depth: BTreeMap<&Binding, usize> = bindings.keys().map(|b| (b, 1)).collect();
    let name_of = |binding: &Binding, depth: usize| {
        let words = &bindings[binding];
        format!("{}Name", words[words.len() - depth..].concat())
    };
    loop {
        let mut by_name: BTreeMap<String, Vec<&Binding>> = BTreeMap::new();
        for (binding, d) in &depth {
            by_name
                .entry(name_of(binding, *d))
                .or_default()
                .push(binding);
        }
        // Every binding of a clash that has a word left takes it, unless
        // all the others it clashes with have the very same words (more of
        // them would not tell it apart). The outcome depends only on the set
        // of bindings.
        let mut grew = false;
        for (name, group) in &by_name {
            let reserved = taken(name);
            if group.len() < 2 && !reserved {
                continue;
            }
            for binding in group {
                let words = &bindings[*binding];
                let separable = reserved || group.iter().any(|other| bindings[*other] != *words);
                let d = depth.get_mut(binding).expect("every binding has a depth");
                if separable && *d < words.len() {
                    *d += 1;
                    grew = true;
                }
            }
        }
        if !grew {
            break;
        }
    }
    // What is still shared is kept apart by `naming`, keyed by template so
    // the template that sorts first keeps the plain name.
    let keyed: Vec<((String, &Binding), String)> = depth
        .iter()
        .map(|(binding, d)| ((binding.to_string(), *binding), name_of(binding, *d)))
        // A name of many long words may be over the identifier limit: that
        // binding gets no type (its calls take strings).
        .filter(|(_, name)| name.len() <= naming::MAX_IDENTIFIER_LEN)
        .collect();
    let mut namespace = Namespace::new(Case::UpperCamel, "resource name");
    for reserved in PRELUDE_TYPES.iter().chain(MODULE_ITEMS) {
        namespace = namespace.reserve(reserved);
    }
    let assigned = namespace
        .assign_keyed(keyed.iter().map(|(key, name)| (key.clone(), name.as_str())))
        .expect("names made of identifier words are identifiers");
    assigned
        .into_iter()
        .map(|((_, binding), name)| (binding.clone(), name))
        .collect()
}

/// The accessor of each variable segment: the singular of the literal just
/// before it in snake case (`archive_job`), else `segment` (`*`) or `path`
/// (`**`); made distinct and kept off the type's other methods by `naming`.
fn accessors(binding: &Binding, type_name: &str) -> Vec<String> {
    let mut wanted: Vec<(usize, String)> = Vec::new();
    for (i, segment) in binding.0.iter().enumerate() {
        let fallback = match segment {
            BindingSegment::Literal(_) => continue,
            BindingSegment::Single => SINGLE_FALLBACK,
            BindingSegment::Multi => MULTI_FALLBACK,
        };
        let before = i
            .checked_sub(1)
            .and_then(|j| match &binding.0[j] {
                BindingSegment::Literal(text) => Some(naming::singular(text)),
                _ => None,
            })
            .filter(|word| naming::bare(word, Case::Snake).is_some());
        wanted.push((wanted.len(), before.unwrap_or_else(|| fallback.to_owned())));
    }
    let mut namespace = Namespace::new(Case::Snake, format!("accessor of {type_name}"));
    for reserved in TYPE_METHODS {
        namespace = namespace.reserve(reserved);
    }
    let assigned = namespace
        .assign_keyed(wanted.iter().map(|(i, word)| (*i, word.as_str())))
        .expect("accessor words are identifiers");
    assigned.into_values().collect()
}

/// Calls `f` on every method: the client's, then each resource's, depth first.
fn for_each_method(
    methods: &mut [Method],
    resources: &mut [Resource],
    f: &mut impl FnMut(&mut Method),
) {
    methods.iter_mut().for_each(&mut *f);
    for resource in resources {
        for_each_method(&mut resource.methods, &mut resource.resources, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path_template::parse_binding;

    fn names_of(templates: &[&str]) -> Vec<(String, String)> {
        let bindings: BTreeMap<Binding, Vec<String>> = templates
            .iter()
            .map(|t| {
                let binding = parse_binding(t, t).unwrap();
                let words = binding
                    .0
                    .iter()
                    .filter_map(|s| match s {
                        BindingSegment::Literal(text) => {
                            naming::bare(&naming::singular(text), Case::UpperCamel)
                        }
                        _ => None,
                    })
                    .collect();
                (binding, words)
            })
            .collect();
        let mut out: Vec<(String, String)> = type_names(&bindings)
            .into_iter()
            .map(|(b, n)| (b.to_string(), n))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn clashes_take_more_literals_only_where_needed() {
        let names = names_of(&[
            "projects/*/locations/*",
            "organizations/*/locations/*",
            "locations/*",
            "projects/*/locations/*/keyRings/*",
        ]);
        assert_eq!(
            names,
            [
                ("locations/*".into(), "LocationName".into()),
                (
                    "organizations/*/locations/*".into(),
                    "OrganizationLocationName".into()
                ),
                (
                    "projects/*/locations/*".into(),
                    "ProjectLocationName".into()
                ),
                (
                    "projects/*/locations/*/keyRings/*".into(),
                    "KeyRingName".into()
                ),
            ]
        );
    }

    #[test]
    fn same_literals_get_numbers_in_template_order() {
        let names = names_of(&[
            "projects/*/databases/*/documents/**",
            "projects/*/databases/*/documents",
            "projects/*/databases/*/documents/*/**",
        ]);
        let names: Vec<&str> = names.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["DocumentName", "DocumentName2", "DocumentName3"]);
        // Against a binding with other literals, they still take a word
        // (and only as many as that needs).
        let names = names_of(&[
            "projects/*/databases/*/documents/**",
            "projects/*/databases/*/documents",
            "documents/*",
        ]);
        assert_eq!(
            names,
            [
                ("documents/*".into(), "DocumentName".into()),
                (
                    "projects/*/databases/*/documents".into(),
                    "DatabaseDocumentName".into()
                ),
                (
                    "projects/*/databases/*/documents/**".into(),
                    "DatabaseDocumentName2".into()
                ),
            ]
        );
    }

    #[test]
    fn accessors_follow_the_literal_before_each_variable() {
        let accessor_names =
            |template: &str| accessors(&parse_binding(template, template).unwrap(), "T");
        assert_eq!(accessor_names("archiveJobs/*"), ["archive_job"]);
        assert_eq!(
            accessor_names("projects/*/locations/*"),
            ["project", "location"]
        );
        assert_eq!(
            accessor_names("projects/*/databases/*/documents/*/**"),
            ["project", "database", "document", "path"]
        );
        assert_eq!(
            accessor_names("projects/*/projects/*"),
            ["project", "project_2"]
        );
        assert_eq!(accessor_names("types/*/selfs/*"), ["r#type", "self_"]);
        assert_eq!(accessor_names("clones/*/news/*"), ["clone_2", "news"]);
        assert_eq!(accessor_names("a/*/*"), ["a", "segment"]);
    }
}
