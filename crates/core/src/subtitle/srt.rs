//! SubRip: blocks of `number`, `START --> END [X1:.. Y1:..]`, text lines, a blank line.

use super::timecode::TimeStyle;
use super::{Cue, ParseError, Parsed, SubtitleFormat, lines_at, strip_markup, timing_line};

/// Reads SubRip text. A cue number is optional; a timing line inside a cue's text (the
/// blank line before it missing) starts a new cue, with a warning.
pub(super) fn parse(text: &str) -> Result<Parsed, ParseError> {
    let lines = lines_at(text);
    let mut out = Parsed::default();
    let mut i = 0;
    while i < lines.len() {
        let (_, raw) = lines[i];
        let line = raw.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            i += 1;
            continue;
        }
        let cue = out.cues.len();
        let number = cue + 1;
        let id = if line.contains("-->") {
            None
        } else if is_number(line) {
            i += 1;
            match lines.get(i) {
                Some((_, next)) if next.contains("-->") => Some(line.to_string()),
                _ => {
                    return Err((
                        i,
                        format!(
                            "cue {number}: number `{line}` is not followed by a timing line \
                             `HH:MM:SS,mmm --> HH:MM:SS,mmm`"
                        ),
                    ));
                }
            }
        } else {
            return Err((
                i + 1,
                format!(
                    "`{line}` where cue {number} should start: expected its number or its timing \
                     line `HH:MM:SS,mmm --> HH:MM:SS,mmm` (is a blank line misplaced, or is this \
                     not an SRT file?)"
                ),
            ));
        };
        let (at, timing) = lines[i];
        let (start_ms, end_ms, slots, settings) = timing_line(timing, at, cue, i + 1)?;
        let line_no = i + 1;
        i += 1;
        let mut text_lines: Vec<&str> = Vec::new();
        while i < lines.len() && !lines[i].1.trim().is_empty() {
            if lines[i].1.contains("-->") && looks_like_timing(lines[i].1) {
                // A missing blank line: the number just read belongs to the next cue.
                if text_lines.last().is_some_and(|l| is_number(l.trim())) {
                    text_lines.pop();
                    i -= 1;
                }
                out.warnings.push(format!(
                    "line {}: cue {} begins without a blank line before it",
                    i + 1,
                    number + 1
                ));
                break;
            }
            text_lines.push(lines[i].1);
            i += 1;
        }
        out.slots.extend(slots);
        out.cues.push(Cue {
            number,
            line: line_no,
            start_ms,
            end_ms,
            id,
            text: text_lines.join("\n"),
            settings,
            name: None,
        });
    }
    Ok(out)
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A line that starts with a digit and holds `-->`: a timing line, not text that happens to
/// hold an arrow.
fn looks_like_timing(line: &str) -> bool {
    line.trim_start().starts_with(|c: char| c.is_ascii_digit())
}

/// The cues as a new SubRip file, numbered from 1; text from another format loses the
/// markup SubRip cannot say.
pub(super) fn write(cues: &[Cue], from: SubtitleFormat) -> String {
    let mut out = String::new();
    for (n, cue) in cues.iter().enumerate() {
        let text = match from {
            SubtitleFormat::Ass => strip_markup(&cue.text),
            SubtitleFormat::Vtt => super::vtt::without_timestamps(&cue.text),
            SubtitleFormat::Srt => cue.text.clone(),
        };
        out.push_str(&format!(
            "{}\n{} --> {}\n{}\n\n",
            n + 1,
            TimeStyle::SRT.format(cue.start_ms),
            TimeStyle::SRT.format(cue.end_ms),
            text.trim_end()
        ));
    }
    out
}
