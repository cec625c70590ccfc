//! The mutation classes: structural ones edit the parsed document (a JSON
//! value, whatever the seed's syntax) where specs keep what the generator
//! interprets (names, references, schemas, paths, patterns), byte-level
//! ones edit the seed's text.
//!
//! Each mutant gets exactly one mutation, so a failure is charged to one
//! class and a reproduction shows one cause.

use super::rng::Rng;
use super::tree::{self, Path, Step, key_at};
use codegen::input::Format;
use serde_json::{Map, Value, json};

/// A kind of mutation. Counts are reported per class.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Deletes an object member.
    DeleteKey,
    /// Replaces a value with one of another JSON type.
    ChangeType,
    /// Empties a string or a name.
    EmptyString,
    /// Makes a string or a name 64 KiB long.
    HugeString,
    /// Puts `\r`, `\0`, BEL and other control characters in a string or name.
    ControlChars,
    /// Puts accents, right-to-left marks, emoji, combining and zero-width
    /// characters in a string or name.
    NonAscii,
    /// Puts what ends a comment, a string or a code block (`*/`, `"#`,
    /// backticks, backslashes) in a string or name.
    SyntaxChars,
    /// Renames a schema, field, parameter, resource, method or enum value
    /// to a Rust keyword or a name the generated code uses.
    KeywordName,
    /// Adds a name that differs from an existing one only by case or
    /// separators (`fooBar` beside `foo_bar`).
    CollidingNames,
    /// Makes a `$ref` cycle: aliases, arrays and maps of themselves,
    /// objects that hold each other, `allOf` of themselves.
    RefCycle,
    /// Points a `$ref` at nothing (a missing name, file or pointer).
    DanglingRef,
    /// Wraps a schema in arrays, maps or objects up to 130 deep.
    DeepNesting,
    /// Puts odd pieces in a path template (`{`, `{+}`, `..`, `%2F`, `{x=**}/a`).
    PathTemplate,
    /// Gives a parameter a strange `pattern` (broken regexes, alternations).
    Pattern,
    /// Flips bits of the text.
    ByteFlip,
    /// Inserts bytes that mean something to JSON or YAML.
    ByteInsert,
    /// Deletes a run of bytes.
    ByteDelete,
    /// Cuts the text short.
    Truncate,
    /// Inserts bytes that are not UTF-8.
    InvalidUtf8,
}

impl Class {
    /// Every class, in report order.
    pub const ALL: [Class; 19] = [
        Class::DeleteKey,
        Class::ChangeType,
        Class::EmptyString,
        Class::HugeString,
        Class::ControlChars,
        Class::NonAscii,
        Class::SyntaxChars,
        Class::KeywordName,
        Class::CollidingNames,
        Class::RefCycle,
        Class::DanglingRef,
        Class::DeepNesting,
        Class::PathTemplate,
        Class::Pattern,
        Class::ByteFlip,
        Class::ByteInsert,
        Class::ByteDelete,
        Class::Truncate,
        Class::InvalidUtf8,
    ];

    /// The class as `--class` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Class::DeleteKey => "delete-key",
            Class::ChangeType => "change-type",
            Class::EmptyString => "empty-string",
            Class::HugeString => "huge-string",
            Class::ControlChars => "control-chars",
            Class::NonAscii => "non-ascii",
            Class::SyntaxChars => "syntax-chars",
            Class::KeywordName => "keyword-name",
            Class::CollidingNames => "colliding-names",
            Class::RefCycle => "ref-cycle",
            Class::DanglingRef => "dangling-ref",
            Class::DeepNesting => "deep-nesting",
            Class::PathTemplate => "path-template",
            Class::Pattern => "pattern",
            Class::ByteFlip => "byte-flip",
            Class::ByteInsert => "byte-insert",
            Class::ByteDelete => "byte-delete",
            Class::Truncate => "truncate",
            Class::InvalidUtf8 => "invalid-utf8",
        }
    }

    /// Whether the class edits bytes rather than the parsed document.
    pub fn is_byte_level(self) -> bool {
        matches!(
            self,
            Class::ByteFlip
                | Class::ByteInsert
                | Class::ByteDelete
                | Class::Truncate
                | Class::InvalidUtf8
        )
    }
}

/// A corpus document that mutants are made from.
#[derive(Debug)]
pub struct Seed {
    /// How errors and headers name it (`../shared/corpus/openapi/petstore.yaml`).
    pub file: String,
    /// The file on disk (its folder is where its `$ref`s are read).
    pub path: std::path::PathBuf,
    /// Its text.
    pub text: String,
    /// Its parsed value.
    pub value: Value,
    /// What it is.
    pub format: Format,
    /// Whether its text is YAML (structural mutants are then written as YAML).
    pub yaml: bool,
}

impl Seed {
    /// Reads the seed from text.
    pub fn parse(
        file: String,
        path: std::path::PathBuf,
        text: String,
    ) -> Result<Self, codegen::Error> {
        let parsed = codegen::input::parse(&file, &text)?;
        Ok(Self {
            yaml: !codegen::input::is_json(&text),
            file,
            path,
            text,
            value: parsed.value,
            format: parsed.format,
        })
    }

    /// `value` written the way this seed is written (JSON or YAML).
    pub fn render(&self, value: &Value) -> String {
        render(value, self.yaml)
    }
}

