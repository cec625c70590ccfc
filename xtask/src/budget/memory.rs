//! `cargo xtask budget --memory`: the compiler's peak memory and time
//! checking the crate of every corpus document.
//!
//! Every document of `../shared/corpus/discovery/` (or those `--only`
//! names) is generated into one workspace, `target/budget-memory/`, whose
//! target folder all share. Each crate is first checked with an empty
//! `lib.rs`, which builds its dependencies with exactly the features of the
//! measured check and costs nothing worth timing once they are built; then
//! its real files are written and `cargo check` is timed, so the figure is
//! the crate's own `rustc` (the largest process; a crate of a few methods
//! measures about 170 MiB, the floor of the column). A crate is checked with every feature but
//! the TLS alternatives ([`features::all_but_tls_alternatives`]) and, with
//! `--one-feature`, also with only `rustls-ring` and its biggest resource
//! feature (once generated crates have them). The table is sorted by peak
//! memory, and a check over [`LIMIT_KIB`] (2 GB) is flagged.

use super::api::{self, CORPUS};
use super::features::{self, DEFAULT_TLS};
use super::peak::{self, Cost};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Memory a check should stay under: 2 GB, 2·10⁹ bytes (1.86 GiB), in KiB.
pub const LIMIT_KIB: u64 = 2_000_000_000 / 1024;

/// What to check.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Document stems to check (all of the corpus when empty).
    pub only: Vec<String>,
    /// Also check each crate with one resource feature.
    pub one_feature: bool,
}

/// One check's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The document's stem.
    pub document: String,
    /// The document's size in bytes.
    pub bytes: usize,
    /// Which features: `all` or `one: <feature>`.
    pub features: String,
    /// What it cost, or why there is no figure.
    pub outcome: Result<Cost, String>,
}

