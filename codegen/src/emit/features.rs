//! Cargo features per top-level resource: which feature names there are,
//! which features each one turns on, and which items of `models`, `names`
//! and the operation pollers each feature needs.
//!
//! A user who needs one resource of a big API compiles that resource's
//! calls and exactly the types they reach, not the whole API. Everything
//! here is derived from the IR; the IR itself knows nothing of features.
//!
//! The gate of an item is the set of features that reach it: the item is
//! compiled when any of them is on. Schemas no method names (operation
//! metadata and results, which users decode themselves) and what they
//! reference are reached by one more feature, `unreferenced-models`, in
//! `all-resources` like the resources'. An item that the client's own
//! methods reach, or that every feature reaches, is always compiled, and
//! so is whatever it references, so a gate is never narrower than the
//! gates that use it.

use crate::ir::{Api, Method, PollCall, Resource, Schema, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Feature names the generated `Cargo.toml` declares for itself; a
/// resource whose module has one of these names gets `<name>-resource`.
const FIXED_FEATURES: &[&str] = &[
    "adc",
    "all-resources",
    "default",
    "dispatch",
    "fake",
    "native-tls",
    "rustls-aws-lc-rs",
    "rustls-ring",
    "user-consent",
    "yup-oauth2",
];

/// The feature of the models no method names (long-running operations'
/// metadata and results, `Any` payloads), which callers decode themselves.
pub const UNREFERENCED_MODELS: &str = "unreferenced-models";

/// The features of one API, and the gate of each item they govern.
#[derive(Debug)]
pub struct Features {
    /// One per top-level resource, in the API's order (`api.resources`).
    pub resources: Vec<ResourceFeature>,
    /// Whether the crate has the [`UNREFERENCED_MODELS`] feature: it has
    /// resource features and models no method reaches. Its gate index is
    /// `resources.len()`.
    pub unreferenced_models: bool,
    /// The gate of each top-level schema, by its Rust name.
    schemas: BTreeMap<String, Gate>,
    /// The index of each top-level resource, by its accessor.
    accessors: BTreeMap<String, usize>,
    /// The top-level schema of each schema module, for types declared inside.
    modules: BTreeMap<String, String>,
    /// The gate of each resource-name type, by its Rust name.
    names: BTreeMap<String, Gate>,
    /// The gate of each by-name operation poller, by its function name.
    pollers: BTreeMap<String, Gate>,
}

/// The feature of one top-level resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceFeature {
    /// The feature's name: the resource's module name.
    pub name: String,
    /// The spec's name of the resource, for the manifest's comments.
    pub resource: String,
    /// Other resources' features it turns on: those whose calls poll the
    /// long-running operations its calls start, where one fixed call does.
    pub requires: Vec<String>,
}

/// When an item is compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Gate {
    /// Whatever features are on.
    Always,
    /// When any of these features (indexes into `Features::resources`) is on.
    Any(BTreeSet<usize>),
}

