//! Streaming frame extraction: samples in, blocks of per-frame features out.

use std::sync::Arc;

use rayon::prelude::*;
use rustfft::num_complex::Complex32;
use rustfft::{Fft, FftPlanner};

use super::mel::MelBank;
use super::mfcc::Dct;
#[cfg(test)]
use super::spectrum::power_spectra_pair;
use super::spectrum::{FFT_SIZE, SPECTRUM_BINS, hann_window, power_spectra_pair_into};
#[cfg(test)]
use super::voicing::voicing_from_autocorrelation;
use super::voicing::{VOICING_MAX_LAG, voicing_and_lag};
use super::{MEL_BANDS, MEL_HIGH_HZ, MEL_LOW_HZ, MFCC_COEFFS};
use crate::time::{Frame, HOP_SAMPLES, WINDOW_SAMPLES};

/// Frames computed per block: ~20 s, enough work to spread over threads, little memory.
const BLOCK_FRAMES: usize = 2048;
/// Frames per rayon task.
const TASK_FRAMES: usize = 64;

/// Features of consecutive frames `first..first+len`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeatureBlock {
    /// The first frame in the block.
    pub first: Frame,
    /// Frame energy, dB relative to full scale (mean square of the raw frame).
    pub energy_db: Vec<f32>,
    /// Log-mel energies (natural log), `MEL_BANDS` per frame, frame-major.
    pub log_mel: Vec<f32>,
    /// MFCCs c0..c12, `MFCC_COEFFS` per frame, frame-major.
    pub mfcc: Vec<f32>,
    /// Voicing strength in [0, 1].
    pub voicing: Vec<f32>,
    /// Pitch in Hz where the frame is clearly voiced (voicing ≥ 0.5), else 0.
    pub pitch_hz: Vec<f32>,
}

impl FeatureBlock {
    /// Frames in the block.
    pub fn len(&self) -> usize {
        self.energy_db.len()
    }

    /// True when the block has no frames.
    pub fn is_empty(&self) -> bool {
        self.energy_db.is_empty()
    }

    /// The log-mel vector of frame `i` (block-relative).
    pub fn mel(&self, i: usize) -> &[f32] {
        &self.log_mel[i * MEL_BANDS..(i + 1) * MEL_BANDS]
    }

    /// The MFCC vector of frame `i` (block-relative).
    pub fn mfcc_of(&self, i: usize) -> &[f32] {
        &self.mfcc[i * MFCC_COEFFS..(i + 1) * MFCC_COEFFS]
    }

    /// Appends `other`, which must start where `self` ends.
    pub fn append(&mut self, other: &FeatureBlock) {
        if self.is_empty() {
            self.first = other.first;
        }
        self.energy_db.extend_from_slice(&other.energy_db);
        self.log_mel.extend_from_slice(&other.log_mel);
        self.mfcc.extend_from_slice(&other.mfcc);
        self.voicing.extend_from_slice(&other.voicing);
        self.pitch_hz.extend_from_slice(&other.pitch_hz);
    }
}

/// Shared, read-only analysis state: FFT plans, window, filterbank, DCT.
struct Kernels {
    fft: Arc<dyn Fft<f32>>,
    ifft: Arc<dyn Fft<f32>>,
    window: Vec<f32>,
    window_autocorr: Vec<f32>,
    mel: MelBank,
    dct: Dct,
}

/// Per-worker scratch buffers.
struct Scratch {
    fft: Vec<Complex32>,
    /// rustfft's own scratch, so its `process` does not allocate per call.
    fft_work: Vec<Complex32>,
    power_a: Vec<f32>,
    power_b: Vec<f32>,
    mel: Vec<f32>,
}

