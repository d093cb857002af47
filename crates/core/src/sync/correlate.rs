//! The whole file's offset and frame-rate ratio: cross-correlation (FFT) of the cues'
//! on/off signal with the recording's speech, for each standard ratio, then a fine search
//! around the best.

use std::sync::Arc;

use rayon::prelude::*;
use rustfft::num_complex::Complex32;
use rustfft::{Fft, FftPlanner};

/// Frame rates subtitles are commonly made for: 23.976 (24000/1001), 24, 25, 29.97
/// (30000/1001), 30 frames per second.
pub const FRAME_RATES: [f64; 5] = [24000.0 / 1001.0, 24.0, 25.0, 30000.0 / 1001.0, 30.0];

/// The ratios tried before the fine search: 1, and every pair of [`FRAME_RATES`] both ways.
pub fn standard_ratios() -> Vec<f64> {
    let mut out = vec![1.0];
    for a in FRAME_RATES {
        for b in FRAME_RATES {
            let r = a / b;
            if out.iter().all(|&o: &f64| (o - r).abs() > 1e-9) {
                out.push(r);
            }
        }
    }
    out
}

/// Cross-correlates cue signals with one speech signal (FFT planned once for both).
pub struct Correlator {
    len: usize,
    speech_len: usize,
    speech: Vec<Complex32>,
    forward: Arc<dyn Fft<f32>>,
    inverse: Arc<dyn Fft<f32>>,
}

impl Correlator {
    /// Prepares `speech` (one value per frame, 1 = speech) for cue signals up to
    /// `max_cue_frames` long.
    pub fn new(speech: &[f32], max_cue_frames: usize) -> Correlator {
        let len = (speech.len() + max_cue_frames + 1).next_power_of_two();
        let mut planner = FftPlanner::new();
        let forward = planner.plan_fft_forward(len);
        let inverse = planner.plan_fft_inverse(len);
        let mut spectrum: Vec<Complex32> = speech.iter().map(|&v| Complex32::new(v, 0.0)).collect();
        spectrum.resize(len, Complex32::new(0.0, 0.0));
        forward.process(&mut spectrum);
        Correlator {
            len,
            speech_len: speech.len(),
            speech: spectrum,
            forward,
            inverse,
        }
    }

    /// `out[lag + max_lag]` = Σ_k cue[k] · speech[k + lag] for lags −max_lag..=max_lag.
    /// `cue` longer than the planned length is cut.
    pub fn correlate(&self, cue: &[f32], max_lag: usize) -> Vec<f32> {
        let mut buf: Vec<Complex32> = cue
            .iter()
            .take(self.len - self.speech_len - 1)
            .map(|&v| Complex32::new(v, 0.0))
            .collect();
        buf.resize(self.len, Complex32::new(0.0, 0.0));
        self.forward.process(&mut buf);
        for (b, s) in buf.iter_mut().zip(&self.speech) {
            *b = s * b.conj();
        }
        self.inverse.process(&mut buf);
        let scale = 1.0 / self.len as f32;
        let max_lag = max_lag.min(self.len / 2 - 1);
        (0..=2 * max_lag)
            .map(|i| {
                let lag = i as isize - max_lag as isize;
                let idx = if lag >= 0 {
                    lag as usize
                } else {
                    (self.len as isize + lag) as usize
                };
                buf[idx].re * scale
            })
            .collect()
    }
}

/// The on/off signal of `cues` (start, end in ms) scaled by `ratio`, one value per 10 ms
/// frame.
pub fn cue_signal(cues: &[(i64, i64)], ratio: f64) -> Vec<f32> {
    let end = cues.iter().map(|c| c.1).max().unwrap_or(0);
    let frames = ((end as f64 * ratio) / 10.0).ceil() as usize + 1;
    let mut out = vec![0.0f32; frames];
    for &(s, e) in cues {
        let a = ((s as f64 * ratio) / 10.0).round() as usize;
        let b = (((e as f64 * ratio) / 10.0).round() as usize).min(frames);
        for v in &mut out[a.min(b)..b] {
            *v = 1.0;
        }
    }
    out
}

