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
    /// The servers the spec names, the default first (OpenAPI `servers`);
    /// empty when the spec has only a root URL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<Server>,
    /// Credentials other than OAuth scopes that methods accept (API keys,
    /// HTTP bearer and basic), sorted by spec name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_schemes: Vec<SecurityScheme>,
    /// How 64-bit integers travel in JSON bodies.
    #[serde(default, skip_serializing_if = "Int64Encoding::is_string")]
    pub int64_encoding: Int64Encoding,
    /// Pollers of long-running operations fetched by name, one per
    /// operation type, sorted by type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operation_pollers: Vec<OperationPoller>,
}

/// How 64-bit integers travel in JSON bodies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Int64Encoding {
    /// As decimal strings, as Google's APIs send them (JSON numbers lose
    /// precision past 2^53 in JavaScript).
    #[default]
    String,
    /// As JSON numbers, as OpenAPI's `int64` format says.
    Number,
}

impl Int64Encoding {
    /// Whether integers travel as strings (the default, left out of `api.json`).
    pub fn is_string(&self) -> bool {
        *self == Self::String
    }
}

/// A server the API is reachable at (an OpenAPI Server Object).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Server {
    /// The URL template, with `{variable}`s, as the spec writes it.
    pub url: String,
    /// What it is.
    pub description: String,
    /// Its variables, in the order the spec declares them.
    pub variables: Vec<ServerVariable>,
}

/// A variable of a server URL.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ServerVariable {
    /// Its name in the URL template.
    pub name: String,
    /// The value used when none is chosen.
    pub default: String,
    /// The values allowed, when the spec limits them.
    pub values: Vec<String>,
    /// What it means.
    pub description: String,
}

/// A way of authenticating that is not an OAuth scope: the client holds a
/// credential for it, and methods that accept it send it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SecurityScheme {
    /// The scheme's name in the spec, such as `api_key`.
    pub name: String,
    /// The function in `security` that makes its credential, such as `api_key`.
    pub fn_name: String,
    /// What it is.
    pub description: String,
    /// How the credential travels.
    pub kind: SecurityKind,
}

/// How a credential travels.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum SecurityKind {
    /// An API key in a header, query parameter or cookie of this name.
    ApiKey {
        /// Where it travels.
        location: Location,
        /// The header, parameter or cookie name.
        name: String,
    },
    /// `Authorization: Bearer <token>`; OAuth 2.0 and OpenID Connect
    /// schemes too, whose tokens come from the client's token provider.
    Bearer {
        /// Whether the token comes from the token provider (OAuth 2.0,
        /// OpenID Connect) rather than a fixed credential.
        token_provider: bool,
    },
    /// `Authorization: Basic <user:password>`.
    Basic,
}

/// The schema `Type::Named` names, by its path under `models` (`Pet`, or
/// `dog::Toy` for one declared inline: module `dog`'s nested `Toy`).
pub fn find_schema<'s>(schemas: &'s [Schema], path: &str) -> Option<&'s Schema> {
    let mut segments: Vec<&str> = path.split("::").collect();
    let last = segments.pop()?;
    let mut scope = schemas;
    for module in segments {
        let bare = module.trim_start_matches("r#");
        scope = &scope
            .iter()
            .find(|s| s.module.trim_start_matches("r#") == bare)?
            .nested;
    }
    scope.iter().find(|s| s.rust_name == last)
}

impl Api {
    /// The schema a `Type::Named` path names; see [`find_schema`].
    pub fn schema(&self, path: &str) -> Option<&Schema> {
        find_schema(&self.schemas, path)
    }

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
    /// The alternative sets of security schemes (names in
    /// `Api::security_schemes`) that authorize the call, in spec order; an
    /// empty set means anonymous calls are accepted. `None`: the API uses
    /// OAuth scopes only (`scopes`), as Discovery documents do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<Vec<Vec<String>>>,
    /// How the success body is read (JSON unless the spec says otherwise).
    #[serde(default, skip_serializing_if = "BodyEncoding::is_json")]
    pub response_encoding: BodyEncoding,
    /// Typed error bodies the spec documents, by status (`404`, `4XX`, `default`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorBody>,
    /// Whether `alt=media` downloads the resource's content, and from where.
    pub download: Option<Download>,
    /// How media is uploaded, when the method accepts it.
    pub upload: Option<Upload>,
    /// The long-running operation the method starts, when it returns one
    /// and the API has a method to poll it with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_running: Option<LongRunning>,
}

