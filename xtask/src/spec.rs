//! A Discovery document read from disk, with the few facts the commands
//! need before generating: its name, version, root URL and checksum.

use crate::regen::sha256_hex;
use std::io;
use std::path::Path;

/// A spec file, read and parsed.
#[derive(Debug)]
pub struct Spec {
    /// The path as the user gave it; it names the spec in headers and errors.
    pub file: String,
    /// The document's text.
    pub json: String,
    /// The hex sha256 of the file's bytes.
    pub sha256: String,
    /// The document's `name`, such as `storage`.
    pub name: String,
    /// The document's `version`, such as `v1`.
    pub version: String,
    /// The document's `rootUrl`, which every request URL starts with.
    pub root_url: String,
    /// What kind of spec it is.
    pub format: codegen::input::Format,
    /// The folder its `$ref`s are relative to.
    pub folder: std::path::PathBuf,
}

/// Why a spec could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The spec path.
        path: String,
        /// The I/O error.
        source: io::Error,
    },
    /// The file is not a Discovery document; the message has the JSON path.
    #[error(transparent)]
    Parse(#[from] codegen::Error),
}

/// Reads and parses the spec at `path`.
pub fn read(path: &Path) -> Result<Spec, SpecError> {
    let file = path.display().to_string();
    let read_error = |source| SpecError::Read {
        path: file.clone(),
        source,
    };
    let bytes = std::fs::read(path).map_err(read_error)?;
    let sha256 = sha256_hex(&bytes);
    // Bytes that are not UTF-8 are reported with their line and JSON path.
    let json = codegen::input::decode(&file, bytes)?;
    // Parsing first gives the name a crate needs and the format, so
    // generating does not tell it again, and reports a document that is not
    // JSON (or YAML) with its JSON path, as generating would.
    let parsed = codegen::input::parse(&file, &json)?;
    let format = parsed.format;
    let (name, version, root_url) = match format {
        codegen::input::Format::Discovery => match discovery_identity(&parsed.value) {
            Some(identity) => identity,
            // Missing or not text: the serde types say so, with the path.
            None => {
                let document = codegen::lower::parse(&file, &json)?;
                (document.name, document.version, document.root_url)
            }
        },
        // Only the document's identity: generating lowers it in full.
        _ => {
            let identity = codegen::openapi::identity(&parsed.value);
            (identity.name, identity.version, identity.root_url)
        }
    };
    Ok(Spec {
        folder: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        file,
        json,
        sha256,
        name,
        version,
        root_url,
        format,
    })
}

/// A Discovery document's `name`, `version` and `rootUrl`, when all three
/// are strings: read off the parsed value, as parsing the whole document
/// into its serde types again only for them cost as much as that first
/// parse (generating parses it, and reports any other error at its path).
fn discovery_identity(value: &serde_json::Value) -> Option<(String, String, String)> {
    let text = |key: &str| value.get(key)?.as_str().map(str::to_owned);
    Some((text("name")?, text("version")?, text("rootUrl")?))
}

/// Reads the files a spec's `$ref`s name, relative to the spec's folder.
pub struct Folder(std::path::PathBuf);

impl Folder {
    /// The folder of the spec at `path`.
    pub fn of(path: &Path) -> Self {
        Self(path.parent().map(Path::to_path_buf).unwrap_or_default())
    }
}

impl codegen::openapi::refs::SpecReader for Folder {
    fn read(&self, relative: &str) -> Result<String, String> {
        let path = self.0.join(relative);
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        codegen::input::decode(&path.display().to_string(), bytes).map_err(|e| e.to_string())
    }
}

impl Spec {
    /// Generates the spec's crate, reading files its `$ref`s name.
    pub fn generate(
        &self,
        settings: &codegen::CrateSettings,
    ) -> Result<codegen::Files, codegen::Error> {
        codegen::generate_as(
            &self.json,
            self.format,
            settings,
            &Folder(self.folder.clone()),
        )
    }

    /// Lowers the spec.
    pub fn lower(&self) -> Result<codegen::ir::Api, codegen::Error> {
        codegen::lower_as(
            &self.file,
            &self.json,
            self.format,
            &Folder(self.folder.clone()),
        )
    }
}
