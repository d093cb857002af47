//! From transcript tokens to phone sequences the acoustic model knows (CMU ARPAbet).
//!
//! A token keeps its own text (`3,` stays `3,` in the output); what is spoken for it may be
//! several words (`3` → three, `1990s` → nineteen nineties, `U.S.` → the letters U S). Words
//! the dictionary lacks are phonemised by espeak-ng and mapped onto ARPAbet, or, without
//! espeak-ng, guessed from their spelling; every guess is reported once as a [`Note`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::dictionary::Dictionary;
use super::slips;
use crate::espeak;

/// A phone's name, shared by every pronunciation that uses it ([`phone`]).
pub type Phone = &'static str;

/// The shared name of the phone `name`: ARPAbet's own names without a copy; any other name
/// (a dictionary with another phone set) kept once for the whole process.
pub fn phone(name: &str) -> Phone {
    if let Ok(i) = ARPABET.binary_search(&name) {
        return ARPABET[i];
    }
    static OTHERS: OnceLock<Mutex<std::collections::HashSet<Phone>>> = OnceLock::new();
    let mut others = OTHERS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(&known) = others.get(name) {
        return known;
    }
    let leaked: Phone = Box::leak(name.to_string().into_boxed_str());
    others.insert(leaked);
    leaked
}

/// The CMU dictionary's phones and the model's silence, sorted for [`phone`]'s search. A
/// `static`, not a `const`: a `const` is copied into each use, and the copies' string
/// literals need not share an address across codegen units, so names would not be shared.
static ARPABET: [&str; 40] = [
    "AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G", "HH",
    "IH", "IY", "JH", "K", "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "SIL", "T", "TH",
    "UH", "UW", "V", "W", "Y", "Z", "ZH",
];

/// At most this many pronunciations are kept per token (variants and their combinations).
pub(crate) const MAX_VARIANTS: usize = 4;

/// Where a token's pronunciation came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The dictionary has the word as written.
    Dictionary,
    /// Spoken as these dictionary words (numbers, symbols, abbreviations).
    Expanded(String),
    /// Spelled out letter by letter (an all-capital abbreviation the dictionary lacks).
    Letters,
    /// espeak-ng's phonemes (IPA, as given) mapped onto ARPAbet.
    Espeak(String),
    /// Guessed from the spelling by talign's own rules (espeak-ng unavailable).
    Rules,
    /// A word the dictionary lacks, read as written (`guess`: espeak-ng or the rules) and
    /// also as the dictionary `words` one typing slip away (`knwo`: know), whose
    /// pronunciations follow the reading's ([`super::slips`]).
    Slip {
        /// How the word as written was read.
        guess: Box<Source>,
        /// The dictionary words one slip away, closest in sound first.
        words: Vec<String>,
    },
}

/// A token's pronunciations: its [`Reading`] (read through `Deref`: `p.token`,
/// `p.variants`, `p.source`), shared by every token written the same way, and what the text
/// around this one token says. A [`Pronouncer`] hands every token of a spelling the same
/// reading, so a long transcript's pronunciations grow by 16 bytes a token and otherwise with
/// its vocabulary (80 bytes and a copy of the token each before: 6 MB of a 10-hour
/// transcript's, docs/speed.md).
#[derive(Debug, Clone, PartialEq)]
pub struct Pronounced {
    reading: Arc<Reading>,
    /// The text writes a pause after this token (`OH...`, `RIGHT?`, `well,`): set by a
    /// caller that knows the text around the token ([`crate::transcript::Turn::written_pauses`]),
    /// false from [`pronounce`]. The aligner reads it before taking a pause it heard for a
    /// mistake.
    pub pause_after: bool,
}

/// How a token as written is read.
#[derive(Debug, PartialEq)]
pub struct Reading {
    /// The transcript's own token, unchanged.
    pub token: String,
    /// One or more phone sequences (ARPAbet without stress), the first the most likely.
    /// Phones are shared names ([`phone`]).
    pub variants: Arc<[Vec<Phone>]>,
    /// How they were found.
    pub source: Source,
}

impl Pronounced {
    /// `token` read as `variants` (the first the most likely), found by `source`; no pause
    /// written after it.
    pub fn new(
        token: impl Into<String>,
        variants: impl Into<Arc<[Vec<Phone>]>>,
        source: Source,
    ) -> Self {
        Pronounced {
            reading: Arc::new(Reading {
                token: token.into(),
                variants: variants.into(),
                source,
            }),
            pause_after: false,
        }
    }
}

impl std::ops::Deref for Pronounced {
    type Target = Reading;

    fn deref(&self) -> &Reading {
        &self.reading
    }
}

/// Something the user should hear about once: a guessed or a skipped word.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The token as written.
    pub token: String,
    /// The guess (`None` when the token was skipped: nothing in it can be spoken).
    pub guess: Option<Pronounced>,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.guess {
            None => write!(
                f,
                "`{}`: no pronunciation (nothing speakable); skipped",
                self.token
            ),
            Some(p) => describe(f, &self.token, &p.source, &p.variants[0].join(" ")),
        }
    }
}

/// How `token` was pronounced (`phones`, the first pronunciation), as a note says it.
fn describe(
    f: &mut std::fmt::Formatter<'_>,
    token: &str,
    source: &Source,
    phones: &str,
) -> std::fmt::Result {
    match source {
        Source::Espeak(ipa) => write!(
            f,
            "`{token}`: not in the dictionary; espeak-ng says /{ipa}/ → {phones}"
        ),
        Source::Rules => write!(
            f,
            "`{token}`: not in the dictionary and espeak-ng unavailable; guessed from \
             spelling → {phones}"
        ),
        Source::Letters => write!(f, "`{token}`: spelled letter by letter → {phones}"),
        Source::Expanded(words) => write!(
            f,
            "`{token}`: spoken as \"{words}\", partly guessed → {phones}"
        ),
        Source::Dictionary => write!(f, "`{token}` → {phones}"),
        Source::Slip { guess, words } => {
            describe(f, token, guess, phones)?;
            let words: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
            write!(f, "; also tried as a typing slip for {}", words.join(", "))
        }
    }
}

/// Settings for [`pronounce`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// espeak-ng voice for words the dictionary lacks; `None` uses spelling rules only.
    /// Default `Some("en-us")`, whose phonemes are closest to the US-English model.
    pub espeak_voice: Option<String>,
    /// The transcript is English: numbers and symbols are spoken as English words. Otherwise
    /// they go to espeak-ng's voice as written, which speaks them in its language. Default
    /// true.
    pub english: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            espeak_voice: Some("en-us".into()),
            english: true,
        }
    }
}

/// Pronunciations of a turn's tokens: one entry per token (`None` when skipped), and the notes
/// on guessed and skipped tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct Pronunciations {
    /// Per token, in order.
    pub words: Vec<Option<Pronounced>>,
    /// Tokens that were guessed or skipped.
    pub notes: Vec<Note>,
}

/// Finds the pronunciations of `tokens`, one turn's words as split from the transcript
/// (`Aleppo,` `U.S.` `3`).
///
/// A word of 2–6 capitals the dictionary lacks is spelled letter by letter (`FBI`) only
/// where the turn has lower-case letters elsewhere, or where it has no vowel (`NKVD`): a
/// turn written wholly in capitals, as subtitles and game scripts often are, is read as
/// words (`BUENO`, not B-U-E-N-O). Words written with dots (`U.S.`) are spelled either way.
pub fn pronounce(dict: &Dictionary, tokens: &[&str], options: &Options) -> Pronunciations {
    Pronouncer::new(dict, options).turn(tokens)
}

