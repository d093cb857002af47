//! A layout of the cues from where their words were heard, for cues timed loosely on an
//! edited recording (`each_cue`).
//!
//! The careful layout segments the cues' shifts with a tolerance of 0.3 s
//! (`aligned::INLIER_FRAMES`): cues timed loosely by hand (each off by up to a second and a
//! half) are outliers there as often as not, and it buys a wrong ratio and dozens of
//! splits with them (Festival's loosely timed subtitles for 25 fps on the edited recording:
//! ratio 0.999, 27 splits, cut points 11 cues off; docs/sync.md, session 50). Every cue's
//! words aligned as a transcript say where each cue is heard, as far as the alignment's
//! hints allowed; those heard starts, against the cues' own starts after each standard
//! ratio, are segmented here with a tolerance as loose as the cues' own errors
//! ([`aligned::inlier_tolerance`]): the ratio and the few stretches of the edit, from which
//! every cue gets a hint, and the cues of the cut material are found.

use super::{Split, SyncReport, aligned, correlate, round3};
use crate::subtitle::Subtitles;

/// Where each cue (file order) is said to start for the aligner, ms, which cues' material is
/// taken as cut from the recording, and the layout that says so.
pub struct HeardLayout {
    pub hint_ms: Vec<i64>,
    pub cut: Vec<bool>,
    /// Frame-rate ratio (`new = ratio · old + offset`).
    ratio: f64,
    /// Each cue's stretch offset, ms, where it was heard on one (file order).
    offset_ms: Vec<Option<i64>>,
    /// The cues in time order of their own starts.
    order: Vec<usize>,
}

/// The layout implied by `heard_ms` (where each cue's first word was heard, ms, file order;
/// `None` where it was not heard), for cues with their own `times` (ms, file order) and
/// `speaks` (whether a cue has words to hear). `None` when too few cues were heard to
/// segment.
///
/// A cue heard off its stretch keeps where it was heard. A cue not heard between two
/// stretches of different offsets takes the offset at which it fits between them (after
/// the earlier stretch's last cue, before the later one's first, within the tolerance), the
/// earlier first; a cue with words that fits neither is material cut from the recording. A
/// cue without words (`[Speaks Arabic]`) is never cut: after a cut cue it takes the later
/// stretch's offset, else the one it fits at, the earlier first.
pub fn from_heard(
    heard_ms: &[Option<i64>],
    times: &[(i64, i64)],
    speaks: &[bool],
) -> Option<HeardLayout> {
    let n = times.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (times[i].0, i));
    // Each standard ratio's shifts, frames (10 ms), time order: where heard minus where the
    // ratio puts the cue's own start.
    let shift_sets: Vec<(f64, Vec<Option<i64>>)> = correlate::standard_ratios()
        .into_iter()
        .map(|ratio| {
            let shifts = order
                .iter()
                .map(|&i| {
                    heard_ms[i]
                        .map(|h| ((h as f64 - times[i].0 as f64 * ratio) / 10.0).round() as i64)
                })
                .collect();
            (ratio, shifts)
        })
        .collect();
    let tolerance = aligned::inlier_tolerance(shift_sets.iter().map(|(_, s)| s.as_slice()));
    let count = heard_ms.iter().flatten().count().max(1) as f64;
    let (ratio, offsets) = aligned::best_segmentation(
        shift_sets
            .into_iter()
            .map(|(ratio, shifts)| (count, ratio, shifts)),
        i64::MAX / 4,
        tolerance,
    )?;
    // Time positions of the cues on a stretch, and where a cue lands at an offset, ms.
    let placed: Vec<usize> = (0..n).filter(|&k| offsets[k].is_some()).collect();
    let stretch_ms = |k: usize| offsets[k].map_or(0.0, |o| o as f64 * 10.0);
    let at = |k: usize, o: f64| {
        let (start, end) = times[order[k]];
        (start as f64 * ratio + o, end as f64 * ratio + o)
    };
    let slack = tolerance as f64 * 10.0;
    let mut hint_ms = vec![0i64; n];
    let mut cut = vec![false; n];
    // Whether the last cue with words before this one was taken as cut.
    let mut after_cut = false;
    for (k, &i) in order.iter().enumerate() {
        let next = placed.partition_point(|&q| q < k);
        let before = next.checked_sub(1).map(|p| placed[p]);
        let after = placed.get(next).copied();
        // Between the stretch before's last cue and the stretch after's first.
        let fits = |o: f64| {
            let (start, end) = at(k, o);
            before.is_none_or(|p| start >= at(p, stretch_ms(p)).1 - slack)
                && after.is_none_or(|q| end <= at(q, stretch_ms(q)).0 + slack)
        };
        let offset = match (offsets[k], before, after) {
            (Some(o), _, _) => o as f64 * 10.0,
            (None, Some(p), Some(q)) if offsets[p] != offsets[q] => {
                let (a, b) = (stretch_ms(p), stretch_ms(q));
                if !speaks[i] {
                    if fits(a) && !after_cut {
                        a
                    } else if fits(b) || after_cut {
                        b
                    } else {
                        a
                    }
                } else if let Some(h) = heard_ms[i] {
                    hint_ms[i] = h;
                    after_cut = false;
                    continue;
                } else if fits(a) {
                    a
                } else if fits(b) {
                    b
                } else {
                    cut[i] = true;
                    a
                }
            }
            (None, Some(p), _) => stretch_ms(p),
            (None, None, Some(q)) => stretch_ms(q),
            (None, None, None) => 0.0,
        };
        if speaks[i] {
            after_cut = cut[i];
        }
        hint_ms[i] = at(k, offset).0.round() as i64;
    }
    let mut offset_ms = vec![None; n];
    for (k, &i) in order.iter().enumerate() {
        offset_ms[i] = offsets[k].map(|o| o * 10);
    }
    Some(HeardLayout {
        hint_ms,
        cut,
        ratio,
        offset_ms,
        order,
    })
}

