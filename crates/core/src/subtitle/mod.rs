//! Subtitle files as they are: SubRip (`.srt`), WebVTT (`.vtt`) and ASS/SSA (`.ass`,
//! `.ssa`), read into one [`Subtitles`] model and written back with only the times changed.
//!
//! A file is kept as its decoded text plus the place of every timecode in it (a *slot*), so
//! writing it back changes nothing but the times: numbering, identifiers, cue settings,
//! markup, styles, comments, line endings, the byte-order mark and the encoding stay as they
//! were. Written in another format ([`Subtitles::render_as`]), the text and its line breaks
//! are carried over and markup the target has no way to say is dropped.
//!
//! Bad input is refused with the line and cue number (`Error::Transcript`, which the
//! command line maps to exit 2): timecodes that are not timecodes, negative times or times
//! past 100 hours, a cue ending before it starts, a WebVTT file without its `WEBVTT` header,
//! an ASS file whose events have no `Format:` line. What players accept is accepted with a
//! warning: a missing blank line between cues, overlapping cues, cues out of order.

pub(crate) mod ass;
mod srt;
pub(crate) mod timecode;
mod vtt;

use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::str::FromStr;

use crate::transcript::{decode, encode};
use crate::{Error, Result};
// The time limit every reader enforces, and the way each format writes a time (for callers
// that build subtitle text themselves, as the tests do, and must match what talign writes).
pub use timecode::{MAX_MS, TimeStyle};

/// A subtitle format talign reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubtitleFormat {
    /// SubRip: numbered cues, `HH:MM:SS,mmm` times.
    Srt,
    /// WebVTT: `WEBVTT` header, `HH:MM:SS.mmm` times, cue settings, inline timestamps.
    Vtt,
    /// Advanced SubStation Alpha (and SSA v4): `Dialogue:` events, `H:MM:SS.cc` times.
    Ass,
}

impl SubtitleFormat {
    /// Every format, in the order help texts list them.
    pub const ALL: [SubtitleFormat; 3] = [
        SubtitleFormat::Srt,
        SubtitleFormat::Vtt,
        SubtitleFormat::Ass,
    ];

    /// The name on the command line, which is also the usual extension.
    pub fn name(self) -> &'static str {
        match self {
            SubtitleFormat::Srt => "srt",
            SubtitleFormat::Vtt => "vtt",
            SubtitleFormat::Ass => "ass",
        }
    }

    /// The format a file name asks for (`.srt`, `.vtt`, `.ass`, `.ssa`; case-insensitive).
    pub fn from_extension(path: impl AsRef<Path>) -> Option<SubtitleFormat> {
        let ext = path.as_ref().extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "srt" => Some(SubtitleFormat::Srt),
            "vtt" => Some(SubtitleFormat::Vtt),
            "ass" | "ssa" => Some(SubtitleFormat::Ass),
            _ => None,
        }
    }

    /// The format the text looks like: `WEBVTT` first is WebVTT, a `[Script Info]` or
    /// `[Events]` section is ASS/SSA, anything else is read as SubRip.
    pub(crate) fn detect(text: &str) -> SubtitleFormat {
        let first = text
            .trim_start_matches('\u{feff}')
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        if first.starts_with("WEBVTT") {
            SubtitleFormat::Vtt
        } else if first.eq_ignore_ascii_case("[script info]")
            || text
                .lines()
                .any(|l| l.trim().eq_ignore_ascii_case("[events]"))
        {
            SubtitleFormat::Ass
        } else {
            SubtitleFormat::Srt
        }
    }
}

impl fmt::Display for SubtitleFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for SubtitleFormat {
    type Err = Error;

    fn from_str(s: &str) -> Result<SubtitleFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "srt" => Ok(SubtitleFormat::Srt),
            "vtt" | "webvtt" => Ok(SubtitleFormat::Vtt),
            "ass" | "ssa" => Ok(SubtitleFormat::Ass),
            _ => Err(Error::Invalid(format!(
                "unknown subtitle format `{s}`; use one of srt, vtt, ass"
            ))),
        }
    }
}

