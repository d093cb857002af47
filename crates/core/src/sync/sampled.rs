//! The fast path: the speech's layout confirmed by hearing a sample of its cues.
//!
//! Aligning the cues' text as a transcript over the whole recording (`aligned.rs`) and then
//! hearing every cue (`words.rs`) is nearly all of a careful sync's time. When the speech
//! regions already give the layout (one offset and one ratio, say), a sample of cues spread
//! over the file, each heard in a window around its place, tells whether it holds:
//!
//! 1. every second or third cue with words is heard (±`word_slack_s`), a third of them
//!    first (most of those off the line: no further), and one line per stretch fitted
//!    through them, as the careful path's final fit does;
//! 2. around each sampled cue not heard on its line, the cues between it and the sampled
//!    cues beside it are heard too;
//! 3. runs of cues in a row not heard on their line are heard again in a wide window, so
//!    a stretch at another offset (a cut or an insertion the speech did not see) is heard
//!    clearly where it is, while hard audio stays unclear.
//!
//! The layout stands when most heard cues are on their line, no [`OUT_OF_PLACE_RUN`] cues
//! in a row are heard clearly at one other offset, and no long run is heard nowhere. Each
//! stretch then moves by the line through its heard cues, and the confidence is the heard
//! cues' share. A sample whose words were nearly all heard clearly, but many of them off
//! their line, each by its own amount, is timed loosely (or for another reading): no
//! layout fits it, and the careful path would only find that again. Otherwise the sync
//! takes the careful path.

use super::words::{self, Ears};
use super::{ANOTHER_READING_SHARE, Hypothesis, Listened};

/// What the sample says of the layout.
pub enum Verdict {
    /// The layout stands: the line per stretch and the counts of the cues heard.
    Confirmed(Listened),
    /// The cues are timed loosely, or for another reading ([`timed_loosely`]): their words
    /// are heard, each cue at its own distance from the line. The sample's counts.
    TimedLoosely(Listened),
    /// Neither: the careful path decides.
    Unconfirmed,
}

/// Least share of a sample's cues with words whose words were heard clearly (on their line
/// or off it) for it to be timed loosely: loosely timed and another reading's subtitles,
/// 0.91–1.0 on six recordings; a layout the words do not follow (a split the speech
/// missed), at most 0.6 (real speech; 0.48 in a hall), docs/sync.md, session 49.
const LOOSE_HEARD_SHARE: f64 = 0.8;

/// Least share of the pairs of neighbours in a sample (both heard clearly) whose offsets
/// from the line differ by more than [`IN_PLACE_S`] for it to be timed loosely, each cue
/// by its own amount: 0.58–0.93 on loosely timed and another reading's subtitles (six
/// recordings), at most 0.39 where a split the speech missed moved a stretch and 0.2 on
/// matched layouts (docs/sync.md, session 49).
const LOOSE_JUMP_SHARE: f64 = 0.5;

/// Cues heard first, spread evenly over the cues with words: enough for a line per stretch
/// and a share that a mismatched file (at most 1 in 9 heard in place, docs/sync.md session
/// 11) cannot reach by chance. 24, not 48: a sixth less time on the evaluation's files, every
/// case within 50 ms as before; a hard recording leaves the fast path more often, and the
/// careful path places it (docs/sync.md, session 44).
const SAMPLE_CUES: usize = 24;

/// The sample takes at least every third cue with words, so any [`OUT_OF_PLACE_RUN`] cues
/// in a row hold a sampled one, whose doubt brings its neighbours in.
const MAX_STEP: usize = 3;

/// This many cues with words in a row heard clearly at one other offset are a stretch at
/// that offset, not mishearings: the careful path needs as many to find a stretch between
/// two others (`aligned::MIN_REALIGNED_INLIERS`). Runs this long of cues not heard on their
/// line are heard again in the wide window.
pub const OUT_OF_PLACE_RUN: usize = 3;

/// Audio searched either side of a doubtful cue's place, seconds: a stretch up to this far
/// from the speech's offset is heard clearly there (the evaluation's insertion is 11 s).
pub const WIDE_SLACK_S: f64 = 12.0;