/// A method that starts a long-running operation: how to poll it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LongRunning {
    /// Which convention the operation follows.
    pub style: OperationStyle,
    /// The operation's type (the method's response).
    pub operation: Type,
    /// How the operation is fetched again.
    pub poll: Poll,
}

/// How a long-running operation is fetched again.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Poll {
    /// By its full name, with the API's poller for the operation type
    /// (`Api::operation_pollers`): the first `operations.get` whose path
    /// accepts the name.
    ByName,
    /// With this call, in the scope the starting call names (Compute's
    /// project and zone, App Engine's app, a Storage bucket).
    InScope(PollCall),
}

/// The convention a long-running operation follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OperationStyle {
    /// `google.longrunning.Operation` (google.aip.dev/151): `name`, `done`,
    /// `error`, `metadata`, `response`.
    Google,
    /// Compute Engine's `Operation`: `status` is `DONE` when finished,
    /// failures in `error.errors[]`.
    Compute,
}

/// The calls that fetch operations of one type by name, shared by every
/// method that starts one.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OperationPoller {
    /// The operation type.
    pub operation: Type,
    /// The crate-internal function in `resources` that polls it.
    pub fn_name: String,
    /// The `get` methods that take a full name, most specific path first.
    pub calls: Vec<PollCall>,
}

/// A call that fetches an operation again.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PollCall {
    /// The method's id, for docs.
    pub method_id: String,
    /// The accessors from the client to the method's resource, such as
    /// `["projects", "locations", "operations"]`.
    pub accessors: Vec<String>,
    /// The method's function.
    pub fn_name: String,
    /// Its positional arguments, in order.
    pub args: Vec<PollArg>,
}

/// Where a poll call's argument comes from.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum PollArg {
    /// The operation's `name`.
    OperationName,
    /// The last segment of the operation's `name` (its id).
    OperationId,
    /// The argument of the starting call with this Rust name (its project,
    /// zone or region), cloned before the call is sent.
    CallArgument(String),
}

/// A list method's paging: a `pageToken` parameter and a `nextPageToken`
/// field of the response.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Paging {
    /// The builder field holding the page token, such as `page_token`.
    pub token_field: String,
    /// The response field holding the next token, such as `next_page_token`.
    pub next_token_field: String,
    /// The list the pages carry (google.aip.dev/158), when one field of the
    /// response is clearly it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<PageItems>,
    /// The wire names of the response's lists that could each be the
    /// items, when there are several (for docs: which was chosen, or why
    /// none was).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
}

/// The field of a list response that holds its items.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PageItems {
    /// Its Rust field name.
    pub field: String,
    /// Its wire name.
    pub wire_name: String,
    /// The type of one item; for a map, of one value (items are then
    /// `(key, value)` pairs, as Compute's `aggregatedList` returns them).
    pub ty: Type,
    /// Whether the field is a map rather than a list.
    pub keyed: bool,
    /// Whether the field is boxed.
    pub boxed: bool,
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
    /// The media types the body may be sent as, the default first; empty
    /// means `application/json` only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<BodyMedia>,
    /// Whether the spec requires a body (the caller gives one to start the call).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

impl Body {
    /// The media types, `application/json` when the spec names none.
    pub fn media_types(&self) -> Vec<BodyMedia> {
        if self.media.is_empty() {
            vec![BodyMedia {
                content_type: "application/json".to_owned(),
                encoding: BodyEncoding::Json,
                properties: Vec::new(),
            }]
        } else {
            self.media.clone()
        }
    }
}

/// One media type a body may travel as.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BodyMedia {
    /// The `Content-Type`, as the spec spells it (`application/json; charset=utf-8`).
    pub content_type: String,
    /// How the value becomes bytes.
    pub encoding: BodyEncoding,
    /// How single properties of a form or multipart body are written, when
    /// the spec says (its Encoding Object), by property name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<PropertyEncoding>,
}

/// How one property of a form or multipart body is written.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PropertyEncoding {
    /// The property's wire name.
    pub property: String,
    /// Its style in a form body, when the spec sets one.
    pub style: Option<ParamStyle>,
    /// Its content type in a multipart body (a file part's), when the spec sets one.
    pub content_type: Option<String>,
}

