//! Transcripts as people write them: one parser per format, one model for all.
//!
//! Data flow: bytes → [`decode`] (encoding, BOM, binary check) → [`detect_format`] → one parser
//! (`block`, `inline`, `plain`, `srt`, `vtt`, `json`, and for annotation files that carry
//! their own times `textgrid`, `eaf`, `ass`, `otr` through `timed`) → a draft of turns →
//! shared finishing:
//! notes and words (`notes.rs`), stamp checks ([`parse_stamp`], order), speaker
//! normalisation and typo grouping (`speaker.rs`). Parsers never fail: whatever they
//! cannot use becomes a [`Problem`] with its line. Only [`read`] turns "nothing usable", or
//! an annotation file too broken to trust (`malformed`), into an [`Error`].
//!
//! The rules (formats, labels, stamps, notes, problem kinds) are documented for users in
//! `docs/transcripts.md`.

mod ass;
mod block;
mod decode_text;
mod detect;
mod eaf;
pub(crate) mod file;
mod inline;
mod json;
mod language;
mod lines;
pub mod lint;
mod model;
pub(crate) mod notes;
mod otr;
mod plain;
mod show;
mod speaker;
mod srt;
mod stamp;
mod textgrid;
mod timed;
mod vtt;

use std::path::Path;

pub use decode_text::{Decoded, MAX_BYTES, NotText, decode, encode};
pub use detect::detect_format;
/// The transcript's language ([`crate::pipeline::AlignOptions::language`]: English words
/// are pronounced from the model's dictionary, others by espeak-ng), also the `xml:lang` of
/// TTML and SMIL exports.
pub use language::{Language, detect as detect_language, detect_text as detect_text_language};
pub use model::*;
use notes::{has_words, is_stage_note, spans as text_spans};
pub use show::printable;
pub use stamp::{InvalidStamp, format_stamp, parse_stamp};

use crate::{Error, Result};

/// Problem kinds that mean nothing usable was read; [`read`] returns them as errors.
const FATAL_KINDS: &[&str] = &["no_turns", "unreadable"];

/// Problem kinds that make [`read`] refuse the file even when it gave turns: an annotation
/// file (TextGrid, EAF, ASS, oTranscribe) whose structure is broken (overlapping intervals
/// in one tier, an unknown tier type, a cut-off file, bytes not in its encoding) cannot be
/// trusted for its times.
const REFUSED_KINDS: &[&str] = &["malformed"];

/// Reads a transcript file: bytes, encoding, format (detected unless given), turns.
///
/// A given format is trusted: named as block, every label-like line standing alone is a
/// label, where detection needs the file to confirm it (`docs/transcripts.md`).
///
/// The path may name a regular file or a pipe (`/dev/stdin`, `<(command)`, a FIFO); anything
/// else (a device such as `/dev/zero`, a socket) is refused before reading, a named pipe
/// with no writer reads as empty at once instead of hanging, and no more than [`MAX_BYTES`]
/// is ever read.
///
/// Errors (all input errors, exit code 2 in the CLI) name the file and, where it helps, the
/// line, and say what to do: a missing file, a directory, a device, an empty or blank file
/// or pipe, binary data, a file over [`MAX_BYTES`], JSON that does not parse, or no turns at
/// all. Everything else wrong with the transcript is a [`Problem`] in
/// [`Transcript::problems`].
pub fn read(path: &Path, format: Option<TranscriptFormat>) -> Result<Transcript> {
    let (bytes, source) = file::read_capped(path)?;
    if bytes.is_empty() && source == file::Source::Pipe {
        return Err(Error::Transcript {
            path: path.to_owned(),
            line: 0,
            message: "the pipe gave no data (nothing was writing into it, or the writer sent \
                      nothing); start the program that writes the transcript first, or save \
                      the transcript to a file and give its path"
                .to_owned(),
        });
    }
    read_bytes(&bytes, path, format)
}

