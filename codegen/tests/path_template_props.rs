//! Property tests of the path-template parser (`codegen::path_template`):
//! the spellings of one template (`{x=a/*}`, `{+x}` + pattern, `{+x}` +
//! flatPath) lower alike for arbitrary binding shapes. (How the runtime binds
//! values to a template is `codegen/runtime/tests/path_props.rs`.)

use codegen::path_template::PathTemplate;
use proptest::prelude::*;

/// One shape segment of a binding.
#[derive(Clone, Debug, PartialEq)]
enum Shape {
    Literal(String),
    Single,
    Multi,
}

/// `a/*/**`: the binding as a transcoding template writes it.
fn transcoding(shapes: &[Shape]) -> String {
    shapes
        .iter()
        .map(|shape| match shape {
            Shape::Literal(text) => text.as_str(),
            Shape::Single => "*",
            Shape::Multi => "**",
        })
        .collect::<Vec<_>>()
        .join("/")
}

// ------------------------------------------------------------ strategies

/// A literal of a binding, from the characters a template may hold raw.
fn literal() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-zA-Z0-9_\\-]{0,7}"
}

/// A binding shape: literals and `*`, at least one segment, optionally a
/// trailing `**`.
fn shapes() -> impl Strategy<Value = Vec<Shape>> {
    let one = prop_oneof![literal().prop_map(Shape::Literal), Just(Shape::Single),];
    (prop::collection::vec(one, 1..5), any::<bool>()).prop_map(|(mut shapes, multi)| {
        if multi {
            shapes.push(Shape::Multi);
        }
        shapes
    })
}

// ------------------------------------------------------------ properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `v1/{name=<binding>}:verb`, `v1/{+name}:verb` with the equivalent
    /// pattern (anchored or not, with or without the flat path), and
    /// `v1/{+name}:verb` with only the flat path lower to one template
    /// (the flat path cannot say `**`, so it is left out then).
    #[test]
    fn the_spellings_of_a_binding_lower_alike(shapes in shapes()) {
        let binding = transcoding(&shapes);
        let lower = |path: &str, pattern: Option<&str>, flat: Option<&str>| {
            let mut template = PathTemplate::parse(path)
                .map_err(|e| TestCaseError::fail(format!("{path}: {e}")))?;
            template
                .resolve_bindings(|name| (name == "name").then(|| pattern.map(str::to_owned)).flatten(), flat)
                .map_err(|e| TestCaseError::fail(format!("{path} / {pattern:?} / {flat:?}: {e}")))?;
            Ok::<_, TestCaseError>(template)
        };
        let transcoded = lower(&format!("v1/{{name={binding}}}:verb"), None, None)?;
        prop_assert_eq!(transcoded.to_string(), format!("v1/{{name={binding}}}:verb"));

        let body = shapes
            .iter()
            .map(|shape| match shape {
                Shape::Literal(text) => text.clone(),
                Shape::Single => "[^/]+".to_owned(),
                Shape::Multi => ".*".to_owned(),
            })
            .collect::<Vec<_>>()
            .join("/");
        let anchored = format!("^{body}$");
        let has_multi = shapes.last() == Some(&Shape::Multi);
        let flat = (!has_multi).then(|| {
            let middle = shapes
                .iter()
                .enumerate()
                .map(|(i, shape)| match shape {
                    Shape::Literal(text) => text.clone(),
                    _ => format!("{{var{i}Id}}"),
                })
                .collect::<Vec<_>>()
                .join("/");
            format!("v1/{middle}:verb")
        });

        let reserved = "v1/{+name}:verb";
        prop_assert_eq!(&lower(reserved, Some(&anchored), None)?, &transcoded, "pattern {}", anchored);
        prop_assert_eq!(&lower(reserved, Some(&body), None)?, &transcoded, "unanchored {}", body);
        // A transcoding binding agrees with its own pattern.
        let checked = lower(&format!("v1/{{name={binding}}}:verb"), Some(&anchored), None)?;
        prop_assert_eq!(&checked, &transcoded);
        if let Some(flat) = &flat {
            prop_assert_eq!(&lower(reserved, None, Some(flat))?, &transcoded, "flat path {}", flat);
            prop_assert_eq!(&lower(reserved, Some(&anchored), Some(flat))?, &transcoded, "both");
        }
    }
}