impl Features {
    /// The features of `api`, and the gates of its items.
    pub fn of(api: &Api) -> Self {
        let resources = resource_features(api);
        let count = resources.len();
        let module_of: BTreeMap<&str, &Schema> = api
            .schemas
            .iter()
            .map(|s| (s.module.trim_start_matches("r#"), s))
            .collect();
        let by_name: BTreeMap<&str, &Schema> = api
            .schemas
            .iter()
            .map(|s| (s.rust_name.as_str(), s))
            .collect();
        let walker = Walker {
            by_name: &by_name,
            module_of: &module_of,
        };

        // What each resource's calls reach, and what the client's own reach.
        let mut reach: Vec<BTreeSet<&str>> = Vec::with_capacity(count);
        let mut name_users: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
        let mut always_names: BTreeSet<&str> = BTreeSet::new();
        for (index, resource) in api.resources.iter().enumerate() {
            let mut roots = Vec::new();
            for method in methods_under(resource) {
                method_types(method, &mut roots);
                for name in method
                    .args
                    .iter()
                    .filter_map(|p| p.resource_name.as_deref())
                {
                    name_users.entry(name).or_default().insert(index);
                }
            }
            reach.push(walker.closure(roots));
        }
        let mut always_roots = Vec::new();
        for method in &api.methods {
            method_types(method, &mut always_roots);
            always_names.extend(
                method
                    .args
                    .iter()
                    .filter_map(|p| p.resource_name.as_deref()),
            );
        }
        for param in &api.standard_params {
            always_roots.push(&param.ty);
        }
        let reached: BTreeSet<&str> = reach.iter().flatten().copied().collect();
        let always = walker.closure(always_roots);
        // Models no method reaches (operation metadata and results, which
        // a caller decodes from an `Any`) and what they name: a feature of
        // their own, in `all-resources`, so that one resource's build does
        // not compile them (a third of AI Platform's models).
        let unreached: Vec<&str> = api
            .schemas
            .iter()
            .map(|s| s.rust_name.as_str())
            .filter(|name| !reached.contains(name) && !always.contains(name))
            .collect();
        let unreferenced_models = count > 0 && !unreached.is_empty();
        let unreferenced = walker.closure_of_schemas(unreached);

        let gate = |users: BTreeSet<usize>, total: usize| {
            if users.is_empty() || users.len() == total {
                Gate::Always
            } else {
                Gate::Any(users)
            }
        };
        let schema_total = count + usize::from(unreferenced_models);
        let schemas = api
            .schemas
            .iter()
            .map(|schema| {
                let name = schema.rust_name.as_str();
                let mut users: BTreeSet<usize> = BTreeSet::new();
                if !always.contains(name) {
                    users.extend((0..count).filter(|&i| reach[i].contains(name)));
                    if unreferenced_models && unreferenced.contains(name) {
                        users.insert(count);
                    }
                }
                (name.to_owned(), gate(users, schema_total))
            })
            .collect();
        let names = api
            .resource_names
            .iter()
            .map(|name| {
                let key = name.rust_name.as_str();
                let users = if always_names.contains(key) {
                    BTreeSet::new()
                } else {
                    name_users.get(key).cloned().unwrap_or_default()
                };
                (key.to_owned(), gate(users, count))
            })
            .collect();
        let pollers = poller_gates(api, count)
            .into_iter()
            .map(|(name, users)| (name, users.map_or(Gate::Always, |users| gate(users, count))))
            .collect();
        let modules = api
            .schemas
            .iter()
            .map(|s| {
                (
                    s.module.trim_start_matches("r#").to_owned(),
                    s.rust_name.clone(),
                )
            })
            .collect();
        let accessors = api
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| (r.accessor.clone(), i))
            .collect();
        Self {
            resources,
            unreferenced_models,
            accessors,
            modules,
            schemas,
            names,
            pollers,
        }
    }

    /// `#[cfg(feature = "...")]` for the items of the `index`-th top-level
    /// resource.
    pub fn resource_cfg(&self, index: usize) -> TokenStream {
        self.cfg(&Gate::Any(BTreeSet::from([index])))
    }

    /// The attribute for a top-level schema's items (nothing when always compiled).
    pub fn schema_cfg(&self, rust_name: &str) -> TokenStream {
        self.schemas
            .get(rust_name)
            .map_or_else(TokenStream::new, |g| self.cfg(g))
    }

    /// The attribute for items about the type at `path` under `models`
    /// (`Operation`, or `operation::Inner` declared inside one): its
    /// top-level schema's.
    pub fn named_cfg(&self, path: &str) -> TokenStream {
        match path.split_once("::") {
            Some((module, _)) => self
                .modules
                .get(module.trim_start_matches("r#"))
                .map_or_else(TokenStream::new, |name| self.schema_cfg(name)),
            None => self.schema_cfg(path),
        }
    }

    /// The attribute for a resource-name type's items.
    pub fn name_cfg(&self, rust_name: &str) -> TokenStream {
        self.names
            .get(rust_name)
            .map_or_else(TokenStream::new, |g| self.cfg(g))
    }

    /// The attribute for a by-name operation poller.
    pub fn poller_cfg(&self, fn_name: &str) -> TokenStream {
        self.pollers
            .get(fn_name)
            .map_or_else(TokenStream::new, |g| self.cfg(g))
    }

    /// The attribute for the items of a call reached from the client by
    /// `chain` (accessors, the top-level resource's first): its top-level
    /// resource's feature, or nothing for the client's own methods.
    pub fn chain_cfg(&self, chain: &[String]) -> TokenStream {
        chain
            .first()
            .and_then(|accessor| self.accessors.get(accessor))
            .map_or_else(TokenStream::new, |&i| self.resource_cfg(i))
    }

    fn cfg(&self, gate: &Gate) -> TokenStream {
        match gate {
            Gate::Always => TokenStream::new(),
            Gate::Any(set) if set.len() == 1 => {
                let name = set.iter().map(|&i| self.feature_name(i));
                quote!(#[cfg( #( feature = #name )* )])
            }
            Gate::Any(set) => {
                let names = set.iter().map(|&i| self.feature_name(i));
                quote!(#[cfg(any( #( feature = #names ),* ))])
            }
        }
    }

    /// The feature of gate index `index`: a resource's, or past them
    /// [`UNREFERENCED_MODELS`].
    fn feature_name(&self, index: usize) -> &str {
        self.resources
            .get(index)
            .map_or(UNREFERENCED_MODELS, |feature| feature.name.as_str())
    }
}

/// Adds `cfg` (an attribute, or nothing) to every item of `items`.
pub fn gate_items(items: TokenStream, cfg: &TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return items;
    }
    // Emitters give well-formed items; should one not parse, the items are
    // left as they are and the formatter reports the error with its file.
    let Ok(file) = syn::parse2::<syn::File>(items.clone()) else {
        return items;
    };
    let gated = file.items.into_iter().map(|mut item| {
        // syn is built without `Clone` for its types: parsed afresh per item.
        let parsed = syn::Attribute::parse_outer.parse2(cfg.clone());
        if let (Some(attrs), Ok(attribute)) = (item_attrs(&mut item), parsed) {
            // After the docs, as a hand-written item would have it.
            let at = attrs
                .iter()
                .position(|a| !a.path().is_ident("doc"))
                .unwrap_or(attrs.len());
            attrs.splice(at..at, attribute);
        }
        item
    });
    quote!( #( #gated )* )
}

use syn::parse::Parser as _;

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

/// The cargo feature that turns on each top-level resource of `api`, in the
/// order of `api.resources`: its module's name, or `<name>-resource` where
/// that is one of the crate's own features (`fake`).
pub fn resource_feature_names(api: &Api) -> Vec<String> {
    api.resources
        .iter()
        .map(|r| {
            let module = r.module.trim_start_matches("r#");
            if FIXED_FEATURES.contains(&module) {
                format!("{module}-resource")
            } else {
                module.to_owned()
            }
        })
        .collect()
}

/// The feature of each top-level resource, named after its module.
fn resource_features(api: &Api) -> Vec<ResourceFeature> {
    let index_of: BTreeMap<&str, usize> = api
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.accessor.as_str(), i))
        .collect();
    let names = resource_feature_names(api);
    api.resources
        .iter()
        .enumerate()
        .map(|(index, resource)| {
            let mut requires = BTreeSet::new();
            for method in methods_under(resource) {
                if let Some(call) = poll_call(method) {
                    if let Some(&other) = call
                        .accessors
                        .first()
                        .and_then(|a| index_of.get(a.as_str()))
                    {
                        if other != index {
                            requires.insert(names[other].clone());
                        }
                    }
                }
            }
            ResourceFeature {
                name: names[index].clone(),
                resource: resource.name.clone(),
                requires: requires.into_iter().collect(),
            }
        })
        .collect()
}

