//! The block format: a speaker label on its own line, an optional stamp line, then
//! paragraphs (the shared Kerry example):
//!
//! ```text
//! Kerry
//!
//! [01:55]
//!
//! I understand ...
//! ```
//!
//! Telling labels from text. A line is a label when it looks like one (1–6 words, at most 48
//! characters, no sentence ending, see `speaker::looks_like_label`) and either
//! - the next non-blank line is a stamp line (`Kerry` / `[01:55]`), or
//! - it starts a paragraph, the line before it is neither a stamp line nor a label, it is not
//!   a whole-line note (`Speaks Arabic/Syrian`, `Translates.`, `[inaudible]`: see
//!   `notes::is_untranscribed_note`), and the speaker it names is *known* (below).
//!
//! The known speakers are the file's own label vocabulary, learnt from the file:
//! 1. a label line followed by a stamp names a known speaker, and so does a line ending with
//!    `:` (`Michael?:`); a speaker is known under its normalised name, so `Kerry?` and
//!    `Kerry? someone else` are known from `Kerry`;
//! 2. in a file without any stamp line, a label that stands alone (a one-line paragraph with
//!    more text after it) at least twice, counting only lines that do not read like speech
//!    (`speaker::reads_like_text`: `Hello?`, `Oh, okay`);
//! 3. then, in such a file that has labels by 1 or 2, a speech-like label of two words or more
//!    (`Kirby? someone else`, `Male voice, Syrian?`) standing alone at least twice between
//!    text paragraphs (neither right before nor right after a label from 1 or 2), and never
//!    right after one: there it is that speaker's words (`Diane` / `Really? Wow`);
//! 4. finally, in any file that has labels, a one-off line standing alone is a label when it
//!    names a role (`Translator`, `Female voice2, translator`: see `speaker::names_a_role`) or
//!    is one letter off a label confirmed at least twice (`Keirry`, `Female voic`: the typo
//!    rule of `speaker`).
//!
//! So a file without a single stamp line still reads as the same turns as with stamps, and
//! prose without labels finds none: without 1 or 2 there is nothing for 3 and 4 to extend.
//!
//! One more case, in a file with no known speaker at all: when its first non-blank line names
//! a role, does not read like speech and stands alone (`Speaker` / `mary rolled the barrel`),
//! and no other line stands alone except the one right after it, that first line is a label
//! and the file is one speaker's turn. A second line standing alone (`Narrator` / `Once upon
//! a time.` / `Translator` / `The end.`) leaves the file prose.
//!
//! When the user names the format (`Mode::Forced`) nothing needs confirming: every line
//! standing alone is a label, unless it is a whole-line note or the next line is a label by
//! the rules above (a short title right above `Kerry` / `[01:55]`). The ordering rule below
//! still holds, so the line right after a label is text.
//!
//! A label is followed by text, so of two label-like paragraphs in a row the second is text
//! unless a stamp follows it: `Diane` / `Hello?` / `Sheila` / `Hello?` is two turns, and so
//! is `Diane` / `Okay` / `Sheila` / `Okay` even though `Okay` recurs. (A one-line paragraph
//! that recurs, does not read like speech, and ends a turn right before the next label is
//! still taken for a label; the label after it then reads as its text.)
//!
//! So the line right after a stamp is always text (`Huh?`), and, unless the format is named,
//! a one-off short line inside speech (`Okay`) stays speech. A title at the top (`Audio reveals what John Kerry told
//! Syrians behind closed doors`) is text before the first label: a one-line heading becomes
//! a note.
//!
//! A stamp line not right after a label (a second stamp in a turn) starts a new turn for the
//! same speaker. Paragraphs without a new label continue the turn.

use std::collections::HashMap;

use super::lines::{Line, lines};
use super::notes::is_untranscribed_note;
use super::speaker::{
    key, looks_like_label, names_a_role, normalise, one_letter_edit, reads_like_text,
};
use super::stamp::scan;
use super::{Draft, DraftTurn, Gather, Problem, Severity, found_stamp};

/// True when the whole (trimmed) line is one stamp, valid or not (`[31:99]`).
pub(crate) fn is_stamp_line(text: &str) -> bool {
    let t = text.trim();
    scan(t).is_some_and(|s| s.len == t.len())
}

/// Per-line facts the label rule needs.
struct Layout {
    stamp: Vec<bool>,
    candidate: Vec<bool>,
    /// A whole-line transcriber's note (`Speaks Arabic/Syrian`): text unless a stamp follows.
    note: Vec<bool>,
    next_nonblank: Vec<Option<usize>>,
    prev_nonblank: Vec<Option<usize>>,
    para_start: Vec<bool>,
    /// A label-like one-line paragraph with more text after it: where a stampless label stands.
    standalone: Vec<bool>,
}

