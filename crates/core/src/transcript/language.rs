//! The language a transcript is written in, so the right pronunciations and voice are used
//! without the user having to say it (`--lang` overrides).

use whatlang::Lang;

use super::Transcript;

/// A language, by its ISO 639 codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// ISO 639-3 code (`eng`, `ces`, `fra`).
    pub code: String,
    /// The espeak-ng voice for it (ISO 639-1 where espeak-ng has one: `en`, `cs`, `fr`).
    pub espeak_voice: String,
}

impl Language {
    /// English: the acoustic model's own language.
    pub fn english() -> Language {
        Language::from_code("eng").expect("English is known")
    }

    /// True for English, the only language the built-in acoustic model was trained on.
    pub fn is_english(&self) -> bool {
        self.code == "eng"
    }

    /// A language from an ISO 639-1 (`cs`) or 639-3 (`ces`) code; `None` when unknown.
    pub fn from_code(code: &str) -> Option<Language> {
        let code = code.trim().to_ascii_lowercase();
        let (three, two) = VOICES
            .iter()
            .find(|(three, two)| *three == code || *two == code)
            .copied()
            .or_else(|| Lang::from_code(&code).map(|l| (l.code(), l.code())))?;
        Some(Language {
            code: three.to_string(),
            espeak_voice: two.to_string(),
        })
    }
}

/// ISO 639-3 → espeak-ng voice for the languages whatlang tells apart.
const VOICES: &[(&str, &str)] = &[
    ("eng", "en"),
    ("ces", "cs"),
    ("slk", "sk"),
    ("fra", "fr"),
    ("deu", "de"),
    ("spa", "es"),
    ("ita", "it"),
    ("por", "pt"),
    ("nld", "nl"),
    ("pol", "pl"),
    ("rus", "ru"),
    ("ukr", "uk"),
    ("ara", "ar"),
    ("tur", "tr"),
    ("swe", "sv"),
    ("dan", "da"),
    ("nob", "nb"),
    ("fin", "fi"),
    ("hun", "hu"),
    ("ron", "ro"),
    ("ell", "el"),
    ("heb", "he"),
    ("hin", "hi"),
    ("cmn", "cmn"),
    ("jpn", "ja"),
    ("kor", "ko"),
];

/// The language of the transcript's transcribed text, when it can be told reliably.
pub fn detect(transcript: &Transcript) -> Option<Language> {
    let mut text = String::new();
    for turn in transcript.turns.iter().filter(|t| t.transcribed) {
        for word in turn.words() {
            text.push_str(word);
            text.push(' ');
        }
        if text.len() > 20_000 {
            break;
        }
    }
    detect_text(&text)
}

/// The language `text` (words separated by spaces) is written in, when it can be told
/// reliably: what [`detect`] reads a transcript's words with, and the sync a subtitle file's.
pub fn detect_text(text: &str) -> Option<Language> {
    let info = whatlang::detect(text)?;
    // Short texts are guessed unreliably; English is the safe default there.
    if !info.is_reliable() && text.len() < 200 {
        return None;
    }
    Language::from_code(info.lang().code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_either_length_name_the_same_language() {
        assert_eq!(Language::from_code("cs"), Language::from_code("ces"));
        assert_eq!(Language::from_code("CES").unwrap().espeak_voice, "cs");
        assert!(Language::from_code("en").unwrap().is_english());
        assert_eq!(Language::from_code("xx"), None);
    }

    #[test]
    fn the_shared_transcript_reads_as_english_and_czech_as_czech() {
        let kerry = crate::transcript::parse(
            "Kerry\n\nWe have been talking to the opposition for a long time about what \
             happens in Aleppo and what the Russians are doing there every day.\n",
            None,
        );
        assert!(detect(&kerry).unwrap().is_english());
        let czech = crate::transcript::parse(
            "Jana\n\nDobrý den, jak se máte? Dnes je krásné počasí a půjdeme spolu na \
             procházku do parku, kde si sedneme na lavičku a budeme si povídat o všem.\n",
            None,
        );
        assert_eq!(detect(&czech).unwrap().code, "ces");
    }
}
