//! `cargo xtask diff`: what changed in an API between two Discovery
//! documents, or in every spec of `specs/specs.yaml` since a git revision.
//!
//! This module reads the inputs (two files, or git and the working tree),
//! renders the report (Markdown for pull-request comments, JSON for tools)
//! and decides the exit status. The comparison itself is
//! [`codegen::diff`]'s: it runs on lowered APIs, so whitespace and key order
//! are never changes.

use crate::manifest::{MANIFEST_PATH, Manifest, ManifestError};
use codegen::diff::{Report, Semver};
use codegen::ir::Api;
use std::io;
use std::path::Path;
use std::process::Command;

/// How the report is printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people and pull-request comments.
    #[default]
    Markdown,
    /// For tools; pretty-printed.
    Json,
}

/// Which changes make the command exit with 1 (after printing the report).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Changes that need a major version bump.
    Breaking,
    /// Any change, documentation included.
    Any,
}

/// Why there is no report.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file, as the user named it.
        path: String,
        /// The I/O error.
        source: io::Error,
    },
    /// A document is not a Discovery document; the message has the JSON path.
    #[error(transparent)]
    Spec(#[from] codegen::Error),
    /// `specs/specs.yaml` cannot be used.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// git could not run, or could not answer.
    #[error("{0}")]
    Git(String),
}

/// What became of one spec since the revision.
#[derive(Debug)]
pub enum Status {
    /// In both: the changes between them.
    Compared(Report),
    /// Absent at the revision. Everything in it is an addition.
    New {
        /// The API's name and version, such as `dataportability v1`.
        api: String,
        /// How many methods it has.
        methods: usize,
    },
    /// At the revision but gone: the file is deleted, or `specs.yaml` no
    /// longer lists it, so its crate is no longer generated.
    Deleted {
        /// The API's name and version.
        api: String,
        /// How many methods it had.
        methods: usize,
    },
}

impl Status {
    /// `compared`, `new` or `deleted`: the `status` key of the JSON.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Compared(_) => "compared",
            Self::New { .. } => "new",
            Self::Deleted { .. } => "deleted",
        }
    }
}

/// One spec of a `--since` diff.
#[derive(Debug)]
pub struct SpecDiff {
    /// The spec's path, relative to the repository root.
    pub spec: String,
    /// What became of it.
    pub status: Status,
}

impl SpecDiff {
    /// The bump the spec's crate needs. A new crate adds only; a deleted one
    /// removes every method its users call.
    pub fn semver(&self) -> Semver {
        match &self.status {
            Status::Compared(report) => report.semver(),
            Status::New { .. } => Semver::Minor,
            Status::Deleted { .. } => Semver::Major,
        }
    }
}

/// A finished diff, ready to print.
#[derive(Debug)]
pub enum Diff {
    /// Two documents given on the command line.
    Files(Report),
    /// Every spec of the manifest against the revision.
    Since {
        /// The revision as the user wrote it, for messages.
        rev: String,
        /// In manifest order, then specs only the revision's manifest lists.
        specs: Vec<SpecDiff>,
    },
}

impl Diff {
    /// The highest bump any spec needs.
    pub fn semver(&self) -> Semver {
        match self {
            Self::Files(report) => report.semver(),
            Self::Since { specs, .. } => specs
                .iter()
                .map(SpecDiff::semver)
                .max()
                .unwrap_or(Semver::None),
        }
    }

    /// Whether the command must exit with 1 under `fail_on`.
    pub fn fails(&self, fail_on: Option<FailOn>) -> bool {
        // Semver already ranks documentation (patch) above nothing and
        // breaking (major) above all, so both rules are one comparison.
        match fail_on {
            None => false,
            Some(FailOn::Breaking) => self.semver() == Semver::Major,
            Some(FailOn::Any) => self.semver() > Semver::None,
        }
    }

    /// The report as `format`, ending with a newline.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Markdown => self.to_markdown(),
            Format::Json => {
                let mut text = serde_json::to_string_pretty(&self.to_json())
                    .expect("a JSON value always serializes");
                text.push('\n');
                text
            }
        }
    }

    fn to_markdown(&self) -> String {
        match self {
            Self::Files(report) => codegen::diff::to_markdown(report),
            Self::Since { specs, .. } if specs.is_empty() => {
                format!("{MANIFEST_PATH} lists no spec\n")
            }
            Self::Since { rev, specs } => specs
                .iter()
                .map(|spec| spec_markdown(rev, spec))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Files(report) => codegen::diff::to_json(report),
            Self::Since { specs, .. } => serde_json::json!({
                "specs": specs.iter().map(spec_json).collect::<Vec<_>>(),
                "semver": self.semver().as_str(),
            }),
        }
    }
}