/// `value` as pretty JSON, or as YAML.
pub fn render(value: &Value, yaml: bool) -> String {
    if yaml {
        // A JSON value always has a YAML form.
        serde_yaml::to_string(value).unwrap_or_else(|e| format!("# unrepresentable: {e}\n"))
    } else {
        let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A mutated document: text, or bytes that are not UTF-8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mutant {
    /// UTF-8 text, as the generator takes it.
    Text(String),
    /// Bytes that are not UTF-8: refused before the generator sees them.
    Bytes(Vec<u8>),
}

impl Mutant {
    fn from_bytes(bytes: Vec<u8>) -> Self {
        match String::from_utf8(bytes) {
            Ok(text) => Self::Text(text),
            Err(e) => Self::Bytes(e.into_bytes()),
        }
    }

    /// The mutant's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Text(text) => text.as_bytes(),
            Self::Bytes(bytes) => bytes,
        }
    }
}

/// A mutant of `seed` of `class`, or `None` when the class finds nothing
/// to change in this seed (no `$ref` to cycle, no method path).
pub fn mutate(seed: &Seed, class: Class, rng: &mut Rng) -> Option<Mutant> {
    let mutant = if class.is_byte_level() {
        Mutant::from_bytes(mutate_bytes(seed.text.as_bytes(), class, rng)?)
    } else {
        let mut value = seed.value.clone();
        mutate_value(&mut value, seed.format, class, rng)?;
        if value == seed.value {
            return None;
        }
        Mutant::Text(seed.render(&value))
    };
    (mutant.as_bytes() != seed.text.as_bytes()).then_some(mutant)
}

/// Applies one structural mutation of `class` to `doc`; `None` when it
/// found nowhere to apply it.
pub fn mutate_value(doc: &mut Value, format: Format, class: Class, rng: &mut Rng) -> Option<()> {
    match class {
        Class::DeleteKey => {
            let path = tree::pick(doc, rng, &|path, _| key_at(path, 0).is_some())?;
            tree::remove(doc, &path).map(drop)
        }
        Class::ChangeType => change_type(doc, rng),
        Class::EmptyString => edit_string(doc, format, rng, &|_, _| String::new()),
        Class::HugeString => edit_string(doc, format, rng, &|s, rng| huge(s, rng)),
        Class::ControlChars => edit_string(doc, format, rng, &|s, rng| {
            let piece = *rng.pick(CONTROL);
            insert_piece(s, piece, rng)
        }),
        Class::NonAscii => edit_string(doc, format, rng, &|s, rng| {
            if rng.chance(1, 4) {
                (*rng.pick(NON_ASCII_NAMES)).to_owned()
            } else {
                {
                    let piece = *rng.pick(NON_ASCII);
                    insert_piece(s, piece, rng)
                }
            }
        }),
        Class::SyntaxChars => edit_string(doc, format, rng, &|s, rng| {
            let piece = *rng.pick(SYNTAX);
            insert_piece(s, piece, rng)
        }),
        Class::KeywordName => keyword_name(doc, format, rng),
        Class::CollidingNames => colliding_names(doc, format, rng),
        Class::RefCycle => ref_cycle(doc, format, rng),
        Class::DanglingRef => dangling_ref(doc, format, rng),
        Class::DeepNesting => deep_nesting(doc, format, rng),
        Class::PathTemplate => path_template(doc, format, rng),
        Class::Pattern => pattern(doc, format, rng),
        Class::ByteFlip
        | Class::ByteInsert
        | Class::ByteDelete
        | Class::Truncate
        | Class::InvalidUtf8 => None,
    }
}

/// The bounded size of a huge string.
pub const HUGE: usize = 64 * 1024;

const CONTROL: &[&str] = &[
    "\r", "\0", "\u{7}", "\n", "\r\n", "\t", "\u{8}", "\u{b}", "\u{c}", "\u{1b}", "\u{7f}",
    "\u{85}", "\u{2028}", "\u{2029}", "\n\n", "\r\r",
];

const NON_ASCII: &[&str] = &[
    "é",
    "ß",
    "İ",
    "ı",
    "ǅ",
    "Ω",
    "🦀",
    "👨\u{200d}👩\u{200d}👧",
    "\u{202e}",
    "\u{200d}",
    "\u{200b}",
    "\u{feff}",
    "\u{301}",
    "漢字",
    "Ａ",
    "ﬃ",
    "𝔘",
    "ﾞ",
    "\u{fffd}",
    "\u{10ffff}",
];

/// Whole names in other scripts or with no letter at all.
const NON_ASCII_NAMES: &[&str] = &[
    "名前",
    "имя",
    "café",
    "Straße",
    "🦀",
    "ΑΒΓ",
    "\u{202e}abc",
    "ﬁle",
    "ǅx",
    "_é",
    "٣",
];

const SYNTAX: &[&str] = &[
    "*/",
    "/*",
    "\"",
    "\\",
    "`",
    "```",
    "```rust\nfn main() {}\n```",
    "#[",
    "#![deny(warnings)]",
    "\"#",
    "r#\"",
    "'",
    "{",
    "}",
    "{{",
    "}}",
    "[",
    "]",
    "[x]",
    "<",
    ">",
    "<script>",
    "&",
    "$",
    "%",
    "%s",
    "{}",
    "{0}",
    "\\u{0}",
    "\\n",
    "<!--",
    "-->",
    "//",
    "///",
    "//!",
    "\n# Heading\n",
    "\n    indented code\n",
    "[link](javascript:alert(1))",
    "<https://example.com>",
    "http://[::1]:x/",
    ";",
    "--",
    "#",
    "\\\"",
    "$(echo)",
    "${x}",
];

