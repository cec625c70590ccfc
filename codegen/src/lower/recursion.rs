//! Recursive types: a struct that holds itself, directly or through other
//! structs, would have infinite size, so the fields that close such a cycle
//! are boxed.
//!
//! Types are nodes, and a field whose type is another struct (not inside a
//! `Vec` or map, which are already indirect) is an edge; type aliases are
//! followed. A field is boxed exactly when its target is in the same
//! strongly connected component as its struct, so boxing depends only on
//! the graph, never on the order schemas are visited.

use crate::ir::{Schema, SchemaKind, Type};
use std::collections::{BTreeMap, BTreeSet};

/// A named schema no Rust type can stand for: it is a type alias that
/// names itself, through other aliases only.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct AliasCycle {
    /// The spec name of the first schema of the cycle (by Rust path).
    pub spec_name: String,
    /// The spec names of all the schemas of the cycle, in Rust path order.
    pub members: Vec<String>,
    /// Whether the cycle goes through lists or maps (`S` is a list of
    /// `S`), rather than aliases alone (`A` is `B`, `B` is `A`).
    pub through_containers: bool,
}

impl AliasCycle {
    /// What is wrong, for an error at the schema's path.
    pub(crate) fn message(&self) -> String {
        if !self.through_containers {
            return "the schema is an alias of itself (through other aliases): no type can hold it"
                .to_owned();
        }
        let members = self
            .members
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "the schema holds itself through lists or maps and no object ({members}): its \
             only values would be empty lists and maps inside each other, and a Rust type \
             alias cannot name itself; make one schema of the cycle an object"
        )
    }
}

/// Marks every field that closes a cycle of directly held structs as boxed.
///
/// A cycle of type aliases alone (`A` is `B`, `B` is `A`, or `S` is a list
/// of `S`) has no Rust type at all (`type S = Vec<S>;` is rejected by
/// rustc): it is an error naming one of its schemas.
pub(crate) fn box_cycles(schemas: &mut [Schema]) -> Result<(), AliasCycle> {
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut structs = BTreeSet::new();
    let mut spec_names = BTreeMap::new();
    visit(schemas, "", &mut |path, schema| {
        spec_names.insert(path.to_owned(), schema.name.clone());
        let targets = edges.entry(path.to_owned()).or_default();
        match &schema.kind {
            SchemaKind::Struct { fields } => {
                structs.insert(path.to_owned());
                targets.extend(fields.iter().filter_map(|f| direct_target(&f.ty)));
            }
            SchemaKind::Alias(ty) => targets.extend(direct_target(ty)),
            // A union is an enum: boxing a variant breaks a cycle through it.
            SchemaKind::Union { variants, .. } => {
                structs.insert(path.to_owned());
                targets.extend(variants.iter().filter_map(|v| direct_target(&v.ty)));
            }
        }
    });
    let component = components(&edges);
    let with_struct: BTreeSet<usize> = structs.iter().map(|s| component[s]).collect();
    for (node, targets) in &edges {
        let own = component[node];
        let cyclic = targets.iter().any(|t| component.get(t) == Some(&own));
        if cyclic && !structs.contains(node) && !with_struct.contains(&own) {
            return Err(AliasCycle {
                spec_name: spec_names[node].clone(),
                members: members_of(&component, own, &spec_names),
                through_containers: false,
            });
        }
    }
    // Cycles of aliases alone are found above; those through a list or map remain.
    alias_cycles(schemas)?;
    visit_mut(schemas, "", &mut |path, schema| match &mut schema.kind {
        SchemaKind::Struct { fields } => {
            for field in fields {
                if let Some(target) = direct_target(&field.ty) {
                    field.boxed = component.get(path) == component.get(&target);
                }
            }
        }
        SchemaKind::Union { variants, .. } => {
            for variant in variants {
                if let Some(target) = direct_target(&variant.ty) {
                    variant.boxed = component.get(path) == component.get(&target);
                }
            }
        }
        SchemaKind::Alias(_) => {}
    });
    Ok(())
}