/// Longest run of cues in a row not heard in place (nor clearly elsewhere) that is taken
/// for hard audio; a longer one may be a stretch further away than [`WIDE_SLACK_S`].
const MAX_UNCLEAR_RUN: usize = 6;

/// Least share of the heard cues found in place: matched recordings measured 0.78–1.0 with
/// every cue heard, mismatched ones at most 0.11 (docs/sync.md, session 11).
pub const MIN_SHARE: f64 = 0.6;

/// Least number of cues heard in place, so the line and the share rest on enough cues.
pub const MIN_IN_PLACE: usize = 8;

/// A stretch's line steeper than this (|rate − 1|) sends the sync down the careful path,
/// which tells the candidate ratios apart by their words: half the gap between the nearest
/// standard ratios (25/24 and 25/23.976 differ by 1.0·10⁻³), five times what the final
/// line may correct ([`words::MAX_RESIDUAL_RATE`]).
const OFF_RATIO_RATE: f64 = 5e-4;

/// A heard cue is in place within this of its stretch's line, seconds (as the confidence's
/// rule in `listen`).
const IN_PLACE_S: f64 = 0.3;

/// Hears a sample of `h`'s cues (time order, `words` of each) and, when they confirm the
/// layout, returns the line per stretch and the counts of the cues heard (`with_words`), in
/// place with a fit of at least [`words::PLACED_FIT`] (`placed`) and [`words::CLEAR_FIT`]
/// (`clear`); or that the cues are timed loosely ([`Verdict`]).
pub fn confirm(h: &Hypothesis, words: &[Vec<String>], ears: Ears, slack_s: f64) -> Verdict {
    let n = h.mapped.len();
    let speakable: Vec<usize> = (0..n)
        .filter(|&k| h.mapped[k].is_some() && !words[k].is_empty())
        .collect();
    if speakable.len() < MIN_IN_PLACE {
        return Verdict::Unconfirmed;
    }
    let mut stretch_of = vec![usize::MAX; n];
    for (s, members) in h.stretches.iter().enumerate() {
        members.iter().for_each(|&k| stretch_of[k] = s);
    }
    // Positions in `speakable` to hear: every step-th, the last, and both sides of every
    // change of stretch (where a misplaced split would show first).
    let step = speakable.len().div_ceil(SAMPLE_CUES).clamp(1, MAX_STEP);
    let mut ask = vec![false; speakable.len()];
    (0..speakable.len())
        .step_by(step)
        .for_each(|p| ask[p] = true);
    ask[speakable.len() - 1] = true;
    for p in 1..speakable.len() {
        if stretch_of[speakable[p]] != stretch_of[speakable[p - 1]] {
            ask[p - 1] = true;
            ask[p] = true;
        }
    }
    // A third of the sample first: a layout the words do not follow (most cues off their
    // line: a split the speech missed) ends here, at a third of the cost. Only the share
    // counts here: on a short file a third may hold fewer than MIN_IN_PLACE cues.
    let mut first = vec![false; speakable.len()];
    for p in (0..speakable.len()).filter(|&p| ask[p]).step_by(3) {
        first[p] = true;
    }
    let sample = Sample {
        h,
        speakable: &speakable,
        stretch_of: &stretch_of,
        slack_s,
    };
    let mut heard: Vec<Option<(f64, f64, f32)>> = vec![None; n];
    hear_into(h, ears, slack_s, &speakable, &first, &mut heard);
    let judged = sample.judge(&first, &heard);
    let first_in_place = enough_in_place(&first, &judged.in_place, &[], 0);
    // A third nearly all heard, but many cues off their line, may be timed loosely: the
    // whole sample tells (a third is too few on a short file).
    if !first_in_place && !heard_loosely(&first, &judged) {
        return Verdict::Unconfirmed;
    }
    let rest: Vec<bool> = ask.iter().zip(&first).map(|(a, f)| *a && !f).collect();
    hear_into(h, ears, slack_s, &speakable, &rest, &mut heard);
    // Doubts bring in their unheard neighbours, up to the nearest heard cue either side; a
    // sample mostly heard off its line ends here.
    let judged = sample.judge(&ask, &heard);
    if !first_in_place || !enough_in_place(&ask, &judged.in_place, &[], MIN_IN_PLACE) {
        return if timed_loosely(&ask, &judged) {
            Verdict::TimedLoosely(judged.listened)
        } else {
            Verdict::Unconfirmed
        };
    }
    let mut more = vec![false; speakable.len()];
    for p in (0..speakable.len()).filter(|&p| ask[p] && !judged.in_place[p]) {
        let mut q = p;
        while q > 0 && !ask[q - 1] {
            q -= 1;
            more[q] = true;
        }
        let mut q = p + 1;
        while q < speakable.len() && !ask[q] {
            more[q] = true;
            q += 1;
        }
    }
    let judged = if more.iter().any(|&m| m) {
        hear_into(h, ears, slack_s, &speakable, &more, &mut heard);
        for (a, m) in ask.iter_mut().zip(&more) {
            *a |= m;
        }
        sample.judge(&ask, &heard)
    } else {
        judged
    };
    // Runs of cues not heard in place are heard again in a wide window: a stretch at another
    // offset is then heard clearly elsewhere, while hard audio stays unclear.
    let doubtful = in_long_runs(&ask, &judged.in_place, OUT_OF_PLACE_RUN);
    // Not worth the wide window: too few cues would be in place even if every doubtful one
    // were, or a run too long for the wide window to break into runs of hard audio.
    if !enough_in_place(&ask, &judged.in_place, &doubtful, MIN_IN_PLACE)
        || longest_out_of_place_run(&ask, &judged.in_place) > 2 * MAX_UNCLEAR_RUN
    {
        return Verdict::Unconfirmed;
    }
    let judged = if doubtful.iter().any(|&d| d) {
        hear_into(h, ears, WIDE_SLACK_S, &speakable, &doubtful, &mut heard);
        sample.judge(&ask, &heard)
    } else {
        judged
    };
    let elsewhere_run =
        longest_elsewhere_run(&ask, &judged.in_place, &judged.elsewhere, &judged.residual);
    let unclear_run = longest_out_of_place_run(&ask, &judged.in_place);
    let every_stretch = h.stretches.iter().enumerate().all(|(s, _)| {
        let mut members = (0..speakable.len()).filter(|&p| stretch_of[speakable[p]] == s);
        members.clone().next().is_none() || members.any(|p| judged.in_place[p])
    });
    let confirmed = enough_in_place(&ask, &judged.in_place, &[], MIN_IN_PLACE)
        && elsewhere_run < OUT_OF_PLACE_RUN
        && unclear_run <= MAX_UNCLEAR_RUN
        && every_stretch
        && !judged.off_the_ratio;
    if confirmed {
        Verdict::Confirmed(judged.listened)
    } else {
        Verdict::Unconfirmed
    }
}

