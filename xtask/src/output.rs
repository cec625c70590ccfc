//! The generator-owned part of an output folder: `Cargo.toml`, `src/`, and
//! `vendor/google-api-runtime/` while the generated manifest depends on it.
//!
//! [`compare`] tells how the folder differs from freshly generated files;
//! [`write()`] replaces them. Writing stages the files in a sibling folder and
//! swaps them in with renames, so a failure mid-write leaves the old crate
//! whole. `tests/`, `examples/`, the rest of `vendor/` and anything else in
//! the folder are never touched. `regen`, `generate` and `conformance` all
//! write through here.
//!
//! The vendored runtime is the generator's only when the generator wrote it,
//! which the folder itself records: the generated `Cargo.toml` beside it
//! names it as the runtime's path ([`vendored_runtime_owned`]). So a switch
//! from `--runtime vendor` to `path` removes it (and `vendor/`, when that
//! leaves it empty), while a `vendor/google-api-runtime/` the generator did
//! not write is neither replaced nor removed.

use codegen::Files;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Where new files are staged before the swap.
const STAGING: &str = ".regen-new";
/// Where the old files wait until the swap has succeeded.
const RETIRED: &str = ".regen-old";

/// Writing an output folder failed; its previous content is still in place.
#[derive(Debug, thiserror::Error)]
#[error("writing {path}: {source}")]
pub struct WriteError {
    /// What was being written.
    pub path: String,
    /// The I/O error.
    #[source]
    pub source: io::Error,
}

/// One generated crate and how it differs from disk.
#[derive(Debug)]
pub struct CrateReport {
    /// The output folder, as the caller names it.
    pub output: String,
    /// Files whose content differs or that are missing, with a unified
    /// diff each ([`compare`]; empty from [`sync`]).
    pub changed: BTreeMap<String, String>,
    /// Files under `src/` that writing would delete.
    pub removed: Vec<String>,
    /// What changed in API terms, against the `api.json` the crate was
    /// last made from (set by regen when the crate is stale).
    pub api_summary: Option<String>,
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

/// Compares generated `files` with the generator-owned files in `dir`;
/// `output` labels the folder in diffs.
pub fn compare(output: &str, dir: &Path, files: &Files) -> io::Result<CrateReport> {
    compare_files(output, dir, files, Diffs::Unified)
}

/// Whether [`compare_files`] writes a diff for each changed file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Diffs {
    /// A unified diff each, for a reviewer (`regen` in check mode).
    Unified,
    /// Only the paths: [`sync`] writes the files rather than showing them,
    /// and diffing a crate's megabytes of text line by line was 4 % of
    /// the time of generating AI Platform's.
    None,
}

