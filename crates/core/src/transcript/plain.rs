//! Plain text: no speakers, no stamps. Each paragraph is a turn; a text of a single paragraph
//! is split into sentences instead, so the aligner still has pieces to place.
//!
//! Sentences end at `.`, `!`, `?` or `…` (with closing quotes or brackets) followed by space
//! and a capital, digit or opening quote — but not after a pause mark `...` followed by
//! lower case, nor after common abbreviations (`Mr.`, `Dr.`, `e.g.`). Stage-note paragraphs
//! (`[Music]`, `Murmur, everyone talking`) go to the notes.

use super::lines::lines;
use super::notes::is_stage_note;
use super::{Draft, DraftTurn};

/// Abbreviations that do not end a sentence (compared lower-case, without the final dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "e.g", "i.e", "u.s", "u.n", "jr", "sr",
    "no",
];

/// Parses plain text.
pub(crate) fn parse(source: &str) -> Draft {
    // Paragraphs with the line each of their lines starts on.
    let mut paragraphs: Vec<Vec<(usize, &str)>> = Vec::new();
    let mut after_blank = true;
    for line in lines(source) {
        if line.is_blank() {
            after_blank = true;
            continue;
        }
        if after_blank {
            paragraphs.push(Vec::new());
        }
        if let Some(p) = paragraphs.last_mut() {
            p.push((line.number, line.trimmed()));
        }
        after_blank = false;
    }
    let mut draft = Draft::default();
    let speech: Vec<&Vec<(usize, &str)>> = paragraphs
        .iter()
        .filter(|p| {
            let text = join(p);
            if is_stage_note(&text) {
                draft.notes.push((p[0].0, text));
                false
            } else {
                true
            }
        })
        .collect();
    if speech.len() == 1 {
        for (line, sentence) in sentences(speech[0]) {
            let mut turn = DraftTurn::new(line, None, None);
            turn.push_line(line, &sentence, true);
            draft.turns.push(turn);
        }
    } else {
        for p in speech {
            let mut turn = DraftTurn::new(p[0].0, None, None);
            for &(line, text) in p {
                turn.push_line(line, text, false);
            }
            draft.turns.push(turn);
        }
    }
    draft
}

fn join(p: &[(usize, &str)]) -> String {
    p.iter().map(|(_, t)| *t).collect::<Vec<_>>().join("\n")
}

/// Splits one paragraph (its lines) into sentences, each with the line it starts on.
fn sentences(paragraph: &[(usize, &str)]) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut current = String::new();
    let mut start_line = paragraph.first().map_or(1, |p| p.0);
    for &(line, text) in paragraph {
        if current.is_empty() {
            start_line = line;
        } else {
            current.push('\n');
        }
        let mut from = 0;
        for end in sentence_ends(text) {
            current.push_str(text[from..end].trim());
            out.push((start_line, std::mem::take(&mut current)));
            from = end;
            start_line = line;
        }
        let rest = text[from..].trim_start();
        current.push_str(rest);
    }
    if !current.trim().is_empty() {
        out.push((start_line, current));
    }
    out
}

/// Byte indices just after each sentence end in `s` that is followed (on the same line) by
/// the start of another sentence. One pass over the line.
fn sentence_ends(s: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if !matches!(c, '.' | '!' | '?' | '…') {
            k += 1;
            continue;
        }
        // The whole run of terminators and closing marks.
        let mut j = k;
        while j < chars.len()
            && matches!(
                chars[j].1,
                '.' | '!' | '?' | '…' | '"' | '\'' | '”' | '’' | ')' | ']'
            )
        {
            j += 1;
        }
        let end = chars.get(j).map_or(s.len(), |p| p.0);
        let run = &s[i..end];
        let spaced = chars.get(j).is_some_and(|p| p.1.is_whitespace());
        let next = chars[j..].iter().map(|p| p.1).find(|c| !c.is_whitespace());
        let starts_sentence =
            next.is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || "\"“‘'([".contains(n));
        let pause = run.starts_with("..") || run.starts_with('…');
        // Only looked at for a candidate end, so each word is scanned back over at most once.
        let abbreviation = || {
            let word = s[..i]
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or("")
                .to_lowercase();
            run == "." && ABBREVIATIONS.contains(&word.as_str())
        };
        if spaced
            && starts_sentence
            && !(pause && next.is_some_and(char::is_lowercase))
            && !abbreviation()
        {
            out.push(end);
        }
        k = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<(usize, String)> {
        parse(src)
            .turns
            .into_iter()
            .map(|t| {
                (
                    t.line,
                    t.paragraphs
                        .into_iter()
                        .map(|p| p.1)
                        .collect::<Vec<_>>()
                        .join("|"),
                )
            })
            .collect()
    }

    #[test]
    fn paragraphs_become_turns() {
        assert_eq!(
            texts("First one.\nStill first.\n\n\nSecond. Two sentences.\n"),
            vec![
                (1, "First one.\nStill first.".into()),
                (5, "Second. Two sentences.".into())
            ]
        );
    }

    #[test]
    fn a_single_paragraph_splits_into_sentences() {
        assert_eq!(
            texts("Hello there. I think ... that Mr. Smith\nsaid so! Okay ... I'm off"),
            vec![
                (1, "Hello there.".into()),
                (1, "I think ... that Mr. Smith\nsaid so!".into()),
                (2, "Okay ...".into()),
                (2, "I'm off".into()),
            ]
        );
    }

    #[test]
    fn stage_notes_are_not_turns() {
        let d = parse("Hello.\n\n[Music]\n\nBye.\n");
        assert_eq!(d.turns.len(), 2);
        assert_eq!(d.notes, [(3, "[Music]".to_owned())]);
    }
}
