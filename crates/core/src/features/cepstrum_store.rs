//! The recording's voice, frame by frame, kept compactly for the whole recording while it
//! streams: 12 quantised cepstra and a quantised pitch per 10 ms frame, for telling
//! speakers apart (chunks' voices) and for the reference warp. Past an hour of frames the
//! older ones wait in a temporary file ([`SpillVec`]), so memory stays flat with length.

use std::ops::Range;

use super::{FeatureBlock, MFCC_COEFFS};
use crate::error::Result;
use crate::spill::{Record, SpillVec};

/// Cepstral coefficients kept per frame for speaker cues (c1..c12; c0 is loudness).
pub const CEPSTRA: usize = MFCC_COEFFS - 1;
/// Quantisation step of stored cepstra: 12 bytes per frame keep memory at ~4 MB per hour.
const CEPSTRUM_STEP: f32 = 0.25;

/// Compact per-frame voice data for the whole recording, collected while streaming:
/// 12 quantised cepstra and a quantised pitch (13 bytes per 10 ms, ~4.7 MB per hour, of
/// which at most an hour is held in memory).
#[derive(Debug, Default)]
pub struct CepstrumStore {
    frames: SpillVec<VoiceFrame>,
}

/// One frame's voice: quantised cepstrum (c1..c12) and pitch.
#[derive(Debug, Clone, Copy, PartialEq)]
struct VoiceFrame {
    cepstrum: [i8; CEPSTRA],
    /// Pitch in half-semitones above 40 Hz; 0 for unvoiced frames.
    pitch: u8,
}

impl Record for VoiceFrame {
    const BYTES: usize = CEPSTRA + 1;

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend(self.cepstrum.iter().map(|&q| q as u8));
        out.push(self.pitch);
    }

    fn decode(bytes: &[u8]) -> Self {
        VoiceFrame {
            cepstrum: std::array::from_fn(|i| bytes[i] as i8),
            pitch: bytes[CEPSTRA],
        }
    }
}

/// A stretch's voice: its mean cepstrum and the pitch of its voiced frames.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VoiceSummary {
    /// Mean cepstrum over the stretch's frames (zeros when it is empty).
    pub mean: [f32; CEPSTRA],
    /// Sum of pitch (semitones above 40 Hz) over the voiced frames.
    pub pitch_sum: f32,
    /// Voiced frames.
    pub voiced: u32,
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
    /// An empty store that keeps `frames` frames in memory before spilling (tests).
    #[cfg(test)]
    fn with_spill_after(frames: usize) -> Self {
        CepstrumStore {
            frames: SpillVec::with_spill_after(frames),
        }
    }

    /// Appends a block's frames.
    pub fn push(&mut self, block: &FeatureBlock) {
        for i in 0..block.len() {
            let mfcc = &block.mfcc_of(i)[1..];
            let hz = block.pitch_hz.get(i).copied().unwrap_or(0.0);
            let pitch = if hz > 0.0 {
                (semitones(hz) * 2.0).round().clamp(1.0, 255.0) as u8
            } else {
                0
            };
            self.frames.push(VoiceFrame {
                cepstrum: std::array::from_fn(|k| quantise(mfcc[k])),
                pitch,
            });
        }
    }

    /// Frames stored.
    pub fn frames(&self) -> usize {
        self.frames.len()
    }

    /// Cepstra of frames `range` (clipped to what is stored).
    pub fn cepstra(&self, range: Range<usize>) -> Result<Vec<[f32; CEPSTRA]>> {
        let frames = self.frames.window(range)?;
        Ok(frames.iter().map(|f| f.cepstrum.map(dequantise)).collect())
    }

    /// The voice of frames `range` (clipped to what is stored).
    pub fn voice(&self, range: Range<usize>) -> Result<VoiceSummary> {
        let frames = self.frames.window(range)?;
        let mut sum = [0.0f32; CEPSTRA];
        let mut pitch_sum = 0.0;
        let mut voiced = 0;
        for frame in &frames {
            for (s, &q) in sum.iter_mut().zip(&frame.cepstrum) {
                *s += dequantise(q);
            }
            if frame.pitch > 0 {
                pitch_sum += f32::from(frame.pitch) * 0.5;
                voiced += 1;
            }
        }
        let n = frames.len() as f32;
        Ok(VoiceSummary {
            mean: if frames.is_empty() {
                sum
            } else {
                sum.map(|s| s / n)
            },
            pitch_sum,
            voiced,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(frames: usize) -> FeatureBlock {
        FeatureBlock {
            energy_db: vec![0.0; frames],
            mfcc: (0..frames * MFCC_COEFFS)
                .map(|i| ((i / MFCC_COEFFS) as f32 - (i % MFCC_COEFFS) as f32) * 0.3)
                .collect(),
            pitch_hz: (0..frames)
                .map(|t| if t % 3 == 0 { 0.0 } else { 100.0 + t as f32 })
                .collect(),
            ..FeatureBlock::default()
        }
    }

    /// The voice of a stretch reads the same whether its frames stayed in memory or spilled.
    #[test]
    fn spilled_frames_give_the_same_voice_and_cepstra() {
        let b = block(40);
        let mut kept = CepstrumStore::default();
        kept.push(&b);
        let mut spilled = CepstrumStore::with_spill_after(7);
        spilled.push(&b);
        assert_eq!(spilled.frames(), 40);
        for range in [0..40, 3..9, 6..8, 30..45, 12..12] {
            assert_eq!(
                kept.voice(range.clone()).unwrap(),
                spilled.voice(range.clone()).unwrap()
            );
            assert_eq!(
                kept.cepstra(range.clone()).unwrap(),
                spilled.cepstra(range).unwrap()
            );
        }
        let v = kept.voice(0..3).unwrap();
        assert_eq!(v.voiced, 2, "frame 0 is unvoiced");
        let c1 =
            (dequantise(quantise(-0.3)) + dequantise(quantise(0.0)) + dequantise(quantise(0.3)))
                / 3.0;
        assert_eq!(v.mean[0], c1, "c1 of frame t is (t - 1) * 0.3");
    }
}
