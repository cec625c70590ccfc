//! `RetryPolicy` on its own: the waits it gives, its bounds, the settings
//! it refuses, and which HTTP methods are safe to retry. (The retry loop
//! against real faults is `generated/tests/retry.rs`.)

use google_api_runtime::RetryPolicy;
use std::time::Duration;

#[test]
fn policy_waits_grow_exponentially_up_to_the_cap() {
    let policy = RetryPolicy::builder()
        .initial_delay(Duration::from_millis(100))
        .max_delay(Duration::from_millis(1000))
        .multiplier(3.0)
        .jitter(false)
        .build()
        .unwrap();
    let waits: Vec<u128> = (1..=5).map(|n| policy.delay(n).as_millis()).collect();
    assert_eq!(waits, [100, 300, 900, 1000, 1000]);
    assert_eq!(policy.delay(u32::MAX), Duration::from_millis(1000));
}

#[test]
fn policy_jitter_stays_between_half_and_all_of_the_step() {
    let policy = RetryPolicy::builder()
        .initial_delay(Duration::from_millis(400))
        .build()
        .unwrap();
    let waits: Vec<Duration> = (0..200).map(|_| policy.delay(1)).collect();
    for wait in &waits {
        assert!(
            *wait >= Duration::from_millis(200) && *wait <= Duration::from_millis(400),
            "{wait:?}"
        );
    }
    assert!(
        waits.iter().any(|w| *w != waits[0]),
        "the jitter is not random"
    );
}

#[test]
fn the_default_policy_is_bounded() {
    let policy = RetryPolicy::default();
    assert_eq!(policy.max_attempts(), 5);
    assert_eq!(policy.time_limit(), Some(Duration::from_secs(60)));
    assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
}

#[test]
fn bad_policy_settings_are_config_errors_naming_the_setting() {
    let cases = [
        (
            RetryPolicy::builder().max_attempts(0),
            "retry_policy.max_attempts",
        ),
        (
            RetryPolicy::builder().initial_delay(Duration::from_secs(100)),
            "retry_policy.initial_delay",
        ),
        (
            RetryPolicy::builder().multiplier(0.5),
            "retry_policy.multiplier",
        ),
        (
            RetryPolicy::builder().multiplier(f64::NAN),
            "retry_policy.multiplier",
        ),
        (
            RetryPolicy::builder().time_limit(Some(Duration::ZERO)),
            "retry_policy.time_limit",
        ),
    ];
    let error = RetryPolicy::builder()
        .max_delay(Duration::ZERO)
        .build()
        .expect_err("max_delay below initial_delay");
    assert!(
        error.to_string().contains("max_delay 0ns"),
        "both values are shown: {error}"
    );
    for (builder, setting) in cases {
        let error = builder.build().expect_err(setting);
        assert_eq!(error.setting(), setting);
        assert!(error.to_string().contains(setting), "{error}");
    }
}

#[test]
fn only_safe_http_methods_are_idempotent() {
    use google_api_runtime::is_idempotent;
    for method in ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"] {
        assert!(is_idempotent(method), "{method}");
    }
    for method in ["POST", "PATCH"] {
        assert!(!is_idempotent(method), "{method}");
    }
}
