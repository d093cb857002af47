//! Turns the words did not place, put back between the turns they did.
//!
//! The evidence moves the turns it hears and nudges their unheard neighbours' edges; when
//! the lattice had shifted a whole stretch (two turns of one speaker in a row, say) and the
//! evidence moved only some of it, an unheard turn can be left where it was, behind a heard
//! one, or with its start moved past its end. Such a run of unplaced turns is placed again
//! by the lattice, anchored: inside the gap its placed neighbours leave, over that gap's
//! speech alone (recursive anchored alignment, with the lattice as the inner aligner).

use super::{AlignConfig, Chunk, Placement, TurnInput, align_turns};
use crate::time::{Frame, frame_count};

/// Places again each run of turns not placed by words (`placed_by_words`) whose placements
/// are out of order or outside the gap between the placed turns around them, or whose
/// placed neighbour's edge on its side moved more than [`HeardConfig::slack_s`] from
/// where the lattice had it (`lattice`): the lattice had shifted that stretch further than
/// a search window reaches, the run with it. Their confidence is kept; returns the runs
/// placed again. Where the gap holds no speech, the run's turns share it evenly.
///
/// [`HeardConfig::slack_s`]: super::HeardConfig::slack_s
pub(super) fn place_stray_runs(
    placements: &mut [Placement],
    lattice: &[Placement],
    placed_by_words: &[bool],
    turns: &[TurnInput],
    chunks: &[Chunk],
    config: &AlignConfig,
) -> Vec<std::ops::Range<usize>> {
    let shift = frame_count(config.heard.slack_s);
    let shifted = |a: Frame, b: Frame| a.0.abs_diff(b.0) > shift;
    let mut moved = Vec::new();
    let recording_end = chunks.last().map_or(Frame(0), |c| c.end);
    let mut i = 0;
    while i < placements.len() {
        if placed_by_words[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < placements.len() && !placed_by_words[i] {
            i += 1;
        }
        let run = start..i;
        let from = start.checked_sub(1).map_or(Frame(0), |p| placements[p].end);
        let to = placements
            .get(i)
            .map_or(recording_end.max(placements[i - 1].end), |next| next.start);
        let anchor_moved = start
            .checked_sub(1)
            .is_some_and(|p| shifted(placements[p].end, lattice[p].end))
            || (i < placements.len() && shifted(placements[i].start, lattice[i].start));
        if !anchor_moved && in_order(&placements[run.clone()], from, to) {
            continue;
        }
        let placed = place_in_gap(&turns[run.clone()], chunks, from, to.max(from), config);
        for (p, new) in placements[run.clone()].iter_mut().zip(placed) {
            p.start = new.start;
            p.end = new.end;
        }
        moved.push(run);
    }
    moved
}

/// Whether `run` lies in order inside `from..to`, each turn ending no earlier than it
/// starts and starting no earlier than the previous turn ends.
fn in_order(run: &[Placement], from: Frame, to: Frame) -> bool {
    let mut floor = from;
    for p in run {
        if p.start < floor || p.end < p.start || p.end > to {
            return false;
        }
        floor = p.end;
    }
    true
}

/// The lattice's placement of `turns` over the speech between `from` and `to` (their
/// stamps dropped: the anchors say where they are), or, with no speech there or no
/// consistent placement, `from..to` shared evenly.
fn place_in_gap(
    turns: &[TurnInput],
    chunks: &[Chunk],
    from: Frame,
    to: Frame,
    config: &AlignConfig,
) -> Vec<Placement> {
    let inside: Vec<Chunk> = chunks
        .iter()
        .filter(|c| c.end > from && c.start < to)
        .map(|c| Chunk {
            start: c.start.max(from),
            end: c.end.min(to),
            ..c.clone()
        })
        .filter(|c| c.end > c.start)
        .collect();
    let unstamped: Vec<TurnInput> = turns
        .iter()
        .map(|t| TurnInput {
            stated_s: None,
            ..t.clone()
        })
        .collect();
    if !inside.is_empty()
        && let Ok(outcome) = align_turns(&unstamped, &inside, config)
    {
        return outcome.placements;
    }
    let n = turns.len() as u32;
    let span = to.0 - from.0;
    (0..n)
        .map(|k| Placement {
            start: Frame(from.0 + span * k / n),
            end: Frame(from.0 + span * (k + 1) / n),
            confidence: 0.0,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(start_s: f64, end_s: f64) -> Placement {
        Placement::spanning(start_s, end_s, 0.5)
    }

    fn chunk(start_s: f64, end_s: f64) -> Chunk {
        Chunk::spanning(start_s, end_s)
    }

    fn turn(syllables: usize, speaker: &str) -> TurnInput {
        TurnInput {
            syllables,
            transcribed: true,
            stated_s: None,
            speaker: Some(speaker.into()),
        }
    }

    /// [`place_stray_runs`] with the default settings.
    fn place_again(
        placements: &mut [Placement],
        lattice: &[Placement],
        by_words: &[bool],
        turns: &[TurnInput],
        chunks: &[Chunk],
    ) -> Vec<std::ops::Range<usize>> {
        place_stray_runs(
            placements,
            lattice,
            by_words,
            turns,
            chunks,
            &AlignConfig::default(),
        )
    }

    fn spans(placements: &[Placement]) -> Vec<(f64, f64)> {
        placements
            .iter()
            .map(|p| (p.start_s(), p.end_s()))
            .collect()
    }

    /// Two unheard turns left behind a heard one (one of them ending before it starts) are
    /// placed again on the two stretches of speech between their heard neighbours.
    #[test]
    fn unheard_turns_left_out_of_order_are_placed_again_in_their_gap() {
        let mut placements = vec![
            placed(0.0, 10.0),
            placed(12.0, 5.0),
            placed(4.0, 9.0),
            placed(20.0, 30.0),
        ];
        let by_words = [true, false, false, true];
        let turns = [turn(30, "a"), turn(10, "b"), turn(10, "b"), turn(30, "a")];
        let chunks = [
            chunk(0.0, 10.0),
            chunk(11.0, 14.0),
            chunk(15.5, 18.5),
            chunk(20.0, 30.0),
        ];
        let lattice = placements.clone();
        let moved = place_again(&mut placements, &lattice, &by_words, &turns, &chunks);
        assert_eq!(moved, vec![1..3]);
        assert_eq!(
            spans(&placements),
            [(0.0, 10.0), (11.0, 14.0), (15.5, 18.5), (20.0, 30.0)]
        );
        // The confidence the turns had is kept.
        assert_eq!(placements[1].confidence, 0.5);
    }

    /// Unplaced turns already in order between their neighbours are left alone; with no
    /// speech in the gap, a stray run shares the gap evenly.
    #[test]
    fn runs_in_order_stay_and_a_gap_without_speech_is_shared() {
        let mut placements = vec![placed(0.0, 10.0), placed(11.0, 14.0), placed(20.0, 30.0)];
        let before = placements.clone();
        let turns = [turn(30, "a"), turn(10, "b"), turn(30, "a")];
        let chunks = [chunk(0.0, 10.0), chunk(11.0, 14.0), chunk(20.0, 30.0)];
        let by_words = [true, false, true];
        assert!(place_again(&mut placements, &before, &by_words, &turns, &chunks).is_empty());
        assert_eq!(placements, before);

        let mut stray = vec![placed(0.0, 10.0), placed(25.0, 26.0), placed(12.0, 20.0)];
        let stray_lattice = stray.clone();
        let silent = [chunk(0.0, 10.0), chunk(12.0, 20.0)];
        place_again(&mut stray, &stray_lattice, &by_words, &turns, &silent);
        assert_eq!(spans(&stray)[1], (10.0, 12.0));
    }

    /// An unplaced turn in order between its placed neighbours, but left where the lattice
    /// had it while the neighbour after it was heard 6 s later, is placed again in the gap.
    #[test]
    fn a_run_beside_a_neighbour_heard_far_from_the_lattice_is_placed_again() {
        let lattice = vec![placed(0.0, 10.0), placed(11.0, 14.0), placed(15.0, 20.0)];
        let mut placements = lattice.clone();
        placements[2] = placed(21.0, 26.0);
        let by_words = [true, false, true];
        let turns = [turn(30, "a"), turn(10, "b"), turn(30, "a")];
        let chunks = [
            chunk(0.0, 10.0),
            chunk(11.0, 14.0),
            chunk(16.0, 19.5),
            chunk(21.0, 26.0),
        ];
        let moved = place_again(&mut placements, &lattice, &by_words, &turns, &chunks);
        assert_eq!(moved, vec![1..2]);
        // Over both stretches of speech the gap holds now.
        assert_eq!(spans(&placements)[1], (11.0, 19.5));
    }
}
