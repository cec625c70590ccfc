//! `cargo xtask budget --api NAME`: the build cost of the crate of any
//! corpus API, side by side with the floor and the published crate.
//!
//! For each API (a document of `../shared/corpus/discovery/` by stem, such
//! as `drive.v3`, or a path), the crate is generated under
//! `target/budget-api/crates/` (standalone, on this checkout's runtime), and
//! tiny binaries making one call are written under `target/budget-api/bin/`:
//! one per `--features` selection of the generated crate, one through the
//! published google-apis-rs crate of the API ([`super::published`]), and
//! the floor of [`super::run`] (`reqwest` + `serde` + `serde_json` +
//! `tokio`). All are built from clean, alternating, `runs` times; the report
//! gives each median time and peak memory and their ratios to the floor
//! and to the published crate.

use super::call::{client_main, pick_call};
use super::features::{self, Selection};
use super::published::{self, Against, Published};
use super::{Measurement, TOKIO, cargo, measure, render, stats, write_crate, write_floor};
use crate::generate;
use crate::spec;
use codegen::ir::Api;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The corpus of Discovery documents, relative to the repository root.
pub const CORPUS: &str = "../shared/corpus/discovery";

/// What to measure.
#[derive(Clone, Debug)]
pub struct Options {
    /// Corpus document stems (`drive.v3`) or paths to documents.
    pub apis: Vec<String>,
    /// Which published crate to build beside each.
    pub against: Against,
    /// The generated crate's feature selections, one binary each (none:
    /// the default features alone).
    pub selections: Vec<Selection>,
    /// Clean builds of each binary.
    pub runs: usize,
}

/// A generated crate written to disk, with its IR.
pub struct Generated {
    /// The package name.
    pub name: String,
    /// Its folder.
    pub dir: PathBuf,
    /// The lowered API.
    pub api: Api,
    /// The features its `Cargo.toml` declares.
    pub declared: Vec<String>,
    /// The document's size in bytes.
    pub spec_bytes: usize,
}

/// The document `api` names: an existing file, else a corpus stem.
pub fn spec_path(root: &Path, api: &str) -> PathBuf {
    let path = Path::new(api);
    if path.is_file() {
        path.to_path_buf()
    } else {
        root.join(CORPUS).join(format!("{api}.json"))
    }
}

/// The stem naming a document in reports and in the published-crate table.
pub fn stem(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.strip_suffix(".json")
        .or_else(|| name.strip_suffix(".yaml"))
        .unwrap_or(&name)
        .to_owned()
}

/// Generates the crate of the document at `spec_path` into
/// `parent/<crate name>/`, depending on this checkout's runtime by path;
/// `standalone` gives it its own `[workspace]`.
pub fn generate_crate(spec_path: &Path, parent: &Path, standalone: bool) -> io::Result<Generated> {
    let spec = spec::read(spec_path).map_err(io::Error::other)?;
    let name = generate::spec_crate_name(&spec);
    let dir = parent.join(&name);
    fs::create_dir_all(&dir)?;
    let runtime = generate::relative_path(&fs::canonicalize(&dir)?, &generate::runtime_dir());
    let settings = generate::settings(&spec, &name, standalone, runtime);
    let files = spec.generate(&settings).map_err(io::Error::other)?;
    let api = spec.lower().map_err(io::Error::other)?;
    crate::output::write(&dir, &files).map_err(io::Error::other)?;
    let declared = features::declared(files.get("Cargo.toml").map_or("", String::as_str));
    Ok(Generated {
        name,
        dir,
        api,
        declared,
        spec_bytes: spec.json.len(),
    })
}

/// One binary to build, and what it stands for.
struct Binary {
    name: String,
    dir: PathBuf,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Floor,
    Generated(usize),
    Published(usize),
}

