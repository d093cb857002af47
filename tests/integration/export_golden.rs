//! Every export format of one small, hand-made alignment, compared byte for byte with the
//! files in `tests/golden/`. After an intended change, regenerate them with
//! `UPDATE_GOLDEN=1 cargo test --test integration export_golden::` and read the diff before committing.

use std::path::{Path, PathBuf};
use std::{env, fs};

use talign::export::{ExportFormat, ExportOptions, render, write_file};
use talign::report::{Alignment, AudioInfo, StatedTime, TranscriptInfo, TurnTiming, WordTiming};
use talign::transcript::{StampStatus, TranscriptFormat};

/// Seven turns covering what exporters must get right: a turn too long for one cue, an
/// uncertain label (`Kerry?`), untranscribed speech, quotes, commas and markup characters
/// in a speaker name and text, word timings with pauses, a turn without a speaker, and
/// every stamp status.
fn sample() -> Alignment {
    let stated = |raw: Option<&str>, seconds: Option<f64>, status| StatedTime {
        raw: raw.map(String::from),
        seconds,
        status,
    };
    let turn =
        |index: usize, line, speaker: Option<&str>, raw: Option<&str>, text: &str| TurnTiming {
            index,
            line,
            speaker: speaker.map(String::from),
            speaker_raw: raw.map(String::from),
            text: text.into(),
            transcribed: true,
            stated: stated(None, None, StampStatus::Missing),
            start: 0.0,
            end: 0.0,
            confidence: 0.0,
            words: None,
            fit: None,
        };
    let timed = |turn: TurnTiming, stamp: StatedTime, start, end, confidence| TurnTiming {
        stated: stamp,
        start,
        end,
        confidence,
        ..turn
    };
    let words = [
        ("So,", 46.0, 46.28),
        ("what", 46.35, 46.52),
        ("happened", 46.52, 46.9),
        ("is", 46.9, 47.01),
        ("we", 47.05, 47.16),
        ("told", 47.16, 47.4),
        ("the", 47.4, 47.48),
        ("Russians", 47.48, 48.02),
        ("and", 48.9, 49.02),
        ("the", 49.02, 49.1),
        ("Iranians", 49.1, 49.71),
        ("that", 50.6, 50.75),
        ("we", 50.75, 50.84),
        ("can't", 50.84, 51.1),
        ("just", 51.1, 51.32),
        ("do", 51.32, 51.45),
        ("the", 51.45, 51.52),
        ("same", 51.52, 51.8),
        ("thing.", 51.8, 52.2),
        ("Right?", 52.95, 53.65),
    ]
    .map(|(word, start, end)| WordTiming {
        word: word.into(),
        start,
        end,
        phones: None,
    });

    Alignment {
        audio: AudioInfo {
            path: "kerry-aleppo-2016.m4a".into(),
            duration_s: 60.0,
            sample_rate: 44_100,
            channels: 2,
        },
        transcript: TranscriptInfo {
            path: "kerry-aleppo-2016.txt".into(),
            format: TranscriptFormat::Block,
        },
        turns: vec![
            timed(
                turn(
                    0,
                    3,
                    Some("Male voice"),
                    Some("Male voice"),
                    "Coming from Aleppo into BBC world.",
                ),
                stated(Some("[0:00]"), Some(0.0), StampStatus::Ok),
                0.42,
                2.95,
                0.93,
            ),
            timed(
                turn(
                    1,
                    9,
                    Some("Female voice"),
                    Some("Female voice"),
                    "I think it's ... that you were for ... Okay ... I'm a bit ... I don't know \
                     how to act, I'm a diplomat. My friend Cora Bullian has died ... I don't know \
                     how to ... go on but on ... I'd like for this to you know, one and two plus.\
                     \n\nWe wish to have everyone talk about ... their reality and all ... Those \
                     saying that there is nothing else besides a political solution, with a \
                     person who is doing Arabic ... his followers, not gonna solve the issue.",
                ),
                stated(Some("[0:07]"), Some(7.0), StampStatus::Ok),
                3.1,
                24.8,
                0.71,
            ),
            timed(
                turn(2, 15, Some("Kerry"), Some("Kerry?"), "I understand ..."),
                stated(Some("[31:99]"), None, StampStatus::Invalid),
                25.2,
                26.4,
                0.42,
            ),
            TurnTiming {
                transcribed: false,
                ..timed(
                    turn(
                        3,
                        19,
                        Some("Male voice"),
                        Some("Male voice"),
                        "Speaks Arabic/Syrian",
                    ),
                    stated(Some("[0:27]"), Some(27.0), StampStatus::Ok),
                    27.0,
                    41.5,
                    0.55,
                )
            },
            timed(
                turn(
                    4,
                    25,
                    Some("Female voice2, translator"),
                    Some("Female voice2, translator"),
                    "He said \"we can't wait, not one more day\" <crosstalk> & left.",
                ),
                stated(Some("[0:27]"), Some(27.0), StampStatus::Duplicate),
                42.0,
                45.3,
                0.88,
            ),
            TurnTiming {
                words: Some(words.to_vec()),
                ..timed(
                    turn(
                        5,
                        31,
                        Some("Kerry"),
                        Some("Kerry"),
                        "So, what happened is we told the Russians ... and the Iranians ... \
                         that we can't just do the same thing. Right?",
                    ),
                    stated(Some("[00:45]"), Some(45.0), StampStatus::OutOfOrder),
                    46.0,
                    53.65,
                    0.97,
                )
            },
            timed(
                turn(6, 37, None, None, "Murmur, murmur, everyone talking ..."),
                stated(None, None, StampStatus::Missing),
                54.2,
                57.9,
                0.3,
            ),
        ],
    }
}

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compares `actual` with the golden file `name`, or rewrites it under `UPDATE_GOLDEN=1`.
fn check_golden(format: ExportFormat) {
    let name = format!("sample.{}", format.extension());
    let path = golden_path(&name);
    let actual = render(&sample(), format, &ExportOptions::default());
    if env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `UPDATE_GOLDEN=1 cargo test --test integration export_golden::` to create it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .split_inclusive('\n')
            .zip(actual.split_inclusive('\n'))
            .position(|(e, a)| e != a)
            .map_or_else(|| "the end".to_owned(), |i| format!("line {}", i + 1));
        panic!(
            "{name} differs from the golden file at {line}.\n--- expected\n{expected}\n--- actual\n{actual}\n\
             If the change is intended, run `UPDATE_GOLDEN=1 cargo test --test integration export_golden::` \
             and review the diff."
        );
    }
}

