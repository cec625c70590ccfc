//! The checked-in generated crates are exactly what `cargo xtask regen` writes.

use xtask::regen::{self, Mode};

#[test]
fn generated_crates_are_fresh() {
    let reports = regen::run(&xtask::repository_root(), Mode::Check).expect("regeneration works");
    assert!(!reports.is_empty(), "specs/specs.yaml lists no spec");
    for report in reports {
        assert!(
            report.is_fresh(),
            "{} is stale; run `cargo xtask regen`:\n{}",
            report.output,
            report.render_diff()
        );
    }
}
