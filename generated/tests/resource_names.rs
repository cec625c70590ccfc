//! Typed resource names (`names`): calls take them as well as strings, and
//! a name can only be made from text that fits its template.

mod fake;

use fake::{Access, FakeServer};
use google_dataportability_v1::names::{ArchiveJobName, PortabilityArchiveStateName};
use google_dataportability_v1::{BindingError, Client, Error, StaticToken};
use std::collections::BTreeSet;

const TOKEN: &str = "ya29.resource-names-test-token";

/// A fake with [`TOKEN`] registered, and a client that uses it.
async fn setup() -> (FakeServer, Client) {
    let server = FakeServer::start().await;
    server.add_token(TOKEN, Access::OneTime, &["myactivity.search"]);
    let client = Client::builder()
        .endpoint(server.endpoint())
        .token_provider(StaticToken::new(TOKEN).expect("the test token is valid"))
        .build()
        .expect("the client builds");
    (server, client)
}

#[tokio::test]
async fn calls_take_a_typed_name_or_a_string_and_send_the_same_path() {
    let (server, client) = setup().await;
    server.add_job(TOKEN, "job-1", "IN_PROGRESS");
    let name = PortabilityArchiveStateName::new("job-1").unwrap();
    let jobs = client.archive_jobs();
    jobs.get_portability_archive_state(&name).await.unwrap();
    jobs.get_portability_archive_state(name.clone())
        .await
        .unwrap();
    jobs.get_portability_archive_state("archiveJobs/job-1/portabilityArchiveState")
        .await
        .unwrap();
    jobs.get_portability_archive_state(String::from("archiveJobs/job-1/portabilityArchiveState"))
        .await
        .unwrap();
    jobs.get_portability_archive_state(name.to_string())
        .await
        .unwrap();
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths, ["/v1/archiveJobs/job-1/portabilityArchiveState"; 5],
        "every spelling sends the same request"
    );
}

#[tokio::test]
async fn a_typed_name_is_percent_encoded_like_a_string() {
    let (server, client) = setup().await;
    // Not a `/`, so a valid part; every reserved character is still encoded.
    let id = "job a+b:c";
    server.add_job(TOKEN, id, "FAILED");
    let job = ArchiveJobName::new(id).unwrap();
    assert_eq!(job.archive_job(), id);
    let response = client.archive_jobs().retry(&job).await.unwrap();
    assert!(response.archive_job_id.is_some(), "retry made a new job");
    let request = server.requests().pop().unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/archiveJobs/job%20a%2Bb%3Ac:retry");
}

#[tokio::test]
async fn a_string_that_does_not_fit_is_refused_before_anything_is_sent() {
    let (server, client) = setup().await;
    let result = client.archive_jobs().retry("jobs/job-1").await;
    match result {
        Err(Error::Binding(e)) => {
            assert_eq!((e.parameter(), e.template()), ("name", "archiveJobs/*"));
        }
        other => panic!("expected Error::Binding, got {other:?}"),
    }
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn new_parse_display_and_accessors_agree() {
    let built = PortabilityArchiveStateName::new("job-7").unwrap();
    let parsed: PortabilityArchiveStateName =
        "archiveJobs/job-7/portabilityArchiveState".parse().unwrap();
    assert_eq!(built, parsed);
    assert_eq!(built.as_str(), "archiveJobs/job-7/portabilityArchiveState");
    assert_eq!(built.to_string(), built.as_str());
    assert_eq!(AsRef::<str>::as_ref(&built), built.as_str());
    assert_eq!(built.archive_job(), "job-7");
    assert_eq!(
        format!("{built:?}"),
        "PortabilityArchiveStateName(\"archiveJobs/job-7/portabilityArchiveState\")"
    );
    assert_eq!(String::from(&built), built.as_str());
    assert_eq!(String::from(built.clone()), built.as_str());

    let job = ArchiveJobName::new(String::from("job-7")).unwrap();
    assert_eq!(job.as_str(), "archiveJobs/job-7");
    assert_eq!(job.archive_job(), built.archive_job());
    // Ordered and hashable by their text, so they can key maps and sets.
    let set: BTreeSet<ArchiveJobName> = ["archiveJobs/b", "archiveJobs/a", "archiveJobs/b"]
        .iter()
        .map(|text| text.parse().unwrap())
        .collect();
    let texts: Vec<&str> = set.iter().map(ArchiveJobName::as_str).collect();
    assert_eq!(texts, ["archiveJobs/a", "archiveJobs/b"]);
    let unique: std::collections::HashSet<ArchiveJobName> = set.into_iter().collect();
    assert_eq!(unique.len(), 2);
}

#[test]
fn serde_uses_the_string_and_checks_it_when_reading() {
    let job = ArchiveJobName::new("job-1").unwrap();
    let json = serde_json::to_string(&job).unwrap();
    assert_eq!(json, "\"archiveJobs/job-1\"");
    let back: ArchiveJobName = serde_json::from_str(&json).unwrap();
    assert_eq!(back, job);
    let in_a_list: Vec<ArchiveJobName> =
        serde_json::from_str(r#"["archiveJobs/a", "archiveJobs/b"]"#).unwrap();
    assert_eq!(in_a_list[1].archive_job(), "b");

    for bad in [r#""jobs/job-1""#, r#""archiveJobs/a/b""#, r#""""#] {
        let err = serde_json::from_str::<ArchiveJobName>(bad).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("`ArchiveJobName`") && text.contains("`archiveJobs/*`"),
            "{text}"
        );
    }
    assert!(serde_json::from_str::<ArchiveJobName>("17").is_err());
}

/// Checks that `err` names the type, the template and `value`, in its
/// accessors and its message.
fn assert_names_all(err: &BindingError, type_name: &str, template: &str, value: &str) {
    assert_eq!(
        (err.parameter(), err.template(), err.value()),
        (type_name, template, value)
    );
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "resource name `{type_name}` must match `{template}`, but {value:?} "
        )),
        "{text}"
    );
}

