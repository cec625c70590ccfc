//! Whether a refusal is the clear error the generator promises: it names
//! the file (with the line, for YAML), then a JSON path (`.` for the whole
//! document) that is in the document, then what is wrong.

use serde_json::Value;

/// Why an error message is not clear, or `None` when it is.
pub fn unclear(message: &str, file: &str, document: Option<&Value>) -> Option<&'static str> {
    let Some(rest) = message.strip_prefix(file) else {
        return Some("does not start with the file name");
    };
    // `spec.yaml:42: at ...`
    let rest = match rest.strip_prefix(':') {
        Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => {
            after.trim_start_matches(|c: char| c.is_ascii_digit())
        }
        _ => rest,
    };
    let Some(rest) = rest.strip_prefix(": at `") else {
        return Some("names no JSON path");
    };
    let Some((path, what)) = rest.split_once("`: ") else {
        return Some("names no JSON path");
    };
    if what.trim().is_empty() {
        return Some("says nothing after the path");
    }
    if path.is_empty() {
        return Some("names an empty JSON path");
    }
    match document {
        Some(document) if !resolves(document, path) => {
            Some("names a JSON path not in the document")
        }
        _ => None,
    }
}

/// Whether the dotted `path` leads somewhere in `document`. Keys may
/// contain dots (`https://www.googleapis.com/auth/drive`, `/a.json`), so
/// the longest key that fits is tried first; items are `.0` or `[0]`;
/// `$ref`s are followed, as the generator reports a referenced value at
/// the place that refers to it; the last step may be missing (a missing
/// member is reported at its own name); `?` (an unknown step) fits anything.
pub fn resolves(document: &Value, path: &str) -> bool {
    if path == "." {
        return true;
    }
    let steps: Vec<&str> = path.split('.').collect();
    walk(document, document, &steps, 0)
}

/// `name[1][2]` as `name` and its indices, if it has that form.
fn indexed(key: &str) -> Option<(&str, Vec<&str>)> {
    let open = key
        .find('[')
        .filter(|open| *open > 0 && key.ends_with(']'))?;
    let indices = key[open + 1..key.len() - 1].split("][").collect::<Vec<_>>();
    indices
        .iter()
        .all(|i| i.parse::<usize>().is_ok())
        .then(|| (&key[..open], indices))
}

fn walk(root: &Value, node: &Value, steps: &[&str], refs: usize) -> bool {
    let Some(first) = steps.first() else {
        return true;
    };
    if *first == "?" {
        return true;
    }
    match node {
        Value::Object(map) => {
            for end in (1..=steps.len()).rev() {
                let key = steps[..end].join(".");
                // The key as it is, or (serde's form) a key and its items.
                let child = match map.get(&key) {
                    Some(child) => Some(child),
                    None => indexed(&key).and_then(|(name, indices)| {
                        indices
                            .iter()
                            .try_fold(map.get(name)?, |item, i| item.get(i.parse::<usize>().ok()?))
                    }),
                };
                if child.is_some_and(|child| walk(root, child, &steps[end..], refs)) {
                    return true;
                }
            }
            if steps.len() == 1 {
                return true;
            }
            match map.get("$ref").and_then(Value::as_str) {
                // A bound on refs followed, since references may cycle.
                Some(target) if refs < 64 => {
                    dereference(root, target).is_some_and(|t| walk(root, t, steps, refs + 1))
                }
                _ => false,
            }
        }
        Value::Array(items) => match first.parse::<usize>() {
            Ok(i) => items
                .get(i)
                .is_some_and(|item| walk(root, item, &steps[1..], refs)),
            Err(_) => steps.len() == 1,
        },
        // A scalar where a container was expected: the error is about the
        // scalar, named by the step below it.
        _ => steps.len() == 1,
    }
}

/// The target of a `$ref`: a Discovery schema name or a local JSON pointer.
fn dereference<'a>(root: &'a Value, target: &str) -> Option<&'a Value> {
    match target.strip_prefix('#') {
        Some(pointer) => root.pointer(pointer),
        None => root.get("schemas")?.get(target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_clear_error_names_the_file_and_a_path_in_the_document() {
        let doc = json!({
            "auth": {"oauth2": {"scopes": {"https://www.googleapis.com/auth/x": {}}}},
            "paths": {"/a.json": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}]}}},
            "components": {"parameters": {"P": {"name": "p", "schema": {"type": "object"}}}},
            "schemas": {"S": {"properties": {"f": {"$ref": "T"}}}, "T": {"type": "integer"}},
            "odd": {"a[`]": {"b": [1], "c": {"d": 1}}}
        });
        let file = "spec.json";
        let clear = |path: &str| format!("{file}: at `{path}`: bad");
        for path in [
            ".",
            "auth.oauth2.scopes.https://www.googleapis.com/auth/x",
            "paths./a.json.get.parameters.0.schema.type",
            "paths./a.json.get.parameters[0].in",
            "schemas.S.properties.f.format",
            "schemas.S.missing",
            "schemas.S.properties.?",
            "odd.a[`].b[0]",
            "odd.a[`].c.d",
        ] {
            assert_eq!(unclear(&clear(path), file, Some(&doc)), None, "{path}");
        }
        assert_eq!(unclear("spec.json:12: at `.`: bad", file, Some(&doc)), None);
        assert_eq!(
            unclear(&clear("schemas.X.properties"), file, Some(&doc)),
            Some("names a JSON path not in the document")
        );
        assert_eq!(
            unclear("other.json: at `.`: bad", file, Some(&doc)),
            Some("does not start with the file name")
        );
        assert_eq!(
            unclear("spec.json: bad", file, None),
            Some("names no JSON path")
        );
        assert_eq!(
            unclear("spec.json: at `a`: ", file, None),
            Some("says nothing after the path")
        );
    }
}
