//! Whether a built request meets a vector's expectation.
//!
//! The path (after the document's `rootUrl`) must match byte for byte, as
//! sent; the query is compared decoded and as a multiset, because clients
//! may order parameters differently; `alt=json` and `key` are left out on
//! both sides, as the vectors leave them out.

use super::vectors::{Expectation, RefusalKind};
use serde::Deserialize;
use std::collections::BTreeMap;

/// What the runner built for one vector.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Built {
    /// A request.
    Ok {
        /// `GET`, `POST`, ...
        method: String,
        /// The full URL, percent-encoded as sent.
        url: String,
    },
    /// Building was refused.
    Error {
        /// The path parameter whose value did not fit its pattern, when
        /// that is why.
        binding_parameter: Option<String>,
        /// The client's message.
        message: String,
    },
}

/// Why `built` does not meet `expect`, or `None` when it does. `root_url`
/// is the document's, which every request URL must start with.
pub fn mismatch(root_url: &str, expect: &Expectation, built: &Built) -> Option<String> {
    match (expect, built) {
        (
            Expectation::Request {
                http_method,
                path,
                query,
            },
            Built::Ok { method, url },
        ) => {
            let Some((built_path, built_query)) = split_url(root_url, url) else {
                return Some(format!("the URL is not under rootUrl {root_url}"));
            };
            let mut problems = Vec::new();
            if method != http_method {
                problems.push("HTTP method differs".to_owned());
            }
            if built_path != *path {
                problems.push("path differs".to_owned());
            }
            if let Some(difference) = query_difference(query, &decode_query(built_query)) {
                problems.push(difference);
            }
            (!problems.is_empty()).then(|| problems.join("; "))
        }
        (Expectation::Request { .. }, Built::Error { .. }) => {
            Some("building was refused".to_owned())
        }
        (
            Expectation::Refusal {
                error: RefusalKind::Pattern,
                param,
            },
            built,
        ) => match built {
            Built::Error {
                binding_parameter: Some(refused),
                ..
            } if refused == param => None,
            Built::Error {
                binding_parameter: Some(refused),
                ..
            } => Some(format!("refused for `{refused}` instead of `{param}`")),
            Built::Error {
                binding_parameter: None,
                ..
            } => Some(format!(
                "refused, but not because `{param}` does not fit its pattern"
            )),
            Built::Ok { .. } => Some(format!(
                "built, although `{param}` does not fit its pattern"
            )),
        },
    }
}

/// The expectation, as a failure line shows it.
pub fn describe_expectation(expect: &Expectation) -> String {
    match expect {
        Expectation::Request {
            http_method,
            path,
            query,
        } => format!("{http_method} {path} {}", describe_pairs(query)),
        Expectation::Refusal {
            error: RefusalKind::Pattern,
            param,
        } => format!("a refusal because `{param}` does not fit its pattern"),
    }
}

/// What was built, as a failure line shows it.
pub fn describe_built(built: &Built) -> String {
    match built {
        Built::Ok { method, url } => format!("{method} {url}"),
        Built::Error {
            binding_parameter: Some(name),
            message,
        } => format!("a refusal for `{name}`: {message}"),
        Built::Error {
            binding_parameter: None,
            message,
        } => format!("a refusal: {message}"),
    }
}

/// The path (with its leading `/`) and raw query of `url`, or `None` when
/// it does not start with `root_url`.
pub fn split_url<'u>(root_url: &str, url: &'u str) -> Option<(&'u str, &'u str)> {
    // The root URL ends in `/`, which is also the path's first character.
    let root = root_url.strip_suffix('/').unwrap_or(root_url);
    let rest = url.strip_prefix(root)?;
    if !rest.starts_with('/') {
        return None;
    }
    Some(rest.split_once('?').unwrap_or((rest, "")))
}

/// The decoded name/value pairs of a raw query, in order.
pub fn decode_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

/// Decodes `%XX` escapes. `+` stays `+`: the generated clients encode a
/// space as `%20` and a plus as `%2B`. A `%` not followed by two hex digits
/// is kept as it is.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(byte) = bytes.get(i + 1..i + 3).and_then(hex_byte) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_byte(digits: &[u8]) -> Option<u8> {
    let text = std::str::from_utf8(digits).ok()?;
    u8::from_str_radix(text, 16).ok()
}

/// How the built query differs from the expected one as multisets, leaving
/// out `alt=json` and `key`; `None` when they are equal.
fn query_difference(expected: &[(String, String)], built: &[(String, String)]) -> Option<String> {
    // Count each pair: +1 per expected occurrence, -1 per built one.
    let mut balance: BTreeMap<&(String, String), i64> = BTreeMap::new();
    for pair in expected.iter().filter(is_significant) {
        *balance.entry(pair).or_default() += 1;
    }
    for pair in built.iter().filter(is_significant) {
        *balance.entry(pair).or_default() -= 1;
    }
    let mut missing = Vec::new();
    let mut unexpected = Vec::new();
    for (pair, count) in balance {
        let list = if count > 0 {
            &mut missing
        } else {
            &mut unexpected
        };
        for _ in 0..count.abs() {
            list.push(pair.clone());
        }
    }
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing {}", describe_pairs(&missing)));
    }
    if !unexpected.is_empty() {
        parts.push(format!("unexpected {}", describe_pairs(&unexpected)));
    }
    (!parts.is_empty()).then(|| format!("query differs: {}", parts.join(", ")))
}

/// Whether a query pair takes part in the comparison.
fn is_significant((name, value): &&(String, String)) -> bool {
    !(name == "key" || (name == "alt" && value == "json"))
}