/// Like [`read`], for bytes already in memory; `path` only names the input in errors.
pub fn read_bytes(
    bytes: &[u8],
    path: &Path,
    format: Option<TranscriptFormat>,
) -> Result<Transcript> {
    let error = |line, message: &str| Error::Transcript {
        path: path.to_owned(),
        line,
        message: printable(message).into_owned(),
    };
    if bytes.is_empty() {
        return Err(Error::EmptyFile {
            path: path.to_owned(),
        });
    }
    let refusal = |p: &Problem| {
        let message = match &p.suggestion {
            Some(s) => format!("{}; {s}", p.message),
            None => p.message.clone(),
        };
        error(p.line, &message)
    };
    // A binary TextGrid holds NUL bytes: its header is read before they make it "binary data".
    if format.is_none_or(|f| f == TranscriptFormat::Textgrid) && textgrid::is_binary(bytes) {
        return Err(refusal(&textgrid::binary_refusal()));
    }
    let decoded = decode(bytes).map_err(|e| error(e.line, &e.message))?;
    if decoded
        .text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .is_empty()
    {
        return Err(error(
            0,
            "file holds only whitespace, no text; check that this is the transcript and that \
             it was saved completely",
        ));
    }
    let transcript = parse_decoded(decoded, format);
    if let Some(p) = transcript
        .problems
        .iter()
        .find(|p| REFUSED_KINDS.contains(&p.kind.as_str()))
    {
        return Err(refusal(p));
    }
    if transcript.turns.is_empty() {
        let fatal = transcript
            .problems
            .iter()
            .find(|p| FATAL_KINDS.contains(&p.kind.as_str()));
        return Err(match fatal {
            Some(p) => refusal(p),
            None => error(0, "no turns found"),
        });
    }
    Ok(transcript)
}

/// Parses text already in memory. Never fails: a transcript with no turns carries a
/// `no_turns` (or `unreadable`) problem instead. A given format is trusted, as in [`read`].
pub fn parse(text: &str, format: Option<TranscriptFormat>) -> Transcript {
    parse_decoded(
        Decoded {
            text: text.to_owned(),
            encoding: "utf-8",
            problems: Vec::new(),
        },
        format,
    )
}

/// Refuses a transcript whose own times run past the end of the recording, for the formats
/// that carry a time for every turn ([`TranscriptFormat::carries_times`]): such a file
/// belongs to another (longer) recording, or its times are in another unit. Half a second of
/// slack allows for decoders that disagree on the last frame. Other formats pass: their
/// stamps are checked against the audio by `check`.
pub fn refuse_times_past_end(transcript: &Transcript, path: &Path, duration_s: f64) -> Result<()> {
    if !transcript.format.carries_times() {
        return Ok(());
    }
    let Some(turn) = transcript
        .turns
        .iter()
        .find(|t| t.stated.seconds.is_some_and(|s| s > duration_s + 0.5))
    else {
        return Ok(());
    };
    let at = turn.stated.seconds.unwrap_or(0.0);
    Err(Error::Transcript {
        path: path.to_owned(),
        line: turn.stated.line.unwrap_or(turn.line),
        message: format!(
            "turn {} starts at {} ({at:.3} s), past the end of the recording \
             ({duration_s:.3} s); the {} file belongs to another recording or its times are \
             off: give the recording it was made for, or correct its times",
            turn.index + 1,
            printable(turn.stated.raw.as_deref().unwrap_or("?")),
            transcript.format.name()
        ),
    })
}

/// Runs one parser (the given format, or the detected one) and the shared finishing steps.
fn parse_decoded(decoded: Decoded, format: Option<TranscriptFormat>) -> Transcript {
    let Decoded {
        text,
        encoding,
        mut problems,
    } = decoded;
    // A format the user names is trusted further than one read off the text.
    let mode = match format {
        Some(_) => block::Mode::Forced,
        None => block::Mode::Detected,
    };
    let format = format.unwrap_or_else(|| detect_format(&text));
    let draft = match format {
        TranscriptFormat::Block => block::parse(&text, mode),
        TranscriptFormat::Inline => inline::parse(&text),
        TranscriptFormat::Plain => plain::parse(&text),
        TranscriptFormat::Srt => srt::parse(&text),
        TranscriptFormat::Vtt => vtt::parse(&text),
        TranscriptFormat::Json => json::parse(&text),
        TranscriptFormat::Textgrid => textgrid::parse(&text),
        TranscriptFormat::Eaf => eaf::parse(&text),
        TranscriptFormat::Ass => ass::parse(&text),
        TranscriptFormat::Otr => otr::parse(&text),
    };
    if matches!(format, TranscriptFormat::Eaf | TranscriptFormat::Otr) {
        timed::refuse_bad_bytes(&mut problems, &text, format);
    }
    finish(draft, format, text, encoding, problems)
}

