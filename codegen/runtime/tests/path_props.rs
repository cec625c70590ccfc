//! Property tests of path binding and percent-encoding (`path`): for
//! arbitrary values (any Unicode, controls, `/`, `?`, `#`, `%`, `,`, `.`,
//! `..`, empty), a bound path never gains a segment, a query or a fragment,
//! and decoding it gives the value back. (That the spellings of one
//! template lower alike is the generator's `tests/path_template_props.rs`.)
//!
//! Each property states the expected outcome on its own (an oracle written
//! here from the rules in the runtime's docs), so it fails when the
//! runtime accepts what it should refuse as well as when it encodes wrong.

use google_api_runtime::path::{
    Binding, BindingError, Segment, match_binding, push_list, push_reserved, push_simple,
};
use proptest::prelude::*;

// ------------------------------------------------------------ helpers

/// Percent-decodes `text`, which must consist of unreserved characters and
/// `%HH` escapes only (plus the characters in `raw`, kept as they are).
fn decode(text: &str, raw: &[u8]) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad escape at {i} in {text:?}"))?;
            out.push(hex);
            i += 3;
        } else if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || raw.contains(&byte)
        {
            out.push(byte);
            i += 1;
        } else {
            return Err(format!("unencoded byte {byte:#04x} at {i} in {text:?}"));
        }
    }
    String::from_utf8(out).map_err(|e| format!("not UTF-8 after decoding {text:?}: {e}"))
}

/// A segment URL normalisation would drop or collapse.
fn bad_segment(segment: &str) -> bool {
    matches!(segment, "" | "." | "..")
}

/// Checks an encoded segment: no separator, no query or fragment, not one
/// that normalisation changes, and it decodes to `expected`.
fn assert_segment(encoded: &str, expected: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !encoded.contains(['/', '?', '#', ',']),
        "separator in {encoded:?}"
    );
    prop_assert!(!bad_segment(encoded), "segment {encoded:?}");
    prop_assert_eq!(decode(encoded, b"").map_err(TestCaseError::fail)?, expected);
    Ok(())
}

/// The error names the parameter and keeps the value.
fn assert_names(error: &BindingError, parameter: &str, value: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(error.parameter(), parameter);
    prop_assert_eq!(error.value(), value);
    prop_assert!(error.to_string().contains(parameter), "{error}");
    Ok(())
}

/// One shape segment of a binding, owned (the runtime's is `'static`).
#[derive(Clone, Debug, PartialEq)]
enum Shape {
    Literal(String),
    Single,
    Multi,
}

/// The runtime binding of `shapes` (leaked: the runtime's bindings are
/// constants of the generated crate).
fn runtime_binding(shapes: &[Shape]) -> Binding {
    let segments: Vec<Segment> = shapes
        .iter()
        .map(|shape| match shape {
            Shape::Literal(text) => Segment::Literal(Box::leak(text.clone().into_boxed_str())),
            Shape::Single => Segment::Single,
            Shape::Multi => Segment::Multi,
        })
        .collect();
    Binding {
        template: Box::leak(transcoding(shapes).into_boxed_str()),
        segments: Box::leak(segments.into_boxed_slice()),
    }
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

/// Whether `segments` (already free of bad segments) have the binding's
/// shape: literals equal, `*` one segment, a last `**` one or more.
fn fits(shapes: &[Shape], segments: &[&str]) -> bool {
    match shapes.last() {
        Some(Shape::Multi) => {
            segments.len() >= shapes.len()
                && shapes[..shapes.len() - 1]
                    .iter()
                    .zip(segments)
                    .all(|(shape, segment)| fits_one(shape, segment))
        }
        _ => {
            segments.len() == shapes.len()
                && shapes
                    .iter()
                    .zip(segments)
                    .all(|(shape, segment)| fits_one(shape, segment))
        }
    }
}

fn fits_one(shape: &Shape, segment: &str) -> bool {
    match shape {
        Shape::Literal(text) => text == segment,
        Shape::Single | Shape::Multi => true,
    }
}

/// The values of the variable segments of `segments` under `shapes`, in
/// order (`**` is the rest, joined by `/`).
fn variable_parts(shapes: &[Shape], segments: &[&str]) -> Vec<String> {
    let mut parts = Vec::new();
    for (i, shape) in shapes.iter().enumerate() {
        match shape {
            Shape::Literal(_) => {}
            Shape::Single => parts.push(segments[i].to_owned()),
            Shape::Multi => parts.push(segments[i..].join("/")),
        }
    }
    parts
}

// ------------------------------------------------------------ strategies

/// A piece of a value: the troublesome cases, URL-significant ASCII, and
/// any characters at all (controls, newlines, astral planes).
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        1 => Just(".".to_owned()),
        1 => Just("..".to_owned()),
        3 => "[a-z0-9]{1,6}",
        3 => "[a-zA-Z0-9%?#&=+;:@!$'()*, .~_\\-]{1,8}",
        3 => "(?s).{1,8}",
        1 => "[\\x00-\\x1f\\x7f\u{80}-\u{10ffff}]{1,4}",
    ]
}

