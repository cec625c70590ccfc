//! Serde types of the OpenAPI 3.0/3.1 objects the generator reads. Every
//! field is optional or defaulted: what a spec must have is checked while
//! lowering, where the error can name the JSON path. Unknown keys
//! (extensions, `examples`, `links`, ...) are ignored; maps are `BTreeMap`
//! so nothing depends on key order.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The document root.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Document {
    /// `3.0.x` or `3.1.x`.
    pub openapi: String,
    /// Title, version, description.
    pub info: Info,
    /// Where the API is served.
    pub servers: Vec<Server>,
    /// Operations by path.
    pub paths: BTreeMap<String, PathItem>,
    /// Reusable objects.
    pub components: Components,
    /// The security requirements of every operation that states none.
    pub security: Option<Vec<BTreeMap<String, Vec<String>>>>,
    /// Where the API's documentation lives.
    #[serde(rename = "externalDocs")]
    pub external_docs: Option<ExternalDocs>,
}

/// An External Documentation Object.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExternalDocs {
    /// Its URL.
    pub url: String,
}

/// `info`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Info {
    /// The API's name for people.
    pub title: String,
    /// The API's version (not the OpenAPI version).
    pub version: String,
    /// What it is.
    pub description: Option<String>,
    /// Google's conversions name the service (`dataportability`).
    #[serde(rename = "x-serviceName")]
    pub service_name: Option<String>,
}

/// A Server Object.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Server {
    /// The URL, possibly relative, with `{variables}`.
    pub url: String,
    /// What it is.
    pub description: Option<String>,
    /// Its variables.
    pub variables: BTreeMap<String, ServerVariable>,
}

/// A Server Variable Object.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ServerVariable {
    /// The value used when none is chosen.
    pub default: Option<Value>,
    /// The values allowed.
    #[serde(rename = "enum")]
    pub values: Option<Vec<Value>>,
    /// What it means.
    pub description: Option<String>,
}

/// A Path Item Object (its `$ref`, if any, is resolved before this is read).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PathItem {
    /// Parameters of every operation on the path.
    pub parameters: Vec<Parameter>,
    /// Servers for this path only.
    pub servers: Vec<Server>,
    /// `GET`.
    pub get: Option<Operation>,
    /// `PUT`.
    pub put: Option<Operation>,
    /// `POST`.
    pub post: Option<Operation>,
    /// `DELETE`.
    pub delete: Option<Operation>,
    /// `OPTIONS`.
    pub options: Option<Operation>,
    /// `HEAD`.
    pub head: Option<Operation>,
    /// `PATCH`.
    pub patch: Option<Operation>,
    /// `TRACE`.
    pub trace: Option<Operation>,
}

impl PathItem {
    /// The operations with their verbs, in the specification's order.
    pub fn operations(&self) -> Vec<(&'static str, &Operation)> {
        [
            ("get", &self.get),
            ("put", &self.put),
            ("post", &self.post),
            ("delete", &self.delete),
            ("options", &self.options),
            ("head", &self.head),
            ("patch", &self.patch),
            ("trace", &self.trace),
        ]
        .into_iter()
        .filter_map(|(verb, op)| op.as_ref().map(|op| (verb, op)))
        .collect()
    }
}

/// An Operation Object.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Operation {
    /// Its unique id.
    #[serde(rename = "operationId")]
    pub operation_id: Option<String>,
    /// Groups.
    pub tags: Vec<String>,
    /// One line.
    pub summary: Option<String>,
    /// What it does.
    pub description: Option<String>,
    /// Its own parameters (overriding the path's of the same name and place).
    pub parameters: Vec<Parameter>,
    /// Its body.
    #[serde(rename = "requestBody")]
    pub request_body: Option<RequestBody>,
    /// Responses by status code (`200`, `4XX`, `default`).
    pub responses: BTreeMap<String, Response>,
    /// Whether it is deprecated.
    pub deprecated: Option<bool>,
    /// Its security requirements (`[]`: none), overriding the document's.
    pub security: Option<Vec<BTreeMap<String, Vec<String>>>>,
    /// Servers for this operation only.
    pub servers: Vec<Server>,
}

