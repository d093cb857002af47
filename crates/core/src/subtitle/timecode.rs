//! Subtitle timecodes: reading `HH:MM:SS,mmm` (SRT), `[HH:]MM:SS.mmm` (WebVTT) and
//! `H:MM:SS.cc` (ASS/SSA), and writing them back in the style they were read in. Times are
//! whole milliseconds (`i64`) throughout.

/// Longest time a subtitle may carry: 100 hours. Longer ones are typing errors (or hostile
/// files), and refusing them keeps every later sum far from overflow.
pub const MAX_MS: i64 = 100 * 3_600_000;

/// How a timecode was written, so it is written back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeStyle {
    /// Digits of the hours field (0: no hours field, WebVTT's `MM:SS.mmm`).
    pub hour_digits: u8,
    /// Separator before the fraction: `,` (SRT) or `.`.
    pub separator: char,
    /// Digits of the fraction: 3 (milliseconds), 2 (centiseconds, ASS/SSA) or 1 (tenths).
    pub fraction_digits: u8,
}

impl TimeStyle {
    /// SubRip's `HH:MM:SS,mmm`.
    pub const SRT: TimeStyle = TimeStyle {
        hour_digits: 2,
        separator: ',',
        fraction_digits: 3,
    };
    /// WebVTT's `HH:MM:SS.mmm`.
    pub const VTT: TimeStyle = TimeStyle {
        hour_digits: 2,
        separator: '.',
        fraction_digits: 3,
    };
    /// ASS/SSA's `H:MM:SS.cc`.
    pub const ASS: TimeStyle = TimeStyle {
        hour_digits: 1,
        separator: '.',
        fraction_digits: 2,
    };

    /// Milliseconds per unit of the fraction (1, 10 or 100).
    fn unit(self) -> i64 {
        match self.fraction_digits {
            1 => 100,
            2 => 10,
            _ => 1,
        }
    }

    /// The time `ms` reads back as once written in this style (coarser fractions round).
    pub(crate) fn quantise(self, ms: i64) -> i64 {
        let unit = self.unit();
        (ms.max(0) + unit / 2) / unit * unit
    }

    /// The earliest time this style can write that is not before `ms`.
    pub(crate) fn at_least(self, ms: i64) -> i64 {
        let unit = self.unit();
        (ms.max(0) + unit - 1) / unit * unit
    }

    /// `ms` written in this style; negative times are written as zero, and a style without
    /// hours gains them when the time needs them.
    pub fn format(self, ms: i64) -> String {
        let ms = self.quantise(ms);
        let unit = self.unit();
        let frac_width = usize::from(self.fraction_digits.clamp(1, 3));
        let frac = (ms % 1000) / unit;
        let whole = ms / 1000;
        let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60);
        let sep = self.separator;
        if self.hour_digits == 0 && h == 0 {
            format!("{m:02}:{s:02}{sep}{frac:0frac_width$}")
        } else {
            let width = usize::from(self.hour_digits.max(1));
            format!("{h:0width$}:{m:02}:{s:02}{sep}{frac:0frac_width$}")
        }
    }
}

/// `HH:MM:SS<sep>mmm`, hours with at least two digits (`123:04:05,678` past 99 h); negative
/// times print as zero. The clock of SubRip and WebVTT exports.
pub(crate) fn clock(ms: i64, sep: char) -> String {
    TimeStyle {
        hour_digits: 2,
        separator: sep,
        fraction_digits: 3,
    }
    .format(ms)
}

/// Reads one timecode (the whole of `s`, no spaces). `Err` says what is wrong with it.
///
/// Accepted: `H+:MM:SS[,.]f+` and `MM:SS[,.]f+`, with 1 to 3 fraction digits (a fraction
/// of 1 or 2 digits is tenths or hundredths, as ASS writes it). Minutes and seconds must be
/// below 60; a leading `-` is refused as a negative time; times of [`MAX_MS`] or more are
/// refused.
pub(crate) fn parse(s: &str) -> Result<(i64, TimeStyle), String> {
    parse_written_as(s, "HH:MM:SS,mmm (SRT) or HH:MM:SS.mmm (WebVTT)")
}