/// An arbitrary value: any string, or pieces joined by `/` so that
/// reserved expansion sees every kind of segment.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => "(?s).{0,16}",
        3 => prop::collection::vec(piece(), 1..5).prop_map(|pieces| pieces.join("/")),
    ]
}

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

/// A binding and a value meant to fit it, often spoiled: each `*` and
/// `**` takes an arbitrary piece or value, a literal is sometimes
/// replaced, and a segment is sometimes added or dropped, so both outcomes
/// are common.
fn bound_value() -> impl Strategy<Value = (Vec<Shape>, String)> {
    shapes().prop_flat_map(|shapes| {
        let parts: Vec<BoxedStrategy<String>> = shapes
            .iter()
            .map(|shape| match shape {
                Shape::Literal(text) => prop_oneof![
                    6 => Just(text.clone()),
                    1 => literal(),
                    1 => piece(),
                ]
                .boxed(),
                Shape::Single => prop_oneof![
                    4 => "[a-zA-Z0-9]{1,6}",
                    4 => piece(),
                ]
                .boxed(),
                Shape::Multi => prop_oneof![
                    4 => prop::collection::vec("[a-zA-Z0-9]{1,6}", 1..4)
                        .prop_map(|p| p.join("/")),
                    4 => value(),
                ]
                .boxed(),
            })
            .collect();
        // Sometimes a segment more or one less than the shape has.
        let spoil = prop_oneof![
            6 => Just(None),
            1 => "[a-zA-Z0-9]{1,4}".prop_map(Some),
            1 => Just(Some(String::new())),
        ];
        (Just(shapes), parts, spoil).prop_map(|(shapes, parts, spoil)| {
            let mut value = parts.join("/");
            match spoil {
                None => {}
                Some(extra) if !extra.is_empty() => value = format!("{value}/{extra}"),
                Some(_) => value.truncate(value.rfind('/').unwrap_or(0)),
            }
            (shapes, value)
        })
    })
}

