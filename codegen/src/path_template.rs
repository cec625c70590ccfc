//! Method path templates: parsing every form Google documents use into one
//! IR, so that equivalent spellings generate identical code.
//!
//! Forms understood:
//! - `{x}`: simple expansion; the whole value is one percent-encoded segment.
//! - `{+x}`: reserved expansion; `/` between segments is kept. Its shape
//!   comes from the parameter's `pattern` (`^archiveJobs/[^/]+$`) or, when
//!   there is none, from the method's `flatPath`.
//! - `{x=archiveJobs/*}`, `{x=projects/*/locations/*}`, `{x=**}`: gRPC
//!   transcoding bindings (google.aip.dev/127), the form reference pages show.
//! - literal text, including a `:verb` suffix.
//!
//! `{+name}` with pattern `^archiveJobs/[^/]+$` and `{name=archiveJobs/*}`
//! lower to the same [`PathTemplate`].

use std::fmt;

/// A parsed path template, relative to the service path.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PathTemplate {
    /// Literal text and variables, in order.
    pub parts: Vec<PathPart>,
}

/// One piece of a path template.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PathPart {
    /// Text sent as is.
    Literal(String),
    /// A parameter's value.
    Variable(Variable),
}

/// A parameter in a path template.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Variable {
    /// The parameter's spec name.
    pub name: String,
    /// How its value is expanded.
    pub expansion: Expansion,
}

/// How a path variable's value becomes path text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Expansion {
    /// `{x}`: one segment; `/` in the value is encoded. The value is checked
    /// against the binding its parameter's pattern implies, when there is one.
    Simple(Option<Binding>),
    /// `{+x}` or `{x=...}`: segments separated by `/`, each encoded, optionally
    /// checked against a binding before any request is made.
    Reserved(Option<Binding>),
}

/// The shape a reserved-expansion value must have, such as `archiveJobs/*`.
///
/// Ordered and hashable so that equal bindings of different methods can be
/// collected into one typed resource name.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Binding(pub Vec<BindingSegment>);

/// One segment of a [`Binding`].
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum BindingSegment {
    /// Exactly this text.
    Literal(String),
    /// `*`: one non-empty segment.
    Single,
    /// `**`: any number of segments (only last).
    Multi,
}

/// Why a template, pattern or flat path could not be understood.
#[derive(Debug, PartialEq, Eq)]
pub struct TemplateError(pub String);

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Binding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            match segment {
                BindingSegment::Literal(text) => f.write_str(text)?,
                BindingSegment::Single => f.write_str("*")?,
                BindingSegment::Multi => f.write_str("**")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for PathTemplate {
    /// The canonical spelling: transcoding form where a binding is known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in &self.parts {
            match part {
                PathPart::Literal(text) => f.write_str(text)?,
                PathPart::Variable(Variable { name, expansion }) => match expansion {
                    Expansion::Simple(_) => write!(f, "{{{name}}}")?,
                    Expansion::Reserved(None) => write!(f, "{{+{name}}}")?,
                    Expansion::Reserved(Some(binding)) => write!(f, "{{{name}={binding}}}")?,
                },
            }
        }
        Ok(())
    }
}

impl PathTemplate {
    /// The variables, in the order they appear.
    pub fn variables(&self) -> impl Iterator<Item = &Variable> {
        self.parts.iter().filter_map(|part| match part {
            PathPart::Variable(variable) => Some(variable),
            PathPart::Literal(_) => None,
        })
    }