/// The cues marked in `asked` nearly all heard clearly ([`LOOSE_HEARD_SHARE`]), and at
/// least [`ANOTHER_READING_SHARE`] as many off their line as on it.
fn heard_loosely(asked: &[bool], judged: &Judged) -> bool {
    let asked_count = asked.iter().filter(|&&a| a).count();
    let on = judged.listened.clear;
    let off = judged.listened.elsewhere;
    (on + off) as f64 >= LOOSE_HEARD_SHARE * asked_count as f64
        && off as f64 >= ANOTHER_READING_SHARE * on as f64
}

/// A whole sample heard loosely ([`heard_loosely`]), timed for another reading by the
/// sync's own rule ([`Listened::timed_for_another_reading`]), and each cue off by its own
/// amount: most neighbours heard clearly differ in their offset from the line by more than
/// [`IN_PLACE_S`] ([`LOOSE_JUMP_SHARE`]), as they do not where a stretch moved as one.
fn timed_loosely(asked: &[bool], judged: &Judged) -> bool {
    let clear: Vec<usize> = (0..asked.len())
        .filter(|&p| asked[p] && (judged.in_place[p] || judged.elsewhere[p]))
        .collect();
    let jumps = clear
        .windows(2)
        .filter(|w| (judged.residual[w[1]] - judged.residual[w[0]]).abs() > IN_PLACE_S)
        .count();
    heard_loosely(asked, judged)
        && judged.listened.timed_for_another_reading()
        && jumps as f64 >= LOOSE_JUMP_SHARE * clear.len().saturating_sub(1) as f64
}

