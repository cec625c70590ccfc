//! The README's example: start an export, read its state, retry it if it failed.
//!
//! Run with `cargo run -p google-dataportability-v1 --example quickstart`
//! and a real token in `DATAPORTABILITY_TOKEN` (it calls Google).

use google_dataportability_v1::models::InitiatePortabilityArchiveRequest;
use google_dataportability_v1::models::portability_archive_state::State;
use google_dataportability_v1::{Client, Error, StaticToken};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("DATAPORTABILITY_TOKEN")
        .map_err(|_| "set DATAPORTABILITY_TOKEN to an OAuth access token")?;
    let client = Client::builder()
        .token_provider(StaticToken::new(token)?)
        .build()?;

    // Start an export, then read its state.
    let job = client
        .portability_archive()
        .initiate(InitiatePortabilityArchiveRequest::new().set_resources(["myactivity.search"]))
        .await?;
    let id = job.archive_job_id.unwrap_or_default();
    let state = client
        .archive_jobs()
        .get_portability_archive_state(format!("archiveJobs/{id}/portabilityArchiveState"))
        .await?;
    println!("job {id}: {:?}", state.state);

    // Retry it if it failed: the answer names the new job.
    if state.state == Some(State::Failed) {
        match client
            .archive_jobs()
            .retry(format!("archiveJobs/{id}"))
            .await
        {
            Ok(retried) => println!("new job {:?}", retried.archive_job_id),
            Err(Error::Api(e)) => eprintln!("{} {}: {}", e.http_status(), e.status(), e.message()),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