/// What a parser hands over: turns not yet checked, notes, and the problems it saw.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    pub turns: Vec<DraftTurn>,
    pub notes: Vec<(usize, String)>,
    pub problems: Vec<Problem>,
    /// Tiers of an annotation file, as read ([`Transcript::tiers`]).
    pub tiers: Vec<TierInfo>,
    /// Readings chosen and why ([`Transcript::reading`]).
    pub reading: Vec<String>,
}

/// A turn as a parser found it.
#[derive(Debug)]
pub(crate) struct DraftTurn {
    /// 1-based line of the turn's first line.
    pub line: usize,
    /// Label as written.
    pub speaker_raw: Option<String>,
    /// Stamp as written.
    pub stamp: Option<stamp::Found>,
    /// Paragraphs with their first lines; lines inside a paragraph joined by `\n`.
    pub paragraphs: Vec<(usize, String)>,
    /// Whether the next line of text starts a new paragraph.
    new_paragraph: bool,
}

impl DraftTurn {
    /// A turn starting on `line`.
    pub(crate) fn new(
        line: usize,
        speaker_raw: Option<String>,
        stamp: Option<stamp::Found>,
    ) -> Self {
        DraftTurn {
            line,
            speaker_raw,
            stamp,
            paragraphs: Vec::new(),
            new_paragraph: true,
        }
    }

    /// Adds a line of text (already trimmed); `after_blank` starts a new paragraph.
    pub(crate) fn push_line(&mut self, line: usize, text: &str, after_blank: bool) {
        match self.paragraphs.last_mut() {
            Some((_, para)) if !after_blank && !self.new_paragraph => {
                para.push('\n');
                para.push_str(text);
            }
            _ => self.paragraphs.push((line, text.to_owned())),
        }
        self.new_paragraph = false;
    }

    /// Makes the next line start a new paragraph (after a subtitle cue boundary, say).
    pub(crate) fn break_paragraph(&mut self) {
        self.new_paragraph = true;
    }
}

impl Draft {
    /// Text found before the first turn (block and inline formats): a one-line heading
    /// without a sentence ending is a note (the title); other paragraphs become turns with no
    /// speaker, with one `unlabeled_text` warning.
    pub(crate) fn preamble(&mut self, paragraphs: Vec<(usize, String)>) {
        let mut turns = Vec::new();
        for (line, text) in paragraphs {
            let heading = !text.contains('\n')
                && text.split_whitespace().count() <= 15
                && !text.trim_end().ends_with(['.', '!', '?', '…', ',', ';']);
            if heading || is_stage_note(&text) {
                self.notes.push((line, text));
            } else {
                let mut turn = DraftTurn::new(line, None, None);
                turn.paragraphs.push((line, text));
                turns.push(turn);
            }
        }
        if let Some(first) = turns.first() {
            self.problems.push(Problem {
                line: first.line,
                kind: "unlabeled_text".into(),
                message: format!(
                    "text before the first speaker label; read as {} turn(s) with no speaker",
                    turns.len()
                ),
                suggestion: Some(
                    "put a speaker label above it, or delete it if it is not speech".into(),
                ),
                severity: Severity::Warning,
            });
        }
        turns.append(&mut self.turns);
        self.turns = turns;
    }
}

/// A line-by-line parser's work in progress (block and inline formats): the finished turns,
/// the open one, and the text before the first turn, gathered in paragraphs the way a turn
/// gathers them.
#[derive(Debug)]
pub(crate) struct Gather {
    draft: Draft,
    current: Option<DraftTurn>,
    preamble: DraftTurn,
}

impl Gather {
    pub(crate) fn new() -> Self {
        Gather {
            draft: Draft::default(),
            current: None,
            preamble: DraftTurn::new(0, None, None),
        }
    }

    /// The open turn, if any.
    pub(crate) fn current(&mut self) -> Option<&mut DraftTurn> {
        self.current.as_mut()
    }

