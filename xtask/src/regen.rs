//! Regeneration: one function that either writes every generated crate or
//! checks that the checked-in ones are what it would write.
//!
//! Everything is generated in memory first, so a bad spec leaves the tree
//! untouched. Writing stages each crate's files in a sibling folder and
//! swaps them in with renames, so a failure mid-write leaves the old crate
//! whole. Only `Cargo.toml` and `src/` of each output folder belong to the
//! generator; `tests/`, `examples/` and anything else there are never touched.

use crate::manifest::{Manifest, ManifestError};
use codegen::{CrateSettings, Files};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

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
    #[error("writing {path}: {source}")]
    Write {
        /// What was being written.
        path: String,
        /// The I/O error.
        source: io::Error,
    },
}

/// One generated crate and how it differs from disk.
#[derive(Debug)]
pub struct CrateReport {
    /// The output folder, relative to the repository root.
    pub output: String,
    /// Files whose content differs or that are missing, with a unified diff each.
    pub changed: BTreeMap<String, String>,
    /// Files under `src/` that regen would delete.
    pub removed: Vec<String>,
}

impl CrateReport {
    /// Whether the folder already holds exactly the generated files.
    pub fn is_fresh(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }

    /// The differences, as a reviewer would read them.
    pub fn render_diff(&self) -> String {
        let mut out = String::new();
        for diff in self.changed.values() {
            out.push_str(diff);
        }
        for path in &self.removed {
            let _ = writeln!(
                out,
                "--- {}/{path}\n+++ /dev/null\n(file would be deleted)",
                self.output
            );
        }
        out
    }
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
        let json = String::from_utf8(bytes.clone()).map_err(|e| RegenError::ReadSpec {
            path: entry.spec.clone(),
            source: io::Error::new(io::ErrorKind::InvalidData, e),
        })?;
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
        };
        let files = codegen::generate(&json, &settings)?;
        generated.push((entry.output.clone(), files));
    }
    let mut reports = Vec::new();
    for (output, files) in generated {
        let dir = root.join(&output);
        let report = compare(&output, &dir, &files).map_err(|source| RegenError::ReadOutput {
            path: output.clone(),
            source,
        })?;
        if mode == Mode::Write && !report.is_fresh() {
            write_crate(&dir, &files)?;
        }
        reports.push(report);
    }
    Ok(reports)
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

/// Compares generated files with the generator-owned files on disk.
fn compare(output: &str, dir: &Path, files: &Files) -> io::Result<CrateReport> {
    let mut changed = BTreeMap::new();
    for (path, expected) in files {
        let actual = match fs::read_to_string(dir.join(path)) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if actual.as_deref() != Some(expected.as_str()) {
            let old_name = if actual.is_some() {
                format!("a/{output}/{path}")
            } else {
                "/dev/null".to_owned()
            };
            let diff = similar::TextDiff::from_lines(actual.as_deref().unwrap_or(""), expected)
                .unified_diff()
                .context_radius(3)
                .header(&old_name, &format!("b/{output}/{path}"))
                .to_string();
            changed.insert(path.clone(), diff);
        }
    }
    let mut removed = Vec::new();
    for path in owned_files_on_disk(dir)? {
        if !files.contains_key(&path) {
            removed.push(path);
        }
    }
    Ok(CrateReport {
        output: output.to_owned(),
        changed,
        removed,
    })
}

