//! `cargo xtask genbench --scaling`: does generation time grow in
//! proportion to the document?
//!
//! Two synthesized Discovery documents, each at two sizes (the larger one
//! asked for and half of it), generated in this process side by side, so
//! the machine's speed cancels out: what is reported is the size ratio,
//! the time ratio and the growth exponent `ln(time ratio) / ln(size
//! ratio)`, about 1 for linear work and 2 for quadratic.
//!
//! - **Colliding enum**: one enum of N values that differ only by
//!   separators (`a_`, `a-`, `a__`, `a_-`, ...), so every value converts to
//!   the same identifier and all but one need a suffix: the worst case of
//!   collision handling (`codegen::naming::Namespace`).
//! - **Many schemas**: M schemas with a dozen fields (scalars, references
//!   to other schemas, inline enums and objects, maps), each with a
//!   resource of two methods over a typed resource name: the whole
//!   pipeline at the scale of the largest real documents.
//!
//! Each size is generated `runs` times, small and large in turn, and the
//! best time is kept (the least disturbed by other work on the machine).
//! Slowness is reported, never an error: the exit code says only whether
//! generation worked.

use super::{Lcg, settings};
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant};

/// The larger size of each document; the smaller is half of it.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    /// Values of the colliding enum.
    pub enum_values: usize,
    /// Schemas of the many-schemas document.
    pub schemas: usize,
}

impl Default for Sizes {
    fn default() -> Self {
        Self {
            enum_values: 20_000,
            schemas: 5_000,
        }
    }
}

/// An exponent above this is reported as far above linear.
pub const FAR_ABOVE_LINEAR: f64 = 1.5;

/// One document at one size.
#[derive(Clone, Debug)]
pub struct Point {
    /// What the size counts (enum values, schemas).
    pub count: usize,
    /// The document's size in bytes.
    pub spec_bytes: usize,
    /// The best time to generate its crate in memory.
    pub best: Duration,
    /// How many files the crate has.
    pub files: usize,
}

/// One document at both sizes.
#[derive(Clone, Debug)]
pub struct Case {
    /// What the document is.
    pub title: &'static str,
    /// What its size counts, plural (`values`).
    pub unit: &'static str,
    /// What most likely grows faster than the document when the exponent
    /// is far above 1.
    pub suspect: &'static str,
    /// At half the size.
    pub small: Point,
    /// At the size asked for.
    pub large: Point,
}

impl Case {
    /// How much larger the large document is, in bytes.
    pub fn size_ratio(&self) -> f64 {
        self.large.spec_bytes as f64 / (self.small.spec_bytes as f64).max(1.0)
    }

    /// How much longer the large document took.
    pub fn time_ratio(&self) -> f64 {
        self.large.best.as_secs_f64() / self.small.best.as_secs_f64().max(1e-9)
    }

    /// `ln(time ratio) / ln(size ratio)`: 1 when time grows as the
    /// document does, 2 when it grows with its square.
    pub fn exponent(&self) -> f64 {
        self.time_ratio().ln() / self.size_ratio().ln().max(1e-9)
    }

    /// The report of this case, a few lines.
    pub fn render(&self) -> String {
        let point = |p: &Point| {
            format!(
                "  {:>7} {}: {:>6.2} MB in {:>8.3} s ({} files)\n",
                p.count,
                self.unit,
                p.spec_bytes as f64 / 1e6,
                p.best.as_secs_f64(),
                p.files
            )
        };
        let exponent = self.exponent();
        let verdict = if exponent > FAR_ABOVE_LINEAR {
            format!(
                "  {}: growth exponent {exponent:.2} is far above 1\n",
                self.suspect
            )
        } else {
            format!("  near-linear (growth exponent {exponent:.2})\n")
        };
        format!(
            "{}\n{}{}  size ratio {:.2} ({} ratio {:.2}), time ratio {:.2}, growth exponent {:.2}\n{verdict}",
            self.title,
            point(&self.small),
            point(&self.large),
            self.size_ratio(),
            self.unit,
            self.large.count as f64 / (self.small.count as f64).max(1.0),
            self.time_ratio(),
            exponent,
        )
    }
}

/// What a scaling run measured.
#[derive(Clone, Debug)]
pub struct Scaling {
    /// Runs of each document at each size; the best is kept.
    pub runs: usize,
    /// The documents.
    pub cases: Vec<Case>,
}

impl Scaling {
    /// The report's first line.
    pub fn header(runs: usize) -> String {
        format!(
            "generation time at two sizes (best of {runs} run{} each, in one process)\n",
            if runs == 1 { "" } else { "s" }
        )
    }

    /// The report.
    pub fn render(&self) -> String {
        let mut out = Self::header(self.runs);
        for case in &self.cases {
            out.push_str(&case.render());
        }
        out
    }
}