// ------------------------------------------------------------ properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `{x}`: one segment. No `/`, `?` or `#` is ever pushed, every byte
    /// outside the unreserved set is encoded, and decoding gives the value;
    /// only an empty, `.` or `..` value is refused, naming the parameter.
    #[test]
    fn simple_expansion_is_one_segment_that_decodes_back(value in value()) {
        let mut out = String::from("v1/items/");
        match push_simple(&mut out, "name", &value, None) {
            Ok(()) => {
                prop_assert!(!bad_segment(&value), "{value:?} accepted");
                let pushed = out.strip_prefix("v1/items/").expect("the prefix is kept");
                assert_segment(pushed, &value)?;
            }
            Err(error) => {
                prop_assert!(bad_segment(&value), "{value:?} refused: {error}");
                prop_assert_eq!(&out, "v1/items/", "nothing pushed on error");
                assert_names(&error, "name", &value)?;
            }
        }
    }

    /// `{+x}` without a binding: the value's segments, each encoded and
    /// decoding back, kept apart by `/`; no `?` or `#`; refused (naming the
    /// parameter) exactly when a segment is empty, `.` or `..`.
    #[test]
    fn reserved_expansion_keeps_segments_and_decodes_back(value in value()) {
        let mut out = String::new();
        let segments: Vec<&str> = value.split('/').collect();
        match push_reserved(&mut out, "name", &value, None) {
            Ok(()) => {
                prop_assert!(!segments.iter().any(|s| bad_segment(s)), "{value:?} accepted");
                prop_assert!(!out.contains(['?', '#']), "{out:?}");
                let pushed: Vec<&str> = out.split('/').collect();
                prop_assert_eq!(pushed.len(), segments.len(), "{:?} from {:?}", out, value);
                for (encoded, segment) in pushed.iter().zip(&segments) {
                    assert_segment(encoded, segment)?;
                }
            }
            Err(error) => {
                prop_assert!(segments.iter().any(|s| bad_segment(s)), "{value:?} refused: {error}");
                prop_assert!(out.is_empty(), "nothing pushed on error");
                assert_names(&error, "name", &value)?;
            }
        }
    }

    /// `{x=a/*/**}`: as without a binding, and the result has the
    /// binding's shape (literal segments equal, `*` one segment, `**` the
    /// rest); refused exactly when a segment is bad or the shape differs.
    /// `match_binding` (behind every typed resource name) agrees and finds
    /// the variable segments.
    #[test]
    fn reserved_expansion_with_a_binding_has_its_shape((shapes, value) in bound_value()) {
        let binding = runtime_binding(&shapes);
        let segments: Vec<&str> = value.split('/').collect();
        let valid = !segments.iter().any(|s| bad_segment(s)) && fits(&shapes, &segments);
        let mut out = String::new();
        match push_reserved(&mut out, "name", &value, Some(&binding)) {
            Ok(()) => {
                prop_assert!(valid, "{value:?} accepted by {}", binding.template);
                prop_assert!(!out.contains(['?', '#']), "{out:?}");
                let pushed: Vec<&str> = out.split('/').collect();
                prop_assert_eq!(pushed.len(), segments.len());
                for (encoded, segment) in pushed.iter().zip(&segments) {
                    assert_segment(encoded, segment)?;
                }
                // The encoded text itself has the shape: literals of the
                // safe alphabet encode to themselves.
                prop_assert!(fits(&shapes, &pushed), "{out:?} against {}", binding.template);
            }
            Err(error) => {
                prop_assert!(!valid, "{value:?} refused by {}: {error}", binding.template);
                prop_assert!(out.is_empty(), "nothing pushed on error");
                assert_names(&error, "name", &value)?;
                prop_assert_eq!(error.template(), binding.template);
            }
        }
        match match_binding(&binding, "ThingName", &value) {
            Ok(spans) => {
                prop_assert!(valid, "{value:?} matched {}", binding.template);
                let found: Vec<&str> = spans.iter().map(|&(start, end)| &value[start..end]).collect();
                prop_assert_eq!(found, variable_parts(&shapes, &segments));
            }
            Err(error) => {
                prop_assert!(!valid, "{value:?} not matched by {}: {error}", binding.template);
                assert_names(&error, "ThingName", &value)?;
            }
        }
    }

    /// A repeated path parameter: the values joined by raw `,` (a `,`
    /// inside a value is encoded), each decoding back as a `{x}` or `{+x}`
    /// value does; refused when the list is empty or any value would be.
    #[test]
    fn lists_join_values_by_commas_that_no_value_contains(
        values in prop::collection::vec(value(), 0..4),
        reserved in any::<bool>(),
    ) {
        let mut out = String::new();
        let refused = |v: &String| {
            if reserved { v.split('/').any(bad_segment) } else { bad_segment(v) }
        };
        match push_list(&mut out, "ids", &values, reserved, None) {
            Ok(()) => {
                prop_assert!(!values.is_empty() && !values.iter().any(refused), "{values:?} accepted");
                prop_assert!(!out.contains(['?', '#']), "{out:?}");
                if !reserved {
                    prop_assert!(!out.contains('/'), "{out:?}");
                }
                let items: Vec<&str> = out.split(',').collect();
                prop_assert_eq!(items.len(), values.len(), "{:?} from {:?}", out, values);
                for (item, value) in items.iter().zip(&values) {
                    if reserved {
                        let pushed: Vec<&str> = item.split('/').collect();
                        let segments: Vec<&str> = value.split('/').collect();
                        prop_assert_eq!(pushed.len(), segments.len());
                        for (encoded, segment) in pushed.iter().zip(&segments) {
                            assert_segment(encoded, segment)?;
                        }
                    } else {
                        assert_segment(item, value)?;
                    }
                }
            }
            Err(error) => {
                prop_assert!(values.is_empty() || values.iter().any(refused), "{values:?} refused: {error}");
                prop_assert!(out.is_empty(), "nothing pushed on error");
                prop_assert_eq!(error.parameter(), "ids");
            }
        }
    }
}