/// A Parameter Object.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Parameter {
    /// Its name.
    pub name: Option<String>,
    /// `path`, `query`, `header` or `cookie`.
    #[serde(rename = "in")]
    pub location: Option<String>,
    /// What it means.
    pub description: Option<String>,
    /// Whether it must be given.
    pub required: Option<bool>,
    /// Whether it is deprecated.
    pub deprecated: Option<bool>,
    /// How it is serialized.
    pub style: Option<String>,
    /// Whether arrays and objects are spread.
    pub explode: Option<bool>,
    /// Whether reserved characters stay raw in queries.
    #[serde(rename = "allowReserved")]
    pub allow_reserved: Option<bool>,
    /// Its type.
    pub schema: Option<Schema>,
    /// A media type and schema instead of `schema` (sent as JSON text).
    pub content: Option<BTreeMap<String, MediaType>>,
    /// The `components/parameters` entry it was referenced from (set by
    /// `refs` when it resolves the reference).
    #[serde(rename = "x-codegen-component")]
    pub component: Option<String>,
}

/// A Request Body Object.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RequestBody {
    /// What it is.
    pub description: Option<String>,
    /// The body per media type.
    pub content: BTreeMap<String, MediaType>,
    /// Whether a body must be sent.
    pub required: Option<bool>,
}

/// A Media Type Object.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MediaType {
    /// The body's type.
    pub schema: Option<Schema>,
    /// How each property of a form body is encoded.
    pub encoding: BTreeMap<String, Encoding>,
}

/// An Encoding Object (form and multipart bodies).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Encoding {
    /// The part's content type.
    #[serde(rename = "contentType")]
    pub content_type: Option<String>,
    /// The property's style.
    pub style: Option<String>,
    /// Whether the property is spread.
    pub explode: Option<bool>,
}

/// A Response Object.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Response {
    /// What it means.
    pub description: Option<String>,
    /// The body per media type.
    pub content: BTreeMap<String, MediaType>,
}

/// The Components Object.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Components {
    /// Named schemas.
    pub schemas: BTreeMap<String, Schema>,
    /// Security schemes.
    #[serde(rename = "securitySchemes")]
    pub security_schemes: BTreeMap<String, SecurityScheme>,
}

/// A Security Scheme Object.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SecurityScheme {
    /// `apiKey`, `http`, `oauth2`, `openIdConnect` or `mutualTLS`.
    #[serde(rename = "type")]
    pub kind: String,
    /// What it is.
    pub description: Option<String>,
    /// The header, query parameter or cookie name (`apiKey`).
    pub name: Option<String>,
    /// `header`, `query` or `cookie` (`apiKey`).
    #[serde(rename = "in")]
    pub location: Option<String>,
    /// `bearer`, `basic`, ... (`http`).
    pub scheme: Option<String>,
    /// The OAuth flows (`oauth2`).
    pub flows: BTreeMap<String, OAuthFlow>,
}

/// An OAuth Flow Object.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OAuthFlow {
    /// Scope names and what they grant.
    pub scopes: BTreeMap<String, String>,
}

/// A Discriminator Object.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Discriminator {
    /// The property that names the shape.
    #[serde(rename = "propertyName")]
    pub property_name: String,
    /// Property values to schema references.
    pub mapping: BTreeMap<String, String>,
}

/// A Schema Object, in the subset of JSON Schema that shapes a Rust type.
/// Boolean schemas (3.1) read as an empty schema (any value) or `not`.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    /// A reference to a named schema (after bundling, always `#/components/schemas/...`).
    pub reference: Option<String>,
    /// `type`: one name, or several (3.1), `null` included.
    pub types: Vec<String>,
    /// `format`.
    pub format: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `properties`.
    pub properties: BTreeMap<String, Schema>,
    /// `required`.
    pub required: Vec<String>,
    /// `additionalProperties`: `None` when absent or `true`-like without a
    /// schema, `Some(schema)` for a map's values.
    pub additional_properties: Option<Box<Schema>>,
    /// Whether `additionalProperties: false`.
    pub closed: bool,
    /// `items`.
    pub items: Option<Box<Schema>>,
    /// `enum`.
    pub enum_values: Option<Vec<Value>>,
    /// `const`.
    pub const_value: Option<Value>,
    /// `nullable` (3.0).
    pub nullable: bool,
    /// `readOnly`.
    pub read_only: bool,
    /// `writeOnly`.
    pub write_only: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `default`.
    pub default: Option<Value>,
    /// `allOf`.
    pub all_of: Vec<Schema>,
    /// `oneOf`.
    pub one_of: Vec<Schema>,
    /// `anyOf`.
    pub any_of: Vec<Schema>,
    /// `discriminator`.
    pub discriminator: Option<Discriminator>,
    /// Whether this is the boolean schema `false` (or `not: {}`): no value fits.
    pub never: bool,
}

