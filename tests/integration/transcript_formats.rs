//! Every transcript format on a small fixture, and every kind of bad input.

use talign::Error;
use talign::transcript::{self, StampStatus, Transcript, TranscriptFormat};

/// (line, speaker, stamp, status, transcribed, text) of every turn.
type Row = (
    usize,
    Option<String>,
    Option<String>,
    StampStatus,
    bool,
    String,
);

fn rows(t: &Transcript) -> Vec<Row> {
    t.turns
        .iter()
        .map(|x| {
            (
                x.line,
                x.speaker.clone(),
                x.stated.raw.clone(),
                x.stated.status,
                x.transcribed,
                x.text.clone(),
            )
        })
        .collect()
}

fn row(
    line: usize,
    speaker: Option<&str>,
    stamp: Option<&str>,
    status: StampStatus,
    transcribed: bool,
    text: &str,
) -> Row {
    (
        line,
        speaker.map(str::to_owned),
        stamp.map(str::to_owned),
        status,
        transcribed,
        text.to_owned(),
    )
}

fn kinds(t: &Transcript) -> Vec<(usize, &str)> {
    t.problems
        .iter()
        .map(|p| (p.line, p.kind.as_str()))
        .collect()
}

fn parse_detected(text: &str, expected: TranscriptFormat) -> Transcript {
    assert_eq!(
        transcript::detect_format(text),
        expected,
        "detecting {text:?}"
    );
    let t = transcript::parse(text, None);
    assert_eq!(t.format, expected);
    t
}

use StampStatus::{Duplicate, Invalid, Missing, Ok as Good, OutOfOrder};

#[test]
fn block_format() {
    let t = parse_detected(
        "Meeting notes\n\nKERRY\n\n[0:05]\n\nHello ... all.\n\nSecond paragraph.\n\n\
         Male voice\n\n[0:04]\n\n[inaudible]\n\nKerry?\n\n(0:09)\n\nYes.\n",
        TranscriptFormat::Block,
    );
    assert_eq!(
        rows(&t),
        [
            row(
                3,
                Some("KERRY"),
                Some("[0:05]"),
                Good,
                true,
                "Hello ... all.\n\nSecond paragraph."
            ),
            row(
                11,
                Some("Male voice"),
                Some("[0:04]"),
                OutOfOrder,
                false,
                "[inaudible]"
            ),
            row(17, Some("KERRY"), Some("(0:09)"), Good, true, "Yes."),
        ]
    );
    assert!(t.turns[2].uncertain);
    assert_eq!(t.notes, [(1, "Meeting notes".to_owned())]);
}

#[test]
fn inline_formats() {
    let t = parse_detected(
        "KERRY: Hello there.\nMICHAEL: Hi.\nIt continues here.\n\nKERRY: Bye.\n",
        TranscriptFormat::Inline,
    );
    assert_eq!(
        rows(&t),
        [
            row(1, Some("KERRY"), None, Missing, true, "Hello there."),
            row(
                2,
                Some("MICHAEL"),
                None,
                Missing,
                true,
                "Hi.\nIt continues here."
            ),
            row(5, Some("KERRY"), None, Missing, true, "Bye."),
        ]
    );
    assert!(
        t.problems.is_empty(),
        "no stamp anywhere: missing stamps are not problems"
    );

    let t = parse_detected(
        "[01:02:03] Kerry: One.\n[01:02:01] Michael: Two.\n[01:02:99] Kerry: Three.\n",
        TranscriptFormat::Inline,
    );
    let statuses: Vec<_> = t.turns.iter().map(|x| x.stated.status).collect();
    assert_eq!(statuses, [Good, OutOfOrder, Invalid]);
    assert_eq!(t.turns[0].stated.seconds, Some(3723.0));

    let t = parse_detected(
        "Kerry (01:02): One.\nMichael (01:05): Two.\n",
        TranscriptFormat::Inline,
    );
    assert_eq!(t.turns[1].stated.raw.as_deref(), Some("(01:05)"));
    assert_eq!(t.turns[1].text, "Two.");

    let t = parse_detected(
        "Speaker 1  0:05\nHello there,\nhow are you?\n\nSpeaker 2  0:09\nFine.\n\nSpeaker 1  0:09\nGood.\n",
        TranscriptFormat::Inline,
    );
    assert_eq!(
        rows(&t),
        [
            row(
                1,
                Some("Speaker 1"),
                Some("0:05"),
                Good,
                true,
                "Hello there,\nhow are you?"
            ),
            row(5, Some("Speaker 2"), Some("0:09"), Good, true, "Fine."),
            row(8, Some("Speaker 1"), Some("0:09"), Duplicate, true, "Good."),
        ]
    );
}

