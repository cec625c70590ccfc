//! The README's example is the example file that `cargo test` builds, so
//! the code users copy from the README compiles.

#[test]
fn readme_shows_the_quickstart_example_verbatim() {
    let root = xtask::repository_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("generated/examples/quickstart.rs")).unwrap();
    // Everything after the file's `//!` header paragraph.
    let body = example.split_once("\n\n").unwrap().1.trim();
    assert!(
        readme.contains(body),
        "README.md's example differs from generated/examples/quickstart.rs"
    );
}

#[test]
fn readme_shows_the_openapi_example_verbatim() {
    let root = xtask::repository_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let example =
        std::fs::read_to_string(root.join("codegen/tests/fixture_tests/openapi_example.rs"))
            .unwrap();
    // Between the file's `//!` header paragraph and its test.
    let body = example.split_once("\n\n").unwrap().1;
    let body = body.split("#[test]").next().unwrap().trim();
    assert!(
        readme.contains(body),
        "README.md's OpenAPI example differs from codegen/tests/fixture_tests/openapi_example.rs"
    );
}

#[test]
fn readme_shows_the_cloud_example_verbatim() {
    let root = xtask::repository_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let example =
        std::fs::read_to_string(root.join("codegen/tests/fixture_tests/cloud_example.rs")).unwrap();
    // Between the file's `//!` header paragraph and its test.
    let body = example.split_once("\n\n").unwrap().1;
    let body = body.split("#[tokio::test]").next().unwrap().trim();
    assert!(
        readme.contains(body),
        "README.md's Cloud example differs from codegen/tests/fixture_tests/cloud_example.rs"
    );
}