/// A heading naming the spec, since the report's own headline names only
/// the API, then the report or a line saying the spec is new or deleted.
fn spec_markdown(rev: &str, spec: &SpecDiff) -> String {
    let heading = format!("## `{}`\n\n", spec.spec);
    let line = match &spec.status {
        Status::Compared(report) => return heading + &codegen::diff::to_markdown(report),
        Status::New { api, methods } => {
            format!(
                "**{api}**: new spec (absent at `{rev}`), {}",
                count(*methods)
            )
        }
        Status::Deleted { api, methods } => {
            format!(
                "**{api}**: deleted since `{rev}` (it had {})",
                count(*methods)
            )
        }
    };
    format!(
        "{heading}{line}\n\nVersion bump needed: **{}**\n",
        spec.semver().as_str()
    )
}

fn count(methods: usize) -> String {
    match methods {
        1 => "1 method".to_owned(),
        n => format!("{n} methods"),
    }
}

/// The spec's path and status, then what `codegen::diff::to_json` gives
/// for a report; new and deleted specs get the same keys so tools can
/// read every entry alike.
fn spec_json(spec: &SpecDiff) -> serde_json::Value {
    let mut entry = serde_json::json!({"spec": spec.spec});
    let rest = match &spec.status {
        Status::Compared(report) => {
            let mut json = codegen::diff::to_json(report);
            json["status"] = spec.status.label().into();
            json
        }
        Status::New { api, methods } | Status::Deleted { api, methods } => serde_json::json!({
            "status": spec.status.label(),
            "api": api,
            "methods": methods,
            "semver": spec.semver().as_str(),
            "changes": [],
        }),
    };
    if let (Some(entry), serde_json::Value::Object(rest)) = (entry.as_object_mut(), rest) {
        entry.extend(rest);
    }
    entry
}

/// Compares the documents at `old` and `new`.
pub fn files(old: &Path, new: &Path) -> Result<Diff, DiffError> {
    let old = lower_file(old)?;
    let new = lower_file(new)?;
    Ok(Diff::Files(codegen::diff::diff(&old, &new)))
}

fn lower_file(path: &Path) -> Result<Api, DiffError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| DiffError::Read {
        path: name.clone(),
        source,
    })?;
    let json = codegen::input::decode(&name, bytes)?;
    Ok(codegen::lower_any(
        &name,
        &json,
        &crate::spec::Folder::of(path),
    )?)
}

/// Compares every spec of the manifest under `root` with its content at
/// the git revision `rev`.
pub fn since(root: &Path, rev: &str) -> Result<Diff, DiffError> {
    let manifest = Manifest::load(root)?;
    let git = Git::at(root, rev)?;
    let mut paths: Vec<(String, bool)> = Vec::new();
    for entry in &manifest.specs {
        // Two crates may come from one spec; its report is shown once.
        if !paths.iter().any(|(p, _)| *p == entry.spec) {
            paths.push((entry.spec.clone(), true));
        }
    }
    // Specs the manifest listed then but not now: their crates are gone.
    if let Some(text) = git.file(MANIFEST_PATH)? {
        let mut gone: Vec<String> = listed_specs(&text)
            .into_iter()
            .filter(|old| !paths.iter().any(|(p, _)| p == old))
            .collect();
        gone.sort();
        gone.dedup();
        paths.extend(gone.into_iter().map(|p| (p, false)));
    }
    let mut specs = Vec::new();
    for (path, listed) in paths {
        let name_then = format!("{rev}:{path}");
        let then = git.file(&path)?;
        let now = if listed {
            match std::fs::read(root.join(&path)) {
                Ok(bytes) => Some(codegen::input::decode(&path, bytes)?),
                // Deleted in the working tree: a deletion if it was there.
                Err(e) if e.kind() == io::ErrorKind::NotFound && then.is_some() => None,
                Err(source) => return Err(DiffError::Read { path, source }),
            }
        } else {
            None
        };
        let status = match (then, now) {
            (Some(then), Some(now)) => Status::Compared(codegen::diff::diff(
                &codegen::lower_any(&name_then, &then, &codegen::openapi::refs::NoFiles)?,
                &codegen::lower_any(&path, &now, &crate::spec::Folder::of(&root.join(&path)))?,
            )),
            (None, Some(now)) => {
                let api =
                    codegen::lower_any(&path, &now, &crate::spec::Folder::of(&root.join(&path)))?;
                Status::New {
                    api: api_name(&api),
                    methods: method_count(&api),
                }
            }
            (Some(then), None) => {
                let api = codegen::lower_any(&name_then, &then, &codegen::openapi::refs::NoFiles)?;
                Status::Deleted {
                    api: api_name(&api),
                    methods: method_count(&api),
                }
            }
            // Listed by neither the manifest now nor the file then: nothing
            // to say. (Listed now but missing everywhere is a read error above.)
            (None, None) => continue,
        };
        specs.push(SpecDiff { spec: path, status });
    }
    Ok(Diff::Since {
        rev: rev.to_owned(),
        specs,
    })
}

