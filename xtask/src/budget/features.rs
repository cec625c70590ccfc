//! The features of a generated crate: which it declares (read off its
//! `Cargo.toml`), which a measured build turns on, and how its dependents
//! ask for them.
//!
//! A generated crate has TLS features (one of `rustls-ring`, the default,
//! `rustls-aws-lc-rs`, `native-tls`), optional parts (`dispatch`, `fake`,
//! sign-in) and, once emitted, one feature per top-level resource named
//! after the resource's module (`projects`). A build of some features turns
//! the default off and names them, adding `rustls-ring` when they name no
//! TLS feature, so a one-resource build is
//! `default-features = false, features = ["rustls-ring", "projects"]`.

use codegen::ir::Api;

/// The TLS features, one of which a build picks.
pub const TLS: &[&str] = &["rustls-ring", "rustls-aws-lc-rs", "native-tls"];

/// The feature of a generated crate that turns on every resource; its
/// default features include it.
pub const ALL_RESOURCES: &str = "all-resources";

/// The default TLS feature, added to builds that name none.
pub const DEFAULT_TLS: &str = "rustls-ring";

/// What a build of a generated crate turns on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// The crate's default features.
    Default,
    /// These features, without the default ones (TLS added when none is named).
    Only(Vec<String>),
}

impl Selection {
    /// `default` (or nothing) is the default features; anything else a
    /// comma-separated list of features.
    pub fn parse(text: &str) -> Result<Selection, String> {
        let text = text.trim();
        if text.is_empty() || text == "default" {
            return Ok(Selection::Default);
        }
        let mut features = Vec::new();
        for feature in text.split(',').map(str::trim) {
            if feature.is_empty()
                || !feature
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(format!("`{feature}` in `{text}` is not a feature name"));
            }
            if !features.iter().any(|f| f == feature) {
                features.push(feature.to_owned());
            }
        }
        Ok(Selection::Only(features))
    }

    /// The features as cargo gets them: none for the default, else the
    /// named ones with `rustls-ring` first when they name no TLS feature.
    pub fn features(&self) -> Vec<String> {
        match self {
            Selection::Default => Vec::new(),
            Selection::Only(named) => {
                let mut features = Vec::new();
                if !named.iter().any(|f| TLS.contains(&f.as_str())) {
                    features.push(DEFAULT_TLS.to_owned());
                }
                features.extend(named.iter().cloned());
                features
            }
        }
    }

    /// How reports name it: `default features` or `features a, b`.
    pub fn label(&self) -> String {
        match self {
            Selection::Default => "default features".to_owned(),
            Selection::Only(_) => format!("features {}", self.features().join(",")),
        }
    }

    /// A tag fit for folder and package names (letters, digits, `-`,
    /// `_`): `default` or the features joined by `_`.
    pub fn tag(&self) -> String {
        match self {
            Selection::Default => "default".to_owned(),
            Selection::Only(_) => self.features().join("_"),
        }
    }

    /// Whether a build of this selection turns `feature` on, as a
    /// resource's feature is: by name, or through `all-resources`, which
    /// the default features include.
    pub fn enables(&self, feature: &str) -> bool {
        match self {
            Selection::Default => true,
            Selection::Only(named) => named.iter().any(|f| f == feature || f == ALL_RESOURCES),
        }
    }

    /// The names it uses that `declared` lacks.
    pub fn missing(&self, declared: &[String]) -> Vec<String> {
        self.features()
            .into_iter()
            .filter(|f| !declared.contains(f))
            .collect()
    }

    /// The dependency line of a binary on crate `name` at `path` with these
    /// features.
    pub fn dependency_line(&self, name: &str, path: &str) -> String {
        match self {
            Selection::Default => format!("{name} = {{ path = {path:?} }}"),
            Selection::Only(_) => format!(
                "{name} = {{ path = {path:?}, default-features = false, features = [{}] }}",
                self.features()
                    .iter()
                    .map(|f| format!("{f:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// The features a `Cargo.toml` declares in its `[features]` table (keys
/// only; `default` included), in file order.
pub fn declared(manifest: &str) -> Vec<String> {
    let mut in_features = false;
    let mut names = Vec::new();
    for line in manifest.lines() {
        let line = line.trim_end();
        if line.starts_with('[') && !line.starts_with("[\"") {
            in_features = line == "[features]";
            continue;
        }
        if !in_features || line.starts_with(char::is_whitespace) {
            continue;
        }
        if let Some((key, _)) = line.split_once('=') {
            let key = key.trim().trim_matches('"');
            if !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                names.push(key.to_owned());
            }
        }
    }
    names
}

/// Every declared feature a check of the whole crate turns on: all but
/// `default` and the TLS alternatives to `rustls-ring` (`native-tls` needs
/// OpenSSL's headers, `rustls-aws-lc-rs` builds a C library: neither is
/// the crate's own code). Resource features, once emitted, are among them.
pub fn all_but_tls_alternatives(declared: &[String]) -> Vec<String> {
    declared
        .iter()
        .filter(|f| *f != "default" && (!TLS.contains(&f.as_str()) || *f == DEFAULT_TLS))
        .cloned()
        .collect()
}

/// The declared features that are top-level resources of `api` (named as
/// the generator names them: [`codegen::resource_feature_names`]), each
/// with its number of methods (nested resources' included), most methods
/// first.
pub fn resource_features(declared: &[String], api: &Api) -> Vec<(String, usize)> {
    let mut found: Vec<(String, usize)> = codegen::resource_feature_names(api)
        .into_iter()
        .zip(&api.resources)
        .filter(|(name, _)| declared.contains(name))
        .map(|(name, resource)| (name, method_count(resource)))
        .collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    found
}

/// Whether a build of `selection` compiles each top-level resource of
/// `api` (in its order): those without a declared feature always, the
/// others when the selection turns their feature on.
pub fn compiled_resources(api: &Api, declared: &[String], selection: &Selection) -> Vec<bool> {
    codegen::resource_feature_names(api)
        .iter()
        .map(|feature| !declared.contains(feature) || selection.enables(feature))
        .collect()
}

fn method_count(resource: &codegen::ir::Resource) -> usize {
    resource.methods.len() + resource.resources.iter().map(method_count).sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "[package]\nname = \"google-x-v1\"\n\n[dependencies]\nserde = \"1\"\n\n\
        [features]\ndefault = [\"rustls-ring\"]\n# TLS\nrustls-ring = [\"google-api-runtime/rustls-ring\"]\n\
        rustls-aws-lc-rs = [\"google-api-runtime/rustls-aws-lc-rs\"]\nnative-tls = []\n\
        dispatch = [\n    \"google-api-runtime/dispatch\",\n]\nprojects = []\n\n[workspace]\n";

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn declared_features_are_the_keys_of_the_features_table() {
        assert_eq!(
            declared(MANIFEST),
            strings(&[
                "default",
                "rustls-ring",
                "rustls-aws-lc-rs",
                "native-tls",
                "dispatch",
                "projects"
            ])
        );
        assert!(declared("[package]\nname = \"x\"\n").is_empty());
    }

    #[test]
    fn a_whole_check_leaves_out_the_tls_alternatives_only() {
        assert_eq!(
            all_but_tls_alternatives(&declared(MANIFEST)),
            strings(&["rustls-ring", "dispatch", "projects"])
        );
    }

    #[test]
    fn a_selection_adds_the_default_tls_unless_it_names_one() {
        assert_eq!(Selection::parse("").unwrap(), Selection::Default);
        assert_eq!(Selection::parse("default").unwrap(), Selection::Default);
        let one = Selection::parse("projects").unwrap();
        assert_eq!(one.features(), strings(&["rustls-ring", "projects"]));
        assert_eq!(one.label(), "features rustls-ring,projects");
        assert_eq!(one.tag(), "rustls-ring_projects");
        assert_eq!(
            one.dependency_line("google-x-v1", "../x"),
            "google-x-v1 = { path = \"../x\", default-features = false, features = [\"rustls-ring\", \"projects\"] }"
        );
        let tls = Selection::parse("native-tls, projects,projects").unwrap();
        assert_eq!(tls.features(), strings(&["native-tls", "projects"]));
        assert_eq!(
            Selection::Default.dependency_line("google-x-v1", "../x"),
            "google-x-v1 = { path = \"../x\" }"
        );
        assert!(Selection::parse("a,,b").is_err());
        assert!(Selection::parse("a b").is_err());
    }

    #[test]
    fn the_default_and_all_resources_turn_every_resource_on() {
        // The default features include `all-resources`: a default build
        // compiles every resource (the budget's call was once looked for
        // among none of them, and Drive had no call to make).
        assert!(Selection::Default.enables("files"));
        let all = Selection::parse("all-resources").unwrap();
        assert!(all.enables("files") && all.enables("about"));
        let one = Selection::parse("files").unwrap();
        assert!(one.enables("files"));
        assert!(!one.enables("about"));
        assert!(!one.enables("rustls-aws-lc-rs"));
    }

    #[test]
    fn missing_features_are_named() {
        let declared = declared(MANIFEST);
        assert!(
            Selection::parse("projects")
                .unwrap()
                .missing(&declared)
                .is_empty()
        );
        assert_eq!(
            Selection::parse("locations").unwrap().missing(&declared),
            strings(&["locations"])
        );
    }
}
