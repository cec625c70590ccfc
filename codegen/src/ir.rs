//! The generator's intermediate representation: an API as the emitters need
//! it, with every Rust name already chosen and every order already fixed.
//!
//! Emitters read only these types, never the Discovery JSON, so a second
//! input format (OpenAPI) needs only a second lowering.

use crate::path_template::{Binding, PathTemplate};

/// A whole API.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Api {
    /// Short name, such as `dataportability`.
    pub name: String,
    /// Version, such as `v1`.
    pub version: String,
    /// Human title.
    pub title: String,
    /// What the API is for.
    pub description: String,
    /// The spec's revision.
    pub revision: String,
    /// Where the documentation lives.
    pub documentation_link: Option<String>,
    /// The default root URL, ending in `/`.
    pub root_url: String,
    /// The prefix of every method path.
    pub service_path: String,
    /// OAuth scopes, sorted by URL.
    pub scopes: Vec<Scope>,
    /// Parameters every method accepts and the caller may set.
    pub standard_params: Vec<Parameter>,
    /// Named types, sorted by spec name.
    pub schemas: Vec<Schema>,
    /// Resources, sorted by spec name.
    pub resources: Vec<Resource>,
    /// Methods outside any resource, called on the client itself, sorted by spec name.
    pub methods: Vec<Method>,
    /// Typed resource names (`src/names.rs`), one per distinct path binding
    /// with literal and variable segments, sorted by Rust name. Absent from
    /// the `api.json` of crates made before they existed.
    #[serde(default)]
    pub resource_names: Vec<ResourceName>,
}

impl Api {
    /// Every method: the client's own, then each resource's, depth first.
    pub fn all_methods(&self) -> Vec<&Method> {
        fn walk<'a>(resources: &'a [Resource], out: &mut Vec<&'a Method>) {
            for resource in resources {
                out.extend(&resource.methods);
                walk(&resource.resources, out);
            }
        }
        let mut out: Vec<&Method> = self.methods.iter().collect();
        walk(&self.resources, &mut out);
        out
    }
}

/// A typed resource name: a type in `names` for the values of one path
/// binding, such as `ArchiveJobName` for `archiveJobs/*`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ResourceName {
    /// The type's name, such as `LocationName`.
    pub rust_name: String,
    /// The shape of its values, such as `projects/*/locations/*`.
    pub binding: Binding,
    /// One accessor per variable segment (`*`, `**`), in path order, such
    /// as `project` and `location`; escaped where needed (`r#type`).
    pub accessors: Vec<String>,
}

/// An OAuth scope.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scope {
    /// The scope URL.
    pub url: String,
    /// What it grants.
    pub description: String,
    /// The `Scope` enum variant.
    pub variant: String,
}

/// A group of methods, possibly with nested groups.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Resource {
    /// Spec name, such as `archiveJobs`.
    pub name: String,
    /// Module that holds its call types, such as `archive_jobs`.
    pub module: String,
    /// Accessor method on the parent, such as `archive_jobs`.
    pub accessor: String,
    /// The accessor's return type, such as `ArchiveJobs`.
    pub type_name: String,
    /// Methods, sorted by spec name.
    pub methods: Vec<Method>,
    /// Nested resources, sorted by spec name.
    pub resources: Vec<Resource>,
}

/// One REST method.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Method {
    /// The method id, such as `dataportability.archiveJobs.retry`.
    pub id: String,
    /// The function on the resource, such as `retry`.
    pub fn_name: String,
    /// The call builder type, such as `Retry`.
    pub builder: String,
    /// What it does.
    pub description: String,
    /// The HTTP verb, upper case.
    pub http_method: HttpMethod,
    /// The path, relative to the service path.
    pub path: PathTemplate,
    /// Required parameters (every path parameter, required query ones):
    /// positional arguments in this order.
    pub args: Vec<Parameter>,
    /// Optional query parameters of this method, set on the call builder.
    pub optional: Vec<Parameter>,
    /// The request body type.
    pub request: Option<Body>,
    /// The response body type (`None`: the response body is ignored).
    pub response: Option<Type>,
    /// Scope variants, any one of which authorizes the call, in URL order.
    pub scopes: Vec<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// How to walk the pages of a list, when the method is one.
    pub paging: Option<Paging>,
    /// Whether `alt=media` downloads the resource's content, and from where.
    pub download: Option<Download>,
    /// How media is uploaded, when the method accepts it.
    pub upload: Option<Upload>,
}

/// A list method's paging: a `pageToken` parameter and a `nextPageToken`
/// field of the response.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Paging {
    /// The builder field holding the page token, such as `page_token`.
    pub token_field: String,
    /// The response field holding the next token, such as `next_page_token`.
    pub next_token_field: String,
}

/// A method whose content can be downloaded with `alt=media`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Download {
    /// Whether the download goes to `download/` + the service path.
    pub use_download_service: bool,
}

