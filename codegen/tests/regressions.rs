//! The generator's promise, checked on every document of
//! `tests/regressions/` (hand-made for each defect a hostile document once
//! found, and minimized failures the fuzzer drops there): generating is
//! `Ok`, or an error naming the file and a JSON path (or line), and never
//! a panic. Every accepted document's crate is built under
//! `clippy -D warnings` by `tests/compile.rs`, so "accepted" means "compiles".
//!
//! Each document is generated under a file name with control characters
//! in it (`common::regression_spec_file`), as a caller may pass any name.

mod common;

use std::path::Path;

/// Generates `path`, turning a panic into a message.
fn outcome(path: &Path) -> Result<Result<codegen::Files, codegen::Error>, String> {
    std::panic::catch_unwind(|| common::generate_regression(path)).map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

/// Why an error does not keep the promise, if it does not: it must name
/// the spec file (with a line, for some) and a JSON path, and not be an
/// internal error (emitted code that does not parse is a generator bug).
fn broken_promise(spec_file: &str, error: &codegen::Error) -> Option<String> {
    if let codegen::Error::Emit { .. } = error {
        return Some(format!("an internal error: {error}"));
    }
    let message = error.to_string();
    let Some(rest) = message.strip_prefix(spec_file) else {
        return Some(format!("does not start with the file name: {message}"));
    };
    // `FILE: at `PATH`: ...` or `FILE:LINE: at `PATH`: ...`
    let rest = rest.trim_start_matches(|c: char| c == ':' || c.is_ascii_digit());
    if !rest.starts_with(" at `") {
        return Some(format!("names no JSON path: {message}"));
    }
    None
}

#[test]
fn every_document_generates_or_is_an_error_naming_file_and_path() {
    let files = common::regression_files();
    assert!(!files.is_empty(), "the regressions folder has documents");
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match outcome(path) {
            Err(panic) => failures.push(format!("{name}: panicked: {panic}")),
            Ok(Err(error)) => {
                let spec_file = common::regression_spec_file(path);
                if let Some(why) = broken_promise(&spec_file, &error) {
                    failures.push(format!("{name}: {why}"));
                }
            }
            Ok(Ok(_)) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What the README's list of limits promises for each defect: refused
/// with an error at this path saying this, or accepted (and then built
/// by the compile test).
const CHOICES: &[(&str, Option<(&str, &str)>)] = &[
    (
        "alias-cycle-through-array.json",
        Some((
            "schemas.S",
            "holds itself through lists or maps and no object (`S`)",
        )),
    ),
    (
        "alias-cycle-through-map-and-array.yaml",
        Some((
            "components.schemas.A",
            "holds itself through lists or maps and no object (`A`, `B`)",
        )),
    ),
    ("alias-through-array-of-object.json", None),
    ("bare-cr-in-text.json", None),
    ("bare-cr-in-text.yaml", None),
    ("direction-controls-in-text.json", None),
    (
        "long-property-name.json",
        Some((
            "schemas.Thing.properties",
            "its identifier would be 16384 bytes long, over the limit of 240",
        )),
    ),
    (
        "long-enum-value.yaml",
        Some((
            "components.schemas.Mode.enum",
            "its identifier would be 400 bytes long, over the limit of 240",
        )),
    ),
    ("long-wire-name-short-identifier.json", None),
    ("long-path-literal.json", None),
    (
        "maps-nested-63-deep.json",
        Some((
            "schemas.Deep.properties.m.additionalProperties.additionalProperties",
            "nested more than 32 deep",
        )),
    ),
    ("maps-nested-32-deep.json", None),
    (
        "arrays-nested-33-deep.yaml",
        Some(("components.schemas.Deep.items", "nested more than 32 deep")),
    ),
    (
        "objects-nested-33-deep.json",
        Some((
            "schemas.Deep.properties.o.properties",
            "nested more than 32 deep",
        )),
    ),
    (
        "not-utf8-in-description.json",
        Some((
            "schemas.Thing.properties.name.description",
            "byte 0xE9 at line 16, column 25",
        )),
    ),
    (
        "not-utf8-in-title.yaml",
        Some(("info.title", "byte 0xE9 at line 3, column 13")),
    ),
    ("enum-values-differing-by-separators.json", None),
    ("markdown-that-clippy-lints.json", None),
    (
        "ref-pointer-percent-multibyte.yaml",
        Some((
            "paths./a.get.parameters.0.$ref",
            "does not exist in this document",
        )),
    ),
];

#[test]
fn each_defect_is_refused_or_accepted_as_the_readme_says() {
    let mut failures = Vec::new();
    for (name, expected) in CHOICES {
        let path = common::regressions_dir().join(name);
        match (expected, common::generate_regression(&path)) {
            (None, Ok(_)) => {}
            (None, Err(error)) => failures.push(format!("{name} should generate: {error}")),
            (Some(_), Ok(_)) => failures.push(format!("{name} should be refused")),
            (Some((at, says)), Err(error)) => {
                let message = error.to_string();
                if !(message.contains(&format!(" at `{at}")) && message.contains(says)) {
                    failures.push(format!(
                        "{name}: expected an error at `{at}…` saying {says:?}, got: {message}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_spec_path_with_control_characters_stays_in_its_comments() {
    let path = common::regressions_dir().join("alias-through-array-of-object.json");
    let files = common::generate_regression(&path).unwrap();
    let escaped = "alias-through-array-of-object.json\\n\\r\\t\\u{0}\\u{7f}\\u{202e}";
    for (file, text) in &files {
        let Some(first) = text.lines().next() else {
            continue;
        };
        if file.ends_with(".rs") || file == "Cargo.toml" {
            assert!(
                first.contains("@generated") && first.contains(escaped),
                "{file}: the header holds the escaped name: {first:?}"
            );
        }
        let header_end = text.find('\n').unwrap_or(text.len());
        assert!(
            !text[..header_end].contains(['\r', '\0', '\u{7f}', '\u{202e}']),
            "{file}: no raw control character in the header"
        );
    }
}
