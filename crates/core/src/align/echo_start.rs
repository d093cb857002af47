//! A turn heard starting in the echo of the speech before it, or in the quiet before its
//! first sound.
//!
//! In a reverberant room the previous speaker's sound dies away slowly (a hall's echo falls
//! about 60 dB a second), and speech detection and the lattice see no pause before the next
//! turn. The model can then hear the turn's first words in that echo, a second or more
//! before they were said (docs/accuracy.md, session 37). The level says otherwise: an echo
//! only falls, and a new speaker's first sound rises abruptly out of it. So a turn whose
//! heard start lies in such a fall, deep and unbroken until an abrupt onset, starts at that
//! onset. So does one heard starting in a stretch far quieter than that onset, where the
//! echo has died away or there was none: the model can stretch a first word over silence.

use std::ops::Range;

/// Least rise (dB) within [`ONSET_FRAMES`] that is a new sound's onset.
const ONSET_RISE_DB: f32 = 20.0;

/// Frames over which an onset rises (40 ms).
const ONSET_FRAMES: usize = 4;

/// A rise this large (dB, within [`ONSET_FRAMES`]) anywhere between the heard start and the
/// onset is speech there, not an echo's fall.
const DECAY_RISE_DB: f32 = 10.0;

/// How far (dB) the level must have fallen, from its highest in the [`OWN_ONSET_FRAMES`]
/// before the heard start (or the start's first [`LEVEL_FRAMES`]) to its lowest in the
/// [`LEVEL_FRAMES`] before the onset: a pause, not a dip between two syllables.
const DECAY_DEPTH_DB: f32 = 25.0;

/// Shortest fall before the onset (0.2 s); a shorter one is a stop's closure inside a word.
const MIN_DECAY_FRAMES: usize = 20;

/// Longest fall searched for an onset after the heard start (2.5 s).
const MAX_DECAY_FRAMES: usize = 250;

/// Frames before the heard start searched for the sound it falls from and for the rise of
/// its own onset (0.3 s): a start a few frames after its onset has a fall after it too (a
/// drawn-out first word), but the level rose into it.
const OWN_ONSET_FRAMES: usize = 30;

/// Frames (0.1 s) over which a level is read: at the heard start, just before the onset, and
/// at the onset's first sound.
const LEVEL_FRAMES: usize = 10;

/// An onset starts at its first frame this far (dB) over the lowest before its rise.
const ONSET_START_DB: f32 = 6.0;

/// Where a turn heard from `start` (to `end`) really starts: an abrupt onset after it, the
/// level never rising from `start` up to there nor into `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Onset {
    /// The onset's first frame.
    pub frame: usize,
    /// The stretch from the heard start to the onset lies at least [`DECAY_DEPTH_DB`] below
    /// the onset's first [`LEVEL_FRAMES`]: silence, or an echo's last whisper, not speech of
    /// the turn.
    pub quiet_before: bool,
}