/// The call that polls the operations `method` starts, when it is one
/// fixed call (Compute's per-zone operations). A by-name poller instead
/// tries each of its calls that is compiled in: it needs no other feature.
fn poll_call(method: &Method) -> Option<&PollCall> {
    match &method.long_running.as_ref()?.poll {
        crate::ir::Poll::InScope(call) => Some(call),
        crate::ir::Poll::ByName => None,
    }
}

/// For each by-name poller, the resources whose calls use it (`None`
/// when the client's own methods do).
fn poller_gates(api: &Api, count: usize) -> BTreeMap<String, Option<BTreeSet<usize>>> {
    use crate::ir::Poll;
    let uses = |method: &Method, poller: &crate::ir::OperationPoller| {
        method.long_running.as_ref().is_some_and(|lro| {
            matches!(lro.poll, Poll::ByName) && lro.operation == poller.operation
        })
    };
    api.operation_pollers
        .iter()
        .map(|poller| {
            let users = if api.methods.iter().any(|m| uses(m, poller)) {
                None
            } else {
                Some(
                    (0..count)
                        .filter(|&i| methods_under(&api.resources[i]).any(|m| uses(m, poller)))
                        .collect(),
                )
            };
            (poller.fn_name.clone(), users)
        })
        .collect()
}