/// Writes, fetches, builds and reports.
pub fn run(root: &Path, options: &Options) -> io::Result<String> {
    let work = root.join("target/budget-api");
    let bin = work.join("bin");
    let crates = work.join("crates");
    let selections = if options.selections.is_empty() {
        vec![Selection::Default]
    } else {
        options.selections.clone()
    };
    let mut header = String::new();
    // The floor comes first in the loop; it is written once every API is
    // known to be fine, so a wrong option fails before anything is built.
    let mut binaries = Vec::new();
    for (index, api_name) in options.apis.iter().enumerate() {
        let path = spec_path(root, api_name);
        if !path.is_file() {
            return Err(io::Error::other(format!(
                "{} is absent (an API is a corpus document's stem, such as drive.v3, or a path)",
                path.display()
            )));
        }
        let api_stem = stem(&path);
        let published = options
            .against
            .resolve(&api_stem)
            .map_err(io::Error::other)?;
        let generated = generate_crate(&path, &crates, true)?;
        let resources: Vec<String> =
            features::resource_features(&generated.declared, &generated.api)
                .into_iter()
                .map(|(name, _)| name)
                .collect();
        let _ = writeln!(
            header,
            "API {api_stem}: {} ({} KiB document, {} top-level resources, resource features: {})",
            generated.name,
            generated.spec_bytes / 1024,
            generated.api.resources.len(),
            if resources.is_empty() {
                "none".to_owned()
            } else {
                resources.len().to_string()
            }
        );
        for selection in &selections {
            let missing = selection.missing(&generated.declared);
            if !missing.is_empty() {
                return Err(io::Error::other(format!(
                    "{} declares no feature {}; it declares: {}",
                    generated.name,
                    missing.join(", "),
                    generated.declared.join(", ")
                )));
            }
            let compiled =
                features::compiled_resources(&generated.api, &generated.declared, selection);
            let call = pick_call(&generated.api, &|index| compiled[index]).ok_or_else(|| {
                io::Error::other(format!(
                    "{} with {}: no method reachable that takes only strings and no body",
                    generated.name,
                    selection.label()
                ))
            })?;
            let _ = writeln!(
                header,
                "  {}: calls {}",
                selection.label(),
                call.expression()
            );
            let dependency =
                selection.dependency_line(&generated.name, &generated.dir.display().to_string());
            let dir = write_crate(
                &bin.join(format!("{}-{}", generated.name, selection.tag())),
                &format!("{dependency}\n{TOKIO}"),
                &client_main(&generated.name, &call),
                root,
            )?;
            binaries.push(Binary {
                name: format!("{} ({})", generated.name, selection.label()),
                dir,
                kind: Kind::Generated(index),
            });
        }
        if let Some(published) = published {
            let dir = write_published(root, &bin, &published)?;
            let _ = writeln!(
                header,
                "  published {}: calls hub.{}.doit()",
                published.name, published.call
            );
            binaries.push(Binary {
                name: format!("{published} (published)"),
                dir,
                kind: Kind::Published(index),
            });
        }
    }
    binaries.insert(
        0,
        Binary {
            name: super::FLOOR.to_owned(),
            dir: write_floor(root, &bin.join("floor"))?,
            kind: Kind::Floor,
        },
    );
    // Fetch once, so downloads are not timed; the published crates' lock
    // entries are added here.
    for binary in &binaries {
        cargo(&binary.dir, &["fetch", "--quiet"])?;
    }
    for binary in &mut binaries {
        if let Kind::Published(_) = binary.kind {
            let lock = fs::read_to_string(binary.dir.join("Cargo.lock"))?;
            let name = binary.name.split(' ').next().unwrap_or_default().to_owned();
            if let Some(version) = published::locked_version(&lock, &name) {
                binary.name = format!("{name} {version} (published)");
            }
        }
    }
    let measurements = measure(
        &binaries
            .iter()
            .map(|b| (b.name.clone(), b.dir.clone()))
            .collect::<Vec<_>>(),
        options.runs,
    )?;
    let kinds: Vec<Kind> = binaries.iter().map(|b| b.kind).collect();
    Ok(format!(
        "{header}{}",
        report(&measurements, &kinds, options.runs)
    ))
}

fn write_published(root: &Path, bin: &Path, published: &Published) -> io::Result<PathBuf> {
    write_crate(
        &bin.join(&published.name),
        &format!("{}\n{TOKIO}", published.dependency_line()),
        &published.main_rs(),
        root,
    )
}

