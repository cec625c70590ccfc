//! The `adc` and `user-consent` features as every generated crate declares
//! them: forwarded to the shared runtime, where they are off by default and
//! turn on optional dependencies only, with the runtime modules and the
//! re-exports behind them. (Whether they compile is `tests/compile.rs`, with
//! `--all-features`; whether they work is `generated/tests/adc.rs` and
//! `generated/tests/user_consent.rs`.)

mod common;

/// The lines of `section` (such as `[features]`) of `manifest`, up to the
/// next section.
fn section<'a>(manifest: &'a str, name: &str) -> Vec<&'a str> {
    let start = manifest
        .find(&format!("\n{name}\n"))
        .unwrap_or_else(|| panic!("no {name}"));
    manifest[start + name.len() + 2..]
        .lines()
        .take_while(|line| !line.starts_with('['))
        .collect()
}

fn line<'a>(lines: &[&'a str], key: &str) -> Option<&'a str> {
    lines
        .iter()
        .copied()
        .find(|l| l.starts_with(&format!("{key} = ")))
}

fn runtime_file(path: &str) -> String {
    std::fs::read_to_string(common::repository_root().join("codegen/runtime").join(path)).unwrap()
}

#[test]
fn the_features_are_forwarded_and_off_by_default() {
    let files = common::generate_fixture("media");
    let manifest = &files["Cargo.toml"];
    let features = section(manifest, "[features]");
    assert_eq!(
        line(&features, "adc"),
        Some(r#"adc = ["google-api-runtime/adc"]"#)
    );
    assert_eq!(
        line(&features, "user-consent"),
        Some(r#"user-consent = ["google-api-runtime/user-consent"]"#)
    );
    assert_eq!(
        line(&features, "default"),
        Some(r#"default = ["rustls-ring", "all-resources"]"#)
    );
    // A generated crate's own dependencies are the runtime and what its
    // models derive with; nothing else.
    let dependencies = section(manifest, "[dependencies]");
    let names: Vec<&str> = dependencies
        .iter()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split(" = ").next().unwrap())
        .collect();
    assert_eq!(names, ["google-api-runtime", "serde", "serde_json"]);

    // In the runtime: optional dependencies only, off by default.
    let runtime = runtime_file("Cargo.toml");
    let runtime_features = section(&runtime, "[features]");
    assert_eq!(
        line(&runtime_features, "adc"),
        Some(r#"adc = ["yup-oauth2", "tokio/sync"]"#)
    );
    assert_eq!(
        line(&runtime_features, "user-consent"),
        Some(
            r#"user-consent = ["dep:ring", "tokio/io-util", "tokio/net", "tokio/rt", "tokio/sync"]"#
        )
    );
    assert_eq!(
        line(&runtime_features, "default"),
        Some(r#"default = ["rustls-ring"]"#)
    );
    let runtime_dependencies = section(&runtime, "[dependencies]");
    let ring = line(&runtime_dependencies, "ring").expect("ring is listed");
    assert!(ring.contains("optional = true"), "{ring}");
    assert!(ring.contains("default-features = false"), "{ring}");
}

#[test]
fn the_runtime_modules_and_reexports_are_behind_the_features() {
    let modules = runtime_file("src/lib.rs");
    for (feature, module) in [
        ("feature = \"adc\"", "pub mod adc;"),
        ("feature = \"user-consent\"", "pub mod consent;"),
        ("feature = \"user-consent\"", "pub mod token_store;"),
        (
            "any(feature = \"adc\", feature = \"user-consent\")",
            "pub mod refresh_token;",
        ),
        ("feature = \"adc\"", "pub use adc::{"),
        ("feature = \"user-consent\"", "pub use consent::{"),
        ("feature = \"user-consent\"", "pub use token_store::{"),
    ] {
        assert!(
            modules.contains(&format!("#[cfg({feature})]\n{module}")),
            "{module} is not behind {feature}"
        );
    }
    let files = common::generate_fixture("media");
    let lib = &files["src/lib.rs"];
    for (feature, item) in [
        (
            "feature = \"adc\"",
            "pub use runtime::{AdcSource, AdcSources, ApplicationDefaultCredentials, CredentialKind};",
        ),
        (
            "feature = \"user-consent\"",
            "pub use runtime::{InstalledFlow, PendingConsent, Pkce, WebConsent, WebFlow};",
        ),
        (
            "feature = \"user-consent\"",
            "pub use runtime::{FileTokenStore, MemoryTokenStore, StoredToken, TokenStore};",
        ),
        (
            "any(feature = \"adc\", feature = \"user-consent\")",
            "pub use runtime::{OAuthClient, RefreshTokenProvider};",
        ),
    ] {
        let at = lib
            .find(item)
            .unwrap_or_else(|| panic!("lib.rs lacks {item}"));
        assert!(
            lib[..at]
                .trim_end()
                .ends_with(&format!("#[cfg({feature})]")),
            "{item} is not behind {feature}"
        );
    }
}

#[test]
fn the_checked_features_are_every_feature_but_native_tls_and_the_default() {
    let files = common::generate_fixture("media");
    // Up to the resources' features, which every build may choose.
    let mut declared: Vec<&str> = section(&files["Cargo.toml"], "[features]")
        .iter()
        .take_while(|l| !l.starts_with("all-resources = "))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split(" = ").next().unwrap())
        .filter(|name| !["default", "rustls-ring", "native-tls"].contains(name))
        .collect();
    declared.sort();
    assert_eq!(declared, codegen::CHECKED_FEATURES);
}
