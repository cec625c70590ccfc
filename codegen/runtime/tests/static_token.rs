//! `StaticToken`: a token that could not travel in a header is refused
//! when it is made, without echoing it.

use google_api_runtime::StaticToken;

#[test]
fn tokens_that_cannot_travel_in_a_header_are_refused() {
    for token in [
        "",
        "a\nb",
        "a\r\nX-Injected: 1",
        " padded",
        "padded ",
        "tök",
        "tab\there",
    ] {
        let error = StaticToken::new(token).expect_err(token);
        let shown = format!("{error} {error:?}");
        if !token.trim().is_empty() {
            assert!(!shown.contains(token), "the token is echoed in {shown:?}");
        }
    }
    assert!(StaticToken::new("ya29.a-b_c~d/e+f=").is_ok());
}
