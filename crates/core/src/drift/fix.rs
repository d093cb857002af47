//! Rewriting a transcript with the suggested stamps, byte for byte otherwise.
//!
//! [`fix_transcript`] copies [`Transcript::source`] and replaces only the byte ranges of the
//! stamps that [`check`](super::check) suggested a correction for. With `fill_missing` it
//! also adds a stamp to each turn that has none, laid out the way the file lays out its
//! stamps and with the file's line endings. [`transcript::encode`](crate::transcript::encode)
//! turns the text back into the file's encoding.

use serde::{Deserialize, Serialize};

use super::{DriftReport, DriftStatus};
use crate::transcript::{Transcript, TranscriptFormat, Turn};

/// One edit made by [`fix_transcript`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixChange {
    /// 1-based line of the stamp (of the turn, for an added stamp).
    pub line: usize,
    /// The stamp as it was, `None` for an added stamp.
    pub old: Option<String>,
    /// The stamp written.
    pub new: String,
}

/// The corrected transcript text and what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedText {
    /// The new text: the source with the edits applied.
    pub text: String,
    /// Every edit, in file order.
    pub changes: Vec<FixChange>,
    /// Suggestions that could not be applied, and why (`line 12: ...`).
    pub skipped: Vec<String>,
}

/// Applies the report's suggestions to the transcript's source.
///
/// Each stamp with a suggestion has its byte range (`Stamp::span`) replaced; nothing else
/// changes. A suggestion is skipped (and listed in [`FixedText::skipped`]) when the stamp's
/// range is unknown or no longer holds the stamp the report saw. With `fill_missing`, turns
/// without a stamp get one (for block and inline transcripts), placed as the file places
/// its stamps: in a block transcript on its own line after the speaker label, with the blank
/// lines the file uses around stamps; in an inline transcript before the line or after the
/// speaker label.
pub fn fix_transcript(
    transcript: &Transcript,
    report: &DriftReport,
    fill_missing: bool,
) -> FixedText {
    let source = &transcript.source;
    let lines = Lines::new(source);
    let mut edits: Vec<(usize, usize, String, FixChange)> = Vec::new();
    let mut skipped = Vec::new();
    let mut unplaced = 0usize;

    let layout = Layout::detect(transcript, &lines);
    for row in &report.stamps {
        let Some(new) = &row.suggestion else { continue };
        let Some(turn) = transcript.turns.get(row.turn) else {
            skipped.push(format!(
                "line {}: the report does not belong to this transcript",
                row.line
            ));
            continue;
        };
        if row.status == DriftStatus::Missing {
            if !fill_missing {
                continue;
            }
            match layout.insertion(turn, new, source, &lines) {
                Some((at, text)) => edits.push((
                    at,
                    at,
                    text,
                    FixChange {
                        line: turn.line,
                        old: None,
                        new: new.clone(),
                    },
                )),
                None => unplaced += 1,
            }
            continue;
        }
        let current = turn
            .stated
            .span
            .and_then(|(a, b)| source.get(a..b).map(|t| (a, b, t)));
        match current {
            Some((a, b, text)) if Some(text) == row.raw.as_deref() => edits.push((
                a,
                b,
                new.clone(),
                FixChange {
                    line: row.line,
                    old: row.raw.clone(),
                    new: new.clone(),
                },
            )),
            Some(_) => skipped.push(format!(
                "line {}: the stamp is no longer {}; check the transcript again",
                row.line,
                row.raw.as_deref().unwrap_or("there")
            )),
            None => skipped.push(format!(
                "line {}: position of {} unknown; change it to {new} by hand",
                row.line,
                row.raw.as_deref().unwrap_or("the stamp")
            )),
        }
    }
    if unplaced > 0 {
        skipped.push(format!(
            "{unplaced} missing stamps not added: no place for a stamp could be found in this {} transcript",
            format_name(transcript.format)
        ));
    }

    edits.sort_by_key(|e| (e.0, e.1));
    let mut text = String::with_capacity(source.len() + 16 * edits.len());
    let mut changes = Vec::with_capacity(edits.len());
    let mut at = 0;
    for (a, b, new, change) in edits {
        if a < at {
            skipped.push(format!(
                "line {}: overlaps another edit; left as is",
                change.line
            ));
            continue;
        }
        text.push_str(&source[at..a]);
        text.push_str(&new);
        at = b;
        changes.push(change);
    }
    text.push_str(&source[at..]);
    FixedText {
        text,
        changes,
        skipped,
    }
}