/// [`compare`], with or without the diffs.
fn compare_files(output: &str, dir: &Path, files: &Files, diffs: Diffs) -> io::Result<CrateReport> {
    let mut changed = BTreeMap::new();
    for (path, expected) in files {
        let actual = match fs::read_to_string(dir.join(path)) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if actual.as_deref() != Some(expected.as_str()) {
            if diffs == Diffs::None {
                changed.insert(path.clone(), String::new());
                continue;
            }
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
    let vendored = files.keys().any(|p| p.starts_with(VENDOR_DIR)) || vendored_runtime_owned(dir)?;
    for path in owned_files_on_disk(dir, vendored)? {
        if !files.contains_key(&path) {
            removed.push(path);
        }
    }
    Ok(CrateReport {
        output: output.to_owned(),
        changed,
        removed,
        api_summary: None,
    })
}

/// Writes `files` into `dir` unless it already holds exactly them, and
/// says which files differed (the report's diffs are empty: the files are
/// written, not shown). Untouched files keep their modification times, so
/// cargo does not rebuild a crate that did not change.
pub fn sync(output: &str, dir: &Path, files: &Files) -> Result<CrateReport, WriteError> {
    let report = compare_files(output, dir, files, Diffs::None).map_err(|source| WriteError {
        path: dir.display().to_string(),
        source,
    })?;
    if !report.is_fresh() {
        write(dir, files)?;
    }
    Ok(report)
}

/// Where a vendored runtime is written in a generated crate
/// (`generate --runtime vendor`); the generator's own while the generated
/// manifest depends on it ([`vendored_runtime_owned`]).
pub const VENDOR_DIR: &str = "vendor/google-api-runtime/";

/// [`VENDOR_DIR`] as one entry of the swap: the vendored runtime is
/// replaced as a whole, and the rest of `vendor/` is left alone.
const VENDOR_ENTRY: &str = "vendor/google-api-runtime";

/// The first line of every manifest the generator writes.
pub const GENERATED_MARKER: &str = "# @generated by ";

/// Whether `dir`'s `vendor/google-api-runtime/` is the generator's: the
/// `Cargo.toml` in `dir` was written by the generator and takes the runtime
/// from that folder. Only such a manifest is evidence that the generator
/// wrote the folder; a `vendor/` of the user's (`cargo vendor`, a fork of
/// the runtime) is never the generator's to remove.
pub fn vendored_runtime_owned(dir: &Path) -> io::Result<bool> {
    match fs::read_to_string(dir.join("Cargo.toml")) {
        Ok(text) => Ok(text.starts_with(GENERATED_MARKER)
            && text.contains(&format!("path = \"{VENDOR_ENTRY}\""))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// The entry of the swap that holds `path`: its first component, or the
/// vendored runtime's folder.
fn swap_entry(path: &str) -> &str {
    if path.starts_with(VENDOR_DIR) {
        VENDOR_ENTRY
    } else {
        path.split('/').next().unwrap_or(path)
    }
}

/// Paths (relative, with `/`) of the files under `dir/src` (and the
/// vendored runtime's folder, when `vendored`), sorted.
fn owned_files_on_disk(dir: &Path, vendored: bool) -> io::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::from("src")];
    if vendored {
        pending.push(PathBuf::from(VENDOR_DIR.trim_end_matches('/')));
    }
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
pub fn write(dir: &Path, files: &Files) -> Result<(), WriteError> {
    let staging = dir.join(STAGING);
    let retired = dir.join(RETIRED);
    let fail = |path: &Path| {
        let path = path.display().to_string();
        move |source| WriteError { path, source }
    };
    // A crash mid-swap may have left the only copy of an old entry aside.
    // The manifest comes back first, as it decides whether the vendored
    // runtime is still wanted (a crash after it was retired for good would
    // otherwise bring back a folder nothing depends on).
    for entry in ["Cargo.toml", "src", VENDOR_ENTRY] {
        let wanted = entry != VENDOR_ENTRY || vendored_runtime_owned(dir).map_err(fail(dir))?;
        if wanted && retired.join(entry).exists() && !dir.join(entry).exists() {
            create_parent(dir, entry).map_err(fail(dir))?;
            fs::rename(retired.join(entry), dir.join(entry)).map_err(fail(&retired))?;
        }
    }
    for leftover in [&staging, &retired] {
        remove_dir_if_present(leftover).map_err(fail(leftover))?;
    }
    if let Err(e) = stage(&staging, files) {
        let _ = remove_dir_if_present(&staging);
        return Err(e);
    }
    // Swap each owned entry (`src/`, `Cargo.toml`, a vendored runtime) by
    // rename, keeping the old one aside until every entry is in place; any
    // failure puts all of them back, so the crate is either wholly old or
    // wholly new. A vendored runtime the new files no longer have is only
    // retired: asked before the manifest that owns it is swapped.
    let entries: BTreeSet<&str> = files.keys().map(|p| swap_entry(p)).collect();
    let drop_vendored = !entries.contains(VENDOR_ENTRY)
        && dir.join(VENDOR_ENTRY).exists()
        && vendored_runtime_owned(dir).map_err(fail(dir))?;
    fs::create_dir_all(&retired).map_err(fail(&retired))?;
    let mut swapped: Vec<(&str, bool)> = Vec::new();
    let mut result = Ok(());
    for entry in &entries {
        result = swap(dir, &staging, &retired, entry, &mut swapped).map_err(|e| (*entry, e));
        if result.is_err() {
            break;
        }
    }
    if result.is_ok() && drop_vendored {
        result = retire(dir, &retired, VENDOR_ENTRY, &mut swapped).map_err(|e| (VENDOR_ENTRY, e));
    }
    if let Err((entry, source)) = result {
        roll_back(dir, &retired, &swapped);
        return Err(WriteError {
            path: dir.join(entry).display().to_string(),
            source,
        });
    }
    remove_dir_if_present(&retired).map_err(fail(&retired))?;
    remove_dir_if_present(&staging).map_err(fail(&staging))?;
    if drop_vendored {
        // `vendor/` goes too when the runtime was all it held; an error
        // here means it holds something else, which stays.
        let _ = fs::remove_dir(dir.join("vendor"));
    }
    Ok(())
}

/// Creates the folder `entry` (a path relative to `dir`) sits in.
fn create_parent(dir: &Path, entry: &str) -> io::Result<()> {
    match Path::new(entry).parent() {
        Some(parent) if !parent.as_os_str().is_empty() => fs::create_dir_all(dir.join(parent)),
        _ => Ok(()),
    }
}

/// Moves the old `entry` aside with nothing to take its place.
fn retire<'e>(
    dir: &Path,
    retired: &Path,
    entry: &'e str,
    swapped: &mut Vec<(&'e str, bool)>,
) -> io::Result<()> {
    create_parent(retired, entry)?;
    fs::rename(dir.join(entry), retired.join(entry))?;
    swapped.push((entry, true));
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
    create_parent(dir, entry)?;
    if had_old {
        create_parent(retired, entry)?;
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
fn stage(staging: &Path, files: &Files) -> Result<(), WriteError> {
    for (path, text) in files {
        let target = staging.join(path);
        let fail = |source| WriteError {
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
        let dir = std::env::temp_dir().join(format!("xtask-output-{name}-{}", std::process::id()));
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
        write(&dir, &new).unwrap();
        assert!(compare("gen", &dir, &new).unwrap().is_fresh());
        assert_eq!(
            fs::read_to_string(dir.join("tests/mine.rs")).unwrap(),
            "hand-written"
        );
        assert!(!dir.join(STAGING).exists() && !dir.join(RETIRED).exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn syncing_a_fresh_folder_leaves_its_files_alone() {
        let dir = scratch("sync");
        let new = files(&[("Cargo.toml", "[package]\n"), ("src/lib.rs", "//! x\n")]);
        assert!(!sync("gen", &dir, &new).unwrap().is_fresh());
        let modified = |p: &str| fs::metadata(dir.join(p)).unwrap().modified().unwrap();
        let before = modified("src/lib.rs");
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(sync("gen", &dir, &new).unwrap().is_fresh());
        assert_eq!(
            modified("src/lib.rs"),
            before,
            "a fresh crate is not rewritten"
        );
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
        let (staging, retired) = (dir.join(STAGING), dir.join(RETIRED));
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
    fn a_vendored_runtime_is_owned_while_the_generated_manifest_names_it() {
        let dir = scratch("vendor");
        let manifest = |path: &str| {
            format!(
                "{GENERATED_MARKER}a test\n[dependencies]\ngoogle-api-runtime = {{ version = \"0.1\", path = \"{path}\" }}\n"
            )
        };
        let (vendor_manifest, path_manifest) = (manifest(VENDOR_ENTRY), manifest("../runtime"));
        let vendored = files(&[
            ("Cargo.toml", &vendor_manifest),
            ("src/lib.rs", "//! x\n"),
            ("vendor/google-api-runtime/Cargo.toml", "[package]\n"),
            ("vendor/google-api-runtime/src/lib.rs", "//! runtime\n"),
        ]);
        let by_path = files(&[("Cargo.toml", &path_manifest), ("src/lib.rs", "//! x\n")]);
        let keep = dir.join("vendor/other/keep.txt");
        fs::create_dir_all(keep.parent().unwrap()).unwrap();
        fs::write(&keep, "mine").unwrap();

        write(&dir, &vendored).unwrap();
        assert!(vendored_runtime_owned(&dir).unwrap());
        assert!(compare("gen", &dir, &vendored).unwrap().is_fresh());
        assert_eq!(fs::read_to_string(&keep).unwrap(), "mine");

        // Switching to a path dependency retires the vendored runtime only.
        let report = compare("gen", &dir, &by_path).unwrap();
        assert_eq!(
            report.removed,
            [
                "vendor/google-api-runtime/Cargo.toml",
                "vendor/google-api-runtime/src/lib.rs"
            ]
        );
        write(&dir, &by_path).unwrap();
        assert!(!dir.join(VENDOR_ENTRY).exists());
        assert_eq!(fs::read_to_string(&keep).unwrap(), "mine");
        assert!(compare("gen", &dir, &by_path).unwrap().is_fresh());

        // With nothing else in it, `vendor/` goes too.
        fs::remove_dir_all(keep.parent().unwrap()).unwrap();
        write(&dir, &vendored).unwrap();
        write(&dir, &by_path).unwrap();
        assert!(!dir.join("vendor").exists());

        // A runtime folder no generated manifest names is not the generator's.
        let foreign = dir.join(VENDOR_DIR).join("Cargo.toml");
        fs::create_dir_all(foreign.parent().unwrap()).unwrap();
        fs::write(&foreign, "[package]\n").unwrap();
        assert!(!vendored_runtime_owned(&dir).unwrap());
        assert!(compare("gen", &dir, &by_path).unwrap().is_fresh());
        write(&dir, &by_path).unwrap();
        assert!(foreign.exists());
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
        let err = write(&dir, &broken).unwrap_err();
        assert!(err.to_string().contains("a.rs"), "{err}");
        assert_eq!(fs::read_to_string(dir.join("src/lib.rs")).unwrap(), "old\n");
        assert!(!dir.join("src/a.rs").exists());
        assert!(!dir.join(STAGING).exists(), "staging is cleaned up");
        fs::remove_dir_all(&dir).unwrap();
    }
}