impl Scratch {
    fn new(kernels: &Kernels) -> Scratch {
        let work = kernels
            .fft
            .get_inplace_scratch_len()
            .max(kernels.ifft.get_inplace_scratch_len());
        Scratch {
            fft: vec![Complex32::new(0.0, 0.0); FFT_SIZE],
            fft_work: vec![Complex32::new(0.0, 0.0); work],
            power_a: vec![0.0; SPECTRUM_BINS],
            power_b: vec![0.0; SPECTRUM_BINS],
            mel: vec![0.0; MEL_BANDS],
        }
    }
}

/// Turns a stream of 16 kHz samples into feature blocks.
pub struct Extractor {
    kernels: Kernels,
    /// Samples not yet fully consumed by frames; `buffer[0]` is sample `buffer_start`.
    buffer: Vec<f32>,
    buffer_start: u64,
    next_frame: u32,
    total_samples: u64,
}

impl std::fmt::Debug for Extractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extractor")
            .field("next_frame", &self.next_frame)
            .finish_non_exhaustive()
    }
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor::new()
    }
}

impl Extractor {
    /// A fresh extractor at frame 0.
    pub fn new() -> Extractor {
        let mut planner = FftPlanner::new();
        let fft = planner.plan_fft_forward(FFT_SIZE);
        let ifft = planner.plan_fft_inverse(FFT_SIZE);
        let window = hann_window();
        let window_autocorr = autocorrelation_direct(&window, VOICING_MAX_LAG);
        Extractor {
            kernels: Kernels {
                fft,
                ifft,
                window,
                window_autocorr,
                mel: MelBank::new(MEL_BANDS, MEL_LOW_HZ, MEL_HIGH_HZ),
                dct: Dct::new(MFCC_COEFFS, MEL_BANDS),
            },
            buffer: Vec::new(),
            buffer_start: 0,
            next_frame: 0,
            total_samples: 0,
        }
    }

    /// Features of a whole clip at once (frame count `ceil(len / 160)`).
    pub fn analyse(samples: &[f32]) -> FeatureBlock {
        let mut extractor = Extractor::new();
        let mut all = FeatureBlock::default();
        extractor.push(samples, &mut |b| all.append(&b));
        extractor.finish(&mut |b| all.append(&b));
        all
    }

    /// Adds samples; emits a block whenever enough whole frames are available.
    pub fn push(&mut self, samples: &[f32], emit: &mut impl FnMut(FeatureBlock)) {
        self.buffer.extend_from_slice(samples);
        self.total_samples += samples.len() as u64;
        loop {
            let ready = self.complete_frames();
            if ready < BLOCK_FRAMES {
                break;
            }
            let block = self.compute(BLOCK_FRAMES);
            emit(block);
        }
        self.drop_consumed();
    }

    /// Emits the remaining frames, zero-padding the last ones.
    pub fn finish(&mut self, emit: &mut impl FnMut(FeatureBlock)) {
        let total_frames = self.total_samples.div_ceil(HOP_SAMPLES as u64) as u32;
        let remaining = total_frames.saturating_sub(self.next_frame) as usize;
        if remaining == 0 {
            return;
        }
        let needed = (remaining - 1) * HOP_SAMPLES + WINDOW_SAMPLES;
        let offset = self.frame_offset();
        if self.buffer.len() < offset + needed {
            self.buffer.resize(offset + needed, 0.0);
        }
        for start in (0..remaining).step_by(BLOCK_FRAMES) {
            let count = BLOCK_FRAMES.min(remaining - start);
            emit(self.compute(count));
        }
        self.drop_consumed();
    }

    /// Byte offset of the next frame's first sample in `buffer`.
    fn frame_offset(&self) -> usize {
        (u64::from(self.next_frame) * HOP_SAMPLES as u64 - self.buffer_start) as usize
    }

    fn complete_frames(&self) -> usize {
        let offset = self.frame_offset();
        let available = self.buffer.len().saturating_sub(offset);
        if available < WINDOW_SAMPLES {
            0
        } else {
            (available - WINDOW_SAMPLES) / HOP_SAMPLES + 1
        }
    }

