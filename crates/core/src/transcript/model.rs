//! The transcript as talign understands it: ordered turns, each keeping what the user wrote.

use serde::{Deserialize, Serialize};

/// Which parser read the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TranscriptFormat {
    /// Label line, optional stamp line, paragraphs (the shared Kerry example).
    Block,
    /// One turn per line: `KERRY: text`, `[01:02:03] Kerry: text`, `Kerry (01:02): text`,
    /// or `Speaker 1  0:05` header lines followed by text.
    Inline,
    /// No speakers or stamps: paragraphs (or sentences) become turns.
    Plain,
    /// SubRip subtitles.
    Srt,
    /// WebVTT subtitles, `<v Speaker>` tags as speakers.
    Vtt,
    /// talign's own JSON (the output of `talign align --format json`).
    Json,
    /// Praat TextGrid (long or short text format): interval tiers, a tier per speaker or
    /// `Speaker: text` labels.
    Textgrid,
    /// ELAN EAF: top-level (alignable) tiers, a tier per speaker or participant.
    Eaf,
    /// ASS/SSA subtitles: `Dialogue:` events, the Name (Actor) field as speaker.
    Ass,
    /// oTranscribe export (`.otr`): JSON holding HTML text with timestamp spans.
    Otr,
}

/// Whether a stated stamp can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StampStatus {
    /// Parsed and in order.
    Ok,
    /// Not a time (`[31:99]`: 99 is not a second).
    Invalid,
    /// Earlier than a previous valid stamp.
    OutOfOrder,
    /// Same time as the previous valid stamp.
    Duplicate,
    /// The turn has no stamp.
    Missing,
}

/// How a stamp was written, so a corrected stamp can be written the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct StampStyle {
    /// Opening delimiter: `[`, `(` or none.
    pub open: Option<char>,
    /// Closing delimiter: `]`, `)` or none.
    pub close: Option<char>,
    /// Hours field present (`h:mm:ss`).
    pub hours: bool,
    /// Digits in the leading field (1 for `0:07`, 2 for `01:55`).
    pub lead_width: u8,
    /// Fraction digits after the seconds (0 when none).
    pub fraction_digits: u8,
    /// Fraction separator, `.` or `,`.
    pub fraction_sep: Option<char>,
}

/// A stamp as stated in the transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stamp {
    /// The text as written, e.g. `[31:99]`; `None` when missing.
    pub raw: Option<String>,
    /// Seconds, when the text is a valid time.
    pub seconds: Option<f64>,
    /// Whether it can be trusted as an anchor.
    pub status: StampStatus,
    /// 1-based line where the stamp is written.
    pub line: Option<usize>,
    /// Byte range of `raw` in [`Transcript::source`] (for rewriting it in place).
    pub span: Option<(usize, usize)>,
    /// How it was written.
    pub style: Option<StampStyle>,
}

impl Stamp {
    /// A missing stamp.
    pub fn missing() -> Stamp {
        Stamp {
            raw: None,
            seconds: None,
            status: StampStatus::Missing,
            line: None,
            span: None,
            style: None,
        }
    }

    /// True when this stamp is trusted enough to serve as an alignment anchor.
    pub fn usable(&self) -> bool {
        self.status == StampStatus::Ok && self.seconds.is_some()
    }
}

/// What a piece of turn text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanKind {
    /// A spoken word.
    Word,
    /// A note that is not speech: `[?]`, `[White Helmet]`, `...`, `Translates.`.
    Note,
}

/// A piece of a turn's text: a word or a note, by byte range into [`Turn::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpan {
    /// Word or note.
    pub kind: SpanKind,
    /// Start byte in `Turn::text`.
    pub start: usize,
    /// End byte (exclusive) in `Turn::text`.
    pub end: usize,
}

