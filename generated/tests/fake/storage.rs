//! Fake Cloud Storage for the archives of COMPLETE jobs (R19–R21).
//!
//! `getPortabilityArchiveState` lists V4-style signed URLs under
//! [`PREFIX`] on the fake's own port. Each poll signs them afresh at the
//! fake clock's time (`X-Goog-Date`); whether Google re-signs on every poll
//! is not documented, and fresh URLs let a test reach the 14-day limit
//! without the 6-hour one getting in the way. The signature is a keyed hash
//! (a random key per server) over the object and the two time parameters,
//! so a test cannot stretch a URL's life by editing it.
//!
//! A good URL serves a real ZIP file (entries stored, not compressed) as
//! `application/zip`. Failures answer as Cloud Storage does, in XML rather
//! than the API's JSON envelope:
//!
//! | Case | Status | `<Code>` |
//! |---|---|---|
//! | No signature parameters | 403 | `AccessDenied` |
//! | Signature does not match | 403 | `SignatureDoesNotMatch` |
//! | 6 h ([`URL_LIFETIME`]) after signing | 400 | `ExpiredToken` |
//! | Unknown object, job not COMPLETE, 14 days ([`DATA_LIFETIME`]) after completion, or after `reset` | 404 | `NoSuchKey` |
//! | A verb other than GET or HEAD | 405 | `MethodNotAllowed` |

use super::clock::{dos_date_time, goog_date, parse_goog_date, rfc3339, unix_seconds};
use super::{Job, RecordedRequest, Reply, State, percent_decode};
use serde_json::json;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The path prefix of the fake storage, after the endpoint's `/`.
pub const PREFIX: &str = "/__storage/";

/// The bucket in every archive URL.
const BUCKET: &str = "dataportability-archives";

/// How many archive files (URLs) a COMPLETE job has.
pub const PARTS: u32 = 2;

/// How long a signed URL works: 6 hours, as Google documents.
pub const URL_LIFETIME: Duration = Duration::from_secs(6 * 60 * 60);

/// How long the archive data is kept after the job completes: 14 days.
pub const DATA_LIFETIME: Duration = Duration::from_secs(14 * 24 * 60 * 60);

/// The content type of Cloud Storage's XML errors.
pub const XML_CONTENT_TYPE: &str = "application/xml; charset=UTF-8";

/// The archive URLs of job `id`, signed at `now`.
pub(super) fn signed_urls(endpoint: &str, key: u64, id: &str, now: SystemTime) -> Vec<String> {
    let encoded_id = encode_segment(id);
    let date = goog_date(now);
    let expires = URL_LIFETIME.as_secs().to_string();
    // The credential's scope is the signing day, as in a real V4 URL.
    let day = &date[..8];
    (1..=PARTS)
        .map(|part| {
            let file = format!("archive-{part}.zip");
            let signature = signature(key, id, &file, &date, &expires);
            format!(
                "{endpoint}__storage/{BUCKET}/{encoded_id}/{file}\
                 ?X-Goog-Algorithm=GOOG4-RSA-SHA256\
                 &X-Goog-Credential=fake-signer%40dataportability.iam.gserviceaccount.com\
                 %2F{day}%2Fauto%2Fstorage%2Fgoog4_request\
                 &X-Goog-Date={date}&X-Goog-Expires={expires}\
                 &X-Goog-SignedHeaders=host&X-Goog-Signature={signature}"
            )
        })
        .collect()
}

/// Answers a request under [`PREFIX`]. No token is needed: the signature
/// is the credential, as with real signed URLs.
pub(super) fn serve(state: &State, request: &RecordedRequest) -> Reply {
    if request.method != "GET" && request.method != "HEAD" {
        return xml_error(
            405,
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
            None,
        );
    }
    let rest = request.path.strip_prefix(PREFIX).unwrap_or_default();
    let (bucket, encoded_id, file) = match rest.split('/').collect::<Vec<_>>().as_slice() {
        [bucket, id, file] => (*bucket, *id, *file),
        _ => return no_such_key(),
    };
    let params = request.query_pairs();
    let param = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    // Like Cloud Storage, check the credential before saying anything
    // about the object.
    let (Some(date), Some(expires), Some(given)) = (
        param("X-Goog-Date"),
        param("X-Goog-Expires"),
        param("X-Goog-Signature"),
    ) else {
        return xml_error(
            403,
            "AccessDenied",
            "Anonymous caller does not have storage.objects.get access to the Google Cloud \
             Storage object.",
            None,
        );
    };
    let id = percent_decode(encoded_id, false);
    let signed = id.as_deref().is_some_and(|id| {
        bucket == BUCKET && given == signature(state.signing_key, id, file, date, expires)
    });
    let lifetime = expires
        .parse::<u64>()
        .ok()
        .and_then(|s| i64::try_from(s).ok());
    let (true, Some(id), Some(issued), Some(lifetime)) =
        (signed, id, parse_goog_date(date), lifetime)
    else {
        return xml_error(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. \
             Check your Google secret key and signing method.",
            None,
        );
    };
    let now = state.now();
    let expiry = issued.saturating_add(lifetime);
    if unix_seconds(now) >= expiry {
        let details = format!(
            "Request signature expired at: {}",
            rfc3339(super::clock::from_unix_seconds(expiry))
        );
        return xml_error(400, "ExpiredToken", "Invalid argument.", Some(&details));
    }
    let part = file
        .strip_prefix("archive-")
        .and_then(|rest| rest.strip_suffix(".zip"))
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| (1..=PARTS).contains(n));
    let job = state.jobs.get(&id).filter(|job| {
        job.state == "COMPLETE"
            && !job.purged
            && job
                .completed_at
                .and_then(|done| done.checked_add(DATA_LIFETIME))
                .is_some_and(|gone| now < gone)
    });
    let (Some(part), Some(job)) = (part, job) else {
        return no_such_key();
    };
    let mut reply = Reply::new(200, "application/zip", archive(&id, job, part));
    reply.headers.push((
        "content-disposition".to_owned(),
        format!("attachment; filename=\"archive-{part}.zip\""),
    ));
    reply
}