#[test]
fn text_that_does_not_fit_the_template_is_refused_with_all_the_facts() {
    let cases = [
        ("", "has an empty segment"),
        ("archiveJobs", "does not"),
        ("archiveJobs/", "has an empty segment"),
        ("archiveJobs/job-1/", "has an empty segment"),
        ("/archiveJobs/job-1", "has an empty segment"),
        ("archiveJobs//job-1", "has an empty segment"),
        ("archiveJobs/job-1/extra", "does not"),
        ("jobs/job-1", "does not"),
        ("ArchiveJobs/job-1", "does not"),
        ("archiveJobs/..", "`..`"),
        ("archiveJobs/.", "`..`"),
    ];
    for (bad, reason) in cases {
        let err = bad.parse::<ArchiveJobName>().unwrap_err();
        assert_names_all(&err, "ArchiveJobName", "archiveJobs/*", bad);
        assert!(err.to_string().contains(reason), "{bad:?}: {err}");
    }
    let template = "archiveJobs/*/portabilityArchiveState";
    for bad in [
        "archiveJobs/job-1",
        "archiveJobs/job-1/portabilityArchiveStates",
        "archiveJobs/job-1/state",
        "archiveJobs/portabilityArchiveState",
    ] {
        let err = bad.parse::<PortabilityArchiveStateName>().unwrap_err();
        assert_names_all(&err, "PortabilityArchiveStateName", template, bad);
    }
}

#[test]
fn parts_that_are_not_one_segment_are_refused_with_all_the_facts() {
    let cases = [
        ("", "archiveJobs/", "has an empty segment"),
        ("a/b", "archiveJobs/a/b", "one segment"),
        ("..", "archiveJobs/..", "`..`"),
        (".", "archiveJobs/.", "`..`"),
        ("a/", "archiveJobs/a/", "one segment"),
    ];
    for (part, value, reason) in cases {
        let err = ArchiveJobName::new(part).unwrap_err();
        assert_names_all(&err, "ArchiveJobName", "archiveJobs/*", value);
        assert!(err.to_string().contains(reason), "{part:?}: {err}");
    }
    // A part may not smuggle in the rest of the template either.
    let err = PortabilityArchiveStateName::new("a/portabilityArchiveState").unwrap_err();
    assert_eq!(
        err.value(),
        "archiveJobs/a/portabilityArchiveState/portabilityArchiveState"
    );
    // The error converts into the crate's error, as call errors do.
    let err: Error = ArchiveJobName::new("").unwrap_err().into();
    assert!(matches!(err, Error::Binding(_)), "{err:?}");
}
