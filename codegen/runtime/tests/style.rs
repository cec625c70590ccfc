//! OpenAPI parameter styles and form bodies (`style`, `form`, `query`).
//!
//! serde_json is built without `preserve_order`, so an object's members come
//! out in key order: the specification's `{"R":100,"G":200,"B":150}` reads
//! `B, G, R` here, and the expected texts below are the specification's with
//! the members in that order.

use google_api_runtime::form::{multipart, urlencoded};
use google_api_runtime::query::Query;
use google_api_runtime::style::{Style, cookie_pairs, header_value, push_path, push_query};
use serde_json::{Value, json};

fn blue() -> Value {
    json!("blue")
}

fn colors() -> Value {
    json!(["blue", "black", "brown"])
}

fn rgb() -> Value {
    json!({"R": 100, "G": 200, "B": 150})
}

fn path(value: &Value, style: Style, explode: bool) -> Result<String, &'static str> {
    let mut out = String::from("/x/");
    push_path(&mut out, "color", value, style, explode)?;
    Ok(out["/x/".len()..].to_owned())
}

fn query_with(value: &Value, style: Style, explode: bool, allow_reserved: bool) -> String {
    let mut query = Query::new();
    push_query(&mut query, "color", value, style, explode, allow_reserved);
    let mut out = String::new();
    query.append_to(&mut out);
    out.strip_prefix('?').unwrap_or(&out).to_owned()
}

fn query(value: &Value, style: Style, explode: bool) -> String {
    query_with(value, style, explode, false)
}

// ------------------------------------------------- OAS 3.1.1 style examples

#[test]
fn path_matrix() {
    use Style::Matrix;
    for explode in [false, true] {
        assert_eq!(path(&json!(""), Matrix, explode).unwrap(), ";color");
        assert_eq!(path(&blue(), Matrix, explode).unwrap(), ";color=blue");
    }
    assert_eq!(
        path(&colors(), Matrix, false).unwrap(),
        ";color=blue,black,brown"
    );
    assert_eq!(
        path(&colors(), Matrix, true).unwrap(),
        ";color=blue;color=black;color=brown"
    );
    assert_eq!(
        path(&rgb(), Matrix, false).unwrap(),
        ";color=B,150,G,200,R,100"
    );
    assert_eq!(path(&rgb(), Matrix, true).unwrap(), ";B=150;G=200;R=100");
}

#[test]
fn path_label() {
    use Style::Label;
    for explode in [false, true] {
        // The table's `.` for an empty value is a dot segment when it stands
        // alone: refused, like every `.` and `..` segment.
        assert!(path(&json!(""), Label, explode).is_err());
        assert_eq!(path(&blue(), Label, explode).unwrap(), ".blue");
    }
    assert_eq!(path(&colors(), Label, false).unwrap(), ".blue,black,brown");
    assert_eq!(path(&colors(), Label, true).unwrap(), ".blue.black.brown");
    assert_eq!(path(&rgb(), Label, false).unwrap(), ".B,150,G,200,R,100");
    assert_eq!(path(&rgb(), Label, true).unwrap(), ".B=150.G=200.R=100");
}

#[test]
fn path_simple() {
    use Style::Simple;
    for explode in [false, true] {
        assert_eq!(path(&blue(), Simple, explode).unwrap(), "blue");
        assert_eq!(
            path(&colors(), Simple, explode).unwrap(),
            "blue,black,brown"
        );
    }
    assert_eq!(path(&rgb(), Simple, false).unwrap(), "B,150,G,200,R,100");
    assert_eq!(path(&rgb(), Simple, true).unwrap(), "B=150,G=200,R=100");
}

#[test]
fn query_form() {
    use Style::Form;
    for explode in [false, true] {
        assert_eq!(query(&json!(""), Form, explode), "color=");
        assert_eq!(query(&blue(), Form, explode), "color=blue");
    }
    assert_eq!(query(&colors(), Form, false), "color=blue,black,brown");
    assert_eq!(
        query(&colors(), Form, true),
        "color=blue&color=black&color=brown"
    );
    assert_eq!(query(&rgb(), Form, false), "color=B,150,G,200,R,100");
    assert_eq!(query(&rgb(), Form, true), "B=150&G=200&R=100");
}