/// Rust keywords and names the generated code itself uses.
const KEYWORDS: &[&str] = &[
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "async",
    "await",
    "dyn",
    "fn",
    "mod",
    "move",
    "ref",
    "static",
    "struct",
    "trait",
    "true",
    "false",
    "union",
    "use",
    "where",
    "while",
    "yield",
    "gen",
    "try",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "typeof",
    "unsized",
    "virtual",
    "match",
    "impl",
    "enum",
    "loop",
    "return",
    "r#type",
    "_",
    "__",
    "a_",
    "a-",
    "_a",
    "-",
    ".",
    "1",
    "1a",
    "0",
    "Client",
    "Error",
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Send",
    "Sync",
    "Sized",
    "Into",
    "From",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "request",
    "response",
    "body",
    "new",
    "builder",
    "send",
    "dry_run",
    "pages",
    "items",
    "poller",
    "download",
    "upload",
    "SCOPES",
    "Scope",
    "UNKNOWN_VALUE",
    "UnknownValue",
    "Unknown",
    "runtime",
    "models",
    "resources",
    "dispatch",
    "names",
    "params",
    "security",
    "servers",
    "lib",
    "crate_",
    "self_",
    "Self_",
    "set_type",
    "as_str",
    "fmt",
    "clone",
    "hash",
    "eq",
];

/// Keys whose object value maps names (of schemas, fields, parameters,
/// resources, methods, scopes) to their definitions.
const NAME_MAPS: &[&str] = &[
    "schemas",
    "properties",
    "parameters",
    "resources",
    "methods",
    "scopes",
    "securitySchemes",
    "requestBodies",
    "headers",
    "callbacks",
    "webhooks",
];

/// A member whose key is a name: a schema, field, parameter, resource,
/// method or scope.
fn name_key(path: &[Step], _: &Value) -> bool {
    key_at(path, 0).is_some() && key_at(path, 1).is_some_and(|k| NAME_MAPS.contains(&k))
}

/// A string value that names something: an operation, a method id, a
/// parameter's `name`, an enum value, a tag.
fn name_value(path: &[Step], value: &Value) -> bool {
    value.is_string()
        && (matches!(key_at(path, 0), Some("operationId" | "id"))
            || (key_at(path, 0) == Some("name")
                && path.iter().any(|s| s.key() == Some("parameters")))
            || (matches!(path.last(), Some(Step::Index(_)))
                && matches!(key_at(path, 1), Some("enum" | "tags" | "parameterOrder"))))
}

/// Edits a string: a name (key) 35%, a naming value 20%, any string value
/// 35%, any key 10%, falling back to the others when a kind is absent.
fn edit_string(
    doc: &mut Value,
    format: Format,
    rng: &mut Rng,
    edit: &dyn Fn(&str, &mut Rng) -> String,
) -> Option<()> {
    let roll = rng.below(100);
    let order: [u8; 4] = match roll {
        0..35 => [0, 1, 2, 3],
        35..55 => [1, 0, 2, 3],
        55..90 => [2, 0, 1, 3],
        _ => [3, 0, 1, 2],
    };
    for kind in order {
        let path = match kind {
            0 => tree::pick(doc, rng, &name_key),
            1 => tree::pick(doc, rng, &name_value),
            2 => tree::pick(doc, rng, &|_, v| v.is_string()),
            _ => tree::pick(doc, rng, &|path, _| key_at(path, 0).is_some()),
        };
        let Some(path) = path else { continue };
        if kind == 0 || kind == 3 {
            let old = key_at(&path, 0)?.to_owned();
            let new = edit(&old, rng);
            rename_name(doc, format, &path, &new);
        } else {
            let node = tree::get_mut(doc, &path)?;
            let new = edit(node.as_str()?, rng);
            *node = Value::String(new);
        }
        return Some(());
    }
    None
}

/// Renames the member at `path` to `new` and, where the spec refers to it
/// by name, the references too (a schema's `$ref`s and `id`, a Discovery
/// parameter's `parameterOrder` entry and path variable), so the mutant
/// tests the new name rather than a broken reference.
fn rename_name(doc: &mut Value, format: Format, path: &[Step], new: &str) {
    let Some(old) = key_at(path, 0).map(str::to_owned) else {
        return;
    };
    if !tree::rename(doc, path, new) {
        return;
    }
    let schemas = schemas_path(format);
    if path.len() == schemas.len() + 1 && path[..schemas.len()] == schemas[..] {
        tree::replace_strings(doc, "$ref", &ref_to(format, &old), &ref_to(format, new));
        if let Some(Value::Object(schema)) =
            tree::get_mut(doc, &with_key(&path[..path.len() - 1], new))
        {
            if schema.get("id").and_then(Value::as_str) == Some(&old) {
                schema.insert("id".to_owned(), Value::String(new.to_owned()));
            }
        }
    }
    if format == Format::Discovery && key_at(path, 1) == Some("parameters") && path.len() >= 3 {
        if let Some(Value::Object(method)) = tree::get_mut(doc, &path[..path.len() - 2]) {
            if let Some(Value::Array(order)) = method.get_mut("parameterOrder") {
                for item in order {
                    if item.as_str() == Some(&old) {
                        *item = Value::String(new.to_owned());
                    }
                }
            }
            for field in ["path", "flatPath"] {
                if let Some(Value::String(template)) = method.get_mut(field) {
                    *template = template
                        .replace(&format!("{{{old}}}"), &format!("{{{new}}}"))
                        .replace(&format!("{{+{old}}}"), &format!("{{+{new}}}"));
                }
            }
        }
    }
}

