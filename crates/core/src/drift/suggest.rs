//! Writing a corrected stamp the way the transcript writes its stamps.
//!
//! A suggestion keeps the stamp's own delimiters (`[..]`, `(..)` or none), its hours field,
//! the width of its leading field (`0:07` vs `01:55`) and its fraction digits and separator,
//! so that `[31:99]` becomes `[31:39]` and `(1:02:03,5)` stays `(h:mm:ss,f)`.
//!
//! Precision: a time is cut to the stamp's precision ([`Rounding::Floor`], the default) the
//! way a person notes time from a player clock, or rounded to the nearest unit
//! ([`Rounding::Nearest`]). See `docs/drift.md` for why floor is the default.

use serde::{Deserialize, Serialize};

use crate::transcript::{StampStyle, format_stamp};

/// How a time in seconds is brought to a stamp's precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Cut to the precision, as a player clock shows it: 8:57.8 → `8:57`. The stamp is then
    /// never later than the speech it marks, so seeking to it plays the first word.
    #[default]
    Floor,
    /// Round to the nearest unit: 8:57.8 → `8:58` (error at most half a unit, but seeking
    /// may land just after the first syllable).
    Nearest,
}

/// The style used when a transcript has no stamp to copy: `[mm:ss]`.
pub(crate) const FALLBACK_STYLE: StampStyle = StampStyle {
    open: Some('['),
    close: Some(']'),
    hours: false,
    lead_width: 2,
    fraction_digits: 0,
    fraction_sep: None,
};

/// Writes `seconds` in `style` ([`format_stamp`]), brought to the style's precision by
/// `rounding` first. Negative or non-finite times are written as zero.
pub fn suggest_stamp(seconds: f64, style: &StampStyle, rounding: Rounding) -> String {
    format_stamp(stamp_value(seconds, style, rounding), style)
}

/// The seconds a stamp written by [`suggest_stamp`] stands for (its value once parsed).
pub fn stamp_value(seconds: f64, style: &StampStyle, rounding: Rounding) -> f64 {
    let digits = u32::from(style.fraction_digits.min(9));
    units(seconds, digits, rounding) as f64 / 10f64.powi(digits as i32)
}

/// `seconds` in units of `10^-digits` s, floored or rounded; 0 for negative or non-finite.
fn units(seconds: f64, digits: u32, rounding: Rounding) -> u64 {
    let scale = 10f64.powi(digits as i32);
    let shifted = match rounding {
        Rounding::Floor => seconds * scale,
        Rounding::Nearest => seconds * scale + 0.5,
    };
    // The epsilon keeps 2.9999999999 (float noise of an exact 3.0) from flooring to 2.
    if shifted.is_finite() && shifted > 0.0 {
        (shifted + 1e-6).floor() as u64
    } else {
        0
    }
}

/// The most common style among `styles` (ties go to the first seen), or [`FALLBACK_STYLE`].
pub(crate) fn dominant_style<'a>(styles: impl IntoIterator<Item = &'a StampStyle>) -> StampStyle {
    let mut counts: Vec<(StampStyle, usize)> = Vec::new();
    for style in styles {
        match counts.iter_mut().find(|(s, _)| s == style) {
            Some((_, n)) => *n += 1,
            None => counts.push((*style, 1)),
        }
    }
    let mut best: Option<(StampStyle, usize)> = None;
    for (style, n) in counts {
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((style, n));
        }
    }
    best.map_or(FALLBACK_STYLE, |(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::parse_stamp;

    /// The style of a stamp as written (`[00:00]`, `0:00.000`, ...).
    fn style(example: &str) -> StampStyle {
        parse_stamp(example).unwrap().1
    }

    /// The suggestion cuts to the precision; the writing itself is `format_stamp`'s, tested
    /// with it in `transcript::stamp`.
    #[test]
    fn floor_cuts_to_each_precision() {
        let floor = |t: f64, example: &str| suggest_stamp(t, &style(example), Rounding::Floor);
        assert_eq!(floor(1899.6, "[00:00]"), "[31:39]");
        assert_eq!(floor(59.999, "[00:00]"), "[00:59]");
        assert_eq!(floor(62.9, "(00:00)"), "(01:02)");
        assert_eq!(floor(3723.4567, "[00:00:00,000]"), "[01:02:03,456]");
        assert_eq!(floor(0.39, "0:00.0"), "0:00.3");
        assert_eq!(floor(-4.0, "0:00.0"), "0:00.0");
        assert_eq!(floor(f64::NAN, "0:00.0"), "0:00.0");
        let inf = suggest_stamp(f64::INFINITY, &style("0:00.0"), Rounding::Nearest);
        assert_eq!(inf, "0:00.0");
    }

    #[test]
    fn float_noise_does_not_floor_down() {
        assert_eq!(
            suggest_stamp(0.1 * 30.0, &style("0:00"), Rounding::Floor),
            "0:03"
        );
        let ms = style("0:00.000");
        assert_eq!(suggest_stamp(0.003, &ms, Rounding::Floor), "0:00.003");
        assert_eq!(stamp_value(0.003, &ms, Rounding::Floor), 0.003);
    }

    #[test]
    fn nearest_rounds_half_up() {
        let s = style("[00:00]");
        assert_eq!(suggest_stamp(537.8, &s, Rounding::Nearest), "[08:58]");
        assert_eq!(suggest_stamp(537.4, &s, Rounding::Nearest), "[08:57]");
        assert_eq!(suggest_stamp(537.8, &s, Rounding::Floor), "[08:57]");
        assert_eq!(stamp_value(537.8, &s, Rounding::Nearest), 538.0);
        assert_eq!(stamp_value(537.8, &s, Rounding::Floor), 537.0);
    }

    #[test]
    fn dominant_style_counts() {
        let a = style("[00:00]");
        let b = style("[0:00]");
        assert_eq!(dominant_style([&b, &a, &a]), a);
        assert_eq!(dominant_style([&b, &a]), b);
        assert_eq!(dominant_style([]), FALLBACK_STYLE);
    }
}
