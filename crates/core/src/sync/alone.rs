//! Cues heard one at a time, each alone in its window, around the stretches the whole-file
//! alignment found (`aligned.rs`).
//!
//! Aligned as one transcript, the text of cut cues must go somewhere: the aligner squeezes
//! it onto the audio beside a stretch, where it counts as that stretch's edge, and the
//! audio of the cues that are really there falls outside the gap that is aligned again
//! (real `splits`: a cut verse line heard on the next stretch's first line; docs/sync.md,
//! session 14). A cue heard alone has no other cue's text to make room for:
//!
//! 1. [`peel_edges`]: each stretch's edge cues are heard alone where the stretch puts them;
//!    those not heard there are taken off the stretch, up to the first that is;
//! 2. [`hear_gaps`]: the cues left between two stretches of different offsets (or before
//!    the first, after the last) are each heard alone in the whole audio between them, and
//!    their shifts segmented as the whole file's were.

use std::ops::Range;

use rayon::prelude::*;

use super::aligned;
use super::sampled;
use super::words::{self, Ears};
use crate::align::HeardConfig;

/// A cue heard alone is in place within this of where its stretch puts it, frames (10 ms):
/// the segmentation's inlier tolerance.
const IN_PLACE_FRAMES: i64 = 30;

/// Fewest cues heard alone at one offset for a stretch found in a gap: as many as the
/// transcript's realignment needs.
const MIN_GAP_INLIERS: usize = 3;

/// Where cue `j`'s words were heard alone (frames) and how well they fit, searched from
/// `a` to `b` (frames) and `slack_s` either side.
pub fn hear_alone(ears: Ears, j: usize, (a, b): (i64, i64), slack_s: f64) -> Option<(i64, f32)> {
    let place = (a as f64 / 100.0, b as f64 / 100.0);
    words::hear(ears.only(j), &[Some(place)], slack_s)[0]
        .map(|(s, g)| ((s * 100.0).round() as i64, g))
}

/// Each stretch's edge cues (time order; `scaled` are the cues' frames after the ratio,
/// `speaks[j]` whether cue `j` has words), heard alone where their stretch's offset puts
/// them (`hear(j, (start, end))`): from each edge inwards, cues not heard within
/// [`IN_PLACE_FRAMES`] of their place with a clear fit ([`words::CLEAR_FIT`]) are taken off
/// (`None`), up to the first that is; cues without words between them go with them. At most
/// half a stretch's cues are taken off, so hard audio never erases a stretch.
pub fn peel_edges(
    offsets: &mut [Option<i64>],
    scaled: &[(i64, i64)],
    speaks: &[bool],
    mut hear: impl FnMut(usize, (i64, i64)) -> Option<(i64, f32)>,
) {
    for run in stretch_runs(offsets) {
        let members: Vec<usize> = run.filter(|&j| offsets[j].is_some()).collect();
        let budget = members.len() / 2;
        let mut peeled = 0;
        // Inwards from the start, then from the end.
        for side in [members.clone(), members.iter().rev().copied().collect()] {
            let mut pending: Vec<usize> = Vec::new();
            for j in side {
                let Some(o) = offsets[j] else { continue };
                if !speaks[j] {
                    pending.push(j);
                    continue;
                }
                if heard_in_place(&mut hear, scaled, j, o) || peeled + pending.len() + 1 > budget {
                    break;
                }
                pending.push(j);
                peeled += pending.len();
                pending.drain(..).for_each(|p| offsets[p] = None);
            }
        }
    }
}

