//! Stretches from the words themselves: the cues' text aligned as a transcript (the turn
//! lattice and the acoustic model over the whole recording, stamps ignored), then each cue's
//! shift — where its words were heard minus where the ratio puts it — segmented into runs of
//! one offset by dynamic programming.
//!
//! Speech regions alone cannot tell where material was cut or inserted in dense speech:
//! several layouts cover the speech about as well. The aligner knows which words are where;
//! it misplaces a few cues (those whose material was cut, those beside an insertion), which
//! the segmentation treats as outliers, so one misplaced cue never makes a split.

use std::collections::HashSet;
use std::ops::Range;

use crate::analysis::{Recording, Samples};
use crate::pipeline::{self, AlignOptions};
use crate::progress::Silent;
use crate::spill::SpilledSamples;
use crate::subtitle::{Subtitles, strip_markup};
use crate::transcript::{self, Language, TranscriptFormat};

/// A cue's shift further than this from its stretch's offset (frames, 10 ms) is an outlier:
/// it costs the same however far it is, and takes its place from its neighbours.
pub const INLIER_FRAMES: i64 = 30;

/// What a change of offset costs, in outliers: a split needs more cues behind it than
/// this many misplaced ones.
pub const SPLIT_COST: f64 = 3.0;

/// Two readings of the cues as a transcript: one turn per cue, and cues closer than 0.3 s
/// joined into one turn (continuous speech split for display, told apart by their words'
/// times; the turn lattice places turns at pauses, and there is none between them). Each
/// fails where the other holds: the sync keeps the one whose shifts segment more cleanly.
pub const CONTINUOUS_MS: [i64; 2] = [0, 300];

/// The cues as one transcript: one paragraph per run of continuous cues with words, each
/// with its cues (file order) and their word counts.
#[derive(PartialEq)]
pub struct Reading {
    paragraphs: Vec<(String, Vec<(usize, usize)>)>,
    /// Of every cue (not of a part between two stretches).
    whole: bool,
}

/// The distinct readings of [`CONTINUOUS_MS`] (with `only`, file order, of just those cues),
/// in that order. When no cues are closer than the joining gap both readings are the same
/// transcript, and the aligner would hear it twice for the same answer: it is kept once.
pub fn readings(subs: &Subtitles, only: Option<&[bool]>) -> Vec<Reading> {
    let mut out: Vec<Reading> = Vec::new();
    for &gap in &CONTINUOUS_MS {
        let reading = Reading::new(subs, only, gap);
        if !out.contains(&reading) {
            out.push(reading);
        }
    }
    out
}

