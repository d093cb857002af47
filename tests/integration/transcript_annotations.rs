//! Annotation files read as transcripts (TextGrid, EAF, ASS, oTranscribe): the fixtures the
//! real libraries wrote (`tests/fixtures/formats/`, made by `scripts/check_format_inputs.py`)
//! read as the same turns, and broken files are refused with their line and exit 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use talign::transcript::{self, StampStatus, TranscriptFormat};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}

/// The turns every fixture holds: (speaker, stamp seconds, text with spaces collapsed).
fn expected(centiseconds: bool) -> Vec<(String, f64, String)> {
    let turns = [
        ("Kerry", 0.52, "I said \"no\", and I meant it."),
        ("Diane", 3.2, "Oui, très bien."),
        ("Kerry", 6.0, "Then we left the building and went home."),
        ("Diane", 9.001, "Okay."),
    ];
    turns
        .iter()
        .map(|(s, t, x)| {
            let t = if centiseconds {
                (t * 100.0_f64).round() / 100.0
            } else {
                *t
            };
            ((*s).to_owned(), t, (*x).to_owned())
        })
        .collect()
}

fn read_rows(name: &str) -> (TranscriptFormat, Vec<(String, f64, String)>) {
    let t = transcript::read(&fixture(name), None).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        t.problems.is_empty(),
        "{name}: {:?}",
        t.problems.iter().map(|p| &p.message).collect::<Vec<_>>()
    );
    let rows = t
        .turns
        .iter()
        .map(|turn| {
            assert_eq!(turn.stated.status, StampStatus::Ok, "{name}");
            (
                turn.speaker.clone().unwrap_or_default(),
                turn.stated.seconds.unwrap(),
                turn.text.split_whitespace().collect::<Vec<_>>().join(" "),
            )
        })
        .collect();
    (t.format, rows)
}

fn assert_same(name: &str, got: &[(String, f64, String)], want: &[(String, f64, String)]) {
    assert_eq!(got.len(), want.len(), "{name}: {got:?}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!((&g.0, &g.2), (&w.0, &w.2), "{name}");
        assert!((g.1 - w.1).abs() < 5e-4, "{name}: {} vs {}", g.1, w.1);
    }
}

#[test]
fn files_written_by_praatio_pympi_pysubs2_and_otranscribe_read_as_the_same_turns() {
    for (name, format, centi) in [
        ("praatio-long.TextGrid", TranscriptFormat::Textgrid, false),
        ("praatio-short.TextGrid", TranscriptFormat::Textgrid, false),
        ("praat-utf16be.TextGrid", TranscriptFormat::Textgrid, false),
        ("pympi.eaf", TranscriptFormat::Eaf, false),
        ("pysubs2.ass", TranscriptFormat::Ass, true),
        ("otranscribe.otr", TranscriptFormat::Otr, false),
    ] {
        let (got_format, rows) = read_rows(name);
        assert_eq!(got_format, format, "{name}");
        assert_same(name, &rows, &expected(centi));
    }
}

#[test]
fn word_point_and_dependent_tiers_are_listed_with_why() {
    let t = transcript::read(&fixture("praatio-long.TextGrid"), None).unwrap();
    let ignored: Vec<(&str, &str)> = t
        .tiers
        .iter()
        .filter_map(|x| Some((x.name.as_str(), x.ignored.as_deref()?)))
        .collect();
    assert_eq!(ignored.len(), 2, "{ignored:?}");
    assert_eq!(ignored[0].0, "Kerry - words");
    assert!(ignored[1].1.contains("point tier"), "{ignored:?}");
    let t = transcript::read(&fixture("pympi.eaf"), None).unwrap();
    assert_eq!(t.tiers[2].kind, "dependent");
    assert!(t.reading.iter().any(|r| r.contains("talk.wav")));
}

