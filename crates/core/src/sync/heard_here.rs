//! Whether cues placed by the speech alone are heard better where they were placed than
//! elsewhere: the evidence that keeps subtitles whose words the English model hears poorly,
//! and refuses another recording's.
//!
//! Another language's words are heard through espeak-ng's phonemes and the English model's
//! nearest phones. A matched file in a language far from English may then have few cues heard
//! clearly in place (espeak-ng's Russian: 1 of 10), and until session 44 any such file was
//! synced by the speech alone, another recording's subtitles too (8 of 12 such pairs were
//! written; docs/sync.md, session 44). Fits that are poor in absolute terms can still be
//! best where the cue really is: each sampled cue is heard at its place and at six places
//! shifted away from it, and the file stands when more cues fit best at their place than
//! chance would give (one in seven).

use super::words::{self, Ears};

/// Cues heard, spread over the cues with words (at most 8 s long: long ones cost the most
/// and tell no more).
const SAMPLE_CUES: usize = 24;

/// Longest cue sampled, ms.
const LONGEST_CUE_MS: i64 = 8000;

/// Audio searched either side of each place, seconds.
const SLACK_S: f64 = 0.5;

/// Places other than a cue's own, in steps of its length plus this gap (seconds), so no
/// shifted window reaches the cue's own audio: ±1, ±2 and ±3 steps.
const SHIFT_GAP_S: f64 = 1.5;

/// The chance that a cue fits best at its own place by luck: one of seven places.
const CHANCE: f64 = 1.0 / 7.0;

/// Largest chance probability of seeing this many cues best in place at which the placement
/// stands: 1 %.
const MAX_P: f64 = 0.01;

/// Fewest other places a cue must be heard at to be judged.
const MIN_OTHER_PLACES: usize = 2;

/// How many sampled cues were judged, and how many of them fit best at their own place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeardHere {
    /// Cues heard at their place and at least [`MIN_OTHER_PLACES`] others.
    pub judged: usize,
    /// Of those, the ones whose words fit strictly better at their place than at every other.
    pub best_here: usize,
}

impl HeardHere {
    /// Whether so many cues fitting best at their place is unlikely by chance (binomial tail
    /// at most [`MAX_P`]): 3 of 3 stand, 6 of 22 do not.
    pub fn stands(&self) -> bool {
        binomial_tail(self.judged, self.best_here, CHANCE) <= MAX_P
    }

    /// Whether too few cues were judged for any count to stand (2 of 2 is likely by chance
    /// once in 49): nothing is told either way.
    pub fn too_few(&self) -> bool {
        binomial_tail(self.judged, self.judged, CHANCE) > MAX_P
    }
}

/// Hears a sample of the cues (time order; `places` their (start, end) in seconds, `speaks`
/// whether each has words) at their places and shifted away from them, within a recording of
/// `duration_s`.
pub fn heard_here(
    ears: Ears,
    places: &[(f64, f64)],
    speaks: &[bool],
    duration_s: f64,
) -> HeardHere {
    let pool: Vec<usize> = (0..places.len())
        .filter(|&k| speaks[k] && places[k].1 - places[k].0 <= LONGEST_CUE_MS as f64 / 1000.0)
        .collect();
    let step = pool.len().div_ceil(SAMPLE_CUES).max(1);
    let sampled: Vec<usize> = pool.iter().step_by(step).copied().collect();
    let shifts: [f64; 7] = [0.0, -1.0, 1.0, -2.0, 2.0, -3.0, 3.0];
    let fits: Vec<Vec<Option<f32>>> = shifts
        .iter()
        .map(|&steps| {
            let mut asked: Vec<Option<(f64, f64)>> = vec![None; places.len()];
            for &k in &sampled {
                let (a, b) = places[k];
                let d = steps * (b - a + SHIFT_GAP_S);
                asked[k] = (a + d >= 0.0 && b + d <= duration_s).then_some((a + d, b + d));
            }
            words::hear(ears, &asked, SLACK_S)
                .into_iter()
                .map(|h| h.map(|(_, fit)| fit))
                .collect()
        })
        .collect();
    let mut judged = 0;
    let mut best_here = 0;
    for &k in &sampled {
        let others: Vec<f32> = fits[1..].iter().filter_map(|f| f[k]).collect();
        if others.len() < MIN_OTHER_PLACES {
            continue;
        }
        judged += 1;
        // Not heard at its own place at all: judged, and not best there.
        if let Some(here) = fits[0][k] {
            best_here += usize::from(others.iter().all(|&g| g < here));
        }
    }
    HeardHere { judged, best_here }
}

/// P(X ≥ k) for X ~ Binomial(n, p).
fn binomial_tail(n: usize, k: usize, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    // The terms from k up, each from the one before: C(n, j+1)/C(n, j) = (n - j)/(j + 1).
    let mut term = (0..k).fold(1.0, |t, j| t * (n - j) as f64 / (j + 1) as f64)
        * p.powi(k as i32)
        * (1.0 - p).powi((n - k) as i32);
    let mut sum = 0.0;
    for j in k..=n {
        sum += term;
        if j < n {
            term *= (n - j) as f64 / (j + 1) as f64 * p / (1.0 - p);
        }
    }
    sum.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binomial_tail_matches_its_sums() {
        assert_eq!(binomial_tail(5, 0, 0.3), 1.0);
        assert!((binomial_tail(3, 3, CHANCE) - CHANCE.powi(3)).abs() < 1e-12);
        // P(X ≥ 1) = 1 − (1 − p)^n.
        assert!((binomial_tail(22, 1, CHANCE) - (1.0 - (6.0f64 / 7.0).powi(22))).abs() < 1e-12);
        assert_eq!(binomial_tail(4, 5, 0.5), 0.0);
    }

    /// Measured in session 44: matched files in languages the model hears poorly had nearly
    /// every judged cue best in place (Russian 9 of 9, Czech 12 of 22); another recording's
    /// subtitles placed by the speech 0–6 of 19–22, or 1 of 3 on a four-cue file.
    #[test]
    fn best_in_place_by_more_than_chance_stands() {
        let stands = |judged, best_here| HeardHere { judged, best_here }.stands();
        assert!(stands(9, 9));
        assert!(stands(22, 12));
        assert!(stands(3, 3));
        assert!(!stands(22, 6));
        assert!(!stands(19, 2));
        assert!(!stands(3, 1));
        assert!(!stands(0, 0));
    }

    #[test]
    fn fewer_than_three_judged_tell_nothing() {
        let too_few = |judged| {
            HeardHere {
                judged,
                best_here: 0,
            }
            .too_few()
        };
        assert!(too_few(0) && too_few(2));
        assert!(!too_few(3));
    }
}
