//! YouTube SubViewer captions (`.sbv`): `H:MM:SS.mmm,H:MM:SS.mmm` on one line, the text on
//! the next lines, a blank line after each cue. The cues are SRT's ([`subtitle_cues`]),
//! with the speaker's name heading each turn's first cue.
//!
//! SBV has no markup and no escaping: text goes out as written.

use super::ExportOptions;
use super::cues::subtitle_cues;
use crate::report::Alignment;
use crate::subtitle::timecode::TimeStyle;

/// SBV's clock: hours without padding, milliseconds after a dot.
const SBV_TIME: TimeStyle = TimeStyle {
    hour_digits: 1,
    separator: '.',
    fraction_digits: 3,
};

/// Renders the alignment as SBV captions.
pub(super) fn render(alignment: &Alignment, options: &ExportOptions) -> String {
    let mut out = String::new();
    for cue in subtitle_cues(alignment, options, true) {
        out.push_str(&format!(
            "{},{}\n{}\n\n",
            SBV_TIME.format(cue.start),
            SBV_TIME.format(cue.end),
            cue.lines.join("\n")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sbv_clock() {
        assert_eq!(SBV_TIME.format(420), "0:00:00.420");
        assert_eq!(SBV_TIME.format(3_723_004), "1:02:03.004");
        assert_eq!(SBV_TIME.format(36_000_000 + 5), "10:00:00.005");
    }
}
