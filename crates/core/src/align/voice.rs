//! Voices: who is speaking, from mean cepstrum and pitch over stretches of chunks.
//!
//! Used two ways: a voice change across a pause hints at a turn boundary, and a turn whose
//! voice matches its speaker's (learnt from the previous pass) is more likely placed right.

use std::collections::HashMap;

use super::chunks::Chunk;
use crate::features::CEPSTRA;
use crate::stats::median;

/// How voices are measured and compared; defaults from the voice-change trials of
/// docs/accuracy.md ("What was tried", items 3 and 4).
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceConfig {
    /// Weight of one semitone of pitch difference, in cepstral distance units. Default 3:
    /// pitch separates speakers (and espeak voices) far better than the cepstrum of a short
    /// stretch does.
    pub pitch_weight: f64,
    /// Context on each side of a pause for judging a voice change: at least this much
    /// speech, frames ... Default 150 (1.5 s; 0.5 s gave no gain) ...
    pub context_frames: f64,
    /// ... from at most this many chunks. Default 8.
    pub context_chunks: usize,
    /// Voiced frames a stretch needs for its mean pitch to count. Default 5.
    pub min_voiced_frames: f64,
    /// Frames of speech a turn needs to teach its speaker's voice. Default 50 (0.5 s).
    pub min_learn_frames: f64,
}

impl Default for VoiceConfig {
    fn default() -> Self {
        VoiceConfig {
            pitch_weight: 3.0,
            context_frames: 150.0,
            context_chunks: 8,
            min_voiced_frames: 5.0,
            min_learn_frames: 50.0,
        }
    }
}

/// A stretch's voice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Voice {
    /// Mean cepstrum c1..c12.
    pub cepstrum: [f64; CEPSTRA],
    /// Mean pitch in semitones above 40 Hz, when any frame was voiced.
    pub pitch: Option<f64>,
    /// Frames averaged.
    pub frames: f64,
}

impl Voice {
    /// Squared distance, pitch counted (at `pitch_weight` per semitone) only when both
    /// stretches have it.
    pub fn distance2(&self, other: &Voice, pitch_weight: f64) -> f64 {
        let cep: f64 = self
            .cepstrum
            .iter()
            .zip(&other.cepstrum)
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        let pitch = match (self.pitch, other.pitch) {
            (Some(a), Some(b)) => (pitch_weight * (a - b)).powi(2),
            _ => 0.0,
        };
        cep + pitch
    }
}

/// Prefix sums over chunks, so any run of chunks' voice costs O(1).
#[derive(Debug, Clone)]
pub struct VoiceIndex {
    cepstrum: Vec<[f64; CEPSTRA]>,
    frames: Vec<f64>,
    pitch: Vec<f64>,
    voiced: Vec<f64>,
    config: VoiceConfig,
}

impl VoiceIndex {
    /// Indexes `chunks`, to be compared as `config` says.
    pub fn new(chunks: &[Chunk], config: VoiceConfig) -> VoiceIndex {
        let n = chunks.len() + 1;
        let mut index = VoiceIndex {
            cepstrum: vec![[0.0; CEPSTRA]; n],
            frames: vec![0.0; n],
            pitch: vec![0.0; n],
            voiced: vec![0.0; n],
            config,
        };
        for (j, c) in chunks.iter().enumerate() {
            let frames = f64::from(c.end.0 - c.start.0);
            let mut next = index.cepstrum[j];
            for (s, m) in next.iter_mut().zip(&c.mean) {
                *s += f64::from(*m) * frames;
            }
            index.cepstrum[j + 1] = next;
            index.frames[j + 1] = index.frames[j] + frames;
            index.pitch[j + 1] = index.pitch[j] + f64::from(c.pitch_sum);
            index.voiced[j + 1] = index.voiced[j] + f64::from(c.voiced);
        }
        index
    }