/// `[a="1", b="x y"]`: quoted, so separators inside values stay readable.
fn describe_pairs(pairs: &[(String, String)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}={value:?}"))
        .collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "https://storage.googleapis.com/";

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn request(method: &str, path: &str, query: &[(&str, &str)]) -> Expectation {
        Expectation::Request {
            http_method: method.to_owned(),
            path: path.to_owned(),
            query: pairs(query),
        }
    }

    fn ok(method: &str, url: &str) -> Built {
        Built::Ok {
            method: method.to_owned(),
            url: url.to_owned(),
        }
    }

    fn refused(param: Option<&str>) -> Built {
        Built::Error {
            binding_parameter: param.map(str::to_owned),
            message: "no".to_owned(),
        }
    }

    fn refusal(param: &str) -> Expectation {
        Expectation::Refusal {
            error: RefusalKind::Pattern,
            param: param.to_owned(),
        }
    }

    #[test]
    fn urls_split_after_the_root_url() {
        let url = "https://storage.googleapis.com/storage/v1/b/a%2Fb/o?x=1&y=%3F";
        assert_eq!(
            split_url(ROOT, url),
            Some(("/storage/v1/b/a%2Fb/o", "x=1&y=%3F"))
        );
        assert_eq!(
            split_url("https://h.example/", "https://h.example/v1"),
            Some(("/v1", ""))
        );
        // A root URL without its final slash works the same.
        assert_eq!(
            split_url("https://h.example", "https://h.example/v1?a"),
            Some(("/v1", "a"))
        );
        assert_eq!(split_url(ROOT, "https://other.example/storage/v1"), None);
        assert_eq!(
            split_url("https://h.example/", "https://h.examplex/v1"),
            None
        );
    }

    #[test]
    fn query_values_are_percent_decoded_and_plus_is_kept() {
        assert_eq!(
            decode_query("a=caf%C3%A9&b=1+1&c=%2B&d=%25zz&e&f=%E2%82%AC%20x&=v&&"),
            pairs(&[
                ("a", "café"),
                ("b", "1+1"),
                ("c", "+"),
                ("d", "%zz"),
                ("e", ""),
                ("f", "€ x"),
                ("", "v"),
            ])
        );
        // Escapes are decoded once, and a trailing `%` is kept.
        assert_eq!(percent_decode("a%252Fb%"), "a%2Fb%");
        assert_eq!(percent_decode("%4"), "%4");
    }

    #[test]
    fn a_matching_request_passes_whatever_the_query_order() {
        let expect = request(
            "GET",
            "/storage/v1/b/x/o",
            &[("p", "1"), ("p", "2"), ("q", "a&b")],
        );
        let url = "https://storage.googleapis.com/storage/v1/b/x/o?q=a%26b&alt=json&p=2&key=k&p=1";
        assert_eq!(mismatch(ROOT, &expect, &ok("GET", url)), None);
    }

    #[test]
    fn the_query_is_a_multiset() {
        let expect = request("GET", "/v", &[("p", "1"), ("p", "1")]);
        let once = mismatch(
            ROOT,
            &expect,
            &ok("GET", "https://storage.googleapis.com/v?p=1"),
        );
        assert_eq!(once.as_deref(), Some(r#"query differs: missing [p="1"]"#));
        let thrice = mismatch(
            ROOT,
            &expect,
            &ok(
                "GET",
                "https://storage.googleapis.com/v?p=1&p=1&p=1&alt=media",
            ),
        );
        assert_eq!(
            thrice.as_deref(),
            Some(r#"query differs: unexpected [alt="media", p="1"]"#)
        );
    }

    #[test]
    fn method_and_path_are_compared_exactly() {
        let expect = request("POST", "/storage/v1/b/a%2Fb", &[]);
        let url = "https://storage.googleapis.com/storage/v1/b/a/b";
        assert_eq!(
            mismatch(ROOT, &expect, &ok("GET", url)).as_deref(),
            Some("HTTP method differs; path differs")
        );
        // Decoding would hide a wrongly encoded path: it is compared as sent.
        let url = "https://storage.googleapis.com/storage/v1/b/a%2fb";
        assert_eq!(
            mismatch(ROOT, &expect, &ok("POST", url)).as_deref(),
            Some("path differs")
        );
        let elsewhere = mismatch(ROOT, &expect, &ok("POST", "https://example.com/storage/v1"));
        assert!(elsewhere.unwrap().contains("not under rootUrl"));
    }

    #[test]
    fn refusals_must_name_the_expected_parameter() {
        let expect = refusal("name");
        assert_eq!(mismatch(ROOT, &expect, &refused(Some("name"))), None);
        assert_eq!(
            mismatch(ROOT, &expect, &refused(Some("parent"))).as_deref(),
            Some("refused for `parent` instead of `name`")
        );
        assert!(
            mismatch(ROOT, &expect, &refused(None))
                .unwrap()
                .contains("not because `name`")
        );
        assert!(
            mismatch(
                ROOT,
                &expect,
                &ok("GET", "https://storage.googleapis.com/v")
            )
            .unwrap()
            .starts_with("built, although")
        );
        let wanted = request("GET", "/v", &[]);
        assert_eq!(
            mismatch(ROOT, &wanted, &refused(Some("name"))).as_deref(),
            Some("building was refused")
        );
    }

    #[test]
    fn descriptions_show_both_sides() {
        assert_eq!(
            describe_expectation(&request("GET", "/v", &[("a", "x,y")])),
            r#"GET /v [a="x,y"]"#
        );
        assert_eq!(
            describe_expectation(&refusal("name")),
            "a refusal because `name` does not fit its pattern"
        );
        assert_eq!(
            describe_built(&ok("GET", "https://h/v?a=1")),
            "GET https://h/v?a=1"
        );
        assert_eq!(
            describe_built(&refused(Some("name"))),
            "a refusal for `name`: no"
        );
    }
}
