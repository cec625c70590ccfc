//! A small deterministic PRNG (SplitMix64), so `--seed S --count N` makes
//! the very same mutants on every machine and every Rust version, with no
//! dependency. Quality is ample for choosing mutations.

/// SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit state advanced by a
/// constant and mixed on output.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator started at `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The generator of mutant `index` of a run seeded with `seed`: every
    /// mutant has its own stream, so mutant N can be replayed alone
    /// (`--replay N`) and does not depend on what came before it.
    pub fn for_mutant(seed: u64, index: u64) -> Self {
        let mut mix = Self(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
        Self(mix.next_u64())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0), by Lemire's multiply-shift;
    /// the bias is below 2^-32 for every `n` used here.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `low..=high`.
    pub fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// True with probability `numerator / denominator`.
    pub fn chance(&mut self, numerator: usize, denominator: usize) -> bool {
        self.below(denominator) < numerator
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index drawn with probability proportional to `weights[i]`.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        // 53 random bits make a uniform float in [0, 1).
        let mut at = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        for (i, weight) in weights.iter().enumerate() {
            if at < *weight {
                return i;
            }
            at -= weight;
        }
        weights.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let a: Vec<u64> = (0..100)
            .scan(Rng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        let b: Vec<u64> = (0..100)
            .scan(Rng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        assert_eq!(a, b);
        let c: Vec<u64> = (0..100)
            .scan(Rng::new(8), |r, _| Some(r.next_u64()))
            .collect();
        assert_ne!(a, c);
    }

    #[test]
    fn splitmix64_matches_the_reference_values() {
        // The first outputs of the reference implementation seeded with 0.
        let mut rng = Rng::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn mutant_streams_are_reproducible_and_distinct() {
        assert_eq!(
            Rng::for_mutant(1, 5).next_u64(),
            Rng::for_mutant(1, 5).next_u64()
        );
        assert_ne!(
            Rng::for_mutant(1, 5).next_u64(),
            Rng::for_mutant(1, 6).next_u64()
        );
        assert_ne!(
            Rng::for_mutant(1, 5).next_u64(),
            Rng::for_mutant(2, 5).next_u64()
        );
    }

    #[test]
    fn draws_stay_in_range() {
        let mut rng = Rng::new(3);
        let mut seen = [false; 5];
        for _ in 0..1000 {
            let n = rng.range(2, 6);
            assert!((2..=6).contains(&n));
            seen[n - 2] = true;
            assert!(rng.below(3) < 3);
        }
        assert!(seen.iter().all(|s| *s), "every value comes up");
        assert_eq!(rng.below(0), 0);
        let mut counts = [0; 2];
        for _ in 0..1000 {
            counts[rng.weighted(&[1.0, 9.0])] += 1;
        }
        assert!(counts[1] > counts[0] * 4, "{counts:?}");
    }
}