/// One speaker turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// 0-based position in the transcript.
    pub index: usize,
    /// 1-based line of the turn's first line (its speaker label where it has one).
    pub line: usize,
    /// The label as written (`Kerry?`, `Female voic`), `None` when the format has no speakers.
    pub speaker_raw: Option<String>,
    /// Normalised speaker: case folded to the most common spelling, trailing `:`/`?` removed,
    /// likely typos grouped (see [`Transcript::speaker_groups`]).
    pub speaker: Option<String>,
    /// The label marks the speaker as a guess (`Kerry?`, `Kirby? someone else`).
    pub uncertain: bool,
    /// The stated time.
    pub stated: Stamp,
    /// The turn's text as written, paragraphs joined by `\n\n`.
    pub text: String,
    /// False when the turn only stands for untranscribed speech (`Speaks Arabic/Syrian`).
    pub transcribed: bool,
    /// Words and notes in `text`, in order.
    pub spans: Vec<TextSpan>,
}

impl Turn {
    /// The spoken words, notes left out.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.spans
            .iter()
            .filter(|s| s.kind == SpanKind::Word)
            .map(|s| &self.text[s.start..s.end])
    }

    /// Per spoken word, whether the text writes a pause after it: the word ends in
    /// punctuation that marks one (`RIGHT?`, `well,`, `end.`) or a note or mark stands
    /// between it and the next word (`OH...AND`, `yes [?] no`, `so — then`).
    pub fn written_pauses(&self) -> Vec<bool> {
        let words: Vec<&TextSpan> = self
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Word)
            .collect();
        words
            .iter()
            .enumerate()
            .map(|(k, w)| {
                let own = ends_in_a_pause_mark(&self.text[w.start..w.end]);
                let between = words
                    .get(k + 1)
                    .map_or("", |next| self.text.get(w.end..next.start).unwrap_or(""));
                own || between.chars().any(|c| !c.is_whitespace())
            })
            .collect()
    }

    /// Number of spoken words.
    pub fn word_count(&self) -> usize {
        self.spans
            .iter()
            .filter(|s| s.kind == SpanKind::Word)
            .count()
    }
}

/// The pause a token's final punctuation writes, closing quotes and brackets aside: what a
/// subtitle line may break after and where a speaker may stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WrittenPause {
    /// `end.`, `right?`, `no!`
    Sentence,
    /// `well,`, `so;`, `then:`, `and -`, `OH...`, `wait…`
    Clause,
}

/// Closing quotes and brackets, which stand after a token's own punctuation (`end."`).
pub(crate) const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '}', '»'];

/// The pause `token`'s final punctuation writes, if any.
pub(crate) fn written_pause(token: &str) -> Option<WrittenPause> {
    let core = token.trim_end_matches(CLOSERS);
    if core.ends_with("..") || core.ends_with('…') {
        Some(WrittenPause::Clause)
    } else if core.ends_with(['.', '!', '?']) {
        Some(WrittenPause::Sentence)
    } else if core.ends_with([',', ';', ':', '-', '–', '—']) {
        Some(WrittenPause::Clause)
    } else {
        None
    }
}

/// Whether a token ends in punctuation that marks a pause in speech (`RIGHT?`, `well,`,
/// `OH...`).
pub(crate) fn ends_in_a_pause_mark(token: &str) -> bool {
    written_pause(token).is_some()
}

/// Speaker labels judged to be spellings of one speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerGroup {
    /// The name used for the group (the most frequent spelling).
    pub canonical: String,
    /// Every other spelling mapped to it, e.g. `Keirry`.
    pub variants: Vec<String>,
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look; alignment is unaffected.
    Warning,
    /// Wrong: the stamp or label cannot be used as written.
    Error,
}

/// Something wrong with the transcript, found before any audio is touched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based line (0 for the whole file).
    pub line: usize,
    /// Short machine-readable kind, e.g. `invalid_stamp`, `out_of_order`, `speaker_typo`.
    pub kind: String,
    /// What is wrong, for a person.
    pub message: String,
    /// What to do, when there is something to suggest.
    pub suggestion: Option<String>,
    /// How bad it is.
    pub severity: Severity,
}

