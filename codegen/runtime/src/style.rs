//! OpenAPI parameter serialization: a JSON value laid out by `style` and
//! `explode` (OpenAPI 3.1.1 Parameter Object, RFC 6570) for a path, query,
//! header or cookie.
//!
//! Values arrive as `serde_json::Value` (what `serde_json::to_value` of the
//! typed argument gives). Scalars render as text: strings as they are,
//! numbers as serde_json prints them, booleans as `true`/`false`. As in
//! RFC 6570, `null` is undefined: a `null` parameter, a `null` array item or
//! object property is left out, and an array or object with no defined
//! members is undefined too, so it sends nothing. Array items and property
//! values that are themselves arrays or objects (outside `deepObject`) have
//! no RFC 6570 form and render as compact JSON text.
//!
//! Every byte outside the unreserved set (`A-Z a-z 0-9 - . _ ~`) of a name or
//! value is percent-encoded, so a value can never add a segment, a pair or a
//! fragment; only the separators the style itself writes (`,` `;` `=` `.`)
//! stay raw.

use std::borrow::Cow;

use serde_json::Value;

use super::path::encode_segment;
use super::query::Query;

/// How a parameter's value is laid out (the Parameter Object's `style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Path, RFC 6570 `{;x}`: `;color=blue`.
    Matrix,
    /// Path, RFC 6570 `{.x}`: `.blue`.
    Label,
    /// Path and header, RFC 6570 `{x}`: `blue,black`.
    Simple,
    /// Query and cookie, RFC 6570 `{?x}`: `color=blue`.
    Form,
    /// Query: array items or object members joined by a space (`%20`).
    SpaceDelimited,
    /// Query: array items or object members joined by `|` (`%7C`).
    PipeDelimited,
    /// Query: object members as `color[R]=100`, nested objects deeper.
    DeepObject,
}

/// What a value holds once `null`s are left out, in RFC 6570 terms.
enum Shape<'a> {
    /// `null`, an empty array or object, or one holding only `null`s.
    Undefined,
    /// A string, number or boolean.
    Scalar(Cow<'a, str>),
    /// The items of an array.
    List(Vec<Cow<'a, str>>),
    /// The members of an object, in the map's order.
    Pairs(Vec<(&'a str, Cow<'a, str>)>),
}

/// The text of one value: scalars as they read, arrays and objects as
/// compact JSON (the only text they have outside `deepObject`).
fn text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::String(text) => Cow::Borrowed(text),
        Value::Bool(true) => Cow::Borrowed("true"),
        Value::Bool(false) => Cow::Borrowed("false"),
        other => Cow::Owned(other.to_string()),
    }
}

fn shape(value: &Value) -> Shape<'_> {
    match value {
        Value::Null => Shape::Undefined,
        Value::Array(items) => {
            let items: Vec<_> = items.iter().filter(|v| !v.is_null()).map(text).collect();
            if items.is_empty() {
                Shape::Undefined
            } else {
                Shape::List(items)
            }
        }
        Value::Object(members) => {
            let pairs: Vec<_> = members
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.as_str(), text(v)))
                .collect();
            if pairs.is_empty() {
                Shape::Undefined
            } else {
                Shape::Pairs(pairs)
            }
        }
        scalar => Shape::Scalar(text(scalar)),
    }
}

/// Appends `items` to `out`, each encoded by `encode`, with `separator`
/// (raw) between them.
fn join<T: AsRef<str>>(
    out: &mut String,
    items: &[T],
    separator: &str,
    encode: fn(&mut String, &str),
) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        encode(out, item.as_ref());
    }
}

