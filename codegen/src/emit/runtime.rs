//! The runtime support module, copied verbatim into every generated crate.
//!
//! It is ordinary Rust under `codegen/runtime/`, compiled and tested as part
//! of each generated crate; only the emitted code around it varies by API.

/// File name and contents of each runtime source file, in name order.
pub const FILES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../runtime/auth.rs")),
    ("bytes.rs", include_str!("../../runtime/bytes.rs")),
    ("calls.rs", include_str!("../../runtime/calls.rs")),
    ("client.rs", include_str!("../../runtime/client.rs")),
    ("date.rs", include_str!("../../runtime/date.rs")),
    ("dispatch.rs", include_str!("../../runtime/dispatch.rs")),
    ("duration.rs", include_str!("../../runtime/duration.rs")),
    ("enums.rs", include_str!("../../runtime/enums.rs")),
    ("error.rs", include_str!("../../runtime/error.rs")),
    ("field_mask.rs", include_str!("../../runtime/field_mask.rs")),
    ("form.rs", include_str!("../../runtime/form.rs")),
    ("lro.rs", include_str!("../../runtime/lro.rs")),
    ("media.rs", include_str!("../../runtime/media.rs")),
    ("mod.rs", include_str!("../../runtime/mod.rs")),
    ("oauth.rs", include_str!("../../runtime/oauth.rs")),
    ("pages.rs", include_str!("../../runtime/pages.rs")),
    ("path.rs", include_str!("../../runtime/path.rs")),
    ("query.rs", include_str!("../../runtime/query.rs")),
    ("retry.rs", include_str!("../../runtime/retry.rs")),
    ("rpc.rs", include_str!("../../runtime/rpc.rs")),
    ("style.rs", include_str!("../../runtime/style.rs")),
    ("timestamp.rs", include_str!("../../runtime/timestamp.rs")),
    ("wire.rs", include_str!("../../runtime/wire.rs")),
];
