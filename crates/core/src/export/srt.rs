//! SubRip (`.srt`): numbered cues, `HH:MM:SS,mmm` times, `\n` line endings.
//!
//! SRT has no escaping: text is written as it is, so a `<` in a transcript reaches the
//! player unchanged (most players only treat `<i>`, `<b>`, `<u>` and `<font>` as tags).

use std::fmt::Write;

use super::cues::subtitle_cues;
use super::{ExportOptions, Ms};
use crate::report::Alignment;

/// Renders the alignment as SubRip subtitles; the speaker prefix heads each turn's first cue.
pub(super) fn render(alignment: &Alignment, options: &ExportOptions) -> String {
    let mut out = String::new();
    for (n, cue) in subtitle_cues(alignment, options, true).iter().enumerate() {
        let _ = write!(
            out,
            "{}\n{} --> {}\n{}\n\n",
            n + 1,
            clock(cue.start, ','),
            clock(cue.end, ','),
            cue.lines.join("\n")
        );
    }
    out
}

/// `HH:MM:SS<sep>mmm`, hours with at least two digits (`123:04:05,678` past 99 h); negative
/// times print as zero.
pub(super) fn clock(ms: Ms, sep: char) -> String {
    let ms = ms.max(0);
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, frac) = (rest / 1000, rest % 1000);
    format!("{h:02}:{m:02}:{s:02}{sep}{frac:03}")
}

#[cfg(test)]
mod tests {
    use super::super::to_ms;
    use super::*;

    #[test]
    fn clock_edge_cases() {
        assert_eq!(clock(0, ','), "00:00:00,000");
        assert_eq!(clock(to_ms(1.2345), ','), "00:00:01,235");
        // Rounded as the JSON report rounds (to 60.0 here); the carry goes into the
        // minutes: no `60` seconds field or `1000` milliseconds ever appears.
        assert_eq!(crate::time::round_ms(59.9995), 60.0);
        assert_eq!(clock(to_ms(59.9995), ','), "00:01:00,000");
        assert_eq!(clock(to_ms(59.9994), ','), "00:00:59,999");
        assert_eq!(clock(to_ms(3599.9996), ','), "01:00:00,000");
        assert_eq!(clock(to_ms(3723.004), '.'), "01:02:03.004");
        assert_eq!(clock(to_ms(100.0 * 3600.0 + 0.5), ','), "100:00:00,500");
        assert_eq!(clock(to_ms(359_999.999), ','), "99:59:59,999");
        assert_eq!(clock(-5, ','), "00:00:00,000");
    }
}