#[test]
fn plain_text() {
    let t = parse_detected(
        "First paragraph,\nwrapped.\n\nSecond one.\n",
        TranscriptFormat::Plain,
    );
    assert_eq!(
        rows(&t),
        [
            row(1, None, None, Missing, true, "First paragraph,\nwrapped."),
            row(4, None, None, Missing, true, "Second one.")
        ]
    );
    let t = parse_detected(
        "One sentence. Another one! A third?",
        TranscriptFormat::Plain,
    );
    assert_eq!(t.turns.len(), 3);
    assert!(t.problems.is_empty());
}

#[test]
fn srt() {
    let src = "1\n00:00:01,000 --> 00:00:02,500\nKERRY: Hello.\n\n2\n00:00:03,000 --> 00:00:04,000\n(crosstalk)\n\n\
               3\n00:00:02,000 --> 00:00:05,000\nLate one.\n";
    let t = parse_detected(src, TranscriptFormat::Srt);
    assert_eq!(
        rows(&t),
        [
            row(1, Some("KERRY"), Some("00:00:01,000"), Good, true, "Hello."),
            row(5, None, Some("00:00:03,000"), Good, false, "(crosstalk)"),
            row(9, None, Some("00:00:02,000"), OutOfOrder, true, "Late one."),
        ]
    );
    assert_eq!(t.turns[0].stated.seconds, Some(1.0));
    let style = t.turns[0].stated.style.unwrap();
    assert_eq!(transcript::format_stamp(61.25, &style), "00:01:01,250");
}

#[test]
fn webvtt() {
    let src = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Kerry>Hello.</v>\n\nNOTE a comment\n\n\
               cue-2\n00:03.000 --> 00:04.000 align:start\n<v.loud Female voic>Hi <i>there</i>.\n\n\
               00:05.000 --> 00:06.000\n<v Female voice>Yes.\n\n00:07.000 --> 00:08.000\n<v Female voice>No.\n";
    let t = parse_detected(src, TranscriptFormat::Vtt);
    assert_eq!(
        rows(&t),
        [
            row(3, Some("Kerry"), Some("00:01.000"), Good, true, "Hello."),
            row(
                8,
                Some("Female voice"),
                Some("00:03.000"),
                Good,
                true,
                "Hi <i>there</i>."
            ),
            row(
                12,
                Some("Female voice"),
                Some("00:05.000"),
                Good,
                true,
                "Yes."
            ),
            row(
                15,
                Some("Female voice"),
                Some("00:07.000"),
                Good,
                true,
                "No."
            ),
        ]
    );
    assert_eq!(t.turns[1].words().collect::<Vec<_>>(), ["Hi", "there"]);
    assert_eq!(t.notes, [(6, "NOTE a comment".to_owned())]);
    assert_eq!(kinds(&t), [(8, "speaker_typo")]);
}

#[test]
fn talign_json_reads_back() {
    let src = r#"{
  "audio": {"path": "a.wav", "duration_s": 10.0, "sample_rate": 16000, "channels": 1},
  "transcript": {"path": "t.txt", "format": "block"},
  "turns": [
    {"index": 0, "line": 15, "speaker": "Kerry", "speaker_raw": "Kerry", "text": "I understand ...",
     "transcribed": true, "stated": {"raw": "[01:55]", "seconds": 115.0, "status": "ok"},
     "start": 115.2, "end": 116.0, "confidence": 0.9},
    {"index": 1, "line": 21, "speaker": "Female voice", "speaker_raw": "Female voic",
     "text": "Translates. Speaks Arabic/Syrian", "transcribed": false,
     "stated": {"raw": "[31:99]", "seconds": null, "status": "invalid"},
     "start": 117.0, "end": 118.0, "confidence": 0.5}
  ]
}"#;
    let t = parse_detected(src, TranscriptFormat::Json);
    assert_eq!(
        rows(&t),
        [
            row(
                15,
                Some("Kerry"),
                Some("[01:55]"),
                Good,
                true,
                "I understand ..."
            ),
            row(
                21,
                Some("Female voic"),
                Some("[31:99]"),
                Invalid,
                false,
                "Translates. Speaks Arabic/Syrian"
            ),
        ]
    );
    assert_eq!(t.turns[1].speaker_raw.as_deref(), Some("Female voic"));
    assert!(
        t.turns[0].stated.span.is_none(),
        "JSON stamps are not rewritten in place"
    );
    assert_eq!(kinds(&t), [(21, "invalid_stamp")]);
}

#[test]
fn format_override_wins() {
    let t = transcript::parse(
        "KERRY: Hello.\nMICHAEL: Hi.\n",
        Some(TranscriptFormat::Plain),
    );
    assert_eq!(t.format, TranscriptFormat::Plain);
    assert_eq!(t.turns.len(), 1);
    assert_eq!(t.turns[0].speaker, None);
}

