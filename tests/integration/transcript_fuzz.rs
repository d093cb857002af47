//! Every parser and `read_bytes` on arbitrary text, arbitrary bytes, and near-valid
//! transcripts built from the pieces real ones are made of: no panic, and the model's
//! invariants hold (turn indices 0..n, lines inside the file, stamp spans on the stamp text,
//! word/note spans sorted, inside the text and on char boundaries).
//!
//! Inputs that once broke something are replayed in `regressions` below, forever. 256 cases
//! per property by default; `PROPTEST_CASES=20000` for a longer hunt.
//!
//! `corpus_mutations` replays the committed seed corpus (`tests/fuzz-corpus/transcript/`,
//! written by `scripts/make_fuzz_corpus.py`, and its `regressions/`) and then mutates it
//! (bit flips, cuts, splices, stamp-shaped and control text) for `TALIGN_FUZZ_SECONDS`
//! (default 5; CI runs 60). `TALIGN_FUZZ_SEED` picks the mutation sequence.

use proptest::prelude::*;

use crate::fuzz_harness as harness;
use talign::transcript::{self, SpanKind, StampStatus, Transcript, TranscriptFormat};

/// Lines as the transcript reader counts them: `\n`, `\r\n` and `\r` each end one, and a
/// final terminator does not start another.
fn line_count(s: &str) -> usize {
    if s.is_empty() {
        return 0;
    }
    let b = s.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => n += 1,
            b'\r' => {
                n += 1;
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let ends_with_break = s.ends_with(['\n', '\r']);
    n + usize::from(!ends_with_break)
}

fn check_invariants(t: &Transcript) {
    let lines = line_count(&t.source);
    // JSON lines are those of the transcript that was aligned, not of the JSON file.
    let lines_here = t.format != TranscriptFormat::Json;
    let in_file = |line: usize| !lines_here || (1..=lines.max(1)).contains(&line);
    for (i, turn) in t.turns.iter().enumerate() {
        assert_eq!(turn.index, i);
        assert!(in_file(turn.line), "turn {i} line {} of {lines}", turn.line);
        assert_eq!(turn.speaker.is_some(), turn.speaker_raw.is_some());
        let s = &turn.stated;
        assert_eq!(s.status == StampStatus::Missing, s.raw.is_none(), "{s:?}");
        match s.status {
            StampStatus::Ok | StampStatus::Duplicate | StampStatus::OutOfOrder => {
                assert!(
                    s.seconds.is_some_and(|x| x.is_finite() && x >= 0.0),
                    "{s:?}"
                )
            }
            StampStatus::Invalid | StampStatus::Missing => assert!(s.seconds.is_none(), "{s:?}"),
        }
        if let Some((a, b)) = s.span {
            assert!(a <= b && b <= t.source.len(), "{s:?}");
            assert!(t.source.is_char_boundary(a) && t.source.is_char_boundary(b));
            assert_eq!(Some(&t.source[a..b]), s.raw.as_deref());
        }
        if let Some(line) = s.line {
            assert!(
                in_file(line) && line >= turn.line,
                "stamp line {line}, turn line {}",
                turn.line
            );
        }
        let mut end = 0;
        for span in &turn.spans {
            assert!(span.start < span.end, "empty span {span:?}");
            assert!(
                span.start >= end,
                "spans overlap or are unsorted: {:?}",
                turn.spans
            );
            assert!(span.end <= turn.text.len());
            assert!(turn.text.is_char_boundary(span.start) && turn.text.is_char_boundary(span.end));
            end = span.end;
        }
        assert_eq!(
            turn.transcribed,
            turn.spans.iter().any(|s| s.kind == SpanKind::Word)
        );
    }
    for p in &t.problems {
        let shown = transcript::lint::format_problem("fuzz", p);
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "control character reaches the terminal: {shown:?}"
        );
        assert!(
            !lines_here || p.line <= lines,
            "problem line {} of {lines}: {p:?}",
            p.line
        );
    }
    for (line, _) in &t.notes {
        assert!(in_file(*line), "note line {line} of {lines}");
    }
    assert!(t.problems.windows(2).all(|w| w[0].line <= w[1].line));
    // The report and the table never fail either, and never carry control characters.
    let table = transcript::lint::table(t);
    assert!(
        !table.chars().any(|c| c.is_control() && c != '\n'),
        "control character in the table: {table:?}"
    );
    let _ = serde_json::to_string(&transcript::lint::report(t, "fuzz")).unwrap();
}

