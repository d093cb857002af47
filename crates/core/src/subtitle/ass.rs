//! ASS and SSA: sections in brackets; in `[Events]`, a `Format:` line names the fields and
//! each `Dialogue:` line is a cue (`Comment:` lines are not shown, and are kept as written).

use super::timecode::{self, TimeStyle};
use super::{Cue, ParseError, Parsed, Slot, SlotKind, SubtitleFormat, lines_at};

/// Reads ASS/SSA text.
pub(super) fn parse(text: &str) -> Result<Parsed, ParseError> {
    let mut out = Parsed::default();
    let mut in_events = false;
    // Field names of the events, once the `Format:` line is read.
    let mut fields: Option<Vec<String>> = None;
    for (n, (at, raw)) in lines_at(text).into_iter().enumerate() {
        let line_no = n + 1;
        let line = raw.trim_start_matches('\u{feff}');
        let trimmed = line.trim();
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            in_events = trimmed.eq_ignore_ascii_case("[events]");
            continue;
        }
        if !in_events {
            continue;
        }
        if let Some(rest) = strip_key(line, "Format") {
            fields = Some(
                rest.split(',')
                    .map(|f| f.trim().to_ascii_lowercase())
                    .collect(),
            );
            continue;
        }
        let Some(rest) = strip_key(line, "Dialogue") else {
            continue;
        };
        let cue = out.cues.len();
        let number = cue + 1;
        let Some(names) = &fields else {
            return Err((
                line_no,
                format!(
                    "cue {number}: `Dialogue:` before the [Events] section's `Format:` line; \
                     add `Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, \
                     Effect, Text` above it"
                ),
            ));
        };
        let index = |name: &str| names.iter().position(|f| f == name);
        let (Some(si), Some(ei)) = (index("start"), index("end")) else {
            return Err((
                line_no,
                "the events' `Format:` line names no `Start` or no `End` field".into(),
            ));
        };
        let ti = index("text").unwrap_or(names.len() - 1);
        // `Name` in ASS, `Actor` in some SSA writers.
        let ni = index("name").or_else(|| index("actor"));
        // Fields split on the first commas; the text (last) keeps its own commas.
        let body_at = at + (raw.len() - rest.len());
        let mut parts: Vec<(usize, &str)> = Vec::with_capacity(names.len());
        let mut from = 0;
        for k in 0..names.len() {
            if k + 1 == names.len() {
                parts.push((from, &rest[from..]));
                break;
            }
            match rest[from..].find(',') {
                Some(c) => {
                    parts.push((from, &rest[from..from + c]));
                    from += c + 1;
                }
                None => {
                    parts.push((from, &rest[from..]));
                    break;
                }
            }
        }
        if parts.len() <= si.max(ei) {
            return Err((
                line_no,
                format!(
                    "cue {number}: `Dialogue:` has {} fields, fewer than its `Format:` line's {}",
                    parts.len(),
                    names.len()
                ),
            ));
        }
        let time = |k: usize, which: &str| -> Result<(i64, TimeStyle, usize, usize), ParseError> {
            let (off, field) = parts[k];
            let t = field.trim();
            let start = body_at + off + field.find(t).unwrap_or(0);
            let (ms, style) = timecode::parse_ass(t)
                .map_err(|e| (line_no, format!("cue {number}: {which} time {e}")))?;
            Ok((ms, style, start, start + t.len()))
        };
        let (start_ms, start_style, s0, s1) = time(si, "start")?;
        let (end_ms, end_style, e0, e1) = time(ei, "end")?;
        if end_ms < start_ms {
            return Err((
                line_no,
                format!(
                    "cue {number}: ends ({}) before it starts ({}); fix its times",
                    parts[ei].1.trim(),
                    parts[si].1.trim()
                ),
            ));
        }
        out.slots.push(Slot {
            range: s0..s1,
            cue,
            kind: SlotKind::Start,
            style: start_style,
        });
        out.slots.push(Slot {
            range: e0..e1,
            cue,
            kind: SlotKind::End,
            style: end_style,
        });
        out.cues.push(Cue {
            number,
            line: line_no,
            start_ms,
            end_ms,
            id: None,
            text: parts.get(ti).map_or("", |p| p.1).to_string(),
            settings: String::new(),
            name: ni
                .and_then(|k| parts.get(k))
                .map(|p| p.1.trim())
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
        });
    }
    Ok(out)
}

