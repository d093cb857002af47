//! The subtitle reader and writer (`talign::subtitle`, issue 11) on arbitrary bytes and on
//! mutations of the seed corpus `tests/fuzz-corpus/subtitle/` (written by
//! `scripts/make_fuzz_corpus.py`: SRT, WebVTT and ASS/SSA, good and each kind of bad input):
//! no panic, and what is read keeps its invariants: cues numbered 1..n in file order, lines
//! inside the file, 0 ≤ start ≤ end under 100 hours, the text written back unchanged when no
//! time changed, moved times read back as written, every format written reads again.
//!
//! `TALIGN_FUZZ_SECONDS` (default 5) and `TALIGN_FUZZ_SEED` as for the other targets.

use std::path::Path;

use proptest::prelude::*;

use crate::fuzz_harness as harness;
use talign::subtitle::MAX_MS;
use talign::subtitle::{SubtitleFormat, Subtitles};

fn check(bytes: &[u8]) {
    let Ok(subs) = Subtitles::from_bytes(bytes, Path::new("fuzz.srt"), None) else {
        return;
    };
    let text = String::from_utf8_lossy(bytes);
    let lines = text.split('\n').count();
    assert!(!subs.cues.is_empty());
    for (i, cue) in subs.cues.iter().enumerate() {
        assert_eq!(cue.number, i + 1);
        assert!((1..=lines.max(1)).contains(&cue.line), "{cue:?} of {lines}");
        assert!(
            0 <= cue.start_ms && cue.start_ms <= cue.end_ms && cue.end_ms < MAX_MS,
            "{cue:?}"
        );
    }
    let same = subs.render();
    let again = Subtitles::parse(&same, Some(subs.format)).expect("its own text reads again");
    assert_eq!(again.cues, subs.cues);
    // Move every cue; the new times read back as written (to the style's precision: a
    // fraction of one digit is tenths).
    let mut moved = subs.clone();
    for c in &mut moved.cues {
        c.start_ms = (c.start_ms + 1234).min(MAX_MS - 10_000);
        c.end_ms = (c.end_ms + 1234).min(MAX_MS - 10_000);
    }
    let back = Subtitles::parse(&moved.render(), Some(subs.format)).expect("moved text reads");
    assert_eq!(back.cues.len(), moved.cues.len());
    for (b, m) in back.cues.iter().zip(&moved.cues) {
        assert!(
            (b.start_ms - m.start_ms).abs() <= 50 && (b.end_ms - m.end_ms).abs() <= 100,
            "{b:?} {m:?}"
        );
        // WebVTT inline timestamps move with their cue; the words stay.
        assert_eq!(b.spoken_words(), m.spoken_words());
    }
    for format in SubtitleFormat::ALL {
        let converted = subs.render_as(format);
        let _ = Subtitles::from_bytes(&converted, Path::new("converted"), Some(format));
    }
}

/// Pieces subtitle files are made of, for the mutator.
const INSERTS: &[&str] = &[
    " --> ",
    "00:00:01,000",
    "-00:00:01,000",
    "99999:59:59.999",
    "00:61:00.000",
    "\r\n",
    "\n\n",
    "WEBVTT\n\n",
    "NOTE x\n",
    "<00:00:01.500>",
    "<v Anna>",
    "[Events]\nFormat: Layer, Start, End, Text\n",
    "Dialogue: 0,0:00:01.00,0:00:02.00,",
    "{\\i1}",
    "\\N",
    "\u{feff}",
    "é",
];

#[test]
fn corpus_mutations() {
    let inserts: Vec<&[u8]> = INSERTS.iter().map(|s| s.as_bytes()).collect();
    let target = harness::Target {
        name: "subtitle",
        corpus: "subtitle",
        inserts: &inserts,
        max_input: 64 << 10,
        min_seeds: 20,
    };
    harness::fuzz(&target, check);
}

proptest! {
    #![proptest_config(harness::seeded_proptest(0x5b71_71e5))]

    #[test]
    fn arbitrary_text_never_panics(s in "(?s).{0,400}") {
        check(s.as_bytes());
    }

    #[test]
    fn cue_shaped_text_keeps_its_invariants(
        cues in prop::collection::vec((0i64..400_000, 0i64..20_000, "[a-z <>{}\\\\-]{0,20}"), 1..12),
        crlf in any::<bool>(),
    ) {
        let mut text = String::new();
        for (i, (start, len, body)) in cues.iter().enumerate() {
            let style = talign::subtitle::TimeStyle::SRT;
            text += &format!("{}\n{} --> {}\n{body}\n\n", i + 1, style.format(*start), style.format(start + len));
        }
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        check(text.as_bytes());
        let subs = Subtitles::parse(&text, None);
        prop_assert!(subs.is_ok(), "{:?}", subs.err());
    }
}
