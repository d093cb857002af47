//! Choosing a parser from the text itself, and format names for the command line.
//!
//! Rules, first match wins:
//! 1. JSON: the first non-blank character is `{`; an object with `text` and no `turns` is an
//!    oTranscribe export, anything else talign JSON. A document that does not parse (cut
//!    short) is an oTranscribe export when its first 4 KB hold no `"turns"` and it opens with
//!    a `"text"` field or holds `"media"` or `data-timestamp`.
//! 2. WebVTT: the first line starts with `WEBVTT`.
//! 3. TextGrid (`File type = "ooTextFile"`, `"ooTextFile short"` or `ooBinaryFile`, and
//!    `Object class = "TextGrid"` or a bare `"TextGrid"`, either order, any spacing), EAF
//!    (XML with an `<ANNOTATION_DOCUMENT` near the start), ASS/SSA (`[Script Info]` first, or
//!    an `[Events]` line among the first 200). A binary TextGrid is known by its first bytes,
//!    before decoding ([`read`](super::read)).
//! 4. SubRip: one of the first three non-blank lines is a `start --> end` line.
//! 5. Block or inline: whichever finds more turn starts in the first 256 KB — block counts
//!    label lines followed by a stamp line (or, without stamps, known labels standing alone,
//!    or a role label opening a file that has no other line standing alone: `Speaker` /
//!    `mary rolled the barrel`);
//!    inline counts `Label: text` / `[stamp] Label: text` / `Label  stamp` lines. Inline needs
//!    at least three, or at least half as many as there are paragraphs (so one `Note: ...`
//!    in prose stays plain, and a one-line `Kerry: Hi.` is inline).
//! 6. Plain text otherwise.

use std::str::FromStr;

use super::TranscriptFormat;

/// How much text the block/inline vote looks at: enough for hundreds of turns, and it keeps
/// detection cheap on a huge file.
const SAMPLE_BYTES: usize = 256 << 10;

/// Detects the format of decoded transcript text.
pub fn detect_format(text: &str) -> TranscriptFormat {
    let text = text.trim_start_matches('\u{feff}');
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return if super::otr::looks_like_otr(trimmed) {
            TranscriptFormat::Otr
        } else {
            TranscriptFormat::Json
        };
    }
    if trimmed.starts_with("WEBVTT") {
        return TranscriptFormat::Vtt;
    }
    if let Some(format) = annotation_format(trimmed) {
        return format;
    }
    // A timing line among the first three: its start stamp-shaped (valid or not, so a
    // negative start is reported as a stamp), or right after a cue number (so a mistyped
    // start, `00:00:0x,000 -->`, is too).
    let first: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(3)
        .collect();
    let cue_number = |l: &str| l.len() <= 9 && l.bytes().all(|b| b.is_ascii_digit());
    if first.iter().enumerate().any(|(k, l)| {
        super::srt::timing_start(l).is_some_and(|s| {
            super::parse_stamp(s) != Err(None) || (k > 0 && cue_number(first[k - 1]))
        })
    }) {
        return TranscriptFormat::Srt;
    }
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // Cut at a line end so the last sampled line is whole.
    let sample = match text[..end].rfind('\n') {
        Some(i) if end < text.len() => &text[..i],
        _ => &text[..end],
    };
    let block = super::block::score(sample);
    let inline = super::inline::score(sample);
    let mut paragraphs = 0;
    let mut after_blank = true;
    for line in sample.lines() {
        let blank = line.trim().is_empty();
        paragraphs += usize::from(after_blank && !blank);
        after_blank = blank;
    }
    if block > 0 && block >= inline {
        TranscriptFormat::Block
    } else if inline >= 3 || (inline >= 1 && inline * 2 >= paragraphs) {
        TranscriptFormat::Inline
    } else {
        TranscriptFormat::Plain
    }
}

/// TextGrid, EAF or ASS/SSA, told by how they open: Praat's `File type = "ooTextFile"` (or
/// `"ooTextFile short"`, or `ooBinaryFile`, refused by the reader) with
/// `Object class = "TextGrid"` (or a bare `"TextGrid"`), in either order, or a chronological
/// TextGrid ([`looks_like_textgrid`](super::textgrid::looks_like_textgrid)); XML whose root
/// element is `ANNOTATION_DOCUMENT`; a `[Script Info]` section first, or an `[Events]`
/// section line among the first 200 lines.
fn annotation_format(trimmed: &str) -> Option<TranscriptFormat> {
    let head: String = trimmed.chars().take(4096).collect();
    if super::textgrid::looks_like_textgrid(&head) {
        return Some(TranscriptFormat::Textgrid);
    }
    if head.starts_with('<') && head.contains("<ANNOTATION_DOCUMENT") {
        return Some(TranscriptFormat::Eaf);
    }
    let first = head.lines().next().unwrap_or("").trim();
    if first.eq_ignore_ascii_case("[script info]")
        || trimmed
            .lines()
            .take(200)
            .any(|l| l.trim().eq_ignore_ascii_case("[events]"))
    {
        return Some(TranscriptFormat::Ass);
    }
    None
}

