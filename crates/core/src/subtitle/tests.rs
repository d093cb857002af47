use super::*;

const SRT: &str = "1\n00:00:01,000 --> 00:00:02,500\n<i>Hello</i> there.\n\n2\n00:00:03,000 --> 00:00:04,000 X1:10 X2:20 Y1:5 Y2:9\n- Two lines\n- of text\n\n";

#[test]
fn srt_round_trips_and_only_times_change() {
    let mut subs = Subtitles::parse(SRT, None).unwrap();
    assert_eq!(subs.format, SubtitleFormat::Srt);
    assert_eq!(subs.render(), SRT);
    assert_eq!(subs.cues.len(), 2);
    assert_eq!(subs.cues[1].settings, "X1:10 X2:20 Y1:5 Y2:9");
    assert_eq!(subs.cues[1].text, "- Two lines\n- of text");
    for c in &mut subs.cues {
        c.start_ms += 1500;
        c.end_ms += 1500;
    }
    let moved = subs.render();
    assert_eq!(
        moved,
        SRT.replace(
            "00:00:01,000 --> 00:00:02,500",
            "00:00:02,500 --> 00:00:04,000"
        )
        .replace(
            "00:00:03,000 --> 00:00:04,000",
            "00:00:04,500 --> 00:00:05,500"
        )
    );
}

#[test]
fn bom_and_crlf_are_kept() {
    let text = format!("\u{feff}{}", SRT.replace('\n', "\r\n"));
    let mut subs = Subtitles::from_bytes(text.as_bytes(), Path::new("a.srt"), None).unwrap();
    assert_eq!(subs.cues[0].start_ms, 1000);
    assert_eq!(
        subs.cues[1].text,
        "- Two lines\r\n- of text".replace("\r\n", "\n")
    );
    subs.cues[0].start_ms = 1100;
    let out = subs.render_bytes();
    assert!(out.starts_with(&[0xEF, 0xBB, 0xBF]));
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("00:00:01,100 --> 00:00:02,500\r\n"), "{out:?}");
}

#[test]
fn missing_blank_line_is_accepted_with_a_warning() {
    let text = "1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n";
    let subs = Subtitles::parse(text, None).unwrap();
    assert_eq!(subs.cues.len(), 2);
    assert_eq!(subs.cues[0].text, "One");
    assert_eq!(subs.cues[1].id.as_deref(), Some("2"));
    assert!(
        subs.warnings[0].contains("without a blank line"),
        "{:?}",
        subs.warnings
    );
    assert_eq!(subs.render(), text);
}

#[test]
fn bad_input_is_refused_with_line_and_cue() {
    let cases: [(&str, usize, &str); 7] = [
        (
            "1\n00:00:01,000 --> 00:00:0x,000\nHi\n",
            2,
            "cue 1: end time",
        ),
        (
            "1\n00:00:05,000 --> 00:00:01,000\nHi\n",
            2,
            "before it starts",
        ),
        ("1\n-00:00:01,000 --> 00:00:02,000\nHi\n", 2, "negative"),
        ("1\n00:00:01,000 --> 200:00:00,000\nHi\n", 2, "100 hours"),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nHi\n\nstray words\n",
            5,
            "cue 2 should start",
        ),
        ("1\nHello\n", 1, "not followed by a timing line"),
        ("1\n00:00:01,000 -->\nHi\n", 2, "end time is missing"),
    ];
    for (text, line, what) in cases {
        let (l, message) = Subtitles::parse(text, None).unwrap_err();
        assert_eq!(l, line, "{text:?}: {message}");
        assert!(message.contains(what), "{text:?}: {message}");
    }
    assert!(matches!(
        Subtitles::from_bytes(b"", Path::new("e.srt"), None),
        Err(Error::EmptyFile { .. })
    ));
    let e = Subtitles::from_bytes(b"  \n\n", Path::new("e.srt"), None).unwrap_err();
    assert!(
        e.to_string()
            .contains("e.srt:0: file holds only whitespace"),
        "{e}"
    );
    assert!(
        Subtitles::parse("WEBVTT\n\nNOTE only a note\n", None)
            .unwrap_err()
            .1
            .contains("no cues")
    );
}

#[test]
fn overlaps_and_disorder_are_warned_not_refused() {
    let text = "1\n00:00:01,000 --> 00:00:03,000\nA\n\n2\n00:00:02,000 --> 00:00:04,000\nB\n\n3\n00:00:01,500 --> 00:00:01,800\nC\n";
    let subs = Subtitles::parse(text, None).unwrap();
    let all = subs.warnings.join("\n");
    assert!(all.contains("cue 3 (line 10) starts before cue 2"), "{all}");
    assert!(all.contains("overlap the cue before them (cue 2)"), "{all}");
}

