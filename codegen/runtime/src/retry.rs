//! Retrying failed attempts: the policy (attempt and time limits,
//! exponential backoff with jitter, the server's `Retry-After`), and which
//! HTTP methods are safe to send twice.
//!
//! Which failures are worth another try is [`crate::Error::is_retryable`].

use super::error::ConfigError;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// How a call retries a failed attempt.
///
/// A failed attempt is retried when the error [may go away on its
/// own](crate::Error::is_retryable), the call is safe to repeat (see
/// [`is_idempotent`]), and neither limit is reached: at most
/// `max_attempts` attempts, and no wait that would end after `time_limit`
/// (counted from the start of the call).
///
/// The wait before retry `n` (1-based) is `initial_delay × multiplier^(n-1)`,
/// capped at `max_delay`; with jitter (the default) it is drawn uniformly
/// between half of that and all of it, so clients that failed together do
/// not come back together. A server's `Retry-After` (or `google.rpc.RetryInfo`)
/// is a lower bound on the wait; one longer than `max_delay` ends the
/// retries, and the error carries it ([`crate::Error::retry_after`]).
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_delay: Duration,
    max_delay: Duration,
    multiplier: f64,
    jitter: bool,
    time_limit: Option<Duration>,
}

impl Default for RetryPolicy {
    /// Up to 5 attempts within 60 seconds, waiting 1 s, 2 s, 4 s, 8 s (each
    /// with jitter), never more than 30 s at a time.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            multiplier: 2.0,
            jitter: true,
            time_limit: Some(Duration::from_secs(60)),
        }
    }
}

impl RetryPolicy {
    /// A builder starting from the [default](Self::default) policy.
    pub fn builder() -> RetryPolicyBuilder {
        RetryPolicyBuilder {
            policy: Self::default(),
        }
    }

    /// The default policy of pollers of long-running operations: waits of
    /// 1 s growing by half each time up to 60 s (with jitter), with no
    /// limit on polls or time, since operations may take hours; set a time
    /// limit to give up sooner.
    pub fn polling() -> Self {
        Self {
            max_attempts: u32::MAX,
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            multiplier: 1.5,
            jitter: true,
            time_limit: None,
        }
    }

    /// A builder starting from the [polling](Self::polling) policy.
    pub fn polling_builder() -> RetryPolicyBuilder {
        RetryPolicyBuilder {
            policy: Self::polling(),
        }
    }

    /// A policy that never retries: every call makes one attempt.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The most attempts a call makes, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// No retry starts (and no wait is begun) that would end later than
    /// this after the call started.
    pub fn time_limit(&self) -> Option<Duration> {
        self.time_limit
    }

    /// The wait before retry `retry` (1 for the first retry), jitter included.
    /// Handy for polling loops, too.
    pub fn delay(&self, retry: u32) -> Duration {
        let step = self.step(retry);
        if self.jitter {
            // Uniform in [step/2, step]; the step itself should rounding
            // ever push the product past what a Duration holds.
            let factor = 0.5 + 0.5 * unit_random();
            Duration::try_from_secs_f64(step.as_secs_f64() * factor)
                .map_or(step, |wait| wait.min(step))
        } else {
            step
        }
    }

    /// The wait before `retry` without jitter: the exponential step.
    fn step(&self, retry: u32) -> Duration {
        let exponent = i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX);
        let seconds = self.initial_delay.as_secs_f64() * self.multiplier.powi(exponent);
        if !seconds.is_finite() || seconds >= self.max_delay.as_secs_f64() {
            self.max_delay
        } else {
            Duration::from_secs_f64(seconds)
        }
    }

    /// The wait before retry `retry` after an error that asked for
    /// `retry_after`, or `None` when the policy gives up: no attempts left,
    /// a server asking for longer than `max_delay`, or a wait that would
    /// end past the time limit (`elapsed` is the time since the call started).
    pub(crate) fn next_delay(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        elapsed: Duration,
    ) -> Option<Duration> {
        if retry >= self.max_attempts {
            return None;
        }
        if retry_after.is_some_and(|wait| wait > self.max_delay) {
            return None;
        }
        let delay = self.delay(retry).max(retry_after.unwrap_or_default());
        match self.time_limit {
            Some(limit) if elapsed.saturating_add(delay) > limit => None,
            _ => Some(delay),
        }
    }
}

