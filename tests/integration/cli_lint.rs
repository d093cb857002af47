//! `talign lint` through the real binary: exit codes, where output goes, one-line errors.

use std::path::Path;
use std::process::{Command, Output};

use talign::transcript::lint::LintReport;

const KERRY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-audio/kerry-aleppo-2016.txt"
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
    // Detected, the file is two paragraphs of prose (`Chapter two` names nobody); named as
    // block, `Chapter two` is a label.
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "t.txt",
        b"Chapter two\n\nAsk not what your country can do for you.\n",
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
    assert_eq!(report.turns[0].speaker.as_deref(), Some("Chapter two"));
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
    bad_input(&json, &format!("{json}:1: talign JSON has the wrong shape"));
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

/// `talign lint --format json` on `text` (written to `name`): exit code and report.
fn lint_json(dir: &Path, name: &str, bytes: &[u8]) -> (i32, LintReport, String) {
    let path = write(dir, name, bytes);
    let o = talign(&["lint", "--format", "json", &path]);
    let report = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {o:?}"));
    (code(&o), report, path)
}

#[test]
fn stamp_shaped_garbage_is_a_stamp_problem_never_words() {
    let dir = tempfile::tempdir().unwrap();
    let fraction = format!("[00:00:00.{}]", "7".repeat(5000));
    let cases: [(&str, String, &str); 5] = [
        ("neg.txt", "[-1:00]".into(), "is negative"),
        (
            "big.txt",
            "[99999999999999999999:00]".into(),
            "has a 20-digit leading field",
        ),
        (
            "hours.txt",
            "[9999999:59:59]".into(),
            "has a 7-digit leading field",
        ),
        (
            "frac.txt",
            "[00:00:00.000000000001]".into(),
            "has a 12-digit fraction",
        ),
        ("frac5000.txt", fraction, "has a 5000-digit fraction"),
    ];
    for (name, stamp, why) in cases {
        let text = format!("KERRY: {stamp} hello there\n\nMICHAEL: [00:05] yes\n");
        let path = write(dir.path(), name, text.as_bytes());
        let o = talign(&["lint", &path]);
        assert_eq!(code(&o), 1, "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(&format!("{path}:1: timestamp [")), "{err}");
        assert!(err.contains(why), "{name}: {err}");
        assert!(
            err.contains("suggestion: correct it to a time before [00:05] (line 3)"),
            "{err}"
        );
        assert!(
            err.len() < 1000,
            "the message names the stamp, not all of it: {err}"
        );
        let (_, report, _) = lint_json(dir.path(), name, text.as_bytes());
        let turn = &report.turns[0];
        assert_eq!(turn.text, "hello there", "{name}");
        assert_eq!(turn.words, 2);
        assert_eq!(turn.stamp.raw.as_deref(), Some(stamp.as_str()));
        assert_eq!(
            talign::transcript::lint::status_name(turn.stamp.status),
            "invalid"
        );
    }
}

#[test]
fn subtitles_with_broken_timing_lines_report_them() {
    let dir = tempfile::tempdir().unwrap();
    let srt = b"1\n-00:00:01,000 --> 00:00:02,000\nHello\n\n\
                2\n00:00:0x,000 --> 00:00:04,000\nWorld\n\n\
                3\n00:00:05,000 -> 00:00:06,000\nAgain\n\n\
                4\n00:00:07,000 --> 00:00:08,000\nEnd\n";
    let (code, report, path) = lint_json(dir.path(), "t.srt", srt);
    assert_eq!(code, 1);
    assert_eq!(report.format.name(), "srt");
    let texts: Vec<&str> = report.turns.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts, ["Hello", "World", "Again", "End"]);
    let lines: Vec<(usize, &str)> = report
        .problems
        .iter()
        .map(|p| (p.line, p.kind.as_str()))
        .collect();
    // `->` for `-->`: the cue stays a cue, its start a good stamp.
    assert_eq!(lines, [(2, "invalid_stamp"), (6, "invalid_stamp")]);
    assert_eq!(report.turns[2].stamp.seconds, Some(5.0));
    assert!(report.problems[0].message.contains("is negative"));
    let o = talign(&["lint", &path]);
    assert!(stderr(&o).contains(&format!("{path}:6: timestamp 00:00:0x,000 is not a time")));
}

#[test]
fn utf32_is_read_as_utf32() {
    let dir = tempfile::tempdir().unwrap();
    let text = "KERRY: [00:01] café\n\nMICHAEL: [00:05] yes\n";
    for (name, bom, le) in [
        ("le-bom.txt", true, true),
        ("be-bom.txt", true, false),
        ("le.txt", false, true),
        ("be.txt", false, false),
    ] {
        let chars = bom.then_some('\u{feff}').into_iter().chain(text.chars());
        let bytes: Vec<u8> = if le {
            chars.flat_map(|c| u32::from(c).to_le_bytes()).collect()
        } else {
            chars.flat_map(|c| u32::from(c).to_be_bytes()).collect()
        };
        let (code, report, _) = lint_json(dir.path(), name, &bytes);
        assert_eq!(code, 0, "{name}: {:?}", report.problems);
        assert_eq!(report.encoding, if le { "utf-32le" } else { "utf-32be" });
        assert_eq!(report.turns[0].text, "café");
        assert_eq!(report.turns[1].speaker_raw.as_deref(), Some("MICHAEL"));
    }
}

#[test]
fn devices_are_refused_at_once_saying_what_they_are() {
    for dev in ["/dev/zero", "/dev/urandom"] {
        let started = std::time::Instant::now();
        bad_input(dev, &format!("{dev}:0: is a character device"));
        assert!(started.elapsed().as_secs() < 2);
    }
}

#[test]
fn a_fifo_without_writer_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("t.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_talign"))
        .args(["lint", fifo.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed().as_secs() > 10 {
            child.kill().unwrap();
            panic!("talign lint hung on a FIFO with no writer");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("the pipe gave no data"), "{err}");
    assert!(!err.contains("0 bytes"), "{err}");
}

#[test]
fn oversized_inputs_are_refused_before_reading_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(100 << 20)
        .unwrap();
    let big = big.to_str().unwrap();
    bad_input(
        big,
        &format!("{big}:0: file is 100 MB, over the 64 MB limit"),
    );
    // Through a pipe: refused once 64 MB have come, the writer cut off.
    let mut child = Command::new(env!("CARGO_BIN_EXE_talign"))
        .args(["lint", "/dev/stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let chunk = b"KERRY: hello there. ".repeat(1 << 14);
        let mut sent = 0usize;
        while sent < 100 << 20 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
            sent += chunk.len();
        }
        sent
    });
    let o = child.wait_with_output().unwrap();
    let sent = writer.join().unwrap();
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("more than 64 MB came through the pipe"));
    assert!(sent < 100 << 20, "talign read everything ({sent} bytes)");
}

