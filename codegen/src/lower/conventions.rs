//! Google's API conventions, found on the IR after either front end has
//! lowered a spec: the items of list calls (google.aip.dev/158) and the
//! long-running operations that methods start (google.aip.dev/151, and
//! Compute Engine's own operations). Both are read off the shapes of
//! schemas and the methods beside them, never off the spec's format.

use crate::ir::{
    Api, Field, LongRunning, Method, OperationPoller, OperationStyle, PageItems, Poll, PollArg,
    PollCall, Resource, SchemaKind, Type,
};
use crate::path_template::Expansion;

/// Lists a list response carries beside its items, by AIP convention:
/// places that could not be reached (google.aip.dev/217) and Compute's
/// warnings. They are never the items.
const SIDE_LISTS: &[&str] = &["unreachable", "unreachables", "warnings", "scopedWarnings"];

/// Fills in `Paging::items`, `Method::long_running` and `Api::operation_pollers`.
pub(crate) fn apply(api: &mut Api) {
    let polls = poll_methods(api);
    let mut methods: Vec<(&mut Method, Option<&str>)> = Vec::new();
    let Api {
        methods: root,
        resources,
        schemas,
        operation_pollers,
        ..
    } = api;
    methods.extend(root.iter_mut().map(|m| (m, None)));
    collect_mut(resources, &mut methods);
    let view = SchemaView { schemas };
    let mut by_name = std::collections::BTreeSet::new();
    for (method, resource) in methods {
        if let Some(paging) = &mut method.paging {
            let (items, candidates) = view.items(method.response.as_ref(), resource);
            paging.items = items;
            paging.candidates = candidates;
        }
        method.long_running = view.long_running(method, resource, &polls);
        if let Some(lro) = &method.long_running {
            if let (Poll::ByName, Type::Named(name)) = (&lro.poll, &lro.operation) {
                by_name.insert(name.clone());
            }
        }
    }
    *operation_pollers = pollers(by_name, &polls);
}

/// The shared by-name poller of each operation type that needs one.
fn pollers(
    types: std::collections::BTreeSet<String>,
    polls: &[PollMethod],
) -> Vec<OperationPoller> {
    let mut used_names = std::collections::BTreeSet::new();
    types
        .into_iter()
        .map(|path| {
            let operation = Type::Named(path.clone());
            let mut calls: Vec<&PollMethod> = polls
                .iter()
                .filter(|p| p.returns == operation && p.kind == PollKind::ByName)
                .collect();
            // Specific bindings first; a catch-all (`{+name}` unbound, or
            // `operations/**`) only when none fits.
            calls.sort_by_key(|p| std::cmp::Reverse(p.specificity));
            let last = path.rsplit("::").next().unwrap_or(&path);
            let snake = crate::naming::bare(last, crate::naming::Case::Snake).unwrap_or_default();
            let base = format!("poll_{snake}");
            let mut fn_name = base.clone();
            let mut n = 2;
            while !used_names.insert(fn_name.clone()) {
                fn_name = format!("{base}_{n}");
                n += 1;
            }
            OperationPoller {
                operation,
                fn_name,
                calls: calls.into_iter().map(|p| p.call.clone()).collect(),
            }
        })
        .collect()
}

/// Every method, with the spec name of the resource it is on.
fn collect_mut<'a>(
    resources: &'a mut [Resource],
    out: &mut Vec<(&'a mut Method, Option<&'a str>)>,
) {
    for resource in resources {
        let name = resource.name.as_str();
        out.extend(resource.methods.iter_mut().map(|m| (m, Some(name))));
        collect_mut(&mut resource.resources, out);
    }
}

