//! `cargo xtask budget`: what the generated crate costs its users at build
//! time.
//!
//! Two tiny binaries make the same kind of call (a JSON POST through
//! `reqwest` on `tokio`): one through the generated crate, one with
//! `reqwest` + `serde` + `serde_json` + `tokio` alone. Each is built from
//! clean in its own target folder, with the workspace's `Cargo.lock` so both
//! use the same dependency versions, and the wall-clock times are compared.
//! Peak memory (the largest process of the build, [`peak`]) is recorded
//! beside each time. [`shared`] measures, the same way, what sharing one
//! runtime saves an application of two APIs; [`api`] compares the crate of
//! any corpus API (whole or with some features) with the floor and with the
//! published google-apis-rs crate of the same API ([`published`]), each
//! binary making one call ([`call`]);
//! [`memory`] checks every corpus crate and reports the compiler's memory.

pub mod api;
pub mod call;
pub mod features;
pub mod memory;
pub mod peak;
pub mod published;
pub mod shared;
pub mod stats;

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The generated crate measured, relative to the repository root.
const CLIENT_CRATE: &str = "generated";

/// The runtime it depends on, whose dependency lines the floor copies.
const RUNTIME_CRATE: &str = "codegen/runtime";

const BASELINE_MAIN: &str = r#"//! The same call, written with reqwest, serde and serde_json alone.
#[derive(serde::Serialize, Default)]
struct Request {}

#[derive(serde::Deserialize, Debug)]
struct Response {
    #[serde(rename = "archiveJobId")]
    _archive_job_id: Option<String>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // rustls on ring, as the generated crate's default TLS feature.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().build()?;
    let body = serde_json::to_vec(&Request::default())?;
    let sent = client
        .post("http://127.0.0.1:9/v1/archiveJobs/1:retry")
        .bearer_auth("token")
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await;
    if let Ok(response) = sent {
        let bytes = response.bytes().await?;
        let parsed: Response = serde_json::from_slice(&bytes)?;
        println!("{parsed:?}");
    }
    Ok(())
}
"#;

const CLIENT_MAIN: &str = r#"//! One call through the generated client.
use google_dataportability_v1::{Client, StaticToken};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .endpoint("http://127.0.0.1:9/")
        .token_provider(StaticToken::new("token")?)
        .build()?;
    if let Ok(response) = client.archive_jobs().retry("archiveJobs/1").await {
        println!("{response:?}");
    }
    Ok(())
}
"#;

/// One measured build.
#[derive(Debug)]
pub struct Measurement {
    /// Which binary.
    pub name: String,
    /// Wall-clock time of each clean build.
    pub runs: Vec<Duration>,
    /// Peak memory of each clean build (its largest process), in KiB.
    pub peaks: Vec<Option<u64>>,
}

impl Measurement {
    /// A measurement of no runs yet.
    pub fn new(name: impl Into<String>) -> Self {
        Measurement {
            name: name.into(),
            runs: Vec::new(),
            peaks: Vec::new(),
        }
    }

    /// The median run.
    pub fn median(&self) -> Duration {
        stats::median(&self.runs).unwrap_or_default()
    }

    /// The median peak memory of the runs that measured it, in KiB.
    pub fn median_peak(&self) -> Option<u64> {
        stats::median(&self.peaks.iter().flatten().copied().collect::<Vec<_>>())
    }
}

/// Builds both binaries `runs` times each, from clean, and reports.
pub fn run(root: &Path, runs: usize) -> io::Result<String> {
    let work = root.join("target/budget");
    let baseline = write_floor(root, &work.join("baseline"))?;
    let client_path = root.join(CLIENT_CRATE).display().to_string();
    let client = write_crate(
        &work.join("client"),
        &format!("google-dataportability-v1 = {{ path = {client_path:?} }}\n{TOKIO}"),
        CLIENT_MAIN,
        root,
    )?;
    // Fetch once, so downloads are not timed.
    for dir in [&baseline, &client] {
        cargo(dir, &["fetch", "--quiet"])?;
    }
    let measurements = measure(
        &[
            (FLOOR.to_owned(), baseline),
            ("google-dataportability-v1 + tokio".to_owned(), client),
        ],
        runs,
    )?;
    let [base, generated] = [&measurements[0], &measurements[1]];
    let ratio = generated.median().as_secs_f64() / base.median().as_secs_f64();
    let mut report = render(&[base, generated]);
    let _ = writeln!(report, "ratio (generated / baseline): {ratio:.3}");
    Ok(report)
}

