//! Robust statistics shared by the aligner and the drift check: the median and the
//! Theil–Sen slope (deterministic above [`MAX_PAIRS`] pairs).

/// Most slope pairs [`theil_sen_slope`] enumerates; above this, pairs are sampled with a
/// fixed-seed generator, so the result is deterministic.
pub(crate) const MAX_PAIRS: usize = 2_000_000;

/// Theil–Sen slope of `y` over `x`: the median slope of all pairs of points with distinct
/// `x` that lie in the same index range `a..b` of `ranges` (`&[(0, x.len())]` for all
/// pairs; several ranges give one slope shared by segments with their own offsets). Above
/// [`MAX_PAIRS`] pairs, that many are sampled deterministically: a point uniformly among all
/// points in ranges, then a partner uniformly within its range.
///
/// `None` when the lengths differ or no pair has distinct `x`.
///
/// # Panics
///
/// When a range is reversed or reaches past the end of `x`.
pub(crate) fn theil_sen_slope(x: &[f64], y: &[f64], ranges: &[(usize, usize)]) -> Option<f64> {
    if x.len() != y.len() {
        return None;
    }
    assert!(
        ranges.iter().all(|&(a, b)| a <= b && b <= x.len()),
        "theil_sen_slope: ranges {ranges:?} do not lie within 0..{}",
        x.len()
    );
    let total: usize = ranges
        .iter()
        .map(|&(a, b)| (b - a) * (b - a).saturating_sub(1) / 2)
        .sum();
    let mut slopes = Vec::with_capacity(total.min(MAX_PAIRS));
    let mut push = |i: usize, j: usize| {
        let dx = x[j] - x[i];
        if dx != 0.0 {
            slopes.push((y[j] - y[i]) / dx);
        }
    };
    if total <= MAX_PAIRS {
        for &(a, b) in ranges {
            for i in a..b {
                for j in i + 1..b {
                    push(i, j);
                }
            }
        }
    } else {
        let members: Vec<(usize, usize, usize)> = ranges
            .iter()
            .filter(|&&(a, b)| b - a >= 2)
            .flat_map(|&(a, b)| (a..b).map(move |i| (i, a, b)))
            .collect();
        let mut rng = SplitMix64(0x7a11_9e5d_d71f_7a11);
        for _ in 0..MAX_PAIRS {
            let (i, a, b) = members[rng.below(members.len())];
            let mut j = a + rng.below(b - a - 1);
            if j >= i {
                j += 1;
            }
            push(i.min(j), i.max(j));
        }
    }
    median(&mut slopes)
}

/// splitmix64: a tiny, seeded generator for deterministic subsampling.
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Median, the upper of the two middle values for an even count (one selection, no
/// averaging; the aligner's tuning assumes it); reorders `values`. `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mid = values.len() / 2;
    let (_, m, _) = values.select_nth_unstable_by(mid, f64::total_cmp);
    Some(*m)
}

/// Seeded data: a line with noise and, every `outlier_every` points, a gross outlier.
#[cfg(test)]
pub(crate) fn seeded_line(n: usize, seed: u64, outlier_every: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rng = SplitMix64(seed);
    let mut x = Vec::new();
    let mut y = Vec::new();
    for i in 0..n {
        let xi = (rng.next() % 3_600_000) as f64 / 1000.0;
        let noise = ((rng.next() % 1000) as f64 / 1000.0 - 0.5) * 0.8;
        let mut yi = 2.0 + 1.002 * xi + noise;
        if outlier_every > 0 && i % outlier_every == 0 {
            yi += (rng.next() % 200) as f64 - 100.0;
        }
        x.push(xi);
        y.push(yi);
    }
    (x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The upper middle of the sorted values.
    fn naive_median(mut v: Vec<f64>) -> f64 {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    }

    /// Slopes of all pairs `i < j` with distinct `x` within each range.
    fn naive_slopes(x: &[f64], y: &[f64], ranges: &[(usize, usize)]) -> Vec<f64> {
        let mut slopes = Vec::new();
        for &(a, b) in ranges {
            for i in a..b {
                for j in i + 1..b {
                    if x[j] != x[i] {
                        slopes.push((y[j] - y[i]) / (x[j] - x[i]));
                    }
                }
            }
        }
        slopes
    }

    #[test]
    fn median_matches_naive_reference() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0, 10.0]), Some(3.0));
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        let mut rng = SplitMix64(9);
        for n in 1..40 {
            let v: Vec<f64> = (0..n).map(|_| (rng.next() % 1000) as f64 / 7.0).collect();
            assert_eq!(median(&mut v.clone()), Some(naive_median(v)), "n {n}");
        }
    }

    #[test]
    fn theil_sen_matches_naive_reference() {
        for (seed, n) in [(1, 2), (2, 3), (3, 10), (4, 57), (5, 200), (6, 801)] {
            let (x, y) = seeded_line(n, seed, 5);
            let whole = [(0, n)];
            let fast = theil_sen_slope(&x, &y, &whole).unwrap();
            assert_eq!(
                fast,
                naive_median(naive_slopes(&x, &y, &whole)),
                "seed {seed}, n {n}"
            );
            let split = [(0, n / 3), (n / 3, n)];
            let fast = theil_sen_slope(&x, &y, &split);
            let naive = naive_slopes(&x, &y, &split);
            assert_eq!(
                fast,
                (!naive.is_empty()).then(|| naive_median(naive)),
                "seed {seed}, n {n}"
            );
        }
    }

    #[test]
    fn theil_sen_subsampled_is_close_and_deterministic() {
        let (x, y) = seeded_line(2500, 7, 5); // 3.1 M pairs > MAX_PAIRS
        let whole = [(0, x.len())];
        let a = theil_sen_slope(&x, &y, &whole).unwrap();
        let b = theil_sen_slope(&x, &y, &whole).unwrap();
        assert_eq!(a, b);
        let naive = naive_median(naive_slopes(&x, &y, &whole));
        assert!((a - naive).abs() < 2e-5, "{a} vs {naive}");
    }

    #[test]
    fn theil_sen_degenerate() {
        assert_eq!(theil_sen_slope(&[], &[], &[(0, 0)]), None);
        assert_eq!(theil_sen_slope(&[1.0, 1.0], &[2.0, 3.0], &[(0, 2)]), None);
        assert_eq!(theil_sen_slope(&[1.0], &[2.0, 3.0], &[(0, 1)]), None);
        assert_eq!(
            theil_sen_slope(&[1.0, 2.0], &[2.0, 3.0], &[(0, 1), (1, 2)]),
            None
        );
    }
}