/// Builds a [`RetryPolicy`], checking its values.
#[derive(Clone, Debug)]
#[must_use]
pub struct RetryPolicyBuilder {
    policy: RetryPolicy,
}

impl RetryPolicyBuilder {
    /// The most attempts a call makes, the first included (at least 1; 1
    /// means no retries).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.policy.max_attempts = attempts;
        self
    }

    /// The wait before the first retry.
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.policy.initial_delay = delay;
        self
    }

    /// The longest wait between two attempts, and the longest `Retry-After`
    /// honoured.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.policy.max_delay = delay;
        self
    }

    /// How much longer each wait is than the one before (at least 1).
    pub fn multiplier(mut self, multiplier: f64) -> Self {
        self.policy.multiplier = multiplier;
        self
    }

    /// Whether waits are randomized (on by default). Off makes them exact,
    /// which tests like.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.policy.jitter = jitter;
        self
    }

    /// No retry whose wait would end later than `limit` after the call
    /// started; `None` for no limit but the attempt count.
    pub fn time_limit(mut self, limit: Option<Duration>) -> Self {
        self.policy.time_limit = limit;
        self
    }

    /// The policy, or the first setting that cannot be used.
    pub fn build(self) -> Result<RetryPolicy, ConfigError> {
        let policy = self.policy;
        if policy.max_attempts == 0 {
            return Err(ConfigError::new(
                "retry_policy.max_attempts",
                "0",
                "at least 1",
            ));
        }
        if policy.initial_delay > policy.max_delay {
            // Either setting may be the one to change: show both.
            return Err(ConfigError::new(
                "retry_policy.initial_delay",
                &format!(
                    "{:?} with max_delay {:?}",
                    policy.initial_delay, policy.max_delay
                ),
                "at most max_delay",
            ));
        }
        if !(policy.multiplier.is_finite() && policy.multiplier >= 1.0) {
            return Err(ConfigError::new(
                "retry_policy.multiplier",
                &policy.multiplier.to_string(),
                "a finite number of at least 1",
            ));
        }
        if policy.time_limit == Some(Duration::ZERO) {
            return Err(ConfigError::new(
                "retry_policy.time_limit",
                "0s",
                "longer than zero, or None",
            ));
        }
        Ok(policy)
    }
}

/// Whether a request with this HTTP method can be sent twice with the
/// effect of once (RFC 9110 §9.2.2): `GET`, `HEAD`, `OPTIONS`, `PUT` and
/// `DELETE`. Calls of other methods (`POST`, `PATCH`) are retried only when
/// the caller says they are safe to repeat.
pub fn is_idempotent(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE")
}

/// A number in `[0, 1)`, different on every call. The standard library's
/// hasher keys are random per process and per `RandomState`, which is
/// enough to spread retries (no cryptographic use).
fn unit_random() -> f64 {
    let bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    // The top 53 bits fill an f64 mantissa exactly.
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait a `Retry-After` header asks for (RFC 9110 §10.2.3): a number of
/// seconds, or an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`) counted from
/// `now`. A date in the past is no wait; anything else unreadable is ignored.
pub(crate) fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds is "a very long time".
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = http_date(value)?;
    Some(at.duration_since(now).unwrap_or_default())
}

/// An IMF-fixdate, the only HTTP-date form senders may generate.
fn http_date(text: &str) -> Option<std::time::SystemTime> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let mut parts = text.split(' ');
    let (_weekday, day, month, year, time, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if parts.next().is_some() || zone != "GMT" || day.len() != 2 || year.len() != 4 {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? + 1;
    let rfc3339 = format!("{year}-{month:02}-{day}T{time}Z");
    let stamp = super::timestamp::Timestamp::parse(&rfc3339).ok()?;
    stamp.to_system_time()
}
