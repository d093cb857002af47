//! The pronouncing dictionary: CMU format, one pronunciation a line.
//!
//! ```text
//! word PH PH PH
//! word(2) PH PH      # variants carry a number; text after `#` is a comment
//! ```
//! Words are looked up lower-case. A dictionary is its text and the start of every
//! pronunciation's line, sorted by (word, variant); a lookup is a binary search that reads
//! the words where they lie. The vendored dictionary's index is made by the build script
//! (`build.rs`), so no process parses, copies or sorts its 135 000 lines: that took 6 MB
//! and 0.1 s of CPU in every process, about half of a short recording's alignment.

use std::borrow::Cow;
use std::path::Path;

use crate::error::{Error, Result};

/// The vendored CMU dictionary (`models/en-us/cmudict-en-us.dict`, from Debian's
/// `pocketsphinx-en-us`, BSD-2), lower-case ASCII as shipped.
const EMBEDDED: &str = include_str!("../../../../models/en-us/cmudict-en-us.dict");

/// Where each pronunciation's line starts in [`EMBEDDED`], sorted by (word, variant):
/// little-endian `u32`s, written by `build.rs`.
const EMBEDDED_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cmudict.index"));

/// A pronouncing dictionary: words to phone sequences, variants in file order.
#[derive(Debug, Clone)]
pub struct Dictionary {
    /// Lines `word PH PH ...` (a variant's word written `word(2)`), words lower-case.
    text: Cow<'static, str>,
    /// Where each pronunciation's line starts in `text`, sorted by (word, variant).
    starts: LineStarts,
}

/// A dictionary's sorted line starts: the build script's bytes, or parsed at run time.
#[derive(Debug, Clone)]
enum LineStarts {
    LittleEndian(&'static [u8]),
    Parsed(Vec<u32>),
}

impl LineStarts {
    fn len(&self) -> usize {
        match self {
            LineStarts::LittleEndian(bytes) => bytes.len() / 4,
            LineStarts::Parsed(starts) => starts.len(),
        }
    }

    fn get(&self, i: usize) -> usize {
        match self {
            LineStarts::LittleEndian(bytes) => {
                let b = &bytes[4 * i..4 * i + 4];
                u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
            }
            LineStarts::Parsed(starts) => starts[i] as usize,
        }
    }
}

/// A parsed line: word, variant number (1 for the first), phones.
type Line<'a> = (&'a str, u16, Vec<&'a str>);

/// Parses one line (`None` for a blank or comment line); the error says why, and the caller
/// adds file and line.
fn parse_line(line: &str) -> std::result::Result<Option<Line<'_>>, String> {
    let line = line.split('#').next().unwrap_or("");
    let mut fields = line.split_whitespace();
    let Some(head) = fields.next() else {
        return Ok(None);
    };
    let (word, variant) = match head.strip_suffix(')').and_then(|h| h.rsplit_once('(')) {
        Some((word, n)) => {
            let n: u16 = n
                .parse()
                .map_err(|_| format!("`{head}`: a variant is written `word(2)`"))?;
            (word, n)
        }
        None => (head, 1),
    };
    if word.is_empty() {
        return Err(format!("`{head}` has no word before its variant number"));
    }
    let phones: Vec<&str> = fields.collect();
    if phones.is_empty() {
        return Err(format!(
            "`{word}` has no phones; write `word PH PH ...` (e.g. `cat K AE T`)"
        ));
    }
    if let Some(bad) = phones.iter().find(|p| {
        !p.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '_')
    }) {
        return Err(format!(
            "`{word}`: `{bad}` is not a phone name (letters, digits, `+`, `_`)"
        ));
    }
    Ok(Some((word, variant, phones)))
}

impl Dictionary {
    /// Parses a dictionary from text. Errors carry the 1-based line of the first bad line.
    pub fn parse(text: &str) -> std::result::Result<Dictionary, (usize, String)> {
        let mut normalised = String::with_capacity(text.len());
        let mut lines: Vec<(u32, u16)> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let Some((word, variant, phones)) = parse_line(line).map_err(|e| (i + 1, e))? else {
                continue;
            };
            let start = u32::try_from(normalised.len())
                .map_err(|_| (i + 1, "dictionary larger than 4 GB".to_string()))?;
            lines.push((start, variant));
            normalised.push_str(&word.to_lowercase());
            for phone in phones {
                normalised.push(' ');
                normalised.push_str(phone);
            }
            normalised.push('\n');
        }
        lines.sort_by(|a, b| {
            word_of_line(&normalised, a.0 as usize)
                .cmp(word_of_line(&normalised, b.0 as usize))
                .then(a.1.cmp(&b.1))
        });
        Ok(Dictionary {
            text: Cow::Owned(normalised),
            starts: LineStarts::Parsed(lines.into_iter().map(|l| l.0).collect()),
        })
    }

    /// Reads a dictionary file; a bad line is an error naming `path:line`.
    pub fn load(path: &Path) -> Result<Dictionary> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::reading(path, e))?;
        Dictionary::parse(&text).map_err(|(line, message)| Error::Transcript {
            path: path.to_path_buf(),
            line,
            message: format!(
                "{message}; fix or delete the line (dictionary lines are `word PH PH ...`)"
            ),
        })
    }

    /// The vendored CMU US-English dictionary, read in place through the build script's
    /// index (a test checks that it agrees with parsing the text).
    pub fn embedded() -> &'static Dictionary {
        static DICT: Dictionary = Dictionary {
            text: Cow::Borrowed(EMBEDDED),
            starts: LineStarts::LittleEndian(EMBEDDED_INDEX),
        };
        &DICT
    }

    /// The word of the `i`-th pronunciation in sorted order.
    fn word(&self, i: usize) -> &str {
        word_of_line(&self.text, self.starts.get(i))
    }

    /// The phones of the `i`-th pronunciation in sorted order.
    fn phones(&self, i: usize) -> Vec<&str> {
        let line = line_at(&self.text, self.starts.get(i));
        let line = line.split('#').next().unwrap_or("");
        line.split_whitespace().skip(1).collect()
    }

    /// Number of pronunciations (lines with a word).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// True when the dictionary has no entries.
    pub fn is_empty(&self) -> bool {
        self.starts.len() == 0
    }

    /// Every pronunciation of `word` (matched lower-case), variants in order; empty when absent.
    pub(crate) fn lookup(&self, word: &str) -> Vec<Vec<&str>> {
        let lower;
        let word = if word.chars().any(char::is_uppercase) {
            lower = word.to_lowercase();
            lower.as_str()
        } else {
            word
        };
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if self.word(middle) < word {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        (low..self.len())
            .take_while(|&i| self.word(i) == word)
            .map(|i| self.phones(i))
            .collect()
    }

    /// True when `word` has at least one pronunciation.
    pub fn contains(&self, word: &str) -> bool {
        !self.lookup(word).is_empty()
    }
}

