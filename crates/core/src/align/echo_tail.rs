//! The echo after a turn its words did not place.
//!
//! Speech detection ends a turn where the level falls back to the noise floor. In a room
//! that is where the echo has died away, 0.3–0.4 s after the last sound of the turn: an
//! untranscribed turn, or one whose words were not heard, kept that end (the Drascula
//! scenes in a meeting room and a hall, docs/accuracy.md, session 35). The turns placed by
//! their words show, on this recording, how far the level had fallen below the turn's last
//! peak where their last word ended; an unplaced turn ends where its level last stood
//! within that fall. They also show whether the recording echoes at all (how long the level
//! stays up past their words); a dry recording is left as speech detection ended it.

use std::ops::Range;

use super::{Placement, Snapped};
use crate::stats::median;
use crate::time::Frame;
use crate::vad::FrameScores;

/// Frames before an end searched for the turn's last peak (1 s), and most frames of a
/// run-on measured past a word's end.
const REACH_FRAMES: usize = 100;

/// A word end is measured only when a pause this long follows it (0.3 s): the level there
/// falls into silence (or echo), not into the next word.
const MEASURED_PAUSE_FRAMES: u32 = 30;

/// Word ends needed before the measure is trusted.
const MIN_MEASURED_ENDS: usize = 3;

/// What the turns placed by their words show about how this recording's speech ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Echo {
    /// How far the level (the model's c0) at the end of a turn's last word lies below the
    /// turn's last peak, the median: an unplaced turn ends where its level last stood
    /// within it.
    pub fall: f32,
    /// How many frames after the last word the level stays over the edge threshold, the
    /// median.
    pub tail_frames: f64,
    /// Word ends measured.
    pub measured: usize,
    /// The run-on is at least [`AlignConfig::echo_run_on_s`]: unplaced turns' ends are
    /// trimmed. A dry recording's need no trimming.
    ///
    /// [`AlignConfig::echo_run_on_s`]: super::AlignConfig::echo_run_on_s
    pub echoes: bool,
    /// Ends of turns not placed by their words moved back out of the echo.
    pub trimmed: usize,
}

impl Echo {
    /// The run-on reached the most that is measured (1 s): it is at least `tail_frames`.
    pub fn tail_at_reach(&self) -> bool {
        self.tail_frames >= REACH_FRAMES as f64
    }
}

/// Measures [`Echo`] at the ends of the turns placed by their words that a pause follows:
/// the run-on is over `edge_db`, and the recording echoes from `echo_frames` of it on.
/// `None` when fewer than [`MIN_MEASURED_ENDS`] such ends exist.
pub(super) fn echo_at_word_ends(
    placements: &[Placement],
    snapped: &[Option<Snapped>],
    scores: &FrameScores,
    edge_db: f32,
    echo_frames: f64,
    levels: impl Fn(Range<usize>) -> Vec<f32>,
) -> Option<Echo> {
    let mut falls: Vec<f64> = Vec::new();
    let mut tails: Vec<f64> = Vec::new();
    for (i, s) in snapped.iter().enumerate() {
        let Some(s) = s.as_ref().filter(|s| s.goodness.is_some()) else {
            continue;
        };
        let Some(end) = s.words.iter().map(|w| w.end).max() else {
            continue;
        };
        let next = placements.get(i + 1).map_or(Frame(u32::MAX), |p| p.start);
        if next.0 < end.0.saturating_add(MEASURED_PAUSE_FRAMES) {
            continue;
        }
        let level = levels(end.index().saturating_sub(REACH_FRAMES)..end.index());
        if let Some(&last) = level.last() {
            falls.push(f64::from(peak(&level) - last));
            let tail = (scores.db(end.index()..end.index() + REACH_FRAMES).iter())
                .take_while(|&&db| db >= edge_db)
                .count();
            tails.push(tail as f64);
        }
    }
    if falls.len() < MIN_MEASURED_ENDS {
        return None;
    }
    let tail_frames = median(&mut tails)?;
    Some(Echo {
        measured: falls.len(),
        fall: median(&mut falls)? as f32,
        tail_frames,
        echoes: tail_frames >= echo_frames,
        trimmed: 0,
    })
}

/// The highest of `level` (its turn's last peak).
fn peak(level: &[f32]) -> f32 {
    level.iter().copied().fold(f32::MIN, f32::max)
}

