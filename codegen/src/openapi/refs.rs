//! `$ref` resolution, before the document is read into typed objects.
//!
//! After [`bundle`], the only references left are `#/components/schemas/<name>`
//! of the main document, which become named Rust types. Every other
//! reference is resolved here:
//! - a schema in another file (or another file's `components`) is copied
//!   into the main document's `components/schemas`, named after its last
//!   pointer segment (or the file's stem), with the first free numeric suffix
//!   when that name is taken; the reference then points at the copy, so
//!   recursive schemas across files stay recursive types;
//! - any other reference (parameters, request bodies, responses, path
//!   items, and schemas at a deeper pointer) is replaced by its target,
//!   whose sibling keys (`description`, `summary`) override the target's.
//!
//! A reference that loops back on itself without a named schema between,
//! a missing target, and a remote (`http:`) reference are errors naming
//! the JSON path of the `$ref`.

use crate::error::Error;
use crate::lower::limits::{INLINED_ALLOWANCE, INLINED_PER_VALUE, MAX_INLINED_DEPTH};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// Reads files a spec refers to, by path relative to the main spec's folder.
pub trait SpecReader {
    /// The text of the file at `path` (`/`-separated, relative to the main spec).
    fn read(&self, path: &str) -> Result<String, String>;
}

/// A reader for a spec without a folder: every external reference is an error.
pub struct NoFiles;

impl SpecReader for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!(
            "`{path}` cannot be read: the spec was given as text, without its folder"
        ))
    }
}

/// The key `bundle` adds to a parameter it resolved from
/// `#/components/parameters/<name>`, holding the name.
pub const COMPONENT_KEY: &str = "x-codegen-component";

/// What stands where a value is being walked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// A schema.
    Schema,
    /// A list or map of schemas (`allOf`, `properties`, `components/schemas`).
    Each,
    /// Anything else.
    Other,
}

/// Where schema contexts begin and continue: values under these keys are schemas.
const SCHEMA_CHILD_KEYS: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "if",
    "then",
    "else",
];
/// Keys whose values are lists of schemas.
const SCHEMA_LIST_KEYS: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems"];
/// Keys whose values are maps of schemas.
const SCHEMA_MAP_KEYS: &[&str] = &["properties", "patternProperties", "$defs", "definitions"];

/// Resolves every reference of `root` (the main document, read from
/// `file`) as the module docs say.
pub fn bundle(file: &str, root: Value, reader: &dyn SpecReader) -> Result<Value, Error> {
    bundle_within(file, root, reader, INLINED_ALLOWANCE)
}

/// [`bundle`], with `allowance` values allowed beside
/// [`INLINED_PER_VALUE`] per value of the files (tests use less than
/// [`INLINED_ALLOWANCE`] to be quick).
fn bundle_within(
    file: &str,
    root: Value,
    reader: &dyn SpecReader,
    allowance: usize,
) -> Result<Value, Error> {
    let mut bundler = Bundler {
        file,
        reader,
        documents: BTreeMap::new(),
        hoisted: BTreeMap::new(),
        taken: BTreeSet::new(),
        new_schemas: Vec::new(),
        inlining: Vec::new(),
        budget: allowance.saturating_add(INLINED_PER_VALUE.saturating_mul(size(&root))),
        produced: 0,
    };
    if let Some(Value::Object(schemas)) = root.pointer("/components/schemas") {
        bundler.taken.extend(schemas.keys().cloned());
    }
    // Shared, not copied: the walk reads it while building the result.
    let root = Rc::new(root);
    bundler.documents.insert(String::new(), Rc::clone(&root));
    let mut out = bundler.walk(&root, "", &mut Vec::new(), Ctx::Other)?;
    // Schemas copied from other files join the main document's components.
    while !bundler.new_schemas.is_empty() {
        let batch = std::mem::take(&mut bundler.new_schemas);
        for (name, source, pointer) in batch {
            let target = bundler.target(&source, &pointer, std::slice::from_ref(&name))?;
            let mut path = vec!["components".to_owned(), "schemas".to_owned(), name.clone()];
            let walked = bundler.walk(&target, &source, &mut path, Ctx::Schema)?;
            let components = out.as_object_mut().map(|root| {
                root.entry("components")
                    .or_insert_with(|| Value::Object(Map::new()))
            });
            if let Some(Value::Object(components)) = components {
                let schemas = components
                    .entry("schemas")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(schemas) = schemas {
                    schemas.insert(name, walked);
                }
            }
        }
    }
    Ok(out)
}