fn layout(lines: &[Line<'_>]) -> Layout {
    let n = lines.len();
    let blank: Vec<bool> = lines.iter().map(Line::is_blank).collect();
    let stamp: Vec<bool> = lines
        .iter()
        .map(|l| !l.is_blank() && is_stamp_line(l.text))
        .collect();
    let candidate: Vec<bool> = (0..n)
        .map(|i| !blank[i] && !stamp[i] && looks_like_label(lines[i].text))
        .collect();
    let note: Vec<bool> = (0..n)
        .map(|i| candidate[i] && is_untranscribed_note(lines[i].text))
        .collect();
    let mut next_nonblank = vec![None; n];
    let mut next = None;
    for i in (0..n).rev() {
        next_nonblank[i] = next;
        if !blank[i] {
            next = Some(i);
        }
    }
    let mut prev_nonblank = vec![None; n];
    let mut prev = None;
    for i in 0..n {
        prev_nonblank[i] = prev;
        if !blank[i] {
            prev = Some(i);
        }
    }
    let para_start: Vec<bool> = (0..n)
        .map(|i| !blank[i] && (i == 0 || blank[i - 1]))
        .collect();
    let standalone = (0..n)
        .map(|i| {
            candidate[i]
                && !note[i]
                && para_start[i]
                && (i + 1 == n || blank[i + 1])
                && next_nonblank[i].is_some()
        })
        .collect();
    Layout {
        stamp,
        candidate,
        note,
        next_nonblank,
        prev_nonblank,
        para_start,
        standalone,
    }
}

/// How many of the most used labels a one-off label is compared with as a possible typo (as
/// in `speaker::assign`, so a file of a million distinct labels stays linear).
const TYPO_TARGETS: usize = 64;

/// How the block format was chosen, which decides how much a label without a stamp needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Detected from the text: a label without a stamp must be known (the module docs).
    Detected,
    /// Named by the user (`--transcript-format block`): a label-like line standing alone is
    /// a label without confirmation, unless it is a note or the next line is a known label.
    Forced,
}

/// Which lines are labels, by the rule in the module docs, and which of them the
/// short-transcript rule made labels (for the reading notes).
fn label_lines(lines: &[Line<'_>], lay: &Layout, mode: Mode) -> (Vec<bool>, Vec<usize>) {
    let n = lines.len();
    let followed_by_stamp = |i: usize| lay.next_nonblank[i].is_some_and(|j| lay.stamp[j]);
    let keys: Vec<String> = (0..n)
        .map(|i| {
            if lay.candidate[i] {
                key(&normalise(lines[i].text).name)
            } else {
                String::new()
            }
        })
        .collect();
    // The file's label vocabulary: each known speaker with how often its label is confirmed.
    let mut known: HashMap<&str, usize> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        if lay.candidate[i] && (followed_by_stamp(i) || line.trimmed().ends_with(':')) {
            *known.entry(&keys[i]).or_default() += 1;
        }
    }
    if !lay.stamp.iter().any(|&s| s) {
        // Labels that do not read like speech: standing alone twice is enough.
        let mut plain: HashMap<&str, usize> = HashMap::new();
        for i in 0..n {
            if lay.standalone[i] && !reads_like_text(lines[i].text) {
                *plain.entry(&keys[i]).or_default() += 1;
            }
        }
        plain.retain(|_, c| *c >= 2);
        let is_plain_label = |i: usize| {
            lay.standalone[i]
                && !reads_like_text(lines[i].text)
                && plain.contains_key(keys[i].as_str())
        };
        // Speech-like labels (`Kirby? someone else`, `Male voice, Syrian?`): two words or more,
        // standing alone at least twice between text paragraphs (after a paragraph that is
        // not a label from above, before one that is not either), and never right after such
        // a label, where a line is that speaker's words (`Diane` / `Hello?`).
        let mut between: HashMap<&str, (usize, bool)> = HashMap::new();
        for i in 0..n {
            let text = lines[i].text;
            if !(lay.standalone[i]
                && reads_like_text(text)
                && text.split_whitespace().nth(1).is_some()
                && !plain.contains_key(keys[i].as_str()))
            {
                continue;
            }
            let entry = between.entry(&keys[i]).or_default();
            if lay.prev_nonblank[i].is_some_and(&is_plain_label) {
                entry.1 = true;
            } else if !lay.next_nonblank[i].is_some_and(&is_plain_label) {
                entry.0 += 1;
            }
        }
        for (k, c) in &plain {
            *known.entry(k).or_default() += c;
        }
        // Only to extend labels found already, so a refrain (`Oh, my darling`) between the
        // stanzas of a poem stays text.
        if !known.is_empty() {
            for (k, (c, after_label)) in between {
                if c >= 2 && !after_label {
                    *known.entry(k).or_default() += c;
                }
            }
        }
    }
    // Once a file has labels, a one-off label standing alone is known when it names a role
    // (`Translator`) or is one letter off a label used at least twice (`Keirry`, `Female
    // voic`).
    let mut targets: Vec<(&str, usize)> = known
        .iter()
        .filter(|(_, c)| **c >= 2)
        .map(|(k, c)| (*k, *c))
        .collect();
    targets.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    targets.truncate(TYPO_TARGETS);
    let cue = |i: usize| {
        !known.is_empty()
            && lay.standalone[i]
            && (names_a_role(lines[i].text)
                || targets.iter().any(|(t, _)| one_letter_edit(&keys[i], t)))
    };
    // With nothing known, a file may still be one speaker's turn under a role label, or a
    // short transcript of one or two labelled turns.
    let opening = if known.is_empty() {
        opening_role(lines, lay)
    } else {
        None
    };
    let short = if known.is_empty() && opening.is_none() {
        short_labels(lines, lay)
    } else {
        Vec::new()
    };
    // A label by the file's own evidence, wherever it stands.
    let vouched = |i: usize| {
        known.contains_key(keys[i].as_str()) || cue(i) || opening == Some(i) || short.contains(&i)
    };
    let confirmed = |i: usize| {
        lay.candidate[i]
            && (followed_by_stamp(i) || (lay.para_start[i] && !lay.note[i] && vouched(i)))
    };
    // With the format named, any line standing alone is a label, unless the next line is one
    // by the file's evidence (a short title right above `Kerry` / `[01:55]`).
    let forced = |i: usize| {
        mode == Mode::Forced && lay.standalone[i] && !lay.next_nonblank[i].is_some_and(confirmed)
    };
    // In order, as a label right before a line turns that line into text.
    let mut labels = vec![false; n];
    for i in 0..n {
        labels[i] = lay.candidate[i]
            && (followed_by_stamp(i)
                || (lay.para_start[i]
                    && !lay.note[i]
                    && !lay.prev_nonblank[i].is_some_and(|p| lay.stamp[p] || labels[p])
                    && (vouched(i) || forced(i))));
    }
    // The opening role label is a short transcript's label too, and explained alike.
    let short = short
        .into_iter()
        .chain(opening)
        .filter(|&i| labels[i])
        .collect();
    (labels, short)
}