#[test]
fn named_block_format_reads_a_lone_label() {
    // The praatio file: detected as block (a role label opens it), and named as block.
    let src = b"Speaker\n\nmary rolled the barrel\n";
    for format in [None, Some(TranscriptFormat::Block)] {
        let t = transcript::read_bytes(src, "t.txt".as_ref(), format).unwrap();
        assert_eq!(t.format, TranscriptFormat::Block);
        assert_eq!(
            rows(&t),
            [row(
                1,
                Some("Speaker"),
                None,
                Missing,
                true,
                "mary rolled the barrel"
            )]
        );
    }
    // A name standing alone above the text of a short transcript is its label (issue 13),
    // detected or named; named as plain, it is spoken.
    let src = b"Kennedy\n\nAsk not what your country can do for you.\n";
    for format in [None, Some(TranscriptFormat::Block)] {
        let t = transcript::read_bytes(src, "t.txt".as_ref(), format).unwrap();
        assert_eq!(t.format, TranscriptFormat::Block);
        assert_eq!(
            rows(&t),
            [row(
                1,
                Some("Kennedy"),
                None,
                Missing,
                true,
                "Ask not what your country can do for you."
            )]
        );
    }
    let t = transcript::read_bytes(src, "t.txt".as_ref(), Some(TranscriptFormat::Plain)).unwrap();
    assert_eq!(t.turns.len(), 2);
    // A heading that names nobody: plain unless named.
    let src = b"Chapter two\n\nAsk not what your country can do for you.\n";
    let t = transcript::read_bytes(src, "t.txt".as_ref(), None).unwrap();
    assert_eq!(t.format, TranscriptFormat::Plain);
    assert_eq!(t.turns.len(), 2);
    let t = transcript::read_bytes(src, "t.txt".as_ref(), Some(TranscriptFormat::Block)).unwrap();
    assert_eq!(t.turns[0].speaker.as_deref(), Some("Chapter two"));
}

#[test]
fn tabs_trailing_spaces_and_mixed_line_endings() {
    let t = transcript::parse(
        "Kerry \t\r\n\r\n\t[0:05]  \r\n\r\nHello\tthere.   \rMore.\n\nMichael\r[0:06]\rYes.",
        None,
    );
    assert_eq!(t.format, TranscriptFormat::Block);
    assert_eq!(
        rows(&t),
        [
            row(
                1,
                Some("Kerry"),
                Some("[0:05]"),
                Good,
                true,
                "Hello\tthere.\nMore."
            ),
            row(8, Some("Michael"), Some("[0:06]"), Good, true, "Yes.")
        ]
    );
    let (a, b) = t.turns[1].stated.span.unwrap();
    assert_eq!(&t.source[a..b], "[0:06]");
}

// ---- bad input ------------------------------------------------------------------------

fn read_bytes(bytes: &[u8]) -> talign::Result<Transcript> {
    transcript::read_bytes(bytes, "t.txt".as_ref(), None)
}

fn message(e: &Error) -> String {
    assert!(e.is_input_error(), "{e} should be an input error");
    e.to_string()
}

#[test]
fn empty_and_blank_files_are_errors() {
    assert!(matches!(read_bytes(b""), Err(Error::EmptyFile { .. })));
    let e = read_bytes(b"  \n\r\n\t").unwrap_err();
    assert_eq!(
        message(&e),
        "t.txt:0: file holds only whitespace, no text; check that this is the transcript and \
         that it was saved completely"
    );
}

#[test]
fn binary_data_is_an_error_with_its_line() {
    let mut bytes = b"Kerry\n\n[0:05]\n\nHello\n".to_vec();
    bytes.extend([0x00, 0x9F, 0x12, 0x00]);
    let e = read_bytes(&bytes).unwrap_err();
    assert!(message(&e).starts_with("t.txt:6: binary data"), "{e}");
    // A PNG header.
    let e = read_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap_err();
    assert!(message(&e).contains("binary data"), "{e}");
}

#[test]
fn no_turns_is_an_error() {
    // Read as plain text a title is a turn; in the block format it is only a heading.
    let block = Some(TranscriptFormat::Block);
    let e = transcript::read_bytes(b"Just a title\n", "t.txt".as_ref(), block).unwrap_err();
    assert!(
        message(&e).starts_with("t.txt:0: no turns found reading it as block"),
        "{e}"
    );
    let e = transcript::read_bytes(b"{\"turns\": []}", "t.json".as_ref(), None).unwrap_err();
    assert!(
        message(&e).starts_with("t.json:0: no turns found reading it as json"),
        "{e}"
    );
    let e = transcript::read_bytes(b"{\n\"turns\": [\n{,}]}", "t.json".as_ref(), None).unwrap_err();
    assert!(message(&e).starts_with("t.json:3: not valid JSON"), "{e}");
    let e = read_bytes(b"\n\n[Music]\n\n").unwrap_err();
    assert!(message(&e).contains("no turns found"), "{e}");
}

