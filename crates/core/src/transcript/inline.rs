//! Inline formats: the speaker (and stamp) on the line that starts the turn.
//!
//! ```text
//! KERRY: text                      label, colon, text
//! [01:02:03] Kerry: text           stamp first (bracketed or bare)
//! Kerry (01:02): text              stamp after the label
//! Kerry: [01:02] text              stamp after the colon (bracketed)
//! Speaker 1  0:05                  header line (transcription services); text on the next lines
//! [00:05] text                     stamp and text, no label: the current speaker goes on
//! ```
//!
//! A line is a turn start when its label looks like one (`speaker::looks_like_label`) and one
//! of these holds: it carries a stamp; the label is in capitals; the same speaker starts
//! other lines too; or it starts a paragraph and either most paragraphs of the file start with
//! a label or the label is a short capitalised name (`John Kerry`, `Speaker 1`). Anything else
//! continues the current turn, so `The reason is simple: ...` inside speech stays speech.
//! A colon must be followed by a space or the end of the line (`http://`, `5:30` are not
//! labels).

use std::collections::HashMap;

use super::lines::{Line, lines};
use super::speaker::{key, looks_like_label, normalise};
use super::stamp::scan;
use super::{Draft, DraftTurn, Gather, found_stamp};

/// The parts of a line that starts a turn, as subslices of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Start<'a> {
    pub stamp: Option<&'a str>,
    pub label: Option<&'a str>,
    pub text: &'a str,
}

/// Splits a line into stamp, label and text, when it has the shape of a turn start.
pub(crate) fn turn_start(line: &str) -> Option<Start<'_>> {
    let s = line.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(sc) = scan(s) {
        let stamp = &s[..sc.len];
        let after = &s[sc.len..];
        // A bare time must stand apart: `1:30, 2:00` and `1:30.` are prose.
        if sc.style.open.is_none() && !(after.is_empty() || after.starts_with(char::is_whitespace))
        {
            return None;
        }
        let rest = after.trim_start_matches([' ', '\t', '-', '–', '—', '|']);
        if let Some(start) = label_colon(rest)
            && start.stamp.is_none()
        {
            return Some(Start {
                stamp: Some(stamp),
                ..start
            });
        }
        return Some(Start {
            stamp: Some(stamp),
            label: None,
            text: rest,
        });
    }
    label_then_stamp(s).or_else(|| label_colon(s))
}

/// `Kerry (01:02): text`, `Speaker 1  0:05`, `Kerry [01:02] text`.
fn label_then_stamp(s: &str) -> Option<Start<'_>> {
    for (i, c) in s.char_indices() {
        if i > 64 || c == ':' {
            return None;
        }
        let starts_stamp = c == '[' || c == '(' || c.is_ascii_digit();
        if !(starts_stamp && i > 0 && s[..i].ends_with(char::is_whitespace)) {
            continue;
        }
        let Some(sc) = scan(&s[i..]) else { continue };
        let label = s[..i].trim_end();
        let stamp = &s[i..i + sc.len];
        let after = s[i + sc.len..].trim_start();
        let text = if let Some(t) = after.strip_prefix(':') {
            t.trim_start()
        } else if after.is_empty() || sc.style.open.is_some() {
            after
        } else {
            return None;
        };
        return looks_like_label(label).then_some(Start {
            stamp: Some(stamp),
            label: Some(label),
            text,
        });
    }
    None
}

/// `KERRY: text`, `Kerry?: text`, `Kerry: [01:02] text`.
pub(super) fn label_colon(s: &str) -> Option<Start<'_>> {
    let colon = s.find(':')?;
    if colon > 64 {
        return None;
    }
    let (label, rest) = (&s[..colon], &s[colon + 1..]);
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) || !looks_like_label(label) {
        return None;
    }
    let rest = rest.trim_start();
    if rest.starts_with(['[', '('])
        && let Some(sc) = scan(rest)
    {
        let text = rest[sc.len..].trim_start();
        return Some(Start {
            stamp: Some(&rest[..sc.len]),
            label: Some(label.trim_end()),
            text,
        });
    }
    Some(Start {
        stamp: None,
        label: Some(label.trim_end()),
        text: rest,
    })
}

/// True when every letter of the label is a capital (`KERRY`, `MALE VOICE 2`).
pub(super) fn all_caps(label: &str) -> bool {
    label.chars().any(char::is_alphabetic) && !label.chars().any(char::is_lowercase)
}

/// A short capitalised name: up to three words, each starting with a capital or a digit.
fn name_like(label: &str) -> bool {
    let words: Vec<&str> = label.split_whitespace().collect();
    words.len() <= 3
        && words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()))
}

/// The decision for every line: `Some(start)` when it starts a turn.
fn starts<'a>(lines: &[Line<'a>]) -> Vec<Option<Start<'a>>> {
    let shapes: Vec<Option<Start<'a>>> = lines.iter().map(|l| turn_start(l.text)).collect();
    let label_key = |s: &Start<'_>| s.label.map(|l| key(&normalise(l).name));
    let mut counts: HashMap<String, usize> = HashMap::new();
    for s in shapes.iter().flatten() {
        if let Some(k) = label_key(s) {
            *counts.entry(k).or_default() += 1;
        }
    }
    let sure = |s: &Start<'_>| {
        s.stamp.is_some()
            || s.label.is_some_and(all_caps)
            || label_key(s).is_some_and(|k| counts.get(&k).copied().unwrap_or(0) >= 2)
    };
    let para_start = |i: usize| !lines[i].is_blank() && (i == 0 || lines[i - 1].is_blank());
    let paragraphs = (0..lines.len()).filter(|&i| para_start(i)).count();
    let labelled = (0..lines.len())
        .filter(|&i| {
            para_start(i)
                && shapes[i]
                    .as_ref()
                    .is_some_and(|s| s.label.is_some() && sure(s))
        })
        .count();
    let mostly_labelled = labelled * 2 >= paragraphs;
    shapes
        .into_iter()
        .enumerate()
        .map(|(i, shape)| {
            shape.filter(|s| {
                sure(s)
                    || (para_start(i) && s.label.is_some_and(|l| mostly_labelled || name_like(l)))
            })
        })
        .collect()
}

