//! Timestamp drift: are the transcript's stamps where their turns really start?
//!
//! [`check`] compares every turn's stated stamp with the turn's aligned start, fits the
//! transcript's clock robustly ([`fit`]: `actual ≈ offset + rate · stated`, with cuts and
//! pauses as separate offsets), judges each stamp (`classify.rs`), and suggests corrections
//! in the transcript's own style ([`suggest_stamp`]). The report renders as text
//! ([`render_text`]) or as an SVG plot ([`plot_svg`]), and [`fix_transcript`] rewrites the
//! transcript with the corrections.
//!
//! Like every algorithm in talign, this module takes parsed structs and returns structs:
//! reading files, writing them and exit codes belong to the CLI. The method, statuses and
//! defaults are documented in `docs/drift.md`.

mod classify;
mod fit;
mod fix;
mod plot;
mod render;
mod suggest;

use serde::{Deserialize, Serialize};

pub use classify::{DriftStatus, StampCheck};
pub use fit::{Fit, FitOptions, SegmentFit, fit};
pub use fix::{FixChange, FixedText, fix_transcript};
pub use plot::plot_svg;
pub use render::render_text;
pub use suggest::{Rounding, stamp_value, suggest_stamp};

use crate::report::Alignment;
use crate::transcript::{StampStatus, Transcript};
use classify::{Rules, TurnFacts, classify_stamp};

/// Options of [`check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckOptions {
    /// A stamp is right when it lies within this many seconds of its turn's start.
    /// Default 2.0. Keep it at least the stamps' precision (1 s for `mm:ss`).
    pub tolerance_s: f64,
    /// Turns aligned with less confidence are not judged (`unverifiable`) and not used in
    /// the fit. Default 0.3, chosen on four renditions (docs/drift.md): confidence is the probability that start and end are within 0.5 s.
    pub min_confidence: f64,
    /// When the median confidence of the transcribed turns is below this, the recording is
    /// taken not to match the transcript and no drift is reported. Default 0.3.
    pub min_median_confidence: f64,
    /// `k` of the outlier rule `|residual| > max(tolerance_s, k · σ)`. Default 3.0.
    pub outlier_k: f64,
    /// Look for cuts and pauses (one offset per stretch of recording). Default true.
    pub piecewise: bool,
    /// Penalty per extra segment in units of `ln n` (BIC: 2). Default 3.0.
    pub segment_penalty: f64,
    /// Fewest stamps in a segment. Default 5.
    pub min_segment_stamps: usize,
    /// A fitted rate further than this many percent from 1 is not believed (offsets only).
    /// Default 10.0.
    pub max_drift_percent: f64,
    /// How suggestions reach the stamp's precision. Default [`Rounding::Floor`].
    pub rounding: Rounding,
}

impl Default for CheckOptions {
    fn default() -> Self {
        let fit = FitOptions::default();
        CheckOptions {
            tolerance_s: fit.tolerance_s,
            min_confidence: 0.3,
            min_median_confidence: 0.3,
            outlier_k: fit.outlier_k,
            piecewise: fit.piecewise,
            segment_penalty: fit.segment_penalty,
            min_segment_stamps: fit.min_segment_stamps,
            max_drift_percent: fit.max_drift_percent,
            rounding: Rounding::Floor,
        }
    }
}

impl CheckOptions {
    /// The fit settings these options imply.
    pub(crate) fn fit_options(&self) -> FitOptions {
        FitOptions {
            tolerance_s: self.tolerance_s,
            outlier_k: self.outlier_k,
            piecewise: self.piecewise,
            segment_penalty: self.segment_penalty,
            min_segment_stamps: self.min_segment_stamps,
            max_drift_percent: self.max_drift_percent,
        }
    }
}

/// What the check concluded (the CLI maps it to its exit code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every stamp is within the tolerance of its turn's start (or there is none): exit 0.
    Pass,
    /// Some stamp is not, is invalid, or lies beyond the audio: exit 1.
    Fail,
    /// The alignment cannot be trusted, so nothing was checked: exit 1.
    Unchecked,
}

/// One stretch of recording with its own offset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    /// Line of the segment's first stamp.
    pub from_line: usize,
    /// Line of the segment's last stamp.
    pub to_line: usize,
    /// Stated time of the first stamp, seconds.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub from_stated_s: f64,
    /// Stated time of the last stamp, seconds.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub to_stated_s: f64,
    /// `actual ≈ offset_s + rate · stated` in this segment (rate shared, see [`FitSummary`]).
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub offset_s: f64,
    /// Stamps fitted in the segment.
    pub stamps: usize,
    /// Of which inliers.
    pub inliers: usize,
}

