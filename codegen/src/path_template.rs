//! Method path templates: parsing every form Google documents use into one
//! IR, so that equivalent spellings generate identical code.
//!
//! Forms understood:
//! - `{x}`: simple expansion; the whole value is one percent-encoded segment.
//! - `{+x}`: reserved expansion; `/` between segments is kept. Its shape
//!   comes from the parameter's `pattern` (`^archiveJobs/[^/]+$`) or, when
//!   there is none or it is a regular expression no binding can express,
//!   from the method's `flatPath`; failing both, it has no shape and the
//!   value is only encoded segment by segment (the server judges it).
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
    /// A pattern that no binding can express (groups, alternation, counted
    /// repetition) is not an error: generating a crate must never depend on
    /// understanding a pattern fully. The variable then takes the flat
    /// path's binding, or none, and its value is still encoded segment by
    /// segment (no `.`, `..` or empty segment, no query or fragment); the
    /// server judges the rest, and lowering keeps the pattern for the docs.
    ///
    /// A variable that already has a transcoding binding must agree with
    /// its parameter's pattern, if the parameter has one that is a binding.
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
            let from_pattern =
                pattern_of(&variable.name).and_then(|pattern| binding_from_pattern(&pattern).ok());
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
    ///
    /// The template's other variables must be simple ones, which a flat path
    /// spells the same (`projects/{project}/{+parent}/slots/{slot}` and
    /// `projects/{project}/reservations/{reservationsId}/slots/{slot}`).
    /// Only a template of literals alone makes a flat path that does not fit
    /// an error; with simple variables, such a flat path says nothing.
    fn binding_from_flat_path(&self, flat: &str) -> Result<Option<Binding>, TemplateError> {
        let Some(index) = self.parts.iter().position(
            |p| matches!(p, PathPart::Variable(v) if matches!(v.expansion, Expansion::Reserved(_))),
        ) else {
            return Ok(None);
        };
        // The text the flat path has for each part around the variable: a
        // simple variable is one segment there too, written `{name}`.
        let spelled = |parts: &[PathPart]| -> Option<String> {
            parts
                .iter()
                .map(|p| match p {
                    PathPart::Literal(text) => Some(text.clone()),
                    PathPart::Variable(Variable {
                        name,
                        expansion: Expansion::Simple(_),
                    }) => Some(format!("{{{name}}}")),
                    PathPart::Variable(_) => None,
                })
                .collect()
        };
        let (Some(prefix), Some(suffix)) = (
            spelled(&self.parts[..index]),
            spelled(&self.parts[index + 1..]),
        ) else {
            return Ok(None);
        };
        let only_literals = self
            .variables()
            .all(|v| matches!(v.expansion, Expansion::Reserved(_)));
        let middle = flat
            .strip_prefix(prefix.as_str())
            .and_then(|m| m.strip_suffix(suffix.as_str()));
        let binding = match middle {
            Some(middle) => flat_binding(flat, middle),
            None => Err(TemplateError(format!(
                "flat path `{flat}` does not have the literal parts of `{self}`"
            ))),
        };
        match binding {
            Ok(binding) => Ok(Some(binding)),
            Err(error) if only_literals => Err(error),
            Err(_) => Ok(None),
        }
    }
}

