//! Speaker labels: what looks like one, how it is normalised, and which spellings are one
//! speaker.
//!
//! Normalising: surrounding space and trailing `:` go; a `?` marks the label as a guess
//! (`Kerry?`, `Kirby? someone else`, `Male voice, Syrian?`) and the name is what comes before
//! the `?` (the guess), the alternative after it dropped. Case differences are folded to the
//! most common spelling.
//!
//! Grouping typos: a rare spelling one edit (insertion, deletion, substitution or swap of
//! adjacent letters) away from a spelling used at least twice as often is taken as a typo of
//! it (`Keirry` → `Kerry`, `Female voic` → `Female voice`), provided the edit is a letter in
//! a word of five or more letters. So numbered or lettered speakers (`Female voice1`,
//! `Speaker A` / `Speaker B`) and short names (`Dave` / `Dane`) stay apart, and two different
//! names (`Kirby`, `Kerry`: two edits) are never merged. Every grouping is listed in
//! [`Transcript::speaker_groups`](super::Transcript::speaker_groups) and reported.

use std::collections::HashMap;

use super::{Problem, Severity, SpeakerGroup, Turn};

/// A label reduced to the speaker it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The speaker name, spaces collapsed, the guess marker and alternative removed.
    pub name: String,
    /// The label marks the speaker as a guess.
    pub uncertain: bool,
}

/// Normalises one label as written (`Kirby ? someone else` → `Kirby`, uncertain).
pub fn normalise(raw: &str) -> Label {
    let trimmed = raw.trim().trim_end_matches([':', ' ', '\t']);
    let uncertain = trimmed.contains('?');
    let head = trimmed.split('?').next().unwrap_or("");
    let head = head.trim_end_matches(|c: char| c.is_whitespace() || ",;(-/:".contains(c));
    let name = head.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = if name.is_empty() {
        "Unknown".to_owned()
    } else {
        name
    };
    Label { name, uncertain }
}

/// The case-folded key speakers are compared by.
pub(crate) fn key(name: &str) -> String {
    name.to_lowercase()
}

/// True when a short line could be a speaker label: 1–6 words, at most 48 characters,
/// starting with a letter, no bracket or quote, and not ending like a sentence (`.`, `!`,
/// `,`, `;`, `…`, and the CJK `。`, `！`, `，`, `、`), though a closing `.` of initials or a
/// title is allowed (`B.J.`, `Smith Jr.`). A trailing `?` or `:` is allowed (`Kerry?`, `Michael?:`). Whether it *is*
/// a label depends on what surrounds it; that is each parser's rule.
pub(crate) fn looks_like_label(s: &str) -> bool {
    let s = s.trim();
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !first.is_alphabetic() || s.chars().count() > 48 {
        return false;
    }
    if s.split_whitespace().count() > 6 {
        return false;
    }
    if s.contains("..") || s.contains(['[', ']', '(', ')', '{', '}', '"', '<', '>', '…']) {
        return false;
    }
    let body = s.trim_end_matches([':', '?', ' ']);
    // A closing `.` that ends an abbreviation (`B.J.`, `Smith Jr.`) is part of a name.
    let last = body.split_whitespace().last().unwrap_or("");
    let dotted_name = body.ends_with('.') && is_abbreviation(last);
    // Sentence endings in Latin and in CJK scripts (`そうですね。`).
    let sentence_end = ['.', '!', ',', ';', '-', '。', '！', '，', '；', '、', '｡'];
    !body.is_empty() && (dotted_name || !body.ends_with(sentence_end))
}

/// True for a word whose `.` marks an abbreviation, not a sentence end: a title (`Dr.`,
/// `Mrs.`, `Jr.`) or initials (`B.`, `B.J.`, `J.R.R.`: single letters, each followed by a dot).
pub(crate) fn is_abbreviation(word: &str) -> bool {
    let Some(head) = word.strip_suffix('.') else {
        return false;
    };
    TITLES.contains(&head.to_lowercase().as_str())
        || (!head.is_empty()
            && head.split('.').all(|part| {
                let mut chars = part.chars();
                chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
            }))
}

/// Title abbreviations whose `.` is not sentence punctuation (`Dr. Smith`, `Mrs. Jones`).
const TITLES: [&str; 8] = ["mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof"];

