//! Checking that an accepted mutant's crate compiles: written as the one
//! member of a throwaway workspace (`target/fuzz/crates`) with the
//! repository's `Cargo.lock`, checked by `cargo clippy --features <every checked feature> --
//! -D warnings` in the target folder the compile test and conformance use
//! (`target/generated-crates`, debug info off, `RUSTFLAGS` unset), so the
//! dependencies those built are not built again.
//!
//! Cargo and the compilers it starts run under a virtual-memory limit
//! (`ulimit -v`, inherited by children) and a time limit: a crate that
//! needs more is a failure of the generator, like one that does not
//! compile.

use super::FuzzError;
use codegen::Files;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The package name of every compiled mutant.
pub const CRATE: &str = "fuzz-mutant";

/// Error lines kept from a failed build.
const DIAGNOSTIC_LINES: usize = 30;

/// Characters kept of each.
const LINE_CHARS: usize = 240;

/// The throwaway workspace.
pub struct Compiler {
    dir: PathBuf,
    target: PathBuf,
    memory_mb: u64,
    timeout: Duration,
}

/// Why a crate did not compile.
#[derive(Clone, Debug)]
pub struct CompileFailure {
    /// What identifies the failure while minimizing: the first error's
    /// code, or its message without the parts that name things.
    pub signature: String,
    /// The first error lines.
    pub diagnostics: String,
}

impl Compiler {
    /// The workspace under `root`'s `target/fuzz/crates`.
    pub fn new(root: &Path, memory_mb: u64, timeout: Duration) -> Result<Self, FuzzError> {
        let dir = root.join("target/fuzz/crates");
        fs::create_dir_all(&dir).map_err(FuzzError::io(&dir))?;
        let manifest = format!(
            "# Written by `cargo xtask fuzz`: the mutant being compiled.\n\
             [workspace]\nresolver = \"3\"\nmembers = [\"{CRATE}\"]\n"
        );
        fs::write(dir.join("Cargo.toml"), manifest).map_err(FuzzError::io(&dir))?;
        // The repository's versions, so the shared target folder's
        // dependencies are reused; without it cargo resolves afresh.
        if let Ok(lock) = fs::read(root.join("Cargo.lock")) {
            fs::write(dir.join("Cargo.lock"), lock).map_err(FuzzError::io(&dir))?;
        }
        Ok(Self {
            dir,
            target: root.join("target/generated-crates"),
            memory_mb,
            timeout,
        })
    }

    /// Writes `files` as the member crate and checks it: `Ok(None)` when it
    /// compiles without warnings, `Ok(Some(_))` when the crate is at fault,
    /// `Err` when cargo could not run (then no mutant is to blame).
    pub fn check(&self, files: &Files) -> Result<Option<CompileFailure>, FuzzError> {
        let member = self.dir.join(CRATE);
        let _ = fs::remove_dir_all(&member);
        for (path, text) in files {
            let file = member.join(path);
            if let Some(parent) = file.parent() {
                fs::create_dir_all(parent).map_err(FuzzError::io(parent))?;
            }
            fs::write(&file, text).map_err(FuzzError::io(&file))?;
        }
        let log = self.dir.join("cargo.log");
        let log_file = fs::File::create(&log).map_err(FuzzError::io(&log))?;
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        // Every feature but `native-tls`, whose OpenSSL headers a fresh
        // machine need not have.
        let features = codegen::CHECKED_FEATURES.join(",");
        let args = [
            "clippy",
            "--features",
            &features,
            "--quiet",
            "--message-format=short",
            "--",
            "-D",
            "warnings",
        ];
        let mut command = limited(cargo.as_ref(), self.memory_mb);
        command
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            // As the compile test builds: no debug info, and none of the
            // flags meant for the repository's own crates, so the shared
            // target folder's dependencies are reused.
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTFLAGS")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file);
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn().map_err(FuzzError::io(Path::new(&cargo)))?;
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().map_err(FuzzError::io(Path::new(&cargo)))? {
                break Some(status);
            }
            if started.elapsed() > self.timeout {
                kill_group(&mut child);
                break None;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let output = fs::read_to_string(&log).unwrap_or_default();
        let Some(status) = status else {
            return Ok(Some(CompileFailure {
                signature: "timeout".to_owned(),
                diagnostics: format!("`cargo clippy` took more than {} s", self.timeout.as_secs()),
            }));
        };
        if status.success() {
            return Ok(None);
        }
        if !output.contains(&format!("could not compile `{CRATE}`")) {
            return Err(FuzzError::Cargo {
                dir: self.dir.display().to_string(),
                output: tail(&output, 40),
            });
        }
        Ok(Some(failure(&output, self.memory_mb)))
    }
}

/// The command for `program`, its virtual memory (and its children's)
/// limited to `memory_mb` MiB where a POSIX shell can set that (`ulimit
/// -v`); `0` is no limit.
pub fn limited(program: &std::ffi::OsStr, memory_mb: u64) -> Command {
    if cfg!(unix) && memory_mb > 0 {
        let mut command = Command::new("sh");
        command
            .args(["-c", "ulimit -v \"$0\" && exec \"$@\""])
            .arg((memory_mb * 1024).to_string())
            .arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// Kills cargo and the compilers it started (its process group).
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The failure cargo's `output` describes.
fn failure(output: &str, memory_mb: u64) -> CompileFailure {
    let errors: Vec<&str> = output
        .lines()
        .filter(|line| !(line.starts_with("warning") || line.contains(": warning")))
        .collect();
    let first = errors
        .iter()
        .find(|line| line.contains("error"))
        .copied()
        .unwrap_or("error");
    // Under the memory limit the compiler aborts; no error line says why.
    let out_of_memory = output.contains("memory allocation of");
    CompileFailure {
        signature: if out_of_memory {
            "out of memory".to_owned()
        } else {
            signature(first)
        },
        diagnostics: {
            // Long lines are cargo quoting the whole compiler command line.
            let lines = errors
                .iter()
                .take(DIAGNOSTIC_LINES)
                .map(|line| match line.char_indices().nth(LINE_CHARS) {
                    Some((end, _)) => format!("{}...", &line[..end]),
                    None => (*line).to_owned(),
                })
                .collect::<Vec<_>>()
                .join("\n");
            if out_of_memory {
                format!("the compiler needed more than {memory_mb} MiB of memory\n{lines}")
            } else {
                lines
            }
        },
    }
}

/// `error[E0428]` from an error line, or its message with what is quoted
/// and counted taken out (`this function has too many arguments`).
fn signature(line: &str) -> String {
    let Some(at) = line.find("error") else {
        return line.to_owned();
    };
    let rest = &line[at..];
    if let Some(code) = rest
        .strip_prefix("error[")
        .and_then(|r| r.split(']').next())
    {
        return format!("error[{code}]");
    }
    let mut out = String::new();
    let mut quoted = false;
    for c in rest.chars() {
        match c {
            '`' => quoted = !quoted,
            _ if quoted || c.is_ascii_digit() => {}
            _ => out.push(c),
        }
    }
    out
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::signature;

    #[test]
    fn signatures_ignore_names_and_numbers() {
        assert_eq!(
            signature("src/models.rs:3:1: error[E0428]: the name `Foo` is defined multiple times"),
            "error[E0428]"
        );
        assert_eq!(
            signature("src/a.rs:9:5: error: this function has too many arguments (9/7)"),
            signature("src/b.rs:1:1: error: this function has too many arguments (8/7)"),
        );
        assert_eq!(
            signature("src/a.rs:1:1: error: unknown `x` here"),
            "error: unknown  here"
        );
    }
}