/// The documents to check: every `*.json` of the corpus, or those `only`
/// names (each must exist).
pub fn documents(corpus: &Path, only: &[String]) -> io::Result<Vec<PathBuf>> {
    let mut all: Vec<PathBuf> = fs::read_dir(corpus)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    all.sort();
    if only.is_empty() {
        return Ok(all);
    }
    only.iter()
        .map(|stem| {
            all.iter()
                .find(|path| api::stem(path) == *stem)
                .cloned()
                .ok_or_else(|| {
                    io::Error::other(format!(
                        "no {stem}.json in {}; it has: {}",
                        corpus.display(),
                        all.iter()
                            .map(|p| api::stem(p))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })
        })
        .collect()
}

/// Checks every document's crate and renders the table; says why not when
/// the corpus is absent (an error when `REQUIRE_CORPUS=1`).
pub fn run(root: &Path, options: &Options) -> io::Result<String> {
    let corpus = root.join(CORPUS);
    if !corpus.is_dir() {
        let note = format!("{} is absent; nothing to check", corpus.display());
        if std::env::var("REQUIRE_CORPUS").is_ok_and(|v| v == "1") {
            return Err(io::Error::other(note));
        }
        return Ok(format!("note: {note}\n"));
    }
    let paths = documents(&corpus, &options.only)?;
    let work = root.join("target/budget-memory");
    let crates = work.join("crates");
    // Crates of an earlier run would be members too; the target folder stays.
    match fs::remove_dir_all(&crates) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::create_dir_all(&crates)?;
    fs::write(
        work.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\"]\n",
    )?;
    fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"))?;
    let mut rows = Vec::new();
    let mut without_resources = Vec::new();
    for path in &paths {
        let document = api::stem(path);
        let bytes = fs::metadata(path)?.len() as usize;
        let generated = match api::generate_crate(path, &crates, false) {
            Ok(generated) => generated,
            Err(e) => {
                rows.push(Row {
                    document,
                    bytes,
                    features: "all".to_owned(),
                    outcome: Err(format!("generation failed: {e}")),
                });
                continue;
            }
        };
        let all = features::all_but_tls_alternatives(&generated.declared);
        let mut checks = vec![("all".to_owned(), false, all)];
        if options.one_feature {
            match features::resource_features(&generated.declared, &generated.api).first() {
                Some((feature, _)) => checks.push((
                    format!("one: {feature}"),
                    true,
                    vec![DEFAULT_TLS.to_owned(), feature.clone()],
                )),
                None => without_resources.push(document.clone()),
            }
        }
        for (label, no_default, list) in checks {
            eprintln!("checking {} ({label})", generated.name);
            let outcome = check(&work, &generated, no_default, &list).map_err(|e| e.to_string());
            if let Ok(cost) = &outcome {
                eprintln!(
                    "  {:.1}s, {}",
                    cost.wall.as_secs_f64(),
                    peak::format_kib(cost.peak_kib)
                );
            }
            rows.push(Row {
                document: document.clone(),
                bytes,
                features: label,
                outcome,
            });
        }
    }
    let mut out = render(&mut rows);
    if !without_resources.is_empty() {
        let which = if without_resources.len() == paths.len() {
            "any crate".to_owned()
        } else {
            without_resources.join(", ")
        };
        let _ = writeln!(
            out,
            "--one-feature: no resource features in {which}: not checked with one"
        );
    }
    Ok(out)
}

/// Builds the dependencies with a stub `lib.rs`, then times the check of
/// the crate itself.
fn check(
    work: &Path,
    generated: &api::Generated,
    no_default: bool,
    list: &[String],
) -> io::Result<Cost> {
    let lib = generated.dir.join("src/lib.rs");
    let real = fs::read_to_string(&lib)?;
    let features = list.join(",");
    let mut args = vec![
        "check",
        "--quiet",
        "-p",
        &generated.name,
        "--features",
        &features,
    ];
    if no_default {
        args.push("--no-default-features");
    }
    // The first may download what the lock names but this machine lacks.
    fs::write(&lib, "//! Stub: the dependencies build first.\n")?;
    let warm = peak::cargo(work, &args, &[]);
    fs::write(&lib, real)?;
    warm?;
    args.push("--offline");
    peak::cargo(work, &args, &[])
}

/// The rows, the most memory first (failures last), as a table.
pub fn render(rows: &mut [Row]) -> String {
    rows.sort_by(|a, b| {
        let key = |row: &Row| row.outcome.as_ref().ok().and_then(|c| c.peak_kib);
        key(b)
            .cmp(&key(a))
            .then_with(|| a.document.cmp(&b.document))
            .then_with(|| a.features.cmp(&b.features))
    });
    let mut out = format!(
        "{:<36} {:>9} {:<28} {:>9} {:>10}\n",
        "document", "size", "features", "check", "peak RSS"
    );
    let mut over = 0;
    for row in rows.iter() {
        let size = format!("{} KiB", row.bytes / 1024);
        match &row.outcome {
            Ok(cost) => {
                let flag = if cost.peak_kib.is_some_and(|k| k > LIMIT_KIB) {
                    over += 1;
                    "  OVER 2 GB"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "{:<36} {:>9} {:<28} {:>8.1}s {:>10}{flag}",
                    row.document,
                    size,
                    row.features,
                    cost.wall.as_secs_f64(),
                    peak::format_kib(cost.peak_kib)
                );
            }
            Err(why) => {
                let _ = writeln!(
                    out,
                    "{:<36} {:>9} {:<28} {why}",
                    row.document, size, row.features
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "{} check(s), {over} over 2 GB = 1.86 GiB (peak RSS: the largest process, rustc or cargo)",
        rows.iter().filter(|r| r.outcome.is_ok()).count()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn row(document: &str, kib: Option<u64>) -> Row {
        Row {
            document: document.to_owned(),
            bytes: 2048,
            features: "all".to_owned(),
            outcome: Ok(Cost {
                wall: Duration::from_millis(1500),
                peak_kib: kib,
            }),
        }
    }

    #[test]
    fn the_table_is_sorted_by_memory_and_flags_what_is_over_2_gb() {
        let mut rows = vec![
            row("small", Some(100 * 1024)),
            Row {
                outcome: Err("generation failed: x".to_owned()),
                ..row("broken", None)
            },
            row("huge", Some(3 * 1024 * 1024)),
            row("medium", Some(900 * 1024)),
            row("edge", Some(LIMIT_KIB)),
            row("over", Some(LIMIT_KIB + 1)),
        ];
        let table = render(&mut rows);
        let order: Vec<&str> = table
            .lines()
            .skip(1)
            .map(|l| l.split(' ').next().unwrap())
            .collect();
        assert_eq!(
            order,
            ["huge", "over", "edge", "medium", "small", "broken", "5"],
            "{table}"
        );
        let huge = table.lines().nth(1).unwrap();
        assert!(huge.ends_with("3.00 GiB  OVER 2 GB"), "{huge}");
        assert!(huge.contains("    1.5s"), "{huge}");
        assert!(
            table
                .lines()
                .nth(2)
                .unwrap()
                .ends_with("1.86 GiB  OVER 2 GB")
        );
        assert!(!table.lines().nth(3).unwrap().contains("OVER"));
        assert!(table.contains("generation failed: x"));
        assert!(table.ends_with(
            "5 check(s), 2 over 2 GB = 1.86 GiB (peak RSS: the largest process, rustc or cargo)\n"
        ));
    }

    #[test]
    fn only_names_documents_of_the_corpus() {
        let dir = std::env::temp_dir().join(format!("xtask-memory-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        for name in ["b.v1.json", "a.v1.json", "notes.txt"] {
            fs::write(dir.join(name), "{}").unwrap();
        }
        let all = documents(&dir, &[]).unwrap();
        assert_eq!(
            all.iter().map(|p| api::stem(p)).collect::<Vec<_>>(),
            ["a.v1", "b.v1"]
        );
        let one = documents(&dir, &["b.v1".to_owned()]).unwrap();
        assert_eq!(one, [dir.join("b.v1.json")]);
        let err = documents(&dir, &["c.v1".to_owned()]).unwrap_err();
        assert!(err.to_string().contains("a.v1, b.v1"), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
