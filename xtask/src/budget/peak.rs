//! Wall-clock time and peak memory of one cargo command.
//!
//! The command runs under GNU time (`/usr/bin/time -f ... -o FILE`), which
//! reads the rusage `wait4` gives for cargo: on Linux its maximum resident
//! set size is the largest of cargo's and every descendant's it waited for,
//! that is of the biggest single `rustc` (or build script) of the build, not
//! the sum of those running together. Without GNU time the command runs
//! bare and the memory is unknown (`None`), said as `n/a` in reports.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Where GNU time is expected.
const GNU_TIME: &str = "/usr/bin/time";

/// GNU time's format: a marker, then the maximum RSS in KiB, so the line is
/// found among anything else time writes to its file (a "Command exited
/// with non-zero status" line).
const FORMAT: &str = "xtask-peak-rss-kib %M";

/// What one run of a command cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cost {
    /// Wall-clock time.
    pub wall: Duration,
    /// Maximum resident set size of the largest process, in KiB.
    pub peak_kib: Option<u64>,
}

/// Runs `cargo ARGS` in `dir` (without `CARGO_TARGET_DIR` and `RUSTFLAGS`
/// from the caller's environment, plus `env`), and measures it; an error
/// when cargo fails (its messages went to the terminal).
pub fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> io::Result<Cost> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let report = report_file(dir);
    let gnu_time = Path::new(GNU_TIME).is_file();
    let mut command = if gnu_time {
        let mut command = Command::new(GNU_TIME);
        command
            .arg("-f")
            .arg(FORMAT)
            .arg("-o")
            .arg(&report)
            .arg(&cargo);
        command
    } else {
        Command::new(&cargo)
    };
    command
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS");
    for (key, value) in env {
        command.env(key, value);
    }
    let start = Instant::now();
    let status = command.status()?;
    let wall = start.elapsed();
    let peak_kib = if gnu_time {
        let text = fs::read_to_string(&report).unwrap_or_default();
        let _ = fs::remove_file(&report);
        parse_peak(&text)
    } else {
        None
    };
    if status.success() {
        Ok(Cost { wall, peak_kib })
    } else {
        Err(io::Error::other(format!(
            "cargo {} failed in {}",
            args.join(" "),
            dir.display()
        )))
    }
}

/// The file GNU time writes for a command run in `dir`: beside it, never
/// inside a folder the build cleans.
fn report_file(dir: &Path) -> PathBuf {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    dir.with_file_name(format!(".{name}.peak"))
}

/// The KiB on the marker line of GNU time's output.
pub fn parse_peak(text: &str) -> Option<u64> {
    let marker = FORMAT.trim_end_matches("%M");
    text.lines()
        .rev()
        .find_map(|line| line.strip_prefix(marker)?.trim().parse().ok())
}

/// KiB as MiB with one decimal or as GiB with two, `n/a` when unknown.
pub fn format_kib(kib: Option<u64>) -> String {
    match kib {
        None => "n/a".to_owned(),
        Some(kib) if kib >= 1024 * 1024 => format!("{:.2} GiB", kib as f64 / (1024.0 * 1024.0)),
        Some(kib) => format!("{:.0} MiB", kib as f64 / 1024.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_line_is_found_among_what_time_writes() {
        assert_eq!(parse_peak("xtask-peak-rss-kib 123456\n"), Some(123_456));
        assert_eq!(
            parse_peak("Command exited with non-zero status 101\nxtask-peak-rss-kib 77\n"),
            Some(77)
        );
        assert_eq!(parse_peak(""), None);
        assert_eq!(parse_peak("xtask-peak-rss-kib ?\n"), None);
        assert_eq!(parse_peak("Maximum resident set size (kbytes): 5\n"), None);
    }

    #[test]
    fn memory_reads_in_mib_below_a_gib_and_in_gib_above() {
        assert_eq!(format_kib(None), "n/a");
        assert_eq!(format_kib(Some(512 * 1024)), "512 MiB");
        assert_eq!(format_kib(Some(3 * 1024 * 1024 / 2)), "1.50 GiB");
    }

    #[test]
    fn the_report_file_is_beside_the_folder_not_in_it() {
        assert_eq!(
            report_file(Path::new("/a/b/client")),
            Path::new("/a/b/.client.peak")
        );
    }
}