fn format_name(format: TranscriptFormat) -> &'static str {
    match format {
        TranscriptFormat::Block => "block",
        TranscriptFormat::Inline => "inline",
        TranscriptFormat::Plain => "plain",
        TranscriptFormat::Srt => "SRT",
        TranscriptFormat::Vtt => "WebVTT",
        TranscriptFormat::Json => "JSON",
        TranscriptFormat::Textgrid => "TextGrid",
        TranscriptFormat::Eaf => "EAF",
        TranscriptFormat::Ass => "ASS",
        TranscriptFormat::Otr => "oTranscribe",
    }
}

/// Line starts of a text, for 1-based line lookups.
struct Lines {
    starts: Vec<usize>,
    len: usize,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        if starts.last() == Some(&text.len()) && !text.is_empty() {
            starts.pop();
        }
        Lines {
            starts,
            len: text.len(),
        }
    }

    /// Byte range of 1-based `line` without its terminator, and the start of the next line.
    fn bounds<'a>(&self, text: &'a str, line: usize) -> Option<(usize, &'a str, usize)> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let next = self.starts.get(line).copied().unwrap_or(self.len);
        let body = text[start..next].trim_end_matches(['\n', '\r']);
        Some((start, body, next))
    }

    fn is_blank(&self, text: &str, line: usize) -> bool {
        self.bounds(text, line)
            .is_some_and(|(_, body, _)| body.trim().is_empty())
    }
}

/// Where a file puts its stamps, learnt from the stamps it has.
enum Layout {
    /// Block transcript: stamp on its own line under the label.
    Block {
        blank_before: bool,
        blank_after: bool,
        eol: &'static str,
    },
    /// Inline: stamp at the start of the line, followed by `sep`.
    Prefix { sep: String },
    /// Inline: stamp after the speaker label, preceded by `sep`.
    AfterLabel { sep: String },
    /// No known place.
    None,
}

impl Layout {
    fn detect(transcript: &Transcript, lines: &Lines) -> Layout {
        let text = &transcript.source;
        match transcript.format {
            TranscriptFormat::Block => {
                let (mut before, mut after, mut seen) = (0, 0, 0);
                for turn in &transcript.turns {
                    let Some(l) = turn.stated.line.filter(|&l| l > turn.line) else {
                        continue;
                    };
                    seen += 1;
                    if l > turn.line + 1 && lines.is_blank(text, l - 1) {
                        before += 1;
                    }
                    if lines.is_blank(text, l + 1) {
                        after += 1;
                    }
                }
                // Without stamps to learn from, follow the file's own paragraph layout: a
                // blank line between label and text means blank lines around the stamp.
                let blank_default = transcript
                    .turns
                    .first()
                    .is_some_and(|t| lines.is_blank(text, t.line + 1));
                Layout::Block {
                    blank_before: if seen > 0 {
                        2 * before >= seen
                    } else {
                        blank_default
                    },
                    blank_after: if seen > 0 {
                        2 * after >= seen
                    } else {
                        blank_default
                    },
                    eol: line_ending(text),
                }
            }
            TranscriptFormat::Inline => {
                let mut prefix: Vec<String> = Vec::new();
                let mut after: Vec<String> = Vec::new();
                for turn in &transcript.turns {
                    let (Some((a, b)), Some((start, _, next))) =
                        (turn.stated.span, lines.bounds(text, turn.line))
                    else {
                        continue;
                    };
                    if a < start || b > next {
                        continue;
                    }
                    if a == start {
                        let rest = &text[b..next];
                        let sep_len = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                        prefix.push(rest[..sep_len].to_owned());
                    } else if let Some(label) = &turn.speaker_raw
                        && text[start..a].starts_with(label.as_str())
                    {
                        let sep = &text[start + label.len()..a];
                        if sep.trim().is_empty() {
                            after.push(sep.to_owned());
                        }
                    }
                }
                let most = |v: &[String]| {
                    let mut best = (String::from(" "), 0);
                    for s in v {
                        let n = v.iter().filter(|t| *t == s).count();
                        if n > best.1 {
                            best = (s.clone(), n);
                        }
                    }
                    best.0
                };
                if prefix.is_empty() && after.is_empty() {
                    Layout::Prefix { sep: " ".into() }
                } else if prefix.len() >= after.len() {
                    Layout::Prefix { sep: most(&prefix) }
                } else {
                    Layout::AfterLabel { sep: most(&after) }
                }
            }
            _ => Layout::None,
        }
    }