/// Where two stretches of different offsets meet (adjacent placed cues, time order), an edge
/// cue with words that is not heard clearly in place at its own stretch's offset but is at
/// the other's (`hear(j, (start, end))`, as [`peel_edges`] hears) moves across, and so on
/// inwards while that holds. A gap between stretches is aligned again as a transcript
/// (`aligned::realign_gaps`), which puts each cue right after the one before: in a hall the
/// first cue after an 11-s insertion was given the insertion's speech (fit −6.0, 0.35 s off)
/// though its own words, at the next stretch's offset, fit −2.8 in place (docs/sync.md,
/// session 47).
pub fn edges_heard_across(
    offsets: &mut [Option<i64>],
    scaled: &[(i64, i64)],
    speaks: &[bool],
    mut hear: impl FnMut(usize, (i64, i64)) -> Option<(i64, f32)>,
) {
    let mut in_place = |j: usize, o: i64| heard_in_place(&mut hear, scaled, j, o);
    let placed: Vec<usize> = (0..offsets.len())
        .filter(|&j| offsets[j].is_some())
        .collect();
    for pair in placed.windows(2) {
        let (p, q) = (pair[0], pair[1]);
        let (Some(a), Some(b)) = (offsets[p], offsets[q]) else {
            continue;
        };
        if a == b || q != p + 1 {
            continue;
        }
        // The cues before the meeting point, from it backwards, then those after it.
        let sides: [(Vec<usize>, i64, i64); 2] = [
            ((0..=p).rev().collect(), a, b),
            ((q..offsets.len()).collect(), b, a),
        ];
        for (side, own, other) in sides {
            for j in side {
                if offsets[j] != Some(own) || !speaks[j] || in_place(j, own) || !in_place(j, other)
                {
                    break;
                }
                offsets[j] = Some(other);
            }
        }
    }
}

/// Whether cue `j` (`scaled` frames after the ratio), heard alone at offset `o`, is heard
/// within [`IN_PLACE_FRAMES`] of its place with a clear fit ([`words::CLEAR_FIT`]).
fn heard_in_place(
    hear: &mut impl FnMut(usize, (i64, i64)) -> Option<(i64, f32)>,
    scaled: &[(i64, i64)],
    j: usize,
    o: i64,
) -> bool {
    let place = (scaled[j].0 + o, scaled[j].1 + o);
    hear(j, place)
        .is_some_and(|(at, g)| g >= words::CLEAR_FIT && (at - place.0).abs() <= IN_PLACE_FRAMES)
}

/// Ranges of time order from each stretch's first placed cue to its last (cues left out
/// inside it included), one per run of one offset among the placed cues.
fn stretch_runs(offsets: &[Option<i64>]) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut last: Option<i64> = None;
    for (j, o) in offsets.iter().enumerate() {
        let Some(o) = *o else { continue };
        match runs.last_mut() {
            Some(run) if last == Some(o) => run.end = j + 1,
            _ => runs.push(j..j + 1),
        }
        last = Some(o);
    }
    runs
}