/// The binding of the part `middle` of flat path `flat` that a reserved
/// variable stands for: literal segments and `{x}` variables.
fn flat_binding(flat: &str, middle: &str) -> Result<Binding, TemplateError> {
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
    Ok(Binding(segments))
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

/// Turns a Discovery `pattern` of a path parameter into a binding.
///
/// Google's patterns are sequences of `/`-separated segments, each a
/// literal, `[^/]+` (one segment) or, last, `.*` / `.+` (the rest). Any other
/// regular expression is an error here, never approximated; the caller
/// decides what that means (see [`PathTemplate::resolve_bindings`]).
///
/// A pattern without `^` or `$` (Compute's `reservations/[^/]+`) is read as
/// anchored at both ends. Google's server matches the whole value: the
/// pattern is derived from the HTTP rule's binding
/// (`{reservation=reservations/*}`), which must match the complete path,
/// and the method's `flatPath` says the same. Google's Python client checks
/// with `re.match`, anchored at the start only, so it would let
/// `reservations/a/b` through, but no route has that shape: refusing it
/// before sending is the server's answer given early.
pub fn binding_from_pattern(pattern: &str) -> Result<Binding, TemplateError> {
    let unsupported = |why: &str| {
        TemplateError(format!(
            "pattern `{pattern}` is not supported for a path parameter: {why}"
        ))
    };
    let body = pattern.strip_prefix('^').unwrap_or(pattern);
    // A final `\$` is a literal dollar, not the anchor.
    let body = match body.strip_suffix('$') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => body,
    };
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
            // Unanchored (or half-anchored): read as anchored, as the
            // server matches the whole value.
            ("reservations/[^/]+", "reservations/*"),
            ("^folders/[^/]+", "folders/*"),
            ("[^/]+$", "*"),
            ("^price\\$$", "price$"),
        ];
        for (pattern, binding) in cases {
            assert_eq!(binding_from_pattern(pattern).unwrap().to_string(), binding);
        }
        for bad in [
            "^\\d+$",
            "^UA-(\\d+)$",
            "^a/.*/b$",
            "folders/[0-9]{0,20}",
            "(gplus_communities)",
            "reservations/([a-z](?:[-a-z0-9]{0,61}[a-z0-9])?|[1-9][0-9]{0,19})",
            "^((unclosed[/",
            "",
        ] {
            let err = binding_from_pattern(bad).unwrap_err();
            assert!(err.0.contains(bad), "{err}");
        }
    }

    /// `resolve_bindings` with one pattern for every variable.
    fn resolved(path: &str, pattern: &str, flat: Option<&str>) -> PathTemplate {
        lowered(path, Some(pattern), flat)
    }

    #[test]
    fn a_pattern_no_binding_expresses_falls_back_to_the_flat_path() {
        // Compute's `reservationSlots.get`: groups and alternation, and a
        // simple variable on each side of the reserved one.
        let slot = "([a-z](?:[-a-z0-9]{0,61}[a-z0-9])?|[1-9][0-9]{0,19})";
        let template = resolved(
            "projects/{project}/{+parentName}/slots/{slot}",
            &format!("reservations/{slot}/blocks/{slot}"),
            Some("projects/{project}/reservations/{reservationsId}/blocks/{blocksId}/slots/{slot}"),
        );
        assert_eq!(
            template.to_string(),
            "projects/{project}/{parentName=reservations/*/blocks/*}/slots/{slot}"
        );
        // Compute's `folders/[0-9]{0,20}`: counted repetition.
        let template = resolved(
            "{+folder}/policies/{policy}",
            "folders/[0-9]{0,20}",
            Some("folders/{foldersId}/policies/{policy}"),
        );
        assert_eq!(template.to_string(), "{folder=folders/*}/policies/{policy}");
    }

    #[test]
    fn a_pattern_no_binding_expresses_without_a_flat_path_leaves_no_binding() {
        for pattern in ["^((unclosed[/", "folders/[0-9]{0,20}", "^\\d+$"] {
            let template = resolved("v1/{+name}:check", pattern, None);
            assert_eq!(template.to_string(), "v1/{+name}:check", "{pattern}");
            assert_eq!(
                template.variables().next().unwrap().expansion,
                Expansion::Reserved(None)
            );
        }
        // A flat path that cannot be lined up with a template that has
        // simple variables says nothing, and is no error.
        let template = resolved(
            "projects/{project}/{+parent}/x",
            "^((",
            Some("projects/{projectId}/parents/{parentsId}/x"),
        );
        assert_eq!(template.to_string(), "projects/{project}/{+parent}/x");
        // A transcoding binding stays when the pattern is not understood.
        let template = resolved("v1/{name=jobs/*}", "jobs/(\\d+)", None);
        assert_eq!(template.to_string(), "v1/{name=jobs/*}");
    }

    #[test]
    fn unanchored_plain_patterns_lower_like_anchored_ones_and_flat_paths() {
        let flat = Some("v1/folders/{foldersId}/things");
        let unanchored = resolved("v1/{+folder}/things", "folders/[^/]+", None);
        let anchored = resolved("v1/{+folder}/things", "^folders/[^/]+$", None);
        let flat_only = lowered("v1/{+folder}/things", None, flat);
        let transcoding = lowered("v1/{folder=folders/*}/things", None, None);
        assert_eq!(unanchored, anchored);
        assert_eq!(unanchored, flat_only);
        assert_eq!(unanchored, transcoding);
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
}
