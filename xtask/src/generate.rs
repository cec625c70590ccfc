//! `cargo xtask generate`: a standalone crate from any Discovery document,
//! written into a folder of the user's choice.
//!
//! The crate is its own workspace (`standalone`), so it builds wherever it
//! lands. Writing goes through [`crate::output`], like `regen`: only
//! `Cargo.toml` and `src/` are the generator's, and they are swapped in whole.
//! [`all`] does the same for every document of a folder.

use crate::output::{self, CrateReport, GENERATED_MARKER, WriteError};
use crate::spec::{self, Spec, SpecError};
use codegen::CrateSettings;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub mod all;

/// How a crate written by `generate` gets the shared runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Runtime {
    /// A path dependency on this checkout's `codegen/runtime`: every crate
    /// generated here shares one runtime (one build, one `Error`, one
    /// `TokenProvider`), and a fix to the runtime reaches them all.
    Path,
    /// A copy of the runtime under the crate's `vendor/`: the folder builds
    /// anywhere on its own, at the price of a runtime (and its types) of
    /// its own.
    Vendor,
}

/// The runtime crate's folder in this checkout.
pub fn runtime_dir() -> PathBuf {
    crate::repository_root().join("codegen").join("runtime")
}

/// `to` relative to `from` (both absolute, or both relative to one
/// folder), with `/`; absolute when they share no prefix (another drive).
pub fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return to
            .iter()
            .collect::<PathBuf>()
            .to_string_lossy()
            .replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// The absolute form of `path`, made from the current folder when it is
/// relative (the folder need not exist yet).
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    // Resolve what exists, so `..` and symbolic links compare right.
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize()?;
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// The command named in every generated file's header.
pub const COMMAND: &str = "cargo xtask generate";

/// The version of every generated crate: these crates are not published.
pub const VERSION: &str = "0.1.0";

