//! What `talign lint` shows: the turns as talign read them and every problem, as a table for
//! people or JSON for tools. Kept in the library so the JSON shape is tested and reusable.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::{
    Problem, Severity, SpeakerGroup, StampStatus, TierInfo, Transcript, TranscriptFormat, Turn,
    printable,
};

/// The JSON `talign lint --format json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintReport {
    /// The transcript path as given.
    pub path: String,
    /// The parser used.
    pub format: TranscriptFormat,
    /// The encoding the file was read in.
    pub encoding: String,
    /// Every turn, in order.
    pub turns: Vec<LintTurn>,
    /// Text that is nobody's words (title, stage notes).
    pub notes: Vec<LintNote>,
    /// Spellings counted as one speaker.
    pub speaker_groups: Vec<SpeakerGroup>,
    /// Every problem, in line order.
    pub problems: Vec<Problem>,
    /// Tiers of an annotation file (TextGrid, EAF, ASS, oTranscribe) and what each gave;
    /// left out for text formats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<TierInfo>,
    /// Readings chosen where the file allowed more than one, and why; left out when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reading: Vec<String>,
}

/// One turn in the lint report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintTurn {
    /// 0-based index.
    pub index: usize,
    /// 1-based line where the turn starts.
    pub line: usize,
    /// Label as written.
    pub speaker_raw: Option<String>,
    /// Normalised speaker.
    pub speaker: Option<String>,
    /// The label is a guess.
    pub uncertain: bool,
    /// The stated stamp.
    pub stamp: LintStamp,
    /// False for turns standing for untranscribed speech.
    pub transcribed: bool,
    /// Number of spoken words.
    pub words: usize,
    /// The text as written.
    pub text: String,
}

/// A turn's stamp in the lint report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintStamp {
    /// As written, `null` when missing.
    pub raw: Option<String>,
    /// Seconds, when valid.
    pub seconds: Option<f64>,
    /// ok / invalid / out_of_order / duplicate / missing.
    pub status: StampStatus,
    /// Line of the stamp.
    pub line: Option<usize>,
}

/// A note in the lint report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintNote {
    /// 1-based line.
    pub line: usize,
    /// The note's text.
    pub text: String,
}

/// Builds the report for `transcript`, read from `path`.
pub fn report(transcript: &Transcript, path: &str) -> LintReport {
    LintReport {
        path: path.to_owned(),
        format: transcript.format,
        encoding: transcript.encoding.clone(),
        turns: transcript.turns.iter().map(lint_turn).collect(),
        notes: transcript
            .notes
            .iter()
            .map(|(line, text)| LintNote {
                line: *line,
                text: text.clone(),
            })
            .collect(),
        speaker_groups: transcript.speaker_groups.clone(),
        problems: transcript.problems.clone(),
        tiers: transcript.tiers.clone(),
        reading: transcript.reading.clone(),
    }
}

/// What was read beyond the turns, one line each, for people: every tier (kind, speaker,
/// turns, or why it was not read), then every reading chosen and why. Empty for a text
/// transcript read the one obvious way.
pub fn read_summary(transcript: &Transcript) -> Vec<String> {
    let mut out = Vec::new();
    for t in &transcript.tiers {
        let what = match (&t.ignored, &t.speaker) {
            (Some(why), _) => format!("not read: {why}"),
            (None, Some(s)) => format!("{} turn(s) by {}", t.turns, printable(s)),
            (None, None) => format!("{} turn(s), speakers from labels if any", t.turns),
        };
        out.push(format!(
            "tier \"{}\" ({}, line {}): {what}",
            printable(&t.name),
            t.kind,
            t.line
        ));
    }
    out.extend(transcript.reading.iter().map(|r| printable(r).into_owned()));
    out
}

fn lint_turn(t: &Turn) -> LintTurn {
    LintTurn {
        index: t.index,
        line: t.line,
        speaker_raw: t.speaker_raw.clone(),
        speaker: t.speaker.clone(),
        uncertain: t.uncertain,
        stamp: LintStamp {
            raw: t.stated.raw.clone(),
            seconds: t.stated.seconds.map(crate::time::round_ms),
            status: t.stated.status,
            line: t.stated.line,
        },
        transcribed: t.transcribed,
        words: t.word_count(),
        text: t.text.clone(),
    }
}

/// One problem as a line (plus a suggestion line): `path:line: message`, with `warning: `
/// before the message for warnings, compiler style so editors can jump to it. Control
/// characters from the transcript are escaped ([`printable`]).
pub fn format_problem(path: &str, p: &Problem) -> String {
    let level = match p.severity {
        Severity::Warning => "warning: ",
        Severity::Error => "",
    };
    let mut out = format!(
        "{}:{}: {level}{}",
        printable(path),
        p.line,
        printable(&p.message)
    );
    if let Some(s) = &p.suggestion {
        let _ = write!(out, "\n  suggestion: {}", printable(s));
    }
    out
}

