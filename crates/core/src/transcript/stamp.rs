//! Timestamps as people write them: `m:ss`, `mm:ss`, `h:mm:ss`, an optional `.ms` or `,ms`,
//! bare or in `[...]` / `(...)`; and the order check that decides which stamps to trust.
//!
//! Recognising and validating are separate on purpose: `[31:99]` is clearly meant as a stamp
//! (so it must not be read as speech), but 99 is not a second, so it cannot be used.

use std::fmt::Write as _;

use super::show::clipped;
use super::{Problem, Severity, StampStatus, StampStyle};

/// Characters of a stamp shown in a message; longer ones are clipped.
const SHOWN_CHARS: usize = 40;

/// Why a stamp-shaped token is not a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidStamp {
    /// The seconds field is 60 or more (`[31:99]`).
    Seconds(u64),
    /// The minutes field of `h:mm:ss` is 60 or more.
    Minutes(u64),
    /// A field after the first does not have exactly two digits (`[1:5]`, `[31:995]`).
    FieldWidth,
    /// The time is negative (`[-1:00]`, an SRT timing line starting `-00:00:01,000`).
    Negative,
    /// The leading field has this many digits, over the 3 any recording needs
    /// (`[9999999:59:59]`, `[99999999999999999999:00]`).
    Magnitude(usize),
    /// The fraction has this many digits, over the 9 (nanoseconds) that can mean anything
    /// (`[00:00:00.000000000001]`).
    Fraction(usize),
}

impl std::fmt::Display for InvalidStamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InvalidStamp::Seconds(s) => write!(f, "has {s} seconds"),
            InvalidStamp::Minutes(m) => write!(f, "has {m} minutes"),
            InvalidStamp::FieldWidth => write!(f, "needs two digits for minutes and seconds"),
            InvalidStamp::Negative => write!(f, "is negative; times in a recording start at 0:00"),
            InvalidStamp::Magnitude(d) => write!(
                f,
                "has a {d}-digit leading field, longer than any recording (at most 3 digits)"
            ),
            InvalidStamp::Fraction(d) => {
                write!(f, "has a {d}-digit fraction of a second (at most 9 digits)")
            }
        }
    }
}

/// A recognised stamp token at the start of a string.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scanned {
    /// Byte length of the token, delimiters included.
    pub len: usize,
    /// The time, or why it is not one.
    pub value: Result<f64, InvalidStamp>,
    /// How it was written.
    pub style: StampStyle,
}

/// Parses a whole stamp such as `[01:55]`, `0:07`, `(1:02:03.5)` or `00:00:01,000`.
///
/// Returns the seconds and the style, `Err(Some(_))` for a stamp-shaped token that is not a
/// valid time, `Err(None)` for text that is not a stamp at all.
pub fn parse_stamp(raw: &str) -> Result<(f64, StampStyle), Option<InvalidStamp>> {
    let raw = raw.trim();
    match scan(raw) {
        Some(s) if s.len == raw.len() => s.value.map(|v| (v, s.style)).map_err(Some),
        _ => Err(None),
    }
}

/// Writes `seconds` in `style`, so a corrected stamp looks like the ones around it: the
/// same delimiters (`[..]`, `(..)` or none), hours field, width of the leading field (`0:07`
/// vs `01:55`, a `lead_width` of 0 taken as 1), fraction digits and separator.
///
/// The time is rounded to the nearest unit of the style's precision, so a parsed stamp
/// writes back as it was; `drift::suggest_stamp` offers flooring on top. Negative or
/// non-finite times are written as zero. Without an hours field, minutes run past 59
/// (`[75:02]`), as people write them.
pub fn format_stamp(seconds: f64, style: &StampStyle) -> String {
    let digits = u32::from(style.fraction_digits.min(9));
    let scale = 10u64.pow(digits);
    let scaled = (seconds * scale as f64).round();
    let ticks = if scaled.is_finite() && scaled > 0.0 {
        scaled as u64
    } else {
        0
    };
    let (whole, frac) = (ticks / scale, ticks % scale);
    let width = usize::from(style.lead_width.max(1));
    let mut out = String::with_capacity(16);
    if let Some(open) = style.open {
        out.push(open);
    }
    // Writing to a String cannot fail.
    let _ = if style.hours {
        let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60);
        write!(out, "{h:0width$}:{m:02}:{s:02}")
    } else {
        write!(out, "{:0width$}:{:02}", whole / 60, whole % 60)
    };
    if digits > 0 {
        out.push(style.fraction_sep.unwrap_or('.'));
        let _ = write!(out, "{frac:0w$}", w = digits as usize);
    }
    if let Some(close) = style.close {
        out.push(close);
    }
    out
}