/// Archive file `part` of job `id`: one JSON entry per resource group.
pub(super) fn archive(id: &str, job: &Job, part: u32) -> Vec<u8> {
    let entries: Vec<(String, Vec<u8>)> = job
        .groups
        .iter()
        .map(|group| {
            let name = format!("Portability/{group}/part-{part}.json");
            let content = json!({
                "archiveJobId": id,
                "resourceGroup": group,
                "part": part,
            });
            (name, format!("{content}\n").into_bytes())
        })
        .collect();
    zip(&entries, job.completed_at.unwrap_or(UNIX_EPOCH))
}

/// A ZIP file of `entries` (name, content), all stored without compression
/// and dated `time`: local headers with the data, then the central
/// directory, then its end record. No ZIP64: the archives are tiny.
pub(super) fn zip(entries: &[(String, Vec<u8>)], time: SystemTime) -> Vec<u8> {
    // Version 2.0 is enough to extract stored entries.
    const VERSION: u16 = 20;
    // Bit 11: names are UTF-8 (resource groups are whatever a test grants).
    const FLAGS: u16 = 0x0800;
    const STORED: u16 = 0;
    let (dos_time, dos_date) = dos_date_time(time);
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        // A name or size past the format's fields would be cut, not panic.
        let name = &name.as_bytes()[..name.len().min(usize::from(u16::MAX))];
        let name_len = name.len() as u16;
        let size = u32::try_from(data.len()).unwrap_or(u32::MAX);
        let offset = u32::try_from(out.len()).unwrap_or(u32::MAX);
        let crc = crc32(data);

        out.extend_from_slice(&0x0403_4b50_u32.to_le_bytes());
        for field in [VERSION, FLAGS, STORED, dos_time, dos_date] {
            out.extend_from_slice(&field.to_le_bytes());
        }
        for field in [crc, size, size] {
            out.extend_from_slice(&field.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0_u16.to_le_bytes()); // no extra field
        out.extend_from_slice(name);
        out.extend_from_slice(data);

        central.extend_from_slice(&0x0201_4b50_u32.to_le_bytes());
        for field in [VERSION, VERSION, FLAGS, STORED, dos_time, dos_date] {
            central.extend_from_slice(&field.to_le_bytes());
        }
        for field in [crc, size, size] {
            central.extend_from_slice(&field.to_le_bytes());
        }
        // Name length, then no extra field, no comment, disk 0, no internal
        // attributes.
        for field in [name_len, 0, 0, 0, 0] {
            central.extend_from_slice(&field.to_le_bytes());
        }
        central.extend_from_slice(&0_u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let count = u16::try_from(entries.len()).unwrap_or(u16::MAX);
    let directory_size = u32::try_from(central.len()).unwrap_or(u32::MAX);
    let directory_offset = u32::try_from(out.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50_u32.to_le_bytes());
    // This disk, the directory's disk, entries here, entries in all.
    for field in [0, 0, count, count] {
        out.extend_from_slice(&field.to_le_bytes());
    }
    out.extend_from_slice(&directory_size.to_le_bytes());
    out.extend_from_slice(&directory_offset.to_le_bytes());
    out.extend_from_slice(&0_u16.to_le_bytes()); // no comment
    out
}

/// CRC-32 as ZIP uses it (IEEE 802.3, reflected, polynomial 0xEDB88320),
/// a bit at a time: slow, but the archives are small.
pub(super) fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0_u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The hex signature of one object at one signing time: four differently
/// seeded FNV-1a passes over the signed text, each finished with the
/// splitmix64 mixer. Not cryptography; enough that an edit shows.
fn signature(key: u64, id: &str, file: &str, date: &str, expires: &str) -> String {
    let text = format!("GET\n{BUCKET}\n{id}\n{file}\n{date}\n{expires}");
    (0..4_u64)
        .map(|seed| {
            let mut hash = 0xcbf2_9ce4_8422_2325 ^ key ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            for &byte in text.as_bytes() {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
            hash = (hash ^ (hash >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            hash = (hash ^ (hash >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            format!("{:016x}", hash ^ (hash >> 31))
        })
        .collect()
}

/// `id` as one path segment: everything but unreserved characters escaped.
fn encode_segment(id: &str) -> String {
    let mut encoded = String::new();
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn no_such_key() -> Reply {
    xml_error(404, "NoSuchKey", "The specified key does not exist.", None)
}

/// A Cloud Storage XML error: `<Error><Code>…</Code><Message>…</Message>`.
fn xml_error(status: u16, code: &str, message: &str, details: Option<&str>) -> Reply {
    let details = details
        .map(|d| format!("<Details>{}</Details>", xml_escape(d)))
        .unwrap_or_default();
    let body = format!(
        "<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>\
         <Message>{}</Message>{details}</Error>",
        xml_escape(message)
    );
    Reply::new(status, XML_CONTENT_TYPE, body.into_bytes())
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