/// A `generate` failure.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// `--crate-name`, or the name made from the document, is not a
    /// usable package name.
    #[error("invalid crate name {name:?}: {reason}")]
    CrateName {
        /// The name given.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The spec could not be read or parsed.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// The spec uses something the generator cannot express.
    #[error(transparent)]
    Generate(#[from] codegen::Error),
    /// The output folder holds a crate the generator did not write.
    #[error("{path}: {reason}; refusing to replace it (choose another --out)")]
    Foreign {
        /// The file or folder at stake.
        path: String,
        /// Why it is not the generator's.
        reason: &'static str,
    },
    /// The output folder could not be inspected.
    #[error("reading {path}: {source}")]
    ReadOutput {
        /// What was being read.
        path: String,
        /// The I/O error.
        source: io::Error,
    },
    /// Writing failed; the previous crate, if any, is still in place.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// What [`run`] did.
#[derive(Debug)]
pub struct Generated {
    /// The package name of the crate.
    pub crate_name: String,
    /// How the folder differed before writing (empty when it was fresh).
    pub report: CrateReport,
}

/// Generates the crate of the spec at `spec_path` into `out`, named
/// `crate_name` or after the document.
pub fn run(
    spec_path: &Path,
    out: &Path,
    crate_name: Option<&str>,
    runtime: Runtime,
) -> Result<Generated, GenerateError> {
    if let Some(name) = crate_name {
        check_crate_name(name).map_err(|reason| GenerateError::CrateName {
            name: name.to_owned(),
            reason,
        })?;
    }
    let spec = spec::read(spec_path)?;
    let crate_name = match crate_name {
        Some(name) => name.to_owned(),
        None => {
            // Made from the document's text, which may be anything (a name
            // of a megabyte would make file names no file system takes).
            let name = spec_crate_name(&spec);
            check_crate_name(&name).map_err(|reason| GenerateError::CrateName {
                name: name.clone(),
                reason: format!(
                    "{reason} (made from {}'s name and version; give one with --crate-name)",
                    spec.file
                ),
            })?;
            name
        }
    };
    let report = generate_spec(&spec, out, &crate_name, runtime)?;
    Ok(Generated { crate_name, report })
}

/// Generates the crate of `spec`, read already, into `out` (the part of
/// [`run`] that [`all`] shares).
fn generate_spec(
    spec: &Spec,
    out: &Path,
    crate_name: &str,
    runtime: Runtime,
) -> Result<CrateReport, GenerateError> {
    let runtime_path = match runtime {
        Runtime::Vendor => crate::output::VENDOR_DIR.trim_end_matches('/').to_owned(),
        Runtime::Path => {
            let out_dir = absolute(out).map_err(|source| WriteError {
                path: out.display().to_string(),
                source,
            })?;
            let runtime_dir = runtime_dir().canonicalize().map_err(|source| WriteError {
                path: runtime_dir().display().to_string(),
                source,
            })?;
            relative_path(&out_dir, &runtime_dir)
        }
    };
    let mut files = spec.generate(&settings(spec, crate_name, true, runtime_path))?;
    if runtime == Runtime::Vendor {
        for (path, text) in codegen::runtime::files() {
            files.insert(
                format!("{}{path}", crate::output::VENDOR_DIR),
                text.to_owned(),
            );
        }
    }
    refuse_foreign_crate(out, runtime)?;
    Ok(output::sync(&out.display().to_string(), out, &files)?)
}

/// The settings of a crate generated from `spec` outside the manifest.
/// `standalone` makes it its own workspace; members of another say `false`.
/// `runtime_path` is where the runtime crate is, from the crate's folder.
pub fn settings(
    spec: &Spec,
    crate_name: &str,
    standalone: bool,
    runtime_path: String,
) -> CrateSettings {
    CrateSettings {
        crate_name: crate_name.to_owned(),
        version: VERSION.to_owned(),
        spec_file: spec.file.clone(),
        spec_sha256: spec.sha256.clone(),
        source: spec.file.clone(),
        command: COMMAND.to_owned(),
        dev_dependencies: BTreeMap::new(),
        test_features: Vec::new(),
        runtime_path,
        standalone,
    }
}

/// `google-<name>-<version>`, lowercased, with anything but ASCII letters,
/// digits and `-` turned into `-`.
pub fn default_crate_name(name: &str, version: &str) -> String {
    sanitize(&format!("google-{name}-{version}"))
}

/// The default package name of a spec's crate: `google-<name>-<version>`
/// for a Discovery document, `<name>-<version>` for an OpenAPI one (whose
/// API need not be Google's; its name is `x-serviceName` or its title).
pub fn spec_crate_name(spec: &Spec) -> String {
    match spec.format {
        codegen::input::Format::Discovery => default_crate_name(&spec.name, &spec.version),
        _ => {
            let name = sanitize(&format!("{}-{}", spec.name, spec.version));
            let name = name.trim_matches('-');
            // A package name may not start with a digit.
            if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                name.to_owned()
            } else {
                format!("api-{name}").trim_end_matches('-').to_owned()
            }
        }
    }
}

/// Lower-case, with anything but ASCII letters, digits and `-` as `-`.
fn sanitize(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Rust keywords: a library named after one could not be named in code.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// The longest package name: crates.io's limit. The longest any of
/// Google's Discovery documents makes is 42 bytes.
const MAX_CRATE_NAME_LEN: usize = 64;

/// Checks that `name` is a package name cargo accepts and whose library
/// can be used from Rust: ASCII letters, digits, `-` and `_`, starting with
/// a letter or `_`, not a keyword, and at most 64 bytes.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    let Some(first) = name.chars().next() else {
        return Err("it is empty".to_owned());
    };
    if name.len() > MAX_CRATE_NAME_LEN {
        return Err(format!(
            "it is {} bytes long, over the {MAX_CRATE_NAME_LEN} crates.io allows",
            name.len()
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "{bad:?} is not allowed; use ASCII letters, digits, `-` and `_`"
        ));
    }
    if !(first.is_ascii_alphabetic() || first == '_') {
        return Err("it must start with a letter or `_`".to_owned());
    }
    let library = name.replace('-', "_");
    if library == "_" || KEYWORDS.contains(&library.as_str()) {
        return Err(format!(
            "its library name `{library}` is not a Rust identifier"
        ));
    }
    Ok(())
}

/// Fails when `out` holds a crate the generator did not write, so a typo in
/// `--out` cannot replace someone's `Cargo.toml` or `src/`; and, when
/// vendoring, when `vendor/google-api-runtime/` is there but not the
/// generator's (see [`output::vendored_runtime_owned`]).
fn refuse_foreign_crate(out: &Path, runtime: Runtime) -> Result<(), GenerateError> {
    let read_error = |path: &Path| {
        let path = path.display().to_string();
        move |source| GenerateError::ReadOutput { path, source }
    };
    refuse_foreign_manifest(out)?;
    let vendored = out.join(output::VENDOR_DIR);
    if runtime == Runtime::Vendor
        && vendored.exists()
        && !output::vendored_runtime_owned(out).map_err(read_error(out))?
    {
        return Err(GenerateError::Foreign {
            path: vendored.display().to_string(),
            reason: "this folder was not written by the generator (no generated Cargo.toml depends on it)",
        });
    }
    Ok(())
}