    /// Parses a template in Discovery or transcoding form.
    pub fn parse(template: &str) -> Result<Self, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = template;
        while !rest.is_empty() {
            let Some(open) = rest.find(['{', '}']) else {
                parts.push(PathPart::Literal(rest.to_owned()));
                break;
            };
            if rest.as_bytes()[open] == b'}' {
                return Err(TemplateError(format!(
                    "unmatched `}}` in path template `{template}`"
                )));
            }
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or_else(|| {
                TemplateError(format!("unclosed `{{` in path template `{template}`"))
            })?;
            parts.push(PathPart::Variable(parse_variable(
                &after[..close],
                template,
            )?));
            rest = &after[close + 1..];
        }
        Ok(Self { parts })
    }

    /// Gives every binding-less reserved variable the binding implied by
    /// `pattern_of(name)` or, failing that, by the method's flat path.
    ///
    /// A variable that already has a transcoding binding must agree with
    /// its parameter's pattern, if the parameter has one.
    pub fn resolve_bindings(
        &mut self,
        pattern_of: impl Fn(&str) -> Option<String>,
        flat_path: Option<&str>,
    ) -> Result<(), TemplateError> {
        let reserved_count = self
            .variables()
            .filter(|v| matches!(v.expansion, Expansion::Reserved(_)))
            .count();
        let from_flat = match flat_path {
            Some(flat) if reserved_count == 1 => self.binding_from_flat_path(flat)?,
            _ => None,
        };
        for part in &mut self.parts {
            let PathPart::Variable(variable) = part else {
                continue;
            };
            let binding = match &mut variable.expansion {
                Expansion::Reserved(binding) => binding,
                Expansion::Simple(check) => {
                    // A simple value is encoded whole, so its pattern cannot
                    // change the route: it is enforced when it has the shape
                    // of a binding (`^[^/]+$`) and otherwise left to the server.
                    *check = pattern_of(&variable.name)
                        .and_then(|pattern| binding_from_pattern(&pattern).ok());
                    continue;
                }
            };
            let from_pattern = pattern_of(&variable.name)
                .map(|pattern| binding_from_pattern(&pattern))
                .transpose()?;
            match (binding.as_ref(), from_pattern) {
                (Some(existing), Some(pattern)) if *existing != pattern => {
                    return Err(TemplateError(format!(
                        "`{}` is bound to `{existing}` in the path but its pattern means `{pattern}`",
                        variable.name
                    )));
                }
                (Some(_), _) => {}
                (None, Some(pattern)) => *binding = Some(pattern),
                (None, None) => *binding = from_flat.clone(),
            }
        }
        Ok(())
    }

    /// The binding of the single reserved variable, read off a flat path such
    /// as `v1/archiveJobs/{archiveJobsId}:retry` for `v1/{+name}:retry`.
    fn binding_from_flat_path(&self, flat: &str) -> Result<Option<Binding>, TemplateError> {
        let index = self
            .parts
            .iter()
            .position(|p| matches!(p, PathPart::Variable(v) if matches!(v.expansion, Expansion::Reserved(_))))
            .expect("caller counted one reserved variable");
        // Only a template whose other parts are literal pins the variable's
        // text in the flat path down unambiguously.
        let literal = |parts: &[PathPart]| -> Option<String> {
            parts
                .iter()
                .map(|p| match p {
                    PathPart::Literal(text) => Some(text.as_str()),
                    PathPart::Variable(_) => None,
                })
                .collect()
        };
        let (Some(prefix), Some(suffix)) = (
            literal(&self.parts[..index]),
            literal(&self.parts[index + 1..]),
        ) else {
            return Ok(None);
        };
        let Some(middle) = flat
            .strip_prefix(prefix.as_str())
            .and_then(|m| m.strip_suffix(suffix.as_str()))
        else {
            return Err(TemplateError(format!(
                "flat path `{flat}` does not have the literal parts of `{self}`"
            )));
        };
        let segments = middle
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') && segment.ends_with('}') {
                    Ok(BindingSegment::Single)
                } else if segment.is_empty() || segment.contains(['{', '}']) {
                    Err(TemplateError(format!(
                        "flat path `{flat}` has a segment `{segment}` that is neither literal nor one variable"
                    )))
                } else {
                    Ok(BindingSegment::Literal(segment.to_owned()))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(Binding(segments)))
    }
}

fn parse_variable(body: &str, template: &str) -> Result<Variable, TemplateError> {
    let (reserved, body) = match body.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    let (name, binding) = match body.split_once('=') {
        Some((name, binding)) => (name, Some(parse_binding(binding, template)?)),
        None => (body, None),
    };
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '$'));
    if !valid_name {
        return Err(TemplateError(format!(
            "`{{{body}}}` in path template `{template}` does not name a parameter"
        )));
    }
    if reserved && binding.is_some() {
        return Err(TemplateError(format!(
            "`{{+{body}}}` in path template `{template}` mixes `+` with a binding"
        )));
    }
    let expansion = match (reserved, binding) {
        (_, Some(binding)) => Expansion::Reserved(Some(binding)),
        (true, None) => Expansion::Reserved(None),
        (false, None) => Expansion::Simple(None),
    };
    Ok(Variable {
        name: name.to_owned(),
        expansion,
    })
}

