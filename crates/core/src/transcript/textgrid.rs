//! Praat TextGrid, long and short text formats (UTF-8, UTF-16 and Latin-1 as Praat writes
//! them; the decoding is `decode`'s).
//!
//! Both formats are one stream of tokens, as Praat reads them: numbers, `"strings"` (a quote
//! doubled inside), `<flags>`; words such as `xmin =` or `intervals: size =`, `[n]` indices
//! and `!` comments are skipped. So one reader takes both.
//!
//! Interval tiers give the turns, one per interval with text. With several such tiers each
//! tier is a speaker (its name); a lone tier names a speaker unless its name is generic
//! (`transcription`, `utterances`, `Tier 1`, ...), and `A: text` labels inside its intervals
//! name speakers when they are the tier's habit. Point tiers (`TextTier`) and word or phone
//! tiers (a name ending in `words`, `phones`, ...: MFA's `speaker - words`, talign's own) are
//! listed in [`Transcript::tiers`](super::Transcript::tiers) with why they were not read.
//!
//! Refused as `malformed` (line given): a file cut short, an unknown tier class, a time that
//! is not a number, an interval ending before it starts, overlapping intervals in one tier,
//! an interval outside its tier. A binary (`ooBinaryFile`) or chronological TextGrid is
//! refused with what to do; [`read`](super::read) sees a binary one's header before its NUL
//! bytes would make it "binary data".

use super::timed::{self, Item, is_generic, is_subunit, malformed};
use super::{Draft, Problem, TierInfo};

const FIX: &str = "open it in Praat (Read from file...) to see what is wrong, or save it again \
                   from the program that wrote it";

/// A token of a Praat text file.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(String),
    Text(String),
    Flag(String),
}

/// Tokens of a Praat text file.
struct Tokens<'a> {
    src: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Tokens<'a> {
    fn new(src: &'a str) -> Self {
        Tokens {
            src: src.trim_start_matches('\u{feff}'),
            pos: 0,
            line: 1,
        }
    }

    fn bump(&mut self, c: char) {
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    /// The next token with its line; `Ok(None)` at the end; `Err(line)` for a string that
    /// never closes.
    fn next(&mut self) -> Result<Option<(usize, Token)>, usize> {
        loop {
            let Some(c) = self.peek() else {
                return Ok(None);
            };
            let line = self.line;
            if c.is_whitespace() {
                self.bump(c);
            } else if c == '!' {
                while let Some(c) = self.peek().filter(|&c| c != '\n') {
                    self.bump(c);
                }
            } else if c == '"' {
                self.bump(c);
                let mut text = String::new();
                loop {
                    match self.peek() {
                        None => return Err(line),
                        Some('"') => {
                            self.bump('"');
                            if self.peek() == Some('"') {
                                self.bump('"');
                                text.push('"');
                            } else {
                                return Ok(Some((line, Token::Text(text))));
                            }
                        }
                        Some(c) => {
                            self.bump(c);
                            text.push(c);
                        }
                    }
                }
            } else if c == '<' {
                let start = self.pos;
                while let Some(c) = self.peek() {
                    self.bump(c);
                    if c == '>' || c == '\n' {
                        break;
                    }
                }
                let flag = self.src[start..self.pos].trim().to_owned();
                return Ok(Some((line, Token::Flag(flag))));
            } else if c == '[' {
                while let Some(c) = self.peek() {
                    self.bump(c);
                    if c == ']' || c == '\n' {
                        break;
                    }
                }
            } else {
                let start = self.pos;
                // A word ends at a quote too: `class="TextGrid"` is a word and a text.
                while let Some(c) = self.peek().filter(|&c| !c.is_whitespace() && c != '"') {
                    self.bump(c);
                }
                let word = &self.src[start..self.pos];
                let numeric = word
                    .trim_start_matches(['-', '+'])
                    .starts_with(|c: char| c.is_ascii_digit() || c == '.');
                if numeric && !word.ends_with(':') {
                    return Ok(Some((line, Token::Number(word.to_owned()))));
                }
            }
        }
    }
}

/// Why reading stopped: the line and what to say.
type Stop = (usize, String);

/// A reader over the tokens that knows what it expects next.
struct Reader<'a> {
    tokens: Tokens<'a>,
    /// Line of the last token read.
    line: usize,
}