#[test]
fn query_space_delimited() {
    use Style::SpaceDelimited;
    assert_eq!(
        query(&colors(), SpaceDelimited, false),
        "color=blue%20black%20brown"
    );
    assert_eq!(
        query(&rgb(), SpaceDelimited, false),
        "color=B%20150%20G%20200%20R%20100"
    );
    // n/a in the table: exploded, it is exploded `form`.
    assert_eq!(
        query(&colors(), SpaceDelimited, true),
        "color=blue&color=black&color=brown"
    );
    assert_eq!(query(&rgb(), SpaceDelimited, true), "B=150&G=200&R=100");
    assert_eq!(query(&blue(), SpaceDelimited, false), "color=blue");
}

#[test]
fn query_pipe_delimited() {
    use Style::PipeDelimited;
    assert_eq!(
        query(&colors(), PipeDelimited, false),
        "color=blue%7Cblack%7Cbrown"
    );
    assert_eq!(
        query(&rgb(), PipeDelimited, false),
        "color=B%7C150%7CG%7C200%7CR%7C100"
    );
    assert_eq!(
        query(&colors(), PipeDelimited, true),
        "color=blue&color=black&color=brown"
    );
    assert_eq!(query(&rgb(), PipeDelimited, true), "B=150&G=200&R=100");
}

#[test]
fn query_deep_object() {
    assert_eq!(
        query(&rgb(), Style::DeepObject, true),
        "color%5BB%5D=150&color%5BG%5D=200&color%5BR%5D=100"
    );
}

#[test]
fn header_simple() {
    for explode in [false, true] {
        assert_eq!(header_value(&blue(), explode).unwrap().unwrap(), "blue");
        assert_eq!(
            header_value(&colors(), explode).unwrap().unwrap(),
            "blue,black,brown"
        );
    }
    assert_eq!(
        header_value(&rgb(), false).unwrap().unwrap(),
        "B,150,G,200,R,100"
    );
    assert_eq!(
        header_value(&rgb(), true).unwrap().unwrap(),
        "B=150,G=200,R=100"
    );
}

// ------------------------------------------------------------------ paths

#[test]
fn path_values_are_percent_encoded() {
    let text = json!("a b/c?d#e%f&g=h+i é");
    let expected = "a%20b%2Fc%3Fd%23e%25f%26g%3Dh%2Bi%20%C3%A9";
    assert_eq!(path(&text, Style::Simple, false).unwrap(), expected);
    assert_eq!(
        path(&text, Style::Label, false).unwrap(),
        format!(".{expected}")
    );
    assert_eq!(
        path(&json!({"k;=": "v,"}), Style::Matrix, true).unwrap(),
        ";k%3B%3D=v%2C"
    );
    // An already encoded slash is text, not an encoding to keep.
    assert_eq!(
        path(&json!("a%2Fb"), Style::Simple, false).unwrap(),
        "a%252Fb"
    );
    // Items keep their own commas apart from the separators.
    assert_eq!(
        path(&json!(["a,b", "c"]), Style::Simple, false).unwrap(),
        "a%2Cb,c"
    );
}

#[test]
fn path_values_that_would_change_the_route_are_refused() {
    for value in [json!(".."), json!("."), json!(""), json!([""])] {
        let mut out = String::from("/x/");
        assert!(push_path(&mut out, "color", &value, Style::Simple, false).is_err());
        assert_eq!(out, "/x/", "nothing is appended on error");
    }
    for value in [json!(null), json!([]), json!({}), json!([null])] {
        for style in [Style::Simple, Style::Label, Style::Matrix] {
            assert!(path(&value, style, true).is_err(), "{value} {style:?}");
        }
    }
    assert!(path(&blue(), Style::Form, false).is_err());
    // `..` inside a segment is harmless.
    assert_eq!(path(&json!("a.."), Style::Simple, false).unwrap(), "a..");
}

