//! Regeneration: one function that either writes every generated crate or
//! checks that the checked-in ones are what it would write.
//!
//! Everything is generated in memory first, so a bad spec leaves the tree
//! untouched; writing goes through [`crate::output`], which swaps each
//! crate's `Cargo.toml` and `src/` in whole and never touches anything else.

use crate::manifest::{Manifest, ManifestError};
use crate::output::{self, WriteError};
use codegen::CrateSettings;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

pub use crate::output::CrateReport;

/// The command named in every generated file's header.
pub const COMMAND: &str = "cargo xtask regen";

/// What [`run`] does with the generated files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Replace stale files on disk.
    Write,
    /// Only compare.
    Check,
}

/// A regeneration failure.
#[derive(Debug, thiserror::Error)]
pub enum RegenError {
    /// `specs/specs.yaml` is unusable.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// A spec could not be read.
    #[error("{path}: {source}")]
    ReadSpec {
        /// The spec path.
        path: String,
        /// The I/O error.
        source: io::Error,
    },
    /// A spec could not be turned into a crate.
    #[error(transparent)]
    Generate(#[from] codegen::Error),
    /// The checked-in crate could not be read for comparison.
    #[error("reading {path}: {source}")]
    ReadOutput {
        /// The output folder.
        path: String,
        /// The I/O error.
        source: io::Error,
    },
    /// Writing the output failed; the previous crate is still in place.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Generates every crate of the manifest under `root`, then writes or checks.
pub fn run(root: &Path, mode: Mode) -> Result<Vec<CrateReport>, RegenError> {
    let manifest = Manifest::load(root)?;
    // Generate everything before touching the disk.
    let mut generated = Vec::new();
    for entry in &manifest.specs {
        let bytes = fs::read(root.join(&entry.spec)).map_err(|source| RegenError::ReadSpec {
            path: entry.spec.clone(),
            source,
        })?;
        let json = codegen::input::decode(&entry.spec, bytes.clone())?;
        let settings = CrateSettings {
            crate_name: entry.crate_name.clone(),
            version: entry.version.clone(),
            spec_file: entry.spec.clone(),
            spec_sha256: sha256_hex(&bytes),
            source: entry.source.clone(),
            command: COMMAND.to_owned(),
            dev_dependencies: entry
                .dev_dependencies
                .iter()
                .map(|(name, dep)| (name.clone(), dep.to_dependency()))
                .collect(),
            test_features: entry.test_features.clone(),
            runtime_path: crate::generate::relative_path(
                &root.join(&entry.output),
                &root.join("codegen").join("runtime"),
            ),
            // A member of this repository's workspace.
            standalone: false,
        };
        let files = codegen::generate_with(
            &json,
            &settings,
            &crate::spec::Folder::of(&root.join(&entry.spec)),
        )?;
        generated.push((entry.output.clone(), files));
    }
    let mut reports = Vec::new();
    for (folder, files) in generated {
        let dir = root.join(&folder);
        let mut report =
            output::compare(&folder, &dir, &files).map_err(|source| RegenError::ReadOutput {
                path: folder.clone(),
                source,
            })?;
        if !report.is_fresh() {
            report.api_summary = api_summary(&dir, &files);
        }
        if mode == Mode::Write && !report.is_fresh() {
            output::write(&dir, &files)?;
        }
        reports.push(report);
    }
    Ok(reports)
}

/// One paragraph on what changed in API terms between the `api.json` on
/// disk (the API the crate was last made from) and the new one; `None`
/// when there is no readable record to compare with.
fn api_summary(dir: &Path, files: &codegen::Files) -> Option<String> {
    let old = fs::read_to_string(dir.join(codegen::API_RECORD)).ok()?;
    let old = codegen::read_api_record(&old).ok()?;
    let new = codegen::read_api_record(files.get(codegen::API_RECORD)?).ok()?;
    Some(summary_paragraph(&codegen::diff::diff(&old, &new)))
}

/// `dataportability v1 (20250725 → 20250801): 1 breaking change, ...;
/// version bump needed: major. Breaking: scope_removed `https://...`.`
pub fn summary_paragraph(report: &codegen::diff::Report) -> String {
    let breaking: Vec<String> = report
        .breaking()
        .map(|c| format!("{} `{}`", c.kind.as_str(), c.item))
        .collect();
    let (old, new) = &report.revisions;
    let mut text = format!(
        "{} ({old} → {new}): {}; version bump needed: {}.",
        report.api,
        report.summary(),
        report.semver().as_str()
    );
    if !breaking.is_empty() {
        // The first few; `cargo xtask diff` lists them all.
        let shown: Vec<&str> = breaking.iter().take(5).map(String::as_str).collect();
        let more = breaking.len().saturating_sub(shown.len());
        text.push_str(&format!(" Breaking: {}", shown.join(", ")));
        if more > 0 {
            text.push_str(&format!(" and {more} more"));
        }
        text.push('.');
    }
    text
}

/// The hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}
