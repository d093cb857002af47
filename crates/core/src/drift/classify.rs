//! Every turn's stamp judged against where its turn really starts.
//!
//! Two distances are kept for each stamp:
//! - `delta_s = actual − stated`: how far the stamp is from its turn's real start. The exit
//!   rule of `talign check` uses this one (`within_tolerance`).
//! - `fit_delta_s = actual − (offset + rate · stated)`: how far the stamp is from where the
//!   transcript's own clock (the fit) puts it. This one tells a wrong stamp from drift.
//!
//! A stamp is **consistent** when it agrees with the transcript's own clock (the fit) within
//! the tolerance: it is as right as its neighbours and at most shares their drift, which the
//! summary reports once. It is **off** (or out of order, or a duplicate) when it disagrees
//! with the clock: a stamp that happens to match the real time while every neighbour runs
//! slow was written differently from the rest, and is flagged. Without a fit (too few
//! stamps), the real start alone decides.

use serde::{Deserialize, Serialize};

use super::fit::Fit;
use super::suggest::{Rounding, suggest_stamp};
use crate::transcript::{Stamp, StampStatus, StampStyle};

/// The verdict on one turn's stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftStatus {
    /// Within the tolerance of the fitted clock (of the real start when there is no fit).
    Consistent,
    /// A valid stamp that is wrong: off the fitted clock (or the real start, without a fit).
    Off,
    /// Not a time (`[31:99]`).
    Invalid,
    /// Written out of order and wrong (an out-of-order stamp that the audio confirms is
    /// consistent instead).
    OutOfOrder,
    /// Repeats the previous stamp and is wrong (a repeat confirmed by the audio, two turns
    /// within one second, is consistent instead).
    Duplicate,
    /// The turn has no stamp.
    Missing,
    /// The turn's alignment confidence is too low to judge the stamp.
    Unverifiable,
    /// The stamp lies past the end of the recording.
    BeyondAudio,
}

impl DriftStatus {
    /// A wrong stamp that the audio located: off, out of order or duplicate.
    pub fn is_wrong(self) -> bool {
        matches!(
            self,
            DriftStatus::Off | DriftStatus::OutOfOrder | DriftStatus::Duplicate
        )
    }
}

/// One turn's stamp, checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StampCheck {
    /// 0-based turn index.
    pub turn: usize,
    /// 1-based line of the stamp (of the turn when the stamp is missing).
    pub line: usize,
    /// The stamp as written, `null` when missing.
    pub raw: Option<String>,
    /// The stated time in seconds, `null` when missing or invalid.
    #[serde(serialize_with = "crate::time::ms::option::serialize")]
    pub stated_s: Option<f64>,
    /// The transcript parser's verdict on the text of the stamp.
    pub stated_status: StampStatus,
    /// Where the turn really starts (aligned start), seconds; `null` without an alignment.
    #[serde(serialize_with = "crate::time::ms::option::serialize")]
    pub actual_s: Option<f64>,
    /// `actual_s − stated_s`: positive when the turn starts after its stamp.
    #[serde(serialize_with = "crate::time::ms::option::serialize")]
    pub delta_s: Option<f64>,
    /// `actual_s` minus where the fit puts `stated_s`; `null` without a fit.
    #[serde(serialize_with = "crate::time::ms::option::serialize")]
    pub fit_delta_s: Option<f64>,
    /// Whether the stamp served as an inlier of the fit; `null` when it was not used.
    pub fit_inlier: Option<bool>,
    /// The verdict.
    pub status: DriftStatus,
    /// `|delta_s| ≤ tolerance`; `null` when there is no delta.
    pub within_tolerance: Option<bool>,
    /// True when this stamp breaks the exit rule: invalid, beyond the audio, or a verifiable
    /// stamp more than the tolerance from its turn's start.
    pub fails: bool,
    /// The stamp to write instead (or to add, for a missing one), in the transcript's style;
    /// `null` when the stamp is fine or the turn's start is not known well enough.
    pub suggestion: Option<String>,
    /// The turn's alignment confidence.
    pub confidence: f64,
}

