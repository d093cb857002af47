//! What the readers of annotation files share (TextGrid, EAF, ASS, oTranscribe): files that
//! carry their own time for every stretch of speech.
//!
//! Each reader lists timed [`Item`]s; here they become turns in time order (ties in tier
//! order), each with its time as a stated stamp written `h:mm:ss.mmm`, so `check` judges
//! these times as it judges written stamps. A stretch without a speaker from its tier takes
//! one from a `Speaker: text` label at its start when such labels are the file's habit.
//! Broken structure is a `malformed` problem, which [`read`](super::read) refuses.

use std::collections::HashMap;

use super::inline::{all_caps, label_colon};
use super::speaker::{key, normalise};
use super::stamp::{self, format_stamp};
use super::{Draft, DraftTurn, Problem, Severity, StampStyle, TranscriptFormat};

/// Tier names that name no speaker.
const GENERIC: &[&str] = &[
    "speech",
    "transcript",
    "transcription",
    "text",
    "utterance",
    "utterances",
    "sentence",
    "sentences",
    "turn",
    "turns",
    "ortho",
    "orthography",
    "annotation",
    "annotations",
    "default",
    "tier",
    "ipu",
    "ipus",
    "silences",
];

/// Last words of the names of word, phone, syllable, comment and translation tiers.
const SUBUNIT: &[&str] = &[
    "word",
    "words",
    "phone",
    "phones",
    "phoneme",
    "phonemes",
    "segment",
    "segments",
    "syllable",
    "syllables",
    "mau",
    "kan",
    "comment",
    "comments",
    "note",
    "notes",
    "translation",
    "translations",
    "gloss",
    "glosses",
];

/// How a time read from an annotation file is written as a stamp: `0:01:02.345`.
const STYLE: StampStyle = StampStyle {
    open: None,
    close: None,
    hours: true,
    lead_width: 1,
    fraction_digits: 3,
    fraction_sep: Some('.'),
};

/// A stretch of speech as an annotation file gives it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    /// Start, seconds; `None` when the file gives none (an unaligned EAF time slot).
    pub start: Option<f64>,
    /// 1-based line where the stretch is written.
    pub line: usize,
    /// Position of its tier among the file's tiers (orders stretches that start together).
    pub tier: usize,
    /// The speaker its tier names, if it names one.
    pub speaker: Option<String>,
    /// The text, lines joined by `\n`, markup already removed.
    pub text: String,
}

/// A time as a stamp talign reads back (`0:01:02.345`).
pub(crate) fn stamp_text(seconds: f64) -> String {
    format_stamp(seconds, &STYLE)
}

/// A `malformed` problem: the file's structure is broken at `line`; `read` refuses it.
pub(crate) fn malformed(line: usize, message: String, suggestion: &str) -> Problem {
    Problem {
        line,
        kind: "malformed".into(),
        message,
        suggestion: Some(suggestion.into()),
        severity: Severity::Error,
    }
}

/// Keeps every problem's line inside the file (a file cut short is reported at its end,
/// which is its last line, or line 0 for an empty one).
pub(crate) fn clamp_lines(draft: &mut Draft, source: &str) {
    let last = super::lines::lines(source).count();
    for p in &mut draft.problems {
        p.line = p.line.min(last);
    }
}

