//! How long a turn's speech should last, from its words.

/// Estimated syllables in a word: vowel groups, with a silent final `e`, at least one.
/// Digits count one syllable each ("40": "for-ty").
pub fn syllables(word: &str) -> usize {
    let lower = word.to_lowercase();
    let digits = lower.chars().filter(|c| c.is_ascii_digit()).count();
    let letters: Vec<char> = lower.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return digits;
    }
    let is_vowel = |c: char| "aeiouyàáâäèéêëìíîïòóôöùúûü".contains(c);
    let mut groups = 0;
    let mut previous_vowel = false;
    for &c in &letters {
        let vowel = is_vowel(c);
        if vowel && !previous_vowel {
            groups += 1;
        }
        previous_vowel = vowel;
    }
    let n = letters.len();
    if n > 2
        && letters[n - 1] == 'e'
        && !is_vowel(letters[n - 2])
        && letters[n - 2] != 'l'
        && groups > 1
    {
        groups -= 1;
    }
    groups.max(1) + digits
}

/// Syllables in a run of words.
pub fn count_syllables<'a>(words: impl IntoIterator<Item = &'a str>) -> usize {
    words.into_iter().map(syllables).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_common_words() {
        for (word, n) in [
            ("cat", 1),
            ("diplomacy", 4),
            ("Aleppo", 3),
            ("make", 1),
            ("table", 2),
            ("I'm", 1),
            ("40", 2),
            ("rhythm", 1),
        ] {
            assert_eq!(syllables(word), n, "{word}");
        }
        assert_eq!(count_syllables(["the", "political", "solution"]), 1 + 4 + 3);
        assert_eq!(syllables("..."), 0);
    }
}
