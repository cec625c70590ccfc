//! The runtime support module, copied verbatim into every generated crate.
//!
//! It is ordinary Rust under `codegen/runtime/`, compiled and tested as part
//! of each generated crate; only the emitted code around it varies by API.

/// File name and contents of each runtime source file, in name order.
pub const FILES: &[(&str, &str)] = &[
    ("adc.rs", include_str!("../../runtime/src/adc.rs")),
    ("auth.rs", include_str!("../../runtime/src/auth.rs")),
    ("bytes.rs", include_str!("../../runtime/src/bytes.rs")),
    ("calls.rs", include_str!("../../runtime/src/calls.rs")),
    ("client.rs", include_str!("../../runtime/src/client.rs")),
    ("consent.rs", include_str!("../../runtime/src/consent.rs")),
    ("date.rs", include_str!("../../runtime/src/date.rs")),
    ("dispatch.rs", include_str!("../../runtime/src/dispatch.rs")),
    ("duration.rs", include_str!("../../runtime/src/duration.rs")),
    ("enums.rs", include_str!("../../runtime/src/enums.rs")),
    ("error.rs", include_str!("../../runtime/src/error.rs")),
    (
        "field_mask.rs",
        include_str!("../../runtime/src/field_mask.rs"),
    ),
    ("form.rs", include_str!("../../runtime/src/form.rs")),
    ("lro.rs", include_str!("../../runtime/src/lro.rs")),
    ("media.rs", include_str!("../../runtime/src/media.rs")),
    ("mod.rs", include_str!("../../runtime/src/lib.rs")),
    ("oauth.rs", include_str!("../../runtime/src/oauth.rs")),
    ("pages.rs", include_str!("../../runtime/src/pages.rs")),
    ("path.rs", include_str!("../../runtime/src/path.rs")),
    ("query.rs", include_str!("../../runtime/src/query.rs")),
    (
        "refresh_token.rs",
        include_str!("../../runtime/src/refresh_token.rs"),
    ),
    ("retry.rs", include_str!("../../runtime/src/retry.rs")),
    ("rpc.rs", include_str!("../../runtime/src/rpc.rs")),
    ("style.rs", include_str!("../../runtime/src/style.rs")),
    (
        "timestamp.rs",
        include_str!("../../runtime/src/timestamp.rs"),
    ),
    (
        "token_cache.rs",
        include_str!("../../runtime/src/token_cache.rs"),
    ),
    (
        "token_endpoint.rs",
        include_str!("../../runtime/src/token_endpoint.rs"),
    ),
    (
        "token_store.rs",
        include_str!("../../runtime/src/token_store.rs"),
    ),
    ("wire.rs", include_str!("../../runtime/src/wire.rs")),
];
