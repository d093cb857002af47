//! The reference: each transcribed turn spoken by espeak-ng and analysed into the same
//! per-frame cepstra the recording has, so the aligner can match words to sounds.

use std::sync::mpsc;

use rayon::iter::{ParallelBridge, ParallelIterator};

use crate::espeak::{self, Unavailable};
use crate::features::{Extractor, FeatureBlock};
use crate::resample::To16k;
use crate::time::FRAME_RATE;

use crate::features::{CEPSTRA, quantise};

/// A reference frame is speech when its energy is within this many dB of the turn's loudest.
const SPEECH_RANGE_DB: f32 = 40.0;
/// Frames of silence kept around a turn's first and last speech.
const PAD_FRAMES: usize = 5;
/// Spoken turns waiting for analysis: bounds the raw audio held at once.
const QUEUE: usize = 2;

/// One turn as the reference voice speaks it, at 100 frames per second.
#[derive(Debug, Clone, PartialEq)]
pub struct SpokenTurn {
    /// Cepstra c1..c12 per frame, quantised as the recording's are (12 bytes a frame).
    pub cepstra: Vec<[i8; CEPSTRA]>,
    /// Whether each frame is speech (the reference has no noise, so energy decides).
    pub speech: Vec<bool>,
    /// Frame where each of the turn's words starts, in the order of `Turn::words`.
    pub word_starts: Vec<usize>,
}

impl SpokenTurn {
    /// Frames.
    pub fn len(&self) -> usize {
        self.cepstra.len()
    }

    /// True when there are no frames.
    pub fn is_empty(&self) -> bool {
        self.cepstra.is_empty()
    }

    /// First and one-past-last speech frame.
    pub fn speech_span(&self) -> Option<(usize, usize)> {
        let first = self.speech.iter().position(|&s| s)?;
        let last = self.speech.iter().rposition(|&s| s)?;
        Some((first, last + 1))
    }
}

/// Speaks every turn that has words (`None` entries are skipped) with espeak-ng voice
/// `voice` at `rate_wpm`. Synthesis is serial (espeak-ng is single-threaded) and feeds the
/// analysis of each turn, on the rayon pool, through a short queue, so only a few turns'
/// audio is held at a time.
pub fn speak_turns(
    turns: &[Option<Vec<&str>>],
    voice: &str,
    rate_wpm: u32,
) -> Result<Vec<Option<SpokenTurn>>, Unavailable> {
    espeak::available()?;
    let (sender, receiver) = mpsc::sync_channel(QUEUE);
    std::thread::scope(|scope| {
        let speaker = scope.spawn(move || -> Result<(), Unavailable> {
            for (i, words) in turns.iter().enumerate() {
                if let Some(words) = words.as_ref().filter(|w| !w.is_empty()) {
                    let (text, offsets) = join_words(words);
                    let utterance = espeak::speak(&text, voice, rate_wpm)?;
                    if sender.send((i, utterance, offsets)).is_err() {
                        break;
                    }
                }
            }
            Ok(())
        });
        let analysed: Vec<(usize, SpokenTurn)> = receiver
            .into_iter()
            .par_bridge()
            .map(|(i, utterance, offsets)| (i, analyse(&utterance, &offsets)))
            .collect();
        speaker.join().expect("synthesis does not panic")?;
        let mut spoken: Vec<Option<SpokenTurn>> = vec![None; turns.len()];
        for (i, turn) in analysed {
            spoken[i] = Some(turn);
        }
        Ok(spoken)
    })
}

/// The words joined by spaces, and each word's character offset in the result.
fn join_words(words: &[&str]) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut offsets = Vec::with_capacity(words.len());
    let mut chars = 0;
    for w in words {
        if !text.is_empty() {
            text.push(' ');
            chars += 1;
        }
        offsets.push(chars);
        text.push_str(w);
        chars += w.chars().count();
    }
    (text, offsets)
}

/// Samples converted and resampled per step: keeps a long turn's analysis small.
const STEP_SAMPLES: usize = 8192;

