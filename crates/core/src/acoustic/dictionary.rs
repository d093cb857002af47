//! The pronouncing dictionary: CMU format, one pronunciation a line.
//!
//! ```text
//! word PH PH PH
//! word(2) PH PH      # variants carry a number; text after `#` is a comment
//! ```
//! Words are looked up lower-case. About 135 000 lines are held as one string arena and a
//! table of offsets (about 6 MB), not one `String` per word.

use std::path::Path;
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// The vendored CMU dictionary (`models/en-us/cmudict-en-us.dict`, from Debian's
/// `pocketsphinx-en-us`, BSD-2).
const EMBEDDED: &str = include_str!("../../../../models/en-us/cmudict-en-us.dict");

/// One pronunciation: where its word and phones sit in the arenas.
#[derive(Debug, Clone, Copy)]
struct Entry {
    word_start: u32,
    word_len: u16,
    variant: u16,
    phones_start: u32,
    phones_len: u16,
}

/// A pronouncing dictionary: words to phone sequences, variants in file order.
#[derive(Debug, Clone)]
pub struct Dictionary {
    words: String,
    /// Index into `phone_names` per phone of every pronunciation, back to back.
    phones: Vec<u8>,
    phone_names: Vec<String>,
    /// Sorted by (word, variant).
    entries: Vec<Entry>,
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
        let mut dict = Dictionary {
            words: String::with_capacity(text.len() / 3),
            phones: Vec::with_capacity(text.len() / 3),
            phone_names: Vec::new(),
            entries: Vec::new(),
        };
        for (i, line) in text.lines().enumerate() {
            let Some((word, variant, phones)) = parse_line(line).map_err(|e| (i + 1, e))? else {
                continue;
            };
            let word = word.to_lowercase();
            if word.len() > u16::MAX as usize || phones.len() > u16::MAX as usize {
                return Err((i + 1, "line too long for a dictionary entry".into()));
            }
            let entry = Entry {
                word_start: dict.words.len() as u32,
                word_len: word.len() as u16,
                variant,
                phones_start: dict.phones.len() as u32,
                phones_len: phones.len() as u16,
            };
            dict.words.push_str(&word);
            for p in phones {
                let id = match dict.phone_names.iter().position(|n| n == p) {
                    Some(id) => id,
                    None if dict.phone_names.len() < 255 => {
                        dict.phone_names.push(p.to_string());
                        dict.phone_names.len() - 1
                    }
                    None => return Err((i + 1, "more than 255 different phones".into())),
                };
                dict.phones.push(id as u8);
            }
            dict.entries.push(entry);
        }
        if dict.words.len() > u32::MAX as usize {
            return Err((0, "dictionary larger than 4 GB".into()));
        }
        let words = std::mem::take(&mut dict.words);
        dict.entries.sort_by(|a, b| {
            Self::word_of(&words, a)
                .cmp(Self::word_of(&words, b))
                .then(a.variant.cmp(&b.variant))
        });
        dict.words = words;
        Ok(dict)
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

    /// The vendored CMU US-English dictionary, parsed once per process.
    ///
    /// # Panics
    /// Never on user input; only if the vendored file itself were broken (a test parses it).
    pub fn embedded() -> &'static Dictionary {
        static DICT: OnceLock<Dictionary> = OnceLock::new();
        DICT.get_or_init(|| {
            Dictionary::parse(EMBEDDED)
                .unwrap_or_else(|(line, e)| panic!("vendored cmudict line {line}: {e}"))
        })
    }

    fn word_of<'a>(words: &'a str, e: &Entry) -> &'a str {
        &words[e.word_start as usize..e.word_start as usize + e.word_len as usize]
    }

    /// Number of pronunciations (lines with a word).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the dictionary has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
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
        let first = self
            .entries
            .partition_point(|e| Self::word_of(&self.words, e) < word);
        self.entries[first..]
            .iter()
            .take_while(|e| Self::word_of(&self.words, e) == word)
            .map(|e| {
                let start = e.phones_start as usize;
                self.phones[start..start + e.phones_len as usize]
                    .iter()
                    .map(|&p| self.phone_names[p as usize].as_str())
                    .collect()
            })
            .collect()
    }

    /// True when `word` has at least one pronunciation.
    pub fn contains(&self, word: &str) -> bool {
        !self.lookup(word).is_empty()
    }

    /// The distinct phone names used, in order of first appearance.
    pub fn phone_names(&self) -> &[String] {
        &self.phone_names
    }
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
        assert_eq!(d.phone_names().len(), 39, "{:?}", d.phone_names());
    }
}
