//! Serde types for the Google API Discovery format, as documents use it.
//!
//! These mirror the JSON closely and carry no meaning of their own; `lower`
//! turns them into the IR. Unknown keys are ignored so that newer documents
//! still load. Maps are `BTreeMap`, so iteration order never depends on the
//! key order of the file.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A whole Discovery document (`discovery#restDescription`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    /// The API's short name, such as `dataportability`.
    pub name: String,
    /// The API version, such as `v1`.
    pub version: String,
    /// A human title.
    #[serde(default)]
    pub title: Option<String>,
    /// What the API is for.
    #[serde(default)]
    pub description: Option<String>,
    /// The revision of the document (a date such as `20250725`).
    #[serde(default)]
    pub revision: Option<String>,
    /// Where the API's documentation lives.
    #[serde(default)]
    pub documentation_link: Option<String>,
    /// The service's root URL, ending in `/`.
    pub root_url: String,
    /// The prefix that every method path is relative to.
    #[serde(default)]
    pub service_path: String,
    /// Whether `{+x}` expansions percent-encode reserved characters too.
    #[serde(default)]
    pub fully_encode_reserved_expansion: Option<bool>,
    /// Parameters every method accepts.
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameter>,
    /// OAuth 2.0 scopes.
    #[serde(default)]
    pub auth: Option<Auth>,
    /// Named schemas.
    #[serde(default)]
    pub schemas: BTreeMap<String, Schema>,
    /// Top-level resources.
    #[serde(default)]
    pub resources: BTreeMap<String, Resource>,
    /// Methods outside any resource.
    #[serde(default)]
    pub methods: BTreeMap<String, Method>,
}

/// The `auth` object.
#[derive(Debug, Deserialize)]
pub struct Auth {
    /// OAuth 2.0 settings.
    #[serde(default)]
    pub oauth2: Option<OAuth2>,
}

/// The `auth.oauth2` object.
#[derive(Debug, Deserialize)]
pub struct OAuth2 {
    /// Scope URL to its description.
    #[serde(default)]
    pub scopes: BTreeMap<String, ScopeInfo>,
}

/// One entry of `auth.oauth2.scopes`.
#[derive(Debug, Deserialize)]
pub struct ScopeInfo {
    /// What the scope grants.
    #[serde(default)]
    pub description: Option<String>,
}

/// A resource: methods and nested resources.
#[derive(Debug, Deserialize)]
pub struct Resource {
    /// Methods of this resource.
    #[serde(default)]
    pub methods: BTreeMap<String, Method>,
    /// Nested resources.
    #[serde(default)]
    pub resources: BTreeMap<String, Resource>,
}

/// One REST method.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Method {
    /// The method id, such as `dataportability.archiveJobs.retry`.
    pub id: String,
    /// The HTTP verb.
    pub http_method: String,
    /// The path template, relative to the service path.
    pub path: String,
    /// The same path with every variable a single segment, if given.
    #[serde(default)]
    pub flat_path: Option<String>,
    /// What the method does.
    #[serde(default)]
    pub description: Option<String>,
    /// The method's own parameters.
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameter>,
    /// The order of the required parameters.
    #[serde(default)]
    pub parameter_order: Vec<String>,
    /// The request body, if any: a `$ref` (or, rarely, an inline schema).
    #[serde(default)]
    pub request: Option<Schema>,
    /// The response body, if any: a `$ref` (or, rarely, an inline schema).
    #[serde(default)]
    pub response: Option<Schema>,
    /// Scopes, any one of which authorizes the call.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Whether the method is deprecated.
    #[serde(default)]
    pub deprecated: Option<bool>,
    /// Whether `alt=media` returns the resource's content instead of JSON.
    #[serde(default)]
    pub supports_media_download: Option<bool>,
    /// Whether media downloads go to `download/` + the service path.
    #[serde(default)]
    pub use_media_download_service: Option<bool>,
    /// Whether the method accepts uploaded media.
    #[serde(default)]
    pub supports_media_upload: Option<bool>,
    /// How media is uploaded, when it is.
    #[serde(default)]
    pub media_upload: Option<MediaUpload>,
}