/// A synthesized document to measure, and what to call it.
struct Document {
    title: &'static str,
    unit: &'static str,
    suspect: &'static str,
    /// The larger size.
    large: usize,
    synthesize: fn(usize) -> String,
}

/// Generates each document at half of `sizes` and at `sizes`, `runs`
/// times each, and reports the best times; `each` sees every document's
/// result as soon as it is measured (a run at full size takes minutes).
pub fn run(
    sizes: Sizes,
    runs: usize,
    mut each: impl FnMut(&Case),
) -> Result<Scaling, codegen::Error> {
    let runs = runs.max(1);
    let documents = [
        Document {
            title: "one enum of near-colliding values (`a_`, `a-`, `a__`, ...: all `A`) in a Discovery document",
            unit: "values",
            suspect: "quadratic: collision handling (`naming::Namespace` suffixes)",
            large: sizes.enum_values,
            synthesize: colliding_enum,
        },
        Document {
            title: "a Discovery document of schemas with fields, references, enums and methods",
            unit: "schemas",
            suspect: "superlinear: some step of lowering or emission grows faster than the document",
            large: sizes.schemas,
            synthesize: many_schemas,
        },
    ];
    let mut cases = Vec::new();
    for document in documents {
        let counts = [(document.large / 2).max(1), document.large.max(2)];
        let (small, large) = measure(counts, document.synthesize, runs)?;
        let case = Case {
            title: document.title,
            unit: document.unit,
            suspect: document.suspect,
            small,
            large,
        };
        each(&case);
        cases.push(case);
    }
    Ok(Scaling { runs, cases })
}

/// The best time of `runs` generations of the document of each size.
fn measure(
    counts: [usize; 2],
    synthesize: fn(usize) -> String,
    runs: usize,
) -> Result<(Point, Point), codegen::Error> {
    let specs = counts.map(synthesize);
    let settings = settings();
    let mut best = [Duration::MAX; 2];
    let mut files = [0; 2];
    // Small and large in turn, so that a slow spell of the machine
    // touches both alike.
    for _ in 0..runs {
        for (i, spec) in specs.iter().enumerate() {
            let started = Instant::now();
            let generated = codegen::generate(spec, &settings)?;
            best[i] = best[i].min(started.elapsed());
            files[i] = generated.len();
        }
    }
    let point = |i: usize| Point {
        count: counts[i],
        spec_bytes: specs[i].len(),
        best: best[i],
        files: files[i],
    };
    Ok((point(0), point(1)))
}

/// `count` distinct enum values that differ only by separators: `a`
/// followed by every non-empty string of `_` and `-`, shortest first
/// (`a_`, `a-`, `a__`, `a_-`, `a-_`, `a--`, `a___`, ...). Case conversion
/// drops separators, so all of them become `A` (`a` in snake case).
pub fn colliding_values(count: usize) -> Vec<String> {
    // The binary digits of k after its leading 1 (k = 2, 3, 4, ...) run
    // through every string of 0s and 1s, shortest first.
    (2..count + 2)
        .map(|k: usize| {
            let digits = format!("{k:b}");
            let tail: String = digits[1..]
                .chars()
                .map(|bit| if bit == '0' { '_' } else { '-' })
                .collect();
            format!("a{tail}")
        })
        .collect()
}