/// Parses the right-hand side of `{x=...}`.
pub fn parse_binding(text: &str, template: &str) -> Result<Binding, TemplateError> {
    let segments: Vec<BindingSegment> = text
        .split('/')
        .map(|segment| match segment {
            "*" => Ok(BindingSegment::Single),
            "**" => Ok(BindingSegment::Multi),
            _ if segment.is_empty() || segment.contains(['*', '{', '}', '=']) => {
                Err(TemplateError(format!(
                    "binding `{text}` in path template `{template}` has an invalid segment `{segment}`"
                )))
            }
            _ => Ok(BindingSegment::Literal(segment.to_owned())),
        })
        .collect::<Result<_, _>>()?;
    check_multi_last(Binding(segments), text)
}

fn check_multi_last(binding: Binding, source: &str) -> Result<Binding, TemplateError> {
    let last = binding.0.len().saturating_sub(1);
    if binding
        .0
        .iter()
        .enumerate()
        .any(|(i, s)| *s == BindingSegment::Multi && i != last)
    {
        return Err(TemplateError(format!(
            "`{source}`: a multi-segment wildcard is only supported as the last segment"
        )));
    }
    Ok(binding)
}

/// Turns a Discovery `pattern` for a reserved-expansion parameter into a binding.
///
/// Google's patterns are anchored sequences of `/`-separated segments, each
/// a literal, `[^/]+` (one segment) or, last, `.*` / `.+` (the rest). Any
/// other regular expression is refused with a message, not approximated.
pub fn binding_from_pattern(pattern: &str) -> Result<Binding, TemplateError> {
    let unsupported = |why: &str| {
        TemplateError(format!(
            "pattern `{pattern}` is not supported for a path parameter: {why}"
        ))
    };
    let body = pattern
        .strip_prefix('^')
        .and_then(|p| p.strip_suffix('$'))
        .ok_or_else(|| unsupported("expected it to start with `^` and end with `$`"))?;
    let mut segments = Vec::new();
    for segment in split_outside_brackets(body) {
        segments.push(match segment {
            "[^/]+" => BindingSegment::Single,
            ".*" | ".+" => BindingSegment::Multi,
            _ => BindingSegment::Literal(unescape_literal(segment).ok_or_else(|| {
                unsupported(&format!(
                    "segment `{segment}` is neither literal text, `[^/]+` nor `.*`"
                ))
            })?),
        });
    }
    check_multi_last(Binding(segments), pattern)
}

/// Splits a regular expression at the `/` characters outside `[...]` classes.
fn split_outside_brackets(pattern: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start, mut escaped) = (0usize, 0, false);
    for (i, c) in pattern.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '/' if depth == 0 => {
                parts.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&pattern[start..]);
    parts
}

