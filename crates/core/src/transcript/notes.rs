//! Which parts of a turn are spoken words and which are the transcriber's notes.
//!
//! Notes: anything in `[...]`, `(...)`, `{...}` or `<...>` (`[?]`, `[White Helmet]`,
//! `(crosstalk)`, `<i>`); pause marks `..`, `...`, `…`; and, at the start of a turn,
//! `Translates.` and `Speaks <Language>` (`Speaks Arabic/Syrian`, `Speaks English`). A turn
//! whose first paragraph is a stage note (see [`is_stage_note`]) is a note as a whole. Words:
//! runs of letters and digits, with `'` or `-` inside a word (`Ba'ath`, `day-to-day`) and `.`
//! or `,` inside a number (`3.5`, `1,000`). Other punctuation is neither.
//!
//! A turn with no word at all stands for untranscribed speech.

use super::{SpanKind, TextSpan};

/// First words that make a paragraph a description of the scene rather than speech
/// (`Murmur, murmur everyone talking ...`, `Inaudible`, `[Crosstalk]`).
const STAGE_FIRST_WORDS: &[&str] = &[
    "murmur",
    "murmurs",
    "murmuring",
    "crosstalk",
    "cross-talk",
    "laughter",
    "applause",
    "inaudible",
    "unintelligible",
    "indistinct",
    "chatter",
];

/// Whole paragraphs that are stage notes even without brackets.
const STAGE_PHRASES: &[&str] = &[
    "music",
    "silence",
    "pause",
    "long pause",
    "noise",
    "background noise",
    "laughs",
    "laughing",
    "coughs",
    "coughing",
    "static",
    "foreign language",
    "no audio",
    "end of recording",
    "overlapping voices",
    "everyone talking",
];

/// True when a paragraph describes the scene instead of giving anyone's words: it starts with
/// a stage word (`Murmur`, `Crosstalk`, `Inaudible`, ...; brackets allowed) or is a stage
/// phrase on its own (`Music.`, `Silence`, `[Laughs]`).
pub fn is_stage_note(paragraph: &str) -> bool {
    let strip = |c: char| !c.is_alphanumeric() && c != '-';
    let first = paragraph
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .map(|w| w.trim_matches(strip))
        .find(|w| !w.is_empty());
    let Some(first) = first else { return false };
    if STAGE_FIRST_WORDS
        .iter()
        .any(|w| first.eq_ignore_ascii_case(w))
    {
        return true;
    }
    let words: Vec<&str> = paragraph
        .split_whitespace()
        .map(|w| w.trim_matches(strip))
        .filter(|w| !w.is_empty())
        .take(4)
        .collect();
    if words.len() > 3 {
        return false;
    }
    let phrase = words.join(" ").to_lowercase();
    STAGE_PHRASES.contains(&phrase.as_str())
}

/// Splits `text` into word and note spans, sorted, non-overlapping, on char boundaries.
pub fn spans(text: &str) -> Vec<TextSpan> {
    let mut out = Vec::new();
    let first_para_end = text.find("\n\n").unwrap_or(text.len());
    let first_para = &text[..first_para_end];
    let pos = if is_stage_note(first_para) {
        let start = first_para.len() - first_para.trim_start().len();
        let end = first_para.trim_end().len();
        if end > start {
            out.push(note(start, end));
        }
        first_para_end
    } else {
        leading_notes(text, &mut out)
    };
    scan(text, pos, &mut out);
    out
}

/// True when `spans` holds at least one word.
pub fn has_words(spans: &[TextSpan]) -> bool {
    spans.iter().any(|s| s.kind == SpanKind::Word)
}

/// True when a whole line is a transcriber's note for speech nobody wrote down or for the
/// scene, never a speaker label: `Speaks Arabic/Syrian`, `Translates. Speaks English`,
/// `Translates.`, `[inaudible]`, `Music`. A bare `Translator` or `Translator:` is not one: it
/// is as likely to name the speaker.
pub(crate) fn is_untranscribed_note(line: &str) -> bool {
    let line = line.trim();
    if line.is_empty() {
        return false;
    }
    if is_stage_note(line) {
        return true;
    }
    let mut notes = Vec::new();
    leading_notes(line, &mut notes) == line.len()
        && (line.split_whitespace().nth(1).is_some() || line.ends_with('.'))
}

fn note(start: usize, end: usize) -> TextSpan {
    TextSpan {
        kind: SpanKind::Note,
        start,
        end,
    }
}