#[test]
fn scalars_nulls_and_nested_values() {
    assert_eq!(path(&json!(1.5), Style::Simple, false).unwrap(), "1.5");
    assert_eq!(path(&json!(-7), Style::Simple, false).unwrap(), "-7");
    assert_eq!(path(&json!(true), Style::Label, false).unwrap(), ".true");
    assert_eq!(
        path(&json!([1, null, false]), Style::Simple, false).unwrap(),
        "1,false"
    );
    assert_eq!(query(&json!({"a": null, "b": 1}), Style::Form, true), "b=1");
    // Nested arrays and objects outside deepObject are compact JSON.
    assert_eq!(
        query(&json!([[1, 2], {"k": "v"}]), Style::Form, true),
        "color=%5B1%2C2%5D&color=%7B%22k%22%3A%22v%22%7D"
    );
}

// ------------------------------------------------------------------ queries

#[test]
fn allow_reserved_keeps_reserved_characters_but_not_query_syntax() {
    use Style::Form;
    assert_eq!(
        query_with(&json!("a/b:c?d@e"), Form, true, true),
        "color=a/b:c?d@e"
    );
    assert_eq!(
        query_with(&json!("a&b+c"), Form, true, true),
        "color=a%26b%2Bc"
    );
    assert_eq!(
        query_with(&json!("a=b#c"), Form, true, true),
        "color=a%3Db%23c"
    );
    assert_eq!(query_with(&json!("a%2Fb"), Form, true, true), "color=a%2Fb");
    // A `%` that starts no triple is text.
    assert_eq!(
        query_with(&json!("100% %zz %4"), Form, true, true),
        "color=100%25%20%25zz%20%254"
    );
    assert_eq!(
        query_with(&json!("[x]!$'()*,;é"), Form, true, true),
        "color=[x]!$'()*,;%C3%A9"
    );
    // Without allowReserved, all of it is encoded.
    assert_eq!(query(&json!("a/b:c"), Form, true), "color=a%2Fb%3Ac");
    assert_eq!(query(&json!("a%2Fb"), Form, true), "color=a%252Fb");
    // Names are always encoded.
    assert_eq!(
        query_with(&json!({"a/b": "c/d"}), Style::DeepObject, true, true),
        "color%5Ba%2Fb%5D=c/d"
    );
}

#[test]
fn empty_values() {
    for style in [
        Style::Form,
        Style::SpaceDelimited,
        Style::PipeDelimited,
        Style::DeepObject,
    ] {
        for explode in [false, true] {
            assert_eq!(query(&json!(""), style, explode), "color=");
            for empty in [json!([]), json!(null), json!({}), json!([null])] {
                assert_eq!(query(&empty, style, explode), "", "{style:?} {empty}");
            }
        }
    }
    assert_eq!(header_value(&json!([]), false), Ok(None));
    assert_eq!(header_value(&json!(null), true), Ok(None));
    assert_eq!(header_value(&json!(""), true), Ok(Some(String::new())));
    assert!(cookie_pairs("color", &json!([]), true).is_empty());
    assert!(cookie_pairs("color", &json!(null), false).is_empty());
}

#[test]
fn deep_object_nests_like_qs() {
    let value = json!({"a": {"b": 1, "c": {"d": "x y"}}, "e": [1, 2], "f": null, "g": []});
    assert_eq!(
        query(&value, Style::DeepObject, true),
        "color%5Ba%5D%5Bb%5D=1\
         &color%5Ba%5D%5Bc%5D%5Bd%5D=x%20y\
         &color%5Be%5D=1&color%5Be%5D=2"
    );
    assert_eq!(query(&blue(), Style::DeepObject, true), "color=blue");
    assert_eq!(
        query(&json!([1, 2]), Style::DeepObject, true),
        "color=1&color=2"
    );
}

