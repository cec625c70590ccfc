//! Turns Google API Discovery documents into typed async Rust client crates.
//!
//! The pipeline is `discovery` (serde types of the JSON) → `lower` (meaning,
//! names, order) → [`ir`] → `emit` (one emitter per output file, formatted
//! in-process). See `ARCHITECTURE.md` at the repository root.

pub mod diff;
pub mod discovery;
mod emit;
pub mod error;
pub mod input;
pub mod ir;
pub mod json_position;
pub mod lower;
pub mod naming;
pub mod openapi;
pub mod path_template;
pub mod yaml_lines;

pub use emit::runtime;
pub use emit::{
    API_RECORD, CHECKED_FEATURES, CrateSettings, Dependency, read_api_record,
    resource_feature_names,
};
pub use error::Error;

use std::collections::BTreeMap;

/// Every file of a generated crate, keyed by path relative to the crate
/// root (`Cargo.toml`, `src/lib.rs`, ...), in path order.
pub type Files = BTreeMap<String, String>;

/// Generates a crate from a spec of any supported format (a Discovery
/// document, or an OpenAPI 3.0/3.1 document in JSON or YAML) given as text,
/// without files beside it (an external `$ref` is an error).
///
/// `settings.spec_file` names the document in errors and headers. The
/// result depends only on the arguments: the same input gives the same bytes.
pub fn generate(text: &str, settings: &CrateSettings) -> Result<Files, Error> {
    generate_with(text, settings, &openapi::refs::NoFiles)
}

/// [`generate`] for a spec whose `$ref`s may name other files, read by `reader`.
pub fn generate_with(
    text: &str,
    settings: &CrateSettings,
    reader: &dyn openapi::refs::SpecReader,
) -> Result<Files, Error> {
    let api = lower_any(&settings.spec_file, text, reader)?;
    emit::emit(&api, settings)
}

/// [`generate_with`] for a spec whose format the caller has told already
/// (with [`input::parse`], to name its crate): a Discovery document is then
/// parsed once, into its serde types, rather than first into a JSON value
/// again (30 ms of AI Platform's 2.97 MB, for nothing). Gives what
/// [`generate_with`] gives, errors included.
pub fn generate_as(
    text: &str,
    format: input::Format,
    settings: &CrateSettings,
    reader: &dyn openapi::refs::SpecReader,
) -> Result<Files, Error> {
    let api = lower_as(&settings.spec_file, text, format, reader)?;
    emit::emit(&api, settings)
}

/// [`lower_any`] for a spec whose format is known (see [`generate_as`]).
pub fn lower_as(
    file: &str,
    text: &str,
    format: input::Format,
    reader: &dyn openapi::refs::SpecReader,
) -> Result<ir::Api, Error> {
    match format {
        // What `lower_any` does once the value says Discovery.
        input::Format::Discovery if input::is_json(text) => lower::lower(file, text),
        _ => lower_any(file, text, reader),
    }
}

/// Parses a spec of any supported format, tells which it is, and lowers it.
pub fn lower_any(
    file: &str,
    text: &str,
    reader: &dyn openapi::refs::SpecReader,
) -> Result<ir::Api, Error> {
    let yaml = !input::is_json(text);
    let with_line = |error: Error| {
        if yaml {
            error.with_line_from(text)
        } else {
            error
        }
    };
    let parsed = input::parse(file, text).map_err(with_line)?;
    let result = match parsed.format {
        input::Format::Discovery => lower::lower(file, text),
        input::Format::OpenApi30 | input::Format::OpenApi31 => {
            openapi::lower(file, parsed.value, reader)
        }
    };
    // In YAML the line says more than the path: `spec.yaml:42: at ...`.
    result.map_err(with_line)
}
