//! Voicing strength: how periodic a frame is at speech pitch (80–400 Hz).
//!
//! Vowels are periodic; clicks, knocks, paper rustle and hiss are not. The autocorrelation is
//! the inverse FFT of the power spectrum, so it comes almost free after the spectrum.

/// Shortest lag searched: 40 samples = 400 Hz.
pub const VOICING_MIN_LAG: usize = 40;
/// Longest lag searched: 180 samples ≈ 89 Hz.
pub const VOICING_MAX_LAG: usize = 180;

/// Peak normalised autocorrelation in the pitch range, corrected for the window's taper.
///
/// `autocorr` is the (unnormalised) autocorrelation of the windowed frame; `window_autocorr`
/// that of the window alone. Returns a value in [0, 1]: ~0.9 for a clean vowel, < 0.3 for noise.
#[cfg(test)]
pub(crate) fn voicing_from_autocorrelation(autocorr: &[f32], window_autocorr: &[f32]) -> f32 {
    voicing_and_lag(autocorr, window_autocorr).0
}

/// Voicing strength and the lag (samples) where it peaks: the pitch period.
pub fn voicing_and_lag(autocorr: &[f32], window_autocorr: &[f32]) -> (f32, usize) {
    const LAGS: usize = VOICING_MAX_LAG - VOICING_MIN_LAG + 1;
    let r0 = autocorr[0];
    if r0 <= 1e-12 {
        return (0.0, 0);
    }
    const LANES: usize = 8;
    // The divisions and the largest value first, in lanes that vectorise; then the first
    // lag holding that value: the same answer as a scan keeping the first strict maximum
    // over 0 (NaN never wins either way).
    let mut corrected = [0.0f32; LAGS];
    let lags = &autocorr[VOICING_MIN_LAG..=VOICING_MAX_LAG];
    let taper = &window_autocorr[VOICING_MIN_LAG..=VOICING_MAX_LAG];
    for ((c, r), w) in corrected.iter_mut().zip(lags).zip(taper) {
        *c = (r / r0) / w;
    }
    let mut lanes = [0.0f32; LANES];
    let chunks = corrected.chunks_exact(LANES);
    for &c in chunks.remainder() {
        lanes[0] = if c > lanes[0] { c } else { lanes[0] };
    }
    for chunk in chunks {
        for (lane, &c) in lanes.iter_mut().zip(chunk) {
            *lane = if c > *lane { c } else { *lane };
        }
    }
    let best = lanes.iter().fold(0.0f32, |m, &c| if c > m { c } else { m });
    if best <= 0.0 {
        return (0.0, 0);
    }
    let at = corrected.iter().position(|&c| c == best).unwrap_or(0);
    (best.min(1.0), VOICING_MIN_LAG + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The search as first written: one lag at a time.
    fn voicing_one_lag_at_a_time(autocorr: &[f32], window_autocorr: &[f32]) -> (f32, usize) {
        let r0 = autocorr[0];
        if r0 <= 1e-12 {
            return (0.0, 0);
        }
        let mut best = 0.0f32;
        let mut best_lag = 0;
        for lag in VOICING_MIN_LAG..=VOICING_MAX_LAG {
            let corrected = (autocorr[lag] / r0) / window_autocorr[lag];
            if corrected > best {
                best = corrected;
                best_lag = lag;
            }
        }
        (best.clamp(0.0, 1.0), best_lag)
    }

    #[test]
    fn search_matches_lag_by_lag_reference_exactly() {
        let taper: Vec<f32> = (0..=VOICING_MAX_LAG)
            .map(|lag| 1.0 - lag as f32 / 400.0)
            .collect();
        for seed in 1..40 {
            let mut r = crate::test_signals::seeded_noise(seed, VOICING_MAX_LAG + 1, 1.0);
            r[0] = 1.0 + r[0].abs();
            // Ties: the first maximum wins in both.
            r[100] = r[60];
            assert_eq!(
                voicing_and_lag(&r, &taper),
                voicing_one_lag_at_a_time(&r, &taper)
            );
        }
        let silent = vec![0.0; VOICING_MAX_LAG + 1];
        assert_eq!(voicing_and_lag(&silent, &taper), (0.0, 0));
    }
}