#[test]
fn query_push_is_unchanged_and_keeps_order() {
    let mut query = Query::new();
    query.push("q", "a b&c=d/é");
    push_query(
        &mut query,
        "tag",
        &json!(["x", "y"]),
        Style::Form,
        true,
        false,
    );
    query.push("n", 3);
    let mut out = String::from("/p");
    query.append_to(&mut out);
    assert_eq!(out, "/p?q=a%20b%26c%3Dd%2F%C3%A9&tag=x&tag=y&n=3");

    let mut out = String::from("/p");
    Query::new().append_to(&mut out);
    assert_eq!(out, "/p");
}

// --------------------------------------- object query parameters (Discovery)

fn fields(value: &Value) -> String {
    let mut query = Query::new();
    query.push_fields("options", value).unwrap();
    let mut out = String::new();
    query.append_to(&mut out);
    out
}

#[test]
fn object_query_parameters_are_one_dotted_pair_per_leaf() {
    assert_eq!(fields(&json!({"foo": 1})), "?options.foo=1");
    assert_eq!(
        fields(&json!({"a": {"b": {"c": "x"}}, "flag": true, "n": 2.5})),
        "?options.a.b.c=x&options.flag=true&options.n=2.5"
    );
    // Arrays repeat their key, at any depth.
    assert_eq!(
        fields(&json!({"tag": ["a", "b"], "deep": {"ids": [1, 2]}})),
        "?options.deep.ids=1&options.deep.ids=2&options.tag=a&options.tag=b"
    );
    assert_eq!(
        fields(&json!({"list": [{"k": 1}, {"k": 2}]})),
        "?options.list.k=1&options.list.k=2"
    );
    // Nothing for null or empty objects; a bare scalar is the pair itself.
    assert_eq!(fields(&json!({"gone": null, "empty": {}})), "");
    assert_eq!(fields(&json!({})), "");
    assert_eq!(fields(&json!("plain")), "?options=plain");
}

#[test]
fn object_query_keys_and_values_cannot_add_pairs_or_a_fragment() {
    assert_eq!(
        fields(&json!({"@type": "a&b=c#d", "x y": "é/%"})),
        "?options.%40type=a%26b%3Dc%23d&options.x%20y=%C3%A9%2F%25"
    );
}

// ------------------------------------------------------- headers and cookies

#[test]
fn header_values_are_raw_text_but_refuse_line_breaks() {
    assert_eq!(
        header_value(&json!("a b/c%2F"), false),
        Ok(Some("a b/c%2F".to_owned()))
    );
    for bad in ["a\r\nX-Evil: 1", "a\nb", "a\rb", "a\0b", "a\u{7}b"] {
        assert!(header_value(&json!(bad), false).is_err(), "{bad:?}");
        assert!(header_value(&json!([bad]), false).is_err());
        assert!(header_value(&json!({ "k": bad }), true).is_err());
    }
    assert_eq!(
        header_value(&json!("a\tb"), false),
        Ok(Some("a\tb".to_owned()))
    );
}

#[test]
fn cookies() {
    assert_eq!(
        cookie_pairs("color", &json!("a b=c"), false),
        ["color=a%20b%3Dc"]
    );
    assert_eq!(cookie_pairs("color", &json!("a;b"), true), ["color=a%3Bb"]);
    assert_eq!(
        cookie_pairs("color", &colors(), false),
        ["color=blue,black,brown"]
    );
    assert_eq!(
        cookie_pairs("color", &colors(), true),
        ["color=blue", "color=black", "color=brown"]
    );
    assert_eq!(
        cookie_pairs("color", &rgb(), false),
        ["color=B,150,G,200,R,100"]
    );
    assert_eq!(
        cookie_pairs("color", &rgb(), true),
        ["B=150", "G=200", "R=100"]
    );
    assert_eq!(cookie_pairs("color", &json!(""), true), ["color="]);
}

// ------------------------------------------------------------ form bodies