/// The `spec` of each entry of a manifest as it was. Read leniently: the
/// manifest's other keys may have changed since, and they do not matter here.
fn listed_specs(manifest: &str) -> Vec<String> {
    // A manifest that was not YAML then built no crate then: nothing was deleted.
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(manifest) else {
        return Vec::new();
    };
    value
        .get("specs")
        .and_then(serde_yaml::Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.get("spec")?.as_str().map(str::to_owned))
        .collect()
}

fn api_name(api: &Api) -> String {
    format!("{} {}", api.name, api.version)
}

fn method_count(api: &Api) -> usize {
    api.all_methods().len()
}

/// A git repository and one commit in it.
struct Git<'a> {
    root: &'a Path,
    /// The revision as the user wrote it, to name files in errors.
    rev: String,
    /// The full hash: the revision resolved once, so every file is read
    /// from the same commit even if a branch moves meanwhile.
    commit: String,
}

impl<'a> Git<'a> {
    /// Resolves `rev` to a commit, or says why it cannot.
    fn at(root: &'a Path, rev: &str) -> Result<Self, DiffError> {
        let spec = format!("{rev}^{{commit}}");
        // `--end-of-options`: a revision starting with `-` is not an option.
        let output = run_git(
            root,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &spec,
            ],
        )?;
        if !output.status.success() {
            // `--quiet` silences "unknown revision" but not, say, "not a git
            // repository", which is then the better message.
            let stderr = String::from_utf8_lossy(&output.stderr);
            let why = match stderr.trim() {
                "" => "unknown revision",
                detail => detail,
            };
            return Err(DiffError::Git(format!(
                "git cannot resolve `{rev}` to a commit in {}: {why}",
                root.display()
            )));
        }
        let commit = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        Ok(Self {
            root,
            rev: rev.to_owned(),
            commit,
        })
    }

    /// The text of `path` (relative to the root) at the commit, or `None`
    /// when the commit has no such file.
    fn file(&self, path: &str) -> Result<Option<String>, DiffError> {
        // `ls-tree` tells a missing file from a failure, which `git show`
        // does not; it prints nothing for a path the commit lacks. Its
        // paths, and `./` in an object name, are relative to the working
        // directory, so `root` may be a folder inside a larger repository.
        let listed = self.checked(&["ls-tree", "--name-only", &self.commit, "--", path])?;
        if listed.is_empty() {
            return Ok(None);
        }
        // `cat-file blob` is `git show` for a file, without any textconv.
        let object = format!("{}:./{path}", self.commit);
        let bytes = self.checked(&["cat-file", "blob", &object])?;
        Ok(Some(codegen::input::decode(
            &format!("{}:{path}", self.rev),
            bytes,
        )?))
    }

    /// Runs git and returns its stdout, or an error with its stderr.
    fn checked(&self, args: &[&str]) -> Result<Vec<u8>, DiffError> {
        let output = run_git(self.root, args)?;
        if output.status.success() {
            return Ok(output.stdout);
        }
        Err(DiffError::Git(format!(
            "`git {}` failed in {}: {}",
            args.join(" "),
            self.root.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

fn run_git(root: &Path, args: &[&str]) -> Result<std::process::Output, DiffError> {
    Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| DiffError::Git(format!("cannot run git in {}: {e}", root.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use codegen::diff::Change;
    use codegen::diff::rules::Kind;

    const SPEC: &str = r#"{
      "name": "tiny", "version": "v1", "rootUrl": "https://tiny.example.com/", "servicePath": "",
      "revision": "1",
      "resources": {"things": {
        "methods": {"get": {"id": "tiny.things.get", "httpMethod": "GET", "path": "v1/things"}},
        "resources": {"parts": {"methods": {
          "list": {"id": "tiny.things.parts.list", "httpMethod": "GET", "path": "v1/parts"}
        }}}
      }}
    }"#;

    fn report(kinds: &[Kind]) -> Report {
        Report {
            api: "tiny v1".into(),
            revisions: ("1".into(), "2".into()),
            changes: kinds
                .iter()
                .map(|&kind| Change {
                    kind,
                    item: "x".into(),
                    detail: "y".into(),
                })
                .collect(),
        }
    }

    fn since(statuses: Vec<Status>) -> Diff {
        Diff::Since {
            rev: "HEAD".into(),
            specs: statuses
                .into_iter()
                .enumerate()
                .map(|(i, status)| SpecDiff {
                    spec: format!("specs/{i}.json"),
                    status,
                })
                .collect(),
        }
    }

    #[test]
    fn fail_on_breaking_needs_a_breaking_change_and_any_needs_one_change() {
        let cases = [
            (vec![], [false, false, false]),
            (vec![Kind::DescriptionChanged], [false, false, true]),
            (vec![Kind::MethodAdded], [false, false, true]),
            (
                vec![Kind::ScopeRemoved, Kind::MethodAdded],
                [false, true, true],
            ),
        ];
        for (kinds, expected) in cases {
            let diff = Diff::Files(report(&kinds));
            let got = [None, Some(FailOn::Breaking), Some(FailOn::Any)].map(|f| diff.fails(f));
            assert_eq!(got, expected, "{kinds:?}");
        }
    }

    #[test]
    fn new_specs_are_minor_and_deleted_ones_major() {
        let new = || Status::New {
            api: "tiny v1".into(),
            methods: 2,
        };
        let quiet = since(vec![Status::Compared(report(&[])), new()]);
        assert_eq!(quiet.semver(), Semver::Minor);
        assert!(quiet.fails(Some(FailOn::Any)) && !quiet.fails(Some(FailOn::Breaking)));
        let gone = since(vec![
            new(),
            Status::Deleted {
                api: "tiny v1".into(),
                methods: 1,
            },
        ]);
        assert_eq!(gone.semver(), Semver::Major);
        assert!(gone.fails(Some(FailOn::Breaking)));
        assert_eq!(since(vec![]).semver(), Semver::None);
    }

    #[test]
    fn since_markdown_has_one_section_per_spec() {
        let diff = since(vec![
            Status::Compared(report(&[Kind::ScopeRemoved])),
            Status::New {
                api: "tiny v1".into(),
                methods: 1,
            },
        ]);
        let text = diff.render(Format::Markdown);
        let sections: Vec<&str> = text.split("\n\n## ").collect();
        assert_eq!(sections.len(), 2, "{text}");
        assert!(sections[0].starts_with("## `specs/0.json`\n\n**tiny v1** (1 → 2)"));
        assert!(sections[0].contains("`scope_removed`"));
        assert!(sections[1].contains("new spec (absent at `HEAD`), 1 method\n"));
        assert!(sections[1].ends_with("Version bump needed: **minor**\n"));
        assert_eq!(
            since(vec![]).render(Format::Markdown),
            "specs/specs.yaml lists no spec\n"
        );
    }

    #[test]
    fn since_json_lists_specs_and_the_highest_bump() {
        let diff = since(vec![
            Status::Compared(report(&[Kind::DescriptionChanged])),
            Status::Deleted {
                api: "tiny v1".into(),
                methods: 3,
            },
        ]);
        let json: serde_json::Value =
            serde_json::from_str(&diff.render(Format::Json)).expect("valid JSON");
        assert_eq!(json["semver"], "major");
        let specs = json["specs"].as_array().unwrap();
        assert_eq!(specs[0]["spec"], "specs/0.json");
        assert_eq!(specs[0]["status"], "compared");
        assert_eq!(specs[0]["semver"], "patch");
        assert_eq!(specs[0]["changes"][0]["kind"], "description_changed");
        assert_eq!(specs[1]["status"], "deleted");
        assert_eq!(specs[1]["methods"], 3);
        assert_eq!(specs[1]["semver"], "major");
    }

    #[test]
    fn files_json_is_the_report_itself() {
        let json: serde_json::Value =
            serde_json::from_str(&Diff::Files(report(&[])).render(Format::Json)).unwrap();
        assert_eq!(json["semver"], "none");
        assert_eq!(json["api"], "tiny v1");
    }

    #[test]
    fn counts_methods_in_nested_resources() {
        let api = codegen::lower::lower("tiny.json", SPEC).unwrap();
        assert_eq!(method_count(&api), 2);
        assert_eq!(api_name(&api), "tiny v1");
    }

    #[test]
    fn old_manifests_are_read_for_their_spec_paths_only() {
        let old = "specs:\n  - spec: specs/a.json\n    renamed-key: 1\n  - crate: no-spec\n";
        assert_eq!(listed_specs(old), ["specs/a.json"]);
        assert!(listed_specs("specs: [unclosed").is_empty());
    }

    #[test]
    fn a_missing_file_is_named_in_the_error() {
        let err = files(Path::new("no/such.json"), Path::new("no/other.json")).unwrap_err();
        assert!(err.to_string().starts_with("no/such.json: "), "{err}");
    }
}