/// The rest of `line` after `key:` (case-insensitive key), or `None`.
fn strip_key<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let head = line.get(..key.len())?;
    if !head.eq_ignore_ascii_case(key) {
        return None;
    }
    line[key.len()..].strip_prefix(':')
}

/// An ASS style: its name and its text colour.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Style {
    /// The name events refer to (no commas: see [`field`]).
    pub name: String,
    /// Text colour as ASS writes it, `&HAABBGGRR` (alpha, blue, green, red).
    pub colour: String,
}

impl Style {
    /// White text, the one style of a converted file.
    pub(crate) fn default_style() -> Style {
        Style {
            name: "Default".into(),
            colour: "&H00FFFFFF".into(),
        }
    }
}

/// The `[Script Info]` and `[V4+ Styles]` sections with `styles` (Arial 20, outlined, at
/// the bottom centre; karaoke fills from red to each style's colour), and the `[Events]`
/// section's `Format:` line.
pub(crate) fn script_header(styles: &[Style]) -> String {
    let mut out = String::from(
        "[Script Info]\nScriptType: v4.00+\nWrapStyle: 0\nScaledBorderAndShadow: yes\n\n\
         [V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, \
         OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, \
         Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, \
         Encoding\n",
    );
    for style in styles {
        out.push_str(&format!(
            "Style: {},Arial,20,{},&H000000FF,&H00000000,&H00000000,0,0,0,\
             0,100,100,0,0,1,2,2,2,10,10,10,1\n",
            style.name, style.colour
        ));
    }
    out.push_str(
        "\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, \
         Effect, Text\n",
    );
    out
}

/// One `Dialogue:` line (with its `\n`): times in ASS's `H:MM:SS.cc`, `text` as it is.
pub(crate) fn dialogue(start_ms: i64, end_ms: i64, style: &str, name: &str, text: &str) -> String {
    format!(
        "Dialogue: 0,{},{},{style},{name},0,0,0,,{text}\n",
        TimeStyle::ASS.format(start_ms),
        TimeStyle::ASS.format(end_ms),
    )
}

/// `text` as a style or actor name: ASS separates fields with commas, so each becomes `;`,
/// and line breaks become spaces.
pub(crate) fn field(text: &str) -> String {
    text.replace(',', ";").replace(['\n', '\r'], " ")
}

/// Plain `text` as ASS event text that shows as written: `{` and `}` (which open and close
/// override tags) and `\` (which starts `\N`, `\h`) become their full-width forms
/// `｛ ｝ ＼`; line breaks become `\N`.
pub(crate) fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '{' => out.push('\u{ff5b}'),
            '}' => out.push('\u{ff5d}'),
            '\\' => out.push('\u{ff3c}'),
            '\n' => out.push_str("\\N"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// The cues as a new ASS file with one default style; line breaks become `\N`, italics and
/// bold become override tags, other markup is dropped.
pub(super) fn write(cues: &[Cue], from: SubtitleFormat) -> String {
    let mut out = script_header(&[Style::default_style()]);
    for cue in cues {
        let text = match from {
            SubtitleFormat::Ass => cue.text.clone(),
            SubtitleFormat::Vtt => ass_text(&super::vtt::without_timestamps(&cue.text)),
            SubtitleFormat::Srt => ass_text(&cue.text),
        };
        out.push_str(&dialogue(cue.start_ms, cue.end_ms, "Default", "", &text));
    }
    out
}

/// SRT/WebVTT cue text as ASS event text.
fn ass_text(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text.trim_end();
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        let tag = rest[open + 1..open + close].to_ascii_lowercase();
        out.push_str(match tag.as_str() {
            "i" => "{\\i1}",
            "/i" => "{\\i0}",
            "b" => "{\\b1}",
            "/b" => "{\\b0}",
            "u" => "{\\u1}",
            "/u" => "{\\u0}",
            _ => "",
        });
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out.replace("\r\n", "\\N").replace('\n', "\\N")
}