const VTT: &str = "WEBVTT - a title\nKind: captions\n\nSTYLE\n::cue { color: red }\n\nNOTE a comment\n--> not a cue\n\nintro\n00:01.000 --> 00:02.000 align:start position:10%\n<v Anna>Hello <00:01.500>there</v>\n\n00:00:03.000 --> 00:00:04.250\n&amp; more\n";

#[test]
fn vtt_keeps_notes_settings_and_moves_inline_timestamps() {
    let mut subs = Subtitles::parse(VTT, None).unwrap();
    assert_eq!(subs.format, SubtitleFormat::Vtt);
    assert_eq!(subs.cues.len(), 2);
    assert_eq!(subs.cues[0].id.as_deref(), Some("intro"));
    assert_eq!(subs.cues[0].settings, "align:start position:10%");
    assert_eq!(subs.cues[0].spoken_words(), ["Hello", "there"]);
    assert_eq!(subs.render(), VTT);
    subs.cues[0].start_ms += 2000;
    subs.cues[0].end_ms += 2000;
    let out = subs.render();
    assert!(out.contains("00:03.000 --> 00:04.000 align:start"), "{out}");
    assert!(out.contains("<00:03.500>there"), "{out}");
    assert!(out.contains("NOTE a comment\n--> not a cue"), "{out}");
}

#[test]
fn vtt_without_header_is_refused() {
    let (line, message) =
        Subtitles::parse("00:01.000 --> 00:02.000\nHi\n", Some(SubtitleFormat::Vtt)).unwrap_err();
    assert_eq!(line, 1);
    assert!(message.contains("WEBVTT"), "{message}");
}

const ASS: &str = "[Script Info]\nTitle: x\n\n[V4+ Styles]\nStyle: Default,Arial,20\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nComment: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,note\nDialogue: 0,0:00:01.50,0:00:03.20,Default,Bob,0,0,0,,{\\i1}Hi,{\\i0} you\\Nthere\n";

#[test]
fn ass_reads_dialogue_and_keeps_the_rest() {
    let mut subs = Subtitles::parse(ASS, None).unwrap();
    assert_eq!(subs.format, SubtitleFormat::Ass);
    assert_eq!(subs.cues.len(), 1);
    let cue = &subs.cues[0];
    assert_eq!((cue.start_ms, cue.end_ms, cue.line), (1500, 3200, 10));
    assert_eq!(cue.text, "{\\i1}Hi,{\\i0} you\\Nthere");
    assert_eq!(cue.spoken_words(), ["Hi", "you", "there"]);
    assert_eq!(subs.render(), ASS);
    subs.cues[0].start_ms = 61_004;
    subs.cues[0].end_ms = 62_000;
    assert!(
        subs.render()
            .contains("Dialogue: 0,0:01:01.00,0:01:02.00,Default,Bob")
    );
    let (line, message) = Subtitles::parse(
        &ASS.replace("Format: Layer", "Formatx: Layer"),
        Some(SubtitleFormat::Ass),
    )
    .unwrap_err();
    assert_eq!(line, 10);
    assert!(message.contains("Format:"), "{message}");
}

#[test]
fn converts_between_formats() {
    let srt = Subtitles::parse(SRT, None).unwrap();
    let vtt = String::from_utf8(srt.render_as(SubtitleFormat::Vtt)).unwrap();
    let back = Subtitles::parse(&vtt, None).unwrap();
    assert_eq!(back.cues.len(), 2);
    assert_eq!(back.cues[1].text, srt.cues[1].text);
    let ass = String::from_utf8(srt.render_as(SubtitleFormat::Ass)).unwrap();
    let a = Subtitles::parse(&ass, None).unwrap();
    assert_eq!(a.cues[0].text, "{\\i1}Hello{\\i0} there.");
    assert_eq!(a.cues[1].text, "- Two lines\\N- of text");
    let srt_again = String::from_utf8(a.render_as(SubtitleFormat::Srt)).unwrap();
    let s = Subtitles::parse(&srt_again, None).unwrap();
    assert_eq!(s.cues[1].text, "- Two lines\n- of text");
    assert_eq!(s.cues[0].start_ms, 1000);
}

#[test]
fn spoken_words_leave_out_descriptions_and_labels() {
    assert_eq!(
        spoken_words("[MUSIC PLAYING]\nJOHN: Well, (sighs) it's <b>fine</b>. ♪"),
        ["Well", "it's", "fine"]
    );
    assert!(spoken_words("♪ ♪").is_empty());
}

#[test]
fn spoken_tokens_keep_their_punctuation() {
    assert_eq!(
        spoken_tokens("[MUSIC PLAYING]\nJOHN: Well, (sighs) it's <b>fine</b>. ♪ -- ok?"),
        ["Well,", "it's", "fine.", "ok?"]
    );
}