fn talign(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talign"))
        .args(args)
        .output()
        .expect("talign runs")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

/// `talign lint` refuses `bytes` with exit 2, naming `path:line:` and saying `what`.
fn refused(dir: &Path, name: &str, bytes: &[u8], line: usize, what: &str) {
    let path = write(dir, name, bytes);
    let o = talign(&["lint", &path]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{name}: {err}");
    assert!(err.contains(&format!("{path}:{line}: ")), "{name}: {err}");
    assert!(err.contains(what), "{name}: {err}");
    assert!(o.stdout.is_empty(), "{name}");
}

#[test]
fn broken_annotation_files_exit_2_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let grid = std::fs::read_to_string(fixture("praatio-long.TextGrid")).unwrap();
    // Cut inside the second tier.
    let cut = &grid[..grid.find("\"Diane\"").unwrap() + 40];
    refused(dir.path(), "cut.TextGrid", cut.as_bytes(), 39, "cut short");
    // The second interval of Kerry's tier starts before the first ends.
    let overlap = grid.replacen(
        "xmin = 0.52 \n            xmax = 3.5",
        "xmin = 0.52 \n            xmax = 3.9",
        1,
    );
    refused(
        dir.path(),
        "overlap.TextGrid",
        overlap.as_bytes(),
        24,
        "overlap",
    );
    let unknown = grid.replacen("\"TextTier\"", "\"PitchTier\"", 1);
    let line = grid[..grid.find("\"TextTier\"").unwrap()].lines().count();
    refused(
        dir.path(),
        "unknown.TextGrid",
        unknown.as_bytes(),
        line,
        "unknown class `PitchTier`",
    );

    let eaf = std::fs::read_to_string(fixture("pympi.eaf")).unwrap();
    let cut = &eaf[..eaf.len() / 2];
    let last = cut.lines().count();
    refused(dir.path(), "cut.eaf", cut.as_bytes(), last, "cut short");
    let unknown = eaf.replacen(
        "LINGUISTIC_TYPE_REF=\"default-lt\" PARTICIPANT=\"Diane\"",
        "LINGUISTIC_TYPE_REF=\"speech\" PARTICIPANT=\"Diane\"",
        1,
    );
    let line = eaf[..eaf.find("PARTICIPANT=\"Diane\"").unwrap()]
        .lines()
        .count();
    refused(
        dir.path(),
        "unknown.eaf",
        unknown.as_bytes(),
        line,
        "unknown tier type",
    );
    // Bytes that are not the UTF-8 the XML declares.
    let bytes: Vec<u8> = eaf
        .replacen("très", "tr\u{0}s", 1)
        .bytes()
        .map(|b| if b == 0 { 0xe8 } else { b })
        .collect();
    let line = eaf[..eaf.find("très").unwrap()].lines().count();
    refused(
        dir.path(),
        "latin.eaf",
        &bytes,
        line,
        "declares UTF-8 but has bytes that are not",
    );

    let ass = std::fs::read_to_string(fixture("pysubs2.ass")).unwrap();
    let bad = ass.replacen("0:00:03.50", "0:00:03.5x", 1);
    let line = ass[..ass.find("0:00:03.50").unwrap()].lines().count();
    refused(dir.path(), "bad.ass", bad.as_bytes(), line, "end time");

    let otr = std::fs::read_to_string(fixture("otranscribe.otr")).unwrap();
    let bad = otr.replacen(
        "data-timestamp=\\\"3.2\\\"",
        "data-timestamp=\\\"soon\\\"",
        1,
    );
    assert_ne!(bad, otr);
    refused(
        dir.path(),
        "bad.otr",
        bad.as_bytes(),
        1,
        "timestamp 2: data-timestamp `soon` is not a number of seconds",
    );
}

#[test]
fn times_past_the_recording_are_refused_before_aligning() {
    let dir = tempfile::tempdir().unwrap();
    let grid = std::fs::read_to_string(fixture("praatio-short.TextGrid")).unwrap();
    // The 12 s click recording against a TextGrid whose times are ten times later.
    let late = grid
        .replace("\n9.001\n", "\n90.01\n")
        .replace("\n10.4\n", "\n104\n")
        .replace("\n12\n", "\n120\n");
    let path = write(dir.path(), "late.TextGrid", late.as_bytes());
    let audio = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio/click-10s.wav");
    let o = talign(&[
        "align",
        "--no-reference",
        "-q",
        audio.to_str().unwrap(),
        &path,
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("past the end of the recording (12.000 s); the textgrid file belongs"),
        "{err}"
    );
    assert!(!err.contains("  "), "{err}");
    assert!(err.contains("0:01:30.010"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn lint_says_what_was_read_and_the_format_can_be_named() {
    let path = fixture("pympi.eaf");
    let o = talign(&["lint", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("read: tier \"Kerry translation\" (dependent, line 41): not read"),
        "{err}"
    );
    let o = talign(&["lint", "--format", "json", path.to_str().unwrap()]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["format"], "eaf");
    assert_eq!(report["tiers"].as_array().unwrap().len(), 3);
    // Named, a TextGrid is read as one whatever it looks like; named wrongly, it is refused.
    let grid = fixture("praatio-short.TextGrid");
    let o = talign(&[
        "lint",
        "--transcript-format",
        "praat",
        grid.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let o = talign(&["lint", "--transcript-format", "eaf", grid.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not well-formed XML"));
}

/// A seed of the fuzz corpus (`scripts/make_fuzz_corpus.py`): each broken input the review of
/// issue 13 found, read as it should be.
fn seed(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus/transcript")
        .join(name)
        .to_str()
        .unwrap()
        .to_owned()
}

/// `talign lint` on a seed: exit code, stdout, stderr.
fn lint_seed(name: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let path = seed(name);
    let mut all = vec!["lint"];
    all.extend_from_slice(args);
    all.push(&path);
    let o = talign(&all);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn eaf_annotations_overlapping_through_an_unaligned_slot_are_refused() {
    // a2 starts at 1.5 s, before a1 ends at 2 s; a2 ends on a slot without TIME_VALUE.
    let (code, out, err) = lint_seed("eaf-overlap.eaf", &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains(&format!(
            "{}:12: annotations a1 and a2 of tier \"K\" overlap (a2 starts at 1.500 s, before \
             a1 ends at 2.000 s, a slot without TIME_VALUE placed between its timed neighbours \
             in TIME_ORDER, as ELAN places it); one tier's annotations follow one another; open \
             it in ELAN",
            seed("eaf-overlap.eaf")
        )),
        "{err}"
    );
    // Annotations chained through an unaligned slot follow one another: read, the second
    // without a stamp.
    let (code, out, err) = lint_seed("eaf-unaligned-chain.eaf", &["--format", "json"]);
    assert_eq!(code, Some(1), "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["turns"].as_array().unwrap().len(), 2);
    assert_eq!(report["turns"][1]["stamp"]["status"], "missing");
}

#[test]
fn a_cut_or_mis_encoded_otr_is_named_as_otranscribe() {
    for name in ["otr-cut.otr", "otr-media-cut.otr"] {
        let (code, out, err) = lint_seed(name, &[]);
        assert_eq!(code, Some(2), "{name}: {err}");
        assert!(out.is_empty());
        assert!(
            err.contains(&format!(
                "{}:1: the oTranscribe (.otr) file ends before its JSON is complete (EOF while \
                 parsing",
                seed(name)
            )),
            "{name}: {err}"
        );
        assert!(err.contains("export it again from oTranscribe"), "{err}");
        assert!(
            !err.contains("talign JSON") && !err.contains("--format json"),
            "{err}"
        );
    }
    let (code, _, err) = lint_seed("otr-latin1-bytes.otr", &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("this oTranscribe (.otr) file has bytes that are not UTF-8 (first at line 1)"),
        "{err}"
    );
    assert!(!err.contains("XML"), "{err}");
}

#[test]
fn refusals_name_the_forms_that_would_be_read() {
    let (code, _, err) = lint_seed("ass-bad-time.ass", &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("end time `0:0x:02.00` is not a timecode; write it as h:mm:ss.cc (ASS"),
        "{err}"
    );
    assert!(!err.contains("SRT") && !err.contains("WebVTT"), "{err}");
    let (code, _, err) = lint_seed("eaf-entities.eaf", &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "{}:2: the EAF has a document type declaration (`<!DOCTYPE ...>`), which talign \
             does not read",
            seed("eaf-entities.eaf")
        )),
        "{err}"
    );
    assert!(err.contains("delete the declaration"), "{err}");
    assert!(!err.contains("DTD detected"), "{err}");
    let (code, _, err) = lint_seed("nul.bin", &[]);
    assert_eq!(code, Some(2), "{err}");
    for format in [
        "plain text",
        "SRT",
        "WebVTT",
        "talign JSON",
        "Praat TextGrid",
        "ELAN .eaf",
        "ASS/SSA",
        "oTranscribe .otr",
    ] {
        assert!(err.contains(format), "{format}: {err}");
    }
}

#[test]
fn ass_events_out_of_order_or_overlapping_are_explained_once() {
    // Diane's event (3 s) is listed before Kerry's (1.25 s).
    let (code, _, err) = lint_seed("ass-names.ass", &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("stretches were put in time order"), "{err}");
    assert!(!err.contains("file order"), "{err}");
    let (code, _, err) = lint_seed("ass-overlap.ass", &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("2 event(s) start before the event above them ends (first: event 2)"),
        "{err}"
    );
    assert!(
        !err.contains("never widened") && !err.contains("time order"),
        "{err}"
    );
}

#[test]
fn older_textgrid_headers_are_detected_and_binary_ones_refused_as_textgrids() {
    for name in [
        "textgrid-short-header.TextGrid",
        "textgrid-class-first.TextGrid",
    ] {
        let (code, out, err) = lint_seed(name, &["--format", "json"]);
        assert_eq!(code, Some(0), "{name}: {err}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(report["format"], "textgrid", "{name}");
        assert_eq!(report["turns"][0]["speaker"], "Kerry", "{name}");
    }
    let (code, out, err) = lint_seed("textgrid-binary.TextGrid", &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains(&format!(
            "{}:1: this is a binary Praat TextGrid (`ooBinaryFile`), which talign does not \
             read; open it in Praat (Read from file...), save it with Save as text file...",
            seed("textgrid-binary.TextGrid")
        )),
        "{err}"
    );
}

#[test]
fn two_speakers_starting_together_is_no_problem() {
    // Kerry's and Diane's tiers both start with text at 0 s.
    let (code, out, err) = lint_seed("textgrid-same-start.TextGrid", &["--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let turns = report["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 2);
    for turn in turns {
        assert_eq!(turn["stamp"]["status"], "ok", "{turn}");
    }
    assert!(report["problems"].as_array().unwrap().is_empty());
}
