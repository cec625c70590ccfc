//! The crates generated from the fixture specs, from every Google
//! Discovery document in `../shared/corpus/discovery` and from every
//! document of `tests/regressions` the generator accepts compile without
//! warnings and pass clippy (with the `dispatch` feature on); the fixture
//! crates' own tests (`codegen/tests/fixture_tests`, run against a real HTTP
//! server) and doc examples pass.
//!
//! They are built together as one throwaway workspace with one target
//! folder, with the repository's `Cargo.lock` so dependency versions match
//! the ones already built for the main workspace.

mod common;

use codegen::{Dependency, Files};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Hand-written tests copied into a fixture crate's `tests/` folder.
const FIXTURE_TESTS: &[(&str, &[&str])] = &[
    ("cloud", &["cloud.rs", "cloud_example.rs", "server/mod.rs"]),
    ("cloud_paths", &["cloud_paths.rs", "server/mod.rs"]),
    ("media", &["media.rs", "server/mod.rs"]),
    (
        "openapi_client",
        &["openapi_client.rs", "openapi_example.rs", "server/mod.rs"],
    ),
    ("openapi_shapes", &["openapi_shapes.rs"]),
];

fn write_crate(dir: &Path, files: &Files) {
    let _ = std::fs::remove_dir_all(dir.join("src"));
    let _ = std::fs::remove_dir_all(dir.join("tests"));
    for (path, text) in files {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }
}

/// The dev-dependencies of a fixture crate with hand-written tests.
fn test_dependencies() -> BTreeMap<String, Dependency> {
    let dependency = |version: &str, features: &[&str]| Dependency {
        version: version.to_owned(),
        features: features.iter().map(|f| f.to_string()).collect(),
        default_features: true,
    };
    BTreeMap::from([
        ("serde".to_owned(), dependency("1", &["derive"])),
        ("serde_json".to_owned(), dependency("1", &[])),
        ("tokio".to_owned(), dependency("1", &["macros", "rt"])),
    ])
}

/// The fixture crates, with their tests, written under `root`.
fn write_fixtures(root: &Path) -> Vec<String> {
    let mut members = Vec::new();
    for name in common::fixture_names() {
        let tests = FIXTURE_TESTS
            .iter()
            .find(|(fixture, _)| *fixture == name)
            .map(|(_, files)| *files);
        let spec_file = common::fixture_file(&name);
        let json = std::fs::read_to_string(common::repository_root().join(&spec_file)).unwrap();
        let mut settings = common::settings(&format!("fixture-{name}"), &spec_file);
        if tests.is_some() {
            settings.dev_dependencies = test_dependencies();
        }
        let mut files = codegen::generate_with(&json, &settings, &common::FixtureFiles)
            .unwrap_or_else(|e| panic!("fixture {name}: {e}"));
        for file in tests.unwrap_or_default() {
            let source = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixture_tests")
                .join(file);
            files.insert(
                format!("tests/{file}"),
                std::fs::read_to_string(source).unwrap(),
            );
        }
        let member = format!("fixture-{name}");
        write_crate(&root.join(&member), &files);
        members.push(member);
    }
    members
}

/// Every corpus document's crate (Discovery and OpenAPI), written under `root`.
fn write_corpus(root: &Path, corpus: &Path) -> Vec<String> {
    let mut specs: Vec<(&str, PathBuf)> = Vec::new();
    for (folder, extensions) in [
        ("discovery", &["json"][..]),
        ("openapi", &["json", "yaml"][..]),
    ] {
        specs.extend(
            std::fs::read_dir(corpus.join(folder))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    p.extension()
                        .is_some_and(|e| extensions.iter().any(|x| e == *x))
                })
                .map(|p| (folder, p)),
        );
    }
    specs.sort();
    let mut members = Vec::new();
    for (folder, spec) in specs {
        let stem = spec
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .replace('.', "-");
        let member = if folder == "discovery" {
            format!("corpus-{stem}")
        } else {
            format!("openapi-{stem}")
        };
        let json = std::fs::read_to_string(&spec).unwrap();
        let spec_file = format!(
            "../shared/corpus/{folder}/{}",
            spec.file_name().unwrap().to_string_lossy()
        );
        let files = codegen::generate(&json, &common::settings(&member, &spec_file))
            .unwrap_or_else(|e| panic!("{e}"));
        write_crate(&root.join(&member), &files);
        members.push(member);
    }
    members
}