/// `Translates.` and `Speaks <Language>[/<Language>]` at the start of the turn; returns where
/// ordinary scanning resumes.
fn leading_notes(text: &str, out: &mut Vec<TextSpan>) -> usize {
    let mut pos = 0;
    loop {
        let rest = &text[pos..];
        let skipped = rest.len() - rest.trim_start().len();
        let at = pos + skipped;
        let rest = &text[at..];
        let word_end = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let word = &rest[..word_end];
        let after = &rest[word_end..];
        let len = if ["translates", "translating", "translation", "translator"]
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w))
        {
            // Only as a note of its own: `Translates.`, `Translator:`, or before `Speaks`.
            let next = after.trim_start();
            if after.starts_with(['.', ':']) {
                word_end + 1
            } else if next.is_empty() || next.starts_with("Speak") {
                word_end
            } else {
                return pos;
            }
        } else if ["speaks", "speaking"]
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w))
        {
            match languages(after) {
                Some(n) => word_end + n,
                None => return pos,
            }
        } else {
            return pos;
        };
        out.push(note(at, at + len));
        pos = at + len;
    }
}

/// Length of ` Arabic/Syrian` or ` English` (capitalised words joined by `/`, `,`, `and`,
/// `or`), with a trailing `.` or `:`; `None` when no capitalised word follows.
fn languages(s: &str) -> Option<usize> {
    let mut i = 0;
    let mut found = false;
    loop {
        let rest = &s[i..];
        let gap = rest.len() - rest.trim_start_matches([' ', '/', ',']).len();
        let after = &rest[gap..];
        let joiner = ["and ", "or "]
            .iter()
            .find(|j| found && after.starts_with(**j))
            .map_or(0, |j| j.len());
        // After the first language, only `/`, `,`, `and` or `or` join another one.
        if found && joiner == 0 && !rest[..gap].contains(['/', ',']) {
            break;
        }
        let word_start = &after[joiner..];
        if !word_start.starts_with(|c: char| c.is_uppercase()) {
            break;
        }
        let n = word_start
            .find(|c: char| !(c.is_alphabetic() || c == '-'))
            .unwrap_or(word_start.len());
        if n == 0 {
            break;
        }
        i += gap + joiner + n;
        found = true;
    }
    if !found {
        return None;
    }
    Some(i + usize::from(s[i..].starts_with(['.', ':'])))
}

/// The first occurrence of a needle at or after a position that only moves forward, found
/// with one pass over the text in total (so a line of a million unclosed `[` stays linear).
struct NextFinder<'a> {
    text: &'a str,
    needle: &'a str,
    /// Where the last search started and what it found (`None`: nothing after that point).
    last: Option<(usize, Option<usize>)>,
}

impl<'a> NextFinder<'a> {
    fn new(text: &'a str, needle: &'a str) -> Self {
        NextFinder {
            text,
            needle,
            last: None,
        }
    }

    fn at_or_after(&mut self, from: usize) -> Option<usize> {
        if let Some((start, found)) = self.last {
            match found {
                None if start <= from => return None,
                Some(i) if start <= from && i >= from => return Some(i),
                _ => {}
            }
        }
        let found = self
            .text
            .get(from..)
            .and_then(|rest| rest.find(self.needle))
            .map(|i| from + i);
        self.last = Some((from, found));
        found
    }
}

/// Longest `<...>` tag taken as a note; a lone `<` in speech (`x < 5`) is punctuation.
const MAX_TAG_BYTES: usize = 100;

/// Scans `text` from `pos`, pushing words, bracketed notes and pause marks.
fn scan(text: &str, mut pos: usize, out: &mut Vec<TextSpan>) {
    let bytes = text.as_bytes();
    let mut paragraph_end = NextFinder::new(text, "\n\n");
    let mut closers = [
        NextFinder::new(text, "]"),
        NextFinder::new(text, ")"),
        NextFinder::new(text, "}"),
        NextFinder::new(text, ">"),
    ];
    while pos < bytes.len() {
        let c = text[pos..].chars().next().unwrap_or(' ');
        let len = c.len_utf8();
        if let Some(kind) = "[({<".find(c) {
            // Closed within the paragraph: a note; otherwise the bracket is punctuation.
            let limit = paragraph_end.at_or_after(pos + 1).unwrap_or(text.len());
            let limit = if c == '<' {
                limit.min(pos + MAX_TAG_BYTES)
            } else {
                limit
            };
            match closers[kind].at_or_after(pos + 1) {
                Some(close) if close < limit => {
                    out.push(note(pos, close + 1));
                    pos = close + 1;
                }
                _ => pos += len,
            }
        } else if c == '…' || (c == '.' && bytes.get(pos + 1) == Some(&b'.')) {
            let run = text[pos..].find(|c: char| c != '.' && c != '…');
            let end = pos + run.unwrap_or(text.len() - pos);
            out.push(note(pos, end));
            pos = end;
        } else if c.is_alphanumeric() {
            let end = word_end(text, pos);
            out.push(TextSpan {
                kind: SpanKind::Word,
                start: pos,
                end,
            });
            pos = end;
        } else {
            pos += len;
        }
    }
}