struct Bundler<'a> {
    file: &'a str,
    reader: &'a dyn SpecReader,
    /// Parsed documents by path relative to the main one (`""`: the main one).
    documents: BTreeMap<String, Rc<Value>>,
    /// (document, pointer) of each copied schema, to its name in the main document.
    hoisted: BTreeMap<(String, String), String>,
    /// Schema names in use in the main document.
    taken: BTreeSet<String>,
    /// Copied schemas not yet walked: (name, document, pointer).
    new_schemas: Vec<(String, String, String)>,
    /// References being inlined, outermost first, to catch loops: each
    /// target (document, pointer) with the path of the `$ref` that entered it.
    inlining: Vec<((String, String), Vec<String>)>,
    /// How many values the result may hold (see [`INLINED_PER_VALUE`]).
    budget: usize,
    /// How many values the result holds so far.
    produced: usize,
}

impl Bundler<'_> {
    fn error(&self, path: &[String], message: impl Into<String>) -> Error {
        Error::Spec {
            file: self.file.to_owned(),
            path: if path.is_empty() {
                ".".to_owned()
            } else {
                path.join(".")
            },
            message: message.into(),
        }
    }

    /// Counts `values` more values of the result at `path`: an error once
    /// the result outgrows the budget or nests too deep.
    fn produce(&mut self, values: usize, path: &[String]) -> Result<(), Error> {
        // Every level of the walk's recursion is a key or item, or a
        // reference being inlined.
        if path.len() + self.inlining.len() > MAX_INLINED_DEPTH {
            return Err(self.error(
                path,
                format!(
                    "with its references inlined the document nests more than \
                     {MAX_INLINED_DEPTH} deep here (keys, items and references inlined \
                     inside each other), over the generator's limit"
                ),
            ));
        }
        self.produced = self.produced.saturating_add(values);
        if self.produced > self.budget {
            return Err(self.error(
                path,
                format!(
                    "with its references inlined the document would hold more than {} values \
                     ({INLINED_PER_VALUE} for each value of its files, and {INLINED_ALLOWANCE} \
                     more), over the generator's limit: references here copy targets that copy \
                     others over and over",
                    self.budget
                ),
            ));
        }
        Ok(())
    }

    /// `value` (from the document `doc`) with its references resolved;
    /// `ctx` says what stands there.
    fn walk(
        &mut self,
        value: &Value,
        doc: &str,
        path: &mut Vec<String>,
        ctx: Ctx,
    ) -> Result<Value, Error> {
        self.produce(1, path)?;
        match value {
            Value::Object(map) => {
                // In a map of schemas, `$ref` may also be a property's name
                // (its value is then a schema, not a string).
                let property_named_ref =
                    ctx == Ctx::Each && map.get("$ref").is_some_and(|r| !r.is_string());
                if let Some(reference) = map.get("$ref").filter(|_| !property_named_ref) {
                    let Value::String(reference) = reference else {
                        path.push("$ref".to_owned());
                        let error = self.error(path, "a `$ref` must be a string");
                        path.pop();
                        return Err(error);
                    };
                    return self.resolve(map, reference, doc, path, ctx);
                }
                let schema = ctx == Ctx::Schema;
                let mut out = Map::new();
                for (key, child) in map {
                    path.push(key.clone());
                    let walked = match key.as_str() {
                        _ if ctx == Ctx::Each => self.walk(child, doc, path, Ctx::Schema)?,
                        // Examples are data, not specs: their `$ref`-looking
                        // keys are left alone.
                        "example" | "examples" => self.copy(child, path)?,
                        // In a schema these are values; elsewhere `default`
                        // is a response code.
                        "default" | "const" | "enum" if schema => self.copy(child, path)?,
                        "schema" => self.walk(child, doc, path, Ctx::Schema)?,
                        k if schema && SCHEMA_CHILD_KEYS.contains(&k) => {
                            self.walk(child, doc, path, Ctx::Schema)?
                        }
                        k if schema
                            && (SCHEMA_LIST_KEYS.contains(&k) || SCHEMA_MAP_KEYS.contains(&k)) =>
                        {
                            self.walk(child, doc, path, Ctx::Each)?
                        }
                        "schemas" if path.len() == 2 && path[0] == "components" => {
                            self.walk(child, doc, path, Ctx::Each)?
                        }
                        _ => self.walk(child, doc, path, Ctx::Other)?,
                    };
                    path.pop();
                    out.insert(key.clone(), walked);
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => {
                let item_ctx = if ctx == Ctx::Each {
                    Ctx::Schema
                } else {
                    Ctx::Other
                };
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    path.push(i.to_string());
                    out.push(self.walk(item, doc, path, item_ctx)?);
                    path.pop();
                }
                Ok(Value::Array(out))
            }
            other => Ok(other.clone()),
        }
    }

    /// `value` as it is, counted like the values `walk` makes.
    fn copy(&mut self, value: &Value, path: &[String]) -> Result<Value, Error> {
        self.produce(size(value), path)?;
        Ok(value.clone())
    }

    /// `path` is where the reference object stands: errors name its `$ref`,
    /// and an inlined target is walked as if it stood there.
    fn resolve(
        &mut self,
        map: &Map<String, Value>,
        reference: &str,
        doc: &str,
        path: &mut Vec<String>,
        ctx: Ctx,
    ) -> Result<Value, Error> {
        let schema = ctx == Ctx::Schema;
        let mut at_ref = path.clone();
        at_ref.push("$ref".to_owned());
        let at_ref = &at_ref;
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file_part.contains("://") || file_part.starts_with("//") {
            return Err(self.error(
                at_ref,
                format!("`{reference}` is a remote reference; the generator never downloads: save the file beside the spec and refer to it by a relative path"),
            ));
        }
        let target_doc = if file_part.is_empty() {
            doc.to_owned()
        } else {
            join(doc, file_part).ok_or_else(|| {
                self.error(at_ref, format!("`{reference}` leaves the file system root"))
            })?
        };
        // Another file may name the main one, by its path relative to it.
        let target_doc = if target_doc == self.main_name() {
            String::new()
        } else {
            target_doc
        };
        let pointer = decode_pointer(fragment);
        if !target_doc.is_empty() && !self.documents.contains_key(&target_doc) {
            let text = self
                .reader
                .read(&target_doc)
                .map_err(|e| self.error(at_ref, format!("`{reference}`: {e}")))?;
            let parsed = crate::input::parse_any(&target_doc, &text)
                .map_err(|e| self.error(at_ref, format!("`{reference}`: {e}")))?;
            // Each file read adds to what the result may hold.
            self.budget = self
                .budget
                .saturating_add(INLINED_PER_VALUE.saturating_mul(size(&parsed)));
            self.documents.insert(target_doc.clone(), Rc::new(parsed));
        }
        let named_schema = component_schema_name(&pointer);
        if schema {
            // A named schema of the main document stays a reference.
            if target_doc.is_empty() && named_schema.is_some() {
                self.check_target(&target_doc, &pointer, at_ref)?;
                return Ok(with_siblings(Value::String(format!("#{pointer}")), map));
            }
            // A schema of another file is copied in and referred to.
            if !target_doc.is_empty() {
                self.check_target(&target_doc, &pointer, at_ref)?;
                let key = (target_doc.clone(), pointer.clone());
                let name = match self.hoisted.get(&key) {
                    Some(name) => name.clone(),
                    None => {
                        let base = named_schema
                            .map(str::to_owned)
                            .or_else(|| {
                                pointer
                                    .rsplit('/')
                                    .next()
                                    .filter(|s| !s.is_empty())
                                    .map(str::to_owned)
                            })
                            .unwrap_or_else(|| file_stem(&target_doc));
                        let name = self.free_name(&base);
                        self.hoisted.insert(key, name.clone());
                        self.new_schemas.push((name.clone(), target_doc, pointer));
                        name
                    }
                };
                return Ok(with_siblings(
                    Value::String(format!("#/components/schemas/{}", escape_segment(&name))),
                    map,
                ));
            }
        }
        // Anything else is inlined.
        let key = (target_doc.clone(), pointer.clone());
        if let Some((_, entered)) = self.inlining.iter().find(|(k, _)| *k == key) {
            // Reported where the cycle was entered: a target that holds its
            // own reference (`$ref: ''` inside the document) is walked as if
            // it stood at the reference, so the path where the loop closes
            // repeats itself and is nowhere in the document.
            return Err(self.error(
                entered,
                format!(
                    "`{reference}` refers back to itself through references alone (a `$ref` cycle)"
                ),
            ));
        }
        let target = self.target(&target_doc, &pointer, at_ref)?;
        self.inlining.push((key, at_ref.clone()));
        let walked = self.walk(&target, &target_doc, path, ctx);
        self.inlining.pop();
        let mut walked = walked?;
        if let Value::Object(object) = &mut walked {
            // Which shared parameter this was, for standard parameters.
            if let Some(name) = pointer.strip_prefix("/components/parameters/") {
                if target_doc.is_empty() && !name.contains('/') {
                    object.insert(
                        COMPONENT_KEY.to_owned(),
                        Value::String(unescape_segment(name)),
                    );
                }
            }
            for (key, value) in map {
                if key != "$ref" {
                    object.insert(key.clone(), value.clone());
                }
            }
        }
        Ok(walked)
    }

    /// The value at `pointer` of the document `doc`, copied.
    fn target(&self, doc: &str, pointer: &str, path: &[String]) -> Result<Value, Error> {
        self.check_target(doc, pointer, path)?;
        Ok(self.documents[doc]
            .pointer(pointer)
            .cloned()
            .unwrap_or_default())
    }

    /// That the value at `pointer` of the document `doc` exists.
    fn check_target(&self, doc: &str, pointer: &str, path: &[String]) -> Result<(), Error> {
        let document = self
            .documents
            .get(doc)
            .ok_or_else(|| self.error(path, format!("the document `{doc}` was not read")))?;
        document.pointer(pointer).map(drop).ok_or_else(|| {
            let place = if doc.is_empty() {
                "this document".to_owned()
            } else {
                format!("`{doc}`")
            };
            self.error(
                path,
                format!("the reference target `#{pointer}` does not exist in {place}"),
            )
        })
    }

    /// The main document's path relative to its own folder: its file name.
    fn main_name(&self) -> &str {
        self.file.rsplit(['/', '\\']).next().unwrap_or(self.file)
    }

    fn free_name(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// How many values `value` holds, itself included.
fn size(value: &Value) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    // A loop rather than recursion: an inlined value may nest deep.
    while let Some(value) = stack.pop() {
        count += 1;
        match value {
            Value::Object(map) => stack.extend(map.values()),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    count
}

/// `{"$ref": reference}` with the reference object's other keys kept.
fn with_siblings(reference: Value, map: &Map<String, Value>) -> Value {
    let mut out = map.clone();
    out.insert("$ref".to_owned(), reference);
    Value::Object(out)
}

/// The schema name of `/components/schemas/<name>`.
pub fn component_schema_name(pointer: &str) -> Option<&str> {
    let name = pointer.strip_prefix("/components/schemas/")?;
    (!name.contains('/')).then_some(name)
}

/// The name a `#/components/schemas/<name>` reference names, unescaped.
pub fn schema_ref_name(reference: &str) -> Option<String> {
    let pointer = decode_pointer(reference.strip_prefix('#')?);
    component_schema_name(&pointer).map(unescape_segment)
}

/// A URI fragment as a JSON pointer: percent-decoded.
fn decode_pointer(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            // `get`, not indexing: the two bytes after `%` may be part of
            // a character of several bytes (`%€`), which is no escape.
            let hex = fragment.get(i + 1..i + 3).unwrap_or_default();
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| fragment.to_owned())
}

fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `relative` resolved against the folder of `doc` (both relative to the
/// main spec's folder), `/`-separated, with `.` and `..` applied.
fn join(doc: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = doc.split('/').collect();
    parts.pop(); // the file name
    let mut ups = 0usize;
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    ups += 1;
                }
            }
            other => parts.push(other),
        }
    }
    if ups > 32 {
        return None;
    }
    let mut out: Vec<&str> = std::iter::repeat_n("..", ups).collect();
    out.extend(parts.into_iter().filter(|p| !p.is_empty()));
    Some(out.join("/"))
}