    /// Where and what to insert to give `turn` the stamp `stamp`.
    fn insertion(
        &self,
        turn: &Turn,
        stamp: &str,
        text: &str,
        lines: &Lines,
    ) -> Option<(usize, String)> {
        let (start, body, next) = lines.bounds(text, turn.line)?;
        match self {
            Layout::Block {
                blank_before,
                blank_after,
                eol,
            } => {
                let terminated = next > start + body.len();
                let mut out = String::new();
                if !terminated {
                    out.push_str(eol);
                }
                if *blank_before {
                    // After the blank lines that follow the label.
                    let mut line = turn.line + 1;
                    while line <= lines.starts.len() && lines.is_blank(text, line) {
                        line += 1;
                    }
                    let had_blank = line > turn.line + 1;
                    let at = lines.starts.get(line - 1).copied().unwrap_or(lines.len);
                    if !had_blank {
                        out.push_str(eol);
                    }
                    out.push_str(stamp);
                    out.push_str(eol);
                    if *blank_after && at < lines.len {
                        out.push_str(eol);
                    }
                    Some((at, out))
                } else {
                    out.push_str(stamp);
                    out.push_str(eol);
                    if *blank_after && next < lines.len && !lines.is_blank(text, turn.line + 1) {
                        out.push_str(eol);
                    }
                    Some((next, out))
                }
            }
            Layout::Prefix { sep } => Some((start, format!("{stamp}{sep}"))),
            Layout::AfterLabel { sep } => {
                let label = turn.speaker_raw.as_deref()?;
                body.starts_with(label)
                    .then(|| (start + label.len(), format!("{sep}{stamp}")))
            }
            Layout::None => None,
        }
    }
}

/// The file's dominant line ending: `\r\n` when most lines end so, else `\n`.
pub(crate) fn line_ending(text: &str) -> &'static str {
    let lf = text.matches('\n').count();
    let crlf = text.matches("\r\n").count();
    if crlf * 2 > lf { "\r\n" } else { "\n" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings() {
        assert_eq!(line_ending("a\r\nb\r\nc\n"), "\r\n");
        assert_eq!(line_ending("a\nb\r\n"), "\n");
        assert_eq!(line_ending("no newline"), "\n");
    }

    #[test]
    fn lines_bounds() {
        let text = "a\r\n\r\nbc\nlast";
        let lines = Lines::new(text);
        assert_eq!(lines.bounds(text, 1), Some((0, "a", 3)));
        assert!(lines.is_blank(text, 2));
        assert_eq!(lines.bounds(text, 3), Some((5, "bc", 8)));
        assert_eq!(lines.bounds(text, 4), Some((8, "last", 12)));
        assert_eq!(lines.bounds(text, 5), None);
        assert_eq!(lines.bounds(text, 0), None);
    }
}
