//! The acoustic model's own front end: MFCCs exactly as pocketsphinx computes them from
//! `feat.params` (16 kHz; 410-sample Hamming window every 160 samples; pre-emphasis 0.97;
//! 512-point FFT power spectrum; triangular mel filters `lowerf..upperf`, rounded to FFT
//! bins and normalised to unit area; natural log with floor 1e-4; DCT; lifter; 13
//! cepstra), then batch CMN and the `1s_c_d_dd` dynamic features.
//!
//! Input samples are f32 in [-1, 1], scaled by 32768 because the model was trained on
//! int16 samples; they are not rounded to integers. Digital silence (from the
//! [`DIGITAL_SILENCE_RUN`]th exact zero in a row on) gets a deterministic 1-LSB dither
//! (pocketsphinx has `-dither`, off in the model's `feat.params`): a frame of zeros has log
//! filter energies of ln(1e-4) = -9.2 where clean recordings' pauses sit at 5.5–8.7
//! ([`QUIET_FLOOR_LN`](super::denoise::QUIET_FLOOR_LN)), and in a noise-gated recording those
//! frames drag the cepstral mean so far that the model hears nearly nothing (game dialogue:
//! docs/accuracy.md, session 16). Other samples are untouched, so recordings without digital
//! silence keep pocketsphinx's own cepstra.
//!
//! Frame `i` covers samples `[160 i, 160 i + 410)`. A stream of `n` samples gives
//! `ceil(n / 160)` frames (talign's frame convention): the last frames reach past the end
//! and see zeros there (after pre-emphasis, as pocketsphinx pads its last partial frame).
//! pocketsphinx itself stops one frame after its last full window, so its frame count is
//! `floor((n - 410) / 160) + 2`; those frames agree with ours, ours may add one or two more.

use std::sync::Arc;

use realfft::num_complex::Complex;
use realfft::{RealFftPlanner, RealToComplex};

use super::denoise::Denoiser;
use super::model::{FeatParams, Transform};

/// Cepstra per frame.
pub const NCEP: usize = 13;

/// The streaming front end. `push` samples as they come, `finish` at the end.
pub(crate) struct FrontEnd {
    window: Vec<f64>,
    shift: usize,
    alpha: f64,
    /// A real-input FFT: half the work of a complex one on the same frame (docs/speed.md,
    /// session 27).
    fft: Arc<dyn RealToComplex<f64>>,
    /// Per filter: first FFT bin and weights.
    filters: Vec<(usize, Vec<f64>)>,
    /// DCT rows `[ncep][nfilt]`, scaling included; then the lifter.
    dct: Vec<Vec<f64>>,
    lifter: [f64; NCEP],
    /// Pre-emphasised samples from absolute index `buffer_start` on.
    buffer: Vec<f64>,
    buffer_start: u64,
    next_frame: u64,
    total: u64,
    prior: f64,
    /// The windowed frame, its spectrum and the FFT's scratch.
    frame: Vec<f64>,
    spectrum: Vec<Complex<f64>>,
    scratch: Vec<Complex<f64>>,
    spec: Vec<f64>,
    mel: Vec<f64>,
    /// Steady noise taken out of the filter energies ([`FrontEnd::denoising`]), and the
    /// denoised energies' logs.
    denoiser: Option<Denoiser>,
    denoised_mel: Vec<f64>,
    /// Exact zeros in a row up to the last sample pushed ([`DIGITAL_SILENCE_RUN`]).
    zero_run: u64,
}

/// Exact zeros in a row from which on a stream is digital silence and gets [`dither`]
/// (2 ms at 16 kHz; 1-LSB noise almost never gives 32 zeros in a row, 0.38^32).
pub(crate) const DIGITAL_SILENCE_RUN: u64 = 32;