/// What the sample's lines are fitted over: the layout, its cues with words (positions of
/// `speakable`, time order), the stretch of each cue and the window's slack.
struct Sample<'a> {
    h: &'a Hypothesis,
    speakable: &'a [usize],
    stretch_of: &'a [usize],
    slack_s: f64,
}

impl Sample<'_> {
    /// The points stretch `s`'s line goes through ([`words::points`]) from its cues marked
    /// in `asked`.
    fn stretch_points(
        &self,
        asked: &[bool],
        heard: &[Option<(f64, f64, f32)>],
        s: usize,
    ) -> Vec<(f64, f64)> {
        let members: Vec<usize> = self
            .speakable
            .iter()
            .zip(asked)
            .filter(|&(&k, &a)| a && self.stretch_of[k] == s)
            .map(|(&k, _)| k)
            .collect();
        words::points(&members, &self.h.mapped, heard, self.slack_s)
    }

    /// One line per stretch through where its heard cues' words start and end (as `listen`
    /// fits them, [`words::points`]), then each heard cue judged against its stretch's line.
    fn judge(&self, asked: &[bool], heard: &[Option<(f64, f64, f32)>]) -> Judged {
        let (h, speakable, stretch_of) = (self.h, self.speakable, self.stretch_of);
        let mut fits = vec![(0.0, 1.0); h.stretches.len()];
        let mut off_the_ratio = false;
        for (s, fit) in fits.iter_mut().enumerate() {
            let points = self.stretch_points(asked, heard, s);
            let line = words::robust_line(&points);
            off_the_ratio |= line.is_some_and(|l| (l.rate - 1.0).abs() > OFF_RATIO_RATE);
            if let Some(f) = words::fit_with(&points, line) {
                *fit = f;
            }
        }
        let mut in_place = vec![false; speakable.len()];
        let mut elsewhere = vec![false; speakable.len()];
        let mut residual = vec![0.0; speakable.len()];
        let mut listened = Listened {
            fits,
            ..Listened::default()
        };
        for (p, &k) in speakable.iter().enumerate().filter(|(p, _)| asked[*p]) {
            listened.with_words += 1;
            let (offset, rate) = listened.fits[stretch_of[k]];
            let Some((m, _)) = h.mapped[k] else { continue };
            let Some((heard_s, _, g)) = heard[k] else {
                continue;
            };
            residual[p] = heard_s - (offset + rate * m);
            let on_line = residual[p].abs() <= IN_PLACE_S;
            listened.count_heard(on_line, g);
            if g >= words::CLEAR_FIT {
                in_place[p] = on_line;
                elsewhere[p] = !on_line;
            }
        }
        Judged {
            listened,
            in_place,
            elsewhere,
            residual,
            off_the_ratio,
        }
    }
}

/// Hears the cues at the positions of `speakable` marked in `which`, each alone or with its
/// marked neighbours, into `heard` (time order).
fn hear_into(
    h: &Hypothesis,
    ears: Ears,
    slack_s: f64,
    speakable: &[usize],
    which: &[bool],
    heard: &mut [Option<(f64, f64, f32)>],
) {
    let mut placed: Vec<Option<(f64, f64)>> = vec![None; h.mapped.len()];
    for (&k, _) in speakable.iter().zip(which).filter(|(_, w)| **w) {
        placed[k] = h.mapped[k];
    }
    let got = words::hear_spans(ears, &placed, slack_s);
    for (k, g) in got
        .into_iter()
        .enumerate()
        .filter(|(k, _)| placed[*k].is_some())
    {
        heard[k] = g;
    }
}

/// The lines through the heard cues and which heard cues sit on them.
struct Judged {
    listened: Listened,
    /// Per position of `speakable`: heard in place with a clear fit.
    in_place: Vec<bool>,
    /// Per position of `speakable`: heard with a clear fit away from its stretch's line.
    elsewhere: Vec<bool>,
    /// Per position of `speakable`: where it was heard minus its stretch's line, seconds.
    residual: Vec<f64>,
    /// A stretch's heard cues drift from its line by more than [`OFF_RATIO_RATE`] (its
    /// robust line, [`words::robust_line`], before the final fit clamps it): the speech
    /// chose a neighbour of the subtitles' frame-rate ratio, which the cues' 0.3 s tolerance
    /// does not catch on a short file and the final line may not correct.
    off_the_ratio: bool,
}