/// [`pronounce`] for the turns of one transcript: a token written the same way again is
/// not looked up again, and its tokens share one copy of its variants.
pub struct Pronouncer<'a> {
    dict: &'a Dictionary,
    options: &'a Options,
    /// What each token as written got, in turns without and with lower-case letters.
    known: [HashMap<String, Option<Pronounced>>; 2],
}

impl<'a> Pronouncer<'a> {
    /// Nothing pronounced yet.
    pub fn new(dict: &'a Dictionary, options: &'a Options) -> Self {
        Pronouncer {
            dict,
            options,
            known: Default::default(),
        }
    }

    /// [`pronounce`] of one turn's tokens.
    pub fn turn(&mut self, tokens: &[&str]) -> Pronunciations {
        let mut words = Vec::with_capacity(tokens.len());
        let mut notes = Vec::new();
        let lower_case_around = tokens.iter().any(|t| t.chars().any(char::is_lowercase));
        for (i, token) in tokens.iter().enumerate() {
            let in_context = tokens
                .get(i + 1)
                .and_then(|next| one_letter_word(token, next, self.options));
            let p = in_context.or_else(|| self.token(token, lower_case_around));
            match &p {
                Some(p) if p.source == Source::Dictionary => {}
                Some(p)
                    if matches!(p.source, Source::Expanded(_))
                        && !guessed_inside(self.dict, token) => {}
                _ => notes.push(Note {
                    token: token.to_string(),
                    guess: p.clone(),
                }),
            }
            words.push(p);
        }
        Pronunciations { words, notes }
    }

    fn token(&mut self, token: &str, lower_case_around: bool) -> Option<Pronounced> {
        let known = &mut self.known[usize::from(lower_case_around)];
        if let Some(p) = known.get(token) {
            return p.clone();
        }
        let p = pronounce_token(self.dict, token, self.options, lower_case_around);
        known.insert(token.to_string(), p.clone());
        p
    }
}

/// Marks each word after which the text writes a pause (`pauses`, one per token in order;
/// [`Pronounced::pause_after`]).
pub(crate) fn mark_written_pauses(
    words: &mut [Option<Pronounced>],
    pauses: impl IntoIterator<Item = bool>,
) {
    for (word, pause) in words.iter_mut().zip(pauses) {
        if let Some(word) = word {
            word.pause_after = pause;
        }
    }
}

/// True when an expansion needed a guess for some part (so the user hears about it).
fn guessed_inside(dict: &Dictionary, token: &str) -> bool {
    spoken_words(normalise(token).trim_end_matches('.'))
        .is_some_and(|w| w.iter().any(|w| dict.lookup(w).is_empty()))
}

/// Lower-case, surrounding punctuation stripped; apostrophes and dots kept (the dictionary
/// has `u.s.` and `a.m.`; lookups also try without the final dot).
pub(crate) fn normalise(token: &str) -> String {
    let keep = |c: char| c.is_alphanumeric() || matches!(c, '$' | '£' | '€' | '%' | '&' | '+');
    let t = token.trim_matches(|c: char| !keep(c) && c != '\'' && c != '.');
    // Quotes around a word (`'yes'`) go; a leading apostrophe of a dictionary word stays.
    let t = if t.starts_with('\'') && t.ends_with('\'') && t.len() > 1 {
        &t[1..t.len() - 1]
    } else {
        t
    };
    let t = t.trim_matches(|c: char| !keep(c) && c != '\'' && c != '.');
    t.to_lowercase()
}

/// `lower_case_around`: the turn has lower-case letters (so capitals mark abbreviations).
fn pronounce_token(
    dict: &Dictionary,
    token: &str,
    options: &Options,
    lower_case_around: bool,
) -> Option<Pronounced> {
    let norm = normalise(token);
    let make = |variants: Vec<Vec<Phone>>, source| {
        (!variants.is_empty() && !variants[0].is_empty())
            .then(|| Pronounced::new(token, variants, source))
    };
    if norm.is_empty() {
        return None;
    }
    // 1. The word itself (also `don't`, `'cause`, `mr.`-less forms).
    let undotted = norm.trim_end_matches('.');
    for candidate in [norm.as_str(), undotted, undotted.trim_matches('\'')] {
        let mut v = dictionary_variants(dict, candidate);
        if !v.is_empty() {
            if FILLED_PAUSES.contains(&candidate) {
                with_breathy_onsets(&mut v);
            }
            return make(v, Source::Dictionary);
        }
    }
    // 2. Abbreviations written with dots (`U.S.`, `e.g.`) or all capitals (`FBI`) → letters;
    //    capitals only in a turn not itself in capitals, unless the word has no vowel.
    let bare = token.trim_matches(|c: char| !c.is_alphanumeric());
    let dotted = bare.contains('.')
        && bare
            .split('.')
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic));
    let capitals = bare.chars().count() >= 2
        && bare.chars().count() <= 6
        && bare.chars().all(|c| c.is_ascii_uppercase())
        && (lower_case_around || !bare.contains(['A', 'E', 'I', 'O', 'U', 'Y']));
    if dotted || capitals {
        let phones: Vec<Phone> = bare
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .flat_map(|c| letter_phones(c).iter().copied())
            .collect();
        if !phones.is_empty() {
            // In a turn wholly in capitals a word without a vowel is as likely a slip
            // (`WJLL`) as an abbreviation (`NKVD`).
            let (variants, source) = if capitals && !lower_case_around && options.english {
                with_near_words(dict, undotted, vec![phones], Source::Letters)
            } else {
                (vec![phones], Source::Letters)
            };
            return make(variants, source);
        }
    }
    // 3. Numbers and symbols spoken as words; hyphenated compounds word by word.
    if let Some(spoken) = spoken_words(undotted).filter(|_| options.english) {
        let mut combos: Vec<Vec<Phone>> = vec![Vec::new()];
        for w in &spoken {
            let mut v = dictionary_variants(dict, w);
            if v.is_empty() {
                v = guess(w, options).map(|(v, _)| v).unwrap_or_default();
            }
            if v.is_empty() {
                continue;
            }
            combos = combos
                .iter()
                .flat_map(|c| {
                    v.iter().map(move |p| {
                        let mut c = c.clone();
                        c.extend(p.iter().copied());
                        c
                    })
                })
                .take(MAX_VARIANTS)
                .collect();
        }
        return make(combos, Source::Expanded(spoken.join(" ")));
    }
    // 4. Guess: espeak-ng, else spelling rules; in English also the dictionary words one
    //    typing slip away.
    let guessed = guess(undotted, options);
    if !options.english {
        let (variants, source) = guessed?;
        return make(variants, source);
    }
    let (variants, source) = guessed.unwrap_or((Vec::new(), Source::Rules));
    let (variants, source) = with_near_words(dict, undotted, variants, source);
    make(variants, source)
}