/// The fitted clock of the transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitSummary {
    /// Offset of the first segment, seconds: where stated time 0 falls in the recording.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub offset_s: f64,
    /// Seconds of recording per stated second (shared by all segments).
    pub rate: f64,
    /// `(rate − 1) · 100`: positive when stamps run slow (the recording runs ahead of them).
    pub drift_percent: f64,
    /// True when the rate was fixed at 1 (fewer than 3 distinct stamps, or implausible).
    pub rate_fixed: bool,
    /// Stamps the fit used (valid, confidently aligned, within the audio).
    pub points: usize,
    /// Of which inliers.
    pub inliers: usize,
    /// Median absolute deviation of the inliers' residuals, seconds.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub residual_mad_s: f64,
    /// Root mean square of the inliers' residuals, seconds.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub residual_rms_s: f64,
    /// Residuals beyond this are outliers, seconds.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub outlier_threshold_s: f64,
    /// One segment, or more when the recording was cut or paused.
    pub segments: Vec<Segment>,
}

/// How many stamps fell in each class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    /// Turns in the transcript.
    pub turns: usize,
    /// Turns with a stamp (valid or not).
    pub stamps: usize,
    /// Consistent stamps.
    pub consistent: usize,
    /// Off stamps.
    pub off: usize,
    /// Invalid stamps.
    pub invalid: usize,
    /// Wrong out-of-order stamps.
    pub out_of_order: usize,
    /// Wrong duplicate stamps.
    pub duplicate: usize,
    /// Turns without a stamp.
    pub missing: usize,
    /// Stamps that could not be judged.
    pub unverifiable: usize,
    /// Stamps beyond the end of the audio.
    pub beyond_audio: usize,
    /// Stamps breaking the exit rule ([`StampCheck::fails`]).
    pub failing: usize,
}

/// The result of [`check`]: a summary line, the verdict, the fit and every stamp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriftReport {
    /// One line for a person, e.g. `stamps run 0.30% slow from +1.8 s; 4 off by more than 2 s`.
    pub summary: String,
    /// Pass (exit 0), fail or unchecked (exit 1).
    pub verdict: Verdict,
    /// Why nothing could be checked, when the alignment cannot be trusted.
    pub unreliable: Option<String>,
    /// The transcript's clock; absent when unreliable or no stamp could be verified.
    pub fit: Option<FitSummary>,
    /// One row per turn, in transcript order.
    pub stamps: Vec<StampCheck>,
    /// Rows per status.
    pub counts: Counts,
    /// The tolerance used, seconds.
    pub tolerance_s: f64,
    /// Duration of the recording, seconds.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub audio_duration_s: f64,
    /// Median alignment confidence of the transcribed turns.
    pub median_confidence: Option<f64>,
}

