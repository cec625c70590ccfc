//! The README's OpenAPI example, built as a test of the crate generated
//! from `codegen/tests/fixtures/openapi_client.yaml` (the compile test), so
//! the code users copy from the README compiles.

use fixture_openapi_client::models::{NewPet, NotFound, Pet};
use fixture_openapi_client::servers::{self, TheHostedClinicRegion};
use fixture_openapi_client::{Client, Error, security};

/// Looks a pet up, and registers it when the clinic has no such pet.
pub async fn find_or_register(id: &str) -> Result<Pet, Box<dyn std::error::Error>> {
    let client = Client::builder()
        // The spec's servers, with typed variables.
        .endpoint(servers::the_hosted_clinic(TheHostedClinicRegion::Eu))
        // One credential per security scheme; each call sends what its
        // operation accepts.
        .credential(security::bearer_auth("my-token")?)
        .build()?;
    match client.pets().get_pet(id).await {
        Ok(pet) => Ok(pet),
        // The error body the spec documents for a 404, typed.
        Err(error) if error.http_status() == Some(404) => {
            let not_found: Option<NotFound> = error.body_as();
            eprintln!("no pet {id}: {not_found:?}");
            let pet = client.pets().create_pet(NewPet::new().set_name(id)).await?;
            Ok(pet)
        }
        Err(Error::Binding(refused)) => Err(format!("nothing sent: {refused}").into()),
        Err(error) => Err(error.into()),
    }
}

#[test]
fn the_readme_example_builds() {
    // Compiling it is the point; a future that is never polled sends nothing.
    drop(find_or_register("rex"));
}
