//! Every Rust name the generator emits is made here: case conversion with
//! `heck`, keyword escaping, and deterministic disambiguation of names that
//! collide after conversion.
//!
//! Two spec names that turn into the same identifier (`fooBar` and
//! `foo_bar`, or `ACTIVATED` and `activated`) are never merged: within a
//! [`Namespace`] the one whose spec name sorts first (byte order) keeps the
//! plain identifier and each later one gets the lowest free numeric suffix
//! (`Foo2`, `foo_2`). The outcome depends only on the set of names, not on
//! their order in the file.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

/// The longest identifier, in bytes, a spec name may become (before any
/// numeric suffix that keeps colliding names apart).
///
/// rustc's memory grows faster than the length of an identifier (a field
/// named with 16 KB took 4.6 GB to build), so a document could exhaust the
/// machine that builds its crate. The longest identifier the 610 Discovery
/// documents Google publishes make is 163 bytes (a schema module of Search
/// Ads 360 v23; the corpus's longest is 135), so 240 leaves half as much
/// again; and a resource's module, a file `src/resources/<module>.rs`,
/// stays under the 255 bytes file systems allow a name even with a
/// numeric suffix.
pub const MAX_IDENTIFIER_LEN: usize = 240;

/// A name that cannot become an identifier.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "cannot make a Rust identifier from {} ({context}): {problem}",
    shown(original)
)]
pub struct NamingError {
    /// The spec name.
    pub original: String,
    /// Where the name was used, such as `field of schema Foo`.
    pub context: String,
    /// Why it cannot.
    pub problem: NamingProblem,
}

/// Why a spec name cannot become an identifier.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NamingProblem {
    /// Nothing of it is a letter, digit or `_` (`$`).
    #[error("it has no letter or digit")]
    NoIdentifier,
    /// Its identifier would be longer than [`MAX_IDENTIFIER_LEN`].
    #[error("its identifier would be {length} bytes long, over the limit of {MAX_IDENTIFIER_LEN}")]
    TooLong {
        /// The identifier's length in bytes.
        length: usize,
    },
}

/// A spec name for a message: quoted and escaped, and cut short when it
/// is long (the limit it broke may be its length).
fn shown(original: &str) -> String {
    const SHOWN: usize = 64;
    match original.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{:?}... ({} bytes)", &original[..end], original.len()),
        None => format!("{original:?}"),
    }
}

/// The case an identifier is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// `snake_case`: fields, functions, modules.
    Snake,
    /// `UpperCamelCase`: types and enum variants.
    UpperCamel,
    /// `SCREAMING_SNAKE_CASE`: constants.
    ScreamingSnake,
}

/// Words that cannot be identifiers even as raw identifiers (`r#self` is invalid).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Keywords of Rust 2024 (strict and reserved) that need `r#`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Converts a spec name to a bare identifier in `case`, without keyword escaping.
///
/// Characters that cannot appear in identifiers (`$`, `.`, `-`, `@`) split
/// words. A name that would start with a digit gets a prefix (`_` for snake
/// case, `V` otherwise) so it stays an identifier.
pub fn bare(original: &str, case: Case) -> Option<String> {
    // heck treats every non-alphanumeric character as a word boundary.
    let converted = match case {
        Case::Snake => original.to_snake_case(),
        Case::UpperCamel => original.to_upper_camel_case(),
        Case::ScreamingSnake => original.to_snake_case().to_uppercase(),
    };
    let cleaned: String = converted
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    if cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        let prefix = if case == Case::UpperCamel { "V" } else { "_" };
        return Some(format!("{prefix}{cleaned}"));
    }
    Some(cleaned)
}

/// [`bare`], or the reason there is no identifier within the limits.
fn checked_bare(original: &str, case: Case, context: &str) -> Result<String, NamingError> {
    let error = |problem| NamingError {
        original: original.to_owned(),
        context: context.to_owned(),
        problem,
    };
    let bare = bare(original, case).ok_or_else(|| error(NamingProblem::NoIdentifier))?;
    if bare.len() > MAX_IDENTIFIER_LEN {
        return Err(error(NamingProblem::TooLong { length: bare.len() }));
    }
    Ok(bare)
}

/// Makes a bare identifier usable in source: `type` becomes `r#type`, and
/// names that cannot be raw (`self`) get a trailing underscore.
pub fn escape(bare: &str) -> String {
    if NOT_RAW.contains(&bare) {
        format!("{bare}_")
    } else if KEYWORDS.contains(&bare) {
        format!("r#{bare}")
    } else {
        bare.to_owned()
    }
}

