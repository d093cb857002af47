//! oTranscribe exports (`.otr`): a JSON object whose `text` is the transcript as HTML, with
//! each timestamp written `<span class="timestamp" data-timestamp="12.3">0:12</span>`.
//!
//! A timestamp starts a turn at its `data-timestamp` (seconds; `m:ss` or `h:mm:ss` in exports
//! from before 2017); the span's own text (the time shown, `0:00:12`) is not speech. A paragraph (`<p>`, `<div>`, `<br>`) with no timestamp before its
//! words starts a turn of its own when it opens with a speaker label (`<b>Name:</b> text`, as
//! oTranscribe users write them, by the same habit rule as TextGrid), and otherwise continues
//! the turn before it. Other tags are removed and entities decoded. `media` (the file it was
//! transcribed from) is reported in the reading notes.
//!
//! Lines: the whole HTML sits on the line of the `text` field, so every turn has that line.
//! Refused as `malformed`: a `data-timestamp` that is not a number of seconds. JSON that does
//! not parse (a file cut short among it) or has the wrong shape (a `text` or `media` that is
//! not a string) is `unreadable`, as for talign JSON; either way [`read`](super::read) refuses
//! the file.

use serde::Deserialize;

use super::timed::{self, Item, malformed};
use super::{Draft, Problem, Severity, TierInfo};

#[derive(Deserialize)]
struct Document {
    text: String,
    #[serde(default)]
    media: Option<String>,
}

/// What the HTML holds, in order.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    /// A paragraph or line break.
    Break,
    /// A timestamp's `data-timestamp`, as written.
    Stamp(String),
}

/// How much of a document that does not parse [`looks_like_otr`] looks at.
const HEAD_BYTES: usize = 4096;

/// True when a JSON document is an oTranscribe export rather than talign's JSON: an object
/// with a `text` field and no `turns`. A document that does not parse (cut short, say) is
/// one when its first 4 KB hold no `"turns"` and it opens with a `"text"` field or holds
/// `"media"` or `data-timestamp` (what only an oTranscribe export has).
pub(crate) fn looks_like_otr(text: &str) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        turns: Option<serde::de::IgnoredAny>,
        text: Option<serde::de::IgnoredAny>,
    }
    let text = text.trim_start_matches('\u{feff}');
    match serde_json::from_str::<Probe>(text) {
        Ok(p) => p.turns.is_none() && p.text.is_some(),
        Err(_) => {
            let mut end = text.len().min(HEAD_BYTES);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let head = &text[..end];
            let opens_with_text = head
                .trim_start()
                .strip_prefix('{')
                .is_some_and(|rest| rest.trim_start().starts_with("\"text\""));
            !head.contains("\"turns\"")
                && (opens_with_text
                    || head.contains("\"media\"")
                    || head.contains("data-timestamp"))
        }
    }
}

/// Parses an oTranscribe export.
pub(crate) fn parse(source: &str) -> Draft {
    let mut draft = read_draft(source);
    timed::clamp_lines(&mut draft, source);
    draft
}