    /// Computes `count` frames from the buffer, in parallel.
    fn compute(&mut self, count: usize) -> FeatureBlock {
        let offset = self.frame_offset();
        let samples = &self.buffer[offset..offset + (count - 1) * HOP_SAMPLES + WINDOW_SAMPLES];
        let block = compute_frames(&self.kernels, samples, Frame(self.next_frame), count);
        self.next_frame += count as u32;
        block
    }

    /// Drops the samples no later frame needs: once per push, not once per block, so a
    /// long push (a whole clip) is not copied over and over.
    fn drop_consumed(&mut self) {
        let consumed = self.frame_offset().min(self.buffer.len());
        self.buffer.drain(..consumed);
        self.buffer_start += consumed as u64;
    }
}

/// Features of `count` frames of `samples` (which start at frame `first`).
fn compute_frames(kernels: &Kernels, samples: &[f32], first: Frame, count: usize) -> FeatureBlock {
    let mut block = FeatureBlock {
        first,
        energy_db: vec![0.0; count],
        log_mel: vec![0.0; count * MEL_BANDS],
        mfcc: vec![0.0; count * MFCC_COEFFS],
        voicing: vec![0.0; count],
        pitch_hz: vec![0.0; count],
    };
    block
        .energy_db
        .par_chunks_mut(TASK_FRAMES)
        .zip(block.log_mel.par_chunks_mut(TASK_FRAMES * MEL_BANDS))
        .zip(block.mfcc.par_chunks_mut(TASK_FRAMES * MFCC_COEFFS))
        .zip(block.voicing.par_chunks_mut(TASK_FRAMES))
        .zip(block.pitch_hz.par_chunks_mut(TASK_FRAMES))
        .enumerate()
        .for_each_init(
            || Scratch::new(kernels),
            |scratch, (task, ((((energy, mel), mfcc), voicing), pitch))| {
                let first_frame = task * TASK_FRAMES;
                let frames = energy.len();
                let mut i = 0;
                while i < frames {
                    let a = frame_slice(samples, first_frame + i);
                    let b = if i + 1 < frames {
                        frame_slice(samples, first_frame + i + 1)
                    } else {
                        a
                    };
                    power_spectra_pair_into(
                        &kernels.fft,
                        &kernels.window,
                        a,
                        b,
                        &mut scratch.fft,
                        &mut scratch.fft_work,
                        &mut scratch.power_a,
                        &mut scratch.power_b,
                    );
                    let pair = [(a, i, true), (b, i + 1, i + 1 < frames)];
                    for (frame, j, present) in pair {
                        if !present {
                            continue;
                        }
                        energy[j] = energy_db(frame);
                        let power = if j == i {
                            &scratch.power_a
                        } else {
                            &scratch.power_b
                        };
                        kernels.mel.log_energies_into(power, &mut scratch.mel);
                        mel[j * MEL_BANDS..(j + 1) * MEL_BANDS].copy_from_slice(&scratch.mel);
                        kernels.dct.apply_into(
                            &scratch.mel,
                            &mut mfcc[j * MFCC_COEFFS..(j + 1) * MFCC_COEFFS],
                        );
                    }
                    let ((va, la), (vb, lb)) = voicing_pair(kernels, scratch);
                    voicing[i] = va;
                    pitch[i] = pitch_of(va, la);
                    if i + 1 < frames {
                        voicing[i + 1] = vb;
                        pitch[i + 1] = pitch_of(vb, lb);
                    }
                    i += 2;
                }
            },
        );
    block
}

