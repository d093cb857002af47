//! The recording's voice, frame by frame, kept compactly for the whole recording while it
//! streams: 12 quantised cepstra and a quantised pitch per 10 ms frame, for telling
//! speakers apart (chunks' voices) and for the reference warp.

use super::{FeatureBlock, MFCC_COEFFS};

/// Cepstral coefficients kept per frame for speaker cues (c1..c12; c0 is loudness).
pub const CEPSTRA: usize = MFCC_COEFFS - 1;
/// Quantisation step of stored cepstra: 12 bytes per frame keep memory at ~4 MB per hour.
const CEPSTRUM_STEP: f32 = 0.25;

/// Compact per-frame voice data for the whole recording, collected while streaming:
/// 12 quantised cepstra and a quantised pitch (13 bytes per 10 ms, ~4.7 MB per hour).
#[derive(Debug, Default, Clone)]
pub struct CepstrumStore {
    data: Vec<i8>,
    /// Pitch in half-semitones above 40 Hz; 0 for unvoiced frames.
    pitch: Vec<u8>,
}

/// A cepstral coefficient in one byte (steps of [`CEPSTRUM_STEP`]).
pub fn quantise(c: f32) -> i8 {
    (c / CEPSTRUM_STEP).round().clamp(-127.0, 127.0) as i8
}

/// The coefficient a byte from [`quantise`] stands for.
pub fn dequantise(q: i8) -> f32 {
    f32::from(q) * CEPSTRUM_STEP
}

/// Pitch of a voiced frame in semitones above 40 Hz.
pub fn semitones(hz: f32) -> f32 {
    12.0 * (hz / 40.0).log2()
}

impl CepstrumStore {
    /// Appends a block's frames.
    pub fn push(&mut self, block: &FeatureBlock) {
        for i in 0..block.len() {
            for &c in &block.mfcc_of(i)[1..] {
                self.data.push(quantise(c));
            }
            let hz = block.pitch_hz.get(i).copied().unwrap_or(0.0);
            let q = if hz > 0.0 {
                (semitones(hz) * 2.0).round().clamp(1.0, 255.0) as u8
            } else {
                0
            };
            self.pitch.push(q);
        }
    }

    /// Sum of pitch (semitones) over the voiced frames in `start..end`, and their count.
    pub fn pitch_sum(&self, start: usize, end: usize) -> (f32, u32) {
        let end = end.min(self.pitch.len());
        let mut sum = 0.0;
        let mut n = 0;
        for &q in self.pitch.get(start..end).unwrap_or(&[]) {
            if q > 0 {
                sum += f32::from(q) * 0.5;
                n += 1;
            }
        }
        (sum, n)
    }

    /// Frames stored.
    pub fn frames(&self) -> usize {
        self.data.len() / CEPSTRA
    }

    /// Cepstrum of frame `i` (zeros beyond what is stored).
    pub fn frame(&self, i: usize) -> [f32; CEPSTRA] {
        let mut out = [0.0; CEPSTRA];
        if let Some(q) = self.data.get(i * CEPSTRA..(i + 1) * CEPSTRA) {
            for (o, &q) in out.iter_mut().zip(q) {
                *o = dequantise(q);
            }
        }
        out
    }

    /// Mean cepstrum over frames `start..end` (clipped to what is stored).
    pub fn mean(&self, start: usize, end: usize) -> [f32; CEPSTRA] {
        let end = end.min(self.frames());
        let mut sum = [0.0f32; CEPSTRA];
        if start >= end {
            return sum;
        }
        for frame in self.data[start * CEPSTRA..end * CEPSTRA].chunks_exact(CEPSTRA) {
            for (s, &q) in sum.iter_mut().zip(frame) {
                *s += dequantise(q);
            }
        }
        let n = (end - start) as f32;
        sum.map(|s| s / n)
    }
}