/// The `mediaUpload` object of a method.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaUpload {
    /// Accepted MIME type ranges, such as `image/*`.
    #[serde(default)]
    pub accept: Vec<String>,
    /// The largest upload, such as `5TB` or `2097152`.
    #[serde(default)]
    pub max_size: Option<String>,
    /// The upload protocols and their paths.
    #[serde(default)]
    pub protocols: MediaProtocols,
}

/// The `mediaUpload.protocols` object.
#[derive(Debug, Default, Deserialize)]
pub struct MediaProtocols {
    /// One request carrying the media (and metadata, as multipart).
    #[serde(default)]
    pub simple: Option<MediaProtocol>,
    /// A session that survives interruptions.
    #[serde(default)]
    pub resumable: Option<MediaProtocol>,
}

/// One upload protocol.
#[derive(Debug, Deserialize)]
pub struct MediaProtocol {
    /// Whether metadata can travel with the media.
    #[serde(default)]
    pub multipart: Option<bool>,
    /// The upload path, absolute from the root URL, such as
    /// `/upload/storage/v1/b/{bucket}/o`.
    pub path: String,
}

/// A method or standard parameter.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    /// JSON type: `string`, `integer`, `number`, `boolean`, `any` or
    /// (rarely, in the query) `object`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Refinement of the type, such as `int64`.
    #[serde(default)]
    pub format: Option<String>,
    /// `path` or `query`.
    pub location: String,
    /// What the parameter means.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether a value must be given.
    #[serde(default)]
    pub required: Option<bool>,
    /// Whether the parameter may be given several times.
    #[serde(default)]
    pub repeated: Option<bool>,
    /// A regular expression that values must match.
    #[serde(default)]
    pub pattern: Option<String>,
    /// The allowed values.
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    /// One description per allowed value.
    #[serde(default)]
    pub enum_descriptions: Option<Vec<String>>,
    /// Which allowed values are deprecated, one flag per value.
    #[serde(default)]
    pub enum_deprecated: Option<Vec<bool>>,
    /// The server's default.
    #[serde(default)]
    pub default: Option<String>,
    /// Whether the parameter is deprecated.
    #[serde(default)]
    pub deprecated: Option<bool>,
    /// The schema of an `object` parameter's values, when it is a map.
    #[serde(default)]
    pub additional_properties: Option<Box<Schema>>,
    /// The named fields of an `object` parameter.
    #[serde(default)]
    pub properties: BTreeMap<String, Schema>,
}

/// A JSON schema, named or inline.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// A pointer to a named schema instead of an inline one.
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    /// JSON type: `object`, `array`, `string`, `integer`, `number`, `boolean` or `any`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Refinement of the type, such as `google-datetime`.
    #[serde(default)]
    pub format: Option<String>,
    /// What the schema or field means.
    #[serde(default)]
    pub description: Option<String>,
    /// Fields of an object.
    #[serde(default)]
    pub properties: BTreeMap<String, Schema>,
    /// Value schema of a map-like object.
    #[serde(default)]
    pub additional_properties: Option<Box<Schema>>,
    /// Element schema of an array.
    #[serde(default)]
    pub items: Option<Box<Schema>>,
    /// The allowed values of a string.
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    /// One description per allowed value.
    #[serde(default)]
    pub enum_descriptions: Option<Vec<String>>,
    /// Which allowed values are deprecated, one flag per value.
    #[serde(default)]
    pub enum_deprecated: Option<Vec<bool>>,
    /// Whether the field is deprecated.
    #[serde(default)]
    pub deprecated: Option<bool>,
    /// Whether only the server sets the field.
    #[serde(default)]
    pub read_only: Option<bool>,
}