/// The `Cargo.toml` and `src/` half of [`refuse_foreign_crate`].
fn refuse_foreign_manifest(out: &Path) -> Result<(), GenerateError> {
    let manifest = out.join("Cargo.toml");
    let read_error = |path: &Path| {
        let path = path.display().to_string();
        move |source| GenerateError::ReadOutput { path, source }
    };
    match fs::read_to_string(&manifest) {
        Ok(text) if text.starts_with(GENERATED_MARKER) => Ok(()),
        Ok(_) => Err(GenerateError::Foreign {
            path: manifest.display().to_string(),
            reason: "this Cargo.toml was not written by the generator",
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let src = out.join("src");
            match fs::read_dir(&src).map(|mut entries| entries.next().is_some()) {
                Ok(true) => Err(GenerateError::Foreign {
                    path: src.display().to_string(),
                    reason: "this folder has files but no generated Cargo.toml beside it",
                }),
                Ok(false) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(read_error(&src)(e)),
            }
        }
        Err(e) => Err(read_error(&manifest)(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_then_descend() {
        let rel = |a: &str, b: &str| super::relative_path(Path::new(a), Path::new(b));
        assert_eq!(
            rel("/w/generated", "/w/codegen/runtime"),
            "../codegen/runtime"
        );
        assert_eq!(
            rel("/tmp/a/b", "/w/codegen/runtime"),
            "../../../w/codegen/runtime"
        );
        assert_eq!(rel("/w", "/w"), ".");
        assert_eq!(
            rel("w/generated", "w/codegen/runtime"),
            "../codegen/runtime"
        );
    }

    #[test]
    fn default_names_are_lowercase_package_names() {
        assert_eq!(
            default_crate_name("serviceconsumermanagement", "v1beta1"),
            "google-serviceconsumermanagement-v1beta1"
        );
        assert_eq!(
            default_crate_name("Admin_Directory", "v1.2"),
            "google-admin-directory-v1-2"
        );
        assert_eq!(default_crate_name("café", "v1"), "google-caf--v1");
        assert!(check_crate_name(&default_crate_name("x y", "v1")).is_ok());
    }

    #[test]
    fn crate_names_are_checked() {
        let longest = "a".repeat(64);
        for good in ["google-storage-v1", "my_crate", "_private", "a1", &longest] {
            assert_eq!(check_crate_name(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("", "empty"),
            ("1password", "start with a letter"),
            ("-x", "start with a letter"),
            ("my crate", "' ' is not allowed"),
            ("caf\u{e9}", "is not allowed"),
            ("fn", "not a Rust identifier"),
            ("_", "not a Rust identifier"),
            (
                &"a".repeat(65),
                "65 bytes long, over the 64 crates.io allows",
            ),
        ] {
            let reason = check_crate_name(bad).unwrap_err();
            assert!(reason.contains(why), "{bad:?}: {reason}");
        }
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xtask-generate-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_folder_with_someone_elses_crate_is_refused() {
        let dir = scratch("foreign");
        assert!(
            refuse_foreign_crate(&dir, Runtime::Path).is_ok(),
            "an empty folder is fine"
        );
        assert!(refuse_foreign_crate(&dir.join("missing"), Runtime::Path).is_ok());
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(dir.join("src/main.rs"), "fn main() {}\n").unwrap();
        let err = refuse_foreign_crate(&dir, Runtime::Path)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no generated Cargo.toml"), "{err}");
        fs::write(dir.join("Cargo.toml"), "[package]\n").unwrap();
        let err = refuse_foreign_crate(&dir, Runtime::Path)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not written by the generator"), "{err}");
        fs::write(
            dir.join("Cargo.toml"),
            "# @generated by `cargo xtask generate` from x.json. Do not edit.\n",
        )
        .unwrap();
        assert!(refuse_foreign_crate(&dir, Runtime::Path).is_ok());
        fs::remove_dir_all(&dir).unwrap();
    }
}