/// End of the word starting at `start`: letters and digits, joined by `'`, `’` or `-` between
/// letters/digits, and `.` or `,` between digits.
fn word_end(text: &str, start: usize) -> usize {
    let mut end = start;
    let mut chars = text[start..].char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            end = start + i + c.len_utf8();
            prev = Some(c);
            continue;
        }
        let next = chars.peek().map(|&(_, n)| n);
        let joins = match c {
            '\'' | '’' | '-' => {
                prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric)
            }
            '.' | ',' => {
                prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit())
            }
            _ => false,
        };
        if !joins {
            break;
        }
        prev = Some(c);
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Vec<(char, &str)> {
        spans(text)
            .iter()
            .map(|s| {
                (
                    if s.kind == SpanKind::Word { 'w' } else { 'n' },
                    &text[s.start..s.end],
                )
            })
            .collect()
    }

    #[test]
    fn untranscribed_notes() {
        for text in [
            "Speaks Arabic/Syrian",
            "Translates. Speaks Arabic/Syrian",
            "[inaudible]",
            "(crosstalk)",
            "[music]",
            "Music.",
            "Inaudible",
            "...",
            "",
            "Speaks Arabic and French.",
        ] {
            assert!(!has_words(&spans(text)), "{text:?}: {:?}", parts(text));
        }
    }

    #[test]
    fn whole_line_notes() {
        for note in [
            "Speaks Arabic/Syrian",
            "Translates. Speaks Arabic/Syrian",
            "Translates.",
            "Speaks English",
            "[inaudible]",
            "Music",
        ] {
            assert!(is_untranscribed_note(note), "{note}");
        }
        for not in [
            "Translator",
            "Translator:",
            "Female voice2, translator",
            "Speaks",
            "Translates. Speaks English ... To be honest",
            "Kerry",
            "",
        ] {
            assert!(!is_untranscribed_note(not), "{not}");
        }
    }

    #[test]
    fn translated_speech_keeps_its_words() {
        assert_eq!(
            parts("Translates. Speaks English ... To be honest, I don't"),
            [
                ('n', "Translates."),
                ('n', "Speaks English"),
                ('n', "..."),
                ('w', "To"),
                ('w', "be"),
                ('w', "honest"),
                ('w', "I"),
                ('w', "don't"),
            ]
        );
    }

    #[test]
    fn brackets_and_pauses_inside_speech() {
        assert_eq!(
            parts("the Syrian Civil Defense [White Helmet] teams"),
            [
                ('w', "the"),
                ('w', "Syrian"),
                ('w', "Civil"),
                ('w', "Defense"),
                ('n', "[White Helmet]"),
                ('w', "teams")
            ]
        );
        assert_eq!(
            parts("particans [?] here"),
            [('w', "particans"), ('n', "[?]"), ('w', "here")]
        );
        assert_eq!(
            parts("surgeon... my"),
            [('w', "surgeon"), ('n', "..."), ('w', "my")]
        );
        assert_eq!(
            parts("arming .. so"),
            [('w', "arming"), ('n', ".."), ('w', "so")]
        );
        assert_eq!(parts("them[selves]"), [('w', "them"), ('n', "[selves]")]);
        assert_eq!(parts("What ... ?"), [('w', "What"), ('n', "...")]);
    }

    #[test]
    fn word_joins() {
        assert_eq!(
            parts("day-to-day Ba'ath 'quote' 1,000 3.5. know,in US - ok"),
            [
                ('w', "day-to-day"),
                ('w', "Ba'ath"),
                ('w', "quote"),
                ('w', "1,000"),
                ('w', "3.5"),
                ('w', "know"),
                ('w', "in"),
                ('w', "US"),
                ('w', "ok"),
            ]
        );
    }

    #[test]
    fn unclosed_bracket_is_punctuation() {
        assert_eq!(
            parts("a [b\n\nc] d"),
            [('w', "a"), ('w', "b"), ('w', "c"), ('w', "d")]
        );
    }

    #[test]
    fn stage_notes() {
        assert!(is_stage_note(
            "Murmur, murmur everyone talking ... we have one minute"
        ));
        assert!(is_stage_note("[Crosstalk]"));
        assert!(is_stage_note("Background noise."));
        assert!(!is_stage_note("Music is what we need, he said."));
        assert!(!is_stage_note("Thank you."));
        assert!(!is_stage_note(""));
    }

    #[test]
    fn stage_note_first_paragraph_is_one_note() {
        assert_eq!(
            parts("Murmur, everyone talking"),
            [('n', "Murmur, everyone talking")]
        );
    }
}