#[test]
fn form_bodies_explode_arrays_and_send_objects_as_json_by_default() {
    let body = json!({
        "tags": ["a", "b c"],
        "color": {"R": 100, "G": 200},
        "name": "x y+z~*",
        "gone": null,
        "n": 1.5,
        "ok": true,
    });
    assert_eq!(
        urlencoded(&body, &[]).unwrap(),
        // OpenAPI 3.1.1: an object property's default content type is JSON.
        "color=%7B%22G%22%3A200%2C%22R%22%3A100%7D&n=1.5&name=x+y%2Bz%7E*&ok=true&tags=a&tags=b+c"
    );
}

#[test]
fn form_bodies_follow_their_encodings() {
    let body = json!({"tags": ["a", "b,c"], "color": {"R": 100, "G": 200}, "p": [1, 2]});
    let encodings = [
        ("tags", Style::Form, false),
        ("color", Style::DeepObject, true),
        ("p", Style::PipeDelimited, false),
    ];
    assert_eq!(
        urlencoded(&body, &encodings).unwrap(),
        "color%5BG%5D=200&color%5BR%5D=100&p=1%7C2&tags=a,b%2Cc"
    );
    assert_eq!(
        urlencoded(
            &json!({"s": ["a", "b"]}),
            &[("s", Style::SpaceDelimited, false)]
        )
        .unwrap(),
        "s=a+b"
    );
    assert_eq!(
        urlencoded(&json!({"c": {"R": 1}}), &[("c", Style::Form, false)]).unwrap(),
        "c=R,1"
    );
    // Below the property's own layout, values are JSON.
    assert_eq!(
        urlencoded(&json!({"a": [{"k": 1}]}), &[]).unwrap(),
        "a=%7B%22k%22%3A1%7D"
    );
    assert_eq!(urlencoded(&json!({}), &[]).unwrap(), "");
    assert!(urlencoded(&json!([1]), &[]).is_err());
    assert!(urlencoded(&json!("a"), &[]).is_err());
}

// -------------------------------------------------------- multipart bodies

