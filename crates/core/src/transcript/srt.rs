//! SubRip subtitles: blocks of an index line, a `start --> end` line, and text lines.
//!
//! Each cue is a turn stamped with its start time (the end time is not a transcript fact talign
//! keeps). A cue whose first text line is `LABEL: text` with a label that looks like one and
//! is in capitals or recurs takes it as its speaker (in WebVTT too, as Zoom writes them, when
//! there is no `<v Speaker>` tag). A block without a timing line is stray
//! text: it continues the previous cue, with a `stray_text` warning.

use std::collections::HashMap;

use super::inline::{all_caps, label_colon};
use super::lines::{Line, lines};
use super::speaker::{key, normalise};
use super::{Draft, DraftTurn, Problem, Severity, found_stamp};

/// The start stamp of a `start --> end` line, as a subslice, when the line is one.
pub(crate) fn timing_start(text: &str) -> Option<&str> {
    let arrow = text.find("-->")?;
    let start = text[..arrow].trim();
    (!start.is_empty()).then_some(start)
}

/// Parses SubRip (also used for WebVTT cues, which share the shape).
pub(crate) fn parse(source: &str) -> Draft {
    parse_cues(source, false)
}

/// Cue parsing shared with WebVTT; `vtt` skips the header, `NOTE`, `STYLE` and `REGION`
/// blocks and reads `<v Speaker>` tags.
pub(crate) fn parse_cues(source: &str, vtt: bool) -> Draft {
    let all: Vec<Line<'_>> = lines(source).collect();
    let mut blocks: Vec<&[Line<'_>]> = Vec::new();
    let mut i = 0;
    while i < all.len() {
        if all[i].is_blank() {
            i += 1;
            continue;
        }
        let start = i;
        while i < all.len() && !all[i].is_blank() {
            i += 1;
        }
        blocks.push(&all[start..i]);
    }
    let mut draft = Draft::default();
    let mut blocks = blocks.into_iter().peekable();
    if vtt {
        // The `WEBVTT` header block.
        if blocks
            .peek()
            .is_some_and(|b| b[0].trimmed().starts_with("WEBVTT"))
        {
            blocks.next();
        }
    }
    let labels = speaker_counts(&all);
    let mut current: Option<DraftTurn> = None;
    for block in blocks {
        let first = block[0].trimmed();
        if vtt && (first == "NOTE" || first.starts_with("NOTE ") || first.starts_with("NOTE\t")) {
            let text = block
                .iter()
                .map(|l| l.trimmed())
                .collect::<Vec<_>>()
                .join("\n");
            draft.notes.push((block[0].number, text));
            continue;
        }
        if vtt && (first == "STYLE" || first == "REGION") {
            continue;
        }
        let timing = block
            .iter()
            .take(2)
            .position(|l| l.text.contains("-->"))
            .or_else(|| (block.len() > 1 && mistyped_timing(block)).then_some(1));
        let Some(t) = timing else {
            stray(&mut draft, &mut current, block);
            continue;
        };
        draft.turns.extend(current.take());
        let timing_line = &block[t];
        let start = timing_start(timing_line.text).or_else(|| {
            let text = timing_line.trimmed();
            text.split("->")
                .next()
                .map(str::trim)
                .filter(|s| !s.is_empty())
        });
        let stamp = start.map(|s| found_stamp(timing_line, s));
        let mut turn = DraftTurn::new(block[0].number, None, stamp);
        for (k, line) in block[t + 1..].iter().enumerate() {
            let mut text = line.trimmed();
            if k == 0 {
                let voice = if vtt { voice_tag(text) } else { None };
                if let Some((speaker, rest)) = voice.or_else(|| srt_label(text, &labels)) {
                    turn.speaker_raw = Some(speaker.to_owned());
                    text = rest;
                }
            }
            let text = if vtt { strip_voice_close(text) } else { text };
            if !text.is_empty() {
                turn.push_line(line.number, text, false);
            }
        }
        current = Some(turn);
    }
    draft.turns.extend(current);
    draft
}

/// A cue number followed by a line that was meant as timing but lacks `-->`
/// (`00:00:05,000 -> 00:00:06,000`, `-0:01 --- 0:02`): a cue whose start is reported as a bad
/// stamp, rather than stray text whose timecodes would be read as words.
fn mistyped_timing(block: &[Line<'_>]) -> bool {
    let number = block[0].trimmed();
    let second = block[1].trimmed();
    !number.is_empty()
        && number.len() <= 9
        && number.bytes().all(|b| b.is_ascii_digit())
        && (second.contains("->") || second.contains("--"))
        && second.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '\u{2212}')
}

fn stray(draft: &mut Draft, current: &mut Option<DraftTurn>, block: &[Line<'_>]) {
    let text = block
        .iter()
        .map(|l| l.trimmed())
        .collect::<Vec<_>>()
        .join("\n");
    draft.problems.push(Problem {
        line: block[0].number,
        kind: "stray_text".into(),
        message: "text without a `start --> end` timing line".into(),
        suggestion: Some(match current {
            Some(_) => "it was added to the cue before; give it its own index and timing line if it is a cue".into(),
            None => "give it an index and a timing line, or delete it".into(),
        }),
        severity: Severity::Warning,
    });
    match current {
        Some(turn) => {
            turn.break_paragraph();
            for line in block {
                turn.push_line(line.number, line.trimmed(), false);
            }
        }
        None => draft.notes.push((block[0].number, text)),
    }
}

/// How often each `LABEL:` opens a line, for deciding whether a cue's `Word:` is a speaker.
fn speaker_counts(lines: &[Line<'_>]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for line in lines {
        if let Some(label) = label_colon(line.trimmed()).and_then(|s| s.label) {
            *counts.entry(key(&normalise(label).name)).or_default() += 1;
        }
    }
    counts
}

/// `KERRY: text` at the start of a cue (the inline format's label rule, without stamps): a
/// label in capitals, or one used at least twice.
fn srt_label<'a>(text: &'a str, counts: &HashMap<String, usize>) -> Option<(&'a str, &'a str)> {
    let start = label_colon(text).filter(|s| s.stamp.is_none())?;
    let label = start.label?;
    let recurs = counts
        .get(&key(&normalise(label).name))
        .copied()
        .unwrap_or(0)
        >= 2;
    (all_caps(label) || recurs).then_some((label, start.text))
}

/// `<v Kerry>text` or `<v.loud Kerry>text`: the speaker and the text after the tag.
fn voice_tag(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("<v")?;
    if !rest.starts_with([' ', '.', '\t']) {
        return None;
    }
    let close = rest.find('>')?;
    let inner = &rest[..close];
    let name = match inner.strip_prefix('.') {
        Some(classes) => classes.split_once([' ', '\t']).map_or("", |(_, n)| n),
        None => inner,
    }
    .trim();
    (!name.is_empty()).then(|| (name, rest[close + 1..].trim_start()))
}

fn strip_voice_close(text: &str) -> &str {
    text.strip_suffix("</v>").unwrap_or(text).trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_become_turns_stamped_with_their_start() {
        let src = "1\r\n00:00:01,000 --> 00:00:04,000\r\nKERRY: Hello there.\r\nSecond line.\r\n\r\n\
                   2\r\n00:00:05,500 --> 00:00:07,000\r\n[music]\r\n";
        let d = parse(src);
        assert_eq!(d.turns.len(), 2);
        let t = &d.turns[0];
        assert_eq!(t.line, 1);
        assert_eq!(t.speaker_raw.as_deref(), Some("KERRY"));
        assert_eq!(t.paragraphs, [(3, "Hello there.\nSecond line.".to_owned())]);
        let s = d.turns[1].stamp.as_ref().unwrap();
        assert_eq!(s.raw, "00:00:05,500");
        assert_eq!(s.line, Some(7));
        let (a, b) = s.span.unwrap();
        assert_eq!(&src[a..b], "00:00:05,500");
    }

    #[test]
    fn bad_timing_lines_are_stamps_not_words() {
        let src = "1\n-00:00:01,000 --> 00:00:02,000\nHello\n\n\
                   2\n00:00:0x,000 --> 00:00:04,000\nWorld\n\n\
                   3\n00:00:05,000 -> 00:00:06,000\nAgain\n";
        let d = parse(src);
        let got: Vec<_> = d
            .turns
            .iter()
            .map(|t| {
                (
                    t.stamp.as_ref().unwrap().raw.as_str(),
                    t.paragraphs[0].1.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("-00:00:01,000", "Hello"),
                ("00:00:0x,000", "World"),
                ("00:00:05,000", "Again")
            ]
        );
        assert!(d.problems.is_empty(), "{:?}", d.problems);
    }

    #[test]
    fn stray_text_joins_the_previous_cue() {
        let d = parse("1\n00:00:01,000 --> 00:00:02,000\nHi\n\nstray words\n");
        assert_eq!(d.turns.len(), 1);
        assert_eq!(d.turns[0].paragraphs.len(), 2);
        assert_eq!(d.problems[0].kind, "stray_text");
        assert_eq!(d.problems[0].line, 5);
    }

    #[test]
    fn voice_tags() {
        assert_eq!(voice_tag("<v Kerry>Hello"), Some(("Kerry", "Hello")));
        assert_eq!(
            voice_tag("<v.loud Female voice>Hi</v>"),
            Some(("Female voice", "Hi</v>"))
        );
        assert_eq!(voice_tag("<vx>no"), None);
        assert_eq!(voice_tag("<v >no"), None);
    }
}