/// Path: appends the expansion of `value` for the path parameter `name` to
/// `out`, as the OpenAPI 3.1.1 "Style Examples" table shows it:
///
/// - `simple`: `blue` / `blue,black` / `R,100,G,200` (explode: `R=100,G=200`);
/// - `label`: `.blue` / `.blue,black` (explode `.blue.black`) /
///   `.R,100,G,200` (explode `.R=100.G=200`);
/// - `matrix`: `;color=blue` / `;color=blue,black` (explode
///   `;color=blue;color=black`) / `;color=R,100,G,200` (explode
///   `;R=100;G=200`); an empty string gives `;color`.
///
/// Names and values are percent-encoded outside the unreserved set; only
/// the separators above stay raw. Nothing is appended on error.
///
/// # Errors
///
/// A path parameter is required, so an undefined value (`null`, an empty
/// array or object) is refused, as is a style that is not a path style.
/// So is a `simple` expansion that is empty, `.` or `..`: URL
/// normalisation would drop or collapse that segment and the request would
/// reach another route. (The parameter may well fill a whole segment, and
/// nothing here knows that it does not.) `label` and `matrix` expansions
/// start with `.` or `;` and are never empty; a `label` of `""` is `.` as
/// the OpenAPI table has it, so such a parameter belongs inside a segment.
pub fn push_path(
    out: &mut String,
    name: &str,
    value: &Value,
    style: Style,
    explode: bool,
) -> Result<(), &'static str> {
    let mut expansion = String::new();
    let shape = shape(value);
    match (style, &shape) {
        (_, Shape::Undefined) => {
            return Err("has no value (null or empty), but a path parameter is required");
        }
        (Style::Simple | Style::Label, _) => {
            let separator = if style == Style::Label {
                expansion.push('.');
                if explode { "." } else { "," }
            } else {
                ","
            };
            match &shape {
                Shape::Scalar(text) => encode_segment(&mut expansion, text),
                Shape::List(items) => join(&mut expansion, items, separator, encode_segment),
                Shape::Pairs(pairs) if explode => {
                    for (i, (key, value)) in pairs.iter().enumerate() {
                        if i > 0 {
                            expansion.push_str(separator);
                        }
                        encode_segment(&mut expansion, key);
                        expansion.push('=');
                        encode_segment(&mut expansion, value);
                    }
                }
                Shape::Pairs(pairs) => {
                    join(&mut expansion, &flatten(pairs), ",", encode_segment);
                }
                Shape::Undefined => unreachable!("handled above"),
            }
            // A label's own `.` can make `..` of a value `.` (or `.` of an
            // empty one): refused like any dot segment.
            match expansion.as_str() {
                "" => return Err("would be an empty path segment"),
                "." | ".." => {
                    return Err(
                        "would be a `.` or `..` path segment, which would change the request's path",
                    );
                }
                _ => {}
            }
        }
        (Style::Matrix, Shape::Scalar(text)) => matrix_pair(&mut expansion, name, text),
        (Style::Matrix, Shape::List(items)) if explode => {
            for item in items {
                matrix_pair(&mut expansion, name, item);
            }
        }
        (Style::Matrix, Shape::List(items)) => {
            let mut joined = String::new();
            join(&mut joined, items, ",", encode_segment);
            matrix_encoded(&mut expansion, name, &joined);
        }
        (Style::Matrix, Shape::Pairs(pairs)) if explode => {
            for (key, value) in pairs {
                matrix_pair(&mut expansion, key, value);
            }
        }
        (Style::Matrix, Shape::Pairs(pairs)) => {
            let mut joined = String::new();
            join(&mut joined, &flatten(pairs), ",", encode_segment);
            matrix_encoded(&mut expansion, name, &joined);
        }
        _ => return Err("has a style that is not a path style (matrix, label or simple)"),
    }
    out.push_str(&expansion);
    Ok(())
}

/// `;name=value`, or `;name` for an empty value (RFC 6570's `{;x}`).
fn matrix_pair(out: &mut String, name: &str, value: &str) {
    let mut encoded = String::new();
    encode_segment(&mut encoded, value);
    matrix_encoded(out, name, &encoded);
}

/// [`matrix_pair`] with the value already encoded.
fn matrix_encoded(out: &mut String, name: &str, encoded_value: &str) {
    out.push(';');
    encode_segment(out, name);
    if !encoded_value.is_empty() {
        out.push('=');
        out.push_str(encoded_value);
    }
}

/// Object members flattened to `key, value, key, value, ...`: the
/// non-exploded layout of every style.
fn flatten<'a>(pairs: &'a [(&'a str, Cow<'a, str>)]) -> Vec<&'a str> {
    pairs
        .iter()
        .flat_map(|(key, value)| [*key, value.as_ref()])
        .collect()
}