fn with_key(parent: &[Step], key: &str) -> Path {
    let mut path = parent.to_vec();
    path.push(Step::Key(key.to_owned()));
    path
}

/// Where named schemas live.
fn schemas_path(format: Format) -> Path {
    match format {
        Format::Discovery => vec![Step::Key("schemas".into())],
        _ => vec![Step::Key("components".into()), Step::Key("schemas".into())],
    }
}

/// How a `$ref` names the schema `name`.
fn ref_to(format: Format, name: &str) -> String {
    match format {
        Format::Discovery => name.to_owned(),
        _ => format!(
            "#/components/schemas/{}",
            name.replace('~', "~0").replace('/', "~1")
        ),
    }
}

/// `s` with `piece` inserted at a random character boundary, or replacing
/// it whole (one time in five).
fn insert_piece(s: &str, piece: &str, rng: &mut Rng) -> String {
    if s.is_empty() || rng.chance(1, 5) {
        return piece.to_owned();
    }
    let boundaries: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
    let at = *rng.pick(&boundaries);
    format!("{}{piece}{}", &s[..at], &s[at..])
}

/// A string of [`HUGE`] bytes: `s` repeated (a very long name of the same
/// shape), or one letter, or a long word with separators.
fn huge(s: &str, rng: &mut Rng) -> String {
    let unit = match rng.below(3) {
        0 if !s.is_empty() => s.to_owned(),
        1 => "a".to_owned(),
        _ => "segment_".to_owned(),
    };
    let mut out = String::with_capacity(HUGE + unit.len());
    while out.len() + unit.len() <= HUGE {
        out.push_str(&unit);
    }
    out
}

fn change_type(doc: &mut Value, rng: &mut Rng) -> Option<()> {
    let path = tree::pick(doc, rng, &|path, _| !path.is_empty())?;
    let node = tree::get_mut(doc, &path)?;
    let original = node.clone();
    let candidates = [
        Value::Null,
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(1e300),
        json!(""),
        json!("x"),
        json!("true"),
        json!("1"),
        json!([]),
        json!([original.clone()]),
        json!({}),
        json!({"x": original.clone()}),
    ];
    let kind = |v: &Value| std::mem::discriminant(v);
    let others: Vec<&Value> = candidates
        .iter()
        .filter(|c| kind(c) != kind(&original))
        .collect();
    *node = (*rng.pick(&others)).clone();
    Some(())
}

fn keyword_name(doc: &mut Value, format: Format, rng: &mut Rng) -> Option<()> {
    let keyword = *rng.pick(KEYWORDS);
    let key = rng.chance(2, 3);
    let first = if key {
        tree::pick(doc, rng, &name_key)
    } else {
        tree::pick(doc, rng, &name_value)
    };
    let path = first.or_else(|| tree::pick(doc, rng, &name_key))?;
    if name_key(&path, &Value::Null) {
        rename_name(doc, format, &path, keyword);
    } else {
        *tree::get_mut(doc, &path)? = Value::String(keyword.to_owned());
    }
    Some(())
}

/// A name that differs from `name` only by case or separators.
pub fn colliding_variant(name: &str, rng: &mut Rng) -> String {
    use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
    for _ in 0..12 {
        let variant = match rng.below(12) {
            0 => name.to_snake_case(),
            1 => name.to_lower_camel_case(),
            2 => name.to_upper_camel_case(),
            3 => name.to_shouty_snake_case(),
            4 => name.to_kebab_case(),
            5 => name.to_lowercase(),
            6 => name.to_uppercase(),
            7 => format!("{name}_"),
            8 => format!("_{name}"),
            9 => name.replace('_', "__").replace('-', "--"),
            10 => name.to_snake_case().replace('_', "."),
            _ => {
                let mut chars: Vec<char> = name.chars().collect();
                if let Some(first) = chars.first_mut() {
                    *first = if first.is_uppercase() {
                        first.to_lowercase().next().unwrap_or(*first)
                    } else {
                        first.to_uppercase().next().unwrap_or(*first)
                    };
                }
                chars.into_iter().collect()
            }
        };
        if variant != name {
            return variant;
        }
    }
    format!("{name}_")
}

fn colliding_names(doc: &mut Value, format: Format, rng: &mut Rng) -> Option<()> {
    let enum_item = |path: &[Step], v: &Value| {
        v.is_string()
            && matches!(path.last(), Some(Step::Index(_)))
            && key_at(path, 1) == Some("enum")
    };
    let parameter_item = |path: &[Step], v: &Value| {
        v.get("name").is_some_and(Value::is_string)
            && matches!(path.last(), Some(Step::Index(_)))
            && key_at(path, 1) == Some("parameters")
    };
    let order = match rng.below(12) {
        0..6 => [0, 1, 2, 3],
        6..8 => [1, 0, 2, 3],
        8..10 => [2, 0, 1, 3],
        _ => [3, 0, 1, 2],
    };
    for kind in order {
        match kind {
            3 => {
                if nested_namesake(doc, format, rng).is_none() {
                    continue;
                }
            }
            0 => {
                let Some(path) = tree::pick(doc, rng, &name_key) else {
                    continue;
                };
                let name = key_at(&path, 0)?.to_owned();
                let variant = colliding_variant(&name, rng);
                let Some(Value::Object(map)) = tree::get_mut(doc, &path[..path.len() - 1]) else {
                    continue;
                };
                // A copy, or (one time in three) another member's value, so
                // the colliding names also disagree on what they are.
                let keys: Vec<String> = map.keys().cloned().collect();
                let source = if rng.chance(1, 3) {
                    rng.pick(&keys).clone()
                } else {
                    name
                };
                let value = map.get(&source)?.clone();
                map.insert(variant, value);
            }
            1 => {
                let Some(path) = tree::pick(doc, rng, &enum_item) else {
                    continue;
                };
                let name = tree::get(doc, &path)?.as_str()?.to_owned();
                let variant = colliding_variant(&name, rng);
                let Some(Value::Array(items)) = tree::get_mut(doc, &path[..path.len() - 1]) else {
                    continue;
                };
                items.push(Value::String(variant));
                // Discovery keeps a description per value, in step.
                let descriptions = with_key(&path[..path.len() - 2], "enumDescriptions");
                if let Some(Value::Array(texts)) = tree::get_mut(doc, &descriptions) {
                    texts.push(json!("a colliding value"));
                }
            }
            _ => {
                let Some(path) = tree::pick(doc, rng, &parameter_item) else {
                    continue;
                };
                let mut copy = tree::get(doc, &path)?.clone();
                let name = copy.get("name")?.as_str()?.to_owned();
                copy["name"] = Value::String(colliding_variant(&name, rng));
                let Some(Value::Array(items)) = tree::get_mut(doc, &path[..path.len() - 1]) else {
                    continue;
                };
                items.push(copy);
            }
        }
        return Some(());
    }
    None
}