impl Reader<'_> {
    fn token(&mut self, what: &str) -> Result<Token, Stop> {
        match self.tokens.next() {
            Ok(Some((line, t))) => {
                self.line = line;
                Ok(t)
            }
            Ok(None) => Err((
                self.tokens.line,
                format!(
                    "the TextGrid ends where {what} should follow (after line {}); the file \
                     looks cut short",
                    self.line
                ),
            )),
            Err(line) => Err((
                line,
                "a quoted text that never closes (a `\"` is missing); the file may be cut short"
                    .into(),
            )),
        }
    }

    fn number(&mut self, what: &str) -> Result<f64, Stop> {
        match self.token(what)? {
            Token::Number(n) => match n.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err((self.line, format!("{what} `{n}` is not a number"))),
            },
            other => Err((
                self.line,
                format!("expected {what} (a number), found {}", shown(&other)),
            )),
        }
    }

    fn count(&mut self, what: &str) -> Result<usize, Stop> {
        let line = self.tokens.line;
        let v = self.number(what)?;
        if v < 0.0 || v.fract() != 0.0 {
            return Err((line.max(self.line), format!("{what} `{v}` is not a count")));
        }
        Ok(v as usize)
    }

    fn text(&mut self, what: &str) -> Result<String, Stop> {
        match self.token(what)? {
            Token::Text(t) => Ok(t),
            other => Err((
                self.line,
                format!("expected {what} (quoted text), found {}", shown(&other)),
            )),
        }
    }
}

fn shown(t: &Token) -> String {
    let (kind, text) = match t {
        Token::Number(n) => ("number", n.as_str()),
        Token::Text(s) => ("text", s.as_str()),
        Token::Flag(f) => ("flag", f.as_str()),
    };
    format!("{kind} `{}`", super::show::clipped(text, 40))
}

/// One tier as read.
struct Tier {
    name: String,
    class: String,
    line: usize,
    items: Vec<Item>,
}

/// Parses a TextGrid.
pub(crate) fn parse(source: &str) -> Draft {
    let mut draft = read_draft(source);
    timed::clamp_lines(&mut draft, source);
    draft
}

/// How a binary Praat file opens (`ooBinaryFile`, then the class name, `\x08TextGrid`).
const BINARY_MAGIC: &[u8] = b"ooBinaryFile";

/// True for the bytes of a binary Praat file: checked before the bytes are decoded, since a
/// binary file holds NUL bytes, which would otherwise make it mere "binary data".
pub(crate) fn is_binary(bytes: &[u8]) -> bool {
    bytes.starts_with(BINARY_MAGIC)
}

/// The refusal of a binary Praat TextGrid, which talign does not read.
pub(crate) fn binary_refusal() -> Problem {
    malformed(
        1,
        "this is a binary Praat TextGrid (`ooBinaryFile`), which talign does not read".into(),
        "open it in Praat (Read from file...), save it with Save as text file... (or Save as \
         short text file...), and give that file",
    )
}

/// True when text opens as a Praat text TextGrid: a `File type = "ooTextFile"` line (or
/// `"ooTextFile short"`, or `ooBinaryFile`) then `Object class = "TextGrid"` (or the older
/// short header's bare `"TextGrid"`), the two either way round, spaces between the words
/// and around `=` as they come; or a chronological TextGrid.
pub(crate) fn looks_like_textgrid(head: &str) -> bool {
    if head.starts_with("\"Praat chronological TextGrid") {
        return true;
    }
    // A header line with its whitespace removed: `Filetype="ooTextFileshort"`.
    let squeezed = |l: &str| -> String { l.split_whitespace().collect() };
    let is_file_type = |l: &str| {
        let l = squeezed(l);
        l.starts_with("Filetype=\"ooTextFile")
            || l.starts_with("Filetype=\"ooBinaryFile")
            || l.starts_with("ooBinaryFile")
    };
    let is_class = |l: &str| {
        let l = squeezed(l);
        l == "Objectclass=\"TextGrid\"" || l == "\"TextGrid\""
    };
    let mut lines = head.lines().map(str::trim).filter(|l| !l.is_empty());
    let (Some(first), second) = (lines.next(), lines.next()) else {
        return false;
    };
    if is_file_type(first) {
        second.is_some_and(is_class) || head.contains("\"TextGrid\"")
    } else {
        is_class(first) && second.is_some_and(is_file_type)
    }
}

/// [`parse`] before problem lines are kept inside the file.
fn read_draft(source: &str) -> Draft {
    let mut draft = Draft::default();
    let head = source.trim_start_matches('\u{feff}').trim_start();
    if is_binary(head.as_bytes()) {
        draft.problems.push(binary_refusal());
        return draft;
    }
    if head.starts_with("\"Praat chronological TextGrid") {
        draft.problems.push(malformed(
            1,
            "this is a chronological TextGrid, which talign does not read".into(),
            "in Praat, read it and save it with Save as text file... (the long format)",
        ));
        return draft;
    }
    let mut reader = Reader {
        tokens: Tokens::new(source),
        line: 1,
    };
    match read(&mut reader, &mut draft) {
        Ok(tiers) => finish(tiers, &mut draft),
        Err((line, message)) => draft.problems.push(malformed(line, message, FIX)),
    }
    draft
}