/// Ends each turn its words did not place where its level last stood within `fall` (of an
/// [`Echo`]) of its last peak (searched over the second before its end, inside the turn).
/// Ends only move earlier, and never to the turn's start. Returns how many moved.
pub(super) fn trim_echo_tails(
    placements: &mut [Placement],
    placed_by_words: &[bool],
    levels: impl Fn(Range<usize>) -> Vec<f32>,
    fall: f32,
) -> usize {
    let mut trimmed = 0;
    for (p, _) in placements
        .iter_mut()
        .zip(placed_by_words)
        .filter(|(_, by_words)| !**by_words)
    {
        let from = p
            .end
            .index()
            .saturating_sub(REACH_FRAMES)
            .max(p.start.index());
        let level = levels(from..p.end.index());
        let peak = peak(&level);
        let Some(last) = level.iter().rposition(|&l| l >= peak - fall) else {
            continue;
        };
        let end = Frame((from + last + 1) as u32);
        if end > p.start && end < p.end {
            p.end = end;
            trimmed += 1;
        }
    }
    trimmed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::WordSpan;

    fn levels(scores: &FrameScores) -> impl Fn(Range<usize>) -> Vec<f32> + '_ {
        |frames| scores.db(frames)
    }

    fn placed(start: u32, end: u32) -> Placement {
        Placement {
            start: Frame(start),
            end: Frame(end),
            confidence: 1.0,
        }
    }

    fn heard_to(end: u32) -> Option<Snapped> {
        Some(Snapped {
            start: Frame(end.saturating_sub(50)),
            end: Frame(end),
            match_cost: 0.0,
            words: vec![WordSpan {
                start: Frame(end.saturating_sub(50)),
                end: Frame(end),
            }],
            phones: Vec::new(),
            goodness: Some(-1.0),
            word_fits: Vec::new(),
        })
    }

    /// Levels of speech (40 dB) in `speech` ranges, an echo falling `decay` dB a frame after
    /// each, silence (0 dB) elsewhere.
    fn levels_over(frames: usize, speech: &[(usize, usize)], decay: f32) -> FrameScores {
        let mut db = vec![0.0f32; frames];
        for &(a, b) in speech {
            for d in &mut db[a..b] {
                *d = 40.0;
            }
            for (k, d) in db[b..].iter_mut().take(40).enumerate() {
                *d = d.max(40.0 - decay * k as f32);
            }
        }
        FrameScores::from_db(&db)
    }

    /// A room's echo: 1 dB a frame.
    fn room(frames: usize, speech: &[(usize, usize)]) -> FrameScores {
        levels_over(frames, speech, 1.0)
    }

    /// The echo measured with an edge threshold of 3 dB, the level read from `scores`.
    fn measured(
        placements: &[Placement],
        snapped: &[Option<Snapped>],
        scores: &FrameScores,
    ) -> Option<Echo> {
        echo_at_word_ends(placements, snapped, scores, 3.0, 15.0, levels(scores))
    }

    /// A turn over each of `speech`, its words heard up to `after` frames past the speech.
    fn heard_over(speech: &[(usize, usize)], after: u32) -> (Vec<Placement>, Vec<Option<Snapped>>) {
        speech
            .iter()
            .map(|&(a, b)| {
                let end = b as u32 + after;
                (placed(a as u32, end), heard_to(end))
            })
            .unzip()
    }

    #[test]
    fn the_echo_is_measured_where_heard_words_end_before_a_pause() {
        let speech = [(100, 200), (300, 400), (500, 600), (700, 800)];
        let scores = room(1000, &speech);
        // The words end 11 frames into each echo: the level there is 10 dB below the peak,
        // and it stays over 3 dB for 27 frames more.
        let (placements, snapped) = heard_over(&speech, 11);
        let echo = measured(&placements, &snapped, &scores);
        assert_eq!(
            echo,
            Some(Echo {
                fall: 10.0,
                tail_frames: 27.0,
                measured: 4,
                echoes: true,
                trimmed: 0
            })
        );
        // Too few measured ends: nothing measured.
        assert_eq!(measured(&placements[..2], &snapped[..2], &scores), None);
    }

    #[test]
    fn a_dry_recording_has_no_echo() {
        let speech = [(100, 200), (300, 400), (500, 600), (700, 800)];
        // The level falls 10 dB a frame: the words end 2 frames after the speech, 10 dB
        // below the peak, and 2 frames later it is under 3 dB.
        let scores = levels_over(1000, &speech, 10.0);
        let (placements, snapped) = heard_over(&speech, 2);
        let echo = measured(&placements, &snapped, &scores);
        assert_eq!(echo.map(|e| e.tail_frames), Some(2.0));
        assert!(!echo.unwrap().echoes);
    }

    #[test]
    fn a_word_end_without_a_pause_after_it_measures_nothing() {
        let speech = [(100, 200), (210, 300), (310, 400), (410, 500)];
        let scores = room(1000, &speech);
        // Each next turn starts 5 frames after the words end; only the last end counts.
        let (placements, snapped) = heard_over(&speech, 5);
        assert_eq!(measured(&placements, &snapped, &scores), None);
    }

    #[test]
    fn an_unplaced_turn_ends_where_its_level_fell_as_far_as_heard_words_do() {
        let scores = room(1000, &[(100, 200), (300, 400)]);
        // Speech detection ended both turns where the echo fell to 3 dB.
        let mut placements = vec![placed(100, 237), placed(300, 437)];
        assert_eq!(
            trim_echo_tails(&mut placements, &[false, true], levels(&scores), 10.0),
            1
        );
        // The unplaced turn ends 10 dB down its echo; the placed one keeps its end.
        assert_eq!(placements[0].end, Frame(211));
        assert_eq!(placements[1].end, Frame(437));
    }

    #[test]
    fn a_dip_inside_the_turn_does_not_end_it() {
        // Two words with a pause between them (the level falls 29 dB), then the echo.
        let scores = room(1000, &[(100, 150), (180, 200)]);
        let mut placements = vec![placed(100, 237)];
        trim_echo_tails(&mut placements, &[false], levels(&scores), 10.0);
        assert_eq!(placements[0].end, Frame(211));
    }

    #[test]
    fn an_end_already_at_the_speech_stays() {
        let scores = room(1000, &[(100, 200)]);
        let mut placements = vec![placed(100, 205)];
        assert_eq!(
            trim_echo_tails(&mut placements, &[false], levels(&scores), 10.0),
            0
        );
        assert_eq!(placements[0].end, Frame(205));
    }
}
