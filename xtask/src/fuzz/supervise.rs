//! A pass in a child process, so that what no panic handler catches is
//! still reported: a stack overflow aborts the process, and a hung thread
//! can only be ended with it.
//!
//! `cargo xtask fuzz` runs itself with `--in-process --start N --progress
//! FILE`: the child keeps its report in FILE after every mutant, and
//! before running a text leaves it, with which mutant it is, beside FILE
//! (`in-flight.*`). FILE is in a folder of this pass's own,
//! `target/fuzz/run-<pid>`, removed at the end, so passes in one
//! repository do not read each other's files (compiles still share
//! `target/fuzz/crates`: one compiling pass at a time). When the child dies, the text that killed it
//! is minimized (each smaller version judged by another child, `--judge`),
//! saved as `crash-<seed>-<index>`, counted, and the pass goes on from the
//! next mutant; when the child stops after a hang, the pass goes on too.

use super::compile::limited;
use super::{Class, Failure, FuzzError, Kind, Options, Report, save, shrink};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

/// Runs the pass of `options` in children of `exe` given `args` (this
/// command's own arguments), resuming after crashes and hangs. `None` when
/// a child failed before reporting anything (it said why).
pub fn supervise(
    root: &Path,
    options: &Options,
    exe: &Path,
    args: &[OsString],
    log: &mut dyn Write,
) -> Result<Option<Report>, FuzzError> {
    let started = Instant::now();
    let work = root
        .join("target/fuzz")
        .join(format!("run-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(FuzzError::io(&work))?;
    let result = passes(root, options, exe, args, log, &work, started);
    let _ = std::fs::remove_dir_all(&work);
    result
}

/// The children of one supervised pass, with their files in `work`.
fn passes(
    root: &Path,
    options: &Options,
    exe: &Path,
    args: &[OsString],
    log: &mut dyn Write,
    work: &Path,
    started: Instant,
) -> Result<Option<Report>, FuzzError> {
    let progress = work.join("progress.json");
    let note = work.join("in-flight.txt");
    let end = options.replay.map_or(options.count, |index| index + 1);
    let mut start = options.replay.unwrap_or(0);
    // The first crash of each mutation class is minimized and saved;
    // later ones of the class are most likely the same defect.
    let mut crashes: BTreeMap<Class, (u64, PathBuf)> = BTreeMap::new();
    loop {
        let _ = std::fs::remove_file(&note);
        let status = limited(exe.as_os_str(), options.memory_mb)
            .args(args)
            .arg("--in-process")
            .arg("--start")
            .arg(start.to_string())
            .arg("--progress")
            .arg(&progress)
            .status()
            .map_err(FuzzError::io(exe))?;
        let Some(mut report) = read(&progress) else {
            return Ok(None);
        };
        if matches!(status.code(), Some(0 | 1)) {
            match report.hung_at.take() {
                Some(hung) if hung + 1 < end => {
                    report.stopped = None;
                    write(&progress, &report)?;
                    start = hung + 1;
                    continue;
                }
                _ => {
                    if report.next < end && report.stopped.is_none() {
                        report.stopped = Some(format!(
                            "the pass stopped before mutant {}: see the error above",
                            report.next
                        ));
                    }
                    report.elapsed = started.elapsed();
                    return Ok(Some(report));
                }
            }
        }
        // The child died.
        let text = std::fs::read_to_string(&note).unwrap_or_default();
        let fields: Vec<&str> = text.trim_end().split('\t').collect();
        let [index, class, seed_file, text_file] = fields[..] else {
            report.stopped = Some(format!(
                "the fuzzing process died ({status}) and left no note of what it ran"
            ));
            report.elapsed = started.elapsed();
            return Ok(Some(report));
        };
        let index: u64 = index.parse().unwrap_or(start);
        let class = Class::ALL
            .into_iter()
            .find(|c| c.name() == class)
            .unwrap_or(Class::DeleteKey);
        let mutant = std::fs::read_to_string(text_file).unwrap_or_default();
        let message = format!(
            "the process died ({status}): a stack overflow or an abort, which no panic \
             handler catches (its message is above)"
        );
        let counts = report.classes.entry(class).or_default();
        counts.mutants += 1;
        *counts.failures.entry(Kind::Crash).or_default() += 1;
        let failure = match crashes.get(&class) {
            Some((first, saved)) => Failure {
                kind: Kind::Crash,
                signature: class.name().to_owned(),
                index,
                class,
                seed_file: seed_file.to_owned(),
                message: format!(
                    "most likely the same failure as mutant {first} (the same class): {message}"
                ),
                saved: saved.clone(),
                bytes: (mutant.len(), 0),
                repeat: true,
            },
            None => {
                let _ = writeln!(
                    log,
                    "fuzz: the process died on mutant {index}; minimizing the text that \
                     killed it (at most {} s)",
                    options.minimize.as_secs()
                );
                let minimized = minimize(root, options, exe, work, &mutant);
                let saved = save(root, options, Kind::Crash, index, &minimized)?;
                crashes.insert(class, (index, saved.clone()));
                Failure {
                    kind: Kind::Crash,
                    signature: class.name().to_owned(),
                    index,
                    class,
                    seed_file: seed_file.to_owned(),
                    message,
                    saved,
                    bytes: (mutant.len(), minimized.len()),
                    repeat: false,
                }
            }
        };
        report.failures.push(failure);
        write(&progress, &report)?;
        start = index + 1;
        if start >= end {
            report.elapsed = started.elapsed();
            return Ok(Some(report));
        }
    }
}

/// The smallest version of `text` found that still kills a child judging
/// it (`--judge`).
fn minimize(root: &Path, options: &Options, exe: &Path, work: &Path, text: &str) -> String {
    let candidate = work.join("candidate");
    let mut still_crashes = |text: &str| -> bool {
        let extension = if codegen::input::is_json(text) {
            "json"
        } else {
            "yaml"
        };
        let file = candidate.with_extension(extension);
        if std::fs::write(&file, text).is_err() {
            return false;
        }
        let status = limited(exe.as_os_str(), options.memory_mb)
            .arg("--root")
            .arg(root)
            .arg("fuzz")
            .arg("--timeout")
            .arg(options.timeout.as_secs().to_string())
            .arg("--compile-every")
            .arg("0")
            .arg("--judge")
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        // Exit codes 0 and 1 are verdicts; anything else is a death.
        status.is_ok_and(|s| s.code().is_none_or(|c| c > 1))
    };
    let minimized = shrink(text, Instant::now() + options.minimize, &mut still_crashes);
    for extension in ["json", "yaml"] {
        let _ = std::fs::remove_file(candidate.with_extension(extension));
    }
    minimized
}

fn read(file: &Path) -> Option<Report> {
    let text = std::fs::read_to_string(file).ok()?;
    serde_json::from_str(&text).ok()
}

fn write(file: &Path, report: &Report) -> Result<(), FuzzError> {
    let text = serde_json::to_string(report).unwrap_or_default();
    std::fs::write(file, text).map_err(FuzzError::io(file))
}
