//! `cargo xtask budget --shared-runtime`: what sharing one runtime saves an
//! application that uses two generated APIs.
//!
//! One tiny binary calls Data Portability (`specs/`) and Google Tasks (from
//! `../shared/corpus/discovery/`) and is built from clean in two workspaces
//! that differ only in how the two crates get their runtime: (a) one copy
//! of `google-api-runtime` both depend on, as `generate --runtime path`
//! gives them; (b) a copy each, with its package renamed
//! (`google-api-runtime-a`, `-b`) and depended on as `package = "..."`
//! under the usual name, so the generated code's `google_api_runtime` still
//! resolves: the old world, where every crate compiled the runtime as a
//! module of its own. Both copies are the runtime's files byte for byte
//! (but for the package name), so the difference is the second build of
//! the runtime alone.

use super::{Measurement, TOKIO, cargo, measure, write_crate};
use crate::generate;
use crate::spec;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// The corpus document of the second API, relative to the repository root:
/// a real Google API small enough to keep the build about the runtime.
const CORPUS_SPEC: &str = "../shared/corpus/discovery/tasks.v1.json";

/// The spec of the first API, relative to the repository root.
const LOCAL_SPEC: &str = "specs/dataportability.v1.json";

/// The runtime's package name, as generated crates depend on it.
const RUNTIME: &str = codegen::runtime::PACKAGE;

const MAIN: &str = r#"//! One call through each of two generated clients.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let portability = google_dataportability_v1::Client::builder()
        .endpoint("http://127.0.0.1:9/")
        .token_provider(google_dataportability_v1::StaticToken::new("token")?)
        .build()?;
    if let Ok(response) = portability.archive_jobs().retry("archiveJobs/1").await {
        println!("{response:?}");
    }
    let tasks = google_tasks_v1::Client::builder()
        .endpoint("http://127.0.0.1:9/")
        .token_provider(google_tasks_v1::StaticToken::new("token")?)
        .build()?;
    if let Ok(response) = tasks.tasklists().list().await {
        println!("{response:?}");
    }
    Ok(())
}
"#;

/// A generated crate of the binary: its package name and files.
struct Member {
    name: String,
    files: codegen::Files,
}

/// Builds the two-API binary with one runtime and with a runtime per crate,
/// `runs` times each from clean, alternating, and reports; or says why not
/// when the corpus is absent.
pub fn run(root: &Path, runs: usize) -> io::Result<String> {
    let corpus_spec = root.join(CORPUS_SPEC);
    if !corpus_spec.is_file() {
        return Ok(format!(
            "note: {} is absent; skipping the shared-runtime budget\n",
            corpus_spec.display()
        ));
    }
    let members = [
        generate_member(&root.join(LOCAL_SPEC))?,
        generate_member(&corpus_spec)?,
    ];
    let work = root.join("target/budget-shared");
    let one = work.join("one-runtime");
    let two = work.join("two-runtimes");
    for dir in [&one, &two] {
        // Leftovers of an earlier layout would become members too.
        remove_dir_if_present(dir)?;
    }
    write_workspace(root, &one, &members, Layout::Shared)?;
    write_workspace(root, &two, &members, Layout::PerCrate)?;
    // Fetch once, so downloads are not timed.
    for dir in [&one, &two] {
        cargo(dir, &["fetch", "--quiet"])?;
    }
    let names = members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>();
    let mut measurements = measure(
        &[
            (format!("{} (one runtime)", names.join(" + ")), one),
            (format!("{} (a runtime each)", names.join(" + ")), two),
        ],
        runs,
    )?;
    let [shared, copies] = [measurements.remove(0), measurements.remove(0)];
    Ok(report(&shared, &copies))
}

/// Where the generated crates of a workspace take their runtime from.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Layout {
    /// One copy at `runtime/`, which both depend on.
    Shared,
    /// A copy each at `runtime-a/`, `runtime-b/`, ..., renamed.
    PerCrate,
}