/// The snake_case name of a stamp status, as in JSON.
pub fn status_name(status: StampStatus) -> &'static str {
    match status {
        StampStatus::Ok => "ok",
        StampStatus::Invalid => "invalid",
        StampStatus::OutOfOrder => "out_of_order",
        StampStatus::Duplicate => "duplicate",
        StampStatus::Missing => "missing",
    }
}

/// The turns as a table: index, line, `?` for a guessed speaker, speaker (`raw → normalised`
/// when they differ), stamp, status, whether the turn is transcribed speech, first words.
pub fn table(transcript: &Transcript) -> String {
    let rows: Vec<[String; 8]> = transcript
        .turns
        .iter()
        .map(|t| {
            let speaker = match (&t.speaker_raw, &t.speaker) {
                (Some(raw), Some(name)) if raw.trim() != name => format!("{} → {name}", raw.trim()),
                (_, Some(name)) => name.clone(),
                _ => "-".to_owned(),
            };
            [
                t.index.to_string(),
                t.line.to_string(),
                if t.uncertain { "?" } else { "" }.to_owned(),
                clip(&speaker, 44),
                t.stated
                    .raw
                    .as_deref()
                    .map_or_else(|| "-".to_owned(), |raw| clip(raw, 24)),
                status_name(t.stated.status).to_owned(),
                if t.transcribed { "yes" } else { "no" }.to_owned(),
                clip(&t.text.split_whitespace().collect::<Vec<_>>().join(" "), 60),
            ]
        })
        .collect();
    let header = [
        "#", "line", "?", "speaker", "stamp", "status", "speech", "text",
    ];
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut push_row = |cells: [&str; 8]| {
        for (k, cell) in cells.iter().enumerate() {
            let pad = widths[k].saturating_sub(cell.chars().count());
            let last = k == cells.len() - 1;
            if k < 2 {
                let _ = write!(out, "{}{cell}  ", " ".repeat(pad));
            } else if last {
                out.push_str(cell);
            } else {
                let _ = write!(out, "{cell}{}  ", " ".repeat(pad));
            }
        }
        out.push('\n');
    };
    push_row(header);
    for row in &rows {
        push_row(row.each_ref().map(String::as_str));
    }
    out
}

/// `s` with control characters escaped ([`printable`]), cut to at most `max` characters,
/// with `…` when cut.
fn clip(s: &str, max: usize) -> String {
    let s = printable(s);
    if s.chars().count() <= max {
        return s.into_owned();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::parse;

    #[test]
    fn table_and_json_agree_with_the_transcript() {
        let t = parse(
            "Kerry\n\n[01:55]\n\nI understand.\n\nKeirry?\n\n[01:50]\n\nSpeaks Arabic\n\nKerry\n\n[02:00]\n\nOk.\n",
            None,
        );
        let table = table(&t);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].starts_with("#  line  ?  speaker"));
        assert!(
            lines[2].contains("?  Keirry? → Kerry  [01:50]  out_of_order  no      Speaks Arabic"),
            "{}",
            lines[2]
        );
        let r = report(&t, "t.txt");
        assert_eq!(r.turns[1].stamp.status, StampStatus::OutOfOrder);
        assert_eq!(r.turns[0].words, 2);
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<LintReport>(&json).unwrap(), r);
    }

    #[test]
    fn problems_read_like_compiler_messages() {
        let p = Problem {
            line: 603,
            kind: "invalid_stamp".into(),
            message: "timestamp [31:99] has 99 seconds; treated as missing".into(),
            suggestion: Some("correct it".into()),
            severity: Severity::Error,
        };
        assert_eq!(
            format_problem("k.txt", &p),
            "k.txt:603: timestamp [31:99] has 99 seconds; treated as missing\n  suggestion: correct it"
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let t = parse("A\u{1b}]0;pwned\u{7}: [-1:00] Hi \u{1b}[2J there.\n", None);
        let table = table(&t);
        assert!(
            !table.contains('\u{1b}') && !table.contains('\u{7}'),
            "{table}"
        );
        assert!(table.contains("A\\u{1b}]0;pwned\\u{7}"), "{table}");
        let p = Problem {
            line: 1,
            kind: "x".into(),
            message: "label \u{1b}]0;t\u{7}".into(),
            suggestion: Some("\u{9b}31m".into()),
            severity: Severity::Warning,
        };
        let shown = format_problem("t\u{1b}.txt", &p);
        assert_eq!(
            shown,
            "t\\u{1b}.txt:1: warning: label \\u{1b}]0;t\\u{7}\n  suggestion: \\u{9b}31m"
        );
    }

    #[test]
    fn clip_counts_characters() {
        assert_eq!(clip("ééééé", 3), "éé…");
        assert_eq!(clip("abc", 3), "abc");
    }
}