/// A set of identifiers that must be distinct, such as the fields of one
/// struct or the variants of one enum.
#[derive(Debug)]
pub struct Namespace {
    case: Case,
    context: String,
    reserved: BTreeSet<String>,
}

impl Namespace {
    /// An empty namespace of identifiers in `case`; `context` appears in errors.
    pub fn new(case: Case, context: impl Into<String>) -> Self {
        Self {
            case,
            context: context.into(),
            reserved: BTreeSet::new(),
        }
    }

    /// Marks an identifier as taken (by generated code rather than the spec).
    pub fn reserve(mut self, bare: &str) -> Self {
        self.reserved.insert(bare.to_owned());
        self
    }

    /// Assigns a distinct, escaped identifier to each spec name.
    ///
    /// The result maps every input name to its identifier. Equal input
    /// names are one entry.
    pub fn assign<'a>(
        &self,
        originals: impl IntoIterator<Item = &'a str>,
    ) -> Result<BTreeMap<String, String>, NamingError> {
        self.assign_keyed(originals.into_iter().map(|name| (name.to_owned(), name)))
    }

    /// Like [`Namespace::assign`], for items of different kinds that may
    /// share a spec name (a method and a sub-resource both called
    /// `accounts`): each key gets its own identifier.
    pub fn assign_keyed<'a, K: Ord + Clone>(
        &self,
        items: impl IntoIterator<Item = (K, &'a str)>,
    ) -> Result<BTreeMap<K, String>, NamingError> {
        // Sorted by spec name, then key: the outcome never depends on input order.
        let mut wanted: Vec<(&str, K, String)> = Vec::new();
        for (key, original) in items {
            let bare = checked_bare(original, self.case, &self.context)?;
            wanted.push((original, key, bare));
        }
        wanted.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        wanted.dedup_by(|a, b| a.1 == b.1);
        let mut taken = self.reserved.clone();
        // First pass: names nobody else wants keep their plain form, so a
        // suffix given to a later colliding name never steals it.
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, _, bare) in &wanted {
            *counts.entry(bare.as_str()).or_default() += 1;
        }
        let mut result = BTreeMap::new();
        let mut deferred = Vec::new();
        for (_, key, bare) in &wanted {
            if counts[bare.as_str()] == 1 && !taken.contains(bare) {
                taken.insert(bare.clone());
                result.insert(key.clone(), escape(bare));
            } else {
                deferred.push((key.clone(), bare.clone()));
            }
        }
        // Second pass, in order of spec names: the first of a colliding
        // group keeps the plain name if it is still free.
        //
        // Names are only ever added to `taken`, so the lowest free suffix
        // of a bare name never goes down: the search for the next one with
        // that bare name starts where the last one ended, and a group of
        // n colliding names costs n lookups, not n² (an enum of 20,000
        // values that differ only by separators took 41 s).
        let mut next_suffix: BTreeMap<String, usize> = BTreeMap::new();
        for (key, bare) in deferred {
            let identifier = if taken.contains(&bare) {
                let mut n = next_suffix.get(&bare).copied().unwrap_or(2);
                let mut candidate = self.suffixed(&bare, n);
                while taken.contains(&candidate) {
                    n += 1;
                    candidate = self.suffixed(&bare, n);
                }
                next_suffix.insert(bare, n + 1);
                candidate
            } else {
                bare
            };
            result.insert(key, escape(&identifier));
            taken.insert(identifier);
        }
        Ok(result)
    }

    /// `bare` with the numeric suffix `n`, in the namespace's case.
    fn suffixed(&self, bare: &str, n: usize) -> String {
        match self.case {
            Case::UpperCamel => format!("{bare}{n}"),
            _ => format!("{bare}_{n}"),
        }
    }
}

