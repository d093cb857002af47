//! Where the cues' words are, piece by piece: a cheaper stand-in for aligning the cues' text
//! as a transcript over the whole recording (`aligned.rs`), which was most of a `splits`
//! sync's time (two whole-file alignments, 50 of 95 s on the 37-minute espeak sample;
//! docs/sync.md, session 17).
//!
//! The cues (time order) are taken in groups of [`GROUP`] cues with words. Each group's
//! on/off signal is cross-correlated with the recording's speech at every lag, so a group
//! finds its place however far a cut or an insertion moved it. The offset of the group
//! before it, then the few best lags, then the whole file's offset are tried in turn: at
//! each, [`PROBES`] of the group's cues (the shortest of each third) are heard alone
//! (±`slack_s`), and the first offset at which most are heard in place with a clear fit is
//! the group's. All probes in place at the offset before: the group's other cues are left
//! to the final listening (no split is near). Else its other cues are heard at that offset
//! too, and cues still unheard (beside a split) are heard at the offsets of the heard cues
//! either side of them. Only the acoustic model's windows around the cues are scored, not
//! the whole recording twice.
//!
//! The answer has the shape of [`aligned::Reading::heard_starts`]'s (where each cue's first
//! word was heard), so the segmentation and every later step stay as they were. Too few
//! cues heard (hard audio, another recording): `None`, and the sync aligns the whole
//! transcript as before.

use std::collections::HashSet;

use super::correlate::{Correlator, Scratch};
use super::words;
use super::words::Ears;

/// Cues with words per group: enough cue gaps for the speech to place the group on its
/// own, few enough that a group rarely holds more than one split.
const GROUP: usize = 8;

/// Cues of a group heard to test an offset.
const PROBES: usize = 3;

/// Probes heard in place that make an offset the group's.
const MIN_PROBES_IN_PLACE: usize = 2;

/// Best lags of a group's correlation tried, after the group before's offset and the whole
/// file's.
const LAGS_TRIED: usize = 4;

/// Two lags closer than this (frames) are one peak of the correlation.
const PEAK_WIDTH: i64 = 150;

/// A cue is heard in place within this of where the offset puts it, frames: the
/// segmentation's inlier tolerance (`aligned::INLIER_FRAMES`).
const IN_PLACE_FRAMES: i64 = 30;

/// Least share of the cues with words heard before the answer is trusted over the whole
/// transcript's alignment.
const MIN_HEARD_SHARE: f64 = 0.5;

/// Below this share of the cues with words heard, none of their words are in the recording:
/// aligning them as a transcript over it would find none either, and took most of the time
/// a mismatch needed to be refused. Another text measured 0 (0 of 38 cues, on two 37-minute
/// recordings), the same text in another voice 0.06–0.53, matched recordings 0.81 and more
/// in a hall and over a telephone line (docs/sync.md, session 46).
pub const NOTHING_HEARD_SHARE: f64 = 0.02;

/// What hearing the cues piece by piece found.
#[derive(Debug)]
pub enum Pieces {
    /// Where each cue's first word was heard (seconds; file order, `None` for cues without
    /// words or not heard in place).
    Heard(Vec<Option<f64>>),
    /// Too few cues heard in place to trust: this share of those listened to.
    TooFew(f64),
    /// Too few cues with words to hear in groups.
    NotTried,
}

impl Pieces {
    /// Whether aligning the cues as a transcript over the whole recording may still find
    /// them: not when piece by piece heard next to none ([`NOTHING_HEARD_SHARE`]).
    pub fn worth_aligning_whole(&self) -> bool {
        !matches!(self, Pieces::TooFew(share) if *share < NOTHING_HEARD_SHARE)
    }
}