/// [`parse`] before problem lines are kept inside the file.
fn read_draft(source: &str) -> Draft {
    let mut draft = Draft::default();
    let text = source.trim_start_matches('\u{feff}');
    let doc = match serde_json::from_str::<Document>(text) {
        Ok(doc) => doc,
        Err(e) => {
            draft.problems.push(unreadable(&e));
            return draft;
        }
    };
    let line = text
        .find("\"text\"")
        .map_or(1, |at| text[..at].matches('\n').count() + 1);
    if let Some(media) = doc.media.as_deref().filter(|m| !m.trim().is_empty()) {
        draft.reading.push(format!(
            "transcribed from the media {}",
            super::show::clipped(media, 200)
        ));
    }
    let mut items: Vec<Item> = Vec::new();
    // Each segment: its stamp (if a timestamp opened it) and text; `true` when it opens a
    // paragraph.
    let mut segments: Vec<(Option<f64>, String, bool)> = vec![(None, String::new(), true)];
    let mut stamps = 0;
    for piece in pieces(&doc.text) {
        match piece {
            Piece::Text(t) => segments.last_mut().expect("never empty").1.push_str(&t),
            Piece::Break => segments.push((None, String::new(), true)),
            Piece::Stamp(raw) => {
                stamps += 1;
                // Seconds since 2017; older exports wrote the time as `m:ss` or `h:mm:ss`.
                let value =
                    timed::seconds(&raw).or_else(|| super::parse_stamp(&raw).ok().map(|(s, _)| s));
                let Some(s) = value else {
                    draft.problems.push(malformed(
                        line,
                        format!(
                            "timestamp {stamps}: data-timestamp `{}` is not a number of seconds \
                             (nor `m:ss`)",
                            super::show::clipped(&raw, 40),
                        ),
                        "fix its data-timestamp in oTranscribe, or export it again",
                    ));
                    return draft;
                };
                let last = segments.last_mut().expect("never empty");
                if last.1.trim().is_empty() {
                    last.0 = Some(s);
                } else {
                    segments.push((Some(s), String::new(), false));
                }
            }
        }
    }
    for (start, text, _) in segments {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            continue;
        }
        items.push(Item {
            start,
            line,
            tier: 0,
            speaker: None,
            text,
        });
    }
    timed::labels_in_text(&mut items);
    // An unstamped paragraph without a label of its own continues the turn before it.
    let mut merged: Vec<Item> = Vec::new();
    for item in items {
        match merged.last_mut() {
            Some(prev) if item.start.is_none() && item.speaker.is_none() => {
                prev.text.push_str("\n\n");
                prev.text.push_str(&item.text);
            }
            _ => merged.push(item),
        }
    }
    draft.tiers.push(TierInfo {
        name: "text".into(),
        kind: "text".into(),
        line,
        speaker: None,
        turns: merged.len(),
        ignored: None,
    });
    timed::into_turns(merged, &mut draft);
    draft
}

/// The HTML as text, breaks and timestamps; tags other than those removed, entities decoded.
fn pieces(html: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = html;
    let flush = |text: &mut String, out: &mut Vec<Piece>| {
        if !text.is_empty() {
            out.push(Piece::Text(decode_entities(text)));
            text.clear();
        }
    };
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            // A `<` that opens no tag is text.
            text.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match name.as_str() {
            "p" | "div" | "br" | "li" | "h1" | "h2" | "h3" => {
                flush(&mut text, &mut out);
                out.push(Piece::Break);
            }
            "span" if !tag.starts_with('/') && tag.contains("timestamp") => {
                if let Some(value) = attribute(tag, "data-timestamp") {
                    flush(&mut text, &mut out);
                    out.push(Piece::Stamp(decode_entities(value)));
                    // The time the span shows is not speech.
                    match rest.find("</span>") {
                        Some(end) => rest = &rest[end + "</span>".len()..],
                        None => rest = "",
                    }
                    // A space often follows as `&nbsp;`; the text's spaces are collapsed later.
                    text.push(' ');
                }
            }
            _ => {}
        }
    }
    text.push_str(rest);
    flush(&mut text, &mut out);
    out
}

/// The value of `name="..."` (or `'...'`) inside a tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(name)?;
    let rest = tag[at + name.len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(&value[..value.find(quote)?])
}