/// A resource named as the resource holding it (`a` in `a`): Discovery's
/// `resources.a.resources.a`, OpenAPI's `operationId: a.a.get`.
fn nested_namesake(doc: &mut Value, format: Format, rng: &mut Rng) -> Option<()> {
    if format == Format::Discovery {
        let path = tree::pick(doc, rng, &|path, v| {
            v.is_object() && key_at(path, 1) == Some("resources") && key_at(path, 0).is_some()
        })?;
        let name = key_at(&path, 0)?.to_owned();
        let resource = tree::get_mut(doc, &path)?.as_object_mut()?;
        let methods = resource
            .get("methods")
            .cloned()
            .unwrap_or_else(|| json!({}));
        let children = resource.entry("resources").or_insert_with(|| json!({}));
        if !children.is_object() {
            *children = json!({});
        }
        children[name.as_str()] = json!({ "methods": methods });
    } else {
        let path = tree::pick(doc, rng, &|path, v| {
            key_at(path, 0) == Some("operationId") && v.is_string()
        })?;
        let node = tree::get_mut(doc, &path)?;
        let old = node.as_str()?.to_owned();
        let new = match old.split_once('.') {
            Some((first, _)) => format!("{first}.{old}"),
            None => format!("group.group.{old}"),
        };
        *node = Value::String(new);
    }
    Some(())
}

/// The named schemas of the document, creating an empty map if it has none.
fn schemas_mut(doc: &mut Value, format: Format) -> Option<&mut Map<String, Value>> {
    let mut node = doc;
    for step in schemas_path(format) {
        let Step::Key(key) = step else { return None };
        let map = node.as_object_mut()?;
        node = map.entry(key).or_insert_with(|| json!({}));
    }
    node.as_object_mut()
}

fn ref_cycle(doc: &mut Value, format: Format, rng: &mut Rng) -> Option<()> {
    let openapi = format != Format::Discovery;
    let variants = if openapi { 9 } else { 6 };
    let variant = rng.below(variants);
    if variant == 8 {
        // A parameter, response or body that refers to itself, used by an operation.
        let path = tree::pick(doc, rng, &|path, v| {
            key_at(path, 0) == Some("$ref")
                && v.as_str().is_some_and(|r| {
                    r.starts_with("#/components/") && !r.starts_with("#/components/schemas/")
                })
        });
        if let Some(path) = path {
            let target = tree::get(doc, &path)?.as_str()?.to_owned();
            let pointer = target.trim_start_matches('#').to_owned();
            *doc.pointer_mut(&pointer)? = json!({ "$ref": target });
            return Some(());
        }
    }
    let schemas = schemas_mut(doc, format)?;
    let mut names: Vec<String> = schemas.keys().cloned().collect();
    if names.is_empty() {
        names = vec!["Cycle".to_owned(), "Cycle2".to_owned()];
        for name in &names {
            schemas.insert(name.clone(), json!({"type": "object", "id": name}));
        }
    }
    let a = rng.pick(&names).clone();
    let b = rng.pick(&names).clone();
    let to = |name: &str| json!({ "$ref": ref_to(format, name) });
    let property = |schemas: &mut Map<String, Value>, owner: &str, field: &str, target: Value| {
        let schema = schemas.entry(owner.to_owned()).or_insert_with(|| json!({}));
        if !schema.is_object() {
            *schema = json!({});
        }
        schema["type"] = json!("object");
        let properties = schema
            .as_object_mut()
            .map(|s| s.entry("properties").or_insert_with(|| json!({})));
        if let Some(properties) = properties {
            if !properties.is_object() {
                *properties = json!({});
            }
            properties[field] = target;
        }
    };
    match variant {
        0 => {
            schemas.insert(a.clone(), to(&a));
        }
        1 => {
            schemas.insert(a.clone(), to(&b));
            schemas.insert(b.clone(), to(&a));
        }
        2 => {
            schemas.insert(a.clone(), json!({"type": "array", "items": to(&a)}));
        }
        3 => {
            schemas.insert(
                a.clone(),
                json!({"type": "object", "additionalProperties": to(&a)}),
            );
        }
        4 => {
            property(schemas, &a, "next", to(&b));
            property(schemas, &b, "previous", to(&a));
        }
        5 => {
            // A cycle through an alias: A holds B, B is a list of A.
            property(schemas, &a, "children", to(&b));
            schemas.insert(b.clone(), json!({"type": "array", "items": to(&a)}));
        }
        6 => {
            schemas.insert(a.clone(), json!({"allOf": [to(&a)]}));
        }
        _ => {
            schemas.insert(a.clone(), json!({"allOf": [to(&b)]}));
            schemas.insert(b.clone(), json!({"oneOf": [to(&a), {"type": "string"}]}));
        }
    }
    Some(())
}

