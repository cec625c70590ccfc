//! The throwaway cargo workspace: every generated crate plus one runner
//! binary depending on all of them, built with one `cargo build`.
//!
//! Layout of the work folder:
//! `Cargo.toml` (the workspace), `Cargo.lock` (the repository's, so
//! versions match), `crates/<crate>/` (generated), `runner/` (the binary).
//! Files are rewritten only when their content changes, so a reused work
//! folder rebuilds only what changed. The target folder is shared by every
//! run (`target/generated-crates`), so compiled dependencies are reused.

use super::runner;
use crate::output::{self, WriteError};
use codegen::Files;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The runner's package (and binary) name.
pub const RUNNER: &str = "conformance-runner";

/// Diagnostics lines kept in a build failure: the first errors say enough.
const DIAGNOSTIC_LINES: usize = 40;

/// One generated crate of the workspace.
pub struct Member<'a> {
    /// Its package name, unique in the workspace.
    pub crate_name: &'a str,
    /// Its files.
    pub files: &'a Files,
}

/// Why the workspace could not be written or built.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// A file of the work folder could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// The I/O error.
        source: io::Error,
    },
    /// A generated crate could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// `cargo build` failed.
    #[error("building the generated crates in {dir} failed:\n{diagnostics}")]
    Build {
        /// The work folder.
        dir: String,
        /// The first error lines.
        diagnostics: String,
    },
}

/// The library name of a package: how Rust code names it.
pub fn library_name(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}

/// Writes the workspace with `members` into `dir`, taking `Cargo.lock`
/// from the repository at `root`.
pub fn write(root: &Path, dir: &Path, members: &[Member<'_>]) -> Result<(), WorkspaceError> {
    let crates = dir.join("crates");
    for member in members {
        let folder = crates.join(member.crate_name);
        output::sync(&folder.display().to_string(), &folder, member.files)?;
    }
    remove_other_crates(&crates, members)?;
    write_if_changed(&dir.join("Cargo.toml"), &workspace_manifest(members))?;
    match fs::read_to_string(root.join("Cargo.lock")) {
        Ok(lock) => write_if_changed(&dir.join("Cargo.lock"), &lock)?,
        // Without a lock file cargo resolves afresh: slower, still right.
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(source) => return Err(io_error(&root.join("Cargo.lock"))(source)),
    }
    let runner = dir.join("runner");
    write_if_changed(&runner.join("Cargo.toml"), &runner_manifest(members))?;
    write_if_changed(&runner.join("src/main.rs"), runner::MAIN_RS)?;
    write_if_changed(&runner.join("src/documents.rs"), &documents_rs(members))?;
    Ok(())
}

/// Builds the runner in `dir` with the shared target folder under `root`;
/// returns the path of the binary.
pub fn build(root: &Path, dir: &Path) -> Result<PathBuf, WorkspaceError> {
    let target = root.join("target/generated-crates");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "--message-format=short",
            "--package",
            RUNNER,
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        // No debug info: some generated crates are very large, and only
        // the requests they build matter here.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        // Flags meant for the repository's own crates would rebuild every
        // dependency in the shared target folder.
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(io_error(Path::new("cargo")))?;
    if !output.status.success() {
        return Err(WorkspaceError::Build {
            dir: dir.display().to_string(),
            diagnostics: diagnostics(&String::from_utf8_lossy(&output.stderr)),
        });
    }
    let binary = format!("{RUNNER}{}", std::env::consts::EXE_SUFFIX);
    Ok(target.join("debug").join(binary))
}

/// The error lines of cargo's output, at most [`DIAGNOSTIC_LINES`] of them;
/// warnings in generated code would bury them.
fn diagnostics(stderr: &str) -> String {
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|line| !(line.starts_with("warning") || line.contains(": warning")))
        .collect();
    let mut text = errors
        .iter()
        .take(DIAGNOSTIC_LINES)
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    if errors.len() > DIAGNOSTIC_LINES {
        let _ = write!(
            text,
            "\n... and {} more lines",
            errors.len() - DIAGNOSTIC_LINES
        );
    }
    text
}