impl Reading {
    /// Cues less than `continuous_ms` apart are joined into one turn.
    fn new(subs: &Subtitles, only: Option<&[bool]>, continuous_ms: i64) -> Reading {
        let mut order: Vec<usize> = (0..subs.cues.len())
            .filter(|&i| only.is_none_or(|o| o.get(i).copied().unwrap_or(false)))
            .collect();
        order.sort_by_key(|&i| (subs.cues[i].start_ms, i));
        // One paragraph per run of continuous cues with words (each cue with its word count),
        // one line each. A cue without spoken words keeps its text (`[Speaks Arabic]`) and its
        // own paragraph: the transcript reader makes it an untranscribed turn, so the lattice
        // knows speech is there, or a stage note (`[Music]`).
        let mut paragraphs: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
        let mut last_end: Option<i64> = None;
        for &i in &order {
            let cue = &subs.cues[i];
            let words = cue.spoken_words();
            if words.is_empty() {
                let text = strip_markup(&cue.text);
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    paragraphs.push((text, Vec::new()));
                }
                last_end = None;
                continue;
            }
            let continues = last_end.is_some_and(|end| cue.start_ms - end < continuous_ms);
            match paragraphs.last_mut() {
                Some((text, cues)) if continues => {
                    text.push(' ');
                    text.push_str(&words.join(" "));
                    cues.push((i, words.len()));
                }
                _ => paragraphs.push((words.join(" "), vec![(i, words.len())])),
            }
            last_end = Some(cue.end_ms);
        }
        Reading {
            paragraphs,
            whole: only.is_none(),
        }
    }

    /// Where the aligner heard each cue start (seconds from the start of `recording`; file
    /// order, `cue_count` long), `None` for cues without words or when the aligner could not run
    /// (it then says nothing, and the speech decides).
    pub fn heard_starts(
        &self,
        recording: &Recording,
        cue_count: usize,
        language: &Language,
    ) -> Option<Vec<Option<f64>>> {
        let paragraphs = &self.paragraphs;
        // The whole file in one paragraph says nothing a single offset would not; a part of it
        // (between two stretches) may well be one.
        if paragraphs.is_empty() || (self.whole && paragraphs.len() < 2) {
            return None;
        }
        let text: String = paragraphs.iter().map(|(t, _)| format!("{t}\n\n")).collect();
        let transcript = transcript::parse(&text, Some(TranscriptFormat::Plain));
        let mut options = AlignOptions {
            // Nothing is refused here: a mismatch is judged by the sync's own confidence.
            force: true,
            words: true,
            // The whole file's language, not a guess from the few cues of a gap.
            language: Some(language.clone()),
            ..AlignOptions::default()
        };
        // Only fits the aligner vouches for (`weak_goodness`) give a cue its words' times:
        // the weaker fits that alignment keeps where they agree with the lattice
        // (`agreeing_goodness`) agree with a lattice that was given cut text, and hold the
        // cues beside a cut at the wrong offset (snr10 `splits`, docs/sync.md, session 11).
        // Nor do the weak fits the aligner places turns by since session 33: the sync's
        // stretches were chosen on fits of -4 and better.
        options.align.heard = options.align.heard.clone().without_weak_fits();
        options.align.heard.agreeing_goodness = options.align.heard.weak_goodness;
        // Cue text beside a cut is not in the audio: heard again in a gap widened past a
        // cue without words, or placed again between heard cues, it found other speech
        // (snr10 `splits` 99.0 → 94.3 %, docs/sync.md, session 16).
        options.align.heard.rehear_past_untranscribed = false;
        options.align.place_stray_runs = false;
        options.align.take_back_unclaimed_speech = false;
        let run = pipeline::align_in(
            recording,
            &transcript,
            std::path::Path::new("(subtitles)"),
            &options,
            &Silent,
        )
        .ok()?;
        let mut heard = vec![None; cue_count];
        for (turn, timing) in transcript.turns.iter().zip(&run.alignment.turns) {
            // Paragraph p starts on line 2p + 1.
            let Some((_, cues)) = paragraphs.get(turn.line / 2) else {
                continue;
            };
            let Some(&(first, _)) = cues.first().filter(|_| turn.transcribed) else {
                continue;
            };
            heard[first] = Some(timing.start);
            // The later cues of a run start at their first word, when the words match up.
            let total: usize = cues.iter().map(|c| c.1).sum();
            let Some(words) = timing.words.as_ref().filter(|w| w.len() == total) else {
                continue;
            };
            let mut at = 0;
            for &(cue, count) in cues {
                heard[cue] = Some(words[at].start);
                at += count;
            }
        }
        Some(heard)
    }
}

/// Fewest cues heard at one offset for a stretch found by [`realign_gaps`]: fewer may be
/// cut text that the aligner squeezed into some pause.
const MIN_REALIGNED_INLIERS: usize = 3;

/// Passes of [`realign_gaps`]: each may split a gap into smaller ones.
const REALIGN_PASSES: usize = 3;