/// Where each cue's first word was heard ([`Pieces::Heard`]; file order via `order`), or
/// how few were. `speech` is the recording's speech per frame, `scaled` the cues' frames
/// after the ratio (time order), `words` their words (time order), `global_lag` the whole
/// file's offset (frames).
pub fn heard_starts(
    speech: &[f32],
    scaled: &[(i64, i64)],
    order: &[usize],
    words: &[Vec<String>],
    global_lag: i64,
    ears: Ears,
    slack_s: f64,
) -> Pieces {
    let n = scaled.len();
    let speakable: Vec<usize> = (0..n).filter(|&k| !words[k].is_empty()).collect();
    if speakable.len() < 2 * GROUP {
        return Pieces::NotTried;
    }
    let frames = speech.len() as i64;
    let correlator = Correlator::new(speech, speech.len(), speech.len());
    // One set of FFT buffers for every group (each as long as twice the recording).
    let mut scratch = correlator.scratch();
    // Heard start and the offset it was heard at (frames), time order.
    let mut heard: Vec<Option<(i64, i64)>> = vec![None; n];
    let mut last_offset = global_lag;
    // Cues left unheard in a group whose probes were all in place.
    let mut skipped: Vec<usize> = Vec::new();
    // Every (cue, offset) heard, so none is heard twice.
    let mut asked: HashSet<(usize, i64)> = HashSet::new();
    for group in speakable.chunks(GROUP) {
        let lags = best_lags(&correlator, &mut scratch, scaled, group, frames);
        let probes = probes(group, scaled);
        let mut tried: Vec<i64> = Vec::new();
        for o in std::iter::once(last_offset)
            .chain(lags)
            .chain(std::iter::once(global_lag))
        {
            if tried.iter().any(|&t| (t - o).abs() <= IN_PLACE_FRAMES) {
                continue;
            }
            tried.push(o);
            let at: Vec<(usize, i64)> = probes.iter().map(|&k| (k, o)).collect();
            asked.extend(&at);
            let got = hear_at(ears, scaled, &at, slack_s);
            if got.iter().flatten().count() < MIN_PROBES_IN_PLACE.min(probes.len()) {
                continue;
            }
            for (&k, h) in probes.iter().zip(&got) {
                heard[k] = h.map(|h| (h, o));
            }
            // Every probe in place at the offset of the group before: no split near, and
            // the probes speak for the group (the final listening hears its other cues).
            if o == last_offset && got.iter().all(Option::is_some) {
                skipped.extend(group.iter().filter(|k| !probes.contains(k)));
            } else {
                let rest: Vec<(usize, i64)> = group
                    .iter()
                    .filter(|k| !probes.contains(k))
                    .map(|&k| (k, o))
                    .collect();
                asked.extend(&rest);
                for (&(k, _), h) in rest.iter().zip(hear_at(ears, scaled, &rest, slack_s)) {
                    heard[k] = h.map(|h| (h, o));
                }
            }
            // The cues not heard here (a group straddling a split) are left to the offsets
            // of their heard neighbours, below.
            last_offset = o;
            break;
        }
    }
    // A cue not heard at its group's offset (one beside a split, in a group that took the
    // other side's offset) is heard at the offsets of the heard cues either side of it.
    let mut asks: Vec<(usize, i64)> = Vec::new();
    for &k in speakable
        .iter()
        .filter(|&&k| heard[k].is_none() && !skipped.contains(&k))
    {
        let before = heard[..k].iter().rev().flatten().next().map(|h| h.1);
        let after = heard[k + 1..].iter().flatten().next().map(|h| h.1);
        for o in before.into_iter().chain(after) {
            if asked.insert((k, o)) {
                asks.push((k, o));
            }
        }
    }
    for (&(k, o), h) in asks.iter().zip(hear_at(ears, scaled, &asks, slack_s)) {
        if heard[k].is_none() {
            heard[k] = h.map(|h| (h, o));
        }
    }
    let count = heard.iter().flatten().count();
    let listened = speakable.len() - skipped.len();
    if (count as f64) < MIN_HEARD_SHARE * listened as f64 {
        return Pieces::TooFew(count as f64 / listened.max(1) as f64);
    }
    let mut out = vec![None; n];
    for (k, h) in heard.iter().enumerate() {
        out[order[k]] = h.map(|(f, _)| f as f64 / 100.0);
    }
    Pieces::Heard(out)
}

/// The group's best offsets (frames), best first: its cues +1 and the gaps between them −1,
/// correlated with the speech at every lag that keeps the group's start in the recording.
fn best_lags(
    correlator: &Correlator,
    scratch: &mut Scratch,
    scaled: &[(i64, i64)],
    group: &[usize],
    frames: i64,
) -> Vec<i64> {
    let (first, last) = (group[0], group[group.len() - 1]);
    let base = scaled[first].0;
    let span = (scaled[last].1 - base).max(1) as usize;
    let mut signal = vec![-1.0f32; span];
    for &(a, b) in &scaled[first..=last] {
        let (a, b) = (
            (a - base).clamp(0, span as i64),
            (b - base).clamp(0, span as i64),
        );
        signal[a as usize..b as usize]
            .iter_mut()
            .for_each(|v| *v = 1.0);
    }
    let max_lag = frames as usize;
    let corr = correlator.correlate(&signal, max_lag, scratch);
    let centre = (corr.len() as i64 - 1) / 2;
    // Lags 0.. (the group's start in the recording), best first.
    let mut ranked: Vec<(f32, i64)> = (0..frames)
        .filter_map(|lag| corr.get((lag + centre) as usize).map(|&v| (v, lag)))
        .collect();
    ranked.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let mut peaks: Vec<i64> = Vec::new();
    for (_, lag) in ranked {
        if peaks.len() == LAGS_TRIED {
            break;
        }
        if peaks.iter().all(|&p| (p - lag).abs() > PEAK_WIDTH) {
            peaks.push(lag);
        }
    }
    peaks.into_iter().map(|lag| lag - base).collect()
}