/// True when a label-like line also reads like speech: it ends in `?` (`Hello?`, `Kerry?`),
/// or it has several words and sentence punctuation (`Oh, okay`, `Really? Wow`,
/// `Female voice2, translator`); the `.` of a title or of initials (`Dr. Smith`, `B.J. Hunt`)
/// does not count. Such a line needs more than its own recurrence to be a label; that is
/// each parser's rule.
pub(crate) fn reads_like_text(s: &str) -> bool {
    let s = s.trim().trim_end_matches([':', ' ', '\t']);
    if s.ends_with('?') {
        return true;
    }
    let mut words = s.split_whitespace();
    let several = words.clone().nth(1).is_some();
    several
        && (s.contains([',', ';', '!', '?'])
            || words.any(|w| w.ends_with('.') && !is_abbreviation(w)))
}

/// Words that name a speaker by role rather than by name, in any transcript (`Translator`,
/// `Male voice`, `Speaker 2`, `Interviewer`); compared lower-case with trailing digits
/// removed (`voice2` is `voice`).
const ROLE_WORDS: &[&str] = &[
    "speaker",
    "voice",
    "male",
    "female",
    "man",
    "woman",
    "translator",
    "interpreter",
    "interviewer",
    "interviewee",
    "moderator",
    "host",
    "narrator",
    "reporter",
    "presenter",
    "audience",
    "caller",
    "unidentified",
    "unknown",
];

/// True when a line names a speaker by a role word (`Translator`, `Female voice2, translator`,
/// `Someone else, male voice`): it starts with a capital and one of its words is a role word.
pub(crate) fn names_a_role(s: &str) -> bool {
    let s = s.trim();
    s.starts_with(char::is_uppercase)
        && s.split(|c: char| !c.is_alphanumeric()).any(|w| {
            let w = w
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .to_lowercase();
            ROLE_WORDS.contains(&w.as_str())
        })
}

/// Fills `speaker` and `uncertain` of every turn from `speaker_raw`, folds case, groups likely
/// typos, and returns the groups and one `speaker_typo` warning per turn whose label was
/// taken as a typo.
pub(crate) fn assign(turns: &mut [Turn]) -> (Vec<SpeakerGroup>, Vec<Problem>) {
    // Each distinct key: its spellings with counts, in first-seen order.
    struct Entry {
        count: usize,
        spellings: Vec<(String, usize)>,
        index: HashMap<String, usize>,
    }
    let mut order: Vec<String> = Vec::new();
    let mut entries: HashMap<String, Entry> = HashMap::new();
    let mut labels: Vec<Option<Label>> = Vec::with_capacity(turns.len());
    for turn in turns.iter() {
        let label = turn.speaker_raw.as_deref().map(normalise);
        if let Some(l) = &label {
            let k = key(&l.name);
            let e = entries.entry(k.clone()).or_insert_with(|| {
                order.push(k);
                Entry {
                    count: 0,
                    spellings: Vec::new(),
                    index: HashMap::new(),
                }
            });
            e.count += 1;
            match e.index.get(&l.name) {
                Some(&i) => e.spellings[i].1 += 1,
                None => {
                    e.index.insert(l.name.clone(), e.spellings.len());
                    e.spellings.push((l.name.clone(), 1));
                }
            }
        }
        labels.push(label);
    }
    // The display spelling of each key: the most common, first seen on ties.
    let displays: HashMap<&str, &str> = entries
        .iter()
        .map(|(k, e)| {
            let mut best = &e.spellings[0];
            for s in &e.spellings[1..] {
                if s.1 > best.1 {
                    best = s;
                }
            }
            (k.as_str(), best.0.as_str())
        })
        .collect();
    let display = |k: &str| -> String { displays[k].to_owned() };
    // Typo targets: the most frequent keys (bounded, so a file of a million distinct
    // "labels" stays linear), each compared with rarer keys.
    let mut by_count: Vec<&String> = order.iter().collect();
    by_count.sort_by(|a, b| entries[*b].count.cmp(&entries[*a].count));
    let targets: Vec<&String> = by_count
        .iter()
        .copied()
        .filter(|k| entries[*k].count >= 2)
        .take(64)
        .collect();
    let mut typo_of: HashMap<&str, &str> = HashMap::new();
    if order.len() <= 4096 {
        for k in &order {
            let count = entries[k].count;
            let best = targets
                .iter()
                .filter(|t| entries[**t].count >= 2 * count && *t != &k)
                .find(|t| one_letter_edit(k, t));
            if let Some(t) = best {
                typo_of.insert(k.as_str(), t.as_str());
            }
        }
    }
    // Follow chains (a typo of a typo); counts at least double per step, so this ends.
    let canonical_of = |k: &str| -> String {
        let mut k = k;
        while let Some(t) = typo_of.get(k) {
            k = t;
        }
        k.to_owned()
    };

    let mut groups: Vec<SpeakerGroup> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    for k in &order {
        let canon = canonical_of(k);
        let mut variants: Vec<String> = Vec::new();
        let canon_display = display(&canon);
        for (spelling, _) in &entries[k].spellings {
            if *spelling != canon_display {
                variants.push(spelling.clone());
            }
        }
        if variants.is_empty() {
            continue;
        }
        let gi = *group_index.entry(canon.clone()).or_insert_with(|| {
            groups.push(SpeakerGroup {
                canonical: canon_display.clone(),
                variants: Vec::new(),
            });
            groups.len() - 1
        });
        for v in variants {
            if !groups[gi].variants.contains(&v) {
                groups[gi].variants.push(v);
            }
        }
    }

    let mut problems = Vec::new();
    for (turn, label) in turns.iter_mut().zip(labels) {
        let Some(label) = label else {
            turn.speaker = None;
            continue;
        };
        let k = key(&label.name);
        let canon = canonical_of(&k);
        let name = display(&canon);
        if canon != k {
            problems.push(Problem {
                line: turn.line,
                kind: "speaker_typo".into(),
                message: format!(
                    "speaker label {:?} looks like a misspelling of {name:?} ({} turns); \
                     counted as {name}",
                    label.name, entries[&canon].count
                ),
                suggestion: Some(format!(
                    "write {name:?} if it is the same person; otherwise give the label a \
                     clearly different name"
                )),
                severity: Severity::Warning,
            });
        }
        turn.speaker = Some(name);
        turn.uncertain = label.uncertain;
    }
    (groups, problems)
}

