//! The one call a tiny binary makes through a generated crate, chosen on
//! the crate's IR so it works for any API and any feature selection.

use codegen::ir::{Api, HttpMethod, Method, Resource, Type};

/// One call the tiny binary makes: a method reached through `chain`
/// (accessors from the client, such as `projects().operations()`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// Accessor calls from the client, each with `()`, joined by `.`.
    pub chain: String,
    /// The method's function name.
    pub method: String,
    /// How many string arguments it takes.
    pub args: usize,
    /// The method id, for the report.
    pub id: String,
}

impl Call {
    /// The call on `client`, its arguments all `"x"`.
    pub fn expression(&self) -> String {
        let args = vec!["\"x\""; self.args].join(", ");
        if self.chain.is_empty() {
            format!("client.{}({args})", self.method)
        } else {
            format!("client.{}.{}({args})", self.chain, self.method)
        }
    }
}

/// The simplest call a binary can make with string arguments alone: no
/// body to build (or an empty one), every argument a `String`; a `GET`
/// first, then the fewest arguments, the shallowest resource, the method
/// id. Only the client's own methods and those of the top-level resources
/// `compiled` accepts (by index into `api.resources`) are reachable: a
/// crate with resource features compiles only those its build turns on.
pub fn pick_call(api: &Api, compiled: &dyn Fn(usize) -> bool) -> Option<Call> {
    let mut candidates = Vec::new();
    for method in &api.methods {
        consider(&mut candidates, "", 0, method);
    }
    for (index, resource) in api.resources.iter().enumerate() {
        if compiled(index) {
            walk(&mut candidates, "", 1, resource);
        }
    }
    candidates
        .into_iter()
        .min_by(|(a_key, a), (b_key, b)| a_key.cmp(b_key).then_with(|| a.id.cmp(&b.id)))
        .map(|(_, call)| call)
}

type Candidate = ((bool, usize, usize), Call);

fn walk(found: &mut Vec<Candidate>, chain: &str, depth: usize, resource: &Resource) {
    let chain = if chain.is_empty() {
        format!("{}()", resource.accessor)
    } else {
        format!("{chain}.{}()", resource.accessor)
    };
    for method in &resource.methods {
        consider(found, &chain, depth, method);
    }
    for child in &resource.resources {
        walk(found, &chain, depth + 1, child);
    }
}

fn consider(found: &mut Vec<Candidate>, chain: &str, depth: usize, method: &Method) {
    let body_free = method.request.as_ref().is_none_or(|body| body.empty);
    let strings = method
        .args
        .iter()
        .all(|arg| arg.ty == Type::String && !arg.repeated);
    if body_free && strings {
        let key = (
            method.http_method != HttpMethod::Get,
            method.args.len(),
            depth,
        );
        found.push((
            key,
            Call {
                chain: chain.to_owned(),
                method: method.fn_name.clone(),
                args: method.args.len(),
                id: method.id.clone(),
            },
        ));
    }
}

/// The tiny binary's `main.rs`: one call through the generated crate.
pub fn client_main(crate_name: &str, call: &Call) -> String {
    let krate = crate_name.replace('-', "_");
    format!(
        r#"//! One call ({id}) through the generated client.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {{
    let client = {krate}::Client::builder()
        .endpoint("http://127.0.0.1:9/")
        .token_provider({krate}::StaticToken::new("token")?)
        .build()?;
    let result = {call}.await;
    println!("{{}}", result.is_ok());
    Ok(())
}}
"#,
        id = call.id,
        call = call.expression(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(document: &str) -> Api {
        codegen::lower_any("x.json", document, &codegen::openapi::refs::NoFiles).unwrap()
    }

    const DOC: &str = r#"{
        "kind": "discovery#restDescription", "discoveryVersion": "v1",
        "name": "x", "version": "v1", "title": "X", "rootUrl": "https://x.googleapis.com/",
        "servicePath": "", "protocol": "rest",
        "schemas": {"Thing": {"id": "Thing", "type": "object", "properties": {"a": {"type": "string"}}}},
        "resources": {
            "projects": {
                "methods": {
                    "create": {"id": "x.projects.create", "path": "v1/{+parent}", "httpMethod": "POST",
                        "parameters": {"parent": {"type": "string", "location": "path", "required": true}},
                        "parameterOrder": ["parent"], "request": {"$ref": "Thing"}, "response": {"$ref": "Thing"}}
                },
                "resources": {
                    "things": {"methods": {
                        "get": {"id": "x.projects.things.get", "path": "v1/{+name}", "httpMethod": "GET",
                            "parameters": {"name": {"type": "string", "location": "path", "required": true}},
                            "parameterOrder": ["name"], "response": {"$ref": "Thing"}}
                    }}
                }
            },
            "widgets": {
                "methods": {
                    "list": {"id": "x.widgets.list", "path": "v1/widgets", "httpMethod": "GET",
                        "response": {"$ref": "Thing"}}
                }
            }
        }
    }"#;

    #[test]
    fn the_call_is_the_simplest_get_reachable() {
        let api = api(DOC);
        let call = pick_call(&api, &|_| true).unwrap();
        assert_eq!(call.expression(), "client.widgets().list()");
        // With resource features, only the compiled resources count.
        let call = pick_call(&api, &|index| index == 0).unwrap();
        assert_eq!(call.expression(), "client.projects().things().get(\"x\")");
        assert_eq!(call.id, "x.projects.things.get");
        assert_eq!(pick_call(&api, &|_| false), None);
        let main = client_main("google-x-v1", &call);
        assert!(main.contains("google_x_v1::Client::builder()"), "{main}");
        assert!(main.contains("let result = client.projects().things().get(\"x\").await;"));
    }

    #[test]
    fn resource_features_are_declared_top_level_modules_biggest_first() {
        let api = api(DOC);
        let declared: Vec<String> = ["default", "rustls-ring", "dispatch", "widgets", "projects"]
            .map(str::to_owned)
            .into();
        assert_eq!(
            crate::budget::features::resource_features(&declared, &api),
            [("projects".to_owned(), 2), ("widgets".to_owned(), 1)]
        );
        assert!(crate::budget::features::resource_features(&declared[..3], &api).is_empty());
    }

    #[test]
    fn the_default_build_reaches_every_resource_and_one_feature_its_own() {
        use crate::budget::features::{Selection, compiled_resources};
        let api = api(DOC);
        let declared: Vec<String> = [
            "default",
            "all-resources",
            "rustls-ring",
            "widgets",
            "projects",
        ]
        .map(str::to_owned)
        .into();
        let default = compiled_resources(&api, &declared, &Selection::Default);
        assert_eq!(default, [true, true]);
        let call = pick_call(&api, &|index| default[index]).unwrap();
        assert_eq!(call.expression(), "client.widgets().list()");
        let projects = Selection::parse("projects").unwrap();
        assert_eq!(
            compiled_resources(&api, &declared, &projects),
            [true, false]
        );
        // A resource without a feature of its own is always compiled.
        let widgets_ungated = ["default".to_owned(), "projects".to_owned()];
        assert_eq!(
            compiled_resources(&api, &widgets_ungated, &projects),
            [true, true]
        );
    }

    #[test]
    fn a_resource_named_like_a_fixed_feature_is_measured_under_its_own() {
        let api = api(&DOC.replace("\"widgets\": {", "\"fake\": {"));
        let declared: Vec<String> = ["default", "fake", "fake-resource", "projects"]
            .map(str::to_owned)
            .into();
        assert_eq!(
            crate::budget::features::resource_features(&declared, &api),
            [("projects".to_owned(), 2), ("fake-resource".to_owned(), 1)]
        );
    }
}
