//! Every export format of one small, hand-made alignment, compared byte for byte with the
//! files in `tests/golden/`. After an intended change, regenerate them with
//! `UPDATE_GOLDEN=1 cargo test --test integration export_golden::` and read the diff before committing.

use std::path::{Path, PathBuf};
use std::{env, fs};

use talign::export::{
    ExportFormat, ExportOptions, companion, render, text_ids, try_render, write_file,
};
use talign::report::{
    Alignment, AudioInfo, PhoneTiming, StatedTime, TranscriptInfo, TurnTiming, WordTiming,
};
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
            corrected: false,
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
        confidence: None,
        fit: None,
        onset_fit: None,
        pause_fit: None,
        phones: None,
    });
    // The first two words with their phones, as `--phones` gives them.
    let mut words = words;
    let phone = |phone: &str, start, end| PhoneTiming {
        phone: phone.into(),
        start,
        end,
    };
    words[0].phones = Some(vec![phone("S", 46.0, 46.12), phone("OW", 46.12, 46.28)]);
    words[1].phones = Some(vec![
        phone("W", 46.35, 46.41),
        phone("AH", 46.41, 46.47),
        phone("T", 46.47, 46.52),
    ]);
    // Their own confidence and fit, as the acoustic model gives them (schema 3), and the
    // fits at their start (schema 4): the first opens the turn, the second follows a pause.
    (words[0].confidence, words[0].fit) = (Some(0.912), Some(-1.25));
    (words[1].confidence, words[1].fit) = (Some(0.31), Some(-6.5));
    words[0].onset_fit = Some(0.5);
    (words[1].onset_fit, words[1].pause_fit) = (Some(-3.75), Some(-2.125));

    Alignment {
        schema: talign::report::SCHEMA,
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
        made: None,
    }
}

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compares the default rendering of `format` with its golden file.
fn check_golden(format: ExportFormat) {
    let actual = render(&sample(), format, &ExportOptions::default());
    check_text(&format!("sample.{}", format.extension()), &actual);
}

/// Compares `actual` with the golden file `name`, or rewrites it under `UPDATE_GOLDEN=1`.
fn check_text(name: &str, actual: &str) {
    let path = golden_path(name);
    if env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&path, actual).unwrap();
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
fn eaf_matches_golden() {
    check_golden(ExportFormat::Eaf);
}

#[test]
fn ttml_matches_golden() {
    check_golden(ExportFormat::Ttml);
}

#[test]
fn ass_matches_golden() {
    check_golden(ExportFormat::Ass);
}

#[test]
fn sbv_matches_golden() {
    check_golden(ExportFormat::Sbv);
}

#[test]
fn smil_and_its_xhtml_match_golden() {
    check_golden(ExportFormat::Smil);
    let options = ExportOptions::default();
    let xhtml = companion(&sample(), ExportFormat::Smil, &options).expect("an XHTML beside");
    check_text("sample.xhtml", &xhtml);
    // The XHTML holds exactly the ids the SMIL points at, in order.
    let smil = render(&sample(), ExportFormat::Smil, &options);
    let ids = text_ids(&xhtml).unwrap();
    let pointed: Vec<&str> = smil
        .split("<text src=\"text.xhtml#")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(ids.len(), 6, "{xhtml}");
    assert_eq!(pointed, ids);
    assert!(companion(&sample(), ExportFormat::Eaf, &options).is_none());
}

#[test]
fn vtt_with_word_timestamps_matches_golden() {
    let options = ExportOptions {
        word_timestamps: true,
        ..ExportOptions::default()
    };
    let vtt = render(&sample(), ExportFormat::Vtt, &options);
    check_text("sample.words.vtt", &vtt);
    assert!(
        vtt.contains("So, <00:00:46.350>what <00:00:46.520>happened"),
        "{vtt}"
    );
}

#[test]
fn smil_pairs_the_books_ids_with_transcribed_turns() {
    let book = "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><section id=\"c1\">\
                <p id=\"a\">1</p><p id=\"b\">2</p><p id=\"c\">3</p><p id=\"d\">4</p>\
                <p id=\"e\">5</p><p id=\"f\">6</p></section></body></html>";
    let ids = text_ids(book).unwrap();
    let options = ExportOptions {
        text_ids: Some(ids.clone()),
        text_href: Some("chapter 1.xhtml".into()),
        media_relative: Some("../audio/kerry.mp3".into()),
        ..ExportOptions::default()
    };
    let text = try_render(&sample(), ExportFormat::Smil, &options).unwrap();
    assert!(
        text.contains("<text src=\"chapter%201.xhtml#a\"/>"),
        "{text}"
    );
    assert!(
        text.contains("<text src=\"chapter%201.xhtml#f\"/>"),
        "{text}"
    );
    assert!(
        text.contains("src=\"../audio/kerry.mp3\" clipBegin=\"00:00:00.420\""),
        "{text}"
    );
    // The untranscribed turn (line 19) has no text in a book: 6 ids for 7 turns.
    assert_eq!(text.matches("<par ").count(), 6);
    assert!(companion(&sample(), ExportFormat::Smil, &options).is_none());

    let short = ExportOptions {
        text_ids: Some(ids[..4].to_vec()),
        ..options.clone()
    };
    let err = try_render(&sample(), ExportFormat::Smil, &short)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("4 text elements") && err.contains("6 transcribed turns"),
        "{err}"
    );
    assert!(
        err.contains("line 31"),
        "names the first turn left over: {err}"
    );
    let long = ExportOptions {
        text_ids: Some([ids.clone(), vec!["z".into()]].concat()),
        ..options
    };
    let err = try_render(&sample(), ExportFormat::Smil, &long)
        .unwrap_err()
        .to_string();
    assert!(err.contains("`z`"), "{err}");
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
        confidence: None,
        fit: None,
        onset_fit: None,
        pause_fit: None,
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