/// Cues without an offset between two stretches of different offsets, or before the first
/// or after the last, each heard alone (`hear(j, window)`, in parallel) in the whole audio
/// between those stretches: from the end of the cue before to the start of the cue after,
/// at their offsets (the recording's edge, `frames`, where there is none). Their shifts are
/// segmented ([`aligned::segment`]) and a stretch heard at one offset by at least
/// [`MIN_GAP_INLIERS`] cues with a clear fit gives them that offset.
///
/// Only gaps up to the aligner's longest run ([`HeardConfig::max_run_s`], 120 s) are heard:
/// in a longer window one cue's words spread over the audio (on snr10 `splits`, a 688 s
/// gap, the cues were heard up to 250 s from their audio).
///
/// Every [`MIN_GAP_INLIERS`]-th cue with words is heard first (a probe: any run of that
/// many holds one), then only the cues within that distance of a probe heard with a clear
/// fit. A stretch whose cues are all heard clearly is heard whole (every cue is within one
/// place of a probe); one whose probes all fit poorly is missed. Subtitles of another
/// recording spent most of their refusal hearing every cue here (real audio against
/// festival's 292 cues: 67 of 89 s of CPU, docs/sync.md session 19); their clear fits are a
/// few cues' chance ones.
pub fn hear_gaps(
    offsets: &mut [Option<i64>],
    scaled: &[(i64, i64)],
    speaks: &[bool],
    frames: i64,
    hear: impl Fn(usize, (i64, i64)) -> Option<(i64, f32)> + Sync,
) {
    let max_window = (HeardConfig::default().max_run_s * 100.0) as i64;
    for gap in open_gaps(offsets, scaled, speaks, frames) {
        let Gap {
            cues: Range { start: k, end },
            audio: (lo, hi),
            speaking,
            ..
        } = gap;
        if hi - lo < 100 || hi - lo > max_window {
            continue;
        }
        let probes: Vec<usize> = (0..speaking.len()).step_by(MIN_GAP_INLIERS).collect();
        let probed: Vec<Option<(i64, f32)>> = probes
            .par_iter()
            .map(|&p| hear(speaking[p], (lo, hi)))
            .collect();
        let clear: Vec<usize> = probes
            .iter()
            .zip(&probed)
            .filter(|(_, h)| h.is_some_and(|(_, g)| g >= words::CLEAR_FIT))
            .map(|(&p, _)| p)
            .collect();
        if clear.is_empty() {
            continue;
        }
        let near_clear = |p: usize| clear.iter().any(|&c| c.abs_diff(p) < MIN_GAP_INLIERS);
        let mut heard: Vec<Option<(i64, f32)>> = (0..speaking.len())
            .into_par_iter()
            .map(|p| {
                (p % MIN_GAP_INLIERS != 0 && near_clear(p))
                    .then(|| hear(speaking[p], (lo, hi)))
                    .flatten()
            })
            .collect();
        for (&p, h) in probes.iter().zip(probed) {
            heard[p] = h;
        }
        let Some(found) = stretches_heard(k..end, &speaking, heard, scaled, |_| true) else {
            continue;
        };
        for (j, o) in (k..end).zip(found) {
            if o.is_some() {
                offsets[j] = o;
            }
        }
    }
}

/// Per cue of a gap (`cues`), the offset of the stretch it was heard in: the shifts of the
/// cues `speaking` heard (`heard`, in their order) with a clear fit and a shift `keep`
/// accepts, segmented as the gaps' transcripts are ([`aligned::segment`]); a stretch of
/// fewer than [`MIN_GAP_INLIERS`] cues places none of them. `None` when nothing segments.
fn stretches_heard(
    cues: Range<usize>,
    speaking: &[usize],
    heard: Vec<Option<(i64, f32)>>,
    scaled: &[(i64, i64)],
    keep: impl Fn(i64) -> bool,
) -> Option<Vec<Option<i64>>> {
    let mut shifts: Vec<Option<i64>> = vec![None; cues.len()];
    for (&j, h) in speaking.iter().zip(heard) {
        if let Some((at, g)) = h
            && g >= words::CLEAR_FIT
            && keep(at - scaled[j].0)
        {
            shifts[j - cues.start] = Some(at - scaled[j].0);
        }
    }
    let (_, found) = aligned::segment(&shifts, i64::MAX / 4, aligned::INLIER_FRAMES)?;
    let placed = found
        .iter()
        .map(|o| o.filter(|&o| found.iter().filter(|&&x| x == Some(o)).count() >= MIN_GAP_INLIERS))
        .collect();
    Some(placed)
}

/// A run of unplaced cues between two stretches of different offsets (or before the
/// first, after the last), as [`hear_gaps`] and [`search_long_gaps`] hear them.
struct Gap {
    /// The unplaced cues.
    cues: Range<usize>,
    /// The offsets of the stretches before and after it.
    before: Option<i64>,
    after: Option<i64>,
    /// The audio between the cue before it and the cue after it, where their stretches put
    /// them (frames).
    audio: (i64, i64),
    /// Its cues with words.
    speaking: Vec<usize>,
}