    /// Voice of chunks `first..end`.
    pub fn voice(&self, first: usize, end: usize) -> Voice {
        let frames = self.frames[end] - self.frames[first];
        let mut cepstrum = [0.0; CEPSTRA];
        for (k, m) in cepstrum.iter_mut().enumerate() {
            *m = (self.cepstrum[end][k] - self.cepstrum[first][k]) / frames.max(1.0);
        }
        let voiced = self.voiced[end] - self.voiced[first];
        let pitch = (voiced >= self.config.min_voiced_frames)
            .then(|| (self.pitch[end] - self.pitch[first]) / voiced);
        Voice {
            cepstrum,
            pitch,
            frames,
        }
    }

    /// `voice.distance2(&self.voice(first, end))` and the frames of `first..end`, without
    /// building the stretch's voice (the aligner asks this for every candidate span of a
    /// turn): no division where `inverse[n]` holds `1/n` for the frame and voiced-frame
    /// counts met (an empty slice is fine: it divides then). The squares are summed in
    /// four lanes, so the last bits differ from [`Voice::distance2`]'s.
    #[inline(always)]
    pub fn distance2_from(
        &self,
        voice: &Voice,
        first: usize,
        end: usize,
        inverse: &[f64],
    ) -> (f64, f64) {
        let reciprocal = |n: f64| match inverse.get(n as usize) {
            Some(&inv) => inv,
            None => 1.0 / n,
        };
        let frames = self.frames[end] - self.frames[first];
        let inv = reciprocal(frames.max(1.0));
        let (upper, lower) = (&self.cepstrum[end], &self.cepstrum[first]);
        let mut lanes = [0.0f64; 4];
        for k in (0..CEPSTRA).step_by(4) {
            for (j, lane) in lanes.iter_mut().enumerate() {
                let d = voice.cepstrum[k + j] - (upper[k + j] - lower[k + j]) * inv;
                *lane += d * d;
            }
        }
        let cep = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        let voiced = self.voiced[end] - self.voiced[first];
        let pitch = match voice.pitch {
            Some(p) if voiced >= self.config.min_voiced_frames => {
                let mean = (self.pitch[end] - self.pitch[first]) * reciprocal(voiced);
                let d = self.config.pitch_weight * (p - mean);
                d * d
            }
            _ => 0.0,
        };
        (cep + pitch, frames)
    }

    /// For each chunk, how much the voice changes across the pause before it, as a robust
    /// z-score over the whole recording (0 for chunk 0).
    pub fn changes(&self) -> Vec<f64> {
        let n = self.frames.len() - 1;
        let (context_chunks, context_frames) =
            (self.config.context_chunks, self.config.context_frames);
        let distances: Vec<f64> = (1..n)
            .map(|j| {
                let mut first = j - 1;
                while first > 0
                    && j - first < context_chunks
                    && self.frames[j] - self.frames[first] < context_frames
                {
                    first -= 1;
                }
                let mut end = j + 1;
                while end < n
                    && end - j < context_chunks
                    && self.frames[end] - self.frames[j] < context_frames
                {
                    end += 1;
                }
                self.voice(first, j)
                    .distance2(&self.voice(j, end), self.config.pitch_weight)
                    .sqrt()
            })
            .collect();
        let mut sorted = distances.clone();
        let centre = median(&mut sorted).unwrap_or(0.0);
        let mut deviations: Vec<f64> = distances.iter().map(|d| (d - centre).abs()).collect();
        let spread = median(&mut deviations).unwrap_or(1.0).max(1e-3) * 1.4826;
        std::iter::once(0.0)
            .chain(distances.iter().map(|d| (d - centre) / spread))
            .collect()
    }
}

/// Each speaker's mean voice, learnt from the confident turns of a pass.
#[derive(Debug, Clone, Default)]
pub struct SpeakerVoices {
    /// The expected voice of each turn (its speaker's), when known.
    pub by_turn: Vec<Option<Voice>>,
    /// Typical squared distance of a turn's voice from its speaker's.
    pub spread: f64,
}

