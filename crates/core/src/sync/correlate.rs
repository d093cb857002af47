//! The whole file's offset and frame-rate ratio: cross-correlation (FFT) of the cues'
//! on/off signal with the recording's speech, for each standard ratio, then a fine search
//! around the best.

use std::sync::Arc;

use rayon::prelude::*;
use realfft::num_complex::Complex64;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};

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

/// Cross-correlates on/off cue signals with one on/off speech signal (FFTs planned once).
///
/// Real FFTs in `f64`, on a circle just long enough that the lags asked for never wrap
/// around: the 37-minute sync's 61 correlations took 0.45 s on complex `f32` FFTs of twice
/// the signals' length, rounded up to a power of two (docs/sync.md, session 27). The signals
/// are whole numbers per frame, so every correlation is one too: rounding `f64`'s result
/// gives it exactly, whatever the FFT's length, and ties between lags fall the same way.
pub struct Correlator {
    len: usize,
    max_cue: usize,
    max_lag: usize,
    speech: Vec<Complex64>,
    forward: Arc<dyn RealToComplex<f64>>,
    inverse: Arc<dyn ComplexToReal<f64>>,
}

impl Correlator {
    /// Prepares `speech` (one value per frame, 1 = speech) for cue signals up to
    /// `max_cue_frames` long, correlated at lags up to ±`max_lag` frames.
    pub fn new(speech: &[f32], max_cue_frames: usize, max_lag: usize) -> Correlator {
        // A lag within ±max_lag reads the cue's frame k against speech frame k + lag: on a
        // circle of this length it lands past the speech (zeros) rather than wrapping onto it.
        let len = fft_len(speech.len().max(max_cue_frames) + max_lag + 1);
        let mut planner = RealFftPlanner::<f64>::new();
        let forward = planner.plan_fft_forward(len);
        let inverse = planner.plan_fft_inverse(len);
        let mut padded = forward.make_input_vec();
        for (p, &v) in padded.iter_mut().zip(speech) {
            *p = f64::from(v);
        }
        let mut spectrum = forward.make_output_vec();
        forward
            .process(&mut padded, &mut spectrum)
            .expect("buffers made by the plan");
        Correlator {
            len,
            max_cue: max_cue_frames,
            max_lag,
            speech: spectrum,
            forward,
            inverse,
        }
    }

    /// Buffers for [`Correlator::correlate`], one per thread: each is as long as the
    /// FFT, megabytes on a long recording, and mapping them afresh for each of the sync's
    /// 61 correlations cost page faults.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            signal: self.forward.make_input_vec(),
            spectrum: self.forward.make_output_vec(),
            fft: vec![
                Complex64::default();
                self.forward
                    .get_scratch_len()
                    .max(self.inverse.get_scratch_len())
            ],
        }
    }

    /// `out[lag + max_lag]` = Σ_k cue[k] · speech[k + lag] for lags −max_lag..=max_lag
    /// (`max_lag` at most the planned one), computed in `scratch`'s buffers. `cue` longer
    /// than the planned length is cut.
    pub fn correlate(&self, cue: &[f32], max_lag: usize, scratch: &mut Scratch) -> Vec<f32> {
        debug_assert!(cue.iter().all(|v| v.fract() == 0.0), "on/off signals only");
        let Scratch {
            signal,
            spectrum,
            fft,
        } = scratch;
        signal.fill(0.0);
        for (p, &v) in signal.iter_mut().zip(cue.iter().take(self.max_cue)) {
            *p = f64::from(v);
        }
        let fft_scratch = &mut fft[..self.forward.get_scratch_len()];
        self.forward
            .process_with_scratch(signal, spectrum, fft_scratch)
            .expect("buffers made by the plan");
        for (b, s) in spectrum.iter_mut().zip(&self.speech) {
            *b = s * b.conj();
        }
        // The product of two real signals' spectra is real at 0 and at half the length; the
        // inverse transform insists on exactly zero there.
        spectrum[0].im = 0.0;
        if let Some(last) = spectrum.last_mut() {
            last.im = 0.0;
        }
        let fft_scratch = &mut fft[..self.inverse.get_scratch_len()];
        self.inverse
            .process_with_scratch(spectrum, signal, fft_scratch)
            .expect("buffers made by the plan");
        let scale = 1.0 / self.len as f64;
        let max_lag = max_lag.min(self.max_lag);
        (0..=2 * max_lag)
            .map(|i| {
                let lag = i as isize - max_lag as isize;
                let idx = lag.rem_euclid(self.len as isize) as usize;
                (signal[idx] * scale).round() as f32
            })
            .collect()
    }
}

/// A thread's buffers for [`Correlator::correlate`].
pub struct Scratch {
    signal: Vec<f64>,
    spectrum: Vec<Complex64>,
    fft: Vec<Complex64>,
}