/// The gaps between stretches of different offsets with at least [`MIN_GAP_INLIERS`] cues
/// with words: where a stretch of its own could still be found.
fn open_gaps(
    offsets: &[Option<i64>],
    scaled: &[(i64, i64)],
    speaks: &[bool],
    frames: i64,
) -> Vec<Gap> {
    let n = offsets.len();
    super::unplaced_runs(offsets)
        .into_iter()
        .filter_map(|cues| {
            let before = cues.start.checked_sub(1).and_then(|j| offsets[j]);
            let after = (cues.end < n).then(|| offsets[cues.end]).flatten();
            if before.is_some() && before == after {
                return None;
            }
            let lo = before
                .map_or(0, |a| scaled[cues.start - 1].1 + a)
                .clamp(0, frames);
            let hi = after
                .map_or(frames, |b| scaled[cues.end].0 + b)
                .clamp(0, frames);
            let speaking: Vec<usize> = cues.clone().filter(|&j| speaks[j]).collect();
            (speaking.len() >= MIN_GAP_INLIERS).then_some(Gap {
                cues,
                before,
                after,
                audio: (lo, hi),
                speaking,
            })
        })
        .collect()
}

/// Cues of a long gap heard in wide windows stepped over it: spread over the gap's cues
/// with words, the longest (up to [`MAX_PROBE_FRAMES`]) of each of this many equal parts
/// (long cues hold the most words, so they are heard at their own audio rather than at any
/// speech).
const PROBES: usize = 12;

/// Longest cue taken as a probe, frames: the cost of hearing a cue grows with its words
/// times its window, and a cue of a few seconds already has words enough.
const MAX_PROBE_FRAMES: i64 = 800;

/// Step between the wide windows a probe is heard in, frames: under twice
/// [`sampled::WIDE_SLACK_S`], so a cue whose audio lies anywhere in the gap is whole in one
/// window with a few seconds to spare.
const PROBE_STEP: i64 = 2000;

/// Cues between two stretches of different offsets (or before the first, after the last)
/// whose gap is too long for [`hear_gaps`] (over [`HeardConfig::max_run_s`]): a few of them
/// ([`PROBES`]) are heard (`hear(j, place, slack_s)`, in parallel) in windows of
/// ± [`sampled::WIDE_SLACK_S`] stepped over the whole gap. An offset at which at least
/// [`MIN_GAP_INLIERS`] probes are heard with a clear fit, within [`IN_PLACE_FRAMES`] of each
/// other, is put to every cue of the gap, heard alone where that offset puts it (±
/// `slack_s`); the cues heard there in place with a clear fit are segmented
/// ([`aligned::segment`]) and a stretch of at least [`MIN_GAP_INLIERS`] takes its offset.
/// The gaps left beside it are short enough for [`hear_gaps`].
///
/// A stretch further from its neighbours than `--max-offset` is proposed by nothing else:
/// the speech's split search is bounded by it, and whole-gap hearing spreads a cue's words
/// over minutes of audio (snr10 `splits`, docs/sync.md session 14).
pub fn search_long_gaps(
    offsets: &mut [Option<i64>],
    scaled: &[(i64, i64)],
    speaks: &[bool],
    frames: i64,
    slack_s: f64,
    hear: impl Fn(usize, (i64, i64), f64) -> Option<(i64, f32)> + Sync,
) {
    let max_window = (HeardConfig::default().max_run_s * 100.0) as i64;
    for gap in open_gaps(offsets, scaled, speaks, frames) {
        let Gap {
            cues: Range { start: k, end },
            before,
            after,
            audio: (lo, hi),
            speaking,
        } = gap;
        if hi - lo <= max_window {
            continue;
        }
        let Some(offset) = probe_offset(&speaking, scaled, (lo, hi), &hear) else {
            continue;
        };
        let heard: Vec<Option<(i64, f32)>> = speaking
            .par_iter()
            .map(|&j| hear(j, (scaled[j].0 + offset, scaled[j].1 + offset), slack_s))
            .collect();
        let in_place = |shift: i64| (shift - offset).abs() <= IN_PLACE_FRAMES;
        let Some(found) = stretches_heard(k..end, &speaking, heard, scaled, in_place) else {
            continue;
        };
        for (j, o) in (k..end).zip(found) {
            if let Some(o) = o {
                // The cues of a neighbouring stretch that were left in the gap join it
                // rather than making a stretch of their own a few frames from it.
                let near = [before, after]
                    .into_iter()
                    .flatten()
                    .find(|&b| (b - o).abs() <= IN_PLACE_FRAMES);
                offsets[j] = Some(near.unwrap_or(o));
            }
        }
    }
}

