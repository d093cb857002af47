//! Confidence beside speech that no turn claims.
//!
//! The turns the acoustic model places wrong with a good fit are mostly heard a word or a
//! phrase off their true edge: the words fit where the model put them, and the speech they
//! should have covered is left between two turns, claimed by neither. Speech between two
//! turns is rare where both are right (a breath, a cough), so it marks both neighbours as
//! doubtful (docs/accuracy.md, session 20).

use super::{Chunk, Placement};
use crate::time::Frame;

/// How much a second of unclaimed speech beside a turn lowers its confidence, in log-odds.
/// Fitted by `docs/experiments/session-20/fit_unclaimed.py` on every evaluation recording
/// with turn truth (26, all voice families at once).
const LOG_ODDS_PER_S: f64 = 3.5;

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