/// A time field that must be a finite, non-negative number of seconds.
pub(crate) fn seconds(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// Takes `Speaker: text` labels as speakers for items whose tier names none, when the labels
/// are the file's habit: the label is in capitals, names a speaker at least twice, or at
/// least half of those items open with a label.
pub(crate) fn labels_in_text(items: &mut [Item]) {
    let unnamed = || items.iter().filter(|i| i.speaker.is_none());
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut labelled = 0;
    for item in unnamed() {
        if let Some(label) = label_colon(&item.text).and_then(|s| s.label) {
            *counts.entry(key(&normalise(label).name)).or_default() += 1;
            labelled += 1;
        }
    }
    let habit = labelled * 2 >= unnamed().count();
    for item in items.iter_mut().filter(|i| i.speaker.is_none()) {
        let Some(start) = label_colon(&item.text) else {
            continue;
        };
        let (Some(label), None) = (start.label, start.stamp) else {
            continue;
        };
        let recurs = counts.get(&key(&normalise(label).name)).copied() >= Some(2);
        if habit || recurs || all_caps(label) {
            let (label, text) = (label.to_owned(), start.text.to_owned());
            item.speaker = Some(label);
            item.text = text;
        }
    }
}

/// The items as turns in time order, each stamped with its start. An item without a start
/// keeps its place after the item before it in the file.
pub(crate) fn into_turns(items: Vec<Item>, draft: &mut Draft) {
    let mut last = 0.0;
    let mut keyed: Vec<(f64, usize, Item)> = items
        .into_iter()
        .map(|item| {
            if let Some(s) = item.start {
                last = s;
            }
            (last, item.tier, item)
        })
        .collect();
    // Tiers overlap in time by nature; only a tier listed out of time order is worth a word.
    let mut last_in_tier: HashMap<usize, f64> = HashMap::new();
    let in_order = keyed.iter().all(|(start, tier, _)| {
        let before = last_in_tier.insert(*tier, *start);
        before.is_none_or(|b| b <= *start)
    });
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    if !in_order {
        draft
            .reading
            .push("stretches were put in time order (the file lists some out of order)".into());
    }
    for (_, _, item) in keyed {
        let found = item.start.map(|s| stamp::Found {
            raw: stamp_text(s),
            line: Some(item.line),
            span: None,
        });
        let mut turn = DraftTurn::new(item.line, item.speaker, found);
        let mut after_blank = false;
        for text in item.text.lines().map(str::trim) {
            if text.is_empty() {
                after_blank = true;
                continue;
            }
            turn.push_line(item.line, text, after_blank);
            after_blank = false;
        }
        draft.turns.push(turn);
    }
}

/// True when a tier's name says it holds words, phones or syllables, or comments, notes or
/// translations: not the turns themselves.
pub(crate) fn is_subunit(name: &str) -> bool {
    let last = name
        .rsplit(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase();
    SUBUNIT.contains(&last.as_str())
}

/// True when a tier name names no speaker (`transcription`, `Tier 1`).
pub(crate) fn is_generic(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    let head = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
    head.is_empty() || GENERIC.contains(&head)
}

/// XML and JSON files name their encoding (XML: UTF-8 unless its declaration says otherwise;
/// JSON: always UTF-8): bytes that are not in it are refused with the line of the first bad
/// byte, rather than read as guessed text.
pub(crate) fn refuse_bad_bytes(problems: &mut [Problem], text: &str, format: TranscriptFormat) {
    let declared = declared_encoding(text);
    let latin = declared.as_deref().is_some_and(|e| {
        matches!(
            e,
            "iso-8859-1" | "latin1" | "latin-1" | "windows-1252" | "cp1252" | "us-ascii"
        )
    });
    for p in problems.iter_mut() {
        let fell_back = p.kind == "encoding_fallback" && !latin;
        if p.kind == "invalid_utf8" || fell_back {
            *p = match format {
                TranscriptFormat::Eaf => malformed(
                    p.line,
                    format!(
                        "this EAF (XML) file declares {} but has bytes that are not (first at \
                         line {})",
                        declared
                            .as_deref()
                            .map_or("UTF-8".to_owned(), str::to_ascii_uppercase),
                        p.line
                    ),
                    "save it again as UTF-8 from ELAN (or a text editor), or correct the \
                     encoding its XML declaration names",
                ),
                _ => malformed(
                    p.line,
                    format!(
                        "this oTranscribe (.otr) file has bytes that are not UTF-8 (first at \
                         line {}); JSON is always UTF-8",
                        p.line
                    ),
                    "export it again from oTranscribe, or save it again as UTF-8 in a text \
                     editor",
                ),
            };
        }
    }
}

/// The encoding an XML declaration names (`<?xml version="1.0" encoding="ISO-8859-1"?>`),
/// lower-cased.
fn declared_encoding(text: &str) -> Option<String> {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    let decl = head.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_ascii_lowercase())
}

/// Each turn as (label as written, stated stamp, paragraphs, line): what the annotation
/// readers' tests compare.
#[cfg(test)]
pub(crate) fn stamped_turns(d: &Draft) -> Vec<(Option<&str>, &str, Vec<&str>, usize)> {
    d.turns
        .iter()
        .map(|t| {
            (
                t.speaker_raw.as_deref(),
                t.stamp.as_ref().map_or("", |s| s.raw.as_str()),
                t.paragraphs.iter().map(|p| p.1.as_str()).collect(),
                t.line,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(start: Option<f64>, tier: usize, speaker: Option<&str>, text: &str) -> Item {
        Item {
            start,
            line: 1,
            tier,
            speaker: speaker.map(str::to_owned),
            text: text.into(),
        }
    }

    #[test]
    fn stamps_read_back_as_the_same_time() {
        for s in [0.0, 1.5, 62.345, 3725.001] {
            let text = stamp_text(s);
            let (back, _) = super::super::parse_stamp(&text).unwrap();
            assert!((back - s).abs() < 1e-9, "{text}");
        }
        assert_eq!(stamp_text(62.345), "0:01:02.345");
    }

    #[test]
    fn turns_come_in_time_order_ties_in_tier_order() {
        let mut d = Draft::default();
        into_turns(
            vec![
                item(Some(2.0), 0, Some("A"), "late"),
                item(Some(1.0), 1, Some("B"), "early"),
                item(None, 1, Some("B"), "unaligned"),
                item(Some(1.0), 0, Some("A"), "tie"),
            ],
            &mut d,
        );
        let got: Vec<&str> = d.turns.iter().map(|t| t.paragraphs[0].1.as_str()).collect();
        assert_eq!(got, ["tie", "early", "unaligned", "late"]);
        assert!(d.turns[2].stamp.is_none());
        assert_eq!(d.reading.len(), 1);
    }

    #[test]
    fn labels_are_taken_when_they_are_the_habit() {
        let mut items = vec![
            item(Some(0.0), 0, None, "A: hello there"),
            item(Some(1.0), 0, None, "B: hi"),
            item(Some(2.0), 0, None, "and then: nothing"),
        ];
        labels_in_text(&mut items);
        assert_eq!(items[0].speaker.as_deref(), Some("A"));
        assert_eq!(items[0].text, "hello there");
        assert_eq!(items[1].speaker.as_deref(), Some("B"));
        // `and then` looks like a label too, and with two of three items labelled it is
        // taken: a tier of `Label: text` stretches is read as one.
        let mut prose = vec![
            item(Some(0.0), 0, None, "We met at noon."),
            item(Some(1.0), 0, None, "The reason is simple: money."),
            item(Some(2.0), 0, None, "Then we left."),
        ];
        labels_in_text(&mut prose);
        assert!(prose.iter().all(|i| i.speaker.is_none()));
    }

    #[test]
    fn names() {
        assert!(is_subunit("speaker - words"));
        assert!(is_subunit("phones"));
        assert!(!is_subunit("Kerry"));
        assert!(is_generic("Tier 1"));
        assert!(is_generic("Transcription"));
        assert!(!is_generic("Speaker 1"));
    }

    #[test]
    fn declared_encodings() {
        assert_eq!(
            declared_encoding("<?xml version=\"1.0\" encoding='ISO-8859-1'?><a/>").as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(declared_encoding("<?xml version=\"1.0\"?><a/>"), None);
        assert_eq!(declared_encoding("{}"), None);
    }
}