/// The [`Onset`] a turn heard over frames `start..end` really starts at, when `start` lies in
/// the fall of earlier sound (from there to an abrupt onset the level never rises, falls by
/// at least [`DECAY_DEPTH_DB`], and did not rise into `start` either) or in a stretch as
/// quiet below the onset. `None` when the heard start stands. `levels` gives each frame's
/// level in dB (any reference), for frames of the recording (fewer at its end).
pub(super) fn onset_after_echo(
    levels: impl Fn(Range<usize>) -> Vec<f32>,
    start: usize,
    end: usize,
) -> Option<Onset> {
    let from = start.saturating_sub(OWN_ONSET_FRAMES);
    let level = levels(from..end.min(start + MAX_DECAY_FRAMES + ONSET_FRAMES));
    // Frame `f` of the recording in `level`; frames past its end read as missing.
    let at = |f: usize| level.get(f - from).copied();
    let max = |r: Range<usize>| r.filter_map(at).fold(f32::MIN, f32::max);
    let min = |r: Range<usize>| r.filter_map(at).fold(f32::MAX, f32::min);
    // The rise into frame `f`: the highest of the next frames over the lowest just before.
    let rise = |f: usize| max(f..f + ONSET_FRAMES) - min(f.saturating_sub(3).max(from)..f + 1);
    let last = (from + level.len())
        .saturating_sub(ONSET_FRAMES)
        .min(end.saturating_sub(5));
    let onset = (start + MIN_DECAY_FRAMES..last).find(|&f| rise(f) >= ONSET_RISE_DB)?;
    let floor = min(onset - 3..onset + 1);
    let begins = (onset - 3..onset + ONSET_FRAMES)
        .find(|&f| at(f).is_some_and(|l| l >= floor + ONSET_START_DB))?;
    if begins < start + MIN_DECAY_FRAMES {
        return None;
    }
    let unbroken =
        (start.saturating_sub(5).max(from + 3)..onset - 3).all(|f| rise(f) < DECAY_RISE_DB);
    let valley = min(onset - LEVEL_FRAMES..onset);
    let deep = max(from..start + LEVEL_FRAMES) - valley >= DECAY_DEPTH_DB;
    let quiet_before = max(onset..onset + LEVEL_FRAMES) - max(start..onset - 3) >= DECAY_DEPTH_DB;
    // The start's own onset: the level rose into it steeply, or out of a pause as deep as
    // the one before the onset (the pause is then inside the turn).
    let before = min(from..start + 1);
    let rise_into = max(start..start + 5) - before;
    let own_onset = rise_into >= ONSET_RISE_DB
        || (rise_into >= DECAY_RISE_DB && before <= valley + DECAY_RISE_DB);
    (unbroken && (deep || quiet_before) && !own_onset).then_some(Onset {
        frame: begins,
        quiet_before,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Levels in dB: `(frames, from, to)` pieces, each a straight line from `from` to `to`.
    fn levels(pieces: &[(usize, f32, f32)]) -> Vec<f32> {
        let mut db = Vec::new();
        for &(n, from, to) in pieces {
            for k in 0..n {
                db.push(from + (to - from) * k as f32 / n.max(2).saturating_sub(1) as f32);
            }
        }
        db
    }

    /// [`onset_after_echo`] on `db`, frame by frame.
    fn found(db: &[f32], start: usize, end: usize) -> Option<Onset> {
        let levels = |r: Range<usize>| db[r.start.min(db.len())..r.end.min(db.len())].to_vec();
        onset_after_echo(levels, start, end)
    }

    /// The frame [`found`] moves the start to.
    fn onset(db: &[f32], start: usize, end: usize) -> Option<usize> {
        found(db, start, end).map(|o| o.frame)
    }

    /// Speech at 50 dB for frames 0..100, its echo falling to `floor` dB over `fall` frames,
    /// `pause` frames at the floor, then the next speaker at 55 dB for 80 frames.
    fn echo(fall: usize, floor: f32, pause: usize) -> Vec<f32> {
        levels(&[
            (100, 50.0, 50.0),
            (fall, 50.0, floor),
            (pause, floor, floor),
            (80, 55.0, 55.0),
        ])
    }

    #[test]
    fn a_start_in_the_echo_moves_to_the_onset_after_it() {
        // The echo falls 0.6 dB a frame to frame 200; the next speaker from frame 220.
        let l = echo(100, -10.0, 20);
        // Heard from frame 120, in the echo: moved to 220.
        assert_eq!(onset(&l, 120, 300), Some(220));
        // Heard at the onset itself: it stands.
        assert_eq!(onset(&l, 220, 300), None);
    }

    #[test]
    fn a_start_in_the_quiet_before_the_onset_moves_to_it() {
        // Silence (digital, dithered: 0 dB) for frames 0..100, then the turn from frame 100:
        // heard from frame 60, its first word stretched over the silence.
        let l = levels(&[(100, 0.0, 0.0), (80, 55.0, 55.0)]);
        assert_eq!(
            found(&l, 60, 180),
            Some(Onset {
                frame: 100,
                quiet_before: true
            })
        );
        // In the echo, the stretch is not that quiet: moved, but for its fall.
        let echoed = found(&echo(100, 20.0, 20), 120, 300);
        assert_eq!(
            echoed,
            Some(Onset {
                frame: 220,
                quiet_before: false
            })
        );
    }

    #[test]
    fn a_start_at_its_own_onset_stands_though_a_pause_follows_its_first_word() {
        // Silence, the turn's first word from frame 50 (heard a little late, at 55), its
        // echo falling into a pause, the next word from frame 200.
        let l = levels(&[
            (50, -10.0, -10.0),
            (30, 50.0, 50.0),
            (100, 50.0, -10.0),
            (20, -10.0, -10.0),
            (80, 55.0, 55.0),
        ]);
        assert_eq!(onset(&l, 55, 280), None);
    }

    #[test]
    fn a_start_that_rose_out_of_a_pause_as_deep_as_the_later_one_stands() {
        // A first word rising 19 dB out of a pause at 30 dB (from frame 50, heard at 70), its
        // fall into a pause at 24 dB, the next word from frame 190.
        let rest = [
            (60, 49.0, 49.0),
            (60, 49.0, 24.0),
            (20, 24.0, 24.0),
            (80, 55.0, 55.0),
        ];
        let after_pause = levels(&[&[(50, 30.0, 30.0)], &rest[..]].concat());
        assert_eq!(onset(&after_pause, 70, 280), None);
        // The same from sound nearly as loud (the turn before's): it falls from there.
        let after_speech = levels(&[&[(50, 45.0, 45.0)], &rest[..]].concat());
        assert_eq!(onset(&after_speech, 70, 280), Some(190));
    }

    #[test]
    fn speech_between_the_start_and_the_onset_keeps_the_start() {
        // In the fall, a syllable rising 15 dB.
        let l = levels(&[
            (100, 50.0, 50.0),
            (40, 50.0, 26.0),
            (3, 26.0, 41.0),
            (57, 41.0, -10.0),
            (20, -10.0, -10.0),
            (80, 55.0, 55.0),
        ]);
        assert_eq!(onset(&l, 120, 300), None);
    }

    #[test]
    fn a_shallow_dip_or_a_short_one_is_no_echo() {
        // Falls only 20 dB before the onset.
        assert_eq!(onset(&echo(100, 30.0, 20), 120, 300), None);
        // Deep, but the onset is 0.15 s after the start: a closure inside a word.
        assert_eq!(onset(&echo(15, -10.0, 5), 101, 200), None);
    }

    #[test]
    fn an_onset_past_the_turns_end_or_the_recording_is_not_looked_for() {
        assert_eq!(onset(&echo(100, -10.0, 20), 120, 215), None);
        let cut = &echo(100, -10.0, 20)[..200];
        assert_eq!(onset(cut, 120, 400), None);
    }
}