/// The least even length of at least `min` whose only prime factors are 2, 3 and 5: FFTs
/// of such lengths are as fast as a power of two's, which can be nearly twice as long.
fn fft_len(min: usize) -> usize {
    let mut best = min.max(2).next_power_of_two();
    let mut p2 = 2;
    while p2 < best {
        let mut p3 = p2;
        while p3 < best {
            let mut p = p3;
            while p < min {
                p *= 5;
            }
            best = best.min(p);
            p3 *= 3;
        }
        p2 *= 2;
    }
    best
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

/// The best offset for one ratio: (score, offset in frames, share of the cue frames over
/// speech there). The score is the normalised cross-correlation of the two on/off signals
/// (cue frames over speech, divided by the square root of the cue frames): unlike a plain
/// count it does not reward shrinking the cues (a ratio below 1) just because shorter cues
/// cover less silence. It does reward stretching them where every cue lands on speech
/// anyway (by the square root of the ratio), which the share does not.
pub fn best_offset(
    correlator: &Correlator,
    cues: &[(i64, i64)],
    ratio: f64,
    max_lag: usize,
    scratch: &mut Scratch,
) -> (f64, i64, f64) {
    let signal = cue_signal(cues, ratio);
    let total: f32 = signal.iter().sum();
    let corr = correlator.correlate(&signal, max_lag, scratch);
    let (i, best) =
        corr.iter().enumerate().fold(
            (0, f32::NEG_INFINITY),
            |acc, (i, &v)| if v > acc.1 { (i, v) } else { acc },
        );
    let lag = i as i64 - (corr.len() as i64 - 1) / 2;
    let total = f64::from(total.max(1.0));
    (f64::from(best) / total.sqrt(), lag, f64::from(best) / total)
}

/// Whether a layout at another ratio (`candidate`: its score and share of cue time over
/// speech) beats `base` clearly: by `margin` (relative) in both. The score alone grows by
/// the square root of a stretch when every cue still lands on speech, which a handful of
/// cues in dense speech always can (the first 2–8 cues of the real recording took a ratio of
/// 1.25 so; docs/sync.md, session 41); the share alone would favour shrinking. A real change
/// of frame rate raises both.
pub fn clearly_better(candidate: (f64, f64), base: (f64, f64), margin: f64) -> bool {
    candidate.0 > base.0 * (1.0 + margin) && candidate.1 > base.1 * (1.0 + margin)
}

/// Whether a layout at another ratio beats `base` by `margin` in score without losing more
/// than `margin` of its share: the one offset and ratio's test. Where material was cut or
/// inserted no single offset fits, the share stays near chance at every ratio, and the
/// right ratio wins on the score alone (espeak and snr10 `splits`); the words then check it.
pub fn better_keeping_share(candidate: (f64, f64), base: (f64, f64), margin: f64) -> bool {
    candidate.0 > base.0 * (1.0 + margin) && candidate.1 >= base.1 * (1.0 - margin)
}

/// Offset and ratio for the whole file: the standard ratios, then a fine search around the
/// best. A ratio other than 1 (or than the standard one found) must beat it by `margin`
/// (relative) in score, losing no more than that of its share ([`better_keeping_share`]),
/// or with `strict` (nothing but the speech will judge the answer) in both
/// ([`clearly_better`]), so noise never buys a spurious stretch. Returns (score, offset in
/// frames, ratio). Each step's ratios are correlated in parallel (61 correlations in all; on
/// a 37-minute recording about 5 ms of CPU each) and chosen among in their order.
pub fn global(
    correlator: &Correlator,
    cues: &[(i64, i64)],
    max_lag: usize,
    margin: f64,
    strict: bool,
) -> (f64, i64, f64) {
    let try_ratios = |ratios: Vec<f64>| -> Vec<(f64, i64, f64, f64)> {
        // One share of the ratios, and one scratch, per thread.
        let share = ratios.len().div_ceil(rayon::current_num_threads());
        ratios
            .into_par_iter()
            .with_min_len(share)
            .map_init(
                || correlator.scratch(),
                |scratch, r| {
                    let (score, lag, share) = best_offset(correlator, cues, r, max_lag, scratch);
                    (score, lag, r, share)
                },
            )
            .collect()
    };
    let standard = try_ratios(standard_ratios());
    let mut best = standard[0];
    let plain = (best.0, best.3);
    for &candidate in &standard[1..] {
        let wins = if strict {
            clearly_better((candidate.0, candidate.3), plain, margin)
        } else {
            better_keeping_share((candidate.0, candidate.3), plain, margin)
        };
        if candidate.0 > best.0 && wins {
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
    (best.0, best.1, best.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every lag asked for is the naive sum exactly, for cues shorter and longer than the
    /// speech and lags up to the planned one (none wraps around the FFT's circle).
    #[test]
    fn fft_correlation_is_the_naive_sum_exactly() {
        let on_off = |n: usize, seed: usize, modulus: usize| -> Vec<f32> {
            (0..n)
                .map(|i| f32::from(u8::from((i * seed) % modulus < modulus / 2)))
                .collect()
        };
        let speech = on_off(500, 7919, 13);
        for (cue_len, max_lag) in [(200, 300), (700, 120), (500, 500)] {
            let cue = on_off(cue_len, 104_729, 11);
            let c = Correlator::new(&speech, cue.len(), max_lag);
            let fast = c.correlate(&cue, max_lag, &mut c.scratch());
            assert_eq!(fast.len(), 2 * max_lag + 1);
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
                assert_eq!(*v, naive, "cue {cue_len} frames, lag {lag}");
            }
        }
    }

    #[test]
    fn fft_lengths_have_only_small_prime_factors() {
        assert_eq!(fft_len(1), 2);
        assert_eq!(fft_len(7), 8);
        assert_eq!(fft_len(11), 12);
        assert_eq!(fft_len(226_001), 230_400);
        for min in [3, 97, 1000, 65_537, 888_001] {
            let len = fft_len(min);
            assert!(len >= min && len.is_multiple_of(2), "{min}: {len}");
            assert!(len < min + min / 10 + 4, "{min}: {len}");
            let mut rest = len;
            for p in [2, 3, 5] {
                while rest.is_multiple_of(p) {
                    rest /= p;
                }
            }
            assert_eq!(rest, 1, "{min}: {len}");
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
        let c = Correlator::new(&speech, 40_000, 6000);
        // A real change of frame rate wins the strict test too (score and share).
        for strict in [false, true] {
            let (_, lag, r) = global(&c, &cues, 6000, 0.01, strict);
            assert!((r - ratio).abs() < 1e-4, "{r}");
            assert!((lag - 370).abs() <= 2, "{lag}");
        }
    }
}
