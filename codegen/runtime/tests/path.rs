//! Path binding (`path`): percent-encoding of simple and reserved
//! expansion, values refused because URL normalisation would change the
//! route, list values, and the matcher behind typed resource names.

mod encoding {
    use google_api_runtime::path::{Binding, Segment, push_reserved, push_simple};

    const JOB: Binding = Binding {
        template: "archiveJobs/*",
        segments: &[Segment::Literal("archiveJobs"), Segment::Single],
    };
    const ANY: Binding = Binding {
        template: "**",
        segments: &[Segment::Multi],
    };

    fn reserved(value: &str, binding: Option<&Binding>) -> Result<String, String> {
        let mut out = String::from("v1/");
        push_reserved(&mut out, "name", value, binding)
            .map(|()| out)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn unreserved_characters_pass_and_all_others_are_encoded() {
        assert_eq!(
            reserved("archiveJobs/AZaz09-._~", Some(&JOB)).unwrap(),
            "v1/archiveJobs/AZaz09-._~"
        );
        assert_eq!(
            reserved("archiveJobs/a?b", Some(&JOB)).unwrap(),
            "v1/archiveJobs/a%3Fb"
        );
        assert_eq!(
            reserved("archiveJobs/a#b", Some(&JOB)).unwrap(),
            "v1/archiveJobs/a%23b"
        );
        assert_eq!(
            reserved("archiveJobs/a:b@c", Some(&JOB)).unwrap(),
            "v1/archiveJobs/a%3Ab%40c"
        );
        assert_eq!(
            reserved("archiveJobs/café", Some(&JOB)).unwrap(),
            "v1/archiveJobs/caf%C3%A9"
        );
        assert_eq!(
            reserved("archiveJobs/50%", Some(&JOB)).unwrap(),
            "v1/archiveJobs/50%25"
        );
        assert_eq!(
            reserved("archiveJobs/a b+c", Some(&JOB)).unwrap(),
            "v1/archiveJobs/a%20b%2Bc"
        );
    }

    #[test]
    fn reserved_expansion_keeps_slashes_between_segments() {
        assert_eq!(reserved("a/b c/d", Some(&ANY)).unwrap(), "v1/a/b%20c/d");
        assert_eq!(reserved("a/b", None).unwrap(), "v1/a/b");
    }

    #[test]
    fn simple_expansion_encodes_slashes() {
        let mut out = String::from("b/");
        push_simple(&mut out, "bucket", "a/b?c", None).unwrap();
        assert_eq!(out, "b/a%2Fb%3Fc");
    }

    #[test]
    fn simple_expansion_with_a_pattern_refuses_values_that_do_not_fit() {
        // `{targetProjectId}` with pattern `^[^/]+$`.
        const ONE: Binding = Binding {
            template: "*",
            segments: &[Segment::Single],
        };
        let mut out = String::new();
        push_simple(&mut out, "targetProjectId", "a b", Some(&ONE)).unwrap();
        assert_eq!(out, "a%20b");
        let err =
            push_simple(&mut out, "targetProjectId", "not-matching/a", Some(&ONE)).unwrap_err();
        assert_eq!(err.parameter(), "targetProjectId");
        assert_eq!(out, "a%20b", "nothing is written on error");
    }

    #[test]
    fn values_that_do_not_fit_the_binding_are_refused_with_all_facts() {
        for bad in [
            "archiveJobs",
            "archiveJobs/",
            "archiveJobs/a/b",
            "jobs/a",
            "not-matching/archiveJobs/id-1",
            "",
        ] {
            let mut out = String::new();
            let typed = push_reserved(&mut out, "name", bad, Some(&JOB)).unwrap_err();
            assert_eq!(
                (typed.parameter(), typed.template(), typed.value()),
                ("name", "archiveJobs/*", bad)
            );
            let err = reserved(bad, Some(&JOB)).unwrap_err();
            assert!(err.contains("`name`"), "{err}");
            assert!(err.contains("archiveJobs/*"), "{err}");
            assert!(err.contains(&format!("{bad:?}")), "{err}");
        }
    }

    #[test]
    fn dot_segments_and_empty_segments_are_refused() {
        // `..` would be collapsed by URL normalisation and change the route.
        for bad in ["archiveJobs/..", "archiveJobs/.", "../x", "a//b", "a/"] {
            let binding = if bad.starts_with("archiveJobs") {
                Some(&JOB)
            } else {
                None
            };
            assert!(reserved(bad, binding).is_err(), "{bad}");
        }
        let mut out = String::new();
        assert!(push_simple(&mut out, "bucket", "..", None).is_err());
        assert!(push_simple(&mut out, "bucket", "", None).is_err());
        assert!(out.is_empty(), "nothing is written on error");
    }
}

// Values without a binding (no pattern and no flat path, or a pattern
// no binding expresses): the server judges them, but they still cannot
// change the route.
mod unbound {
    use google_api_runtime::path::{Binding, Segment, push_list, push_reserved};

