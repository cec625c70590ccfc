//! Shrinking a failing mutant while it keeps failing the same way: greedy
//! delta debugging on the parsed document (drop object members and array
//! items in halves, then quarters, down to one at a time; then shorten
//! strings and names), or on lines for text that does not parse.
//!
//! Every step makes the document strictly smaller, so the search ends; a
//! deadline bounds it too, since each test may run the generator or a
//! compiler.

use super::tree::{self, Path, Step};
use serde_json::Value;
use std::time::Instant;

/// Asks whether a candidate still fails as the original did, and stops
/// saying yes once the deadline has passed.
pub struct Budget<'a, T: ?Sized> {
    test: &'a mut dyn FnMut(&T) -> bool,
    deadline: Instant,
    /// How many candidates were tested.
    pub tests: usize,
}

impl<'a, T: ?Sized> Budget<'a, T> {
    /// A budget running `test` until `deadline`.
    pub fn new(test: &'a mut dyn FnMut(&T) -> bool, deadline: Instant) -> Self {
        Self {
            test,
            deadline,
            tests: 0,
        }
    }

    fn expired(&self) -> bool {
        Instant::now() >= self.deadline
    }

    fn still_fails(&mut self, candidate: &T) -> bool {
        if self.expired() {
            return false;
        }
        self.tests += 1;
        (self.test)(candidate)
    }
}

/// The smallest document found that still fails, starting from `value`
/// (which must fail).
pub fn value(mut value: Value, budget: &mut Budget<'_, Value>) -> Value {
    loop {
        let before = tree::size(&value);
        let before_text = text_size(&value);
        // Containers, parents first: dropping a parent's members saves
        // testing its children's.
        for path in tree::all(&value, &|_, v| v.is_object() || v.is_array()) {
            drop_children(&mut value, &path, budget);
            if budget.expired() {
                return value;
            }
        }
        for path in tree::all(&value, &|path, v| {
            v.as_str().is_some_and(|s| !s.is_empty())
                || path
                    .last()
                    .and_then(Step::key)
                    .is_some_and(|k| k.len() > LONG_NAME)
        }) {
            // The string first, then its name (after which the path is gone).
            for text in [Text::Value, Text::Name] {
                shorten(&mut value, &path, text, budget);
            }
            if budget.expired() {
                return value;
            }
        }
        if tree::size(&value) == before && text_size(&value) == before_text {
            return value;
        }
    }
}

/// Names longer than this are shortened (a 64 KiB name is rarely all
/// needed); shorter ones stay, so the reproduction keeps the spec's own
/// words (`paths`, `components`, `additionalProperties`).
const LONG_NAME: usize = 32;

fn text_size(value: &Value) -> usize {
    serde_json::to_string(value).map_or(0, |s| s.len())
}

/// Drops the children of the container at `path` in runs of halving length.
fn drop_children(value: &mut Value, path: &[Step], budget: &mut Budget<'_, Value>) {
    let count = |value: &Value| match tree::get(value, path) {
        Some(Value::Object(map)) => map.len(),
        Some(Value::Array(items)) => items.len(),
        _ => 0,
    };
    let mut chunk = count(value);
    while chunk >= 1 {
        let mut start = 0;
        while start < count(value) {
            let mut candidate = value.clone();
            let Some(node) = tree::get_mut(&mut candidate, path) else {
                return;
            };
            match node {
                Value::Object(map) => {
                    let keys: Vec<String> = map.keys().skip(start).take(chunk).cloned().collect();
                    for key in keys {
                        map.remove(&key);
                    }
                }
                Value::Array(items) => {
                    let end = (start + chunk).min(items.len());
                    items.drain(start..end);
                }
                _ => return,
            }
            if budget.still_fails(&candidate) {
                *value = candidate;
            } else {
                if budget.expired() {
                    return;
                }
                start += chunk;
            }
        }
        chunk /= 2;
    }
}

/// Which text at a path to shorten.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Text {
    /// The string value.
    Value,
    /// The member name the path ends with.
    Name,
}