/// The crate of the spec at `path`, as `generate` names it.
fn generate_member(path: &Path) -> io::Result<Member> {
    let spec = spec::read(path).map_err(io::Error::other)?;
    let name = generate::spec_crate_name(&spec);
    // The path is rewritten per workspace ([`member_manifest`]).
    let settings = generate::settings(&spec, &name, false, "runtime".to_owned());
    let files = spec.generate(&settings).map_err(io::Error::other)?;
    Ok(Member { name, files })
}

/// Writes the binary, its generated crates under `crates/` and their
/// runtime copies into `dir`; all are members of the binary's workspace, so
/// they build with its profile and its one `Cargo.lock`.
fn write_workspace(root: &Path, dir: &Path, members: &[Member], layout: Layout) -> io::Result<()> {
    let mut dependencies = String::new();
    for (index, member) in members.iter().enumerate() {
        let suffix = (b'a' + index as u8) as char;
        let (runtime_dir, package) = match layout {
            Layout::Shared => ("runtime".to_owned(), None),
            Layout::PerCrate => (
                format!("runtime-{suffix}"),
                Some(format!("{RUNTIME}-{suffix}")),
            ),
        };
        let crate_dir = dir.join("crates").join(&member.name);
        for (path, text) in &member.files {
            let text = if path == "Cargo.toml" {
                member_manifest(text, &format!("../../{runtime_dir}"), package.as_deref())?
            } else {
                text.clone()
            };
            write_file(&crate_dir.join(path), &text)?;
        }
        if layout == Layout::PerCrate || index == 0 {
            write_runtime(&dir.join(&runtime_dir), package.as_deref())?;
        }
        let _ = writeln!(
            dependencies,
            "{} = {{ path = \"crates/{}\" }}",
            member.name, member.name
        );
    }
    dependencies.push_str(TOKIO);
    write_crate(dir, &dependencies, MAIN, root)?;
    Ok(())
}

/// Writes the runtime's files into `dir`, with its package renamed to
/// `package` when given.
fn write_runtime(dir: &Path, package: Option<&str>) -> io::Result<()> {
    for (path, text) in codegen::runtime::files() {
        let text = match (path.as_str(), package) {
            ("Cargo.toml", Some(package)) => runtime_manifest(text, package)?,
            _ => text.to_owned(),
        };
        write_file(&dir.join(&path), &text)?;
    }
    Ok(())
}

/// The runtime's manifest with its package named `package`. Its library
/// keeps the runtime's name: the crates that depend on it rename it back
/// anyway, and two libraries of one name are what cargo builds for two
/// versions of any crate.
fn runtime_manifest(manifest: &str, package: &str) -> io::Result<String> {
    replace_line(
        manifest,
        &format!("name = \"{RUNTIME}\""),
        &format!("name = \"{package}\""),
    )
}