fn dangling_ref(doc: &mut Value, format: Format, rng: &mut Rng) -> Option<()> {
    let existing = tree::pick(doc, rng, &|path, v| {
        key_at(path, 0) == Some("$ref") && v.is_string()
    });
    let old = existing
        .as_ref()
        .and_then(|path| tree::get(doc, path))
        .and_then(Value::as_str)
        .unwrap_or("Thing")
        .to_owned();
    let dangling = match format {
        Format::Discovery => match rng.below(8) {
            0 => "Missing".to_owned(),
            1 => String::new(),
            2 => "#/components/schemas/Missing".to_owned(),
            3 => old.to_lowercase(),
            4 => format!("{old} "),
            5 => format!("{old}\0"),
            6 => format!("schemas/{old}"),
            _ => format!("{old}.Missing"),
        },
        _ => {
            let name = old.rsplit('/').next().unwrap_or("Thing").to_owned();
            match rng.below(14) {
                0 => "#/components/schemas/Missing".to_owned(),
                1 => "#/components/schemas/".to_owned(),
                2 => "#/".to_owned(),
                3 => "#".to_owned(),
                4 => String::new(),
                5 => format!("#/components/parameters/{name}"),
                6 => "missing.yaml".to_owned(),
                7 => "missing.yaml#/components/schemas/X".to_owned(),
                8 => "https://example.com/schemas.json#/X".to_owned(),
                9 => "#/components/schemas/a~1b~2".to_owned(),
                10 => format!("#/components/schemas/{}", name.to_lowercase()),
                11 => format!("#/components/schemas/{name}/properties/missing"),
                12 => "#/info".to_owned(),
                _ => format!("{old}%20"),
            }
        }
    };
    let dangling = if dangling == old {
        format!("{old}Missing")
    } else {
        dangling
    };
    match existing {
        Some(path) => *tree::get_mut(doc, &path)? = Value::String(dangling),
        None => {
            let path = tree::pick(doc, rng, &is_schema)?;
            *tree::get_mut(doc, &path)? = json!({ "$ref": dangling });
        }
    }
    Some(())
}

/// A schema: a named one, a field's, an item's, a map value's, a
/// parameter's or a body's.
fn is_schema(path: &[Step], value: &Value) -> bool {
    value.is_object()
        && (matches!(key_at(path, 1), Some("properties" | "schemas"))
            || matches!(
                key_at(path, 0),
                Some("items" | "additionalProperties" | "schema" | "request" | "response")
            )
            || (matches!(path.last(), Some(Step::Index(_)))
                && matches!(key_at(path, 1), Some("allOf" | "oneOf" | "anyOf"))))
}

fn deep_nesting(doc: &mut Value, format: Format, rng: &mut Rng) -> Option<()> {
    const DEPTHS: &[usize] = &[2, 3, 8, 16, 31, 32, 33, 62, 63, 64, 65, 100, 126, 127, 130];
    let path = tree::pick(doc, rng, &is_schema)?;
    let depth = *rng.pick(DEPTHS);
    let style = rng.below(4);
    let node = tree::get_mut(doc, &path)?;
    let mut schema = std::mem::take(node);
    for _ in 0..depth {
        let kind = if style == 3 { rng.below(4) } else { style };
        schema = match kind {
            0 => json!({"type": "array", "items": schema}),
            1 => json!({"type": "object", "additionalProperties": schema}),
            2 => json!({"type": "object", "properties": {"x": schema}}),
            _ if format != Format::Discovery => json!({"allOf": [schema]}),
            _ => json!({"type": "array", "items": schema}),
        };
    }
    *node = schema;
    Some(())
}

const TEMPLATES: &[&str] = &[
    "{",
    "}",
    "{+}",
    "{}",
    "..",
    ".",
    "%2F",
    "{x=**}/a",
    "{+name}/{name}",
    "//",
    "/",
    "",
    "?q=1",
    "#f",
    "{a}{b}",
    "{{a}}",
    "{a=*/**/c}",
    "{a.b}",
    "{ }",
    "{na me}",
    "{名}",
    "{a=}",
    "{=a}",
    "{+name=**}",
    ":verb",
    "{name}:{verb}",
    "*",
    "**",
    "{name=projects/*}/{name=locations/*}",
    "{$}",
    "\\",
    "%",
    "%zz",
    "{a:b}",
    "{a?}",
    "{/a}",
    "{;a}",
    "{&a}",
    "{.a}",
    "{#a}",
    "v1/{+name}:cancel:now",
    "{x}/{x}",
    "a/../b",
    "./a",
    "{type}",
    "{self}",
    "{-}",
    "{0}",
];