/// One tier (or track) of an annotation file, as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierInfo {
    /// The tier's name (TextGrid name, EAF `TIER_ID`, an ASS event's `Name` field, or
    /// `(events without a Name)`, `text` for an oTranscribe file).
    pub name: String,
    /// What kind of tier it is: `interval`, `point` (TextGrid), `top-level`, `dependent`
    /// (EAF), `events` (ASS), `text` (oTranscribe).
    pub kind: String,
    /// 1-based line where the tier starts.
    pub line: usize,
    /// The speaker its turns were given, when the tier names one.
    pub speaker: Option<String>,
    /// Turns read from it.
    pub turns: usize,
    /// Why it gave no turns (a point tier, a word tier, a dependent tier, no text), if so.
    pub ignored: Option<String>,
}

/// A parsed transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// Which parser read it.
    pub format: TranscriptFormat,
    /// The turns, in order.
    pub turns: Vec<Turn>,
    /// Notes that are not any speaker's words (a trailing `Murmur, murmur everyone talking ...`,
    /// a title line), with their 1-based lines.
    pub notes: Vec<(usize, String)>,
    /// Typo groups applied to `Turn::speaker`.
    pub speaker_groups: Vec<SpeakerGroup>,
    /// Problems found while reading.
    pub problems: Vec<Problem>,
    /// What was read from a format with tiers or tracks (TextGrid, EAF, ASS, oTranscribe):
    /// each tier, and whether it gave turns or why not. Empty for text formats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<TierInfo>,
    /// Which reading was chosen where the file allowed more than one, and why (a short
    /// file's first line read as a label, say), one sentence each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reading: Vec<String>,
    /// The decoded text of the file (line endings kept), which stamp spans index into.
    #[serde(skip)]
    pub source: String,
    /// Encoding the file was read in (`utf-8`, `utf-16le`, `windows-1252`, ...).
    pub encoding: String,
}

impl Transcript {
    /// A transcript of `turns` made elsewhere than by a parser (subtitle cues, tests), read
    /// from UTF-8 `source` as `format`: no notes, speaker groups, problems or tiers.
    pub fn of_turns(format: TranscriptFormat, turns: Vec<Turn>, source: String) -> Transcript {
        Transcript {
            format,
            turns,
            notes: Vec::new(),
            speaker_groups: Vec::new(),
            problems: Vec::new(),
            tiers: Vec::new(),
            reading: Vec::new(),
            source,
            encoding: "utf-8".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::transcript::parse;

    #[test]
    fn written_pauses_are_marks_after_a_word_or_notes_before_the_next() {
        let t = parse(
            "Von Braun\n\nOH...AND OF COURSE, THE MOST [?] IMPORTANT. ISN'T IT RIGHT? well\n\n\
             John Hacker\n\nIT WILL TAKE JUST FIVE MINUTES\n",
            None,
        );
        let pauses: Vec<Vec<(String, bool)>> = t
            .turns
            .iter()
            .map(|turn| {
                turn.words()
                    .map(str::to_string)
                    .zip(turn.written_pauses())
                    .collect()
            })
            .collect();
        let first: Vec<(&str, bool)> = pauses[0].iter().map(|(w, p)| (w.as_str(), *p)).collect();
        assert_eq!(
            first,
            vec![
                ("OH", true),
                ("AND", false),
                ("OF", false),
                ("COURSE", true),
                ("THE", false),
                ("MOST", true),
                ("IMPORTANT", true),
                ("ISN'T", false),
                ("IT", false),
                ("RIGHT", true),
                ("well", false),
            ]
        );
        assert!(pauses[1].iter().all(|(_, p)| !p), "{:?}", pauses[1]);
        // A subtitle cue's tokens keep their punctuation.
        for marked in ["RIGHT?", "well,", "OH...", "end.\"", "(so)—"] {
            assert!(super::ends_in_a_pause_mark(marked), "{marked}");
        }
        for plain in ["IT", "don't", "U.S", "5%"] {
            assert!(!super::ends_in_a_pause_mark(plain), "{plain}");
        }
    }
}
