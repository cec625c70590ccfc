//! `Cargo.toml` of the generated crate, written as text: its dependencies
//! are the runtime's, its dev-dependencies come from the crate's settings.

use crate::ir::Api;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Dependencies every generated crate has, in name order, with the reason
/// each is worth its compile time to every user.
const DEPENDENCIES: &[(&str, &str)] = &[
    // Chunks of downloads and uploads without copies. Already built for
    // reqwest, so it costs no compile time.
    ("bytes", r#""1""#),
    // The `Stream` trait, for pages and downloads. Already built for
    // reqwest, so it costs no compile time.
    (
        "futures-core",
        r#"{ version = "0.3", default-features = false }"#,
    ),
    // HTTP/1.1 and HTTP/2 with rustls: no OpenSSL to install, Google's
    // endpoints speak HTTP/2. No charset or proxy-discovery features: the
    // bodies are UTF-8 JSON.
    (
        "reqwest",
        r#"{ version = "0.13", default-features = false, features = ["rustls", "http2"] }"#,
    ),
    // Derives for the models.
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    // The wire format.
    ("serde_json", r#""1""#),
    // Sleeps between retries and per-attempt/overall timeouts. reqwest
    // already builds tokio with `time`, so it costs no compile time.
    (
        "tokio",
        r#"{ version = "1", default-features = false, features = ["time"] }"#,
    ),
    // Spans per call and per attempt. Already built for reqwest (through
    // h2) with exactly these features; no `attributes`, so no proc macro.
    (
        "tracing",
        r#"{ version = "0.1", default-features = false, features = ["std"] }"#,
    ),
];

/// Optional dependencies, in name order, each behind the feature named in
/// [`emit`]'s `[features]` table. Real OAuth is opt-in: most applications
/// already have tokens, and minting them costs compile time (measured in
/// the README) that only those who mint should pay.
const OPTIONAL_DEPENDENCIES: &[(&str, &str)] = &[
    // `user-consent`: SHA-256 for PKCE challenges and a CSPRNG for PKCE
    // verifiers and `state`. It is the crypto provider reqwest's rustls
    // already builds (these features are a subset of those rustls asks
    // for), so it costs no compile time; `sha2` (which only codegen
    // builds) and `getrandom` would be new crates for the same. Base64url
    // is the runtime's own base64 (`bytes.rs`), not a `base64` crate.
    (
        "aws-lc-rs",
        r#"{ version = "1", default-features = false, features = ["aws-lc-sys"], optional = true }"#,
    ),
    // Only to name the connector bound of any yup-oauth2 `Authenticator`
    // (`Connect`); yup-oauth2 and reqwest already build it.
    (
        "hyper-util",
        r#"{ version = "0.1", default-features = false, features = ["client-legacy"], optional = true }"#,
    ),
    // The service-account flow (a signed JWT, RS256) and yup-oauth2's
    // HTTPS client on rustls with aws-lc-rs: the TLS stack and crypto
    // provider reqwest already builds. Not `ring` (a second provider), not
    // the default features (which are `ring`).
    (
        "yup-oauth2",
        r#"{ version = "12", default-features = false, features = ["service-account", "hyper-rustls", "aws-lc-rs"], optional = true }"#,
    ),
];

/// Settings of the crate being generated that the spec does not decide.
#[derive(Clone, Debug)]
pub struct CrateSettings {
    /// The package name, such as `google-dataportability-v1`.
    pub crate_name: String,
    /// The package version.
    pub version: String,
    /// The spec file as it should appear in headers, such as `specs/dataportability.v1.json`.
    pub spec_file: String,
    /// The hex sha256 of the spec's bytes.
    pub spec_sha256: String,
    /// Where the spec came from, for the record.
    pub source: String,
    /// The command that regenerates the crate, named in every header.
    pub command: String,
    /// Dev-dependencies for the crate's hand-written tests.
    pub dev_dependencies: BTreeMap<String, Dependency>,
    /// Features of the crate itself that its hand-written tests need. They
    /// become a dev-dependency of the crate on itself, so `cargo test`
    /// turns them on while builds for dependents leave them off.
    pub test_features: Vec<String>,
    /// Whether the crate is its own workspace (an empty `[workspace]`
    /// table), so it builds wherever it is written, even inside another
    /// workspace's folder. Crates that are members of a workspace say `false`.
    pub standalone: bool,
}

/// A dependency line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    /// The version requirement.
    pub version: String,
    /// Features to enable.
    pub features: Vec<String>,
    /// Whether default features stay on.
    pub default_features: bool,
}

/// The manifest text.
pub fn emit(api: &Api, settings: &CrateSettings) -> String {
    let mut out = String::new();
    let description = format!(
        "Generated async client for the {} ({}).",
        api.title, api.version
    );
    // `write!` to a String cannot fail. A TOML comment may hold no control
    // character, and a newline would end it: the caller's file name is
    // escaped (it is quoted in full in `[package.metadata.codegen]`).
    let _ = writeln!(
        out,
        "# @generated by `{}` from {}. Do not edit.",
        super::docs::header_text(&settings.command),
        super::docs::header_text(&settings.spec_file)
    );
    let _ = writeln!(out, "[package]");
    let _ = writeln!(out, "name = {}", toml_string(&settings.crate_name));
    let _ = writeln!(out, "version = {}", toml_string(&settings.version));
    let _ = writeln!(out, "edition = \"2024\"");
    let _ = writeln!(out, "rust-version = \"1.85\"");
    let _ = writeln!(out, "description = {}", toml_string(&description));
    let _ = writeln!(out, "publish = false");
    let _ = writeln!(out);
    let _ = writeln!(out, "# The spec this crate was generated from.");
    let _ = writeln!(out, "[package.metadata.codegen]");
    let _ = writeln!(out, "spec = {}", toml_string(&settings.spec_file));
    let _ = writeln!(out, "spec-revision = {}", toml_string(&api.revision));
    let _ = writeln!(out, "spec-sha256 = {}", toml_string(&settings.spec_sha256));
    let _ = writeln!(out, "source = {}", toml_string(&settings.source));
    let _ = writeln!(out);
    let _ = writeln!(out, "[dependencies]");
    for (name, spec) in DEPENDENCIES {
        let _ = writeln!(out, "{name} = {spec}");
    }
    for (name, spec) in OPTIONAL_DEPENDENCIES {
        let _ = writeln!(out, "{name} = {spec}");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "[features]");
    let _ = writeln!(
        out,
        "# Calls by method id with JSON parameters, for tools and conformance tests."
    );
    let _ = writeln!(out, "dispatch = []");
    let _ = writeln!(
        out,
        "# `YupTokenProvider`: OAuth tokens minted by yup-oauth2 (a service-account\n\
         # key, or any yup-oauth2 authenticator) for the scopes the application chose.\n\
         # Off by default: applications that bring their own tokens need not build it."
    );
    let _ = writeln!(out, "yup-oauth2 = [\"dep:yup-oauth2\", \"dep:hyper-util\"]");
    let _ = writeln!(
        out,
        "# `ApplicationDefaultCredentials`: GOOGLE_APPLICATION_CREDENTIALS, gcloud's\n\
         # file or the metadata server. Service-account keys are signed by yup-oauth2;\n\
         # refresh tokens and the metadata server are plain HTTP over reqwest."
    );
    let _ = writeln!(out, "adc = [\"yup-oauth2\", \"tokio/sync\"]");
    let _ = writeln!(
        out,
        "# A user's consent: the installed-application (loopback) and web-server\n\
         # flows with PKCE, refresh-token providers and stores. The tokio features\n\
         # are ones reqwest already builds."
    );
    let _ = writeln!(
        out,
        "user-consent = [\"dep:aws-lc-rs\", \"tokio/io-util\", \"tokio/net\", \"tokio/rt\", \"tokio/sync\"]"
    );
    if settings.standalone {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "# Its own workspace: it builds wherever it is written."
        );
        let _ = writeln!(out, "[workspace]");
    }
    if !settings.dev_dependencies.is_empty() || !settings.test_features.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "[dev-dependencies]");
        if !settings.test_features.is_empty() {
            let features: Vec<String> = settings
                .test_features
                .iter()
                .map(|f| toml_string(f))
                .collect();
            let _ = writeln!(
                out,
                "# The crate itself with the features its tests need: on for `cargo test`,\n\
                 # off for builds of dependents."
            );
            let _ = writeln!(
                out,
                "{} = {{ path = \".\", features = [{}] }}",
                settings.crate_name,
                features.join(", ")
            );
        }
        for (name, dependency) in &settings.dev_dependencies {
            let _ = writeln!(out, "{name} = {}", dependency_value(dependency));
        }
    }
    out
}

fn dependency_value(dependency: &Dependency) -> String {
    if dependency.features.is_empty() && dependency.default_features {
        return toml_string(&dependency.version);
    }
    let mut parts = vec![format!("version = {}", toml_string(&dependency.version))];
    if !dependency.default_features {
        parts.push("default-features = false".to_owned());
    }
    if !dependency.features.is_empty() {
        let features: Vec<String> = dependency.features.iter().map(|f| toml_string(f)).collect();
        parts.push(format!("features = [{}]", features.join(", ")));
    }
    format!("{{ {} }}", parts.join(", "))
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(toml_string("a\"b\\c\nd\u{1}"), r#""a\"b\\c\nd\u0001""#);
    }

    #[test]
    fn dependencies_render_compactly() {
        let plain = Dependency {
            version: "1".into(),
            features: vec![],
            default_features: true,
        };
        assert_eq!(dependency_value(&plain), "\"1\"");
        let detailed = Dependency {
            version: "1".into(),
            features: vec!["macros".into(), "rt".into()],
            default_features: false,
        };
        assert_eq!(
            dependency_value(&detailed),
            r#"{ version = "1", default-features = false, features = ["macros", "rt"] }"#
        );
    }
}
