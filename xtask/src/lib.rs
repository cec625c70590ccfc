//! The project's commands, as a library so tests can call them.

pub mod budget;
pub mod callbench;
pub mod conformance;
pub mod diff;
pub mod fuzz;
pub mod genbench;
pub mod generate;
pub mod manifest;
pub mod output;
mod parallel;
pub mod regen;
pub mod spec;

use std::path::{Path, PathBuf};

/// The repository root (the folder above `xtask/`).
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the repository root")
        .to_path_buf()
}
