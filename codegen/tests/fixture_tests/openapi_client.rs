//! The crate generated from `codegen/tests/fixtures/openapi_client.yaml`
//! (an OpenAPI 3.1 document), run against a real HTTP server on 127.0.0.1:
//! servers and their variables, every path and query parameter style,
//! header and cookie parameters, JSON, form, multipart, binary and text
//! bodies, typed error bodies, tagged and untagged unions, binary and text
//! responses, and every security scheme (API keys in a header, the query
//! and a cookie, HTTP bearer and basic), with anonymous operations and
//! alternative requirements. Expected requests follow the OpenAPI 3.1.1
//! text (its "Style Examples" table and the Encoding Object's defaults).

mod server;

use fixture_openapi_client::models::{
    Company, ListPetsFilter, NewPet, Nickname, NicknameDetail, NotFound, Owner, Person, Pet, Point,
    Problem, SubmitFormRequest, UploadDocumentRequest, submit_form_request::Size,
    submit_form_request::Where,
};
use fixture_openapi_client::resources::pets::ListPetsOrder;
use fixture_openapi_client::servers::{self, Server0Version, TheHostedClinicRegion};
use fixture_openapi_client::{Client, ClientBuilder, Credential, Error, StaticToken, security};
use server::{Received, Reply, Server};

/// The test server's URL with the first (relative) server's path at `version`.
fn endpoint(server: &Server, version: Server0Version) -> String {
    let path = servers::server_0(version);
    format!("{}{}", server.url, path.trim_start_matches('/'))
}

/// A builder aimed at `server` (version `v1`), without credentials.
fn builder(server: &Server) -> ClientBuilder {
    Client::builder().endpoint(endpoint(server, Server0Version::V1))
}

/// A client holding only the bearer token of `bearerAuth`, the root-level
/// requirement most operations inherit.
fn client(server: &Server) -> Client {
    builder(server)
        .credential(security::bearer_auth("token-1").unwrap())
        .build()
        .unwrap()
}

/// The one request the server received.
fn only(server: &Server) -> Received {
    let received = server.received();
    assert_eq!(received.len(), 1, "{received:#?}");
    received.into_iter().next().unwrap()
}

/// A plain reply with a content type.
fn reply(status: u16, content_type: &str, body: &[u8]) -> Reply {
    Reply {
        status,
        headers: vec![("content-type".into(), content_type.into())],
        body: body.to_vec(),
    }
}

/// Owned `(name, value)` pairs, for comparing queries and forms.
fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

/// Decodes `application/x-www-form-urlencoded` text (or a query) into its
/// `(name, value)` pairs, `+` read as a space.
fn decode_form(text: &str) -> Vec<(String, String)> {
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 2;
                }
                byte => out.push(byte),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// Standard base64 (with padding) decoded.
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET
            .iter()
            .position(|a| *a == byte)
            .expect("a base64 digit") as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, PartialEq)]