impl SpeakerVoices {
    /// Speaker voices from turns `i` covering chunks `bounds[i]..bounds[i+1]`, using only
    /// turns whose `confident[i]` is true and that have [`VoiceConfig::min_learn_frames`] of
    /// speech. Speakers with fewer
    /// than two such turns get none (one turn would only match itself).
    pub fn learn(
        speakers: &[Option<String>],
        bounds: &[usize],
        confident: &[bool],
        index: &VoiceIndex,
    ) -> SpeakerVoices {
        let voices: Vec<Voice> = (0..speakers.len())
            .map(|i| index.voice(bounds[i], bounds[i + 1]))
            .collect();
        let min_frames = index.config.min_learn_frames;
        let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, name) in speakers.iter().enumerate() {
            if let Some(name) = name
                .as_deref()
                .filter(|_| confident[i] && voices[i].frames >= min_frames)
            {
                groups.entry(name).or_default().push(i);
            }
        }
        let means: HashMap<&str, Voice> = groups
            .into_iter()
            .filter(|(_, members)| members.len() >= 2)
            .map(|(name, members)| (name, average(members.iter().map(|&i| &voices[i]))))
            .collect();
        let by_turn: Vec<Option<Voice>> = speakers
            .iter()
            .map(|s| s.as_deref().and_then(|n| means.get(n).copied()))
            .collect();
        let mut distances: Vec<f64> = by_turn
            .iter()
            .zip(&voices)
            .enumerate()
            .filter(|(i, (m, v))| m.is_some() && confident[*i] && v.frames >= min_frames)
            .map(|(_, (m, v))| m.expect("filtered").distance2(v, index.config.pitch_weight))
            .collect();
        let spread = median(&mut distances).unwrap_or(1.0).max(1e-3);
        SpeakerVoices { by_turn, spread }
    }
}

/// Frame-weighted average of voices.
fn average<'a>(voices: impl Iterator<Item = &'a Voice>) -> Voice {
    let mut cepstrum = [0.0; CEPSTRA];
    let (mut frames, mut pitch_sum, mut pitch_frames) = (0.0, 0.0, 0.0);
    for v in voices {
        for (s, c) in cepstrum.iter_mut().zip(&v.cepstrum) {
            *s += c * v.frames;
        }
        frames += v.frames;
        if let Some(p) = v.pitch {
            pitch_sum += p * v.frames;
            pitch_frames += v.frames;
        }
    }
    Voice {
        cepstrum: cepstrum.map(|c| c / frames.max(1.0)),
        pitch: (pitch_frames > 0.0).then(|| pitch_sum / pitch_frames),
        frames,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Frame;

    #[test]
    fn distance_from_matches_distance_of_built_voice() {
        let noise = crate::test_signals::seeded_noise(21, 40 * (CEPSTRA + 3), 3.0);
        let chunks: Vec<Chunk> = noise
            .chunks_exact(CEPSTRA + 3)
            .enumerate()
            .map(|(i, v)| Chunk {
                start: Frame(100 * i as u32),
                end: Frame(100 * i as u32 + 20 + (v[0].abs() * 20.0) as u32),
                score: 1.0,
                pitch_sum: 40.0 * v[1].abs(),
                voiced: (v[2].abs() * 4.0) as u32,
                mean: std::array::from_fn(|k| v[3 + k]),
            })
            .collect();
        let index = VoiceIndex::new(&chunks, VoiceConfig::default());
        let reference = index.voice(3, 9);
        let inverse: Vec<f64> = (0..5000u32).map(|n| 1.0 / f64::from(n.max(1))).collect();
        for (first, end) in [(0, 1), (0, 40), (5, 6), (10, 30), (39, 40)] {
            let expected = reference.distance2(&index.voice(first, end), 3.0);
            for table in [&inverse[..], &[]] {
                let (d2, frames) = index.distance2_from(&reference, first, end, table);
                assert!(
                    (d2 - expected).abs() <= 1e-12 * expected.max(1.0),
                    "{d2} vs {expected}"
                );
                assert_eq!(frames, index.voice(first, end).frames);
            }
        }
    }
}
