//! Edge words heard in the neighbour's voice.
//!
//! Inside a run the boundary between two speakers' turns is decided by their words alone,
//! and a turn's last (first) words can be put on the next (previous) speaker's speech
//! across a pause: "THE PLACE" stretched over the next speaker's "IS...", whose own words
//! then started 1.2 s late. The words cannot tell whose voice that is; each speaker's
//! cepstral mean and variance over the words of all their turns can. An edge group (the
//! words beyond a turn's first or last pause) whose frames are far likelier under the
//! neighbour's speaker than under its own, while the rest of its turn is not, was heard on
//! the neighbour's speech.

use std::ops::Range;

use crate::acoustic::frontend::NCEP;

/// Cepstral coefficients compared: c1..c12 (c0, the level, says more about the
/// microphone distance than about the voice).
const DIMS: usize = NCEP - 1;

/// Frames of words a speaker needs for a voice model (1 s).
pub(super) const MIN_MODEL_FRAMES: f64 = 100.0;

/// Frames an edge group needs to be judged.
pub(super) const MIN_GROUP_FRAMES: usize = 10;

/// Most words in an edge group; a group may also hold at most half its turn's words.
pub(super) const MAX_GROUP_WORDS: usize = 3;

/// Variance floor of a speaker's model, as a share of the variance over every speaker.
const VARIANCE_FLOOR: f64 = 0.01;

/// Sums of frames' cepstra c1..c12 and their squares: a voice's mean and variance, to which
/// frames can be added and from which they can be taken away.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct VoiceStats {
    sum: [f64; DIMS],
    squares: [f64; DIMS],
    frames: f64,
}

impl Default for VoiceStats {
    fn default() -> Self {
        VoiceStats {
            sum: [0.0; DIMS],
            squares: [0.0; DIMS],
            frames: 0.0,
        }
    }
}

impl VoiceStats {
    /// Statistics of `frames`.
    #[cfg(test)]
    pub(super) fn of(frames: &[[f32; NCEP]]) -> VoiceStats {
        let mut s = VoiceStats::default();
        for f in frames {
            s.add(f);
        }
        s
    }

    /// Adds one frame.
    pub(super) fn add(&mut self, frame: &[f32; NCEP]) {
        for k in 0..DIMS {
            let x = f64::from(frame[k + 1]);
            self.sum[k] += x;
            self.squares[k] += x * x;
        }
        self.frames += 1.0;
    }

    /// These statistics with `other`'s added.
    pub(super) fn plus(&self, other: &VoiceStats) -> VoiceStats {
        VoiceStats {
            sum: std::array::from_fn(|k| self.sum[k] + other.sum[k]),
            squares: std::array::from_fn(|k| self.squares[k] + other.squares[k]),
            frames: self.frames + other.frames,
        }
    }

    /// These statistics with `other`'s (a part of them) taken away.
    pub(super) fn minus(&self, other: &VoiceStats) -> VoiceStats {
        VoiceStats {
            sum: std::array::from_fn(|k| self.sum[k] - other.sum[k]),
            squares: std::array::from_fn(|k| self.squares[k] - other.squares[k]),
            frames: self.frames - other.frames,
        }
    }

    /// Frames counted.
    pub(super) fn frames(&self) -> f64 {
        self.frames
    }

    /// Per-coefficient variance (0 without frames).
    fn variance(&self) -> [f64; DIMS] {
        let n = self.frames.max(1.0);
        std::array::from_fn(|k| {
            let mean = self.sum[k] / n;
            (self.squares[k] / n - mean * mean).max(0.0)
        })
    }

    /// A diagonal Gaussian of these frames, its variance floored at [`VARIANCE_FLOOR`] of
    /// `overall`'s; `None` below [`MIN_MODEL_FRAMES`].
    pub(super) fn model(&self, overall: &VoiceStats) -> Option<VoiceModel> {
        if self.frames < MIN_MODEL_FRAMES {
            return None;
        }
        let (own, all) = (self.variance(), overall.variance());
        Some(VoiceModel {
            mean: std::array::from_fn(|k| self.sum[k] / self.frames),
            variance: std::array::from_fn(|k| own[k].max(VARIANCE_FLOOR * all[k]).max(1e-9)),
        })
    }
}

/// A speaker's voice: a diagonal Gaussian over cepstra c1..c12.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct VoiceModel {
    mean: [f64; DIMS],
    variance: [f64; DIMS],
}

impl VoiceModel {
    /// Mean per-frame log-likelihood of the frames summarised by `stats` (the constant
    /// term left out: only differences between models are read).
    pub(super) fn mean_log_likelihood(&self, stats: &VoiceStats) -> f64 {
        let n = stats.frames.max(1.0);
        (0..DIMS)
            .map(|k| {
                // Mean of (x - mean)^2 over the frames, from their sums.
                let m1 = stats.sum[k] / n;
                let m2 = stats.squares[k] / n;
                let spread = m2 - 2.0 * self.mean[k] * m1 + self.mean[k] * self.mean[k];
                -0.5 * (spread / self.variance[k] + self.variance[k].ln())
            })
            .sum()
    }
}

