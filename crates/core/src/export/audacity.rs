//! Audacity label track (`.txt`): `start<TAB>end<TAB>label`, times in seconds with 6
//! decimals, one label per turn in transcript order. Import with File → Import → Labels.

use std::fmt::Write;

use super::{ExportOptions, Ms, display_text, fixed3, speaker_name, to_ms};
use crate::report::Alignment;

/// Characters of turn text kept in a label; longer text is cut at a word and gets `…`.
const LABEL_TEXT_CHARS: usize = 40;

/// Renders the alignment as Audacity labels: `Speaker: first words…`.
pub(super) fn render(alignment: &Alignment, options: &ExportOptions) -> String {
    let mut out = String::new();
    for turn in &alignment.turns {
        let text = first_words(&display_text(turn), LABEL_TEXT_CHARS);
        let label = match speaker_name(turn) {
            Some(s) if options.speaker_names => format!("{s}: {text}"),
            _ => text,
        };
        let start = to_ms(turn.start).max(0);
        let end = to_ms(turn.end).max(start);
        let _ = writeln!(out, "{}\t{}\t{label}", seconds6(start), seconds6(end));
    }
    out
}

/// Seconds with 6 decimals, as Audacity writes label times.
fn seconds6(ms: Ms) -> String {
    format!("{}000", fixed3(ms))
}

/// The leading words of `text` within `max` characters (at least one word), `…` appended
/// when anything was left out.
fn first_words(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for (k, word) in text.split(' ').enumerate() {
        let len = word.chars().count() + usize::from(k > 0);
        if k > 0 && chars + len > max {
            out.push('\u{2026}');
            return out;
        }
        if k > 0 {
            out.push(' ');
        }
        out.push_str(word);
        chars += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_keep_whole_words() {
        assert_eq!(first_words("I understand ...", 40), "I understand ...");
        assert_eq!(first_words("one two three", 7), "one two\u{2026}");
        assert_eq!(first_words("unbelievably long", 5), "unbelievably\u{2026}");
        assert_eq!(seconds6(1234), "1.234000");
    }
}