/// Two speakers talking over each other, one named in Japanese, one with a comma; a turn
/// with markup characters, braces and a backslash; an empty turn; words in one turn only.
fn crowded() -> Alignment {
    let mut alignment = sample();
    let turns = &mut alignment.turns;
    turns[0].speaker = Some("話者A".into());
    turns[0].text = "Ünïcödé <b>&amp;</b> {\\an8} back\\slash \"q\" 'a'".into();
    turns[1].start = 2.0; // overlaps turn 0 (0.42–2.95), another speaker
    turns[1].end = 4.0;
    turns[2].text = String::new(); // an empty turn
    turns[5].words.as_mut().unwrap()[2].word = "hap<pened>".into();
    alignment
}

#[test]
fn every_new_format_escapes_and_keeps_overlapping_speakers() {
    let alignment = crowded();
    let options = ExportOptions::default();
    let of = |format| render(&alignment, format, &options);

    // XML formats: well-formed (tags balance, attributes quoted), text escaped.
    for format in [ExportFormat::Eaf, ExportFormat::Ttml, ExportFormat::Smil] {
        let text = of(format);
        match text_ids(&text) {
            Ok(_) => {}
            Err((_, message)) => assert!(
                message.contains("no element has an id"),
                "{format}: {message}"
            ),
        }
        assert!(!text.contains("<b>"), "{format}: {text}");
    }
    let xhtml = companion(&alignment, ExportFormat::Smil, &options).unwrap();
    assert!(text_ids(&xhtml).is_ok());
    assert!(
        xhtml.contains(
            "Ünïcödé &lt;b&gt;&amp;amp;&lt;/b&gt; {\\an8} back\\slash &quot;q&quot; &apos;a&apos;"
        ),
        "{xhtml}"
    );

    let eaf = of(ExportFormat::Eaf);
    assert!(eaf.contains("TIER_ID=\"話者A\""), "{eaf}");
    assert!(eaf.contains("<ANNOTATION_VALUE>hap&lt;pened&gt;</ANNOTATION_VALUE>"));
    // Overlapping turns of two speakers stay whole, each on its own tier: 0.42–2.95 and 2–4.
    for ms in ["420", "2950", "2000", "4000"] {
        assert!(eaf.contains(&format!("TIME_VALUE=\"{ms}\"")), "{ms}: {eaf}");
    }
    // The empty turn is an empty annotation; words and phones only under Kerry.
    assert!(eaf.contains("<ANNOTATION_VALUE></ANNOTATION_VALUE>"));
    assert_eq!(eaf.matches("LINGUISTIC_TYPE_REF=\"word\"").count(), 1);
    assert_eq!(eaf.matches("LINGUISTIC_TYPE_REF=\"phone\"").count(), 1);
    assert!(eaf.contains("TIER_ID=\"Kerry - phones\""));

    let ttml = of(ExportFormat::Ttml);
    assert!(
        ttml.contains("<ttm:name type=\"full\">話者A</ttm:name>"),
        "{ttml}"
    );
    assert!(
        ttml.contains("begin=\"00:00:00.420\" end=\"00:00:02.000\" ttm:agent=\"speaker1\""),
        "{ttml}"
    );
    assert!(
        ttml.contains("Ünïcödé &lt;b&gt;&amp;amp;&lt;/b&gt;"),
        "{ttml}"
    );

    let ass = of(ExportFormat::Ass);
    assert!(ass.contains("Style: 話者A,"), "{ass}");
    assert!(ass.contains("Style: Female voice2; translator,"), "{ass}");
    assert!(
        ass.contains("\u{ff5b}\u{ff3c}an8\u{ff5d} back\u{ff3c}slash"),
        "{ass}"
    );
    assert!(
        !ass.contains("{\\an8}"),
        "no override tag from the text: {ass}"
    );
    // Karaoke only where words are timed: Kerry's second turn.
    for line in ass.lines().filter(|l| l.contains("\\k")) {
        assert!(line.contains(",Kerry,Kerry,"), "{line}");
    }
    assert!(
        ass.contains("{\\k35}So, {\\k21}what {\\k34}happened"),
        "{ass}"
    );

    let sbv = of(ExportFormat::Sbv);
    assert!(sbv.starts_with("0:00:00.420,0:00:02.000\n話者A:"), "{sbv}");

    let grid = of(ExportFormat::TextGrid);
    assert!(grid.contains("name = \"Kerry - phones\""), "{grid}");
    assert!(grid.contains("text = \"OW\""), "{grid}");
}

#[test]
fn alignments_without_words_or_turns_still_export() {
    let mut alignment = sample();
    for turn in &mut alignment.turns {
        turn.words = None;
    }
    let options = ExportOptions {
        word_timestamps: true,
        ..ExportOptions::default()
    };
    for format in ExportFormat::ALL {
        let text = render(&alignment, format, &options);
        assert!(!text.contains("\\k"), "{format}: no karaoke without words");
        assert!(
            !text.contains("<00:"),
            "{format}: no word timestamps without words"
        );
        assert!(
            !text.contains("- words"),
            "{format}: no word tier without words"
        );
    }
    alignment.turns.clear();
    for format in ExportFormat::ALL {
        let text = render(&alignment, format, &options);
        if matches!(
            format,
            ExportFormat::Eaf | ExportFormat::Ttml | ExportFormat::Smil
        ) {
            match text_ids(&text) {
                Ok(_) => {}
                Err((_, m)) => assert!(m.contains("no element has an id"), "{format}: {m}"),
            }
        }
    }
    assert!(render(&alignment, ExportFormat::Ass, &options).contains("[Events]"));
}