/// `variants` (the reading of `word` as written, from `source`) followed by the
/// pronunciations of the dictionary words one typing slip from `word` ([`slips`]): each near
/// word's first before any word's second, at most [`MAX_VARIANTS`] in all. Unchanged when
/// `word` has no near words.
fn with_near_words(
    dict: &Dictionary,
    word: &str,
    mut variants: Vec<Vec<Phone>>,
    source: Source,
) -> (Vec<Vec<Phone>>, Source) {
    let as_written = variants.first().map_or(&[][..], |v| &v[..]);
    let near = slips::near_words(dict, word, as_written);
    if near.is_empty() {
        return (variants, source);
    }
    let depth = near.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
    for k in 0..depth {
        for (_, v) in &near {
            if let Some(p) = v.get(k)
                && variants.len() < MAX_VARIANTS
                && !variants.contains(p)
            {
                variants.push(p.clone());
            }
        }
    }
    let words = near.into_iter().map(|(w, _)| w).collect();
    (
        variants,
        Source::Slip {
            guess: Box::new(source),
            words,
        },
    )
}

/// Hesitations (filled pauses) as transcripts write them.
const FILLED_PAUSES: [&str; 9] = ["uh", "um", "er", "ah", "eh", "hmm", "mm", "uhm", "erm"];

/// Adds to a filled pause's pronunciations each one with a breathy onset (`HH` first): a
/// hesitation often starts breathy, and with the vowel alone the silence model took that
/// onset and the word started late (MFA's read-aloud clips: "uh" and "um" 0.16–0.31 s
/// late, against 0.00–0.03 s with the variant; docs/accuracy.md, session 30).
fn with_breathy_onsets(variants: &mut Vec<Vec<Phone>>) {
    let breathy: Vec<Vec<Phone>> = variants
        .iter()
        .filter(|v| v.first() != Some(&phone("HH")))
        .map(|v| {
            std::iter::once(phone("HH"))
                .chain(v.iter().copied())
                .collect()
        })
        .collect();
    for b in breathy {
        if variants.len() < MAX_VARIANTS && !variants.contains(&b) {
            variants.push(b);
        }
    }
}

/// The dictionary's pronunciations of `word`, each in a vector of its own length (they are
/// kept for the whole run: the lookup's vectors would keep their spare capacity).
fn dictionary_variants(dict: &Dictionary, word: &str) -> Vec<Vec<Phone>> {
    let found = dict.lookup(word);
    found
        .iter()
        .take(MAX_VARIANTS)
        .map(|v| v.iter().map(|&p| phone(p)).collect())
        .collect()
}

/// espeak-ng's IPA per (voice, word), `None` when it failed.
type IpaCache = HashMap<(String, String), Option<String>>;

/// espeak-ng (cached per process), else rules. Several variants only for a language other
/// than English, whose sounds the English phones match less closely ([`ipa_variants`]).
fn guess(word: &str, options: &Options) -> Option<(Vec<Vec<Phone>>, Source)> {
    if let Some(voice) = &options.espeak_voice {
        let said = said_by_voice(word);
        if let Some(found) = espeak_variants(&said, voice, options) {
            return Some(found);
        }
    }
    let word: String = word
        .chars()
        .filter(|c| c.is_alphabetic() || *c == '\'')
        .collect();
    let phones = letter_to_sound(&word);
    (!phones.is_empty()).then(|| (vec![phones], Source::Rules))
}

/// What of a token espeak-ng's voice is given: its letters, apostrophes, digits and the
/// symbols it speaks in its own language (`506` → quinientos seis with `es`), with a dot
/// or comma only between digits (`3,5`).
fn said_by_voice(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let digit_at = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(char::is_ascii_digit)
    };
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            c.is_alphanumeric()
                || matches!(c, '\'' | '%' | '$' | '€' | '£' | '&' | '+')
                || (matches!(c, '.' | ',') && digit_at(i.checked_sub(1)) && digit_at(Some(i + 1)))
        })
        .map(|(_, &c)| c)
        .collect()
}

/// espeak-ng's IPA for `text` (cached per process); `None` when it failed.
fn espeak_ipa(text: &str, voice: &str) -> Option<String> {
    static CACHE: OnceLock<Mutex<IpaCache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (voice.to_string(), text.to_string());
    let cached = cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key)
        .cloned();
    match cached {
        Some(ipa) => ipa,
        None => {
            let ipa = espeak::phonemes(text, voice).ok();
            cache
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(key, ipa.clone());
            ipa
        }
    }
}

/// The phones of espeak-ng's `ipa` in `options`' language, with how they were found.
fn from_ipa(ipa: String, options: &Options) -> Option<(Vec<Vec<Phone>>, Source)> {
    let variants = if options.english {
        vec![ipa_to_arpabet(&ipa)]
    } else {
        ipa_variants(&ipa)
    };
    variants
        .first()
        .is_some_and(|v| !v.is_empty())
        .then_some((variants, Source::Espeak(ipa)))
}

/// espeak-ng's pronunciations of `word` (cached per process); `None` when it has none.
fn espeak_variants(
    word: &str,
    voice: &str,
    options: &Options,
) -> Option<(Vec<Vec<Phone>>, Source)> {
    if word.is_empty() {
        return None;
    }
    from_ipa(espeak_ipa(word, voice)?, options)
}

/// A one-letter word of a language other than English (Czech `v`, `k`, `s`, `z`; Polish `w`;
/// Russian `в`) as espeak-ng says it before the `next` word: alone, espeak-ng reads a letter
/// by its name (`v` → vé), where the text means the preposition, said as its consonant and
/// joined to the next word (`v devět` → v dˈevjet). `None` for English (its one-letter words
/// are in the dictionary; other letters are abbreviations, said by name), without a voice or a
/// next word, or when espeak-ng does not give the letter a word of its own.
fn one_letter_word(token: &str, next: &str, options: &Options) -> Option<Pronounced> {
    let voice = options
        .espeak_voice
        .as_deref()
        .filter(|_| !options.english)?;
    let letter = normalise(token);
    let mut chars = letter.chars();
    if !matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic()) {
        return None;
    }
    let next = said_by_voice(&normalise(next));
    if next.is_empty() {
        return None;
    }
    let ipa = espeak_ipa(&format!("{letter} {next}"), voice)?;
    let mut words = ipa.split_whitespace();
    let first = words.next()?;
    // Joined to the next word in espeak-ng's answer: no word of its own to take.
    words.next()?;
    let (variants, source) = from_ipa(first.to_string(), options)?;
    Some(Pronounced::new(token, variants, source))
}