/// Checks every stamp of `transcript` against the turn starts in `alignment`.
///
/// The alignment's turns are matched to the transcript's by position; when their numbers
/// differ, when more than two thirds of the valid stamps (at least 3) lie past the end of the
/// recording by more than the tolerance (a transcript of some other recording), or when the
/// median confidence of the transcribed turns is below
/// [`CheckOptions::min_median_confidence`], the report is `unreliable`: invalid stamps are
/// still listed, nothing else is judged and the verdict is [`Verdict::Unchecked`].
pub fn check(
    transcript: &Transcript,
    alignment: &Alignment,
    options: &CheckOptions,
) -> DriftReport {
    let turns = &transcript.turns;
    let audio_end = alignment.audio.duration_s.max(0.0);
    let confidences: Vec<f64> = alignment
        .turns
        .iter()
        .map(|t| {
            if t.confidence.is_finite() {
                t.confidence
            } else {
                0.0
            }
        })
        .collect();
    // Untranscribed turns (`Speaks Arabic`) align poorly by nature; judge on the others.
    let any_transcribed = alignment.turns.iter().any(|t| t.transcribed);
    let median_confidence = fit::median(
        alignment
            .turns
            .iter()
            .zip(&confidences)
            .filter(|(t, _)| t.transcribed || !any_transcribed)
            .map(|(_, &c)| c),
    );

    // Stamps the recording cannot hold: when most of them lie past its end, the aligner has
    // squeezed the transcript into the wrong recording (and may well be sure of it).
    let stated: Vec<f64> = turns
        .iter()
        .filter(|t| !matches!(t.stated.status, StampStatus::Invalid | StampStatus::Missing))
        .filter_map(|t| t.stated.seconds)
        .filter(|x| x.is_finite())
        .collect();
    let past_end = stated
        .iter()
        .filter(|&&x| audio_end > 0.0 && x > audio_end + options.tolerance_s)
        .count();
    let unreliable = if alignment.turns.len() != turns.len() {
        Some(format!(
            "the alignment has {} turns but the transcript has {}: they do not belong together; align this transcript again",
            alignment.turns.len(),
            turns.len()
        ))
    } else if stated.len() >= MIN_STAMPS_FOR_MISMATCH && past_end * 3 > stated.len() * 2 {
        let last = stated.iter().copied().fold(f64::MIN, f64::max);
        Some(format!(
            "the recording does not match this transcript: {past_end} of its {} stamps lie past \
             the end of the recording at {} (the last says {}); give the recording the \
             transcript was made from, or cut the transcript to the part this one holds; no \
             drift reported",
            stated.len(),
            clock(audio_end),
            clock(last)
        ))
    } else {
        match median_confidence {
            Some(m) if m < options.min_median_confidence => Some(format!(
                "the recording does not seem to match this transcript (median confidence {m:.2}); no drift reported"
            )),
            _ => None,
        }
    };
    let trusted = unreliable.is_none();

    // Points for the fit: valid stamps, confidently aligned, not past the end of the audio.
    let actual = |i: usize| alignment.turns.get(i).map(|t| t.start);
    let confidence = |i: usize| confidences.get(i).copied().unwrap_or(0.0);
    let mut fit_turns = Vec::new();
    if trusted {
        for (i, turn) in turns.iter().enumerate() {
            let s = &turn.stated;
            let valid = !matches!(s.status, StampStatus::Invalid | StampStatus::Missing);
            if valid
                && let (Some(x), Some(y)) = (s.seconds, actual(i))
                && x.is_finite()
                && y.is_finite()
                && confidence(i) >= options.min_confidence
                && (audio_end <= 0.0 || x <= audio_end)
            {
                fit_turns.push((i, x, y));
            }
        }
    }
    let xs: Vec<f64> = fit_turns.iter().map(|p| p.1).collect();
    let ys: Vec<f64> = fit_turns.iter().map(|p| p.2).collect();
    let fitted = fit::fit(&xs, &ys, &options.fit_options());
    let mut fit_inlier = vec![None; turns.len()];
    if let Some(f) = &fitted {
        for (k, &(i, _, _)) in fit_turns.iter().enumerate() {
            fit_inlier[i] = Some(f.inlier[k]);
        }
    }

    let style = suggest::dominant_style(turns.iter().filter_map(|t| t.stated.style.as_ref()));
    let rules = Rules {
        tolerance_s: options.tolerance_s,
        min_confidence: options.min_confidence,
        rounding: options.rounding,
        audio_end_s: audio_end,
        default_style: &style,
        trusted,
    };
    let stamps: Vec<StampCheck> = turns
        .iter()
        .enumerate()
        .map(|(i, turn)| {
            let facts = TurnFacts {
                turn: i,
                turn_line: turn.line,
                stamp: &turn.stated,
                actual: actual(i),
                confidence: confidence(i),
                fit_inlier: fit_inlier[i],
            };
            classify_stamp(&facts, fitted.as_ref(), &rules)
        })
        .collect();

    let counts = count(&stamps);
    let fit = fitted
        .as_ref()
        .map(|f| summarise_fit(f, &fit_turns, &stamps));
    let verdict = if counts.stamps == 0 {
        Verdict::Pass
    } else if !trusted {
        Verdict::Unchecked
    } else if counts.failing > 0 {
        Verdict::Fail
    } else {
        Verdict::Pass
    };
    let summary = summary_line(
        fit.as_ref(),
        &counts,
        unreliable.as_deref(),
        options.tolerance_s,
        audio_end,
        &stamps,
    );
    DriftReport {
        summary,
        verdict,
        unreliable,
        fit,
        stamps,
        counts,
        tolerance_s: options.tolerance_s,
        audio_duration_s: audio_end,
        median_confidence,
    }
}

fn count(stamps: &[StampCheck]) -> Counts {
    let mut c = Counts {
        turns: stamps.len(),
        ..Counts::default()
    };
    for s in stamps {
        if s.status != DriftStatus::Missing {
            c.stamps += 1;
        }
        if s.fails {
            c.failing += 1;
        }
        match s.status {
            DriftStatus::Consistent => c.consistent += 1,
            DriftStatus::Off => c.off += 1,
            DriftStatus::Invalid => c.invalid += 1,
            DriftStatus::OutOfOrder => c.out_of_order += 1,
            DriftStatus::Duplicate => c.duplicate += 1,
            DriftStatus::Missing => c.missing += 1,
            DriftStatus::Unverifiable => c.unverifiable += 1,
            DriftStatus::BeyondAudio => c.beyond_audio += 1,
        }
    }
    c
}

