//! Rustdoc from spec prose: descriptions become `#[doc]` lines that
//! neither break the build nor turn into doctests.

use proc_macro2::TokenStream;
use quote::quote;
use std::borrow::Cow;

/// The Unicode controls that change the direction of text, which rustc
/// refuses in comments and doc comments (`text_direction_codepoint_in_comment`
/// is denied by default): a description could make code read other than
/// it compiles.
const DIRECTION_CONTROLS: &[char] = &[
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}',
];

/// Whether `text` holds a `\r` or a direction control. Every file and
/// description is asked, so the bytes are scanned first: every direction
/// control starts with the byte 0xE2 in UTF-8, and text with neither that
/// nor `\r` (nearly all) needs no decoding at all.
fn needs_neutralizing(text: &str) -> bool {
    text.bytes().any(|b| b == b'\r' || b == 0xE2)
        && text.contains(|c| c == '\r' || DIRECTION_CONTROLS.contains(&c))
}

/// Spec text made fit for a comment: every line break (`\r\n`, or a lone
/// `\r`, which rustc refuses in a doc comment) is `\n`, and direction
/// controls are written as escapes (`\u{202E}`). Borrowed when there is
/// nothing to change, as for nearly all text.
pub fn comment_text(text: &str) -> Cow<'_, str> {
    if !needs_neutralizing(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            c if DIRECTION_CONTROLS.contains(&c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Spec text on one line, for a heading or an inline mention: every line
/// break (and any other control character) is a space, so the text can
/// neither end a comment line nor start a code fence.
pub fn one_line(text: &str) -> String {
    comment_text(text)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `#[doc = "..."]` attributes for `text`, one per line.
///
/// Spec prose is written for the web, not rustdoc: leading indentation is
/// dropped (it would make a code block, and so a doctest), unlabelled code
/// fences are marked `text`, and blank runs collapse to one empty line.
pub fn doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// The sanitized lines, each with the leading space rustdoc expects.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut in_fence = false;
    for raw in comment_text(text).trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            let label = trimmed.trim_start_matches('`').trim();
            // Spec code is never Rust to compile: label it so rustdoc shows it as text.
            let fence = match (in_fence, label) {
                (true, _) => "```",
                (false, "rust") => "```ignore",
                (false, _) => "```text",
            };
            in_fence = !in_fence;
            lines.push(format!(" {fence}"));
            continue;
        }
        if in_fence {
            lines.push(format!(" {line}"));
            continue;
        }
        if trimmed.is_empty() {
            if lines.last().is_some_and(|l| l.trim().is_empty()) {
                continue;
            }
            lines.push(String::new());
            continue;
        }
        lines.push(format!(" {trimmed}"));
    }
    if in_fence {
        lines.push(" ```".to_owned());
    }
    lines
}

/// `#[doc]` attributes for text the generator wrote itself (such as a
/// doctest), kept exactly as is.
pub fn doc_verbatim(text: &str) -> TokenStream {
    // Made by the generator, but it may quote a spec's names.
    let text = comment_text(text);
    let lines = text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// Doc attributes for a description followed by more paragraphs.
pub fn doc_paragraphs<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    let text = paragraphs
        .iter()
        .map(AsRef::as_ref)
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    doc(&text)
}

/// `#![doc]` attributes for the module or crate they stand in, from text
/// sanitized as [`doc`] does.
pub fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

/// The text of a generated file with any line break or direction control
/// that reached a comment neutralized: a lone `\r` becomes a space (a
/// line break would end the comment) and a direction control its escape.
///
/// In printed Rust, string literals hold such characters as escapes
/// (`"\r"`), and identifiers cannot hold them, so any left in the text
/// stand in comments. Every spec text is sanitized where it becomes a doc
/// comment; this is the net under that rule, for a file whose text
/// must compile whatever an emitter forgot.
pub fn neutralize_comments(text: String) -> String {
    if !needs_neutralizing(&text) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' => out.push(' '),
            c if DIRECTION_CONTROLS.contains(&c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// The spec's file name or a command for a `//` or `#` header comment:
/// control characters (a newline would end the comment and let the rest
/// be code; TOML allows none in comments) and direction controls are
/// written as escapes.
pub fn header_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || DIRECTION_CONTROLS.contains(&c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// `#[deprecated]` for items the spec marks deprecated. Users of the item
/// get a warning; the crate itself allows its own uses (see `lib.rs`).
pub fn deprecated_attribute(deprecated: bool) -> TokenStream {
    if deprecated {
        quote!(#[deprecated = "deprecated by the API"])
    } else {
        quote!()
    }
}

/// Names as inline code, joined by `separator`: "`a`, `b`".
pub fn code_list<'a>(names: impl IntoIterator<Item = &'a str>, separator: &str) -> String {
    names
        .into_iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(separator)
}

#[cfg(test)]
mod tests {
    use super::doc_lines;

    #[test]
    fn indentation_never_makes_a_doctest() {
        let lines = doc_lines("Example:\n\n    let x = 1;\n");
        assert_eq!(lines, [" Example:", "", " let x = 1;"]);
    }

    #[test]
    fn every_line_break_is_a_line_and_direction_controls_are_escaped() {
        let lines = doc_lines("a\rb\r\nc\n\u{202E}d");
        assert_eq!(lines, [" a", " b", " c", " \\u{202e}d"]);
        assert_eq!(super::one_line(" x\r\ny\tz "), " x y z ");
        assert_eq!(super::header_text("a\nb\u{7}"), "a\\nb\\u{7}");
        let net = super::neutralize_comments("/// a\rb\u{2066}\n".to_owned());
        assert_eq!(net, "/// a b\\u{2066}\n");
    }

    #[test]
    fn unlabelled_fences_become_text() {
        let lines = doc_lines("```\nfoo\n```");
        assert_eq!(lines, [" ```text", " foo", " ```"]);
        let unclosed = doc_lines("```json\n{}");
        assert_eq!(unclosed, [" ```text", " {}", " ```"]);
    }
}