/// Refuses type aliases that name themselves through lists and maps of
/// other aliases (`type S = Vec<S>`): rustc expands an alias before
/// anything else, so unlike a struct no indirection ends the expansion
/// (`error[E0391]: cycle detected when expanding type alias`).
///
/// Kept apart from the boxing graph on purpose: a `Vec` or map is no edge
/// there, so boxing stays a matter of directly held structs.
fn alias_cycles(schemas: &[Schema]) -> Result<(), AliasCycle> {
    let mut aliases: BTreeMap<String, Type> = BTreeMap::new();
    let mut spec_names = BTreeMap::new();
    visit(schemas, "", &mut |path, schema| {
        if let SchemaKind::Alias(ty) = &schema.kind {
            aliases.insert(path.to_owned(), ty.clone());
            spec_names.insert(path.to_owned(), schema.name.clone());
        }
    });
    let edges: BTreeMap<String, Vec<String>> = aliases
        .iter()
        .map(|(path, ty)| {
            let mut named = Vec::new();
            named_inside(ty, &mut named);
            named.retain(|target| aliases.contains_key(target));
            (path.clone(), named)
        })
        .collect();
    let component = components(&edges);
    for (node, targets) in &edges {
        let own = component[node];
        if targets.iter().any(|t| component.get(t) == Some(&own)) {
            return Err(AliasCycle {
                spec_name: spec_names[node].clone(),
                members: members_of(&component, own, &spec_names),
                through_containers: true,
            });
        }
    }
    Ok(())
}

/// Every named type `ty` mentions, through lists and maps.
fn named_inside(ty: &Type, out: &mut Vec<String>) {
    match ty {
        Type::Named(path) => out.push(path.clone()),
        Type::Array(inner) | Type::Map(inner) => named_inside(inner, out),
        _ => {}
    }
}

/// The spec names of the schemas in component `own`, in Rust path order.
fn members_of(
    component: &BTreeMap<String, usize>,
    own: usize,
    spec_names: &BTreeMap<String, String>,
) -> Vec<String> {
    component
        .iter()
        .filter(|(_, c)| **c == own)
        .filter_map(|(path, _)| spec_names.get(path).cloned())
        .collect()
}

/// The named type a value holds inline, if any.
fn direct_target(ty: &Type) -> Option<String> {
    match ty {
        Type::Named(path) => Some(path.clone()),
        _ => None,
    }
}

/// `name` under the module path `parent` (under `models`).
fn under(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}::{name}")
    }
}

fn visit(schemas: &[Schema], parent_module: &str, f: &mut impl FnMut(&str, &Schema)) {
    for schema in schemas {
        f(&under(parent_module, &schema.rust_name), schema);
        visit(&schema.nested, &under(parent_module, &schema.module), f);
    }
}

fn visit_mut(schemas: &mut [Schema], parent_module: &str, f: &mut impl FnMut(&str, &mut Schema)) {
    for schema in schemas {
        f(&under(parent_module, &schema.rust_name), schema);
        let module = under(parent_module, &schema.module);
        visit_mut(&mut schema.nested, &module, f);
    }
}

/// The strongly connected component of every node (Tarjan's algorithm,
/// iterative so a deep type graph cannot overflow the stack).
fn components(edges: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, usize> {
    let nodes: Vec<&String> = edges.keys().collect();
    let id: BTreeMap<&String, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let successors: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            edges[*n]
                .iter()
                .filter_map(|t| id.get(t).copied())
                .collect()
        })
        .collect();
    let count = nodes.len();
    let mut index = vec![usize::MAX; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; count];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..count {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, position in its successor list)
        let mut work = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut position)) = work.last_mut() {
            if let Some(&next) = successors[node].get(*position) {
                *position += 1;
                if index[next] == usize::MAX {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    nodes
        .iter()
        .enumerate()
        .map(|(i, n)| ((*n).clone(), component[i]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(n, ts)| (n.to_string(), ts.iter().map(|t| t.to_string()).collect()))
            .collect()
    }

    #[test]
    fn cycles_share_a_component_and_chains_do_not() {
        let edges = graph(&[
            ("A", &["B"]),
            ("B", &["C"]),
            ("C", &["A"]),
            ("D", &["A"]),
            ("E", &["E"]),
            ("F", &[]),
        ]);
        let c = components(&edges);
        assert_eq!(c["A"], c["B"]);
        assert_eq!(c["B"], c["C"]);
        assert_ne!(c["D"], c["A"]);
        assert_ne!(c["E"], c["F"]);
        assert_ne!(c["F"], c["A"]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 100_000;
        let mut edges: BTreeMap<String, Vec<String>> = (0..n)
            .map(|i| (format!("T{i}"), vec![format!("T{}", i + 1)]))
            .collect();
        edges.insert(format!("T{n}"), vec!["T0".to_owned()]);
        let c = components(&edges);
        assert_eq!(c["T0"], c[&format!("T{n}")]);
    }
}