/// The raw form of a Schema Object, as serde reads it.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawSchema {
    #[serde(rename = "$ref")]
    reference: Option<String>,
    #[serde(rename = "type")]
    types: Option<TypeNames>,
    format: Option<String>,
    title: Option<String>,
    description: Option<String>,
    properties: BTreeMap<String, Schema>,
    required: Vec<String>,
    #[serde(rename = "additionalProperties")]
    additional_properties: Option<Schema>,
    items: Option<Schema>,
    #[serde(rename = "enum")]
    enum_values: Option<Vec<Value>>,
    #[serde(rename = "const")]
    const_value: Option<Value>,
    nullable: Option<bool>,
    #[serde(rename = "readOnly")]
    read_only: Option<bool>,
    #[serde(rename = "writeOnly")]
    write_only: Option<bool>,
    deprecated: Option<bool>,
    default: Option<Value>,
    #[serde(rename = "allOf")]
    all_of: Vec<Schema>,
    #[serde(rename = "oneOf")]
    one_of: Vec<Schema>,
    #[serde(rename = "anyOf")]
    any_of: Vec<Schema>,
    discriminator: Option<Discriminator>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TypeNames {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Schema;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a schema object or a boolean")
            }

            fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Schema, E> {
                Ok(Schema {
                    never: !value,
                    ..Schema::default()
                })
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Schema, A::Error> {
                let raw =
                    RawSchema::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                let (additional_properties, closed) = match raw.additional_properties {
                    None => (None, false),
                    Some(schema) if schema.never => (None, true),
                    Some(schema) => (Some(Box::new(schema)), false),
                };
                Ok(Schema {
                    reference: raw.reference,
                    types: match raw.types {
                        None => Vec::new(),
                        Some(TypeNames::One(name)) => vec![name],
                        Some(TypeNames::Many(names)) => names,
                    },
                    format: raw.format,
                    title: raw.title,
                    description: raw.description,
                    properties: raw.properties,
                    required: raw.required,
                    additional_properties,
                    closed,
                    items: raw.items.map(Box::new),
                    enum_values: raw.enum_values,
                    const_value: raw.const_value,
                    nullable: raw.nullable.unwrap_or(false),
                    read_only: raw.read_only.unwrap_or(false),
                    write_only: raw.write_only.unwrap_or(false),
                    deprecated: raw.deprecated.unwrap_or(false),
                    default: raw.default,
                    all_of: raw.all_of,
                    one_of: raw.one_of,
                    any_of: raw.any_of,
                    discriminator: raw.discriminator,
                    never: false,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Schema {
    /// Whether `additionalProperties` was given as an empty schema or `true`
    /// (any extra property), as opposed to a typed map.
    pub fn is_free_form_map(&self) -> bool {
        self.additional_properties
            .as_deref()
            .is_some_and(Schema::is_any)
    }

    /// Whether the schema says nothing about its values (`{}` or `true`).
    pub fn is_any(&self) -> bool {
        self.reference.is_none()
            && self.types.is_empty()
            && self.properties.is_empty()
            && self.additional_properties.is_none()
            && self.items.is_none()
            && self.enum_values.is_none()
            && self.const_value.is_none()
            && self.all_of.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && !self.never
    }

    /// The types named, without `null`.
    pub fn non_null_types(&self) -> Vec<&str> {
        self.types
            .iter()
            .map(String::as_str)
            .filter(|t| *t != "null")
            .collect()
    }

    /// Whether the value may be `null` (3.0 `nullable`, 3.1 `type: [..., "null"]`).
    pub fn is_nullable(&self) -> bool {
        self.nullable || self.types.iter().any(|t| t == "null")
    }

    /// Whether it is only `{"type": "null"}`.
    pub fn is_null_only(&self) -> bool {
        !self.types.is_empty() && self.types.iter().all(|t| t == "null")
    }
}