/// Cues left without an offset between two stretches of different offsets (a cut or an
/// insertion lies among them) are aligned again on the audio between those two stretches
/// alone, and their shifts segmented as the whole file's were. Over the whole recording the
/// aligner is given text whose audio was cut and squeezes the cues beside it into the
/// wrong place; between the stretches the rest of the file no longer pulls on them.
/// `pcm` is the recording at 16 kHz (mono), `order` maps time order to file order, `scaled`
/// are the cues' frames after the ratio (time order), `offsets` the segmentation's
/// (time order; `None` for cues still to place). Fails only when the samples cannot be read
/// back from their temporary file.
pub fn realign_gaps(
    pcm: &SpilledSamples,
    subs: &Subtitles,
    order: &[usize],
    scaled: &[(i64, i64)],
    offsets: &mut [Option<i64>],
    language: &Language,
) -> crate::Result<()> {
    const SAMPLES_PER_FRAME: i64 = crate::time::HOP_SAMPLES as i64;
    let frames = pcm.len() as i64 / SAMPLES_PER_FRAME;
    let n = offsets.len();
    // A gap heard once and left as it was gives the same answer on a later pass (the same
    // cues, audio and neighbours' offsets): it is not aligned again.
    let mut heard_gaps: HashSet<(usize, usize, i64, i64)> = HashSet::new();
    for _ in 0..REALIGN_PASSES {
        let mut changed = false;
        for Range {
            start: k,
            end: run_end,
        } in super::unplaced_runs(offsets)
        {
            let (Some(a), Some(b)) = (
                k.checked_sub(1).and_then(|j| offsets[j]),
                (run_end < n).then(|| offsets[run_end]).flatten(),
            ) else {
                continue;
            };
            if a == b || !heard_gaps.insert((k, run_end, a, b)) {
                continue;
            }
            let lo = (scaled[k - 1].1 + a).clamp(0, frames);
            let hi = (scaled[run_end].0 + b).clamp(0, frames);
            if hi - lo < 100 {
                continue;
            }
            let mut only = vec![false; subs.cues.len()];
            for &i in &order[k..run_end] {
                only[i] = true;
            }
            let samples =
                pcm.read((lo * SAMPLES_PER_FRAME) as usize..(hi * SAMPLES_PER_FRAME) as usize)?;
            let span = Recording::Samples(Samples {
                data: &samples,
                sample_rate: crate::time::SAMPLE_RATE,
                channels: 1,
                name: std::path::Path::new("(recording)"),
            });
            // Both readings; the one that segments more cleanly per cue heard.
            let best = readings(subs, Some(&only))
                .iter()
                .filter_map(|reading| {
                    let heard = reading.heard_starts(&span, subs.cues.len(), language)?;
                    let shifts: Vec<Option<i64>> = (k..run_end)
                        .map(|j| {
                            heard[order[j]].map(|h| lo + (h * 100.0).round() as i64 - scaled[j].0)
                        })
                        .collect();
                    let count = shifts.iter().flatten().count();
                    let (cost, found) = segment(&shifts, i64::MAX / 4, INLIER_FRAMES)?;
                    Some((cost / count.max(1) as f64, found))
                })
                .min_by(|x, y| x.0.total_cmp(&y.0));
            let Some((_, found)) = best else { continue };
            for (j, o) in (k..run_end).zip(&found) {
                let Some(o) = *o else { continue };
                let support = found.iter().filter(|&&x| x == Some(o)).count();
                if support >= MIN_REALIGNED_INLIERS {
                    offsets[j] = Some(o);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    Ok(())
}

/// Widest inlier tolerance, frames: cues timed loosely by hand stray from their stretch by
/// up to a second and a half (the evaluation's `loose` cues: sigma 0.5 s, at most 1.5 s).
const LOOSEST_FRAMES: i64 = 150;

/// The inlier tolerance for segmenting `shift_sets` (the same cues' shifts under each ratio
/// tried, frames): [`INLIER_FRAMES`] for cues timed to their speech; wider, up to
/// [`LOOSEST_FRAMES`], for cues timed loosely by hand, each off by its own amount. With
/// the tight tolerance such cues are outliers as often as not, and the segmentation buys
/// splits and a wrong ratio with them. How loose: the typical difference between
/// neighbouring cues' shifts (the median, under the ratio where it is smallest: a wrong
/// ratio adds its drift), 2.5 standard deviations of one cue's own error.
pub fn inlier_tolerance<'a>(shift_sets: impl IntoIterator<Item = &'a [Option<i64>]>) -> i64 {
    let typical = shift_sets
        .into_iter()
        .filter_map(|shifts| {
            let heard: Vec<i64> = shifts.iter().flatten().copied().collect();
            let mut steps: Vec<i64> = heard.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
            steps.sort_unstable();
            steps.get(steps.len() / 2).copied()
        })
        .min();
    let Some(typical) = typical else {
        return INLIER_FRAMES;
    };
    // The median of |a - b| for two independent normal errors is 0.954 sigma.
    let sigma = typical as f64 / 0.954;
    ((2.5 * sigma).round() as i64).clamp(INLIER_FRAMES, LOOSEST_FRAMES)
}

/// Of several readings of the same cues' shifts (`(cues heard, ratio, shifts)`: each
/// alignment's under each ratio tried), the one that segments best ([`segment`]): cost per
/// cue heard, a ratio other than 1 costing as much as a split, the first on a tie. Its
/// ratio and per-cue offsets.
pub fn best_segmentation(
    readings: impl Iterator<Item = (f64, f64, Vec<Option<i64>>)>,
    max_lag: i64,
    tolerance: i64,
) -> Option<(f64, Vec<Option<i64>>)> {
    readings
        .filter_map(|(count, ratio, shifts)| {
            let (cost, offsets) = segment(&shifts, max_lag, tolerance)?;
            let bias = if ratio == 1.0 { 0.0 } else { SPLIT_COST };
            Some(((cost + bias) / count, ratio, offsets))
        })
        .min_by(|x, y| x.0.total_cmp(&y.0))
        .map(|(_, ratio, offsets)| (ratio, offsets))
}

/// Per cue (time order; `shifts` are where it was heard minus its start after the ratio,
/// frames) its stretch's offset, `None` for cues not heard or heard elsewhere (outliers, to
/// be placed by [`place_outliers`]); and the segmentation's cost (lower is better) for
/// comparing ratios.
pub fn segment(
    shifts: &[Option<i64>],
    max_lag: i64,
    tolerance: i64,
) -> Option<(f64, Vec<Option<i64>>)> {
    let candidates = candidate_offsets(shifts, tolerance);
    if candidates.is_empty() {
        return None;
    }
    let n = shifts.len();
    let m = candidates.len();
    let residual = |k: usize, o: i64| match shifts[k] {
        Some(d) => ((d - o).abs() as f64 / tolerance as f64).min(1.0),
        None => 0.0,
    };
    // cost[o] after cue k; back[k][o]: the offset index cue k-1 had. The first offset stays
    // within `max_lag`; a split may jump any distance (a removed ad break is minutes long).
    let mut cost: Vec<f64> = (0..m)
        .map(|o| {
            if candidates[o].abs() <= max_lag {
                residual(0, candidates[o])
            } else {
                f64::INFINITY
            }
        })
        .collect();
    let mut back = vec![vec![0u32; m]; n];
    for (k, back_k) in back.iter_mut().enumerate().skip(1) {
        let mut next = vec![0.0; m];
        let (best, best_o) =
            cost.iter().enumerate().fold(
                (f64::INFINITY, 0),
                |acc, (o, &c)| if c < acc.0 { (c, o) } else { acc },
            );
        for o in 0..m {
            let (stay, switch) = (cost[o], best + SPLIT_COST);
            back_k[o] = if stay <= switch { o } else { best_o } as u32;
            next[o] = stay.min(switch) + residual(k, candidates[o]);
        }
        cost = next;
    }
    let (total, mut o) =
        cost.iter().enumerate().fold(
            (f64::INFINITY, 0),
            |acc, (o, &c)| if c < acc.0 { (c, o) } else { acc },
        );
    let mut chosen = vec![0usize; n];
    for k in (0..n).rev() {
        chosen[k] = o;
        o = back[k][o] as usize;
    }
    // Each run's offset: the median shift of its inliers.
    let run_offset = |range: Range<usize>, guess: i64| {
        let mut inliers: Vec<i64> = range
            .filter_map(|j| shifts[j].filter(|d| (d - guess).abs() <= tolerance))
            .collect();
        inliers.sort_unstable();
        inliers.get(inliers.len() / 2).copied().unwrap_or(guess)
    };
    let mut runs: Vec<(Range<usize>, i64)> = Vec::new();
    let mut k = 0;
    while k < n {
        let run_end = (k..n).find(|&j| chosen[j] != chosen[k]).unwrap_or(n);
        let offset = run_offset(k..run_end, candidates[chosen[k]]);
        // Two runs within the inlier tolerance of each other are one stretch: the cues of
        // either are inliers of the other, and no material that short was cut or inserted
        // (a run heard 0.05 s early split snr10 `splits`, docs/sync.md, session 17).
        match runs.last_mut() {
            Some((range, before)) if (offset - *before).abs() <= tolerance => {
                range.end = run_end;
                *before = run_offset(range.clone(), *before);
            }
            _ => runs.push((k..run_end, offset)),
        }
        k = run_end;
    }
    let mut offsets: Vec<Option<i64>> = vec![None; n];
    for (range, offset) in runs {
        for j in range {
            // Cues not heard, or heard elsewhere, take their place from their neighbours.
            offsets[j] = shifts[j]
                .is_some_and(|d| (d - offset).abs() <= tolerance)
                .then_some(offset);
        }
    }
    Some((total, offsets))
}

/// Joins each stretch (a run of one offset among the placed cues, time order) to the one
/// before it when their offsets differ by no more than the inlier tolerance: the later
/// takes the earlier's offset. Stretches found apart (a gap's cues aligned again, say) can
/// differ by a frame or five where nothing was cut (snr10 `splits`: cues heard 0.05 s
/// early made a split, docs/sync.md, session 17).
pub fn join_close_stretches(offsets: &mut [Option<i64>]) {
    let mut current: Option<(i64, i64)> = None; // (offset found, offset given)
    for o in offsets.iter_mut() {
        let Some(found) = *o else { continue };
        current = match current {
            Some((last, given)) if last == found => Some((found, given)),
            Some((_, given)) if (found - given).abs() <= INLIER_FRAMES => Some((found, given)),
            _ => Some((found, found)),
        };
        *o = current.map(|(_, given)| given);
    }
}

/// Offsets worth trying: shifts on a 50 ms grid that at least two cues agree on (within
/// the inlier tolerance).
fn candidate_offsets(shifts: &[Option<i64>], tolerance: i64) -> Vec<i64> {
    let mut sorted: Vec<i64> = shifts.iter().flatten().copied().collect();
    sorted.sort_unstable();
    let mut out: Vec<i64> = Vec::new();
    for &d in &sorted {
        let o = (d as f64 / 5.0).round() as i64 * 5;
        if out.last() == Some(&o) {
            continue;
        }
        let lo = sorted.partition_point(|&x| x < o - tolerance);
        let hi = sorted.partition_point(|&x| x <= o + tolerance);
        if hi - lo >= 2 {
            out.push(o);
        }
    }
    out
}

/// Outliers (`None`) take an offset of their neighbours. Inside a stretch, its offset.
/// Between two stretches (offsets `a` then `b`): the cues before some point take `a`, the
/// rest `b`, each only where it keeps after the end of the cue before it and before the
/// later stretch's first cue (those that fit neither are cut, left `None`); the point is
/// where the most cues take the offset they score higher at (`score(cue, offset)`: how
/// well its words are heard there), the latest on a tie. Cut material often sits just
/// after the earlier stretch: a cue that would fit there must not hold the cues after it
/// away from the later stretch. `scaled` are the cues' frames after the ratio, time order.
pub fn place_outliers(
    offsets: &mut [Option<i64>],
    scaled: &[(i64, i64)],
    mut score: impl FnMut(usize, i64) -> f64,
) {
    let n = offsets.len();
    for Range {
        start: k,
        end: run_end,
    } in super::unplaced_runs(offsets)
    {
        let before = k.checked_sub(1).map(|j| (j, offsets[j].expect("placed")));
        let after = (run_end < n).then(|| (run_end, offsets[run_end].expect("placed")));
        match (before, after) {
            (Some((_, a)), Some((_, b))) if a == b => {
                offsets[k..run_end].iter_mut().for_each(|o| *o = Some(a));
            }
            (Some((p, a)), Some((q, b))) => {
                // One vote per cue, for the offset it is heard better at: how much better
                // says little (a cut cue's words fit neither place).
                let scores: Vec<(f64, f64)> = (k..run_end)
                    .map(|j| {
                        let (sa, sb) = (score(j, a), score(j, b));
                        (f64::from(sa > sb), f64::from(sb > sa))
                    })
                    .collect();
                // Slack of 0.2 s: cues may touch or overlap a little.
                let limit = scaled[q].0 + b + 20;
                let layout = |split: usize| {
                    let mut last_end = scaled[p].1 + a - 20;
                    let mut total = 0.0;
                    let choices: Vec<Option<i64>> = (k..run_end)
                        .map(|j| {
                            let (o, s) = if j < split {
                                (a, scores[j - k].0)
                            } else {
                                (b, scores[j - k].1)
                            };
                            let fits = scaled[j].0 + o >= last_end && scaled[j].1 + o <= limit;
                            fits.then(|| {
                                last_end = scaled[j].1 + o - 20;
                                total += s;
                                o
                            })
                        })
                        .collect();
                    (total, choices)
                };
                let mut best = layout(k);
                for split in k + 1..=run_end {
                    let candidate = layout(split);
                    if candidate.0 >= best.0 {
                        best = candidate;
                    }
                }
                offsets[k..run_end].copy_from_slice(&best.1);
            }
            // At either end: the neighbour's offset (the cues are clamped to the recording).
            (Some((_, o)), None) | (None, Some((_, o))) => {
                offsets[k..run_end].iter_mut().for_each(|x| *x = Some(o));
            }
            (None, None) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Segments and places the outliers; ambiguous cues go to the earlier stretch.
    fn offsets(shifts: &[Option<i64>], scaled: &[(i64, i64)]) -> Vec<Option<i64>> {
        let (_, mut offsets) = segment(shifts, 6000, INLIER_FRAMES).expect("offsets found");
        place_outliers(&mut offsets, scaled, |_, _| 0.0);
        offsets
    }

    /// Forty cues of 2 s with 0.5 s gaps; cues 10..13 cut (their material gone: later cues
    /// 10 s earlier), an insertion of 11 s before cue 25; two cues misheard by 8 s.
    #[test]
    fn finds_a_cut_and_an_insertion_through_misheard_cues() {
        let scaled: Vec<(i64, i64)> = (0..40).map(|k| (k * 250, k * 250 + 200)).collect();
        let truth = |k: i64| -> Option<i64> {
            match k {
                10..=12 => None,
                0..=9 => Some(200),
                13..=24 => Some(200 - 750),
                _ => Some(200 - 750 + 1100),
            }
        };
        let mut shifts: Vec<Option<i64>> = (0..40)
            .map(|k| truth(k).map(|o| o + (k % 3) - 1).or(Some(5000)))
            .collect();
        shifts[5] = Some(1000);
        shifts[30] = Some(-400);
        let offsets = offsets(&shifts, &scaled);
        for (k, &got) in offsets.iter().enumerate() {
            let want = truth(k as i64);
            match (got, want) {
                (Some(got), Some(want)) => assert!((got - want).abs() <= 1, "cue {k}: {got}"),
                (got, want) => assert_eq!(got, want, "cue {k}"),
            }
        }
    }

    #[test]
    fn one_misheard_cue_makes_no_split() {
        let scaled: Vec<(i64, i64)> = (0..20).map(|k| (k * 300, k * 300 + 200)).collect();
        let mut shifts: Vec<Option<i64>> = vec![Some(370); 20];
        shifts[7] = Some(-900);
        shifts[12] = None;
        let offsets = offsets(&shifts, &scaled);
        assert!(offsets.iter().all(|&o| o == Some(370)), "{offsets:?}");
    }

    /// Three cues cut just after the first stretch, and the aligner lost the four after them:
    /// the cut cues would fit the earlier offset, but the lost cues are heard at the later
    /// one, so the cut cues are left out (`None`) and the lost ones take the later offset.
    #[test]
    fn cut_cues_after_a_stretch_do_not_hold_the_next_ones_back() {
        let scaled: Vec<(i64, i64)> = (0..20).map(|k| (k * 300, k * 300 + 200)).collect();
        let truth = |k: usize| match k {
            0..=4 => Some(0),
            5..=7 => None,
            _ => Some(-900),
        };
        let mut offsets: Vec<Option<i64>> = (0..20).map(truth).collect();
        offsets[8..12].iter_mut().for_each(|o| *o = None);
        place_outliers(&mut offsets, &scaled, |j, o| f64::from(truth(j) == Some(o)));
        let want: Vec<Option<i64>> = (0..20).map(truth).collect();
        assert_eq!(offsets, want);
    }

    /// Cues far apart read the same either way: one reading, heard once. One pair closer
    /// than the joining gap makes the second reading differ: both are kept, in order.
    #[test]
    fn a_reading_the_same_as_the_first_is_kept_once() {
        let srt = |second_start: &str| {
            format!(
                "1\n00:00:01,000 --> 00:00:02,000\nfirst words\n\n\
                 2\n00:00:{second_start} --> 00:00:04,000\nsecond words\n\n\
                 3\n00:00:06,000 --> 00:00:07,000\nthird words\n\n"
            )
        };
        let apart = Subtitles::parse(&srt("03,000"), None).expect("valid SRT");
        assert_eq!(readings(&apart, None).len(), 1);
        let close = Subtitles::parse(&srt("02,100"), None).expect("valid SRT");
        let both = readings(&close, None);
        assert_eq!(both.len(), 2);
        assert_eq!(both[0].paragraphs.len(), 3);
        assert_eq!(both[1].paragraphs.len(), 2);
        // Of some cues only: the first two, close together.
        let only = [true, true, false];
        assert_eq!(readings(&close, Some(&only)).len(), 2);
        assert_eq!(readings(&apart, Some(&only)).len(), 1);
    }

    /// Twenty cues at one offset, then eight heard 0.15 s early on average (a noisy
    /// recording's bias, not a cut): the run costs more than a split as outliers' residuals,
    /// but lies within the inlier tolerance, so it stays one stretch.
    #[test]
    fn a_run_heard_a_little_early_is_no_split() {
        let mut shifts: Vec<Option<i64>> = vec![Some(-210); 28];
        for (j, s) in shifts.iter_mut().enumerate().skip(20) {
            *s = Some(-225 - (j as i64 % 2) * 2);
        }
        let (_, offsets) = segment(&shifts, 6000, INLIER_FRAMES).expect("offsets found");
        let distinct: HashSet<Option<i64>> = offsets.iter().copied().collect();
        assert_eq!(distinct.len(), 1, "{offsets:?}");
    }

    #[test]
    fn stretches_a_few_frames_apart_are_joined() {
        let mut offsets = vec![
            Some(-210),
            Some(-210),
            None,
            Some(-215),
            Some(-215),
            Some(-1200),
            None,
            Some(-1190),
        ];
        join_close_stretches(&mut offsets);
        assert_eq!(
            offsets,
            [
                Some(-210),
                Some(-210),
                None,
                Some(-210),
                Some(-210),
                Some(-1200),
                None,
                Some(-1200)
            ]
        );
    }

    #[test]
    fn nothing_heard_gives_no_segmentation() {
        assert!(segment(&[None, None], 6000, INLIER_FRAMES).is_none());
    }

    /// Cues timed to their speech (shifts within 4 frames) keep the tight tolerance; cues
    /// each off by its own amount (here up to 1.2 s) widen it, up to 1.5 s; the ratio
    /// whose shifts step least decides (the other drifts 30 frames a cue).
    #[test]
    fn the_tolerance_widens_with_the_cues_own_errors() {
        let tight: Vec<Option<i64>> = [3, -2, 0, 4, -1, 2, 0]
            .iter()
            .map(|&d| Some(500 + d))
            .collect();
        assert_eq!(inlier_tolerance([tight.as_slice()]), INLIER_FRAMES);
        let errors = [40, -60, 10, -120, 80, -30, 110, -90, 20, 60];
        let loose: Vec<Option<i64>> = errors.iter().map(|&d| Some(500 + d)).collect();
        let drifting: Vec<Option<i64>> = errors
            .iter()
            .enumerate()
            .map(|(k, &d)| Some(500 + d + 30 * k as i64))
            .collect();
        let tolerance = inlier_tolerance([drifting.as_slice(), loose.as_slice()]);
        // Steps 100, 70, 130, 200, 110, 140, 200, 110, 40: median 110, sigma 115, 2.5
        // sigma 288, clamped.
        assert_eq!(tolerance, 150);
        let gentle: Vec<Option<i64>> = errors.iter().map(|&d| Some(500 + d / 4)).collect();
        // Steps about a quarter as long: median 27, sigma 28.3, 2.5 sigma 71.
        assert_eq!(inlier_tolerance([gentle.as_slice()]), 71);
        assert_eq!(
            inlier_tolerance([[None, Some(3)].as_slice()]),
            INLIER_FRAMES
        );
    }
}