/// The offset (frames) at which at least [`MIN_GAP_INLIERS`] of a gap's probes (cues
/// `speaking`, gap `lo..hi` in frames) are heard, with a clear fit and within
/// [`IN_PLACE_FRAMES`] of each other, in wide windows stepped over the gap; `None` when no
/// offset has that many. The probes are heard one at a time (each one's windows in
/// parallel), middle of the gap first, then the middles of the halves, and so on; the first
/// offset that enough probes agree on ends the search (the probes' best summed fit breaking
/// ties).
fn probe_offset(
    speaking: &[usize],
    scaled: &[(i64, i64)],
    (lo, hi): (i64, i64),
    hear: &(impl Fn(usize, (i64, i64), f64) -> Option<(i64, f32)> + Sync),
) -> Option<i64> {
    let parts = PROBES.min(speaking.len());
    let probes: Vec<usize> = spread_order(parts)
        .into_iter()
        .filter_map(|p| {
            let part = &speaking[p * speaking.len() / parts..(p + 1) * speaking.len() / parts];
            part.iter()
                .copied()
                .filter(|&j| scaled[j].1 - scaled[j].0 <= MAX_PROBE_FRAMES)
                .max_by_key(|&j| (scaled[j].1 - scaled[j].0, std::cmp::Reverse(j)))
        })
        .collect();
    // (probe, shift, fit) of every clear hearing inside the gap so far.
    let mut heard: Vec<(usize, i64, f32)> = Vec::new();
    for &j in &probes {
        let length = scaled[j].1 - scaled[j].0;
        let last = (hi - length).max(lo);
        let windows: Vec<i64> = (lo..=last)
            .step_by(PROBE_STEP as usize)
            .chain(std::iter::once(last))
            .collect();
        let got: Vec<(usize, i64, f32)> = windows
            .par_iter()
            .filter_map(|&at| {
                let (got, g) = hear(j, (at, at + length), sampled::WIDE_SLACK_S)?;
                (g >= words::CLEAR_FIT && (lo..=hi).contains(&got)).then_some((
                    j,
                    got - scaled[j].0,
                    g,
                ))
            })
            .collect();
        heard.extend(got);
        if let Some(offset) = agreed(&heard) {
            return Some(offset);
        }
    }
    None
}

/// Positions `0..n` in the order middle first, then the middles of the halves, and so on.
fn spread_order(n: usize) -> Vec<usize> {
    let mut order = Vec::with_capacity(n);
    let mut ranges = std::collections::VecDeque::new();
    ranges.push_back(0..n);
    while let Some(r) = ranges.pop_front() {
        if r.is_empty() {
            continue;
        }
        let mid = r.start + (r.end - r.start) / 2;
        order.push(mid);
        ranges.push_back(r.start..mid);
        ranges.push_back(mid + 1..r.end);
    }
    order
}