/// Reads header and tiers, checking each tier's intervals as it goes.
fn read(r: &mut Reader<'_>, draft: &mut Draft) -> Result<Vec<Tier>, Stop> {
    // `File type` comes first, as Praat writes it; `Object class` first is taken too.
    let first = r.text("the file type")?;
    let (file_type, class) = if first == "TextGrid" {
        (r.text("the file type")?, first)
    } else {
        (first, r.text("the object class")?)
    };
    if !file_type.starts_with("ooTextFile") {
        return Err((
            r.line,
            format!("file type `{file_type}` is not a Praat text file (`ooTextFile`)"),
        ));
    }
    if class != "TextGrid" {
        return Err((r.line, format!("a Praat `{class}` object, not a TextGrid")));
    }
    let xmin = r.number("the TextGrid's start time (xmin)")?;
    let xmax = r.number("the TextGrid's end time (xmax)")?;
    if xmax < xmin {
        return Err((
            r.line,
            format!("the TextGrid ends ({xmax}) before it starts ({xmin})"),
        ));
    }
    match r.token("`<exists>` or `<absent>`")? {
        Token::Flag(f) if f == "<exists>" => {}
        Token::Flag(f) if f == "<absent>" => return Ok(Vec::new()),
        other => {
            return Err((
                r.line,
                format!("expected `<exists>` or `<absent>`, found {}", shown(&other)),
            ));
        }
    }
    let size = r.count("the number of tiers")?;
    let mut tiers = Vec::new();
    for n in 1..=size {
        let class = r.text(&format!("the class of tier {n}"))?;
        let line = r.line;
        let name = r.text(&format!("the name of tier {n}"))?;
        let what = format!("tier {n} (\"{}\")", super::show::clipped(&name, 40));
        let t0 = r.number(&format!("the start of {what}"))?;
        let t1 = r.number(&format!("the end of {what}"))?;
        if t1 < t0 {
            return Err((line, format!("{what} ends ({t1}) before it starts ({t0})")));
        }
        let count = r.count(&format!("the number of entries of {what}"))?;
        let mut tier = Tier {
            name,
            class: class.clone(),
            line,
            items: Vec::new(),
        };
        match class.as_str() {
            "IntervalTier" => {
                let mut previous_end: Option<f64> = None;
                for k in 1..=count {
                    let at = format!("interval {k} of {what}");
                    let a = r.number(&format!("the start of {at}"))?;
                    let a_line = r.line;
                    let b = r.number(&format!("the end of {at}"))?;
                    let text = r.text(&format!("the text of {at}"))?;
                    if a < 0.0 {
                        return Err((a_line, format!("{at} starts at a negative time ({a})")));
                    }
                    if b < a {
                        return Err((a_line, format!("{at} ends ({b}) before it starts ({a})")));
                    }
                    if let Some(end) = previous_end
                        && a < end - 1e-9
                    {
                        return Err((
                            a_line,
                            format!(
                                "{at} starts at {a}, before interval {} ends ({end}): intervals \
                                 of one tier overlap",
                                k - 1
                            ),
                        ));
                    }
                    if a < t0 - 1e-9 || b > t1 + 1e-9 {
                        return Err((
                            a_line,
                            format!("{at} ({a} to {b}) lies outside its tier ({t0} to {t1})"),
                        ));
                    }
                    previous_end = Some(b);
                    if !text.trim().is_empty() {
                        tier.items.push(Item {
                            start: Some(a),
                            line: a_line,
                            tier: tiers.len(),
                            speaker: None,
                            text,
                        });
                    }
                }
            }
            "TextTier" => {
                for k in 1..=count {
                    r.number(&format!("the time of point {k} of {what}"))?;
                    r.text(&format!("the mark of point {k} of {what}"))?;
                }
            }
            _ => {
                return Err((
                    line,
                    format!(
                        "tier {n} has an unknown class `{}`; a TextGrid holds `IntervalTier` \
                         and `TextTier` tiers",
                        super::show::clipped(&class, 40)
                    ),
                ));
            }
        }
        tiers.push(tier);
    }
    if past_end(&tiers, xmax) {
        draft.reading.push(format!(
            "some tiers run past the TextGrid's end ({xmax} s); read as written"
        ));
    }
    Ok(tiers)
}

