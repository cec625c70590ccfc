//! Medians and ratios of measurements.

/// The median of `values` (the upper of the two middle ones for an even
/// count, so it is always a value that was measured); `None` when empty.
pub fn median<T: Ord + Copy>(values: &[T]) -> Option<T> {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied()
}

/// `part / whole`, `None` when `whole` is zero or either is unknown.
pub fn ratio(part: Option<f64>, whole: Option<f64>) -> Option<f64> {
    match (part, whole) {
        (Some(part), Some(whole)) if whole > 0.0 => Some(part / whole),
        _ => None,
    }
}

/// A ratio with three decimals, `n/a` when unknown.
pub fn format_ratio(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "n/a".to_owned(), |r| format!("{r:.3}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_median_is_a_measured_value() {
        assert_eq!(median::<u64>(&[]), None);
        assert_eq!(median(&[5]), Some(5));
        assert_eq!(median(&[9, 1, 5]), Some(5));
        assert_eq!(median(&[4, 1, 3, 2]), Some(3));
        let secs = |s| Duration::from_secs(s);
        assert_eq!(median(&[secs(30), secs(10), secs(20)]), Some(secs(20)));
    }

    #[test]
    fn ratios_need_both_sides_and_a_nonzero_whole() {
        assert_eq!(ratio(Some(3.0), Some(2.0)), Some(1.5));
        assert_eq!(ratio(Some(3.0), Some(0.0)), None);
        assert_eq!(ratio(None, Some(2.0)), None);
        assert_eq!(format_ratio(Some(1.23456)), "1.235");
        assert_eq!(format_ratio(None), "n/a");
    }
}