fn formats() -> impl Iterator<Item = Option<TranscriptFormat>> {
    std::iter::once(None).chain(TranscriptFormat::ALL.into_iter().map(Some))
}

fn parse_everyway(text: &str) {
    for format in formats() {
        check_invariants(&transcript::parse(text, format));
    }
}

fn read_everyway(bytes: &[u8]) {
    for format in formats() {
        if let Ok(t) = transcript::read_bytes(bytes, "fuzz.txt".as_ref(), format) {
            assert!(!t.turns.is_empty());
            check_invariants(&t);
            assert_eq!(
                transcript::encode(&t.source, &t.encoding).is_empty(),
                t.source.is_empty()
            );
        }
    }
}

/// Pieces transcripts are made of, good and broken.
const PIECES: &[&str] = &[
    "Kerry",
    "Kerry?",
    "Keirry",
    "Female voic",
    "Female voice",
    "Female voice1",
    "Michael?:",
    "KERRY:",
    "Kirby ? someone else",
    "Male voice, Syrian?",
    "Speaker 1  0:05",
    "Kerry (01:02):",
    "Kerry: ",
    "[0:07]",
    "[01:55]",
    "[31:99]",
    "(1:02:03.5)",
    "00:00:01,000 --> 00:00:02,000",
    "00:01.000 --> 00:02.000",
    "1:2",
    "[",
    "]",
    "(",
    ")",
    "<v Kerry>",
    "</v>",
    "<i>",
    "1",
    "-->",
    "WEBVTT",
    "NOTE",
    "STYLE",
    "{",
    "}",
    "\"turns\": [",
    "{\"text\": \"x\"}",
    "Speaks Arabic/Syrian",
    "Translates.",
    "Speaks English ...",
    "[?]",
    "[White Helmet]",
    "...",
    "..",
    "…",
    "Murmur, murmur everyone talking",
    "Music.",
    "(crosstalk)",
    "I understand",
    "Yes.",
    "Huh?",
    "It's day-to-day",
    "1,000",
    "é",
    "ß",
    "日本",
    "🙂",
    "\u{feff}",
    "\u{fffd}",
    "'",
    "’",
    "-",
    ":",
    "?",
    ".",
    ",",
    " ",
    "  ",
    "\t",
    "\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\r\n\r\n",
    // Annotation files (TextGrid, EAF, ASS, oTranscribe).
    "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n",
    "\"IntervalTier\"",
    "\"TextTier\"",
    "<exists>",
    "xmin = ",
    "intervals [1]:",
    "\"\"",
    "0.5",
    "<ANNOTATION_DOCUMENT>",
    "</ANNOTATION_DOCUMENT>",
    "<TIME_SLOT TIME_SLOT_ID=\"ts1\" TIME_VALUE=\"500\"/>",
    "<TIER TIER_ID=\"A\" LINGUISTIC_TYPE_REF=\"lt\">",
    "<ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a1\" TIME_SLOT_REF1=\"ts1\" TIME_SLOT_REF2=\"ts1\">",
    "<ANNOTATION_VALUE>",
    "<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID=\"lt\"/>",
    "[Events]\nFormat: Start, End, Name, Text\n",
    "Dialogue: 0:00:01.00,0:00:02.00,Bob,",
    "{\\k20}",
    "\\N",
    "{\"text\": \"",
    "<span class=\\\"timestamp\\\" data-timestamp=\\\"1.5\\\">0:00:01</span>",
    "<p>",
];

fn near_valid() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|p| p.concat())
}