/// Whether at least `min_count` and [`MIN_SHARE`] of the heard cues are in place, counting
/// those marked in `could_be` (empty: none) as in place too.
fn enough_in_place(asked: &[bool], in_place: &[bool], could_be: &[bool], min_count: usize) -> bool {
    let heard = asked.iter().filter(|&&a| a).count();
    let placed = (0..asked.len())
        .filter(|&p| asked[p] && (in_place[p] || could_be.get(p).copied().unwrap_or(false)))
        .count();
    placed >= min_count && placed as f64 >= MIN_SHARE * heard as f64
}

/// Positions in runs of at least `len` heard cues in a row, none heard in place.
fn in_long_runs(asked: &[bool], in_place: &[bool], len: usize) -> Vec<bool> {
    let mut out = vec![false; asked.len()];
    let mut start = 0;
    for p in 0..=asked.len() {
        let out_of_place = p < asked.len() && asked[p] && !in_place[p];
        if !out_of_place {
            if p - start >= len {
                out[start..p].iter_mut().for_each(|o| *o = true);
            }
            start = p + 1;
        }
    }
    out
}

/// The most cues in a row (among those heard clearly: the others neither end nor extend a
/// run) heard away from their line at one offset, `residual` (heard minus line, seconds)
/// within 2 · [`IN_PLACE_S`] of each other: a stretch at another offset, where cues heard
/// early or late by different amounts are mishearings.
fn longest_elsewhere_run(
    asked: &[bool],
    in_place: &[bool],
    elsewhere: &[bool],
    residual: &[f64],
) -> usize {
    let mut longest = 0;
    let mut run: Vec<f64> = Vec::new();
    for p in (0..asked.len()).filter(|&p| asked[p] && (in_place[p] || elsewhere[p])) {
        if in_place[p] {
            run.clear();
            continue;
        }
        run.push(residual[p]);
        // The longest tail of the run whose residuals agree.
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        let agreeing = run
            .iter()
            .rev()
            .take_while(|&&r| {
                lo = lo.min(r);
                hi = hi.max(r);
                hi - lo <= 2.0 * IN_PLACE_S
            })
            .count();
        longest = longest.max(agreeing);
    }
    longest
}

