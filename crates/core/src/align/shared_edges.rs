//! Doubt shared across a boundary inside speech.
//!
//! Two turns that meet with no pause between them share one boundary: wherever it is put,
//! it moves both. The turns still off by more than a second are mostly such pairs (in a
//! room, one turn's words heard over the opening of the next): one side fits poorly and
//! knows it, the other fits well and does not (docs/accuracy.md, sessions 33–34 and 43).
//! So a turn is no surer than a neighbour it touches. Only where the acoustic model heard
//! the turns: the lattice alone moves whole runs, not one boundary.

use super::Placement;

/// Turns closer than this (frames) meet inside speech. Where a pause lies between two turns,
/// the lattice leaves at least a chunk gap (80 ms) and heard words the pause the model heard.
/// On every evaluation recording at once, 20–100 ms caught the same misplaced turns, and
/// 20–50 ms gave the lowest log loss (docs/accuracy.md, session 43).
const TOUCH_FRAMES: i64 = 5;

/// Lowers each turn's confidence to that of a neighbour it touches, where that one's is
/// lower. Reads the confidences as they were, so doubt crosses one boundary, not a run.
pub fn share_doubt_at_touching_edges(placements: &mut [Placement]) {
    let before: Vec<f64> = placements.iter().map(|p| p.confidence).collect();
    let touching =
        |a: &Placement, b: &Placement| i64::from(b.start.0) - i64::from(a.end.0) < TOUCH_FRAMES;
    for i in 0..placements.len() {
        let mut confidence = before[i];
        if i > 0 && touching(&placements[i - 1], &placements[i]) {
            confidence = confidence.min(before[i - 1]);
        }
        if i + 1 < placements.len() && touching(&placements[i], &placements[i + 1]) {
            confidence = confidence.min(before[i + 1]);
        }
        placements[i].confidence = confidence;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confidences(turns: &[(f64, f64, f64)]) -> Vec<f64> {
        let mut placements: Vec<Placement> = turns
            .iter()
            .map(|&(start, end, confidence)| Placement::spanning(start, end, confidence))
            .collect();
        share_doubt_at_touching_edges(&mut placements);
        placements.iter().map(|p| p.confidence).collect()
    }

    #[test]
    fn a_sure_turn_is_no_surer_than_an_unsure_one_it_touches() {
        // The second meets the first and the third at once (and overlaps the third).
        let got = confidences(&[(0.0, 2.0, 0.3), (2.0, 4.0, 0.98), (3.9, 6.0, 0.9)]);
        assert_eq!(got, vec![0.3, 0.3, 0.9]);
        let got = confidences(&[(0.0, 2.0, 0.98), (2.0, 4.0, 0.4)]);
        assert_eq!(got, vec![0.4, 0.4]);
    }

    #[test]
    fn a_pause_between_turns_keeps_their_doubts_apart() {
        let got = confidences(&[(0.0, 2.0, 0.3), (2.08, 4.0, 0.98), (5.0, 6.0, 0.1)]);
        assert_eq!(got, vec![0.3, 0.98, 0.1]);
        // Just under the limit they touch.
        let got = confidences(&[(0.0, 2.0, 0.3), (2.04, 4.0, 0.98)]);
        assert_eq!(got, vec![0.3, 0.3]);
    }

    #[test]
    fn doubt_crosses_one_boundary_not_a_run() {
        let got = confidences(&[
            (0.0, 1.0, 0.2),
            (1.0, 2.0, 0.9),
            (2.0, 3.0, 0.95),
            (3.0, 4.0, 0.99),
        ]);
        assert_eq!(got, vec![0.2, 0.2, 0.9, 0.95]);
    }
}
