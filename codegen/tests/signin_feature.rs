//! The `adc` and `user-consent` features as every generated crate declares
//! them: off by default, optional dependencies only, the runtime modules and
//! re-exports behind them. (Whether they compile is `tests/compile.rs`, with
//! `--all-features`; whether they work is `generated/tests/adc.rs` and
//! `generated/tests/user_consent.rs`.)

mod common;

use codegen::Files;

/// The lines of `section` (such as `[features]`) up to the next section.
fn section<'a>(files: &'a Files, name: &str) -> Vec<&'a str> {
    let manifest = &files["Cargo.toml"];
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

#[test]
fn the_features_are_declared_and_off_by_default() {
    let files = common::generate_fixture("media");
    let features = section(&files, "[features]");
    assert_eq!(
        line(&features, "adc"),
        Some(r#"adc = ["yup-oauth2", "tokio/sync"]"#)
    );
    assert_eq!(
        line(&features, "user-consent"),
        Some(
            r#"user-consent = ["dep:aws-lc-rs", "tokio/io-util", "tokio/net", "tokio/rt", "tokio/sync"]"#
        )
    );
    assert_eq!(line(&features, "default"), None);

    // The default build's dependencies are the same seven; everything
    // else is optional.
    let dependencies = section(&files, "[dependencies]");
    let required: Vec<&str> = dependencies
        .iter()
        .filter(|l| !l.is_empty() && !l.contains("optional = true"))
        .map(|l| l.split(" = ").next().unwrap())
        .collect();
    assert_eq!(
        required,
        [
            "bytes",
            "futures-core",
            "reqwest",
            "serde",
            "serde_json",
            "tokio",
            "tracing"
        ]
    );
    let aws = line(&dependencies, "aws-lc-rs").expect("aws-lc-rs is listed");
    assert!(aws.contains("default-features = false"), "{aws}");
    assert!(aws.contains("optional = true"), "{aws}");
}

#[test]
fn the_runtime_modules_and_reexports_are_behind_the_features() {
    let files = common::generate_fixture("media");
    let modules = &files["src/runtime/mod.rs"];
    for (feature, module) in [
        ("feature = \"adc\"", "pub mod adc;"),
        ("feature = \"user-consent\"", "pub mod consent;"),
        ("feature = \"user-consent\"", "pub mod token_store;"),
        (
            "any(feature = \"adc\", feature = \"user-consent\")",
            "pub mod refresh_token;",
        ),
    ] {
        assert!(
            modules.contains(&format!("#[cfg({feature})]\n{module}")),
            "{module} is not behind {feature}"
        );
    }
    // The runtime stays generic: of the crate it names only `Scope`.
    for file in [
        "adc.rs",
        "consent.rs",
        "refresh_token.rs",
        "token_cache.rs",
        "token_endpoint.rs",
        "token_store.rs",
    ] {
        let text = &files[format!("src/runtime/{file}").as_str()];
        for (at, _) in text.match_indices("crate::") {
            assert!(
                text[at..].starts_with("crate::Scope"),
                "{file} names {}",
                &text[at..at + 30]
            );
        }
    }
    let lib = &files["src/lib.rs"];
    for (feature, item) in [
        (
            "adc",
            "pub use runtime::adc::ApplicationDefaultCredentials;",
        ),
        (
            "adc",
            "pub use runtime::adc::{AdcSource, AdcSources, CredentialKind};",
        ),
        (
            "user-consent",
            "pub use runtime::consent::{InstalledFlow, PendingConsent, Pkce, WebConsent, WebFlow};",
        ),
        (
            "user-consent",
            "pub use runtime::token_store::{FileTokenStore, MemoryTokenStore};",
        ),
        (
            "user-consent",
            "pub use runtime::token_store::{StoredToken, TokenStore};",
        ),
    ] {
        let at = lib
            .find(item)
            .unwrap_or_else(|| panic!("lib.rs lacks {item}"));
        assert!(
            lib[..at]
                .trim_end()
                .ends_with(&format!("#[cfg(feature = \"{feature}\")]")),
            "{item} is not behind {feature}"
        );
    }
    let shared = "pub use runtime::refresh_token::{OAuthClient, RefreshTokenProvider};";
    let at = lib.find(shared).expect("the shared types are exported");
    assert!(
        lib[..at]
            .trim_end()
            .ends_with("#[cfg(any(feature = \"adc\", feature = \"user-consent\"))]")
    );
}
