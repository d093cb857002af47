//! WebVTT: a `WEBVTT` header, then cues of optional identifier, `START --> END [settings]`
//! and payload; `NOTE`, `STYLE` and `REGION` blocks are kept as they are. Inline timestamps
//! (`<00:00:01.500>`) move with their cue.

use super::timecode::{self, TimeStyle};
use super::{
    Cue, ParseError, Parsed, Slot, SlotKind, SubtitleFormat, lines_at, strip_markup, timing_line,
};

/// Reads WebVTT text.
pub(super) fn parse(text: &str) -> Result<Parsed, ParseError> {
    let lines = lines_at(text);
    let header = lines
        .first()
        .map(|(_, l)| l.trim_start_matches('\u{feff}'))
        .unwrap_or("");
    let after = header.strip_prefix("WEBVTT");
    if !after.is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return Err((
            1,
            "a WebVTT file starts with the line `WEBVTT`; add it, or give --format of the file"
                .into(),
        ));
    }
    let mut out = Parsed::default();
    // The header runs to the first blank line.
    let mut i = 1;
    while i < lines.len() && !lines[i].1.trim().is_empty() {
        if lines[i].1.contains("-->") {
            return Err((
                i + 1,
                "a blank line must follow the `WEBVTT` header before the first cue".into(),
            ));
        }
        i += 1;
    }
    while i < lines.len() {
        let line = lines[i].1.trim();
        if line.is_empty() {
            i += 1;
            continue;
        }
        let keyword = |k: &str| {
            line.strip_prefix(k)
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
        };
        if (keyword("NOTE") || keyword("STYLE") || keyword("REGION")) && !line.contains("-->") {
            while i < lines.len() && !lines[i].1.trim().is_empty() {
                i += 1;
            }
            continue;
        }
        let cue = out.cues.len();
        let number = cue + 1;
        let id = if line.contains("-->") {
            None
        } else {
            i += 1;
            match lines.get(i) {
                Some((_, next)) if next.contains("-->") => Some(line.to_string()),
                _ => {
                    return Err((
                        i,
                        format!(
                            "cue {number}: `{line}` is not followed by a timing line \
                             `HH:MM:SS.mmm --> HH:MM:SS.mmm` (a blank line misplaced?)"
                        ),
                    ));
                }
            }
        };
        let (at, timing) = lines[i];
        let (start_ms, end_ms, slots, settings) = timing_line(timing, at, cue, i + 1)?;
        let line_no = i + 1;
        out.slots.extend(slots);
        i += 1;
        let mut text_lines: Vec<&str> = Vec::new();
        while i < lines.len() && !lines[i].1.trim().is_empty() {
            let (at, l) = lines[i];
            if l.contains("-->") {
                // A missing blank line: an identifier just read belongs to the next cue.
                if text_lines.len() > 1
                    && !text_lines.last().is_some_and(|t| t.contains('<'))
                    && text_lines.last().is_some_and(|t| !t.contains(' '))
                {
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
            inline_slots(l, at, cue, &mut out.slots);
            text_lines.push(l);
            i += 1;
        }
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

/// Slots for the inline timestamps `<[hh:]mm:ss.ttt>` in a payload line at byte `at` (kept
/// as read, even outside their cue: they move by their cue's shift). A tag that is not a
/// valid time is left as text.
fn inline_slots(line: &str, at: usize, cue: usize, slots: &mut Vec<Slot>) {
    let mut from = 0;
    while let Some(open) = line[from..].find('<') {
        let open = from + open;
        let Some(close) = line[open..].find('>') else {
            break;
        };
        let close = open + close;
        let inner = &line[open + 1..close];
        if inner.starts_with(|c: char| c.is_ascii_digit())
            && let Ok((ms, style)) = timecode::parse(inner)
        {
            slots.push(Slot {
                range: at + open + 1..at + close,
                cue,
                kind: SlotKind::Inline(ms),
                style,
            });
        }
        from = close + 1;
    }
}

/// Payload text without inline timestamps.
pub(super) fn without_timestamps(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        let tag = &rest[open..open + close + 1];
        if !tag[1..].starts_with(|c: char| c.is_ascii_digit()) {
            out.push_str(tag);
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The cues as a new WebVTT file; identifiers kept; ASS markup dropped.
pub(super) fn write(cues: &[Cue], from: SubtitleFormat) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for cue in cues {
        let text = match from {
            SubtitleFormat::Ass => strip_markup(&cue.text),
            _ => cue.text.clone(),
        };
        if let Some(id) = cue.id.as_deref().filter(|_| from == SubtitleFormat::Srt) {
            out.push_str(id);
            out.push('\n');
        }
        out.push_str(&format!(
            "{} --> {}\n{}\n\n",
            TimeStyle::VTT.format(cue.start_ms),
            TimeStyle::VTT.format(cue.end_ms),
            text.trim_end()
        ));
    }
    out
}
