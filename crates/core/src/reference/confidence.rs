//! Confidence after the reference warp: the probability that a turn's start and end are both
//! within 0.5 s, from what the aligner saw.
//!
//! A logistic model over evidence that predicts errors: how far the warp moved a turn from
//! the lattice's placement (the two methods disagreeing), how well the turn's reference
//! matched the recording relative to the recording's other turns, and the lattice's own
//! posterior. Untranscribed turns have no reference, so their evidence is how far their
//! neighbours moved. Weights fitted on nine recordings by `scripts/fit_confidence.py`
//! (docs/accuracy.md).

use crate::align::{Placement, Snapped};

/// Intercept, ln(1 + moved s), relative match cost, lattice posterior.
const TRANSCRIBED: [f64; 4] = [5.066, -0.929, -1.375, -0.199];
/// Intercept, ln(1 + neighbours' largest move s), lattice posterior.
const UNTRANSCRIBED: [f64; 3] = [2.854, -1.12, 0.666];

/// Confidence per turn, given the lattice's placements (with their posteriors) and what the
/// warp found. Turns are in order; `snapped` has one entry per turn.
pub fn after_snap(lattice: &[Placement], snapped: &[Option<Snapped>]) -> Vec<f64> {
    let moved: Vec<f64> = lattice
        .iter()
        .zip(snapped)
        .map(|(p, s)| {
            s.as_ref().map_or(0.0, |s| {
                (s.start.seconds() - p.start_s())
                    .abs()
                    .max((s.end.seconds() - p.end_s()).abs())
            })
        })
        .collect();
    let mut costs: Vec<f32> = snapped.iter().flatten().map(|s| s.match_cost).collect();
    costs.sort_by(f32::total_cmp);
    let median = f64::from(costs.get(costs.len() / 2).copied().unwrap_or(1.0)).max(1e-6);
    (0..lattice.len())
        .map(|i| {
            let posterior = lattice[i].confidence;
            let z = match &snapped[i] {
                Some(s) => {
                    let relative = (f64::from(s.match_cost) / median).min(10.0);
                    let w = TRANSCRIBED;
                    w[0] + w[1] * moved[i].ln_1p() + w[2] * relative + w[3] * posterior
                }
                None => {
                    let neighbours = [i.wrapping_sub(1), i + 1]
                        .into_iter()
                        .filter_map(|j| moved.get(j))
                        .fold(0.0f64, |a, &b| a.max(b));
                    let w = UNTRANSCRIBED;
                    w[0] + w[1] * neighbours.ln_1p() + w[2] * posterior
                }
            };
            1.0 / (1.0 + (-z).exp())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Frame;

    fn placed(start_s: f64, end_s: f64) -> Placement {
        Placement::spanning(start_s, end_s, 0.9)
    }

    fn snapped(start_s: f64, end_s: f64, match_cost: f32) -> Option<Snapped> {
        Some(Snapped {
            start: Frame::from_seconds(start_s),
            end: Frame::from_seconds(end_s),
            match_cost,
            words: Vec::new(),
            phones: Vec::new(),
            goodness: None,
            word_fits: Vec::new(),
        })
    }

    #[test]
    fn agreement_and_a_good_match_are_confident_a_big_move_and_poor_match_are_not() {
        let lattice = [
            placed(0.0, 5.0),
            placed(6.0, 9.0),
            placed(10.0, 12.0),
            placed(13.0, 20.0),
        ];
        let found = [
            snapped(0.02, 5.0, 1.0),
            snapped(9.0, 9.5, 1.6),
            None,
            snapped(13.0, 20.1, 0.9),
        ];
        let c = after_snap(&lattice, &found);
        assert!(c.iter().all(|c| (0.0..=1.0).contains(c)));
        assert!(c[0] > 0.9 && c[3] > 0.9, "{c:?}");
        assert!(
            c[1] < 0.85 && c[1] < c[0] - 0.1,
            "moved 3 s, poor match: {c:?}"
        );
        // The untranscribed turn next to a turn that moved far is less sure than its
        // lattice posterior alone would make it.
        let calm = [
            found[0].clone(),
            snapped(6.0, 9.0, 1.0),
            None,
            found[3].clone(),
        ];
        let calm = after_snap(&lattice, &calm);
        assert!(c[2] < calm[2], "{} vs {}", c[2], calm[2]);
    }
}
