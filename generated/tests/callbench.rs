//! The per-call benchmark (`examples/callbench.rs`, compiled in here, its
//! counting allocator included) on a handful of calls, so it cannot rot:
//! both sides succeed against its server, send the same headers, and their
//! allocations are counted. No time is asserted: this machine's load is not
//! the code's.

#[path = "../examples/callbench.rs"]
#[allow(dead_code)] // its `main` is the example's, not the test's
mod callbench;

use callbench::{Options, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_benchmark_runs_both_sides_on_the_same_headers() {
    let report = run(Options {
        calls: 8,
        in_flight: 4,
        rounds: 2,
    })
    .await;
    assert_eq!(report.generated_headers, report.reqwest_headers);
    for name in ["authorization", "content-type", "user-agent"] {
        assert!(
            report.generated_headers.iter().any(|h| h == name),
            "{name} missing from {:?}",
            report.generated_headers
        );
    }
    assert_eq!(
        report.modes.iter().map(|m| m.in_flight).collect::<Vec<_>>(),
        [1, 4]
    );
    for mode in &report.modes {
        assert!(mode.generated_allocations > 0.0 && mode.reqwest_allocations > 0.0);
        assert!(mode.time_ratio.is_finite() && mode.time_ratio > 0.0);
    }
    assert!(report.future_bytes > 0);
    let shown = report.render();
    assert!(
        shown.contains("sequential") && shown.contains("4 in flight"),
        "{shown}"
    );
}