struct Part {
    /// The `name` of its `Content-Disposition: form-data`.
    name: String,
    /// Its other header lines, names in lower case.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Splits a `multipart/form-data` body at `boundary`, checking its framing
/// (RFC 7578 / RFC 2046): `--boundary` CRLF, headers, CRLF, content, CRLF,
/// and a final `--boundary--`.
fn parse_multipart(body: &[u8], boundary: &str) -> Vec<Part> {
    let delimiter = format!("--{boundary}");
    let text = body;
    let find = |haystack: &[u8], needle: &[u8], from: usize| {
        haystack[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    assert!(
        text.starts_with(delimiter.as_bytes()),
        "the body starts with the boundary"
    );
    assert!(
        text.ends_with(format!("{delimiter}--\r\n").as_bytes()),
        "the body ends with the closing boundary"
    );
    let mut parts = Vec::new();
    let mut at = delimiter.len();
    loop {
        if text[at..].starts_with(b"--") {
            break;
        }
        assert!(text[at..].starts_with(b"\r\n"), "CRLF after a boundary");
        at += 2;
        let head_end = find(text, b"\r\n\r\n", at).expect("a part's headers end");
        let head = std::str::from_utf8(&text[at..head_end]).unwrap();
        let next = find(text, format!("\r\n{delimiter}").as_bytes(), head_end + 4)
            .expect("a boundary after each part");
        let content = text[head_end + 4..next].to_vec();
        at = next + 2 + delimiter.len();
        let mut name = None;
        let mut headers = Vec::new();
        for line in head.split("\r\n") {
            let (header, value) = line.split_once(':').expect("a header line");
            let (header, value) = (header.trim().to_ascii_lowercase(), value.trim());
            if header == "content-disposition" {
                let rest = value
                    .strip_prefix("form-data; name=\"")
                    .expect("form-data with a name");
                // `name="x"`, or `name="x"; filename="x"` for a file part.
                let rest = rest.split("\"; filename=").next().unwrap_or(rest);
                name = Some(rest.trim_end_matches('"').to_owned());
            } else {
                headers.push((header, value.to_owned()));
            }
        }
        parts.push(Part {
            name: name.expect("a Content-Disposition header"),
            headers,
            body: content,
        });
    }
    parts
}

/// The `name=value` pairs of a request's `Cookie` header.
fn cookies(request: &Received) -> Vec<(String, String)> {
    request
        .header("cookie")
        .map(|header| {
            header
                .split("; ")
                .map(|pair| {
                    let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (n.to_owned(), v.to_owned())
                })
                .collect()
        })
        .unwrap_or_default()
}

// Servers.

#[test]
fn a_relative_first_server_makes_the_endpoint_the_callers_choice() {
    assert_eq!(fixture_openapi_client::DEFAULT_ENDPOINT, "/clinic/v1/");
    match Client::builder().build() {
        Err(Error::Config(e)) => {
            assert_eq!(e.setting(), "endpoint");
            assert!(e.to_string().contains("endpoint"), "{e}");
        }
        other => panic!("expected an endpoint error, got {other:?}"),
    }
    // The servers' variables take their enum's values; the default is the
    // first server at its defaults.
    assert_eq!(servers::server_0(Server0Version::V1), "/clinic/v1/");
    assert_eq!(servers::server_0(Server0Version::V2), "/clinic/v2/");
    let hosted = servers::the_hosted_clinic(TheHostedClinicRegion::Us);
    assert_eq!(hosted, "https://us.clinic.example/api/");
    let client = Client::builder().endpoint(&hosted).build().unwrap();
    assert_eq!(client.endpoint(), "https://us.clinic.example/api/");
    assert_eq!(
        servers::the_hosted_clinic(TheHostedClinicRegion::from("ap")),
        "https://ap.clinic.example/api/",
        "a value the enum does not know is kept"
    );
}

#[tokio::test]
async fn the_server_variable_chooses_the_base_path() {
    let server = Server::start(|_, _| Reply::json(200, r#"{"id": "1", "name": "Rex"}"#));
    let client = Client::builder()
        .endpoint(endpoint(&server, Server0Version::V2))
        .credential(security::bearer_auth("token-1").unwrap())
        .build()
        .unwrap();
    client.pets().get_pet("1").await.unwrap();
    assert_eq!(only(&server).path(), "/clinic/v2/pets/1");
}

// Path parameters.

#[tokio::test]
async fn a_simple_path_parameter_is_one_encoded_segment_with_header_and_cookie() {
    let server =
        Server::start(|_, _| Reply::json(200, r#"{"id": "cat 1/2", "name": "Tom", "tag": "cat"}"#));
    let pet: Pet = client(&server)
        .pets()
        .get_pet("cat 1/2")
        .x_trace_ids(["t-1", "t-2"])
        .session("s 1;x")
        .await
        .unwrap();
    assert_eq!(
        (pet.id.as_deref(), pet.name.as_deref(), pet.tag.as_deref()),
        (Some("cat 1/2"), Some("Tom"), Some("cat"))
    );
    let request = only(&server);
    assert_eq!(request.method, "GET");
    // `/` and the space are data, not structure.
    assert_eq!(request.target, "/clinic/v1/pets/cat%201%2F2");
    // Header, style simple: items joined by `,`.
    assert_eq!(request.header("x-trace-ids"), Some("t-1,t-2"));
    // Cookie, style form: `name=value`, the value percent-encoded so that
    // `;` cannot start another cookie.
    assert_eq!(cookies(&request), pairs(&[("session", "s%201%3Bx")]));
    assert_eq!(request.header("authorization"), Some("Bearer token-1"));
}

#[tokio::test]
async fn unset_header_and_cookie_parameters_are_not_sent() {
    let server = Server::start(|_, _| Reply::json(200, r#"{"id": "1", "name": "Rex"}"#));
    client(&server).pets().get_pet("1").await.unwrap();
    let request = only(&server);
    assert_eq!(request.header("x-trace-ids"), None);
    assert_eq!(request.header("cookie"), None);
}

#[tokio::test]
async fn label_and_matrix_path_parameters_fill_part_of_a_segment() {
    let server = Server::start(|_, _| Reply::json(200, r#"[{"id": "7", "name": "Rex"}]"#));
    let near = Point::new().set_lat(1.5).set_lng(-2.25);
    let pets = client(&server)
        .pets()
        .find_in_shelter("north/1", ["red", "dark blue", "x,y"], near)
        .await
        .unwrap();
    assert_eq!(pets.len(), 1);
    let request = only(&server);
    // label, not exploded: `.red,dark%20blue,x%2Cy` (a `,` in an item is
    // data, so encoded); matrix of an object, exploded: `;lat=1.5;lng=-2.25`.
    assert_eq!(
        request.target,
        "/clinic/v1/shelters/north%2F1/pets.red,dark%20blue,x%2Cy;lat=1.5;lng=-2.25"
    );
}

#[tokio::test]
async fn an_undefined_styled_path_parameter_is_refused_before_sending() {
    let server = Server::start(|_, _| Reply::json(200, "[]"));
    let client = client(&server);
    let empty: [&str; 0] = [];
    let err = client
        .pets()
        .find_in_shelter("s", empty, Point::new().set_lat(1.5))
        .await
        .unwrap_err();
    match &err {
        Error::Binding(e) => assert_eq!(e.parameter(), "colors"),
        other => panic!("expected a binding error, got {other:?}"),
    }
    let err = client
        .pets()
        .find_in_shelter("s", ["red"], Point::new())
        .await
        .unwrap_err();
    match &err {
        Error::Binding(e) => assert_eq!(e.parameter(), "near"),
        other => panic!("expected a binding error, got {other:?}"),
    }
    assert!(server.received().is_empty());
}

// Query parameters.

#[tokio::test]
async fn query_parameters_follow_their_styles() {
    let server = Server::start(|_, _| Reply::json(200, "[]"));
    client(&server)
        .pets()
        .list_pets()
        .tag(["a", "b c"])
        .ids([1, 2, 3])
        .names(["x", "y z"])
        .sizes(["s", "m"])
        .filter(ListPetsFilter::new().set_species("cat").set_min_age(2))
        .cursor("a/b?c=d&e,f:g@h!%2F")
        .order(ListPetsOrder::Age)
        .await
        .unwrap();
    let request = only(&server);
    assert_eq!(request.path(), "/clinic/v1/pets");
    let expected = pairs(&[
        // form, explode: one pair per item.
        ("tag", "a"),
        ("tag", "b%20c"),
        // form, not exploded: one pair, items joined by a raw `,`.
        ("ids", "1,2,3"),
        // spaceDelimited: items joined by `%20`.
        ("names", "x%20y%20z"),
        // pipeDelimited: items joined by `%7C`.
        ("sizes", "s%7Cm"),
        // deepObject: `filter[minAge]=2&filter[species]=cat`, brackets encoded.
        ("filter%5BminAge%5D", "2"),
        ("filter%5Bspecies%5D", "cat"),
        // allowReserved: reserved characters and `%XX` triples pass;
        // `=` and `&` are encoded, as they would end the pair.
        ("cursor", "a/b?c%3Dd%26e,f:g@h!%2F"),
        // An optional enum.
        ("order", "age"),
    ]);
    assert_eq!(request.query(), expected, "{}", request.target);
}

#[tokio::test]
async fn unset_query_parameters_send_no_query_and_unknown_enum_values_pass() {
    let server = Server::start(|_, _| Reply::json(200, "[]"));
    let client = client(&server);
    let none: [&str; 0] = [];
    client.pets().list_pets().tag(none).await.unwrap();
    client
        .pets()
        .list_pets()
        .order(ListPetsOrder::from("size"))
        .await
        .unwrap();
    let received = server.received();
    assert_eq!(received[0].target, "/clinic/v1/pets");
    assert_eq!(received[1].target, "/clinic/v1/pets?order=size");
}

// Request bodies.

#[tokio::test]
async fn a_json_body_is_the_serialized_model() {
    let server =
        Server::start(|_, _| Reply::json(201, r#"{"id": "9", "name": "Rex", "tag": "dog"}"#));
    let pet = client(&server)
        .pets()
        .create_pet(NewPet::new().set_name("Rex").set_tag("dog"))
        .await
        .unwrap();
    assert_eq!(pet.id.as_deref(), Some("9"));
    let request = only(&server);
    assert_eq!(
        (request.method.as_str(), request.path()),
        ("POST", "/clinic/v1/pets")
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body, serde_json::json!({"name": "Rex", "tag": "dog"}));
}

#[tokio::test]
async fn one_schema_offered_as_json_and_form_is_sent_as_the_caller_chooses() {
    let server = Server::start(|_, _| Reply::json(200, r#"{"id": "1", "name": "Rex II"}"#));
    let client = client(&server);
    let pet = NewPet::new().set_name("Rex II").set_tag("a&b");
    client.pets().update_pet("1", pet.clone()).await.unwrap();
    client
        .pets()
        .update_pet("1", pet.clone())
        .content_type("application/x-www-form-urlencoded")
        .await
        .unwrap();
    let err = client
        .pets()
        .update_pet("1", pet)
        .content_type("application/xml")
        .await
        .unwrap_err();
    match &err {
        Error::Config(e) => assert_eq!(e.setting(), "content_type"),
        other => panic!("expected a content type error, got {other:?}"),
    }
    let received = server.received();
    assert_eq!(received.len(), 2, "the refused media type sends nothing");
    assert!(
        received
            .iter()
            .all(|r| r.method == "PUT" && r.path() == "/clinic/v1/pets/1")
    );
    // The first media type is the default.
    assert_eq!(received[0].header("content-type"), Some("application/json"));
    let json: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(json, serde_json::json!({"name": "Rex II", "tag": "a&b"}));
    assert_eq!(
        received[1].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8(received[1].body.clone()).unwrap(),
        "name=Rex+II&tag=a%26b"
    );
}

#[tokio::test]
async fn a_form_body_sends_arrays_as_repeated_pairs_and_objects_as_json() {
    let server = Server::start(|_, _| Reply::json(204, ""));
    let form = SubmitFormRequest::new()
        .set_title("Hi there")
        .set_labels(["a", "b&c"])
        .set_size(Size::new().set_width(3).set_height(4))
        .set_where(Where::new().set_city("Köln"));
    client(&server).uploads().submit_form(form).await.unwrap();
    let request = only(&server);
    assert_eq!(
        (request.method.as_str(), request.path()),
        ("POST", "/clinic/v1/uploads/forms")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let text = String::from_utf8(request.body.clone()).unwrap();
    let mut decoded = decode_form(&text);
    decoded.sort();
    // Without an `encoding` entry a property takes the Encoding Object's
    // default `contentType` (OpenAPI 3.1.1, "URL Encoded Form with JSON
    // Values"): strings as text, an array of strings as one pair per item,
    // and an object as its JSON text under the property's own name, never
    // as loose pairs that lose the name `size`.
    let expected = pairs(&[
        ("labels", "a"),
        ("labels", "b&c"),
        ("size", r#"{"height":4,"width":3}"#),
        ("title", "Hi there"),
        // Its Encoding Object says `style: deepObject`.
        ("where[city]", "Köln"),
    ]);
    assert_eq!(decoded, expected, "{text}");
}

#[tokio::test]
async fn a_multipart_body_has_one_text_part_per_property_and_a_file_part() {
    let server = Server::start(|_, _| Reply::json(204, ""));
    let document = UploadDocumentRequest::new()
        .set_title("Report \u{e9}t\u{e9}")
        .set_summary("Two\r\nlines, --dashes--")
        .set_scan(vec![0u8, 159, 255, b'\r', b'\n'])
        .set_pages([vec![1u8], vec![2u8, 3]]);
    client(&server)
        .uploads()
        .upload_document(document)
        .await
        .unwrap();
    let request = only(&server);
    assert_eq!(
        (request.method.as_str(), request.path()),
        ("POST", "/clinic/v1/uploads/documents")
    );
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("a multipart/form-data body, got {content_type}"));
    let mut parts = parse_multipart(&request.body, boundary);
    parts.sort_by(|a, b| a.name.cmp(&b.name));
    let expected = vec![
        // A list of raw-bytes values is a file part per item.
        Part {
            name: "pages".into(),
            headers: vec![(
                "content-type".to_owned(),
                "application/octet-stream".to_owned(),
            )],
            body: vec![1u8],
        },
        Part {
            name: "pages".into(),
            headers: vec![(
                "content-type".to_owned(),
                "application/octet-stream".to_owned(),
            )],
            body: vec![2u8, 3],
        },
        Part {
            // A raw-bytes property is a file part with its bytes as they are.
            name: "scan".into(),
            // The Encoding Object gives the file's content type.
            headers: vec![("content-type".to_owned(), "image/png".to_owned())],
            body: vec![0u8, 159, 255, b'\r', b'\n'],
        },
        Part {
            name: "summary".into(),
            headers: Vec::new(),
            body: b"Two\r\nlines, --dashes--".to_vec(),
        },
        Part {
            name: "title".into(),
            // Text parts need no Content-Type: `text/plain` is the default.
            headers: Vec::new(),
            body: "Report \u{e9}t\u{e9}".as_bytes().to_vec(),
        },
    ];
    assert_eq!(parts, expected);
}

#[tokio::test]
async fn a_binary_body_and_a_binary_response_are_bytes() {
    let content: Vec<u8> = (0..=255u8).rev().collect();
    let served = content.clone();
    let server = Server::start(move |request, _| match request.method.as_str() {
        "PUT" => Reply::json(204, ""),
        _ => reply(200, "application/octet-stream", &served),
    });
    let client = client(&server);
    client
        .uploads()
        .put_blob("b/1", content.clone())
        .await
        .unwrap();
    let fetched = client.uploads().get_blob("b/1").await.unwrap();
    assert_eq!(fetched, content);
    let received = server.received();
    let put = &received[0];
    assert_eq!(
        (put.method.as_str(), put.target.as_str()),
        ("PUT", "/clinic/v1/uploads/blobs/b%2F1")
    );
    assert_eq!(put.header("content-type"), Some("application/octet-stream"));
    assert_eq!(put.body, content);
    let get = &received[1];
    assert_eq!(
        (get.method.as_str(), get.target.as_str()),
        ("GET", "/clinic/v1/uploads/blobs/b%2F1")
    );
    assert!(get.body.is_empty());
}

#[tokio::test]
async fn a_text_body_and_a_text_response_are_strings() {
    let server = Server::start(|request, _| {
        let mut echoed = b"stored: ".to_vec();
        echoed.extend_from_slice(&request.body);
        reply(200, "text/plain; charset=utf-8", &echoed)
    });
    let stored = client(&server)
        .uploads()
        .add_note("line 1\nl\u{ed}ne 2 {\"not\": \"json\"}".to_owned())
        .await
        .unwrap();
    assert_eq!(stored, "stored: line 1\nl\u{ed}ne 2 {\"not\": \"json\"}");
    let request = only(&server);
    assert_eq!(
        (request.method.as_str(), request.path()),
        ("POST", "/clinic/v1/uploads/notes")
    );
    let content_type = request.header("content-type").unwrap();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    assert_eq!(
        request.body,
        "line 1\nl\u{ed}ne 2 {\"not\": \"json\"}".as_bytes()
    );
}

// Responses.

#[tokio::test]
async fn documented_error_bodies_read_as_their_schemas() {
    let server = Server::start(|request, _| match request.path() {
        "/clinic/v1/pets/gone" => Reply::json(404, r#"{"resource": "pet", "id": "gone"}"#),
        "/clinic/v1/pets/locked" => Reply::json(409, r#"{"title": "locked", "status": 409}"#),
        "/clinic/v1/pets/teapot" => reply(418, "text/html", b"<p>I am a teapot</p>"),
        _ => Reply::json(422, r#"{"title": "name is required", "status": 422}"#),
    });
    let client = client(&server);
    // `404`: NotFound.
    let err = client.pets().get_pet("gone").await.unwrap_err();
    assert_eq!(err.http_status(), Some(404));
    let not_found: NotFound = err.body_as().expect("a NotFound body");
    assert_eq!(
        (not_found.resource.as_deref(), not_found.id.as_deref()),
        (Some("pet"), Some("gone"))
    );
    // `default`: Problem.
    let err = client.pets().get_pet("locked").await.unwrap_err();
    assert_eq!(err.http_status(), Some(409));
    let problem: Problem = err.body_as().expect("a Problem body");
    assert_eq!(
        (problem.title.as_deref(), problem.status),
        (Some("locked"), Some(409))
    );
    // `4XX`: Problem.
    let err = client.pets().create_pet(NewPet::new()).await.unwrap_err();
    assert_eq!(err.http_status(), Some(422));
    let problem: Problem = err.body_as().expect("a Problem body");
    assert_eq!(problem.title.as_deref(), Some("name is required"));
    // A body that is no JSON reads as no `T`.
    let err = client.pets().get_pet("teapot").await.unwrap_err();
    assert_eq!(err.http_status(), Some(418));
    assert!(err.body_as::<Problem>().is_none());
}

#[tokio::test]
async fn a_discriminated_one_of_reads_the_variant_its_mapping_names() {
    let server = Server::start(|request, _| match request.path() {
        "/clinic/v1/pets/1/owner" => Reply::json(200, r#"{"kind": "person", "name": "Ann"}"#),
        "/clinic/v1/pets/2/owner" => Reply::json(
            200,
            r#"{"kind": "company", "legalName": "Acme", "employees": 7}"#,
        ),
        _ => Reply::json(200, r#"{"kind": "robot", "model": "R2"}"#),
    });
    let client = client(&server);
    let person = client.pets().get_owner("1").await.unwrap();
    assert_eq!(
        person,
        Owner::Person(Person::new().set_kind("person").set_name("Ann"))
    );
    let company = client.pets().get_owner("2").await.unwrap();
    assert_eq!(
        company,
        Owner::Company(
            Company::new()
                .set_kind("company")
                .set_legal_name("Acme")
                .set_employees(7)
        )
    );
    match client.pets().get_owner("3").await.unwrap() {
        Owner::UnknownValue(value) => {
            assert_eq!(value, serde_json::json!({"kind": "robot", "model": "R2"}))
        }
        other => panic!("an unknown discriminator value is kept, got {other:?}"),
    }
    assert_eq!(server.received()[0].path(), "/clinic/v1/pets/1/owner");
}

#[tokio::test]
async fn an_untagged_one_of_reads_the_first_shape_that_fits() {
    let server = Server::start(|request, _| match request.path() {
        "/clinic/v1/pets/1/nickname" => Reply::json(200, r#""Fluffy""#),
        "/clinic/v1/pets/2/nickname" => {
            Reply::json(200, r#"{"nickname": "Fluffy", "givenBy": "Ann"}"#)
        }
        _ => Reply::json(200, "42"),
    });
    let client = client(&server);
    assert_eq!(
        client.pets().get_nickname("1").await.unwrap(),
        Nickname::String("Fluffy".into())
    );
    assert_eq!(
        client.pets().get_nickname("2").await.unwrap(),
        Nickname::NicknameDetail(
            NicknameDetail::new()
                .set_nickname("Fluffy")
                .set_given_by("Ann")
        )
    );
    assert_eq!(
        client.pets().get_nickname("3").await.unwrap(),
        Nickname::UnknownValue(serde_json::json!(42))
    );
}

// Security.

/// Which credentials a request carried: the `Authorization` header, the
/// `X-Api-Key` header, the `api_key` query parameter, the `clinic_key` cookie.
fn credentials_sent(request: &Received) -> [Option<String>; 4] {
    [
        request.header("authorization").map(str::to_owned),
        request.header("x-api-key").map(str::to_owned),
        request.query_value("api_key"),
        cookies(request)
            .into_iter()
            .find(|(n, _)| n == "clinic_key")
            .map(|(_, v)| v),
    ]
}

#[tokio::test]
async fn each_scheme_sends_its_credential_where_the_scheme_says() {
    let server = Server::start(|_, _| Reply::json(200, r#"{"user": "ann"}"#));
    let cases: Vec<(Credential, [Option<&str>; 4])> = vec![
        (
            security::api_key_header("key-h").unwrap(),
            [None, Some("key-h"), None, None],
        ),
        (
            security::api_key_query("key q").unwrap(),
            [None, None, Some("key%20q"), None],
        ),
        (
            security::api_key_cookie("key-c").unwrap(),
            [None, None, None, Some("key-c")],
        ),
        (
            security::bearer_auth("bearer-1").unwrap(),
            [Some("Bearer bearer-1"), None, None, None],
        ),
    ];
    let mut expected = Vec::new();
    for (credential, sent) in cases {
        let client = builder(&server).credential(credential).build().unwrap();
        let account = client.accounts().who_am_i().await.unwrap();
        assert_eq!(account.user.as_deref(), Some("ann"));
        expected.push(sent.map(|v| v.map(str::to_owned)));
    }
    let received = server.received();
    assert_eq!(received.len(), expected.len());
    for (request, expected) in received.iter().zip(expected) {
        assert_eq!(request.path(), "/clinic/v1/accounts/me");
        assert_eq!(credentials_sent(request), expected, "{request:?}");
    }
}

#[tokio::test]
async fn basic_credentials_are_base64_of_user_colon_password() {
    let server = Server::start(|_, _| Reply::json(200, r#"{"user": "ann"}"#));
    let client = builder(&server)
        .credential(security::basic_auth("ann", "p:ss w\u{f6}rd").unwrap())
        .build()
        .unwrap();
    client.accounts().who_am_i().await.unwrap();
    let request = only(&server);
    let header = request.header("authorization").unwrap();
    let encoded = header
        .strip_prefix("Basic ")
        .expect("a Basic authorization");
    assert_eq!(
        String::from_utf8(base64_decode(encoded)).unwrap(),
        "ann:p:ss w\u{f6}rd"
    );
    // A user name cannot hold the `:` that separates it from the password.
    assert!(security::basic_auth("a:b", "p").is_err());
}

#[tokio::test]
async fn only_the_first_alternative_the_client_holds_is_sent() {
    let server = Server::start(|_, _| Reply::json(200, r#"{"user": "ann"}"#));
    // whoAmI lists apiKeyHeader before basicAuth: holding both sends the
    // header key alone.
    let client = builder(&server)
        .credential(security::basic_auth("ann", "pw").unwrap())
        .credential(security::api_key_header("key-h").unwrap())
        .build()
        .unwrap();
    client.accounts().who_am_i().await.unwrap();
    let request = only(&server);
    assert_eq!(
        credentials_sent(&request),
        [None, Some("key-h".into()), None, None]
    );
}

#[tokio::test]
async fn a_client_holding_only_the_second_requirement_sends_all_of_it() {
    let server = Server::start(|_, _| Reply::json(200, r#"["k1", "k2"]"#));
    // listKeys: basicAuth, or apiKeyQuery and apiKeyCookie together.
    let client = builder(&server)
        .credential(security::api_key_query("key-q").unwrap())
        .credential(security::api_key_cookie("key-c").unwrap())
        .credential(security::bearer_auth("not-for-this-method").unwrap())
        .build()
        .unwrap();
    let keys = client.accounts().list_keys().await.unwrap();
    assert_eq!(keys, ["k1", "k2"]);
    // Half of a requirement is no requirement met: nothing is sent.
    let partial = builder(&server)
        .credential(security::api_key_query("key-q").unwrap())
        .build()
        .unwrap();
    partial.accounts().list_keys().await.unwrap();
    let received = server.received();
    assert_eq!(received[0].path(), "/clinic/v1/accounts/keys");
    assert_eq!(
        credentials_sent(&received[0]),
        [None, None, Some("key-q".into()), Some("key-c".into())]
    );
    assert_eq!(credentials_sent(&received[1]), [None, None, None, None]);
}

#[tokio::test]
async fn the_root_requirement_applies_unless_an_operation_says_otherwise() {
    let server = Server::start(|request, _| match request.path() {
        "/clinic/v1/status" => reply(200, "text/plain", b"up"),
        _ => Reply::json(200, r#"{"id": "1", "name": "Rex"}"#),
    });
    let everything = builder(&server)
        .credential(security::api_key_header("key-h").unwrap())
        .credential(security::api_key_query("key-q").unwrap())
        .credential(security::api_key_cookie("key-c").unwrap())
        .credential(security::bearer_auth("bearer-1").unwrap())
        .credential(security::basic_auth("ann", "pw").unwrap())
        .token_provider(StaticToken::new("provided-1").unwrap())
        .build()
        .unwrap();
    // `security: []`: anonymous, whatever the client holds.
    assert_eq!(everything.accounts().get_status().await.unwrap(), "up");
    // The root-level `bearerAuth`, and only it.
    everything.pets().get_pet("1").await.unwrap();
    // A client without a bearer token sends no other scheme instead.
    let keys_only = builder(&server)
        .credential(security::api_key_header("key-h").unwrap())
        .build()
        .unwrap();
    keys_only.pets().get_pet("1").await.unwrap();
    let received = server.received();
    assert_eq!(received[0].target, "/clinic/v1/status");
    assert_eq!(credentials_sent(&received[0]), [None, None, None, None]);
    assert_eq!(received[0].header("cookie"), None);
    assert_eq!(
        credentials_sent(&received[1]),
        [Some("Bearer bearer-1".into()), None, None, None]
    );
    assert_eq!(credentials_sent(&received[2]), [None, None, None, None]);
}

#[tokio::test]
async fn a_token_provider_serves_the_http_bearer_scheme() {
    // A bearer token may come from a token provider as well as from
    // `security::bearer_auth`: a client holding only a provider sends its
    // token to methods that accept `bearerAuth`, never a call without it.
    let server = Server::start(|_, _| Reply::json(200, r#"{"id": "1", "name": "Rex"}"#));
    let client = builder(&server)
        .token_provider(StaticToken::new("provided-1").unwrap())
        .build()
        .unwrap();
    client.pets().get_pet("1").await.unwrap();
    let request = only(&server);
    assert_eq!(request.header("authorization"), Some("Bearer provided-1"));
}

#[tokio::test]
async fn credentials_join_parameter_cookies_in_one_header() {
    let server = Server::start(|_, _| Reply::json(200, r#"["k1"]"#));
    let client = builder(&server)
        .credential(security::api_key_query("key-q").unwrap())
        .credential(security::api_key_cookie("key-c").unwrap())
        .build()
        .unwrap();
    client.accounts().list_keys().await.unwrap();
    let request = only(&server);
    assert_eq!(
        request
            .headers
            .iter()
            .filter(|(n, _)| n == "cookie")
            .count(),
        1
    );
    // A query key is added to the query the call built.
    assert_eq!(request.target, "/clinic/v1/accounts/keys?api_key=key-q");
}

#[test]
fn credentials_never_appear_in_dry_runs_nor_in_debug_output() {
    let secrets = [
        "provided-SECRET",
        "key-h-SECRET",
        "key-q-SECRET",
        "key-c-SECRET",
        "bearer-SECRET",
        "pw-SECRET",
    ];
    let credentials = [
        security::api_key_header(secrets[1]).unwrap(),
        security::api_key_query(secrets[2]).unwrap(),
        security::api_key_cookie(secrets[3]).unwrap(),
        security::bearer_auth(secrets[4]).unwrap(),
        security::basic_auth("ann", secrets[5]).unwrap(),
    ];
    let mut builder = Client::builder()
        .endpoint("http://127.0.0.1:9/clinic/v1/")
        .token_provider(StaticToken::new(secrets[0]).unwrap());
    for credential in &credentials {
        let shown = format!("{credential:?}");
        assert!(secrets.iter().all(|s| !shown.contains(s)), "{shown}");
        builder = builder.credential(credential.clone());
    }
    let shown = format!("{builder:?}");
    assert!(secrets.iter().all(|s| !shown.contains(s)), "{shown}");
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(secrets.iter().all(|s| !shown.contains(s)), "{shown}");
    assert!(!shown.contains("ann"), "{shown}");

    let requests = [
        client.accounts().who_am_i().dry_run().unwrap(),
        client.accounts().list_keys().dry_run().unwrap(),
        client.pets().get_pet("1").session("s-1").dry_run().unwrap(),
    ];
    for request in &requests {
        let shown = format!("{request:?}");
        assert!(secrets.iter().all(|s| !shown.contains(s)), "{shown}");
        assert!(
            secrets.iter().all(|s| !request.url().contains(s)),
            "{}",
            request.url()
        );
        for (name, value) in request.headers() {
            assert!(
                secrets.iter().all(|s| !value.contains(s)),
                "{name}: {value}"
            );
            assert!(name != "authorization" && name != "x-api-key", "{name}");
        }
    }
    assert_eq!(
        requests[1].url(),
        "http://127.0.0.1:9/clinic/v1/accounts/keys"
    );
    // A cookie parameter is part of the request; only credentials stay out.
    assert!(
        requests[2]
            .headers()
            .iter()
            .any(|(n, v)| n == "cookie" && v == "session=s-1")
    );
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed_with_the_credentials() {
    let elsewhere = Server::start(|_, _| Reply::json(200, r#"{"user": "mallory"}"#));
    let location = format!("{}stolen", elsewhere.url);
    let server = Server::start(move |_, _| Reply::json(302, "").with_header("location", &location));
    let client = builder(&server)
        .credential(security::api_key_header("key-h").unwrap())
        .build()
        .unwrap();
    // reqwest's own policy would follow with every header but
    // `Authorization` and `Cookie`: the API key among them.
    let error = client.accounts().who_am_i().await.unwrap_err();
    assert_eq!(error.http_status(), Some(302), "{error}");
    assert_eq!(server.received().len(), 1);
    assert!(elsewhere.received().is_empty(), "nothing reached the other host");
}

#[tokio::test]
async fn a_redirect_on_the_same_host_is_followed() {
    let server = Server::start(|request, _| {
        if request.path().ends_with("/accounts/me") {
            Reply::json(307, "").with_header("location", "/clinic/v1/accounts/me2")
        } else {
            Reply::json(200, r#"{"user": "ann"}"#)
        }
    });
    let client = builder(&server)
        .credential(security::api_key_header("key-h").unwrap())
        .build()
        .unwrap();
    client.accounts().who_am_i().await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].header("x-api-key"), Some("key-h"));
}