/// How a body value becomes bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BodyEncoding {
    /// JSON text.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded` pairs of the object's properties.
    Form,
    /// `multipart/form-data` parts of the object's properties.
    Multipart,
    /// The bytes themselves (`application/octet-stream`, images, ...).
    Binary,
    /// UTF-8 text (`text/plain`, ...).
    Text,
}

impl BodyEncoding {
    /// Whether this is JSON (the default, left out of `api.json`).
    pub fn is_json(&self) -> bool {
        *self == Self::Json
    }
}

/// An error response the spec documents with a body schema.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ErrorBody {
    /// The status as the spec writes it: `404`, `4XX` or `default`.
    pub status: String,
    /// What it means.
    pub description: String,
    /// The body's type.
    pub ty: Type,
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
    /// HEAD
    Head,
    /// OPTIONS
    Options,
    /// TRACE
    Trace,
}

/// Whether calls with this verb are retried by default: the verbs HTTP
/// calls idempotent (RFC 9110), as the runtime's `is_idempotent` says.
pub fn is_idempotent_verb(method: HttpMethod) -> bool {
    matches!(
        method,
        HttpMethod::Get
            | HttpMethod::Head
            | HttpMethod::Options
            | HttpMethod::Put
            | HttpMethod::Delete
    )
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
            Self::Head => "HEAD",
            Self::Options => "OPTIONS",
            Self::Trace => "TRACE",
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
    /// parameter's pattern is its binding in the path template instead;
    /// only a pattern no binding can express (groups, alternation, counted
    /// repetition) is kept here, for the docs, and the server checks it.
    pub pattern: Option<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// For a path parameter whose binding has a typed resource name, that
    /// type in `names` (such as `ArchiveJobName`), which calls accept as well
    /// as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
    /// How the value is serialized, when not by its location's default
    /// (path: one segment; query: one pair per value; header: values
    /// joined by `,`; cookie: one pair per value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ParamStyle>,
    /// The media type whose text the value is sent as (an OpenAPI parameter
    /// with `content` instead of `schema`: its JSON text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

/// An OpenAPI parameter serialization (`style`, `explode`, `allowReserved`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ParamStyle {
    /// The style.
    pub style: Style,
    /// Whether arrays and objects are spread over several pairs or segments.
    pub explode: bool,
    /// Whether reserved characters in query values are sent unencoded.
    pub allow_reserved: bool,
}

/// OpenAPI parameter styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Style {
    /// `;name=value` path segments.
    Matrix,
    /// `.value` path segments.
    Label,
    /// `value,value` (paths and headers).
    Simple,
    /// `name=value&name=value` or `name=value,value` (queries and cookies).
    Form,
    /// Values joined by spaces.
    SpaceDelimited,
    /// Values joined by `|`.
    PipeDelimited,
    /// `name[key]=value` pairs.
    DeepObject,
}

/// Where a parameter's value travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Location {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a request header.
    Header,
    /// In the `Cookie` header.
    Cookie,
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
    /// One of several shapes (OpenAPI `oneOf`/`anyOf`): an enum with a
    /// variant per shape and one that keeps any other value.
    Union {
        /// The shapes, in the order they are tried (or looked up by tag).
        variants: Vec<UnionVariant>,
        /// The property whose value names the shape, when the spec says.
        discriminator: Option<String>,
    },
}

/// One shape of a union.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UnionVariant {
    /// Rust variant name.
    pub rust_name: String,
    /// Its type.
    pub ty: Type,
    /// The discriminator values that select it (empty without a discriminator).
    pub tags: Vec<String>,
    /// Whether it is held in a `Box` because the type contains itself.
    pub boxed: bool,
}

/// A struct field.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Field {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust field name.
    pub rust_name: String,
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
    /// Whether it holds the object's other properties (a map, flattened
    /// into the object on the wire) rather than one property.
    #[serde(default, skip_serializing_if = "is_false")]
    pub flatten: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
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
    /// `i64`, a decimal string on the wire unless `Api::int64_encoding` says otherwise.
    I64,
    /// `u64`, a decimal string on the wire unless `Api::int64_encoding` says otherwise.
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
    /// Raw bytes, not JSON (`format: binary` in a binary or multipart body).
    Binary,
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