/// Paths (relative, with `/`) of the files under `dir/src`, sorted.
fn owned_files_on_disk(dir: &Path) -> io::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::from("src")];
    while let Some(relative) = pending.pop() {
        let entries = match fs::read_dir(dir.join(&relative)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let path = relative.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else {
                found.push(path.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Writes one crate's generator-owned files by staging and swapping.
fn write_crate(dir: &Path, files: &Files) -> Result<(), RegenError> {
    let staging = dir.join(".regen-new");
    let retired = dir.join(".regen-old");
    let fail = |path: &Path| {
        let path = path.display().to_string();
        move |source| RegenError::Write { path, source }
    };
    // A crash mid-swap may have left the only copy of the old `src/` aside.
    if retired.join("src").is_dir() && !dir.join("src").exists() {
        fs::rename(retired.join("src"), dir.join("src")).map_err(fail(&retired))?;
    }
    for leftover in [&staging, &retired] {
        remove_dir_if_present(leftover).map_err(fail(leftover))?;
    }
    if let Err(e) = stage(&staging, files) {
        let _ = remove_dir_if_present(&staging);
        return Err(e);
    }
    // Swap each owned entry (`src/`, `Cargo.toml`) by rename, keeping the
    // old one aside until every entry is in place; any failure puts all of
    // them back, so the crate is either wholly old or wholly new.
    fs::create_dir_all(&retired).map_err(fail(&retired))?;
    let entries: BTreeSet<&str> = files.keys().filter_map(|p| p.split('/').next()).collect();
    let mut swapped: Vec<(&str, bool)> = Vec::new();
    for entry in &entries {
        if let Err(source) = swap(dir, &staging, &retired, entry, &mut swapped) {
            roll_back(dir, &retired, &swapped);
            return Err(RegenError::Write {
                path: dir.join(entry).display().to_string(),
                source,
            });
        }
    }
    remove_dir_if_present(&retired).map_err(fail(&retired))?;
    remove_dir_if_present(&staging).map_err(fail(&staging))?;
    Ok(())
}

/// Moves the old `entry` aside and the staged one in, recording what it did.
fn swap<'e>(
    dir: &Path,
    staging: &Path,
    retired: &Path,
    entry: &'e str,
    swapped: &mut Vec<(&'e str, bool)>,
) -> io::Result<()> {
    let current = dir.join(entry);
    let had_old = current.exists();
    if had_old {
        fs::rename(&current, retired.join(entry))?;
    }
    swapped.push((entry, had_old));
    fs::rename(staging.join(entry), &current)
}

/// Undoes [`swap`]s, newest first.
fn roll_back(dir: &Path, retired: &Path, swapped: &[(&str, bool)]) {
    for (entry, had_old) in swapped.iter().rev() {
        let current = dir.join(entry);
        if current.is_dir() {
            let _ = fs::remove_dir_all(&current);
        } else {
            let _ = fs::remove_file(&current);
        }
        if *had_old {
            let _ = fs::rename(retired.join(entry), &current);
        }
    }
}

/// Writes every file under `staging`.
fn stage(staging: &Path, files: &Files) -> Result<(), RegenError> {
    for (path, text) in files {
        let target = staging.join(path);
        let fail = |source| RegenError::Write {
            path: target.display().to_string(),
            source,
        };
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(fail)?;
        }
        fs::write(&target, text).map_err(fail)?;
    }
    Ok(())
}

fn remove_dir_if_present(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Files {
        pairs
            .iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect()
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-regen-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writing_replaces_owned_files_and_keeps_the_rest() {
        let dir = scratch("write");
        fs::create_dir_all(dir.join("src/old")).unwrap();
        fs::write(dir.join("src/old/stale.rs"), "stale").unwrap();
        fs::create_dir_all(dir.join("tests")).unwrap();
        fs::write(dir.join("tests/mine.rs"), "hand-written").unwrap();
        let new = files(&[
            ("Cargo.toml", "[package]\n"),
            ("src/lib.rs", "//! new\n"),
            ("src/a/b.rs", "b\n"),
        ]);
        let before = compare("gen", &dir, &new).unwrap();
        assert_eq!(before.removed, ["src/old/stale.rs"]);
        assert_eq!(before.changed.len(), 3);
        write_crate(&dir, &new).unwrap();
        assert!(compare("gen", &dir, &new).unwrap().is_fresh());
        assert_eq!(
            fs::read_to_string(dir.join("tests/mine.rs")).unwrap(),
            "hand-written"
        );
        assert!(!dir.join(".regen-new").exists() && !dir.join(".regen-old").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_diff_names_the_file_and_shows_the_change() {
        let dir = scratch("diff");
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(dir.join("src/lib.rs"), "one\ntwo\n").unwrap();
        let report = compare("gen", &dir, &files(&[("src/lib.rs", "one\nthree\n")])).unwrap();
        let diff = report.render_diff();
        assert!(diff.contains("--- a/gen/src/lib.rs"), "{diff}");
        assert!(diff.contains("-two") && diff.contains("+three"), "{diff}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rolling_back_puts_every_swapped_entry_back() {
        let dir = scratch("rollback");
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(dir.join("src/lib.rs"), "old\n").unwrap();
        fs::write(dir.join("Cargo.toml"), "old\n").unwrap();
        let (staging, retired) = (dir.join(".regen-new"), dir.join(".regen-old"));
        stage(
            &staging,
            &files(&[
                ("Cargo.toml", "new\n"),
                ("src/lib.rs", "new\n"),
                ("src/more.rs", "m\n"),
            ]),
        )
        .unwrap();
        fs::create_dir_all(&retired).unwrap();
        let mut swapped = Vec::new();
        swap(&dir, &staging, &retired, "Cargo.toml", &mut swapped).unwrap();
        swap(&dir, &staging, &retired, "src", &mut swapped).unwrap();
        // A third entry that was never staged fails, as a real failure would.
        assert!(swap(&dir, &staging, &retired, "missing", &mut swapped).is_err());
        assert_eq!(fs::read_to_string(dir.join("src/lib.rs")).unwrap(), "new\n");
        roll_back(&dir, &retired, &swapped);
        assert_eq!(fs::read_to_string(dir.join("Cargo.toml")).unwrap(), "old\n");
        assert_eq!(fs::read_to_string(dir.join("src/lib.rs")).unwrap(), "old\n");
        assert!(!dir.join("src/more.rs").exists());
        assert!(!dir.join("missing").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_old_crate_whole() {
        let dir = scratch("fail");
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(dir.join("src/lib.rs"), "old\n").unwrap();
        // `src/a.rs` is written as a file, then needed as a folder: staging
        // fails half-way, whoever runs the test.
        let broken = files(&[
            ("src/lib.rs", "new\n"),
            ("src/a.rs", "a\n"),
            ("src/a.rs/b.rs", "b\n"),
        ]);
        let err = write_crate(&dir, &broken).unwrap_err();
        assert!(err.to_string().contains("a.rs"), "{err}");
        assert_eq!(fs::read_to_string(dir.join("src/lib.rs")).unwrap(), "old\n");
        assert!(!dir.join("src/a.rs").exists());
        assert!(!dir.join(".regen-new").exists(), "staging is cleaned up");
        fs::remove_dir_all(&dir).unwrap();
    }
}