/// [`parse`] for ASS/SSA scripts: a timecode that is not one is to be written in the ASS
/// form, `h:mm:ss.cc`.
pub(crate) fn parse_ass(s: &str) -> Result<(i64, TimeStyle), String> {
    parse_written_as(s, "h:mm:ss.cc (ASS, e.g. 0:01:02.50)")
}

/// [`parse`], saying how to write the time (`form`) when it is not a timecode.
fn parse_written_as(s: &str, form: &str) -> Result<(i64, TimeStyle), String> {
    if s.starts_with('-') {
        return Err(format!("`{s}` is a negative time; subtitles start at 0"));
    }
    let bad = || format!("`{s}` is not a timecode; write it as {form}");
    let (clock, sep, frac) = match s.rfind([',', '.']) {
        Some(i) => (&s[..i], s[i..].chars().next().unwrap_or('.'), &s[i + 1..]),
        None => return Err(bad()),
    };
    if frac.is_empty() || frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let fields: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&fields.len())
        || fields
            .iter()
            .any(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let n = fields.len();
    let (min, sec) = (fields[n - 2], fields[n - 1]);
    if min.len() != 2 || sec.len() != 2 {
        return Err(bad());
    }
    let hours_field = if n == 3 { fields[0] } else { "0" };
    if hours_field.len() > 6 {
        return Err(format!("`{s}` is more than 100 hours; check the timecode"));
    }
    let value = |f: &str| f.parse::<i64>().map_err(|_| bad());
    let (h, m, sec_v) = (value(hours_field)?, value(min)?, value(sec)?);
    if m >= 60 || sec_v >= 60 {
        return Err(format!(
            "`{s}` has {} {}; minutes and seconds go up to 59",
            if m >= 60 { m } else { sec_v },
            if m >= 60 { "minutes" } else { "seconds" }
        ));
    }
    let frac_ms = value(frac)? * [100, 10, 1][frac.len() - 1];
    let ms = ((h * 60 + m) * 60 + sec_v) * 1000 + frac_ms;
    if ms >= MAX_MS {
        return Err(format!("`{s}` is more than 100 hours; check the timecode"));
    }
    let style = TimeStyle {
        hour_digits: if n == 3 { hours_field.len() as u8 } else { 0 },
        separator: sep,
        fraction_digits: frac.len() as u8,
    };
    Ok((ms, style))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_style() {
        assert_eq!(parse("00:00:01,250").unwrap(), (1250, TimeStyle::SRT));
        assert_eq!(parse("01:02:03.004").unwrap(), (3_723_004, TimeStyle::VTT));
        assert_eq!(parse("0:01:02.50").unwrap(), (62_500, TimeStyle::ASS));
        let (ms, style) = parse("02:03.100").unwrap();
        assert_eq!((ms, style.hour_digits), (123_100, 0));
        assert_eq!(parse("00:00:01,5").unwrap().0, 1500);
    }

    #[test]
    fn refuses_bad_ones_with_a_reason() {
        for bad in [
            "1:2:3",
            "00:00:01",
            "00:61:00,000",
            "00:00:75,000",
            "aa:bb:cc,ddd",
            "",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse("-00:00:01,000").unwrap_err().contains("negative"));
        assert!(
            parse("9999999:00:00,000")
                .unwrap_err()
                .contains("100 hours")
        );
        assert!(parse("100:00:00,000").unwrap_err().contains("100 hours"));
    }

    #[test]
    fn writes_back_in_the_style_read() {
        for s in [
            "00:00:01,250",
            "01:02:03.004",
            "0:01:02.50",
            "02:03.100",
            "123:04:05,678",
        ] {
            if let Ok((ms, style)) = parse(s) {
                assert_eq!(style.format(ms), s);
            }
        }
        assert_eq!(TimeStyle::ASS.format(59_996), "0:01:00.00");
        assert_eq!(TimeStyle::ASS.format(-5), "0:00:00.00");
        let short = parse("02:03.100").unwrap().1;
        assert_eq!(short.format(3_723_004), "1:02:03.004");
        assert_eq!(clock(3_723_004, ','), "01:02:03,004");
    }
}