/// The words a number, symbol or compound is spoken as; `None` when `norm` is a plain word.
pub(crate) fn spoken_words(norm: &str) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut suffix: Vec<&str> = Vec::new();
    let mut t = norm;
    if let Some(rest) = t.strip_prefix('$') {
        t = rest;
        suffix.push("dollars");
    } else if let Some(rest) = t.strip_prefix('£') {
        t = rest;
        suffix.push("pounds");
    } else if let Some(rest) = t.strip_prefix('€') {
        t = rest;
        suffix.push("euros");
    }
    if let Some(rest) = t.strip_suffix('%') {
        t = rest;
        suffix.insert(0, "percent");
    }
    if t == "&" {
        return Some(vec!["and".into()]);
    }
    if t == "+" {
        return Some(vec!["plus".into()]);
    }
    let starts_digit = t.starts_with(|c: char| c.is_ascii_digit());
    if starts_digit {
        let digits_end = t
            .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
            .unwrap_or(t.len());
        let (number, tail) = t.split_at(digits_end);
        let number = number.trim_end_matches(['.', ',']);
        let tail = tail.trim_start_matches('\'');
        let grouped = number.contains(',')
            && number
                .split(',')
                .skip(1)
                .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()));
        let integer = if grouped {
            number.replace(',', "")
        } else {
            number.to_string()
        };
        let words = match tail {
            "" if !integer.contains('.') && integer.len() == 4 && !grouped && suffix.is_empty() => {
                year_words(integer.parse().ok()?)
            }
            "s" if integer.len() == 4 => plural(year_words(integer.parse().ok()?)),
            "s" => plural(cardinal_text(&integer)?),
            "st" | "nd" | "rd" | "th" => ordinal(cardinal_text(&integer)?),
            "" => cardinal_text(&integer)?,
            _ => {
                // `3d`, `4k`, `10am`: the number, then the rest as a word.
                let mut w = cardinal_text(&integer)?;
                w.push(tail.to_string());
                w
            }
        };
        out.extend(words);
    } else if t.contains('-') && t.split('-').all(|p| !p.is_empty()) {
        out.extend(
            t.split('-')
                .flat_map(|p| spoken_words(p).unwrap_or_else(|| vec![p.into()])),
        );
    } else if suffix.is_empty() {
        return None;
    } else if !t.is_empty() {
        out.push(t.to_string());
    }
    out.extend(suffix.into_iter().map(str::to_string));
    (!out.is_empty()).then_some(out)
}

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// A decimal number as words: `3.5` → three point five; `None` when not a number.
fn cardinal_text(number: &str) -> Option<Vec<String>> {
    let (int, frac) = match number.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (number, None),
    };
    if int.is_empty() || !int.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut words = match int.trim_start_matches('0') {
        "" => vec!["zero".to_string()],
        digits if digits.len() <= 15 => cardinal(digits.parse().ok()?),
        digits => digits
            .chars()
            .map(|c| ONES[c.to_digit(10).unwrap_or(0) as usize].to_string())
            .collect(),
    };
    if let Some(frac) = frac.filter(|f| !f.is_empty()) {
        if !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        words.push("point".into());
        words.extend(
            frac.chars()
                .map(|c| ONES[c.to_digit(10).unwrap_or(0) as usize].into()),
        );
    }
    Some(words)
}

/// `n` in words: 25 → twenty five, 1200 → one thousand two hundred.
pub(crate) fn cardinal(n: u64) -> Vec<String> {
    fn below_thousand(n: u64, out: &mut Vec<String>) {
        if n >= 100 {
            out.push(ONES[(n / 100) as usize].into());
            out.push("hundred".into());
        }
        let rest = n % 100;
        if rest >= 20 {
            out.push(TENS[(rest / 10) as usize].into());
            if !rest.is_multiple_of(10) {
                out.push(ONES[(rest % 10) as usize].into());
            }
        } else if rest > 0 || n == 0 {
            out.push(ONES[rest as usize].into());
        }
    }
    let mut out = Vec::new();
    if n == 0 {
        return vec!["zero".into()];
    }
    let scales = [
        (1_000_000_000_000, "trillion"),
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
        (1_000, "thousand"),
    ];
    let mut n = n;
    for (size, name) in scales {
        if n >= size {
            below_thousand(n / size, &mut out);
            out.push(name.into());
            n %= size;
        }
    }
    if n > 0 {
        below_thousand(n, &mut out);
    }
    out
}

/// A four-digit number read as a year: 1990 → nineteen ninety, 2005 → two thousand five,
/// 1900 → nineteen hundred.
pub(crate) fn year_words(n: u64) -> Vec<String> {
    let (hi, lo) = (n / 100, n % 100);
    if !(10..100).contains(&hi) || (2000..2010).contains(&n) || hi % 10 == 0 && lo < 10 {
        return cardinal(n);
    }
    let mut out = cardinal(hi);
    match lo {
        0 => out.push("hundred".into()),
        1..=9 => {
            out.push("oh".into());
            out.extend(cardinal(lo));
        }
        _ => out.extend(cardinal(lo)),
    }
    out
}

/// The last word made plural: nineteen ninety → nineteen nineties.
fn plural(mut words: Vec<String>) -> Vec<String> {
    if let Some(last) = words.last_mut() {
        *last = if let Some(stem) = last.strip_suffix('y') {
            format!("{stem}ies")
        } else if last == "six" {
            "sixes".into()
        } else {
            format!("{last}s")
        };
    }
    words
}

/// The last word made ordinal: twenty one → twenty first.
fn ordinal(mut words: Vec<String>) -> Vec<String> {
    if let Some(last) = words.last_mut() {
        *last = match last.as_str() {
            "one" => "first".into(),
            "two" => "second".into(),
            "three" => "third".into(),
            "five" => "fifth".into(),
            "eight" => "eighth".into(),
            "nine" => "ninth".into(),
            "twelve" => "twelfth".into(),
            w if w.ends_with('y') => format!("{}ieth", &w[..w.len() - 1]),
            w => format!("{w}th"),
        };
    }
    words
}

/// The phones of a letter's name, as in the CMU dictionary.
pub(crate) fn letter_phones(letter: char) -> &'static [&'static str] {
    match letter.to_ascii_lowercase() {
        'a' => &["EY"],
        'b' => &["B", "IY"],
        'c' => &["S", "IY"],
        'd' => &["D", "IY"],
        'e' => &["IY"],
        'f' => &["EH", "F"],
        'g' => &["JH", "IY"],
        'h' => &["EY", "CH"],
        'i' => &["AY"],
        'j' => &["JH", "EY"],
        'k' => &["K", "EY"],
        'l' => &["EH", "L"],
        'm' => &["EH", "M"],
        'n' => &["EH", "N"],
        'o' => &["OW"],
        'p' => &["P", "IY"],
        'q' => &["K", "Y", "UW"],
        'r' => &["AA", "R"],
        's' => &["EH", "S"],
        't' => &["T", "IY"],
        'u' => &["Y", "UW"],
        'v' => &["V", "IY"],
        'w' => &["D", "AH", "B", "AH", "L", "Y", "UW"],
        'x' => &["EH", "K", "S"],
        'y' => &["W", "AY"],
        'z' => &["Z", "IY"],
        _ => &[],
    }
}