/// The best offset for one ratio: (score, offset in frames). The score is the normalised
/// cross-correlation of the two on/off signals (cue frames over speech, divided by the
/// square root of the cue frames): unlike a plain count it does not reward shrinking the
/// cues (a ratio below 1) just because shorter cues cover less silence.
pub fn best_offset(
    correlator: &Correlator,
    cues: &[(i64, i64)],
    ratio: f64,
    max_lag: usize,
) -> (f64, i64) {
    let signal = cue_signal(cues, ratio);
    let total: f32 = signal.iter().sum();
    let corr = correlator.correlate(&signal, max_lag);
    let (i, best) =
        corr.iter().enumerate().fold(
            (0, f32::NEG_INFINITY),
            |acc, (i, &v)| if v > acc.1 { (i, v) } else { acc },
        );
    let lag = i as i64 - (corr.len() as i64 - 1) / 2;
    (f64::from(best) / f64::from(total.max(1.0)).sqrt(), lag)
}

/// Offset and ratio for the whole file: the standard ratios, then a fine search around the
/// best. A ratio other than 1 (or than the standard one found) must beat it by `margin`
/// (relative), so noise never buys a spurious stretch. Returns (score, offset in frames,
/// ratio). Each step's ratios are correlated in parallel (a correlation over a 37-minute
/// recording takes 10 ms, and there are 61 of them) and chosen among in their order.
pub fn global(
    correlator: &Correlator,
    cues: &[(i64, i64)],
    max_lag: usize,
    margin: f64,
) -> (f64, i64, f64) {
    let try_ratios = |ratios: Vec<f64>| -> Vec<(f64, i64, f64)> {
        ratios
            .into_par_iter()
            .map(|r| {
                let (score, lag) = best_offset(correlator, cues, r, max_lag);
                (score, lag, r)
            })
            .collect()
    };
    let standard = try_ratios(standard_ratios());
    let mut best = standard[0];
    let plain = best.0;
    for &candidate in &standard[1..] {
        if candidate.0 > best.0 && candidate.0 > plain * (1.0 + margin) {
            best = candidate;
        }
    }
    // Fine: ±0.1 % in steps of 0.005 %.
    let base = best;
    let fine = (-20i32..=20)
        .filter(|&k| k != 0)
        .map(|k| base.2 * (1.0 + f64::from(k) * 5e-5))
        .collect();
    for candidate in try_ratios(fine) {
        if candidate.0 > best.0 && candidate.0 > base.0 * (1.0 + margin / 10.0) {
            best = candidate;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fft_correlation_matches_the_naive_sum() {
        let speech: Vec<f32> = (0..500)
            .map(|i| ((i * 7919) % 13 < 6) as u8 as f32)
            .collect();
        let cue: Vec<f32> = (0..200)
            .map(|i| ((i * 104_729) % 11 < 5) as u8 as f32)
            .collect();
        let c = Correlator::new(&speech, cue.len());
        let max_lag = 300;
        let fast = c.correlate(&cue, max_lag);
        for (i, v) in fast.iter().enumerate() {
            let lag = i as isize - max_lag as isize;
            let naive: f32 = cue
                .iter()
                .enumerate()
                .filter_map(|(k, &x)| {
                    let j = k as isize + lag;
                    (j >= 0 && (j as usize) < speech.len()).then(|| x * speech[j as usize])
                })
                .sum();
            assert!((v - naive).abs() < 1e-2, "lag {lag}: {v} vs {naive}");
        }
    }

    #[test]
    fn finds_offset_and_ratio() {
        // Speech where the cues say, scaled by 25/23.976 and moved by 3.7 s.
        let cues: Vec<(i64, i64)> = (0..60)
            .map(|i| {
                let s = 2000 + i * 4000 + (i * 37 % 11) * 150;
                (s, s + 1500 + (i * 13 % 7) * 200)
            })
            .collect();
        let ratio = 25.0 / (24000.0 / 1001.0);
        let mut speech = vec![0.0f32; 30_000];
        for &(s, e) in &cues {
            let a = ((s as f64 * ratio + 3700.0) / 10.0) as usize;
            let b = ((e as f64 * ratio + 3700.0) / 10.0) as usize;
            speech[a..b].iter_mut().for_each(|v| *v = 1.0);
        }
        let c = Correlator::new(&speech, 40_000);
        let (_, lag, r) = global(&c, &cues, 6000, 0.01);
        assert!((r - ratio).abs() < 1e-4, "{r}");
        assert!((lag - 370).abs() <= 2, "{lag}");
    }
}