/// One query (or form body) pair before encoding: the raw name, and the
/// raw items of its value with the separator the style puts between them.
pub(super) struct Pair<'a> {
    /// The name: the parameter's, an exploded object's key, or a
    /// `deepObject` name such as `color[R]`.
    pub(super) name: Cow<'a, str>,
    /// The items of the value; one for a scalar.
    pub(super) items: Vec<Cow<'a, str>>,
    /// What goes between items: `,` (form), ` ` (spaceDelimited) or `|`
    /// (pipeDelimited). The comma stays raw when encoded, as RFC 6570 and
    /// the OpenAPI examples have it; the others are encoded with the value.
    pub(super) separator: char,
}

impl<'a> Pair<'a> {
    fn one(name: impl Into<Cow<'a, str>>, item: Cow<'a, str>) -> Self {
        Self {
            name: name.into(),
            items: vec![item],
            separator: ',',
        }
    }

    /// Writes the items, each encoded by `encode`, with the separator
    /// between them (also by `encode`, except a comma).
    pub(super) fn encode_value(&self, out: &mut String, encode: impl Fn(&mut String, &str)) {
        let mut buffer = [0; 4];
        let separator: &str = self.separator.encode_utf8(&mut buffer);
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                if self.separator == ',' {
                    out.push(',');
                } else {
                    encode(out, separator);
                }
            }
            encode(out, item);
        }
    }
}

/// The pairs a query-style (`form`, `spaceDelimited`, `pipeDelimited`,
/// `deepObject`) parameter sends, before encoding. Other styles are read as
/// `form`, the query's default. Shared with the form bodies of `form.rs`.
pub(super) fn query_pairs<'a>(
    name: &'a str,
    value: &'a Value,
    style: Style,
    explode: bool,
) -> Vec<Pair<'a>> {
    if style == Style::DeepObject {
        // `explode` has no defined meaning for deepObject (only `true` is
        // described), so it is not read.
        let mut pairs = Vec::new();
        deep_pairs(&mut pairs, Cow::Borrowed(name), value);
        return pairs;
    }
    let separator = match style {
        Style::SpaceDelimited => ' ',
        Style::PipeDelimited => '|',
        _ => ',',
    };
    match shape(value) {
        Shape::Undefined => Vec::new(),
        Shape::Scalar(text) => vec![Pair::one(name, text)],
        Shape::List(items) if explode => items
            .into_iter()
            .map(|item| Pair::one(name, item))
            .collect(),
        Shape::Pairs(pairs) if explode => pairs
            .into_iter()
            .map(|(key, value)| Pair::one(key, value))
            .collect(),
        Shape::List(items) => vec![Pair {
            name: Cow::Borrowed(name),
            items,
            separator,
        }],
        Shape::Pairs(pairs) => vec![Pair {
            name: Cow::Borrowed(name),
            items: pairs
                .into_iter()
                .flat_map(|(key, value)| [Cow::Borrowed(key), value])
                .collect(),
            separator,
        }],
    }
}

/// `deepObject`, as the `qs` library writes it: `name[key]=value`, nested
/// objects one bracket deeper (`name[a][b]=1`), arrays as one pair per item
/// under the same name (`name[a]=1&name[a]=2`); an array's items that are
/// themselves arrays or objects render as compact JSON, since no convention
/// is shared for them. The parameter itself may be a scalar (`color=blue`)
/// or an array (`color=blue&color=black`) too.
fn deep_pairs<'a>(pairs: &mut Vec<Pair<'a>>, name: Cow<'a, str>, value: &'a Value) {
    match value {
        Value::Null => {}
        Value::Object(members) => {
            for (key, member) in members {
                deep_pairs(pairs, Cow::Owned(format!("{name}[{key}]")), member);
            }
        }
        Value::Array(items) => {
            for item in items.iter().filter(|item| !item.is_null()) {
                pairs.push(Pair::one(name.clone(), text(item)));
            }
        }
        scalar => pairs.push(Pair::one(name, text(scalar))),
    }
}

