//! Speech that no turn claims, left between two turns.
//!
//! The turns the acoustic model places wrong with a good fit are mostly heard a word or a
//! phrase off their true edge: the words fit where the model put them, and the speech they
//! should have covered (a drawn-out opening, a sound that is not the transcript's words) is
//! left between two turns, claimed by neither. Where that speech sounds like the turn's
//! speaker, not the neighbour's, and comes before the turn's words (or after them, where
//! the lattice had given it to the turn), the turn takes it; whatever is still left marks
//! both neighbours as doubtful: speech between two turns is rare where both are right
//! (docs/accuracy.md, sessions 20 and 23).

use super::edge_voice::MIN_MODEL_FRAMES;
use super::{Chunk, Placement};
use crate::features::CEPSTRA;
use crate::time::Frame;

/// How much a second of unclaimed speech beside a turn lowers its confidence, in log-odds.
/// Fitted by `docs/experiments/session-20/fit_unclaimed.py` on every evaluation recording
/// with turn truth (26, all voice families at once).
const LOG_ODDS_PER_S: f64 = 3.5;

/// Least unclaimed speech (seconds) a turn takes back: less is a breath or a click.
const MIN_TAKEN_S: f64 = 0.3;

/// Least distance (seconds) from the heard end to the lattice's for the lattice's to count
/// as another place.
const MIN_LATTICE_LEAD_S: f64 = 0.3;

/// The unclaimed speech's voice must be at most this share of its distance from the
/// neighbour's speaker to go to the turn's own speaker. On the evaluation set the turns
/// whose speech it was measure 0.44-0.75, those whose speech it was not 0.93 and more
/// (docs/accuracy.md, session 20).
const OWN_VOICE_RATIO: f64 = 0.85;

/// What the turn-taking-back rule needs besides placements and chunks.
pub struct Claimants<'a> {
    /// The lattice's placements, before the acoustic model moved them.
    pub lattice: &'a [Placement],
    /// Per turn, whether the acoustic model placed it by its words.
    pub heard: &'a [bool],
    /// Per turn, its normalised speaker.
    pub speakers: &'a [Option<String>],
}

/// A heard turn takes the speech left unclaimed before its first heard word, from the
/// previous turn's end, when that speech sounds like its own speaker's other turns and not
/// like the previous speaker's: an opening the words do not cover (a stammered `DE...`
/// before `DE VERDAD`, an `uh`), wherever the lattice had put it. After its last heard word
/// it takes such speech only from where the lattice had ended it, further out: a turn's
/// run-on is already its own ([`super::heard_ends_to_chunk_ends`]), and the speech after it
/// is more often the next turn's opening (MFA's "Sick Michael" opening with "uh", in the
/// same person's voice as the Michael before). Every move is decided on the placements as
/// they came in.
pub fn take_back_own_unclaimed_speech(
    placements: &mut [Placement],
    chunks: &[Chunk],
    claimants: &Claimants,
) {
    let voices = Voices::new(chunks);
    let before = placements.to_vec();
    let speaker_voice = |speaker: &Option<String>, except: usize| {
        let speaker = speaker.as_ref()?;
        let spans = (0..before.len())
            .filter(|&j| j != except && claimants.speakers[j].as_ref() == Some(speaker))
            .map(|j| (before[j].start.0, before[j].end.0));
        // A voice from less speech than a speaker model needs is a guess (a 45-s clip's
        // speaker with one 0.4-s turn took another's speech).
        voices
            .mean(spans)
            .filter(|(_, frames)| *frames >= MIN_MODEL_FRAMES)
            .map(|(voice, _)| voice)
    };
    // Whether the speech from..to sounds like turn `own`'s speaker rather than `other`'s.
    let sounds_own = |from: u32, to: u32, own: usize, other: usize| {
        if claimants.speakers[own] == claimants.speakers[other] {
            return false;
        }
        let (Some(left), Some(own_voice), Some(other_voice)) = (
            voices
                .mean(std::iter::once((from, to)))
                .map(|(voice, _)| voice),
            speaker_voice(&claimants.speakers[own], own),
            speaker_voice(&claimants.speakers[other], other),
        ) else {
            return false;
        };
        voices.distance(&left, &own_voice) <= OWN_VOICE_RATIO * voices.distance(&left, &other_voice)
    };
    let lead = Frame::from_seconds(MIN_LATTICE_LEAD_S).0;
    for i in 0..before.len() {
        if !claimants.heard.get(i).copied().unwrap_or(false) {
            continue;
        }
        let (p, lattice) = (before[i], claimants.lattice[i]);
        if let Some(previous) = i.checked_sub(1).map(|k| before[k])
            && speech_s(chunks, previous.end.0, p.start.0) >= MIN_TAKEN_S
        {
            let from = previous.end.0;
            let first = chunks.partition_point(|c| c.end.0 <= from);
            if let Some(c) = chunks.get(first).filter(|c| c.start < p.start)
                && sounds_own(from, p.start.0, i, i - 1)
            {
                placements[i].start = Frame(c.start.0.max(from));
            }
        }
        if let Some(next) = before.get(i + 1)
            && p.end.0 + lead < lattice.end.0
            && speech_s(chunks, p.end.0, next.start.0) >= MIN_TAKEN_S
        {
            let to = next.start.min(lattice.end).0;
            let end = chunks.partition_point(|c| c.start.0 < to);
            if let Some(c) = end
                .checked_sub(1)
                .map(|k| &chunks[k])
                .filter(|c| c.end > p.end)
                && sounds_own(p.end.0, to, i, i + 1)
            {
                placements[i].end = Frame(c.end.0.min(to));
            }
        }
    }
}

