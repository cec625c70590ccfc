//! The published google-apis-rs crates (`google-drive3`, ...) that
//! `budget --api` builds beside the generated crate of the same API, and
//! the one call the tiny binary makes through each.
//!
//! Their hubs take a `hyper_util` client and anything `GetToken` (a
//! `String` is a static token), and every call ends in `doit()`. Each
//! crate is built with its default features (rustls through `hyper-rustls`,
//! and `yup-oauth2`), as an application adding it gets it.

use std::fmt;

/// A published crate and the call its tiny binary makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The crate, such as `google-drive3`.
    pub name: String,
    /// Its version requirement, such as `7` (the newest 7.x when fetched).
    pub version: String,
    /// The hub type, such as `DriveHub`.
    pub hub: &'static str,
    /// The call on `hub`, before `.doit()`, such as `files().list()`.
    pub call: &'static str,
}

/// The crates known here: (corpus document, crate, version requirement,
/// hub, call). A crate of another API needs a line here.
const KNOWN: &[(&str, &str, &str, &str, &str)] = &[
    (
        "aiplatform.v1",
        "google-aiplatform1",
        "6",
        "Aiplatform",
        "projects().locations_list(\"projects/p\")",
    ),
    (
        "drive.v3",
        "google-drive3",
        "7",
        "DriveHub",
        "files().list()",
    ),
    (
        "tasks.v1",
        "google-tasks1",
        "7",
        "TasksHub",
        "tasklists().list()",
    ),
    (
        "webrisk.v1",
        "google-webrisk1",
        "7",
        "WebRisk",
        "uris().search().uri(\"http://example.com/\")",
    ),
];

/// What `--against` asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Against {
    /// The known crate of the API, if there is one.
    Auto,
    /// No published crate.
    Nothing,
    /// This crate, at this version requirement (else the known one).
    Crate {
        /// The crate's name.
        name: String,
        /// `NAME@VERSION`'s version.
        version: Option<String>,
    },
}

impl Against {
    /// `auto`, `none`, `NAME` or `NAME@VERSION`.
    pub fn parse(text: &str) -> Result<Against, String> {
        match text.trim() {
            "auto" => Ok(Against::Auto),
            "none" => Ok(Against::Nothing),
            text => {
                let (name, version) = match text.split_once('@') {
                    Some((name, version)) => (name, Some(version.to_owned())),
                    None => (text, None),
                };
                if name.is_empty() || version.as_deref() == Some("") {
                    return Err(format!("`{text}`: expected NAME or NAME@VERSION"));
                }
                Ok(Against::Crate {
                    name: name.to_owned(),
                    version,
                })
            }
        }
    }

    /// The published crate to build beside the API named `api` (a corpus
    /// document's stem, such as `drive.v3`).
    pub fn resolve(&self, api: &str) -> Result<Option<Published>, String> {
        let known =
            |(_, name, version, hub, call): &(_, &str, &str, &'static str, &'static str)| {
                Published {
                    name: (*name).to_owned(),
                    version: (*version).to_owned(),
                    hub,
                    call,
                }
            };
        match self {
            Against::Nothing => Ok(None),
            Against::Auto => Ok(KNOWN.iter().find(|k| k.0 == api).map(known)),
            Against::Crate { name, version } => {
                let found = KNOWN
                    .iter()
                    .find(|k| k.1 == name)
                    .map(known)
                    .ok_or_else(|| {
                        format!(
                            "no call is known for `{name}`; known crates: {}",
                            KNOWN.iter().map(|k| k.1).collect::<Vec<_>>().join(", ")
                        )
                    })?;
                Ok(Some(Published {
                    version: version.clone().unwrap_or(found.version.clone()),
                    ..found
                }))
            }
        }
    }
}

impl fmt::Display for Published {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

impl Published {
    /// The binary's dependency line.
    pub fn dependency_line(&self) -> String {
        format!("{} = {:?}", self.name, self.version)
    }

    /// The binary's `main.rs`: a hub on a `hyper_util` client with rustls
    /// and a static token, and one call.
    pub fn main_rs(&self) -> String {
        let krate = self.name.replace('-', "_");
        format!(
            r#"//! One call through the published {name}.
use {krate}::{{hyper_rustls, hyper_util, {hub}}};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {{
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()?
        .https_or_http()
        .enable_http2()
        .build();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build(connector);
    let hub = {hub}::new(client, String::from("token"));
    let result = hub.{call}.doit().await;
    println!("{{}}", result.is_ok());
    Ok(())
}}
"#,
            name = self.name,
            hub = self.hub,
            call = self.call,
        )
    }
}

/// The version of package `name` in a `Cargo.lock`, the first if several.
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = {name:?}");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == wanted {
            return lines
                .next()?
                .strip_prefix("version = ")
                .map(|v| v.trim_matches('"').to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn against_reads_auto_none_and_a_crate_with_or_without_version() {
        assert_eq!(Against::parse("auto"), Ok(Against::Auto));
        assert_eq!(Against::parse("none"), Ok(Against::Nothing));
        assert_eq!(
            Against::parse("google-drive3@7.0.0"),
            Ok(Against::Crate {
                name: "google-drive3".into(),
                version: Some("7.0.0".into())
            })
        );
        assert!(Against::parse("google-drive3@").is_err());
        assert!(Against::parse("@7").is_err());
    }

    #[test]
    fn a_known_api_finds_its_crate_and_an_unknown_crate_is_an_error() {
        let drive = Against::Auto.resolve("drive.v3").unwrap().unwrap();
        assert_eq!(drive.to_string(), "google-drive3 7");
        assert_eq!(drive.dependency_line(), "google-drive3 = \"7\"");
        assert_eq!(Against::Auto.resolve("kgsearch.v1"), Ok(None));
        assert_eq!(Against::Nothing.resolve("drive.v3"), Ok(None));
        let pinned = Against::parse("google-drive3@=7.0.0")
            .unwrap()
            .resolve("x")
            .unwrap()
            .unwrap();
        assert_eq!(pinned.version, "=7.0.0");
        let err = Against::parse("google-foo1")
            .unwrap()
            .resolve("x")
            .unwrap_err();
        assert!(err.contains("google-drive3"), "{err}");
    }

    #[test]
    fn the_binary_calls_through_the_hub() {
        let main = Against::Auto
            .resolve("drive.v3")
            .unwrap()
            .unwrap()
            .main_rs();
        assert!(main.contains("use google_drive3::{hyper_rustls, hyper_util, DriveHub};"));
        assert!(main.contains("hub.files().list().doit().await"));
    }

    #[test]
    fn the_locked_version_is_read_off_the_lock_file() {
        let lock = "[[package]]\nname = \"google-drive3\"\nversion = \"7.0.0+20251218\"\n";
        assert_eq!(
            locked_version(lock, "google-drive3").as_deref(),
            Some("7.0.0+20251218")
        );
        assert_eq!(locked_version(lock, "google-tasks1"), None);
    }
}