fn past_end(tiers: &[Tier], xmax: f64) -> bool {
    tiers
        .iter()
        .flat_map(|t| &t.items)
        .any(|i| i.start.is_some_and(|s| s > xmax + 1e-9))
}

/// Picks the tiers that give turns and names their speakers.
fn finish(tiers: Vec<Tier>, draft: &mut Draft) {
    let mut items = Vec::new();
    let speaking: Vec<usize> = tiers
        .iter()
        .enumerate()
        .filter(|(_, t)| t.class == "IntervalTier" && !is_subunit(&t.name) && !t.items.is_empty())
        .map(|(k, _)| k)
        .collect();
    let named = speaking.len() > 1;
    for (k, tier) in tiers.into_iter().enumerate() {
        let ignored = if tier.class == "TextTier" {
            Some("a point tier (TextTier): points mark instants, not speech".to_owned())
        } else if is_subunit(&tier.name) {
            Some("by its name a word, phone, comment or translation tier: the turns come from the other tiers".to_owned())
        } else if tier.items.is_empty() {
            Some("no interval has text".to_owned())
        } else {
            None
        };
        let speaker = (ignored.is_none() && (named || !is_generic(&tier.name)))
            .then(|| tier.name.trim().to_owned())
            .filter(|s| !s.is_empty());
        draft.tiers.push(TierInfo {
            name: tier.name.clone(),
            kind: if tier.class == "TextTier" {
                "point"
            } else {
                "interval"
            }
            .into(),
            line: tier.line,
            speaker: speaker.clone(),
            turns: if ignored.is_none() {
                tier.items.len()
            } else {
                0
            },
            ignored: ignored.clone(),
        });
        if ignored.is_none() && speaking.contains(&k) {
            items.extend(tier.items.into_iter().map(|mut i| {
                i.speaker.clone_from(&speaker);
                i
            }));
        }
    }
    if speaking.len() > 1 {
        draft.reading.push(format!(
            "{} interval tiers, each read as one speaker's turns",
            speaking.len()
        ));
    } else if speaking.len() == 1 && items.iter().all(|i| i.speaker.is_none()) {
        draft.reading.push(
            "one interval tier with a generic name: speakers from `Name: text` labels, where \
             the intervals use them"
                .into(),
        );
    }
    let before: Vec<bool> = items.iter().map(|i| i.speaker.is_none()).collect();
    timed::labels_in_text(&mut items);
    let from_labels = items
        .iter()
        .zip(before)
        .filter(|(i, was_none)| *was_none && i.speaker.is_some())
        .count();
    if from_labels > 0 {
        draft.reading.push(format!(
            "{from_labels} interval(s) named their speaker in a `Name: text` label"
        ));
    }
    timed::into_turns(items, draft);
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str = "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\nxmin = 0 \nxmax = 4 \ntiers? <exists> \nsize = 3 \nitem []: \n    item [1]:\n        class = \"IntervalTier\" \n        name = \"Kerry\" \n        xmin = 0 \n        xmax = 4 \n        intervals: size = 3 \n        intervals [1]:\n            xmin = 0 \n            xmax = 0.5 \n            text = \"\" \n        intervals [2]:\n            xmin = 0.5 \n            xmax = 2 \n            text = \"I said \"\"no\"\".\" \n        intervals [3]:\n            xmin = 2 \n            xmax = 4 \n            text = \"\" \n    item [2]:\n        class = \"IntervalTier\" \n        name = \"Diane\" \n        xmin = 0 \n        xmax = 4 \n        intervals: size = 2 \n        intervals [1]:\n            xmin = 0 \n            xmax = 1.25 \n            text = \"Yes.\" \n        intervals [2]:\n            xmin = 1.25 \n            xmax = 4 \n            text = \"\" \n    item [3]:\n        class = \"TextTier\" \n        name = \"events\" \n        xmin = 0 \n        xmax = 4 \n        points: size = 1 \n        points [1]:\n            number = 3 \n            mark = \"cough\" \n";

    #[test]
    fn long_format_tiers_are_speakers() {
        let d = parse(LONG);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        let got = crate::transcript::timed::stamped_turns(&d);
        assert_eq!(
            got,
            [
                (Some("Diane"), "0:00:00.000", vec!["Yes."], 34),
                (Some("Kerry"), "0:00:00.500", vec!["I said \"no\"."], 20),
            ]
        );
        assert_eq!(d.tiers.len(), 3);
        assert_eq!(d.tiers[2].kind, "point");
        assert!(
            d.tiers[2]
                .ignored
                .as_deref()
                .unwrap()
                .contains("point tier")
        );
    }

    #[test]
    fn short_format_reads_the_same() {
        let short = "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\n0\n4\n<exists>\n1\n\"IntervalTier\"\n\"transcription\"\n0\n4\n2\n0\n1.5\n\"A: hello\"\n1.5\n4\n\"B: hi there\"\n";
        let d = parse(short);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.turns.len(), 2);
        assert_eq!(d.turns[0].speaker_raw.as_deref(), Some("A"));
        assert_eq!(d.turns[1].speaker_raw.as_deref(), Some("B"));
        assert_eq!(d.turns[1].paragraphs[0].1, "hi there");
        assert_eq!(d.turns[1].stamp.as_ref().unwrap().raw, "0:00:01.500");
        assert_eq!(d.turns[1].line, 16);
    }

    #[test]
    fn older_and_rearranged_headers_read_the_same() {
        let body = "\n0\n4\n<exists>\n1\n\"IntervalTier\"\n\"Kerry\"\n0\n4\n1\n0\n4\n\"Hello.\"\n";
        for header in [
            "File type = \"ooTextFile short\"\n\"TextGrid\"\n",
            "File type = \"ooTextFile short\"\nObject class = \"TextGrid\"\n",
            "Object class = \"TextGrid\"\nFile type = \"ooTextFile\"\n",
            "  Object class=\"TextGrid\"\r\n\r\n\tFile   type =  \"ooTextFile\"\r\n",
            "File  type=\"ooTextFile\"\nObject  class  =  \"TextGrid\"\n",
        ] {
            let src = format!("{header}{body}");
            assert!(looks_like_textgrid(&src), "{header:?}");
            let d = parse(&src);
            assert!(d.problems.is_empty(), "{header:?}: {:?}", d.problems);
            assert_eq!(d.turns.len(), 1);
            assert_eq!(d.turns[0].speaker_raw.as_deref(), Some("Kerry"));
        }
        for text in [
            "The TextGrid file type was ooTextFile.\n",
            "Object class = \"TextGrid\"\nKerry: hello\n",
            "File type = \"ooTextFile\"\nObject class = \"Pitch 1\"\n",
        ] {
            assert!(!looks_like_textgrid(text), "{text:?}");
        }
    }

    #[test]
    fn word_tiers_are_listed_not_read() {
        let src = LONG.replace("\"Diane\"", "\"Kerry - words\"");
        let d = parse(&src);
        assert_eq!(d.turns.len(), 1);
        assert_eq!(d.turns[0].speaker_raw.as_deref(), Some("Kerry"));
        assert!(d.tiers[1].ignored.as_deref().unwrap().contains("word"));
    }

    fn refused(src: &str) -> (usize, String) {
        let d = parse(src);
        let p = d
            .problems
            .iter()
            .find(|p| p.kind == "malformed")
            .unwrap_or_else(|| panic!("not refused: {:?}", d.turns));
        (p.line, p.message.clone())
    }

    #[test]
    fn broken_files_are_refused_with_their_line() {
        let cut = &LONG[..LONG.find("intervals [2]").unwrap()];
        let (line, message) = refused(cut);
        assert!(message.contains("cut short"), "{message}");
        assert!(line >= 18, "{line}");
        let overlap = LONG.replace("xmin = 2 \n", "xmin = 1.5 \n");
        let (line, message) = refused(&overlap);
        assert_eq!(line, 24);
        assert!(message.contains("overlap"), "{message}");
        assert!(
            message.contains("interval 3 of tier 1 (\"Kerry\")"),
            "{message}"
        );
        let (line, message) = refused(&LONG.replace("\"TextTier\"", "\"PitchTier\""));
        assert_eq!(line, 42);
        assert!(message.contains("unknown class `PitchTier`"), "{message}");
        let (_, message) = refused(&LONG.replace("xmax = 0.5", "xmax = abc"));
        assert!(
            message.contains("expected the end of interval 1"),
            "{message}"
        );
        let (_, message) = refused(&LONG.replace("xmax = 2 ", "xmax = 5 "));
        assert!(message.contains("outside its tier"), "{message}");
        let (_, message) = refused("File type = \"ooTextFile\"\nObject class = \"Pitch 1\"\n");
        assert!(message.contains("not a TextGrid"), "{message}");
        let (_, message) = refused("File type = \"ooTextFile\"\nObject class = \"TextGrid\n");
        assert!(message.contains("never closes"), "{message}");
    }
}