/// True when `a` and `b` differ by one edit of letters (insertion, deletion, substitution, or
/// swap of two adjacent letters) inside a word of at least five letters in the longer one.
pub(crate) fn one_letter_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let da = &a[prefix..a.len() - suffix];
    let db = &b[prefix..b.len() - suffix];
    let single = match (da.len(), db.len()) {
        (1, 0) | (0, 1) | (1, 1) => true,
        (2, 2) => da[0] == db[1] && da[1] == db[0],
        _ => false,
    };
    let longer = if a.len() >= b.len() { &a } else { &b };
    single && da.iter().chain(db).all(|c| c.is_alphabetic()) && word_len_at(longer, prefix) >= 5
}

/// Letters in the word of `s` that holds position `pos`.
fn word_len_at(s: &[char], pos: usize) -> usize {
    let is_word = |c: &char| c.is_alphanumeric() || *c == '\'' || *c == '-';
    let start = s[..pos]
        .iter()
        .rposition(|c| !is_word(c))
        .map_or(0, |i| i + 1);
    let end = s[pos..]
        .iter()
        .position(|c| !is_word(c))
        .map_or(s.len(), |i| pos + i);
    end.saturating_sub(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Stamp;

    fn label(raw: &str) -> (String, bool) {
        let l = normalise(raw);
        (l.name, l.uncertain)
    }

    #[test]
    fn normalises_the_kerry_labels() {
        assert_eq!(label("Kerry"), ("Kerry".into(), false));
        assert_eq!(label("Kerry?"), ("Kerry".into(), true));
        assert_eq!(label("Michael?:"), ("Michael".into(), true));
        assert_eq!(label("Kirby? someone else"), ("Kirby".into(), true));
        assert_eq!(label("Kirby ? someone else"), ("Kirby".into(), true));
        assert_eq!(
            label("Male voice, Syrian?"),
            ("Male voice, Syrian".into(), true)
        );
        assert_eq!(
            label("Female voice2, translator"),
            ("Female voice2, translator".into(), false)
        );
        assert_eq!(label("  KERRY:  "), ("KERRY".into(), false));
        assert_eq!(label("Kerry (?)"), ("Kerry".into(), true));
        assert_eq!(label("?"), ("Unknown".into(), true));
    }

    #[test]
    fn label_shapes() {
        for yes in [
            "Kerry",
            "Kerry?",
            "Michael?:",
            "Female voice2, translator",
            "Speaker 1",
            "Dr. Smith",
        ] {
            assert!(looks_like_label(yes), "{yes}");
        }
        for no in [
            "Audio reveals what John Kerry told Syrians behind closed doors",
            "Thank you.",
            "I understand ...",
            "[01:55]",
            "Yes!",
            "",
            "1 2 3",
            "Go ahead, go ahead ...",
        ] {
            assert!(!looks_like_label(no), "{no}");
        }
    }

    #[test]
    fn text_shapes() {
        for text in [
            "Hello?",
            "Kerry?",
            "Kirby ? someone else",
            "Oh, okay",
            "Female voice2, translator",
            "Really? Wow",
            "Fine. Thanks",
            "Why?:",
        ] {
            assert!(reads_like_text(text), "{text}");
        }
        for label in [
            "Kerry",
            "Okay",
            "Male voice",
            "Dr. Smith",
            "Mrs. Jones",
            "Speaker 1",
        ] {
            assert!(!reads_like_text(label), "{label}");
        }
    }

    #[test]
    fn role_words() {
        for role in [
            "Translator",
            "Female voice2, translator",
            "Someone else, male voice",
            "Speaker 1",
            "INTERVIEWER",
        ] {
            assert!(names_a_role(role), "{role}");
        }
        for not in [
            "Kerry", "Okay", "Yes", "voice", "Hello?", "Germany", "Voiced",
        ] {
            assert!(!names_a_role(not), "{not}");
        }
    }

    #[test]
    fn one_edit_rules() {
        assert!(one_letter_edit("keirry", "kerry"));
        assert!(one_letter_edit("female voic", "female voice"));
        assert!(one_letter_edit("kerry", "kerYr".to_lowercase().as_str()));
        assert!(!one_letter_edit("female voice1", "female voice"));
        assert!(!one_letter_edit("speaker a", "speaker b"));
        assert!(!one_letter_edit("kirby", "kerry"));
        assert!(!one_letter_edit("dave", "dane"));
        assert!(!one_letter_edit("male voice", "female voice"));
        assert!(!one_letter_edit("speaker 1", "speaker 2"));
    }

    fn turn(raw: &str, line: usize) -> Turn {
        Turn {
            index: 0,
            line,
            speaker_raw: Some(raw.into()),
            speaker: None,
            uncertain: false,
            stated: Stamp::missing(),
            text: String::new(),
            transcribed: false,
            spans: vec![],
        }
    }

    #[test]
    fn groups_typos_and_case_and_reports_typos_only() {
        let raws = [
            "Kerry",
            "KERRY",
            "Kerry",
            "Keirry",
            "Kirby?",
            "Female voice",
            "Female voice",
            "Female voic",
        ];
        let mut turns: Vec<Turn> = raws
            .iter()
            .enumerate()
            .map(|(i, r)| turn(r, i + 1))
            .collect();
        let (groups, problems) = assign(&mut turns);
        let speakers: Vec<_> = turns.iter().map(|t| t.speaker.clone().unwrap()).collect();
        assert_eq!(
            speakers,
            [
                "Kerry",
                "Kerry",
                "Kerry",
                "Kerry",
                "Kirby",
                "Female voice",
                "Female voice",
                "Female voice"
            ]
        );
        assert!(turns[4].uncertain);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].canonical, "Kerry");
        assert_eq!(groups[0].variants, ["KERRY", "Keirry"]);
        assert_eq!(groups[1].variants, ["Female voic"]);
        let lines: Vec<_> = problems.iter().map(|p| (p.line, p.kind.as_str())).collect();
        assert_eq!(lines, [(4, "speaker_typo"), (8, "speaker_typo")]);
    }

    #[test]
    fn equally_common_spellings_stay_apart() {
        let mut turns: Vec<Turn> = ["Speaker A", "Speaker B", "Kerry", "Kerri"]
            .iter()
            .map(|r| turn(r, 1))
            .collect();
        let (groups, problems) = assign(&mut turns);
        assert!(groups.is_empty() && problems.is_empty());
    }
}