/// IPA (as espeak-ng writes it, any language) → ARPAbet, longest match first. Stress,
/// length and tone marks are dropped; a syllabic consonant (`n̩`) gets a schwa before it;
/// symbols with no counterpart are dropped.
const IPA_TABLE: &[(&str, &[&str])] = &[
    // Diphthongs and affricates first (longest match).
    ("aɪ", &["AY"]),
    ("aʊ", &["AW"]),
    ("eɪ", &["EY"]),
    ("oʊ", &["OW"]),
    ("əʊ", &["OW"]),
    ("ɔɪ", &["OY"]),
    ("ɪə", &["IH", "AH"]),
    ("eə", &["EH", "R"]),
    ("ʊə", &["UH", "R"]),
    ("tʃ", &["CH"]),
    ("dʒ", &["JH"]),
    ("ts", &["T", "S"]),
    ("r̝", &["R"]),
    ("dz", &["D", "Z"]),
    // Vowels.
    ("i", &["IY"]),
    ("ɪ", &["IH"]),
    ("ᵻ", &["IH"]),
    ("ɨ", &["IH"]),
    ("e", &["EY"]),
    ("ɛ", &["EH"]),
    ("æ", &["AE"]),
    ("a", &["AA"]),
    ("ɑ", &["AA"]),
    ("ɒ", &["AA"]),
    ("ɔ", &["AO"]),
    ("o", &["OW"]),
    ("ʊ", &["UH"]),
    ("u", &["UW"]),
    ("ɯ", &["UW"]),
    ("y", &["UW"]),
    ("ʏ", &["UH"]),
    ("ø", &["ER"]),
    ("œ", &["ER"]),
    ("ʌ", &["AH"]),
    ("ə", &["AH"]),
    ("ɐ", &["AH"]),
    ("ɤ", &["AH"]),
    ("ɜ", &["ER"]),
    ("ɚ", &["ER"]),
    ("ɝ", &["ER"]),
    // Consonants.
    ("p", &["P"]),
    ("b", &["B"]),
    ("t", &["T"]),
    ("d", &["D"]),
    ("k", &["K"]),
    ("g", &["G"]),
    ("ɡ", &["G"]),
    ("q", &["K"]),
    ("f", &["F"]),
    ("v", &["V"]),
    ("θ", &["TH"]),
    ("ð", &["DH"]),
    ("s", &["S"]),
    ("z", &["Z"]),
    ("ʃ", &["SH"]),
    ("ʒ", &["ZH"]),
    ("ɕ", &["SH"]),
    ("ʑ", &["ZH"]),
    ("ʂ", &["SH"]),
    ("ʐ", &["ZH"]),
    ("ç", &["HH"]),
    ("x", &["HH"]),
    ("χ", &["HH"]),
    ("h", &["HH"]),
    ("ɦ", &["HH"]),
    ("m", &["M"]),
    ("ɱ", &["M"]),
    ("n", &["N"]),
    ("ɲ", &["N", "Y"]),
    ("ŋ", &["NG"]),
    ("l", &["L"]),
    ("ɫ", &["L"]),
    ("ɬ", &["L"]),
    ("ʎ", &["L", "Y"]),
    ("ɹ", &["R"]),
    ("r", &["R"]),
    ("ɾ", &["T"]),
    ("ʁ", &["R"]),
    ("ʀ", &["R"]),
    ("ɻ", &["R"]),
    ("j", &["Y"]),
    ("ʝ", &["Y"]),
    ("w", &["W"]),
    ("ʍ", &["W"]),
    ("ɥ", &["Y"]),
    ("β", &["B"]),
    ("ɣ", &["G"]),
    ("ʔ", &["T"]),
    ("c", &["K"]),
    ("ɟ", &["G"]),
];

/// Second-nearest English phones for sounds of other languages that the nearest
/// ([`IPA_TABLE`]) matches only loosely: pure mid vowels (`e`, `o`) lie between English
/// diphthongs and open vowels, a front `a` between `AA` and `AH`; a tap or trill between a
/// flapped `T`, a `D` and `R`; Czech `ř` between `R` and `ZH`; `β`, `ð`, `x` between stop and
/// fricative. `true` marks a vowel. Chosen on the evaluation set's Spanish and Czech
/// recordings (docs/accuracy.md, session 21).
const ALTERNATES: &[(&str, &[&str], bool)] = &[
    ("e", &["EH"], true),
    ("o", &["AO"], true),
    ("a", &["AH"], true),
    ("ɾ", &["D"], false),
    ("r", &["D"], false),
    ("r̝", &["ZH"], false),
    ("β", &["V"], false),
    ("ð", &["D"], false),
    ("x", &["K"], false),
];

/// Up to four mappings of `ipa`: the nearest phones, then the vowels' second choices, the
/// consonants', and both; duplicates dropped.
pub(crate) fn ipa_variants(ipa: &str) -> Vec<Vec<&'static str>> {
    let mut out: Vec<Vec<&'static str>> = Vec::new();
    for (vowels, consonants) in [(false, false), (true, false), (false, true), (true, true)] {
        let v = ipa_mapped(ipa, |sound| {
            ALTERNATES
                .iter()
                .find(|(k, _, vowel)| *k == sound && if *vowel { vowels } else { consonants })
                .map(|(_, phones, _)| *phones)
        });
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

// The four mappings of [`ipa_variants`] all fit in a word's variants.
const _: () = assert!(MAX_VARIANTS >= 4);

/// Maps espeak-ng's IPA onto ARPAbet phones (see [`IPA_TABLE`]).
pub(crate) fn ipa_to_arpabet(ipa: &str) -> Vec<&'static str> {
    ipa_mapped(ipa, |_| None)
}

/// [`ipa_to_arpabet`] with `alternate` asked for each sound the table matched (so a
/// diphthong such as `eɪ` stays whole).
fn ipa_mapped(
    ipa: &str,
    alternate: impl Fn(&str) -> Option<&'static [&'static str]>,
) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let mut rest = ipa;
    while let Some(c) = rest.chars().next() {
        // espeak-ng marks a switch of language inside a word, `(en)`…`(fr)`: not a sound.
        if c == '(' {
            rest = rest.find(')').map_or("", |end| &rest[end + 1..]);
            continue;
        }
        if c == '\u{0329}' {
            // Syllabic mark: a schwa before the consonant just emitted.
            if let Some(last) = out.pop() {
                out.push("AH");
                out.push(last);
            }
            rest = &rest[c.len_utf8()..];
            continue;
        }
        match IPA_TABLE.iter().find(|(k, _)| rest.starts_with(k)) {
            Some((k, phones)) => {
                let phones = alternate(k).unwrap_or(phones);
                // The same vowel twice in a row (`ɐɐ`) is one long vowel.
                let repeat = out
                    .last()
                    .is_some_and(|l| phones.len() == 1 && *l == phones[0])
                    && is_vowel(phones[0]);
                if !repeat {
                    out.extend_from_slice(phones);
                }
                rest = &rest[k.len()..];
            }
            None => rest = &rest[c.len_utf8()..],
        }
    }
    out
}

/// Whether `phone` (the model's phone set) is a vowel.
pub(crate) fn is_vowel(phone: &str) -> bool {
    matches!(
        phone,
        "AA" | "AE"
            | "AH"
            | "AO"
            | "AW"
            | "AY"
            | "EH"
            | "ER"
            | "EY"
            | "IH"
            | "IY"
            | "OW"
            | "OY"
            | "UH"
            | "UW"
    )
}