/// The singular of a plural collection name, such as a literal segment of a
/// resource path (`archiveJobs` → `archiveJob`), by a few suffix rules.
///
/// Rules, first match wins (suffixes compared case-insensitively; the
/// replacement follows the case of the word's last letter):
///
/// 1. words ending in `series`, `species` or `news` stay as they are;
/// 2. `ies` → `y` (`policies` → `policy`);
/// 3. `sses` → `ss`, and `xes`, `ches`, `shes` lose `es` (`addresses` →
///    `address`, `indexes` → `index`, `batches` → `batch`);
/// 4. `lves` → `lf` (`shelves` → `shelf`);
/// 5. a final `s` goes, except after `s`, `u` or `i` (`models` → `model`,
///    but `access`, `status`, `analysis` stay);
/// 6. anything else (`global`, `portabilityArchiveState`) stays.
///
/// English has exceptions these rules get wrong (`caches` → `cach`); they
/// only ever make a name read oddly, never a wrong program, and the rules
/// are kept few so a name can be predicted from the path.
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let upper = word.ends_with(|c: char| c.is_ascii_uppercase());
    let replace = |cut: usize, with: &str| {
        let with = if upper {
            with.to_ascii_uppercase()
        } else {
            with.to_owned()
        };
        format!("{}{with}", &word[..word.len() - cut])
    };
    if ["series", "species", "news"]
        .iter()
        .any(|w| lower.ends_with(w))
    {
        return word.to_owned();
    }
    if lower.ends_with("ies") && lower.len() > 3 {
        return replace(3, "y");
    }
    if ["sses", "xes", "ches", "shes"]
        .iter()
        .any(|s| lower.ends_with(s) && lower.len() > s.len())
    {
        return replace(2, "");
    }
    if lower.ends_with("lves") && lower.len() > 4 {
        return replace(3, "f");
    }
    if lower.ends_with('s')
        && lower.len() > 1
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
    {
        return replace(1, "");
    }
    word.to_owned()
}