#[test]
fn control_characters_from_the_transcript_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "osc.txt",
        b"KERRY\x1b]0;pwned\x07: hello\n\nMICHAEL: [-1:0\x1b[2J0] \x1b[31mred\n\nKERRY: [00:05] ok\n",
    );
    let o = talign(&["lint", &path]);
    for (what, out) in [("stdout", stdout(&o)), ("stderr", stderr(&o))] {
        assert!(
            !out.chars().any(|c| c.is_control() && c != '\n'),
            "{what}: {out:?}"
        );
    }
    assert!(stdout(&o).contains("\\u{1b}"), "{}", stdout(&o));
}

#[test]
fn whitespace_only_and_broken_json_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let blank = write(dir.path(), "blank.txt", b"\n \t\n");
    let o = talign(&["lint", &blank]);
    assert!(
        stderr(&o).contains("check that this is the transcript"),
        "{}",
        stderr(&o)
    );
    let cut = write(
        dir.path(),
        "cut.json",
        b"{\"turns\": [\n  {\"text\": \"Hi\"},\n",
    );
    bad_input(
        &cut,
        &format!("{cut}:3: talign JSON ends before it is complete"),
    );
    let o = talign(&["lint", &cut]);
    assert!(stderr(&o).contains("copy or download it again"));
}