/// Shortens the string at `path` (or the name its last step is) to its
/// first half, again and again, and then a value to nothing.
fn shorten(value: &mut Value, path: &Path, text: Text, budget: &mut Budget<'_, Value>) {
    let mut path = path.clone();
    loop {
        let current = match (text, tree::get(value, &path), path.last()) {
            (Text::Value, Some(Value::String(s)), _) => s.clone(),
            (Text::Name, Some(_), Some(Step::Key(key))) => key.clone(),
            _ => return,
        };
        let chars: Vec<char> = current.chars().collect();
        let shorter: String = if text == Text::Name && chars.len() <= LONG_NAME {
            return;
        } else if chars.len() > 1 {
            chars[..chars.len() / 2].iter().collect()
        } else if text == Text::Value && !chars.is_empty() {
            String::new()
        } else {
            return;
        };
        let mut candidate = value.clone();
        match text {
            Text::Value => {
                if let Some(node) = tree::get_mut(&mut candidate, &path) {
                    *node = Value::String(shorter.clone());
                }
            }
            Text::Name => {
                if !tree::rename(&mut candidate, &path, &shorter) {
                    return;
                }
            }
        }
        if !budget.still_fails(&candidate) {
            return;
        }
        *value = candidate;
        if text == Text::Name {
            if let Some(last) = path.last_mut() {
                *last = Step::Key(shorter);
            }
        }
    }
}

/// The fewest lines of `text` found that still fail (for text that is
/// not a document, such as a cut-off one).
pub fn lines(text: &str, budget: &mut Budget<'_, str>) -> String {
    let mut kept: Vec<&str> = text.split_inclusive('\n').collect();
    let mut chunk = kept.len();
    while chunk >= 1 {
        let mut start = 0;
        while start < kept.len() {
            let end = (start + chunk).min(kept.len());
            let candidate: String = kept[..start].concat() + &kept[end..].concat();
            if budget.still_fails(&candidate) {
                kept.drain(start..end);
            } else {
                if budget.expired() {
                    return kept.concat();
                }
                start += chunk;
            }
        }
        chunk /= 2;
    }
    kept.concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Duration;

    fn deadline() -> Instant {
        Instant::now() + Duration::from_secs(60)
    }

    #[test]
    fn keeps_only_what_the_failure_needs() {
        // A synthetic failure: a `$ref` to `Missing` anywhere, with a
        // string containing "boom" somewhere.
        let document = json!({
            "name": "big", "version": "v1", "description": "a long description of the API",
            "schemas": {
                "A": {"type": "object", "properties": {"x": {"type": "string"}, "y": {"$ref": "Missing"}}},
                "B": {"type": "array", "items": {"type": "integer"}},
                "C": {"description": "it goes boom here"}
            },
            "resources": {"r": {"methods": {"get": {"path": "v1/things"}}}},
            "list": [1, 2, 3, 4, 5, 6, 7]
        });
        let fails = |v: &Value| {
            let text = v.to_string();
            text.contains("\"$ref\":\"Missing\"") && text.contains("boom")
        };
        let mut test = fails;
        let mut budget = Budget::new(&mut test, deadline());
        let small = value(document, &mut budget);
        assert!(fails(&small));
        // Every member and character left is needed.
        assert_eq!(
            small,
            json!({"schemas": {"A": {"properties": {"y": {"$ref": "Missing"}}}, "C": {"description": "it goes boom here"}}})
        );
        assert!(budget.tests > 0);
    }

    #[test]
    fn strings_and_names_shrink_to_what_matters() {
        let document = json!({"a".repeat(1000): "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxBOOM"});
        let mut test = |v: &Value| {
            v.as_object().is_some_and(|m| {
                m.iter()
                    .any(|(k, s)| k.starts_with('a') && s.as_str().is_some_and(|s| s.contains('x')))
            })
        };
        let mut budget = Budget::new(&mut test, deadline());
        // Long names shrink (not below 32 characters), values to what matters.
        let small = value(document, &mut budget);
        let (name, text) = small.as_object().unwrap().iter().next().unwrap();
        assert!(name.len() <= 32 && name.starts_with('a'), "{name}");
        assert_eq!(text, "x");
    }

    #[test]
    fn lines_shrink_to_the_failing_ones() {
        let text = "a\nb\nboom\nc\nd\nbang\ne\n";
        let mut test = |t: &str| t.contains("boom") && t.contains("bang");
        let mut budget = Budget::new(&mut test, deadline());
        assert_eq!(lines(text, &mut budget), "boom\nbang\n");
    }

    #[test]
    fn an_expired_budget_stops_at_once() {
        let document = json!({"a": [1, 2, 3], "b": "c"});
        let mut test = |_: &Value| true;
        let mut budget = Budget::new(&mut test, Instant::now());
        assert_eq!(value(document.clone(), &mut budget), document);
        assert_eq!(budget.tests, 0);
    }
}
