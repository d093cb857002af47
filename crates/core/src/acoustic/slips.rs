//! Typing slips: a word the dictionary lacks that is one slip of the keys from words it has.
//!
//! Transcripts typed by hand misspell words (`knwo`, `oppostion`, `targetted`), while the
//! speaker said the word meant. espeak-ng reads the slip as written (`knwo` letter by letter:
//! K EY EH N D AH B AH L Y UW OW), and a turn that holds a few such readings fits the
//! recording so poorly that it is not heard at all. The dictionary words one slip away
//! (two neighbouring letters swapped, a letter too many, one missing, one wrong) are offered
//! to the forced alignment as further pronunciations, beside the reading of the slip as
//! written: the recording decides which was said (docs/accuracy.md, session 31).
//!
//! The slips are those `transcript::speaker::one_letter_edit` allows between two speaker
//! labels, plus a missing apostrophe; here they are generated from one word, to be looked up
//! in the dictionary, rather than tested between two known names.

use super::dictionary::Dictionary;
use super::pronounce::Phone;

/// Fewest letters a word needs before its near words are looked for: a shorter word is one
/// slip from dozens of words (`wod`: word, wood, god, nod, wad, ...), and its reading as
/// written is as likely as any of them.
pub(crate) const MIN_LETTERS: usize = 4;

/// Most letters a word may have to be one slip from a dictionary word: the vendored
/// dictionary's longest word (`antidisestablishmentarianism`) has 28. Longer tokens (a URL,
/// a run of letters) are not searched: each letter more is 54 more spellings to look up.
pub(crate) const MAX_LETTERS: usize = 29;

/// Most near words offered for one slip: the closest in sound to the reading as written.
pub(crate) const MAX_NEAR_WORDS: usize = 3;

/// The dictionary words one slip from `word` (lower-case letters, [`MIN_LETTERS`] to
/// [`MAX_LETTERS`]), at most [`MAX_NEAR_WORDS`], the closest in sound to `as_written` (the
/// phones the slip is read with) first; ties by the kind of slip (swapped, a letter too many,
/// a letter missing, a wrong letter), then in alphabetical order. Empty for other words.
pub(crate) fn near_words(
    dict: &Dictionary,
    word: &str,
    as_written: &[Phone],
) -> Vec<(String, Vec<Vec<Phone>>)> {
    if !(MIN_LETTERS..=MAX_LETTERS).contains(&word.len())
        || !word.bytes().all(|b| b.is_ascii_lowercase())
    {
        return Vec::new();
    }
    let mut found: Vec<(usize, usize, String, Vec<Vec<Phone>>)> = Vec::new();
    for (kind, candidate) in one_slip_away(word) {
        if found.iter().any(|(_, _, w, _)| *w == candidate) {
            continue;
        }
        let variants: Vec<Vec<Phone>> = dict
            .lookup(&candidate)
            .iter()
            .map(|v| v.iter().map(|&p| super::pronounce::phone(p)).collect())
            .collect();
        let Some(distance) = variants.iter().map(|v| phone_distance(v, as_written)).min() else {
            continue;
        };
        found.push((distance, kind, candidate, variants));
    }
    found.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    found
        .into_iter()
        .take(MAX_NEAR_WORDS)
        .map(|(_, _, w, v)| (w, v))
        .collect()
}

/// Every spelling one slip from `word` (lower-case ASCII), with its kind: 0 two neighbouring
/// letters swapped, 1 a letter too many in `word`, 2 a letter (or an apostrophe) missing from
/// it, 3 a wrong letter.
fn one_slip_away(word: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    let b = word.as_bytes();
    let n = b.len();
    let text = |v: Vec<u8>| v.into_iter().map(char::from).collect::<String>();
    let swapped = (0..n - 1).filter(move |&i| b[i] != b[i + 1]).map(move |i| {
        let mut v = b.to_vec();
        v.swap(i, i + 1);
        (0, text(v))
    });
    let extra = (0..n).map(move |i| {
        let mut v = b.to_vec();
        v.remove(i);
        (1, text(v))
    });
    // An apostrophe is the letter most often left out (`dont`, `yknow`).
    let missing = (0..=n).flat_map(move |i| {
        (b'a'..=b'z').chain([b'\'']).map(move |c| {
            let mut v = b.to_vec();
            v.insert(i, c);
            (2, text(v))
        })
    });
    let wrong = (0..n).flat_map(move |i| {
        (b'a'..=b'z').filter(move |&c| c != b[i]).map(move |c| {
            let mut v = b.to_vec();
            v[i] = c;
            (3, text(v))
        })
    });
    swapped.chain(extra).chain(missing).chain(wrong)
}

/// Edit distance between two phone sequences (insertions, deletions, substitutions).
fn phone_distance(a: &[Phone], b: &[Phone]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, pa) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, pb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(pa != pb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acoustic::pronounce::phone;

    fn phones(s: &str) -> Vec<Phone> {
        s.split_whitespace().map(phone).collect()
    }

    fn near(word: &str, as_written: &str) -> Vec<String> {
        near_words(Dictionary::embedded(), word, &phones(as_written))
            .into_iter()
            .map(|(w, _)| w)
            .collect()
    }

    #[test]
    fn each_kind_of_slip_finds_the_word_meant() {
        // Swapped, spelled out by espeak-ng as letters.
        assert_eq!(
            near("knwo", "K EY EH N D AH B AH L Y UW OW"),
            vec!["know".to_string()]
        );
        // A letter too many.
        assert!(near("targetted", "T AA R G IH T IH D").contains(&"targeted".to_string()));
        // A letter missing.
        assert!(near("oppostion", "AA P OW S T IY AH N").contains(&"opposition".to_string()));
        // A wrong letter.
        assert!(near("ptior", "P T IY AO R").contains(&"prior".to_string()));
        // An apostrophe left out.
        assert!(near("didnt", "D IH D N T").contains(&"didn't".to_string()));
    }

    #[test]
    fn the_near_words_closest_in_sound_come_first_and_few() {
        let found = near("wirds", "W ER D Z");
        assert!(found.len() <= MAX_NEAR_WORDS);
        assert_eq!(found.first().map(String::as_str), Some("words"));
    }

    #[test]
    fn short_long_and_other_words_get_none() {
        assert!(near("wod", "W AA D").is_empty());
        assert!(near("knw'o", "N OW").is_empty());
        assert!(near("Knwo", "N OW").is_empty());
        // A token far longer than any dictionary word is not searched.
        assert!(near(&"a".repeat(10_000), "AH").is_empty());
        assert!(!near("antidisestablishmentarianisms", "").is_empty());
    }

    #[test]
    fn phone_distance_counts_edits() {
        assert_eq!(phone_distance(&phones("K AE T"), &phones("K AE T")), 0);
        assert_eq!(phone_distance(&phones("K AE T"), &phones("K AE T S")), 1);
        assert_eq!(phone_distance(&phones("K AE T"), &phones("B AE D")), 2);
        assert_eq!(phone_distance(&phones(""), &phones("N OW")), 2);
    }
}
