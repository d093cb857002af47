//! CSV (RFC 4180) and TSV: one row per turn, one writer for both.
//!
//! Columns: `index,line,speaker,speaker_raw,start,end,confidence,transcribed,stated_raw,
//! stated_s,stamp_status,text`. Times and confidence have 3 decimals; a missing value is
//! an empty field; `text` is exactly as written. CSV quotes a field holding a comma, quote
//! or line break (quotes doubled) and ends records with `\r\n`; TSV never quotes, writes
//! `\t`, `\n`, `\r` and `\\` inside a field as those two-character escapes, and ends
//! records with `\n`.

use super::{fixed3, to_ms};
use crate::report::{Alignment, TurnTiming};

/// Which of the two delimited formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// Comma-separated, RFC 4180.
    Csv,
    /// Tab-separated with backslash escapes.
    Tsv,
}

const HEADER: [&str; 12] = [
    "index",
    "line",
    "speaker",
    "speaker_raw",
    "start",
    "end",
    "confidence",
    "transcribed",
    "stated_raw",
    "stated_s",
    "stamp_status",
    "text",
];

/// Renders the alignment as CSV or TSV with a header row.
pub(super) fn render(alignment: &Alignment, dialect: Dialect) -> String {
    let mut out = String::new();
    let header = HEADER.map(String::from);
    write_record(&mut out, &header, dialect);
    for turn in &alignment.turns {
        write_record(&mut out, &fields(turn), dialect);
    }
    out
}

fn fields(turn: &TurnTiming) -> [String; 12] {
    let status = serde_json::to_value(turn.stated.status)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    [
        turn.index.to_string(),
        turn.line.to_string(),
        turn.speaker.clone().unwrap_or_default(),
        turn.speaker_raw.clone().unwrap_or_default(),
        fixed3(to_ms(turn.start)),
        fixed3(to_ms(turn.end)),
        format!("{:.3}", turn.confidence),
        turn.transcribed.to_string(),
        turn.stated.raw.clone().unwrap_or_default(),
        turn.stated
            .seconds
            .map(|s| fixed3(to_ms(s)))
            .unwrap_or_default(),
        status,
        turn.text.clone(),
    ]
}

pub(crate) fn write_record(out: &mut String, fields: &[String], dialect: Dialect) {
    for (k, field) in fields.iter().enumerate() {
        match dialect {
            Dialect::Csv => {
                if k > 0 {
                    out.push(',');
                }
                if field.contains([',', '"', '\n', '\r']) {
                    out.push('"');
                    out.push_str(&field.replace('"', "\"\""));
                    out.push('"');
                } else {
                    out.push_str(field);
                }
            }
            Dialect::Tsv => {
                if k > 0 {
                    out.push('\t');
                }
                for c in field.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
            }
        }
    }
    out.push_str(match dialect {
        Dialect::Csv => "\r\n",
        Dialect::Tsv => "\n",
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&str], dialect: Dialect) -> String {
        let fields: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
        let mut out = String::new();
        write_record(&mut out, &fields, dialect);
        out
    }

    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(
            record(&["a", "b,c", "say \"hi\"", "two\nlines", ""], Dialect::Csv),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n"
        );
    }

    #[test]
    fn tsv_escapes_separators() {
        assert_eq!(
            record(
                &["a\tb", "c\r\nd", "back\\slash", "\"as is\", ok"],
                Dialect::Tsv
            ),
            "a\\tb\tc\\r\\nd\tback\\\\slash\t\"as is\", ok\n"
        );
    }
}