impl TranscriptFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [TranscriptFormat; 10] = [
        TranscriptFormat::Block,
        TranscriptFormat::Inline,
        TranscriptFormat::Plain,
        TranscriptFormat::Srt,
        TranscriptFormat::Vtt,
        TranscriptFormat::Json,
        TranscriptFormat::Textgrid,
        TranscriptFormat::Eaf,
        TranscriptFormat::Ass,
        TranscriptFormat::Otr,
    ];

    /// The name used on the command line and in JSON (`block`, `inline`, ...).
    pub fn name(self) -> &'static str {
        match self {
            TranscriptFormat::Block => "block",
            TranscriptFormat::Inline => "inline",
            TranscriptFormat::Plain => "plain",
            TranscriptFormat::Srt => "srt",
            TranscriptFormat::Vtt => "vtt",
            TranscriptFormat::Json => "json",
            TranscriptFormat::Textgrid => "textgrid",
            TranscriptFormat::Eaf => "eaf",
            TranscriptFormat::Ass => "ass",
            TranscriptFormat::Otr => "otr",
        }
    }

    /// True for the formats that carry their own times for every turn (TextGrid, EAF,
    /// ASS, oTranscribe): a time past the end of the recording means the file belongs to
    /// another recording, and is refused (see [`refuse_times_past_end`](super::refuse_times_past_end)).
    pub fn carries_times(self) -> bool {
        matches!(
            self,
            TranscriptFormat::Textgrid
                | TranscriptFormat::Eaf
                | TranscriptFormat::Ass
                | TranscriptFormat::Otr
        )
    }
}

impl std::fmt::Display for TranscriptFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for TranscriptFormat {
    type Err = String;

