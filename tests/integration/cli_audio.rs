//! The real `talign` binary on recordings: `info`, `vad`, `align` and `check` on every audio
//! fixture, on bad and damaged files, in every output format, and their `--help`.
//!
//! Fixtures: `tests/fixtures/audio/README.md` (what each file holds) and
//! `sample-audio/clip-kerry-45s.{wav,txt,truth.json}` (a 48 s recording, its block transcript
//! and the true turn times). See also `docs/decoding.md`.

use std::path::Path;
use std::process::Command;

use serde::Deserialize;

/// Hostile input: outputs that must not be replaced, flags out of range, mismatched pairs.
#[path = "cli/hostile.rs"]
mod hostile;
use talign::drift::{DriftReport, Verdict};
use talign::report::Alignment;

// ---------------------------------------------------------------------------------------
// Running the binary

/// What a run of `talign` left behind.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs `talign` with `args`; never accepts a panic.
pub(crate) fn talign<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    talign_with_env(args, &[])
}

/// Runs `talign` with `args` and extra environment variables.
pub(crate) fn talign_with_env<S: AsRef<std::ffi::OsStr>>(args: &[S], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_talign"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("talign runs");
    let run = Run {
        code: out.status.code().expect("talign exits with a code"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "talign panicked: {}",
        run.stderr
    );
    run
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn audio(name: &str) -> String {
    path_str(&root().join("tests/fixtures/audio").join(name))
}

pub(crate) fn sample(name: &str) -> String {
    path_str(&root().join("sample-audio").join(name))
}

fn path_str(p: &Path) -> String {
    p.to_str().expect("UTF-8 path").to_owned()
}

fn clip_wav() -> String {
    sample("clip-kerry-45s.wav")
}

fn clip_txt() -> String {
    sample("clip-kerry-45s.txt")
}

/// Files in `dir`, sorted (to see that nothing but the expected output is left behind).
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every number in `text` with a fractional part has at most 3 decimals.
fn assert_at_most_3_decimals(text: &str) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && i + 1 < bytes.len() && bytes[i + 1] == b'.' {
            let start = i + 2;
            let mut j = start;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            assert!(
                j - start <= 3,
                "more than 3 decimals: {}",
                &text[i.saturating_sub(10)..j]
            );
            i = j;
        } else {
            i += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------
// JSON documents, read back strictly

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct AudioDoc {
    path: String,
    container: String,
    codec: String,
    sample_rate: u32,
    channels: u32,
    duration_s: f64,
    warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionDoc {
    start: f64,
    end: f64,
    score: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VadDoc {
    audio: AudioDoc,
    regions: Vec<RegionDoc>,
    speech_s: f64,
    speech_ratio: f64,
    region_count: usize,
}

// ---------------------------------------------------------------------------------------
// Every format: info and vad

/// Fixture, container, codec, rate, channels, duration (ffprobe's rate and channels; the
/// signal's true 1.000 s, which talign decodes for every gapless-trimmed format).
const FORMATS: &[(&str, &str, &str, u32, u32, &str)] = &[
    ("signal-u8.wav", "wave", "pcm_u8", 44_100, 2, "1.000"),
    ("signal-s16.wav", "wave", "pcm_s16le", 44_100, 2, "1.000"),
    ("signal-s24.wav", "wave", "pcm_s24le", 44_100, 2, "1.000"),
    ("signal-s32.wav", "wave", "pcm_s32le", 44_100, 2, "1.000"),
    ("signal-f32.wav", "wave", "pcm_f32le", 44_100, 2, "1.000"),
    (
        "signal-extensible.wav",
        "wave",
        "pcm_s24le",
        44_100,
        2,
        "1.000",
    ),
    ("signal-8k-mono.wav", "wave", "pcm_s16le", 8_000, 1, "1.000"),
    (
        "signal-48k-6ch.wav",
        "wave",
        "pcm_s16le",
        48_000,
        6,
        "1.000",
    ),
    ("signal.mp3", "mp3", "mp3", 44_100, 2, "1.000"),
    ("signal.flac", "flac", "flac", 44_100, 2, "1.000"),
    ("signal.ogg", "ogg", "vorbis", 44_100, 2, "1.000"),
    ("signal.m4a", "isomp4", "aac", 44_100, 2, "1.000"),
    ("signal-video.mp4", "isomp4", "aac", 44_100, 2, "1.000"),
    ("click-10s.wav", "wave", "pcm_s16le", 44_100, 1, "12.000"),
    ("click-10s.mp3", "mp3", "mp3", 44_100, 1, "12.000"),
    ("click-10s.m4a", "isomp4", "aac", 44_100, 1, "12.000"),
    ("signal.opus", "ogg", "opus", 48_000, 2, "1.000"),
    ("signal.webm", "matroska", "opus", 48_000, 2, "1.014"),
    ("click-10s.opus", "ogg", "opus", 48_000, 1, "12.000"),
];

#[test]
fn info_prints_container_codec_rate_channels_and_duration() {
    for &(name, container, codec, rate, channels, duration) in FORMATS {
        let path = audio(name);
        let r = talign(&["info", &path]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert!(r.stderr.is_empty(), "{name}: {}", r.stderr);
        let expected = format!(
            "file:        {path}\ncontainer:   {container}\ncodec:       {codec}\n\
             sample rate: {rate} Hz\nchannels:    {channels}\nduration:    {duration} s\n\
             warnings:    none\n"
        );
        assert_eq!(r.stdout, expected, "{name}");

        let r = talign(&["info", "--json", &path]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let doc: AudioDoc = serde_json::from_str(&r.stdout).expect("info --json schema");
        assert_eq!(doc.path, path);
        assert_eq!(
            (doc.container.as_str(), doc.codec.as_str()),
            (container, codec)
        );
        assert_eq!((doc.sample_rate, doc.channels), (rate, channels), "{name}");
        assert_eq!(format!("{:.3}", doc.duration_s), duration, "{name}");
        assert!(doc.warnings.is_empty());
    }
}

#[test]
fn vad_finds_the_speech_in_every_format() {
    // The signal: speech from 0.040 s to about 0.7 s, a tone 0.750..0.950 s, silence else.
    for &(name, ..) in FORMATS.iter().filter(|f| f.0.starts_with("signal")) {
        let r = talign(&["vad", "-q", &audio(name)]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let doc: VadDoc = serde_json::from_str(&r.stdout).expect("vad JSON schema");
        assert!(!doc.regions.is_empty(), "{name}: no speech found");
        let covers = doc
            .regions
            .iter()
            .any(|g| g.start <= 0.1 && g.end >= 0.6 && g.end <= 1.0);
        assert!(covers, "{name}: speech not found in {:?}", doc.regions);
        assert!(doc.speech_s > 0.5 && doc.speech_s <= 1.0, "{name}");
    }
}

// ---------------------------------------------------------------------------------------
// Bad input

/// A bad recording: the message after `talign: {path}: ` starts with this.
const BAD: &[(&str, &str)] = &[
    ("empty.mp3", "file is empty (0 bytes); check the path"),
    ("text.mp3", "not a recording talign can read"),
    (
        "unsupported-ac3.mka",
        "AC-3 (Dolby Digital) audio (in this Matroska / WebM file) cannot be decoded",
    ),
    (
        "video-only.mp4",
        "this ISO Base Media File Format file has no audio track",
    ),
    ("zero-length.wav", "recording has no samples (zero length)"),
    (
        "silent.wav",
        "recording is digital silence for all its 5.000 s",
    ),
];

/// The one line a bad input leaves on stderr: starts `talign: PATH: WHAT`, says what to do.
fn assert_bad_input(r: &Run, path: &str, what: &str, context: &str) {
    assert_eq!(r.code, 2, "{context}: {}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{context}: {}", r.stderr);
    let expected = format!("talign: {path}: {what}");
    assert!(r.stderr.starts_with(&expected), "{context}: {}", r.stderr);
    let advice = ["check", "give", "convert", "re-encode", "ffmpeg", "fix"];
    assert!(
        advice.iter().any(|a| r.stderr.contains(a)),
        "{context}: says nothing about what to do: {}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{context}: {}", r.stdout);
}

/// A transcript that exists but cannot be read is bad input (exit 2), as a recording is.
#[test]
fn an_unreadable_transcript_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let looped = path_str(&dir.path().join("loop.txt"));
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    let wav = clip_wav();
    for args in [
        vec!["align", "-q", wav.as_str(), looped.as_str()],
        vec!["lint", looped.as_str()],
    ] {
        let r = talign(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("cannot be read") && r.stderr.contains("fix or remove it"),
            "{args:?}: {}",
            r.stderr
        );
    }
}

#[test]
fn bad_recordings_exit_2_with_one_line_and_touch_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let missing = path_str(&dir.path().join("missing.wav"));
    let directory = path_str(&dir.path().join("a-directory"));
    std::fs::create_dir(&directory).unwrap();
    let mut cases: Vec<(String, String)> = vec![
        (missing, "no such file; check the path".into()),
        (directory, "is a directory; give a file".into()),
    ];
    // A symbolic link to itself exists but can never be read: bad input too.
    let looped = dir.path().join("loop.wav");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    cases.push((
        path_str(&looped),
        "cannot be read: Too many levels of symbolic links".into(),
    ));
    cases.extend(BAD.iter().map(|(f, what)| (audio(f), (*what).to_owned())));

    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let previous = out.join("previous.json");
    std::fs::write(&previous, "previous content\n").unwrap();
    let fresh = out.join("fresh.srt");
    let fix = out.join("fixed.txt");
    let plot = out.join("plot.svg");
    let txt = clip_txt();
    for (path, what) in &cases {
        let prev = path_str(&previous);
        let new = path_str(&fresh);
        let runs: Vec<(&str, Vec<&str>)> = vec![
            ("info", vec!["info", path]),
            ("info --json", vec!["info", "--json", path]),
            ("vad", vec!["vad", "-q", path]),
            ("vad -o previous", vec!["vad", "-q", "-o", &prev, path]),
            (
                "vad -o fresh",
                vec!["vad", "-q", "--format", "csv", "-o", &new, path],
            ),
            ("align", vec!["align", "-q", path, &txt]),
            (
                "align -o previous",
                vec!["align", "-q", "-o", &prev, path, &txt],
            ),
            (
                "align -o fresh",
                vec!["align", "-q", "-o", &new, path, &txt],
            ),
        ];
        for (what_run, args) in runs {
            let r = talign(&args);
            assert_bad_input(&r, path, what, &format!("{what_run} {path}"));
        }
        let r = talign(&[
            "check",
            "-q",
            "--fix",
            "-o",
            &path_str(&fix),
            "--plot",
            &path_str(&plot),
            path,
            &txt,
        ]);
        assert_bad_input(&r, path, what, &format!("check {path}"));
        assert_eq!(
            std::fs::read_to_string(&previous).unwrap(),
            "previous content\n"
        );
        assert_eq!(listing(&out), ["previous.json"], "{path}");
    }
}

#[test]
fn an_output_that_cannot_be_written_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let target = path_str(&dir.path().join("no-such-dir").join("out.json"));
    let r = talign(&["vad", "-q", "-o", &target, &audio("signal-s16.wav")]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with(&format!("talign: {target}: cannot write output")),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_arguments_exit_2() {
    let r = talign(&["vad", "--format", "xml", &audio("signal-s16.wav")]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = talign(&["align", &clip_wav()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = talign(&["frobnicate"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------
// Damaged recordings: decoded, with a warning saying what was skipped and where

/// The phrase spoken in truncated.mp3 and corrupt-middle.mp3 (scripts/fixtures.py).
const BROKEN_PHRASE: &str = "This recording is cut in half, or has garbage in the middle, to \
                             test how talign handles broken files.\n";

#[test]
fn damaged_mp3s_decode_with_a_warning_naming_the_time() {
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("phrase.txt");
    std::fs::write(&transcript, BROKEN_PHRASE).unwrap();
    let transcript = path_str(&transcript);
    for (name, duration, warning) in [
        (
            "truncated.mp3",
            2.770,
            "the file ends at 2.770 s but its header says 5.583 s: it is cut short",
        ),
        (
            "corrupt-middle.mp3",
            5.583,
            "damaged audio at 2.770 s: 1672 bytes of garbage skipped; 0.209 s of silence put \
             in its place so later times stay right",
        ),
    ] {
        let path = audio(name);
        let expected = format!("talign: warning: {path}: {warning}");
        let out = path_str(&dir.path().join(format!("{name}.json")));
        for args in [
            vec!["info", "--json", &path],
            vec!["vad", "-q", &path],
            vec!["align", "-q", "-o", &out, &path, &transcript],
        ] {
            let r = talign(&args);
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
            assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
            assert!(r.stderr.starts_with(&expected), "{args:?}: {}", r.stderr);
        }
        let info: AudioDoc =
            serde_json::from_str(&talign(&["info", "--json", &path]).stdout).unwrap();
        assert!((info.duration_s - duration).abs() < 0.0005, "{name}");
        assert_eq!(info.warnings.len(), 1);
        let vad: VadDoc = serde_json::from_str(&talign(&["vad", "-q", &path]).stdout).unwrap();
        assert!(
            vad.speech_s > 1.5,
            "{name}: speech in the part that is there"
        );
        let aligned: Alignment =
            serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(aligned.turns.len(), 1);
        assert!(aligned.turns[0].end <= duration + 0.01);
    }
}

// ---------------------------------------------------------------------------------------
// vad output

#[test]
fn vad_writes_every_format_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let signal = audio("signal-s16.wav");
    let stdout_json = talign(&["vad", "-q", &signal]).stdout;
    for (format, name) in [
        ("json", "speech.json"),
        ("csv", "speech.csv"),
        ("audacity", "speech.txt"),
    ] {
        let target = dir.path().join(name);
        std::fs::write(
            &target,
            "old content that must be replaced entirely\n".repeat(50),
        )
        .unwrap();
        let r = talign(&[
            "vad",
            "-q",
            "--format",
            format,
            "-o",
            &path_str(&target),
            &signal,
        ]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{format}: data went to stdout too");
        assert!(r.stderr.is_empty(), "{format}: {}", r.stderr);
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(!text.contains("old content"));
        assert_at_most_3_decimals(if format == "audacity" { "" } else { &text });
        match format {
            "json" => {
                assert_eq!(text, stdout_json, "-o writes what stdout gets");
                let doc: VadDoc = serde_json::from_str(&text).unwrap();
                assert_eq!(doc.region_count, doc.regions.len());
                assert_eq!(doc.audio.sample_rate, 44_100);
                assert_eq!(doc.audio.duration_s, 1.0);
                let total: f64 = doc.regions.iter().map(|g| g.end - g.start).sum();
                assert!((total - doc.speech_s).abs() < 0.002);
                assert!((doc.speech_ratio - doc.speech_s / 1.0).abs() < 0.002);
                for g in &doc.regions {
                    assert!(0.0 <= g.start && g.start < g.end && g.end <= 1.0, "{g:?}");
                    assert!((0.0..=1.0).contains(&g.score), "{g:?}");
                }
            }
            "csv" => {
                let mut lines = text.lines();
                assert_eq!(lines.next(), Some("start,end,score"));
                let rows: Vec<&str> = lines.collect();
                assert!(!rows.is_empty());
                for row in rows {
                    let cells: Vec<f64> = row.split(',').map(|c| c.parse().unwrap()).collect();
                    assert_eq!(cells.len(), 3, "{row}");
                    assert!(cells[0] < cells[1], "{row}");
                    for c in row.split(',') {
                        assert_eq!(c.split('.').nth(1).map(str::len), Some(3), "{row}");
                    }
                }
            }
            _ => {
                for row in text.lines() {
                    let cells: Vec<&str> = row.split('\t').collect();
                    assert_eq!(cells.len(), 3, "{row}");
                    let start: f64 = cells[0].parse().unwrap();
                    let end: f64 = cells[1].parse().unwrap();
                    assert!(start < end, "{row}");
                    assert_eq!(cells[2], "speech");
                }
            }
        }
    }
    assert_eq!(
        listing(dir.path()),
        ["speech.csv", "speech.json", "speech.txt"],
        "no temporary files left behind"
    );
}

// ---------------------------------------------------------------------------------------
// align on the clip

fn align_clip(extra: &[&str]) -> Run {
    let wav = clip_wav();
    let txt = clip_txt();
    let mut args = vec!["align", "-q"];
    args.extend_from_slice(extra);
    args.push(&wav);
    args.push(&txt);
    talign(&args)
}

/// Parses `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (WebVTT) into seconds.
fn cue_time(t: &str) -> f64 {
    let t = t.replace(',', ".");
    let parts: Vec<&str> = t.split(':').collect();
    assert_eq!(parts.len(), 3, "{t}");
    let h: f64 = parts[0].parse().unwrap();
    let m: f64 = parts[1].parse().unwrap();
    let s: f64 = parts[2].parse().unwrap();
    assert_eq!(parts[2].len(), 6, "{t}");
    h * 3600.0 + m * 60.0 + s
}

/// Cue times of an SRT or WebVTT document: increasing, within the recording.
fn check_cues(text: &str, arrow_lines: usize) {
    let cues: Vec<(f64, f64)> = text
        .lines()
        .filter(|l| l.contains(" --> "))
        .map(|l| {
            let (a, b) = l.split_once(" --> ").unwrap();
            (cue_time(a), cue_time(b.split(' ').next().unwrap()))
        })
        .collect();
    assert!(cues.len() >= arrow_lines, "{} cues", cues.len());
    let mut last_start = 0.0;
    for &(start, end) in &cues {
        assert!(start < end && end <= 48.3, "{start} --> {end}");
        assert!(start >= last_start, "cues out of order at {start}");
        last_start = start;
    }
}

#[test]
fn align_writes_the_clip_in_every_format() {
    let clip_turns = 9;
    for format in ["json", "srt", "vtt", "textgrid", "audacity", "csv", "tsv"] {
        let r = align_clip(&["--format", format]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        let text = &r.stdout;
        match format {
            "json" => {
                let a: Alignment = serde_json::from_str(text).expect("talign JSON schema");
                assert_eq!(a.turns.len(), clip_turns);
                assert_eq!(a.audio.sample_rate, 16_000);
                assert!((a.audio.duration_s - 48.219).abs() < 0.002);
                assert!(a.turns.windows(2).all(|w| w[0].start <= w[1].start));
                assert!(a.turns.iter().all(|t| t.start < t.end && t.end <= 48.3));
                assert_at_most_3_decimals(text);
            }
            "srt" => {
                assert!(text.starts_with("1\n00:00:"), "{text}");
                check_cues(text, clip_turns);
                assert!(text.contains("Kerry: And that's really what"));
            }
            "vtt" => {
                assert!(text.starts_with("WEBVTT\n\n"), "{text}");
                check_cues(text, clip_turns);
                assert!(text.contains("<v Kerry>And that's really what"));
            }
            "textgrid" => {
                assert!(
                    text.starts_with("File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n")
                );
                assert!(text.contains("class = \"IntervalTier\""));
                for speaker in ["Kerry", "Female voice", "Male voice"] {
                    assert!(text.contains(&format!("name = \"{speaker}\"")), "{speaker}");
                }
            }
            "audacity" => {
                let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
                assert_eq!(rows.len(), clip_turns);
                for row in rows {
                    assert_eq!(row.len(), 3, "{row:?}");
                    let (a, b): (f64, f64) = (row[0].parse().unwrap(), row[1].parse().unwrap());
                    assert!(a < b, "{row:?}");
                }
            }
            _ => {
                let sep = if format == "csv" { ',' } else { '\t' };
                let mut lines = text.lines();
                let header: Vec<&str> = lines.next().unwrap().split(sep).collect();
                assert_eq!(
                    &header[..6],
                    ["index", "line", "speaker", "speaker_raw", "start", "end"]
                );
                assert_eq!(lines.count(), clip_turns, "{format}");
            }
        }
    }
}

#[test]
fn align_output_format_follows_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    for (name, starts) in [
        ("x.srt", "1\n00:00:"),
        ("x.vtt", "WEBVTT\n"),
        ("x.TextGrid", "File type = \"ooTextFile\""),
        ("x.csv", "index,line,speaker"),
        ("x.tsv", "index\tline\tspeaker"),
        ("x.json", "{\n"),
        ("x.unknown", "{\n"),
    ] {
        let target = path_str(&dir.path().join(name));
        let r = align_clip(&["-o", &target]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert!(r.stdout.is_empty());
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(
            text.starts_with(starts),
            "{name}: {}",
            &text[..40.min(text.len())]
        );
    }
    // --format wins over the extension.
    let target = path_str(&dir.path().join("y.srt"));
    assert_eq!(align_clip(&["--format", "vtt", "-o", &target]).code, 0);
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("WEBVTT")
    );
}

#[derive(Deserialize)]
struct Truth {
    turns: Vec<TruthTurn>,
}

#[derive(Deserialize)]
struct TruthTurn {
    line: usize,
    start: f64,
}

/// Accuracy floor on the clip without the reference voice: turn starts within 0.5 s.
///
/// Measured: 5 of 9 when this test was written (the short "Thank you." and the turns
/// around it 1.3–2.2 s off), 9 of 9 after main's aligner work of 8680008 (all within 0.05 s
/// but the first, 0.27 s late). The floor is the task's goal, 80%: 8 of 9, one turn under
/// what is measured, so it catches regressions and leaves room for a tuning trade-off.
#[test]
fn align_accuracy_floor_on_the_clip() {
    let r = align_clip(&["--format", "json", "--no-reference"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let aligned: Alignment = serde_json::from_str(&r.stdout).unwrap();
    let truth: Truth = serde_json::from_str(
        &std::fs::read_to_string(sample("clip-kerry-45s.truth.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(aligned.turns.len(), truth.turns.len());
    let mut within = 0;
    for (a, t) in aligned.turns.iter().zip(&truth.turns) {
        assert_eq!(a.line, t.line);
        if (a.start - t.start).abs() <= 0.5 {
            within += 1;
        }
    }
    assert!(
        within >= 8,
        "only {within} of {} turn starts within 0.5 s of the truth",
        truth.turns.len()
    );
}

/// Accuracy floor on the clip with the espeak-ng reference voice (`--reference voice`):
/// every turn start within 0.1 s. Measured: 9 of 9 (errors 0.025–0.049 s, all slightly
/// early; the clip is voiced by espeak-ng itself).
#[test]
fn align_with_the_reference_voice_puts_every_start_within_a_tenth_of_a_second() {
    let r = align_clip(&["--format", "json", "--reference", "voice"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let aligned: Alignment = serde_json::from_str(&r.stdout).unwrap();
    let truth: Truth = serde_json::from_str(
        &std::fs::read_to_string(sample("clip-kerry-45s.truth.json")).unwrap(),
    )
    .unwrap();
    for (a, t) in aligned.turns.iter().zip(&truth.turns) {
        assert_eq!(a.line, t.line);
        assert!(
            (a.start - t.start).abs() <= 0.1,
            "turn at line {}: start {} vs true {}",
            a.line,
            a.start,
            t.start
        );
    }
}

/// Accuracy floor on the clip with the acoustic model (the default): turn starts within
/// 0.25 s. Measured: ACOUSTIC_CLIP_MEASURED.
#[test]
fn align_with_the_acoustic_model_places_the_clip_turns() {
    let r = align_clip(&["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let aligned: Alignment = serde_json::from_str(&r.stdout).unwrap();
    let truth: Truth = serde_json::from_str(
        &std::fs::read_to_string(sample("clip-kerry-45s.truth.json")).unwrap(),
    )
    .unwrap();
    let within = aligned
        .turns
        .iter()
        .zip(&truth.turns)
        .filter(|(a, t)| (a.start - t.start).abs() <= 0.25)
        .count();
    assert!(within >= 8, "only {within} of 9 starts within 0.25 s");
    // Turns whose words were heard report how well they fit; untranscribed ones cannot.
    for t in aligned.turns.iter().filter(|t| !t.transcribed) {
        assert!(t.fit.is_none(), "line {}", t.line);
    }
    let heard = aligned.turns.iter().filter(|t| t.fit.is_some()).count();
    assert!(heard >= 4, "only {heard} turns heard");
}

/// The clip as Opus (`sample-audio/clip-kerry-45s.opus`: `ffmpeg -i clip-kerry-45s.wav -c:a
/// libopus -b:a 16k -fflags +bitexact -flags:a +bitexact clip-kerry-45s.opus`, 96 KB) aligns
/// like the WAV: every turn start within 0.1 s of the WAV's. Measured: all within 0.01 s.
#[test]
fn align_on_an_opus_copy_of_the_clip_matches_the_wav() {
    let starts = |audio: &str| -> Vec<f64> {
        let r = talign(&["align", "-q", "--format", "json", audio, &clip_txt()]);
        assert_eq!(r.code, 0, "{audio}: {}", r.stderr);
        assert!(r.stderr.is_empty(), "{audio}: {}", r.stderr);
        let aligned: Alignment = serde_json::from_str(&r.stdout).unwrap();
        aligned.turns.iter().map(|t| t.start).collect()
    };
    let wav = starts(&clip_wav());
    let opus = starts(&sample("clip-kerry-45s.opus"));
    assert_eq!(wav.len(), 9);
    assert_eq!(opus.len(), wav.len());
    for (i, (w, o)) in wav.iter().zip(&opus).enumerate() {
        assert!(
            (w - o).abs() <= 0.1,
            "turn {i}: {o:.3} s in Opus, {w:.3} s in the WAV"
        );
    }
}

/// A turn of a real-speech fixture's `truth.json`.
#[derive(Deserialize)]
struct TrueTurn {
    line: usize,
    start: f64,
    end: f64,
}

/// `talign align -q AUDIO TRANSCRIPT` on the fixture in `dir` (its `audio` file and
/// `transcript.txt`), which must succeed, and its true turns.
fn align_fixture(dir: &Path, audio: &str) -> (Alignment, Vec<TrueTurn>) {
    let r = talign(&[
        "align",
        "-q",
        &path_str(&dir.join(audio)),
        &path_str(&dir.join("transcript.txt")),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (serde_json::from_str(&r.stdout).unwrap(), true_turns(dir))
}

/// The turns of the fixture in `dir` (`truth.json`).
fn true_turns(dir: &Path) -> Vec<TrueTurn> {
    #[derive(Deserialize)]
    struct Truth {
        turns: Vec<TrueTurn>,
    }
    let truth: Truth =
        serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    truth.turns
}

/// Real Spanish speech, aligned with the English model through espeak-ng's phonemes: the
/// opening of the acted game dialogue `drascula-es-ch1` (12 turns, two actors; machine-made
/// exact truth). With a second-nearest English phone for the sounds English lacks (pure `e`
/// and `o`, taps), 11 of 12 starts land within 0.25 s and 11 of 12 ends within 1 s; with the
/// nearest phone alone, 8 and 7 (docs/accuracy.md, session 21).
#[test]
fn spanish_turns_are_heard_through_the_nearest_english_phones() {
    let dir = root().join("tests/fixtures/real/drascula-es-ch1-opening");
    let (aligned, truth) = align_fixture(&dir, "audio.flac");
    assert_eq!(aligned.turns.len(), truth.len());
    let (mut starts, mut ends) = (0, 0);
    for (a, t) in aligned.turns.iter().zip(&truth) {
        assert_eq!(a.line, t.line);
        starts += usize::from((a.start - t.start).abs() <= 0.25);
        ends += usize::from((a.end - t.end).abs() <= 1.0);
    }
    assert!(starts >= 10, "starts within 0.25 s: {starts} of 12");
    assert!(ends >= 10, "ends within 1 s: {ends} of 12");
}

/// The same opening as heard in a meeting room (RT60 0.5 s, `scripts/make_reverb.py
/// --fixture`), with the fifth turn left untranscribed: speech detection ends that turn
/// where its echo dies away, 0.45 s after its speech. The heard turns show how far the
/// level falls at a word's end, and the untranscribed turn ends there (docs/accuracy.md,
/// session 35); in the dry recording nothing is trimmed and nothing needs to be.
#[test]
fn an_untranscribed_turn_ends_before_the_rooms_echo() {
    let dir = root().join("tests/fixtures/real/drascula-es-ch1-opening");
    let work = tempfile::tempdir().unwrap();
    let transcript = work.path().join("transcript.txt");
    let text = std::fs::read_to_string(dir.join("transcript.txt")).unwrap();
    let spoken = "¿SABE DONDE PUEDO ENCONTRAR A UN TAL CONDE DRASCULA?";
    assert!(text.contains(spoken));
    std::fs::write(&transcript, text.replace(spoken, "[Speaks English]")).unwrap();
    let truth = true_turns(&dir);
    for (audio, echoes) in [("room.flac", true), ("audio.flac", false)] {
        let r = talign(&["align", &path_str(&dir.join(audio)), &path_str(&transcript)]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(
            r.stderr.contains("the recording echoes"),
            echoes,
            "{audio}: {}",
            r.stderr
        );
        let aligned: Alignment = serde_json::from_str(&r.stdout).unwrap();
        let untranscribed: Vec<_> = aligned.turns.iter().filter(|t| !t.transcribed).collect();
        assert_eq!(untranscribed.len(), 1, "{audio}");
        let turn = untranscribed[0];
        let true_end = truth.iter().find(|t| t.line == turn.line).unwrap().end;
        assert!(
            (turn.end - true_end).abs() <= 0.1,
            "{audio}: line {} ends at {:.2} s, truth {true_end:.2} s",
            turn.line,
            turn.end
        );
        let ends_within = aligned
            .turns
            .iter()
            .zip(&truth)
            .filter(|(a, t)| (a.end - t.end).abs() <= 0.25)
            .count();
        assert_eq!(ends_within, 12, "{audio}: ends within 0.25 s");
    }
}

/// Four turns of the acted dialogue `drascula-en-ch1`, dry and as heard across a table in a
/// hall (RT60 0.9 s, `scripts/make_reverb.py --fixture ... --room hall`). The Bartender's
/// Spanish ends 1.4 s before John Hacker speaks. In the hall it dies away over a second, and
/// the model heard his first words in that echo, 0.85 s early; dry, it stretched them over the
/// silence, 0.57 s early. His first sound rises abruptly out of both, so he is heard again from
/// that onset (docs/accuracy.md, session 37).
#[test]
fn a_turn_heard_in_the_echo_or_the_silence_before_it_starts_at_its_own_onset() {
    let dir = root().join("tests/fixtures/real/drascula-en-ch1-bar");
    for audio in ["hall.flac", "audio.flac"] {
        let (aligned, truth) = align_fixture(&dir, audio);
        assert_eq!(aligned.turns.len(), truth.len());
        for (a, t) in aligned.turns.iter().zip(&truth) {
            assert_eq!(a.line, t.line);
            assert!(
                (a.start - t.start).abs() <= 0.25 && (a.end - t.end).abs() <= 0.25,
                "{audio}, line {}: {:.2}-{:.2} s, truth {:.2}-{:.2} s",
                a.line,
                a.start,
                a.end,
                t.start,
                t.end
            );
        }
    }
}

/// A hall's late echo is measured on the recording's own decays (RT60 0.9 s for the hall of
/// `scripts/make_reverb.py`) and taken out of what the acoustic model hears; the user is told.
/// The dry take and the meeting room (RT60 0.5 s: decays as fast as dry speech's) are heard as
/// they are (docs/accuracy.md, session 38).
#[test]
fn a_reverberant_recording_is_heard_with_its_late_echo_taken_out() {
    let bar = root().join("tests/fixtures/real/drascula-en-ch1-bar");
    let opening = root().join("tests/fixtures/real/drascula-es-ch1-opening");
    for (dir, audio, reverberant) in [
        (&bar, "hall.flac", true),
        (&bar, "audio.flac", false),
        (&opening, "room.flac", false),
    ] {
        let r = talign(&[
            "align",
            &path_str(&dir.join(audio)),
            &path_str(&dir.join("transcript.txt")),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let note = "the recording is reverberant (RT60 about 0.9 s";
        assert_eq!(
            r.stderr.contains(note),
            reverberant,
            "{audio}: {}",
            r.stderr
        );
    }
}

/// `--phones`: every word lists its phones, in order, inside the word.
#[test]
fn align_phones_lists_each_words_phones_inside_it() {
    let dir = root().join("tests/fixtures/real/praatio-mary");
    let r = talign(&[
        "align",
        "-q",
        "--words",
        "--phones",
        &path_str(&dir.join("audio.wav")),
        &path_str(&dir.join("transcript.txt")),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let aligned: Alignment = serde_json::from_str(&r.stdout).unwrap();
    let words: Vec<_> = aligned
        .turns
        .iter()
        .flat_map(|t| t.words.iter().flatten())
        .collect();
    assert_eq!(words.len(), 4);
    let barrel = words.iter().find(|w| w.word.starts_with("barrel")).unwrap();
    let phones: Vec<&str> = barrel
        .phones
        .as_ref()
        .unwrap()
        .iter()
        .map(|p| p.phone.as_str())
        .collect();
    // cmudict gives `barrel` as B AE R AH L or B EH R AH L; the model picks the one it hears.
    assert!(
        phones == ["B", "AE", "R", "AH", "L"] || phones == ["B", "EH", "R", "AH", "L"],
        "{phones:?}"
    );
    for w in &words {
        let phones = w.phones.as_ref().expect("phones with --phones");
        assert!(!phones.is_empty(), "{w:?}");
        for p in phones {
            assert!(
                w.start - 1e-9 <= p.start && p.start <= p.end && p.end <= w.end + 1e-9,
                "{w:?}"
            );
        }
    }
    let r = talign(&[
        "align",
        "-q",
        "--phones",
        &path_str(&dir.join("audio.wav")),
        &path_str(&dir.join("transcript.txt")),
    ]);
    assert_eq!(r.code, 2, "--phones needs --words: {}", r.stderr);
}

/// A TALIGN_MODEL_DIR without a model, or with a cut-short or foreign file, is bad input:
/// exit 2, a message naming the file and what to do, no output.
#[test]
fn a_broken_acoustic_model_is_bad_input() {
    let wav = clip_wav();
    let txt = clip_txt();
    let out_dir = tempfile::tempdir().unwrap();
    let out = path_str(&out_dir.path().join("out.json"));
    let empty = tempfile::tempdir().unwrap();
    let r = talign_with_env(
        &["align", "-q", &wav, &txt, "-o", &out],
        &[("TALIGN_MODEL_DIR", &path_str(empty.path()))],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("TALIGN_MODEL_DIR"), "{}", r.stderr);
    assert!(r.stderr.contains("mdef"), "{}", r.stderr);
    // A copy of the model with `means` cut short, then with `mdef` replaced by text.
    let model = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(root().join("models/en-us")).unwrap() {
        let f = f.unwrap().path();
        if f.is_file() {
            std::fs::copy(&f, model.path().join(f.file_name().unwrap())).unwrap();
        }
    }
    let means = model.path().join("means");
    let bytes = std::fs::read(&means).unwrap();
    std::fs::write(&means, &bytes[..bytes.len() / 2]).unwrap();
    let env = [("TALIGN_MODEL_DIR", path_str(model.path()))];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = talign_with_env(&["align", "-q", &wav, &txt, "-o", &out], &env);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("means"), "{}", r.stderr);
    std::fs::write(&means, &bytes).unwrap();
    std::fs::write(model.path().join("mdef"), "0.3\n42 n_base\n").unwrap();
    let r = talign_with_env(&["align", "-q", &wav, &txt, "-o", &out], &env);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("mdef"), "{}", r.stderr);
    assert!(listing(out_dir.path()).is_empty(), "no output on error");
}

/// Far more text than speech is refused at once (exit 1, nothing written, the message gives
/// both figures); with `--force` the turn the words cannot be forced into keeps the lattice's
/// place and the command succeeds.
#[test]
fn far_more_text_than_speech_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let transcript = path_str(&dir.path().join("long.txt"));
    let long = "and then we talked about the weather ".repeat(40);
    std::fs::write(
        &transcript,
        format!("Speaker\n\nmary rolled the barrel {long}\n"),
    )
    .unwrap();
    let wav = path_str(&root().join("tests/fixtures/real/praatio-mary/audio.wav"));
    let out = path_str(&dir.path().join("out.json"));
    let r = talign(&["align", "-q", "--words", &wav, &transcript, "-o", &out]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for part in [
        "cannot be spoken",
        "284 transcribed words",
        "words per second",
        "--force",
    ] {
        assert!(r.stderr.contains(part), "{}", r.stderr);
    }
    assert!(!Path::new(&out).exists(), "nothing written on refusal");
    let r = talign(&["align", "-q", "--force", "--words", &wav, &transcript]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let aligned: Alignment = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(aligned.turns.len(), 1);
    assert!(aligned.turns[0].end <= 1.9, "{:?}", aligned.turns[0]);
}

/// `--words`: every transcribed turn lists its words in order, inside the turn, the first
/// at the turn's start; untranscribed turns have none.
#[test]
fn align_words_times_every_word_inside_its_turn() {
    let r = align_clip(&["--format", "json", "--words"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let aligned: Alignment = serde_json::from_str(&r.stdout).unwrap();
    let transcript = talign::transcript::read(Path::new(&clip_txt()), None).unwrap();
    for (a, t) in aligned.turns.iter().zip(&transcript.turns) {
        if !t.transcribed {
            assert!(a.words.is_none(), "untranscribed turn at line {}", a.line);
            continue;
        }
        // A turn whose words the model did not hear gets no word times (none are guessed).
        let Some(words) = a.words.as_ref() else {
            assert!(a.fit.is_none(), "line {}", a.line);
            continue;
        };
        let expected: Vec<&str> = t.words().collect();
        let got: Vec<&str> = words.iter().map(|w| w.word.as_str()).collect();
        assert_eq!(got, expected);
        // The turn's start may reach back over a soft onset before its first word.
        assert!(
            words[0].start >= a.start && words[0].start - a.start < 0.3,
            "line {}",
            a.line
        );
        for pair in words.windows(2) {
            assert!(pair[0].start <= pair[1].start && pair[0].end <= pair[1].end + 1e-9);
        }
        for w in words {
            assert!(
                a.start <= w.start && w.start <= w.end && w.end <= a.end,
                "{w:?}"
            );
            // Each pronounced word has its own fit and confidence (schema 3), and the fit at
            // its start (schema 4); a word is no surer than its turn.
            if w.end > w.start {
                let c = w
                    .confidence
                    .unwrap_or_else(|| panic!("no confidence: {w:?}"));
                assert!((0.0..=1.0).contains(&c) && w.fit.is_some(), "{w:?}");
                assert!(w.onset_fit.is_some_and(f64::is_finite), "{w:?}");
                assert!(c <= a.confidence, "{w:?} in a turn of {}", a.confidence);
            }
            assert!(w.pause_fit.is_none_or(f64::is_finite), "{w:?}");
        }
    }
    // Some word follows a pause the model heard, and says how that pause fit.
    assert!(
        aligned
            .turns
            .iter()
            .flat_map(|t| t.words.iter().flatten())
            .any(|w| w.pause_fit.is_some()),
        "no word after a pause"
    );
    // The word-timed SRT cuts cues at word times, so no cue starts before its turn.
    let srt = align_clip(&["--format", "srt", "--words"]);
    assert_eq!(srt.code, 0, "{}", srt.stderr);
    check_cues(&srt.stdout, 1);
}

/// SRT cues start where a word starts even without `--words`: subtitles are always cut at
/// word times when the reference voice is there (and with `--no-reference` they are not).
#[test]
fn subtitle_cues_start_on_word_starts() {
    let json = align_clip(&["--format", "json", "--words"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let aligned: Alignment = serde_json::from_str(&json.stdout).unwrap();
    let starts: Vec<f64> = aligned
        .turns
        .iter()
        .flat_map(|t| std::iter::once(t.start).chain(t.words.iter().flatten().map(|w| w.start)))
        .collect();
    let on_a_word = |srt: &str| {
        srt.lines()
            .filter_map(|l| l.split_once(" --> "))
            .all(|(a, _)| starts.iter().any(|s| (s - cue_time(a)).abs() < 0.0015))
    };
    let srt = align_clip(&["--format", "srt"]);
    assert_eq!(srt.code, 0, "{}", srt.stderr);
    assert!(on_a_word(&srt.stdout), "{}", srt.stdout);
    let plain = align_clip(&["--format", "srt", "--no-reference"]);
    assert!(
        !on_a_word(&plain.stdout),
        "without words cues fall between words"
    );
}

/// Each true word of a real-speech fixture with word truth and its aligned start, from
/// `talign align --words` on the fixture's audio and `transcript` (the fixture's own when
/// `None`); paired in order, so a transcript may misspell the words.
fn true_and_aligned_word_starts(
    fixture: &str,
    transcript: Option<&Path>,
) -> Vec<(String, f64, f64)> {
    aligned_with_word_starts(fixture, transcript).1
}

/// [`true_and_aligned_word_starts`] with the alignment it read them from.
fn aligned_with_word_starts(
    fixture: &str,
    transcript: Option<&Path>,
) -> (Alignment, Vec<(String, f64, f64)>) {
    let dir = root().join("tests/fixtures/real").join(fixture);
    #[derive(Deserialize)]
    struct TrueWord {
        word: String,
        start: f64,
    }
    #[derive(Deserialize)]
    struct WordTruth {
        words: Vec<TrueWord>,
    }
    let truth: WordTruth =
        serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    let own = dir.join("transcript.txt");
    let r = talign(&[
        "align",
        "-q",
        "--words",
        &path_str(&dir.join("audio.wav")),
        &path_str(transcript.unwrap_or(&own)),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let aligned: Alignment = serde_json::from_str(&r.stdout).unwrap();
    let words: Vec<_> = aligned
        .turns
        .iter()
        .flat_map(|t| t.words.iter().flatten())
        .collect();
    assert_eq!(words.len(), truth.words.len(), "every true word is aligned");
    let starts = truth
        .words
        .iter()
        .zip(words)
        .map(|(t, w)| (format!("{} ({})", t.word, w.word), t.start, w.start))
        .collect();
    (aligned, starts)
}

/// Asserts that each of the fixture's `count` true words starts within `limit_s` of where
/// `talign align --words` puts it, reading `transcript` (the fixture's own when `None`).
fn assert_word_starts_within(fixture: &str, transcript: Option<&Path>, limit_s: f64, count: usize) {
    let starts = true_and_aligned_word_starts(fixture, transcript);
    for (word, truth, aligned) in &starts {
        assert!(
            (aligned - truth).abs() <= limit_s,
            "{fixture} {word}: {aligned} vs {truth}"
        );
    }
    assert_eq!(starts.len(), count);
}

/// Word timing floor on real speech with a human word alignment (praatio's `bobby.wav`,
/// TextGrid tier `word`): every word start within 0.15 s. Measured: 0.035, 0.012, 0.082,
/// 0.079 s (scripts/eval_words.py).
#[test]
fn word_starts_on_real_speech_are_within_015_s_of_a_human_alignment() {
    assert_word_starts_within("praatio-bobby", None, 0.15, 4);
}

/// The same floor, tighter, on praatio's `damon_set_test.wav` ("damon fried the omelet", tier
/// `words`): every word start within 0.08 s. Measured (session 30): −0.041, −0.012, +0.015,
/// −0.035 s.
#[test]
fn word_starts_on_a_second_real_clip_are_within_008_s_of_its_word_tier() {
    assert_word_starts_within("praatio-damon", None, 0.08, 4);
}

/// A transcript typed with slips (`BOBY RIPED TEH LEDGR` for bobby's "Bobby ripped the
/// ledger") is heard as the words meant: every word start within 0.08 s of the word tier.
/// Measured (session 31): −0.065, −0.022, −0.018, −0.031 s; read only as written, `BOBY`
/// started 0.105 s late.
#[test]
fn a_misspelt_transcript_is_heard_as_the_words_it_means() {
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("typed.txt");
    std::fs::write(&transcript, "Speaker\n\nBOBY RIPED TEH LEDGR\n").unwrap();
    assert_word_starts_within("praatio-bobby", Some(&transcript), 0.08, 4);
}

/// MFA's `cold_corpus` (one speaker with a cold, 64 words with a forced aligner's word tier,
/// 1.24 s of lead-in sound before the first word): the turn starts at its first word, not
/// at the lead-in the speech detector joined to it, and at least 45 of the 64 word starts
/// lie within 50 ms of the tier. Measured (session 36): the start +0.06 s (−1.03 s when a
/// heard start went back to its chunk's start however far it lay), 47 words.
#[test]
fn a_turn_starts_at_its_first_word_not_at_the_sound_long_before_it() {
    let (aligned, word_starts) = aligned_with_word_starts("mfa-cold-corpus", None);
    let truth = true_turns(&root().join("tests/fixtures/real/mfa-cold-corpus"));
    assert_eq!((aligned.turns.len(), truth.len()), (1, 1));
    let start = aligned.turns[0].start;
    assert!(
        (start - truth[0].start).abs() <= 0.25,
        "the turn starts at {start} s, its first word at {} s",
        truth[0].start
    );
    let within_50_ms = word_starts
        .iter()
        // Both on a 10 ms grid: 50 ms apart may come out a hair over 0.05 in floating point.
        .filter(|(_, truth, aligned)| (aligned - truth).abs() <= 0.0505)
        .count();
    assert!(
        within_50_ms >= 45,
        "{within_50_ms} of 64 words within 50 ms"
    );
}

#[test]
fn without_espeak_ng_align_warns_and_words_fail_with_exit_3() {
    let missing = [("TALIGN_ESPEAK_LIB", "/nonexistent/libespeak-ng.so.1")];
    let wav = clip_wav();
    let txt = clip_txt();
    // The espeak-ng reference voice: a warning, then the lattice alone.
    let r = talign_with_env(
        &["align", "-q", "--reference", "voice", &wav, &txt],
        &missing,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("espeak-ng library not found"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("apt-get install espeak-ng"),
        "{}",
        r.stderr
    );
    let aligned: Alignment = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(aligned.turns.len(), 9);
    let quiet = talign_with_env(&["align", "-q", "--no-reference", &wav, &txt], &missing);
    assert_eq!((quiet.code, quiet.stderr.as_str()), (0, ""));

    let dir = tempfile::tempdir().unwrap();
    let out = path_str(&dir.path().join("words.json"));
    let r = talign_with_env(
        &[
            "align",
            "-q",
            "--reference",
            "voice",
            "--words",
            &wav,
            &txt,
            "-o",
            &out,
        ],
        &missing,
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("--words needs espeak-ng"), "{}", r.stderr);
    assert!(listing(dir.path()).is_empty(), "no output on error");

    // The acoustic model (the default) needs espeak-ng only for words its dictionary lacks:
    // words are timed anyway, and the guessed words are listed once.
    let mary = path_str(&root().join("tests/fixtures/real/praatio-mary/audio.wav"));
    let oov = dir.path().join("oov.txt");
    std::fs::write(&oov, "Speaker\n\nmary rolled the Aleppo barrel\n").unwrap();
    let r = talign_with_env(
        &["align", "--words", &mary, &path_str(&oov), "-o", &out],
        &missing,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let aligned: Alignment = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(aligned.turns[0].words.as_ref().map(Vec::len), Some(5));
    assert!(r.stderr.contains("`Aleppo`"), "{}", r.stderr);
    assert!(r.stderr.contains("guessed from"), "{}", r.stderr);
}

#[test]
fn an_unknown_voice_or_words_without_the_reference_is_bad_input() {
    let r = align_clip(&["--voice", "no-such-voice"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--voice no-such-voice"), "{}", r.stderr);
    assert!(r.stderr.contains("espeak-ng --voices"), "{}", r.stderr);
    let r = align_clip(&["--words", "--no-reference"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn align_prints_a_summary_unless_quiet() {
    let wav = clip_wav();
    let txt = clip_txt();
    let r = talign(&["align", "--format", "csv", &wav, &txt]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.starts_with("aligned 9 turns in 48.2 s of audio;"),
        "{}",
        r.stderr
    );
    assert!(align_clip(&[]).stderr.is_empty());
}

// ---------------------------------------------------------------------------------------
// check

/// The clip's alignment with the true turn times and full confidence: a fixed, reliable
/// input for the parts of `check` that do not depend on how well the aligner does.
fn truth_alignment(dir: &Path, transcript: &str) -> String {
    let r = align_clip(&["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(sample("clip-kerry-45s.truth.json")).unwrap(),
    )
    .unwrap();
    let turns = doc["turns"].as_array_mut().unwrap();
    for (turn, t) in turns.iter_mut().zip(truth["turns"].as_array().unwrap()) {
        turn["start"] = t["start"].clone();
        turn["end"] = t["end"].clone();
        turn["confidence"] = serde_json::json!(0.95);
    }
    doc["transcript"]["path"] = serde_json::json!(transcript);
    let path = dir.join("truth-aligned.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    path_str(&path)
}

/// `text` with every `[..]` stamp made of digits, `:` and `.` replaced by `[]`.
fn without_stamps(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']') {
            Some(close)
                if close > 0
                    && after[..close]
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == ':' || c == '.') =>
            {
                out.push_str("[]");
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn check_on_the_clip_reports_every_stamp_and_its_clock() {
    let wav = clip_wav();
    let txt = clip_txt();
    let text = talign(&["check", "-q", &wav, &txt]);
    assert!(text.stderr.is_empty(), "{}", text.stderr);
    let r = talign(&["check", "-q", "--format", "json", &wav, &txt]);
    let report: DriftReport = serde_json::from_str(&r.stdout).expect("check JSON schema");
    // The exit code follows the verdict, in text and JSON alike.
    let code = match report.verdict {
        Verdict::Pass => 0,
        _ => 1,
    };
    assert_eq!((text.code, r.code), (code, code), "{}", text.stdout);
    assert_eq!(report.stamps.len(), 9);
    assert!(report.unreliable.is_none(), "{}", report.summary);
    // The truth's clock: stamps 0.17 s early, rate 1.003 (too little to call drift).
    let fit = report.fit.as_ref().expect("a fit");
    assert!(fit.offset_s.abs() < 1.0, "{fit:?}");
    // Line 53's [00:30] is out of order, 12 s before its turn: never "consistent".
    let last = &report.stamps[8];
    assert_eq!(last.line, 53);
    assert_ne!(
        last.status,
        talign::drift::DriftStatus::Consistent,
        "{last:?}"
    );
    // The other eight are right (within 1 s of the truth): none may fail.
    assert!(
        report.stamps[..8].iter().all(|s| !s.fails),
        "{}",
        text.stdout
    );
}

/// Known problem, left for the aligner: it places the clip's last turn right (42.22 s,
/// truth 42.26 s) but with confidence 0.39, under `min_confidence` 0.5, so line 53's
/// out-of-order `[00:30]`, 12 s early, is "unverifiable" and `check` exits 0. Expected once
/// the confidence is better calibrated: line 53 fails and `check` exits 1.
#[test]
#[ignore = "aligner confidence in the clip's last turn is 0.39: its wrong stamp is unverifiable"]
fn check_on_the_clip_flags_the_out_of_order_stamp() {
    let r = talign(&["check", "-q", "--format", "json", &clip_wav(), &clip_txt()]);
    let report: DriftReport = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(r.code, 1, "{}", report.summary);
    assert_eq!(report.verdict, Verdict::Fail);
    assert!(report.stamps[8].fails, "{:?}", report.stamps[8]);
}

#[test]
fn check_from_a_saved_alignment_matches_a_fresh_run() {
    let dir = tempfile::tempdir().unwrap();
    let saved = path_str(&dir.path().join("aligned.json"));
    assert_eq!(align_clip(&["-o", &saved]).code, 0);
    let wav = clip_wav();
    let txt = clip_txt();
    for format in ["text", "json"] {
        let fresh = talign(&["check", "-q", "--format", format, &wav, &txt]);
        // The transcript is named in the JSON, or given.
        let from = talign(&["check", "--format", format, "--from", &saved]);
        let from_given = talign(&["check", "--format", format, "--from", &saved, &txt]);
        assert_eq!(from.code, fresh.code);
        assert_eq!(from.stdout, fresh.stdout, "{format}");
        assert_eq!(from_given.stdout, fresh.stdout, "{format}");
    }
    // A --from file that is not an alignment is bad input.
    let r = talign(&["check", "--from", &clip_txt()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not a talign alignment"), "{}", r.stderr);
}

#[test]
fn check_fix_changes_only_stamps() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(clip_txt()).unwrap();
    let transcript = dir.path().join("clip.txt");
    std::fs::write(&transcript, &original).unwrap();
    let transcript = path_str(&transcript);
    let saved = truth_alignment(dir.path(), &transcript);
    let fixed = path_str(&dir.path().join("fixed.txt"));

    let r = talign(&["check", "--from", &saved, "--fix", "-o", &fixed]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("out of order"), "{}", r.stdout);
    assert!(r.stderr.contains("1 stamp(s) corrected in"), "{}", r.stderr);
    let new = std::fs::read_to_string(&fixed).unwrap();
    assert_ne!(new, original);
    assert_eq!(without_stamps(&new), without_stamps(&original));
    assert_eq!(new.lines().nth(52), Some("[00:42]"), "line 53 fixed");
    assert_eq!(std::fs::read_to_string(&transcript).unwrap(), original);

    // The fixed transcript checks clean against the same alignment.
    let r = talign(&["check", "--from", &saved, &fixed]);
    assert_eq!(r.code, 0, "{}", r.stdout);

    // -o onto the transcript itself is refused; --fix needs somewhere to write.
    let r = talign(&["check", "--from", &saved, "--fix", "-o", &transcript]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&transcript).unwrap(), original);
    let r = talign(&["check", "--from", &saved, "--fix"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--in-place"), "{}", r.stderr);
}

#[test]
fn check_in_place_keeps_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(clip_txt()).unwrap();
    let transcript = dir.path().join("clip.txt");
    std::fs::write(&transcript, &original).unwrap();
    let saved = truth_alignment(dir.path(), &path_str(&transcript));
    let r = talign(&["check", "--from", &saved, "--fix", "--in-place"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("clip.txt.bak")).unwrap(),
        original
    );
    let new = std::fs::read_to_string(&transcript).unwrap();
    assert_eq!(
        without_stamps(&new),
        without_stamps(std::str::from_utf8(&original).unwrap())
    );
    assert!(new.contains("\n[00:42]\n"));
    assert_eq!(
        listing(dir.path()),
        ["clip.txt", "clip.txt.bak", "truth-aligned.json"]
    );
}

#[test]
fn check_plot_writes_an_svg() {
    let dir = tempfile::tempdir().unwrap();
    let saved = truth_alignment(dir.path(), &clip_txt());
    let svg = dir.path().join("drift.svg");
    let r = talign(&["check", "--from", &saved, "--plot", &path_str(&svg)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(text.trim_end().ends_with("</svg>"));
    // And from a fresh alignment of the audio too: the plot changes nothing else.
    let svg2 = dir.path().join("fresh.svg");
    let without = talign(&["check", "-q", &clip_wav(), &clip_txt()]);
    let r = talign(&[
        "check",
        "-q",
        "--plot",
        &path_str(&svg2),
        &clip_wav(),
        &clip_txt(),
    ]);
    assert_eq!(
        (r.code, &r.stdout),
        (without.code, &without.stdout),
        "{}",
        r.stderr
    );
    assert!(std::fs::read_to_string(&svg2).unwrap().starts_with("<svg"));
}

#[test]
fn check_without_stamps_says_so_and_fill_adds_them() {
    let dir = tempfile::tempdir().unwrap();
    // The clip's turns as `Speaker: text` lines without stamps.
    let aligned: Alignment = serde_json::from_str(&align_clip(&[]).stdout).unwrap();
    let text: String = aligned
        .turns
        .iter()
        .map(|t| format!("{}: {}\n", t.speaker_raw.as_deref().unwrap(), t.text))
        .collect();
    let transcript = dir.path().join("plain.txt");
    std::fs::write(&transcript, &text).unwrap();
    let transcript = path_str(&transcript);

    let r = talign(&["check", "-q", &clip_wav(), &transcript]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "no stamps to check\n");

    let saved = truth_alignment(dir.path(), &transcript);
    let filled = path_str(&dir.path().join("filled.txt"));
    let r = talign(&["check", "--from", &saved, "--fix", "--fill", "-o", &filled]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "no stamps to check\n");
    assert!(
        r.stderr.contains("0 stamp(s) corrected, 9 added"),
        "{}",
        r.stderr
    );
    let new = std::fs::read_to_string(&filled).unwrap();
    let lines: Vec<&str> = new.lines().collect();
    assert_eq!(lines.len(), 9);
    // Stamps at the true starts, rounded down to the second: 0.8 s → [00:00], 42.262 → [00:42].
    assert!(lines[0].starts_with("[00:00] Kerry: "), "{}", lines[0]);
    assert!(
        lines[8].starts_with("[00:42] Female voice: "),
        "{}",
        lines[8]
    );
    let stripped: String = new
        .lines()
        .map(|l| format!("{}\n", &l["[00:00] ".len()..]))
        .collect();
    assert_eq!(stripped, text);
    // Once filled, the stamps check clean.
    assert_eq!(talign(&["check", "--from", &saved, &filled]).code, 0);
}

#[test]
fn check_says_plainly_when_the_recording_is_another_one() {
    let txt = clip_txt();
    for recording in [
        path_str(&root().join("tests/fixtures/real/arctic-awb-a0007/audio.wav")),
        audio("signal-s16.wav"),
    ] {
        let r = talign(&["check", "-q", &recording, &txt]);
        assert_eq!(r.code, 1, "{recording}: {}", r.stdout);
        let first = r.stdout.lines().next().unwrap();
        assert!(
            first.starts_with("the recording does not match this transcript"),
            "{recording}: {}",
            r.stdout
        );
        for claim in ["stamps run", "stamps are", "keep time", "cut short"] {
            assert!(!r.stdout.contains(claim), "{recording}: {}", r.stdout);
        }
        let r = talign(&["check", "-q", "--format", "json", &recording, &txt]);
        let report: DriftReport = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(report.verdict, Verdict::Unchecked);
        assert!(report.fit.is_none());
    }
}

// ---------------------------------------------------------------------------------------
// --help

#[test]
fn help_mentions_every_flag_and_the_exit_codes() {
    let exit_codes = ["Exit codes", "0 ", "2 bad input", "3 "];
    let cases: [(&[&str], &[&str]); 5] = [
        (
            &["--help"],
            &["align", "check", "vad", "info", "lint", "--version"],
        ),
        (
            &["align", "--help"],
            &[
                "<AUDIO>",
                "<TRANSCRIPT>",
                "--format",
                "--output",
                "-o,",
                "--transcript-format",
                "--quiet",
                "--words",
                "--voice",
                "--no-reference",
                "espeak-ng",
                "json",
                "srt",
                "vtt",
                "textgrid",
                "audacity",
                "csv",
                "tsv",
            ],
        ),
        (
            &["check", "--help"],
            &[
                "--from",
                "--tolerance",
                "--format",
                "--rows",
                "--fix",
                "--fill",
                "--in-place",
                "--output",
                "--plot",
                "--transcript-format",
                "--quiet",
                "--voice",
                "--no-reference",
                "1 some stamp",
            ],
        ),
        (
            &["vad", "--help"],
            &[
                "<AUDIO>", "--format", "json", "csv", "audacity", "--output", "--quiet",
            ],
        ),
        (&["info", "--help"], &["<AUDIO>", "--json"]),
    ];
    for (args, flags) in cases {
        let r = talign(args);
        assert_eq!(r.code, 0, "{args:?}");
        for needle in flags.iter().chain(&exit_codes) {
            assert!(
                r.stdout.contains(needle),
                "{args:?} lacks {needle}:\n{}",
                r.stdout
            );
        }
    }
    let r = talign(&["lint", "--help"]);
    assert!(r.stdout.contains("Exit codes"));
}

/// `--also` writes one alignment in several formats; EAF and SMIL point at the recording
/// relative to where they are written, and a SMIL's XHTML lands beside it.
#[test]
fn align_writes_every_format_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let json = path_str(&dir.path().join("a.json"));
    let eaf = path_str(&sub.join("a.eaf"));
    let smil = path_str(&dir.path().join("a.smil"));
    let r = align_clip(&[
        "--no-reference",
        "-o",
        &json,
        "--also",
        &eaf,
        "--also",
        &smil,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(listing(dir.path()), ["a.json", "a.smil", "a.xhtml", "sub"]);
    let wav = std::fs::canonicalize(clip_wav()).unwrap();
    let attribute = |text: &str, name: &str| {
        let at = text.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        text[at..at + text[at..].find('"').unwrap()].to_owned()
    };
    let eaf_text = std::fs::read_to_string(&eaf).unwrap();
    let relative = attribute(&eaf_text, "RELATIVE_MEDIA_URL");
    assert_eq!(
        std::fs::canonicalize(sub.join(&relative)).unwrap(),
        wav,
        "{relative}"
    );
    assert!(attribute(&eaf_text, "MEDIA_URL").starts_with("file:///"));
    let smil_text = std::fs::read_to_string(&smil).unwrap();
    let src = attribute(&smil_text, "audio src").replace("%20", " ");
    assert_eq!(
        std::fs::canonicalize(dir.path().join(&src)).unwrap(),
        wav,
        "{src}"
    );
    assert!(
        smil_text.contains("<text src=\"a.xhtml#turn-1\"/>"),
        "{smil_text}"
    );
    let xhtml = std::fs::read_to_string(dir.path().join("a.xhtml")).unwrap();
    assert!(xhtml.contains("<p id=\"turn-1\">"), "{xhtml}");
    // The JSON is the same alignment the others were made from.
    let alignment: talign::report::Alignment =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(
        smil_text.matches("<par ").count(),
        alignment
            .turns
            .iter()
            .filter(|t| t.transcribed && t.end > t.start)
            .count()
    );
}

/// What `--also`, `--text-ids` and SMIL refuse (exit 2), writing nothing, not even the
/// other outputs asked for.
#[test]
fn align_refuses_unknown_extra_outputs_and_mismatched_books() {
    let dir = tempfile::tempdir().unwrap();
    let out = path_str(&dir.path().join("a.json"));
    let docx = path_str(&dir.path().join("a.docx"));
    let r = align_clip(&["--no-reference", "-o", &out, "--also", &docx]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("a.docx") && r.stderr.contains(".eaf"),
        "{}",
        r.stderr
    );

    let r = align_clip(&["--no-reference", "--text-ids", &docx]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--format smil"), "{}", r.stderr);

    let r = align_clip(&["--no-reference", "--format", "smil"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--text-ids"), "{}", r.stderr);

    let book = dir.path().join("book.xhtml");
    std::fs::write(
        &book,
        "<html><body><p id=\"a\">x</p><p id=\"b\">y</p></body></html>",
    )
    .unwrap();
    let smil = path_str(&dir.path().join("a.smil"));
    let r = align_clip(&[
        "--no-reference",
        "-o",
        &out,
        "--also",
        &smil,
        "--text-ids",
        &path_str(&book),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("2 text elements") && r.stderr.contains("transcribed turns"),
        "{}",
        r.stderr
    );
    std::fs::write(&book, "<html><body>\n<p id=\"a\">x</div></body></html>").unwrap();
    let r = align_clip(&[
        "--no-reference",
        "-o",
        &smil,
        "--text-ids",
        &path_str(&book),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("book.xhtml:2:"), "{}", r.stderr);
    assert_eq!(listing(dir.path()), ["book.xhtml"]);
}
