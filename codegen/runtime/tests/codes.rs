//! `Code`: the names and HTTP statuses of `google/rpc/code.proto`.

use google_api_runtime::Code;

#[test]
fn codes_map_names_and_http_statuses_as_google_rpc_documents() {
    let names = [
        "OK",
        "CANCELLED",
        "UNKNOWN",
        "INVALID_ARGUMENT",
        "DEADLINE_EXCEEDED",
        "NOT_FOUND",
        "ALREADY_EXISTS",
        "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED",
        "FAILED_PRECONDITION",
        "ABORTED",
        "OUT_OF_RANGE",
        "UNIMPLEMENTED",
        "INTERNAL",
        "UNAVAILABLE",
        "DATA_LOSS",
        "UNAUTHENTICATED",
    ];
    let mut codes = Vec::new();
    for name in names {
        let code = Code::from_name(name);
        assert!(!matches!(code, Code::Other(_)), "{name}");
        assert_eq!(code.as_str(), name);
        assert_eq!(code.to_string(), name);
        assert!(!codes.contains(&code), "{name} is not a code of its own");
        codes.push(code);
    }
    for odd in ["not_found", "", "NOT_FOUND "] {
        assert_eq!(Code::from_name(odd), Code::Other(odd.to_owned()));
        assert_eq!(Code::from_name(odd).as_str(), odd);
    }
    let http = [
        (200, Code::Ok),
        (400, Code::InvalidArgument),
        (401, Code::Unauthenticated),
        (403, Code::PermissionDenied),
        (404, Code::NotFound),
        (409, Code::Aborted),
        (429, Code::ResourceExhausted),
        (499, Code::Cancelled),
        (500, Code::Internal),
        (501, Code::Unimplemented),
        (502, Code::Unavailable),
        (503, Code::Unavailable),
        (504, Code::DeadlineExceeded),
        (405, Code::Unknown),
        (0, Code::Unknown),
        (u16::MAX, Code::Unknown),
    ];
    for (status, code) in http {
        assert_eq!(Code::from_http_status(status), code, "{status}");
    }
}
