//! The first real transcript: the 2016 Kerry meeting in the block format, with every kind of
//! mess (a title, a misspelt label, guessed speakers, invalid, out-of-order and duplicate
//! stamps, untranscribed Arabic, a trailing stage note). Its reading is compared with a
//! hand-checked file, one turn per line.
//!
//! After an intended change, regenerate with `TALIGN_BLESS=1 cargo test --test
//! transcript_kerry` and check every changed line of the diff against the transcript.

use serde::{Deserialize, Serialize};
use talign::transcript::{self, SpeakerGroup, StampStatus, Transcript, TranscriptFormat};

const KERRY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-audio/kerry-aleppo-2016.txt"
);
const EXPECTED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/expected/kerry-aleppo-2016.lint.json"
);

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    format: TranscriptFormat,
    encoding: String,
    turns: Vec<ExpectedTurn>,
    notes: Vec<(usize, String)>,
    speaker_groups: Vec<SpeakerGroup>,
    problems: Vec<ExpectedProblem>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedTurn {
    index: usize,
    line: usize,
    speaker_raw: Option<String>,
    speaker: Option<String>,
    uncertain: bool,
    stamp: Option<String>,
    status: StampStatus,
    transcribed: bool,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedProblem {
    line: usize,
    kind: String,
    message: String,
}

fn project(t: &Transcript) -> Expected {
    Expected {
        format: t.format,
        encoding: t.encoding.clone(),
        turns: t
            .turns
            .iter()
            .map(|turn| ExpectedTurn {
                index: turn.index,
                line: turn.line,
                speaker_raw: turn.speaker_raw.clone(),
                speaker: turn.speaker.clone(),
                uncertain: turn.uncertain,
                stamp: turn.stated.raw.clone(),
                status: turn.stated.status,
                transcribed: turn.transcribed,
            })
            .collect(),
        notes: t.notes.clone(),
        speaker_groups: t.speaker_groups.clone(),
        problems: t
            .problems
            .iter()
            .map(|p| ExpectedProblem {
                line: p.line,
                kind: p.kind.clone(),
                message: p.message.clone(),
            })
            .collect(),
    }
}

/// JSON with one turn, note, group or problem per line, so the file can be checked by eye.
fn to_lines(e: &Expected) -> String {
    fn list<T: Serialize>(items: &[T]) -> String {
        let rows: Vec<String> = items
            .iter()
            .map(|i| format!("    {}", serde_json::to_string(i).unwrap()))
            .collect();
        format!("[\n{}\n  ]", rows.join(",\n"))
    }
    format!(
        "{{\n  \"format\": {},\n  \"encoding\": {},\n  \"turns\": {},\n  \"notes\": {},\n  \"speaker_groups\": {},\n  \"problems\": {}\n}}\n",
        serde_json::to_string(&e.format).unwrap(),
        serde_json::to_string(&e.encoding).unwrap(),
        list(&e.turns),
        list(&e.notes),
        list(&e.speaker_groups),
        list(&e.problems),
    )
}

fn kerry() -> Transcript {
    transcript::read(KERRY.as_ref(), None).expect("the Kerry transcript reads")
}

#[test]
fn kerry_matches_the_hand_checked_reading() {
    let got = project(&kerry());
    if std::env::var_os("TALIGN_BLESS").is_some() {
        std::fs::write(EXPECTED, to_lines(&got)).unwrap();
    }
    let expected: Expected =
        serde_json::from_str(&std::fs::read_to_string(EXPECTED).unwrap()).unwrap();
    for (g, e) in got.turns.iter().zip(&expected.turns) {
        assert_eq!(g, e, "turn {}", e.index);
    }
    assert_eq!(got, expected);
}

#[test]
fn kerry_headline_facts() {
    let t = kerry();
    assert_eq!(t.format, TranscriptFormat::Block);
    assert_eq!(t.turns.len(), 113);
    let at = |line: usize| t.turns.iter().find(|turn| turn.line == line).unwrap();
    // The title and the closing murmur are nobody's words.
    assert_eq!(t.notes.first().unwrap().0, 1);
    assert_eq!(t.notes.last().unwrap().0, 697);
    assert!(!at(691).text.contains("Murmur"));
    // Stamps.
    assert_eq!(at(601).stated.status, StampStatus::Invalid);
    assert_eq!(at(613).stated.status, StampStatus::Invalid);
    assert_eq!(at(177).stated.status, StampStatus::OutOfOrder);
    assert_eq!(at(165).stated.status, StampStatus::Ok);
    assert_eq!(at(431).stated.status, StampStatus::Duplicate);
    assert_eq!(at(269).stated.status, StampStatus::Missing);
    // Speakers.
    assert_eq!(at(105).speaker.as_deref(), Some("Kerry"));
    assert_eq!(at(21).speaker.as_deref(), Some("Female voice"));
    assert_eq!(at(47).speaker.as_deref(), Some("Female voice1"));
    assert!(at(301).uncertain && at(301).speaker.as_deref() == Some("Kirby"));
    assert!(at(371).uncertain);
    // Untranscribed speech, and translated speech that is transcribed.
    assert!(!at(35).transcribed && !at(75).transcribed);
    assert!(at(177).transcribed);
    assert_eq!(at(177).words().next(), Some("To"));
    let problem = t.problems.iter().find(|p| p.line == 603).unwrap();
    assert_eq!(
        problem.message,
        "timestamp [31:99] has 99 seconds; treated as missing"
    );
}

#[test]
fn kerry_stamp_spans_point_into_the_source() {
    let t = kerry();
    let mut rewritten = t.source.clone();
    for turn in t.turns.iter().rev() {
        let (Some(raw), Some((a, b))) = (&turn.stated.raw, turn.stated.span) else {
            continue;
        };
        assert_eq!(&t.source[a..b], raw);
        rewritten.replace_range(
            a..b,
            &transcript::format_stamp(1.0, turn.stated.style.as_ref().unwrap()),
        );
    }
    // Rewriting every stamp leaves the rest of the file, and its lines, untouched.
    assert_eq!(rewritten.lines().count(), t.source.lines().count());
    assert!(rewritten.contains("\n[00:01]\n") && rewritten.contains("\n[0:01]\n"));
}

#[test]
fn kerry_in_other_encodings_and_line_endings_reads_the_same() {
    let base = project(&kerry());
    let text = std::fs::read_to_string(KERRY).unwrap();
    let crlf = text.replace('\n', "\r\n");
    let cr = text.replace('\n', "\r");
    let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
    utf16.extend(crlf.encode_utf16().flat_map(u16::to_le_bytes));
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(crlf.as_bytes());
    for (name, bytes, encoding) in [
        ("crlf", crlf.as_bytes().to_vec(), "utf-8"),
        ("cr", cr.as_bytes().to_vec(), "utf-8"),
        ("utf-16le", utf16, "utf-16le"),
        ("bom", bom, "utf-8"),
    ] {
        let t = transcript::read_bytes(&bytes, name.as_ref(), None).unwrap();
        let mut got = project(&t);
        assert_eq!(got.encoding, encoding, "{name}");
        got.encoding = base.encoding.clone();
        assert_eq!(got, base, "{name}");
        assert_eq!(
            transcript::encode(&t.source, &t.encoding),
            bytes,
            "{name} round trip"
        );
        for turn in &t.turns {
            if let (Some(raw), Some((a, b))) = (&turn.stated.raw, turn.stated.span) {
                assert_eq!(&t.source[a..b], raw, "{name}");
            }
        }
    }
}

/// True when a whole line is a stamp as the Kerry file writes them (`[0:07]`, `[01:55]`,
/// `[31:99]`): digits and one or two colons, in optional brackets.
fn is_stamp_line(line: &str) -> bool {
    let t = line.trim();
    let t = t
        .strip_prefix(['[', '('])
        .and_then(|t| t.strip_suffix([']', ')']))
        .unwrap_or(t)
        .trim();
    let fields: Vec<&str> = t.split(':').collect();
    (2..=3).contains(&fields.len())
        && fields
            .iter()
            .all(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// The Kerry text with every stamp line removed (and, with `blank_after`, the blank line
/// after it, as `scripts/make_sample.py` makes the nostamps rendition), and the new number of
/// each kept line (index: old line - 1).
fn without_stamps(text: &str, blank_after: bool) -> (String, Vec<Option<usize>>) {
    let mut kept = Vec::new();
    let mut new_line = Vec::new();
    let mut skip_blank = false;
    for line in text.split('\n') {
        let drop = is_stamp_line(line) || (skip_blank && line.trim().is_empty());
        skip_blank = blank_after && is_stamp_line(line);
        if drop {
            new_line.push(None);
        } else {
            kept.push(line);
            new_line.push(Some(kept.len()));
        }
    }
    (kept.join("\n"), new_line)
}

/// What must not change when the stamp lines go: (line, label, speaker, text, transcribed).
type Reading = (usize, Option<String>, Option<String>, String, bool);

fn reading(turn: &talign::transcript::Turn, line: usize) -> Reading {
    (
        line,
        turn.speaker_raw.clone(),
        turn.speaker.clone(),
        turn.text.clone(),
        turn.transcribed,
    )
}

#[test]
fn kerry_without_stamp_lines_reads_the_same_turns() {
    let stamped = kerry();
    let text = std::fs::read_to_string(KERRY).unwrap();
    for blank_after in [true, false] {
        let (stripped, new_line) = without_stamps(&text, blank_after);
        let removed = new_line.iter().filter(|l| l.is_none()).count();
        assert_eq!(removed, if blank_after { 216 } else { 108 });
        let t = transcript::parse(&stripped, None);
        assert_eq!(
            t.format,
            TranscriptFormat::Block,
            "blank_after {blank_after}"
        );
        assert_eq!(t.turns.len(), 113, "blank_after {blank_after}");
        assert!(t.turns.iter().all(|turn| turn.stated.raw.is_none()));
        for (got, expected) in t.turns.iter().zip(&stamped.turns) {
            let line = new_line[expected.line - 1].expect("a label line is kept");
            assert_eq!(
                reading(got, got.line),
                reading(expected, line),
                "turn {} (blank_after {blank_after})",
                expected.index
            );
        }
        let notes: Vec<(usize, String)> = stamped
            .notes
            .iter()
            .map(|(l, n)| (new_line[l - 1].unwrap(), n.clone()))
            .collect();
        assert_eq!(t.notes, notes, "blank_after {blank_after}");
        assert_eq!(t.speaker_groups, stamped.speaker_groups);
    }
}

#[test]
fn kerry_named_as_block_reads_as_detected() {
    // Naming the format lets any label-like line standing alone be a label; the Kerry file,
    // with or without its stamp lines, has none beyond the labels it already confirms.
    let text = std::fs::read_to_string(KERRY).unwrap();
    let stripped = [true, false].map(|blank_after| without_stamps(&text, blank_after).0);
    for src in [&text, &stripped[0], &stripped[1]] {
        let detected = transcript::parse(src, None);
        let named = transcript::parse(src, Some(TranscriptFormat::Block));
        assert_eq!(named.turns.len(), 113);
        assert_eq!(project(&named), project(&detected));
    }
}