/// Every method of `resource` and of the resources nested in it.
fn methods_under(resource: &Resource) -> impl Iterator<Item = &Method> {
    let mut stack = vec![resource];
    let mut out = Vec::new();
    while let Some(resource) = stack.pop() {
        out.extend(&resource.methods);
        stack.extend(resource.resources.iter().rev());
    }
    out.into_iter()
}

/// The types a method's call names: its parameters, bodies and operation.
fn method_types<'a>(method: &'a Method, out: &mut Vec<&'a Type>) {
    out.extend(method.args.iter().chain(&method.optional).map(|p| &p.ty));
    out.extend(method.request.as_ref().map(|b| &b.ty));
    out.extend(&method.response);
    out.extend(method.errors.iter().map(|e| &e.ty));
    out.extend(method.long_running.as_ref().map(|l| &l.operation));
}

/// Follows references from types to the top-level schemas they name.
struct Walker<'a> {
    by_name: &'a BTreeMap<&'a str, &'a Schema>,
    module_of: &'a BTreeMap<&'a str, &'a Schema>,
}

impl<'a> Walker<'a> {
    /// The top-level schemas `types` reach, directly or through fields.
    fn closure(&self, types: Vec<&'a Type>) -> BTreeSet<&'a str> {
        let mut seen = BTreeSet::new();
        let mut pending = Vec::new();
        for ty in types {
            self.named_in(ty, &mut pending);
        }
        self.drain(&mut seen, pending);
        seen
    }

    /// The top-level schemas `names` (top-level schemas) reach, themselves included.
    fn closure_of_schemas(&self, names: Vec<&'a str>) -> BTreeSet<&'a str> {
        let mut seen = BTreeSet::new();
        let pending = names
            .into_iter()
            .filter_map(|n| self.by_name.get(n).copied())
            .collect();
        self.drain(&mut seen, pending);
        seen
    }

    fn drain(&self, seen: &mut BTreeSet<&'a str>, mut pending: Vec<&'a Schema>) {
        while let Some(schema) = pending.pop() {
            if seen.insert(schema.rust_name.as_str()) {
                self.schema_refs(schema, &mut pending);
            }
        }
    }

    /// The top-level schemas `schema` (and what it declares inside) names.
    fn schema_refs(&self, schema: &'a Schema, out: &mut Vec<&'a Schema>) {
        match &schema.kind {
            SchemaKind::Struct { fields } => {
                for field in fields {
                    self.named_in(&field.ty, out);
                }
            }
            SchemaKind::Alias(ty) => self.named_in(ty, out),
            SchemaKind::Union { variants, .. } => {
                for variant in variants {
                    self.named_in(&variant.ty, out);
                }
            }
        }
        for nested in &schema.nested {
            self.schema_refs(nested, out);
        }
    }

    /// The top-level schema owning each type `ty` names.
    fn named_in(&self, ty: &'a Type, out: &mut Vec<&'a Schema>) {
        match ty {
            Type::Array(inner) | Type::Map(inner) => self.named_in(inner, out),
            Type::Named(path) => {
                let found = match path.split_once("::") {
                    // Declared inside a schema: its module names the owner.
                    Some((module, _)) => self.module_of.get(module.trim_start_matches("r#")),
                    None => self.by_name.get(path.as_str()),
                };
                out.extend(found.copied());
            }
            Type::Enum(reference) => {
                // `models::<module>[::...]`: an enum a schema declares.
                let mut segments = reference.module.split("::");
                if segments.next() == Some("models") {
                    if let Some(module) = segments.next() {
                        out.extend(self.module_of.get(module.trim_start_matches("r#")).copied());
                    }
                }
            }
            _ => {}
        }
    }
}

/// The `[features]` lines of the resources: `all-resources`, then one per
/// resource. Empty when the API has no resources.
pub fn manifest_lines(features: &Features) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if features.resources.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "# One feature per top-level resource: its calls and exactly the models and\n\
         # resource names they reach. All are on by default; to build only what you\n\
         # use, turn default features off and name the resources (and a TLS feature)."
    );
    let _ = writeln!(out, "all-resources = [");
    for feature in &features.resources {
        let _ = writeln!(out, "    {:?},", feature.name);
    }
    if features.unreferenced_models {
        let _ = writeln!(out, "    {UNREFERENCED_MODELS:?},");
    }
    let _ = writeln!(out, "]");
    if features.unreferenced_models {
        let _ = writeln!(
            out,
            "# The models no method names (such as long-running operations' metadata and\n\
             # results), which you decode yourself, as `Operation::response_as` does."
        );
        let _ = writeln!(out, "{UNREFERENCED_MODELS} = []");
    }
    for feature in &features.resources {
        let requires: Vec<String> = feature.requires.iter().map(|r| format!("{r:?}")).collect();
        let _ = writeln!(
            out,
            "# The `{}` resource.\n{} = [{}]",
            super::docs::header_text(&feature.resource),
            toml_key(&feature.name),
            requires.join(", ")
        );
    }
    out
}

