//! The `yup-oauth2` feature as every generated crate declares it: forwarded
//! to the shared runtime, whose optional dependencies have the smallest
//! feature set, the runtime module and re-exports behind it, and test features as a dev-dependency on the crate
//! itself. (Whether it compiles is `tests/compile.rs`, with `--all-features`;
//! whether it works is `generated/tests/oauth.rs`.)

mod common;

use codegen::Files;

/// The line of `section` (such as `[features]`) that starts with `key = `.
fn manifest_line<'a>(files: &'a Files, section: &str, key: &str) -> Option<&'a str> {
    let manifest = &files["Cargo.toml"];
    let start = manifest.find(&format!("\n{section}\n"))?;
    manifest[start + section.len() + 2..]
        .lines()
        .take_while(|line| !line.starts_with('['))
        .find(|line| line.starts_with(&format!("{key} = ")))
}

/// The runtime crate's manifest.
fn runtime_manifest() -> String {
    std::fs::read_to_string(common::repository_root().join("codegen/runtime/Cargo.toml")).unwrap()
}

/// The line of `section` of `manifest` that starts with `key = `.
fn line_of<'a>(manifest: &'a str, section: &str, key: &str) -> Option<&'a str> {
    let start = manifest.find(&format!("\n{section}\n"))?;
    manifest[start + section.len() + 2..]
        .lines()
        .take_while(|line| !line.starts_with('['))
        .find(|line| line.starts_with(&format!("{key} = ")))
}

#[test]
fn the_feature_turns_on_the_runtimes_optional_dependencies_only() {
    let files = common::generate_fixture("media");
    // The generated crate forwards its features to the shared runtime...
    assert_eq!(
        manifest_line(&files, "[features]", "yup-oauth2"),
        Some(r#"yup-oauth2 = ["google-api-runtime/yup-oauth2"]"#)
    );
    // Off by default: the default is the TLS stack and the API's resources.
    assert_eq!(
        manifest_line(&files, "[features]", "default"),
        Some(r#"default = ["rustls-ring", "all-resources"]"#)
    );
    assert_eq!(manifest_line(&files, "[dependencies]", "yup-oauth2"), None);
    // ...whose feature turns on optional dependencies only, off by default.
    let runtime = runtime_manifest();
    assert_eq!(
        line_of(&runtime, "[features]", "yup-oauth2"),
        Some(r#"yup-oauth2 = ["dep:yup-oauth2", "dep:hyper-util"]"#)
    );
    assert_eq!(
        line_of(&runtime, "[features]", "default"),
        Some(r#"default = ["rustls-ring"]"#)
    );
    let yup = line_of(&runtime, "[dependencies]", "yup-oauth2").expect("yup-oauth2 is listed");
    assert!(yup.contains(r#"version = "12""#), "{yup}");
    assert!(yup.contains("default-features = false"), "{yup}");
    // The service-account flow on the default TLS feature's provider, ring.
    assert!(
        yup.contains(r#"features = ["service-account", "hyper-rustls", "ring"]"#),
        "{yup}"
    );
    for name in ["yup-oauth2", "hyper-util"] {
        let line = line_of(&runtime, "[dependencies]", name).unwrap();
        assert!(line.contains("optional = true"), "{line}");
    }
}

#[test]
fn the_runtime_module_and_its_reexports_are_behind_the_feature() {
    let root = common::repository_root().join("codegen/runtime/src");
    let oauth = std::fs::read_to_string(root.join("oauth.rs")).unwrap();
    assert!(oauth.contains("impl TokenProvider for YupTokenProvider"));
    let runtime_lib = std::fs::read_to_string(root.join("lib.rs")).unwrap();
    assert!(runtime_lib.contains("#[cfg(feature = \"yup-oauth2\")]\npub mod oauth;"));
    let files = common::generate_fixture("media");
    let lib = &files["src/lib.rs"];
    for (text, item) in [
        (runtime_lib.as_str(), "pub use oauth::YupTokenProvider;"),
        (runtime_lib.as_str(), "pub use yup_oauth2;"),
        (
            lib.as_str(),
            "pub use runtime::{YupTokenProvider, yup_oauth2};",
        ),
    ] {
        let at = text.find(item).unwrap_or_else(|| panic!("lacks {item}"));
        assert!(
            text[..at]
                .trim_end()
                .ends_with("#[cfg(feature = \"yup-oauth2\")]"),
            "{item} is not behind the feature"
        );
    }
}

#[test]
fn test_features_are_a_dev_dependency_on_the_crate_itself() {
    let spec_file = "codegen/tests/fixtures/media.json";
    let json = std::fs::read_to_string(common::repository_root().join(spec_file)).unwrap();
    let mut settings = common::settings("fixture-media", spec_file);
    let without = codegen::generate(&json, &settings).unwrap();
    assert!(!without["Cargo.toml"].contains("[dev-dependencies]"));

    settings.test_features = vec!["yup-oauth2".to_owned()];
    let with = codegen::generate(&json, &settings).unwrap();
    assert_eq!(
        manifest_line(&with, "[dev-dependencies]", "fixture-media"),
        Some(r#"fixture-media = { path = ".", features = ["yup-oauth2"] }"#)
    );
}