/// The crate of every regression document the generator accepts, written
/// under `root` (`tests/regressions.rs` checks the refused ones' errors):
/// what the generator accepts must compile, however hostile.
fn write_regressions(root: &Path) -> Vec<String> {
    let mut members = Vec::new();
    for path in common::regression_files() {
        let Ok(files) = common::generate_regression(&path) else {
            continue;
        };
        let member = common::regression_crate_name(&path);
        write_crate(&root.join(&member), &files);
        members.push(member);
    }
    members
}

/// A crate that uses the media fixture's deprecated method, field and enum
/// value: building it must warn about each, as users' builds will.
const USES_DEPRECATED: &str = "uses-deprecated";

const USES_DEPRECATED_LIB: &str = r#"//! Uses what the media fixture deprecates.

use fixture_media::models::file::location::Tier;

/// Calls a deprecated method, reads a deprecated field, names a deprecated value.
pub fn uses(client: &fixture_media::Client, file: &fixture_media::models::File) -> bool {
    let _call = client.files().touch("f");
    file.legacy_id.is_some() && Tier::Coldline.as_str() == "COLDLINE"
}
"#;

fn write_uses_deprecated(root: &Path) {
    let dir = root.join(USES_DEPRECATED);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"{USES_DEPRECATED}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[dependencies]\nfixture-media = {{ path = \"../fixture-media\" }}\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/lib.rs"), USES_DEPRECATED_LIB).unwrap();
}