    /// Closes the open turn and opens `turn`.
    pub(crate) fn open(&mut self, turn: DraftTurn) {
        self.draft.turns.extend(self.current.replace(turn));
    }

    /// Adds a line of text (trimmed) to the open turn, or to the preamble before the first.
    pub(crate) fn text(&mut self, line: usize, text: &str, after_blank: bool) {
        let turn = self.current.as_mut().unwrap_or(&mut self.preamble);
        turn.push_line(line, text, after_blank);
    }

    /// The draft, the preamble read as notes or unlabelled turns ([`Draft::preamble`]).
    pub(crate) fn finish(mut self) -> Draft {
        self.draft.turns.extend(self.current);
        self.draft.preamble(self.preamble.paragraphs);
        self.draft
    }
}

/// A stamp found at `part` of `line` (a subslice of its text).
pub(crate) fn found_stamp(line: &lines::Line<'_>, part: &str) -> stamp::Found {
    let start = line.offset_of(part);
    stamp::Found {
        raw: part.to_owned(),
        line: Some(line.number),
        span: Some((start, start + part.len())),
    }
}

/// The steps every format shares: stage-note paragraphs out, text and spans, stamp status,
/// speakers, problems in line order.
fn finish(
    draft: Draft,
    format: TranscriptFormat,
    source: String,
    encoding: &str,
    mut problems: Vec<Problem>,
) -> Transcript {
    let Draft {
        turns: drafts,
        mut notes,
        problems: parse_problems,
        tiers,
        reading,
    } = draft;
    problems.extend(parse_problems);
    let mut turns = Vec::with_capacity(drafts.len());
    let mut found = Vec::with_capacity(drafts.len());
    for (index, d) in drafts.into_iter().enumerate() {
        let mut paragraphs = d.paragraphs.into_iter();
        let mut kept: Vec<String> = paragraphs.next().map(|(_, t)| t).into_iter().collect();
        for (line, text) in paragraphs {
            if is_stage_note(&text) {
                notes.push((line, text));
            } else {
                kept.push(text);
            }
        }
        let text = kept.join("\n\n");
        let spans = text_spans(&text);
        found.push(d.stamp);
        turns.push(Turn {
            index,
            line: d.line,
            speaker_raw: d.speaker_raw,
            speaker: None,
            uncertain: false,
            stated: Stamp::missing(),
            transcribed: has_words(&spans),
            text,
            spans,
        });
    }
    let turn_lines: Vec<usize> = turns.iter().map(|t| t.line).collect();
    // In an annotation file two speakers (tiers) may start together: overlapping speech.
    let voices: Option<Vec<Option<String>>> = format.carries_times().then(|| {
        turns
            .iter()
            .map(|t| {
                t.speaker_raw
                    .as_deref()
                    .map(|raw| speaker::key(&speaker::normalise(raw).name))
            })
            .collect()
    });
    let (stamps, stamp_problems) = stamp::check(found, &turn_lines, voices.as_deref());
    for (turn, s) in turns.iter_mut().zip(stamps) {
        turn.stated = s;
    }
    problems.extend(stamp_problems);
    let (speaker_groups, speaker_problems) = speaker::assign(&mut turns);
    problems.extend(speaker_problems);
    if turns.is_empty()
        && !problems
            .iter()
            .any(|p| FATAL_KINDS.contains(&p.kind.as_str()))
    {
        problems.push(Problem {
            line: 0,
            kind: "no_turns".into(),
            message: format!(
                "no turns found reading it as {}; expected speaker labels with stamps, \
                 `Speaker: text` lines, subtitles, or paragraphs of text",
                format.name()
            ),
            suggestion: Some("check the file, or name its format with --transcript-format".into()),
            severity: Severity::Error,
        });
    }
    problems.sort_by_key(|p| p.line);
    notes.sort_by_key(|n| n.0);
    Transcript {
        format,
        turns,
        notes,
        speaker_groups,
        problems,
        tiers,
        reading,
        source,
        encoding: encoding.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.txt");
        assert!(matches!(read(&missing, None), Err(Error::NotFound { .. })));
        assert!(matches!(
            read(dir.path(), None),
            Err(Error::IsDirectory { .. })
        ));
        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, "").unwrap();
        assert!(matches!(read(&empty, None), Err(Error::EmptyFile { .. })));
        let blank = dir.path().join("blank.txt");
        std::fs::write(&blank, "\u{feff} \r\n\t\n").unwrap();
        let e = read(&blank, None).unwrap_err();
        assert!(
            e.to_string()
                .contains("blank.txt:0: file holds only whitespace, no text; check"),
            "{e}"
        );
        assert!(e.is_input_error());
    }

    #[test]
    fn devices_and_empty_pipes_are_named_for_what_they_are() {
        let e = read(Path::new("/dev/zero"), None).unwrap_err();
        assert!(e.to_string().contains("character device"), "{e}");
        assert!(!e.to_string().contains("0 bytes"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("t.fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = read(&fifo, None).unwrap_err();
            assert!(e.to_string().contains("the pipe gave no data"), "{e}");
            assert!(e.is_input_error());
        }
    }

    #[test]
    fn a_file_over_the_limit_is_refused_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.txt");
        let f = std::fs::File::create(&big).unwrap();
        // Sparse: the size is there, the bytes never are.
        f.set_len(MAX_BYTES as u64 + 1).unwrap();
        let started = std::time::Instant::now();
        let e = read(&big, None).unwrap_err();
        assert!(e.to_string().contains("over the 64 MB limit"), "{e}");
        assert!(started.elapsed().as_millis() < 1000);
    }

    #[test]
    fn broken_json_says_what_where_and_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            (
                "cut.json",
                "{\"turns\": [\n  {\"text\": \"Hello\"},\n",
                3,
                "ends before",
            ),
            (
                "typed.json",
                "{\"turns\": [\n  {\"text\": 5}\n]}",
                2,
                "wrong shape",
            ),
            ("list.json", "{\"turns\": {}}\n", 1, "wrong shape"),
        ];
        for (name, text, line, what) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let e = read(&path, None).unwrap_err().to_string();
            assert!(e.contains(&format!("{name}:{line}: ")), "{e}");
            assert!(e.contains(what), "{e}");
            assert!(e.contains("talign align --format json"), "{e}");
        }
    }

    #[test]
    fn times_past_the_recording_are_refused_in_one_clean_sentence() {
        let grid = "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\n0\n20\n<exists>\n1\n\
                    \"IntervalTier\"\n\"Kerry\"\n0\n20\n2\n0\n15.5\n\"Hello.\"\n15.5\n20\n\"Bye.\"\n";
        let t = parse(grid, None);
        assert_eq!(t.format, TranscriptFormat::Textgrid);
        let path = Path::new("late.TextGrid");
        assert!(refuse_times_past_end(&t, path, 16.0).is_ok());
        let e = refuse_times_past_end(&t, path, 12.0)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "late.TextGrid:16: turn 2 starts at 0:00:15.500 (15.500 s), past the end of the \
             recording (12.000 s); the textgrid file belongs to another recording or its times \
             are off: give the recording it was made for, or correct its times"
        );
        assert!(!e.contains("  "), "{e}");
    }

    #[test]
    fn a_binary_textgrid_is_named_for_what_it_is() {
        let bytes = b"ooBinaryFile\x08TextGrid\x00\x00\x00\x00\x00\x00\x00\x00\x40\x10";
        let path = Path::new("b.TextGrid");
        for format in [None, Some(TranscriptFormat::Textgrid)] {
            let e = read_bytes(bytes, path, format).unwrap_err();
            assert!(
                e.to_string().starts_with(
                    "b.TextGrid:1: this is a binary Praat TextGrid (`ooBinaryFile`), which \
                     talign does not read; open it in Praat"
                ),
                "{e}"
            );
            assert!(e.is_input_error());
        }
        // Named as something else, it is binary data like any other.
        let e = read_bytes(bytes, path, Some(TranscriptFormat::Plain)).unwrap_err();
        assert!(e.to_string().contains("binary data (a NUL byte)"), "{e}");
    }

    #[test]
    fn parse_never_fails_and_flags_no_turns() {
        let t = parse("Just a title", Some(TranscriptFormat::Block));
        assert!(t.turns.is_empty());
        assert_eq!(t.problems.last().unwrap().kind, "no_turns");
        assert_eq!(t.notes, [(1, "Just a title".to_owned())]);
    }
}