fn json_doc() -> impl Strategy<Value = String> {
    let turn = (
        prop::option::of(0usize..1000),
        prop::option::of(prop::sample::select(PIECES)),
        prop::collection::vec(prop::sample::select(PIECES), 0..8),
        prop::option::of(prop::sample::select(PIECES)),
    )
        .prop_map(|(line, speaker, text, raw)| {
            serde_json::json!({"line": line, "speaker_raw": speaker, "text": text.concat(), "stated": {"raw": raw}})
        });
    prop::collection::vec(turn, 0..12)
        .prop_map(|turns| serde_json::json!({ "turns": turns }).to_string())
}

proptest! {
    #![proptest_config(harness::seeded_proptest(0x157a_119e))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        parse_everyway(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        read_everyway(&bytes);
    }

    #[test]
    fn near_valid_transcripts_keep_invariants(text in near_valid()) {
        parse_everyway(&text);
        read_everyway(text.as_bytes());
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        read_everyway(&utf16);
    }

    #[test]
    fn json_documents_keep_invariants(doc in json_doc()) {
        parse_everyway(&doc);
        let t = transcript::parse(&doc, None);
        prop_assert_eq!(t.format, TranscriptFormat::Json);
    }

    #[test]
    fn stamps_round_trip_through_their_style(h in 0u64..3, m in 0u64..60, s in 0u64..60, ms in 0u64..1000, pick in 0usize..6) {
        let raw = match pick {
            0 => format!("[{:02}:{s:02}]", h * 60 + m),
            1 => format!("({}:{s:02})", h * 60 + m),
            2 => format!("{h}:{m:02}:{s:02}"),
            3 => format!("{h:02}:{m:02}:{s:02},{ms:03}"),
            4 => format!("[{h}:{m:02}:{s:02}.{ms:03}]"),
            _ => format!("{:02}:{s:02}.{ms:03}", h * 60 + m),
        };
        let (seconds, style) = transcript::parse_stamp(&raw).unwrap();
        prop_assert_eq!(transcript::format_stamp(seconds, &style), raw);
    }
}

/// Edge inputs replayed as explicit cases. The properties above have not found a crasher so
/// far (up to 20 000 cases each); when one does, add it here as it was found.
mod regressions {
    use super::*;

    #[test]
    fn replayed() {
        for input in [
            // A lone byte-order mark: an empty first line.
            "\u{feff}",
            // A stamp-only line before any label.
            "[0:07]\n",
            // A label whose name is only a question mark.
            "?\n[0:01]\nHi",
            // Brackets that never close, across paragraphs.
            "Kerry\n[0:01]\n[ a\n\nb",
            // A bare timing arrow.
            "-->",
            // JSON with a turn line far past the file.
            "{\"turns\": [{\"line\": 999, \"text\": \"x\"}]}",
        ] {
            parse_everyway(input);
            read_everyway(input.as_bytes());
        }
    }
}

/// Stamp-shaped, subtitle-shaped and control text the mutator inserts.
const INSERTS: &[&str] = &[
    "[-1:00]",
    "[99999999999999999999:00]",
    "[9999999:59:59]",
    "[00:00:00.000000000001]",
    "(\u{2212}0:05)",
    "[31:99]",
    "[01:55]",
    "0:07 ",
    "\n1\n-00:00:01,000 --> 00:00:02,000\n",
    "\n2\n00:00:0x,000 --> 00:00:04,000\n",
    "\n3\n00:00:05,000 -> 00:00:06,000\n",
    "\n\nKERRY: ",
    "\nKerry\n\n[00:05]\n\n",
    "Speaker 1  0:05\n",
    "<v Kerry>",
    "WEBVTT\n\n",
    "{\"turns\": [{\"text\": \"",
    "\"stated\": {\"raw\": \"[-1:00]\"}",
    "\u{1b}]0;title\u{7}",
    "\u{1b}[2J",
    "\u{9b}",
    "\u{202e}",
    "\u{0}",
    "\u{feff}",
    "\r",
    "\n\n",
];

#[test]
fn corpus_mutations() {
    let inserts: Vec<&[u8]> = INSERTS.iter().map(|s| s.as_bytes()).collect();
    let target = harness::Target {
        name: "transcript",
        corpus: "transcript",
        inserts: &inserts,
        max_input: 256 << 10,
        min_seeds: 30,
    };
    // Each input is read as detected and as all 6 formats.
    harness::fuzz(&target, read_everyway);
}