/// Query: adds the pairs of `value` for the query parameter `name` to
/// `query`, as the OpenAPI 3.1.1 "Style Examples" table shows them:
///
/// - `form`, explode: `color=blue&color=black`, objects `R=100&G=200`;
/// - `form`: `color=blue,black`, objects `color=R,100,G,200`;
/// - `spaceDelimited` / `pipeDelimited`: items (or keys and values) joined
///   by `%20` / `%7C` (`color=blue%20black`, `color=R%7C100%7CG%7C200`);
///   with explode they lay out as exploded `form`;
/// - `deepObject`: `color[R]=100&color[G]=200` (the brackets encoded in the
///   name: `color%5BR%5D`), nested objects `color[a][b]=1`, arrays
///   `color[a]=1&color[a]=2` (qs-style); `explode` is not read.
///
/// Any other style is read as `form`. An empty string gives `name=`; an
/// undefined value (`null`, an empty array or object) gives no pair at all.
///
/// `allow_reserved` keeps RFC 3986 reserved characters
/// (`:/?#[]@!$&'()*+,;=`) raw in values, except `&`, `=`, `+` and `#`,
/// which would end the pair or the query or read as a space, and keeps
/// `%XX` triples as they are (the value is taken to be encoded already).
/// Names are always encoded.
pub fn push_query(
    query: &mut Query,
    name: &str,
    value: &Value,
    style: Style,
    explode: bool,
    allow_reserved: bool,
) {
    let encode = if allow_reserved {
        encode_allowing_reserved
    } else {
        encode_segment
    };
    for pair in query_pairs(name, value, style, explode) {
        let mut encoded = String::new();
        pair.encode_value(&mut encoded, encode);
        query.push_encoded(Cow::Owned(pair.name.into_owned()), encoded);
    }
}

/// Percent-encodes `text` for a query value of an `allowReserved`
/// parameter: unreserved and reserved characters stay raw except `&`, `=`,
/// `+` and `#`; a `%` followed by two hex digits is an encoding already and
/// stays, any other `%` is encoded.
fn encode_allowing_reserved(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let triple = byte == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if triple {
            out.push_str(&text[i..i + 3]);
            i += 3;
            continue;
        }
        let raw = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b':'
                    | b'/'
                    | b'?'
                    | b'['
                    | b']'
                    | b'@'
                    | b'!'
                    | b'$'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b','
                    | b';'
            );
        if raw {
            out.push(char::from(byte));
        } else {
            push_percent(out, byte);
        }
        i += 1;
    }
}

/// Appends `%XX` for `byte`, upper-case hex as [`encode_segment`] writes.
pub(super) fn push_percent(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 0xF)]));
}

/// Header (style `simple`): `blue`, `blue,black`, objects `R,100,G,200`
/// (explode `R=100,G=200`); `None` for an undefined value (`null`, an empty
/// array or object), whose header is then not sent.
///
/// Values are header text, not URL text, so nothing is percent-encoded.
///
/// # Errors
///
/// A value holding CR, LF, NUL or any other control character but tab is
/// refused: CR and LF would end the header and start another (header
/// injection), and HTTP libraries refuse the others.
pub fn header_value(value: &Value, explode: bool) -> Result<Option<String>, &'static str> {
    let text = match shape(value) {
        Shape::Undefined => return Ok(None),
        Shape::Scalar(text) => text.into_owned(),
        Shape::List(items) => items.join(","),
        Shape::Pairs(pairs) if explode => pairs
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join(","),
        Shape::Pairs(pairs) => flatten(&pairs).join(","),
    };
    if text.bytes().any(|b| matches!(b, b'\r' | b'\n' | b'\0')) {
        return Err("holds a CR, LF or NUL, which a header value cannot carry");
    }
    if text.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7F) {
        return Err("holds a control character, which a header value cannot carry");
    }
    Ok(Some(text))
}

/// Cookie (style `form`): the `name=value` pairs of the cookie parameter
/// `name`, to be joined by `; ` into the `Cookie` header. Names and values
/// are percent-encoded outside the unreserved set, which keeps them within
/// RFC 6265's cookie octets (no space, `"`, `;` or `\`); only the `,`
/// between items stays raw, as the OpenAPI table shows it.
///
/// - a scalar: `color=blue`;
/// - an array: `color=blue,black`, exploded one pair per item
///   (`color=blue`, `color=black`);
/// - an object: `color=R,100,G,200`, exploded one pair per member
///   (`R=100`, `G=200`).
///
/// An undefined value (`null`, an empty array or object) gives no pair.
pub fn cookie_pairs(name: &str, value: &Value, explode: bool) -> Vec<String> {
    query_pairs(name, value, Style::Form, explode)
        .into_iter()
        .map(|pair| {
            let mut text = String::new();
            encode_segment(&mut text, &pair.name);
            text.push('=');
            pair.encode_value(&mut text, encode_segment);
            text
        })
        .collect()
}
