//! Scopes and models of the generated crate: what the wire format needs,
//! without a server.

use google_dataportability_v1::models::initiate_portability_archive_response::AccessType;
use google_dataportability_v1::models::portability_archive_state::State;
use google_dataportability_v1::models::{
    InitiatePortabilityArchiveRequest, PortabilityArchiveState, RetryPortabilityArchiveRequest,
};
use google_dataportability_v1::resources::archive_jobs::{
    Cancel, GetPortabilityArchiveState, Retry,
};
use google_dataportability_v1::resources::portability_archive::Initiate;
use google_dataportability_v1::{Scope, Timestamp};
use std::collections::BTreeSet;

const PREFIX: &str = "https://www.googleapis.com/auth/dataportability.";

#[test]
fn there_is_one_scope_per_url_of_the_reference_page() {
    assert_eq!(Scope::ALL.len(), 66);
    let urls: BTreeSet<&str> = Scope::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(urls.len(), 66, "no two variants share a URL");
    assert!(urls.iter().all(|u| u.starts_with(PREFIX)));
    for suffix in [
        "alerts.subscriptions",
        "search_ugc.comments",
        "youtube.clips",
        "myactivity.youtube",
    ] {
        assert!(
            urls.contains(format!("{PREFIX}{suffix}").as_str()),
            "{suffix}"
        );
    }
    assert_eq!(
        Scope::SearchUgcMediaReviewsAndStars.as_str(),
        "https://www.googleapis.com/auth/dataportability.search_ugc.media.reviews_and_stars"
    );
}

#[test]
fn scopes_round_trip_through_strings_and_serde() {
    for &scope in Scope::ALL {
        assert_eq!(scope.as_str().parse::<Scope>(), Ok(scope));
        assert_eq!(scope.to_string(), scope.as_str());
        assert_eq!(AsRef::<str>::as_ref(&scope), scope.as_str());
        let json = serde_json::to_string(&scope).unwrap();
        assert_eq!(json, format!("\"{}\"", scope.as_str()));
        assert_eq!(serde_json::from_str::<Scope>(&json).unwrap(), scope);
    }
}

#[test]
fn an_unknown_scope_url_is_an_error() {
    let err = "https://www.googleapis.com/auth/drive"
        .parse::<Scope>()
        .unwrap_err();
    assert_eq!(err.as_str(), "https://www.googleapis.com/auth/drive");
    assert!(err.to_string().contains("not an OAuth scope of this API"));
    assert!(serde_json::from_str::<Scope>("\"nope\"").is_err());
}

#[test]
fn every_method_accepts_any_of_the_66_scopes() {
    for scopes in [
        Retry::SCOPES,
        Cancel::SCOPES,
        GetPortabilityArchiveState::SCOPES,
        Initiate::SCOPES,
    ] {
        assert_eq!(scopes, Scope::URLS);
    }
    let urls: Vec<&str> = Scope::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(urls, Scope::URLS);
}

#[test]
fn request_bodies_use_wire_names_and_omit_unset_fields() {
    assert_eq!(
        serde_json::to_string(&RetryPortabilityArchiveRequest::new()).unwrap(),
        "{}"
    );
    let request = InitiatePortabilityArchiveRequest::new()
        .set_resources(["myactivity.search", "chrome.history"])
        .set_start_time(Timestamp::parse("2025-01-01T00:00:00Z").unwrap());
    let json: serde_json::Value = serde_json::to_value(&request).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"resources": ["myactivity.search", "chrome.history"], "startTime": "2025-01-01T00:00:00Z"})
    );
}

#[test]
fn responses_tolerate_unknown_fields_and_new_enum_values() {
    let state: PortabilityArchiveState = serde_json::from_str(
        r#"{"name": "archiveJobs/1/portabilityArchiveState", "state": "ARCHIVED",
            "exportTime": "2025-07-25T10:00:00.5+02:00", "somethingNew": {"x": [1, 2]},
            "export_time": "a snake_case spelling is just another unknown field"}"#,
    )
    .unwrap();
    let State::UnknownValue(unknown) = state.state.clone().unwrap() else {
        panic!("an unknown state must be kept, got {:?}", state.state);
    };
    assert_eq!(unknown.as_str(), "ARCHIVED");
    assert_eq!(
        state.export_time.as_ref().unwrap().unix_seconds(),
        1_753_430_400
    );
    assert!(state.urls.is_none());
    // Unknown values are written back as they came.
    let json = serde_json::to_value(&state).unwrap();
    assert_eq!(json["state"], "ARCHIVED");
    assert_eq!(json["exportTime"], "2025-07-25T10:00:00.5+02:00");
}

#[test]
fn known_enum_values_get_their_variants() {
    assert_eq!("COMPLETE".parse::<State>().unwrap(), State::Complete);
    assert_eq!(State::InProgress.as_str(), "IN_PROGRESS");
    assert_eq!(
        AccessType::from("ACCESS_TYPE_TIME_BASED"),
        AccessType::AccessTypeTimeBased
    );
    assert_eq!(
        serde_json::from_str::<AccessType>("\"ACCESS_TYPE_ONE_TIME\"").unwrap(),
        AccessType::AccessTypeOneTime
    );
}

#[test]
fn a_malformed_timestamp_from_the_server_is_a_decode_error() {
    let err = serde_json::from_str::<PortabilityArchiveState>(r#"{"startTime": "yesterday"}"#)
        .unwrap_err();
    assert!(
        err.to_string().contains("not an RFC 3339 timestamp"),
        "{err}"
    );
}
