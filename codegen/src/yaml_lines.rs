//! Lines of YAML documents, for error messages: the line where the value
//! at a JSON path is written, found by reading the document's block
//! structure (indentation, `key:` and `- ` items) line by line.
//!
//! YAML parsers keep no positions once a document is a value, and errors
//! found while lowering come long after parsing; reading the text again
//! for the one path an error names costs nothing in the normal case.
//! Flow collections (`{a: 1}`) are not entered: a path inside one gives
//! the line of the nearest block key around it.

/// One open key or sequence item while reading.
struct Open {
    indent: usize,
    segment: String,
    is_item: bool,
    next_item: usize,
}

/// The 1-based line of the value at `path` (segments joined by `.`, as
/// [`crate::error::JsonPath`] writes them), or of the deepest key on the
/// way to it; `None` when not even the first segment is found.
pub fn line_of(text: &str, path: &str) -> Option<usize> {
    if path == "." || path.is_empty() {
        return None;
    }
    let mut best: Option<(usize, usize)> = None; // (matched length, line)
    let mut exact = None;
    walk(text, |stack, line| {
        if note(stack, path, line, &mut best) {
            exact = Some(line);
            return false;
        }
        true
    });
    exact.or(best.map(|(_, line)| line))
}

/// The JSON path of the value open at the end of `text` (a document cut
/// short, such as before a byte that is not UTF-8): the keys and items
/// its last lines stand in, or `.` at the top.
pub fn path_at_end(text: &str) -> String {
    let stack = walk(text, |_, _| true);
    if stack.is_empty() {
        return ".".to_owned();
    }
    let segments: Vec<&str> = stack.iter().map(|o| o.segment.as_str()).collect();
    segments.join(".")
}

/// Reads `text` line by line, calling `opened` with the open keys and
/// items each time one opens and the 1-based line it opens on, until
/// `opened` says stop; gives the keys and items open at the end.
fn walk(text: &str, mut opened: impl FnMut(&[Open], usize) -> bool) -> Vec<Open> {
    let mut stack: Vec<Open> = Vec::new();
    let mut block_scalar_indent: Option<usize> = None;
    for (number, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(limit) = block_scalar_indent {
            if trimmed.is_empty() || indent > limit {
                continue;
            }
            block_scalar_indent = None;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" || trimmed == "..." {
            continue;
        }
        let mut column = indent;
        let mut rest = trimmed;
        // Sequence items, possibly several on one line (`- - a`).
        while rest == "-" || rest.starts_with("- ") {
            while stack
                .last()
                .is_some_and(|top| top.indent > column || (top.indent == column && top.is_item))
            {
                stack.pop();
            }
            let index = match stack.last_mut() {
                Some(parent) => {
                    parent.next_item += 1;
                    parent.next_item - 1
                }
                None => 0,
            };
            stack.push(Open {
                indent: column,
                segment: index.to_string(),
                is_item: true,
                next_item: 0,
            });
            if !opened(&stack, number + 1) {
                return stack;
            }
            let after = rest[1..].trim_start();
            column += rest.len() - after.len();
            rest = after;
        }
        let Some((key, value)) = split_key(rest) else {
            continue;
        };
        while stack.last().is_some_and(|top| top.indent >= column) {
            stack.pop();
        }
        stack.push(Open {
            indent: column,
            segment: key,
            is_item: false,
            next_item: 0,
        });
        if !opened(&stack, number + 1) {
            return stack;
        }
        let value = value.trim_start();
        if value.starts_with('|') || value.starts_with('>') {
            block_scalar_indent = Some(column);
        }
    }
    stack
}

/// Records `line` when the open path is `path` or a prefix of it; true on
/// an exact match.
fn note(stack: &[Open], path: &str, line: usize, best: &mut Option<(usize, usize)>) -> bool {
    let joined: Vec<&str> = stack.iter().map(|o| o.segment.as_str()).collect();
    let joined = joined.join(".");
    if joined == path {
        *best = Some((joined.len(), line));
        return true;
    }
    if path.starts_with(&joined)
        && path.as_bytes().get(joined.len()) == Some(&b'.')
        && best.is_none_or(|(len, _)| joined.len() > len)
    {
        *best = Some((joined.len(), line));
    }
    false
}

/// `key: value` (or `key:`) with the key unquoted; `None` for other lines.
fn split_key(text: &str) -> Option<(String, &str)> {
    let (key, after) = if let Some(quote) = text.chars().next().filter(|c| *c == '"' || *c == '\'')
    {
        let body = &text[1..];
        let end = body.find(quote)?;
        let key = body[..end].to_owned();
        let after = body[end + 1..].trim_start();
        (key, after.strip_prefix(':')?)
    } else {
        let mut found = None;
        for (i, c) in text.char_indices() {
            if c == ':'
                && text[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(|n| n == ' ' || n == '\t')
            {
                found = Some(i);
                break;
            }
            if c == '#' && i > 0 && text[..i].ends_with(' ') {
                return None;
            }
        }
        let i = found?;
        if text.starts_with('{') || text.starts_with('[') {
            return None;
        }
        (text[..i].trim().to_owned(), &text[i + 1..])
    };
    Some((key, after))
}

#[cfg(test)]
mod tests {
    use super::{line_of, path_at_end};

    const DOC: &str = "openapi: 3.0.0\n\
info:\n  title: T\n  description: |\n    a: b\n    c: d\n  version: '1'\n\
paths:\n  /pets/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        - $ref: '#/components/parameters/x'\n      responses:\n        \"200\":\n          description: ok\n";

    #[test]
    fn keys_items_and_quoted_keys_are_found() {
        assert_eq!(line_of(DOC, "openapi"), Some(1));
        assert_eq!(line_of(DOC, "info.version"), Some(7));
        assert_eq!(
            line_of(DOC, "paths./pets/{id}.get.parameters.0.in"),
            Some(13)
        );
        assert_eq!(line_of(DOC, "paths./pets/{id}.get.parameters.1"), Some(14));
        assert_eq!(
            line_of(DOC, "paths./pets/{id}.get.responses.200.description"),
            Some(17)
        );
    }

    #[test]
    fn a_missing_leaf_gives_the_nearest_key_and_block_text_is_skipped() {
        assert_eq!(
            line_of(DOC, "paths./pets/{id}.get.parameters.0.schema"),
            Some(12)
        );
        assert_eq!(line_of(DOC, "info.description.a"), Some(4));
        assert_eq!(line_of(DOC, "nowhere.at.all"), None);
    }

    #[test]
    fn dashes_at_the_key_indent_are_items_of_that_key() {
        let doc = "tags:\n- a\n- b\nnext: 1\n";
        assert_eq!(line_of(doc, "tags.1"), Some(3));
        assert_eq!(line_of(doc, "next"), Some(4));
    }

    #[test]
    fn the_path_open_at_the_end_is_that_of_the_last_keys() {
        let cut = &DOC[..DOC.find("ok").unwrap()];
        assert_eq!(
            path_at_end(cut),
            "paths./pets/{id}.get.responses.200.description"
        );
        assert_eq!(
            path_at_end("info:\n  description: |\n    caf"),
            "info.description"
        );
        assert_eq!(path_at_end(""), ".");
    }
}