/// Voicing of the two frames whose power spectra are in `scratch`, with one inverse FFT.
///
/// Both power spectra are real and even, so their autocorrelations are real: pack them as
/// `Pa + i·Pb`, invert once, and read `ra` from the real part and `rb` from the imaginary.
fn voicing_pair(kernels: &Kernels, scratch: &mut Scratch) -> ((f32, usize), (f32, usize)) {
    // Bins 0..=N/2 as they are, then N/2+1..N mirrored (bin N-k holds bin k).
    let (low, high) = scratch.fft.split_at_mut(SPECTRUM_BINS);
    for ((slot, a), b) in low.iter_mut().zip(&scratch.power_a).zip(&scratch.power_b) {
        *slot = Complex32::new(*a, *b);
    }
    let mirrored = scratch.power_a[1..SPECTRUM_BINS - 1]
        .iter()
        .zip(&scratch.power_b[1..SPECTRUM_BINS - 1])
        .rev();
    for (slot, (a, b)) in high.iter_mut().zip(mirrored) {
        *slot = Complex32::new(*a, *b);
    }
    kernels
        .ifft
        .process_with_scratch(&mut scratch.fft, &mut scratch.fft_work);
    let mut ra = [0.0f32; VOICING_MAX_LAG + 1];
    let mut rb = [0.0f32; VOICING_MAX_LAG + 1];
    for ((a, b), z) in ra.iter_mut().zip(rb.iter_mut()).zip(&scratch.fft) {
        (*a, *b) = (z.re, z.im);
    }
    (
        voicing_and_lag(&ra, &kernels.window_autocorr),
        voicing_and_lag(&rb, &kernels.window_autocorr),
    )
}

/// Pitch in Hz from a voicing peak, or 0 when the frame is not clearly voiced.
fn pitch_of(voicing: f32, lag: usize) -> f32 {
    if voicing >= 0.5 && lag > 0 {
        crate::time::SAMPLE_RATE as f32 / lag as f32
    } else {
        0.0
    }
}

fn frame_slice(samples: &[f32], frame: usize) -> &[f32] {
    let start = frame * HOP_SAMPLES;
    &samples[start..start + WINDOW_SAMPLES]
}

/// Frame energy in dBFS: mean square of the raw samples.
///
/// Summed in eight interleaved lanes (so the loop vectorises); the rounding therefore
/// differs in the last bits from a left-to-right sum. Nothing downstream thresholds it.
pub(crate) fn energy_db(frame: &[f32]) -> f32 {
    const LANES: usize = 8;
    let mut lanes = [0.0f32; LANES];
    let chunks = frame.chunks_exact(LANES);
    let rest: f32 = chunks.remainder().iter().map(|x| x * x).sum();
    for chunk in chunks {
        for (lane, x) in lanes.iter_mut().zip(chunk) {
            *lane += x * x;
        }
    }
    let mean_square = (lanes.iter().sum::<f32>() + rest) / frame.len() as f32;
    10.0 * (mean_square + 1e-10).log10()
}