/// A method that accepts uploaded media.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Upload {
    /// The path of simple (one request) uploads, absolute from the root URL.
    pub simple_path: Option<PathTemplate>,
    /// The path of resumable uploads, absolute from the root URL.
    pub resumable_path: Option<PathTemplate>,
    /// Accepted MIME type ranges, such as `image/*`; empty when any is.
    pub accept: Vec<String>,
    /// The largest upload in bytes, when the spec limits it.
    pub max_size: Option<u64>,
}

/// A method's request body.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Body {
    /// The Rust type.
    pub ty: Type,
    /// Whether the schema has no fields (sent as `{}` without asking the caller).
    pub empty: bool,
}

/// An HTTP verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum HttpMethod {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl HttpMethod {
    /// The verb as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

/// A method or standard parameter.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Parameter {
    /// Name on the wire, such as `$.xgafv`.
    pub wire_name: String,
    /// Field and setter name, such as `xgafv`.
    pub rust_name: String,
    /// What it means.
    pub description: String,
    /// Where the value travels.
    pub location: Location,
    /// Its Rust type (of one value, when repeated).
    pub ty: Type,
    /// Whether it may be given several times.
    pub repeated: bool,
    /// The server's default, for documentation.
    pub default: Option<String>,
    /// The regular expression a query parameter's values must match, as the
    /// spec writes it (the server checks it; kept for diffs). A path
    /// parameter's pattern is its binding in the path template instead.
    pub pattern: Option<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// For a path parameter whose binding has a typed resource name, that
    /// type in `names` (such as `ArchiveJobName`), which calls accept as well
    /// as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
}

/// Where a parameter's value travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Location {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
}

/// A named type: a schema of the spec, or an object declared inline in one.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Schema {
    /// Spec name (for an inline object, the path to it, such as `AclRule.scope`).
    pub name: String,
    /// Rust type name.
    pub rust_name: String,
    /// Module for its inner types, such as `portability_archive_state`: the
    /// last segment of its path under `models`.
    pub module: String,
    /// What it is.
    pub description: String,
    /// Its shape.
    pub kind: SchemaKind,
    /// Enums declared by its fields, emitted in its module.
    pub enums: Vec<Enum>,
    /// Objects declared inline in its fields, emitted in its module.
    pub nested: Vec<Schema>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
}

/// The shape of a named type.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum SchemaKind {
    /// A JSON object with known fields.
    Struct {
        /// Fields, sorted by wire name.
        fields: Vec<Field>,
    },
    /// Any other JSON value, named.
    Alias(Type),
}

/// A struct field.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Field {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust field name.
    pub rust_name: String,
    /// snake_case spelling accepted on input too, when it differs.
    pub alias: Option<String>,
    /// What it means.
    pub description: String,
    /// Its type (always sent as optional).
    pub ty: Type,
    /// Whether only the server sets it.
    pub read_only: bool,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// Whether it is held in a `Box` because the type contains itself.
    pub boxed: bool,
}

/// An open string enum.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Enum {
    /// Rust type name.
    pub rust_name: String,
    /// What it is.
    pub description: String,
    /// Known values, in spec order.
    pub variants: Vec<Variant>,
}

/// A known enum value.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Variant {
    /// The value on the wire.
    pub wire_name: String,
    /// Rust variant name.
    pub rust_name: String,
    /// What it means.
    pub description: String,
    /// Whether the spec marks the value deprecated.
    pub deprecated: bool,
}

/// A Rust type for a JSON value.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Type {
    /// `String`
    String,
    /// `bool`
    Bool,
    /// `i32`
    I32,
    /// `u32`
    U32,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `i64`, a decimal string on the wire.
    I64,
    /// `u64`, a decimal string on the wire.
    U64,
    /// An RFC 3339 timestamp (`google-datetime`, `date-time`).
    Timestamp,
    /// A calendar date, `YYYY-MM-DD` (`date`).
    Date,
    /// A signed duration such as `3.5s` (`google-duration`).
    Duration,
    /// Comma-separated field paths (`google-fieldmask`).
    FieldMask,
    /// Bytes, base64 on the wire (`byte`).
    Bytes,
    /// Any JSON value.
    Any,
    /// `Vec<T>`
    Array(Box<Type>),
    /// `BTreeMap<String, T>`
    Map(Box<Type>),
    /// A named schema, by its path under `models`, such as `AclRule` or
    /// `acl_rule::Scope` for an object declared inline.
    Named(String),
    /// An enum declared in a schema's module: (module path, type name).
    Enum(EnumRef),
}

/// Where an enum type lives.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EnumRef {
    /// The module under the crate root, such as `models::portability_archive_state`.
    pub module: String,
    /// The type name.
    pub name: String,
    /// The enum, for parameters whose enum is declared with the parameter.
    pub definition: Option<Box<Enum>>,
}