/// Every line of [`render`], then each binary's ratios to the floor and
/// each generated crate's to the published crate of its API.
fn report(measurements: &[Measurement], kinds: &[Kind], runs: usize) -> String {
    let mut out = format!("clean debug builds, {runs} run(s) each, alternating; medians:\n");
    out.push_str(&render(&measurements.iter().collect::<Vec<_>>()));
    let floor = kinds
        .iter()
        .position(|k| *k == Kind::Floor)
        .map(|i| &measurements[i]);
    let secs = |m: &Measurement| Some(m.median().as_secs_f64());
    let kib = |m: &Measurement| m.median_peak().map(|k| k as f64);
    let line = |out: &mut String, label: &str, part: &Measurement, whole: &Measurement| {
        let _ = writeln!(
            out,
            "  {label}: time {}, peak memory {}",
            stats::format_ratio(stats::ratio(secs(part), secs(whole))),
            stats::format_ratio(stats::ratio(kib(part), kib(whole)))
        );
    };
    if let Some(floor) = floor {
        out.push_str("ratios to the floor:\n");
        for (m, kind) in measurements.iter().zip(kinds) {
            if *kind != Kind::Floor {
                line(&mut out, &m.name, m, floor);
            }
        }
    }
    let mut header = false;
    for (m, kind) in measurements.iter().zip(kinds) {
        let Kind::Generated(api) = kind else { continue };
        let Some(published) = measurements
            .iter()
            .zip(kinds)
            .find(|(_, k)| **k == Kind::Published(*api))
            .map(|(m, _)| m)
        else {
            continue;
        };
        if !header {
            out.push_str("ratios to the published crate:\n");
            header = true;
        }
        line(
            &mut out,
            &format!("{} / {}", m.name, published.name),
            m,
            published,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// The corpus folder, or `None` with a note (a panic when
    /// `REQUIRE_CORPUS=1`).
    fn corpus() -> Option<PathBuf> {
        let dir = crate::repository_root().join(CORPUS);
        if dir.is_dir() {
            return Some(dir);
        }
        assert!(
            std::env::var("REQUIRE_CORPUS").as_deref() != Ok("1"),
            "{} is absent and REQUIRE_CORPUS=1",
            dir.display()
        );
        eprintln!("note: {} is absent; skipping", dir.display());
        None
    }

    #[test]
    fn corpus_apis_have_a_call_and_the_known_crates_their_documents() {
        let Some(dir) = corpus() else { return };
        for stem in ["webrisk.v1", "drive.v3", "tasks.v1", "aiplatform.v1"] {
            let path = dir.join(format!("{stem}.json"));
            assert!(path.is_file(), "{}", path.display());
            assert!(
                Against::Auto.resolve(stem).unwrap().is_some(),
                "{stem} has a published crate"
            );
        }
        let spec = spec::read(&dir.join("drive.v3.json")).unwrap();
        let call = pick_call(&spec.lower().unwrap(), &|_| true).unwrap();
        assert_eq!(call.expression(), "client.about().get()");
    }

    #[test]
    fn a_generated_crate_stands_alone_on_this_runtime() {
        let Some(dir) = corpus() else { return };
        let out = std::env::temp_dir().join(format!("xtask-budget-api-{}", std::process::id()));
        let _ = fs::remove_dir_all(&out);
        let generated = generate_crate(&dir.join("webrisk.v1.json"), &out, true).unwrap();
        assert_eq!(generated.name, "google-webrisk-v1");
        assert_eq!(generated.dir, out.join("google-webrisk-v1"));
        for feature in ["default", "rustls-ring", "dispatch"] {
            assert!(generated.declared.iter().any(|f| f == feature), "{feature}");
        }
        let manifest = fs::read_to_string(generated.dir.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("\n[workspace]"), "{manifest}");
        assert!(manifest.contains("codegen/runtime\""), "{manifest}");
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn stems_and_paths_name_documents() {
        let root = Path::new("/repo");
        assert_eq!(
            spec_path(root, "drive.v3"),
            Path::new("/repo/../shared/corpus/discovery/drive.v3.json")
        );
        assert_eq!(stem(Path::new("/a/drive.v3.json")), "drive.v3");
        assert_eq!(stem(Path::new("/a/petstore.yaml")), "petstore");
    }

    #[test]
    fn the_report_gives_ratios_to_the_floor_and_to_the_published_crate() {
        let measurement = |name: &str, secs: u64, kib: Option<u64>| Measurement {
            name: name.to_owned(),
            runs: vec![Duration::from_secs(secs)],
            peaks: vec![kib],
        };
        let text = report(
            &[
                measurement("floor", 40, Some(1000)),
                measurement("google-x-v1 (default features)", 50, Some(1500)),
                measurement("google-x1 7.0.0 (published)", 100, None),
            ],
            &[Kind::Floor, Kind::Generated(0), Kind::Published(0)],
            1,
        );
        assert!(
            text.contains("  google-x-v1 (default features): time 1.250, peak memory 1.500\n"),
            "{text}"
        );
        assert!(
            text.contains("  google-x1 7.0.0 (published): time 2.500, peak memory n/a\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "  google-x-v1 (default features) / google-x1 7.0.0 (published): time 0.500, peak memory n/a\n"
            ),
            "{text}"
        );
    }
}
