//! The plain-HTTP parts of OAuth that need no signature: a form POST to a
//! token endpoint (refresh-token grant, authorization-code exchange) and
//! reading its answer, with reqwest, which every crate already builds.
//!
//! Secrets: request bodies hold refresh tokens, client secrets and codes,
//! and answers hold tokens, so neither is ever put in an error or a log.
//! Errors name the endpoint, the HTTP status and the OAuth error code
//! (`invalid_grant`), never the server's free text, and a JSON error is told
//! by its kind and position only: serde's own message can quote the value.

use super::auth::TokenError;
use super::path::encode_segment;
use std::time::Duration;

/// The answer a token endpoint may give, read before anything else: a
/// token answer is a few hundred bytes, so a larger one is not a token.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// How long a token request may take in all. Token endpoints answer in
/// milliseconds; this only keeps a dead one from hanging every call.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Google's OAuth 2.0 token endpoint, where a key or file names none.
pub(crate) const GOOGLE_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";

/// An HTTP client for token endpoints: no redirects (a token endpoint
/// that redirects is misconfigured, and a redirect could carry the form
/// elsewhere), bounded in time.
pub(crate) fn http_client() -> Result<reqwest::Client, TokenError> {
    reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| TokenError::with_source("could not set up the HTTP client for OAuth", e))
}

/// What a token endpoint answered, read field by field. Holds secrets: no
/// `Debug`.
pub(crate) struct TokenAnswer {
    pub(crate) access_token: String,
    pub(crate) expires_in: Option<Duration>,
    /// Read by the consent flows (a code exchange gives one); a refresh
    /// answer's is ignored, Google does not rotate them.
    #[cfg_attr(not(feature = "user-consent"), allow(dead_code))]
    pub(crate) refresh_token: Option<String>,
    /// The scopes granted, space-separated, when the endpoint says.
    #[cfg_attr(not(feature = "user-consent"), allow(dead_code))]
    pub(crate) scope: Option<String>,
}

/// `application/x-www-form-urlencoded` text of `pairs`: everything but
/// `A-Z a-z 0-9 - . _ ~` percent-encoded, which every decoder reads.
pub(crate) fn form(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        encode_segment(&mut out, name);
        out.push('=');
        encode_segment(&mut out, value);
    }
    out
}

/// POSTs `pairs` as a form to the token endpoint `url` and reads the token.
pub(crate) async fn post_form(
    http: &reqwest::Client,
    url: &str,
    pairs: &[(&str, &str)],
) -> Result<TokenAnswer, TokenError> {
    let response = http
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(form(pairs))
        .send()
        .await
        // reqwest's error names the URL and the cause, not the body.
        .map_err(|e| {
            TokenError::with_source(format!("could not reach the OAuth token endpoint {url}"), e)
        })?;
    read_answer(response, &format!("the OAuth token endpoint {url}")).await
}

/// Reads a token answer (or an OAuth error) from `response`; `who` names
/// the server in errors.
pub(crate) async fn read_answer(
    mut response: reqwest::Response,
    who: &str,
) -> Result<TokenAnswer, TokenError> {
    let status = response.status();
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return Err(TokenError::new(format!(
                        "{who} answered HTTP {} with more than {MAX_ANSWER_BYTES} bytes: not a token",
                        status.as_u16()
                    )));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => {
                return Err(TokenError::with_source(
                    format!("could not read the answer of {who}"),
                    e,
                ));
            }
        }
    }
    let json = serde_json::from_slice::<serde_json::Value>(&body);
    if !status.is_success() {
        let code = json
            .ok()
            .as_ref()
            .and_then(|v| v.get("error"))
            .and_then(|e| e.as_str())
            .filter(|code| is_error_code(code))
            .map(str::to_owned);
        return Err(TokenError::new(match code {
            Some(code) => format!(
                "{who} refused the request: HTTP {}, {code}{}",
                status.as_u16(),
                hint(&code)
            ),
            None => format!("{who} refused the request: HTTP {}", status.as_u16()),
        }));
    }
    let json = json.map_err(|e| {
        TokenError::new(format!(
            "{who} answered with text that is not JSON ({:?} error at line {}, column {})",
            e.classify(),
            e.line(),
            e.column()
        ))
    })?;
    let text = |name: &str| json.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    let access_token = text("access_token")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| TokenError::new(format!("{who} answered without an access token")))?;
    // Google sends a number; some servers send it as text.
    let expires_in = json
        .get("expires_in")
        .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
        .map(Duration::from_secs);
    Ok(TokenAnswer {
        access_token,
        expires_in,
        refresh_token: text("refresh_token").filter(|t| !t.is_empty()),
        scope: text("scope"),
    })
}

/// An OAuth error code as RFC 6749 allows them (`invalid_grant`): anything
/// else the server put there is not repeated.
pub(crate) fn is_error_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// What the application can do about the errors it can do something about.
fn hint(code: &str) -> &'static str {
    match code {
        "invalid_grant" => {
            " (the refresh token was revoked or has expired, or the code was used or is \
             stale: the user must sign in again)"
        }
        "invalid_client" | "unauthorized_client" => " (check the OAuth client id and secret)",
        _ => "",
    }
}