/// The first line, when the file opens with a role label standing alone (`Speaker` /
/// `mary rolled the barrel`) and no other label-like line stands alone, except right after
/// it (`Interviewer` / `Okay` / `So tell me.`). A second one (`Narrator` / `Once upon a
/// time.` / `Translator` / `The end.`) leaves both lines text.
fn opening_role(lines: &[Line<'_>], lay: &Layout) -> Option<usize> {
    let first = lines.iter().position(|l| !l.is_blank())?;
    let answer = lay.next_nonblank[first];
    let text = lines[first].text;
    let alone = lay.standalone[first] && names_a_role(text) && !reads_like_text(text);
    let other = (first + 1..lines.len()).any(|i| lay.standalone[i] && Some(i) != answer);
    (alone && !other).then_some(first)
}

/// The lines read as labels by the short-transcript rule: in a file with no other evidence
/// of labels, at most two lines stand alone (a short line, a blank line, then text), the
/// file opens with one of them, and each names someone: a role (`Speaker 1`, `Lector` is not
/// one but is a name), or a name of up to three capitalised words (`Dr. Smith`, `John
/// Kerry`), or a single word in any script (`awb`, `話者A`), and none reads like speech.
/// `Lector` / a paragraph, `話者A` / a line / `話者B` / a line, `Speaker 1` once.
fn short_labels(lines: &[Line<'_>], lay: &Layout) -> Vec<usize> {
    let alone: Vec<usize> = (0..lines.len()).filter(|&i| lay.standalone[i]).collect();
    let first = lines.iter().position(|l| !l.is_blank());
    let names = |i: usize| {
        let text = lines[i].trimmed();
        !reads_like_text(text) && (names_a_role(text) || name_like(text))
    };
    if alone.is_empty() || alone.len() > 2 || first != alone.first().copied() {
        return Vec::new();
    }
    if alone.iter().all(|&i| names(i)) {
        alone
    } else {
        Vec::new()
    }
}

/// A single word in any script (`awb`, `話者A`, `B.J.`), or up to three words each starting
/// with a capital or a digit or being an abbreviation (`Speaker 1`, `Dr. Smith`, `Mr. X`).
fn name_like(text: &str) -> bool {
    let text = text.trim_end_matches([':', ' ']);
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        [_] => true,
        _ => {
            words.len() <= 3
                && words.iter().all(|w| {
                    w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                        || super::speaker::is_abbreviation(w)
                })
        }
    }
}

/// True when a label read by the short-transcript rule could as well be words read aloud (a
/// title, a heading): several words, none of them a role word, not a title and name
/// (`The Raven`, `John Kerry`); `Speaker 1`, `Lector`, `Dr. Smith` are labels beyond doubt.
fn could_be_spoken(text: &str) -> bool {
    let text = text.trim();
    let first = text.split_whitespace().next().unwrap_or("");
    text.split_whitespace().nth(1).is_some()
        && !names_a_role(text)
        && !super::speaker::is_abbreviation(first)
}

/// How strongly `source` looks like the block format: the number of label lines (followed by
/// a stamp line, or known labels standing alone).
pub(crate) fn score(source: &str) -> usize {
    let lines: Vec<Line<'_>> = lines(source).collect();
    let lay = layout(&lines);
    let (labels, _) = label_lines(&lines, &lay, Mode::Detected);
    labels.iter().filter(|&&l| l).count()
}

/// Parses the block format.
pub(crate) fn parse(source: &str, mode: Mode) -> Draft {
    let lines: Vec<Line<'_>> = lines(source).collect();
    let lay = layout(&lines);
    let (is_label, short) = label_lines(&lines, &lay, mode);
    let mut gather = Gather::new();
    let mut after_blank = true;
    for (i, line) in lines.iter().enumerate() {
        if line.is_blank() {
            after_blank = true;
            continue;
        }
        let text = line.trimmed();
        if is_label[i] {
            gather.open(DraftTurn::new(line.number, Some(text.to_owned()), None));
        } else if lay.stamp[i] {
            let found = found_stamp(line, text);
            match gather.current() {
                Some(turn) if turn.stamp.is_none() && turn.paragraphs.is_empty() => {
                    turn.stamp = Some(found);
                }
                current => {
                    let speaker = current.and_then(|t| t.speaker_raw.clone());
                    gather.open(DraftTurn::new(line.number, speaker, Some(found)));
                }
            }
        } else {
            gather.text(line.number, text, after_blank);
        }
        after_blank = false;
    }
    let mut draft = gather.finish();
    explain_short(&lines, &short, mode, &mut draft);
    draft
}

/// Says why the short-transcript rule read its lines as labels, and reports a label that
/// could as well be spoken (`ambiguous_label`), with how to read it the other way.
fn explain_short(lines: &[Line<'_>], short: &[usize], mode: Mode, draft: &mut Draft) {
    for &i in short {
        let text = lines[i].trimmed();
        let shown = super::show::clipped(text, 48);
        draft.reading.push(format!(
            "line {}: `{shown}` read as a speaker label: a short line standing alone above \
             text, in a short transcript (at most two such lines, the first opening the file) \
             with no stamps or other labels to go by",
            lines[i].number
        ));
        if mode == Mode::Detected && could_be_spoken(text) {
            draft.problems.push(Problem {
                line: lines[i].number,
                kind: "ambiguous_label".into(),
                message: format!(
                    "`{shown}` could be a speaker label or words read aloud (a title); read as \
                     a label, so its words are not aligned"
                ),
                suggestion: Some(
                    "if it is spoken, read the file with --transcript-format plain; if it is a \
                     label, --transcript-format block silences this"
                        .into(),
                ),
                severity: Severity::Warning,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, label, stamp, paragraphs) of each turn.
    type Row = (usize, Option<String>, Option<String>, Vec<String>);

    fn turns(src: &str) -> Vec<Row> {
        parse(src, Mode::Detected)
            .turns
            .into_iter()
            .map(|t| {
                (
                    t.line,
                    t.speaker_raw,
                    t.stamp.map(|s| s.raw),
                    t.paragraphs.into_iter().map(|p| p.1).collect(),
                )
            })
            .collect()
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_owned())
    }

    #[test]
    fn kerry_shape_with_title_and_stampless_label() {
        let src = "Audio reveals what John Kerry told Syrians behind closed doors\n\n\
                   Male voice\n\n[0:00]\n\nComing from Aleppo.\n\n\
                   Kerry\n\n[01:55]\n\nI understand ...\n\nSecond paragraph.\n\n\
                   Female voice\n\n[01:57]\n\nHuh?\n\n\
                   Kerry\n\nNo stamp here.\n";
        let d = parse(src, Mode::Detected);
        assert_eq!(
            d.notes,
            [(
                1,
                "Audio reveals what John Kerry told Syrians behind closed doors".to_owned()
            )]
        );
        assert!(d.problems.is_empty());
        assert_eq!(
            turns(src),
            vec![
                (
                    3,
                    s("Male voice"),
                    s("[0:00]"),
                    vec!["Coming from Aleppo.".into()]
                ),
                (
                    9,
                    s("Kerry"),
                    s("[01:55]"),
                    vec!["I understand ...".into(), "Second paragraph.".into()]
                ),
                (17, s("Female voice"), s("[01:57]"), vec!["Huh?".into()]),
                (23, s("Kerry"), None, vec!["No stamp here.".into()]),
            ]
        );
    }

    #[test]
    fn without_blank_lines_and_with_crlf() {
        let src =
            "Kerry\r\n[01:55]\r\nI understand\r\nmore of it\r\nMichael\r\n(02:00)\r\nYes.\r\n";
        assert_eq!(
            turns(src),
            vec![
                (
                    1,
                    s("Kerry"),
                    s("[01:55]"),
                    vec!["I understand\nmore of it".into()]
                ),
                (5, s("Michael"), s("(02:00)"), vec!["Yes.".into()]),
            ]
        );
    }

    #[test]
    fn label_and_stamp_only_then_second_stamp_continues_speaker() {
        let src = "Male voice\n[08:57]\nFemale voice\n[08:59]\nText.\n[09:10]\nMore.\n";
        assert_eq!(
            turns(src),
            vec![
                (1, s("Male voice"), s("[08:57]"), vec![]),
                (3, s("Female voice"), s("[08:59]"), vec!["Text.".into()]),
                (6, s("Female voice"), s("[09:10]"), vec!["More.".into()]),
            ]
        );
    }

    #[test]
    fn labels_without_any_stamp_need_to_recur() {
        let src = "Kerry\n\nHello there.\n\nMichael\n\nHi.\n\nKerry\n\nBye.\n\nMichael\n\nBye.\n\nOkay\n\nEnd.\n";
        let t = turns(src);
        assert_eq!(t.len(), 4);
        assert_eq!(
            t[3].3,
            vec!["Bye.".to_owned(), "Okay".to_owned(), "End.".to_owned()]
        );
        assert!(score(src) >= 4);
    }

    /// (label, paragraphs) of each turn.
    fn speech(src: &str) -> Vec<(Option<String>, Vec<String>)> {
        turns(src).into_iter().map(|t| (t.1, t.3)).collect()
    }

    fn said(label: &str, paragraphs: &[&str]) -> (Option<String>, Vec<String>) {
        (s(label), paragraphs.iter().map(|&p| p.to_owned()).collect())
    }

    #[test]
    fn short_question_after_a_label_is_text() {
        // The pyannote sample transcript: `Hello?` stands alone twice, right after a label.
        let src = "Diane\n\nHello?\n\nSheila\n\nHello?\n\n\
                   Diane\n\nOh, hello. I didn't know you were there.\n\n\
                   Sheila\n\nNeither did I.\n";
        assert_eq!(
            speech(src),
            vec![
                said("Diane", &["Hello?"]),
                said("Sheila", &["Hello?"]),
                said("Diane", &["Oh, hello. I didn't know you were there."]),
                said("Sheila", &["Neither did I."]),
            ]
        );
        assert_eq!(score(src), 4);
    }

    #[test]
    fn one_word_answers_after_a_label_are_text() {
        // `Okay` recurs and looks like a label; `Yes.` never does.
        let src = "Diane\n\nOkay\n\nSheila\n\nYes.\n\nDiane\n\nOkay\n\n\
                   Sheila\n\nOkay\n\nDiane\n\nGood, then.\n";
        assert_eq!(
            speech(src),
            vec![
                said("Diane", &["Okay"]),
                said("Sheila", &["Yes."]),
                said("Diane", &["Okay"]),
                said("Sheila", &["Okay"]),
                said("Diane", &["Good, then."]),
            ]
        );
    }

    #[test]
    fn speech_like_lines_do_not_become_labels_by_recurring() {
        // `Hello?` stands alone three times, never right after a label: still text.
        let src = "Diane\n\nWell.\n\nHello?\n\nSheila\n\nHi.\n\nHello?\n\n\
                   Diane\n\nYes.\n\nHello?\n\nSheila\n\nBye.\n";
        assert_eq!(
            speech(src),
            vec![
                said("Diane", &["Well.", "Hello?"]),
                said("Sheila", &["Hi.", "Hello?"]),
                said("Diane", &["Yes.", "Hello?"]),
                said("Sheila", &["Bye."]),
            ]
        );
        // An uncertain label of a recurring speaker is still a label.
        let src = "Kerry\n\nHi.\n\nMichael\n\nHello.\n\nKerry\n\nBye.\n\n\
                   Michael\n\nBye.\n\nKerry?\n\nOr not.\n";
        assert_eq!(
            speech(src),
            vec![
                said("Kerry", &["Hi."]),
                said("Michael", &["Hello."]),
                said("Kerry", &["Bye."]),
                said("Michael", &["Bye."]),
                said("Kerry?", &["Or not."]),
            ]
        );
    }

    #[test]
    fn a_stamp_after_a_label_like_line_makes_it_a_label() {
        // Right after a stamp `Hello?` is text; followed by a stamp, even a speech-like line
        // is a label, also right after another label (whose turn is then empty).
        let src = "Diane\n\n[00:01]\n\nHello?\n\nSheila\n\n[00:02]\n\nHello?\n\n\
                   Diane\n\nMale voice, Syrian?\n\n[00:05]\n\nYes.\n";
        assert_eq!(
            turns(src),
            vec![
                (1, s("Diane"), s("[00:01]"), vec!["Hello?".into()]),
                (7, s("Sheila"), s("[00:02]"), vec!["Hello?".into()]),
                (13, s("Diane"), None, vec![]),
                (
                    15,
                    s("Male voice, Syrian?"),
                    s("[00:05]"),
                    vec!["Yes.".into()]
                ),
            ]
        );
    }

    /// The lines of the turns.
    fn starts(src: &str) -> Vec<usize> {
        turns(src).into_iter().map(|t| t.0).collect()
    }

    #[test]
    fn short_text_after_a_stampless_label_stays_text() {
        // `Yes.` and `Okay` right after a label are that speaker's words, however often.
        let src = "Kerry\n\nHi there.\n\nFemale voice\n\nYes.\n\nKerry\n\nOkay\n\n\
                   Female voice\n\nYes.\n\nKerry\n\nOkay\n\nFemale voice\n\nBye.\n";
        assert_eq!(
            speech(src),
            vec![
                said("Kerry", &["Hi there."]),
                said("Female voice", &["Yes."]),
                said("Kerry", &["Okay"]),
                said("Female voice", &["Yes."]),
                said("Kerry", &["Okay"]),
                said("Female voice", &["Bye."]),
            ]
        );
    }

    #[test]
    fn a_label_without_a_stamp_among_stamped_ones_is_a_label() {
        // A role (`Translator`) and a one-letter typo of a recurring label (`Keirry`) stand
        // alone between text paragraphs: labels, though no stamp follows them.
        let src = "Kerry\n\n[00:01]\n\nHi.\n\nMale voice\n\n[00:05]\n\nSpeaks Arabic/Syrian\n\n\
                   Translator\n\nThe White Helmets.\n\nKerry\n\n[00:09]\n\nGood.\n\n\
                   Keirry\n\nAnd more.\n";
        assert_eq!(starts(src), [1, 7, 13, 17, 23]);
        assert_eq!(
            speech(src)[2..],
            [
                said("Translator", &["The White Helmets."]),
                said("Kerry", &["Good."]),
                said("Keirry", &["And more."]),
            ]
        );
    }

    #[test]
    fn labels_without_any_stamp_are_learnt_from_the_file() {
        // No stamp at all: `Kerry` and `Male voice` recur; `Kirby? someone else` reads like
        // speech but stands alone between text paragraphs twice, so `Kirby?` names a known
        // speaker; `Keirry` is a typo of a recurring label; `Female voic` and `Female voice2,
        // translator` name a role; `Speaks Arabic/Syrian` is a note, never a label.
        let src = "Title of the piece\n\n\
                   Male voice\n\nComing from Aleppo.\n\n\
                   Kerry\n\nI understand.\n\n\
                   Female voic\n\nI love your statement.\n\n\
                   Kerry\n\nLook, it is hard.\n\nSpeaks Arabic/Syrian\n\n\
                   Male voice\n\nSpeaks Arabic/Syrian\n\n\
                   Female voice2, translator\n\nI will talk, please.\n\n\
                   Keirry\n\nSo that is where we are.\n\n\
                   Kirby? someone else\n\nDo you have videos?\n\n\
                   Female voice\n\nNo.\n\n\
                   Kirby? someone else\n\nWell, they are a terrorist organization.\n\n\
                   Kirby?\n\nHow many?\n";
        assert_eq!(
            speech(src),
            vec![
                said("Male voice", &["Coming from Aleppo."]),
                said("Kerry", &["I understand."]),
                said("Female voic", &["I love your statement."]),
                said("Kerry", &["Look, it is hard.", "Speaks Arabic/Syrian"]),
                said("Male voice", &["Speaks Arabic/Syrian"]),
                said("Female voice2, translator", &["I will talk, please."]),
                said("Keirry", &["So that is where we are."]),
                said("Kirby? someone else", &["Do you have videos?"]),
                said("Female voice", &["No."]),
                said(
                    "Kirby? someone else",
                    &["Well, they are a terrorist organization."]
                ),
                said("Kirby?", &["How many?"]),
            ]
        );
    }

    #[test]
    fn a_speech_like_line_seen_right_after_a_label_is_never_learnt_as_one() {
        // `Really? Wow` stands alone between text paragraphs twice, but once it is Diane's
        // first words: speech everywhere.
        let src = "Diane\n\nReally? Wow\n\nSheila\n\nHi.\n\nReally? Wow\n\nMore.\n\n\
                   Diane\n\nText.\n\nReally? Wow\n\nEnd.\n\nSheila\n\nBye.\n";
        assert_eq!(
            speech(src),
            vec![
                said("Diane", &["Really? Wow"]),
                said("Sheila", &["Hi.", "Really? Wow", "More."]),
                said("Diane", &["Text.", "Really? Wow", "End."]),
                said("Sheila", &["Bye."]),
            ]
        );
    }

    #[test]
    fn cues_need_a_file_with_labels() {
        // Without any stamp, colon or recurring label there is no vocabulary to extend:
        // three one-off headings are lines of prose (more than the short-transcript rule's
        // two), a refrain standing alone between stanzas is part of the poem, and the block
        // format finds nothing.
        for src in [
            "Introduction\n\nText one.\n\nMethods\n\nText two.\n\nResults\n\nThe end.\n",
            "The night was long,\nthe road was cold.\n\nOh, my darling\n\n\
             The day was short,\nthe sun was gold.\n\nOh, my darling\n\nAnd so it ends.\n",
        ] {
            assert_eq!(score(src), 0, "{src}");
            assert!(turns(src).iter().all(|t| t.1.is_none()), "{src}");
        }
    }

    /// (label, paragraphs) of each turn, the block format named by the user.
    fn forced(src: &str) -> Vec<(Option<String>, Vec<String>)> {
        parse(src, Mode::Forced)
            .turns
            .into_iter()
            .map(|t| {
                (
                    t.speaker_raw,
                    t.paragraphs.into_iter().map(|p| p.1).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn forced_block_reads_a_lone_unconfirmed_label() {
        // No stamp, colon, recurring label, role or name: detected, the file is prose (a
        // heading and text); named as block, a label-like line standing alone is a label.
        let heading = "Chapter two\n\nAnd so, my fellow Americans, ask not.\n";
        assert_eq!(
            speech(heading),
            [(
                None,
                vec!["And so, my fellow Americans, ask not.".to_owned()]
            )]
        );
        assert_eq!(
            forced(heading),
            [said(
                "Chapter two",
                &["And so, my fellow Americans, ask not."]
            )]
        );
        let kennedy = "Kennedy\n\nAnd so, my fellow Americans, ask not.\n";
        assert_eq!(
            forced(kennedy),
            [said("Kennedy", &["And so, my fellow Americans, ask not."])]
        );
        assert_eq!(
            forced("awb\n\nAnd you always want to see it.\n"),
            [said("awb", &["And you always want to see it."])]
        );
        // The line right after a label is still text, however it looks.
        assert_eq!(
            forced("Diane\n\nOkay\n\nSheila\n\nYes, fine.\n"),
            [said("Diane", &["Okay"]), said("Sheila", &["Yes, fine."])]
        );
        assert_eq!(
            forced("Speaker\n\nBOBBY RIPPED THE LEDGER\n\nAnd more.\n"),
            [said("Speaker", &["BOBBY RIPPED THE LEDGER", "And more."])]
        );
        // A short title right above a label the file confirms stays a heading.
        let titled = "Title\n\nKerry\n\n[0:01]\n\nHi.\n\nMichael\n\nYes.\n";
        assert_eq!(parse(titled, Mode::Forced).notes, [(1, "Title".to_owned())]);
        assert_eq!(
            forced(titled),
            [said("Kerry", &["Hi."]), said("Michael", &["Yes."])]
        );
        // A label-like line with nothing after it is not a label.
        assert!(forced("Just a title\n").is_empty());
    }

    #[test]
    fn forced_block_keeps_untranscribed_notes_as_text() {
        // `Speaks Arabic/Syrian` stands alone inside Kerry's turn and right after a label:
        // text both times, so the label after it is still a label.
        let src = "Kerry\n\nLook, it is hard.\n\nSpeaks Arabic/Syrian\n\nMore words.\n\n\
                   Male voice\n\nSpeaks Arabic/Syrian\n\nTranslator\n\nThe White Helmets.\n\n\
                   Female voice\n\nTranslates. Speaks Arabic/Syrian\n\nBut we need help.\n";
        assert_eq!(
            forced(src),
            [
                said(
                    "Kerry",
                    &["Look, it is hard.", "Speaks Arabic/Syrian", "More words."]
                ),
                said("Male voice", &["Speaks Arabic/Syrian"]),
                said("Translator", &["The White Helmets."]),
                said(
                    "Female voice",
                    &["Translates. Speaks Arabic/Syrian", "But we need help."]
                ),
            ]
        );
    }

    #[test]
    fn a_file_opening_with_a_role_label_is_one_turn() {
        // Detected, not named: a role label on the first line, with no other line standing
        // alone except right after it, is that speaker's turn.
        for (src, label, text) in [
            (
                "Speaker\n\nmary rolled the barrel\n",
                "Speaker",
                &["mary rolled the barrel"][..],
            ),
            (
                "\n\nInterviewer\r\n\r\nOkay\r\n\r\nSo tell me.\r\n",
                "Interviewer",
                &["Okay", "So tell me."][..],
            ),
            (
                "Speaker\n\nHello.\n\nSpeaks Arabic/Syrian\n\nMore.\n",
                "Speaker",
                &["Hello.", "Speaks Arabic/Syrian", "More."][..],
            ),
        ] {
            assert_eq!(speech(src), [said(label, text)], "{src:?}");
            assert_eq!(score(src), 1, "{src:?}");
        }
        // A line standing alone that names nobody (`Chapter two`, `Interview notes`), a
        // first line that reads like speech or does not stand alone: no label.
        for src in [
            "Guest speaker\n\nFirst part.\n\nChapter two\n\nSecond part.\n",
            "Hello, speaker?\n\nYes, I hear you.\n",
            "Speaker\nmary rolled the barrel\n",
            "Interview notes\n\nInterviewer\n\nHello.\n",
        ] {
            assert_eq!(score(src), 0, "{src:?}");
            assert!(speech(src).iter().all(|t| t.0.is_none()), "{src:?}");
        }
    }

    #[test]
    fn short_transcripts_open_with_their_labels_in_any_script() {
        // Issue 13: one or two turns, each a short line standing alone above its text.
        for (src, want) in [
            (
                "Lector\n\nEn un lugar de la Mancha, de cuyo nombre no quiero acordarme.\n",
                vec![said(
                    "Lector",
                    &["En un lugar de la Mancha, de cuyo nombre no quiero acordarme."],
                )],
            ),
            (
                "話者A\n\nこんにちは、今日はいい天気ですね。\n\n話者B\n\nそうですね。\n",
                vec![
                    said("話者A", &["こんにちは、今日はいい天気ですね。"]),
                    said("話者B", &["そうですね。"]),
                ],
            ),
            (
                "Speaker 1\n\nHello and welcome.\n",
                vec![said("Speaker 1", &["Hello and welcome."])],
            ),
            (
                "Speaker 1\n\nHello.\n\nSpeaker 2\n\nHi.\n",
                vec![said("Speaker 1", &["Hello."]), said("Speaker 2", &["Hi."])],
            ),
            (
                "awb\n\nAnd you always want to see it in the superlative degree.\n",
                vec![said(
                    "awb",
                    &["And you always want to see it in the superlative degree."],
                )],
            ),
            (
                "Dr. Smith\n\nAt the hospital, of course.\n",
                vec![said("Dr. Smith", &["At the hospital, of course."])],
            ),
        ] {
            assert_eq!(speech(src), want, "{src:?}");
            let d = parse(src, Mode::Detected);
            assert_eq!(d.reading.len(), want.len(), "{src:?}");
            assert!(d.reading[0].contains("read as a speaker label"), "{src:?}");
            assert!(d.problems.is_empty(), "{src:?}: {:?}", d.problems);
        }
        // A label that could be a title read aloud is read as a label, and reported.
        let d = parse(
            "The Raven\n\nOnce upon a midnight dreary, while I pondered.\n",
            Mode::Detected,
        );
        assert_eq!(d.turns[0].speaker_raw.as_deref(), Some("The Raven"));
        assert_eq!(d.problems.len(), 1);
        assert_eq!(d.problems[0].kind, "ambiguous_label");
        assert!(
            d.problems[0]
                .suggestion
                .as_deref()
                .unwrap()
                .contains("plain")
        );
        // Named as block, nothing is ambiguous.
        let d = parse(
            "The Raven\n\nOnce upon a midnight dreary, while I pondered.\n",
            Mode::Forced,
        );
        assert!(d.problems.is_empty());
    }

    #[test]
    fn labels_with_dots_are_labels() {
        // Issue 13: `B.J.`, `Dr. Smith`, `Mr. X` recurring in an acted dialogue.
        let src = "B.J.\n\nWhere were you last night?\n\nDr. Smith\n\nAt the hospital.\n\n\
                   Mr. X\n\nHe was with me.\n\nB.J.\n\nAll night?\n\nDr. Smith\n\nYes.\n\n\
                   Mr. X\n\nAll night.\n";
        let got: Vec<Option<String>> = speech(src).into_iter().map(|t| t.0).collect();
        assert_eq!(
            got,
            ["B.J.", "Dr. Smith", "Mr. X", "B.J.", "Dr. Smith", "Mr. X"].map(s)
        );
        assert!(looks_like_label("B.J."));
        assert!(looks_like_label("J.R.R. Tolkien"));
        assert!(!looks_like_label("He left."));
        assert!(!reads_like_text("B.J. Hunnicutt"));
    }

    #[test]
    fn stamp_span_points_at_the_stamp() {
        let src = "\u{feff}Kerry\r\n\r\n  [31:99]  \r\n\r\nWell.";
        let d = parse(src, Mode::Detected);
        let stamp = d.turns[0].stamp.as_ref().unwrap();
        let (a, b) = stamp.span.unwrap();
        assert_eq!(&src[a..b], "[31:99]");
        assert_eq!(stamp.line, Some(3));
    }
}
