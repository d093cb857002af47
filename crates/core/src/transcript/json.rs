//! talign's own JSON (the [`Alignment`](crate::report::Alignment) that `talign align --format
//! json` writes), read back into turns: `turns[].speaker_raw`, `text`, `stated.raw`, `line`.
//!
//! Only those fields are read and unknown fields are ignored, so a hand-edited or trimmed file
//! (no `audio`, no `start`/`end`) still reads; statuses, speakers, notes and words are worked
//! out again from what was written, exactly as for the original transcript. Lines are those
//! of the original transcript (0 when a turn has none), and stamps have no span: a JSON file
//! is rewritten by serialising it, not in place.

use serde::Deserialize;

use super::{Draft, DraftTurn, Problem, Severity, stamp};

#[derive(Deserialize)]
struct Document {
    turns: Vec<JsonTurn>,
}

#[derive(Deserialize)]
struct JsonTurn {
    #[serde(default)]
    line: Option<usize>,
    #[serde(default)]
    speaker_raw: Option<String>,
    #[serde(default)]
    speaker: Option<String>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    stated: Option<JsonStamp>,
}

#[derive(Deserialize)]
struct JsonStamp {
    #[serde(default)]
    raw: Option<String>,
}

/// Parses talign JSON; a document that does not parse gives an `unreadable` problem.
pub(crate) fn parse(source: &str) -> Draft {
    let mut draft = Draft::default();
    let text = source.trim_start_matches('\u{feff}');
    match serde_json::from_str::<Document>(text) {
        Ok(doc) => {
            for t in doc.turns {
                let line = t.line.unwrap_or(0);
                let raw = t
                    .stated
                    .and_then(|s| s.raw)
                    .filter(|r| !r.trim().is_empty());
                let found = raw.map(|raw| stamp::Found {
                    raw,
                    line: None,
                    span: None,
                });
                let mut turn = DraftTurn::new(line, t.speaker_raw.or(t.speaker), found);
                for (k, para) in t.text.split("\n\n").enumerate() {
                    let para = para.trim();
                    if !para.is_empty() {
                        turn.push_line(line, para, k > 0);
                    }
                }
                draft.turns.push(turn);
            }
        }
        Err(e) => draft.problems.push(unreadable(&e)),
    }
    draft
}

/// What is wrong with a document serde_json could not read, with its line, and what to do.
fn unreadable(e: &serde_json::Error) -> Problem {
    use serde_json::error::Category;
    // serde_json's message ends with " at line L column C"; the line is reported on its own.
    let detail = e.to_string();
    let detail = detail
        .rsplit_once(" at line ")
        .map_or(detail.as_str(), |(what, _)| what)
        .to_owned();
    let column = e.column();
    let (message, suggestion) = match e.classify() {
        Category::Eof => (
            format!("talign JSON ends before it is complete ({detail}); the file looks cut short"),
            "copy or download it again, or write it again with `talign align --format json`",
        ),
        Category::Data => (
            format!("talign JSON has the wrong shape at column {column}: {detail}"),
            "it needs `turns`, a list of objects with `text` (a string), optional \
             `speaker_raw`, `line` (a number) and `stated.raw` (a stamp), as \
             `talign align --format json` writes; or name the transcript's real format with \
             --transcript-format",
        ),
        Category::Syntax | Category::Io => (
            format!("not valid JSON at column {column}: {detail}"),
            "fix the JSON there, or give a file written by `talign align --format json`, or \
             name the transcript's real format with --transcript-format",
        ),
    };
    Problem {
        line: e.line(),
        kind: "unreadable".into(),
        message,
        suggestion: Some(suggestion.into()),
        severity: Severity::Error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_turns_back_ignoring_other_fields() {
        let src = r#"{"audio": {"path": "a.wav"}, "turns": [
            {"index": 0, "line": 15, "speaker": "Kerry", "speaker_raw": "Kerry?",
             "text": "I understand ...\n\nMore.", "transcribed": true,
             "stated": {"raw": "[01:55]", "seconds": 115.0, "status": "ok"}, "start": 1.0},
            {"line": 21, "speaker_raw": null, "text": "Speaks Arabic/Syrian", "stated": {"raw": null}}
        ]}"#;
        let d = parse(src);
        assert!(d.problems.is_empty());
        assert_eq!(d.turns.len(), 2);
        assert_eq!(d.turns[0].line, 15);
        assert_eq!(d.turns[0].speaker_raw.as_deref(), Some("Kerry?"));
        assert_eq!(d.turns[0].paragraphs.len(), 2);
        assert_eq!(d.turns[0].stamp.as_ref().unwrap().raw, "[01:55]");
        assert!(d.turns[1].stamp.is_none());
    }

    #[test]
    fn broken_json_is_unreadable_with_its_line() {
        let d = parse("{\n  \"turns\": [\n  {,}\n]}");
        assert!(d.turns.is_empty());
        assert_eq!(d.problems[0].kind, "unreadable");
        assert_eq!(d.problems[0].line, 3);
    }
}