fn summarise_fit(f: &Fit, fit_turns: &[(usize, f64, f64)], stamps: &[StampCheck]) -> FitSummary {
    let line = |point: usize| stamps[fit_turns[point].0].line;
    FitSummary {
        offset_s: f.offset_s(),
        rate: f.rate,
        drift_percent: f.drift_percent(),
        rate_fixed: f.rate_fixed,
        points: f.inlier.len(),
        inliers: f.inliers(),
        residual_mad_s: f.residual_mad_s,
        residual_rms_s: f.residual_rms_s,
        outlier_threshold_s: f.outlier_threshold_s,
        segments: f
            .segments
            .iter()
            .map(|s| Segment {
                from_line: line(s.first_point),
                to_line: line(s.last_point),
                from_stated_s: s.from_x,
                to_stated_s: s.to_x,
                offset_s: s.offset_s,
                stamps: s.points,
                inliers: s.inliers,
            })
            .collect(),
    }
}

/// Seconds without a trailing `.0`: `2`, `1.5`.
pub(crate) fn secs(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

/// `m:ss` or `h:mm:ss` for a duration in seconds (truncated).
pub(crate) fn clock(seconds: f64) -> String {
    let t = if seconds.is_finite() {
        seconds.max(0.0) as u64
    } else {
        0
    };
    if t >= 3600 {
        format!("{}:{:02}:{:02}", t / 3600, t % 3600 / 60, t % 60)
    } else {
        format!("{}:{:02}", t / 60, t % 60)
    }
}

/// Fewest valid stamps for "most stamps lie past the end of the recording" to mean that the
/// recording does not match the transcript (more than two thirds of them must).
const MIN_STAMPS_FOR_MISMATCH: usize = 3;

/// Drift that adds up to less than this over the stamps' span is not worth reporting.
pub(crate) const NEGLIGIBLE_DRIFT_S: f64 = 0.5;

/// True when the fitted drift accumulates less than [`NEGLIGIBLE_DRIFT_S`] between the first
/// and the last fitted stamp (0.01% over 36 minutes is 0.2 s: noise, not drift).
pub(crate) fn drift_is_negligible(f: &FitSummary) -> bool {
    let (Some(first), Some(last)) = (f.segments.first(), f.segments.last()) else {
        return true;
    };
    let span = last.to_stated_s - first.from_stated_s;
    (f.rate - 1.0).abs() * span < NEGLIGIBLE_DRIFT_S
}

/// Describes the fitted clock: `stamps run 0.30% slow from +1.8 s`.
pub(crate) fn describe_fit(f: &FitSummary) -> String {
    let mut out = if f.rate_fixed {
        format!("stamps are {:+.1} s off (drift not measured)", f.offset_s)
    } else if drift_is_negligible(f) {
        format!("stamps keep time, {:+.1} s off", f.offset_s)
    } else {
        let way = if f.drift_percent > 0.0 {
            "slow"
        } else {
            "fast"
        };
        format!(
            "stamps run {:.2}% {way} from {:+.1} s",
            f.drift_percent.abs(),
            f.offset_s
        )
    };
    for pair in f.segments.windows(2) {
        let jump = pair[1].offset_s - pair[0].offset_s;
        let what = if jump < 0.0 { "skips" } else { "has an extra" };
        out.push_str(&format!(
            "; the recording {what} {:.1} s after line {} (cut or pause)",
            jump.abs(),
            pair[0].to_line
        ));
    }
    out
}

fn summary_line(
    fit: Option<&FitSummary>,
    c: &Counts,
    unreliable: Option<&str>,
    tolerance: f64,
    audio_end: f64,
    stamps: &[StampCheck],
) -> String {
    if c.stamps == 0 {
        return "no stamps to check".to_owned();
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some(reason) = unreliable {
        parts.push(reason.to_owned());
        if c.invalid > 0 {
            parts.push(format!("{} invalid", c.invalid));
        }
        return parts.join("; ");
    }
    match fit {
        Some(f) => parts.push(describe_fit(f)),
        None => parts.push("no stamp could be verified against the audio".to_owned()),
    }
    let tol = secs(tolerance);
    let counted = [
        (c.off, format!("off by more than {tol} s")),
        (c.out_of_order, "out of order".to_owned()),
        (c.duplicate, "wrongly repeated".to_owned()),
        (c.invalid, "invalid".to_owned()),
    ];
    parts.extend(
        counted
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, text)| format!("{n} {text}")),
    );
    if c.beyond_audio > 0 {
        let first = stamps
            .iter()
            .find(|s| s.status == DriftStatus::BeyondAudio)
            .map_or(0, |s| s.line);
        parts.push(format!(
            "{} beyond the end of the audio at {} (from line {first}): the recording seems cut short",
            c.beyond_audio,
            clock(audio_end)
        ));
    }
    if c.unverifiable > 0 {
        parts.push(format!("{} unverifiable (low confidence)", c.unverifiable));
    }
    let checked = c.stamps - c.unverifiable;
    if c.failing == 0 {
        parts.push(format!(
            "all {checked} checked stamps within {tol} s of their turn's start"
        ));
    } else {
        parts.push(format!(
            "{} of {} stamps more than {tol} s from their turn's start",
            c.failing, c.stamps
        ));
    }
    parts.join("; ")
}