fn workspace_manifest(members: &[Member<'_>]) -> String {
    let mut text = String::from(
        "# Written by `cargo xtask conformance`: generated crates and their runner.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n    \"runner\",\n",
    );
    for member in members {
        let _ = writeln!(text, "    \"crates/{}\",", member.crate_name);
    }
    text.push_str("]\n");
    text
}

fn runner_manifest(members: &[Member<'_>]) -> String {
    let mut text = format!(
        "[package]\nname = \"{RUNNER}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nserde_json = \"1\"\n"
    );
    for member in members {
        let _ = writeln!(
            text,
            "{0} = {{ path = \"../crates/{0}\", features = [\"dispatch\"] }}",
            member.crate_name
        );
    }
    text
}

/// The runner's list of crates, which its `generated_crates!` macro turns
/// into one `match` arm each.
fn documents_rs(members: &[Member<'_>]) -> String {
    let mut text = String::from(
        "//! The generated crates this runner dispatches to; written by\n\
         //! `cargo xtask conformance`.\n\ngenerated_crates! {\n",
    );
    for member in members {
        let _ = writeln!(text, "    {},", library_name(member.crate_name));
    }
    text.push_str("}\n");
    text
}

/// Removes crates left in `crates` by earlier runs on other documents.
fn remove_other_crates(crates: &Path, members: &[Member<'_>]) -> Result<(), WorkspaceError> {
    let keep: BTreeSet<&str> = members.iter().map(|m| m.crate_name).collect();
    let entries = match fs::read_dir(crates) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(crates)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io_error(crates))?;
        let name = entry.file_name();
        if !keep.contains(name.to_string_lossy().as_ref()) {
            fs::remove_dir_all(entry.path()).map_err(io_error(&entry.path()))?;
        }
    }
    Ok(())
}

/// Writes `text` to `path` unless it already holds it, keeping the file's
/// modification time (and cargo's fingerprint) when nothing changed.
fn write_if_changed(path: &Path, text: &str) -> Result<(), WorkspaceError> {
    if fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    fs::write(path, text).map_err(io_error(path))
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WorkspaceError {
    let path = path.display().to_string();
    move |source| WorkspaceError::Io { path, source }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members<'a>(names: &'a [&'a str], files: &'a Files) -> Vec<Member<'a>> {
        names
            .iter()
            .map(|crate_name| Member { crate_name, files })
            .collect()
    }

    #[test]
    fn the_runner_depends_on_every_crate_with_dispatch() {
        let files = Files::new();
        let list = members(&["google-a-v1", "google-b-v2"], &files);
        let manifest = runner_manifest(&list);
        assert!(manifest.contains(
            "google-b-v2 = { path = \"../crates/google-b-v2\", features = [\"dispatch\"] }"
        ));
        assert!(workspace_manifest(&list).contains("\"crates/google-a-v1\","));
        assert!(
            documents_rs(&list)
                .contains("generated_crates! {\n    google_a_v1,\n    google_b_v2,\n}")
        );
    }

    #[test]
    fn diagnostics_keep_errors_and_drop_warnings() {
        let stderr = "src/a.rs:1:1: warning: unused\nsrc/b.rs:2:2: error[E0425]: nope\nerror: could not compile `x`\n";
        assert_eq!(
            diagnostics(stderr),
            "src/b.rs:2:2: error[E0425]: nope\nerror: could not compile `x`"
        );
        let many = "error: e\n".repeat(DIAGNOSTIC_LINES + 2);
        assert!(diagnostics(&many).ends_with("... and 2 more lines"));
    }

    #[test]
    fn writing_twice_changes_nothing_and_stale_crates_go() {
        let dir = std::env::temp_dir().join(format!("xtask-workspace-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let root = dir.join("repo");
        fs::create_dir_all(&root).unwrap();
        fs::write(root.join("Cargo.lock"), "# lock\n").unwrap();
        let files: Files = [("Cargo.toml".to_owned(), "[package]\n".to_owned())].into();
        let work = dir.join("work");
        write(
            &root,
            &work,
            &members(&["google-a-v1", "google-b-v1"], &files),
        )
        .unwrap();
        assert_eq!(
            fs::read_to_string(work.join("Cargo.lock")).unwrap(),
            "# lock\n"
        );
        assert!(work.join("runner/src/main.rs").is_file());
        let modified = || {
            fs::metadata(work.join("runner/src/documents.rs"))
                .unwrap()
                .modified()
                .unwrap()
        };
        let before = modified();
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(
            &root,
            &work,
            &members(&["google-a-v1", "google-b-v1"], &files),
        )
        .unwrap();
        assert_eq!(modified(), before);
        write(&root, &work, &members(&["google-a-v1"], &files)).unwrap();
        assert!(work.join("crates/google-a-v1/Cargo.toml").is_file());
        assert!(!work.join("crates/google-b-v1").exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