/// Recognises a stamp at the very start of `s`: optional `[`/`(`, an optional minus sign,
/// two or three `:`-separated digit fields, an optional `.`/`,` fraction, and the matching
/// close. A bare stamp must not run on into a letter, digit or `:`, and its fields have 1–3
/// digits; inside brackets any number of digits is stamp-shaped, so `[9999999:59:59]` is
/// recognised (and reported as invalid) rather than read as words. A fraction of any length
/// is recognised; more than 9 digits make the stamp invalid.
pub(crate) fn scan(s: &str) -> Option<Scanned> {
    let b = s.as_bytes();
    let mut i = 0;
    let (open, close) = match b.first() {
        Some(b'[') => (Some('['), Some(']')),
        Some(b'(') => (Some('('), Some(')')),
        _ => (None, None),
    };
    if open.is_some() {
        i += 1;
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    // `-` or U+2212 MINUS SIGN, directly before the first digit.
    let negative = if b.get(i) == Some(&b'-') {
        i += 1;
        true
    } else if s[i..].starts_with('\u{2212}') {
        i += '\u{2212}'.len_utf8();
        true
    } else {
        false
    };
    let max_digits = if open.is_some() { usize::MAX } else { 3 };
    let mut fields: [(u64, usize); 3] = [(0, 0); 3];
    let mut n = 0;
    loop {
        let start = i;
        let mut value = 0u64;
        while let Some(d) = b.get(i).filter(|c| c.is_ascii_digit()) {
            value = value.saturating_mul(10).saturating_add(u64::from(d - b'0'));
            i += 1;
            if i - start > max_digits {
                return None;
            }
        }
        if i == start {
            return None;
        }
        fields[n] = (value, i - start);
        n += 1;
        if n < 3 && b.get(i) == Some(&b':') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
        } else {
            break;
        }
    }
    if n < 2 {
        return None;
    }
    let mut fraction = (0u64, 0usize, None);
    if let Some(&sep) = b.get(i).filter(|&&c| c == b'.' || c == b',') {
        let start = i + 1;
        let mut j = start;
        let mut value = 0u64;
        while let Some(d) = b.get(j).filter(|c| c.is_ascii_digit()) {
            if j - start < 9 {
                value = value * 10 + u64::from(d - b'0');
            }
            j += 1;
        }
        if j > start {
            fraction = (value, j - start, Some(sep as char));
            i = j;
        }
    }
    if let Some(close) = close {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        if b.get(i) != Some(&(close as u8)) {
            return None;
        }
        i += 1;
    } else if b
        .get(i)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b':' || c >= 0x80)
    {
        return None;
    }
    let style = StampStyle {
        open,
        close,
        hours: n == 3,
        lead_width: fields[0].1.min(usize::from(u8::MAX)) as u8,
        fraction_digits: fraction.1.min(9) as u8,
        fraction_sep: fraction.2,
    };
    let value = if negative {
        Err(InvalidStamp::Negative)
    } else {
        validate(&fields[..n], fraction.0, fraction.1)
    };
    Some(Scanned {
        len: i,
        value,
        style,
    })
}

fn validate(fields: &[(u64, usize)], frac: u64, frac_digits: usize) -> Result<f64, InvalidStamp> {
    if fields[0].1 > 3 {
        return Err(InvalidStamp::Magnitude(fields[0].1));
    }
    if frac_digits > 9 {
        return Err(InvalidStamp::Fraction(frac_digits));
    }
    if fields[1..].iter().any(|&(_, width)| width != 2) {
        return Err(InvalidStamp::FieldWidth);
    }
    let (h, m, s) = match *fields {
        [(m, _), (s, _)] => (0, m, s),
        [(h, _), (m, _), (s, _)] => {
            if m >= 60 {
                return Err(InvalidStamp::Minutes(m));
            }
            (h, m, s)
        }
        _ => unreachable!("scan yields two or three fields"),
    };
    if s >= 60 {
        return Err(InvalidStamp::Seconds(s));
    }
    let whole = (h * 3600 + m * 60 + s) as f64;
    Ok(whole + frac as f64 / 10f64.powi(frac_digits as i32))
}

