//! TTML in the IMSC 1.1 Text profile (`.ttml`), the timed-text format broadcasters and
//! streaming services take.
//!
//! The cues are those of SRT and WebVTT ([`subtitle_cues`]), one `<p>` each, lines split
//! by `<br/>`, times as `HH:MM:SS.mmm` on the media timeline. Each speaker is a
//! `ttm:agent` of type `person` with its `ttm:name` in the head's metadata, and every cue
//! of the speaker's turns points at it with `ttm:agent` (players may show the name; the
//! text does not repeat it). One region at the bottom of the picture, white text on black.

use std::fmt::Write;

use super::cues::subtitle_cues;
use super::srt::clock;
use super::xml::escape;
use super::{ExportOptions, speaker_name};
use crate::report::Alignment;

/// The IMSC 1.1 Text profile designator.
const IMSC_TEXT: &str = "http://www.w3.org/ns/ttml/profile/imsc1.1/text";

/// Renders the alignment as an IMSC 1.1 Text document.
pub(super) fn render(alignment: &Alignment, options: &ExportOptions) -> String {
    let mut speakers: Vec<String> = Vec::new();
    for turn in &alignment.turns {
        if let Some(name) = speaker_name(turn)
            && !speakers.contains(&name)
        {
            speakers.push(name);
        }
    }
    let language = options.language_tag();
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <tt xmlns=\"http://www.w3.org/ns/ttml\" \
         xmlns:ttp=\"http://www.w3.org/ns/ttml#parameter\" \
         xmlns:tts=\"http://www.w3.org/ns/ttml#styling\" \
         xmlns:ttm=\"http://www.w3.org/ns/ttml#metadata\" \
         ttp:contentProfiles=\"{IMSC_TEXT}\" ttp:timeBase=\"media\" xml:lang=\"{}\">\n  \
         <head>\n    <metadata>\n",
        escape(language)
    );
    for (k, name) in speakers.iter().enumerate() {
        let _ = write!(
            out,
            "      <ttm:agent xml:id=\"speaker{}\" type=\"person\">\n        \
             <ttm:name type=\"full\">{}</ttm:name>\n      </ttm:agent>\n",
            k + 1,
            escape(name)
        );
    }
    out.push_str(
        "    </metadata>\n    <styling>\n      \
         <style xml:id=\"text\" tts:color=\"white\" tts:backgroundColor=\"black\" \
         tts:fontFamily=\"proportionalSansSerif\" tts:textAlign=\"center\"/>\n    \
         </styling>\n    <layout>\n      \
         <region xml:id=\"bottom\" tts:origin=\"10% 10%\" tts:extent=\"80% 80%\" \
         tts:displayAlign=\"after\"/>\n    </layout>\n  </head>\n  \
         <body region=\"bottom\" style=\"text\">\n    <div>\n",
    );
    for (n, cue) in subtitle_cues(alignment, options, false).iter().enumerate() {
        let agent = speaker_name(&alignment.turns[cue.turn])
            .and_then(|s| speakers.iter().position(|x| *x == s))
            .map(|k| format!(" ttm:agent=\"speaker{}\"", k + 1))
            .unwrap_or_default();
        let lines: Vec<String> = cue.lines.iter().map(|l| escape(l)).collect();
        let _ = writeln!(
            out,
            "      <p xml:id=\"cue{}\" begin=\"{}\" end=\"{}\"{agent}>{}</p>",
            n + 1,
            clock(cue.start, '.'),
            clock(cue.end, '.'),
            lines.join("<br/>")
        );
    }
    out.push_str("    </div>\n  </body>\n</tt>\n");
    out
}