/// How strongly `source` looks inline: the number of labelled turn starts.
pub(crate) fn score(source: &str) -> usize {
    let lines: Vec<Line<'_>> = lines(source).collect();
    starts(&lines)
        .iter()
        .flatten()
        .filter(|s| s.label.is_some())
        .count()
}

/// Parses the inline formats.
pub(crate) fn parse(source: &str) -> Draft {
    let lines: Vec<Line<'_>> = lines(source).collect();
    let starts = starts(&lines);
    let mut gather = Gather::new();
    let mut after_blank = true;
    for (line, start) in lines.iter().zip(starts) {
        if line.is_blank() {
            after_blank = true;
            continue;
        }
        if let Some(start) = start {
            let speaker = match start.label {
                Some(label) => Some(label.to_owned()),
                None => gather.current().and_then(|t| t.speaker_raw.clone()),
            };
            let stamp = start.stamp.map(|s| found_stamp(line, s));
            let mut turn = DraftTurn::new(line.number, speaker, stamp);
            let text = start.text.trim();
            if !text.is_empty() {
                turn.push_line(line.number, text, true);
            }
            gather.open(turn);
        } else {
            gather.text(line.number, line.trimmed(), after_blank);
        }
        after_blank = false;
    }
    gather.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(line: &str) -> Option<(Option<&str>, Option<&str>, &str)> {
        turn_start(line).map(|s| (s.stamp, s.label, s.text))
    }

    #[test]
    fn line_shapes() {
        assert_eq!(
            start("KERRY: I understand"),
            Some((None, Some("KERRY"), "I understand"))
        );
        assert_eq!(
            start("[01:02:03] Kerry: hi"),
            Some((Some("[01:02:03]"), Some("Kerry"), "hi"))
        );
        assert_eq!(
            start("01:02 Kerry: hi"),
            Some((Some("01:02"), Some("Kerry"), "hi"))
        );
        assert_eq!(
            start("Kerry (01:02): hi"),
            Some((Some("(01:02)"), Some("Kerry"), "hi"))
        );
        assert_eq!(
            start("Kerry: [01:02] hi"),
            Some((Some("[01:02]"), Some("Kerry"), "hi"))
        );
        assert_eq!(
            start("Speaker 1  0:05"),
            Some((Some("0:05"), Some("Speaker 1"), ""))
        );
        assert_eq!(
            start("Michael?: Yeah"),
            Some((None, Some("Michael?"), "Yeah"))
        );
        assert_eq!(
            start("[00:05] Hello there"),
            Some((Some("[00:05]"), None, "Hello there"))
        );
        assert_eq!(start("We met at 5:30 and talked"), None);
        assert_eq!(start("See http://example.com"), None);
        assert_eq!(start("It was 10:30: late"), None);
        assert_eq!(start("Well ... here: it is"), None);
    }

    #[test]
    fn colon_prose_inside_speech_stays_speech() {
        let src = "KERRY: We tried.\nThe reason is simple: money.\n\nMICHAEL: Yes.\n";
        let d = parse(src);
        assert_eq!(d.turns.len(), 2);
        assert_eq!(
            d.turns[0].paragraphs[0].1,
            "We tried.\nThe reason is simple: money."
        );
    }

    #[test]
    fn header_lines_then_text() {
        let src = "Speaker 1  0:05\nHello there,\nhow are you?\n\nSpeaker 2  0:09\nFine.\n";
        let d = parse(src);
        let got: Vec<_> = d
            .turns
            .iter()
            .map(|t| {
                (
                    t.line,
                    t.speaker_raw.clone().unwrap(),
                    t.stamp.as_ref().unwrap().raw.clone(),
                    t.paragraphs.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    1,
                    "Speaker 1".to_owned(),
                    "0:05".to_owned(),
                    vec![(2, "Hello there,\nhow are you?".to_owned())]
                ),
                (
                    5,
                    "Speaker 2".to_owned(),
                    "0:09".to_owned(),
                    vec![(6, "Fine.".to_owned())]
                ),
            ]
        );
        assert!(score(src) >= 2);
    }

    #[test]
    fn stamp_without_label_continues_the_speaker() {
        let src = "[00:00:01] KERRY: Hello.\n[00:00:05] And another thing.\n";
        let d = parse(src);
        assert_eq!(d.turns[1].speaker_raw.as_deref(), Some("KERRY"));
        let (a, b) = d.turns[1].stamp.as_ref().unwrap().span.unwrap();
        assert_eq!(&src[a..b], "[00:00:05]");
    }

    #[test]
    fn a_rare_lowercase_label_counts_when_most_paragraphs_are_labelled() {
        let src = "Female voice: a\n\nFemale voice: b\n\nFemale voic: c\n\nKerry: d\n\nKerry: e\n";
        assert_eq!(parse(src).turns.len(), 5);
    }
}
