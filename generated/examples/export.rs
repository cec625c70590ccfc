//! A whole export: start an archive of the chosen resource groups, poll its
//! state with backoff until it is final, retry it when it failed (up to a
//! limit), then print the signed URLs of its files.
//!
//! ```text
//! DATAPORTABILITY_TOKEN=ya29... cargo run -p google-dataportability-v1 \
//!     --example export -- myactivity.search chrome.history
//! ```
//!
//! `DATAPORTABILITY_ENDPOINT` points it at another server (the tests run
//! [`export`] against a local fake). The token needs a scope for every
//! group, such as `https://www.googleapis.com/auth/dataportability.myactivity.search`.
//! An access token lives about an hour, shorter than many exports: for a
//! long one give the client a provider that refreshes (feature `yup-oauth2`).

use google_dataportability_v1::models::InitiatePortabilityArchiveRequest;
use google_dataportability_v1::models::portability_archive_state::State;
use google_dataportability_v1::names::{ArchiveJobName, PortabilityArchiveStateName};
use google_dataportability_v1::{Client, Error, RetryPolicy, StaticToken};
use std::time::Duration;

/// How [`export`] waits and how often it tries again.
pub struct ExportOptions {
    /// The waits between polls: its [`RetryPolicy::delay`] for poll 1, 2, ...
    pub poll_backoff: RetryPolicy,
    /// The most polls of one job before giving up.
    pub max_polls: u32,
    /// How many times a FAILED job is retried (Google allows 3).
    pub max_job_retries: u32,
}

impl Default for ExportOptions {
    /// Google suggests polling every few minutes: waits from 5 s growing
    /// by half each time up to 10 min, for up to a week of polls.
    fn default() -> Self {
        Self {
            poll_backoff: RetryPolicy::builder()
                .initial_delay(Duration::from_secs(5))
                .multiplier(1.5)
                .max_delay(Duration::from_secs(600))
                .build()
                .expect("valid constants"),
            max_polls: 1_100,
            max_job_retries: 3,
        }
    }
}

/// A finished export.
#[derive(Debug)]
pub struct Export {
    /// The job that completed (a retry's new job when the first one failed).
    pub job_id: String,
    /// Signed URLs of the archive files; they expire after a few hours.
    pub urls: Vec<String>,
    /// How many times a failed job was retried.
    pub retries: u32,
}

/// Why an export did not complete.
#[derive(Debug)]
pub enum ExportError {
    /// A call failed.
    Api(Error),
    /// The job failed, and so did every retry allowed.
    Failed { job_id: String, retries: u32 },
    /// The job was cancelled.
    Cancelled { job_id: String },
    /// The job was still running after the last poll allowed.
    StillRunning { job_id: String, polls: u32 },
    /// The service answered without a job id.
    NoJobId,
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Api(e) => write!(f, "{e}"),
            Self::Failed { job_id, retries } => {
                write!(f, "job {job_id} failed after {retries} retries")
            }
            Self::Cancelled { job_id } => write!(f, "job {job_id} was cancelled"),
            Self::StillRunning { job_id, polls } => {
                write!(f, "job {job_id} still running after {polls} polls")
            }
            Self::NoJobId => write!(f, "the service answered without a job id"),
        }
    }
}

impl std::error::Error for ExportError {}

impl From<Error> for ExportError {
    fn from(e: Error) -> Self {
        Self::Api(e)
    }
}

/// Starts an export of `resources` and follows it to its files.
pub async fn export(
    client: &Client,
    resources: &[String],
    options: &ExportOptions,
) -> Result<Export, ExportError> {
    let started = client
        .portability_archive()
        .initiate(InitiatePortabilityArchiveRequest::new().set_resources(resources.iter().cloned()))
        .await;
    let mut job_id = match started {
        Ok(response) => response.archive_job_id.ok_or(ExportError::NoJobId)?,
        // The same export is already running (a blind retry after a lost
        // answer, say): follow that job instead of failing.
        Err(Error::Api(e)) if e.status() == "ALREADY_EXISTS" && e.metadata("job_id").is_some() => {
            e.metadata("job_id").unwrap_or_default().to_owned()
        }
        Err(e) => return Err(e.into()),
    };
    let mut retries = 0;
    loop {
        match poll_until_final(client, &job_id, options).await? {
            (State::Complete, urls) => {
                return Ok(Export {
                    job_id,
                    urls,
                    retries,
                });
            }
            (State::Failed, _) if retries < options.max_job_retries => {
                let retried = client
                    .archive_jobs()
                    .retry(&ArchiveJobName::new(&job_id).map_err(Error::from)?)
                    .await?;
                job_id = retried.archive_job_id.ok_or(ExportError::NoJobId)?;
                retries += 1;
            }
            (State::Failed, _) => return Err(ExportError::Failed { job_id, retries }),
            (_, _) => return Err(ExportError::Cancelled { job_id }),
        }
    }
}

/// Polls `job_id` until its state is COMPLETE, FAILED or CANCELLED; that
/// state and the URLs. Other states, known or not, mean "keep waiting".
async fn poll_until_final(
    client: &Client,
    job_id: &str,
    options: &ExportOptions,
) -> Result<(State, Vec<String>), ExportError> {
    // A job id that is not one path segment is refused here, before any call.
    let name = PortabilityArchiveStateName::new(job_id).map_err(Error::from)?;
    for poll in 1..=options.max_polls {
        // A GET: retried by the client on its own when the service blips.
        let answer = client
            .archive_jobs()
            .get_portability_archive_state(&name)
            .await?;
        match answer.state {
            Some(state @ (State::Complete | State::Failed | State::Cancelled)) => {
                return Ok((state, answer.urls.unwrap_or_default()));
            }
            _ => tokio::time::sleep(options.poll_backoff.delay(poll)).await,
        }
    }
    Err(ExportError::StillRunning {
        job_id: job_id.to_owned(),
        polls: options.max_polls,
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let resources: Vec<String> = std::env::args().skip(1).collect();
    if resources.is_empty() {
        return Err("name the resource groups to export, such as myactivity.search".into());
    }
    let token = std::env::var("DATAPORTABILITY_TOKEN")
        .map_err(|_| "set DATAPORTABILITY_TOKEN to an OAuth access token")?;
    let mut builder = Client::builder().token_provider(StaticToken::new(token)?);
    if let Ok(endpoint) = std::env::var("DATAPORTABILITY_ENDPOINT") {
        builder = builder.endpoint(endpoint);
    }
    let client = builder.build()?;
    let done = export(&client, &resources, &ExportOptions::default()).await?;
    println!(
        "job {} complete ({} retries); its files:",
        done.job_id, done.retries
    );
    for url in &done.urls {
        println!("{url}");
    }
    Ok(())
}