fn template_variant(old: &str, rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => (*rng.pick(TEMPLATES)).to_owned(),
        1 | 2 => {
            let piece = *rng.pick(TEMPLATES);
            insert_piece(old, piece, rng)
        }
        3 => {
            // One variable written another way.
            let Some(open) = old.find('{') else {
                return format!("{old}{}", rng.pick(TEMPLATES));
            };
            let Some(close) = old[open..].find('}').map(|c| open + c) else {
                return format!("{old}}}");
            };
            let name = old[open + 1..close].trim_start_matches('+');
            let name = name.split('=').next().unwrap_or(name);
            let forms = [
                format!("{{+{name}}}"),
                format!("{{{name}=**}}"),
                format!("{{{name}=*}}"),
                format!("{{{name}=a/*}}/{{{name}}}"),
                format!("{{ {name} }}"),
                format!("{{{}}}", name.to_uppercase()),
                format!("{{{name}-x}}"),
                format!("{{{name}.x}}"),
                format!("{{{name}}}{{{name}}}"),
                format!("{{{name}"),
                format!("{{{name}=}}"),
            ];
            format!("{}{}{}", &old[..open], rng.pick(&forms), &old[close + 1..])
        }
        4 => format!("{old}/{old}"),
        _ => format!(
            "{old}{}",
            rng.pick(&[":verb", ":", "::", ":a:b", "/", "//", "/.."])
        ),
    }
}

fn path_template(doc: &mut Value, format: Format, rng: &mut Rng) -> Option<()> {
    if format == Format::Discovery {
        let method = tree::pick(doc, rng, &|_, v| {
            v.get("httpMethod").is_some() && v.get("path").is_some_and(Value::is_string)
        })?;
        let method = tree::get_mut(doc, &method)?.as_object_mut()?;
        let field = if method.contains_key("flatPath") && rng.chance(1, 3) {
            "flatPath"
        } else {
            "path"
        };
        let old = method.get(field)?.as_str()?.to_owned();
        method.insert(field.to_owned(), Value::String(template_variant(&old, rng)));
    } else {
        let path = tree::pick(doc, rng, &|path, _| {
            path.len() == 2 && path[0] == Step::Key("paths".into()) && key_at(path, 0).is_some()
        })?;
        let old = key_at(&path, 0)?.to_owned();
        let new = template_variant(&old, rng);
        tree::rename(doc, &path, &new);
    }
    Some(())
}

const PATTERNS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "^$",
    "",
    "a|b",
    "^(a|b)/[^/]+$",
    ".*",
    "^.*$",
    "^projects/[^/]+/.*$",
    "\\",
    "[^/]+[^/]+",
    "a{2,1}",
    "^^$$",
    "(?i)x",
    "^projects/[^/]+$|^folders/[^/]+$",
    "^[^/]+/[^/]+/[^/]+$",
    "^projects/[^/]+/locations/[^/]+/.*$",
    "^\\d+$",
    "^[a-z]{1,10}$",
    "^/$",
    "^projects/{project}$",
    "\\p{L}+",
    "(?P<n>x)",
    "x**",
    "^[^/]+/..$",
    "^../[^/]+$",
    "^%2F$",
    "^[^/]+$/",
    "^projects/[^/]+/[^/]+$",
    "^projects/[^/]*$",
    "^projects/[^/]+/$",
    "^projects//[^/]+$",
    "^/projects/[^/]+$",
    "projects/[^/]+",
    "^projects/[^/]+/.*/x$",
    "^[^/]+$[^/]+$",
    "^folders/[0-9]{0,20}$",
    "^(?:projects|folders)/[^/]+$",
    "^🦀/[^/]+$",
    "^type/[^/]+$",
];

fn pattern(doc: &mut Value, format: Format, rng: &mut Rng) -> Option<()> {
    let value = Value::String((*rng.pick(PATTERNS)).to_owned());
    let is_parameter = |path: &[Step], v: &Value| {
        v.is_object()
            && (key_at(path, 1) == Some("parameters")
                || (matches!(path.last(), Some(Step::Index(_)))
                    && key_at(path, 1) == Some("parameters")))
    };
    let in_path = |v: &Value| {
        v.get("location").and_then(Value::as_str) == Some("path")
            || v.get("in").and_then(Value::as_str) == Some("path")
    };
    let path = if rng.chance(2, 3) {
        tree::pick(doc, rng, &|p, v| is_parameter(p, v) && in_path(v))
    } else {
        None
    };
    let path = path.or_else(|| tree::pick(doc, rng, &is_parameter));
    match path {
        Some(path) => {
            let parameter = tree::get_mut(doc, &path)?.as_object_mut()?;
            if format == Format::Discovery || parameter.contains_key("$ref") {
                parameter.insert("pattern".to_owned(), value);
            } else {
                let schema = parameter
                    .entry("schema")
                    .or_insert_with(|| json!({"type": "string"}));
                if !schema.is_object() {
                    *schema = json!({"type": "string"});
                }
                schema["pattern"] = value;
            }
        }
        None => {
            let path = tree::pick(doc, rng, &is_schema)?;
            tree::get_mut(doc, &path)?
                .as_object_mut()?
                .insert("pattern".to_owned(), value);
        }
    }
    Some(())
}

/// Bytes that mean something to JSON or YAML.
const MEANINGFUL: &[u8] = b"{}[]\":,\\\n\r\t -#&*!|>'%@`?0123456789.eE+";

