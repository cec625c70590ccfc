//! Turns Google API Discovery documents into typed async Rust client crates.
//!
//! The pipeline is `discovery` (serde types of the JSON) → `lower` (meaning,
//! names, order) → [`ir`] → `emit` (one emitter per output file, formatted
//! in-process). See `ARCHITECTURE.md` at the repository root.

pub mod diff;
pub mod discovery;
mod emit;
pub mod error;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod path_template;

pub use emit::{API_RECORD, CrateSettings, Dependency, read_api_record};
pub use error::Error;

use std::collections::BTreeMap;

/// Every file of a generated crate, keyed by path relative to the crate
/// root (`Cargo.toml`, `src/lib.rs`, ...), in path order.
pub type Files = BTreeMap<String, String>;

/// Generates a crate from the Discovery document `json`.
///
/// `settings.spec_file` names the document in errors and headers. The
/// result depends only on the arguments: the same input gives the same bytes.
pub fn generate(json: &str, settings: &CrateSettings) -> Result<Files, Error> {
    let api = lower::lower(&settings.spec_file, json)?;
    emit::emit(&api, settings)
}
