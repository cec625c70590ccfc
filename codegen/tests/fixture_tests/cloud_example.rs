//! The README's Cloud example, run against a local server: a long-running
//! operation polled to its end, an item stream, and errors matched.

mod server;

use fixture_cloud::models::{Instance, Operation};
use fixture_cloud::{Client, Error};

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
