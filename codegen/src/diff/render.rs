//! A [`Report`] as Markdown (a pull-request comment) or JSON (for tools).

use super::{Change, Report};

/// Markdown: a summary line, then breaking, non-breaking and documentation
/// sections, then the version bump.
pub fn to_markdown(report: &Report) -> String {
    let breaking: Vec<&Change> = report.breaking().collect();
    let additive: Vec<&Change> = report.additive().collect();
    let docs: Vec<&Change> = report.documentation().collect();
    let (old, new) = &report.revisions;
    let mut out = format!("**{}** ({old} → {new}): {}\n", report.api, report.summary());
    for (title, changes) in [
        ("Breaking changes", &breaking),
        ("Non-breaking changes", &additive),
        ("Documentation changes", &docs),
    ] {
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {title}\n\n"));
        for change in changes.iter() {
            out.push_str(&format!(
                "- `{}` `{}`: {}\n",
                change.kind.as_str(),
                change.item,
                change.detail
            ));
        }
    }
    out.push_str(&format!(
        "\nVersion bump needed: **{}**\n",
        report.semver().as_str()
    ));
    out
}

/// One line: how many changes of each sort.
pub(super) fn summary(breaking: usize, additive: usize, docs: usize) -> String {
    if breaking + additive + docs == 0 {
        return "no API changes".to_owned();
    }
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut parts = Vec::new();
    if breaking > 0 {
        parts.push(plural(breaking, "breaking change", "breaking changes"));
    }
    if additive > 0 {
        parts.push(plural(
            additive,
            "non-breaking change",
            "non-breaking changes",
        ));
    }
    if docs > 0 {
        parts.push(plural(
            docs,
            "documentation change",
            "documentation changes",
        ));
    }
    parts.join(", ")
}

/// JSON: `{"api", "revisions", "semver", "changes": [{"kind", "item", "breaking", "detail"}]}`.
pub fn to_json(report: &Report) -> serde_json::Value {
    let changes: Vec<serde_json::Value> = report
        .changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "kind": c.kind.as_str(),
                "item": c.item,
                "breaking": c.breaking(),
                "detail": c.detail,
            })
        })
        .collect();
    serde_json::json!({
        "api": report.api,
        "revisions": {"old": report.revisions.0, "new": report.revisions.1},
        "semver": report.semver().as_str(),
        "changes": changes,
    })
}
