//! Speech chunks: the units the aligner hands out to turns, each with its voice (mean
//! cepstrum and pitch) for telling speakers apart.

use crate::error::Result;
use crate::features::{CEPSTRA, CepstrumStore};
use crate::time::Frame;
use crate::vad::SpeechRegion;

/// A stretch of speech between pauses.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// First speech frame.
    pub start: Frame,
    /// One past the last speech frame.
    pub end: Frame,
    /// VAD speech score.
    pub score: f32,
    /// Sum of pitch (semitones above 40 Hz) over the voiced frames.
    pub pitch_sum: f32,
    /// Voiced frames.
    pub voiced: u32,
    /// Mean cepstrum of the whole chunk (the voice, for matching turns to speakers).
    pub mean: [f32; CEPSTRA],
}

impl Chunk {
    /// A chunk from `start_s` to `end_s` with a neutral voice (tests).
    #[cfg(test)]
    pub(crate) fn spanning(start_s: f64, end_s: f64) -> Chunk {
        Chunk {
            start: Frame::from_seconds(start_s),
            end: Frame::from_seconds(end_s),
            score: 1.0,
            pitch_sum: 0.0,
            voiced: 0,
            mean: [0.0; CEPSTRA],
        }
    }

    /// Start in seconds.
    pub fn start_s(&self) -> f64 {
        self.start.seconds()
    }

    /// End in seconds.
    pub fn end_s(&self) -> f64 {
        self.end.seconds()
    }
}

/// Chunks from VAD regions, fingerprinted from the stored cepstra (an error only when
/// cepstra spilled to a temporary file cannot be read back).
pub fn build_chunks(regions: &[SpeechRegion], cepstra: &CepstrumStore) -> Result<Vec<Chunk>> {
    regions
        .iter()
        .map(|r| {
            let voice = cepstra.voice(r.start.index()..r.end.index())?;
            Ok(Chunk {
                start: r.start,
                end: r.end,
                score: r.score,
                pitch_sum: voice.pitch_sum,
                voiced: voice.voiced,
                mean: voice.mean,
            })
        })
        .collect()
}