fn cargo(root: &Path, args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", common::generated_crates_target())
        // Debug info is not needed to check or test, and costs much time
        // and disk for the largest documents.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        // One-shot builds: an incremental cache (gigabytes for the corpus
        // crates) would never be used again.
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "`cargo {}` failed for the generated crates in {}:\n{}{}",
        args.join(" "),
        root.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every checked feature of each of `crates` (`--features` of a workspace
/// names its members' features by package): all of them but `native-tls`,
/// whose OpenSSL headers a fresh machine need not have.
fn checked_features(crates: &[String]) -> String {
    crates
        .iter()
        .filter(|name| name.as_str() != USES_DEPRECATED)
        .flat_map(|name| {
            codegen::CHECKED_FEATURES
                .iter()
                .map(move |feature| format!("{name}/{feature}"))
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The corpus crate built with one resource's feature: the biggest
/// document, whose resources reach most of its models.
const BIG_CORPUS_CRATE: &str = "corpus-aiplatform-v1";

/// The resource features a generated manifest declares, in order.
fn resource_features(manifest: &str) -> Vec<String> {
    let Some(start) = manifest.find("\nall-resources = [") else {
        return Vec::new();
    };
    let list = &manifest[start + 1..];
    let end = list.find(']').unwrap_or(list.len());
    list[..end]
        .lines()
        .skip(1)
        .map(|line| {
            line.trim()
                .trim_end_matches(',')
                .trim_matches('"')
                .to_owned()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// `--features` values, one per build: the first with no resource at all,
/// then the k-th resource feature of each crate that has one (each crate
/// gets its own features, so one build checks them all side by side). The
/// `dispatch` feature is on in each, as its arms are gated too.
fn resource_feature_rounds(root: &Path, crates: &[String]) -> Vec<String> {
    let features: Vec<(&String, Vec<String>)> = crates
        .iter()
        .map(|name| {
            let manifest = std::fs::read_to_string(root.join(name).join("Cargo.toml")).unwrap();
            (name, resource_features(&manifest))
        })
        .collect();
    let rounds = features.iter().map(|(_, f)| f.len()).max().unwrap_or(0);
    (0..=rounds)
        .map(|round| {
            features
                .iter()
                .flat_map(|(name, resources)| {
                    let mut on = vec![format!("{name}/rustls-ring"), format!("{name}/dispatch")];
                    if round > 0 {
                        // Crates with fewer resources repeat their last one.
                        if let Some(resource) = resources.get(round - 1).or(resources.last()) {
                            on.push(format!("{name}/{resource}"));
                        }
                    }
                    on
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect()
}

#[test]
fn resource_features_are_read_from_the_manifest() {
    let manifest = "[features]\nall-resources = [\n    \"a\",\n    \"b_c\",\n]\na = []\n";
    assert_eq!(resource_features(manifest), ["a", "b_c"]);
    assert!(resource_features("[features]\ndefault = []\n").is_empty());
}

#[test]
fn generated_crates_compile_without_warnings_and_fixture_tests_pass() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-crates");
    std::fs::create_dir_all(&root).unwrap();
    let fixtures = write_fixtures(&root);
    write_uses_deprecated(&root);
    let mut members = fixtures.clone();
    members.push(USES_DEPRECATED.to_owned());
    members.extend(write_regressions(&root));
    if let Some(corpus) = common::corpus_dir() {
        members.extend(write_corpus(&root, &corpus));
    }
    let quoted: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            quoted.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(
        common::repository_root().join("Cargo.lock"),
        root.join("Cargo.lock"),
    )
    .unwrap();

    // Libraries only for the corpus and the regressions: their test
    // targets would check each crate a second time for nothing, as they
    // have no tests.
    cargo(
        &root,
        &[
            "clippy",
            "--workspace",
            "--exclude",
            USES_DEPRECATED,
            "--lib",
            "--features",
            &checked_features(&members),
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    );
    // Each resource's cargo feature alone, and none, builds: gates are
    // sound whichever resources a user takes.
    let mut one_resource = fixtures.clone();
    one_resource.extend(
        members
            .iter()
            .filter(|m| m.as_str() == BIG_CORPUS_CRATE)
            .cloned(),
    );
    for (round, features) in resource_feature_rounds(&root, &one_resource)
        .iter()
        .enumerate()
    {
        let mut args = vec!["clippy", "--lib", "--no-default-features", "--quiet"];
        // The big crate once, with its first resource: it is slow to check.
        for name in one_resource
            .iter()
            .filter(|name| round == 1 || name.as_str() != BIG_CORPUS_CRATE)
        {
            args.extend(["-p", name.as_str()]);
        }
        let features = features
            .split(',')
            .filter(|f| round == 1 || !f.starts_with(&format!("{BIG_CORPUS_CRATE}/")))
            .collect::<Vec<_>>()
            .join(",");
        args.extend(["--features", features.as_str(), "--", "-D", "warnings"]);
        cargo(&root, &args);
    }
    let fixture_features = checked_features(&fixtures);
    let mut fixture_args = vec![
        "clippy",
        "--all-targets",
        "--features",
        &fixture_features,
        "--quiet",
    ];
    for fixture in &fixtures {
        fixture_args.extend(["-p", fixture.as_str()]);
    }
    fixture_args.extend(["--", "-D", "warnings"]);
    cargo(&root, &fixture_args);
    // Tests against the local server, and every doc example compiled.
    let mut test_args = vec!["test", "--quiet"];
    for fixture in &fixtures {
        test_args.extend(["-p", fixture.as_str()]);
    }
    cargo(&root, &test_args);

    // Deprecated items warn their users, once each.
    let warnings = cargo(
        &root,
        &["check", "-p", USES_DEPRECATED, "--message-format", "short"],
    );
    for item in ["touch", "legacy_id", "Coldline"] {
        assert!(
            warnings
                .lines()
                .any(|l| l.contains("use of deprecated") && l.contains(item)),
            "expected a deprecation warning for {item}:\n{warnings}"
        );
    }
}