/// The longest run of heard cues in a row (positions of `speakable`) none of which was
/// heard in place; a cue not heard ends a run.
fn longest_out_of_place_run(asked: &[bool], in_place: &[bool]) -> usize {
    let (mut longest, mut run) = (0, 0);
    for (&a, &ok) in asked.iter().zip(in_place) {
        run = if a && !ok { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_ended_by_a_cue_in_place_or_not_heard() {
        let asked = [true, true, true, false, true, true, true, true];
        let in_place = [false, false, true, false, false, false, false, true];
        assert_eq!(longest_out_of_place_run(&asked, &in_place), 3);
        assert_eq!(longest_out_of_place_run(&asked[..4], &in_place[..4]), 2);
        assert_eq!(
            in_long_runs(&asked, &in_place, 3),
            [false, false, false, false, true, true, true, false]
        );
    }

    /// Forty cues over 136 s, heard where a ratio 1.0·10⁻³ off puts them (25/24 taken for
    /// 25/23.976: 0.14 s over the file, within every cue's 0.3 s) are off the ratio; heard
    /// on the line with 10 ms of scatter, or drifting by 2·10⁻⁴, they are not.
    #[test]
    fn cues_drifting_from_their_line_by_a_neighbouring_ratio_are_off_it() {
        let n = 40;
        let mapped: Vec<Option<(f64, f64)>> = (0..n)
            .map(|k| {
                let m = 3.4 * k as f64;
                Some((m, m + 2.0))
            })
            .collect();
        let h = Hypothesis {
            offsets: vec![Some(0); n],
            cut: vec![false; n],
            mapped: mapped.clone(),
            stretches: vec![(0..n).collect()],
        };
        let speakable: Vec<usize> = (0..n).collect();
        let asked = vec![true; n];
        let stretch_of = vec![0; n];
        let heard_at = |rate: f64, scatter: f64| -> Vec<Option<(f64, f64, f32)>> {
            mapped
                .iter()
                .enumerate()
                .map(|(k, m)| {
                    let (s, e) = m.expect("mapped");
                    let jitter = scatter * [-1.0, 0.0, 1.0][k % 3];
                    Some((0.1 + s * rate + jitter, 0.1 + e * rate + jitter, 0.0))
                })
                .collect()
        };
        let sample = Sample {
            h: &h,
            speakable: &speakable,
            stretch_of: &stretch_of,
            slack_s: 1.5,
        };
        let off = |heard: &[Option<(f64, f64, f32)>]| sample.judge(&asked, heard).off_the_ratio;
        assert!(off(&heard_at(1.0 + 1.0e-3, 0.0)));
        assert!(off(&heard_at(1.0 - 1.0e-3, 0.01)));
        assert!(!off(&heard_at(1.0, 0.01)));
        assert!(!off(&heard_at(1.0 + 2.0e-4, 0.01)));
    }

    /// A sample judged from each cue's offset from its line where its words were heard
    /// clearly (`None`: not heard clearly).
    fn judged_from(residuals: &[Option<f64>]) -> Judged {
        let mut judged = Judged {
            listened: Listened::default(),
            in_place: vec![false; residuals.len()],
            elsewhere: vec![false; residuals.len()],
            residual: vec![0.0; residuals.len()],
            off_the_ratio: false,
        };
        for (p, r) in residuals.iter().enumerate() {
            judged.listened.with_words += 1;
            if let Some(r) = *r {
                let on = r.abs() <= IN_PLACE_S;
                judged.listened.count_heard(on, words::CLEAR_FIT);
                (judged.in_place[p], judged.elsewhere[p]) = (on, !on);
                judged.residual[p] = r;
            }
        }
        judged
    }

    /// Twenty cues all heard, each off its line by its own amount (as loosely timed
    /// subtitles): timed loosely. The same counts off the line where a stretch moved as one
    /// (a cut of 1 s the speech missed), or with half the cues not heard: not.
    #[test]
    fn cues_each_off_by_its_own_amount_are_timed_loosely_a_stretch_is_not() {
        let asked = [true; 20];
        let own: Vec<Option<f64>> = (0..20)
            .map(|k| Some([0.1, 0.8, -0.6, 0.0, 1.1, -0.9, -0.2, 0.5][k % 8]))
            .collect();
        let judged = judged_from(&own);
        assert!(
            judged.listened.elsewhere >= 8,
            "{}",
            judged.listened.elsewhere
        );
        assert!(timed_loosely(&asked, &judged));
        let stretch: Vec<Option<f64>> = (0..20)
            .map(|k| Some(if k < 10 { 0.05 } else { 1.0 }))
            .collect();
        let judged = judged_from(&stretch);
        assert!(heard_loosely(&asked, &judged));
        assert!(judged.listened.timed_for_another_reading());
        assert!(!timed_loosely(&asked, &judged));
        let half_heard: Vec<Option<f64>> = own
            .iter()
            .enumerate()
            .map(|(k, r)| r.filter(|_| k % 2 == 0))
            .collect();
        assert!(!timed_loosely(&asked, &judged_from(&half_heard)));
    }

    /// Three cues heard clearly 2 s early, one unclear cue among them: a stretch at another
    /// offset. Three heard early by 0.9, 0.4 and 1.7 s (espeak `offset`, cues heard alone
    /// whose window took in their neighbour's words): at most two agree, mishearings.
    #[test]
    fn only_cues_heard_at_one_other_offset_make_a_stretch() {
        let asked = [true; 6];
        let in_place = [true, false, false, false, false, true];
        let elsewhere = [false, true, false, true, true, false];
        let at_one = [0.0, -2.0, 0.0, -2.1, -1.95, 0.0];
        assert_eq!(
            longest_elsewhere_run(&asked, &in_place, &elsewhere, &at_one),
            3
        );
        let scattered = [0.0, -0.94, 0.0, -0.39, -1.7, 0.0];
        assert_eq!(
            longest_elsewhere_run(&asked, &in_place, &elsewhere, &scattered),
            2
        );
    }
}
