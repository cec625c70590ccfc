//! Every item the runtime exports at its root, a generated crate exports
//! too (or wraps on purpose): the two lists are written in two places, the
//! runtime's `lib.rs` and the `lib.rs` emitter, and this keeps them one.

mod common;

use std::collections::BTreeSet;

/// Runtime items a generated crate does not re-export as they are: it wraps
/// the client and its builder in its own types, binds `Service` to its API,
/// and offers `CallBuilder` through its `prelude`.
const WRAPPED: &[&str] = &["CallBuilder", "Client", "ClientBuilder", "Service"];

/// Items of the generated crate's `pub use runtime::...` that are not at
/// the runtime's root under a `pub use`: the `BoxFuture` alias and the
/// `fake` module are defined there.
const DEFINED_AT_THE_ROOT: &[&str] = &["BoxFuture", "fake"];

/// The last names of the `pub use` statements of `source` at the start of
/// a line whose path starts with `prefix` (any path when empty), braces
/// expanded: `pub use a::{B, C};` gives `B` and `C`.
fn reexported(source: &str, prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for statement in source.split(';') {
        let Some(used) = statement
            .lines()
            .map(str::trim)
            .skip_while(|line| !line.starts_with("pub use "))
            .collect::<Vec<_>>()
            .join(" ")
            .strip_prefix("pub use ")
            .map(str::to_owned)
        else {
            continue;
        };
        let Some(path) = used.strip_prefix(prefix) else {
            continue;
        };
        match path.split_once('{') {
            Some((_, list)) => names.extend(
                list.trim_end_matches('}')
                    .split(',')
                    .map(str::trim)
                    .filter(|name| !name.is_empty())
                    .map(str::to_owned),
            ),
            None => {
                names.insert(path.rsplit("::").next().unwrap_or(path).trim().to_owned());
            }
        }
    }
    names
}

#[test]
fn the_statements_are_read_as_written() {
    let source = "use std::fmt;\n#[cfg(x)]\npub use a::{B, C};\npub use d::E;\n\
                  pub use yup_oauth2;\n    pub use runtime::{F,\n        G};\n";
    assert_eq!(
        reexported(source, ""),
        ["B", "C", "E", "F", "G", "yup_oauth2"]
            .map(str::to_owned)
            .into()
    );
    assert_eq!(
        reexported(source, "runtime::"),
        ["F", "G"].map(str::to_owned).into()
    );
}

#[test]
fn a_generated_crate_reexports_what_the_runtime_exports() {
    let runtime =
        std::fs::read_to_string(common::repository_root().join("codegen/runtime/src/lib.rs"))
            .unwrap();
    // The fixture with every optional feature (sign-in, yup-oauth2, media).
    let files = common::generate_fixture("media");
    let generated = reexported(&files["src/lib.rs"], "runtime::");
    let exported = reexported(&runtime, "");
    let missing: Vec<_> = exported
        .iter()
        .filter(|name| !generated.contains(*name) && !WRAPPED.contains(&name.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "the runtime exports {missing:?}, which generated crates do not: add them to \
         codegen/src/emit/lib_rs.rs (or to WRAPPED here, saying why)"
    );
    let unknown: Vec<_> = generated
        .iter()
        .filter(|name| !exported.contains(*name) && !DEFINED_AT_THE_ROOT.contains(&name.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "generated crates re-export {unknown:?}, which the runtime's root does not"
    );
}
