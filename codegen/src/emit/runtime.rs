//! The shared runtime crate (`codegen/runtime`), as files: its version,
//! which every generated `Cargo.toml` asks for, and its sources, which
//! `cargo xtask generate --runtime vendor` copies into a standalone crate.
//!
//! The runtime is ordinary Rust in a crate of its own, built and tested by
//! the workspace; the generator only needs to know where it is.

/// The runtime's manifest, as it is copied when vendoring.
const MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// The name of the runtime package, as generated crates depend on it.
pub const PACKAGE: &str = "google-api-runtime";

/// File name and contents of each runtime source file, in name order.
const SOURCES: &[(&str, &str)] = &[
    ("adc.rs", include_str!("../../runtime/src/adc.rs")),
    ("auth.rs", include_str!("../../runtime/src/auth.rs")),
    ("bytes.rs", include_str!("../../runtime/src/bytes.rs")),
    ("calls.rs", include_str!("../../runtime/src/calls.rs")),
    ("client.rs", include_str!("../../runtime/src/client.rs")),
    ("consent.rs", include_str!("../../runtime/src/consent.rs")),
    ("date.rs", include_str!("../../runtime/src/date.rs")),
    ("dispatch.rs", include_str!("../../runtime/src/dispatch.rs")),
    ("duration.rs", include_str!("../../runtime/src/duration.rs")),
    ("enums.rs", include_str!("../../runtime/src/enums.rs")),
    ("error.rs", include_str!("../../runtime/src/error.rs")),
    ("fake.rs", include_str!("../../runtime/src/fake.rs")),
    (
        "field_mask.rs",
        include_str!("../../runtime/src/field_mask.rs"),
    ),
    ("form.rs", include_str!("../../runtime/src/form.rs")),
    ("lib.rs", include_str!("../../runtime/src/lib.rs")),
    ("lro.rs", include_str!("../../runtime/src/lro.rs")),
    ("media.rs", include_str!("../../runtime/src/media.rs")),
    ("oauth.rs", include_str!("../../runtime/src/oauth.rs")),
    ("object.rs", include_str!("../../runtime/src/object.rs")),
    ("pages.rs", include_str!("../../runtime/src/pages.rs")),
    ("path.rs", include_str!("../../runtime/src/path.rs")),
    ("query.rs", include_str!("../../runtime/src/query.rs")),
    (
        "refresh_token.rs",
        include_str!("../../runtime/src/refresh_token.rs"),
    ),
    ("retry.rs", include_str!("../../runtime/src/retry.rs")),
    ("rpc.rs", include_str!("../../runtime/src/rpc.rs")),
    ("style.rs", include_str!("../../runtime/src/style.rs")),
    (
        "timestamp.rs",
        include_str!("../../runtime/src/timestamp.rs"),
    ),
    (
        "token_cache.rs",
        include_str!("../../runtime/src/token_cache.rs"),
    ),
    (
        "token_endpoint.rs",
        include_str!("../../runtime/src/token_endpoint.rs"),
    ),
    (
        "token_store.rs",
        include_str!("../../runtime/src/token_store.rs"),
    ),
    (
        "transport.rs",
        include_str!("../../runtime/src/transport.rs"),
    ),
    (
        "upload_session.rs",
        include_str!("../../runtime/src/upload_session.rs"),
    ),
    ("wire.rs", include_str!("../../runtime/src/wire.rs")),
];

/// The runtime's version, read from its manifest.
pub fn version() -> &'static str {
    MANIFEST
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("the runtime's manifest has a version line")
}

/// The requirement generated crates state: the runtime's major and minor
/// version (`0.1`), which Cargo reads as "compatible with".
pub fn version_requirement() -> String {
    let version = version();
    let mut parts = version.split('.');
    match (parts.next(), parts.next()) {
        (Some(major), Some(minor)) => format!("{major}.{minor}"),
        _ => version.to_owned(),
    }
}

/// The runtime crate as files, paths relative to its folder: the manifest
/// and `src/*.rs`. A vendored copy is these, written under the generated
/// crate (see [`crate::CrateSettings::runtime_path`]).
pub fn files() -> Vec<(String, &'static str)> {
    let mut files = vec![("Cargo.toml".to_owned(), MANIFEST)];
    files.extend(
        SOURCES
            .iter()
            .map(|(name, source)| (format!("src/{name}"), *source)),
    );
    files
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_version_is_read_from_the_manifest() {
        assert!(
            super::version().split('.').count() == 3,
            "{}",
            super::version()
        );
        assert!(super::version().starts_with(&super::version_requirement()));
    }

    #[test]
    fn every_runtime_source_is_listed() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".rs"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = super::SOURCES.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            on_disk, listed,
            "codegen/src/emit/runtime.rs lists the runtime's files"
        );
    }
}