fn analyse(utterance: &espeak::Utterance, word_offsets: &[usize]) -> SpokenTurn {
    // Streamed: espeak-ng's samples → 16 kHz → features, keeping only each frame's energy and
    // quantised cepstra.
    let mut energy_db = Vec::new();
    let mut all_cepstra: Vec<[i8; CEPSTRA]> = Vec::new();
    let mut keep = |block: FeatureBlock| {
        energy_db.extend_from_slice(&block.energy_db);
        all_cepstra.extend((0..block.len()).map(|i| {
            let mut c = [0; CEPSTRA];
            for (q, &v) in c.iter_mut().zip(&block.mfcc_of(i)[1..]) {
                *q = quantise(v);
            }
            c
        }));
    };
    let mut extractor = Extractor::new();
    // espeak-ng's rate is a valid audio rate; a resampler for it always builds.
    if let Ok(mut resampler) = To16k::new(utterance.sample_rate) {
        let mut input = Vec::with_capacity(STEP_SAMPLES);
        let mut at16k = Vec::new();
        for piece in utterance.samples.chunks(STEP_SAMPLES) {
            input.clear();
            input.extend(piece.iter().map(|&s| f32::from(s) / 32768.0));
            at16k.clear();
            resampler.push(&input, &mut at16k);
            extractor.push(&at16k, &mut keep);
        }
        at16k.clear();
        resampler.finish(&mut at16k);
        extractor.push(&at16k, &mut keep);
    }
    extractor.finish(&mut keep);
    let loudest = energy_db.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let speech: Vec<bool> = energy_db
        .iter()
        .map(|&e| e >= loudest - SPEECH_RANGE_DB)
        .collect();
    let first = speech.iter().position(|&s| s).unwrap_or(0);
    let last = speech.iter().rposition(|&s| s).map_or(0, |l| l + 1);
    let from = first.saturating_sub(PAD_FRAMES);
    let to = (last + PAD_FRAMES).min(speech.len());
    // espeak-ng starts and stops speaking right at the edges; pad so that every turn begins
    // and ends with silence, as speech in a recording does.
    let lead = PAD_FRAMES - (first - from);
    let trail = PAD_FRAMES - (to - last);
    let frames_per_sample = f64::from(FRAME_RATE) / f64::from(utterance.sample_rate);
    let event_frames: Vec<(usize, usize)> = utterance
        .words
        .iter()
        .map(|&(chars, sample)| (chars, (sample as f64 * frames_per_sample) as usize))
        .collect();
    let word_starts = word_frames(word_offsets, &event_frames)
        .into_iter()
        .map(|f| f.clamp(from, to.max(from + 1) - 1) - from + lead)
        .collect();
    let mut cepstra = vec![[0; CEPSTRA]; lead];
    cepstra.extend_from_slice(&all_cepstra[from..to]);
    cepstra.extend(std::iter::repeat_n([0; CEPSTRA], trail));
    let mut speech_frames = vec![false; lead];
    speech_frames.extend_from_slice(&speech[from..to]);
    speech_frames.extend(std::iter::repeat_n(false, trail));
    SpokenTurn {
        cepstra,
        speech: speech_frames,
        word_starts,
    }
}

/// Frame where each word starts, from espeak-ng's word events (character offset, frame).
/// A word without its own event (espeak-ng may merge or split words) takes the frame of the
/// last event at or before it.
fn word_frames(word_offsets: &[usize], events: &[(usize, usize)]) -> Vec<usize> {
    let mut frames = Vec::with_capacity(word_offsets.len());
    let mut e = 0;
    let mut current = events.first().map_or(0, |ev| ev.1);
    for (w, &offset) in word_offsets.iter().enumerate() {
        let next_offset = word_offsets.get(w + 1).copied().unwrap_or(usize::MAX);
        let mut own = None;
        while e < events.len() && events[e].0 < next_offset {
            if own.is_none() && events[e].0 >= offset {
                own = Some(events[e].1);
            }
            current = events[e].1;
            e += 1;
        }
        let frame = own.unwrap_or(current);
        frames.push(frame.max(frames.last().copied().unwrap_or(0)));
    }
    frames
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_words_know_their_character_offsets() {
        let (text, offsets) = join_words(&["Día", "uno,", "dos."]);
        assert_eq!(text, "Día uno, dos.");
        assert_eq!(offsets, vec![0, 4, 9]);
    }

    #[test]
    fn words_without_their_own_event_take_the_previous_one() {
        // Words at characters 0, 4, 9; espeak-ng reported only the first and third.
        let frames = word_frames(&[0, 4, 9], &[(0, 3), (9, 40)]);
        assert_eq!(frames, vec![3, 3, 40]);
        // A word espeak-ng split in two keeps the first part's frame.
        let frames = word_frames(&[0, 6], &[(0, 0), (3, 10), (6, 25)]);
        assert_eq!(frames, vec![0, 25]);
    }

    #[test]
    fn a_spoken_turn_has_speech_in_the_middle_and_ordered_words() {
        let words = ["That's", "the", "only", "solution?"];
        let spoken = speak_turns(&[Some(words.to_vec()), None], "en", 175).expect("espeak-ng");
        assert!(spoken[1].is_none());
        let turn = spoken[0].as_ref().unwrap();
        let (first, last) = turn.speech_span().unwrap();
        assert!(first <= PAD_FRAMES + 1 && turn.len() - last <= PAD_FRAMES + 1);
        assert!((80..250).contains(&turn.len()), "{} frames", turn.len());
        assert_eq!(turn.word_starts.len(), 4);
        assert!(turn.word_starts.windows(2).all(|w| w[0] < w[1]));
    }
}
