//! `talign lint` through the real binary: exit codes, where output goes, one-line errors.

use std::path::Path;
use std::process::{Command, Output};

use talign::transcript::lint::LintReport;

const KERRY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/transcripts/kerry-aleppo-2016.txt"
);
const EXPECTED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/expected/kerry-aleppo-2016.lint.json"
);

fn talign(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talign"))
        .args(args)
        .output()
        .expect("talign runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn kerry_has_problems_exit_1_table_on_stdout_problems_on_stderr() {
    let o = talign(&["lint", KERRY]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1 + 113);
    assert!(
        out.lines()
            .next()
            .unwrap()
            .starts_with("  #  line  ?  speaker")
    );
    assert!(out.contains("Keirry → Kerry"));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{KERRY}:603: timestamp [31:99] has 99 seconds; treated as missing\n"
        )),
        "{err}"
    );
    assert!(err.contains(&format!(
        "{KERRY}:179: timestamp [08:50] is earlier than the stamp before it"
    )));
    assert!(err.contains(&format!(
        "{KERRY}:105: warning: speaker label \"Keirry\" looks like a misspelling of \"Kerry\""
    )));
    assert!(err.contains(
        "  suggestion: correct it to a time between [31:10] (line 597) and [31:53] (line 609)"
    ));
    assert!(
        err.trim_end()
            .ends_with("113 turns (block format, utf-8); 17 problem(s): 5 error(s), 12 warning(s)"),
        "{err}"
    );
    assert!(!out.contains("timestamp"), "problems are not data");
}

#[test]
fn kerry_json_matches_the_hand_checked_turns() {
    let o = talign(&["lint", "--format", "json", KERRY]);
    assert_eq!(code(&o), 1);
    let report: LintReport =
        serde_json::from_str(&stdout(&o)).expect("lint JSON has the documented shape");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(EXPECTED).unwrap()).unwrap();
    let turns = expected["turns"].as_array().unwrap();
    assert_eq!(report.turns.len(), turns.len());
    for (got, want) in report.turns.iter().zip(turns) {
        assert_eq!(got.line, want["line"].as_u64().unwrap() as usize);
        assert_eq!(got.speaker.as_deref(), want["speaker"].as_str());
        assert_eq!(got.stamp.raw.as_deref(), want["stamp"].as_str());
        assert_eq!(
            serde_json::to_value(got.stamp.status).unwrap(),
            want["status"]
        );
        assert_eq!(got.transcribed, want["transcribed"].as_bool().unwrap());
    }
    assert_eq!(
        report.problems.len(),
        expected["problems"].as_array().unwrap().len()
    );
    assert_eq!(
        report.problems[0]
            .suggestion
            .as_deref()
            .map(|s| s.starts_with("write \"Female voice\"")),
        Some(true)
    );
    assert_eq!(report.notes.len(), 2);
}

#[test]
fn clean_transcript_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "clean.txt",
        b"Kerry\n\n[0:05]\n\nHello.\n\nMichael\n\n[0:09]\n\nHi.\n",
    );
    let o = talign(&["lint", &path]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 3);
    assert!(
        stderr(&o)
            .ends_with("2 turns (block format, utf-8); 0 problem(s): 0 error(s), 0 warning(s)\n")
    );
}

#[test]
fn format_override() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "t.txt", b"KERRY: Hello.\nMICHAEL: Hi.\n");
    let o = talign(&[
        "lint",
        "--format",
        "json",
        "--transcript-format",
        "plain",
        &path,
    ]);
    assert_eq!(code(&o), 0);
    let report: LintReport = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report.format, talign::transcript::TranscriptFormat::Plain);
    let o = talign(&["lint", "--transcript-format", "docx", &path]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("unknown transcript format \"docx\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn named_block_format_reads_an_unconfirmed_label() {
    // Detected, the file is two paragraphs of prose; named as block, `Kennedy` is a label.
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "t.txt",
        b"Kennedy\n\nAsk not what your country can do for you.\n",
    );
    let o = talign(&["lint", "--format", "json", &path]);
    let report: LintReport = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report.format, talign::transcript::TranscriptFormat::Plain);
    assert_eq!(report.turns.len(), 2);
    let o = talign(&[
        "lint",
        "--format",
        "json",
        "--transcript-format",
        "block",
        &path,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let report: LintReport = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report.format, talign::transcript::TranscriptFormat::Block);
    assert_eq!(report.turns.len(), 1);
    assert_eq!(report.turns[0].speaker.as_deref(), Some("Kennedy"));
}

/// Bad input exits 2 with one line on stderr that names the file (and line).
fn bad_input(path: &str, expected: &str) {
    let o = talign(&["lint", path]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with(&format!("talign: {expected}")), "{err}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn bad_inputs_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    let missing = missing.to_str().unwrap();
    bad_input(missing, &format!("{missing}: no such file; check the path"));
    let d = dir.path().to_str().unwrap();
    bad_input(d, &format!("{d}: is a directory"));
    let empty = write(dir.path(), "empty.txt", b"");
    bad_input(&empty, &format!("{empty}: file is empty"));
    let binary = write(dir.path(), "x.bin", b"Kerry\n\x00\x01\x02\x03");
    bad_input(&binary, &format!("{binary}:2: binary data"));
    let json = write(dir.path(), "t.json", b"{\"turns\": 3}");
    bad_input(&json, &format!("{json}:1: not talign JSON"));
    let blank = write(dir.path(), "blank.txt", b"\n \n");
    bad_input(&blank, &format!("{blank}:0: file holds only whitespace"));
}

#[test]
fn help_explains_every_flag_and_the_exit_codes() {
    let o = talign(&["lint", "--help"]);
    assert_eq!(code(&o), 0);
    let help = stdout(&o);
    for needle in [
        "--format",
        "--transcript-format",
        "TRANSCRIPT",
        "Exit codes",
        "json",
        "block, inline, plain, srt, vtt, json",
    ] {
        assert!(help.contains(needle), "help lacks {needle}:\n{help}");
    }
}