/// The common head of a synthesized Discovery document.
fn discovery(name: &str, schemas: Map<String, Value>, resources: Map<String, Value>) -> String {
    let document = json!({
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "name": name,
        "version": "v1",
        "title": "Genbench",
        "description": "Synthesized by cargo xtask genbench --scaling.",
        "revision": "20260101",
        "rootUrl": "https://genbench.example.com/",
        "servicePath": "",
        "auth": {"oauth2": {"scopes": {
            "https://www.googleapis.com/auth/cloud-platform": {"description": "All of it."}
        }}},
        "schemas": schemas,
        "resources": resources,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

/// A Discovery document whose one schema has an enum field of `count`
/// [`colliding_values`], with a method returning it.
pub fn colliding_enum(count: usize) -> String {
    let values = colliding_values(count);
    let descriptions: Vec<String> = values
        .iter()
        .map(|value| format!("The value `{value}`."))
        .collect();
    let mut schemas = Map::new();
    schemas.insert(
        "Thing".to_owned(),
        json!({
            "id": "Thing",
            "type": "object",
            "description": "A thing of many kinds.",
            "properties": {
                "name": {"type": "string", "description": "The thing's name."},
                "kind": {"type": "string", "description": "What kind it is.",
                         "enum": values, "enumDescriptions": descriptions},
            }
        }),
    );
    let mut resources = Map::new();
    resources.insert(
        "things".to_owned(),
        json!({"methods": {"get": {
            "id": "genbench.things.get",
            "httpMethod": "GET",
            "path": "v1/{+name}",
            "flatPath": "v1/things/{thingsId}",
            "parameterOrder": ["name"],
            "parameters": {"name": {"type": "string", "location": "path", "required": true,
                                    "pattern": "^things/[^/]+$"}},
            "response": {"$ref": "Thing"},
            "scopes": ["https://www.googleapis.com/auth/cloud-platform"]
        }}}),
    );
    discovery("genbench", schemas, resources)
}

/// A Discovery document of `count` schemas (`Widget0`, ...), each with a
/// dozen fields (strings, 64-bit integers, timestamps, an inline enum, an
/// inline object with its own enum, a map, a reference and a list of
/// references to other schemas), and a resource per schema (`widgets0`,
/// ...) with `get` and `patch` over `projects/*/locations/*/widgetsN/*`.
pub fn many_schemas(count: usize) -> String {
    let mut random = Lcg(2024);
    let scope = "https://www.googleapis.com/auth/cloud-platform";
    let mut schemas = Map::new();
    let mut resources = Map::new();
    for i in 0..count {
        let about =
            |field: &str| format!("The {field} of widget {i}, in a sentence of realistic length.");
        let schema = format!("Widget{i}");
        let properties = json!({
            "name": {"type": "string", "description": about("resource name")},
            "displayName": {"type": "string", "description": about("display name")},
            "createTime": {"type": "string", "format": "google-datetime", "description": about("creation time")},
            "sizeBytes": {"type": "string", "format": "int64", "description": about("size")},
            "count": {"type": "integer", "format": "int32", "description": about("count")},
            "enabled": {"type": "boolean", "description": about("switch")},
            "state": {"type": "string", "description": about("state"),
                      "enum": ["STATE_UNSPECIFIED", "ACTIVE", "DELETING", "FAILED"],
                      "enumDescriptions": ["Unset.", "Ready.", "Going away.", "Broken."]},
            "labels": {"type": "object", "additionalProperties": {"type": "string"},
                       "description": about("labels")},
            "options": {"type": "object", "description": about("options"), "properties": {
                "mode": {"type": "string", "enum": ["MODE_UNSPECIFIED", "FAST", "SAFE"],
                         "enumDescriptions": ["Unset.", "Quick.", "Careful."]},
                "retries": {"type": "integer", "format": "int32"}
            }},
            "parent": {"$ref": format!("Widget{}", random.below(count)), "description": about("parent")},
            "related": {"type": "array", "items": {"$ref": format!("Widget{}", random.below(count))},
                        "description": about("related widgets")},
            "tags": {"type": "array", "items": {"type": "string"}, "description": about("tags")},
        });
        schemas.insert(
            schema.clone(),
            json!({"id": schema, "type": "object", "description": format!("Widget number {i}."),
                   "properties": properties}),
        );
        let collection = format!("widgets{i}");
        let name = json!({"type": "string", "location": "path", "required": true,
                          "description": "The widget's resource name.",
                          "pattern": format!("^projects/[^/]+/locations/[^/]+/{collection}/[^/]+$")});
        let flat = format!(
            "v1/projects/{{projectsId}}/locations/{{locationsId}}/{collection}/{{{collection}Id}}"
        );
        resources.insert(
            collection.clone(),
            json!({"methods": {
                "get": {
                    "id": format!("genbench.{collection}.get"), "httpMethod": "GET",
                    "path": "v1/{+name}", "flatPath": flat, "parameterOrder": ["name"],
                    "description": format!("Gets a widget {i}."),
                    "parameters": {"name": name,
                                   "view": {"type": "string", "location": "query",
                                            "enum": ["BASIC", "FULL"], "enumDescriptions": ["Less.", "More."]}},
                    "response": {"$ref": schema}, "scopes": [scope]
                },
                "patch": {
                    "id": format!("genbench.{collection}.patch"), "httpMethod": "PATCH",
                    "path": "v1/{+name}", "flatPath": flat, "parameterOrder": ["name"],
                    "description": format!("Updates a widget {i}."),
                    "parameters": {"name": name,
                                   "updateMask": {"type": "string", "format": "google-fieldmask", "location": "query"}},
                    "request": {"$ref": schema}, "response": {"$ref": schema}, "scopes": [scope]
                }
            }}),
        );
    }
    discovery("genbench", schemas, resources)
}

#[cfg(test)]
mod tests {
    use super::*;
    use codegen::naming::{Case as NameCase, bare};
    use std::collections::BTreeSet;

    #[test]
    fn colliding_values_are_distinct_and_all_convert_to_one_identifier() {
        let values = colliding_values(5_000);
        assert_eq!(values.len(), 5_000);
        assert_eq!(
            values[..7],
            ["a_", "a-", "a__", "a_-", "a-_", "a--", "a___"]
        );
        assert_eq!(values.iter().collect::<BTreeSet<_>>().len(), 5_000);
        for value in &values {
            assert!(value[1..].chars().all(|c| c == '_' || c == '-'), "{value}");
            assert_eq!(bare(value, NameCase::UpperCamel).as_deref(), Some("A"));
            assert_eq!(bare(value, NameCase::Snake).as_deref(), Some("a"));
        }
        // Values grow by one separator per doubling: twice the values is
        // about twice the bytes.
        let bytes = |n| colliding_values(n).iter().map(String::len).sum::<usize>() as f64;
        let ratio = bytes(20_000) / bytes(10_000);
        assert!((2.0..2.3).contains(&ratio), "{ratio}");
    }

    #[test]
    fn the_colliding_enum_generates_one_variant_per_value() {
        let spec = colliding_enum(40);
        assert_eq!(spec, colliding_enum(40), "deterministic");
        let document: Value = serde_json::from_str(&spec).unwrap();
        let kind = &document["schemas"]["Thing"]["properties"]["kind"];
        assert_eq!(kind["enum"].as_array().unwrap().len(), 40);
        assert_eq!(kind["enumDescriptions"].as_array().unwrap().len(), 40);
        let files = codegen::generate(&spec, &settings()).unwrap();
        let models = &files["src/models.rs"];
        // Every value took `A` or a numbered `A2` ... `A40`.
        for n in 2..=40 {
            assert!(models.contains(&format!("A{n},")), "no variant A{n}");
        }
        assert!(!models.contains("A41,"));
        assert!(models.contains("\"a_-\""), "the wire values are kept");
    }

    #[test]
    fn the_many_schemas_document_has_the_size_asked_and_generates() {
        let spec = many_schemas(20);
        assert_eq!(spec, many_schemas(20), "deterministic");
        let document: Value = serde_json::from_str(&spec).unwrap();
        assert_eq!(document["schemas"].as_object().unwrap().len(), 20);
        assert_eq!(document["resources"].as_object().unwrap().len(), 20);
        // Twice the schemas, about twice the bytes.
        let ratio = many_schemas(400).len() as f64 / many_schemas(200).len() as f64;
        assert!((1.95..2.1).contains(&ratio), "{ratio}");
        let files = codegen::generate(&spec, &settings()).unwrap();
        assert!(files["src/models.rs"].contains("pub struct Widget19"));
        assert!(files["src/names.rs"].contains("Widgets19Name"));
        assert!(files.keys().any(|path| path.contains("widgets19")));
    }

    fn point(count: usize, spec_bytes: usize, seconds: f64) -> Point {
        Point {
            count,
            spec_bytes,
            best: Duration::from_secs_f64(seconds),
            files: 9,
        }
    }

    fn case(small: Point, large: Point) -> Case {
        Case {
            title: "a case",
            unit: "values",
            suspect: "quadratic: collision handling",
            small,
            large,
        }
    }

    #[test]
    fn exponents_tell_linear_from_quadratic() {
        let quadratic = case(point(10, 1_000_000, 10.0), point(20, 2_000_000, 40.0));
        assert!((quadratic.exponent() - 2.0).abs() < 1e-9);
        let text = quadratic.render();
        assert!(
            text.contains(
                "size ratio 2.00 (values ratio 2.00), time ratio 4.00, growth exponent 2.00"
            ),
            "{text}"
        );
        assert!(
            text.contains("quadratic: collision handling: growth exponent 2.00 is far above 1"),
            "{text}"
        );
        let linear = case(point(10, 1_000_000, 1.0), point(20, 2_000_000, 2.1));
        assert!((linear.exponent() - 1.07).abs() < 0.01);
        assert!(
            linear
                .render()
                .contains("near-linear (growth exponent 1.07)")
        );
        assert!(!linear.render().contains("far above"));
    }

    #[test]
    fn a_tiny_run_measures_both_documents() {
        let mut seen = Vec::new();
        let sizes = Sizes {
            enum_values: 16,
            schemas: 4,
        };
        let report = run(sizes, 1, |case| seen.push(case.unit)).unwrap();
        assert_eq!(seen, ["values", "schemas"], "each reported when measured");
        assert_eq!(report.cases.len(), 2);
        let counts: Vec<_> = report
            .cases
            .iter()
            .map(|c| (c.small.count, c.large.count))
            .collect();
        assert_eq!(counts, [(8, 16), (2, 4)]);
        for case in &report.cases {
            assert!(case.large.spec_bytes > case.small.spec_bytes);
            assert!(case.small.files > 0 && case.small.best > Duration::ZERO);
        }
        assert!(report.render().contains("best of 1 run each"));
    }
}