/// A crude spelling-to-sound guess for when espeak-ng is unavailable: digraphs, then single
/// letters, a final silent `e`, doubled consonants once.
pub(crate) fn letter_to_sound(word: &str) -> Vec<&'static str> {
    const DIGRAPHS: &[(&str, &[&str])] = &[
        ("tch", &["CH"]),
        ("sch", &["SH"]),
        ("igh", &["AY"]),
        ("ch", &["CH"]),
        ("sh", &["SH"]),
        ("th", &["TH"]),
        ("ph", &["F"]),
        ("gh", &["G"]),
        ("ng", &["NG"]),
        ("ck", &["K"]),
        ("qu", &["K", "W"]),
        ("wh", &["W"]),
        ("kh", &["K"]),
        ("ee", &["IY"]),
        ("ea", &["IY"]),
        ("ie", &["IY"]),
        ("oo", &["UW"]),
        ("ou", &["AW"]),
        ("ow", &["OW"]),
        ("oa", &["OW"]),
        ("oi", &["OY"]),
        ("oy", &["OY"]),
        ("ai", &["EY"]),
        ("ay", &["EY"]),
        ("ey", &["EY"]),
        ("au", &["AO"]),
        ("aw", &["AO"]),
        ("ue", &["UW"]),
        ("er", &["ER"]),
        ("ir", &["ER"]),
        ("ur", &["ER"]),
        ("ar", &["AA", "R"]),
        ("or", &["AO", "R"]),
    ];
    let w: String = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    let bytes = w.as_bytes();
    let mut out: Vec<&'static str> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &w[i..];
        if let Some((k, phones)) = DIGRAPHS.iter().find(|(k, _)| rest.starts_with(k)) {
            out.extend_from_slice(phones);
            i += k.len();
            continue;
        }
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        let last = i + 1 == bytes.len();
        if next == Some(c) && !b"aeiou".contains(&c) {
            i += 1;
            continue;
        }
        let phones: &[&str] = match c {
            b'a' => &["AE"],
            b'e' if last && out.len() > 1 => &[],
            b'e' => &["EH"],
            b'i' => &["IH"],
            b'o' => &["AA"],
            b'u' => &["AH"],
            b'y' if i == 0 => &["Y"],
            b'y' => &["IY"],
            b'c' if matches!(next, Some(b'e' | b'i' | b'y')) => &["S"],
            b'c' | b'k' | b'q' => &["K"],
            b'g' if matches!(next, Some(b'e' | b'i' | b'y')) => &["JH"],
            b'g' => &["G"],
            b'j' => &["JH"],
            b'x' => &["K", "S"],
            b'b' => &["B"],
            b'd' => &["D"],
            b'f' => &["F"],
            b'h' => &["HH"],
            b'l' => &["L"],
            b'm' => &["M"],
            b'n' => &["N"],
            b'p' => &["P"],
            b'r' => &["R"],
            b's' => &["S"],
            b't' => &["T"],
            b'v' => &["V"],
            b'w' => &["W"],
            b'z' => &["Z"],
            _ => &[],
        };
        out.extend_from_slice(phones);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Options with no espeak-ng voice: the dictionary and the rules alone.
    fn without_espeak(english: bool) -> Options {
        Options {
            espeak_voice: None,
            english,
        }
    }

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn dict() -> &'static Dictionary {
        Dictionary::embedded()
    }

    #[test]
    fn phone_names_are_shared_not_copied() {
        assert!(
            ARPABET.windows(2).all(|w| w[0] < w[1]),
            "sorted for the search"
        );
        let written = String::from("AH");
        assert!(std::ptr::eq(phone(&written), ARPABET[2]));
        let other = String::from("QX");
        let (first, again) = (phone(&other), phone("QX"));
        assert_eq!(first, "QX");
        assert!(std::ptr::eq(first, again), "kept once");
    }

    #[test]
    fn a_transcripts_repeated_words_share_their_variants() {
        let options = without_espeak(true);
        let mut pronouncer = Pronouncer::new(dict(), &options);
        let first = pronouncer.turn(&["the", "meeting", "ZORBEX"]);
        let second = pronouncer.turn(&["The", "meeting", "the"]);
        let capitals = pronouncer.turn(&["ZORBEX", "ZORBEX"]);
        let word = |p: &Pronunciations, i: usize| p.words[i].clone().unwrap();
        assert!(Arc::ptr_eq(
            &word(&first, 1).variants,
            &word(&second, 1).variants
        ));
        assert!(Arc::ptr_eq(
            &word(&first, 0).variants,
            &word(&second, 2).variants
        ));
        assert!(Arc::ptr_eq(
            &word(&capitals, 0).variants,
            &word(&capitals, 1).variants
        ));
        assert_eq!(
            word(&second, 0).token,
            "The",
            "each token keeps its own text"
        );
        // What a turn gets does not depend on the turns before it.
        for (turn, tokens) in [
            (&first, ["the", "meeting", "ZORBEX"]),
            (&second, ["The", "meeting", "the"]),
        ] {
            assert_eq!(*turn, pronounce(dict(), &tokens, &options));
        }
        assert_eq!(capitals, pronounce(dict(), &["ZORBEX", "ZORBEX"], &options));
        // A turn in capitals reads `ZORBEX` as a word, one with lower case spells it.
        assert_eq!(word(&first, 2).source, Source::Letters);
        assert_eq!(word(&capitals, 0).source, Source::Rules);
    }

    /// A 10-hour transcript holds some 70 000 tokens: each costs a shared pointer and its
    /// pause mark, not a copy of its reading, and a pause marked on one token leaves the
    /// others written alike unmarked.
    #[test]
    fn tokens_written_alike_share_one_reading() {
        let options = without_espeak(true);
        let mut pronouncer = Pronouncer::new(dict(), &options);
        let mut first = pronouncer.turn(&["well,", "the", "meeting"]).words;
        let second = pronouncer.turn(&["well,", "Aleppo"]).words;
        let (a, b) = (first[0].clone().unwrap(), second[0].clone().unwrap());
        assert!(Arc::ptr_eq(&a.reading, &b.reading));
        assert!(std::mem::size_of::<Option<Pronounced>>() <= 16);
        mark_written_pauses(&mut first, [true, false, false]);
        assert!(first[0].as_ref().unwrap().pause_after);
        assert!(!second[0].as_ref().unwrap().pause_after);
        assert_eq!(first[0].as_ref().unwrap().token, "well,");
    }

    #[test]
    fn the_dictionary_uses_only_arpabet_phones() {
        let p = pronounce(
            dict(),
            &["thoroughly", "judge", "usual", "boy"],
            &Options::default(),
        );
        for word in p.words.iter().flatten() {
            for phones in word.variants.iter() {
                for &ph in phones {
                    let at = ARPABET.binary_search(&ph).expect("an ARPAbet phone");
                    assert!(std::ptr::eq(ph, ARPABET[at]), "{ph} not copied");
                }
            }
        }
    }

    #[test]
    fn numbers_and_symbols_as_words() {
        assert_eq!(spoken_words("3"), Some(words("three")));
        assert_eq!(spoken_words("25"), Some(words("twenty five")));
        assert_eq!(spoken_words("1990"), Some(words("nineteen ninety")));
        assert_eq!(spoken_words("1990s"), Some(words("nineteen nineties")));
        assert_eq!(spoken_words("2005"), Some(words("two thousand five")));
        assert_eq!(spoken_words("1905"), Some(words("nineteen oh five")));
        assert_eq!(spoken_words("3rd"), Some(words("third")));
        assert_eq!(spoken_words("21st"), Some(words("twenty first")));
        assert_eq!(spoken_words("40th"), Some(words("fortieth")));
        assert_eq!(spoken_words("50%"), Some(words("fifty percent")));
        assert_eq!(spoken_words("$5"), Some(words("five dollars")));
        assert_eq!(spoken_words("5,000"), Some(words("five thousand")));
        assert_eq!(spoken_words("3.5"), Some(words("three point five")));
        assert_eq!(
            spoken_words("1,234,567"),
            Some(words(
                "one million two hundred thirty four thousand five hundred sixty seven"
            ))
        );
        assert_eq!(spoken_words("well-known"), Some(words("well known")));
        assert_eq!(spoken_words("aleppo"), None);
    }

    #[test]
    fn output_keeps_the_token_and_expands_what_is_spoken() {
        let tokens = [
            "Nusra,", "U.S.", "3", "1990s", "don't", "\"Yes!\"", "--", "NKVD", "x.q.", "FBI",
        ];
        let p = pronounce(dict(), &tokens, &without_espeak(true));
        assert_eq!(p.words.len(), tokens.len());
        let w = |i: usize| p.words[i].as_ref().unwrap();
        assert_eq!(w(0).token, "Nusra,");
        assert_eq!(w(0).source, Source::Rules);
        assert_eq!(w(1).variants[0], words("Y UW EH S"));
        assert_eq!(w(2).variants[0], words("TH R IY"));
        assert_eq!(w(2).source, Source::Expanded("three".into()));
        assert_eq!(w(3).source, Source::Expanded("nineteen nineties".into()));
        assert_eq!(w(3).variants[0][..4], words("N AY N T")[..]);
        assert_eq!(w(4).source, Source::Dictionary);
        assert_eq!(w(5).source, Source::Dictionary);
        assert!(p.words[6].is_none());
        assert_eq!(w(7).variants[0], words("EH N K EY V IY D IY"));
        assert_eq!(w(7).source, Source::Letters);
        assert_eq!(w(8).variants[0], words("EH K S K Y UW"));
        assert_eq!(w(9).variants[0], words("EH F B IY AY"));
        // Notes: Nusra guessed, `--` skipped, NKVD and x.q. spelled.
        let noted: Vec<&str> = p.notes.iter().map(|n| n.token.as_str()).collect();
        assert_eq!(noted, ["Nusra,", "--", "NKVD", "x.q."]);
        assert!(
            p.notes[0].to_string().contains("guessed from spelling"),
            "{}",
            p.notes[0]
        );
        assert!(p.notes[1].to_string().contains("skipped"), "{}", p.notes[1]);
    }

    #[test]
    fn capitals_are_letters_only_in_a_turn_with_lower_case() {
        // No dictionary (a transcript in another language) and no espeak-ng: every word
        // is guessed unless it is taken for an abbreviation.
        let empty = Dictionary::parse("").unwrap();
        let options = without_espeak(false);
        let sources = |tokens: &[&str]| -> Vec<Source> {
            pronounce(&empty, tokens, &options)
                .words
                .into_iter()
                .map(|w| w.unwrap().source.clone())
                .collect()
        };
        // A turn wholly in capitals (subtitles, a game's script): words, not letter names,
        // except a word without a vowel and a dotted abbreviation.
        assert_eq!(
            sources(&["BUENO,", "¿COMO", "ESTAS?", "NKVD"]),
            [Source::Rules, Source::Rules, Source::Rules, Source::Letters]
        );
        assert_eq!(
            sources(&["THE", "U.S.", "ARMY"]),
            [Source::Rules, Source::Letters, Source::Rules]
        );
        assert_eq!(sources(&["HOLA."]), [Source::Rules]);
        // In ordinary text capitals still mark abbreviations.
        assert_eq!(
            sources(&["the", "NATO", "summit", "and", "THE", "U.S.", "ARMY"]),
            [
                Source::Rules,
                Source::Letters,
                Source::Rules,
                Source::Rules,
                Source::Letters,
                Source::Letters,
                Source::Letters
            ]
        );
    }

    #[test]
    fn variants_are_kept() {
        let p = pronounce(dict(), &["the"], &Options::default());
        let the = p.words[0].as_ref().unwrap();
        assert!(the.variants.len() >= 2, "{:?}", the.variants);
        assert!(p.notes.is_empty());
    }

    #[test]
    fn a_filled_pause_may_start_breathy() {
        let p = pronounce(dict(), &["uh", "Um,", "hmm", "the"], &Options::default());
        let variants = |i: usize| -> Vec<String> {
            p.words[i]
                .as_ref()
                .unwrap()
                .variants
                .iter()
                .map(|v| v.join(" "))
                .collect()
        };
        // The dictionary's pronunciation stays first; the breathy one follows.
        assert_eq!(variants(0), ["AH", "HH AH"]);
        assert_eq!(variants(1), ["AH M", "HH AH M"]);
        // Already breathy: nothing added.
        assert_eq!(variants(2), ["HH M"]);
        // Not a hesitation: the dictionary's own variants only.
        assert!(
            variants(3).iter().all(|v| !v.starts_with("HH")),
            "{:?}",
            variants(3)
        );
    }

    /// Needs espeak-ng: fails (never skips) without it.
    #[test]
    fn names_the_dictionary_lacks_come_from_espeak_ng() {
        if let Err(e) = espeak::available() {
            panic!("this test needs espeak-ng (`apt-get install espeak-ng`): {e}");
        }
        let tokens = ["Aleppo", "Nusra", "Daesh"];
        for t in tokens {
            assert!(
                !dict().contains(t),
                "{t} is in the dictionary now; pick another name"
            );
        }
        let p = pronounce(dict(), &tokens, &Options::default());
        let phones: Vec<String> = p
            .words
            .iter()
            .map(|w| w.as_ref().unwrap().variants[0].join(" "))
            .collect();
        assert_eq!(phones, ["AH L EH P OW", "N AH S R AH", "D IY SH"]);
        // `Aleppo` is read by espeak-ng, and also tried as its near word `leppo`.
        assert!(matches!(
            &p.words[0].as_ref().unwrap().source,
            Source::Slip { guess, .. } if matches!(**guess, Source::Espeak(_))
        ));
        assert!(matches!(
            p.words[1].as_ref().unwrap().source,
            Source::Espeak(_)
        ));
        assert_eq!(p.notes.len(), 3);
        assert!(
            p.notes[0].to_string().contains("espeak-ng says"),
            "{}",
            p.notes[0]
        );
    }

    #[test]
    fn ipa_mapping() {
        assert_eq!(ipa_to_arpabet("bˈʌʔn̩"), ["B", "AH", "T", "AH", "N"]);
        assert_eq!(ipa_to_arpabet("tʃˈɜːtʃ"), ["CH", "ER", "CH"]);
        assert_eq!(
            ipa_to_arpabet("zˈaɪəəpˌɪŋ"),
            ["Z", "AY", "AH", "P", "IH", "NG"]
        );
        assert_eq!(ipa_to_arpabet("lˈɛdʒɚ"), ["L", "EH", "JH", "ER"]);
        // Spanish "yo": the palatal fricative was once dropped, leaving the vowel alone.
        assert_eq!(ipa_to_arpabet("ʝˈo"), ["Y", "OW"]);
        assert!(ipa_to_arpabet("ˈˌː").is_empty());
    }

    #[test]
    fn letter_to_sound_is_plausible() {
        assert_eq!(letter_to_sound("Nusra"), ["N", "AH", "S", "R", "AE"]);
        assert_eq!(letter_to_sound("Daesh"), ["D", "AE", "EH", "SH"]);
        assert_eq!(letter_to_sound("chase"), ["CH", "AE", "S"]);
        assert!(letter_to_sound("123").is_empty());
    }

    #[test]
    fn language_switch_marks_are_not_sounds() {
        assert_eq!(ipa_to_arpabet("(en)tw(fr)"), ipa_to_arpabet("tw"));
    }

    #[test]
    fn sounds_english_lacks_get_their_second_nearest_phones_as_variants() {
        // Spanish "encontrar": pure e and o, taps.
        let v = ipa_variants("ˌenkontɾˈaɾ");
        assert_eq!(
            v,
            [
                vec!["EY", "N", "K", "OW", "N", "T", "T", "AA", "T"],
                vec!["EH", "N", "K", "AO", "N", "T", "T", "AH", "T"],
                vec!["EY", "N", "K", "OW", "N", "T", "D", "AA", "D"],
                vec!["EH", "N", "K", "AO", "N", "T", "D", "AH", "D"],
            ]
        );
        // The first variant is the plain mapping; a word with nothing uncertain has one.
        assert_eq!(v[0], ipa_to_arpabet("ˌenkontɾˈaɾ"));
        assert_eq!(ipa_variants("sˈi"), [vec!["S", "IY"]]);
        // Only vowels uncertain: two variants, no duplicates.
        assert_eq!(ipa_variants("nˈo"), [vec!["N", "OW"], vec!["N", "AO"]]);
        // A diphthong stays whole: its first vowel is not a pure `e`.
        assert_eq!(ipa_variants("eɪ"), [vec!["EY"]]);
        // Czech "řekl": ř is a sound of its own, not an `r` with a mark dropped.
        assert_eq!(
            ipa_variants("r̝ˈekl̩"),
            [
                vec!["R", "EY", "K", "AH", "L"],
                vec!["R", "EH", "K", "AH", "L"],
                vec!["ZH", "EY", "K", "AH", "L"],
                vec!["ZH", "EH", "K", "AH", "L"],
            ]
        );
    }

    #[test]
    fn english_guesses_keep_one_pronunciation_other_languages_several() {
        if let Err(e) = espeak::available() {
            panic!("this test needs espeak-ng (`apt-get install espeak-ng`): {e}");
        }
        let spanish = Options {
            espeak_voice: Some("es".into()),
            english: false,
        };
        let p = pronounce(dict(), &["ENCONTRAR"], &spanish);
        let w = p.words[0].as_ref().unwrap();
        assert!(matches!(w.source, Source::Espeak(_)));
        assert!(w.variants.len() > 1, "{:?}", w.variants);
        assert!(w.variants.len() <= MAX_VARIANTS);
        let p = pronounce(dict(), &["Nusra"], &Options::default());
        assert_eq!(p.words[0].as_ref().unwrap().variants.len(), 1);
    }

    #[test]
    fn a_typing_slip_is_also_heard_as_the_words_one_slip_away() {
        let rules = without_espeak(true);
        let p = pronounce(dict(), &["knwo", "oppostion"], &rules);
        let knwo = p.words[0].as_ref().unwrap();
        let Source::Slip { guess, words: near } = &knwo.source else {
            panic!("{:?}", knwo.source);
        };
        assert_eq!(**guess, Source::Rules);
        assert_eq!(near, &["know".to_string()]);
        // The reading as written first, then the word meant.
        assert_eq!(knwo.variants.len(), 2);
        assert_eq!(knwo.variants[1], words("N OW"));
        let opposition = p.words[1].as_ref().unwrap();
        assert!(
            opposition
                .variants
                .iter()
                .any(|v| *v == words("AA P AH Z IH SH AH N"))
        );
        assert!(
            p.notes[0].to_string().contains("typing slip for `know`"),
            "{}",
            p.notes[0]
        );
        // In a turn wholly in capitals a word without a vowel is spelled, and may be a slip.
        let p = pronounce(dict(), &["IT", "WJLL", "TAKE"], &rules);
        let wjll = p.words[1].as_ref().unwrap();
        assert!(
            matches!(&wjll.source, Source::Slip { guess, words } if **guess == Source::Letters
                && words.contains(&"will".to_string())),
            "{:?}",
            wjll.source
        );
        assert_eq!(wjll.variants[0][..2], words("D AH")[..]);
        // Another language's words are not English typos.
        let czech = without_espeak(false);
        let p = pronounce(dict(), &["knwo"], &czech);
        assert_eq!(p.words[0].as_ref().unwrap().source, Source::Rules);
    }

    #[test]
    fn a_one_letter_word_of_another_language_is_said_before_the_next_word() {
        if let Err(e) = espeak::available() {
            panic!("this test needs espeak-ng (`apt-get install espeak-ng`): {e}");
        }
        let empty = Dictionary::parse("").unwrap();
        let czech = Options {
            espeak_voice: Some("cs".into()),
            english: false,
        };
        let first = |tokens: &[&str], options: &Options| -> Vec<String> {
            let p = pronounce(&empty, tokens, options);
            let w = p.words[0].as_ref().expect("pronounced");
            w.variants.iter().map(|v| v.join(" ")).collect()
        };
        // Czech `v devět` ("at nine"): the preposition's consonant, not the letter's name vé.
        assert_eq!(first(&["V", "devět"], &czech), ["V"]);
        assert_eq!(first(&["k", "domu"], &czech), ["K"]);
        // Alone (nothing after it in the turn), espeak-ng can only read the letter's name.
        assert!(
            first(&["v"], &czech)[0].starts_with("V "),
            "{:?}",
            first(&["v"], &czech)
        );
        // English one-letter words keep the dictionary (`a`, `I`) or are spelled.
        let english = Options {
            espeak_voice: Some("en-us".into()),
            english: true,
        };
        let p = pronounce(dict(), &["a", "cat"], &english);
        assert_eq!(p.words[0].as_ref().unwrap().source, Source::Dictionary);
    }

    #[test]
    fn numbers_in_another_language_are_spoken_by_its_voice() {
        if let Err(e) = espeak::available() {
            panic!("this test needs espeak-ng (`apt-get install espeak-ng`): {e}");
        }
        let spanish = Options {
            espeak_voice: Some("es".into()),
            english: false,
        };
        // `506!` in a Spanish turn: quinientos seis, not skipped for want of letters.
        let p = pronounce(dict(), &["506!"], &spanish);
        let w = p.words[0].as_ref().expect("506 is spoken");
        assert!(matches!(w.source, Source::Espeak(_)), "{:?}", w.source);
        assert!(w.variants[0].len() >= 10, "{:?}", w.variants[0]);
        assert_eq!(w.variants[0][0], "K");
        assert_eq!(said_by_voice("3,5"), "3,5");
        assert_eq!(said_by_voice("¿Y"), "Y");
        assert_eq!(said_by_voice("chica,"), "chica");
    }

    #[test]
    fn numbers_in_another_language_are_left_to_its_voice() {
        let options = without_espeak(false);
        let p = pronounce(dict(), &["28"], &options);
        // Not "twenty eight": without espeak-ng the digits are only spelled by rule.
        assert!(
            p.words[0]
                .as_ref()
                .is_none_or(|w| w.source != Source::Expanded("twenty eight".into()))
        );
    }
}