/// Time in whole milliseconds, the resolution at which two stamps count as equal.
pub(crate) fn millis(seconds: f64) -> i64 {
    (seconds * 1000.0).round() as i64
}

/// Order verdict for one valid stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// In order: one of the longest run of non-decreasing stamps.
    Ok,
    /// In that run, but equal to the stamp kept before it.
    Duplicate,
    /// Not in that run.
    OutOfOrder,
}

/// Decides which valid stamps to trust, given the times (ms) of every valid stamp in turn order.
///
/// The trusted stamps are a longest non-decreasing subsequence; where several exist, the one
/// that keeps the earliest stamps (so in `08:57, 08:50`, the later `08:50` is the odd one
/// out, and one mistyped `48:44` among `8:40, 8:50` is flagged alone rather than every stamp
/// after it). A kept stamp equal to the previous kept one is a duplicate. O(n log n).
pub(crate) fn order(times: &[i64]) -> Vec<Verdict> {
    let n = times.len();
    // from[i]: length of the longest non-decreasing run starting at i, computed on the
    // reversed, negated sequence where it becomes "longest non-decreasing ending at".
    let mut from = vec![0usize; n];
    let mut tails: Vec<i64> = Vec::new();
    for i in (0..n).rev() {
        let x = -times[i];
        let pos = tails.partition_point(|&t| t <= x);
        if pos == tails.len() {
            tails.push(x);
        } else {
            tails[pos] = x;
        }
        from[i] = pos + 1;
    }
    let best = tails.len();
    let mut kept = 0;
    let mut last: Option<i64> = None;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let fits = last.is_none_or(|l| times[i] >= l);
        if fits && kept < best && from[i] == best - kept {
            out.push(if last == Some(times[i]) {
                Verdict::Duplicate
            } else {
                Verdict::Ok
            });
            kept += 1;
            last = Some(times[i]);
        } else {
            out.push(Verdict::OutOfOrder);
        }
    }
    out
}

/// A stamp as found by a parser, before it is checked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    /// The text as written.
    pub raw: String,
    /// 1-based line, `None` when it does not come from this file (JSON).
    pub line: Option<usize>,
    /// Byte range in the source, `None` when not rewritable in place.
    pub span: Option<(usize, usize)>,
}

/// Turns found stamps into [`Stamp`](super::Stamp)s with their final status, and the problems
/// each bad one causes, in turn order. `turn_lines[i]` is where turn `i` starts (the line
/// reported for a stamp that has none of its own).
///
/// `voices` (annotation files: who speaks each turn) makes a stamp equal to the one before it
/// a duplicate only when the same voice gave a stamp at that millisecond: two speakers (two
/// tiers) starting together is overlapping speech, and both stamps are `ok`. Without it, any
/// stamp equal to the trusted one before it is a duplicate.
pub(crate) fn check(
    found: Vec<Option<Found>>,
    turn_lines: &[usize],
    voices: Option<&[Option<String>]>,
) -> (Vec<super::Stamp>, Vec<Problem>) {
    let mut invalid: Vec<Option<String>> = vec![None; found.len()];
    let mut stamps: Vec<super::Stamp> = found
        .into_iter()
        .zip(invalid.iter_mut())
        .map(|(f, why)| {
            let Some(f) = f else {
                return super::Stamp::missing();
            };
            let scanned = scan(&f.raw).filter(|s| s.len == f.raw.len());
            let (seconds, style) = match scanned {
                Some(Scanned {
                    value: Ok(v),
                    style,
                    ..
                }) => (Some(v), Some(style)),
                Some(Scanned {
                    value: Err(e),
                    style,
                    ..
                }) => {
                    *why = Some(e.to_string());
                    (None, Some(style))
                }
                None => {
                    *why = Some("is not a time".to_owned());
                    (None, None)
                }
            };
            let status = if seconds.is_some() {
                StampStatus::Ok
            } else {
                StampStatus::Invalid
            };
            super::Stamp {
                raw: Some(f.raw),
                seconds,
                status,
                line: f.line,
                span: f.span,
                style,
            }
        })
        .collect();
    let valid: Vec<usize> = (0..stamps.len())
        .filter(|&i| stamps[i].seconds.is_some())
        .collect();
    let times: Vec<i64> = valid
        .iter()
        .map(|&i| millis(stamps[i].seconds.unwrap_or(0.0)))
        .collect();
    for (&i, v) in valid.iter().zip(order(&times)) {
        stamps[i].status = match v {
            Verdict::Ok => StampStatus::Ok,
            Verdict::Duplicate => StampStatus::Duplicate,
            Verdict::OutOfOrder => StampStatus::OutOfOrder,
        };
    }
    // Which earlier stamp each duplicate repeats: among the kept stamps at its millisecond, the
    // last one (of the same voice, when voices are known).
    let mut repeats: Vec<Option<usize>> = vec![None; stamps.len()];
    let mut group: Vec<usize> = Vec::new();
    let mut group_ms = None;
    for (&i, &ms) in valid.iter().zip(&times) {
        if stamps[i].status == StampStatus::OutOfOrder {
            continue;
        }
        if group_ms != Some(ms) {
            group.clear();
            group_ms = Some(ms);
        }
        let earlier = match voices {
            None => group.last().copied(),
            Some(v) => group.iter().rev().copied().find(|&j| v.get(j) == v.get(i)),
        };
        stamps[i].status = if earlier.is_some() {
            StampStatus::Duplicate
        } else {
            StampStatus::Ok
        };
        repeats[i] = earlier;
        group.push(i);
    }
    let problems = report(&stamps, &invalid, &repeats, turn_lines, voices.is_some());
    (stamps, problems)
}