/// Everything [`classify_stamp`] needs to know about one turn.
pub(crate) struct TurnFacts<'a> {
    pub turn: usize,
    pub turn_line: usize,
    pub stamp: &'a Stamp,
    pub actual: Option<f64>,
    pub confidence: f64,
    pub fit_inlier: Option<bool>,
}

/// Settings of the classification.
pub(crate) struct Rules<'a> {
    pub tolerance_s: f64,
    pub min_confidence: f64,
    pub rounding: Rounding,
    /// Audio duration; 0 when unknown.
    pub audio_end_s: f64,
    /// Style for stamps that have none (missing ones): the transcript's dominant style.
    pub default_style: &'a StampStyle,
    /// False when the alignment as a whole cannot be trusted: nothing is verified.
    pub trusted: bool,
}

/// Judges one turn's stamp.
pub(crate) fn classify_stamp(
    facts: &TurnFacts<'_>,
    fit: Option<&Fit>,
    rules: &Rules<'_>,
) -> StampCheck {
    let stamp = facts.stamp;
    let stated = match stamp.status {
        StampStatus::Invalid | StampStatus::Missing => None,
        _ => stamp.seconds.filter(|s| s.is_finite()),
    };
    let confident = rules.trusted
        && facts.actual.is_some_and(f64::is_finite)
        && facts.confidence >= rules.min_confidence;
    let actual = facts.actual.filter(|a| a.is_finite());
    let delta = stated.zip(actual).map(|(s, a)| a - s);
    let fit_delta = match (fit, stated, actual) {
        (Some(f), Some(s), Some(a)) if rules.trusted => Some(f.residual(s, a)),
        _ => None,
    };
    let within = delta.map(|d| d.abs() <= rules.tolerance_s);
    let fit_within = fit_delta.map(|d| d.abs() <= rules.tolerance_s);
    let beyond = stated.is_some_and(|s| {
        let predicted = fit.map_or(s, |f| f.predict(s));
        rules.trusted
            && rules.audio_end_s > 0.0
            && predicted > rules.audio_end_s + rules.tolerance_s
    });

    let status = if stamp.status == StampStatus::Missing || stamp.raw.is_none() {
        DriftStatus::Missing
    } else if stated.is_none() {
        DriftStatus::Invalid
    } else if beyond {
        DriftStatus::BeyondAudio
    } else if !confident {
        DriftStatus::Unverifiable
    } else if fit_within.unwrap_or(within == Some(true)) {
        DriftStatus::Consistent
    } else {
        match stamp.status {
            StampStatus::OutOfOrder => DriftStatus::OutOfOrder,
            StampStatus::Duplicate => DriftStatus::Duplicate,
            _ => DriftStatus::Off,
        }
    };

    let fails = match status {
        DriftStatus::Invalid | DriftStatus::BeyondAudio => true,
        DriftStatus::Missing | DriftStatus::Unverifiable => false,
        _ => within == Some(false),
    };
    let wants_change = match status {
        DriftStatus::Invalid | DriftStatus::Missing => true,
        DriftStatus::Off | DriftStatus::OutOfOrder | DriftStatus::Duplicate => true,
        DriftStatus::Consistent => within == Some(false),
        DriftStatus::Unverifiable | DriftStatus::BeyondAudio => false,
    };
    let suggestion = match actual {
        Some(a) if wants_change && confident => {
            let style = stamp.style.as_ref().unwrap_or(rules.default_style);
            let text = suggest_stamp(a, style, rules.rounding);
            (stamp.raw.as_deref() != Some(text.as_str())).then_some(text)
        }
        _ => None,
    };

    StampCheck {
        turn: facts.turn,
        line: stamp.line.unwrap_or(facts.turn_line),
        raw: stamp.raw.clone(),
        stated_s: stated,
        stated_status: stamp.status,
        actual_s: actual,
        delta_s: delta,
        fit_delta_s: fit_delta,
        fit_inlier: facts.fit_inlier,
        status,
        within_tolerance: within,
        fails,
        suggestion,
        confidence: facts.confidence,
    }
}