/// Normalised autocorrelation of `x` for lags `0..=max_lag`, computed directly.
pub(crate) fn autocorrelation_direct(x: &[f32], max_lag: usize) -> Vec<f32> {
    let r0: f64 = x.iter().map(|v| f64::from(*v) * f64::from(*v)).sum();
    (0..=max_lag)
        .map(|lag| {
            let r: f64 = x
                .iter()
                .zip(&x[lag..])
                .map(|(a, b)| f64::from(*a) * f64::from(*b))
                .sum();
            (r / r0) as f32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::mfcc::dct_naive;
    use super::super::spectrum::power_spectrum_naive;
    use super::*;

    /// Deterministic pseudo-random samples in [-1, 1].
    fn seeded_noise(seed: u64, len: usize) -> Vec<f32> {
        crate::test_signals::seeded_noise(seed, len, 1.0)
    }

    #[test]
    fn packed_fft_matches_naive_dft() {
        let a = seeded_noise(1, WINDOW_SAMPLES);
        let b = seeded_noise(2, WINDOW_SAMPLES);
        let window = hann_window();
        let fft = FftPlanner::new().plan_fft_forward(FFT_SIZE);
        let mut scratch = vec![Complex32::new(0.0, 0.0); FFT_SIZE];
        let (mut pa, mut pb) = (vec![0.0; SPECTRUM_BINS], vec![0.0; SPECTRUM_BINS]);
        power_spectra_pair(&fft, &window, &a, &b, &mut scratch, &mut pa, &mut pb);
        for (fast, naive) in [
            (&pa, power_spectrum_naive(&window, &a)),
            (&pb, power_spectrum_naive(&window, &b)),
        ] {
            for (x, y) in fast.iter().zip(&naive) {
                assert!((x - y).abs() <= 1e-3 * y.abs().max(1.0), "{x} vs {y}");
            }
        }
    }

    #[test]
    fn mel_and_dct_match_naive() {
        let window = hann_window();
        let power = power_spectrum_naive(&window, &seeded_noise(3, WINDOW_SAMPLES));
        let bank = MelBank::new(MEL_BANDS, MEL_LOW_HZ, MEL_HIGH_HZ);
        let mut fast = vec![0.0; MEL_BANDS];
        bank.log_energies_into(&power, &mut fast);
        let naive = bank.log_energies_naive(&power);
        for (x, y) in fast.iter().zip(&naive) {
            assert!((x - y).abs() < 1e-4);
        }
        let dct = Dct::new(MFCC_COEFFS, MEL_BANDS);
        let mut coeffs = vec![0.0; MFCC_COEFFS];
        dct.apply_into(&fast, &mut coeffs);
        for (x, y) in coeffs.iter().zip(dct_naive(&fast, MFCC_COEFFS)) {
            assert!((x - y).abs() < 1e-3);
        }
    }

    #[test]
    fn voicing_via_fft_matches_direct_autocorrelation() {
        let kernels = Extractor::new().kernels;
        let mut scratch = Scratch::new(&kernels);
        let tone: Vec<f32> = (0..WINDOW_SAMPLES)
            .map(|n| (n as f32 * 2.0 * std::f32::consts::PI * 150.0 / 16000.0).sin())
            .collect();
        let noise = seeded_noise(4, WINDOW_SAMPLES);
        power_spectra_pair(
            &kernels.fft,
            &kernels.window,
            &tone,
            &noise,
            &mut scratch.fft,
            &mut scratch.power_a,
            &mut scratch.power_b,
        );
        let ((v_tone, lag), (v_noise, _)) = voicing_pair(&kernels, &mut scratch);
        assert!((pitch_of(v_tone, lag) - 150.0).abs() < 5.0, "lag {lag}");
        let windowed: Vec<f32> = tone
            .iter()
            .zip(&kernels.window)
            .map(|(x, w)| x * w)
            .collect();
        let direct = voicing_from_autocorrelation(
            &autocorrelation_direct(&windowed, VOICING_MAX_LAG),
            &kernels.window_autocorr,
        );
        assert!((v_tone - direct).abs() < 0.05, "{v_tone} vs {direct}");
        assert!(v_tone > 0.8, "tone voicing {v_tone}");
        assert!(v_noise < 0.4, "noise voicing {v_noise}");
    }

    #[test]
    fn streaming_equals_whole_clip_and_counts_frames() {
        let samples = seeded_noise(5, 16_000 * 50 + 123);
        let whole = Extractor::analyse(&samples);
        assert_eq!(whole.len(), (samples.len()).div_ceil(HOP_SAMPLES));
        let mut streamed = FeatureBlock::default();
        let mut ex = Extractor::new();
        for chunk in samples.chunks(7777) {
            ex.push(chunk, &mut |b| streamed.append(&b));
        }
        ex.finish(&mut |b| streamed.append(&b));
        assert_eq!(whole, streamed);
    }

    #[test]
    fn energy_of_full_scale_square_is_zero_db() {
        assert!(energy_db(&[1.0, -1.0, 1.0, -1.0]).abs() < 1e-4);
        assert!(energy_db(&[0.0; 400]) < -99.0);
    }
}
