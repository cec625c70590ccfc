//! The README's Cloud example, run against a local server: a long-running
//! operation polled to its end, an item stream, and errors matched.

mod server;

use fixture_cloud::models::{Instance, Operation};
use fixture_cloud::{Client, Code, Error};

/// Creates an instance and lists every instance of the location.
async fn create_and_list(client: &Client, parent: &str) -> Result<Vec<String>, Error> {
    // `poller()` sends the call, then polls the operation it starts.
    let operation: Operation = client
        .projects()
        .locations()
        .instances()
        .create(parent, Instance::new().set_tier("gold"))
        .instance_id("web-1")
        .poller()
        .until_done()
        .await?;
    let created: Instance = operation.response_as()?;
    println!("created {:?}", created.name);

    // `items()` streams the instances of every page.
    let mut names = Vec::new();
    let mut instances = client.projects().locations().instances().list(parent).items();
    while let Some(instance) = instances.next().await {
        names.extend(instance?.name);
    }
    Ok(names)
}

/// What to do about a failed call.
fn advice(error: &Error) -> String {
    match error {
        e if e.is_not_found() => "no such instance".to_owned(),
        // Rate limits are retried already (idempotent calls); a spent quota is final.
        Error::Api(api) if api.reason() == Some("quotaExceeded") => {
            format!("out of quota; request id {:?}", api.header("x-goog-request-id"))
        }
        Error::Api(api) if api.rpc_code() == Code::InvalidArgument => {
            let fields = api.bad_request().map(|b| b.field_violations().to_vec());
            format!("fix the request: {fields:?}")
        }
        // `errors[]` of the older error format (Drive, Gmail, YouTube, ...).
        Error::Api(api) => api
            .errors()
            .iter()
            .map(|item| format!("{}/{} at {}", item.domain(), item.reason(), item.location()))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn the_readme_example_runs() {
    use server::{Reply, Server};
    let server = Server::start(|request, _| match (request.method.as_str(), request.path()) {
        ("POST", _) => Reply::json(200, r#"{"name": "projects/p/locations/l/operations/1"}"#),
        ("GET", "/v1/projects/p/locations/l/operations/1") => Reply::json(
            200,
            r#"{"name": "projects/p/locations/l/operations/1", "done": true,
                "response": {"name": "projects/p/locations/l/instances/web-1"}}"#,
        ),
        _ => match request.query_value("pageToken") {
            None => Reply::json(200, r#"{"instances": [{"name": "a"}], "nextPageToken": "2"}"#),
            Some(_) => Reply::json(200, r#"{"instances": [{"name": "web-1"}]}"#),
        },
    });
    let client = Client::builder()
        .endpoint(&server.url)
        .polling_policy(
            fixture_cloud::RetryPolicy::polling_builder()
                .initial_delay(std::time::Duration::from_millis(1))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let names = create_and_list(&client, "projects/p/locations/l").await.unwrap();
    assert_eq!(names, ["a", "web-1"]);
}

#[tokio::test]
async fn the_readme_error_advice_reads_both_error_formats() {
    use server::{Reply, Server};
    let server = Server::start(|request, _| match request.query_value("pageToken").as_deref() {
        Some("404") => Reply::json(404, r#"{"error": {"code": 404, "message": "gone", "status": "NOT_FOUND"}}"#),
        Some("quota") => Reply::json(
            403,
            r#"{"error": {"code": 403, "message": "q", "errors": [{"domain": "usageLimits", "reason": "quotaExceeded"}]}}"#,
        )
        .with_header("x-goog-request-id", "r-1"),
        Some("bad") => Reply::json(
            400,
            r#"{"error": {"code": 400, "message": "bad", "status": "INVALID_ARGUMENT", "details": [
                {"@type": "type.googleapis.com/google.rpc.BadRequest",
                 "fieldViolations": [{"field": "pageSize", "description": "too big"}]}]}}"#,
        ),
        _ => Reply::json(
            409,
            r#"{"error": {"code": 409, "message": "busy", "errors": [{"domain": "global", "reason": "conflict", "location": "name"}]}}"#,
        ),
    });
    let client = Client::builder().endpoint(&server.url).build().unwrap();
    let list = |token: &str| {
        client
            .projects()
            .locations()
            .instances()
            .list("projects/p/locations/l")
            .page_token(token)
    };
    let advice_for = |result: Result<_, Error>| advice(&result.unwrap_err());
    assert_eq!(advice_for(list("404").await), "no such instance");
    assert_eq!(advice_for(list("quota").await), r#"out of quota; request id Some("r-1")"#);
    assert!(advice_for(list("bad").await).contains("pageSize"));
    assert_eq!(advice_for(list("other").await), "global/conflict at name");
}