#[test]
fn json_matches_golden() {
    check_golden(ExportFormat::Json);
}

#[test]
fn srt_matches_golden() {
    check_golden(ExportFormat::Srt);
}

#[test]
fn vtt_matches_golden() {
    check_golden(ExportFormat::Vtt);
}

#[test]
fn textgrid_matches_golden() {
    check_golden(ExportFormat::TextGrid);
}

#[test]
fn audacity_matches_golden() {
    check_golden(ExportFormat::Audacity);
}

#[test]
fn csv_matches_golden() {
    check_golden(ExportFormat::Csv);
}

#[test]
fn tsv_matches_golden() {
    check_golden(ExportFormat::Tsv);
}

#[test]
fn json_reads_back_as_the_same_alignment() {
    let text = render(&sample(), ExportFormat::Json, &ExportOptions::default());
    let back: Alignment = serde_json::from_str(&text).unwrap();
    assert_eq!(back, sample());
    // The golden file too: `deny_unknown_fields` rejects any field the schema lacks.
    let golden = fs::read_to_string(golden_path("sample.json")).unwrap();
    assert_eq!(
        serde_json::from_str::<Alignment>(&golden).unwrap(),
        sample()
    );
}

#[test]
fn subtitle_options_drop_names_and_untranscribed_turns() {
    let options = ExportOptions {
        speaker_names: false,
        include_untranscribed: false,
        ..ExportOptions::default()
    };
    let srt = render(&sample(), ExportFormat::Srt, &options);
    let vtt = render(&sample(), ExportFormat::Vtt, &options);
    for text in [&srt, &vtt] {
        assert!(!text.contains("Kerry"), "{text}");
        assert!(!text.contains("<v "), "{text}");
        assert!(!text.contains("Arabic/Syrian]"), "{text}");
        assert!(text.contains("I understand ..."), "{text}");
    }
    let defaults = render(&sample(), ExportFormat::Srt, &ExportOptions::default());
    assert!(
        defaults.contains("Male voice: [Speaks Arabic/Syrian]"),
        "{defaults}"
    );
}