impl HeardLayout {
    /// The cues heard on a stretch and not cut (file indices, time order), with its offset,
    /// ms.
    fn stretched(&self) -> Vec<(usize, i64)> {
        self.order
            .iter()
            .filter_map(|&i| self.offset_ms[i].filter(|_| !self.cut[i]).map(|o| (i, o)))
            .collect()
    }

    /// Where the offset changes between neighbouring stretched cues: (the cue before, the
    /// cue after, file indices; the change, ms).
    fn splits(&self) -> Vec<(usize, usize, i64)> {
        self.stretched()
            .windows(2)
            .filter(|w| w[0].1 != w[1].1)
            .map(|w| (w[0].0, w[1].0, w[1].1 - w[0].1))
            .collect()
    }

    /// Writes this layout into `report` when the alignment from its hints was kept: its
    /// ratio, the first stretch's offset, a split between neighbouring cues (time order)
    /// heard on stretches of different offsets, and its cut cues. `subs` holds the cues'
    /// new times.
    pub fn describe(&self, subs: &Subtitles, report: &mut SyncReport) {
        report.ratio = (self.ratio * 1e6).round() / 1e6;
        report.offset_s = self
            .stretched()
            .first()
            .map_or(0.0, |&(_, o)| round3(o as f64 / 1000.0));
        report.splits = self
            .splits()
            .into_iter()
            .map(|(after, before, jump_ms)| Split {
                after_cue: subs.cues[after].number,
                before_cue: subs.cues[before].number,
                at_s: round3(subs.cues[before].start_ms as f64 / 1000.0),
                jump_s: round3(jump_ms as f64 / 1000.0),
            })
            .collect();
        report.cut_cues = self
            .order
            .iter()
            .filter(|&&i| self.cut[i])
            .map(|&i| subs.cues[i].number)
            .collect();
        for (shift, &cut) in report.cues.iter_mut().zip(&self.cut) {
            shift.cut = cut;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cues 4 s apart, 2 s long, timed for 23.976 fps shown at 25 (heard at their start
    /// times 25/23.976), each off by its own amount of up to 0.9 s, with the material of
    /// cues 12 to 17 cut (24 s): the later cues heard that much early, the cut ones nowhere.
    #[test]
    fn loosely_timed_cues_of_an_edited_recording_find_the_ratio_and_the_cut() {
        let ratio = 25.0 / (24000.0 / 1001.0);
        let jitter = [
            0, 700, -500, 300, -900, 100, 800, -200, -700, 400, 600, -300,
        ];
        let n = 40;
        let times: Vec<(i64, i64)> = (0..n)
            .map(|k| {
                let start = 4_000 * k as i64 + jitter[k % jitter.len()];
                (start, start + 2_000)
            })
            .collect();
        let cut_cues = 12..18;
        let truth = |k: usize| {
            let at = (4_000 * k as i64) as f64 * ratio;
            if k >= cut_cues.end {
                at - 24_000.0 * ratio
            } else {
                at
            }
        };
        let heard: Vec<Option<i64>> = (0..n)
            .map(|k| (!cut_cues.contains(&k)).then(|| truth(k).round() as i64))
            .collect();
        let speaks = vec![true; n];
        let layout = from_heard(&heard, &times, &speaks).expect("a layout");
        let cut: Vec<usize> = (0..n).filter(|&k| layout.cut[k]).collect();
        assert_eq!(
            cut,
            (13..18).collect::<Vec<_>>(),
            "the cut cues (the first fits before)"
        );
        // 25/23.976 or 25/24: 0.1 % apart, 0.16 s over these 160 s, under the tolerance.
        assert!(
            (layout.ratio / ratio - 1.0).abs() < 0.002,
            "ratio {}",
            layout.ratio
        );
        // One split, between the last cue before the cut material and the first after it,
        // of the cut's length (24 s, 25.0 s after the ratio) give or take the cues' errors.
        let splits = layout.splits();
        assert_eq!(splits.len(), 1, "{splits:?}");
        let (after, before, jump_ms) = splits[0];
        assert_eq!((after, before), (11, 18), "{splits:?}");
        assert!(
            (jump_ms as f64 + 24_000.0 * ratio).abs() < 1_000.0,
            "{splits:?}"
        );
        for k in (0..n).filter(|k| !cut_cues.contains(k)) {
            // The hint keeps the cue's own error (at most 0.9 s, 0.94 s after the ratio),
            // which the alignment undoes; a wrong ratio or stretch is seconds off.
            let error = (layout.hint_ms[k] as f64 - truth(k)).abs();
            assert!(
                error <= 1_000.0,
                "cue {k}: hint {} for {}",
                layout.hint_ms[k],
                truth(k)
            );
        }
    }

    #[test]
    fn a_cue_without_words_after_cut_material_takes_the_later_stretch() {
        let ratio = 1.0;
        let _ = ratio;
        let times: Vec<(i64, i64)> = (0..30).map(|k| (3_000 * k, 3_000 * k + 2_000)).collect();
        // Cues 10..14 cut (12 s), cue 14 without words, the rest heard on time.
        let heard: Vec<Option<i64>> = (0..30)
            .map(|k: i64| match k {
                10..=14 => None,
                k if k > 14 => Some(3_000 * k - 12_000),
                k => Some(3_000 * k),
            })
            .collect();
        let mut speaks = vec![true; 30];
        speaks[14] = false;
        let layout = from_heard(&heard, &times, &speaks).expect("a layout");
        assert!(!layout.cut[14]);
        assert_eq!(layout.hint_ms[14], 3_000 * 14 - 12_000);
        assert!(layout.cut[11] && layout.cut[13]);
    }

    #[test]
    fn nothing_heard_is_no_layout() {
        let times = vec![(0, 1_000), (2_000, 3_000)];
        assert!(from_heard(&[None, None], &times, &[true, true]).is_none());
    }
}