/// The line of `text` that starts at `start`, without its line break.
fn line_at(text: &str, start: usize) -> &str {
    let rest = &text[start..];
    rest.split(['\n', '\r']).next().unwrap_or(rest)
}

/// The word of the line at `start`: its first field, without a variant's `(2)`.
fn word_of_line(text: &str, start: usize) -> &str {
    let line = line_at(text, start);
    let head = line.split_whitespace().next().unwrap_or("");
    head.strip_suffix(')')
        .and_then(|h| h.rsplit_once('('))
        .map_or(head, |(word, _)| word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_variants_comments_and_blank_lines() {
        let text = "tomato T AH M EY T OW\n\ntomato(2) T AH M AA T OW # British\nCat K AE T\n";
        let d = Dictionary::parse(text).unwrap();
        assert_eq!(d.len(), 3);
        assert_eq!(
            d.lookup("Tomato"),
            vec![
                vec!["T", "AH", "M", "EY", "T", "OW"],
                vec!["T", "AH", "M", "AA", "T", "OW"]
            ]
        );
        assert_eq!(d.lookup("cat"), vec![vec!["K", "AE", "T"]]);
        assert!(d.lookup("dog").is_empty());
        assert!(!d.contains("tomatoes"));
    }

    #[test]
    fn variants_sort_after_their_word_whatever_the_file_order() {
        let d = Dictionary::parse("a(2) EY\nab AE B\na AH\n").unwrap();
        assert_eq!(d.lookup("a"), vec![vec!["AH"], vec!["EY"]]);
        assert_eq!(d.lookup("ab"), vec![vec!["AE", "B"]]);
    }

    #[test]
    fn bad_line_is_an_error_with_its_line_number() {
        let (line, message) = Dictionary::parse("cat K AE T\ndog\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("no phones"), "{message}");
        let (line, message) = Dictionary::parse("cat K AE T\n\nx(b) EH K S\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("variant"), "{message}");
        let (line, _) = Dictionary::parse("a AH\nb B IY\nc S IY;\n").unwrap_err();
        assert_eq!(line, 3);
    }

    #[test]
    fn load_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("my.dict");
        std::fs::write(&path, "cat K AE T\nbroken\n").unwrap();
        let message = Dictionary::load(&path).unwrap_err().to_string();
        assert!(message.contains("my.dict:2:"), "{message}");
        assert!(message.contains("fix or delete"), "{message}");
        let missing = Dictionary::load(&dir.path().join("none.dict")).unwrap_err();
        assert!(matches!(missing, Error::NotFound { .. }), "{missing}");
    }

    #[test]
    fn embedded_dictionary_parses_and_knows_common_words() {
        let d = Dictionary::embedded();
        assert!(d.len() > 130_000, "{}", d.len());
        assert_eq!(d.lookup("mary"), vec![vec!["M", "EH", "R", "IY"]]);
        assert!(d.lookup("the").len() >= 2);
        assert_eq!(d.lookup("'cause"), vec![vec!["K", "AH", "Z"]]);
        assert!(d.lookup("don't").iter().any(|p| p[0] == "D"));
        let phones: std::collections::BTreeSet<&str> =
            (0..d.len()).flat_map(|i| d.phones(i)).collect();
        assert_eq!(phones.len(), 39, "{phones:?}");
    }

    #[test]
    fn embedded_index_agrees_with_parsing_the_text() {
        // The build script's index against the run-time parser, which also checks every
        // line's form: the same pronunciations in the same order.
        let indexed = Dictionary::embedded();
        let parsed = Dictionary::parse(EMBEDDED).unwrap();
        assert_eq!(indexed.len(), parsed.len());
        for i in 0..parsed.len() {
            assert_eq!(indexed.word(i), parsed.word(i), "entry {i}");
            assert_eq!(indexed.phones(i), parsed.phones(i), "entry {i}");
        }
    }
}
