//! API diffs on the real history of the Data Portability documents in
//! `../shared/corpus/history` (every consecutive pair pinned as a golden
//! report), and on hand-made changes, one per kind.

mod common;

use codegen::diff::{Report, Semver, diff, to_json, to_markdown};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn lower(file: &str, json: &str) -> codegen::ir::Api {
    codegen::lower::lower(file, json).unwrap_or_else(|e| panic!("{e}"))
}

fn revisions(corpus: &Path, track: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join("history").join(track))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn report_between(old: &Path, new: &Path) -> Report {
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    diff(
        &lower(&old.display().to_string(), &read(old)),
        &lower(&new.display().to_string(), &read(new)),
    )
}

fn history_report(corpus: &Path, track: &str, old: &str, new: &str) -> Report {
    let dir = corpus.join("history").join(track);
    report_between(
        &dir.join(format!("{old}.json")),
        &dir.join(format!("{new}.json")),
    )
}

#[test]
fn every_consecutive_pair_of_the_history_matches_its_golden_report() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff_golden");
    for track in ["dataportability.v1", "dataportability.v1beta"] {
        let files = revisions(&corpus, track);
        assert!(files.len() >= 2, "{track} has a history");
        for pair in files.windows(2) {
            let report = report_between(&pair[0], &pair[1]);
            let stem = |p: &Path| p.file_stem().unwrap().to_string_lossy().into_owned();
            let name = format!("{track}/{}-{}", stem(&pair[0]), stem(&pair[1]));
            let path = golden.join(format!("{name}.md"));
            if std::env::var("UPDATE_EXPECT").is_ok() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            }
            expect_test::expect_file![path].assert_eq(&to_markdown(&report));
        }
    }
}

#[test]
fn the_history_says_what_the_issue_expects() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let beta = history_report(&corpus, "dataportability.v1beta", "20240130", "20240204");
    assert!(
        beta.changes
            .iter()
            .any(|c| c.kind.as_str() == "scope_added"),
        "{beta:?}"
    );

    let removed = history_report(&corpus, "dataportability.v1", "20240319", "20240403");
    let scope = "https://www.googleapis.com/auth/dataportability.maps.post_trip_feedback";
    assert!(
        removed
            .changes
            .iter()
            .any(|c| c.kind.as_str() == "scope_removed" && c.item == scope && c.breaking()),
        "{removed:?}"
    );
    assert_eq!(removed.semver(), Semver::Major);

    let added = history_report(&corpus, "dataportability.v1", "20240410", "20241208");
    for suffix in ["alerts.subscriptions", "youtube.clips"] {
        let url = format!("https://www.googleapis.com/auth/dataportability.{suffix}");
        assert!(
            added
                .changes
                .iter()
                .any(|c| c.kind.as_str() == "scope_added" && c.item == url),
            "{url} added: {added:?}"
        );
    }
    assert_eq!(added.semver(), Semver::Minor);
}

const SPEC: &str = "specs/dataportability.v1.json";

fn spec() -> Value {
    let text = std::fs::read_to_string(common::repository_root().join(SPEC)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn report_for(old: &Value, new: &Value) -> Report {
    diff(
        &lower("old.json", &old.to_string()),
        &lower("new.json", &new.to_string()),
    )
}

fn method<'a>(document: &'a mut Value, resource: &str, name: &str) -> &'a mut Value {
    &mut document["resources"][resource]["methods"][name]
}

#[test]
fn a_document_against_itself_with_shuffled_keys_and_a_new_revision_reports_nothing() {
    let document = spec();
    let mut shuffled: Value = serde_json::from_str(&common::reversed_keys(&document)).unwrap();
    shuffled["revision"] = json!("20991231");
    shuffled["etag"] = json!("\"something-else\"");
    let report = diff(
        &lower("a.json", &document.to_string()),
        &lower("b.json", &common::reversed_keys(&shuffled)),
    );
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert_eq!(report.semver(), Semver::None);
    assert!(to_markdown(&report).contains("no API changes"));
}