/// A regex segment that matches exactly one literal string, unescaped.
fn unescape_literal(segment: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = segment.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next()?;
                if escaped.is_ascii_alphanumeric() {
                    return None; // `\d`, `\w` and friends are classes, not literals.
                }
                out.push(escaped);
            }
            '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '^' | '$' => {
                return None;
            }
            _ => out.push(c),
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
#[path = "../runtime/path.rs"]
mod runtime_path;

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(path: &str, pattern: Option<&str>, flat: Option<&str>) -> PathTemplate {
        let mut template = PathTemplate::parse(path).unwrap();
        template
            .resolve_bindings(|_| pattern.map(str::to_owned), flat)
            .unwrap();
        template
    }

    #[test]
    fn transcoding_and_discovery_forms_lower_alike() {
        let transcoding = lowered("v1/{name=archiveJobs/*}:retry", None, None);
        let discovery = lowered(
            "v1/{+name}:retry",
            Some("^archiveJobs/[^/]+$"),
            Some("v1/archiveJobs/{archiveJobsId}:retry"),
        );
        let flat_only = lowered(
            "v1/{+name}:retry",
            None,
            Some("v1/archiveJobs/{archiveJobsId}:retry"),
        );
        assert_eq!(transcoding, discovery);
        assert_eq!(transcoding, flat_only);
        assert_eq!(transcoding.to_string(), "v1/{name=archiveJobs/*}:retry");
    }

    #[test]
    fn parses_every_form() {
        let cases = [
            ("v1/{name}", "v1/{name}"),
            ("v1/{+name}", "v1/{+name}"),
            (
                "v1/{name=projects/*/locations/*}",
                "v1/{name=projects/*/locations/*}",
            ),
            ("v1/{name=**}", "v1/{name=**}"),
            (
                "v1/{name=archiveJobs/*/portabilityArchiveState}",
                "v1/{name=archiveJobs/*/portabilityArchiveState}",
            ),
            ("b/{bucket}/o/{object}", "b/{bucket}/o/{object}"),
            (
                "v1/portabilityArchive:initiate",
                "v1/portabilityArchive:initiate",
            ),
        ];
        for (input, canonical) in cases {
            assert_eq!(
                PathTemplate::parse(input).unwrap().to_string(),
                canonical,
                "{input}"
            );
        }
        let multi = PathTemplate::parse("v1/{+parent}/{collectionId}").unwrap();
        let names: Vec<_> = multi.variables().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["parent", "collectionId"]);
    }

    #[test]
    fn refuses_malformed_templates() {
        for bad in [
            "v1/{name",
            "v1/name}",
            "v1/{}",
            "v1/{+name=a/*}",
            "v1/{name=a//b}",
            "v1/{name=**/a}",
            "v1/{na me}",
        ] {
            assert!(PathTemplate::parse(bad).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn patterns_become_bindings() {
        let cases = [
            ("^archiveJobs/[^/]+$", "archiveJobs/*"),
            ("^projects/[^/]+/locations/[^/]+$", "projects/*/locations/*"),
            ("^[^/]+$", "*"),
            (
                "^projects/[^/]+/databases/[^/]+/documents/[^/]+/.*$",
                "projects/*/databases/*/documents/*/**",
            ),
            ("^v1\\.beta/[^/]+$", "v1.beta/*"),
        ];
        for (pattern, binding) in cases {
            assert_eq!(binding_from_pattern(pattern).unwrap().to_string(), binding);
        }
        for bad in ["archiveJobs/[^/]+", "^\\d+$", "^UA-(\\d+)$", "^a/.*/b$"] {
            let err = binding_from_pattern(bad).unwrap_err();
            assert!(err.0.contains(bad), "{err}");
        }
    }

    #[test]
    fn a_binding_that_contradicts_the_pattern_is_an_error() {
        let mut template = PathTemplate::parse("v1/{name=archiveJobs/*}:retry").unwrap();
        let err = template
            .resolve_bindings(|_| Some("^projects/[^/]+$".into()), None)
            .unwrap_err();
        assert!(
            err.0.contains("archiveJobs/*") && err.0.contains("projects/*"),
            "{err}"
        );
    }

    #[test]
    fn a_flat_path_that_does_not_fit_is_an_error() {
        let mut template = PathTemplate::parse("v1/{+name}:retry").unwrap();
        assert!(
            template
                .resolve_bindings(|_| None, Some("v2/x/{id}:retry"))
                .is_err()
        );
    }

    // The encoding rules live in the generated crate's runtime; these tests
    // run the very same source file.
    mod encoding {
        use super::super::runtime_path::{Binding, Segment, push_reserved, push_simple};

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

    // The one matcher behind every typed resource name, on the source the
    // crates ship.
    mod resource_names {
        use super::super::runtime_path::{Binding, NameText, Segment, match_binding};

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
            let name = NameText::build(&LOCATION, "LocationName", &["p".into(), "us-east1".into()])
                .unwrap();
            assert_eq!(name.as_str(), "projects/p/locations/us-east1");
            assert_eq!((name.part(0), name.part(1)), ("p", "us-east1"));
            let parsed =
                NameText::parse(&LOCATION, "LocationName", name.as_str().to_owned()).unwrap();
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
}