/// HTML entities oTranscribe's editor writes: named ones for space and markup characters,
/// and numeric ones.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // An entity is short: its `;` within 12 bytes (found by character, never cutting one).
        let end = rest
            .char_indices()
            .take_while(|(i, _)| *i < 12)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "nbsp" => Some(' '),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name.strip_prefix('#').and_then(|n| {
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// JSON that does not parse, or is not an oTranscribe object: nothing usable was read.
fn unreadable(e: &serde_json::Error) -> Problem {
    use serde_json::error::Category;
    let (message, suggestion) = match e.classify() {
        Category::Eof => (
            format!(
                "the oTranscribe (.otr) file ends before its JSON is complete ({e}); the file \
                 looks cut short"
            ),
            "copy or download it again, or export it again from oTranscribe (Export → .otr)",
        ),
        Category::Data => (
            format!("not an oTranscribe export: {e}"),
            "export it again from oTranscribe (Export → .otr), or name the transcript's real \
             format with --transcript-format",
        ),
        Category::Syntax | Category::Io => (
            format!("the oTranscribe (.otr) file is not valid JSON: {e}"),
            "export it again from oTranscribe (Export → .otr), or name the transcript's real \
             format with --transcript-format",
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

    const OTR: &str = r#"{"text":"<p><span class=\"timestamp\" contenteditable=\"false\" data-timestamp=\"1.914331\">0:00:01</span>&nbsp;<b>Kerry:</b> I said &quot;no&quot;.</p><p>And I meant it.</p><p><span class=\"timestamp\" contenteditable=\"false\" data-timestamp=\"5.2\">0:00:05</span>&nbsp;<b>Diane:</b> Yes.<br></p><p><span class=\"timestamp\" data-timestamp=\"0:07\">0:00:07</span> Kerry: Old style.</p>","media":"talk.mp3","media-source":"","media-time":5.9}"#;

    #[test]
    fn timestamps_start_turns_and_labels_name_speakers() {
        assert!(looks_like_otr(OTR));
        assert!(!looks_like_otr(r#"{"turns": [], "text": "x"}"#));
        let d = parse(OTR);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        let got: Vec<(Option<&str>, &str, Vec<&str>)> = d
            .turns
            .iter()
            .map(|t| {
                (
                    t.speaker_raw.as_deref(),
                    t.stamp.as_ref().unwrap().raw.as_str(),
                    t.paragraphs.iter().map(|p| p.1.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some("Kerry"),
                    "0:00:01.914",
                    vec!["I said \"no\".", "And I meant it."]
                ),
                (Some("Diane"), "0:00:05.200", vec!["Yes."]),
                (Some("Kerry"), "0:00:07.000", vec!["Old style."]),
            ]
        );
        assert!(d.reading.iter().any(|r| r.contains("talk.mp3")));
    }

    #[test]
    fn bad_timestamps_and_bad_json_are_refused() {
        let d = parse(&OTR.replace("5.2", "five"));
        assert_eq!(d.problems[0].kind, "malformed");
        assert!(
            d.problems[0].message.contains("`five`"),
            "{}",
            d.problems[0].message
        );
        let d = parse(&OTR[..40]);
        assert_eq!(d.problems[0].kind, "unreadable");
        assert!(
            d.problems[0].message.starts_with(
                "the oTranscribe (.otr) file ends before its JSON is complete (EOF while parsing"
            ),
            "{}",
            d.problems[0].message
        );
        let d = parse(r#"{"text": 5}"#);
        assert_eq!(d.problems[0].kind, "unreadable");
        assert!(d.problems[0].message.contains("not an oTranscribe export"));
    }

    #[test]
    fn a_cut_export_is_still_an_otranscribe_file() {
        for cut in [
            &OTR[..10],
            &OTR[..60],
            &OTR[..OTR.len() - 3],
            "{ \"text\" :",
            "{\"media\": \"a.mp3\", \"text\": \"<p>hi",
            "{\n  \"media-time\": 2.5, \"text\": \"<span data-timestamp=\\\"1",
        ] {
            assert!(looks_like_otr(cut), "{cut}");
        }
        // talign JSON, whole or cut, stays talign JSON.
        for json in [
            "{\"turns\": [{\"text\": \"Hi\"}]}",
            "{\"turns\": [{\"text\": \"Hi",
            "{\"text\": \"x\", \"turns\": [",
            "{\"audio\": {\"path\": \"a.wav\"}, \"tu",
        ] {
            assert!(!looks_like_otr(json), "{json}");
        }
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("&(\u{2212}0:05)quot;"),
            "&(\u{2212}0:05)quot;"
        );
        assert_eq!(
            decode_entities("a&nbsp;b &amp; c &#233; &#x41; &bogus; &"),
            "a b & c é A &bogus; &"
        );
    }
}
