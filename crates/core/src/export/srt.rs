//! SubRip (`.srt`): numbered cues, `HH:MM:SS,mmm` times, `\n` line endings.
//!
//! SRT has no escaping: text is written as it is, so a `<` in a transcript reaches the
//! player unchanged (most players only treat `<i>`, `<b>`, `<u>` and `<font>` as tags).

use std::fmt::Write;

use super::ExportOptions;
use super::cues::subtitle_cues;
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

/// `HH:MM:SS<sep>mmm`: the clock subtitle files share ([`crate::subtitle::timecode::clock`]).
pub(super) use crate::subtitle::timecode::clock;

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