fn file_stem(doc: &str) -> String {
    let name = doc.rsplit('/').next().unwrap_or(doc);
    name.split('.').next().unwrap_or(name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Files(BTreeMap<&'static str, &'static str>);

    impl SpecReader for Files {
        fn read(&self, path: &str) -> Result<String, String> {
            self.0
                .get(path)
                .map(|s| (*s).to_owned())
                .ok_or_else(|| format!("no file `{path}`"))
        }
    }

    #[test]
    fn paths_join_relative_to_the_referring_file() {
        assert_eq!(join("", "a.yaml").as_deref(), Some("a.yaml"));
        assert_eq!(join("dir/a.yaml", "b.yaml").as_deref(), Some("dir/b.yaml"));
        assert_eq!(join("dir/a.yaml", "../b.yaml").as_deref(), Some("b.yaml"));
        assert_eq!(
            join("", "../common/b.yaml").as_deref(),
            Some("../common/b.yaml")
        );
        assert_eq!(
            join("dir/x.yaml", "./sub/./c.json").as_deref(),
            Some("dir/sub/c.json")
        );
    }

    #[test]
    fn local_parameters_are_inlined_and_named_schemas_kept() {
        let doc = json!({
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}],
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}}}}}},
            "components": {"parameters": {"P": {"name": "p", "in": "query"}}, "schemas": {"S": {"type": "string"}}}
        });
        let out = bundle("spec", doc, &NoFiles).unwrap();
        assert_eq!(out["paths"]["/a"]["get"]["parameters"][0]["name"], "p");
        assert_eq!(
            out["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/S"
        );
    }

    #[test]
    fn schemas_of_other_files_are_copied_in_and_stay_recursive() {
        let files = Files(BTreeMap::from([
            (
                "models/pet.yaml",
                "Pet:\n  type: object\n  properties:\n    parent: {$ref: '#/Pet'}\n    owner: {$ref: 'owner.json#/Owner'}\n",
            ),
            (
                "models/owner.json",
                r#"{"Owner": {"type": "object", "properties": {"name": {"type": "string"}}}}"#,
            ),
        ]));
        let doc = json!({
            "components": {"schemas": {"Pet": {"type": "string"},
                "Holder": {"type": "object", "properties": {"pet": {"$ref": "models/pet.yaml#/Pet"}}}}}
        });
        let out = bundle("spec", doc, &files).unwrap();
        let schemas = &out["components"]["schemas"];
        assert_eq!(
            schemas["Holder"]["properties"]["pet"]["$ref"],
            "#/components/schemas/Pet2"
        );
        assert_eq!(
            schemas["Pet2"]["properties"]["parent"]["$ref"],
            "#/components/schemas/Pet2"
        );
        assert_eq!(
            schemas["Pet2"]["properties"]["owner"]["$ref"],
            "#/components/schemas/Owner"
        );
        assert_eq!(schemas["Owner"]["properties"]["name"]["type"], "string");
    }

    #[test]
    fn cycles_missing_targets_and_remote_references_are_errors() {
        let cycle =
            json!({"paths": {"/a": {"$ref": "#/paths/~1b"}, "/b": {"$ref": "#/paths/~1a"}}});
        let error = bundle("spec", cycle, &NoFiles).unwrap_err().to_string();
        assert!(
            error.contains("cycle") && error.contains("paths./a"),
            "{error}"
        );
        let missing = json!({"components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}}}});
        let error = bundle("spec", missing, &NoFiles).unwrap_err().to_string();
        assert!(
            error.contains("components.schemas.A.$ref") && error.contains("does not exist"),
            "{error}"
        );
        let remote =
            json!({"components": {"schemas": {"A": {"$ref": "https://example.com/a.json#/A"}}}});
        let error = bundle("spec", remote, &NoFiles).unwrap_err().to_string();
        assert!(error.contains("remote reference"), "{error}");
        let files = Files(BTreeMap::from([
            ("a.yaml", "P:\n  $ref: 'b.yaml#/Q'\n"),
            ("b.yaml", "Q:\n  $ref: 'a.yaml#/P'\n"),
        ]));
        let across = json!({"paths": {"/x": {"get": {"parameters": [{"$ref": "a.yaml#/P"}]}}}});
        let error = bundle("spec", across, &files).unwrap_err().to_string();
        assert!(error.contains("cycle"), "{error}");
    }

    #[test]
    fn a_map_of_schemas_may_be_a_reference_or_hold_a_property_named_ref() {
        let files = Files(BTreeMap::from([(
            "attributes.yaml",
            "props:\n  id: {type: string}\n  owner: {$ref: 'main.yaml#/components/schemas/Owner'}\n",
        )]));
        let doc = json!({"components": {"schemas": {
            "Owner": {"type": "object"},
            "Thing": {"type": "object", "properties": {"$ref": "attributes.yaml#/props"}},
            "Odd": {"type": "object", "properties": {"$ref": {"type": "string"}}}
        }}});
        let out = bundle("main.yaml", doc, &files).unwrap();
        let schemas = &out["components"]["schemas"];
        assert_eq!(schemas["Thing"]["properties"]["id"]["type"], "string");
        // The other file names the main one: its own schema, not a copy.
        assert_eq!(
            schemas["Thing"]["properties"]["owner"]["$ref"],
            "#/components/schemas/Owner"
        );
        assert_eq!(schemas["Odd"]["properties"]["$ref"]["type"], "string");
    }

    #[test]
    fn references_that_copy_each_other_over_and_over_are_refused() {
        // 40 levels of two references each: 2^40 copies if inlined.
        let mut components = Map::new();
        for level in 0..40 {
            let next = format!("#/components/x-levels/l{}", level + 1);
            components.insert(
                format!("l{level}"),
                json!({"a": {"$ref": next}, "b": {"$ref": next}}),
            );
        }
        components.insert("l40".to_owned(), json!({"leaf": true}));
        let doc = json!({"components": {"x-levels": components}});
        let error = bundle_within("spec", doc, &NoFiles, 10_000)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("spec: at `components.x-levels.l") && error.contains("more than"),
            "{error}"
        );
    }

    /// Runs `test` on a thread with the stack the release binary's main
    /// thread has in effect: debug frames are several times larger.
    fn with_stack(test: impl FnOnce() + Send + 'static) {
        std::thread::Builder::new()
            .stack_size(32 << 20)
            .spawn(test)
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn references_inlined_inside_each_other_may_not_nest_without_end() {
        with_stack(|| {
            // `{"inner": {"$ref": next}}`, then `{"$ref": next}` alone.
            for inner in [true, false] {
                let mut chain = Map::new();
                for level in 0..10_000 {
                    let next = json!({"$ref": format!("#/components/x-chain/c{}", level + 1)});
                    let value = if inner { json!({"inner": next}) } else { next };
                    chain.insert(format!("c{level}"), value);
                }
                chain.insert("c10000".to_owned(), json!({"leaf": true}));
                let doc = json!({"components": {"x-chain": chain}});
                let error = bundle("spec", doc, &NoFiles).unwrap_err().to_string();
                assert!(
                    error.contains("nests more than 128 deep"),
                    "inner: {inner}: {error}"
                );
            }
        });
    }

    #[test]
    fn a_percent_before_a_character_of_several_bytes_is_no_escape() {
        assert_eq!(decode_pointer("/a/%€"), "/a/%€");
        assert_eq!(decode_pointer("/a/%7Bb%7D"), "/a/{b}");
    }

    #[test]
    fn pointer_escapes_are_understood() {
        let doc = json!({
            "paths": {"/a/{b}": {"get": {"parameters": [{"name": "b", "in": "path"}]}},
                      "/c": {"get": {"parameters": [{"$ref": "#/paths/~1a~1%7Bb%7D/get/parameters/0"}]}}}
        });
        let out = bundle("spec", doc, &NoFiles).unwrap();
        assert_eq!(out["paths"]["/c"]["get"]["parameters"][0]["name"], "b");
    }
}