/// A feature's name as a TOML key: bare when it can be, else quoted.
fn toml_key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        name.to_owned()
    } else {
        format!("{name:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two resources sharing one schema, each with one of its own, a
    /// schema no method names, and a resource named like a fixed feature.
    const SPEC: &str = r#"{
      "kind": "discovery#restDescription", "discoveryVersion": "v1",
      "name": "gates", "version": "v1", "title": "Gates", "rootUrl": "https://gates.example.com/",
      "servicePath": "", "protocol": "rest",
      "schemas": {
        "Shared": {"id": "Shared", "type": "object", "properties": {"x": {"type": "string"}}},
        "OnlyA": {"id": "OnlyA", "type": "object", "properties": {"s": {"$ref": "Shared"}}},
        "OnlyFake": {"id": "OnlyFake", "type": "object", "properties": {"s": {"$ref": "Shared"}}},
        "Deep": {"id": "Deep", "type": "object", "properties": {"y": {"type": "string"}}},
        "Loose": {"id": "Loose", "type": "object", "properties": {"d": {"$ref": "Deep"}}}
      },
      "resources": {
        "alpha": {"methods": {"get": {"id": "gates.alpha.get", "path": "v1/alpha", "httpMethod": "GET",
          "response": {"$ref": "OnlyA"}}}},
        "fake": {"methods": {"get": {"id": "gates.fake.get", "path": "v1/fake", "httpMethod": "GET",
          "response": {"$ref": "OnlyFake"}}}},
        "gamma": {"methods": {"get": {"id": "gates.gamma.get", "path": "v1/gamma", "httpMethod": "GET",
          "response": {"$ref": "Deep"}}}}
      }
    }"#;

    fn features() -> Features {
        let api = crate::lower::lower("gates.json", SPEC).unwrap();
        Features::of(&api)
    }

    #[test]
    fn each_schema_is_gated_by_the_resources_that_reach_it() {
        let features = features();
        let names: Vec<&str> = features.resources.iter().map(|f| f.name.as_str()).collect();
        // `fake` is a feature of every generated crate already.
        assert_eq!(names, ["alpha", "fake-resource", "gamma"]);
        assert_eq!(
            features.schema_cfg("OnlyA").to_string(),
            quote!(#[cfg(feature = "alpha")]).to_string()
        );
        assert_eq!(
            features.schema_cfg("Shared").to_string(),
            quote!(#[cfg(any(feature = "alpha", feature = "fake-resource"))]).to_string()
        );
    }

    #[test]
    fn what_no_method_reaches_has_a_feature_with_all_it_names() {
        let features = features();
        assert!(features.unreferenced_models);
        // `Loose` is named by no method (as an operation's metadata is
        // not), so it comes with `unreferenced-models`; so does `Deep`,
        // which it holds, besides with `gamma`, whose call names it.
        assert_eq!(
            features.schema_cfg("Loose").to_string(),
            quote!(#[cfg(feature = "unreferenced-models")]).to_string()
        );
        assert_eq!(
            features.schema_cfg("Deep").to_string(),
            quote!(#[cfg(any(feature = "gamma", feature = "unreferenced-models"))]).to_string()
        );
    }

    #[test]
    fn without_unreferenced_models_there_is_no_such_feature() {
        let spec = SPEC.replace(
            r#""Loose": {"id": "Loose", "type": "object", "properties": {"d": {"$ref": "Deep"}}}"#,
            r#""Loose": {"id": "Loose", "type": "object", "properties": {"d": {"$ref": "Deep"}}},
               "Root": {"id": "Root", "type": "object", "properties": {"l": {"$ref": "Loose"}}}"#,
        );
        // A method of the client itself returns `Root`, which holds `Loose`.
        let spec = spec.replace(
            r#""resources": {"#,
            r#""methods": {"root": {"id": "gates.root", "path": "v1/root", "httpMethod": "GET",
                "response": {"$ref": "Root"}}},
               "resources": {"#,
        );
        let api = crate::lower::lower("gates.json", &spec).unwrap();
        let features = Features::of(&api);
        assert!(!features.unreferenced_models);
        // What the client's own methods reach is always compiled.
        assert!(features.schema_cfg("Loose").is_empty());
        assert!(features.schema_cfg("Deep").is_empty());
        assert!(!manifest_lines(&features).contains("unreferenced-models"));
    }

    #[test]
    fn an_api_without_resources_gates_nothing() {
        // Only the client's own methods: no resource features, so no
        // `unreferenced-models` either, and `Loose` is simply compiled.
        let spec = SPEC.replace(r#""resources": {"#, r#""ignored": {"#);
        let api = crate::lower::lower("gates.json", &spec).unwrap();
        let features = Features::of(&api);
        assert!(features.resources.is_empty());
        assert!(!features.unreferenced_models);
        assert!(features.schema_cfg("Loose").is_empty());
        assert!(manifest_lines(&features).is_empty());
    }

    #[test]
    fn the_manifest_lists_every_resource_feature() {
        let lines = manifest_lines(&features());
        assert!(lines.contains(
            "all-resources = [\n    \"alpha\",\n    \"fake-resource\",\n    \"gamma\",\n    \"unreferenced-models\",\n]\n"
        ));
        assert!(lines.contains("\nfake-resource = []\n"));
        assert!(lines.contains("\nunreferenced-models = []\n"));
    }

    #[test]
    fn gating_adds_the_attribute_to_every_item_after_its_docs() {
        let cfg = quote!(#[cfg(feature = "alpha")]);
        let gated = gate_items(
            quote! {
                /// Docs.
                pub struct A;
                impl A {}
            },
            &cfg,
        );
        let file: syn::File = syn::parse2(gated).unwrap();
        let text = prettyplease::unparse(&file);
        assert_eq!(
            text,
            "/// Docs.\n#[cfg(feature = \"alpha\")]\npub struct A;\n#[cfg(feature = \"alpha\")]\nimpl A {}\n"
        );
    }
}