/// Chunks' mean cepstra, compared per coefficient in units of its spread over the
/// recording's chunks (the low coefficients would otherwise outweigh the rest).
struct Voices<'a> {
    chunks: &'a [Chunk],
    spread: [f64; CEPSTRA],
}

impl<'a> Voices<'a> {
    fn new(chunks: &'a [Chunk]) -> Voices<'a> {
        let n = chunks.len().max(1) as f64;
        let spread = std::array::from_fn(|k| {
            let mean = chunks.iter().map(|c| f64::from(c.mean[k])).sum::<f64>() / n;
            let var = chunks
                .iter()
                .map(|c| (f64::from(c.mean[k]) - mean).powi(2))
                .sum::<f64>()
                / n;
            if var > 0.0 { var.sqrt() } else { 1.0 }
        });
        Voices { chunks, spread }
    }

    /// The mean cepstrum of the chunk speech inside `spans` (frames), each chunk weighted by
    /// its frames inside, and those frames; `None` without any. Empty or reversed spans
    /// hold nothing.
    fn mean(&self, spans: impl Iterator<Item = (u32, u32)>) -> Option<([f64; CEPSTRA], f64)> {
        let mut sum = [0.0; CEPSTRA];
        let mut frames = 0.0;
        for (from, to) in spans.filter(|(from, to)| from < to) {
            let first = self.chunks.partition_point(|c| c.end.0 <= from);
            for c in self.chunks[first..].iter().take_while(|c| c.start.0 < to) {
                let inside = f64::from(c.end.0.min(to) - c.start.0.max(from));
                for (s, m) in sum.iter_mut().zip(&c.mean) {
                    *s += inside * f64::from(*m);
                }
                frames += inside;
            }
        }
        (frames > 0.0).then(|| (sum.map(|s| s / frames), frames))
    }

    fn distance(&self, a: &[f64; CEPSTRA], b: &[f64; CEPSTRA]) -> f64 {
        (0..CEPSTRA)
            .map(|k| ((a[k] - b[k]) / self.spread[k]).powi(2))
            .sum::<f64>()
            .sqrt()
    }
}

/// Per turn, the seconds of speech in the larger of the two gaps beside it: between the
/// previous turn's end and its start, and between its end and the next turn's start. The
/// speech before the first turn and after the last counts for nothing (an intro, a stage
/// note nobody transcribed).
pub fn unclaimed_speech_s(placements: &[Placement], chunks: &[Chunk]) -> Vec<f64> {
    let gaps: Vec<f64> = placements
        .windows(2)
        .map(|pair| speech_s(chunks, pair[0].end.0, pair[1].start.0))
        .collect();
    (0..placements.len())
        .map(|i| {
            let before = i.checked_sub(1).map_or(0.0, |k| gaps[k]);
            let after = gaps.get(i).copied().unwrap_or(0.0);
            before.max(after)
        })
        .collect()
}

/// Lowers each turn's confidence by the unclaimed speech beside it.
pub fn lower_confidence_beside_unclaimed_speech(placements: &mut [Placement], chunks: &[Chunk]) {
    let unclaimed = unclaimed_speech_s(placements, chunks);
    for (p, seconds) in placements.iter_mut().zip(unclaimed) {
        if seconds > 0.0 {
            p.confidence = lowered(p.confidence, seconds);
        }
    }
}

/// `confidence` with its log-odds lowered by [`LOG_ODDS_PER_S`] a second of speech.
fn lowered(confidence: f64, seconds: f64) -> f64 {
    let p = confidence.clamp(1e-9, 1.0 - 1e-9);
    let log_odds = (p / (1.0 - p)).ln() - LOG_ODDS_PER_S * seconds;
    1.0 / (1.0 + (-log_odds).exp())
}

/// Seconds of chunk speech between frames `from` and `to` (none when `to <= from`).
fn speech_s(chunks: &[Chunk], from: u32, to: u32) -> f64 {
    if to <= from {
        return 0.0;
    }
    let first = chunks.partition_point(|c| c.end.0 <= from);
    let frames: u32 = chunks[first..]
        .iter()
        .take_while(|c| c.start.0 < to)
        .map(|c| c.end.0.min(to) - c.start.0.max(from))
        .sum();
    Frame(frames).seconds()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turns(spans: &[(f64, f64)]) -> Vec<Placement> {
        spans
            .iter()
            .map(|&(start, end)| Placement::spanning(start, end, 0.95))
            .collect()
    }

    /// A chunk over `start_s..end_s` in the voice `voice` (every coefficient the same).
    fn voiced(start_s: f64, end_s: f64, voice: f32) -> Chunk {
        Chunk {
            mean: [voice; CEPSTRA],
            ..Chunk::spanning(start_s, end_s)
        }
    }

    const A: f32 = 1.0;
    const B: f32 = -1.0;

    /// The take-back on turns `spans` of speakers A, B, A, B over `chunks`, with the
    /// lattice's placements the same but for `lattice_edit`.
    fn after_take_back(
        chunks: &[Chunk],
        spans: &[(f64, f64)],
        lattice_edit: impl FnOnce(&mut [Placement]),
        heard: [bool; 4],
    ) -> Vec<Placement> {
        let mut placements = turns(spans);
        let mut lattice = placements.clone();
        lattice_edit(&mut lattice);
        let speakers = ["A", "B", "A", "B"].map(|s| Some(s.to_string()));
        let claimants = Claimants {
            lattice: &lattice,
            heard: &heard,
            speakers: &speakers,
        };
        take_back_own_unclaimed_speech(&mut placements, chunks, &claimants);
        placements
    }

    /// B's first turn heard from 6 s where the lattice had it from `lattice_start_s`, the
    /// speech at 4-5.5 s in `left_voice`; B's other turn lasts `other_b_s`.
    fn take_back_with(
        left_voice: f32,
        lattice_start_s: f64,
        heard: [bool; 4],
        other_b_s: f64,
    ) -> Vec<Placement> {
        let chunks = [
            voiced(1.0, 3.0, A),
            voiced(4.0, 5.5, left_voice),
            voiced(6.0, 8.0, B),
            voiced(9.0, 10.0, A),
            voiced(11.0, 11.0 + other_b_s, B),
        ];
        let spans = [
            (1.0, 3.0),
            (6.0, 8.0),
            (9.0, 10.0),
            (11.0, 11.0 + other_b_s),
        ];
        let lattice_start = Frame::from_seconds(lattice_start_s);
        after_take_back(&chunks, &spans, |l| l[1].start = lattice_start, heard)
    }

    fn take_back(left_voice: f32, lattice_start_s: f64, heard: [bool; 4]) -> Vec<Placement> {
        take_back_with(left_voice, lattice_start_s, heard, 2.0)
    }

    #[test]
    fn a_heard_turn_takes_the_speech_in_its_own_voice_before_its_words() {
        let placements = take_back(B, 4.0, [true; 4]);
        assert_eq!(placements[1].start, Frame::from_seconds(4.0));
        assert_eq!(placements[1].end, Frame::from_seconds(8.0));
        // Wherever the lattice had started the turn: inside that speech, or at the words
        // (drascula-es-ch1's `DE... DE VERDAD`, the lattice giving the first `DE` to the
        // previous turn).
        for lattice_start_s in [4.5, 5.9, 6.0] {
            let placements = take_back(B, lattice_start_s, [true; 4]);
            assert_eq!(placements[1].start, Frame::from_seconds(4.0));
        }
        let untouched = turns(&[(1.0, 3.0), (9.0, 10.0), (11.0, 13.0)]);
        let others = [placements[0], placements[2], placements[3]];
        assert_eq!(others, untouched[..]);
    }

    #[test]
    fn speech_in_the_neighbours_voice_or_never_the_turns_stays_unclaimed() {
        let heard_at = Frame::from_seconds(6.0);
        assert_eq!(take_back(A, 4.0, [true; 4])[1].start, heard_at);
        // Not placed by its words: nothing was left behind by them.
        assert_eq!(
            take_back(B, 4.0, [true, false, true, true])[1].start,
            heard_at
        );
    }

    #[test]
    fn a_speaker_heard_for_less_than_a_second_elsewhere_has_no_voice_to_match() {
        // B's only other turn lasts 0.5 s.
        let placements = take_back_with(B, 4.0, [true; 4], 0.5);
        assert_eq!(placements[1].start, Frame::from_seconds(6.0));
        assert_eq!(
            take_back_with(B, 4.0, [true; 4], 1.0)[1].start,
            Frame::from_seconds(4.0)
        );
    }

    #[test]
    fn a_reversed_placement_counts_no_speech_for_its_speaker() {
        // One chunk holds both ends of the reversed span.
        let chunks = [voiced(1.0, 6.0, A), voiced(7.0, 8.0, B)];
        let voices = Voices::new(&chunks);
        let (from, to) = (Frame::from_seconds(5.0).0, Frame::from_seconds(2.0).0);
        assert_eq!(voices.mean([(from, to), (to, to)].into_iter()), None);
        let (voice, frames) = voices.mean([(from, to), (to, from)].into_iter()).unwrap();
        assert_eq!(frames, 300.0);
        assert!(voice.iter().all(|&v| v == f64::from(A)), "{voice:?}");
    }

    #[test]
    fn a_heard_end_takes_back_the_speech_after_it_in_its_own_voice() {
        let chunks = [
            voiced(1.0, 3.0, A),
            voiced(4.0, 6.0, B),
            voiced(6.4, 7.2, B),
            voiced(8.0, 10.0, A),
            voiced(11.0, 13.0, B),
        ];
        let spans = [(1.0, 3.0), (4.0, 6.0), (8.0, 10.0), (11.0, 13.0)];
        let lattice_end = Frame::from_seconds(7.5);
        let placements = after_take_back(&chunks, &spans, |l| l[1].end = lattice_end, [true; 4]);
        assert_eq!(placements[1].end, Frame::from_seconds(7.2));
        assert_eq!(placements[2].start, Frame::from_seconds(8.0));
        // The lattice too ended the turn at its words: the speech after it stays unclaimed.
        let placements = after_take_back(&chunks, &spans, |_| {}, [true; 4]);
        assert_eq!(placements[1].end, Frame::from_seconds(6.0));
    }

    #[test]
    fn speech_left_between_two_turns_lowers_both() {
        // The second turn's words were heard from 6 s; the chunk at 4-5.5 s is nobody's.
        let chunks = [
            Chunk::spanning(1.0, 3.0),
            Chunk::spanning(4.0, 5.5),
            Chunk::spanning(6.0, 8.0),
            Chunk::spanning(9.0, 10.0),
        ];
        let mut placements = turns(&[(1.0, 3.0), (6.0, 8.0), (9.0, 10.0)]);
        let unclaimed = unclaimed_speech_s(&placements, &chunks);
        assert!((unclaimed[0] - 1.5).abs() < 1e-9, "{unclaimed:?}");
        assert!((unclaimed[1] - 1.5).abs() < 1e-9, "{unclaimed:?}");
        assert_eq!(unclaimed[2], 0.0);
        lower_confidence_beside_unclaimed_speech(&mut placements, &chunks);
        assert!(placements[0].confidence < 0.1, "{placements:?}");
        assert!(placements[1].confidence < 0.1, "{placements:?}");
        assert_eq!(placements[2].confidence, 0.95);
    }

    #[test]
    fn pauses_overlaps_and_speech_outside_the_turns_cost_nothing() {
        // Speech before the first turn and after the last is not between turns; the
        // second and third turns overlap; the gap between the first two is a pause.
        let chunks = [
            Chunk::spanning(0.0, 0.8),
            Chunk::spanning(1.0, 3.0),
            Chunk::spanning(3.5, 6.0),
            Chunk::spanning(7.0, 9.0),
        ];
        let mut placements = turns(&[(1.0, 3.0), (3.5, 5.0), (4.9, 6.0)]);
        assert_eq!(unclaimed_speech_s(&placements, &chunks), [0.0, 0.0, 0.0]);
        lower_confidence_beside_unclaimed_speech(&mut placements, &chunks);
        assert!(placements.iter().all(|p| p.confidence == 0.95));
    }

    #[test]
    fn a_part_of_a_chunk_counts_as_much_as_lies_in_the_gap() {
        // The first turn ends 0.3 s into the chunk the second starts 1 s into.
        let chunks = [Chunk::spanning(2.0, 5.0)];
        let placements = turns(&[(1.0, 2.3), (3.0, 5.0)]);
        let unclaimed = unclaimed_speech_s(&placements, &chunks);
        assert!((unclaimed[0] - 0.7).abs() < 1e-9, "{unclaimed:?}");
    }

    #[test]
    fn more_unclaimed_speech_means_less_confidence() {
        assert!(lowered(0.9, 0.2) < 0.9);
        assert!(lowered(0.9, 1.0) < lowered(0.9, 0.2));
        assert!(lowered(1.0, 5.0).is_finite() && lowered(0.0, 0.1) >= 0.0);
    }
}