/// One cue: its times, and what it shows as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// 1-based position in the file (what messages call "cue N").
    pub number: usize,
    /// 1-based line of its timing line (ASS: its `Dialogue:` line).
    pub line: usize,
    /// Start, milliseconds.
    pub start_ms: i64,
    /// End, milliseconds.
    pub end_ms: i64,
    /// The SRT number or WebVTT identifier as written; `None` when there is none.
    pub id: Option<String>,
    /// The text as written, markup kept, lines joined by `\n` (ASS: the `Text` field).
    pub text: String,
    /// What follows the end time on the timing line (WebVTT cue settings, SRT positions),
    /// trimmed; empty when nothing does.
    pub settings: String,
    /// ASS/SSA: the event's `Name` (`Actor` in SSA) field, the speaker, when not empty;
    /// `None` in SubRip and WebVTT.
    pub name: Option<String>,
}

impl Cue {
    /// The words a viewer reads, for matching with speech: markup, sound descriptions in
    /// brackets or parentheses, music signs and dialogue dashes left out.
    pub fn spoken_words(&self) -> Vec<String> {
        spoken_words(&self.text)
    }
}

/// Where one timecode sits in the text, and what it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Slot {
    range: Range<usize>,
    cue: usize,
    kind: SlotKind,
    style: TimeStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SlotKind {
    Start,
    End,
    /// A WebVTT inline timestamp, with the time it was read as; it moves with its cue's start.
    Inline(i64),
}

/// A subtitle file: its cues, and everything else as it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Subtitles {
    /// The format it was read as.
    pub format: SubtitleFormat,
    /// Cues in file order. Change their `start_ms`/`end_ms`; [`Subtitles::render`] writes
    /// the new times into the original text.
    pub cues: Vec<Cue>,
    /// What was accepted but is not quite right (missing blank lines, overlapping cues,
    /// cues out of order), each with its line or cue number.
    pub warnings: Vec<String>,
    source: String,
    encoding: &'static str,
    slots: Vec<Slot>,
    /// Each cue's start as read (inline timestamps move by the start's shift).
    original_starts: Vec<i64>,
}

/// What a parser hands back: cues and slots over the text.
#[derive(Debug, Default)]
struct Parsed {
    cues: Vec<Cue>,
    slots: Vec<Slot>,
    warnings: Vec<String>,
}

/// A parse error: 1-based line and what is wrong (the message names the cue).
type ParseError = (usize, String);

/// The text's lines with the byte offset each starts at (`\n` or `\r\n` endings; the `\r`
/// is not part of the line).
fn lines_at(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for piece in text.split_inclusive('\n') {
        let line = piece.strip_suffix('\n').unwrap_or(piece);
        let line = line.strip_suffix('\r').unwrap_or(line);
        out.push((at, line));
        at += piece.len();
    }
    out
}

/// Reads a timing line `START --> END [settings]` that starts at byte `at` of the text:
/// the two times and their slots for cue `cue` (0-based), and the settings.
fn timing_line(
    line: &str,
    at: usize,
    cue: usize,
    line_no: usize,
) -> std::result::Result<(i64, i64, [Slot; 2], String), ParseError> {
    let number = cue + 1;
    let arrow = line.find("-->").ok_or_else(|| {
        (
            line_no,
            format!("cue {number}: `{line}` is not a timing line `START --> END`"),
        )
    })?;
    let left = &line[..arrow];
    let start_text = left.trim();
    let start_at = at + left.find(start_text).unwrap_or(0);
    let right = &line[arrow + 3..];
    let trimmed = right.trim_start();
    let end_text = trimmed.split_whitespace().next().unwrap_or("");
    let end_at = at + arrow + 3 + (right.len() - trimmed.len());
    let settings = trimmed[end_text.len()..].trim().to_string();
    let time = |s: &str, which: &str| {
        if s.is_empty() {
            return Err((
                line_no,
                format!("cue {number}: the {which} time is missing"),
            ));
        }
        timecode::parse(s).map_err(|e| (line_no, format!("cue {number}: {which} time {e}")))
    };
    let (start, start_style) = time(start_text, "start")?;
    let (end, end_style) = time(end_text, "end")?;
    if end < start {
        return Err((
            line_no,
            format!(
                "cue {number}: ends ({end_text}) before it starts ({start_text}); fix its times"
            ),
        ));
    }
    let slots = [
        Slot {
            range: start_at..start_at + start_text.len(),
            cue,
            kind: SlotKind::Start,
            style: start_style,
        },
        Slot {
            range: end_at..end_at + end_text.len(),
            cue,
            kind: SlotKind::End,
            style: end_style,
        },
    ];
    Ok((start, end, slots, settings))
}

