//! `cargo xtask genbench`: how fast the generator turns a large OpenAPI
//! spec into a crate, side by side with merely parsing the same JSON.
//!
//! The spec is synthesized (deterministically) to the size asked for, with
//! what big real specs have: hundreds of schemas with a dozen documented
//! fields each, references between them, inline enums, and two operations
//! per path with parameters, bodies and typed errors. Times are medians of
//! several runs in this process; the ratio to parsing is what stays
//! comparable on a shared, noisy machine.
//!
//! `--scaling` ([`scaling`]) instead measures how generation time grows
//! with the document: two sizes of each of two synthesized documents, in
//! one run, reported as ratios and a growth exponent. `--corpus`
//! ([`corpus`]) measures throughput over a folder of real documents.

use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub mod corpus;
pub mod scaling;

/// What one benchmark run measured.
#[derive(Debug)]
pub struct GenBench {
    /// The spec's size in bytes.
    pub spec_bytes: usize,
    /// Median time to parse the spec into a `serde_json::Value`.
    pub parse: Duration,
    /// Median time to generate the crate's files in memory.
    pub generate: Duration,
    /// The generated files' total size in bytes.
    pub output_bytes: usize,
    /// How many files.
    pub files: usize,
}

impl GenBench {
    /// The report, one fact per line.
    pub fn render(&self) -> String {
        let mb = self.spec_bytes as f64 / 1e6;
        format!(
            "spec: {mb:.2} MB of OpenAPI JSON (synthesized)\n\
             parse as JSON:  {:>8.3} s\n\
             generate crate: {:>8.3} s ({:.1} MB/s; {} files, {:.1} MB of Rust)\n\
             ratio generate / parse: {:.1}\n",
            self.parse.as_secs_f64(),
            self.generate.as_secs_f64(),
            mb / self.generate.as_secs_f64().max(1e-9),
            self.files,
            self.output_bytes as f64 / 1e6,
            self.generate.as_secs_f64() / self.parse.as_secs_f64().max(1e-9),
        )
    }
}

/// Synthesizes a spec of about `megabytes` and times parsing and generating
/// it `runs` times each.
pub fn run(megabytes: f64, runs: usize) -> Result<GenBench, codegen::Error> {
    let spec = synthesize(megabytes);
    let settings = settings();
    let mut parse = Vec::new();
    let mut generate = Vec::new();
    let mut output = (0, 0);
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let value: Result<Value, _> = serde_json::from_str(&spec);
        parse.push(started.elapsed());
        drop(value);
        let started = Instant::now();
        let files = codegen::generate(&spec, &settings)?;
        generate.push(started.elapsed());
        output = (files.values().map(String::len).sum(), files.len());
    }
    Ok(GenBench {
        spec_bytes: spec.len(),
        parse: median(parse),
        generate: median(generate),
        output_bytes: output.0,
        files: output.1,
    })
}

/// The settings of a synthesized spec's crate.
fn settings() -> codegen::CrateSettings {
    codegen::CrateSettings {
        crate_name: "genbench".to_owned(),
        version: "0.1.0".to_owned(),
        spec_file: "genbench.json".to_owned(),
        spec_sha256: "0".repeat(64),
        source: "synthesized by cargo xtask genbench".to_owned(),
        command: "cargo xtask genbench".to_owned(),
        dev_dependencies: Default::default(),
        test_features: Vec::new(),
        runtime_path: crate::generate::runtime_dir().display().to_string(),
        standalone: true,
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// A pseudo-random sequence that is the same on every machine.
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// An OpenAPI 3.0 document of about `megabytes` (as pretty JSON).
pub fn synthesize(megabytes: f64) -> String {
    // About 4.6 kB of pretty JSON per schema with its path.
    let count = ((megabytes * 1e6) / 4_600.0).max(4.0) as usize;
    let mut random = Lcg(1203);
    let mut schemas = serde_json::Map::new();
    let mut paths = serde_json::Map::new();
    for i in 0..count {
        let mut properties = serde_json::Map::new();
        for j in 0..12 {
            let about =
                format!("Field {j} of resource {i}, described in a sentence of realistic length.");
            let property = match random.below(7) {
                0 => json!({"type": "array", "items": {"type": "string"}, "description": about}),
                1 => {
                    json!({"$ref": format!("#/components/schemas/Resource{}", random.below(count))})
                }
                2 => {
                    json!({"type": "string", "enum": ["ALPHA", "BETA", "GAMMA", "DELTA"], "description": about})
                }
                3 => json!({"type": "integer", "format": "int64", "description": about}),
                4 => json!({"type": "boolean", "description": about}),
                5 => json!({"type": "string", "format": "date-time", "description": about}),
                _ => json!({"type": "string", "description": about}),
            };
            properties.insert(format!("field{j}"), property);
        }
        schemas.insert(
            format!("Resource{i}"),
            json!({"type": "object", "description": format!("Resource number {i}."),
                   "required": ["field0"], "properties": properties}),
        );
        let reference = json!({"$ref": format!("#/components/schemas/Resource{i}")});
        let id =
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}});
        let error = json!({"description": "Not found.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resource0"}}}});
        paths.insert(
            format!("/resources{i}/{{id}}"),
            json!({
                "get": {
                    "operationId": format!("getResource{i}"), "tags": [format!("group{}", i % 40)],
                    "parameters": [id, {"name": "view", "in": "query", "schema": {"type": "string"}},
                                   {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}}],
                    "responses": {"200": {"description": "The resource.", "content": {"application/json": {"schema": reference}}},
                                  "404": error}
                },
                "put": {
                    "operationId": format!("putResource{i}"), "tags": [format!("group{}", i % 40)],
                    "parameters": [id],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": reference}}},
                    "responses": {"200": {"description": "The resource.", "content": {"application/json": {"schema": reference}}}}
                }
            }),
        );
    }
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "Genbench", "version": "1"},
        "servers": [{"url": "https://genbench.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_synthesized_spec_is_the_size_asked_and_generates() {
        let spec = super::synthesize(0.1);
        assert!((80_000..120_000).contains(&spec.len()), "{}", spec.len());
        assert_eq!(spec, super::synthesize(0.1), "deterministic");
        let bench = super::run(0.05, 1).unwrap();
        assert!(bench.files > 10 && bench.output_bytes > bench.spec_bytes);
        assert!(bench.render().contains("ratio generate / parse"));
    }
}