#[test]
fn write_file_replaces_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.srt");
    fs::write(&path, "old").unwrap();
    let format = ExportFormat::from_extension(&path).unwrap();
    write_file(&path, &sample(), format, &ExportOptions::default()).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        render(&sample(), ExportFormat::Srt, &ExportOptions::default())
    );
    let missing = dir.path().join("no-such-dir").join("out.srt");
    let err = write_file(&missing, &sample(), format, &ExportOptions::default()).unwrap_err();
    assert!(err.to_string().contains("no-such-dir"), "{err}");
}

/// Start times of the SRT cues in `srt`, ms.
fn srt_times(srt: &str) -> Vec<(u64, u64)> {
    let ms = |t: &str| {
        let (hms, frac) = t.split_once(',').unwrap();
        let f: Vec<u64> = hms.split(':').map(|x| x.parse().unwrap()).collect();
        ((f[0] * 60 + f[1]) * 60 + f[2]) * 1000 + frac.parse::<u64>().unwrap()
    };
    srt.lines()
        .filter_map(|l| l.split_once(" --> "))
        .map(|(a, b)| (ms(a), ms(b)))
        .collect()
}

#[test]
fn odd_turns_and_options_still_give_ordered_cues() {
    let mut alignment = sample();
    let turns = &mut alignment.turns;
    turns[0].end = turns[0].start - 1.0; // ends before it starts
    turns[1].start = 20.0; // overlaps turns 2 and 3
    turns[1].end = 28.0;
    turns[2].start = -3.0; // before the recording
    turns[4].text = " \n ".into(); // nothing to show
    turns[5].words = Some(vec![WordTiming {
        word: "Iranians".into(),
        start: 900.0, // far outside the turn
        end: 1.0,
        phones: None,
    }]);
    turns[6].start = 1e7; // past the end of the audio
    turns[6].end = 1e7 + 2.0;
    let odd = [
        ExportOptions::default(),
        ExportOptions {
            max_cue_seconds: 0.0,
            min_cue_seconds: f64::NAN,
            max_line_chars: 0,
            max_lines: 0,
            ..ExportOptions::default()
        },
        ExportOptions {
            max_cue_seconds: f64::INFINITY,
            min_cue_seconds: 1e300,
            max_line_chars: usize::MAX,
            max_lines: usize::MAX,
            ..ExportOptions::default()
        },
    ];
    for options in &odd {
        for format in ExportFormat::ALL {
            let text = render(&alignment, format, options);
            assert!(!text.is_empty(), "{format}");
        }
        let srt = render(&alignment, ExportFormat::Srt, options);
        if std::env::var_os("SHOW").is_some() {
            eprintln!("{srt}");
        }
        let times = srt_times(&srt);
        assert!(!times.is_empty());
        for pair in times.windows(2) {
            assert!(pair[0].0 < pair[0].1, "{options:?}: {times:?}");
            assert!(pair[0].1 <= pair[1].0, "{options:?}: {times:?}");
        }
    }
}