impl Subtitles {
    /// Reads the subtitle file at `path`; `format` overrides what the text looks like. A
    /// WebVTT header or ASS sections decide the format; otherwise a `.vtt`, `.ass` or `.ssa`
    /// extension does (so a WebVTT file missing its header is reported as such), else SRT.
    pub fn read(path: &Path, format: Option<SubtitleFormat>) -> Result<Subtitles> {
        let (bytes, _) = crate::transcript::file::read_capped(path)?;
        Subtitles::decode_and_parse(&bytes, path, format, SubtitleFormat::from_extension(path))
    }

    /// Reads subtitle bytes already in memory; `path` only names them in errors.
    pub fn from_bytes(
        bytes: &[u8],
        path: &Path,
        format: Option<SubtitleFormat>,
    ) -> Result<Subtitles> {
        Subtitles::decode_and_parse(bytes, path, format, None)
    }

    /// [`Subtitles::from_bytes`]; `by_name` is the format the file name suggests, used when
    /// the text itself does not say.
    fn decode_and_parse(
        bytes: &[u8],
        path: &Path,
        format: Option<SubtitleFormat>,
        by_name: Option<SubtitleFormat>,
    ) -> Result<Subtitles> {
        let error = |line, message: String| Error::Transcript {
            path: path.to_owned(),
            line,
            message: crate::transcript::printable(&message).into_owned(),
        };
        if bytes.is_empty() {
            return Err(Error::EmptyFile {
                path: path.to_owned(),
            });
        }
        let decoded = decode(bytes).map_err(|e| error(e.line, e.message))?;
        let format = format.or_else(|| {
            let looks = SubtitleFormat::detect(&decoded.text);
            Some(match by_name {
                Some(name) if looks == SubtitleFormat::Srt => name,
                _ => looks,
            })
        });
        Subtitles::parse_text(decoded.text, decoded.encoding, format).map_err(|(l, m)| error(l, m))
    }

    /// Parses decoded text (`encoding` is what it is written back in).
    fn parse_text(
        text: String,
        encoding: &'static str,
        format: Option<SubtitleFormat>,
    ) -> std::result::Result<Subtitles, ParseError> {
        if text
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .is_empty()
        {
            return Err((0, "file holds only whitespace, no cues".into()));
        }
        let format = format.unwrap_or_else(|| SubtitleFormat::detect(&text));
        let parsed = match format {
            SubtitleFormat::Srt => srt::parse(&text)?,
            SubtitleFormat::Vtt => vtt::parse(&text)?,
            SubtitleFormat::Ass => ass::parse(&text)?,
        };
        if parsed.cues.is_empty() {
            return Err((
                0,
                format!(
                    "no cues found in this {} file; check that it is a subtitle file and its format",
                    format.name()
                ),
            ));
        }
        let mut warnings = parsed.warnings;
        warnings.extend(order_warnings(&parsed.cues));
        Ok(Subtitles {
            format,
            original_starts: parsed.cues.iter().map(|c| c.start_ms).collect(),
            cues: parsed.cues,
            warnings,
            source: text,
            encoding,
            slots: parsed.slots,
        })
    }

    /// Parses UTF-8 text (for tests, fuzzing and callers that hold text). `Err` gives the
    /// 1-based line (0: the whole file) and the message.
    pub fn parse(
        text: &str,
        format: Option<SubtitleFormat>,
    ) -> std::result::Result<Subtitles, (usize, String)> {
        Subtitles::parse_text(text.to_owned(), "utf-8", format)
    }