/// One problem per invalid, out-of-order or duplicate stamp (`repeats[i]`: the stamp a
/// duplicate repeats), each suggesting the range the trusted stamps around it allow.
/// `annotation`: the stamps are an annotation file's own times, one voice per tier.
fn report(
    stamps: &[super::Stamp],
    invalid: &[Option<String>],
    repeats: &[Option<usize>],
    turn_lines: &[usize],
    annotation: bool,
) -> Vec<Problem> {
    let trusted: Vec<usize> = (0..stamps.len()).filter(|&i| stamps[i].usable()).collect();
    let neighbours = |i: usize| {
        let k = trusted.partition_point(|&t| t < i);
        let before = k.checked_sub(1).map(|k| trusted[k]);
        let after = trusted.get(k).copied().filter(|&t| t != i);
        (before, after)
    };
    let describe = |j: usize| {
        let s = &stamps[j];
        let raw = clipped(s.raw.as_deref().unwrap_or(""), SHOWN_CHARS);
        match s.line {
            Some(line) => format!("{raw} (line {line})"),
            None => format!("{raw} (turn {j})"),
        }
    };
    let range = |i: usize| match neighbours(i) {
        (Some(b), Some(a)) => Some(format!(
            "a time between {} and {}",
            describe(b),
            describe(a)
        )),
        (Some(b), None) => Some(format!("a time after {}", describe(b))),
        (None, Some(a)) => Some(format!("a time before {}", describe(a))),
        (None, None) => None,
    };
    let between = |i: usize| range(i).map(|r| format!("correct it to {r}"));
    let any_stamp = stamps.iter().any(|s| s.raw.is_some());
    let mut problems = Vec::new();
    for (i, s) in stamps.iter().enumerate() {
        let raw = clipped(s.raw.as_deref().unwrap_or(""), SHOWN_CHARS);
        let line = s
            .line
            .unwrap_or_else(|| turn_lines.get(i).copied().unwrap_or(0));
        let mut push = |kind: &str, message: String, suggestion, severity| {
            problems.push(Problem {
                line,
                kind: kind.to_owned(),
                message,
                suggestion,
                severity,
            })
        };
        match s.status {
            StampStatus::Invalid => {
                let why = invalid[i].as_deref().unwrap_or("is not a time");
                push(
                    "invalid_stamp",
                    format!("timestamp {raw} {why}; treated as missing"),
                    between(i).or_else(|| {
                        Some(
                            "correct it to m:ss or h:mm:ss (e.g. [01:02:03.5]), or delete it"
                                .to_owned(),
                        )
                    }),
                    Severity::Error,
                );
            }
            StampStatus::OutOfOrder => {
                let (before, after) = neighbours(i);
                let seconds = s.seconds.unwrap_or(0.0);
                let message = match (before, after) {
                    (Some(b), _) if seconds < stamps[b].seconds.unwrap_or(0.0) => format!(
                        "timestamp {raw} is earlier than the stamp before it, {}; treated as \
                         missing",
                        describe(b)
                    ),
                    (_, Some(a)) => format!(
                        "timestamp {raw} is later than the stamp after it, {}; treated as missing",
                        describe(a)
                    ),
                    _ => format!("timestamp {raw} is out of order; treated as missing"),
                };
                push("out_of_order", message, between(i), Severity::Error);
            }
            StampStatus::Duplicate => {
                let prev = repeats[i].map(describe).unwrap_or_default();
                let (message, suggestion) = if annotation {
                    (
                        format!(
                            "the stretch starting at {raw} starts at the same millisecond as the \
                             same speaker's stretch at {prev}; its time is treated as missing"
                        ),
                        "one speaker (one tier) starts one stretch at a time: correct the start \
                         of one of them in the file, or join the two stretches",
                    )
                } else {
                    (
                        format!(
                            "timestamp {raw} is the same as the stamp before it, {prev}; treated \
                             as missing"
                        ),
                        "right only if the turn before is shorter than the stamps' resolution \
                         (a one-word answer); otherwise correct it",
                    )
                };
                push(
                    "duplicate_stamp",
                    message,
                    Some(suggestion.to_owned()),
                    Severity::Warning,
                );
            }
            // Only worth saying when the transcript stamps other turns.
            StampStatus::Missing if any_stamp => push(
                "missing_stamp",
                "turn has no timestamp; it will be placed from the audio alone".to_owned(),
                range(i).map(|r| format!("add one if you know it: {r}")),
                Severity::Warning,
            ),
            StampStatus::Ok | StampStatus::Missing => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(raw: &str) -> f64 {
        parse_stamp(raw).unwrap().0
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(secs("[0:07]"), 7.0);
        assert_eq!(secs("[01:55]"), 115.0);
        assert_eq!(secs("4:30"), 270.0);
        assert_eq!(secs("(01:02)"), 62.0);
        assert_eq!(secs("[01:02:03]"), 3723.0);
        assert_eq!(secs("1:02:03.5"), 3723.5);
        assert_eq!(secs("00:00:01,250"), 1.25);
        assert_eq!(secs("[ 75:02 ]"), 4502.0);
    }

    #[test]
    fn stamp_shaped_but_invalid() {
        assert_eq!(parse_stamp("[31:99]"), Err(Some(InvalidStamp::Seconds(99))));
        assert_eq!(parse_stamp("[31:95]"), Err(Some(InvalidStamp::Seconds(95))));
        assert_eq!(parse_stamp("1:75:00"), Err(Some(InvalidStamp::Minutes(75))));
        assert_eq!(parse_stamp("[1:5]"), Err(Some(InvalidStamp::FieldWidth)));
        assert_eq!(InvalidStamp::Seconds(99).to_string(), "has 99 seconds");
    }

    #[test]
    fn hostile_stamps_are_stamp_shaped_but_invalid() {
        use InvalidStamp::*;
        assert_eq!(parse_stamp("[-1:00]"), Err(Some(Negative)));
        assert_eq!(parse_stamp("[ \u{2212}0:05 ]"), Err(Some(Negative)));
        assert_eq!(parse_stamp("-00:00:01,000"), Err(Some(Negative)));
        assert_eq!(
            parse_stamp("[99999999999999999999:00]"),
            Err(Some(Magnitude(20)))
        );
        assert_eq!(parse_stamp("[9999999:59:59]"), Err(Some(Magnitude(7))));
        assert_eq!(
            parse_stamp("[00:00:00.000000000001]"),
            Err(Some(Fraction(12)))
        );
        let long = format!("[00:00:00.{}]", "9".repeat(5000));
        assert_eq!(parse_stamp(&long), Err(Some(Fraction(5000))));
        assert_eq!(
            parse_stamp("[999:59:59.123456789]").unwrap().0,
            3_599_999.123456789
        );
        // Bare, a long leading field is prose, not a stamp.
        assert_eq!(parse_stamp("9999999:59:59"), Err(None));
    }

    #[test]
    fn not_stamps() {
        for s in [
            "[?]",
            "12",
            "[01:55",
            "01:55]",
            "1:30pm",
            "a1:30",
            "[1:2:3:4]",
            "1234:00",
            ":30",
            "1:",
            "",
        ] {
            assert_eq!(parse_stamp(s), Err(None), "{s:?}");
        }
        // A sentence full stop or comma is not a fraction.
        assert_eq!(scan("1:30. Then").unwrap().len, 4);
        assert_eq!(scan("1:30, 2:00").unwrap().len, 4);
    }

    #[test]
    fn style_round_trips() {
        for raw in [
            "[0:07]",
            "[01:55]",
            "(1:02:03)",
            "00:00:01,250",
            "12:05.5",
            "[4:30]",
            "[75:02]",
        ] {
            let (s, style) = parse_stamp(raw).unwrap();
            assert_eq!(format_stamp(s, &style), raw);
        }
        let (_, style) = parse_stamp("[08:50]").unwrap();
        assert_eq!(format_stamp(531.4, &style), "[08:51]");
    }

    fn style(open: Option<char>, close: Option<char>, hours: bool, lead: u8) -> StampStyle {
        StampStyle {
            open,
            close,
            hours,
            lead_width: lead,
            fraction_digits: 0,
            fraction_sep: None,
        }
    }

    #[test]
    fn brackets_and_lead_width() {
        let s0 = style(Some('['), Some(']'), false, 0);
        let s1 = style(Some('['), Some(']'), false, 1);
        let s2 = style(Some('['), Some(']'), false, 2);
        assert_eq!(format_stamp(7.0, &s0), "[0:07]");
        assert_eq!(format_stamp(7.0, &s1), "[0:07]");
        assert_eq!(format_stamp(7.0, &s2), "[00:07]");
        assert_eq!(format_stamp(115.0, &s2), "[01:55]");
        assert_eq!(format_stamp(1899.4, &s2), "[31:39]");
        assert_eq!(format_stamp(4500.0, &s2), "[75:00]");
    }

    #[test]
    fn parens_bare_hours_fraction() {
        let p = style(Some('('), Some(')'), false, 2);
        assert_eq!(format_stamp(62.4, &p), "(01:02)");
        assert_eq!(format_stamp(62.5, &p), "(01:03)");
        let bare = style(None, None, false, 1);
        assert_eq!(format_stamp(5.0, &bare), "0:05");
        let h = style(Some('['), Some(']'), true, 2);
        assert_eq!(format_stamp(3723.0, &h), "[01:02:03]");
        let h1 = style(None, None, true, 1);
        assert_eq!(format_stamp(3723.0, &h1), "1:02:03");
        let frac = StampStyle {
            fraction_digits: 3,
            fraction_sep: Some(','),
            ..h
        };
        assert_eq!(format_stamp(3723.4567, &frac), "[01:02:03,457]");
        let dot1 = StampStyle {
            fraction_digits: 1,
            fraction_sep: Some('.'),
            ..bare
        };
        assert_eq!(format_stamp(0.3, &dot1), "0:00.3");
        assert_eq!(format_stamp(59.96, &dot1), "1:00.0");
    }

    #[test]
    fn negative_and_non_finite_times_write_zero() {
        let s = style(Some('['), Some(']'), false, 2);
        for t in [-4.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(format_stamp(t, &s), "[00:00]", "{t}");
        }
    }

    #[test]
    fn float_noise_does_not_change_the_unit() {
        let s = style(None, None, false, 1);
        assert_eq!(format_stamp(0.1 * 30.0, &s), "0:03");
        let ms = StampStyle {
            fraction_digits: 3,
            fraction_sep: Some('.'),
            ..s
        };
        assert_eq!(format_stamp(0.003, &ms), "0:00.003");
    }

    /// Naive O(n²) reference: longest non-decreasing subsequence, lexicographically earliest
    /// indices among the longest.
    fn naive(times: &[i64]) -> Vec<Verdict> {
        let n = times.len();
        let mut from = vec![1usize; n];
        for i in (0..n).rev() {
            for j in i + 1..n {
                if times[j] >= times[i] {
                    from[i] = from[i].max(1 + from[j]);
                }
            }
        }
        let best = from.iter().copied().max().unwrap_or(0);
        let mut out = vec![Verdict::OutOfOrder; n];
        let (mut kept, mut last) = (0, None::<i64>);
        for i in 0..n {
            if last.is_none_or(|l| times[i] >= l) && kept < best && from[i] == best - kept {
                out[i] = if last == Some(times[i]) {
                    Verdict::Duplicate
                } else {
                    Verdict::Ok
                };
                kept += 1;
                last = Some(times[i]);
            }
        }
        out
    }

    #[test]
    fn order_flags_the_odd_stamp_out() {
        use Verdict::*;
        // 08:46, 08:50, 08:57, 08:50, 09:08: the second 08:50 is the odd one.
        assert_eq!(
            order(&[526, 530, 537, 530, 548]),
            vec![Ok, Ok, Ok, OutOfOrder, Ok]
        );
        // A mistyped late stamp is flagged alone.
        assert_eq!(order(&[100, 4800, 200, 300]), vec![Ok, OutOfOrder, Ok, Ok]);
        assert_eq!(order(&[5, 5, 6]), vec![Ok, Duplicate, Ok]);
        assert_eq!(order(&[]), vec![]);
    }

    #[test]
    fn order_matches_naive_reference_on_seeded_input() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..500 {
            let n = (next() % 40) as usize;
            let times: Vec<i64> = (0..n).map(|_| (next() % 12) as i64).collect();
            assert_eq!(order(&times), naive(&times), "{times:?}");
        }
    }

    #[test]
    fn check_reports_with_neighbours() {
        let found = |raw: &str, line| {
            Some(Found {
                raw: raw.into(),
                line: Some(line),
                span: None,
            })
        };
        let (stamps, problems) = check(
            vec![
                found("[31:10]", 1),
                found("[31:99]", 2),
                found("[31:53]", 3),
                None,
            ],
            &[1, 2, 3, 4],
            None,
        );
        assert_eq!(stamps[1].status, StampStatus::Invalid);
        assert_eq!(stamps[3].status, StampStatus::Missing);
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[1].kind, "missing_stamp");
        assert_eq!(
            problems[1].suggestion.as_deref(),
            Some("add one if you know it: a time after [31:53] (line 3)")
        );
        assert_eq!(
            problems[0].message,
            "timestamp [31:99] has 99 seconds; treated as missing"
        );
        assert_eq!(
            problems[0].suggestion.as_deref(),
            Some("correct it to a time between [31:10] (line 1) and [31:53] (line 3)")
        );
    }

    #[test]
    fn two_voices_may_start_together_one_voice_may_not() {
        let found = |raw: &str, line| {
            Some(Found {
                raw: raw.into(),
                line: Some(line),
                span: None,
            })
        };
        let stamps = || {
            vec![
                found("0:00:01.000", 1),
                found("0:00:01.000", 5),
                found("0:00:01.000", 9),
                found("0:00:02.000", 13),
            ]
        };
        let lines = [1, 5, 9, 13];
        // Without voices (written stamps), the second and third repeat the first.
        let (s, problems) = check(stamps(), &lines, None);
        let status: Vec<_> = s.iter().map(|s| s.status).collect();
        use StampStatus::{Duplicate, Ok};
        assert_eq!(status, [Ok, Duplicate, Duplicate, Ok]);
        assert_eq!(problems.len(), 2);
        assert!(
            problems[0]
                .suggestion
                .as_deref()
                .unwrap()
                .contains("one-word")
        );
        // A and B start together: overlapping speech. A again at the same instant repeats A.
        let voices = [Some("a".into()), Some("b".into()), Some("a".into()), None];
        let (s, problems) = check(stamps(), &lines, Some(&voices));
        let status: Vec<_> = s.iter().map(|s| s.status).collect();
        assert_eq!(status, [Ok, Ok, Duplicate, Ok]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 9);
        assert_eq!(
            problems[0].message,
            "the stretch starting at 0:00:01.000 starts at the same millisecond as the same \
             speaker's stretch at 0:00:01.000 (line 1); its time is treated as missing"
        );
        assert!(
            !problems[0]
                .suggestion
                .as_deref()
                .unwrap()
                .contains("one-word")
        );
    }

    #[test]
    fn a_huge_invalid_stamp_is_named_clipped_with_what_to_do() {
        let raw = format!("[00:00:00.{}]", "0".repeat(5000));
        let (stamps, problems) = check(
            vec![Some(Found {
                raw,
                line: Some(7),
                span: None,
            })],
            &[7],
            None,
        );
        assert_eq!(stamps[0].status, StampStatus::Invalid);
        let p = &problems[0];
        assert_eq!(p.line, 7);
        assert!(p.message.len() < 200, "{}", p.message);
        assert!(p.message.contains("5000-digit fraction"), "{}", p.message);
        assert!(p.suggestion.as_deref().unwrap().contains("delete it"));
    }
}