/// One parsed part: its headers (name, value) and content.
#[derive(Debug, PartialEq)]
struct ParsedPart {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Parses a `multipart/form-data` body as a server would, checking its
/// framing on the way.
fn parse_multipart(content_type: &str, body: &[u8]) -> (String, Vec<ParsedPart>) {
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("content type")
        .to_owned();
    let delimiter = format!("--{boundary}");
    let closing = format!("--{boundary}--\r\n");
    assert!(body.ends_with(closing.as_bytes()), "closing delimiter");
    let mut rest = &body[..body.len() - closing.len()];
    let mut parts = Vec::new();
    while !rest.is_empty() {
        let line = format!("{delimiter}\r\n");
        assert!(rest.starts_with(line.as_bytes()), "part delimiter");
        rest = &rest[line.len()..];
        let end = find(rest, format!("\r\n{delimiter}").as_bytes()).map_or(rest.len(), |i| i + 2);
        let part = &rest[..end];
        rest = &rest[end..];
        let split = find(part, b"\r\n\r\n").expect("end of headers");
        let headers = std::str::from_utf8(&part[..split])
            .unwrap()
            .split("\r\n")
            .map(|line| {
                let (name, value) = line.split_once(": ").expect("header line");
                (name.to_owned(), value.to_owned())
            })
            .collect();
        let content = &part[split + 4..];
        let content = content.strip_suffix(b"\r\n").expect("CRLF after content");
        parts.push(ParsedPart {
            headers,
            body: content.to_vec(),
        });
    }
    (boundary, parts)
}

fn disposition(name: &str) -> (String, String) {
    (
        "Content-Disposition".to_owned(),
        format!("form-data; name=\"{name}\""),
    )
}

#[test]
fn multipart_round_trip() {
    let value = json!({
        "title": "hello\r\nworld",
        "count": 3,
        "tags": ["a", "b"],
        "meta": {"k": [1, 2]},
        "skip": null,
        "file": "ignored: the file below is this property's content",
    });
    let bytes: Vec<u8> = (0..=255).collect();
    let files: &[(&str, &str, &str, &[u8])] = &[
        (
            "file",
            "report \"q1\".bin",
            "application/octet-stream",
            &bytes,
        ),
        ("notes", "n.txt", "text/plain", b""),
    ];
    let (content_type, body) = multipart(&value, files).unwrap();
    let (boundary, parts) = parse_multipart(&content_type, &body);
    let json = ("Content-Type".to_owned(), "application/json".to_owned());
    let expected = vec![
        ParsedPart {
            headers: vec![disposition("count")],
            body: b"3".to_vec(),
        },
        ParsedPart {
            headers: vec![disposition("meta"), json.clone()],
            body: br#"{"k":[1,2]}"#.to_vec(),
        },
        ParsedPart {
            headers: vec![disposition("tags")],
            body: b"a".to_vec(),
        },
        ParsedPart {
            headers: vec![disposition("tags")],
            body: b"b".to_vec(),
        },
        ParsedPart {
            headers: vec![disposition("title")],
            body: b"hello\r\nworld".to_vec(),
        },
        ParsedPart {
            headers: vec![
                (
                    "Content-Disposition".to_owned(),
                    r#"form-data; name="file"; filename="report \"q1\".bin""#.to_owned(),
                ),
                (
                    "Content-Type".to_owned(),
                    "application/octet-stream".to_owned(),
                ),
            ],
            body: bytes.clone(),
        },
        ParsedPart {
            headers: vec![
                (
                    "Content-Disposition".to_owned(),
                    r#"form-data; name="notes"; filename="n.txt""#.to_owned(),
                ),
                ("Content-Type".to_owned(), "text/plain".to_owned()),
            ],
            body: Vec::new(),
        },
    ];
    assert_eq!(parts, expected);

    // Fixed length, deterministic, in no part.
    assert_eq!(boundary.len(), "form-boundary-".len() + 32);
    assert!(boundary.len() <= 70, "RFC 2046 limit");
    assert!(boundary.starts_with("form-boundary-"));
    assert_eq!(
        multipart(&value, files).unwrap(),
        (content_type.clone(), body.clone())
    );
    for part in &parts {
        assert!(find(&part.body, boundary.as_bytes()).is_none());
    }
    // Different content, different boundary.
    let (other, _) = multipart(&json!({"count": 4}), &[]).unwrap();
    assert_ne!(other, content_type);
}

#[test]
fn multipart_names_are_quoted_and_line_breaks_refused() {
    let (content_type, body) = multipart(&json!({"a\"b\\c": "v"}), &[]).unwrap();
    let (_, parts) = parse_multipart(&content_type, &body);
    assert_eq!(
        parts[0].headers,
        [(
            "Content-Disposition".to_owned(),
            r#"form-data; name="a\"b\\c""#.to_owned()
        )]
    );
    assert!(multipart(&json!({"a\r\nb": "v"}), &[]).is_err());
    assert!(multipart(&json!({}), &[("f", "a\nb", "text/plain", b"")]).is_err());
    assert!(multipart(&json!({}), &[("f\r", "a", "text/plain", b"")]).is_err());
    assert!(multipart(&json!({}), &[("f", "a", "text/plain\r\nX: y", b"")]).is_err());
    assert!(multipart(&json!([1]), &[]).is_err());
}

#[test]
fn multipart_without_parts_is_a_closing_delimiter() {
    let (content_type, body) = multipart(&json!({"a": null}), &[]).unwrap();
    let (boundary, parts) = parse_multipart(&content_type, &body);
    assert!(parts.is_empty());
    assert_eq!(body, format!("--{boundary}--\r\n").into_bytes());
}

#[test]
fn a_label_value_may_not_make_a_dot_segment() {
    // `.` + `.` would be `..`, and `.` + `` would be `.`: URL normalisation
    // would change the route, so both are refused like simple dot values.
    for value in [json!("."), json!(""), json!(["", ""])] {
        let mut path = String::new();
        assert!(
            push_path(&mut path, "x", &value, Style::Label, true).is_err(),
            "{value}"
        );
    }
    let mut path = String::new();
    push_path(&mut path, "x", &json!("a.b"), Style::Label, false).unwrap();
    assert_eq!(path, ".a.b");
}