/// Up to [`PROBES`] of `cues` (time order) to hear: the shortest of each of as many
/// equal parts (the aligner's cost grows with a cue's length), spread so that a group
/// straddling a split has most of them on one side.
fn probes(cues: &[usize], scaled: &[(i64, i64)]) -> Vec<usize> {
    let parts = PROBES.min(cues.len());
    (0..parts)
        .filter_map(|p| {
            let part = &cues[p * cues.len() / parts..(p + 1) * cues.len() / parts];
            part.iter()
                .copied()
                .min_by_key(|&k| scaled[k].1 - scaled[k].0)
        })
        .collect()
}

/// Each cue of `at` heard at its offset (frames): where its first word was heard (frames)
/// when that is in place with a clear fit, else `None`. The cues of one call are heard
/// together, neighbours in one run (as `listen` hears them); a cue asked at several offsets
/// is heard once per offset, in separate calls.
fn hear_at(
    ears: Ears,
    scaled: &[(i64, i64)],
    at: &[(usize, i64)],
    slack_s: f64,
) -> Vec<Option<i64>> {
    let mut out = vec![None; at.len()];
    let mut pending: Vec<usize> = (0..at.len()).collect();
    while !pending.is_empty() {
        let mut placed: Vec<Option<(f64, f64)>> = vec![None; scaled.len()];
        let mut batch: Vec<usize> = Vec::new();
        pending.retain(|&i| {
            let (k, o) = at[i];
            if placed[k].is_some() {
                return true;
            }
            let (a, b) = (scaled[k].0 + o, scaled[k].1 + o);
            placed[k] = Some((a as f64 / 100.0, b as f64 / 100.0));
            batch.push(i);
            false
        });
        let got = words::hear(ears, &placed, slack_s);
        for i in batch {
            let (k, o) = at[i];
            out[i] = got[k].and_then(|(s, g)| {
                let s = (s * 100.0).round() as i64;
                (g >= words::CLEAR_FIT && (s - (scaled[k].0 + o)).abs() <= IN_PLACE_FRAMES)
                    .then_some(s)
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only next to none heard skips the whole transcript's alignment: a few cues heard
    /// (the same text in another voice heard 6 % in place) still go to it, as does a
    /// recording too short in cues to be heard in groups.
    #[test]
    fn only_next_to_none_heard_skips_the_whole_alignment() {
        assert!(!Pieces::TooFew(0.0).worth_aligning_whole());
        assert!(!Pieces::TooFew(0.015).worth_aligning_whole());
        assert!(Pieces::TooFew(0.06).worth_aligning_whole());
        assert!(Pieces::NotTried.worth_aligning_whole());
        assert!(Pieces::Heard(vec![Some(1.0)]).worth_aligning_whole());
    }

    #[test]
    fn probes_are_the_shortest_of_each_part() {
        let scaled: Vec<(i64, i64)> = [5, 3, 9, 1, 7, 7, 2, 8]
            .iter()
            .enumerate()
            .map(|(i, &len)| (i as i64 * 100, i as i64 * 100 + len))
            .collect();
        let cues: Vec<usize> = (0..8).collect();
        assert_eq!(probes(&cues, &scaled), vec![1, 3, 6]);
        assert_eq!(probes(&cues[..2], &scaled), vec![0, 1]);
    }

    /// Speech where a group of cues sits 30 s later than the whole file's offset (material
    /// inserted before it) and the same cue pattern nowhere else: its correlation's best
    /// lag is that offset.
    #[test]
    fn a_group_finds_its_place_far_from_the_whole_files_offset() {
        let scaled: Vec<(i64, i64)> = (0..8)
            .map(|i| {
                let s = 1000 + i * 400 + (i * 37 % 11) * 20;
                (s, s + 150 + (i * 13 % 7) * 20)
            })
            .collect();
        let mut speech = vec![0.0f32; 12_000];
        for &(a, b) in &scaled {
            speech[(a + 3000) as usize..(b + 3000) as usize]
                .iter_mut()
                .for_each(|v| *v = 1.0);
        }
        let group: Vec<usize> = (0..8).collect();
        let correlator = Correlator::new(&speech, speech.len(), speech.len());
        let lags = best_lags(
            &correlator,
            &mut correlator.scratch(),
            &scaled,
            &group,
            speech.len() as i64,
        );
        assert_eq!(lags[0], 3000, "{lags:?}");
        assert!(lags.len() > 1);
    }
}
