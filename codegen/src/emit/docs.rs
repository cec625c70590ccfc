//! Rustdoc from spec prose: descriptions become `#[doc]` lines that
//! neither break the build nor turn into doctests.

use proc_macro2::TokenStream;
use quote::quote;

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
    for raw in text.trim().lines() {
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
    fn unlabelled_fences_become_text() {
        let lines = doc_lines("```\nfoo\n```");
        assert_eq!(lines, [" ```text", " foo", " ```"]);
        let unclosed = doc_lines("```json\n{}");
        assert_eq!(unclosed, [" ```text", " {}", " ```"]);
    }
}
