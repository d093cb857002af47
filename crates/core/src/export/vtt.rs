//! WebVTT (`.vtt`): `WEBVTT` header, `HH:MM:SS.mmm` times, speakers as `<v Name>` voice
//! tags on every cue of their turn (tags are not counted in line length: players show the
//! name apart from the text, or not at all).
//!
//! With [`ExportOptions::word_timestamps`] and word times known, each word whose start
//! falls strictly inside its cue is preceded by an inline timestamp, `So, <00:00:46.350>what`
//! (WebVTT requires them after the cue's start, before its end, and increasing), which
//! players use for karaoke-style highlighting.

use std::fmt::Write;

#[cfg(test)]
use super::cues::TokenTime;
use super::cues::{Cue, subtitle_cues};
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
        let turn = &alignment.turns[cue.turn];
        let timed = options.word_timestamps && turn.transcribed && turn.words.is_some();
        let lines: Vec<String> = if timed {
            timed_lines(&cue)
        } else {
            cue.lines.iter().map(|l| escape(l)).collect()
        };
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

/// The cue's lines with a timestamp before each word timed by the alignment that starts
/// strictly inside the cue, after the last timestamp written (notes such as `...`, whose
/// times are only spread between words, get none).
fn timed_lines(cue: &Cue) -> Vec<String> {
    let mut times = cue.tokens.iter();
    let mut last = cue.start;
    cue.lines
        .iter()
        .map(|line| {
            let words: Vec<String> = line
                .split(' ')
                .map(|word| {
                    let (start, timed) = times
                        .next()
                        .map_or((cue.start, false), |t| (t.start, t.timed));
                    if timed && start > last && start < cue.end {
                        last = start;
                        format!("<{}>{}", clock(start, '.'), escape(word))
                    } else {
                        escape(word)
                    }
                })
                .collect();
            words.join(" ")
        })
        .collect()
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
    fn timestamps_go_inside_the_cue_and_increase() {
        let cue = Cue {
            start: 1000,
            end: 3000,
            lines: vec!["So, what".into(), "a <b> x".into()],
            tokens: [
                (1000, true),
                (1300, true),
                (1250, true),
                (2000, true),
                (3000, true),
            ]
            .map(|(start, timed)| TokenTime {
                start,
                end: start + 100,
                timed,
            })
            .to_vec(),
            turn: 0,
        };
        assert_eq!(
            timed_lines(&cue),
            ["So, <00:00:01.300>what", "a <00:00:02.000>&lt;b&gt; x"]
        );
        // A note between words has only a spread time: no timestamp.
        let mut note = cue.clone();
        note.tokens[3].timed = false;
        assert_eq!(timed_lines(&note)[1], "a &lt;b&gt; x");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a <b> & c --> d"), "a &lt;b&gt; &amp; c --&gt; d");
    }
}