    /// The file's text with the cues' current times written in, everything else as read.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.source.len());
        let mut at = 0;
        // The start as written, so an end of coarser precision never reads back before it.
        let mut start_written = 0;
        for slot in &self.slots {
            out.push_str(&self.source[at..slot.range.start]);
            let cue = &self.cues[slot.cue];
            let ms = match slot.kind {
                SlotKind::Start => {
                    start_written = slot.style.quantise(cue.start_ms);
                    cue.start_ms
                }
                SlotKind::End if slot.style.quantise(cue.end_ms) < start_written => {
                    slot.style.at_least(start_written)
                }
                SlotKind::End => cue.end_ms,
                SlotKind::Inline(t) => t + cue.start_ms - self.original_starts[slot.cue],
            };
            out.push_str(&slot.style.format(ms));
            at = slot.range.end;
        }
        out.push_str(&self.source[at..]);
        out
    }

    /// [`Subtitles::render`] encoded as the file was (its encoding and byte-order mark).
    pub fn render_bytes(&self) -> Vec<u8> {
        encode(&self.render(), self.encoding)
    }

    /// The cues in `format`: the file itself ([`Subtitles::render_bytes`]) when it is the
    /// format read, else a new UTF-8 file with every cue's text and times.
    pub fn render_as(&self, format: SubtitleFormat) -> Vec<u8> {
        if format == self.format {
            return self.render_bytes();
        }
        let text = match format {
            SubtitleFormat::Srt => srt::write(&self.cues, self.format),
            SubtitleFormat::Vtt => vtt::write(&self.cues, self.format),
            SubtitleFormat::Ass => ass::write(&self.cues, self.format),
        };
        text.into_bytes()
    }
}

/// Warns about cues out of order and overlapping cues (legal, but worth knowing: sync keeps
/// overlaps as they were). These speak of what `sync` does; a transcript reader that orders
/// cues otherwise leaves them out.
pub(crate) fn order_warnings(cues: &[Cue]) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut overlaps = Vec::new();
    for pair in cues.windows(2) {
        if pair[1].start_ms < pair[0].start_ms {
            warnings.push(format!(
                "cue {} (line {}) starts before cue {}; cues are kept in file order",
                pair[1].number, pair[1].line, pair[0].number
            ));
        } else if pair[1].start_ms < pair[0].end_ms {
            overlaps.push(pair[1].number);
        }
    }
    if !overlaps.is_empty() {
        let shown: Vec<String> = overlaps.iter().take(8).map(ToString::to_string).collect();
        warnings.push(format!(
            "{} cue(s) overlap the cue before them (cue {}{}); overlaps are kept, never widened",
            overlaps.len(),
            shown.join(", "),
            if overlaps.len() > 8 { ", ..." } else { "" }
        ));
    }
    warnings
}

/// Cue text without markup: `<...>` tags, `{...}` ASS overrides, `\N`/`\n`/`\h` ASS breaks,
/// HTML entities WebVTT uses.
pub(crate) fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                for c in chars.by_ref() {
                    if c == '>' {
                        break;
                    }
                }
            }
            '{' if text.contains('}') => {
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                }
            }
            '\\' if matches!(chars.peek(), Some('N' | 'n')) => {
                chars.next();
                out.push('\n');
            }
            '\\' if chars.peek() == Some(&'h') => {
                chars.next();
                out.push(' ');
            }
            c => out.push(c),
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
}

/// The spoken words of a cue's text (see [`Cue::spoken_words`]).
pub(crate) fn spoken_words(text: &str) -> Vec<String> {
    spoken_tokens(text)
        .iter()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\''))
        .map(str::to_string)
        .collect()
}

/// The spoken words as written, their punctuation kept (`Well,`, `fine.`): the pauses a
/// cue's text writes, for aligning it as a transcript.
pub(crate) fn spoken_tokens(text: &str) -> Vec<String> {
    let plain = strip_markup(text);
    let mut kept = String::with_capacity(plain.len());
    let mut depth = 0usize;
    for c in plain.chars() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth = depth.saturating_sub(1),
            '♪' | '♫' | '#' => kept.push(' '),
            c if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    kept.split_whitespace()
        // A speaker label (`JOHN:`) is not spoken.
        .filter(|w| !w.ends_with(':') || w.chars().any(char::is_lowercase))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests;