/// Of the probes' clear hearings (probe, shift, fit), the shift that most probes are heard
/// within [`IN_PLACE_FRAMES`] of (each probe once, at its best fit there; ties to the better
/// summed fit), when at least [`MIN_GAP_INLIERS`] are.
fn agreed(heard: &[(usize, i64, f32)]) -> Option<i64> {
    let support = |shift: i64| {
        let mut best: Vec<(usize, f32)> = Vec::new();
        for &(j, s, g) in heard {
            if (s - shift).abs() > IN_PLACE_FRAMES {
                continue;
            }
            match best.iter_mut().find(|(p, _)| *p == j) {
                Some(b) => b.1 = b.1.max(g),
                None => best.push((j, g)),
            }
        }
        (best.len(), best.iter().map(|b| b.1).sum::<f32>())
    };
    heard
        .iter()
        .map(|&(_, s, _)| (s, support(s)))
        .filter(|(_, (count, _))| *count >= MIN_GAP_INLIERS)
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(a.1.1.total_cmp(&b.1.1)))
        .map(|(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cues of 2 s every 3 s.
    fn cues(n: i64) -> Vec<(i64, i64)> {
        (0..n).map(|k| (k * 300, k * 300 + 200)).collect()
    }

    #[test]
    fn stretches_span_their_placed_cues_and_the_gaps_inside() {
        let offsets = [None, Some(5), None, Some(5), Some(-3), None, None, Some(5)];
        assert_eq!(stretch_runs(&offsets), vec![1..4, 4..5, 7..8]);
    }

    /// Ten cues at offset 0, the last two cut text the aligner squeezed onto the next
    /// stretch's audio (heard nowhere near their place); ten at offset -500. The two are
    /// taken off the first stretch (the one without words between them with them); the
    /// cue heard in place stops the peeling, and the second stretch keeps every cue.
    #[test]
    fn squeezed_cut_cues_are_taken_off_the_stretch_edge() {
        let scaled = cues(20);
        let mut offsets: Vec<Option<i64>> = (0..20)
            .map(|k| Some(if k < 10 { 0 } else { -500 }))
            .collect();
        let mut speaks = vec![true; 20];
        speaks[8] = false;
        let hear = |j: usize, (a, _): (i64, i64)| match j {
            7 | 9 => Some((a + 400, -3.0)),
            _ => Some((a + 5, -2.0)),
        };
        peel_edges(&mut offsets, &scaled, &speaks, hear);
        let want: Vec<Option<i64>> = (0..20)
            .map(|k| match k {
                7..=9 => None,
                0..=6 => Some(0),
                _ => Some(-500),
            })
            .collect();
        assert_eq!(offsets, want);
    }

    /// Ten cues at offset 0 and ten at 1100 (an 11-s insertion between them); cue 10 was
    /// given the first stretch though its words are heard in place only at 1100, cue 9 only
    /// at 0. Cue 10 moves across, cue 9 and the rest stay; with cue 10 heard clearly at
    /// both, nothing moves.
    #[test]
    fn an_edge_cue_heard_only_at_the_next_stretch_moves_across() {
        let scaled = cues(20);
        let mut offsets: Vec<Option<i64>> = (0..20)
            .map(|k| Some(if k < 10 { 0 } else { 1100 }))
            .collect();
        let truth = |j: usize| if j < 9 { 0 } else { 1100 };
        let mut wrong = offsets.clone();
        // Heard in place with a clear fit only at the cue's true offset.
        let hear = |j: usize, (a, _): (i64, i64)| {
            let clear = a - scaled[j].0 == truth(j);
            Some((a + 3, if clear { -2.8 } else { -6.0 }))
        };
        edges_heard_across(&mut offsets, &scaled, &[true; 20], hear);
        let want: Vec<Option<i64>> = (0..20).map(|j| Some(truth(j))).collect();
        assert_eq!(offsets, want);
        // Heard clearly at both: it stays where it was.
        edges_heard_across(&mut wrong, &scaled, &[true; 20], |_, (a, _)| {
            Some((a + 3, -2.8))
        });
        assert_eq!(wrong[9], Some(0));
    }

    /// A stretch whose cues are never heard clearly (hard audio) loses at most half.
    #[test]
    fn peeling_stops_at_half_a_stretch() {
        let scaled = cues(6);
        let mut offsets = vec![Some(0); 6];
        peel_edges(&mut offsets, &scaled, &[true; 6], |_, _| None);
        assert_eq!(offsets.iter().filter(|o| o.is_some()).count(), 3);
    }

    /// Between a stretch at 0 and one at 900, six cues whose audio is 400 frames earlier
    /// (a stretch the whole-file alignment lost) and one cut cue heard by chance: the six
    /// take -400, the cut cue stays unplaced. Cues after the last stretch, heard at 1000,
    /// take it too.
    #[test]
    fn a_lost_stretch_is_heard_in_its_gap() {
        let scaled = cues(30);
        let truth = |j: usize| match j {
            0..=9 => Some(0),
            10 => None,
            11..=16 => Some(-400),
            17..=24 => Some(900),
            _ => Some(1000),
        };
        let mut offsets: Vec<Option<i64>> = (0..30)
            .map(|j| truth(j).filter(|_| j < 10 || (17..25).contains(&j)))
            .collect();
        let hear = |j: usize, (lo, hi): (i64, i64)| {
            let at = truth(j).map_or(lo + 7, |o| scaled[j].0 + o);
            assert!(at >= lo && at <= hi, "cue {j} heard outside its gap");
            Some((at, if truth(j).is_some() { -2.0 } else { -3.5 }))
        };
        hear_gaps(&mut offsets, &scaled, &[true; 30], 30 * 300 + 1100, hear);
        let want: Vec<Option<i64>> = (0..30).map(truth).collect();
        assert_eq!(offsets, want);
    }

    /// [`hear_gaps`] over 30 cues, a stretch at 0 (cues 0-4) and a gap after it (cues 5-29),
    /// each cue heard as `answer(cue, gap start)` says: the offsets, and the cues heard.
    fn hear_the_gap_after_five(
        answer: impl Fn(usize, i64) -> (i64, f32) + Sync,
    ) -> (Vec<Option<i64>>, Vec<usize>) {
        let mut offsets: Vec<Option<i64>> = (0..30).map(|j| (j < 5).then_some(0)).collect();
        let asked = std::sync::Mutex::new(Vec::new());
        let hear = |j: usize, (lo, _): (i64, i64)| {
            asked.lock().unwrap().push(j);
            Some(answer(j, lo))
        };
        hear_gaps(&mut offsets, &cues(30), &[true; 30], 30 * 300 + 1100, hear);
        let mut asked = asked.into_inner().unwrap();
        asked.sort_unstable();
        (offsets, asked)
    }

    /// A gap whose cues are heard nowhere clearly (subtitles of another recording): only
    /// every third cue is heard, and nothing is placed.
    #[test]
    fn a_gap_whose_probes_are_all_unclear_is_not_heard_further() {
        let (offsets, asked) = hear_the_gap_after_five(|_, lo| (lo + 7, -6.0));
        assert_eq!(asked, (5..30).step_by(3).collect::<Vec<_>>());
        assert!(offsets[5..].iter().all(Option::is_none));
    }

    /// A gap of 25 cues (5-29) of which three (16-18) are a stretch 400 frames early, heard
    /// clearly; the others are heard nowhere clearly. The probe among the three (cue 17)
    /// is clear, so its neighbours are heard and the stretch is found; cues far from any
    /// clear probe are not heard at all.
    #[test]
    fn only_the_cues_beside_a_clear_probe_are_heard_further() {
        let scaled = cues(30);
        let (offsets, asked) = hear_the_gap_after_five(|j, lo| {
            if (16..=18).contains(&j) {
                (scaled[j].0 - 400, -2.0)
            } else {
                (lo + 7, -6.0)
            }
        });
        let want: Vec<Option<i64>> = (0..30)
            .map(|j| match j {
                0..=4 => Some(0),
                16..=18 => Some(-400),
                _ => None,
            })
            .collect();
        assert_eq!(offsets, want);
        let mut expected: Vec<usize> = (5..30).step_by(3).chain([15, 16, 18, 19]).collect();
        expected.sort_unstable();
        assert_eq!(asked, expected);
    }

    /// Cues of 2 s every 10 s: a stretch at 0 (cues 0-4), five cut, twenty whose audio is
    /// 40 s earlier (cues 10-29: a stretch further than any split search looks), five cut,
    /// and a stretch at -80 s (35-39). The gap between the known stretches is 228 s, too
    /// long to hear cue by cue. A cue is heard clearly where its audio is when its window
    /// holds it, and unclearly anywhere else; cut cues never clearly.
    fn lost_stretch() -> (Vec<(i64, i64)>, impl Fn(usize) -> Option<i64>) {
        let scaled: Vec<(i64, i64)> = (0..40).map(|k| (k * 1000, k * 1000 + 200)).collect();
        let truth = |j: usize| match j {
            0..=4 => Some(0),
            10..=29 => Some(-4000),
            35..=39 => Some(-8000),
            _ => None,
        };
        (scaled, truth)
    }

    /// A hearing of cue `j` in the window `(a, b)` (± the slack): clear, `late` frames after
    /// where its true offset puts it when that lies inside; elsewhere a poor fit at the
    /// window's start.
    fn heard_where_truth_is<'a>(
        scaled: &'a [(i64, i64)],
        truth: &'a (impl Fn(usize) -> Option<i64> + Sync),
        late: i64,
    ) -> impl Fn(usize, (i64, i64), f64) -> Option<(i64, f32)> + Sync + 'a {
        move |j, (a, b), slack_s| {
            let slack = (slack_s * 100.0) as i64;
            match truth(j) {
                Some(o) if scaled[j].0 + o >= a - slack && scaled[j].1 + o <= b + slack => {
                    Some((scaled[j].0 + o + late, -2.0))
                }
                _ => Some((a, -6.0)),
            }
        }
    }

    #[test]
    fn a_stretch_far_off_in_a_long_gap_is_found_by_probes() {
        let (scaled, truth) = lost_stretch();
        let mut offsets: Vec<Option<i64>> = (0..40)
            .map(|j| truth(j).filter(|_| !(10..30).contains(&j)))
            .collect();
        let hear = heard_where_truth_is(&scaled, &truth, 3);
        search_long_gaps(&mut offsets, &scaled, &[true; 40], 40_000, 1.5, hear);
        let want: Vec<Option<i64>> = (0..40)
            .map(|j| truth(j).map(|o| if (10..30).contains(&j) { o + 3 } else { o }))
            .collect();
        assert_eq!(offsets, want);
    }

    /// The same gap where every window hears its probe clearly at a shift of its own (words
    /// forced onto any speech): no three probes agree, nothing is placed.
    #[test]
    fn probes_heard_at_scattered_shifts_place_nothing() {
        let (scaled, truth) = lost_stretch();
        let before: Vec<Option<i64>> = (0..40)
            .map(|j| truth(j).filter(|_| !(10..30).contains(&j)))
            .collect();
        let mut offsets = before.clone();
        // Seeded, window by window: (a · 7919 + j · 104729) mod 19997 frames into the gap.
        let hear = |j: usize, (a, _): (i64, i64), _: f64| {
            Some((4200 + (a * 7919 + j as i64 * 104_729) % 19_997, -2.0))
        };
        search_long_gaps(&mut offsets, &scaled, &[true; 40], 40_000, 1.5, hear);
        assert_eq!(offsets, before);
    }

    #[test]
    fn probes_go_middle_first() {
        assert_eq!(spread_order(7), vec![3, 1, 5, 0, 2, 4, 6]);
        assert_eq!(spread_order(0), Vec::<usize>::new());
    }

    /// The stretch before a long gap ends early: its cues 4-29 were left in the gap (cues
    /// 30-34 cut, a stretch at -30 s after). The probes hear them 2 frames from its offset:
    /// they join that stretch rather than making a split of 2 frames.
    #[test]
    fn gap_cues_heard_near_a_neighbour_join_it() {
        let scaled: Vec<(i64, i64)> = (0..40).map(|k| (k * 1000, k * 1000 + 200)).collect();
        let truth = |j: usize| match j {
            0..=29 => Some(0),
            35..=39 => Some(-3000),
            _ => None,
        };
        let mut offsets: Vec<Option<i64>> = (0..40)
            .map(|j| truth(j).filter(|_| !(4..30).contains(&j)))
            .collect();
        let hear = heard_where_truth_is(&scaled, &truth, 2);
        search_long_gaps(&mut offsets, &scaled, &[true; 40], 40_000, 1.5, hear);
        let want: Vec<Option<i64>> = (0..40).map(truth).collect();
        assert_eq!(offsets, want);
    }
}
