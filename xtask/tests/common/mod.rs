//! Helpers shared by xtask's integration tests.

#![allow(dead_code)] // Each test binary uses a different subset.

use std::path::PathBuf;

/// The repository root.
pub fn repository_root() -> PathBuf {
    xtask::repository_root()
}

/// `../shared/corpus`, or `None` with a printed note where it is absent.
/// With `REQUIRE_CORPUS=1` (as CI sets) absence is a failure instead.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = repository_root().join("../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("REQUIRE_CORPUS").as_deref() == Ok("1") {
        panic!("REQUIRE_CORPUS=1 but {} is missing", dir.display());
    }
    eprintln!(
        "note: {} is absent; skipping the corpus test",
        dir.display()
    );
    None
}

/// Runs the xtask binary on the repository at `root`: `xtask --root ROOT ARGS`.
pub fn xtask_at(root: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["--root", root.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap()
}

/// Runs `xtask` with `args` in `dir`, so relative paths are the user's.
pub fn xtask_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A command's output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