fn mutate_bytes(text: &[u8], class: Class, rng: &mut Rng) -> Option<Vec<u8>> {
    let mut bytes = text.to_vec();
    if bytes.is_empty() {
        return None;
    }
    match class {
        Class::ByteFlip => {
            for _ in 0..rng.range(1, 4) {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
        }
        Class::ByteInsert => {
            let at = rng.below(bytes.len() + 1);
            let inserted: Vec<u8> = (0..rng.range(1, 8))
                .map(|_| {
                    if rng.chance(3, 4) {
                        *rng.pick(MEANINGFUL)
                    } else {
                        rng.range(0x20, 0x7e) as u8
                    }
                })
                .collect();
            bytes.splice(at..at, inserted);
        }
        Class::ByteDelete => {
            let at = rng.below(bytes.len());
            let end = (at + rng.range(1, 16)).min(bytes.len());
            bytes.drain(at..end);
        }
        Class::Truncate => {
            bytes.truncate(rng.below(bytes.len()));
        }
        Class::InvalidUtf8 => {
            const INVALID: &[&[u8]] = &[
                b"\xff",
                b"\xfe",
                b"\xc0\x80",
                b"\x80",
                b"\xed\xa0\x80",
                b"\xf4\x90\x80\x80",
                b"\xe2\x82",
            ];
            let at = rng.below(bytes.len() + 1);
            bytes.splice(at..at, rng.pick(INVALID).iter().copied());
        }
        _ => return None,
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DISCOVERY: &str = r#"{
      "kind": "discovery#restDescription", "discoveryVersion": "v1",
      "name": "tiny", "version": "v1", "rootUrl": "https://tiny.example.com/", "servicePath": "",
      "schemas": {
        "Thing": {"id": "Thing", "type": "object", "properties": {
          "name": {"type": "string"},
          "state": {"type": "string", "enum": ["ON", "OFF"], "enumDescriptions": ["on", "off"]},
          "owner": {"$ref": "Owner"}}},
        "Owner": {"id": "Owner", "type": "object", "properties": {"id": {"type": "string"}}}
      },
      "resources": {"things": {"methods": {"get": {
        "id": "tiny.things.get", "httpMethod": "GET", "path": "v1/{+name}",
        "parameterOrder": ["name"],
        "parameters": {"name": {"type": "string", "location": "path", "required": true,
                                "pattern": "^things/[^/]+$"}},
        "response": {"$ref": "Thing"}
      }}}}
    }"#;

    const OPENAPI: &str = "openapi: 3.0.0
info: {title: Tiny, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {$ref: '#/components/parameters/Limit'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
        kind: {type: string, enum: [a, b]}
";

    fn seeds() -> Vec<Seed> {
        vec![
            Seed::parse("tiny.json".into(), "tiny.json".into(), DISCOVERY.into()).unwrap(),
            Seed::parse("tiny.yaml".into(), "tiny.yaml".into(), OPENAPI.into()).unwrap(),
        ]
    }

    #[test]
    fn every_class_changes_every_seed() {
        for seed in seeds() {
            for class in Class::ALL {
                for n in 0..40 {
                    let mut rng = Rng::for_mutant(n, 0);
                    // As the fuzzer does, a mutation that finds nothing to
                    // change is drawn again.
                    let mutant = (0..8)
                        .find_map(|_| mutate(&seed, class, &mut rng))
                        .unwrap_or_else(|| {
                            panic!("{} made nothing of {}", class.name(), seed.file)
                        });
                    assert_ne!(mutant.as_bytes(), seed.text.as_bytes());
                    if class == Class::InvalidUtf8 {
                        assert!(matches!(mutant, Mutant::Bytes(_)));
                    }
                    if !class.is_byte_level() {
                        let Mutant::Text(text) = &mutant else {
                            panic!("{} made bytes", class.name())
                        };
                        // Structural mutants stay documents of the seed's
                        // syntax (those nested past the parsers' depth limit
                        // aside).
                        assert_eq!(codegen::input::is_json(text), !seed.yaml);
                        match codegen::input::parse_any("m", text) {
                            Ok(value) => assert_ne!(value, seed.value, "{}", class.name()),
                            Err(e) => assert!(
                                class == Class::DeepNesting
                                    && e.to_string().contains("recursion limit"),
                                "{}: {e}",
                                class.name()
                            ),
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn mutants_are_deterministic() {
        for seed in seeds() {
            for class in Class::ALL {
                let a = mutate(&seed, class, &mut Rng::for_mutant(9, 3));
                let b = mutate(&seed, class, &mut Rng::for_mutant(9, 3));
                assert_eq!(a, b, "{}", class.name());
            }
        }
    }

    #[test]
    fn a_renamed_schema_keeps_its_references() {
        let seed = &seeds()[0];
        let mut doc = seed.value.clone();
        let path = vec![Step::Key("schemas".into()), Step::Key("Owner".into())];
        rename_name(&mut doc, Format::Discovery, &path, "type");
        assert_eq!(doc["schemas"]["type"]["id"], json!("type"));
        assert_eq!(
            doc["schemas"]["Thing"]["properties"]["owner"]["$ref"],
            json!("type")
        );
        let parameter = tree::all(&doc, &|p, _| {
            key_at(p, 0) == Some("name") && key_at(p, 1) == Some("parameters")
        });
        rename_name(&mut doc, Format::Discovery, &parameter[0], "self");
        let method = &doc["resources"]["things"]["methods"]["get"];
        assert_eq!(method["parameterOrder"], json!(["self"]));
        assert_eq!(method["path"], json!("v1/{+self}"));
    }

    #[test]
    fn variants_collide_and_huge_strings_are_bounded() {
        let mut rng = Rng::new(4);
        for name in ["fooBar", "foo_bar", "X", "a-b", "名前"] {
            for _ in 0..20 {
                assert_ne!(colliding_variant(name, &mut rng), name);
            }
        }
        for _ in 0..10 {
            let s = huge("fooBar", &mut rng);
            assert!(s.len() <= HUGE && s.len() > HUGE - 16, "{}", s.len());
        }
    }
}
