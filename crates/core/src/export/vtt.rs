//! WebVTT (`.vtt`): `WEBVTT` header, `HH:MM:SS.mmm` times, speakers as `<v Name>` voice
//! tags on every cue of their turn (tags are not counted in line length: players show the
//! name apart from the text, or not at all).

use std::fmt::Write;

use super::cues::subtitle_cues;
use super::srt::clock;
use super::{ExportOptions, speaker_name};
use crate::report::Alignment;

/// Renders the alignment as WebVTT subtitles.
pub(super) fn render(alignment: &Alignment, options: &ExportOptions) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for cue in subtitle_cues(alignment, options, false) {
        let voice = speaker_name(&alignment.turns[cue.turn])
            .filter(|_| options.speaker_names)
            .map(|s| format!("<v {}>", escape(&s)))
            .unwrap_or_default();
        let lines: Vec<String> = cue.lines.iter().map(|l| escape(l)).collect();
        let _ = write!(
            out,
            "{} --> {}\n{voice}{}\n\n",
            clock(cue.start, '.'),
            clock(cue.end, '.'),
            lines.join("\n")
        );
    }
    out
}

/// Escapes the characters WebVTT cue text reserves: `&`, `<`, `>` (which also keeps `-->`
/// out of cue text).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a <b> & c --> d"), "a &lt;b&gt; &amp; c --&gt; d");
    }
}