/// A generated crate's manifest with its runtime dependency at `path`, and
/// on the package `package` (under the runtime's usual name) when given.
fn member_manifest(manifest: &str, path: &str, package: Option<&str>) -> io::Result<String> {
    let prefix = format!("{RUNTIME} = {{ ");
    let line = manifest
        .lines()
        .find(|line| line.starts_with(&prefix))
        .ok_or_else(|| io::Error::other(format!("no `{prefix}` line in a generated manifest")))?;
    let version = line
        .split("version = ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .ok_or_else(|| io::Error::other(format!("no version in `{line}`")))?;
    let package = package
        .map(|package| format!("package = \"{package}\", "))
        .unwrap_or_default();
    replace_line(
        manifest,
        line,
        &format!("{prefix}{package}version = {version}, path = \"{path}\" }}"),
    )
}

/// `text` with its one line `old` replaced by `new`.
fn replace_line(text: &str, old: &str, new: &str) -> io::Result<String> {
    let mut found = 0;
    let lines: Vec<&str> = text
        .lines()
        .map(|line| {
            if line == old {
                found += 1;
                new
            } else {
                line
            }
        })
        .collect();
    if found != 1 {
        return Err(io::Error::other(format!(
            "expected one line `{old}`, found {found}"
        )));
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

fn write_file(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

fn remove_dir_if_present(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Both medians, every run, and the ratio of a runtime each to one.
fn report(shared: &Measurement, copies: &Measurement) -> String {
    let mut out = super::render(&[shared, copies]);
    let ratio = copies.median().as_secs_f64() / shared.median().as_secs_f64();
    let saved = copies.median().as_secs_f64() - shared.median().as_secs_f64();
    let _ = writeln!(
        out,
        "ratio (a runtime each / one runtime): {ratio:.3} ({saved:+.1}s for the second copy)"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENERATED: &str = "# @generated by `cargo xtask generate` from x.json. Do not edit.\n\
        [package]\nname = \"google-x-v1\"\n\n[dependencies]\n\
        google-api-runtime = { version = \"0.1\", path = \"runtime\" }\nserde_json = \"1\"\n\n\
        [features]\ndispatch = [\"google-api-runtime/dispatch\"]\n";

    #[test]
    fn a_shared_runtime_is_one_path_and_a_copy_each_is_renamed_back() {
        let shared = member_manifest(GENERATED, "../../runtime", None).unwrap();
        assert!(
            shared.contains(
                "\ngoogle-api-runtime = { version = \"0.1\", path = \"../../runtime\" }\n"
            )
        );
        let own =
            member_manifest(GENERATED, "../../runtime-b", Some("google-api-runtime-b")).unwrap();
        assert!(own.contains(
            "\ngoogle-api-runtime = { package = \"google-api-runtime-b\", version = \"0.1\", path = \"../../runtime-b\" }\n"
        ), "{own}");
        // The features still name the dependency as the code does.
        assert!(own.contains("dispatch = [\"google-api-runtime/dispatch\"]\n"));
        assert_eq!(own.lines().count(), GENERATED.lines().count());
    }

    #[test]
    fn the_runtime_copy_is_renamed_and_otherwise_the_same() {
        let (_, manifest) = codegen::runtime::files()
            .into_iter()
            .find(|(path, _)| path == "Cargo.toml")
            .unwrap();
        let renamed = runtime_manifest(manifest, "google-api-runtime-a").unwrap();
        assert!(renamed.contains("\nname = \"google-api-runtime-a\"\n"));
        let differing: Vec<(&str, &str)> = manifest
            .lines()
            .zip(renamed.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(
            differing,
            [(
                "name = \"google-api-runtime\"",
                "name = \"google-api-runtime-a\""
            )]
        );
    }

    #[test]
    fn a_manifest_without_the_runtime_line_is_an_error() {
        let err = member_manifest("[dependencies]\nserde = \"1\"\n", "x", None).unwrap_err();
        assert!(err.to_string().contains("google-api-runtime = {"), "{err}");
        assert!(replace_line("a\na\n", "a", "b").is_err());
    }

    #[test]
    fn both_workspaces_get_their_runtimes() {
        let dir = std::env::temp_dir().join(format!("xtask-budget-shared-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let member = |name: &str| Member {
            name: name.to_owned(),
            files: [
                (
                    "Cargo.toml".to_owned(),
                    GENERATED.replace("google-x-v1", name),
                ),
                ("src/lib.rs".to_owned(), "//! x\n".to_owned()),
            ]
            .into(),
        };
        let members = [member("google-x-v1"), member("google-y-v1")];
        let root = crate::repository_root();
        write_workspace(&root, &dir.join("one"), &members, Layout::Shared).unwrap();
        write_workspace(&root, &dir.join("two"), &members, Layout::PerCrate).unwrap();
        let read = |path: &str| fs::read_to_string(dir.join(path)).unwrap();
        assert!(dir.join("one/runtime/src/lib.rs").is_file());
        assert!(!dir.join("one/runtime-a").exists());
        assert!(read("one/crates/google-y-v1/Cargo.toml").contains("path = \"../../runtime\""));
        assert!(read("two/runtime-b/Cargo.toml").contains("name = \"google-api-runtime-b\""));
        assert!(
            read("two/crates/google-y-v1/Cargo.toml")
                .contains("package = \"google-api-runtime-b\"")
        );
        assert_eq!(
            read("two/runtime-a/src/lib.rs"),
            read("one/runtime/src/lib.rs")
        );
        let binary = read("two/Cargo.toml");
        assert!(binary.contains("google-x-v1 = { path = \"crates/google-x-v1\" }"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