/// The one identifier for a name that needs no namespace (a crate-level item).
pub fn ident(original: &str, case: Case, context: &str) -> Result<String, NamingError> {
    checked_bare(original, case, context).map(|b| escape(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_and_escapes() {
        assert_eq!(
            ident("archiveJobs", Case::Snake, "t").unwrap(),
            "archive_jobs"
        );
        assert_eq!(ident("type", Case::Snake, "t").unwrap(), "r#type");
        assert_eq!(ident("self", Case::Snake, "t").unwrap(), "self_");
        assert_eq!(ident("$.xgafv", Case::Snake, "t").unwrap(), "xgafv");
        assert_eq!(
            ident("max-results", Case::Snake, "t").unwrap(),
            "max_results"
        );
        assert_eq!(ident("30fps", Case::UpperCamel, "t").unwrap(), "V30fps");
        assert_eq!(ident("30fps", Case::Snake, "t").unwrap(), "_30fps");
        assert_eq!(
            ident("IN_PROGRESS", Case::UpperCamel, "t").unwrap(),
            "InProgress"
        );
        assert_eq!(ident("self", Case::UpperCamel, "t").unwrap(), "Self_");
        assert_eq!(ident("retry", Case::ScreamingSnake, "t").unwrap(), "RETRY");
    }

    #[test]
    fn empty_names_are_errors() {
        let err = ident("$", Case::Snake, "parameter").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot make a Rust identifier from \"$\" (parameter): it has no letter or digit"
        );
    }

    #[test]
    fn identifiers_over_the_limit_are_errors_naming_their_length() {
        let longest = "a".repeat(MAX_IDENTIFIER_LEN);
        assert_eq!(ident(&longest, Case::Snake, "field").unwrap(), longest);
        let over = format!("{longest}B");
        let error = Namespace::new(Case::Snake, "field of schema S")
            .assign([over.as_str()])
            .unwrap_err();
        assert_eq!(error.problem, NamingProblem::TooLong { length: 242 });
        let message = error.to_string();
        assert!(
            message.contains("(241 bytes) (field of schema S)")
                && message
                    .ends_with("its identifier would be 242 bytes long, over the limit of 240"),
            "{message}"
        );
        // Separators are not the identifier's: a long wire name may make a short one.
        let dashes = format!("a{}b", "-".repeat(10_000));
        assert_eq!(ident(&dashes, Case::Snake, "field").unwrap(), "a_b");
    }

    #[test]
    fn collisions_get_suffixes_by_spec_name_order() {
        let ns = Namespace::new(Case::UpperCamel, "schemas");
        let names = ns.assign(["foo_bar", "FooBar", "Bar"]).unwrap();
        assert_eq!(names["FooBar"], "FooBar");
        assert_eq!(names["foo_bar"], "FooBar2");
        assert_eq!(names["Bar"], "Bar");
        // Names that differ only in case stay apart without suffixes.
        let cased = ns.assign(["V1beta1Foo", "V1Beta1Foo"]).unwrap();
        assert_eq!(cased["V1beta1Foo"], "V1beta1Foo");
        assert_eq!(cased["V1Beta1Foo"], "V1Beta1Foo");
        // The input order does not matter.
        let again = ns.assign(["Bar", "foo_bar", "FooBar"]).unwrap();
        assert_eq!(names, again);
    }

    #[test]
    fn suffixes_never_take_a_name_the_spec_uses() {
        let ns = Namespace::new(Case::UpperCamel, "variants");
        let names = ns.assign(["ACTIVATED", "activated", "ACTIVATED2"]).unwrap();
        assert_eq!(names["ACTIVATED2"], "Activated2");
        assert_eq!(names["ACTIVATED"], "Activated");
        assert_eq!(names["activated"], "Activated3");
    }

    #[test]
    fn many_names_colliding_on_one_identifier_take_linear_time() {
        // 20,000 enum values that differ only by separators all become
        // `A`: the value that sorts first keeps it, the others take the
        // suffixes from 2 in spec-name order. Finding each suffix from 2
        // again took 41 s (quadratic); now it is a few lookups each.
        let separators = ['_', '-', '.', '$'];
        let values: Vec<String> = (0..20_000usize)
            .map(|i| {
                let tail: String = (0..8).map(|d| separators[(i >> (2 * d)) & 3]).collect();
                format!("a{tail}")
            })
            .collect();
        let started = std::time::Instant::now();
        let names = Namespace::new(Case::UpperCamel, "values")
            .reserve("A7")
            .assign(values.iter().map(String::as_str))
            .unwrap();
        let elapsed = started.elapsed();
        let mut sorted = values.clone();
        sorted.sort();
        assert_eq!(names[&sorted[0]], "A");
        assert_eq!(names[&sorted[1]], "A2");
        // `A7` is taken, so the sixth and later values move one along.
        assert_eq!(names[&sorted[5]], "A6");
        assert_eq!(names[&sorted[6]], "A8");
        assert_eq!(names[&sorted[19_999]], "A20001");
        let distinct: BTreeSet<&String> = names.values().collect();
        assert_eq!(distinct.len(), 20_000);
        assert!(
            elapsed < std::time::Duration::from_secs(5),
            "took {elapsed:?}"
        );
    }

    #[test]
    fn reserved_names_push_spec_names_aside() {
        let ns = Namespace::new(Case::UpperCamel, "variants").reserve("UnknownValue");
        let names = ns.assign(["UNKNOWN_VALUE", "OK"]).unwrap();
        assert_eq!(names["UNKNOWN_VALUE"], "UnknownValue2");
        assert_eq!(names["OK"], "Ok");
    }

    #[test]
    fn items_of_different_kinds_with_one_name_stay_apart() {
        let ns = Namespace::new(Case::Snake, "resource accessors");
        let names = ns
            .assign_keyed([("method", "accounts"), ("resource", "accounts")])
            .unwrap();
        assert_eq!(names["method"], "accounts");
        assert_eq!(names["resource"], "accounts_2");
    }

    #[test]
    fn singular_follows_a_few_suffix_rules() {
        let cases = [
            ("archiveJobs", "archiveJob"),
            ("projects", "project"),
            ("locations", "location"),
            ("keyRings", "keyRing"),
            ("policies", "policy"),
            ("firewallpolicies", "firewallpolicy"),
            ("addresses", "address"),
            ("indexes", "index"),
            ("batches", "batch"),
            ("meshes", "mesh"),
            ("shelves", "shelf"),
            ("timeSeries", "timeSeries"),
            ("species", "species"),
            ("access", "access"),
            ("status", "status"),
            ("analysis", "analysis"),
            ("global", "global"),
            ("portabilityArchiveState", "portabilityArchiveState"),
            ("jwks", "jwk"),
            ("s", "s"),
            ("POLICIES", "POLICY"),
            ("MODELS", "MODEL"),
        ];
        for (plural, expected) in cases {
            assert_eq!(singular(plural), expected, "{plural}");
        }
    }

    #[test]
    fn keywords_collide_with_their_escaped_form_only_once() {
        let ns = Namespace::new(Case::Snake, "fields");
        let names = ns.assign(["type", "@type"]).unwrap();
        assert_eq!(names["@type"], "r#type");
        assert_eq!(names["type"], "type_2");
    }
}