/// The words (indices into `spans`, frames start..end; empty spans are words without a
/// pronunciation and are skipped) beyond a turn's first pause longer than `gap` frames
/// (`head`) or its last (`!head`), when they are at most [`MAX_GROUP_WORDS`] and at most half
/// the turn's words, and fill at least [`MIN_GROUP_FRAMES`].
pub(super) fn edge_group(spans: &[Range<usize>], gap: usize, head: bool) -> Option<Vec<usize>> {
    let words: Vec<usize> = (0..spans.len()).filter(|&k| !spans[k].is_empty()).collect();
    let n = words.len();
    if n < 2 {
        return None;
    }
    let pause = |a: usize, b: usize| spans[words[b]].start.saturating_sub(spans[words[a]].end);
    let split = if head {
        (1..n).find(|&b| pause(b - 1, b) > gap)?
    } else {
        (1..n).rev().find(|&b| pause(b - 1, b) > gap)?
    };
    let group: Vec<usize> = if head {
        words[..split].to_vec()
    } else {
        words[split..].to_vec()
    };
    let frames: usize = group.iter().map(|&k| spans[k].len()).sum();
    (group.len() <= MAX_GROUP_WORDS && 2 * group.len() <= n && frames >= MIN_GROUP_FRAMES)
        .then_some(group)
}

/// Whether an edge group with statistics `group` sounds like the neighbour's speaker
/// (`theirs`) rather than its own (`own`, learnt without the group) by more than `bar`
/// nats a frame, while the rest of its turn (`rest`) does not.
pub(super) fn in_neighbours_voice(
    group: &VoiceStats,
    rest: &VoiceStats,
    own: &VoiceModel,
    theirs: &VoiceModel,
    bar: f64,
) -> bool {
    lean(group, own, theirs) > bar && lean(rest, own, theirs) < 0.0
}

/// How much likelier, in nats a frame, the frames summarised by `stats` are under `theirs`
/// than under `own`.
pub(super) fn lean(stats: &VoiceStats, own: &VoiceModel, theirs: &VoiceModel) -> f64 {
    theirs.mean_log_likelihood(stats) - own.mean_log_likelihood(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames around `centre` (c1..c12), spread by a seeded noise of `spread`.
    fn voice(seed: u64, centre: f32, spread: f32, frames: usize) -> Vec<[f32; NCEP]> {
        let noise = crate::test_signals::seeded_noise(seed, frames * NCEP, spread);
        noise
            .chunks_exact(NCEP)
            .map(|n| std::array::from_fn(|k| if k == 0 { 50.0 } else { centre + n[k] }))
            .collect()
    }

    #[test]
    fn edge_groups_are_the_words_past_the_first_or_last_pause() {
        let spans = vec![0..20, 80..120, 120..160, 160..200, 260..300];
        assert_eq!(edge_group(&spans, 50, true), Some(vec![0]));
        assert_eq!(edge_group(&spans, 50, false), Some(vec![4]));
        // No pause longer than the gap: no group.
        assert_eq!(edge_group(&spans, 60, true), None);
        // A word without a pronunciation (empty span) is not a word of the group.
        let spans = vec![0..20, 20..20, 80..120, 120..160];
        assert_eq!(edge_group(&spans, 50, true), Some(vec![0]));
        // More than half the words past the pause: the pause parts the turn, not an edge.
        let spans = vec![0..20, 20..40, 100..140];
        assert_eq!(edge_group(&spans, 50, true), None);
        // Too short to judge.
        let spans = vec![0..5, 80..120, 120..160];
        assert_eq!(edge_group(&spans, 50, true), None);
    }

    #[test]
    fn a_group_in_the_neighbours_voice_is_told_from_one_in_its_own() {
        let mine = VoiceStats::of(&voice(1, 0.0, 1.0, 400));
        let theirs = VoiceStats::of(&voice(2, 2.0, 1.0, 400));
        let overall = mine.plus(&theirs);
        let (own, other) = (
            mine.model(&overall).expect("400 frames"),
            theirs.model(&overall).expect("400 frames"),
        );
        let rest = VoiceStats::of(&voice(3, 0.0, 1.0, 200));
        let heard_over_them = VoiceStats::of(&voice(4, 2.0, 1.0, 40));
        let really_mine = VoiceStats::of(&voice(5, 0.0, 1.0, 40));
        assert!(in_neighbours_voice(
            &heard_over_them,
            &rest,
            &own,
            &other,
            0.5
        ));
        assert!(!in_neighbours_voice(&really_mine, &rest, &own, &other, 0.5));
        assert!(lean(&heard_over_them, &own, &other) > 0.5);
        assert!(lean(&really_mine, &own, &other) < 0.0);
        // A turn whose other words sound like the neighbour too is not judged by its edge.
        let rest_theirs = VoiceStats::of(&voice(6, 2.0, 1.0, 200));
        assert!(!in_neighbours_voice(
            &heard_over_them,
            &rest_theirs,
            &own,
            &other,
            0.5
        ));
        // Too few frames for a model.
        assert!(
            VoiceStats::of(&voice(7, 0.0, 1.0, 50))
                .model(&overall)
                .is_none()
        );
        // Statistics taken away are those added.
        let both = mine.plus(&rest);
        let back = both.minus(&rest);
        assert!((back.frames() - mine.frames()).abs() < 1e-9);
        assert!((own.mean_log_likelihood(&back) - own.mean_log_likelihood(&mine)).abs() < 1e-6);
    }
}