/// A method that fetches an operation: `get` on an operations resource.
struct PollMethod {
    call: PollCall,
    /// The operation type it returns.
    returns: Type,
    /// Its arguments other than the operation itself, by wire name, with
    /// their types: what the starting call must supply.
    scope_args: Vec<(String, Type)>,
    /// How precisely its path pins the operation down: segments of the
    /// name's binding (0 for an unbound one), so specific bindings are
    /// tried before catch-alls.
    specificity: usize,
    kind: PollKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PollKind {
    /// One argument, the operation's full name.
    ByName,
    /// The operation's id beside scope arguments (`project`, `zone`).
    InScope,
}

/// Every `get` method of a resource named `operations` (or `...Operations`,
/// as Compute's `zoneOperations`) whose response is a named type.
fn poll_methods(api: &Api) -> Vec<PollMethod> {
    fn walk(resources: &[Resource], chain: &mut Vec<String>, out: &mut Vec<PollMethod>) {
        for resource in resources {
            chain.push(resource.accessor.clone());
            if resource.name.to_ascii_lowercase().ends_with("operations") {
                for method in &resource.methods {
                    if method.fn_name == "get" {
                        out.extend(poll_method(method, chain));
                    }
                }
            }
            walk(&resource.resources, chain, out);
            chain.pop();
        }
    }
    let mut out = Vec::new();
    walk(&api.resources, &mut Vec::new(), &mut out);
    out
}

/// The argument names an operation's id goes by: Compute's `operation`,
/// GKE's and Storage's `operationId`, App Engine's `operationsId`.
fn is_operation_id(wire: &str) -> bool {
    matches!(wire, "operation" | "operationId" | "operationsId")
}

fn poll_method(method: &Method, chain: &[String]) -> Option<PollMethod> {
    let returns @ Type::Named(_) = method.response.clone()? else {
        return None;
    };
    if method.http_method != crate::ir::HttpMethod::Get {
        return None;
    }
    let (kind, args) = match method.args.as_slice() {
        [only] if only.wire_name == "name" && !only.repeated => {
            (PollKind::ByName, vec![PollArg::OperationName])
        }
        args if args
            .iter()
            .filter(|a| is_operation_id(&a.wire_name))
            .count()
            == 1 =>
        {
            let args = args
                .iter()
                .map(|a| {
                    if is_operation_id(&a.wire_name) {
                        PollArg::OperationId
                    } else {
                        PollArg::CallArgument(a.wire_name.clone())
                    }
                })
                .collect();
            (PollKind::InScope, args)
        }
        _ => return None,
    };
    let scope_args = method
        .args
        .iter()
        .filter(|a| kind == PollKind::InScope && !is_operation_id(&a.wire_name))
        .map(|a| (a.wire_name.clone(), a.ty.clone()))
        .collect();
    let specificity = method
        .path
        .variables()
        .find_map(|v| match &v.expansion {
            Expansion::Reserved(Some(binding)) | Expansion::Simple(Some(binding)) => {
                Some(binding.0.len())
            }
            _ => None,
        })
        .unwrap_or(0);
    Some(PollMethod {
        call: PollCall {
            method_id: method.id.clone(),
            accessors: chain.to_vec(),
            fn_name: method.fn_name.clone(),
            args,
        },
        returns,
        scope_args,
        specificity,
        kind,
    })
}

struct SchemaView<'a> {
    schemas: &'a [crate::ir::Schema],
}

