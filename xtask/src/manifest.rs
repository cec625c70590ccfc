//! `specs/specs.yaml`: which specs to generate, and how.

use codegen::Dependency;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Where the manifest lives, relative to the repository root.
pub const MANIFEST_PATH: &str = "specs/specs.yaml";

/// The whole manifest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// One entry per generated crate.
    pub specs: Vec<Entry>,
}

/// One spec and the crate made from it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Entry {
    /// The spec, relative to the repository root.
    pub spec: String,
    /// The package name.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// The package version.
    pub version: String,
    /// The output folder, relative to the repository root.
    pub output: String,
    /// Where the spec came from.
    pub source: String,
    /// Dev-dependencies of the generated crate.
    #[serde(default)]
    pub dev_dependencies: BTreeMap<String, DependencySpec>,
    /// Features of the generated crate that its own tests need.
    #[serde(default)]
    pub test_features: Vec<String>,
}

/// A dependency as written in YAML: a version, or a table.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum DependencySpec {
    /// `"1"`
    Version(String),
    /// `{ version, features, default-features }`
    #[serde(rename_all = "kebab-case")]
    Detailed {
        /// The version requirement.
        version: String,
        /// Features to enable.
        #[serde(default)]
        features: Vec<String>,
        /// Whether default features stay on.
        #[serde(default = "yes")]
        default_features: bool,
    },
}

fn yes() -> bool {
    true
}

impl DependencySpec {
    /// The generator's form.
    pub fn to_dependency(&self) -> Dependency {
        match self {
            Self::Version(version) => Dependency {
                version: version.clone(),
                features: Vec::new(),
                default_features: true,
            },
            Self::Detailed {
                version,
                features,
                default_features,
            } => Dependency {
                version: version.clone(),
                features: features.clone(),
                default_features: *default_features,
            },
        }
    }
}

/// A manifest that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file could not be read.
    #[error("{MANIFEST_PATH}: {0}")]
    Read(#[from] std::io::Error),
    /// The YAML is malformed or has unknown keys.
    #[error("{MANIFEST_PATH}: {0}")]
    Yaml(#[from] serde_yaml::Error),
    /// An entry names a path outside the repository or two entries share an output.
    #[error("{MANIFEST_PATH}: entry {index}: {message}")]
    Entry {
        /// The entry's position, from 0.
        index: usize,
        /// What is wrong.
        message: String,
    },
}

impl Manifest {
    /// Reads and checks the manifest under `root`.
    pub fn load(root: &Path) -> Result<Self, ManifestError> {
        let text = std::fs::read_to_string(root.join(MANIFEST_PATH))?;
        Self::parse(&text)
    }

    /// Parses and checks manifest text.
    pub fn parse(text: &str) -> Result<Self, ManifestError> {
        let manifest: Self = serde_yaml::from_str(text)?;
        let mut outputs: BTreeMap<PathBuf, usize> = BTreeMap::new();
        for (index, entry) in manifest.specs.iter().enumerate() {
            for (what, path) in [("spec", &entry.spec), ("output", &entry.output)] {
                if !is_inside_repository(path) {
                    return Err(ManifestError::Entry {
                        index,
                        message: format!(
                            "`{what}: {path}` must be a relative path inside the repository"
                        ),
                    });
                }
            }
            let output = normalized(&entry.output);
            if let Some(owner) = PROTECTED.iter().find(|p| output.starts_with(Path::new(p))) {
                return Err(ManifestError::Entry {
                    index,
                    message: format!("`output: {}` would overwrite `{owner}`", entry.output),
                });
            }
            for (other_path, other) in &outputs {
                if output.starts_with(other_path) || other_path.starts_with(&output) {
                    return Err(ManifestError::Entry {
                        index,
                        message: format!(
                            "`output: {}` overlaps the output of entry {other}",
                            entry.output
                        ),
                    });
                }
            }
            outputs.insert(output, index);
        }
        Ok(manifest)
    }
}

/// Folders of the repository that a generated crate must never replace.
const PROTECTED: &[&str] = &[
    "codegen", "xtask", "specs", "target", ".git", ".cargo", ".ci",
];

/// A relative path with `.` parts and trailing slashes gone, for comparison.
fn normalized(path: &str) -> PathBuf {
    Path::new(path).components().collect()
}

fn is_inside_repository(path: &str) -> bool {
    let path = Path::new(path);
    !path.as_os_str().is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_and_dependencies() {
        let manifest = Manifest::parse(
            "specs:\n  - spec: specs/a.json\n    crate: a\n    version: 0.1.0\n    output: gen/a\n    source: us\n    dev-dependencies:\n      tokio: { version: \"1\", features: [macros] }\n      hyper: \"1\"\n",
        )
        .unwrap();
        let entry = &manifest.specs[0];
        assert_eq!(entry.crate_name, "a");
        assert_eq!(
            entry.dev_dependencies["tokio"].to_dependency().features,
            ["macros"]
        );
        assert_eq!(entry.dev_dependencies["hyper"].to_dependency().version, "1");
        assert!(entry.test_features.is_empty(), "none unless listed");
    }

    #[test]
    fn reads_test_features() {
        let manifest = Manifest::parse(
            "specs:\n  - spec: specs/a.json\n    crate: a\n    version: 0.1.0\n    output: gen/a\n    source: us\n    test-features: [yup-oauth2]\n",
        )
        .unwrap();
        assert_eq!(manifest.specs[0].test_features, ["yup-oauth2"]);
    }

    #[test]
    fn refuses_paths_outside_the_repository_and_shared_outputs() {
        let entry = |spec: &str, output: &str| {
            format!(
                "  - spec: {spec}\n    crate: a\n    version: 0.1.0\n    output: {output}\n    source: us\n"
            )
        };
        for (spec, output) in [
            ("../x.json", "gen"),
            ("specs/a.json", "/tmp/gen"),
            ("specs/a.json", "gen/../.."),
        ] {
            let err = Manifest::parse(&format!("specs:\n{}", entry(spec, output))).unwrap_err();
            assert!(err.to_string().contains("inside the repository"), "{err}");
        }
        for (first, second) in [
            ("gen", "gen"),
            ("gen", "gen/"),
            ("gen", "gen/inner"),
            ("a/b", "a"),
        ] {
            let both = format!(
                "specs:\n{}{}",
                entry("specs/a.json", first),
                entry("specs/b.json", second)
            );
            let err = Manifest::parse(&both).unwrap_err().to_string();
            assert!(
                err.contains("overlaps the output of entry 0"),
                "{first} {second}: {err}"
            );
        }
        for protected in ["codegen", "xtask/", "specs/gen"] {
            let err = Manifest::parse(&format!("specs:\n{}", entry("specs/a.json", protected)))
                .unwrap_err();
            assert!(
                err.to_string().contains("would overwrite"),
                "{protected}: {err}"
            );
        }
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = Manifest::parse("specs:\n  - spec: a\n    crate: a\n    version: 1\n    output: o\n    source: s\n    outptu: x\n").unwrap_err();
        assert!(err.to_string().contains("outptu"), "{err}");
    }
}