    /// Parses a format name; `webvtt`, `subrip`, `txt`, `text`, `praat`, `elan`, `ssa` and
    /// `otranscribe` are accepted as aliases.
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.to_ascii_lowercase();
        let alias = match s.as_str() {
            "webvtt" => "vtt",
            "subrip" => "srt",
            "txt" | "text" => "plain",
            "praat" => "textgrid",
            "elan" => "eaf",
            "ssa" => "ass",
            "otranscribe" => "otr",
            other => other,
        };
        TranscriptFormat::ALL
            .into_iter()
            .find(|f| f.name() == alias)
            .ok_or_else(|| {
                let names: Vec<_> = TranscriptFormat::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown transcript format {s:?}; use one of {}",
                    names.join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TranscriptFormat::*;

    #[test]
    fn detects_each_format() {
        assert_eq!(detect_format("\u{feff}{\"turns\": []}"), Json);
        assert_eq!(
            detect_format("WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n"),
            Vtt
        );
        assert_eq!(detect_format("1\n00:00:01,000 --> 00:00:02,000\nHi\n"), Srt);
        // Broken timing lines still make subtitles (their stamps are reported, not spoken).
        assert_eq!(
            detect_format("1\n-00:00:01,000 --> 00:00:02,000\nHi\n"),
            Srt
        );
        assert_eq!(detect_format("1\n00:00:0x,000 --> 00:00:02,000\nHi\n"), Srt);
        assert_eq!(
            detect_format("Title\n\nKerry\n\n[01:55]\n\nHi.\n\nMichael\n\n[02:00]\n\nYes.\n"),
            Block
        );
        assert_eq!(detect_format("KERRY: Hi.\nMICHAEL: Yes.\n"), Inline);
        assert_eq!(
            detect_format("[00:01] Kerry: Hi.\n[00:05] Michael: Yes.\n"),
            Inline
        );
        assert_eq!(
            detect_format("Speaker 1  0:05\nHi.\n\nSpeaker 2  0:09\nYes.\n"),
            Inline
        );
        assert_eq!(detect_format("Kerry: Hi."), Inline);
        assert_eq!(
            detect_format("Hello there. This is prose.\n\nNote: it has a colon.\n\nMore prose.\n"),
            Plain
        );
        assert_eq!(detect_format("We met at 5:30 and talked.\n"), Plain);
        // No label anywhere: three headings or a refrain standing alone are not labels.
        assert_eq!(
            detect_format("Introduction\n\nOne.\n\nMethods\n\nTwo.\n\nResults\n\nThree.\n"),
            Plain
        );
        assert_eq!(
            detect_format(
                "The night was long.\n\nOh, my darling\n\nThe day was short.\n\n\
                 Oh, my darling\n\nAnd so it ends.\n"
            ),
            Plain
        );
    }

    #[test]
    fn a_file_opening_with_a_role_label_is_block() {
        // The first line names a role or ends with `:`, stands alone, and no other line
        // stands alone (except right after it): one speaker's turn.
        for src in [
            "Speaker\n\nmary rolled the barrel\n",
            "Speaker\n\nBOBBY RIPPED THE LEDGER\n",
            "\u{feff}\n\nInterviewer\r\n\r\nSo tell me about yourself.\r\n\r\n\
             Well, I grew up in Ohio.\r\n",
            "Narrator\n\nOnce upon a time.\n\nThe end.\n",
            "Interviewer:\n\nSo tell me about yourself.\n",
            "Kennedy:\n\nAnd so, my fellow Americans, ask not.\n",
        ] {
            assert_eq!(detect_format(src), Block, "{src:?}");
        }
        // Short transcripts (issue 13): one or two short lines standing alone, each naming
        // someone, the first opening the file, are labels, in any script.
        for src in [
            "Narrator\n\nOnce upon a time.\n\nTranslator\n\nThe end.\n",
            "Speaker 1\n\nHello.\n\nSpeaker 2\n\nHi.\n",
            "Kennedy\n\nAnd so, my fellow Americans, ask not.\n",
            "awb\n\nAnd you always want to see it in the superlative degree.\n",
            "Lector\n\nEn un lugar de la Mancha.\n",
            "話者A\n\nこんにちは。\n\n話者B\n\nはい。\n",
        ] {
            assert_eq!(detect_format(src), Block, "{src:?}");
        }
        // A line standing alone that names nobody (a heading), a first line that reads like
        // speech or does not stand alone: plain, as before.
        for src in [
            "Guest speaker\n\nFirst part.\n\nChapter two\n\nSecond part.\n",
            "Interview notes\n\nInterviewer\n\nHello.\n",
            "Hello, speaker?\n\nYes, I hear you.\n",
            "Speaker\nmary rolled the barrel\n",
            "Speaker\n",
        ] {
            assert_eq!(detect_format(src), Plain, "{src:?}");
        }
    }

    #[test]
    fn detects_annotation_formats() {
        assert_eq!(
            detect_format("\u{feff}File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n"),
            Textgrid
        );
        assert_eq!(
            detect_format("<?xml version=\"1.0\"?>\n<ANNOTATION_DOCUMENT FORMAT=\"3.0\">\n"),
            Eaf
        );
        assert_eq!(detect_format("[Script Info]\nTitle: x\n"), Ass);
        assert_eq!(
            detect_format("; comment\n[Events]\nFormat: Start, End, Text\n"),
            Ass
        );
        assert_eq!(
            detect_format("{\"text\": \"<p>hi</p>\", \"media\": \"a.mp3\"}"),
            Otr
        );
        assert_eq!(detect_format("{\"turns\": [], \"text\": \"x\"}"), Json);
        // Cut short, an oTranscribe export is still one; talign JSON is still talign JSON.
        assert_eq!(detect_format("{\"text\":\"<p><span class=\\\"times"), Otr);
        assert_eq!(detect_format("{\"turns\": [{\"text\": \"Hi"), Json);
        assert_eq!(
            detect_format("File type = \"ooTextFile short\"\n\"TextGrid\"\n\n0\n4\n"),
            Textgrid
        );
        assert_eq!(
            detect_format("Object class = \"TextGrid\"\nFile type = \"ooTextFile\"\n"),
            Textgrid
        );
        // Prose that mentions them stays prose.
        assert_eq!(
            detect_format("The TextGrid file type was ooTextFile.\n"),
            Plain
        );
    }

    #[test]
    fn names_round_trip() {
        for f in TranscriptFormat::ALL {
            assert_eq!(f.name().parse::<TranscriptFormat>(), Ok(f));
        }
        assert_eq!("WebVTT".parse::<TranscriptFormat>(), Ok(Vtt));
        assert_eq!("Praat".parse::<TranscriptFormat>(), Ok(Textgrid));
        assert_eq!("elan".parse::<TranscriptFormat>(), Ok(Eaf));
        assert_eq!("ssa".parse::<TranscriptFormat>(), Ok(Ass));
        assert_eq!("oTranscribe".parse::<TranscriptFormat>(), Ok(Otr));
        assert!(
            "docx"
                .parse::<TranscriptFormat>()
                .unwrap_err()
                .contains("block, inline")
        );
    }
}