/// The dither added to a sample of digital silence (int16 scale): uniform in
/// `[-sqrt 3, sqrt 3)`, so 1 LSB RMS (-90 dBFS), a function (splitmix64) of the sample's
/// index in the stream, so the same whatever the chunking or the thread.
fn dither(index: u64) -> f64 {
    let mut z = index.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    ((z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) * 3f64.sqrt()
}

/// Where a front end's frames go: any `Extend` of cepstra takes the plain ones;
/// [`TwinCepstra`](super::denoise::TwinCepstra) also keeps the denoised ones.
pub(crate) trait FrameSink {
    /// One frame: its plain cepstra, and with a denoising front end its denoised cepstra and
    /// the mean natural log of the noise tracked under its filters.
    fn frame(&mut self, plain: [f32; NCEP], denoised: Option<([f32; NCEP], f64)>);
}

impl<E: Extend<[f32; NCEP]>> FrameSink for E {
    fn frame(&mut self, plain: [f32; NCEP], _denoised: Option<([f32; NCEP], f64)>) {
        self.extend([plain]);
    }
}

/// Mel scale as pocketsphinx computes it (float32 results of double arithmetic).
fn mel(hz: f32) -> f32 {
    (2595.0 * (1.0 + f64::from(hz) / 700.0).log10()) as f32
}

fn mel_inv(m: f32) -> f32 {
    (700.0 * (10f64.powf(f64::from(m) / 2595.0) - 1.0)) as f32
}

/// pocketsphinx's mel filter bank: edges spaced evenly in mel between `lowerf` and
/// `upperf`, rounded to FFT bins; triangles of unit area.
fn mel_filters(p: &FeatParams) -> Vec<(usize, Vec<f64>)> {
    let melmin = mel(p.lowerf);
    let melmax = mel(p.upperf);
    let melbw = (melmax - melmin) / (p.nfilt + 1) as f32;
    let fftfreq = p.samprate / p.nfft as f32;
    let half = p.nfft / 2;
    (0..p.nfilt)
        .map(|i| {
            let f: [f32; 3] = std::array::from_fn(|j| {
                let hz = mel_inv((i + j) as f32 * melbw + melmin);
                ((f64::from(hz / fftfreq) + 0.5) as i32) as f32 * fftfreq
            });
            let mut start = None;
            let mut width = 0;
            for j in 0..=half {
                let hz = j as f32 * fftfreq;
                if hz < f[0] {
                    continue;
                }
                if hz > f[2] || j == half {
                    width = j - start.unwrap_or(j);
                    break;
                }
                start.get_or_insert(j);
            }
            let start = start.unwrap_or(half);
            let coeffs = (0..width)
                .map(|j| {
                    let hz = (start + j) as f32 * fftfreq;
                    let lo = (hz - f[0]) / (f[1] - f[0]) * (2.0 / (f[2] - f[0]));
                    let hi = (f[2] - hz) / (f[2] - f[1]) * (2.0 / (f[2] - f[0]));
                    f64::from(lo.min(hi))
                })
                .collect();
            (start, coeffs)
        })
        .collect()
}

impl FrontEnd {
    /// A front end for the model's parameters (checked by [`FeatParams::parse`]).
    pub(crate) fn new(p: &FeatParams) -> FrontEnd {
        let wlen = p.window_samples();
        // Symmetric Hamming window, computed for the first half and mirrored.
        let mut window = vec![0f64; wlen];
        for i in 0..wlen / 2 {
            let w =
                0.54 - 0.46 * (2.0 * std::f64::consts::PI * i as f64 / (wlen as f64 - 1.0)).cos();
            window[i] = w;
            window[wlen - 1 - i] = w;
        }
        if wlen % 2 == 1 {
            window[wlen / 2] = 1.0;
        }
        let nfilt = p.nfilt;
        let dct = dct_rows(p);
        let lifter = lifter_weights(p);
        let fft = RealFftPlanner::new().plan_fft_forward(p.nfft);
        FrontEnd {
            window,
            shift: p.shift_samples(),
            alpha: f64::from(p.alpha),
            frame: fft.make_input_vec(),
            spectrum: fft.make_output_vec(),
            scratch: fft.make_scratch_vec(),
            fft,
            filters: mel_filters(p),
            dct,
            lifter,
            buffer: Vec::new(),
            buffer_start: 0,
            next_frame: 0,
            total: 0,
            prior: 0.0,
            spec: vec![0.0; p.nfft / 2 + 1],
            mel: vec![0.0; nfilt],
            denoiser: None,
            denoised_mel: vec![0.0; nfilt],
            zero_run: 0,
        }
    }

    /// The same front end, giving each frame twice: as it is, and with steady background
    /// noise taken out of the filter energies before their logs (`denoise`), for
    /// [`TwinCepstra`](super::denoise::TwinCepstra) to choose from. [`FrontEnd::new`] is
    /// pocketsphinx's own, checked against its features.
    pub(crate) fn denoising(p: &FeatParams) -> FrontEnd {
        FrontEnd {
            denoiser: Some(Denoiser::default()),
            ..FrontEnd::new(p)
        }
    }

    /// Adds samples (f32 in [-1, 1]) and appends every frame whose window is complete.
    pub(crate) fn push(&mut self, samples: &[f32], out: &mut impl FrameSink) {
        for (i, &s) in samples.iter().enumerate() {
            let mut x = f64::from(s) * 32768.0;
            if s == 0.0 {
                self.zero_run += 1;
            } else {
                self.zero_run = 0;
            }
            if self.zero_run >= DIGITAL_SILENCE_RUN {
                x += dither(self.total + i as u64);
            }
            self.buffer.push(x - self.alpha * self.prior);
            self.prior = x;
        }
        self.total += samples.len() as u64;
        let wlen = self.window.len() as u64;
        while self.next_frame * self.shift as u64 + wlen <= self.total {
            self.frame(self.next_frame, out);
            self.next_frame += 1;
        }
        // Drop what no later frame needs.
        let keep_from = self.next_frame * self.shift as u64;
        if keep_from > self.buffer_start {
            let n = ((keep_from - self.buffer_start) as usize).min(self.buffer.len());
            self.buffer.drain(..n);
            self.buffer_start += n as u64;
        }
    }

    /// Appends the remaining frames (`ceil(samples / 160)` in all, zero-padded past the
    /// end) and resets the front end for a new stream.
    pub(crate) fn finish(&mut self, out: &mut impl FrameSink) {
        let frames = self.total.div_ceil(self.shift as u64);
        while self.next_frame < frames {
            self.frame(self.next_frame, out);
            self.next_frame += 1;
        }
        self.buffer.clear();
        self.buffer_start = 0;
        self.next_frame = 0;
        self.total = 0;
        self.prior = 0.0;
        self.zero_run = 0;
        if let Some(d) = self.denoiser.as_mut() {
            d.reset();
        }
    }

    /// Cepstra of frame `t` (its samples must still be buffered; missing ones are zeros),
    /// given to `out`.
    fn frame(&mut self, t: u64, out: &mut impl FrameSink) {
        let start = (t * self.shift as u64 - self.buffer_start) as usize;
        for (k, x) in self.frame.iter_mut().enumerate() {
            *x = if k < self.window.len() {
                self.buffer.get(start + k).copied().unwrap_or(0.0) * self.window[k]
            } else {
                0.0
            };
        }
        self.fft
            .process_with_scratch(&mut self.frame, &mut self.spectrum, &mut self.scratch)
            .expect("buffers made by the plan");
        for (s, c) in self.spec.iter_mut().zip(&self.spectrum) {
            *s = c.norm_sqr();
        }
        for (m, (start, coeffs)) in self.mel.iter_mut().zip(&self.filters) {
            *m = coeffs
                .iter()
                .zip(&self.spec[*start..])
                .map(|(w, s)| w * s)
                .sum();
        }
        let denoised = match self.denoiser.as_mut() {
            Some(d) => {
                self.denoised_mel.copy_from_slice(&self.mel);
                let noise_ln = d.apply(&mut self.denoised_mel);
                Some((
                    log_dct(&mut self.denoised_mel, &self.dct, &self.lifter),
                    noise_ln,
                ))
            }
            None => None,
        };
        let plain = log_dct(&mut self.mel, &self.dct, &self.lifter);
        out.frame(plain, denoised);
    }
}

/// The model's DCT rows `[NCEP][nfilt]` (log filter energies to cepstra), scaling included.
pub(crate) fn dct_rows(p: &FeatParams) -> Vec<Vec<f64>> {
    let nfilt = p.nfilt;
    let sqrt_inv_n = (1.0 / nfilt as f64).sqrt() as f32;
    let sqrt_inv_2n = (2.0 / nfilt as f64).sqrt() as f32;
    (0..NCEP)
        .map(|i| {
            (0..nfilt)
                .map(|j| match p.transform {
                    Transform::Dct | Transform::Htk if i == 0 => {
                        f64::from(if p.transform == Transform::Dct {
                            sqrt_inv_n
                        } else {
                            sqrt_inv_2n
                        })
                    }
                    Transform::Dct | Transform::Htk => {
                        let c = (std::f64::consts::PI / nfilt as f64 * i as f64 * (j as f64 + 0.5))
                            .cos() as f32;
                        f64::from(c) * f64::from(sqrt_inv_2n)
                    }
                    Transform::Legacy => {
                        let c = (std::f64::consts::PI / nfilt as f64 * i as f64 * (j as f64 + 0.5))
                            .cos() as f32;
                        let beta = if j == 0 { 0.5 } else { 1.0 };
                        if i == 0 {
                            beta / nfilt as f64
                        } else {
                            f64::from(c) * beta / nfilt as f64
                        }
                    }
                })
                .collect()
        })
        .collect()
}

/// The model's lifter weight per cepstrum (1 without a lifter).
pub(crate) fn lifter_weights(p: &FeatParams) -> [f64; NCEP] {
    let mut lifter = [1f64; NCEP];
    if p.lifter > 0 {
        let l = p.lifter;
        for (i, w) in lifter.iter_mut().enumerate() {
            // pocketsphinx: 1 + lifter / 2 (integer division) * sin(i pi / lifter).
            *w = f64::from(
                (1.0 + (l / 2) as f64 * (i as f64 * std::f64::consts::PI / l as f64).sin()) as f32,
            );
        }
    }
    lifter
}

/// dB per unit of the model's c0, for a front end of `filters` mel filters: c0 is
/// sqrt(1/filters) times the sum of the filters' natural-log energies, so a rise of 1 dB in
/// every filter raises it by sqrt(filters) * ln(10) / 10. The echo rules and the late-echo
/// measure read levels this way.
pub(crate) fn db_per_c0(filters: usize) -> f32 {
    10.0 / ((filters.max(1) as f32).sqrt() * std::f32::consts::LN_10)
}

/// Cepstra of filter energies: natural log with floor 1e-4 (in place), DCT, lifter.
fn log_dct(mel: &mut [f64], dct: &[Vec<f64>], lifter: &[f64; NCEP]) -> [f32; NCEP] {
    for m in mel.iter_mut() {
        *m = (*m + 1e-4).ln();
    }
    std::array::from_fn(|i| {
        let c: f64 = dct[i].iter().zip(mel.iter()).map(|(a, b)| a * b).sum();
        (c as f32 as f64 * lifter[i]) as f32
    })
}

/// Cepstra of a whole signal (one `FrontEnd` pushed once and finished).
pub fn cepstra(samples: &[f32], params: &FeatParams) -> Vec<[f32; NCEP]> {
    let mut fe = FrontEnd::new(params);
    let mut out = Vec::with_capacity(samples.len().div_ceil(params.shift_samples()));
    fe.push(samples, &mut out);
    fe.finish(&mut out);
    out
}

/// Batch cepstral mean normalisation: subtracts the mean of these frames.
pub fn normalise_mean(cep: &mut [[f32; NCEP]]) {
    if cep.is_empty() {
        return;
    }
    let mut mean = [0f64; NCEP];
    for c in cep.iter() {
        for (m, &v) in mean.iter_mut().zip(c) {
            *m += f64::from(v);
        }
    }
    let n = cep.len() as f64;
    let mean = mean.map(|m| (m / n) as f32);
    for c in cep.iter_mut() {
        for (v, m) in c.iter_mut().zip(&mean) {
            *v -= m;
        }
    }
}

/// The lowest cepstra (energy and the spectrum's broad tilt and shape) that
/// [`restore_spread`] scales. Chosen on every recording with word truth (docs/accuracy.md,
/// session 29): the first 2, 3, 4 and 5 gave Festival's 10 dB rendition 92.3, 92.3, 93.1
/// and 93.2 % of word starts within 50 ms (89.4 % without); the first 7 or all 13 amplified
/// the noise in the higher ones until a long turn's words no longer fitted (209 words
/// unheard, against 8).
const RESTORED_CEPSTRA: usize = 4;

/// A window whose energy cepstrum (c0) spreads less than this share of the model's is
/// flattened by noise. Measured per window heard (docs/accuracy.md, session 29): Festival's
/// quiet rendition medians 0.96 (3 of 32 windows below), its 10 dB one 0.50 (all 31 below),
/// espeak-ng's 10 dB one 0.55 (all 32); of the real recordings only one window of MFA's
/// two-speaker dialogue falls below (0.50). A gate at 0.6 or 0.9 placed about as many words
/// as at 0.75.
const FLATTENED_BELOW: f32 = 0.75;

/// Gives a window of mean-normalised cepstra flattened by noise the spread the model was
/// trained on: noise fills the pauses and the weak sounds between louder ones, so the
/// energy and the lowest cepstra vary less than in clean speech, and the silence model
/// takes a word's quiet onset. When c0 spreads less than [`FLATTENED_BELOW`] of
/// `model_spread[0]`, the first [`RESTORED_CEPSTRA`] cepstra are each scaled to the
/// model's spread (variance normalisation towards the model; mapping the window's values
/// onto the model mixture's quantiles instead, histogram equalisation, did worse); any other
/// window is left exactly as it is.
pub fn restore_spread(cep: &mut [[f32; NCEP]], model_spread: &[f32; NCEP]) {
    if cep.len() < 2 {
        return;
    }
    let mut sum_sq = [0f64; RESTORED_CEPSTRA];
    for c in cep.iter() {
        for (s, &v) in sum_sq.iter_mut().zip(c) {
            *s += f64::from(v) * f64::from(v);
        }
    }
    let n = cep.len() as f64;
    let spread = sum_sq.map(|s| (s / n).sqrt() as f32);
    if spread[0] >= FLATTENED_BELOW * model_spread[0] {
        return;
    }
    let scale: [f32; RESTORED_CEPSTRA] = std::array::from_fn(|i| {
        if spread[i] > 0.0 && model_spread[i] > 0.0 {
            model_spread[i] / spread[i]
        } else {
            1.0
        }
    });
    for c in cep.iter_mut() {
        for (v, k) in c.iter_mut().zip(&scale) {
            *v *= k;
        }
    }
}

/// `1s_c_d_dd` features as Sphinx computes them: cepstra `c[t]`, deltas
/// `c[t+2] - c[t-2]`, double deltas `(c[t+3] - c[t-1]) - (c[t+1] - c[t-3])`, with the first
/// and last frames repeated past the edges.
pub fn dynamic_features(cep: &[[f32; NCEP]]) -> Vec<[f32; 3 * NCEP]> {
    let n = cep.len() as isize;
    let at = |t: isize| &cep[t.clamp(0, n - 1) as usize];
    (0..n)
        .map(|t| {
            let mut f = [0f32; 3 * NCEP];
            let (c, d2, dm2) = (at(t), at(t + 2), at(t - 2));
            let (p3, m1, p1, m3) = (at(t + 3), at(t - 1), at(t + 1), at(t - 3));
            for i in 0..NCEP {
                f[i] = c[i];
                f[NCEP + i] = d2[i] - dm2[i];
                f[2 * NCEP + i] = (p3[i] - m1[i]) - (p1[i] - m3[i]);
            }
            f
        })
        .collect()
}