#[test]
fn invalid_utf8_in_the_middle_is_a_warning_with_its_line() {
    let mut bytes = "Kerry\n\n[0:05]\n\nCafé crème.\n\nMichael\n\n[0:06]\n\nBad "
        .as_bytes()
        .to_vec();
    bytes.push(0xC3);
    bytes.extend(b" byte.\n");
    let t = read_bytes(&bytes).unwrap();
    assert_eq!(t.encoding, "utf-8");
    assert_eq!(kinds(&t), [(11, "invalid_utf8")]);
    assert!(t.turns[1].text.contains('\u{fffd}'));
}

#[test]
fn latin1_is_read_as_windows_1252_with_a_warning() {
    let t = read_bytes(b"Kerry\n\n[0:05]\n\nCaf\xe9 cr\xe8me.\n").unwrap();
    assert_eq!(t.encoding, "windows-1252");
    assert_eq!(t.turns[0].text, "Café crème.");
    assert_eq!(kinds(&t), [(5, "encoding_fallback")]);
    assert_eq!(
        transcript::encode(&t.source, &t.encoding),
        b"Kerry\n\n[0:05]\n\nCaf\xe9 cr\xe8me.\n"
    );
}

#[test]
fn a_one_megabyte_line_is_read_with_a_warning() {
    let long = "word ".repeat(200_000);
    let src = format!("Kerry\n\n[0:05]\n\n{long}\n\nMichael\n\n[0:06]\n\nYes.\n");
    let t = read_bytes(src.as_bytes()).unwrap();
    assert_eq!(t.turns.len(), 2);
    assert_eq!(t.turns[0].word_count(), 200_000);
    assert_eq!(kinds(&t), [(5, "long_line")]);
    // The same megabyte with no line break at all: one plain turn per sentence-less line.
    let t = read_bytes(long.as_bytes()).unwrap();
    assert_eq!(t.format, TranscriptFormat::Plain);
    assert_eq!(kinds(&t), [(1, "long_line")]);
}

#[test]
fn a_fifty_megabyte_file_is_read_with_a_warning() {
    let kerry = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample-audio/kerry-aleppo-2016.txt"
    ))
    .unwrap();
    let mut big = String::with_capacity(51 << 20);
    while big.len() < 50 << 20 {
        big.push_str(&kerry);
        big.push_str("\n\n");
    }
    let t = read_bytes(big.as_bytes()).unwrap();
    assert_eq!(t.format, TranscriptFormat::Block);
    assert!(t.turns.len() > 100_000);
    assert_eq!(t.problems[0].kind, "large_file");
    assert_eq!(t.problems[0].line, 0);
}

#[test]
fn pathological_inputs_stay_linear() {
    // Each of these would take minutes if a step were quadratic in the line or file length;
    // all of them together take about a second. (No timing assertion: a hang is the failure.)
    let n = 200_000;
    let case_variant = |i: usize| -> String {
        "abcdefghijklmnopqrst"
            .chars()
            .enumerate()
            .map(|(b, c)| {
                if i >> b & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect()
    };
    let inputs: Vec<String> = vec![
        "[".repeat(n),
        "<".repeat(n),
        "(a".repeat(n),
        "a.".repeat(n),
        "a. B".repeat(n / 4),
        ". ".repeat(n),
        "...".repeat(n),
        "Kerry:".repeat(n),
        "x: ".repeat(n),
        "\n".repeat(n),
        "\r".repeat(n),
        "1:".repeat(n),
        "[1:1".repeat(n / 4),
        "Speaks ".repeat(n / 4),
        (0..n / 10)
            .map(|i| format!("Name{i}\n[0:{:02}]\nx\n", i % 60))
            .collect(),
        (0..n / 20)
            .map(|i| format!("{}\n[1:00]\n", case_variant(i)))
            .collect(),
        (0..n / 20)
            .map(|i| format!("{}: x\n", case_variant(i)))
            .collect(),
        (0..n / 10)
            .map(|i| format!("{}\n00:00:{:02},000 --> 00:00:01,000\nx\n\n", i, i % 60))
            .collect(),
    ];
    for text in &inputs {
        for format in std::iter::once(None).chain(TranscriptFormat::ALL.into_iter().map(Some)) {
            let t = transcript::parse(text, format);
            assert!(t.turns.len() <= text.len());
        }
    }
}