    fn reserved(value: &str) -> Result<String, String> {
        let mut out = String::from("v1/");
        push_reserved(&mut out, "name", value, None)
            .map(|()| out)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn reserved_values_are_encoded_segment_by_segment() {
        assert_eq!(
            reserved("a b/c?d#e%f/é&g=h;i,j").unwrap(),
            "v1/a%20b/c%3Fd%23e%25f/%C3%A9%26g%3Dh%3Bi%2Cj"
        );
        assert_eq!(reserved("x/y.z/..a/.b").unwrap(), "v1/x/y.z/..a/.b");
    }

    #[test]
    fn empty_and_dot_segments_are_refused_naming_the_parameter() {
        for bad in [
            "", ".", "..", "a/./b", "a/../b", "../a", "a/..", "/a", "a/", "a//b",
        ] {
            let mut out = String::from("v1/");
            let err = push_reserved(&mut out, "name", bad, None).unwrap_err();
            assert_eq!((err.parameter(), err.value()), ("name", bad));
            assert!(err.to_string().contains("`name`"), "{err}");
            assert_eq!(out, "v1/", "nothing is written on error");
        }
    }

    const ITEM: Binding = Binding {
        template: "items/*",
        segments: &[Segment::Literal("items"), Segment::Single],
    };

    fn list(values: &[&str], reserved: bool, binding: Option<&Binding>) -> Result<String, String> {
        let mut out = String::from("v1/");
        push_list(&mut out, "ids", values, reserved, binding)
            .map(|()| out)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn lists_are_joined_by_raw_commas_each_value_encoded() {
        assert_eq!(
            list(&["a", "b c", "d,e", "f/g"], false, None).unwrap(),
            "v1/a,b%20c,d%2Ce,f%2Fg"
        );
        assert_eq!(list(&["one"], false, None).unwrap(), "v1/one");
        assert_eq!(list(&["a/b", "c?d"], true, None).unwrap(), "v1/a/b,c%3Fd");
        assert_eq!(
            list(&["items/1", "items/2"], true, Some(&ITEM)).unwrap(),
            "v1/items/1,items/2"
        );
        // `{x}` with a one-segment binding checks each value.
        const ONE: Binding = Binding {
            template: "*",
            segments: &[Segment::Single],
        };
        assert_eq!(list(&["a", "b"], false, Some(&ONE)).unwrap(), "v1/a,b");
    }

    #[test]
    fn each_value_is_checked_and_an_empty_list_is_refused() {
        for (values, reserved, binding) in [
            (&["items/1", "jobs/2"][..], true, Some(&ITEM)),
            (&["a", ".."][..], false, None),
            (&["a", ""][..], false, None),
            (&["a/../b"][..], true, None),
            (&["a", "b//c"][..], true, None),
            (&[][..], false, None),
            (&[][..], true, Some(&ITEM)),
        ] {
            let err = list(values, reserved, binding).unwrap_err();
            assert!(err.contains("`ids`"), "{values:?}: {err}");
        }
    }
}

// The one matcher behind every typed resource name.
mod resource_names {
    use google_api_runtime::path::{Binding, NameText, Segment, match_binding};

    const LOCATION: Binding = Binding {
        template: "projects/*/locations/*",
        segments: &[
            Segment::Literal("projects"),
            Segment::Single,
            Segment::Literal("locations"),
            Segment::Single,
        ],
    };
    const DOCUMENT: Binding = Binding {
        template: "projects/*/documents/**",
        segments: &[
            Segment::Literal("projects"),
            Segment::Single,
            Segment::Literal("documents"),
            Segment::Multi,
        ],
    };

    #[test]
    fn spans_point_at_the_variables() {
        let text = "projects/p-1/locations/us";
        let spans = match_binding(&LOCATION, "LocationName", text).unwrap();
        let parts: Vec<&str> = spans.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(parts, ["p-1", "us"]);
        let text = "projects/p/documents/a/b/c";
        let spans = match_binding(&DOCUMENT, "DocumentName", text).unwrap();
        assert_eq!(&text[spans[1].0..spans[1].1], "a/b/c");
    }

    #[test]
    fn text_that_does_not_fit_is_refused_naming_type_template_and_value() {
        for bad in [
            "",
            "projects/p",
            "projects/p/locations",
            "projects/p/locations/",
            "projects/p/locations/l/",
            "projects/p/locations/l/x",
            "projects//locations/l",
            "projects/../locations/l",
            "projects/p/zones/l",
            "/projects/p/locations/l",
        ] {
            let err = match_binding(&LOCATION, "LocationName", bad).unwrap_err();
            assert_eq!(
                (err.parameter(), err.template(), err.value()),
                ("LocationName", "projects/*/locations/*", bad)
            );
            let text = err.to_string();
            assert!(
                text.starts_with(
                    "resource name `LocationName` must match `projects/*/locations/*`"
                ),
                "{text}"
            );
            assert!(text.contains(&format!("{bad:?}")), "{text}");
        }
        for bad in [
            "projects/p/documents",
            "projects/p/documents/a//b",
            "projects/p/documents/a/..",
        ] {
            assert!(
                match_binding(&DOCUMENT, "DocumentName", bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn built_names_check_each_part() {
        let name =
            NameText::build(&LOCATION, "LocationName", &["p".into(), "us-east1".into()]).unwrap();
        assert_eq!(name.as_str(), "projects/p/locations/us-east1");
        assert_eq!((name.part(0), name.part(1)), ("p", "us-east1"));
        let parsed = NameText::parse(&LOCATION, "LocationName", name.as_str().to_owned()).unwrap();
        assert_eq!(parsed, name);
        // A `/` in a `*` part would move the other parts.
        let err = NameText::build(
            &LOCATION,
            "LocationName",
            &["a/locations/b".into(), "c".into()],
        )
        .unwrap_err();
        assert_eq!(err.value(), "projects/a/locations/b/locations/c");
        assert!(err.to_string().contains("one segment"), "{err}");
        for (project, location) in [("", "l"), ("p", ".."), (".", "l")] {
            let parts = [project.to_owned(), location.to_owned()];
            assert!(NameText::build(&LOCATION, "LocationName", &parts).is_err());
        }
        assert!(NameText::build(&LOCATION, "LocationName", &["p".into()]).is_err());
        let extra = ["p".into(), "l".into(), "x".into()];
        assert!(NameText::build(&LOCATION, "LocationName", &extra).is_err());
        // `**` may hold `/`, but no empty or dot segments.
        let document =
            NameText::build(&DOCUMENT, "DocumentName", &["p".into(), "a/b".into()]).unwrap();
        assert_eq!(document.part(1), "a/b");
        assert_eq!(document.clone().into_string(), "projects/p/documents/a/b");
        for rest in ["a//b", "a/../b", "", "a/"] {
            let parts = ["p".to_owned(), rest.to_owned()];
            assert!(
                NameText::build(&DOCUMENT, "DocumentName", &parts).is_err(),
                "{rest}"
            );
        }
    }

    #[test]
    fn deserializing_checks_the_text() {
        let mut json = serde_json::Deserializer::from_str("\"projects/p/locations/l\"");
        let name = NameText::deserialize(&mut json, &LOCATION, "LocationName").unwrap();
        assert_eq!(name.part(1), "l");
        let mut json = serde_json::Deserializer::from_str("\"projects/p\"");
        let err = NameText::deserialize(&mut json, &LOCATION, "LocationName").unwrap_err();
        assert!(err.to_string().contains("projects/*/locations/*"), "{err}");
    }
}
