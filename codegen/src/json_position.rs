//! Where in a JSON document a point of its text stands, for errors found
//! before the text could be parsed (a byte that is not UTF-8): the JSON
//! path of the value open there, read off the text by a small scanner
//! that follows objects, keys, arrays and strings and nothing else.

/// One object or array open at the point.
enum Open {
    /// An object and the key of the value being read, once its key is.
    Object(Option<String>),
    /// An array and the index of the item being read.
    Array(usize),
}

/// The JSON path of the value open at the end of `text` (a JSON document
/// cut short), as [`crate::error::JsonPath`] writes paths: keys and array
/// indices joined by `.`, or `.` at the top. A document that is not JSON
/// gives what its brackets and strings say.
pub fn path_at_end(text: &str) -> String {
    let mut stack: Vec<Open> = Vec::new();
    let mut chars = text.char_indices();
    while let Some((start, c)) = chars.next() {
        match c {
            '{' => stack.push(Open::Object(None)),
            '[' => stack.push(Open::Array(0)),
            '}' | ']' => {
                stack.pop();
            }
            ',' => match stack.last_mut() {
                Some(Open::Object(key)) => *key = None,
                Some(Open::Array(index)) => *index += 1,
                None => {}
            },
            '"' => {
                // Cut inside a string: in a value, its key is the last
                // segment; in a key, the object is where the text stops.
                let Some(end) = string_end(&mut chars) else {
                    break;
                };
                if let Some(Open::Object(key @ None)) = stack.last_mut() {
                    *key = Some(unquote(&text[start..end]));
                }
            }
            _ => {}
        }
    }
    let segments: Vec<String> = stack
        .iter()
        .filter_map(|open| match open {
            Open::Object(key) => key.clone(),
            Open::Array(index) => Some(index.to_string()),
        })
        .collect();
    if segments.is_empty() {
        ".".to_owned()
    } else {
        segments.join(".")
    }
}

/// Consumes a string's characters after its opening quote; the byte
/// offset just past its closing quote, or `None` when the text ends first.
fn string_end(chars: &mut std::str::CharIndices<'_>) -> Option<usize> {
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return Some(at + 1),
            _ => {}
        }
    }
    None
}

/// The text of a quoted JSON string, escapes decoded (as written, if it
/// is not a valid JSON string).
fn unquote(quoted: &str) -> String {
    serde_json::from_str(quoted).unwrap_or_else(|_| quoted.trim_matches('"').to_owned())
}

#[cfg(test)]
mod tests {
    use super::path_at_end;

    #[test]
    fn keys_and_items_open_at_the_end_make_the_path() {
        let text = r#"{"a": {"b": [1, {"c": "x"}, {"d\"e": "caf"#;
        assert_eq!(path_at_end(text), "a.b.2.d\"e");
        assert_eq!(path_at_end(r#"{"a": 1, "b"#), ".");
        assert_eq!(path_at_end(r#"{"a": {"k": "v"}, "#), ".");
        assert_eq!(path_at_end(r#"{"a": {"k": "v", "lo"#), "a");
        assert_eq!(path_at_end(r#"{"a": ["x", "y"#), "a.1");
        assert_eq!(path_at_end(""), ".");
    }
}