impl SchemaView<'_> {
    fn fields(&self, ty: Option<&Type>) -> Option<&[Field]> {
        let Some(Type::Named(name)) = ty else {
            return None;
        };
        match &crate::ir::find_schema(self.schemas, name)?.kind {
            SchemaKind::Struct { fields } => Some(fields),
            _ => None,
        }
    }

    /// The items field of a list response, and the lists that competed
    /// for it. One list (side lists aside) is the items; among several, the
    /// one named `items` or after the method's resource (`timeSeries` of
    /// `timeSeries.list`); with no list, a single map (Compute's
    /// `aggregatedList`, keyed by scope).
    fn items(
        &self,
        response: Option<&Type>,
        resource: Option<&str>,
    ) -> (Option<PageItems>, Vec<String>) {
        let Some(fields) = self.fields(response) else {
            return (None, Vec::new());
        };
        let lists: Vec<&Field> = fields
            .iter()
            .filter(|f| !f.flatten && matches!(f.ty, Type::Array(_)))
            .filter(|f| !SIDE_LISTS.contains(&f.wire_name.as_str()))
            .collect();
        let item = |field: &Field, keyed: bool| {
            let (Type::Array(inner) | Type::Map(inner)) = &field.ty else {
                return None;
            };
            Some(PageItems {
                field: field.rust_name.clone(),
                wire_name: field.wire_name.clone(),
                ty: (**inner).clone(),
                keyed,
                boxed: field.boxed,
            })
        };
        match lists.as_slice() {
            [] => {
                let maps: Vec<&Field> = fields
                    .iter()
                    .filter(|f| !f.flatten && matches!(f.ty, Type::Map(_)))
                    .collect();
                match maps.as_slice() {
                    [only] => (item(only, true), Vec::new()),
                    _ => (None, Vec::new()),
                }
            }
            [only] => (item(only, false), Vec::new()),
            several => {
                let names = several.iter().map(|f| f.wire_name.clone()).collect();
                let by_name = several
                    .iter()
                    .find(|f| f.wire_name == "items" || resource.is_some_and(|r| r == f.wire_name));
                (by_name.and_then(|f| item(f, false)), names)
            }
        }
    }

    /// The long-running operation `method` starts: its response has an
    /// operation's shape and a poll method returns that very type. Google
    /// operations are polled by name where a `get` takes one, else (as
    /// Compute operations always are) in the scope of the call.
    fn long_running(
        &self,
        method: &Method,
        resource: Option<&str>,
        polls: &[PollMethod],
    ) -> Option<LongRunning> {
        // The operations resource's own methods return operations without
        // starting any.
        if resource.is_some_and(|r| r.to_ascii_lowercase().ends_with("operations")) {
            return None;
        }
        let operation = method.response.as_ref()?;
        let style = self.operation_style(operation)?;
        let returns_it = |p: &&PollMethod| p.returns == *operation;
        let by_name = style == OperationStyle::Google
            && polls
                .iter()
                .filter(returns_it)
                .any(|p| p.kind == PollKind::ByName);
        let poll = if by_name {
            Poll::ByName
        } else {
            // The scope the call itself names: the candidate that uses the
            // most of its arguments (a zone's over the project's).
            let best = polls
                .iter()
                .filter(returns_it)
                .filter(|p| p.kind == PollKind::InScope)
                .filter(|p| {
                    p.scope_args.iter().all(|(wire, ty)| {
                        method
                            .args
                            .iter()
                            .any(|a| a.wire_name == *wire && a.ty == *ty && !a.repeated)
                    })
                })
                .max_by_key(|p| p.scope_args.len())?;
            Poll::InScope(bind_scope(&best.call, method))
        };
        Some(LongRunning {
            style,
            operation: operation.clone(),
            poll,
        })
    }

    /// Which operation shape `ty` has, if any.
    fn operation_style(&self, ty: &Type) -> Option<OperationStyle> {
        let Type::Named(name) = ty else {
            return None;
        };
        let schema = crate::ir::find_schema(self.schemas, name)?;
        let SchemaKind::Struct { fields } = &schema.kind else {
            return None;
        };
        let field = |wire: &str| fields.iter().find(|f| f.wire_name == wire && !f.flatten);
        let has_name = field("name").is_some_and(|f| f.ty == Type::String);
        if !has_name {
            return None;
        }
        let google = field("done").is_some_and(|f| f.ty == Type::Bool)
            && field("error").is_some()
            && (field("response").is_some() || field("metadata").is_some());
        if google {
            return Some(OperationStyle::Google);
        }
        let status_done = field("status").is_some_and(|f| match &f.ty {
            Type::Enum(reference) => schema
                .enums
                .iter()
                .chain(reference.definition.as_deref())
                .filter(|e| e.rust_name == reference.name)
                .any(|e| e.variants.iter().any(|v| v.wire_name == "DONE")),
            _ => false,
        });
        (status_done && field("error").is_some()).then_some(OperationStyle::Compute)
    }
}

/// An in-scope poll call whose scope arguments name the starting call's
/// arguments by their Rust names.
fn bind_scope(call: &PollCall, method: &Method) -> PollCall {
    let mut call = call.clone();
    for arg in &mut call.args {
        if let PollArg::CallArgument(wire) = arg {
            if let Some(own) = method.args.iter().find(|a| a.wire_name == *wire) {
                *arg = PollArg::CallArgument(own.rust_name.clone());
            }
        }
    }
    call
}