#[test]
fn each_kind_of_change_is_found_and_classified() {
    // How to change the spec, the kind and item expected, and whether it breaks.
    type Case = (fn(&mut Value), &'static str, &'static str, bool);
    let cases: Vec<Case> = vec![
        (
            |d| d["rootUrl"] = json!("https://eu-dataportability.googleapis.com/"),
            "base_url_changed",
            "rootUrl",
            true,
        ),
        (
            |d| d["servicePath"] = json!("api/"),
            "service_path_changed",
            "servicePath",
            true,
        ),
        (
            |d| {
                d["auth"]["oauth2"]["scopes"]["https://www.googleapis.com/auth/dataportability.new"] =
                    json!({"description": "New."})
            },
            "scope_added",
            "https://www.googleapis.com/auth/dataportability.new",
            false,
        ),
        (
            |d| {
                let scope = "https://www.googleapis.com/auth/dataportability.myactivity.search";
                d["auth"]["oauth2"]["scopes"]
                    .as_object_mut()
                    .unwrap()
                    .remove(scope);
                for resource in d["resources"].as_object_mut().unwrap().values_mut() {
                    for m in resource["methods"].as_object_mut().unwrap().values_mut() {
                        m["scopes"].as_array_mut().unwrap().retain(|s| s != scope);
                    }
                }
            },
            "scope_removed",
            "https://www.googleapis.com/auth/dataportability.myactivity.search",
            true,
        ),
        (
            |d| {
                let retry = method(d, "archiveJobs", "retry");
                let scope = "https://www.googleapis.com/auth/dataportability.myactivity.search";
                retry["scopes"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|s| s != scope);
            },
            "method_scope_removed",
            "dataportability.archiveJobs.retry https://www.googleapis.com/auth/dataportability.myactivity.search",
            true,
        ),
        (
            |d| {
                let mut copy = method(d, "archiveJobs", "retry").clone();
                copy["id"] = json!("dataportability.archiveJobs.retryLater");
                d["resources"]["archiveJobs"]["methods"]["retryLater"] = copy;
            },
            "method_added",
            "dataportability.archiveJobs.retryLater",
            false,
        ),
        (
            |d| {
                d["resources"]["archiveJobs"]["methods"]
                    .as_object_mut()
                    .unwrap()
                    .remove("retry");
            },
            "method_removed",
            "dataportability.archiveJobs.retry",
            true,
        ),
        (
            |d| method(d, "archiveJobs", "retry")["httpMethod"] = json!("PUT"),
            "http_method_changed",
            "dataportability.archiveJobs.retry",
            true,
        ),
        (
            |d| method(d, "archiveJobs", "retry")["path"] = json!("v2/{name=archiveJobs/*}:retry"),
            "path_changed",
            "dataportability.archiveJobs.retry",
            true,
        ),
        (
            |d| method(d, "archiveJobs", "retry")["path"] = json!("v1/{name=jobs/*}:retry"),
            "parameter_pattern_changed",
            "dataportability.archiveJobs.retry.name",
            true,
        ),
        (
            |d| {
                method(d, "archiveJobs", "retry")["parameters"]["force"] =
                    json!({"type": "boolean", "location": "query"})
            },
            "parameter_added",
            "dataportability.archiveJobs.retry.force",
            false,
        ),
        (
            |d| {
                method(d, "archiveJobs", "retry")["parameters"]["force"] =
                    json!({"type": "boolean", "location": "query", "required": true})
            },
            "required_parameter_added",
            "dataportability.archiveJobs.retry.force",
            true,
        ),
        (
            |d| {
                method(d, "archiveJobs", "retry")["parameters"]["force"] =
                    json!({"type": "string", "location": "query", "pattern": "^[a-z]+$"})
            },
            "parameter_added",
            "dataportability.archiveJobs.retry.force",
            false,
        ),
        (
            |d| {
                let ids = &mut d["parameters"]["quotaUser"];
                ids["type"] = json!("boolean");
            },
            "parameter_type_changed",
            "parameters.quotaUser",
            true,
        ),
        (
            |d| method(d, "archiveJobs", "retry")["response"] = json!({"$ref": "Empty"}),
            "response_changed",
            "dataportability.archiveJobs.retry",
            true,
        ),
        (
            |d| method(d, "archiveJobs", "retry")["deprecated"] = json!(true),
            "method_deprecated",
            "dataportability.archiveJobs.retry",
            false,
        ),
        (
            |d| method(d, "archiveJobs", "retry")["description"] = json!("Something else."),
            "description_changed",
            "dataportability.archiveJobs.retry",
            false,
        ),
        (
            |d| d["schemas"]["Extra"] = json!({"id": "Extra", "type": "object", "properties": {}}),
            "schema_added",
            "Extra",
            false,
        ),
        (
            |d| {
                d["schemas"]["PortabilityArchiveState"]["properties"]["size"] =
                    json!({"type": "string", "format": "int64"})
            },
            "field_added",
            "PortabilityArchiveState.size",
            false,
        ),
        (
            |d| {
                d["schemas"]["PortabilityArchiveState"]["properties"]
                    .as_object_mut()
                    .unwrap()
                    .remove("urls");
            },
            "field_removed",
            "PortabilityArchiveState.urls",
            true,
        ),
        (
            |d| {
                d["schemas"]["PortabilityArchiveState"]["properties"]["urls"] =
                    json!({"type": "string"})
            },
            "field_type_changed",
            "PortabilityArchiveState.urls",
            true,
        ),
        (
            |d| {
                let state = &mut d["schemas"]["PortabilityArchiveState"]["properties"]["state"];
                state["enum"].as_array_mut().unwrap().push(json!("PAUSED"));
                state["enumDescriptions"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("Paused."));
            },
            "enum_value_added",
            "PortabilityArchiveState.state=PAUSED",
            false,
        ),
        (
            |d| {
                let state = &mut d["schemas"]["PortabilityArchiveState"]["properties"]["state"];
                let i = state["enum"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .position(|v| v == "CANCELLED")
                    .unwrap();
                state["enum"].as_array_mut().unwrap().remove(i);
                state["enumDescriptions"].as_array_mut().unwrap().remove(i);
            },
            "enum_value_removed",
            "PortabilityArchiveState.state=CANCELLED",
            true,
        ),
        (
            |d| {
                let state = &mut d["schemas"]["PortabilityArchiveState"]["properties"]["state"];
                let n = state["enum"].as_array().unwrap().len();
                let flags: Vec<bool> = (0..n).map(|i| i == n - 1).collect();
                state["enumDeprecated"] = json!(flags);
            },
            "enum_value_deprecated",
            "PortabilityArchiveState.state=CANCELLED",
            false,
        ),
        (
            // A method binding a new template: a new resource-name type.
            |d| {
                let mut copy = method(d, "archiveJobs", "retry").clone();
                copy["id"] = json!("dataportability.archiveJobs.watch");
                copy["path"] = json!("v1/{+name}:watch");
                copy["flatPath"] = json!("v1/users/{usersId}:watch");
                copy["parameters"]["name"]["pattern"] = json!("^users/[^/]+$");
                d["resources"]["archiveJobs"]["methods"]["watch"] = copy;
            },
            "resource_name_added",
            "names.users/*",
            false,
        ),
        (
            // No method binds `archiveJobs/*` any more.
            |d| {
                for name in ["retry", "cancel"] {
                    method(d, "archiveJobs", name)["parameters"]["name"]["pattern"] =
                        json!("^jobs/[^/]+$");
                    let flat = format!("v1/jobs/{{jobsId}}:{name}");
                    method(d, "archiveJobs", name)["flatPath"] = json!(flat);
                    method(d, "archiveJobs", name)["path"] = json!(format!("v1/{{+name}}:{name}"));
                }
            },
            "resource_name_removed",
            "names.archiveJobs/*",
            true,
        ),
        (
            // A new template whose name clashes: both take a longer name.
            |d| {
                let mut copy = method(d, "archiveJobs", "getPortabilityArchiveState").clone();
                copy["id"] = json!("dataportability.users.getPortabilityArchiveState");
                copy["path"] = json!("v1/{+name}");
                copy["flatPath"] = json!("v1/users/{usersId}/portabilityArchiveState");
                copy["parameters"]["name"]["pattern"] =
                    json!("^users/[^/]+/portabilityArchiveState$");
                d["resources"]["users"] = json!({"methods": {"getPortabilityArchiveState": copy}});
            },
            "renamed_in_rust",
            "names.archiveJobs/*/portabilityArchiveState",
            true,
        ),
    ];
    for (change, kind, item, breaking) in cases {
        let old = spec();
        let mut new = old.clone();
        change(&mut new);
        let report = report_for(&old, &new);
        let found = report
            .changes
            .iter()
            .find(|c| c.kind.as_str() == kind && c.item == item);
        let Some(found) = found else {
            panic!("expected {kind} {item} in {:#?}", report.changes);
        };
        assert_eq!(found.breaking(), breaking, "{kind} {item}");
        let expected = if breaking {
            Semver::Major
        } else if kind == "description_changed" {
            Semver::Patch
        } else {
            Semver::Minor
        };
        assert_eq!(report.semver(), expected, "{kind}: {:#?}", report.changes);
        // The JSON form carries the same facts.
        let json = to_json(&report);
        assert_eq!(json["semver"], expected.as_str());
        assert!(
            json["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| { c["kind"] == kind && c["item"] == item && c["breaking"] == breaking })
        );
    }
}

#[test]
fn the_api_record_of_a_generated_crate_reads_back_as_the_same_api() {
    let text = spec().to_string();
    let files = codegen::generate(&text, &common::settings("dp", SPEC)).unwrap();
    let record = &files[codegen::API_RECORD];
    assert!(record.contains("\"@generated\""));
    let read = codegen::read_api_record(record).unwrap();
    assert_eq!(read, lower(SPEC, &text));
    // A diff against the record is how regen summarizes an update.
    assert!(diff(&read, &lower(SPEC, &text)).changes.is_empty());
}

#[test]
fn changes_that_need_a_starting_point_are_found_and_classified() {
    // Applied to both sides, then the change to the new side only; the
    // kind and item expected, and whether it breaks. Reversing the pair
    // gives the opposite change, checked too.
    type Case = (
        fn(&mut Value),
        fn(&mut Value),
        (&'static str, bool),
        Option<(&'static str, bool)>,
        &'static str,
    );
    fn no_base(_: &mut Value) {}
    fn with_force(d: &mut Value) {
        method(d, "archiveJobs", "retry")["parameters"]["force"] =
            json!({"type": "boolean", "location": "query"});
    }
    fn with_next_page_token(d: &mut Value) {
        d["schemas"]["PortabilityArchiveState"]["properties"]["nextPageToken"] =
            json!({"type": "string"});
    }
    let cases: Vec<Case> = vec![
        (
            with_force,
            |d| method(d, "archiveJobs", "retry")["parameters"]["force"]["required"] = json!(true),
            ("parameter_made_required", true),
            Some(("parameter_made_optional", true)),
            "dataportability.archiveJobs.retry.force",
        ),
        (
            no_base,
            with_force,
            ("parameter_added", false),
            Some(("parameter_removed", true)),
            "dataportability.archiveJobs.retry.force",
        ),
        (
            with_force,
            |d| {
                method(d, "archiveJobs", "retry")["parameters"]["force"]["deprecated"] = json!(true)
            },
            ("parameter_deprecated", false),
            None,
            "dataportability.archiveJobs.retry.force",
        ),
        (
            |d| {
                method(d, "archiveJobs", "retry")["parameters"]["force"] =
                    json!({"type": "string", "location": "query", "pattern": "^[a-z]+$"})
            },
            |d| {
                method(d, "archiveJobs", "retry")["parameters"]["force"]["pattern"] =
                    json!("^[0-9]+$")
            },
            ("parameter_pattern_changed", true),
            Some(("parameter_pattern_changed", true)),
            "dataportability.archiveJobs.retry.force",
        ),
        (
            no_base,
            |d| {
                let retry = method(d, "archiveJobs", "retry");
                retry["path"] = json!("v1/archiveJobs:retry");
                retry["parameters"]["name"]["location"] = json!("query");
            },
            ("parameter_location_changed", true),
            Some(("parameter_location_changed", true)),
            "dataportability.archiveJobs.retry.name",
        ),
        (
            no_base,
            |d| {
                method(d, "archiveJobs", "retry")["request"] =
                    json!({"$ref": "InitiatePortabilityArchiveRequest"})
            },
            ("request_changed", true),
            Some(("request_changed", true)),
            "dataportability.archiveJobs.retry",
        ),
        (
            |d| {
                let scope = "https://www.googleapis.com/auth/dataportability.myactivity.search";
                let retry = method(d, "archiveJobs", "retry");
                retry["scopes"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|s| s != scope);
            },
            |d| {
                let scope = "https://www.googleapis.com/auth/dataportability.myactivity.search";
                let retry = method(d, "archiveJobs", "retry");
                retry["scopes"].as_array_mut().unwrap().push(json!(scope));
            },
            ("method_scope_added", false),
            Some(("method_scope_removed", true)),
            "dataportability.archiveJobs.retry https://www.googleapis.com/auth/dataportability.myactivity.search",
        ),
        (
            no_base,
            |d| d["schemas"]["Extra"] = json!({"id": "Extra", "type": "object", "properties": {}}),
            ("schema_added", false),
            Some(("schema_removed", true)),
            "Extra",
        ),
        (
            |d| d["schemas"]["Extra"] = json!({"id": "Extra", "type": "object", "properties": {}}),
            |d| d["schemas"]["Extra"] = json!({"id": "Extra", "type": "string"}),
            ("schema_type_changed", true),
            Some(("schema_type_changed", true)),
            "Extra",
        ),
        (
            no_base,
            |d| d["schemas"]["PortabilityArchiveState"]["deprecated"] = json!(true),
            ("schema_deprecated", false),
            None,
            "PortabilityArchiveState",
        ),
        (
            no_base,
            |d| {
                d["schemas"]["PortabilityArchiveState"]["properties"]["urls"]["deprecated"] =
                    json!(true)
            },
            ("field_deprecated", false),
            None,
            "PortabilityArchiveState.urls",
        ),
        (
            with_next_page_token,
            |d| {
                method(d, "archiveJobs", "getPortabilityArchiveState")["parameters"]["pageToken"] =
                    json!({"type": "string", "location": "query"})
            },
            ("paging_added", false),
            Some(("paging_removed", true)),
            "dataportability.archiveJobs.getPortabilityArchiveState",
        ),
        (
            no_base,
            |d| {
                method(d, "archiveJobs", "getPortabilityArchiveState")["supportsMediaDownload"] =
                    json!(true)
            },
            ("media_download_added", false),
            Some(("media_download_removed", true)),
            "dataportability.archiveJobs.getPortabilityArchiveState",
        ),
        (
            // Without a response schema, `send` returns `()` until the
            // method serves content, then the content's stream: a new type.
            |d| {
                method(d, "archiveJobs", "getPortabilityArchiveState")
                    .as_object_mut()
                    .unwrap()
                    .remove("response");
            },
            |d| {
                method(d, "archiveJobs", "getPortabilityArchiveState")["supportsMediaDownload"] =
                    json!(true)
            },
            ("response_changed", true),
            Some(("response_changed", true)),
            "dataportability.archiveJobs.getPortabilityArchiveState",
        ),
        (
            no_base,
            |d| {
                let initiate = method(d, "portabilityArchive", "initiate");
                initiate["supportsMediaUpload"] = json!(true);
                initiate["mediaUpload"] = json!({
                    "protocols": {"simple": {"path": "/upload/v1/portabilityArchive:initiate"}}
                });
            },
            ("media_upload_added", false),
            Some(("media_upload_removed", true)),
            "dataportability.portabilityArchive.initiate",
        ),
        (
            no_base,
            // `Urls` sorts before `urls` and takes the field name `urls`.
            |d| {
                d["schemas"]["PortabilityArchiveState"]["properties"]["Urls"] =
                    json!({"type": "string"})
            },
            ("renamed_in_rust", true),
            Some(("renamed_in_rust", true)),
            "PortabilityArchiveState.urls",
        ),
    ];
    for (base, change, forward, backward, item) in cases {
        let mut old = spec();
        base(&mut old);
        let mut new = old.clone();
        change(&mut new);
        // Undoing a deprecation is not a change worth a line.
        for (from, to, expected) in [(&old, &new, Some(forward)), (&new, &old, backward)] {
            let report = report_for(from, to);
            let Some((kind, breaking)) = expected else {
                assert!(report.breaking().count() == 0, "{:#?}", report.changes);
                continue;
            };
            let found = report
                .changes
                .iter()
                .find(|c| c.kind.as_str() == kind && c.item == item)
                .unwrap_or_else(|| panic!("expected {kind} {item} in {:#?}", report.changes));
            assert_eq!(found.breaking(), breaking, "{kind} {item}");
            assert_eq!(
                report.semver() == Semver::Major,
                report.breaking().count() > 0,
                "{kind}"
            );
        }
    }
}