/// Writes the floor binary into `dir`: the call made with `reqwest` (on
/// rustls with ring, as the runtime's) + `serde` + `serde_json` + `tokio`.
fn write_floor(root: &Path, dir: &Path) -> io::Result<PathBuf> {
    write_crate(
        dir,
        &format!(
            "{}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n{TOKIO}",
            floor_tls_dependencies(root)?
        ),
        BASELINE_MAIN,
        root,
    )
}

/// The floor's name in reports.
const FLOOR: &str = "reqwest + serde + serde_json + tokio";

/// Builds each named crate folder `runs` times from clean (its own
/// `target/`, offline, dependencies fetched beforehand), alternating
/// between them so drift in machine load hits all alike.
fn measure(crates: &[(String, PathBuf)], runs: usize) -> io::Result<Vec<Measurement>> {
    let mut measurements: Vec<Measurement> = crates
        .iter()
        .map(|(name, _)| Measurement::new(name.clone()))
        .collect();
    for run in 0..runs {
        for ((name, dir), measurement) in crates.iter().zip(measurements.iter_mut()) {
            eprintln!("run {}/{runs}: building {name}", run + 1);
            let _ = fs::remove_dir_all(dir.join("target"));
            let cost = peak::cargo(dir, &["build", "--quiet", "--offline"], &[])?;
            measurement.runs.push(cost.wall);
            measurement.peaks.push(cost.peak_kib);
        }
    }
    Ok(measurements)
}

/// One line per measurement: its median time, median peak memory and every
/// run.
fn render(measurements: &[&Measurement]) -> String {
    let width = measurements
        .iter()
        .map(|m| m.name.len())
        .max()
        .unwrap_or(0)
        .max(40);
    let mut report = String::new();
    for m in measurements {
        let runs: Vec<String> = m
            .runs
            .iter()
            .map(|d| format!("{:.1}s", d.as_secs_f64()))
            .collect();
        let _ = writeln!(
            report,
            "{:<width$} median {:>6.1}s  peak {:>9}  runs {}",
            m.name,
            m.median().as_secs_f64(),
            peak::format_kib(m.median_peak()),
            runs.join(" ")
        );
    }
    report
}

const TOKIO: &str = "tokio = { version = \"1\", features = [\"rt\", \"macros\"] }";

/// The generated crate's own requirement line for `name`, so both binaries
/// build the same features.
/// The floor's `reqwest` and `rustls` lines: the runtime's own versions and
/// features, with TLS as the generated crate's default feature makes it
/// (`rustls-ring`: reqwest's `rustls-no-provider`, rustls with ring).
fn floor_tls_dependencies(root: &Path) -> io::Result<String> {
    let reqwest = runtime_dependency_line(root, "reqwest")?.replace(
        r#"features = ["http2"]"#,
        r#"features = ["http2", "rustls-no-provider"]"#,
    );
    let rustls = runtime_dependency_line(root, "rustls")?.replace(", optional = true", "");
    Ok(format!("{reqwest}\n{rustls}"))
}

/// The line of dependency `name` in the runtime's manifest.
fn runtime_dependency_line(root: &Path, name: &str) -> io::Result<String> {
    let manifest = fs::read_to_string(root.join(RUNTIME_CRATE).join("Cargo.toml"))?;
    manifest
        .lines()
        .find(|line| line.starts_with(&format!("{name} =")))
        .map(str::to_owned)
        .ok_or_else(|| {
            io::Error::other(format!(
                "{RUNTIME_CRATE}/Cargo.toml has no {name} dependency"
            ))
        })
}

fn write_crate(dir: &Path, dependencies: &str, main: &str, root: &Path) -> io::Result<PathBuf> {
    fs::create_dir_all(dir.join("src"))?;
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"budget-{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{dependencies}\n\n[workspace]\n",
            dir.file_name().unwrap_or_default().to_string_lossy()
        ),
    )?;
    fs::write(dir.join("src/main.rs"), main)?;
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    Ok(dir.to_path_buf())
}

fn cargo(dir: &Path, args: &[&str]) -> io::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "cargo {} failed in {}",
            args.join(" "),
            dir.display()
        )))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_floor_takes_the_runtimes_reqwest_on_rustls_with_ring() {
        let lines = super::floor_tls_dependencies(&crate::repository_root()).unwrap();
        let (reqwest, rustls) = lines.split_once('\n').unwrap();
        assert!(reqwest.starts_with("reqwest = "), "{reqwest}");
        assert!(
            reqwest.contains(r#""http2", "rustls-no-provider""#),
            "{reqwest}"
        );
        assert!(
            rustls.starts_with("rustls = ") && rustls.contains(r#""ring""#),
            "{rustls}"
        );
        assert!(!lines.contains("optional"), "{lines}");
    }
}
